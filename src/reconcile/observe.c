/*
 * Observe: read what gwsync owns, once for the whole run (not once per
 * Gateway), in a few waves of concurrent calls:
 *
 *   1. the region's load balancers and target groups, the security groups
 *      tagged for the cluster, and the subnets (paginated listings);
 *   2. the tags of every load balancer and target group (20 ARNs a call;
 *      a shard skips the target groups of other shards' load balancers):
 *      ownership is decided here, by tags only;
 *   3. per owned load balancer of this run's stacks: listeners and
 *      attributes; target group attributes where the manifests set some;
 *   4. per listener: rules (ALB), extra certificates (HTTPS/TLS),
 *      attributes where the manifests set some;
 *   5. the tags of those listeners and rules.
 *
 * A failure of a shared listing fails the run (nothing can be known);
 * a failure of a per-stack read marks that stack unreadable: it is not
 * planned, and prune is refused (docs/reconcile.md, "Observe").
 */
#include <stdlib.h>
#include <string.h>

#include "reconcile/internal.h"

/* ---- tag lookup by ARN ------------------------------------------------------------ */

static int cmp_tagdesc(const void *a, const void *b)
{
	const gws_elbv2_tag_description *x = a, *y = b;

	return gws_strcmp_null(x->resource_arn, y->resource_arn);
}

static const gws_aws_kvs *tags_for(const gws_elbv2_tag_descriptions *d, const char *arn)
{
	size_t lo = 0, hi = d->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = gws_strcmp_null(d->items[mid].resource_arn, arn);

		if (c == 0)
			return &d->items[mid].tags;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void set_error(gws_reconcile *r, const gws_aws_error *e, int rc, const char *what)
{
	if (rc == GWS_EAUTH)
		r->auth_failed = true;
	if (e && e->code[0])
		gws_error_set(rc, "observe: %s: %s: %s", what, e->code, e->message);
	else if (e && e->message[0])
		gws_error_set(rc, "observe: %s: %s", what, e->message);
	else
		gws_error_set(rc, "observe: %s: %s", what, gws_error_last());
}

/* Marks a stack unreadable (the first failure is kept). */
static void stack_failed(gws_reconcile *r, rc_stackplan *sp, const char *what, int rc,
                         const gws_aws_error *e)
{
	r->obs.complete = false;
	if (rc == GWS_EAUTH)
		r->auth_failed = true;
	if (!sp || !sp->observed || sp->observed->read_error)
		return;
	sp->observed->read_auth = rc == GWS_EAUTH;
	if (e && e->code[0])
		sp->observed->read_error =
		        gws_arena_printf(r->arena, "%s failed: %s: %s", what, e->code, e->message);
	else
		sp->observed->read_error =
		        gws_arena_printf(r->arena, "%s failed: %s", what,
		                         e && e->message[0] ? e->message : gws_error_name(rc));
}

/* ---- wave 1: listings --------------------------------------------------------------- */

typedef struct {
	gws_elbv2_load_balancers lbs;
	gws_elbv2_target_groups tgs;
	gws_ec2_security_groups sgs;
} listings;

static int read_listings(gws_reconcile *r, listings *l)
{
	gws_elbv2_describe_input in;
	char tag_filter[] = "tag:" RC_TAG_CLUSTER;
	const char *cluster[1] = {r->cluster};
	const char *vpc[1] = {r->opts.vpc_id};
	gws_ec2_filter sg_filter = {tag_filter, {cluster, 1}};
	gws_ec2_filters sg_filters = {&sg_filter, 1};
	gws_ec2_filter vpc_filter = {"vpc-id", {vpc, 1}};
	gws_ec2_filters subnet_filters = {&vpc_filter, r->opts.vpc_id ? 1 : 0};
	static const char *const what[] = {"DescribeLoadBalancers", "DescribeTargetGroups",
	                                   "DescribeSecurityGroups", "DescribeSubnets"};
	int rcs[4] = {0};
	gws_aws_error errs[4];
	int rc;

	memset(&in, 0, sizeof(in));
	memset(errs, 0, sizeof(errs));
	if ((rc = gws_aws_batch_begin(r->client)) < 0)
		return rc;
	gws_elbv2_describe_load_balancers(r->client, r->arena, &in, &l->lbs);
	gws_elbv2_describe_target_groups(r->client, r->arena, NULL, &in, &l->tgs);
	gws_ec2_describe_security_groups(r->client, r->arena, NULL, &sg_filters, &l->sgs);
	gws_ec2_describe_subnets(r->client, r->arena, NULL, &subnet_filters, &r->obs.subnets);
	gws_aws_batch_run_errors(r->client, rcs, errs, 4);
	for (size_t i = 0; i < 4; i++) {
		if (rcs[i] < 0) {
			set_error(r, &errs[i], rcs[i], what[i]);
			return rcs[i];
		}
	}
	return 0;
}

/* ---- wave 2: tags and ownership --------------------------------------------------- */

static int describe_tags(gws_reconcile *r, gws_aws_strings *arns, gws_elbv2_tag_descriptions *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!arns->count)
		return 0;
	if ((rc = gws_elbv2_describe_tags(r->client, r->arena, arns, out)) < 0) {
		set_error(r, gws_aws_client_last_error(r->client), rc, "DescribeTags");
		return rc;
	}
	gws_qsort(out->items, out->count, sizeof(*out->items), cmp_tagdesc);
	return 0;
}

