/*
 * Target groups. Matched by their resource tag (the model's id); a
 * difference in a field AWS cannot change (target type, protocol, protocol
 * version, port, IP address type, VPC) replaces the group: the new one is
 * created first, listeners and rules are switched to it, the old one is
 * deleted last. The health check is updated in place.
 */
#include <string.h>

#include "reconcile/describe.h"
#include "reconcile/ops.h"

static const char *tg_address(gws_reconcile *r, const rc_stackplan *sp,
                              const gws_model_target_group *t)
{
	return gws_arena_printf(r->arena, "%s target group %s", sp->stack, t->name);
}

/* What differs in fields AWS cannot change, or NULL. */
static const char *immutable_diff(gws_reconcile *r, const rc_otg *o,
                                  const gws_model_target_group *t)
{
	const gws_elbv2_target_group *a = o->aws;
	const char *ip = a->ip_address_type ? a->ip_address_type : "ipv4";
	const char *want_ip = t->ip_address_type ? t->ip_address_type : "ipv4";

	if (gws_strcmp_null(a->target_type, t->target_type))
		return gws_arena_printf(r->arena, "target type %s -> %s", a->target_type,
		                        t->target_type);
	if (gws_strcmp_null(a->protocol, t->protocol))
		return gws_arena_printf(r->arena, "protocol %s -> %s", a->protocol, t->protocol);
	if (t->protocol_version && a->protocol_version &&
	    strcmp(a->protocol_version, t->protocol_version))
		return gws_arena_printf(r->arena, "protocol version %s -> %s", a->protocol_version,
		                        t->protocol_version);
	if (a->port != t->port)
		return gws_arena_printf(r->arena, "port %d -> %d", a->port, t->port);
	if (strcmp(ip, want_ip))
		return gws_arena_printf(r->arena, "IP address type %s -> %s", ip, want_ip);
	if (r->obs.vpc_id && a->vpc_id && strcmp(a->vpc_id, r->obs.vpc_id))
		return gws_arena_printf(r->arena, "VPC %s -> %s", a->vpc_id, r->obs.vpc_id);
	return NULL;
}

static rc_otg *foreign_named(gws_reconcile *r, const rc_stackplan *sp, const char *name)
{
	for (size_t i = 0; i < r->obs.n_tgs; i++) {
		rc_otg *t = &r->obs.tgs[i];

		if (!t->aws->name || strcmp(t->aws->name, name) != 0)
			continue;
		if (t->owner == RC_OWNED && t->stack && strcmp(t->stack, sp->stack) == 0)
			continue;
		return t;
	}
	return NULL;
}

/* Pass 1 (before any change): decide what each desired group maps to. */
int rc_map_target_groups(gws_reconcile *r, rc_stackplan *sp)
{
	const gws_model_stack *s = sp->desired;

	sp->n_tgs = s->n_target_groups;
	sp->tgs = RC_NEWN(r, rc_tgmap, sp->n_tgs ? sp->n_tgs : 1);
	if (!sp->tgs)
		return GWS_ENOMEM;
	for (size_t i = 0; i < s->n_target_groups; i++) {
		const gws_model_target_group *t = s->target_groups[i];
		rc_tgmap *m = &sp->tgs[i];
		rc_otg *same_name = NULL, *same_id = NULL;

		m->model = t;
		if (!(m->hash = rc_hash_target_group(r, t)))
			return GWS_ENOMEM;
		for (size_t k = 0; sp->observed && k < sp->observed->n_tgs; k++) {
			rc_otg *o = sp->observed->tgs[k];

			if (o->used || !o->id || strcmp(o->id, t->id) != 0)
				continue;
			if (o->aws->name && strcmp(o->aws->name, t->name) == 0 && !same_name)
				same_name = o;
			else if (!same_id)
				same_id = o;
		}
		if (same_name) {
			const char *why = immutable_diff(r, same_name, t);

			if (why) {
				sp->blocked = gws_arena_printf(r->arena,
				                               "target group %s must be replaced "
				                               "(%s) but its name is fixed "
				                               "(targetGroupName): AWS names are "
				                               "unique per region; rename it",
				                               t->name, why);
				sp->blocked_is_error = true;
				return 0;
			}
			same_name->used = true;
			m->observed = same_name;
		} else if (same_id && immutable_diff(r, same_id, t)) {
			same_id->used = true;
			m->replaced = same_id;
			m->created = true;
		} else if (same_id) {
			/* Only the name differs: AWS names are immutable; the group is kept. */
			same_id->used = true;
			m->observed = same_id;
		} else {
			rc_otg *other = foreign_named(r, sp, t->name);

			if (other) {
				sp->blocked = gws_arena_printf(r->arena,
				                               "target group %s exists and is not "
				                               "owned by gwsync for this "
				                               "Gateway (%s); it is never adopted",
				                               t->name, other->aws->arn);
				sp->blocked_is_error = true;
				sp->ownership_conflict = true;
				return 0;
			}
			m->created = true;
		}
		if (m->observed) {
			m->slot.arn = m->observed->aws->arn;
			m->slot.name = m->observed->aws->name;
		}
	}
	return 0;
}

