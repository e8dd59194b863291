/* fs.h on Windows (fs_win32_int.h): changes. Deletion (read-only cleared
 * and set again for surviving links), attributes, hard links, folders, and
 * deletion at the next restart (MoveFileExW). */
#include "fs_win32_int.h"

#include <stdlib.h>
#include <string.h>

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
	wchar_t *w = uk_w32_path(path, &err);
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
	h = uk_w32_open_meta(w, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES);
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

/* Windows cannot remove a folder it holds open: nothing is held. */
int uk_fs_rmdir_held(const char *path, int *held)
{
	*held = -1;
	return remove_entry(path, 1);
}

void uk_fs_held_close(int held)
{
	(void)held;
}

int uk_fs_set_readonly(const char *path, int readonly)
{
	HANDLE h;
	DWORD a = 0, want;
	int err = uk_w32_open(path, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES, OPEN_EXISTING,
	                      NOFOLLOW, &h);

	if (err)
		return err;
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
	wchar_t *a = uk_w32_path(existing, &err), *b = a ? uk_w32_path(newpath, &err) : NULL;

	if (b && !CreateHardLinkW(b, a, NULL))
		err = (int)GetLastError();
	free(a);
	free(b);
	return err;
}

int uk_fs_mkdir_p(const char *path)
{
	int err = 0;
	wchar_t *w = uk_w32_path(path, &err), *p;
	size_t n;
	DWORD a;

	if (!w)
		return err;
	n = wcslen(w);
	while (n > uk_w32_root_len(w) && w[n - 1] == L'\\')
		w[--n] = 0;
	for (p = w + uk_w32_root_len(w); ; p++) {
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
	wchar_t *w = uk_w32_path(path, &err);
	DWORD a;

	if (!w)
		return err;
	a = GetFileAttributesW(w);
	if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_READONLY)) {
		HANDLE h = uk_w32_open_meta(w, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES);
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
