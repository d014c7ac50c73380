/*
 * Conditions, transforms and the precedence key of one ALB rule candidate
 * ("unit": route rule x match x hostname), docs/lbc-mapping.md "Conditions".
 *
 * Condition order is LBC's: host-header, path-pattern, http-header per
 * header, query-string per query param, http-request-method, source-ip from
 * the ListenerRuleConfiguration. Our differences, each a correction:
 *  - a GRPCRoute header match of type RegularExpression is sent as
 *    RegexValues (LBC sends the regex as a literal value), and a
 *    GRPCRoute method match of type RegularExpression as an anchored path
 *    regex (LBC sends a glob);
 *  - a query param match of type RegularExpression makes the rule
 *    unsupported (ALB has no regex for query strings; LBC matches the
 *    pattern literally), and '*' / '?' in Exact query values are escaped
 *    with '\' so ALB matches them literally (LBC does not); header values keep
 *    '*' and '?' as ALB wildcards, as LBC does, since ALB documents no
 *    escape for them (a literal one needs a RegularExpression match);
 *  - a unit that would have no condition at all (no hostname, a rule
 *    without matches) gets path-pattern "/" + "*": ALB requires one;
 *  - ALB's per-rule quotas are checked here, before any AWS call: at most
 *    5 condition values, 5 wildcards and one source-ip condition per rule.
 *    ALB's quota table says 6 wildcards and its condition docs say 5; we
 *    use 5 so what we accept, AWS accepts.
 */
#include "model/alb.h"

#include <string.h>

typedef struct {
	gws_model_ctx *ctx;
	gws_alb_unit *unit;
	gws_model_condition *items;
	size_t n;
	size_t cap;
	size_t values;
	size_t wildcards;
	size_t source_ips;
} cond_list;

static gws_model_condition *cond_add(cond_list *l, gws_model_condition_field field)
{
	gws_model_condition *c;

	if (l->n >= l->cap)
		return NULL; /* cannot happen: cap is computed from the inputs */
	c = &l->items[l->n++];
	c->field = field;
	return c;
}

static int strs_copy(cond_list *l, gws_model_strs *out, const gws_alb_strings *in, bool glob)
{
	out->items = gws_arena_calloc(l->ctx->arena, in->n ? in->n : 1, sizeof(*out->items));
	if (out->items == NULL)
		return GWS_ENOMEM;
	for (size_t i = 0; i < in->n; i++) {
		out->items[i] = in->items[i];
		if (glob)
			l->wildcards += gws_model__alb_count_wildcards(in->items[i]);
	}
	out->n = in->n;
	l->values += in->n;
	return 0;
}

static int strs_one(cond_list *l, gws_model_strs *out, const char *value, bool glob)
{
	gws_alb_strings one = {&value, 1};

	if (value == NULL)
		return GWS_ENOMEM;
	return strs_copy(l, out, &one, glob);
}

static char *field_path(gws_model_ctx *ctx, const gws_alb_unit *u, const char *what, size_t i)
{
	if (u->match_index == GWS_ALB_NO_MATCH)
		return gws_model__printf(ctx, "spec.rules[%zu]", u->plan->rule_index);
	if (what == NULL)
		return gws_model__printf(ctx, "spec.rules[%zu].matches[%zu]", u->plan->rule_index,
		                         u->match_index);
	if (i == SIZE_MAX)
		return gws_model__printf(ctx, "spec.rules[%zu].matches[%zu].%s",
		                         u->plan->rule_index, u->match_index, what);
	return gws_model__printf(ctx, "spec.rules[%zu].matches[%zu].%s[%zu]", u->plan->rule_index,
	                         u->match_index, what, i);
}

/* A problem with a value: the error slot holds the message. */
static int value_problem(cond_list *l, const char *what, size_t i)
{
	gws_alb_unit *u = l->unit;

	return gws_model__alb_plan_problem(l->ctx, u->plan, GWS_REASON_UNSUPPORTED_VALUE,
	                                   field_path(l->ctx, u, what, i), "%s", gws_error_last());
}

static int add_host(cond_list *l)
{
	gws_model_condition *c;

	if (l->unit->hostname[0] == '\0')
		return 0;
	c = cond_add(l, GWS_MODEL_COND_HOST_HEADER);
	return strs_one(l, &c->values, l->unit->hostname, true);
}

