/* RFC 4180 fields: plain when they can be, quoted and doubled when not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../report/report.h"

static const char *csv_of(const char *a, const char *b)
{
	static char buf[1024];
	FILE *f = tmpfile();
	size_t n;

	assert_non_null(f);
	uk_csv_field(f, a, 0);
	uk_csv_field(f, b, 1);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_fields(void **state)
{
	assert_string_equal(csv_of("high", "C:\\Users\\a b\\x.txt"), "high,C:\\Users\\a b\\x.txt\r\n");
	assert_string_equal(csv_of("Smith, John", NULL), "\"Smith, John\",\r\n");
	assert_string_equal(csv_of("say \"hi\"", "a\nb"), "\"say \"\"hi\"\"\",\"a\nb\"\r\n");
	assert_string_equal(csv_of("cr\r", ""), "\"cr\r\",\r\n");
	assert_string_equal(csv_of("zoë & co", "x"), "zoë & co,x\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
