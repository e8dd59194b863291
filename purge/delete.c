/* Carrying out the plan, phase by phase, bottom-up. Each entry is checked
 * again right before it goes: the store entry must still be the file verify
 * saw (its identity; and, unless it is the restored file itself, its size,
 * mtime and, for a copy or when those moved, its hash), and the restored file
 * must still hold its data (the same file for a link, the recorded hash for
 * a copy). Anything else is kept and reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dircache.h"
#include "hash.h"
#include "out.h"
#include "purge.h"
#include "store.h"

#define UK_PURGE_CHUNK 512

/* The deleter's state while uk_purge_execute runs. */
typedef struct deleter {
	uk_purge *p;
	unsigned done_later;    /* phase-1 "done" marks left to the chunk's one UPDATE */
	int defer_done;
	uk_dircache sdir_open, rdir_open; /* the open store and restored folders */
} deleter;

typedef struct erow {
	char *rel, *kind, *verdict, *fid, *local, *hash;
	int sole;
	int has_size, has_mtime; /* verify recorded the entry's size, mtime */
	uint64_t size;
	int64_t mtime;
} erow;

static char *dup_col(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t ? strdup((const char *)t) : NULL;
}

static void erow_free(erow *r)
{
	free(r->rel);
	free(r->kind);
	free(r->verdict);
	free(r->fid);
	free(r->local);
	free(r->hash);
}

static int set_state(deleter *d, const uk_purge_store *s, int phase, const char *rel,
                     const char *state, const char *reason)
{
	uk_purge *p = d->p;
	if (strcmp(state, "kept") == 0) {
		char *show = uk_out_escape(phase <= UK_PHASE_DIR ? rel : *rel ? rel : s->arg);
		uk_purge_warn(p, "kept %s: %s", show ? show : rel, reason);
		free(show);
	} else if (strcmp(state, "done") == 0 && p->o->log) { /* only --log shows it */
		char *show = uk_out_escape(*rel ? rel : s->path);
		uk_log(UK_INFO, "%s %s%s", p->o->dry_run ? "would delete" : "deleted",
		       phase <= UK_PHASE_DIR ? "USMT/File/" : "", show ? show : rel);
		free(show);
	}
	if (d->defer_done && phase == UK_PHASE_ENTRY && strcmp(state, "done") == 0) {
		d->done_later++;
		return 0;
	}
	return uk_purge_step_set(p, s->id, phase, rel, state, reason);
}

/* Marks the entries of a chunk that went `done` in one statement: every
 * other outcome was marked one by one, so the chunk's rows still `planned`
 * are exactly those. One UPDATE a file was a third of purge's instructions;
 * a mark may lag its step (a re-run finds the file gone and marks it). */
static int mark_done(deleter *d, const uk_purge_store *s, const char *after, const char *last)
{
	uk_purge *p = d->p;
	sqlite3_stmt *q;
	unsigned n;
	int rc;

	if (d->done_later == 0)
		return 0;
	if (uk_db_prepare(p->db, "UPDATE purge_step SET state = 'done' WHERE run_id = ? AND "
	                  "store_id = ? AND phase = 1 AND rel > ? AND rel <= ? AND "
	                  "state = 'planned'", &q) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, p->run);
	sqlite3_bind_int64(q, 2, s->id);
	sqlite3_bind_text(q, 3, after, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, last, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc != SQLITE_DONE)
		uk_error("database: %s", sqlite3_errmsg(p->db));
	sqlite3_finalize(q);
	n = d->done_later;
	d->done_later = 0;
	return rc == SQLITE_DONE ? uk_purge_tx_steps(p, n) : -1;
}

static int unlink_in(uk_dir *dir, const char *name, const char *path)
{
	return dir ? uk_fs_unlink_at(dir, name, path) : uk_fs_unlink(path);
}

/* Deletes one file, link or folder (a file through its open folder dir when
 * given) that lstat found as st; a locked one is scheduled. */
