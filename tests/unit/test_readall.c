/* uk_readall_file on real files: the cap, buffer growth, errors. */
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
#include "readall.h"

static void put(const char *rel, const char *data, size_t n)
{
	FILE *f = uk_fs_fopen(at(rel), "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static int setup(void **state)
{
	const char *b = getenv("UK_BUILD");

	scratch = uk_path_join(b ? b : "build", "tmp-test-readall");
	rm_rf(scratch);
	assert_int_equal(uk_fs_mkdir_p(scratch), 0);
	return 0;
}

static int teardown(void **state)
{
	rm_rf(scratch);
	free(scratch);
	return 0;
}

static void test_empty_and_small(void **state)
{
	char *buf, err[256];
	size_t n;

	put("empty", "", 0);
	assert_int_equal(uk_readall_file(at("empty"), 100, &buf, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	assert_int_equal(buf[0], '\0');
	free(buf);
	put("small", "a\0b", 3);
	assert_int_equal(uk_readall_file(at("small"), 100, &buf, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(buf, "a\0b", 4); /* NUL kept inside, one added after */
	free(buf);
}

/* Larger than the first buffer: grows, every byte in order. */
static void test_growth(void **state)
{
	size_t size = 100000, n;
	char *data = malloc(size), *buf, err[256];

	assert_non_null(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i * 7 + i / 251);
	put("big", data, size);
	assert_int_equal(uk_readall_file(at("big"), size, &buf, &n, err, sizeof(err)), 0);
	assert_int_equal(n, size);
	assert_memory_equal(buf, data, size);
	assert_int_equal(buf[size], '\0');
	free(buf);
	free(data);
}

/* Exactly the cap is read; one byte more is refused, the buffer freed. */
static void test_cap(void **state)
{
	char data[5000], *buf, err[256];
	size_t n;

	memset(data, 'x', sizeof(data));
	put("capped", data, sizeof(data));
	assert_int_equal(uk_readall_file(at("capped"), sizeof(data), &buf, &n, err, sizeof(err)), 0);
	assert_int_equal(n, sizeof(data));
	free(buf);
	assert_int_equal(uk_readall_file(at("capped"), sizeof(data) - 1, &buf, &n, err,
	                                 sizeof(err)), -1);
	assert_null(buf);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err, "larger than 4999 bytes: refused"));
	assert_non_null(strstr(err, "capped"));
}

static void test_errors(void **state)
{
	char *buf, err[256];
	size_t n;

	assert_int_equal(uk_readall_file(at("absent"), 100, &buf, &n, err, sizeof(err)), -1);
	assert_null(buf);
	assert_non_null(strstr(err, "absent: "));
	/* A folder is not a file to read. */
	assert_int_equal(uk_fs_mkdir_p(at("folder")), 0);
	assert_int_equal(uk_readall_file(at("folder"), 100, &buf, &n, err, sizeof(err)), -1);
	assert_null(buf);
	assert_non_null(strstr(err, "folder: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_small),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
