/* uk_dircache on real folders: reuse, switching, the folder kept across a
 * rename, and paths it does not serve. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scratch.h"

#include "dircache.h"
#include "fs.h"

static void put(const char *rel)
{
	FILE *f = uk_fs_fopen(at(rel), "wb");

	assert_non_null(f);
	fputs(rel, f);
	fclose(f);
}

static int setup(void **state)
{
	const char *b = getenv("UK_BUILD");

	scratch = uk_path_join(b ? b : "build", "tmp-test-dircache");
	rm_rf(scratch);
	assert_int_equal(uk_fs_mkdir_p(at("a")), 0);
	assert_int_equal(uk_fs_mkdir_p(at("b")), 0);
	put("a/one");
	put("a/two");
	put("b/three");
	return 0;
}

static int teardown(void **state)
{
	rm_rf(scratch);
	free(scratch);
	return 0;
}

static void test_reuse_and_switch(void **state)
{
	uk_dircache c = { 0 };
	const char *name = NULL;
	uk_dir *d1, *d2, *d3;
	uk_stat st;

	d1 = uk_dircache_get(&c, at("a/one"), &name);
	assert_non_null(d1);
	assert_string_equal(name, "one");
	assert_int_equal(uk_fs_lstat_at(d1, name, at("a/one"), &st), 0);
	assert_int_equal(st.type, UK_FT_FILE);
	/* Same folder: the open one, not opened again. */
	d2 = uk_dircache_get(&c, at("a/two"), &name);
	assert_ptr_equal(d1, d2);
	assert_string_equal(name, "two");
	assert_int_equal(uk_fs_unlink_at(d2, name, at("a/two")), 0);
	assert_int_not_equal(uk_fs_lstat(at("a/two"), &st), 0);
	/* Another folder. */
	d3 = uk_dircache_get(&c, at("b/three"), &name);
	assert_non_null(d3);
	assert_string_equal(c.path, at("b"));
	assert_int_equal(uk_fs_lstat_at(d3, name, at("b/three"), &st), 0);
	uk_dircache_close(&c);
	assert_null(c.dir);
	assert_null(c.path);
}

/* The open folder stays the folder it was, whatever its path becomes. */
static void test_kept_across_rename(void **state)
{
	uk_dircache c = { 0 };
	const char *name;
	char old[4096], moved[4096];
	uk_dir *d;
	uk_stat st;

	/* Windows looks the name up by path (fs.h) and keeps an open folder
	 * from being renamed; Wine allows the rename, so skip it there. */
	if (UK_FS_DRIVE_PATHS)
		skip();
	snprintf(old, sizeof(old), "%s", at("a/one"));
	d = uk_dircache_get(&c, old, &name);
	assert_non_null(d);
	snprintf(moved, sizeof(moved), "%s", at("moved"));
	assert_int_equal(rename(at("a"), moved), 0);
	assert_int_equal(uk_fs_mkdir_p(at("a")), 0);
	assert_int_equal(uk_fs_lstat_at(d, name, old, &st), 0);
	assert_int_equal(st.type, UK_FT_FILE);
	uk_dircache_close(&c);
	assert_int_equal(rename(moved, at("moved-back")), 0);
}

static void test_not_served(void **state)
{
	uk_dircache c = { 0 };
	const char *name = NULL;

	assert_null(uk_dircache_get(&c, "plain-name", &name));
	assert_null(uk_dircache_get(&c, UK_SEP_S "top", &name));
	assert_null(uk_dircache_get(&c, at("a/"), &name));
	/* A folder that cannot be opened: NULL, and nothing stays cached. */
	assert_null(uk_dircache_get(&c, at("absent/x"), &name));
	assert_null(c.dir);
	assert_null(c.path);
	/* A file as the folder part. */
	assert_null(uk_dircache_get(&c, at("b/three/x"), &name));
	assert_null(c.dir);
}

/* At any depth: a folder whose path is longer than PATH_MAX (4096 on Linux).
 * Windows takes \\?\ paths of 32,767 characters, but Wine hands Linux the
 * whole path: there, beyond the old MAX_PATH of 260 only. */
static void test_any_depth(void **state)
{
	char name[201], *deep = strdup(scratch), *leaf;
	uk_dircache c = { 0 };
	const char *last;
	uk_dir *d;
	uk_stat st;

	memset(name, 'd', 200);
	name[200] = '\0';
	for (int i = 0; i < (UK_FS_DRIVE_PATHS ? 12 : 25); i++) {
		char *next = uk_path_join(deep, name);
		assert_non_null(next);
		free(deep);
		deep = next;
	}
	assert_true(strlen(deep) > (UK_FS_DRIVE_PATHS ? 2400 : 5000));
	leaf = uk_path_join(deep, "leaf");
	assert_int_equal(uk_fs_mkdir_p(leaf), 0);
	d = uk_dircache_get(&c, leaf, &last);
	assert_non_null(d);
	assert_string_equal(last, "leaf");
	assert_int_equal(uk_fs_lstat_at(d, last, leaf, &st), 0);
	assert_int_equal(st.type, UK_FT_DIR);
	uk_dircache_close(&c);
	assert_int_equal(uk_fs_rmdir(leaf), 0);
	assert_int_not_equal(uk_fs_lstat(leaf, &st), 0);
	free(leaf);
	free(deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reuse_and_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_across_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_served, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_depth, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
