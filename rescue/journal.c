/* The journal DEST/.usmtkit-rescue.db: one row per file copied (or failed),
 * committed once the copy is renamed into place, so a rescue killed or cut
 * off by an unplugged disk carries on and never copies a finished file twice.
 * WAL with synchronous=FULL: a commit survives a power cut. Its own small
 * schema (not the store database's): it lives on the rescue media. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "rescue.h"

#define JOURNAL_VERSION 1

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS rescue_run(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  started TEXT NOT NULL, finished TEXT,\n"
	"  version TEXT NOT NULL,\n"
	"  store TEXT NOT NULL, db TEXT NOT NULL,\n"
	"  verify_run INTEGER,\n"           /* NULL: --all walked the store */
	"  machine TEXT NOT NULL,\n"
	"  selection TEXT NOT NULL,\n"      /* at-risk | all */
	"  command_line TEXT,\n"
	"  result TEXT,\n"                  /* rescued | partial */
	"  copied INTEGER, skipped_done INTEGER, failed INTEGER, bytes INTEGER,\n"
	"  stopped_at TEXT\n"               /* the rel being copied when the disk filled */
	");\n"
	"CREATE TABLE IF NOT EXISTS rescue_file(\n"
	"  machine TEXT NOT NULL,\n"
	"  rel TEXT NOT NULL,\n"            /* as entry.rel; the copy is DEST/machine/rel */
	"  size INTEGER NOT NULL,\n"
	"  hash TEXT,\n"                    /* XXH3-128 of the copy, verified */
	"  state TEXT NOT NULL,\n"          /* done | failed | stopped */
	"  error TEXT,\n"
	"  run_id INTEGER NOT NULL,\n"
	"  at TEXT NOT NULL,\n"
	"  PRIMARY KEY(machine, rel)\n"
	") WITHOUT ROWID;\n";

