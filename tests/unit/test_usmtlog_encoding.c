/* The log reader's encodings and malformed input: UTF-8 with and without
 * BOM, UTF-16LE, Windows-1252, LF/CRLF, any chunking, garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "readahead.h"
#include "usmtlog.h"
#include "usmtlog_collect.h"
#include "scratch.h"

#define I(msg) "2024-01-24 21:44:51, Info                  [0x000000] " msg "\n"
#define E(msg) "2024-01-24 21:44:51, Error                 [0x080000] " msg "\n"

static const char log_utf8[] =
	I("LOADSTATE.EXE Version 10.0.19041")
	I("USMT Started at 2024/01/24:21:40:02.120")
	E("Read error 32 for C:\\Users\\zoë\\Documents\\Café 日本.docx")
	E("Read error 5 for C:\\Users\\x\\😀 smile.txt")
	I("USMT Completed at 2024/01/24:21:44:51.690");

/* UTF-8 -> UTF-16LE (with BOM when bom) into a malloc'd buffer. */
static unsigned char *to_utf16(const char *s, int bom, size_t *n)
{
	size_t len = strlen(s), o = 0;
	unsigned char *b = malloc(4 * len + 2);

	if (bom) {
		b[o++] = 0xFF;
		b[o++] = 0xFE;
	}
	for (size_t i = 0; i < len;) {
		unsigned c = (unsigned char)s[i], k = 0;
		if (c >= 0xF0)
			c &= 0x07, k = 3;
		else if (c >= 0xE0)
			c &= 0x0F, k = 2;
		else if (c >= 0xC0)
			c &= 0x1F, k = 1;
		for (unsigned j = 1; j <= k; j++)
			c = (c << 6) | ((unsigned char)s[i + j] & 0x3F);
		i += k + 1;
		if (c >= 0x10000) {
			c -= 0x10000;
			unsigned hi = 0xD800 + (c >> 10), lo = 0xDC00 + (c & 0x3FF);
			b[o++] = hi & 0xFF, b[o++] = hi >> 8;
			b[o++] = lo & 0xFF, b[o++] = lo >> 8;
		} else {
			b[o++] = c & 0xFF, b[o++] = c >> 8;
		}
	}
	*n = o;
	return b;
}

static void check_same_as_utf8(uk_log_collect *c)
{
	assert_int_equal(c->nruns, 1);
	assert_string_equal(c->runs[0].version, "10.0.19041");
	assert_string_equal(c->runs[0].completed, "2024-01-24T21:44:51.690");
	assert_int_equal(c->nevents, 2);
	assert_string_equal(c->events[0].path, "C:\\Users\\zoë\\Documents\\Café 日本.docx");
	assert_int_equal(c->events[0].win32, 32);
	assert_string_equal(c->events[1].path, "C:\\Users\\x\\😀 smile.txt");
}

static void test_utf8(void **state)
{
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, log_utf8, sizeof log_utf8 - 1, &info);
	assert_string_equal(info.encoding, "utf-8");
	assert_false(info.crlf);
	check_same_as_utf8(&c);
	collect_free(&c);
}

static void test_utf8_bom(void **state)
{
	size_t n = sizeof log_utf8 - 1;
	char *b = malloc(n + 3);
	uk_log_collect c;
	uk_log_info info;

	memcpy(b, "\xEF\xBB\xBF", 3);
	memcpy(b + 3, log_utf8, n);
	collect_mem(&c, b, n + 3, &info);
	assert_string_equal(info.encoding, "utf-8-bom");
	check_same_as_utf8(&c);
	assert_int_equal(info.unknown_lines, 0);
	collect_free(&c);
	free(b);
}

static void test_utf16le_bom(void **state)
{
	size_t n;
	unsigned char *b = to_utf16(log_utf8, 1, &n);
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, b, n, &info);
	assert_string_equal(info.encoding, "utf-16le");
	check_same_as_utf8(&c);
	collect_free(&c);
	free(b);
}

static void test_utf16le_without_bom(void **state)
{
	size_t n;
	unsigned char *b = to_utf16(log_utf8, 0, &n);
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, b, n, &info);
	assert_string_equal(info.encoding, "utf-16le");
	check_same_as_utf8(&c);
	collect_free(&c);
	free(b);
}

/* b fed byte by byte and in odd-sized chunks gives exactly the findings of
 * log_utf8. */
