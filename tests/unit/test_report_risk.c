/* The join and the risk levels (SPEC.md section 3) on a real database:
 * logs ingested from samples/logs, verify rows written with verify's
 * schema (unit level: the scenario tests use real verify runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "exitcode.h"
#include "out.h"
#include "report_testdb.h"

#define SAMPLE(name) root_path("samples/logs/" name)

static void verify_run(sqlite3 *db)
{
	exec(db, "INSERT INTO store(id, path, kind) VALUES(1, '/mnt/USMTMIG', 'hardlink');"
	         "INSERT INTO verify_run(id, started, finished, version, host, result) VALUES"
	         " (7, '2026-11-22T01:00:00Z', '2026-11-22T01:01:00Z', '0.1.0', 'PC-0042', 'risk');"
	         "INSERT INTO verify_run_store VALUES(7, 1);");
}

static void entry(sqlite3 *db, const char *win, const char *verdict, int sole, int ro)
{
	char sql[2048];

	sqlite3_snprintf(sizeof sql, sql, "INSERT INTO entry(run_id, store_id, rel, win_path, "
	                 "local_path, type, verdict, size, nlink, readonly, sole_copy) VALUES(7, 1, "
	                 "%Q, %Q, %Q, 'file', %Q, 10, 2, %d, %d)", win, win, win, verdict, ro, sole);
	exec(db, sql);
}

static const char *reasons(sqlite3 *db, const char *path)
{
	char sql[1024];

	sqlite3_snprintf(sizeof sql, sql, "SELECT level || ' ' || reasons FROM rpt_risk "
	                 "WHERE fkey = uk_fold(%Q)", path);
	return qs(db, sql);
}

static void test_clean_log_alone_is_none(void **state)
{
	sqlite3 *db = testdb_open();
	uk_report_summary s;

	assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-clean.log")), 0);
	assert_int_equal(uk_report_analyze(db, &s), 0);
	assert_int_equal(s.risk, UK_RISK_NONE);
	assert_int_equal(s.verify_run, 0);
	assert_int_equal(q(db, "SELECT count(*) FROM rpt_risk"), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM rpt_why"), 0);
	uk_db_close(db);
}

static void test_c_run_without_verify(void **state)
{
	sqlite3 *db = testdb_open();
	uk_report_summary s;

	assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-c.log")), 0);
	assert_int_equal(uk_report_analyze(db, &s), 0);
	assert_int_equal(s.risk, UK_RISK_CRITICAL);
	assert_int_equal(s.skipped_profiles, 1);
	assert_int_equal(s.at_risk[UK_RISK_HIGH], 3);
	assert_string_equal(qs(db, "SELECT group_concat(reason, ',') FROM rpt_why"),
	                    "skipped-profile,errors-ignored");
	assert_string_equal(reasons(db, "C:\\Users\\alice\\OneDrive - Smith & Jones\\Q3 forecast.xlsx"),
	                    "2 [\"logged-error\"]");
	uk_db_close(db);
}

/* Case-insensitive join: each logged path against what verify found. */
static void test_join_with_verdicts(void **state)
{
	sqlite3 *db = testdb_open();
	uk_report_summary s;

	assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-c.log")), 0);
	verify_run(db);
	entry(db, "C:\\USERS\\ALICE\\OneDrive - Smith & Jones\\q3 FORECAST.xlsx", "linked", 0, 0);
	entry(db, "c:\\users\\alice\\documents\\outlook files\\alice@contoso.com.pst", "missing", 1, 0);
	entry(db, "C:\\Users\\bob\\Documents\\report.docx", "modified", 0, 0);
	entry(db, "C:\\Users\\bob\\Documents\\contract.pdf", "linked", 0, 1);
	entry(db, "C:\\Users\\bob\\ntuser.dat.LOG1", "excluded", 0, 1);
	entry(db, "C:\\Users\\bob\\locked.db", "unreadable", 0, 0);
	entry(db, "C:\\Users\\bob\\fine.txt", "identical", 0, 0);
	entry(db, "C:\\USERS\\ZOË\\PICTURES\\Ski trip, 2023\\DSC_0412.JPG", "modified", 0, 0);
	assert_int_equal(uk_report_analyze(db, &s), 0);
	assert_int_equal(s.verify_run, 7);
	assert_int_equal(s.risk, UK_RISK_CRITICAL);
	/* Accounted for by a linked verdict: not at risk. */
	assert_string_equal(reasons(db, "C:\\Users\\alice\\OneDrive - Smith & Jones\\Q3 forecast.xlsx"), "");
	assert_string_equal(reasons(db, "C:\\Users\\alice\\Documents\\Outlook Files\\alice@contoso.com.pst"),
	                    "3 [\"logged-error\",\"missing\",\"sole-copy\"]");
	assert_string_equal(qs(db, "SELECT verdict FROM rpt_risk WHERE path LIKE '%contoso.com.pst'"),
	                    "missing");
	/* The path as verify recorded it (what is on disk), not as logged. */
	assert_string_equal(qs(db, "SELECT path FROM rpt_risk WHERE path LIKE '%contoso.com.pst'"),
	                    "c:\\users\\alice\\documents\\outlook files\\alice@contoso.com.pst");
	/* Windows case folding beyond ASCII: ZOË is zoë. */
	assert_string_equal(reasons(db, "C:\\Users\\zoë\\Pictures\\Ski trip, 2023\\DSC_0412.JPG"),
	                    "2 [\"logged-error\",\"modified\"]");
	assert_string_equal(qs(db, "SELECT path FROM rpt_risk WHERE path LIKE '%DSC_0412.JPG'"),
	                    "C:\\USERS\\ZOË\\PICTURES\\Ski trip, 2023\\DSC_0412.JPG");
	assert_string_equal(reasons(db, "C:\\Users\\bob\\Documents\\report.docx"), "1 [\"modified\"]");
	assert_string_equal(reasons(db, "C:\\Users\\bob\\Documents\\contract.pdf"), "1 [\"readonly\"]");
	assert_string_equal(reasons(db, "C:\\Users\\bob\\locked.db"), "2 [\"unreadable\"]");
	assert_string_equal(reasons(db, "C:\\Users\\bob\\ntuser.dat.LOG1"), "");
	assert_string_equal(reasons(db, "C:\\Users\\bob\\fine.txt"), "");
	assert_int_equal(q(db, "SELECT count(*) FROM rpt_risk"), 5);
	/* With a verify run, ignored errors are judged file by file. */
	assert_int_equal(q(db, "SELECT count(*) FROM rpt_why WHERE reason = 'errors-ignored'"), 0);
	uk_db_close(db);
}

