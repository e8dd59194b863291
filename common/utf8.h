/* UTF-8, decoded and encoded in one place (RFC 3629): every module that reads
 * or writes code points goes through these, so all agree on what is valid. */
#ifndef UK_UTF8_H
#define UK_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UK_UTF8_MAX 4 /* bytes of the longest sequence */

/* Length (1-4) of the valid UTF-8 sequence starting at s, with its code point
 * in *cp; 0 (and *cp untouched) when the bytes there are not valid UTF-8:
 * overlong, surrogate, truncated, stray continuation byte, above U+10FFFF.
 * avail == 0 is "nothing there": 0. */
size_t uk_utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp);
/* uk_utf8_decode() without the code point. */
size_t uk_utf8_seqlen(const unsigned char *s, size_t avail);
/* The UTF-8 bytes of cp in out (no NUL); returns how many (1-4). A surrogate
 * or a value above U+10FFFF has no UTF-8 form: U+FFFD is written instead. */
size_t uk_utf8_encode(uint32_t cp, unsigned char out[UK_UTF8_MAX]);

#endif