static void check_any_chunking(const unsigned char *b, size_t n)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 4096 };

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		uk_log_collect c;
		uk_log_info info;
		memset(&c, 0, sizeof c);
		uk_log_sink s = collect_sink(&c);
		uk_log_parser *p = uk_log_new(&s);
		assert_non_null(p);
		for (size_t i = 0; i < n; i += sizes[k])
			uk_log_feed(p, b + i, n - i < sizes[k] ? n - i : sizes[k]);
		uk_log_finish(p, &info);
		uk_log_free(p);
		check_same_as_utf8(&c);
		collect_free(&c);
	}
}

static void test_any_chunking(void **state)
{
	size_t n;
	unsigned char *b = to_utf16(log_utf8, 1, &n);

	check_any_chunking(b, n);
	free(b);
}

/* UTF-8 in pieces that split its sequences: the reader checks each piece
 * as UTF-8 once, and a line cut between two pieces is read whole. */
static void test_utf8_any_chunking(void **state)
{
	check_any_chunking((const unsigned char *)log_utf8, sizeof log_utf8 - 1);
}

/* One ANSI line in a buffer of UTF-8 lines: the lines after it are still
 * UTF-8 (one bad byte does not make the rest of the buffer ANSI), the line
 * itself is Windows-1252. */
static void test_ansi_line_among_utf8(void **state)
{
	static const char mixed[] =
		I("USMT Started at 2024/01/24:21:40:02.120")
		E("Read error 32 for C:\\Users\\zo\xEB\\a.txt")
		E("Read error 5 for C:\\Users\\zoë\\b.txt")
		E("Read error 2 for C:\\Users\\x\\日本.txt");
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, mixed, sizeof mixed - 1, &info);
	assert_int_equal(c.nevents, 3);
	assert_string_equal(c.events[0].path, "C:\\Users\\zoë\\a.txt");
	assert_string_equal(c.events[1].path, "C:\\Users\\zoë\\b.txt");
	assert_string_equal(c.events[2].path, "C:\\Users\\x\\日本.txt");
	collect_free(&c);
}

/* Info lines appended to b (at *n) until the next line would pass `until`. */
static void fill_to(char *b, size_t *n, size_t until)
{
	static const char line[] = I("Processing the filler of a large log");

	while (*n + sizeof line - 1 <= until) {
		memcpy(b + *n, line, sizeof line - 1);
		*n += sizeof line - 1;
	}
}

static void put(char *b, size_t *n, const char *s)
{
	memcpy(b + *n, s, strlen(s));
	*n += strlen(s);
}

/* A log file read through the read-ahead thread, which checks each chunk as
 * UTF-8: a character split by the chunk boundary, an ANSI line in the
 * second chunk and UTF-8 lines after it are each read as they are. */
static void test_file_across_chunks(void **state)
{
	static const char straddle[] = "2024-01-24 21:44:51, Error                 [0x080000] "
	                               "Read error 32 for C:\\Users\\x\\";
	char *b = malloc(3 * (size_t)UK_RA_CHUNK);
	size_t n = 0;
	uk_log_collect c;
	uk_log_info info;
	FILE *f;

	assert_non_null(b);
	put(b, &n, I("LOADSTATE.EXE Version 10.0.19041"));
	put(b, &n, I("USMT Started at 2024/01/24:21:40:02.120"));
	/* The euro sign's first byte is the chunk's last. */
	fill_to(b, &n, UK_RA_CHUNK - 1 - (sizeof straddle - 1) - 80);
	put(b, &n, "2024-01-24 21:44:51, Info                  [0x000000] ");
	while (n < UK_RA_CHUNK - 1 - (sizeof straddle - 1) - 1)
		b[n++] = 'x';
	put(b, &n, "\n");
	put(b, &n, straddle);
	assert_int_equal(n, UK_RA_CHUNK - 1);
	put(b, &n, "\xE2\x82\xAC.txt\n");
	fill_to(b, &n, UK_RA_CHUNK + 5000);
	put(b, &n, E("Read error 5 for C:\\Users\\zo\xEB\\a.txt"));
	put(b, &n, E("Read error 2 for C:\\Users\\zoë\\b.txt"));
	fill_to(b, &n, 2 * (size_t)UK_RA_CHUNK + 100);
	put(b, &n, I("USMT Completed at 2024/01/24:21:44:51.690"));
	f = uk_fs_fopen(at("big.log"), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);

	memset(&c, 0, sizeof c);
	uk_log_sink s = collect_sink(&c);
	assert_int_equal(uk_log_parse_file_hashed(at("big.log"), &s, &info, NULL, NULL), 0);
	assert_int_equal(c.nruns, 1);
	assert_string_equal(c.runs[0].completed, "2024-01-24T21:44:51.690");
	assert_int_equal(c.nevents, 3);
	assert_string_equal(c.events[0].path, "C:\\Users\\x\\€.txt");
	assert_string_equal(c.events[1].path, "C:\\Users\\zoë\\a.txt");
	assert_string_equal(c.events[2].path, "C:\\Users\\zoë\\b.txt");
	assert_int_equal(c.nunknown, 0);
	collect_free(&c);
	free(b);
}

