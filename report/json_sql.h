/* SQL fragments the json and jsonl writers share (SQLite JSON functions
 * over the analysis' rpt_ tables, SPEC.md section 3 keys). */
#ifndef UK_REPORT_JSON_SQL_H
#define UK_REPORT_JSON_SQL_H

#include <sqlite3.h>
#include "report.h"

/* ?1 version, ?2 risk, ?3 the database shown (NULL: none), ?4 the verify run. */
void uk_report_json_bind(sqlite3_stmt *st, const uk_report_summary *s, const char *label);

#define BOOL(x) "json(CASE WHEN " x " THEN 'true' ELSE 'false' END)"

/* Keys of the verdict: risk_reasons, warnings, at_risk_files. */
#define UK_JSON_VERDICT \
	"'risk_reasons', json((SELECT json_group_array(json_object('risk'," \
	"   CASE level WHEN 3 THEN 'critical' WHEN 2 THEN 'high' ELSE 'medium' END," \
	"   'reason', reason, 'text', uk_utf8(text))) FROM (SELECT * FROM rpt_why ORDER BY level DESC, ord)))," \
	" 'warnings', json((SELECT json_group_array(uk_utf8(text)) FROM" \
	"   (SELECT text FROM rpt_warning ORDER BY ord)))," \
	" 'at_risk_files', json_object(" \
	"   'critical', (SELECT count(*) FROM rpt_risk WHERE level = 3)," \
	"   'high', (SELECT count(*) FROM rpt_risk WHERE level = 2)," \
	"   'medium', (SELECT count(*) FROM rpt_risk WHERE level = 1))"

/* The keys of one file at risk, row k of rpt_risk. */
#define UK_JSON_AT_RISK \
	"   'path', uk_utf8(k.path), 'risk', CASE k.level WHEN 3 THEN 'critical' WHEN 2 THEN 'high'" \
	"     ELSE 'medium' END, 'reasons', json(k.reasons), 'verdict', k.verdict," \
	"   'sole_copy', " BOOL("k.sole_copy") ", 'readonly', " BOOL("k.readonly") "," \
	"   'size', k.size, 'local_path', uk_utf8(k.local_path), 'error', uk_utf8(k.error)," \
	"   'logged', json((SELECT json_group_array(json_object('log', uk_utf8(l.log)," \
	"     'source', l.source, 'time', l.time, 'level', l.level, 'win32', l.win32," \
	"     'win32_name', uk_win32_name(l.win32), 'action', l.action, 'message', l.message))" \
	"     FROM (SELECT * FROM rpt_logged WHERE fkey = k.fkey ORDER BY rowid) l))"

#endif
