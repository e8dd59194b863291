/* What must hold before usmt-purge touches anything: each STORE is a
 * recognised store (or one a journal of ours has partly deleted), the
 * database is outside it, no other purge holds the lock, and the database
 * holds a finished verify run of these stores that found nothing at risk. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exitcode.h"
#include "out.h"
#include "purge.h"
#include "store.h"

void uk_purge_refuse(uk_purge *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	p->result = "refused";
}

static int fail2(uk_purge *p, const char *fmt, ...) UK_PRINTF(2, 3);
static int fail2(uk_purge *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	p->result = "refused";
	uk_error("%s", p->reason);
	return UK_EXIT_USAGE;
}

static int not_store(uk_purge *p, const uk_purge_store *s)
{
	if (s->present)
		return fail2(p, "%s", s->why);
	return fail2(p, "%s: not a USMT store: it does not exist", s->arg);
}

/* Canonical form of a path that may no longer exist (a store already
 * purged): its parent resolved, its own name kept. */
static char *canonical(const char *arg, int *present)
{
	size_t n = strlen(arg);
	char *given, *parent = NULL, *real = NULL, *slash, *r = NULL;

	while (n > 1 && (arg[n - 1] == '/' || arg[n - 1] == UK_SEP))
		n--;
	given = malloc(n + 3);
	if (!given)
		return NULL;
	memcpy(given, arg, n);
	given[n] = '\0';
	if (uk_fs_realpath(given, &r) == 0) {
		*present = 1;
		goto out;
	}
	*present = 0;
	slash = strrchr(given, UK_SEP);
	if (UK_SEP != '/' && (!slash || strrchr(given, '/') > slash))
		slash = strrchr(given, '/');
	if (!slash) {
		memmove(given + 2, given, n + 1);
		given[0] = '.';
		given[1] = UK_SEP;
		slash = given + 1;
	}
	*slash = '\0';
	parent = slash == given ? NULL : given;
	if (uk_fs_realpath(parent ? parent : UK_SEP_S, &real) == 0)
		r = uk_path_join(real, slash + 1);
out:
	free(real);
	free(given);
	return r;
}

static int open_one(uk_purge *p, uk_purge_store *s, const char *home)
{
	const char *bad;
	char *mount = NULL;
	uk_store us;
	uk_stat st;
	int kind, err;

	s->path = canonical(s->arg, &s->present);
	if (!s->path)
		return fail2(p, "%s: cannot resolve the path", s->arg);
	if ((bad = uk_purge_forbidden_root(s->path, home)) != NULL)
		return fail2(p, "%s: refusing to purge %s", s->arg, bad);
	s->usmt = uk_path_join(s->path, "USMT");
	s->file_dir = s->usmt ? uk_path_join(s->usmt, "File") : NULL;
	if (!s->file_dir)
		return fail2(p, "%s: out of memory", s->arg);
	if (!s->present)
		return 0;
	err = uk_fs_lstat(s->arg, &st);
	if (!err && st.type == UK_FT_LINK)
		return fail2(p, "%s: not a USMT store: %s", s->arg,
		             "the store folder is a symbolic link or reparse point");
	if (uk_fs_mount_root(s->path, &mount) == 0 && strcmp(mount, s->path) == 0) {
		free(mount);
		return fail2(p, "%s: refusing to purge %s", s->arg, "the root of a volume");
	}
	free(mount);
	kind = uk_store_open(s->path, &us, s->why, sizeof(s->why));
	s->recognised = kind == UK_STORE_HARDLINK || kind == UK_STORE_UNCOMPRESSED;
	if (s->recognised) { /* the names as they are on disk, whatever their case */
		free(s->usmt);
		free(s->file_dir);
		s->usmt = us.usmt;
		s->file_dir = us.file_dir;
		us.usmt = us.file_dir = NULL;
	}
	uk_store_free(&us);
	if (kind == UK_STORE_COMPRESSED)
		return fail2(p, "%s", s->why);
	return 0;
}

