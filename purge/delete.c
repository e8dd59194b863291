/* Carrying out the plan, phase by phase, bottom-up. Each entry is checked
 * again right before it goes: the store entry must still be the file verify
 * saw (its identity; and, unless it is the restored file itself, its size,
 * mtime and, for a copy or when those moved, its hash), and the restored file
 * must still hold its data (the same file for a link, the recorded hash for
 * a copy). Anything else is kept and reported. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dircache.h"
#include "grow.h"
#include "hash.h"
#include "out.h"
#include "purge.h"
#include "store.h"

#define UK_PURGE_CHUNK 512
/* Entries a thread takes from a chunk at a time. */
#define UK_PURGE_TAKE 8

/* What a thread that checks entries keeps to itself: the open store and
 * restored folders, and the folders its guard has proven. */
typedef struct checker {
	uk_dircache sdir, rdir;
	struct uk_purge_guard *guard;
} checker;

/* One of purge's own threads and what it waits on. */
typedef struct hthread {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int quit, on;
} hthread;

static int ht_start(hthread *t, void *(*fn)(void *), void *arg)
{
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	t->quit = 0;
	t->on = pthread_create(&t->th, NULL, fn, arg) == 0;
	if (!t->on) {
		pthread_cond_destroy(&t->cv);
		pthread_mutex_destroy(&t->mu);
	}
	return t->on ? 0 : -1;
}

/* Tells a started thread to quit once its work is done, and joins it. */
static void ht_stop(hthread *t)
{
	if (!t->on)
		return;
	pthread_mutex_lock(&t->mu);
	t->quit = 1;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->th, NULL);
	pthread_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
	t->on = 0;
}

/* Removed folders still held open (uk_fs_rmdir_held), closed on a thread
 * of its own: the last close frees a folder's blocks, a third of each
 * rmdir on ext4 with discard, now beside the next rmdirs. */
#define UK_PURGE_HELD 64
typedef struct reaper {
	hthread t;
	int held[UK_PURGE_HELD];
	unsigned head, tail;    /* held[head % N] .. held[tail % N] wait */
} reaper;

/* The deleter's state while uk_purge_execute runs. */
typedef struct deleter {
	uk_purge *p;
	unsigned done_later;    /* phase-1 "done" marks left to the chunk's one UPDATE */
	int defer_done;
	checker ck[2];          /* the deleting thread's, the main thread's */
	reaper rp;
} deleter;

