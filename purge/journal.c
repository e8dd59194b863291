/* The purge journal (tables purge_run, purge_run_store, purge_step,
 * purge_pending in common/db_schema.c). A run's whole plan is committed
 * before the first deletion, so every step is on disk, `planned`, before it
 * happens; states move to done/gone/kept/left/blocked/scheduled in batched
 * transactions. A step left `planned` by a killed run is simply tried again:
 * every step is idempotent and re-checked against the disk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "grow.h"
#include "out.h"
#include "purge.h"

/* Step states committed together. The plan is on disk before anything is
 * deleted; a state only lags its step, and a killed run re-checks and redoes
 * whatever is still `planned` (a file already gone becomes `done`). 4096
 * rather than 256: a commit is an fdatasync (synchronous=FULL), ~400 of them
 * for 100k files were a third of purge's wall time (bench/before-after.md). */
#define UK_PURGE_BATCH 4096

struct uk_purge_blk {
	char *rel;
	int below; /* UK_PURGE_BELOW_KEPT or UK_PURGE_BELOW_SCHEDULED */
};

/* The journal's own state, behind uk_purge.jr. */
struct uk_purge_journal {
	int in_tx;              /* an open batch transaction */
	unsigned tx_steps;      /* steps in it */
	sqlite3_stmt *q_set;    /* step state update */
	/* The steps of one store that keep a folder (kept, left, blocked,
	 * scheduled): those of phases 1-2 sorted by rel, and per phase what
	 * they add up to, so uk_purge_below needs no query; loaded at its first
	 * call for a store, then kept up to date by uk_purge_step_set. */
	struct uk_purge_blk *blk;
	size_t nblk, blk_cap;
	int blk_phase[UK_PHASE_ROOT + 1];
	int64_t blk_store;
	int blk_loaded;
};

/* p's journal state, made at the first use; NULL when out of memory. */
static struct uk_purge_journal *jr(uk_purge *p)
{
	if (!p->jr && !(p->jr = calloc(1, sizeof(*p->jr))))
		uk_error("out of memory");
	return p->jr;
}

static int exec(uk_purge *p, const char *sql)
{
	return uk_db_exec(p->db, sql) == SQLITE_OK ? 0 : -1;
}

/* `sql` with every `from` replaced by `to`; malloc'd, NULL when out of memory. */
static char *replace_all(const char *sql, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), cap = strlen(sql) + 1, n = 0;
	const char *s, *m;
	char *r;

	for (s = sql; (m = strstr(s, from)) != NULL; s = m + nf)
		cap += nt;
	if (!(r = malloc(cap)))
		return NULL;
	for (s = sql; (m = strstr(s, from)) != NULL; s = m + nf) {
		memcpy(r + n, s, (size_t)(m - s));
		n += (size_t)(m - s);
		memcpy(r + n, to, nt);
		n += nt;
	}
	strcpy(r + n, s);
	return r;
}

/* TEMP tables of the same names shadow the journal for unqualified names:
 * a dry run plans and "carries out" everything there and never writes the
 * database file. They are made by the statements that made the journal
 * (version 1, then the columns version 3 added), so their columns are the
 * file's, in its order, and SELECT * copies them. */
int uk_purge_dry_tables(uk_purge *p)
{
	static const char *const copy =
		"INSERT INTO temp.purge_run SELECT * FROM main.purge_run;"
		"INSERT INTO temp.purge_run_store SELECT * FROM main.purge_run_store;"
		"INSERT INTO temp.purge_step SELECT * FROM main.purge_step;"
		"INSERT INTO temp.purge_pending SELECT * FROM main.purge_pending;";
	char *create = replace_all(uk_schema_purge, "CREATE TABLE ", "CREATE TEMP TABLE ");
	char *alter = replace_all(uk_schema_v3_purge, "ALTER TABLE ", "ALTER TABLE temp.");
	int rc = create && alter ? exec(p, create) : -1;

	if (!create || !alter)
		uk_error("out of memory");
	if (!rc)
		rc = exec(p, alter);
	free(create);
	free(alter);
	return rc ? rc : exec(p, copy);
}

int uk_purge_tx_begin(uk_purge *p)
{
	struct uk_purge_journal *j = jr(p);

	if (!j)
		return -1;
	if (j->in_tx)
		return 0;
	if (exec(p, "BEGIN IMMEDIATE"))
		return -1;
	j->in_tx = 1;
	j->tx_steps = 0;
	return 0;
}

int uk_purge_tx_commit(uk_purge *p)
{
	if (!p->jr || !p->jr->in_tx)
		return 0;
	p->jr->in_tx = 0;
	return exec(p, "COMMIT");
}

static void tx_rollback(uk_purge *p)
{
	if (!p->jr || !p->jr->in_tx)
		return;
	sqlite3_exec(p->db, "ROLLBACK", NULL, NULL, NULL);
	p->jr->in_tx = 0;
}

