/* usmt-verify --baseline: every store file as ScanState left it (size,
 * mtime, read-only, XXH3-128) in table baseline, so later runs can tell bit
 * rot from an edit (bcompare.c). Files are hashed on the run's pool with
 * large sequential reads; an inode is read once however many names it has
 * in the store; the rows of all the stores replace their previous baseline
 * in one transaction, so an interrupted baseline leaves the old one whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "walk.h"
#include "baseline.h"

#define UK_BL_JOBS_PER_THREAD 8
/* Inodes with several names remembered at most (about 60 bytes each): past
 * that a shared inode is simply read again, never recorded wrongly. */
#define UK_BL_INODES (1u << 18)
/* Files up to this size are read on the walking thread: handing them to the
 * pool cost three futex calls each, more than reading them (on 27 k files,
 * 1 GiB, the pool's wake-ups were 40 % of the run's system calls). */
#define UK_BL_INLINE (64u << 10)

typedef struct brec {
	struct brec *next; /* the names waiting for one inode's hash */
	int64_t store_id;
	char *rel, *path;
	uk_stat st;
	long ino;          /* its inode's slot when it leads the read, else -1 */
	uk_hashjob job;
} brec;

typedef struct ino {
	uk_fileid id;
	int done, err;
	uk_hash128 h;
	brec *waiting;
} ino;

typedef struct take {
	const uk_verify_opts *o;
	sqlite3 *db;
	sqlite3_stmt *ins;
	uk_hashpool *pool;
	uk_vtotals t;
	char host[256], now[24];
	ino *inos;
	size_t ninos;
	uint32_t *slots; /* open addressing: index + 1, 0 = empty */
	size_t nslots;
	int failed;      /* a database error: exit 3 */
} take;

static void brec_free(brec *r)
{
	if (!r)
		return;
	free(r->rel);
	free(r->path);
	free(r);
}

static size_t fid_hash(const uk_fileid *id)
{
	uint64_t h = id->vol * 0x9E3779B97F4A7C15ull ^ id->lo * 0xC2B2AE3D27D4EB4Full ^ id->hi;

	return (size_t)(h ^ h >> 29);
}

static int grow(take *tk)
{
	size_t n = tk->nslots ? tk->nslots * 2 : 1024;
	uint32_t *s = calloc(n, sizeof(*s));
	ino *in = realloc(tk->inos, n / 2 * sizeof(*in));

	if (!s || !in) {
		free(s);
		if (in)
			tk->inos = in;
		return -1;
	}
	tk->inos = in;
	for (size_t i = 0; i < tk->ninos; i++) {
		size_t k = fid_hash(&in[i].id) & (n - 1);
		while (s[k])
			k = (k + 1) & (n - 1);
		s[k] = (uint32_t)i + 1;
	}
	free(tk->slots);
	tk->slots = s;
	tk->nslots = n;
	return 0;
}

/* The inode's slot; *added when it was not known. -1: the table is full. */
static long inode(take *tk, const uk_fileid *id, int *added)
{
	size_t s;

	*added = 0;
	/* Out of memory only costs the reuse: the table stays as it is. */
	if (tk->ninos * 2 >= tk->nslots && tk->ninos < UK_BL_INODES)
		grow(tk);
	if (!tk->nslots)
		return -1;
	for (s = fid_hash(id) & (tk->nslots - 1); tk->slots[s]; s = (s + 1) & (tk->nslots - 1))
		if (uk_fid_equal(&tk->inos[tk->slots[s] - 1].id, id))
			return (long)tk->slots[s] - 1;
	if (tk->ninos * 2 >= tk->nslots)
		return -1; /* full: this inode is read again for each name */
	tk->inos[tk->ninos] = (ino){ .id = *id };
	tk->slots[s] = (uint32_t)++tk->ninos;
	*added = 1;
	return (long)tk->ninos - 1;
}