static void *reaper_main(void *arg)
{
	reaper *r = arg;
	hthread *t = &r->t;
	int h;

	pthread_mutex_lock(&t->mu);
	for (;;) {
		while (r->head == r->tail && !t->quit)
			pthread_cond_wait(&t->cv, &t->mu);
		if (r->head == r->tail)
			break;
		h = r->held[r->head++ % UK_PURGE_HELD];
		pthread_cond_broadcast(&t->cv);
		pthread_mutex_unlock(&t->mu);
		uk_fs_held_close(h);
		pthread_mutex_lock(&t->mu);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

static void reaper_give(reaper *r, int h)
{
	hthread *t = &r->t;

	pthread_mutex_lock(&t->mu);
	while (r->tail - r->head == UK_PURGE_HELD)
		pthread_cond_wait(&t->cv, &t->mu);
	r->held[r->tail++ % UK_PURGE_HELD] = h;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
}

/* uk_fs_rmdir, its last close left to the reaper when it runs. */
static int rmdir_reaped(deleter *d, const char *path)
{
	int h, err;

	if (!d->rp.t.on)
		return uk_fs_rmdir(path);
	err = uk_fs_rmdir_held(path, &h);
	if (h >= 0)
		reaper_give(&d->rp, h);
	return err;
}

/* What the deleting thread found or did to one entry, for the main
 * thread to record. */
enum { E_KEPT, E_SETTLE, E_READONLY };

typedef struct erow {
	char *rel, *kind, *verdict, *fid, *local, *hash;
	int sole;
	int has_size, has_mtime; /* verify recorded the entry's size, mtime */
	uint64_t size;
	int64_t mtime;
	/* The outcome: E_KEPT (reason), E_SETTLE (err, 0 when deleted, path and
	 * st for a schedule), E_READONLY (refused as read-only: cleared and
	 * retried once that is journaled). */
	int out, err;
	int sole_deleted;        /* --force-data-loss took the sole copy */
	const char *reason;      /* static or in why */
	char *path;
	uk_stat st;
	char why[256];
} erow;

/* A planned folder whose last entry the chunk before went through: the
 * deleting thread removes it before it starts on this chunk's entries. */
typedef struct efold {
	const char *rel;         /* in the chunk's text */
	int gone;                /* it removed it */
} efold;

/* A chunk of entries: loaded, then checked and deleted on the deleting
 * thread, then recorded. */
typedef struct chunk {
	erow rows[UK_PURGE_CHUNK];
	size_t n;
	size_t lo, hi;           /* rows no thread has taken yet: [lo, hi) */
	int main_busy;           /* the main thread checks rows it took */
	struct chunk *next;      /* published by the main thread: the chunk after it */
	int left;                /* the deleting thread is done with it */
	char *after;             /* the rel before its first */
	efold *fold;
	size_t nfold, cap;
	struct tblock *text;     /* the rows' text */
	int oom;
	deleter *d;
	const uk_purge_store *s;
} chunk;

/* A chunk's text, in blocks it keeps from one load to the next: a malloc
 * and a free for each column of each row were a tenth of the main thread's
 * time. */
#define UK_PURGE_TEXT 65536
typedef struct tblock {
	struct tblock *next;
	size_t used, size;
	char data[];
} tblock;

/* The len bytes at t, and a '\0', as text that lives until the chunk is
 * cleared; NULL (and c->oom set) when memory ran out. */
static char *keep_text(chunk *c, const char *t, size_t len)
{
	size_t n = len + 1;
	tblock *b = c->text;
	char *r;

	while (b && b->size - b->used < n)
		b = b->next;
	if (!b) {
		size_t size = n > UK_PURGE_TEXT ? n : UK_PURGE_TEXT;
		if (!(b = malloc(sizeof(*b) + size))) {
			c->oom = 1;
			return NULL;
		}
		b->used = 0;
		b->size = size;
		b->next = c->text;
		c->text = b;
	}
	r = b->data + b->used;
	memcpy(r, t, len);
	r[len] = '\0';
	b->used += n;
	return r;
}

/* Column i as the chunk's text; NULL for NULL (and when memory ran out,
 * c->oom set). */
static char *col_text(chunk *c, sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t ? keep_text(c, (const char *)t, (size_t)sqlite3_column_bytes(q, i)) : NULL;
}

static char *dup_col(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);

	return t ? strdup((const char *)t) : NULL;
}

static void erow_free(erow *r)
{
	free(r->path);
	memset(r, 0, sizeof(*r));
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

/* Clears read-only (journaled first, re-applied to the restored file
 * afterwards) and deletes again: NTFS refuses to delete a read-only link. */
static int unlink_readonly(uk_purge *p, const uk_purge_store *s, int phase, const char *rel,
                           const char *path, int err)
{
	if (uk_purge_step_ro_cleared(p, s->id, phase, rel))
		return -1;
	return uk_fs_set_readonly(path, 0) == 0 ? uk_fs_unlink(path) : err;
}

/* The step's state after deleting it failed with err (0: it went); a locked
 * one is scheduled. */
static int settle(deleter *d, const uk_purge_store *s, int phase, const char *rel,
                  const char *path, int is_dir, const uk_stat *st, int below, int err)
{
	uk_purge *p = d->p;
	char eb[160], why[256];

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

/* Deletes one folder or a step of the phases after it, which lstat found
 * as st. */
static int remove_path(deleter *d, const uk_purge_store *s, int phase, const char *rel,
                       const char *path, int is_dir, const uk_stat *st, int below)
{
	uk_purge *p = d->p;
	int err;

	if (p->o->dry_run)
		return set_state(d, s, phase, rel, "done", NULL);
	err = is_dir ? rmdir_reaped(d, path) : uk_fs_unlink(path);
	if (!is_dir && err && uk_fs_err_locked(err) && st->readonly &&
	    (err = unlink_readonly(p, s, phase, rel, path, err)) < 0)
		return -1;
	return settle(d, s, phase, rel, path, is_dir, st, below, err);
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
static const char *recheck(deleter *d, checker *ck, erow *r, const uk_stat *st,
                           const char *path, char *why, size_t n)
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
		int err = r->local ? lstat_in(&ck->rdir, r->local, &rs, NULL, NULL) : -1;
		if (err == 0 && rs.type == UK_FT_LINK)
			return "changed since verify: the restored path is a symbolic link now";
		if (err == 0 && rs.type != UK_FT_FILE) {
			snprintf(why, n, "changed since verify: the restored path is a %s now",
			         uk_ftype_name(rs.type));
			return why;
		}
		if (err)
			return "changed since verify: the restored file is gone";
		if (!uk_purge_restored_outside(p, &ck->guard, r->local))
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
			r->sole_deleted = 1;
			return NULL;
		}
		return "sole copy: --force keeps it (--force-data-loss deletes it)";
	}
	if (st->nlink < 2)
		return "sole copy now: no other link to its data is left";
	return NULL;
}

static void kept(erow *r, const char *why)
{
	r->out = E_KEPT;
	r->reason = why;
}

/* On a checking thread: re-checks one entry and deletes it when it may go.
 * No database, no message: the outcome waits in r for record(). */
static void check_entry(deleter *d, checker *ck, const uk_purge_store *s, erow *r)
{
	const char *keep, *name = NULL;
	char eb[128];
	uk_dir *dir = NULL;
	int err;

	if (!uk_store_rel_safe(r->rel) || !(r->path = uk_store_rel_local(s->file_dir, r->rel))) {
		kept(r, "unsafe path in the database: refused");
		return;
	}
	if (!uk_purge_inside(s->file_dir, r->path)) {
		kept(r, "outside the store: refused");
		return;
	}
	err = uk_purge_parents_plain(&ck->guard, s->file_dir, r->path);
	if (err == 0)
		err = lstat_in(&ck->sdir, r->path, &r->st, &dir, &name);
	if (err > 0 && uk_fs_err_notfound(err)) {
		r->out = E_SETTLE;
		r->err = err;
		return;
	}
	if (err < 0) {
		kept(r, "a folder on its path is a link: refused");
		return;
	}
	if (err) {
		snprintf(r->why, sizeof(r->why), "cannot check it: %s",
		         uk_fs_strerror(err, eb, sizeof(eb)));
		kept(r, r->why);
		return;
	}
	if ((keep = recheck(d, ck, r, &r->st, r->path, r->why, sizeof(r->why))) != NULL) {
		kept(r, keep);
		return;
	}
	r->out = E_SETTLE;
	if (d->p->o->dry_run)
		return;
	r->err = unlink_in(dir, name, r->path);
	if (r->err && uk_fs_err_locked(r->err) && r->st.readonly)
		r->out = E_READONLY;
}

/* On the main thread, after check_entry: the outcome into the journal. */
static int record(deleter *d, const uk_purge_store *s, erow *r)
{
	uk_purge *p = d->p;
	int err = r->err;

	if (r->sole_deleted) {
		char *show = uk_out_escape(r->rel);
		if (p->o->dry_run)
			uk_purge_warn(p, "--force-data-loss: would delete the sole copy "
			              "USMT/File/%s", show ? show : r->rel);
		else
			uk_warn("--force-data-loss: deleting the sole copy USMT/File/%s",
			        show ? show : r->rel);
		free(show);
	}
	if (r->out == E_KEPT)
		return set_state(d, s, UK_PHASE_ENTRY, r->rel, "kept", r->reason);
	if (r->out == E_READONLY &&
	    (err = unlink_readonly(p, s, UK_PHASE_ENTRY, r->rel, r->path, err)) < 0)
		return -1;
	return settle(d, s, UK_PHASE_ENTRY, r->rel, r->path, 0, &r->st, 0, err);
}

/* The deleting thread: one for the whole phase (a thread a chunk started
 * on the busy CPU and waited there, 0.9 ms a chunk). It goes from one chunk
 * to the next without waiting for the main thread to record the first: the
 * main thread publishes the next chunk (c->next) before it helps with c. */
typedef struct worker {
	hthread t;
	chunk *job;   /* being checked; NULL when idle */
} worker;

/* The next few rows of c nobody has taken, from the front (the deleting
 * thread) or the back (the main thread, once its database work is done):
 * 0 when none are left, or when the main thread stopped the phase (a
 * journal that cannot be written: nothing more goes). c->main_busy says
 * the main thread is checking rows of c it took (with its open folder,
 * ck[1]). */
static int take(worker *w, chunk *c, int front, size_t *from, size_t *to)
{
	size_t k;

	pthread_mutex_lock(&w->t.mu);
	k = c->hi - c->lo < UK_PURGE_TAKE ? c->hi - c->lo : UK_PURGE_TAKE;
	if (w->t.quit)
		k = 0;
	if (front) {
		*from = c->lo;
		c->lo += k;
	} else {
		c->hi -= k;
		*from = c->hi;
		c->main_busy = k > 0;
		if (k == 0)
			pthread_cond_broadcast(&w->t.cv);
	}
	pthread_mutex_unlock(&w->t.mu);
	*to = *from + k;
	return k > 0;
}

/* Checks rows of c until none are left. */
static void check_rows(worker *w, chunk *c, int front)
{
	size_t i, end;

	while (take(w, c, front, &i, &end))
		for (; i < end; i++)
			check_entry(c->d, &c->d->ck[!front], c->s, &c->rows[i]);
}

/* On the deleting thread, before c's entries: the folders the chunk before
 * emptied, deepest first, each removed only if it is still a folder and
 * empty (rmdir decides: a kept entry or anything unplanned in it keeps it,
 * for the folder phase to judge). Removed here, their cost runs beside
 * the main thread's database work instead of after all entries. Both open
 * store folders were closed before (Windows cannot remove an open one);
 * no row of c or after lies in one of these folders. */
static void remove_folders(chunk *c)
{
	deleter *d = c->d;
	const char *base = c->s->file_dir;
	uk_stat st;

	if (c->nfold > 0)
		uk_dircache_close(&d->ck[0].sdir);
	for (size_t i = 0; i < c->nfold; i++) {
		char *path = uk_store_rel_local(base, c->fold[i].rel);
		c->fold[i].gone = path && uk_purge_inside(base, path) &&
		                  uk_purge_parents_plain(&d->ck[0].guard, base, path) == 0 &&
		                  uk_fs_lstat(path, &st) == 0 && st.type == UK_FT_DIR &&
		                  rmdir_reaped(d, path) == 0;
		free(path);
	}
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	chunk *c, *nx;

	pthread_mutex_lock(&w->t.mu);
	for (;;) {
		while (!w->job && !w->t.quit)
			pthread_cond_wait(&w->t.cv, &w->t.mu);
		if (!(c = w->job))
			break;
		pthread_mutex_unlock(&w->t.mu);
		remove_folders(c);
		check_rows(w, c, 1);
		pthread_mutex_lock(&w->t.mu);
		while (!c->next && !w->t.quit)
			pthread_cond_wait(&w->t.cv, &w->t.mu);
		/* The main thread's rows of c are checked, and its open folder
		 * (maybe one of those c emptied) is closed here: it opens it
		 * only in take()'s rows, under this lock. */
		while (c->main_busy)
			pthread_cond_wait(&w->t.cv, &w->t.mu);
		nx = w->t.quit ? NULL : c->next;
		if (nx && nx->nfold > 0)
			uk_dircache_close(&c->d->ck[1].sdir);
		c->left = 1;
		w->job = nx && nx->n > 0 ? nx : NULL;
		pthread_cond_broadcast(&w->t.cv);
	}
	pthread_mutex_unlock(&w->t.mu);
	return NULL;
}

static int worker_start(worker *w)
{
	memset(w, 0, sizeof(*w));
	return ht_start(&w->t, worker_main, w);
}

/* c to the idle deleting thread (the first chunk). */
static void worker_give(worker *w, chunk *c)
{
	pthread_mutex_lock(&w->t.mu);
	c->lo = 0;
	c->hi = c->n;
	w->job = c;
	pthread_cond_broadcast(&w->t.cv);
	pthread_mutex_unlock(&w->t.mu);
}

/* nx, loaded (n == 0: there is none), is the chunk after c. */
static void worker_publish(worker *w, chunk *c, chunk *nx)
{
	pthread_mutex_lock(&w->t.mu);
	nx->lo = 0;
	nx->hi = nx->n;
	c->next = nx;
	pthread_cond_broadcast(&w->t.cv);
	pthread_mutex_unlock(&w->t.mu);
}

/* Until the deleting thread is done with c (and has moved on). */
static void worker_left(worker *w, chunk *c)
{
	pthread_mutex_lock(&w->t.mu);
	while (!c->left)
		pthread_cond_wait(&w->t.cv, &w->t.mu);
	pthread_mutex_unlock(&w->t.mu);
}

/* The next chunk after c->after, into c: its planned steps (qs), then
 * what verify recorded of them (qe), both in rel order, merged here. One
 * range read of each table, not a lookup in the verify run's a step: the
 * lookups were a fifth of the main thread's time. */
static int load_entries(uk_purge *p, sqlite3_stmt *qs, sqlite3_stmt *qe,
                        const uk_purge_store *s, chunk *c)
{
	size_t i = 0;
	int rc;

	c->n = 0;
	sqlite3_bind_int64(qs, 1, p->run);
	sqlite3_bind_int64(qs, 2, s->id);
	sqlite3_bind_text(qs, 3, c->after, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(qs)) == SQLITE_ROW) {
		erow *r = &c->rows[c->n++];
		r->rel = col_text(c, qs, 0);
		r->kind = col_text(c, qs, 1);
		if (!r->rel || !r->kind) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_reset(qs);
	if (rc == SQLITE_DONE && c->n > 0) {
		sqlite3_bind_int64(qe, 1, p->verify_run);
		sqlite3_bind_int64(qe, 2, s->id);
		sqlite3_bind_text(qe, 3, c->after, -1, SQLITE_STATIC);
		sqlite3_bind_text(qe, 4, c->rows[c->n - 1].rel, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(qe)) == SQLITE_ROW) {
			const char *rel = (const char *)sqlite3_column_text(qe, 0);
			erow *r;
			int cmp = 1;
			/* Steps before it that verify did not record keep NULLs. */
			while (rel && i < c->n && (cmp = strcmp(c->rows[i].rel, rel)) < 0)
				i++;
			if (!rel || i == c->n || cmp != 0)
				continue; /* an entry with no planned step */
			r = &c->rows[i++];
			r->verdict = col_text(c, qe, 1);
			r->fid = col_text(c, qe, 2);
			r->local = col_text(c, qe, 3);
			r->hash = col_text(c, qe, 4);
			r->sole = sqlite3_column_int(qe, 5);
			r->has_size = sqlite3_column_type(qe, 6) != SQLITE_NULL;
			r->size = (uint64_t)sqlite3_column_int64(qe, 6);
			r->has_mtime = sqlite3_column_type(qe, 7) != SQLITE_NULL;
			r->mtime = sqlite3_column_int64(qe, 7);
		}
		sqlite3_reset(qe);
	}
	if (rc == SQLITE_DONE && c->oom)
		rc = SQLITE_NOMEM;
	if (rc != SQLITE_DONE)
		uk_error("database: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(p->db));
	return rc == SQLITE_DONE ? 0 : -1;
}

static void chunk_clear(chunk *c)
{
	for (size_t i = 0; i < c->n; i++)
		erow_free(&c->rows[i]);
	c->n = 0;
	c->nfold = 0;
	for (tblock *b = c->text; b; b = b->next)
		b->used = 0;
	c->oom = 0;
	c->next = NULL;
	c->left = 0;
	c->main_busy = 0;
	free(c->after);
	c->after = NULL;
}

static void chunk_free(chunk *c)
{
	if (!c)
		return;
	chunk_clear(c);
	free(c->fold);
	for (tblock *b = c->text, *nb; b; b = nb) {
		nb = b->next;
		free(b);
	}
	free(c);
}

/* Records a checked chunk: the folders removed before it, each outcome,
 * then its done marks at once. */
static int record_chunk(deleter *d, chunk *c, int64_t *done, int64_t total)
{
	uk_purge *p = d->p;

	for (size_t i = 0; i < c->nfold; i++)
		if (c->fold[i].gone &&
		    set_state(d, c->s, UK_PHASE_DIR, c->fold[i].rel, "done", NULL))
			return -1;
	d->defer_done = 1;
	for (size_t i = 0; i < c->n; i++) {
		if (record(d, c->s, &c->rows[i]))
			return -1;
		uk_progress("%s %lld/%lld entries", p->o->dry_run ? "checking" : "deleting",
		            (long long)++*done, (long long)total);
	}
	d->defer_done = 0;
	return mark_done(d, c->s, c->after, c->rows[c->n - 1].rel);
}

/* 1 when the planned folder rel may go with the entries: planned, not
 * yet carried out, not read-only (the folder phase clears that with a
 * journal record first); 0 when not; -1 on a database error. */
static int fold_planned(uk_purge *p, sqlite3_stmt *qf, const uk_purge_store *s,
                        const char *rel, size_t n)
{
	int rc;

	sqlite3_bind_int64(qf, 1, p->run);
	sqlite3_bind_int64(qf, 2, s->id);
	sqlite3_bind_text(qf, 3, rel, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(qf);
	rc = rc == SQLITE_ROW ? sqlite3_column_int(qf, 0) == 0 : rc == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(qf);
	return rc;
}

/* Into next->fold: the folders the checked chunk c emptied, deepest first.
 * Entries come in rel order, so the ones in a folder are a run: a folder
 * of row i holds nothing after it when row i+1 (or next's first row) is
 * not in it. */
static int closed_folders(uk_purge *p, sqlite3_stmt *qf, chunk *c, chunk *next)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *a = c->rows[i].rel, *b = i + 1 < c->n ? c->rows[i + 1].rel :
		                                     next->rows[0].rel;
		size_t m = 0, j;

		while (a[m] && a[m] == b[m])
			m++;
		for (j = strlen(a); j-- > m;) {
			int planned;
			if (a[j] != '/')
				continue;
			if ((planned = fold_planned(p, qf, c->s, a, j)) < 0)
				return -1;
			if (!planned)
				continue;
			if (uk_grow(&next->fold, next->nfold, &next->cap, sizeof(*next->fold), 16) ||
			    !(next->fold[next->nfold].rel = keep_text(next, a, j)))
				return -1;
			next->fold[next->nfold++].gone = 0;
		}
	}
	return 0;
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

/* The entries in chunks, on two threads: the deleting thread checks and
 * deletes chunk k (system calls only) and goes on to k+1 as soon as it is
 * done; this one loads k+1, records k-1 (database only), then checks what
 * is left of k. One thread doing both in turn spent 0.6 s on 100k files
 * (bench/before-after.md). A chunk's files go before their states are
 * written: a state only lags its step, and a re-run finds the file gone and
 * marks it done. Three chunks: the one being recorded, the one being
 * checked, the next. */
static int phase_entries(deleter *d, const uk_purge_store *s)
{
	uk_purge *p = d->p;
	chunk *buf[3] = {NULL, NULL, NULL}, *prev, *cur, *next, *t;
	sqlite3_stmt *qs = NULL, *qe = NULL, *qf = NULL;
	int64_t total = count_planned(p, s), done = 0;
	int r = -1, threaded = 0, i;
	worker w;

	for (i = 0; i < 3; i++)
		if ((buf[i] = calloc(1, sizeof(*buf[i]))) != NULL) {
			buf[i]->d = d;
			buf[i]->s = s;
		}
	prev = buf[0];
	cur = buf[1];
	next = buf[2];
	if (!prev || !cur || !next || total < 0 || !(cur->after = strdup("")) ||
	    uk_db_prepare(p->db, "SELECT rel, kind FROM purge_step WHERE run_id = ? AND "
	                  "store_id = ? AND phase = 1 AND state = 'planned' AND rel > ? "
	                  "ORDER BY rel LIMIT 512", &qs) != SQLITE_OK ||
	    uk_db_prepare(p->db, "SELECT rel, verdict, fid, local_path, hash, sole_copy, size, "
	                  "mtime FROM entry WHERE run_id = ? AND store_id = ? AND rel > ? AND "
	                  "rel <= ? ORDER BY rel", &qe) != SQLITE_OK ||
	    uk_db_prepare(p->db, "SELECT readonly FROM purge_step WHERE run_id = ? AND "
	                  "store_id = ? AND phase = 2 AND rel = ? AND state = 'planned'",
	                  &qf) != SQLITE_OK)
		goto out;
	if (load_entries(p, qs, qe, s, cur))
		goto out;
	threaded = worker_start(&w) == 0;
	if (threaded && cur->n > 0)
		worker_give(&w, cur);
	while (cur->n > 0) {
		chunk_clear(next);
		if (!(next->after = strdup(cur->rows[cur->n - 1].rel)) ||
		    load_entries(p, qs, qe, s, next))
			goto out;
		if (threaded) {
			if (!p->o->dry_run && next->n > 0 && closed_folders(p, qf, cur, next))
				goto out;
			worker_publish(&w, cur, next);
		}
		if (prev->n > 0 && record_chunk(d, prev, &done, total))
			goto out;
		/* Then this thread checks what the other has not taken yet (all
		 * of it without a thread). */
		if (threaded) {
			check_rows(&w, cur, 0);
			worker_left(&w, cur);
		} else {
			for (size_t j = 0; j < cur->n; j++)
				check_entry(d, &d->ck[0], s, &cur->rows[j]);
		}
		t = prev;
		prev = cur;
		cur = next;
		next = t;
	}
	if (prev->n > 0 && record_chunk(d, prev, &done, total))
		goto out;
	r = 0;
out:
	if (threaded)
		ht_stop(&w.t);
	/* Closed before the folders go: Windows cannot remove an open one. */
	for (int i = 0; i < 2; i++) {
		uk_dircache_close(&d->ck[i].sdir);
		uk_dircache_close(&d->ck[i].rdir);
		uk_purge_guard_free(&d->ck[i].guard);
	}
	d->defer_done = 0;
	d->done_later = 0;
	for (i = 0; i < 3; i++)
		chunk_free(buf[i]);
	sqlite3_finalize(qs);
	sqlite3_finalize(qe);
	sqlite3_finalize(qf);
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
	err = *rel ? uk_purge_parents_plain(&p->guard, base, path) : 0;
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
		rc = remove_path(d, s, phase, rel, path, is_dir, &st, below);
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
	ht_start(&d.rp.t, reaper_main, &d.rp); /* without it: plain rmdir */
	for (i = 0; i < p->nst; i++) {
		uk_purge_store *s = &p->st[i];
		if (plan_dirs(p, s) || uk_purge_tx_begin(p) || phase_entries(&d, s) ||
		    phase_rest(&d, s) || uk_purge_tx_commit(p))
			break;
	}
	ht_stop(&d.rp.t);
	uk_progress_done();
	return i < p->nst ? -1 : 0;
}
