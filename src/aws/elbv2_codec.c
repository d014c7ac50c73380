/*
 * ELBv2 structures on the wire: actions, conditions, transforms,
 * certificates and targets in both directions, and the decoders of the
 * resource types. Members go out in the service model's member order.
 */
#include <stdio.h>
#include <string.h>

#include "aws/elbv2.h"

#define PREFIX_MAX 256

/* ---- encoders --------------------------------------------------------------- */

static void add_action(gws_query *q, const char *p, const gws_elbv2_action *a)
{
	size_t i;
	char v[16];

	gws_query_addf(q, a->type, "%s.Type", p);
	gws_query_addf(q, a->target_group_arn, "%s.TargetGroupArn", p);
	if (a->order > 0) {
		snprintf(v, sizeof(v), "%d", a->order);
		gws_query_addf(q, v, "%s.Order", p);
	}
	gws_query_addf(q, a->redirect_protocol, "%s.RedirectConfig.Protocol", p);
	gws_query_addf(q, a->redirect_port, "%s.RedirectConfig.Port", p);
	gws_query_addf(q, a->redirect_host, "%s.RedirectConfig.Host", p);
	gws_query_addf(q, a->redirect_path, "%s.RedirectConfig.Path", p);
	gws_query_addf(q, a->redirect_query, "%s.RedirectConfig.Query", p);
	gws_query_addf(q, a->redirect_status_code, "%s.RedirectConfig.StatusCode", p);
	gws_query_addf(q, a->fixed_message_body, "%s.FixedResponseConfig.MessageBody", p);
	gws_query_addf(q, a->fixed_status_code, "%s.FixedResponseConfig.StatusCode", p);
	gws_query_addf(q, a->fixed_content_type, "%s.FixedResponseConfig.ContentType", p);
	for (i = 0; i < a->target_group_count; i++) {
		const gws_elbv2_tg_tuple *t = &a->target_groups[i];
		gws_query_addf(q, t->target_group_arn,
		               "%s.ForwardConfig.TargetGroups.member.%zu.TargetGroupArn", p, i + 1);
		if (t->has_weight) {
			snprintf(v, sizeof(v), "%d", t->weight);
			gws_query_addf(q, v, "%s.ForwardConfig.TargetGroups.member.%zu.Weight", p,
			               i + 1);
		}
	}
	if (a->stickiness_enabled != GWS_AWS_UNSET)
		gws_query_addf(q, a->stickiness_enabled == GWS_AWS_TRUE ? "true" : "false",
		               "%s.ForwardConfig.TargetGroupStickinessConfig.Enabled", p);
	if (a->stickiness_duration > 0) {
		snprintf(v, sizeof(v), "%d", a->stickiness_duration);
		gws_query_addf(q, v, "%s.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds",
		               p);
	}
}

void gws_elbv2__add_actions(gws_query *q, const char *prefix, const gws_elbv2_actions *list)
{
	char p[PREFIX_MAX];
	size_t i;

	for (i = 0; list && i < list->count; i++) {
		if (gws_query_name(q, p, sizeof(p), "%s.member.%zu", prefix, i + 1))
			add_action(q, p, &list->items[i]);
	}
}

static void add_values(gws_query *q, const char *p, const char *what, const gws_aws_strings *v)
{
	char name[PREFIX_MAX];

	if (gws_query_name(q, name, sizeof(name), "%s.%s.member", p, what))
		gws_aws__add_strings(q, name, v);
}

static void add_condition(gws_query *q, const char *p, const gws_elbv2_condition *c)
{
	size_t i;

	gws_query_addf(q, c->field, "%s.Field", p);
	add_values(q, p, "Values", &c->values);
	add_values(q, p, "HostHeaderConfig.Values", &c->host_header);
	add_values(q, p, "PathPatternConfig.Values", &c->path_pattern);
	gws_query_addf(q, c->http_header_name, "%s.HttpHeaderConfig.HttpHeaderName", p);
	add_values(q, p, "HttpHeaderConfig.Values", &c->http_header_values);
	for (i = 0; i < c->query_string.count; i++) {
		gws_query_addf(q, c->query_string.items[i].key,
		               "%s.QueryStringConfig.Values.member.%zu.Key", p, i + 1);
		gws_query_addf(q, c->query_string.items[i].value,
		               "%s.QueryStringConfig.Values.member.%zu.Value", p, i + 1);
	}
	add_values(q, p, "HttpRequestMethodConfig.Values", &c->http_request_method);
	add_values(q, p, "SourceIpConfig.Values", &c->source_ip);
}

