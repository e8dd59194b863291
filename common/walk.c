/* Iterative directory walk. Each level holds its folder's listing, read whole:
 * memory is depth x width of one folder. A folder stays open only while its
 * non-folders are returned (so uk_walk_lstat() needs no lookup from the
 * root) and is closed before the walk descends: at most one handle is open
 * however deep the tree, so depth is not limited by the number of open files.
 * Within a folder: non-folders first, then folders, each sorted by name
 * (bytewise), so a folder's files come out together and the order is stable.
 *
 * UK_WALK_THREAD: the same walk runs on a thread of its own and hands its
 * entries over in batches (copies of the entries and their names), at most
 * UK_WALK_BATCHES of them ahead, so memory stays bounded. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "walk.h"

/* Entries a batch holds: the two threads meet once per batch, not per entry. */
#define UK_WALK_BATCH 256
/* Batches the walking thread may fill before the caller has read them. */
#define UK_WALK_BATCHES 4

struct item {
	const char *name;
	size_t name_off;
	int type;
	int has_id;
	uk_fileid id;
};

struct frame {
	struct item *items;
	size_t n, next;
	char *names;  /* the listing's names, back to back */
	uk_dir *dir;  /* open until the first folder item is returned */
	size_t plen;  /* this folder's path length in w->path */
	size_t rlen;  /* and its rel length in w->rel */
	struct item self; /* this folder as its parent listed it (post-order) */
	char *self_name;
};

/* A handed-over entry: its texts are offsets into the batch's text. */
struct bent {
	size_t path, rel, name;
	uk_walk_entry e;
};

struct batch {
	struct bent e[UK_WALK_BATCH];
	size_t n, next;
	char *text;
	size_t len, cap;
	int last; /* the walk ended here, with uk_walk_next()'s result `end` */
	int end;
};

/* The walking thread (producer) and the caller (consumer): batches are
 * filled in ring order at `put` and read at `get`; `full` counts the
 * batches filled and not yet given back, the one being read included. */
struct ahead {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct batch b[UK_WALK_BATCHES];
	size_t put, get, full;
	int quit;
};

struct uk_walk {
	unsigned flags;
	struct frame *stack;
	size_t depth, cap;
	char *path, *rel;
	size_t path_cap, rel_cap;
	char *post_name; /* name of the folder a post entry returned */
	struct ahead *ahead; /* UK_WALK_THREAD, once the thread runs */
};

static int walk_step(uk_walk *w, uk_walk_entry *e);
static int ahead_start(uk_walk *w);

static int reserve(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	char *b = realloc(*buf, c);
	if (!b)
		return ENOMEM;
	*buf = b;
	*cap = c;
	return 0;
}

static int by_kind_then_name(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int dx = x->type == UK_FT_DIR, dy = y->type == UK_FT_DIR;

	if (dx != dy)
		return dx - dy;
	return strcmp(x->name, y->name);
}

static void frame_free(struct frame *f)
{
	uk_fs_closedir(f->dir);
	free(f->items);
	free(f->names);
	free(f->self_name);
	memset(f, 0, sizeof(*f));
}

/* Resolves UK_FT_UNKNOWN with lstat; path is the folder d, name the entry. */
static int resolve_type(uk_walk *w, uk_dir *d, size_t plen, const char *name)
{
	size_t n = strlen(name);
	uk_stat st;
	int rc;

	if (reserve(&w->path, &w->path_cap, plen + n + 2))
		return UK_FT_OTHER;
	w->path[plen] = UK_SEP;
	memcpy(w->path + plen + 1, name, n + 1);
	rc = uk_fs_lstat_at(d, name, w->path, &st);
	w->path[plen] = '\0';
	return rc ? UK_FT_OTHER : st.type;
}

/* Reads the folder at w->path[0..plen) into f; 0 or a native error code. */
static int list(uk_walk *w, size_t plen, struct frame *f)
{
	uk_dir *d;
	uk_dirent e;
	size_t names_len = 0, names_cap = 0, cap = 0;
	int rc;

	w->path[plen] = '\0';
	rc = uk_fs_opendir(w->path, &d);
	if (rc)
		return rc;
	while ((rc = uk_fs_readdir(d, &e)) > 0) {
		size_t n = strlen(e.name) + 1;
		if (uk_grow(&f->items, f->n, &cap, sizeof(*f->items), 16)) {
			rc = -ENOMEM;
			break;
		}
		if (reserve(&f->names, &names_cap, names_len + n)) {
			rc = -ENOMEM;
			break;
		}
		memcpy(f->names + names_len, e.name, n);
		f->items[f->n] = (struct item){ .name_off = names_len, .type = e.type,
		                                .has_id = e.has_id, .id = e.id };
		names_len += n;
		f->n++;
	}
	if (rc < 0) {
		uk_fs_closedir(d);
		return -rc;
	}
	f->dir = d;
	for (size_t i = 0; i < f->n; i++) {
		f->items[i].name = f->names + f->items[i].name_off;
		if (f->items[i].type == UK_FT_UNKNOWN)
			f->items[i].type = resolve_type(w, f->dir, plen, f->items[i].name);
	}
	w->path[plen] = '\0';
	if (f->n > 1)
		qsort(f->items, f->n, sizeof(*f->items), by_kind_then_name);
	return 0;
}

