/*
 * The spec hashes written to GWS_RECONCILE_SPEC_TAG. Each covers what
 * gwsync sets on the resource, in the model's terms (target groups by id,
 * never by ARN), plus the identity of its children, so that a child
 * deleted outside gwsync shows as drift of a parent that is otherwise
 * unchanged (docs/reconcile.md, "Drift").
 */
#include <string.h>

#include "reconcile/internal.h"

#define HASH_INPUT_CAP (8u << 20)

static int put_kvs(gws_buf *b, const char *what, const gws_model_kvs *kvs)
{
	int rc = gws_buf_printf(b, "%s{", what);

	for (size_t i = 0; kvs && i < kvs->n && rc == 0; i++)
		rc = gws_buf_printf(b, "%zu:%s=%zu:%s;", strlen(kvs->items[i].key),
		                    kvs->items[i].key, strlen(kvs->items[i].value),
		                    kvs->items[i].value);
	return rc < 0 ? rc : gws_buf_puts(b, "}\n");
}

static int put_s(gws_buf *b, const char *what, const char *v)
{
	if (!v)
		return gws_buf_printf(b, "%s=-\n", what);
	return gws_buf_printf(b, "%s=%zu:%s\n", what, strlen(v), v);
}

static const char *done(gws_reconcile *r, gws_buf *b, int rc)
{
	const char *h = rc < 0 ? NULL : rc_hash(r, gws_buf_cstr(b), b->size);

	gws_buf_dispose(b);
	return h;
}

const char *rc_hash_target_group(gws_reconcile *r, const gws_model_target_group *t)
{
	gws_buf b = GWS_BUF_INIT(HASH_INPUT_CAP);
	const gws_model_health_check *h = &t->health_check;
	int rc = 0;

	rc = put_s(&b, "name", t->name);
	if (rc == 0)
		rc = gws_buf_printf(&b, "tg %s %s %d %s %s\n", t->protocol,
		                    t->protocol_version ? t->protocol_version : "-", t->port,
		                    t->target_type, t->ip_address_type ? t->ip_address_type : "-");
	if (rc == 0)
		rc = gws_buf_printf(
		        &b, "hc %s %s %s %s %s %d %d %d %d\n", h->protocol, h->port,
		        h->path ? h->path : "-", h->matcher_http_code ? h->matcher_http_code : "-",
		        h->matcher_grpc_code ? h->matcher_grpc_code : "-", h->interval_seconds,
		        h->timeout_seconds, h->healthy_threshold, h->unhealthy_threshold);
	if (rc == 0)
		rc = put_kvs(&b, "attributes", &t->attributes);
	if (rc == 0)
		rc = put_kvs(&b, "tags", &t->tags);
	return done(r, &b, rc);
}

const char *rc_hash_security_group(gws_reconcile *r, const gws_model_security_groups *g)
{
	gws_buf b = GWS_BUF_INIT(HASH_INPUT_CAP);
	int rc;

	rc = put_s(&b, "name", g->name);
	if (rc == 0)
		rc = put_s(&b, "description", g->description);
	for (size_t i = 0; i < g->n_ingress && rc == 0; i++) {
		const gws_model_sg_ingress *p = &g->ingress[i];

		rc = gws_buf_printf(&b, "in %s %d %d %s %s %s\n", p->ip_protocol, p->from_port,
		                    p->to_port, p->cidr_ipv4 ? p->cidr_ipv4 : "-",
		                    p->cidr_ipv6 ? p->cidr_ipv6 : "-",
		                    p->prefix_list_id ? p->prefix_list_id : "-");
	}
	if (rc == 0)
		rc = put_kvs(&b, "tags", &g->tags);
	return done(r, &b, rc);
}

