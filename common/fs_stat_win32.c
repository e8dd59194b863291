/* fs.h on Windows (fs_win32_int.h): file identity (volume serial + 128-bit
 * file ID), type and attributes, and sequential reading. */
#include "fs_win32_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


HANDLE uk_w32_open_meta(const wchar_t *w, DWORD access)
{
	return CreateFileW(w, access, SHARE_ALL, NULL, OPEN_EXISTING, NOFOLLOW, NULL);
}

int uk_w32_open(const char *path, DWORD access, DWORD disposition, DWORD flags, HANDLE *h)
{
	int err = 0;
	wchar_t *w = uk_w32_path(path, &err);

	*h = INVALID_HANDLE_VALUE;
	if (!w)
		return err;
	*h = CreateFileW(w, access, SHARE_ALL, NULL, disposition, flags, NULL);
	if (*h == INVALID_HANDLE_VALUE)
		err = (int)GetLastError();
	free(w);
	return err;
}

static int64_t unix_time(FILETIME ft)
{
	int64_t t = ((int64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;

	return (t - UK_W32_EPOCH_DIFF) / 10000000;
}

int uk_w32_ftype(DWORD a)
{
	if (a & FILE_ATTRIBUTE_REPARSE_POINT)
		return UK_FT_LINK;
	if (a & FILE_ATTRIBUTE_DIRECTORY)
		return UK_FT_DIR;
	if (a & FILE_ATTRIBUTE_DEVICE)
		return UK_FT_OTHER;
	return UK_FT_FILE;
}

void uk_w32_id_from128(const FILE_ID_128 *f, uk_fileid *id)
{
	memcpy(&id->lo, f->Identifier, 8);
	memcpy(&id->hi, f->Identifier + 8, 8);
}

/* vol is always the 32-bit serial (both info classes give it alike), so an
 * identity does not depend on which class a volume supports. On NTFS the
 * 128-bit ID is the 64-bit index widened, as the directory listing gives it. */
static int stat_handle(HANDLE h, uk_stat *st)
{
	BY_HANDLE_FILE_INFORMATION bi;
	FILE_ID_INFO fi;

	if (!GetFileInformationByHandle(h, &bi))
		return (int)GetLastError();
	memset(st, 0, sizeof(*st));
	st->id.vol = bi.dwVolumeSerialNumber;
	if (GetFileInformationByHandleEx(h, FileIdInfo, &fi, sizeof(fi))) {
		uk_w32_id_from128(&fi.FileId, &st->id);
	} else {
		st->id.hi = 0;
		st->id.lo = ((uint64_t)bi.nFileIndexHigh << 32) | bi.nFileIndexLow;
	}
	st->type = uk_w32_ftype(bi.dwFileAttributes);
	st->size = st->type == UK_FT_FILE ?
	           ((uint64_t)bi.nFileSizeHigh << 32) | bi.nFileSizeLow : 0;
	st->nlink = bi.nNumberOfLinks;
	st->readonly = (bi.dwFileAttributes & FILE_ATTRIBUTE_READONLY) != 0;
	st->mtime = unix_time(bi.ftLastWriteTime);
	return 0;
}

int uk_fs_lstat(const char *path, uk_stat *st)
{
	int err = 0;
	wchar_t *w = uk_w32_path(path, &err);
	HANDLE h;

	if (!w)
		return err;
	h = uk_w32_open_meta(w, FILE_READ_ATTRIBUTES);
	if (h == INVALID_HANDLE_VALUE) {
		err = (int)GetLastError();
		goto out;
	}
	err = stat_handle(h, st);
	CloseHandle(h);
	/* Wine 8 marks a folder symlink as a reparse point in the listing and
	 * GetFileAttributesW but not through a handle: ask both, as a walk does. */
	if (!err && st->type == UK_FT_DIR) {
		DWORD a = GetFileAttributesW(w);
		if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_REPARSE_POINT))
			st->type = UK_FT_LINK;
	}
out:
	free(w);
	return err;
}

struct uk_file {
	HANDLE h;
};

int uk_fs_open_read(const char *path, uk_file **f, uk_stat *st)
{
	HANDLE h;
	FILE_BASIC_INFO bi;
	int err;

	*f = NULL;
	err = uk_w32_open(path, GENERIC_READ, OPEN_EXISTING, NOFOLLOW | FILE_FLAG_SEQUENTIAL_SCAN,
	                  &h);
	if (err)
		return err;
	/* Only plain files: a reparse point's own data is not the file's. */
	if (!GetFileInformationByHandleEx(h, FileBasicInfo, &bi, sizeof(bi)))
		err = (int)GetLastError();
	else if (bi.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
		err = ERROR_CANT_ACCESS_FILE;
	else if (bi.FileAttributes & FILE_ATTRIBUTE_DIRECTORY)
		err = ERROR_DIRECTORY_NOT_SUPPORTED;
	else if (st)
		err = stat_handle(h, st);
	if (!err && !(*f = malloc(sizeof(**f))))
		err = ERROR_NOT_ENOUGH_MEMORY;
	if (err) {
		CloseHandle(h);
		return err;
	}
	(*f)->h = h;
	return 0;
}

/* FlushFileBuffers() waits for the disk: nothing here starts writing early. */
void uk_fs_writeback(uk_file *f)
{
	(void)f;
}

int uk_fs_read(uk_file *f, void *buf, size_t n, size_t *got)
{
	size_t total = 0;

	while (total < n) {
		DWORD want = n - total > (1u << 30) ? (1u << 30) : (DWORD)(n - total), r = 0;

		if (!ReadFile(f->h, (char *)buf + total, want, &r, NULL)) {
			*got = total;
			return (int)GetLastError();
		}
		if (r == 0)
			break;
		total += r;
	}
	*got = total;
	return 0;
}

int uk_fs_read_once(uk_file *f, void *buf, size_t n, size_t *got)
{
	DWORD r = 0;

	*got = 0;
	if (!ReadFile(f->h, buf, n > (1u << 30) ? (1u << 30) : (DWORD)n, &r, NULL))
		return (int)GetLastError();
	*got = r;
	return 0;
}

void uk_fs_close(uk_file *f)
{
	if (!f)
		return;
	CloseHandle(f->h);
	free(f);
}

FILE *uk_fs_fopen(const char *path, const char *mode)
{
	int err = 0;
	wchar_t *w = uk_w32_path(path, &err), *m = w ? uk_w32_wide(mode, &err) : NULL;
	FILE *f = NULL;

	if (m)
		f = _wfopen(w, m);
	else
		errno = err == ERROR_NOT_ENOUGH_MEMORY ? ENOMEM : EINVAL;
	free(w);
	free(m);
	return f;
}
