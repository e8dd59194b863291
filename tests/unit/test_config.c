/* Config.xml <HardLinkStoreControl>: rules in document order, the most
 * specific rule deciding, both spellings of a pattern, and hostile XML
 * (entities, DTDs, depth, size) refused with one clear line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "config.h"

#define LOAD_OK(xml, c)                                                                    \
	do {                                                                               \
		char err_[512] = "";                                                       \
		if (uk_config_load_mem(xml, strlen(xml), c, err_, sizeof(err_)))           \
			fail_msg("refused: %s", err_);                                     \
	} while (0)

/* Loads xml expecting a refusal whose message holds `why`; the config is left empty. */
static void refused(const char *xml, size_t n, const char *why)
{
	uk_config c = {(uk_hlrule *)1, 99};
	char err[512] = "";

	if (uk_config_load_mem(xml, n, &c, err, sizeof(err)) == 0) {
		uk_config_free(&c);
		fail_msg("accepted, expected '%s'", why);
	}
	if (!strstr(err, why))
		fail_msg("error '%s' lacks '%s'", err, why);
	assert_null(strchr(err, '\n'));
	assert_null(c.rules);
	assert_int_equal(c.nrules, 0);
}

static const char *rule(const uk_config *c, const char *path)
{
	const uk_hlrule *r = uk_config_rule_for(c, path);

	return r ? uk_hl_action_name(r->action) : "none";
}

static void usmt_example(void **state)
{
	static const char xml[] = "<Policies><HardLinkStoreControl><fileLocked>\n"
	                          "  <createHardLink>c:\\Users\\* [*]</createHardLink>\n"
	                          "  <errorHardLink>C:\\* [*]</errorHardLink>\n"
	                          "</fileLocked></HardLinkStoreControl></Policies>\n";
	uk_config c;

	LOAD_OK(xml, &c);
	assert_int_equal(c.nrules, 2);
	assert_int_equal(c.rules[0].action, UK_HL_CREATE);
	assert_int_equal(c.rules[0].order, 0);
	assert_string_equal(uk_pattern_text(c.rules[0].pattern), "c:\\Users\\* [*]");
	assert_int_equal(c.rules[1].action, UK_HL_ERROR);
	assert_int_equal(c.rules[1].order, 1);
	/* The more specific rule wins whatever the order. */
	assert_string_equal(rule(&c, "C:\\Users\\alice\\NTUSER.DAT"), "createHardLink");
	assert_string_equal(rule(&c, "C:\\USERS\\bob\\AppData\\x.db"), "createHardLink");
	assert_string_equal(rule(&c, "C:\\ProgramData\\x.db"), "errorHardLink");
	assert_string_equal(rule(&c, "C:\\pagefile.sys"), "errorHardLink");
	assert_string_equal(rule(&c, "D:\\data\\x"), "none");
	uk_config_free(&c);
	assert_null(c.rules);
	assert_int_equal(c.nrules, 0);
}

static void specific_rule_first_in_document(void **state)
{
	/* Reversed document order: specificity, not order, decides. */
	static const char xml[] = "<Configuration><Policies><HardLinkStoreControl><fileLocked>"
	                          "<errorHardLink>C:\\* [*]</errorHardLink>"
	                          "<createHardLink>C:\\Users\\* [*]</createHardLink>"
	                          "</fileLocked></HardLinkStoreControl></Policies></Configuration>";
	uk_config c;

	LOAD_OK(xml, &c);
	assert_string_equal(rule(&c, "C:\\Users\\a\\f"), "createHardLink");
	assert_string_equal(rule(&c, "C:\\Windows\\f"), "errorHardLink");
	uk_config_free(&c);
}

static void equal_specificity_document_order(void **state)
{
	static const char xml[] = "<Policies><HardLinkStoreControl><fileLocked>"
	                          "<errorHardLink>C:\\Data\\* [*]</errorHardLink>"
	                          "<createHardLink>c:\\data\\* [*]</createHardLink>"
	                          "</fileLocked></HardLinkStoreControl></Policies>";
	uk_config c;

	LOAD_OK(xml, &c);
	assert_string_equal(rule(&c, "C:\\Data\\f"), "errorHardLink");
	assert_int_equal(uk_config_rule_for(&c, "C:\\Data\\f")->order, 0);
	uk_config_free(&c);
}

static void patterns_without_leaf(void **state)
{
	/* The other Microsoft page's spelling: no [*]; it still covers files. */
	static const char xml[] = "<Policies><HardLinkStoreControl><fileLocked>"
	                          "<createHardLink>c:\\Users\\*</createHardLink>"
	                          "<errorHardLink>C:\\*</errorHardLink>"
	                          "<createHardLink>C:\\Temp</createHardLink>"
	                          "</fileLocked></HardLinkStoreControl></Policies>";
	uk_config c;

	LOAD_OK(xml, &c);
	assert_int_equal(c.nrules, 3);
	assert_string_equal(rule(&c, "C:\\Users\\a\\NTUSER.DAT"), "createHardLink");
	assert_string_equal(rule(&c, "C:\\Windows\\System32\\x.dll"), "errorHardLink");
	assert_string_equal(rule(&c, "C:\\x.sys"), "errorHardLink");
	/* "C:\Temp" without \* = the files of that folder only. */
	assert_string_equal(rule(&c, "C:\\Temp\\a"), "createHardLink");
	assert_string_equal(rule(&c, "C:\\Temp\\sub\\a"), "errorHardLink");
	uk_config_free(&c);
}

