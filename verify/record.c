/* The database side of a verify run: prepared statements, rows streamed in
 * large transactions so memory stays flat however many files the store has.
 *
 * Rows are written by a thread of their own, fed through a short bounded
 * queue: on a linked store the walk is system calls and the rows are SQLite,
 * about half each, and on two cores they overlap (docs/BENCHMARKS.md). The
 * queue holds at most UK_VDB_QUEUE records, so memory stays flat. Everything
 * else (starting, adding a store, finishing) runs on the caller's thread
 * once the queue is empty and the writer idle. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exitcode.h"
#include "fs.h"
#include "out.h"
#include "verify.h"

/* Rows per transaction: large enough that commits cost little, small enough
 * that the checkpointer copies one back while the next is written (20,000:
 * the last one was copied at the end, alone; 4,000: realistic store 93 -> 84
 * ms, 100 k linked 269 -> 251 ms). */
#define UK_VDB_BATCH 4000
/* Records waiting for the writer: enough to ride out a commit. */
#define UK_VDB_QUEUE 1024
/* The writer wakes for this many rows (or a flush). */
#define UK_VDB_WAKE 256
/* Rows the walking thread gathers before it takes the queue's lock once
 * for all of them: a lock a row was contended by the writer. */
#define UK_VDB_STAGE 32
/* WAL pages (4 MiB of 16 KiB pages) that make the checkpointer copy them back,
 * on its own thread: about one transaction. */
#define UK_VDB_CKPT_PAGES 256
/* WAL pages past which a commit waits for a checkpoint to end (64 MiB of
 * 16 KiB pages): PASSIVE checkpoints alone never catch up with a writer
 * that commits again before they end, so SQLite never rewound the log and
 * it grew as large as the database (394 MB beside 367 MB at 1 M files,
 * bench/before-after.md). Waiting once the log is this long lets the next
 * transaction start it over. */
#define UK_VDB_CKPT_WAIT_PAGES 4096
/* Rows per multi-row INSERT: one statement run, one B-tree seek from the
 * root, for this many rows (docs/BENCHMARKS.md). */
#define UK_VDB_ROWS 32
/* Columns of entry bound per row, run_id first. */
#define UK_VDB_COLS 19
#define UK_VDB_PARAMS (UK_VDB_COLS * UK_VDB_ROWS)

/* A queued row: a file record (owned) or a folder's rel (owned). */
struct qrow {
	uk_vrec *rec;
	char *dir_rel;
	int64_t store_id;
};

/* What a parameter of an INSERT holds, so a value it already holds (NULL,
 * the same number, the same string constant) is not bound again: bindings
 * outlive sqlite3_reset(). */
enum { SLOT_UNSET, SLOT_NULL, SLOT_INT, SLOT_CONST, SLOT_TEXT };
struct slot {
	int kind;
	int64_t i;
	const char *p;
};

/* An INSERT of `rows` entry rows. */
struct ins {
	sqlite3_stmt *st;
	int rows;
	struct slot slot[UK_VDB_PARAMS + 1];
};

/* The text a row's parameters point to (SQLITE_STATIC) until it is stepped. */
struct rowbuf {
	char fid[UK_FID_STRLEN], rfid[UK_FID_STRLEN], hex[UK_HASH_STRLEN], rule[1024];
};

struct uk_vdb {
	sqlite3 *db;
	char *path;      /* the database */
	char *lock_path; /* usmt-purge's lock beside the database */
	/* A database that was not there is built at "<path>-new" while this
	 * process holds the lock, and moved to path once the run is complete
	 * (uk_db_create_private): NULL for one that was there. */
	char *new_path;
	uk_lock *new_lock;
	uk_file *new_wb; /* new_path, read-only: its writeback starts at each commit */
	int published; /* new_path is at path now; db reopened there on demand */
	int64_t run_id;
	struct ins one, many; /* one row; UK_VDB_ROWS rows */
	struct ins dir;       /* entry_dir: ?1 run_id, ?2 store_id, ?3 rel */
	struct rowbuf rb[UK_VDB_ROWS];
	uk_vrec *held[UK_VDB_ROWS]; /* the writer's rows waiting for a full INSERT */
	size_t nheld;               /* the writer's own */
	unsigned pending;
	int in_tx;

