/* Re-applying read-only. A hard link shares its attributes with the store
 * entry; on NTFS a read-only link must be made writable to be deleted, and
 * that clears the attribute on the restored file too. So after deleting,
 * every restored file verify recorded as read-only (and every one whose store
 * link purge had to clear) gets the attribute back -- only when it is still
 * the very file verify saw. Idempotent: every run does it again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "out.h"
#include "purge.h"

static void remember(uk_purge *p, const char *path)
{
	if (p->ro_n < UK_PURGE_LIST)
		p->ro_list[p->ro_n++] = strdup(path);
}

static void one(uk_purge *p, const char *path, const char *want_fid)
{
	char fid[UK_FID_STRLEN], eb[128], *show = uk_out_escape(path);
	const char *shown = show ? show : path;
	uk_stat st;
	int err = uk_fs_lstat(path, &st);

	if (err || st.type != UK_FT_FILE) {
		uk_purge_warn(p, "read-only not re-applied to %s: it is gone or no longer a file",
		              shown);
		goto out;
	}
	uk_fid_str(&st.id, fid);
	if (!want_fid || strcmp(fid, want_fid) != 0) {
		uk_purge_warn(p, "read-only not re-applied to %s: it is another file than verify "
		              "saw", shown);
		goto out;
	}
	if (!p->o->dry_run && (err = uk_fs_set_readonly(path, 1)) != 0) {
		uk_error("cannot re-apply read-only to %s: %s", shown,
		         uk_fs_strerror(err, eb, sizeof(eb)));
		p->c.errors++;
		goto out;
	}
	uk_log(UK_INFO, "%s read-only: %s", p->o->dry_run ? "would re-apply" : "re-applied", shown);
	p->c.readonly_restored++;
	remember(p, shown);
out:
	free(show);
}

int uk_purge_readonly(uk_purge *p)
{
	char *ids = uk_purge_store_ids(p), *sql;
	sqlite3_stmt *q = NULL;
	int rc;

	/* The restored file's recorded identity (a linked entry's is the
	 * store's); the second half adds entries any purge run of these stores
	 * had to make writable to delete. Not yet: a store link Windows deletes
	 * at the restart (it shares the attribute, and a read-only file would
	 * not go); --run-pending re-applies it afterwards. */
	sql = ids ? sqlite3_mprintf(
		"SELECT local_path, want_fid FROM ("
		" SELECT store_id, rel, local_path, coalesce(restored_fid, CASE WHEN "
		"  verdict = 'linked' THEN fid END) AS want_fid FROM entry WHERE run_id = %lld "
		"  AND store_id IN (%s) AND type = 'file' AND local_path <> '' AND "
		"  coalesce(restored_readonly, verdict = 'linked' AND readonly) "
		" UNION SELECT e.store_id, e.rel, e.local_path, coalesce(e.restored_fid, CASE "
		"  WHEN e.verdict = 'linked' THEN e.fid END) FROM purge_step s JOIN entry e ON "
		"  e.run_id = %lld AND e.store_id = s.store_id AND e.rel = s.rel "
		"  WHERE s.ro_cleared AND s.phase = 1 AND s.store_id IN (%s) AND "
		"  e.type = 'file' AND e.local_path <> '') c "
		"WHERE NOT EXISTS (SELECT 1 FROM purge_pending pp WHERE pp.os_scheduled AND "
		"  pp.store_id = c.store_id AND pp.phase = 1 AND pp.rel = c.rel) "
		"ORDER BY local_path", (long long)p->verify_run, ids, (long long)p->verify_run,
		ids) : NULL;
	free(ids);
	if (!sql) {
		uk_error("out of memory");
		return -1;
	}
	rc = uk_db_prepare(p->db, sql, &q);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		one(p, (const char *)sqlite3_column_text(q, 0),
		    (const char *)sqlite3_column_text(q, 1));
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		uk_error("database: %s", sqlite3_errmsg(p->db));
		return -1;
	}
	return 0;
}
