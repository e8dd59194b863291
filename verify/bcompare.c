/* A verify run against the stores' baselines: each entry whose content is
 * not proven by identity is hashed and compared with its baseline row, and
 * baseline rows the store no longer has are recorded as lost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "out.h"
#include "baseline.h"

struct uk_bl {
	sqlite3 *db;
	sqlite3_stmt *find;
	int64_t store_id;
	int active; /* the store walked now has a baseline */
	int rehash;
};

static int fail(uk_bl *b, const char *what)
{
	uk_error("database: %s: %s", what, sqlite3_errmsg(b->db));
	return -1;
}

int uk_bl_open(const char *db_path, int rehash, uk_bl **out)
{
	char err[1024];
	uk_bl *b = calloc(1, sizeof(*b));

	*out = NULL;
	if (!b) {
		uk_error("out of memory");
		return -1;
	}
	b->rehash = rehash;
	if (uk_db_open(db_path, 0, &b->db, err, sizeof(err)) != SQLITE_OK) {
		uk_error("%s", err);
		free(b);
		return -1;
	}
	if (uk_db_prepare(b->db, "SELECT size, mtime, hash, taken_at FROM baseline "
	                  "WHERE store_id = ?1 AND rel = ?2", &b->find) != SQLITE_OK) {
		uk_bl_close(b);
		return -1;
	}
	*out = b;
	return 0;
}

void uk_bl_close(uk_bl *b)
{
	if (!b)
		return;
	sqlite3_finalize(b->find);
	uk_db_close(b->db);
	free(b);
}

int uk_bl_store(uk_bl *b, int64_t store_id)
{
	sqlite3_stmt *st;
	int rc;

	b->store_id = store_id;
	b->active = 0;
	if (uk_db_prepare(b->db, "SELECT 1 FROM baseline WHERE store_id = ? LIMIT 1", &st) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, store_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(b, "reading the baseline");
	b->active = rc == SQLITE_ROW;
	return b->active;
}

/* 32 hex digits, high half first (uk_hash_str); 0 when well-formed. */
static int parse_hash(const char *s, uk_hash128 *h)
{
	uint64_t v[2] = { 0, 0 };

	if (!s || strlen(s) != 32)
		return -1;
	for (int i = 0; i < 32; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		        c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v[i / 16] = v[i / 16] << 4 | (uint64_t)d;
	}
	h->hi = v[0];
	h->lo = v[1];
	return 0;
}

/* Fills r->base from the current row of st, its columns from `first` on:
 * size, mtime, hash, taken_at. */
static void take_row(sqlite3_stmt *st, int first, uk_vrec *r)
{
	const char *taken = (const char *)sqlite3_column_text(st, first + 3);

	r->base.size = (uint64_t)sqlite3_column_int64(st, first);
	r->base.has_mtime = sqlite3_column_type(st, first + 1) != SQLITE_NULL;
	r->base.mtime = sqlite3_column_int64(st, first + 1);
	snprintf(r->base.taken_at, sizeof(r->base.taken_at), "%s", taken ? taken : "?");
	/* A hash we did not write is nothing to compare with. */
	r->base.have = parse_hash((const char *)sqlite3_column_text(st, first + 2),
	                          &r->base.hash) == 0;
}

int uk_bl_judge(uk_bl *b, uk_vrec *r, int want)
{
	int rc;

	if (!b || !b->active || r->st.type != UK_FT_FILE || r->verdict == UK_V_EXCLUDED ||
	    r->verdict == UK_V_UNREADABLE)
		return want;
	/* Identity proves a linked file is the restored one: no read. */
	if (r->verdict == UK_V_LINKED && !r->repaired && !want && !b->rehash)
		return want;
	sqlite3_bind_int64(b->find, 1, b->store_id);
	sqlite3_bind_text(b->find, 2, r->rel, -1, SQLITE_STATIC);
	rc = sqlite3_step(b->find);
	if (rc == SQLITE_ROW)
		take_row(b->find, 0, r);
	sqlite3_reset(b->find); /* ends the read: the writer's commits stay visible */
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		uk_warn("%s: baseline not read: %s", r->win, sqlite3_errmsg(b->db));
	if (!r->base.have || want)
		return want;
	memset(&r->job, 0, sizeof(r->job));
	r->job.path[0] = r->store_path;
	r->job.size = r->st.size;
	r->job.user = r;
	return 1;
}

static void note(uk_vrec *r, int verdict, const char *what)
{
	const char *was = uk_verdict_name(r->verdict);
	size_t n = strlen(what) + strlen(r->base.taken_at) + (r->error ? strlen(r->error) : 0) + 96;
	char *msg = malloc(n);

	if (msg)
		snprintf(msg, n, "%s the baseline of %s; restored file: %s%s%s%s", what,
		         r->base.taken_at, r->repaired ? "repaired" : was ? was : "not compared",
		         r->error ? " (" : "", r->error ? r->error : "", r->error ? ")" : "");
	free(r->error);
	r->error = msg;
	r->verdict = verdict;
}

void uk_bl_apply(uk_vrec *r)
{
	int same_meta;

	if (!r->base.have || !r->hashed || r->verdict == UK_V_UNREADABLE ||
	    r->verdict == UK_V_EXCLUDED)
		return;
	if (r->hash.hi == r->base.hash.hi && r->hash.lo == r->base.hash.lo)
		return;
	same_meta = r->st.size == r->base.size &&
	            (!r->base.has_mtime || r->st.mtime == r->base.mtime);
	if (same_meta) {
		note(r, UK_V_CORRUPT, "content differs, though size and modification time "
		     "do not, from");
		r->sole_copy = 1; /* the captured data is nowhere: purge must refuse */
	} else if (r->verdict != UK_V_LINKED || r->repaired) {
		note(r, UK_V_CHANGED, "content and modification time changed since");
	}
}

int uk_bl_lost(uk_bl *b, int64_t store_id, int64_t run_id, const uk_patternset *exclude,
               uk_vrec *(*mk)(void *ctx, int64_t store_id, const char *rel),
               void (*done)(void *ctx, uk_vrec *r), void *ctx)
{
	sqlite3_stmt *st;
	int rc;

	if (uk_db_prepare(b->db, "SELECT rel, size, mtime, hash, taken_at FROM baseline b "
	                  "WHERE store_id = ?1 AND NOT EXISTS (SELECT 1 FROM entry e "
	                  "WHERE e.run_id = ?2 AND e.store_id = ?1 AND e.rel = b.rel) "
	                  "ORDER BY rel", &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, store_id);
	sqlite3_bind_int64(st, 2, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uk_vrec *r = mk(ctx, store_id, (const char *)sqlite3_column_text(st, 0));

		if (!r) {
			uk_error("out of memory");
			break;
		}
		if (uk_patternset_match(exclude, r->win, 0)) {
			uk_vrec_free(r);
			continue;
		}
		take_row(st, 1, r);
		r->type = UK_FT_FILE;
		r->st.type = UK_FT_UNKNOWN;
		r->verdict = UK_V_LOST;
		free(r->error);
		r->error = malloc(sizeof(r->base.taken_at) + 64);
		if (r->error)
			snprintf(r->error, sizeof(r->base.taken_at) + 64, "in the baseline of %s, "
			         "gone from the store", r->base.taken_at);
		done(ctx, r);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc == SQLITE_ROW ? -1 : fail(b, "reading the baseline");
	return 0;
}
