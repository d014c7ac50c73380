/*
 * Prune: the stacks of Gateways no longer in the manifests. Deleted only
 * with --prune, and never when the run cannot be sure (docs/reconcile.md,
 * "Prune"): a manifest failed to load, an AWS read failed, the manifests
 * hold no Gateway at all while AWS holds some, or more load balancers
 * would go than --max-deletions allows. A load balancer with deletion
 * protection is reported and kept; gwsync never switches protection off.
 */
#include <string.h>

#include "reconcile/internal.h"

static bool candidate(const rc_stackplan *sp)
{
	return sp->in_shard && !sp->desired && sp->observed &&
	       (sp->observed->n_lbs || sp->observed->n_tgs || sp->observed->n_sgs);
}

static const char *what(gws_reconcile *r, const rc_stackplan *sp)
{
	const rc_ostack *o = sp->observed;

	return gws_arena_printf(
	        r->arena, "%s%s%zu target group%s%s", o->n_lbs ? "load balancer " : "",
	        o->n_lbs ? o->lbs[0]->aws->name : "", o->n_tgs, o->n_tgs == 1 ? "" : "s",
	        o->n_sgs ? " and its security group" : "");
}

static bool protected_stack(const rc_stackplan *sp)
{
	for (size_t i = 0; i < sp->observed->n_lbs; i++)
		if (rc_deletion_protected(sp->observed->lbs[i]))
			return true;
	return false;
}

/* Why prune must not run at all, or NULL. */
static const char *refusal(gws_reconcile *r, size_t n_candidates, size_t *n_desired)
{
	/* Every Gateway of the manifests counts, whichever shard handles it: the
	 * guard catches a wrong --path or --ref, and a shard whose own share is
	 * empty must still prune the stacks that hash to it. */
	*n_desired = 0;
	for (size_t i = 0; i < r->n_stacks; i++)
		if (r->stacks[i].desired)
			(*n_desired)++;
	if (r->opts.manifests_incomplete)
		return "complete-manifests";
	if (!r->obs.complete)
		return "complete-observation";
	if (*n_desired == 0)
		return "empty-desired-set";
	if ((long)n_candidates > r->opts.max_deletions)
		return "max-deletions";
	return NULL;
}

static const char *refusal_text(const char *guard)
{
	if (strcmp(guard, "complete-manifests") == 0)
		return "a manifest failed to load or validate: gwsync cannot tell a removed "
		       "Gateway "
		       "from an unreadable one";
	if (strcmp(guard, "complete-observation") == 0)
		return "an AWS read failed: gwsync cannot be sure what it owns";
	if (strcmp(guard, "empty-desired-set") == 0)
		return "the manifests hold no Gateway gwsync handles while AWS holds some: a wrong "
		       "--path or --ref would otherwise delete everything";
	return "more load balancers would be deleted than --max-deletions allows";
}

int rc_plan_prune(gws_reconcile *r)
{
	size_t n = 0, n_desired = 0;
	const char *refused;
	int rc;

	for (size_t i = 0; i < r->n_stacks; i++)
		if (candidate(&r->stacks[i]))
			n++;
	if (!n)
		return 0;
	if (!r->opts.prune) {
		for (size_t i = 0; i < r->n_stacks; i++)
			if (candidate(&r->stacks[i]) &&
			    (rc = rc_note(
			             r, r->stacks[i].stack, false,
			             "not in the manifests any more: its %s %s kept (--prune "
			             "deletes them)",
			             what(r, &r->stacks[i]),
			             r->stacks[i].observed->n_tgs + r->stacks[i].observed->n_lbs > 1
			                     ? "are"
			                     : "is")) < 0)
				return rc;
		return 0;
	}
	refused = refusal(r, n, &n_desired);
	if ((rc = rc_guard(r, "max-deletions", r->opts.max_deletions, (long)n,
	                   refused && strcmp(refused, "max-deletions") == 0,
	                   "%zu stack%s to prune, at most %ld allowed", n, n == 1 ? "" : "s",
	                   r->opts.max_deletions)) < 0)
		return rc;
	if (refused) {
		if (strcmp(refused, "max-deletions") != 0 &&
		    (rc = rc_guard(r, refused, 0, 1, true, "prune refused: %s",
		                   refusal_text(refused))) < 0)
			return rc;
		for (size_t i = 0; i < r->n_stacks; i++)
			if (candidate(&r->stacks[i]) &&
			    (rc = rc_note(
			             r, r->stacks[i].stack, true,
			             "not in the manifests any more; prune refused (%s): its %s "
			             "kept",
			             refusal_text(refused), what(r, &r->stacks[i]))) < 0)
				return rc;
		return 0;
	}
	for (size_t i = 0; i < r->n_stacks; i++) {
		rc_stackplan *sp = &r->stacks[i];

		if (!candidate(sp))
			continue;
		if (protected_stack(sp)) {
			if ((rc = rc_guard(r, "deletion-protection", 0, 1, true,
			                   "%s: load balancer %s has deletion protection on: not "
			                   "pruned (gwsync never switches it off)",
			                   sp->stack, sp->observed->lbs[0]->aws->name)) < 0 ||
			    (rc = rc_note(r, sp->stack, true,
			                  "not pruned: deletion protection is on")) < 0)
				return rc;
			continue;
		}
		sp->prune = true;
		if ((rc = rc_diff_load_balancer_leftovers(r, sp)) < 0 ||
		    (rc = rc_diff_target_group_leftovers(r, sp)) < 0 ||
		    (rc = rc_diff_security_group_leftovers(r, sp)) < 0)
			return rc;
	}
	return 0;
}
