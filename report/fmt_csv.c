/* --format csv: one record per Windows path at risk, with a header; every
 * risk that is not one file (each reason of JSON's risk_reasons: a skipped
 * profile, an unfinished LoadState run, errors ignored with no verify run,
 * a log that could not be read as a USMT log, verify runs not joined) is a
 * record of its own (no path). */
#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "report.h"

static const char csv_sql[] =
	"SELECT CASE level WHEN 3 THEN 'critical' WHEN 2 THEN 'high' ELSE 'medium' END, path,"
	" reasons, verdict, sole_copy, readonly, size, local_path, win32, win32_name, log, message"
	" FROM (SELECT 0 AS ord, k.level, k.path, replace(k.reason_text, ', ', ';')"
	"   AS reasons, verdict, iif(sole_copy, 'yes', 'no') AS sole_copy,"
	"   iif(readonly, 'yes', 'no') AS readonly, size, local_path, l.win32,"
	"   uk_win32_name(l.win32) AS win32_name, l.log, l.message"
	"   FROM rpt_risk k LEFT JOIN rpt_logged l ON l.rowid = k.first_logged"
	"  UNION ALL SELECT ord, level, NULL, reason, NULL, 'no', 'no', NULL, NULL, NULL, NULL,"
	"   (SELECT log FROM rpt_warning w WHERE w.risk AND w.reason = y.reason"
	"    AND w.text = y.text), text FROM rpt_why y)"
	" ORDER BY level DESC, path IS NOT NULL, path COLLATE NOCASE, ord";

static const char *const csv_header[] = {
	"risk", "path", "reasons", "verdict", "sole_copy", "readonly", "size", "local_path",
	"win32", "win32_name", "log", "logged_message",
};

int uk_report_csv(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f)
{
	enum { NCOL = sizeof csv_header / sizeof csv_header[0] };
	sqlite3_stmt *st;

	if (uk_db_prepare(db, csv_sql, &st) != SQLITE_OK)
		return UK_EXIT_RUNTIME;
	for (int i = 0; i < NCOL; i++)
		uk_csv_field(f, csv_header[i], i == NCOL - 1);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < NCOL; i++)
			uk_csv_field(f, (const char *)sqlite3_column_text(st, i), i == NCOL - 1);
	if (sqlite3_finalize(st) != SQLITE_OK) {
		uk_error("database: %s", sqlite3_errmsg(db));
		return UK_EXIT_RUNTIME;
	}
	return 0;
}
