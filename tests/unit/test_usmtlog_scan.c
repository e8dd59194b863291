/* The line scanners against plain reference loops: the case-insensitive
 * search at every window length and needle position (its 16-byte masks and
 * their tails), and the timestamp shape with each byte spoiled in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "usmtlog_int.h"

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static const char *ref_find(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && lower((unsigned char)s[i + j]) == lower((unsigned char)needle[j]))
			j++;
		if (j == m)
			return s + i;
	}
	return NULL;
}

static void test_ci_find_windows(void **state)
{
	static const char *const needles[] = { "return code", "An error occurred", "x", "[gle=" };
	char buf[160];

	(void)state;
	for (size_t k = 0; k < sizeof needles / sizeof *needles; k++) {
		const char *nd = needles[k];
		size_t m = strlen(nd);
		for (size_t n = 0; n <= 100; n++) {
			for (size_t at = 0; at <= n + 1; at++) {
				/* Decoys of the first letter in both cases around one match
				 * (spelled in mixed case) at `at`, or none past the end. */
				for (size_t i = 0; i < sizeof buf; i++)
					buf[i] = i % 5 == 0 ? nd[0] : i % 7 == 0 ? (char)(nd[0] ^ 0x20) : '.';
				if (at + m <= n)
					for (size_t j = 0; j < m; j++)
						buf[at + j] = j % 2 ? (char)(nd[j] >= 'a' && nd[j] <= 'z' ?
						                              nd[j] - 32 : nd[j]) : nd[j];
				/* A match just past the window must not count. */
				if (n + m <= sizeof buf)
					memcpy(buf + n, nd, m);
				assert_ptr_equal(uk_log_ci_find(buf, n, nd), ref_find(buf, n, nd));
			}
		}
	}
}

static int ref_shape(const char *l)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd, ";
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? !(l[i] >= '0' && l[i] <= '9') : l[i] != shape[i])
			return 0;
	return 1;
}

static void test_stamp_shape(void **state)
{
	static const char good[] = "2024-01-24 21:00:01, Info                  [0x000000] x";
	static const unsigned char spoil[] = { '/', ':', '0' - 1, '9' + 1, 0x80, 0xB0, 0xFF, 0,
	                                       ' ', '-', ',', 'a', '5' };
	char line[sizeof good];
	uk_log_prefix pf;

	(void)state;
	assert_int_equal(uk_log_parse_prefix(good, sizeof good - 1, &pf), 1);
	assert_string_equal(pf.time, "2024-01-24T21:00:01");
	for (size_t i = 0; i < 21; i++) {
		for (size_t k = 0; k < sizeof spoil; k++) {
			memcpy(line, good, sizeof good);
			line[i] = (char)spoil[k];
			int want = ref_shape(line);
			uk_log_parse_prefix(line, sizeof good - 1, &pf);
			/* Without the stamp the line is read as level-first, which
			 * this line is not: the time stays empty either way. */
			assert_int_equal(pf.time[0] != '\0', want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ci_find_windows),
		cmocka_unit_test(test_stamp_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
