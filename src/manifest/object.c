/*
 * One YAML document -> typed objects: apiVersion/kind dispatch, metadata,
 * spec conversion, defaults, and the object's place in the store.
 *
 * Dispatch rule: a kind is "ours" only in its own API group, so an Istio
 * `networking.istio.io/v1 Gateway` is just an ignored kind. A known kind in
 * its own group with a version gwsync does not accept is an error, because
 * silently skipping it would drop part of the desired state.
 */
#include <stdio.h>
#include <string.h>

#include "manifest/internal.h"
#include "manifest/schema.h"

#define GW_GROUP  "gateway.networking.k8s.io"
#define GWX_GROUP "gateway.networking.x-k8s.io"
#define AWS_GROUP "gateway.k8s.aws"

typedef struct {
	const char *group;
	const char *version;
	const char *kind;
	gws_manifest_kind id;
} api_entry;

/* Gateway API v1.6.1 served versions plus the deprecated route versions
 * (docs/gateway-rules.md, "Versions and kinds read"). */
static const api_entry apis[] = {
        {GW_GROUP, "v1", "GatewayClass", GWS_KIND_GATEWAY_CLASS},
        {GW_GROUP, "v1beta1", "GatewayClass", GWS_KIND_GATEWAY_CLASS},
        {GW_GROUP, "v1", "Gateway", GWS_KIND_GATEWAY},
        {GW_GROUP, "v1beta1", "Gateway", GWS_KIND_GATEWAY},
        {GW_GROUP, "v1", "HTTPRoute", GWS_KIND_HTTP_ROUTE},
        {GW_GROUP, "v1beta1", "HTTPRoute", GWS_KIND_HTTP_ROUTE},
        {GW_GROUP, "v1", "GRPCRoute", GWS_KIND_GRPC_ROUTE},
        {GW_GROUP, "v1alpha2", "GRPCRoute", GWS_KIND_GRPC_ROUTE},
        {GW_GROUP, "v1", "TCPRoute", GWS_KIND_TCP_ROUTE},
        {GW_GROUP, "v1alpha2", "TCPRoute", GWS_KIND_TCP_ROUTE},
        {GW_GROUP, "v1", "UDPRoute", GWS_KIND_UDP_ROUTE},
        {GW_GROUP, "v1alpha2", "UDPRoute", GWS_KIND_UDP_ROUTE},
        {GW_GROUP, "v1", "TLSRoute", GWS_KIND_TLS_ROUTE},
        {GW_GROUP, "v1alpha3", "TLSRoute", GWS_KIND_TLS_ROUTE},
        {GW_GROUP, "v1alpha2", "TLSRoute", GWS_KIND_TLS_ROUTE},
        {GW_GROUP, "v1", "ReferenceGrant", GWS_KIND_REFERENCE_GRANT},
        {GW_GROUP, "v1beta1", "ReferenceGrant", GWS_KIND_REFERENCE_GRANT},
        {GW_GROUP, "v1alpha2", "ReferenceGrant", GWS_KIND_REFERENCE_GRANT},
        {GW_GROUP, "v1", "ListenerSet", GWS_KIND_LISTENER_SET},
        {GWX_GROUP, "v1alpha1", "ListenerSet", GWS_KIND_LISTENER_SET},
        {GWX_GROUP, "v1alpha1", "XListenerSet", GWS_KIND_LISTENER_SET},
        {"", "v1", "Service", GWS_KIND_SERVICE},
        {"", "v1", "Namespace", GWS_KIND_NAMESPACE},
        {AWS_GROUP, "v1", "LoadBalancerConfiguration", GWS_KIND_LOAD_BALANCER_CONFIGURATION},
        {AWS_GROUP, "v1beta1", "LoadBalancerConfiguration", GWS_KIND_LOAD_BALANCER_CONFIGURATION},
        {AWS_GROUP, "v1", "TargetGroupConfiguration", GWS_KIND_TARGET_GROUP_CONFIGURATION},
        {AWS_GROUP, "v1beta1", "TargetGroupConfiguration", GWS_KIND_TARGET_GROUP_CONFIGURATION},
        {AWS_GROUP, "v1", "ListenerRuleConfiguration", GWS_KIND_LISTENER_RULE_CONFIGURATION},
        {AWS_GROUP, "v1beta1", "ListenerRuleConfiguration", GWS_KIND_LISTENER_RULE_CONFIGURATION},
};

static bool group_eq(const char *g, size_t glen, const char *want)
{
	return strlen(want) == glen && memcmp(g, want, glen) == 0;
}

/*
 * Finds the entry for apiVersion + kind. Returns NULL and sets *known_kind
 * when the kind is ours in that group but the version is not accepted.
 */
