/*
 * Listeners: matched by port among the listeners gwsync owns on the load
 * balancer (a listener on that port gwsync does not own is never touched:
 * ownership conflict). Protocol, default actions, the default certificate,
 * the SSL policy (when the manifests set one) and the ALPN policy are
 * updated with one ModifyListener; extra certificates with
 * Add/RemoveListenerCertificates; then attributes, tags and the rules.
 */
#include <string.h>

#include "reconcile/convert.h"
#include "reconcile/describe.h"
#include "reconcile/ops.h"

#define LISTENER_CANON_CAP (1u << 20)

static const char *listener_address(gws_reconcile *r, const rc_stackplan *sp, int port)
{
	return gws_arena_printf(r->arena, "%s listener %d", sp->stack, port);
}

static rc_olistener *find_listener(rc_olb *lb, int port)
{
	for (size_t i = 0; lb && i < lb->n_listeners; i++)
		if (lb->listeners[i].aws->port == port)
			return &lb->listeners[i];
	return NULL;
}

static bool tls(const char *protocol)
{
	return protocol && (strcmp(protocol, "HTTPS") == 0 || strcmp(protocol, "TLS") == 0);
}

static const char *default_cert(const rc_olistener *h)
{
	const gws_elbv2_certificates *c = &h->aws->certificates;

	for (size_t i = 0; i < c->count; i++)
		if (c->items[i].is_default != GWS_AWS_FALSE)
			return c->items[i].arn;
	return NULL;
}

/* "None" and no policy are the same, on either side. */
static const char *alpn_or_null(const char *policy)
{
	return policy && strcmp(policy, "None") != 0 ? policy : NULL;
}

static const char *observed_alpn(const rc_olistener *h)
{
	const gws_aws_strings *a = &h->aws->alpn_policy;

	return a->count ? alpn_or_null(a->items[0]) : NULL;
}

static int actions_differ(gws_reconcile *r, rc_stackplan *sp, const gws_model_listener *l,
                          const rc_olistener *h, bool *differs)
{
	gws_buf a = GWS_BUF_INIT(LISTENER_CANON_CAP), b = GWS_BUF_INIT(LISTENER_CANON_CAP);
	bool network = sp->desired->load_balancer.type == GWS_MODEL_LB_NETWORK;
	int rc;

	(void)r;
	rc = rc_canon_model_actions(&a, l->default_actions, l->n_default_actions, network,
	                            rc_ref_desired, sp);
	if (rc == 0)
		rc = rc_canon_aws_actions(&b, &h->aws->default_actions, network, rc_ref_observed,
		                          sp);
	if (rc == 0)
		*differs = strcmp(gws_buf_cstr(&a), gws_buf_cstr(&b)) != 0;
	gws_buf_dispose(&a);
	gws_buf_dispose(&b);
	return rc;
}

static gws_plan_change *update_change(gws_reconcile *r, rc_stackplan *sp,
                                      const gws_model_listener *l, rc_slot *slot,
                                      gws_plan_change **c)
{
	if (!*c) {
		*c = rc_change_add(r, sp, GWS_PLAN_LISTENER, GWS_PLAN_UPDATE, l->id,
		                   listener_address(r, sp, l->port));
		if (*c)
			(*c)->aws_id = slot->arn;
	}
	return *c;
}

static bool has_cert(const char *const *items, size_t n, const char *arn)
{
	for (size_t i = 0; i < n; i++)
		if (items[i] && arn && strcmp(items[i], arn) == 0)
			return true;
	return false;
}

