/* The log reader under fuzzing: a sink that checks every string it is
 * handed (UTF-8, NUL-free, as usmtlog.h promises) and folds everything into
 * a digest, so the whole-buffer reading and a chunked stream of the same
 * bytes can be compared: chunking must not change a single finding. */
#ifndef UK_FUZZ_LOG_H
#define UK_FUZZ_LOG_H

#include <stdint.h>
#include "fuzz_check.h"
#include "usmtlog.h"

typedef struct fuzz_digest {
	uint64_t h;
	unsigned long calls;
} fuzz_digest;

static void fz_mix(fuzz_digest *d, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		d->h = (d->h ^ b[i]) * 0x100000001b3ULL;
}

static void fz_int(fuzz_digest *d, long long v)
{
	fz_mix(d, &v, sizeof(v));
}

static void fz_str(fuzz_digest *d, const char *s)
{
	if (!s) {
		fz_int(d, -7);
		return;
	}
	FUZZ_CHECK(fuzz_valid_utf8(s));
	fz_mix(d, s, strlen(s) + 1);
}

static int fz_run(fuzz_digest *d, const uk_log_run *r)
{
	fz_int(d, r->seq);
	fz_int(d, r->program);
	fz_str(d, r->version);
	fz_str(d, r->command_line);
	fz_int(d, r->used_c);
	fz_str(d, r->started);
	fz_str(d, r->completed);
	fz_int(d, r->has_return_code ? r->return_code : -99);
	fz_int(d, r->errors_ignored);
	fz_int(d, r->abort_logged);
	fz_int(d, r->aborted);
	fz_int(d, (long long)r->events);
	fz_int(d, (long long)r->unknown_lines);
	return 0;
}

static int fz_run_begin(void *ctx, const uk_log_run *r)
{
	fuzz_digest *d = ctx;

	d->calls++;
	fz_int(d, r->seq);
	return 0;
}

static int fz_run_end(void *ctx, const uk_log_run *r)
{
	((fuzz_digest *)ctx)->calls++;
	return fz_run(ctx, r);
}

static int fz_event(void *ctx, const uk_log_event *e)
{
	fuzz_digest *d = ctx;

	d->calls++;
	FUZZ_CHECK(e->level == UK_LOG_WARNING || e->level == UK_LOG_ERROR);
	FUZZ_CHECK(e->time && e->code && e->message);
	fz_int(d, e->run);
	fz_int(d, (long long)e->seq);
	fz_int(d, (long long)e->line);
	fz_str(d, e->time);
	fz_int(d, e->level);
	fz_str(d, e->code);
	fz_int(d, e->win32);
	fz_int(d, e->gle);
	fz_str(d, e->path);
	fz_str(d, e->message);
	return 0;
}

static int fz_summary(void *ctx, const uk_log_summary_row *r)
{
	fuzz_digest *d = ctx;

	d->calls++;
	fz_int(d, r->run);
	fz_int(d, (long long)r->seq);
	fz_int(d, r->win32);
	fz_int(d, r->caused_abort);
	fz_int(d, r->recurrence);
	fz_str(d, r->first);
	return 0;
}

static int fz_skipped(void *ctx, const uk_log_skipped *s)
{
	fuzz_digest *d = ctx;

	d->calls++;
	fz_int(d, s->run);
	fz_int(d, (long long)s->line);
	fz_str(d, s->time);
	fz_str(d, s->sid);
	fz_int(d, s->win32);
	return 0;
}

static int fz_perror(void *ctx, const uk_log_perror *p)
{
	fuzz_digest *d = ctx;

	d->calls++;
	FUZZ_CHECK(p->time && p->error);
	fz_int(d, (long long)p->seq);
	fz_int(d, (long long)p->line);
	fz_str(d, p->time);
	fz_str(d, p->error);
	fz_str(d, p->path);
	fz_str(d, p->action);
	fz_int(d, p->win32);
	return 0;
}

static int fz_unknown(void *ctx, unsigned long line, const char *text)
{
	fuzz_digest *d = ctx;

	d->calls++;
	fz_int(d, (long long)line);
	fz_str(d, text);
	return 0;
}

static void fz_info(fuzz_digest *d, const uk_log_info *i)
{
	fz_int(d, i->kind);
	fz_str(d, i->encoding);
	fz_int(d, i->crlf);
	fz_int(d, (long long)i->lines);
	fz_int(d, (long long)i->unknown_lines);
	fz_int(d, (long long)i->truncated_lines);
	fz_int(d, i->runs);
	fz_int(d, i->stopped);
	if (i->kind == UK_LOG_PROGRESS) {
		fz_int(d, i->progress.program);
		fz_str(d, i->progress.version);
		fz_str(d, i->progress.computer);
		fz_str(d, i->progress.command_line);
		fz_int(d, i->progress.aborted);
		fz_int(d, i->progress.ignored);
		fz_int(d, (long long)i->progress.errors);
	}
}

/* Reads buf whole and in chunks of `chunk` bytes; both must agree. */
static void fuzz_log(const uint8_t *buf, size_t n, size_t chunk)
{
	fuzz_digest whole = {0xcbf29ce484222325ULL, 0}, part = whole;
	uk_log_sink sink = {&whole, fz_run_begin, fz_run_end, fz_event, fz_summary,
	                    fz_skipped, fz_perror, fz_unknown};
	uk_log_parser *p;
	uk_log_info info;

	FUZZ_CHECK(uk_log_parse_mem(buf, n, &sink, &info) == 0);
	fz_info(&whole, &info);

	sink.ctx = &part;
	p = uk_log_new(&sink);
	FUZZ_CHECK(p != NULL);
	for (size_t off = 0; off < n; off += chunk)
		FUZZ_CHECK(uk_log_feed(p, buf + off, n - off < chunk ? n - off : chunk) == 0);
	FUZZ_CHECK(uk_log_finish(p, &info) == 0);
	uk_log_free(p);
	fz_info(&part, &info);

	FUZZ_CHECK(whole.calls == part.calls);
	FUZZ_CHECK(whole.h == part.h);
}

#endif
