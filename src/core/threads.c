/*
 * The thread pool of the loader and the model build: independent tasks
 * handed out one at a time to this thread and a few others. Callers keep every result per task and
 * merge them in task order afterwards, so nothing they produce depends on
 * which thread ran what, or when.
 */
#include <pthread.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "gwsync/core.h"

/* More threads than this gain little: what follows the pool is sequential. */
#define MAX_THREADS GWS_THREADS_MAX

typedef struct {
	gws_task_fn fn;
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

size_t gws_threads_requested(void)
{
	const char *env = getenv("GWSYNC_THREADS");
	long n;

	if (!env || !*env || gws_parse_long(&n, env, 1, 1024) < 0)
		return 0;
	return n > MAX_THREADS ? MAX_THREADS : (size_t)n;
}

size_t gws_threads_count(size_t n_tasks)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = gws_threads_requested();

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

void gws_threads_run(size_t n_workers, size_t n_tasks, gws_task_fn fn, void *payload)
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
