/* The tool's flow: open the database, read the logs into it, analyse,
 * write the chosen format. */
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "exitcode.h"
#include "fs.h"
#include "out.h"
#include "report.h"

typedef int (*uk_report_writer)(sqlite3 *, const uk_report_summary *, const char *, FILE *);

static const uk_report_writer writers[] = {
	[UK_FMT_TEXT] = uk_report_text, [UK_FMT_JSON] = uk_report_json,
	[UK_FMT_CSV] = uk_report_csv, [UK_FMT_HTML] = uk_report_html,
	[UK_FMT_CMTRACE] = uk_report_cmtrace, [UK_FMT_JSONL] = uk_report_jsonl,
};

static FILE *open_output(const char *path)
{
	FILE *f;

	if (!path)
		return stdout;
	/* Binary: the writers choose their line ends (CRLF for CSV and CMTrace). */
	if ((f = uk_fs_fopen(path, "wb")) == NULL)
		uk_error("--output %s: cannot create it", path);
	return f;
}

static int close_output(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (f != stdout)
		bad |= fclose(f) != 0;
	else
		bad |= fflush(f) != 0;
	if (bad) {
		uk_error("%s: write failed", path ? path : "stdout");
		return UK_EXIT_RUNTIME;
	}
	return 0;
}

int uk_report_open_db(const char *path, const char *missing, sqlite3 **db)
{
	char err[1024];
	uk_stat st;
	int exists = uk_fs_lstat(path, &st) == 0, rc;

	if (!exists && missing) {
		uk_error("%s: no such database%s", path, missing);
		return UK_EXIT_USAGE;
	}
	/* Only a new (or empty) file becomes a usmtkit database: another
	 * SQLite file is refused, never given usmtkit's tables. */
	if ((rc = uk_db_open(path, !exists || st.size == 0, db, err, sizeof err)) != SQLITE_OK)
		return uk_db_open_failed(rc, err);
	return 0;
}

/* "file:" URI of a path (SQLite decodes %HH; '?', '#' and '%' must be
 * encoded), with immutable=1 or mode=ro. malloc'd, NULL on out of memory. */
static char *input_uri(const char *path, int immutable)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *q = immutable ? "?immutable=1" : "?mode=ro";
	char *u = malloc(3 * strlen(path) + strlen(q) + 16), *o = u;

	if (!u)
		return NULL;
	o += sprintf(o, "file:");
	/* An absolute path keeps the authority empty (file:///x, file:////srv/x);
	 * a drive letter is written /C:/ as SQLite reads it on Windows. */
	if (path[0] == '/' || path[0] == UK_SEP)
		o += sprintf(o, "//");
	else if (UK_FS_DRIVE_PATHS && path[0] && path[1] == ':')
		o += sprintf(o, "///");
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '?' || c == '#' || c == '%') {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = c == UK_SEP ? '/' : (char)c;
		}
	}
	strcpy(o, q);
	return u;
}

/* 1 when path + suffix exists (a WAL or a rollback journal beside it). */
static int beside(const char *path, const char *suffix)
{
	uk_stat st;
	size_t n = strlen(path);
	char *p = malloc(n + strlen(suffix) + 1);
	int r = 1; /* out of memory: as if it were there, so never immutable */

	if (p) {
		memcpy(p, path, n);
		strcpy(p + n, suffix);
		r = uk_fs_lstat(p, &st) == 0;
		free(p);
	}
	return r;
}

/* Raw: before it is known to be a usmtkit database, a failure is said by
 * the caller as unreadable input. */
