/*
 * The senders of the plan's AWS calls. Each constructor records what the
 * call needs; its send function builds the request when its stage runs
 * (taking ARNs and group ids from slots filled by earlier stages) and
 * queues it on the client's batch; its done function fills the slot a
 * create produces.
 */
#include <string.h>

#include "reconcile/convert.h"
#include "reconcile/ops.h"

#define ELB "elasticloadbalancing"
#define EC2 "ec2"

/* The ARN or id a slot holds, or a failure naming what is missing. */
static const char *need(rc_op *op, const rc_slot *s, const char *what)
{
	if (s && s->arn && !s->failed)
		return s->arn;
	gws_error_set(GWS_ENOTFOUND, "%s does not exist (an earlier step failed)", what);
	(void)op;
	return NULL;
}

static rc_op *with_creates(rc_op *op, rc_slot *slot)
{
	if (op)
		op->creates = slot;
	return op;
}

static void fill_slot(rc_slot *s, int rc, const char *arn, const char *name, const char *dns)
{
	if (rc < 0) {
		s->failed = true;
		return;
	}
	s->arn = arn;
	if (name)
		s->name = name;
	if (dns)
		s->dns_name = dns;
}

/* ---- EC2 ------------------------------------------------------------------------------ */

typedef struct {
	const char *name, *description, *vpc;
	gws_aws_kvs tags;
	rc_slot *out;
	const char *group_id;
} sg_create;

static int sg_create_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	sg_create *d = op->data;

	return gws_ec2_create_security_group(c, a, d->name, d->description, d->vpc, &d->tags,
	                                     &d->group_id);
}

static void sg_create_done(rc_op *op, int rc)
{
	sg_create *d = op->data;

	fill_slot(d->out, rc, d->group_id, NULL, NULL);
}

rc_op *rc_op_sg_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, const char *name,
                       const char *description, gws_aws_kvs tags, rc_slot *out)
{
	sg_create *d = RC_NEW(r, sg_create);

	if (!d)
		return NULL;
	*d = (sg_create){name, description, r->obs.vpc_id, tags, out, NULL};
	out->pending = true;
	out->name = name;
	return with_creates(rc_op_add(r, sp, c, RC_STAGE_SG_CREATE, EC2, "CreateSecurityGroup",
	                              name, sg_create_send, sg_create_done, d),
	                    out);
}

typedef struct {
	rc_slot *group;
	gws_ec2_ip_permissions perms;
	bool revoke;
} sg_ingress;

static int sg_ingress_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	sg_ingress *d = op->data;
	const char *id = need(op, d->group, "the security group");

	(void)a;
	if (!id)
		return GWS_ENOTFOUND;
	return d->revoke ? gws_ec2_revoke_security_group_ingress(c, id, &d->perms)
	                 : gws_ec2_authorize_security_group_ingress(c, id, &d->perms);
}

rc_op *rc_op_sg_ingress(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                        rc_slot *group, gws_ec2_ip_permissions perms, bool revoke)
{
	sg_ingress *d = RC_NEW(r, sg_ingress);

	if (!d)
		return NULL;
	*d = (sg_ingress){group, perms, revoke};
	return rc_op_add(r, sp, c, stage, EC2,
	                 revoke ? "RevokeSecurityGroupIngress" : "AuthorizeSecurityGroupIngress",
	                 NULL, sg_ingress_send, NULL, d);
}

typedef struct {
	rc_slot *res;
	gws_aws_kvs tags;
	bool remove;
} ec2_tags;

static int ec2_tags_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	ec2_tags *d = op->data;
	const char *id = need(op, d->res, "the resource");
	gws_aws_strings ids = {&id, 1};

	(void)a;
	if (!id)
		return GWS_ENOTFOUND;
	return d->remove ? gws_ec2_delete_tags(c, &ids, &d->tags)
	                 : gws_ec2_create_tags(c, &ids, &d->tags);
}

rc_op *rc_op_ec2_tags(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *res,
                      gws_aws_kvs tags, bool remove)
{
	ec2_tags *d = RC_NEW(r, ec2_tags);

	if (!d)
		return NULL;
	*d = (ec2_tags){res, tags, remove};
	return rc_op_add(r, sp, c, RC_STAGE_SG_UPDATE, EC2, remove ? "DeleteTags" : "CreateTags",
	                 NULL, ec2_tags_send, NULL, d);
}

typedef struct {
	const char *id;
	gws_plan_kind kind;
} by_id;