/* True when the load balancer is this cluster's and belongs to another shard. */
static bool other_shards_lb(gws_reconcile *r, const gws_elbv2_tag_descriptions *lb_tags,
                            const char *arn)
{
	const gws_aws_kvs *tags = tags_for(lb_tags, arn);
	const char *stack;

	if (!tags || rc_ownership(tags, r->cluster) != RC_OWNED)
		return false;
	stack = rc_tag(tags, RC_TAG_STACK);
	return stack && !rc_in_shard(r, stack);
}

/*
 * A shard needs the tags of its own target groups only, yet ownership is in
 * the tags. A target group gwsync made is used by its own stack's load
 * balancer alone, so one attached only to other shards' load balancers is
 * theirs: its tags are not read (it stays unowned here, never touched).
 * Without this, every shard would read the tags of the whole region's target
 * groups, and N shards would read N times what one run does.
 */
static bool skip_tg(gws_reconcile *r, const gws_elbv2_tag_descriptions *lb_tags,
                    const gws_elbv2_target_group *tg)
{
	if (!tg->load_balancer_arns.count)
		return false;
	for (size_t i = 0; i < tg->load_balancer_arns.count; i++)
		if (!other_shards_lb(r, lb_tags, tg->load_balancer_arns.items[i]))
			return false;
	return true;
}

/* The tags of every load balancer and target group (docs/reconcile.md,
 * "Observe"); a shard reads its own target groups' only (skip_tg). */
static int read_tags(gws_reconcile *r, const listings *l, gws_elbv2_tag_descriptions *out)
{
	gws_elbv2_tag_descriptions lb_tags, tg_tags;
	gws_aws_strings arns;
	size_t n = l->lbs.count + l->tgs.count, k = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	arns.items = RC_NEWN(r, const char *, n);
	if (!arns.items)
		return GWS_ENOMEM;
	for (size_t i = 0; i < l->lbs.count; i++)
		arns.items[k++] = l->lbs.items[i].arn;
	if (!rc_sharded(r)) {
		for (size_t i = 0; i < l->tgs.count; i++)
			arns.items[k++] = l->tgs.items[i].arn;
		arns.count = k;
		return describe_tags(r, &arns, out);
	}
	arns.count = k;
	if ((rc = describe_tags(r, &arns, &lb_tags)) < 0)
		return rc;
	arns.items += k;
	arns.count = 0;
	for (size_t i = 0; i < l->tgs.count; i++)
		if (!skip_tg(r, &lb_tags, &l->tgs.items[i]))
			arns.items[arns.count++] = l->tgs.items[i].arn;
	if ((rc = describe_tags(r, &arns, &tg_tags)) < 0)
		return rc;
	out->count = lb_tags.count + tg_tags.count;
	out->items = RC_NEWN(r, gws_elbv2_tag_description, out->count ? out->count : 1);
	if (!out->items)
		return GWS_ENOMEM;
	if (lb_tags.count)
		memcpy(out->items, lb_tags.items, lb_tags.count * sizeof(*out->items));
	if (tg_tags.count)
		memcpy(out->items + lb_tags.count, tg_tags.items,
		       tg_tags.count * sizeof(*out->items));
	gws_qsort(out->items, out->count, sizeof(*out->items), cmp_tagdesc);
	return 0;
}

