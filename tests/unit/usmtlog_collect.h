/* A sink for the log reader's tests: copies everything it is handed. */
#ifndef UK_USMTLOG_COLLECT_H
#define UK_USMTLOG_COLLECT_H

#include <stdlib.h>
#include <string.h>
#include "usmtlog.h"

#define UK_COLLECT_MAX 64

typedef struct uk_log_collect {
	uk_log_run runs[UK_COLLECT_MAX];
	int nruns, begun;
	uk_log_event events[UK_COLLECT_MAX];
	int nevents;
	uk_log_summary_row summary[UK_COLLECT_MAX];
	int nsummary;
	uk_log_skipped skipped[UK_COLLECT_MAX];
	int nskipped;
	uk_log_perror perrors[UK_COLLECT_MAX];
	int nperrors;
	char *unknown[UK_COLLECT_MAX];
	int nunknown;
} uk_log_collect;

static char *collect_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int collect_run_begin(void *ctx, const uk_log_run *r)
{
	uk_log_collect *c = ctx;
	assert_int_equal(r->seq, c->begun);
	c->begun++;
	return 0;
}

static int collect_run_end(void *ctx, const uk_log_run *r)
{
	uk_log_collect *c = ctx;
	assert_true(c->nruns < UK_COLLECT_MAX);
	c->runs[c->nruns++] = *r;
	return 0;
}

static int collect_event(void *ctx, const uk_log_event *e)
{
	uk_log_collect *c = ctx;
	if (c->nevents == UK_COLLECT_MAX)
		return 0;
	uk_log_event *d = &c->events[c->nevents++];
	*d = *e;
	d->time = collect_dup(e->time);
	d->code = collect_dup(e->code);
	d->path = collect_dup(e->path);
	d->message = collect_dup(e->message);
	return 0;
}

static int collect_summary(void *ctx, const uk_log_summary_row *r)
{
	uk_log_collect *c = ctx;
	if (c->nsummary == UK_COLLECT_MAX)
		return 0;
	c->summary[c->nsummary] = *r;
	c->summary[c->nsummary++].first = collect_dup(r->first);
	return 0;
}

static int collect_skipped(void *ctx, const uk_log_skipped *s)
{
	uk_log_collect *c = ctx;
	if (c->nskipped == UK_COLLECT_MAX)
		return 0;
	uk_log_skipped *d = &c->skipped[c->nskipped++];
	*d = *s;
	d->time = collect_dup(s->time);
	d->sid = collect_dup(s->sid);
	return 0;
}

static int collect_perror(void *ctx, const uk_log_perror *p)
{
	uk_log_collect *c = ctx;
	if (c->nperrors == UK_COLLECT_MAX)
		return 0;
	uk_log_perror *d = &c->perrors[c->nperrors++];
	*d = *p;
	d->time = collect_dup(p->time);
	d->error = collect_dup(p->error);
	d->path = collect_dup(p->path);
	d->action = collect_dup(p->action);
	return 0;
}

static int collect_unknown(void *ctx, unsigned long line, const char *text)
{
	uk_log_collect *c = ctx;
	if (c->nunknown < UK_COLLECT_MAX)
		c->unknown[c->nunknown++] = strdup(text);
	return 0;
}

static uk_log_sink collect_sink(uk_log_collect *c)
{
	uk_log_sink s = {
		.ctx = c, .run_begin = collect_run_begin, .run_end = collect_run_end,
		.event = collect_event, .summary = collect_summary, .skipped = collect_skipped,
		.perror = collect_perror, .unknown = collect_unknown,
	};
	return s;
}

static void collect_mem(uk_log_collect *c, const void *buf, size_t n, uk_log_info *info)
{
	memset(c, 0, sizeof *c);
	uk_log_sink s = collect_sink(c);
	assert_int_equal(uk_log_parse_mem(buf, n, &s, info), 0);
}

static void collect_free(uk_log_collect *c)
{
	for (int i = 0; i < c->nevents; i++) {
		free((char *)c->events[i].time);
		free((char *)c->events[i].code);
		free((char *)c->events[i].path);
		free((char *)c->events[i].message);
	}
	for (int i = 0; i < c->nsummary; i++)
		free((char *)c->summary[i].first);
	for (int i = 0; i < c->nskipped; i++) {
		free((char *)c->skipped[i].time);
		free((char *)c->skipped[i].sid);
	}
	for (int i = 0; i < c->nperrors; i++) {
		free((char *)c->perrors[i].time);
		free((char *)c->perrors[i].error);
		free((char *)c->perrors[i].path);
		free((char *)c->perrors[i].action);
	}
	for (int i = 0; i < c->nunknown; i++)
		free(c->unknown[i]);
}

#endif
