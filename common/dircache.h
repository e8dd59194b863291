/* The open folder of the last path asked about: paths that follow each
 * other in one folder are then looked up in it (uk_fs_lstat_at,
 * uk_fs_unlink_at), not resolved again from the root, one component at a
 * time. The folder is opened without following a link, and stays the folder
 * it was when opened even if its path is changed afterwards. */
#ifndef UK_DIRCACHE_H
#define UK_DIRCACHE_H

#include "fs.h"

typedef struct uk_dircache {
	char *path; /* the open folder's path, or NULL */
	uk_dir *dir;
} uk_dircache;

/* The open folder holding `path`, and *name its last component; NULL when
 * path has no folder part or the folder cannot be opened (then use the
 * plain path calls, which report the error). */
uk_dir *uk_dircache_get(uk_dircache *c, const char *path, const char **name);
/* Closes the folder (before removing it: Windows keeps an open one). */
void uk_dircache_close(uk_dircache *c);

#endif