void gws_elbv2__add_conditions(gws_query *q, const char *prefix, const gws_elbv2_conditions *list)
{
	char p[PREFIX_MAX];
	size_t i;

	for (i = 0; list && i < list->count; i++) {
		if (gws_query_name(q, p, sizeof(p), "%s.member.%zu", prefix, i + 1))
			add_condition(q, p, &list->items[i]);
	}
}

void gws_elbv2__add_transforms(gws_query *q, const char *prefix, const gws_elbv2_transforms *list)
{
	size_t i, j;

	for (i = 0; list && i < list->count; i++) {
		const gws_elbv2_transform *t = &list->items[i];
		const char *cfg = t->type && strcmp(t->type, "host-header-rewrite") == 0
		                          ? "HostHeaderRewriteConfig"
		                          : "UrlRewriteConfig";
		gws_query_addf(q, t->type, "%s.member.%zu.Type", prefix, i + 1);
		for (j = 0; j < t->rewrite_count; j++) {
			gws_query_addf(q, t->rewrites[j].regex,
			               "%s.member.%zu.%s.Rewrites.member.%zu.Regex", prefix, i + 1,
			               cfg, j + 1);
			gws_query_addf(q, t->rewrites[j].replace,
			               "%s.member.%zu.%s.Rewrites.member.%zu.Replace", prefix,
			               i + 1, cfg, j + 1);
		}
	}
}

void gws_elbv2__add_certificates(gws_query *q, const char *prefix,
                                 const gws_elbv2_certificates *list)
{
	size_t i;

	for (i = 0; list && i < list->count; i++) {
		gws_query_addf(q, list->items[i].arn, "%s.member.%zu.CertificateArn", prefix,
		               i + 1);
		if (list->items[i].is_default != GWS_AWS_UNSET)
			gws_query_addf(q,
			               list->items[i].is_default == GWS_AWS_TRUE ? "true" : "false",
			               "%s.member.%zu.IsDefault", prefix, i + 1);
	}
}

void gws_elbv2__add_targets(gws_query *q, const char *prefix, const gws_elbv2_targets *list)
{
	size_t i;
	char v[16];

	for (i = 0; list && i < list->count; i++) {
		gws_query_addf(q, list->items[i].id, "%s.member.%zu.Id", prefix, i + 1);
		if (list->items[i].port > 0) {
			snprintf(v, sizeof(v), "%d", list->items[i].port);
			gws_query_addf(q, v, "%s.member.%zu.Port", prefix, i + 1);
		}
		gws_query_addf(q, list->items[i].availability_zone,
		               "%s.member.%zu.AvailabilityZone", prefix, i + 1);
	}
}

/* ---- decoders --------------------------------------------------------------- */

static int decode_tuple(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_tg_tuple *t = elem;
	int err = 0;

	t->target_group_arn = gws_xml_text(a, n, "TargetGroupArn", &err);
	t->has_weight = gws_xml_child(n, "Weight") != NULL;
	gws_xml_int(n, "Weight", &t->weight, &err);
	return err;
}

static int decode_action(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_action *act = elem;
	const xmlNode *r = gws_xml_child(n, "RedirectConfig");
	const xmlNode *f = gws_xml_child(n, "FixedResponseConfig");
	const xmlNode *fw = gws_xml_child(n, "ForwardConfig");
	const xmlNode *st = gws_xml_child(fw, "TargetGroupStickinessConfig");
	int err = 0, rc;

	act->type = gws_xml_text(a, n, "Type", &err);
	act->target_group_arn = gws_xml_text(a, n, "TargetGroupArn", &err);
	gws_xml_int(n, "Order", &act->order, &err);
	act->redirect_protocol = gws_xml_text(a, r, "Protocol", &err);
	act->redirect_port = gws_xml_text(a, r, "Port", &err);
	act->redirect_host = gws_xml_text(a, r, "Host", &err);
	act->redirect_path = gws_xml_text(a, r, "Path", &err);
	act->redirect_query = gws_xml_text(a, r, "Query", &err);
	act->redirect_status_code = gws_xml_text(a, r, "StatusCode", &err);
	act->fixed_message_body = gws_xml_text(a, f, "MessageBody", &err);
	act->fixed_status_code = gws_xml_text(a, f, "StatusCode", &err);
	act->fixed_content_type = gws_xml_text(a, f, "ContentType", &err);
	act->stickiness_enabled = gws_xml_tribool(st, "Enabled");
	gws_xml_int(st, "DurationSeconds", &act->stickiness_duration, &err);
	if (err)
		return err;
	rc = gws_xml_list(a, fw, "TargetGroups", "member", sizeof(gws_elbv2_tg_tuple), decode_tuple,
	                  (void **)&act->target_groups, &act->target_group_count);
	return rc;
}

