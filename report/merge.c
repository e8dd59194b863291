/* --merge DB...: the fleet view. Each machine's database is analysed as
 * usmt-report alone would, one row a machine lands in a scratch in-memory
 * table, and the writers read that table and its totals. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db.h"
#include "exitcode.h"
#include "fs.h"
#include "out.h"
#include "report.h"

static const char fleet_schema[] =
	"CREATE TABLE machine(seq INTEGER PRIMARY KEY, machine TEXT NOT NULL, db TEXT NOT NULL,"
	"  level INTEGER NOT NULL, risk TEXT NOT NULL, critical INTEGER, high INTEGER,"
	"  medium INTEGER, skipped_profiles INTEGER, loadstate_incomplete INTEGER,"
	"  runs INTEGER, verify_run INTEGER)";

/* Rows for the text, CSV and HTML tables: the machines, then the totals. */
static const char rows_sql[] =
	"SELECT machine, risk, critical AS \"critical files\", high AS \"high files\","
	" medium AS \"medium files\", skipped_profiles AS \"skipped profiles\","
	" iif(loadstate_incomplete, 'no', 'yes') AS \"last LoadState completed\", runs,"
	" coalesce(verify_run, 'none') AS \"verify run\", db FROM (SELECT * FROM machine ORDER BY seq)"
	" UNION ALL SELECT printf('TOTAL (%d machines, %d at risk)', count(*),"
	"  sum(level > 0)), CASE max(level) WHEN 3 THEN 'critical' WHEN 2 THEN 'high'"
	"  WHEN 1 THEN 'medium' ELSE 'none' END, sum(critical), sum(high), sum(medium),"
	"  sum(skipped_profiles), printf('%d incomplete', sum(loadstate_incomplete)), sum(runs),"
	"  printf('%d verified', count(verify_run)), '' FROM machine";

/* The JSON document is written a machine at a time (one json_group_array
 * held the whole list in memory: 18.7 MiB peak at 10,000 machines against
 * 7 MiB at 1,000); the bytes are the same as that one object's. */
static const char json_head_sql[] =
	"SELECT json_object('tool', 'usmt-report', 'version', ?1, 'risk', ?2)";
static const char json_machine_sql[] =
	"SELECT json_object('machine', uk_utf8(machine), 'db', uk_utf8(db),"
	" 'risk', risk, 'at_risk_files', json_object('critical', critical, 'high', high,"
	" 'medium', medium), 'skipped_profiles', skipped_profiles,"
	" 'last_loadstate_incomplete', json(iif(loadstate_incomplete, 'true', 'false')),"
	" 'runs', runs, 'verify_run', verify_run) FROM machine ORDER BY seq";
static const char json_totals_sql[] =
	"SELECT json_object('machines', count(*), 'at_risk', sum(level > 0),"
	" 'by_risk', json_object('critical', sum(level = 3), 'high', sum(level = 2),"
	" 'medium', sum(level = 1), 'none', sum(level = 0)),"
	" 'at_risk_files', json_object('critical', sum(critical), 'high', sum(high),"
	" 'medium', sum(medium)), 'skipped_profiles', sum(skipped_profiles),"
	" 'loadstate_incomplete', sum(loadstate_incomplete)) FROM machine";

