/* The Win32 error table: names and meanings USMT logs use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "win32err.h"

static void test_named(void **state)
{
	static const struct { long code; const char *name; } want[] = {
		{ 2, "ERROR_FILE_NOT_FOUND" }, { 3, "ERROR_PATH_NOT_FOUND" },
		{ 5, "ERROR_ACCESS_DENIED" }, { 32, "ERROR_SHARING_VIOLATION" },
		{ 33, "ERROR_LOCK_VIOLATION" }, { 112, "ERROR_DISK_FULL" },
		{ 395, "ERROR_CLOUD_FILE_ACCESS_DENIED" }, { 1332, "ERROR_NONE_MAPPED" },
		{ 1920, "ERROR_CANT_ACCESS_FILE" }, { 2202, "ERROR_BAD_USERNAME" },
		{ 0, "ERROR_SUCCESS" }, { 6002, "ERROR_FILE_ENCRYPTED" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(uk_win32_name(want[i].code), want[i].name);
		assert_non_null(uk_win32_meaning(want[i].code));
	}
	assert_string_equal(uk_win32_meaning(32), "the file is in use by another process");
}

static void test_unknown(void **state)
{
	assert_null(uk_win32_name(-1));
	assert_null(uk_win32_name(7));
	assert_null(uk_win32_meaning(99999));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
