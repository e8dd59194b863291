/* The command line a tool was run with, as recorded in the database. */
#ifndef UK_CMDLINE_H
#define UK_CMDLINE_H

/* Arguments joined by spaces, those with spaces, tabs or nothing quoted
 * (malloc'd; NULL on out of memory). */
char *uk_cmdline_join(int argc, char **argv);

#endif
