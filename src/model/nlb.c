/*
 * NLB listeners (docs/lbc-mapping.md, "NLB listeners"): one per port, protocols merged
 * (TCP+UDP → TCP_UDP, QUIC upgrade), one effective route per listener, and
 * the default forward action — with LBC's weight defect fixed
 * (docs/model.md): one backend is a forward with no Weight; several are a
 * weighted forward, or a route error when weighted forwarding is switched
 * off; all weights 0 gives no listener and a condition saying why.
 */
#include "model/build.h"

#include <string.h>

/* Older creationTimestamp first (absent = newest), then "ns/name". */
static int route_age_cmp(const gws_manifest_object *a, const gws_manifest_object *b)
{
	const char *ta = a->meta.creation_timestamp, *tb = b->meta.creation_timestamp;
	int c;
	if (ta && tb && (c = strcmp(ta, tb)) != 0)
		return c;
	if (ta && !tb)
		return -1;
	if (!ta && tb)
		return 1;
	if ((c = strcmp(a->meta.namespace_, b->meta.namespace_)) != 0)
		return c;
	return strcmp(a->meta.name, b->meta.name);
}

static void port_listeners_condition(gws_model_ctx *ctx, gws_model_gwbuild *b, int port,
                                     const char *type, const char *reason, const char *msg)
{
	size_t i;
	if (!msg) {
		gws_model__note(ctx, GWS_ENOMEM);
		return;
	}
	for (i = 0; i < b->n_listeners; i++) {
		gws_model_glistener *gl = &b->listeners[i];
		if (!gl->valid || (int)gl->spec->port.value != port)
			continue;
		gws_model__set_condition(ctx, &gl->status->conditions, type, "False", reason, "%s",
		                         msg);
	}
	gws_model__note(ctx, gws_manifest_diag(ctx->diags, ctx->gateway, GWS_DIAG_WARNING,
	                                       "spec.listeners", "%s", msg));
}

static const char *merged_protocol(gws_model_gwbuild *b, int port)
{
	const char *p = NULL;
	size_t i;
	for (i = 0; i < b->n_listeners; i++) {
		gws_model_glistener *gl = &b->listeners[i];
		if (!gl->valid || (int)gl->spec->port.value != port)
			continue;
		if (!p)
			p = gl->lb_protocol;
		else if (strcmp(p, gl->lb_protocol) != 0)
			p = "TCP_UDP"; /* only TCP and UDP may share a port (attach.c) */
	}
	return p;
}

static const gws_model_attachment *effective_route(gws_model_port *port)
{
	const gws_model_attachment *best = NULL;
	size_t i;
	for (i = 0; i < port->atts.len; i++) {
		const gws_model_attachment *a = port->atts.items[i];
		if (!best || route_age_cmp(a->route, best->route) < 0)
			best = a;
	}
	return best;
}

typedef struct {
	gws_model_tg_tuple *items;
	size_t n;
	bool all_zero;
} tuples;

/* Resolves every backend of the route; false when one cannot be used. */
static int collect_tuples(gws_model_ctx *ctx, gws_model_stack *stack,
                          const gws_model_attachment *att, const gws_model_listener *lis, tuples *t,
                          bool *usable)
{
	const gws_mf_l4_route *r = att->route->spec.tcp_route;
	size_t i, j, k, total = 0;
	int error;

	*usable = true;
	t->n = 0;
	t->all_zero = true;
	for (i = 0; i < r->n_rules; i++)
		total += r->rules[i].n_backend_refs;
	t->items = gws_arena_calloc(ctx->arena, total + 1, sizeof(*t->items));
	if (!t->items)
		return GWS_ENOMEM;
	for (i = 0; i < r->n_rules; i++) {
		for (j = 0; j < r->rules[i].n_backend_refs; j++) {
			const gws_mf_backend_ref *ref = &r->rules[i].backend_refs[j];
			int w = ref->weight.set ? (int)ref->weight.value : 1;
			const char *id;
			if (!gws_model__check_weight(ctx, att, i, j, ref)) {
				*usable = false;
				continue;
			}
			error = gws_model__target_group_for_backend(ctx, stack, att, lis, i, ref,
			                                            &id);
			if (error == GWS_ENOTFOUND) {
				*usable = false;
				continue;
			}
			if (error < 0)
				return error;
			if (w != 0)
				t->all_zero = false;
			for (k = 0; k < t->n && strcmp(t->items[k].target_group_id, id) != 0; k++)
				;
			if (k < t->n) {
				/* the same target group twice: ELBv2 takes each once */
				t->items[k].weight += w;
				continue;
			}
			t->items[t->n].target_group_id = id;
			t->items[t->n].has_weight = true;
			t->items[t->n].weight = w;
			t->n++;
		}
	}
	return 0;
}