static int sg_delete_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	by_id *d = op->data;

	(void)a;
	return gws_ec2_delete_security_group(c, d->id);
}

rc_op *rc_op_sg_delete(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, const char *id)
{
	by_id *d = RC_NEW(r, by_id);
	rc_op *op;

	if (!d)
		return NULL;
	d->id = id;
	op = rc_op_add(r, sp, c, RC_STAGE_SG_DELETE, EC2, "DeleteSecurityGroup", NULL,
	               sg_delete_send, NULL, d);
	/* AWS releases a load balancer's network interfaces a while after its delete. */
	if (op) {
		op->conflict_wait_s = 120;
		op->deletes = id;
	}
	return op;
}

/* ---- ELBv2, any resource ---------------------------------------------------------------- */

typedef struct {
	rc_slot *res;
	gws_aws_kvs tags;
	gws_aws_strings keys;
	gws_elbv2_attr_kind kind;
	gws_aws_kvs reply;
} elb_res;

static int tags_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	elb_res *d = op->data;
	const char *arn = need(op, d->res, "the resource");
	gws_aws_strings arns = {&arn, 1};

	(void)a;
	if (!arn)
		return GWS_ENOTFOUND;
	if (d->keys.count)
		return gws_elbv2_remove_tags(c, &arns, &d->keys);
	return gws_elbv2_add_tags(c, &arns, &d->tags);
}

rc_op *rc_op_tags(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                  rc_slot *res, gws_aws_kvs tags)
{
	elb_res *d = RC_NEW(r, elb_res);

	if (!d)
		return NULL;
	d->res = res;
	d->tags = tags;
	return rc_op_add(r, sp, c, stage, ELB, "AddTags", NULL, tags_send, NULL, d);
}

rc_op *rc_op_untag(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                   rc_slot *res, gws_aws_strings keys)
{
	elb_res *d = RC_NEW(r, elb_res);

	if (!d)
		return NULL;
	d->res = res;
	d->keys = keys;
	return rc_op_add(r, sp, c, stage, ELB, "RemoveTags", NULL, tags_send, NULL, d);
}

static int attributes_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	elb_res *d = op->data;
	const char *arn = need(op, d->res, "the resource");

	if (!arn)
		return GWS_ENOTFOUND;
	return gws_elbv2_modify_attributes(c, a, d->kind, arn, &d->tags, &d->reply);
}

rc_op *rc_op_attributes(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                        gws_elbv2_attr_kind kind, rc_slot *res, gws_aws_kvs attributes)
{
	static const char *const names[] = {"ModifyLoadBalancerAttributes",
	                                    "ModifyTargetGroupAttributes",
	                                    "ModifyListenerAttributes"};
	elb_res *d = RC_NEW(r, elb_res);

	if (!d)
		return NULL;
	d->res = res;
	d->tags = attributes;
	d->kind = kind;
	return rc_op_add(r, sp, c, stage, ELB, names[kind], NULL, attributes_send, NULL, d);
}

static int delete_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	by_id *d = op->data;

	(void)a;
	switch (d->kind) {
	case GWS_PLAN_LOAD_BALANCER:
		return gws_elbv2_delete_load_balancer(c, d->id);
	case GWS_PLAN_TARGET_GROUP:
		return gws_elbv2_delete_target_group(c, d->id);
	case GWS_PLAN_LISTENER:
		return gws_elbv2_delete_listener(c, d->id);
	case GWS_PLAN_RULE:
		return gws_elbv2_delete_rule(c, d->id);
	default:
		return gws_error_set(GWS_EINVALID, "cannot delete a %s here",
		                     gws_plan_kind_name(d->kind));
	}
}

rc_op *rc_op_delete(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                    gws_plan_kind kind, const char *arn)
{
	static const char *const names[] = {NULL, "DeleteTargetGroup", "DeleteLoadBalancer",
	                                    "DeleteListener", "DeleteRule"};
	by_id *d = RC_NEW(r, by_id);
	rc_op *op;

	if (!d)
		return NULL;
	d->id = arn;
	d->kind = kind;
	op = rc_op_add(r, sp, c, stage, ELB, names[kind], NULL, delete_send, NULL, d);
	if (op)
		op->deletes = arn;
	/* A target group is in use until the listener or rule that named it changed. */
	if (op && kind == GWS_PLAN_TARGET_GROUP)
		op->conflict_wait_s = 20;
	return op;
}

/* ---- target groups ---------------------------------------------------------------------- */

