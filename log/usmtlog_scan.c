/* Scanning one LoadState/ScanState line: fixed-position checks and plain
 * loops, no regular expressions (a 512 MiB log must read near disk speed). */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "usmtlog_int.h"

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int isdig(int c) { return c >= '0' && c <= '9'; }
static int isalpha_(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int isalnum_(int c) { return isdig(c) || isalpha_(c); }

/* 1 when c[from..m) is needle[from..m), either case. */
static inline int ci_rest(const char *c, const char *needle, size_t from, size_t m)
{
	while (from < m && lc((unsigned char)c[from]) == lc((unsigned char)needle[from]))
		from++;
	return from == m;
}

/* Candidates for the needle's first character come from memchr (vectorised
 * in libc), once per case, instead of a case-folding test on every byte:
 * 9 % fewer usmt-report instructions on a LoadState log (docs/BENCHMARKS.md). */
const char *uk_log_ci_find(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	int lo = lc((unsigned char)needle[0]);
	int up = lo >= 'a' && lo <= 'z' ? lo - 32 : lo;
	const char *a, *b, *end;

	if (m == 0 || m > n)
		return m == 0 ? s : NULL;
	end = s + n - m + 1; /* a match starts before end */
#ifdef __SSE2__
	/* The 40- and 64-byte windows searched on every line: the candidate
	 * starts of 16 bytes at a time in one mask (two memchr calls cost more). */
	if (end - s <= 64) {
		size_t starts = (size_t)(end - s);
		__m128i vlo = _mm_set1_epi8((char)lo), vup = _mm_set1_epi8((char)up);
		for (size_t base = 0; base < starts; base += 16) {
			unsigned mask = 0;
			if (base + 16 <= n) {
				__m128i v = _mm_loadu_si128((const __m128i *)(s + base));
				mask = (unsigned)_mm_movemask_epi8(
					_mm_or_si128(_mm_cmpeq_epi8(v, vlo), _mm_cmpeq_epi8(v, vup)));
			} else {
				for (size_t k = 0; base + k < starts; k++) {
					int ch = (unsigned char)s[base + k];
					mask |= (unsigned)(ch == lo || ch == up) << k;
				}
			}
			if (starts - base < 16)
				mask &= (1u << (starts - base)) - 1;
			for (; mask; mask &= mask - 1) {
				const char *c = s + base + (size_t)__builtin_ctz(mask);
				if (ci_rest(c, needle, 1, m))
					return c;
			}
		}
		return NULL;
	}
#endif
	a = memchr(s, lo, (size_t)(end - s));
	b = up != lo ? memchr(s, up, (size_t)(end - s)) : NULL;
	while (a || b) {
		const char *c = !b || (a && a < b) ? a : b;
		if (ci_rest(c, needle, 1, m))
			return c;
		if (c == a)
			a = memchr(a + 1, lo, (size_t)(end - a - 1));
		else
			b = memchr(b + 1, up, (size_t)(end - b - 1));
	}
	return NULL;
}

void uk_log_ci_scan(const char *s, size_t n, const uk_log_needle *nd, size_t count,
                    const char **found)
{
	for (size_t i = 0; i < count; i++) {
		const uk_log_needle *d = &nd[i];
		size_t lim = d->window < n ? d->window : n;
		size_t starts = lim >= d->len ? lim - d->len + 1 : 0; /* a match starts before */
		int p0 = d->text[d->k] | 0x20, p1 = d->text[d->k + 1] | 0x20;
#ifdef __SSE2__
		/* x | 0x20 is the lower-case letter only for that letter in either case. */
		__m128i fold = _mm_set1_epi8(0x20);
		__m128i c0 = _mm_set1_epi8((char)p0), c1 = _mm_set1_epi8((char)p1);
#endif

		found[i] = NULL;
		for (size_t base = 0; base < starts && !found[i]; base += 16) {
			const unsigned char *b = (const unsigned char *)s + base + d->k;
			size_t here = starts - base < 16 ? starts - base : 16;
			unsigned mask = 0;
#ifdef __SSE2__
			if (base + d->k + 17 <= n) {
				__m128i v0 = _mm_or_si128(_mm_loadu_si128((const __m128i *)b), fold);
				__m128i v1 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(b + 1)), fold);
				mask = (unsigned)_mm_movemask_epi8(
					_mm_and_si128(_mm_cmpeq_epi8(v0, c0), _mm_cmpeq_epi8(v1, c1)));
				mask &= here < 16 ? (1u << here) - 1 : 0xFFFFu;
			} else
#endif
			{
				/* The pair of a match starting before `starts` is inside s. */
				for (size_t j = 0; j < here; j++)
					mask |= (unsigned)((b[j] | 0x20) == p0 && (b[j + 1] | 0x20) == p1) << j;
			}
			for (; mask; mask &= mask - 1) {
				const char *c = s + base + (size_t)__builtin_ctz(mask);
				if (ci_rest(c, d->text, 0, d->len)) {
					found[i] = c;
					break;
				}
			}
		}
	}
}

