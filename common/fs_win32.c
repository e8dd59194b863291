/* fs.h on Windows: wide-character APIs with \\?\ long paths, UTF-8 outside.
 * Every handle is opened with FILE_FLAG_OPEN_REPARSE_POINT (a symbolic link,
 * junction or other reparse point is never followed) and
 * FILE_FLAG_BACKUP_SEMANTICS (folders open; with SeBackupPrivilege held, ACLs
 * do not stop an administrator). Error codes are GetLastError() values.
 * One file, longer than most, by design: it is the whole of the Windows port
 * (with entry.h), so nothing else in the tree needs to know Win32. */
#include "fs.h"
#include "entry.h"

#include <windows.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define NOFOLLOW (FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
/* 100 ns ticks between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF 116444736000000000LL
#ifndef ERROR_DIRECTORY_NOT_SUPPORTED
#define ERROR_DIRECTORY_NOT_SUPPORTED 336L /* "An operation is not supported on a directory" */
#endif

/* ---- UTF-8 <-> UTF-16 ---------------------------------------------- */

/* NULL with *err set: ERROR_NO_UNICODE_TRANSLATION for invalid UTF-8. */
static wchar_t *to_wide(const char *s, int *err)
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
static char *to_utf8(const wchar_t *w, int len)
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

/* ---- paths -------------------------------------------------------- */

static int has_prefix(const wchar_t *w, const wchar_t *p)
{
	return wcsncmp(w, p, wcslen(p)) == 0;
}

/* UTF-8 path -> absolute \\?\ (or \\?\UNC\) wide path, '/' read as '\'.
 * GetFullPathNameW resolves "." and ".." and the current directory first,
 * since the \\?\ form is taken literally. */
static wchar_t *wpath(const char *path, int *err)
{
	wchar_t *w, *full = NULL, *out = NULL, *p;
	DWORD n;

	if (!*path) {
		*err = ERROR_PATH_NOT_FOUND;
		return NULL;
	}
	if (!(w = to_wide(path, err)))
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
		s = to_utf8(w + 6, -1);
		if (s)
			s[0] = '\\';
		return s;
	}
	if (has_prefix(w, L"\\\\?\\") && w[4] && w[5] == L':')
		return to_utf8(w + 4, -1);
	return to_utf8(w, -1);
}

/* ---- stat --------------------------------------------------------- */

static HANDLE open_meta(const wchar_t *w, DWORD access)
{
	return CreateFileW(w, access, SHARE_ALL, NULL, OPEN_EXISTING, NOFOLLOW, NULL);
}

