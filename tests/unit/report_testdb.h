/* Shared by the report's unit tests: a scratch database file and small
 * SQL helpers. Logs come from samples/logs under $UK_ROOT (tests/run.sh sets it). */
#ifndef UK_REPORT_TESTDB_H
#define UK_REPORT_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "fs.h"
#include "../../report/report.h"

/* tests/run.sh runs each unit test in a scratch folder of its own: work there. */
static const char scratch_dir[] = "report-unit-scratch";

static inline const char *scratch(const char *name)
{
	static char buf[4][512];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, 512, "%s%c%s", scratch_dir, UK_SEP, name);
	return b;
}

/* A file of the source tree: UK_ROOT is the tree (tests/run.sh sets it). */
static inline const char *root_path(const char *rel)
{
	static char buf[4][1024];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, 1024, "%s%c%s", getenv("UK_ROOT") ? getenv("UK_ROOT") : ".", UK_SEP, rel);
	for (char *p = b; *p; p++)
		if (*p == '/')
			*p = UK_SEP;
	return b;
}

static inline sqlite3 *testdb_open(void)
{
	const char *names[] = { "t.db", "t.db-wal", "t.db-shm" };
	char err[512];
	sqlite3 *db = NULL;

	assert_int_equal(uk_fs_mkdir_p(scratch_dir), 0);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		uk_fs_unlink(scratch(names[i]));
	assert_int_equal(uk_db_open(scratch("t.db"), 1, &db, err, sizeof err), SQLITE_OK);
	assert_int_equal(uk_report_sql_functions(db), 0);
	return db;
}

static inline void testdb_cleanup(void)
{
	const char *names[] = { "t.db", "t.db-wal", "t.db-shm", "grow.log", "x.log" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		uk_fs_unlink(scratch(names[i]));
	uk_fs_rmdir(scratch_dir);
}

static inline long long q(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first column of the first row as a string (static buffer), "" if none. */
static inline const char *qs(sqlite3 *db, const char *sql)
{
	static char buf[4096];
	sqlite3_stmt *st;

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static inline void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fprintf(stderr, "SQL error: %s\n", msg);
	sqlite3_free(msg);
	assert_int_equal(rc, SQLITE_OK);
}

static inline void write_file(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#endif
