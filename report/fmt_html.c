/* --format html: one self-contained page (inline CSS, no scripts, nothing
 * external) built as a libxml2 HTML tree, so every name is escaped by the
 * serializer. Summary first, then the files at risk, then a section a run. */
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "report.h"

static const char css[] =
	"body{font-family:Segoe UI,Arial,sans-serif;margin:2em;color:#222}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}"
	".verdict{font-size:1.3em;padding:.6em 1em;border-radius:4px}"
	".risk-critical .verdict{background:#fbe3e4;border-left:6px solid #b00020}"
	".risk-high .verdict{background:#fff0e0;border-left:6px solid #d35400}"
	".risk-medium .verdict{background:#fff8d6;border-left:6px solid #b7950b}"
	".risk-none .verdict{background:#e6f4ea;border-left:6px solid #1e7e34}"
	"table{border-collapse:collapse;margin:.5em 0;font-size:.9em}"
	"th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
	"th{background:#f2f2f2}td.path{font-family:Consolas,monospace;word-break:break-all;min-width:24em}"
	"tr.critical td:first-child{color:#b00020;font-weight:bold}"
	"tr.high td:first-child{color:#d35400;font-weight:bold}"
	"tr.medium td:first-child{color:#8a6d00}"
	"dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}"
	"footer{margin-top:2em;color:#777;font-size:.8em}";

static xmlNodePtr el(xmlNodePtr parent, const char *tag, const char *text)
{
	char *e = text ? uk_out_escape(text) : NULL;
	xmlNodePtr n = xmlNewTextChild(parent, NULL, BAD_CAST tag, e ? BAD_CAST e : NULL);

	free(e);
	return n;
}

static void attr(xmlNodePtr n, const char *name, const char *value)
{
	xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void row_cells(xmlNodePtr tr, sqlite3_stmt *st, int from, int to)
{
	for (int i = from; i < to; i++) {
		xmlNodePtr td = el(tr, "td", col(st, i));
		const char *name = sqlite3_column_name(st, i);
		if (name && strcmp(name, "path") == 0)
			attr(td, "class", "path");
	}
}

/* Finalizes st; a failed step says why here, as a failed prepare did. */
static int finish(sqlite3 *db, sqlite3_stmt *st)
{
	int rc = sqlite3_finalize(st);

	if (rc != SQLITE_OK)
		uk_error("database: %s", sqlite3_errmsg(db));
	return rc;
}

/* A table of every row of sql (?1 bound to id); the column names are the header. */
/* A table under parent (id: its id, or NULL) headed by st's column names;
 * returns its tbody. */
static xmlNodePtr head_table(xmlNodePtr parent, const char *id, sqlite3_stmt *st)
{
	xmlNodePtr t = el(parent, "table", NULL), tr;

	if (id)
		attr(t, "id", id);
	tr = el(el(t, "thead", NULL), "tr", NULL);
	for (int i = 0; i < sqlite3_column_count(st); i++)
		el(tr, "th", sqlite3_column_name(st, i));
	return el(t, "tbody", NULL);
}

static int table(sqlite3 *db, xmlNodePtr parent, const char *id, const char *sql,
                 int64_t bind)
{
	sqlite3_stmt *st;
	xmlNodePtr body = NULL;

	if (uk_db_prepare(db, sql, &st) != SQLITE_OK)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, bind);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!body)
			body = head_table(parent, id, st);
		row_cells(el(body, "tr", NULL), st, 0, sqlite3_column_count(st));
	}
	if (!body)
		el(parent, "p", "none");
	return finish(db, st);
}

static const char *verdict_text(const uk_report_summary *s)
{
	switch (s->risk) {
	case UK_RISK_CRITICAL: return "do not delete the store: it holds data found nowhere else";
	case UK_RISK_HIGH: return "do not delete the store before checking what is listed below";
	case UK_RISK_MEDIUM: return "files need attention before the store is deleted";
	}
	if (s->verify_run)
		return "nothing at risk: the store can be deleted";
	return s->unfinished_verify ? "nothing at risk in the logs given (the verify run never finished)"
	                            : "nothing at risk in the logs given (no verify run)";
}