static int push(uk_walk *w, size_t plen, size_t rlen, struct frame **out)
{
	struct frame *f;

	if (uk_grow(&w->stack, w->depth, &w->cap, sizeof(*w->stack), 16))
		return ENOMEM;
	f = &w->stack[w->depth];
	memset(f, 0, sizeof(*f));
	f->plen = plen;
	f->rlen = rlen;
	int rc = list(w, plen, f);
	if (rc) {
		frame_free(f);
		return rc;
	}
	w->depth++;
	*out = f;
	return 0;
}

int uk_walk_open(const char *root, unsigned flags, uk_walk **out)
{
	uk_walk *w = calloc(1, sizeof(*w));
	size_t n = strlen(root);
	struct frame *f;
	uk_stat st;
	int rc;

	*out = NULL;
	if (!w)
		return ENOMEM;
	if ((flags & UK_WALK_THREAD) && !(flags & UK_WALK_NOSTAT))
		flags |= UK_WALK_STAT;
	w->flags = flags;
	rc = uk_fs_lstat(root, &st);
	if (rc == 0 && st.type != UK_FT_DIR)
		rc = ENOTDIR; /* a link to a folder is not walked either */
	if (rc == 0)
		rc = reserve(&w->path, &w->path_cap, n + 1) ||
		     reserve(&w->rel, &w->rel_cap, 1) ? ENOMEM : 0;
	if (rc == 0) {
		memcpy(w->path, root, n + 1);
		w->rel[0] = '\0';
		rc = push(w, n, 0, &f);
	}
	/* Without a thread the walk is the same, on the caller's. */
	if (rc == 0 && (flags & UK_WALK_THREAD) && ahead_start(w) != 0)
		w->flags &= ~(unsigned)UK_WALK_THREAD;
	if (rc) {
		uk_walk_close(w);
		return rc;
	}
	*out = w;
	return 0;
}

static void fill(uk_walk *w, const struct item *it, size_t depth, int post, uk_walk_entry *e)
{
	e->path = w->path;
	e->rel = w->rel;
	e->name = it->name;
	e->depth = (int)depth;
	e->type = it->type;
	e->post = post;
	e->err = 0;
	e->has_id = it->has_id;
	e->id = it->id;
	e->st_err = 0;
}

/* Returns the frame's next item; a folder is listed (pushed) before it is
 * returned, so a listing error comes with its entry. */
static int next_item(uk_walk *w, struct frame *f, uk_walk_entry *e)
{
	const struct item *it = &f->items[f->next++];
	size_t depth = w->depth - 1, n = strlen(it->name);
	size_t plen = f->plen + 1 + n;
	size_t rlen = f->rlen + (f->rlen ? 1 : 0) + n;
	struct frame *child;
	char *name;
	int rc;

	if (reserve(&w->path, &w->path_cap, plen + 1) ||
	    reserve(&w->rel, &w->rel_cap, rlen + 1))
		return -ENOMEM;
	w->path[f->plen] = UK_SEP;
	memcpy(w->path + f->plen + 1, it->name, n + 1);
	if (f->rlen)
		w->rel[f->rlen] = '/';
	memcpy(w->rel + rlen - n, it->name, n + 1);
	fill(w, it, depth, 0, e);
	if (it->type != UK_FT_DIR) {
		/* Non-folders come first: their folder is still open. */
		if (w->flags & UK_WALK_STAT)
			e->st_err = f->dir ? uk_fs_lstat_at(f->dir, it->name, w->path, &e->st) :
			            uk_fs_lstat(w->path, &e->st);
		return 1;
	}
	uk_fs_closedir(f->dir); /* folders come last: no more lstat here */
	f->dir = NULL;
	name = strdup(it->name);
	if (!name)
		return -ENOMEM;
	rc = push(w, plen, rlen, &child);
	/* push may move the stack and the path buffer. */
	f = &w->stack[depth];
	it = &f->items[f->next - 1];
	if (rc == ENOMEM) {
		free(name);
		return -ENOMEM;
	}
	if (rc) {
		free(name);
		e->err = rc;
	} else {
		child->self = *it;
		child->self_name = name;
	}
	w->path[plen] = '\0';
	e->path = w->path;
	e->name = it->name;
	return 1;
}

static int walk_step(uk_walk *w, uk_walk_entry *e)
{
	while (w->depth > 0) {
		struct frame *f = &w->stack[w->depth - 1];

		if (f->next == f->n) {
			/* Leaving the folder: its own entry again, for post-order walks. */
			int post = (w->flags & UK_WALK_POST) && w->depth > 1;
			struct item self = f->self;
			size_t plen = f->plen, rlen = f->rlen;

			free(w->post_name);
			w->post_name = f->self_name; /* lives until the next call */
			f->self_name = NULL;
			frame_free(f);
			w->depth--;
			if (!post)
				continue;
			w->path[plen] = '\0';
			w->rel[rlen] = '\0';
			self.name = w->post_name;
			fill(w, &self, w->depth - 1, 1, e);
			return 1;
		}
		return next_item(w, f, e);
	}
	return 0;
}

