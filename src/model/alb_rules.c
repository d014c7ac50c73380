/*
 * ALB listener rules of one listener port (docs/lbc-mapping.md).
 *
 * Every attached HTTPRoute and GRPCRoute rule is split into units (one per
 * match x hostname; a rule without matches gives one unit per hostname, a
 * route without hostnames one catch-all unit ""). All units of the port are
 * sorted by one comparator (alb_precedence.c) and numbered 1..n; a rule's
 * id is "<port>:<priority>". Where a listener of the port is shadowed by a
 * less specific one, the units are first grouped by listener and 404 rules
 * keep each listener's requests to its own routes (alb_isolation.c).
 *
 * Status. A route rule ALB cannot do as written (alb_actions.c) keeps its
 * matches but answers 500. Gateway API (route status rules) says a route
 * with at least one implemented rule MUST be Accepted, and that dropped rules
 * are reported by PartiallyInvalid=True with a message starting "Dropped
 * Rule". So, per route parent on this port: some rules fine → Accepted stays
 * True and PartiallyInvalid=True/UnsupportedValue; no rule fine →
 * Accepted=False with the first problem's reason (UnsupportedValue or
 * IncompatibleFilters). Each problem also becomes a warning diagnostic
 * positioned on the offending field.
 */
#include "model/alb.h"

#include <string.h>

static int unit_cmp(const void *a, const void *b)
{
	const gws_alb_unit *ua = a, *ub = b;

	if (ua->tier != ub->tier)
		return ua->tier < ub->tier ? -1 : 1;
	return gws_model__alb_prec_cmp(&ua->key, &ub->key);
}

static int plan_for(gws_model_ctx *ctx, const gws_model_listener *listener,
                    const gws_model_attachment *att, size_t ri, gws_alb_plan **out)
{
	gws_alb_plan *p = gws_arena_calloc(ctx->arena, 1, sizeof(*p));
	int error;

	if (p == NULL)
		return GWS_ENOMEM;
	p->att = att;
	p->route = att->route;
	p->grpc = att->route->kind == GWS_KIND_GRPC_ROUTE;
	p->rule_index = ri;
	if (p->grpc) {
		const gws_mf_grpc_rule *r = &att->route->spec.grpc_route->rules[ri];
		p->filters = r->filters;
		p->n_filters = r->n_filters;
		p->backends = r->backend_refs;
		p->n_backends = r->n_backend_refs;
	} else {
		const gws_mf_http_rule *r = &att->route->spec.http_route->rules[ri];
		p->filters = r->filters;
		p->n_filters = r->n_filters;
		p->backends = r->backend_refs;
		p->n_backends = r->n_backend_refs;
	}
	error = gws_model__alb_plan_check(ctx, listener, p);
	*out = p;
	return error == GWS_EINVALID ? 0 : error;
}

static size_t route_rule_count(const gws_manifest_object *route)
{
	return route->kind == GWS_KIND_GRPC_ROUTE ? route->spec.grpc_route->n_rules
	                                          : route->spec.http_route->n_rules;
}

static size_t rule_match_count(const gws_alb_plan *p)
{
	return p->grpc ? p->route->spec.grpc_route->rules[p->rule_index].n_matches
	               : p->route->spec.http_route->rules[p->rule_index].n_matches;
}

static int add_units(gws_model_ctx *ctx, gws_alb_plan *p, gws_vec *units)
{
	const gws_model_strs *hosts = &p->att->hostnames;
	size_t n_matches = rule_match_count(p), n_hosts = hosts->n ? hosts->n : 1;
	int error;

	for (size_t m = 0; m < (n_matches ? n_matches : 1); m++) {
		for (size_t h = 0; h < n_hosts; h++) {
			gws_alb_unit *u = gws_arena_calloc(ctx->arena, 1, sizeof(*u));
			if (u == NULL)
				return GWS_ENOMEM;
			u->plan = p;
			u->match_index = n_matches ? m : GWS_ALB_NO_MATCH;
			u->hostname = hosts->n ? hosts->items[h] : "";
			error = gws_model__alb_unit_build(ctx, u);
			if (error < 0 && error != GWS_EINVALID)
				return error;
			p->n_units++;
			if (u->built) {
				p->n_units_built++;
				if ((error = gws_vec_push(units, u)) < 0)
					return error;
			}
		}
	}
	return 0;
}