int uk_log_ci_prefix(const char *s, const char *prefix)
{
	while (*prefix) {
		if (lc((unsigned char)*s) != lc((unsigned char)*prefix))
			return 0;
		s++, prefix++;
	}
	return 1;
}

void uk_log_copy(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (n >= dstlen) {
		n = dstlen - 1;
		/* Never cut a UTF-8 sequence in half. */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Indexed by enum uk_log_level. */
static const char *const uk_log_level_word[] = { "Info", "Status", "Warning", "Error" };

static int level_of(const char *w, size_t n)
{
	switch (n) {
	case 4: return memcmp(w, "Info", 4) == 0 ? UK_LOG_INFO : UK_LOG_OTHER;
	case 5: return memcmp(w, "Error", 5) == 0 ? UK_LOG_ERROR : UK_LOG_OTHER;
	case 6: return memcmp(w, "Status", 6) == 0 ? UK_LOG_STATUS : UK_LOG_OTHER;
	case 7: return memcmp(w, "Warning", 7) == 0 ? UK_LOG_WARNING : UK_LOG_OTHER;
	default: return UK_LOG_OTHER;
	}
}

/* 1 for 0-9, a-f, A-F. */
static const unsigned char hexdig[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
};

/* The column LoadState pads every level to: `Info` and 18 spaces, then the
 * code at 22. The level word when s starts so (the general loop would find
 * the same word and column), else -1. */
static int padded_level(const char *s, size_t len, size_t *w)
{
	static const char spaces[22] = "                      ";
	int level;

	if (len < 25 || s[21] != ' ' || s[22] != '[')
		return -1;
	switch (s[0]) {
	case 'I': level = UK_LOG_INFO, *w = 4; break;
	case 'S': level = UK_LOG_STATUS, *w = 6; break;
	case 'W': level = UK_LOG_WARNING, *w = 7; break;
	case 'E': level = UK_LOG_ERROR, *w = 5; break;
	default: return -1;
	}
	if (memcmp(s, uk_log_level_word[level], *w) != 0 || memcmp(s + *w, spaces, 22 - *w) != 0)
		return -1;
	return level;
}

/* "Level<spaces>[0xHHHHHH] " from s; returns the offset after it or 0. */
static size_t parse_level_code(const char *s, size_t len, uk_log_prefix *pf)
{
	size_t i = 0, w;
	int level = padded_level(s, len, &w);

	if (level >= 0) {
		i = 22;
	} else {
		while (i < len && isalpha_((unsigned char)s[i]))
			i++;
		if (i == 0 || i > 16)
			return 0;
		w = i;
		/* LoadState pads the level to a column: eight spaces at a time. */
		while (i + 8 <= len && memcmp(s + i, "        ", 8) == 0)
			i += 8;
		while (i < len && s[i] == ' ')
			i++;
		if (i == w)
			return 0;
	}
	if (i + 3 > len || s[i] != '[' || s[i + 1] != '0' || s[i + 2] != 'x')
		return 0;
	size_t h = i + 3, start = i + 1;
	while (h < len && h - start < 12 && hexdig[(unsigned char)s[h]])
		h++;
	if (h >= len || s[h] != ']')
		return 0;
	pf->level = level >= 0 ? level : level_of(s, w);
	/* At most 12 bytes: the code always fits. */
	memcpy(pf->code, s + start, h - start);
	pf->code[h - start] = '\0';
	h++;
	if (h < len && s[h] == ' ')
		h++;
	return h;
}

/* "dddd-dd-dd dd:dd:dd, " at l (21 bytes there), eight bytes at a time: the
 * separators compared whole, the digits tested together (a byte x = c ^ '0'
 * is a digit when x < 10: x + 0x76 leaves bit 7 clear; a byte of x with bit
 * 7 set fails by itself, so its carry into the next byte changes nothing).
 * Masks and patterns are byte strings, so byte order does not matter. */
static int stamp_shape(const char *l)
{
	static const char dm[3][8] = { "\xff\xff\xff\xff\0\xff\xff\0",
	                               "\xff\xff\0\xff\xff\0\xff\xff",
	                               "\0\xff\xff\0\xff\xff\0\0" };
	static const char sep[3][8] = { "\0\0\0\0-\0\0-", "\0\0 \0\0:\0\0", ":\0\0:\0\0, " };
	static const unsigned char off[3] = { 0, 8, 13 };
	uint64_t bad = 0;

	for (int i = 0; i < 3; i++) {
		uint64_t w, m, p, x;
		memcpy(&w, l + off[i], 8);
		memcpy(&m, dm[i], 8);
		memcpy(&p, sep[i], 8);
		x = (w ^ 0x3030303030303030ULL) & m;
		bad |= (w & ~m) ^ p;
		bad |= ((x + 0x7676767676767676ULL) | x) & 0x8080808080808080ULL & m;
	}
	return bad == 0;
}

int uk_log_parse_prefix(const char *line, size_t len, uk_log_prefix *pf)
{
	size_t n = sizeof "dddd-dd-dd dd:dd:dd, " - 1, off;

	pf->time[0] = '\0';
	if (len >= n) {
		if (stamp_shape(line)) {
			off = parse_level_code(line + n, len - n, pf);
			if (off == 0)
				return 0;
			memcpy(pf->time, line, 19);
			pf->time[10] = 'T';
			pf->time[19] = '\0';
			pf->msg_off = n + off;
			return 1;
		}
	}
	off = parse_level_code(line, len, pf);
	if (off == 0 || pf->level == UK_LOG_OTHER)
		return 0;
	pf->msg_off = off;
	return 1;
}

long uk_log_strip_gle(const char *msg, size_t *len)
{
	size_t n = *len;
	const char *p;
	long v;

	if (n < 8 || msg[n - 1] != ']')
		return -1;
	for (p = msg + n - 2; p > msg && *p != '['; p--)
		;
	if (*p != '[' || !uk_log_ci_prefix(p, "[gle="))
		return -1;
	if (uk_log_number(p + 5, &v) == 0)
		return -1;
	while (p > msg && p[-1] == ' ')
		p--;
	*len = (size_t)(p - msg);
	return v;
}

size_t uk_log_number(const char *s, long *val)
{
	unsigned long long v = 0;
	size_t i = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		int d;
		i = 2;
		for (;; i++) {
			int c = lc((unsigned char)s[i]);
			if (isdig(c))
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else
				break;
			if (v < 0x100000000ULL)
				v = v * 16 + (unsigned)d;
		}
		if (i == 2)
			return 0;
		/* HRESULT_FROM_WIN32: 0x8007xxxx carries the Win32 code in its low word. */
		if ((v & 0xFFFF0000ULL) == 0x80070000ULL)
			v &= 0xFFFF;
	} else {
		while (isdig((unsigned char)s[i])) {
			if (v < 0x100000000ULL)
				v = v * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		if (i == 0)
			return 0;
	}
	if (isalnum_((unsigned char)s[i]))
		return 0; /* "error 12abc" is not a code */
	*val = v > 0x7FFFFFFFULL ? 0x7FFFFFFFL : (long)v;
	return i;
}

/* `Error 112`, `Read error 395 for`, `error code: 0x00000534`, `error code 5`. */
long uk_log_find_win32(const char *msg)
{
	size_t n = strlen(msg);
	const char *p = msg;

	while ((p = uk_log_ci_find(p, n - (size_t)(p - msg), "error")) != NULL) {
		const char *q = p + 5;
		long v;
		if (p > msg && isalpha_((unsigned char)p[-1])) {
			p = q;
			continue;
		}
		if (uk_log_ci_prefix(q, " code"))
			q += 5;
		while (*q == ':' || *q == '=' || *q == ' ')
			q++;
		if (q != p + 5 && uk_log_number(q, &v) > 0)
			return v;
		p += 5;
	}
	return -1;
}

/* Characters Windows forbids in names end a plain path. */
static int ends_path(const char *s)
{
	unsigned char c = (unsigned char)*s;
	if (c < 0x20 || c == '"' || c == '<' || c == '>' || c == '|' || c == '?' || c == '*' ||
	    c == ':')
		return 1;
	/* A GetLastError suffix is never part of a name. */
	if (c == '[' && uk_log_ci_prefix(s, "[gle="))
		return 1;
	/* Phrases that follow a path in USMT messages. */
	if (c == ' ' && (s[1] == '-' && s[2] == '>'))
		return 1;
	if (c == ' ' && s[1] == '(' && isdig((unsigned char)s[2]))
		return 1;
	if (c == '.' && s[1] == ' ' && (s[2] >= 'A' && s[2] <= 'Z'))
		return 1;
	if (c == ',' && s[1] == ' ' && (uk_log_ci_prefix(s + 2, "error") ||
	    uk_log_ci_prefix(s + 2, "aborting") || uk_log_ci_prefix(s + 2, "win32") ||
	    uk_log_ci_prefix(s + 2, "hr")))
		return 1;
	return 0;
}

static int is_drive_path(const char *s)
{
	return isalpha_((unsigned char)s[0]) && s[1] == ':' && s[2] == '\\';
}

/* A Windows name cannot end in a space or a dot: trailing ones are prose. */
static size_t trim_path(const char *p, size_t n)
{
	while (n > 3 && (p[n - 1] == ' ' || p[n - 1] == '.'))
		n--;
	return n;
}

const char *uk_log_find_path(const char *msg, size_t *len)
{
	for (const char *s = msg; *s; s++) {
		if (s[0] == '{' && s[1] == '"' && is_drive_path(s + 2)) {
			const char *e = strstr(s + 2, "\"}");
			size_t n = e ? (size_t)(e - s - 2) : strlen(s + 2);
			*len = trim_path(s + 2, n);
			return s + 2;
		}
		if (is_drive_path(s) && (s == msg || !isalnum_((unsigned char)s[-1]))) {
			size_t n = 3;
			while (s[n] && !ends_path(s + n))
				n++;
			*len = trim_path(s, n);
			return s;
		}
	}
	return NULL;
}

void uk_log_stamp(const char *s, char *out, size_t outlen)
{
	static const char shape[] = "dddd/dd/dd:dd:dd:dd";
	size_t i, n = sizeof shape - 1;

	for (i = 0; i < n; i++)
		if (shape[i] == 'd' ? !isdig((unsigned char)s[i]) : s[i] != shape[i])
			break;
	if (i < n || outlen < 24) {
		size_t m = 0;
		/* uk_log_copy cuts to outlen on a UTF-8 boundary. */
		while (s[m] && s[m] != ' ')
			m++;
		uk_log_copy(out, outlen, s, m);
		return;
	}
	memcpy(out, s, n);
	out[4] = out[7] = '-';
	out[10] = 'T';
	i = n;
	if (s[i] == '.')
		while ((i == n || isdig((unsigned char)s[i])) && i < n + 4)
			out[i] = s[i], i++;
	out[i] = '\0';
}

int uk_log_has_c_switch(const char *cmd)
{
	const char *s = cmd;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *t = s;
		int quoted = 0;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"')
				quoted = !quoted;
			s++;
		}
		if (s - t == 2 && (t[0] == '/' || t[0] == '-') && lc((unsigned char)t[1]) == 'c')
			return 1;
	}
	return 0;
}
