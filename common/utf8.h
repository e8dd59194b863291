/* UTF-8 validation shared by the text and JSON writers. */
#ifndef UK_UTF8_H
#define UK_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence starting at s, or 0 when the
 * bytes there are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF). */
size_t uk_utf8_seqlen(const unsigned char *s, size_t avail);

#endif
