/*
 * Entry point of the validation rules: walks every object of the store and
 * runs the metadata rules plus the rules of its kind. The rules re-create
 * what the CRD OpenAPI schemas and CEL rules (and the core API server, for
 * Service and Namespace) would reject, since gwsync has no API server.
 */
#include "manifest/internal.h"
#include "manifest/validate.h"
#include "manifest/validate_util.h"

typedef void (*kind_rules)(gws_manifest__vctx *v);

static kind_rules rules_for(gws_manifest_kind kind)
{
	switch (kind) {
	case GWS_KIND_GATEWAY_CLASS:
		return gws_manifest__validate_gateway_class;
	case GWS_KIND_GATEWAY:
		return gws_manifest__validate_gateway;
	case GWS_KIND_HTTP_ROUTE:
		return gws_manifest__validate_http_route;
	case GWS_KIND_GRPC_ROUTE:
		return gws_manifest__validate_grpc_route;
	case GWS_KIND_TCP_ROUTE:
	case GWS_KIND_UDP_ROUTE:
	case GWS_KIND_TLS_ROUTE:
		return gws_manifest__validate_l4_route;
	case GWS_KIND_REFERENCE_GRANT:
		return gws_manifest__validate_reference_grant;
	case GWS_KIND_LISTENER_SET:
		return gws_manifest__validate_listener_set;
	case GWS_KIND_SERVICE:
		return gws_manifest__validate_service;
	case GWS_KIND_LOAD_BALANCER_CONFIGURATION:
		return gws_manifest__validate_lb_config;
	case GWS_KIND_TARGET_GROUP_CONFIGURATION:
		return gws_manifest__validate_tg_config;
	case GWS_KIND_LISTENER_RULE_CONFIGURATION:
		return gws_manifest__validate_lrc_config;
	case GWS_KIND_NAMESPACE:
	case GWS_KIND__COUNT:
		break;
	}
	return NULL;
}

/* Below this many objects threads cost more than they save. */
#define PARALLEL_MIN_OBJECTS 256
#define CHUNKS_PER_THREAD    8

/*
 * The metadata rules plus the rules of the object's kind, problems into
 * `out`; *drop tells whether a list of the object is over its schema limit.
 */
static int validate_object(const gws_manifest_object *obj, gws_diag_list *diags,
                           size_t loader_diags, gws_diag_list *out, bool *drop)
{
	kind_rules rules = rules_for(obj->kind);
	gws_manifest__vctx v;

	gws_manifest__v_init(&v, diags, loader_diags, obj);
	v.out = out;
	/* A spec the loader could not read has been reported already. */
	if (gws_manifest__validate_meta(&v) && rules && obj->spec.any)
		rules(&v);
	*drop = v.over_limit;
	return v.error;
}

/*
 * Objects with a list or map longer than its schema allows leave the store:
 * the API server would refuse them, and the model must never walk such a
 * list (100,000 listeners made it quadratic; every list the model reads is
 * then bounded by its schema). `objects` is the store in all_objects order.
 */
static void drop_over_limit(gws_manifest_store *store, const bool *drop)
{
	size_t at = 0;

	for (int kind = 0; kind < GWS_KIND__COUNT; kind++) {
		gws_vec *objs = &store->by_kind[kind];
		size_t kept = 0;

		for (size_t i = 0; i < objs->len; i++, at++)
			if (!drop[at])
				objs->items[kept++] = objs->items[i];
		store->stats.objects -= objs->len - kept;
		objs->len = kept;
	}
}

/* Every object, kinds in order, each kind in store order: the order of the report. */
static const gws_manifest_object **all_objects(const gws_manifest_store *store, size_t *n)
{
	const gws_manifest_object **all;
	size_t total = 0, k = 0;

	for (int kind = 0; kind < GWS_KIND__COUNT; kind++)
		total += gws_manifest_count(store, (gws_manifest_kind)kind);
	if (!(all = gws_calloc(total ? total : 1, sizeof(*all))))
		return NULL;
	for (int kind = 0; kind < GWS_KIND__COUNT; kind++)
		for (size_t i = 0; i < gws_manifest_count(store, (gws_manifest_kind)kind); i++)
			all[k++] = gws_manifest_at(store, (gws_manifest_kind)kind, i);
	*n = total;
	return all;
}

/*
 * Objects are validated independently (rules read the loader's diagnostics,
 * never each other's), so chunks of consecutive objects run on threads, each
 * into its own list, merged in order: the same report as one sequential pass.
 */
typedef struct {
	size_t first, end;
	gws_diag_list diags;
	int error;
} vchunk;

typedef struct {
	const gws_manifest_object **objects;
	gws_diag_list *diags;
	size_t loader_diags;
	vchunk *chunks;
	bool *drop;
} vjob;

static void run_chunk(void *payload, size_t worker, size_t task)
{
	vjob *j = payload;
	vchunk *c = &j->chunks[task];

	(void)worker;
	for (size_t i = c->first; i < c->end && c->error == 0; i++)
		c->error = validate_object(j->objects[i], j->diags, j->loader_diags, &c->diags,
		                           &j->drop[i]);
}

static int validate_parallel(const gws_manifest_object **objects, size_t n, size_t n_threads,
                             gws_diag_list *diags, bool *drop)
{
	size_t n_chunks = n_threads * CHUNKS_PER_THREAD;
	vjob j = {objects, diags, diags->count, gws_calloc(n_chunks, sizeof(vchunk)), drop};
	int error = 0;

	if (!j.chunks)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n_chunks; i++) {
		j.chunks[i].first = n * i / n_chunks;
		j.chunks[i].end = n * (i + 1) / n_chunks;
		gws_diag_list_init(&j.chunks[i].diags);
	}
	gws_threads_run(n_threads, n_chunks, run_chunk, &j);
	for (size_t i = 0; i < n_chunks; i++) {
		if (error == 0)
			error = j.chunks[i].error ? j.chunks[i].error
			                          : gws_diag_list_move(diags, &j.chunks[i].diags);
		gws_diag_list_dispose(&j.chunks[i].diags);
	}
	gws_free(j.chunks);
	return error;
}

int gws_manifest__validate(gws_manifest_store *store, gws_diag_list *diags)
{
	size_t n = 0, n_threads, loader_diags = diags->count;
	const gws_manifest_object **objects = all_objects(store, &n);
	bool *drop = gws_calloc(n + 1, sizeof(*drop));
	int error = 0;

	if (!objects || !drop) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	n_threads = n >= PARALLEL_MIN_OBJECTS ? gws_threads_count(n) : 1;
	if (n_threads > 1)
		error = validate_parallel(objects, n, n_threads, diags, drop);
	else
		for (size_t i = 0; i < n && error == 0; i++)
			error = validate_object(objects[i], diags, loader_diags, diags, &drop[i]);
	if (error == 0)
		drop_over_limit(store, drop);
cleanup:
	gws_free(drop);
	gws_free(objects);
	return error;
}
