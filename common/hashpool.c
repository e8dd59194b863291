/* The hashing thread pool: a queue of jobs to do, a queue of jobs done. */
#include <pthread.h>
#include <stdlib.h>

#include "hash.h"

struct uk_queue { uk_hashjob *head, *tail; };

struct uk_hashpool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct uk_queue todo, finished;
	size_t inflight;
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

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->todo.head && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
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

void uk_hashpool_submit(uk_hashpool *p, uk_hashjob *j)
{
	pthread_mutex_lock(&p->mu);
	push(&p->todo, j);
	p->inflight++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

size_t uk_hashpool_inflight(const uk_hashpool *p)
{
	return p->inflight; /* only the submitting thread changes it */
}

uk_hashjob *uk_hashpool_collect(uk_hashpool *p, int wait)
{
	uk_hashjob *j;

	pthread_mutex_lock(&p->mu);
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
