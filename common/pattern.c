/* MigXML patterns (see pattern.h). A pattern is compiled once into two
 * arrays of case-folded code points (node and leaf) where reserved values
 * stand for the wildcards; matching decodes the path on the fly and
 * allocates nothing (but for a node holding `\*\` over 255 tokens long).
 *
 * Node semantics, as USMT documents them: `*` matches any run of
 * characters, separators included (`C:\*\Drafts\*` finds Drafts at any
 * depth); `?` matches one character other than `\`. A node ending in `\*`
 * also matches the folder before it (`C:\X\*` = X and every subfolder). A
 * trailing `\` is dropped (`C:\X\ [*]` = the files of X only). The leaf
 * matches the last component of a file path, the node the folder above. */
#include "grow.h"
#include "pattern.h"
#include "wincase.h"
#include "readall.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAT_MAX_BYTES 32768      /* longer than any Windows path */
#define PAT_FILE_MAX (16u << 20) /* --exclude-from file */
#define TK_STAR 0xFFFFFFFFu
#define TK_ONE 0xFFFFFFFEu
#define TK_DIRS 0xFFFFFFFDu      /* "\*\" inside a node: any folders, or none */
#define CP_BADBYTE 0x110000u     /* + byte: an invalid byte equals only itself */

struct uk_pattern {
	char *text;
	uint32_t *node;
	size_t nnode;
	size_t nprefix; /* recursive: the node without its final "\*" */
	int recursive;
	int dirs;       /* the node holds TK_DIRS */
	uint32_t *leaf;
	size_t nleaf;
	int has_leaf;
	int specificity;
};

struct uk_patternset {
	uk_pattern **v;
	size_t n, cap;
};

/* The code point at s[*i] (advancing *i); an invalid byte decodes alone. */
static uint32_t next_cp(const unsigned char *s, size_t n, size_t *i)
{
	uint32_t c;
	size_t k = uk_utf8_decode(s + *i, n - *i, &c);

	if (k == 0)
		return CP_BADBYTE + s[(*i)++];
	*i += k;
	return c;
}

/* Wildcard match of tokens p[0..pn) against s[0..sn): the classic
 * single-backtrack algorithm, O(pn * sn) at worst, no recursion. Correct
 * because a star matches anything, so only the latest one needs retrying. */
static int glob(const uint32_t *p, size_t pn, const char *str, size_t sn)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t pi = 0, si = 0, star_p = 0, star_s = 0;
	int have_star = 0;

	while (si < sn) {
		size_t next = si;
		uint32_t c;

		if (pi < pn && p[pi] == TK_STAR) {
			have_star = 1;
			star_p = ++pi;
			star_s = si;
			continue;
		}
		c = uk_wincase_fold(next_cp(s, sn, &next));
		if (pi < pn && (p[pi] == c || (p[pi] == TK_ONE && c != '\\'))) {
			pi++;
			si = next;
			continue;
		}
		if (!have_star)
			return 0;
		pi = star_p;
		next_cp(s, sn, &star_s);
		si = star_s;
	}
	while (pi < pn && p[pi] == TK_STAR)
		pi++;
	return pi == pn;
}

/* Adds state i and what it reaches without input (a star may match
 * nothing): marked 2. A folder run already under way (TK_DIRS after some
 * input) may not be skipped: marked 1 by the caller. */
static void nfa_add(const uint32_t *p, size_t pn, unsigned char *set, size_t i)
{
	while (set[i] != 2) {
		set[i] = 2;
		if (i == pn || (p[i] != TK_STAR && p[i] != TK_DIRS))
			return;
		i++;
	}
}

/* The general matcher for nodes holding `\*\` (TK_DIRS: "(.*\\)?", any
 * folders or none), which breaks the backtracking matcher's premise: a set
 * of states advanced one code point at a time, O(pn * sn), no recursion. */