static void classify_lbs(gws_reconcile *r, const listings *l, const gws_elbv2_tag_descriptions *t)
{
	rc_observed *o = &r->obs;

	for (size_t i = 0; i < l->lbs.count; i++) {
		rc_olb *lb = &o->lbs[o->n_lbs++];
		const gws_aws_kvs *tags = tags_for(t, l->lbs.items[i].arn);

		lb->aws = &l->lbs.items[i];
		if (tags)
			lb->tags = *tags;
		lb->owner = rc_ownership(&lb->tags, r->cluster);
		lb->stack = rc_tag(&lb->tags, RC_TAG_STACK);
		lb->id = rc_tag(&lb->tags, RC_TAG_RESOURCE);
		lb->spec = rc_tag(&lb->tags, GWS_RECONCILE_SPEC_TAG);
		if (lb->owner == RC_OWNED && strcmp(lb->id, RC_LB_ID) != 0)
			lb->owner = RC_FOREIGN; /* says it is something else: not ours to touch */
	}
	for (size_t i = 0; i < l->tgs.count; i++) {
		rc_otg *tg = &o->tgs[o->n_tgs++];
		const gws_aws_kvs *tags = tags_for(t, l->tgs.items[i].arn);

		tg->aws = &l->tgs.items[i];
		if (tags)
			tg->tags = *tags;
		tg->owner = rc_ownership(&tg->tags, r->cluster);
		tg->stack = rc_tag(&tg->tags, RC_TAG_STACK);
		tg->id = rc_tag(&tg->tags, RC_TAG_RESOURCE);
		tg->spec = rc_tag(&tg->tags, GWS_RECONCILE_SPEC_TAG);
	}
	for (size_t i = 0; i < o->n_sgs; i++) {
		rc_osg *sg = &o->sgs[i];

		sg->owner = rc_ownership(&sg->aws->tags, r->cluster);
		sg->stack = rc_tag(&sg->aws->tags, RC_TAG_STACK);
		sg->id = rc_tag(&sg->aws->tags, RC_TAG_RESOURCE);
		sg->spec = rc_tag(&sg->aws->tags, GWS_RECONCILE_SPEC_TAG);
		if (sg->owner == RC_OWNED && strcmp(sg->id, RC_SG_ID) != 0)
			sg->owner = RC_FOREIGN;
	}
}

/* ---- grouping by stack ------------------------------------------------------------- */

typedef struct {
	const char *stack;
	int kind; /* 0 lb, 1 tg, 2 sg */
	void *item;
} stack_item;

static int cmp_stack_item(const void *a, const void *b)
{
	const stack_item *x = a, *y = b;

	return strcmp(x->stack, y->stack);
}

static int push_item(rc_ostack *s, gws_reconcile *r, const stack_item *it)
{
	void ***arr;
	size_t *n;

	if (it->kind == 0) {
		arr = (void ***)&s->lbs;
		n = &s->n_lbs;
	} else if (it->kind == 1) {
		arr = (void ***)&s->tgs;
		n = &s->n_tgs;
	} else {
		arr = (void ***)&s->sgs;
		n = &s->n_sgs;
	}
	/* Arena arrays grow by doubling: stacks hold a handful of items. */
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? *n * 2 : 1;
		void **grown = RC_NEWN(r, void *, cap);

		if (!grown)
			return GWS_ENOMEM;
		if (*n)
			memcpy(grown, *arr, *n * sizeof(void *));
		*arr = grown;
	}
	(*arr)[(*n)++] = it->item;
	return 0;
}

