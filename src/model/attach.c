/*
 * Listener validation (protocols, ports, conflicts, route kinds) and route
 * attachment (parentRef sectionName/port, allowedRoutes namespaces and kinds,
 * hostname intersection), with the status both produce
 * (docs/gateway-rules.md, "Attachment", "Listeners" and "Status").
 */
#include "model/build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GAPI_GROUP "gateway.networking.k8s.io"

/* ---- listener validation ------------------------------------------------- */

static bool protocol_supported(gws_model_lb_type type, const char *p)
{
	if (!p)
		return false;
	if (type == GWS_MODEL_LB_APPLICATION)
		return strcmp(p, "HTTP") == 0 || strcmp(p, "HTTPS") == 0;
	return strcmp(p, "TCP") == 0 || strcmp(p, "UDP") == 0 || strcmp(p, "TLS") == 0;
}

static bool is_l7_protocol(const char *p)
{
	return p && (strcmp(p, "HTTP") == 0 || strcmp(p, "HTTPS") == 0);
}

static bool is_l4_protocol(const char *p)
{
	return p && (strcmp(p, "TCP") == 0 || strcmp(p, "UDP") == 0 || strcmp(p, "TLS") == 0);
}

static bool is_passthrough(const gws_mf_listener *l)
{
	return l->tls && l->tls->mode && strcmp(l->tls->mode, "Passthrough") == 0;
}

/*
 * Route kinds a listener protocol can carry when allowedRoutes.kinds names
 * them, as LBC accepts them: HTTPRoute and GRPCRoute on HTTP and HTTPS;
 * TLSRoute and TCPRoute on TLS, Terminate or Passthrough (a TCPRoute on a
 * terminating listener forwards the decrypted bytes as plain TCP).
 */
static bool kind_valid_for(const char *protocol, const char *kind)
{
	if (is_l7_protocol(protocol))
		return strcmp(kind, "HTTPRoute") == 0 || strcmp(kind, "GRPCRoute") == 0;
	if (strcmp(protocol, "TLS") == 0)
		return strcmp(kind, "TLSRoute") == 0 || strcmp(kind, "TCPRoute") == 0;
	if (strcmp(protocol, "TCP") == 0)
		return strcmp(kind, "TCPRoute") == 0;
	if (strcmp(protocol, "UDP") == 0)
		return strcmp(kind, "UDPRoute") == 0;
	return false;
}

static int listener_kinds(gws_model_ctx *ctx, gws_model_glistener *gl, bool *invalid,
                          const char **bad)
{
	const gws_mf_listener *l = gl->spec;
	const gws_mf_allowed_routes *ar = l->allowed_routes;
	/* LBC's defaults when allowedRoutes.kinds is empty: gRPC needs HTTP/2 to the
	 * load balancer, which ALB speaks on HTTPS listeners only. */
	static const char *const https_kinds[] = {"HTTPRoute", "GRPCRoute"};
	static const char *const tls_kinds[] = {"TLSRoute", "TCPRoute"};
	size_t i;

	*invalid = false;
	*bad = NULL;
	gl->kinds = gws_arena_calloc(ctx->arena, (ar ? ar->n_kinds : 0) + 2, sizeof(*gl->kinds));
	if (!gl->kinds)
		return GWS_ENOMEM;
	gl->n_kinds = 0;
	if (!protocol_supported(ctx->lb_type, l->protocol))
		return 0;
	if (ar && ar->n_kinds > 0) {
		for (i = 0; i < ar->n_kinds; i++) {
			const gws_mf_route_group_kind *k = &ar->kinds[i];
			const char *group = k->group ? k->group : GAPI_GROUP;
			size_t j;
			bool dup = false;
			if (!k->kind || strcmp(group, GAPI_GROUP) != 0 ||
			    !kind_valid_for(l->protocol, k->kind)) {
				*invalid = true;
				if (!*bad)
					*bad = k->kind ? k->kind : "";
				continue;
			}
			for (j = 0; j < gl->n_kinds; j++)
				dup |= strcmp(gl->kinds[j].kind, k->kind) == 0;
			if (dup)
				continue;
			gl->kinds[gl->n_kinds].group = GAPI_GROUP;
			gl->kinds[gl->n_kinds].kind = k->kind;
			gl->n_kinds++;
		}
		return 0;
	}
	if (strcmp(l->protocol, "HTTPS") == 0 || strcmp(l->protocol, "TLS") == 0) {
		const char *const *two = l->protocol[1] == 'T' ? https_kinds : tls_kinds;
		for (i = 0; i < 2; i++) {
			gl->kinds[gl->n_kinds].group = GAPI_GROUP;
			gl->kinds[gl->n_kinds++].kind = two[i];
		}
	} else {
		gl->kinds[0].group = GAPI_GROUP;
		gl->kinds[0].kind = strcmp(l->protocol, "HTTP") == 0  ? "HTTPRoute"
		                    : strcmp(l->protocol, "TCP") == 0 ? "TCPRoute"
		                                                      : "UDPRoute";
		gl->n_kinds = 1;
	}
	return 0;
}

