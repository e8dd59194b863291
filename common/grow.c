#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

int uk_grow(void *items, size_t n, size_t *cap, size_t size, size_t first)
{
	void **p = items, *q;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : first;
	if (c < *cap || c > SIZE_MAX / size || !(q = realloc(*p, c * size)))
		return -1;
	*p = q;
	*cap = c;
	return 0;
}