static void unreadable(take *tk, const char *path, const char *what, int err)
{
	char eb[256];
	char *esc = uk_out_escape(path);

	uk_error("%s: %s: %s; it is not in the baseline", esc ? esc : path, what,
	         uk_fs_strerror(err, eb, sizeof(eb)));
	free(esc);
	tk->t.files++;
	tk->t.verdicts[UK_V_UNREADABLE]++;
}

/* One name's row, with its inode's hash (or the error reading it). */
static void emit(take *tk, brec *r, int err, const uk_hash128 *h)
{
	sqlite3_stmt *st = tk->ins;
	char hex[UK_HASH_STRLEN];

	if (err) {
		unreadable(tk, r->path, "cannot read it", err);
		brec_free(r);
		return;
	}
	tk->t.files++;
	tk->t.bytes += r->st.size;
	tk->t.readonly += r->st.readonly != 0;
	tk->t.copies += r->st.nlink <= 1;
	uk_hash_str(h, hex);
	sqlite3_bind_int64(st, 1, r->store_id);
	sqlite3_bind_text(st, 2, r->rel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)r->st.size);
	sqlite3_bind_int64(st, 4, r->st.mtime);
	sqlite3_bind_int(st, 5, r->st.readonly != 0);
	sqlite3_bind_text(st, 6, hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, tk->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, tk->now, -1, SQLITE_STATIC);
	if (!tk->failed && sqlite3_step(st) != SQLITE_DONE) {
		uk_error("database: recording the baseline: %s", sqlite3_errmsg(tk->db));
		tk->failed = 1;
	}
	sqlite3_reset(st);
	brec_free(r);
}

/* r's file is read: its row, and the rows of the names waiting for it. */
static void hashed(take *tk, brec *r, int err, const uk_hash128 *h, uint64_t bytes)
{
	brec *w, *next;
	ino *in;

	tk->t.hashed_bytes += bytes;
	if (r->ino < 0) {
		emit(tk, r, err, h);
		return;
	}
	in = &tk->inos[r->ino];
	in->done = 1;
	in->err = err;
	in->h = *h;
	w = in->waiting;
	in->waiting = NULL;
	emit(tk, r, in->err, &in->h);
	for (; w; w = next) {
		next = w->next;
		emit(tk, w, in->err, &in->h);
	}
}

static void collect(take *tk, int wait)
{
	uk_hashjob *j;

	while ((j = uk_hashpool_collect(tk->pool, wait)) != NULL) {
		hashed(tk, j->user, j->err[0], &j->h[0], j->bytes[0]);
		wait = 0;
	}
}

static int file(take *tk, int64_t store_id, uk_walk *w, const uk_walk_entry *e)
{
	unsigned max = tk->o->threads * UK_BL_JOBS_PER_THREAD;
	brec *r = calloc(1, sizeof(*r));
	int err, added;
	long i;

	if (!r || !(r->rel = strdup(e->rel)) || !(r->path = strdup(e->path))) {
		brec_free(r);
		uk_error("out of memory");
		return -1;
	}
	r->store_id = store_id;
	r->ino = -1;
	err = uk_walk_lstat(w, e, &r->st);
	if (err || r->st.type != UK_FT_FILE) {
		if (err)
			unreadable(tk, r->path, "store entry", err);
		else
			tk->t.links++; /* replaced by a non-file since it was listed */
		brec_free(r);
		return 0;
	}
	/* Another name of an inode already seen: its hash, now or when read. */
	if (r->st.nlink > 1 && (i = inode(tk, &r->st.id, &added)) >= 0) {
		ino *in = &tk->inos[i];
		if (!added && in->done) {
			emit(tk, r, in->err, &in->h);
			return 0;
		}
		if (!added) {
			r->next = in->waiting;
			in->waiting = r;
			return 0;
		}
		r->ino = i;
	}
	if (r->st.size <= UK_BL_INLINE) {
		uk_hash128 h = { 0, 0 };
		uint64_t bytes;
		err = uk_hash_file(r->path, &h, &bytes);
		hashed(tk, r, err, &h, bytes);
		return 0;
	}
	r->job.path[0] = r->path;
	r->job.size = r->st.size;
	r->job.user = r;
	uk_hashpool_submit(tk->pool, &r->job);
	collect(tk, uk_hashpool_inflight(tk->pool) >= max);
	return 0;
}

