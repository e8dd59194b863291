/* LoadState/ScanState log and /progress log reader (USMT-FACTS.md).
 *
 * Streaming with constant memory: bytes are fed in chunks of any size; the
 * reader detects the encoding (UTF-8 with or without BOM, UTF-16LE with a BOM
 * or recognised by its zero bytes, lines that are not UTF-8 are read as
 * Windows-1252), splits lines (LF or
 * CRLF), joins continuation lines to their record and hands each finding to
 * the sink's callbacks as soon as it is complete. Nothing is ever fatal:
 * lines it does not understand are counted and passed to `unknown`.
 * Every string handed to a callback is UTF-8, NUL-free, valid until the
 * callback returns. A callback returning non-zero stops the reading. */
#ifndef UK_USMTLOG_H
#define UK_USMTLOG_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

#define UK_LOG_LINE_MAX 65536 /* longer lines and records are truncated */
#define UK_LOG_TEXT_MAX 4096  /* command lines and progress fields kept per run */

enum uk_log_kind { UK_LOG_EMPTY = 0, UK_LOG_USMT, UK_LOG_PROGRESS };
enum uk_log_program { UK_LOG_PROG_UNKNOWN = 0, UK_LOG_LOADSTATE, UK_LOG_SCANSTATE };
enum uk_log_level { UK_LOG_INFO = 0, UK_LOG_STATUS, UK_LOG_WARNING, UK_LOG_ERROR, UK_LOG_OTHER };

/* One run: from `<PROGRAM>.EXE Version` / `USMT Started at` to the next.
 * Passed complete to run_end; run_begin sees only seq. */
typedef struct uk_log_run {
	int seq;                 /* 0, 1, ... in the file */
	int program;             /* enum uk_log_program */
	char version[64];        /* "10.0.19041", "" if not logged */
	char command_line[UK_LOG_TEXT_MAX]; /* "" if not logged */
	int used_c;              /* /c on the command line */
	char started[32];        /* "2024-01-24T21:40:02.120" local time, "" if absent */
	char completed[32];      /* "" if no `USMT Completed at` */
	int has_return_code, return_code;
	long long errors_ignored; /* `Success, N errors ignored.`; -1 if absent */
	int abort_logged;        /* `aborting`, `Migration failed to complete successfully` */
	int aborted;             /* abort logged, a failing return code, or never completed */
	unsigned long events, unknown_lines;
} uk_log_run;

/* An Error or Warning record. */
typedef struct uk_log_event {
	int run;                 /* uk_log_run.seq */
	unsigned long seq;       /* 0, 1, ... within the run */
	unsigned long line;      /* 1-based line of the record's first line */
	const char *time;        /* "2024-01-24T21:44:51", "" when the line has no date */
	int level;               /* UK_LOG_WARNING or UK_LOG_ERROR */
	const char *code;        /* the component/message id "0x0803ba", "" if none */
	long win32;              /* Win32 error named by the message; -1 none */
	long gle;                /* trailing [gle=0x...] (often stale: not the event's code); -1 */
	const char *path;        /* the Windows path it names, NULL if none */
	const char *message;     /* the record's text, continuation lines joined by '\n' */
} uk_log_event;

/* A row of the `USMT ERROR SUMMARY` table. */
typedef struct uk_log_summary_row {
	int run;
	unsigned long seq;
	long win32;
	int caused_abort;
	long long recurrence;
	const char *first;       /* "Read error 395 for C:\Users\..." as logged (may be cut) */
} uk_log_summary_row;

/* `Found valid profile but can't get user credentials ... User SID: S-1-...` */
typedef struct uk_log_skipped {
	int run;
	unsigned long line;
	const char *time;
	const char *sid;
	long win32;              /* from `error code: 0x...`, -1 if absent */
} uk_log_skipped;

/* A /progress record whose fourth field is `error`. */
typedef struct uk_log_perror {
	unsigned long seq, line;
	const char *time;        /* "2023-06-08T20:46:21-08:00" */
	const char *error;       /* UnableToCopy, UnableToApply, ... */
	const char *path;        /* objectName, NULL if absent */
	const char *action;      /* Ignore (skipped by /c), Abort, ... NULL if absent */
	long win32;              /* errorCode, -1 if absent */
} uk_log_perror;

/* What a /progress log says about itself (final at uk_log_finish). */
typedef struct uk_log_progress {
	int program;
	char version[64];
	char computer[256];
	char command_line[UK_LOG_TEXT_MAX];
	int aborted;             /* an `action, Abort` record */
	long long ignored;       /* last numberOfIgnoredErrors, -1 if absent */
	unsigned long errors;
} uk_log_progress;

typedef struct uk_log_sink {
	void *ctx;
	int (*run_begin)(void *ctx, const uk_log_run *run);
	int (*run_end)(void *ctx, const uk_log_run *run);
	int (*event)(void *ctx, const uk_log_event *ev);
	int (*summary)(void *ctx, const uk_log_summary_row *row);
	int (*skipped)(void *ctx, const uk_log_skipped *sk);
	int (*perror)(void *ctx, const uk_log_perror *pe);
	int (*unknown)(void *ctx, unsigned long line, const char *text);
} uk_log_sink;

/* Facts about the whole file, final after uk_log_finish. */
typedef struct uk_log_info {
	int kind;                /* enum uk_log_kind */
	const char *encoding;    /* "utf-8", "utf-8-bom", "utf-16le", "windows-1252" */
	int crlf;                /* lines end in CRLF */
	unsigned long lines, unknown_lines, truncated_lines;
	int runs;
	int stopped;             /* a callback asked to stop */
	uk_log_progress progress; /* kind == UK_LOG_PROGRESS */
} uk_log_info;

typedef struct uk_log_parser uk_log_parser;

/* NULL only when out of memory. The sink is copied. */
uk_log_parser *uk_log_new(const uk_log_sink *sink);
/* Non-zero once a callback stopped the reading (further input is ignored). */
int uk_log_feed(uk_log_parser *p, const void *buf, size_t n);
/* Flushes the last record and run, fills *info (may be NULL). */
int uk_log_finish(uk_log_parser *p, uk_log_info *info);
void uk_log_free(uk_log_parser *p);

/* Whole buffer at once (tests, fuzzing). Returns info->stopped. */
int uk_log_parse_mem(const void *buf, size_t n, const uk_log_sink *sink, uk_log_info *info);
/* A file through fs.h: 0, a native error code (fs.h) when it cannot be read,
 * or -1 when out of memory. In the same read, the XXH3-128 of its bytes and
 * their count (the report's "already ingested" check), each when asked for
 * (non-NULL) and only when no callback stopped the reading. */
int uk_log_parse_file_hashed(const char *path, const uk_log_sink *sink, uk_log_info *info,
                             uk_hash128 *h, uint64_t *bytes);

/* Pieces of the scanner, exposed for tests and the report's join. */
long uk_log_find_win32(const char *msg);          /* -1 when none */
/* First Windows path in msg ({"..."}-quoted or plain X:\...); its length in
 * *len, or NULL. */
const char *uk_log_find_path(const char *msg, size_t *len);
const char *uk_log_program_name(int program);     /* "loadstate", "scanstate", NULL */
const char *uk_log_level_name(int level);         /* "info", "status", "warning", "error" */

#endif
