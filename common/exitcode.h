/* The one exit-code table of all usmtkit tools (SPEC.md section 5). */
#ifndef UK_EXITCODE_H
#define UK_EXITCODE_H

#define UK_EXIT_OK       0  /* done, nothing at risk */
#define UK_EXIT_FINDINGS 1  /* verify findings, report risk, purge refused */
#define UK_EXIT_USAGE    2  /* usage error, not a store, unreadable input */
#define UK_EXIT_RUNTIME  3  /* database, I/O on the store root, out of memory */
#ifdef _WIN32
#define UK_EXIT_REBOOT 3010 /* ERROR_SUCCESS_REBOOT_REQUIRED: task-sequence convention */
#else
#define UK_EXIT_REBOOT 10   /* leftovers pending: usmt-purge --run-pending at boot */
#endif

#endif