static int input_int(sqlite3 *db, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int uk_report_open_input(const char *path, sqlite3 **out)
{
	uk_stat st;
	sqlite3 *db = NULL;
	char *uri = NULL;
	int rc = UK_EXIT_USAGE, v = 0, objects = 0, src;

	*out = NULL;
	if (uk_fs_lstat(path, &st) != 0) {
		uk_error("%s: no such database", path);
		return UK_EXIT_USAGE;
	}
	if (st.type == UK_FT_DIR || st.type == UK_FT_OTHER) {
		uk_error("%s: a %s, not a usmtkit database", path,
		         st.type == UK_FT_DIR ? "folder" : "special file");
		return UK_EXIT_USAGE;
	}
	if (st.size == 0 && st.type == UK_FT_FILE) {
		uk_error("%s: an empty file, not a usmtkit database: refused, left untouched", path);
		return UK_EXIT_USAGE;
	}
	/* Never written: no migration, no checkpoint, no WAL or -shm created.
	 * With nothing beside it the file holds the whole database: immutable,
	 * no lock and no side file. A WAL (verify killed or still running) or a
	 * rollback journal holds part of it: read-only through SQLite's locks,
	 * which read the WAL and leave it as it is. */
	if ((uri = input_uri(path, !beside(path, "-wal") && !beside(path, "-journal"))) == NULL) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	src = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (src == SQLITE_OK) {
		sqlite3_extended_result_codes(db, 1);
		sqlite3_busy_timeout(db, 10000);
		sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		src = input_int(db, "PRAGMA user_version", &v);
	}
	if (src == SQLITE_OK && v == 0)
		src = input_int(db, "SELECT count(*) FROM sqlite_master", &objects);
	if (src != SQLITE_OK) {
		/* Not SQLite, or not readable: unreadable input. */
		uk_error("database %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
		rc = (src & 0xff) == SQLITE_NOTADB || (src & 0xff) == SQLITE_CANTOPEN ||
		     (src & 0xff) == SQLITE_CORRUPT ? UK_EXIT_USAGE : UK_EXIT_RUNTIME;
		goto out;
	}
	if (v > UK_DB_SCHEMA_VERSION) {
		uk_error("database %s: schema version %d is newer than this usmtkit understands (%d)",
		         path, v, UK_DB_SCHEMA_VERSION);
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	if (v == 0) {
		uk_error("database %s: not a usmtkit database%s: refused, left untouched", path,
		         objects ? " (it holds another program's tables)" : "");
		goto out;
	}
	*out = db;
	db = NULL;
	rc = 0;
out:
	sqlite3_close(db);
	free(uri);
	return rc;
}

int uk_report_nothing_judged(const char *path, const uk_report_summary *s)
{
	if (s->logs > 0 || s->verify_run > 0 || s->partial_verify > 0)
		return 0;
	/* Nothing judged is not "nothing at risk". */
	if (s->unfinished_verify)
		uk_error("%s holds no log and no finished verify run (verify run %lld never "
		         "finished): nothing to report", path, (long long)s->unfinished_verify);
	else
		uk_error("%s holds no log and no finished verify run: nothing to report", path);
	return UK_EXIT_USAGE;
}

/* One count through uk_db_prepare (which says why it failed); -1 on failure. */
static int judged_count(sqlite3 *db, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (uk_db_prepare(db, sql, &st) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = 0;
	} else {
		uk_error("database: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return rc;
}

int uk_report_input_judged(sqlite3 *db, const char *path)
{
	uk_report_summary s;
	int logs = 0, finished = 0, unfinished = 0;

	memset(&s, 0, sizeof s);
	/* No count read is no count of 0: a failure is exit 3, never "judged". */
	if (judged_count(db, "SELECT count(*) FROM log_file", &logs) != 0 ||
	    judged_count(db, "SELECT count(*) FROM verify_run WHERE finished IS NOT NULL",
	                 &finished) != 0 ||
	    judged_count(db, "SELECT coalesce(max(id), 0) FROM verify_run WHERE finished IS NULL",
	                 &unfinished) != 0)
		return UK_EXIT_RUNTIME;
	s.logs = logs;
	s.partial_verify = finished; /* only whether there is one matters here */
	s.unfinished_verify = unfinished;
	return uk_report_nothing_judged(path, &s);
}

int uk_report_run(const uk_report_opts *o)
{
	uk_report_summary s;
	sqlite3 *db = NULL;
	char *store_db = NULL;
	const char *path = o->db;
	FILE *f = NULL;
	int rc;

	if (o->merge) {
		if ((f = open_output(o->output)) == NULL)
			return UK_EXIT_USAGE;
		rc = uk_report_merge(o, f);
		if (close_output(f, o->output) != 0 && rc != UK_EXIT_USAGE)
			rc = UK_EXIT_RUNTIME;
		return rc;
	}
	if (o->store && (path = store_db = uk_db_default_path(o->store)) == NULL) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	if (!path)
		path = ":memory:"; /* the logs alone: nothing kept */
	if ((rc = uk_report_open_db(path, o->nargs ? NULL :
	                            " (run usmt-verify first, or give logs)", &db)) != 0)
		goto out;
	/* The logs alone live in memory: so do the analysis' sorts, which
	 * otherwise went through a temporary file (12k writes, 512 MiB log). */
	if (strcmp(path, ":memory:") == 0 &&
	    uk_db_exec(db, "PRAGMA temp_store = MEMORY") != SQLITE_OK) {
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	if ((rc = uk_report_sql_functions(db)) != 0)
		goto out;
	for (int i = 0; i < o->nargs; i++)
		if ((rc = uk_report_ingest(db, o->args[i])) != 0)
			goto out;
	if ((rc = uk_report_analyze(db, &s)) != 0)
		goto out;
	uk_report_warn(db, NULL);
	if ((rc = uk_report_nothing_judged(path, &s)) != 0)
		goto out;
	if ((f = open_output(o->output)) == NULL) {
		rc = UK_EXIT_USAGE;
		goto out;
	}
	rc = writers[o->format](db, &s, o->db || o->store ? path : NULL, f);
	if (close_output(f, o->output) != 0)
		rc = UK_EXIT_RUNTIME;
	if (rc == 0)
		rc = s.risk == UK_RISK_NONE ? UK_EXIT_OK : UK_EXIT_FINDINGS;
out:
	uk_db_close(db);
	free(store_db);
	return rc;
}
