/* Output: results go to stdout (the tools print them), everything else
 * through here: diagnostics on stderr, a throttled progress line on a
 * terminal, and CMTrace lines appended to --log FILE (SPEC.md section 6). */
#ifndef UK_OUT_H
#define UK_OUT_H

#include <stdio.h>
#include <stddef.h>
#include <time.h>

#if defined(__GNUC__)
#define UK_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define UK_PRINTF(a, b)
#endif

enum uk_level { UK_INFO = 1, UK_WARN = 2, UK_ERROR = 3 }; /* = CMTrace type */

/* tool: "usmt-verify" etc., used as the prefix and the CMTrace component. */
void uk_out_init(const char *tool);
const char *uk_out_tool(void);
void uk_out_quiet(int quiet);        /* -q: no info lines on stderr */
void uk_out_progress(int mode);      /* -1 auto (stderr is a terminal), 0 off, 1 on */
int uk_out_open_log(const char *path); /* 0, or an errno-style code */
void uk_out_close(void);

/* "usmt-verify: warning: ..." on stderr and a CMTrace line in the log. */
void uk_info(const char *fmt, ...) UK_PRINTF(1, 2);
void uk_warn(const char *fmt, ...) UK_PRINTF(1, 2);
void uk_error(const char *fmt, ...) UK_PRINTF(1, 2);
/* Only to the CMTrace log (per-file detail too long for stderr). */
void uk_log(int level, const char *fmt, ...) UK_PRINTF(2, 3);

/* Redrawn at most ~6 times a second, only when progress is on. */
void uk_progress(const char *fmt, ...) UK_PRINTF(1, 2);
void uk_progress_done(void);

/* One CMTrace line (without the newline) into buf; returns its length.
 * Pure, so report's cmtrace format and tests use it too. `t` is the event
 * time; bias_minutes is the local offset as CMTrace expects (UTC - local). */
size_t uk_cmtrace_format(char *buf, size_t n, const char *msg, const char *component,
                         int type, unsigned long thread, const struct timespec *t,
                         const struct tm *local, int bias_minutes);

/* Printable form of a path for text output: control characters as \n, \t,
 * \xNN and invalid UTF-8 bytes as \xNN. Returns a malloc'd string. */
char *uk_out_escape(const char *s);

/* Human sizes: "1.5 GiB". */
const char *uk_out_bytes(unsigned long long n, char buf[32]);

#endif
