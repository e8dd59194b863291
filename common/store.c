/* Store recognition and path mapping (SPEC.md section 1). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "fs.h"
#include "grow.h"
#include "out.h"
#include "store.h"
#include "wincase.h"

struct uk_pathmap {
	char *root[26];     /* drive letter -> local directory */
	int explicit_roots; /* a --root was given: no default root */
	struct uk_map { char *from, *to; } *maps;
	size_t nmaps, cap;
};

const char *uk_store_kind_name(int kind)
{
	switch (kind) {
	case UK_STORE_HARDLINK: return "hardlink";
	case UK_STORE_UNCOMPRESSED: return "uncompressed";
	case UK_STORE_COMPRESSED: return "compressed";
	default: return "none";
	}
}

/* strndup is not in every C library (mingw). */
static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int is_sep(char c)
{
	return c == '/' || c == UK_SEP;
}

char *uk_store_child_ci(const char *dir, const char *name, int *type)
{
	uk_dir *d;
	uk_dirent e;
	char *found = NULL;
	int exact = 0;
	uk_stat st;

	*type = UK_FT_UNKNOWN;
	if (uk_fs_opendir(dir, &d) != 0)
		return NULL;
	/* The name as spelled wins over a twin in another case (POSIX can hold both). */
	while (!exact && uk_fs_readdir(d, &e) > 0) {
		if (found && strcmp(e.name, name) != 0)
			continue;
		if (uk_wincase_cmp(e.name, name) != 0)
			continue;
		exact = strcmp(e.name, name) == 0;
		free(found);
		found = uk_path_join(dir, e.name);
		if (!found)
			break;
	}
	uk_fs_closedir(d);
	if (found && uk_fs_lstat(found, &st) == 0)
		*type = st.type;
	else if (found) {
		free(found);
		found = NULL;
	}
	return found;
}

static int refuse(char *err, size_t errlen, const char *path, const char *why)
{
	snprintf(err, errlen, "%s: not a USMT store: %s", path, why);
	return UK_STORE_NONE;
}

/* Fills s->path with the absolute root; the last component must not be a link. */
static int store_root(const char *path, uk_store *s, char *err, size_t errlen)
{
	size_t n = strlen(path);
	char *given;
	uk_stat st;
	int rc;

	/* "store/" would make lstat follow a symbolic link named store. */
	while (n > 1 && is_sep(path[n - 1]))
		n--;
	given = dupn(path, n);
	if (!given) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = uk_fs_lstat(given, &st);
	if (rc != 0) {
		char eb[128];
		snprintf(err, errlen, "%s: not a USMT store: %s", path,
		         uk_fs_strerror(rc, eb, sizeof(eb)));
		rc = -1;
	} else if (st.type == UK_FT_LINK) {
		refuse(err, errlen, path, "the store folder is a symbolic link or reparse point");
		rc = -1;
	} else if (st.type != UK_FT_DIR) {
		refuse(err, errlen, path, "not a folder");
		rc = -1;
	} else if (uk_fs_realpath(given, &s->path) != 0) {
		refuse(err, errlen, path, "cannot resolve its absolute path");
		rc = -1;
	}
	free(given);
	return rc;
}

int uk_store_open(const char *path, uk_store *s, char *err, size_t errlen)
{
	int type, kind = UK_STORE_NONE;
	char *p;

	memset(s, 0, sizeof(*s));
	if (store_root(path, s, err, errlen) != 0)
		goto out;
	s->usmt = uk_store_child_ci(s->path, "USMT", &type);
	if (!s->usmt) {
		refuse(err, errlen, path, "no USMT folder in it");
		goto out;
	}
	if (type != UK_FT_DIR) {
		refuse(err, errlen, path, type == UK_FT_LINK ?
		       "its USMT folder is a symbolic link or reparse point" :
		       "USMT is not a folder");
		goto out;
	}
	if ((p = uk_store_child_ci(s->usmt, "USMT.MIG", &type)) != NULL) {
		free(p);
		snprintf(err, errlen, "%s: compressed store (USMT\\USMT.MIG): usmtkit checks "
		         "hard-link and uncompressed stores; use UsmtUtils /verify for a "
		         "compressed one", path);
		kind = UK_STORE_COMPRESSED;
		goto out;
	}
	s->file_dir = uk_store_child_ci(s->usmt, "File", &type);
	if (!s->file_dir || type != UK_FT_DIR) {
		refuse(err, errlen, path, !s->file_dir ? "no USMT\\File folder" :
		       type == UK_FT_LINK ?
		       "its USMT\\File folder is a symbolic link or reparse point" :
		       "USMT\\File is not a folder");
		goto out;
	}
	/* MDT's test: catalog.mig and MIGSTATE.DAT present (never parsed). */
	if ((p = uk_store_child_ci(s->usmt, "catalog.mig", &type)) == NULL || type != UK_FT_FILE) {
		free(p);
		refuse(err, errlen, path, "USMT\\catalog.mig is missing");
		goto out;
	}
	free(p);
	if ((p = uk_store_child_ci(s->usmt, "MIGSTATE.DAT", &type)) == NULL || type != UK_FT_FILE) {
		free(p);
		refuse(err, errlen, path, "USMT\\MIGSTATE.DAT is missing");
		goto out;
	}
	free(p);
	p = uk_store_child_ci(s->usmt, "hardlink.main", &type);
	kind = p && type == UK_FT_FILE ? UK_STORE_HARDLINK : UK_STORE_UNCOMPRESSED;
	free(p);
out:
	s->kind = kind;
	return kind;
}

