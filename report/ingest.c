/* One log into the database: the reader's findings become rows as they
 * stream by, in one transaction per log (schema: uk_schema_report). */
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "exitcode.h"
#include "fs.h"
#include "hash.h"
#include "out.h"
#include "report.h"
#include "usmtlog.h"

enum { ST_RUN, ST_RUN_END, ST_EVENT, ST_SUMMARY, ST_SKIPPED, ST_PERROR, ST_UNKNOWN, ST_N };

static const char *const ingest_sql[ST_N] = {
	[ST_RUN] = "INSERT INTO log_run(log_id, seq, used_c, abort_logged, aborted, unknown_lines) "
	           "VALUES(?1, ?2, 0, 0, 0, 0) RETURNING id",
	[ST_RUN_END] = "UPDATE log_run SET program = ?2, version = nullif(?3, ''), "
	               "command_line = nullif(?4, ''), used_c = ?5, started = nullif(?6, ''), "
	               "completed = nullif(?7, ''), return_code = ?8, errors_ignored = ?9, "
	               "abort_logged = ?10, aborted = ?11, unknown_lines = ?12 WHERE id = ?1",
	[ST_EVENT] = "INSERT INTO log_event(run_id, seq, line, time, level, code, win32, gle, "
	             "path, message) VALUES(?1, ?2, ?3, nullif(?4, ''), ?5, nullif(?6, ''), "
	             "?7, ?8, ?9, ?10)",
	[ST_SUMMARY] = "INSERT INTO log_error_summary(run_id, seq, win32, caused_abort, "
	               "recurrence, first) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_SKIPPED] = "INSERT OR IGNORE INTO log_skipped_profile(run_id, sid, line, time, win32) "
	               "VALUES(?1, ?2, ?3, nullif(?4, ''), ?5)",
	[ST_PERROR] = "INSERT INTO progress_error(log_id, seq, line, time, error, path, action, "
	              "win32) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_UNKNOWN] = "INSERT INTO log_unknown(log_id, line, text) VALUES(?1, ?2, ?3)",
};

#define UNKNOWN_KEPT 100

typedef struct ingest {
	sqlite3 *db;
	sqlite3_stmt *st[ST_N];
	int64_t log_id, run_id;
	unsigned long unknown;
	int failed;
} ingest;

static void bind_code(sqlite3_stmt *st, int i, long v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Steps a bound statement and resets it; non-zero stops the reader. */
static int step(ingest *g, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		g->run_id = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		uk_error("database: %s", sqlite3_errmsg(g->db));
		g->failed = 1;
		return 1;
	}
	return 0;
}

static int on_run_begin(void *ctx, const uk_log_run *r)
{
	ingest *g = ctx;
	sqlite3_stmt *st = g->st[ST_RUN];

	sqlite3_bind_int64(st, 1, g->log_id);
	sqlite3_bind_int(st, 2, r->seq);
	return step(g, st);
}

static int on_run_end(void *ctx, const uk_log_run *r)
{
	ingest *g = ctx;
	sqlite3_stmt *st = g->st[ST_RUN_END];

	sqlite3_bind_int64(st, 1, g->run_id);
	bind_text(st, 2, uk_log_program_name(r->program));
	bind_text(st, 3, r->version);
	bind_text(st, 4, r->command_line);
	sqlite3_bind_int(st, 5, r->used_c);
	bind_text(st, 6, r->started);
	bind_text(st, 7, r->completed);
	if (r->has_return_code)
		sqlite3_bind_int(st, 8, r->return_code);
	if (r->errors_ignored >= 0)
		sqlite3_bind_int64(st, 9, r->errors_ignored);
	sqlite3_bind_int(st, 10, r->abort_logged);
	sqlite3_bind_int(st, 11, r->aborted);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)r->unknown_lines);
	return step(g, st);
}

static int on_event(void *ctx, const uk_log_event *e)
{
	ingest *g = ctx;
	sqlite3_stmt *st = g->st[ST_EVENT];

	sqlite3_bind_int64(st, 1, g->run_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)e->seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)e->line);
	bind_text(st, 4, e->time);
	bind_text(st, 5, uk_log_level_name(e->level));
	bind_text(st, 6, e->code);
	bind_code(st, 7, e->win32);
	bind_code(st, 8, e->gle);
	bind_text(st, 9, e->path);
	bind_text(st, 10, e->message);
	return step(g, st);
}

static int on_summary(void *ctx, const uk_log_summary_row *r)
{
	ingest *g = ctx;
	sqlite3_stmt *st = g->st[ST_SUMMARY];

	sqlite3_bind_int64(st, 1, g->run_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)r->seq);
	sqlite3_bind_int64(st, 3, r->win32);
	sqlite3_bind_int(st, 4, r->caused_abort);
	sqlite3_bind_int64(st, 5, r->recurrence);
	bind_text(st, 6, r->first);
	return step(g, st);
}

