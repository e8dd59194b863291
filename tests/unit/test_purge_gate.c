/* usmt-purge's gate and journal on a real SQLite database built with the
 * project's schema: which verify run opens the gate and why one refuses;
 * resuming a killed run; what blocks a folder; dry runs on TEMP tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db.h"
#include "exitcode.h"
#include "fs.h"
#include "out.h"
#include "../../purge/purge.h"

static char *dbpath;
static sqlite3 *db;
static uk_purge_opts opts;
static uk_purge p;
static char *stores[2];

static void sql(const char *s)
{
	char *msg = NULL;

	if (sqlite3_exec(db, s, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", s, msg);
}

static long long one(const char *s)
{
	sqlite3_stmt *q;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, s, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static int setup(void **state)
{
	char err[256];
	size_t i;

	/* tests/run.sh runs each unit test in a scratch folder of its own. */
	dbpath = strdup("tmp-test-purge-gate.db");
	uk_fs_unlink(dbpath);
	assert_int_equal(uk_db_open(dbpath, 1, &db, err, sizeof(err)), SQLITE_OK);
	sql("INSERT INTO store(id, path, kind) VALUES(1, '/no/such/s1', 'hardlink'),"
	    "(2, '/no/such/s2', 'hardlink')");
	memset(&opts, 0, sizeof(opts));
	memset(&p, 0, sizeof(p));
	opts.stores = stores;
	opts.nstores = 1;
	p.o = &opts;
	p.db = db;
	p.db_path = dbpath;
	p.nst = 1;
	p.st = calloc(2, sizeof(*p.st));
	for (i = 0; i < 2; i++) {
		p.st[i].id = (int64_t)i + 1;
		p.st[i].arg = i ? "/no/such/s2" : "/no/such/s1";
		p.st[i].path = strdup(p.st[i].arg);
		p.st[i].usmt = uk_path_join(p.st[i].path, "USMT");
		p.st[i].file_dir = uk_path_join(p.st[i].usmt, "File");
	}
	p.result = "none";
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	uk_purge_journal_free(&p);
	uk_db_close(db);
	for (i = 0; i < 2; i++) {
		free(p.st[i].path);
		free(p.st[i].usmt);
		free(p.st[i].file_dir);
	}
	free(p.st);
	uk_fs_unlink(dbpath);
	free(dbpath);
	return 0;
}

static void run(int id, int finished, const char *stores_csv)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "INSERT INTO verify_run(id, started, finished, version) "
	         "VALUES(%d, '2026-01-01T00:00:00Z', %s, 't');"
	         "INSERT INTO verify_run_store SELECT %d, id FROM store WHERE id IN (%s)",
	         id, finished ? "'2026-01-01T00:01:00Z'" : "NULL", id, stores_csv);
	sql(buf);
}

static void entry(int run_id, int store, const char *rel, const char *verdict, int sole)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "INSERT INTO entry(run_id, store_id, rel, win_path, "
	         "local_path, type, verdict, sole_copy) VALUES(%d, %d, '%s', 'C:\\x', '/x', "
	         "'file', '%s', %d)", run_id, store, rel, verdict, sole);
	sql(buf);
}

static void test_gate(void **state)
{
	/* Nothing yet. */
	assert_int_equal(uk_purge_gate(&p, 1), UK_EXIT_FINDINGS);
	assert_string_equal(p.result, "refused");
	assert_non_null(strstr(p.reason, "no finished verify run"));

	/* An interrupted run is never trusted, and named as such. */
	run(1, 0, "1");
	entry(1, 1, "C$/a", "linked", 0);
	assert_int_equal(uk_purge_gate(&p, 1), UK_EXIT_FINDINGS);
	assert_non_null(strstr(p.reason, "verify run 1 is unfinished (interrupted, or still "
	                       "running) and is not trusted"));

	/* A finished run with a missing file and a sole copy; an excluded
	 * file marked sole_copy does not count. */
	run(2, 1, "1");
	entry(2, 1, "C$/a", "linked", 0);
	entry(2, 1, "C$/lost", "missing", 1);
	entry(2, 1, "C$/log", "excluded", 1);
	entry(2, 1, "C$/bad", "unreadable", 0);
	assert_int_equal(uk_purge_gate(&p, 1), UK_EXIT_FINDINGS);
	assert_int_equal(p.verify_run, 2);
	assert_non_null(strstr(p.reason, "1 missing, 1 unreadable and 1 sole-copy"));
	/* Not deleting (--readonly-only): any finished run will do. */
	p.verify_run = 0;
	assert_int_equal(uk_purge_gate(&p, 0), 0);
	assert_int_equal(p.verify_run, 2);
	/* --force opens it; sole copies are kept later, entry by entry. */
	opts.force = 1;
	assert_int_equal(uk_purge_gate(&p, 1), 0);
	opts.force = 0;

	/* A newer clean run of the same store opens it. */
	run(3, 1, "1");
	entry(3, 1, "C$/a", "linked", 0);
	entry(3, 1, "C$/log", "excluded", 1);
	assert_int_equal(uk_purge_gate(&p, 1), 0);
	assert_int_equal(p.verify_run, 3);

	/* Two stores: run 3 covers only the first; run 4 covers both. */
	p.nst = 2;
	p.verify_run = 0;
	assert_int_equal(uk_purge_gate(&p, 1), UK_EXIT_FINDINGS);
	assert_non_null(strstr(p.reason, "all these stores"));
	run(4, 1, "1, 2");
	entry(4, 2, "D$/d", "identical", 0);
	assert_int_equal(uk_purge_gate(&p, 1), 0);
	assert_int_equal(p.verify_run, 4);
	/* A store the database never saw. */
	p.st[1].id = -1;
	assert_int_equal(uk_purge_gate(&p, 1), UK_EXIT_FINDINGS);
	assert_non_null(strstr(p.reason, "holds no verify run of this store"));
	p.st[1].id = 2;
	p.nst = 1;
}

