/*
 * HTTPRoute and GRPCRoute filters: the type enum, the CEL rules tying the
 * type to the one member that must be set, the list-level "cannot be
 * repeated" rules, and each filter's own fields.
 */
#include <string.h>

#include "manifest/validate_util.h"

static const char *const http_filter_types[] = {"RequestHeaderModifier",
                                                "ResponseHeaderModifier",
                                                "RequestMirror",
                                                "RequestRedirect",
                                                "URLRewrite",
                                                "ExtensionRef",
                                                "CORS",
                                                "ExternalAuth",
                                                NULL};
static const char *const grpc_filter_types[] = {"ResponseHeaderModifier", "RequestHeaderModifier",
                                                "RequestMirror", "ExtensionRef", NULL};
static const char *const redirect_schemes[] = {"http", "https", NULL};
static const char *const path_modifier_types[] = {"ReplaceFullPath", "ReplacePrefixMatch", NULL};
static const char *const cors_methods[] = {"GET",     "HEAD",  "POST",  "PUT", "DELETE", "CONNECT",
                                           "OPTIONS", "TRACE", "PATCH", "*",   NULL};
static const char *const external_auth_protocols[] = {"HTTP", "GRPC", NULL};

/* ---- header modifier ---- */

static void v_header_list(gws_manifest__vctx *v, const char *field, const gws_mf_header *h,
                          size_t n)
{
	size_t i;

	size_t n_field = gws_manifest__v_items(v, field, n, 0, 16);
	for (i = 0; i < n_field; i++) {
		size_t mark = gws_manifest__v_push_index(v, field, i);

		if (gws_manifest__v_required(v, "name", h[i].name != NULL) &&
		    gws_manifest__v_format(v, "name", h[i].name, GWS_VFMT_HEADER_NAME))
			gws_manifest__v_unique_name(v, "header", &h[0].name, sizeof(*h), i,
			                            ", so both change the same header");
		if (gws_manifest__v_required(v, "value", h[i].value != NULL) &&
		    gws_manifest__v_length(v, "value", h[i].value, 1, 4096))
			gws_manifest__v_format(v, "value", h[i].value, GWS_VFMT_HEADER_VALUE);
		gws_manifest__v_pop(v, mark);
	}
}

static void v_header_modifier(gws_manifest__vctx *v, const char *field,
                              const gws_mf_header_modifier *m)
{
	size_t mark = gws_manifest__v_push(v, field), i, j;

	v_header_list(v, "set", m->set, m->n_set);
	v_header_list(v, "add", m->add, m->n_add);
	size_t n_remove = gws_manifest__v_items(v, "remove", m->n_remove, 0, 16);
	for (i = 0; i < n_remove; i++) {
		size_t e = gws_manifest__v_push_index(v, "remove", i);

		for (j = 0; j < i; j++)
			if (gws_manifest__str_eq(m->remove[i], m->remove[j])) {
				gws_manifest__v_error(v, NULL,
				                      "duplicate header %s: each name may appear "
				                      "once",
				                      gws_manifest__v_quote(v, m->remove[i]));
				break;
			}
		gws_manifest__v_pop(v, e);
	}
	gws_manifest__v_pop(v, mark);
}

/* ---- redirect, rewrite, mirror ---- */

static void v_path_modifier(gws_manifest__vctx *v, const gws_mf_path_modifier *p)
{
	size_t mark;

	if (!p)
		return;
	mark = gws_manifest__v_push(v, "path");
	if (gws_manifest__v_required(v, "type", p->type != NULL))
		gws_manifest__v_enum(v, "type", p->type, path_modifier_types);
	if (gws_manifest__str_eq(p->type, "ReplaceFullPath") && !p->replace_full_path)
		gws_manifest__v_error(v, NULL,
		                      "replaceFullPath must be specified when type is set to "
		                      "'ReplaceFullPath'");
	if (p->replace_full_path && !gws_manifest__str_eq(p->type, "ReplaceFullPath"))
		gws_manifest__v_error(v, NULL,
		                      "type must be 'ReplaceFullPath' when replaceFullPath is set");
	if (gws_manifest__str_eq(p->type, "ReplacePrefixMatch") && !p->replace_prefix_match)
		gws_manifest__v_error(v, NULL,
		                      "replacePrefixMatch must be specified when type is set to "
		                      "'ReplacePrefixMatch'");
	if (p->replace_prefix_match && !gws_manifest__str_eq(p->type, "ReplacePrefixMatch"))
		gws_manifest__v_error(
		        v, NULL,
		        "type must be 'ReplacePrefixMatch' when replacePrefixMatch is "
		        "set");
	gws_manifest__v_length(v, "replaceFullPath", p->replace_full_path, 0, 1024);
	gws_manifest__v_length(v, "replacePrefixMatch", p->replace_prefix_match, 0, 1024);
	gws_manifest__v_pop(v, mark);
}

