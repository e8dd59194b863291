/* Program entry: tools write `static int verify_main(int, char **)` and
 * `UK_ENTRY(verify_main)`. On Windows arguments arrive as UTF-16 and are
 * converted to UTF-8 here, so everything past the entry point is UTF-8. */
#ifndef UK_ENTRY_H
#define UK_ENTRY_H

#ifdef _WIN32
#include <wchar.h>
char **uk_fs_utf8_argv(int argc, wchar_t **wargv);  /* fs_sys_win32.c; also sets up the console */
#define UK_ENTRY(fn) \
	int wmain(int argc, wchar_t **wargv) { return fn(argc, uk_fs_utf8_argv(argc, wargv)); }
#else
#define UK_ENTRY(fn) \
	int main(int argc, char **argv) { return fn(argc, argv); }
#endif

#endif
