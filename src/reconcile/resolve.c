/*
 * Resolve what the model leaves to the account: the VPC, each load
 * balancer's subnets (explicit ids or Name tags, a tag selector, or
 * discovery by the kubernetes.io role and cluster tags as LBC does) and its
 * explicit security groups (ids or names). docs/reconcile.md, "Subnets and
 * security groups", says how each is chosen.
 */
#include <stdlib.h>
#include <string.h>

#include "reconcile/internal.h"

#define ROLE_PUBLIC   "kubernetes.io/role/elb"
#define ROLE_INTERNAL "kubernetes.io/role/internal-elb"
#define CLUSTER_TAG   "kubernetes.io/cluster/"

/* ---- VPC ---------------------------------------------------------------------------- */

static bool has_cluster_tag(const gws_ec2_subnet *s, const char *cluster, bool *any)
{
	bool mine = false;

	*any = false;
	for (size_t i = 0; i < s->tags.count; i++) {
		const char *k = s->tags.items[i].key;

		if (!k || strncmp(k, CLUSTER_TAG, strlen(CLUSTER_TAG)) != 0)
			continue;
		*any = true;
		if (strcmp(k + strlen(CLUSTER_TAG), cluster) == 0)
			mine = true;
	}
	return mine;
}

/* Adds `vpc` to a small set; returns its count. */
static size_t vpc_add(const char **set, size_t n, size_t cap, const char *vpc)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(set[i], vpc) == 0)
			return n;
	if (n < cap)
		set[n++] = vpc;
	return n;
}

static const char *single_vpc(const char **set, size_t n)
{
	return n == 1 ? set[0] : NULL;
}

int rc_resolve_vpc(gws_reconcile *r)
{
	const char *set[8];
	size_t n = 0;
	bool any;

	if (r->opts.vpc_id) {
		r->obs.vpc_id = r->opts.vpc_id;
		return 0;
	}
	/* 1. Where gwsync's load balancers already are. */
	for (size_t i = 0; i < r->obs.n_lbs; i++)
		if (r->obs.lbs[i].owner == RC_OWNED && r->obs.lbs[i].aws->vpc_id)
			n = vpc_add(set, n, GWS_ARRAY_SIZE(set), r->obs.lbs[i].aws->vpc_id);
	if ((r->obs.vpc_id = single_vpc(set, n)) != NULL)
		return 0;
	/* 2. The VPC of the subnets tagged for this cluster. */
	n = 0;
	for (size_t i = 0; i < r->obs.subnets.count; i++)
		if (has_cluster_tag(&r->obs.subnets.items[i], r->cluster, &any))
			n = vpc_add(set, n, GWS_ARRAY_SIZE(set), r->obs.subnets.items[i].vpc_id);
	if ((r->obs.vpc_id = single_vpc(set, n)) != NULL)
		return 0;
	/* 3. The only VPC there is. */
	if (n == 0) {
		for (size_t i = 0; i < r->obs.subnets.count; i++)
			n = vpc_add(set, n, GWS_ARRAY_SIZE(set), r->obs.subnets.items[i].vpc_id);
		if ((r->obs.vpc_id = single_vpc(set, n)) != NULL)
			return 0;
	}
	r->obs.vpc_error =
	        n == 0 ? "no subnets in the region: give --vpc-id"
	               : gws_arena_printf(
	                         r->arena,
	                         "subnets of %zu%s VPCs could serve cluster %s (%s, %s%s): "
	                         "give --vpc-id",
	                         n, n == GWS_ARRAY_SIZE(set) ? " or more" : "", r->cluster, set[0],
	                         set[1], n > 2 ? ", ..." : "");
	return r->obs.vpc_error ? 0 : GWS_ENOMEM;
}

/* ---- subnets ------------------------------------------------------------------------ */

static const char *subnet_name(const gws_ec2_subnet *s)
{
	return rc_tag(&s->tags, "Name");
}

