/* fs.h on Windows: the functions added beside fs_win32.c (one concern per file). */
#include "fs.h"

#include <windows.h>

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
