/* fs.h on Windows (fs_win32_int.h): paths. UTF-8 <-> UTF-16 conversion, the
 * \\?\ and \\?\UNC\ long forms every call is given, and the names of places
 * (realpath, volume root, fixed volumes). */
#include "fs_win32_int.h"

#include <stdlib.h>
#include <string.h>

/* NULL with *err set: ERROR_NO_UNICODE_TRANSLATION for invalid UTF-8. */
wchar_t *uk_w32_wide(const char *s, int *err)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	wchar_t *w;

	if (n <= 0) {
		*err = (int)GetLastError();
		return NULL;
	}
	w = malloc((size_t)n * sizeof(*w));
	if (!w) {
		*err = ERROR_NOT_ENOUGH_MEMORY;
		return NULL;
	}
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
	return w;
}

/* len -1: NUL-terminated. An unpaired surrogate (possible in NTFS names)
 * becomes U+FFFD: such a name is shown, but cannot be opened again. */
char *uk_w32_utf8(const wchar_t *w, int len)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, len, NULL, 0, NULL, NULL);
	char *s;

	if (n < 0 || (n == 0 && len != 0))
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	WideCharToMultiByte(CP_UTF8, 0, w, len, s, n, NULL, NULL);
	s[n] = 0;
	return s;
}

static int has_prefix(const wchar_t *w, const wchar_t *p)
{
	return wcsncmp(w, p, wcslen(p)) == 0;
}

/* UTF-8 path -> absolute \\?\ (or \\?\UNC\) wide path, '/' read as '\'.
 * GetFullPathNameW resolves "." and ".." and the current directory first,
 * since the \\?\ form is taken literally. */
wchar_t *uk_w32_path(const char *path, int *err)
{
	wchar_t *w, *full = NULL, *out = NULL, *p;
	DWORD n;

	if (!*path) {
		*err = ERROR_PATH_NOT_FOUND;
		return NULL;
	}
	if (!(w = uk_w32_wide(path, err)))
		return NULL;
	for (p = w; *p; p++)
		if (*p == L'/')
			*p = L'\\';
	if (has_prefix(w, L"\\\\?\\") || has_prefix(w, L"\\\\.\\"))
		return w;
	n = GetFullPathNameW(w, 0, NULL, NULL);
	if (n == 0 || !(full = malloc(((size_t)n + 8) * sizeof(*full)))) {
		*err = n == 0 ? (int)GetLastError() : ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	n = GetFullPathNameW(w, n, full, NULL);
	if (n == 0) {
		*err = (int)GetLastError();
		goto out;
	}
	if (!(out = malloc(((size_t)n + 8) * sizeof(*out)))) {
		*err = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	if (has_prefix(full, L"\\\\.\\") || has_prefix(full, L"\\\\?\\")) {
		wcscpy(out, full);
	} else if (has_prefix(full, L"\\\\")) {
		wcscpy(out, L"\\\\?\\UNC\\");
		wcscat(out, full + 2);
	} else {
		wcscpy(out, L"\\\\?\\");
		wcscat(out, full);
	}
out:
	free(w);
	free(full);
	return out;
}

/* \\?\C:\x -> C:\x, \\?\UNC\s\x -> \\s\x: the form an admin types. */
static char *plain_utf8(const wchar_t *w)
{
	char *s;

	if (has_prefix(w, L"\\\\?\\UNC\\")) {
		s = uk_w32_utf8(w + 6, -1);
		if (s)
			s[0] = '\\';
		return s;
	}
	if (has_prefix(w, L"\\\\?\\") && w[4] && w[5] == L':')
		return uk_w32_utf8(w + 4, -1);
	return uk_w32_utf8(w, -1);
}

/* Length of the root of a \\?\ path: "\\?\C:\" or "\\?\UNC\server\share\". */
size_t uk_w32_root_len(const wchar_t *w)
{
	size_t i = 4;
	int seps = 0;

	if (!has_prefix(w, L"\\\\?\\UNC\\"))
		return w[4] && w[5] == L':' ? 7 : 4;
	for (i = 8; w[i]; i++)
		if (w[i] == L'\\' && ++seps == 2)
			return i + 1;
	return i;
}

int uk_fs_realpath(const char *path, char **out)
{
	int err = 0;
	wchar_t *w = uk_w32_path(path, &err), *buf = NULL;
	HANDLE h;
	DWORD n;

	*out = NULL;
	if (!w)
		return err;
	/* Opened without OPEN_REPARSE_POINT: links resolved, as realpath(3). */
	h = CreateFileW(w, FILE_READ_ATTRIBUTES, SHARE_ALL, NULL, OPEN_EXISTING,
	                FILE_FLAG_BACKUP_SEMANTICS, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		err = (int)GetLastError();
		goto out;
	}
	n = GetFinalPathNameByHandleW(h, NULL, 0, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
	if (n && (buf = malloc(((size_t)n + 1) * sizeof(*buf))))
		n = GetFinalPathNameByHandleW(h, buf, n + 1, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
	CloseHandle(h);
	/* Some redirectors cannot name a handle, and Wine 8 fails past 260
	 * characters (ERROR_MORE_DATA): the absolute path must do then. */
	*out = plain_utf8(n && buf ? buf : w);
	if (!*out)
		err = ERROR_NOT_ENOUGH_MEMORY;
out:
	free(w);
	free(buf);
	return err;
}

int uk_fs_mount_root(const char *path, char **out)
{
	int err = 0;
	wchar_t *w = uk_w32_path(path, &err), *buf = NULL;
	size_t n;

	*out = NULL;
	if (!w)
		return err;
	n = wcslen(w) + 2;
	if (!(buf = malloc(n * sizeof(*buf))))
		err = ERROR_NOT_ENOUGH_MEMORY;
	else if (!GetVolumePathNameW(w, buf, (DWORD)n))
		err = (int)GetLastError();
	else if (!(*out = plain_utf8(buf)))
		err = ERROR_NOT_ENOUGH_MEMORY;
	free(w);
	free(buf);
	return err;
}

int uk_fs_fixed_volumes(char ***roots, size_t *n)
{
	wchar_t buf[27 * 4 + 1], *p;
	char **r;
	DWORD len = GetLogicalDriveStringsW(sizeof(buf) / sizeof(buf[0]), buf);
	size_t k = 0;

	*roots = NULL;
	*n = 0;
	if (len == 0 || len >= sizeof(buf) / sizeof(buf[0]))
		return len ? ERROR_INSUFFICIENT_BUFFER : (int)GetLastError();
	if (!(r = calloc(27, sizeof(*r))))
		return ERROR_NOT_ENOUGH_MEMORY;
	for (p = buf; *p; p += wcslen(p) + 1) {
		if (GetDriveTypeW(p) != DRIVE_FIXED)
			continue;
		if (!(r[k] = uk_w32_utf8(p, -1))) {
			while (k)
				free(r[--k]);
			free(r);
			return ERROR_NOT_ENOUGH_MEMORY;
		}
		k++;
	}
	*roots = r;
	*n = k;
	return 0;
}

const char *uk_path_base(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}
