#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exitcode.h"
#include "fs.h"
#include "out.h"

static int exec_err(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc;
}

/* The one integer a query returns. */
static int query_int(sqlite3 *db, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int user_version(sqlite3 *db, int *v)
{
	return query_int(db, "PRAGMA user_version", v);
}

/* Version 0 -> 1 creates everything. Later versions add a step here and
 * never edit what a released version created. */
static int migrate(sqlite3 *db, int from, char *err, size_t errlen)
{
	char sql[64];
	int rc;

	if (from >= UK_DB_SCHEMA_VERSION)
		return SQLITE_OK;
	rc = exec_err(db, "BEGIN IMMEDIATE", err, errlen);
	if (rc != SQLITE_OK)
		return rc;
	/* Re-read inside the write lock: another process may have migrated. */
	if ((rc = user_version(db, &from)) != SQLITE_OK)
		goto fail;
	if (from == 0) {
		const char *const parts[] = { uk_schema_common, uk_schema_verify,
		                              uk_schema_report, uk_schema_purge };
		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			if ((rc = exec_err(db, parts[i], err, errlen)) != SQLITE_OK)
				goto fail;
		rc = exec_err(db, "INSERT INTO meta(key, value) VALUES('created_by', 'usmtkit "
		                  UK_VERSION "')", err, errlen);
		if (rc != SQLITE_OK)
			goto fail;
	}
	/* 1 -> 2: the baseline table (usmt-verify --baseline). */
	if (from < 2 && (rc = exec_err(db, uk_schema_v2_baseline, err, errlen)) != SQLITE_OK)
		goto fail;
	/* 2 -> 3: what a pending leftover was when it was scheduled. */
	if (from < 3 && ((rc = exec_err(db, uk_schema_v3_purge, err, errlen)) != SQLITE_OK ||
	                 (rc = exec_err(db, uk_schema_v3_fill, err, errlen)) != SQLITE_OK))
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", UK_DB_SCHEMA_VERSION);
	if ((rc = exec_err(db, sql, err, errlen)) != SQLITE_OK)
		goto fail;
	return exec_err(db, "COMMIT", err, errlen);
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int uk_db_open(const char *path, int create, sqlite3 **out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	int rc, v = 0, objects = 0;
	char why[512] = "";

	*out = NULL;
	rc = sqlite3_open_v2(path, &db, flags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
		         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return rc;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 10000);
	/* Before any pragma writes to it (WAL changes the header): a newer
	 * usmtkit's database is not ours to change, and version 0 with tables
	 * is another program's, where adding ours would hide that the wrong
	 * file was given. */
	if ((rc = user_version(db, &v)) != SQLITE_OK ||
	    (v == 0 && (rc = query_int(db, "SELECT count(*) FROM sqlite_master", &objects)) !=
	     SQLITE_OK)) {
		snprintf(why, sizeof(why), "%s", sqlite3_errmsg(db));
		goto fail;
	}
	if (v > UK_DB_SCHEMA_VERSION) {
		snprintf(why, sizeof(why),
		         "schema version %d is newer than this usmtkit understands (%d)", v,
		         UK_DB_SCHEMA_VERSION);
		rc = SQLITE_ERROR;
		goto fail;
	}
	if (v == 0 && objects > 0) {
		snprintf(why, sizeof(why), "not a usmtkit database (it holds another "
		         "program's tables): refused, left untouched");
		rc = SQLITE_NOTADB;
		goto fail;
	}
	if (v == 0 && !create) {
		snprintf(why, sizeof(why), "not a usmtkit database");
		rc = SQLITE_NOTADB;
		goto fail;
	}
	/* A new file gets 16 KiB pages (SQLite's default is 4 KiB), fixed from
	 * its first write on: verify writes a row of ~400 bytes per store entry,
	 * and a quarter of the pages is less than half the WAL writes and a
	 * seventh of the checkpoint reads, 10 % of a linked run's CPU time
	 * (docs/BENCHMARKS.md). An existing file keeps its page size. */
	if (v == 0 && objects == 0 &&
	    (rc = exec_err(db, "PRAGMA page_size=16384", why, sizeof(why))) != SQLITE_OK)
		goto fail;
	/* WAL: readers (report) never block the writer; a killed writer loses
	 * nothing it committed. synchronous=FULL: a commit survives power loss,
	 * which the purge journal relies on. */
	if ((rc = exec_err(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                       "PRAGMA foreign_keys=ON;", why, sizeof(why))) != SQLITE_OK)
		goto fail;
	if ((rc = migrate(db, v, why, sizeof(why))) != SQLITE_OK)
		goto fail;
	*out = db;
	return SQLITE_OK;
fail:
	snprintf(err, errlen, "database %s: %s", path, why);
	sqlite3_close(db);
	return rc ? rc : SQLITE_ERROR;
}

int uk_db_create_private(const char *tmp, sqlite3 **out, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	char why[512] = "";

	*out = NULL;
	if (rc != SQLITE_OK) {
		snprintf(why, sizeof(why), "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db, 1);
	/* 16 KiB pages: see uk_db_open(). */
	rc = exec_err(db, "PRAGMA page_size=16384; PRAGMA journal_mode=OFF;"
	                  "PRAGMA synchronous=OFF;", why, sizeof(why));
	if (rc == SQLITE_OK)
		rc = migrate(db, 0, why, sizeof(why));
	if (rc == SQLITE_OK) {
		*out = db;
		return SQLITE_OK;
	}
fail:
	snprintf(err, errlen, "database %s: %s", tmp, why);
	sqlite3_close(db);
	return rc ? rc : SQLITE_ERROR;
}

int uk_db_publish(sqlite3 *db, const char *tmp, const char *path, int *fs_err, char *err,
                  size_t errlen)
{
	char why[512] = "", eb[128], *dir = NULL;
	int rc;

	*fs_err = 0;
	/* The header says WAL, so the first reader does not rewrite it (with
	 * the fsyncs of a journal) to get the mode every usmtkit tool uses. */
	rc = exec_err(db, "PRAGMA journal_mode=WAL", why, sizeof(why));
	if (sqlite3_close(db) != SQLITE_OK) {
		if (rc == SQLITE_OK)
			snprintf(why, sizeof(why), "cannot close it: %s", sqlite3_errmsg(db));
		sqlite3_close_v2(db); /* closed once its last statement is */
		rc = rc ? rc : SQLITE_BUSY;
	}
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "database %s: %s", tmp, why);
		return rc;
	}
	if ((*fs_err = uk_fs_sync_file(tmp)) != 0) {
		snprintf(err, errlen, "cannot flush %s to the disk: %s", tmp,
		         uk_fs_strerror(*fs_err, eb, sizeof(eb)));
		return SQLITE_IOERR;
	}
	if ((*fs_err = uk_fs_rename_new(tmp, path)) != 0) {
		snprintf(err, errlen, "cannot move %s to %s: %s", tmp, path,
		         uk_fs_err_exists(*fs_err) ? "it appeared while this run wrote its own "
		         "(another usmt-verify?); run again" : uk_fs_strerror(*fs_err, eb, sizeof(eb)));
		return SQLITE_IOERR;
	}
	/* In place and complete: a folder that cannot be flushed only leaves
	 * the move to the file system's own schedule. */
	dir = uk_path_parent(path);
	if (dir && (rc = uk_fs_sync_dir(dir)) != 0)
		uk_warn("cannot flush the folder %s: %s", dir, uk_fs_strerror(rc, eb, sizeof(eb)));
	free(dir);
	return SQLITE_OK;
}

void uk_db_close(sqlite3 *db)
{
	sqlite3_close(db);
}

char *uk_db_default_path(const char *store_path)
{
	size_t n = strlen(store_path);
	char *r;

	/* "C:\USMTMIG\" and "C:\USMTMIG" name the same store. */
	while (n > 1 && (store_path[n - 1] == '/' || store_path[n - 1] == '\\'))
		n--;
	r = malloc(n + sizeof(".usmtkit.db"));
	if (!r)
		return NULL;
	memcpy(r, store_path, n);
	memcpy(r + n, ".usmtkit.db", sizeof(".usmtkit.db"));
	return r;
}

int uk_db_err_notadb(int rc)
{
	return (rc & 0xff) == SQLITE_NOTADB;
}

int uk_db_open_failed(int rc, const char *err)
{
	uk_error("%s", err);
	return uk_db_err_notadb(rc) ? UK_EXIT_USAGE : UK_EXIT_RUNTIME;
}

int uk_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);

	if (rc != SQLITE_OK)
		uk_error("database: %s (%s)", sqlite3_errmsg(db), sqlite3_errstr(rc));
	return rc;
}

