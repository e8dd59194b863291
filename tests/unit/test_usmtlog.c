/* The LoadState/ScanState log reader: every extraction on real USMT lines,
 * run boundaries, continuation lines and the error summary table. */
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

#define L(level, code, msg) "2024-01-24 21:44:51, " level "[" code "] " msg "\r\n"
#define I(msg) L("Info                  ", "0x000000", msg)

static const char clean_run[] =
	I("LOADSTATE.EXE Version 10.0.19041[gle=0x000000b7]")
	I("USMT Started at 2024/01/24:21:40:02.120")
	I("Command line: C:\\USMT\\amd64\\loadstate.exe C:\\USMTMIG /i:MigDocs.xml "
	  "/lac /hardlink /nocompress /l:C:\\Windows\\Temp\\loadstate.log")
	L("Status                ", "0x000000", "Apply started at 1/24/2024 21:40:03")
	I("Success.")
	I("USMT Completed at 2024/01/24:21:44:51.690[gle=0x00000091]");

static void test_clean_run(void **state)
{
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, clean_run, sizeof clean_run - 1, &info);
	assert_int_equal(info.kind, UK_LOG_USMT);
	assert_string_equal(info.encoding, "utf-8");
	assert_true(info.crlf);
	assert_int_equal(info.runs, 1);
	assert_int_equal(c.nruns, 1);
	uk_log_run *r = &c.runs[0];
	assert_int_equal(r->program, UK_LOG_LOADSTATE);
	assert_string_equal(r->version, "10.0.19041");
	assert_string_equal(r->started, "2024-01-24T21:40:02.120");
	assert_string_equal(r->completed, "2024-01-24T21:44:51.690");
	assert_true(strstr(r->command_line, "/hardlink /nocompress") != NULL);
	assert_false(r->used_c);
	assert_int_equal(r->errors_ignored, -1);
	assert_false(r->has_return_code);
	assert_false(r->aborted);
	assert_int_equal(c.nevents, 0);
	collect_free(&c);
}

static const char c_run[] =
	I("LOADSTATE.EXE Version 10.0.19041")
	I("USMT Started at 2024/01/24:21:40:02.120")
	I("Command line: loadstate.exe C:\\USMTMIG /c /lac /hardlink /nocompress")
	L("Warning               ", "0x0803ba", "Found valid profile but can't get user "
	  "credentials. Will ignore due to error code: 0x00000534 User SID: "
	  "S-1-5-21-91555185-1181623535-1233803906-1640[gle=0x000000cb]")
	L("Error                 ", "0x080000", "Read error 395 for C:\\Users\\lcarroll\\OneDrive "
	  "- Giles & Co\\Q3 report.xlsx. Win32Exception: The cloud operation was unsuccessful."
	  "[gle=0x00000091]")
	L("Error                 ", "0x0802e9", "CopyStream: Can't copy streams from "
	  "{\"C:\\Users\\bob\\Documents\\Smith, John (draft).docx\"} to {\"C:\\x\"} object. "
	  "Error 32. Exception class UnBCL::IOException")
	L("Warning               ", "0x000000", "No path here, error code 0x80070005")
	I("Success, 37 errors ignored. See the log for more information.[gle=0x00000091]")
	I("LoadState return code: 3")
	I("USMT Completed at 2024/01/24:21:44:51.690[gle=0x00000091]")
	I("----------------------------------- USMT ERROR SUMMARY -----------------------------------")
	I("* One or more errors were encountered in migration (ordered by first occurence)")
	I("+-----------------------------------------------------------------------------------------")
	I("|    Error Code | Caused Abort | Recurrence | First Occurence")
	I("|           395 |           No |         36 | Read error 395 for C:\\Users\\lcarroll\\OneDrive - Gile...")
	I("|            32 |           No |          1 | CopyStream: Can't copy | streams")
	I("|             5 |          Yes | 99999999999999999999999999 | overflow")
	I("+-----------------------------------------------------------------------------------------");

