/* MigXML patterns: the USMT semantics of node, [leaf], `\*` recursion,
 * escapes, case folding, specificity and --exclude-from files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pattern.h"

static uk_pattern *P(const char *text)
{
	char err[256] = "";
	uk_pattern *p = uk_pattern_parse(text, err, sizeof(err));

	if (!p)
		fail_msg("'%s' refused: %s", text, err);
	return p;
}

/* 1 when `text` matches the file (is_dir 0) or folder (is_dir 1). */
static int M(const char *text, const char *path, int is_dir)
{
	uk_pattern *p = P(text);
	int m = uk_pattern_match(p, path, is_dir);

	uk_pattern_free(p);
	return m;
}

#define FILE_YES(pat, path) assert_int_equal(M(pat, path, 0), 1)
#define FILE_NO(pat, path) assert_int_equal(M(pat, path, 0), 0)
#define DIR_YES(pat, path) assert_int_equal(M(pat, path, 1), 1)
#define DIR_NO(pat, path) assert_int_equal(M(pat, path, 1), 0)

static void recursive_folder_without_leaf(void **state)
{
	/* C:\X\* = X and every subfolder, no files. */
	DIR_YES("C:\\X\\*", "C:\\X");
	DIR_YES("C:\\X\\*", "C:\\X\\");
	DIR_YES("C:\\X\\*", "C:\\X\\sub");
	DIR_YES("C:\\X\\*", "C:\\X\\sub\\deeper\\still");
	DIR_NO("C:\\X\\*", "C:\\XY");
	DIR_NO("C:\\X\\*", "C:\\Y\\X");
	DIR_NO("C:\\X\\*", "C:");
	FILE_NO("C:\\X\\*", "C:\\X\\a.txt");
	FILE_NO("C:\\X\\*", "C:\\X\\sub\\a.txt");
}

static void recursive_folder_with_files(void **state)
{
	FILE_YES("C:\\X\\* [*]", "C:\\X\\a.txt");
	FILE_YES("C:\\X\\* [*]", "C:\\X\\sub\\deeper\\b");
	FILE_NO("C:\\X\\* [*]", "C:\\XY\\a.txt");
	FILE_NO("C:\\X\\* [*]", "C:\\a.txt");
	FILE_NO("C:\\X\\* [*]", "D:\\X\\a.txt");
	DIR_YES("C:\\X\\* [*]", "C:\\X\\sub");
}

static void files_of_one_folder(void **state)
{
	/* C:\X\ [*] = the files of X only; "C:\X [*]" is the same node. */
	FILE_YES("C:\\X\\ [*]", "C:\\X\\a.txt");
	FILE_NO("C:\\X\\ [*]", "C:\\X\\sub\\a.txt");
	FILE_NO("C:\\X\\ [*]", "C:\\Y\\a.txt");
	FILE_YES("C:\\X [*]", "C:\\X\\a.txt");
	FILE_NO("C:\\X [*]", "C:\\X\\sub\\a.txt");
	DIR_YES("C:\\X\\ [*]", "C:\\X");
	DIR_NO("C:\\X\\ [*]", "C:\\X\\sub");
	/* The root folder: files directly on C:. */
	FILE_YES("C:\\ [*]", "C:\\pagefile.sys");
	FILE_NO("C:\\ [*]", "C:\\Users\\a.txt");
}

