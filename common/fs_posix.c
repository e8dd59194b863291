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
#include <sched.h>
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

/* A path the kernel takes whole (shorter than PATH_MAX) is used as it is:
 * fd AT_FDCWD, name the path. A longer one is reached relative to open
 * folders: fd is its folder, opened in pieces shorter than PATH_MAX, and
 * name its last component. Every call below goes through the *at() form,
 * so a store or restored file at any depth is judged like any other. */
typedef struct at_path {
	int fd;
	const char *name;
} at_path;

/* Opens the folder of the first n bytes of path, in pieces; an fd or -errno. */
static int open_long_dir(const char *path, size_t n)
{
	char *buf = malloc(n + 1), *p;
	int fd = AT_FDCWD, err = 0;
	size_t left = n;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, n);
	buf[n] = '\0';
	p = buf;
	while (left > 0 && !err) {
		size_t take = left;
		char c;
		int next;

		if (take >= PATH_MAX) {
			/* End the piece at a separator (after a leading "/"). */
			for (take = PATH_MAX - 1; take > 1 && p[take] != '/'; take--)
				;
			if (p[take] != '/') {
				err = ENAMETOOLONG;
				break;
			}
		}
		c = p[take];
		p[take] = '\0';
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		p[take] = c;
		if (next < 0)
			err = errno;
		if (fd != AT_FDCWD)
			close(fd);
		fd = next;
		p += take;
		left -= take;
		while (left > 0 && *p == '/')
			p++, left--;
	}
	free(buf);
	if (err) {
		if (fd >= 0 && fd != AT_FDCWD)
			close(fd);
		return -err;
	}
	return fd;
}

static int at_open(const char *path, at_path *a)
{
	size_t n = strlen(path);
	const char *last;
	int fd;

	a->fd = AT_FDCWD;
	a->name = path;
	if (n < PATH_MAX)
		return 0;
	last = strrchr(path, '/');
	if (!last || !last[1])
		return ENAMETOOLONG;
	fd = open_long_dir(path, last == path ? 1 : (size_t)(last - path));
	if (fd < 0)
		return -fd;
	a->fd = fd;
	a->name = last + 1;
	return 0;
}

static void at_close(at_path *a)
{
	if (a->fd != AT_FDCWD)
		close(a->fd);
}

