/*
 * The model entry point: selects the GatewayClasses and Gateways gwsync
 * handles, indexes routes by the Gateway they name, builds one stack per
 * Gateway and collects the status of every object.
 */
#include "model/build.h"

#include <string.h>

static const gws_manifest_kind route_kinds[] = {
        GWS_KIND_HTTP_ROUTE, GWS_KIND_GRPC_ROUTE, GWS_KIND_TCP_ROUTE,
        GWS_KIND_TLS_ROUTE,  GWS_KIND_UDP_ROUTE,
};

const char *gws_model__kind_name(const gws_manifest_object *obj)
{
	return gws_manifest_kind_name(obj->kind);
}

bool gws_model__is_l7_kind(gws_manifest_kind kind)
{
	return kind == GWS_KIND_HTTP_ROUTE || kind == GWS_KIND_GRPC_ROUTE;
}

const gws_mf_parent_ref *gws_model__route_parent_refs(const gws_manifest_object *route, size_t *n)
{
	*n = 0;
	if (!route->spec.any)
		return NULL;
	switch (route->kind) {
	case GWS_KIND_HTTP_ROUTE:
		*n = route->spec.http_route->n_parent_refs;
		return route->spec.http_route->parent_refs;
	case GWS_KIND_GRPC_ROUTE:
		*n = route->spec.grpc_route->n_parent_refs;
		return route->spec.grpc_route->parent_refs;
	case GWS_KIND_TCP_ROUTE:
	case GWS_KIND_UDP_ROUTE:
	case GWS_KIND_TLS_ROUTE:
		*n = route->spec.tcp_route->n_parent_refs;
		return route->spec.tcp_route->parent_refs;
	default:
		return NULL;
	}
}

size_t gws_model__route_n_hostnames(const gws_manifest_object *route)
{
	if (!route->spec.any)
		return 0;
	switch (route->kind) {
	case GWS_KIND_HTTP_ROUTE:
		return route->spec.http_route->n_hostnames;
	case GWS_KIND_GRPC_ROUTE:
		return route->spec.grpc_route->n_hostnames;
	case GWS_KIND_TLS_ROUTE:
		return route->spec.tls_route->n_hostnames;
	default:
		return 0;
	}
}

const char *gws_model__route_hostnames(const gws_manifest_object *route, size_t i)
{
	switch (route->kind) {
	case GWS_KIND_HTTP_ROUTE:
		return route->spec.http_route->hostnames[i];
	case GWS_KIND_GRPC_ROUTE:
		return route->spec.grpc_route->hostnames[i];
	case GWS_KIND_TLS_ROUTE:
		return route->spec.tls_route->hostnames[i];
	default:
		return NULL;
	}
}

static int resolve_options(gws_model_options *out, const gws_model_options *in)
{
	gws_model_options def = GWS_MODEL_OPTIONS_INIT;
	*out = in ? *in : def;
	if (!out->cluster || !*out->cluster)
		out->cluster = GWS_MODEL_DEFAULT_CLUSTER;
	if (!out->alb_controller_name || !*out->alb_controller_name)
		out->alb_controller_name = GWS_MODEL_ALB_CONTROLLER;
	if (!out->nlb_controller_name || !*out->nlb_controller_name)
		out->nlb_controller_name = GWS_MODEL_NLB_CONTROLLER;
	if (!out->default_target_type || !*out->default_target_type)
		out->default_target_type = "instance";
	if (strcmp(out->default_target_type, "instance") != 0 &&
	    strcmp(out->default_target_type, "ip") != 0)
		return gws_error_set(GWS_EINVALID,
		                     "the default target type must be instance or ip, not %s",
		                     out->default_target_type);
	if (out->max_rules_per_alb <= 0)
		out->max_rules_per_alb = GWS_MODEL_MAX_RULES_PER_ALB;
	if (out->max_tgs_per_alb <= 0)
		out->max_tgs_per_alb = GWS_MODEL_MAX_TGS_PER_ALB;
	if (strcmp(out->alb_controller_name, out->nlb_controller_name) == 0)
		return gws_error_set(GWS_EINVALID,
		                     "the ALB and NLB controller names must differ (both are %s)",
		                     out->alb_controller_name);
	return 0;
}

/* The Gateway API features (names from the Gateway API's feature list, sorted
 * ascending as status.supportedFeatures must be) each controller's model
 * implements; docs/model.md lists what they mean here. */
