/* usmt-rescue internals (SPEC.md section 4a). main.c fills uk_rescue_opts;
 * run.c drives the concerns below, each in its own file:
 *   place.c    where DEST may be: outside the store, another volume, free space
 *   select.c   what to copy: the verify run's entries at risk, --all, or a walk
 *   journal.c  DEST/.usmtkit-rescue.db: what is done, where a run stopped
 *   copy.c     one file: temporary name, hashed while written, verified, renamed
 *   summary.c  the text and JSON results */
#ifndef UK_RESCUE_H
#define UK_RESCUE_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "fs.h"
#include "hash.h"
#include "store.h"

typedef struct uk_rescue_opts {
	const char *store;      /* STORE as given */
	const char *dest;       /* DEST as given */
	const char *db;         /* --db, NULL: STORE + ".usmtkit.db" */
	int all, same_volume, json;
	char *command_line;     /* recorded in the journal */
} uk_rescue_opts;

/* One file to rescue. */
typedef struct uk_rescue_item {
	char *rel;              /* below USMT/File, '/'-separated: C$/Users/a/x.doc */
	uint64_t size;          /* as recorded (or found by the walk) */
	char *hash;             /* recorded XXH3-128 hex: baseline, else entry.hash; NULL */
	char *fid;              /* entry.fid: the file verify saw; NULL (a walk) */
	int64_t mtime;          /* entry.mtime, when has_mtime */
	int has_mtime;
	const char *why;        /* sole-copy, missing, modified, corrupt, all */
	int done;               /* 1: copied already; 2: DEST holds another version */
} uk_rescue_item;

#define UK_RESCUE_LIST 20 /* failed files listed in the text summary; all go to --log */
#define UK_RESCUE_TMP ".usmtkit-rescue.part" /* the file being written, in its folder */
#define UK_RESCUE_JOURNAL ".usmtkit-rescue.db"

typedef struct uk_rescue {
	const uk_rescue_opts *o;
	uk_store store;
	int have_store;
	char *db_path;          /* the store's database */
	char *dest;             /* DEST, absolute */
	char *machine;          /* DEST/<machine>: verify_run.host, else this host */
	char *base;             /* DEST/<machine> */
	char *base_real;        /* base resolved: every copy's folder must lead inside it */
	int64_t verify_run;     /* 0: none (--all walks the store) */
	uk_rescue_item *items;
	size_t n, cap;
	sqlite3 *j;             /* the journal */
	char *j_path;
	uk_lock *lock;
	int64_t run;            /* rescue_run id */
	uint64_t copied, skipped_done, failed, bytes;
	uint64_t todo_files, todo_bytes, done_files, done_bytes; /* this run, for progress */
	int stopped;            /* the disk filled: the run ended early */
	char *fail_list[UK_RESCUE_LIST];
	size_t nfail_list;
	unsigned char *buf;     /* copy buffer */
	double t0;
	const char *result;     /* rescued | partial | refused; NULL: runtime failure */
	char reason[1024];
} uk_rescue;

/* run.c: the whole tool after option parsing; returns the exit code. */
int uk_rescue_main(const uk_rescue_opts *o, uk_rescue *r);
void uk_rescue_free(uk_rescue *r);
void uk_rescue_refuse(uk_rescue *r, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* place.c */
/* Absolute form of a path that may not exist yet: the deepest existing
 * ancestor resolved, the rest appended ("." and empty parts dropped) into
 * *out (malloc'd). 0; -1 out of memory or unresolvable; -2 ".." in the rest. */
int uk_rescue_canonical(const char *path, char **out);
int uk_rescue_inside(const char *root, const char *path); /* path == root or below it */
/* 0, or UK_EXIT_FINDINGS with the refusal recorded (inside, same volume). */
int uk_rescue_check_place(uk_rescue *r, const char *dest);
/* 0, UK_EXIT_FINDINGS (refused: not enough space) or UK_EXIT_RUNTIME. */
int uk_rescue_check_space(uk_rescue *r);

/* select.c */
int uk_rescue_rel_safe(const char *rel);   /* 1: "X$/..." with no "", ".", ".." parts */
/* Fills r->items (and r->machine); 0, UK_EXIT_FINDINGS (refused), 3. */
int uk_rescue_select(uk_rescue *r);
void uk_rescue_items_free(uk_rescue *r);

/* journal.c */
int uk_rescue_journal_open(uk_rescue *r);   /* 0 or UK_EXIT_RUNTIME/FINDINGS (locked) */
int uk_rescue_journal_begin(uk_rescue *r);  /* a rescue_run row; 0 or -1 */
/* 1 when the journal has it done, the copy is still in place and is of
 * what `src` holds now (its recorded hash, else src read); 0 to copy; 2 when
 * DEST holds another version (why says so: not to be overwritten); -1. */
int uk_rescue_journal_done(uk_rescue *r, const uk_rescue_item *it, const char *dst,
                           const char *src, char *why, size_t whylen);
/* state: done, failed or stopped; 0 or an SQLite code. */
int uk_rescue_journal_mark(uk_rescue *r, const uk_rescue_item *it, const char *state,
                           const char *hash, const char *error);
int uk_rescue_journal_finish(uk_rescue *r, const char *stopped_at); /* 0 or an SQLite code */
void uk_rescue_journal_close(uk_rescue *r);

/* copy.c */
enum { UK_RESCUE_COPIED = 0, UK_RESCUE_FAILED, UK_RESCUE_FULL, UK_RESCUE_FATAL };
/* Copies item `it` to dst; one of the codes above, the reason in why. The
 * recorded hash (or the new file re-read) decides; a mismatch is retried once. */
int uk_rescue_copy(uk_rescue *r, const uk_rescue_item *it, const char *src, const char *dst,
                   char hash[UK_HASH_STRLEN], char *why, size_t whylen);

/* summary.c */
void uk_rescue_print(const uk_rescue *r, int exit_code);
void uk_rescue_note_failed(uk_rescue *r, const char *rel, const char *why);

#endif
