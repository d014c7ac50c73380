/*
 * SUMMARY.md: one page a reviewer reads in the Git web interface. An overview
 * table, then per Gateway its load balancer, DNS name, Programmed condition,
 * last change, listeners, rules (match and action in words), target groups,
 * problems and a Mermaid diagram. Every text that comes from a manifest or
 * from AWS goes through gws_report__md / gws_report__md_code, so no name can
 * open a code block, a link, raw HTML or a new table cell.
 */
#include "report/internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *gateway; /* "ns/name" the parent names */
	const gws_model_route_status *route;
	const gws_model_route_parent_status *parent;
} parent_ref;

typedef struct {
	const gws_report__ctx *ctx;
	gws_buf *out;
	gws_buf tmp;
	gws_vec parents; /* parent_ref *, by gateway (stable: route order within) */
	gws_vec diags;   /* const gws_diag * about a Gateway, by object */
	int error;
} page;

static void note(page *p, int error)
{
	if (error < 0 && !p->error)
		p->error = error;
}

static void raw(page *p, const char *s)
{
	if (!p->error)
		note(p, gws_buf_puts(p->out, s));
}

static void text(page *p, const char *s)
{
	if (!p->error)
		note(p, gws_report__md(p->out, s));
}

static void code(page *p, const char *s)
{
	if (!p->error)
		note(p, gws_report__md_code(p->out, s));
}

/* The scratch buffer's content as Markdown text (then cleared). */
static void tmp_text(page *p)
{
	text(p, gws_buf_cstr(&p->tmp));
	gws_buf_clear(&p->tmp);
}

static bool is_problem(const gws_model_status_condition *c)
{
	if (strcmp(c->type, "Conflicted") == 0 || strcmp(c->type, "PartiallyInvalid") == 0)
		return strcmp(c->status, "True") == 0;
	return strcmp(c->status, "False") == 0;
}

static const gws_model_status_condition *find(const gws_model_conditions *c, const char *type)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].type, type) == 0)
			return &c->items[i];
	return NULL;
}

/* "True", "False (Invalid)", "Unknown (Pending)", "—" */
static void cond_cell(page *p, const gws_model_conditions *c, const char *type)
{
	const gws_model_status_condition *k = find(c, type);
	if (!k) {
		raw(p, "\xe2\x80\x94");
		return;
	}
	text(p, k->status);
	if (strcmp(k->reason, type) != 0) {
		raw(p, " (");
		text(p, k->reason);
		raw(p, ")");
	}
}

static const char *dns_name(const page *p, const gws_report__gateway *g)
{
	const gws_report__stack *st;
	if (g->dns_name)
		return g->dns_name;
	st = gws_report__inventory_find(&p->ctx->inventory, g->key);
	for (size_t i = 0; st && i < st->n_resources; i++)
		if (strcmp(st->resources[i].kind, "LoadBalancer") == 0 && st->resources[i].dns_name)
			return st->resources[i].dns_name;
	return NULL;
}