static int decode_query_pair(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_aws_kv *kv = elem;
	int err = 0;

	kv->key = gws_xml_text(a, n, "Key", &err);
	kv->value = gws_xml_text(a, n, "Value", &err);
	return err;
}

static int decode_condition(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_condition *c = elem;
	const xmlNode *hh = gws_xml_child(n, "HttpHeaderConfig");
	const xmlNode *qs = gws_xml_child(n, "QueryStringConfig");
	int err = 0, rc;

	c->field = gws_xml_text(a, n, "Field", &err);
	c->http_header_name = gws_xml_text(a, hh, "HttpHeaderName", &err);
	if (err)
		return err;
	if ((rc = gws_xml_strings(a, n, "Values", "member", &c->values)) < 0 ||
	    (rc = gws_xml_strings(a, gws_xml_child(n, "HostHeaderConfig"), "Values", "member",
	                          &c->host_header)) < 0 ||
	    (rc = gws_xml_strings(a, gws_xml_child(n, "PathPatternConfig"), "Values", "member",
	                          &c->path_pattern)) < 0 ||
	    (rc = gws_xml_strings(a, hh, "Values", "member", &c->http_header_values)) < 0 ||
	    (rc = gws_xml_list(a, qs, "Values", "member", sizeof(gws_aws_kv), decode_query_pair,
	                       (void **)&c->query_string.items, &c->query_string.count)) < 0 ||
	    (rc = gws_xml_strings(a, gws_xml_child(n, "HttpRequestMethodConfig"), "Values",
	                          "member", &c->http_request_method)) < 0 ||
	    (rc = gws_xml_strings(a, gws_xml_child(n, "SourceIpConfig"), "Values", "member",
	                          &c->source_ip)) < 0)
		return rc;
	return 0;
}

static int decode_rewrite(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_rewrite *r = elem;
	int err = 0;

	r->regex = gws_xml_text(a, n, "Regex", &err);
	r->replace = gws_xml_text(a, n, "Replace", &err);
	return err;
}

static int decode_transform(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_transform *t = elem;
	const xmlNode *cfg = gws_xml_child(n, "HostHeaderRewriteConfig");
	int err = 0;

	if (!cfg)
		cfg = gws_xml_child(n, "UrlRewriteConfig");
	t->type = gws_xml_text(a, n, "Type", &err);
	if (err)
		return err;
	return gws_xml_list(a, cfg, "Rewrites", "member", sizeof(gws_elbv2_rewrite), decode_rewrite,
	                    (void **)&t->rewrites, &t->rewrite_count);
}

int gws_elbv2__decode_certificate(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_certificate *c = elem;
	int err = 0;

	c->arn = gws_xml_text(a, n, "CertificateArn", &err);
	c->is_default = gws_xml_tribool(n, "IsDefault");
	return err;
}

static int decode_az(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_az *az = elem;
	int err = 0;

	az->zone_name = gws_xml_text(a, n, "ZoneName", &err);
	az->subnet_id = gws_xml_text(a, n, "SubnetId", &err);
	return err;
}

int gws_elbv2__decode_load_balancer(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_load_balancer *lb = elem;
	const xmlNode *state = gws_xml_child(n, "State");
	int err = 0, rc;

	lb->arn = gws_xml_text(a, n, "LoadBalancerArn", &err);
	lb->name = gws_xml_text(a, n, "LoadBalancerName", &err);
	lb->dns_name = gws_xml_text(a, n, "DNSName", &err);
	lb->canonical_hosted_zone_id = gws_xml_text(a, n, "CanonicalHostedZoneId", &err);
	lb->created_time = gws_xml_text(a, n, "CreatedTime", &err);
	lb->scheme = gws_xml_text(a, n, "Scheme", &err);
	lb->vpc_id = gws_xml_text(a, n, "VpcId", &err);
	lb->state = gws_xml_text(a, state, "Code", &err);
	lb->state_reason = gws_xml_text(a, state, "Reason", &err);
	lb->type = gws_xml_text(a, n, "Type", &err);
	lb->ip_address_type = gws_xml_text(a, n, "IpAddressType", &err);
	if (err)
		return err;
	if ((rc = gws_xml_list(a, n, "AvailabilityZones", "member", sizeof(gws_elbv2_az), decode_az,
	                       (void **)&lb->azs, &lb->az_count)) < 0)
		return rc;
	return gws_xml_strings(a, n, "SecurityGroups", "member", &lb->security_groups);
}