static const gws_ec2_subnet *find_subnet(const gws_reconcile *r, const char *ident)
{
	const gws_ec2_subnet *by_name = NULL;

	for (size_t i = 0; i < r->obs.subnets.count; i++) {
		const gws_ec2_subnet *s = &r->obs.subnets.items[i];

		if (s->subnet_id && strcmp(s->subnet_id, ident) == 0)
			return s;
		if (!by_name && subnet_name(s) && strcmp(subnet_name(s), ident) == 0 &&
		    (!r->obs.vpc_id || (s->vpc_id && strcmp(s->vpc_id, r->obs.vpc_id) == 0)))
			by_name = s;
	}
	return by_name;
}

static bool in_vpc(const gws_reconcile *r, const gws_ec2_subnet *s)
{
	return r->obs.vpc_id && s->vpc_id && strcmp(s->vpc_id, r->obs.vpc_id) == 0;
}

static bool role_tagged(const gws_ec2_subnet *s, const char *role)
{
	const char *v = rc_tag(&s->tags, role);

	/* LBC takes "1" or an empty value. */
	return v && (strcmp(v, "1") == 0 || *v == '\0');
}

static bool selector_match(const gws_ec2_subnet *s, const gws_model_subnets *want)
{
	for (size_t i = 0; i < want->n_selector; i++) {
		const gws_model_subnet_selector *sel = &want->selector[i];
		const char *v = rc_tag(&s->tags, sel->key);
		bool ok = false;

		if (!v)
			return false;
		for (size_t k = 0; k < sel->values.n; k++)
			if (strcmp(sel->values.items[k], v) == 0)
				ok = true;
		if (sel->values.n && !ok)
			return false;
	}
	return true;
}

/* Candidate ranking inside one AZ: the cluster's own tag first, then the id. */
typedef struct {
	const gws_ec2_subnet *s;
	int rank;
} candidate;

static int cmp_candidate(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	int c = gws_strcmp_null(x->s->availability_zone, y->s->availability_zone);

	if (c)
		return c;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return gws_strcmp_null(x->s->subnet_id, y->s->subnet_id);
}

/* One subnet per availability zone out of `cands`, ids in AZ order. */
static int pick_per_az(gws_reconcile *r, candidate *cands, size_t n, gws_aws_strings *out)
{
	const char **ids;
	size_t k = 0;

	gws_qsort(cands, n, sizeof(*cands), cmp_candidate);
	ids = RC_NEWN(r, const char *, n ? n : 1);
	if (!ids)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || gws_strcmp_null(cands[i].s->availability_zone,
		                              cands[i - 1].s->availability_zone) != 0)
			ids[k++] = cands[i].s->subnet_id;
	out->items = ids;
	out->count = k;
	return 0;
}

static int discover(gws_reconcile *r, const gws_model_load_balancer *lb, gws_aws_strings *out)
{
	const char *role = strcmp(lb->scheme, "internal") == 0 ? ROLE_INTERNAL : ROLE_PUBLIC;
	size_t n = 0;
	candidate *cands =
	        gws_calloc(r->obs.subnets.count ? r->obs.subnets.count : 1, sizeof(*cands));
	int rc;

	if (!cands)
		return GWS_ENOMEM;
	for (size_t i = 0; i < r->obs.subnets.count; i++) {
		const gws_ec2_subnet *s = &r->obs.subnets.items[i];
		bool any, mine = has_cluster_tag(s, r->cluster, &any);

		if (!in_vpc(r, s) || !role_tagged(s, role))
			continue;
		/* Tagged for another cluster only: not ours to use. */
		if (any && !mine)
			continue;
		cands[n].s = s;
		cands[n++].rank = mine ? 0 : 1;
	}
	rc = pick_per_az(r, cands, n, out);
	gws_free(cands);
	return rc;
}

static int select_tagged(gws_reconcile *r, const gws_model_subnets *want, gws_aws_strings *out)
{
	size_t n = 0;
	candidate *cands =
	        gws_calloc(r->obs.subnets.count ? r->obs.subnets.count : 1, sizeof(*cands));
	int rc;

	if (!cands)
		return GWS_ENOMEM;
	for (size_t i = 0; i < r->obs.subnets.count; i++) {
		const gws_ec2_subnet *s = &r->obs.subnets.items[i];

		if (in_vpc(r, s) && selector_match(s, want))
			cands[n++] = (candidate){s, 0};
	}
	rc = pick_per_az(r, cands, n, out);
	gws_free(cands);
	return rc;
}