/* Certificates beyond the default, as AddListenerCertificates knows them. */
static int diff_extra_certs(gws_reconcile *r, rc_stackplan *sp, const gws_model_listener *l,
                            const rc_olistener *h, rc_slot *slot, gws_plan_change **c)
{
	const char *const *want = l->certificates.n > 1 ? l->certificates.items + 1 : NULL;
	size_t nw = l->certificates.n > 1 ? l->certificates.n - 1 : 0;
	const char **add = RC_NEWN(r, const char *, nw ? nw : 1);
	const char **del =
	        RC_NEWN(r, const char *, h->certificates.count ? h->certificates.count : 1);
	size_t na = 0, nd = 0;

	if (!add || !del)
		return GWS_ENOMEM;
	if (!h->has_certificates)
		return 0;
	for (size_t i = 0; i < nw; i++) {
		bool present = false;

		for (size_t k = 0; k < h->certificates.count; k++)
			if (h->certificates.items[k].is_default != GWS_AWS_TRUE &&
			    gws_strcmp_null(h->certificates.items[k].arn, want[i]) == 0)
				present = true;
		if (!present)
			add[na++] = want[i];
	}
	for (size_t k = 0; k < h->certificates.count; k++) {
		const gws_elbv2_certificate *cert = &h->certificates.items[k];

		if (cert->is_default == GWS_AWS_TRUE || has_cert(want, nw, cert->arn))
			continue;
		del[nd++] = cert->arn;
	}
	if (!na && !nd)
		return 0;
	if (!update_change(r, sp, l, slot, c))
		return GWS_ENOMEM;
	if (na && (rc_change_field(r, *c, "certificates (added)", NULL,
	                           rc_describe_strings(r, add, na)) < 0 ||
	           !rc_op_listener_certs(r, sp, *c, slot, rc_aws_certificates(r, add, na), false)))
		return GWS_ENOMEM;
	if (nd && (rc_change_field(r, *c, "certificates (removed)", rc_describe_strings(r, del, nd),
	                           NULL) < 0 ||
	           !rc_op_listener_certs(r, sp, *c, slot, rc_aws_certificates(r, del, nd), true)))
		return GWS_ENOMEM;
	return 0;
}

static int diff_existing(gws_reconcile *r, rc_stackplan *sp, const gws_model_listener *l,
                         rc_olistener *h, rc_slot *slot, const char *hash)
{
	rc_listener_fields f = {0};
	gws_plan_change *c = NULL;
	bool differs = false;
	gws_aws_kvs tags;
	int rc;

	if (gws_strcmp_null(h->aws->protocol, l->protocol)) {
		f.protocol = true;
		if (!update_change(r, sp, l, slot, &c) ||
		    rc_change_field(r, c, "protocol", h->aws->protocol, l->protocol) < 0)
			return GWS_ENOMEM;
	}
	if ((rc = actions_differ(r, sp, l, h, &differs)) < 0)
		return rc;
	if (differs) {
		f.actions = true;
		if (!update_change(r, sp, l, slot, &c) ||
		    rc_change_field(r, c, "defaultActions",
		                    rc_describe_aws_actions(r, &h->aws->default_actions),
		                    rc_describe_model_actions(r, sp, l->default_actions,
		                                              l->n_default_actions)) < 0)
			return GWS_ENOMEM;
	}
	if (l->certificates.n && gws_strcmp_null(default_cert(h), l->certificates.items[0])) {
		f.certificate = true;
		if (!update_change(r, sp, l, slot, &c) ||
		    rc_change_field(r, c, "certificate", default_cert(h),
		                    l->certificates.items[0]) < 0)
			return GWS_ENOMEM;
	}
	if (l->ssl_policy && gws_strcmp_null(h->aws->ssl_policy, l->ssl_policy)) {
		f.ssl_policy = true;
		if (!update_change(r, sp, l, slot, &c) ||
		    rc_change_field(r, c, "sslPolicy", h->aws->ssl_policy, l->ssl_policy) < 0)
			return GWS_ENOMEM;
	}
	if (tls(l->protocol) && gws_strcmp_null(observed_alpn(h), alpn_or_null(l->alpn_policy))) {
		f.alpn = true;
		if (!update_change(r, sp, l, slot, &c) ||
		    rc_change_field(r, c, "alpnPolicy", observed_alpn(h), l->alpn_policy) < 0)
			return GWS_ENOMEM;
	}
	if ((f.protocol || f.actions || f.certificate || f.ssl_policy || f.alpn) &&
	    !rc_op_listener_modify(r, sp, c, l, slot, f))
		return GWS_ENOMEM;
	if (tls(l->protocol) && (rc = diff_extra_certs(r, sp, l, h, slot, &c)) < 0)
		return rc;
	if ((rc = rc_diff_attributes(r, sp, &c, GWS_PLAN_LISTENER, l->id,
	                             listener_address(r, sp, l->port), GWS_ELBV2_LISTENER, slot,
	                             &l->attributes, &h->attributes, RC_STAGE_LISTENER_UPDATE)) < 0)
		return rc;
	tags = rc_desired_tags(r, &l->tags, NULL);
	if ((rc = rc_diff_tags(r, sp, &c, GWS_PLAN_LISTENER, l->id,
	                       listener_address(r, sp, l->port), slot, &tags, &h->tags, false)) < 0)
		return rc;
	if (c)
		c->drift = h->spec && strcmp(h->spec, hash) == 0;
	return rc_confirm_spec(r, sp, &c, GWS_PLAN_LISTENER, l->id,
	                       listener_address(r, sp, l->port), slot, h->spec, hash);
}