typedef struct {
	const gws_model_target_group *tg;
	gws_aws_kvs tags;
	const char *vpc;
	rc_slot *slot;
	gws_elbv2_target_group out;
} tg_op;

static void health_check(const gws_model_health_check *h, const char **proto, const char **port,
                         const char **path, int *interval, int *timeout, int *healthy,
                         int *unhealthy, const char **http, const char **grpc)
{
	*proto = h->protocol;
	*port = h->port;
	*path = h->path;
	*interval = h->interval_seconds;
	*timeout = h->timeout_seconds;
	*healthy = h->healthy_threshold;
	*unhealthy = h->unhealthy_threshold;
	*http = h->matcher_http_code;
	*grpc = h->matcher_grpc_code;
}

static int tg_create_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	tg_op *d = op->data;
	gws_elbv2_create_target_group_input in;

	memset(&in, 0, sizeof(in));
	in.name = d->tg->name;
	in.protocol = d->tg->protocol;
	in.protocol_version = d->tg->protocol_version;
	in.port = d->tg->port;
	in.vpc_id = d->vpc;
	in.target_type = d->tg->target_type;
	in.health_check_enabled = GWS_AWS_TRUE;
	health_check(&d->tg->health_check, &in.health_check_protocol, &in.health_check_port,
	             &in.health_check_path, &in.health_check_interval, &in.health_check_timeout,
	             &in.healthy_threshold, &in.unhealthy_threshold, &in.matcher_http_code,
	             &in.matcher_grpc_code);
	/* ipv4 is the default: sent only when it is something else, as LBC does. */
	if (d->tg->ip_address_type && strcmp(d->tg->ip_address_type, "ipv4") != 0)
		in.ip_address_type = d->tg->ip_address_type;
	in.tags = d->tags;
	return gws_elbv2_create_target_group(c, a, &in, &d->out);
}

static void tg_create_done(rc_op *op, int rc)
{
	tg_op *d = op->data;

	fill_slot(d->slot, rc, d->out.arn, d->out.name, NULL);
}

rc_op *rc_op_tg_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                       const gws_model_target_group *tg, gws_aws_kvs tags, rc_slot *out)
{
	tg_op *d = RC_NEW(r, tg_op);

	if (!d)
		return NULL;
	d->tg = tg;
	d->tags = tags;
	d->vpc = r->obs.vpc_id;
	d->slot = out;
	out->pending = true;
	out->name = tg->name;
	return with_creates(rc_op_add(r, sp, c, RC_STAGE_TG_CREATE, ELB, "CreateTargetGroup",
	                              tg->name, tg_create_send, tg_create_done, d),
	                    out);
}

static int tg_modify_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	tg_op *d = op->data;
	gws_elbv2_modify_target_group_input in;

	memset(&in, 0, sizeof(in));
	if (!(in.target_group_arn = need(op, d->slot, "the target group")))
		return GWS_ENOTFOUND;
	in.health_check_enabled = GWS_AWS_TRUE;
	health_check(&d->tg->health_check, &in.health_check_protocol, &in.health_check_port,
	             &in.health_check_path, &in.health_check_interval, &in.health_check_timeout,
	             &in.healthy_threshold, &in.unhealthy_threshold, &in.matcher_http_code,
	             &in.matcher_grpc_code);
	return gws_elbv2_modify_target_group(c, a, &in, &d->out);
}

rc_op *rc_op_tg_modify(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *res,
                       const gws_model_target_group *tg)
{
	tg_op *d = RC_NEW(r, tg_op);

	if (!d)
		return NULL;
	d->tg = tg;
	d->slot = res;
	return rc_op_add(r, sp, c, RC_STAGE_TG_UPDATE, ELB, "ModifyTargetGroup", NULL,
	                 tg_modify_send, NULL, d);
}

/* ---- load balancers --------------------------------------------------------------------- */

typedef struct {
	gws_reconcile *r;
	gws_aws_kvs tags;
	rc_slot *slot;
	const char *ip_type;
	gws_elbv2_load_balancer out;
} lb_op;

/* The security groups the load balancer should have now (ids). */
static int lb_groups(rc_op *op, gws_aws_strings *out)
{
	rc_stackplan *sp = op->sp;
	const gws_model_security_groups *want = &sp->desired->load_balancer.security_groups;

	memset(out, 0, sizeof(*out));
	if (want->mode == GWS_MODEL_SG_EXPLICIT) {
		*out = sp->sgs;
		return 0;
	}
	if (want->mode == GWS_MODEL_SG_NONE)
		return 0;
	if (!need(op, &sp->sg_slot, "the managed security group"))
		return GWS_ENOTFOUND;
	out->items = &sp->sg_slot.arn;
	out->count = 1;
	return 0;
}

