/* What to copy. By default the last finished verify run's sole copies and
 * its missing, modified and corrupt entries; --all every file entry of it,
 * or, with no verify run at all, every file found walking USMT/File. Each
 * carries the hash to check the copy against: the baseline's, else verify's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exitcode.h"
#include "grow.h"
#include "out.h"
#include "rescue.h"
#include "walk.h"

int uk_rescue_rel_safe(const char *rel)
{
	/* The first part is a drive folder "X$": DEST/<machine>/X$/... */
	if (!rel || !((rel[0] >= 'A' && rel[0] <= 'Z') || (rel[0] >= 'a' && rel[0] <= 'z')) ||
	    rel[1] != '$' || rel[2] != '/')
		return 0;
	return uk_store_rel_safe(rel);
}

/* A name fit for one folder: what is not a letter, digit, '-', '_' or '.'
 * becomes '_' (a host name from the database could hold anything). */
static char *machine_name(const char *host)
{
	char buf[256] = "";
	size_t i, n;
	char *m;

	if (host && *host)
		snprintf(buf, sizeof(buf), "%s", host);
	else if (uk_fs_hostname(buf, sizeof(buf)) != 0 || !*buf)
		snprintf(buf, sizeof(buf), "unknown-host");
	n = strlen(buf);
	if (!(m = malloc(n + 2)))
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		m[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		       c == '-' || c == '_' || (c == '.' && i > 0) ? (char)c : '_';
	}
	m[n] = '\0';
	return m;
}

static int add(uk_rescue *r, const char *rel, uint64_t size, const char *hash,
               const char *why, const char *fid)
{
	uk_rescue_item *it;

	if (!uk_rescue_rel_safe(rel)) {
		uk_rescue_note_failed(r, rel, "not a plain path below a drive folder: not copied");
		r->failed++;
		return 0;
	}
	if (uk_grow(&r->items, r->n, &r->cap, sizeof(*r->items), 256))
		return -1;
	it = &r->items[r->n];
	memset(it, 0, sizeof(*it));
	it->rel = strdup(rel);
	it->hash = hash ? strdup(hash) : NULL;
	it->fid = fid ? strdup(fid) : NULL;
	it->size = size;
	it->why = why;
	if (!it->rel || (hash && !it->hash) || (fid && !it->fid)) {
		free(it->rel);
		free(it->hash);
		free(it->fid);
		return -1;
	}
	r->n++;
	return 0;
}

void uk_rescue_items_free(uk_rescue *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].rel);
		free(r->items[i].hash);
		free(r->items[i].fid);
	}
	free(r->items);
	r->items = NULL;
	r->n = r->cap = 0;
}

static const char *why_of(const char *verdict, int sole)
{
	static const char *const words[] = { "missing", "modified", "corrupt" };

	for (size_t i = 0; verdict && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(verdict, words[i]) == 0)
			return words[i];
	return sole ? "sole-copy" : "all";
}

/* The run's file entries: all of them (--all) or those at risk. 0, -1 on
 * error, -2 when uk_db_prepare() failed and said why. */