static const char *const alb_features[] = {
        "GRPCRoute",
        "Gateway",
        "GatewayHTTPListenerIsolation",
        "HTTPRoute",
        "HTTPRouteHostRewrite",
        "HTTPRouteMethodMatching",
        "HTTPRoutePathRedirect",
        "HTTPRoutePathRewrite",
        "HTTPRoutePortRedirect",
        "HTTPRouteQueryParamMatching",
        "HTTPRouteSchemeRedirect",
        "ReferenceGrant",
};
static const char *const nlb_features[] = {"ReferenceGrant", "TCPRoute", "TLSRoute", "UDPRoute"};

/* GatewayClass: handled when its controllerName is ours; Accepted unless its
 * parametersRef cannot be resolved. */
static int select_class(gws_model_ctx *ctx, const gws_manifest_object *obj, gws_vec *statuses)
{
	const gws_mf_gateway_class *gc = obj->spec.gateway_class;
	gws_model_class *cls;
	const gws_mf_parameters_ref *pr;

	if (!gc || !gc->controller_name)
		return 0;
	cls = gws_arena_alloc(ctx->arena, sizeof(*cls));
	if (!cls)
		return GWS_ENOMEM;
	if (strcmp(gc->controller_name, ctx->opts.alb_controller_name) == 0)
		cls->lb_type = GWS_MODEL_LB_APPLICATION;
	else if (strcmp(gc->controller_name, ctx->opts.nlb_controller_name) == 0)
		cls->lb_type = GWS_MODEL_LB_NETWORK;
	else
		return 0;
	cls->object = obj;
	cls->controller_name = gc->controller_name;
	cls->status = gws_arena_alloc(ctx->arena, sizeof(*cls->status));
	if (!cls->status)
		return GWS_ENOMEM;
	cls->status->object = obj;
	cls->status->controller_name = gc->controller_name;
	cls->status->supported_features =
	        cls->lb_type == GWS_MODEL_LB_APPLICATION ? alb_features : nlb_features;
	cls->status->n_supported_features = cls->lb_type == GWS_MODEL_LB_APPLICATION
	                                            ? GWS_ARRAY_SIZE(alb_features)
	                                            : GWS_ARRAY_SIZE(nlb_features);
	cls->accepted = true;
	pr = gc->parameters_ref;
	if (pr) {
		if (!pr->kind || strcmp(pr->kind, "LoadBalancerConfiguration") != 0 || !pr->group ||
		    strcmp(pr->group, "gateway.k8s.aws") != 0) {
			gws_model__set_condition(ctx, &cls->status->conditions, GWS_COND_ACCEPTED,
			                         "False", GWS_REASON_INVALID_PARAMETERS,
			                         "parametersRef must name a gateway.k8s.aws "
			                         "LoadBalancerConfiguration, "
			                         "not %s/%s",
			                         pr->group ? pr->group : "",
			                         pr->kind ? pr->kind : "");
			cls->accepted = false;
		} else if (!pr->name) { /* the validator reports it; never print a NULL */
			gws_model__set_condition(ctx, &cls->status->conditions, GWS_COND_ACCEPTED,
			                         "False", GWS_REASON_INVALID_PARAMETERS,
			                         "parametersRef has no name");
			cls->accepted = false;
		} else if (!pr->namespace_) {
			gws_model__set_condition(ctx, &cls->status->conditions, GWS_COND_ACCEPTED,
			                         "False", GWS_REASON_INVALID_PARAMETERS,
			                         "Namespace must be specified in parametersRef for "
			                         "LoadBalancerConfiguration");
			cls->accepted = false;
		} else {
			cls->lb_config =
			        gws_manifest_find(ctx->store, GWS_KIND_LOAD_BALANCER_CONFIGURATION,
			                          pr->namespace_, pr->name);
			if (!cls->lb_config) {
				gws_model__set_condition(
				        ctx, &cls->status->conditions, GWS_COND_ACCEPTED, "False",
				        GWS_REASON_INVALID_PARAMETERS,
				        "LoadBalancerConfiguration %s/%s not found", pr->namespace_,
				        pr->name);
				cls->accepted = false;
			}
		}
		if (!cls->accepted)
			gws_model__note(
			        ctx, gws_manifest_diag(ctx->diags, obj, GWS_DIAG_WARNING,
			                               "spec.parametersRef", "%s",
			                               cls->status->conditions.items[0].message));
	}
	if (cls->accepted)
		gws_model__set_condition(ctx, &cls->status->conditions, GWS_COND_ACCEPTED, "True",
		                         GWS_REASON_ACCEPTED, "Accepted");
	if (gws_model__strmap_put(ctx->classes, obj->meta.name, cls) < 0 ||
	    gws_vec_push(statuses, cls->status) < 0)
		return GWS_ENOMEM;
	return 0;
}