static int group_by_stack(gws_reconcile *r)
{
	rc_observed *o = &r->obs;
	size_t n = 0, cap = o->n_lbs + o->n_tgs + o->n_sgs;
	stack_item *items = NULL;
	int rc = 0;

	if (!cap)
		return 0;
	items = gws_calloc(cap, sizeof(*items));
	if (!items)
		return GWS_ENOMEM;
	for (size_t i = 0; i < o->n_lbs; i++)
		if (o->lbs[i].owner == RC_OWNED)
			items[n++] = (stack_item){o->lbs[i].stack, 0, &o->lbs[i]};
	for (size_t i = 0; i < o->n_tgs; i++)
		if (o->tgs[i].owner == RC_OWNED)
			items[n++] = (stack_item){o->tgs[i].stack, 1, &o->tgs[i]};
	for (size_t i = 0; i < o->n_sgs; i++)
		if (o->sgs[i].owner == RC_OWNED)
			items[n++] = (stack_item){o->sgs[i].stack, 2, &o->sgs[i]};
	/* A stable sort keeps AWS's order inside a stack. */
	gws_vec v = GWS_VEC_INIT;
	for (size_t i = 0; i < n; i++)
		if ((rc = gws_vec_push(&v, &items[i])) < 0)
			goto cleanup;
	if ((rc = gws_vec_sort(&v, cmp_stack_item)) < 0)
		goto cleanup;
	o->stacks = RC_NEWN(r, rc_ostack, n ? n : 1);
	if (!o->stacks) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < v.len; i++) {
		const stack_item *it = v.items[i];

		if (!o->n_stacks || strcmp(o->stacks[o->n_stacks - 1].stack, it->stack) != 0)
			o->stacks[o->n_stacks++].stack = it->stack;
		if ((rc = push_item(&o->stacks[o->n_stacks - 1], r, it)) < 0)
			goto cleanup;
	}
cleanup:
	gws_vec_dispose(&v);
	gws_free(items);
	return rc;
}

/* ---- waves 3-5: details of the stacks this run handles ---------------------------- */

static bool wants_details(const rc_stackplan *sp)
{
	return sp->in_shard && sp->observed && !sp->blocked;
}

static const gws_model_listener *desired_listener(const rc_stackplan *sp, int port)
{
	for (size_t i = 0; sp->desired && i < sp->desired->n_listeners; i++)
		if (sp->desired->listeners[i]->port == port)
			return sp->desired->listeners[i];
	return NULL;
}

static const gws_model_target_group *desired_tg(const rc_stackplan *sp, const char *id)
{
	for (size_t i = 0; sp->desired && id && i < sp->desired->n_target_groups; i++)
		if (strcmp(sp->desired->target_groups[i]->id, id) == 0)
			return sp->desired->target_groups[i];
	return NULL;
}

/* Per-call bookkeeping of a detail wave: which stack a queued call belongs to. */
typedef struct {
	rc_stackplan **sp;
	const char **what;
	size_t n, cap;
	int *rcs;
	gws_aws_error *errs;
} wave;

static int wave_add(wave *w, rc_stackplan *sp, const char *what)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		rc_stackplan **s = gws_reallocarray(w->sp, cap, sizeof(*s));

		if (!s)
			return GWS_ENOMEM;
		w->sp = s;
		const char **wh = gws_reallocarray(w->what, cap, sizeof(*wh));
		if (!wh)
			return GWS_ENOMEM;
		w->what = wh;
		w->cap = cap;
	}
	w->sp[w->n] = sp;
	w->what[w->n++] = what;
	return 0;
}

