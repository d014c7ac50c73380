/*
 * The object store: per-kind arrays sorted by (namespace, name) so that
 * iteration does not depend on file names or order, binary-search lookup,
 * duplicate detection. Field-path positions are in pos.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "manifest/internal.h"

static const struct {
	const char *name;
	const char *group;
	bool namespaced;
} kinds[GWS_KIND__COUNT] = {
        [GWS_KIND_GATEWAY_CLASS] = {"GatewayClass", "gateway.networking.k8s.io", false},
        [GWS_KIND_GATEWAY] = {"Gateway", "gateway.networking.k8s.io", true},
        [GWS_KIND_HTTP_ROUTE] = {"HTTPRoute", "gateway.networking.k8s.io", true},
        [GWS_KIND_GRPC_ROUTE] = {"GRPCRoute", "gateway.networking.k8s.io", true},
        [GWS_KIND_TCP_ROUTE] = {"TCPRoute", "gateway.networking.k8s.io", true},
        [GWS_KIND_UDP_ROUTE] = {"UDPRoute", "gateway.networking.k8s.io", true},
        [GWS_KIND_TLS_ROUTE] = {"TLSRoute", "gateway.networking.k8s.io", true},
        [GWS_KIND_REFERENCE_GRANT] = {"ReferenceGrant", "gateway.networking.k8s.io", true},
        [GWS_KIND_LISTENER_SET] = {"ListenerSet", "gateway.networking.k8s.io", true},
        [GWS_KIND_SERVICE] = {"Service", "", true},
        [GWS_KIND_NAMESPACE] = {"Namespace", "", false},
        [GWS_KIND_LOAD_BALANCER_CONFIGURATION] = {"LoadBalancerConfiguration", "gateway.k8s.aws",
                                                  true},
        [GWS_KIND_TARGET_GROUP_CONFIGURATION] = {"TargetGroupConfiguration", "gateway.k8s.aws",
                                                 true},
        [GWS_KIND_LISTENER_RULE_CONFIGURATION] = {"ListenerRuleConfiguration", "gateway.k8s.aws",
                                                  true},
};

const char *gws_manifest_kind_name(gws_manifest_kind kind)
{
	return (unsigned)kind < GWS_KIND__COUNT ? kinds[kind].name : "Unknown";
}

const char *gws_manifest_kind_group(gws_manifest_kind kind)
{
	return (unsigned)kind < GWS_KIND__COUNT ? kinds[kind].group : "";
}

bool gws_manifest_kind_namespaced(gws_manifest_kind kind)
{
	return (unsigned)kind < GWS_KIND__COUNT && kinds[kind].namespaced;
}

gws_manifest_kind gws_manifest_kind_from_name(const char *name)
{
	for (int i = 0; name && i < GWS_KIND__COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return (gws_manifest_kind)i;
	return GWS_KIND__COUNT;
}

int gws_mf__store_new(gws_manifest_store **out)
{
	gws_manifest_store *s = gws_calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return GWS_ENOMEM;
	if (gws_arena_new(&s->arena) < 0) {
		gws_free(s);
		return GWS_ENOMEM;
	}
	for (int i = 0; i < GWS_KIND__COUNT; i++)
		gws_vec_init(&s->by_kind[i]);
	gws_vec_init(&s->parts);
	gws_mf__pool_init(&s->nodes);
	gws_mf__intern_init(&s->keys, s->arena);
	gws_mf__intern_init(&s->values, s->arena);
	*out = s;
	return 0;
}

void gws_manifest_store_free(gws_manifest_store *store)
{
	if (!store)
		return;
	for (int i = 0; i < GWS_KIND__COUNT; i++)
		gws_vec_dispose(&store->by_kind[i]);
	for (size_t i = 0; i < store->parts.len; i++)
		gws_manifest_store_free(store->parts.items[i]);
	gws_vec_dispose(&store->parts);
	gws_mf__pool_dispose(&store->nodes);
	gws_mf__intern_dispose(&store->keys);
	gws_mf__intern_dispose(&store->values);
	gws_free(store->scratch);
	gws_arena_free(store->arena);
	gws_free(store);
}

/* (namespace, name); the stable sort keeps load order (file, document) among equals. */
static int cmp_objects(const void *pa, const void *pb)
{
	const gws_manifest_object *a = pa, *b = pb;
	int c = gws_strcmp_null(a->meta.namespace_, b->meta.namespace_);
	return c ? c : strcmp(a->meta.name, b->meta.name);
}