static int put_subnets(gws_buf *b, const gws_model_subnets *s)
{
	int rc = gws_buf_printf(b, "subnets %d\n", (int)s->mode);

	for (size_t i = 0; i < s->n_subnets && rc == 0; i++) {
		const gws_model_subnet *x = &s->subnets[i];

		rc = gws_buf_printf(b, "subnet %s %s %s %s %s\n", x->identifier,
		                    x->eip_allocation ? x->eip_allocation : "-",
		                    x->private_ipv4_allocation ? x->private_ipv4_allocation : "-",
		                    x->ipv6_allocation ? x->ipv6_allocation : "-",
		                    x->source_nat_ipv6_prefix ? x->source_nat_ipv6_prefix : "-");
	}
	for (size_t i = 0; i < s->n_selector && rc == 0; i++) {
		rc = gws_buf_printf(b, "selector %s", s->selector[i].key);
		for (size_t k = 0; k < s->selector[i].values.n && rc == 0; k++)
			rc = gws_buf_printf(b, " %s", s->selector[i].values.items[k]);
		if (rc == 0)
			rc = gws_buf_putc(b, '\n');
	}
	return rc;
}

const char *rc_hash_load_balancer(gws_reconcile *r, const gws_model_stack *s)
{
	gws_buf b = GWS_BUF_INIT(HASH_INPUT_CAP);
	const gws_model_load_balancer *lb = &s->load_balancer;
	int rc;

	rc = put_s(&b, "name", lb->name);
	if (rc == 0)
		rc = gws_buf_printf(&b, "lb %s %s %s\n", gws_model_lb_type_name(lb->type),
		                    lb->scheme, lb->ip_address_type);
	if (rc == 0)
		rc = put_subnets(&b, &lb->subnets);
	if (rc == 0)
		rc = gws_buf_printf(&b, "sg %d\n", (int)lb->security_groups.mode);
	for (size_t i = 0; i < lb->security_groups.groups.n && rc == 0; i++)
		rc = put_s(&b, "group", lb->security_groups.groups.items[i]);
	if (rc == 0)
		rc = put_kvs(&b, "attributes", &lb->attributes);
	if (rc == 0)
		rc = put_kvs(&b, "tags", &lb->tags);
	/* Children: a listener or target group deleted outside gwsync is drift. */
	for (size_t i = 0; i < s->n_listeners && rc == 0; i++)
		rc = gws_buf_printf(&b, "listener %d\n", s->listeners[i]->port);
	for (size_t i = 0; i < s->n_target_groups && rc == 0; i++)
		rc = put_s(&b, "tg", s->target_groups[i]->id);
	return done(r, &b, rc);
}

const char *rc_hash_listener(gws_reconcile *r, rc_stackplan *sp, const gws_model_listener *l)
{
	gws_buf b = GWS_BUF_INIT(HASH_INPUT_CAP);
	int rc;

	rc = gws_buf_printf(&b, "listener %d %s\n", l->port, l->protocol);
	if (rc == 0)
		rc = rc_canon_model_actions(&b, l->default_actions, l->n_default_actions, false,
		                            rc_ref_desired_id, sp);
	for (size_t i = 0; i < l->certificates.n && rc == 0; i++)
		rc = put_s(&b, "certificate", l->certificates.items[i]);
	if (rc == 0)
		rc = put_s(&b, "ssl", l->ssl_policy);
	if (rc == 0)
		rc = put_s(&b, "alpn", l->alpn_policy);
	if (rc == 0)
		rc = put_kvs(&b, "attributes", &l->attributes);
	if (rc == 0)
		rc = put_kvs(&b, "tags", &l->tags);
	/* Rules by identity, not content: a path edit does not rewrite the listener's tag,
	 * a rule deleted outside gwsync shows as drift. */
	for (size_t i = 0; i < l->n_rules && rc == 0; i++) {
		const gws_model_rule *ru = l->rules[i];

		rc = gws_buf_printf(&b, "rule %d %d %d ", ru->priority, ru->rule_index,
		                    ru->match_index);
		if (rc == 0)
			rc = put_s(&b, "route", ru->route);
	}
	return done(r, &b, rc);
}
