/* SQL functions the report's queries use, so the join and the JSON are
 * built by SQLite itself. */
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "report.h"
#include "store.h"
#include "utf8.h"
#include "wincase.h"
#include "win32err.h"

static void fn_win32_name(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *name;

	if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER ||
	    (name = uk_win32_name((long)sqlite3_value_int64(argv[0]))) == NULL) {
		sqlite3_result_null(cx);
		return;
	}
	sqlite3_result_text(cx, name, -1, SQLITE_STATIC);
}

static void fn_win32_meaning(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *m;

	if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER ||
	    (m = uk_win32_meaning((long)sqlite3_value_int64(argv[0]))) == NULL) {
		sqlite3_result_null(cx);
		return;
	}
	sqlite3_result_text(cx, m, -1, SQLITE_STATIC);
}

/* uk_fold(path): every letter folded as Windows compares names, so two
 * spellings of one path give one key. */
static void fn_fold(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const unsigned char *s = sqlite3_value_text(argv[0]);
	size_t n = (size_t)sqlite3_value_bytes(argv[0]), o = 0, k;
	unsigned char *r;

	if (!s) {
		sqlite3_result_null(cx);
		return;
	}
	/* A folded letter never needs more than 4 bytes. */
	if ((r = sqlite3_malloc64(4 * (sqlite3_uint64)n + 1)) == NULL) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	for (size_t i = 0; i < n; i += k) {
		uint32_t cp;
		if ((k = uk_utf8_decode(s + i, n - i, &cp)) == 0) {
			r[o++] = s[i]; /* not UTF-8: compares as itself */
			k = 1;
			continue;
		}
		o += uk_utf8_encode(uk_wincase_fold(cp), r + o);
	}
	r[o] = '\0';
	sqlite3_result_text(cx, (const char *)r, (int)o, sqlite3_free);
}

/* uk_utf8(text): the text with every byte that is not UTF-8 replaced by
 * U+FFFD, so JSON stays valid whatever a file name holds (POSIX names are
 * bytes). Valid text is returned as it is. */
static void fn_utf8(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const unsigned char *s = sqlite3_value_text(argv[0]);
	size_t n = (size_t)sqlite3_value_bytes(argv[0]), i = 0, o = 0, k;
	unsigned char *r;

	if (!s) {
		sqlite3_result_null(cx);
		return;
	}
	while (i < n && (k = uk_utf8_seqlen(s + i, n - i)) > 0)
		i += k;
	if (i == n) {
		sqlite3_result_value(cx, argv[0]);
		return;
	}
	if ((r = sqlite3_malloc64(3 * (sqlite3_uint64)n + 1)) == NULL) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	for (i = 0; i < n; i += k) {
		if ((k = uk_utf8_seqlen(s + i, n - i)) == 0) {
			o += uk_utf8_encode(0xFFFD, r + o);
			k = 1;
		} else {
			memcpy(r + o, s + i, k);
			o += k;
		}
	}
	r[o] = '\0';
	sqlite3_result_text(cx, (const char *)r, (int)o, sqlite3_free);
}

/* uk_map(win_path): the verify run's --map rules applied (first match wins). */
static void fn_map(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const uk_pathmap *m = sqlite3_user_data(cx);
	const char *p = (const char *)sqlite3_value_text(argv[0]);
	char *r;

	if (!p) {
		sqlite3_result_null(cx);
		return;
	}
	/* No --map: every path as it is, without a copy per log line. */
	if (uk_pathmap_map_count(m) == 0 && sqlite3_value_type(argv[0]) == SQLITE_TEXT) {
		sqlite3_result_value(cx, argv[0]);
		return;
	}
	if ((r = uk_pathmap_map_win(m, p)) == NULL) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	sqlite3_result_text(cx, r, -1, free);
}

static void free_map(void *p)
{
	uk_pathmap_free(p);
}

static int register_map(sqlite3 *db, uk_pathmap *m)
{
	return sqlite3_create_function_v2(db, "uk_map", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, m,
	                                  fn_map, NULL, NULL, free_map);
}

int uk_report_sql_functions(sqlite3 *db)
{
	uk_pathmap *m = uk_pathmap_new();
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	if (!m || sqlite3_create_function(db, "uk_win32_name", 1, flags, NULL, fn_win32_name,
	                                  NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "uk_fold", 1, flags, NULL, fn_fold, NULL,
	                            NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "uk_utf8", 1, flags, NULL, fn_utf8, NULL,
	                            NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "uk_win32_meaning", 1, flags, NULL, fn_win32_meaning,
	                            NULL, NULL) != SQLITE_OK) {
		uk_pathmap_free(m);
		return UK_EXIT_RUNTIME;
	}
	return register_map(db, m) == SQLITE_OK ? 0 : UK_EXIT_RUNTIME;
}

int uk_report_load_map(sqlite3 *db, int64_t run)
{
	uk_pathmap *m = uk_pathmap_new();
	sqlite3_stmt *st = NULL;
	int rc = UK_EXIT_RUNTIME;

	if (!m) {
		uk_error("out of memory");
		goto out;
	}
	if (uk_db_prepare(db, "SELECT from_prefix || '=' || to_prefix FROM verify_map "
	                  "WHERE run_id = ?1 ORDER BY seq", &st) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char err[256];
		const char *spec = (const char *)sqlite3_column_text(st, 0);
		if (uk_pathmap_add_map(m, spec, err, sizeof err) != 0)
			uk_warn("verify run %lld: --map %s: %s", (long long)run, spec, err);
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = register_map(db, m) == SQLITE_OK ? 0 : UK_EXIT_RUNTIME;
	m = NULL; /* owned by SQLite now, even on failure */
	if (rc)
		uk_error("database: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	uk_pathmap_free(m);
	return rc;
}
