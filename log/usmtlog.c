/* The log reader's stream, record framing: encodings, lines, the record
 * prefix and continuation lines; what a record means is usmtlog_record.c's.
 * Memory is a few fixed buffers allocated once, whatever the size of the log. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "fs.h"
#include "utf8.h"
#include "readahead.h"
#include "usmtlog_int.h"

enum { ENC_UNDECIDED = 0, ENC_UTF8, ENC_UTF16LE };

struct uk_log_parser {
	uk_log_sink sink;
	int stopped;
	int enc, bom, any_1252;
	unsigned char head[4];
	size_t nhead;
	int have_odd;              /* UTF-16: a byte waiting for its pair */
	unsigned char odd;
	unsigned hi_surrogate;
	char *line;                /* the line being assembled (UTF-8 or 8-bit) */
	size_t nline;
	int line_cut;
	int line_bad;              /* UTF-16: a NUL, a lone surrogate or a non-character */
	char *conv;                /* a line converted from Windows-1252 */
	char *rec;                 /* the pending record: first line + continuations */
	size_t nrec, rec_first;     /* rec_first: the first line's bytes in rec */
	int has_rec, rec_cut;
	uk_log_prefix rec_pf;
	unsigned long rec_line;
	long rec_gle;              /* the first line's [gle=...], -1 none */
	int kind, crlf;
	unsigned long lineno, unknown, truncated;
	unsigned long pseq;
	uk_log_interp in;          /* what the records mean */
	uk_log_progress prog;
};

uk_log_parser *uk_log_new(const uk_log_sink *sink)
{
	uk_log_parser *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->line = malloc(UK_LOG_LINE_MAX + 4);
	p->conv = malloc(3 * UK_LOG_LINE_MAX + 4);
	p->rec = malloc(UK_LOG_LINE_MAX + 4);
	p->in.scratch = malloc(UK_LOG_LINE_MAX + 4);
	if (!p->line || !p->conv || !p->rec || !p->in.scratch) {
		uk_log_free(p);
		return NULL;
	}
	p->sink = *sink;
	p->in.sink = &p->sink;
	p->in.stopped = &p->stopped;
	p->prog.ignored = -1;
	return p;
}

void uk_log_free(uk_log_parser *p)
{
	if (!p)
		return;
	free(p->line);
	free(p->conv);
	free(p->rec);
	free(p->in.scratch);
	free(p);
}

static void stop_if(uk_log_parser *p, int rc)
{
	if (rc)
		p->stopped = 1;
}

/* ---- records and lines ----------------------------------------------- */

/* The pending record is complete: its text goes to the interpretation. */
static void flush_record(uk_log_parser *p)
{
	char *m = p->rec + p->rec_pf.msg_off;
	size_t n = p->nrec - p->rec_pf.msg_off;
	/* The first line's [gle=] was cut before the continuations were
	 * joined; the last line may end in one too (a multi-line Info). A lone
	 * first line where none was found has none to find. */
	long last = p->nrec == p->rec_first && p->rec_gle < 0 ? -1 : uk_log_strip_gle(m, &n);
	long gle = p->rec_gle >= 0 ? p->rec_gle : last;

	m[n] = '\0';
	p->has_rec = 0;
	uk_log_interp_record(&p->in, &p->rec_pf, p->rec_line, m, n, gle);
}

static void append_rec(uk_log_parser *p, const char *s, size_t n, int newline)
{
	size_t room = UK_LOG_LINE_MAX - p->nrec;

	if (newline && room > 0) {
		p->rec[p->nrec++] = '\n';
		room--;
	}
	if (n > room) {
		n = room;
		p->rec_cut = 1;
	}
	memcpy(p->rec + p->nrec, s, n);
	p->nrec += n;
}

static void unknown_line(uk_log_parser *p, const char *s)
{
	p->unknown++;
	uk_log_interp_unknown(&p->in);
	if (p->sink.unknown)
		stop_if(p, p->sink.unknown(p->sink.ctx, p->lineno, s));
}

/* A line that starts a record: the one before it is complete. */
static void prefix_line(uk_log_parser *p, const uk_log_prefix *pf, const char *s, size_t n)
{
	if (p->has_rec)
		flush_record(p);
	p->kind = UK_LOG_USMT;
	p->rec_pf = *pf;
	p->rec_line = p->lineno;
	p->nrec = 0;
	p->rec_cut = 0;
	p->has_rec = 1;
	/* The [gle=] ends the record's first line: it must not end up inside
	 * the message (and its path) once continuation lines follow. */
	size_t msg = n - pf->msg_off;
	p->rec_gle = uk_log_strip_gle(s + pf->msg_off, &msg);
	append_rec(p, s, pf->msg_off + msg, 0);
	p->rec_first = p->nrec;
}

