/*
 * The ELBv2 typed calls: each builds its parameters in the service model's
 * member order and names the decoder of its result.
 */
#include <string.h>

#include "aws/elbv2.h"

#define SVC GWS_ELBV2_SERVICE

/* A describe: its list streams into `out`, item by item. */
#define LIST_OP(action, arena, out, list, fn)                                                      \
	gws_aws__op_list(SVC, action, arena, out, list, "member", sizeof(*(out)->items), fn)

/* Decoders of Create/Modify replies: a one-element list into one struct. */
#define ONE_DECODER(fname, type, list, itemfn)                                                     \
	static int fname(gws_aws__op *op, const xmlNode *r)                                        \
	{                                                                                          \
		return gws_elbv2__decode_one(op->arena, r, list, sizeof(type), itemfn, op->out);   \
	}

ONE_DECODER(decode_lb, gws_elbv2_load_balancer, "LoadBalancers", gws_elbv2__decode_load_balancer)
ONE_DECODER(decode_listener, gws_elbv2_listener, "Listeners", gws_elbv2__decode_listener)
ONE_DECODER(decode_rule, gws_elbv2_rule, "Rules", gws_elbv2__decode_rule)
ONE_DECODER(decode_tg, gws_elbv2_target_group, "TargetGroups", gws_elbv2__decode_target_group)

static gws_aws__op *paged(gws_aws__op *op, int page_size)
{
	if (!op)
		return NULL;
	gws_aws__add_int(&op->query, "PageSize", page_size > 0 ? page_size : GWS_ELBV2_PAGE_SIZE);
	op->page_in = "Marker";
	op->page_out = "NextMarker";
	return op;
}

static int simple_write(gws_aws_client *c, const char *action, const char *arn_name,
                        const char *arn)
{
	gws_aws__op *op = gws_aws__op_new(SVC, action, true, NULL, NULL, 0, NULL);

	if (op)
		gws_query_add(&op->query, arn_name, arn);
	return gws_aws__submit(c, op);
}

/* ---- chunked describes -------------------------------------------------------
 * ELBv2 takes at most 20 ARNs per describe. Longer selections are split into
 * chunks sent together (up to the client's concurrency) and the results are
 * concatenated in input order. Every list output is {T *items; size_t count}.
 */
#define ARNS_PER_CALL 20

typedef gws_aws__list_out generic_list;

_Static_assert(sizeof(generic_list) == sizeof(gws_elbv2_load_balancers) &&
                       sizeof(generic_list) == sizeof(gws_elbv2_target_groups) &&
                       sizeof(generic_list) == sizeof(gws_elbv2_tag_descriptions),
               "list outputs share one layout");

typedef struct {
	const char *action;
	const char *selector; /* "LoadBalancerArns.member" */
	int page_size;        /* 0: not paged */
	const char *fixed_name;
	const char *fixed_value;
	const char *list; /* "LoadBalancers" */
	gws_xml_item_fn fn;
	size_t elem_size;
} chunked_call;

static gws_aws__op *chunk_op(const chunked_call *call, gws_arena *arena, generic_list *out,
                             const gws_aws_strings *chunk)
{
	gws_aws__op *op = gws_aws__op_list(SVC, call->action, arena, out, call->list, "member",
	                                   call->elem_size, call->fn);

	if (!op)
		return NULL;
	gws_query_add(&op->query, call->fixed_name, call->fixed_value);
	gws_aws__add_strings(&op->query, call->selector, chunk);
	return call->page_size ? paged(op, call->page_size) : op;
}

