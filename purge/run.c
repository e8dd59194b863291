/* usmt-purge from parsed options to an exit code: accept the stores, open
 * the database, take the lock, pass the gate, then purge, re-apply
 * read-only, or carry out the pending list. Read-only is re-applied even
 * when deleting stopped half-way, and the run stays unfinished then, so the
 * next purge resumes it. */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "purge.h"

/* A runtime failure: `refused` while nothing was touched; once the run has
 * deleted something the store is partly gone, and saying "nothing was
 * deleted" would be false: `kept` then (the run stays unfinished). Once
 * deleting has begun, files may be gone that no step says yet (a state lags
 * its step): a journal that counts none is not proof that none went. */
static int runtime(uk_purge *p, const char *what)
{
	int gone = !p->o->dry_run && p->c.deleted_files + p->c.deleted_dirs > 0;
	int maybe = !p->o->dry_run && !gone && p->deleting;

	if (!p->reason[0])
		snprintf(p->reason, sizeof(p->reason), "%s failed (see the messages above)%s",
		         what, gone ? "; the store is partly deleted: run usmt-purge again to carry on" :
		         maybe ? "; the store may be partly deleted: run usmt-purge again to carry on" :
		         "");
	p->result = gone || maybe ? "kept" : "refused";
	return UK_EXIT_RUNTIME;
}

/* The one table of outcomes (docs/usmt-purge.md): the exit code follows the
 * result word, except that a runtime error (read-only not re-applied) is 3
 * whatever was deleted. */
static int exit_for(const uk_purge *p)
{
	if (p->c.errors)
		return UK_EXIT_RUNTIME;
	/* A plan that keeps something is a run that would end kept. */
	if (strcmp(p->result, "kept") == 0 || (p->o->dry_run && p->c.kept))
		return UK_EXIT_FINDINGS;
	if (strcmp(p->result, "scheduled") == 0)
		return UK_EXIT_REBOOT;
	return UK_EXIT_OK;
}

/* Exit 3 for read-only not re-applied: the reason says so. */
static void errors_reason(uk_purge *p)
{
	if (p->c.errors && !p->reason[0])
		snprintf(p->reason, sizeof(p->reason), "read-only could not be re-applied to "
		         "%llu restored files (see the messages above)",
		         (unsigned long long)p->c.errors);
}

/* 1 when a store root is still there and not scheduled: whatever the
 * journal says, the store was not purged. */
static int root_left(const uk_purge *p)
{
	size_t i;
	uk_stat st;

	for (i = 0; i < p->nst; i++)
		if (uk_fs_lstat(p->st[i].path, &st) == 0 && !p->c.scheduled)
			return 1;
	return 0;
}

/* purged only when every step went; kept (with why) when the store or any
 * entry it was asked to delete is still there for another reason than a
 * scheduled deletion (SPEC 4a), --no-schedule's leftovers included. */
static void settle_result(uk_purge *p)
{
	if (p->o->dry_run) {
		p->result = "dry-run";
		return;
	}
	if (p->c.kept) {
		p->result = "kept";
		uk_purge_kept_reason(p, p->reason, sizeof(p->reason));
	} else if (root_left(p)) {
		p->result = "kept";
		snprintf(p->reason, sizeof(p->reason), "the store is still there although "
		         "nothing was kept: delete nothing by hand, run usmt-purge again");
	} else {
		p->result = p->c.scheduled ? "scheduled" : "purged";
	}
	errors_reason(p);
}

static int purge_mode(uk_purge *p)
{
	uk_purge_side count;
	int ex, ro;

	if (uk_purge_run_begin(p, "purge"))
		return runtime(p, "planning the purge");
	p->deleting = !p->o->dry_run;
	ex = uk_purge_execute(p);
	uk_purge_tx_commit(p);
	/* The count reads the journal beside re-applying read-only, which
	 * changes no step. */
	uk_purge_count_start(p, &count);
	ro = uk_purge_readonly(p);
	if (uk_purge_count_finish(p, &count))
		return runtime(p, "reading the journal");
	if (ex)
		return runtime(p, "deleting");
	/* The deleting is done: the word says what it did; exit 3 and the run
	 * left unfinished, so the next one re-applies read-only. */
	settle_result(p);
	if (ro) {
		if (!p->reason[0])
			snprintf(p->reason, sizeof(p->reason), "re-applying read-only failed (see "
			         "the messages above): run usmt-purge again");
		return UK_EXIT_RUNTIME;
	}
	if (uk_purge_run_finish(p))
		return runtime(p, "recording the purge");
	return exit_for(p);
}