static int on_skipped(void *ctx, const uk_log_skipped *s)
{
	ingest *g = ctx;
	sqlite3_stmt *st = g->st[ST_SKIPPED];

	sqlite3_bind_int64(st, 1, g->run_id);
	bind_text(st, 2, s->sid);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)s->line);
	bind_text(st, 4, s->time);
	bind_code(st, 5, s->win32);
	return step(g, st);
}

static int on_perror(void *ctx, const uk_log_perror *p)
{
	ingest *g = ctx;
	sqlite3_stmt *st = g->st[ST_PERROR];

	sqlite3_bind_int64(st, 1, g->log_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)p->seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)p->line);
	bind_text(st, 4, p->time);
	bind_text(st, 5, p->error);
	bind_text(st, 6, p->path);
	bind_text(st, 7, p->action);
	bind_code(st, 8, p->win32);
	return step(g, st);
}

static int on_unknown(void *ctx, unsigned long line, const char *text)
{
	ingest *g = ctx;
	sqlite3_stmt *st = g->st[ST_UNKNOWN];

	if (g->unknown++ >= UNKNOWN_KEPT)
		return 0;
	sqlite3_bind_int64(st, 1, g->log_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)line);
	bind_text(st, 3, text);
	return step(g, st);
}

/* The size stored for this path, -1 when none. */
static int64_t stored_size(sqlite3 *db, const char *abs)
{
	sqlite3_stmt *st;
	int64_t size = -1;

	/* Raw and silent: a failure reads as "not stored", the log is parsed
	 * again, and the write that follows says why the database failed. */
	if (sqlite3_prepare_v2(db, "SELECT size FROM log_file WHERE path = ?1", -1, &st,
	                       NULL) != SQLITE_OK)
		return -1;
	bind_text(st, 1, abs);
	if (sqlite3_step(st) == SQLITE_ROW)
		size = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return size;
}

/* 1: the same bytes are already stored under this path. */
static int unchanged(sqlite3 *db, const char *abs, const char *hash, uint64_t size)
{
	sqlite3_stmt *st;
	int same = 0;

	/* Raw and silent, as stored_size(): a failure reads as "changed". */
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM log_file WHERE path = ?1 AND hash = ?2 "
	                       "AND size = ?3", -1, &st, NULL) != SQLITE_OK)
		return 0;
	bind_text(st, 1, abs);
	bind_text(st, 2, hash);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)size);
	same = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return same;
}

