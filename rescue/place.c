/* Where DEST may be: never inside the store (nor the store inside DEST),
 * never on the store's volume unless --same-volume, and only with room for
 * what is still to copy. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "out.h"
#include "rescue.h"


static int is_sep(char c)
{
	return c == UK_SEP || c == '/';
}

int uk_rescue_canonical(const char *path, char **out)
{
	size_t n = strlen(path), cut = n, k, len;
	char *head = malloc(n + 2), *real = NULL, *r = NULL;
	const char *c, *e;
	int rc = -1;

	*out = NULL;
	if (!head)
		return -1;
	/* Shorten to the deepest ancestor that resolves; the rest is appended. */
	for (;;) {
		memcpy(head, path, cut);
		head[cut] = '\0';
		if (uk_fs_realpath(cut ? head : ".", &real) == 0)
			break;
		if (cut == 0)
			goto out;
		while (cut > 0 && is_sep(path[cut - 1]))
			cut--;
		while (cut > 0 && !is_sep(path[cut - 1]))
			cut--;
		k = cut;
		while (k > 1 && is_sep(path[k - 1]) && !(k == 3 && path[1] == ':'))
			k--;
		cut = k;
	}
	len = strlen(real);
	if (!(r = malloc(len + (n - cut) + 2)))
		goto out;
	memcpy(r, real, len + 1);
	for (c = path + cut; *c; c = *e ? e + 1 : e) {
		for (e = c; *e && !is_sep(*e); e++)
			;
		if (e == c || (e - c == 1 && c[0] == '.'))
			continue;
		/* ".." below a folder that does not exist yet cannot be resolved:
		 * it could lead anywhere, the store included. */
		if (e - c == 2 && c[0] == '.' && c[1] == '.') {
			rc = -2;
			goto out;
		}
		if (len == 0 || r[len - 1] != UK_SEP)
			r[len++] = UK_SEP;
		memcpy(r + len, c, (size_t)(e - c));
		len += (size_t)(e - c);
		r[len] = '\0';
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	free(r);
	free(real);
	free(head);
	return rc;
}

int uk_rescue_inside(const char *root, const char *path)
{
	size_t n = strlen(root);

	while (n > 0 && root[n - 1] == UK_SEP)
		n--;
	return uk_fs_path_ncmp(root, path, n) == 0 &&
	       (path[n] == '\0' || path[n] == UK_SEP || n == 0);
}

/* The deepest part of `path` that exists (path itself, or an ancestor). */
static int lstat_existing(const char *path, uk_stat *st)
{
	char *p = strdup(path), *s;
	int err;

	if (!p)
		return -1;
	while ((err = uk_fs_lstat(p, st)) != 0 && (s = strrchr(p, UK_SEP)) != NULL) {
		if (s == p || (s == p + 2 && p[1] == ':')) {
			s[1] = '\0';
			err = uk_fs_lstat(p, st);
			break;
		}
		*s = '\0';
	}
	free(p);
	return err;
}

int uk_rescue_check_place(uk_rescue *r, const char *dest)
{
	uk_stat ss, ds;
	char eb[128];
	int err;

	if (uk_rescue_inside(r->store.path, dest)) {
		uk_rescue_refuse(r, "DEST %s is inside the store %s: a rescue must go to other "
		                 "media", dest, r->store.path);
		return UK_EXIT_FINDINGS;
	}
	if (uk_rescue_inside(dest, r->store.path)) {
		uk_rescue_refuse(r, "the store %s is inside DEST %s: a rescue must go to other "
		                 "media", r->store.path, dest);
		return UK_EXIT_FINDINGS;
	}
	if ((err = uk_fs_lstat(r->store.path, &ss)) != 0 ||
	    (err = lstat_existing(dest, &ds)) != 0) {
		if (err < 0) {
			uk_error("out of memory");
			return UK_EXIT_RUNTIME;
		}
		uk_error("cannot tell the volumes of %s and %s apart: %s", r->store.path, dest,
		         uk_fs_strerror(err, eb, sizeof(eb)));
		return UK_EXIT_RUNTIME;
	}
	if (ss.id.vol == ds.id.vol && !r->o->same_volume) {
		uk_rescue_refuse(r, "DEST %s is on the store's own volume: a copy there dies with "
		                 "the volume (--same-volume does it anyway)", dest);
		return UK_EXIT_FINDINGS;
	}
	return 0;
}

int uk_rescue_check_space(uk_rescue *r)
{
	uint64_t avail = 0;
	char eb[128], need[32], have[32];
	int err = uk_fs_free_space(r->dest, &avail);

	if (err) {
		uk_error("%s: cannot read the free space: %s", r->dest,
		         uk_fs_strerror(err, eb, sizeof(eb)));
		return UK_EXIT_RUNTIME;
	}
	if (r->todo_bytes <= avail)
		return 0;
	uk_rescue_refuse(r, "not enough free space on DEST %s: %" PRIu64 " bytes (%s) to copy "
	                 "in %" PRIu64 " files, %" PRIu64 " bytes (%s) free", r->dest,
	                 r->todo_bytes, uk_out_bytes(r->todo_bytes, need), r->todo_files,
	                 avail, uk_out_bytes(avail, have));
	return UK_EXIT_FINDINGS;
}
