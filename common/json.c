#include "json.h"

#include <string.h>

#include "utf8.h"

void uk_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left;

	if (!s) {
		fputs("null", f);
		return;
	}
	left = strlen(s);
	putc('"', f);
	while (left > 0) {
		unsigned c = *p;
		size_t n;

		if (c == '"' || c == '\\') {
			putc('\\', f);
			putc((int)c, f);
			n = 1;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': fputs("\\n", f); break;
			case '\r': fputs("\\r", f); break;
			case '\t': fputs("\\t", f); break;
			default: fprintf(f, "\\u%04x", c); break;
			}
			n = 1;
		} else if ((n = uk_utf8_seqlen(p, left)) == 0) {
			fputs("\\ufffd", f); /* invalid UTF-8 byte: keep the JSON valid */
			n = 1;
		} else {
			fwrite(p, 1, n, f);
		}
		p += n;
		left -= n;
	}
	putc('"', f);
}
