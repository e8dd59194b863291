/* --format jsonl (SPEC.md section 4a): one JSON object a line, the machine
 * first (its verdict), then one object per file at risk; --merge writes the
 * same lines for each machine in turn. */
#include <stdlib.h>
#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "report.h"
#include "json_sql.h"

static const char machine_sql[] =
	"SELECT json_object('kind', 'machine', 'tool', 'usmt-report', 'version', ?1,"
	" 'machine', uk_utf8(?5), 'db', uk_utf8(?3), 'risk', ?2, " UK_JSON_VERDICT ","
	" 'skipped_profiles', (SELECT count(*) FROM log_skipped_profile),"
	" 'last_loadstate_incomplete', " BOOL("EXISTS (SELECT 1 FROM rpt_why"
	"   WHERE reason = 'loadstate-incomplete')") ","
	" 'runs', (SELECT count(*) FROM log_run), 'logs', (SELECT count(*) FROM log_file),"
	" 'verify_run', nullif(?4, 0))";

static const char at_risk_sql[] =
	"SELECT json_object('kind', 'at_risk', 'machine', uk_utf8(?1)," UK_JSON_AT_RISK ")"
	" FROM rpt_risk k ORDER BY k.level DESC, k.path COLLATE NOCASE";

/* Every row of st, one a line. */
static int lines(sqlite3_stmt *st, FILE *f)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs((const char *)sqlite3_column_text(st, 0), f);
		fputc('\n', f);
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

int uk_report_jsonl(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f)
{
	sqlite3_stmt *m = NULL, *r = NULL;
	char *name = uk_report_machine_name(db, s->verify_run, label);
	int rc = UK_EXIT_RUNTIME;

	if (uk_db_prepare(db, machine_sql, &m) != SQLITE_OK ||
	    uk_db_prepare(db, at_risk_sql, &r) != SQLITE_OK)
		goto out; /* it said why */
	uk_report_json_bind(m, s, label);
	if (name) {
		sqlite3_bind_text(m, 5, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(r, 1, name, -1, SQLITE_STATIC);
	}
	if (lines(m, f) == 0 && lines(r, f) == 0)
		rc = 0;
	else
		uk_error("database: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(m);
	sqlite3_finalize(r);
	free(name);
	return rc;
}
