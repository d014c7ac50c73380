/*
 * The per-Gateway summary `gwsync validate` prints after the diagnostics:
 * what would be built (listeners, rules, target groups) and every False
 * condition of the Gateway, its listeners and the routes attached to it.
 */
#include "model/internal.h"
#include "model/strmap.h"

#include <string.h>

typedef struct {
	gws_buf text; /* the route problems of one Gateway */
	size_t count;
} route_problems;

static bool is_problem(const gws_model_status_condition *c)
{
	if (strcmp(c->type, GWS_COND_CONFLICTED) == 0)
		return strcmp(c->status, "True") == 0;
	return strcmp(c->status, "False") == 0;
}

static int collect_route_problems(const gws_model *m, gws_model_strmap *map, gws_vec *owned,
                                  gws_vec *records)
{
	size_t i, j, k;
	int error;
	for (i = 0; i < gws_model_route_status_count(m); i++) {
		const gws_model_route_status *rs = gws_model_route_status_at(m, i);
		for (j = 0; j < rs->n_parents; j++) {
			const gws_model_route_parent_status *p = rs->parents[j];
			const char *ns =
			        p->namespace_ ? p->namespace_ : rs->object->meta.namespace_;
			char *key = gws_asprintf("%s/%s", ns, p->name);
			route_problems *rp;
			if (!key || (error = gws_vec_push(owned, key)) < 0) {
				gws_free(key);
				return GWS_ENOMEM;
			}
			rp = gws_model__strmap_get(map, key);
			for (k = 0; k < p->conditions.n; k++) {
				const gws_model_status_condition *c = &p->conditions.items[k];
				if (!is_problem(c))
					continue;
				if (!rp) {
					rp = gws_calloc(1, sizeof(*rp));
					if (!rp)
						return GWS_ENOMEM;
					gws_buf_init(&rp->text, GWS_CAP_DOCUMENT);
					if ((error = gws_vec_push(records, rp)) < 0) {
						gws_free(rp);
						return error;
					}
					if ((error = gws_model__strmap_put(map, key, rp)) < 0)
						return error;
				}
				rp->count++;
				if ((error = gws_buf_printf(&rp->text, "    %s: %s=%s %s: %s\n",
				                            rs->object->ref, c->type, c->status,
				                            c->reason, c->message)) < 0)
					return error;
			}
		}
	}
	return 0;
}

static int summarize_gateway(gws_buf *out, const gws_model_gateway_status *gs,
                             const route_problems *rp)
{
	const gws_model_stack *s = gs->stack;
	size_t i, k, rules = 0, problems = rp ? rp->count : 0;
	int error;

	for (i = 0; i < gs->conditions.n; i++)
		problems += is_problem(&gs->conditions.items[i]);
	for (i = 0; i < gs->n_listeners; i++)
		for (k = 0; k < gs->listeners[i].conditions.n; k++)
			problems += is_problem(&gs->listeners[i].conditions.items[k]);
	for (i = 0; s && i < s->n_listeners; i++)
		rules += s->listeners[i]->n_rules;
	if (s)
		error = gws_buf_printf(out,
		                       "gateway %s: %s load balancer %s (%s), %zu listener%s, "
		                       "%zu rule%s, %zu target group%s, %zu problem%s\n",
		                       s->gateway, gws_model_lb_type_name(s->load_balancer.type),
		                       s->load_balancer.name, s->load_balancer.scheme,
		                       s->n_listeners, s->n_listeners == 1 ? "" : "s", rules,
		                       rules == 1 ? "" : "s", s->n_target_groups,
		                       s->n_target_groups == 1 ? "" : "s", problems,
		                       problems == 1 ? "" : "s");
	else
		error = gws_buf_printf(out, "gateway %s/%s: not built, %zu problem%s\n",
		                       gs->object->meta.namespace_, gs->object->meta.name, problems,
		                       problems == 1 ? "" : "s");
	if (error < 0)
		return error;
	for (i = 0; s && i < s->n_listeners; i++)
		if ((error = gws_buf_printf(out, "  listener %d %s: %zu rule%s\n",
		                            s->listeners[i]->port, s->listeners[i]->protocol,
		                            s->listeners[i]->n_rules,
		                            s->listeners[i]->n_rules == 1 ? "" : "s")) < 0)
			return error;
	if (problems && (error = gws_buf_puts(out, "  problems:\n")) < 0)
		return error;
	for (i = 0; i < gs->conditions.n; i++) {
		const gws_model_status_condition *c = &gs->conditions.items[i];
		if (is_problem(c) &&
		    (error = gws_buf_printf(out, "    Gateway: %s=%s %s: %s\n", c->type, c->status,
		                            c->reason, c->message)) < 0)
			return error;
	}
	for (i = 0; i < gs->n_listeners; i++)
		for (k = 0; k < gs->listeners[i].conditions.n; k++) {
			const gws_model_status_condition *c = &gs->listeners[i].conditions.items[k];
			if (is_problem(c) &&
			    (error = gws_buf_printf(out, "    listener %s: %s=%s %s: %s\n",
			                            gs->listeners[i].name ? gs->listeners[i].name
			                                                  : "",
			                            c->type, c->status, c->reason, c->message)) < 0)
				return error;
		}
	if (rp && (error = gws_buf_puts(out, gws_buf_cstr(&rp->text))) < 0)
		return error;
	return 0;
}

int gws_model_render_summary(gws_buf *out, const gws_model *model)
{
	gws_model_strmap *map = NULL;
	gws_vec owned = GWS_VEC_INIT;   /* keys (char *) */
	gws_vec records = GWS_VEC_INIT; /* route_problems * */
	size_t i;
	int error;

	if ((error = gws_model__strmap_new(&map)) < 0)
		return error;
	if ((error = collect_route_problems(model, map, &owned, &records)) < 0)
		goto cleanup;
	for (i = 0; i < gws_model_gateway_status_count(model); i++) {
		const gws_model_gateway_status *gs = gws_model_gateway_status_at(model, i);
		char *key =
		        gws_asprintf("%s/%s", gs->object->meta.namespace_, gs->object->meta.name);
		if (!key) {
			error = GWS_ENOMEM;
			goto cleanup;
		}
		error = summarize_gateway(out, gs, gws_model__strmap_get(map, key));
		gws_free(key);
		if (error < 0)
			goto cleanup;
	}
cleanup:
	for (i = 0; i < records.len; i++) {
		route_problems *rp = records.items[i];
		gws_buf_dispose(&rp->text);
		gws_free(rp);
	}
	for (i = 0; i < owned.len; i++)
		gws_free(owned.items[i]);
	gws_vec_dispose(&records);
	gws_vec_dispose(&owned);
	gws_model__strmap_free(map);
	return error;
}