static int add_header(cond_list *l, const gws_mf_value_match *h, size_t i)
{
	gws_model_condition *c = cond_add(l, GWS_MODEL_COND_HTTP_HEADER);
	const char *type = h->type ? h->type : "Exact";
	gws_alb_strings vals;
	int error;

	c->http_header_name = h->name;
	if (strcmp(type, "RegularExpression") == 0)
		return strs_one(l, &c->regex_values, h->value ? h->value : "", false);
	if (strcmp(type, "Exact") != 0) {
		gws_error_set(GWS_EINVALID, "unsupported header match type \"%s\"", type);
		return value_problem(l, "headers", i);
	}
	if ((error = gws_model__alb_split_header_value(&vals, l->ctx->arena, h->value)) < 0)
		return error;
	return strs_copy(l, &c->values, &vals, true);
}

/* '*' and '?' are ALB wildcards in query strings unless escaped with '\'. */
static const char *query_escape(gws_arena *arena, const char *s)
{
	size_t len = strlen(s), extra = 0;
	char *out, *w;

	for (size_t i = 0; i < len; i++)
		extra += s[i] == '*' || s[i] == '?';
	if (extra == 0)
		return s;
	if ((out = gws_arena_alloc(arena, len + extra + 1)) == NULL)
		return NULL;
	w = out;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '*' || s[i] == '?')
			*w++ = '\\';
		*w++ = s[i];
	}
	*w = '\0';
	return out;
}

static int add_query(cond_list *l, const gws_mf_value_match *q, size_t i)
{
	const char *type = q->type ? q->type : "Exact";
	gws_model_condition *c;

	if (strcmp(type, "Exact") != 0) {
		gws_error_set(GWS_EINVALID,
		              "query param match type \"%s\" is not supported by ALB (Exact only)",
		              type);
		return value_problem(l, "queryParams", i);
	}
	c = cond_add(l, GWS_MODEL_COND_QUERY_STRING);
	c->query_values = gws_arena_calloc(l->ctx->arena, 1, sizeof(*c->query_values));
	if (c->query_values == NULL)
		return GWS_ENOMEM;
	c->n_query_values = 1;
	c->query_values[0].key = query_escape(l->ctx->arena, q->name ? q->name : "");
	c->query_values[0].value = query_escape(l->ctx->arena, q->value ? q->value : "");
	if (!c->query_values[0].key || !c->query_values[0].value)
		return GWS_ENOMEM;
	l->values++;
	return 0;
}

static int add_path(cond_list *l, const gws_mf_path_match *path)
{
	gws_model_condition *c;
	gws_alb_strings vals;
	bool regex;
	int error;

	error = gws_model__alb_path_values(&vals, &regex, l->ctx->arena, path->type, path->value);
	if (error == GWS_EINVALID)
		return value_problem(l, "path", SIZE_MAX);
	if (error < 0)
		return error;
	c = cond_add(l, GWS_MODEL_COND_PATH_PATTERN);
	return strs_copy(l, regex ? &c->regex_values : &c->values, &vals, !regex);
}

static int add_method(cond_list *l, const char *method)
{
	gws_model_condition *c = cond_add(l, GWS_MODEL_COND_HTTP_REQUEST_METHOD);

	return strs_one(l, &c->values, method, false);
}

static bool lrc_condition_applies(const gws_mf_lrc_condition *c, size_t match_index)
{
	if (c->field == NULL || strcmp(c->field, "source-ip") != 0 || !c->has_source_ip_config)
		return false;
	if (!c->has_match_indexes)
		return true;
	for (size_t i = 0; i < c->n_match_indexes; i++)
		if (match_index != GWS_ALB_NO_MATCH && c->match_indexes[i] >= 0 &&
		    (size_t)c->match_indexes[i] == match_index)
			return true;
	return false;
}

static int add_source_ips(cond_list *l)
{
	const gws_mf_lrc_config *lrc = l->unit->plan->lrc;
	gws_model_condition *c;
	int error;

	if (lrc == NULL)
		return 0;
	for (size_t i = 0; i < lrc->n_conditions; i++) {
		const gws_mf_lrc_condition *src = &lrc->conditions[i];
		gws_alb_strings vals = {src->source_ip_values, src->n_source_ip_values};
		if (!lrc_condition_applies(src, l->unit->match_index))
			continue;
		c = cond_add(l, GWS_MODEL_COND_SOURCE_IP);
		if ((error = strs_copy(l, &c->values, &vals, false)) < 0)
			return error;
		l->source_ips++;
	}
	return 0;
}