static void test_windows_1252(void **state)
{
	/* "zoë" and "Café" in ANSI, and a 0x80 (euro sign) and 0x81 (undefined). */
	static const char ansi[] =
		I("USMT Started at 2024/01/24:21:40:02.120")
		"2024-01-24 21:44:51, Error                 [0x080000] Read error 32 for "
		"C:\\Users\\zo\xEB\\Caf\xE9 \x80\x81.txt\r\n";
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, ansi, sizeof ansi - 1, &info);
	assert_string_equal(info.encoding, "windows-1252");
	assert_true(info.crlf);
	assert_int_equal(c.nevents, 1);
	assert_string_equal(c.events[0].path, "C:\\Users\\zoë\\Café €\xEF\xBF\xBD.txt");
	collect_free(&c);
}

static void test_nul_bytes_and_odd_utf16(void **state)
{
	static const char nul[] = "2024-01-24 21:44:51, Error                 [0x080000] a\0b "
	                          "Error 5 C:\\x\\y\0z\n";
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, nul, sizeof nul - 1, &info);
	assert_int_equal(c.nevents, 1);
	assert_string_equal(c.events[0].message, "a?b Error 5 C:\\x\\y?z");
	collect_free(&c);

	/* UTF-16 with an odd length and a lone surrogate. */
	static const unsigned char odd[] = { 0xFF, 0xFE, 'a', 0, 0x00, 0xD8, 'b', 0, '\n', 0, 'c' };
	collect_mem(&c, odd, sizeof odd, &info);
	assert_int_equal(info.lines, 2);
	assert_int_equal(c.nunknown, 2);
	assert_string_equal(c.unknown[0], "a\xEF\xBF\xBD" "b");
	assert_string_equal(c.unknown[1], "\xEF\xBF\xBD");
	collect_free(&c);
}

static void test_long_line_truncated(void **state)
{
	size_t n = 3 * UK_LOG_LINE_MAX;
	char *b = malloc(n + 200);
	const char *head = "2024-01-24 21:44:51, Error                 [0x080000] Read error 5 for C:\\";
	uk_log_collect c;
	uk_log_info info;

	strcpy(b, head);
	memset(b + strlen(head), 'a', n - strlen(head));
	strcpy(b + n, "\n" I("USMT Completed at 2024/01/24:21:44:51.690"));
	collect_mem(&c, b, strlen(b), &info);
	assert_int_equal(info.truncated_lines, 1);
	assert_int_equal(c.nevents, 1);
	assert_int_equal(c.events[0].win32, 5);
	assert_true(strlen(c.events[0].message) < UK_LOG_LINE_MAX);
	assert_string_equal(c.runs[0].completed, "2024-01-24T21:44:51.690");
	collect_free(&c);
	free(b);
}

/* Random bytes and format strings: never a crash, every line accounted. */
static void test_garbage(void **state)
{
	unsigned char *b = malloc(1 << 16);
	unsigned x = 12345;
	uk_log_collect c;
	uk_log_info info;

	for (size_t i = 0; i < 1 << 16; i++) {
		x = x * 1103515245 + 12345;
		b[i] = (unsigned char)(x >> 16);
	}
	collect_mem(&c, b, 1 << 16, &info);
	assert_int_equal(info.kind, UK_LOG_EMPTY);
	assert_true(info.unknown_lines > 100);
	assert_true(info.unknown_lines <= info.lines);
	assert_int_equal(c.nruns, 0);
	assert_int_equal(c.nevents, 0);
	collect_free(&c);
	free(b);

	static const char fmt[] = "%n%s%x%p\n" E("%s%n Error %d C:\\%n%s");
	collect_mem(&c, fmt, sizeof fmt - 1, &info);
	assert_int_equal(info.unknown_lines, 1);
	assert_int_equal(c.nevents, 1);
	assert_string_equal(c.events[0].path, "C:\\%n%s");
	collect_free(&c);

	collect_mem(&c, "", 0, &info);
	assert_int_equal(info.kind, UK_LOG_EMPTY);
	assert_int_equal(info.lines, 0);
	collect_free(&c);
}