static int remove_path(deleter *d, const uk_purge_store *s, int phase, const char *rel,
                       const char *path, uk_dir *dir, const char *name, int is_dir,
                       const uk_stat *st, int below)
{
	uk_purge *p = d->p;
	char eb[160], why[256];
	int err;

	if (p->o->dry_run)
		return set_state(d, s, phase, rel, "done", NULL);
	if (is_dir) {
		err = uk_fs_rmdir(path);
	} else {
		err = unlink_in(dir, name, path);
		/* NTFS refuses to delete a read-only link: clear it (journaled
		 * first, re-applied to the restored file afterwards) and retry. */
		if (err && uk_fs_err_locked(err) && st->readonly) {
			if (uk_purge_step_ro_cleared(p, s->id, phase, rel))
				return -1;
			if (uk_fs_set_readonly(path, 0) == 0)
				err = unlink_in(dir, name, path);
		}
	}
	if (!err)
		return set_state(d, s, phase, rel, "done", NULL);
	if (uk_fs_err_notfound(err))
		return set_state(d, s, phase, rel, p->resumed ? "done" : "gone", NULL);
	if (is_dir && uk_fs_err_notempty(err)) {
		if (below & UK_PURGE_BELOW_SCHEDULED)
			return uk_purge_schedule(p, s, phase, rel, path, st, err);
		return set_state(d, s, phase, rel, "kept",
		                 "not empty: it holds files that appeared after planning");
	}
	if (uk_fs_err_locked(err))
		return uk_purge_schedule(p, s, phase, rel, path, st, err);
	snprintf(why, sizeof(why), "cannot delete: %s", uk_fs_strerror(err, eb, sizeof(eb)));
	return set_state(d, s, phase, rel, "kept", why);
}

static int fid_is(const uk_stat *st, const char *want)
{
	char buf[UK_FID_STRLEN];

	if (!want)
		return 0;
	uk_fid_str(&st->id, buf);
	return strcmp(buf, want) == 0;
}

/* lstat of path through the cached open folder holding it (no lookup from
 * the root: two per file were half of purge's system time); with dir, also
 * that folder and the name in it, for the unlink. */
static int lstat_in(uk_dircache *c, const char *path, uk_stat *st, uk_dir **dir,
                    const char **name)
{
	const char *n;
	uk_dir *d = uk_dircache_get(c, path, &n);

	if (dir) {
		*dir = d;
		*name = n;
	}
	return d ? uk_fs_lstat_at(d, n, path, st) : uk_fs_lstat(path, st);
}

/* 1 when `hex` (ours, lower case) is the recorded hash `want`, in any case. */
static int hash_is(const char *hex, const char *want)
{
	size_t i;

	for (i = 0; hex[i]; i++) {
		char w = want[i];
		if (w >= 'A' && w <= 'F')
			w = (char)(w - 'A' + 'a');
		if (w != hex[i])
			return 0;
	}
	return want[i] == '\0';
}

/* NULL when the store entry is still what verify saw: its size and mtime,
 * and its content (XXH3-128 against the recorded hash) when `content` is
 * asked for or when size or mtime moved; else why it is kept. Needed before
 * deleting any entry that is not the restored file itself: its data is
 * gone then, and only verify's judgement of it made that safe. */
static const char *entry_same(const erow *r, const uk_stat *st, const char *path,
                              int content, char *why, size_t n)
{
	uk_hash128 h;
	uint64_t bytes;
	char hex[UK_HASH_STRLEN];

	if (!r->has_size || !r->has_mtime)
		return "no size or modification time recorded by verify: cannot re-check it";
	if (st->size != r->size) {
		snprintf(why, n, "changed since verify: the store entry is %llu bytes now, "
		         "verify saw %llu", (unsigned long long)st->size,
		         (unsigned long long)r->size);
		return why;
	}
	if (!content && st->mtime == r->mtime)
		return NULL;
	if (!r->hash)
		return "changed since verify: the store entry's modification time differs "
		       "and verify recorded no hash to compare";
	if (uk_hash_file(path, &h, &bytes) != 0)
		return "cannot re-read the store entry";
	uk_hash_str(&h, hex);
	if (bytes != r->size || !hash_is(hex, r->hash))
		return "changed since verify: the store entry's content differs";
	return NULL;
}