static int add_grpc_method(cond_list *l, const gws_mf_grpc_method_match *m)
{
	gws_model_condition *c = cond_add(l, GWS_MODEL_COND_PATH_PATTERN);
	const char *type = m && m->type ? m->type : "Exact";
	const char *path;
	int error;

	if (m == NULL)
		return strs_one(l, &c->values, "/*", true);
	if (strcmp(type, "RegularExpression") == 0) {
		/* An alternation must not swallow the anchors or the '/': group it. */
		const char *svc = m->service ? m->service : "[^/]+";
		const char *meth = m->method ? m->method : "[^/]+";
		bool gs = strchr(svc, '|') != NULL, gm = strchr(meth, '|') != NULL;
		path = gws_arena_printf(l->ctx->arena, "^/%s%s%s/%s%s%s$", gs ? "(" : "", svc,
		                        gs ? ")" : "", gm ? "(" : "", meth, gm ? ")" : "");
		return strs_one(l, &c->regex_values, path, false);
	}
	if (strcmp(type, "Exact") != 0) {
		gws_error_set(GWS_EINVALID, "unsupported gRPC method match type \"%s\"", type);
		return value_problem(l, "method", SIZE_MAX);
	}
	error = gws_model__alb_grpc_path(&path, l->ctx->arena, m->service, m->method);
	if (error == GWS_EINVALID)
		return value_problem(l, "method", SIZE_MAX);
	if (error < 0)
		return error;
	return strs_one(l, &c->values, path, true);
}

/* ---- precedence key ---- */

static int path_rank(const char *type)
{
	if (type == NULL || strcmp(type, "PathPrefix") == 0)
		return GWS_ALB_PATH_PREFIX;
	if (strcmp(type, "Exact") == 0)
		return GWS_ALB_PATH_EXACT;
	if (strcmp(type, "RegularExpression") == 0)
		return GWS_ALB_PATH_REGEX;
	return GWS_ALB_PATH_NONE;
}

static int fill_key(gws_model_ctx *ctx, gws_alb_unit *u, const gws_mf_http_match *hm,
                    const gws_mf_grpc_match *gm)
{
	const gws_manifest_object *route = u->plan->route;
	gws_alb_prec_key *k = &u->key;

	memset(k, 0, sizeof(*k));
	k->hostname = u->hostname;
	k->route_key = gws_model__printf(ctx, "%s/%s",
	                                 route->meta.namespace_ ? route->meta.namespace_ : "",
	                                 route->meta.name ? route->meta.name : "");
	k->route_kind = gws_manifest_kind_name(route->kind);
	k->rule_index = u->plan->rule_index;
	k->match_index = u->match_index;
	if (route->meta.creation_timestamp &&
	    gws_model__alb_parse_timestamp(&k->created_ms, route->meta.creation_timestamp) == 0)
		k->has_created = true;
	if (hm) {
		if (hm->path) {
			k->path_type = path_rank(hm->path->type);
			k->path_len = hm->path->value ? strlen(hm->path->value) : 0;
		}
		k->has_method = hm->method != NULL;
		k->header_count = hm->n_headers;
		k->query_count = hm->n_query_params;
	}
	if (gm) {
		const gws_mf_grpc_method_match *m = gm->method;
		if (m) {
			const char *type = m->type ? m->type : "Exact";
			k->path_type = strcmp(type, "Exact") == 0               ? GWS_ALB_PATH_EXACT
			               : strcmp(type, "RegularExpression") == 0 ? GWS_ALB_PATH_REGEX
			                                                        : GWS_ALB_PATH_NONE;
			k->path_len = m->service ? strlen(m->service) : 0;
			k->secondary_len = m->method ? strlen(m->method) : 0;
		}
		k->header_count = gm->n_headers;
	}
	gws_error_clear();
	return k->route_key ? 0 : GWS_ENOMEM;
}

/* ---- transforms ---- */

static int add_transform(gws_model_ctx *ctx, gws_alb_unit *u, gws_model_transform_type type,
                         const gws_alb_rewrite *rw)
{
	gws_model_transform *t;

	for (size_t i = 0; i < u->n_transforms; i++)
		if (u->transforms[i].type == type)
			return gws_model__alb_plan_problem(
			        ctx, u->plan, GWS_REASON_INCOMPATIBLE_FILTERS,
			        gws_model__printf(ctx, "spec.rules[%zu].filters",
			                          u->plan->rule_index),
			        "two filters rewrite the %s; ALB allows one %s transform per rule",
			        type == GWS_MODEL_TRANSFORM_URL_REWRITE ? "path" : "hostname",
			        gws_model_transform_type_name(type));
	t = &u->transforms[u->n_transforms++];
	t->type = type;
	t->rewrites = gws_arena_calloc(ctx->arena, 1, sizeof(*t->rewrites));
	if (t->rewrites == NULL)
		return GWS_ENOMEM;
	t->rewrites[0].regex = rw->regex;
	t->rewrites[0].replace = rw->replace;
	t->n_rewrites = 1;
	return 0;
}