/* Hash and size are filled in by finish_log_row once the parse has read the bytes. */
static int64_t new_log_row(sqlite3 *db, const char *abs, const char *name)
{
	sqlite3_stmt *st;
	char now[24];
	int64_t id = -1;

	if (uk_db_prepare(db, "INSERT INTO log_file(path, name, kind, encoding, crlf, size, "
	                  "hash, lines, unknown_lines, truncated_lines, ingested) "
	                  "VALUES(?1, ?2, 'empty', 'utf-8', 0, 0, '', 0, 0, 0, ?3) "
	                  "RETURNING id", &st) != SQLITE_OK)
		return -1;
	bind_text(st, 1, abs);
	bind_text(st, 2, name);
	bind_text(st, 3, uk_db_now(now));
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else
		uk_error("database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return id;
}

/* The hash and size are those of the bytes the parse read. */
static int finish_log_row(sqlite3 *db, int64_t id, const uk_log_info *in, const char *hash,
                          uint64_t size)
{
	static const char *const kinds[] = { "empty", "usmt", "progress" };
	sqlite3_stmt *st;
	int rc;

	rc = uk_db_prepare(db, "UPDATE log_file SET kind = ?2, encoding = ?3, crlf = ?4, "
	                   "lines = ?5, unknown_lines = ?6, truncated_lines = ?7, "
	                   "hash = ?8, size = ?9 WHERE id = ?1", &st);
	if (rc != SQLITE_OK)
		return rc;
	bind_text(st, 8, hash);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)size);
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, kinds[in->kind]);
	bind_text(st, 3, in->encoding);
	sqlite3_bind_int(st, 4, in->crlf);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)in->lines);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)in->unknown_lines);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)in->truncated_lines);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	if (rc != SQLITE_OK)
		uk_error("database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (rc != SQLITE_OK || in->kind != UK_LOG_PROGRESS)
		return rc;

	const uk_log_progress *pg = &in->progress;
	rc = uk_db_prepare(db, "INSERT INTO progress_log(log_id, program, version, computer, "
	                   "command_line, aborted, ignored, errors) VALUES(?1, ?2, "
	                   "nullif(?3, ''), nullif(?4, ''), nullif(?5, ''), ?6, ?7, ?8)", &st);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, uk_log_program_name(pg->program));
	bind_text(st, 3, pg->version);
	bind_text(st, 4, pg->computer);
	bind_text(st, 5, pg->command_line);
	sqlite3_bind_int(st, 6, pg->aborted);
	if (pg->ignored >= 0)
		sqlite3_bind_int64(st, 7, pg->ignored);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)pg->errors);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	if (rc != SQLITE_OK)
		uk_error("database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

static int parse_into(sqlite3 *db, const char *path, int64_t log_id, uk_log_info *info)
{
	ingest g = { .db = db, .log_id = log_id };
	uk_log_sink sink = {
		.ctx = &g, .run_begin = on_run_begin, .run_end = on_run_end, .event = on_event,
		.summary = on_summary, .skipped = on_skipped, .perror = on_perror,
		.unknown = on_unknown,
	};
	char hash[UK_HASH_STRLEN];
	uk_hash128 h = { 0, 0 };
	uint64_t size = 0;
	int rc = 0, err;

	for (int i = 0; i < ST_N; i++)
		if (uk_db_prepare(db, ingest_sql[i], &g.st[i]) != SQLITE_OK) {
			rc = UK_EXIT_RUNTIME;
			goto out;
		}
	err = uk_log_parse_file_hashed(path, &sink, info, &h, &size);
	uk_hash_str(&h, hash);
	if (g.failed) {
		rc = UK_EXIT_RUNTIME;
	} else if (err) {
		char buf[256];
		uk_error("%s: %s", path, err < 0 ? "out of memory" : uk_fs_strerror(err, buf, sizeof buf));
		rc = err < 0 ? UK_EXIT_RUNTIME : UK_EXIT_USAGE;
	} else if (finish_log_row(db, log_id, info, hash, size) != SQLITE_OK) {
		rc = UK_EXIT_RUNTIME; /* it said why */
	}
out:
	for (int i = 0; i < ST_N; i++)
		sqlite3_finalize(g.st[i]);
	return rc;
}

int uk_report_ingest(sqlite3 *db, const char *path)
{
	char *abs = NULL, hash[UK_HASH_STRLEN], buf[256];
	uk_hash128 h;
	uint64_t size;
	uk_stat st;
	uk_log_info info;
	int rc, err;

	/* lstat of the resolved path: a link's size is not its log's. */
	if ((err = uk_fs_realpath(path, &abs)) != 0 || (err = uk_fs_lstat(abs, &st)) != 0) {
		uk_error("%s: %s", path, uk_fs_strerror(err, buf, sizeof buf));
		rc = UK_EXIT_USAGE;
		goto out;
	}
	if (st.type == UK_FT_DIR) {
		uk_error("%s: is a folder, not a log", path);
		rc = UK_EXIT_USAGE;
		goto out;
	}
	/* One read for a new or resized log: it is hashed while it is parsed
	 * (the report's main cost on a large log was a second, hashing read).
	 * Only a log of the size already stored may be the same bytes: that one
	 * is hashed first, and parsed again only when it differs. */
	rc = 0;
	if (stored_size(db, abs) == (int64_t)st.size) {
		if ((err = uk_hash_file(abs, &h, &size)) != 0) {
			uk_error("%s: %s", path, uk_fs_strerror(err, buf, sizeof buf));
			rc = UK_EXIT_USAGE;
			goto out;
		}
		uk_hash_str(&h, hash);
		if (unchanged(db, abs, hash, size))
			goto out;
	}
	if (uk_db_exec(db, "BEGIN IMMEDIATE") != SQLITE_OK) {
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	/* ON DELETE CASCADE removes the earlier copy's runs, events, ... */
	sqlite3_stmt *del;
	if (uk_db_prepare(db, "DELETE FROM log_file WHERE path = ?1", &del) == SQLITE_OK) {
		bind_text(del, 1, abs);
		err = sqlite3_step(del) != SQLITE_DONE;
		if (err)
			uk_error("database: %s", sqlite3_errmsg(db));
		sqlite3_finalize(del);
	} else {
		err = 1;
	}
	int64_t id = err ? -1 : new_log_row(db, abs, path);
	if (id < 0) {
		rc = UK_EXIT_RUNTIME; /* what failed said why */
	} else {
		rc = parse_into(db, abs, id, &info);
	}
	if (rc == 0 && uk_db_exec(db, "COMMIT") != SQLITE_OK)
		rc = UK_EXIT_RUNTIME;
	if (rc != 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	free(abs);
	return rc;
}
