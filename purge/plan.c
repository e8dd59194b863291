/* The plan of a new purge run, written to the journal before anything is
 * touched: every entry the verify run recorded (phase 1), every folder below
 * USMT/File deepest first (2), USMT/File (3), the control files (4), USMT (5)
 * and the store root (6). Whatever the store holds that the verify run does
 * not know is planned as `kept`: purge deletes only what was verified. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "hash.h"
#include "out.h"
#include "purge.h"
#include "walk.h"
#include "wincase.h"

static const char *const control_files[] = { "catalog.mig", "MIGSTATE.DAT", "hardlink.main" };

typedef struct planner {
	uk_purge *p;
	const uk_purge_store *s;
	sqlite3_stmt *ins;      /* INSERT OR IGNORE a step */
	/* Is rel an entry of the verify run? Asked of the plan's phase-1 rows,
	 * copied from it just before: their table is a fifth the size of the
	 * verify run's, and the lookups were a tenth of purge's time. */
	sqlite3_stmt *known;
} planner;

static int db_fail(uk_purge *p)
{
	uk_error("database: %s", sqlite3_errmsg(p->db));
	return -1;
}

static int add(planner *pl, int phase, const char *rel, const char *kind, const char *state,
               const char *reason)
{
	sqlite3_stmt *q = pl->ins;
	int rc;

	sqlite3_bind_int64(q, 1, pl->p->run);
	sqlite3_bind_int64(q, 2, pl->s->id);
	sqlite3_bind_int(q, 3, phase);
	sqlite3_bind_text(q, 4, rel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, reason, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : db_fail(pl->p);
}

static int known(planner *pl, const char *rel)
{
	sqlite3_stmt *q = pl->known;
	int rc;

	sqlite3_bind_int64(q, 1, pl->p->run);
	sqlite3_bind_int64(q, 2, pl->s->id);
	sqlite3_bind_text(q, 3, rel, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Kept, and said so: purge deletes only what verify checked. */
static int unknown(planner *pl, int phase, const char *rel, const char *why)
{
	char *show = uk_out_escape(rel);

	uk_purge_warn(pl->p, "%s: keeping %s%s: %s", pl->s->arg, phase == UK_PHASE_ENTRY ? "USMT/File/" : "",
	        show ? show : rel, why);
	free(show);
	return add(pl, phase, rel, "unknown", "kept", why);
}

/* A set of rels as their number and the sums of their hashes under a key
 * chosen per run: two sets with the same are the same set, but for a
 * chance nobody can steer without the key. */
typedef struct setfp {
	uint64_t n, hi, lo;
} setfp;

static void fp_add(setfp *f, uint64_t key, const char *rel)
{
	uk_hash128 h;

	uk_hash_mem_seeded(rel, strlen(rel), key, &h);
	f->n++;
	f->hi += h.hi;
	f->lo += h.lo;
}

static int fp_same(const setfp *a, const setfp *b)
{
	return a->n == b->n && a->hi == b->hi && a->lo == b->lo;
}

/* The store walked on a thread of its own while the plan is copied from
 * the verify run: what it holds now, as a set of entries and a set of
 * folders. When both are the verify run's, no entry needs looking up in
 * the plan (walk_file_dir), the lookups that were a tenth of purge's time.
 * Should two sets ever look the same and not be, the one left out is
 * still never deleted (purge deletes only what is planned), and the folder
 * holding it is kept as not empty. */
typedef struct prewalk {
	const char *root;
	uint64_t key;
	setfp entries, dirs;
	int ok;
	pthread_t th;
} prewalk;

static void *prewalk_main(void *arg)
{
	prewalk *w = arg;
	uk_walk *wk;
	uk_walk_entry e;
	int rc;

	if (uk_walk_open(w->root, 0, &wk) != 0)
		return NULL;
	while ((rc = uk_walk_next(wk, &e)) > 0) {
		if (e.err) { /* a folder it cannot list: walk_file_dir says so */
			rc = -1;
			break;
		}
		if (*e.rel)
			fp_add(e.type == UK_FT_DIR ? &w->dirs : &w->entries, w->key, e.rel);
	}
	uk_walk_close(wk);
	w->ok = rc == 0;
	return NULL;
}

/* Phases 1 and 2 of the plan as sets, to compare with the prewalk's. */
static int plan_sets(planner *pl, uint64_t key, setfp *entries, setfp *dirs)
{
	sqlite3_stmt *q;
	int rc;

	if (uk_db_prepare(pl->p->db, "SELECT phase, rel FROM purge_step WHERE run_id = ? AND "
	                  "store_id = ? AND phase IN (1, 2)", &q) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, pl->p->run);
	sqlite3_bind_int64(q, 2, pl->s->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(q, 1);
		if (rel)
			fp_add(sqlite3_column_int(q, 0) == UK_PHASE_ENTRY ? entries : dirs, key, rel);
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : db_fail(pl->p);
}

/* Phases 1 and 2 straight from the verify run's tables. */
static int from_verify_run(planner *pl)
{
	char *sql = sqlite3_mprintf(
		"INSERT INTO purge_step(run_id, store_id, phase, rel, kind, readonly, state) "
		"SELECT %lld, store_id, 1, rel, type, readonly, 'planned' FROM entry "
		"WHERE run_id = %lld AND store_id = %lld;"
		"INSERT OR IGNORE INTO purge_step(run_id, store_id, phase, rel, kind, state) "
		"SELECT %lld, store_id, 2, rel, 'dir', 'planned' FROM entry_dir "
		"WHERE run_id = %lld AND store_id = %lld AND rel <> '';",
		(long long)pl->p->run, (long long)pl->p->verify_run, (long long)pl->s->id,
		(long long)pl->p->run, (long long)pl->p->verify_run, (long long)pl->s->id);
	int rc = sql ? sqlite3_exec(pl->p->db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;

	sqlite3_free(sql);
	return rc == SQLITE_OK ? 0 : db_fail(pl->p);
}

/* What the store holds now: folders the verify run did not list are planned
 * too (removing an empty folder loses nothing), anything else unknown is
 * kept. The walk never follows a link. */
static int walk_file_dir(planner *pl)
{
	uk_walk *w;
	uk_walk_entry e;
	uk_stat st;
	int rc, k;

	if (uk_fs_lstat(pl->s->file_dir, &st) != 0 || st.type != UK_FT_DIR)
		return 0;
	if ((rc = uk_walk_open(pl->s->file_dir, UK_WALK_THREAD | UK_WALK_NOSTAT, &w)) != 0) {
		char eb[128];
		uk_error("%s: %s", pl->s->file_dir, uk_fs_strerror(rc, eb, sizeof(eb)));
		return -1;
	}
	while ((rc = uk_walk_next(w, &e)) > 0) {
		if (e.type == UK_FT_DIR) {
			if (add(pl, UK_PHASE_DIR, e.rel, "dir", "planned", NULL))
				break;
			continue;
		}
		if ((k = known(pl, e.rel)) < 0)
			break;
		if (!k && unknown(pl, UK_PHASE_ENTRY, e.rel, "not in the verify run: usmt-verify never "
		                  "checked it"))
			break;
	}
	uk_walk_close(w);
	return rc == 0 ? 0 : -1;
}

static int is_control(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(control_files) / sizeof(control_files[0]); i++)
		if (uk_wincase_cmp(name, control_files[i]) == 0) /* as NTFS names them */
			return 1;
	return 0;
}

/* Children of a folder other than the ones purge deletes: kept. `prefix` is
 * the folder's rel below the store root ("" or "USMT/"). */
static int list_level(planner *pl, const char *dir, const char *prefix, const char *usmt_name,
                      const char *file_name)
{
	uk_dir *d;
	uk_dirent de;
	char *rel;
	int rc, r = 0;

	if (uk_fs_opendir(dir, &d) != 0)
		return 0;
	while (r == 0 && (rc = uk_fs_readdir(d, &de)) > 0) {
		int ours = *prefix ? (strcmp(de.name, file_name) == 0 || is_control(de.name)) :
		           strcmp(de.name, usmt_name) == 0;
		if (!(rel = sqlite3_mprintf("%s%s", prefix, de.name)))
			r = -1;
		else if (*prefix && is_control(de.name))
			r = add(pl, UK_PHASE_CONTROL, rel, "file", "planned", NULL);
		else if (!ours)
			r = unknown(pl, UK_PHASE_CONTROL, rel, "not part of a USMT store: usmt-verify never "
			            "checked it");
		sqlite3_free(rel);
	}
	uk_fs_closedir(d);
	return r;
}

static const char *last_name(const char *path)
{
	const char *s = strrchr(path, UK_SEP);

	return s ? s + 1 : path;
}

/* Phases 1 and 2: the verify run's, and what the store holds beyond them
 * (walk_file_dir), looked for only when the prewalk's sets differ. */
static int plan_file_dir(planner *pl)
{
	prewalk w = { .root = pl->s->file_dir };
	setfp entries = { 0 }, dirs = { 0 };
	int started, same = 0, r;

	w.key = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)&w ^
	        (uint64_t)(uk_fs_monotonic() * 1e9);
	started = pthread_create(&w.th, NULL, prewalk_main, &w) == 0;
	r = from_verify_run(pl);
	if (r == 0)
		r = plan_sets(pl, w.key, &entries, &dirs);
	if (started) {
		pthread_join(w.th, NULL);
		same = w.ok && fp_same(&w.entries, &entries) && fp_same(&w.dirs, &dirs);
	}
	return r != 0 ? r : same ? 0 : walk_file_dir(pl);
}

static int plan_store(planner *pl)
{
	const uk_purge_store *s = pl->s;
	const char *usmt_name = last_name(s->usmt), *file_name = last_name(s->file_dir);
	char *rel3 = sqlite3_mprintf("%s/%s", usmt_name, file_name);
	char *prefix = sqlite3_mprintf("%s/", usmt_name);
	int r = -1;

	if (!rel3 || !prefix)
		goto out;
	if (plan_file_dir(pl) ||
	    add(pl, UK_PHASE_FILE_DIR, rel3, "dir", "planned", NULL) ||
	    list_level(pl, s->usmt, prefix, usmt_name, file_name) ||
	    list_level(pl, s->path, "", usmt_name, file_name) ||
	    add(pl, UK_PHASE_USMT, usmt_name, "dir", "planned", NULL) ||
	    add(pl, UK_PHASE_ROOT, "", "dir", "planned", NULL))
		goto out;
	r = 0;
out:
	sqlite3_free(rel3);
	sqlite3_free(prefix);
	return r;
}

int uk_purge_plan(uk_purge *p)
{
	planner pl = { p, NULL, NULL, NULL };
	size_t i;
	int r = 0;

	if (uk_db_prepare(p->db, "INSERT OR IGNORE INTO purge_step(run_id, store_id, "
	                  "phase, rel, kind, state, reason) VALUES(?, ?, ?, ?, ?, ?, ?)",
	                  &pl.ins) != SQLITE_OK ||
	    uk_db_prepare(p->db, "SELECT 1 FROM purge_step WHERE run_id = ? AND "
	                  "store_id = ? AND phase = 1 AND rel = ?", &pl.known) != SQLITE_OK)
		r = -1;
	for (i = 0; i < p->nst && r == 0; i++) {
		pl.s = &p->st[i];
		uk_progress("planning %s", p->st[i].arg);
		r = plan_store(&pl);
	}
	sqlite3_finalize(pl.ins);
	sqlite3_finalize(pl.known);
	return r;
}