	pthread_mutex_t mu;
	pthread_cond_t more, room; /* rows to write; room in the queue or writer idle */
	pthread_t writer;
	int started, quit, flushing, busy;
	int holding; /* the writer holds rows back (nheld > 0), as flush sees it */
	/* Written records go back to the walking thread, which allocated them,
	 * to be freed there: freed by the writer they made both threads fight
	 * over malloc's arena lock (futex waits, docs/BENCHMARKS.md). */
	uk_vrec *wspent; /* the writer's, not yet handed back */
	uk_vrec *spent;  /* handed back (under mu) */
	int failed; /* the writer hit an error: it said why; later rows are dropped */
	struct qrow *fill, *work; /* the queue, and the batch being written */
	size_t count;             /* rows in fill */
	struct qrow bufs[2][UK_VDB_QUEUE];
	struct qrow stage[UK_VDB_STAGE]; /* the walking thread's, not yet queued */
	size_t nstage;

	sqlite3 *ckdb;       /* the checkpointer's own connection, or NULL */
	pthread_t ckthread;
	pthread_cond_t ck;   /* a checkpoint is wanted, or quit */
	pthread_cond_t ck_end; /* a checkpoint ended, or the checkpointer did */
	int ck_want;
	int sync_init; /* the mutex and conditions exist */
	int ck_alive;          /* the checkpointer thread runs */
	uint64_t ck_started, ck_done; /* checkpoints begun, and the last one ended */
};

static int flush(uk_vdb *d);

static int fail(uk_vdb *d, const char *what)
{
	uk_error("database: %s: %s", what, sqlite3_errmsg(d->db));
	return -1;
}

/* Checkpoints (copying the WAL back into the database, an fsync on each
 * side) run on a thread of their own with their own connection: in the
 * writer they were a third of a linked run's time, spent waiting on the
 * disk while the walk waited for room in the queue (docs/BENCHMARKS.md). */
static void *checkpointer(void *arg)
{
	uk_vdb *d = arg;

	uk_fs_thread_helper(); /* the walking thread feeds the run */
	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (!d->ck_want && !d->quit)
			pthread_cond_wait(&d->ck, &d->mu);
		if (!d->ck_want)
			break;
		d->ck_want = 0;
		uint64_t gen = ++d->ck_started;
		pthread_mutex_unlock(&d->mu);
		/* PASSIVE: never waits for, nor blocks, the writer. */
		sqlite3_wal_checkpoint_v2(d->ckdb, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&d->mu);
		d->ck_done = gen;
		pthread_cond_broadcast(&d->ck_end);
	}
	d->ck_alive = 0;
	pthread_cond_broadcast(&d->ck_end);
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	uk_vdb *d = arg;

	(void)db;
	(void)name;
	if (pages >= UK_VDB_CKPT_PAGES) {
		pthread_mutex_lock(&d->mu);
		d->ck_want = 1;
		pthread_cond_signal(&d->ck);
		/* Called after the commit, its write lock released: the checkpoint
		 * that starts after it can copy the whole log back. */
		if (pages >= UK_VDB_CKPT_WAIT_PAGES) {
			uint64_t want = d->ck_started + 1;
			while (d->ck_alive && d->ck_done < want)
				pthread_cond_wait(&d->ck_end, &d->mu);
		}
		pthread_mutex_unlock(&d->mu);
	}
	return SQLITE_OK;
}

/* Without it (no second connection, no thread) SQLite checkpoints in the
 * writer as usual. */