/* A protocol class for conflict detection: TLS passthrough and terminate differ. */
static const char *conflict_class(const gws_mf_listener *l)
{
	if (l->protocol && strcmp(l->protocol, "TLS") == 0)
		return is_passthrough(l) ? "TLS-Passthrough" : "TLS";
	return l->protocol;
}

static bool protocols_share_port(gws_model_lb_type type, const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	/* NLB only: TCP and UDP merge into one TCP_UDP listener. */
	return type == GWS_MODEL_LB_NETWORK && ((strcmp(a, "TCP") == 0 && strcmp(b, "UDP") == 0) ||
	                                        (strcmp(a, "UDP") == 0 && strcmp(b, "TCP") == 0));
}

typedef struct {
	bool port_bad, proto_bad, proto_conflict, host_conflict, kinds_bad;
	const char *bad_kind;
	const char *other; /* the listener it conflicts with */
} lcheck;

int gws_model__validate_listeners(gws_model_ctx *ctx, gws_model_gwbuild *b)
{
	const gws_mf_gateway *gw = ctx->gateway->spec.gateway;
	lcheck *chk = NULL;
	size_t i, j;
	bool has_l4 = false, has_l7 = false;
	int error = 0;

	b->n_listeners = gw->n_listeners;
	b->listeners = gws_arena_calloc(ctx->arena, gw->n_listeners + 1, sizeof(*b->listeners));
	chk = gws_calloc(gw->n_listeners + 1, sizeof(*chk));
	if (!b->listeners || !chk) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < gw->n_listeners; i++) {
		const gws_mf_listener *l = &gw->listeners[i];
		gws_model_glistener *gl = &b->listeners[i];
		gl->spec = l;
		gl->index = i;
		gl->status = &ctx->gw_status->listeners[i];
		chk[i].port_bad = !l->port.set || l->port.value < 1 || l->port.value > 65535;
		chk[i].proto_bad = !protocol_supported(ctx->lb_type, l->protocol);
		has_l4 |= is_l4_protocol(l->protocol);
		has_l7 |= is_l7_protocol(l->protocol);
		if ((error = listener_kinds(ctx, gl, &chk[i].kinds_bad, &chk[i].bad_kind)) < 0)
			goto cleanup;
		gl->lb_protocol = l->protocol;
		if (ctx->lb_type == GWS_MODEL_LB_NETWORK && l->protocol &&
		    strcmp(l->protocol, "TLS") == 0 && is_passthrough(l))
			gl->lb_protocol = "TCP";
	}
	for (i = 0; i < gw->n_listeners; i++) {
		const gws_mf_listener *a = &gw->listeners[i];
		if (chk[i].port_bad || chk[i].proto_bad)
			continue;
		for (j = 0; j < gw->n_listeners; j++) {
			const gws_mf_listener *o = &gw->listeners[j];
			if (i == j || chk[j].port_bad || chk[j].proto_bad ||
			    a->port.value != o->port.value)
				continue;
			if (!protocols_share_port(ctx->lb_type, conflict_class(a),
			                          conflict_class(o))) {
				chk[i].proto_conflict = true;
				chk[i].other = o->name ? o->name : "";
			} else if (strcmp(conflict_class(a), conflict_class(o)) == 0 &&
			           gws_strcmp_null(a->hostname, o->hostname) == 0 &&
			           !chk[i].proto_conflict) {
				chk[i].host_conflict = true;
				chk[i].other = o->name ? o->name : "";
			}
		}
	}
	b->mixed = has_l4 && has_l7;
	for (i = 0; i < gw->n_listeners; i++) {
		const gws_mf_listener *l = &gw->listeners[i];
		gws_model_glistener *gl = &b->listeners[i];
		gws_model_conditions *c = &gl->status->conditions;
		const char *lb = ctx->lb_type == GWS_MODEL_LB_APPLICATION ? "ALB" : "NLB";

		gl->valid = false;
		if (chk[i].port_bad)
			gws_model__set_condition(ctx, c, GWS_COND_ACCEPTED, "False",
			                         GWS_REASON_PORT_UNAVAILABLE,
			                         "port must be between 1 and 65535");
		else if (chk[i].proto_bad && b->mixed)
			gws_model__set_condition(
			        ctx, c, GWS_COND_ACCEPTED, "False", GWS_REASON_UNSUPPORTED_PROTOCOL,
			        "protocol %s is not supported on an %s Gateway: L4 (TCP, UDP, TLS) "
			        "and L7 (HTTP, HTTPS) listeners cannot be mixed on one Gateway",
			        l->protocol ? l->protocol : "", lb);
		else if (chk[i].proto_bad)
			gws_model__set_condition(
			        ctx, c, GWS_COND_ACCEPTED, "False", GWS_REASON_UNSUPPORTED_PROTOCOL,
			        "protocol %s is not supported on an %s Gateway (%s)",
			        l->protocol ? l->protocol : "", lb,
			        ctx->lb_type == GWS_MODEL_LB_APPLICATION ? "HTTP, HTTPS"
			                                                 : "TCP, UDP, TLS");
		else if (chk[i].proto_conflict)
			gws_model__set_condition(ctx, c, GWS_COND_ACCEPTED, "False",
			                         GWS_REASON_PROTOCOL_CONFLICT,
			                         "port %d is also used by listener %s with an "
			                         "incompatible protocol",
			                         (int)l->port.value, chk[i].other);
		else if (chk[i].host_conflict)
			gws_model__set_condition(
			        ctx, c, GWS_COND_ACCEPTED, "False", GWS_REASON_HOSTNAME_CONFLICT,
			        "listener %s uses the same port, protocol and hostname",
			        chk[i].other);
		else {
			gws_model__set_condition(ctx, c, GWS_COND_ACCEPTED, "True",
			                         GWS_REASON_ACCEPTED, "Listener is accepted.");
			gl->valid = true;
		}
		if (chk[i].proto_conflict)
			gws_model__set_condition(ctx, c, GWS_COND_CONFLICTED, "True",
			                         GWS_REASON_PROTOCOL_CONFLICT,
			                         "port %d is also used by listener %s with an "
			                         "incompatible protocol",
			                         (int)l->port.value, chk[i].other);
		else if (chk[i].host_conflict)
			gws_model__set_condition(
			        ctx, c, GWS_COND_CONFLICTED, "True", GWS_REASON_HOSTNAME_CONFLICT,
			        "listener %s uses the same port, protocol and hostname",
			        chk[i].other);
		else
			gws_model__set_condition(ctx, c, GWS_COND_CONFLICTED, "False",
			                         GWS_REASON_NO_CONFLICTS,
			                         "Listener has no conflict.");
		if (chk[i].kinds_bad)
			gws_model__set_condition(ctx, c, GWS_COND_RESOLVED_REFS, "False",
			                         GWS_REASON_INVALID_ROUTE_KINDS,
			                         "route kind %s is not supported on a %s listener",
			                         chk[i].bad_kind, l->protocol ? l->protocol : "");
		else
			gws_model__set_condition(ctx, c, GWS_COND_RESOLVED_REFS, "True",
			                         GWS_REASON_RESOLVED_REFS,
			                         "Listener has all refs resolved.");
		if (gl->valid)
			gws_model__set_condition(ctx, c, GWS_COND_PROGRAMMED, "Unknown",
			                         GWS_REASON_PENDING,
			                         "Waiting for the load balancer to be programmed.");
		else
			gws_model__set_condition(ctx, c, GWS_COND_PROGRAMMED, "False",
			                         GWS_REASON_INVALID, "Listener is not accepted.");
		gl->status->supported_kinds = gl->kinds;
		gl->status->n_supported_kinds = gl->n_kinds;
		if (!gl->valid)
			gws_model__note(
			        ctx,
			        gws_manifest_diag(ctx->diags, ctx->gateway, GWS_DIAG_WARNING,
			                          gws_model__printf(ctx, "spec.listeners[%zu]", i),
			                          "listener %s: %s", l->name ? l->name : "",
			                          c->items[0].message));
	}
