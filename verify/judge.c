/* The verdict of one store file: identity first (no data read), then sizes,
 * then -- only when those cannot decide -- a hash job for the pool. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "store.h"
#include "verify.h"
#include "judge.h"

static const char *const verdict_names[UK_V_COUNT] = {
	"linked", "identical", "modified", "missing", "unreadable", "excluded",
	"corrupt", "changed-since-capture", "lost-since-capture"
};

const char *uk_verdict_name(int v)
{
	return v >= 0 && v < UK_V_COUNT ? verdict_names[v] : NULL;
}

void uk_vrec_free(uk_vrec *r)
{
	if (!r)
		return;
	if (r->own_names) {
		free(r->rel);
		free(r->store_path);
	}
	free(r->win);
	free(r->local);
	free(r->restored);
	free(r->error);
	free(r);
}

/* verdict + "what: native error text" */
static void set_error(uk_vrec *r, int verdict, const char *what, int err)
{
	char eb[256], *msg;
	size_t n;

	uk_fs_strerror(err, eb, sizeof(eb));
	n = strlen(what) + strlen(eb) + 3;
	msg = malloc(n);
	if (msg)
		snprintf(msg, n, "%s: %s", what, eb);
	free(r->error);
	r->error = msg;
	r->verdict = verdict;
}

static void set_note(uk_vrec *r, int verdict, const char *note)
{
	free(r->error);
	r->error = strdup(note);
	r->verdict = verdict;
}

static void set_linked(uk_vrec *r)
{
	r->verdict = UK_V_LINKED;
	r->has_restored_id = 1;
	r->restored_id = r->st.id;
	r->restored_readonly = r->st.readonly; /* one file, one attribute */
}

/* The nearest existing ancestor of `dir`: *len its length (0: none). */
static int nearest(const char *dir, uk_stat *st, size_t *len)
{
	char *p = strdup(dir), *sep;
	int found = 0;

	*len = 0;
	while (p) {
		if (uk_fs_lstat(p, st) == 0) {
			*len = strlen(p);
			found = 1;
			break;
		}
		sep = strrchr(p, UK_SEP);
		if (!sep || sep == p)
			break;
		*sep = '\0';
	}
	free(p);
	return found ? 0 : ENOMEM;
}

/* Repair creates the missing folders between the nearest existing one and
 * the file, never a --root itself nor anything outside it. */
static const char *repair_refusal(const uk_judge_ctx *c, const uk_vrec *r, const char *dir)
{
	const char *root = c->map ? uk_pathmap_root(c->map, r->win[0]) : NULL;
	size_t len, rn = root ? strlen(root) : 0;
	uk_stat st;

	while (rn > 1 && root[rn - 1] == UK_SEP)
		rn--;
	if (nearest(dir, &st, &len) != 0 || st.type != UK_FT_DIR)
		return "not repaired: no existing folder above the restored path";
	if (root && (len < rn || strncmp(dir, root, rn) != 0))
		return "not repaired: the --root folder does not exist";
	if (st.id.vol != r->st.id.vol)
		return "not repaired: the restored folder is on another volume";
	return NULL;
}

/* --repair: the missing restored file becomes a hard link to the store entry. */
static void repair(const uk_judge_ctx *c, uk_vrec *r, const char *dir, const char *name)
{
	const char *why = repair_refusal(c, r, dir);
	char *path, *esc;
	int err;

	if (why) {
		set_note(r, UK_V_MISSING, why);
		return;
	}
	path = uk_path_join(dir, name);
	if (!path) {
		set_error(r, UK_V_MISSING, "not repaired", ENOMEM);
		return;
	}
	err = uk_fs_mkdir_p(dir);
	if (!err)
		err = uk_fs_link(r->store_path, path);
	if (err) {
		set_error(r, UK_V_MISSING, "not repaired", err);
		free(path);
		return;
	}
	free(r->restored);
	r->restored = path;
	r->repaired = 1;
	r->st.nlink++;
	set_linked(r);
	esc = uk_out_escape(r->win);
	uk_info("repaired: %s (hard link to the store entry)", esc ? esc : r->win);
	free(esc);
}

