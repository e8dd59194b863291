#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

static char *render(const char *s)
{
	static char buf[1024];
	FILE *f = tmpfile();
	size_t n;

	assert_non_null(f);
	uk_json_str(f, s);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void plain_and_windows_paths(void **state)
{
	assert_string_equal(render("abc"), "\"abc\"");
	assert_string_equal(render("C:\\Users\\a"), "\"C:\\\\Users\\\\a\"");
	assert_string_equal(render("say \"hi\""), "\"say \\\"hi\\\"\"");
	assert_string_equal(render(NULL), "null");
	assert_string_equal(render(""), "\"\"");
}

static void control_characters(void **state)
{
	assert_string_equal(render("a\nb\tc\rd"), "\"a\\nb\\tc\\rd\"");
	assert_string_equal(render("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\"");
}

static void unicode_kept_invalid_replaced(void **state)
{
	assert_string_equal(render("caf\xc3\xa9 \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	assert_string_equal(render("a\xff" "b"), "\"a\\ufffdb\"");
	assert_string_equal(render("\xc0\xaf"), "\"\\ufffd\\ufffd\""); /* overlong '/' */
	assert_string_equal(render("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
	assert_string_equal(render("\xe2\x82"), "\"\\ufffd\\ufffd\""); /* truncated */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_and_windows_paths),
		cmocka_unit_test(control_characters),
		cmocka_unit_test(unicode_kept_invalid_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
