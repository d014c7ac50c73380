/*
 * ALB listener rules end to end: the tests/golden/alb-* repositories are
 * loaded and modelled, and the resulting rules, conditions, actions,
 * transforms and route conditions are checked field by field against
 * docs/lbc-mapping.md and docs/gateway-rules.md (the golden expected.json files check
 * the rendered bytes; this checks the meaning).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gwsync/model.h"

typedef struct {
	gws_manifest_store *store;
	gws_model *model;
	gws_diag_list diags;
	const gws_model_stack *stack;
} fixture;

static void load(fixture *f, const char *name)
{
	const char *src = getenv("GWSYNC_SOURCE_DIR");
	char root[4096];
	gws_manifest_options mo = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;

	assert_non_null(src);
	snprintf(root, sizeof(root), "%s/tests/golden/%s/repo", src, name);
	memset(f, 0, sizeof(*f));
	gws_diag_list_init(&f->diags);
	mo.root = root;
	assert_int_equal(gws_manifest_load(&f->store, &mo, &f->diags), 0);
	opts.cluster = "test";
	assert_int_equal(gws_model_build(&f->model, f->store, &opts, &f->diags), 0);
	f->stack = gws_model_stack_find(f->model, "web", "gw");
	assert_non_null(f->stack);
}

static void unload(fixture *f)
{
	gws_model_free(f->model);
	gws_manifest_store_free(f->store);
	gws_diag_list_dispose(&f->diags);
}

static const gws_model_listener *listener(const fixture *f, int port)
{
	for (size_t i = 0; i < f->stack->n_listeners; i++)
		if (f->stack->listeners[i]->port == port)
			return f->stack->listeners[i];
	fail_msg("no listener on port %d", port);
	return NULL;
}

static const gws_model_condition *cond(const gws_model_rule *r, gws_model_condition_field field,
                                       size_t nth)
{
	for (size_t i = 0; i < r->n_conditions; i++)
		if (r->conditions[i].field == field && nth-- == 0)
			return &r->conditions[i];
	return NULL;
}

/* The rule whose path-pattern (or regex) holds `path` as its first value. */
static const gws_model_rule *rule_by_path(const gws_model_listener *l, const char *host,
                                          const char *path)
{
	for (size_t i = 0; i < l->n_rules; i++) {
		const gws_model_rule *r = l->rules[i];
		const gws_model_condition *p = cond(r, GWS_MODEL_COND_PATH_PATTERN, 0);
		const gws_model_condition *h = cond(r, GWS_MODEL_COND_HOST_HEADER, 0);
		const char *first = NULL;
		if (p && p->values.n)
			first = p->values.items[0];
		else if (p && p->regex_values.n)
			first = p->regex_values.items[0];
		if ((host == NULL) != (h == NULL))
			continue;
		if (host && strcmp(h->values.items[0], host) != 0)
			continue;
		if (first && strcmp(first, path) == 0)
			return r;
	}
	fail_msg("no rule for host %s path %s", host ? host : "(any)", path);
	return NULL;
}