static void layout_tolerance(void **state)
{
	/* Namespaces, comments, CDATA, whitespace, several sections, other
	 * elements around: only the rules count, in document order. */
	static const char xml[] =
		"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Configuration xmlns:x=\"urn:x\">\n"
		"  <Applications><component displayname=\"Office\" migrate=\"yes\"/></Applications>\n"
		"  <Policies>\n"
		"    <HardLinkStoreControl>\n"
		"      <!-- locked files -->\n"
		"      <fileLocked>\n"
		"        <createHardLink>\n  <![CDATA[C:\\Users\\* [*.pst]]]>  </createHardLink>\n"
		"        <other>ignored</other>\n"
		"        <errorHardLink>C:\\Data<!-- c -->\\* [*]</errorHardLink>\n"
		"      </fileLocked>\n"
		"    </HardLinkStoreControl>\n"
		"    <HardLinkStoreControl><fileLocked>"
		"<errorHardLink>D:\\* [*] </errorHardLink></fileLocked></HardLinkStoreControl>\n"
		"  </Policies>\n"
		"  <errorHardLink>E:\\* [*]</errorHardLink>\n"
		"</Configuration>\n";
	uk_config c;

	LOAD_OK(xml, &c);
	assert_int_equal(c.nrules, 3);
	assert_string_equal(uk_pattern_text(c.rules[0].pattern), "C:\\Users\\* [*.pst]");
	assert_string_equal(uk_pattern_text(c.rules[1].pattern), "C:\\Data\\* [*]");
	assert_string_equal(uk_pattern_text(c.rules[2].pattern), "D:\\* [*]");
	assert_string_equal(rule(&c, "C:\\Users\\a\\Outlook.PST"), "createHardLink");
	assert_string_equal(rule(&c, "E:\\x"), "none");
	uk_config_free(&c);
}

static void no_rules(void **state)
{
	uk_config c;

	LOAD_OK("<Configuration><Policies/></Configuration>", &c);
	assert_int_equal(c.nrules, 0);
	assert_null(uk_config_rule_for(&c, "C:\\a"));
	uk_config_free(&c);
}

static void utf16_document(void **state)
{
	static const char ascii[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Policies>"
	                            "<HardLinkStoreControl><fileLocked><createHardLink>"
	                            "C:\\Users\\* [*]</createHardLink></fileLocked>"
	                            "</HardLinkStoreControl></Policies>";
	size_t n = strlen(ascii);
	char *w = malloc(2 * n + 2), err[512] = "";
	uk_config c;

	assert_non_null(w);
	w[0] = (char)0xFF;
	w[1] = (char)0xFE;
	for (size_t i = 0; i < n; i++) {
		w[2 + 2 * i] = ascii[i];
		w[3 + 2 * i] = 0;
	}
	assert_int_equal(uk_config_load_mem(w, 2 * n + 2, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nrules, 1);
	assert_string_equal(rule(&c, "C:\\Users\\a\\b"), "createHardLink");
	uk_config_free(&c);
	free(w);
}

static void bad_rules(void **state)
{
	static const char child[] = "<P><HardLinkStoreControl><fileLocked>\n\n"
	                            "<createHardLink>C:\\<b/>X</createHardLink>"
	                            "</fileLocked></HardLinkStoreControl></P>";
	static const char pat[] = "<P><HardLinkStoreControl><fileLocked>\n"
	                          "<errorHardLink>C:\\X [*</errorHardLink>"
	                          "</fileLocked></HardLinkStoreControl></P>";
	static const char empty[] = "<P><HardLinkStoreControl><fileLocked>"
	                            "<errorHardLink> </errorHardLink>"
	                            "</fileLocked></HardLinkStoreControl></P>";

	refused(child, strlen(child), "line 3: <createHardLink> must hold only a pattern");
	refused(pat, strlen(pat), "line 2: <errorHardLink>: bad pattern 'C:\\X [*'");
	refused(empty, strlen(empty), "empty");
}

static void not_xml(void **state)
{
	static const char garbage[] = "\x00\x01\x02\xff\xfe garbage";

	refused("", 0, "not");
	refused("<Policies>", 10, "not well-formed");
	refused("<a>\n<b></a>", 11, "line 2");
	refused("just text", 9, "not well-formed");
	refused(garbage, sizeof(garbage) - 1, "not");
	/* No DTD, so an entity reference is an error, never a lookup. */
	refused("<a>&xxe;</a>", 12, "not well-formed");
	refused("<?xml version=\"1.0\" encoding=\"no-such-charset\"?><a/>", 50, "not");
	/* libxml2 explains bad UTF-8 over two lines: the message stays one. */
	refused("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\x8a\x9a\x8d</a>", 49,
	        "line 2: not well-formed XML: Input is not proper UTF-8");
}

/* A secret no parse may ever read: an external entity points at it. */
static void external_entities_never_read(void **state)
{
	char secret[] = "/tmp/uk-test-secret.XXXXXX", xml[1024];
	int fd = mkstemp(secret);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "TOPSECRET", 9), 9);
	close(fd);
	snprintf(xml, sizeof(xml),
	         "<!DOCTYPE P [<!ENTITY xxe SYSTEM \"file://%s\">]>"
	         "<P><HardLinkStoreControl><fileLocked>"
	         "<createHardLink>C:\\&xxe; [*]</createHardLink>"
	         "</fileLocked></HardLinkStoreControl></P>",
	         secret);
	refused(xml, strlen(xml), "DTD");
	snprintf(xml, sizeof(xml),
	         "<!DOCTYPE P SYSTEM \"file://%s\"><P/>", secret);
	refused(xml, strlen(xml), "DTD");
	refused("<!DOCTYPE P SYSTEM \"http://192.0.2.1/x.dtd\"><P/>", 45, "DTD");
	/* Parameter entities too. */
	snprintf(xml, sizeof(xml), "<!DOCTYPE P [<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]><P/>",
	         secret);
	refused(xml, strlen(xml), "DTD");
	unlink(secret);
}

