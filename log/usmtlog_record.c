/* What a LoadState/ScanState record means: runs and their bounds, return
 * codes, the error summary table, Error/Warning events with their Win32 code
 * and path, skipped profiles. The stream (usmtlog.c) hands each complete
 * record here. */
#include <string.h>
#include "usmtlog_int.h"

static void stop_if(uk_log_interp *in, int rc)
{
	if (rc)
		*in->stopped = 1;
}

void uk_log_interp_end(uk_log_interp *in)
{
	uk_log_run *r = &in->run;

	if (!in->in_run)
		return;
	r->aborted = r->abort_logged || r->completed[0] == '\0' ||
	             (r->has_return_code && r->return_code != 0 && r->return_code != 3);
	if (in->sink->run_end && !*in->stopped)
		stop_if(in, in->sink->run_end(in->sink->ctx, r));
	in->in_run = 0;
}

static void run_begin(uk_log_interp *in)
{
	uk_log_interp_end(in);
	memset(&in->run, 0, sizeof in->run);
	in->run.seq = in->nruns++;
	in->run.errors_ignored = -1;
	in->in_run = 1;
	in->run_started = in->run_version = 0;
	in->in_summary = 0;
	in->summary_seq = 0;
	if (in->sink->run_begin && !*in->stopped)
		stop_if(in, in->sink->run_begin(in->sink->ctx, &in->run));
}

static int program_from(const char *s, size_t n)
{
	if (uk_log_ci_find(s, n, "loadstate"))
		return UK_LOG_LOADSTATE;
	if (uk_log_ci_find(s, n, "scanstate"))
		return UK_LOG_SCANSTATE;
	return UK_LOG_PROG_UNKNOWN;
}

/* `LOADSTATE.EXE Version 10.0.14393` */
static int version_line(uk_log_interp *in, const char *m, size_t n)
{
	const char *v;
	int prog;

	if (uk_log_ci_prefix(m, "LOADSTATE.EXE Version "))
		prog = UK_LOG_LOADSTATE;
	else if (uk_log_ci_prefix(m, "SCANSTATE.EXE Version "))
		prog = UK_LOG_SCANSTATE;
	else
		return 0;
	v = m + 9;
	if (in->in_run && (in->run_started || in->run_version))
		run_begin(in);
	else if (!in->in_run)
		run_begin(in);
	in->run.program = prog;
	v += 13;
	size_t k = 0;
	while (v + k < m + n && v[k] != ' ')
		k++;
	uk_log_copy(in->run.version, sizeof in->run.version, v, k);
	in->run_version = 1;
	return 1;
}

static void summary_row(uk_log_interp *in, const char *m, size_t n)
{
	const char *cell[4];
	size_t len[4];
	const char *s = m, *end = m + n;
	long code;

	while (s < end && *s == ' ')
		s++;
	if (s == end || *s != '|')
		return;
	s++;
	for (int i = 0; i < 4; i++) {
		const char *bar = i < 3 ? memchr(s, '|', (size_t)(end - s)) : end;
		if (!bar)
			return;
		while (s < bar && *s == ' ')
			s++;
		const char *e = bar;
		while (e > s && e[-1] == ' ')
			e--;
		cell[i] = s;
		len[i] = (size_t)(e - s);
		s = bar < end ? bar + 1 : end;
	}
	if (len[0] == 0 || uk_log_number(cell[0], &code) != len[0])
		return; /* the header row */
	long long rec = 0;
	for (size_t i = 0; i < len[2] && cell[2][i] >= '0' && cell[2][i] <= '9'; i++)
		if (rec < 100000000000000LL) /* no overflow on a hostile digit run */
			rec = rec * 10 + (cell[2][i] - '0');
	uk_log_copy(in->scratch, UK_LOG_LINE_MAX, cell[3], len[3]);
	uk_log_summary_row row = {
		.run = in->run.seq, .seq = in->summary_seq++, .win32 = code,
		.caused_abort = len[1] == 3 && uk_log_ci_prefix(cell[1], "yes"),
		.recurrence = rec, .first = in->scratch,
	};
	if (row.caused_abort)
		in->run.abort_logged = 1;
	if (in->sink->summary)
		stop_if(in, in->sink->summary(in->sink->ctx, &row));
}

static void skipped_profile(uk_log_interp *in, const char *m, size_t n, const char *time)
{
	const char *s = uk_log_ci_find(m, n, "User SID:");
	size_t k = 0;

	if (!s)
		return;
	s += 9;
	while (s < m + n && *s == ' ')
		s++;
	while (s + k < m + n && (s[k] == '-' || (s[k] >= '0' && s[k] <= '9') ||
	       s[k] == 'S' || s[k] == 's'))
		k++;
	if (k < 3)
		return;
	char sid[192];
	uk_log_copy(sid, sizeof sid, s, k);
	uk_log_skipped sk = {
		.run = in->run.seq, .line = in->line, .time = time, .sid = sid,
		.win32 = uk_log_find_win32(m),
	};
	if (in->sink->skipped)
		stop_if(in, in->sink->skipped(in->sink->ctx, &sk));
}