static void test_c_run(void **state)
{
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, c_run, sizeof c_run - 1, &info);
	assert_int_equal(c.nruns, 1);
	uk_log_run *r = &c.runs[0];
	assert_true(r->used_c);
	assert_int_equal(r->errors_ignored, 37);
	assert_true(r->has_return_code);
	assert_int_equal(r->return_code, 3);

	assert_int_equal(c.nskipped, 1);
	assert_string_equal(c.skipped[0].sid, "S-1-5-21-91555185-1181623535-1233803906-1640");
	assert_int_equal(c.skipped[0].win32, 1332);

	assert_int_equal(c.nevents, 4);
	assert_int_equal(c.events[0].level, UK_LOG_WARNING);
	assert_string_equal(c.events[0].code, "0x0803ba");
	assert_int_equal(c.events[0].win32, 1332);
	assert_int_equal(c.events[0].gle, 0xcb);
	assert_null(c.events[0].path);
	assert_string_equal(c.events[0].time, "2024-01-24T21:44:51");

	assert_int_equal(c.events[1].level, UK_LOG_ERROR);
	assert_int_equal(c.events[1].win32, 395);
	assert_int_equal(c.events[1].gle, 0x91);
	assert_string_equal(c.events[1].path,
	                    "C:\\Users\\lcarroll\\OneDrive - Giles & Co\\Q3 report.xlsx");
	assert_null(strstr(c.events[1].message, "gle="));

	assert_int_equal(c.events[2].win32, 32);
	assert_string_equal(c.events[2].path,
	                    "C:\\Users\\bob\\Documents\\Smith, John (draft).docx");
	assert_int_equal(c.events[2].gle, -1);

	assert_int_equal(c.events[3].win32, 5); /* HRESULT 0x80070005 */
	assert_null(c.events[3].path);

	assert_int_equal(c.nsummary, 3);
	assert_true(c.summary[2].caused_abort);
	assert_true(c.summary[2].recurrence > 0);
	assert_true(r->abort_logged); /* "Caused Abort: Yes" */
	assert_int_equal(c.summary[0].win32, 395);
	assert_false(c.summary[0].caused_abort);
	assert_int_equal(c.summary[0].recurrence, 36);
	assert_string_equal(c.summary[0].first,
	                    "Read error 395 for C:\\Users\\lcarroll\\OneDrive - Gile...");
	assert_int_equal(c.summary[1].win32, 32);
	assert_string_equal(c.summary[1].first, "CopyStream: Can't copy | streams");
	collect_free(&c);
}

/* An aborted run and its retry appended to one file; the old undated layout. */
static const char abort_retry[] =
	I("LOADSTATE.EXE Version 6.1.7601")
	I("USMT Started at 2013/06/21:18:01:00.000")
	"Error                 [0x000000] Unable to process object C:\\Documents and Settings"
	"\\userA\\Desktop\\dvd.iso -> 733, aborting...\n"
	"Error                 [0x0802e9] CopyStream: Can't copy streams from "
	"{\"C:\\Documents and Settings\\userA\\Desktop\\dvd.iso\"} to {\"733\"} object. Error 112."
	" Exception class UnBCL::IOException: unable to write to FileStream.\n"
	"Error                 [0x000000] Migration failed to complete successfully\n"
	I("LOADSTATE.EXE Version 6.1.7601")
	I("USMT Started at 2013/06/21:18:30:00.000")
	I("Success.")
	I("USMT Completed at 2013/06/21:18:40:00.000");

static void test_abort_then_retry(void **state)
{
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, abort_retry, sizeof abort_retry - 1, &info);
	assert_int_equal(c.nruns, 2);
	assert_true(c.runs[0].abort_logged);
	assert_true(c.runs[0].aborted);
	assert_string_equal(c.runs[0].completed, "");
	assert_false(c.runs[1].aborted);
	assert_string_equal(c.runs[1].started, "2013-06-21T18:30:00.000");
	assert_int_equal(c.nevents, 3);
	assert_int_equal(c.events[0].run, 0);
	assert_string_equal(c.events[0].time, "");
	assert_string_equal(c.events[0].path,
	                    "C:\\Documents and Settings\\userA\\Desktop\\dvd.iso");
	assert_int_equal(c.events[0].win32, -1);
	assert_int_equal(c.events[1].win32, 112);
	assert_string_equal(c.events[1].path,
	                    "C:\\Documents and Settings\\userA\\Desktop\\dvd.iso");
	collect_free(&c);
}

