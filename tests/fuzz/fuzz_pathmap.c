/* Store path -> Windows path -> local path (--root, --map). Input lines:
 * a --root spec, two --map specs, then a store-relative path. Beyond not
 * crashing: a Windows path never holds '/'; --map only rewrites a prefix;
 * a local path stays under its --root (no "." or ".." component after it,
 * whatever bytes a store name holds). */
#include <stdint.h>
#include "fs.h"
#include "fuzz_check.h"
#include "store.h"

/* The next '\n'-terminated field of data (the rest when there is none). */
static char *field(const uint8_t **data, size_t *size)
{
	const uint8_t *nl = memchr(*data, '\n', *size);
	size_t n = nl ? (size_t)(nl - *data) : *size;
	char *s = fuzz_str(*data, n);

	*data += nl ? n + 1 : n;
	*size -= nl ? n + 1 : n;
	return s;
}

static int has_dot_component(const char *s, char sep)
{
	for (const char *c = s; *c;) {
		size_t n = strcspn(c, sep == '/' ? "/" : "\\");

		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 1;
		c += n;
		if (*c)
			c++;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *root = field(&data, &size), *map1 = field(&data, &size);
	char *map2 = field(&data, &size), *rel = fuzz_str(data, size);
	char err[512] = "", *win, *mapped = NULL, *local = NULL;
	uk_pathmap *m = uk_pathmap_new();
	int have_root, nmaps = 0;

	FUZZ_CHECK(m != NULL);
	have_root = uk_pathmap_add_root(m, root, err, sizeof(err)) == 0;
	if (!have_root)
		FUZZ_CHECK(err[0] != '\0');
	nmaps += uk_pathmap_add_map(m, map1, err, sizeof(err)) == 0;
	nmaps += uk_pathmap_add_map(m, map2, err, sizeof(err)) == 0;

	win = uk_store_rel_to_win(rel);
	if (!win)
		goto out;
	FUZZ_CHECK(win[1] == ':' && win[2] == '\\' && !strchr(win, '/'));
	mapped = uk_pathmap_map_win(m, win);
	FUZZ_CHECK(mapped != NULL);
	if (nmaps == 0)
		FUZZ_CHECK(strcmp(mapped, win) == 0);
	local = uk_pathmap_win_to_local(m, mapped);
	/* On POSIX a store name may hold '\' ("..\..\x"): mapped, it must not
	 * climb out of its --root folder, whatever --map did. */
	if (local && have_root && UK_SEP == '/') {
		/* The root as kept (a relative --root is made absolute). */
		const char *dir = uk_pathmap_root(m, mapped[0]);
		size_t rn;

		FUZZ_CHECK(dir != NULL);
		rn = strlen(dir);

		while (rn > 0 && dir[rn - 1] == '/')
			rn--;
		FUZZ_CHECK(strncmp(local, dir, rn) == 0);
		FUZZ_CHECK(!has_dot_component(local + rn, '/'));
	}
out:
	free(local);
	free(mapped);
	free(win);
	uk_pathmap_free(m);
	free(root);
	free(map1);
	free(map2);
	free(rel);
	return 0;
}