static int describe_tg(gws_reconcile *r, gws_plan_change *c, const gws_model_target_group *t)
{
	int rc = rc_change_field(
	        r, c, "protocol", NULL,
	        gws_arena_printf(r->arena, "%s%s%s:%d", t->protocol, t->protocol_version ? "/" : "",
	                         t->protocol_version ? t->protocol_version : "", t->port));

	if (rc == 0)
		rc = rc_change_field(r, c, "targetType", NULL, t->target_type);
	if (rc == 0)
		rc = rc_change_field(
		        r, c, "backend", NULL,
		        gws_arena_printf(r->arena, "%s %s/%s:%d%s", t->backend.kind,
		                         t->backend.namespace_, t->backend.name, t->backend.port,
		                         t->backend.source ? " (from the Kubernetes API)" : ""));
	return rc;
}

static int hc_field(gws_reconcile *r, gws_plan_change **c, rc_stackplan *sp, rc_tgmap *m,
                    const char *path, const char *have, const char *want, bool *differs)
{
	int rc;

	if (!want || (have && strcmp(have, want) == 0))
		return 0;
	*differs = true;
	if (!*c) {
		*c = rc_change_add(r, sp, GWS_PLAN_TARGET_GROUP, GWS_PLAN_UPDATE, m->model->id,
		                   tg_address(r, sp, m->model));
		if (!*c)
			return GWS_ENOMEM;
		(*c)->name = m->model->name;
		(*c)->aws_id = m->slot.arn;
	}
	rc = rc_change_field(r, *c, path, have, want);
	return rc;
}

static const char *num(gws_reconcile *r, int v)
{
	return v ? rc_describe_int(r, v) : NULL;
}

static int diff_health_check(gws_reconcile *r, rc_stackplan *sp, rc_tgmap *m, gws_plan_change **c)
{
	const gws_elbv2_target_group *a = m->observed->aws;
	const gws_model_health_check *h = &m->model->health_check;
	bool differs = false;
	int rc = 0;

	/* Only what the model sets is compared, as LBC does. */
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.protocol", a->health_check_protocol,
		              h->protocol, &differs);
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.port", a->health_check_port, h->port,
		              &differs);
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.path", a->health_check_path, h->path,
		              &differs);
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.httpCode", a->matcher_http_code,
		              h->matcher_http_code, &differs);
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.grpcCode", a->matcher_grpc_code,
		              h->matcher_grpc_code, &differs);
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.intervalSeconds",
		              num(r, a->health_check_interval), num(r, h->interval_seconds),
		              &differs);
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.timeoutSeconds",
		              num(r, a->health_check_timeout), num(r, h->timeout_seconds),
		              &differs);
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.healthyThresholdCount",
		              num(r, a->healthy_threshold), num(r, h->healthy_threshold), &differs);
	if (rc == 0)
		rc = hc_field(r, c, sp, m, "healthCheck.unhealthyThresholdCount",
		              num(r, a->unhealthy_threshold), num(r, h->unhealthy_threshold),
		              &differs);
	if (rc == 0 && differs && !rc_op_tg_modify(r, sp, *c, &m->slot, m->model))
		return GWS_ENOMEM;
	return rc;
}

