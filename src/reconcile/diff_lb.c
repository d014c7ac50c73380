/*
 * The load balancer and its managed security group.
 *
 * Load balancer: matched by its resource tag; a different type or scheme
 * replaces it (a new DNS name: the plan says so). When the new name differs
 * (a scheme change), the new load balancer is created first and the old one
 * deleted before the listeners move (a target group serves one load
 * balancer only); when it is the same (a type change), the old one must go
 * first. IP address type, subnets, security groups, attributes and tags
 * are updated in place. A load balancer with the desired name that gwsync
 * does not own is never adopted.
 */
#include <stdlib.h>
#include <string.h>

#include "reconcile/describe.h"
#include "reconcile/ops.h"

static const char *lb_address(gws_reconcile *r, const rc_stackplan *sp)
{
	return gws_arena_printf(r->arena, "%s load balancer", sp->stack);
}

static const char *sg_address(gws_reconcile *r, const rc_stackplan *sp)
{
	return gws_arena_printf(r->arena, "%s security group", sp->stack);
}

/* ---- security group ------------------------------------------------------------------ */

/* One ingress permission as a comparable string. */
static const char *perm_key(gws_reconcile *r, const char *proto, int from, int to, const char *kind,
                            const char *value)
{
	return gws_arena_printf(r->arena, "%s %d-%d %s %s", proto, from, to, kind, value);
}

typedef struct {
	const char *key;
	gws_ec2_ip_permission perm;
} perm_item;

static int add_item(gws_reconcile *r, gws_vec *v, const char *proto, bool ports, int from, int to,
                    int kind, const char *value)
{
	perm_item *it = RC_NEW(r, perm_item);
	gws_ec2_peer *peer = RC_NEW(r, gws_ec2_peer);
	static const char *const kinds[] = {"cidr", "cidr6", "prefix-list", "group"};

	if (!it || !peer)
		return GWS_ENOMEM;
	peer->id = value;
	it->key = perm_key(r, proto, ports ? from : -1, ports ? to : -1, kinds[kind], value);
	it->perm.ip_protocol = proto;
	it->perm.has_ports = ports;
	it->perm.from_port = from;
	it->perm.to_port = to;
	if (kind == 0) {
		it->perm.ip_ranges = peer;
		it->perm.ip_range_count = 1;
	} else if (kind == 1) {
		it->perm.ipv6_ranges = peer;
		it->perm.ipv6_range_count = 1;
	} else if (kind == 2) {
		it->perm.prefix_lists = peer;
		it->perm.prefix_list_count = 1;
	} else {
		it->perm.groups = peer;
		it->perm.group_count = 1;
	}
	return it->key ? gws_vec_push(v, it) : GWS_ENOMEM;
}

static int desired_perms(gws_reconcile *r, const gws_model_security_groups *g, gws_vec *out)
{
	int rc = 0;

	for (size_t i = 0; i < g->n_ingress && rc == 0; i++) {
		const gws_model_sg_ingress *p = &g->ingress[i];
		bool ports = strcmp(p->ip_protocol, "-1") != 0;

		if (p->cidr_ipv4)
			rc = add_item(r, out, p->ip_protocol, ports, p->from_port, p->to_port, 0,
			              p->cidr_ipv4);
		else if (p->cidr_ipv6)
			rc = add_item(r, out, p->ip_protocol, ports, p->from_port, p->to_port, 1,
			              p->cidr_ipv6);
		else if (p->prefix_list_id)
			rc = add_item(r, out, p->ip_protocol, ports, p->from_port, p->to_port, 2,
			              p->prefix_list_id);
	}
	return rc;
}

