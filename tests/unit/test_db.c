#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db.h"

#define DB "test_db.tmp.db"

static void cleanup(void)
{
	remove(DB);
	remove(DB "-wal");
	remove(DB "-shm");
}

static int setup(void **state)
{
	cleanup();
	return 0;
}

static int teardown(void **state)
{
	cleanup();
	return 0;
}

static int scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int scalar_path(const char *path, const char *sql)
{
	sqlite3 *db;
	int v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	v = scalar(db, sql);
	sqlite3_close(db);
	return v;
}

static void creates_schema_once(void **state)
{
	sqlite3 *db;
	char err[256];

	assert_int_equal(uk_db_open(DB, 1, &db, err, sizeof(err)), SQLITE_OK);
	assert_int_equal(scalar(db, "PRAGMA user_version"), UK_DB_SCHEMA_VERSION);
	assert_int_equal(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name='entry'"), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM meta"), 1);
	uk_db_close(db);
	/* Re-open: no second migration, the row is still alone. */
	assert_int_equal(uk_db_open(DB, 0, &db, err, sizeof(err)), SQLITE_OK);
	assert_int_equal(scalar(db, "SELECT count(*) FROM meta"), 1);
	uk_db_close(db);
}

/* A database written by version 1 (its SQL is never edited) gains the
 * baseline table and keeps every row. */
static void migrates_version_1(void **state)
{
	const char *const v1[] = { uk_schema_common, uk_schema_verify, uk_schema_report,
	                           uk_schema_purge };
	sqlite3 *db, *raw;
	char err[256];

	assert_int_equal(sqlite3_open(DB, &raw), SQLITE_OK);
	for (size_t i = 0; i < sizeof(v1) / sizeof(v1[0]); i++)
		assert_int_equal(sqlite3_exec(raw, v1[i], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "INSERT INTO meta VALUES('created_by', 'usmtkit 1');"
	                              "INSERT INTO store(path, kind) VALUES('/s', 'hardlink');"
	                              "INSERT INTO verify_run(started, version, result) "
	                              "VALUES('2026-01-01T00:00:00Z', '1', 'ok');"
	                              "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(scalar_path(DB, "SELECT count(*) FROM sqlite_master "
	                             "WHERE name = 'baseline'"), 0);
	assert_int_equal(uk_db_open(DB, 0, &db, err, sizeof(err)), SQLITE_OK);
	assert_int_equal(scalar(db, "PRAGMA user_version"), UK_DB_SCHEMA_VERSION);
	assert_int_equal(scalar(db, "SELECT count(*) FROM verify_run WHERE result = 'ok'"), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM store WHERE path = '/s'"), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM meta"), 1);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO baseline VALUES(1, 'C$/a', 1, 2, 0, "
	                              "'00', 'm', 't')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(scalar(db, "SELECT count(*) FROM baseline"), 1);
	uk_db_close(db);
}

/* A version-2 pending list (a purge scheduled leftovers, then usmtkit was
 * upgraded): its store entries get the identity and type their verify run
 * recorded, so --run-pending can re-check them; a folder keeps none. */
