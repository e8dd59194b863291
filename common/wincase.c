/* Case-insensitive file-name comparison as Windows does it (wincase.h). */
#include <string.h>

#include "utf8.h"
#include "wincase.h"

#define BADBYTE 0x80000000u /* an invalid byte: compares as itself */

uint32_t uk_wincase_fold(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c >= 0x100 && c <= 0x137 && c != 0x130 && c != 0x131)
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c >= 0x14A && c <= 0x177)
		return c | 1;
	if (c == 0x178)
		return 0xFF;
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 32;
	if (c == 0x3C2) /* final sigma */
		return 0x3C3;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

/* The folded code point at s (advancing *s); 0 at the end. */
static uint32_t next(const unsigned char **s, const unsigned char *end)
{
	const unsigned char *p = *s;
	size_t k;
	uint32_t c;

	if (p >= end)
		return 0;
	k = uk_utf8_decode(p, (size_t)(end - p), &c);
	if (k == 0) {
		*s = p + 1;
		return BADBYTE + *p;
	}
	*s = p + k;
	return uk_wincase_fold(c);
}

int uk_wincase_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	const unsigned char *pe = p + strlen(a), *qe = q + strlen(b);

	for (;;) {
		uint32_t x = next(&p, pe), y = next(&q, qe);
		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			return 0;
	}
}

size_t uk_wincase_prefix(const char *s, const char *prefix, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)prefix;
	const unsigned char *pe = p + strlen(s), *qe = q + n;

	while (q < qe) {
		uint32_t y = next(&q, qe);
		if (next(&p, pe) != y)
			return 0;
	}
	return (size_t)(p - (const unsigned char *)s);
}

uint32_t uk_wincase_hash(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *e = NULL;
	uint32_t h = 2166136261u, c;

	/* ASCII folds without decoding: verify hashes every restored name twice,
	 * and this was 4 % of a linked run's instructions (docs/BENCHMARKS.md). */
	for (;;) {
		if (*p && *p < 0x80) {
			c = *p++;
			if (c >= 'A' && c <= 'Z')
				c += 32;
		} else {
			if (!e)
				e = p + strlen((const char *)p);
			if ((c = next(&p, e)) == 0)
				break;
		}
		h = (h ^ c) * 16777619u;
	}
	return h;
}