/* Indexes every route parentRef that names a Gateway, by "ns/name". */
static int index_routes(gws_model_ctx *ctx)
{
	size_t k, i, p;

	for (k = 0; k < GWS_ARRAY_SIZE(route_kinds); k++) {
		size_t n = gws_manifest_count(ctx->store, route_kinds[k]);
		for (i = 0; i < n; i++) {
			const gws_manifest_object *route =
			        gws_manifest_at(ctx->store, route_kinds[k], i);
			size_t n_refs;
			const gws_mf_parent_ref *refs =
			        gws_model__route_parent_refs(route, &n_refs);
			for (p = 0; p < n_refs; p++) {
				const gws_mf_parent_ref *ref = &refs[p];
				gws_model_parent_list *list;
				gws_model_parent_link *link;
				const char *key;

				if (!ref->name || !ref->group || !ref->kind ||
				    strcmp(ref->group, "gateway.networking.k8s.io") != 0 ||
				    strcmp(ref->kind, "Gateway") != 0)
					continue;
				key = gws_model__printf(ctx, "%s/%s",
				                        ref->namespace_ ? ref->namespace_
				                                        : route->meta.namespace_,
				                        ref->name);
				link = gws_arena_alloc(ctx->arena, sizeof(*link));
				if (!key || !link || !gws_model__route_status_ext(ctx, route))
					return GWS_ENOMEM;
				link->route = route;
				link->parent_index = p;
				list = gws_model__strmap_get(ctx->by_parent, key);
				if (!list) {
					list = gws_arena_alloc(ctx->arena, sizeof(*list));
					if (!list ||
					    gws_model__strmap_put(ctx->by_parent, key, list) < 0)
						return GWS_ENOMEM;
				}
				if (list->tail)
					list->tail->next = link;
				else
					list->head = link;
				list->tail = link;
			}
		}
	}
	return 0;
}

/* Route statuses in (kind, namespace, name) order, parents in parentRefs order. */
static int collect_routes(gws_model_ctx *ctx)
{
	gws_vec all = GWS_VEC_INIT;
	size_t k, i, j;
	int error = 0;

	for (k = 0; k < GWS_ARRAY_SIZE(route_kinds); k++) {
		size_t n = gws_manifest_count(ctx->store, route_kinds[k]);
		for (i = 0; i < n; i++) {
			const gws_manifest_object *route =
			        gws_manifest_at(ctx->store, route_kinds[k], i);
			gws_model_route_status_ext *ext =
			        gws_model__strmap_get(ctx->route_status, route->ref);
			for (j = 0; ext && j < ext->n_slots && !ext->slots[j]; j++)
				;
			/* made by index_routes but no Gateway we build took it */
			if (!ext || j == ext->n_slots)
				continue;
			ext->pub.parents = gws_arena_calloc(ctx->arena, ext->n_slots,
			                                    sizeof(*ext->pub.parents));
			if (!ext->pub.parents) {
				error = GWS_ENOMEM;
				goto cleanup;
			}
			for (j = 0; j < ext->n_slots; j++)
				if (ext->slots[j])
					ext->pub.parents[ext->pub.n_parents++] = ext->slots[j];
			if ((error = gws_vec_push(&all, &ext->pub)) < 0)
				goto cleanup;
		}
	}
	ctx->model->routes = gws_arena_calloc(ctx->arena, all.len + 1, sizeof(void *));
	if (!ctx->model->routes) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if (all.len)
		memcpy(ctx->model->routes, all.items, all.len * sizeof(void *));
	ctx->model->n_routes = all.len;
cleanup:
	gws_vec_dispose(&all);
	return error;
}

static void block_stack(gws_model_ctx *ctx, gws_model_gateway_status *gs, const char *msg)
{
	gws_model_stack *stack = (gws_model_stack *)gs->stack;
	size_t i;
	if (!msg) {
		gws_model__note(ctx, GWS_ENOMEM);
		return;
	}
	if (!stack->blocked)
		stack->blocked = msg;
	gws_model__set_condition(ctx, &gs->conditions, GWS_COND_PROGRAMMED, "False",
	                         GWS_REASON_INVALID, "%s", msg);
	for (i = 0; i < gs->n_listeners; i++)
		gws_model__set_condition(ctx, &gs->listeners[i].conditions, GWS_COND_PROGRAMMED,
		                         "False", GWS_REASON_INVALID, "%s", msg);
	gws_model__note(ctx, gws_manifest_diag(ctx->diags, gs->object, GWS_DIAG_WARNING, NULL,
	                                       "Programmed=False Invalid: %s", msg));
}