static void start_checkpointer(uk_vdb *d, const char *path)
{
	d->ck_alive = 1;
	if (sqlite3_open_v2(path, &d->ckdb, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(d->ckdb, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK ||
	    pthread_create(&d->ckthread, NULL, checkpointer, d) != 0) {
		d->ck_alive = 0;
		sqlite3_close(d->ckdb);
		d->ckdb = NULL;
		return;
	}
	sqlite3_wal_hook(d->db, wal_hook, d); /* replaces the automatic checkpoint */
}

static char *suffixed(const char *path, const char *suffix)
{
	char *p = malloc(strlen(path) + strlen(suffix) + 1);

	if (p) {
		strcpy(p, path);
		strcat(p, suffix);
	}
	return p;
}

/* Removes what a run killed while it built new_path left; 0 when gone. */
static int drop_new(const char *new_path)
{
	static const char *const side[] = { "", "-journal", "-wal", "-shm" };
	int failed = 0;

	for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		char *p = suffixed(new_path, side[i]);
		int err = p ? uk_fs_unlink(p) : -1;

		failed |= !p || (err != 0 && !uk_fs_err_notfound(err));
		free(p);
	}
	return failed ? -1 : 0;
}

/* A database that is not there yet is built where no other process looks
 * (no journal, no WAL, no fsync until it is complete: the WAL made every
 * row be written twice and its file be freed at the end, 15 % of a
 * realistic 20,000-file run, bench/before-after.md). 1: build it the
 * shared way instead (it is there, or another process holds the lock),
 * 0: d->db is open on new_path, -1: failed (said why). */
static int open_new(uk_vdb *d, int *rc)
{
	char err[1024];
	uk_stat st;

	if (!uk_fs_err_notfound(uk_fs_lstat(d->path, &st)) ||
	    uk_fs_lock(d->lock_path, &d->new_lock) != 0)
		return 1;
	/* Under the lock only this process writes new_path, so anything there
	 * is a killed run's; and the database may have been made meanwhile. */
	if (!(d->new_path = suffixed(d->path, "-new")) || drop_new(d->new_path) != 0 ||
	    !uk_fs_err_notfound(uk_fs_lstat(d->path, &st))) {
		free(d->new_path);
		d->new_path = NULL;
		uk_fs_unlock(d->new_lock);
		d->new_lock = NULL;
		return 1;
	}
	if ((*rc = uk_db_create_private(d->new_path, &d->db, err, sizeof(err))) != SQLITE_OK) {
		*rc = uk_db_open_failed(*rc, err);
		return -1;
	}
	/* Without it the flush before the move waited for the whole file. */
	if (uk_fs_open_read(d->new_path, &d->new_wb, NULL) != 0)
		d->new_wb = NULL;
	return 0;
}

int uk_vdb_open(const char *path, uk_vdb **out)
{
	char err[1024];
	uk_vdb *d = calloc(1, sizeof(*d));
	int rc = 0, how;

	*out = NULL;
	if (d) {
		d->path = strdup(path);
		d->lock_path = suffixed(path, ".lock");
	}
	if (!d || !d->path || !d->lock_path) {
		uk_error("out of memory");
		if (d)
			free(d->path), free(d->lock_path);
		free(d);
		return UK_EXIT_RUNTIME;
	}
	/* Before SQLite starts (refused, harmlessly, once it has): no connection
	 * of a verify run is used by two threads at once, so no connection mutex
	 * (taken by every bind and step), and no malloc statistics (a global
	 * mutex a malloc): 9 % of a linked run's instructions (docs/BENCHMARKS.md). */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	how = open_new(d, &rc);
	if (how == 1 && (rc = uk_db_open(path, 1, &d->db, err, sizeof(err))) != SQLITE_OK)
		rc = uk_db_open_failed(rc, err);
	if (rc != 0) {
		uk_vdb_close(d);
		return rc;
	}
	/* A verify run is repeatable: losing the last commits to a power cut
	 * only leaves the run unfinished (never trusted), so skip the fsyncs. */
	if (how == 1)
		sqlite3_exec(d->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	/* Every row this connection writes names the run and store rows it has
	 * just inserted itself; checking that per file (two lookups a row) was
	 * 6 % of verify's instructions on a linked store (docs/BENCHMARKS.md). */
	sqlite3_exec(d->db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	/* 1 MiB of page cache, half SQLite's default: with 16 KiB pages the
	 * default made peak RSS grow with the store (9.3 -> 15.5 MiB at 100 k
	 * linked files); rows are appended, so a small cache costs 11 % more WAL
	 * writes, still half those of 4 KiB pages (docs/BENCHMARKS.md). */
	sqlite3_exec(d->db, "PRAGMA cache_size=-1000", NULL, NULL, NULL);
	d->fill = d->bufs[0];
	d->work = d->bufs[1];
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->more, NULL);
	pthread_cond_init(&d->room, NULL);
	pthread_cond_init(&d->ck, NULL);
	pthread_cond_init(&d->ck_end, NULL);
	d->sync_init = 1;
	if (how == 1) /* a private database has no WAL */
		start_checkpointer(d, path);
	*out = d;
	return 0;
}

sqlite3 *uk_vdb_handle(uk_vdb *d)
{
	char err[1024];

	if (!d->db && d->published && uk_db_open(d->path, 0, &d->db, err, sizeof(err)) != SQLITE_OK)
		uk_error("%s", err);
	return d->db;
}

int uk_vdb_is_new(const uk_vdb *d)
{
	return d->new_path != NULL || d->published;
}

int64_t uk_vdb_run_id(const uk_vdb *d)
{
	return d->run_id;
}

static int tx(uk_vdb *d, const char *sql)
{
	if (sqlite3_exec(d->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, sql);
	d->in_tx = sql[0] == 'B';
	d->pending = 0;
	if (!d->in_tx && d->new_wb)
		uk_fs_writeback(d->new_wb);
	return 0;
}

/* INSERT INTO entry ... VALUES(?, ?, ...), (?, ?, ...), ...: plain `?`, run_id
 * bound once a row, for good (numbered ?NNN, a ?1 shared by every row, made
 * SQLite scan its list of numbers for each: a third of the time to prepare
 * it, 0.5 ms of every run). OR FAIL: a statement of many rows that may abort
 * halfway (ABORT, the default) makes SQLite copy every page it touches
 * into a statement journal first, a temporary file: 17,174 page writes of
 * 16 KiB for 100 k linked files, seven times the database's own writes
 * (strace, bench/before-after.md). A failure here ends the run unfinished,
 * which nothing trusts, so the rows a failed statement leaves do no harm. */
static int prepare_entry(uk_vdb *d, struct ins *s, int rows)
{
	static const char head[] = "INSERT OR FAIL INTO entry(run_id, store_id, rel, win_path, "
		"local_path, type, verdict, size, nlink, readonly, sole_copy, fid, "
		"restored_fid, restored_readonly, hash, mtime, error, repaired, rule) VALUES";
	size_t cap = sizeof(head) + (size_t)rows * (4 + UK_VDB_COLS * 2);
	char *sql = malloc(cap), *p;
	int rc;

	if (!sql) {
		uk_error("out of memory");
		return -1;
	}
	p = sql + sprintf(sql, "%s", head);
	for (int r = 0; r < rows; r++) {
		p += sprintf(p, "%s(?", r ? "," : "");
		for (int c = 1; c < UK_VDB_COLS; c++)
			p += sprintf(p, ",?");
		*p++ = ')';
	}
	*p = '\0';
	rc = uk_db_prepare(d->db, sql, &s->st);
	free(sql);
	if (rc != SQLITE_OK)
		return -1;
	s->rows = rows;
	for (int r = 0; r < rows; r++)
		sqlite3_bind_int64(s->st, 1 + r * UK_VDB_COLS, d->run_id);
	return 0;
}

int uk_vdb_begin_run(uk_vdb *d, const uk_verify_opts *o, const char *host)
{
	sqlite3_stmt *st = NULL;
	char now[24];
	int rc = -1;

	if (tx(d, "BEGIN IMMEDIATE"))
		return -1;
	rc = -2; /* uk_db_prepare() says why it failed */
	if (uk_db_prepare(d->db, "INSERT INTO verify_run(started, version, host, "
	                  "command_line) VALUES(?, ?, ?, ?)", &st) != SQLITE_OK)
		goto out;
	rc = -1;
	sqlite3_bind_text(st, 1, uk_db_now(now), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, UK_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, o->command_line, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	d->run_id = sqlite3_last_insert_rowid(d->db);
	sqlite3_finalize(st);
	st = NULL;
	rc = -2;
	if (uk_db_prepare(d->db, "INSERT INTO verify_map(run_id, seq, from_prefix, "
	                  "to_prefix) VALUES(?, ?, ?, ?)", &st) != SQLITE_OK)
		goto out;
	rc = -1;
	for (size_t i = 0; i < uk_pathmap_map_count(o->map); i++) {
		const char *from, *to;
		uk_pathmap_map_get(o->map, i, &from, &to);
		sqlite3_bind_int64(st, 1, d->run_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, to, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
		sqlite3_reset(st);
	}
	rc = -2;
	if (prepare_entry(d, &d->one, 1) != 0 || prepare_entry(d, &d->many, UK_VDB_ROWS) != 0 ||
	    uk_db_prepare(d->db, "INSERT INTO entry_dir(run_id, store_id, rel) "
	                  "VALUES(?1, ?2, ?3)", &d->dir.st) != SQLITE_OK)
		goto out;
	d->dir.rows = 1;
	sqlite3_bind_int64(d->dir.st, 1, d->run_id);
	/* Commit the run row at once: an interrupted run stays visible as unfinished. */
	rc = tx(d, "COMMIT") || tx(d, "BEGIN") ? -2 : 0; /* tx() said why */
out:
	if (rc == -1)
		fail(d, "starting the run");
	sqlite3_finalize(st);
	return rc;
}

int64_t uk_vdb_add_store(uk_vdb *d, const uk_store *s)
{
	int64_t id;
	char sql[128];

	if (flush(d) != 0)
		return -1;
	id = uk_db_store_id(d->db, s->path, uk_store_kind_name(s->kind));
	if (id < 0)
		return -1;
	snprintf(sql, sizeof(sql), "INSERT OR IGNORE INTO verify_run_store(run_id, store_id) "
	         "VALUES(%lld, %lld)", (long long)d->run_id, (long long)id);
	if (sqlite3_exec(d->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, "recording the store");
	return id;
}

static void b_null(struct ins *s, int col)
{
	if (s->slot[col].kind != SLOT_NULL) {
		sqlite3_bind_null(s->st, col);
		s->slot[col].kind = SLOT_NULL;
	}
}

static void b_int(struct ins *s, int col, int64_t v)
{
	if (s->slot[col].kind != SLOT_INT || s->slot[col].i != v) {
		sqlite3_bind_int64(s->st, col, v);
		s->slot[col].kind = SLOT_INT;
		s->slot[col].i = v;
	}
}

/* A string constant (a verdict or type name): never moves, never changes. */
static void b_const(struct ins *s, int col, const char *lit)
{
	if (s->slot[col].kind != SLOT_CONST || s->slot[col].p != lit) {
		sqlite3_bind_text(s->st, col, lit, -1, SQLITE_STATIC);
		s->slot[col].kind = SLOT_CONST;
		s->slot[col].p = lit;
	}
}

/* Text that lives until the statement is stepped: bound every time. */
static void b_text(struct ins *s, int col, const char *txt)
{
	sqlite3_bind_text(s->st, col, txt, -1, SQLITE_STATIC);
	s->slot[col].kind = SLOT_TEXT;
}

static int step(uk_vdb *d, struct ins *s, const char *what)
{
	int rc = sqlite3_step(s->st);

	sqlite3_reset(s->st);
	if (rc != SQLITE_DONE)
		return fail(d, what);
	d->pending += (unsigned)s->rows;
	if (d->pending >= UK_VDB_BATCH)
		return tx(d, "COMMIT") || tx(d, "BEGIN") ? -1 : 0;
	return 0;
}

static int write_dir(uk_vdb *d, int64_t store_id, const char *rel)
{
	b_int(&d->dir, 2, store_id);
	b_text(&d->dir, 3, rel);
	return step(d, &d->dir, "recording a folder");
}

/* Binds r as row `row` of s; its text lives in b until s is stepped. */
static void bind_entry(struct ins *s, int row, const uk_vrec *r, struct rowbuf *b)
{
	int c = 2 + row * UK_VDB_COLS; /* ?c is store_id (after run_id), then the columns */
	int have_st = r->st.type != UK_FT_UNKNOWN;

	b_int(s, c, r->store_id);
	b_text(s, c + 1, r->rel);
	b_text(s, c + 2, r->win);
	/* The restored path as found on disk (its case may differ from the
	 * store's): purge re-checks exactly that path. */
	if (r->restored || r->local)
		b_text(s, c + 3, r->restored ? r->restored : r->local);
	else
		b_const(s, c + 3, "");
	b_const(s, c + 4, r->type == UK_FT_FILE ? "file" : r->type == UK_FT_LINK ? "link" : "other");
	if (r->verdict != UK_V_NONE)
		b_const(s, c + 5, uk_verdict_name(r->verdict));
	else
		b_null(s, c + 5);
	if (have_st) {
		b_int(s, c + 6, (int64_t)r->st.size);
		b_int(s, c + 7, r->st.nlink);
		uk_fid_str(&r->st.id, b->fid);
		b_text(s, c + 10, b->fid);
		b_int(s, c + 14, r->st.mtime);
	} else if (r->verdict == UK_V_LOST) { /* gone: what the baseline knew, no identity */
		b_int(s, c + 6, (int64_t)r->base.size);
		b_int(s, c + 7, 0);
		b_null(s, c + 10);
		if (r->base.has_mtime)
			b_int(s, c + 14, r->base.mtime);
		else
			b_null(s, c + 14);
	} else {
		b_null(s, c + 6);
		b_null(s, c + 7);
		b_null(s, c + 10);
		b_null(s, c + 14);
	}
	b_int(s, c + 8, have_st && r->st.readonly);
	b_int(s, c + 9, r->sole_copy);
	if (!r->has_restored_id) {
		b_null(s, c + 11);
	} else if (have_st && memcmp(&r->restored_id, &r->st.id, sizeof(uk_fileid)) == 0) {
		b_text(s, c + 11, b->fid); /* linked: one identity, formatted once */
	} else {
		uk_fid_str(&r->restored_id, b->rfid);
		b_text(s, c + 11, b->rfid);
	}
	if (r->restored_readonly >= 0)
		b_int(s, c + 12, r->restored_readonly);
	else
		b_null(s, c + 12);
	if (r->hashed) {
		uk_hash_str(&r->hash, b->hex);
		b_text(s, c + 13, b->hex);
	} else {
		b_null(s, c + 13);
	}
	if (r->error)
		b_text(s, c + 15, r->error);
	else
		b_null(s, c + 15);
	b_int(s, c + 16, r->repaired);
	if (r->rule) {
		snprintf(b->rule, sizeof(b->rule), "%s %s", uk_hl_action_name(r->rule->action),
		         uk_pattern_text(r->rule->pattern));
		b_text(s, c + 17, b->rule);
	} else {
		b_null(s, c + 17);
	}
}

/* On the writer: a record done with, for the walking thread to free. */
static void spend(uk_vdb *d, uk_vrec *r)
{
	r->spent_ = d->wspent;
	d->wspent = r;
}

static void free_spent(uk_vrec *r)
{
	while (r) {
		uk_vrec *next = r->spent_;
		uk_vrec_free(r);
		r = next;
	}
}

/* Writes the held rows: UK_VDB_ROWS at once, or (to flush) one by one. */
static int write_held(uk_vdb *d)
{
	int rc = 0;

	if (d->nheld == UK_VDB_ROWS) {
		for (int i = 0; i < UK_VDB_ROWS; i++)
			bind_entry(&d->many, i, d->held[i], &d->rb[i]);
		rc = step(d, &d->many, "recording a file");
	} else {
		for (size_t i = 0; i < d->nheld && rc == 0; i++) {
			bind_entry(&d->one, 0, d->held[i], &d->rb[0]);
			rc = step(d, &d->one, "recording a file");
		}
	}
	for (size_t i = 0; i < d->nheld; i++)
		spend(d, d->held[i]);
	d->nheld = 0;
	return rc;
}

/* Writes a batch taken from the queue; file rows are held until
 * UK_VDB_ROWS of them are there, or `all` (a flush) is asked. */
static int write_rows(uk_vdb *d, struct qrow *rows, size_t n, int all, int failed)
{
	for (size_t i = 0; i < n; i++) {
		if (rows[i].rec && failed) {
			spend(d, rows[i].rec);
		} else if (rows[i].rec) {
			d->held[d->nheld++] = rows[i].rec;
			if (d->nheld == UK_VDB_ROWS)
				failed = write_held(d);
		} else if (!failed) {
			failed = write_dir(d, rows[i].store_id, rows[i].dir_rel);
		}
		free(rows[i].dir_rel);
	}
	if (failed) {
		for (size_t i = 0; i < d->nheld; i++)
			spend(d, d->held[i]);
		d->nheld = 0;
	} else if (all && d->nheld > 0) {
		failed = write_held(d);
	}
	return failed;
}

/* Takes the whole queue at once, so the two threads meet once per batch of
 * rows, not once per row (a wake-up per row was 130 k futex calls a run). */
static void *writer(void *arg)
{
	uk_vdb *d = arg;

	uk_fs_thread_helper(); /* the walking thread feeds the run */
	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (d->count < UK_VDB_WAKE && !d->quit &&
		       !(d->flushing && (d->count > 0 || d->nheld > 0)))
			pthread_cond_wait(&d->more, &d->mu);
		if (d->count == 0 && d->nheld == 0)
			break; /* quit, and nothing left */
		struct qrow *rows = d->fill;
		size_t n = d->count;
		d->fill = d->work;
		d->work = rows;
		d->count = 0;
		d->busy = 1;
		int failed = d->failed, all = d->flushing || d->quit;
		pthread_cond_broadcast(&d->room);
		pthread_mutex_unlock(&d->mu);
		failed = write_rows(d, rows, n, all, failed);
		pthread_mutex_lock(&d->mu);
		d->busy = 0;
		d->holding = d->nheld > 0;
		if (d->wspent) { /* prepended whole: the order of freeing does not matter */
			uk_vrec *last = d->wspent;
			while (last->spent_)
				last = last->spent_;
			last->spent_ = d->spent;
			d->spent = d->wspent;
			d->wspent = NULL;
		}
		if (failed)
			d->failed = 1;
		pthread_cond_broadcast(&d->room);
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

/* Moves the staged rows into the queue; -1 (and they are freed) once the
 * writer failed. */
static int queue_staged(uk_vdb *d)
{
	uk_vrec *spent;
	size_t n = d->nstage;
	int failed;

	pthread_mutex_lock(&d->mu);
	if (!d->started && !d->failed) {
		if (pthread_create(&d->writer, NULL, writer, d) == 0)
			d->started = 1;
		else
			d->failed = 1, uk_error("database: cannot start the writer thread");
	}
	while (d->count + n > UK_VDB_QUEUE && !d->failed)
		pthread_cond_wait(&d->room, &d->mu);
	failed = d->failed;
	if (!failed) {
		memcpy(d->fill + d->count, d->stage, n * sizeof(*d->stage));
		if (d->count < UK_VDB_WAKE && d->count + n >= UK_VDB_WAKE)
			pthread_cond_signal(&d->more);
		d->count += n;
	}
	spent = d->spent;
	d->spent = NULL;
	pthread_mutex_unlock(&d->mu);
	free_spent(spent);
	d->nstage = 0;
	if (failed) {
		for (size_t i = 0; i < n; i++) {
			uk_vrec_free(d->stage[i].rec);
			free(d->stage[i].dir_rel);
		}
		return -1;
	}
	return 0;
}

/* Queues a row (taking ownership of rec or dir_rel); -1 once the writer failed. */
static int push(uk_vdb *d, struct qrow row)
{
	d->stage[d->nstage++] = row;
	return d->nstage == UK_VDB_STAGE ? queue_staged(d) : 0;
}

/* Waits until every queued row is written; -1 when one failed. */
static int flush(uk_vdb *d)
{
	uk_vrec *spent;
	int failed;

	if (d->nstage > 0 && queue_staged(d) != 0)
		return -1;
	pthread_mutex_lock(&d->mu);
	d->flushing = 1;
	pthread_cond_signal(&d->more);
	while (d->count > 0 || d->busy || d->holding) /* queued only once the writer runs */
		pthread_cond_wait(&d->room, &d->mu);
	d->flushing = 0;
	failed = d->failed;
	spent = d->spent;
	d->spent = NULL;
	pthread_mutex_unlock(&d->mu);
	free_spent(spent);
	return failed ? -1 : 0;
}

int uk_vdb_sync(uk_vdb *d)
{
	return flush(d) != 0 || tx(d, "COMMIT") || tx(d, "BEGIN") ? -1 : 0;
}

int uk_vdb_dir(uk_vdb *d, int64_t store_id, const char *rel)
{
	char *copy = strdup(rel);

	if (!copy) {
		uk_error("out of memory");
		return -1;
	}
	return push(d, (struct qrow){ .dir_rel = copy, .store_id = store_id });
}

int uk_vdb_entry(uk_vdb *d, uk_vrec *r)
{
	return push(d, (struct qrow){ .rec = r });
}

/* Older runs nothing needs any more, in the transaction that finishes this
 * one: kept are the latest finished run of each store set (the one purge
 * and report take for any set of stores: a later run of the same set covers
 * every store the earlier one did), every run a purge journal names, and
 * every unfinished run (killed, or still running in another process). */
static const char prune_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS uk_prune(id INTEGER PRIMARY KEY);"
	"DELETE FROM temp.uk_prune;"
	"WITH sets(id, k) AS (SELECT r.id, (SELECT group_concat(store_id, ',') FROM"
	"   (SELECT store_id FROM verify_run_store WHERE run_id = r.id ORDER BY store_id))"
	"  FROM verify_run r WHERE r.finished IS NOT NULL)"
	" INSERT INTO temp.uk_prune SELECT id FROM sets"
	"  WHERE id NOT IN (SELECT max(id) FROM sets GROUP BY k)"
	"  AND id NOT IN (SELECT verify_run_id FROM purge_run WHERE verify_run_id IS NOT NULL);"
	"DELETE FROM entry WHERE run_id IN temp.uk_prune;"
	"DELETE FROM entry_dir WHERE run_id IN temp.uk_prune;"
	"DELETE FROM verify_map WHERE run_id IN temp.uk_prune;"
	"DELETE FROM verify_run_store WHERE run_id IN temp.uk_prune;"
	"DELETE FROM verify_run WHERE id IN temp.uk_prune;"
	"DELETE FROM temp.uk_prune;";

/* Prunes and commits. A purge holds its lock from its gate to its end: the
 * run it took must stay, so while one runs nothing is pruned (the next
 * finished run does it); holding the lock here keeps one from starting. */
static int prune_commit(uk_vdb *d)
{
	uk_lock *l = NULL;
	sqlite3_stmt *st;
	int rc = 0, older;

	/* No other finished run (a new database): nothing to prune, and not
	 * a dozen statements and a temporary table to find that out (1.5 ms
	 * of a 20,000-file run). */
	if (uk_db_prepare(d->db, "SELECT EXISTS (SELECT 1 FROM verify_run WHERE "
	                  "finished IS NOT NULL AND id <> ?)", &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, d->run_id);
	rc = sqlite3_step(st);
	older = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fail(d, "finishing the run");
	rc = 0;
	if (older && uk_fs_lock(d->lock_path, &l) == 0)
		rc = uk_db_exec(d->db, prune_sql) == SQLITE_OK ? 0 : -1;
	if (rc == 0)
		rc = tx(d, "COMMIT");
	uk_fs_unlock(l);
	return rc;
}

/* Ends the writer and the checkpointer, once each has written what it
 * has, and finalizes the statements: after it, d->db is this thread's. */
static void stop_threads(uk_vdb *d)
{
	if (!d->sync_init)
		return;
	if (d->nstage > 0)
		queue_staged(d); /* written like every row queued before */
	pthread_mutex_lock(&d->mu);
	d->quit = 1; /* both threads finish what they have, then end */
	pthread_cond_signal(&d->more);
	pthread_mutex_unlock(&d->mu);
	if (d->started)
		pthread_join(d->writer, NULL);
	d->started = 0;
	pthread_mutex_lock(&d->mu);
	pthread_cond_signal(&d->ck);
	pthread_mutex_unlock(&d->mu);
	if (d->ckdb) {
		pthread_join(d->ckthread, NULL);
		sqlite3_close(d->ckdb);
		d->ckdb = NULL;
	}
	free_spent(d->spent); /* both threads have ended */
	free_spent(d->wspent);
	d->spent = d->wspent = NULL;
	sqlite3_finalize(d->one.st);
	sqlite3_finalize(d->many.st);
	sqlite3_finalize(d->dir.st);
	d->one.st = d->many.st = d->dir.st = NULL;
}

/* The run is complete and committed: its database goes where it belongs. */
static int publish(uk_vdb *d)
{
	char err[2048];
	int fs_err, rc;

	stop_threads(d);
	uk_fs_close(d->new_wb);
	d->new_wb = NULL;
	rc = uk_db_publish(d->db, d->new_path, d->path, &fs_err, err, sizeof(err));
	d->db = NULL;
	if (rc != SQLITE_OK) {
		uk_error("%s", err);
		return -1;
	}
	d->published = 1;
	free(d->new_path);
	d->new_path = NULL;
	uk_fs_unlock(d->new_lock);
	d->new_lock = NULL;
	return 0;
}

int uk_vdb_finish(uk_vdb *d, const uk_vtotals *t, double seconds, const char *result)
{
	sqlite3_stmt *st;
	char now[24];
	int rc;

	if (flush(d) != 0)
		return -1;
	if (uk_db_prepare(d->db, "UPDATE verify_run SET finished = ?, files = ?, "
	                  "bytes = ?, hashed_bytes = ?, sole_copy = ?, readonly = ?, "
	                  "repaired = ?, seconds = ?, result = ? WHERE id = ?",
	                  &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, uk_db_now(now), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)t->files);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)t->bytes);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)t->hashed_bytes);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)t->sole_copy);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)t->readonly);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)t->repaired);
	sqlite3_bind_double(st, 8, seconds);
	sqlite3_bind_text(st, 9, result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, d->run_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(d, "finishing the run");
	if (prune_commit(d) != 0)
		return -1;
	return d->new_path ? publish(d) : 0;
}

void uk_vdb_close(uk_vdb *d)
{
	if (!d)
		return;
	stop_threads(d);
	if (d->sync_init) {
		pthread_cond_destroy(&d->ck);
		pthread_cond_destroy(&d->ck_end);
		pthread_cond_destroy(&d->more);
		pthread_cond_destroy(&d->room);
		pthread_mutex_destroy(&d->mu);
	}
	/* An unfinished run's rows are kept: the run row says it never finished.
	 * One in a database of its own that never got published is nothing
	 * any other run could use. */
	if (d->in_tx && !d->new_path)
		sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL);
	uk_db_close(d->db);
	uk_fs_close(d->new_wb);
	if (d->new_path)
		drop_new(d->new_path);
	uk_fs_unlock(d->new_lock);
	free(d->new_path);
	free(d->lock_path);
	free(d->path);
	free(d);
}
