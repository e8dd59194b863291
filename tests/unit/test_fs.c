/* fs.h against the real file system (runs natively and under Wine). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#ifndef _WIN32
#include <unistd.h>
#endif

#include "fs.h"

#define DIR_ "test_fs.tmp"

static char *P(const char *rel)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s%c%s", DIR_, UK_SEP, rel);
	return buf[i];
}

static void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static void rm_tree(void)
{
	const char *files[] = { "a", "b", "ro", "sub/deep/x", "lockf", "big" };
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		uk_fs_set_readonly(P(files[i]), 0);
		uk_fs_unlink(P(files[i]));
	}
	uk_fs_rmdir(P("sub/deep"));
	uk_fs_rmdir(P("sub"));
	uk_fs_rmdir(DIR_);
}

static int setup(void **state)
{
	rm_tree();
	assert_int_equal(uk_fs_mkdir_p(DIR_), 0);
	return 0;
}

static int teardown(void **state)
{
	rm_tree();
	return 0;
}

static void hard_link_shares_identity(void **state)
{
	uk_stat a, b;

	write_file(P("a"), "hello");
	assert_int_equal(uk_fs_link(P("a"), P("b")), 0);
	assert_int_equal(uk_fs_lstat(P("a"), &a), 0);
	assert_int_equal(uk_fs_lstat(P("b"), &b), 0);
	assert_true(uk_fid_equal(&a.id, &b.id));
	assert_int_equal(a.nlink, 2);
	assert_int_equal(a.size, 5);
	assert_int_equal(a.type, UK_FT_FILE);
	assert_int_equal(uk_fs_unlink(P("b")), 0);
	assert_int_equal(uk_fs_lstat(P("a"), &a), 0);
	assert_int_equal(a.nlink, 1);
	assert_true(uk_fs_err_notfound(uk_fs_lstat(P("b"), &b)));
	assert_true(uk_fs_err_exists(uk_fs_link(P("a"), P("a"))));
}

static void fid_string_is_stable(void **state)
{
	uk_fileid id = { 0x1234, 0, 0xabcdef };
	char s[UK_FID_STRLEN];

	uk_fid_str(&id, s);
	assert_string_equal(s, "0000000000001234:000000000000000000000000" "00abcdef");
	/* Every digit of all three parts, the widest value too. */
	id = (uk_fileid){ UINT64_MAX, 0x0123456789abcdefULL, 0xfedcba9876543210ULL };
	uk_fid_str(&id, s);
	assert_string_equal(s, "ffffffffffffffff:0123456789abcdeffedcba9876543210");
}

static void readonly_roundtrip(void **state)
{
	uk_stat st;

	write_file(P("ro"), "x");
	assert_int_equal(uk_fs_lstat(P("ro"), &st), 0);
	assert_false(st.readonly);
	assert_int_equal(uk_fs_set_readonly(P("ro"), 1), 0);
	assert_int_equal(uk_fs_lstat(P("ro"), &st), 0);
	assert_true(st.readonly);
	assert_int_equal(uk_fs_set_readonly(P("ro"), 0), 0);
	assert_int_equal(uk_fs_lstat(P("ro"), &st), 0);
	assert_false(st.readonly);
}

static void listing_and_mkdir_p(void **state)
{
	uk_dir *d;
	uk_dirent e;
	int r, files = 0, dirs = 0;
	uk_stat st;

	assert_int_equal(uk_fs_mkdir_p(P("sub/deep")), 0);
	assert_int_equal(uk_fs_mkdir_p(P("sub/deep")), 0); /* exists: fine */
	write_file(P("sub/deep/x"), "");
	write_file(P("a"), "1");
	assert_int_equal(uk_fs_opendir(DIR_, &d), 0);
	while ((r = uk_fs_readdir(d, &e)) == 1) {
		if (strcmp(e.name, "a") == 0) {
			files++;
			assert_int_equal(uk_fs_lstat(P("a"), &st), 0);
			if (e.has_id)
				assert_true(e.id.lo == st.id.lo && e.id.hi == st.id.hi);
		} else if (strcmp(e.name, "sub") == 0) {
			dirs++;
			assert_true(e.type == UK_FT_DIR || e.type == UK_FT_UNKNOWN);
		}
	}
	assert_int_equal(r, 0);
	uk_fs_closedir(d);
	assert_int_equal(files, 1);
	assert_int_equal(dirs, 1);
	assert_true(uk_fs_err_notempty(uk_fs_rmdir(P("sub"))));
	assert_true(uk_fs_err_notfound(uk_fs_opendir(P("nonexistent"), &d)));
	assert_true(uk_fs_mkdir_p(P("a/b")) != 0); /* a is a file */
}

/* uk_fs_rmdir_held: a folder with something in it stays, and nothing is
 * held; an empty one is gone at once, whatever is still held open. */