static int observed_perms(gws_reconcile *r, const gws_ec2_security_group *g, gws_vec *out)
{
	int rc = 0;

	for (size_t i = 0; i < g->ingress.count && rc == 0; i++) {
		const gws_ec2_ip_permission *p = &g->ingress.items[i];
		const char *proto = p->ip_protocol ? p->ip_protocol : "-1";

		for (size_t k = 0; k < p->ip_range_count && rc == 0; k++)
			rc = add_item(r, out, proto, p->has_ports, p->from_port, p->to_port, 0,
			              p->ip_ranges[k].id);
		for (size_t k = 0; k < p->ipv6_range_count && rc == 0; k++)
			rc = add_item(r, out, proto, p->has_ports, p->from_port, p->to_port, 1,
			              p->ipv6_ranges[k].id);
		for (size_t k = 0; k < p->prefix_list_count && rc == 0; k++)
			rc = add_item(r, out, proto, p->has_ports, p->from_port, p->to_port, 2,
			              p->prefix_lists[k].id);
		for (size_t k = 0; k < p->group_count && rc == 0; k++)
			rc = add_item(r, out, proto, p->has_ports, p->from_port, p->to_port, 3,
			              p->groups[k].id);
	}
	return rc;
}

static bool in_set(const gws_vec *v, const char *key)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(((perm_item *)v->items[i])->key, key) == 0)
			return true;
	return false;
}

/* Permissions of `a` missing from `b`, as one request's list. */
static gws_ec2_ip_permissions missing(gws_reconcile *r, const gws_vec *a, const gws_vec *b)
{
	gws_ec2_ip_permissions out = {NULL, 0};

	out.items = RC_NEWN(r, gws_ec2_ip_permission, a->len ? a->len : 1);
	if (!out.items)
		return out;
	for (size_t i = 0; i < a->len; i++) {
		const perm_item *it = a->items[i];

		if (!in_set(b, it->key))
			out.items[out.count++] = it->perm;
	}
	return out;
}

static int perm_fields(gws_reconcile *r, gws_plan_change *c, const gws_vec *from, const gws_vec *to,
                       bool added)
{
	for (size_t i = 0; i < from->len; i++) {
		const perm_item *it = from->items[i];

		if (in_set(to, it->key))
			continue;
		if (rc_change_field(r, c, "ingress", added ? NULL : it->key,
		                    added ? it->key : NULL) < 0)
			return GWS_ENOMEM;
	}
	return 0;
}

static rc_osg *pick_group(rc_stackplan *sp, const char *name)
{
	rc_osg *first = NULL;

	for (size_t i = 0; sp->observed && i < sp->observed->n_sgs; i++) {
		rc_osg *g = sp->observed->sgs[i];

		if (g->used)
			continue;
		if (g->aws->group_name && name && strcmp(g->aws->group_name, name) == 0)
			return g;
		if (!first)
			first = g;
	}
	return first;
}

int rc_diff_security_group(gws_reconcile *r, rc_stackplan *sp, bool parent_unchanged)
{
	const gws_model_security_groups *want = &sp->desired->load_balancer.security_groups;
	gws_vec w = GWS_VEC_INIT, h = GWS_VEC_INIT;
	gws_plan_change *c = NULL;
	const char *hash;
	rc_osg *have;
	gws_aws_kvs tags;
	int rc = 0;

	if (want->mode != GWS_MODEL_SG_MANAGED)
		return 0;
	if (!(hash = rc_hash_security_group(r, want)))
		return GWS_ENOMEM;
	tags = rc_desired_tags(r, &want->tags, hash);
	if ((rc = desired_perms(r, want, &w)) < 0)
		goto cleanup;
	have = pick_group(sp, want->name);
	if (!have) {
		c = rc_change_add(r, sp, GWS_PLAN_SECURITY_GROUP, GWS_PLAN_CREATE, want->id,
		                  sg_address(r, sp));
		if (!c) {
			rc = GWS_ENOMEM;
			goto cleanup;
		}
		c->name = want->name;
		c->drift = parent_unchanged;
		if (!rc_op_sg_create(r, sp, c, want->name, want->description, tags, &sp->sg_slot) ||
		    (w.len && !rc_op_sg_ingress(r, sp, c, RC_STAGE_SG_UPDATE, &sp->sg_slot,
		                                missing(r, &w, &h), false))) {
			rc = GWS_ENOMEM;
			goto cleanup;
		}
		rc = perm_fields(r, c, &w, &h, true);
		goto cleanup;
	}
	have->used = true;
	sp->sg_slot.arn = have->aws->group_id;
	sp->sg_slot.name = have->aws->group_name;
	if ((rc = observed_perms(r, have->aws, &h)) < 0)
		goto cleanup;
	{
		gws_ec2_ip_permissions add = missing(r, &w, &h), del = missing(r, &h, &w);

		if (add.count || del.count) {
			c = rc_change_add(r, sp, GWS_PLAN_SECURITY_GROUP, GWS_PLAN_UPDATE, want->id,
			                  sg_address(r, sp));
			if (!c) {
				rc = GWS_ENOMEM;
				goto cleanup;
			}
			c->aws_id = have->aws->group_id;
			if ((rc = perm_fields(r, c, &w, &h, true)) < 0 ||
			    (rc = perm_fields(r, c, &h, &w, false)) < 0)
				goto cleanup;
			/* Authorize before revoke: the group never lets less in than both states.
			 */
			if ((add.count && !rc_op_sg_ingress(r, sp, c, RC_STAGE_SG_UPDATE,
			                                    &sp->sg_slot, add, false)) ||
			    (del.count && !rc_op_sg_ingress(r, sp, c, RC_STAGE_SG_UPDATE,
			                                    &sp->sg_slot, del, true))) {
				rc = GWS_ENOMEM;
				goto cleanup;
			}
		}
	}
	if ((rc = rc_diff_tags(r, sp, &c, GWS_PLAN_SECURITY_GROUP, want->id, sg_address(r, sp),
	                       &sp->sg_slot, &tags, &have->aws->tags, true)) < 0)
		goto cleanup;
	if (c) {
		c->name = have->aws->group_name;
		c->drift = have->spec && strcmp(have->spec, hash) == 0;
	}
cleanup:
	gws_vec_dispose(&w);
	gws_vec_dispose(&h);
	return rc;
}