static int exec(uk_rescue *r, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(r->j, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		uk_error("journal %s: %s", r->j_path, msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc;
}

static int take_lock(uk_rescue *r)
{
	char *path = uk_path_join(r->dest, ".usmtkit-rescue.lock"), eb[128];
	int err;

	if (!path) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	err = uk_fs_lock(path, &r->lock);
	if (err && uk_fs_err_locked(err)) {
		uk_rescue_refuse(r, "another usmt-rescue is writing to %s (it holds %s)", r->dest,
		                 path);
		free(path);
		return UK_EXIT_FINDINGS;
	}
	if (err)
		uk_error("cannot lock %s: %s", path, uk_fs_strerror(err, eb, sizeof(eb)));
	free(path);
	return err ? UK_EXIT_RUNTIME : 0;
}

int uk_rescue_journal_open(uk_rescue *r)
{
	sqlite3_stmt *q = NULL;
	int rc, version = 0;

	if ((rc = take_lock(r)) != 0)
		return rc;
	if (!(r->j_path = uk_path_join(r->dest, UK_RESCUE_JOURNAL))) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	rc = sqlite3_open_v2(r->j_path, &r->j, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		uk_error("journal %s: %s", r->j_path, r->j ? sqlite3_errmsg(r->j) :
		         sqlite3_errstr(rc));
		return UK_EXIT_RUNTIME;
	}
	sqlite3_busy_timeout(r->j, 5000);
	/* Raw: a journal that cannot be read reads as version 0 here, and the
	 * schema step below fails on it with the reason. */
	if (sqlite3_prepare_v2(r->j, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version > JOURNAL_VERSION) {
		uk_error("journal %s: written by a newer usmt-rescue (version %d): not touched",
		         r->j_path, version);
		return UK_EXIT_RUNTIME;
	}
	/* A small WAL: the rescue media may be nearly full. */
	if (exec(r, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
	         "PRAGMA wal_autocheckpoint=16; PRAGMA journal_size_limit=65536;") ||
	    exec(r, schema) || exec(r, "PRAGMA user_version = 1"))
		return UK_EXIT_RUNTIME;
	return 0;
}

/* The journal's statements stay on sqlite3_prepare_v2(): it is not the
 * usmtkit database, and a failed prepare or step gives the same one line,
 * "journal FILE: SQLite's reason" (uk_db_prepare() would say "database"). */
int uk_rescue_journal_begin(uk_rescue *r)
{
	sqlite3_stmt *q = NULL;
	char now[24];
	int rc;

	rc = sqlite3_prepare_v2(r->j, "INSERT INTO rescue_run(started, version, store, db, "
	                        "verify_run, machine, selection, command_line) "
	                        "VALUES(?, ?, ?, ?, ?, ?, ?, ?)", -1, &q, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(q, 1, uk_db_now(now), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, UK_VERSION, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, r->store.path, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, r->db_path, -1, SQLITE_STATIC);
		if (r->verify_run)
			sqlite3_bind_int64(q, 5, r->verify_run);
		sqlite3_bind_text(q, 6, r->machine, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 7, r->o->all ? "all" : "at-risk", -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 8, r->o->command_line, -1, SQLITE_STATIC);
		rc = sqlite3_step(q);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		uk_error("journal %s: %s", r->j_path, sqlite3_errmsg(r->j));
		return -1;
	}
	r->run = sqlite3_last_insert_rowid(r->j);
	return 0;
}

int uk_rescue_journal_done(uk_rescue *r, const uk_rescue_item *it, const char *dst,
                           const char *src, char *why, size_t whylen)
{
	sqlite3_stmt *q = NULL;
	const char *was;
	char now[UK_HASH_STRLEN], eb[128];
	uk_hash128 h;
	uint64_t bytes, size;
	uk_stat st;
	int rc, err, done = 0;

	rc = sqlite3_prepare_v2(r->j, "SELECT size, hash FROM rescue_file WHERE machine = ? AND "
	                        "rel = ? AND state = 'done'", -1, &q, NULL);
	if (rc != SQLITE_OK)
		goto out;
	sqlite3_bind_text(q, 1, r->machine, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, it->rel, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW)
		goto out;
	/* Done, and the copy is still there as it was written: someone may
	 * have deleted it from DEST since. */
	size = (uint64_t)sqlite3_column_int64(q, 0);
	was = (const char *)sqlite3_column_text(q, 1);
	if (uk_fs_lstat(dst, &st) != 0 || st.type != UK_FT_FILE || st.size != size)
		goto out;
	/* And it is a copy of what is to be rescued now, not of an earlier
	 * version or of another store of this machine: the recorded hash
	 * decides, else the store entry is read. Another version already in
	 * DEST is never overwritten (it may be the only one left). */
	done = 2;
	if (!was)
		snprintf(why, whylen, "DEST holds a copy from an earlier rescue whose hash the "
		         "journal lacks: not overwritten; rescue to another DEST");
	else if (it->hash ? strcmp(was, it->hash) == 0 && size == it->size : 0)
		done = 1;
	else if (!it->hash && (err = uk_hash_file(src, &h, &bytes)) != 0)
		snprintf(why, whylen, "cannot read it to compare it with the copy an earlier "
		         "rescue left in DEST: %s", uk_fs_strerror(err, eb, sizeof(eb)));
	else if (!it->hash && (uk_hash_str(&h, now), strcmp(now, was) == 0 && bytes == size))
		done = 1;
	else
		snprintf(why, whylen, "DEST already holds another version of it (XXH3-128 %s, "
		         "%" PRIu64 " bytes) from an earlier rescue, of an earlier state of the "
		         "store or of another store of this machine: not overwritten; rescue to "
		         "another DEST", was, size);
out:
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		uk_error("journal %s: %s", r->j_path, sqlite3_errmsg(r->j));
		done = -1;
	}
	sqlite3_finalize(q);
	return done;
}

int uk_rescue_journal_mark(uk_rescue *r, const uk_rescue_item *it, const char *state,
                           const char *hash, const char *error)
{
	sqlite3_stmt *q = NULL;
	char now[24];
	int rc;

	rc = sqlite3_prepare_v2(r->j, "INSERT OR REPLACE INTO rescue_file(machine, rel, size, "
	                        "hash, state, error, run_id, at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
	                        -1, &q, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(q, 1, r->machine, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, it->rel, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)it->size);
		sqlite3_bind_text(q, 4, hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, state, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 6, error, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 7, r->run);
		sqlite3_bind_text(q, 8, uk_db_now(now), -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(q);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_FULL)
		uk_error("journal %s: %s", r->j_path, sqlite3_errmsg(r->j));
	return rc ? rc : SQLITE_ERROR;
}

int uk_rescue_journal_finish(uk_rescue *r, const char *stopped_at)
{
	sqlite3_stmt *q = NULL;
	char now[24];
	int rc;

	if (!r->j || !r->run)
		return 0;
	rc = sqlite3_prepare_v2(r->j, "UPDATE rescue_run SET finished = ?, result = ?, copied = ?, "
	                        "skipped_done = ?, failed = ?, bytes = ?, stopped_at = ? "
	                        "WHERE id = ?", -1, &q, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(q, 1, uk_db_now(now), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, r->result, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 3, (sqlite3_int64)r->copied);
		sqlite3_bind_int64(q, 4, (sqlite3_int64)r->skipped_done);
		sqlite3_bind_int64(q, 5, (sqlite3_int64)r->failed);
		sqlite3_bind_int64(q, 6, (sqlite3_int64)r->bytes);
		sqlite3_bind_text(q, 7, stopped_at, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 8, r->run);
		rc = sqlite3_step(q);
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	uk_error("journal %s: %s", r->j_path, sqlite3_errmsg(r->j));
	return rc ? rc : SQLITE_ERROR;
}

void uk_rescue_journal_close(uk_rescue *r)
{
	sqlite3_close(r->j);
	r->j = NULL;
	uk_fs_unlock(r->lock);
	r->lock = NULL;
}
