/*
 * GRPCRoute rules: method matches (the service/method CEL rules), header
 * matches, the gRPC filter subset, and the route-level counts.
 */
#include <string.h>

#include "manifest/validate_util.h"

static const char *const match_types[] = {"Exact", "RegularExpression", NULL};

static bool is_grpc_service(const char *s)
{
	/* ^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$ */
	bool start = true;

	if (*s == '.')
		s++;
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		bool letter = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_';
		bool digit = *s >= '0' && *s <= '9';

		if (*s == '.' && !start)
			start = true;
		else if (letter || (digit && !start))
			start = false;
		else
			return false;
	}
	return !start;
}

static bool is_grpc_method(const char *s)
{
	/* ^[A-Za-z_][A-Za-z_0-9]*$ */
	const char *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (p = s + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

static void v_grpc_method(gws_manifest__vctx *v, const gws_mf_grpc_method_match *m)
{
	size_t mark = gws_manifest__v_push(v, "method");
	bool exact = !m->type || gws_manifest__str_eq(m->type, "Exact");

	gws_manifest__v_enum(v, "type", m->type, match_types);
	if (!m->service && !m->method)
		gws_manifest__v_error(v, NULL,
		                      "One or both of 'service' or 'method' must be specified");
	gws_manifest__v_length(v, "service", m->service, 0, 1024);
	gws_manifest__v_length(v, "method", m->method, 0, 1024);
	if (exact && m->service && !is_grpc_service(m->service))
		gws_manifest__v_error(v, "service",
		                      "service must only contain valid characters (matching "
		                      "^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)");
	if (exact && m->method && !is_grpc_method(m->method))
		gws_manifest__v_error(v, "method",
		                      "method must only contain valid characters (matching "
		                      "^[A-Za-z_][A-Za-z_0-9]*$)");
	gws_manifest__v_pop(v, mark);
}

static void v_grpc_rule(gws_manifest__vctx *v, const gws_mf_grpc_rule *rule)
{
	size_t i;

	size_t n_matches = gws_manifest__v_items(v, "matches", rule->n_matches, 0, 64);
	for (i = 0; i < n_matches; i++) {
		size_t mark = gws_manifest__v_push_index(v, "matches", i);

		if (rule->matches[i].method)
			v_grpc_method(v, rule->matches[i].method);
		gws_manifest__v_value_matches(v, "headers", rule->matches[i].headers,
		                              rule->matches[i].n_headers, false);
		gws_manifest__v_pop(v, mark);
	}
	gws_manifest__v_filters(v, rule->filters, rule->n_filters, true);
	gws_manifest__v_backend_refs(v, rule->backend_refs, rule->n_backend_refs, true);
	gws_manifest__v_session_persistence(v, rule->session_persistence);
}

void gws_manifest__validate_grpc_route(gws_manifest__vctx *v)
{
	const gws_mf_grpc_route *r = v->obj->spec.grpc_route;
	size_t mark = gws_manifest__v_push(v, "spec"), i, total = 0;

	gws_manifest__v_parent_refs(v, r->parent_refs, r->n_parent_refs);
	gws_manifest__v_hostnames(v, (const char *const *)r->hostnames, r->n_hostnames, 16);
	size_t n_rules = gws_manifest__v_items(v, "rules", r->n_rules, 0, 16);
	for (i = 0; i < n_rules; i++) {
		size_t m = gws_manifest__v_push_index(v, "rules", i);

		gws_manifest__v_rule_name(v, &r->rules[0].name, sizeof(*r->rules), i);
		v_grpc_rule(v, &r->rules[i]);
		total += r->rules[i].n_matches;
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_total_matches(v, total);
	gws_manifest__v_pop(v, mark);
}