/* Managed groups of the stack nothing uses any more (after SetSecurityGroups). */
int rc_diff_security_group_leftovers(gws_reconcile *r, rc_stackplan *sp)
{
	for (size_t i = 0; sp->observed && i < sp->observed->n_sgs; i++) {
		rc_osg *g = sp->observed->sgs[i];
		gws_plan_change *c;

		if (g->used)
			continue;
		g->used = true;
		c = rc_change_add(r, sp, GWS_PLAN_SECURITY_GROUP, GWS_PLAN_DELETE, g->id,
		                  sg_address(r, sp));
		if (!c)
			return GWS_ENOMEM;
		c->name = g->aws->group_name;
		c->aws_id = g->aws->group_id;
		c->reason = sp->prune ? "its Gateway is no longer in the manifests (--prune)"
		                      : "the Gateway no longer uses a managed security group";
		if (!rc_op_sg_delete(r, sp, c, g->aws->group_id))
			return GWS_ENOMEM;
	}
	return 0;
}

/* ---- load balancer --------------------------------------------------------------------- */

static rc_olb *pick_lb(rc_stackplan *sp, const char *name)
{
	rc_olb *first = NULL;

	for (size_t i = 0; sp->observed && i < sp->observed->n_lbs; i++) {
		rc_olb *lb = sp->observed->lbs[i];

		if (lb->used)
			continue;
		if (lb->aws->name && strcmp(lb->aws->name, name) == 0)
			return lb;
		if (!first)
			first = lb;
	}
	return first;
}

static rc_olb *foreign_lb(gws_reconcile *r, const char *name)
{
	for (size_t i = 0; i < r->obs.n_lbs; i++)
		if (r->obs.lbs[i].aws->name && strcmp(r->obs.lbs[i].aws->name, name) == 0 &&
		    r->obs.lbs[i].owner != RC_OWNED)
			return &r->obs.lbs[i];
	return NULL;
}

bool rc_deletion_protected(const rc_olb *lb)
{
	const char *v = rc_tag(&lb->attributes, "deletion_protection.enabled");

	return v && strcmp(v, "true") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return gws_strcmp_null(*(const char *const *)a, *(const char *const *)b);
}

