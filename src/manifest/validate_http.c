/*
 * HTTPRoute rules: matches (path CEL rules, header and query matches), the
 * rule-level CEL rules tying filters to matches and backendRefs, timeouts,
 * retries, and the route-level counts.
 */
#include <string.h>

#include "manifest/validate_util.h"

static const char *const match_types[] = {"Exact", "RegularExpression", NULL};
static const char *const http_methods[] = {"GET",     "HEAD",    "POST",  "PUT",   "DELETE",
                                           "CONNECT", "OPTIONS", "TRACE", "PATCH", NULL};

void gws_manifest__v_value_matches(gws_manifest__vctx *v, const char *field,
                                   const gws_mf_value_match *m, size_t n, bool query)
{
	size_t i;

	size_t n_field = gws_manifest__v_items(v, field, n, 0, 16);
	for (i = 0; i < n_field; i++) {
		size_t mark = gws_manifest__v_push_index(v, field, i);

		gws_manifest__v_enum(v, "type", m[i].type, match_types);
		if (gws_manifest__v_required(v, "name", m[i].name != NULL) &&
		    gws_manifest__v_format(v, "name", m[i].name, GWS_VFMT_HEADER_NAME))
			/* Header names are case-insensitive, query names are not. */
			gws_manifest__v_unique_name(
			        v, query ? "query parameter" : "header", &m[0].name, sizeof(*m), i,
			        query ? NULL : " and only the first match counts");
		if (gws_manifest__v_required(v, "value", m[i].value != NULL) &&
		    gws_manifest__v_length(v, "value", m[i].value, 1, query ? 1024 : 4096) &&
		    !query)
			gws_manifest__v_format(v, "value", m[i].value, GWS_VFMT_HEADER_VALUE);
		gws_manifest__v_pop(v, mark);
	}
}

/* ---- HTTPRoute matches ---- */

static void v_path_match(gws_manifest__vctx *v, const gws_mf_path_match *p)
{
	static const char *const forbidden[] = {"//", "/./", "/../", "%2f", "%2F", "#"};
	static const char *const endings[] = {"/..", "/."};
	const char *value = p->value;
	size_t mark = gws_manifest__v_push(v, "path"), i;
	bool literal = gws_manifest__str_eq(p->type, "Exact") ||
	               gws_manifest__str_eq(p->type, "PathPrefix");

	if (!gws_manifest__str_eq(p->type, "RegularExpression") && !literal)
		gws_manifest__v_error(v, NULL,
		                      "type must be one of ['Exact', 'PathPrefix', "
		                      "'RegularExpression']");
	gws_manifest__v_length(v, "value", value, 0, 1024);
	if (literal && value) {
		if (value[0] != '/')
			gws_manifest__v_error(
			        v, "value",
			        "value must be an absolute path and start with '/' when "
			        "type one of ['Exact', 'PathPrefix']");
		for (i = 0; i < GWS_ARRAY_SIZE(forbidden); i++)
			if (strstr(value, forbidden[i]))
				gws_manifest__v_error(v, "value",
				                      "must not contain '%s' when type one of "
				                      "['Exact', 'PathPrefix']",
				                      forbidden[i]);
		for (i = 0; i < GWS_ARRAY_SIZE(endings); i++)
			if (gws_str_endswith(value, endings[i]))
				gws_manifest__v_error(v, "value",
				                      "must not end with '%s' when type one of "
				                      "['Exact', 'PathPrefix']",
				                      endings[i]);
		if (!gws_manifest__is_path_chars(value))
			gws_manifest__v_error(v, "value",
			                      "must only contain valid characters (matching "
			                      "^(?:[-A-Za-z0-9/"
			                      "._~!$&'()*+,;=:@]|[%%][0-9a-fA-F]{2})+$) for types "
			                      "['Exact', 'PathPrefix']");
	}
	gws_manifest__v_pop(v, mark);
}

static void v_http_match(gws_manifest__vctx *v, const gws_mf_http_match *m)
{
	if (m->path)
		v_path_match(v, m->path);
	gws_manifest__v_value_matches(v, "headers", m->headers, m->n_headers, false);
	gws_manifest__v_value_matches(v, "queryParams", m->query_params, m->n_query_params, true);
	gws_manifest__v_enum(v, "method", m->method, http_methods);
}

/* ---- HTTPRoute rule-level CEL ---- */

/* The filter is a redirect (rewrite when !redirect) with path.replacePrefixMatch. */
static bool replaces_prefix(const gws_mf_filter *f, bool redirect)
{
	const gws_mf_path_modifier *p = NULL;

	if (redirect && f->request_redirect)
		p = f->request_redirect->path;
	else if (!redirect && f->url_rewrite)
		p = f->url_rewrite->path;
	return p && gws_manifest__str_eq(p->type, "ReplacePrefixMatch") && p->replace_prefix_match;
}

static size_t count_prefix_replacers(const gws_mf_filter *filters, size_t n, bool redirect)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += replaces_prefix(&filters[i], redirect);
	return count;
}

static bool single_prefix_match(const gws_mf_http_rule *rule)
{
	return rule->n_matches == 1 && rule->matches[0].path &&
	       gws_manifest__str_eq(rule->matches[0].path->type, "PathPrefix");
}