static void test_journal(void **state)
{
	int64_t first;
	uk_purge_side count;

	uk_out_quiet(1);
	run(1, 1, "1");
	entry(1, 1, "C$/a/b/c.txt", "linked", 0);
	entry(1, 1, "C$/a/b-x/y", "linked", 0);
	entry(1, 1, "C$/a/b.txt", "linked", 0);
	entry(1, 1, "C$/a/b0/z", "linked", 0);
	sql("INSERT INTO entry_dir(run_id, store_id, rel) VALUES(1, 1, 'C$'), (1, 1, 'C$/a'),"
	    "(1, 1, 'C$/a/b'), (1, 1, 'C$/a/b-x'), (1, 1, 'C$/a/b0')");
	assert_int_equal(uk_purge_gate(&p, 1), 0);

	/* The whole plan is committed before anything is touched. */
	assert_int_equal(uk_purge_run_begin(&p, "purge"), 0);
	first = p.run;
	assert_false(p.resumed);
	assert_int_equal(one("SELECT count(*) FROM purge_step WHERE state = 'planned'"), 4 + 5 + 3);
	assert_int_equal(one("SELECT count(*) FROM purge_step WHERE phase = 6 AND rel = ''"), 1);
	assert_int_equal(sqlite3_get_autocommit(db), 1);

	/* What blocks a folder: only what lies below it. */
	assert_int_equal(uk_purge_tx_begin(&p), 0);
	assert_int_equal(uk_purge_step_set(&p, 1, 1, "C$/a/b-x/y", "kept", "test"), 0);
	assert_int_equal(uk_purge_step_set(&p, 1, 1, "C$/a/b.txt", "kept", "test"), 0);
	assert_int_equal(uk_purge_step_set(&p, 1, 1, "C$/a/b0/z", "scheduled", "test"), 0);
	assert_int_equal(uk_purge_step_set(&p, 1, 1, "C$/a/b/c.txt", "done", NULL), 0);
	assert_int_equal(uk_purge_tx_commit(&p), 0);
	assert_int_equal(uk_purge_below(&p, 1, 2, "C$/a/b"), 0);
	assert_int_equal(uk_purge_below(&p, 1, 2, "C$/a/b-x"), UK_PURGE_BELOW_KEPT);
	assert_int_equal(uk_purge_below(&p, 1, 2, "C$/a/b0"), UK_PURGE_BELOW_SCHEDULED);
	assert_int_equal(uk_purge_below(&p, 1, 2, "C$/a"),
	                 UK_PURGE_BELOW_KEPT | UK_PURGE_BELOW_SCHEDULED);
	assert_int_equal(uk_purge_below(&p, 1, 3, "USMT/File"),
	                 UK_PURGE_BELOW_KEPT | UK_PURGE_BELOW_SCHEDULED);

	/* Killed before finishing: the next run of the same verify run resumes it. */
	p.run = 0;
	assert_int_equal(uk_purge_run_begin(&p, "purge"), 0);
	assert_int_equal(p.run, first);
	assert_true(p.resumed);
	/* Counted on a second connection: it sees what was committed. */
	uk_purge_count_start(&p, &count);
	assert_int_equal(uk_purge_count_finish(&p, &count), 0);
	assert_int_equal(p.c.kept, 2);
	assert_int_equal(p.c.scheduled, 1);
	assert_int_equal(p.c.deleted_files, 1);
	p.result = "purged";
	assert_int_equal(uk_purge_run_finish(&p), 0);
	assert_int_equal(one("SELECT count(*) FROM purge_run WHERE finished IS NOT NULL"), 1);
	/* Finished: the next purge is a new run with a new plan. */
	p.resumed = 0;
	assert_int_equal(uk_purge_run_begin(&p, "purge"), 0);
	assert_int_not_equal(p.run, first);
	assert_false(p.resumed);
}

static void test_dry_tables(void **state)
{
	run(1, 1, "1");
	entry(1, 1, "C$/a", "linked", 0);
	assert_int_equal(uk_purge_gate(&p, 1), 0);
	assert_int_equal(uk_purge_run_begin(&p, "purge"), 0);
	p.run = 0;
	sql("UPDATE purge_run SET finished = 'x'");
	opts.dry_run = 1;
	assert_int_equal(uk_purge_dry_tables(&p), 0);
	/* The TEMP copy holds what the file holds ... */
	assert_int_equal(one("SELECT count(*) FROM purge_step"), 1 + 3); /* entry, File, USMT, root */
	/* ... and a dry run's plan lands there only. */
	assert_int_equal(uk_purge_run_begin(&p, "purge"), 0);
	assert_int_equal(one("SELECT count(*) FROM purge_run"), 2);
	assert_int_equal(one("SELECT count(*) FROM main.purge_run"), 1);
	assert_int_equal(one("SELECT count(*) FROM main.purge_step"), 1 + 3);
	opts.dry_run = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_tables, setup, teardown),
	};
	uk_out_init("test_purge_gate");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
