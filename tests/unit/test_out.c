#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "out.h"

static void cmtrace_line_layout(void **state)
{
	struct timespec ts = { 0, 123456789 };
	struct tm tm;
	char buf[512];
	size_t n;

	memset(&tm, 0, sizeof(tm));
	tm.tm_hour = 4;
	tm.tm_min = 5;
	tm.tm_sec = 6;
	tm.tm_mday = 22;
	tm.tm_mon = 10;
	tm.tm_year = 126;
	n = uk_cmtrace_format(buf, sizeof(buf), "3 files at risk", "usmt-verify", 2, 77, &ts, &tm,
	                      -60);
	assert_string_equal(buf, "<![LOG[3 files at risk]LOG]!><time=\"04:05:06.123-060\" "
	                         "date=\"11-22-2026\" component=\"usmt-verify\" context=\"\" "
	                         "type=\"2\" thread=\"77\" file=\"\">");
	assert_int_equal(n, strlen(buf));
	uk_cmtrace_format(buf, sizeof(buf), "x", "usmt-purge", 1, 1, &ts, &tm, 420);
	assert_non_null(strstr(buf, "time=\"04:05:06.123+420\""));
	/* Truncation keeps a terminated string. */
	n = uk_cmtrace_format(buf, 10, "long message", "c", 1, 1, &ts, &tm, 0);
	assert_int_equal(n, 9);
	assert_int_equal(strlen(buf), 9);
}

static void escape_for_text_output(void **state)
{
	char *s = uk_out_escape("C:\\a b\n\tc\x01\xff\xc3\xa9");

	assert_string_equal(s, "C:\\a b\\n\\tc\\x01\\xff\xc3\xa9");
	free(s);
}

/* The printable-ASCII runs copied whole: their edges, and what ends them. */
static void escape_runs(void **state)
{
	static const char *const cases[][2] = {
		{ "", "" },
		{ " ~", " ~" },
		{ "a\x7f" "b", "a\\x7fb" },
		{ "\r\n", "\\r\\n" },
		{ "\xc3\xa9z\x1f", "\xc3\xa9z\\x1f" },
		{ "ok\xc3", "ok\\xc3" },
		{ "\xe2\x82\xac 5", "\xe2\x82\xac 5" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = uk_out_escape(cases[i][0]);
		assert_non_null(s);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
}

static void human_sizes(void **state)
{
	char b[32];

	assert_string_equal(uk_out_bytes(0, b), "0 B");
	assert_string_equal(uk_out_bytes(1023, b), "1023 B");
	assert_string_equal(uk_out_bytes(1536, b), "1.5 KiB");
	assert_string_equal(uk_out_bytes(8ULL << 30, b), "8.0 GiB");
}

static void cmtrace_log_file(void **state)
{
	const char *path = "test_out.tmp.log";
	char line[1024];
	FILE *f;

	remove(path);
	uk_out_init("usmt-test");
	uk_out_quiet(1);
	assert_int_equal(uk_out_open_log(path), 0);
	uk_info("hello %d", 42);
	uk_error("bad %s", "thing");
	uk_out_close();
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, "<![LOG[hello 42]LOG]!>"));
	assert_non_null(strstr(line, "component=\"usmt-test\""));
	assert_non_null(strstr(line, "type=\"1\""));
	assert_non_null(strstr(line, "\r\n"));
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, "<![LOG[bad thing]LOG]!>"));
	assert_non_null(strstr(line, "type=\"3\""));
	fclose(f);
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cmtrace_line_layout),
		cmocka_unit_test(escape_for_text_output),
		cmocka_unit_test(escape_runs),
		cmocka_unit_test(human_sizes),
		cmocka_unit_test(cmtrace_log_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
