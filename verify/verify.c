/* A verify run: open the stores, walk each File tree, judge every entry,
 * stream the rows into the database, print the summary. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "db.h"
#include "exitcode.h"
#include "judge.h"
#include "out.h"
#include "walk.h"
#include "verify.h"

/* Jobs in flight per hashing thread: room to run on past the files being
 * hashed (the pool hands small jobs over in groups) instead of waiting for
 * them; 8 made the realistic store wait on the workers (docs/BENCHMARKS.md). */
#define UK_JOBS_PER_THREAD 64

typedef struct run {
	const uk_verify_opts *o;
	uk_judge_ctx jc;
	uk_vdb *db;
	uk_rdir *rdir;
	uk_hashpool *pool;
	uk_bl *bl;
	int64_t *ids; /* each store's row id */
	uk_vtotals t;
	int failed; /* a database error: exit 3 */
} run;

/* Counts one finished entry and hands it to the database writer. */
static void finish(run *R, uk_vrec *r)
{
	uk_vtotals *t = &R->t;

	uk_judge_sole_copy(r);
	uk_bl_apply(r);
	if (r->verdict == UK_V_NONE) {
		t->links++;
	} else {
		t->files++;
		t->verdicts[r->verdict]++;
		if (r->st.type != UK_FT_UNKNOWN) {
			t->bytes += r->st.size;
			t->readonly += r->st.readonly != 0;
			t->copies += r->st.nlink <= 1;
		}
		t->sole_copy += r->sole_copy;
		t->repaired += r->repaired;
	}
	if (R->failed)
		uk_vrec_free(r);
	else if (uk_vdb_entry(R->db, r) != 0)
		R->failed = 1;
}

/* Finishes the hash jobs that are done; with `wait`, waits for one first. */
static void collect(run *R, int wait)
{
	uk_hashjob *j;

	while ((j = uk_hashpool_collect(R->pool, wait)) != NULL) {
		uk_judge_hashed(j->user, &R->t.hashed_bytes);
		finish(R, j->user);
		wait = 0;
	}
}

static void drain(run *R)
{
	while (uk_hashpool_inflight(R->pool) > 0)
		collect(R, 1);
}

static uk_vrec *new_rec(run *R, int64_t store_id, const uk_walk_entry *e);

static uk_vrec *lost_rec(void *ctx, int64_t store_id, const char *rel)
{
	uk_walk_entry e = { .path = "", .rel = rel, .type = UK_FT_FILE };

	return new_rec(ctx, store_id, &e);
}

static void lost_done(void *ctx, uk_vrec *r)
{
	finish(ctx, r);
}

/* The store walked next: compared with its baseline, when it has one. */
static int baseline_store(run *R, int64_t store_id)
{
	int has = R->bl ? uk_bl_store(R->bl, store_id) : 0;

	if (has < 0)
		return -1;
	R->t.baselines += (uint64_t)has;
	return 0;
}

/* Baseline rows no store entry of this run answers: lost since capture. */
static int lost(run *R)
{
	if (uk_vdb_sync(R->db) != 0)
		return -1;
	for (size_t i = 0; i < R->o->nstores; i++)
		if (uk_bl_lost(R->bl, R->ids[i], uk_vdb_run_id(R->db), R->o->exclude, lost_rec,
		               lost_done, R) != 0)
			return -1;
	return R->failed ? -1 : 0;
}

static uk_vrec *new_rec(run *R, int64_t store_id, const uk_walk_entry *e)
{
	/* One block for the record and its two names: fewer mallocs per file
	 * on the walking thread (docs/BENCHMARKS.md). */
	size_t lrel = strlen(e->rel) + 1, lpath = strlen(e->path) + 1;
	uk_vrec *r = calloc(1, sizeof(*r) + lrel + lpath);
	char *win;

	if (!r)
		return NULL;
	r->store_id = store_id;
	r->type = e->type;
	r->verdict = UK_V_NONE;
	r->restored_readonly = -1;
	r->rel = memcpy((char *)(r + 1), e->rel, lrel);
	r->store_path = memcpy(r->rel + lrel, e->path, lpath);
	win = uk_store_rel_to_win(e->rel);
	if (win) {
		/* Without --map the path is the row's as it is: no copy. */
		if (uk_pathmap_map_count(R->o->map) == 0) {
			r->win = win;
		} else {
			r->win = uk_pathmap_map_win(R->o->map, win);
			free(win);
		}
		if (r->win)
			r->local = uk_pathmap_win_to_local(R->o->map, r->win);
	} else {
		/* Directly under File, outside any drive folder: recorded as it is. */
		r->win = strdup(e->rel);
	}
	if (!r->win) {
		uk_vrec_free(r);
		return NULL;
	}
	return r;
}

