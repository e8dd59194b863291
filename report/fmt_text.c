/* --format text (default): the verdict first, then each file at risk with
 * what LoadState said and what is on disk now, then the runs. Short. */
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "report.h"

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

static void put_escaped(FILE *f, const char *s)
{
	char *e = uk_out_escape(s);
	fputs(e ? e : "?", f);
	free(e);
}

static const char *verdict_line(const uk_report_summary *s)
{
	switch (s->risk) {
	case UK_RISK_CRITICAL: return "do not delete the store: it holds data found nowhere else";
	case UK_RISK_HIGH: return "do not delete the store before checking what is listed below";
	case UK_RISK_MEDIUM: return "files need attention before the store is deleted";
	}
	if (s->verify_run)
		return "nothing at risk: the store can be deleted";
	return s->unfinished_verify
	       ? "nothing at risk in the logs given (the verify run never finished: run "
	         "usmt-verify again before deleting the store)"
	       : "nothing at risk in the logs given (no verify run: run usmt-verify "
	         "before deleting the store)";
}

/* Finalizes st; a failed step says why here, as a failed prepare did. */
static int finish(sqlite3 *db, sqlite3_stmt *st)
{
	int rc = sqlite3_finalize(st);

	if (rc != SQLITE_OK)
		uk_error("database: %s", sqlite3_errmsg(db));
	return rc;
}

static int why(sqlite3 *db, FILE *f)
{
	sqlite3_stmt *st;

	if (uk_db_prepare(db, "SELECT CASE level WHEN 3 THEN 'critical' WHEN 2 THEN 'high' "
	                  "ELSE 'medium' END, text FROM rpt_why ORDER BY level DESC, ord",
	                  &st) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		fprintf(f, "  %-8s  ", col(st, 0));
		put_escaped(f, col(st, 1));
		fputc('\n', f);
	}
	return finish(db, st);
}

/* What could not be judged and is not a risk line already. */
static int warnings(sqlite3 *db, FILE *f)
{
	sqlite3_stmt *st;

	if (uk_db_prepare(db, "SELECT text FROM rpt_warning WHERE NOT risk ORDER BY ord",
	                  &st) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		fputs("Warning: ", f);
		put_escaped(f, col(st, 0));
		fputc('\n', f);
	}
	return finish(db, st);
}

static const char files_sql[] =
	"SELECT CASE k.level WHEN 3 THEN 'critical' WHEN 2 THEN 'high' ELSE 'medium' END,"
	" k.path, k.reason_text, k.verdict,"
	" iif(l.rowid IS NULL, NULL, printf('%s%s: %s', CASE l.source WHEN 'progress' THEN"
	"   'progress log' WHEN 'scanstate' THEN 'ScanState log' WHEN 'loadstate' THEN"
	"   'LoadState log' ELSE 'USMT log' END, CASE WHEN l.win32 IS NULL THEN ''"
	"   ELSE printf(' (error %d%s)', l.win32, coalesce(' ' || uk_win32_name(l.win32), '')) END,"
	"   replace(l.message, char(10), ' '))),"
	" k.logged, k.error"
	" FROM rpt_risk k LEFT JOIN rpt_logged l ON l.rowid = k.first_logged"
	" ORDER BY k.level DESC, k.path COLLATE NOCASE";

static int files(sqlite3 *db, FILE *f)
{
	sqlite3_stmt *st;

	if (uk_db_prepare(db, files_sql, &st) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		fprintf(f, "  %-8s  ", col(st, 0));
		put_escaped(f, col(st, 1));
		fprintf(f, "\n            %s", col(st, 2));
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			fprintf(f, "; on disk now: %s", col(st, 3));
		else
			fputs("; no verify verdict", f);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
			fputs(" (", f);
			put_escaped(f, col(st, 6));
			fputc(')', f);
		}
		fputc('\n', f);
		if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			fputs("            ", f);
			put_escaped(f, col(st, 4));
			if (sqlite3_column_int(st, 5) > 1)
				fprintf(f, " (+%d more)", sqlite3_column_int(st, 5) - 1);
			fputc('\n', f);
		}
	}
	return finish(db, st);
}

/* The name, then the rest of the line: text from the log (version, stamps)
 * is escaped like a name, so a control character in it reads as one. */
