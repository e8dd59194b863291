/* usmt-purge internals (SPEC.md section 4). main.c fills uk_purge_opts;
 * run.c drives the concerns below, each in its own file:
 *   safepath.c  which paths purge may ever touch (pure checks)
 *   gate.c      store acceptance, the database, the verify run, the gate
 *   journal.c   purge runs and their steps in the database
 *   plan.c      the journal's plan: entries, folders, control files, unknowns
 *   delete.c    carrying out the plan, each entry re-checked first
 *   pending.c   locked leftovers: scheduling and --run-pending
 *   readonly.c  re-applying recorded read-only attributes
 *   side.c      a count on a second connection, beside the main thread
 *   summary.c   the text and JSON results */
#ifndef UK_PURGE_H
#define UK_PURGE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "fs.h"

typedef struct uk_purge_opts {
	char **stores;          /* STORE arguments as given */
	size_t nstores;
	const char *db;         /* --db, NULL: first store + ".usmtkit.db" */
	const char *log;        /* --log */
	int dry_run, force, force_data_loss, no_schedule, readonly_only, run_pending;
	int all_volumes;
	int json, quiet;
	int progress;           /* -1 auto, 0 off, 1 on */
	char *command_line;     /* recorded in purge_run */
} uk_purge_opts;

#define UK_PURGE_LIST 20 /* paths listed in the text summary; all go to --log */

/* The phases of a purge run, carried out in this order (purge_step.phase,
 * docs/DATABASE.md): rels of the first two are below USMT/File, the others
 * below the store root. SQL statements spell them as these numbers. */
enum uk_purge_phase {
	UK_PHASE_ENTRY = 1,     /* a store entry (file, link, other) */
	UK_PHASE_DIR = 2,       /* a folder below USMT/File, deepest first */
	UK_PHASE_FILE_DIR = 3,  /* USMT/File */
	UK_PHASE_CONTROL = 4,   /* a control file, or an unknown item beside them */
	UK_PHASE_USMT = 5,      /* USMT */
	UK_PHASE_ROOT = 6       /* the store root */
};

typedef struct uk_purge_counts {
	uint64_t deleted_files, deleted_dirs, readonly_restored, scheduled, kept;
	uint64_t left;          /* --no-schedule: locked leftovers left in place (in kept too) */
	uint64_t errors;        /* read-only that could not be re-applied */
} uk_purge_counts;

typedef struct uk_purge_store {
	const char *arg;   /* as given */
	char *path;        /* absolute, canonical store root */
	char *usmt;        /* path/USMT */
	char *file_dir;    /* path/USMT/File */
	int64_t id;        /* store row, -1 when the database does not know it */
	int present;       /* the root exists */
	int recognised;    /* uk_store_open() accepted it */
	char why[512];     /* why it is not recognised */
} uk_purge_store;

/* side.c: the one row of integers `sql` (sqlite3_mprintf'd, owned from
 * here on) returns, read on a connection and a thread of its own. */
#define UK_PURGE_SIDE_MAX 8
typedef struct uk_purge_side {
	const char *path;
	char *sql;
	int64_t v[UK_PURGE_SIDE_MAX];
	int n, rc, started;
	pthread_t th;
} uk_purge_side;
void uk_purge_side_start(uk_purge_side *q, const char *db_path, char *sql, int n);
int uk_purge_side_join(uk_purge_side *q); /* 0, or -1: ask the main connection */

/* The run: what every concern shares. Each concern's own state is opaque,
 * defined in its file (journal.c, safepath.c; delete.c keeps its own on the
 * stack while it runs). */
typedef struct uk_purge {
	const uk_purge_opts *o;
	sqlite3 *db;
	char *db_path;
	uk_lock *lock;
	uk_purge_store *st;
	size_t nst;
	int64_t verify_run;     /* accepted verify run, 0 when none */
	int64_t run;            /* purge_run id */
	int resumed;            /* carrying on a killed run's journal */
	int deleting;           /* deleting has begun: files may be gone that the journal does not say yet */
	struct uk_purge_journal *jr;  /* journal.c: transactions, statements, what keeps folders */
	struct uk_purge_guard *guard; /* safepath.c: folders already proven (main thread) */
	char *ro_list[UK_PURGE_LIST];   /* first read-only files re-applied, for the summary */
	size_t ro_n;
	uint64_t warned;        /* per-entry warnings so far (uk_purge_warn) */
	uk_purge_counts c;
	const char *result;     /* purged | scheduled | kept | refused | dry-run | readonly-only */
	char reason[512];
} uk_purge;

/* run.c: the whole tool after option parsing; returns the exit code. */
int uk_purge_main(const uk_purge_opts *o, uk_purge *p);
void uk_purge_free(uk_purge *p);