/* A line that is no record: a bad one (binary, NUL, control bytes) is never
 * read as the pending record's continuation, it is counted as unreadable. */
static void text_line(uk_log_parser *p, const char *s, size_t n, int bad)
{
	uk_log_prefix pf;
	char time[32];
	size_t off;

	if (n == 0)
		return;
	if (p->kind != UK_LOG_PROGRESS && uk_log_parse_prefix(s, n, &pf)) {
		prefix_line(p, &pf, s, n);
		return;
	}
	if (p->kind != UK_LOG_USMT && uk_log_progress_line(s, time, &off)) {
		p->kind = UK_LOG_PROGRESS;
		stop_if(p, uk_log_progress_record(&p->prog, time, s + off, p->lineno,
		                                  &p->pseq, &p->sink));
		return;
	}
	if (p->has_rec && !bad) {
		append_rec(p, s, n, 1);
		return;
	}
	/* The record ends there: the line counts in its run, and text after
	 * the garbage is nobody's continuation. */
	if (p->has_rec)
		flush_record(p);
	unknown_line(p, s);
}

/* No text a log writer produces holds these: NUL, C0 controls other than
 * tab, VT, FF and CR, DEL. Random bytes hold one every nine bytes. */
static int has_binary(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned c = s[i];
		if ((c < 0x20 && (c < 0x09 || c > 0x0D || c == 0x0A)) || c == 0x7F)
			return 1;
	}
	return 0;
}

/* uk_utf8_seqlen() inline for the 2- and 3-byte forms (accents, CJK):
 * the reader meets one in most lines that name a user's file. */
static size_t seqlen(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		/* E0 80..9F: overlong; ED A0..BF: a surrogate. */
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0;
		return 3;
	}
	return uk_utf8_seqlen(s, n);
}

/* Bytes of s that are valid UTF-8 without NUL. */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
	size_t i = 0, k;

	for (;;) {
#ifdef __SSE2__
		/* Sixteen at a time where the CPU allows (every x86-64 does):
		 * a byte >= 0x80 or a 0 sets a bit of the mask. */
		for (; i + 16 <= n; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
			if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_setzero_si128()))))
				break;
		}
#endif
		/* Log lines are mostly ASCII: skip it eight bytes at a time
		 * (a word with no byte 0 and none >= 0x80). */
		for (uint64_t w; i + 8 <= n; i += 8) {
			memcpy(&w, s + i, 8);
			if (((w - 0x0101010101010101ULL) | w) & 0x8080808080808080ULL)
				break;
		}
		while (i < n && s[i] - 1u < 0x7Fu)
			i++;
		if (i == n || s[i] == 0 || (k = seqlen(s + i, n - i)) == 0)
			return i;
		i += k;
	}
}

/* Windows-1252 0x80..0x9F; 0 = undefined there. */
static const unsigned short cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0,
};

static void line_end(uk_log_parser *p)
{
	char *s = p->line;
	size_t n = p->nline;

	p->lineno++;
	if (p->line_cut) {
		p->truncated++;
		/* A cut may split a UTF-8 sequence: drop its head. */
		size_t k = n;
		while (k > 0 && n - k < 4 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
			k--;
		if (k > 0 && n - k < 4 && (unsigned char)s[k - 1] >= 0xC0)
			n = k - 1;
	}
	if (n > 0 && s[n - 1] == '\r') {
		n--;
		p->crlf = 1;
	}
	s[n] = '\0';
	int bad = p->line_bad || has_binary((const unsigned char *)s, n);
	if (utf8_valid_len((unsigned char *)s, n) != n) {
		/* Not UTF-8: ANSI, read as Windows-1252 (NUL shown as '?'). */
		size_t o = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned c = (unsigned char)s[i];
			if (c == 0)
				c = '?';
			else if (c >= 0x80 && c < 0xA0)
				c = cp1252[c - 0x80] ? cp1252[c - 0x80] : 0xFFFD;
			o += uk_utf8_encode(c, (unsigned char *)p->conv + o);
		}
		p->conv[o] = '\0';
		p->any_1252 = 1;
		s = p->conv;
		n = o;
	}
	text_line(p, s, n, bad);
	p->nline = 0;
	p->line_cut = 0;
	p->line_bad = 0;
}

