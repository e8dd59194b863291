/* Path rules on POSIX (fs.h, "Path rules"): names are bytes, '/' is the
 * only separator, one root. */
#include <string.h>

#include "fs.h"

int uk_fs_path_ncmp(const char *a, const char *b, size_t n)
{
	return strncmp(a, b, n);
}

int uk_fs_rel_has_special(const char *rel)
{
	(void)rel;
	return 0;
}

const char *uk_fs_path_after_volume(const char *path)
{
	return path;
}

const char *uk_fs_volume_root_name(const char *path)
{
	return strcmp(path, "/") == 0 ? "the file-system root" : NULL;
}

const char *const *uk_fs_profile_roots(void)
{
	static const char *const roots[] = { "/home", "/root", "/Users", NULL };

	return roots;
}

int uk_fs_os_deletes_at_restart(void)
{
	return 0;
}
