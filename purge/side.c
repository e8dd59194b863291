/* A query of one row of integers on a connection of its own and a thread
 * of its own, so the main thread (the only user of purge's connection) can
 * do something else meanwhile. The second connection reads only what was
 * committed; never for a dry run's tables, which are its connection's own. */
#include <pthread.h>
#include <string.h>

#include "purge.h"

static void run(uk_purge_side *q)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_open_v2(q->path, &db, SQLITE_OPEN_READONLY, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 10000);
		/* One pass over the rows: a small cache, so memory stays flat in
		 * the number of steps (SQLite's default 2 MiB grew with them). */
		rc = sqlite3_exec(db, "PRAGMA cache_size=-64", NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, q->sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < q->n; i++)
			q->v[i] = sqlite3_column_int64(st, i);
		rc = SQLITE_OK;
	}
	q->rc = rc == SQLITE_OK ? 0 : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void *side_main(void *arg)
{
	run(arg);
	return NULL;
}

void uk_purge_side_start(uk_purge_side *q, const char *db_path, char *sql, int n)
{
	memset(q, 0, sizeof(*q));
	q->path = db_path;
	q->sql = sql;
	q->n = n < UK_PURGE_SIDE_MAX ? n : UK_PURGE_SIDE_MAX;
	q->rc = -1;
	if (!sql)
		return;
	q->started = pthread_create(&q->th, NULL, side_main, q) == 0;
	if (!q->started)
		run(q); /* no thread: here and now */
}

int uk_purge_side_join(uk_purge_side *q)
{
	if (q->started)
		pthread_join(q->th, NULL);
	q->started = 0;
	sqlite3_free(q->sql);
	q->sql = NULL;
	return q->rc;
}