static int summary(sqlite3 *db, const uk_report_summary *s, xmlNodePtr body)
{
	char buf[256];
	xmlNodePtr sec = el(body, "section", NULL), p, dl;
	sqlite3_stmt *st;

	attr(sec, "id", "summary");
	snprintf(buf, sizeof buf, "risk-%s", uk_risk_name(s->risk));
	attr(sec, "class", buf);
	p = el(sec, "p", "Risk: ");
	attr(p, "class", "verdict");
	attr(el(p, "strong", uk_risk_name(s->risk)), "id", "risk");
	xmlNodeAddContent(p, BAD_CAST " \xe2\x80\x94 ");
	xmlNodeAddContent(p, BAD_CAST verdict_text(s));
	if (uk_db_prepare(db, "SELECT CASE level WHEN 3 THEN 'critical' WHEN 2 THEN 'high' "
	                  "ELSE 'medium' END, text FROM rpt_why ORDER BY level DESC, ord",
	                  &st) != SQLITE_OK)
		return -1;
	xmlNodePtr ul = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!ul) {
			ul = el(sec, "ul", NULL);
			attr(ul, "id", "reasons");
		}
		attr(el(ul, "li", col(st, 1)), "class", col(st, 0));
	}
	if (finish(db, st) != SQLITE_OK ||
	    uk_db_prepare(db, "SELECT text FROM rpt_warning WHERE NOT risk ORDER BY ord",
	                  &st) != SQLITE_OK)
		return -1;
	ul = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!ul) {
			ul = el(sec, "ul", NULL);
			attr(ul, "id", "warnings");
		}
		attr(el(ul, "li", col(st, 0)), "class", "warning");
	}
	if (finish(db, st) != SQLITE_OK)
		return -1;
	dl = el(sec, "dl", NULL);
	snprintf(buf, sizeof buf, "%lld critical, %lld high, %lld medium", s->at_risk[3],
	         s->at_risk[2], s->at_risk[1]);
	el(dl, "dt", "Files at risk");
	el(dl, "dd", buf);
	snprintf(buf, sizeof buf, "%lld run(s) in %lld log(s)", s->runs, s->logs);
	el(dl, "dt", "Logs");
	el(dl, "dd", buf);
	el(dl, "dt", "Verify run");
	if (s->verify_run)
		snprintf(buf, sizeof buf, "%lld", (long long)s->verify_run);
	else if (s->partial_verify)
		snprintf(buf, sizeof buf, "none covers every store (%lld cover only some)",
		         s->partial_verify);
	else if (s->unfinished_verify)
		snprintf(buf, sizeof buf, "none finished (run %lld never finished)",
		         (long long)s->unfinished_verify);
	el(dl, "dd", s->verify_run || s->partial_verify || s->unfinished_verify ? buf : "none");
	return 0;
}

static const char files_sql[] =
	"SELECT CASE level WHEN 3 THEN 'critical' WHEN 2 THEN 'high' ELSE 'medium' END AS risk,"
	" path, reason_text AS reasons,"
	" coalesce(verdict, 'no verify verdict') || coalesce(' (' || error || ')', '')"
	"   AS \"on disk now\","
	" (SELECT group_concat(coalesce('error ' || win32 || coalesce(' ' ||"
	"   uk_win32_name(win32), '') || ': ', '') || replace(message, char(10), ' '), ' | ') FROM (SELECT * FROM"
	"   rpt_logged WHERE fkey = k.fkey ORDER BY rowid)) AS \"LoadState said\""
	" FROM rpt_risk k ORDER BY level DESC, path COLLATE NOCASE";

static int files(sqlite3 *db, xmlNodePtr body)
{
	xmlNodePtr sec = el(body, "section", NULL), tr, b;
	sqlite3_stmt *st;
	int any = 0;

	attr(sec, "id", "at-risk");
	el(sec, "h2", "Files at risk");
	if (uk_db_prepare(db, files_sql, &st) != SQLITE_OK)
		return -1;
	b = head_table(sec, "at-risk-files", st);
	while (sqlite3_step(st) == SQLITE_ROW) {
		tr = el(b, "tr", NULL);
		attr(tr, "class", col(st, 0));
		row_cells(tr, st, 0, sqlite3_column_count(st));
		any = 1;
	}
	if (!any)
		el(sec, "p", "No file is at risk.");
	return finish(db, st);
}

static const char run_sql[] =
	"SELECT r.id, f.name, r.seq + 1, coalesce(r.program, '?'), r.version, r.started,"
	" coalesce(r.completed, 'did not complete'), r.command_line, iif(r.used_c, 'yes', 'no'),"
	" r.errors_ignored, r.return_code, iif(r.aborted, 'yes', 'no')"
	" FROM log_run r JOIN log_file f ON f.id = r.log_id ORDER BY f.name, r.seq";