static void folder_anywhere(void **state)
{
	const char *pat = "C:\\*\\Drafts\\* [*]";

	FILE_YES(pat, "C:\\Users\\alice\\Drafts\\x.doc");
	FILE_YES(pat, "C:\\Users\\alice\\Drafts\\old\\y.doc");
	FILE_YES(pat, "C:\\Drafts\\x.doc"); /* "\*\" = any folders, or none */
	FILE_YES(pat, "C:\\a\\b\\c\\d\\Drafts\\z");
	FILE_NO(pat, "C:\\Users\\alice\\MyDrafts\\x.doc");
	FILE_NO(pat, "C:\\Users\\alice\\Drafts2\\x.doc");
	FILE_NO(pat, "C:\\Users\\alice\\x.doc");
	FILE_NO(pat, "D:\\Drafts\\x.doc");
	DIR_YES(pat, "C:\\Users\\alice\\Drafts");
	DIR_NO(pat, "C:\\Users\\alice");
	/* Two folder runs in one node. */
	FILE_YES("C:\\*\\a\\*\\b\\ [*]", "C:\\a\\b\\f");
	FILE_YES("C:\\*\\a\\*\\b\\ [*]", "C:\\x\\a\\y\\z\\b\\f");
	FILE_NO("C:\\*\\a\\*\\b\\ [*]", "C:\\x\\a\\y\\z\\b\\c\\f");
	FILE_NO("C:\\*\\a\\*\\b\\ [*]", "C:\\x\\ab\\f");
}

static void files_anywhere_by_extension(void **state)
{
	FILE_YES("C:\\* [*.mp3]", "C:\\song.mp3");
	FILE_YES("C:\\* [*.mp3]", "C:\\Users\\a\\Music\\deep\\song.MP3");
	FILE_NO("C:\\* [*.mp3]", "C:\\Users\\a\\song.mp3.txt");
	FILE_NO("C:\\* [*.mp3]", "C:\\Users\\a\\mp3");
	FILE_NO("C:\\* [*.mp3]", "E:\\song.mp3");
}

static void wildcards_in_node_and_leaf(void **state)
{
	FILE_YES("C:\\Users\\* [ntuser.dat.LOG*]", "C:\\Users\\bob\\NTUSER.DAT.LOG1");
	FILE_NO("C:\\Users\\* [ntuser.dat.LOG*]", "C:\\Users\\bob\\NTUSER.DAT");
	FILE_YES("C:\\Users\\a*\\Documents\\ [*]", "C:\\Users\\alice\\Documents\\x");
	FILE_NO("C:\\Users\\a*\\Documents\\ [*]", "C:\\Users\\bob\\Documents\\x");
	/* ? is one character, never a separator. */
	FILE_YES("C:\\Users\\b?b\\ [?.txt]", "C:\\Users\\bob\\a.txt");
	FILE_NO("C:\\Users\\b?b\\ [?.txt]", "C:\\Users\\bob\\ab.txt");
	FILE_NO("C:\\Users\\b?b\\ [*]", "C:\\Users\\bb\\a");
	FILE_NO("C:\\a?b\\ [*]", "C:\\a\\b\\x");
	/* ? is one character, not one byte. */
	FILE_YES("C:\\Users\\J?rg\\ [*]", "C:\\Users\\J\xc3\xb6rg\\x");
	FILE_YES("C:\\Users\\* [report ?.docx]", "C:\\Users\\a\\report \xe2\x82\xac.docx");
	/* Many stars, no catastrophic backtracking, correct answers. */
	FILE_YES("C:\\* [*a*a*a*a*b]", "C:\\x\\aaaaaaaaaaaaaaaaaaaaaaaab");
	FILE_NO("C:\\* [*a*a*a*a*b]", "C:\\x\\aaaaaaaaaaaaaaaaaaaaaaaaa");
	FILE_YES("* [*]", "C:\\anything\\at\\all");
}

static void case_insensitive(void **state)
{
	FILE_YES("c:\\users\\* [*.DOCX]", "C:\\USERS\\Alice\\Report.docx");
	/* Latin-1: Ä/ä, Ö/ö, É/é; Latin Extended-A: Ł/ł, Ž/ž; Cyrillic Д/д; Greek Σ/σ/ς. */
	FILE_YES("C:\\Users\\J\xc3\x96RG\\ [*]", "C:\\Users\\j\xc3\xb6rg\\x");
	FILE_YES("C:\\* [\xc3\x89t\xc3\xa9.txt]", "C:\\a\\\xc3\xa9T\xc3\x89.TXT");
	FILE_YES("C:\\* [\xc5\x81\xc3\xb3" "d\xc5\xba]", "C:\\a\\\xc5\x82\xc3\x93" "D\xc5\xb9");
	FILE_YES("C:\\* [\xc5\xbd]", "C:\\a\\\xc5\xbe");
	FILE_YES("C:\\* [\xd0\x94]", "C:\\a\\\xd0\xb4");
	FILE_YES("C:\\* [\xce\xa3]", "C:\\a\\\xcf\x82");
	/* Different letters stay different. */
	FILE_NO("C:\\* [\xc3\xa4]", "C:\\a\\a");
	FILE_NO("C:\\* [\xc3\x97]", "C:\\a\\\xc3\xb7"); /* × does not fold to ÷ */
}

