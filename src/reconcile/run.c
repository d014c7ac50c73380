/*
 * The run object and the public entry points: observe → plan → apply.
 */
#include <stdlib.h>
#include <string.h>

#include "reconcile/internal.h"

int gws_reconcile_new(gws_reconcile **out, const gws_model *model, gws_aws_client *client,
                      const gws_reconcile_options *opts)
{
	gws_reconcile *r = NULL;
	int rc;

	*out = NULL;
	if (opts && opts->shard.count > 1 &&
	    (opts->shard.count > GWS_RECONCILE_MAX_SHARDS ||
	     opts->shard.index >= opts->shard.count))
		return gws_error_set(GWS_EINVALID, "shard %u/%u: expected 0 <= K < N <= %d",
		                     opts->shard.index, opts->shard.count,
		                     GWS_RECONCILE_MAX_SHARDS);
	r = gws_calloc(1, sizeof(*r));
	if (!r)
		return GWS_ENOMEM;
	if ((rc = gws_arena_new(&r->arena)) < 0) {
		gws_free(r);
		return rc;
	}
	r->model = model;
	r->client = client;
	if (opts)
		r->opts = *opts;
	if (r->opts.max_deletions < 0)
		r->opts.max_deletions = GWS_RECONCILE_DEFAULT_MAX_DELETE;
	r->cluster = gws_model_cluster(model);
	gws_vec_init(&r->changes);
	gws_vec_init(&r->calls);
	gws_vec_init(&r->ops);
	gws_vec_init(&r->guards);
	gws_vec_init(&r->notes);
	gws_vec_init(&r->resources);
	*out = r;
	return 0;
}

void gws_reconcile_free(gws_reconcile *r)
{
	if (!r)
		return;
	gws_vec_dispose(&r->changes);
	gws_vec_dispose(&r->calls);
	gws_vec_dispose(&r->ops);
	gws_vec_dispose(&r->guards);
	gws_vec_dispose(&r->notes);
	gws_vec_dispose(&r->resources);
	gws_free(r->deleted);
	gws_arena_free(r->arena);
	gws_free(r);
}

/* ---- stacks: the model's and AWS's, merged by name ------------------------------------ */

typedef struct {
	const char *stack;
	const gws_model_stack *desired;
} desired_entry;

static int cmp_desired(const void *a, const void *b)
{
	return strcmp(((const desired_entry *)a)->stack, ((const desired_entry *)b)->stack);
}

bool rc_in_shard(const gws_reconcile *r, const char *stack)
{
	return r->opts.shard.count <= 1 ||
	       gws_reconcile_shard_of(stack, r->opts.shard.count) == r->opts.shard.index;
}

static int build_stacks(gws_reconcile *r)
{
	size_t nd = gws_model_stack_count(r->model), no = r->obs.n_stacks, i = 0, k = 0;
	desired_entry *d = gws_calloc(nd ? nd : 1, sizeof(*d));

	if (!d)
		return GWS_ENOMEM;
	for (size_t s = 0; s < nd; s++) {
		d[s].desired = gws_model_stack_at(r->model, s);
		d[s].stack = d[s].desired->gateway;
	}
	gws_qsort(d, nd, sizeof(*d), cmp_desired);
	r->stacks = RC_NEWN(r, rc_stackplan, nd + no ? nd + no : 1);
	if (!r->stacks) {
		gws_free(d);
		return GWS_ENOMEM;
	}
	/* Both lists are sorted by stack name: merge them. */
	while (i < nd || k < no) {
		rc_stackplan *sp = &r->stacks[r->n_stacks++];
		int c = i >= nd ? 1 : k >= no ? -1 : strcmp(d[i].stack, r->obs.stacks[k].stack);

		sp->run = r;
		if (c <= 0) {
			sp->stack = d[i].stack;
			sp->desired = d[i++].desired;
			if (sp->desired->blocked)
				sp->blocked = sp->desired->blocked;
		}
		if (c >= 0) {
			sp->stack = r->obs.stacks[k].stack;
			sp->observed = &r->obs.stacks[k++];
		}
		sp->in_shard = rc_in_shard(r, sp->stack);
		if (sp->desired && r->opts.shard.count > 1) {
			if (sp->in_shard)
				r->plan.shard_gateways++;
			else
				r->plan.shard_skipped++;
		}
	}
	gws_free(d);
	return 0;
}

int gws_reconcile_observe(gws_reconcile *r)
{
	int rc;

	if (r->observed)
		return gws_error_set(GWS_EINVALID, "the run was observed already");
	if ((rc = rc_observe_listings(r)) < 0 || (rc = build_stacks(r)) < 0 ||
	    (rc = rc_resolve_vpc(r)) < 0 || (rc = rc_resolve_group_names(r)) < 0 ||
	    (rc = rc_discover_certificates(r)) < 0 || (rc = rc_observe_details(r)) < 0) {
		if (rc == GWS_EAUTH)
			r->auth_failed = true;
		return rc;
	}
	r->observed = true;
	return 0;
}

int gws_reconcile_plan(gws_reconcile *r)
{
	int rc;

	if (!r->observed)
		return gws_error_set(GWS_EINVALID, "observe before planning");
	r->plan.cluster = r->cluster;
	r->plan.region = r->opts.region;
	r->plan.vpc_id = r->obs.vpc_id;
	r->plan.dry_run = r->opts.dry_run;
	if (r->opts.shard.count > 1)
		r->plan.shard = r->opts.shard;
	for (size_t i = 0; i < r->n_stacks; i++)
		if ((rc = rc_diff_stack(r, &r->stacks[i])) < 0)
			return rc;
	if ((rc = rc_plan_prune(r)) < 0 || (rc = rc_plan_finish(r)) < 0)
		return rc;
	r->planned = true;
	return rc_results(r);
}

int gws_reconcile_apply(gws_reconcile *r)
{
	int rc;

	if (!r->planned)
		return gws_error_set(GWS_EINVALID, "plan before applying");
	if (r->opts.dry_run)
		return 0;
	if ((rc = rc_apply(r)) < 0)
		return rc;
	return rc_results(r);
}

const gws_plan *gws_reconcile_get_plan(const gws_reconcile *r)
{
	return &r->plan;
}

gws_reconcile_outcome gws_reconcile_get_outcome(const gws_reconcile *r)
{
	return r->outcome;
}

const char *gws_reconcile_outcome_reason(const gws_reconcile *r)
{
	return r->outcome_reason ? r->outcome_reason : "";
}

size_t gws_reconcile_gateway_count(const gws_reconcile *r)
{
	return r->n_gateways;
}

const gws_reconcile_gateway *gws_reconcile_gateway_at(const gws_reconcile *r, size_t i)
{
	return i < r->n_gateways ? &r->gateways[i] : NULL;
}

size_t gws_reconcile_resource_count(const gws_reconcile *r)
{
	return r->resources.len;
}

const gws_reconcile_resource *gws_reconcile_resource_at(const gws_reconcile *r, size_t i)
{
	return i < r->resources.len ? r->resources.items[i] : NULL;
}
