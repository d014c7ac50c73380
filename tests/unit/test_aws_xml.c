/*
 * XML decoding: the safe parser, error documents of both shapes, and every
 * typed call's decoder fed the replies in tests/fixtures/aws/responses
 * (recorded from fakeaws by capture_responses.py, plus *-hand.xml written
 * from the reference shapes) through a loopback stub.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/xml.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

static int read_fixture(gws_buf *buf, const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/tests/fixtures/aws/responses/%s",
	         aws_stub_env("GWSYNC_SOURCE_DIR", "../../.."), name);
	gws_buf_init(buf, 1 << 20);
	return gws_buf_read_file(buf, path);
}

/* ---- parser and helpers ------------------------------------------------------ */

static void test_parse_rejects_unsafe_and_bad_input(void **state)
{
	xmlDoc *doc = NULL;
	gws_buf b;
	const char *bad[] = {"", "<a>", "not xml", "<a></b>"};
	size_t i;
	(void)state;

	assert_int_equal(read_fixture(&b, "entity-expansion-hand.xml"), 0);
	assert_int_equal(gws_xml_parse(&doc, b.ptr, b.size), GWS_EINVALID);
	assert_null(doc);
	gws_buf_dispose(&b);
	assert_int_equal(read_fixture(&b, "external-entity-hand.xml"), 0);
	assert_int_equal(gws_xml_parse(&doc, b.ptr, b.size), GWS_EINVALID);
	gws_buf_dispose(&b);
	for (i = 0; i < GWS_ARRAY_SIZE(bad); i++)
		assert_int_equal(gws_xml_parse(&doc, bad[i], strlen(bad[i])), GWS_EINVALID);
	/* The cap is checked before anything is read. */
	assert_int_equal(gws_xml_parse(&doc, "<a/>", (size_t)GWS_CAP_HTTP_RESPONSE + 1),
	                 GWS_ETOOBIG);
}

