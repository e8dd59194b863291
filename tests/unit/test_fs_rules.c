/* fs.h's path rules: how this OS compares names, which characters of a
 * relative path it reads as something else, volume roots, the folders that
 * hold profiles, and who deletes what was scheduled for the restart. Built
 * for both OSes; the Windows build runs under Wine (check-windows). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fs.h"

static void test_path_ncmp(void **state)
{
	assert_int_equal(uk_fs_path_ncmp("abc", "abc", 3), 0);
	assert_int_equal(uk_fs_path_ncmp("abcX", "abcY", 3), 0); /* only n bytes */
	assert_true(uk_fs_path_ncmp("abc", "abd", 3) < 0);
	assert_true(uk_fs_path_ncmp("ab", "abc", 3) < 0);         /* stops at the end */
	assert_int_equal(uk_fs_path_ncmp("", "", 5), 0);
#ifdef _WIN32
	assert_int_equal(uk_fs_path_ncmp("C:\\Users\\AL", "c:\\users\\al", 12), 0);
	assert_true(uk_fs_path_ncmp("C:\\A", "C:\\B", 4) < 0);
#else
	assert_true(uk_fs_path_ncmp("/Home/al", "/home/al", 8) != 0);
#endif
}

static void test_rel_has_special(void **state)
{
	assert_false(uk_fs_rel_has_special("C$/Users/al/x.doc"));
	assert_false(uk_fs_rel_has_special("C$/名前 [1] & $x"));
#ifdef _WIN32
	assert_true(uk_fs_rel_has_special("C$/a\\..\\..\\x"));
	assert_true(uk_fs_rel_has_special("C$/x.txt:stream"));
	assert_true(uk_fs_rel_has_special("D:/x"));
#else
	assert_false(uk_fs_rel_has_special("C$/a\\b"));   /* a name like any other */
	assert_false(uk_fs_rel_has_special("C$/x.txt:stream"));
#endif
}

static void test_volume_root(void **state)
{
#ifdef _WIN32
	assert_string_equal(uk_fs_volume_root_name("C:\\"), "the root of a volume");
	assert_string_equal(uk_fs_volume_root_name("C:"), "the root of a volume");
	assert_string_equal(uk_fs_volume_root_name("\\\\?\\D:\\"), "the root of a volume");
	assert_null(uk_fs_volume_root_name("C:\\store"));
	assert_null(uk_fs_volume_root_name("\\\\?\\C:\\store"));
	assert_string_equal(uk_fs_path_after_volume("\\\\?\\C:\\Users\\al"), "\\Users\\al");
	assert_string_equal(uk_fs_path_after_volume("D:\\x"), "\\x");
	assert_string_equal(uk_fs_path_after_volume("\\\\?\\UNC\\srv\\s"), "UNC\\srv\\s");
#else
	assert_string_equal(uk_fs_volume_root_name("/"), "the file-system root");
	assert_null(uk_fs_volume_root_name("/mnt"));
	assert_null(uk_fs_volume_root_name("//"));
	assert_string_equal(uk_fs_path_after_volume("/home/al"), "/home/al");
#endif
}

static void test_profile_roots(void **state)
{
	const char *const *r = uk_fs_profile_roots();
	size_t n;

	for (n = 0; r[n]; n++)
		assert_int_equal(r[n][0], UK_SEP); /* without a volume, from its root */
	assert_int_equal(n, 3);
#ifdef _WIN32
	assert_string_equal(r[0], "\\Users");
	assert_string_equal(r[1], "\\Documents and Settings");
	assert_string_equal(r[2], "\\Windows");
	assert_int_equal(uk_fs_os_deletes_at_restart(), 1);
#else
	assert_string_equal(r[0], "/home");
	assert_string_equal(r[1], "/root");
	assert_string_equal(r[2], "/Users");
	/* POSIX has no MoveFileEx: the pending list, and --run-pending at boot. */
	assert_int_equal(uk_fs_os_deletes_at_restart(), 0);
	assert_int_equal(uk_fs_schedule_delete("/nonexistent"), UK_FS_EUNSUPPORTED);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_ncmp),
		cmocka_unit_test(test_rel_has_special),
		cmocka_unit_test(test_volume_root),
		cmocka_unit_test(test_profile_roots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
