/* Windows compares file names case-insensitively: NTFS folds letters with
 * its upcase table. This is that folding for the letters user file names
 * carry (ASCII, Latin-1, Latin Extended-A, basic Greek and Cyrillic), on
 * UTF-8 strings; bytes that are not valid UTF-8 compare as themselves. */
#ifndef UK_WINCASE_H
#define UK_WINCASE_H

#include <stddef.h>
#include <stdint.h>

uint32_t uk_wincase_fold(uint32_t cp);
/* 0 when a and b name the same file on Windows, else <0 / >0. */
int uk_wincase_cmp(const char *a, const char *b);
/* The same for the first n bytes of prefix against the start of s: returns
 * the number of bytes of s matched, or 0 when s does not start with it. */
size_t uk_wincase_prefix(const char *s, const char *prefix, size_t n);
/* A hash equal for names equal under uk_wincase_cmp. */
uint32_t uk_wincase_hash(const char *s);

#endif
