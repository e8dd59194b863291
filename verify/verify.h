/* usmt-verify: options, the per-file record and the pieces of the run
 * (SPEC.md section 2). main.c fills uk_verify_opts; verify.c runs it. */
#ifndef UK_VERIFY_H
#define UK_VERIFY_H

#include <stdint.h>
#include <sqlite3.h>

#include "config.h"
#include "fs.h"
#include "hash.h"
#include "pattern.h"
#include "store.h"

typedef struct uk_verify_opts {
	char **stores;           /* STORE arguments */
	size_t nstores;
	uk_patternset *exclude;  /* --exclude, --exclude-from (never NULL) */
	uk_config *config;       /* --config, or NULL */
	const char *db_path;     /* --db, or NULL: beside the first store */
	uk_pathmap *map;         /* --root, --map (never NULL) */
	unsigned threads;        /* --threads, >= 1 */
	int hash_always;         /* --hash=always */
	int repair;              /* --repair */
	int json;                /* --json */
	int baseline;            /* --baseline: record the store, compare nothing */
	int rehash;              /* --rehash: linked files are read against the baseline */
	char *command_line;      /* recorded in verify_run */
} uk_verify_opts;

/* Exit code (exitcode.h). */
int uk_verify_run(const uk_verify_opts *o);
/* Opens every STORE argument (each a store, none twice); with `roots`, also
 * the local folder each drive maps to. 0, or -1 after saying why. */
int uk_verify_open_stores(const uk_verify_opts *o, uk_store *stores, int roots);

enum uk_verdict {
	UK_V_NONE = -1, /* links and other non-files: no verdict */
	UK_V_LINKED, UK_V_IDENTICAL, UK_V_MODIFIED, UK_V_MISSING, UK_V_UNREADABLE,
	UK_V_EXCLUDED,
	UK_V_CORRUPT, UK_V_CHANGED, UK_V_LOST, /* against the baseline (bcompare.c) */
	UK_V_COUNT
};
const char *uk_verdict_name(int v);

/* One store entry on its way to the database. */
typedef struct uk_vrec {
	int64_t store_id;
	char *rel, *win, *local;   /* local: the restored path checked */
	char *store_path;          /* the store entry */
	/* rel and store_path may live in the record's own block (new_rec()):
	 * then own_names is 0 and uk_vrec_free() does not free them. */
	int own_names;
	struct uk_vrec *spent_;    /* record.c's: written, to be freed */
	char *restored;            /* the restored path as found (case may differ) */
	int type;                  /* enum uk_ftype */
	int verdict;
	uk_stat st;                /* the store entry */
	int has_restored_id;
	uk_fileid restored_id;
	int restored_readonly;     /* -1: unknown */
	int hashed;
	uk_hash128 hash;           /* of the store entry */
	char *error;
	int repaired;
	const uk_hlrule *rule;
	int sole_copy;
	uk_hashjob job;
	struct {                   /* the entry's baseline row, when looked up */
		int have, has_mtime;
		uint64_t size;
		int64_t mtime;
		uk_hash128 hash;
		char taken_at[24];
	} base;
} uk_vrec;

void uk_vrec_free(uk_vrec *r);

/* Totals of one run. */
typedef struct uk_vtotals {
	uint64_t files, bytes, hashed_bytes;
	uint64_t verdicts[UK_V_COUNT];
	uint64_t sole_copy, readonly, repaired, links, copies;
	uint64_t baselines; /* stores compared with a baseline */
} uk_vtotals;

/* record.c: the database side of a run. */
typedef struct uk_vdb uk_vdb;
/* 0, or an exit code: UK_EXIT_USAGE when the file is not a usmtkit database. */
int uk_vdb_open(const char *path, uk_vdb **out);
int uk_vdb_begin_run(uk_vdb *d, const uk_verify_opts *o, const char *host);
int64_t uk_vdb_run_id(const uk_vdb *d);
/* The run's connection; after uk_vdb_finish() moved a new database into
 * place, one opened there (NULL once that failed: it said why). */
sqlite3 *uk_vdb_handle(uk_vdb *d);
/* 1 when this run made the database: no other run, no baseline in it. */
int uk_vdb_is_new(const uk_vdb *d);
int64_t uk_vdb_add_store(uk_vdb *d, const uk_store *s);
/* Rows are queued for the writer thread: an error shows in a later call or
 * in uk_vdb_finish(). uk_vdb_entry() takes r over (freed even on failure). */
int uk_vdb_dir(uk_vdb *d, int64_t store_id, const char *rel);
int uk_vdb_entry(uk_vdb *d, uk_vrec *r);
/* Waits for the queued rows and commits them, so another connection sees them. */
int uk_vdb_sync(uk_vdb *d);
/* Records the totals and commits; a database this run made is flushed to
 * the disk and moved under its name. Nothing is printed before it is 0. */
int uk_vdb_finish(uk_vdb *d, const uk_vtotals *t, double seconds, const char *result);
void uk_vdb_close(uk_vdb *d);

/* rdir.c: one restored folder, listed once, looked up by name. */
typedef struct uk_rdir uk_rdir;
typedef struct uk_ritem {
	const char *name;
	int type;
	int has_id;
	uk_fileid id; /* vol filled from the folder */
} uk_ritem;
uk_rdir *uk_rdir_new(void);
void uk_rdir_free(uk_rdir *r);
/* Lists `dir` unless it is the folder already loaded; 0 or an error code
 * (the folder missing gives a not-found code). A folder named with another
 * case on disk is found case-insensitively. */
int uk_rdir_load(uk_rdir *r, const char *dir);
/* The folder's path as found on disk. */
const char *uk_rdir_path(const uk_rdir *r);
/* The folder loaded, every link in it resolved (once a folder); NULL when
 * it cannot be resolved. */
const char *uk_rdir_real(uk_rdir *r);
/* Exact name first, then a case-insensitive match; NULL when absent. */
const uk_ritem *uk_rdir_find(const uk_rdir *r, const char *name);
/* lstat of item `it` of the loaded folder, whose full path is `path`: by
 * name in the folder kept open, no walk of the whole path. */
int uk_rdir_lstat(const uk_rdir *r, const uk_ritem *it, const char *path, uk_stat *st);

/* summary.c */
void uk_verify_print_json(const uk_verify_opts *o, const char *db_path, int64_t run_id,
                          const uk_vtotals *t, double seconds, const char *result);
void uk_verify_print_text(const uk_verify_opts *o, const uk_store *stores,
                          const char *db_path, uk_vdb *d, const uk_vtotals *t,
                          double seconds, const char *result);

#endif
