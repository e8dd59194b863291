/* uk_grow: room for one more item, doubling from the first size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "grow.h"

static void test_grows_and_keeps(void **state)
{
	int *a = NULL;
	size_t n, cap = 0;

	(void)state;
	for (n = 0; n < 1000; n++) {
		assert_int_equal(uk_grow(&a, n, &cap, sizeof(*a), 4), 0);
		assert_true(cap > n);
		a[n] = (int)n * 7;
	}
	/* 4, 8, ... 1024: doubling, never more than twice what is used. */
	assert_int_equal(cap, 1024);
	for (n = 0; n < 1000; n++)
		assert_int_equal(a[n], (int)n * 7);
	/* Room left: nothing moves. */
	int *before = a;
	assert_int_equal(uk_grow(&a, 1000, &cap, sizeof(*a), 4), 0);
	assert_ptr_equal(a, before);
	free(a);
}

static void test_overflow_refused(void **state)
{
	char *a = NULL;
	size_t cap = SIZE_MAX / 2 + 1;

	(void)state;
	/* Doubling would wrap: refused, the array and its size unchanged. */
	assert_int_equal(uk_grow(&a, cap, &cap, 1, 4), -1);
	assert_null(a);
	assert_int_equal(cap, SIZE_MAX / 2 + 1);
	cap = 0;
	assert_int_equal(uk_grow(&a, 0, &cap, SIZE_MAX / 2, 4), -1);
	assert_int_equal(cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_and_keeps),
		cmocka_unit_test(test_overflow_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