static int64_t unix_time(FILETIME ft)
{
	int64_t t = ((int64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;

	return (t - EPOCH_DIFF) / 10000000;
}

static int ftype_of_attrs(DWORD a)
{
	if (a & FILE_ATTRIBUTE_REPARSE_POINT)
		return UK_FT_LINK;
	if (a & FILE_ATTRIBUTE_DIRECTORY)
		return UK_FT_DIR;
	if (a & FILE_ATTRIBUTE_DEVICE)
		return UK_FT_OTHER;
	return UK_FT_FILE;
}

static void id_from128(const FILE_ID_128 *f, uk_fileid *id)
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
		id_from128(&fi.FileId, &st->id);
	} else {
		st->id.hi = 0;
		st->id.lo = ((uint64_t)bi.nFileIndexHigh << 32) | bi.nFileIndexLow;
	}
	st->type = ftype_of_attrs(bi.dwFileAttributes);
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
	wchar_t *w = wpath(path, &err);
	HANDLE h;

	if (!w)
		return err;
	h = open_meta(w, FILE_READ_ATTRIBUTES);
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

/* ---- directories -------------------------------------------------- */

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
	wchar_t *w = wpath(path, &err);
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
	d->name = to_utf8(n, (int)len);
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
			id_from128(&x->FileId, &e->id);
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
		e->type = ftype_of_attrs(attrs);
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
	e->type = ftype_of_attrs(d->fd.dwFileAttributes);
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

/* ---- reading ------------------------------------------------------ */

struct uk_file {
	HANDLE h;
};

int uk_fs_open_read(const char *path, uk_file **f)
{
	int err = 0;
	wchar_t *w = wpath(path, &err);
	HANDLE h;
	FILE_BASIC_INFO bi;

	*f = NULL;
	if (!w)
		return err;
	h = CreateFileW(w, GENERIC_READ, SHARE_ALL, NULL, OPEN_EXISTING,
	                NOFOLLOW | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return (int)GetLastError();
	/* Only plain files: a reparse point's own data is not the file's. */
	if (!GetFileInformationByHandleEx(h, FileBasicInfo, &bi, sizeof(bi)))
		err = (int)GetLastError();
	else if (bi.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
		err = ERROR_CANT_ACCESS_FILE;
	else if (bi.FileAttributes & FILE_ATTRIBUTE_DIRECTORY)
		err = ERROR_DIRECTORY_NOT_SUPPORTED;
	else if (!(*f = malloc(sizeof(**f))))
		err = ERROR_NOT_ENOUGH_MEMORY;
	if (err) {
		CloseHandle(h);
		return err;
	}
	(*f)->h = h;
	return 0;
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

int uk_fs_fstat(uk_file *f, uk_stat *st)
{
	return stat_handle(f->h, st);
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
	wchar_t *w = wpath(path, &err), *m = w ? to_wide(mode, &err) : NULL;
	FILE *f = NULL;

	if (m)
		f = _wfopen(w, m);
	else
		errno = err == ERROR_NOT_ENOUGH_MEMORY ? ENOMEM : EINVAL;
	free(w);
	free(m);
	return f;
}

/* ---- changes ------------------------------------------------------ */

/* Attributes through a handle, so a reparse point is changed itself. */
static int set_attrs(HANDLE h, DWORD attrs)
{
	FILE_BASIC_INFO bi;

	memset(&bi, 0, sizeof(bi)); /* zero times: left unchanged */
	bi.FileAttributes = attrs ? attrs : FILE_ATTRIBUTE_NORMAL;
	return SetFileInformationByHandle(h, FileBasicInfo, &bi, sizeof(bi)) ? 0 :
	       (int)GetLastError();
}

static int get_attrs(HANDLE h, DWORD *attrs)
{
	FILE_BASIC_INFO bi;

	if (!GetFileInformationByHandleEx(h, FileBasicInfo, &bi, sizeof(bi)))
		return (int)GetLastError();
	*attrs = bi.FileAttributes;
	return 0;
}

/* Hard links share one attribute record: clearing read-only to delete one
 * name clears it for all, so it is set again, through a handle kept open
 * across the deletion, for the names that survive. */
static int delete_readonly(const wchar_t *w, HANDLE h, DWORD attrs, int dir)
{
	BY_HANDLE_FILE_INFORMATION bi;
	int err, others;

	if (!GetFileInformationByHandle(h, &bi))
		return (int)GetLastError();
	others = bi.nNumberOfLinks > 1;
	err = set_attrs(h, attrs & ~(DWORD)FILE_ATTRIBUTE_READONLY);
	if (err)
		return err;
	if (dir ? RemoveDirectoryW(w) : DeleteFileW(w)) {
		if (others)
			set_attrs(h, attrs);
		return 0;
	}
	err = (int)GetLastError();
	set_attrs(h, attrs);
	return err;
}

static int remove_entry(const char *path, int want_dir)
{
	int err = 0, dir;
	wchar_t *w = wpath(path, &err);
	DWORD attrs;
	HANDLE h;

	if (!w)
		return err;
	/* GetFileAttributesW reports a reparse point itself, never its target. */
	attrs = GetFileAttributesW(w);
	if (attrs == INVALID_FILE_ATTRIBUTES) {
		err = (int)GetLastError();
		goto out;
	}
	/* unlink of a junction or folder symlink removes it as a folder: the
	 * link itself, never what it points to. */
	dir = (attrs & FILE_ATTRIBUTE_DIRECTORY) != 0;
	if (dir != want_dir && !(dir && (attrs & FILE_ATTRIBUTE_REPARSE_POINT))) {
		err = dir ? ERROR_DIRECTORY_NOT_SUPPORTED : ERROR_DIRECTORY;
		goto out;
	}
	if (dir ? RemoveDirectoryW(w) : DeleteFileW(w))
		goto out;
	err = (int)GetLastError();
	if (err != ERROR_ACCESS_DENIED || !(attrs & FILE_ATTRIBUTE_READONLY))
		goto out;
	h = open_meta(w, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES);
	if (h == INVALID_HANDLE_VALUE)
		goto out;
	err = delete_readonly(w, h, attrs, dir);
	CloseHandle(h);
out:
	free(w);
	return err;
}

int uk_fs_unlink(const char *path)
{
	return remove_entry(path, 0);
}

int uk_fs_unlink_at(uk_dir *d, const char *name, const char *path)
{
	(void)d;
	(void)name;
	return uk_fs_unlink(path);
}

int uk_fs_rmdir(const char *path)
{
	return remove_entry(path, 1);
}

int uk_fs_set_readonly(const char *path, int readonly)
{
	int err = 0;
	wchar_t *w = wpath(path, &err);
	HANDLE h;
	DWORD a = 0, want;

	if (!w)
		return err;
	h = open_meta(w, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return (int)GetLastError();
	err = get_attrs(h, &a);
	if (!err) {
		want = readonly ? a | FILE_ATTRIBUTE_READONLY : a & ~(DWORD)FILE_ATTRIBUTE_READONLY;
		if (want != a)
			err = set_attrs(h, want);
	}
	CloseHandle(h);
	return err;
}

int uk_fs_link(const char *existing, const char *newpath)
{
	int err = 0;
	wchar_t *a = wpath(existing, &err), *b = a ? wpath(newpath, &err) : NULL;

	if (b && !CreateHardLinkW(b, a, NULL))
		err = (int)GetLastError();
	free(a);
	free(b);
	return err;
}

/* Length of the root of a \\?\ path: "\\?\C:\" or "\\?\UNC\server\share\". */
static size_t root_len(const wchar_t *w)
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

int uk_fs_mkdir_p(const char *path)
{
	int err = 0;
	wchar_t *w = wpath(path, &err), *p;
	size_t n;
	DWORD a;

	if (!w)
		return err;
	n = wcslen(w);
	while (n > root_len(w) && w[n - 1] == L'\\')
		w[--n] = 0;
	for (p = w + root_len(w); ; p++) {
		wchar_t c = *p;

		if (c != L'\\' && c != 0)
			continue;
		*p = 0;
		if (!CreateDirectoryW(w, NULL)) {
			int e = (int)GetLastError();
			if (e != ERROR_ALREADY_EXISTS && e != ERROR_ACCESS_DENIED) {
				err = e;
				break;
			}
		}
		*p = c;
		if (!c)
			break;
	}
	/* Access denied on an existing parent is fine; the end must be a folder. */
	if (!err) {
		a = GetFileAttributesW(w);
		if (a == INVALID_FILE_ATTRIBUTES)
			err = (int)GetLastError();
		else if ((a & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) !=
		         FILE_ATTRIBUTE_DIRECTORY)
			err = ERROR_ALREADY_EXISTS;
	}
	free(w);
	return err;
}

/* The Session Manager cannot delete a read-only file at boot: clear it now.
 * (For a file with other links that clears it on them too.) */
int uk_fs_schedule_delete(const char *path)
{
	int err = 0;
	wchar_t *w = wpath(path, &err);
	DWORD a;

	if (!w)
		return err;
	a = GetFileAttributesW(w);
	if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_READONLY)) {
		HANDLE h = open_meta(w, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES);
		if (h != INVALID_HANDLE_VALUE) {
			set_attrs(h, a & ~(DWORD)FILE_ATTRIBUTE_READONLY);
			CloseHandle(h);
		}
	}
	if (!MoveFileExW(w, NULL, MOVEFILE_DELAY_UNTIL_REBOOT))
		err = (int)GetLastError();
	free(w);
	return err;
}

/* A byte-range lock far past any data (SQLite's locks sit at 1 GiB), so the
 * lock file may be the database itself. Windows drops it when the process
 * dies, however it dies. */
struct uk_lock {
	HANDLE h;
};

int uk_fs_lock(const char *path, uk_lock **l)
{
	int err = 0;
	wchar_t *w = wpath(path, &err);
	HANDLE h;
	OVERLAPPED ov;

	*l = NULL;
	if (!w)
		return err;
	h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, SHARE_ALL, NULL, OPEN_ALWAYS,
	                FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return (int)GetLastError();
	memset(&ov, 0, sizeof(ov));
	ov.OffsetHigh = 0x40000000;
	if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov))
		err = (int)GetLastError();
	else if (!(*l = malloc(sizeof(**l))))
		err = ERROR_NOT_ENOUGH_MEMORY;
	if (err) {
		CloseHandle(h);
		return err == ERROR_IO_PENDING ? ERROR_LOCK_VIOLATION : err;
	}
	(*l)->h = h;
	return 0;
}

void uk_fs_unlock(uk_lock *l)
{
	if (!l)
		return;
	CloseHandle(l->h); /* closing the handle releases its locks */
	free(l);
}

/* ---- names of places ---------------------------------------------- */

int uk_fs_realpath(const char *path, char **out)
{
	int err = 0;
	wchar_t *w = wpath(path, &err), *buf = NULL;
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
	wchar_t *w = wpath(path, &err), *buf = NULL;
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
		if (!(r[k] = to_utf8(p, -1))) {
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

/* ---- errors ------------------------------------------------------- */

int uk_fs_err_notfound(int err)
{
	/* ERROR_DIRECTORY ("not a folder") is ENOTDIR's twin. */
	return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND ||
	       err == ERROR_DIRECTORY;
}

int uk_fs_err_locked(int err)
{
	return err == ERROR_ACCESS_DENIED || err == ERROR_SHARING_VIOLATION ||
	       err == ERROR_LOCK_VIOLATION || err == ERROR_BUSY || err == ERROR_USER_MAPPED_FILE ||
	       err == ERROR_DELETE_PENDING || err == ERROR_WRITE_PROTECT;
}

int uk_fs_err_exists(int err)
{
	return err == ERROR_ALREADY_EXISTS || err == ERROR_FILE_EXISTS;
}

int uk_fs_err_notempty(int err)
{
	return err == ERROR_DIR_NOT_EMPTY;
}

const char *uk_fs_strerror(int err, char *buf, size_t n)
{
	wchar_t msg[512];
	DWORD len = 0;
	char *s = NULL;

	if (err == UK_FS_EUNSUPPORTED) {
		snprintf(buf, n, "not supported on this system");
		return buf;
	}
	len = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
	                     (DWORD)err, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), msg,
	                     sizeof(msg) / sizeof(msg[0]), NULL);
	/* System messages end in ".\r\n": one line, no final period. */
	while (len && (msg[len - 1] == L'\n' || msg[len - 1] == L'\r' || msg[len - 1] == L' ' ||
	               msg[len - 1] == L'.'))
		len--;
	if (len)
		s = to_utf8(msg, (int)len);
	if (s)
		snprintf(buf, n, "%s (error %d)", s, err);
	else
		snprintf(buf, n, "Windows error %d", err);
	free(s);
	return buf;
}

/* ---- process and clock -------------------------------------------- */

int uk_fs_isatty(int fd)
{
	DWORD mode;
	HANDLE h = (HANDLE)_get_osfhandle(fd);

	return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
}

int uk_fs_localtime(int64_t t, struct tm *tm, int *utc_offset_min)
{
	__time64_t tt = (__time64_t)t;
	struct tm l, g;

	if (_localtime64_s(tm, &tt) != 0 || _gmtime64_s(&g, &tt) != 0)
		return EINVAL;
	/* The offset is local minus UTC, both read as if they were UTC
	 * (_mkgmtime64 normalises its argument: give it copies). */
	l = *tm;
	*utc_offset_min = (int)((_mkgmtime64(&l) - _mkgmtime64(&g)) / 60);
	return 0;
}

int uk_fs_utctime(int64_t t, struct tm *tm)
{
	__time64_t tt = (__time64_t)t;

	return _gmtime64_s(tm, &tt) == 0 ? 0 : EINVAL;
}

unsigned long uk_fs_thread_id(void)
{
	return GetCurrentThreadId();
}

unsigned uk_fs_cpu_count(void)
{
	DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);

	return n ? n : 1;
}