static const api_entry *lookup_api(const char *api_version, const char *kind, bool *known_kind)
{
	const char *slash = strrchr(api_version, '/');
	const char *group = slash ? api_version : "";
	size_t glen = slash ? (size_t)(slash - api_version) : 0;
	const char *version = slash ? slash + 1 : api_version;
	*known_kind = false;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(apis); i++) {
		if (strcmp(apis[i].kind, kind) != 0 || !group_eq(group, glen, apis[i].group))
			continue;
		if (strcmp(apis[i].version, version) == 0)
			return &apis[i];
		*known_kind = true;
	}
	return NULL;
}

static int unsupported_version(gws_mf_ctx *ctx, const gws_mf_node *at, const char *api_version,
                               const char *kind)
{
	gws_buf list = GWS_BUF_INIT(GWS_CAP_LINE);
	const char *slash = strrchr(api_version, '/');
	size_t glen = slash ? (size_t)(slash - api_version) : 0;
	int rc = 0;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(apis) && rc == 0; i++) {
		if (strcmp(apis[i].kind, kind) != 0 || !group_eq(api_version, glen, apis[i].group))
			continue;
		rc = gws_buf_printf(&list, "%s%s%s%s", list.size ? ", " : "", apis[i].group,
		                    apis[i].group[0] ? "/" : "", apis[i].version);
	}
	if (rc == 0 && gws_diag_add(ctx->diags, GWS_DIAG_ERROR, ctx->file, at->line, at->column,
	                            ctx->ref, "apiVersion",
	                            "apiVersion \"%.200s\" is not supported for %s (supported: %s)",
	                            api_version, kind, gws_buf_cstr(&list)) < 0)
		rc = GWS_ENOMEM;
	gws_buf_dispose(&list);
	return rc;
}

/* A top-level string field; NULL with a diagnostic when missing or not a string. */
static const char *top_string(gws_mf_ctx *ctx, const gws_mf_node *root, const char *key,
                              const gws_mf_node **keynode)
{
	const gws_mf_node *k = NULL;
	const gws_mf_node *v = gws_mf__map_get(root, key, &k);
	const char *s = NULL;
	*keynode = k;
	if (!v || (v->type == GWS_MF_NODE_SCALAR && v->scalar_kind == GWS_MF_SCALAR_NULL)) {
		char msg[64];
		snprintf(msg, sizeof(msg), "document has no %s", key);
		gws_mf__diag(ctx, GWS_DIAG_ERROR, root, msg);
		return NULL;
	}
	size_t saved = gws_mf__path_push(ctx, key);
	gws_mf__get_string(ctx, k, v, &s);
	gws_mf__path_pop(ctx, saved);
	return s;
}

/* metadata.name / .namespace read ahead so every later diagnostic names the object. */
static const char *peek_meta(const gws_mf_node *meta, const char *key)
{
	const gws_mf_node *v = gws_mf__map_get(meta, key, NULL);
	if (!v || v->type != GWS_MF_NODE_SCALAR || v->scalar_kind != GWS_MF_SCALAR_STRING ||
	    (v->flags & GWS_MF_NODE_HAS_NUL) || v->len == 0)
		return NULL;
	return v->str;
}

static int warn_top_level(gws_mf_ctx *ctx, const gws_mf_node *root)
{
	static const char *const known[] = {"apiVersion", "kind", "metadata", "spec", "status"};
	for (size_t i = 0; i < root->n; i++) {
		const gws_mf_node *k = root->items[2 * i];
		bool ok = false;
		for (size_t j = 0; j < GWS_ARRAY_SIZE(known) && !ok; j++)
			ok = strcmp(k->str, known[j]) == 0;
		if (ok)
			continue;
		size_t saved = gws_mf__path_push(ctx, k->str);
		char msg[300];
		snprintf(msg, sizeof(msg), "unknown field \"%.200s\"", k->str);
		gws_mf__diag(ctx, GWS_DIAG_WARNING, k, msg);
		gws_mf__path_pop(ctx, saved);
	}
	return ctx->oom ? GWS_ENOMEM : 0;
}

static int add_object(gws_manifest_store *store, gws_mf_ctx *ctx, unsigned doc_index,
                      const gws_mf_node *root, const char *api_version, const char *kind,
                      const api_entry *api);

/* "Kind ns/name" or "Kind name", without printf: one per object. */
static const char *make_ref(gws_arena *arena, const char *kind, const char *ns, const char *name)
{
	size_t lk = strlen(kind), ln = ns ? strlen(ns) : 0, lm = strlen(name);
	char *p = gws_arena_alloc(arena, lk + ln + lm + 3);
	if (!p)
		return NULL;
	char *q = p;
	memcpy(q, kind, lk);
	q += lk;
	*q++ = ' ';
	if (ns) {
		memcpy(q, ns, ln);
		q += ln;
		*q++ = '/';
	}
	memcpy(q, name, lm + 1);
	return p;
}

