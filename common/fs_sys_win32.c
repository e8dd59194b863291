/* fs.h on Windows (fs_win32_int.h): the rest. Locks, error codes and their
 * text, clock, console, machine name, and the entry point's UTF-8 argv. */
#include "fs_win32_int.h"
#include "entry.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A byte-range lock far past any data (SQLite's locks sit at 1 GiB), so the
 * lock file may be the database itself. Windows drops it when the process
 * dies, however it dies. */
struct uk_lock {
	HANDLE h;
};

int uk_fs_lock(const char *path, uk_lock **l)
{
	HANDLE h;
	OVERLAPPED ov;
	int err;

	*l = NULL;
	err = uk_w32_open(path, GENERIC_READ | GENERIC_WRITE, OPEN_ALWAYS,
	                  FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, &h);
	if (err)
		return err;
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
		s = uk_w32_utf8(msg, (int)len);
	if (s)
		snprintf(buf, n, "%s (error %d)", s, err);
	else
		snprintf(buf, n, "Windows error %d", err);
	free(s);
	return buf;
}

int uk_fs_isatty(int fd)
{
	DWORD mode;
	HANDLE h = (HANDLE)_get_osfhandle(fd);

	return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
}

void uk_fs_clock_real(struct timespec *ts)
{
	FILETIME ft;
	ULARGE_INTEGER t;

	GetSystemTimePreciseAsFileTime(&ft);
	t.LowPart = ft.dwLowDateTime;
	t.HighPart = ft.dwHighDateTime;
	t.QuadPart -= UK_W32_EPOCH_DIFF;
	ts->tv_sec = (time_t)(t.QuadPart / 10000000ULL);
	ts->tv_nsec = (long)(t.QuadPart % 10000000ULL) * 100;
}

double uk_fs_monotonic(void)
{
	static LARGE_INTEGER freq;
	LARGE_INTEGER now;

	/* Never fails on Windows XP and later; the frequency is fixed at boot. */
	if (!freq.QuadPart)
		QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&now);
	return (double)now.QuadPart / (double)freq.QuadPart;
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

void uk_fs_thread_helper(void)
{
	/* Measured on Linux only: nothing asked of Windows. */
}

int uk_fs_hostname(char *buf, size_t n)
{
	wchar_t w[MAX_COMPUTERNAME_LENGTH + 1];
	DWORD len = sizeof(w) / sizeof(w[0]);
	char *s;

	if (!GetComputerNameW(w, &len))
		return (int)GetLastError();
	if (!(s = uk_w32_utf8(w, (int)len)))
		return ERROR_NOT_ENOUGH_MEMORY;
	snprintf(buf, n, "%s", s);
	free(s);
	return 0;
}

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
		if (!(argv[i] = uk_w32_utf8(wargv[i], -1))) {
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
