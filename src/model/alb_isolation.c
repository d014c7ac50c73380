/*
 * Listener isolation on an ALB (Gateway API GatewayHTTPListenerIsolation):
 * a request goes to the routes of the most specific Gateway listener whose
 * hostname matches it (exact, then the wildcard with most labels, then no
 * hostname), never to the routes of a less specific listener on the same
 * port. ALB rules see only the Host header, so on a port where one
 * listener's hostname is also matched by a less specific one:
 *  - the rules are grouped by the listener they come from, most specific
 *    listener first (the usual precedence order inside a group);
 *  - each shadowed listener's group ends with a rule answering 404 for its
 *    hostname, so its requests that none of its routes match stop there
 *    instead of reaching the less specific listeners' rules (left out when
 *    a rule of the group already takes every request for the hostname);
 *  - a rule whose hostname a more specific listener covers entirely (a
 *    route hostname abc.foo.example.com on the *.example.com listener while
 *    a listener abc.foo.example.com exists) could never be reached and is not
 *    built, which keeps the rule count down.
 * Ports without such a pair keep the plain precedence order, one ALB rule
 * per route unit and no extra rule. See docs/model.md, "Listener isolation".
 */
#include "model/alb.h"

#include <string.h>

/* Whether the listener hostname `outer` ("" = any) matches every request
 * that hostname `h` ("" = any, "*.x" a wildcard) matches. */
static bool covers(const char *outer, const char *h)
{
	size_t lo, lh;

	if (outer[0] == '\0')
		return true;
	if (h[0] == '\0')
		return false;
	if (outer[0] != '*')
		return strcmp(outer, h) == 0;
	outer++; /* ".suffix" */
	if (h[0] == '*')
		h++;
	lo = strlen(outer);
	lh = strlen(h);
	return lh >= lo && strcmp(h + lh - lo, outer) == 0 && (lh > lo || h[0] == '.');
}

static bool accepted(gws_model_ctx *ctx, const gws_mf_listener *l)
{
	const gws_model_listener_status *st = gws_model__listener_status(ctx, l->name);

	for (size_t i = 0; st && i < st->conditions.n; i++)
		if (strcmp(st->conditions.items[i].type, GWS_COND_ACCEPTED) == 0)
			return strcmp(st->conditions.items[i].status, "True") == 0;
	return false;
}

static int iso_cmp(const void *a, const void *b)
{
	const gws_alb_iso_listener *x = a, *y = b;
	int c = gws_model__alb_hostname_cmp(x->hostname, y->hostname);

	return c ? c : strcmp(x->hostname, y->hostname);
}

int gws_model__alb_isolation_init(gws_model_ctx *ctx, const gws_model_listener *listener,
                                  gws_alb_isolation *out)
{
	const gws_mf_gateway *gw = ctx->gateway->spec.gateway;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->items = gws_arena_calloc(ctx->arena, gw->n_listeners + 1, sizeof(*out->items));
	if (out->items == NULL)
		return GWS_ENOMEM;
	for (size_t i = 0; i < gw->n_listeners; i++) {
		const gws_mf_listener *l = &gw->listeners[i];
		if (!l->port.set || l->port.value != listener->port || !l->protocol ||
		    strcmp(l->protocol, listener->protocol) != 0 || !accepted(ctx, l))
			continue;
		out->items[n].spec = l;
		out->items[n++].hostname = l->hostname ? l->hostname : "";
	}
	gws_qsort(out->items, n, sizeof(*out->items), iso_cmp);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n && !out->items[i].shadowed; j++)
			if (out->items[i].hostname[0] &&
			    strcmp(out->items[i].hostname, out->items[j].hostname) != 0 &&
			    covers(out->items[j].hostname, out->items[i].hostname))
				out->items[i].shadowed = out->active = true;
	out->n = n;
	return 0;
}

static bool attached_through(const gws_alb_unit *u, const gws_mf_listener *l)
{
	const gws_model_attachment *att = u->plan->att;

	for (size_t i = 0; i < att->n_listeners; i++)
		if (att->listeners[i] == l)
			return true;
	return false;
}

size_t gws_model__alb_isolation_tier(const gws_alb_isolation *iso, const gws_alb_unit *u)
{
	if (!iso->active)
		return 0;
	for (size_t i = 0; i < iso->n; i++)
		if (attached_through(u, iso->items[i].spec) &&
		    covers(iso->items[i].hostname, u->hostname))
			return i;
	return iso->n;
}

bool gws_model__alb_isolation_unreachable(const gws_alb_isolation *iso, const gws_alb_unit *u)
{
	for (size_t i = 0; iso->active && i < u->tier && i < iso->n; i++)
		if (covers(iso->items[i].hostname, u->hostname))
			return true;
	return false;
}

int gws_model__alb_isolation_rule(gws_model_ctx *ctx, const gws_model_listener *listener,
                                  const gws_alb_isolation *iso, size_t index, int priority,
                                  gws_model_rule **out)
{
	gws_model_rule *r = gws_arena_calloc(ctx->arena, 1, sizeof(*r));
	gws_model_condition *c = gws_arena_calloc(ctx->arena, 1, sizeof(*c));
	gws_model_action *a = gws_arena_calloc(ctx->arena, 1, sizeof(*a));
	const char **host = gws_arena_calloc(ctx->arena, 1, sizeof(*host));

	*out = r;
	if (!r || !c || !a || !host ||
	    !(a->fixed_response = gws_arena_calloc(ctx->arena, 1, sizeof(*a->fixed_response))) ||
	    !(r->id = gws_model__printf(ctx, "%d:%d", listener->port, priority)))
		return GWS_ENOMEM;
	host[0] = iso->items[index].hostname;
	c->field = GWS_MODEL_COND_HOST_HEADER;
	c->values.items = host;
	c->values.n = 1;
	a->type = GWS_MODEL_ACTION_FIXED_RESPONSE;
	a->order = 1;
	a->fixed_response->status_code = "404";
	a->fixed_response->content_type = "text/plain";
	r->priority = priority;
	r->conditions = c;
	r->n_conditions = 1;
	r->actions = a;
	r->n_actions = 1;
	r->rule_index = -1;
	r->match_index = -1;
	return gws_model__resource_tags(ctx, &r->tags, r->id, NULL, 0);
}