/* Runs the queued calls; failures mark their stacks unreadable. */
static int wave_run(gws_reconcile *r, wave *w)
{
	int rc = 0;

	w->rcs = gws_calloc(w->n ? w->n : 1, sizeof(*w->rcs));
	w->errs = gws_calloc(w->n ? w->n : 1, sizeof(*w->errs));
	if (!w->rcs || !w->errs) {
		gws_aws_batch_run(r->client, NULL, 0);
		return GWS_ENOMEM;
	}
	gws_aws_batch_run_errors(r->client, w->rcs, w->errs, w->n);
	for (size_t i = 0; i < w->n; i++) {
		if (w->rcs[i] == GWS_ENOMEM)
			rc = GWS_ENOMEM;
		else if (w->rcs[i] < 0)
			stack_failed(r, w->sp[i], w->what[i], w->rcs[i], &w->errs[i]);
	}
	return rc;
}

static void wave_dispose(wave *w)
{
	gws_free(w->sp);
	gws_free(w->what);
	gws_free(w->rcs);
	gws_free(w->errs);
	memset(w, 0, sizeof(*w));
}

/* Attributes are read when the manifests set some, or when deletion protection
 * matters: the load balancer may be deleted (prune, replacement). */
static bool needs_lb_attributes(const rc_stackplan *sp, const rc_olb *lb)
{
	const gws_model_load_balancer *want;

	if (!sp->desired)
		return true;
	want = &sp->desired->load_balancer;
	if (want->attributes.n)
		return true;
	return gws_strcmp_null(lb->aws->type, gws_model_lb_type_name(want->type)) != 0 ||
	       gws_strcmp_null(lb->aws->scheme, want->scheme) != 0 ||
	       gws_strcmp_null(lb->aws->name, want->name) != 0;
}

static int read_lb_details(gws_reconcile *r)
{
	wave w = {0};
	int rc;

	if ((rc = gws_aws_batch_begin(r->client)) < 0)
		return rc;
	for (size_t s = 0; s < r->n_stacks; s++) {
		rc_stackplan *sp = &r->stacks[s];

		if (!wants_details(sp))
			continue;
		for (size_t i = 0; i < sp->observed->n_lbs; i++) {
			rc_olb *lb = sp->observed->lbs[i];

			/* A pruned stack needs no listeners, only its deletion protection. */
			if (sp->desired) {
				gws_elbv2_describe_listeners(r->client, r->arena, lb->aws->arn,
				                             NULL, &lb->raw_listeners);
				if ((rc = wave_add(&w, sp, "DescribeListeners")) < 0)
					goto fail;
			}
			if (!needs_lb_attributes(sp, lb))
				continue;
			gws_elbv2_describe_attributes(r->client, r->arena, GWS_ELBV2_LOAD_BALANCER,
			                              lb->aws->arn, &lb->attributes);
			lb->has_attributes = true;
			if ((rc = wave_add(&w, sp, "DescribeLoadBalancerAttributes")) < 0)
				goto fail;
		}
		for (size_t i = 0; i < sp->observed->n_tgs; i++) {
			rc_otg *tg = sp->observed->tgs[i];
			const gws_model_target_group *want = desired_tg(sp, tg->id);

			/* Only the attributes gwsync manages are read (docs/reconcile.md). */
			if (!want || !want->attributes.n)
				continue;
			gws_elbv2_describe_attributes(r->client, r->arena, GWS_ELBV2_TARGET_GROUP,
			                              tg->aws->arn, &tg->attributes);
			tg->has_attributes = true;
			if ((rc = wave_add(&w, sp, "DescribeTargetGroupAttributes")) < 0)
				goto fail;
		}
	}
	rc = wave_run(r, &w);
	wave_dispose(&w);
	return rc;
fail:
	gws_aws_batch_run(r->client, NULL, 0);
	wave_dispose(&w);
	return rc;
}

static bool is_tls(const char *protocol)
{
	return protocol && (strcmp(protocol, "HTTPS") == 0 || strcmp(protocol, "TLS") == 0);
}