char *uk_report_machine_name(sqlite3 *db, int64_t run, const char *path)
{
	sqlite3_stmt *st;
	char *name = NULL;

	/* Raw and silent: without a name from the database the file's is used. */
	if (sqlite3_prepare_v2(db, "SELECT coalesce((SELECT host FROM verify_run WHERE id = ?1),"
	                       " (SELECT computer FROM progress_log WHERE computer IS NOT NULL"
	                       " ORDER BY log_id LIMIT 1))", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			name = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	if (!name && path) {
		name = strdup(uk_path_base(path));
		if (name && strlen(name) > 11 && strcmp(name + strlen(name) - 11, ".usmtkit.db") == 0)
			name[strlen(name) - 11] = '\0';
	}
	return name;
}

/* One machine: a row of the fleet table, or (jsonl) its lines written now,
 * while its database is open, and no row: nothing is written after them, so
 * only the worst risk is kept. *worst is raised to the machine's risk. */
static int add_machine(sqlite3 *fleet, const char *path, int format, FILE *f, int *worst)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	uk_report_summary s;
	char *name = NULL;
	int rc;

	/* Each machine's database is judged as --db would, read-only. */
	if ((rc = uk_report_open_input(path, &db)) != 0)
		return rc;
	if ((rc = uk_report_sql_functions(db)) != 0 || (rc = uk_report_analyze(db, &s)) != 0)
		goto out;
	uk_report_warn(db, path);
	if ((rc = uk_report_nothing_judged(path, &s)) != 0)
		goto out;
	if (format == UK_FMT_JSONL) {
		if ((rc = uk_report_jsonl(db, &s, path, f)) == 0 && (int)s.risk > *worst)
			*worst = (int)s.risk;
		goto out;
	}
	rc = UK_EXIT_RUNTIME;
	if ((name = uk_report_machine_name(db, s.verify_run, path)) == NULL ||
	    uk_db_prepare(fleet, "INSERT INTO machine(machine, db, level, risk, critical, "
	                  "high, medium, skipped_profiles, loadstate_incomplete, runs, "
	                  "verify_run) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	                  "nullif(?11, 0))", &st) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, s.risk);
	sqlite3_bind_text(st, 4, uk_risk_name(s.risk), -1, SQLITE_STATIC);
	for (int l = 3; l >= 1; l--)
		sqlite3_bind_int64(st, 8 - l, s.at_risk[l]);
	sqlite3_bind_int64(st, 8, s.skipped_profiles);
	sqlite3_bind_int(st, 9, s.last_loadstate_incomplete);
	sqlite3_bind_int64(st, 10, s.runs);
	sqlite3_bind_int64(st, 11, s.verify_run);
	if (sqlite3_step(st) == SQLITE_DONE) {
		rc = 0;
		if ((int)s.risk > *worst)
			*worst = (int)s.risk;
	} else {
		uk_error("fleet: %s", sqlite3_errmsg(fleet));
	}
out:
	sqlite3_finalize(st);
	free(name);
	uk_db_close(db);
	return rc;
}

static const char *text_of(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

static int fleet_text(sqlite3 *fleet, int risk, FILE *f)
{
	sqlite3_stmt *st;
	char up[16];
	size_t i;

	for (i = 0; uk_risk_name(risk)[i]; i++)
		up[i] = (char)(uk_risk_name(risk)[i] - 32);
	up[i] = '\0';
	fprintf(f, "FLEET RISK: %s\n", up);
	if (uk_db_prepare(fleet, rows_sql, &st) != SQLITE_OK)
		return -1;
	fprintf(f, "  %-24s %-9s %8s %5s %6s %8s  %s\n", "machine", "risk", "critical", "high",
	        "medium", "profiles", "last LoadState completed");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *m = uk_out_escape(text_of(st, 0));
		fprintf(f, "  %-24s %-9s %8s %5s %6s %8s  %s\n", m ? m : "?", text_of(st, 1),
		        text_of(st, 2), text_of(st, 3), text_of(st, 4), text_of(st, 5),
		        text_of(st, 6));
		free(m);
	}
	return sqlite3_finalize(st);
}

static int fleet_csv(sqlite3 *fleet, FILE *f)
{
	sqlite3_stmt *st;

	if (uk_db_prepare(fleet, rows_sql, &st) != SQLITE_OK)
		return -1;
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++)
		uk_csv_field(f, sqlite3_column_name(st, i), i == n - 1);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < n; i++)
			uk_csv_field(f, (const char *)sqlite3_column_text(st, i), i == n - 1);
	return sqlite3_finalize(st);
}

