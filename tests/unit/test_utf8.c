/* utf8.c: the one UTF-8 decoder and encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

#define UNTOUCHED 0xdeadbeefu

/* Decodes the whole of s (len bytes): its code point, or UNTOUCHED when the
 * decoder refuses it or reads a length other than len. */
static uint32_t dec(const char *s, size_t len)
{
	uint32_t cp = UNTOUCHED;
	size_t n = uk_utf8_decode((const unsigned char *)s, len, &cp);

	if (n == 0) {
		assert_int_equal(cp, UNTOUCHED); /* a refusal leaves *cp alone */
		assert_int_equal(uk_utf8_seqlen((const unsigned char *)s, len), 0);
		return UNTOUCHED;
	}
	assert_int_equal(uk_utf8_seqlen((const unsigned char *)s, len), n);
	return n == len ? cp : UNTOUCHED;
}

static void valid_boundaries(void **state)
{
	assert_int_equal(dec("A", 1), 0x41);
	assert_int_equal(dec("\x7f", 1), 0x7f);
	assert_int_equal(dec("\xc2\x80", 2), 0x80);
	assert_int_equal(dec("\xdf\xbf", 2), 0x7ff);
	assert_int_equal(dec("\xe0\xa0\x80", 3), 0x800);
	assert_int_equal(dec("\xed\x9f\xbf", 3), 0xd7ff);   /* just below the surrogates */
	assert_int_equal(dec("\xee\x80\x80", 3), 0xe000);   /* just above them */
	assert_int_equal(dec("\xef\xbf\xbf", 3), 0xffff);
	assert_int_equal(dec("\xf0\x90\x80\x80", 4), 0x10000);
	assert_int_equal(dec("\xf4\x8f\xbf\xbf", 4), 0x10ffff);
	assert_int_equal(dec("\xc3\xa9", 2), 0xe9);          /* é */
	assert_int_equal(dec("\xf0\x9f\x98\x80", 4), 0x1f600); /* 😀 */
	/* Only the first sequence is read: the rest is the caller's. */
	{
		uint32_t cp = 0;
		assert_int_equal(uk_utf8_decode((const unsigned char *)"\xc3\xa9z", 3, &cp), 2);
		assert_int_equal(cp, 0xe9);
	}
}

static void invalid_sequences(void **state)
{
	uint32_t cp = UNTOUCHED;

	assert_int_equal(uk_utf8_decode((const unsigned char *)"A", 0, &cp), 0); /* nothing */
	assert_int_equal(cp, UNTOUCHED);
	assert_int_equal(dec("\x80", 1), UNTOUCHED);             /* stray continuation */
	assert_int_equal(dec("\xbf", 1), UNTOUCHED);
	assert_int_equal(dec("\xe2\x28\xa1", 3), UNTOUCHED);     /* continuation missing */
	assert_int_equal(dec("\xc3\x28", 2), UNTOUCHED);
	assert_int_equal(dec("\xe2\x82", 2), UNTOUCHED);         /* truncated */
	assert_int_equal(dec("\xf0\x9f\x98", 3), UNTOUCHED);
	assert_int_equal(dec("\xfe", 1), UNTOUCHED);             /* never in UTF-8 */
	assert_int_equal(dec("\xff", 1), UNTOUCHED);
}

static void overlong_forms(void **state)
{
	assert_int_equal(dec("\xc0\x80", 2), UNTOUCHED);         /* U+0000 in two bytes */
	assert_int_equal(dec("\xc1\xbf", 2), UNTOUCHED);         /* U+007F in two */
	assert_int_equal(dec("\xe0\x80\xaf", 3), UNTOUCHED);     /* '/' in three */
	assert_int_equal(dec("\xe0\x9f\xbf", 3), UNTOUCHED);     /* U+07FF in three */
	assert_int_equal(dec("\xf0\x80\x80\xaf", 4), UNTOUCHED); /* '/' in four */
	assert_int_equal(dec("\xf0\x8f\xbf\xbf", 4), UNTOUCHED); /* U+FFFF in four */
}