static int attach_listeners(gws_reconcile *r)
{
	for (size_t s = 0; s < r->n_stacks; s++) {
		rc_stackplan *sp = &r->stacks[s];

		if (!wants_details(sp) || !sp->desired || sp->observed->read_error)
			continue;
		for (size_t i = 0; i < sp->observed->n_lbs; i++) {
			rc_olb *lb = sp->observed->lbs[i];
			const gws_elbv2_listeners *ls = &lb->raw_listeners;

			lb->listeners = RC_NEWN(r, rc_olistener, ls->count ? ls->count : 1);
			if (!lb->listeners)
				return GWS_ENOMEM;
			for (size_t k = 0; k < ls->count; k++)
				lb->listeners[k].aws = &ls->items[k];
			lb->n_listeners = ls->count;
		}
	}
	return 0;
}

static int read_listener_details(gws_reconcile *r)
{
	wave w = {0};
	int rc;

	if ((rc = gws_aws_batch_begin(r->client)) < 0)
		return rc;
	for (size_t s = 0; s < r->n_stacks; s++) {
		rc_stackplan *sp = &r->stacks[s];

		if (!wants_details(sp) || sp->observed->read_error)
			continue;
		for (size_t i = 0; i < sp->observed->n_lbs; i++) {
			rc_olb *lb = sp->observed->lbs[i];
			bool alb = lb->aws->type && strcmp(lb->aws->type, "application") == 0;

			for (size_t k = 0; k < lb->n_listeners; k++) {
				rc_olistener *l = &lb->listeners[k];
				const gws_model_listener *want = desired_listener(sp, l->aws->port);

				if (alb) {
					gws_elbv2_describe_rules(r->client, r->arena, l->aws->arn,
					                         NULL, &l->raw_rules);
					if ((rc = wave_add(&w, sp, "DescribeRules")) < 0)
						goto fail;
				}
				/* Certificates beyond the default one are managed only when the
				 * manifests list some (docs/reconcile.md, "Listeners"). */
				if (is_tls(l->aws->protocol) && want && want->certificates.n > 1) {
					gws_elbv2_describe_listener_certificates(
					        r->client, r->arena, l->aws->arn, &l->certificates);
					l->has_certificates = true;
					if ((rc = wave_add(&w, sp,
					                   "DescribeListenerCertificates")) < 0)
						goto fail;
				}
				if (want && want->attributes.n) {
					gws_elbv2_describe_attributes(r->client, r->arena,
					                              GWS_ELBV2_LISTENER,
					                              l->aws->arn, &l->attributes);
					l->has_attributes = true;
					if ((rc = wave_add(&w, sp, "DescribeListenerAttributes")) <
					    0)
						goto fail;
				}
			}
		}
	}
	rc = wave_run(r, &w);
	wave_dispose(&w);
	return rc;
fail:
	gws_aws_batch_run(r->client, NULL, 0);
	wave_dispose(&w);
	return rc;
}

static int parse_priority(const char *p)
{
	long v;

	if (!p || gws_parse_long(&v, p, 1, 50000) < 0)
		return 0;
	return (int)v;
}