/* Two id lists hold the same set. */
static bool same_set(gws_reconcile *r, const char *const *a, size_t na, const char *const *b,
                     size_t nb)
{
	const char **x, **y;

	if (na != nb)
		return false;
	if (!na)
		return true;
	x = RC_NEWN(r, const char *, na);
	y = RC_NEWN(r, const char *, nb);
	if (!x || !y)
		return false;
	memcpy(x, a, na * sizeof(*x));
	memcpy(y, b, nb * sizeof(*y));
	gws_qsort(x, na, sizeof(*x), cmp_str);
	gws_qsort(y, nb, sizeof(*y), cmp_str);
	for (size_t i = 0; i < na; i++)
		if (gws_strcmp_null(x[i], y[i]))
			return false;
	return true;
}

static int describe_new_lb(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c)
{
	const gws_model_load_balancer *lb = &sp->desired->load_balancer;
	int rc = rc_change_field(r, c, "type", NULL, gws_model_lb_type_name(lb->type));

	if (rc == 0)
		rc = rc_change_field(r, c, "scheme", NULL, lb->scheme);
	if (rc == 0)
		rc = rc_change_field(r, c, "ipAddressType", NULL, lb->ip_address_type);
	if (rc == 0)
		rc = rc_change_field(r, c, "subnets", NULL,
		                     rc_describe_strings(r, sp->subnets.items, sp->subnets.count));
	if (rc == 0 && c->action != GWS_PLAN_CREATE)
		return rc;
	if (rc == 0)
		rc = rc_change_field(r, c, "dnsName", NULL, "(known after apply)");
	return rc;
}

static int plan_lb_create(gws_reconcile *r, rc_stackplan *sp, const char *hash, rc_olb *old)
{
	const gws_model_load_balancer *want = &sp->desired->load_balancer;
	bool same_name = old && old->aws->name && strcmp(old->aws->name, want->name) == 0;
	gws_plan_change *c;
	int rc;

	c = rc_change_add(r, sp, GWS_PLAN_LOAD_BALANCER, old ? GWS_PLAN_REPLACE : GWS_PLAN_CREATE,
	                  RC_LB_ID, lb_address(r, sp));
	if (!c)
		return GWS_ENOMEM;
	c->name = want->name;
	if (old) {
		const char *what =
		        gws_strcmp_null(old->aws->type, gws_model_lb_type_name(want->type))
		                ? "type"
		                : "scheme";

		c->aws_id = old->aws->arn;
		c->reason = gws_arena_printf(
		        r->arena,
		        "the %s of a load balancer cannot change: a new one is created (%s), the "
		        "old "
		        "one deleted; the DNS name changes from %s",
		        what,
		        same_name ? "after the old one is deleted: they share the name"
		                  : "before the old one is deleted",
		        old->aws->dns_name ? old->aws->dns_name : "?");
		if ((rc = rc_change_field(r, c, "type", old->aws->type,
		                          gws_model_lb_type_name(want->type))) < 0 ||
		    (rc = rc_change_field(r, c, "scheme", old->aws->scheme, want->scheme)) < 0 ||
		    (rc = rc_change_field(r, c, "dnsName", old->aws->dns_name,
		                          "(known after apply)")) < 0)
			return rc;
		if (!rc_op_delete(r, sp, c,
		                  same_name ? RC_STAGE_LB_DELETE_FIRST
		                            : RC_STAGE_LB_DELETE_REPLACED,
		                  GWS_PLAN_LOAD_BALANCER, old->aws->arn))
			return GWS_ENOMEM;
	}
	if ((rc = describe_new_lb(r, sp, c)) < 0)
		return rc;
	if (!rc_op_lb_create(r, sp, c, rc_desired_tags(r, &want->tags, NULL), &sp->lb_slot))
		return GWS_ENOMEM;
	if ((rc = rc_diff_attributes(r, sp, &c, GWS_PLAN_LOAD_BALANCER, RC_LB_ID, c->address,
	                             GWS_ELBV2_LOAD_BALANCER, &sp->lb_slot, &want->attributes, NULL,
	                             RC_STAGE_LB_UPDATE)) < 0)
		return rc;
	return rc_confirm_spec(r, sp, &c, GWS_PLAN_LOAD_BALANCER, RC_LB_ID, c->address,
	                       &sp->lb_slot, NULL, hash);
}

