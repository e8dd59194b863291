/* One restored folder, listed once: its entries with the identities the
 * listing gives for free (d_ino), so linked files need no stat at all. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "verify.h"
#include "wincase.h"

struct uk_rdir {
	char *dir;       /* the folder asked for */
	char *found;     /* the folder as found on disk (case may differ) */
	char *real;      /* found, resolved (uk_rdir_real), NULL until asked */
	uk_dir *d;       /* found, kept open: its entries are stat'ed by name */
	int err, real_done;
	uk_ritem *items;
	size_t n, cap;
	char *names;
	size_t names_len, names_cap;
	/* Open addressing on the case-folded name (item index + 1, 0 = empty):
	 * one table serves the exact and the case-insensitive lookup. */
	uint32_t *slots;
	size_t nslots;
};

uk_rdir *uk_rdir_new(void)
{
	return calloc(1, sizeof(uk_rdir));
}

static void clear(uk_rdir *r)
{
	free(r->dir);
	free(r->found);
	free(r->real);
	uk_fs_closedir(r->d);
	r->d = NULL;
	r->dir = r->found = r->real = NULL;
	r->real_done = 0;
	r->n = 0;
	r->names_len = 0;
	r->err = 0;
}

void uk_rdir_free(uk_rdir *r)
{
	if (!r)
		return;
	clear(r);
	free(r->items);
	free(r->names);
	free(r->slots);
	free(r);
}

/* `path` with each component that does not exist as spelled replaced by
 * its case-insensitive twin; NULL when some component has none. */
static char *resolve_ci(const char *path)
{
	const char *p = path, *next;
	size_t lead = 0;
	char *cur;
	uk_stat st;

	/* Keep "/" or "X:\" as it is. */
	if (p[0] == UK_SEP)
		lead = 1;
	else if (p[0] && p[1] == ':' && p[2] == UK_SEP)
		lead = 3;
	cur = malloc(lead + 1);
	if (!cur)
		return NULL;
	memcpy(cur, path, lead);
	cur[lead] = '\0';
	for (p = path + lead; *p; p = *next ? next + 1 : next) {
		char *comp, *cand;

		next = strchr(p, UK_SEP);
		if (!next)
			next = p + strlen(p);
		if (next == p)
			continue;
		comp = malloc((size_t)(next - p) + 1);
		if (!comp)
			goto fail;
		memcpy(comp, p, (size_t)(next - p));
		comp[next - p] = '\0';
		cand = *cur ? uk_path_join(cur, comp) : strdup(comp);
		if (cand && uk_fs_lstat(cand, &st) != 0) {
			free(cand);
			int type;
			cand = uk_store_child_ci(*cur ? cur : ".", comp, &type);
		}
		free(comp);
		free(cur);
		cur = cand;
		if (!cur)
			return NULL;
	}
	return cur;
fail:
	free(cur);
	return NULL;
}

static int add(uk_rdir *r, const uk_dirent *e, uint64_t vol)
{
	size_t n = strlen(e->name) + 1;

	if (uk_grow(&r->items, r->n, &r->cap, sizeof(*r->items), 64))
		return ENOMEM;
	if (r->names_len + n > r->names_cap) {
		size_t c = r->names_cap ? r->names_cap : 1024;
		while (c < r->names_len + n)
			c *= 2;
		char *nm = realloc(r->names, c);
		if (!nm)
			return ENOMEM;
		r->names = nm;
		r->names_cap = c;
	}
	memcpy(r->names + r->names_len, e->name, n);
	r->items[r->n] = (uk_ritem){ .name = (const char *)(uintptr_t)r->names_len,
	                             .type = e->type, .has_id = e->has_id, .id = e->id };
	r->items[r->n].id.vol = vol;
	r->names_len += n;
	r->n++;
	return 0;
}

static int index_names(uk_rdir *r)
{
	size_t want = 16;

	while (want < r->n * 2)
		want *= 2;
	if (want > r->nslots) {
		uint32_t *s = realloc(r->slots, want * sizeof(*s));
		if (!s)
			return ENOMEM;
		r->slots = s;
		r->nslots = want;
	}
	memset(r->slots, 0, r->nslots * sizeof(*r->slots));
	for (size_t i = 0; i < r->n; i++) {
		r->items[i].name = r->names + (uintptr_t)r->items[i].name;
		size_t s = uk_wincase_hash(r->items[i].name) & (r->nslots - 1);
		while (r->slots[s])
			s = (s + 1) & (r->nslots - 1);
		r->slots[s] = (uint32_t)i + 1;
	}
	return 0;
}

static int list(uk_rdir *r, const char *dir)
{
	uk_dir *d;
	uk_dirent e;
	uk_stat st;
	int rc;

	rc = uk_fs_lstat(dir, &st);
	if (rc == 0 && st.type != UK_FT_DIR)
		rc = ENOTDIR;
	if (rc == 0)
		rc = uk_fs_opendir(dir, &d);
	if (rc)
		return rc;
	while ((rc = uk_fs_readdir(d, &e)) > 0)
		if ((rc = -add(r, &e, st.id.vol)) < 0)
			break;
	if (rc < 0) {
		uk_fs_closedir(d);
		return -rc;
	}
	r->d = d;
	return index_names(r);
}

int uk_rdir_load(uk_rdir *r, const char *dir)
{
	if (r->dir && strcmp(r->dir, dir) == 0)
		return r->err;
	clear(r);
	r->dir = strdup(dir);
	if (!r->dir)
		return r->err = ENOMEM;
	r->err = list(r, dir);
	if (r->err && uk_fs_err_notfound(r->err)) {
		char *ci = resolve_ci(dir);
		if (ci && strcmp(ci, dir) != 0) {
			r->n = r->names_len = 0;
			r->err = list(r, ci);
			r->found = ci;
			ci = NULL;
		}
		free(ci);
	}
	if (!r->found)
		r->found = strdup(dir);
	if (!r->found && !r->err)
		r->err = ENOMEM;
	return r->err;
}

const char *uk_rdir_path(const uk_rdir *r)
{
	return r->found ? r->found : r->dir;
}

const char *uk_rdir_real(uk_rdir *r)
{
	if (!r->real_done && uk_fs_realpath(uk_rdir_path(r), &r->real) != 0)
		r->real = NULL;
	r->real_done = 1;
	return r->real;
}

int uk_rdir_lstat(const uk_rdir *r, const uk_ritem *it, const char *path, uk_stat *st)
{
	return r->d ? uk_fs_lstat_at(r->d, it->name, path, st) : uk_fs_lstat(path, st);
}

const uk_ritem *uk_rdir_find(const uk_rdir *r, const char *name)
{
	const uk_ritem *ci = NULL;

	if (r->err || r->n == 0)
		return NULL;
	for (size_t s = uk_wincase_hash(name) & (r->nslots - 1); r->slots[s];
	     s = (s + 1) & (r->nslots - 1)) {
		const uk_ritem *it = &r->items[r->slots[s] - 1];
		if (strcmp(it->name, name) == 0)
			return it;
		if (!ci && uk_wincase_cmp(it->name, name) == 0)
			ci = it;
	}
	return ci;
}