static int runs(sqlite3 *db, xmlNodePtr body)
{
	static const char *const labels[] = { NULL, NULL, NULL, "Program", "Version", "Started",
		"Completed", "Command line", "/c", "Errors ignored", "Return code", "Aborted" };
	sqlite3_stmt *st;
	int rc = 0;

	if (uk_db_prepare(db, run_sql, &st) != SQLITE_OK)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		char h[1024];
		int64_t id = sqlite3_column_int64(st, 0);
		xmlNodePtr sec = el(body, "section", NULL), dl;
		attr(sec, "class", "run");
		snprintf(h, sizeof h, "%s, run %d", col(st, 1), sqlite3_column_int(st, 2));
		el(sec, "h2", h);
		dl = el(sec, "dl", NULL);
		for (int i = 3; i < 12; i++) {
			if (sqlite3_column_type(st, i) == SQLITE_NULL)
				continue;
			el(dl, "dt", labels[i]);
			el(dl, "dd", col(st, i));
		}
		el(sec, "h3", "Profiles skipped");
		rc |= table(db, sec, NULL, "SELECT sid AS SID, time, win32 AS error, "
		            "uk_win32_name(win32) AS name FROM log_skipped_profile "
		            "WHERE run_id = ?1 ORDER BY line", id);
		el(sec, "h3", "USMT error summary");
		rc |= table(db, sec, NULL, "SELECT win32 AS error, uk_win32_name(win32) AS name, "
		            "iif(caused_abort, 'yes', 'no') AS \"caused abort\", recurrence, "
		            "first AS \"first occurrence\" FROM log_error_summary "
		            "WHERE run_id = ?1 ORDER BY seq", id);
		el(sec, "h3", "Errors and warnings");
		rc |= table(db, sec, NULL, "SELECT line, time, level, win32 AS error, "
		            "uk_win32_name(win32) AS name, path, message FROM log_event "
		            "WHERE run_id = ?1 ORDER BY seq", id);
	}
	if (finish(db, st) != SQLITE_OK || rc)
		return -1;
	if (uk_db_prepare(db, "SELECT p.log_id, f.name FROM progress_log p JOIN log_file f "
	                  "ON f.id = p.log_id ORDER BY f.name", &st) != SQLITE_OK)
		return -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		xmlNodePtr sec = el(body, "section", NULL);
		char h[1024];
		attr(sec, "class", "progress");
		snprintf(h, sizeof h, "%s (progress log)", col(st, 1));
		el(sec, "h2", h);
		rc |= table(db, sec, NULL, "SELECT line, time, error, path, action, win32 AS "
		            "\"error code\", uk_win32_name(win32) AS name FROM progress_error "
		            "WHERE log_id = ?1 ORDER BY seq", sqlite3_column_int64(st, 0));
	}
	return finish(db, st) != SQLITE_OK || rc ? -1 : 0;
}

/* An empty page: <html lang=en>, head with charset, title and the inline
 * style, a body with its h1. NULL on out of memory. */
static htmlDocPtr page(const char *title, const char *h1, xmlNodePtr *body)
{
	htmlDocPtr doc = htmlNewDocNoDtD(NULL, NULL);
	xmlNodePtr html, head;

	if (!doc)
		return NULL;
	xmlCreateIntSubset(doc, BAD_CAST "html", NULL, NULL);
	html = xmlNewNode(NULL, BAD_CAST "html");
	xmlDocSetRootElement(doc, html);
	attr(html, "lang", "en");
	head = el(html, "head", NULL);
	attr(el(head, "meta", NULL), "charset", "utf-8");
	el(head, "title", title);
	el(head, "style", css);
	*body = el(html, "body", NULL);
	el(*body, "h1", h1);
	return doc;
}

