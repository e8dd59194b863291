/* Shared by the report's unit tests: a scratch database file and small
 * SQL helpers. Logs come from samples/logs under $UK_ROOT (tests/run.sh sets it). */
#ifndef UK_REPORT_TESTDB_H
#define UK_REPORT_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db.h"
#include "../../report/report.h"

#ifdef _WIN32
#include <direct.h>
/* The Windows C runtime has no mkdtemp (these tests also run under Wine). */
static inline char *mkdtemp(char *t)
{
	return _mktemp(t) && _mkdir(t) == 0 ? t : NULL;
}
#endif

static char scratch_dir[256];

static inline const char *scratch(const char *name)
{
	static char buf[4][512];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, 512, "%s/%s", scratch_dir, name);
	return b;
}

/* A file of the source tree: tests run in a scratch folder, UK_ROOT is the tree. */
static inline const char *root_path(const char *rel)
{
	static char buf[4][1024];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, 1024, "%s/%s", getenv("UK_ROOT") ? getenv("UK_ROOT") : ".", rel);
	return b;
}

static inline sqlite3 *testdb_open(void)
{
	char err[512];
	sqlite3 *db = NULL;

	if (!scratch_dir[0]) {
		snprintf(scratch_dir, sizeof scratch_dir, "%s/usmtkit-report-unit.XXXXXX",
		         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		assert_non_null(mkdtemp(scratch_dir));
	}
	unlink(scratch("t.db"));
	unlink(scratch("t.db-wal"));
	unlink(scratch("t.db-shm"));
	assert_int_equal(uk_db_open(scratch("t.db"), 1, &db, err, sizeof err), SQLITE_OK);
	assert_int_equal(uk_report_sql_functions(db), 0);
	return db;
}

static inline void testdb_cleanup(void)
{
	const char *names[] = { "t.db", "t.db-wal", "t.db-shm", "grow.log", "x.log" };

	if (!scratch_dir[0])
		return;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(scratch(names[i]));
	rmdir(scratch_dir);
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