/* Wave 5: tags of listeners and rules, then ownership. */
static int read_child_tags(gws_reconcile *r)
{
	gws_vec arns = GWS_VEC_INIT;
	gws_elbv2_tag_descriptions tags = {0};
	gws_aws_strings list;
	int rc = 0;

	for (size_t s = 0; s < r->n_stacks; s++) {
		rc_stackplan *sp = &r->stacks[s];

		if (!wants_details(sp) || sp->observed->read_error)
			continue;
		for (size_t i = 0; i < sp->observed->n_lbs; i++) {
			rc_olb *lb = sp->observed->lbs[i];

			for (size_t k = 0; k < lb->n_listeners; k++) {
				rc_olistener *l = &lb->listeners[k];
				const gws_elbv2_rules *rules = &l->raw_rules;

				if ((rc = gws_vec_push(&arns, (void *)l->aws->arn)) < 0)
					goto cleanup;
				l->rules = RC_NEWN(r, rc_orule, rules->count ? rules->count : 1);
				if (!l->rules) {
					rc = GWS_ENOMEM;
					goto cleanup;
				}
				for (size_t q = 0; q < rules->count; q++) {
					if (rules->items[q].is_default)
						continue;
					l->rules[l->n_rules].aws = &rules->items[q];
					l->rules[l->n_rules++].priority =
					        parse_priority(rules->items[q].priority);
					if ((rc = gws_vec_push(&arns,
					                       (void *)rules->items[q].arn)) < 0)
						goto cleanup;
				}
			}
		}
	}
	if (!arns.len)
		goto cleanup;
	list.items = (const char **)arns.items;
	list.count = arns.len;
	if ((rc = gws_elbv2_describe_tags(r->client, r->arena, &list, &tags)) < 0) {
		const gws_aws_error *e = gws_aws_client_last_error(r->client);

		/* One call for every stack: each of them is now unreadable. */
		for (size_t s = 0; s < r->n_stacks; s++)
			if (wants_details(&r->stacks[s]) && r->stacks[s].observed->n_lbs)
				stack_failed(r, &r->stacks[s], "DescribeTags", rc, e);
		rc = rc == GWS_ENOMEM ? rc : 0;
		goto cleanup;
	}
	gws_qsort(tags.items, tags.count, sizeof(*tags.items), cmp_tagdesc);
	for (size_t s = 0; s < r->n_stacks; s++) {
		rc_stackplan *sp = &r->stacks[s];

		if (!wants_details(sp) || sp->observed->read_error)
			continue;
		for (size_t i = 0; i < sp->observed->n_lbs; i++) {
			rc_olb *lb = sp->observed->lbs[i];

			for (size_t k = 0; k < lb->n_listeners; k++) {
				rc_olistener *l = &lb->listeners[k];
				const gws_aws_kvs *t = tags_for(&tags, l->aws->arn);

				if (t)
					l->tags = *t;
				l->owner = rc_ownership(&l->tags, r->cluster);
				l->spec = rc_tag(&l->tags, GWS_RECONCILE_SPEC_TAG);
				for (size_t q = 0; q < l->n_rules; q++) {
					rc_orule *ru = &l->rules[q];

					t = tags_for(&tags, ru->aws->arn);
					if (t)
						ru->tags = *t;
					ru->owner = rc_ownership(&ru->tags, r->cluster);
					ru->spec = rc_tag(&ru->tags, GWS_RECONCILE_SPEC_TAG);
				}
			}
		}
	}
cleanup:
	gws_vec_dispose(&arns);
	return rc;
}

static void progress(gws_reconcile *r, size_t done, size_t total)
{
	if (r->opts.progress)
		r->opts.progress(r->opts.progress_ctx, "observe", done, total);
}

int rc_observe_listings(gws_reconcile *r)
{
	listings l;
	gws_elbv2_tag_descriptions tags;
	int rc;

	memset(&l, 0, sizeof(l));
	r->obs.complete = true;
	progress(r, 0, 5);
	if ((rc = read_listings(r, &l)) < 0)
		return rc;
	progress(r, 1, 5);
	if ((rc = read_tags(r, &l, &tags)) < 0)
		return rc;
	progress(r, 2, 5);
	r->obs.lbs = RC_NEWN(r, rc_olb, l.lbs.count ? l.lbs.count : 1);
	r->obs.tgs = RC_NEWN(r, rc_otg, l.tgs.count ? l.tgs.count : 1);
	r->obs.sgs = RC_NEWN(r, rc_osg, l.sgs.count ? l.sgs.count : 1);
	if (!r->obs.lbs || !r->obs.tgs || !r->obs.sgs)
		return GWS_ENOMEM;
	for (size_t i = 0; i < l.sgs.count; i++)
		r->obs.sgs[r->obs.n_sgs++].aws = &l.sgs.items[i];
	classify_lbs(r, &l, &tags);
	return group_by_stack(r);
}

int rc_observe_details(gws_reconcile *r)
{
	int rc;

	if ((rc = read_lb_details(r)) < 0)
		return rc;
	progress(r, 3, 5);
	if ((rc = attach_listeners(r)) < 0)
		return rc;
	if ((rc = read_listener_details(r)) < 0)
		return rc;
	progress(r, 4, 5);
	if ((rc = read_child_tags(r)) < 0)
		return rc;
	progress(r, 5, 5);
	return 0;
}