int gws_elbv2__decode_listener(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_listener *l = elem;
	int err = 0, rc;

	l->arn = gws_xml_text(a, n, "ListenerArn", &err);
	l->load_balancer_arn = gws_xml_text(a, n, "LoadBalancerArn", &err);
	gws_xml_int(n, "Port", &l->port, &err);
	l->protocol = gws_xml_text(a, n, "Protocol", &err);
	l->ssl_policy = gws_xml_text(a, n, "SslPolicy", &err);
	if (err)
		return err;
	if ((rc = gws_xml_list(a, n, "Certificates", "member", sizeof(gws_elbv2_certificate),
	                       gws_elbv2__decode_certificate, (void **)&l->certificates.items,
	                       &l->certificates.count)) < 0 ||
	    (rc = gws_xml_list(a, n, "DefaultActions", "member", sizeof(gws_elbv2_action),
	                       decode_action, (void **)&l->default_actions.items,
	                       &l->default_actions.count)) < 0)
		return rc;
	return gws_xml_strings(a, n, "AlpnPolicy", "member", &l->alpn_policy);
}

int gws_elbv2__decode_rule(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_rule *r = elem;
	int err = 0, rc;

	r->arn = gws_xml_text(a, n, "RuleArn", &err);
	r->priority = gws_xml_text(a, n, "Priority", &err);
	r->is_default = gws_xml_bool(n, "IsDefault");
	if (err)
		return err;
	if ((rc = gws_xml_list(a, n, "Conditions", "member", sizeof(gws_elbv2_condition),
	                       decode_condition, (void **)&r->conditions.items,
	                       &r->conditions.count)) < 0 ||
	    (rc = gws_xml_list(a, n, "Actions", "member", sizeof(gws_elbv2_action), decode_action,
	                       (void **)&r->actions.items, &r->actions.count)) < 0)
		return rc;
	return gws_xml_list(a, n, "Transforms", "member", sizeof(gws_elbv2_transform),
	                    decode_transform, (void **)&r->transforms.items, &r->transforms.count);
}

int gws_elbv2__decode_target_group(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_target_group *tg = elem;
	const xmlNode *m = gws_xml_child(n, "Matcher");
	int err = 0;

	tg->arn = gws_xml_text(a, n, "TargetGroupArn", &err);
	tg->name = gws_xml_text(a, n, "TargetGroupName", &err);
	tg->protocol = gws_xml_text(a, n, "Protocol", &err);
	tg->protocol_version = gws_xml_text(a, n, "ProtocolVersion", &err);
	gws_xml_int(n, "Port", &tg->port, &err);
	tg->vpc_id = gws_xml_text(a, n, "VpcId", &err);
	tg->target_type = gws_xml_text(a, n, "TargetType", &err);
	tg->ip_address_type = gws_xml_text(a, n, "IpAddressType", &err);
	tg->health_check_protocol = gws_xml_text(a, n, "HealthCheckProtocol", &err);
	tg->health_check_port = gws_xml_text(a, n, "HealthCheckPort", &err);
	tg->health_check_enabled = gws_xml_tribool(n, "HealthCheckEnabled");
	gws_xml_int(n, "HealthCheckIntervalSeconds", &tg->health_check_interval, &err);
	gws_xml_int(n, "HealthCheckTimeoutSeconds", &tg->health_check_timeout, &err);
	gws_xml_int(n, "HealthyThresholdCount", &tg->healthy_threshold, &err);
	gws_xml_int(n, "UnhealthyThresholdCount", &tg->unhealthy_threshold, &err);
	tg->health_check_path = gws_xml_text(a, n, "HealthCheckPath", &err);
	tg->matcher_http_code = gws_xml_text(a, m, "HttpCode", &err);
	tg->matcher_grpc_code = gws_xml_text(a, m, "GrpcCode", &err);
	if (err)
		return err;
	return gws_xml_strings(a, n, "LoadBalancerArns", "member", &tg->load_balancer_arns);
}

int gws_elbv2__decode_target(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_target *t = elem;
	int err = 0;

	t->id = gws_xml_text(a, n, "Id", &err);
	gws_xml_int(n, "Port", &t->port, &err);
	t->availability_zone = gws_xml_text(a, n, "AvailabilityZone", &err);
	return err;
}

int gws_elbv2__decode_one(gws_arena *a, const xmlNode *result, const char *list, size_t size,
                          gws_xml_item_fn fn, void *out)
{
	void *items = NULL;
	size_t count = 0;
	int rc;

	if ((rc = gws_xml_list(a, result, list, "member", size, fn, &items, &count)) < 0)
		return rc;
	if (count != 1)
		return gws_error_set(GWS_EREMOTE, "expected one item in %s, got %zu", list, count);
	memcpy(out, items, size);
	return 0;
}