/* "PATH: what" with the path shown escaped (a name may hold a newline). */
static void path_error(const char *path, const char *what)
{
	char *esc = uk_out_escape(path);

	uk_error("%s: %s", esc ? esc : path, what);
	free(esc);
}

/* A message that quotes paths, shown escaped. */
static void error_escaped(const char *msg)
{
	char *esc = uk_out_escape(msg);

	uk_error("%s", esc ? esc : msg);
	free(esc);
}

/* A symbolic link or other non-file in the store: a warning, never followed. */
static void non_file(uk_walk *w, const uk_walk_entry *e, uk_vrec *r)
{
	char *esc = uk_out_escape(r->store_path);

	if (uk_walk_lstat(w, e, &r->st) != 0)
		r->st.type = UK_FT_UNKNOWN;
	uk_warn("%s: %s in the store: not a file LoadState restores, not followed",
	        esc ? esc : r->store_path,
	        r->type == UK_FT_LINK ? "symbolic link or reparse point" : "special file");
	free(esc);
}

/* A store folder that could not be listed may hide files: unreadable. */
static void unlisted_dir(run *R, uk_vrec *r, int err)
{
	char eb[256], msg[320];

	r->type = UK_FT_OTHER;
	r->st.type = UK_FT_UNKNOWN;
	r->verdict = UK_V_UNREADABLE;
	snprintf(msg, sizeof(msg), "store folder could not be listed: %s",
	         uk_fs_strerror(err, eb, sizeof(eb)));
	r->error = strdup(msg);
	path_error(r->store_path, msg);
}

static int entry(run *R, int64_t store_id, uk_walk *w, const uk_walk_entry *e)
{
	unsigned max = R->o->threads * UK_JOBS_PER_THREAD;
	uk_vrec *r;

	if (e->type == UK_FT_DIR && !e->err)
		return uk_vdb_dir(R->db, store_id, e->rel);
	r = new_rec(R, store_id, e);
	if (!r) {
		uk_error("out of memory");
		return -1;
	}
	if (e->type == UK_FT_DIR) {
		if (uk_vdb_dir(R->db, store_id, e->rel) != 0) {
			uk_vrec_free(r);
			return -1;
		}
		unlisted_dir(R, r, e->err);
	} else if (e->type != UK_FT_FILE) {
		non_file(w, e, r);
	} else if (uk_bl_judge(R->bl, r, uk_judge(&R->jc, R->rdir, r,
	                                          uk_walk_lstat(w, e, &r->st)))) {
		uk_hashpool_submit(R->pool, &r->job);
		collect(R, uk_hashpool_inflight(R->pool) >= max);
		return R->failed ? -1 : 0;
	}
	finish(R, r);
	return R->failed ? -1 : 0;
}

static int walk_store(run *R, const uk_store *s, int64_t store_id)
{
	uk_walk *w;
	uk_walk_entry e;
	char eb[256], msg[320];
	uint64_t n = 0;
	int rc;

	rc = uk_walk_open(s->file_dir, UK_WALK_THREAD, &w);
	if (rc) {
		snprintf(msg, sizeof(msg), "cannot list the store: %s",
		         uk_fs_strerror(rc, eb, sizeof(eb)));
		path_error(s->file_dir, msg);
		return -1;
	}
	while ((rc = uk_walk_next(w, &e)) > 0) {
		if (entry(R, store_id, w, &e) != 0)
			break;
		if ((++n & 255) == 0)
			uk_progress("%llu files checked, %s hashed", (unsigned long long)R->t.files,
			            uk_out_bytes(R->t.hashed_bytes, eb));
	}
	uk_walk_close(w);
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "walking the store: %s",
		         uk_fs_strerror(-rc, eb, sizeof(eb)));
		path_error(s->file_dir, msg);
		return -1;
	}
	return rc == 0 && !R->failed ? 0 : -1;
}

/* A --root that is not a folder would make every file missing, and --repair
 * would build the whole tree there: refuse it before anything is judged. */
static int check_root_dirs(const uk_pathmap *m)
{
	for (int l = 'A'; l <= 'Z'; l++) {
		const char *root = uk_pathmap_root(m, l);
		uk_stat st;
		char eb[256], *esc, *real = NULL;
		int err;

		if (!root)
			continue;
		/* A root that is a link to a folder is followed, as the kernel does
		 * for every path below it. */
		err = uk_fs_realpath(root, &real);
		if (!err)
			err = uk_fs_lstat(real, &st);
		if (!err && st.type != UK_FT_DIR)
			err = ENOTDIR;
		free(real);
		if (!err)
			continue;
		esc = uk_out_escape(root);
		uk_error("--root %c=%s: %s", l, esc ? esc : root,
		         uk_fs_err_notfound(err) ? "no such folder" : uk_fs_strerror(err, eb, sizeof(eb)));
		free(esc);
		return -1;
	}
	return 0;
}

