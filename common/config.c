/* Config.xml <HardLinkStoreControl> rules (see config.h).
 *
 * Config.xml is input an admin may have copied from anywhere, so the parser
 * is boxed in: no network (XML_PARSE_NONET), entities never substituted (no
 * XML_PARSE_NOENT) and no DTD loaded (no XML_PARSE_DTDLOAD); on top of that
 * any <!DOCTYPE> stops the parse before its declarations are read -- a real
 * Config.xml has none, and without a DTD no entity (billion laughs, a
 * file:// or http:// external entity) can exist. Size and depth are capped
 * so a huge or deeply nested file is refused quickly. */
#include "config.h"
#include "readall.h"

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CFG_MAX_BYTES (16u << 20) /* ScanState /genconfig output is far smaller */
#define CFG_MAX_DEPTH 64

/* Parse-time guard, reached from the SAX callbacks through ctxt->_private. */
struct guard {
	int depth;
	const char *refused;
	int line;
};

static void refuse(xmlParserCtxtPtr ctxt, const char *why)
{
	struct guard *g = ctxt->_private;

	if (!g->refused) {
		g->refused = why;
		g->line = xmlSAX2GetLineNumber(ctxt);
	}
	xmlStopParser(ctxt);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                       const xmlChar *sys_id)
{
	refuse(ctx, "declares a DTD (<!DOCTYPE>): refused, Config.xml needs no entities");
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndefaulted,
                     const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	if (++g->depth > CFG_MAX_DEPTH) {
		refuse(ctxt, "elements nested deeper than 64: refused");
		return;
	}
	xmlSAX2StartElementNs(ctx, local, prefix, uri, nns, ns, nattr, ndefaulted, attrs);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = ctxt->_private;

	g->depth--;
	xmlSAX2EndElementNs(ctx, local, prefix, uri);
}

static int is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The text of a rule element (text and CDATA only), trimmed; NULL when it
 * holds a child element. Caller frees. */
static char *rule_text(const xmlNode *e)
{
	size_t len = 0, b;
	char *s;

	for (const xmlNode *k = e->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE)
			len += strlen((const char *)k->content);
		else if (k->type != XML_COMMENT_NODE && k->type != XML_PI_NODE)
			return NULL;
	}
	s = malloc(len + 1);
	if (!s)
		return NULL;
	len = 0;
	for (const xmlNode *k = e->children; k; k = k->next)
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			size_t l = strlen((const char *)k->content);

			memcpy(s + len, k->content, l);
			len += l;
		}
	s[len] = '\0';
	/* XML whitespace around the pattern is layout, not part of it. */
	while (len > 0 && strchr(" \t\r\n", s[len - 1]))
		s[--len] = '\0';
	for (b = 0; b < len && strchr(" \t\r\n", s[b]); b++)
		;
	memmove(s, s + b, len - b + 1);
	return s;
}

