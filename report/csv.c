/* RFC 4180 fields: quoted when they hold a comma, a quote, CR or LF;
 * quotes doubled; records end in CRLF. */
#include <string.h>
#include "report.h"

void uk_csv_field(FILE *f, const char *s, int last)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
	} else {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	fputs(last ? "\r\n" : ",", f);
}
