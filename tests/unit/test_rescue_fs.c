/* fs.h's copying section (fs_copy_posix.c / fs_copy_win32.c) on real files:
 * create refuses what exists, write + flush + meta keep the bytes, the
 * modification time to the 100 ns and the read-only attribute, a rename
 * replaces a read-only file, a rename to a new name never replaces, a file
 * is flushed by its path, free space is read. Runs under Wine too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scratch.h"

#include "fs.h"
#include "hash.h"

static void write_file(const char *path, const char *text, int64_t sec, long nsec, int ro)
{
	uk_wfile *f;

	assert_int_equal(uk_fs_create(path, &f), 0);
	assert_int_equal(uk_fs_write(f, text, strlen(text)), 0);
	assert_int_equal(uk_fs_flush(f), 0);
	assert_int_equal(uk_fs_wset_meta(f, sec, nsec, ro), 0);
	assert_int_equal(uk_fs_wclose(f), 0);
}

static void test_create_write_meta(void **state)
{
	uk_wfile *f = NULL;
	uk_stat st;
	uk_hash128 h, m;
	uint64_t n;
	int64_t sec;
	long nsec;

	write_file(at("a.txt"), "hello, rescue", 1614834367, 123456700, 1);
	assert_int_equal(uk_fs_lstat(at("a.txt"), &st), 0);
	assert_int_equal(st.size, 13);
	assert_true(st.readonly);
	assert_int_equal(st.mtime, 1614834367);
	assert_int_equal(uk_fs_mtime_ns(at("a.txt"), &sec, &nsec), 0);
	assert_int_equal(sec, 1614834367);
	assert_int_equal(nsec, 123456700);
	assert_int_equal(uk_hash_file(at("a.txt"), &h, &n), 0);
	uk_hash_mem("hello, rescue", 13, &m);
	assert_memory_equal(&h, &m, sizeof(h));
	/* Never over something present. */
	assert_true(uk_fs_err_exists(uk_fs_create(at("a.txt"), &f)));
	assert_null(f);
	assert_int_equal(uk_fs_wclose(NULL), 0);
	assert_true(uk_fs_err_notfound(uk_fs_mtime_ns(at("none"), &sec, &nsec)));
}

static void test_rename_over_readonly(void **state)
{
	uk_stat st;
	uk_hash128 h, m;
	uint64_t n;

	write_file(at("old"), "old copy", 1000000000, 0, 1);
	write_file(at("tmp"), "new copy!", 1000000001, 0, 1);
	assert_int_equal(uk_fs_rename(at("tmp"), at("old")), 0);
	assert_true(uk_fs_err_notfound(uk_fs_lstat(at("tmp"), &st)));
	assert_int_equal(uk_fs_lstat(at("old"), &st), 0);
	assert_int_equal(st.size, 9);
	assert_true(st.readonly);
	assert_int_equal(st.mtime, 1000000001);
	assert_int_equal(uk_hash_file(at("old"), &h, &n), 0);
	uk_hash_mem("new copy!", 9, &m);
	assert_memory_equal(&h, &m, sizeof(h));
	assert_int_equal(uk_fs_sync_dir(scratch), 0);
	uk_fs_set_readonly(at("old"), 0);
}

static void same_bytes(const char *path, const char *text)
{
	uk_hash128 h, m;
	uint64_t n;

	assert_int_equal(uk_hash_file(path, &h, &n), 0);
	uk_hash_mem(text, strlen(text), &m);
	assert_memory_equal(&h, &m, sizeof(h));
	assert_int_equal(n, strlen(text));
}

/* usmt-verify moves a database it built into place this way: whatever
 * appeared under the name meanwhile stays as it was. */
static void test_rename_new_never_replaces(void **state)
{
	uk_stat st;
	int err;

	write_file(at("built"), "the new database", 1000000000, 0, 0);
	write_file(at("there"), "someone else's", 1000000000, 0, 0);
	err = uk_fs_rename_new(at("built"), at("there"));
	assert_true(uk_fs_err_exists(err));
	same_bytes(at("built"), "the new database");
	same_bytes(at("there"), "someone else's");
	assert_int_equal(uk_fs_sync_file(at("built")), 0);
	assert_int_equal(uk_fs_rename_new(at("built"), at("fresh")), 0);
	assert_true(uk_fs_err_notfound(uk_fs_lstat(at("built"), &st)));
	same_bytes(at("fresh"), "the new database");
	assert_true(uk_fs_err_notfound(uk_fs_sync_file(at("built"))));
	assert_true(uk_fs_err_notfound(uk_fs_rename_new(at("built"), at("other"))));
}

static void test_free_space(void **state)
{
	uint64_t free_bytes = 0;

	assert_int_equal(uk_fs_free_space(scratch, &free_bytes), 0);
	assert_true(free_bytes > 0);
	assert_false(uk_fs_err_nospace(0));
}

static int setup(void **state)
{
	char *cwd;

	assert_int_equal(uk_fs_realpath(".", &cwd), 0);
	scratch = uk_path_join(cwd, "tmp-test-rescue-fs");
	free(cwd);
	rm_rf(scratch);
	assert_int_equal(uk_fs_mkdir_p(scratch), 0);
	return 0;
}

static int teardown(void **state)
{
	uk_fs_set_readonly(at("a.txt"), 0);
	rm_rf(scratch);
	free(scratch);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_write_meta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_over_readonly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_new_never_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_space, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
