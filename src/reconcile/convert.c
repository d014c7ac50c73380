/*
 * Model shapes → ELBv2 request shapes. Target groups are written with the
 * ARN their slot holds when the call is sent, so a rule can name a target
 * group this run created a moment earlier.
 */
#include <string.h>

#include "reconcile/convert.h"

static gws_aws_strings strs(const gws_model_strs *s)
{
	gws_aws_strings out = {s->items, s->n};

	return out;
}

int rc_aws_conditions(gws_reconcile *r, const gws_model_rule *rule, gws_elbv2_conditions *out)
{
	memset(out, 0, sizeof(*out));
	if (!rule->n_conditions)
		return 0;
	out->items = RC_NEWN(r, gws_elbv2_condition, rule->n_conditions);
	if (!out->items)
		return GWS_ENOMEM;
	for (size_t i = 0; i < rule->n_conditions; i++) {
		const gws_model_condition *c = &rule->conditions[i];
		gws_elbv2_condition *o = &out->items[i];

		o->field = gws_model_condition_field_name(c->field);
		switch (c->field) {
		case GWS_MODEL_COND_HOST_HEADER:
			o->host_header = strs(&c->values);
			break;
		case GWS_MODEL_COND_PATH_PATTERN:
			o->path_pattern = strs(&c->values);
			break;
		case GWS_MODEL_COND_HTTP_HEADER:
			o->http_header_name = c->http_header_name;
			o->http_header_values = strs(&c->values);
			break;
		case GWS_MODEL_COND_HTTP_REQUEST_METHOD:
			o->http_request_method = strs(&c->values);
			break;
		case GWS_MODEL_COND_SOURCE_IP:
			o->source_ip = strs(&c->values);
			break;
		case GWS_MODEL_COND_QUERY_STRING:
			o->query_string.items =
			        RC_NEWN(r, gws_aws_kv, c->n_query_values ? c->n_query_values : 1);
			if (!o->query_string.items)
				return GWS_ENOMEM;
			for (size_t q = 0; q < c->n_query_values; q++) {
				o->query_string.items[q].key = c->query_values[q].key;
				o->query_string.items[q].value = c->query_values[q].value;
			}
			o->query_string.count = c->n_query_values;
			break;
		}
	}
	out->count = rule->n_conditions;
	return 0;
}

/* The ARN of a desired target group, or NULL with the stack's failure set. */
static const char *tg_arn(gws_reconcile *r, rc_stackplan *sp, const char *id)
{
	rc_tgmap *m = rc_tg_find(sp, id);

	(void)r;
	if (!m || !m->slot.arn || m->slot.failed)
		return NULL;
	return m->slot.arn;
}

static int forward(gws_reconcile *r, rc_stackplan *sp, const gws_model_forward_config *f,
                   gws_elbv2_action *o)
{
	size_t n = f ? f->n_target_groups : 0;

	if (n == 1 && !f->target_groups[0].has_weight) {
		/* A plain forward: no weight is sent (the NLB case AWS long rejected). */
		o->target_group_arn = tg_arn(r, sp, f->target_groups[0].target_group_id);
		if (!o->target_group_arn)
			return gws_error_set(GWS_ENOTFOUND, "target group %s has no ARN",
			                     f->target_groups[0].target_group_id);
	} else if (n) {
		o->target_groups = RC_NEWN(r, gws_elbv2_tg_tuple, n);
		if (!o->target_groups)
			return GWS_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			const gws_model_tg_tuple *t = &f->target_groups[i];

			o->target_groups[i].target_group_arn = tg_arn(r, sp, t->target_group_id);
			if (!o->target_groups[i].target_group_arn)
				return gws_error_set(GWS_ENOTFOUND, "target group %s has no ARN",
				                     t->target_group_id);
			o->target_groups[i].has_weight = t->has_weight;
			o->target_groups[i].weight = t->weight;
		}
		o->target_group_count = n;
	}
	if (f && f->has_stickiness) {
		o->stickiness_enabled = f->stickiness_enabled ? GWS_AWS_TRUE : GWS_AWS_FALSE;
		o->stickiness_duration =
		        f->has_stickiness_duration ? f->stickiness_duration_seconds : 0;
	}
	return 0;
}

