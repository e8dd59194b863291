/* Shared by the fuzz targets: a failed invariant aborts, so libFuzzer keeps
 * the input as a crash just as it does for a sanitizer report. */
#ifndef UK_FUZZ_CHECK_H
#define UK_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "utf8.h"

#define FUZZ_CHECK(cond)                                                                  \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
			        #cond);                                                   \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* A NUL-terminated copy of data[0..n) (the C APIs take strings). */
static inline char *fuzz_str(const unsigned char *data, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* One line, as every error message must be: non-empty, no newline. */
static inline int fuzz_one_line(const char *s)
{
	return s[0] != '\0' && !strchr(s, '\n') && !strchr(s, '\r');
}

static inline int fuzz_valid_utf8(const char *s)
{
	size_t n = strlen(s), k;

	for (size_t i = 0; i < n; i += k)
		if ((k = uk_utf8_seqlen((const unsigned char *)s + i, n - i)) == 0)
			return 0;
	return 1;
}

#endif
