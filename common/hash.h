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
void uk_hash_str(const uk_hash128 *h, char buf[UK_HASH_STRLEN]); /* 32 lower-case hex digits */

#endif
