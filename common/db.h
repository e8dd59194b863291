/* The usmtkit database: one SQLite file per store (default: the store path
 * with ".usmtkit.db" appended, beside the store so it survives the purge).
 * verify writes verdicts, report stores parsed logs, purge its journal.
 * Schema: common/db_schema.c, documented in docs/DATABASE.md. */
#ifndef UK_DB_H
#define UK_DB_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#define UK_DB_SCHEMA_VERSION 2

/* Opens (creating when `create`) and migrates to UK_DB_SCHEMA_VERSION.
 * A database from a newer usmtkit is refused. On failure returns non-zero
 * with a one-line reason in err. */
int uk_db_open(const char *path, int create, sqlite3 **db, char *err, size_t errlen);
void uk_db_close(sqlite3 *db);

/* Default database path for a store: "<store>.usmtkit.db" (malloc'd). */
char *uk_db_default_path(const char *store_path);

/* Runs SQL with no results; on error returns the SQLite code and prints a
 * diagnostic through uk_error(). */
int uk_db_exec(sqlite3 *db, const char *sql);

/* Row id of a store, inserted on first sight; -1 on error. */
int64_t uk_db_store_id(sqlite3 *db, const char *path, const char *kind);

/* "2026-11-22T03:04:05Z" (UTC) into buf[24]. */
const char *uk_db_now(char buf[24]);

/* Schema SQL parts (db_schema.c). */
extern const char uk_schema_common[];
extern const char uk_schema_verify[];
extern const char uk_schema_report[];
extern const char uk_schema_purge[];
extern const char uk_schema_v2_baseline[]; /* version 1 -> 2 */

#endif
