/* The portable file-system face. fs_posix.c and the fs_*_win32.c files are the
 * only files that know which OS they run on (fs_common.c: what both share);
 * everything else calls these functions.
 *
 * Paths are UTF-8, with the native separator (UK_SEP). On Windows the
 * implementation converts to UTF-16 with a \\?\ prefix at the call.
 * Any length works: POSIX reaches a path of PATH_MAX bytes or more
 * relative to folders opened a piece at a time (openat, fstatat, ...).
 *
 * Errors: functions return 0 on success or a native error code (errno on
 * POSIX, GetLastError() on Windows), always > 0; UK_FS_EUNSUPPORTED when the
 * operation does not exist on this OS. Classify with the uk_fs_err_* helpers
 * and print with uk_fs_strerror(). No function here ever follows a symbolic
 * link, junction or other reparse point unless its name says so. */
#ifndef UK_FS_H
#define UK_FS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* UK_FS_DRIVE_PATHS: a local path is the Windows path itself (C:\...), so
 * a drive letter needs no --root folder. */
#ifdef _WIN32
#define UK_SEP '\\'
#define UK_SEP_S "\\"
#define UK_FS_DRIVE_PATHS 1
#else
#define UK_SEP '/'
#define UK_SEP_S "/"
#define UK_FS_DRIVE_PATHS 0
#endif

#define UK_FS_EUNSUPPORTED 0x7fff0001

/* File identity: POSIX vol = st_dev, hi = 0, lo = st_ino;
 * Windows vol = volume serial, hi:lo = 128-bit file ID (FileIdInfo),
 * or 0:nFileIndex when only the 64-bit index is available. */
typedef struct uk_fileid {
	uint64_t vol;
	uint64_t hi, lo;
} uk_fileid;

#define UK_FID_STRLEN 52 /* "vvvvvvvvvvvvvvvv:hhhhhhhhhhhhhhhhllllllllllllllll" + NUL */

enum uk_ftype {
	UK_FT_UNKNOWN = 0,
	UK_FT_FILE,
	UK_FT_DIR,
	UK_FT_LINK,   /* symbolic link, junction or any other reparse point */
	UK_FT_OTHER   /* device, fifo, socket */
};

typedef struct uk_stat {
	uk_fileid id;
	uint64_t size;
	uint32_t nlink;
	int type;       /* enum uk_ftype */
	int readonly;   /* POSIX: no write bit in the mode; Windows: FILE_ATTRIBUTE_READONLY */
	int64_t mtime;  /* seconds since 1970 UTC */
} uk_stat;

int uk_fs_lstat(const char *path, uk_stat *st);
int uk_fid_equal(const uk_fileid *a, const uk_fileid *b);
void uk_fid_str(const uk_fileid *id, char buf[UK_FID_STRLEN]);
const char *uk_ftype_name(int type); /* "file", "dir", "link", "other", "unknown" */

/* Directory listing in readdir order. `ino` is the identity within the
 * directory's volume when the OS gives it for free (d_ino, FileIdExtd...):
 * has_id says whether id.hi/id.lo are valid; id.vol is never filled. `type`
 * may be UK_FT_UNKNOWN: lstat the entry then. "." and ".." are skipped. */
typedef struct uk_dir uk_dir;
typedef struct uk_dirent {
	const char *name; /* valid until the next uk_fs_readdir() */
	int type;
	int has_id;
	uk_fileid id;
} uk_dirent;

int uk_fs_opendir(const char *path, uk_dir **d);
/* 1 with *e filled, 0 at the end, or -err (negative native error code). */
int uk_fs_readdir(uk_dir *d, uk_dirent *e);
/* uk_fs_lstat() of the entry `name` of the open folder d, whose full path is
 * `path`: POSIX looks the name up in d alone (fstatat), Windows uses path. */
int uk_fs_lstat_at(uk_dir *d, const char *name, const char *path, uk_stat *st);
void uk_fs_closedir(uk_dir *d);

/* Sequential reading (hashing): large reads, no link following. */
typedef struct uk_file uk_file;
/* st, when not NULL, gets the file's stat as opened (no second call). */
int uk_fs_open_read(const char *path, uk_file **f, uk_stat *st);
/* Starts writing what is written to the file so far to the disk, without
 * waiting (Linux: sync_file_range; elsewhere nothing), so that a later
 * flush has less to wait for. */
