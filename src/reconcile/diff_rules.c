/*
 * Listener rules (docs/reconcile.md, "Rules"). Desired rules are paired
 * with the rules gwsync owns on the listener, in this order:
 *
 *   1. same content (conditions, actions, transforms): kept; only the
 *      priority or tags may change;
 *   2. a rule whose spec tag is this rule's hash: gwsync wrote exactly this
 *      rule and someone changed it since (drift);
 *   3. same conditions: the actions or transforms are edited in place with
 *      ModifyRule (the rule keeps matching the same requests);
 *   4. same priority: replaced, a new rule created before the old is deleted;
 *   5. none: created. Owned rules left over are deleted; foreign rules are
 *      never touched.
 *
 * Calls run in the order: creates (at the final priority when it is free,
 * else at a free priority after every rule), ModifyRule, one
 * SetRulePriorities that puts every rule where it belongs (rules about to
 * be deleted move to the bottom), deletes. Every desired rule exists with
 * its final content before anything is deleted, so a request that matched
 * a rule before the run and still matches one after never reaches the
 * listener's default action in between.
 */
#include <string.h>

#include "reconcile/describe.h"
#include "reconcile/ops.h"

#define RULE_CANON_CAP (1u << 20)
#define MAX_PRIORITY   50000

/* P_REWRITE: a replacement done in place (the listener's only change). */
typedef enum { P_NONE = 0, P_KEEP, P_MODIFY, P_REPLACE, P_REWRITE } pair_kind;

typedef struct {
	const gws_model_rule *m;
	const char *cond, *arn_canon, *id_canon, *hash;
	int pair; /* index into the owned rules, -1: none */
	pair_kind kind;
	bool drift;
	rc_slot slot; /* the AWS rule that ends up serving it */
	int create_at;
	gws_plan_change *change;
} drule;

typedef struct {
	gws_reconcile *r;
	rc_stackplan *sp;
	const gws_model_listener *want;
	rc_olistener *have;
	rc_slot *lslot;
	bool set_unchanged; /* the listener's spec tag says its rule set is as gwsync wrote it */
	drule *d;
	size_t nd;
	rc_orule **o; /* owned */
	size_t no;
	rc_slot *oslot;                  /* slots of the owned rules */
	drule **d_for_owned;             /* the desired rule each owned rule is paired with */
	gws_plan_change **delete_change; /* the delete of each unpaired owned rule */
	gws_plan_change *first_change;
	bool *occupied; /* priorities in use now, 1..MAX_PRIORITY */
	bool *final;    /* final priorities of desired rules */
	int next_free;
} rules_ctx;

/* ---- references ------------------------------------------------------------------ */

rc_tgmap *rc_tg_find(rc_stackplan *sp, const char *id)
{
	for (size_t i = 0; id && i < sp->n_tgs; i++)
		if (strcmp(sp->tgs[i].model->id, id) == 0)
			return &sp->tgs[i];
	return NULL;
}

static gws_reconcile *run_of(rc_stackplan *sp)
{
	return sp->run;
}

const char *rc_ref_desired(void *ctx, const char *id)
{
	rc_stackplan *sp = ctx;
	rc_tgmap *m = rc_tg_find(sp, id);

	if (!m)
		return gws_arena_printf(run_of(sp)->arena, "missing:%s", id ? id : "");
	return gws_arena_printf(run_of(sp)->arena, "%s:%s", m->created ? "new" : "tg", id);
}

const char *rc_ref_desired_id(void *ctx, const char *id)
{
	rc_stackplan *sp = ctx;

	return gws_arena_printf(run_of(sp)->arena, "tg:%s", id ? id : "");
}

const char *rc_ref_observed(void *ctx, const char *arn)
{
	rc_stackplan *sp = ctx;

	for (size_t i = 0; arn && i < sp->n_tgs; i++) {
		const rc_tgmap *m = &sp->tgs[i];

		if (m->observed && !m->created && m->observed->aws->arn &&
		    strcmp(m->observed->aws->arn, arn) == 0)
			return gws_arena_printf(run_of(sp)->arena, "tg:%s", m->model->id);
	}
	return gws_arena_printf(run_of(sp)->arena, "arn:%s", arn ? arn : "");
}

