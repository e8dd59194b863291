/* What the fs_*_win32.c files share, and nothing outside them includes.
 * fs.h on Windows: wide-character APIs with \\?\ long paths, UTF-8 outside.
 * Every handle is opened with FILE_FLAG_OPEN_REPARSE_POINT (a symbolic link,
 * junction or other reparse point is never followed) and
 * FILE_FLAG_BACKUP_SEMANTICS (folders open; with SeBackupPrivilege held, ACLs
 * do not stop an administrator). Error codes are GetLastError() values. */
#ifndef UK_FS_WIN32_INT_H
#define UK_FS_WIN32_INT_H

#include <windows.h>

#include "fs.h"

#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define NOFOLLOW (FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
#ifndef ERROR_DIRECTORY_NOT_SUPPORTED
#define ERROR_DIRECTORY_NOT_SUPPORTED 336L /* "An operation is not supported on a directory" */
#endif

/* fs_path_win32.c: UTF-8 <-> UTF-16 and the \\?\ form of a path (malloc'd). */
wchar_t *uk_w32_wide(const char *s, int *err);
char *uk_w32_utf8(const wchar_t *w, int len);
wchar_t *uk_w32_path(const char *path, int *err);
size_t uk_w32_root_len(const wchar_t *w);

/* 100 ns ticks between 1601-01-01 (FILETIME) and 1970-01-01. */
#define UK_W32_EPOCH_DIFF 116444736000000000LL

/* fs_stat_win32.c: handles, and file identity and type from a handle or attributes. */
HANDLE uk_w32_open_meta(const wchar_t *w, DWORD access);
/* CreateFileW(path, access, SHARE_ALL, disposition, flags) of a UTF-8 path:
 * 0 with *h open, or the error (*h is INVALID_HANDLE_VALUE then). */
int uk_w32_open(const char *path, DWORD access, DWORD disposition, DWORD flags, HANDLE *h);
int uk_w32_ftype(DWORD attrs);
void uk_w32_id_from128(const FILE_ID_128 *f, uk_fileid *id);

#endif
