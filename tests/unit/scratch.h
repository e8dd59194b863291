/* A unit test's scratch folder, through fs.h so it works under Wine too:
 *   scratch = <folder>;  at("a/b") -> "<folder><SEP>a<SEP>b";  rm_rf(path)
 * Include after cmocka.h in one test file. */
#ifndef UK_TEST_SCRATCH_H
#define UK_TEST_SCRATCH_H

#include <stdio.h>
#include <string.h>

#include "fs.h"
#include "walk.h"

static char *scratch;

/* Four rotating buffers: up to four at() results live at once. */
static char *at(const char *rel)
{
	static char buf[4][4096];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, 4096, "%s%c%s", scratch, UK_SEP, rel);
	for (char *p = b + strlen(scratch); *p; p++)
		if (*p == '/')
			*p = UK_SEP;
	return b;
}

/* Removes a tree bottom-up; links are removed, never followed. */
static void rm_rf(const char *path)
{
	uk_walk *w;
	uk_walk_entry e;

	if (uk_walk_open(path, UK_WALK_POST, &w) == 0) {
		while (uk_walk_next(w, &e) > 0)
			if (e.type != UK_FT_DIR)
				uk_fs_unlink(e.path);
			else if (e.post)
				uk_fs_rmdir(e.path);
		uk_walk_close(w);
	}
	uk_fs_rmdir(path);
	uk_fs_unlink(path);
}

#endif