const char *rc_ref_observed_id(void *ctx, const char *arn)
{
	rc_stackplan *sp = ctx;

	for (size_t i = 0; arn && sp->observed && i < sp->observed->n_tgs; i++) {
		const rc_otg *t = sp->observed->tgs[i];

		if (t->aws->arn && strcmp(t->aws->arn, arn) == 0)
			return gws_arena_printf(run_of(sp)->arena, "tg:%s", t->id);
	}
	return gws_arena_printf(run_of(sp)->arena, "arn:%s", arn ? arn : "");
}

/* ---- canonical forms ----------------------------------------------------------------- */

static const char *finish_canon(gws_reconcile *r, gws_buf *b, int rc)
{
	const char *s = rc < 0 ? NULL : gws_arena_strdup(r->arena, gws_buf_cstr(b));

	gws_buf_clear(b);
	return s;
}

static int canon_desired(rules_ctx *x, drule *d, gws_buf *b)
{
	gws_reconcile *r = x->r;
	const gws_model_rule *m = d->m;
	int rc;

	if ((rc = rc_canon_model_conditions(b, m)) < 0 || !(d->cond = finish_canon(r, b, rc)))
		return rc < 0 ? rc : GWS_ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		rc_tg_ref_fn ref = pass ? rc_ref_desired_id : rc_ref_desired;
		const char *s;

		rc = gws_buf_printf(b, "%s--\n", d->cond);
		if (rc == 0)
			rc = rc_canon_model_actions(b, m->actions, m->n_actions, false, ref, x->sp);
		if (rc == 0)
			rc = gws_buf_puts(b, "--\n");
		if (rc == 0)
			rc = rc_canon_model_transforms(b, m->transforms, m->n_transforms);
		if (!(s = finish_canon(r, b, rc)))
			return rc < 0 ? rc : GWS_ENOMEM;
		if (pass)
			d->id_canon = s;
		else
			d->arn_canon = s;
	}
	/* The tags are part of what gwsync wrote, except the resource tag, which names
	 * the rule's priority: moving a rule must not change its hash. */
	for (size_t i = 0; i < m->tags.n && rc == 0; i++)
		if (strcmp(m->tags.items[i].key, RC_TAG_RESOURCE) != 0)
			rc = gws_buf_printf(b, "%s=%s\n", m->tags.items[i].key,
			                    m->tags.items[i].value);
	if (rc == 0)
		rc = gws_buf_puts(b, d->id_canon);
	if (rc < 0)
		return rc;
	d->hash = rc_hash(r, gws_buf_cstr(b), b->size);
	gws_buf_clear(b);
	return d->hash ? 0 : GWS_ENOMEM;
}

static int canon_observed(rules_ctx *x, rc_orule *o, gws_buf *b)
{
	gws_reconcile *r = x->r;
	const gws_elbv2_rule *a = o->aws;
	int rc;

	if ((rc = rc_canon_aws_conditions(b, &a->conditions)) < 0 ||
	    !(o->canon_cond = finish_canon(r, b, rc)))
		return rc < 0 ? rc : GWS_ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		rc_tg_ref_fn ref = pass ? rc_ref_observed_id : rc_ref_observed;
		const char *s;

		rc = gws_buf_printf(b, "%s--\n", o->canon_cond);
		if (rc == 0)
			rc = rc_canon_aws_actions(b, &a->actions, false, ref, x->sp);
		if (rc == 0)
			rc = gws_buf_puts(b, "--\n");
		if (rc == 0)
			rc = rc_canon_aws_transforms(b, &a->transforms);
		if (!(s = finish_canon(r, b, rc)))
			return rc < 0 ? rc : GWS_ENOMEM;
		if (pass)
			o->canon_id = s;
		else
			o->canon_arn = s;
	}
	return 0;
}

/* ---- pairing ----------------------------------------------------------------------------- */

typedef bool (*pair_test)(const drule *d, const rc_orule *o);

static bool same_content(const drule *d, const rc_orule *o)
{
	return strcmp(d->arn_canon, o->canon_arn) == 0;
}

static bool written_by_us(const drule *d, const rc_orule *o)
{
	return o->spec && strcmp(o->spec, d->hash) == 0;
}

static bool same_conditions(const drule *d, const rc_orule *o)
{
	return strcmp(d->cond, o->canon_cond) == 0;
}

static bool same_priority(const drule *d, const rc_orule *o)
{
	return d->m->priority == o->priority;
}

/* Pairs each unpaired desired rule with the first unused owned rule passing
 * `test`, preferring one at the same priority. */