static void line_bytes(uk_log_parser *p, const char *s, size_t n)
{
	size_t room = UK_LOG_LINE_MAX - p->nline;

	if (n > room) {
		n = room;
		p->line_cut = 1;
	}
	memcpy(p->line + p->nline, s, n);
	p->nline += n;
}

/* A whole line inside the caller's buffer (k bytes before its '\n'): a
 * UTF-8 line with a LoadState prefix, nearly every line of a log, is parsed
 * where it is, without a copy into p->line; anything else takes the
 * general path. utf8: the line is known to be valid UTF-8 without NUL. */
static void whole_line(uk_log_parser *p, const char *s, size_t k, int utf8)
{
	size_t n = k > 0 && s[k - 1] == '\r' ? k - 1 : k;
	uk_log_prefix pf;

	if (p->kind != UK_LOG_PROGRESS && n <= UK_LOG_LINE_MAX &&
	    (utf8 || utf8_valid_len((const unsigned char *)s, n) == n) &&
	    uk_log_parse_prefix(s, n, &pf)) {
		p->lineno++;
		if (n < k)
			p->crlf = 1;
		prefix_line(p, &pf, s, n);
		return;
	}
	line_bytes(p, s, k);
	line_end(p);
}

/* The buffer is checked as UTF-8 once, not line by line (valid_end: where
 * its valid UTF-8 ends when the caller knows, else NULL): a '\n' is never
 * inside a sequence, so each line before the first bad byte is valid. */
static void feed_8bit(uk_log_parser *p, const char *s, size_t n, const char *valid_end)
{
	if (!valid_end)
		valid_end = s + utf8_valid_len((const unsigned char *)s, n);

	while (n > 0 && !p->stopped) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) : n;
		if (nl && p->nline == 0) {
			whole_line(p, s, k, nl <= valid_end);
		} else {
			line_bytes(p, s, k);
			if (!nl)
				return;
			line_end(p);
		}
		s += k + 1;
		n -= k + 1;
	}
}

static void utf16_unit(uk_log_parser *p, unsigned u)
{
	unsigned char o[UK_UTF8_MAX];
	unsigned c;

	if (u >= 0xD800 && u <= 0xDBFF) {
		if (p->hi_surrogate) {
			line_bytes(p, "\xEF\xBF\xBD", 3);
			p->line_bad = 1;
		}
		p->hi_surrogate = u;
		return;
	}
	if (u >= 0xDC00 && u <= 0xDFFF) {
		c = p->hi_surrogate ? 0x10000 + ((p->hi_surrogate - 0xD800) << 10) + (u - 0xDC00)
		                    : 0xFFFD;
		p->line_bad |= !p->hi_surrogate;
		p->hi_surrogate = 0;
	} else {
		if (p->hi_surrogate) {
			line_bytes(p, "\xEF\xBF\xBD", 3);
			p->line_bad = 1;
		}
		p->hi_surrogate = 0;
		c = u;
	}
	if (c == '\n') {
		line_end(p);
		return;
	}
	if (c == 0 || c == 0xFFFE || c == 0xFFFF)
		p->line_bad = 1;
	if (c == 0)
		c = '?';
	line_bytes(p, (const char *)o, uk_utf8_encode(c, o));
}

static void feed_utf16(uk_log_parser *p, const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (p->have_odd && n > 0) {
		p->have_odd = 0;
		utf16_unit(p, p->odd | (unsigned)s[0] << 8);
		i = 1;
	}
	for (; i + 1 < n && !p->stopped; i += 2)
		utf16_unit(p, s[i] | (unsigned)s[i + 1] << 8);
	if (i < n) {
		p->have_odd = 1;
		p->odd = s[i];
	}
}

static void decide_encoding(uk_log_parser *p)
{
	const unsigned char *h = p->head;
	size_t n = p->nhead, skip = 0;

	if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
		p->enc = ENC_UTF8;
		p->bom = 1;
		skip = 3;
	} else if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
		p->enc = ENC_UTF16LE;
		p->bom = 1;
		skip = 2;
	} else if (n >= 4 && h[0] && !h[1] && h[2] && !h[3]) {
		p->enc = ENC_UTF16LE; /* no BOM, but ASCII in UTF-16LE is unmistakable */
	} else {
		p->enc = ENC_UTF8;
	}
	if (p->enc == ENC_UTF16LE)
		feed_utf16(p, h + skip, n - skip);
	else
		feed_8bit(p, (const char *)h + skip, n - skip, NULL);
}

