/* fs.h on Windows (fs_win32_int.h): directory listing. */
#include "fs_win32_int.h"

#include <stdlib.h>
#include <string.h>

/* Whole batches of entries per call, with IDs and attributes:
 * FileIdExtdDirectoryInfo (128-bit IDs; NTFS, ReFS), else
 * FileIdBothDirectoryInfo (64-bit IDs; FAT and Wine), else FindFirstFileExW
 * (no IDs; the caller then stats the entry). */
enum { DIR_EXTD, DIR_BOTH, DIR_FIND };
#define DIRBUF (64 * 1024)

struct uk_dir {
	HANDLE h;          /* directory handle, or the FindFirstFileExW handle */
	int mode;
	int first;         /* next call is the first (restart / already filled) */
	int done;
	size_t off, len;   /* position in buf; len 0 = buffer used up */
	WIN32_FIND_DATAW fd;
	char *name;
	wchar_t *wpath;    /* for FindFirstFileExW: "<dir>\*" */
	void *buf;
};

static int fill_batch(uk_dir *d)
{
	FILE_INFO_BY_HANDLE_CLASS c;

	if (d->mode == DIR_EXTD)
		c = d->first ? FileIdExtdDirectoryRestartInfo : FileIdExtdDirectoryInfo;
	else
		c = d->first ? FileIdBothDirectoryRestartInfo : FileIdBothDirectoryInfo;
	d->off = 0;
	d->len = 0;
	if (!GetFileInformationByHandleEx(d->h, c, d->buf, DIRBUF))
		return (int)GetLastError();
	d->first = 0;
	d->len = 1;
	return 0;
}

static int unsupported_class(int err)
{
	return err == ERROR_INVALID_PARAMETER || err == ERROR_NOT_SUPPORTED ||
	       err == ERROR_INVALID_LEVEL || err == ERROR_INVALID_FUNCTION ||
	       err == ERROR_CALL_NOT_IMPLEMENTED;
}

static int open_find(uk_dir *d, const wchar_t *w)
{
	size_t n = wcslen(w);

	d->wpath = malloc((n + 3) * sizeof(wchar_t));
	if (!d->wpath)
		return ERROR_NOT_ENOUGH_MEMORY;
	wcscpy(d->wpath, w);
	wcscpy(d->wpath + n, n && w[n - 1] == L'\\' ? L"*" : L"\\*");
	d->h = FindFirstFileExW(d->wpath, FindExInfoBasic, &d->fd, FindExSearchNameMatch, NULL,
	                        FIND_FIRST_EX_LARGE_FETCH);
	if (d->h == INVALID_HANDLE_VALUE) {
		int e = (int)GetLastError();
		if (e != ERROR_FILE_NOT_FOUND && e != ERROR_NO_MORE_FILES)
			return e;
		d->done = 1; /* an empty root has not even "." */
	}
	d->mode = DIR_FIND;
	d->first = 1;
	return 0;
}

int uk_fs_opendir(const char *path, uk_dir **out)
{
	int err = 0;
	wchar_t *w = uk_w32_path(path, &err);
	uk_dir *d = NULL;
	BY_HANDLE_FILE_INFORMATION bi;

	*out = NULL;
	if (!w)
		return err;
	if (!(d = calloc(1, sizeof(*d))) || !(d->buf = malloc(DIRBUF))) {
		err = ERROR_NOT_ENOUGH_MEMORY;
		goto out;
	}
	d->h = CreateFileW(w, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE, SHARE_ALL,
	                   NULL, OPEN_EXISTING, NOFOLLOW, NULL);
	if (d->h == INVALID_HANDLE_VALUE) {
		err = (int)GetLastError();
		goto out;
	}
	/* A reparse point is opened itself, never listed through (ENOTDIR). */
	if (!GetFileInformationByHandle(d->h, &bi)) {
		err = (int)GetLastError();
		goto out;
	}
	if ((bi.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) !=
	    FILE_ATTRIBUTE_DIRECTORY) {
		err = ERROR_DIRECTORY;
		goto out;
	}
	d->first = 1;
	d->mode = DIR_EXTD;
	err = fill_batch(d);
	if (err && unsupported_class(err)) {
		d->mode = DIR_BOTH;
		d->first = 1;
		err = fill_batch(d);
	}
	if (err == ERROR_NO_MORE_FILES || err == ERROR_FILE_NOT_FOUND) {
		d->done = 1;
		err = 0;
	} else if (err && unsupported_class(err)) {
		CloseHandle(d->h);
		d->h = INVALID_HANDLE_VALUE;
		err = open_find(d, w);
	}
out:
	free(w);
	if (err) {
		uk_fs_closedir(d);
		return err;
	}
	*out = d;
	return 0;
}