static const char runs_sql[] =
	"SELECT f.name, printf(' run %d: %s%s, %s -> %s%s%s%s, %d errors, %d warnings%s', r.seq + 1,"
	" coalesce(r.program, 'unknown program'), coalesce(' ' || r.version, ''),"
	" coalesce(r.started, '?'), coalesce(r.completed, 'did not complete'),"
	" CASE WHEN r.used_c THEN ', /c' ELSE '' END,"
	" iif(r.errors_ignored IS NULL, '', printf(', %d errors ignored', r.errors_ignored)),"
	" iif(r.return_code IS NULL, '', printf(', return code %d', r.return_code)),"
	" (SELECT count(*) FROM log_event WHERE run_id = r.id AND level = 'error'),"
	" (SELECT count(*) FROM log_event WHERE run_id = r.id AND level = 'warning'),"
	" CASE WHEN r.abort_logged THEN ', ABORTED' ELSE '' END)"
	" FROM log_run r JOIN log_file f ON f.id = r.log_id ORDER BY f.name, r.seq";

static const char progress_sql[] =
	"SELECT f.name, coalesce(p.program, 'unknown program'), p.errors,"
	" (SELECT count(*) FROM progress_error WHERE log_id = p.log_id AND action = 'Ignore'),"
	" CASE WHEN p.aborted THEN ', ABORTED' ELSE '' END"
	" FROM progress_log p JOIN log_file f ON f.id = p.log_id ORDER BY f.name";

static int runs(sqlite3 *db, FILE *f)
{
	sqlite3_stmt *st;

	if (uk_db_prepare(db, runs_sql, &st) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		fputs("  ", f);
		put_escaped(f, col(st, 0));
		put_escaped(f, col(st, 1));
		fputc('\n', f);
	}
	if (finish(db, st) != SQLITE_OK ||
	    uk_db_prepare(db, progress_sql, &st) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		fputs("  ", f);
		put_escaped(f, col(st, 0));
		fprintf(f, ": %s progress log, %d errors (%d skipped by /c)%s\n", col(st, 1),
		        sqlite3_column_int(st, 2), sqlite3_column_int(st, 3), col(st, 4));
	}
	return finish(db, st);
}

static int verify(sqlite3 *db, const uk_report_summary *s, FILE *f)
{
	int64_t run = s->verify_run;
	sqlite3_stmt *st;

	if (!run) {
		/* A killed run is not the absence of one, nor evidence. */
		if (s->partial_verify)
			fprintf(f, "Verify: no finished verify run covers every store in the database "
			        "(%lld cover only some)\n", s->partial_verify);
		else if (s->unfinished_verify)
			fprintf(f, "Verify: no finished verify run; run %lld never finished\n",
			        (long long)s->unfinished_verify);
		else
			fputs("Verify: no verify run in the database\n", f);
		return 0;
	}
	if (uk_db_prepare(db, "SELECT v.finished, (SELECT count(*) FROM entry WHERE "
	                  "run_id = v.id), (SELECT group_concat(verdict || ' ' || n, ', ') "
	                  "FROM (SELECT verdict, count(*) AS n FROM entry WHERE run_id = "
	                  "v.id AND verdict IS NOT NULL GROUP BY verdict ORDER BY verdict)) "
	                  "FROM verify_run v WHERE v.id = ?1", &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW)
		fprintf(f, "Verify: run %lld finished %s: %d entries (%s)\n", (long long)run,
		        col(st, 0), sqlite3_column_int(st, 1), col(st, 2));
	return finish(db, st);
}

int uk_report_text(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f)
{
	long long n = s->at_risk[1] + s->at_risk[2] + s->at_risk[3];
	char up[16];
	size_t i;

	for (i = 0; uk_risk_name(s->risk)[i] && i < sizeof up - 1; i++)
		up[i] = (char)(uk_risk_name(s->risk)[i] - 32);
	up[i] = '\0';
	fprintf(f, "RISK: %s -- %s\n", up, verdict_line(s));
	if (why(db, f) != SQLITE_OK || warnings(db, f) != SQLITE_OK)
		goto fail;
	if (n > 0) {
		fprintf(f, "At risk: %lld file%s (%lld critical, %lld high, %lld medium)\n", n,
		        n == 1 ? "" : "s", s->at_risk[3], s->at_risk[2], s->at_risk[1]);
		if (files(db, f) != SQLITE_OK)
			goto fail;
	}
	fprintf(f, "Logs: %lld (%lld run%s)\n", s->logs, s->runs, s->runs == 1 ? "" : "s");
	if (runs(db, f) != SQLITE_OK || verify(db, s, f) != SQLITE_OK)
		goto fail;
	if (label) {
		fputs("Database: ", f);
		put_escaped(f, label);
		fputc('\n', f);
	}
	return 0;
fail: /* uk_db_prepare() or finish() said why */
	return UK_EXIT_RUNTIME;
}