static int lb_create_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	lb_op *d = op->data;
	const gws_model_load_balancer *lb = &op->sp->desired->load_balancer;
	gws_elbv2_create_load_balancer_input in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.name = lb->name;
	in.subnets = op->sp->subnets;
	if ((rc = lb_groups(op, &in.security_groups)) < 0)
		return rc;
	in.scheme = lb->scheme;
	in.type = gws_model_lb_type_name(lb->type);
	in.ip_address_type = lb->ip_address_type;
	in.tags = d->tags;
	return gws_elbv2_create_load_balancer(c, a, &in, &d->out);
}

static void lb_create_done(rc_op *op, int rc)
{
	lb_op *d = op->data;

	fill_slot(d->slot, rc, d->out.arn, d->out.name, d->out.dns_name);
}

rc_op *rc_op_lb_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, gws_aws_kvs tags,
                       rc_slot *out)
{
	lb_op *d = RC_NEW(r, lb_op);

	if (!d)
		return NULL;
	d->r = r;
	d->tags = tags;
	d->slot = out;
	out->pending = true;
	out->name = sp->desired->load_balancer.name;
	return with_creates(rc_op_add(r, sp, c, RC_STAGE_LB_CREATE, ELB, "CreateLoadBalancer",
	                              out->name, lb_create_send, lb_create_done, d),
	                    out);
}

static int lb_sgs_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	lb_op *d = op->data;
	const char *arn = need(op, d->slot, "the load balancer");
	gws_aws_strings groups;
	int rc;

	(void)a;
	if (!arn)
		return GWS_ENOTFOUND;
	if ((rc = lb_groups(op, &groups)) < 0)
		return rc;
	return gws_elbv2_set_security_groups(c, arn, &groups);
}

rc_op *rc_op_lb_security_groups(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *lb)
{
	lb_op *d = RC_NEW(r, lb_op);

	if (!d)
		return NULL;
	d->slot = lb;
	return rc_op_add(r, sp, c, RC_STAGE_LB_UPDATE, ELB, "SetSecurityGroups", NULL, lb_sgs_send,
	                 NULL, d);
}

static int lb_subnets_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	lb_op *d = op->data;
	const char *arn = need(op, d->slot, "the load balancer");

	(void)a;
	if (!arn)
		return GWS_ENOTFOUND;
	return gws_elbv2_set_subnets(c, arn, &op->sp->subnets, NULL);
}

rc_op *rc_op_lb_subnets(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *lb)
{
	lb_op *d = RC_NEW(r, lb_op);

	if (!d)
		return NULL;
	d->slot = lb;
	return rc_op_add(r, sp, c, RC_STAGE_LB_UPDATE, ELB, "SetSubnets", NULL, lb_subnets_send,
	                 NULL, d);
}

static int lb_ip_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	lb_op *d = op->data;
	const char *arn = need(op, d->slot, "the load balancer");

	(void)a;
	if (!arn)
		return GWS_ENOTFOUND;
	return gws_elbv2_set_ip_address_type(c, arn, d->ip_type);
}

rc_op *rc_op_lb_ip_type(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *lb,
                        const char *ip_type)
{
	lb_op *d = RC_NEW(r, lb_op);

	if (!d)
		return NULL;
	d->slot = lb;
	d->ip_type = ip_type;
	return rc_op_add(r, sp, c, RC_STAGE_LB_UPDATE, ELB, "SetIpAddressType", NULL, lb_ip_send,
	                 NULL, d);
}

/* ---- listeners ----------------------------------------------------------------------------- */

typedef struct {
	const gws_model_listener *l;
	gws_aws_kvs tags;
	rc_slot *lb;
	rc_slot *slot;
	rc_listener_fields fields;
	gws_elbv2_certificates certs;
	bool remove;
	gws_elbv2_listener out;
} listener_op;

static gws_aws_strings alpn(const gws_model_listener *l)
{
	static const char *none[] = {"None"};
	gws_aws_strings out = {none, 1};

	/* No ALPN policy is sent as "None" so that a policy set outside is removed. */
	if (l->alpn_policy) {
		/* The encoder only reads the list. */
		out.items = (const char **)&l->alpn_policy;
		out.count = 1;
	}
	return out;
}