int uk_purge_tx_steps(uk_purge *p, unsigned n)
{
	struct uk_purge_journal *j = jr(p);

	if (!j)
		return -1;
	j->tx_steps += n;
	if (j->tx_steps < UK_PURGE_BATCH)
		return 0;
	return uk_purge_tx_commit(p) || uk_purge_tx_begin(p) ? -1 : 0;
}

int uk_purge_tx_step(uk_purge *p)
{
	return uk_purge_tx_steps(p, 1);
}

static sqlite3_stmt *prepare(uk_purge *p, const char *sql)
{
	sqlite3_stmt *q = NULL;

	uk_db_prepare(p->db, sql, &q);
	return q;
}

static int step_done(uk_purge *p, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		uk_error("database: %s", sqlite3_errmsg(p->db));
	sqlite3_reset(q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* ---- what keeps a folder, in memory (see uk_purge_below) ---- */

static int keeps_folder(const char *state)
{
	return strcmp(state, "kept") == 0 || strcmp(state, "left") == 0 ||
	       strcmp(state, "blocked") == 0 || strcmp(state, "scheduled") == 0;
}

/* The first entry whose rel is >= key (byte order, as SQLite's BINARY). */
static size_t blk_lower(const struct uk_purge_journal *j, const char *key)
{
	size_t lo = 0, hi = j->nblk;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(j->blk[mid].rel, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int blk_add(struct uk_purge_journal *j, int phase, const char *rel, const char *state)
{
	int below = strcmp(state, "scheduled") == 0 ? UK_PURGE_BELOW_SCHEDULED :
	            UK_PURGE_BELOW_KEPT;
	size_t i;
	char *copy;

	if (phase >= UK_PHASE_ENTRY && phase <= UK_PHASE_ROOT)
		j->blk_phase[phase] |= below;
	if (phase > UK_PHASE_DIR)
		return 0;
	if (uk_grow(&j->blk, j->nblk, &j->blk_cap, sizeof(*j->blk), 64))
		return -1;
	if (!(copy = strdup(rel)))
		return -1;
	i = blk_lower(j, rel);
	memmove(j->blk + i + 1, j->blk + i, (j->nblk - i) * sizeof(*j->blk));
	j->blk[i].rel = copy;
	j->blk[i].below = below;
	j->nblk++;
	return 0;
}

static void blk_free(struct uk_purge_journal *j)
{
	for (size_t i = 0; i < j->nblk; i++)
		free(j->blk[i].rel);
	free(j->blk);
	j->blk = NULL;
	j->nblk = j->blk_cap = 0;
	memset(j->blk_phase, 0, sizeof(j->blk_phase));
	j->blk_loaded = 0;
}

void uk_purge_journal_free(uk_purge *p)
{
	if (!p->jr)
		return;
	sqlite3_finalize(p->jr->q_set);
	blk_free(p->jr);
	free(p->jr);
	p->jr = NULL;
}

/* This run's steps of one store that keep a folder, as the journal holds
 * them now (a resumed run's too); step_set adds later ones. */
static int blk_load(uk_purge *p, struct uk_purge_journal *j, int64_t store_id)
{
	sqlite3_stmt *q;
	int rc;

	blk_free(j);
	if (uk_db_prepare(p->db, "SELECT phase, rel, state FROM purge_step WHERE "
	                  "run_id = ? AND store_id = ? AND state IN ('kept', 'left', "
	                  "'blocked', 'scheduled')", &q) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(q, 1, p->run);
	sqlite3_bind_int64(q, 2, store_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (blk_add(j, sqlite3_column_int(q, 0), (const char *)sqlite3_column_text(q, 1),
		            (const char *)sqlite3_column_text(q, 2))) {
			rc = SQLITE_NOMEM;
			break;
		}
	if (rc != SQLITE_DONE)
		uk_error("database: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(p->db));
	sqlite3_finalize(q);
	j->blk_store = store_id;
	j->blk_loaded = rc == SQLITE_DONE;
	return j->blk_loaded ? 0 : -1;
}

int uk_purge_step_set(uk_purge *p, int64_t store_id, int phase, const char *rel,
                      const char *state, const char *reason)
{
	struct uk_purge_journal *j = jr(p);

	if (!j || (!j->q_set && !(j->q_set = prepare(p, "UPDATE purge_step SET state = ?, "
	                                             "reason = ? WHERE run_id = ? AND "
	                                             "store_id = ? AND phase = ? AND rel = ?"))))
		return -1;
	sqlite3_bind_text(j->q_set, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(j->q_set, 2, reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(j->q_set, 3, p->run);
	sqlite3_bind_int64(j->q_set, 4, store_id);
	sqlite3_bind_int(j->q_set, 5, phase);
	sqlite3_bind_text(j->q_set, 6, rel, -1, SQLITE_STATIC);
	if (step_done(p, j->q_set))
		return -1;
	if (j->blk_loaded && store_id == j->blk_store && keeps_folder(state) &&
	    blk_add(j, phase, rel, state)) {
		uk_error("out of memory");
		return -1;
	}
	return uk_purge_tx_step(p);
}

/* Committed at once: the clear that follows may be the last thing this
 * process does, and the next run must know to re-apply read-only. */
int uk_purge_step_ro_cleared(uk_purge *p, int64_t store_id, int phase, const char *rel)
{
	sqlite3_stmt *q = prepare(p, "UPDATE purge_step SET ro_cleared = 1 WHERE run_id = ? "
	                          "AND store_id = ? AND phase = ? AND rel = ?");
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, p->run);
	sqlite3_bind_int64(q, 2, store_id);
	sqlite3_bind_int(q, 3, phase);
	sqlite3_bind_text(q, 4, rel, -1, SQLITE_STATIC);
	rc = step_done(p, q);
	sqlite3_finalize(q);
	if (rc || uk_purge_tx_commit(p) || uk_purge_tx_begin(p))
		return -1;
	return 0;
}

/* Asked once a folder, deepest first: the answer comes from memory (blk),
 * not from counting the journal beneath each folder again, which grew as
 * files x depth (28 % of purge's instructions on 10k files). */
int uk_purge_below(uk_purge *p, int64_t store_id, int phase, const char *rel)
{
	struct uk_purge_journal *j = jr(p);
	size_t n = strlen(rel), i;
	char *lo;
	int r = 0;

	if (!j || ((!j->blk_loaded || j->blk_store != store_id) && blk_load(p, j, store_id)))
		return -1;
	if (phase != UK_PHASE_DIR) {
		for (i = UK_PHASE_ENTRY; i < (size_t)phase && i <= UK_PHASE_ROOT; i++)
			r |= j->blk_phase[i];
		return r;
	}
	/* Every rel below "a/b" starts with "a/b/": a run from "a/b/" on. */
	if (!(lo = malloc(n + 2))) {
		uk_error("out of memory");
		return -1;
	}
	memcpy(lo, rel, n);
	memcpy(lo + n, "/", 2);
	for (i = blk_lower(j, lo); i < j->nblk && strncmp(j->blk[i].rel, lo, n + 1) == 0; i++)
		r |= j->blk[i].below;
	free(lo);
	return r;
}

/* The newest killed run of the same verify run over the same stores. */
static int64_t resumable(uk_purge *p, const char *ids)
{
	char *sql = sqlite3_mprintf(
		"SELECT id FROM purge_run r WHERE mode = 'purge' AND finished IS NULL AND "
		"verify_run_id = %lld AND (SELECT count(*) FROM purge_run_store s WHERE "
		"s.run_id = r.id) = %d AND (SELECT count(*) FROM purge_run_store s WHERE "
		"s.run_id = r.id AND s.store_id IN (%s)) = %d ORDER BY id DESC LIMIT 1",
		(long long)p->verify_run, (int)p->nst, ids, (int)p->nst);
	sqlite3_stmt *q = sql ? prepare(p, sql) : NULL;
	int64_t id = 0;

	sqlite3_free(sql);
	if (!q)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return id;
}

static int insert_run(uk_purge *p, const char *mode)
{
	sqlite3_stmt *q = prepare(p, "INSERT INTO purge_run(verify_run_id, mode, started, "
	                          "version, command_line, force, force_data_loss) "
	                          "VALUES(?, ?, ?, ?, ?, ?, ?)");
	char now[24];
	size_t i;
	int rc;

	if (!q)
		return -1;
	if (p->verify_run)
		sqlite3_bind_int64(q, 1, p->verify_run);
	sqlite3_bind_text(q, 2, mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, uk_db_now(now), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, UK_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, p->o->command_line, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, p->o->force);
	sqlite3_bind_int(q, 7, p->o->force_data_loss);
	rc = step_done(p, q);
	sqlite3_finalize(q);
	if (rc)
		return -1;
	p->run = sqlite3_last_insert_rowid(p->db);
	if (!(q = prepare(p, "INSERT INTO purge_run_store(run_id, store_id) VALUES(?, ?)")))
		return -1;
	for (i = 0; i < p->nst && !rc; i++) {
		sqlite3_bind_int64(q, 1, p->run);
		sqlite3_bind_int64(q, 2, p->st[i].id);
		rc = step_done(p, q);
	}
	sqlite3_finalize(q);
	return rc;
}

int uk_purge_run_begin(uk_purge *p, const char *mode)
{
	char *ids = uk_purge_store_ids(p);
	int64_t id = ids && strcmp(mode, "purge") == 0 ? resumable(p, ids) : 0;

	free(ids);
	if (id < 0 || !ids)
		return -1;
	if (id > 0) {
		p->run = id;
		p->resumed = 1;
		uk_info("carrying on purge run %lld, interrupted before it finished",
		        (long long)id);
		return 0;
	}
	/* The run and its whole plan in one transaction: all or nothing. */
	if (uk_purge_tx_begin(p) || insert_run(p, mode) ||
	    (strcmp(mode, "purge") == 0 && uk_purge_plan(p)))
		goto fail;
	return uk_purge_tx_commit(p);
fail:
	tx_rollback(p);
	return -1;
}

/* The run's counts, from its journal (what each step ended as). */
#define COUNT_SQL "SELECT " \
	"count(*) FILTER (WHERE state = 'done' AND kind <> 'dir'), " \
	"count(*) FILTER (WHERE state = 'done' AND kind = 'dir'), " \
	"count(*) FILTER (WHERE state = 'scheduled'), " \
	"count(*) FILTER (WHERE state IN ('kept', 'left')), " \
	"count(*) FILTER (WHERE state = 'left') " \
	"FROM purge_step WHERE run_id = %lld"

static void counts_from(uk_purge *p, const int64_t *v)
{
	p->c.deleted_files = (uint64_t)v[0];
	p->c.deleted_dirs = (uint64_t)v[1];
	p->c.scheduled = (uint64_t)v[2];
	p->c.kept = (uint64_t)v[3];
	p->c.left = (uint64_t)v[4];
}

void uk_purge_count_start(uk_purge *p, uk_purge_side *q)
{
	memset(q, 0, sizeof(*q));
	/* A dry run's journal is its connection's own (temp tables). */
	if (!p->o->dry_run)
		uk_purge_side_start(q, p->db_path, sqlite3_mprintf(COUNT_SQL, (long long)p->run), 5);
}

int uk_purge_count_finish(uk_purge *p, uk_purge_side *q)
{
	char *sql;
	sqlite3_stmt *st;
	int64_t v[5];
	int rc;

	/* The second connection is only quicker: when it fails, the main one
	 * counts (and says why if it fails too). */
	if (!p->o->dry_run && uk_purge_side_join(q) == 0) {
		counts_from(p, q->v);
		return 0;
	}
	if (!(sql = sqlite3_mprintf(COUNT_SQL, (long long)p->run)))
		return -1;
	st = prepare(p, sql);
	sqlite3_free(sql);
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	for (int i = 0; i < 5; i++)
		v[i] = sqlite3_column_int64(st, i);
	if (rc != SQLITE_ROW)
		uk_error("database: %s", sqlite3_errmsg(p->db));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return -1;
	counts_from(p, v);
	return 0;
}

void uk_purge_kept_reason(uk_purge *p, char *buf, size_t n)
{
	sqlite3_stmt *q = prepare(p, "SELECT count(*), reason, count(*) OVER () FROM purge_step "
	                          "WHERE run_id = ? AND state IN ('kept', 'left') "
	                          "GROUP BY reason ORDER BY 1 DESC, 2 LIMIT 1");

	snprintf(buf, n, "the store is still there: %llu kept", (unsigned long long)p->c.kept);
	if (!q)
		return;
	sqlite3_bind_int64(q, 1, p->run);
	if (sqlite3_step(q) == SQLITE_ROW) {
		long long groups = sqlite3_column_int64(q, 2);
		snprintf(buf, n, "the store is still there: %llu kept, %lld because %s%s",
		         (unsigned long long)p->c.kept, (long long)sqlite3_column_int64(q, 0),
		         (const char *)sqlite3_column_text(q, 1),
		         groups > 1 ? " (and for other reasons)" : "");
	}
	sqlite3_finalize(q);
}

int uk_purge_run_finish(uk_purge *p)
{
	sqlite3_stmt *q;
	char now[24];
	int rc;

	if (uk_purge_tx_commit(p))
		return -1;
	if (!(q = prepare(p, "UPDATE purge_run SET finished = ?, result = ?, deleted_files = ?, "
	                  "deleted_dirs = ?, readonly_restored = ?, scheduled = ?, kept = ? "
	                  "WHERE id = ?")))
		return -1;
	sqlite3_bind_text(q, 1, uk_db_now(now), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, (int64_t)p->c.deleted_files);
	sqlite3_bind_int64(q, 4, (int64_t)p->c.deleted_dirs);
	sqlite3_bind_int64(q, 5, (int64_t)p->c.readonly_restored);
	sqlite3_bind_int64(q, 6, (int64_t)p->c.scheduled);
	sqlite3_bind_int64(q, 7, (int64_t)p->c.kept);
	sqlite3_bind_int64(q, 8, p->run);
	rc = step_done(p, q);
	sqlite3_finalize(q);
	return rc;
}