static void escapes(void **state)
{
	/* ^[ ^] ^^ are literal brackets and caret, in the node and the leaf. */
	FILE_YES("C:\\Data^[old^]\\ [*]", "C:\\Data[old]\\f");
	FILE_NO("C:\\Data^[old^]\\ [*]", "C:\\Dataold\\f");
	FILE_YES("C:\\X\\ [a^[1^].txt]", "C:\\X\\a[1].txt");
	FILE_NO("C:\\X\\ [a^[1^].txt]", "C:\\X\\a1.txt");
	FILE_YES("C:\\X\\ [a^^b]", "C:\\X\\a^b");
	/* A ^ before anything else is itself. */
	FILE_YES("C:\\X\\ [a^b]", "C:\\X\\a^b");
	FILE_YES("C:\\X\\ [a^^]", "C:\\X\\a^");
	/* The leaf ends at the first unescaped ]. */
	FILE_YES("C:\\X\\ [x^]y]", "C:\\X\\x]y");
}

static void separators_and_spaces(void **state)
{
	uk_pattern *p = P("  C:\\Program Files\\App\\*   [ *.ini ]  ");

	assert_string_equal(uk_pattern_text(p), "C:\\Program Files\\App\\*   [ *.ini ]");
	uk_pattern_free(p);
	/* Spaces inside the brackets belong to the file name. */
	FILE_YES("C:\\Program Files\\App\\* [ *.ini ]", "C:\\Program Files\\App\\ a.ini ");
	FILE_NO("C:\\Program Files\\App\\* [ *.ini ]", "C:\\Program Files\\App\\a.ini");
	FILE_YES("C:\\Program Files\\App\\* [*.ini]", "C:\\program files\\app\\x\\a.INI");
	/* '/' in a node reads as '\'. */
	FILE_YES("C:/Users/* [*]", "C:\\Users\\a\\b");
	FILE_YES("C:\\X\\\\ [*]", "C:\\X\\f");
}

static void invalid_bytes_in_paths(void **state)
{
	/* A path with invalid UTF-8 (a POSIX store) matches wildcards, not letters. */
	FILE_YES("C:\\X\\ [a?b]", "C:\\X\\a\xff" "b");
	FILE_YES("C:\\X\\ [*]", "C:\\X\\\xc3");
	FILE_NO("C:\\X\\ [a\xc3\xbf]", "C:\\X\\a\xff");
	FILE_NO("C:\\X\\ [a]", "C:\\X\\A\x80");
}

static void no_leaf_matches_no_file(void **state)
{
	uk_pattern *p = P("C:\\Users\\*");

	assert_int_equal(uk_pattern_has_leaf(p), 0);
	assert_int_equal(uk_pattern_match(p, "C:\\Users\\a\\b.txt", 0), 0);
	uk_pattern_free(p);
	p = P("C:\\Users\\* [*]");
	assert_int_equal(uk_pattern_has_leaf(p), 1);
	uk_pattern_free(p);
}

static void refuse(const char *text, const char *why)
{
	char err[256] = "";
	uk_pattern *p = uk_pattern_parse(text, err, sizeof(err));

	if (p) {
		uk_pattern_free(p);
		fail_msg("'%s' accepted", text);
	}
	if (!strstr(err, why))
		fail_msg("'%s': error '%s' lacks '%s'", text, err, why);
	assert_non_null(strstr(err, "bad pattern"));
	assert_null(strchr(err, '\n'));
}

static void malformed(void **state)
{
	char *big;

	refuse("", "empty");
	refuse("   \t ", "empty");
	refuse("[*]", "no folder");
	refuse("\\ [*]", "no folder");
	refuse("C:\\X [*", "without a closing");
	refuse("C:\\X [*] trailing", "text after");
	refuse("C:\\X []", "empty file name");
	refuse("C:\\X [a[b]", "unescaped '['");
	refuse("C:\\X] [*]", "unescaped ']'");
	refuse("C:\\X [a\\b]", "folder separator");
	refuse("C:\\X [a/b]", "folder separator");
	refuse("C:\\X\n[*]", "control character");
	refuse("C:\\X\t\\ [*]", "control character");
	refuse("C:\\\xff [*]", "UTF-8");
	refuse("C:\\\xc0\xaf [*]", "UTF-8"); /* overlong '/' */
	refuse("C:\\\xed\xa0\x80 [*]", "UTF-8"); /* surrogate */
	big = malloc(40000);
	assert_non_null(big);
	memset(big, 'a', 39999);
	big[0] = 'C';
	big[1] = ':';
	big[39999] = '\0';
	refuse(big, "longer than");
	free(big);
}

static void long_paths(void **state)
{
	/* A 32,000-character path: matched correctly, in linear time for a
	 * literal pattern (a quadratic matcher would still pass, but slowly). */
	size_t n = 32000;
	char *path = malloc(n + 16);

	assert_non_null(path);
	strcpy(path, "C:\\Users");
	for (size_t i = strlen(path); i + 2 < n; i += 2)
		memcpy(path + i, "\\d", 2);
	strcpy(path + n - 2, "\\f.txt");
	FILE_YES("C:\\Users\\* [*.txt]", path);
	FILE_YES("C:\\*\\d\\d\\* [f.txt]", path);
	FILE_NO("C:\\*\\e\\* [*]", path);
	FILE_NO("C:\\Users\\* [*.doc]", path);
	free(path);
}

static void specificity_order(void **state)
{
	/* A deeper folder beats its parent; a named file beats a wildcard; the
	 * files of one folder beat the same folder's recursion. */
	const char *ordered[] = {
		"C:\\* [*]",
		"C:\\Users\\* [*]",
		"C:\\Users\\* [*.doc]",
		"C:\\Users\\alice\\* [*]",
		"C:\\Users\\alice\\ [*]",
		"C:\\Users\\alice\\ [a.doc]",
		"C:\\Users\\alice\\Documents\\* [*]",
	};
	size_t n = sizeof(ordered) / sizeof(ordered[0]);

	for (size_t i = 0; i + 1 < n; i++) {
		uk_pattern *a = P(ordered[i]), *b = P(ordered[i + 1]);

		if (!(uk_pattern_specificity(a) < uk_pattern_specificity(b)))
			fail_msg("'%s' should be less specific than '%s'", ordered[i], ordered[i + 1]);
		uk_pattern_free(a);
		uk_pattern_free(b);
	}
	/* Case and the spelling of the trailing separator do not change it. */
	{
		uk_pattern *a = P("c:\\users\\ [*]"), *b = P("C:\\Users [*]");

		assert_int_equal(uk_pattern_specificity(a), uk_pattern_specificity(b));
		uk_pattern_free(a);
		uk_pattern_free(b);
	}
}

