/* holdopen [--exclusive] FILE FLAG: opens FILE for reading WITHOUT
 * FILE_SHARE_DELETE (as an application holding a user's file does) or, with
 * --exclusive, with no sharing at all (share mode 0: every other open fails
 * with ERROR_SHARING_VIOLATION); creates the file FLAG once it holds it, and
 * keeps it open until FLAG is deleted (at most 5 minutes, so a failed test
 * never leaves it running). Exit 0, or 1 if FILE cannot be opened.
 * A Windows program: built by scripts/build-windows.sh, run under Wine. */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
	HANDLE h, flag;
	int i, excl = argc == 4 && wcscmp(argv[1], L"--exclusive") == 0;

	if (argc != 3 + excl) {
		fputs("usage: holdopen [--exclusive] FILE FLAG\n", stderr);
		return 2;
	}
	argv += excl;
	h = CreateFileW(argv[1], GENERIC_READ, excl ? 0 : FILE_SHARE_READ | FILE_SHARE_WRITE,
	                NULL, OPEN_EXISTING, excl ? 0 : FILE_FLAG_BACKUP_SEMANTICS, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		fprintf(stderr, "holdopen: cannot open: error %lu\n", GetLastError());
		return 1;
	}
	flag = CreateFileW(argv[2], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
	if (flag == INVALID_HANDLE_VALUE) {
		fprintf(stderr, "holdopen: cannot create the flag: error %lu\n", GetLastError());
		return 1;
	}
	CloseHandle(flag);
	for (i = 0; i < 5 * 60 * 20 && GetFileAttributesW(argv[2]) != INVALID_FILE_ATTRIBUTES; i++)
		Sleep(50);
	CloseHandle(h);
	return 0;
}