static int make_rule(gws_model_ctx *ctx, const gws_model_listener *listener, const gws_alb_unit *u,
                     int priority, gws_model_rule **out)
{
	const gws_alb_plan *p = u->plan;
	gws_model_rule *r = gws_arena_calloc(ctx->arena, 1, sizeof(*r));
	int error;

	if (r == NULL)
		return GWS_ENOMEM;
	r->priority = priority;
	r->id = gws_model__printf(ctx, "%d:%d", listener->port, priority);
	r->conditions = u->conditions;
	r->n_conditions = u->n_conditions;
	r->actions = p->actions;
	r->n_actions = p->n_actions;
	if (p->problem == NULL) {
		r->transforms = u->transforms;
		r->n_transforms = u->n_transforms;
	}
	r->route = p->route->ref;
	r->rule_index = (int)p->rule_index;
	r->match_index = u->match_index == GWS_ALB_NO_MATCH ? -1 : (int)u->match_index;
	if (r->id == NULL)
		return GWS_ENOMEM;
	error = gws_model__resource_tags(ctx, &r->tags, r->id, p->lrc ? p->lrc->tags : NULL,
	                                 p->lrc ? p->lrc->n_tags : 0);
	*out = r;
	return error;
}

/* What happens to the requests of an unsupported route rule. */
static const char *outcome(const gws_alb_plan *p)
{
	if (p->n_units_built == 0)
		return "no ALB rule is built for it";
	if (p->n_units_built < p->n_units)
		return "matches ALB cannot hold are left out, the others answer HTTP 500";
	return "its requests get HTTP 500";
}

static bool gateway_has_https(const gws_model_ctx *ctx)
{
	const gws_mf_gateway *gw = ctx->gateway ? ctx->gateway->spec.gateway : NULL;

	for (size_t i = 0; gw && i < gw->n_listeners; i++)
		if (gw->listeners[i].protocol && strcmp(gw->listeners[i].protocol, "HTTPS") == 0)
			return true;
	return false;
}

static const gws_model_status_condition *find_condition(const gws_model_route_parent_status *parent,
                                                        const char *type)
{
	for (size_t i = 0; i < parent->conditions.n; i++)
		if (strcmp(parent->conditions.items[i].type, type) == 0)
			return &parent->conditions.items[i];
	return NULL;
}

/* PartiallyInvalid=True, keeping what other ports of the same parent said. */
static void partially_invalid(gws_model_ctx *ctx, const gws_model_attachment *att, const char *msg)
{
	const gws_model_status_condition *c =
	        find_condition(att->parent, GWS_COND_PARTIALLY_INVALID);

	if (c && c->message && strstr(c->message, msg))
		return;
	if (c && c->message && strcmp(c->status, "True") == 0)
		gws_model__route_condition(ctx, NULL, att->parent, GWS_COND_PARTIALLY_INVALID,
		                           "True", GWS_REASON_UNSUPPORTED_VALUE, "%s; %s",
		                           c->message, msg);
	else
		gws_model__route_condition(ctx, NULL, att->parent, GWS_COND_PARTIALLY_INVALID,
		                           "True", GWS_REASON_UNSUPPORTED_VALUE, "Dropped Rule: %s",
		                           msg);
}

/*
 * Status for one attachment; `plans` are its plans, in rule order. Each
 * listener port is built on its own, so a route whose rules all fail on this
 * port only because it is HTTP (an authenticate action) is reported as
 * partially invalid when the Gateway has an HTTPS listener, where those rules
 * work: it is not a route nothing implements.
 */
static int report(gws_model_ctx *ctx, const gws_model_attachment *att, gws_alb_plan **plans,
                  size_t n)
{
	gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);
	const char *reason = NULL;
	size_t ok = 0, bad = 0, http_only = 0;
	int error = 0;

	for (size_t i = 0; i < n; i++) {
		const gws_alb_plan *p = plans[i];
		if (p->problem == NULL) {
			ok++;
			continue;
		}
		http_only += p->problem_http_only;
		if (bad++ == 0)
			reason = p->problem_reason;
		else if ((error = gws_buf_puts(&msg, "; ")) < 0)
			goto cleanup;
		if ((error = gws_buf_printf(&msg, "%s: %s (%s)", p->problem_field, p->problem,
		                            outcome(p))) < 0)
			goto cleanup;
		if ((error = gws_manifest_diag(ctx->diags, att->route, GWS_DIAG_WARNING,
		                               p->problem_field, "%s (%s, port %d)", p->problem,
		                               outcome(p), att->port)) < 0)
			goto cleanup;
	}
	if (bad == 0)
		goto cleanup;
	if (ok > 0 || (http_only == bad && gateway_has_https(ctx))) {
		partially_invalid(ctx, att, gws_buf_cstr(&msg));
	} else {
		const gws_model_status_condition *c =
		        find_condition(att->parent, GWS_COND_ACCEPTED);
		if (!c || !c->message || !strstr(c->message, gws_buf_cstr(&msg)))
			gws_model__route_condition(ctx, NULL, att->parent, GWS_COND_ACCEPTED,
			                           "False", reason, "%s", gws_buf_cstr(&msg));
	}
cleanup:
	gws_buf_dispose(&msg);
	return error;
}

