/*
 * CRD defaults (docs/gateway-rules.md, "Defaults and validation"), applied after
 * conversion because there is no API server to do it. Later stages rely on
 * these fields being set; absent sub-objects that have defaults are created.
 */
#include <string.h>

#include "manifest/internal.h"

#define GW_GROUP "gateway.networking.k8s.io"

typedef struct {
	gws_arena *arena;
	int rc;
} dctx;

static void *make(dctx *d, size_t size)
{
	void *p = gws_arena_alloc(d->arena, size);
	if (!p)
		d->rc = GWS_ENOMEM;
	return p;
}

static void def_str(const char **field, const char *value)
{
	if (!*field)
		*field = value;
}

static void def_int(gws_mf_int *field, int64_t value)
{
	if (!field->set) {
		field->set = true;
		field->value = value;
	}
}

static void def_bool(gws_mf_bool *field, bool value)
{
	if (!field->set) {
		field->set = true;
		field->value = value;
	}
}

static void parent_refs(gws_mf_parent_ref *refs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		def_str(&refs[i].group, GW_GROUP);
		def_str(&refs[i].kind, "Gateway");
	}
}

static void backend_object_ref(gws_mf_backend_object_ref *r)
{
	def_str(&r->group, "");
	def_str(&r->kind, "Service");
}

static void filters(gws_mf_filter *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (f[i].request_mirror) {
			backend_object_ref(&f[i].request_mirror->backend_ref);
			if (f[i].request_mirror->fraction)
				def_int(&f[i].request_mirror->fraction->denominator, 100);
		}
		if (f[i].request_redirect)
			def_int(&f[i].request_redirect->status_code, 302);
		if (f[i].cors)
			def_int(&f[i].cors->max_age, 5);
		if (f[i].external_auth)
			backend_object_ref(&f[i].external_auth->backend_ref);
	}
}

static void backend_refs(gws_mf_backend_ref *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		def_str(&b[i].group, "");
		def_str(&b[i].kind, "Service");
		def_int(&b[i].weight, 1);
		filters(b[i].filters, b[i].n_filters);
	}
}

static void value_matches(gws_mf_value_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		def_str(&m[i].type, "Exact");
}

static void session_persistence(gws_mf_session_persistence *sp)
{
	if (!sp)
		return;
	def_str(&sp->type, "Cookie");
	if (strcmp(sp->type, "Cookie") == 0)
		def_str(&sp->cookie_lifetime_type, "Session");
}

static gws_mf_path_match *default_path(dctx *d)
{
	gws_mf_path_match *p = make(d, sizeof(*p));
	if (p) {
		p->type = "PathPrefix";
		p->value = "/";
	}
	return p;
}

static void http_route(dctx *d, gws_manifest_object *obj)
{
	gws_mf_http_route *r = obj->spec.http_route;
	parent_refs(r->parent_refs, r->n_parent_refs);
	/* rules: default only when omitted; an explicit [] stays empty (and fails minItems) */
	if (r->n_rules == 0 && !gws_manifest_object_has(obj, "spec.rules")) {
		r->rules = make(d, sizeof(*r->rules));
		if (!r->rules)
			return;
		r->n_rules = 1;
	}
	for (size_t i = 0; i < r->n_rules; i++) {
		gws_mf_http_rule *rule = &r->rules[i];
		if (rule->n_matches == 0) {
			rule->matches = make(d, sizeof(*rule->matches));
			if (!rule->matches)
				return;
			rule->n_matches = 1;
		}
		for (size_t j = 0; j < rule->n_matches; j++) {
			gws_mf_http_match *m = &rule->matches[j];
			if (!m->path && !(m->path = default_path(d)))
				return;
			def_str(&m->path->type, "PathPrefix");
			def_str(&m->path->value, "/");
			value_matches(m->headers, m->n_headers);
			value_matches(m->query_params, m->n_query_params);
		}
		filters(rule->filters, rule->n_filters);
		backend_refs(rule->backend_refs, rule->n_backend_refs);
		session_persistence(rule->session_persistence);
	}
}

static void grpc_route(gws_manifest_object *obj)
{
	gws_mf_grpc_route *r = obj->spec.grpc_route;
	parent_refs(r->parent_refs, r->n_parent_refs);
	for (size_t i = 0; i < r->n_rules; i++) {
		gws_mf_grpc_rule *rule = &r->rules[i];
		for (size_t j = 0; j < rule->n_matches; j++) {
			if (rule->matches[j].method)
				def_str(&rule->matches[j].method->type, "Exact");
			value_matches(rule->matches[j].headers, rule->matches[j].n_headers);
		}
		filters(rule->filters, rule->n_filters);
		backend_refs(rule->backend_refs, rule->n_backend_refs);
		session_persistence(rule->session_persistence);
	}
}

static void l4_route(gws_manifest_object *obj)
{
	gws_mf_l4_route *r = obj->spec.tcp_route;
	parent_refs(r->parent_refs, r->n_parent_refs);
	for (size_t i = 0; i < r->n_rules; i++)
		backend_refs(r->rules[i].backend_refs, r->rules[i].n_backend_refs);
}