static void v_http_rule_cel(gws_manifest__vctx *v, const gws_mf_http_rule *rule)
{
	size_t i, backends_redirect = 0, backends_rewrite = 0;
	bool redirect = false;

	for (i = 0; i < rule->n_filters; i++)
		redirect = redirect || rule->filters[i].request_redirect != NULL;
	if (redirect && rule->n_backend_refs > 0)
		gws_manifest__v_error(v, NULL,
		                      "RequestRedirect filter must not be used together with "
		                      "backendRefs");
	/* The CEL rules use exists_one: they apply when exactly one filter replaces a prefix. */
	if (count_prefix_replacers(rule->filters, rule->n_filters, true) == 1 &&
	    !single_prefix_match(rule))
		gws_manifest__v_error(v, NULL,
		                      "When using RequestRedirect filter with "
		                      "path.replacePrefixMatch, exactly one PathPrefix match must "
		                      "be specified");
	if (count_prefix_replacers(rule->filters, rule->n_filters, false) == 1 &&
	    !single_prefix_match(rule))
		gws_manifest__v_error(v, NULL,
		                      "When using URLRewrite filter with path.replacePrefixMatch, "
		                      "exactly one PathPrefix match must be specified");
	for (i = 0; i < rule->n_backend_refs; i++) {
		const gws_mf_backend_ref *b = &rule->backend_refs[i];

		backends_redirect += count_prefix_replacers(b->filters, b->n_filters, true) == 1;
		backends_rewrite += count_prefix_replacers(b->filters, b->n_filters, false) == 1;
	}
	if (backends_redirect == 1 && !single_prefix_match(rule))
		gws_manifest__v_error(v, NULL,
		                      "Within backendRefs, when using RequestRedirect filter with "
		                      "path.replacePrefixMatch, exactly one PathPrefix match must "
		                      "be specified");
	if (backends_rewrite == 1 && !single_prefix_match(rule))
		gws_manifest__v_error(v, NULL,
		                      "Within backendRefs, When using URLRewrite filter with "
		                      "path.replacePrefixMatch, exactly one PathPrefix match must "
		                      "be specified");
}

static void v_timeouts(gws_manifest__vctx *v, const gws_mf_timeouts *t)
{
	size_t mark;
	bool ok;

	if (!t)
		return;
	mark = gws_manifest__v_push(v, "timeouts");
	ok = gws_manifest__v_format(v, "request", t->request, GWS_VFMT_DURATION);
	ok = gws_manifest__v_format(v, "backendRequest", t->backend_request, GWS_VFMT_DURATION) &&
	     ok;
	/* A zero request timeout disables it, so any backendRequest fits. */
	if (ok && t->request && t->backend_request && gws_manifest__duration_ms(t->request) != 0 &&
	    gws_manifest__duration_ms(t->backend_request) > gws_manifest__duration_ms(t->request))
		gws_manifest__v_error(
		        v, NULL, "backendRequest timeout cannot be longer than request timeout");
	gws_manifest__v_pop(v, mark);
}

static void v_retry(gws_manifest__vctx *v, const gws_mf_retry *r)
{
	size_t mark, i;

	if (!r)
		return;
	mark = gws_manifest__v_push(v, "retry");
	for (i = 0; i < r->n_codes; i++) {
		size_t m = gws_manifest__v_push_index(v, "codes", i);
		gws_mf_int code = {true, r->codes[i]};

		gws_manifest__v_range(v, NULL, &code, 400, 599);
		gws_manifest__v_pop(v, m);
	}
	if (r->attempts.set && r->attempts.value < 0)
		gws_manifest__v_error(v, "attempts", "must not be negative, got %lld",
		                      (long long)r->attempts.value);
	gws_manifest__v_format(v, "backoff", r->backoff, GWS_VFMT_DURATION);
	gws_manifest__v_pop(v, mark);
}

static void v_http_rule(gws_manifest__vctx *v, const gws_mf_http_rule *rule)
{
	size_t i;

	size_t n_matches = gws_manifest__v_items(v, "matches", rule->n_matches, 0, 64);
	for (i = 0; i < n_matches; i++) {
		size_t mark = gws_manifest__v_push_index(v, "matches", i);

		v_http_match(v, &rule->matches[i]);
		gws_manifest__v_pop(v, mark);
	}
	gws_manifest__v_filters(v, rule->filters, rule->n_filters, false);
	gws_manifest__v_backend_refs(v, rule->backend_refs, rule->n_backend_refs, false);
	v_http_rule_cel(v, rule);
	v_timeouts(v, rule->timeouts);
	v_retry(v, rule->retry);
	gws_manifest__v_session_persistence(v, rule->session_persistence);
}

void gws_manifest__validate_http_route(gws_manifest__vctx *v)
{
	const gws_mf_http_route *r = v->obj->spec.http_route;
	size_t mark = gws_manifest__v_push(v, "spec"), i, total = 0;

	gws_manifest__v_parent_refs(v, r->parent_refs, r->n_parent_refs);
	gws_manifest__v_hostnames(v, (const char *const *)r->hostnames, r->n_hostnames, 16);
	size_t n_rules = gws_manifest__v_items(v, "rules", r->n_rules, 1, 16);
	for (i = 0; i < n_rules; i++) {
		size_t m = gws_manifest__v_push_index(v, "rules", i);

		gws_manifest__v_rule_name(v, &r->rules[0].name, sizeof(*r->rules), i);
		v_http_rule(v, &r->rules[i]);
		total += r->rules[i].n_matches;
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_total_matches(v, total);
	gws_manifest__v_pop(v, mark);
}