static void test_started_without_version_starts_runs(void **state)
{
	static const char two[] =
		I("USMT Started at 2020/01/01:10:00:00.000")
		I("Command line: scanstate.exe \\\\srv\\mig /o /c")
		I("USMT Started at 2020/01/02:10:00:00.000")
		I("USMT Completed at 2020/01/02:10:05:00.000");
	uk_log_collect c;

	collect_mem(&c, two, sizeof two - 1, NULL);
	assert_int_equal(c.nruns, 2);
	assert_int_equal(c.runs[0].program, UK_LOG_SCANSTATE);
	assert_true(c.runs[0].used_c);
	assert_true(c.runs[0].aborted); /* never completed */
	assert_false(c.runs[1].aborted);
	collect_free(&c);
}

static void test_last_run_without_completion_is_aborted(void **state)
{
	static const char cut[] = I("LOADSTATE.EXE Version 10.0.22621")
		I("USMT Started at 2024/01/24:21:40:02.120")
		L("Status                ", "0x000000", "Applying");
	uk_log_collect c;

	collect_mem(&c, cut, sizeof cut - 1, NULL);
	assert_int_equal(c.nruns, 1);
	assert_true(c.runs[0].aborted);
	assert_false(c.runs[0].abort_logged);
	collect_free(&c);
}

static void test_failing_return_code_is_aborted(void **state)
{
	static const char rc61[] = I("LOADSTATE.EXE Version 10.0.22621")
		I("USMT Started at 2024/01/24:21:40:02.120")
		L("Error                 ", "0x000000", "LoadState return code: 61")
		I("USMT Completed at 2024/01/24:21:44:51.690");
	uk_log_collect c;

	collect_mem(&c, rc61, sizeof rc61 - 1, NULL);
	assert_int_equal(c.runs[0].return_code, 61);
	assert_true(c.runs[0].aborted);
	collect_free(&c);
}

static void test_continuation_lines(void **state)
{
	static const char cont[] =
		I("USMT Started at 2024/01/24:21:40:02.120")
		L("Error                 ", "0x080000", "Unable to apply")
		"   C:\\Users\\ann\\Music\\a b.mp3\n"
		"   second continuation, Error 5\n"
		I("USMT Completed at 2024/01/24:21:44:51.690");
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, cont, sizeof cont - 1, &info);
	assert_int_equal(c.nevents, 1);
	assert_string_equal(c.events[0].message, "Unable to apply\n   C:\\Users\\ann\\Music\\a b.mp3"
	                    "\n   second continuation, Error 5");
	assert_string_equal(c.events[0].path, "C:\\Users\\ann\\Music\\a b.mp3");
	assert_int_equal(c.events[0].win32, 5);
	assert_int_equal(info.unknown_lines, 0);
	assert_false(c.runs[0].aborted);
	collect_free(&c);
}

/* Issue 11: a run without /c that stopped on an error says so this way
 * only (USMT team blog, "How to debug a USMT log like a Pro"). */
static void test_shutting_down_is_aborted(void **state)
{
	static const char stop[] = I("LOADSTATE.EXE Version 10.0.19041")
		I("USMT Started at 2024/01/24:21:40:02.120")
		I("Command line: loadstate.exe C:\\USMTMIG /lac /hardlink /nocompress")
		L("Error                 ", "0x000000", "USMT is shutting down due to errors. If the "
		  "error is non-fatal, you can use /c to ignore these errors and continue migration.")
		I("USMT Completed at 2024/01/24:21:44:51.690");
	uk_log_collect c;

	collect_mem(&c, stop, sizeof stop - 1, NULL);
	assert_int_equal(c.nruns, 1);
	assert_true(c.runs[0].abort_logged);
	assert_true(c.runs[0].aborted);
	collect_free(&c);
}

/* A command line LoadState refused: `Failed.`, then `USMT Completed at`
 * all the same (nickrod518/Migrate-WindowsUserProfile issue 20). */