static void event(uk_log_interp *in, const char *m, long gle)
{
	size_t plen = 0;
	const char *path = uk_log_find_path(m, &plen);

	if (path)
		uk_log_copy(in->scratch, UK_LOG_LINE_MAX, path, plen);
	uk_log_event ev = {
		.run = in->run.seq, .seq = in->run.events++, .line = in->line,
		.time = in->pf->time, .level = in->pf->level, .code = in->pf->code,
		.win32 = uk_log_find_win32(m), .gle = gle, .path = path ? in->scratch : NULL,
		.message = m,
	};
	if (in->sink->event)
		stop_if(in, in->sink->event(in->sink->ctx, &ev));
}

/* The texts searched near the start of every message, in one pass (a search
 * of every whole line would cost more than the rest of the reader). */
enum { NEEDLE_RETURN_CODE, NEEDLE_CMDLINE_ERROR, NEEDLES };
static const uk_log_needle needles[NEEDLES] = {
	[NEEDLE_RETURN_CODE] = { "return code", 11, 40, 3 },                 /* "ur" */
	[NEEDLE_CMDLINE_ERROR] = { "An error occurred processing the command line", 45, 64,
	                           10 },                                     /* "cc" */
};

/* First letter, folded: a prefix that starts otherwise needs no compare. */
static int first_is(const char *m, int c)
{
	return (*m | 0x20) == c;
}

/* "LoadState return code: 3", at any level, within the first 40 bytes
 * (s: where the scan found it, or NULL). */
static void return_code(uk_log_run *r, const char *s)
{
	long v;

	if (!s)
		return;
	s += 11;
	while (*s == ' ' || *s == ':' || *s == '=')
		s++;
	if (uk_log_number(s, &v) > 0) {
		r->has_return_code = 1;
		r->return_code = (int)v;
	}
}

static void info_line(uk_log_interp *in, const char *m, size_t n, const char *rc)
{
	uk_log_run *r = &in->run;
	const char *s;

	if (first_is(m, 'c') && uk_log_ci_prefix(m, "Command line:")) {
		s = m + 13;
		while (*s == ' ')
			s++;
		uk_log_copy(r->command_line, sizeof r->command_line, s, n - (size_t)(s - m));
		r->used_c = uk_log_has_c_switch(r->command_line);
		if (r->program == UK_LOG_PROG_UNKNOWN)
			r->program = program_from(s, n - (size_t)(s - m));
	} else if (first_is(m, 'u') && uk_log_ci_prefix(m, "USMT Completed at ")) {
		uk_log_stamp(m + 18, r->completed, sizeof r->completed);
	} else if (first_is(m, 's') && uk_log_ci_prefix(m, "Success, ")) {
		long v;
		if (uk_log_number(m + 9, &v) > 0)
			r->errors_ignored = v;
	} else if (*m == '-' && strstr(m, "USMT ERROR SUMMARY")) {
		in->in_summary = 1;
	} else if (in->in_summary && *m == '|') {
		summary_row(in, m, n);
	} else {
		return_code(r, rc);
	}
}

/* The lines with which USMT says it stopped: `aborting`, `Migration failed
 * to complete successfully` and, from versions that stop on an error
 * without /c, `USMT is shutting down due to errors` (Error records); a
 * command line it refused: `Failed.` after `An error occurred processing
 * the command line` (Info records, then `USMT Completed at` all the same). */
static int stop_logged(int level, const char *m, size_t n, const char *cmdline_error)
{
	if (level == UK_LOG_ERROR &&
	    (uk_log_ci_find(m, n, "aborting") ||
	     uk_log_ci_find(m, n, "Migration failed to complete successfully") ||
	     uk_log_ci_prefix(m, "USMT is shutting down due to errors")))
		return 1;
	return (n == 7 && uk_log_ci_prefix(m, "Failed.")) || cmdline_error;
}

void uk_log_interp_record(uk_log_interp *in, const uk_log_prefix *pf, unsigned long line,
                          const char *m, size_t n, long gle)
{
	const char *found[NEEDLES];

	in->pf = pf;
	in->line = line;
	if ((first_is(m, 'l') || first_is(m, 's')) && version_line(in, m, n))
		return;
	if (first_is(m, 'u') && uk_log_ci_prefix(m, "USMT Started at ")) {
		if (!in->in_run || in->run_started)
			run_begin(in);
		in->run_started = 1;
		uk_log_stamp(m + 16, in->run.started, sizeof in->run.started);
		return;
	}
	if (!in->in_run)
		run_begin(in);
	uk_log_ci_scan(m, n, needles, NEEDLES, found);
	if (stop_logged(in->pf->level, m, n, found[NEEDLE_CMDLINE_ERROR]))
		in->run.abort_logged = 1;
	if (in->pf->level == UK_LOG_WARNING || in->pf->level == UK_LOG_ERROR) {
		if (uk_log_ci_find(m, n, "Found valid profile but can't get user credentials"))
			skipped_profile(in, m, n, in->pf->time);
		return_code(&in->run, found[NEEDLE_RETURN_CODE]);
		event(in, m, gle);
	} else {
		info_line(in, m, n, found[NEEDLE_RETURN_CODE]);
	}
}

void uk_log_interp_unknown(uk_log_interp *in)
{
	if (in->in_run)
		in->run.unknown_lines++;
}
