/* Iterative directory walk: constant stack, never follows a symbolic link,
 * junction or reparse point (they are returned as UK_FT_LINK entries). */
#ifndef UK_WALK_H
#define UK_WALK_H

#include "fs.h"

enum {
	UK_WALK_POST = 1 /* also return each directory after its contents (post = 1) */
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
} uk_walk_entry;

int uk_walk_open(const char *root, unsigned flags, uk_walk **w);
/* 1 with *e filled (valid until the next call), 0 at the end, -err on a fatal error. */
int uk_walk_next(uk_walk *w, uk_walk_entry *e);
/* uk_fs_lstat() of the entry e just returned by uk_walk_next(), looked up
 * in its open folder where the OS allows: on a deep tree, resolving every
 * full path from the root again was a third of verify's system time. */
int uk_walk_lstat(uk_walk *w, const uk_walk_entry *e, uk_stat *st);
void uk_walk_close(uk_walk *w);

#endif
