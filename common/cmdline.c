#include "cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *uk_cmdline_join(int argc, char **argv)
{
	size_t n = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 3;
	s = p = malloc(n);
	if (!s)
		return NULL;
	*p = '\0';
	for (int i = 0; i < argc; i++) {
		int q = strpbrk(argv[i], " \t") != NULL || !argv[i][0];
		p += sprintf(p, "%s%s%s%s", i ? " " : "", q ? "\"" : "", argv[i], q ? "\"" : "");
	}
	return s;
}
