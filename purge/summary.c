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

	/* Raw and silent: the summary is printed after a failure too, and a
	 * query failing here only leaves the kept list out of it. */
	if (!p->db || !p->run || sqlite3_prepare_v2(p->db, sql, -1, &q, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(q, 1, p->run);
	return q;
}

/* s on stdout, control characters escaped so no name reads like a line. */
static void put_esc(const char *s)
{
	char *e = uk_out_escape(s ? s : "");

	fputs(e ? e : "", stdout);
	free(e);
}

static const char *store_path(const uk_purge *p, int64_t id)
{
	size_t i;

	for (i = 0; i < p->nst; i++)
		if (p->st[i].id == id)
			return p->st[i].path;
	return "the store folder";
}

/* The reason's head ("sole copy", "changed since verify", "locked"), without
 * the blank before a parenthesis; the full reason is in the lines above. */
static int reason_head(const char *why)
{
	int n = why ? (int)strcspn(why, ":(") : 0;

	while (n > 0 && why[n - 1] == ' ')
		n--;
	return n;
}

/* Why entries are kept, one line a reason, then the first of them. */
static void list_kept(const uk_purge *p)
{
	sqlite3_stmt *q = kept_query(p, "SELECT count(*), reason FROM purge_step WHERE "
	                             "run_id = ? AND state IN ('kept', 'left', 'scheduled') "
	                             "GROUP BY reason ORDER BY 1 DESC");
	int n = 0;

	while (q && sqlite3_step(q) == SQLITE_ROW) {
		printf("  %6lld  ", (long long)sqlite3_column_int64(q, 0));
		put_esc((const char *)sqlite3_column_text(q, 1));
		putchar('\n');
	}
	sqlite3_finalize(q);
	q = kept_query(p, "SELECT phase, rel, state, reason, store_id FROM purge_step WHERE "
	               "run_id = ? AND state IN ('kept', 'left', 'scheduled') "
	               "ORDER BY store_id, phase, rel");
	while (q && sqlite3_step(q) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(q, 1);
		const char *why = (const char *)sqlite3_column_text(q, 3);
		int phase = sqlite3_column_int(q, 0);
		if (++n > UK_PURGE_LIST)
			continue;
		if (n == 1)
			printf("Kept or scheduled:\n");
		printf("  %-9s %s", (const char *)sqlite3_column_text(q, 2),
		       phase <= UK_PHASE_DIR ? "USMT/File/" : "");
		/* The store root's rel is "": its path says which folder it is. */
		put_esc(rel && *rel ? rel : store_path(p, sqlite3_column_int64(q, 4)));
		printf("  (%.*s)\n", reason_head(why), why ? why : "");
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
		printf("usmt-purge: refused: ");
		put_esc(p->reason);
		printf("\nNothing was deleted.\n");
		return;
	}
	if (dry) {
		printf("usmt-purge: DRY RUN -- nothing was changed. The plan:\n");
	} else {
		printf("usmt-purge: %s%s", p->result, p->reason[0] ? ": " : "");
		put_esc(p->reason);
		putchar('\n');
	}
	for (i = 0; i < p->nst; i++) {
		printf("store              ");
		put_esc(p->st[i].path);
		putchar('\n');
	}
	if (p->verify_run) {
		printf("checked against    verify run %lld in ", (long long)p->verify_run);
		put_esc(p->db_path);
		putchar('\n');
	}
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
		       uk_fs_os_deletes_at_restart() ?
		       "; run usmt-purge --run-pending after it to re-apply read-only" :
		       " by usmt-purge --run-pending (usmtkit-pending.service)", exit_code);
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
