#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cmdline.h"

static void quotes_only_what_needs_it(void **state)
{
	char *argv[] = { "usmt-verify", "--root", "C=/mnt/c", "C:\\USMT MIG", "", "a\tb" };
	char *s = uk_cmdline_join(6, argv);

	assert_string_equal(s, "usmt-verify --root C=/mnt/c \"C:\\USMT MIG\" \"\" \"a\tb\"");
	free(s);
	s = uk_cmdline_join(0, argv);
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(quotes_only_what_needs_it) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
