/* Which paths usmt-purge may ever touch. Every path it deletes is built from
 * a store root and a checked relative path, and every folder between the two
 * is proven to be a real folder, so no link can lead a deletion outside. */
#include <stdlib.h>
#include <string.h>

#include "purge.h"

int uk_purge_inside(const char *root, const char *path)
{
	size_t n = strlen(root);

	while (n > 0 && root[n - 1] == UK_SEP)
		n--;
	return uk_fs_path_ncmp(root, path, n) == 0 && path[n] == UK_SEP && path[n + 1] != '\0';
}

static int is_ancestor_or_same(const char *a, const char *b)
{
	size_t n = strlen(a);

	while (n > 0 && a[n - 1] == UK_SEP)
		n--;
	return uk_fs_path_ncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == UK_SEP || n == 0);
}

/* 1 when `parent` is the folder holding `path`: "/home/al" in "/home". */
static int parent_is(const char *path, const char *parent)
{
	const char *slash = strrchr(path, UK_SEP);
	size_t n;

	if (!slash || slash[1] == '\0')
		return 0;
	n = (size_t)(slash - path);
	if (n == 0)
		return parent[0] == UK_SEP && parent[1] == '\0';
	return strlen(parent) == n && uk_fs_path_ncmp(path, parent, n) == 0;
}

const char *uk_purge_forbidden_root(const char *path, const char *home)
{
	const char *const *profiles = uk_fs_profile_roots();
	const char *p, *root;
	size_t i;

	if (!path || !*path)
		return "an empty path";
	if ((root = uk_fs_volume_root_name(path)) != NULL)
		return root;
	if (home && *home && is_ancestor_or_same(path, home))
		return "a home folder or a folder holding one";
	p = uk_fs_path_after_volume(path); /* profiles are named without a drive */
	for (i = 0; profiles[i]; i++)
		if (is_ancestor_or_same(p, profiles[i]) || parent_is(p, profiles[i]))
			return "a user profile or a folder holding profiles";
	return NULL;
}

/* A guard's caches: the last folder proven free of links, and the last
 * restored folder checked to lie outside the stores. One per thread that
 * checks paths (uk_purge.guard, and each of delete.c's checkers). */
struct uk_purge_guard {
	char *checked_dir;
	char *rdir;
	int rdir_outside;
};

static struct uk_purge_guard *guard(struct uk_purge_guard **gp)
{
	if (!*gp)
		*gp = calloc(1, sizeof(**gp));
	return *gp;
}

void uk_purge_guard_free(struct uk_purge_guard **gp)
{
	if (!*gp)
		return;
	free((*gp)->checked_dir);
	free((*gp)->rdir);
	free(*gp);
	*gp = NULL;
}

int uk_purge_parents_plain(struct uk_purge_guard **gp, const char *base, const char *path)
{
	size_t nbase = strlen(base);
	const char *last = strrchr(path, UK_SEP);
	size_t ndir, start, i;
	struct uk_purge_guard *g = guard(gp);
	char *dir;
	uk_stat st;
	int err;

	if (!g || !last || !uk_purge_inside(base, path))
		return -1;
	ndir = (size_t)(last - path);
	if (ndir == nbase)
		return 0;
	if (g->checked_dir && strlen(g->checked_dir) == ndir &&
	    memcmp(g->checked_dir, path, ndir) == 0)
		return 0;
	dir = malloc(ndir + 1);
	if (!dir)
		return -1;
	memcpy(dir, path, ndir);
	dir[ndir] = '\0';
	/* Folders already proven by the previous call need no second look:
	 * its own (a folder above the last file checked) or those above it. */
	if (g->checked_dir && is_ancestor_or_same(dir, g->checked_dir)) {
		free(dir);
		return 0;
	}
	start = nbase;
	if (g->checked_dir && is_ancestor_or_same(g->checked_dir, dir) &&
	    strlen(g->checked_dir) >= nbase)
		start = strlen(g->checked_dir);
	for (i = start + 1; i <= ndir; i++) {
		if (i < ndir && dir[i] != UK_SEP)
			continue;
		dir[i] = '\0';
		err = uk_fs_lstat(dir, &st);
		if (!err && st.type != UK_FT_DIR)
			err = -1;
		if (i < ndir)
			dir[i] = UK_SEP;
		if (err) {
			free(dir);
			return err;
		}
	}
	free(g->checked_dir);
	g->checked_dir = dir;
	return 0;
}

int uk_purge_restored_outside(const uk_purge *p, struct uk_purge_guard **gp,
                               const char *local)
{
	const char *last = strrchr(local, UK_SEP);
	size_t n = last ? (size_t)(last - local) : 0, i;
	struct uk_purge_guard *g = guard(gp);
	char *dir, *real = NULL;

	if (!g || n == 0)
		return 0;
	if (g->rdir && strlen(g->rdir) == n && memcmp(g->rdir, local, n) == 0)
		return g->rdir_outside;
	if (!(dir = malloc(n + 1)))
		return 0;
	memcpy(dir, local, n);
	dir[n] = '\0';
	free(g->rdir);
	g->rdir = dir;
	g->rdir_outside = 0;
	if (uk_fs_realpath(dir, &real) != 0)
		return 0;
	g->rdir_outside = 1;
	for (i = 0; i < p->nst; i++)
		if (is_ancestor_or_same(p->st[i].path, real))
			g->rdir_outside = 0;
	free(real);
	return g->rdir_outside;
}
