/*
 * Differences every resource kind shares: tags and attributes.
 *
 * Tags: gwsync owns the tag set of what it owns, as LBC does: keys the
 * manifests do not set are removed, except aws: keys and the keys given
 * with --external-managed-tags (docs/reconcile.md, "Tags").
 * Attributes: only the keys the manifests set are compared and sent; a key
 * removed from the manifests keeps its value in AWS.
 */
#include <string.h>

#include "reconcile/ops.h"

static rc_stage update_stage(gws_plan_kind kind)
{
	switch (kind) {
	case GWS_PLAN_SECURITY_GROUP:
		return RC_STAGE_SG_UPDATE;
	case GWS_PLAN_TARGET_GROUP:
		return RC_STAGE_TG_UPDATE;
	case GWS_PLAN_LOAD_BALANCER:
		return RC_STAGE_LB_UPDATE;
	case GWS_PLAN_LISTENER:
		return RC_STAGE_LISTENER_UPDATE;
	case GWS_PLAN_RULE:
		return RC_STAGE_RULE_MODIFY;
	}
	return RC_STAGE_LB_UPDATE;
}

static int ensure_change(gws_reconcile *r, rc_stackplan *sp, gws_plan_change **change,
                         gws_plan_kind kind, const char *id, const char *address, rc_slot *slot)
{
	if (*change)
		return 0;
	*change = rc_change_add(r, sp, kind, GWS_PLAN_UPDATE, id, address);
	if (!*change)
		return GWS_ENOMEM;
	(*change)->aws_id = slot->arn;
	(*change)->name = slot->name;
	return 0;
}

int rc_diff_tags(gws_reconcile *r, rc_stackplan *sp, gws_plan_change **change, gws_plan_kind kind,
                 const char *id, const char *address, rc_slot *slot, const gws_aws_kvs *want,
                 const gws_aws_kvs *have, bool ec2)
{
	gws_aws_kvs add = {NULL, 0}, del = {NULL, 0};
	gws_aws_strings del_keys = {NULL, 0};
	size_t nw = want ? want->count : 0, nh = have ? have->count : 0;
	int rc;

	add.items = RC_NEWN(r, gws_aws_kv, nw ? nw : 1);
	del.items = RC_NEWN(r, gws_aws_kv, nh ? nh : 1);
	del_keys.items = RC_NEWN(r, const char *, nh ? nh : 1);
	if (!add.items || !del.items || !del_keys.items)
		return GWS_ENOMEM;
	for (size_t i = 0; i < nw; i++) {
		const char *v = rc_tag(have, want->items[i].key);

		if (rc_tag_external(r, want->items[i].key))
			continue;
		if (!v || strcmp(v, want->items[i].value) != 0) {
			add.items[add.count++] = want->items[i];
			if ((rc = ensure_change(r, sp, change, kind, id, address, slot)) < 0 ||
			    (rc = rc_change_field(
			             r, *change,
			             gws_arena_printf(r->arena, "tags.%s", want->items[i].key), v,
			             want->items[i].value)) < 0)
				return rc;
		}
	}
	for (size_t i = 0; i < nh; i++) {
		const char *k = have->items[i].key;

		/* The spec tag of a load balancer or listener is confirmed separately. */
		if (!k || rc_tag_external(r, k) || rc_tag(want, k) ||
		    strcmp(k, GWS_RECONCILE_SPEC_TAG) == 0)
			continue;
		del.items[del.count].key = k;
		del.items[del.count++].value = NULL;
		del_keys.items[del_keys.count++] = k;
		if ((rc = ensure_change(r, sp, change, kind, id, address, slot)) < 0 ||
		    (rc = rc_change_field(r, *change, gws_arena_printf(r->arena, "tags.%s", k),
		                          have->items[i].value, NULL)) < 0)
			return rc;
	}
	if (ec2) {
		if (add.count && !rc_op_ec2_tags(r, sp, *change, slot, add, false))
			return GWS_ENOMEM;
		if (del.count && !rc_op_ec2_tags(r, sp, *change, slot, del, true))
			return GWS_ENOMEM;
		return 0;
	}
	if (add.count && !rc_op_tags(r, sp, *change, update_stage(kind), slot, add))
		return GWS_ENOMEM;
	if (del_keys.count && !rc_op_untag(r, sp, *change, update_stage(kind), slot, del_keys))
		return GWS_ENOMEM;
	return 0;
}

int rc_diff_attributes(gws_reconcile *r, rc_stackplan *sp, gws_plan_change **change,
                       gws_plan_kind kind, const char *id, const char *address,
                       gws_elbv2_attr_kind akind, rc_slot *slot, const gws_model_kvs *want,
                       const gws_aws_kvs *have, rc_stage stage)
{
	gws_aws_kvs send = {NULL, 0};
	int rc;

	if (!want || !want->n)
		return 0;
	send.items = RC_NEWN(r, gws_aws_kv, want->n);
	if (!send.items)
		return GWS_ENOMEM;
	for (size_t i = 0; i < want->n; i++) {
		const char *v = have ? rc_tag(have, want->items[i].key) : NULL;

		if (have && v && strcmp(v, want->items[i].value) == 0)
			continue;
		send.items[send.count].key = want->items[i].key;
		send.items[send.count++].value = want->items[i].value;
		if ((rc = ensure_change(r, sp, change, kind, id, address, slot)) < 0 ||
		    (rc = rc_change_field(
		             r, *change,
		             gws_arena_printf(r->arena, "attributes.%s", want->items[i].key), v,
		             want->items[i].value)) < 0)
			return rc;
	}
	if (send.count && !rc_op_attributes(r, sp, *change, stage, akind, slot, send))
		return GWS_ENOMEM;
	return 0;
}

int rc_confirm_spec(gws_reconcile *r, rc_stackplan *sp, gws_plan_change **change,
                    gws_plan_kind kind, const char *id, const char *address, rc_slot *slot,
                    const char *have, const char *hash)
{
	gws_aws_kvs tag = {NULL, 0};
	int rc;

	if (have && strcmp(have, hash) == 0)
		return 0;
	if ((rc = ensure_change(r, sp, change, kind, id, address, slot)) < 0)
		return rc;
	tag.items = RC_NEW(r, gws_aws_kv);
	if (!tag.items)
		return GWS_ENOMEM;
	tag.items[0].key = GWS_RECONCILE_SPEC_TAG;
	tag.items[0].value = hash;
	tag.count = 1;
	/* A create's field list says enough; an update shows the tag moving. */
	if (have &&
	    (rc = rc_change_field(r, *change, "tags." GWS_RECONCILE_SPEC_TAG, have, hash)) < 0)
		return rc;
	return rc_op_tags(r, sp, *change, RC_STAGE_CONFIRM, slot, tag) ? 0 : GWS_ENOMEM;
}