static int from_run(uk_rescue *r, sqlite3 *db, int64_t store_id)
{
	sqlite3_stmt *q = NULL;
	int rc;

	/* A corrupt entry no longer matches its baseline: what the store holds
	 * now (as verify hashed it) is what can be saved, checked as such. */
	if (uk_db_prepare(db,
	        "SELECT e.rel, coalesce(e.size, 0), CASE WHEN e.verdict = 'corrupt' THEN e.hash "
	        "ELSE coalesce(b.hash, e.hash) END, e.verdict, e.sole_copy, e.fid, e.mtime "
	        "FROM entry e "
	        "LEFT JOIN baseline b ON b.store_id = e.store_id AND b.rel = e.rel "
	        "WHERE e.run_id = ?1 AND e.store_id = ?2 AND e.type = 'file' AND (?3 OR "
	        "(e.sole_copy AND coalesce(e.verdict, '') <> 'excluded') OR "
	        "e.verdict IN ('missing', 'modified', 'corrupt')) ORDER BY e.rel", &q) != SQLITE_OK)
		return -2;
	sqlite3_bind_int64(q, 1, r->verify_run);
	sqlite3_bind_int64(q, 2, store_id);
	sqlite3_bind_int(q, 3, r->o->all != 0);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(q, 0);
		const char *hash = (const char *)sqlite3_column_text(q, 2);
		const char *verdict = (const char *)sqlite3_column_text(q, 3);
		if (add(r, rel ? rel : "", (uint64_t)sqlite3_column_int64(q, 1), hash,
		        r->o->all ? "all" : why_of(verdict, sqlite3_column_int(q, 4)),
		        (const char *)sqlite3_column_text(q, 5)) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		r->items[r->n - 1].has_mtime = sqlite3_column_type(q, 6) != SQLITE_NULL;
		r->items[r->n - 1].mtime = sqlite3_column_int64(q, 6);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return -1;
	/* A store folder verify could not list: what it holds is known to no
	 * one, so nothing here can say it was rescued. */
	if (uk_db_prepare(db, "SELECT rel, error FROM entry WHERE run_id = ?1 AND store_id = ?2 "
	                  "AND type <> 'file' AND verdict = 'unreadable' ORDER BY rel", &q) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, r->verify_run);
	sqlite3_bind_int64(q, 2, store_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *rel = (const char *)sqlite3_column_text(q, 0);
		const char *err = (const char *)sqlite3_column_text(q, 1);
		char why[512];
		snprintf(why, sizeof(why), "verify could not judge it (%s): what it holds is not "
		         "copied; make it readable and run usmt-verify again", err ? err : "unreadable");
		uk_rescue_note_failed(r, rel ? rel : "", why);
		r->failed++;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* --all without a verify run: every file under USMT/File, links never followed. */
static int from_walk(uk_rescue *r)
{
	uk_walk *w = NULL;
	uk_walk_entry e;
	uk_stat st;
	char eb[128];
	int rc, err;

	if ((rc = uk_walk_open(r->store.file_dir, 0, &w)) != 0) {
		uk_error("%s: cannot list it: %s", r->store.file_dir,
		         uk_fs_strerror(rc, eb, sizeof(eb)));
		return UK_EXIT_RUNTIME;
	}
	while ((rc = uk_walk_next(w, &e)) > 0) {
		if (e.type == UK_FT_DIR) {
			if (e.err) {
				char why[256];
				snprintf(why, sizeof(why), "cannot list this folder: what it holds is "
				         "not copied: %s", uk_fs_strerror(e.err, eb, sizeof(eb)));
				uk_rescue_note_failed(r, e.rel, why);
				r->failed++;
			}
			continue;
		}
		if (e.type != UK_FT_FILE) {
			uk_warn("%s: a %s, not a file: not followed, not copied", e.path,
			        uk_ftype_name(e.type));
			continue;
		}
		if ((err = uk_walk_lstat(w, &e, &st)) != 0) {
			char why[256];
			snprintf(why, sizeof(why), "cannot read it: %s",
			         uk_fs_strerror(err, eb, sizeof(eb)));
			uk_rescue_note_failed(r, e.rel, why);
			r->failed++;
			continue;
		}
		if (add(r, e.rel, st.size, NULL, "all", NULL) != 0) {
			uk_walk_close(w);
			uk_error("out of memory");
			return UK_EXIT_RUNTIME;
		}
	}
	uk_walk_close(w);
	if (rc < 0) {
		uk_error("%s: walking the store: %s", r->store.file_dir,
		         uk_fs_strerror(-rc, eb, sizeof(eb)));
		return UK_EXIT_RUNTIME;
	}
	return 0;
}

/* The latest finished verify run of this store, and the host it ran on.
 * 0, -1 on error, -2 when uk_db_prepare() failed and said why. */
static int find_run(uk_rescue *r, sqlite3 *db, int64_t *store_id, char **host)
{
	sqlite3_stmt *q = NULL;
	int rc;

	*store_id = -1;
	if (uk_db_prepare(db, "SELECT id FROM store WHERE path = ?", &q) != SQLITE_OK)
		return -2;
	sqlite3_bind_text(q, 1, r->store.path, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		*store_id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	if (uk_db_prepare(db, "SELECT r.id, r.host FROM verify_run r JOIN verify_run_store "
	                  "s ON s.run_id = r.id WHERE s.store_id = ? AND r.finished IS NOT "
	                  "NULL ORDER BY r.id DESC LIMIT 1", &q) != SQLITE_OK)
		return -2;
	sqlite3_bind_int64(q, 1, *store_id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(q, 1);
		r->verify_run = sqlite3_column_int64(q, 0);
		if (h && !(*host = strdup(h)))
			rc = SQLITE_NOMEM;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int uk_rescue_select(uk_rescue *r)
{
	sqlite3 *db = NULL;
	char err[480], *host = NULL;
	int64_t store_id = -1;
	uk_stat st;
	int rc = UK_EXIT_RUNTIME, e = 0;

	if (uk_fs_lstat(r->db_path, &st) == 0) {
		if ((rc = uk_db_open(r->db_path, 0, &db, err, sizeof(err))) != SQLITE_OK) {
			rc = uk_db_open_failed(rc, err);
			goto out;
		}
		rc = UK_EXIT_RUNTIME;
		if ((e = find_run(r, db, &store_id, &host)) != 0)
			goto dberr;
	}
	if (!r->verify_run && !r->o->all) {
		uk_rescue_refuse(r, "the database %s holds no finished verify run of %s: run "
		                 "usmt-verify first (or --all to copy every file of the store)",
		                 r->db_path, r->store.path);
		rc = UK_EXIT_FINDINGS;
		goto out;
	}
	if (!(r->machine = machine_name(host))) {
		uk_error("out of memory");
		goto out;
	}
	if (r->verify_run) {
		if ((e = from_run(r, db, store_id)) != 0)
			goto dberr;
		uk_info("verify run %lld of %s: %llu files to rescue", (long long)r->verify_run,
		        r->db_path, (unsigned long long)r->n);
		rc = 0;
	} else {
		uk_info("no verify run of %s in %s: --all copies every file found in the store",
		        r->store.path, r->db_path);
		rc = from_walk(r);
	}
	goto out;
dberr:
	if (e != -2)
		uk_error("database %s: %s", r->db_path, db ? sqlite3_errmsg(db) : "out of memory");
out:
	free(host);
	uk_db_close(db);
	return rc;
}
