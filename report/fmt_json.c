/* --format json: one object, built entirely by SQLite's JSON functions
 * (SPEC.md section 3 keys), so every string is escaped by SQLite. Text from
 * logs is UTF-8 by construction (the reader converts); names from the file
 * system or the command line pass through uk_utf8() first. */
#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "report.h"
#include "json_sql.h"

static const char json_sql[] =
	"SELECT json_object("
	" 'tool', 'usmt-report', 'version', ?1, 'risk', ?2, 'db', uk_utf8(?3),"
	" " UK_JSON_VERDICT ","
	" 'verify', (SELECT json_object('run_id', v.id, 'started', v.started,"
	"   'finished', v.finished, 'files', v.files, 'result', v.result,"
	"   'verdicts', json((SELECT json_group_object(verdict, n) FROM (SELECT verdict,"
	"     count(*) AS n FROM entry WHERE run_id = v.id AND verdict IS NOT NULL"
	"     GROUP BY verdict ORDER BY verdict))))"
	"   FROM verify_run v WHERE v.id = ?4),"
	" 'runs', json((SELECT json_group_array(json(j)) FROM (SELECT json_object("
	"   'log', uk_utf8(f.name), 'program', r.program, 'version', r.version,"
	"   'started', r.started, 'completed', r.completed, 'command_line', r.command_line,"
	"   'used_c', " BOOL("r.used_c") ", 'errors_ignored', r.errors_ignored,"
	"   'return_code', r.return_code, 'aborted', " BOOL("r.aborted") ","
	"   'events', json((SELECT json_group_array(json_object('time', e.time,"
	"     'level', e.level, 'code', e.code, 'win32', e.win32,"
	"     'win32_name', uk_win32_name(e.win32), 'path', e.path, 'message', e.message))"
	"     FROM (SELECT * FROM log_event WHERE run_id = r.id ORDER BY seq) e)),"
	"   'skipped_profiles', json((SELECT json_group_array(json_object('sid', s.sid,"
	"     'time', s.time, 'win32', s.win32, 'win32_name', uk_win32_name(s.win32)))"
	"     FROM (SELECT * FROM log_skipped_profile WHERE run_id = r.id ORDER BY line) s)),"
	"   'error_summary', json((SELECT json_group_array(json_object('win32', x.win32,"
	"     'win32_name', uk_win32_name(x.win32), 'caused_abort', " BOOL("x.caused_abort") ","
	"     'recurrence', x.recurrence, 'first', x.first))"
	"     FROM (SELECT * FROM log_error_summary WHERE run_id = r.id ORDER BY seq) x))"
	"   ) AS j FROM log_run r JOIN log_file f ON f.id = r.log_id ORDER BY f.name, r.seq))),"
	" 'progress', json((SELECT json_group_array(json(j)) FROM (SELECT json_object("
	"   'log', uk_utf8(f.name), 'program', p.program, 'version', p.version,"
	"   'computer', p.computer, 'command_line', p.command_line,"
	"   'aborted', " BOOL("p.aborted") ", 'ignored', p.ignored,"
	"   'errors', json((SELECT json_group_array(json_object('time', x.time,"
	"     'error', x.error, 'path', x.path, 'action', x.action, 'win32', x.win32,"
	"     'win32_name', uk_win32_name(x.win32)))"
	"     FROM (SELECT * FROM progress_error WHERE log_id = p.log_id ORDER BY seq) x))"
	"   ) AS j FROM progress_log p JOIN log_file f ON f.id = p.log_id ORDER BY f.name))),"
	" 'at_risk', json((SELECT json_group_array(json(j)) FROM (SELECT json_object("
	UK_JSON_AT_RISK
	"   ) AS j FROM rpt_risk k ORDER BY k.level DESC, k.path COLLATE NOCASE)))"
	")";

void uk_report_json_bind(sqlite3_stmt *st, const uk_report_summary *s, const char *label)
{
	sqlite3_bind_text(st, 1, UK_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uk_risk_name(s->risk), -1, SQLITE_STATIC);
	if (label)
		sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, s->verify_run);
}

int uk_report_json(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f)
{
	sqlite3_stmt *st;
	int rc = UK_EXIT_RUNTIME;

	if (uk_db_prepare(db, json_sql, &st) != SQLITE_OK)
		return rc;
	uk_report_json_bind(st, s, label);
	if (sqlite3_step(st) == SQLITE_ROW) {
		fputs((const char *)sqlite3_column_text(st, 0), f);
		fputc('\n', f);
		rc = 0;
	}
	if (rc)
		uk_error("database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}
