/* holdexcl FILE FLAG: opens FILE with no sharing at all (share mode 0, as a
 * program holding a file exclusively does: every other open fails with
 * ERROR_SHARING_VIOLATION), creates the file FLAG once it holds it, and keeps
 * it open until FLAG is deleted (at most 5 minutes, so a failed test never
 * leaves it running). Exit 0, or 1 if FILE cannot be opened.
 * A Windows program: built by scripts/build-windows.sh, run under Wine. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
	HANDLE h, flag;
	int i;

	if (argc != 3) {
		fputs("usage: holdexcl FILE FLAG\n", stderr);
		return 2;
	}
	h = CreateFileW(argv[1], GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		fprintf(stderr, "holdexcl: cannot open: error %lu\n", GetLastError());
		return 1;
	}
	flag = CreateFileW(argv[2], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
	if (flag == INVALID_HANDLE_VALUE) {
		fprintf(stderr, "holdexcl: cannot create the flag: error %lu\n", GetLastError());
		return 1;
	}
	CloseHandle(flag);
	for (i = 0; i < 5 * 60 * 20 && GetFileAttributesW(argv[2]) != INVALID_FILE_ATTRIBUTES; i++)
		Sleep(50);
	CloseHandle(h);
	return 0;
}