/*
 * Load balancer and target group names are unique per account and region:
 * two stacks (or two target groups) that would claim one name cannot both be
 * created, so every claimant after the first (in Gateway order) is blocked.
 */
static int check_unique_names(gws_model_ctx *ctx, gws_vec *gateways)
{
	gws_model_strmap *lbs = NULL, *tgs = NULL;
	size_t i, j;
	int error;

	if ((error = gws_model__strmap_new(&lbs)) < 0 || (error = gws_model__strmap_new(&tgs)) < 0)
		goto cleanup;
	for (i = 0; i < gateways->len; i++) {
		gws_model_gateway_status *gs = gateways->items[i];
		const gws_model_stack *s = gs->stack;
		const gws_model_stack *other;
		if (!s)
			continue;
		other = gws_model__strmap_get(lbs, s->load_balancer.name);
		if (other)
			block_stack(ctx, gs,
			            gws_model__printf(ctx,
			                              "load balancer name %s is already used by "
			                              "Gateway %s",
			                              s->load_balancer.name, other->gateway));
		else if ((error = gws_model__strmap_put(lbs, s->load_balancer.name, (void *)s)) < 0)
			goto cleanup;
		for (j = 0; j < s->n_target_groups; j++) {
			const gws_model_target_group *tg = s->target_groups[j];
			const gws_model_target_group *first = gws_model__strmap_get(tgs, tg->name);
			if (first)
				block_stack(
				        ctx, gs,
				        gws_model__printf(ctx,
				                          "target group name %s is used by both "
				                          "%s and %s",
				                          tg->name, first->id, tg->id));
			else if ((error = gws_model__strmap_put(tgs, tg->name, (void *)tg)) < 0)
				goto cleanup;
		}
	}
cleanup:
	gws_model__strmap_free(lbs);
	gws_model__strmap_free(tgs);
	return error;
}

static int vec_to_array(gws_model_ctx *ctx, gws_vec *vec, void ***out, size_t *n)
{
	*out = gws_arena_calloc(ctx->arena, vec->len + 1, sizeof(void *));
	if (!*out)
		return GWS_ENOMEM;
	if (vec->len)
		memcpy(*out, vec->items, vec->len * sizeof(void *));
	*n = vec->len;
	return 0;
}

int gws_model_build(gws_model **out, const gws_manifest_store *store, const gws_model_options *opts,
                    gws_diag_list *diags)
{
	gws_model_ctx ctx;
	gws_model *model = NULL;
	gws_vec classes = GWS_VEC_INIT, gateways = GWS_VEC_INIT, stacks = GWS_VEC_INIT;
	size_t i, n;
	int error;

	*out = NULL;
	memset(&ctx, 0, sizeof(ctx));
	if ((error = resolve_options(&ctx.opts, opts)) < 0)
		return error;
	model = gws_calloc(1, sizeof(*model));
	if (!model)
		return GWS_ENOMEM;
	if ((error = gws_arena_new(&model->arena)) < 0)
		goto cleanup;
	ctx.store = store;
	ctx.arena = model->arena;
	ctx.diags = diags;
	ctx.model = model;
	model->cluster = gws_arena_strdup(model->arena, ctx.opts.cluster);
	ctx.opts.cluster = model->cluster;
	if (!model->cluster || (error = gws_model__strmap_new(&ctx.route_status)) < 0 ||
	    (error = gws_model__strmap_new(&ctx.by_parent)) < 0 ||
	    (error = gws_model__strmap_new(&ctx.classes)) < 0 ||
	    (error = gws_model__strmap_new(&ctx.tg_by_id)) < 0 ||
	    (error = gws_model__strmap_new(&ctx.tgc_by_service)) < 0) {
		error = error ? error : GWS_ENOMEM;
		goto cleanup;
	}

	n = gws_manifest_count(store, GWS_KIND_GATEWAY_CLASS);
	for (i = 0; i < n; i++)
		if ((error = select_class(&ctx, gws_manifest_at(store, GWS_KIND_GATEWAY_CLASS, i),
		                          &classes)) < 0)
			goto cleanup;
	if ((error = index_routes(&ctx)) < 0 || (error = gws_model__index_tgcs(&ctx)) < 0)
		goto cleanup;

	if ((error = gws_model__build_gateways(&ctx, &gateways, &stacks)) < 0)
		goto cleanup;
	if ((error = check_unique_names(&ctx, &gateways)) < 0)
		goto cleanup;
	if (ctx.error) {
		error = gws_error_set(ctx.error, "out of memory while building the model");
		goto cleanup;
	}
	if ((error = collect_routes(&ctx)) < 0 ||
	    (error = vec_to_array(&ctx, &classes, (void ***)&model->classes, &model->n_classes)) <
	            0 ||
	    (error = vec_to_array(&ctx, &gateways, (void ***)&model->gateways,
	                          &model->n_gateways)) < 0 ||
	    (error = vec_to_array(&ctx, &stacks, (void ***)&model->stacks, &model->n_stacks)) < 0)
		goto cleanup;
	*out = model;
	model = NULL;
cleanup:
	gws_vec_dispose(&classes);
	gws_vec_dispose(&gateways);
	gws_vec_dispose(&stacks);
	gws_vec_dispose(&ctx.tgs);
	gws_model__strmap_free(ctx.route_status);
	gws_model__strmap_free(ctx.by_parent);
	gws_model__strmap_free(ctx.classes);
	gws_model__strmap_free(ctx.tg_by_id);
	gws_model__strmap_free(ctx.tgc_by_service);
	gws_model_free(model);
	return error;
}

