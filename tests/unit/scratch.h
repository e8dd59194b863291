/* A unit test's scratch folder, through fs.h so it works under Wine too:
 *   scratch = <folder>;  at("a/b") -> "<folder><SEP>a<SEP>b";  rm_rf(path)
 * Include after cmocka.h in one test file. */
#ifndef UK_TEST_SCRATCH_H
#define UK_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
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

/* scratch = $UK_BUILD/tmp-test-<name>, made empty: 0, or 1 with a message. */
static int scratch_make(const char *name)
{
	const char *b = getenv("UK_BUILD");
	char rel[128];

	snprintf(rel, sizeof rel, "tmp-test-%s", name);
	scratch = uk_path_join(b ? b : "build", rel);
	rm_rf(scratch);
	if (uk_fs_mkdir_p(scratch) != 0) {
		fprintf(stderr, "cannot create %s\n", scratch);
		return 1;
	}
	return 0;
}

static void scratch_remove(void)
{
	rm_rf(scratch);
	free(scratch);
}

#endif