static int is_dot(const wchar_t *n, size_t len)
{
	return (len == 1 && n[0] == L'.') || (len == 2 && n[0] == L'.' && n[1] == L'.');
}

static int set_name(uk_dir *d, const wchar_t *n, size_t len)
{
	free(d->name);
	d->name = uk_w32_utf8(n, (int)len);
	return d->name ? 0 : ERROR_NOT_ENOUGH_MEMORY;
}

/* One entry of a batch: 1 found, 0 batch used up, -err. */
static int next_in_batch(uk_dir *d, uk_dirent *e)
{
	while (d->len) {
		const char *p = (const char *)d->buf + d->off;
		const wchar_t *name;
		size_t nlen;
		DWORD attrs, next;

		if (d->mode == DIR_EXTD) {
			const FILE_ID_EXTD_DIR_INFO *x = (const void *)p;
			name = x->FileName;
			nlen = x->FileNameLength / sizeof(wchar_t);
			attrs = x->FileAttributes;
			next = x->NextEntryOffset;
			uk_w32_id_from128(&x->FileId, &e->id);
		} else {
			const FILE_ID_BOTH_DIR_INFO *x = (const void *)p;
			name = x->FileName;
			nlen = x->FileNameLength / sizeof(wchar_t);
			attrs = x->FileAttributes;
			next = x->NextEntryOffset;
			e->id.hi = 0;
			e->id.lo = (uint64_t)x->FileId.QuadPart;
		}
		if (next)
			d->off += next;
		else
			d->len = 0;
		if (is_dot(name, nlen))
			continue;
		if (set_name(d, name, nlen))
			return -ERROR_NOT_ENOUGH_MEMORY;
		e->name = d->name;
		e->type = uk_w32_ftype(attrs);
		e->has_id = 1;
		e->id.vol = 0;
		return 1;
	}
	return 0;
}

static int next_find(uk_dir *d, uk_dirent *e)
{
	for (;;) {
		if (d->done)
			return 0;
		if (!d->first && !FindNextFileW(d->h, &d->fd)) {
			int err = (int)GetLastError();
			d->done = 1;
			return err == ERROR_NO_MORE_FILES ? 0 : -err;
		}
		d->first = 0;
		if (!is_dot(d->fd.cFileName, wcslen(d->fd.cFileName)))
			break;
	}
	if (set_name(d, d->fd.cFileName, wcslen(d->fd.cFileName)))
		return -ERROR_NOT_ENOUGH_MEMORY;
	e->name = d->name;
	e->type = uk_w32_ftype(d->fd.dwFileAttributes);
	return 1;
}

int uk_fs_readdir(uk_dir *d, uk_dirent *e)
{
	memset(e, 0, sizeof(*e));
	if (d->mode == DIR_FIND)
		return next_find(d, e);
	for (;;) {
		int r, err;

		if (d->done)
			return 0;
		r = next_in_batch(d, e);
		if (r)
			return r;
		err = fill_batch(d);
		if (err) {
			d->done = 1;
			return err == ERROR_NO_MORE_FILES ? 0 : -err;
		}
	}
}

int uk_fs_lstat_at(uk_dir *d, const char *name, const char *path, uk_stat *st)
{
	(void)d;
	(void)name;
	return uk_fs_lstat(path, st);
}

void uk_fs_closedir(uk_dir *d)
{
	if (!d)
		return;
	if (d->h && d->h != INVALID_HANDLE_VALUE) {
		if (d->mode == DIR_FIND)
			FindClose(d->h);
		else
			CloseHandle(d->h);
	}
	free(d->name);
	free(d->wpath);
	free(d->buf);
	free(d);
}
