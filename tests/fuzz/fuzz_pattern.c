/* MigXML patterns: input = pattern text, '\n', Windows path. Beyond not
 * crashing: errors are one line; a file match needs a [leaf]; matching is
 * ASCII-case-blind; re-parsing a pattern's own text gives the same pattern. */
#include <ctype.h>
#include <stdint.h>
#include "fuzz_check.h"
#include "pattern.h"

static void check_path(const uk_pattern *p, const uk_pattern *again, const char *path)
{
	char *upper = strdup(path);
	int f, d;

	if (!upper)
		abort();
	for (char *c = upper; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	f = uk_pattern_match(p, path, 0);
	d = uk_pattern_match(p, path, 1);
	FUZZ_CHECK(f == 0 || f == 1);
	FUZZ_CHECK(d == 0 || d == 1);
	FUZZ_CHECK(!f || uk_pattern_has_leaf(p));
	FUZZ_CHECK(uk_pattern_match(p, upper, 0) == f);
	FUZZ_CHECK(uk_pattern_match(p, upper, 1) == d);
	FUZZ_CHECK(uk_pattern_match(again, path, 0) == f);
	FUZZ_CHECK(uk_pattern_match(again, path, 1) == d);
	free(upper);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t pn = nl ? (size_t)(nl - data) : size;
	char *text = fuzz_str(data, pn), *path = fuzz_str(nl ? nl + 1 : data, nl ? size - pn - 1 : 0);
	char err[512] = "";
	uk_pattern *p = uk_pattern_parse(text, err, sizeof(err)), *again;
	uk_patternset *s;

	if (!p) {
		FUZZ_CHECK(fuzz_one_line(err));
		goto out;
	}
	FUZZ_CHECK(uk_pattern_specificity(p) >= 0);
	again = uk_pattern_parse(uk_pattern_text(p), err, sizeof(err));
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK(strcmp(uk_pattern_text(again), uk_pattern_text(p)) == 0);
	FUZZ_CHECK(uk_pattern_specificity(again) == uk_pattern_specificity(p));
	check_path(p, again, path);
	check_path(p, again, text); /* the pattern's own text as a path */
	uk_pattern_free(again);

	s = uk_patternset_new();
	FUZZ_CHECK(s && uk_patternset_add(s, text, err, sizeof(err)) == 0);
	FUZZ_CHECK((uk_patternset_match(s, path, 0) != NULL) == uk_pattern_match(p, path, 0));
	uk_patternset_free(s);
	uk_pattern_free(p);
out:
	free(text);
	free(path);
	return 0;
}