static int run_chunked(gws_aws_client *c, gws_arena *arena, const chunked_call *call,
                       const gws_aws_strings *sel, generic_list *out)
{
	size_t n = sel ? (sel->count + ARNS_PER_CALL - 1) / ARNS_PER_CALL : 0;
	generic_list *parts = NULL;
	gws_aws__op **ops = NULL;
	size_t i, total = 0;
	char *dst;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (n <= 1)
		return gws_aws__submit(c, chunk_op(call, arena, out, sel));
	if (gws_aws__batching(c))
		return gws_error_set(GWS_EINVALID, "%s of more than %d ARNs runs its own batch",
		                     call->action, ARNS_PER_CALL);
	parts = gws_calloc(n, sizeof(*parts));
	ops = gws_calloc(n, sizeof(*ops));
	if (!parts || !ops) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		gws_aws_strings chunk = {sel->items + i * ARNS_PER_CALL,
		                         sel->count - i * ARNS_PER_CALL};
		if (chunk.count > ARNS_PER_CALL)
			chunk.count = ARNS_PER_CALL;
		if (!(ops[i] = chunk_op(call, arena, &parts[i], &chunk))) {
			rc = gws_error_set(GWS_ENOMEM, "out of memory building an AWS request");
			goto cleanup;
		}
	}
	if ((rc = gws_aws__run(c, ops, n)) < 0)
		goto cleanup;
	for (i = 0; i < n; i++)
		total += parts[i].count;
	out->items = gws_arena_calloc(arena, total ? total : 1, call->elem_size);
	if (!out->items) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	for (i = 0, dst = out->items; i < n; i++) {
		if (parts[i].count)
			memcpy(dst, parts[i].items, parts[i].count * call->elem_size);
		dst += parts[i].count * call->elem_size;
	}
	out->count = total;

cleanup:
	for (i = 0; ops && i < n; i++)
		gws_aws__op_free(ops[i]);
	gws_free(ops);
	gws_free(parts);
	return rc;
}

/* ---- load balancers --------------------------------------------------------- */

int gws_elbv2_describe_load_balancers(gws_aws_client *c, gws_arena *arena,
                                      const gws_elbv2_describe_input *in,
                                      gws_elbv2_load_balancers *out)
{
	int page = in && in->page_size > 0 ? in->page_size : GWS_ELBV2_PAGE_SIZE;
	chunked_call by_arn = {"DescribeLoadBalancers",
	                       "LoadBalancerArns.member",
	                       page,
	                       NULL,
	                       NULL,
	                       "LoadBalancers",
	                       gws_elbv2__decode_load_balancer,
	                       sizeof(*out->items)};
	chunked_call by_name = by_arn;

	by_name.selector = "Names.member";
	if (in && in->names.count)
		return run_chunked(c, arena, &by_name, &in->names, (generic_list *)out);
	return run_chunked(c, arena, &by_arn, in ? &in->arns : NULL, (generic_list *)out);
}

int gws_elbv2_create_load_balancer(gws_aws_client *c, gws_arena *arena,
                                   const gws_elbv2_create_load_balancer_input *in,
                                   gws_elbv2_load_balancer *out)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "CreateLoadBalancer", true, arena, out, sizeof(*out),
	                                  decode_lb);

	if (op) {
		gws_query *q = &op->query;
		gws_query_add(q, "Name", in->name);
		gws_aws__add_strings(q, "Subnets.member", &in->subnets);
		gws_aws__add_strings(q, "SecurityGroups.member", &in->security_groups);
		gws_query_add(q, "Scheme", in->scheme);
		gws_aws__add_kvs(q, "Tags.member", "Key", "Value", &in->tags);
		gws_query_add(q, "Type", in->type);
		gws_query_add(q, "IpAddressType", in->ip_address_type);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_delete_load_balancer(gws_aws_client *c, const char *load_balancer_arn)
{
	return simple_write(c, "DeleteLoadBalancer", "LoadBalancerArn", load_balancer_arn);
}

int gws_elbv2_set_security_groups(gws_aws_client *c, const char *load_balancer_arn,
                                  const gws_aws_strings *security_groups)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "SetSecurityGroups", true, NULL, NULL, 0, NULL);

	if (op) {
		gws_query_add(&op->query, "LoadBalancerArn", load_balancer_arn);
		if (!security_groups || security_groups->count == 0)
			gws_query_add(&op->query, "SecurityGroups", "");
		else
			gws_aws__add_strings(&op->query, "SecurityGroups.member", security_groups);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_set_subnets(gws_aws_client *c, const char *load_balancer_arn,
                          const gws_aws_strings *subnets, const char *ip_address_type)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "SetSubnets", true, NULL, NULL, 0, NULL);

	if (op) {
		gws_query_add(&op->query, "LoadBalancerArn", load_balancer_arn);
		gws_aws__add_strings(&op->query, "Subnets.member", subnets);
		gws_query_add(&op->query, "IpAddressType", ip_address_type);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_set_ip_address_type(gws_aws_client *c, const char *load_balancer_arn,
                                  const char *ip_address_type)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "SetIpAddressType", true, NULL, NULL, 0, NULL);

	if (op) {
		gws_query_add(&op->query, "LoadBalancerArn", load_balancer_arn);
		gws_query_add(&op->query, "IpAddressType", ip_address_type);
	}
	return gws_aws__submit(c, op);
}