int rc_aws_actions(gws_reconcile *r, rc_stackplan *sp, const gws_model_action *actions, size_t n,
                   gws_elbv2_actions *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	out->items = RC_NEWN(r, gws_elbv2_action, n);
	if (!out->items)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const gws_model_action *a = &actions[i];
		gws_elbv2_action *o = &out->items[i];

		o->type = gws_model_action_type_name(a->type);
		o->order = a->order;
		switch (a->type) {
		case GWS_MODEL_ACTION_FORWARD:
			if ((rc = forward(r, sp, a->forward, o)) < 0)
				return rc;
			break;
		case GWS_MODEL_ACTION_REDIRECT:
			o->redirect_protocol = a->redirect->protocol;
			o->redirect_port = a->redirect->port;
			o->redirect_host = a->redirect->host;
			o->redirect_path = a->redirect->path;
			o->redirect_query = a->redirect->query;
			o->redirect_status_code = a->redirect->status_code;
			break;
		case GWS_MODEL_ACTION_FIXED_RESPONSE:
			o->fixed_status_code = a->fixed_response->status_code;
			o->fixed_content_type = a->fixed_response->content_type;
			o->fixed_message_body = a->fixed_response->message_body;
			break;
		default:
			return gws_error_set(GWS_EINVALID, "%s actions are not supported yet",
			                     o->type);
		}
	}
	out->count = n;
	return 0;
}

int rc_aws_transforms(gws_reconcile *r, const gws_model_transform *t, size_t n,
                      gws_elbv2_transforms *out)
{
	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	out->items = RC_NEWN(r, gws_elbv2_transform, n);
	if (!out->items)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		out->items[i].type = gws_model_transform_type_name(t[i].type);
		out->items[i].rewrites =
		        RC_NEWN(r, gws_elbv2_rewrite, t[i].n_rewrites ? t[i].n_rewrites : 1);
		if (!out->items[i].rewrites)
			return GWS_ENOMEM;
		for (size_t k = 0; k < t[i].n_rewrites; k++) {
			out->items[i].rewrites[k].regex = t[i].rewrites[k].regex;
			out->items[i].rewrites[k].replace = t[i].rewrites[k].replace;
		}
		out->items[i].rewrite_count = t[i].n_rewrites;
	}
	out->count = n;
	return 0;
}

gws_elbv2_certificates rc_aws_certificates(gws_reconcile *r, const char *const *arns, size_t n)
{
	gws_elbv2_certificates out = {NULL, 0};

	if (!n)
		return out;
	out.items = RC_NEWN(r, gws_elbv2_certificate, n);
	if (!out.items)
		return out;
	for (size_t i = 0; i < n; i++)
		out.items[i].arn = arns[i];
	out.count = n;
	return out;
}

/* Why the AWS client cannot send this stack yet; NULL when it can. */
const char *rc_unsupported(const gws_model_stack *s)
{
	for (size_t i = 0; i < s->load_balancer.subnets.n_subnets; i++) {
		const gws_model_subnet *sn = &s->load_balancer.subnets.subnets[i];

		if (sn->eip_allocation || sn->private_ipv4_allocation || sn->ipv6_allocation ||
		    sn->source_nat_ipv6_prefix)
			return "subnet mappings (EIP, private or IPv6 addresses) are not supported "
			       "by "
			       "sync yet";
	}
	if (s->load_balancer.customer_owned_ipv4_pool || s->load_balancer.ipv4_ipam_pool_id)
		return "customer-owned and IPAM address pools are not supported by sync yet";
	for (size_t l = 0; l < s->n_listeners; l++) {
		const gws_model_listener *ls = s->listeners[l];

		if (ls->mutual_auth && ls->mutual_auth->mode &&
		    strcmp(ls->mutual_auth->mode, "off"))
			return "listener mutual authentication is not supported by sync yet";
		for (size_t a = 0; a < ls->n_default_actions; a++)
			if (ls->default_actions[a].type > GWS_MODEL_ACTION_FIXED_RESPONSE)
				return "authentication actions are not supported by sync yet";
		for (size_t k = 0; k < ls->n_rules; k++) {
			const gws_model_rule *ru = ls->rules[k];

			for (size_t a = 0; a < ru->n_actions; a++)
				if (ru->actions[a].type > GWS_MODEL_ACTION_FIXED_RESPONSE)
					return "authentication actions are not supported by sync "
					       "yet";
			for (size_t c = 0; c < ru->n_conditions; c++)
				if (ru->conditions[c].regex_values.n)
					return "regular-expression matches are not supported by "
					       "sync "
					       "yet";
		}
	}
	for (size_t t = 0; t < s->n_target_groups; t++)
		if (s->target_groups[t]->has_target_control_port)
			return "target control ports are not supported by sync yet";
	return NULL;
}