static int entry(take *tk, int64_t store_id, uk_walk *w, const uk_walk_entry *e)
{
	if (e->type == UK_FT_DIR) {
		if (e->err)
			unreadable(tk, e->path, "store folder could not be listed", e->err);
		return 0;
	}
	if (e->type == UK_FT_FILE)
		return file(tk, store_id, w, e);
	char *esc = uk_out_escape(e->path);
	uk_warn("%s: %s in the store: not a file LoadState restores, not in the baseline",
	        esc ? esc : e->path, e->type == UK_FT_LINK ? "symbolic link or reparse point" :
	        "special file");
	free(esc);
	tk->t.links++;
	return 0;
}

static int walk_store(take *tk, const uk_store *s, int64_t store_id)
{
	uk_walk *w;
	uk_walk_entry e;
	char eb[256];
	uint64_t n = 0;
	int rc;

	rc = uk_walk_open(s->file_dir, 0, &w);
	if (rc) {
		uk_error("%s: cannot list the store: %s", s->file_dir,
		         uk_fs_strerror(rc, eb, sizeof(eb)));
		return -1;
	}
	while ((rc = uk_walk_next(w, &e)) > 0) {
		if (entry(tk, store_id, w, &e) != 0 || tk->failed)
			break;
		if ((++n & 255) == 0)
			uk_progress("baseline: %llu files, %s read", (unsigned long long)tk->t.files,
			            uk_out_bytes(tk->t.hashed_bytes, eb));
	}
	uk_walk_close(w);
	if (rc < 0) {
		uk_error("%s: walking the store: %s", s->file_dir,
		         uk_fs_strerror(-rc, eb, sizeof(eb)));
		return -1;
	}
	return rc == 0 && !tk->failed ? 0 : -1;
}

static void drain(take *tk)
{
	while (uk_hashpool_inflight(tk->pool) > 0)
		collect(tk, 1);
}

