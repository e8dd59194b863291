/* /progress logs: fixed fields, key/value pairs, errors and Abort. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "usmtlog.h"
#include "usmtlog_collect.h"

static const char progress[] =
	"15 Jan 2011, 20:40:00 -08:00, 00:00:00, program, LoadState.exe, productVersion, "
	"10.0.19041.1, computerName, PC-0042, commandLine, loadstate.exe C:\\USMTMIG /c "
	"/hardlink /nocompress /progress:C:\\Windows\\Temp\\prog.log\r\n"
	"15 Jan 2011, 20:40:01 -08:00, 00:00:01, PHASE, Initializing\r\n"
	"15 Jan 2011, 20:46:21 -08:00, 00:04:48, totalPercentageCompleted, 48\r\n"
	"15 Jan 2011, 20:46:22 -08:00, 00:04:49, error, UnableToApply, objectName, "
	"C:\\Users\\bob\\Documents\\Smith, John & Co.docx, action, Ignore, errorCode, 32, "
	"numberOfIgnoredErrors, 1\r\n"
	"15 Jan 2011, 20:46:23 -08:00, 00:04:50, error, UnableToCopy, objectName, "
	"C:\\Users\\bob\\x.pst, action, Ignore, errorCode, 0x00000021, numberOfIgnoredErrors, 2\r\n"
	"not a progress line\r\n"
	"8 Jun 2023, 10:00:00, 00:05:00, totalPercentageCompleted, 100\r\n";

static void test_progress_log(void **state)
{
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, progress, sizeof progress - 1, &info);
	assert_int_equal(info.kind, UK_LOG_PROGRESS);
	assert_int_equal(info.runs, 0);
	assert_int_equal(info.unknown_lines, 1);
	assert_int_equal(info.progress.program, UK_LOG_LOADSTATE);
	assert_string_equal(info.progress.version, "10.0.19041.1");
	assert_string_equal(info.progress.computer, "PC-0042");
	assert_true(strstr(info.progress.command_line, "/c /hardlink") != NULL);
	assert_false(info.progress.aborted);
	assert_int_equal(info.progress.ignored, 2);
	assert_int_equal(info.progress.errors, 2);
	assert_int_equal(c.nperrors, 2);
	assert_string_equal(c.perrors[0].time, "2011-01-15T20:46:22-08:00");
	assert_string_equal(c.perrors[0].error, "UnableToApply");
	assert_string_equal(c.perrors[0].path, "C:\\Users\\bob\\Documents\\Smith, John & Co.docx");
	assert_string_equal(c.perrors[0].action, "Ignore");
	assert_int_equal(c.perrors[0].win32, 32);
	assert_int_equal(c.perrors[1].win32, 33);
	assert_int_equal(c.perrors[1].seq, 1);
	assert_string_equal(c.unknown[0], "not a progress line");
	collect_free(&c);
}

static void test_progress_abort(void **state)
{
	static const char ab[] =
		"08 Jun 2023, 10:00:00, 00:00:00, program, ScanState.exe\n"
		"08 Jun 2023, 10:00:05, 00:00:05, error, UnableToAccessDevice, action, Abort\n";
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, ab, sizeof ab - 1, &info);
	assert_int_equal(info.progress.program, UK_LOG_SCANSTATE);
	assert_true(info.progress.aborted);
	assert_int_equal(c.nperrors, 1);
	assert_null(c.perrors[0].path);
	assert_int_equal(c.perrors[0].win32, -1);
	assert_string_equal(c.perrors[0].time, "2023-06-08T10:00:05");
	collect_free(&c);
}

static void test_not_progress(void **state)
{
	static const char *const bad[] = {
		"08 Jum 2023, 10:00:00, 00:00:00, x, y\n",
		"08 Jun 2023, 10:00, 00:00:00, x, y\n",
		"08 Jun 2023, 10:00:00 +0100, 00:00:00, x\n",
		"108 Jun 2023, 10:00:00, 00:00:00, x\n",
		"08 Jun 2023, 10:00:00, 00:00:00x\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uk_log_collect c;
		uk_log_info info;
		collect_mem(&c, bad[i], strlen(bad[i]), &info);
		assert_int_equal(info.kind, UK_LOG_EMPTY);
		assert_int_equal(info.unknown_lines, 1);
		collect_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_progress_log),
		cmocka_unit_test(test_progress_abort),
		cmocka_unit_test(test_not_progress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