void uk_fs_writeback(uk_file *f);
int uk_fs_read(uk_file *f, void *buf, size_t n, size_t *got); /* *got == 0 at EOF */
/* One read: *got < n is not the end, *got == 0 is. */
int uk_fs_read_once(uk_file *f, void *buf, size_t n, size_t *got);
void uk_fs_close(uk_file *f);
/* fopen(3) with a UTF-8 path (Windows: _wfopen on the \\?\ form, so any
 * Unicode name and long paths work). NULL with errno set on failure. */
FILE *uk_fs_fopen(const char *path, const char *mode);

/* Changes. unlink removes a file or a link itself (never its target);
 * set_readonly(0) on POSIX gives the owner write permission back. */
int uk_fs_unlink(const char *path);
/* uk_fs_unlink() of the entry `name` of the open folder d (full path `path`),
 * like uk_fs_lstat_at(). */
int uk_fs_unlink_at(uk_dir *d, const char *name, const char *path);
int uk_fs_rmdir(const char *path);
/* uk_fs_rmdir(), the folder held open across it where the OS allows
 * (*held >= 0, else -1): POSIX then frees a removed folder's blocks (ext4
 * with discard waits on the disk) at the last close, uk_fs_held_close(),
 * which another thread can do. */
int uk_fs_rmdir_held(const char *path, int *held);
void uk_fs_held_close(int held);
int uk_fs_set_readonly(const char *path, int readonly);
int uk_fs_link(const char *existing, const char *newpath); /* hard link */
int uk_fs_mkdir_p(const char *path);                       /* parents too */

/* Schedule deletion at the next restart. Windows: MoveFileExW(path, NULL,
 * MOVEFILE_DELAY_UNTIL_REBOOT); POSIX: UK_FS_EUNSUPPORTED (usmt-purge keeps
 * its own pending list in the database instead). */
int uk_fs_schedule_delete(const char *path);

/* An exclusive, non-blocking lock on `path` (created if absent), released by
 * uk_fs_unlock() or by the OS when the process dies, however it dies.
 * Returns 0, or uk_fs_err_locked(err) true when another process holds it. */
typedef struct uk_lock uk_lock;
int uk_fs_lock(const char *path, uk_lock **l);
void uk_fs_unlock(uk_lock *l);

/* Absolute, normalised path (symbolic links resolved): caller frees. */
int uk_fs_realpath(const char *path, char **out);
/* Mount point (POSIX) or volume root (Windows, e.g. "C:\") holding path. */
int uk_fs_mount_root(const char *path, char **out);
/* Roots of every fixed volume ("C:\", "D:\"): Windows only (--all-volumes). */
int uk_fs_fixed_volumes(char ***roots, size_t *n);

int uk_fs_err_notfound(int err); /* ENOENT/ENOTDIR; ERROR_FILE_NOT_FOUND/PATH_NOT_FOUND */
int uk_fs_err_locked(int err);   /* busy, sharing/lock violation, access denied, immutable */
int uk_fs_err_exists(int err);
int uk_fs_err_notempty(int err);
const char *uk_fs_strerror(int err, char *buf, size_t n);

/* ---- Copying (usmt-rescue), publishing (usmt-verify): fs_copy_*.c -------
 * A new file written in one pass, flushed to the disk, its modification time
 * and read-only attribute set on the open handle, then renamed into place. */
typedef struct uk_wfile uk_wfile;
/* Creates `path` for writing; fails (uk_fs_err_exists) when anything is
 * there already, a link included (never followed). */
int uk_fs_create(const char *path, uk_wfile **f);
int uk_fs_write(uk_wfile *f, const void *buf, size_t n); /* all n bytes, or an error */
int uk_fs_flush(uk_wfile *f);                            /* fsync / FlushFileBuffers */
/* Modification time of `path` (itself, never a link's target) to the
 * nanosecond (POSIX) or 100 ns (Windows): *sec since 1970 UTC, *nsec. */
int uk_fs_mtime_ns(const char *path, int64_t *sec, long *nsec);
/* Modification time (as uk_fs_mtime_ns) and read-only attribute, set on
 * the open file after the last write (Windows: the handle keeps writing). */