/* NULL when the entry may go, else why it is kept. */
static const char *recheck(deleter *d, const erow *r, const uk_stat *st, const char *path,
                           char *why, size_t n)
{
	uk_purge *p = d->p;
	int want = strcmp(r->kind, "link") == 0 ? UK_FT_LINK :
	           strcmp(r->kind, "other") == 0 ? UK_FT_OTHER : UK_FT_FILE;
	const char *keep;
	uk_stat rs;
	uk_hash128 h;
	uint64_t bytes;
	char hex[UK_HASH_STRLEN];

	if (st->type != want) {
		snprintf(why, n, "changed since verify: it is now a %s", uk_ftype_name(st->type));
		return why;
	}
	if (r->fid && !fid_is(st, r->fid))
		return "changed since verify: the store entry is another file now";
	if (want != UK_FT_FILE)
		return NULL; /* a link or device in the store: removed itself, never its target */
	if (!r->fid)
		return "no file identity recorded by verify: cannot re-check it";
	if (!r->verdict)
		return "no verdict recorded by verify";
	if (strcmp(r->verdict, "excluded") == 0)
		return entry_same(r, st, path, 0, why, n);
	if (strcmp(r->verdict, "linked") == 0 || strcmp(r->verdict, "identical") == 0) {
		int err = r->local ? lstat_in(&d->rdir_open, r->local, &rs, NULL, NULL) : -1;
		if (err == 0 && rs.type == UK_FT_LINK)
			return "changed since verify: the restored path is a symbolic link now";
		if (err == 0 && rs.type != UK_FT_FILE) {
			snprintf(why, n, "changed since verify: the restored path is a %s now",
			         uk_ftype_name(rs.type));
			return why;
		}
		if (err)
			return "changed since verify: the restored file is gone";
		if (!uk_purge_restored_outside(p, r->local))
			return "its restored path is inside the store (check --root and --map)";
		if (uk_fid_equal(&rs.id, &st->id))
			return NULL; /* restored path and store entry are one file */
		if (strcmp(r->verdict, "linked") == 0)
			return "changed since verify: the restored path is no longer the same file";
		if (!r->hash)
			return "no hash recorded by verify: cannot re-check the copy";
		/* The copy: the store side first (size and mtime are free). */
		if (r->has_size && st->size != r->size)
			return entry_same(r, st, path, 1, why, n);
		if (uk_hash_file(r->local, &h, &bytes) != 0)
			return "cannot re-read the restored file";
		uk_hash_str(&h, hex);
		if (!hash_is(hex, r->hash))
			return "changed since verify: the restored file's content differs";
		return entry_same(r, st, path, 1, why, n);
	}
	/* modified, missing, unreadable: only under --force. */
	if (!p->o->force) {
		snprintf(why, n, "verdict %s: deleting it needs --force", r->verdict);
		return why;
	}
	/* What --force was told about is what verify saw: not a later version. */
	if ((keep = entry_same(r, st, path, 0, why, n)) != NULL)
		return keep;
	if (r->sole) {
		if (p->o->force_data_loss) {
			char *show = uk_out_escape(r->rel);
			if (p->o->dry_run)
				uk_purge_warn(p, "--force-data-loss: would delete the sole copy "
				              "USMT/File/%s", show ? show : r->rel);
			else
				uk_warn("--force-data-loss: deleting the sole copy USMT/File/%s",
				        show ? show : r->rel);
			free(show);
			return NULL;
		}
		return "sole copy: --force keeps it (--force-data-loss deletes it)";
	}
	if (st->nlink < 2)
		return "sole copy now: no other link to its data is left";
	return NULL;
}