static int prefix_transform(gws_model_ctx *ctx, gws_alb_unit *u, const gws_mf_http_match *hm,
                            const char *replacement, size_t filter_index)
{
	gws_alb_rewrite rw;
	int error;

	if (hm == NULL || hm->path == NULL || path_rank(hm->path->type) != GWS_ALB_PATH_PREFIX)
		return gws_model__alb_plan_problem(
		        ctx, u->plan, GWS_REASON_UNSUPPORTED_VALUE,
		        gws_model__printf(ctx, "spec.rules[%zu].filters[%zu]", u->plan->rule_index,
		                          filter_index),
		        "ReplacePrefixMatch needs a PathPrefix match");
	if ((error = gws_model__alb_prefix_rewrite(&rw, ctx->arena, hm->path->value, replacement)) <
	    0)
		return error;
	return add_transform(ctx, u, GWS_MODEL_TRANSFORM_URL_REWRITE, &rw);
}

/* URL rewrites first, then host rewrites, the order LBC sends them in (the
 * two rewrite different parts of the request, so the order changes nothing
 * at ALB, and the reconciler compares transforms sorted). */
static int build_transforms(gws_model_ctx *ctx, gws_alb_unit *u, const gws_mf_http_match *hm)
{
	const gws_alb_plan *p = u->plan;
	gws_alb_rewrite rw;
	int error;

	u->transforms = gws_arena_calloc(ctx->arena, 2 * p->n_filters + 1, sizeof(*u->transforms));
	if (u->transforms == NULL)
		return GWS_ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t j = 0; j < p->n_filters; j++) {
			const gws_mf_filter *f = &p->filters[j];
			const gws_mf_url_rewrite *ur = f->type && strcmp(f->type, "URLRewrite") == 0
			                                       ? f->url_rewrite
			                                       : NULL;
			if (pass == 1 && ur && ur->hostname) {
				gws_model__alb_host_rewrite(&rw, ur->hostname);
				error = add_transform(ctx, u,
				                      GWS_MODEL_TRANSFORM_HOST_HEADER_REWRITE, &rw);
			} else if (pass == 0 && ur && ur->path && ur->path->type &&
			           strcmp(ur->path->type, "ReplaceFullPath") == 0) {
				gws_model__alb_full_path_rewrite(&rw, ur->path->replace_full_path);
				error = add_transform(ctx, u, GWS_MODEL_TRANSFORM_URL_REWRITE, &rw);
			} else if (pass == 0 && ur && ur->path && ur->path->type &&
			           strcmp(ur->path->type, "ReplacePrefixMatch") == 0) {
				error = prefix_transform(ctx, u, hm, ur->path->replace_prefix_match,
				                         j);
			} else if (pass == 0 && f->request_redirect == p->redirect && p->redirect &&
			           p->redirect->path && p->redirect->path->type &&
			           strcmp(p->redirect->path->type, "ReplacePrefixMatch") == 0) {
				error = prefix_transform(
				        ctx, u, hm, p->redirect->path->replace_prefix_match, j);
			} else {
				error = 0;
			}
			if (error < 0)
				return error;
		}
	}
	return 0;
}

/* ---- the unit ---- */

static int check_quotas(cond_list *l)
{
	gws_alb_unit *u = l->unit;
	const char *host = u->hostname[0] ? u->hostname : NULL;

	if (l->source_ips > 1)
		return gws_model__alb_plan_problem(
		        l->ctx, u->plan, GWS_REASON_UNSUPPORTED_VALUE,
		        field_path(l->ctx, u, NULL, 0),
		        "ListenerRuleConfiguration %s gives %zu source-ip conditions to this "
		        "match; "
		        "ALB allows one per rule",
		        u->plan->lrc_object ? u->plan->lrc_object->meta.name : "", l->source_ips);
	if (l->values > GWS_ALB_MAX_CONDITION_VALUES)
		return gws_model__alb_plan_problem(
		        l->ctx, u->plan, GWS_REASON_UNSUPPORTED_VALUE,
		        field_path(l->ctx, u, NULL, 0),
		        "the ALB rule%s%s%s needs %zu condition values; ALB allows %d per rule",
		        host ? " for hostname \"" : "", host ? host : "", host ? "\"" : "",
		        l->values, GWS_ALB_MAX_CONDITION_VALUES);
	if (l->wildcards > GWS_ALB_MAX_WILDCARDS)
		return gws_model__alb_plan_problem(l->ctx, u->plan, GWS_REASON_UNSUPPORTED_VALUE,
		                                   field_path(l->ctx, u, NULL, 0),
		                                   "the ALB rule%s%s%s needs %zu wildcards ('*' or "
		                                   "'?'); ALB allows %d per rule",
		                                   host ? " for hostname \"" : "", host ? host : "",
		                                   host ? "\"" : "", l->wildcards,
		                                   GWS_ALB_MAX_WILDCARDS);
	return 0;
}