static int want_hash(uk_vrec *r, const char *restored)
{
	memset(&r->job, 0, sizeof(r->job));
	r->job.path[0] = r->store_path;
	r->job.path[1] = restored;
	r->job.size = restored ? 2 * r->st.size : r->st.size;
	r->job.user = r;
	return 1;
}

/* Returns 1 when a repaired file is to be hashed (--hash=always). */
static int missing(const uk_judge_ctx *c, uk_vrec *r, const char *dir, const char *name)
{
	r->verdict = UK_V_MISSING;
	if (c->repair)
		repair(c, r, dir, name);
	return r->repaired && c->hash_always ? want_hash(r, NULL) : 0;
}

/* Whether uk_path_join(found, fname) is dir + UK_SEP + name, r->local
 * before judge() split it ("/" + name for a file in the root). */
static int joins_to_local(const char *found, const char *fname, const char *dir,
                          const char *name)
{
	size_t n = strlen(dir);

	if (strcmp(found, dir) != 0 || strcmp(fname, name) != 0)
		return 0;
	return (n == 1 && dir[0] == UK_SEP) || (n > 0 && dir[n - 1] != UK_SEP && dir[n - 1] != '/');
}

/* Compares with the restored entry `it` of folder rd, found for the local
 * path dir + name; returns 1 to hash. */
static int compare(const uk_judge_ctx *c, uk_vrec *r, const uk_rdir *rd, const uk_ritem *it,
                   const char *dir, const char *name)
{
	uk_stat rs;
	int err;

	/* The listing's identity decides a linked file with no stat at all; when
	 * its path joins to r->local, that is the row's local_path: no copy. */
	if (it->has_id && it->id.vol == r->st.id.vol && it->id.hi == r->st.id.hi &&
	    it->id.lo == r->st.id.lo && joins_to_local(uk_rdir_path(rd), it->name, dir, name)) {
		set_linked(r);
		return c->hash_always ? want_hash(r, NULL) : 0;
	}
	r->restored = uk_path_join(uk_rdir_path(rd), it->name);
	if (!r->restored) {
		set_error(r, UK_V_UNREADABLE, "restored path", ENOMEM);
		return 0;
	}
	if (it->has_id && it->id.vol == r->st.id.vol && it->id.hi == r->st.id.hi &&
	    it->id.lo == r->st.id.lo) {
		set_linked(r);
		return c->hash_always ? want_hash(r, NULL) : 0;
	}
	err = uk_rdir_lstat(rd, it, r->restored, &rs);
	if (err) {
		if (uk_fs_err_notfound(err))
			r->verdict = UK_V_MISSING;
		else
			set_error(r, UK_V_UNREADABLE, "restored file", err);
		return 0;
	}
	r->has_restored_id = 1;
	r->restored_id = rs.id;
	r->restored_readonly = rs.readonly;
	if (uk_fid_equal(&rs.id, &r->st.id)) {
		set_linked(r);
		return c->hash_always ? want_hash(r, NULL) : 0;
	}
	if (rs.type != UK_FT_FILE) {
		set_note(r, UK_V_MODIFIED, rs.type == UK_FT_DIR ? "the restored path is a folder" :
		         rs.type == UK_FT_LINK ? "the restored path is a symbolic link (not followed)" :
		         "the restored path is not a regular file");
		return 0;
	}
	if (rs.size != r->st.size) {
		r->verdict = UK_V_MODIFIED; /* decided without reading */
		return c->hash_always ? want_hash(r, NULL) : 0;
	}
	return want_hash(r, r->restored);
}

/* 1 when the restored folder loaded in rd is a store root or below one:
 * (a --root or --map into the store) every entry would be "linked" to
 * itself, its own evidence. */
