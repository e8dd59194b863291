/* verify's verdict logic (verify/judge.c, verify/rdir.c) on real files: real
 * hard links, real copies, hash jobs run here as the pool would run them. */
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
#include "hash.h"
#include "pattern.h"
#include "store.h"
#include "../../verify/judge.h"
#include "../../verify/verify.h"

static uk_pathmap *map;
static uk_patternset *excl;
static uk_rdir *rd;

static void put(const char *rel, const char *content)
{
	FILE *f = uk_fs_fopen(at(rel), "wb");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void mkdirs(const char *rel)
{
	assert_int_equal(uk_fs_mkdir_p(at(rel)), 0);
}

static int setup(void **state)
{
	const char *b = getenv("UK_BUILD");
	char err[256], spec[4200];

	scratch = uk_path_join(b ? b : "build", "tmp-test-verify-judge");
	rm_rf(scratch);
	mkdirs("store/Users/a");
	mkdirs("c/Users/a");
	map = uk_pathmap_new();
	excl = uk_patternset_new();
	rd = uk_rdir_new();
	snprintf(spec, sizeof(spec), "C=%s", at("c"));
	assert_int_equal(uk_pathmap_add_root(map, spec, err, sizeof(err)), 0);
	assert_int_equal(uk_patternset_add(excl, "C:\\Users\\* [*.tmp]", err, sizeof(err)), 0);
	return 0;
}

static int teardown(void **state)
{
	rm_rf(scratch);
	free(scratch);
	uk_pathmap_free(map);
	uk_patternset_free(excl);
	uk_rdir_free(rd);
	return 0;
}

/* A record for store entry store/<rel>, restored at c/<rel>, as verify.c builds it. */
static uk_vrec *rec(const char *rel)
{
	uk_vrec *r = calloc(1, sizeof(*r));
	char win[512], srel[512], *p;

	assert_non_null(r);
	snprintf(win, sizeof(win), "C:\\%s", rel);
	for (p = win; *p; p++)
		if (*p == '/')
			*p = '\\';
	r->verdict = UK_V_NONE;
	r->restored_readonly = -1;
	r->type = UK_FT_FILE;
	r->rel = strdup(rel);
	r->win = strdup(win);
	snprintf(srel, sizeof(srel), "store/%s", rel);
	r->store_path = strdup(at(srel));
	r->own_names = 1; /* rel and store_path are this record's to free */
	r->local = uk_pathmap_win_to_local(map, r->win);
	assert_non_null(r->local);
	return r;
}

/* uk_judge(), then the hash job the pool would run, then the sole-copy rule. */
static int judge(const uk_judge_ctx *c, uk_vrec *r, int *hashed)
{
	int st_err = uk_fs_lstat(r->store_path, &r->st);
	uint64_t bytes = 0;

	*hashed = 0;
	/* The folder listing is cached by path: these tests change folders between calls. */
	uk_rdir_free(rd);
	rd = uk_rdir_new();
	assert_non_null(rd);
	if (uk_judge(c, rd, r, st_err)) {
		uk_hashjob *j = &r->job;
		for (int i = 0; i < 2; i++)
			if (j->path[i])
				j->err[i] = uk_hash_file(j->path[i], &j->h[i], &j->bytes[i]);
		uk_judge_hashed(r, &bytes);
		*hashed = 1;
	}
	uk_judge_sole_copy(r);
	return r->verdict;
}

static void test_identity_decides_without_reading(void **state)
{
	uk_judge_ctx c = { .exclude = excl, .map = map };
	uk_vrec *r;
	int hashed;

	put("c/Users/a/linked.txt", "same file");
	assert_int_equal(uk_fs_link(at("c/Users/a/linked.txt"), at("store/Users/a/linked.txt")), 0);
	r = rec("Users/a/linked.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_LINKED);
	assert_int_equal(hashed, 0);
	assert_int_equal(r->sole_copy, 0);
	assert_true(r->has_restored_id);
	uk_vrec_free(r);
	/* --hash=always reads the store entry once, the restored side not at all. */
	c.hash_always = 1;
	r = rec("Users/a/linked.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_LINKED);
	assert_int_equal(hashed, 1);
	assert_true(r->hashed);
	assert_null(r->job.path[1]);
	uk_vrec_free(r);
}

static void test_copies_are_hashed(void **state)
{
	uk_judge_ctx c = { .exclude = excl, .map = map };
	uk_vrec *r;
	int hashed;

	put("store/Users/a/copy.txt", "equal bytes");
	put("c/Users/a/copy.txt", "equal bytes");
	r = rec("Users/a/copy.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_IDENTICAL);
	assert_int_equal(hashed, 1);
	assert_int_equal(r->sole_copy, 0);
	uk_vrec_free(r);

	/* Same size, other content: modified, and the store holds the only copy. */
	put("store/Users/a/edit.txt", "version 1");
	put("c/Users/a/edit.txt", "version 2");
	r = rec("Users/a/edit.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_MODIFIED);
	assert_int_equal(hashed, 1);
	assert_int_equal(r->sole_copy, 1);
	uk_vrec_free(r);

	/* Another size: decided without reading. */
	put("c/Users/a/edit.txt", "version 2, longer");
	r = rec("Users/a/edit.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_MODIFIED);
	assert_int_equal(hashed, 0);
	uk_vrec_free(r);

	/* A folder where the file should be. */
	put("store/Users/a/dir.txt", "x");
	mkdirs("c/Users/a/dir.txt");
	r = rec("Users/a/dir.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_MODIFIED);
	assert_non_null(strstr(r->error, "folder"));
	uk_vrec_free(r);
}

static void test_missing_excluded_unreadable(void **state)
{
	uk_judge_ctx c = { .exclude = excl, .map = map };
	uk_vrec *r;
	int hashed;

	put("store/Users/a/gone.txt", "only here");
	r = rec("Users/a/gone.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_MISSING);
	assert_int_equal(r->sole_copy, 1);
	uk_vrec_free(r);

	/* The restored folder itself is missing. */
	mkdirs("store/Users/a/New");
	put("store/Users/a/New/f.txt", "new");
	r = rec("Users/a/New/f.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_MISSING);
	uk_vrec_free(r);

	/* A second link to the store entry elsewhere: missing, not a sole copy. */
	assert_int_equal(uk_fs_link(at("store/Users/a/gone.txt"), at("c/elsewhere.txt")), 0);
	r = rec("Users/a/gone.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_MISSING);
	assert_int_equal(r->sole_copy, 0);
	uk_vrec_free(r);

	put("store/Users/a/x.tmp", "excluded");
	r = rec("Users/a/x.tmp");
	assert_int_equal(judge(&c, r, &hashed), UK_V_EXCLUDED);
	assert_int_equal(r->sole_copy, 0);
	uk_vrec_free(r);

	/* The store entry vanished between walk and stat: unreadable, a sole copy. */
	r = rec("Users/a/never.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_UNREADABLE);
	assert_non_null(strstr(r->error, "store entry"));
	assert_int_equal(r->sole_copy, 1);
	uk_vrec_free(r);

	/* No local path (no --root for the drive). */
	put("store/Users/a/d.txt", "d");
	r = rec("Users/a/d.txt");
	free(r->local);
	r->local = NULL;
	assert_int_equal(judge(&c, r, &hashed), UK_V_UNREADABLE);
	assert_non_null(strstr(r->error, "--root"));
	uk_vrec_free(r);
}

static void test_repair(void **state)
{
	uk_judge_ctx c = { .exclude = excl, .repair = 1, .map = map };
	uk_pathmap *gone = uk_pathmap_new();
	char err[256], spec[4200];
	uk_vrec *r;
	int hashed;

	mkdirs("store/Users/a/Deep/er");
	put("store/Users/a/Deep/er/f.txt", "deep");
	r = rec("Users/a/Deep/er/f.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_LINKED);
	assert_int_equal(r->repaired, 1);
	assert_int_equal(r->sole_copy, 0);
	uk_vrec_free(r);

	/* A root that vanished: repair never creates it, nor anything above. */
	snprintf(spec, sizeof(spec), "C=%s", at("vanished/root"));
	assert_int_equal(uk_pathmap_add_root(gone, spec, err, sizeof(err)), 0);
	c.map = gone;
	put("store/Users/a/r.txt", "r");
	r = rec("Users/a/r.txt");
	free(r->local);
	r->local = uk_pathmap_win_to_local(gone, r->win);
	assert_int_equal(judge(&c, r, &hashed), UK_V_MISSING);
	assert_int_equal(r->repaired, 0);
	assert_non_null(strstr(r->error, "--root folder does not exist"));
	uk_vrec_free(r);
	{
		uk_stat st;
		assert_int_not_equal(uk_fs_lstat(at("vanished"), &st), 0);
	}
	uk_pathmap_free(gone);
}

/* A restored folder spelled in another case, non-ASCII letters too. */
static void test_restored_folder_case(void **state)
{
	uk_judge_ctx c = { .exclude = excl, .map = map };
	uk_vrec *r;
	int hashed;

	mkdirs("store/Users/a/\xc3\xa4rger");
	mkdirs("c/Users/a/\xc3\x84RGER");
	put("c/Users/a/\xc3\x84RGER/\xce\xa3.txt", "sigma");
	assert_int_equal(uk_fs_link(at("c/Users/a/\xc3\x84RGER/\xce\xa3.txt"),
	                            at("store/Users/a/\xc3\xa4rger/\xcf\x83.txt")), 0);
	r = rec("Users/a/\xc3\xa4rger/\xcf\x83.txt");
	assert_int_equal(judge(&c, r, &hashed), UK_V_LINKED);
	/* Where the file system does not fold the name itself, verify did. */
	{
		uk_stat st;
		if (uk_fs_lstat(at("c/Users/a/\xc3\xa4rger"), &st) != 0)
			assert_non_null(strstr(r->restored, "\xc3\x84RGER"));
	}
	uk_vrec_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_decides_without_reading),
		cmocka_unit_test(test_copies_are_hashed),
		cmocka_unit_test(test_missing_excluded_unreadable),
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_restored_folder_case),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