static int explicit_subnets(gws_reconcile *r, rc_stackplan *sp, const gws_model_subnets *want,
                            gws_aws_strings *out)
{
	const char **ids = RC_NEWN(r, const char *, want->n_subnets ? want->n_subnets : 1);

	if (!ids)
		return GWS_ENOMEM;
	for (size_t i = 0; i < want->n_subnets; i++) {
		const gws_ec2_subnet *s = find_subnet(r, want->subnets[i].identifier);

		if (!s) {
			sp->blocked = gws_arena_printf(
			        r->arena, "subnet %s not found in %s", want->subnets[i].identifier,
			        r->obs.vpc_id ? r->obs.vpc_id : "the region");
			return 0;
		}
		if (!in_vpc(r, s)) {
			sp->blocked = gws_arena_printf(r->arena, "subnet %s is in %s, not in %s",
			                               s->subnet_id, s->vpc_id, r->obs.vpc_id);
			return 0;
		}
		ids[i] = s->subnet_id;
	}
	out->items = ids;
	out->count = want->n_subnets;
	return 0;
}

static int count_azs(const gws_reconcile *r, const gws_aws_strings *ids)
{
	const char *seen[64];
	size_t n = 0;

	for (size_t i = 0; i < ids->count; i++) {
		const gws_ec2_subnet *s = find_subnet(r, ids->items[i]);

		if (s && s->availability_zone)
			n = vpc_add(seen, n, GWS_ARRAY_SIZE(seen), s->availability_zone);
	}
	return (int)n;
}

static int resolve_subnets(gws_reconcile *r, rc_stackplan *sp)
{
	const gws_model_load_balancer *lb = &sp->desired->load_balancer;
	const gws_model_subnets *want = &lb->subnets;
	bool alb = lb->type == GWS_MODEL_LB_APPLICATION;
	int rc = 0;

	if (want->mode == GWS_MODEL_SUBNETS_EXPLICIT)
		rc = explicit_subnets(r, sp, want, &sp->subnets);
	else if (want->mode == GWS_MODEL_SUBNETS_SELECTOR)
		rc = select_tagged(r, want, &sp->subnets);
	else
		rc = discover(r, lb, &sp->subnets);
	if (rc < 0 || sp->blocked)
		return rc;
	if (sp->subnets.count == 0) {
		sp->blocked = gws_arena_printf(
		        r->arena,
		        want->mode == GWS_MODEL_SUBNETS_DISCOVER
		                ? "no subnet in %s is tagged %s=1 for cluster %s (tag subnets, or "
		                  "set loadBalancerSubnets)"
		                : "no subnet in %s matches loadBalancerSubnets%s%s",
		        r->obs.vpc_id,
		        want->mode == GWS_MODEL_SUBNETS_DISCOVER
		                ? (strcmp(lb->scheme, "internal") == 0 ? ROLE_INTERNAL
		                                                       : ROLE_PUBLIC)
		                : "Selector",
		        want->mode == GWS_MODEL_SUBNETS_DISCOVER ? r->cluster : "");
		return sp->blocked ? 0 : GWS_ENOMEM;
	}
	if (alb && count_azs(r, &sp->subnets) < 2) {
		sp->blocked = gws_arena_printf(r->arena,
		                               "an application load balancer needs subnets in at "
		                               "least two availability zones; found %d",
		                               count_azs(r, &sp->subnets));
		return sp->blocked ? 0 : GWS_ENOMEM;
	}
	return 0;
}

/* ---- security groups --------------------------------------------------------------- */

static const gws_ec2_security_group *find_group(const gws_reconcile *r, const char *ident)
{
	for (size_t i = 0; i < r->obs.n_sgs; i++) {
		const gws_ec2_security_group *g = r->obs.sgs[i].aws;

		if (g->group_id && strcmp(g->group_id, ident) == 0)
			return g;
		if (g->group_name && strcmp(g->group_name, ident) == 0 && g->vpc_id &&
		    r->obs.vpc_id && strcmp(g->vpc_id, r->obs.vpc_id) == 0)
			return g;
	}
	return NULL;
}