static void pair_pass(rules_ctx *x, pair_test test, pair_kind kind)
{
	for (int prefer_same = 1; prefer_same >= 0; prefer_same--) {
		for (size_t i = 0; i < x->nd; i++) {
			drule *d = &x->d[i];

			if (d->kind != P_NONE)
				continue;
			for (size_t k = 0; k < x->no; k++) {
				rc_orule *o = x->o[k];

				if (o->used || (prefer_same && o->priority != d->m->priority) ||
				    !test(d, o))
					continue;
				o->used = true;
				d->pair = (int)k;
				d->kind = kind;
				if (kind == P_MODIFY && !same_conditions(d, o))
					d->kind = P_REPLACE;
				break;
			}
		}
	}
}

/*
 * A replacement that is the listener's only change is done in place: with one
 * ModifyRule there is no state between before and after, so no request can
 * fall through, and it takes one call instead of three.
 */
static void rewrite_sole_replacement(rules_ctx *x)
{
	drule *only = NULL;

	for (size_t i = 0; i < x->nd; i++) {
		drule *d = &x->d[i];

		if (d->kind == P_KEEP && x->o[d->pair]->priority == d->m->priority)
			continue;
		if (only || d->kind != P_REPLACE || x->o[d->pair]->priority != d->m->priority)
			return;
		only = d;
	}
	for (size_t k = 0; k < x->no; k++)
		if (!x->o[k]->used)
			return; /* a delete too */
	if (only)
		only->kind = P_REWRITE;
}

/* ---- priorities --------------------------------------------------------------------------- */

static int free_priority(rules_ctx *x)
{
	while (x->next_free <= MAX_PRIORITY &&
	       (x->occupied[x->next_free] || x->final[x->next_free]))
		x->next_free++;
	if (x->next_free > MAX_PRIORITY)
		return -1;
	x->occupied[x->next_free] = true;
	return x->next_free;
}

static int bottom_priority(rules_ctx *x, int *from)
{
	while (*from > 0 && (x->occupied[*from] || x->final[*from]))
		(*from)--;
	if (*from <= 0)
		return -1;
	x->occupied[*from] = true;
	return (*from)--;
}

/* ---- changes --------------------------------------------------------------------------- */

static const char *rule_address(rules_ctx *x, int priority)
{
	return gws_arena_printf(x->r->arena, "%s listener %d rule %d", x->sp->stack, x->want->port,
	                        priority);
}

static const char *rule_id(rules_ctx *x, int priority)
{
	return gws_arena_printf(x->r->arena, "%d:%d", x->want->port, priority);
}

static gws_aws_kvs desired_tags(rules_ctx *x, const drule *d, const rc_orule *o)
{
	gws_aws_kvs t = rc_desired_tags(x->r, &d->m->tags, d->hash);
	const char *was = o ? rc_tag(&o->tags, RC_TAG_RESOURCE) : NULL;

	/* A rule's resource tag records the priority it was created at; moving the
	 * rule does not rewrite it (one tag write per moved rule would be waste). */
	for (size_t i = 0; was && i < t.count; i++)
		if (strcmp(t.items[i].key, RC_TAG_RESOURCE) == 0)
			t.items[i].value = was;
	return t;
}

static int describe_rule_fields(rules_ctx *x, gws_plan_change *c, const drule *d, const rc_orule *o)
{
	gws_reconcile *r = x->r;
	const gws_model_rule *m = d ? d->m : NULL;
	const char *cb = o ? rc_describe_aws_conditions(r, &o->aws->conditions) : NULL;
	const char *ca = m ? rc_describe_model_conditions(r, m) : NULL;
	const char *ab = o ? rc_describe_aws_actions(r, &o->aws->actions) : NULL;
	const char *aa = m ? rc_describe_model_actions(r, x->sp, m->actions, m->n_actions) : NULL;
	const char *tb = o ? rc_describe_aws_transforms(r, &o->aws->transforms) : NULL;
	const char *ta = m ? rc_describe_model_transforms(r, m->transforms, m->n_transforms) : NULL;
	int rc = 0;

	if ((!o || !m || strcmp(cb, ca) != 0) && (cb || ca))
		rc = rc_change_field(r, c, "conditions", cb, ca);
	if (rc == 0 && (!o || !m || strcmp(ab, aa) != 0 || strcmp(d->arn_canon, o->canon_arn)))
		rc = rc_change_field(r, c, "actions", ab, aa);
	if (rc == 0 && ((tb && ta && strcmp(tb, ta) != 0) || (!o && m && m->n_transforms) ||
	                (o && !m && o->aws->transforms.count)))
		rc = rc_change_field(r, c, "transforms", tb, ta);
	if (rc == 0 && o && m && o->priority != m->priority)
		rc = rc_change_field(r, c, "priority", rc_describe_int(r, o->priority),
		                     rc_describe_int(r, m->priority));
	return rc;
}