/* safepath.c */
int uk_purge_inside(const char *root, const char *path); /* path strictly below root */
/* NULL, or why `path` (canonical) may never be treated as a store root. */
const char *uk_purge_forbidden_root(const char *path, const char *home);
/* 0 when every folder between `base` and the parent of `path` is a real
 * folder (no link, junction or reparse point); else the native error or -1. */
int uk_purge_parents_plain(struct uk_purge_guard **g, const char *base, const char *path);
void uk_purge_guard_free(struct uk_purge_guard **g);
/* 1 when the folder of a restored path, resolved, lies outside every store
 * being purged (a bad --root could point verify at the store itself); 0 when
 * inside one or unresolvable. */
int uk_purge_restored_outside(const uk_purge *p, struct uk_purge_guard **g,
                               const char *local);

/* gate.c */
int uk_purge_open_stores(uk_purge *p);   /* exit code: 0 ok, 2 not a store */
int uk_purge_open_db(uk_purge *p);       /* 0, UK_EXIT_FINDINGS (refused), 2, 3 */
int uk_purge_take_lock(uk_purge *p);     /* 0 or UK_EXIT_FINDINGS (refused) */
int uk_purge_accept_partial(uk_purge *p);/* 0 or 2: stores only the journal still knows */
int uk_purge_gate(uk_purge *p, int deleting); /* 0 pass, UK_EXIT_FINDINGS, UK_EXIT_RUNTIME */
char *uk_purge_store_ids(const uk_purge *p);  /* "1,2" for IN (...); malloc'd */
void uk_purge_refuse(uk_purge *p, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* journal.c */
int uk_purge_dry_tables(uk_purge *p);    /* TEMP copies that shadow the journal */
int uk_purge_run_begin(uk_purge *p, const char *mode);  /* resume or create; 0 or -1 */
/* p->c from the journal: started on a second connection (committed steps),
 * finished when it is needed; -1 on a database error. */
void uk_purge_count_start(uk_purge *p, uk_purge_side *q);
int uk_purge_count_finish(uk_purge *p, uk_purge_side *q);
int uk_purge_run_finish(uk_purge *p);   /* records p->result and p->c */
/* "the store is still there: N kept, M because <the commonest reason>" */
void uk_purge_kept_reason(uk_purge *p, char *buf, size_t n);
int uk_purge_tx_begin(uk_purge *p);
int uk_purge_tx_commit(uk_purge *p);
int uk_purge_tx_step(uk_purge *p);       /* commits every few thousand steps */
int uk_purge_tx_steps(uk_purge *p, unsigned n); /* n steps written by one statement */
int uk_purge_step_set(uk_purge *p, int64_t store_id, int phase, const char *rel,
                      const char *state, const char *reason);
int uk_purge_step_ro_cleared(uk_purge *p, int64_t store_id, int phase, const char *rel);
/* What stops a folder from going: steps of this run below it (phase 2: below
 * `rel`; phase >= 3: every lower phase) that are kept/left/blocked
 * (UK_PURGE_BELOW_KEPT) or scheduled (UK_PURGE_BELOW_SCHEDULED); -1 on error. */
#define UK_PURGE_BELOW_KEPT 1
#define UK_PURGE_BELOW_SCHEDULED 2
int uk_purge_below(uk_purge *p, int64_t store_id, int phase, const char *rel);
void uk_purge_journal_free(uk_purge *p);

/* plan.c */
int uk_purge_plan(uk_purge *p);          /* fills purge_step for a new run; 0 or -1 */

/* delete.c */
int uk_purge_execute(uk_purge *p);       /* 0 or -1 (database) */

/* pending.c */
/* A locked leftover (st: what lstat found at path): schedule it (OS or
 * pending list, recording st) or, under --no-schedule, leave it. Sets the
 * step's state. 0 or -1 (database). */
int uk_purge_schedule(uk_purge *p, const uk_purge_store *s, int phase, const char *rel,
                      const char *path, const uk_stat *st, int err);
/* Carries out the pending list: each path re-checked against what was
 * scheduled (kept, and counted in p->c.kept, when it changed). 0 or -1. */
int uk_purge_run_pending(uk_purge *p, uint64_t *remaining);

/* readonly.c */
int uk_purge_readonly(uk_purge *p);      /* re-apply recorded read-only; 0 or -1 */

/* summary.c */
void uk_purge_print(const uk_purge *p, int exit_code);
/* A per-entry warning: on stderr for the first UK_PURGE_LIST of a real run,
 * always in the CMTrace log (a dry run's plan lists them on stdout). */
void uk_purge_warn(uk_purge *p, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif
