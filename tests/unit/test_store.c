/* Store recognition on real folders, and path mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scratch.h"

#include "fs.h"
#include "store.h"


static void mkdirs(const char *rel)
{
	assert_int_equal(uk_fs_mkdir_p(at(rel)), 0);
}

static void touch(const char *rel)
{
	FILE *f = fopen(at(rel), "wb");

	assert_non_null(f);
	fclose(f);
}

static int setup(void **state)
{
	const char *b = getenv("UK_BUILD");
	char *base = uk_path_join(b ? b : "build", "tmp-test-store");

	rm_rf(base);
	assert_int_equal(uk_fs_mkdir_p(base), 0);
	scratch = base;
	return 0;
}

static int teardown(void **state)
{
	rm_rf(scratch);
	free(scratch);
	return 0;
}

static int open_kind(const char *rel, char *err, size_t n)
{
	uk_store s;
	int k = uk_store_open(at(rel), &s, err, n);

	uk_store_free(&s);
	return k;
}

static void make_store(const char *name, int hardlink)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/USMT/File/C$/Users", name);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/USMT/catalog.mig", name);
	touch(p);
	snprintf(p, sizeof(p), "%s/USMT/MIGSTATE.DAT", name);
	touch(p);
	if (hardlink) {
		snprintf(p, sizeof(p), "%s/USMT/hardlink.main", name);
		touch(p);
	}
}

static void test_kinds(void **state)
{
	char err[512];
	uk_store s;

	make_store("hl", 1);
	assert_int_equal(uk_store_open(at("hl"), &s, err, sizeof(err)), UK_STORE_HARDLINK);
	assert_non_null(strstr(s.file_dir, "File"));
	assert_int_equal(s.path[0] == UK_SEP || s.path[1] == ':', 1);
	uk_store_free(&s);
	/* A trailing separator is the same store. */
	assert_int_equal(open_kind("hl/", err, sizeof(err)), UK_STORE_HARDLINK);

	make_store("unc", 0);
	assert_int_equal(open_kind("unc", err, sizeof(err)), UK_STORE_UNCOMPRESSED);
	assert_string_equal(uk_store_kind_name(UK_STORE_UNCOMPRESSED), "uncompressed");

	mkdirs("comp/USMT");
	touch("comp/USMT/USMT.MIG");
	assert_int_equal(open_kind("comp", err, sizeof(err)), UK_STORE_COMPRESSED);
	assert_non_null(strstr(err, "UsmtUtils /verify"));
}

static void test_not_stores(void **state)
{
	char err[512];

	mkdirs("empty");
	assert_int_equal(open_kind("empty", err, sizeof(err)), UK_STORE_NONE);
	assert_non_null(strstr(err, "not a USMT store"));
	assert_int_equal(open_kind("absent", err, sizeof(err)), UK_STORE_NONE);
	touch("plainfile");
	assert_int_equal(open_kind("plainfile", err, sizeof(err)), UK_STORE_NONE);
	/* USMT\File without MDT's marker files. */
	mkdirs("nocat/USMT/File/C$");
	touch("nocat/USMT/MIGSTATE.DAT");
	assert_int_equal(open_kind("nocat", err, sizeof(err)), UK_STORE_NONE);
	assert_non_null(strstr(err, "catalog.mig"));
	mkdirs("nofile/USMT");
	touch("nofile/USMT/catalog.mig");
	touch("nofile/USMT/MIGSTATE.DAT");
	assert_int_equal(open_kind("nofile", err, sizeof(err)), UK_STORE_NONE);
	/* File must be a folder. */
	mkdirs("filefile/USMT");
	touch("filefile/USMT/File");
	touch("filefile/USMT/catalog.mig");
	touch("filefile/USMT/MIGSTATE.DAT");
	assert_int_equal(open_kind("filefile", err, sizeof(err)), UK_STORE_NONE);
}

static void test_case_insensitive_names(void **state)
{
	char err[512];

	mkdirs("lower/usmt/file/C$");
	touch("lower/usmt/CATALOG.MIG");
	touch("lower/usmt/migstate.dat");
	touch("lower/usmt/HardLink.Main");
	assert_int_equal(open_kind("lower", err, sizeof(err)), UK_STORE_HARDLINK);
}