static int nlb_tls(gws_model_ctx *ctx, gws_model_gwbuild *b, gws_model_port *port,
                   gws_model_listener *lis, const gws_mf_lb_listener_config *lc, bool *ok)
{
	size_t i, n = 0;
	*ok = true;
	lis->ssl_policy = lc && lc->ssl_policy ? lc->ssl_policy : "ELBSecurityPolicy-2016-08";
	lis->alpn_policy = lc && lc->alpn_policy ? lc->alpn_policy : "None";
	if (!lc || (!lc->default_certificate && lc->n_certificates == 0))
		return gws_model__certificate_discovery(ctx, b, port, lis, ok);
	lis->certificates.items =
	        gws_arena_calloc(ctx->arena, lc->n_certificates + 1, sizeof(char *));
	if (!lis->certificates.items)
		return GWS_ENOMEM;
	if (lc->default_certificate)
		lis->certificates.items[n++] = lc->default_certificate;
	for (i = 0; i < lc->n_certificates; i++)
		lis->certificates.items[n++] = lc->certificates[i];
	lis->certificates.n = n;
	return gws_model__strs_unique(lis->certificates.items, &lis->certificates.n);
}

static void not_effective(gws_model_ctx *ctx, gws_model_port *port,
                          const gws_model_attachment *winner)
{
	size_t i;
	for (i = 0; i < port->atts.len; i++) {
		const gws_model_attachment *a = port->atts.items[i];
		if (a == winner)
			continue;
		gws_model__route_condition(
		        ctx, a->route, a->parent, GWS_COND_ACCEPTED, "True", GWS_REASON_ACCEPTED,
		        "Route is accepted, but carries no traffic on port %d: an NLB listener "
		        "forwards to one route only, and %s is older (or first by "
		        "namespace/name)",
		        port->port, winner->route->ref);
	}
}

