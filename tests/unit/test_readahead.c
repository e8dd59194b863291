/* The read-ahead thread: every byte comes back once, in order, in chunks no
 * larger than UK_RA_CHUNK, across chunk boundaries and for an empty file;
 * its hash and size are those of the file; closing early never hangs. */
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
#include "readahead.h"
#include "scratch.h"

/* n pseudo-random bytes (a fixed LCG), written to a file named after n. */
static unsigned char *make(size_t n, char **path)
{
	unsigned char *p = malloc(n ? n : 1);
	uint32_t x = (uint32_t)n * 2654435761u + 1;
	char name[32];
	FILE *f;

	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (unsigned char)(x >> 16);
	}
	snprintf(name, sizeof(name), "f%zu", n);
	*path = strdup(at(name));
	f = uk_fs_fopen(*path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
	return p;
}

static void test_every_byte_in_order(void **state)
{
	const size_t sizes[] = { 0, 1, UK_RA_CHUNK - 1, UK_RA_CHUNK, UK_RA_CHUNK + 1,
	                         (UK_RA_BUFS + 2) * (size_t)UK_RA_CHUNK + 77 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *path;
		unsigned char *want = make(sizes[i], &path);
		uk_readahead *ra;
		const char *buf;
		size_t got, off = 0;
		uk_hash128 h, hw;
		uint64_t bytes;
		int rc;

		assert_int_equal(uk_readahead_open(path, NULL, &ra), 0);
		while ((rc = uk_readahead_next(ra, &buf, &got, NULL)) == 0 && got > 0) {
			assert_true(got <= UK_RA_CHUNK);
			assert_true(off + got <= sizes[i]);
			assert_memory_equal(buf, want + off, got);
			off += got;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(off, sizes[i]);
		/* After the end it stays at the end. */
		assert_int_equal(uk_readahead_next(ra, &buf, &got, NULL), 0);
		assert_int_equal(got, 0);
		uk_readahead_digest(ra, &h, &bytes);
		uk_hash_mem(want, sizes[i], &hw);
		assert_int_equal(bytes, sizes[i]);
		assert_true(h.hi == hw.hi && h.lo == hw.lo);
		uk_readahead_close(ra);
		uk_fs_unlink(path);
		free(path);
		free(want);
	}
}

/* Bytes below 0x10: the scan under test, run on both threads. */
static size_t low_bytes(const char *b, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += (unsigned char)b[i] < 0x10;
	return k;
}

/* The scan runs over each chunk on the reading thread, and its result
 * comes with that chunk; without a scan the result is 0. */
static void test_scan_comes_with_its_chunk(void **state)
{
	size_t size = (UK_RA_BUFS + 2) * (size_t)UK_RA_CHUNK + 77, got, scanned, chunks = 0;
	char *path;
	unsigned char *want = make(size, &path);
	uk_readahead *ra;
	const char *buf;

	(void)state;
	assert_int_equal(uk_readahead_open(path, low_bytes, &ra), 0);
	while (uk_readahead_next(ra, &buf, &got, &scanned) == 0 && got > 0) {
		assert_int_equal(scanned, low_bytes(buf, got));
		assert_true(scanned > 0);
		chunks++;
	}
	assert_int_equal(chunks, UK_RA_BUFS + 3);
	assert_int_equal(scanned, 0);
	uk_readahead_close(ra);
	assert_int_equal(uk_readahead_open(path, NULL, &ra), 0);
	assert_int_equal(uk_readahead_next(ra, &buf, &got, &scanned), 0);
	assert_true(got > 0);
	assert_int_equal(scanned, 0);
	uk_readahead_close(ra);
	uk_fs_unlink(path);
	free(path);
	free(want);
}

/* A reader that stops after one chunk (its parser gave up) closes at once,
 * with the thread blocked on a full queue. */
static void test_close_early(void **state)
{
	char *path;
	unsigned char *want = make((UK_RA_BUFS + 3) * (size_t)UK_RA_CHUNK, &path);
	uk_readahead *ra;
	const char *buf;
	size_t got;

	(void)state;
	assert_int_equal(uk_readahead_open(path, NULL, &ra), 0);
	uk_readahead_close(ra); /* before any chunk */
	assert_int_equal(uk_readahead_open(path, NULL, &ra), 0);
	assert_int_equal(uk_readahead_next(ra, &buf, &got, NULL), 0);
	assert_int_equal(got, UK_RA_CHUNK);
	assert_memory_equal(buf, want, got);
	uk_readahead_close(ra);
	uk_fs_unlink(path);
	free(path);
	free(want);
}

static void test_errors(void **state)
{
	uk_readahead *ra = (uk_readahead *)1;

	(void)state;
	assert_true(uk_fs_err_notfound(uk_readahead_open(at("does-not-exist"), NULL, &ra)));
	assert_null(ra);
	/* A folder is not read as a file. */
	assert_int_not_equal(uk_readahead_open(scratch, NULL, &ra), 0);
	assert_null(ra);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte_in_order),
		cmocka_unit_test(test_scan_comes_with_its_chunk),
		cmocka_unit_test(test_close_early),
		cmocka_unit_test(test_errors),
	};
	int rc;

	if (scratch_make("readahead") != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	scratch_remove();
	return rc;
}
