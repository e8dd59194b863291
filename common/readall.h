/* Reading a small input file (Config.xml, --exclude-from) whole, with a
 * size cap so a hostile or mistaken input is refused before it is read. */
#ifndef UK_READALL_H
#define UK_READALL_H

#include <stddef.h>

/* 0 with *buf (malloc'd, NUL-terminated after its *n bytes), or -1 with
 * a one-line reason in err ("PATH: ..."): unreadable, or over `cap` bytes. */
int uk_readall_file(const char *path, size_t cap, char **buf, size_t *n, char *err,
                    size_t errlen);

#endif