/* 1 when run `run` covered store `store`, 0 when not, -1 on error. */
static int run_covers(sqlite3_stmt *q, int64_t run, int64_t store)
{
	int rc;

	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, run);
	sqlite3_bind_int64(q, 2, store);
	rc = sqlite3_step(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int uk_db_verify_run(sqlite3 *db, const int64_t *store_ids, size_t n, int64_t *run_id)
{
	sqlite3_stmt *runs = NULL, *all = NULL, *cov = NULL;
	int rc = -1, step;

	*run_id = 0;
	if (uk_db_prepare(db, "SELECT id FROM verify_run WHERE finished IS NOT NULL "
	                  "ORDER BY id DESC", &runs) != SQLITE_OK ||
	    uk_db_prepare(db, "SELECT 1 FROM verify_run_store WHERE run_id = ?1 "
	                  "AND store_id = ?2", &cov) != SQLITE_OK ||
	    uk_db_prepare(db, "SELECT NOT EXISTS (SELECT 1 FROM store s WHERE NOT EXISTS "
	                  "(SELECT 1 FROM verify_run_store v WHERE v.run_id = ?1 "
	                  "AND v.store_id = s.id))", &all) != SQLITE_OK)
		goto out;
	while ((step = sqlite3_step(runs)) == SQLITE_ROW) {
		int64_t run = sqlite3_column_int64(runs, 0);
		int covers = 1;

		if (n == 0) {
			sqlite3_reset(all);
			sqlite3_bind_int64(all, 1, run);
			if (sqlite3_step(all) != SQLITE_ROW)
				goto fail;
			covers = sqlite3_column_int(all, 0);
		}
		for (size_t i = 0; i < n && covers > 0; i++)
			covers = run_covers(cov, run, store_ids[i]);
		if (covers < 0)
			goto fail;
		if (covers) {
			*run_id = run;
			rc = 0;
			goto out;
		}
	}
	if (step == SQLITE_DONE) {
		rc = 0;
		goto out;
	}
fail:
	uk_error("database: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(runs);
	sqlite3_finalize(all);
	sqlite3_finalize(cov);
	return rc;
}

int uk_db_exec(sqlite3 *db, const char *sql)
{
	char err[512];
	int rc = exec_err(db, sql, err, sizeof(err));

	if (rc != SQLITE_OK)
		uk_error("database: %s", err);
	return rc;
}

int64_t uk_db_store_id(sqlite3 *db, const char *path, const char *kind)
{
	sqlite3_stmt *st = NULL;
	int64_t id = -1;

	if (uk_db_prepare(db, "INSERT INTO store(path, kind) VALUES(?1, ?2) "
	                  "ON CONFLICT(path) DO UPDATE SET kind = excluded.kind "
	                  "RETURNING id", &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	if (id < 0)
		uk_error("database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return id;
}

const char *uk_db_now(char buf[24])
{
	time_t t = time(NULL);
	struct tm tm;

	if (uk_fs_utctime((int64_t)t, &tm) != 0)
		memset(&tm, 0, sizeof(tm));
	strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}