static gws_plan_change *rule_change(rules_ctx *x, gws_plan_action act, int priority,
                                    const char *arn)
{
	gws_plan_change *c = rc_change_add(x->r, x->sp, GWS_PLAN_RULE, act, rule_id(x, priority),
	                                   rule_address(x, priority));

	if (c)
		c->aws_id = arn;
	return c;
}

static int plan_desired(rules_ctx *x, drule *d)
{
	gws_reconcile *r = x->r;
	rc_orule *o = d->pair >= 0 ? x->o[d->pair] : NULL;
	rc_slot *oslot = d->pair >= 0 ? &x->oslot[d->pair] : NULL;
	gws_aws_kvs tags = desired_tags(x, d, o);
	gws_plan_change *c = NULL;
	int rc = 0;

	switch (d->kind) {
	case P_KEEP: {
		d->slot = *oslot;
		d->change = NULL;
		if (o->priority != d->m->priority) {
			c = rule_change(x, GWS_PLAN_UPDATE, d->m->priority, o->aws->arn);
			if (!c)
				return GWS_ENOMEM;
			c->drift = x->set_unchanged;
			c->reason = "rules reordered";
			rc = describe_rule_fields(x, c, d, o);
		}
		d->change = c;
		if (rc == 0)
			rc = rc_diff_tags(
			        r, x->sp, &d->change, GWS_PLAN_RULE, rule_id(x, d->m->priority),
			        rule_address(x, d->m->priority), oslot, &tags, &o->tags, false);
		if (d->change && d->change->drift == false && o->spec &&
		    strcmp(o->spec, d->hash) == 0 && o->priority == d->m->priority)
			d->change->drift = true; /* only tags differ from what gwsync wrote */
		return rc;
	}
	case P_MODIFY:
	case P_REWRITE:
		c = rule_change(x, GWS_PLAN_UPDATE, d->m->priority, o->aws->arn);
		if (!c)
			return GWS_ENOMEM;
		c->drift = d->drift;
		d->change = c;
		d->slot = *oslot;
		if ((rc = describe_rule_fields(x, c, d, o)) < 0)
			return rc;
		if (!rc_op_rule_modify(r, x->sp, c, d->m, o->aws->arn,
		                       d->m->n_transforms == 0 && o->aws->transforms.count > 0,
		                       d->kind == P_REWRITE))
			return GWS_ENOMEM;
		return rc_diff_tags(r, x->sp, &d->change, GWS_PLAN_RULE, c->id, c->address, oslot,
		                    &tags, &o->tags, false);
	case P_REPLACE:
		c = rule_change(x, GWS_PLAN_REPLACE, d->m->priority, o->aws->arn);
		if (!c)
			return GWS_ENOMEM;
		c->drift = d->drift;
		c->reason = d->drift
		                    ? "changed outside gwsync: restored by a new rule (the matches "
		                      "of a rule cannot be edited without a gap)"
		                    : "matches changed: a new rule is created before the old one "
		                      "is deleted";
		d->change = c;
		if ((rc = describe_rule_fields(x, c, d, o)) < 0)
			return rc;
		break;
	case P_NONE:
		c = rule_change(x, GWS_PLAN_CREATE, d->m->priority, NULL);
		if (!c)
			return GWS_ENOMEM;
		c->drift = d->drift;
		d->change = c;
		if ((rc = describe_rule_fields(x, c, d, NULL)) < 0)
			return rc;
		break;
	}
	/* A new AWS rule: at its priority when that is free now, else parked. */
	tags = desired_tags(x, d, NULL);
	if (!x->occupied[d->m->priority]) {
		d->create_at = d->m->priority;
		x->occupied[d->create_at] = true;
	} else if ((d->create_at = free_priority(x)) < 0) {
		return gws_error_set(GWS_ETOOBIG, "listener %d: no free rule priority",
		                     x->want->port);
	}
	if (!rc_op_rule_create(r, x->sp, c, d->m, d->create_at, tags, x->lslot, &d->slot))
		return GWS_ENOMEM;
	return 0;
}

