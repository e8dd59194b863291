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
