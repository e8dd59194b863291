/* The fs_*_win32.c files on what only Windows has: \\?\ long paths, UTF-8 <-> UTF-16,
 * read-only deletion with surviving links, sharing violations, volumes.
 * Built by `make windows`, run under Wine by `make check-windows`. Fixtures
 * are made with Win32 calls directly; what is tested goes through fs.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <windows.h>

#include "fs.h"
#include "entry.h"

#define DIR_ "test_fs_win32.tmp"
/* Over 260 characters once under DIR_: proves the \\?\ form is used
 * (on Windows; Wine accepts long paths either way, see docs/WINDOWS.md). */
#define SEG "a folder name of fifty characters, give or take 50"
#define DEEP DIR_ "\\" SEG "\\" SEG "\\" SEG "\\" SEG "\\" SEG "\\" SEG
#define UNI "Ünïcødé 日本語 😀 ё.txt"
#define UNI_OTHER_CASE "üNÏCØDÉ 日本語 😀 Ё.TXT"

static wchar_t *wide_long(const char *path)
{
	wchar_t w[4096], full[4096], *r;
	DWORD n;

	assert_true(MultiByteToWideChar(CP_UTF8, 0, path, -1, w, 4096) > 0);
	n = GetFullPathNameW(w, 4096, full, NULL);
	assert_true(n > 0 && n < 4090);
	r = malloc((n + 5) * sizeof(*r));
	assert_non_null(r);
	wcscpy(r, L"\\\\?\\");
	wcscat(r, full);
	return r;
}

static void make_file(const char *path, const char *data)
{
	wchar_t *w = wide_long(path);
	HANDLE h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
	DWORD done;

	free(w);
	assert_true(h != INVALID_HANDLE_VALUE);
	assert_true(WriteFile(h, data, (DWORD)strlen(data), &done, NULL));
	CloseHandle(h);
}

/* Removes DIR_ and everything under it through Win32, read-only or not. */
static void rm_rf(const wchar_t *w)
{
	WIN32_FIND_DATAW fd;
	size_t n = wcslen(w);
	wchar_t *pat = malloc((n + 300) * sizeof(*pat));
	HANDLE f;

	wcscpy(pat, w);
	wcscat(pat, L"\\*");
	f = FindFirstFileW(pat, &fd);
	if (f != INVALID_HANDLE_VALUE) {
		do {
			if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
				continue;
			wcscpy(pat + n + 1, fd.cFileName);
			SetFileAttributesW(pat, FILE_ATTRIBUTE_NORMAL);
			if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
				rm_rf(pat);
			else
				DeleteFileW(pat);
		} while (FindNextFileW(f, &fd));
		FindClose(f);
	}
	free(pat);
	RemoveDirectoryW(w);
}

static int setup(void **state)
{
	wchar_t *w = wide_long(DIR_);

	rm_rf(w);
	free(w);
	assert_int_equal(uk_fs_mkdir_p(DIR_), 0);
	return 0;
}

static int teardown(void **state)
{
	wchar_t *w = wide_long(DIR_);

	rm_rf(w);
	free(w);
	return 0;
}

