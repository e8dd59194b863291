/* Locked leftovers. What cannot be deleted now is scheduled for the next
 * restart: handed to the OS where it can do it (Windows: MoveFileExW with
 * MOVEFILE_DELAY_UNTIL_REBOOT, in fs_change_win32.c) and always listed in the
 * database's purge_pending table, files before their folders (seq), so that
 * `usmt-purge --run-pending` can carry it out (POSIX, at boot) or confirm it
 * (Windows, after the restart) and re-apply read-only afterwards. The row
 * records what was at the path (identity, type, size, mtime): --run-pending
 * deletes only that, and keeps whatever was put at the path since. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "out.h"
#include "purge.h"

static int add_pending(uk_purge *p, const uk_purge_store *s, int phase, const char *rel,
                       const char *path, const uk_stat *st, int os, const char *error)
{
	sqlite3_stmt *q;
	char now[24], fid[UK_FID_STRLEN];
	int rc;

	if (uk_db_prepare(p->db, "INSERT OR REPLACE INTO purge_pending(path, run_id, "
	                  "store_id, phase, rel, seq, os_scheduled, added, last_error, fid, "
	                  "type, size, mtime) VALUES(?1, ?2, ?3, ?4, ?5, (SELECT "
	                  "coalesce(max(seq), 0) + 1 FROM purge_pending), ?6, ?7, ?8, ?9, "
	                  "?10, ?11, ?12)", &q) != SQLITE_OK)
		return -1;
	uk_fid_str(&st->id, fid);
	sqlite3_bind_text(q, 9, fid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, uk_ftype_name(st->type), -1, SQLITE_STATIC);
	/* A folder's mtime moves as what is in it goes: only its identity counts. */
	if (st->type != UK_FT_DIR) {
		sqlite3_bind_int64(q, 11, (int64_t)st->size);
		sqlite3_bind_int64(q, 12, st->mtime);
	}
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
                      const char *path, const uk_stat *st, int err)
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
	if (add_pending(p, s, phase, rel, path, st, rc == 0, eb))
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

/* What try_one found. */
enum { P_LEFT, P_GONE, P_KEPT };

/* purge_pending.type in a sentence. */
static const char *kind_word(const char *type)
{
	return strcmp(type, "dir") == 0 ? "folder" : strcmp(type, "link") == 0 ?
	       "symbolic link" : strcmp(type, "file") == 0 ? "file" : "special file";
}

/* NULL when what is at a pending path is what was scheduled there (never
 * following a link: lstat); else why it is kept. A row of an older usmtkit
 * may lack the identity: a folder is still removed (rmdir takes only an
 * empty one), anything else is kept. */
static const char *same_as_scheduled(sqlite3_stmt *q, int phase, const uk_stat *st,
                                     char *why, size_t n)
{
	const char *fid = (const char *)sqlite3_column_text(q, 6);
	const char *type = (const char *)sqlite3_column_text(q, 7);
	char now[UK_FID_STRLEN];

	if (!fid || !type) {
		if (phase != UK_PHASE_ENTRY && phase != UK_PHASE_CONTROL && st->type == UK_FT_DIR)
			return NULL;
		return "scheduled by an older usmtkit that recorded no identity: cannot "
		       "re-check it";
	}
	if (strcmp(type, uk_ftype_name(st->type)) != 0) {
		snprintf(why, n, "changed since it was scheduled: it was a %s, it is a %s now",
		         kind_word(type), kind_word(uk_ftype_name(st->type)));
		return why;
	}
	uk_fid_str(&st->id, now);
	if (strcmp(now, fid) != 0)
		return "changed since it was scheduled: another item is at its path now";
	if ((sqlite3_column_type(q, 8) != SQLITE_NULL &&
	     (uint64_t)sqlite3_column_int64(q, 8) != st->size) ||
	    (sqlite3_column_type(q, 9) != SQLITE_NULL && sqlite3_column_int64(q, 9) != st->mtime))
		return "changed since it was scheduled: its size or modification time differs";
	return NULL;
}

/* 1 when a folder that would not go holds nothing else pending: what keeps
 * it is no leftover the restart removes. 0 when something is, -1 on error. */
