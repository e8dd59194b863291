/* fs.h on POSIX. Read-only = no write bit in the mode (SPEC.md section 6). */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct uk_dir {
	DIR *d;
};

struct uk_file {
	int fd;
};

struct uk_lock {
	int fd;
};

static int ftype_of_mode(mode_t m)
{
	if (S_ISREG(m))
		return UK_FT_FILE;
	if (S_ISDIR(m))
		return UK_FT_DIR;
	if (S_ISLNK(m))
		return UK_FT_LINK;
	return UK_FT_OTHER;
}

static void fill_stat(const struct stat *sb, uk_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->id.vol = (uint64_t)sb->st_dev;
	st->id.lo = (uint64_t)sb->st_ino;
	st->size = (uint64_t)sb->st_size;
	st->nlink = (uint32_t)sb->st_nlink;
	st->type = ftype_of_mode(sb->st_mode);
	st->readonly = (sb->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0;
	st->mtime = (int64_t)sb->st_mtime;
}

int uk_fs_lstat(const char *path, uk_stat *st)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return errno;
	fill_stat(&sb, st);
	return 0;
}

int uk_fid_equal(const uk_fileid *a, const uk_fileid *b)
{
	return a->vol == b->vol && a->hi == b->hi && a->lo == b->lo;
}

static char *hex16(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--, v >>= 4)
		p[i] = digits[v & 15];
	return p + 16;
}

/* "%016llx:%016llx%016llx" by hand: verify formats two per file, and
 * snprintf was 8 % of its instructions on a linked store (docs/BENCHMARKS.md). */
void uk_fid_str(const uk_fileid *id, char buf[UK_FID_STRLEN])
{
	char *p = hex16(buf, id->vol);

	*p++ = ':';
	p = hex16(hex16(p, id->hi), id->lo);
	*p = '\0';
}

const char *uk_ftype_name(int type)
{
	switch (type) {
	case UK_FT_FILE: return "file";
	case UK_FT_DIR: return "dir";
	case UK_FT_LINK: return "link";
	case UK_FT_OTHER: return "other";
	default: return "unknown";
	}
}

int uk_fs_opendir(const char *path, uk_dir **d)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dir;

	*d = NULL;
	if (fd < 0)
		return errno == ELOOP ? ENOTDIR : errno;
	dir = fdopendir(fd);
	if (!dir) {
		int e = errno;
		close(fd);
		return e;
	}
	*d = malloc(sizeof(**d));
	if (!*d) {
		closedir(dir);
		return ENOMEM;
	}
	(*d)->d = dir;
	return 0;
}

int uk_fs_readdir(uk_dir *d, uk_dirent *e)
{
	struct dirent *de;

	for (;;) {
		errno = 0;
		de = readdir(d->d);
		if (!de)
			return errno ? -errno : 0;
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == 0 || (de->d_name[1] == '.' && de->d_name[2] == 0)))
			continue;
		break;
	}
	memset(e, 0, sizeof(*e));
	e->name = de->d_name;
	e->has_id = 1;
	e->id.lo = (uint64_t)de->d_ino;
	switch (de->d_type) {
	case DT_REG: e->type = UK_FT_FILE; break;
	case DT_DIR: e->type = UK_FT_DIR; break;
	case DT_LNK: e->type = UK_FT_LINK; break;
	case DT_UNKNOWN: e->type = UK_FT_UNKNOWN; break;
	default: e->type = UK_FT_OTHER; break;
	}
	return 1;
}

int uk_fs_lstat_at(uk_dir *d, const char *name, const char *path, uk_stat *st)
{
	struct stat sb;

	(void)path;
	if (fstatat(dirfd(d->d), name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		return errno;
	fill_stat(&sb, st);
	return 0;
}

void uk_fs_closedir(uk_dir *d)
{
	if (!d)
		return;
	closedir(d->d);
	free(d);
}

int uk_fs_open_read(const char *path, uk_file **f)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat sb;

	*f = NULL;
	if (fd < 0)
		return errno;
	/* O_NONBLOCK only so a FIFO cannot hang us; refuse anything not a file. */
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		int e = S_ISREG(sb.st_mode) ? errno : EINVAL;
		close(fd);
		return e;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	*f = malloc(sizeof(**f));
	if (!*f) {
		close(fd);
		return ENOMEM;
	}
	(*f)->fd = fd;
	return 0;
}

int uk_fs_read(uk_file *f, void *buf, size_t n, size_t *got)
{
	size_t total = 0;

	while (total < n) {
		ssize_t r = read(f->fd, (char *)buf + total, n - total);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*got = total;
			return errno;
		}
		if (r == 0)
			break;
		total += (size_t)r;
	}
	*got = total;
	return 0;
}

int uk_fs_fstat(uk_file *f, uk_stat *st)
{
	struct stat sb;

	if (fstat(f->fd, &sb) != 0)
		return errno;
	fill_stat(&sb, st);
	return 0;
}

void uk_fs_close(uk_file *f)
{
	if (!f)
		return;
	close(f->fd);
	free(f);
}

FILE *uk_fs_fopen(const char *path, const char *mode)
{
	return fopen(path, mode);
}

int uk_fs_unlink(const char *path)
{
	return unlink(path) == 0 ? 0 : errno;
}

int uk_fs_unlink_at(uk_dir *d, const char *name, const char *path)
{
	(void)path;
	return unlinkat(dirfd(d->d), name, 0) == 0 ? 0 : errno;
}

