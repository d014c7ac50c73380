/*
 * One stack (Gateway): resolve what it needs from the account, decide what
 * would block it, then diff its security group, target groups, load
 * balancer, listeners and rules, and remove what it no longer uses.
 * Nothing is planned for a stack that cannot be read or resolved: its
 * resources stay exactly as they are.
 */
#include <string.h>

#include "reconcile/convert.h"
#include "reconcile/internal.h"

static bool lb_spec_matches(const rc_stackplan *sp, const char *hash)
{
	const char *name = sp->desired->load_balancer.name;

	for (size_t i = 0; sp->observed && i < sp->observed->n_lbs; i++) {
		const rc_olb *lb = sp->observed->lbs[i];

		if (lb->aws->name && strcmp(lb->aws->name, name) == 0)
			return lb->spec && strcmp(lb->spec, hash) == 0;
	}
	return false;
}

static int blocked_note(gws_reconcile *r, rc_stackplan *sp)
{
	return rc_note(r, sp->stack, true, "not reconciled: %s", sp->blocked);
}

static bool same_service(const gws_model_backend *a, const gws_model_backend *b)
{
	return gws_strcmp_null(a->namespace_, b->namespace_) == 0 &&
	       gws_strcmp_null(a->name, b->name) == 0;
}

/* The plan says which backends were read from the cluster, not the repository:
 * one note per Service, whatever becomes of the stack. */
static int service_source_notes(gws_reconcile *r, const rc_stackplan *sp)
{
	const gws_model_stack *s = sp->desired;

	for (size_t i = 0; i < s->n_target_groups; i++) {
		const gws_model_backend *b = &s->target_groups[i]->backend;
		bool seen = false;
		int rc;

		for (size_t j = 0; j < i && !seen; j++)
			seen = same_service(&s->target_groups[j]->backend, b);
		if (!b->source || seen)
			continue;
		if ((rc = rc_note(r, sp->stack, false,
		                  "Service %s/%s: from the Kubernetes API %s, not the repository",
		                  b->namespace_, b->name, b->source)) < 0)
			return rc;
	}
	return 0;
}

int rc_diff_stack(gws_reconcile *r, rc_stackplan *sp)
{
	const char *lb_hash;
	bool unchanged;
	int rc;

	if (!sp->in_shard || !sp->desired)
		return 0;
	if ((rc = service_source_notes(r, sp)) < 0)
		return rc;
	if (sp->blocked)
		return blocked_note(r, sp);
	if (sp->observed && sp->observed->read_error)
		return rc_note(r, sp->stack, true, "not reconciled: %s", sp->observed->read_error);
	if ((sp->blocked = rc_unsupported(sp->desired)) != NULL)
		return blocked_note(r, sp);
	if ((rc = rc_resolve_stack(r, sp)) < 0)
		return rc;
	if (!sp->blocked && (rc = rc_precheck_load_balancer(r, sp)) < 0)
		return rc;
	if (!sp->blocked && (rc = rc_map_target_groups(r, sp)) < 0)
		return rc;
	if (sp->blocked) {
		if (sp->ownership_conflict && (rc = rc_guard(r, "ownership", 0, 1, true, "%s: %s",
		                                             sp->stack, sp->blocked)) < 0)
			return rc;
		if (sp->deletion_protected && (rc = rc_guard(r, "deletion-protection", 0, 1, true,
		                                             "%s: %s", sp->stack, sp->blocked)) < 0)
			return rc;
		return blocked_note(r, sp);
	}
	if (!(lb_hash = rc_hash_load_balancer(r, sp->desired)))
		return GWS_ENOMEM;
	unchanged = lb_spec_matches(sp, lb_hash);
	if ((rc = rc_diff_security_group(r, sp, unchanged)) < 0 ||
	    (rc = rc_diff_target_groups(r, sp, unchanged)) < 0 ||
	    (rc = rc_diff_load_balancer(r, sp, lb_hash)) < 0 ||
	    (rc = rc_diff_listeners(r, sp, unchanged)) < 0 ||
	    (rc = rc_diff_target_group_leftovers(r, sp)) < 0 ||
	    (rc = rc_diff_load_balancer_leftovers(r, sp)) < 0 ||
	    (rc = rc_diff_security_group_leftovers(r, sp)) < 0)
		return rc;
	return 0;
}