/* One SetRulePriorities for every move, then the deletes. */
/* One SetRulePriorities entry: a rule, where it is, where it goes. */
typedef struct {
	rc_slot *slot;
	int from, to;
} move;

/*
 * AWS applies one SetRulePriorities atomically, but some emulators apply its
 * entries one by one: order them so each entry frees its priority before
 * another entry takes it (rules going to the bottom first). Only a true
 * cycle (a swap) still needs the atomic call.
 */
static void order_moves(move *m, size_t n)
{
	for (size_t done = 0; done < n; done++) {
		size_t pick = done;

		for (size_t i = done; i < n; i++) {
			bool blocked = false;

			for (size_t k = done; k < n && !blocked; k++)
				blocked = k != i && m[k].from == m[i].to;
			if (!blocked) {
				pick = i;
				break;
			}
		}
		if (pick != done) {
			move t = m[pick];

			memmove(&m[done + 1], &m[done], (pick - done) * sizeof(*m));
			m[done] = t;
		}
	}
}

/* One SetRulePriorities for every move, then the deletes. */
static int plan_moves_and_deletes(rules_ctx *x)
{
	gws_reconcile *r = x->r;
	size_t cap = x->nd + x->no, n = 0;
	move *m = RC_NEWN(r, move, cap ? cap : 1);
	gws_plan_change *owner = NULL;
	int bottom = MAX_PRIORITY;

	if (!m)
		return GWS_ENOMEM;
	for (size_t k = 0; k < x->no; k++) {
		rc_orule *o = x->o[k];

		/* Leftovers in the way of a desired rule wait at the bottom for their delete. */
		if (x->d_for_owned[k] && x->d_for_owned[k]->kind != P_REPLACE)
			continue;
		if (!x->final[o->priority])
			continue;
		m[n].slot = &x->oslot[k];
		m[n].from = o->priority;
		if ((m[n++].to = bottom_priority(x, &bottom)) < 0)
			return gws_error_set(GWS_ETOOBIG, "listener %d: no free rule priority",
			                     x->want->port);
	}
	for (size_t i = 0; i < x->nd; i++) {
		drule *d = &x->d[i];
		int now = d->kind == P_KEEP || d->kind == P_MODIFY || d->kind == P_REWRITE
		                  ? x->o[d->pair]->priority
		                  : d->create_at;

		if (now == d->m->priority)
			continue;
		m[n].slot = &d->slot;
		m[n].from = now;
		m[n++].to = d->m->priority;
		if (!owner)
			owner = d->change;
	}
	if (n) {
		rc_slot **slots = RC_NEWN(r, rc_slot *, n);
		int *prio = RC_NEWN(r, int, n);

		if (!slots || !prio)
			return GWS_ENOMEM;
		order_moves(m, n);
		for (size_t i = 0; i < n; i++) {
			slots[i] = m[i].slot;
			prio[i] = m[i].to;
		}
		if (!owner)
			owner = x->first_change;
		if (!owner) {
			/* Only leftovers move: the move belongs to the first delete. */
			for (size_t k = 0; k < x->no && !owner; k++)
				owner = x->delete_change[k];
		}
		if (owner && !rc_op_rule_priorities(r, x->sp, owner, slots, prio, n))
			return GWS_ENOMEM;
	}
	for (size_t k = 0; k < x->no; k++) {
		gws_plan_change *c = x->delete_change[k];
		drule *d = x->d_for_owned[k];

		if (d && d->kind != P_REPLACE)
			continue;
		if (!c && d)
			c = d->change;
		if (!c)
			continue;
		if (!rc_op_delete(r, x->sp, c, RC_STAGE_RULE_DELETE, GWS_PLAN_RULE,
		                  x->o[k]->aws->arn))
			return GWS_ENOMEM;
	}
	return 0;
}

static int plan_leftovers(rules_ctx *x)
{
	for (size_t k = 0; k < x->no; k++) {
		rc_orule *o = x->o[k];
		gws_plan_change *c;

		if (o->used)
			continue;
		c = rule_change(x, GWS_PLAN_DELETE, o->priority, o->aws->arn);
		if (!c)
			return GWS_ENOMEM;
		c->reason = "no longer in the manifests";
		x->delete_change[k] = c;
		if (describe_rule_fields(x, c, NULL, o) < 0)
			return GWS_ENOMEM;
	}
	return 0;
}

