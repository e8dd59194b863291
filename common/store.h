/* Recognising a migration store and mapping its paths (SPEC.md section 1).
 *
 *   store entry  <store>/USMT/File/C$/Users/a/x.doc      (local path)
 *   rel          C$/Users/a/x.doc                         ('/'-separated)
 *   Windows path C:\Users\a\x.doc                         (after --map)
 *   restored     /mnt/c/Users/a/x.doc (--root C=/mnt/c)   (local path; on Windows = the Windows path)
 */
#ifndef UK_STORE_H
#define UK_STORE_H

#include <stddef.h>

enum uk_store_kind {
	UK_STORE_NONE = 0,     /* not a store: refused, exit 2 */
	UK_STORE_HARDLINK,     /* USMT/File + catalog.mig + MIGSTATE.DAT + hardlink.main */
	UK_STORE_UNCOMPRESSED, /* USMT/File + catalog.mig + MIGSTATE.DAT */
	UK_STORE_COMPRESSED    /* USMT/USMT.MIG: refused, UsmtUtils /verify covers it */
};

typedef struct uk_store {
	char *path;     /* absolute store root as given (C:\USMTMIG, /mnt/c/USMTMIG) */
	char *usmt;     /* <path>/USMT */
	char *file_dir; /* <path>/USMT/File */
	int kind;
} uk_store;

/* Recognises the store at `path`. Returns its kind; for UK_STORE_NONE and
 * UK_STORE_COMPRESSED, err holds the one-line reason to print. A store whose
 * root, USMT or File folder is a symbolic link or reparse point is NONE. */
int uk_store_open(const char *path, uk_store *s, char *err, size_t errlen);
void uk_store_free(uk_store *s);
const char *uk_store_kind_name(int kind); /* "hardlink", "uncompressed", ... */
/* The entry of folder dir named `name` as Windows matches names (exact
 * spelling first, else the case folding of wincase.h): its path as on disk
 * (malloc'd) and type, or NULL. The one lookup the store and verify's
 * restored side share. */
char *uk_store_child_ci(const char *dir, const char *name, int *type);

/* --all-volumes (as UsmtUtils /rd): each store given, then the same-named
 * folder on every other fixed volume when it holds a store, each once.
 * "C:\USMTMIG" also finds "D:\USMTMIG". Returns UK_EXIT_OK with a malloc'd
 * list (free with uk_store_list_free); otherwise prints why and returns
 * UK_EXIT_USAGE (no drive letters on this OS) or UK_EXIT_RUNTIME. */
int uk_store_all_volumes(char *const *stores, size_t n, char ***out, size_t *nout);
void uk_store_list_free(char **list, size_t n);

/* "C$/Users/a/x" -> "C:\Users\a\x" (malloc'd); NULL when the first
 * component is not a drive folder "X$". */
char *uk_store_rel_to_win(const char *rel);
/* 1 when rel (as a database holds it) is a relative path with no "", "." or
 * ".." part and nothing this OS reads as more than a name: only such a path
 * may be joined to a folder and touched. */
int uk_store_rel_safe(const char *rel);
/* base + rel, rel's '/' turned into UK_SEP (malloc'd; NULL: out of memory). */
char *uk_store_rel_local(const char *base, const char *rel);

/* Drive letters of the "X$" folders under File, upper-case, in listing
 * order, NUL-terminated; returns how many. */
size_t uk_store_drives(const uk_store *s, char letters[27]);

/* Drive and path mapping: --root X=DIR (POSIX), --map FROM=TO (any OS). */
typedef struct uk_pathmap uk_pathmap;
uk_pathmap *uk_pathmap_new(void);
void uk_pathmap_free(uk_pathmap *m);
/* 0, or -1 with a one-line reason in err (bad syntax). */
int uk_pathmap_add_root(uk_pathmap *m, const char *spec, char *err, size_t errlen);
int uk_pathmap_add_map(uk_pathmap *m, const char *spec, char *err, size_t errlen);
/* When no --root was given and the store holds exactly one drive folder,
 * that letter maps to the mount point of the file system holding the store
 * (POSIX). No-op on Windows. */
int uk_pathmap_default_root(uk_pathmap *m, const uk_store *s);
/* The local folder a drive letter maps to, or NULL. */
const char *uk_pathmap_root(const uk_pathmap *m, int letter);
/* The --map rules in order (normalised: '\\' separators, no trailing '\\'). */
size_t uk_pathmap_map_count(const uk_pathmap *m);
void uk_pathmap_map_get(const uk_pathmap *m, size_t i, const char **from, const char **to);
/* --map applied (case-insensitive prefix, first match wins); malloc'd. */
char *uk_pathmap_map_win(const uk_pathmap *m, const char *win);
/* The Windows path has a "." or ".." folder (never mapped to a local path:
 * on POSIX a store name "..\..\x" would climb out of the --root folder). */
int uk_store_win_has_dot(const char *win);
/* Windows path (already mapped) -> local path on this machine; malloc'd,
 * NULL when its drive has no root (POSIX) or a component is "." or "..". */
char *uk_pathmap_win_to_local(const uk_pathmap *m, const char *win);

#endif