/* The store and verify's restored side find a child with one rule, the
 * Windows folding: non-ASCII letters too (strcasecmp folded ASCII only). */
static void test_child_lookup_non_ascii(void **state)
{
	static const char *const pairs[][2] = {
		{ "\xc3\x84rger", "\xc3\xa4RGER" },     /* Ärger / äRGER */
		{ "\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1", "\xcf\x83\xce\xbf\xcf\x86\xce\xaf\xce\xb1" }, /* Σοφία / σοφία */
		{ "\xd0\x96\xd1\x83\xd0\xba", "\xd0\xb6\xd0\xa3\xd0\x9a" }, /* Жук / жУК */
	};
	char *dir = strdup(at("ci")); /* at() buffers are reused */
	int type;

	mkdirs("ci");
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char rel[64], *want, *got;

		snprintf(rel, sizeof(rel), "ci/%s", pairs[i][0]);
		mkdirs(rel);
		want = uk_path_join(dir, pairs[i][0]);
		got = uk_store_child_ci(dir, pairs[i][1], &type);
		assert_non_null(got);
		assert_string_equal(got, want);
		assert_int_equal(type, UK_FT_DIR);
		free(got);
		free(want);
	}
	assert_null(uk_store_child_ci(dir, "\xc3\xa4rgerlich", &type));
	assert_int_equal(type, UK_FT_UNKNOWN);
	free(dir);
}

static void test_drives_and_default_root(void **state)
{
	char err[512], letters[27];
	uk_store s;
	uk_pathmap *m = uk_pathmap_new();
	char *local;

	make_store("one", 1);
	assert_int_equal(uk_store_open(at("one"), &s, err, sizeof(err)), UK_STORE_HARDLINK);
	assert_int_equal(uk_store_drives(&s, letters), 1);
	assert_string_equal(letters, "C");
	assert_int_equal(uk_pathmap_default_root(m, &s), 0);
	if (UK_SEP == '/') {
		char *mnt;
		assert_int_equal(uk_fs_mount_root(s.path, &mnt), 0);
		assert_string_equal(uk_pathmap_root(m, 'c'), mnt);
		local = uk_pathmap_win_to_local(m, "C:\\Users\\a b\\x.doc");
		assert_non_null(local);
		assert_non_null(strstr(local, "/Users/a b/x.doc"));
		assert_int_equal(strncmp(local, mnt, strlen(mnt)), 0);
		free(local);
		free(mnt);
	}
	uk_store_free(&s);

	/* Two drive folders: no default root. */
	make_store("two", 1);
	mkdirs("two/USMT/File/d$/Data");
	mkdirs("two/USMT/File/NotADrive");
	uk_pathmap_free(m);
	m = uk_pathmap_new();
	assert_int_equal(uk_store_open(at("two"), &s, err, sizeof(err)), UK_STORE_HARDLINK);
	assert_int_equal(uk_store_drives(&s, letters), 2);
	assert_non_null(strchr(letters, 'C'));
	assert_non_null(strchr(letters, 'D'));
	assert_int_equal(uk_pathmap_default_root(m, &s), 0);
	assert_null(uk_pathmap_root(m, 'C'));
	uk_store_free(&s);

	/* An explicit --root wins over the default. */
	uk_pathmap_free(m);
	m = uk_pathmap_new();
	assert_int_equal(uk_pathmap_add_root(m, "e=/mnt/e", err, sizeof(err)), 0);
	assert_int_equal(uk_store_open(at("one"), &s, err, sizeof(err)), UK_STORE_HARDLINK);
	assert_int_equal(uk_pathmap_default_root(m, &s), 0);
	assert_null(uk_pathmap_root(m, 'C'));
	assert_string_equal(uk_pathmap_root(m, 'E'), "/mnt/e");
	uk_store_free(&s);
	uk_pathmap_free(m);
}