static void assert_values(const gws_model_strs *s, const char *const *want, size_t n)
{
	assert_int_equal(s->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(s->items[i], want[i]);
}

static const gws_model_route_parent_status *route_parent(const fixture *f, const char *kind,
                                                         const char *name)
{
	for (size_t i = 0; i < gws_model_route_status_count(f->model); i++) {
		const gws_model_route_status *rs = gws_model_route_status_at(f->model, i);
		if (strcmp(gws_manifest_kind_name(rs->object->kind), kind) == 0 &&
		    strcmp(rs->object->meta.name, name) == 0 && rs->n_parents > 0)
			return rs->parents[0];
	}
	fail_msg("no status for %s %s", kind, name);
	return NULL;
}

static const gws_model_status_condition *status_cond(const gws_model_route_parent_status *p,
                                                     const char *type)
{
	for (size_t i = 0; i < p->conditions.n; i++)
		if (strcmp(p->conditions.items[i].type, type) == 0)
			return &p->conditions.items[i];
	return NULL;
}

static void assert_ids_and_priorities(const gws_model_listener *l)
{
	for (size_t i = 0; i < l->n_rules; i++) {
		char id[32];
		snprintf(id, sizeof(id), "%d:%zu", l->port, i + 1);
		assert_int_equal(l->rules[i]->priority, (int)i + 1);
		assert_string_equal(l->rules[i]->id, id);
	}
}

static void assert_forward_to(const gws_model_rule *r, size_t n_tgs)
{
	assert_int_equal(r->n_actions, 1);
	assert_int_equal(r->actions[0].type, GWS_MODEL_ACTION_FORWARD);
	assert_int_equal(r->actions[0].order, 1);
	assert_int_equal(r->actions[0].forward->n_target_groups, n_tgs);
}

static void assert_fixed(const gws_model_action *a, const char *code)
{
	assert_int_equal(a->type, GWS_MODEL_ACTION_FIXED_RESPONSE);
	assert_string_equal(a->fixed_response->status_code, code);
}

/* ---- matches ---- */

static void test_match_path(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;

	(void)state;
	load(&f, "alb-match-path");
	l = listener(&f, 80);
	assert_int_equal(l->n_rules, 4);
	assert_ids_and_priorities(l);
	/* Exact first, then prefixes by length, then the regex: LBC ranks the path
	 * type before the length, so even "/" beats a regex */
	r = l->rules[0];
	assert_values(&cond(r, GWS_MODEL_COND_PATH_PATTERN, 0)->values, (const char *[]){"/login"},
	              1);
	r = l->rules[1];
	assert_values(&cond(r, GWS_MODEL_COND_PATH_PATTERN, 0)->values,
	              (const char *[]){"/api", "/api/*"}, 2);
	r = l->rules[3];
	assert_int_equal(cond(r, GWS_MODEL_COND_PATH_PATTERN, 0)->values.n, 0);
	assert_values(&cond(r, GWS_MODEL_COND_PATH_PATTERN, 0)->regex_values,
	              (const char *[]){"^/v[0-9]+/items$"}, 1);
	r = l->rules[2];
	assert_values(&cond(r, GWS_MODEL_COND_PATH_PATTERN, 0)->values, (const char *[]){"/*"}, 1);
	assert_int_equal(r->n_conditions, 1);
	assert_forward_to(r, 1);
	assert_true(r->actions[0].forward->target_groups[0].has_weight);
	assert_int_equal(r->actions[0].forward->target_groups[0].weight, 1);
	assert_int_equal(r->rule_index, 1);
	assert_int_equal(r->match_index, 0);
	unload(&f);
}

static void test_match_headers(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_condition *c;

	(void)state;
	load(&f, "alb-match-headers");
	l = listener(&f, 80);
	assert_int_equal(l->n_rules, 2);
	/* two headers beat one */
	c = cond(l->rules[0], GWS_MODEL_COND_HTTP_HEADER, 0);
	assert_string_equal(c->http_header_name, "x-env");
	assert_values(&c->values, (const char *[]){"canary", "beta"}, 2);
	c = cond(l->rules[0], GWS_MODEL_COND_HTTP_HEADER, 1);
	assert_string_equal(c->http_header_name, "x-list");
	assert_values(&c->values, (const char *[]){"a,b"}, 1);
	c = cond(l->rules[1], GWS_MODEL_COND_HTTP_HEADER, 0);
	assert_string_equal(c->http_header_name, "user-agent");
	assert_int_equal(c->values.n, 0);
	assert_values(&c->regex_values, (const char *[]){".*Mobile.*"}, 1);
	/* order: path-pattern before http-header */
	assert_int_equal(l->rules[1]->conditions[0].field, GWS_MODEL_COND_PATH_PATTERN);
	unload(&f);
}

static void test_match_query_method(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;
	const gws_model_condition *c;

	(void)state;
	load(&f, "alb-match-query-method");
	l = listener(&f, 80);
	assert_int_equal(l->n_rules, 2);
	r = l->rules[0];
	assert_int_equal(r->n_conditions, 4);
	assert_int_equal(r->conditions[0].field, GWS_MODEL_COND_PATH_PATTERN);
	c = cond(r, GWS_MODEL_COND_QUERY_STRING, 0);
	assert_int_equal(c->n_query_values, 1);
	assert_string_equal(c->query_values[0].key, "q");
	assert_string_equal(c->query_values[0].value, "\\*"); /* a literal '*' */
	c = cond(r, GWS_MODEL_COND_QUERY_STRING, 1);
	assert_string_equal(c->query_values[0].key, "lang");
	assert_string_equal(c->query_values[0].value, "en");
	assert_values(&cond(r, GWS_MODEL_COND_HTTP_REQUEST_METHOD, 0)->values,
	              (const char *[]){"GET"}, 1);
	assert_int_equal(r->conditions[3].field, GWS_MODEL_COND_HTTP_REQUEST_METHOD);
	r = l->rules[1];
	assert_values(&cond(r, GWS_MODEL_COND_PATH_PATTERN, 0)->values, (const char *[]){"/*"}, 1);
	assert_values(&cond(r, GWS_MODEL_COND_HTTP_REQUEST_METHOD, 0)->values,
	              (const char *[]){"POST"}, 1);
	unload(&f);
}

/* ---- precedence ---- */

static void test_precedence_routes(void **state)
{
	fixture f;
	const gws_model_listener *l;

	(void)state;
	load(&f, "alb-precedence-routes");
	l = listener(&f, 80);
	assert_int_equal(l->n_rules, 6);
	assert_ids_and_priorities(l);
	/* shop.example.com: Exact "/" beats prefix /cart; among /cart: one header
	 * wins, then the older route */
	assert_string_equal(l->rules[0]->route, "HTTPRoute web/exact-host");
	assert_int_equal(l->rules[0]->rule_index, 1);
	assert_string_equal(l->rules[1]->route, "HTTPRoute web/no-timestamp");
	assert_string_equal(l->rules[2]->route, "HTTPRoute web/older");
	assert_string_equal(l->rules[3]->route, "HTTPRoute web/exact-host");
	assert_int_equal(l->rules[3]->rule_index, 0);
	/* then the wildcard host, then the catch-all */
	assert_string_equal(l->rules[4]->route, "HTTPRoute web/wild");
	assert_values(&cond(l->rules[4], GWS_MODEL_COND_HOST_HEADER, 0)->values,
	              (const char *[]){"*.example.com"}, 1);
	assert_string_equal(l->rules[5]->route, "HTTPRoute web/catch-all");
	assert_null(cond(l->rules[5], GWS_MODEL_COND_HOST_HEADER, 0));
	unload(&f);
}

static void test_precedence_grpc_http(void **state)
{
	fixture f;
	const gws_model_listener *l;

	(void)state;
	load(&f, "alb-precedence-grpc-http");
	l = listener(&f, 443);
	assert_int_equal(l->n_rules, 3);
	/* the younger GRPCRoute's methods still beat the older HTTP catch-all */
	assert_string_equal(l->rules[0]->route, "GRPCRoute web/z-grpc");
	assert_values(&cond(l->rules[0], GWS_MODEL_COND_PATH_PATTERN, 0)->values,
	              (const char *[]){"/shop.v1.Cart/Add"}, 1);
	assert_values(&cond(l->rules[1], GWS_MODEL_COND_PATH_PATTERN, 0)->values,
	              (const char *[]){"/shop.v1.Cart/*"}, 1);
	assert_string_equal(l->rules[2]->route, "HTTPRoute web/a-web");
	unload(&f);
}

static void test_hostname_wildcards(void **state)
{
	fixture f;
	const gws_model_listener *l;

	(void)state;
	load(&f, "alb-hostname-wildcards");
	l = listener(&f, 80);
	/* specific: a.example.com, deep.a.example.com (other.net dropped);
	 * wider: *.com narrowed to *.example.com; inherit: *.example.com */
	assert_int_equal(l->n_rules, 4);
	assert_values(&cond(l->rules[0], GWS_MODEL_COND_HOST_HEADER, 0)->values,
	              (const char *[]){"deep.a.example.com"}, 1);
	assert_values(&cond(l->rules[1], GWS_MODEL_COND_HOST_HEADER, 0)->values,
	              (const char *[]){"a.example.com"}, 1);
	/* wildcard units: the /static prefix first, then the catch-all */
	assert_string_equal(l->rules[2]->route, "HTTPRoute web/inherit");
	assert_values(&cond(l->rules[2], GWS_MODEL_COND_HOST_HEADER, 0)->values,
	              (const char *[]){"*.example.com"}, 1);
	assert_string_equal(l->rules[3]->route, "HTTPRoute web/wider");
	assert_values(&cond(l->rules[3], GWS_MODEL_COND_HOST_HEADER, 0)->values,
	              (const char *[]){"*.example.com"}, 1);
	unload(&f);
}

/* ---- redirects and rewrites ---- */

static void test_redirect_scheme(void **state)
{
	fixture f;
	const gws_model_rule *r;
	const gws_model_redirect_config *rc;

	(void)state;
	load(&f, "alb-redirect-scheme");
	r = listener(&f, 80)->rules[0];
	assert_int_equal(r->n_actions, 1);
	assert_int_equal(r->actions[0].type, GWS_MODEL_ACTION_REDIRECT);
	rc = r->actions[0].redirect;
	assert_string_equal(rc->protocol, "HTTPS");
	assert_string_equal(rc->port, "443");
	assert_null(rc->host);
	assert_null(rc->path);
	assert_null(rc->query);
	assert_string_equal(rc->status_code, "HTTP_301");
	assert_int_equal(f.stack->n_target_groups, 0);
	unload(&f);
}

static void test_redirect_host_port_path(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_redirect_config *rc;

	(void)state;
	load(&f, "alb-redirect-host-port-path");
	l = listener(&f, 80);
	rc = rule_by_path(l, NULL, "/old")->actions[0].redirect;
	assert_string_equal(rc->host, "new.example.com");
	assert_string_equal(rc->port, "8080");
	assert_string_equal(rc->path, "/new");
	assert_null(rc->protocol);
	assert_string_equal(rc->status_code, "HTTP_302");
	rc = rule_by_path(l, NULL, "/http")->actions[0].redirect;
	assert_string_equal(rc->protocol, "HTTP");
	assert_string_equal(rc->port, "8081");
	unload(&f);
}

static void test_redirect_prefix(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-redirect-prefix");
	l = listener(&f, 80);
	r = rule_by_path(l, NULL, "/docs");
	assert_int_equal(r->actions[0].type, GWS_MODEL_ACTION_REDIRECT);
	assert_null(r->actions[0].redirect->path);
	assert_string_equal(r->actions[0].redirect->host, "docs.example.com");
	assert_int_equal(r->n_transforms, 1);
	assert_int_equal(r->transforms[0].type, GWS_MODEL_TRANSFORM_URL_REWRITE);
	assert_string_equal(r->transforms[0].rewrites[0].regex, "(^/docs(/)?)");
	assert_string_equal(r->transforms[0].rewrites[0].replace, "/v2$2");
	/* the loop ALB rejects: the rule answers 500, the route is told why */
	r = rule_by_path(l, NULL, "/loop");
	assert_fixed(&r->actions[0], "500");
	assert_int_equal(r->n_transforms, 0);
	c = status_cond(route_parent(&f, "HTTPRoute", "prefix"), "PartiallyInvalid");
	assert_non_null(c);
	assert_string_equal(c->status, "True");
	assert_string_equal(c->reason, "UnsupportedValue");
	assert_true(strncmp(c->message, "Dropped Rule", 12) == 0);
	assert_non_null(strstr(c->message, "spec.rules[1].filters[0].requestRedirect"));
	assert_non_null(strstr(c->message, "loop"));
	assert_string_equal(
	        status_cond(route_parent(&f, "HTTPRoute", "prefix"), "Accepted")->status, "True");
	unload(&f);
}

static void test_url_rewrite(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;

	(void)state;
	load(&f, "alb-url-rewrite");
	l = listener(&f, 80);
	r = rule_by_path(l, NULL, "/shop");
	assert_int_equal(r->n_transforms, 1);
	assert_string_equal(r->transforms[0].rewrites[0].regex, "(^/shop(/)?)");
	assert_string_equal(r->transforms[0].rewrites[0].replace, "/store$2");
	r = rule_by_path(l, NULL, "/health");
	/* url-rewrite first, as LBC sends them */
	assert_int_equal(r->n_transforms, 2);
	assert_int_equal(r->transforms[0].type, GWS_MODEL_TRANSFORM_URL_REWRITE);
	assert_string_equal(r->transforms[0].rewrites[0].regex, "^([^?]*)");
	assert_string_equal(r->transforms[0].rewrites[0].replace, "/status");
	assert_int_equal(r->transforms[1].type, GWS_MODEL_TRANSFORM_HOST_HEADER_REWRITE);
	assert_string_equal(r->transforms[1].rewrites[0].regex, ".*");
	assert_string_equal(r->transforms[1].rewrites[0].replace, "internal.example.com");
	r = rule_by_path(l, NULL, "/strip");
	assert_string_equal(r->transforms[0].rewrites[0].replace, "/");
	assert_forward_to(r, 1);
	unload(&f);
}

/* ---- ListenerRuleConfiguration ---- */

static void test_lrc_fixed_response(void **state)
{
	fixture f;
	const gws_model_rule *r;
	bool tagged = false;

	(void)state;
	load(&f, "alb-lrc-fixed-response");
	r = listener(&f, 80)->rules[0];
	assert_int_equal(r->n_actions, 1);
	assert_fixed(&r->actions[0], "503");
	assert_string_equal(r->actions[0].fixed_response->content_type, "application/json");
	assert_string_equal(r->actions[0].fixed_response->message_body,
	                    "{\"status\":\"maintenance\"}");
	for (size_t i = 0; i < r->tags.n; i++)
		tagged |= strcmp(r->tags.items[i].key, "team") == 0 &&
		          strcmp(r->tags.items[i].value, "web") == 0;
	assert_true(tagged);
	/* a fixed response needs no target group */
	assert_int_equal(f.stack->n_target_groups, 0);
	unload(&f);
}

static void test_lrc_source_ip(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;
	const gws_model_forward_config *fw;

	(void)state;
	load(&f, "alb-lrc-source-ip");
	l = listener(&f, 80);
	/* matchIndexes [0]: only the /internal match gets the source-ip condition */
	r = rule_by_path(l, NULL, "/internal");
	assert_values(&cond(r, GWS_MODEL_COND_SOURCE_IP, 0)->values,
	              (const char *[]){"10.0.0.0/8", "192.168.1.0/24"}, 2);
	assert_int_equal(r->conditions[r->n_conditions - 1].field, GWS_MODEL_COND_SOURCE_IP);
	fw = r->actions[0].forward;
	assert_true(fw->has_stickiness);
	assert_true(fw->stickiness_enabled);
	assert_int_equal(fw->stickiness_duration_seconds, 600);
	r = rule_by_path(l, NULL, "/public");
	assert_null(cond(r, GWS_MODEL_COND_SOURCE_IP, 0));
	unload(&f);
}

static void test_lrc_forward_defaults(void **state)
{
	fixture f;
	const gws_model_forward_config *fw;

	(void)state;
	load(&f, "alb-lrc-forward-defaults");
	fw = listener(&f, 80)->rules[0]->actions[0].forward;
	assert_non_null(fw);
	assert_true(fw->has_stickiness);
	assert_false(fw->stickiness_enabled);
	assert_int_equal(fw->stickiness_duration_seconds, 3600);
	unload(&f);
}

static void test_lrc_authenticate(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-lrc-authenticate");
	l = listener(&f, 443);
	r = rule_by_path(l, NULL, "/oidc");
	assert_int_equal(r->n_actions, 2);
	assert_int_equal(r->actions[0].type, GWS_MODEL_ACTION_AUTHENTICATE_OIDC);
	assert_int_equal(r->actions[0].order, 1);
	assert_string_equal(r->actions[0].authenticate_oidc->client_secret_ref, "web/oidc-client");
	assert_string_equal(r->actions[0].authenticate_oidc->scope, "openid");
	assert_string_equal(r->actions[0].authenticate_oidc->on_unauthenticated_request,
	                    "authenticate");
	assert_int_equal(r->actions[0].authenticate_oidc->session_timeout, 604800);
	assert_int_equal(r->actions[0].authenticate_oidc->extra_params.n, 1);
	assert_int_equal(r->actions[1].type, GWS_MODEL_ACTION_FORWARD);
	assert_int_equal(r->actions[1].order, 2);
	r = rule_by_path(l, NULL, "/cognito");
	assert_int_equal(r->actions[0].type, GWS_MODEL_ACTION_AUTHENTICATE_COGNITO);
	assert_string_equal(r->actions[0].authenticate_cognito->on_unauthenticated_request, "deny");
	assert_int_equal(r->actions[0].authenticate_cognito->session_timeout, 3600);
	assert_fixed(&r->actions[1], "200");
	r = rule_by_path(l, NULL, "/jwt");
	assert_int_equal(r->actions[0].type, GWS_MODEL_ACTION_JWT_VALIDATION);
	assert_int_equal(r->actions[0].jwt_validation->n_additional_claims, 1);
	assert_values(&r->actions[0].jwt_validation->additional_claims[0].values,
	              (const char *[]){"admin", "ops"}, 2);
	/* on HTTP the guarded rules fail closed */
	l = listener(&f, 80);
	assert_fixed(&rule_by_path(l, NULL, "/oidc")->actions[0], "500");
	assert_int_equal(rule_by_path(l, NULL, "/oidc")->n_actions, 1);
	assert_fixed(&rule_by_path(l, NULL, "/jwt")->actions[0], "500");
	assert_int_equal(rule_by_path(l, NULL, "/*")->actions[0].type, GWS_MODEL_ACTION_FORWARD);
	c = status_cond(route_parent(&f, "HTTPRoute", "secure"), "PartiallyInvalid");
	assert_non_null(c);
	assert_non_null(strstr(c->message, "needs an HTTPS listener"));
	/* a route whose only rule needs HTTPS still works on 443: not "not accepted" */
	c = status_cond(route_parent(&f, "HTTPRoute", "guarded"), "PartiallyInvalid");
	assert_non_null(c);
	assert_string_equal(
	        status_cond(route_parent(&f, "HTTPRoute", "guarded"), "Accepted")->status, "True");
	unload(&f);
}

static void test_lrc_auth_http_only(void **state)
{
	fixture f;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-lrc-auth-http-only");
	assert_fixed(&listener(&f, 80)->rules[0]->actions[0], "500");
	c = status_cond(route_parent(&f, "HTTPRoute", "login"), "Accepted");
	assert_string_equal(c->status, "False");
	assert_string_equal(c->reason, "UnsupportedValue");
	assert_null(status_cond(route_parent(&f, "HTTPRoute", "login"), "PartiallyInvalid"));
	unload(&f);
}

static void test_lrc_redirect_query(void **state)
{
	fixture f;
	const gws_model_redirect_config *rc;

	(void)state;
	load(&f, "alb-lrc-redirect-query");
	rc = listener(&f, 80)->rules[0]->actions[0].redirect;
	assert_string_equal(rc->host, "new.example.com");
	assert_string_equal(rc->query, "from=old&#{query}");
	unload(&f);
}

static void test_lrc_errors(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-lrc-errors");
	l = listener(&f, 80);
	assert_int_equal(l->n_rules, 3);
	for (size_t i = 0; i < l->n_rules; i++)
		assert_fixed(&l->rules[i]->actions[0], "500");
	assert_int_equal(f.stack->n_target_groups, 0);
	c = status_cond(route_parent(&f, "HTTPRoute", "errors"), "Accepted");
	assert_string_equal(c->status, "False");
	assert_string_equal(c->reason, "IncompatibleFilters");
	assert_non_null(strstr(c->message, "web/does-not-exist not found"));
	assert_non_null(strstr(c->message, "2 ListenerRuleConfiguration filters"));
	assert_non_null(strstr(c->message, "needs a RequestRedirect filter"));
	unload(&f);
}

/* ---- quotas and unsupported features ---- */

static void test_quota_condition_values(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-quota-condition-values");
	l = listener(&f, 80);
	/* host 1 + path 2 + header 3 = 6 > 5: no ALB rule can hold that match */
	assert_int_equal(l->n_rules, 1);
	assert_values(&cond(l->rules[0], GWS_MODEL_COND_PATH_PATTERN, 0)->values,
	              (const char *[]){"/ok", "/ok/*"}, 2);
	c = status_cond(route_parent(&f, "HTTPRoute", "too-many"), "PartiallyInvalid");
	assert_non_null(c);
	assert_non_null(strstr(c->message, "6 condition values; ALB allows 5"));
	unload(&f);
}

static void test_quota_target_groups(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-quota-target-groups");
	l = listener(&f, 80);
	assert_fixed(&rule_by_path(l, NULL, "/six")->actions[0], "500");
	assert_fixed(&rule_by_path(l, NULL, "/*")->actions[0], "500");
	/* no target group is created for a rule that will not forward */
	assert_int_equal(f.stack->n_target_groups, 0);
	c = status_cond(route_parent(&f, "HTTPRoute", "six-backends"), "Accepted");
	assert_string_equal(c->status, "False");
	assert_string_equal(c->reason, "UnsupportedValue");
	assert_non_null(strstr(c->message, "6 backends"));
	c = status_cond(route_parent(&f, "HTTPRoute", "heavy"), "Accepted");
	assert_string_equal(c->status, "False");
	assert_non_null(strstr(c->message, "spec.rules[0].backendRefs[0].weight"));
	assert_non_null(strstr(c->message, "1000"));
	unload(&f);
}

static void test_unsupported_filters(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-unsupported-filters");
	l = listener(&f, 80);
	assert_fixed(&rule_by_path(l, NULL, "/headers")->actions[0], "500");
	assert_fixed(&rule_by_path(l, NULL, "/slow")->actions[0], "500");
	assert_forward_to(rule_by_path(l, NULL, "/fine"), 1);
	c = status_cond(route_parent(&f, "HTTPRoute", "mixed"), "PartiallyInvalid");
	assert_non_null(c);
	assert_non_null(strstr(c->message, "spec.rules[0].filters[0].type: RequestHeaderModifier"));
	assert_non_null(strstr(c->message, "spec.rules[1].timeouts"));
	assert_string_equal(status_cond(route_parent(&f, "HTTPRoute", "mixed"), "Accepted")->status,
	                    "True");
	c = status_cond(route_parent(&f, "HTTPRoute", "all-bad"), "Accepted");
	assert_string_equal(c->status, "False");
	assert_string_equal(c->reason, "UnsupportedValue");
	assert_non_null(strstr(c->message, "RequestMirror"));
	assert_fixed(&rule_by_path(l, "mirror.example.com", "/*")->actions[0], "500");
	unload(&f);
}

static void test_weighted_forward(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;

	(void)state;
	load(&f, "alb-weighted-forward");
	l = listener(&f, 80);
	r = rule_by_path(l, NULL, "/split");
	assert_forward_to(r, 2);
	assert_int_equal(r->actions[0].forward->target_groups[0].weight, 90);
	assert_int_equal(r->actions[0].forward->target_groups[1].weight, 10);
	r = rule_by_path(l, NULL, "/drain");
	assert_forward_to(r, 2);
	assert_true(r->actions[0].forward->target_groups[0].has_weight);
	assert_int_equal(r->actions[0].forward->target_groups[0].weight, 0);
	/* two backendRefs to blue: one target group with the summed weight */
	r = rule_by_path(l, NULL, "/dup");
	assert_forward_to(r, 2);
	assert_string_equal(r->actions[0].forward->target_groups[0].target_group_id,
	                    "web/gw:web-canary:HTTPRoute-web-blue:8080");
	assert_int_equal(r->actions[0].forward->target_groups[0].weight, 5);
	assert_int_equal(r->actions[0].forward->target_groups[1].weight, 1);
	/* every weight 0: nothing to forward to */
	assert_fixed(&rule_by_path(l, NULL, "/off")->actions[0], "500");
	r = rule_by_path(l, NULL, "/*");
	assert_forward_to(r, 1);
	assert_true(r->actions[0].forward->target_groups[0].has_weight);
	unload(&f);
}

static void test_grpc_methods(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;

	(void)state;
	load(&f, "alb-grpc-methods");
	l = listener(&f, 443);
	assert_int_equal(l->n_rules, 6);
	r = l->rules[0];
	assert_values(&cond(r, GWS_MODEL_COND_PATH_PATTERN, 0)->values,
	              (const char *[]){"/shop.v1.Cart/Add"}, 1);
	assert_values(&cond(r, GWS_MODEL_COND_HTTP_HEADER, 0)->values, (const char *[]){"a", "b"},
	              2);
	r = rule_by_path(l, "grpc.example.com", "^/shop\\.v[0-9]+\\.Cart/[^/]+$");
	assert_int_equal(cond(r, GWS_MODEL_COND_PATH_PATTERN, 0)->values.n, 0);
	/* an alternation is grouped so the anchors and the '/' stay outside it */
	r = rule_by_path(l, "grpc.example.com", "^/shop.v1.Cart/(Get|List)$");
	assert_ptr_equal(r, l->rules[3]);
	r = rule_by_path(l, "grpc.example.com", "/*/Health");
	assert_non_null(r);
	assert_values(&cond(l->rules[4], GWS_MODEL_COND_HTTP_HEADER, 0)->regex_values,
	              (const char *[]){"^[0-9a-f]+$"}, 1);
	assert_int_equal(l->rules[5]->match_index, -1);
	assert_values(&cond(l->rules[5], GWS_MODEL_COND_PATH_PATTERN, 0)->values,
	              (const char *[]){"/*"}, 1);
	unload(&f);
}

static void test_quota_rule_limits(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-quota-rule-limits");
	l = listener(&f, 80);
	/* /wild (6 wildcards), /sources (two source-ip conditions) and
	 * /regex-query (no regex for query strings) cannot be ALB rules;
	 * /one-source can, but its route rule is unsupported: 500 */
	assert_int_equal(l->n_rules, 2);
	assert_fixed(&rule_by_path(l, NULL, "/one-source")->actions[0], "500");
	assert_forward_to(rule_by_path(l, NULL, "/fine"), 1);
	c = status_cond(route_parent(&f, "HTTPRoute", "limits"), "PartiallyInvalid");
	assert_non_null(c);
	assert_non_null(strstr(c->message, "6 wildcards"));
	assert_non_null(strstr(c->message, "2 source-ip conditions"));
	assert_non_null(strstr(c->message, "spec.rules[2].matches[0].queryParams[0]"));
	unload(&f);
}

static void test_unsupported_grpc_extension(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_status_condition *c;

	(void)state;
	load(&f, "alb-unsupported-grpc-extension");
	l = listener(&f, 443);
	assert_fixed(&rule_by_path(l, NULL, "/a.B/*")->actions[0], "500");
	assert_forward_to(rule_by_path(l, NULL, "/*"), 1);
	c = status_cond(route_parent(&f, "GRPCRoute", "grpc-filter"), "PartiallyInvalid");
	assert_non_null(c);
	assert_non_null(strstr(c->message, "RequestHeaderModifier filter is not supported"));
	c = status_cond(route_parent(&f, "HTTPRoute", "other-extension"), "Accepted");
	assert_string_equal(c->status, "False");
	assert_non_null(strstr(c->message, "MagicFilter"));
	assert_fixed(&rule_by_path(l, "ext.example.com", "/*")->actions[0], "500");
	unload(&f);
}

static void test_missing_backend(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_rule *r;

	(void)state;
	load(&f, "alb-missing-backend");
	l = listener(&f, 80);
	/* the usable backend keeps its weight; the missing one is left out */
	r = rule_by_path(l, NULL, "/partial");
	assert_forward_to(r, 1);
	assert_int_equal(r->actions[0].forward->target_groups[0].weight, 3);
	assert_fixed(&rule_by_path(l, NULL, "/none")->actions[0], "500");
	assert_string_equal(
	        status_cond(route_parent(&f, "HTTPRoute", "partial"), "ResolvedRefs")->reason,
	        "BackendNotFound");
	unload(&f);
}

/* ---- listener TLS ---- */

static void test_https_certificates(void **state)
{
	fixture f;
	const gws_model_listener *l;

	(void)state;
	load(&f, "alb-https-certificates");
	l = listener(&f, 80);
	assert_null(l->ssl_policy);
	assert_int_equal(l->certificates.n, 0);
	assert_int_equal(l->n_rules, 1);
	l = listener(&f, 443);
	assert_string_equal(l->protocol, "HTTPS");
	assert_string_equal(l->ssl_policy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
	assert_values(&l->certificates,
	              (const char *[]){"arn:aws:acm:us-east-1:111122223333:certificate/default",
	                               "arn:aws:acm:us-east-1:111122223333:certificate/extra-1",
	                               "arn:aws:acm:us-east-1:111122223333:certificate/extra-2"},
	              3);
	assert_null(l->alpn_policy);
	assert_null(l->mutual_auth);
	l = listener(&f, 8443);
	assert_string_equal(l->ssl_policy, "ELBSecurityPolicy-2016-08");
	assert_non_null(l->mutual_auth);
	assert_string_equal(l->mutual_auth->mode, "verify");
	assert_true(l->mutual_auth->has_ignore_client_certificate_expiry);
	assert_false(l->mutual_auth->ignore_client_certificate_expiry);
	assert_int_equal(l->attributes.n, 1);
	assert_string_equal(l->attributes.items[0].key, "routing.http.response.server.enabled");
	unload(&f);
}

static void test_listener_config_gaps(void **state)
{
	fixture f;
	const gws_model_listener *l;
	const gws_model_gateway_status *gs = NULL;
	bool warned_alpn = false, warned_cert = false, no_cert = false;

	(void)state;
	load(&f, "alb-listener-config-gaps");
	l = listener(&f, 80);
	assert_int_equal(l->certificates.n, 0);
	assert_null(l->ssl_policy);
	assert_null(l->alpn_policy);
	/* HTTPS:443 has no certificate and no hostname to discover one in ACM:
	 * CreateListener would fail, so the listener is not built. */
	for (size_t i = 0; i < f.stack->n_listeners; i++)
		assert_int_not_equal(f.stack->listeners[i]->port, 443);
	for (size_t i = 0; i < gws_model_gateway_status_count(f.model); i++)
		if (strcmp(gws_model_gateway_status_at(f.model, i)->object->meta.name, "gw") == 0)
			gs = gws_model_gateway_status_at(f.model, i);
	assert_non_null(gs);
	for (size_t i = 0; i < gs->n_listeners; i++)
		for (size_t j = 0; j < gs->listeners[i].conditions.n; j++) {
			const gws_model_status_condition *c = &gs->listeners[i].conditions.items[j];
			no_cert |= strcmp(gs->listeners[i].name, "https") == 0 &&
			           strcmp(c->type, "ResolvedRefs") == 0 &&
			           strcmp(c->reason, "InvalidCertificateRef") == 0;
		}
	assert_true(no_cert);
	for (size_t i = 0; i < f.diags.count; i++) {
		const gws_diag *d = &f.diags.items[i];
		warned_alpn |= d->field &&
		               strcmp(d->field, "spec.listenerConfigurations[0].alpnPolicy") == 0;
		warned_cert |=
		        d->field &&
		        strcmp(d->field, "spec.listenerConfigurations[0].defaultCertificate") == 0;
	}
	assert_true(warned_alpn);
	assert_true(warned_cert);
	unload(&f);
}

static void test_two_parent_refs(void **state)
{
	fixture f;
	const gws_model_listener *l;

	(void)state;
	load(&f, "alb-two-parent-refs");
	l = listener(&f, 80);
	/* a.example.com is reached through both listeners: still one ALB rule for it */
	assert_int_equal(l->n_rules, 2);
	assert_ids_and_priorities(l);
	assert_values(&cond(l->rules[0], GWS_MODEL_COND_HOST_HEADER, 0)->values,
	              (const char *[]){"a.example.com"}, 1);
	assert_values(&cond(l->rules[1], GWS_MODEL_COND_HOST_HEADER, 0)->values,
	              (const char *[]){"b.example.com"}, 1);
	unload(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_match_path),
	        cmocka_unit_test(test_match_headers),
	        cmocka_unit_test(test_match_query_method),
	        cmocka_unit_test(test_precedence_routes),
	        cmocka_unit_test(test_precedence_grpc_http),
	        cmocka_unit_test(test_hostname_wildcards),
	        cmocka_unit_test(test_redirect_scheme),
	        cmocka_unit_test(test_redirect_host_port_path),
	        cmocka_unit_test(test_redirect_prefix),
	        cmocka_unit_test(test_url_rewrite),
	        cmocka_unit_test(test_lrc_fixed_response),
	        cmocka_unit_test(test_lrc_source_ip),
	        cmocka_unit_test(test_lrc_forward_defaults),
	        cmocka_unit_test(test_lrc_authenticate),
	        cmocka_unit_test(test_lrc_auth_http_only),
	        cmocka_unit_test(test_lrc_redirect_query),
	        cmocka_unit_test(test_lrc_errors),
	        cmocka_unit_test(test_quota_condition_values),
	        cmocka_unit_test(test_quota_target_groups),
	        cmocka_unit_test(test_unsupported_filters),
	        cmocka_unit_test(test_weighted_forward),
	        cmocka_unit_test(test_grpc_methods),
	        cmocka_unit_test(test_quota_rule_limits),
	        cmocka_unit_test(test_unsupported_grpc_extension),
	        cmocka_unit_test(test_missing_backend),
	        cmocka_unit_test(test_two_parent_refs),
	        cmocka_unit_test(test_https_certificates),
	        cmocka_unit_test(test_listener_config_gaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