/* The verify run's --map rules apply to the paths the logs name. */
static void test_map_rules_applied(void **state)
{
	sqlite3 *db = testdb_open();
	uk_report_summary s;

	assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-progress.log")), 0);
	verify_run(db);
	exec(db, "INSERT INTO verify_map VALUES(7, 0, 'C:\\Users\\zoë', 'D:\\Profiles\\zoe');"
	         "INSERT INTO verify_map VALUES(7, 1, 'C:\\Users', 'E:\\never');");
	entry(db, "D:\\Profiles\\zoe\\Pictures\\Ski trip, 2023\\DSC_0412.JPG", "linked", 0, 0);
	entry(db, "E:\\never\\alice\\Documents\\Outlook Files\\alice@contoso.com.pst", "identical", 0, 0);
	assert_int_equal(uk_report_analyze(db, &s), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM rpt_risk"), 1);
	assert_string_equal(qs(db, "SELECT path FROM rpt_risk"),
	                    "E:\\never\\alice\\OneDrive - Smith & Jones\\Q3 forecast.xlsx");
	assert_int_equal(s.risk, UK_RISK_HIGH);
	uk_db_close(db);
}

/* The last LoadState run decides; an earlier aborted one retried is fine. */
static void test_last_loadstate_run(void **state)
{
	sqlite3 *db = testdb_open();
	uk_report_summary s;

	assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-abort-retry.log")), 0);
	assert_int_equal(uk_report_analyze(db, &s), 0);
	assert_false(s.last_loadstate_incomplete);
	assert_int_equal(s.risk, UK_RISK_HIGH); /* dvd.iso logged, no verify verdict */

	write_file(scratch("x.log"), "wb",
	           "2024-01-25 09:00:00, Info                  [0x000000] LOADSTATE.EXE Version 10.0.1\n"
	           "2024-01-25 09:00:00, Info                  [0x000000] USMT Started at 2024/01/25:09:00:00.000\n");
	assert_int_equal(uk_report_ingest(db, scratch("x.log")), 0);
	assert_int_equal(uk_report_analyze(db, &s), 0);
	assert_true(s.last_loadstate_incomplete);
	assert_int_equal(s.risk, UK_RISK_CRITICAL);
	uk_db_close(db);
}

static void test_progress_abort_without_main_log(void **state)
{
	sqlite3 *db = testdb_open();
	uk_report_summary s;

	write_file(scratch("x.log"), "wb",
	           "08 Jun 2023, 10:00:00, 00:00:00, program, LoadState.exe\n"
	           "08 Jun 2023, 10:00:05, 00:00:05, error, UnableToAccessDevice, action, Abort\n");
	assert_int_equal(uk_report_ingest(db, scratch("x.log")), 0);
	assert_int_equal(uk_report_analyze(db, &s), 0);
	assert_true(s.last_loadstate_incomplete);
	assert_int_equal(s.risk, UK_RISK_CRITICAL);
	uk_db_close(db);
}

/* Denies max(), which only the risk and the unfinished-run counts use. */
static int deny_max(void *u, int action, const char *a, const char *fn, const char *d,
                    const char *t)
{
	(void)u, (void)a, (void)d, (void)t;
	return action == SQLITE_FUNCTION && fn && strcmp(fn, "max") == 0 ? SQLITE_DENY : SQLITE_OK;
}

/* A count that fails is no count: the risk of a missing sole copy that
 * cannot be read is a database failure (exit 3), never risk "none". */
static void test_failed_count_is_no_risk(void **state)
{
	sqlite3 *db = testdb_open();
	uk_report_summary s;

	verify_run(db);
	entry(db, "C:\\Users\\bob\\only-here.docx", "missing", 1, 0);
	sqlite3_set_authorizer(db, deny_max, NULL);
	assert_int_equal(uk_report_analyze(db, &s), UK_EXIT_RUNTIME);
	sqlite3_set_authorizer(db, NULL, NULL);
	assert_int_equal(uk_report_analyze(db, &s), 0);
	assert_int_equal(s.risk, UK_RISK_CRITICAL);
	uk_db_close(db);
}

static int teardown(void **state)
{
	testdb_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_log_alone_is_none),
		cmocka_unit_test(test_c_run_without_verify),
		cmocka_unit_test(test_join_with_verdicts),
		cmocka_unit_test(test_map_rules_applied),
		cmocka_unit_test(test_last_loadstate_run),
		cmocka_unit_test(test_progress_abort_without_main_log),
		cmocka_unit_test(test_failed_count_is_no_risk),
	};
	uk_out_init("test_report_risk");
	uk_out_quiet(1);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
