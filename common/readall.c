#include "readall.h"
#include "fs.h"

#include <stdio.h>
#include <stdlib.h>

int uk_readall_file(const char *path, size_t cap, char **buf, size_t *n, char *err,
                    size_t errlen)
{
	uk_file *f = NULL;
	char *b = NULL, msg[128];
	size_t len = 0, size = 4096;
	int rc;

	*buf = NULL;
	*n = 0;
	rc = uk_fs_open_read(path, &f, NULL);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, uk_fs_strerror(rc, msg, sizeof(msg)));
		return -1;
	}
	if (!(b = malloc(size)))
		goto nomem;
	for (;;) {
		size_t got, want;

		if (len > cap) { /* one byte past the cap tells: refused unread */
			snprintf(err, errlen, "%s: larger than %zu bytes: refused", path, cap);
			goto bad;
		}
		if (len + 1 == size) {
			char *nb = realloc(b, size * 2);

			if (!nb)
				goto nomem;
			b = nb;
			size *= 2;
		}
		want = size - len - 1;
		if (want > cap + 1 - len)
			want = cap + 1 - len;
		rc = uk_fs_read(f, b + len, want, &got);
		if (rc) {
			snprintf(err, errlen, "%s: %s", path, uk_fs_strerror(rc, msg, sizeof(msg)));
			goto bad;
		}
		if (got == 0)
			break;
		len += got;
	}
	b[len] = '\0';
	uk_fs_close(f);
	*buf = b;
	*n = len;
	return 0;
nomem:
	snprintf(err, errlen, "%s: out of memory", path);
bad:
	free(b);
	uk_fs_close(f);
	return -1;
}