static void v_redirect(gws_manifest__vctx *v, const gws_mf_request_redirect *r)
{
	size_t mark = gws_manifest__v_push(v, "requestRedirect");
	int64_t code = r->status_code.value;

	gws_manifest__v_enum(v, "scheme", r->scheme, redirect_schemes);
	gws_manifest__v_format(v, "hostname", r->hostname, GWS_VFMT_PRECISE_HOSTNAME);
	v_path_modifier(v, r->path);
	gws_manifest__v_range(v, "port", &r->port, 1, 65535);
	if (r->status_code.set && code != 301 && code != 302 && code != 303 && code != 307 &&
	    code != 308)
		gws_manifest__v_error(v, "statusCode",
		                      "unsupported value %lld: must be one of 301, 302, 303, 307, "
		                      "308",
		                      (long long)code);
	gws_manifest__v_pop(v, mark);
}

static void v_rewrite(gws_manifest__vctx *v, const gws_mf_url_rewrite *r)
{
	size_t mark = gws_manifest__v_push(v, "urlRewrite");

	gws_manifest__v_format(v, "hostname", r->hostname, GWS_VFMT_PRECISE_HOSTNAME);
	v_path_modifier(v, r->path);
	gws_manifest__v_pop(v, mark);
}

static void v_mirror(gws_manifest__vctx *v, const gws_mf_request_mirror *m)
{
	size_t mark = gws_manifest__v_push(v, "requestMirror");
	size_t b = gws_manifest__v_push(v, "backendRef");

	gws_manifest__v_backend_object_ref(v, &m->backend_ref);
	gws_manifest__v_pop(v, b);
	gws_manifest__v_range(v, "percent", &m->percent, 0, 100);
	if (m->percent.set && m->fraction)
		gws_manifest__v_error(v, NULL,
		                      "Only one of percent or fraction may be specified in "
		                      "HTTPRequestMirrorFilter");
	if (m->fraction) {
		const gws_mf_fraction *f = m->fraction;
		size_t fm = gws_manifest__v_push(v, "fraction");
		bool num_ok = gws_manifest__v_required(v, "numerator", f->numerator.set) &&
		              gws_manifest__v_range(v, "numerator", &f->numerator, 0, INT32_MAX);
		bool den_ok =
		        gws_manifest__v_range(v, "denominator", &f->denominator, 1, INT32_MAX);

		if (num_ok && den_ok && f->denominator.set &&
		    f->numerator.value > f->denominator.value)
			gws_manifest__v_error(
			        v, NULL, "numerator must be less than or equal to denominator");
		gws_manifest__v_pop(v, fm);
	}
	gws_manifest__v_pop(v, mark);
}

/* ---- extensionRef, CORS, external auth ---- */

static void v_extension_ref(gws_manifest__vctx *v, const gws_mf_local_ref *r)
{
	size_t mark = gws_manifest__v_push(v, "extensionRef");

	if (gws_manifest__v_required(v, "group", r->group != NULL))
		gws_manifest__v_format(v, "group", r->group, GWS_VFMT_GROUP);
	if (gws_manifest__v_required(v, "kind", r->kind != NULL))
		gws_manifest__v_format(v, "kind", r->kind, GWS_VFMT_KIND);
	if (gws_manifest__v_required(v, "name", r->name != NULL))
		gws_manifest__v_format(v, "name", r->name, GWS_VFMT_OBJECT_NAME);
	gws_manifest__v_pop(v, mark);
}

/* (^\*$)|(^<scheme>://<host>(:<port>)?$), the CORSOrigin format. */
static bool is_cors_origin(const char *s)
{
	const char *p = s, *host;
	size_t digits = 0;

	if (strcmp(s, "*") == 0)
		return true;
	if (strlen(s) > 253 || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	for (p++; *p && *p != ':'; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.",
		            *p))
			return false;
	if (p - s < 2 || strncmp(p, "://", 3) != 0)
		return false;
	for (host = p += 3; *p && !strchr(":/?#", *p); p++)
		;
	if (p == host)
		return false;
	if (*p == ':')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	return *p == '\0' && (digits == 0 ? p[-1] != ':' : digits <= 5);
}