static htmlDocPtr build(sqlite3 *db, const uk_report_summary *s, const char *label)
{
	htmlDocPtr doc;
	xmlNodePtr body;
	char title[128], foot[1024];

	snprintf(title, sizeof title, "usmt-report: risk %s", uk_risk_name(s->risk));
	if (!(doc = page(title, "USMT migration store report", &body))) {
		uk_error("out of memory");
		return NULL;
	}
	if (summary(db, s, body) || files(db, body) || runs(db, body)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	snprintf(foot, sizeof foot, "usmt-report %s%s%s", UK_VERSION, label ? ", database " : "",
	         label ? label : "");
	el(body, "footer", foot);
	return doc;
}

static int save(htmlDocPtr doc, FILE *f)
{
	xmlOutputBufferPtr out;
	int rc = 0;

	out = xmlOutputBufferCreateFile(f, xmlFindCharEncodingHandler("UTF-8"));
	if (!out) {
		rc = UK_EXIT_RUNTIME;
	} else {
		htmlDocContentDumpFormatOutput(out, doc, "UTF-8", 1);
		if (xmlOutputBufferClose(out) < 0)
			rc = UK_EXIT_RUNTIME;
	}
	if (rc)
		uk_error("html: cannot write the report");
	xmlFreeDoc(doc);
	return rc;
}

int uk_report_html(sqlite3 *db, const uk_report_summary *s, const char *label, FILE *f)
{
	htmlDocPtr doc = build(db, s, label);

	if (!doc) /* build() said why */
		return UK_EXIT_RUNTIME;
	return save(doc, f);
}

/* The page around the machines: built and serialized whole into *frame, as
 * before, with placeholder rows in the tbody, from *mark to *end. */
static const char fleet_mark[] = "<tr class=\"uk-fleet-rows\">";

static int fleet_frame(sqlite3_stmt *st, int risk, xmlOutputBufferPtr *frame,
                       const char **mark, const char **end)
{
	htmlDocPtr doc;
	xmlNodePtr body, sec, p, b;
	const char *c;
	char buf[128];
	int rc = UK_EXIT_RUNTIME;

	snprintf(buf, sizeof buf, "usmt-report fleet: risk %s", uk_risk_name(risk));
	if (!(doc = page(buf, "USMT migration stores: fleet report", &body)))
		goto oom;
	sec = el(body, "section", NULL);
	attr(sec, "id", "summary");
	snprintf(buf, sizeof buf, "risk-%s", uk_risk_name(risk));
	attr(sec, "class", buf);
	p = el(sec, "p", "Fleet risk: ");
	attr(p, "class", "verdict");
	attr(el(p, "strong", uk_risk_name(risk)), "id", "risk");
	b = head_table(sec, "machines", st);
	/* Two rows, as the page always has (a machine and the totals): the
	 * serializer breaks the line after <tbody> only before several. */
	for (int i = 0; i < 2; i++)
		attr(el(b, "tr", NULL), "class", "uk-fleet-rows");
	if (!(*frame = xmlAllocOutputBuffer(xmlFindCharEncodingHandler("UTF-8"))))
		goto oom;
	htmlDocContentDumpFormatOutput(*frame, doc, "UTF-8", 1);
	if (!(c = (const char *)xmlOutputBufferGetContent(*frame)) ||
	    (*mark = strstr(c, fleet_mark)) == NULL ||
	    (*end = strstr(*mark + 1, fleet_mark)) == NULL || !(*end = strstr(*end, "</tr>")))
		goto oom;
	*end += strlen("</tr>");
	rc = 0;
	goto out;
oom:
	uk_error("html: cannot build the page (out of memory)");
out:
	xmlFreeDoc(doc);
	return rc;
}

/* The fleet page: the verdict, then a row a machine and the totals. Written
 * a row at a time (the whole tree was 40 MiB at 10,000 machines): each row
 * is built alone in a scratch tbody and serialized where the placeholder
 * row of the page was, so the bytes are the ones the whole tree gave. */
int uk_report_html_fleet(sqlite3 *fleet, int risk, const char *machines_sql, FILE *f)
{
	sqlite3_stmt *st = NULL;
	htmlDocPtr scratch = NULL;
	xmlNodePtr tbody;
	xmlOutputBufferPtr frame = NULL, out = NULL;
	const char *mark = NULL, *end = NULL;
	int rc = UK_EXIT_RUNTIME, first = 1, step;

	if (uk_db_prepare(fleet, machines_sql, &st) != SQLITE_OK)
		return UK_EXIT_RUNTIME;
	if (fleet_frame(st, risk, &frame, &mark, &end) != 0)
		goto out;
	if (!(scratch = htmlNewDocNoDtD(NULL, NULL)) ||
	    !(tbody = xmlNewDocNode(scratch, NULL, BAD_CAST "tbody", NULL)) ||
	    !(out = xmlOutputBufferCreateFile(f, xmlFindCharEncodingHandler("UTF-8")))) {
		uk_error("out of memory");
		goto out;
	}
	xmlDocSetRootElement(scratch, tbody);
	xmlOutputBufferWrite(out, (int)(mark - (const char *)xmlOutputBufferGetContent(frame)),
	                     (const char *)xmlOutputBufferGetContent(frame));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		xmlNodePtr tr = el(tbody, "tr", NULL);
		row_cells(tr, st, 0, sqlite3_column_count(st));
		if (!first)
			xmlOutputBufferWriteString(out, "\n");
		htmlNodeDumpFormatOutput(out, scratch, tr, "UTF-8", 1);
		xmlUnlinkNode(tr);
		xmlFreeNode(tr);
		first = 0;
	}
	if (step != SQLITE_DONE) {
		uk_error("database: %s", sqlite3_errmsg(fleet));
		goto out;
	}
	xmlOutputBufferWrite(out, (int)strlen(end), end);
	rc = 0;
out:
	if (out && xmlOutputBufferClose(out) < 0 && rc == 0) {
		uk_error("html: cannot write the report");
		rc = UK_EXIT_RUNTIME;
	}
	if (frame)
		xmlOutputBufferClose(frame);
	xmlFreeDoc(scratch);
	sqlite3_finalize(st);
	return rc;
}