static int add_rule(uk_config *c, const xmlNode *e, char *err, size_t errlen)
{
	int action = is_elem(e, "createHardLink") ? UK_HL_CREATE : UK_HL_ERROR;
	char *text = rule_text(e), why[256];
	uk_hlrule *r;

	if (!text) {
		snprintf(err, errlen, "line %ld: <%s> must hold only a pattern", xmlGetLineNo(e),
		         e->name);
		return -1;
	}
	r = realloc(c->rules, (c->nrules + 1) * sizeof(*r));
	if (!r) {
		free(text);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->rules = r;
	r += c->nrules;
	r->action = action;
	r->order = (int)c->nrules;
	r->pattern = uk_pattern_parse(text, why, sizeof(why));
	free(text);
	if (!r->pattern) {
		snprintf(err, errlen, "line %ld: <%s>: %s", xmlGetLineNo(e), e->name, why);
		return -1;
	}
	c->nrules++;
	return 0;
}

/* Every <HardLinkStoreControl><fileLocked> rule, in document order. The
 * depth guard bounds this recursion. */
static int collect(const xmlNode *n, uk_config *c, char *err, size_t errlen)
{
	for (; n; n = n->next) {
		if (!is_elem(n, "HardLinkStoreControl")) {
			if (n->type == XML_ELEMENT_NODE && collect(n->children, c, err, errlen))
				return -1;
			continue;
		}
		for (const xmlNode *fl = n->children; fl; fl = fl->next) {
			if (!is_elem(fl, "fileLocked"))
				continue;
			for (const xmlNode *e = fl->children; e; e = e->next)
				if ((is_elem(e, "createHardLink") || is_elem(e, "errorHardLink")) &&
				    add_rule(c, e, err, errlen))
					return -1;
		}
	}
	return 0;
}

static void parse_error(xmlParserCtxtPtr ctxt, char *err, size_t errlen)
{
	const xmlError *e = xmlCtxtGetLastError(ctxt);
	size_t n;

	if (!e || !e->message) {
		snprintf(err, errlen, "not a well-formed XML document");
		return;
	}
	snprintf(err, errlen, "line %d: not well-formed XML: %s", e->line, e->message);
	/* libxml2's messages span lines ("...\nBytes: 0x8A"): keep one. */
	for (char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	n = strlen(err);
	while (n > 0 && err[n - 1] == ' ')
		err[--n] = '\0';
}

int uk_config_load_mem(const char *xml, size_t n, uk_config *c, char *err, size_t errlen)
{
	struct guard g = {0};
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if (n > CFG_MAX_BYTES) {
		snprintf(err, errlen, "larger than %u bytes: refused", CFG_MAX_BYTES);
		return -1;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ctxt->_private = &g;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->startElementNs = on_start;
	ctxt->sax->endElementNs = on_end;
	doc = xmlCtxtReadMemory(ctxt, xml, (int)n, NULL, NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (g.refused)
		snprintf(err, errlen, "line %d: %s", g.line, g.refused);
	else if (!doc || !ctxt->wellFormed)
		parse_error(ctxt, err, errlen);
	else if (collect(xmlDocGetRootElement(doc), c, err, errlen) == 0)
		rc = 0;
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	if (rc)
		uk_config_free(c);
	return rc;
}

int uk_config_load(const char *path, uk_config *c, char *err, size_t errlen)
{
	char *buf, sub[512];
	size_t n;
	int rc;

	memset(c, 0, sizeof(*c));
	if (uk_readall_file(path, CFG_MAX_BYTES, &buf, &n, err, errlen))
		return -1;
	rc = uk_config_load_mem(buf, n, c, sub, sizeof(sub));
	if (rc)
		snprintf(err, errlen, "%s: %s", path, sub);
	free(buf);
	return rc;
}

void uk_config_free(uk_config *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		uk_pattern_free(c->rules[i].pattern);
	free(c->rules);
	c->rules = NULL;
	c->nrules = 0;
}

/* A leafless Config.xml pattern ("c:\Users\*") covers the files of the
 * folders its node selects, as if written with [*]. */
static int rule_matches(const uk_pattern *p, const char *win_path)
{
	const char *sep;
	char *dir;
	int m;

	if (uk_pattern_has_leaf(p))
		return uk_pattern_match(p, win_path, 0);
	sep = strrchr(win_path, '\\');
	if (!sep)
		return uk_pattern_match(p, "", 1);
	dir = malloc((size_t)(sep - win_path) + 1);
	if (!dir)
		return 0;
	memcpy(dir, win_path, (size_t)(sep - win_path));
	dir[sep - win_path] = '\0';
	m = uk_pattern_match(p, dir, 1);
	free(dir);
	return m;
}

const uk_hlrule *uk_config_rule_for(const uk_config *c, const char *win_path)
{
	const uk_hlrule *best = NULL;

	for (size_t i = 0; i < c->nrules; i++) {
		const uk_hlrule *r = &c->rules[i];

		if (best && uk_pattern_specificity(r->pattern) <= uk_pattern_specificity(best->pattern))
			continue; /* ties go to the earlier rule */
		if (rule_matches(r->pattern, win_path))
			best = r;
	}
	return best;
}

const char *uk_hl_action_name(int action)
{
	return action == UK_HL_CREATE ? "createHardLink" : action == UK_HL_ERROR ? "errorHardLink"
	                                                                        : "unknown";
}
