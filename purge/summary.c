/* The result on stdout: one JSON object (--json) or a short text an admin
 * reads at a glance, the outcome first, then what was kept and why. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "out.h"
#include "purge.h"

static void json_out(const uk_purge *p, int exit_code)
{
	size_t i;

	printf("{\"tool\":\"usmt-purge\",\"version\":\"%s\",\"stores\":[", UK_VERSION);
	for (i = 0; i < p->o->nstores; i++) {
		if (i)
			putchar(',');
		uk_json_str(stdout, i < p->nst && p->st[i].path ? p->st[i].path : p->o->stores[i]);
	}
	printf("],\"db\":");
	uk_json_str(stdout, p->db_path);
	printf(",\"result\":");
	uk_json_str(stdout, p->result);
	printf(",\"reason\":");
	uk_json_str(stdout, p->reason[0] ? p->reason : NULL);
	printf(",\"deleted_files\":%" PRIu64 ",\"deleted_dirs\":%" PRIu64
	       ",\"readonly_restored\":%" PRIu64 ",\"scheduled\":%" PRIu64 ",\"kept\":%" PRIu64
	       ",\"left\":%" PRIu64 ",\"verify_run\":", p->c.deleted_files, p->c.deleted_dirs,
	       p->c.readonly_restored, p->c.scheduled, p->c.kept, p->c.left);
	if (p->verify_run)
		printf("%lld", (long long)p->verify_run);
	else
		printf("null");
	printf(",\"purge_run\":");
	if (p->run && !p->o->dry_run)
		printf("%lld", (long long)p->run);
	else
		printf("null");
	printf(",\"exit_code\":%d}\n", exit_code);
}

static sqlite3_stmt *kept_query(const uk_purge *p, const char *sql)
{
	sqlite3_stmt *q = NULL;

	if (!p->db || !p->run || sqlite3_prepare_v2(p->db, sql, -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(q, 1, p->run);
	return q;
}

/* Why entries are kept, one line a reason, then the first of them. */
static void list_kept(const uk_purge *p)
{
	sqlite3_stmt *q = kept_query(p, "SELECT count(*), reason FROM purge_step WHERE "
	                             "run_id = ? AND state IN ('kept', 'left', 'scheduled') "
	                             "GROUP BY reason ORDER BY 1 DESC");
	int n = 0;

	while (q && sqlite3_step(q) == SQLITE_ROW)
		printf("  %6lld  %s\n", (long long)sqlite3_column_int64(q, 0),
		       (const char *)sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	q = kept_query(p, "SELECT phase, rel, state, reason FROM purge_step WHERE run_id = ? AND "
	               "state IN ('kept', 'left', 'scheduled') ORDER BY store_id, phase, rel");
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(q, 1);
		char *show;
		if (++n > UK_PURGE_LIST)
			continue;
		if (n == 1)
			printf("Kept or scheduled:\n");
		const char *why = (const char *)sqlite3_column_text(q, 3);
		show = uk_out_escape(rel ? rel : "");
		/* The reason's head ("sole copy", "changed since verify"); in full above. */
		printf("  %-9s %s%s  (%.*s)\n", (const char *)sqlite3_column_text(q, 2),
		       sqlite3_column_int(q, 0) <= 2 ? "USMT/File/" : "", show ? show : "",
		       why ? (int)strcspn(why, ":(") : 0, why ? why : "");
		free(show);
	}
	if (n > UK_PURGE_LIST)
		printf("  ... and %d more (all of them in --log)\n", n - UK_PURGE_LIST);
	sqlite3_finalize(q);
}

static void text_out(const uk_purge *p, int exit_code)
{
	int dry = p->o->dry_run;
	size_t i;

	if (strcmp(p->result, "refused") == 0) {
		printf("usmt-purge: refused: %s\nNothing was deleted.\n", p->reason);
		return;
	}
	if (dry)
		printf("usmt-purge: DRY RUN -- nothing was changed. The plan:\n");
	else if (p->reason[0])
		printf("usmt-purge: %s: %s\n", p->result, p->reason);
	else
		printf("usmt-purge: %s\n", p->result);
	for (i = 0; i < p->nst; i++)
		printf("store              %s\n", p->st[i].path);
	if (p->verify_run)
		printf("checked against    verify run %lld in %s\n", (long long)p->verify_run,
		       p->db_path);
	printf("%-19s%" PRIu64 " files, %" PRIu64 " folders\n",
	       dry ? "would delete" : "deleted", p->c.deleted_files, p->c.deleted_dirs);
	printf("%-19s%" PRIu64 " restored files\n",
	       dry ? "would re-apply r/o" : "read-only re-set", p->c.readonly_restored);
	printf("%-19s%" PRIu64 "\n", "scheduled", p->c.scheduled);
	printf("%-19s%" PRIu64 "%s\n", dry ? "would keep" : "kept", p->c.kept,
	       p->c.kept ? ", because:" : "");
	list_kept(p);
	for (i = 0; dry && i < p->ro_n; i++)
		printf("%s  %s\n", i ? "" : "Read-only to re-apply:\n", p->ro_list[i]);
	if (dry && p->c.readonly_restored > p->ro_n)
		printf("  ... and %" PRIu64 " more (all of them in --log)\n",
		       p->c.readonly_restored - p->ro_n);
	if (p->c.scheduled)
		printf("Locked leftovers are deleted at the next restart%s (exit %d).\n",
#ifdef _WIN32
		       "; run usmt-purge --run-pending after it to re-apply read-only",
#else
		       " by usmt-purge --run-pending (usmtkit-pending.service)",
#endif
		       exit_code);
	if (p->c.left)
		printf("--no-schedule: %" PRIu64 " locked leftovers were left in place (exit %d).\n",
		       p->c.left, exit_code);
}

void uk_purge_print(const uk_purge *p, int exit_code)
{
	if (p->o->json)
		json_out(p, exit_code);
	else
		text_out(p, exit_code);
	fflush(stdout);
}

void uk_purge_warn(uk_purge *p, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->o->dry_run || ++p->warned > UK_PURGE_LIST)
		uk_log(UK_WARN, "%s", msg);
	else
		uk_warn("%s", msg);
}