/* Text that cannot be part of a record (NUL, control bytes, random bytes)
 * is counted as unknown, never joined to the record before it; plausible
 * continuation text (Unicode, tabs, Windows-1252, CRLF) still is. */
static void test_binary_not_continuation(void **state)
{
	static const char log[] =
		E("Read error 5 for C:\\Users\\x\\a.txt")
		"  continued\tÅ 日本 text\r\n"
		"\x01\x02\x7f\x80 binary\n"
		"\0\0\0\0\0\0\0\0\n"
		"  text after garbage is no continuation\n"
		E("Read error 32 for C:\\Users\\x\\b.txt")
		"  caf\xe9 in Windows-1252\n"
		"\x1b[0m escape\n"
		I("USMT Completed at 2024/01/24:21:44:51.690");
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, log, sizeof log - 1, &info);
	assert_int_equal(info.lines, 9);
	assert_int_equal(info.unknown_lines, 4);
	assert_int_equal(c.nunknown, 4);
	assert_int_equal(c.runs[0].unknown_lines, 4);
	assert_string_equal(c.unknown[1], "????????");
	assert_string_equal(c.unknown[2], "  text after garbage is no continuation");
	assert_int_equal(c.nevents, 2);
	assert_string_equal(c.events[0].message,
	                    "Read error 5 for C:\\Users\\x\\a.txt\n  continued\tÅ 日本 text");
	assert_string_equal(c.events[1].message,
	                    "Read error 32 for C:\\Users\\x\\b.txt\n  café in Windows-1252");
	assert_string_equal(c.runs[0].completed, "2024-01-24T21:44:51.690");
	collect_free(&c);
}

/* The same in UTF-16: NUL units, a lone surrogate, a non-character. */
static void test_binary_not_continuation_utf16(void **state)
{
	static const char text[] = E("Read error 5 for C:\\x\\a.txt") "  continued 😀\n";
	size_t n, m;
	unsigned char *b = to_utf16(text, 1, &n), *all = malloc(n + 64);
	static const unsigned char bad[] = {
		0, 0, 0, 0, '\n', 0,                /* NUL units */
		'a', 0, 0x00, 0xDC, 'b', 0, '\n', 0, /* a lone low surrogate */
		0xFF, 0xFF, '\n', 0,                 /* U+FFFF */
		'x', 0, 0x01, 0, '\n', 0,            /* a control character */
	};
	uk_log_collect c;
	uk_log_info info;

	memcpy(all, b, n);
	memcpy(all + n, bad, sizeof bad);
	m = n + sizeof bad;
	collect_mem(&c, all, m, &info);
	assert_string_equal(info.encoding, "utf-16le");
	assert_int_equal(info.unknown_lines, 4);
	assert_int_equal(c.nevents, 1);
	assert_string_equal(c.events[0].message, "Read error 5 for C:\\x\\a.txt\n  continued 😀");
	collect_free(&c);
	free(b);
	free(all);
}

static int stop_at_first_event(void *ctx, const uk_log_event *e)
{
	(*(int *)ctx)++;
	return 1;
}

static void test_callback_stops(void **state)
{
	int n = 0;
	uk_log_sink s = { .ctx = &n, .event = stop_at_first_event };
	uk_log_info info;

	assert_int_equal(uk_log_parse_mem(log_utf8, sizeof log_utf8 - 1, &s, &info), 1);
	assert_int_equal(n, 1);
	assert_true(info.stopped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_utf16le_bom),
		cmocka_unit_test(test_utf16le_without_bom),
		cmocka_unit_test(test_any_chunking),
		cmocka_unit_test(test_utf8_any_chunking),
		cmocka_unit_test(test_ansi_line_among_utf8),
		cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_nul_bytes_and_odd_utf16),
		cmocka_unit_test(test_long_line_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_binary_not_continuation),
		cmocka_unit_test(test_binary_not_continuation_utf16),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_file_across_chunks),
	};
	int rc;

	if (scratch_make("usmtlog-encoding") != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	scratch_remove();
	return rc;
}