static void test_rel_safe(void **state)
{
	static const char *const good[] = { "C$/Users/a/x.doc", "C$/a..b/x", "C$/.hidden",
	                                    "C$/...", "C$", "C$/名前 [1] & $x" };
	static const char *const bad[] = { "", "/etc/passwd", "C$/../../etc", "..", "C$/./x",
	                                   "C$//x", "C$/x/", "C$/x/..", ".", "./C$" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(uk_store_rel_safe(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(uk_store_rel_safe(bad[i]));
	assert_false(uk_store_rel_safe(NULL));
}

static void test_rel_local(void **state)
{
	char *p = uk_store_rel_local("base" UK_SEP_S "USMT", "C$/a/b.txt");

	assert_string_equal(p, "base" UK_SEP_S "USMT" UK_SEP_S "C$" UK_SEP_S "a" UK_SEP_S "b.txt");
	free(p);
}

static void test_rel_to_win(void **state)
{
	char *w;

	w = uk_store_rel_to_win("C$/Users/alice/Documents/a [1] & $x.docx");
	assert_string_equal(w, "C:\\Users\\alice\\Documents\\a [1] & $x.docx");
	free(w);
	w = uk_store_rel_to_win("d$/Data");
	assert_string_equal(w, "D:\\Data");
	free(w);
	w = uk_store_rel_to_win("C$");
	assert_string_equal(w, "C:\\");
	free(w);
	assert_null(uk_store_rel_to_win("CC$/x"));
	assert_null(uk_store_rel_to_win("Users/x"));
	assert_null(uk_store_rel_to_win("$/x"));
	assert_null(uk_store_rel_to_win(""));
}

static void test_root_syntax(void **state)
{
	uk_pathmap *m = uk_pathmap_new();
	char err[256];

	assert_int_equal(uk_pathmap_add_root(m, "C=/mnt/c", err, sizeof(err)), 0);
	assert_int_equal(uk_pathmap_add_root(m, "d:=/mnt/d/", err, sizeof(err)), 0);
	assert_string_equal(uk_pathmap_root(m, 'D'), "/mnt/d/");
	assert_int_equal(uk_pathmap_add_root(m, "C", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--root"));
	assert_int_equal(uk_pathmap_add_root(m, "CD=/x", err, sizeof(err)), -1);
	assert_int_equal(uk_pathmap_add_root(m, "1=/x", err, sizeof(err)), -1);
	assert_int_equal(uk_pathmap_add_root(m, "C=", err, sizeof(err)), -1);
	assert_int_equal(uk_pathmap_add_root(m, "=/x", err, sizeof(err)), -1);
	/* One drive, two folders: refused, the first kept; the same one again is fine. */
	assert_int_equal(uk_pathmap_add_root(m, "c=/mnt/other", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--root C: given twice, as /mnt/c and as /mnt/other"));
	assert_string_equal(uk_pathmap_root(m, 'C'), "/mnt/c");
	assert_int_equal(uk_pathmap_add_root(m, "C:=/mnt/c", err, sizeof(err)), 0);
	assert_string_equal(uk_pathmap_root(m, 'C'), "/mnt/c");
	uk_pathmap_free(m);
}

/* A "." or ".." component, wherever it is; dots inside names are not one. */
static void test_win_has_dot(void **state)
{
	(void)state;
	assert_int_equal(uk_store_win_has_dot("\\Users\\a\\x.doc"), 0);
	assert_int_equal(uk_store_win_has_dot("\\Users\\.x\\..y\\a..b\\...\\z."), 0);
	assert_int_equal(uk_store_win_has_dot(""), 0);
	assert_int_equal(uk_store_win_has_dot("\\\\a"), 0);
	assert_int_equal(uk_store_win_has_dot("."), 1);
	assert_int_equal(uk_store_win_has_dot(".."), 1);
	assert_int_equal(uk_store_win_has_dot("..\\a"), 1);
	assert_int_equal(uk_store_win_has_dot("\\a\\."), 1);
	assert_int_equal(uk_store_win_has_dot("\\a\\..\\b"), 1);
	assert_int_equal(uk_store_win_has_dot("\\a.b\\.\\c"), 1);
	assert_int_equal(uk_store_win_has_dot("\\a\\b.\\.."), 1);
}

static void test_win_to_local(void **state)
{
	uk_pathmap *m = uk_pathmap_new();
	char err[256], *l;

	assert_int_equal(uk_pathmap_add_root(m, "C=/mnt/c/", err, sizeof(err)), 0);
	assert_int_equal(uk_pathmap_add_root(m, "D=/", err, sizeof(err)), 0);
	l = uk_pathmap_win_to_local(m, "c:\\Users\\a\\x.doc");
	assert_string_equal(l, "/mnt/c" UK_SEP_S "Users" UK_SEP_S "a" UK_SEP_S "x.doc");
	free(l);
	l = uk_pathmap_win_to_local(m, "D:\\Data\\y");
	assert_string_equal(l, UK_SEP_S "Data" UK_SEP_S "y");
	free(l);
	l = uk_pathmap_win_to_local(m, "C:\\");
	assert_string_equal(l, "/mnt/c");
	free(l);
	l = uk_pathmap_win_to_local(m, "E:\\x");
	if (UK_SEP == '/')
		assert_null(l);
	else
		assert_string_equal(l, "E:\\x");
	free(l);
	assert_null(uk_pathmap_win_to_local(m, "\\\\server\\share"));
	uk_pathmap_free(m);
}

static void test_map(void **state)
{
	uk_pathmap *m = uk_pathmap_new();
	char err[256], *w;
	const char *from, *to;

	assert_int_equal(uk_pathmap_add_map(m, "C:\\Users\\bob=C:\\Users\\robert", err,
	                                    sizeof(err)), 0);
	assert_int_equal(uk_pathmap_add_map(m, "c:/users/=D:\\Profiles\\", err, sizeof(err)), 0);
	assert_int_equal(uk_pathmap_add_map(m, "C:\\Users\\bobby=X:\\never", err, sizeof(err)), 0);
	assert_int_equal(uk_pathmap_map_count(m), 3);
	uk_pathmap_map_get(m, 1, &from, &to);
	assert_string_equal(from, "c:\\users");
	assert_string_equal(to, "D:\\Profiles");

	/* Case-insensitive, first match wins. */
	w = uk_pathmap_map_win(m, "C:\\USERS\\BOB\\Documents\\a.doc");
	assert_string_equal(w, "C:\\Users\\robert\\Documents\\a.doc");
	free(w);
	w = uk_pathmap_map_win(m, "C:\\Users\\Bob");
	assert_string_equal(w, "C:\\Users\\robert");
	free(w);
	/* Whole components only: bobby is not bob; the second rule catches it. */
	w = uk_pathmap_map_win(m, "C:\\Users\\bobby\\x");
	assert_string_equal(w, "D:\\Profiles\\bobby\\x");
	free(w);
	w = uk_pathmap_map_win(m, "C:\\Windows\\x");
	assert_string_equal(w, "C:\\Windows\\x");
	free(w);
	/* Non-ASCII letters fold too, as NTFS folds them. */
	assert_int_equal(uk_pathmap_add_map(m, "E:\\Users\\José=E:\\Users\\jose", err,
	                                    sizeof(err)), 0);
	w = uk_pathmap_map_win(m, "E:\\USERS\\JOSÉ\\Été.txt");
	assert_string_equal(w, "E:\\Users\\jose\\Été.txt");
	free(w);
	w = uk_pathmap_map_win(m, "C:\\Windows\\x");
	assert_string_equal(w, "C:\\Windows\\x");
	free(w);
	uk_pathmap_free(m);

	/* A drive root as FROM and TO. */
	m = uk_pathmap_new();
	assert_int_equal(uk_pathmap_add_map(m, "D:\\=C:\\", err, sizeof(err)), 0);
	w = uk_pathmap_map_win(m, "d:\\Data\\x");
	assert_string_equal(w, "C:\\Data\\x");
	free(w);
	assert_int_equal(uk_pathmap_add_map(m, "nothing", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--map"));
	assert_int_equal(uk_pathmap_add_map(m, "=C:\\x", err, sizeof(err)), -1);
	assert_int_equal(uk_pathmap_add_map(m, "C:\\x=", err, sizeof(err)), -1);
	uk_pathmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_not_stores),
		cmocka_unit_test(test_case_insensitive_names),
		cmocka_unit_test(test_child_lookup_non_ascii),
		cmocka_unit_test(test_drives_and_default_root),
		cmocka_unit_test(test_rel_to_win),
		cmocka_unit_test(test_win_has_dot),
		cmocka_unit_test(test_rel_safe),
		cmocka_unit_test(test_rel_local),
		cmocka_unit_test(test_root_syntax),
		cmocka_unit_test(test_win_to_local),
		cmocka_unit_test(test_map),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