int uk_purge_open_stores(uk_purge *p)
{
	const char *home = getenv("HOME");
	size_t i, j;
	int rc;

	if (!home || !*home)
		home = getenv("USERPROFILE");
	p->st = calloc(p->o->nstores, sizeof(*p->st));
	if (!p->st)
		return fail2(p, "out of memory");
	p->nst = p->o->nstores;
	for (i = 0; i < p->nst; i++) {
		p->st[i].arg = p->o->stores[i];
		p->st[i].id = -1;
		if ((rc = open_one(p, &p->st[i], home)) != 0)
			return rc;
		for (j = 0; j < i; j++)
			if (strcmp(p->st[j].path, p->st[i].path) == 0)
				return fail2(p, "%s: the same store is given twice",
				             p->st[i].arg);
	}
	return 0;
}

/* -1: not known; -2: uk_db_prepare() failed and said why. */
/* A database failure already reported: the reason names it, exit 3. */
static int runtime_db(uk_purge *p)
{
	snprintf(p->reason, sizeof(p->reason), "database %s: %s", p->db_path,
	         sqlite3_errmsg(p->db));
	return UK_EXIT_RUNTIME;
}

static int64_t store_id(sqlite3 *db, const char *path)
{
	sqlite3_stmt *q;
	int64_t id = -1;

	if (uk_db_prepare(db, "SELECT id FROM store WHERE path = ?", &q) != SQLITE_OK)
		return -2;
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return id;
}

int uk_purge_open_db(uk_purge *p)
{
	char err[480], *dir = NULL;
	uk_stat st;
	size_t i;
	int e, rc;

	p->db_path = p->o->db ? strdup(p->o->db) : uk_db_default_path(p->st[0].path);
	if (!p->db_path) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	/* The journal must survive the purge: never inside a store. */
	if ((dir = canonical(p->db_path, &e)) != NULL) {
		for (i = 0; i < p->nst; i++)
			if (uk_purge_inside(p->st[i].path, dir)) {
				free(dir);
				return fail2(p, "%s: the database must not be inside the store %s",
				             p->db_path, p->st[i].arg);
			}
		free(dir);
	}
	e = uk_fs_lstat(p->db_path, &st);
	for (i = 0; i < p->nst; i++)
		if (e && !p->st[i].recognised)
			return not_store(p, &p->st[i]);
	if (e) {
		if (p->o->run_pending)
			return fail2(p, "%s: no usmtkit database here: nothing is pending",
			             p->db_path);
		uk_purge_refuse(p, "no usmtkit database at %s: run usmt-verify first",
		                p->db_path);
		return UK_EXIT_FINDINGS;
	}
	/* Before SQLite starts: purge's connection is used by the main thread
	 * only (the deleting threads make system calls), so no connection mutex
	 * (taken by every bind and step) and no malloc statistics (a global
	 * mutex a malloc), as in usmt-verify. */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if ((rc = uk_db_open(p->db_path, 0, &p->db, err, sizeof(err))) != SQLITE_OK) {
		snprintf(p->reason, sizeof(p->reason), "%s", err);
		return uk_db_open_failed(rc, err);
	}
	for (i = 0; i < p->nst; i++) {
		p->st[i].id = store_id(p->db, p->st[i].path);
		if (p->st[i].id == -1)
			p->st[i].id = store_id(p->db, p->st[i].arg);
		if (p->st[i].id == -2)
			return runtime_db(p);
	}
	return 0;
}