/* Copies e into b; 1, or -ENOMEM. */
static int keep(struct batch *b, const uk_walk_entry *e)
{
	size_t lp = strlen(e->path) + 1, lr = strlen(e->rel) + 1, ln = strlen(e->name) + 1;
	struct bent *be = &b->e[b->n];

	if (reserve(&b->text, &b->cap, b->len + lp + lr + ln))
		return -ENOMEM;
	be->e = *e;
	be->path = b->len;
	memcpy(b->text + b->len, e->path, lp);
	be->rel = b->len += lp;
	memcpy(b->text + b->len, e->rel, lr);
	be->name = b->len += lr;
	memcpy(b->text + b->len, e->name, ln);
	b->len += ln;
	b->n++;
	return 1;
}

static void *ahead_main(void *arg)
{
	uk_walk *w = arg;
	struct ahead *a = w->ahead;

	for (;;) {
		struct batch *b = &a->b[a->put];
		int quit;

		pthread_mutex_lock(&a->mu);
		while (a->full == UK_WALK_BATCHES && !a->quit)
			pthread_cond_wait(&a->room, &a->mu);
		quit = a->quit;
		pthread_mutex_unlock(&a->mu);
		if (quit)
			break;
		b->n = b->next = b->len = 0;
		b->last = 0;
		while (b->n < UK_WALK_BATCH) {
			uk_walk_entry e;
			int rc = walk_step(w, &e);

			if (rc > 0)
				rc = keep(b, &e);
			if (rc <= 0) {
				b->last = 1;
				b->end = rc;
				break;
			}
		}
		pthread_mutex_lock(&a->mu);
		a->full++;
		a->put = (a->put + 1) % UK_WALK_BATCHES;
		pthread_cond_signal(&a->more);
		pthread_mutex_unlock(&a->mu);
		if (b->last)
			break;
	}
	return NULL;
}

static int ahead_start(uk_walk *w)
{
	struct ahead *a = calloc(1, sizeof(*a));

	if (!a)
		return ENOMEM;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->more, NULL);
	pthread_cond_init(&a->room, NULL);
	w->ahead = a;
	if (pthread_create(&a->thread, NULL, ahead_main, w) != 0) {
		pthread_cond_destroy(&a->more);
		pthread_cond_destroy(&a->room);
		pthread_mutex_destroy(&a->mu);
		free(a);
		w->ahead = NULL;
		return EAGAIN;
	}
	return 0;
}

/* The next entry the walking thread handed over. */
static int ahead_next(struct ahead *a, uk_walk_entry *e)
{
	struct batch *b;
	const struct bent *be;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (a->full == 0)
			pthread_cond_wait(&a->more, &a->mu);
		b = &a->b[a->get];
		if (b->next < b->n || b->last)
			break;
		/* Read whole (its entries were valid until this call): give it back. */
		a->full--;
		a->get = (a->get + 1) % UK_WALK_BATCHES;
		pthread_cond_signal(&a->room);
	}
	pthread_mutex_unlock(&a->mu);
	if (b->next == b->n)
		return b->end; /* b->last: kept, so every later call says the same */
	be = &b->e[b->next++];
	*e = be->e;
	e->path = b->text + be->path;
	e->rel = b->text + be->rel;
	e->name = b->text + be->name;
	return 1;
}

static void ahead_stop(uk_walk *w)
{
	struct ahead *a = w->ahead;

	pthread_mutex_lock(&a->mu);
	a->quit = 1;
	pthread_cond_signal(&a->room);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->thread, NULL);
	for (size_t i = 0; i < UK_WALK_BATCHES; i++)
		free(a->b[i].text);
	pthread_cond_destroy(&a->more);
	pthread_cond_destroy(&a->room);
	pthread_mutex_destroy(&a->mu);
	free(a);
	w->ahead = NULL;
}

int uk_walk_next(uk_walk *w, uk_walk_entry *e)
{
	return w->ahead ? ahead_next(w->ahead, e) : walk_step(w, e);
}

int uk_walk_lstat(uk_walk *w, const uk_walk_entry *e, uk_stat *st)
{
	struct frame *f;

	if (e->post || e->type == UK_FT_DIR)
		return uk_fs_lstat(e->path, st);
	if (w->flags & UK_WALK_STAT) {
		if (e->st_err == 0)
			*st = e->st;
		return e->st_err;
	}
	if (w->ahead) /* the folders are the walking thread's */
		return uk_fs_lstat(e->path, st);
	f = w->depth > 0 ? &w->stack[w->depth - 1] : NULL;
	if (f && f->dir)
		return uk_fs_lstat_at(f->dir, e->name, e->path, st);
	return uk_fs_lstat(e->path, st);
}

void uk_walk_close(uk_walk *w)
{
	if (!w)
		return;
	if (w->ahead)
		ahead_stop(w);
	while (w->depth > 0)
		frame_free(&w->stack[--w->depth]);
	free(w->post_name);
	free(w->stack);
	free(w->path);
	free(w->rel);
	free(w);
}