static int resolve_groups(gws_reconcile *r, rc_stackplan *sp)
{
	const gws_model_security_groups *want = &sp->desired->load_balancer.security_groups;
	const char **ids;

	if (want->mode != GWS_MODEL_SG_EXPLICIT)
		return 0;
	ids = RC_NEWN(r, const char *, want->groups.n ? want->groups.n : 1);
	if (!ids)
		return GWS_ENOMEM;
	for (size_t i = 0; i < want->groups.n; i++) {
		const char *ident = want->groups.items[i];
		const gws_ec2_security_group *g = find_group(r, ident);

		if (!g && strncmp(ident, "sg-", 3) != 0) {
			sp->blocked =
			        gws_arena_printf(r->arena, "security group %s not found in %s",
			                         ident, r->obs.vpc_id);
			return sp->blocked ? 0 : GWS_ENOMEM;
		}
		/* An id that was not listed is passed through: AWS says if it is wrong. */
		ids[i] = g ? g->group_id : ident;
	}
	sp->sgs.items = ids;
	sp->sgs.count = want->groups.n;
	return 0;
}

/* Names of explicit security groups, looked up once for every stack. */
int rc_resolve_group_names(gws_reconcile *r)
{
	gws_vec names = GWS_VEC_INIT;
	const char *vpc[1] = {r->obs.vpc_id};
	gws_ec2_filter f[2];
	gws_ec2_filters filters = {f, 2};
	gws_ec2_security_groups found = {0};
	int rc = 0;

	for (size_t s = 0; s < r->n_stacks; s++) {
		const rc_stackplan *sp = &r->stacks[s];
		const gws_model_security_groups *want;

		if (!sp->desired || !sp->in_shard)
			continue;
		want = &sp->desired->load_balancer.security_groups;
		if (want->mode != GWS_MODEL_SG_EXPLICIT)
			continue;
		for (size_t i = 0; i < want->groups.n; i++)
			if (strncmp(want->groups.items[i], "sg-", 3) != 0 &&
			    (rc = gws_vec_push(&names, (void *)want->groups.items[i])) < 0)
				goto cleanup;
	}
	if (!names.len || !r->obs.vpc_id)
		goto cleanup;
	f[0] = (gws_ec2_filter){"vpc-id", {vpc, 1}};
	f[1] = (gws_ec2_filter){"group-name", {(const char **)names.items, names.len}};
	if ((rc = gws_ec2_describe_security_groups(r->client, r->arena, NULL, &filters, &found)) <
	    0) {
		const gws_aws_error *e = gws_aws_client_last_error(r->client);

		if (rc == GWS_EAUTH)
			r->auth_failed = true;
		gws_error_set(rc, "observe: DescribeSecurityGroups: %s: %s", e->code, e->message);
		goto cleanup;
	}
	if (found.count) {
		rc_osg *grown = RC_NEWN(r, rc_osg, r->obs.n_sgs + found.count);

		if (!grown) {
			rc = GWS_ENOMEM;
			goto cleanup;
		}
		memcpy(grown, r->obs.sgs, r->obs.n_sgs * sizeof(*grown));
		for (size_t i = 0; i < found.count; i++) {
			grown[r->obs.n_sgs + i].aws = &found.items[i];
			grown[r->obs.n_sgs + i].owner = RC_FOREIGN;
		}
		/* Stacks point at the owned entries: keep those where they were. */
		r->obs.sgs = grown;
		r->obs.n_sgs += found.count;
	}
cleanup:
	gws_vec_dispose(&names);
	return rc;
}

int rc_resolve_stack(gws_reconcile *r, rc_stackplan *sp)
{
	int rc;

	if (!sp->desired || sp->blocked)
		return 0;
	if (!r->obs.vpc_id) {
		sp->blocked = r->obs.vpc_error ? r->obs.vpc_error : "no VPC: give --vpc-id";
		return 0;
	}
	/* An existing load balancer keeps the subnets it has when they were discovered
	 * (as LBC does): newly tagged subnets do not move a running load balancer. */
	if ((rc = resolve_subnets(r, sp)) < 0 || sp->blocked)
		return rc;
	return resolve_groups(r, sp);
}