int uk_purge_take_lock(uk_purge *p)
{
	char *path = malloc(strlen(p->db_path) + sizeof(".lock"));
	char eb[128];
	int err;

	if (!path) {
		uk_error("out of memory");
		return UK_EXIT_RUNTIME;
	}
	strcpy(path, p->db_path);
	strcat(path, ".lock");
	err = uk_fs_lock(path, &p->lock);
	if (err && uk_fs_err_locked(err)) {
		uk_purge_refuse(p, "another usmt-purge is running on this store (it holds %s)",
		                path);
		free(path);
		return UK_EXIT_FINDINGS;
	}
	if (err) {
		snprintf(p->reason, sizeof(p->reason), "cannot lock %s: %s", path,
		         uk_fs_strerror(err, eb, sizeof(eb)));
		uk_error("%s", p->reason);
	}
	free(path);
	return err ? UK_EXIT_RUNTIME : 0;
}

/* 1 when the journal has steps for this store: a purge of ours began here. */
static int journal_knows(uk_purge *p, int64_t id)
{
	sqlite3_stmt *q;
	int r = 0;

	if (id < 0 || uk_db_prepare(p->db, "SELECT 1 FROM main.purge_step WHERE "
	                            "store_id = ? LIMIT 1", &q) != 0)
		return 0;
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return r;
}

int uk_purge_accept_partial(uk_purge *p)
{
	const char *const names[2] = { "USMT", "USMT/File" };
	size_t i;
	uk_stat st;

	for (i = 0; i < p->nst; i++) {
		uk_purge_store *s = &p->st[i];
		const char *dirs[2] = { s->usmt, s->file_dir };
		if (s->recognised)
			continue;
		/* --readonly-only needs only the verify run: after a store was
		 * deleted by other means is when read-only most needs restoring. */
		if (!journal_knows(p, s->id) && !(p->o->readonly_only && s->id >= 0))
			return not_store(p, s);
		/* Partly deleted by a purge of ours: what is left must still be
		 * plain folders, never a link leading elsewhere. */
		for (int k = 0; k < 2 && s->present; k++)
			if (uk_fs_lstat(dirs[k], &st) == 0 && st.type != UK_FT_DIR)
				return fail2(p, "%s: not a USMT store: its %s is not a folder "
				             "(a link?)", s->arg, names[k]);
		uk_info("%s: %s; working from the database", s->arg, s->present ?
		        "partly purged already" : "already gone");
	}
	return 0;
}

/* The run that counts for these stores: the one query report uses too. */
static int find_verify_run(uk_purge *p)
{
	int64_t *ids = malloc((p->nst ? p->nst : 1) * sizeof(*ids));
	int rc;

	if (!ids) {
		uk_error("out of memory");
		return -1;
	}
	for (size_t i = 0; i < p->nst; i++)
		ids[i] = p->st[i].id;
	rc = uk_db_verify_run(p->db, ids, p->nst, &p->verify_run);
	free(ids);
	return rc;
}

/* "1,2,3": the store ids, for IN (...). Integers only, so no injection. */
char *uk_purge_store_ids(const uk_purge *p)
{
	char *s = malloc(p->nst * 24 + 1);
	size_t i, n = 0;

	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < p->nst; i++)
		n += (size_t)sprintf(s + n, "%s%lld", i ? "," : "", (long long)p->st[i].id);
	return s;
}

/* The newest verify run that never finished (killed, or still running) of
 * none yet (killed before it recorded a store) or, unless `storeless`, of
 * one of these stores; 0 when there is none. */