static int nfa(const uint32_t *p, size_t pn, const char *str, size_t sn)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char small[2 * 256], *mem = small, *cur, *nxt;
	size_t si = 0;
	int any = 1, ok;

	if (pn + 1 > 256 && !(mem = malloc(2 * (pn + 1))))
		return 0;
	cur = mem;
	nxt = mem + pn + 1;
	memset(cur, 0, pn + 1);
	nfa_add(p, pn, cur, 0);
	while (si < sn && any) {
		uint32_t c = uk_wincase_fold(next_cp(s, sn, &si));
		unsigned char *t;

		memset(nxt, 0, pn + 1);
		for (size_t i = 0; i < pn; i++) {
			if (!cur[i])
				continue;
			if (p[i] == TK_STAR)
				nfa_add(p, pn, nxt, i);
			else if (p[i] == TK_DIRS && !nxt[i])
				nxt[i] = 1;
			if ((p[i] == TK_DIRS && c == '\\') || p[i] == c || (p[i] == TK_ONE && c != '\\'))
				nfa_add(p, pn, nxt, i + 1);
		}
		any = memchr(nxt, 1, pn + 1) || memchr(nxt, 2, pn + 1);
		t = cur;
		cur = nxt;
		nxt = t;
	}
	ok = any && cur[pn];
	if (mem != small)
		free(mem);
	return ok;
}

static int node_glob(const uk_pattern *p, size_t pn, const char *dir, size_t n)
{
	return p->dirs ? nfa(p->node, pn, dir, n) : glob(p->node, pn, dir, n);
}

static int node_match(const uk_pattern *p, const char *dir, size_t n)
{
	if (node_glob(p, p->nnode, dir, n))
		return 1;
	return p->recursive && node_glob(p, p->nprefix, dir, n);
}

int uk_pattern_match(const uk_pattern *p, const char *win_path, int is_dir)
{
	size_t n = strlen(win_path), k;

	if (is_dir) {
		while (n > 0 && win_path[n - 1] == '\\')
			n--;
		return node_match(p, win_path, n);
	}
	if (!p->has_leaf)
		return 0;
	for (k = n; k > 0 && win_path[k - 1] != '\\'; k--)
		;
	/* k: start of the file name; the folder is win_path[0 .. k-1) */
	if (!glob(p->leaf, p->nleaf, win_path + k, n - k))
		return 0;
	return node_match(p, win_path, k > 0 ? k - 1 : 0);
}

/* "bad pattern '...': why", the text cut at 200 bytes and its control
 * characters shown as \xNN so the message stays one line. */
static void fail(char *err, size_t errlen, const char *text, const char *why)
{
	char shown[4 * 200 + 1];
	size_t m = 0;

	for (size_t i = 0; text[i] && i < 200; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c == 0x7F)
			m += (size_t)snprintf(shown + m, sizeof(shown) - m, "\\x%02X", c);
		else
			shown[m++] = (char)c;
	}
	shown[m] = '\0';
	if (errlen)
		snprintf(err, errlen, "bad pattern '%s': %s", shown, why);
}

/* Compiles text[0..n) (node or leaf part) into folded tokens with escapes
 * resolved. `node`: '/' reads as '\'; in a leaf any separator is an error. */
static int compile(const char *text, size_t n, int node, uint32_t **out, size_t *outn,
                   const char **why)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t *t = malloc((n + 1) * sizeof(*t));
	size_t i = 0, m = 0;

	if (!t) {
		*why = "out of memory";
		return -1;
	}
	while (i < n) {
		uint32_t c = next_cp(s, n, &i);

		if (c == '^' && i < n && (s[i] == '[' || s[i] == ']' || s[i] == '^'))
			c = s[i++];
		else if (c == '*' || c == '?') {
			if (c == '*' && m > 0 && t[m - 1] == TK_STAR)
				continue;
			t[m++] = c == '*' ? TK_STAR : TK_ONE;
			continue;
		} else if (c == '[' || c == ']') {
			*why = c == '[' ? "unescaped '[' (write ^[)" : "unescaped ']' (write ^])";
			goto bad;
		} else if (c == '/' && node)
			c = '\\';
		if ((c == '\\' || c == '/') && !node) {
			*why = "a file name [leaf] cannot contain a folder separator";
			goto bad;
		}
		t[m++] = uk_wincase_fold(c);
	}
	*out = t;
	*outn = m;
	return 0;
