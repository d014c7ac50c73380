/*
 * What a run means afterwards: each Gateway's Programmed condition and
 * address, a one-line account of what changed, the inventory of owned
 * resources, and the run's outcome.
 */
#include <stdlib.h>
#include <string.h>

#include "reconcile/internal.h"

/* ---- per Gateway ------------------------------------------------------------------ */

static const char *kind_word(gws_plan_kind k, bool plural)
{
	switch (k) {
	case GWS_PLAN_SECURITY_GROUP:
		return plural ? "security groups" : "security group";
	case GWS_PLAN_TARGET_GROUP:
		return plural ? "target groups" : "target group";
	case GWS_PLAN_LOAD_BALANCER:
		return plural ? "load balancers" : "load balancer";
	case GWS_PLAN_LISTENER:
		return plural ? "listeners" : "listener";
	case GWS_PLAN_RULE:
		return plural ? "rules" : "rule";
	}
	return "?";
}

/* "2 rules updated, 1 target group created" from the stack's applied changes. */
static const char *change_line(gws_reconcile *r, const char *stack)
{
	static const gws_plan_kind order[] = {GWS_PLAN_LOAD_BALANCER, GWS_PLAN_SECURITY_GROUP,
	                                      GWS_PLAN_LISTENER, GWS_PLAN_RULE,
	                                      GWS_PLAN_TARGET_GROUP};
	size_t counts[5][4] = {{0}};
	gws_buf b = GWS_BUF_INIT(GWS_CAP_LINE);
	const char *out = NULL;
	int rc = 0;

	for (size_t i = 0; i < r->plan.n_changes; i++) {
		const gws_plan_change *c = &r->plan.changes[i];

		if (strcmp(c->stack, stack) == 0 && c->state == GWS_PLAN_DONE)
			counts[c->kind][c->action]++;
	}
	for (size_t k = 0; k < GWS_ARRAY_SIZE(order) && rc == 0; k++)
		for (int a = 0; a < 4 && rc == 0; a++)
			if (counts[order[k]][a])
				rc = gws_buf_printf(&b, "%s%zu %s %s", b.size ? ", " : "",
				                    counts[order[k]][a],
				                    kind_word(order[k], counts[order[k]][a] > 1),
				                    gws_plan_action_past((gws_plan_action)a));
	if (rc == 0 && b.size)
		out = gws_arena_strdup(r->arena, gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	return out;
}

static bool stack_has_pending(const gws_reconcile *r, const char *stack)
{
	for (size_t i = 0; i < r->plan.n_changes; i++)
		if (strcmp(r->plan.changes[i].stack, stack) == 0 &&
		    (r->plan.changes[i].state != GWS_PLAN_DONE || r->plan.changes[i].unfinished))
			return true;
	return false;
}

static void gateway_result(gws_reconcile *r, rc_stackplan *sp, gws_reconcile_gateway *g)
{
	g->stack = sp->stack;
	g->dns_name = sp->lb_slot.arn && !sp->lb_slot.failed ? sp->lb_slot.dns_name : NULL;
	g->change = r->opts.dry_run ? NULL : change_line(r, sp->stack);
	if (sp->desired && sp->desired->blocked) {
		g->programmed = GWS_PROGRAMMED_FALSE;
		g->reason = "Invalid";
		g->message = sp->desired->blocked;
	} else if (sp->blocked) {
		g->programmed = GWS_PROGRAMMED_FALSE;
		g->reason = "Invalid";
		g->message = sp->blocked;
	} else if (sp->observed && sp->observed->read_error) {
		g->programmed = GWS_PROGRAMMED_UNKNOWN;
		g->reason = "Pending";
		g->unread = true;
		g->message = gws_arena_printf(r->arena, "AWS could not be read: %s",
		                              sp->observed->read_error);
	} else if (sp->failed) {
		g->programmed = GWS_PROGRAMMED_FALSE;
		g->reason = "Pending";
		g->message = gws_arena_printf(r->arena, "AWS refused a change: %s",
		                              sp->failure ? sp->failure : "see the run's report");
	} else if (stack_has_pending(r, sp->stack)) {
		g->programmed = r->opts.dry_run && sp->lb_slot.arn ? GWS_PROGRAMMED_UNKNOWN
		                                                   : GWS_PROGRAMMED_FALSE;
		g->reason = "Pending";
		g->message = r->opts.dry_run ? "changes are pending (dry run)"
		                             : "changes were not applied (deadline or stop)";
	} else {
		g->programmed = GWS_PROGRAMMED_TRUE;
		g->reason = "Programmed";
		g->message = g->dns_name
		                     ? gws_arena_printf(r->arena, "load balancer %s is in sync",
		                                        sp->lb_slot.name ? sp->lb_slot.name : "")
		                     : "in sync";
	}
}

/* ---- inventory --------------------------------------------------------------------------- */

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ARNs (and group ids) this run deleted, sorted for lookups. */
static int collect_deleted(gws_reconcile *r)
{
	gws_vec v = GWS_VEC_INIT;
	int rc = 0;

	for (size_t i = 0; i < r->ops.len && rc == 0; i++) {
		const rc_op *op = r->ops.items[i];
		const gws_plan_change *c = op->change_ptr;

		if (op->state != GWS_PLAN_DONE || !op->deletes)
			continue;
		rc = gws_vec_push(&v, (void *)op->deletes);
		/* A deleted load balancer takes its listeners and rules with it. */
		(void)c;
	}
	if (rc == 0 && v.len)
		gws_qsort(v.items, v.len, sizeof(void *), cmp_cstr);
	r->deleted = (const char **)v.items;
	r->n_deleted = v.len;
	return rc;
}

static bool deleted(const gws_reconcile *r, const char *arn)
{
	return arn && r->n_deleted &&
	       bsearch(&arn, r->deleted, r->n_deleted, sizeof(*r->deleted), cmp_cstr) != NULL;
}

static int add_resource(gws_reconcile *r, const char *stack, const char *kind, const char *id,
                        const char *name, const char *arn, const char *dns)
{
	gws_reconcile_resource *res = RC_NEW(r, gws_reconcile_resource);

	if (!res)
		return GWS_ENOMEM;
	*res = (gws_reconcile_resource){stack, kind, id, name, arn, dns};
	return gws_vec_push(&r->resources, res);
}

static int observed_resources(gws_reconcile *r, const rc_stackplan *sp)
{
	const rc_ostack *o = sp->observed;
	int rc = 0;

	for (size_t i = 0; o && i < o->n_lbs && rc == 0; i++) {
		const rc_olb *lb = o->lbs[i];

		if (deleted(r, lb->aws->arn))
			continue; /* its listeners and rules went with it */
		rc = add_resource(r, sp->stack, "LoadBalancer", lb->id, lb->aws->name, lb->aws->arn,
		                  lb->aws->dns_name);
		for (size_t k = 0; k < lb->n_listeners && rc == 0; k++) {
			const rc_olistener *l = &lb->listeners[k];

			if (l->owner != RC_OWNED || deleted(r, l->aws->arn))
				continue;
			rc = add_resource(r, sp->stack, "Listener",
			                  rc_tag(&l->tags, RC_TAG_RESOURCE), NULL, l->aws->arn,
			                  NULL);
			for (size_t q = 0; q < l->n_rules && rc == 0; q++)
				if (l->rules[q].owner == RC_OWNED &&
				    !deleted(r, l->rules[q].aws->arn))
					rc = add_resource(
					        r, sp->stack, "ListenerRule",
					        rc_tag(&l->rules[q].tags, RC_TAG_RESOURCE), NULL,
					        l->rules[q].aws->arn, NULL);
		}
	}
	for (size_t i = 0; o && i < o->n_tgs && rc == 0; i++)
		if (!deleted(r, o->tgs[i]->aws->arn))
			rc = add_resource(r, sp->stack, "TargetGroup", o->tgs[i]->id,
			                  o->tgs[i]->aws->name, o->tgs[i]->aws->arn, NULL);
	for (size_t i = 0; o && i < o->n_sgs && rc == 0; i++)
		if (!deleted(r, o->sgs[i]->aws->group_id))
			rc = add_resource(r, sp->stack, "SecurityGroup", o->sgs[i]->id,
			                  o->sgs[i]->aws->group_name, o->sgs[i]->aws->group_id,
			                  NULL);
	return rc;
}

/* Resources this run created (their slots hold the new ARNs). */
static int created_resources(gws_reconcile *r)
{
	int rc = 0;

	for (size_t i = 0; i < r->ops.len && rc == 0; i++) {
		const rc_op *op = r->ops.items[i];
		const gws_plan_change *c = op->change_ptr;
		const char *arn = NULL;

		if (op->state != GWS_PLAN_DONE || !op->creates)
			continue;
		arn = op->creates->arn;
		if (!arn || deleted(r, arn))
			continue;
		rc = add_resource(
		        r, c->stack, gws_plan_kind_name(c->kind), c->id,
		        c->kind == GWS_PLAN_RULE || c->kind == GWS_PLAN_LISTENER ? NULL : c->name,
		        arn, op->creates->dns_name);
	}
	return rc;
}

static int cmp_resource(const void *a, const void *b)
{
	const gws_reconcile_resource *x = a, *y = b; /* gws_vec_sort passes the items */
	int c = strcmp(x->stack, y->stack);

	if (c == 0)
		c = strcmp(x->kind, y->kind);
	if (c == 0)
		c = gws_strcmp_null(x->id, y->id);
	if (c == 0)
		c = gws_strcmp_null(x->arn, y->arn);
	return c;
}

/* ---- outcome ------------------------------------------------------------------------------ */

static void outcome(gws_reconcile *r)
{
	size_t failed = 0, blocked = 0, unread = 0;

	for (size_t i = 0; i < r->n_stacks; i++) {
		const rc_stackplan *sp = &r->stacks[i];

		if (!sp->in_shard)
			continue;
		if (sp->failed)
			failed++;
		else if (sp->blocked || (sp->desired && sp->desired->blocked))
			blocked++;
		else if (sp->observed && sp->observed->read_error)
			unread++;
	}
	r->outcome = GWS_RECONCILE_CONVERGED;
	if (r->auth_failed) {
		r->outcome = GWS_RECONCILE_AUTH;
		r->outcome_reason = "AWS refused the credentials or a permission";
	} else if (r->deadline_hit) {
		r->outcome = GWS_RECONCILE_DEADLINE;
		r->outcome_reason = "the deadline passed (or the run was stopped) before every "
		                    "change was made";
	} else if (r->guard_tripped) {
		r->outcome = GWS_RECONCILE_GUARD;
		r->outcome_reason = "a safety guard refused part of the work (see guards)";
	} else if (failed || blocked || unread) {
		r->outcome = GWS_RECONCILE_PARTIAL;
		r->outcome_reason = gws_arena_printf(
		        r->arena,
		        "%zu Gateway%s failed, %zu could not be reconciled, %zu could not be read",
		        failed, failed == 1 ? "" : "s", blocked, unread);
	} else if (r->opts.dry_run && (r->plan.n_changes || r->plan.summary.drift)) {
		r->outcome = GWS_RECONCILE_CHANGES_PENDING;
		r->outcome_reason = "changes are pending";
	} else {
		r->outcome_reason = r->plan.n_changes ? "changes applied" : "no changes";
	}
}

int rc_results(gws_reconcile *r)
{
	size_t n = 0;
	int rc = 0;

	/* Another shard's Gateways get no result: that shard reports them. */
	for (size_t i = 0; i < r->n_stacks; i++)
		if (r->stacks[i].desired && r->stacks[i].in_shard)
			n++;
	r->gateways = RC_NEWN(r, gws_reconcile_gateway, n ? n : 1);
	if (!r->gateways)
		return GWS_ENOMEM;
	r->n_gateways = 0;
	for (size_t i = 0; i < r->n_stacks; i++)
		if (r->stacks[i].desired && r->stacks[i].in_shard)
			gateway_result(r, &r->stacks[i], &r->gateways[r->n_gateways++]);
	r->resources.len = 0;
	if ((rc = collect_deleted(r)) < 0)
		return rc;
	for (size_t i = 0; i < r->n_stacks && rc == 0; i++)
		if (r->stacks[i].in_shard)
			rc = observed_resources(r, &r->stacks[i]);
	if (rc == 0)
		rc = created_resources(r);
	if (rc == 0)
		rc = gws_vec_sort(&r->resources, cmp_resource);
	outcome(r);
	return rc;
}