static gws_plan_change *lb_update(gws_reconcile *r, rc_stackplan *sp, gws_plan_change **c)
{
	if (!*c) {
		*c = rc_change_add(r, sp, GWS_PLAN_LOAD_BALANCER, GWS_PLAN_UPDATE, RC_LB_ID,
		                   lb_address(r, sp));
		if (*c) {
			(*c)->aws_id = sp->lb_slot.arn;
			(*c)->name = sp->lb_slot.name;
		}
	}
	return *c;
}

static int diff_lb_fields(gws_reconcile *r, rc_stackplan *sp, rc_olb *have, gws_plan_change **c)
{
	const gws_model_load_balancer *want = &sp->desired->load_balancer;
	const gws_elbv2_load_balancer *a = have->aws;
	int rc;

	if (gws_strcmp_null(a->ip_address_type, want->ip_address_type)) {
		if (!lb_update(r, sp, c) ||
		    (rc = rc_change_field(r, *c, "ipAddressType", a->ip_address_type,
		                          want->ip_address_type)) < 0 ||
		    !rc_op_lb_ip_type(r, sp, *c, &sp->lb_slot, want->ip_address_type))
			return GWS_ENOMEM;
	}
	/* Discovered subnets are not compared: a load balancer keeps the subnets it was
	 * created in when more get tagged later (as LBC does). */
	if (want->subnets.mode != GWS_MODEL_SUBNETS_DISCOVER) {
		const char **have_ids = RC_NEWN(r, const char *, a->az_count ? a->az_count : 1);

		if (!have_ids)
			return GWS_ENOMEM;
		for (size_t i = 0; i < a->az_count; i++)
			have_ids[i] = a->azs[i].subnet_id;
		if (!same_set(r, have_ids, a->az_count, sp->subnets.items, sp->subnets.count)) {
			if (!lb_update(r, sp, c) ||
			    (rc = rc_change_field(r, *c, "subnets",
			                          rc_describe_strings(r, have_ids, a->az_count),
			                          rc_describe_strings(r, sp->subnets.items,
			                                              sp->subnets.count))) < 0 ||
			    !rc_op_lb_subnets(r, sp, *c, &sp->lb_slot))
				return GWS_ENOMEM;
		}
	}
	{
		const char *const *want_ids = NULL;
		size_t n_want = 0;
		bool pending = false;

		if (want->security_groups.mode == GWS_MODEL_SG_EXPLICIT) {
			want_ids = sp->sgs.items;
			n_want = sp->sgs.count;
		} else if (want->security_groups.mode == GWS_MODEL_SG_MANAGED) {
			pending = !sp->sg_slot.arn;
			want_ids = &sp->sg_slot.arn;
			n_want = 1;
		}
		if (pending || !same_set(r, a->security_groups.items, a->security_groups.count,
		                         want_ids, n_want)) {
			if (!lb_update(r, sp, c) ||
			    (rc = rc_change_field(
			             r, *c, "securityGroups",
			             rc_describe_strings(r, a->security_groups.items,
			                                 a->security_groups.count),
			             pending ? "(the new managed security group)"
			                     : rc_describe_strings(r, want_ids, n_want))) < 0 ||
			    !rc_op_lb_security_groups(r, sp, *c, &sp->lb_slot))
				return GWS_ENOMEM;
		}
	}
	return 0;
}

/* Before anything of the stack is planned: what would stop its load balancer. */
int rc_precheck_load_balancer(gws_reconcile *r, rc_stackplan *sp)
{
	const gws_model_load_balancer *want = &sp->desired->load_balancer;
	rc_olb *have = pick_lb(sp, want->name);
	rc_olb *other = have ? NULL : foreign_lb(r, want->name);

	if (other) {
		sp->blocked = gws_arena_printf(r->arena,
		                               "load balancer %s exists and is not owned by gwsync "
		                               "for cluster %s (%s); it is never adopted",
		                               want->name, r->cluster, other->aws->arn);
		sp->blocked_is_error = true;
		sp->ownership_conflict = true;
	} else if (have &&
	           (gws_strcmp_null(have->aws->type, gws_model_lb_type_name(want->type)) ||
	            gws_strcmp_null(have->aws->scheme, want->scheme)) &&
	           rc_deletion_protected(have)) {
		sp->blocked = gws_arena_printf(r->arena,
		                               "load balancer %s must be replaced (type or scheme "
		                               "changed) but has deletion protection on; gwsync "
		                               "never turns it off",
		                               have->aws->name);
		sp->blocked_is_error = true;
		sp->deletion_protected = true;
	}
	return sp->blocked && !*sp->blocked ? GWS_ENOMEM : 0;
}

