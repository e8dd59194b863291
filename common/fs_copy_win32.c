/* fs.h copying on Windows (usmt-rescue): wide-character APIs on \\?\ paths,
 * FlushFileBuffers, attributes and times set on the open handle, MoveFileExW
 * with MOVEFILE_WRITE_THROUGH. Error codes are GetLastError() values. */
#include "fs.h"

#include <windows.h>
#include <stdlib.h>
#include <string.h>

/* 100 ns ticks between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF 116444736000000000LL

struct uk_wfile {
	HANDLE h;
};

/* UTF-8 -> absolute \\?\ (or \\?\UNC\) wide path, as fs_win32.c's wpath(),
 * whose helpers are private to that file. */
static wchar_t *long_path(const char *path, int *err)
{
	wchar_t *w = NULL, *full = NULL, *out = NULL, *p;
	int n = *path ? MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0) : 0;
	DWORD len;

	if (n <= 0) {
		*err = *path ? (int)GetLastError() : ERROR_PATH_NOT_FOUND;
		return NULL;
	}
	if (!(w = malloc((size_t)n * sizeof(*w)))) {
		*err = ERROR_NOT_ENOUGH_MEMORY;
		return NULL;
	}
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, n);
	for (p = w; *p; p++)
		if (*p == L'/')
			*p = L'\\';
	if (wcsncmp(w, L"\\\\?\\", 4) == 0 || wcsncmp(w, L"\\\\.\\", 4) == 0)
		return w;
	len = GetFullPathNameW(w, 0, NULL, NULL);
	if (len == 0 || !(full = malloc(((size_t)len + 8) * sizeof(*full))) ||
	    !(out = malloc(((size_t)len + 16) * sizeof(*out)))) {
		*err = len == 0 ? (int)GetLastError() : ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	if (GetFullPathNameW(w, len, full, NULL) == 0) {
		*err = (int)GetLastError();
		free(out);
		out = NULL;
		goto out;
	}
	if (wcsncmp(full, L"\\\\?\\", 4) == 0 || wcsncmp(full, L"\\\\.\\", 4) == 0) {
		wcscpy(out, full);
	} else if (wcsncmp(full, L"\\\\", 2) == 0) {
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

int uk_fs_create(const char *path, uk_wfile **f)
{
	int err = 0;
	wchar_t *w = long_path(path, &err);
	HANDLE h;

	*f = NULL;
	if (!w)
		return err;
	/* CREATE_NEW fails on anything present, a reparse point included. */
	h = CreateFileW(w, GENERIC_WRITE | FILE_WRITE_ATTRIBUTES | DELETE, FILE_SHARE_READ,
	                NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		err = (int)GetLastError();
	} else if (!(*f = malloc(sizeof(**f)))) {
		CloseHandle(h);
		DeleteFileW(w);
		err = ERROR_NOT_ENOUGH_MEMORY;
	} else {
		(*f)->h = h;
	}
	free(w);
	return err;
}

int uk_fs_write(uk_wfile *f, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		DWORD want = n > (1u << 30) ? (1u << 30) : (DWORD)n, done = 0;

		if (!WriteFile(f->h, p, want, &done, NULL))
			return (int)GetLastError();
		if (done == 0)
			return ERROR_DISK_FULL;
		p += done;
		n -= done;
	}
	return 0;
}

int uk_fs_flush(uk_wfile *f)
{
	return FlushFileBuffers(f->h) ? 0 : (int)GetLastError();
}

int uk_fs_mtime_ns(const char *path, int64_t *sec, long *nsec)
{
	int err = 0;
	wchar_t *w = long_path(path, &err);
	WIN32_FILE_ATTRIBUTE_DATA a;
	int64_t t;

	if (!w)
		return err;
	/* Of the entry itself: a reparse point's own times, never its target's. */
	if (!GetFileAttributesExW(w, GetFileExInfoStandard, &a)) {
		err = (int)GetLastError();
	} else {
		t = (int64_t)(((uint64_t)a.ftLastWriteTime.dwHighDateTime << 32) |
		              a.ftLastWriteTime.dwLowDateTime) - EPOCH_DIFF;
		*sec = t >= 0 ? t / 10000000 : -((-t + 9999999) / 10000000);
		*nsec = (long)(t - *sec * 10000000) * 100;
	}
	free(w);
	return err;
}

int uk_fs_wset_meta(uk_wfile *f, int64_t sec, long nsec, int readonly)
{
	FILE_BASIC_INFO bi;

	if (!GetFileInformationByHandleEx(f->h, FileBasicInfo, &bi, sizeof(bi)))
		return (int)GetLastError();
	bi.LastWriteTime.QuadPart = sec * 10000000LL + nsec / 100 + EPOCH_DIFF;
	bi.FileAttributes = readonly ? (bi.FileAttributes | FILE_ATTRIBUTE_READONLY) :
	                    (bi.FileAttributes & ~(DWORD)FILE_ATTRIBUTE_READONLY);
	if (bi.FileAttributes == 0)
		bi.FileAttributes = FILE_ATTRIBUTE_NORMAL;
	/* Zero leaves creation, access and change times as they are. */
	bi.CreationTime.QuadPart = bi.LastAccessTime.QuadPart = bi.ChangeTime.QuadPart = 0;
	return SetFileInformationByHandle(f->h, FileBasicInfo, &bi, sizeof(bi)) ? 0 :
	       (int)GetLastError();
}

int uk_fs_wclose(uk_wfile *f)
{
	int err = 0;

	if (!f)
		return 0;
	if (!CloseHandle(f->h))
		err = (int)GetLastError();
	free(f);
	return err;
}

int uk_fs_rename(const char *from, const char *to)
{
	int err = 0;
	wchar_t *wf = long_path(from, &err), *wt = wf ? long_path(to, &err) : NULL;
	const DWORD flags = MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH;
	DWORD a;

	if (!wt)
		goto out;
	if (!MoveFileExW(wf, wt, flags)) {
		err = (int)GetLastError();
		/* A read-only file is not replaced: a copy an earlier run put in
		 * place before it was killed. Clear it and try once more. */
		a = GetFileAttributesW(wt);
		if (err == ERROR_ACCESS_DENIED && a != INVALID_FILE_ATTRIBUTES &&
		    (a & FILE_ATTRIBUTE_READONLY) && !(a & FILE_ATTRIBUTE_DIRECTORY) &&
		    !(a & FILE_ATTRIBUTE_REPARSE_POINT) &&
		    SetFileAttributesW(wt, a & ~(DWORD)FILE_ATTRIBUTE_READONLY))
			err = MoveFileExW(wf, wt, flags) ? 0 : (int)GetLastError();
	}
out:
	free(wf);
	free(wt);
	return err;
}

int uk_fs_sync_dir(const char *dir)
{
	(void)dir;
	return 0;
}

int uk_fs_free_space(const char *path, uint64_t *bytes)
{
	int err = 0;
	wchar_t *w = long_path(path, &err), *root = NULL;
	ULARGE_INTEGER avail;
	size_t n;

	if (!w)
		return err;
	n = wcslen(w) + 2;
	if (!(root = malloc(n * sizeof(*root))))
		err = ERROR_NOT_ENOUGH_MEMORY;
	else if (!GetVolumePathNameW(w, root, (DWORD)n) ||
	         !GetDiskFreeSpaceExW(root, &avail, NULL, NULL))
		err = (int)GetLastError();
	else
		*bytes = avail.QuadPart;
	free(w);
	free(root);
	return err;
}

int uk_fs_err_nospace(int err)
{
	return err == ERROR_DISK_FULL || err == ERROR_HANDLE_DISK_FULL;
}
