/* The verdict of one store file (judge.c). */
#ifndef UK_VERIFY_JUDGE_H
#define UK_VERIFY_JUDGE_H

#include "verify.h"

typedef struct uk_judge_ctx {
	const uk_patternset *exclude;
	const uk_config *config;
	int hash_always;
	int repair;
	const uk_pathmap *map; /* --repair creates folders only below its roots */
	const uk_store *stores; /* a restored folder inside one is no restoration */
	size_t nstores;
} uk_judge_ctx;

/* r->rel, win, local and store_path set, r->st the store entry's lstat (or
 * st_err its error): decides what identity and sizes can decide. Returns 1
 * when r->job must be hashed before it is final. */
int uk_judge(const uk_judge_ctx *c, uk_rdir *rd, uk_vrec *r, int st_err);
/* Applies a finished hash job; adds the bytes read to *hashed_bytes. */
void uk_judge_hashed(uk_vrec *r, uint64_t *hashed_bytes);
/* Sets r->sole_copy from the final verdict and link count. */
void uk_judge_sole_copy(uk_vrec *r);

#endif
