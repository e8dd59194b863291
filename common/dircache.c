#include <stdlib.h>
#include <string.h>

#include "dircache.h"

uk_dir *uk_dircache_get(uk_dircache *c, const char *path, const char **name)
{
	const char *sep = strrchr(path, UK_SEP);
	size_t n;

	if (!sep || sep == path || !sep[1])
		return NULL;
	n = (size_t)(sep - path);
	*name = sep + 1;
	if (c->dir && strlen(c->path) == n && memcmp(c->path, path, n) == 0)
		return c->dir;
	uk_dircache_close(c);
	if (!(c->path = malloc(n + 1)))
		return NULL;
	memcpy(c->path, path, n);
	c->path[n] = '\0';
	if (uk_fs_opendir(c->path, &c->dir) != 0) {
		uk_dircache_close(c);
		return NULL;
	}
	return c->dir;
}

void uk_dircache_close(uk_dircache *c)
{
	uk_fs_closedir(c->dir);
	free(c->path);
	c->dir = NULL;
	c->path = NULL;
}
