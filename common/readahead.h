/* A file read sequentially by a thread of its own, a few large chunks ahead
 * of its reader, and hashed (XXH3-128) as it is read: the reader's work
 * (parsing a log) overlaps the system's (copying the file in) and the hash,
 * and a scan of the caller's choice (the log reader's UTF-8 check).
 * Memory: UK_RA_BUFS chunks of UK_RA_CHUNK bytes, whatever the file's size. */
#ifndef UK_READAHEAD_H
#define UK_READAHEAD_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

#define UK_RA_CHUNK (1u << 20)
#define UK_RA_BUFS 3

typedef struct uk_readahead uk_readahead;
/* Run on the reading thread over each chunk; its result comes with it. */
typedef size_t (*uk_readahead_scan)(const char *buf, size_t n);

/* 0, a native error code (the file cannot be opened), or -1 (out of memory).
 * scan may be NULL. */
int uk_readahead_open(const char *path, uk_readahead_scan scan, uk_readahead **out);
/* The next chunk, valid until the next call: *n == 0 at the end. Returns 0
 * or the native error code of a failed read (no further chunks then).
 * *scanned (when not NULL): scan's result on the chunk, 0 without a scan. */
int uk_readahead_next(uk_readahead *r, const char **buf, size_t *n, size_t *scanned);
/* After the end: the hash and size of every byte read. */
void uk_readahead_digest(const uk_readahead *r, uk_hash128 *h, uint64_t *bytes);
/* Stops the thread (at any point) and frees everything. */
void uk_readahead_close(uk_readahead *r);

#endif