cleanup:
	gws_free(chk);
	return error;
}

/* ---- route parent status ---------------------------------------------------- */

gws_model_route_status_ext *gws_model__route_status_ext(gws_model_ctx *ctx,
                                                        const gws_manifest_object *route)
{
	gws_model_route_status_ext *ext = gws_model__strmap_get(ctx->route_status, route->ref);
	size_t n_refs;

	if (ext)
		return ext;
	gws_model__route_parent_refs(route, &n_refs);
	ext = gws_arena_alloc(ctx->arena, sizeof(*ext));
	if (!ext)
		return NULL;
	ext->pub.object = route;
	ext->n_slots = n_refs;
	ext->slots = gws_arena_calloc(ctx->arena, n_refs + 1, sizeof(*ext->slots));
	if (!ext->slots || gws_model__strmap_put(ctx->route_status, route->ref, ext) < 0)
		return NULL;
	return ext;
}

/*
 * The route's record exists already (index_routes makes one for every route
 * that names a Gateway), so Gateways built on different threads only read the
 * route_status map; each parentRef names one Gateway, so its slot is written
 * by that Gateway's build alone.
 */
gws_model_route_parent_status *
gws_model__parent_status(gws_model_ctx *ctx, const gws_manifest_object *route, size_t parent_index)
{
	gws_model_route_status_ext *ext = gws_model__strmap_get(ctx->route_status, route->ref);
	gws_model_route_parent_status *ps;
	const gws_mf_parent_ref *ref;
	size_t n_refs;
	const gws_mf_parent_ref *refs = gws_model__route_parent_refs(route, &n_refs);

	if (parent_index >= n_refs || !ext)
		return NULL;
	if (ext->slots[parent_index])
		return ext->slots[parent_index];
	ps = gws_arena_alloc(ctx->arena, sizeof(*ps));
	if (!ps)
		return NULL;
	ref = &refs[parent_index];
	ps->group = ref->group;
	ps->kind = ref->kind;
	ps->namespace_ = ref->namespace_;
	ps->name = ref->name;
	ps->section_name = ref->section_name;
	ps->has_port = ref->port.set;
	ps->port = (int)ref->port.value;
	ps->controller_name = ctx->controller_name;
	gws_model__set_condition(ctx, &ps->conditions, GWS_COND_ACCEPTED, "Unknown",
	                         GWS_REASON_PENDING, "Waiting for the controller");
	gws_model__set_condition(ctx, &ps->conditions, GWS_COND_RESOLVED_REFS, "True",
	                         GWS_REASON_RESOLVED_REFS, "%s", "");
	ext->slots[parent_index] = ps;
	return ps;
}