static int64_t unfinished_run(uk_purge *p, int storeless)
{
	char *ids = storeless ? strdup("NULL") : uk_purge_store_ids(p);
	char *sql = ids ? sqlite3_mprintf("SELECT max(id) FROM verify_run r WHERE finished IS "
	                                  "NULL AND (NOT EXISTS (SELECT 1 FROM verify_run_store "
	                                  "s WHERE s.run_id = r.id) OR EXISTS (SELECT 1 FROM "
	                                  "verify_run_store s WHERE s.run_id = r.id AND "
	                                  "s.store_id IN (%s)))", ids) : NULL;
	sqlite3_stmt *q = NULL;
	int64_t id = 0;

	free(ids);
	/* Raw and silent: this only names an unfinished run in the refusal
	 * that follows; failing, the refusal is given without the name. */
	if (sql && sqlite3_prepare_v2(p->db, sql, -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_free(sql);
	return id;
}

/* Refused: no verify run of the store `arg` at all, or (arg NULL) none
 * finished of these stores; an unfinished one is named, not hidden. */
static int no_run(uk_purge *p, const char *arg)
{
	const char *which = arg ? "this store" : p->nst > 1 ? "all these stores" : "this store";
	int64_t open_run = unfinished_run(p, arg != NULL);

	if (open_run)
		uk_purge_refuse(p, "%s%sthe database %s holds no finished verify run of %s: "
		                "verify run %lld is unfinished (interrupted, or still running) and "
		                "is not trusted; run usmt-verify again", arg ? arg : "",
		                arg ? ": " : "", p->db_path, which, (long long)open_run);
	else
		uk_purge_refuse(p, "%s%sthe database %s holds no %sverify run of %s: run "
		                "usmt-verify first", arg ? arg : "", arg ? ": " : "", p->db_path,
		                arg ? "" : "finished ", which);
	return UK_EXIT_FINDINGS;
}

int uk_purge_gate(uk_purge *p, int deleting)
{
	long long missing = 0, unreadable = 0, sole = 0, corrupt = 0;
	sqlite3_stmt *q = NULL;
	char *ids, *sql;
	size_t i;
	int rc;

	for (i = 0; i < p->nst; i++)
		if (p->st[i].id < 0)
			return no_run(p, p->st[i].arg);
	if (find_verify_run(p) != 0)
		return runtime_db(p);
	if (!p->verify_run)
		return no_run(p, NULL);
	if (!deleting)
		return 0;
	ids = uk_purge_store_ids(p);
	sql = ids ? sqlite3_mprintf("SELECT count(*) FILTER (WHERE verdict = 'missing'), "
	                            "count(*) FILTER (WHERE verdict = 'unreadable'), "
	                            "count(*) FILTER (WHERE sole_copy AND "
	                            "coalesce(verdict, '') <> 'excluded'), "
	                            "count(*) FILTER (WHERE verdict = 'corrupt') "
	                            "FROM entry WHERE run_id = %lld AND store_id IN (%s)",
	                            (long long)p->verify_run, ids) : NULL;
	free(ids);
	if (!sql) {
		uk_error("out of memory");
		return runtime_db(p);
	}
	rc = uk_db_prepare(p->db, sql, &q);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return runtime_db(p);
	if (sqlite3_step(q) != SQLITE_ROW)
		goto dberr;
	missing = sqlite3_column_int64(q, 0);
	unreadable = sqlite3_column_int64(q, 1);
	sole = sqlite3_column_int64(q, 2);
	corrupt = sqlite3_column_int64(q, 3);
	sqlite3_finalize(q);
	if (missing + unreadable + sole == 0)
		return 0;
	if (!p->o->force) {
		uk_purge_refuse(p, "verify run %lld found %lld missing, %lld unreadable and %lld "
		                "sole-copy files (%lld of them corrupt: content differs from the "
		                "baseline): deleting the store would lose data (see usmt-report; "
		                "--force deletes the rest and keeps sole copies)",
		                (long long)p->verify_run, missing, unreadable, sole, corrupt);
		return UK_EXIT_FINDINGS;
	}
	uk_warn("--force: verify run %lld found %lld missing, %lld unreadable and %lld "
	        "sole-copy files; sole copies are %s", (long long)p->verify_run, missing,
	        unreadable, sole, p->o->force_data_loss ? "DELETED (--force-data-loss)" :
	        "kept");
	return 0;
dberr:
	sqlite3_finalize(q);
	uk_error("database %s: %s", p->db_path, sqlite3_errmsg(p->db));
	return runtime_db(p);
}
