/* The usmtkit database: one SQLite file per store (default: the store path
 * with ".usmtkit.db" appended, beside the store so it survives the purge).
 * verify writes verdicts, report stores parsed logs, purge its journal.
 * Schema: common/db_schema.c, documented in docs/DATABASE.md. */
#ifndef UK_DB_H
#define UK_DB_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#define UK_DB_SCHEMA_VERSION 3

/* Opens (creating when `create`) and migrates to UK_DB_SCHEMA_VERSION.
 * A database from a newer usmtkit is refused. A file that is not a usmtkit
 * database -- not SQLite, or SQLite holding another program's tables -- is
 * refused with SQLITE_NOTADB and never written; with `create`, only a new or
 * empty file is initialised. On failure returns non-zero with a one-line
 * reason in err. */
int uk_db_open(const char *path, int create, sqlite3 **db, char *err, size_t errlen);
void uk_db_close(sqlite3 *db);

/* A new database that no other process can see until it is complete: built
 * at `tmp` (which must not exist), moved to `path` by uk_db_publish(). No
 * journal and no fsync while it is written: a crash leaves only `tmp`,
 * which nothing reads, so there is nothing a journal would protect. Same
 * schema, page size and return codes as uk_db_open(). */
int uk_db_create_private(const char *tmp, sqlite3 **db, char *err, size_t errlen);
/* Closes a private database (every statement finalized) in WAL mode, as
 * uk_db_open() leaves a file, flushes it to the disk, moves it to `path`
 * only when nothing is there (uk_fs_err_exists() in *fs_err otherwise),
 * and makes the move durable. The database is closed either way; on
 * failure err says why and what is left is at `tmp`. */
int uk_db_publish(sqlite3 *db, const char *tmp, const char *path, int *fs_err, char *err,
                  size_t errlen);

/* Default database path for a store: "<store>.usmtkit.db" (malloc'd). */
char *uk_db_default_path(const char *store_path);

/* 1 when uk_db_open() failed because the file is not a usmtkit database
 * (a usage error, exit 2), 0 for any other failure. */
int uk_db_err_notadb(int rc);

/* After a failed uk_db_open(): prints its reason (it names the file) as
 * one uk_error() line and returns the exit code every tool gives:
 * UK_EXIT_USAGE for a file that is not a usmtkit database (unreadable
 * input), UK_EXIT_RUNTIME otherwise (a newer schema, locked, I/O). */
int uk_db_open_failed(int rc, const char *err);

/* sqlite3_prepare_v2() that says why it failed: one uk_error() line naming
 * the SQLite error. Returns the SQLite code. */
int uk_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);

/* The verify run that counts for a set of stores: the latest finished run
 * that covered every one of them. n == 0 means every store the database
 * knows. *run_id = 0 when there is none. 0, or -1 after uk_error(). */
int uk_db_verify_run(sqlite3 *db, const int64_t *store_ids, size_t n, int64_t *run_id);

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
extern const char uk_schema_v3_purge[];    /* version 2 -> 3: ALTER TABLE only */
extern const char uk_schema_v3_fill[];     /* version 2 -> 3: an older pending list */

#endif