void uk_store_free(uk_store *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->usmt);
	free(s->file_dir);
	memset(s, 0, sizeof(*s));
}

/* Drive letter of a store folder name "X$", or 0. */
static int drive_of(const char *name, size_t n)
{
	if (n == 2 && isalpha((unsigned char)name[0]) && name[1] == '$')
		return toupper((unsigned char)name[0]);
	return 0;
}

int uk_store_rel_safe(const char *rel)
{
	const char *c = rel, *e;

	if (!rel || !*rel || *rel == '/')
		return 0;
	for (;;) {
		e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (!e)
			break;
		c = e + 1;
	}
	return !uk_fs_rel_has_special(rel);
}

char *uk_store_rel_local(const char *base, const char *rel)
{
	char *p = uk_path_join(base, rel);
	char *c;

	if (p && UK_SEP != '/')
		for (c = p + strlen(base); *c; c++)
			if (*c == '/')
				*c = UK_SEP;
	return p;
}

/* n bytes of src to dst with every `from` made `to`: memcpy, then the few
 * separators by memchr (a byte loop was 4 % of a linked verify run). */
static void copy_sep(char *dst, const char *src, size_t n, char from, char to)
{
	char *p = dst, *end = dst + n;

	memcpy(dst, src, n);
	while (from != to && (p = memchr(p, from, (size_t)(end - p))) != NULL)
		*p++ = to;
}

char *uk_store_rel_to_win(const char *rel)
{
	const char *slash = strchr(rel, '/');
	size_t n = slash ? (size_t)(slash - rel) : strlen(rel);
	int letter = drive_of(rel, n);
	const char *rest = slash ? slash + 1 : rel + n;
	size_t rl;
	char *w, *q;

	if (!letter)
		return NULL;
	rl = strlen(rest);
	w = malloc(rl + 4);
	if (!w)
		return NULL;
	w[0] = (char)letter;
	w[1] = ':';
	w[2] = '\\';
	q = w + 3;
	copy_sep(q, rest, rl, '/', '\\');
	q[rl] = '\0';
	return w;
}

uk_pathmap *uk_pathmap_new(void)
{
	return calloc(1, sizeof(uk_pathmap));
}

void uk_pathmap_free(uk_pathmap *m)
{
	if (!m)
		return;
	for (int i = 0; i < 26; i++)
		free(m->root[i]);
	for (size_t i = 0; i < m->nmaps; i++) {
		free(m->maps[i].from);
		free(m->maps[i].to);
	}
	free(m->maps);
	free(m);
}

static int set_root(uk_pathmap *m, int letter, const char *dir)
{
	char *copy, *cwd = NULL;

	/* Absolute, so the restored paths verify records (and purge re-checks)
	 * do not depend on the folder a tool was started from. */
	int absolute = is_sep(dir[0]) || (isalpha((unsigned char)dir[0]) && dir[1] == ':');

	if (!absolute && uk_fs_realpath(".", &cwd) == 0) {
		copy = uk_path_join(cwd, dir);
		free(cwd);
	} else {
		copy = strdup(dir);
	}
	if (!copy)
		return -1;
	free(m->root[letter - 'A']);
	m->root[letter - 'A'] = copy;
	return 0;
}