static int add_node(gws_manifest_store *store, gws_mf_ctx *ctx, unsigned doc_index,
                    const gws_mf_node *root, int list_depth)
{
	const gws_mf_node *kv = NULL, *kk = NULL;
	if (root->type != GWS_MF_NODE_MAPPING) {
		char msg[128];
		snprintf(msg, sizeof(msg), "expected a Kubernetes object (a mapping), got %s",
		         gws_mf__node_describe(root));
		gws_mf__diag(ctx, GWS_DIAG_ERROR, root, msg);
		return ctx->oom ? GWS_ENOMEM : 0;
	}
	const char *api_version = top_string(ctx, root, "apiVersion", &kv);
	const char *kind = top_string(ctx, root, "kind", &kk);
	if (!api_version || !kind)
		return ctx->oom ? GWS_ENOMEM : 0;

	/* kind: List (kubectl's list form): each item is an object */
	if (strcmp(kind, "List") == 0 && strcmp(api_version, "v1") == 0 && list_depth == 0) {
		const gws_mf_node *items = gws_mf__map_get(root, "items", NULL);
		if (!items || items->type != GWS_MF_NODE_SEQUENCE)
			return 0;
		for (size_t i = 0; i < items->n; i++) {
			int rc = add_node(store, ctx, doc_index, items->items[i], 1);
			if (rc < 0)
				return rc;
		}
		return 0;
	}

	bool known_kind = false;
	ctx->ref = NULL;
	const api_entry *api = lookup_api(api_version, kind, &known_kind);
	if (!api) {
		if (known_kind) {
			/* name the object when it has a name, so the user can find it */
			const gws_mf_node *meta = gws_mf__map_get(root, "metadata", NULL);
			const char *name = peek_meta(meta, "name");
			const char *ns = peek_meta(meta, "namespace");
			gws_manifest_kind id = gws_manifest_kind_from_name(kind);
			bool namespaced = id == GWS_KIND__COUNT || gws_manifest_kind_namespaced(id);
			/* cut as over-long names are (too_long below) */
			ctx->ref = !name ? NULL
			           : namespaced
			                   ? gws_arena_printf(ctx->arena, "%s %.63s/%.253s", kind,
			                                      ns ? ns : "default", name)
			                   : gws_arena_printf(ctx->arena, "%s %.253s", kind, name);
			return unsupported_version(ctx, kv, api_version, kind);
		}
		store->stats.ignored++;
		return 0;
	}
	return add_object(store, ctx, doc_index, root, api_version, kind, api);
}

/* Converts the object's `field` section (`value`, under `key`) into `out`:
 * it must be a mapping, anything else is an error at the key. */
static void convert_section(gws_mf_ctx *ctx, const char *field, const gws_mf_node *key,
                            const gws_mf_node *value, const gws_mf_type *type, void *out)
{
	size_t saved = gws_mf__path_push(ctx, field);

	if (value->type != GWS_MF_NODE_MAPPING) {
		char msg[64];
		snprintf(msg, sizeof(msg), "expected a mapping, got %s",
		         gws_mf__node_describe(value));
		gws_mf__diag(ctx, GWS_DIAG_ERROR, key, msg);
	} else {
		gws_mf__convert(ctx, type, value, out);
	}
	gws_mf__path_pop(ctx, saved);
}

/*
 * A metadata.name or .namespace longer than Kubernetes accepts for any kind
 * is an error that drops the object, like a missing name: such a name is not
 * a name, and kept it would fill every diagnostic, status and rendered line
 * that refers to the object (a 64 KiB name made each message too long to
 * print). True when reported.
 */
static bool too_long(gws_mf_ctx *ctx, const char *kind, const gws_mf_node *meta, const char *key,
                     size_t max)
{
	const gws_mf_node *k = NULL;
	const gws_mf_node *v = gws_mf__map_get(meta, key, &k);
	char field[32];

	if (!v || v->len <= max)
		return false;
	snprintf(field, sizeof(field), "metadata.%s", key);
	if (gws_diag_add(ctx->diags, GWS_DIAG_ERROR, ctx->file, v->line, v->column, kind, field,
	                 "is %u bytes long, over the %zu characters Kubernetes allows; object "
	                 "ignored",
	                 (unsigned)v->len, max) < 0)
		ctx->oom = 1;
	return true;
}

