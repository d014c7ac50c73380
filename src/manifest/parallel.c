/*
 * Loading the files on a few threads. Until the store is finished, files
 * are independent: each chunk of consecutive files is read, parsed and
 * converted into a worker's own store (arena, node pool, interned keys) with
 * its own diagnostics, and the chunks are then merged in path order. The
 * objects, their order and every diagnostic are therefore exactly those of
 * one sequential pass; only where the memory lives differs (the worker
 * stores are kept in store->parts and freed with the store).
 */
#include <stdio.h>
#include <string.h>

#include "manifest/internal.h"

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
	gws_manifest_store **stores; /* per worker */
} job;

/* Loads one chunk into the worker's store, then moves what it added into the chunk. */
static void run_chunk(void *payload, size_t worker, size_t task)
{
	const job *j = payload;
	gws_manifest_store *store = j->stores[worker];
	chunk *c = &j->chunks[task];

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

static int merge_chunk(gws_manifest_store *store, chunk *c, gws_diag_list *diags)
{
	if (c->error < 0)
		return gws_error_set(c->error, "%s", c->message);
	if (gws_diag_list_move(diags, &c->diags) < 0)
		return GWS_ENOMEM;
	for (int k = 0; k < GWS_KIND__COUNT; k++)
		for (size_t i = 0; i < c->by_kind[k].len; i++)
			if (gws_vec_push(&store->by_kind[k], c->by_kind[k].items[i]) < 0)
				return GWS_ENOMEM;
	store->stats.files += c->stats.files;
	store->stats.documents += c->stats.documents;
	store->stats.objects += c->stats.objects;
	store->stats.ignored += c->stats.ignored;
	store->stats.index_bytes += c->stats.index_bytes;
	return 0;
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
static int new_worker_stores(gws_manifest_store *store, gws_manifest_store **stores, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int error = gws_mf__store_new(&stores[i]);
		if (error < 0)
			return error;
		if (gws_vec_push(&store->parts, stores[i]) < 0) {
			gws_manifest_store_free(stores[i]);
			return GWS_ENOMEM;
		}
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

int gws_mf__load_files(gws_manifest_store *store, const char *root, char *const *files,
                       size_t n_files, size_t cap, gws_diag_list *diags)
{
	size_t n_threads = gws_threads_count(n_files), n_chunks;
	job j = {root, files, cap, NULL, NULL};
	int error = 0;

	if (n_threads <= 1) {
		for (size_t i = 0; i < n_files && error == 0; i++)
			error = gws_mf__load_file(store, root, files[i], cap, diags);
		return error;
	}
	n_chunks =
	        n_threads * CHUNKS_PER_THREAD < n_files ? n_threads * CHUNKS_PER_THREAD : n_files;
	j.chunks = gws_calloc(n_chunks, sizeof(*j.chunks));
	j.stores = gws_calloc(n_threads, sizeof(*j.stores));
	if (!j.chunks || !j.stores) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	split(j.chunks, n_chunks, n_files);
	if ((error = new_worker_stores(store, j.stores, n_threads)) < 0)
		goto cleanup;
	gws_threads_run(n_threads, n_chunks, run_chunk, &j);
	for (size_t i = 0; i < n_chunks && error == 0; i++)
		error = merge_chunk(store, &j.chunks[i], diags);
cleanup:
	dispose_chunks(j.chunks, n_chunks);
	gws_free(j.stores);
	return error;
}
