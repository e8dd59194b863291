/* uk_bl_apply(): which verdict an entry gets against its baseline row. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../verify/baseline.h"
#include "../../verify/judge.h"

/* A hashed store file of 10 bytes, mtime 1000, link count `nlink`, with its
 * baseline row (same size and mtime, hash 1:2), judged `verdict`. */
static uk_vrec *rec(int verdict, uint32_t nlink)
{
	uk_vrec *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->type = UK_FT_FILE;
	r->st.type = UK_FT_FILE;
	r->st.size = 10;
	r->st.mtime = 1000;
	r->st.nlink = nlink;
	r->verdict = verdict;
	r->hashed = 1;
	r->hash = (uk_hash128){ 1, 2 };
	r->base.have = 1;
	r->base.has_mtime = 1;
	r->base.size = 10;
	r->base.mtime = 1000;
	r->base.hash = (uk_hash128){ 1, 2 };
	strcpy(r->base.taken_at, "2026-01-01T00:00:00Z");
	return r;
}

/* As finish() in verify.c: the sole-copy flag first, then the baseline. */
static void judge(uk_vrec *r)
{
	uk_judge_sole_copy(r);
	uk_bl_apply(r);
}

static void same_hash_keeps_the_verdict(void **state)
{
	const int verdicts[] = { UK_V_LINKED, UK_V_IDENTICAL, UK_V_MODIFIED, UK_V_MISSING };

	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		uk_vrec *r = rec(verdicts[i], 1);
		r->st.mtime = 2000; /* touched, content the same: not a finding */
		judge(r);
		assert_int_equal(r->verdict, verdicts[i]);
		assert_null(r->error);
		uk_vrec_free(r);
	}
}

static void corrupt_whatever_the_restored_file_says(void **state)
{
	const int verdicts[] = { UK_V_LINKED, UK_V_IDENTICAL, UK_V_MODIFIED, UK_V_MISSING };

	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		uk_vrec *r = rec(verdicts[i], 3); /* other links: not a sole copy by itself */
		r->hash.lo = 3;
		judge(r);
		assert_int_equal(r->verdict, UK_V_CORRUPT);
		assert_int_equal(r->sole_copy, 1);
		assert_non_null(r->error);
		assert_non_null(strstr(r->error, uk_verdict_name(verdicts[i])));
		assert_non_null(strstr(r->error, "2026-01-01T00:00:00Z"));
		uk_vrec_free(r);
	}
}

static void unknown_baseline_mtime_is_no_excuse(void **state)
{
	uk_vrec *r = rec(UK_V_IDENTICAL, 1);

	r->base.has_mtime = 0;
	r->hash.hi = 9;
	judge(r);
	assert_int_equal(r->verdict, UK_V_CORRUPT);
	uk_vrec_free(r);
}

static void an_edit_is_changed_since_capture(void **state)
{
	uk_vrec *r = rec(UK_V_MODIFIED, 1);

	r->hash.lo = 3;
	r->st.mtime = 2000;
	judge(r);
	assert_int_equal(r->verdict, UK_V_CHANGED);
	assert_int_equal(r->sole_copy, 1); /* modified, link count 1: as before */
	assert_non_null(strstr(r->error, "restored file: modified"));
	uk_vrec_free(r);

	r = rec(UK_V_IDENTICAL, 1);
	r->hash.lo = 3;
	r->st.size = 11; /* another size: an edit, whatever the time */
	judge(r);
	assert_int_equal(r->verdict, UK_V_CHANGED);
	assert_int_equal(r->sole_copy, 0); /* the restored file holds the same bytes */
	uk_vrec_free(r);

	r = rec(UK_V_MISSING, 2);
	r->hash.lo = 3;
	r->st.mtime = 2000;
	judge(r);
	assert_int_equal(r->verdict, UK_V_CHANGED);
	assert_int_equal(r->sole_copy, 0); /* Windows.old still links it */
	uk_vrec_free(r);
}

static void an_edit_of_a_linked_file_is_the_restored_files_own(void **state)
{
	uk_vrec *r = rec(UK_V_LINKED, 2);

	r->hash.lo = 3;
	r->st.mtime = 2000;
	judge(r);
	assert_int_equal(r->verdict, UK_V_LINKED);
	assert_int_equal(r->sole_copy, 0);
	uk_vrec_free(r);

	r = rec(UK_V_LINKED, 2); /* linked by --repair: it was missing */
	r->repaired = 1;
	r->hash.lo = 3;
	r->st.mtime = 2000;
	judge(r);
	assert_int_equal(r->verdict, UK_V_CHANGED);
	assert_non_null(strstr(r->error, "restored file: repaired"));
	uk_vrec_free(r);
}

static void nothing_to_compare(void **state)
{
	uk_vrec *r = rec(UK_V_IDENTICAL, 1);

	r->base.have = 0; /* no baseline row */
	r->hash.lo = 3;
	judge(r);
	assert_int_equal(r->verdict, UK_V_IDENTICAL);
	uk_vrec_free(r);

	r = rec(UK_V_LINKED, 2);
	r->hashed = 0; /* identity decided, nothing read */
	r->hash.lo = 3;
	judge(r);
	assert_int_equal(r->verdict, UK_V_LINKED);
	uk_vrec_free(r);

	r = rec(UK_V_UNREADABLE, 1);
	r->hash.lo = 3;
	judge(r);
	assert_int_equal(r->verdict, UK_V_UNREADABLE);
	assert_int_equal(r->sole_copy, 1);
	uk_vrec_free(r);

	r = rec(UK_V_EXCLUDED, 1);
	r->hash.lo = 3;
	judge(r);
	assert_int_equal(r->verdict, UK_V_EXCLUDED);
	assert_int_equal(r->sole_copy, 0);
	uk_vrec_free(r);
}

static void verdict_names(void **state)
{
	assert_string_equal(uk_verdict_name(UK_V_CORRUPT), "corrupt");
	assert_string_equal(uk_verdict_name(UK_V_CHANGED), "changed-since-capture");
	assert_string_equal(uk_verdict_name(UK_V_LOST), "lost-since-capture");
	assert_null(uk_verdict_name(UK_V_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_hash_keeps_the_verdict),
		cmocka_unit_test(corrupt_whatever_the_restored_file_says),
		cmocka_unit_test(unknown_baseline_mtime_is_no_excuse),
		cmocka_unit_test(an_edit_is_changed_since_capture),
		cmocka_unit_test(an_edit_of_a_linked_file_is_the_restored_files_own),
		cmocka_unit_test(nothing_to_compare),
		cmocka_unit_test(verdict_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