int uk_fs_rmdir(const char *path)
{
	return rmdir(path) == 0 ? 0 : errno;
}

int uk_fs_set_readonly(const char *path, int readonly)
{
	struct stat sb;
	mode_t m;

	if (lstat(path, &sb) != 0)
		return errno;
	if (S_ISLNK(sb.st_mode))
		return ELOOP; /* chmod would follow the link */
	m = sb.st_mode & 07777;
	m = readonly ? (m & ~(mode_t)(S_IWUSR | S_IWGRP | S_IWOTH)) : (m | S_IWUSR);
	if (m == (sb.st_mode & 07777))
		return 0;
	return chmod(path, m) == 0 ? 0 : errno;
}

int uk_fs_link(const char *existing, const char *newpath)
{
	/* linkat without AT_SYMLINK_FOLLOW links a symlink itself, never its target. */
	return linkat(AT_FDCWD, existing, AT_FDCWD, newpath, 0) == 0 ? 0 : errno;
}

int uk_fs_mkdir_p(const char *path)
{
	char *p = strdup(path);
	char *s;
	int err = 0;

	if (!p)
		return ENOMEM;
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != 0)
			continue;
		char c = *s;
		*s = 0;
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			err = errno;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (!err) {
		struct stat sb;
		if (lstat(path, &sb) != 0)
			err = errno;
		else if (!S_ISDIR(sb.st_mode))
			err = ENOTDIR;
	}
	free(p);
	return err;
}

int uk_fs_schedule_delete(const char *path)
{
	return UK_FS_EUNSUPPORTED;
}

int uk_fs_lock(const char *path, uk_lock **l)
{
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);

	*l = NULL;
	if (fd < 0)
		return errno;
	/* flock: released by the kernel when the process dies, even by SIGKILL. */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno == EWOULDBLOCK ? EBUSY : errno;
		close(fd);
		return e;
	}
	*l = malloc(sizeof(**l));
	if (!*l) {
		close(fd);
		return ENOMEM;
	}
	(*l)->fd = fd;
	return 0;
}

void uk_fs_unlock(uk_lock *l)
{
	if (!l)
		return;
	close(l->fd);
	free(l);
}

int uk_fs_realpath(const char *path, char **out)
{
	*out = realpath(path, NULL);
	return *out ? 0 : errno;
}

int uk_fs_mount_root(const char *path, char **out)
{
	char *p, *parent;
	struct stat sb, up;
	int err;

	*out = NULL;
	err = uk_fs_realpath(path, &p);
	if (err)
		return err;
	if (stat(p, &sb) != 0) {
		err = errno;
		free(p);
		return err;
	}
	parent = malloc(strlen(p) + 1);
	if (!parent) {
		free(p);
		return ENOMEM;
	}
	/* Climb while the parent is on the same device. */
	while (strcmp(p, "/") != 0) {
		char *slash;

		strcpy(parent, p);
		slash = strrchr(parent, '/');
		slash[slash == parent ? 1 : 0] = 0;
		if (stat(parent, &up) != 0 || up.st_dev != sb.st_dev)
			break;
		strcpy(p, parent);
	}
	free(parent);
	*out = p;
	return 0;
}

int uk_fs_fixed_volumes(char ***roots, size_t *n)
{
	*roots = NULL;
	*n = 0;
	return UK_FS_EUNSUPPORTED;
}

int uk_fs_err_notfound(int err)
{
	return err == ENOENT || err == ENOTDIR;
}

int uk_fs_err_locked(int err)
{
	return err == EPERM || err == EACCES || err == EBUSY || err == ETXTBSY || err == EROFS;
}

int uk_fs_err_exists(int err)
{
	return err == EEXIST;
}

int uk_fs_err_notempty(int err)
{
	return err == ENOTEMPTY || err == EEXIST;
}

const char *uk_fs_strerror(int err, char *buf, size_t n)
{
	if (err == UK_FS_EUNSUPPORTED)
		snprintf(buf, n, "not supported on this system");
	else
		snprintf(buf, n, "%s", strerror(err));
	return buf;
}

char *uk_path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int sep = la > 0 && a[la - 1] != '/';
	char *r = malloc(la + sep + lb + 1);

	if (!r)
		return NULL;
	memcpy(r, a, la);
	if (sep)
		r[la] = '/';
	memcpy(r + la + sep, b, lb + 1);
	return r;
}

int uk_fs_isatty(int fd)
{
	return isatty(fd);
}

int uk_fs_localtime(int64_t t, struct tm *tm, int *utc_offset_min)
{
	time_t tt = (time_t)t;

	if (!localtime_r(&tt, tm))
		return EINVAL;
	*utc_offset_min = (int)(tm->tm_gmtoff / 60);
	return 0;
}

int uk_fs_utctime(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	return gmtime_r(&tt, tm) ? 0 : EINVAL;
}

unsigned uk_fs_cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

int uk_fs_hostname(char *buf, size_t n)
{
	if (gethostname(buf, n) != 0)
		return errno;
	buf[n - 1] = '\0';
	return 0;
}

double uk_fs_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

unsigned long uk_fs_thread_id(void)
{
#ifdef SYS_gettid
	return (unsigned long)syscall(SYS_gettid);
#else
	return (unsigned long)getpid();
#endif
}
