/* Config.xml: the <HardLinkStoreControl><fileLocked> rules, read with
 * libxml2 with network access and external entities off. */
#ifndef UK_CONFIG_H
#define UK_CONFIG_H

#include <stddef.h>
#include "pattern.h"

enum uk_hl_action { UK_HL_CREATE = 1, UK_HL_ERROR = 2 }; /* createHardLink, errorHardLink */

typedef struct uk_hlrule {
	int action;
	uk_pattern *pattern;
	int order; /* document order */
} uk_hlrule;

typedef struct uk_config {
	uk_hlrule *rules;
	size_t nrules;
} uk_config;

/* 0, or -1 with a one-line reason in err (unreadable, not XML, refused). */
int uk_config_load(const char *path, uk_config *c, char *err, size_t errlen);
int uk_config_load_mem(const char *xml, size_t n, uk_config *c, char *err, size_t errlen);
void uk_config_free(uk_config *c);
/* The rule deciding win_path (most specific wins, then document order), or NULL. */
const uk_hlrule *uk_config_rule_for(const uk_config *c, const char *win_path);
const char *uk_hl_action_name(int action); /* "createHardLink" / "errorHardLink" */

#endif
