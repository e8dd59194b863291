/* Locked leftovers. What cannot be deleted now is scheduled for the next
 * restart: handed to the OS where it can do it (Windows: MoveFileExW with
 * MOVEFILE_DELAY_UNTIL_REBOOT, in fs_change_win32.c) and always listed in the
 * database's purge_pending table, files before their folders (seq), so that
 * `usmt-purge --run-pending` can carry it out (POSIX, at boot) or confirm it
 * (Windows, after the restart) and re-apply read-only afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "out.h"
#include "purge.h"

static int add_pending(uk_purge *p, const uk_purge_store *s, int phase, const char *rel,
                       const char *path, int os, const char *error)
{
	sqlite3_stmt *q;
	char now[24];
	int rc;

	if (uk_db_prepare(p->db, "INSERT OR REPLACE INTO purge_pending(path, run_id, "
	                  "store_id, phase, rel, seq, os_scheduled, added, last_error) "
	                  "VALUES(?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(seq), 0) + 1 "
	                  "FROM purge_pending), ?6, ?7, ?8)", &q) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, p->run);
	sqlite3_bind_int64(q, 3, s->id);
	sqlite3_bind_int(q, 4, phase);
	sqlite3_bind_text(q, 5, rel, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, os);
	sqlite3_bind_text(q, 7, uk_db_now(now), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, error, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	uk_error("database: %s", sqlite3_errmsg(p->db));
	return -1;
}

int uk_purge_schedule(uk_purge *p, const uk_purge_store *s, int phase, const char *rel,
                      const char *path, int err)
{
	char eb[128], why[256], *show;
	int rc;

	uk_fs_strerror(err, eb, sizeof(eb));
	show = uk_out_escape(path);
	if (p->o->no_schedule) {
		snprintf(why, sizeof(why), "locked (%s); --no-schedule leaves it", eb);
		uk_purge_warn(p, "left %s: %s", show ? show : path, why);
		free(show);
		return uk_purge_step_set(p, s->id, phase, rel, "left", why);
	}
	rc = uk_fs_schedule_delete(path);
	if (rc && rc != UK_FS_EUNSUPPORTED) {
		char eb2[128];
		snprintf(why, sizeof(why), "locked (%s) and cannot be scheduled: %s", eb,
		         uk_fs_strerror(rc, eb2, sizeof(eb2)));
		uk_purge_warn(p, "kept %s: %s", show ? show : path, why);
		free(show);
		return uk_purge_step_set(p, s->id, phase, rel, "kept", why);
	}
	/* A folder is only "locked" by what is inside it: say that. */
	if (uk_fs_err_notempty(err))
		snprintf(why, sizeof(why), "holds leftovers deleted at the next restart: it goes "
		         "after them");
	else
		snprintf(why, sizeof(why), "locked (%s): deleted at the next restart", eb);
	uk_purge_warn(p, "scheduled %s: %s", show ? show : path, why);
	free(show);
	if (add_pending(p, s, phase, rel, path, rc == 0, eb))
		return -1;
	return uk_purge_step_set(p, s->id, phase, rel, "scheduled", why);
}

static const uk_purge_store *store_of(const uk_purge *p, int64_t id)
{
	size_t i;

	for (i = 0; i < p->nst; i++)
		if (p->st[i].id == id)
			return &p->st[i];
	return NULL;
}

/* One pending path: 1 when it is gone, 0 when it remains, -1 on error. */
static int try_one(uk_purge *p, const uk_purge_store *s, const char *path, int os,
                   char *why, size_t n)
{
	uk_stat st;
	int err;

	/* Only inside the store, through real folders: the database may be old. */
	if (!uk_purge_inside(s->path, path) && strcmp(s->path, path) != 0) {
		snprintf(why, n, "outside the store: refused");
		return 0;
	}
	err = strcmp(s->path, path) ? uk_purge_parents_plain(p, s->path, path) : 0;
	if (!err)
		err = uk_fs_lstat(path, &st);
	if (err > 0 && uk_fs_err_notfound(err))
		return 1;
	if (err) {
		snprintf(why, n, "a folder on its path is a link or unreadable: refused");
		return 0;
	}
	if (os) {
		snprintf(why, n, "still present: the restart has not happened yet");
		return 0;
	}
	if (p->o->dry_run)
		return 1;
	err = st.type == UK_FT_DIR ? uk_fs_rmdir(path) : uk_fs_unlink(path);
	if (!err || uk_fs_err_notfound(err))
		return 1;
	uk_fs_strerror(err, why, n);
	return 0;
}

static int settle(uk_purge *p, int64_t run, int64_t store, int phase, const char *rel,
                  const char *path, int gone, const char *why)
{
	char *sql;
	int rc;

	if (gone)
		sql = sqlite3_mprintf("DELETE FROM purge_pending WHERE path = %Q;"
		                      "UPDATE purge_step SET state = 'done', reason = "
		                      "'deleted by --run-pending' WHERE run_id = %lld AND "
		                      "store_id = %lld AND phase = %d AND rel = %Q;",
		                      path, (long long)run, (long long)store, phase, rel);
	else
		sql = sqlite3_mprintf("UPDATE purge_pending SET last_error = %Q WHERE path = %Q",
		                      why, path);
	if (!sql) {
		uk_error("out of memory");
		return -1;
	}
	rc = uk_db_exec(p->db, sql);
	sqlite3_free(sql);
	return rc == SQLITE_OK ? 0 : -1;
}

int uk_purge_run_pending(uk_purge *p, uint64_t *remaining)
{
	char *ids = uk_purge_store_ids(p), *sql, why[256], *show;
	sqlite3_stmt *q = NULL;
	int rc, r = -1, gone;

	*remaining = 0;
	sql = ids ? sqlite3_mprintf("SELECT path, run_id, store_id, phase, rel, os_scheduled "
	                            "FROM purge_pending WHERE store_id IN (%s) ORDER BY seq",
	                            ids) : NULL;
	free(ids);
	if (!sql) {
		uk_error("out of memory");
		goto out;
	}
	/* Each of these says why it failed. */
	if (uk_db_prepare(p->db, sql, &q) != SQLITE_OK || uk_purge_tx_begin(p))
		goto out;
	/* Rows are only deleted or updated behind the cursor: safe in SQLite. */
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(q, 0);
		const char *rel = (const char *)sqlite3_column_text(q, 4);
		int64_t store = sqlite3_column_int64(q, 2);
		const uk_purge_store *s = store_of(p, store);
		int phase = sqlite3_column_int(q, 3);
		if (!s || !path || !rel)
			continue;
		why[0] = '\0';
		gone = try_one(p, s, path, sqlite3_column_int(q, 5), why, sizeof(why));
		show = uk_out_escape(path);
		if (gone) {
			uk_log(UK_INFO, "deleted %s", show ? show : path);
			if (phase == UK_PHASE_ENTRY || phase == UK_PHASE_CONTROL)
				p->c.deleted_files++;
			else
				p->c.deleted_dirs++;
		} else {
			uk_purge_warn(p, "still pending %s: %s", show ? show : path, why);
			(*remaining)++;
		}
		free(show);
		if (!p->o->dry_run && settle(p, sqlite3_column_int64(q, 1), store, phase, rel,
		                             path, gone, why))
			goto out;
	}
	if (rc != SQLITE_DONE) {
		uk_error("database: %s", sqlite3_errmsg(p->db));
		goto out;
	}
	r = uk_purge_tx_commit(p);
out:
	sqlite3_finalize(q);
	sqlite3_free(sql);
	return r;
}