/*
 * The unit's conditions, gathered in `l` (a heap array of the most there can
 * be) and then kept in the arena at their exact number: most units have two
 * of the four or more the bound allows, and there is a unit per route, rule,
 * match, hostname and listener.
 */
static int build_conditions(gws_model_ctx *ctx, gws_alb_unit *u, cond_list *l,
                            const gws_mf_http_match **out_hm);

int gws_model__alb_unit_build(gws_model_ctx *ctx, gws_alb_unit *u)
{
	const gws_mf_http_match *hm = NULL;
	cond_list l;
	int error;

	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	l.unit = u;
	u->built = false;
	error = build_conditions(ctx, u, &l, &hm);
	if (error == 0 && l.n &&
	    !(u->conditions = gws_arena_alloc(ctx->arena, l.n * sizeof(*l.items))))
		error = GWS_ENOMEM;
	if (error == 0) {
		if (l.n)
			memcpy(u->conditions, l.items, l.n * sizeof(*l.items));
		u->n_conditions = l.n;
		u->built = true;
	}
	gws_free(l.items);
	if (error < 0)
		return error;
	/* A transform problem makes the route rule unsupported, but the unit's
	 * conditions stand: its ALB rule then answers 500 (alb_rules.c). */
	return u->plan->grpc ? 0 : build_transforms(ctx, u, hm);
}

static int build_conditions(gws_model_ctx *ctx, gws_alb_unit *u, cond_list *l,
                            const gws_mf_http_match **out_hm)
{
	const gws_alb_plan *p = u->plan;
	const gws_mf_http_match *hm = NULL;
	const gws_mf_grpc_match *gm = NULL;
	size_t cap = 4;
	int error;

	if (p->grpc) {
		const gws_mf_grpc_rule *r = &p->route->spec.grpc_route->rules[p->rule_index];
		if (u->match_index != GWS_ALB_NO_MATCH)
			gm = &r->matches[u->match_index];
		cap += gm ? gm->n_headers : 0;
	} else {
		const gws_mf_http_rule *r = &p->route->spec.http_route->rules[p->rule_index];
		if (u->match_index != GWS_ALB_NO_MATCH)
			hm = *out_hm = &r->matches[u->match_index];
		cap += hm ? hm->n_headers + hm->n_query_params : 0;
	}
	cap += p->lrc ? p->lrc->n_conditions : 0;
	if ((error = fill_key(ctx, u, hm, gm)) < 0)
		return error;
	if ((l->items = gws_calloc(cap, sizeof(*l->items))) == NULL)
		return GWS_ENOMEM;
	l->cap = cap;

	if ((error = add_host(l)) < 0)
		return error;
	if (p->grpc) {
		if ((error = add_grpc_method(l, gm ? gm->method : NULL)) < 0)
			return error;
		for (size_t i = 0; gm && i < gm->n_headers; i++)
			if ((error = add_header(l, &gm->headers[i], i)) < 0)
				return error;
	} else if (hm) {
		if (hm->path && (error = add_path(l, hm->path)) < 0)
			return error;
		for (size_t i = 0; i < hm->n_headers; i++)
			if ((error = add_header(l, &hm->headers[i], i)) < 0)
				return error;
		for (size_t i = 0; i < hm->n_query_params; i++)
			if ((error = add_query(l, &hm->query_params[i], i)) < 0)
				return error;
		if (hm->method && (error = add_method(l, hm->method)) < 0)
			return error;
	}
	if ((error = add_source_ips(l)) < 0)
		return error;
	if (l->n == 0) {
		gws_model_condition *c = cond_add(l, GWS_MODEL_COND_PATH_PATTERN);
		if ((error = strs_one(l, &c->values, "/*", true)) < 0)
			return error;
	}
	/* a quota problem is recorded in the plan; the conditions stand */
	return (error = check_quotas(l)) < 0 ? error : 0;
}