static void migrates_version_2_pending(void **state)
{
	const char *const v2[] = { uk_schema_common, uk_schema_verify, uk_schema_report,
	                           uk_schema_purge, uk_schema_v2_baseline };
	sqlite3 *db, *raw;
	char err[256];

	assert_int_equal(sqlite3_open(DB, &raw), SQLITE_OK);
	for (size_t i = 0; i < sizeof(v2) / sizeof(v2[0]); i++)
		assert_int_equal(sqlite3_exec(raw, v2[i], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "INSERT INTO meta VALUES('created_by', 'usmtkit 2');"
	                              "INSERT INTO store(path, kind) VALUES('/s', 'hardlink');"
	                              "INSERT INTO verify_run(id, started, finished, version) "
	                              "VALUES(7, 't', 't', '2');"
	                              "INSERT INTO entry(run_id, store_id, rel, win_path, "
	                              "local_path, type, verdict, fid) VALUES(7, 1, 'C$/a', "
	                              "'C:\\a', '/c/a', 'file', 'linked', '0001:02');"
	                              "INSERT INTO purge_run(id, verify_run_id, mode, started, "
	                              "version) VALUES(3, 7, 'purge', 't', '2');"
	                              "INSERT INTO purge_pending(path, run_id, store_id, phase, "
	                              "rel, seq, os_scheduled, added) VALUES('/s/USMT/File/C$/a', "
	                              "3, 1, 1, 'C$/a', 1, 0, 't'), ('/s/USMT/File/C$', 3, 1, 2, "
	                              "'C$', 2, 0, 't');"
	                              "PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(uk_db_open(DB, 0, &db, err, sizeof(err)), SQLITE_OK);
	assert_int_equal(scalar(db, "PRAGMA user_version"), 3);
	assert_int_equal(scalar(db, "SELECT count(*) FROM purge_pending WHERE phase = 1 AND "
	                        "fid = '0001:02' AND type = 'file' AND size IS NULL AND "
	                        "mtime IS NULL"), 1);
	assert_int_equal(scalar(db, "SELECT count(*) FROM purge_pending WHERE phase = 2 AND "
	                        "fid IS NULL AND type IS NULL"), 1);
	uk_db_close(db);
}

static void store_ids_are_stable(void **state)
{
	sqlite3 *db;
	char err[256];
	int64_t a, b, c;

	assert_int_equal(uk_db_open(DB, 1, &db, err, sizeof(err)), SQLITE_OK);
	a = uk_db_store_id(db, "/x/USMTMIG", "hardlink");
	b = uk_db_store_id(db, "/y/USMTMIG", "uncompressed");
	c = uk_db_store_id(db, "/x/USMTMIG", "hardlink");
	assert_true(a > 0 && b > 0);
	assert_true(a != b);
	assert_int_equal(a, c);
	uk_db_close(db);
}

static void refuses_newer_and_foreign(void **state)
{
	sqlite3 *db, *raw;
	char err[256];

	assert_int_equal(sqlite3_open(DB, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_not_equal(uk_db_open(DB, 1, &db, err, sizeof(err)), SQLITE_OK);
	assert_null(db);
	assert_non_null(strstr(err, "newer"));
	cleanup();
	/* Without create, an empty file is not a usmtkit database. */
	assert_int_equal(sqlite3_open(DB, &raw), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_not_equal(uk_db_open(DB, 0, &db, err, sizeof(err)), SQLITE_OK);
	assert_non_null(strstr(err, "not a usmtkit database"));
	/* A missing file without create is an error, not a new database. */
	cleanup();
	assert_int_not_equal(uk_db_open(DB, 0, &db, err, sizeof(err)), SQLITE_OK);
}

/* Another program's SQLite file is refused even with create, never written:
 * no usmtkit table is added to it. An empty file is initialised. */
static void refuses_other_programs_database(void **state)
{
	sqlite3 *db, *raw;
	char err[256];
	int rc;

	assert_int_equal(sqlite3_open(DB, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "CREATE TABLE photos(id INTEGER)", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);
	rc = uk_db_open(DB, 1, &db, err, sizeof(err));
	assert_int_not_equal(rc, SQLITE_OK);
	assert_true(uk_db_err_notadb(rc));
	assert_null(db);
	assert_non_null(strstr(err, "not a usmtkit database"));
	assert_int_equal(sqlite3_open(DB, &raw), SQLITE_OK);
	assert_int_equal(scalar(raw, "SELECT count(*) FROM sqlite_master"), 1);
	sqlite3_close(raw);
	/* Not switched to WAL either: header bytes 18-19 are 1 (rollback journal). */
	FILE *f = fopen(DB, "rb");
	unsigned char h[20];
	assert_non_null(f);
	assert_int_equal(fread(h, 1, sizeof(h), f), sizeof(h));
	fclose(f);
	assert_int_equal(h[18], 1);
	assert_int_equal(h[19], 1);
	cleanup();
	assert_int_equal(sqlite3_open(DB, &raw), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(uk_db_open(DB, 1, &db, err, sizeof(err)), SQLITE_OK);
	uk_db_close(db);
}

static void prepare_says_why(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	char err[256];

	assert_int_equal(uk_db_open(DB, 1, &db, err, sizeof(err)), SQLITE_OK);
	assert_int_not_equal(uk_db_prepare(db, "SELECT * FROM no_such_table", &st), SQLITE_OK);
	assert_null(st);
	assert_int_equal(uk_db_prepare(db, "SELECT 1", &st), SQLITE_OK);
	sqlite3_finalize(st);
	uk_db_close(db);
}

static void add_run(sqlite3 *db, int finished, const char *stores)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO verify_run(started, finished, version, host, "
	         "command_line) VALUES('t', %s, 'v', 'h', 'c')", finished ? "'t'" : "NULL");
	assert_int_equal(uk_db_exec(db, sql), SQLITE_OK);
	long long run = (long long)sqlite3_last_insert_rowid(db);
	for (const char *p = stores; *p; p++) {
		snprintf(sql, sizeof(sql), "INSERT INTO verify_run_store VALUES(%lld, %c)", run, *p);
		assert_int_equal(uk_db_exec(db, sql), SQLITE_OK);
	}
}

static int64_t run_for(sqlite3 *db, const int64_t *ids, size_t n)
{
	int64_t run = -1;

	assert_int_equal(uk_db_verify_run(db, ids, n, &run), 0);
	return run;
}

/* The latest finished run covering every store asked about; with none
 * given, every store the database knows. */
static void verify_run_covers_all_stores(void **state)
{
	const int64_t a[] = { 1 }, b[] = { 2 }, ab[] = { 1, 2 }, c[] = { 3 };
	sqlite3 *db;
	char err[256];

	assert_int_equal(uk_db_open(DB, 1, &db, err, sizeof(err)), SQLITE_OK);
	assert_int_equal(run_for(db, NULL, 0), 0);
	assert_true(uk_db_store_id(db, "/a", "hardlink") == 1);
	assert_true(uk_db_store_id(db, "/b", "hardlink") == 2);
	add_run(db, 1, "12"); /* 1 */
	add_run(db, 1, "1");  /* 2 */
	add_run(db, 0, "12"); /* 3: interrupted, never counts */
	assert_int_equal(run_for(db, a, 1), 2);
	assert_int_equal(run_for(db, b, 1), 1);
	assert_int_equal(run_for(db, ab, 2), 1);
	assert_int_equal(run_for(db, NULL, 0), 1);
	assert_int_equal(run_for(db, c, 1), 0);
	uk_db_close(db);
}

static void default_path(void **state)
{
	char *p = uk_db_default_path("C:\\USMTMIG\\");

	assert_string_equal(p, "C:\\USMTMIG.usmtkit.db");
	free(p);
	p = uk_db_default_path("/mnt/c/USMTMIG/");
	assert_string_equal(p, "/mnt/c/USMTMIG.usmtkit.db");
	free(p);
}

static void now_is_iso_utc(void **state)
{
	char b[24];

	uk_db_now(b);
	assert_int_equal(strlen(b), 20);
	assert_int_equal(b[10], 'T');
	assert_int_equal(b[19], 'Z');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(creates_schema_once, setup, teardown),
		cmocka_unit_test_setup_teardown(migrates_version_1, setup, teardown),
		cmocka_unit_test_setup_teardown(migrates_version_2_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(store_ids_are_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_newer_and_foreign, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_other_programs_database, setup, teardown),
		cmocka_unit_test_setup_teardown(prepare_says_why, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_run_covers_all_stores, setup, teardown),
		cmocka_unit_test(default_path),
		cmocka_unit_test(now_is_iso_utc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