static void v_wildcard_alone(gws_manifest__vctx *v, const char *field, const char *const *items,
                             size_t n, const char *message)
{
	size_t i;

	for (i = 0; i < n && n > 1; i++)
		if (gws_manifest__str_eq(items[i], "*")) {
			gws_manifest__v_error(v, field, "%s", message);
			return;
		}
}

static void v_string_set(gws_manifest__vctx *v, const char *field, const char *const *items,
                         size_t n, size_t max, bool header_names)
{
	size_t i, j;

	size_t n_field = gws_manifest__v_items(v, field, n, 0, max);
	for (i = 0; i < n_field; i++) {
		size_t mark = gws_manifest__v_push_index(v, field, i);

		if (header_names)
			gws_manifest__v_format(v, NULL, items[i], GWS_VFMT_HEADER_NAME);
		for (j = 0; j < i; j++)
			if (gws_manifest__str_eq(items[i], items[j])) {
				gws_manifest__v_error(v, NULL, "duplicate value %s",
				                      gws_manifest__v_quote(v, items[i]));
				break;
			}
		gws_manifest__v_pop(v, mark);
	}
}

static void v_cors(gws_manifest__vctx *v, const gws_mf_cors *c)
{
	size_t mark = gws_manifest__v_push(v, "cors"), i;

	v_string_set(v, "allowOrigins", c->allow_origins, c->n_allow_origins, 64, false);
	for (i = 0; i < c->n_allow_origins; i++) {
		size_t m = gws_manifest__v_push_index(v, "allowOrigins", i);

		if (!is_cors_origin(c->allow_origins[i]))
			gws_manifest__v_error(v, NULL,
			                      "%s is not a valid origin: use \"*\" or "
			                      "<scheme>://<host>[:<port>]",
			                      gws_manifest__v_quote(v, c->allow_origins[i]));
		gws_manifest__v_pop(v, m);
	}
	v_wildcard_alone(v, "allowOrigins", c->allow_origins, c->n_allow_origins,
	                 "AllowOrigins cannot contain '*' alongside other origins");
	v_string_set(v, "allowMethods", c->allow_methods, c->n_allow_methods, 9, false);
	for (i = 0; i < c->n_allow_methods; i++) {
		size_t m = gws_manifest__v_push_index(v, "allowMethods", i);

		gws_manifest__v_enum(v, NULL, c->allow_methods[i], cors_methods);
		gws_manifest__v_pop(v, m);
	}
	v_wildcard_alone(v, "allowMethods", c->allow_methods, c->n_allow_methods,
	                 "AllowMethods cannot contain '*' alongside other methods");
	v_string_set(v, "allowHeaders", c->allow_headers, c->n_allow_headers, 64, true);
	v_wildcard_alone(v, "allowHeaders", c->allow_headers, c->n_allow_headers,
	                 "AllowHeaders cannot contain '*' alongside other methods");
	v_string_set(v, "exposeHeaders", c->expose_headers, c->n_expose_headers, 64, true);
	if (c->max_age.set && c->max_age.value < 1)
		gws_manifest__v_error(v, "maxAge", "must be at least 1 (seconds), got %lld",
		                      (long long)c->max_age.value);
	gws_manifest__v_pop(v, mark);
}

static void v_external_auth(gws_manifest__vctx *v, const gws_mf_external_auth *a)
{
	size_t mark = gws_manifest__v_push(v, "externalAuth");
	size_t b;

	if (gws_manifest__v_required(v, "protocol", a->protocol != NULL))
		gws_manifest__v_enum(v, "protocol", a->protocol, external_auth_protocols);
	if (gws_manifest__str_eq(a->protocol, "GRPC") && !a->has_grpc)
		gws_manifest__v_error(v, NULL,
		                      "grpc must be specified when protocol is set to 'GRPC'");
	if (a->has_grpc && !gws_manifest__str_eq(a->protocol, "GRPC"))
		gws_manifest__v_error(v, NULL, "protocol must be 'GRPC' when grpc is set");
	if (gws_manifest__str_eq(a->protocol, "HTTP") && !a->has_http)
		gws_manifest__v_error(v, NULL,
		                      "http must be specified when protocol is set to 'HTTP'");
	if (a->has_http && !gws_manifest__str_eq(a->protocol, "HTTP"))
		gws_manifest__v_error(v, NULL, "protocol must be 'HTTP' when http is set");
	b = gws_manifest__v_push(v, "backendRef");
	gws_manifest__v_backend_object_ref(v, &a->backend_ref);
	gws_manifest__v_pop(v, b);
	gws_manifest__v_pop(v, mark);
}