static void surrogates_and_top(void **state)
{
	unsigned char o[UK_UTF8_MAX];

	assert_int_equal(dec("\xed\xa0\x80", 3), UNTOUCHED); /* U+D800 */
	assert_int_equal(dec("\xed\xaf\xbf", 3), UNTOUCHED); /* U+DBFF */
	assert_int_equal(dec("\xed\xb0\x80", 3), UNTOUCHED); /* U+DC00 */
	assert_int_equal(dec("\xed\xbf\xbf", 3), UNTOUCHED); /* U+DFFF */
	/* CESU-8: a pair encoded as two 3-byte surrogates is not UTF-8. */
	assert_int_equal(dec("\xed\xa0\xbd\xed\xb8\x80", 6), UNTOUCHED);
	assert_int_equal(dec("\xf4\x90\x80\x80", 4), UNTOUCHED); /* U+110000 */
	assert_int_equal(dec("\xf5\x80\x80\x80", 4), UNTOUCHED);
	assert_int_equal(dec("\xf7\xbf\xbf\xbf", 4), UNTOUCHED);
	/* Nothing without a UTF-8 form is ever written: U+FFFD stands in. */
	assert_int_equal(uk_utf8_encode(0xd800, o), 3);
	assert_memory_equal(o, "\xef\xbf\xbd", 3);
	assert_int_equal(uk_utf8_encode(0xdfff, o), 3);
	assert_memory_equal(o, "\xef\xbf\xbd", 3);
	assert_int_equal(uk_utf8_encode(0x110000, o), 3);
	assert_memory_equal(o, "\xef\xbf\xbd", 3);
	assert_int_equal(uk_utf8_encode(0xffffffffu, o), 3);
	assert_memory_equal(o, "\xef\xbf\xbd", 3);
}

static void encode_boundaries(void **state)
{
	static const struct { uint32_t cp; const char *bytes; } t[] = {
		{ 0x00, "\x00" }, { 0x7f, "\x7f" }, { 0x80, "\xc2\x80" }, { 0x7ff, "\xdf\xbf" },
		{ 0x800, "\xe0\xa0\x80" }, { 0xd7ff, "\xed\x9f\xbf" }, { 0xe000, "\xee\x80\x80" },
		{ 0xfffd, "\xef\xbf\xbd" }, { 0xffff, "\xef\xbf\xbf" },
		{ 0x10000, "\xf0\x90\x80\x80" }, { 0x10ffff, "\xf4\x8f\xbf\xbf" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned char o[UK_UTF8_MAX];
		size_t want = t[i].cp ? strlen(t[i].bytes) : 1;

		assert_int_equal(uk_utf8_encode(t[i].cp, o), want);
		assert_memory_equal(o, t[i].bytes, want);
	}
}

/* Every scalar value survives encode -> decode, in the shortest form. */
static void round_trip_every_code_point(void **state)
{
	for (uint32_t c = 0; c <= 0x10ffff; c++) {
		unsigned char o[UK_UTF8_MAX];
		uint32_t back = UNTOUCHED;
		size_t n, want;

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		want = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		n = uk_utf8_encode(c, o);
		if (n != want || uk_utf8_decode(o, n, &back) != n || back != c)
			fail_msg("U+%04X: encoded in %u bytes, decoded as U+%04X", (unsigned)c, (unsigned)n,
			         (unsigned)back);
	}
}

/* And the other way: every 2- and 3-byte string the decoder accepts is
 * exactly the encoding of what it decodes to (no second spelling slips in). */
static void decode_accepts_only_shortest(void **state)
{
	unsigned accepted = 0;

	for (unsigned a = 0x80; a <= 0xff; a++) {
		for (unsigned b = 0; b <= 0xff; b++) {
			for (unsigned c = 0; c <= (a >= 0xe0 ? 0xffu : 0u); c++) {
				unsigned char s[3] = { (unsigned char)a, (unsigned char)b,
				                       (unsigned char)c }, o[UK_UTF8_MAX];
				uint32_t cp;
				size_t len = a >= 0xe0 ? 3 : 2;
				size_t n = uk_utf8_decode(s, len, &cp);

				if (n == 0)
					continue;
				accepted++;
				if (n != len || uk_utf8_encode(cp, o) != n || memcmp(o, s, n) != 0)
					fail_msg("%02x %02x %02x accepted as U+%04X", a, b, c,
					         (unsigned)cp);
			}
		}
	}
	/* U+0080..U+07FF in two bytes; U+0800..U+FFFF without surrogates in three. */
	assert_int_equal(accepted, (0x800 - 0x80) + (0x10000 - 0x800 - 0x800));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_boundaries),
		cmocka_unit_test(invalid_sequences),
		cmocka_unit_test(overlong_forms),
		cmocka_unit_test(surrogates_and_top),
		cmocka_unit_test(encode_boundaries),
		cmocka_unit_test(round_trip_every_code_point),
		cmocka_unit_test(decode_accepts_only_shortest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