int uk_fs_wset_meta(uk_wfile *f, int64_t sec, long nsec, int readonly);
int uk_fs_wclose(uk_wfile *f);  /* 0 or the error closing reported (NULL: 0) */
/* Renames `from` over `to` (replaced when present, read-only or not). */
int uk_fs_rename(const char *from, const char *to);
/* Makes a rename in folder `dir` durable (POSIX: fsync of the folder;
 * Windows: nothing to do, MoveFileEx with WRITE_THROUGH did it). */
int uk_fs_sync_dir(const char *dir);
/* Renames `from` to `to` only when nothing is there (uk_fs_err_exists()
 * otherwise, a link included): never replaces anything. */
int uk_fs_rename_new(const char *from, const char *to);
/* Flushes a file's data to the disk by its path (fsync / FlushFileBuffers),
 * once whoever wrote it has closed it. */
int uk_fs_sync_file(const char *path);
/* Bytes free for this user on the volume holding `path`. */
int uk_fs_free_space(const char *path, uint64_t *bytes);
int uk_fs_err_nospace(int err); /* ENOSPC/EDQUOT; ERROR_DISK_FULL/HANDLE_DISK_FULL */

/* Process and clock facts the output module needs. */
struct tm;
int uk_fs_isatty(int fd);                   /* 1 or 2: is it a terminal/console? */
/* Local broken-down time of t and the local offset east of UTC in minutes. */
int uk_fs_localtime(int64_t t, struct tm *tm, int *utc_offset_min);
int uk_fs_utctime(int64_t t, struct tm *tm);
unsigned long uk_fs_thread_id(void);
double uk_fs_monotonic(void);               /* seconds on a clock that never goes back */
unsigned uk_fs_cpu_count(void);             /* online CPUs, at least 1 */
/* The calling thread works for another one: woken, it does not take that
 * one's core at once (Linux: SCHED_BATCH; elsewhere nothing). */
void uk_fs_thread_helper(void);
int uk_fs_hostname(char *buf, size_t n);    /* this machine's name; 0 or an error code */

/* ---- Path rules: what a path means on this OS ----
 * Pure string rules, no file-system access (fs_rules_posix.c,
 * fs_rules_win32.c); the tools keep the policy built on them. */

/* The first n bytes of a and b compared as this OS compares file names:
 * byte for byte on POSIX, ASCII letters folded on Windows (the rule NTFS
 * applies to them). 0 when equal. */
int uk_fs_path_ncmp(const char *a, const char *b, size_t n);
/* 1 when a '/'-separated relative path holds a character this OS would
 * read as something other than part of a name: on Windows '\' (a
 * separator) and ':' (a drive or an alternate data stream); none on POSIX. */
int uk_fs_rel_has_special(const char *rel);
/* path without its volume, for comparing it with uk_fs_profile_roots():
 * Windows drops a "\\?\" prefix and a drive ("C:"); POSIX returns path. */
const char *uk_fs_path_after_volume(const char *path);
/* NULL unless the canonical path is the root of the file system or of a
 * volume; then how to call it: "the file-system root" (POSIX "/"),
 * "the root of a volume" (Windows "C:\", "\\?\C:\"). */
const char *uk_fs_volume_root_name(const char *path);
/* The folders that hold user profiles, without a volume, NULL-terminated:
 * "/home", "/root", "/Users" on POSIX; "\Users", "\Documents and
 * Settings", "\Windows" on Windows. */
const char *const *uk_fs_profile_roots(void);
/* 1 when the OS itself deletes at the next restart what
 * uk_fs_schedule_delete() accepted (Windows); 0 when a program must do it
 * at boot (POSIX: usmt-purge --run-pending). */
int uk_fs_os_deletes_at_restart(void);

/* The folder holding a local path: "." when it names none, the root itself
 * for an entry of a root ("/" or "C:\\"). Malloc'd; NULL on out of memory. */
char *uk_path_parent(const char *path);
/* "a" + "b" -> "a<SEP>b" (malloc'd; NULL only on out of memory). */
char *uk_path_join(const char *a, const char *b);

struct timespec;
void uk_fs_clock_real(struct timespec *ts);  /* the wall clock now (UTC since 1970) */
/* The last component of a local path: after its last separator ('/'; on
 * Windows '/' or '\\'), the whole path when it has none. */
const char *uk_path_base(const char *path);

#endif