static size_t lower(const gws_vec *v, const char *key, const char *(*key_of)(const void *))
{
	size_t lo = 0, hi = v->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(key_of(v->items[mid]), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const char *parent_key(const void *item)
{
	return ((const parent_ref *)item)->gateway;
}

static const char *diag_key(const void *item)
{
	const char *o = ((const gws_diag *)item)->object;
	return o + strlen("Gateway ");
}

static size_t gateway_problems(const page *p, const gws_report__gateway *g)
{
	const gws_model_gateway_status *gs = g->status;
	size_t n = 0, i, k;

	for (i = 0; i < g->conditions.n; i++)
		n += is_problem(&g->conditions.items[i]);
	for (i = 0; i < gs->n_listeners; i++)
		for (k = 0; k < g->listeners[i].n; k++)
			n += is_problem(&g->listeners[i].items[k]);
	for (i = lower(&p->parents, g->key, parent_key);
	     i < p->parents.len && strcmp(parent_key(p->parents.items[i]), g->key) == 0; i++) {
		const parent_ref *r = p->parents.items[i];
		for (k = 0; k < r->parent->conditions.n; k++)
			n += is_problem(&r->parent->conditions.items[k]);
	}
	for (i = lower(&p->diags, g->key, diag_key);
	     i < p->diags.len && strcmp(diag_key(p->diags.items[i]), g->key) == 0; i++)
		n++;
	return n;
}

static void last_change(page *p, const gws_report__gateway *g)
{
	const gws_report__stack *st = gws_report__inventory_find(&p->ctx->inventory, g->key);
	char commit[16];
	if (!st || !st->last.change) {
		raw(p, "none recorded");
		return;
	}
	if (st->last.commit) {
		snprintf(commit, sizeof(commit), "%.12s", st->last.commit);
		code(p, commit);
		raw(p, ": ");
	}
	text(p, st->last.change);
}

static void overview(page *p)
{
	const gws_report__ctx *ctx = p->ctx;
	size_t i;

	raw(p, "# gwsync status: cluster ");
	code(p, ctx->cluster);
	raw(p, "\n\nWritten by gwsync from the manifests and what it found in AWS; edits are "
	       "overwritten. The `status:` of each object is under `status/`, the AWS resources "
	       "gwsync owns are in `inventory.json`.\n\n");
	if (ctx->in->shard)
		raw(p, "This is one shard of a sharded run: it lists the Gateways of this shard "
		       "only; the other shards' pages are in the folders beside this one.\n\n");
	if (gws_report__owns_shared(ctx) && gws_model_gateway_class_status_count(ctx->in->model)) {
		raw(p, "| GatewayClass | Controller | Accepted |\n|---|---|---|\n");
		for (i = 0; i < gws_model_gateway_class_status_count(ctx->in->model); i++) {
			const gws_model_gateway_class_status *s =
			        gws_model_gateway_class_status_at(ctx->in->model, i);
			raw(p, "| ");
			text(p, s->object->meta.name);
			raw(p, " | ");
			code(p, s->controller_name);
			raw(p, " | ");
			cond_cell(p, &s->conditions, "Accepted");
			raw(p, " |\n");
		}
		raw(p, "\n");
	}
	if (ctx->n_gateways == 0) {
		raw(p, ctx->in->shard ? "No Gateway of the manifests falls in this shard.\n"
		                      : "No Gateway uses a GatewayClass of the ALB or NLB "
		                        "controller.\n");
		return;
	}
	raw(p, "| Gateway | Load balancer | DNS name | Programmed | Problems | Last change |\n"
	       "|---|---|---|---|---|---|\n");
	for (i = 0; i < ctx->n_gateways; i++) {
		const gws_report__gateway *g = &ctx->gateways[i];
		const gws_model_stack *s = g->status->stack;
		const char *dns = dns_name(p, g);
		raw(p, "| ");
		text(p, g->key);
		raw(p, " | ");
		if (s)
			code(p, s->load_balancer.name);
		else
			raw(p, "not built");
		raw(p, " | ");
		if (dns)
			code(p, dns);
		else
			raw(p, "\xe2\x80\x94");
		raw(p, " | ");
		cond_cell(p, &g->conditions, "Programmed");
		if (!p->error)
			note(p, gws_buf_printf(p->out, " | %zu | ", gateway_problems(p, g)));
		last_change(p, g);
		raw(p, " |\n");
	}
}

static void facts(page *p, const gws_report__gateway *g)
{
	const gws_model_stack *s = g->status->stack;
	const gws_model_status_condition *k = find(&g->conditions, "Programmed");
	const char *dns = dns_name(p, g);

	raw(p, "- Load balancer: ");
	if (s) {
		code(p, s->load_balancer.name);
		raw(p, " (");
		text(p, gws_model_lb_type_name(s->load_balancer.type));
		raw(p, ", ");
		text(p, s->load_balancer.scheme);
		raw(p, ")");
	} else {
		raw(p, "not built");
	}
	raw(p, "\n- DNS name: ");
	if (dns)
		code(p, dns);
	else
		raw(p, "not known yet");
	raw(p, "\n- Programmed: ");
	if (k) {
		cond_cell(p, &g->conditions, "Programmed");
		if (k->message && *k->message) {
			raw(p, ": ");
			text(p, k->message);
		}
	}
	raw(p, "\n- Last change: ");
	last_change(p, g);
	raw(p, "\n");
}

static void listeners(page *p, const gws_report__gateway *g)
{
	const gws_model_gateway_status *gs = g->status;
	const gws_mf_gateway *spec = gs->object->spec.gateway;

	if (gs->n_listeners == 0)
		return;
	raw(p, "\n### Listeners\n\n| Listener | Port | Protocol | Hostname | Attached routes | "
	       "Accepted | Programmed |\n|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < gs->n_listeners; i++) {
		const gws_mf_listener *l =
		        spec && i < spec->n_listeners ? &spec->listeners[i] : NULL;
		raw(p, "| ");
		text(p, gs->listeners[i].name);
		if (!p->error)
			note(p, gws_buf_printf(p->out, " | %lld | ",
			                       l && l->port.set ? (long long)l->port.value : 0LL));
		text(p, l ? l->protocol : "");
		raw(p, " | ");
		text(p, l && l->hostname ? l->hostname : "*");
		if (!p->error)
			note(p,
			     gws_buf_printf(p->out, " | %d | ", gs->listeners[i].attached_routes));
		cond_cell(p, &g->listeners[i], "Accepted");
		raw(p, " | ");
		cond_cell(p, &g->listeners[i], "Programmed");
		raw(p, " |\n");
	}
}

static void rule_row(page *p, const gws_model_stack *s, const gws_model_listener *l,
                     const gws_model_rule *r)
{
	if (!p->error)
		note(p, gws_buf_printf(&p->tmp, "%s:%d", l->protocol ? l->protocol : "", l->port));
	raw(p, "| ");
	tmp_text(p);
	raw(p, " | ");
	if (r) {
		if (!p->error)
			note(p, gws_buf_printf(p->out, "%d", r->priority));
		raw(p, " | ");
		if (!p->error)
			note(p, gws_report__describe_conditions(&p->tmp, r->conditions,
			                                        r->n_conditions));
		tmp_text(p);
		raw(p, " | ");
		if (!p->error)
			note(p, gws_report__describe_actions(&p->tmp, s, r->actions, r->n_actions));
		if (!p->error && r->n_transforms) {
			note(p, gws_buf_puts(&p->tmp, "; "));
			if (!p->error)
				note(p, gws_report__describe_transforms(&p->tmp, r->transforms,
				                                        r->n_transforms));
		}
		tmp_text(p);
		raw(p, " | ");
		if (r->route && !p->error) {
			note(p, gws_buf_puts(&p->tmp, r->route));
			if (!p->error)
				note(p, r->match_index >= 0
				                ? gws_buf_printf(&p->tmp, " rules[%d].matches[%d]",
				                                 r->rule_index, r->match_index)
				                : gws_buf_printf(&p->tmp, " rules[%d]",
				                                 r->rule_index));
			tmp_text(p);
		}
	} else {
		raw(p, "default | any request not matched above | ");
		if (!p->error)
			note(p, gws_report__describe_actions(&p->tmp, s, l->default_actions,
			                                     l->n_default_actions));
		tmp_text(p);
		raw(p, " | ");
	}
	raw(p, " |\n");
}

static void rules(page *p, const gws_model_stack *s)
{
	if (!s || s->n_listeners == 0)
		return;
	raw(p, "\n### Rules\n\n| Listener | Priority | Match | Action | Route |\n"
	       "|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->n_listeners; i++) {
		for (size_t k = 0; k < s->listeners[i]->n_rules; k++)
			rule_row(p, s, s->listeners[i], s->listeners[i]->rules[k]);
		rule_row(p, s, s->listeners[i], NULL);
	}
}

static const gws_report_target_health *find_health(const page *p, const gws_model_stack *s,
                                                   const gws_model_target_group *tg)
{
	const gws_report_input *in = p->ctx->in;

	for (size_t i = 0; i < in->n_target_health; i++) {
		const gws_report_target_health *h = &in->target_health[i];

		if (h->stack && h->id && strcmp(h->stack, s->gateway) == 0 &&
		    strcmp(h->id, tg->id) == 0)
			return h;
	}
	return NULL;
}

/* "3: 2 healthy, 1 initial", or why the health is not known. */
static void health_cell(page *p, const gws_report_target_health *h)
{
	const char *mode = p->ctx->in->targets_mode;

	if (p->error)
		return;
	if (!h)
		note(p, mode ? gws_buf_printf(&p->tmp, "not read (targets: %s)", mode)
		             : gws_buf_puts(&p->tmp, "not read"));
	else
		note(p, gws_buf_printf(&p->tmp, "%zu%s", h->total, h->total ? ": " : ""));
	if (h && !p->error)
		note(p, gws_report_health_states(&p->tmp, h));
	tmp_text(p);
}

static void target_groups(page *p, const gws_model_stack *s)
{
	if (!s || s->n_target_groups == 0)
		return;
	raw(p, "\n### Target groups\n\n| Name | Protocol:port | Target type | Backend Service | "
	       "Health check | Targets |\n|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->n_target_groups; i++) {
		const gws_model_target_group *tg = s->target_groups[i];
		const gws_model_health_check *hc = &tg->health_check;
		raw(p, "| ");
		code(p, tg->name ? tg->name : tg->id);
		if (!p->error)
			note(p, gws_buf_printf(&p->tmp, "%s:%d", tg->protocol ? tg->protocol : "",
			                       tg->port));
		raw(p, " | ");
		tmp_text(p);
		raw(p, " | ");
		text(p, tg->target_type);
		raw(p, " | ");
		if (tg->backend.name && !p->error)
			note(p, gws_buf_printf(&p->tmp, "%s/%s:%d",
			                       tg->backend.namespace_ ? tg->backend.namespace_ : "",
			                       tg->backend.name, tg->backend.port));
		/* Named by kind only: the server's address is not state of the estate. */
		if (tg->backend.name && tg->backend.source && !p->error)
			note(p, gws_buf_puts(&p->tmp, " (from the Kubernetes API)"));
		tmp_text(p);
		raw(p, " | ");
		if (!p->error)
			note(p,
			     gws_buf_printf(&p->tmp, "%s %s%s%s", hc->protocol ? hc->protocol : "",
			                    hc->port ? hc->port : "", hc->path ? " " : "",
			                    hc->path ? hc->path : ""));
		tmp_text(p);
		raw(p, " | ");
		health_cell(p, find_health(p, s, tg));
		raw(p, " |\n");
	}
}

static void problem_line(page *p, const char *who, const gws_model_status_condition *c)
{
	raw(p, "- ");
	text(p, who);
	raw(p, ": ");
	if (!p->error)
		note(p, gws_buf_printf(&p->tmp, "%s=%s %s", c->type, c->status, c->reason));
	tmp_text(p);
	if (c->message && *c->message) {
		raw(p, ": ");
		text(p, c->message);
	}
	raw(p, "\n");
}

static void problems(page *p, const gws_report__gateway *g)
{
	const gws_model_gateway_status *gs = g->status;
	size_t i, k;

	raw(p, "\n### Problems\n\n");
	if (gateway_problems(p, g) == 0) {
		raw(p, "None.\n");
		return;
	}
	for (i = 0; i < g->conditions.n; i++)
		if (is_problem(&g->conditions.items[i]))
			problem_line(p, "Gateway", &g->conditions.items[i]);
	for (i = 0; i < gs->n_listeners; i++)
		for (k = 0; k < g->listeners[i].n; k++)
			if (is_problem(&g->listeners[i].items[k])) {
				if (!p->error)
					note(p, gws_buf_printf(&p->tmp, "listener %s",
					                       gs->listeners[i].name));
				if (!p->error) {
					char *who = gws_buf_take(&p->tmp, NULL);
					if (!who)
						note(p, GWS_ENOMEM);
					else
						problem_line(p, who, &g->listeners[i].items[k]);
					gws_free(who);
				}
			}
	for (i = lower(&p->parents, g->key, parent_key);
	     i < p->parents.len && strcmp(parent_key(p->parents.items[i]), g->key) == 0; i++) {
		const parent_ref *r = p->parents.items[i];
		for (k = 0; k < r->parent->conditions.n; k++)
			if (is_problem(&r->parent->conditions.items[k]))
				problem_line(p, r->route->object->ref,
				             &r->parent->conditions.items[k]);
	}
	for (i = lower(&p->diags, g->key, diag_key);
	     i < p->diags.len && strcmp(diag_key(p->diags.items[i]), g->key) == 0; i++) {
		const gws_diag *d = p->diags.items[i];
		raw(p, "- ");
		if (!p->error)
			note(p, gws_diag_format(&p->tmp, d));
		tmp_text(p);
		raw(p, "\n");
	}
}

static void gateway_section(page *p, const gws_report__gateway *g)
{
	raw(p, "\n## Gateway ");
	text(p, g->key);
	raw(p, "\n\n");
	facts(p, g);
	listeners(p, g);
	rules(p, g->status->stack);
	target_groups(p, g->status->stack);
	problems(p, g);
	raw(p, "\n### Diagram\n\n");
	if (!p->error)
		note(p, gws_report__mermaid(p->out, g));
}

static int parent_cmp(const void *a, const void *b)
{
	return strcmp(((const parent_ref *)a)->gateway, ((const parent_ref *)b)->gateway);
}

static int diag_cmp(const void *a, const void *b)
{
	return strcmp(diag_key(a), diag_key(b));
}

/* Route parents and diagnostics, indexed by the Gateway they are about. */
static int index_page(page *p)
{
	const gws_model *m = p->ctx->in->model;
	const gws_diag_list *diags = p->ctx->in->diags;
	gws_arena *arena = p->ctx->arena;
	int error = 0;

	for (size_t i = 0; i < gws_model_route_status_count(m) && !error; i++) {
		const gws_model_route_status *rs = gws_model_route_status_at(m, i);
		for (size_t j = 0; j < rs->n_parents && !error; j++) {
			const gws_model_route_parent_status *pp = rs->parents[j];
			parent_ref *r = gws_arena_calloc(arena, 1, sizeof(*r));
			if (!r)
				return GWS_ENOMEM;
			r->route = rs;
			r->parent = pp;
			r->gateway = gws_arena_printf(arena, "%s/%s",
			                              pp->namespace_ ? pp->namespace_
			                                             : rs->object->meta.namespace_,
			                              pp->name);
			if (!r->gateway)
				return GWS_ENOMEM;
			if (pp->kind && strcmp(pp->kind, "Gateway") == 0)
				error = gws_vec_push(&p->parents, r);
		}
	}
	for (size_t i = 0; diags && i < diags->count && !error; i++)
		if (diags->items[i].object &&
		    gws_str_startswith(diags->items[i].object, "Gateway "))
			error = gws_vec_push(&p->diags, &diags->items[i]);
	if (!error)
		error = gws_vec_sort(&p->parents, parent_cmp);
	if (!error)
		error = gws_vec_sort(&p->diags, diag_cmp);
	return error;
}

int gws_report__summary(gws_buf *out, const gws_report__ctx *ctx)
{
	page p;
	int error;

	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	p.out = out;
	gws_buf_init(&p.tmp, GWS_CAP_DOCUMENT);
	if ((error = index_page(&p)) < 0)
		goto cleanup;
	overview(&p);
	for (size_t i = 0; i < ctx->n_gateways && !p.error; i++)
		gateway_section(&p, &ctx->gateways[i]);
	error = p.error;
cleanup:
	gws_buf_dispose(&p.tmp);
	gws_vec_dispose(&p.parents);
	gws_vec_dispose(&p.diags);
	return error;
}
