/*
 * Loading the files on a few threads. Until the store is finished, files
 * are independent: each chunk of consecutive files is read, parsed and
 * converted into a worker's own store (arena, node pool, interned keys) with
 * its own diagnostics, and the chunks are then merged in path order. The
 * objects, their order and every diagnostic are therefore exactly those of
 * one sequential pass; only where the memory lives differs (the worker
 * stores are kept in store->parts and freed with the store).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "manifest/internal.h"

/* More threads than this gain little: the merge and the rest of the run are sequential. */
#define MAX_THREADS 8
/* Chunks per thread: small enough to even out big and small files. */
#define CHUNKS_PER_THREAD 8

typedef struct {
	size_t first, end; /* files[first..end) */
	gws_vec by_kind[GWS_KIND__COUNT];
	gws_manifest_stats stats;
	gws_diag_list diags;
	int error;
	char message[256]; /* the worker's last error, which is thread-local */
} chunk;

typedef struct {
	const char *root;
	char *const *files;
	size_t cap;
	chunk *chunks;
	size_t n_chunks;
	atomic_size_t next;
} job;

typedef struct {
	job *job;
	gws_manifest_store *store;
	pthread_t thread;
	bool started;
} worker;

/* Loads one chunk into the worker's store, then moves what it added into the chunk. */
static void run_chunk(const job *j, gws_manifest_store *store, chunk *c)
{
	for (size_t f = c->first; f < c->end && c->error == 0; f++)
		c->error = gws_mf__load_file(store, j->root, j->files[f], j->cap, &c->diags);
	if (c->error < 0)
		snprintf(c->message, sizeof(c->message), "%s", gws_error_last());
	for (int k = 0; k < GWS_KIND__COUNT; k++) {
		c->by_kind[k] = store->by_kind[k];
		gws_vec_init(&store->by_kind[k]);
	}
	c->stats = store->stats;
	memset(&store->stats, 0, sizeof(store->stats));
}

static void *work(void *arg)
{
	worker *w = arg;
	job *j = w->job;
	size_t i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->n_chunks)
		run_chunk(j, w->store, &j->chunks[i]);
	return NULL;
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

/* Moves every diagnostic of `from` to the end of `to`, as if added there in order. */
static int move_diags(gws_diag_list *to, gws_diag_list *from)
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

static int merge_chunk(gws_manifest_store *store, chunk *c, gws_diag_list *diags)
{
	if (c->error < 0)
		return gws_error_set(c->error, "%s", c->message);
	if (move_diags(diags, &c->diags) < 0)
		return GWS_ENOMEM;
	for (int k = 0; k < GWS_KIND__COUNT; k++)
		for (size_t i = 0; i < c->by_kind[k].len; i++)
			if (gws_vec_push(&store->by_kind[k], c->by_kind[k].items[i]) < 0)
				return GWS_ENOMEM;
	store->stats.files += c->stats.files;
	store->stats.documents += c->stats.documents;
	store->stats.objects += c->stats.objects;
	store->stats.ignored += c->stats.ignored;
	return 0;
}

static size_t thread_count(size_t n_files)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 1 ? (size_t)cpus : 1;

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	return n < n_files ? n : n_files;
}

static void split(chunk *chunks, size_t n_chunks, size_t n_files)
{
	for (size_t i = 0; i < n_chunks; i++) {
		chunks[i].first = n_files * i / n_chunks;
		chunks[i].end = n_files * (i + 1) / n_chunks;
		gws_diag_list_init(&chunks[i].diags);
	}
}

/* Worker stores, each handed to store->parts as soon as it exists (freed with the store). */
static int new_workers(gws_manifest_store *store, worker *workers, size_t n, job *j)
{
	for (size_t i = 0; i < n; i++) {
		int error = gws_mf__store_new(&workers[i].store);
		if (error < 0)
			return error;
		if (gws_vec_push(&store->parts, workers[i].store) < 0) {
			gws_manifest_store_free(workers[i].store);
			return GWS_ENOMEM;
		}
		workers[i].job = j;
	}
	return 0;
}

static void dispose_chunks(chunk *chunks, size_t n)
{
	for (size_t i = 0; chunks && i < n; i++) {
		for (int k = 0; k < GWS_KIND__COUNT; k++)
			gws_vec_dispose(&chunks[i].by_kind[k]);
		gws_diag_list_dispose(&chunks[i].diags);
	}
	gws_free(chunks);
}

/* Runs the job on worker 0 (this thread) and on threads for the others. */
static void run_job(worker *workers, size_t n)
{
	/* a thread that cannot start leaves its share to the others */
	for (size_t i = 1; i < n; i++)
		workers[i].started =
		        pthread_create(&workers[i].thread, NULL, work, &workers[i]) == 0;
	work(&workers[0]);
	for (size_t i = 1; i < n; i++)
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);
}

int gws_mf__load_files(gws_manifest_store *store, const char *root, char *const *files,
                       size_t n_files, size_t cap, gws_diag_list *diags)
{
	size_t n_threads = thread_count(n_files);
	job j = {root, files, cap, NULL, 0, 0};
	worker *workers = NULL;
	int error = 0;

	if (n_threads <= 1) {
		for (size_t i = 0; i < n_files && error == 0; i++)
			error = gws_mf__load_file(store, root, files[i], cap, diags);
		return error;
	}
	j.n_chunks =
	        n_threads * CHUNKS_PER_THREAD < n_files ? n_threads * CHUNKS_PER_THREAD : n_files;
	j.chunks = gws_calloc(j.n_chunks, sizeof(*j.chunks));
	workers = gws_calloc(n_threads, sizeof(*workers));
	if (!j.chunks || !workers) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	split(j.chunks, j.n_chunks, n_files);
	if ((error = new_workers(store, workers, n_threads, &j)) < 0)
		goto cleanup;
	run_job(workers, n_threads);
	for (size_t i = 0; i < j.n_chunks && error == 0; i++)
		error = merge_chunk(store, &j.chunks[i], diags);
cleanup:
	dispose_chunks(j.chunks, j.n_chunks);
	gws_free(workers);
	return error;
}