int rc_diff_rules(gws_reconcile *r, rc_stackplan *sp, const gws_model_listener *want,
                  rc_olistener *have, rc_slot *listener, bool set_unchanged)
{
	rules_ctx x;
	gws_buf b = GWS_BUF_INIT(RULE_CANON_CAP);
	size_t n_have = have ? have->n_rules : 0;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.r = r;
	x.sp = sp;
	x.want = want;
	x.have = have;
	x.lslot = listener;
	x.set_unchanged = set_unchanged;
	x.nd = want->n_rules;
	x.d = RC_NEWN(r, drule, x.nd ? x.nd : 1);
	x.o = RC_NEWN(r, rc_orule *, n_have ? n_have : 1);
	x.oslot = RC_NEWN(r, rc_slot, n_have ? n_have : 1);
	x.d_for_owned = RC_NEWN(r, drule *, n_have ? n_have : 1);
	x.delete_change = RC_NEWN(r, gws_plan_change *, n_have ? n_have : 1);
	x.occupied = gws_calloc(MAX_PRIORITY + 1, sizeof(bool));
	x.final = gws_calloc(MAX_PRIORITY + 1, sizeof(bool));
	x.next_free = 1;
	if (!x.d || !x.o || !x.oslot || !x.d_for_owned || !x.delete_change || !x.occupied ||
	    !x.final) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < x.nd; i++) {
		x.d[i].m = want->rules[i];
		x.d[i].pair = -1;
		if (want->rules[i]->priority >= 1 && want->rules[i]->priority <= MAX_PRIORITY)
			x.final[want->rules[i]->priority] = true;
		if ((rc = canon_desired(&x, &x.d[i], &b)) < 0)
			goto cleanup;
	}
	for (size_t k = 0; k < n_have; k++) {
		rc_orule *o = &have->rules[k];

		if (o->priority >= 1)
			x.occupied[o->priority] = true;
		if (o->owner != RC_OWNED) {
			if (o->priority >= 1 && x.final[o->priority]) {
				rc = rc_guard(
				        r, "ownership", 0, 1, true,
				        "%s listener %d: priority %d is held by a rule gwsync "
				        "does not own (%s); its rules were left as they are",
				        sp->stack, want->port, o->priority, o->aws->arn);
				if (rc == 0)
					rc = rc_note(
					        r, sp->stack, true,
					        "listener %d: rule priority %d is held by a rule "
					        "gwsync does not own",
					        want->port, o->priority);
				sp->failed = true;
				goto cleanup;
			}
			continue;
		}
		x.oslot[x.no].arn = o->aws->arn;
		x.o[x.no++] = o;
		if ((rc = canon_observed(&x, o, &b)) < 0)
			goto cleanup;
	}
	pair_pass(&x, same_content, P_KEEP);
	pair_pass(&x, written_by_us, P_MODIFY);
	pair_pass(&x, same_conditions, P_MODIFY);
	pair_pass(&x, same_priority, P_REPLACE);
	for (size_t i = 0; i < x.nd; i++) {
		if (x.d[i].pair >= 0)
			x.d_for_owned[x.d[i].pair] = &x.d[i];
		else
			x.d[i].drift = set_unchanged && have != NULL;
	}
	/* A pair made in passes 3-4 is a change of the manifests unless the old
	 * rule's spec tag says it was written for this very rule. */
	for (size_t i = 0; i < x.nd; i++) {
		drule *d = &x.d[i];

		if (d->pair >= 0 && (d->kind == P_MODIFY || d->kind == P_REPLACE))
			d->drift = written_by_us(d, x.o[d->pair]);
	}
	rewrite_sole_replacement(&x);
	if ((rc = plan_leftovers(&x)) < 0)
		goto cleanup;
	for (size_t i = 0; i < x.nd && rc == 0; i++) {
		rc = plan_desired(&x, &x.d[i]);
		if (!x.first_change && x.d[i].change)
			x.first_change = x.d[i].change;
	}
	if (rc == 0)
		rc = plan_moves_and_deletes(&x);
cleanup:
	gws_buf_dispose(&b);
	gws_free(x.occupied);
	gws_free(x.final);
	return rc;
}