int gws_model__build_nlb_listener(gws_model_ctx *ctx, gws_model_stack *stack, gws_model_gwbuild *b,
                                  gws_model_port *port)
{
	const gws_model_attachment *att = effective_route(port);
	const char *protocol = merged_protocol(b, port->port);
	const gws_mf_lb_listener_config *lc;
	gws_model_listener *lis;
	gws_model_action *act;
	tuples t;
	size_t keep = ctx->tgs.len;
	bool usable, tls_ok;
	int error;

	if (!att || !protocol)
		return 0;
	not_effective(ctx, port, att);
	lc = gws_model__listener_config_for(ctx->lb_config, protocol, port->port);
	lis = gws_arena_alloc(ctx->arena, sizeof(*lis));
	if (!lis)
		return GWS_ENOMEM;
	lis->port = port->port;
	lis->protocol = protocol;
	if (lc && lc->quic_enabled.set && lc->quic_enabled.value) {
		if (strcmp(protocol, "UDP") == 0)
			lis->protocol = "QUIC";
		else if (strcmp(protocol, "TCP_UDP") == 0)
			lis->protocol = "TCP_QUIC";
		else {
			port_listeners_condition(
			        ctx, b, port->port, GWS_COND_PROGRAMMED, GWS_REASON_INVALID,
			        gws_model__printf(ctx,
			                          "no listener on port %d: quicEnabled needs a UDP "
			                          "or TCP+UDP port, not %s",
			                          port->port, protocol));
			return 0;
		}
	}
	if (!(lis->id = gws_model__printf(ctx, "%d", port->port)))
		return GWS_ENOMEM;
	if (strcmp(lis->protocol, "TLS") == 0) {
		if ((error = nlb_tls(ctx, b, port, lis, lc, &tls_ok)) < 0)
			return error;
		if (!tls_ok)
			return 0;
	}
	if ((error = collect_tuples(ctx, stack, att, lis, &t, &usable)) < 0)
		return error;
	if (!usable || t.n == 0) {
		gws_model__drop_target_groups(ctx, keep);
		port_listeners_condition(
		        ctx, b, port->port, GWS_COND_PROGRAMMED, GWS_REASON_INVALID,
		        gws_model__printf(ctx,
		                          "no listener on port %d: a backendRef of %s cannot be "
		                          "used (see the route status)",
		                          port->port, att->route->ref));
		return 0;
	}
	if (t.all_zero) {
		gws_model__drop_target_groups(ctx, keep);
		gws_model__route_condition(
		        ctx, att->route, att->parent, GWS_COND_ACCEPTED, "False",
		        GWS_REASON_UNSUPPORTED_VALUE,
		        "every backendRef has weight 0, so there is nothing to forward to: no NLB "
		        "listener is created on port %d",
		        port->port);
		port_listeners_condition(
		        ctx, b, port->port, GWS_COND_PROGRAMMED, GWS_REASON_INVALID,
		        gws_model__printf(ctx,
		                          "no listener on port %d: every backendRef "
		                          "of %s has weight 0",
		                          port->port, att->route->ref));
		return 0;
	}
	if (t.n > 1) {
		bool quic = strstr(lis->protocol, "QUIC") != NULL;
		if (quic || !ctx->opts.nlb_weighted_forward) {
			/* Weight-0 backends carry nothing: without them one may remain. */
			size_t i, w = 0;
			for (i = 0; i < t.n; i++)
				if (t.items[i].weight != 0)
					t.items[w++] = t.items[i];
			t.n = w;
		}
		if (t.n > 1 && (quic || !ctx->opts.nlb_weighted_forward)) {
			gws_model__drop_target_groups(ctx, keep);
			gws_model__route_condition(
			        ctx, att->route, att->parent, GWS_COND_ACCEPTED, "False",
			        GWS_REASON_UNSUPPORTED_VALUE,
			        "%zu backendRefs with non-zero weight on port %d, but %s: use a "
			        "single backendRef (or give the others weight 0)",
			        t.n, port->port,
			        quic ? "QUIC listeners cannot forward to weighted target groups"
			             : "weighted forwarding to several target groups on NLB "
			               "listeners is disabled (--nlb-weighted-forward=false)");
			port_listeners_condition(
			        ctx, b, port->port, GWS_COND_PROGRAMMED, GWS_REASON_INVALID,
			        gws_model__printf(ctx,
			                          "no listener on port %d: %s needs a weighted "
			                          "forward, which is not available",
			                          port->port, att->route->ref));
			return 0;
		}
	}
	if (t.n == 1)
		t.items[0].has_weight = false; /* the seed's defect: never send one weight */

	act = gws_arena_alloc(ctx->arena, sizeof(*act));
	if (!act || !(act->forward = gws_arena_alloc(ctx->arena, sizeof(*act->forward))))
		return GWS_ENOMEM;
	act->type = GWS_MODEL_ACTION_FORWARD;
	act->order = 1;
	act->forward->target_groups = t.items;
	act->forward->n_target_groups = t.n;
	if (lc && lc->target_group_stickiness.set) {
		act->forward->has_stickiness = true;
		act->forward->stickiness_enabled = lc->target_group_stickiness.value;
	}
	lis->default_actions = act;
	lis->n_default_actions = 1;
	if (lc && (error = gws_model__kvs_from(ctx, &lis->attributes, lc->listener_attributes,
	                                       lc->n_listener_attributes)) < 0)
		return error;
	if ((error = gws_model__resource_tags(ctx, &lis->tags, lis->id, ctx->lb_config->tags,
	                                      ctx->lb_config->n_tags)) < 0)
		return error;
	stack->listeners[stack->n_listeners++] = lis;
	return 0;
}
