/* XXH3-128 of whole files: large sequential reads, a small pool of threads
 * (never many threads seeking one disk). */
#ifndef UK_HASH_H
#define UK_HASH_H

#include <stdint.h>
#include <stddef.h>

typedef struct uk_hash128 { uint64_t hi, lo; } uk_hash128;
#define UK_HASH_STRLEN 33

/* 0 or a native error code (fs.h); *bytes = bytes read. */
int uk_hash_file(const char *path, uk_hash128 *h, uint64_t *bytes);
void uk_hash_mem(const void *p, size_t n, uk_hash128 *h);
/* Keyed by seed: what a name hashes to cannot be told without it. */
void uk_hash_mem_seeded(const void *p, size_t n, uint64_t seed, uk_hash128 *h);
void uk_hash_str(const uk_hash128 *h, char buf[UK_HASH_STRLEN]); /* 32 lower-case hex digits */

/* XXH3-128 of bytes that arrive in pieces, e.g. a log hashed while it is
 * parsed, so it is read once. The same value as uk_hash_mem of the whole. */
typedef struct uk_hash_stream uk_hash_stream;
uk_hash_stream *uk_hash_stream_new(void); /* NULL when out of memory */
void uk_hash_stream_update(uk_hash_stream *s, const void *p, size_t n);
void uk_hash_stream_digest(const uk_hash_stream *s, uk_hash128 *h);
void uk_hash_stream_free(uk_hash_stream *s);

/* A small pool of hashing threads. Jobs are submitted and collected by one
 * thread (the caller keeps what it submits bounded); each job hashes one or
 * two files in sequence on one worker, so the disk sees few readers. */
typedef struct uk_hashjob {
	const char *path[2]; /* path[1] may be NULL */
	void *user;          /* the caller's */
	int err[2];          /* per path: 0 or a native error code */
	uk_hash128 h[2];
	uint64_t bytes[2];   /* bytes read */
	uint64_t size;       /* the bytes the caller expects it to read */
	struct uk_hashjob *next_; /* the pool's */
} uk_hashjob;

typedef struct uk_hashpool uk_hashpool;
/* NULL when out of memory or no thread could be started. */
uk_hashpool *uk_hashpool_new(unsigned threads);
void uk_hashpool_submit(uk_hashpool *p, uk_hashjob *j);
/* Jobs submitted and not yet collected. */
size_t uk_hashpool_inflight(const uk_hashpool *p);
/* A finished job; waits for one when `wait` and one is in flight; else NULL.
 * Small jobs reach the workers in groups, or once collect() waits. */
uk_hashjob *uk_hashpool_collect(uk_hashpool *p, int wait);
/* Waits for running jobs; jobs never collected are the caller's to free. */
void uk_hashpool_free(uk_hashpool *p);

#endif