static int do_entry(deleter *d, const uk_purge_store *s, const erow *r)
{
	uk_purge *p = d->p;
	char why[256], eb[128];
	const char *keep, *name = NULL;
	char *path;
	uk_dir *dir = NULL;
	uk_stat st;
	int err, rc;

	if (!uk_store_rel_safe(r->rel) || !(path = uk_store_rel_local(s->file_dir, r->rel)))
		return set_state(d, s, UK_PHASE_ENTRY, r->rel, "kept", "unsafe path in the database: refused");
	if (!uk_purge_inside(s->file_dir, path)) {
		free(path);
		return set_state(d, s, UK_PHASE_ENTRY, r->rel, "kept", "outside the store: refused");
	}
	err = uk_purge_parents_plain(p, s->file_dir, path);
	if (err == 0)
		err = lstat_in(&d->sdir_open, path, &st, &dir, &name);
	if (err > 0 && uk_fs_err_notfound(err)) {
		free(path);
		return set_state(d, s, UK_PHASE_ENTRY, r->rel, p->resumed ? "done" : "gone", NULL);
	}
	if (err) {
		free(path);
		if (err < 0)
			return set_state(d, s, UK_PHASE_ENTRY, r->rel, "kept",
			                 "a folder on its path is a link: refused");
		snprintf(why, sizeof(why), "cannot check it: %s",
		         uk_fs_strerror(err, eb, sizeof(eb)));
		return set_state(d, s, UK_PHASE_ENTRY, r->rel, "kept", why);
	}
	keep = recheck(d, r, &st, path, why, sizeof(why));
	rc = keep ? set_state(d, s, UK_PHASE_ENTRY, r->rel, "kept", keep) :
	     remove_path(d, s, UK_PHASE_ENTRY, r->rel, path, dir, name, 0, &st, 0);
	free(path);
	return rc;
}

