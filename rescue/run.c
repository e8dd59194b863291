/* usmt-rescue after option parsing: the store, where DEST may be, what to
 * copy, the journal, the free space, then every file in turn. The disk
 * filling up ends the run cleanly (result partial); a file that cannot be
 * read or does not verify is reported and the run goes on. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "rescue.h"

void uk_rescue_refuse(uk_rescue *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	r->result = "refused";
	uk_error("refused: %s", r->reason);
}

static int open_store(uk_rescue *r)
{
	char err[1024];
	int kind = uk_store_open(r->o->store, &r->store, err, sizeof(err)), rc;

	r->have_store = 1;
	if (kind != UK_STORE_HARDLINK && kind != UK_STORE_UNCOMPRESSED) {
		snprintf(r->reason, sizeof(r->reason), "%s", err);
		r->result = "refused";
		uk_error("%s", err);
		return UK_EXIT_USAGE;
	}
	rc = uk_rescue_canonical(r->o->dest, &r->dest);
	if (rc != 0) {
		snprintf(r->reason, sizeof(r->reason), "DEST %s: %s", r->o->dest, rc == -2 ?
		         "'..' below a folder that does not exist yet" : "cannot resolve the path");
		r->result = "refused";
		uk_error("%s", r->reason);
		return UK_EXIT_USAGE;
	}
	r->db_path = r->o->db ? strdup(r->o->db) : uk_db_default_path(r->store.path);
	if (!r->db_path) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	return 0;
}

/* What the journal has done already, and what is left to copy. */
static int plan(uk_rescue *r)
{
	for (size_t i = 0; i < r->n; i++) {
		uk_rescue_item *it = &r->items[i];
		char *dst = uk_store_rel_local(r->base, it->rel);
		char *src = uk_store_rel_local(r->store.file_dir, it->rel), why[512] = "";
		int d = dst && src ? uk_rescue_journal_done(r, it, dst, src, why, sizeof(why)) : -1;
		free(dst);
		free(src);
		if (d < 0)
			return UK_EXIT_RUNTIME;
		it->done = d;
		if (d == 2) {
			r->failed++;
			uk_rescue_note_failed(r, it->rel, why);
		}
		if (!d) {
			r->todo_files++;
			r->todo_bytes += it->size;
		}
	}
	return 0;
}

static void stop_full(uk_rescue *r, const uk_rescue_item *it, const char *why)
{
	r->stopped = 1;
	snprintf(r->reason, sizeof(r->reason), "DEST %s is full: stopped at %s (%s)", r->dest,
	         it->rel, why);
	uk_error("%s", r->reason);
}

/* One item; 0 go on, 1 stop (disk full), -1 runtime failure. */
static int one(uk_rescue *r, const uk_rescue_item *it)
{
	char *src = uk_store_rel_local(r->store.file_dir, it->rel);
	char *dst = uk_store_rel_local(r->base, it->rel);
	char hash[UK_HASH_STRLEN] = "", why[1024] = "";
	int rc = -1, c, jr;

	if (!src || !dst) {
		uk_error("out of memory");
		goto out;
	}
	c = uk_rescue_copy(r, it, src, dst, hash, why, sizeof(why));
	switch (c) {
	case UK_RESCUE_COPIED:
		jr = uk_rescue_journal_mark(r, it, "done", hash, NULL);
		if (jr == SQLITE_FULL) {
			/* In place and verified, but not journaled: a re-run copies it again. */
			stop_full(r, it, "no room left for the journal");
			rc = 1;
			goto out;
		}
		if (jr != 0)
			goto out;
		r->copied++;
		r->bytes += it->size;
		r->done_files++;
		uk_log(UK_INFO, "%s: copied (%s), XXH3-128 %s", it->rel, it->why, hash);
		rc = 0;
		break;
	case UK_RESCUE_FAILED:
		r->failed++;
		r->done_files++;
		uk_rescue_note_failed(r, it->rel, why);
		jr = uk_rescue_journal_mark(r, it, "failed", NULL, why);
		rc = jr == 0 ? 0 : jr == SQLITE_FULL ? 1 : -1;
		if (rc == 1)
			stop_full(r, it, "no room left for the journal");
		break;
	case UK_RESCUE_FULL:
		stop_full(r, it, why);
		/* Best effort: the disk is full, the journal may not take it. */
		uk_rescue_journal_mark(r, it, "stopped", NULL, why);
		rc = 1;
		break;
	default:
		uk_error("%s: %s", it->rel, why);
		break;
	}
out:
	free(src);
	free(dst);
	return rc;
}

static int copy_all(uk_rescue *r)
{
	const char *stopped_at = NULL;
	int rc = 0;

	r->buf = malloc(1u << 20);
	if (!r->buf) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		if (r->items[i].done == 2)
			continue; /* counted failed by plan() */
		if (r->items[i].done) {
			r->skipped_done++;
			continue;
		}
		rc = one(r, &r->items[i]);
		if (rc == 1)
			stopped_at = r->items[i].rel;
	}
	uk_progress_done();
	if (rc < 0)
		return UK_EXIT_RUNTIME;
	r->result = r->stopped || r->failed ? "partial" : "rescued";
	if (uk_rescue_journal_finish(r, stopped_at) != 0 && !r->stopped)
		return UK_EXIT_RUNTIME;
	return r->stopped || r->failed ? UK_EXIT_FINDINGS : UK_EXIT_OK;
}

int uk_rescue_main(const uk_rescue_opts *o, uk_rescue *r)
{
	char eb[128];
	int rc, err;

	r->o = o;
	r->t0 = uk_fs_monotonic();
	if ((rc = open_store(r)) != 0 || (rc = uk_rescue_check_place(r, r->dest)) != 0 ||
	    (rc = uk_rescue_select(r)) != 0)
		goto out;
	if (!(r->base = uk_path_join(r->dest, r->machine))) {
		uk_error("out of memory");
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	/* DEST/<machine> may be there already, as a link to anywhere (the
	 * store included): where it leads must pass the same checks. */
	if (uk_rescue_canonical(r->base, &r->base_real) != 0) {
		uk_error("%s: cannot resolve the path", r->base);
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	if (strcmp(r->base_real, r->base) != 0) {
		uk_warn("%s leads to %s", r->base, r->base_real);
		if ((rc = uk_rescue_check_place(r, r->base_real)) != 0)
			goto out;
	}
	if ((err = uk_fs_mkdir_p(r->dest)) != 0) {
		uk_error("DEST %s: cannot create it: %s", r->dest, uk_fs_strerror(err, eb, sizeof(eb)));
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	if ((rc = uk_rescue_journal_open(r)) != 0 || (rc = plan(r)) != 0 ||
	    (rc = uk_rescue_check_space(r)) != 0)
		goto out;
	if (uk_rescue_journal_begin(r) != 0) {
		rc = UK_EXIT_RUNTIME;
		goto out;
	}
	uk_info("%llu files (%llu already done) to %s", (unsigned long long)r->todo_files,
	        (unsigned long long)(r->n - r->todo_files), r->base);
	rc = copy_all(r);
out:
	uk_rescue_print(r, rc);
	return rc;
}

void uk_rescue_free(uk_rescue *r)
{
	uk_rescue_journal_close(r);
	uk_rescue_items_free(r);
	if (r->have_store)
		uk_store_free(&r->store);
	for (size_t i = 0; i < r->nfail_list; i++)
		free(r->fail_list[i]);
	free(r->buf);
	free(r->j_path);
	free(r->db_path);
	free(r->dest);
	free(r->machine);
	free(r->base);
	free(r->base_real);
}
