/* The part of fs.h that is the same on every OS: no OS header here. */
#include "fs.h"

#include <stdlib.h>
#include <string.h>

int uk_fid_equal(const uk_fileid *a, const uk_fileid *b)
{
	return a->vol == b->vol && a->hi == b->hi && a->lo == b->lo;
}

static char *hex16(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--, v >>= 4)
		p[i] = digits[v & 15];
	return p + 16;
}

/* "%016llx:%016llx%016llx" by hand: verify formats two per file, and
 * snprintf was 8 % of its instructions on a linked store (docs/BENCHMARKS.md). */
void uk_fid_str(const uk_fileid *id, char buf[UK_FID_STRLEN])
{
	char *p = hex16(buf, id->vol);

	*p++ = ':';
	p = hex16(hex16(p, id->hi), id->lo);
	*p = '\0';
}

const char *uk_ftype_name(int type)
{
	switch (type) {
	case UK_FT_FILE: return "file";
	case UK_FT_DIR: return "dir";
	case UK_FT_LINK: return "link";
	case UK_FT_OTHER: return "other";
	default: return "unknown";
	}
}

char *uk_path_parent(const char *path)
{
	const char *base = uk_path_base(path);
	size_t n = (size_t)(base - path);
	char *r;

	if (n == 0)
		return strdup(".");
	/* Drop the separator, unless what is left would not name the root. */
	if (n > 1 && base[-2] != ':')
		n--;
	if (!(r = malloc(n + 1)))
		return NULL;
	memcpy(r, path, n);
	r[n] = '\0';
	return r;
}

/* '/' ends a folder on Windows too: it is read as '\' there. */
char *uk_path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int sep = la > 0 && a[la - 1] != UK_SEP && a[la - 1] != '/';
	char *r = malloc(la + sep + lb + 1);

	if (!r)
		return NULL;
	memcpy(r, a, la);
	if (sep)
		r[la] = UK_SEP;
	memcpy(r + la + sep, b, lb + 1);
	return r;
}
