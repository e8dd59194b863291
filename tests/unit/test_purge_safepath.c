/* usmt-purge's path safety: "inside the store", roots it must never treat
 * as a store, and the proof that no folder between the store and an entry
 * is a link (on a real tree with real links). Relative paths from the
 * database are checked by common/store.c (test_store.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scratch.h"
#ifndef _WIN32
#include <unistd.h> /* symlink(): the test builds the trap; purge itself uses fs.h */
#endif

#include "fs.h"
#include "../../purge/purge.h"
#include "walk.h"

static void test_inside(void **state)
{
	assert_true(uk_purge_inside(UK_SEP_S "s", UK_SEP_S "s" UK_SEP_S "a"));
	assert_true(uk_purge_inside(UK_SEP_S "s" UK_SEP_S, UK_SEP_S "s" UK_SEP_S "a"));
	assert_false(uk_purge_inside(UK_SEP_S "s", UK_SEP_S "s"));
	assert_false(uk_purge_inside(UK_SEP_S "s", UK_SEP_S "s" UK_SEP_S));
	assert_false(uk_purge_inside(UK_SEP_S "s", UK_SEP_S "sx" UK_SEP_S "a"));
	assert_false(uk_purge_inside(UK_SEP_S "s" UK_SEP_S "a", UK_SEP_S "s"));
}

static void test_forbidden_root(void **state)
{
#ifdef _WIN32
	assert_non_null(uk_purge_forbidden_root("C:\\", NULL));
	assert_non_null(uk_purge_forbidden_root("\\\\?\\D:\\", NULL));
	assert_non_null(uk_purge_forbidden_root("C:\\Users", NULL));
	assert_non_null(uk_purge_forbidden_root("C:\\Users\\alice", NULL));
	assert_non_null(uk_purge_forbidden_root("C:\\Windows", NULL));
	assert_null(uk_purge_forbidden_root("C:\\USMTMIG", NULL));
	assert_null(uk_purge_forbidden_root("C:\\Users\\alice\\store", NULL));
	assert_non_null(uk_purge_forbidden_root("C:\\Data", "C:\\Data\\me"));
#else
	assert_string_equal(uk_purge_forbidden_root("/", NULL), "the file-system root");
	assert_non_null(uk_purge_forbidden_root("/home", NULL));
	assert_non_null(uk_purge_forbidden_root("/home/alice", NULL));
	assert_non_null(uk_purge_forbidden_root("/root", NULL));
	assert_null(uk_purge_forbidden_root("/home/alice/USMTMIG", NULL));
	assert_null(uk_purge_forbidden_root("/srv/USMTMIG", "/srv/USMTMIG-not"));
	assert_string_equal(uk_purge_forbidden_root("/srv/h", "/srv/h"),
	                    "a home folder or a folder holding one");
	assert_non_null(uk_purge_forbidden_root("/srv", "/srv/h"));
	assert_null(uk_purge_forbidden_root("/srv/h/store", "/srv/h"));
	assert_null(uk_purge_forbidden_root("/mnt/c/USMTMIG", ""));
#endif
	assert_non_null(uk_purge_forbidden_root("", NULL));
}


static int setup(void **state)
{
	char *cwd;

	/* tests/run.sh runs each unit test in a scratch folder of its own. */
	assert_int_equal(uk_fs_realpath(".", &cwd), 0);
	scratch = uk_path_join(cwd, "tmp-test-purge-safepath");
	free(cwd);
	rm_rf(scratch);
	assert_int_equal(uk_fs_mkdir_p(at("store/a/b/c")), 0);
	assert_int_equal(uk_fs_mkdir_p(at("store/a/d")), 0);
	assert_int_equal(uk_fs_mkdir_p(at("outside/x")), 0);
	return 0;
}

static int teardown(void **state)
{
	rm_rf(scratch);
	free(scratch);
	return 0;
}

static void test_parents_plain(void **state)
{
	uk_purge p;
	char base[4096];

	memset(&p, 0, sizeof(p));
	snprintf(base, sizeof(base), "%s", at("store"));
	assert_int_equal(uk_purge_parents_plain(&p.guard, base, at("store/f")), 0);
	assert_int_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/b/c/f")), 0);
	assert_int_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/b/c/g")), 0);
	assert_int_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/d/f")), 0);
	/* A folder that does not exist is not proven plain. */
	assert_int_not_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/zz/f")), 0);
	/* Outside the base: refused whatever is on disk. */
	assert_int_not_equal(uk_purge_parents_plain(&p.guard, base, at("outside/x/f")), 0);
#ifndef _WIN32
	/* The trap: a link to outside the store, next to folders already proven. */
	assert_int_equal(symlink(at("outside"), at("store/a/lnk")), 0);
	assert_int_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/b/c/f")), 0);
	assert_int_not_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/lnk/x/f")), 0);
	assert_int_not_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/lnk/f")), 0);
	/* A proven folder later swapped for a link is caught once the cache moves on. */
	assert_int_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/d/f")), 0);
	rm_rf(at("store/a/b"));
	assert_int_equal(symlink(at("outside"), at("store/a/b")), 0);
	assert_int_not_equal(uk_purge_parents_plain(&p.guard, base, at("store/a/b/x/f")), 0);
#endif
	uk_purge_guard_free(&p.guard);
	assert_null(p.guard);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_forbidden_root),
		cmocka_unit_test_setup_teardown(test_parents_plain, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