int uk_pathmap_add_root(uk_pathmap *m, const char *spec, char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');
	size_t n = eq ? (size_t)(eq - spec) : 0;
	char *was;
	int letter = 0;

	if (eq && (n == 1 || (n == 2 && spec[1] == ':')) && isalpha((unsigned char)spec[0]))
		letter = toupper((unsigned char)spec[0]);
	if (!letter || !eq[1]) {
		snprintf(err, errlen, "--root '%s': expected a drive letter and a folder, "
		         "e.g. --root C=/mnt/c", spec);
		return -1;
	}
	/* Two folders for one drive: which one was restored is not ours to guess. */
	was = m->root[letter - 'A'];
	m->root[letter - 'A'] = NULL;
	if (set_root(m, letter, eq + 1) != 0) {
		m->root[letter - 'A'] = was;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (was && strcmp(was, m->root[letter - 'A']) != 0) {
		snprintf(err, errlen, "--root %c: given twice, as %s and as %s: which one was "
		         "restored?", letter, was, m->root[letter - 'A']);
		free(m->root[letter - 'A']);
		m->root[letter - 'A'] = was;
		return -1;
	}
	free(was);
	m->explicit_roots = 1;
	return 0;
}

/* Windows spelling: '/' -> '\', no trailing '\' except after "X:". */
static char *win_norm(const char *s, size_t n)
{
	char *w = dupn(s, n);

	if (!w)
		return NULL;
	for (char *p = w; *p; p++)
		if (*p == '/')
			*p = '\\';
	n = strlen(w);
	while (n > 0 && w[n - 1] == '\\' && !(n == 3 && w[1] == ':'))
		w[--n] = '\0';
	return w;
}

int uk_pathmap_add_map(uk_pathmap *m, const char *spec, char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');
	struct uk_map map;

	if (!eq || eq == spec || !eq[1]) {
		snprintf(err, errlen, "--map '%s': expected FROM=TO Windows path prefixes, "
		         "e.g. --map 'C:\\Users\\old=C:\\Users\\new'", spec);
		return -1;
	}
	if (uk_grow(&m->maps, m->nmaps, &m->cap, sizeof(*m->maps), 4))
		goto oom;
	map.from = win_norm(spec, (size_t)(eq - spec));
	map.to = win_norm(eq + 1, strlen(eq + 1));
	if (!map.from || !map.to) {
		free(map.from);
		free(map.to);
		goto oom;
	}
	if (!map.from[0]) { /* "\" alone normalises to nothing: no prefix to match */
		free(map.from);
		free(map.to);
		snprintf(err, errlen, "--map '%s': FROM is not a Windows path", spec);
		return -1;
	}
	m->maps[m->nmaps++] = map;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

size_t uk_pathmap_map_count(const uk_pathmap *m)
{
	return m->nmaps;
}

void uk_pathmap_map_get(const uk_pathmap *m, size_t i, const char **from, const char **to)
{
	*from = m->maps[i].from;
	*to = m->maps[i].to;
}

size_t uk_store_drives(const uk_store *s, char letters[27])
{
	uk_dir *d;
	uk_dirent e;
	size_t n = 0;
	int l;

	letters[0] = '\0';
	if (uk_fs_opendir(s->file_dir, &d) != 0)
		return 0;
	while (n < 26 && uk_fs_readdir(d, &e) > 0)
		if ((l = drive_of(e.name, strlen(e.name))) != 0 && !strchr(letters, l)) {
			letters[n++] = (char)l;
			letters[n] = '\0';
		}
	uk_fs_closedir(d);
	return n;
}

int uk_pathmap_default_root(uk_pathmap *m, const uk_store *s)
{
	char letters[27], *mnt;
	int letter, rc;

	/* On Windows the restored path is the Windows path itself. */
	if (UK_FS_DRIVE_PATHS || m->explicit_roots)
		return 0;
	if (uk_store_drives(s, letters) != 1)
		return 0;
	letter = letters[0];
	if (m->root[letter - 'A'])
		return 0;
	rc = uk_fs_mount_root(s->path, &mnt);
	if (rc != 0)
		return rc;
	rc = set_root(m, letter, mnt);
	free(mnt);
	return rc;
}

const char *uk_pathmap_root(const uk_pathmap *m, int letter)
{
	letter = toupper(letter);
	return letter >= 'A' && letter <= 'Z' ? m->root[letter - 'A'] : NULL;
}

char *uk_pathmap_map_win(const uk_pathmap *m, const char *win)
{
	size_t wn = strlen(win);

	for (size_t i = 0; i < m->nmaps; i++) {
		const char *from = m->maps[i].from, *to = m->maps[i].to;
		size_t tn = strlen(to), fn = uk_wincase_prefix(win, from, strlen(from));
		char *r;

		/* Whole components only: C:\Users\bob is not a prefix of C:\Users\bobby. */
		if (fn == 0 || (win[fn] != '\0' && win[fn] != '\\' && win[fn - 1] != '\\'))
			continue;
		/* "C:\" + "\rest": keep one separator. */
		if (tn > 0 && to[tn - 1] == '\\' && win[fn] == '\\')
			fn++;
		r = malloc(tn + wn - fn + 1);
		if (!r)
			return NULL;
		memcpy(r, to, tn);
		memcpy(r + tn, win + fn, wn - fn + 1);
		return r;
	}
	return strdup(win);
}

/* A "." or ".." component: on POSIX a store name may hold '\' ("..\..\x"),
 * and mapped it would climb out of the --root folder. */
int uk_store_win_has_dot(const char *win)
{
	/* Only a '.' that starts a component can start one. */
	for (const char *p = strchr(win, '.'); p; p = strchr(p + 1, '.')) {
		if (p != win && p[-1] != '\\')
			continue;
		if (p[1] == '\0' || p[1] == '\\' || (p[1] == '.' && (p[2] == '\0' || p[2] == '\\')))
			return 1;
	}
	return 0;
}

char *uk_pathmap_win_to_local(const uk_pathmap *m, const char *win)
{
	const char *root, *rest;
	size_t rn, n;
	char *r;

	if (!isalpha((unsigned char)win[0]) || win[1] != ':' || uk_store_win_has_dot(win + 2))
		return NULL;
	root = m->root[toupper((unsigned char)win[0]) - 'A'];
	if (!root)
		return UK_FS_DRIVE_PATHS ? strdup(win) : NULL;
	rest = win + 2;
	while (*rest == '\\')
		rest++;
	rn = strlen(root);
	while (rn > 0 && is_sep(root[rn - 1]))
		rn--;
	n = rn + 1 + strlen(rest) + 1;
	r = malloc(n);
	if (!r)
		return NULL;
	memcpy(r, root, rn);
	r[rn] = UK_SEP;
	copy_sep(r + rn + 1, rest, n - rn - 2, '\\', UK_SEP);
	r[n - 1] = '\0';
	/* "C:\" alone is the root folder itself, without a trailing separator. */
	if (!*rest && rn > 0)
		r[rn] = '\0';
	return r;
}

void uk_store_list_free(char **list, size_t n)
{
	if (!list)
		return;
	while (n)
		free(list[--n]);
	free(list);
}

/* Appends path unless the list has it already (Windows paths: any case). */
static int add_unique(char **list, size_t *n, const char *path)
{
	for (size_t i = 0; i < *n; i++)
		if (uk_wincase_cmp(list[i], path) == 0)
			return 0;
	if (!(list[*n] = strdup(path)))
		return -1;
	(*n)++;
	return 0;
}

int uk_store_all_volumes(char *const *stores, size_t n, char ***out, size_t *nout)
{
	char **vols = NULL, **list = NULL;
	size_t nvols = 0, k = 0;
	char why[256];
	int err = uk_fs_fixed_volumes(&vols, &nvols);

	*out = NULL;
	*nout = 0;
	if (err == UK_FS_EUNSUPPORTED) {
		uk_error("--all-volumes looks for the store on every drive letter and works on "
		         "Windows only: give each volume's store as an argument");
		return UK_EXIT_USAGE;
	}
	if (err) {
		uk_error("--all-volumes: cannot list the fixed volumes: %s",
		         uk_fs_strerror(err, why, sizeof(why)));
		return UK_EXIT_RUNTIME;
	}
	if (!(list = calloc(n * (nvols + 1) + 1, sizeof(*list))))
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (add_unique(list, &k, stores[i]) != 0)
			goto nomem;
	for (size_t i = 0; i < n; i++) {
		char *mount = NULL;
		const char *rest;

		/* The store's path below its volume root: "C:\USMTMIG" -> "USMTMIG". */
		if (uk_fs_mount_root(stores[i], &mount) != 0)
			continue;
		rest = stores[i] + strlen(mount);
		if (strlen(stores[i]) < strlen(mount) || *rest == '\0') {
			free(mount);
			continue;
		}
		free(mount);
		for (size_t v = 0; v < nvols; v++) {
			char *cand = uk_path_join(vols[v], rest);
			uk_store s;
			int kind;

			if (!cand)
				goto nomem;
			kind = uk_store_open(cand, &s, why, sizeof(why));
			uk_store_free(&s);
			if ((kind == UK_STORE_HARDLINK || kind == UK_STORE_UNCOMPRESSED) &&
			    add_unique(list, &k, cand) != 0) {
				free(cand);
				goto nomem;
			}
			free(cand);
		}
	}
	uk_store_list_free(vols, nvols);
	*out = list;
	*nout = k;
	return UK_EXIT_OK;
nomem:
	uk_store_list_free(vols, nvols);
	uk_store_list_free(list, k);
	uk_error("out of memory");
	return UK_EXIT_RUNTIME;
}
