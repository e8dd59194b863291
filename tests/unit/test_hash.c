/* XXH3-128 known answers (computed with Debian's `xxhsum -H2`, an independent
 * build of xxHash), file hashing across read-chunk boundaries, the pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fs.h"
#include "hash.h"

/* Byte i of a test pattern: (i * 7 + 3) & 255, as generated for xxhsum. */
static unsigned char *pattern(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);

	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 7 + 3) & 255);
	return p;
}

static const struct kat { size_t n; const char *hex; } kats[] = {
	{ 0, "99aa06d3014798d86001c324468d497f" },
	{ 1, "22bbb76b211a39ba13e608bc156defed" },
	{ 3, "ce31763cbf8245a5a9088dda485b481c" },
	{ 240, "ad46c1021b076bc704e0b5f034bee80b" },
	{ 1000000, "0e8e6fe1a1638b080a8b9cfcd629bb97" },
	{ 3000000, "fa69b0fe764131a5631d9e1c5110ba67" },
};

static char *tmpfile_path(const char *name)
{
	const char *b = getenv("UK_BUILD");
	char *dir = uk_path_join(b ? b : "build", "tmp-test-hash");
	char *p;

	assert_int_equal(uk_fs_mkdir_p(dir), 0);
	p = uk_path_join(dir, name);
	free(dir);
	return p;
}

static char *write_pattern(size_t n)
{
	char name[32], *path;
	unsigned char *p = pattern(n);
	FILE *f;

	snprintf(name, sizeof(name), "p%zu", n);
	path = tmpfile_path(name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
	free(p);
	return path;
}

static void test_mem_known_answers(void **state)
{
	char hex[UK_HASH_STRLEN];
	uk_hash128 h;

	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		unsigned char *p = pattern(kats[i].n);
		uk_hash_mem(p, kats[i].n, &h);
		uk_hash_str(&h, hex);
		assert_string_equal(hex, kats[i].hex);
		free(p);
	}
	uk_hash_mem("usmtkit", 7, &h);
	uk_hash_str(&h, hex);
	assert_string_equal(hex, "d695d951d6cf9d2c2a8a9c4b53e33eed");
}

static void test_file_known_answers(void **state)
{
	char hex[UK_HASH_STRLEN];
	uk_hash128 h;
	uint64_t bytes;

	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		char *path = write_pattern(kats[i].n);
		assert_int_equal(uk_hash_file(path, &h, &bytes), 0);
		assert_int_equal(bytes, kats[i].n);
		uk_hash_str(&h, hex);
		assert_string_equal(hex, kats[i].hex);
		uk_fs_unlink(path);
		free(path);
	}
}

/* Sizes at the 1 MiB read boundary agree with the one-shot hash. */
static void test_chunk_boundaries(void **state)
{
	const size_t sizes[] = { (1u << 20) - 1, 1u << 20, (1u << 20) + 1, 2u << 20 };

	for (size_t i = 0; i < 4; i++) {
		unsigned char *p = pattern(sizes[i]);
		char *path = write_pattern(sizes[i]);
		uk_hash128 a, b;
		uint64_t bytes;

		uk_hash_mem(p, sizes[i], &a);
		assert_int_equal(uk_hash_file(path, &b, &bytes), 0);
		assert_int_equal(bytes, sizes[i]);
		assert_true(a.hi == b.hi && a.lo == b.lo);
		uk_fs_unlink(path);
		free(path);
		free(p);
	}
}

/* Streamed in uneven pieces, the known answers still come out. */
static void test_stream_known_answers(void **state)
{
	char hex[UK_HASH_STRLEN];
	uk_hash128 h;

	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		unsigned char *p = pattern(kats[i].n);
		uk_hash_stream *s = uk_hash_stream_new();
		size_t off = 0, piece = 1;

		assert_non_null(s);
		while (off < kats[i].n) {
			size_t n = kats[i].n - off < piece ? kats[i].n - off : piece;
			uk_hash_stream_update(s, p + off, n);
			off += n;
			piece = piece * 3 + 7;
		}
		uk_hash_stream_digest(s, &h);
		uk_hash_str(&h, hex);
		assert_string_equal(hex, kats[i].hex);
		uk_hash_stream_free(s);
		free(p);
	}
}