static void test_refused_command_line_is_aborted(void **state)
{
	static const char refused[] = I("LOADSTATE.EXE Version 10.0.14393[gle=0x000000b7]")
		I("USMT Started at 2017/09/01:16:10:07.851")
		I("Failed.[gle=0x00000002]")
		I("  An error occurred processing the command line.")
		"  Settings store argument specified is invalid[gle=0x00000002]\n"
		I("USMT Completed at 2017/09/01:16:10:07.851[gle=0x00000002]");
	uk_log_collect c;

	collect_mem(&c, refused, sizeof refused - 1, NULL);
	assert_int_equal(c.nruns, 1);
	assert_true(c.runs[0].abort_logged);
	assert_true(c.runs[0].aborted);
	collect_free(&c);
}

/* Issue 11: the [gle=] of a record's first line stays out of its path and
 * message when continuation lines follow; one ending the last line too. */
static void test_gle_before_continuation(void **state)
{
	static const char cont[] =
		I("USMT Started at 2024/01/24:21:40:02.120")
		L("Error                 ", "0x080000", "Read error 32 for "
		  "C:\\Users\\ann\\Mail\\lost1.pst[gle=0x00000020]")
		"   Win32Exception: The process cannot access the file.\n"
		L("Error                 ", "0x080000", "Unable to apply C:\\Users\\ann\\b.txt")
		"   detail[gle=0x00000005]\n"
		L("Warning               ", "0x080000", "Skipping C:\\Users\\ann\\c.txt[gle=0x00000002]")
		I("USMT Completed at 2024/01/24:21:44:51.690");
	uk_log_collect c;

	collect_mem(&c, cont, sizeof cont - 1, NULL);
	assert_int_equal(c.nevents, 3);
	assert_string_equal(c.events[0].path, "C:\\Users\\ann\\Mail\\lost1.pst");
	assert_string_equal(c.events[0].message, "Read error 32 for C:\\Users\\ann\\Mail\\lost1.pst"
	                    "\n   Win32Exception: The process cannot access the file.");
	assert_int_equal(c.events[0].gle, 0x20);
	assert_int_equal(c.events[0].win32, 32);
	assert_string_equal(c.events[1].message, "Unable to apply C:\\Users\\ann\\b.txt\n   detail");
	assert_int_equal(c.events[1].gle, 5);
	assert_string_equal(c.events[2].path, "C:\\Users\\ann\\c.txt");
	assert_int_equal(c.events[2].gle, 2);
	collect_free(&c);
}

static void test_unknown_lines_kept(void **state)
{
	static const char junk[] = "garbage before anything\nmore junk\n"
		I("USMT Started at 2024/01/24:21:40:02.120");
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, junk, sizeof junk - 1, &info);
	assert_int_equal(info.unknown_lines, 2);
	assert_int_equal(c.nunknown, 2);
	assert_string_equal(c.unknown[0], "garbage before anything");
	assert_string_equal(c.unknown[1], "more junk");
	assert_int_equal(c.nruns, 1);
	collect_free(&c);
}

static void test_find_win32(void **state)
{
	assert_int_equal(uk_log_find_win32("Read error 395 for C:\\x"), 395);
	assert_int_equal(uk_log_find_win32("Error 112. Exception"), 112);
	assert_int_equal(uk_log_find_win32("due to error code: 0x00000534 User"), 1332);
	assert_int_equal(uk_log_find_win32("error code 0x80070020"), 32);
	assert_int_equal(uk_log_find_win32("Success, 37 errors ignored."), -1);
	assert_int_equal(uk_log_find_win32("TerrorX 5"), -1);
	assert_int_equal(uk_log_find_win32("error 12abc"), -1);
	assert_int_equal(uk_log_find_win32("no code"), -1);
	assert_int_equal(uk_log_find_win32("Error"), -1);
}

