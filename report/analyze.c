/* The join and the risk levels (SPEC.md section 3), done in SQL on the
 * connection's temp tables so every writer reads the same answer:
 *   rpt_logged  every path a log names (Error/Warning records with a path,
 *               /progress errors), after the verify run's --map rules;
 *               source: loadstate | scanstate | usmt (unknown program) | progress
 *   rpt_risk    one row per Windows path at risk (spelled as verify recorded it
 *               when it did): level, reasons, verdict
 *   rpt_why     risks that are not one file (skipped profile, unfinished run,
 *               a log that is no USMT log)
 *   rpt_warning what the report could not judge, said in every format (JSON
 *               `warnings`); `risk` 1 when the same text is also in rpt_why
 * Levels: critical = a sole copy, a skipped profile, the last LoadState run
 * unfinished; high = a logged error no verify verdict accounts for (no
 * entry, or not linked/identical/excluded), an unreadable entry, ignored
 * errors (/c) with no verify run at all, a log that could not be read as a
 * USMT log, whole or in part (it is no evidence either way); medium = modified, missing (with
 * another link left), read-only to re-apply. */
#include <stdio.h>
#include <string.h>
#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "report.h"

static const char analyze_sql[] =
	/* The rpt_ tables stay in SQLite's page cache up to 16 MiB (a bound, so
	 * memory stays flat) before they spill to a file: with the default 2 MiB
	 * these statements took twice as long on a log naming 26 k files. */
	"PRAGMA temp.cache_size = -16384;"
	"DROP TABLE IF EXISTS temp.rpt_logged;"
	"DROP TABLE IF EXISTS temp.rpt_entry;"
	"DROP TABLE IF EXISTS temp.rpt_risk;"
	"DROP TABLE IF EXISTS temp.rpt_why;"
	"DROP TABLE IF EXISTS temp.rpt_warning;"
	"DROP TABLE IF EXISTS temp.rpt_file;"
	"CREATE TEMP TABLE rpt_logged(fkey TEXT NOT NULL, path TEXT NOT NULL, source TEXT NOT NULL,"
	"  log TEXT, run INTEGER, time TEXT, level TEXT, win32 INTEGER, action TEXT, message TEXT);"
	/* The logs in name order, its rowid the order: the events are then read
	 * in the order they are listed, through the keys, and never sorted. */
	"CREATE TEMP TABLE rpt_file AS SELECT id, name FROM log_file ORDER BY name, id;"
	"INSERT INTO rpt_logged SELECT uk_fold(uk_map(e.path)), uk_map(e.path),"
	"  coalesce(r.program, 'usmt'), f.name, r.seq, e.time, e.level, e.win32, NULL, e.message"
	"  FROM rpt_file f JOIN log_run r ON r.log_id = f.id JOIN log_event e ON e.run_id = r.id"
	"  WHERE e.path IS NOT NULL AND (e.level = 'error' OR e.win32 IS NOT NULL)"
	"  ORDER BY f.rowid, r.seq, e.seq;"
	"INSERT INTO rpt_logged SELECT uk_fold(uk_map(p.path)), uk_map(p.path), 'progress', f.name,"
	"  NULL, p.time, 'error', p.win32, p.action, p.error || coalesce(', action ' || p.action, '')"
	"  FROM rpt_file f JOIN progress_error p ON p.log_id = f.id WHERE p.path IS NOT NULL"
	"  ORDER BY f.rowid, p.seq;"
	"DROP TABLE rpt_file;"
	"CREATE INDEX temp.rpt_logged_fkey ON rpt_logged(fkey);"
	"CREATE TEMP TABLE rpt_entry AS SELECT uk_fold(win_path) AS fkey, win_path, verdict,"
	"  sole_copy, readonly, size, local_path, error FROM entry"
	"  WHERE run_id = @run AND (type = 'file' OR verdict IS NOT NULL);"
	"CREATE INDEX temp.rpt_entry_fkey ON rpt_entry(fkey);"
	/* logged: how many times the logs name the path; first_logged: the
	 * rpt_logged row of the first, whose spelling is the path's (a bare
	 * column beside min() is read from the row min() picked); judged: the
	 * verify run has an entry for it. reason_text is the list as the text
	 * formats print it, reasons the same as a JSON array (the words are
	 * fixed, none needs escaping). */
	"CREATE TEMP TABLE rpt_risk(fkey TEXT NOT NULL PRIMARY KEY, path TEXT NOT NULL,"
	"  level INTEGER NOT NULL DEFAULT 0, logged INTEGER NOT NULL DEFAULT 0,"
	"  first_logged INTEGER, judged INTEGER NOT NULL DEFAULT 0,"
	"  accounted INTEGER NOT NULL DEFAULT 0, verdict TEXT,"
	"  sole_copy INTEGER NOT NULL DEFAULT 0, readonly INTEGER NOT NULL DEFAULT 0,"
	"  size INTEGER, local_path TEXT, error TEXT, reason_text TEXT,"
	"  reasons TEXT AS ('[\"' || replace(reason_text, ', ', '\",\"') || '\"]') VIRTUAL);"
	/* A logged path verify did not judge is high, a logged error and
	 * nothing else: what the CASE below gives such a row, set here so the
	 * CASE runs only on the judged rows. */
	"INSERT INTO rpt_risk(fkey, path, logged, first_logged, level, reason_text)"
	"  SELECT fkey, path, count(*), min(rowid), 2, 'logged-error' FROM rpt_logged"
	"  GROUP BY fkey;"
	"INSERT OR IGNORE INTO rpt_risk(fkey, path) SELECT fkey, win_path FROM rpt_entry"
	"  WHERE sole_copy OR verdict IN ('missing', 'modified', 'unreadable', 'corrupt',"
	"  'changed-since-capture', 'lost-since-capture') OR"
	"  (readonly AND verdict IS NOT 'excluded');"
	"UPDATE rpt_risk SET path = e.win_path, verdict = e.verdict, sole_copy = e.sole_copy,"
	"  readonly = e.readonly AND e.verdict IS NOT 'excluded', size = e.size,"
	"  local_path = e.local_path, error = e.error,"
	"  accounted = coalesce(e.verdict IN ('linked', 'identical', 'excluded'), 0), judged = 1"
	"  FROM rpt_entry e WHERE e.fkey = rpt_risk.fkey;"
	/* Against the store's baseline: corrupt is a sole copy (critical), lost
	 * data is high (nothing left to destroy, but it was captured), an edit
	 * since the capture is medium, like modified. */
	"UPDATE rpt_risk SET level = CASE"
	"  WHEN sole_copy THEN 3"
	"  WHEN logged AND NOT accounted THEN 2"
	"  WHEN verdict IN ('unreadable', 'corrupt', 'lost-since-capture') THEN 2"
	"  WHEN verdict IN ('missing', 'modified', 'changed-since-capture') OR readonly THEN 1"
	"  ELSE 0 END, reason_text = substr(iif(logged AND NOT accounted, ', logged-error', '')"
	"  || iif(verdict IN ('missing', 'modified', 'unreadable', 'corrupt',"
	"    'changed-since-capture', 'lost-since-capture'), ', ' || verdict, '')"
	"  || iif(sole_copy, ', sole-copy', '') || iif(readonly, ', readonly', ''), 3)"
	"  WHERE judged;"
	"DELETE FROM rpt_risk WHERE level = 0;"
	"CREATE TEMP TABLE rpt_why(ord INTEGER PRIMARY KEY, level INTEGER NOT NULL,"
	"  reason TEXT NOT NULL, text TEXT NOT NULL);"
	"INSERT INTO rpt_why(level, reason, text) SELECT 3, 'skipped-profile',"
	"  printf('%s skipped the profile of %s (%s, line %d): its user''s files were not %s; '"
	"  || 'the store may hold their only copy', CASE r.program WHEN 'loadstate' THEN 'LoadState'"
	"  WHEN 'scanstate' THEN 'ScanState' ELSE 'USMT' END, s.sid,"
	"  f.name, s.line, iif(r.program = 'scanstate', 'captured', 'restored'))"
	"  FROM log_skipped_profile s JOIN log_run r ON r.id = s.run_id"
	"  JOIN log_file f ON f.id = r.log_id ORDER BY f.name, r.seq, s.line;"
	"INSERT INTO rpt_why(level, reason, text) SELECT 3, 'loadstate-incomplete',"
	"  printf('the last LoadState run (%s, started %s) did not complete%s', f.name,"
	"  coalesce(r.started, '?'), CASE WHEN r.return_code IS NOT NULL"
	"  THEN printf(' (return code %d)', r.return_code)"
	"  WHEN r.abort_logged THEN ': it aborted' ELSE ': no completion line' END)"
	"  FROM log_run r JOIN log_file f ON f.id = r.log_id"
	"  WHERE r.id = (SELECT r2.id FROM log_run r2 WHERE r2.program = 'loadstate'"
	"    ORDER BY coalesce(r2.started, '') DESC, r2.log_id DESC, r2.seq DESC LIMIT 1)"
	"  AND r.aborted;"
	"INSERT INTO rpt_why(level, reason, text) SELECT 3, 'loadstate-incomplete',"
	"  printf('the LoadState progress log %s records an Abort', f.name)"
	"  FROM progress_log p JOIN log_file f ON f.id = p.log_id"
	"  WHERE p.program = 'loadstate' AND p.aborted"
	"  AND NOT EXISTS (SELECT 1 FROM log_run WHERE program = 'loadstate');"
	"INSERT INTO rpt_why(level, reason, text) SELECT 2, 'errors-ignored',"
	"  printf('LoadState ignored %d error(s) because of /c (%s, started %s) and no verify run '"
	"  || 'checked the restored files', r.errors_ignored, f.name, coalesce(r.started, '?'))"
	"  FROM log_run r JOIN log_file f ON f.id = r.log_id"
	"  WHERE @run = 0 AND r.program = 'loadstate' AND r.errors_ignored > 0"
	"  ORDER BY f.name, r.seq;"
	"CREATE TEMP TABLE rpt_warning(ord INTEGER PRIMARY KEY, reason TEXT NOT NULL,"
	"  risk INTEGER NOT NULL, log TEXT, text TEXT NOT NULL);"
	/* Empty, binary or any other file without one record: nothing in it
	 * says the store is safe, so it cannot leave the report at none. */
	"INSERT INTO rpt_warning(reason, risk, log, text) SELECT 'not-a-usmt-log', 1, name,"
	"  printf('%s could not be read as a USMT log (no LoadState, ScanState or /progress '"
	"  || 'record in %d line(s), %d byte(s)): it is no evidence that the store can be deleted',"
	"  name, lines, size) FROM log_file WHERE kind = 'empty' ORDER BY name;"
	/* Half a log is no evidence either: lines that are no record nor part
	 * of one (binary data, NUL runs, text before any record) are where the
	 * errors may be. The same reason, so every format lists it. */
	"INSERT INTO rpt_warning(reason, risk, log, text) SELECT 'not-a-usmt-log', 1, name,"
	"  printf('%s could not be read as a USMT log in part: %d of its %d line(s) are no '"
	"  || 'LoadState, ScanState or /progress record nor part of one (binary data, NUL bytes '"
	"  || 'or stray text); errors logged there are not in this report, so it is no evidence '"
	"  || 'that the store can be deleted', name, unknown_lines, lines)"
	"  FROM log_file WHERE kind <> 'empty' AND unknown_lines > 0 ORDER BY name;"
	"INSERT INTO rpt_why(level, reason, text) SELECT 2, reason, text FROM rpt_warning"
	"  WHERE risk ORDER BY ord;"
	/* Finished runs not joined because each covers only some of the stores
	 * (a store verified alone into a database other stores' runs are in):
	 * with no run that counts, or newer than it. They are no "none": with no
	 * run joined the report is high at least; a newer one that found files
	 * at risk is high too; critical when it is a store's latest run and found
	 * a sole copy. */
	"DROP VIEW IF EXISTS temp.rpt_latest;" /* left by an analysis that failed half-way */
	"CREATE TEMP VIEW rpt_latest AS SELECT s.id AS store_id, (SELECT v.id FROM verify_run v"
	"  JOIN verify_run_store vs ON vs.run_id = v.id WHERE vs.store_id = s.id"
	"  AND v.finished IS NOT NULL ORDER BY v.id DESC LIMIT 1) AS run_id FROM store s;"
	"INSERT INTO rpt_warning(reason, risk, text) SELECT 'verify-partial',"
	"  @run = 0 OR EXISTS (SELECT 1 FROM rpt_latest l JOIN verify_run v ON v.id = l.run_id"
	"    WHERE v.id > @run AND v.result = 'risk'),"
	"  CASE WHEN @run = 0 THEN printf('no finished verify run covers all %d stores this '"
	"  || 'database knows (verify run(s) %s each cover only some): their verdicts are not '"
	"  || 'joined, and nothing here says a store can be deleted', (SELECT count(*) FROM store),"
	"  group_concat(id, ', ')) ELSE printf('verify run(s) %s, newer than run %d (the latest '"
	"  || 'that covers all %d stores this database knows, the one judged here), cover only '"
	"  || 'some of them%s', group_concat(id, ', '), @run, (SELECT count(*) FROM store),"
	"  iif(max(result = 'risk'), ' and found files at risk', '')) END"
	"  || '; run usmt-verify once with every STORE, or give each store a --db of its own'"
	"  FROM (SELECT id, result FROM verify_run WHERE finished IS NOT NULL AND id > @run"
	"  ORDER BY id) HAVING count(*) > 0;"
	"INSERT INTO rpt_why(level, reason, text) SELECT CASE WHEN EXISTS (SELECT 1 FROM"
	"  rpt_latest l JOIN verify_run v ON v.id = l.run_id WHERE v.id > @run AND"
	"  v.sole_copy > 0) THEN 3 ELSE 2 END, reason, text FROM rpt_warning"
	"  WHERE reason = 'verify-partial' AND risk;"
	"DROP VIEW rpt_latest;"
	"INSERT INTO rpt_warning(reason, risk, text) SELECT 'verify-unfinished', 0,"
	"  printf('verify run %d (started %s) never finished: it is no evidence that the store '"
	"  || 'can be deleted', id, coalesce(started, '?')) FROM verify_run"
	"  WHERE finished IS NULL AND id > @run ORDER BY id DESC LIMIT 1;";

