/* Iterative directory walk: constant stack, never follows a symbolic link,
 * junction or reparse point (they are returned as UK_FT_LINK entries). */
#ifndef UK_WALK_H
#define UK_WALK_H

#include "fs.h"

enum {
	UK_WALK_POST = 1,   /* also return each directory after its contents (post = 1) */
	/* Every entry that is not a folder comes with its uk_fs_lstat() (st,
	 * st_err), taken in its open folder as it is returned. */
	UK_WALK_STAT = 2,
	/* The walk runs ahead on a thread of its own, in batches of entries
	 * (implies UK_WALK_STAT): the listing and the lstat of each entry, the
	 * walk's system calls, overlap what the caller does with the entries
	 * before. Same entries, same order. */
	UK_WALK_THREAD = 4,
	/* With UK_WALK_THREAD: the thread only lists, no lstat (uk_walk_lstat
	 * then resolves the full path). */
	UK_WALK_NOSTAT = 8
};

typedef struct uk_walk uk_walk;
typedef struct uk_walk_entry {
	const char *path; /* full local path */
	const char *rel;  /* relative to the walk root, '/'-separated ("" for the root) */
	const char *name; /* last component */
	int depth;        /* 0 = the root's children */
	int type;         /* enum uk_ftype, resolved (never UK_FT_UNKNOWN) */
	int post;         /* 1: leaving this directory */
	int err;          /* non-zero: this directory could not be listed (entry still returned) */
	int has_id;       /* id.hi/id.lo from the directory listing */
	uk_fileid id;
	int st_err;       /* UK_WALK_STAT, not a folder: uk_fs_lstat()'s result, */
	uk_stat st;       /* and the stat when it is 0 */
} uk_walk_entry;

int uk_walk_open(const char *root, unsigned flags, uk_walk **w);
/* 1 with *e filled (valid until the next call), 0 at the end, -err on a fatal error. */
int uk_walk_next(uk_walk *w, uk_walk_entry *e);
/* uk_fs_lstat() of the entry e just returned by uk_walk_next(), looked up
 * in its open folder where the OS allows: on a deep tree, resolving every
 * full path from the root again was a third of verify's system time. With
 * UK_WALK_STAT, the one taken as e was returned. */
int uk_walk_lstat(uk_walk *w, const uk_walk_entry *e, uk_stat *st);
void uk_walk_close(uk_walk *w);

#endif
