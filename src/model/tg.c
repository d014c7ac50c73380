/*
 * Target groups: backendRef resolution (kind, ReferenceGrant, Service, port),
 * TargetGroupConfiguration lookup and merge, ids, names, protocol, port and
 * health checks (docs/lbc-mapping.md).
 */
#include "model/build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAKE_ONE(field) m->field = hi->field ? hi->field : lo->field
#define TAKE_SET(field) m->field = hi->field.set ? hi->field : lo->field

static int merge_kv(gws_model_ctx *ctx, const gws_mf_kv *hi, size_t n_hi, const gws_mf_kv *lo,
                    size_t n_lo, gws_mf_kv **out, size_t *n_out)
{
	gws_model_kvs kvs;
	gws_mf_kv *all;
	size_t i;

	*out = NULL;
	*n_out = 0;
	if (n_hi + n_lo == 0)
		return 0;
	all = gws_arena_calloc(ctx->arena, n_hi + n_lo, sizeof(*all));
	if (!all)
		return GWS_ENOMEM;
	if (n_lo)
		memcpy(all, lo, n_lo * sizeof(*all));
	if (n_hi)
		memcpy(all + n_lo, hi, n_hi * sizeof(*all));
	if (gws_model__kvs_from(ctx, &kvs, all, n_hi + n_lo) < 0)
		return GWS_ENOMEM;
	for (i = 0; i < kvs.n; i++) {
		all[i].key = kvs.items[i].key;
		all[i].value = kvs.items[i].value;
	}
	*out = all;
	*n_out = kvs.n;
	return 0;
}

gws_mf_tg_props *gws_model__merge_tg_props(gws_model_ctx *ctx, const gws_mf_tg_props *hi,
                                           const gws_mf_tg_props *lo)
{
	gws_mf_tg_props *m = gws_arena_alloc(ctx->arena, sizeof(*m));
	if (!m)
		return NULL;
	TAKE_ONE(target_group_name);
	TAKE_ONE(ip_address_type);
	TAKE_ONE(health_check_config); /* taken as a whole */
	TAKE_ONE(node_selector);
	TAKE_ONE(target_type);
	TAKE_ONE(protocol);
	TAKE_ONE(protocol_version);
	TAKE_SET(target_control_port);
	TAKE_SET(enable_multi_cluster);
	m->has_tags = hi->has_tags || lo->has_tags;
	if (merge_kv(ctx, hi->tags, hi->n_tags, lo->tags, lo->n_tags, &m->tags, &m->n_tags) < 0 ||
	    merge_kv(ctx, hi->target_group_attributes, hi->n_target_group_attributes,
	             lo->target_group_attributes, lo->n_target_group_attributes,
	             &m->target_group_attributes, &m->n_target_group_attributes) < 0)
		return NULL;
	return m;
}

/* routeConfigurations longest match (as LBC), merged over defaultConfiguration. */
static const gws_mf_tg_props *props_for_route(gws_model_ctx *ctx, const gws_mf_tg_config *tgc,
                                              const gws_manifest_object *route)
{
	static const gws_mf_tg_props none;
	const gws_mf_tg_props *base =
	        tgc->default_configuration ? tgc->default_configuration : &none;
	const gws_mf_tg_props *pick = NULL;
	const char *kind = gws_model__kind_name(route);
	int rank = 0;
	size_t i;

	for (i = 0; i < tgc->n_route_configurations; i++) {
		const gws_mf_route_identifier *id = &tgc->route_configurations[i].route_identifier;
		bool kind_eq = id->kind && strcmp(id->kind, kind) == 0;
		bool ns_eq = id->namespace_ && strcmp(id->namespace_, route->meta.namespace_) == 0;
		bool has_name = id->name && *id->name;
		if (kind_eq && ns_eq && has_name && strcmp(id->name, route->meta.name) == 0) {
			pick = &tgc->route_configurations[i].target_group_props;
			break;
		}
		if (has_name)
			continue;
		if (kind_eq && ns_eq && rank < 2) {
			pick = &tgc->route_configurations[i].target_group_props;
			rank = 2;
		} else if (kind_eq && (!id->namespace_ || !*id->namespace_) && rank < 1) {
			pick = &tgc->route_configurations[i].target_group_props;
			rank = 1;
		}
	}
	if (!pick)
		return base;
	return gws_model__merge_tg_props(ctx, pick, base);
}

