/* What usmt-verify prints on stdout: one JSON object (--json), or a human
 * summary followed by every file that needs attention, read back from the
 * database so memory does not grow with the number of findings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "json.h"
#include "out.h"
#include "verify.h"

static void json_u(const char *key, uint64_t v, int comma)
{
	printf("\"%s\":%llu%s", key, (unsigned long long)v, comma ? "," : "");
}

void uk_verify_print_json(const uk_verify_opts *o, const char *db_path, int64_t run_id,
                          const uk_vtotals *t, double seconds, const char *result)
{
	printf("{\"tool\":\"usmt-verify\",\"version\":\"%s\",\"mode\":\"%s\",\"stores\":[",
	       UK_VERSION, o->baseline ? "baseline" : "verify");
	for (size_t i = 0; i < o->nstores; i++) {
		if (i)
			putchar(',');
		uk_json_str(stdout, o->stores[i]);
	}
	printf("],\"db\":");
	uk_json_str(stdout, db_path);
	if (run_id > 0)
		printf(",\"run_id\":%lld,", (long long)run_id);
	else
		printf(",\"run_id\":null,"); /* a baseline is not a verify run */
	json_u("files", t->files, 1);
	json_u("bytes", t->bytes, 1);
	printf("\"verdicts\":{");
	for (int v = 0; v < UK_V_COUNT; v++)
		json_u(uk_verdict_name(v), t->verdicts[v], v + 1 < UK_V_COUNT);
	printf("},");
	json_u("sole_copy", t->sole_copy, 1);
	json_u("readonly", t->readonly, 1);
	json_u("hashed_bytes", t->hashed_bytes, 1);
	json_u("repaired", t->repaired, 1);
	json_u("copies", t->copies, 1);
	json_u("links", t->links, 1);
	printf("\"seconds\":%.3f,\"result\":\"%s\"}\n", seconds, result);
}

static void print_path_line(const char *label, const char *flag, const char *path,
                            const char *error)
{
	char *esc = uk_out_escape(path);
	char *eerr = error ? uk_out_escape(error) : NULL;

	printf("  %-10s %-9s %s", label, flag, esc ? esc : path);
	if (eerr)
		printf("  (%s)", eerr);
	putchar('\n');
	free(esc);
	free(eerr);
}

/* Every non-ok file, every repaired file and every link, from the database. */
static void print_findings(uk_vdb *d)
{
	static const char sql[] =
		"SELECT CASE WHEN verdict IS NULL THEN 'warning' WHEN repaired THEN 'repaired' "
		"ELSE verdict END, sole_copy, readonly, win_path, error, type FROM entry "
		"WHERE run_id = ? AND (verdict IN ('modified', 'missing', 'unreadable', 'corrupt', "
		"'changed-since-capture', 'lost-since-capture') "
		"OR verdict IS NULL OR repaired) ORDER BY win_path";
	sqlite3 *db = uk_vdb_handle(d);
	sqlite3_stmt *st;
	int header = 0;

	if (!db || uk_db_prepare(db, sql, &st) != SQLITE_OK) {
		printf("\nFiles that need attention: cannot be listed (see the error above); "
		       "usmt-report lists them\n");
		return;
	}
	sqlite3_bind_int64(st, 1, uk_vdb_run_id(d));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 5);
		const char *error = (const char *)sqlite3_column_text(st, 4);

		if (!header++)
			printf("\nFiles that need attention:\n");
		print_path_line((const char *)sqlite3_column_text(st, 0),
		                sqlite3_column_int(st, 1) ? "SOLE-COPY" :
		                sqlite3_column_int(st, 2) ? "read-only" : "",
		                (const char *)sqlite3_column_text(st, 3),
		                error ? error : !type ? NULL : strcmp(type, "link") == 0 ?
		                "symbolic link in the store, not followed" :
		                strcmp(type, "other") == 0 ? "special file in the store" : NULL);
	}
	sqlite3_finalize(st);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void uk_verify_print_text(const uk_verify_opts *o, const uk_store *stores,
                          const char *db_path, uk_vdb *d, const uk_vtotals *t,
                          double seconds, const char *result)
{
	char b1[32], b2[32], *esc;
	const uint64_t *v = t->verdicts;
	uint64_t bad = v[UK_V_MODIFIED] + v[UK_V_MISSING] + v[UK_V_UNREADABLE] +
	               v[UK_V_CORRUPT] + v[UK_V_CHANGED] + v[UK_V_LOST];

	printf("usmt-verify %s: %zu %s checked\n", UK_VERSION, o->nstores,
	       plural(o->nstores, "store", "stores"));
	/* The store root as opened (absolute), not the argument as typed. */
	for (size_t i = 0; i < o->nstores; i++) {
		esc = uk_out_escape(stores[i].path);
		printf("  store      %s (%s)\n", esc ? esc : stores[i].path,
		       uk_store_kind_name(stores[i].kind));
		free(esc);
	}
	printf("  files      %llu (%s), %llu %s (link count 1)\n",
	       (unsigned long long)t->files, uk_out_bytes(t->bytes, b1),
	       (unsigned long long)t->copies, plural(t->copies, "copy", "copies"));
	printf("  linked     %llu\n  identical  %llu\n  modified   %llu\n  missing    %llu\n"
	       "  unreadable %llu\n  excluded   %llu\n",
	       (unsigned long long)v[UK_V_LINKED], (unsigned long long)v[UK_V_IDENTICAL],
	       (unsigned long long)v[UK_V_MODIFIED], (unsigned long long)v[UK_V_MISSING],
	       (unsigned long long)v[UK_V_UNREADABLE], (unsigned long long)v[UK_V_EXCLUDED]);
	/* Without a baseline the summary is what it always was. */
	if (t->baselines)
		printf("  against the baseline: corrupt %llu, changed-since-capture %llu, "
		       "lost-since-capture %llu\n", (unsigned long long)v[UK_V_CORRUPT],
		       (unsigned long long)v[UK_V_CHANGED], (unsigned long long)v[UK_V_LOST]);
	printf("  sole copies %llu, read-only %llu, repaired %llu, links in the store %llu\n",
	       (unsigned long long)t->sole_copy, (unsigned long long)t->readonly,
	       (unsigned long long)t->repaired, (unsigned long long)t->links);
	esc = uk_out_escape(db_path);
	printf("  hashed %s in %.1f s; database %s (run %lld)\n", uk_out_bytes(t->hashed_bytes, b2),
	       seconds, esc ? esc : db_path, (long long)uk_vdb_run_id(d));
	free(esc);
	print_findings(d);
	if (result[0] == 'o')
		printf("\nResult: ok -- every store file is linked to, or identical with, its "
		       "restored file (or excluded).\n");
	else
		printf("\nResult: RISK -- %llu file%s not restored as stored; %llu sole "
		       "cop%s would be destroyed by deleting the store.\n",
		       (unsigned long long)bad, bad == 1 ? "" : "s",
		       (unsigned long long)t->sole_copy, t->sole_copy == 1 ? "y" : "ies");
}