static void long_paths(void **state)
{
	const char *file = DEEP "\\" UNI;
	char buf[64], *real = NULL;
	uk_stat st;
	uk_file *f;
	uk_dir *d;
	uk_dirent e;
	size_t got;
	int found = 0;
	FILE *fp;

	assert_true(strlen(DEEP) > 300);
	assert_int_equal(uk_fs_mkdir_p(DEEP), 0);
	make_file(file, "long");
	assert_int_equal(uk_fs_lstat(file, &st), 0);
	assert_int_equal(st.size, 4);
	assert_int_equal(st.type, UK_FT_FILE);
	assert_int_equal(uk_fs_open_read(file, &f, NULL), 0);
	assert_int_equal(uk_fs_read(f, buf, sizeof(buf), &got), 0);
	assert_int_equal(got, 4);
	assert_memory_equal(buf, "long", 4);
	uk_fs_close(f);
	assert_int_equal(uk_fs_opendir(DEEP, &d), 0);
	while (uk_fs_readdir(d, &e) == 1)
		found += strcmp(e.name, UNI) == 0;
	uk_fs_closedir(d);
	assert_int_equal(found, 1);
	/* realpath gives the form an admin types: "X:\...", no \\?\ prefix. */
	assert_int_equal(uk_fs_realpath(file, &real), 0);
	assert_true(strlen(real) > 300);
	assert_true(real[1] == ':' && real[2] == '\\');
	assert_non_null(strstr(real, SEG "\\" UNI));
	free(real);
	/* fopen through the same names: the log and report files. */
	assert_non_null(fp = uk_fs_fopen(file, "ab"));
	assert_int_equal(fputs("+more", fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(uk_fs_lstat(file, &st), 0);
	assert_int_equal(st.size, 9);
	assert_int_equal(uk_fs_unlink(file), 0);
	assert_true(uk_fs_err_notfound(uk_fs_lstat(file, &st)));
	assert_null(uk_fs_fopen(file, "rb"));
	assert_int_equal(uk_fs_rmdir(DEEP), 0);
}

static void unicode_names_and_case(void **state)
{
	uk_stat a, b;
	uk_dir *d;
	uk_dirent e;
	int found = 0;

	make_file(DIR_ "\\" UNI, "x");
	assert_int_equal(uk_fs_opendir(DIR_, &d), 0);
	while (uk_fs_readdir(d, &e) == 1) {
		if (strcmp(e.name, UNI) == 0) { /* the exact UTF-8 bytes */
			found++;
			assert_int_equal(e.type, UK_FT_FILE);
			assert_int_equal(uk_fs_lstat(DIR_ "\\" UNI, &a), 0);
			if (e.has_id)
				assert_true(e.id.hi == a.id.hi && e.id.lo == a.id.lo);
		}
	}
	uk_fs_closedir(d);
	assert_int_equal(found, 1);
	/* Windows names compare without case, Cyrillic and accents included. */
	assert_int_equal(uk_fs_lstat(DIR_ "/" UNI_OTHER_CASE, &b), 0);
	assert_true(uk_fid_equal(&a.id, &b.id));
	assert_true(a.id.vol != 0);
}

static void invalid_utf8_is_a_clear_error(void **state)
{
	uk_stat st;
	char msg[256];
	int err = uk_fs_lstat(DIR_ "\\bad\xff\xfe name", &st);

	assert_int_equal(err, ERROR_NO_UNICODE_TRANSLATION);
	uk_fs_strerror(err, msg, sizeof(msg));
	assert_non_null(strstr(msg, "(error 1113)"));
	assert_true(strlen(msg) > strlen("(error 1113)") + 5);
}

static void readonly_delete_keeps_other_links_readonly(void **state)
{
	uk_stat st;

	make_file(DIR_ "\\restored", "data");
	assert_int_equal(uk_fs_link(DIR_ "\\restored", DIR_ "\\store-link"), 0);
	assert_int_equal(uk_fs_set_readonly(DIR_ "\\restored", 1), 0);
	assert_int_equal(uk_fs_lstat(DIR_ "\\store-link", &st), 0);
	assert_true(st.readonly); /* one attribute record for both names */
	assert_int_equal(st.nlink, 2);
	assert_int_equal(uk_fs_unlink(DIR_ "\\store-link"), 0);
	assert_true(uk_fs_err_notfound(uk_fs_lstat(DIR_ "\\store-link", &st)));
	assert_int_equal(uk_fs_lstat(DIR_ "\\restored", &st), 0);
	assert_int_equal(st.nlink, 1);
	assert_true(st.readonly);
	/* The last name goes too, read-only or not. */
	assert_int_equal(uk_fs_unlink(DIR_ "\\restored"), 0);
	assert_true(uk_fs_err_notfound(uk_fs_lstat(DIR_ "\\restored", &st)));
}

static void sharing_violation_is_locked(void **state)
{
	wchar_t *w;
	HANDLE h;
	uk_stat st;
	int err;

	make_file(DIR_ "\\held", "x");
	w = wide_long(DIR_ "\\held");
	h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
	                0, NULL); /* no FILE_SHARE_DELETE */
	free(w);
	assert_true(h != INVALID_HANDLE_VALUE);
	err = uk_fs_unlink(DIR_ "\\held");
	assert_int_equal(err, ERROR_SHARING_VIOLATION);
	assert_true(uk_fs_err_locked(err));
	assert_int_equal(uk_fs_lstat(DIR_ "\\held", &st), 0); /* still there */
	CloseHandle(h);
	assert_int_equal(uk_fs_unlink(DIR_ "\\held"), 0);
}

static void folders_and_files_removed_by_their_own_call(void **state)
{
	uk_stat st;

	assert_int_equal(uk_fs_mkdir_p(DIR_ "/sub/deeper"), 0);
	make_file(DIR_ "\\sub\\f", "x");
	assert_true(uk_fs_unlink(DIR_ "\\sub") != 0);            /* a folder */
	assert_true(uk_fs_err_notfound(uk_fs_rmdir(DIR_ "\\sub\\f"))); /* a file: ENOTDIR */
	assert_true(uk_fs_err_notempty(uk_fs_rmdir(DIR_ "\\sub")));
	assert_int_equal(uk_fs_unlink(DIR_ "\\sub\\f"), 0);
	assert_int_equal(uk_fs_rmdir(DIR_ "\\sub\\deeper"), 0);
	assert_int_equal(uk_fs_rmdir(DIR_ "\\sub"), 0);
	assert_true(uk_fs_err_notfound(uk_fs_lstat(DIR_ "\\sub", &st)));
}

static void volumes(void **state)
{
	char **roots = NULL, *root = NULL, *real = NULL;
	size_t n = 0, i;
	int has_own = 0;

	assert_int_equal(uk_fs_realpath(DIR_, &real), 0);
	assert_int_equal(uk_fs_mount_root(DIR_, &root), 0);
	assert_int_equal(strlen(root), 3);
	assert_true(root[1] == ':' && root[2] == '\\');
	assert_true(strncmp(real, root, 3) == 0);
	assert_int_equal(uk_fs_fixed_volumes(&roots, &n), 0);
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		assert_int_equal(strlen(roots[i]), 3);
		assert_true(roots[i][1] == ':' && roots[i][2] == '\\');
		has_own += strcmp(roots[i], "C:\\") == 0;
		free(roots[i]);
	}
	free(roots);
	assert_int_equal(has_own, 1); /* the system drive is a fixed volume */
	free(root);
	free(real);
}

