/* MigXML patterns as USMT writes them: `C:\Users\* [*.mp3]`.
 * A pattern is a node (folder, with * and ? wildcards) and an optional
 * [leaf] (file name). `C:\X\*` = X and every subfolder, no files;
 * `C:\X\* [*]` adds their files; `C:\X\ [*]` = the files of X only;
 * `C:\*\Drafts\* [*]` = that folder anywhere. `^` escapes [ and ] (and ^).
 * Matching is case-insensitive (ASCII and Latin letters at least). */
#ifndef UK_PATTERN_H
#define UK_PATTERN_H

#include <stddef.h>

typedef struct uk_pattern uk_pattern;

/* NULL with a one-line reason in err when the text is not a pattern. */
uk_pattern *uk_pattern_parse(const char *text, char *err, size_t errlen);
void uk_pattern_free(uk_pattern *p);
const char *uk_pattern_text(const uk_pattern *p);
/* win_path: "C:\Users\a\x.doc"; is_dir: the path names a folder. A file
 * matches when the node matches its folder and the leaf its name (a pattern
 * without [leaf] matches no file); a folder matches when the node does. */
int uk_pattern_match(const uk_pattern *p, const char *win_path, int is_dir);
/* 1 when the pattern has a [leaf] (Config.xml reads a leafless one as [*]). */
int uk_pattern_has_leaf(const uk_pattern *p);
/* Higher = more specific (USMT: the most specific pattern wins). */
int uk_pattern_specificity(const uk_pattern *p);

/* An ordered list of patterns (--exclude, --exclude-from). */
typedef struct uk_patternset uk_patternset;
uk_patternset *uk_patternset_new(void);
void uk_patternset_free(uk_patternset *s);
int uk_patternset_add(uk_patternset *s, const char *text, char *err, size_t errlen);
/* One pattern a line; blank lines and lines starting with # ignored. */
int uk_patternset_add_file(uk_patternset *s, const char *path, char *err, size_t errlen);
size_t uk_patternset_count(const uk_patternset *s);
/* The first matching pattern, or NULL. */
const uk_pattern *uk_patternset_match(const uk_patternset *s, const char *win_path, int is_dir);

#endif
