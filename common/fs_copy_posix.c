/* fs.h copying on POSIX (usmt-rescue; usmt-verify publishing a new database):
 * write, fsync, futimens/fchmod, rename. */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

struct uk_wfile {
	int fd;
};

int uk_fs_create(const char *path, uk_wfile **f)
{
	/* O_EXCL with O_CREAT never follows a link, even a dangling one. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);

	*f = NULL;
	if (fd < 0)
		return errno;
	if (!(*f = malloc(sizeof(**f)))) {
		close(fd);
		unlink(path);
		return ENOMEM;
	}
	(*f)->fd = fd;
	return 0;
}

int uk_fs_write(uk_wfile *f, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(f->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		if (w == 0)
			return ENOSPC;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int uk_fs_flush(uk_wfile *f)
{
	return fsync(f->fd) == 0 ? 0 : errno;
}

int uk_fs_mtime_ns(const char *path, int64_t *sec, long *nsec)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return errno;
	*sec = (int64_t)sb.st_mtim.tv_sec;
	*nsec = (long)sb.st_mtim.tv_nsec;
	return 0;
}

int uk_fs_wset_meta(uk_wfile *f, int64_t sec, long nsec, int readonly)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)sec, nsec } };
	struct stat sb;
	mode_t m;

	if (futimens(f->fd, ts) != 0 || fstat(f->fd, &sb) != 0)
		return errno;
	m = sb.st_mode & 07777;
	m = readonly ? (m & ~(mode_t)(S_IWUSR | S_IWGRP | S_IWOTH)) : (m | S_IWUSR);
	return fchmod(f->fd, m) == 0 ? 0 : errno;
}

int uk_fs_wclose(uk_wfile *f)
{
	int err = 0;

	if (!f)
		return 0;
	if (close(f->fd) != 0)
		err = errno;
	free(f);
	return err;
}

int uk_fs_rename(const char *from, const char *to)
{
	return rename(from, to) == 0 ? 0 : errno;
}

int uk_fs_rename_new(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return errno;
#endif
	/* A file system without RENAME_NOREPLACE: link() fails on anything
	 * there. The old name left behind by a failed unlink() is a second
	 * link to the same file, not a copy that could go stale. */
	if (link(from, to) != 0)
		return errno;
	unlink(from);
	return 0;
}

int uk_fs_sync_file(const char *path)
{
	int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY), err = 0;

	if (fd < 0)
		return errno;
	if (fdatasync(fd) != 0)
		err = errno;
	close(fd);
	return err;
}

int uk_fs_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW), err = 0;

	if (fd < 0)
		return errno;
	if (fsync(fd) != 0 && errno != EINVAL)
		err = errno;
	close(fd);
	return err;
}

int uk_fs_free_space(const char *path, uint64_t *bytes)
{
	struct statvfs v;

	if (statvfs(path, &v) != 0)
		return errno;
	*bytes = (uint64_t)v.f_bavail * (uint64_t)v.f_frsize;
	return 0;
}

int uk_fs_err_nospace(int err)
{
	return err == ENOSPC || err == EDQUOT;
}