static int nothing_pending_below(uk_purge *p, int64_t store, const char *path)
{
	sqlite3_stmt *q;
	char *below = sqlite3_mprintf("%s%c", path, UK_SEP);
	int rc;

	if (!below || uk_db_prepare(p->db, "SELECT 1 FROM purge_pending WHERE store_id = ?1 "
	                            "AND substr(path, 1, length(?2)) = ?2 LIMIT 1",
	                            &q) != SQLITE_OK) {
		sqlite3_free(below);
		return -1;
	}
	sqlite3_bind_int64(q, 1, store);
	sqlite3_bind_text(q, 2, below, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	sqlite3_free(below);
	return rc == SQLITE_DONE ? 1 : rc == SQLITE_ROW ? 0 : -1;
}

/* One pending row of q: P_GONE, P_LEFT (still pending), P_KEPT (what is at
 * the path is not what was scheduled: it stays, and leaves the list), -1 on
 * error. */
static int try_one(uk_purge *p, const uk_purge_store *s, sqlite3_stmt *q, char *why, size_t n)
{
	const char *path = (const char *)sqlite3_column_text(q, 0);
	int phase = sqlite3_column_int(q, 3), os = sqlite3_column_int(q, 5);
	const char *keep;
	uk_stat st;
	int err, none;

	/* Only inside the store, through real folders: the database may be old. */
	if (!uk_purge_inside(s->path, path) && strcmp(s->path, path) != 0) {
		snprintf(why, n, "outside the store: refused");
		return P_LEFT;
	}
	err = strcmp(s->path, path) ? uk_purge_parents_plain(&p->guard, s->path, path) : 0;
	if (!err)
		err = uk_fs_lstat(path, &st);
	if (err > 0 && uk_fs_err_notfound(err))
		return P_GONE;
	if (err) {
		snprintf(why, n, "a folder on its path is a link or unreadable: refused");
		return P_LEFT;
	}
	if (os) {
		snprintf(why, n, "still present: the restart has not happened yet");
		return P_LEFT;
	}
	if ((keep = same_as_scheduled(q, phase, &st, why, n)) != NULL) {
		if (keep != why)
			snprintf(why, n, "%s", keep);
		return P_KEPT;
	}
	if (p->o->dry_run)
		return P_GONE;
	err = st.type == UK_FT_DIR ? uk_fs_rmdir(path) : uk_fs_unlink(path);
	if (!err || uk_fs_err_notfound(err))
		return P_GONE;
	if (st.type == UK_FT_DIR && uk_fs_err_notempty(err)) {
		if ((none = nothing_pending_below(p, s->id, path)) < 0)
			return -1;
		if (none) {
			snprintf(why, n, "not empty: it holds what was not scheduled");
			return P_KEPT;
		}
	}
	uk_fs_strerror(err, why, n);
	return P_LEFT;
}

static int settle(uk_purge *p, int64_t run, int64_t store, int phase, const char *rel,
                  const char *path, int gone, const char *why)
{
	char *sql;
	int rc;

	if (gone != P_LEFT)
		sql = sqlite3_mprintf("DELETE FROM purge_pending WHERE path = %Q;"
		                      "UPDATE purge_step SET state = %Q, reason = %Q "
		                      "WHERE run_id = %lld AND store_id = %lld AND phase = %d "
		                      "AND rel = %Q;", path, gone == P_GONE ? "done" : "kept",
		                      gone == P_GONE ? "deleted by --run-pending" : why,
		                      (long long)run, (long long)store, phase, rel);
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
	sql = ids ? sqlite3_mprintf("SELECT path, run_id, store_id, phase, rel, os_scheduled, "
	                            "fid, type, size, mtime FROM purge_pending WHERE "
	                            "store_id IN (%s) ORDER BY seq", ids) : NULL;
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
		if ((gone = try_one(p, s, q, why, sizeof(why))) < 0)
			goto out;
		show = uk_out_escape(path);
		if (gone == P_GONE) {
			uk_log(UK_INFO, "deleted %s", show ? show : path);
			if (phase == UK_PHASE_ENTRY || phase == UK_PHASE_CONTROL)
				p->c.deleted_files++;
			else
				p->c.deleted_dirs++;
		} else if (gone == P_KEPT) {
			uk_purge_warn(p, "kept %s: %s", show ? show : path, why);
			if (!p->c.kept++)
				snprintf(p->reason, sizeof(p->reason), "the store is still there: "
				         "%s is kept: %s", show ? show : path, why);
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