/* valid_end: as feed_8bit's, for the whole of buf. */
static int feed(uk_log_parser *p, const void *buf, size_t n, const char *valid_end)
{
	const unsigned char *s = buf;

	if (p->stopped)
		return 1;
	if (p->enc == ENC_UNDECIDED) {
		while (n > 0 && p->nhead < sizeof p->head) {
			p->head[p->nhead++] = *s++;
			n--;
		}
		if (p->nhead < sizeof p->head)
			return 0;
		decide_encoding(p);
	}
	if (p->enc == ENC_UTF16LE)
		feed_utf16(p, s, n);
	else
		feed_8bit(p, (const char *)s, n, valid_end);
	return p->stopped;
}

int uk_log_feed(uk_log_parser *p, const void *buf, size_t n)
{
	return feed(p, buf, n, NULL);
}

static size_t utf8_scan(const char *buf, size_t n)
{
	return utf8_valid_len((const unsigned char *)buf, n);
}

int uk_log_finish(uk_log_parser *p, uk_log_info *info)
{
	if (p->enc == ENC_UNDECIDED && p->nhead > 0)
		decide_encoding(p);
	if (!p->stopped) {
		if (p->hi_surrogate || p->have_odd)
			line_bytes(p, "\xEF\xBF\xBD", 3);
		p->hi_surrogate = 0;
		p->have_odd = 0;
		if (p->nline > 0 || p->line_cut)
			line_end(p);
		if (p->has_rec)
			flush_record(p);
		uk_log_interp_end(&p->in);
	}
	if (info) {
		memset(info, 0, sizeof *info);
		info->kind = p->kind;
		info->encoding = p->enc == ENC_UTF16LE ? "utf-16le" : p->any_1252 ? "windows-1252"
		               : p->bom ? "utf-8-bom" : "utf-8";
		info->crlf = p->crlf;
		info->lines = p->lineno;
		info->unknown_lines = p->unknown;
		info->truncated_lines = p->truncated;
		info->runs = p->in.nruns;
		info->stopped = p->stopped;
		info->progress = p->prog;
	}
	return p->stopped;
}

int uk_log_parse_mem(const void *buf, size_t n, const uk_log_sink *sink, uk_log_info *info)
{
	uk_log_parser *p = uk_log_new(sink);
	int rc;

	if (!p)
		return -1;
	uk_log_feed(p, buf, n);
	rc = uk_log_finish(p, info);
	uk_log_free(p);
	return rc;
}

int uk_log_parse_file_hashed(const char *path, const uk_log_sink *sink, uk_log_info *info,
                             uk_hash128 *h, uint64_t *bytes)
{
	/* Read, hashed and checked as UTF-8 ahead on a second thread: the copy
	 * in and the hash were a quarter of a report on a large log
	 * (docs/BENCHMARKS.md), the UTF-8 check a tenth of the parse. */
	uk_readahead *ra = NULL;
	uk_log_parser *p = NULL;
	const char *buf;
	size_t got, valid;
	int rc;

	rc = uk_readahead_open(path, utf8_scan, &ra);
	if (rc)
		return rc;
	if (!(p = uk_log_new(sink))) {
		rc = -1;
		goto out;
	}
	while ((rc = uk_readahead_next(ra, &buf, &got, &valid)) == 0 && got > 0)
		if (feed(p, buf, got, buf + valid))
			break;
	if (rc == 0) {
		uk_log_finish(p, info);
		/* Hash and size only of a log read to its end (the sink stopped
		 * it otherwise, and its caller fails anyway). */
		if ((h || bytes) && got == 0) {
			uk_hash128 hh;
			uint64_t nb;
			uk_readahead_digest(ra, &hh, &nb);
			if (h)
				*h = hh;
			if (bytes)
				*bytes = nb;
		}
	}
out:
	uk_log_free(p);
	uk_readahead_close(ra);
	return rc;
}

const char *uk_log_program_name(int program)
{
	return program == UK_LOG_LOADSTATE ? "loadstate"
	     : program == UK_LOG_SCANSTATE ? "scanstate" : NULL;
}

const char *uk_log_level_name(int level)
{
	static const char *const names[] = { "info", "status", "warning", "error", "other" };
	return level >= 0 && level <= UK_LOG_OTHER ? names[level] : "other";
}
