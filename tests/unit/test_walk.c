/* The iterative walk on real trees: order, post-order, links not followed,
 * deep paths, identities from the listing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scratch.h"
#ifndef _WIN32
#include <unistd.h> /* symlink(): the test builds a trap; the walk itself uses fs.h */
#endif

#include "fs.h"
#include "walk.h"


static void touch(const char *rel, const char *content)
{
	FILE *f = fopen(at(rel), "wb");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static int setup(void **state)
{
	const char *b = getenv("UK_BUILD");

	scratch = uk_path_join(b ? b : "build", "tmp-test-walk");
	rm_rf(scratch);
	assert_int_equal(uk_fs_mkdir_p(at("tree/b/deep")), 0);
	assert_int_equal(uk_fs_mkdir_p(at("tree/a")), 0);
	assert_int_equal(uk_fs_mkdir_p(at("tree/empty")), 0);
	assert_int_equal(uk_fs_mkdir_p(at("outside/secret")), 0);
	touch("tree/z.txt", "z");
	touch("tree/a.txt", "a");
	touch("tree/a/1", "1");
	touch("tree/b/deep/2", "22");
	touch("outside/secret/never", "x");
	return 0;
}

static int teardown(void **state)
{
	rm_rf(scratch);
	free(scratch);
	return 0;
}

/* "rel:type:depth:post" of every entry, joined by spaces. */
static char *collect(const char *dir, unsigned flags)
{
	static char buf[4096];
	uk_walk *w;
	uk_walk_entry e;
	size_t len = 0;
	int rc;

	buf[0] = '\0';
	assert_int_equal(uk_walk_open(dir, flags, &w), 0);
	while ((rc = uk_walk_next(w, &e)) > 0) {
		uk_stat st;
		assert_int_equal(e.err, 0);
		assert_int_not_equal(e.type, UK_FT_UNKNOWN);
		assert_int_equal(uk_fs_lstat(e.path, &st), 0);
		assert_int_equal(st.type, e.type);
		if (e.has_id)
			assert_true(st.id.lo == e.id.lo && st.id.hi == e.id.hi);
		assert_string_equal(e.name, strrchr(e.path, UK_SEP) + 1);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s:%s:%d:%d",
		                        len ? " " : "", e.rel, uk_ftype_name(e.type),
		                        e.depth, e.post);
	}
	assert_int_equal(rc, 0);
	uk_walk_close(w);
	return buf;
}

static void test_preorder(void **state)
{
	assert_string_equal(collect(at("tree"), 0),
		"a.txt:file:0:0 z.txt:file:0:0 a:dir:0:0 a/1:file:1:0 "
		"b:dir:0:0 b/deep:dir:1:0 b/deep/2:file:2:0 empty:dir:0:0");
}

static void test_postorder(void **state)
{
	assert_string_equal(collect(at("tree"), UK_WALK_POST),
		"a.txt:file:0:0 z.txt:file:0:0 a:dir:0:0 a/1:file:1:0 a:dir:0:1 "
		"b:dir:0:0 b/deep:dir:1:0 b/deep/2:file:2:0 b/deep:dir:1:1 b:dir:0:1 "
		"empty:dir:0:0 empty:dir:0:1");
}

static void test_links_not_followed(void **state)
{
#ifdef _WIN32
	skip(); /* creating a symbolic link needs a privilege; the Wine suite covers links */
#else
	char target[4096];

	snprintf(target, sizeof(target), "%s", at("outside"));
	assert_int_equal(symlink(target, at("tree/b/trap")), 0);
	assert_string_equal(collect(at("tree"), UK_WALK_POST),
		"a.txt:file:0:0 z.txt:file:0:0 a:dir:0:0 a/1:file:1:0 a:dir:0:1 "
		"b:dir:0:0 b/trap:link:1:0 b/deep:dir:1:0 b/deep/2:file:2:0 b/deep:dir:1:1 "
		"b:dir:0:1 empty:dir:0:0 empty:dir:0:1");
	/* A root that is a link is not walked. */
	uk_walk *w;
	assert_int_not_equal(uk_walk_open(at("tree/b/trap"), 0, &w), 0);
	assert_int_equal(uk_fs_unlink(at("tree/b/trap")), 0);
	uk_stat st;
	assert_int_equal(uk_fs_lstat(at("outside/secret/never"), &st), 0);
#endif
}

static void test_errors(void **state)
{
	uk_walk *w = (uk_walk *)1;

	assert_true(uk_fs_err_notfound(uk_walk_open(at("nope"), 0, &w)));
	assert_null(w);
	assert_int_not_equal(uk_walk_open(at("tree/z.txt"), 0, &w), 0);
	/* An empty folder: nothing, at once. */
	assert_string_equal(collect(at("tree/empty"), UK_WALK_POST), "");
}