/* Whether rule `r` takes every request for `host`: then no 404 rule is needed after it. */
static bool takes_whole_host(const gws_model_rule *r, const char *host)
{
	bool host_ok = false;

	for (size_t i = 0; i < r->n_conditions; i++) {
		const gws_model_condition *c = &r->conditions[i];
		if (c->field == GWS_MODEL_COND_HOST_HEADER && c->values.n == 1 &&
		    c->regex_values.n == 0 && strcmp(c->values.items[0], host) == 0)
			host_ok = true;
		else if (c->field != GWS_MODEL_COND_PATH_PATTERN || c->values.n != 1 ||
		         c->regex_values.n != 0 || strcmp(c->values.items[0], "/*") != 0)
			return false;
	}
	return host_ok;
}

/* Appends the isolation 404 rules of the shadowed listeners before `tier`;
 * `whole` says which listeners already have a rule taking their whole host. */
static int isolation_rules(gws_model_ctx *ctx, gws_model_listener *listener,
                           const gws_alb_isolation *iso, const bool *whole, size_t *next,
                           size_t tier)
{
	int error;

	for (; *next < tier && *next < iso->n; (*next)++) {
		if (!iso->items[*next].shadowed || whole[*next])
			continue;
		if ((error = gws_model__alb_isolation_rule(
		             ctx, listener, iso, *next, (int)listener->n_rules + 1,
		             &listener->rules[listener->n_rules])) < 0)
			return error;
		listener->n_rules++;
	}
	return 0;
}

int gws_model__alb_build_listener_rules(gws_model_ctx *ctx, gws_model_stack *stack,
                                        gws_model_listener *listener,
                                        const gws_model_attachment *const *attached,
                                        size_t n_attached)
{
	gws_vec plans = GWS_VEC_INIT, units = GWS_VEC_INIT;
	gws_alb_isolation iso;
	size_t next_iso = 0;
	bool *whole;
	int error = 0;

	if ((error = gws_model__alb_isolation_init(ctx, listener, &iso)) < 0)
		return error;
	if ((whole = gws_arena_calloc(ctx->arena, iso.n + 1, sizeof(*whole))) == NULL)
		return GWS_ENOMEM;

	for (size_t a = 0; a < n_attached; a++) {
		const gws_model_attachment *att = attached[a];
		size_t first = plans.len;
		if (att->route->kind != GWS_KIND_HTTP_ROUTE &&
		    att->route->kind != GWS_KIND_GRPC_ROUTE)
			continue;
		for (size_t ri = 0; ri < route_rule_count(att->route); ri++) {
			gws_alb_plan *p;
			if ((error = plan_for(ctx, listener, att, ri, &p)) < 0 ||
			    (error = gws_vec_push(&plans, p)) < 0 ||
			    (error = add_units(ctx, p, &units)) < 0)
				goto cleanup;
		}
		/* Target groups only for rules that will forward (alb_actions.c). */
		for (size_t i = first; i < plans.len; i++)
			if ((error = gws_model__alb_plan_actions(ctx, stack, listener,
			                                         plans.items[i])) < 0)
				goto cleanup;
		/* A route with `rules: []` adds no plan; plans.items may still be
		 * NULL then, and NULL + 0 is undefined behaviour. */
		if (plans.len > first &&
		    (error = report(ctx, att, (gws_alb_plan **)plans.items + first,
		                    plans.len - first)) < 0)
			goto cleanup;
	}
	for (size_t i = 0; i < units.len; i++) {
		gws_alb_unit *u = units.items[i];
		u->tier = gws_model__alb_isolation_tier(&iso, u);
	}
	if ((error = gws_vec_sort(&units, unit_cmp)) < 0)
		goto cleanup;
	listener->rules =
	        gws_arena_calloc(ctx->arena, units.len + iso.n + 1, sizeof(*listener->rules));
	if (listener->rules == NULL) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < units.len; i++) {
		const gws_alb_unit *u = units.items[i], *prev = i ? units.items[i - 1] : NULL;
		/* One route reaching the port through two parentRefs (two listeners of
		 * the port) yields the same unit twice: one ALB rule is enough. */
		if (prev && prev->plan->route == u->plan->route && unit_cmp(prev, u) == 0)
			continue;
		if (gws_model__alb_isolation_unreachable(&iso, u))
			continue;
		if (iso.active &&
		    (error = isolation_rules(ctx, listener, &iso, whole, &next_iso, u->tier)) < 0)
			goto cleanup;
		if ((error = make_rule(ctx, listener, u, (int)listener->n_rules + 1,
		                       &listener->rules[listener->n_rules])) < 0)
			goto cleanup;
		if (u->tier < iso.n && takes_whole_host(listener->rules[listener->n_rules],
		                                        iso.items[u->tier].hostname))
			whole[u->tier] = true;
		listener->n_rules++;
	}
	if (iso.active)
		error = isolation_rules(ctx, listener, &iso, whole, &next_iso, iso.n);
cleanup:
	gws_vec_dispose(&plans);
	gws_vec_dispose(&units);
	return error;
}