/* TargetGroupConfigurations by the Service they target ("ns/name"); the store
 * is sorted by (namespace, name), so the first one for a Service wins, as in LBC. */
int gws_model__index_tgcs(gws_model_ctx *ctx)
{
	size_t i, n = gws_manifest_count(ctx->store, GWS_KIND_TARGET_GROUP_CONFIGURATION);
	for (i = 0; i < n; i++) {
		const gws_manifest_object *o =
		        gws_manifest_at(ctx->store, GWS_KIND_TARGET_GROUP_CONFIGURATION, i);
		const gws_mf_target_reference *tr =
		        o->spec.tg_config ? o->spec.tg_config->target_reference : NULL;
		const char *key;
		if (!tr || (tr->kind && strcmp(tr->kind, "Service") != 0) ||
		    (tr->group && *tr->group) || !tr->name)
			continue;
		key = gws_model__printf(ctx, "%s/%s", o->meta.namespace_, tr->name);
		if (!key)
			return GWS_ENOMEM;
		if (!gws_model__strmap_get(ctx->tgc_by_service, key) &&
		    gws_model__strmap_put(ctx->tgc_by_service, key, (void *)o) < 0)
			return GWS_ENOMEM;
	}
	return 0;
}

static const gws_manifest_object *tgc_for_service(gws_model_ctx *ctx, const char *ns,
                                                  const char *name)
{
	char key[600];
	if (snprintf(key, sizeof(key), "%s/%s", ns, name) >= (int)sizeof(key))
		return NULL; /* longer than any valid namespace and name */
	return gws_model__strmap_get(ctx->tgc_by_service, key);
}