static int fleet_json(sqlite3 *fleet, int risk, FILE *f)
{
	sqlite3_stmt *st = NULL;
	size_t n;
	int rc, first = 1, done = 0;

	if (uk_db_prepare(fleet, json_head_sql, &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, UK_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uk_risk_name(risk), -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW || (n = strlen(text_of(st, 0))) < 2)
		goto out;
	/* The head object without its closing brace, then the two members. */
	fprintf(f, "%.*s,\"machines\":[", (int)(n - 1), text_of(st, 0));
	sqlite3_finalize(st);
	if (uk_db_prepare(fleet, json_machine_sql, &st) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fprintf(f, "%s%s", first ? "" : ",", text_of(st, 0));
		first = 0;
	}
	if (rc != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	if (uk_db_prepare(fleet, json_totals_sql, &st) != SQLITE_OK)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		goto out;
	fprintf(f, "],\"totals\":%s}\n", text_of(st, 0));
	done = 1;
out:
	sqlite3_finalize(st);
	if (done)
		return SQLITE_OK;
	return rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_ERROR : rc;
}

static int fleet_cmtrace(sqlite3 *fleet, FILE *f)
{
	sqlite3_stmt *st;
	struct timespec ts;
	struct tm tm;
	int off = 0;

	uk_fs_clock_real(&ts);
	if (uk_fs_localtime((int64_t)ts.tv_sec, &tm, &off) != 0)
		memset(&tm, 0, sizeof tm);
	if (uk_db_prepare(fleet, "SELECT level, printf('%s: risk %s (%d critical, %d high, "
	                  "%d medium files at risk, %d skipped profiles)', machine, risk, "
	                  "critical, high, medium, skipped_profiles) FROM machine ORDER BY seq",
	                  &st) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char line[4096];
		int level = sqlite3_column_int(st, 0);
		char *m = uk_out_escape(text_of(st, 1));
		uk_cmtrace_format(line, sizeof line, m ? m : "?", "usmt-report",
		                  level >= 2 ? UK_ERROR : level == 1 ? UK_WARN : UK_INFO,
		                  uk_fs_thread_id(), &ts, &tm, -off);
		fprintf(f, "%s\r\n", line);
		free(m);
	}
	return sqlite3_finalize(st);
}

int uk_report_merge(const uk_report_opts *o, FILE *f)
{
	sqlite3 *fleet = NULL;
	int rc = UK_EXIT_RUNTIME, risk = 0, wrc;

	if (sqlite3_open(":memory:", &fleet) != SQLITE_OK || uk_report_sql_functions(fleet) != 0 ||
	    sqlite3_exec(fleet, fleet_schema, NULL, NULL, NULL) != SQLITE_OK) {
		uk_error("fleet: %s", sqlite3_errmsg(fleet));
		goto out;
	}
	/* JSON lines are written machine by machine: a database refused after
	 * the first lines would leave a stream of fine machines only. Every
	 * input is checked first, in every format alike, so a missing, foreign
	 * or empty one, or one with nothing to judge, stops the report before a
	 * line is written or a machine analysed. */
	for (int i = 0; i < o->nargs; i++) {
		sqlite3 *db = NULL;
		if ((rc = uk_report_open_input(o->args[i], &db)) == 0)
			rc = uk_report_input_judged(db, o->args[i]);
		uk_db_close(db);
		if (rc != 0)
			goto out;
	}
	risk = -1;
	for (int i = 0; i < o->nargs; i++)
		if ((rc = add_machine(fleet, o->args[i], o->format, f, &risk)) != 0)
			goto out;
	/* No machine judged is no risk "none": exit 3. */
	rc = UK_EXIT_RUNTIME;
	if (risk < 0) {
		uk_error("fleet: no machine was judged");
		goto out;
	}
	switch (o->format) {
	case UK_FMT_JSON: wrc = fleet_json(fleet, risk, f); break;
	case UK_FMT_JSONL: wrc = SQLITE_OK; break; /* written machine by machine */
	case UK_FMT_CSV: wrc = fleet_csv(fleet, f); break;
	case UK_FMT_CMTRACE: wrc = fleet_cmtrace(fleet, f); break;
	case UK_FMT_HTML:
		rc = uk_report_html_fleet(fleet, risk, rows_sql, f);
		if (rc)
			goto out;
		wrc = SQLITE_OK;
		break;
	default: wrc = fleet_text(fleet, risk, f); break;
	}
	if (wrc != SQLITE_OK) {
		if (wrc != -1) /* -1: uk_db_prepare() said why */
			uk_error("fleet: %s", sqlite3_errmsg(fleet));
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	rc = risk == UK_RISK_NONE ? UK_EXIT_OK : UK_EXIT_FINDINGS;
out:
	sqlite3_close(fleet);
	return rc;
}
