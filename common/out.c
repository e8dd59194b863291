#include "out.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "utf8.h"

/* Output is shared by hashing threads: one lock around every write. */
static struct {
	const char *tool;
	int quiet;
	int progress;   /* resolved: 0 or 1 */
	FILE *log;
	int64_t last_ns;
	size_t last_len; /* length of the progress line on screen, 0 = none */
	pthread_mutex_t mu;
} O = { "usmtkit", 0, 0, NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER };

static int64_t now_ns(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

void uk_out_init(const char *tool)
{
	O.tool = tool;
	O.quiet = 0;
	O.progress = 0;
}

const char *uk_out_tool(void)
{
	return O.tool;
}

void uk_out_quiet(int quiet)
{
	O.quiet = quiet;
}

void uk_out_progress(int mode)
{
	O.progress = mode < 0 ? uk_fs_isatty(2) : mode;
}

int uk_out_open_log(const char *path)
{
	FILE *f = uk_fs_fopen(path, "ab"); /* binary: CMTrace lines end in CRLF we write */

	if (!f)
		return errno ? errno : EIO;
	if (O.log)
		fclose(O.log);
	O.log = f;
	return 0;
}

void uk_out_close(void)
{
	uk_progress_done();
	if (O.log) {
		fclose(O.log);
		O.log = NULL;
	}
}

size_t uk_cmtrace_format(char *buf, size_t n, const char *msg, const char *component,
                         int type, unsigned long thread, const struct timespec *t,
                         const struct tm *local, int bias_minutes)
{
	int r = snprintf(buf, n,
	                 "<![LOG[%s]LOG]!><time=\"%02d:%02d:%02d.%03d%+04d\" "
	                 "date=\"%02d-%02d-%04d\" component=\"%s\" context=\"\" "
	                 "type=\"%d\" thread=\"%lu\" file=\"\">",
	                 msg, local->tm_hour, local->tm_min, local->tm_sec,
	                 (int)(t->tv_nsec / 1000000), bias_minutes, local->tm_mon + 1,
	                 local->tm_mday, local->tm_year + 1900, component, type, thread);

	if (r < 0)
		return 0;
	return (size_t)r < n ? (size_t)r : n - 1;
}

static void clear_progress_locked(void)
{
	if (O.last_len) {
		fprintf(stderr, "\r%*s\r", (int)O.last_len, "");
		O.last_len = 0;
	}
}

static void log_line_locked(int level, const char *msg)
{
	struct timespec ts;
	struct tm tm;
	int off = 0;
	char line[4096];

	if (!O.log)
		return;
	now_ns(&ts);
	if (uk_fs_localtime((int64_t)ts.tv_sec, &tm, &off) != 0)
		memset(&tm, 0, sizeof(tm));
	/* CMTrace's bias is minutes to add to local time to get UTC. */
	uk_cmtrace_format(line, sizeof(line), msg, O.tool, level, uk_fs_thread_id(), &ts, &tm,
	                  -off);
	fputs(line, O.log);
	fputs("\r\n", O.log);
	fflush(O.log);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 0)))
#endif
static void emit(int level, int to_stderr, const char *fmt, va_list ap)
{
	char msg[4096], *esc;
	const char *shown;
	static const char *const prefix[] = { "", "", "warning: ", "error: " };
	int nowhere;

	/* Nothing to format when the line goes nowhere: usmt-purge logs every
	 * file it deletes, and formatting those unread lines was 7 % of its
	 * instructions without --log (docs/BENCHMARKS.md). */
	pthread_mutex_lock(&O.mu);
	nowhere = !O.log && (!to_stderr || (level == UK_INFO && O.quiet));
	pthread_mutex_unlock(&O.mu);
	if (nowhere)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* A file name may hold newlines, terminal escape sequences or invalid
	 * UTF-8: a diagnostic stays one printable line, on stderr and in the log. */
	esc = uk_out_escape(msg);
	shown = esc ? esc : msg;
	pthread_mutex_lock(&O.mu);
	if (to_stderr && !(level == UK_INFO && O.quiet)) {
		clear_progress_locked();
		fprintf(stderr, "%s: %s%s\n", O.tool, prefix[level], shown);
		fflush(stderr);
	}
	log_line_locked(level, shown);
	pthread_mutex_unlock(&O.mu);
	free(esc);
}

void uk_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(UK_INFO, 1, fmt, ap);
	va_end(ap);
}

void uk_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(UK_WARN, 1, fmt, ap);
	va_end(ap);
}

void uk_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(UK_ERROR, 1, fmt, ap);
	va_end(ap);
}

void uk_log(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(level < UK_INFO || level > UK_ERROR ? UK_INFO : level, 0, fmt, ap);
	va_end(ap);
}

void uk_progress(const char *fmt, ...)
{
	struct timespec ts;
	int64_t t;
	char line[512];
	va_list ap;
	size_t len;

	if (!O.progress)
		return;
	t = now_ns(&ts);
	pthread_mutex_lock(&O.mu);
	if (t - O.last_ns < 160000000) { /* about 6 redraws a second */
		pthread_mutex_unlock(&O.mu);
		return;
	}
	O.last_ns = t;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	len = strlen(line);
	fprintf(stderr, "\r%s: %s", O.tool, line);
	len += strlen(O.tool) + 2;
	if (len < O.last_len)
		fprintf(stderr, "%*s", (int)(O.last_len - len), "");
	O.last_len = len;
	fflush(stderr);
	pthread_mutex_unlock(&O.mu);
}

void uk_progress_done(void)
{
	pthread_mutex_lock(&O.mu);
	clear_progress_locked();
	O.last_ns = 0;
	fflush(stderr);
	pthread_mutex_unlock(&O.mu);
}

char *uk_out_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	char *r = malloc(left * 4 + 1), *q = r; /* worst case: every byte as \xNN */

	if (!r)
		return NULL;
	while (left > 0) {
		size_t n = 0;
		unsigned c;

		/* Printable ASCII, most of any path or log line, as it is. */
		while (n < left && p[n] >= 0x20 && p[n] < 0x7f)
			n++;
		memcpy(q, p, n);
		q += n;
		p += n;
		left -= n;
		if (left == 0)
			break;
		c = *p;
		n = 1;
		if (c == '\n') {
			memcpy(q, "\\n", 2);
			q += 2;
		} else if (c == '\t') {
			memcpy(q, "\\t", 2);
			q += 2;
		} else if (c == '\r') {
			memcpy(q, "\\r", 2);
			q += 2;
		} else if (c < 0x20 || c == 0x7f || (n = uk_utf8_seqlen(p, left)) == 0) {
			q += sprintf(q, "\\x%02x", c);
			n = 1;
		} else {
			memcpy(q, p, n);
			q += n;
		}
		p += n;
		left -= n;
	}
	*q = 0;
	return r;
}

const char *uk_out_bytes(unsigned long long n, char buf[32])
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)n;
	int u = 0;

	if (n < 1024) {
		snprintf(buf, 32, "%llu B", n);
		return buf;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, 32, "%.1f %s", v, unit[u]);
	return buf;
}
