/*
 * The model knows everything about a Gateway's status except what only AWS
 * can say: whether its load balancer is programmed, and its DNS name. This
 * lays the sync's result for each Gateway over the model's status, once, for
 * the status files and SUMMARY.md alike.
 */
#include "report/internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const programmed_true[] = {"Programmed", NULL};
static const char *const programmed_false[] = {"Invalid", "Pending", "NoResources",
                                               "AddressNotAssigned", NULL};
static const char *const programmed_unknown[] = {"Pending", NULL};

static bool listed(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static const char *status_word(gws_report_tristate t)
{
	return t == GWS_REPORT_TRUE ? "True" : t == GWS_REPORT_FALSE ? "False" : "Unknown";
}

/* A text from outside: secrets replaced, valid UTF-8, capped. */
static const char *outside_text(gws_report__ctx *ctx, const char *s, size_t max)
{
	gws_buf b = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	const char *clean = NULL;
	if (gws_buf_puts(&b, s ? s : "") == 0 && gws_secret_scrub(&b) == 0)
		clean = gws_report__clean(ctx->arena, gws_buf_cstr(&b), max);
	gws_buf_dispose(&b);
	return clean;
}

static gws_model_status_condition *find(gws_model_conditions *c, const char *type)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].type, type) == 0)
			return &c->items[i];
	return NULL;
}

/* The Gateway's Programmed condition from the result (only where the model left
 * it Unknown: a Gateway the model rejects stays False). */
static int gateway_programmed(gws_report__ctx *ctx, gws_report__gateway *g)
{
	const gws_report_gateway_result *r = g->result;
	gws_model_status_condition *c = find(&g->conditions, "Programmed");
	const char *const *allowed;
	const char *fallback, *message;

	if (!c || strcmp(c->status, "Unknown") != 0)
		return 0;
	switch (r->programmed) {
	case GWS_REPORT_TRUE:
		allowed = programmed_true;
		fallback = "Programmed";
		message = "The load balancer is active.";
		break;
	case GWS_REPORT_FALSE:
		allowed = programmed_false;
		fallback = "Invalid";
		message = "The load balancer could not be programmed.";
		break;
	default:
		allowed = programmed_unknown;
		fallback = "Pending";
		message = c->message;
		break;
	}
	c->status = status_word(r->programmed);
	c->reason = listed(allowed, r->reason) ? r->reason : fallback;
	if (r->message && *r->message)
		message = r->message;
	c->message = outside_text(ctx, message, GWS_REPORT_CAP_MESSAGE);
	return c->message ? 0 : GWS_ENOMEM;
}

/* A valid listener (Programmed Unknown in the model) follows its Gateway. */
static void listener_programmed(const gws_model_status_condition *gw, gws_model_conditions *lc)
{
	gws_model_status_condition *c = find(lc, "Programmed");

	if (!c || !gw || strcmp(c->status, "Unknown") != 0 || strcmp(gw->status, "Unknown") == 0)
		return;
	c->status = gw->status;
	if (strcmp(gw->status, "True") == 0) {
		c->reason = "Programmed";
		c->message = "Listener is programmed.";
	} else {
		c->reason = strcmp(gw->reason, "Pending") == 0 ? "Pending" : "Invalid";
		c->message = gw->message;
	}
}

static int result_cmp(const void *a, const void *b)
{
	const gws_report_gateway_result *const *ra = a, *const *rb = b;
	int c = strcmp((*ra)->gateway, (*rb)->gateway);
	/* Equal names keep their input order: the first one wins. */
	return c ? c : (*ra < *rb ? -1 : *ra > *rb);
}

static const gws_report_gateway_result *find_result(const gws_report_gateway_result **sorted,
                                                    size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(sorted[mid]->gateway, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(sorted[lo]->gateway, key) == 0 ? sorted[lo] : NULL;
}

int gws_report__overlay(gws_report__ctx *ctx)
{
	const gws_model *m = ctx->in->model;
	const gws_report_gateway_result **sorted = NULL;
	size_t i, j, n_sorted = 0;
	int error = 0;

	ctx->n_gateways = gws_model_gateway_status_count(m);
	ctx->gateways = gws_arena_calloc(ctx->arena, ctx->n_gateways + 1, sizeof(*ctx->gateways));
	sorted = gws_arena_calloc(ctx->arena, ctx->in->n_gateways + 1, sizeof(*sorted));
	if (!ctx->gateways || !sorted)
		return GWS_ENOMEM;
	for (i = 0; ctx->in->gateways && i < ctx->in->n_gateways; i++)
		if (ctx->in->gateways[i].gateway)
			sorted[n_sorted++] = &ctx->in->gateways[i];
	gws_qsort(sorted, n_sorted, sizeof(*sorted), result_cmp);

	ctx->n_gateways = 0;
	for (i = 0; i < gws_model_gateway_status_count(m) && !error; i++) {
		gws_report__gateway *g = &ctx->gateways[ctx->n_gateways];
		const gws_model_gateway_status *gs = gws_model_gateway_status_at(m, i);
		g->status = gs;
		g->key = gws_arena_printf(ctx->arena, "%s/%s", gs->object->meta.namespace_,
		                          gs->object->meta.name);
		if (!g->key)
			return GWS_ENOMEM;
		/* Another shard's Gateway: that shard reports it. */
		if (!gws_report__owns(ctx, g->key)) {
			memset(g, 0, sizeof(*g));
			continue;
		}
		ctx->n_gateways++;
		g->listeners =
		        gws_arena_calloc(ctx->arena, gs->n_listeners + 1, sizeof(*g->listeners));
		if (!g->key || !g->listeners)
			return GWS_ENOMEM;
		g->conditions = gs->conditions;
		for (j = 0; j < gs->n_listeners; j++)
			g->listeners[j] = gs->listeners[j].conditions;
		g->result = find_result(sorted, n_sorted, g->key);
		if (!g->result)
			continue;
		if (g->result->dns_name && *g->result->dns_name &&
		    !(g->dns_name = outside_text(ctx, g->result->dns_name, 1024)))
			return GWS_ENOMEM;
		if ((error = gateway_programmed(ctx, g)) < 0)
			break;
		for (j = 0; j < gs->n_listeners; j++)
			listener_programmed(find(&g->conditions, "Programmed"), &g->listeners[j]);
	}
	return error;
}
