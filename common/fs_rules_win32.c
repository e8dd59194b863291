/* Path rules on Windows (fs.h, "Path rules"): names compare with ASCII
 * letters folded, '\' separates, ':' names a drive or a stream, and every
 * path starts with a volume ("C:", "\\?\C:"). */
#include <string.h>

#include "fs.h"

static int fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int uk_fs_path_ncmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int d = fold((unsigned char)a[i]) - fold((unsigned char)b[i]);
		if (d || !a[i])
			return d;
	}
	return 0;
}

int uk_fs_rel_has_special(const char *rel)
{
	return strpbrk(rel, "\\:") != NULL;
}

static const char *skip_long_prefix(const char *p)
{
	return strncmp(p, "\\\\?\\", 4) == 0 ? p + 4 : p;
}

const char *uk_fs_path_after_volume(const char *path)
{
	const char *p = skip_long_prefix(path);

	return p[0] && p[1] == ':' ? p + 2 : p;
}

const char *uk_fs_volume_root_name(const char *path)
{
	const char *p = skip_long_prefix(path);

	if (p[0] && p[1] == ':' && (p[2] == '\0' || (p[2] == '\\' && p[3] == '\0')))
		return "the root of a volume";
	return NULL;
}

const char *const *uk_fs_profile_roots(void)
{
	static const char *const roots[] = { "\\Users", "\\Documents and Settings",
	                                     "\\Windows", NULL };

	return roots;
}

int uk_fs_os_deletes_at_restart(void)
{
	return 1;
}