static gws_mf_route_namespaces *namespaces_from(dctx *d, gws_mf_route_namespaces *ns,
                                                const char *from)
{
	if (!ns && !(ns = make(d, sizeof(*ns))))
		return NULL;
	def_str(&ns->from, from);
	return ns;
}

static void frontend_validation(gws_mf_frontend_validation *v)
{
	if (v)
		def_str(&v->mode, "AllowValidOnly");
}

static void listeners(dctx *d, gws_mf_listener *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!l[i].allowed_routes &&
		    !(l[i].allowed_routes = make(d, sizeof(gws_mf_allowed_routes))))
			return;
		gws_mf_allowed_routes *ar = l[i].allowed_routes;
		if (!(ar->namespaces = namespaces_from(d, ar->namespaces, "Same")))
			return;
		for (size_t k = 0; k < ar->n_kinds; k++)
			def_str(&ar->kinds[k].group, GW_GROUP);
		if (l[i].tls) {
			def_str(&l[i].tls->mode, "Terminate");
			for (size_t k = 0; k < l[i].tls->n_certificate_refs; k++) {
				def_str(&l[i].tls->certificate_refs[k].group, "");
				def_str(&l[i].tls->certificate_refs[k].kind, "Secret");
			}
			frontend_validation(l[i].tls->frontend_validation);
		}
	}
}

static void gateway(dctx *d, gws_mf_gateway *g)
{
	listeners(d, g->listeners, g->n_listeners);
	for (size_t i = 0; i < g->n_addresses; i++)
		def_str(&g->addresses[i].type, "IPAddress");
	if (!g->allowed_listeners &&
	    !(g->allowed_listeners = make(d, sizeof(*g->allowed_listeners))))
		return;
	g->allowed_listeners->namespaces =
	        namespaces_from(d, g->allowed_listeners->namespaces, "None");
	if (g->tls) {
		frontend_validation(g->tls->frontend_default_validation);
		for (size_t i = 0; i < g->tls->n_frontend_per_port; i++)
			frontend_validation(g->tls->frontend_per_port[i].validation);
	}
}

static void auth_config(gws_mf_authenticate_config *a)
{
	if (!a)
		return;
	def_str(&a->scope, "openid");
	def_str(&a->on_unauthenticated_request, "authenticate");
	def_str(&a->session_cookie_name, "AWSELBAuthSessionCookie");
	def_int(&a->session_timeout, 604800);
}

static void lrc_config(gws_mf_lrc_config *c)
{
	for (size_t i = 0; i < c->n_actions; i++) {
		gws_mf_lrc_action *a = &c->actions[i];
		/* The CRD defaults targetGroupStickinessConfig inside a written
		 * forwardConfig; forwardConfig itself has no default (a bare
		 * `type: forward` fails the CEL rule in validate_lbc.c). */
		if (a->forward_config && a->forward_config->target_group_stickiness_config) {
			gws_mf_tg_stickiness *s = a->forward_config->target_group_stickiness_config;
			def_int(&s->duration_seconds, 3600);
			def_bool(&s->enabled, false);
		}
		if (a->redirect_config)
			def_str(&a->redirect_config->query, "#{query}");
		if (a->fixed_response_config)
			def_str(&a->fixed_response_config->content_type, "text/plain");
		auth_config(a->authenticate_cognito_config);
		auth_config(a->authenticate_oidc_config);
	}
}

int gws_mf__apply_defaults(gws_arena *arena, gws_manifest_object *obj)
{
	dctx d = {arena, 0};
	switch (obj->kind) {
	case GWS_KIND_GATEWAY:
		gateway(&d, obj->spec.gateway);
		break;
	case GWS_KIND_LISTENER_SET:
		parent_refs(&obj->spec.listener_set->parent_ref, 1);
		listeners(&d, obj->spec.listener_set->listeners,
		          obj->spec.listener_set->n_listeners);
		break;
	case GWS_KIND_HTTP_ROUTE:
		http_route(&d, obj);
		break;
	case GWS_KIND_GRPC_ROUTE:
		grpc_route(obj);
		break;
	case GWS_KIND_TCP_ROUTE:
	case GWS_KIND_UDP_ROUTE:
	case GWS_KIND_TLS_ROUTE:
		l4_route(obj);
		break;
	case GWS_KIND_LOAD_BALANCER_CONFIGURATION: {
		gws_mf_lb_config *c = obj->spec.lb_config;
		for (size_t i = 0; i < c->n_listener_configurations; i++)
			def_str(&c->listener_configurations[i].alpn_policy, "None");
		break;
	}
	case GWS_KIND_TARGET_GROUP_CONFIGURATION:
		if (obj->spec.tg_config->target_reference) {
			def_str(&obj->spec.tg_config->target_reference->group, "");
			def_str(&obj->spec.tg_config->target_reference->kind, "Service");
		}
		break;
	case GWS_KIND_LISTENER_RULE_CONFIGURATION:
		lrc_config(obj->spec.lrc_config);
		break;
	default:
		break;
	}
	return d.rc;
}