/* Every drive folder of every store needs a local folder to compare with. */
static int check_roots(const uk_verify_opts *o, const uk_store *stores)
{
	if (check_root_dirs(o->map) != 0)
		return -1;
	for (size_t i = 0; i < o->nstores; i++) {
		char letters[27];
		uk_store_drives(&stores[i], letters);
		for (const char *l = letters; *l; l++)
			if (!uk_pathmap_root(o->map, *l) && !UK_FS_DRIVE_PATHS) {
				char msg[96];
				snprintf(msg, sizeof(msg), "holds drive %c: but no folder is "
				         "given for it: use --root %c=DIR", *l, *l);
				path_error(stores[i].path, msg);
				return -1;
			}
	}
	return 0;
}

int uk_verify_open_stores(const uk_verify_opts *o, uk_store *stores, int roots)
{
	char err[1024];

	for (size_t i = 0; i < o->nstores; i++) {
		int kind = uk_store_open(o->stores[i], &stores[i], err, sizeof(err));
		if (kind != UK_STORE_HARDLINK && kind != UK_STORE_UNCOMPRESSED) {
			error_escaped(err);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(stores[j].path, stores[i].path) == 0) {
				path_error(o->stores[i], "the same store is given twice");
				return -1;
			}
		if (roots && uk_pathmap_default_root(o->map, &stores[i]) != 0) {
			path_error(stores[i].path, "cannot find the file system holding the store");
			return -1;
		}
	}
	return roots ? check_roots(o, stores) : 0;
}

int uk_verify_run(const uk_verify_opts *o)
{
	run R = { .o = o, .jc = { o->exclude, o->config, o->hash_always, o->repair, o->map } };
	uk_store *stores = calloc(o->nstores, sizeof(*stores));
	char host[256] = "", *db_path = NULL;
	double t0 = uk_fs_monotonic(), seconds;
	const char *result;
	int rc = UK_EXIT_RUNTIME;

	if (!stores)
		goto out;
	if (uk_verify_open_stores(o, stores, 1) != 0) {
		rc = UK_EXIT_USAGE;
		goto out;
	}
	R.jc.stores = stores;
	R.jc.nstores = o->nstores;
	db_path = o->db_path ? strdup(o->db_path) : uk_db_default_path(stores[0].path);
	R.rdir = uk_rdir_new();
	R.pool = uk_hashpool_new(o->threads);
	R.ids = calloc(o->nstores, sizeof(*R.ids));
	if (!db_path || !R.rdir || !R.pool || !R.ids) {
		uk_error("out of memory");
		goto out;
	}
	uk_fs_hostname(host, sizeof(host));
	if ((rc = uk_vdb_open(db_path, &R.db)) != 0)
		goto out;
	rc = UK_EXIT_RUNTIME;
	if (uk_vdb_begin_run(R.db, o, host) != 0)
		goto out;
	/* A database this run made holds no baseline to look for. */
	if (!uk_vdb_is_new(R.db) && uk_bl_open(db_path, o->rehash, &R.bl) != 0)
		goto out;
	for (size_t i = 0; i < o->nstores; i++) {
		int64_t id = R.ids[i] = uk_vdb_add_store(R.db, &stores[i]);
		if (id < 0 || baseline_store(&R, id) != 0 || walk_store(&R, &stores[i], id) != 0)
			goto out;
	}
	drain(&R);
	/* No store has a baseline: nothing can be lost, no commit, no query. */
	if (!R.failed && R.t.baselines > 0 && lost(&R) != 0)
		R.failed = 1;
	uk_progress_done();
	if (R.failed)
		goto out;
	seconds = uk_fs_monotonic() - t0;
	result = R.t.verdicts[UK_V_MODIFIED] + R.t.verdicts[UK_V_MISSING] +
	         R.t.verdicts[UK_V_UNREADABLE] ? "risk" : "ok";
	if (R.t.verdicts[UK_V_CORRUPT] + R.t.verdicts[UK_V_CHANGED] + R.t.verdicts[UK_V_LOST])
		result = "risk";
	if (uk_vdb_finish(R.db, &R.t, seconds, result) != 0)
		goto out;
	if (o->json)
		uk_verify_print_json(o, db_path, uk_vdb_run_id(R.db), &R.t, seconds, result);
	else
		uk_verify_print_text(o, stores, db_path, R.db, &R.t, seconds, result);
	rc = strcmp(result, "ok") == 0 ? UK_EXIT_OK : UK_EXIT_FINDINGS;
out:
	uk_progress_done();
	if (R.pool) {
		drain(&R); /* after an error: free what is still in flight */
		uk_hashpool_free(R.pool);
	}
	uk_rdir_free(R.rdir);
	uk_bl_close(R.bl);
	free(R.ids);
	uk_vdb_close(R.db);
	for (size_t i = 0; stores && i < o->nstores; i++)
		uk_store_free(&stores[i]);
	free(stores);
	free(db_path);
	return rc;
}
