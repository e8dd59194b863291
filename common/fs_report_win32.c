/* Windows side of the fs.h functions usmt-report needs (fs_posix.c has the
 * POSIX side). */
#include "fs.h"

#include <windows.h>
#include <time.h>

/* 100 ns ticks from 1601-01-01 to 1970-01-01. */
#define EPOCH_1601_TO_1970 116444736000000000ULL

void uk_fs_clock_real(struct timespec *ts)
{
	FILETIME ft;
	ULARGE_INTEGER t;

	GetSystemTimePreciseAsFileTime(&ft);
	t.LowPart = ft.dwLowDateTime;
	t.HighPart = ft.dwHighDateTime;
	t.QuadPart -= EPOCH_1601_TO_1970;
	ts->tv_sec = (time_t)(t.QuadPart / 10000000ULL);
	ts->tv_nsec = (long)(t.QuadPart % 10000000ULL) * 100;
}

const char *uk_path_base(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}
