/* --format cmtrace: the report as CMTrace lines (SPEC.md section 6), so an
 * admin reads it beside the task sequence's own logs. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db.h"
#include "exitcode.h"
#include "fs.h"
#include "out.h"
#include "report.h"

typedef struct cmt {
	FILE *f;
	struct timespec ts;
	struct tm tm;
	int bias;
} cmt;

/* One line; the message may not break the CMTrace framing, and a control
 * character in a name is shown escaped (\n, \t, \xNN), never raw. */
static void line(cmt *c, int type, const char *msg)
{
	char *m = uk_out_escape(msg ? msg : ""), buf[8192];
	char *p;

	if (!m)
		return;
	while ((p = strstr(m, "]LOG]!>")) != NULL)
		p[6] = ')';
	uk_cmtrace_format(buf, sizeof buf, m, "usmt-report", type, uk_fs_thread_id(), &c->ts,
	                  &c->tm, c->bias);
	fputs(buf, c->f);
	fputs("\r\n", c->f);
	free(m);
}

static int level_type(int level)
{
	return level >= UK_RISK_HIGH ? UK_ERROR : level == UK_RISK_MEDIUM ? UK_WARN : UK_INFO;
}

static const char cmt_sql[] =
	"SELECT level, text FROM (SELECT 0 AS part, level, ord AS o, text FROM rpt_why"
	" UNION ALL SELECT 0, 1, ord, text FROM rpt_warning WHERE NOT risk"
	" UNION ALL SELECT 1, k.level, 0, printf('%s: %s (%s%s)%s',"
	"   CASE k.level WHEN 3 THEN 'critical' WHEN 2 THEN 'high' ELSE 'medium' END, k.path,"
	"   k.reason_text, coalesce('; on disk now: ' || k.verdict, '; no verify verdict'),"
	"   coalesce(' -- logged: ' || l.message, ''))"
	"   FROM rpt_risk k LEFT JOIN rpt_logged l ON l.rowid = k.first_logged"
	" UNION ALL SELECT 2, iif(r.aborted, 2, 0), r.id, printf('%s run %d: %s %s, started %s, '"
	"   || '%s%s%s%s', f.name, r.seq + 1, coalesce(r.program, '?'), coalesce(r.version, ''),"
	"   coalesce(r.started, '?'), coalesce('completed ' || r.completed, 'did not complete'),"
	"   iif(r.used_c, ', /c', ''), iif(r.errors_ignored IS NULL, '',"
	"   printf(', %d errors ignored', r.errors_ignored)), iif(r.return_code IS NULL, '',"
	"   printf(', return code %d', r.return_code)))"
	"   FROM log_run r JOIN log_file f ON f.id = r.log_id)"
	" ORDER BY part, level DESC, o, text";

int uk_report_cmtrace(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f)
{
	cmt c = { .f = f };
	sqlite3_stmt *st;
	char head[256];
	int off = 0;

	uk_fs_clock_real(&c.ts);
	if (uk_fs_localtime((int64_t)c.ts.tv_sec, &c.tm, &off) != 0)
		memset(&c.tm, 0, sizeof c.tm);
	c.bias = -off; /* CMTrace: minutes to add to local time for UTC */
	snprintf(head, sizeof head, "risk %s: %lld file(s) at risk (%lld critical, %lld high, "
	         "%lld medium), %lld run(s) in %lld log(s)", uk_risk_name(s->risk),
	         s->at_risk[1] + s->at_risk[2] + s->at_risk[3], s->at_risk[3], s->at_risk[2],
	         s->at_risk[1], s->runs, s->logs);
	line(&c, level_type(s->risk), head);
	if (uk_db_prepare(db, cmt_sql, &st) != SQLITE_OK)
		return UK_EXIT_RUNTIME;
	while (sqlite3_step(st) == SQLITE_ROW)
		line(&c, level_type(sqlite3_column_int(st, 0)),
		     (const char *)sqlite3_column_text(st, 1));
	if (sqlite3_finalize(st) != SQLITE_OK) {
		uk_error("database: %s", sqlite3_errmsg(db));
		return UK_EXIT_RUNTIME;
	}
	return 0;
}
