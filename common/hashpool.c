/* The hashing thread pool: a queue of jobs to do, a queue of jobs done. */
#include <pthread.h>
#include <stdlib.h>

#include "fs.h"
#include "hash.h"

struct uk_queue { uk_hashjob *head, *tail; };

/* Jobs the submitter gathers before it hands them to the workers under one
 * lock, waking the idle ones: a lock and a wake-up a job (most are small
 * files) took the core from the submitting thread, which feeds the whole
 * run, and made it wait on the workers' lock. */
#define UK_POOL_BATCH 16
/* Or once this many bytes are staged: a large file goes to a worker at once. */
#define UK_POOL_BATCH_BYTES (1u << 20)

struct uk_hashpool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct uk_queue todo, finished;
	struct uk_queue staged; /* the submitter's, not yet handed over */
	size_t nstaged;
	uint64_t staged_bytes;
	size_t inflight;        /* the submitter's: submitted, not collected */
	unsigned idle;          /* workers waiting for work */
	int stop;
	unsigned nthreads;
	pthread_t *threads;
};

static void push(struct uk_queue *q, uk_hashjob *j)
{
	j->next_ = NULL;
	if (q->tail)
		q->tail->next_ = j;
	else
		q->head = j;
	q->tail = j;
}

static uk_hashjob *pop(struct uk_queue *q)
{
	uk_hashjob *j = q->head;

	if (j) {
		q->head = j->next_;
		if (!q->head)
			q->tail = NULL;
	}
	return j;
}

static void run_job(uk_hashjob *j)
{
	for (int i = 0; i < 2; i++) {
		j->err[i] = 0;
		j->bytes[i] = 0;
		if (j->path[i])
			j->err[i] = uk_hash_file(j->path[i], &j->h[i], &j->bytes[i]);
	}
}

static void *worker(void *arg)
{
	uk_hashpool *p = arg;
	uk_hashjob *j;

	uk_fs_thread_helper(); /* the submitting thread feeds the run */
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->todo.head && !p->stop) {
			p->idle++;
			pthread_cond_wait(&p->work, &p->mu);
			p->idle--;
		}
		j = pop(&p->todo);
		if (!j)
			break; /* stopping and nothing left to do */
		pthread_mutex_unlock(&p->mu);
		run_job(j);
		pthread_mutex_lock(&p->mu);
		push(&p->finished, j);
		pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

uk_hashpool *uk_hashpool_new(unsigned threads)
{
	uk_hashpool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (threads == 0)
		threads = 1;
	p->threads = calloc(threads, sizeof(*p->threads));
	if (!p->threads) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (; p->nthreads < threads; p->nthreads++)
		if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) != 0)
			break;
	if (p->nthreads == 0) {
		uk_hashpool_free(p);
		return NULL;
	}
	return p;
}

/* Under the lock: the staged jobs go to the workers. */
static void hand_over(uk_hashpool *p)
{
	if (!p->staged.head)
		return;
	if (p->todo.tail)
		p->todo.tail->next_ = p->staged.head;
	else
		p->todo.head = p->staged.head;
	p->todo.tail = p->staged.tail;
	p->staged.head = p->staged.tail = NULL;
	p->nstaged = 0;
	p->staged_bytes = 0;
	if (p->idle)
		pthread_cond_broadcast(&p->work);
}

void uk_hashpool_submit(uk_hashpool *p, uk_hashjob *j)
{
	push(&p->staged, j);
	p->inflight++;
	p->staged_bytes += j->size;
	if (++p->nstaged >= UK_POOL_BATCH || p->staged_bytes >= UK_POOL_BATCH_BYTES) {
		pthread_mutex_lock(&p->mu);
		hand_over(p);
		pthread_mutex_unlock(&p->mu);
	}
}

size_t uk_hashpool_inflight(const uk_hashpool *p)
{
	return p->inflight;
}

uk_hashjob *uk_hashpool_collect(uk_hashpool *p, int wait)
{
	uk_hashjob *j;

	pthread_mutex_lock(&p->mu);
	if (wait)
		hand_over(p);
	while (wait && !p->finished.head && p->inflight > 0)
		pthread_cond_wait(&p->done, &p->mu);
	j = pop(&p->finished);
	if (j)
		p->inflight--;
	pthread_mutex_unlock(&p->mu);
	return j;
}

void uk_hashpool_free(uk_hashpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	hand_over(p); /* run, like every job submitted */
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p->threads);
	free(p);
}