/* ---- one filter and the list ---- */

typedef struct {
	const char *type;   /* the filter type that owns the member */
	const char *member; /* its JSON name */
	bool grpc;          /* also a GRPCRouteFilter member */
} member_rule;

static const member_rule member_rules[] = {
        {"RequestHeaderModifier", "requestHeaderModifier", true},
        {"ResponseHeaderModifier", "responseHeaderModifier", true},
        {"RequestMirror", "requestMirror", true},
        {"RequestRedirect", "requestRedirect", false},
        {"URLRewrite", "urlRewrite", false},
        {"ExtensionRef", "extensionRef", true},
        {"CORS", "cors", false},
        {"ExternalAuth", "externalAuth", false},
};

static bool member_present(const gws_mf_filter *f, size_t rule)
{
	const void *members[] = {f->request_header_modifier,
	                         f->response_header_modifier,
	                         f->request_mirror,
	                         f->request_redirect,
	                         f->url_rewrite,
	                         f->extension_ref,
	                         f->cors,
	                         f->external_auth};

	return members[rule] != NULL;
}

static void v_filter(gws_manifest__vctx *v, const gws_mf_filter *f, bool grpc)
{
	size_t r;

	if (!gws_manifest__v_required(v, "type", f->type != NULL) ||
	    !gws_manifest__v_enum(v, "type", f->type, grpc ? grpc_filter_types : http_filter_types))
		return;
	for (r = 0; r < GWS_ARRAY_SIZE(member_rules); r++) {
		const member_rule *m = &member_rules[r];
		bool present = member_present(f, r), typed = gws_manifest__str_eq(f->type, m->type);

		if (grpc && !m->grpc)
			continue;
		if (present && !typed)
			gws_manifest__v_error(v, NULL,
			                      "filter.%s must be nil if the filter.type is not %s",
			                      m->member, m->type);
		if (!present && typed)
			gws_manifest__v_error(v, NULL,
			                      "filter.%s must be specified for %s filter.type",
			                      m->member, m->type);
	}
	if (f->request_header_modifier)
		v_header_modifier(v, "requestHeaderModifier", f->request_header_modifier);
	if (f->response_header_modifier)
		v_header_modifier(v, "responseHeaderModifier", f->response_header_modifier);
	if (f->request_mirror)
		v_mirror(v, f->request_mirror);
	if (f->extension_ref)
		v_extension_ref(v, f->extension_ref);
	if (grpc)
		return;
	if (f->request_redirect)
		v_redirect(v, f->request_redirect);
	if (f->url_rewrite)
		v_rewrite(v, f->url_rewrite);
	if (f->cors)
		v_cors(v, f->cors);
	if (f->external_auth)
		v_external_auth(v, f->external_auth);
}

static size_t count_type(const gws_mf_filter *filters, size_t n, const char *type)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += gws_manifest__str_eq(filters[i].type, type);
	return count;
}

void gws_manifest__v_filters(gws_manifest__vctx *v, const gws_mf_filter *filters, size_t n,
                             bool grpc)
{
	static const char *const http_unique[] = {"CORS", "RequestHeaderModifier",
	                                          "ResponseHeaderModifier", "RequestRedirect",
	                                          "URLRewrite"};
	static const char *const grpc_unique[] = {"RequestHeaderModifier",
	                                          "ResponseHeaderModifier"};
	const char *const *unique = grpc ? grpc_unique : http_unique;
	size_t n_unique = grpc ? GWS_ARRAY_SIZE(grpc_unique) : GWS_ARRAY_SIZE(http_unique);
	size_t i;

	size_t n_filters = gws_manifest__v_items(v, "filters", n, 0, 16);
	for (i = 0; i < n_filters; i++) {
		size_t mark = gws_manifest__v_push_index(v, "filters", i);

		v_filter(v, &filters[i], grpc);
		gws_manifest__v_pop(v, mark);
	}
	for (i = 0; i < n_unique; i++)
		if (count_type(filters, n, unique[i]) > 1)
			gws_manifest__v_error(v, "filters", "%s filter cannot be repeated",
			                      unique[i]);
	if (!grpc && count_type(filters, n, "RequestRedirect") > 0 &&
	    count_type(filters, n, "URLRewrite") > 0)
		gws_manifest__v_error(v, "filters",
		                      "May specify either httpRouteFilterRequestRedirect or "
		                      "httpRouteFilterRequestRewrite, but not both");
}