bad:
	free(t);
	return -1;
}

static int check_text(const char *text, size_t n, const char **why)
{
	const unsigned char *s = (const unsigned char *)text;

	if (n > PAT_MAX_BYTES) {
		*why = "longer than 32768 bytes";
		return -1;
	}
	for (size_t i = 0; i < n;) {
		size_t k = uk_utf8_seqlen(s + i, n - i);

		if (k == 0) {
			*why = "not valid UTF-8";
			return -1;
		}
		if (s[i] < 0x20 || s[i] == 0x7F) {
			*why = "contains a control character";
			return -1;
		}
		i += k;
	}
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits "node [leaf]" at the first unescaped '['; leaf_at = 0 when absent. */
static int split(const char *s, size_t n, size_t *node_end, size_t *leaf_at, size_t *leaf_end,
                 const char **why)
{
	size_t i;

	*leaf_at = *leaf_end = 0;
	for (i = 0; i < n && s[i] != '['; i++)
		if (s[i] == '^' && i + 1 < n)
			i++;
	*node_end = i;
	if (i == n)
		return 0;
	*leaf_at = ++i;
	for (; i < n && s[i] != ']'; i++)
		if (s[i] == '^' && i + 1 < n)
			i++;
	if (i == n) {
		*why = "'[' without a closing ']'";
		return -1;
	}
	*leaf_end = i++;
	while (i < n && is_space(s[i]))
		i++;
	if (i < n) {
		*why = "text after the closing ']'";
		return -1;
	}
	return 0;
}

/* `\*\` -> `\` TK_DIRS, so "C:\*\Drafts" also finds C:\Drafts. */
static size_t mark_dirs(uint32_t *t, size_t n, int *dirs)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		if (t[i] == '\\' && m >= 2 && t[m - 1] == TK_STAR && t[m - 2] == '\\') {
			t[m - 1] = TK_DIRS;
			*dirs = 1;
			continue;
		}
		t[m++] = t[i];
	}
	return m;
}

static size_t literals(const uint32_t *t, size_t n)
{
	size_t lit = 0;

	for (size_t i = 0; i < n; i++)
		lit += t[i] != TK_STAR && t[i] != TK_ONE && t[i] != TK_DIRS;
	return lit;
}

/* Literal characters weigh most in the node, then in the leaf; a
 * non-recursive node beats the same node with "\*". */
static int score(size_t node_lit, size_t leaf_lit, int recursive)
{
	if (node_lit > (1u << 19))
		node_lit = 1u << 19;
	if (leaf_lit > 255)
		leaf_lit = 255;
	return (int)(node_lit * 1024 + leaf_lit * 2 + !recursive);
}

