/* usmt-rescue's path logic: store-relative paths from the database, "inside"
 * (both ways), and the absolute form of a DEST that does not exist yet. */
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
#include "../../rescue/rescue.h"

static void test_rel_safe(void **state)
{
	static const char *const good[] = { "C$/Users/a/x.doc", "C$/a..b/x", "C$/.hidden",
	                                    "d$/x", "C$/名前 [1] & $x" };
	static const char *const bad[] = { "", "/etc/passwd", "C$/../../etc", "..", "C$/./x",
	                                   "C$//x", "C$/x/", "C$/x/..", "C$", "Users/a",
	                                   "1$/x", "C$x/y" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(uk_rescue_rel_safe(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(uk_rescue_rel_safe(bad[i]));
	assert_false(uk_rescue_rel_safe(NULL));
}

static void test_inside(void **state)
{
	const char *s = "base" UK_SEP_S "store";

	assert_true(uk_rescue_inside(s, s));
	assert_true(uk_rescue_inside(s, "base" UK_SEP_S "store" UK_SEP_S "USMT"));
	assert_true(uk_rescue_inside("base" UK_SEP_S "store" UK_SEP_S, s));
	assert_false(uk_rescue_inside(s, "base" UK_SEP_S "store2"));
	assert_false(uk_rescue_inside(s, "base"));
	assert_true(uk_rescue_inside(UK_SEP_S, s));
}

static void test_canonical(void **state)
{
	char *real, *c, want[4096];

	assert_int_equal(uk_fs_realpath(scratch, &real), 0);
	assert_int_equal(uk_rescue_canonical(at("d"), &c), 0);
	snprintf(want, sizeof(want), "%s%cd", real, UK_SEP);
	assert_string_equal(c, want);
	free(c);
	/* Not there yet: the rest is appended, tidied. */
	assert_int_equal(uk_rescue_canonical(at("d/new//deeper/./x/"), &c), 0);
	snprintf(want, sizeof(want), "%s%cd%cnew%cdeeper%cx", real, UK_SEP, UK_SEP, UK_SEP,
	         UK_SEP);
	assert_string_equal(c, want);
	free(c);
	/* ".." that exists resolves; below a missing folder (POSIX) it could lead
	 * anywhere. */
	assert_int_equal(uk_rescue_canonical(at("d/../d/n"), &c), 0);
	snprintf(want, sizeof(want), "%s%cd%cn", real, UK_SEP, UK_SEP);
	assert_string_equal(c, want);
	free(c);
#ifdef _WIN32
	/* Windows itself reads ".." by the name (GetFullPathNameW), whatever exists. */
	assert_int_equal(uk_rescue_canonical(at("d/missing/../../x"), &c), 0);
	snprintf(want, sizeof(want), "%s%cx", real, UK_SEP);
	assert_string_equal(c, want);
	free(c);
#else
	assert_int_equal(uk_rescue_canonical(at("d/missing/../../x"), &c), -2);
	assert_null(c);
#endif
	free(real);
}

static int setup(void **state)
{
	char *cwd;

	/* tests/run.sh runs each unit test in a scratch folder of its own. */
	assert_int_equal(uk_fs_realpath(".", &cwd), 0);
	scratch = uk_path_join(cwd, "tmp-test-rescue-place");
	free(cwd);
	rm_rf(scratch);
	assert_int_equal(uk_fs_mkdir_p(at("d")), 0);
	return 0;
}

static int teardown(void **state)
{
	rm_rf(scratch);
	free(scratch);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rel_safe),
		cmocka_unit_test(test_inside),
		cmocka_unit_test_setup_teardown(test_canonical, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
