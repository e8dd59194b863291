/* XXH3-128 of files and memory (xxHash, header-only). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "fs.h"
#include "hash.h"

/* Large sequential reads: one syscall per MiB keeps a disk streaming. */
#define UK_HASH_CHUNK (1u << 20)

static void from_xxh(XXH128_hash_t x, uk_hash128 *h)
{
	h->hi = x.high64;
	h->lo = x.low64;
}

void uk_hash_mem(const void *p, size_t n, uk_hash128 *h)
{
	from_xxh(XXH3_128bits(p, n), h);
}

void uk_hash_mem_seeded(const void *p, size_t n, uint64_t seed, uk_hash128 *h)
{
	from_xxh(XXH3_128bits_withSeed(p, n, seed), h);
}

void uk_hash_str(const uk_hash128 *h, char buf[UK_HASH_STRLEN])
{
	/* xxhsum's canonical form: the high 64 bits first. */
	snprintf(buf, UK_HASH_STRLEN, "%016llx%016llx",
	         (unsigned long long)h->hi, (unsigned long long)h->lo);
}

/* xxHash's state, opaque to callers (it wants 64-byte alignment). */
struct uk_hash_stream {
	XXH3_state_t *st;
};

uk_hash_stream *uk_hash_stream_new(void)
{
	uk_hash_stream *s = malloc(sizeof(*s));

	if (s && !(s->st = XXH3_createState())) {
		free(s);
		return NULL;
	}
	if (s)
		XXH3_128bits_reset(s->st);
	return s;
}

void uk_hash_stream_update(uk_hash_stream *s, const void *p, size_t n)
{
	XXH3_128bits_update(s->st, p, n);
}

void uk_hash_stream_digest(const uk_hash_stream *s, uk_hash128 *h)
{
	from_xxh(XXH3_128bits_digest(s->st), h);
}

void uk_hash_stream_free(uk_hash_stream *s)
{
	if (s)
		XXH3_freeState(s->st);
	free(s);
}

int uk_hash_file(const char *path, uk_hash128 *h, uint64_t *bytes)
{
	XXH3_state_t state;
	uk_file *f = NULL;
	uk_stat st;
	size_t cap, got;
	char *buf = NULL;
	int err;

	*bytes = 0;
	err = uk_fs_open_read(path, &f, &st);
	if (err)
		return err;
	/* Small files get a small buffer: no 1 MiB allocation per tiny file. */
	cap = st.size < UK_HASH_CHUNK ? (size_t)st.size + 1 : UK_HASH_CHUNK;
	buf = malloc(cap);
	if (!buf) {
		err = ENOMEM;
		goto out;
	}
	XXH3_128bits_reset(&state);
	for (;;) {
		err = uk_fs_read_once(f, buf, cap, &got);
		if (err)
			goto out;
		if (got == 0)
			break;
		XXH3_128bits_update(&state, buf, got);
		*bytes += got;
		/* A short read that ends where the file's size said it ends is the
		 * end: no further read just to hear it. Any other short read (the
		 * file shrank, or a file system that reads in pieces) reads on. */
		if (got < cap && *bytes == st.size)
			break;
	}
	from_xxh(XXH3_128bits_digest(&state), h);
out:
	free(buf);
	uk_fs_close(f);
	return err;
}
