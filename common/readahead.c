#include <pthread.h>
#include <stdlib.h>

#include "fs.h"
#include "readahead.h"

struct chunk {
	char *buf;
	size_t n;
	size_t scanned;
	int err;
	int full; /* filled by the thread and not yet given back by the reader */
};

struct uk_readahead {
	uk_file *f;
	uk_hash_stream *hs;
	uk_readahead_scan scan;
	uint64_t bytes;
	pthread_t thread;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct chunk c[UK_RA_BUFS];
	size_t next; /* the chunk the reader takes next */
	int held;    /* the reader holds the chunk before it */
	int ended;   /* the reader has seen the last chunk (n == 0 or an error) */
	int quit;
};

static void *reader(void *arg)
{
	uk_readahead *r = arg;
	size_t i = 0;
	int done = 0;

	while (!done) {
		struct chunk *c = &r->c[i];
		size_t n = 0, got = 0;
		int err = 0;

		pthread_mutex_lock(&r->mu);
		while (c->full && !r->quit)
			pthread_cond_wait(&r->cv, &r->mu);
		done = r->quit;
		pthread_mutex_unlock(&r->mu);
		if (done)
			break;
		/* A chunk is filled whole (a read may return less), so the
		 * reader gets few, large pieces. */
		while (n < UK_RA_CHUNK &&
		       (err = uk_fs_read(r->f, c->buf + n, UK_RA_CHUNK - n, &got)) == 0 && got > 0)
			n += got;
		uk_hash_stream_update(r->hs, c->buf, n);
		c->scanned = r->scan && n > 0 ? r->scan(c->buf, n) : 0;
		r->bytes += n;
		done = err != 0 || n == 0; /* the reader sees the end as an empty chunk */
		pthread_mutex_lock(&r->mu);
		c->n = n;
		c->err = err;
		c->full = 1;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		i = (i + 1) % UK_RA_BUFS;
	}
	return NULL;
}

int uk_readahead_open(const char *path, uk_readahead_scan scan, uk_readahead **out)
{
	uk_readahead *r = calloc(1, sizeof(*r));
	int err;

	*out = NULL;
	if (!r)
		return -1;
	r->scan = scan;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if ((err = uk_fs_open_read(path, &r->f, NULL)) != 0) {
		uk_readahead_close(r);
		return err;
	}
	for (size_t i = 0; i < UK_RA_BUFS; i++)
		if (!(r->c[i].buf = malloc(UK_RA_CHUNK)))
			err = -1;
	if (err || !(r->hs = uk_hash_stream_new()) ||
	    pthread_create(&r->thread, NULL, reader, r) != 0) {
		uk_readahead_close(r);
		return -1;
	}
	r->started = 1;
	*out = r;
	return 0;
}

int uk_readahead_next(uk_readahead *r, const char **buf, size_t *n, size_t *scanned)
{
	struct chunk *c;
	int err;

	*buf = NULL;
	*n = 0;
	if (scanned)
		*scanned = 0;
	pthread_mutex_lock(&r->mu);
	if (r->held) {
		r->c[(r->next + UK_RA_BUFS - 1) % UK_RA_BUFS].full = 0;
		r->held = 0;
		pthread_cond_broadcast(&r->cv);
	}
	if (r->ended) {
		pthread_mutex_unlock(&r->mu);
		return 0;
	}
	c = &r->c[r->next];
	while (!c->full)
		pthread_cond_wait(&r->cv, &r->mu);
	err = c->err;
	if (err || c->n == 0) {
		r->ended = 1;
	} else {
		*buf = c->buf;
		*n = c->n;
		if (scanned)
			*scanned = c->scanned;
		r->held = 1;
		r->next = (r->next + 1) % UK_RA_BUFS;
	}
	pthread_mutex_unlock(&r->mu);
	return err;
}

void uk_readahead_digest(const uk_readahead *r, uk_hash128 *h, uint64_t *bytes)
{
	uk_hash_stream_digest(r->hs, h);
	*bytes = r->bytes;
}

void uk_readahead_close(uk_readahead *r)
{
	if (!r)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->mu);
		r->quit = 1;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thread, NULL);
	}
	for (size_t i = 0; i < UK_RA_BUFS; i++)
		free(r->c[i].buf);
	uk_hash_stream_free(r->hs);
	uk_fs_close(r->f);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r);
}