static bool tls_protocol(const char *p)
{
	return p && (strcmp(p, "HTTPS") == 0 || strcmp(p, "TLS") == 0);
}

static int listener_create_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	listener_op *d = op->data;
	gws_elbv2_create_listener_input in;
	int rc;

	memset(&in, 0, sizeof(in));
	if (!(in.load_balancer_arn = need(op, d->lb, "the load balancer")))
		return GWS_ENOTFOUND;
	in.protocol = d->l->protocol;
	in.port = d->l->port;
	in.ssl_policy = d->l->ssl_policy;
	if (d->l->certificates.n)
		in.certificates = rc_aws_certificates(op->r, d->l->certificates.items, 1);
	if ((rc = rc_aws_actions(op->r, op->sp, d->l->default_actions, d->l->n_default_actions,
	                         &in.default_actions)) < 0)
		return rc;
	if (d->l->alpn_policy)
		in.alpn_policy = alpn(d->l);
	in.tags = d->tags;
	return gws_elbv2_create_listener(c, a, &in, &d->out);
}

static void listener_create_done(rc_op *op, int rc)
{
	listener_op *d = op->data;

	fill_slot(d->slot, rc, d->out.arn, NULL, NULL);
}

rc_op *rc_op_listener_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                             const gws_model_listener *l, gws_aws_kvs tags, rc_slot *lb,
                             rc_slot *out)
{
	listener_op *d = RC_NEW(r, listener_op);

	if (!d)
		return NULL;
	d->l = l;
	d->tags = tags;
	d->lb = lb;
	d->slot = out;
	out->pending = true;
	return with_creates(rc_op_add(r, sp, c, RC_STAGE_LISTENER_CREATE, ELB, "CreateListener",
	                              NULL, listener_create_send, listener_create_done, d),
	                    out);
}

static int listener_modify_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	listener_op *d = op->data;
	gws_elbv2_modify_listener_input in;
	int rc;

	memset(&in, 0, sizeof(in));
	if (!(in.listener_arn = need(op, d->slot, "the listener")))
		return GWS_ENOTFOUND;
	if (d->fields.protocol) {
		in.protocol = d->l->protocol;
		/* Changing to HTTPS or TLS needs the certificate and policy in the same call. */
		if (tls_protocol(d->l->protocol)) {
			d->fields.certificate = d->l->certificates.n > 0;
			d->fields.ssl_policy = d->l->ssl_policy != NULL;
		}
	}
	if (d->fields.actions &&
	    (rc = rc_aws_actions(op->r, op->sp, d->l->default_actions, d->l->n_default_actions,
	                         &in.default_actions)) < 0)
		return rc;
	if (d->fields.certificate && d->l->certificates.n)
		in.certificates = rc_aws_certificates(op->r, d->l->certificates.items, 1);
	if (d->fields.ssl_policy)
		in.ssl_policy = d->l->ssl_policy;
	if (d->fields.alpn)
		in.alpn_policy = alpn(d->l);
	return gws_elbv2_modify_listener(c, a, &in, &d->out);
}

rc_op *rc_op_listener_modify(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                             const gws_model_listener *l, rc_slot *res, rc_listener_fields f)
{
	listener_op *d = RC_NEW(r, listener_op);

	if (!d)
		return NULL;
	d->l = l;
	d->slot = res;
	d->fields = f;
	return rc_op_add(r, sp, c, RC_STAGE_LISTENER_UPDATE, ELB, "ModifyListener", NULL,
	                 listener_modify_send, NULL, d);
}

static int listener_certs_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	listener_op *d = op->data;
	const char *arn = need(op, d->slot, "the listener");

	(void)a;
	if (!arn)
		return GWS_ENOTFOUND;
	return d->remove ? gws_elbv2_remove_listener_certificates(c, arn, &d->certs)
	                 : gws_elbv2_add_listener_certificates(c, arn, &d->certs);
}

rc_op *rc_op_listener_certs(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *res,
                            gws_elbv2_certificates certs, bool remove)
{
	listener_op *d = RC_NEW(r, listener_op);

	if (!d)
		return NULL;
	d->slot = res;
	d->certs = certs;
	d->remove = remove;
	return rc_op_add(r, sp, c, RC_STAGE_LISTENER_UPDATE, ELB,
	                 remove ? "RemoveListenerCertificates" : "AddListenerCertificates", NULL,
	                 listener_certs_send, NULL, d);
}

/* ---- rules ---------------------------------------------------------------------------------- */

