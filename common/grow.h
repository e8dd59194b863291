/* Room for one more item in a growing array: doubling, from `first`. */
#ifndef UK_GROW_H
#define UK_GROW_H

#include <stddef.h>

/* *items (of `size` bytes each, *n of them, room for *cap) gets room for
 * item *n: 0, or -1 out of memory (the array unchanged). */
int uk_grow(void *items, size_t n, size_t *cap, size_t size, size_t first);

#endif