static int add_object(gws_manifest_store *store, gws_mf_ctx *ctx, unsigned doc_index,
                      const gws_mf_node *root, const char *api_version, const char *kind,
                      const api_entry *api)
{
	gws_arena *arena = store->arena;
	const gws_mf_node *mk = NULL;
	const gws_mf_node *meta = gws_mf__map_get(root, "metadata", &mk);
	const char *name = peek_meta(meta, "name");
	const char *ns = peek_meta(meta, "namespace");
	bool namespaced = gws_manifest_kind_namespaced(api->id);
	int rc = 0;

	ctx->ref = NULL;
	if (!name) {
		/* without a name the object cannot be referenced or keyed: report and drop */
		if (gws_diag_add(ctx->diags, GWS_DIAG_ERROR, ctx->file, mk ? mk->line : root->line,
		                 mk ? mk->column : root->column, kind, "metadata.name",
		                 "required (a non-empty string); object ignored") < 0)
			return GWS_ENOMEM;
		return 0;
	}
	bool long_name = too_long(ctx, kind, meta, "name", GWS_MF_NAME_MAX);
	bool long_ns =
	        namespaced && ns && too_long(ctx, kind, meta, "namespace", GWS_MF_NAMESPACE_MAX);
	if (long_name || long_ns) /* both reported */
		return ctx->oom ? GWS_ENOMEM : 0;
	/* the node tree goes once the document is converted: keep copies */
	if (!(name = gws_mf__keep_str(ctx, name, strlen(name))) ||
	    (ns && !(ns = gws_mf__keep_str(ctx, ns, strlen(ns)))))
		return GWS_ENOMEM;
	if (namespaced && !ns)
		ns = "default"; /* what kubectl apply does without -n */
	const char *ref = make_ref(arena, kind, namespaced ? ns : NULL, name);
	gws_manifest_object *obj = gws_arena_alloc(arena, sizeof(*obj));
	if (!ref || !obj)
		return GWS_ENOMEM;
	ctx->ref = ref;

	obj->kind = api->id;
	obj->api_version = gws_arena_strdup(arena, api_version);
	obj->group = api->group;
	obj->version = api->version;
	obj->file = ctx->file;
	obj->doc_index = doc_index;
	obj->line = root->line;
	obj->column = root->column;
	obj->ref = ref;
	/* one index per document, written with its first object (before the
	 * defaults, which ask what was written) */
	if (!ctx->posdoc && !(ctx->posdoc = gws_mf__pos_build(store, ctx->doc_root)))
		return GWS_ENOMEM;
	obj->node_ = ctx->posdoc;
	obj->pos_ = root->pos - 1;
	if (!obj->api_version)
		return GWS_ENOMEM;

	if (meta)
		convert_section(ctx, "metadata", mk, meta, gws_mf__meta_type(), &obj->meta);
	obj->meta.name = name;
	if (!namespaced && obj->meta.namespace_) {
		size_t saved = gws_mf__path_push(ctx, "metadata");
		const gws_mf_node *nk = NULL;
		gws_mf__map_get(meta, "namespace", &nk);
		gws_mf__path_push(ctx, "namespace");
		gws_mf__diag(ctx, GWS_DIAG_WARNING, nk,
		             "ignored: this kind is cluster-scoped and has no namespace");
		gws_mf__path_pop(ctx, saved);
	}
	obj->meta.namespace_ = namespaced ? ns : NULL;

	const gws_mf_type *spec_type = gws_mf__spec_type(api->id);
	if (spec_type) {
		const gws_mf_node *sk = NULL;
		const gws_mf_node *spec = gws_mf__map_get(root, "spec", &sk);
		/* an absent spec converts as an empty one: consumers never see a NULL spec */
		obj->spec.any = gws_arena_alloc(arena, spec_type->size);
		if (!obj->spec.any)
			return GWS_ENOMEM;
		if (spec &&
		    !(spec->type == GWS_MF_NODE_SCALAR && spec->scalar_kind == GWS_MF_SCALAR_NULL))
			convert_section(ctx, "spec", sk, spec, spec_type, obj->spec.any);
	}
	if ((rc = warn_top_level(ctx, root)) < 0)
		return rc;
	if (ctx->oom)
		return GWS_ENOMEM;
	if ((rc = gws_mf__apply_defaults(arena, obj)) < 0)
		return rc;
	if (gws_vec_push(&store->by_kind[obj->kind], obj) < 0)
		return GWS_ENOMEM;
	store->stats.objects++;
	return 0;
}

int gws_mf__add_document(gws_manifest_store *store, const char *file, const gws_mf_document *doc,
                         gws_diag_list *diags)
{
	const gws_mf_node *root = doc->root;
	if (!root || (root->type == GWS_MF_NODE_SCALAR && root->scalar_kind == GWS_MF_SCALAR_NULL))
		return 0; /* empty document */
	store->stats.documents++;
	gws_mf_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = store->arena;
	ctx.values = &store->values;
	ctx.store = store;
	ctx.doc_root = root;
	ctx.diags = diags;
	ctx.file = file;
	int rc = add_node(store, &ctx, doc->index, root, 0);
	if (rc == 0 && ctx.oom)
		rc = GWS_ENOMEM;
	return rc;
}