static void test_errors(void **state)
{
	char *path = tmpfile_path("does-not-exist");
	char *dir = tmpfile_path("");
	uk_hash128 h;
	uint64_t bytes = 7;

	assert_true(uk_fs_err_notfound(uk_hash_file(path, &h, &bytes)));
	assert_int_equal(bytes, 0);
	/* A folder is not hashed. */
	assert_int_not_equal(uk_hash_file(dir, &h, &bytes), 0);
	free(path);
	free(dir);
}

/* Small jobs wait to go to the workers in a group (or until collect()
 * waits); a job said to be large goes at once. */
static void test_pool_groups(void **state)
{
	double t;
	char *small = write_pattern(240), *big = write_pattern(3000000);
	uk_hashpool *p = uk_hashpool_new(2);
	uk_hashjob a = { .path = { small }, .size = 240 }, b = { .path = { big }, .size = 3000000 };
	uk_hashjob c = { .path = { small }, .size = 240 };
	uk_hashjob *j = NULL;

	assert_non_null(p);
	uk_hashpool_submit(p, &a);
	for (t = uk_fs_monotonic(); uk_fs_monotonic() - t < 0.2;)
		assert_null(uk_hashpool_collect(p, 0));
	assert_ptr_equal(uk_hashpool_collect(p, 1), &a); /* a wait hands it over */
	assert_int_equal(a.bytes[0], 240);
	uk_hashpool_submit(p, &b);
	for (t = uk_fs_monotonic(); !j && uk_fs_monotonic() - t < 30;)
		j = uk_hashpool_collect(p, 0);
	assert_ptr_equal(j, &b);
	assert_int_equal(b.err[0], 0);
	assert_int_equal(b.bytes[0], 3000000);
	uk_hashpool_submit(p, &c); /* still staged: freeing the pool runs it */
	uk_hashpool_free(p);
	assert_int_equal(c.err[0], 0);
	assert_int_equal(c.bytes[0], 240);
	uk_fs_unlink(small);
	uk_fs_unlink(big);
	free(small);
	free(big);
}

static void test_pool(void **state)
{
	enum { N = 40 };
	uk_hashjob jobs[N];
	char *paths[3];
	const size_t sizes[3] = { 0, 240, 3000000 };
	uk_hashpool *p = uk_hashpool_new(3);
	char *missing = tmpfile_path("missing");
	int seen[N] = { 0 };
	uk_hashjob *j;

	assert_non_null(p);
	for (int i = 0; i < 3; i++)
		paths[i] = write_pattern(sizes[i]);
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < N; i++) {
		jobs[i].path[0] = paths[i % 3];
		jobs[i].path[1] = i % 5 == 0 ? missing : i % 2 ? paths[(i + 1) % 3] : NULL;
		jobs[i].user = &seen[i];
		uk_hashpool_submit(p, &jobs[i]);
	}
	assert_int_equal(uk_hashpool_inflight(p), N);
	while ((j = uk_hashpool_collect(p, 1)) != NULL) {
		int i = (int)(j - jobs);
		char hex[UK_HASH_STRLEN];

		assert_ptr_equal(j->user, &seen[i]);
		seen[i]++;
		assert_int_equal(j->err[0], 0);
		assert_int_equal(j->bytes[0], sizes[i % 3]);
		uk_hash_str(&j->h[0], hex);
		assert_string_equal(hex, kats[i % 3 == 0 ? 0 : i % 3 == 1 ? 3 : 5].hex);
		if (i % 5 == 0)
			assert_true(uk_fs_err_notfound(j->err[1]));
		else if (i % 2)
			assert_int_equal(j->bytes[1], sizes[(i + 1) % 3]);
	}
	assert_int_equal(uk_hashpool_inflight(p), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(seen[i], 1);
	assert_null(uk_hashpool_collect(p, 1));
	uk_hashpool_free(p);
	for (int i = 0; i < 3; i++) {
		uk_fs_unlink(paths[i]);
		free(paths[i]);
	}
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem_known_answers),
		cmocka_unit_test(test_file_known_answers),
		cmocka_unit_test(test_chunk_boundaries),
		cmocka_unit_test(test_stream_known_answers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_pool_groups),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char *dir = tmpfile_path("");

	uk_fs_rmdir(dir);
	free(dir);
	return rc;
}