static int in_a_store(const uk_judge_ctx *c, uk_rdir *rd)
{
	const char *real = NULL;

	for (size_t i = 0; i < c->nstores; i++) {
		size_t n = strlen(c->stores[i].path);
		if (!real && !(real = uk_rdir_real(rd)))
			return 0;
		if (uk_fs_path_ncmp(c->stores[i].path, real, n) == 0 &&
		    (real[n] == '\0' || real[n] == UK_SEP))
			return 1;
	}
	return 0;
}

int uk_judge(const uk_judge_ctx *c, uk_rdir *rd, uk_vrec *r, int st_err)
{
	const uk_ritem *it;
	char *sep, *dir, *name;
	int err, rc = 0;

	if (st_err) {
		r->st.type = UK_FT_UNKNOWN;
		set_error(r, UK_V_UNREADABLE, "store entry", st_err);
		return 0;
	}
	if (c->config && r->st.nlink <= 1)
		r->rule = uk_config_rule_for(c->config, r->win);
	if (uk_patternset_match(c->exclude, r->win, 0)) {
		r->verdict = UK_V_EXCLUDED;
		return 0;
	}
	if (!r->local) {
		set_note(r, UK_V_UNREADABLE, !(r->win[0] && r->win[1] == ':') ?
		         "not under a drive folder (X$) of the store" :
		         uk_store_win_has_dot(r->win) ?
		         "its name has a '.' or '..' folder: never mapped outside the restored tree" :
		         "no local folder for this path's drive (see --root)");
		return 0;
	}
	sep = strrchr(r->local, UK_SEP);
	if (!sep) {
		set_note(r, UK_V_UNREADABLE, "the restored path has no folder");
		return 0;
	}
	dir = r->local;
	name = sep + 1;
	*sep = '\0'; /* split in place, restored below */
	err = uk_rdir_load(rd, sep == r->local ? UK_SEP_S : dir);
	if (err && uk_fs_err_notfound(err))
		rc = missing(c, r, sep == r->local ? UK_SEP_S : dir, name);
	else if (err)
		set_error(r, UK_V_UNREADABLE, "restored folder", err);
	else if (in_a_store(c, rd))
		set_note(r, UK_V_UNREADABLE, "its restored folder is inside the store (check "
		         "--root and --map)");
	else if ((it = uk_rdir_find(rd, name)) == NULL)
		rc = missing(c, r, uk_rdir_path(rd), name);
	else
		rc = compare(c, r, rd, it, sep == r->local ? UK_SEP_S : dir, name);
	*sep = UK_SEP;
	return rc;
}

void uk_judge_hashed(uk_vrec *r, uint64_t *hashed_bytes)
{
	uk_hashjob *j = &r->job;

	*hashed_bytes += j->bytes[0] + j->bytes[1];
	if (j->err[0]) {
		set_error(r, UK_V_UNREADABLE, "store entry", j->err[0]);
		return;
	}
	r->hashed = 1;
	r->hash = j->h[0];
	if (!j->path[1])
		return; /* --hash=always on a file identity or size already decided */
	if (j->err[1]) {
		if (uk_fs_err_notfound(j->err[1]))
			r->verdict = UK_V_MISSING;
		else
			set_error(r, UK_V_UNREADABLE, "restored file", j->err[1]);
		return;
	}
	r->verdict = j->h[0].hi == j->h[1].hi && j->h[0].lo == j->h[1].lo ?
	             UK_V_IDENTICAL : UK_V_MODIFIED;
}

void uk_judge_sole_copy(uk_vrec *r)
{
	/* Unknown link count (unreadable store entry) counts as the only copy. */
	int only = r->st.type == UK_FT_UNKNOWN || r->st.nlink <= 1;

	r->sole_copy = only && (r->verdict == UK_V_MODIFIED || r->verdict == UK_V_MISSING ||
	                        r->verdict == UK_V_UNREADABLE);
}