static int plan_create(gws_reconcile *r, rc_stackplan *sp, const gws_model_listener *l,
                       rc_slot *slot, const char *hash, bool drift)
{
	gws_plan_change *c;
	int rc;

	c = rc_change_add(r, sp, GWS_PLAN_LISTENER, GWS_PLAN_CREATE, l->id,
	                  listener_address(r, sp, l->port));
	if (!c)
		return GWS_ENOMEM;
	c->drift = drift;
	if (rc_change_field(r, c, "protocol", NULL, l->protocol) < 0 ||
	    rc_change_field(r, c, "defaultActions", NULL,
	                    rc_describe_model_actions(r, sp, l->default_actions,
	                                              l->n_default_actions)) < 0 ||
	    (l->certificates.n && rc_change_field(r, c, "certificates", NULL,
	                                          rc_describe_strings(r, l->certificates.items,
	                                                              l->certificates.n)) < 0) ||
	    (l->ssl_policy && rc_change_field(r, c, "sslPolicy", NULL, l->ssl_policy) < 0))
		return GWS_ENOMEM;
	if (!rc_op_listener_create(r, sp, c, l, rc_desired_tags(r, &l->tags, NULL), &sp->lb_slot,
	                           slot))
		return GWS_ENOMEM;
	if (l->certificates.n > 1 &&
	    !rc_op_listener_certs(
	            r, sp, c, slot,
	            rc_aws_certificates(r, l->certificates.items + 1, l->certificates.n - 1),
	            false))
		return GWS_ENOMEM;
	if ((rc = rc_diff_attributes(r, sp, &c, GWS_PLAN_LISTENER, l->id, c->address,
	                             GWS_ELBV2_LISTENER, slot, &l->attributes, NULL,
	                             RC_STAGE_LISTENER_UPDATE)) < 0)
		return rc;
	return rc_confirm_spec(r, sp, &c, GWS_PLAN_LISTENER, l->id, c->address, slot, NULL, hash);
}

int rc_diff_listeners(gws_reconcile *r, rc_stackplan *sp, bool lb_unchanged)
{
	const gws_model_stack *s = sp->desired;
	int rc;

	for (size_t i = 0; i < s->n_listeners; i++) {
		const gws_model_listener *l = s->listeners[i];
		rc_olistener *h = find_listener(sp->lb, l->port);
		rc_slot *slot = RC_NEW(r, rc_slot);
		const char *hash = rc_hash_listener(r, sp, l);

		if (!slot || !hash)
			return GWS_ENOMEM;
		if (h && h->owner != RC_OWNED) {
			if ((rc = rc_guard(r, "ownership", 0, 1, true,
			                   "%s listener %d exists and is not owned by gwsync (%s); "
			                   "it was left as it is",
			                   sp->stack, l->port, h->aws->arn)) < 0)
				return rc;
			sp->failed = true;
			sp->failure = "a listener port is held by a listener gwsync does not own";
			h->used = true;
			continue;
		}
		if (!h) {
			if ((rc = plan_create(r, sp, l, slot, hash, lb_unchanged && sp->lb)) < 0 ||
			    (rc = rc_diff_rules(r, sp, l, NULL, slot, false)) < 0)
				return rc;
			continue;
		}
		h->used = true;
		slot->arn = h->aws->arn;
		if ((rc = diff_existing(r, sp, l, h, slot, hash)) < 0 ||
		    (rc = rc_diff_rules(r, sp, l, h, slot, h->spec && strcmp(h->spec, hash) == 0)) <
		            0)
			return rc;
	}
	/* Owned listeners on ports the manifests no longer have. */
	for (size_t i = 0; sp->lb && i < sp->lb->n_listeners; i++) {
		rc_olistener *h = &sp->lb->listeners[i];
		gws_plan_change *c;

		if (h->used || h->owner != RC_OWNED)
			continue;
		c = rc_change_add(r, sp, GWS_PLAN_LISTENER, GWS_PLAN_DELETE,
		                  gws_arena_printf(r->arena, "%d", h->aws->port),
		                  listener_address(r, sp, h->aws->port));
		if (!c)
			return GWS_ENOMEM;
		c->aws_id = h->aws->arn;
		c->reason = "no listener on this port in the manifests; its rules go with it";
		if (!rc_op_delete(r, sp, c, RC_STAGE_LISTENER_DELETE, GWS_PLAN_LISTENER,
		                  h->aws->arn))
			return GWS_ENOMEM;
	}
	return 0;
}
