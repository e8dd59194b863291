/* Minimal JSON writing for verify and purge summaries: strings escaped per
 * RFC 8259, invalid UTF-8 bytes replaced by U+FFFD so output stays valid. */
#ifndef UK_JSON_H
#define UK_JSON_H

#include <stdio.h>

void uk_json_str(FILE *f, const char *s); /* writes "..." ; NULL -> null */

#endif