static void test_helpers(void **state)
{
	const char *xml = "<R xmlns=\"urn:x\"><S>a &amp; b</S><E/><N>42</N><Bad>4x</Bad>"
	                  "<T>true</T><F>false</F><L><member>x</member><member>y</member></L>"
	                  "<K><item><key>k</key></item></K></R>";
	xmlDoc *doc = NULL;
	gws_arena *a = NULL;
	const xmlNode *root;
	gws_aws_strings strs = {NULL, 0};
	gws_aws_kvs kvs = {NULL, 0};
	int err = 0, n = 7;
	(void)state;

	assert_int_equal(gws_xml_parse(&doc, xml, strlen(xml)), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	root = xmlDocGetRootElement(doc);
	assert_string_equal(gws_xml_text(a, root, "S", &err), "a & b");
	assert_string_equal(gws_xml_text(a, root, "E", &err), "");
	assert_null(gws_xml_text(a, root, "Missing", &err));
	assert_int_equal(err, 0);
	gws_xml_int(root, "Missing", &n, &err);
	assert_int_equal(n, 7);
	gws_xml_int(root, "N", &n, &err);
	assert_int_equal(n, 42);
	gws_xml_int(root, "Bad", &n, &err);
	assert_int_equal(err, GWS_EINVALID);
	assert_int_equal(gws_xml_tribool(root, "T"), GWS_AWS_TRUE);
	assert_int_equal(gws_xml_tribool(root, "F"), GWS_AWS_FALSE);
	assert_int_equal(gws_xml_tribool(root, "Missing"), GWS_AWS_UNSET);
	assert_int_equal(gws_xml_strings(a, root, "L", "member", &strs), 0);
	assert_int_equal(strs.count, 2);
	assert_string_equal(strs.items[1], "y");
	/* Lists append (pages). */
	assert_int_equal(gws_xml_strings(a, root, "L", "member", &strs), 0);
	assert_int_equal(strs.count, 4);
	assert_string_equal(strs.items[2], "x");
	assert_int_equal(gws_xml_kvs(a, root, "K", "item", "key", "value", &kvs), 0);
	assert_int_equal(kvs.count, 1);
	assert_string_equal(kvs.items[0].value, "");
	gws_arena_free(a);
	xmlFreeDoc(doc);
}

static void test_error_documents(void **state)
{
	gws_aws_error err;
	gws_buf b;
	(void)state;

	memset(&err, 0, sizeof(err));
	assert_int_equal(read_fixture(&b, "error-elbv2-LoadBalancerNotFound.xml"), 0);
	assert_int_equal(gws_xml_decode_error(b.ptr, b.size, &err), 0);
	assert_string_equal(err.code, "LoadBalancerNotFound");
	assert_string_equal(err.message, "Load balancers '[missing-lb]' not found");
	assert_int_equal(strlen(err.request_id), 36);
	gws_buf_dispose(&b);

	memset(&err, 0, sizeof(err));
	assert_int_equal(read_fixture(&b, "error-ec2-InvalidGroup.NotFound.xml"), 0);
	assert_int_equal(gws_xml_decode_error(b.ptr, b.size, &err), 0);
	assert_string_equal(err.code, "InvalidGroup.NotFound");
	assert_string_equal(err.message,
	                    "The security group 'sg-0000000000000dead' does not exist");
	assert_int_equal(strlen(err.request_id), 36);
	gws_buf_dispose(&b);

	memset(&err, 0, sizeof(err));
	strcpy(err.request_id, "from-header");
	assert_int_equal(read_fixture(&b, "error-elbv2-Throttling-hand.xml"), 0);
	assert_int_equal(gws_xml_decode_error(b.ptr, b.size, &err), 0);
	assert_string_equal(err.code, "Throttling");
	assert_string_equal(err.request_id, "throttle-req-1");
	gws_buf_dispose(&b);

	/* A success document or HTML is not an error document. */
	assert_int_equal(read_fixture(&b, "GetCallerIdentity.xml"), 0);
	assert_int_equal(gws_xml_decode_error(b.ptr, b.size, &err), GWS_EINVALID);
	gws_buf_dispose(&b);
	assert_int_equal(gws_xml_decode_error("<html>502</html>", 16, &err), GWS_EINVALID);
	assert_string_equal(err.code, "Throttling");
}

/* ---- typed decoders through the client -------------------------------------- */

typedef struct {
	aws_stub stub;
	gws_aws_client *client;
	gws_arena *arena;
	aws_test_hooks hooks;
} env;

/* cmocka does not count a failed group setup as a failure: main does. */
static bool setup_ok;

static int setup(void **state)
{
	env *e = calloc(1, sizeof(*e));
	const char *script =
	        "["
	        "{\"action\": \"DescribeLoadBalancers\", \"body_file\": "
	        "\"DescribeLoadBalancers-page1-hand.xml\"},"
	        "{\"action\": \"DescribeLoadBalancers\", \"body_file\": "
	        "\"DescribeLoadBalancers-page2-hand.xml\"},"
	        "{\"action\": \"CreateLoadBalancer\", \"body_file\": \"CreateLoadBalancer.xml\"},"
	        "{\"action\": \"DescribeListeners\", \"body_file\": \"DescribeListeners.xml\"},"
	        "{\"action\": \"CreateListener\", \"body_file\": \"CreateListener.xml\"},"
	        "{\"action\": \"DescribeRules\", \"body_file\": \"DescribeRules.xml\"},"
	        "{\"action\": \"DescribeRules\", \"body_file\": "
	        "\"DescribeRules-transforms-hand.xml\"},"
	        "{\"action\": \"CreateRule\", \"body_file\": \"CreateRule.xml\"},"
	        "{\"action\": \"SetRulePriorities\", \"body_file\": \"SetRulePriorities.xml\"},"
	        "{\"action\": \"DescribeTargetGroups\", \"body_file\": "
	        "\"DescribeTargetGroups.xml\"},"
	        "{\"action\": \"CreateTargetGroup\", \"body_file\": \"CreateTargetGroup.xml\"},"
	        "{\"action\": \"DescribeLoadBalancerAttributes\", \"body_file\": "
	        "\"DescribeLoadBalancerAttributes.xml\"},"
	        "{\"action\": \"ModifyTargetGroupAttributes\", \"body_file\": "
	        "\"ModifyTargetGroupAttributes.xml\"},"
	        "{\"action\": \"DescribeListenerCertificates\", \"body_file\": "
	        "\"DescribeListenerCertificates.xml\"},"
	        "{\"action\": \"DescribeTags\", \"body_file\": \"DescribeTags.xml\"},"
	        "{\"action\": \"DescribeTargetHealth\", \"body_file\": "
	        "\"DescribeTargetHealth.xml\"},"
	        "{\"action\": \"RegisterTargets\", \"body_file\": \"RegisterTargets.xml\"},"
	        "{\"action\": \"DescribeVpcs\", \"body_file\": \"DescribeVpcs.xml\"},"
	        "{\"action\": \"DescribeSubnets\", \"body_file\": "
	        "\"DescribeSubnets-page1-hand.xml\"},"
	        "{\"action\": \"DescribeSubnets\", \"body_file\": "
	        "\"DescribeSubnets-page2-hand.xml\"},"
	        "{\"action\": \"DescribeSecurityGroups\", \"body_file\": "
	        "\"DescribeSecurityGroups.xml\"},"
	        "{\"action\": \"CreateSecurityGroup\", \"body_file\": \"CreateSecurityGroup.xml\"},"
	        "{\"action\": \"AuthorizeSecurityGroupIngress\", \"body_file\": "
	        "\"AuthorizeSecurityGroupIngress.xml\"},"
	        "{\"action\": \"GetCallerIdentity\", \"body_file\": \"GetCallerIdentity.xml\"}"
	        "]";

	if (!e)
		return -1;
	aws_test_env("AKIDTEST", "testsecret", NULL);
	if (aws_stub_start(&e->stub, "xml-decode", script) < 0 ||
	    aws_test_client(&e->client, e->stub.url, &e->hooks, 1, 0, 0) < 0 ||
	    gws_arena_new(&e->arena) < 0)
		return -1;
	*state = e;
	setup_ok = true;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;

	if (!e)
		return 0;
	gws_arena_free(e->arena);
	gws_aws_client_free(e->client);
	aws_stub_stop(&e->stub);
	free(e);
	return 0;
}

static void test_load_balancers_paged(void **state)
{
	env *e = *state;
	gws_elbv2_load_balancers lbs;
	gws_elbv2_load_balancer lb;
	gws_elbv2_create_load_balancer_input in = {.name = "gw-lb"};
	gws_buf log;

	assert_int_equal(gws_elbv2_describe_load_balancers(e->client, e->arena, NULL, &lbs), 0);
	assert_int_equal(lbs.count, 3);
	assert_string_equal(lbs.items[0].name, "lb-1");
	assert_string_equal(lbs.items[0].dns_name, "lb-1-424835706.us-west-2.elb.amazonaws.com");
	assert_string_equal(lbs.items[0].canonical_hosted_zone_id, "Z1H1FL5HABSF5");
	assert_string_equal(lbs.items[0].state, "active");
	assert_int_equal(lbs.items[0].az_count, 2);
	assert_string_equal(lbs.items[0].azs[1].subnet_id, "subnet-b");
	assert_int_equal(lbs.items[0].security_groups.count, 2);
	assert_string_equal(lbs.items[1].type, "network");
	assert_string_equal(lbs.items[1].state, "provisioning");
	assert_string_equal(lbs.items[1].state_reason, "being created");
	assert_null(lbs.items[1].vpc_id);
	assert_string_equal(lbs.items[2].name, "lb-3");
	assert_int_equal(lbs.items[2].security_groups.count, 0);
	/* The second page was asked for with the first page's marker. */
	assert_int_equal(aws_stub_log(&e->stub, &log), 0);
	assert_non_null(strstr(gws_buf_cstr(&log), "Marker=bGItMg%3D%3D"));
	gws_buf_dispose(&log);

	assert_int_equal(gws_elbv2_create_load_balancer(e->client, e->arena, &in, &lb), 0);
	assert_string_equal(lb.name, "gw-lb");
	assert_string_equal(lb.state, "provisioning");
	assert_int_equal(lb.az_count, 3);
	assert_string_equal(lb.security_groups.items[0], "sg-8d23f0824128b2f33");
	assert_true(gws_str_startswith(lb.arn, "arn:aws:elasticloadbalancing:us-west-2:"));
}

static void test_listeners_and_rules(void **state)
{
	env *e = *state;
	gws_elbv2_listeners ls;
	gws_elbv2_listener l;
	gws_elbv2_rules rules;
	gws_elbv2_rule rule;
	gws_elbv2_rule_priority prio = {"arn", 1};
	gws_elbv2_create_listener_input cl = {.load_balancer_arn = "lb"};
	gws_elbv2_create_rule_input cr = {.listener_arn = "l"};
	const gws_elbv2_action *fwd;
	const gws_elbv2_condition *qs;

	assert_int_equal(gws_elbv2_describe_listeners(e->client, e->arena, "lb", NULL, &ls), 0);
	assert_int_equal(ls.count, 1);
	assert_int_equal(ls.items[0].port, 443);
	assert_string_equal(ls.items[0].protocol, "HTTPS");
	assert_string_equal(ls.items[0].ssl_policy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
	assert_int_equal(ls.items[0].certificates.count, 1);
	assert_int_equal(ls.items[0].certificates.items[0].is_default, GWS_AWS_UNSET);
	assert_string_equal(ls.items[0].default_actions.items[0].type, "fixed-response");
	assert_string_equal(ls.items[0].default_actions.items[0].fixed_message_body, "not found");
	assert_string_equal(ls.items[0].default_actions.items[0].fixed_status_code, "404");
	assert_string_equal(ls.items[0].default_actions.items[0].fixed_content_type, "text/plain");
	assert_int_equal(gws_elbv2_create_listener(e->client, e->arena, &cl, &l), 0);
	assert_string_equal(l.arn, ls.items[0].arn);

	assert_int_equal(gws_elbv2_describe_rules(e->client, e->arena, "l", NULL, &rules), 0);
	assert_int_equal(rules.count, 3);
	assert_string_equal(rules.items[0].priority, "10");
	assert_string_equal(rules.items[0].conditions.items[0].field, "host-header");
	assert_string_equal(rules.items[0].conditions.items[0].host_header.items[0],
	                    "a.example.com");
	assert_string_equal(rules.items[0].conditions.items[0].values.items[0], "a.example.com");
	assert_string_equal(rules.items[0].actions.items[0].redirect_status_code, "HTTP_301");
	assert_string_equal(rules.items[0].actions.items[0].redirect_host, "#{host}");
	fwd = &rules.items[1].actions.items[0];
	assert_string_equal(fwd->type, "forward");
	assert_int_equal(fwd->target_group_count, 2);
	assert_true(fwd->target_groups[1].has_weight);
	assert_int_equal(fwd->target_groups[1].weight, 20);
	assert_int_equal(fwd->stickiness_enabled, GWS_AWS_TRUE);
	assert_int_equal(fwd->stickiness_duration, 300);
	qs = &rules.items[1].conditions.items[2];
	assert_string_equal(qs->field, "query-string");
	assert_string_equal(qs->query_string.items[0].key, "v");
	assert_string_equal(qs->query_string.items[0].value, "2");
	assert_string_equal(rules.items[1].conditions.items[1].http_header_name, "X-Env");
	assert_string_equal(rules.items[2].priority, "default");
	assert_true(rules.items[2].is_default);
	assert_int_equal(rules.items[2].conditions.count, 0);

	/* Transforms, legacy values, method and source-ip conditions, Order. */
	assert_int_equal(gws_elbv2_describe_rules(e->client, e->arena, "l", NULL, &rules), 0);
	assert_int_equal(rules.count, 2);
	assert_int_equal(rules.items[0].transforms.count, 2);
	assert_string_equal(rules.items[0].transforms.items[0].type, "url-rewrite");
	assert_string_equal(rules.items[0].transforms.items[0].rewrites[0].regex, "^/api/(.*)$");
	assert_string_equal(rules.items[0].transforms.items[1].rewrites[0].replace,
	                    "backend.internal");
	assert_string_equal(rules.items[0].conditions.items[1].http_request_method.items[1],
	                    "HEAD");
	assert_string_equal(rules.items[0].conditions.items[2].source_ip.items[0], "10.0.0.0/8");
	assert_null(rules.items[0].conditions.items[3].query_string.items[0].key);
	assert_int_equal(rules.items[0].actions.items[0].order, 1);
	assert_int_equal(rules.items[0].actions.items[0].target_group_count, 0);
	assert_true(gws_str_endswith(rules.items[0].actions.items[0].target_group_arn,
	                             "targetgroup/atg1/ae086f1046e2a0bd"));
	assert_string_equal(rules.items[1].actions.items[0].fixed_message_body, "<down & out>");

	assert_int_equal(gws_elbv2_create_rule(e->client, e->arena, &cr, &rule), 0);
	assert_string_equal(rule.priority, "10");
	assert_int_equal(rule.conditions.count, 3);
	assert_int_equal(gws_elbv2_set_rule_priorities(e->client, e->arena, &prio, 1, &rules), 0);
	assert_int_equal(rules.count, 2);
	assert_string_equal(rules.items[1].priority, "10");
}

static void test_target_groups_attributes_tags(void **state)
{
	env *e = *state;
	gws_elbv2_target_groups tgs;
	gws_elbv2_target_group tg;
	gws_elbv2_create_target_group_input in = {.name = "gw-tg-a"};
	gws_aws_kvs attrs;
	gws_aws_kv one = {"deregistration_delay.timeout_seconds", "30"};
	gws_aws_kvs set = {&one, 1};
	gws_elbv2_certificates certs;
	gws_elbv2_tag_descriptions tags;
	gws_elbv2_target_healths health;
	gws_elbv2_target t = {"10.0.0.1", 80, NULL};
	gws_elbv2_targets ts = {&t, 1};
	const char *arns_in[] = {"a", "b"};
	gws_aws_strings arns = {arns_in, 2};

	assert_int_equal(gws_elbv2_describe_target_groups(e->client, e->arena, "lb", NULL, &tgs),
	                 0);
	assert_int_equal(tgs.count, 2);
	assert_string_equal(tgs.items[0].name, "gw-tg-a");
	assert_int_equal(tgs.items[0].port, 8080);
	assert_string_equal(tgs.items[0].target_type, "ip");
	assert_string_equal(tgs.items[0].protocol_version, "HTTP1");
	assert_int_equal(tgs.items[0].health_check_enabled, GWS_AWS_TRUE);
	assert_int_equal(tgs.items[0].health_check_interval, 30);
	assert_int_equal(tgs.items[0].health_check_timeout, 6);
	assert_int_equal(tgs.items[0].healthy_threshold, 5);
	assert_int_equal(tgs.items[0].unhealthy_threshold, 2);
	assert_string_equal(tgs.items[0].health_check_path, "/healthz");
	assert_string_equal(tgs.items[0].matcher_http_code, "200-399");
	assert_null(tgs.items[0].matcher_grpc_code);
	assert_int_equal(tgs.items[0].load_balancer_arns.count, 1);
	assert_int_equal(gws_elbv2_create_target_group(e->client, e->arena, &in, &tg), 0);
	assert_string_equal(tg.name, "gw-tg-a");

	assert_int_equal(gws_elbv2_describe_attributes(e->client, e->arena, GWS_ELBV2_LOAD_BALANCER,
	                                               "lb", &attrs),
	                 0);
	assert_true(attrs.count > 10);
	assert_string_equal(attrs.items[0].key, "access_logs.s3.enabled");
	assert_string_equal(attrs.items[1].value, "");
	assert_int_equal(gws_elbv2_modify_attributes(e->client, e->arena, GWS_ELBV2_TARGET_GROUP,
	                                             "tg", &set, &attrs),
	                 0);
	assert_string_equal(attrs.items[0].value, "30");
	assert_string_equal(attrs.items[2].value, "lb_cookie");

	assert_int_equal(gws_elbv2_describe_listener_certificates(e->client, e->arena, "l", &certs),
	                 0);
	assert_int_equal(certs.count, 1);
	assert_int_equal(certs.items[0].is_default, GWS_AWS_TRUE);

	assert_int_equal(gws_elbv2_describe_tags(e->client, e->arena, &arns, &tags), 0);
	assert_int_equal(tags.count, 2);
	assert_string_equal(tags.items[0].tags.items[0].key, "gwsync.io/cluster");
	assert_string_equal(tags.items[0].tags.items[0].value, "c1");
	assert_int_equal(tags.items[1].tags.count, 0);

	assert_int_equal(gws_elbv2_describe_target_health(e->client, e->arena, "tg", NULL, &health),
	                 0);
	assert_int_equal(health.count, 2);
	assert_string_equal(health.items[1].target.id, "10.0.0.2");
	assert_int_equal(health.items[1].target.port, 80);
	assert_string_equal(health.items[1].state, "healthy");
	assert_null(health.items[1].reason);
	assert_int_equal(gws_elbv2_register_targets(e->client, "tg", &ts), 0);
}

static void test_ec2_and_sts(void **state)
{
	env *e = *state;
	gws_ec2_vpcs vpcs;
	gws_ec2_subnets subnets;
	gws_ec2_security_groups sgs;
	gws_sts_caller_identity id;
	const char *group_id = NULL;
	const gws_ec2_ip_permission *p;
	gws_ec2_ip_permissions none = {NULL, 0};
	gws_buf log;

	assert_int_equal(gws_ec2_describe_vpcs(e->client, e->arena, NULL, NULL, &vpcs), 0);
	assert_int_equal(vpcs.count, 1);
	assert_string_equal(vpcs.items[0].vpc_id, "vpc-0de0000000000000a");
	assert_string_equal(vpcs.items[0].cidr_block, "10.0.0.0/16");
	assert_false(vpcs.items[0].is_default);
	assert_int_equal(vpcs.items[0].tags.count, 2);
	assert_string_equal(vpcs.items[0].tags.items[1].value, "shared");

	assert_int_equal(gws_ec2_describe_subnets(e->client, e->arena, NULL, NULL, &subnets), 0);
	assert_int_equal(subnets.count, 2);
	assert_string_equal(subnets.items[0].availability_zone_id, "usw2-az1");
	assert_true(subnets.items[0].map_public_ip_on_launch);
	assert_string_equal(subnets.items[0].tags.items[1].value, "");
	assert_string_equal(subnets.items[1].subnet_id, "subnet-b");
	assert_false(subnets.items[1].map_public_ip_on_launch);
	assert_int_equal(aws_stub_log(&e->stub, &log), 0);
	assert_non_null(strstr(gws_buf_cstr(&log), "NextToken=page-2-token"));
	gws_buf_dispose(&log);

	assert_int_equal(gws_ec2_describe_security_groups(e->client, e->arena, NULL, NULL, &sgs),
	                 0);
	assert_int_equal(sgs.count, 1);
	assert_string_equal(sgs.items[0].group_name, "gw-sg");
	assert_string_equal(sgs.items[0].description, "gw sg");
	assert_string_equal(sgs.items[0].owner_id, "123456789012");
	assert_int_equal(sgs.items[0].ingress.count, 2); /* egress is not ingress */
	p = &sgs.items[0].ingress.items[0];
	assert_string_equal(p->ip_protocol, "tcp");
	assert_true(p->has_ports);
	assert_int_equal(p->from_port, 80);
	assert_int_equal(p->ip_range_count, 1);
	assert_string_equal(p->ip_ranges[0].id, "0.0.0.0/0");
	assert_string_equal(p->ip_ranges[0].description, "http");
	assert_string_equal(p->ipv6_ranges[0].id, "::/0");
	assert_null(p->ipv6_ranges[0].description);
	p = &sgs.items[0].ingress.items[1];
	assert_int_equal(p->group_count, 1);
	assert_string_equal(p->groups[0].id, "sg-0de00000000000a1b");
	assert_string_equal(sgs.items[0].tags.items[0].key, "a");

	assert_int_equal(gws_ec2_create_security_group(e->client, e->arena, "gw-sg", "d", "vpc",
	                                               NULL, &group_id),
	                 0);
	assert_string_equal(group_id, "sg-8d23f0824128b2f33");
	assert_int_equal(gws_ec2_authorize_security_group_ingress(e->client, "sg", &none), 0);

	assert_int_equal(gws_sts_get_caller_identity(e->client, e->arena, &id), 0);
	assert_string_equal(id.account, "123456789012");
	assert_string_equal(id.arn, "arn:aws:iam::123456789012:user/fakeaws");
	assert_string_equal(id.user_id, "AIDAAKIDFAKEAWSTEST");
}

/* A reply from the network must never make libxml2 write to our stderr:
 * encoding errors go through its generic handler whatever the options. */
static void test_parse_is_silent(void **state)
{
	static const char bad[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\0\0\0\0<a/>";
	char path[] = "/tmp/gws-xml-stderr-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	xmlDoc *doc = NULL;
	struct stat st;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fd, 2), 2);
	(void)gws_xml_parse(&doc, bad, sizeof(bad) - 1);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	unlink(path);
	xmlFreeDoc(doc);
	assert_int_equal(st.st_size, 0);
}

int main(void)
{
	const struct CMUnitTest parser[] = {
	        cmocka_unit_test(test_parse_rejects_unsafe_and_bad_input),
	        cmocka_unit_test(test_parse_is_silent),
	        cmocka_unit_test(test_helpers),
	        cmocka_unit_test(test_error_documents),
	};
	/* In this order: the stub hands out its scripted replies in sequence. */
	const struct CMUnitTest typed[] = {
	        cmocka_unit_test(test_load_balancers_paged),
	        cmocka_unit_test(test_listeners_and_rules),
	        cmocka_unit_test(test_target_groups_attributes_tags),
	        cmocka_unit_test(test_ec2_and_sts),
	};
	int failed = cmocka_run_group_tests_name("parser", parser, NULL, NULL);

	failed += cmocka_run_group_tests_name("typed", typed, setup, teardown);
	return failed || !setup_ok;
}
