/* Windows-style case-insensitive names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "wincase.h"

static void test_cmp(void **state)
{
	assert_int_equal(uk_wincase_cmp("Report.DOCX", "report.docx"), 0);
	assert_int_equal(uk_wincase_cmp("Vacation Été.jpg", "vACATION éTÉ.JPG"), 0);
	assert_int_equal(uk_wincase_cmp("Отчёт", "ОТЧЁТ"), 0);
	assert_int_equal(uk_wincase_cmp("ΣΟΦΙΑ", "σοφια"), 0);
	assert_int_equal(uk_wincase_cmp("Łódź", "łÓDŹ"), 0);
	assert_int_not_equal(uk_wincase_cmp("a", "b"), 0);
	assert_int_not_equal(uk_wincase_cmp("abc", "ab"), 0);
	assert_true(uk_wincase_cmp("ab", "abc") < 0);
	/* Unfolded scripts and invalid bytes compare as themselves. */
	assert_int_equal(uk_wincase_cmp("写真 😀", "写真 😀"), 0);
	assert_int_not_equal(uk_wincase_cmp("a\xff", "a\xfe"), 0);
	assert_int_equal(uk_wincase_cmp("A\xff", "a\xff"), 0);
	assert_int_equal(uk_wincase_cmp("", ""), 0);
}

static void test_prefix_and_hash(void **state)
{
	assert_int_equal(uk_wincase_prefix("C:\\USERS\\JOSÉ\\x", "c:\\users\\josé", 14), 14);
	assert_int_equal(uk_wincase_prefix("C:\\Users\\Jo", "c:\\users\\josé", 14), 0);
	assert_int_equal(uk_wincase_prefix("anything", "", 0), 0);
	assert_int_equal(uk_wincase_hash("Été ÄÖÜ"), uk_wincase_hash("éTÉ äöü"));
	assert_int_not_equal(uk_wincase_hash("a"), uk_wincase_hash("b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_prefix_and_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
