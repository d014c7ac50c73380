/*
 * Builds the stacks of every Gateway gwsync handles, on the loader's thread
 * pool when there are enough Gateways.
 *
 * One Gateway's build only reads what the whole build shares (the store, the
 * classes, the route index, the TargetGroupConfiguration index, the route
 * status map that index_routes filled) and writes: its own records, the
 * route-parent slots of the parentRefs that name it (no other Gateway's
 * build touches them), its diagnostics, and the per-stack target group
 * tables. So each thread gets its own arena and target group tables, each
 * Gateway its own diagnostics list, and the results are merged in Gateway
 * order: the model and the diagnostics are exactly those of the sequential
 * build, whatever thread built what.
 */
#include "model/build.h"

#include <stdlib.h>
#include <string.h>

/* Fewer Gateways than this are built on the calling thread alone. */
#define PARALLEL_MIN_GATEWAYS 8

typedef struct {
	const gws_manifest_object *gw;
	gws_model_class *cls;
	gws_model_gateway_status *status;
	gws_diag_list diags;
	int error;         /* what gws_model__build_gateway returned */
	int note;          /* the worker context's sticky error after this Gateway */
	char message[256]; /* the worker thread's last error when `error` < 0 */
} gw_job;

typedef struct {
	gws_model_ctx *workers;
	gw_job *jobs;
} gw_pool;

/*
 * GWSYNC_THREADS=N asks for exactly N threads (1 = sequential), even for a
 * few Gateways (tests use it); otherwise the online CPUs, from
 * PARALLEL_MIN_GATEWAYS Gateways on.
 */
static size_t thread_count(size_t n_gateways)
{
	size_t requested = gws_threads_requested();

	if (requested)
		return requested;
	if (n_gateways < PARALLEL_MIN_GATEWAYS)
		return 1;
	return gws_threads_count(n_gateways);
}

static void run_job(void *payload, size_t worker, size_t task)
{
	gw_pool *p = payload;
	gws_model_ctx *ctx = &p->workers[worker];
	gw_job *job = &p->jobs[task];

	ctx->diags = &job->diags;
	ctx->error = 0;
	job->error = gws_model__build_gateway(ctx, job->gw, job->cls);
	job->status = ctx->gw_status;
	job->note = ctx->error;
	if (job->error < 0)
		snprintf(job->message, sizeof(job->message), "%s", gws_error_last());
}

static int worker_init(gws_model_ctx *w, const gws_model_ctx *base)
{
	*w = *base;
	w->arena = NULL;
	w->tg_by_id = NULL;
	memset(&w->tgs, 0, sizeof(w->tgs));
	w->error = 0;
	if (gws_arena_new(&w->arena) < 0 || gws_model__strmap_new(&w->tg_by_id) < 0)
		return GWS_ENOMEM;
	return 0;
}

static int push_result(gws_model_gateway_status *st, gws_vec *gateways, gws_vec *stacks)
{
	int error;
	if ((error = gws_vec_push(gateways, st)) < 0)
		return error;
	if (st->stack && (error = gws_vec_push(stacks, (void *)st->stack)) < 0)
		return error;
	return 0;
}

static int build_sequential(gws_model_ctx *ctx, gw_job *jobs, size_t n, gws_vec *gateways,
                            gws_vec *stacks)
{
	size_t i;
	int error;

	for (i = 0; i < n; i++)
		if ((error = gws_model__build_gateway(ctx, jobs[i].gw, jobs[i].cls)) < 0 ||
		    (error = push_result(ctx->gw_status, gateways, stacks)) < 0)
			return error;
	return 0;
}

/* Hands the worker arenas to the model, which frees them with its own. */
static int adopt_arenas(gws_model_ctx *ctx, gws_model_ctx *workers, size_t n)
{
	gws_model *model = ctx->model;
	size_t i;

	model->worker_arenas = gws_calloc(n, sizeof(*model->worker_arenas));
	if (!model->worker_arenas)
		return GWS_ENOMEM;
	for (i = 0; i < n; i++) {
		model->worker_arenas[i] = workers[i].arena;
		workers[i].arena = NULL;
	}
	model->n_worker_arenas = n;
	return 0;
}

static int build_threaded(gws_model_ctx *ctx, gw_job *jobs, size_t n, size_t n_threads,
                          gws_vec *gateways, gws_vec *stacks)
{
	gws_model_ctx *workers = gws_calloc(n_threads, sizeof(*workers));
	gw_pool pool;
	size_t i, started = 0;
	int error = 0;

	if (!workers)
		return GWS_ENOMEM;
	for (; started < n_threads; started++)
		if ((error = worker_init(&workers[started], ctx)) < 0) {
			started++;
			goto cleanup;
		}
	for (i = 0; i < n; i++)
		gws_diag_list_init(&jobs[i].diags);
	pool.workers = workers;
	pool.jobs = jobs;
	gws_threads_run(n_threads, n, run_job, &pool);
	if ((error = adopt_arenas(ctx, workers, n_threads)) < 0)
		goto cleanup;

	/* merged in Gateway order; the first failure stops it, as sequentially */
	for (i = 0; i < n; i++) {
		if (jobs[i].error < 0) {
			error = gws_error_set(jobs[i].error, "%s", jobs[i].message);
			goto cleanup;
		}
		if (!ctx->error && jobs[i].note < 0)
			ctx->error = jobs[i].note;
		if ((error = gws_diag_list_move(ctx->diags, &jobs[i].diags)) < 0 ||
		    (error = push_result(jobs[i].status, gateways, stacks)) < 0)
			goto cleanup;
	}
cleanup:
	for (i = 0; i < n; i++)
		gws_diag_list_dispose(&jobs[i].diags);
	for (i = 0; i < started; i++) {
		gws_arena_free(workers[i].arena);
		gws_model__strmap_free(workers[i].tg_by_id);
		gws_vec_dispose(&workers[i].tgs);
	}
	gws_free(workers);
	return error;
}

int gws_model__build_gateways(gws_model_ctx *ctx, gws_vec *gateways, gws_vec *stacks)
{
	const gws_manifest_store *store = ctx->store;
	size_t i, n_jobs = 0, n = gws_manifest_count(store, GWS_KIND_GATEWAY), n_threads;
	gw_job *jobs = NULL;
	int error;

	jobs = gws_calloc(n + 1, sizeof(*jobs));
	if (!jobs)
		return GWS_ENOMEM;
	for (i = 0; i < n; i++) {
		const gws_manifest_object *gw = gws_manifest_at(store, GWS_KIND_GATEWAY, i);
		gws_model_class *cls;
		if (!gw->spec.gateway || !gw->spec.gateway->gateway_class_name)
			continue;
		cls = gws_model__strmap_get(ctx->classes, gw->spec.gateway->gateway_class_name);
		if (!cls)
			continue;
		jobs[n_jobs].gw = gw;
		jobs[n_jobs++].cls = cls;
	}
	n_threads = thread_count(n_jobs);
	if (n_threads > n_jobs)
		n_threads = n_jobs ? n_jobs : 1;
	error = n_threads > 1 ? build_threaded(ctx, jobs, n_jobs, n_threads, gateways, stacks)
	                      : build_sequential(ctx, jobs, n_jobs, gateways, stacks);
	gws_free(jobs);
	return error;
}
