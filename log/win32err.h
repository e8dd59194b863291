/* Win32 error codes as USMT logs them: a name and a short meaning. */
#ifndef UK_WIN32ERR_H
#define UK_WIN32ERR_H

/* "ERROR_SHARING_VIOLATION" / "the file is open in another program";
 * NULL when the code is not in the table. */
const char *uk_win32_name(long code);
const char *uk_win32_meaning(long code);

#endif