int uk_fs_hostname(char *buf, size_t n)
{
	wchar_t w[MAX_COMPUTERNAME_LENGTH + 1];
	DWORD len = sizeof(w) / sizeof(w[0]);
	char *s;

	if (!GetComputerNameW(w, &len))
		return (int)GetLastError();
	if (!(s = to_utf8(w, (int)len)))
		return ERROR_NOT_ENOUGH_MEMORY;
	snprintf(buf, n, "%s", s);
	free(s);
	return 0;
}

/* ---- entry point -------------------------------------------------- */

static UINT saved_cp;

static void restore_console_cp(void)
{
	SetConsoleOutputCP(saved_cp);
}

/* Backup and restore privileges let an administrator read and delete
 * whatever the ACLs say; without elevation they are absent: ignored. */
static void enable_backup_privileges(void)
{
	static const wchar_t *const names[] = { L"SeBackupPrivilege", L"SeRestorePrivilege" };
	HANDLE tok;
	size_t i;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &tok))
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		TOKEN_PRIVILEGES tp = { 1, { { { 0, 0 }, SE_PRIVILEGE_ENABLED } } };
		if (LookupPrivilegeValueW(NULL, names[i], &tp.Privileges[0].Luid))
			AdjustTokenPrivileges(tok, FALSE, &tp, 0, NULL, NULL);
	}
	CloseHandle(tok);
}

/* Output is UTF-8 bytes, unchanged (no CRLF translation); on a console the
 * code page is UTF-8 while the tool runs, so Unicode names show correctly. */
static void setup_console(void)
{
	_setmode(_fileno(stdout), _O_BINARY);
	_setmode(_fileno(stderr), _O_BINARY);
	if (uk_fs_isatty(1) || uk_fs_isatty(2)) {
		saved_cp = GetConsoleOutputCP();
		if (saved_cp != CP_UTF8 && SetConsoleOutputCP(CP_UTF8))
			atexit(restore_console_cp);
	}
}

char **uk_fs_utf8_argv(int argc, wchar_t **wargv)
{
	char **argv = calloc((size_t)argc + 1, sizeof(*argv));
	int i;

	setup_console();
	enable_backup_privileges();
	for (i = 0; argv && i < argc; i++) {
		if (!(argv[i] = to_utf8(wargv[i], -1))) {
			free(argv);
			argv = NULL;
		}
	}
	if (!argv) {
		fputs("out of memory\n", stderr);
		exit(3);
	}
	return argv; /* lives as long as the process, like the C runtime's argv */
}