static void billion_laughs(void **state)
{
	static const char xml[] =
		"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
		"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
		"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
		"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
		"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
		"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
		"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
		"<P a=\"&lol9;\"><HardLinkStoreControl><fileLocked><createHardLink>&lol9;"
		"</createHardLink></fileLocked></HardLinkStoreControl></P>";

	refused(xml, strlen(xml), "DTD");
}

static void deep_nesting(void **state)
{
	size_t depth = 100000, n = 0;
	char *xml = malloc(depth * 7 + 16);

	assert_non_null(xml);
	for (size_t i = 0; i < depth; i++)
		n += (size_t)sprintf(xml + n, "<a>");
	for (size_t i = 0; i < depth; i++)
		n += (size_t)sprintf(xml + n, "</a>");
	refused(xml, n, "nested deeper than 64");
	/* 64 levels are fine. */
	n = 0;
	for (size_t i = 0; i < 64; i++)
		n += (size_t)sprintf(xml + n, "<a>");
	for (size_t i = 0; i < 64; i++)
		n += (size_t)sprintf(xml + n, "</a>");
	{
		uk_config c;
		char err[512];

		assert_int_equal(uk_config_load_mem(xml, n, &c, err, sizeof(err)), 0);
		uk_config_free(&c);
	}
	free(xml);
}

static void huge_document(void **state)
{
	size_t n = (16u << 20) + 1;
	char *xml = malloc(n);

	assert_non_null(xml);
	memset(xml, ' ', n);
	memcpy(xml, "<a>", 3);
	memcpy(xml + n - 4, "</a>", 4);
	refused(xml, n, "larger than");
	free(xml);
}

static void load_file(void **state)
{
	static const char xml[] = "<Policies><HardLinkStoreControl><fileLocked>"
	                          "<createHardLink>c:\\Users\\* [*]</createHardLink>"
	                          "</fileLocked></HardLinkStoreControl></Policies>";
	char path[] = "/tmp/uk-test-config.XXXXXX", err[512] = "";
	int fd = mkstemp(path);
	uk_config c;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, sizeof(xml) - 1), (ssize_t)(sizeof(xml) - 1));
	close(fd);
	assert_int_equal(uk_config_load(path, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nrules, 1);
	uk_config_free(&c);

	/* Errors name the file. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "<Policies>", 10), 10);
	close(fd);
	assert_int_equal(uk_config_load(path, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "not well-formed"));
	unlink(path);
	assert_int_equal(uk_config_load(path, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_int_equal(uk_config_load("/tmp", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/tmp"));
}

static void action_names(void **state)
{
	assert_string_equal(uk_hl_action_name(UK_HL_CREATE), "createHardLink");
	assert_string_equal(uk_hl_action_name(UK_HL_ERROR), "errorHardLink");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(usmt_example),
		cmocka_unit_test(specific_rule_first_in_document),
		cmocka_unit_test(equal_specificity_document_order),
		cmocka_unit_test(patterns_without_leaf),
		cmocka_unit_test(layout_tolerance),
		cmocka_unit_test(no_rules),
		cmocka_unit_test(utf16_document),
		cmocka_unit_test(bad_rules),
		cmocka_unit_test(not_xml),
		cmocka_unit_test(external_entities_never_read),
		cmocka_unit_test(billion_laughs),
		cmocka_unit_test(deep_nesting),
		cmocka_unit_test(huge_document),
		cmocka_unit_test(load_file),
		cmocka_unit_test(action_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