static void test_find_path(void **state)
{
	size_t n;
	const char *p;

	p = uk_log_find_path("Creating stream copy in C:\\Users\\S\\AppData\\tmp5290.tmp (362 bytes)",
	                     &n);
	assert_non_null(p);
	assert_int_equal(n, strlen("C:\\Users\\S\\AppData\\tmp5290.tmp"));
	p = uk_log_find_path("object D:\\Data\\x.iso -> 733, aborting...", &n);
	assert_int_equal(n, strlen("D:\\Data\\x.iso"));
	p = uk_log_find_path("file \"C:\\a\\b c.txt\" is locked", &n);
	assert_int_equal(n, strlen("C:\\a\\b c.txt"));
	p = uk_log_find_path("from {\"C:\\a\\Smith, John.doc\"} to", &n);
	assert_int_equal(n, strlen("C:\\a\\Smith, John.doc"));
	p = uk_log_find_path("Unable to apply C:\\a\\b.txt: Error 32", &n);
	assert_int_equal(n, strlen("C:\\a\\b.txt"));
	p = uk_log_find_path("Unable to copy C:\\a\\b.txt, error 32", &n);
	assert_int_equal(n, strlen("C:\\a\\b.txt"));
	assert_null(uk_log_find_path("no path ABC:\\x here", &n));
	assert_null(uk_log_find_path("", &n));
}

/* Lines that almost have the record layout are continuations, never records. */
static void test_malformed_prefixes(void **state)
{
	static const char odd[] =
		"2024-01-24 21:44:51, Error                 [0x080000] Read error 5 for C:\\a.txt\n"
		"2024-13-24 21:44:51 Error [0x080000] no comma after the time\n"
		"2024-01-24 21:44:51, Error [0x08000] Error 9 for C:\\b.txt\n"
		"2024-01-24 21:44:51, ErrorErrorErrorErrorX [0x080000] level word too long\n"
		"2024-01-24 21:44:51, Error                 0x080000] no bracket\n"
		"Warning [0x080000] undated but one space only counts too\n"
		"Bogus                 [0x000000] undated with an unknown level\n"
		"2024-01-24 21:44:51, Info                  [0x000000] USMT Started at garbage here\n"
		"2024-01-24 21:44:51, Info                  [0x000000] Success, many errors ignored.\n"
		"2024-01-24 21:44:51, Info                  [0x000000] LoadState return code: x\n";
	uk_log_collect c;
	uk_log_info info;

	collect_mem(&c, odd, sizeof odd - 1, &info);
	assert_int_equal(info.unknown_lines, 0);
	/* Records before the first `USMT Started at` belong to its run. */
	assert_int_equal(c.nruns, 1);
	/* Records: line 1, the short-id line 3 (the id is any hex), line 6, the Info lines. */
	assert_int_equal(c.nevents, 3);
	assert_string_equal(c.events[0].path, "C:\\a.txt");
	assert_non_null(strstr(c.events[0].message, "no comma after the time"));
	assert_non_null(strstr(c.events[1].message, "level word too long"));
	assert_non_null(strstr(c.events[1].message, "no bracket"));
	assert_int_equal(c.events[1].win32, 9);
	assert_int_equal(c.events[2].level, UK_LOG_WARNING);
	assert_non_null(strstr(c.events[2].message, "unknown level"));
	/* A Started line with no date keeps the raw text. */
	assert_string_equal(c.runs[0].started, "garbage");
	assert_int_equal(c.runs[0].errors_ignored, -1);
	assert_false(c.runs[0].has_return_code);
	collect_free(&c);
}

static void test_win32_names(void **state)
{
	assert_string_equal(uk_log_program_name(UK_LOG_LOADSTATE), "loadstate");
	assert_null(uk_log_program_name(UK_LOG_PROG_UNKNOWN));
	assert_string_equal(uk_log_level_name(UK_LOG_WARNING), "warning");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_run),
		cmocka_unit_test(test_c_run),
		cmocka_unit_test(test_abort_then_retry),
		cmocka_unit_test(test_started_without_version_starts_runs),
		cmocka_unit_test(test_last_run_without_completion_is_aborted),
		cmocka_unit_test(test_failing_return_code_is_aborted),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_shutting_down_is_aborted),
		cmocka_unit_test(test_refused_command_line_is_aborted),
		cmocka_unit_test(test_gle_before_continuation),
		cmocka_unit_test(test_unknown_lines_kept),
		cmocka_unit_test(test_malformed_prefixes),
		cmocka_unit_test(test_find_win32),
		cmocka_unit_test(test_find_path),
		cmocka_unit_test(test_win32_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