void gws_model_free(gws_model *model)
{
	if (!model)
		return;
	gws_arena_free(model->arena);
	for (size_t i = 0; i < model->n_worker_arenas; i++)
		gws_arena_free(model->worker_arenas[i]);
	gws_free(model->worker_arenas);
	gws_free(model);
}

size_t gws_model_stack_count(const gws_model *model)
{
	return model ? model->n_stacks : 0;
}

const gws_model_stack *gws_model_stack_at(const gws_model *model, size_t index)
{
	return model && index < model->n_stacks ? model->stacks[index] : NULL;
}

const gws_model_stack *gws_model_stack_find(const gws_model *model, const char *ns,
                                            const char *name)
{
	size_t i;
	for (i = 0; model && i < model->n_stacks; i++)
		if (strcmp(model->stacks[i]->gateway_namespace, ns) == 0 &&
		    strcmp(model->stacks[i]->gateway_name, name) == 0)
			return model->stacks[i];
	return NULL;
}

size_t gws_model_gateway_class_status_count(const gws_model *model)
{
	return model ? model->n_classes : 0;
}

const gws_model_gateway_class_status *gws_model_gateway_class_status_at(const gws_model *model,
                                                                        size_t index)
{
	return model && index < model->n_classes ? model->classes[index] : NULL;
}

size_t gws_model_gateway_status_count(const gws_model *model)
{
	return model ? model->n_gateways : 0;
}

const gws_model_gateway_status *gws_model_gateway_status_at(const gws_model *model, size_t index)
{
	return model && index < model->n_gateways ? model->gateways[index] : NULL;
}

size_t gws_model_route_status_count(const gws_model *model)
{
	return model ? model->n_routes : 0;
}

const gws_model_route_status *gws_model_route_status_at(const gws_model *model, size_t index)
{
	return model && index < model->n_routes ? model->routes[index] : NULL;
}

const char *gws_model_cluster(const gws_model *model)
{
	return model ? model->cluster : NULL;
}

const char *gws_model_condition_field_name(gws_model_condition_field field)
{
	static const char *const names[] = {"host-header",  "path-pattern",        "http-header",
	                                    "query-string", "http-request-method", "source-ip"};
	return (size_t)field < GWS_ARRAY_SIZE(names) ? names[field] : "unknown";
}

const char *gws_model_action_type_name(gws_model_action_type type)
{
	static const char *const names[] = {"forward",
	                                    "redirect",
	                                    "fixed-response",
	                                    "authenticate-oidc",
	                                    "authenticate-cognito",
	                                    "jwt-validation"};
	return (size_t)type < GWS_ARRAY_SIZE(names) ? names[type] : "unknown";
}

const char *gws_model_transform_type_name(gws_model_transform_type type)
{
	return type == GWS_MODEL_TRANSFORM_HOST_HEADER_REWRITE ? "host-header-rewrite"
	                                                       : "url-rewrite";
}

const char *gws_model_lb_type_name(gws_model_lb_type type)
{
	return type == GWS_MODEL_LB_NETWORK ? "network" : "application";
}