typedef struct {
	const gws_model_rule *rule;
	int priority;
	gws_aws_kvs tags;
	rc_slot *listener;
	rc_slot *slot;
	const char *arn;
	bool reset_transforms;
	bool with_conditions;
	gws_elbv2_rule out;
} rule_op;

static int rule_create_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	rule_op *d = op->data;
	gws_elbv2_create_rule_input in;
	int rc;

	memset(&in, 0, sizeof(in));
	if (!(in.listener_arn = need(op, d->listener, "the listener")))
		return GWS_ENOTFOUND;
	in.priority = d->priority;
	if ((rc = rc_aws_conditions(op->r, d->rule, &in.conditions)) < 0 ||
	    (rc = rc_aws_actions(op->r, op->sp, d->rule->actions, d->rule->n_actions,
	                         &in.actions)) < 0 ||
	    (rc = rc_aws_transforms(op->r, d->rule->transforms, d->rule->n_transforms,
	                            &in.transforms)) < 0)
		return rc;
	in.tags = d->tags;
	return gws_elbv2_create_rule(c, a, &in, &d->out);
}

static void rule_create_done(rc_op *op, int rc)
{
	rule_op *d = op->data;

	fill_slot(d->slot, rc, d->out.arn, NULL, NULL);
}

rc_op *rc_op_rule_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                         const gws_model_rule *rule, int priority, gws_aws_kvs tags,
                         rc_slot *listener, rc_slot *out)
{
	rule_op *d = RC_NEW(r, rule_op);

	if (!d)
		return NULL;
	d->rule = rule;
	d->priority = priority;
	d->tags = tags;
	d->listener = listener;
	d->slot = out;
	out->pending = true;
	return with_creates(rc_op_add(r, sp, c, RC_STAGE_RULE_CREATE, ELB, "CreateRule", NULL,
	                              rule_create_send, rule_create_done, d),
	                    out);
}

static int rule_modify_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	rule_op *d = op->data;
	gws_elbv2_modify_rule_input in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.rule_arn = d->arn;
	/* Conditions are sent only for a listener's sole change (docs/reconcile.md,
	 * "Rules"); otherwise they are equal and the matched requests never change. */
	if (d->with_conditions && (rc = rc_aws_conditions(op->r, d->rule, &in.conditions)) < 0)
		return rc;
	if ((rc = rc_aws_actions(op->r, op->sp, d->rule->actions, d->rule->n_actions,
	                         &in.actions)) < 0 ||
	    (rc = rc_aws_transforms(op->r, d->rule->transforms, d->rule->n_transforms,
	                            &in.transforms)) < 0)
		return rc;
	in.reset_transforms = d->reset_transforms;
	return gws_elbv2_modify_rule(c, a, &in, &d->out);
}

rc_op *rc_op_rule_modify(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                         const gws_model_rule *rule, const char *rule_arn, bool reset_transforms,
                         bool with_conditions)
{
	rule_op *d = RC_NEW(r, rule_op);

	if (!d)
		return NULL;
	d->rule = rule;
	d->arn = rule_arn;
	d->reset_transforms = reset_transforms;
	d->with_conditions = with_conditions;
	return rc_op_add(r, sp, c, RC_STAGE_RULE_MODIFY, ELB, "ModifyRule", NULL, rule_modify_send,
	                 NULL, d);
}

typedef struct {
	rc_slot **rules;
	const int *priorities;
	size_t n;
	gws_elbv2_rules out;
} prio_op;

static int prio_send(rc_op *op, gws_aws_client *c, gws_arena *a)
{
	prio_op *d = op->data;
	gws_elbv2_rule_priority *p = RC_NEWN(op->r, gws_elbv2_rule_priority, d->n ? d->n : 1);

	if (!p)
		return GWS_ENOMEM;
	for (size_t i = 0; i < d->n; i++) {
		if (!(p[i].rule_arn = need(op, d->rules[i], "a rule")))
			return GWS_ENOTFOUND;
		p[i].priority = d->priorities[i];
	}
	return gws_elbv2_set_rule_priorities(c, a, p, d->n, &d->out);
}

rc_op *rc_op_rule_priorities(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                             rc_slot **rules, const int *priorities, size_t n)
{
	prio_op *d = RC_NEW(r, prio_op);

	if (!d)
		return NULL;
	d->rules = rules;
	d->priorities = priorities;
	d->n = n;
	return rc_op_add(r, sp, c, RC_STAGE_RULE_PRIORITIES, ELB, "SetRulePriorities", NULL,
	                 prio_send, NULL, d);
}