/* The stores' rows, all in one transaction; 0 or -1 (said why). */
static int record(take *tk, const uk_store *stores)
{
	sqlite3_stmt *del = NULL;
	int rc = -1;

	/* The whole baseline is one transaction: with SQLite's default 2 MiB
	 * page cache it spilled to the WAL as it went (4.4 k writes for 27 k
	 * rows, 1.5 x the final database); 16 MiB bounds memory all the same. */
	sqlite3_exec(tk->db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
	if (uk_db_exec(tk->db, "BEGIN IMMEDIATE") != SQLITE_OK)
		return -1;
	if (uk_db_prepare(tk->db, "DELETE FROM baseline WHERE store_id = ?", &del) != SQLITE_OK ||
	    uk_db_prepare(tk->db, "INSERT INTO baseline(store_id, rel, size, mtime, "
	                  "readonly, hash, machine, taken_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
	                  &tk->ins) != SQLITE_OK)
		goto out;
	for (size_t i = 0; i < tk->o->nstores; i++) {
		int64_t id = uk_db_store_id(tk->db, stores[i].path,
		                            uk_store_kind_name(stores[i].kind));
		if (id < 0)
			goto out;
		sqlite3_bind_int64(del, 1, id);
		if (sqlite3_step(del) != SQLITE_DONE) {
			uk_error("database: %s", sqlite3_errmsg(tk->db));
			goto out;
		}
		sqlite3_reset(del);
		if (walk_store(tk, &stores[i], id) != 0)
			goto out;
	}
	drain(tk);
	if (!tk->failed)
		rc = uk_db_exec(tk->db, "COMMIT") == SQLITE_OK ? 0 : -1;
out:
	drain(tk); /* after an error: the rows are dropped with the transaction */
	if (rc != 0)
		sqlite3_exec(tk->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(del);
	return rc;
}

static void print_text(const uk_verify_opts *o, const take *tk, const uk_store *stores,
                       const char *db_path, double seconds)
{
	const uk_vtotals *t = &tk->t;
	uint64_t bad = t->verdicts[UK_V_UNREADABLE];
	char b1[32], b2[32];

	printf("usmt-verify %s: baseline of %zu store%s (taken %s on %s)\n", UK_VERSION,
	       o->nstores, o->nstores == 1 ? "" : "s", tk->now, tk->host);
	for (size_t i = 0; i < o->nstores; i++) {
		char *esc = uk_out_escape(stores[i].path);
		printf("  store      %s (%s)\n", esc ? esc : stores[i].path,
		       uk_store_kind_name(stores[i].kind));
		free(esc);
	}
	printf("  files      %llu (%s), %llu copies (link count 1)\n",
	       (unsigned long long)t->files, uk_out_bytes(t->bytes, b1),
	       (unsigned long long)t->copies);
	printf("  unreadable %llu\n  read-only %llu, links in the store %llu (not recorded)\n",
	       (unsigned long long)bad, (unsigned long long)t->readonly,
	       (unsigned long long)t->links);
	printf("  read %s in %.1f s (each inode once); database %s\n",
	       uk_out_bytes(t->hashed_bytes, b2), seconds, db_path);
	if (!bad)
		printf("\nResult: ok -- baseline recorded: every later usmt-verify run compares "
		       "the store with it.\n");
	else
		printf("\nResult: RISK -- baseline recorded without %llu file%s that could not be "
		       "read (see the errors above).\n", (unsigned long long)bad,
		       bad == 1 ? "" : "s");
}

int uk_baseline_take(const uk_verify_opts *o)
{
	take tk = { .o = o };
	uk_store *stores = calloc(o->nstores, sizeof(*stores));
	char err[1024], *db_path = NULL;
	double t0 = uk_fs_monotonic(), seconds;
	const char *result;
	int rc = UK_EXIT_RUNTIME;

	if (!stores)
		goto out;
	if (uk_verify_open_stores(o, stores, 0) != 0) {
		rc = UK_EXIT_USAGE;
		goto out;
	}
	db_path = o->db_path ? strdup(o->db_path) : uk_db_default_path(stores[0].path);
	tk.pool = uk_hashpool_new(o->threads);
	if (!db_path || !tk.pool) {
		uk_error("out of memory");
		goto out;
	}
	uk_fs_hostname(tk.host, sizeof(tk.host));
	uk_db_now(tk.now);
	if ((rc = uk_db_open(db_path, 1, &tk.db, err, sizeof(err))) != SQLITE_OK) {
		rc = uk_db_open_failed(rc, err);
		goto out;
	}
	rc = UK_EXIT_RUNTIME;
	if (record(&tk, stores) != 0)
		goto out;
	uk_progress_done();
	seconds = uk_fs_monotonic() - t0;
	result = tk.t.verdicts[UK_V_UNREADABLE] ? "risk" : "ok";
	if (o->json)
		uk_verify_print_json(o, db_path, 0, &tk.t, seconds, result);
	else
		print_text(o, &tk, stores, db_path, seconds);
	rc = strcmp(result, "ok") == 0 ? UK_EXIT_OK : UK_EXIT_FINDINGS;
out:
	uk_progress_done();
	uk_hashpool_free(tk.pool);
	sqlite3_finalize(tk.ins);
	uk_db_close(tk.db);
	for (size_t i = 0; stores && i < o->nstores; i++)
		uk_store_free(&stores[i]);
	free(stores);
	free(tk.inos);
	free(tk.slots);
	free(db_path);
	return rc;
}
