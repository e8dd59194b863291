/* Logs into a real SQLite database: every finding lands in its table, and
 * reading a log again never duplicates anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "exitcode.h"
#include "hash.h"
#include "out.h"
#include "report_testdb.h"

#define SAMPLE(name) root_path("samples/logs/" name)

static void test_c_run_rows(void **state)
{
	sqlite3 *db = testdb_open();

	assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-c.log")), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM log_file"), 1);
	assert_string_equal(qs(db, "SELECT kind || ' ' || encoding || ' ' || crlf FROM log_file"),
	                    "usmt utf-8 1");
	assert_int_equal(q(db, "SELECT count(*) FROM log_run"), 1);
	assert_string_equal(qs(db, "SELECT program || ' ' || version || ' ' || used_c || ' ' || "
	                    "errors_ignored || ' ' || return_code || ' ' || aborted FROM log_run"),
	                    "loadstate 10.0.19041 1 3 3 0");
	assert_int_equal(q(db, "SELECT count(*) FROM log_event"), 4);
	assert_int_equal(q(db, "SELECT count(*) FROM log_event WHERE level = 'error'"), 2);
	assert_string_equal(qs(db, "SELECT group_concat(win32, ',') FROM log_event"),
	                    "1332,395,32,33");
	assert_int_equal(q(db, "SELECT count(*) FROM log_event WHERE gle = 32 AND win32 = 32"), 1);
	assert_string_equal(qs(db, "SELECT sid FROM log_skipped_profile"),
	                    "S-1-5-21-91555185-1181623535-1233803906-1640");
	assert_string_equal(qs(db, "SELECT group_concat(win32 || ':' || recurrence, ',') "
	                    "FROM log_error_summary"), "395:1,32:1,33:1");
	assert_string_equal(qs(db, "SELECT path FROM log_event WHERE win32 = 33"),
	                    "C:\\Users\\zoë\\Pictures\\Ski trip, 2023\\DSC_0412.JPG");
	uk_db_close(db);
}

static void test_reingest_no_duplicates(void **state)
{
	sqlite3 *db = testdb_open();

	for (int i = 0; i < 3; i++)
		assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-c.log")), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM log_file"), 1);
	assert_int_equal(q(db, "SELECT count(*) FROM log_run"), 1);
	assert_int_equal(q(db, "SELECT count(*) FROM log_event"), 4);
	assert_int_equal(q(db, "SELECT count(*) FROM log_skipped_profile"), 1);
	assert_int_equal(q(db, "SELECT count(*) FROM log_error_summary"), 3);
	uk_db_close(db);
}

/* A log that grew by an appended run is read again whole, replacing its rows. */
static void test_grown_log_replaced(void **state)
{
	sqlite3 *db = testdb_open();
	const char *run1 =
		"2024-01-24 09:00:00, Info                  [0x000000] LOADSTATE.EXE Version 10.0.1\n"
		"2024-01-24 09:00:00, Info                  [0x000000] USMT Started at 2024/01/24:09:00:00.000\n"
		"2024-01-24 09:00:05, Error                 [0x000000] Read error 5 for C:\\a\\b.txt\n";
	const char *run2 =
		"2024-01-24 10:00:00, Info                  [0x000000] LOADSTATE.EXE Version 10.0.1\n"
		"2024-01-24 10:00:00, Info                  [0x000000] USMT Started at 2024/01/24:10:00:00.000\n"
		"2024-01-24 10:00:09, Info                  [0x000000] USMT Completed at 2024/01/24:10:00:09.000\n";

	write_file(scratch("grow.log"), "wb", run1);
	assert_int_equal(uk_report_ingest(db, scratch("grow.log")), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM log_run"), 1);
	assert_int_equal(q(db, "SELECT aborted FROM log_run"), 1);
	write_file(scratch("grow.log"), "ab", run2);
	assert_int_equal(uk_report_ingest(db, scratch("grow.log")), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM log_file"), 1);
	assert_int_equal(q(db, "SELECT count(*) FROM log_run"), 2);
	assert_int_equal(q(db, "SELECT count(*) FROM log_event"), 1);
	assert_string_equal(qs(db, "SELECT group_concat(aborted, ',') FROM (SELECT aborted FROM "
	                    "log_run ORDER BY seq)"), "1,0");
	uk_db_close(db);
}

/* An edit that keeps the size is still seen (the size alone never skips a log),
 * and the hash taken while parsing is the file's. */
static void test_same_size_edit_replaced(void **state)
{
	sqlite3 *db = testdb_open();
	const char *head =
		"2024-01-24 09:00:00, Info                  [0x000000] LOADSTATE.EXE Version 10.0.1\n"
		"2024-01-24 09:00:00, Info                  [0x000000] USMT Started at 2024/01/24:09:00:00.000\n";
	char *text = malloc(strlen(head) + 128), hex[UK_HASH_STRLEN];
	uk_hash128 h;
	uint64_t bytes;

	assert_non_null(text);
	sprintf(text, "%s%s", head, "2024-01-24 09:00:05, Error                 [0x000000] "
	        "Read error 5 for C:\\a\\b.txt\n");
	write_file(scratch("edit.log"), "wb", text);
	assert_int_equal(uk_report_ingest(db, scratch("edit.log")), 0);
	assert_int_equal(uk_hash_file(scratch("edit.log"), &h, &bytes), 0);
	uk_hash_str(&h, hex);
	assert_string_equal(qs(db, "SELECT hash FROM log_file"), hex);
	assert_int_equal(q(db, "SELECT size FROM log_file"), (long long)bytes);
	assert_string_equal(qs(db, "SELECT win32 FROM log_event"), "5");

	sprintf(text, "%s%s", head, "2024-01-24 09:00:05, Error                 [0x000000] "
	        "Read error 3 for C:\\a\\b.txt\n");
	write_file(scratch("edit.log"), "wb", text);
	assert_int_equal(uk_report_ingest(db, scratch("edit.log")), 0);
	assert_int_equal(q(db, "SELECT count(*) FROM log_file"), 1);
	assert_int_equal(q(db, "SELECT size FROM log_file"), (long long)bytes);
	assert_int_equal(q(db, "SELECT count(*) FROM log_event"), 1);
	assert_string_equal(qs(db, "SELECT win32 FROM log_event"), "3");
	assert_int_equal(uk_hash_file(scratch("edit.log"), &h, &bytes), 0);
	uk_hash_str(&h, hex);
	assert_string_equal(qs(db, "SELECT hash FROM log_file"), hex);
	free(text);
	uk_db_close(db);
}

static void test_utf16_and_progress(void **state)
{
	sqlite3 *db = testdb_open();

	assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-c-utf16.log")), 0);
	assert_string_equal(qs(db, "SELECT encoding FROM log_file"), "utf-16le");
	assert_int_equal(q(db, "SELECT count(*) FROM log_event"), 4);
	assert_int_equal(uk_report_ingest(db, SAMPLE("loadstate-progress.log")), 0);
	assert_string_equal(qs(db, "SELECT program || ' ' || computer || ' ' || ignored || ' ' || "
	                    "errors || ' ' || aborted FROM progress_log"), "loadstate PC-0042 3 3 0");
	assert_string_equal(qs(db, "SELECT group_concat(action || ':' || win32, ',') FROM "
	                    "progress_error"), "Ignore:395,Ignore:32,Ignore:33");
	assert_int_equal(q(db, "SELECT count(*) FROM log_run"), 1);
	uk_db_close(db);
}

static void test_unknown_lines_kept(void **state)
{
	sqlite3 *db = testdb_open();
	char junk[8192] = "";

	for (int i = 0; i < 150; i++)
		strcat(junk, "junk\n");
	write_file(scratch("x.log"), "wb", junk);
	assert_int_equal(uk_report_ingest(db, scratch("x.log")), 0);
	assert_string_equal(qs(db, "SELECT kind FROM log_file"), "empty");
	assert_int_equal(q(db, "SELECT unknown_lines FROM log_file"), 150);
	assert_int_equal(q(db, "SELECT count(*) FROM log_unknown"), 100);
	uk_db_close(db);
}

static void test_unreadable(void **state)
{
	sqlite3 *db = testdb_open();

	assert_int_equal(uk_report_ingest(db, scratch("no-such.log")), UK_EXIT_USAGE);
	assert_int_equal(uk_report_ingest(db, root_path("samples")), UK_EXIT_USAGE);
	assert_int_equal(q(db, "SELECT count(*) FROM log_file"), 0);
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
		cmocka_unit_test(test_c_run_rows),
		cmocka_unit_test(test_reingest_no_duplicates),
		cmocka_unit_test(test_grown_log_replaced),
		cmocka_unit_test(test_same_size_edit_replaced),
		cmocka_unit_test(test_utf16_and_progress),
		cmocka_unit_test(test_unknown_lines_kept),
		cmocka_unit_test(test_unreadable),
	};
	uk_out_init("test_report_ingest");
	uk_out_quiet(1);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