int rc_diff_load_balancer(gws_reconcile *r, rc_stackplan *sp, const char *hash)
{
	const gws_model_load_balancer *want = &sp->desired->load_balancer;
	rc_olb *have = pick_lb(sp, want->name);
	gws_plan_change *c = NULL;
	gws_aws_kvs tags;
	int rc;

	/* rc_precheck_load_balancer ruled out foreign names and protected replacements. */
	if (!have)
		return plan_lb_create(r, sp, hash, NULL);
	have->used = true;
	if (gws_strcmp_null(have->aws->type, gws_model_lb_type_name(want->type)) ||
	    gws_strcmp_null(have->aws->scheme, want->scheme))
		return plan_lb_create(r, sp, hash, have);
	sp->lb = have;
	sp->lb_slot.arn = have->aws->arn;
	sp->lb_slot.name = have->aws->name;
	sp->lb_slot.dns_name = have->aws->dns_name;
	if ((rc = diff_lb_fields(r, sp, have, &c)) < 0)
		return rc;
	if ((rc = rc_diff_attributes(r, sp, &c, GWS_PLAN_LOAD_BALANCER, RC_LB_ID, lb_address(r, sp),
	                             GWS_ELBV2_LOAD_BALANCER, &sp->lb_slot, &want->attributes,
	                             &have->attributes, RC_STAGE_LB_UPDATE)) < 0)
		return rc;
	tags = rc_desired_tags(r, &want->tags, NULL);
	if ((rc = rc_diff_tags(r, sp, &c, GWS_PLAN_LOAD_BALANCER, RC_LB_ID, lb_address(r, sp),
	                       &sp->lb_slot, &tags, &have->tags, false)) < 0)
		return rc;
	if (c)
		c->drift = have->spec && strcmp(have->spec, hash) == 0;
	if ((rc = rc_confirm_spec(r, sp, &c, GWS_PLAN_LOAD_BALANCER, RC_LB_ID, lb_address(r, sp),
	                          &sp->lb_slot, have->spec, hash)) < 0)
		return rc;
	if (have->aws->name && strcmp(have->aws->name, want->name) != 0)
		return rc_note(r, sp->stack, false,
		               "the load balancer is named %s, the manifests say %s: AWS names "
		               "cannot change, so the existing one is kept",
		               have->aws->name, want->name);
	return 0;
}

/* Owned load balancers of the stack that are not the one kept (or all, when pruned). */
int rc_diff_load_balancer_leftovers(gws_reconcile *r, rc_stackplan *sp)
{
	for (size_t i = 0; sp->observed && i < sp->observed->n_lbs; i++) {
		rc_olb *lb = sp->observed->lbs[i];
		gws_plan_change *c;

		if (lb->used)
			continue;
		lb->used = true;
		c = rc_change_add(r, sp, GWS_PLAN_LOAD_BALANCER, GWS_PLAN_DELETE, RC_LB_ID,
		                  gws_arena_printf(r->arena, "%s load balancer %s", sp->stack,
		                                   lb->aws->name));
		if (!c)
			return GWS_ENOMEM;
		c->name = lb->aws->name;
		c->aws_id = lb->aws->arn;
		c->reason = sp->prune ? "its Gateway is no longer in the manifests (--prune); its "
		                        "listeners and rules go with it"
		                      : "a second load balancer of this Gateway";
		if (rc_change_field(r, c, "dnsName", lb->aws->dns_name, NULL) < 0 ||
		    !rc_op_delete(r, sp, c, RC_STAGE_LB_DELETE, GWS_PLAN_LOAD_BALANCER,
		                  lb->aws->arn))
			return GWS_ENOMEM;
	}
	return 0;
}