uk_pattern *uk_pattern_parse(const char *text, char *err, size_t errlen)
{
	uk_pattern *p = NULL;
	const char *why = NULL;
	size_t b = 0, e = strlen(text), node_end, leaf_at, leaf_end, ne;

	while (b < e && is_space(text[b]))
		b++;
	while (e > b && is_space(text[e - 1]))
		e--;
	if (b == e) {
		fail(err, errlen, text, "empty");
		return NULL;
	}
	if (check_text(text + b, e - b, &why) || split(text + b, e - b, &node_end, &leaf_at,
	                                               &leaf_end, &why))
		goto bad;
	node_end += b;
	ne = node_end;
	while (ne > b && is_space(text[ne - 1]))
		ne--;
	/* A trailing separator names the folder itself ("C:\X\ [*]"). */
	while (ne > b && (text[ne - 1] == '\\' || text[ne - 1] == '/'))
		ne--;
	if (ne == b) {
		why = "no folder before the file name";
		goto bad;
	}
	if (leaf_at && leaf_end == leaf_at) {
		why = "empty file name []";
		goto bad;
	}
	p = calloc(1, sizeof(*p));
	if (!p || !(p->text = malloc(e - b + 1))) {
		why = "out of memory";
		goto bad;
	}
	memcpy(p->text, text + b, e - b);
	p->text[e - b] = '\0';
	if (compile(text + b, ne - b, 1, &p->node, &p->nnode, &why))
		goto bad;
	p->nnode = mark_dirs(p->node, p->nnode, &p->dirs);
	if (leaf_at) {
		p->has_leaf = 1;
		if (compile(text + b + leaf_at, leaf_end - leaf_at, 0, &p->leaf, &p->nleaf, &why))
			goto bad;
	}
	p->nprefix = p->nnode;
	if (p->nnode >= 2 && p->node[p->nnode - 1] == TK_STAR && p->node[p->nnode - 2] == '\\') {
		p->recursive = 1;
		p->nprefix = p->nnode - 2;
	}
	p->specificity = score(literals(p->node, p->nprefix), literals(p->leaf, p->nleaf),
	                       p->recursive);
	return p;
bad:
	uk_pattern_free(p);
	fail(err, errlen, text, why);
	return NULL;
}

void uk_pattern_free(uk_pattern *p)
{
	if (!p)
		return;
	free(p->text);
	free(p->node);
	free(p->leaf);
	free(p);
}

const char *uk_pattern_text(const uk_pattern *p)
{
	return p->text;
}

int uk_pattern_has_leaf(const uk_pattern *p)
{
	return p->has_leaf;
}

int uk_pattern_specificity(const uk_pattern *p)
{
	return p->specificity;
}

uk_patternset *uk_patternset_new(void)
{
	return calloc(1, sizeof(uk_patternset));
}

void uk_patternset_free(uk_patternset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		uk_pattern_free(s->v[i]);
	free(s->v);
	free(s);
}

int uk_patternset_add(uk_patternset *s, const char *text, char *err, size_t errlen)
{
	uk_pattern *p;

	if (uk_grow(&s->v, s->n, &s->cap, sizeof(*s->v), 8)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p = uk_pattern_parse(text, err, errlen);
	if (!p)
		return -1;
	s->v[s->n++] = p;
	return 0;
}

int uk_patternset_add_file(uk_patternset *s, const char *path, char *err, size_t errlen)
{
	char *buf = NULL, *line, *end;
	size_t n, lineno = 0;
	int rc = 0;

	if (uk_readall_file(path, PAT_FILE_MAX, &buf, &n, err, errlen))
		return -1;
	line = buf;
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	for (; line < buf + n && rc == 0; line = end + 1) {
		char sub[256];

		end = memchr(line, '\n', (size_t)(buf + n - line));
		if (!end)
			end = buf + n; /* readall keeps a NUL after the data */
		lineno++;
		if (memchr(line, '\0', (size_t)(end - line))) {
			snprintf(err, errlen, "%s: line %zu: contains a NUL byte", path, lineno);
			rc = -1;
			break;
		}
		*end = '\0';
		if (end > line && end[-1] == '\r')
			end[-1] = '\0';
		while (is_space(*line))
			line++;
		if (*line == '\0' || *line == '#')
			continue;
		if (uk_patternset_add(s, line, sub, sizeof(sub))) {
			snprintf(err, errlen, "%s: line %zu: %s", path, lineno, sub);
			rc = -1;
		}
	}
	free(buf);
	return rc;
}

size_t uk_patternset_count(const uk_patternset *s)
{
	return s->n;
}

const uk_pattern *uk_patternset_match(const uk_patternset *s, const char *win_path, int is_dir)
{
	for (size_t i = 0; i < s->n; i++)
		if (uk_pattern_match(s->v[i], win_path, is_dir))
			return s->v[i];
	return NULL;
}
