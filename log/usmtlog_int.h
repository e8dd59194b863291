/* Internals shared by usmtlog.c (the stream: encodings, lines, record
 * framing), usmtlog_record.c (what a record means: runs, events, profiles),
 * usmtlog_scan.c (scanning one line) and usmtlog_progress.c (/progress records). */
#ifndef UK_USMTLOG_INT_H
#define UK_USMTLOG_INT_H

#include <stddef.h>
#include "usmtlog.h"

/* The fixed prefix of a LoadState/ScanState record. */
typedef struct uk_log_prefix {
	char time[20];       /* "2024-01-24T21:44:51" or "" */
	int level;
	char code[16];       /* "0x0803ba" or "" */
	size_t msg_off;      /* where the message starts in the line */
} uk_log_prefix;

/* The interpretation's state (usmtlog_record.c); the stream owns one. */
typedef struct uk_log_interp {
	const uk_log_sink *sink;   /* the parser's */
	int *stopped;              /* the parser's: set when a callback asks to stop */
	char *scratch;             /* the event's path, NUL-terminated */
	const uk_log_prefix *pf;   /* the record being read, and its first line */
	unsigned long line;
	int in_run, nruns, run_started, run_version, in_summary;
	unsigned long summary_seq;
	uk_log_run run;
} uk_log_interp;

/* One complete record: its prefix, first line, message (continuation
 * lines joined by '\n', NUL-terminated at n) and trailing gle (-1 none). */
void uk_log_interp_record(uk_log_interp *in, const uk_log_prefix *pf, unsigned long line,
                          const char *msg, size_t n, long gle);
/* A line that is no record: counted in the run. */
void uk_log_interp_unknown(uk_log_interp *in);
/* The end of the input: the last run is complete. */
void uk_log_interp_end(uk_log_interp *in);

/* ASCII case-insensitive search of needle in s[0..n). */
const char *uk_log_ci_find(const char *s, size_t n, const char *needle);
int uk_log_ci_prefix(const char *s, const char *prefix);
/* Needles searched near the start of a message, all in one pass: a match of
 * text must end within the first `window` bytes (<= 64) of the message; its
 * candidates are the places where text[k], text[k + 1] (two letters) occur. */
typedef struct uk_log_needle {
	const char *text;
	size_t len, window, k;
} uk_log_needle;
/* found[i]: the first match of nd[i] in s[0..n), as uk_log_ci_find() of
 * s[0..min(n, window)) finds it, or NULL. */
void uk_log_ci_scan(const char *s, size_t n, const uk_log_needle *nd, size_t count,
                    const char **found);
/* 1 when the line is a record: `YYYY-MM-DD HH:MM:SS, Level   [0xHHHHHH] msg`
 * or the undated `Level   [0xHHHHHH] msg`. */
int uk_log_parse_prefix(const char *line, size_t len, uk_log_prefix *pf);
/* Strips a trailing [gle=0x...]: returns the code or -1, *len shortened. */
long uk_log_strip_gle(const char *msg, size_t *len);
/* `2017/09/01:16:10:07.851` -> "2017-09-01T16:10:07.851" (raw text, cut, when odd). */
void uk_log_stamp(const char *s, char *out, size_t outlen);
/* A number: decimal or 0x hex, an HRESULT 0x8007xxxx reduced to its Win32 code.
 * Returns the digits consumed (0: none). */
size_t uk_log_number(const char *s, long *val);
int uk_log_has_c_switch(const char *cmdline);
void uk_log_copy(char *dst, size_t dstlen, const char *src, size_t n);

/* /progress: 1 when the line has the three fixed fields; fills time. */
int uk_log_progress_line(const char *line, char time[32], size_t *rest_off);
/* Handles the key/value part of one progress line. */
int uk_log_progress_record(uk_log_progress *pg, const char *time, const char *rest,
                           unsigned long line, unsigned long *seq, const uk_log_sink *sink);

#endif