static void arguments_become_utf8(void **state)
{
	wchar_t a0[] = L"usmt-verify.exe", a1[] = L"C:\\Users\\José\\日本語 😀";
	wchar_t *wargv[] = { a0, a1, NULL };
	char **argv = uk_fs_utf8_argv(2, wargv);

	assert_string_equal(argv[0], "usmt-verify.exe");
	assert_string_equal(argv[1], "C:\\Users\\José\\日本語 😀");
	assert_null(argv[2]);
	free(argv[0]);
	free(argv[1]);
	free(argv);
}

static void clock_and_process(void **state)
{
	struct tm tm;
	int off = 9999;
	char host[256];

	assert_int_equal(uk_fs_utctime(86400 + 3661, &tm), 0);
	assert_int_equal(tm.tm_year, 70);
	assert_int_equal(tm.tm_mday, 2);
	assert_int_equal(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec, 3661);
	assert_int_equal(uk_fs_localtime(1700000000, &tm, &off), 0);
	assert_true(off >= -14 * 60 && off <= 14 * 60);
	assert_true(uk_fs_cpu_count() >= 1);
	assert_int_equal(uk_fs_hostname(host, sizeof(host)), 0);
	assert_true(host[0] != 0);
	assert_true(uk_fs_thread_id() != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(long_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(unicode_names_and_case, setup, teardown),
		cmocka_unit_test_setup_teardown(invalid_utf8_is_a_clear_error, setup, teardown),
		cmocka_unit_test_setup_teardown(readonly_delete_keeps_other_links_readonly, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(sharing_violation_is_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(folders_and_files_removed_by_their_own_call, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(volumes, setup, teardown),
		cmocka_unit_test(arguments_become_utf8),
		cmocka_unit_test(clock_and_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
