/* runexit CODEFILE PROGRAM [ARGS...]: runs PROGRAM with ARGS (standard
 * handles inherited), waits, and writes its full 32-bit exit code to
 * CODEFILE. A Linux shell sees a Wine process's exit code modulo 256, so
 * usmt-purge's 3010 would read as 194: the tests read CODEFILE instead.
 * Wine now and then fails to create a process with ERROR_INTERNAL_ERROR
 * (1359) before any of the program runs (seen once in a CI run);
 * that one error is retried, since the program has done nothing yet.
 * CODEFILE is created before the program starts (and nothing starts when
 * it cannot be), so a caller that finds no CODEFILE at all knows runexit
 * never ran, nor the program (Wine failed first); an empty one: no code.
 * A Windows program: built by scripts/build-windows.sh, run under Wine. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/* Appends one argument quoted as CommandLineToArgvW reads it back. */
static void append_arg(wchar_t *cmd, const wchar_t *a)
{
	wchar_t *p = cmd + wcslen(cmd);
	size_t slashes = 0;

	if (p != cmd)
		*p++ = L' ';
	*p++ = L'"';
	for (; *a; a++) {
		if (*a == L'\\') {
			slashes++;
		} else {
			if (*a == L'"')
				for (slashes = slashes * 2 + 1; slashes; slashes--)
					*p++ = L'\\';
			slashes = 0;
		}
		*p++ = *a;
	}
	for (; slashes; slashes--) /* doubled before the closing quote */
		*p++ = L'\\';
	*p++ = L'"';
	*p = 0;
}

int wmain(int argc, wchar_t **argv)
{
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	wchar_t *cmd;
	size_t n = 1;
	DWORD code, err = 0;
	FILE *f;
	int i, tries;

	if (argc < 3) {
		fputs("usage: runexit CODEFILE PROGRAM [ARGS...]\n", stderr);
		return 2;
	}
	for (i = 2; i < argc; i++)
		n += wcslen(argv[i]) * 2 + 3;
	cmd = calloc(n, sizeof(*cmd));
	if (!cmd)
		return 2;
	for (i = 2; i < argc; i++)
		append_arg(cmd, argv[i]);
	if (!(f = _wfopen(argv[1], L"wb"))) {
		fputs("runexit: cannot create the exit code file\n", stderr);
		free(cmd);
		return 2;
	}
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	for (tries = 1;; tries++) {
		if (CreateProcessW(argv[2], cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
			break;
		err = GetLastError();
		if (err != ERROR_INTERNAL_ERROR || tries == 5) {
			fprintf(stderr, "runexit: cannot start (%d tries): error %lu\n", tries, err);
			fclose(f);
			free(cmd);
			return 2;
		}
		Sleep(200);
	}
	WaitForSingleObject(pi.hProcess, INFINITE);
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	free(cmd);
	if (fprintf(f, "%lu\n", code) < 0 || fclose(f) != 0) {
		fputs("runexit: cannot write the exit code\n", stderr);
		return 2;
	}
	return 0;
}