/* 120 levels of 30-character names: paths far over 260 characters. */
static void test_deep(void **state)
{
	char rel[4096] = "deep";
	const char *seg = "/a folder name of 30 chars 123";
	uk_walk *w;
	uk_walk_entry e;
	int dirs = 0, files = 0, maxdepth = 0, posts = 0;

	for (int i = 0; i < 120; i++)
		strcat(rel, seg);
	assert_int_equal(uk_fs_mkdir_p(at(rel)), 0);
	strcat(rel, "/leaf.txt");
	touch(rel, "leaf");
	assert_int_equal(uk_walk_open(at("deep"), UK_WALK_POST, &w), 0);
	while (uk_walk_next(w, &e) > 0) {
		if (e.type == UK_FT_DIR)
			e.post ? posts++ : dirs++;
		else {
			files++;
			assert_string_equal(e.rel, rel + 5);
			assert_true(strlen(e.path) > 3600);
		}
		if (e.depth > maxdepth)
			maxdepth = e.depth;
	}
	uk_walk_close(w);
	assert_int_equal(dirs, 120);
	assert_int_equal(posts, 120);
	assert_int_equal(files, 1);
	assert_int_equal(maxdepth, 120);
}

/* UK_WALK_THREAD and UK_WALK_STAT: the entries of the plain walk, in its
 * order, over more entries than one batch holds; every non-folder with its
 * lstat; closed halfway through, the walking thread ends. */
static void test_ahead(void **state)
{
	char rel[64];
	uk_walk *plain, *w;
	uk_walk_entry a, b;
	int ra, rb, n = 0, files = 0;

	for (int d = 0; d < 3; d++)
		for (int i = 0; i < 300; i++) {
			snprintf(rel, sizeof(rel), "wide/d%d/sub/f%03d", d, i);
			if (i == 0) {
				*strrchr(rel, '/') = '\0';
				assert_int_equal(uk_fs_mkdir_p(at(rel)), 0);
				snprintf(rel, sizeof(rel), "wide/d%d/f%03d", d, i);
			}
			touch(rel, i % 2 ? "odd" : "even!");
		}
	/* Listing only on the thread (UK_WALK_NOSTAT): the same entries, and
	 * uk_walk_lstat still answers for each. */
	static const unsigned sets[] = { UK_WALK_STAT, UK_WALK_THREAD,
	                                 UK_WALK_THREAD | UK_WALK_NOSTAT };
	for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		unsigned flags = sets[k];
		int taken = !(flags & UK_WALK_NOSTAT); /* b.st came with the entry */
		for (unsigned post = 0; post <= UK_WALK_POST; post++) {
			assert_int_equal(uk_walk_open(at("wide"), post, &plain), 0);
			assert_int_equal(uk_walk_open(at("wide"), flags | post, &w), 0);
			for (;;) {
				ra = uk_walk_next(plain, &a);
				rb = uk_walk_next(w, &b);
				assert_int_equal(ra, rb);
				if (ra <= 0)
					break;
				n++;
				assert_string_equal(a.path, b.path);
				assert_string_equal(a.rel, b.rel);
				assert_string_equal(a.name, b.name);
				assert_int_equal(a.type, b.type);
				assert_int_equal(a.depth, b.depth);
				assert_int_equal(a.post, b.post);
				assert_int_equal(a.err, b.err);
				assert_int_equal(a.has_id, b.has_id);
				assert_true(uk_fid_equal(&a.id, &b.id) || !a.has_id);
				if (b.type != UK_FT_DIR) {
					uk_stat sa, sb;
					files++;
					assert_int_equal(b.st_err, 0);
					assert_int_equal(uk_walk_lstat(plain, &a, &sa), 0);
					assert_int_equal(uk_walk_lstat(w, &b, &sb), 0);
					if (taken) {
						assert_true(uk_fid_equal(&sa.id, &b.st.id));
						assert_int_equal(sa.size, b.st.size);
					}
					assert_true(uk_fid_equal(&sa.id, &sb.id));
					assert_int_equal(sa.size, sb.size);
					assert_int_equal(sa.size, strcmp(b.name + 1, "000") &&
					                 (b.name[3] - '0') % 2 ? 3 : 5);
					assert_int_equal(sa.nlink, sb.nlink);
					assert_int_equal(sa.type, sb.type);
				}
			}
			assert_int_equal(ra, 0);
			uk_walk_close(plain);
			uk_walk_close(w);
		}
	}
	assert_int_equal(files, 6 * 900);
	assert_int_equal(n, 3 * (2 * 906 + 6));
	/* Closed after a few entries: the thread is stopped and joined. */
	assert_int_equal(uk_walk_open(at("wide"), UK_WALK_THREAD, &w), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(uk_walk_next(w, &b), 1);
	uk_walk_close(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preorder),
		cmocka_unit_test(test_postorder),
		cmocka_unit_test(test_links_not_followed),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_ahead),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
