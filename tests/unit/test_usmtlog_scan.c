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

/* uk_log_ci_scan() finds what uk_log_ci_find() finds in each needle's
 * window, on a buffer of exactly n bytes (malloc'd: a read past it is an
 * ASan error), so both the 16-byte path and the tail's byte path run. */
static void test_ci_scan_windows(void **state)
{
	static const uk_log_needle nd[] = {
		{ "return code", 11, 40, 3 },
		{ "An error occurred processing the command line", 45, 64, 10 },
		{ "ab", 2, 5, 0 },
	};
	enum { COUNT = sizeof nd / sizeof *nd };

	(void)state;
	for (size_t k = 0; k < COUNT; k++) {
		const char *t = nd[k].text;
		size_t m = nd[k].len;
		for (size_t n = 0; n <= 90; n++) {
			for (size_t at = 0; at <= n + 1; at++) {
				char *buf = malloc(n ? n : 1);
				const char *found[COUNT];
				assert_non_null(buf);
				/* Decoys: the needle's pair of letters without the rest, in
				 * both cases, and '@' / '`' that fold onto letters. */
				for (size_t i = 0; i < n; i++)
					buf[i] = i % 6 == 0 ? t[nd[k].k] : i % 6 == 1 ? t[nd[k].k + 1] :
					         i % 6 == 2 ? (char)(t[nd[k].k] ^ 0x20) : i % 6 == 3 ? '@' : '`';
				if (at + m <= n)
					for (size_t j = 0; j < m; j++)
						buf[at + j] = j % 2 ? (char)(t[j] >= 'a' && t[j] <= 'z' ?
						                             t[j] - 32 : t[j]) : t[j];
				uk_log_ci_scan(buf, n, nd, COUNT, found);
				for (size_t i = 0; i < COUNT; i++) {
					size_t w = nd[i].window < n ? nd[i].window : n;
					assert_ptr_equal(found[i], ref_find(buf, w, nd[i].text));
				}
				free(buf);
			}
		}
	}
}

/* The level column: LoadState's padding (the word and spaces to column 22
 * after the stamp) and every other padding read alike; a word that is no
 * level is still a dated record. */
static void test_level_padding(void **state)
{
	static const char *const words[] = { "Info", "Status", "Warning", "Error", "Verbose" };
	static const int levels[] = { UK_LOG_INFO, UK_LOG_STATUS, UK_LOG_WARNING, UK_LOG_ERROR,
	                              UK_LOG_OTHER };
	char line[128];
	uk_log_prefix pf;

	(void)state;
	for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
		for (int pad = 0; pad <= 30; pad++) {
			int n = snprintf(line, sizeof line, "2024-01-24 21:00:01, %s%*s[0x0803bA] msg",
			                 words[w], pad, "");
			int ok = uk_log_parse_prefix(line, (size_t)n, &pf);
			assert_int_equal(ok, pad > 0);
			if (!ok)
				continue;
			assert_int_equal(pf.level, levels[w]);
			assert_string_equal(pf.code, "0x0803bA");
			assert_int_equal(pf.msg_off, 21 + strlen(words[w]) + (size_t)pad + 11);
		}
	}
	/* A code of twelve characters ("0x" and ten digits) fits; thirteen are
	 * no code, so no record. */
	static const char fits[] = "Info                  [0x0123456789] m";
	static const char over[] = "Info                  [0x0123456789a] m";
	assert_int_equal(uk_log_parse_prefix(fits, sizeof fits - 1, &pf), 1);
	assert_string_equal(pf.code, "0x0123456789");
	assert_int_equal(uk_log_parse_prefix(over, sizeof over - 1, &pf), 0);
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
		cmocka_unit_test(test_ci_scan_windows),
		cmocka_unit_test(test_level_padding),
		cmocka_unit_test(test_stamp_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