/* The run purge's gate takes for every store the database knows. */
static int64_t latest_verify_run(sqlite3 *db)
{
	int64_t id;

	return uk_db_verify_run(db, NULL, 0, &id) == 0 ? id : -1;
}

/* Runs analyze_sql statement by statement with @run bound. */
static int exec_bound(sqlite3 *db, const char *sql, int64_t run)
{
	const char *tail = sql;

	while (*tail) {
		sqlite3_stmt *st = NULL;
		/* Raw: uk_db_prepare() has no tail; the caller says why it failed. */
		int rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
		if (rc != SQLITE_OK)
			return rc;
		if (!st)
			continue;
		int i = sqlite3_bind_parameter_index(st, "@run");
		if (i > 0)
			sqlite3_bind_int64(st, i, run);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			return rc;
	}
	return SQLITE_OK;
}

/* One aggregate; -1 after saying why it failed (never a count of 0). */
static long long count(sqlite3 *db, const char *sql, int arg)
{
	sqlite3_stmt *st;
	long long n = -1;

	if (uk_db_prepare(db, sql, &st) != SQLITE_OK)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		uk_error("database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return n;
}

int uk_report_analyze(sqlite3 *db, uk_report_summary *s)
{
	memset(s, 0, sizeof *s);
	s->verify_run = latest_verify_run(db);
	if (s->verify_run < 0 || uk_report_load_map(db, s->verify_run) != 0)
		return UK_EXIT_RUNTIME; /* each said why */
	if (exec_bound(db, analyze_sql, s->verify_run) != SQLITE_OK) {
		uk_error("database: %s", sqlite3_errmsg(db));
		return UK_EXIT_RUNTIME;
	}
	for (int l = UK_RISK_MEDIUM; l <= UK_RISK_CRITICAL; l++)
		s->at_risk[l] = count(db, "SELECT count(*) FROM rpt_risk WHERE level = ?1", l);
	s->risk = (int)count(db, "SELECT max(coalesce((SELECT max(level) FROM rpt_risk), 0),"
	                         " coalesce((SELECT max(level) FROM rpt_why), 0))", 0);
	s->skipped_profiles = count(db, "SELECT count(*) FROM log_skipped_profile", 0);
	long long incomplete =
		count(db, "SELECT count(*) FROM rpt_why WHERE reason = 'loadstate-incomplete'", 0);
	s->last_loadstate_incomplete = incomplete > 0;
	s->runs = count(db, "SELECT count(*) FROM log_run", 0);
	s->logs = count(db, "SELECT count(*) FROM log_file", 0);
	s->partial_verify = s->verify_run ? 0 :
		count(db, "SELECT count(*) FROM verify_run WHERE finished IS NOT NULL", 0);
	s->unfinished_verify = count(db, "SELECT coalesce(max(id), 0) FROM verify_run"
	                                 " WHERE finished IS NULL AND id > ?1", (int)s->verify_run);
	/* A failed count is no count: never "nothing at risk" on a database error. */
	if (s->at_risk[UK_RISK_MEDIUM] < 0 || s->at_risk[UK_RISK_HIGH] < 0 ||
	    s->at_risk[UK_RISK_CRITICAL] < 0 || s->risk < 0 || s->skipped_profiles < 0 ||
	    incomplete < 0 || s->runs < 0 || s->logs < 0 || s->unfinished_verify < 0)
		return UK_EXIT_RUNTIME;
	return 0;
}

void uk_report_warn(sqlite3 *db, const char *where)
{
	sqlite3_stmt *st;

	if (uk_db_prepare(db, "SELECT text FROM rpt_warning ORDER BY ord", &st) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (where)
			uk_warn("%s: %s", where, t);
		else
			uk_warn("%s", t);
	}
	sqlite3_finalize(st);
}

const char *uk_risk_name(int risk)
{
	static const char *const names[] = { "none", "medium", "high", "critical" };
	return risk >= 0 && risk <= UK_RISK_CRITICAL ? names[risk] : "none";
}