static int readonly_mode(uk_purge *p)
{
	if (uk_purge_run_begin(p, "readonly-only") || uk_purge_readonly(p))
		return runtime(p, "re-applying read-only");
	p->result = p->o->dry_run ? "dry-run" : "readonly-only";
	errors_reason(p);
	if (uk_purge_run_finish(p))
		return runtime(p, "recording the run");
	return exit_for(p);
}

static int pending_mode(uk_purge *p)
{
	uint64_t left = 0;
	int gate, stays;

	/* Read-only is re-applied from the verify run when there is one. */
	gate = uk_purge_gate(p, 0);
	if (gate == UK_EXIT_RUNTIME)
		return gate;
	p->reason[0] = '\0';
	if (uk_purge_run_begin(p, "run-pending"))
		return runtime(p, "carrying out the pending list");
	p->deleting = !p->o->dry_run;
	if (uk_purge_run_pending(p, &left))
		return runtime(p, "carrying out the pending list");
	if (p->verify_run && uk_purge_readonly(p))
		return runtime(p, "re-applying read-only");
	p->c.scheduled = left;
	/* Kept wins over scheduled: what changed since it was scheduled stays. */
	p->result = p->o->dry_run ? "dry-run" : p->c.kept ? "kept" : left ? "scheduled" :
	            "purged";
	/* Nothing pending is not a store gone: one never purged, or kept (a
	 * dry run says so by its exit, as the run it previews would). */
	stays = !left && !p->c.kept && root_left(p);
	if (!p->o->dry_run && stays) {
		p->result = "kept";
		snprintf(p->reason, sizeof(p->reason), "the store is still there and nothing is "
		         "pending for it: --run-pending deletes only what a purge scheduled "
		         "(run usmt-purge STORE)");
	}
	errors_reason(p);
	if (uk_purge_run_finish(p))
		return runtime(p, "recording the run");
	return stays && p->o->dry_run && !p->c.errors ? UK_EXIT_FINDINGS : exit_for(p);
}

int uk_purge_main(const uk_purge_opts *o, uk_purge *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->o = o;
	p->result = "refused";
	if ((rc = uk_purge_open_stores(p)) || (rc = uk_purge_open_db(p)) ||
	    (rc = uk_purge_take_lock(p)))
		goto out;
	if (o->dry_run && uk_purge_dry_tables(p)) {
		rc = runtime(p, "preparing the dry run");
		goto out;
	}
	if (o->run_pending) {
		rc = pending_mode(p);
		goto out;
	}
	if ((rc = uk_purge_accept_partial(p)) || (rc = uk_purge_gate(p, !o->readonly_only)))
		goto out;
	rc = o->readonly_only ? readonly_mode(p) : purge_mode(p);
out:
	uk_progress_done();
	if (p->warned > UK_PURGE_LIST)
		uk_warn("... %llu more warnings like these: all in the result and in --log",
		        (unsigned long long)(p->warned - UK_PURGE_LIST));
	/* A refusal is a result: once, on stdout (the text line or JSON's
	 * reason), and in the log; stderr carries diagnostics only (SPEC 6). */
	if (rc == UK_EXIT_FINDINGS && strcmp(p->result, "refused") == 0)
		uk_log(UK_ERROR, "refused: %s", p->reason);
	/* Not a store / bad input: the one line on stderr says it all, except
	 * for --json, which always prints its object. */
	if (rc != UK_EXIT_USAGE || o->json)
		uk_purge_print(p, rc);
	return rc;
}

void uk_purge_free(uk_purge *p)
{
	size_t i;

	uk_purge_journal_free(p);
	uk_purge_guard_free(&p->guard);
	if (p->db)
		uk_db_close(p->db);
	if (p->lock)
		uk_fs_unlock(p->lock);
	for (i = 0; i < p->nst; i++) {
		free(p->st[i].path);
		free(p->st[i].usmt);
		free(p->st[i].file_dir);
	}
	free(p->st);
	free(p->db_path);
	for (i = 0; i < p->ro_n; i++)
		free(p->ro_list[i]);
}
