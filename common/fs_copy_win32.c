/* fs.h copying on Windows (usmt-rescue; usmt-verify publishing a new
 * database): wide-character APIs on \\?\ paths, FlushFileBuffers, attributes and times set on the open handle, MoveFileExW
 * with MOVEFILE_WRITE_THROUGH. Error codes are GetLastError() values. */
#include "fs_win32_int.h"

#include <stdlib.h>
#include <string.h>

struct uk_wfile {
	HANDLE h;
};

int uk_fs_create(const char *path, uk_wfile **f)
{
	int err = 0;
	wchar_t *w = uk_w32_path(path, &err);
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
	wchar_t *w = uk_w32_path(path, &err);
	WIN32_FILE_ATTRIBUTE_DATA a;
	int64_t t;

	if (!w)
		return err;
	/* Of the entry itself: a reparse point's own times, never its target's. */
	if (!GetFileAttributesExW(w, GetFileExInfoStandard, &a)) {
		err = (int)GetLastError();
	} else {
		t = (int64_t)(((uint64_t)a.ftLastWriteTime.dwHighDateTime << 32) |
		              a.ftLastWriteTime.dwLowDateTime) - UK_W32_EPOCH_DIFF;
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
	bi.LastWriteTime.QuadPart = sec * 10000000LL + nsec / 100 + UK_W32_EPOCH_DIFF;
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
	wchar_t *wf = uk_w32_path(from, &err), *wt = wf ? uk_w32_path(to, &err) : NULL;
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

int uk_fs_rename_new(const char *from, const char *to)
{
	int err = 0;
	wchar_t *wf = uk_w32_path(from, &err), *wt = wf ? uk_w32_path(to, &err) : NULL;

	if (!wt)
		goto out;
	/* Without MOVEFILE_REPLACE_EXISTING nothing present is replaced. A
	 * scanner that opens a file the moment it is closed makes the move fail
	 * for a moment: try again for up to half a second. */
	for (int i = 0; i < 10; i++) {
		if (MoveFileExW(wf, wt, MOVEFILE_WRITE_THROUGH)) {
			err = 0;
			break;
		}
		err = (int)GetLastError();
		if (err != ERROR_SHARING_VIOLATION && err != ERROR_LOCK_VIOLATION)
			break;
		Sleep(50);
	}
out:
	free(wf);
	free(wt);
	return err;
}

int uk_fs_sync_file(const char *path)
{
	HANDLE h;
	int err = uk_w32_open(path, GENERIC_WRITE, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT, &h);

	if (err)
		return err;
	if (!FlushFileBuffers(h))
		err = (int)GetLastError();
	CloseHandle(h);
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
	wchar_t *w = uk_w32_path(path, &err), *root = NULL;
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
