/*
 * The loader's thread pool: independent tasks handed out one at a time to
 * this thread and a few others. Callers keep every result per task and
 * merge them in task order afterwards, so nothing they produce depends on
 * which thread ran what, or when.
 */
#include <pthread.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "manifest/internal.h"

/* More threads than this gain little: what follows the pool is sequential. */
#define MAX_THREADS 8

typedef struct {
	gws_mf_task_fn fn;
	void *payload;
	size_t n_tasks;
	atomic_size_t next;
} pool;

typedef struct {
	pool *pool;
	size_t index;
	pthread_t thread;
	bool started;
} worker;

size_t gws_mf__threads_requested(void)
{
	const char *env = getenv("GWSYNC_THREADS");
	long n;

	if (!env || !*env || gws_parse_long(&n, env, 1, 1024) < 0)
		return 0;
	return n > MAX_THREADS ? MAX_THREADS : (size_t)n;
}

size_t gws_mf__thread_count(size_t n_tasks)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = gws_mf__threads_requested();

	if (!n)
		n = cpus > 1 ? (size_t)cpus : 1;

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	return n < n_tasks ? n : (n_tasks ? n_tasks : 1);
}

static void *work(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n_tasks)
		p->fn(p->payload, w->index, i);
	return NULL;
}

void gws_mf__run_tasks(size_t n_workers, size_t n_tasks, gws_mf_task_fn fn, void *payload)
{
	worker workers[MAX_THREADS];
	pool p = {fn, payload, n_tasks, 0};

	if (n_workers > MAX_THREADS)
		n_workers = MAX_THREADS;
	if (n_workers < 1)
		n_workers = 1;
	for (size_t i = 0; i < n_workers; i++) {
		workers[i].pool = &p;
		workers[i].index = i;
		workers[i].started = false;
	}
	/* a thread that cannot start leaves its share to the others */
	for (size_t i = 1; i < n_workers; i++)
		workers[i].started =
		        pthread_create(&workers[i].thread, NULL, work, &workers[i]) == 0;
	work(&workers[0]);
	for (size_t i = 1; i < n_workers; i++)
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);
}

/* Moves from->items[0..n), n > 0, to the end of `to`. */
static int take_items(gws_diag_list *to, gws_diag_list *from, size_t n)
{
	if (to->count + n > to->cap) {
		gws_diag *items = gws_reallocarray(to->items, to->count + n, sizeof(*items));
		if (!items)
			return GWS_ENOMEM;
		to->items = items;
		to->cap = to->count + n;
	}
	memcpy(to->items + to->count, from->items, n * sizeof(*from->items));
	to->count += n;
	from->count -= n;
	memmove(from->items, from->items + n, from->count * sizeof(*from->items));
	return 0;
}

int gws_mf__move_diags(gws_diag_list *to, gws_diag_list *from)
{
	size_t room = to->count < GWS_DIAG_MAX ? GWS_DIAG_MAX - to->count : 0;
	size_t n = from->count < room ? from->count : room;

	if (n && take_items(to, from, n) < 0)
		return GWS_ENOMEM;
	to->errors += from->errors;
	to->warnings += from->warnings;
	to->dropped += from->dropped + from->count; /* the rest is over the cap */
	from->errors = from->warnings = from->dropped = 0;
	return 0;
}
