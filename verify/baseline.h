/* The store's baseline (SPEC.md section 4a): taken once with --baseline
 * right after ScanState (baseline.c), compared by every later run (bcompare.c). */
#ifndef UK_VERIFY_BASELINE_H
#define UK_VERIFY_BASELINE_H

#include "verify.h"

/* usmt-verify --baseline: the whole run; returns the exit code. */
int uk_baseline_take(const uk_verify_opts *o);

/* A normal run's view of the baselines, through a read connection of its
 * own (the run's connection belongs to its writer thread). */
typedef struct uk_bl uk_bl;
/* 0, or -1 after saying why. */
int uk_bl_open(const char *db_path, int rehash, uk_bl **out);
void uk_bl_close(uk_bl *b);
/* The store walked next: 1 when it has a baseline, 0 when not, -1 after
 * saying why. */
int uk_bl_store(uk_bl *b, int64_t store_id);
/* After uk_judge(), which returned `want`: looks r's baseline row up when
 * its verdict leaves the content unproven (anything but a linked file,
 * unless --rehash or --hash=always reads it anyway). Returns 1 when r->job
 * must be hashed; a store-only job is set up when uk_judge wanted none. */
int uk_bl_judge(uk_bl *b, uk_vrec *r, int want);
/* After uk_judge_sole_copy(): the baseline verdicts. `corrupt` (content
 * differs, size and mtime do not) replaces any verdict and is a sole copy;
 * `changed-since-capture` (an edit) replaces all but `linked`: an edit of a
 * linked file is the restored file's own. */
void uk_bl_apply(uk_vrec *r);
/* Every baseline row of store_id the run recorded no entry for becomes a
 * `lost-since-capture` record: mk(ctx, store_id, rel) makes it, done(ctx, r)
 * takes it over. Paths matching `exclude` are skipped. The run's rows must
 * be committed (uk_vdb_sync). 0, or -1 after saying why. */
int uk_bl_lost(uk_bl *b, int64_t store_id, int64_t run_id, const uk_patternset *exclude,
               uk_vrec *(*mk)(void *ctx, int64_t store_id, const char *rel),
               void (*done)(void *ctx, uk_vrec *r), void *ctx);

#endif