/* ---- listeners ---------------------------------------------------------------- */

int gws_elbv2_describe_listeners(gws_aws_client *c, gws_arena *arena, const char *load_balancer_arn,
                                 const gws_aws_strings *listener_arns, gws_elbv2_listeners *out)
{
	gws_aws__op *op =
	        LIST_OP("DescribeListeners", arena, out, "Listeners", gws_elbv2__decode_listener);

	if (op) {
		gws_query_add(&op->query, "LoadBalancerArn", load_balancer_arn);
		gws_aws__add_strings(&op->query, "ListenerArns.member", listener_arns);
	}
	return gws_aws__submit(c, paged(op, 0));
}

int gws_elbv2_create_listener(gws_aws_client *c, gws_arena *arena,
                              const gws_elbv2_create_listener_input *in, gws_elbv2_listener *out)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "CreateListener", true, arena, out, sizeof(*out),
	                                  decode_listener);

	if (op) {
		gws_query *q = &op->query;
		gws_query_add(q, "LoadBalancerArn", in->load_balancer_arn);
		gws_query_add(q, "Protocol", in->protocol);
		gws_aws__add_int(q, "Port", in->port);
		gws_query_add(q, "SslPolicy", in->ssl_policy);
		gws_elbv2__add_certificates(q, "Certificates", &in->certificates);
		gws_elbv2__add_actions(q, "DefaultActions", &in->default_actions);
		gws_aws__add_strings(q, "AlpnPolicy.member", &in->alpn_policy);
		gws_aws__add_kvs(q, "Tags.member", "Key", "Value", &in->tags);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_modify_listener(gws_aws_client *c, gws_arena *arena,
                              const gws_elbv2_modify_listener_input *in, gws_elbv2_listener *out)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "ModifyListener", true, arena, out, sizeof(*out),
	                                  decode_listener);

	if (op) {
		gws_query *q = &op->query;
		gws_query_add(q, "ListenerArn", in->listener_arn);
		gws_aws__add_int(q, "Port", in->port);
		gws_query_add(q, "Protocol", in->protocol);
		gws_query_add(q, "SslPolicy", in->ssl_policy);
		gws_elbv2__add_certificates(q, "Certificates", &in->certificates);
		gws_elbv2__add_actions(q, "DefaultActions", &in->default_actions);
		gws_aws__add_strings(q, "AlpnPolicy.member", &in->alpn_policy);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_delete_listener(gws_aws_client *c, const char *listener_arn)
{
	return simple_write(c, "DeleteListener", "ListenerArn", listener_arn);
}

int gws_elbv2_describe_listener_certificates(gws_aws_client *c, gws_arena *arena,
                                             const char *listener_arn, gws_elbv2_certificates *out)
{
	gws_aws__op *op = LIST_OP("DescribeListenerCertificates", arena, out, "Certificates",
	                          gws_elbv2__decode_certificate);

	if (op)
		gws_query_add(&op->query, "ListenerArn", listener_arn);
	return gws_aws__submit(c, paged(op, 0));
}

static int listener_certificates(gws_aws_client *c, const char *action, const char *listener_arn,
                                 const gws_elbv2_certificates *certificates)
{
	gws_aws__op *op = gws_aws__op_new(SVC, action, true, NULL, NULL, 0, NULL);

	if (op) {
		gws_query_add(&op->query, "ListenerArn", listener_arn);
		gws_elbv2__add_certificates(&op->query, "Certificates", certificates);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_add_listener_certificates(gws_aws_client *c, const char *listener_arn,
                                        const gws_elbv2_certificates *certificates)
{
	return listener_certificates(c, "AddListenerCertificates", listener_arn, certificates);
}

int gws_elbv2_remove_listener_certificates(gws_aws_client *c, const char *listener_arn,
                                           const gws_elbv2_certificates *certificates)
{
	return listener_certificates(c, "RemoveListenerCertificates", listener_arn, certificates);
}

/* ---- rules -------------------------------------------------------------------- */

int gws_elbv2_describe_rules(gws_aws_client *c, gws_arena *arena, const char *listener_arn,
                             const gws_aws_strings *rule_arns, gws_elbv2_rules *out)
{
	gws_aws__op *op = LIST_OP("DescribeRules", arena, out, "Rules", gws_elbv2__decode_rule);

	if (op) {
		gws_query_add(&op->query, "ListenerArn", listener_arn);
		gws_aws__add_strings(&op->query, "RuleArns.member", rule_arns);
	}
	return gws_aws__submit(c, paged(op, 0));
}

int gws_elbv2_create_rule(gws_aws_client *c, gws_arena *arena,
                          const gws_elbv2_create_rule_input *in, gws_elbv2_rule *out)
{
	gws_aws__op *op =
	        gws_aws__op_new(SVC, "CreateRule", true, arena, out, sizeof(*out), decode_rule);

	if (op) {
		gws_query *q = &op->query;
		gws_query_add(q, "ListenerArn", in->listener_arn);
		gws_elbv2__add_conditions(q, "Conditions", &in->conditions);
		gws_aws__add_int(q, "Priority", in->priority);
		gws_elbv2__add_actions(q, "Actions", &in->actions);
		gws_aws__add_kvs(q, "Tags.member", "Key", "Value", &in->tags);
		gws_elbv2__add_transforms(q, "Transforms", &in->transforms);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_modify_rule(gws_aws_client *c, gws_arena *arena,
                          const gws_elbv2_modify_rule_input *in, gws_elbv2_rule *out)
{
	gws_aws__op *op =
	        gws_aws__op_new(SVC, "ModifyRule", true, arena, out, sizeof(*out), decode_rule);

	if (op) {
		gws_query *q = &op->query;
		gws_query_add(q, "RuleArn", in->rule_arn);
		gws_elbv2__add_conditions(q, "Conditions", &in->conditions);
		gws_elbv2__add_actions(q, "Actions", &in->actions);
		gws_elbv2__add_transforms(q, "Transforms", &in->transforms);
		if (in->reset_transforms)
			gws_query_add_bool(q, "ResetTransforms", true);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_set_rule_priorities(gws_aws_client *c, gws_arena *arena,
                                  const gws_elbv2_rule_priority *priorities, size_t count,
                                  gws_elbv2_rules *out)
{
	gws_aws__op *op = LIST_OP("SetRulePriorities", arena, out, "Rules", gws_elbv2__decode_rule);
	size_t i;
	char v[16];

	if (op)
		op->is_write = true;

	for (i = 0; op && i < count; i++) {
		gws_query_addf(&op->query, priorities[i].rule_arn,
		               "RulePriorities.member.%zu.RuleArn", i + 1);
		snprintf(v, sizeof(v), "%d", priorities[i].priority);
		gws_query_addf(&op->query, v, "RulePriorities.member.%zu.Priority", i + 1);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_delete_rule(gws_aws_client *c, const char *rule_arn)
{
	return simple_write(c, "DeleteRule", "RuleArn", rule_arn);
}

/* ---- target groups ------------------------------------------------------------ */

int gws_elbv2_describe_target_groups(gws_aws_client *c, gws_arena *arena,
                                     const char *load_balancer_arn,
                                     const gws_elbv2_describe_input *in,
                                     gws_elbv2_target_groups *out)
{
	int page = in && in->page_size > 0 ? in->page_size : GWS_ELBV2_PAGE_SIZE;
	chunked_call call = {"DescribeTargetGroups",
	                     "TargetGroupArns.member",
	                     page,
	                     "LoadBalancerArn",
	                     load_balancer_arn,
	                     "TargetGroups",
	                     gws_elbv2__decode_target_group,
	                     sizeof(*out->items)};

	if (in && in->names.count) {
		call.selector = "Names.member";
		return run_chunked(c, arena, &call, &in->names, (generic_list *)out);
	}
	return run_chunked(c, arena, &call, in ? &in->arns : NULL, (generic_list *)out);
}

static void add_health_check(gws_query *q, const char *protocol, const char *port,
                             gws_aws_bool enabled, const char *path, bool enabled_first)
{
	gws_query_add(q, "HealthCheckProtocol", protocol);
	gws_query_add(q, "HealthCheckPort", port);
	/* CreateTargetGroup and ModifyTargetGroup order these two differently. */
	if (enabled_first)
		gws_aws__add_tribool(q, "HealthCheckEnabled", enabled);
	gws_query_add(q, "HealthCheckPath", path);
	if (!enabled_first)
		gws_aws__add_tribool(q, "HealthCheckEnabled", enabled);
}

static void add_health_numbers(gws_query *q, int interval, int timeout, int healthy, int unhealthy,
                               const char *http_code, const char *grpc_code)
{
	gws_aws__add_int(q, "HealthCheckIntervalSeconds", interval);
	gws_aws__add_int(q, "HealthCheckTimeoutSeconds", timeout);
	gws_aws__add_int(q, "HealthyThresholdCount", healthy);
	gws_aws__add_int(q, "UnhealthyThresholdCount", unhealthy);
	gws_query_add(q, "Matcher.HttpCode", http_code);
	gws_query_add(q, "Matcher.GrpcCode", grpc_code);
}

int gws_elbv2_create_target_group(gws_aws_client *c, gws_arena *arena,
                                  const gws_elbv2_create_target_group_input *in,
                                  gws_elbv2_target_group *out)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "CreateTargetGroup", true, arena, out, sizeof(*out),
	                                  decode_tg);

	if (op) {
		gws_query *q = &op->query;
		gws_query_add(q, "Name", in->name);
		gws_query_add(q, "Protocol", in->protocol);
		gws_query_add(q, "ProtocolVersion", in->protocol_version);
		gws_aws__add_int(q, "Port", in->port);
		gws_query_add(q, "VpcId", in->vpc_id);
		add_health_check(q, in->health_check_protocol, in->health_check_port,
		                 in->health_check_enabled, in->health_check_path, true);
		add_health_numbers(q, in->health_check_interval, in->health_check_timeout,
		                   in->healthy_threshold, in->unhealthy_threshold,
		                   in->matcher_http_code, in->matcher_grpc_code);
		gws_query_add(q, "TargetType", in->target_type);
		gws_aws__add_kvs(q, "Tags.member", "Key", "Value", &in->tags);
		gws_query_add(q, "IpAddressType", in->ip_address_type);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_modify_target_group(gws_aws_client *c, gws_arena *arena,
                                  const gws_elbv2_modify_target_group_input *in,
                                  gws_elbv2_target_group *out)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "ModifyTargetGroup", true, arena, out, sizeof(*out),
	                                  decode_tg);

	if (op) {
		gws_query *q = &op->query;
		gws_query_add(q, "TargetGroupArn", in->target_group_arn);
		add_health_check(q, in->health_check_protocol, in->health_check_port,
		                 in->health_check_enabled, in->health_check_path, false);
		add_health_numbers(q, in->health_check_interval, in->health_check_timeout,
		                   in->healthy_threshold, in->unhealthy_threshold,
		                   in->matcher_http_code, in->matcher_grpc_code);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_delete_target_group(gws_aws_client *c, const char *target_group_arn)
{
	return simple_write(c, "DeleteTargetGroup", "TargetGroupArn", target_group_arn);
}

/* ---- attributes --------------------------------------------------------------- */

static int decode_attributes(gws_aws__op *op, const xmlNode *r)
{
	return gws_xml_kvs(op->arena, r, "Attributes", "member", "Key", "Value", op->out);
}

static const char *const attr_names[][3] = {
        {"LoadBalancerArn", "DescribeLoadBalancerAttributes", "ModifyLoadBalancerAttributes"},
        {"TargetGroupArn", "DescribeTargetGroupAttributes", "ModifyTargetGroupAttributes"},
        {"ListenerArn", "DescribeListenerAttributes", "ModifyListenerAttributes"},
};

int gws_elbv2_describe_attributes(gws_aws_client *c, gws_arena *arena, gws_elbv2_attr_kind kind,
                                  const char *arn, gws_aws_kvs *out)
{
	gws_aws__op *op;

	if ((unsigned)kind >= GWS_ARRAY_SIZE(attr_names))
		return gws_error_set(GWS_EINVALID, "unknown ELBv2 attribute kind %d", (int)kind);
	op = gws_aws__op_new(SVC, attr_names[kind][1], false, arena, out, sizeof(*out),
	                     decode_attributes);
	if (op)
		gws_query_add(&op->query, attr_names[kind][0], arn);
	return gws_aws__submit(c, op);
}

int gws_elbv2_modify_attributes(gws_aws_client *c, gws_arena *arena, gws_elbv2_attr_kind kind,
                                const char *arn, const gws_aws_kvs *attributes, gws_aws_kvs *out)
{
	gws_aws__op *op;

	if ((unsigned)kind >= GWS_ARRAY_SIZE(attr_names))
		return gws_error_set(GWS_EINVALID, "unknown ELBv2 attribute kind %d", (int)kind);
	op = gws_aws__op_new(SVC, attr_names[kind][2], true, arena, out, sizeof(*out),
	                     out ? decode_attributes : NULL);
	if (op) {
		gws_query_add(&op->query, attr_names[kind][0], arn);
		gws_aws__add_kvs(&op->query, "Attributes.member", "Key", "Value", attributes);
	}
	return gws_aws__submit(c, op);
}

/* ---- tags --------------------------------------------------------------------- */

static int decode_tag_description(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_tag_description *d = elem;
	int err = 0;

	d->resource_arn = gws_xml_text(a, n, "ResourceArn", &err);
	if (err)
		return err;
	return gws_xml_kvs(a, n, "Tags", "member", "Key", "Value", &d->tags);
}

int gws_elbv2_describe_tags(gws_aws_client *c, gws_arena *arena, const gws_aws_strings *arns,
                            gws_elbv2_tag_descriptions *out)
{
	chunked_call call = {
	        "DescribeTags",         "ResourceArns.member", 0, NULL, NULL, "TagDescriptions",
	        decode_tag_description, sizeof(*out->items)};

	if (!arns || arns->count == 0) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return run_chunked(c, arena, &call, arns, (generic_list *)out);
}

int gws_elbv2_add_tags(gws_aws_client *c, const gws_aws_strings *arns, const gws_aws_kvs *tags)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "AddTags", true, NULL, NULL, 0, NULL);

	if (op) {
		gws_aws__add_strings(&op->query, "ResourceArns.member", arns);
		gws_aws__add_kvs(&op->query, "Tags.member", "Key", "Value", tags);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_remove_tags(gws_aws_client *c, const gws_aws_strings *arns,
                          const gws_aws_strings *tag_keys)
{
	gws_aws__op *op = gws_aws__op_new(SVC, "RemoveTags", true, NULL, NULL, 0, NULL);

	if (op) {
		gws_aws__add_strings(&op->query, "ResourceArns.member", arns);
		gws_aws__add_strings(&op->query, "TagKeys.member", tag_keys);
	}
	return gws_aws__submit(c, op);
}

/* ---- targets ------------------------------------------------------------------ */

static int targets_call(gws_aws_client *c, const char *action, const char *target_group_arn,
                        const gws_elbv2_targets *targets)
{
	gws_aws__op *op = gws_aws__op_new(SVC, action, true, NULL, NULL, 0, NULL);

	if (op) {
		gws_query_add(&op->query, "TargetGroupArn", target_group_arn);
		gws_elbv2__add_targets(&op->query, "Targets", targets);
	}
	return gws_aws__submit(c, op);
}

int gws_elbv2_register_targets(gws_aws_client *c, const char *target_group_arn,
                               const gws_elbv2_targets *targets)
{
	return targets_call(c, "RegisterTargets", target_group_arn, targets);
}

int gws_elbv2_deregister_targets(gws_aws_client *c, const char *target_group_arn,
                                 const gws_elbv2_targets *targets)
{
	return targets_call(c, "DeregisterTargets", target_group_arn, targets);
}

static int decode_health(gws_arena *a, const xmlNode *n, void *elem)
{
	gws_elbv2_target_health *h = elem;
	const xmlNode *th = gws_xml_child(n, "TargetHealth");
	int err = 0, rc;

	if ((rc = gws_elbv2__decode_target(a, gws_xml_child(n, "Target"), &h->target)) < 0)
		return rc;
	h->health_check_port = gws_xml_text(a, n, "HealthCheckPort", &err);
	h->state = gws_xml_text(a, th, "State", &err);
	h->reason = gws_xml_text(a, th, "Reason", &err);
	h->description = gws_xml_text(a, th, "Description", &err);
	return err;
}

int gws_elbv2_describe_target_health(gws_aws_client *c, gws_arena *arena,
                                     const char *target_group_arn, const gws_elbv2_targets *targets,
                                     gws_elbv2_target_healths *out)
{
	gws_aws__op *op = LIST_OP("DescribeTargetHealth", arena, out, "TargetHealthDescriptions",
	                          decode_health);

	if (op) {
		gws_query_add(&op->query, "TargetGroupArn", target_group_arn);
		gws_elbv2__add_targets(&op->query, "Targets", targets);
	}
	return gws_aws__submit(c, op);
}
