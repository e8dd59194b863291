/* Config.xml: any bytes. Accepted: rules in document order, valid actions,
 * a deciding rule that is one of them. Refused: one line, nothing kept. */
#include <stdint.h>
#include "config.h"
#include "fuzz_check.h"

static const char *const paths[] = {
	"C:\\Users\\alice\\NTUSER.DAT", "C:\\Windows\\System32\\config\\SAM",
	"C:\\ProgramData\\x.db", "D:\\Data\\Drafts\\a b [1].txt", "C:\\x",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uk_config c;
	char err[512] = "";

	if (uk_config_load_mem((const char *)data, size, &c, err, sizeof(err))) {
		FUZZ_CHECK(fuzz_one_line(err));
		FUZZ_CHECK(c.rules == NULL && c.nrules == 0);
		return 0;
	}
	for (size_t i = 0; i < c.nrules; i++) {
		FUZZ_CHECK(c.rules[i].order == (int)i);
		FUZZ_CHECK(c.rules[i].action == UK_HL_CREATE || c.rules[i].action == UK_HL_ERROR);
		FUZZ_CHECK(c.rules[i].pattern != NULL);
		FUZZ_CHECK(fuzz_valid_utf8(uk_pattern_text(c.rules[i].pattern)));
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const uk_hlrule *r = uk_config_rule_for(&c, paths[i]);

		FUZZ_CHECK(!r || (r >= c.rules && r < c.rules + c.nrules));
	}
	uk_config_free(&c);
	FUZZ_CHECK(c.rules == NULL && c.nrules == 0);
	return 0;
}