static void rmdir_held(void **state)
{
	uk_stat st;
	int h = 0;

	assert_int_equal(uk_fs_mkdir_p(P("sub/deep")), 0);
	write_file(P("sub/deep/x"), "x");
	assert_true(uk_fs_err_notempty(uk_fs_rmdir_held(P("sub/deep"), &h)));
	assert_int_equal(h, -1);
	assert_int_equal(uk_fs_lstat(P("sub/deep/x"), &st), 0);
	assert_int_equal(uk_fs_unlink(P("sub/deep/x")), 0);
	assert_int_equal(uk_fs_rmdir_held(P("sub/deep"), &h), 0);
	assert_true(uk_fs_err_notfound(uk_fs_lstat(P("sub/deep"), &st)));
	assert_int_equal(uk_fs_rmdir(P("sub")), 0); /* its parent goes before the close */
	uk_fs_held_close(h);
	assert_true(uk_fs_err_notfound(uk_fs_rmdir_held(P("sub"), &h)));
	assert_int_equal(h, -1);
#ifndef _WIN32
	/* A link to a folder: refused as not a folder, the folder untouched. */
	assert_int_equal(uk_fs_mkdir_p(P("sub/deep")), 0);
	assert_int_equal(symlink("sub/deep", P("a")), 0);
	assert_int_not_equal(uk_fs_rmdir_held(P("a"), &h), 0);
	assert_int_equal(h, -1);
	assert_int_equal(uk_fs_lstat(P("sub/deep"), &st), 0);
	assert_int_equal(st.type, UK_FT_DIR);
#endif
}

static void sequential_read(void **state)
{
	char buf[4096];
	size_t got, total = 0;
	uk_file *f;
	uk_stat st;
	FILE *w = fopen(P("big"), "wb");

	assert_non_null(w);
	for (int i = 0; i < 10000; i++)
		fputs("0123456789", w);
	fclose(w);
	assert_int_equal(uk_fs_open_read(P("big"), &f, &st), 0);
	assert_int_equal(st.type, UK_FT_FILE);
	assert_int_equal(st.size, 100000);
	do {
		assert_int_equal(uk_fs_read(f, buf, sizeof(buf), &got), 0);
		total += got;
	} while (got > 0);
	uk_fs_close(f);
	assert_int_equal(total, 100000);
	/* One read of a file smaller than the buffer: all of it, then 0. */
	assert_int_equal(uk_fs_open_read(P("big"), &f, NULL), 0);
	char *all = malloc(200000);
	assert_non_null(all);
	assert_int_equal(uk_fs_read_once(f, all, 200000, &got), 0);
	assert_int_equal(got, 100000);
	assert_memory_equal(all, "0123456789", 10);
	assert_int_equal(uk_fs_read_once(f, all, 200000, &got), 0);
	assert_int_equal(got, 0);
	free(all);
	uk_fs_close(f);
	assert_true(uk_fs_err_notfound(uk_fs_open_read(P("nope"), &f, NULL)));
	assert_null(f);
}

static void exclusive_lock(void **state)
{
	uk_lock *a, *b;

	assert_int_equal(uk_fs_lock(P("lockf"), &a), 0);
	assert_true(uk_fs_err_locked(uk_fs_lock(P("lockf"), &b)));
	assert_null(b);
	uk_fs_unlock(a);
	assert_int_equal(uk_fs_lock(P("lockf"), &b), 0);
	uk_fs_unlock(b);
}

static void paths(void **state)
{
	char *j = uk_path_join("x", "y");
	char *root = NULL, *real = NULL;

	assert_string_equal(j, "x" UK_SEP_S "y");
	free(j);
	j = uk_path_join("x" UK_SEP_S, "y");
	assert_string_equal(j, "x" UK_SEP_S "y");
	free(j);
	/* '/' ends a folder on both systems (Windows reads it as '\'). */
	j = uk_path_join("x/", "y");
	assert_string_equal(j, "x/y");
	free(j);
	j = uk_path_join("", "y");
	assert_string_equal(j, "y");
	free(j);
	/* The folder a database's side files and flushes go to. */
	const char *const parent[][2] = {
		{ "a.db", "." },
		{ "x" UK_SEP_S "a.db", "x" },
		{ "x" UK_SEP_S "y" UK_SEP_S "a.db", "x" UK_SEP_S "y" },
		{ UK_SEP_S "a.db", UK_SEP_S },
#ifdef _WIN32
		{ "C:\\a.db", "C:\\" },
		{ "C:\\x/a.db", "C:\\x" },
#endif
	};
	for (size_t i = 0; i < sizeof(parent) / sizeof(parent[0]); i++) {
		j = uk_path_parent(parent[i][0]);
		assert_non_null(j);
		assert_string_equal(j, parent[i][1]);
		free(j);
	}
	assert_int_equal(uk_fs_realpath(DIR_, &real), 0);
	assert_int_equal(uk_fs_mount_root(DIR_, &root), 0);
	/* The mount root is a prefix of the absolute path. */
	assert_memory_equal(real, root, strlen(root) > 1 ? strlen(root) - 1 : 1);
	free(real);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hard_link_shares_identity, setup, teardown),
		cmocka_unit_test(fid_string_is_stable),
		cmocka_unit_test_setup_teardown(readonly_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(listing_and_mkdir_p, setup, teardown),
		cmocka_unit_test_setup_teardown(rmdir_held, setup, teardown),
		cmocka_unit_test_setup_teardown(sequential_read, setup, teardown),
		cmocka_unit_test_setup_teardown(exclusive_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(paths, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