/* ---- namespace selection ---------------------------------------------------- */

static const char *ns_label(const gws_manifest_object *ns_obj, const char *ns, const char *key)
{
	size_t i;
	if (strcmp(key, "kubernetes.io/metadata.name") == 0)
		return ns; /* added to every Namespace by the API server */
	for (i = 0; ns_obj && i < ns_obj->meta.n_labels; i++)
		if (ns_obj->meta.labels[i].key && strcmp(ns_obj->meta.labels[i].key, key) == 0)
			return ns_obj->meta.labels[i].value ? ns_obj->meta.labels[i].value : "";
	return NULL;
}

static bool selector_matches(const gws_model_ctx *ctx, const gws_mf_label_selector *sel,
                             const char *ns)
{
	const gws_manifest_object *ns_obj =
	        gws_manifest_find(ctx->store, GWS_KIND_NAMESPACE, NULL, ns);
	size_t i, j;

	if (!sel)
		return false; /* a nil selector selects nothing */
	for (i = 0; i < sel->n_match_labels; i++) {
		const char *v = sel->match_labels[i].key
		                        ? ns_label(ns_obj, ns, sel->match_labels[i].key)
		                        : NULL;
		if (!v ||
		    strcmp(v, sel->match_labels[i].value ? sel->match_labels[i].value : "") != 0)
			return false;
	}
	for (i = 0; i < sel->n_match_expressions; i++) {
		const gws_mf_label_requirement *r = &sel->match_expressions[i];
		const char *v;
		bool in = false;
		/* The validator reports a requirement without key or with an
		 * unknown operator; such a selector selects nothing (fail closed). */
		if (!r->key || !r->operator_)
			return false;
		v = ns_label(ns_obj, ns, r->key);
		for (j = 0; v && j < r->n_values; j++)
			in |= r->values[j] && strcmp(v, r->values[j]) == 0;
		if (strcmp(r->operator_, "In") == 0) {
			if (!in)
				return false;
		} else if (strcmp(r->operator_, "NotIn") == 0) {
			if (in)
				return false;
		} else if (strcmp(r->operator_, "Exists") == 0) {
			if (!v)
				return false;
		} else if (strcmp(r->operator_, "DoesNotExist") == 0) {
			if (v)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

static bool namespace_allowed(const gws_model_ctx *ctx, const gws_mf_listener *l,
                              const char *route_ns)
{
	const gws_mf_route_namespaces *rn =
	        l->allowed_routes ? l->allowed_routes->namespaces : NULL;
	const char *from = rn && rn->from ? rn->from : "Same";
	if (strcmp(from, "All") == 0)
		return true;
	if (strcmp(from, "Selector") == 0)
		return selector_matches(ctx, rn->selector, route_ns);
	return strcmp(route_ns, ctx->gateway->meta.namespace_) == 0;
}

/* ---- attachment ---------------------------------------------------------------- */

static gws_model_port *port_for(gws_model_ctx *ctx, gws_model_gwbuild *b, int port)
{
	size_t i;
	gws_model_port *p;
	for (i = 0; i < b->ports.len; i++) {
		p = b->ports.items[i];
		if (p->port == port)
			return p;
	}
	p = gws_arena_alloc(ctx->arena, sizeof(*p));
	if (!p)
		return NULL;
	p->port = port;
	gws_vec_init(&p->atts);
	if (gws_vec_push(&b->ports, p) < 0)
		return NULL;
	return p;
}

typedef struct {
	const char **items;
	size_t n, cap;
	bool catch_all;
} hostset;

static int hostset_add(gws_model_ctx *ctx, hostset *hs, const char *h)
{
	size_t i;
	if (!*h) {
		hs->catch_all = true;
		return 0;
	}
	for (i = 0; i < hs->n; i++)
		if (strcmp(hs->items[i], h) == 0)
			return 0;
	if (hs->n == hs->cap) {
		size_t ncap = hs->cap ? hs->cap * 2 : 4;
		const char **ni = gws_arena_calloc(ctx->arena, ncap, sizeof(*ni));
		if (!ni)
			return GWS_ENOMEM;
		if (hs->n)
			memcpy(ni, hs->items, hs->n * sizeof(*ni));
		hs->items = ni;
		hs->cap = ncap;
	}
	hs->items[hs->n++] = h;
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Intersections of the route's hostnames with one listener; false when none. */
static int intersect_into(gws_model_ctx *ctx, const gws_manifest_object *route,
                          const gws_mf_listener *l, hostset *hs, bool *any)
{
	size_t i, n = gws_model__route_n_hostnames(route);
	int error;

	*any = false;
	if (route->kind == GWS_KIND_TCP_ROUTE || route->kind == GWS_KIND_UDP_ROUTE) {
		*any = true;
		return 0;
	}
	if (n == 0) {
		*any = true;
		return hs ? hostset_add(ctx, hs, gws_model__hostname_intersect(l->hostname, NULL))
		          : 0;
	}
	for (i = 0; i < n; i++) {
		const char *h = gws_model__hostname_intersect(l->hostname,
		                                              gws_model__route_hostnames(route, i));
		if (!h)
			continue;
		*any = true;
		if (hs && (error = hostset_add(ctx, hs, h)) < 0)
			return error;
	}
	return 0;
}

static int add_attachment(gws_model_ctx *ctx, gws_model_gwbuild *b,
                          const gws_manifest_object *route, gws_model_route_parent_status *ps,
                          size_t parent_index, gws_model_glistener *gl)
{
	gws_model_port *port = port_for(ctx, b, (int)gl->spec->port.value);
	gws_model_attachment *att = NULL;
	hostset hs;
	size_t i;
	bool any;
	int error;

	if (!port)
		return GWS_ENOMEM;
	/* Links of one route are adjacent in the index, so the same route can
	 * only be at the end of the port's list. */
	for (i = port->atts.len; i > 0; i--) {
		gws_model_attachment *a = port->atts.items[i - 1];
		if (a->route != route)
			break;
		att = a;
	}
	if (!att) {
		att = gws_arena_alloc(ctx->arena, sizeof(*att));
		if (!att)
			return GWS_ENOMEM;
		att->route = route;
		att->parent = ps;
		att->parent_index = parent_index;
		att->port = port->port;
		att->listeners =
		        gws_arena_calloc(ctx->arena, b->n_listeners, sizeof(*att->listeners));
		if (!att->listeners || gws_vec_push(&port->atts, att) < 0)
			return GWS_ENOMEM;
		att->hostnames.n = 0;
		att->hostnames.items = NULL;
		/* catch-all marker lives in hostnames.items == NULL with a flag below */
	}
	for (i = 0; i < att->n_listeners; i++)
		if (att->listeners[i] == gl->spec)
			return 0;
	att->listeners[att->n_listeners++] = gl->spec;

	/* Recompute the hostname set over every listener it attached through. */
	memset(&hs, 0, sizeof(hs));
	for (i = 0; i < att->n_listeners; i++)
		if ((error = intersect_into(ctx, route, att->listeners[i], &hs, &any)) < 0)
			return error;
	if (hs.catch_all || hs.n == 0) {
		att->hostnames.items = NULL;
		att->hostnames.n = 0;
	} else {
		gws_qsort(hs.items, hs.n, sizeof(*hs.items), str_cmp);
		att->hostnames.items = hs.items;
		att->hostnames.n = hs.n;
	}
	return 0;
}

static bool kind_allowed(const gws_model_glistener *gl, const char *kind)
{
	size_t i;
	for (i = 0; i < gl->n_kinds; i++)
		if (strcmp(gl->kinds[i].kind, kind) == 0)
			return true;
	return false;
}

static int attach_one(gws_model_ctx *ctx, gws_model_gwbuild *b, const gws_manifest_object *route,
                      size_t parent_index)
{
	size_t n_refs, i;
	const gws_mf_parent_ref *ref = &gws_model__route_parent_refs(route, &n_refs)[parent_index];
	gws_model_route_parent_status *ps = gws_model__parent_status(ctx, route, parent_index);
	const char *kind = gws_model__kind_name(route);
	size_t relevant = 0, accepted = 0;
	bool f_invalid = false, f_kind = false, f_ns = false, f_host = false;
	int error;

	if (!ps)
		return GWS_ENOMEM;
	for (i = 0; i < b->n_listeners; i++) {
		gws_model_glistener *gl = &b->listeners[i];
		bool any;
		if (ref->section_name &&
		    (!gl->spec->name || strcmp(ref->section_name, gl->spec->name) != 0))
			continue;
		if (ref->port.set &&
		    (!gl->spec->port.set || ref->port.value != gl->spec->port.value))
			continue;
		relevant++;
		if (!gl->valid) {
			f_invalid = true;
			continue;
		}
		if (!kind_allowed(gl, kind)) {
			f_kind = true;
			continue;
		}
		if (!namespace_allowed(ctx, gl->spec, route->meta.namespace_)) {
			f_ns = true;
			continue;
		}
		if ((error = intersect_into(ctx, route, gl->spec, NULL, &any)) < 0)
			return error;
		if (!any) {
			f_host = true;
			continue;
		}
		accepted++;
		gl->status->attached_routes++;
		if ((error = add_attachment(ctx, b, route, ps, parent_index, gl)) < 0)
			return error;
	}
	if (accepted) {
		gws_model__route_condition(ctx, route, ps, GWS_COND_ACCEPTED, "True",
		                           GWS_REASON_ACCEPTED, "Route is accepted.");
		return 0;
	}
	if (relevant == 0) {
		char port[16] = "";
		if (ref->port.set)
			snprintf(port, sizeof(port), "%d", (int)ref->port.value);
		gws_model__route_condition(ctx, route, ps, GWS_COND_ACCEPTED, "False",
		                           GWS_REASON_NO_MATCHING_PARENT,
		                           "Route parentRef does not match listener: no listener "
		                           "has%s%s%s%s",
		                           ref->section_name ? " name " : "",
		                           ref->section_name ? ref->section_name : "",
		                           ref->port.set ? " port " : "", port);
	} else if (f_host)
		gws_model__route_condition(
		        ctx, route, ps, GWS_COND_ACCEPTED, "False",
		        GWS_REASON_NO_MATCHING_LISTENER_HOSTNAME,
		        "Listener does not allow route attachment, no matching hostname");
	else if (f_ns)
		gws_model__route_condition(ctx, route, ps, GWS_COND_ACCEPTED, "False",
		                           GWS_REASON_NOT_ALLOWED_BY_LISTENERS,
		                           "Listener does not allow route attachment, namespace "
		                           "does not match between listener and route");
	else if (f_kind)
		gws_model__route_condition(ctx, route, ps, GWS_COND_ACCEPTED, "False",
		                           GWS_REASON_NOT_ALLOWED_BY_LISTENERS,
		                           "Listener does not allow route attachment, kind %s does "
		                           "not match between listener and route",
		                           kind);
	else if (f_invalid)
		gws_model__route_condition(ctx, route, ps, GWS_COND_ACCEPTED, "False",
		                           GWS_REASON_NOT_ALLOWED_BY_LISTENERS,
		                           "Listener does not allow route attachment, the "
		                           "listener is not accepted");
	return 0;
}

static int port_cmp(const void *a, const void *b)
{
	const gws_model_port *x = *(const gws_model_port *const *)a;
	const gws_model_port *y = *(const gws_model_port *const *)b;
	return (x->port > y->port) - (x->port < y->port);
}

int gws_model__attach_routes(gws_model_ctx *ctx, gws_model_gwbuild *b)
{
	const char *key = gws_model__printf(ctx, "%s/%s", ctx->gateway->meta.namespace_,
	                                    ctx->gateway->meta.name);
	gws_model_parent_list *list;
	gws_model_parent_link *link;
	int error;

	if (!key)
		return GWS_ENOMEM;
	list = gws_model__strmap_get(ctx->by_parent, key);
	for (link = list ? list->head : NULL; link; link = link->next)
		if ((error = attach_one(ctx, b, link->route, link->parent_index)) < 0)
			return error;
	if (b->ports.len > 1)
		gws_qsort(b->ports.items, b->ports.len, sizeof(void *), port_cmp);
	return 0;
}

void gws_model__gwbuild_dispose(gws_model_gwbuild *b)
{
	size_t i;
	for (i = 0; i < b->ports.len; i++)
		gws_vec_dispose(&((gws_model_port *)b->ports.items[i])->atts);
	gws_vec_dispose(&b->ports);
}