/* Drops the later of equal neighbours in a sorted kind, each with an error naming both. */
static int drop_duplicates(gws_manifest_store *store, gws_vec *v, gws_diag_list *diags)
{
	size_t kept = 0;

	for (size_t i = 0; i < v->len; i++) {
		gws_manifest_object *o = v->items[i];
		gws_manifest_object *first = kept ? v->items[kept - 1] : NULL;
		if (first && cmp_objects(first, o) == 0) {
			if (gws_diag_add(diags, GWS_DIAG_ERROR, o->file, o->line, o->column, o->ref,
			                 NULL,
			                 "duplicate object: also defined at %s:%u:%u "
			                 "(that definition is used)",
			                 first->file, first->line, first->column) < 0)
				return GWS_ENOMEM;
			store->stats.objects--;
			continue;
		}
		v->items[kept++] = o;
	}
	v->len = kept;
	return 0;
}

/* Fewer objects sort faster than a thread starts. */
#define SORT_THREADS_MIN 64

typedef struct {
	gws_manifest_store *store;
	int errors[GWS_KIND__COUNT];
} sort_job;

static void sort_kind(void *payload, size_t worker, size_t kind)
{
	sort_job *j = payload;

	(void)worker;
	j->errors[kind] = gws_vec_sort(&j->store->by_kind[kind], cmp_objects);
}

/* Loading is over: the node pools' spare chunks and the index scratch go. */
static void drop_scratch(gws_manifest_store *store)
{
	gws_mf__pool_dispose(&store->nodes);
	gws_free(store->scratch);
	store->scratch = NULL;
	store->scratch_cap = 0;
	for (size_t i = 0; i < store->parts.len; i++)
		drop_scratch(store->parts.items[i]);
}

int gws_mf__store_finish(gws_manifest_store *store, gws_diag_list *diags)
{
	/* kinds sort independently (routes and Services are the big ones): on threads */
	sort_job j = {store, {0}};
	size_t total = 0, workers;

	for (int k = 0; k < GWS_KIND__COUNT; k++)
		total += store->by_kind[k].len;
	drop_scratch(store);
	workers = total >= SORT_THREADS_MIN ? gws_threads_count(GWS_KIND__COUNT) : 1;
	gws_threads_run(workers, GWS_KIND__COUNT, sort_kind, &j);
	for (int k = 0; k < GWS_KIND__COUNT; k++) {
		if (j.errors[k] < 0)
			return GWS_ENOMEM;
		if (drop_duplicates(store, &store->by_kind[k], diags) < 0)
			return GWS_ENOMEM;
	}
	return 0;
}

size_t gws_manifest_count(const gws_manifest_store *store, gws_manifest_kind kind)
{
	if (!store || (unsigned)kind >= GWS_KIND__COUNT)
		return 0;
	return store->by_kind[kind].len;
}

const gws_manifest_object *gws_manifest_at(const gws_manifest_store *store, gws_manifest_kind kind,
                                           size_t index)
{
	if (index >= gws_manifest_count(store, kind))
		return NULL;
	return store->by_kind[kind].items[index];
}

const gws_manifest_object *gws_manifest_find(const gws_manifest_store *store,
                                             gws_manifest_kind kind, const char *namespace_,
                                             const char *name)
{
	size_t lo = 0, hi = gws_manifest_count(store, kind);
	if (!name)
		return NULL;
	if (!gws_manifest_kind_namespaced(kind))
		namespace_ = NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const gws_manifest_object *o = store->by_kind[kind].items[mid];
		int c = gws_strcmp_null(o->meta.namespace_, namespace_);
		if (!c)
			c = strcmp(o->meta.name, name);
		if (c == 0)
			return o;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void gws_manifest_get_stats(const gws_manifest_store *store, gws_manifest_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!store)
		return;
	*out = store->stats;
	out->node_bytes_peak = store->nodes.peak;
	for (size_t i = 0; i < store->parts.len; i++) {
		const gws_manifest_store *part = store->parts.items[i];
		if (part->nodes.peak > out->node_bytes_peak)
			out->node_bytes_peak = part->nodes.peak;
	}
}

int gws_manifest_diag(gws_diag_list *diags, const gws_manifest_object *obj,
                      gws_diag_severity severity, const char *path, const char *fmt, ...)
{
	char msg[1024];
	unsigned line, column;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gws_manifest_object_pos(obj, path, &line, &column);
	return gws_diag_add(diags, severity, obj->file, line, column, obj->ref,
	                    path && *path ? path : NULL, "%s", msg);
}