static void patternset_first_match(void **state)
{
	uk_patternset *s = uk_patternset_new();
	char err[256];
	const uk_pattern *m;

	assert_non_null(s);
	assert_int_equal(uk_patternset_count(s), 0);
	assert_null(uk_patternset_match(s, "C:\\a", 0));
	assert_int_equal(uk_patternset_add(s, "C:\\Users\\* [*.tmp]", err, sizeof(err)), 0);
	assert_int_equal(uk_patternset_add(s, "C:\\Users\\* [*]", err, sizeof(err)), 0);
	assert_int_equal(uk_patternset_add(s, "C:\\Temp [", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "C:\\Temp ["));
	assert_int_equal(uk_patternset_count(s), 2);
	m = uk_patternset_match(s, "C:\\Users\\a\\x.tmp", 0);
	assert_non_null(m);
	assert_string_equal(uk_pattern_text(m), "C:\\Users\\* [*.tmp]");
	m = uk_patternset_match(s, "C:\\Users\\a\\x.doc", 0);
	assert_non_null(m);
	assert_string_equal(uk_pattern_text(m), "C:\\Users\\* [*]");
	assert_null(uk_patternset_match(s, "C:\\Windows\\x.doc", 0));
	uk_patternset_free(s);
}

static char *write_tmp(const char *content, size_t n)
{
	char *path = strdup("/tmp/uk-test-pattern.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, n), (ssize_t)n);
	close(fd);
	return path;
}

static void exclude_from_file(void **state)
{
	static const char text[] = "\xEF\xBB\xBF# exclusions for the pilot\r\n"
	                           "\r\n"
	                           "C:\\Users\\* [ntuser.dat.LOG*]\r\n"
	                           "   # indented comment\n"
	                           "  C:\\Users\\*\\AppData\\Local\\Temp\\* [*]  \n"
	                           "\t\n"
	                           "C:\\* [*.mp3]"; /* no final newline */
	char *path = write_tmp(text, sizeof(text) - 1), err[512] = "";
	uk_patternset *s = uk_patternset_new();

	assert_int_equal(uk_patternset_add_file(s, path, err, sizeof(err)), 0);
	assert_int_equal(uk_patternset_count(s), 3);
	assert_non_null(uk_patternset_match(s, "C:\\Users\\a\\NTUSER.DAT.LOG2", 0));
	assert_non_null(uk_patternset_match(s, "C:\\Users\\a\\AppData\\Local\\Temp\\x\\y", 0));
	assert_non_null(uk_patternset_match(s, "C:\\music\\a.mp3", 0));
	assert_null(uk_patternset_match(s, "C:\\Users\\a\\AppData\\Local\\x", 0));
	uk_patternset_free(s);
	unlink(path);
	free(path);
}

static void exclude_from_file_errors(void **state)
{
	static const char bad[] = "# ok\nC:\\X\\ [*]\nC:\\Y [\n";
	static const char nul[] = "C:\\X\\ [*]\nC:\\Y\0 [*]\n";
	char *path = write_tmp(bad, sizeof(bad) - 1), err[512] = "";
	uk_patternset *s = uk_patternset_new();

	assert_int_equal(uk_patternset_add_file(s, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "line 3"));
	assert_non_null(strstr(err, "closing"));
	unlink(path);
	free(path);

	path = write_tmp(nul, sizeof(nul) - 1);
	assert_int_equal(uk_patternset_add_file(s, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 2"));
	assert_non_null(strstr(err, "NUL"));
	unlink(path);
	free(path);

	assert_int_equal(uk_patternset_add_file(s, "/nonexistent/excl.txt", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/excl.txt"));
	assert_int_equal(uk_patternset_add_file(s, "/tmp", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/tmp"));
	uk_patternset_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recursive_folder_without_leaf),
		cmocka_unit_test(recursive_folder_with_files),
		cmocka_unit_test(files_of_one_folder),
		cmocka_unit_test(folder_anywhere),
		cmocka_unit_test(files_anywhere_by_extension),
		cmocka_unit_test(wildcards_in_node_and_leaf),
		cmocka_unit_test(case_insensitive),
		cmocka_unit_test(escapes),
		cmocka_unit_test(separators_and_spaces),
		cmocka_unit_test(invalid_bytes_in_paths),
		cmocka_unit_test(no_leaf_matches_no_file),
		cmocka_unit_test(malformed),
		cmocka_unit_test(long_paths),
		cmocka_unit_test(specificity_order),
		cmocka_unit_test(patternset_first_match),
		cmocka_unit_test(exclude_from_file),
		cmocka_unit_test(exclude_from_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