int uk_fs_lstat(const char *path, uk_stat *st)
{
	struct stat sb;
	at_path a;
	int err = at_open(path, &a);

	if (err)
		return err;
	if (fstatat(a.fd, a.name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		err = errno;
	at_close(&a);
	if (err)
		return err;
	fill_stat(&sb, st);
	return 0;
}

int uk_fs_opendir(const char *path, uk_dir **d)
{
	at_path a;
	int err = at_open(path, &a), fd;
	DIR *dir;

	*d = NULL;
	if (err)
		return err;
	fd = openat(a.fd, a.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	err = errno;
	at_close(&a);
	if (fd < 0)
		return err == ELOOP ? ENOTDIR : err;
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

int uk_fs_open_read(const char *path, uk_file **f, uk_stat *st)
{
	at_path a;
	int err = at_open(path, &a), fd;
	struct stat sb;

	*f = NULL;
	if (err)
		return err;
	fd = openat(a.fd, a.name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	err = errno;
	at_close(&a);
	if (fd < 0)
		return err;
	/* O_NONBLOCK only so a FIFO cannot hang us; refuse anything not a file. */
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		int e = S_ISREG(sb.st_mode) ? errno : EINVAL;
		close(fd);
		return e;
	}
	/* Clears O_NONBLOCK; none of the other flags F_SETFL sets was asked for. */
	fcntl(fd, F_SETFL, 0);
#ifdef POSIX_FADV_SEQUENTIAL
	/* A file within the default read-ahead (128 KiB) is read whole anyway. */
	if (sb.st_size > (off_t)128 * 1024)
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	if (st)
		fill_stat(&sb, st);
	*f = malloc(sizeof(**f));
	if (!*f) {
		close(fd);
		return ENOMEM;
	}
	(*f)->fd = fd;
	return 0;
}

void uk_fs_writeback(uk_file *f)
{
#ifdef SYNC_FILE_RANGE_WRITE
	sync_file_range(f->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)f;
#endif
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

int uk_fs_read_once(uk_file *f, void *buf, size_t n, size_t *got)
{
	ssize_t r;

	do
		r = read(f->fd, buf, n);
	while (r < 0 && errno == EINTR);
	*got = r < 0 ? 0 : (size_t)r;
	return r < 0 ? errno : 0;
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

/* unlinkat() of a path of any length. */
static int unlink_any(const char *path, int flags)
{
	at_path a;
	int err = at_open(path, &a);

	if (err)
		return err;
	if (unlinkat(a.fd, a.name, flags) != 0)
		err = errno;
	at_close(&a);
	return err;
}

int uk_fs_unlink(const char *path)
{
	return unlink_any(path, 0);
}

int uk_fs_unlink_at(uk_dir *d, const char *name, const char *path)
{
	(void)path;
	return unlinkat(dirfd(d->d), name, 0) == 0 ? 0 : errno;
}

int uk_fs_rmdir(const char *path)
{
	return unlink_any(path, AT_REMOVEDIR);
}

int uk_fs_rmdir_held(const char *path, int *held)
{
	at_path a;
	int err = at_open(path, &a), fd;

	*held = -1;
	if (err)
		return err;
	/* Never a link's target: O_NOFOLLOW; the rmdir alone decides. */
	fd = openat(a.fd, a.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (unlinkat(a.fd, a.name, AT_REMOVEDIR) != 0)
		err = errno;
	if (fd >= 0 && err)
		close(fd);
	else if (fd >= 0)
		*held = fd;
	at_close(&a);
	return err;
}

void uk_fs_held_close(int held)
{
	if (held >= 0)
		close(held);
}

int uk_fs_set_readonly(const char *path, int readonly)
{
	struct stat sb;
	mode_t m;
	at_path a;
	int err = at_open(path, &a);

	if (err)
		return err;
	if (fstatat(a.fd, a.name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		err = errno;
	else if (S_ISLNK(sb.st_mode))
		err = ELOOP; /* chmod would follow the link */
	if (!err) {
		m = sb.st_mode & 07777;
		m = readonly ? (m & ~(mode_t)(S_IWUSR | S_IWGRP | S_IWOTH)) : (m | S_IWUSR);
		if (m != (sb.st_mode & 07777) && fchmodat(a.fd, a.name, m, 0) != 0)
			err = errno;
	}
	at_close(&a);
	return err;
}

int uk_fs_link(const char *existing, const char *newpath)
{
	at_path a, b;
	int err = at_open(existing, &a);

	if (err)
		return err;
	err = at_open(newpath, &b);
	/* linkat without AT_SYMLINK_FOLLOW links a symlink itself, never its target. */
	if (!err && linkat(a.fd, a.name, b.fd, b.name, 0) != 0)
		err = errno;
	at_close(&b);
	at_close(&a);
	return err;
}

static int mkdir_any(const char *path)
{
	at_path a;
	int err = at_open(path, &a);

	if (err)
		return err;
	if (mkdirat(a.fd, a.name, 0777) != 0)
		err = errno;
	at_close(&a);
	return err;
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
		if ((err = mkdir_any(p)) != 0 && err != EEXIST)
			break;
		err = 0;
		*s = c;
		if (!c)
			break;
	}
	if (!err) {
		uk_stat st;
		if ((err = uk_fs_lstat(path, &st)) == 0 && st.type != UK_FT_DIR)
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

/* realpath(3) of a path of PATH_MAX bytes or more: the kernel resolves a
 * leading piece, the rest is checked one component at a time and must hold
 * no link, "." or "..", else ELOOP (never a guess at where it leads). */
static int realpath_long(const char *path, char **out)
{
	size_t cut = PATH_MAX - 1, hn, n = strlen(path);
	const char *p, *next;
	char *head, *r;
	int err = 0;

	while (cut > 0 && path[cut] != '/')
		cut--;
	if (cut == 0)
		return ENAMETOOLONG;
	if (!(head = malloc(cut + 1)))
		return ENOMEM;
	memcpy(head, path, cut);
	head[cut] = '\0';
	r = realpath(head, NULL);
	free(head);
	if (!r)
		return errno;
	hn = strlen(r);
	head = realloc(r, hn + (n - cut) + 2);
	if (!head) {
		free(r);
		return ENOMEM;
	}
	for (p = path + cut; *p && !err; p = next) {
		size_t cn;
		uk_stat st;

		while (*p == '/')
			p++;
		next = strchr(p, '/');
		if (!next)
			next = p + strlen(p);
		cn = (size_t)(next - p);
		if (cn == 0)
			break;
		if ((cn == 1 && p[0] == '.') || (cn == 2 && p[0] == '.' && p[1] == '.')) {
			err = ELOOP;
			break;
		}
		if (hn > 1)
			head[hn++] = '/';
		memcpy(head + hn, p, cn);
		hn += cn;
		head[hn] = '\0';
		err = uk_fs_lstat(head, &st);
		if (!err && st.type == UK_FT_LINK)
			err = ELOOP;
	}
	if (err) {
		free(head);
		return err;
	}
	*out = head;
	return 0;
}

int uk_fs_realpath(const char *path, char **out)
{
	*out = NULL;
	if (strlen(path) >= PATH_MAX)
		return realpath_long(path, out);
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

void uk_fs_thread_helper(void)
{
#ifdef SCHED_BATCH
	struct sched_param sp = { 0 };

	sched_setscheduler(0, SCHED_BATCH, &sp); /* a hint: failing changes nothing */
#endif
}

int uk_fs_hostname(char *buf, size_t n)
{
	if (gethostname(buf, n) != 0)
		return errno;
	buf[n - 1] = '\0';
	return 0;
}

void uk_fs_clock_real(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

const char *uk_path_base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
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