/* The first ReferenceGrant of namespace `ns` (the store is sorted by namespace). */
static size_t first_grant_in(gws_model_ctx *ctx, const char *ns)
{
	size_t lo = 0, hi = gws_manifest_count(ctx->store, GWS_KIND_REFERENCE_GRANT);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(gws_manifest_at(ctx->store, GWS_KIND_REFERENCE_GRANT, mid)
		                   ->meta.namespace_,
		           ns) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool grant_allows(gws_model_ctx *ctx, const gws_manifest_object *route, const char *to_ns,
                         const char *to_name)
{
	size_t i, j, n = gws_manifest_count(ctx->store, GWS_KIND_REFERENCE_GRANT);
	const char *kind = gws_model__kind_name(route);

	for (i = first_grant_in(ctx, to_ns); i < n; i++) {
		const gws_manifest_object *o =
		        gws_manifest_at(ctx->store, GWS_KIND_REFERENCE_GRANT, i);
		const gws_mf_reference_grant *rg = o->spec.reference_grant;
		bool from_ok = false, to_ok = false;
		if (strcmp(o->meta.namespace_, to_ns) != 0)
			break;
		if (!rg)
			continue;
		for (j = 0; j < rg->n_from; j++) {
			const gws_mf_grant_from *f = &rg->from[j];
			from_ok |= f->group && strcmp(f->group, "gateway.networking.k8s.io") == 0 &&
			           f->kind && strcmp(f->kind, kind) == 0 && f->namespace_ &&
			           strcmp(f->namespace_, route->meta.namespace_) == 0;
		}
		for (j = 0; j < rg->n_to; j++) {
			const gws_mf_grant_to *t = &rg->to[j];
			to_ok |= (!t->group || !*t->group) && t->kind &&
			         strcmp(t->kind, "Service") == 0 &&
			         (!t->name || strcmp(t->name, to_name) == 0);
		}
		if (from_ok && to_ok)
			return true;
	}
	return false;
}

static bool valid_tg_name(const char *name)
{
	return gws_model__valid_lb_name(name);
}

bool gws_model__check_weight(gws_model_ctx *ctx, const gws_model_attachment *att, size_t rule_index,
                             size_t backend_index, const gws_mf_backend_ref *ref)
{
	if (!ref->weight.set || (ref->weight.value >= 0 && ref->weight.value <= 999))
		return true;
	gws_model__route_condition(
	        ctx, att->route, att->parent, GWS_COND_ACCEPTED, "False",
	        GWS_REASON_UNSUPPORTED_VALUE,
	        "spec.rules[%zu].backendRefs[%zu].weight: %lld is outside 0..999, "
	        "the range ELBv2 accepts for target group weights",
	        rule_index, backend_index, (long long)ref->weight.value);
	return false;
}

/*
 * NLB instance targets of an externalTrafficPolicy: Local Service: LBC probes
 * kube-proxy's /healthz on the Service's healthCheckNodePort, which tells
 * whether the node has a local endpoint. That port is allocated by the
 * cluster; when Git does not pin it, the traffic port is probed over TCP
 * instead (a node without a local endpoint drops those connections, so it
 * still turns unhealthy), and a warning says how to get LBC's check.
 */
static void local_health_check(gws_model_ctx *ctx, gws_model_health_check *h,
                               const gws_manifest_object *svc_obj)
{
	const gws_mf_service *svc = svc_obj->spec.service;

	if (!svc->health_check_node_port.set) {
		h->protocol = "TCP";
		gws_model__note(
		        ctx,
		        gws_manifest_diag(ctx->diags, svc_obj, GWS_DIAG_WARNING,
		                          "spec.externalTrafficPolicy",
		                          "NLB instance targets with externalTrafficPolicy Local "
		                          "are health-checked over TCP on the traffic port; set "
		                          "spec.healthCheckNodePort in Git to probe kube-proxy's "
		                          "/healthz as the AWS Load Balancer Controller does"));
		return;
	}
	h->protocol = "HTTP";
	h->port = gws_model__printf(ctx, "%lld", (long long)svc->health_check_node_port.value);
	h->path = "/healthz";
	h->matcher_http_code = "200-399";
	h->interval_seconds = 10;
	h->timeout_seconds = 6;
	h->healthy_threshold = 2;
	h->unhealthy_threshold = 2;
}

static void health_check(gws_model_ctx *ctx, gws_model_target_group *tg,
                         const gws_manifest_object *svc_obj, const gws_mf_health_check *hc,
                         const char *hc_port)
{
	const gws_mf_service *svc = svc_obj->spec.service;
	gws_model_health_check *h = &tg->health_check;
	bool grpc = tg->protocol_version && strcmp(tg->protocol_version, "GRPC") == 0;
	bool local = ctx->lb_type == GWS_MODEL_LB_NETWORK &&
	             strcmp(tg->target_type, "instance") == 0 && svc->external_traffic_policy &&
	             strcmp(svc->external_traffic_policy, "Local") == 0;

	h->port = "traffic-port";
	h->interval_seconds = 15;
	h->timeout_seconds = 5;
	h->healthy_threshold = 3;
	h->unhealthy_threshold = 3;
	if (ctx->lb_type == GWS_MODEL_LB_APPLICATION) {
		h->protocol = tg->protocol;
		h->path = grpc ? "/AWS.ALB/healthcheck" : "/";
		if (grpc)
			h->matcher_grpc_code = "12";
		else
			h->matcher_http_code = "200-399";
	} else if (local) {
		local_health_check(ctx, h, svc_obj);
	} else {
		h->protocol = "TCP";
	}
	if (!hc)
		return;
	if (hc->health_check_protocol)
		h->protocol = hc->health_check_protocol;
	if (hc_port)
		h->port = hc_port;
	if (hc->health_check_interval.set)
		h->interval_seconds = (int)hc->health_check_interval.value;
	if (hc->health_check_timeout.set)
		h->timeout_seconds = (int)hc->health_check_timeout.value;
	if (hc->healthy_threshold_count.set)
		h->healthy_threshold = (int)hc->healthy_threshold_count.value;
	if (hc->unhealthy_threshold_count.set)
		h->unhealthy_threshold = (int)hc->unhealthy_threshold_count.value;
	if (strcmp(h->protocol, "TCP") == 0) {
		h->path = NULL;
		h->matcher_http_code = NULL;
		h->matcher_grpc_code = NULL;
		return;
	}
	if (!h->path)
		h->path = "/";
	if (hc->health_check_path)
		h->path = hc->health_check_path;
	if (hc->matcher && (hc->matcher->http_code || hc->matcher->grpc_code)) {
		h->matcher_http_code = hc->matcher->http_code;
		h->matcher_grpc_code = hc->matcher->grpc_code;
	} else if (!h->matcher_http_code && !h->matcher_grpc_code) {
		h->matcher_http_code = "200-399";
	}
}

/* Resolves a health-check port naming a Service port; NULL with *bad on error. */
static const char *resolve_hc_port(gws_model_ctx *ctx, const gws_mf_service *svc, const char *p,
                                   const char *target_type, bool *bad)
{
	size_t i;
	long v;
	*bad = false;
	if (!p || strcmp(p, "traffic-port") == 0 || gws_parse_long(&v, p, 1, 65535) == 0)
		return p;
	for (i = 0; i < svc->n_ports; i++) {
		const gws_mf_service_port *sp = &svc->ports[i];
		if (!sp->name || strcmp(sp->name, p) != 0)
			continue;
		if (strcmp(target_type, "instance") == 0 && sp->node_port.set)
			return gws_model__printf(ctx, "%lld", (long long)sp->node_port.value);
		if (strcmp(target_type, "ip") == 0 && sp->target_port.type == GWS_MF_INTSTR_INT)
			return gws_model__printf(ctx, "%lld", (long long)sp->target_port.int_value);
		if (strcmp(target_type, "ip") == 0 && sp->target_port.type == GWS_MF_INTSTR_ABSENT)
			return gws_model__printf(ctx, "%lld", (long long)sp->port.value);
	}
	*bad = true;
	return NULL;
}

static const char *tg_protocol(gws_model_ctx *ctx, const gws_model_listener *listener,
                               const gws_manifest_object *route, const gws_mf_tg_props *props)
{
	const char *lp = listener->protocol;
	if (ctx->lb_type == GWS_MODEL_LB_APPLICATION)
		return props->protocol ? props->protocol : "HTTP";
	if (strcmp(lp, "TCP_UDP") == 0 || strcmp(lp, "QUIC") == 0 || strcmp(lp, "TCP_QUIC") == 0)
		return lp;
	if (props->protocol)
		return props->protocol;
	switch (route->kind) {
	case GWS_KIND_UDP_ROUTE:
		return "UDP";
	case GWS_KIND_TLS_ROUTE:
		/* TLS passthrough is a TCP listener: its target group must be TCP too
		 * (LBC infers TLS and AWS rejects it with IncompatibleProtocols). */
		return strcmp(lp, "TCP") == 0 ? "TCP" : "TLS";
	default:
		return "TCP";
	}
}

static const char *tg_protocol_version(gws_model_ctx *ctx, const gws_model_listener *listener,
                                       const gws_manifest_object *route,
                                       const gws_mf_tg_props *props, const gws_mf_service_port *sp)
{
	if (ctx->lb_type == GWS_MODEL_LB_NETWORK)
		return NULL;
	if (strcmp(listener->protocol, "HTTPS") != 0)
		return "HTTP1";
	if (props->protocol_version)
		return props->protocol_version;
	if (route->kind == GWS_KIND_GRPC_ROUTE)
		return "GRPC";
	if (sp->app_protocol && strcmp(sp->app_protocol, "kubernetes.io/h2c") == 0)
		return "HTTP2";
	return "HTTP1";
}

static int fail(gws_model_ctx *ctx, const gws_model_attachment *att, const char *type,
                const char *reason, const char *msg)
{
	if (!msg)
		return GWS_ENOMEM;
	gws_model__route_condition(ctx, att->route, att->parent, type, "False", reason, "%s", msg);
	return GWS_ENOTFOUND;
}

static bool has_family(const gws_mf_service *svc, const char *family)
{
	for (size_t i = 0; i < svc->n_ip_families; i++)
		if (svc->ip_families[i] && strcmp(svc->ip_families[i], family) == 0)
			return true;
	return false;
}

/*
 * The IP address type of an ip target group, from the Service's
 * spec.ipFamilies as LBC does: a Service with IPv6 gets an ipv6 target group,
 * which needs a dual-stack load balancer. LBC also refuses a dual-stack
 * Service (IPv4 and IPv6) on an ipv4 load balancer; its pods have IPv4
 * addresses too, so gwsync gives it an ipv4 target group. An IPv6-only
 * Service there has nothing to register: NULL, the caller refuses it.
 * Instance targets are reached on the nodes' IPv4 NodePort: always ipv4.
 */
static const char *ip_address_type(const gws_model_stack *stack, const gws_mf_service *svc,
                                   const char *target_type)
{
	bool dual_lb = strncmp(stack->load_balancer.ip_address_type, "dualstack", 9) == 0;

	if (strcmp(target_type, "ip") != 0 || !has_family(svc, "IPv6"))
		return "ipv4";
	if (dual_lb)
		return "ipv6";
	return has_family(svc, "IPv4") ? "ipv4" : NULL;
}

static bool nlb_tg_protocol(const char *p)
{
	return strcmp(p, "TCP") == 0 || strcmp(p, "TLS") == 0 || strcmp(p, "UDP") == 0 ||
	       strcmp(p, "TCP_UDP") == 0;
}

/*
 * A TargetGroupConfiguration protocol an NLB listener cannot forward to:
 * HTTP, HTTPS and GENEVE target groups do not exist behind NLB listeners
 * (refused on the route, as an ALB refuses TCP); a TLS target group behind a
 * TCP listener (plain TCP, or TLS Passthrough) is refused by AWS
 * (IncompatibleProtocols), so it becomes TCP, as gwsync does for passthrough,
 * with a warning. Returns the protocol to use, NULL when refused.
 */
static const char *nlb_check_protocol(gws_model_ctx *ctx, const gws_model_attachment *att,
                                      const gws_model_listener *listener, size_t rule_index,
                                      const char *svc, const char *protocol, int *error)
{
	*error = 0;
	if (!nlb_tg_protocol(protocol)) {
		*error = fail(
		        ctx, att, GWS_COND_ACCEPTED, GWS_REASON_UNSUPPORTED_VALUE,
		        gws_model__printf(ctx,
		                          "Service %s: TargetGroupConfiguration protocol %s is "
		                          "not valid for an NLB target group (TCP, TLS, UDP, "
		                          "TCP_UDP)",
		                          svc, protocol));
		return NULL;
	}
	if (strcmp(protocol, "TLS") == 0 && strcmp(listener->protocol, "TCP") == 0) {
		char *path = gws_model__printf(ctx, "spec.rules[%zu].backendRefs", rule_index);
		if (!path || gws_manifest_diag(ctx->diags, att->route, GWS_DIAG_WARNING, path,
		                               "Service %s: TargetGroupConfiguration protocol TLS "
		                               "cannot be used behind the TCP listener on port %d "
		                               "(AWS refuses it): the target group is TCP, and the "
		                               "bytes reach the targets as the client sent them",
		                               svc, listener->port) < 0)
			*error = GWS_ENOMEM;
		return "TCP";
	}
	return protocol;
}

int gws_model__target_group_for_backend(gws_model_ctx *ctx, gws_model_stack *stack,
                                        const gws_model_attachment *att,
                                        const gws_model_listener *listener, size_t rule_index,
                                        const gws_mf_backend_ref *ref, const char **tg_id_out)
{
	const gws_manifest_object *route = att->route, *svc_obj, *tgc_obj;
	const char *kind = gws_model__kind_name(route);
	const char *svc_ns = ref->namespace_ ? ref->namespace_ : route->meta.namespace_;
	const gws_mf_service *svc;
	const gws_mf_service_port *sp = NULL;
	const gws_mf_tg_props *props;
	static const gws_mf_tg_props none;
	gws_model_target_group *tg;
	const char *target_type, *protocol, *pv, *ident_port, *port_hash, *id, *hc_port;
	char tcp_buf[16] = "";
	long long tg_port;
	size_t i;
	bool bad;
	int error;

	*tg_id_out = NULL;
	if ((ref->group && *ref->group) || !ref->kind || strcmp(ref->kind, "Service") != 0)
		return fail(ctx, att, GWS_COND_RESOLVED_REFS, GWS_REASON_INVALID_KIND,
		            gws_model__printf(ctx,
		                              "backendRef %s/%s %s: only Service backends are "
		                              "supported",
		                              ref->group ? ref->group : "",
		                              ref->kind ? ref->kind : "",
		                              ref->name ? ref->name : ""));
	if (!ref->port.set)
		return fail(ctx, att, GWS_COND_ACCEPTED, GWS_REASON_UNSUPPORTED_VALUE,
		            gws_model__printf(ctx, "backendRef Service %s/%s: port is required",
		                              svc_ns, ref->name ? ref->name : ""));
	if (strcmp(svc_ns, route->meta.namespace_) != 0 &&
	    !grant_allows(ctx, route, svc_ns, ref->name ? ref->name : ""))
		return fail(ctx, att, GWS_COND_RESOLVED_REFS, GWS_REASON_REF_NOT_PERMITTED,
		            gws_model__printf(ctx,
		                              "backendRef Service %s/%s: no ReferenceGrant in "
		                              "namespace %s allows %s references from namespace %s",
		                              svc_ns, ref->name ? ref->name : "", svc_ns, kind,
		                              route->meta.namespace_));
	svc_obj = ref->name ? gws_manifest_find(ctx->store, GWS_KIND_SERVICE, svc_ns, ref->name)
	                    : NULL;
	svc = svc_obj ? svc_obj->spec.service : NULL;
	if (!svc)
		return fail(ctx, att, GWS_COND_RESOLVED_REFS, GWS_REASON_BACKEND_NOT_FOUND,
		            gws_model__printf(ctx, "Service %s/%s (port %lld) not found", svc_ns,
		                              ref->name ? ref->name : "",
		                              (long long)ref->port.value));
	for (i = 0; i < svc->n_ports; i++)
		if (svc->ports[i].port.set && svc->ports[i].port.value == ref->port.value)
			sp = &svc->ports[i];
	if (!sp)
		return fail(ctx, att, GWS_COND_RESOLVED_REFS, GWS_REASON_BACKEND_NOT_FOUND,
		            gws_model__printf(ctx, "Service %s/%s has no port %lld", svc_ns,
		                              ref->name, (long long)ref->port.value));

	/* Configuration: the Service's TGC (per route) over the default TGC (per route). */
	tgc_obj = tgc_for_service(ctx, svc_ns, ref->name);
	props = tgc_obj ? props_for_route(ctx, tgc_obj->spec.tg_config, route) : &none;
	if (ctx->default_tgc)
		props = gws_model__merge_tg_props(ctx, props,
		                                  props_for_route(ctx, ctx->default_tgc, route));
	if (!props)
		return GWS_ENOMEM;
	target_type = props->target_type ? props->target_type : ctx->opts.default_target_type;
	protocol = tg_protocol(ctx, listener, route, props);
	pv = tg_protocol_version(ctx, listener, route, props, sp);
	if (ctx->lb_type == GWS_MODEL_LB_APPLICATION && strcmp(protocol, "HTTP") != 0 &&
	    strcmp(protocol, "HTTPS") != 0)
		return fail(
		        ctx, att, GWS_COND_ACCEPTED, GWS_REASON_UNSUPPORTED_VALUE,
		        gws_model__printf(ctx,
		                          "TargetGroupConfiguration protocol %s is not valid for "
		                          "an ALB target group (HTTP, HTTPS)",
		                          protocol));
	if (ctx->lb_type == GWS_MODEL_LB_NETWORK && props->protocol &&
	    protocol == props->protocol) {
		const char *svc_ref = gws_model__printf(ctx, "%s/%s", svc_ns, ref->name);
		if (!svc_ref)
			return GWS_ENOMEM;
		protocol = nlb_check_protocol(ctx, att, listener, rule_index, svc_ref, protocol,
		                              &error);
		if (!protocol)
			return error;
		if (error < 0)
			return error;
	}
	if ((strcmp(protocol, "QUIC") == 0 || strcmp(protocol, "TCP_QUIC") == 0) &&
	    strcmp(target_type, "ip") != 0)
		return fail(ctx, att, GWS_COND_ACCEPTED, GWS_REASON_UNSUPPORTED_VALUE,
		            gws_model__printf(ctx,
		                              "Service %s/%s: %s listeners need ip targets "
		                              "(TargetGroupConfiguration targetType: ip)",
		                              svc_ns, ref->name, protocol));

	if (!props->ip_address_type && !ip_address_type(stack, svc, target_type))
		return fail(
		        ctx, att, GWS_COND_ACCEPTED, GWS_REASON_UNSUPPORTED_VALUE,
		        gws_model__printf(ctx,
		                          "Service %s/%s is IPv6-only (spec.ipFamilies): its ip "
		                          "targets need an ipv6 target group, which needs a "
		                          "dual-stack load balancer (LoadBalancerConfiguration "
		                          "ipAddressType dualstack or "
		                          "dualstack-without-public-ipv4), not %s",
		                          svc_ns, ref->name, stack->load_balancer.ip_address_type));

	/* Port and the port that identifies the target group. */
	if (sp->target_port.type == GWS_MF_INTSTR_STRING)
		ident_port = sp->target_port.str_value;
	else if (sp->target_port.type == GWS_MF_INTSTR_INT)
		ident_port = gws_model__printf(ctx, "%lld", (long long)sp->target_port.int_value);
	else
		ident_port = gws_model__printf(ctx, "%lld", (long long)sp->port.value);
	if (!ident_port)
		return GWS_ENOMEM;
	if (strcmp(target_type, "instance") == 0) {
		if (!sp->node_port.set) {
			bool node_type = svc->type && (strcmp(svc->type, "NodePort") == 0 ||
			                               strcmp(svc->type, "LoadBalancer") == 0);
			return fail(
			        ctx, att, GWS_COND_RESOLVED_REFS, GWS_REASON_BACKEND_NOT_FOUND,
			        gws_model__printf(
			                ctx,
			                node_type
			                        ? "Service %s/%s port %lld has no nodePort in the "
			                          "repository (the cluster allocates it): instance "
			                          "targets need it written, or use "
			                          "TargetGroupConfiguration targetType: ip"
			                        : "Service %s/%s port %lld has no nodePort: "
			                          "instance "
			                          "targets need a NodePort or LoadBalancer Service "
			                          "(or "
			                          "TargetGroupConfiguration targetType: ip)",
			                svc_ns, ref->name, (long long)ref->port.value));
		}
		tg_port = sp->node_port.value;
		port_hash = gws_model__printf(ctx, "%lld", tg_port);
	} else {
		tg_port = sp->target_port.type == GWS_MF_INTSTR_INT      ? sp->target_port.int_value
		          : sp->target_port.type == GWS_MF_INTSTR_STRING ? 1
		                                                         : sp->port.value;
		port_hash = ident_port;
	}
	if (!port_hash)
		return GWS_ENOMEM;
	if (props->target_control_port.set)
		snprintf(tcp_buf, sizeof(tcp_buf), "%lld",
		         (long long)props->target_control_port.value);

	id = gws_model__printf(ctx, "%s/%s:%s-%s:%s-%s-%s:%s%s%s", ctx->gateway->meta.namespace_,
	                       ctx->gateway->meta.name, route->meta.namespace_, route->meta.name,
	                       kind, svc_ns, ref->name, ident_port, *tcp_buf ? "-" : "", tcp_buf);
	if (!id)
		return GWS_ENOMEM;
	tg = gws_model__strmap_get(ctx->tg_by_id, id);
	if (tg && (strcmp(tg->protocol, protocol) != 0 ||
	           gws_strcmp_null(tg->protocol_version, pv) != 0)) {
		/* LBC reuses the first target group built for this id, so a route on
		 * both HTTP and HTTPS gets the HTTP one's protocolVersion
		 * (docs/lbc-mapping.md). Here each (protocol, version) gets its
		 * own target group. */
		id = gws_model__printf(ctx, "%s:%s", id, pv ? pv : protocol);
		if (!id)
			return GWS_ENOMEM;
		tg = gws_model__strmap_get(ctx->tg_by_id, id);
	}
	if (tg) {
		*tg_id_out = tg->id;
		return 0;
	}

	tg = gws_arena_alloc(ctx->arena, sizeof(*tg));
	if (!tg)
		return GWS_ENOMEM;
	tg->id = id;
	tg->protocol = protocol;
	tg->protocol_version = pv;
	tg->port = (int)tg_port;
	tg->target_type = target_type;
	tg->ip_address_type = props->ip_address_type ? props->ip_address_type
	                                             : ip_address_type(stack, svc, target_type);
	tg->has_target_control_port = props->target_control_port.set;
	tg->target_control_port = (int)props->target_control_port.value;
	tg->backend.kind = "Service";
	tg->backend.namespace_ = svc_obj->meta.namespace_;
	tg->backend.name = svc_obj->meta.name;
	tg->backend.port = (int)ref->port.value;
	tg->backend.source = svc_obj->external ? svc_obj->file : NULL;
	tg->route = route->ref;
	tg->target_port = port_hash;
	tg->node_selector = props->node_selector;
	tg->multi_cluster = props->enable_multi_cluster.set && props->enable_multi_cluster.value;
	if (props->target_group_name) {
		tg->name = props->target_group_name;
	} else {
		const char *parts[14];
		size_t n = 0;
		parts[n++] = ctx->opts.cluster;
		parts[n++] = ctx->gateway->meta.namespace_;
		parts[n++] = ctx->gateway->meta.name;
		parts[n++] = route->meta.namespace_;
		parts[n++] = route->meta.name;
		parts[n++] = kind;
		parts[n++] = svc_ns;
		parts[n++] = ref->name;
		parts[n++] = port_hash;
		parts[n++] = target_type;
		parts[n++] = protocol;
		if (pv)
			parts[n++] = pv;
		if (*tcp_buf)
			parts[n++] = tcp_buf;
		parts[n] = NULL;
		tg->name =
		        gws_model__lbc_name(ctx, route->meta.namespace_, route->meta.name, parts);
		if (!tg->name)
			return GWS_ENOMEM;
	}
	if (!valid_tg_name(tg->name))
		return fail(
		        ctx, att, GWS_COND_ACCEPTED, GWS_REASON_UNSUPPORTED_VALUE,
		        gws_model__printf(ctx,
		                          "TargetGroupConfiguration targetGroupName \"%s\" is not "
		                          "a valid target group name (1-32 letters, digits and "
		                          "hyphens, not starting or ending with a hyphen)",
		                          tg->name));
	hc_port = resolve_hc_port(
	        ctx, svc,
	        props->health_check_config ? props->health_check_config->health_check_port : NULL,
	        target_type, &bad);
	if (bad)
		return fail(
		        ctx, att, GWS_COND_ACCEPTED, GWS_REASON_UNSUPPORTED_VALUE,
		        gws_model__printf(ctx,
		                          "TargetGroupConfiguration healthCheckPort \"%s\" is not "
		                          "traffic-port, a number, or a port of Service %s/%s "
		                          "usable with %s targets",
		                          props->health_check_config->health_check_port, svc_ns,
		                          ref->name, target_type));
	health_check(ctx, tg, svc_obj, props->health_check_config, hc_port);
	if ((error = gws_model__kvs_from(ctx, &tg->attributes, props->target_group_attributes,
	                                 props->n_target_group_attributes)) < 0 ||
	    (error = gws_model__resource_tags(ctx, &tg->tags, tg->id, props->tags, props->n_tags)) <
	            0)
		return error;
	if ((error = gws_vec_push(&ctx->tgs, tg)) < 0 ||
	    (error = gws_model__strmap_put(ctx->tg_by_id, tg->id, tg)) < 0)
		return error;
	*tg_id_out = tg->id;
	return 0;
}

void gws_model__drop_target_groups(gws_model_ctx *ctx, size_t keep)
{
	while (ctx->tgs.len > keep) {
		gws_model_target_group *tg = ctx->tgs.items[--ctx->tgs.len];
		(void)gws_model__strmap_put(ctx->tg_by_id, tg->id, NULL); /* a tombstone */
	}
}

static int tg_cmp(const void *a, const void *b)
{
	const gws_model_target_group *x = *(const gws_model_target_group *const *)a;
	const gws_model_target_group *y = *(const gws_model_target_group *const *)b;
	return strcmp(x->id, y->id);
}

static int mark_actions(gws_model_strmap *used, const gws_model_action *a, size_t n)
{
	size_t i, j;
	int error;
	for (i = 0; i < n; i++)
		for (j = 0; a[i].forward && j < a[i].forward->n_target_groups; j++)
			if ((error = gws_model__strmap_put(
			             used, a[i].forward->target_groups[j].target_group_id,
			             (void *)a[i].forward->target_groups[j].target_group_id)) < 0)
				return error;
	return 0;
}

/* Only the target groups some action forwards to are part of the stack: a
 * backend dropped later (weight 0 without weighted forward, a rule that fell
 * back to a fixed response, a listener that is not built) leaves none behind. */
int gws_model__finish_target_groups(gws_model_ctx *ctx, gws_model_stack *stack)
{
	gws_model_strmap *used = NULL;
	size_t i, j, n = 0;
	int error;

	if ((error = gws_model__strmap_new(&used)) < 0)
		return error;
	for (i = 0; i < stack->n_listeners && !error; i++) {
		const gws_model_listener *l = stack->listeners[i];
		error = mark_actions(used, l->default_actions, l->n_default_actions);
		for (j = 0; j < l->n_rules && !error; j++)
			error = mark_actions(used, l->rules[j]->actions, l->rules[j]->n_actions);
	}
	if (error < 0)
		goto cleanup;
	stack->target_groups = gws_arena_calloc(ctx->arena, ctx->tgs.len + 1, sizeof(void *));
	if (!stack->target_groups) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < ctx->tgs.len; i++) {
		gws_model_target_group *tg = ctx->tgs.items[i];
		if (gws_model__strmap_get(used, tg->id))
			stack->target_groups[n++] = tg;
	}
	if (n > 1)
		gws_qsort(stack->target_groups, n, sizeof(void *), tg_cmp);
	stack->n_target_groups = n;
cleanup:
	gws_model__strmap_free(used);
	return error;
}