static int load_entries(uk_purge *p, sqlite3_stmt *q, const uk_purge_store *s,
                        const char *after, erow *rows, size_t *n)
{
	int rc;

	*n = 0;
	sqlite3_bind_int64(q, 1, p->verify_run);
	sqlite3_bind_int64(q, 2, p->run);
	sqlite3_bind_int64(q, 3, s->id);
	sqlite3_bind_text(q, 4, after, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		erow *r = &rows[(*n)++];
		memset(r, 0, sizeof(*r));
		r->rel = dup_col(q, 0);
		r->kind = dup_col(q, 1);
		r->verdict = dup_col(q, 2);
		r->fid = dup_col(q, 3);
		r->local = dup_col(q, 4);
		r->hash = dup_col(q, 5);
		r->sole = sqlite3_column_int(q, 6);
		r->has_size = sqlite3_column_type(q, 7) != SQLITE_NULL;
		r->size = (uint64_t)sqlite3_column_int64(q, 7);
		r->has_mtime = sqlite3_column_type(q, 8) != SQLITE_NULL;
		r->mtime = sqlite3_column_int64(q, 8);
		if (!r->rel || !r->kind) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		uk_error("database: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(p->db));
	return rc == SQLITE_DONE ? 0 : -1;
}

static int64_t count_planned(uk_purge *p, const uk_purge_store *s)
{
	sqlite3_stmt *q;
	int64_t n = 0;

	if (uk_db_prepare(p->db, "SELECT count(*) FROM purge_step WHERE run_id = ? AND "
	                  "store_id = ? AND phase = 1 AND state = 'planned'", &q) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, p->run);
	sqlite3_bind_int64(q, 2, s->id);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

static int phase_entries(deleter *d, const uk_purge_store *s)
{
	uk_purge *p = d->p;
	erow *rows = calloc(UK_PURGE_CHUNK, sizeof(*rows));
	char *after = strdup("");
	sqlite3_stmt *q = NULL;
	int64_t total = count_planned(p, s), done = 0;
	size_t n = 0, i;
	int r = -1;

	if (!rows || !after || total < 0 ||
	    uk_db_prepare(p->db, "SELECT s.rel, s.kind, e.verdict, e.fid, e.local_path, "
	                  "e.hash, e.sole_copy, e.size, e.mtime FROM purge_step s "
	                  "LEFT JOIN entry e ON e.run_id = ?1 AND e.store_id = s.store_id "
	                  "AND e.rel = s.rel WHERE s.run_id = ?2 AND s.store_id = ?3 AND "
	                  "s.phase = 1 AND s.state = 'planned' AND s.rel > ?4 "
	                  "ORDER BY s.rel LIMIT 512", &q) != SQLITE_OK)
		goto out;
	for (;;) {
		if (load_entries(p, q, s, after, rows, &n))
			goto out;
		if (n == 0)
			break;
		d->defer_done = 1;
		for (i = 0; i < n; i++) {
			if (do_entry(d, s, &rows[i]))
				goto out;
			uk_progress("%s %lld/%lld entries", p->o->dry_run ? "checking" : "deleting",
			            (long long)++done, (long long)total);
		}
		d->defer_done = 0;
		if (mark_done(d, s, after, rows[n - 1].rel))
			goto out;
		free(after);
		after = rows[n - 1].rel;
		rows[n - 1].rel = NULL;
		for (i = 0; i < n; i++)
			erow_free(&rows[i]);
		n = 0;
	}
	r = 0;
out:
	/* Closed before the folders go: Windows cannot remove an open one. */
	uk_dircache_close(&d->sdir_open);
	uk_dircache_close(&d->rdir_open);
	d->defer_done = 0;
	d->done_later = 0;
	for (i = 0; i < n; i++)
		erow_free(&rows[i]);
	sqlite3_finalize(q);
	free(rows);
	free(after);
	return r;
}

/* One folder (UK_PHASE_DIR, deepest first) or a step of the phases after it. */
static int do_other(deleter *d, const uk_purge_store *s, int phase, const char *rel,
                    const char *kind)
{
	uk_purge *p = d->p;
	const char *base = phase <= UK_PHASE_DIR ? s->file_dir : s->path;
	char *path = *rel ? uk_store_rel_local(base, rel) : strdup(s->path);
	int is_dir = strcmp(kind, "dir") == 0, below = 0, err, rc;
	uk_stat st;

	if (!path)
		return -1;
	/* A store that keeps entries stays a recognisable store: the folders
	 * above them and the control files stay too. */
	if (is_dir || phase == UK_PHASE_CONTROL) {
		below = uk_purge_below(p, s->id, phase, rel);
		if (below < 0 || (below & UK_PURGE_BELOW_KEPT)) {
			free(path);
			return below < 0 ? -1 : uk_purge_step_set(p, s->id, phase, rel, "blocked",
			                                          "the store keeps entries below it");
		}
	}
	if (*rel && (!uk_store_rel_safe(rel) || !uk_purge_inside(base, path))) {
		free(path);
		return set_state(d, s, phase, rel, "kept", "unsafe path in the database: refused");
	}
	err = *rel ? uk_purge_parents_plain(p, base, path) : 0;
	if (!err)
		err = uk_fs_lstat(path, &st);
	if (err > 0 && uk_fs_err_notfound(err))
		rc = set_state(d, s, phase, rel, p->resumed ? "done" : "gone", NULL);
	else if (err)
		rc = set_state(d, s, phase, rel, "kept", "a folder on its path is a link or "
		               "cannot be read: refused");
	else if (is_dir && st.type != UK_FT_DIR)
		rc = set_state(d, s, phase, rel, "kept", "changed since verify: no longer a folder");
	else if (!is_dir && st.type == UK_FT_DIR)
		rc = set_state(d, s, phase, rel, "kept", "changed since verify: now a folder");
	else
		rc = remove_path(d, s, phase, rel, path, NULL, NULL, is_dir, &st, below);
	free(path);
	return rc;
}

/* Folders deepest first (rel descending), then phases 3-6, in chunks; each
 * folder looks at the journal to see whether something kept blocks it. */
static int phase_rest(deleter *d, const uk_purge_store *s)
{
	uk_purge *p = d->p;
	char *rel[UK_PURGE_CHUNK], *kind[UK_PURGE_CHUNK], *before = NULL;
	sqlite3_stmt *q;
	size_t n = 0, i;
	int phase, rc, r = 0;

	if (uk_db_prepare(p->db, "SELECT rel, kind FROM purge_step WHERE run_id = ? AND "
	                  "store_id = ? AND phase = ? AND state = 'planned' AND "
	                  "(?4 IS NULL OR rel < ?4) ORDER BY rel DESC LIMIT 512", &q) != SQLITE_OK)
		return -1;
	for (phase = UK_PHASE_DIR; phase <= UK_PHASE_ROOT && r == 0; phase++) {
		free(before);
		before = NULL;
		do {
			sqlite3_bind_int64(q, 1, p->run);
			sqlite3_bind_int64(q, 2, s->id);
			sqlite3_bind_int(q, 3, phase);
			sqlite3_bind_text(q, 4, before, -1, SQLITE_TRANSIENT);
			for (n = 0; (rc = sqlite3_step(q)) == SQLITE_ROW; n++) {
				rel[n] = dup_col(q, 0);
				kind[n] = dup_col(q, 1);
			}
			sqlite3_reset(q);
			r = rc == SQLITE_DONE ? 0 : -1;
			for (i = 0; i < n && r == 0; i++)
				r = rel[i] && kind[i] ? do_other(d, s, phase, rel[i], kind[i]) : -1;
			if (n > 0) {
				free(before);
				before = rel[n - 1];
				rel[n - 1] = NULL;
			}
			for (i = 0; i < n; i++) {
				free(rel[i]);
				free(kind[i]);
			}
		} while (n > 0 && r == 0);
	}
	free(before);
	sqlite3_finalize(q);
	return r;
}

/* USMT and USMT/File as the plan named them (their case on disk). */
static int plan_dirs(uk_purge *p, uk_purge_store *s)
{
	sqlite3_stmt *q;
	int rc, bad = 0;
	uk_stat st;

	if (uk_db_prepare(p->db, "SELECT phase, rel FROM purge_step WHERE run_id = ? AND "
	                  "store_id = ? AND phase IN (3, 5)", &q) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, p->run);
	sqlite3_bind_int64(q, 2, s->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(q, 1);
		char **dst = sqlite3_column_int(q, 0) == UK_PHASE_FILE_DIR ? &s->file_dir : &s->usmt;
		char *path = rel && uk_store_rel_safe(rel) ? uk_store_rel_local(s->path, rel) : NULL;
		if (!path) {
			bad = 1;
			continue;
		}
		free(*dst);
		*dst = path;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE || bad)
		return -1;
	/* The roots every path is built from: real folders, never links. */
	if ((uk_fs_lstat(s->path, &st) == 0 && st.type != UK_FT_DIR) ||
	    (uk_fs_lstat(s->usmt, &st) == 0 && st.type != UK_FT_DIR) ||
	    (uk_fs_lstat(s->file_dir, &st) == 0 && st.type != UK_FT_DIR)) {
		uk_error("%s: the store or its USMT folders became links: refused", s->arg);
		return -1;
	}
	return 0;
}

int uk_purge_execute(uk_purge *p)
{
	deleter d;
	size_t i;

	memset(&d, 0, sizeof(d));
	d.p = p;
	for (i = 0; i < p->nst; i++) {
		uk_purge_store *s = &p->st[i];
		if (plan_dirs(p, s) || uk_purge_tx_begin(p) || phase_entries(&d, s) ||
		    phase_rest(&d, s) || uk_purge_tx_commit(p))
			return -1;
	}
	uk_progress_done();
	return 0;
}