static int plan_create(gws_reconcile *r, rc_stackplan *sp, rc_tgmap *m, bool drift)
{
	gws_plan_change *c;
	int rc;

	c = rc_change_add(r, sp, GWS_PLAN_TARGET_GROUP,
	                  m->replaced ? GWS_PLAN_REPLACE : GWS_PLAN_CREATE, m->model->id,
	                  tg_address(r, sp, m->model));
	if (!c)
		return GWS_ENOMEM;
	c->name = m->model->name;
	c->drift = drift && !m->replaced;
	if (m->replaced) {
		c->aws_id = m->replaced->aws->arn;
		c->reason = gws_arena_printf(r->arena,
		                             "%s cannot change: a new target group is created, "
		                             "listeners and rules are switched to it, then the old "
		                             "one (%s) is deleted",
		                             immutable_diff(r, m->replaced, m->model),
		                             m->replaced->aws->name);
	}
	if ((rc = describe_tg(r, c, m->model)) < 0)
		return rc;
	if (!rc_op_tg_create(r, sp, c, m->model, rc_desired_tags(r, &m->model->tags, m->hash),
	                     &m->slot))
		return GWS_ENOMEM;
	if ((rc = rc_diff_attributes(r, sp, &c, GWS_PLAN_TARGET_GROUP, m->model->id, c->address,
	                             GWS_ELBV2_TARGET_GROUP, &m->slot, &m->model->attributes, NULL,
	                             RC_STAGE_TG_UPDATE)) < 0)
		return rc;
	if (m->replaced && !rc_op_delete(r, sp, c, RC_STAGE_TG_DELETE, GWS_PLAN_TARGET_GROUP,
	                                 m->replaced->aws->arn))
		return GWS_ENOMEM;
	return 0;
}

int rc_diff_target_groups(gws_reconcile *r, rc_stackplan *sp, bool parent_unchanged)
{
	int rc;

	for (size_t i = 0; i < sp->n_tgs; i++) {
		rc_tgmap *m = &sp->tgs[i];
		gws_plan_change *c = NULL;
		gws_aws_kvs want;

		if (m->created) {
			if ((rc = plan_create(r, sp, m, parent_unchanged)) < 0)
				return rc;
			continue;
		}
		if ((rc = diff_health_check(r, sp, m, &c)) < 0)
			return rc;
		if ((rc = rc_diff_attributes(r, sp, &c, GWS_PLAN_TARGET_GROUP, m->model->id,
		                             tg_address(r, sp, m->model), GWS_ELBV2_TARGET_GROUP,
		                             &m->slot, &m->model->attributes,
		                             &m->observed->attributes, RC_STAGE_TG_UPDATE)) < 0)
			return rc;
		want = rc_desired_tags(r, &m->model->tags, m->hash);
		if ((rc = rc_diff_tags(r, sp, &c, GWS_PLAN_TARGET_GROUP, m->model->id,
		                       tg_address(r, sp, m->model), &m->slot, &want,
		                       &m->observed->tags, false)) < 0)
			return rc;
		if (c) {
			c->name = m->model->name;
			c->drift = m->observed->spec && strcmp(m->observed->spec, m->hash) == 0;
		}
	}
	return 0;
}

/* Owned target groups of the stack that no desired group maps to. */
int rc_diff_target_group_leftovers(gws_reconcile *r, rc_stackplan *sp)
{
	for (size_t k = 0; sp->observed && k < sp->observed->n_tgs; k++) {
		rc_otg *o = sp->observed->tgs[k];
		gws_plan_change *c;

		if (o->used)
			continue;
		o->used = true;
		c = rc_change_add(
		        r, sp, GWS_PLAN_TARGET_GROUP, GWS_PLAN_DELETE, o->id,
		        gws_arena_printf(r->arena, "%s target group %s", sp->stack, o->aws->name));
		if (!c)
			return GWS_ENOMEM;
		c->name = o->aws->name;
		c->aws_id = o->aws->arn;
		c->reason = sp->prune ? "its Gateway is no longer in the manifests (--prune)"
		                      : "no route uses it any more";
		if (!rc_op_delete(r, sp, c, RC_STAGE_TG_DELETE, GWS_PLAN_TARGET_GROUP, o->aws->arn))
			return GWS_ENOMEM;
	}
	return 0;
}
