/*
 * Query encoding: the encoder itself, then every request shape gwsync
 * sends, compared byte for byte with the body awscli sent for the same
 * input (tests/fixtures/aws/requests, recorded by capture.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "aws/query.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

/* ---- the encoder ------------------------------------------------------------ */

static void test_encoder_basics(void **state)
{
	gws_query q;
	gws_buf out = GWS_BUF_INIT(4096);
	(void)state;

	gws_query_init(&q, "CreateRule", "2015-12-01");
	gws_query_add(&q, "ListenerArn", "arn:aws:x/y z");
	gws_query_add(&q, "Skipped", NULL);
	gws_query_addf(&q, "", "Tags.member.%d.Value", 2);
	gws_query_add_long(&q, "Priority", 10);
	gws_query_add_bool(&q, "Enabled", false);
	gws_query_add(&q, "Utf8", "caf\xc3\xa9~-_.!*'()");
	assert_int_equal(gws_query_encode(&q, &out), 0);
	assert_string_equal(gws_buf_cstr(&out),
	                    "Action=CreateRule&Version=2015-12-01&ListenerArn=arn%3Aaws%3Ax%2Fy+z"
	                    "&Tags.member.2.Value=&Priority=10&Enabled=false"
	                    "&Utf8=caf%C3%A9~-_.%21%2A%27%28%29");
	assert_string_equal(gws_query_get(&q, "Priority"), "10");
	assert_null(gws_query_get(&q, "Marker"));
	gws_query_set(&q, "Marker", "m1");
	gws_query_set(&q, "Marker", "m/2");
	gws_buf_clear(&out);
	assert_int_equal(gws_query_encode(&q, &out), 0);
	assert_true(gws_str_endswith(gws_buf_cstr(&out), "&Marker=m%2F2"));
	gws_buf_dispose(&out);
	gws_query_dispose(&q);
}

static void test_encoder_keeps_first_error(void **state)
{
	gws_query q;
	gws_buf out = GWS_BUF_INIT(4096);
	char longname[600];
	(void)state;

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	gws_query_init(&q, "X", "1");
	gws_query_addf(&q, "v", "%s", longname);
	gws_query_add(&q, "After", "v");
	assert_int_equal(gws_query_encode(&q, &out), GWS_ETOOBIG);
	gws_buf_dispose(&out);
	gws_query_dispose(&q);

	/* An allocation failure inside an adder surfaces at encode time. */
	gws_query_init(&q, "X", "1");
	gws_alloc_fail_at(0);
	gws_query_add(&q, "A", "b");
	gws_alloc_fail_at(-1);
	gws_query_add(&q, "C", "d");
	gws_buf_init(&out, 4096);
	assert_int_equal(gws_query_encode(&q, &out), GWS_ENOMEM);
	gws_buf_dispose(&out);
	gws_query_dispose(&q);
}

static void test_body_cap(void **state)
{
	gws_query q;
	gws_buf out = GWS_BUF_INIT(64);
	(void)state;

	gws_query_init(&q, "DescribeTags", "2015-12-01");
	gws_query_add(&q, "ResourceArns.member.1", "arn:aws:elasticloadbalancing:us-west-2:1:x/y");
	assert_int_equal(gws_query_encode(&q, &out), GWS_ETOOBIG);
	gws_buf_dispose(&out);
	gws_query_dispose(&q);
}

/* ---- the request shapes against awscli's bodies --------------------------- */

#define LB                                                                                         \
	"arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/gw-lb/"              \
	"50dc6c495c0c9188"
#define L                                                                                          \
	"arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/gw-lb/50dc6c495c0c9188/" \
	"f2f7dc8efc522ab2"
#define R1                                                                                         \
	"arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/gw-lb/"             \
	"50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"
#define R2                                                                                         \
	"arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/gw-lb/"             \
	"50dc6c495c0c9188/f2f7dc8efc522ab2/2bef1c906319a0fc"
#define TG1                                                                                        \
	"arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/gw-tg-a/ae086f1046e2a0bd"
#define TG2                                                                                        \
	"arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/gw-tg-b/4e9a8a1b6f2c3d4e"
#define CERT1 "arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555"
#define CERT2 "arn:aws:acm:us-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000"

#define STRS(...)                                                                                  \
	{                                                                                          \
		(const char *[]){__VA_ARGS__},                                                     \
		        sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)               \
	}

typedef struct {
	aws_stub stub;
	gws_aws_client *client;
	gws_arena *arena;
	aws_test_hooks hooks;
	const char *names[64]; /* fixture name of each request sent, in order */
	size_t count;
} fixture_run;

static void expect(fixture_run *r, const char *name)
{
	assert_true(r->count < GWS_ARRAY_SIZE(r->names));
	r->names[r->count++] = name;
}

static void run_elbv2_calls(fixture_run *r)
{
	gws_aws_client *c = r->client;
	gws_arena *a = r->arena;
	gws_elbv2_load_balancers lbs;
	gws_elbv2_load_balancer lb;
	gws_elbv2_listeners listeners;
	gws_elbv2_listener listener;
	gws_elbv2_rules rules;
	gws_elbv2_rule rule;
	gws_elbv2_target_groups tgs;
	gws_elbv2_target_group tg;
	gws_elbv2_certificates certs;
	gws_aws_kvs attrs;
	gws_elbv2_tag_descriptions tags;
	gws_elbv2_target_healths health;

	gws_aws_kv lb_tags[] = {{"gwsync.io/cluster", "c1"}, {"empty", ""}};
	gws_elbv2_create_load_balancer_input clb = {"gw-lb",      STRS("subnet-1", "subnet-2"),
	                                            STRS("sg-1"), "internet-facing",
	                                            {lb_tags, 2}, "application",
	                                            "ipv4"};
	gws_elbv2_create_load_balancer(c, a, &clb, &lb);
	expect(r, "CreateLoadBalancer");
	gws_elbv2_describe_input by_arn = {STRS(LB), {NULL, 0}, 400};
	gws_elbv2_describe_load_balancers(c, a, &by_arn, &lbs);
	expect(r, "DescribeLoadBalancers");
	gws_elbv2_describe_input by_name = {{NULL, 0}, STRS("gw-lb", "gw-lb-2"), 20};
	gws_elbv2_describe_load_balancers(c, a, &by_name, &lbs);
	expect(r, "DescribeLoadBalancers-names");
	gws_elbv2_delete_load_balancer(c, LB);
	expect(r, "DeleteLoadBalancer");
	gws_aws_strings sgs = STRS("sg-1", "sg-2"), none = {NULL, 0};
	gws_elbv2_set_security_groups(c, LB, &sgs);
	expect(r, "SetSecurityGroups");
	gws_elbv2_set_security_groups(c, LB, &none);
	expect(r, "SetSecurityGroups-empty");
	gws_aws_strings subnets = STRS("subnet-1", "subnet-3");
	gws_elbv2_set_subnets(c, LB, &subnets, "dualstack");
	expect(r, "SetSubnets");
	gws_elbv2_set_ip_address_type(c, LB, "dualstack");
	expect(r, "SetIpAddressType");
	gws_elbv2_describe_listeners(c, a, LB, NULL, &listeners);
	expect(r, "DescribeListeners");

	gws_elbv2_certificate cert1 = {CERT1, GWS_AWS_UNSET}, cert2 = {CERT2, GWS_AWS_UNSET};
	gws_elbv2_certificate both[] = {cert1, cert2};
	gws_elbv2_action fixed = {.type = "fixed-response",
	                          .fixed_message_body = "not found",
	                          .fixed_status_code = "404",
	                          .fixed_content_type = "text/plain"};
	gws_aws_kv kv_tag[] = {{"k", "v"}};
	gws_elbv2_create_listener_input cl = {LB,
	                                      "HTTPS",
	                                      443,
	                                      "ELBSecurityPolicy-TLS13-1-2-2021-06",
	                                      {&cert1, 1},
	                                      {&fixed, 1},
	                                      STRS("HTTP2Preferred"),
	                                      {kv_tag, 1}};
	gws_elbv2_create_listener(c, a, &cl, &listener);
	expect(r, "CreateListener");

	gws_elbv2_tg_tuple tuples[] = {{TG1, true, 80}, {TG2, true, 20}};
	gws_elbv2_action fwd = {.type = "forward",
	                        .target_groups = tuples,
	                        .target_group_count = 2,
	                        .stickiness_enabled = GWS_AWS_TRUE,
	                        .stickiness_duration = 300};
	gws_elbv2_modify_listener_input ml = {
	        L,           8443,      "HTTPS",  "ELBSecurityPolicy-TLS13-1-2-2021-06",
	        {&cert2, 1}, {&fwd, 1}, {NULL, 0}};
	gws_elbv2_modify_listener(c, a, &ml, &listener);
	expect(r, "ModifyListener");
	gws_elbv2_delete_listener(c, L);
	expect(r, "DeleteListener");
	gws_elbv2_describe_listener_certificates(c, a, L, &certs);
	expect(r, "DescribeListenerCertificates");
	gws_elbv2_certificates add = {both, 2}, rem = {&cert2, 1};
	gws_elbv2_add_listener_certificates(c, L, &add);
	expect(r, "AddListenerCertificates");
	gws_elbv2_remove_listener_certificates(c, L, &rem);
	expect(r, "RemoveListenerCertificates");
	gws_elbv2_describe_rules(c, a, L, NULL, &rules);
	expect(r, "DescribeRules");

	gws_aws_kv qs[] = {{"v", "2"}, {NULL, "flag"}};
	gws_elbv2_condition conds[] = {
	        {.field = "path-pattern", .path_pattern = STRS("/api/*")},
	        {.field = "host-header", .host_header = STRS("a.example.com", "*.example.org")},
	        {.field = "http-header",
	         .http_header_name = "X-Env",
	         .http_header_values = STRS("canary")},
	        {.field = "query-string", .query_string = {qs, 2}},
	        {.field = "http-request-method", .http_request_method = STRS("GET", "HEAD")},
	        {.field = "source-ip", .source_ip = STRS("10.0.0.0/8")},
	};
	gws_elbv2_rewrite url_rw = {"^/api/(.*)$", "/$1"}, host_rw = {".*", "backend.internal"};
	gws_elbv2_transform transforms[] = {{"url-rewrite", &url_rw, 1},
	                                    {"host-header-rewrite", &host_rw, 1}};
	gws_aws_kv ab[] = {{"a", "b"}};
	gws_elbv2_create_rule_input cr = {L, {conds, 6}, 10, {&fwd, 1}, {ab, 1}, {transforms, 2}};
	gws_elbv2_create_rule(c, a, &cr, &rule);
	expect(r, "CreateRule");

	gws_elbv2_condition legacy = {.field = "path-pattern", .values = STRS("/old/*")};
	gws_elbv2_action redirect = {.type = "redirect",
	                             .order = 1,
	                             .redirect_protocol = "HTTPS",
	                             .redirect_port = "443",
	                             .redirect_host = "#{host}",
	                             .redirect_path = "/#{path}",
	                             .redirect_query = "#{query}",
	                             .redirect_status_code = "HTTP_301"};
	gws_elbv2_modify_rule_input mr = {R1, {&legacy, 1}, {&redirect, 1}, {NULL, 0}, true};
	gws_elbv2_modify_rule(c, a, &mr, &rule);
	expect(r, "ModifyRule");
	gws_elbv2_rule_priority prios[] = {{R1, 5}, {R2, 6}};
	gws_elbv2_set_rule_priorities(c, a, prios, 2, &rules);
	expect(r, "SetRulePriorities");
	gws_elbv2_delete_rule(c, R1);
	expect(r, "DeleteRule");

	gws_elbv2_describe_target_groups(c, a, LB, NULL, &tgs);
	expect(r, "DescribeTargetGroups");
	gws_elbv2_describe_input tg_names = {{NULL, 0}, STRS("gw-tg-a", "gw-tg-b"), 0};
	gws_elbv2_describe_target_groups(c, a, NULL, &tg_names, &tgs);
	expect(r, "DescribeTargetGroups-names");
	gws_elbv2_create_target_group_input ctg = {.name = "gw-tg-a",
	                                           .protocol = "HTTP",
	                                           .protocol_version = "HTTP1",
	                                           .port = 8080,
	                                           .vpc_id = "vpc-1",
	                                           .health_check_protocol = "HTTP",
	                                           .health_check_port = "traffic-port",
	                                           .health_check_enabled = GWS_AWS_TRUE,
	                                           .health_check_path = "/healthz",
	                                           .health_check_interval = 15,
	                                           .health_check_timeout = 5,
	                                           .healthy_threshold = 3,
	                                           .unhealthy_threshold = 2,
	                                           .matcher_http_code = "200-399",
	                                           .target_type = "ip",
	                                           .tags = {ab, 1},
	                                           .ip_address_type = "ipv4"};
	gws_elbv2_create_target_group(c, a, &ctg, &tg);
	expect(r, "CreateTargetGroup");
	gws_elbv2_modify_target_group_input mtg = {.target_group_arn = TG1,
	                                           .health_check_protocol = "HTTP",
	                                           .health_check_port = "8080",
	                                           .health_check_path = "/ready",
	                                           .health_check_enabled = GWS_AWS_FALSE,
	                                           .health_check_interval = 10,
	                                           .health_check_timeout = 4,
	                                           .healthy_threshold = 2,
	                                           .unhealthy_threshold = 3,
	                                           .matcher_grpc_code = "0-99"};
	gws_elbv2_modify_target_group(c, a, &mtg, &tg);
	expect(r, "ModifyTargetGroup");
	gws_elbv2_delete_target_group(c, TG1);
	expect(r, "DeleteTargetGroup");

	gws_aws_kv lb_attrs[] = {{"deletion_protection.enabled", "true"},
	                         {"idle_timeout.timeout_seconds", "60"}};
	gws_aws_kv tg_attrs[] = {{"deregistration_delay.timeout_seconds", "30"}};
	gws_aws_kv l_attrs[] = {{"tcp.idle_timeout.seconds", "350"}};
	gws_aws_kvs lbk = {lb_attrs, 2}, tgk = {tg_attrs, 1}, lk = {l_attrs, 1};
	gws_elbv2_describe_attributes(c, a, GWS_ELBV2_LOAD_BALANCER, LB, &attrs);
	expect(r, "DescribeLoadBalancerAttributes");
	gws_elbv2_modify_attributes(c, a, GWS_ELBV2_LOAD_BALANCER, LB, &lbk, &attrs);
	expect(r, "ModifyLoadBalancerAttributes");
	gws_elbv2_describe_attributes(c, a, GWS_ELBV2_TARGET_GROUP, TG1, &attrs);
	expect(r, "DescribeTargetGroupAttributes");
	gws_elbv2_modify_attributes(c, a, GWS_ELBV2_TARGET_GROUP, TG1, &tgk, &attrs);
	expect(r, "ModifyTargetGroupAttributes");
	gws_elbv2_describe_attributes(c, a, GWS_ELBV2_LISTENER, L, &attrs);
	expect(r, "DescribeListenerAttributes");
	gws_elbv2_modify_attributes(c, a, GWS_ELBV2_LISTENER, L, &lk, &attrs);
	expect(r, "ModifyListenerAttributes");

	gws_aws_strings two = STRS(LB, TG1), one = STRS(LB), keys = STRS("k", "e");
	gws_elbv2_describe_tags(c, a, &two, &tags);
	expect(r, "DescribeTags");
	gws_aws_kv add_tags[] = {{"k", "v"}, {"e", ""}};
	gws_aws_kvs addk = {add_tags, 2};
	gws_elbv2_add_tags(c, &one, &addk);
	expect(r, "AddTags");
	gws_elbv2_remove_tags(c, &two, &keys);
	expect(r, "RemoveTags");

	gws_elbv2_target targets[] = {{"10.0.0.1", 80, NULL}, {"10.0.0.2", 8080, "all"}};
	gws_elbv2_targets tl = {targets, 2}, first = {targets, 1};
	gws_elbv2_register_targets(c, TG1, &tl);
	expect(r, "RegisterTargets");
	gws_elbv2_deregister_targets(c, TG1, &first);
	expect(r, "DeregisterTargets");
	gws_elbv2_describe_target_health(c, a, TG1, NULL, &health);
	expect(r, "DescribeTargetHealth");
	gws_elbv2_target inst = {"i-0abc", 80, NULL};
	gws_elbv2_targets il = {&inst, 1};
	gws_elbv2_describe_target_health(c, a, TG1, &il, &health);
	expect(r, "DescribeTargetHealth-targets");
}

static void run_ec2_sts_calls(fixture_run *r)
{
	gws_aws_client *c = r->client;
	gws_arena *a = r->arena;
	gws_ec2_vpcs vpcs;
	gws_ec2_subnets subnets;
	gws_ec2_security_groups groups;
	gws_sts_caller_identity id;
	const char *group_id = NULL;

	gws_ec2_filter cluster = {"tag:gwsync.io/cluster", STRS("c1")};
	gws_ec2_filters cf = {&cluster, 1};
	gws_aws_strings vpc_ids = STRS("vpc-1");
	gws_ec2_describe_vpcs(c, a, &vpc_ids, &cf, &vpcs);
	expect(r, "DescribeVpcs");
	gws_ec2_filter sf[] = {{"tag:kubernetes.io/role/elb", STRS("1")},
	                       {"vpc-id", STRS("vpc-1", "vpc-2")}};
	gws_ec2_filters sfl = {sf, 2};
	gws_aws_strings subnet_ids = STRS("subnet-a");
	gws_ec2_describe_subnets(c, a, &subnet_ids, &sfl, &subnets);
	expect(r, "DescribeSubnets");
	gws_aws_strings sg1 = STRS("sg-1");
	gws_ec2_describe_security_groups(c, a, &sg1, &cf, &groups);
	expect(r, "DescribeSecurityGroups");
	gws_aws_kv ab[] = {{"a", "b"}};
	gws_aws_kvs abk = {ab, 1};
	gws_ec2_create_security_group(c, a, "gw-sg", "gw sg for c1", "vpc-1", &abk, &group_id);
	expect(r, "CreateSecurityGroup");
	gws_ec2_delete_security_group(c, "sg-1");
	expect(r, "DeleteSecurityGroup");

	gws_ec2_peer any4 = {"0.0.0.0/0", "http from anywhere"}, any6 = {"::/0", NULL};
	gws_ec2_peer lbsg = {"sg-2", "lb"}, pl = {"pl-1", NULL};
	gws_ec2_ip_permission perms[] = {
	        {.ip_protocol = "tcp",
	         .has_ports = true,
	         .from_port = 80,
	         .to_port = 80,
	         .ip_ranges = &any4,
	         .ip_range_count = 1,
	         .ipv6_ranges = &any6,
	         .ipv6_range_count = 1},
	        {.ip_protocol = "tcp",
	         .has_ports = true,
	         .from_port = 443,
	         .to_port = 443,
	         .groups = &lbsg,
	         .group_count = 1,
	         .prefix_lists = &pl,
	         .prefix_list_count = 1},
	};
	gws_ec2_ip_permissions pl2 = {perms, 2};
	gws_ec2_authorize_security_group_ingress(c, "sg-1", &pl2);
	expect(r, "AuthorizeSecurityGroupIngress");
	gws_ec2_revoke_security_group_ingress(c, "sg-1", &pl2);
	expect(r, "RevokeSecurityGroupIngress");
	gws_aws_strings res2 = STRS("sg-1", "subnet-1");
	gws_aws_kv ct[] = {{"a", "b"}, {"e", ""}};
	gws_aws_kvs ctk = {ct, 2};
	gws_ec2_create_tags(c, &res2, &ctk);
	expect(r, "CreateTags");
	gws_aws_kv dt[] = {{"a", NULL}, {"b", "c"}};
	gws_aws_kvs dtk = {dt, 2};
	gws_ec2_delete_tags(c, &sg1, &dtk);
	expect(r, "DeleteTags");
	gws_sts_get_caller_identity(c, a, &id);
	expect(r, "GetCallerIdentity");
}

static void compare_with_fixtures(fixture_run *r)
{
	gws_buf log, want;
	const char *line, *src = aws_stub_env("GWSYNC_SOURCE_DIR", "../../..");
	char path[1024];
	size_t i = 0;

	assert_int_equal(aws_stub_log(&r->stub, &log), 0);
	for (line = gws_buf_cstr(&log); *line && i < r->count; i++) {
		const char *nl = strchr(line, '\n');
		json_error_t jerr;
		json_t *rec = json_loadb(line, nl ? (size_t)(nl - line) : strlen(line), 0, &jerr);
		const char *body;

		assert_non_null(rec);
		body = json_string_value(json_object_get(rec, "body"));
		snprintf(path, sizeof(path), "%s/tests/fixtures/aws/requests/%s.txt", src,
		         r->names[i]);
		gws_buf_init(&want, 1 << 20);
		assert_int_equal(gws_buf_read_file(&want, path), 0);
		if (strcmp(body, gws_buf_cstr(&want)) != 0)
			print_error("%s:\n ours: %s\n  cli: %s\n", r->names[i], body,
			            gws_buf_cstr(&want));
		assert_string_equal(body, gws_buf_cstr(&want));
		gws_buf_dispose(&want);
		json_decref(rec);
		line = nl ? nl + 1 : line + strlen(line);
	}
	assert_int_equal(i, r->count);
	gws_buf_dispose(&log);
}

static void test_bodies_match_awscli(void **state)
{
	fixture_run r;
	(void)state;

	memset(&r, 0, sizeof(r));
	aws_test_env("AKIDTEST", "testsecret", NULL);
	/* Every request gets a 400 ValidationError: never retried, so one
	 * request per call. */
	assert_int_equal(aws_stub_start(&r.stub, "query-fixtures",
	                                "[{\"repeat\": true, \"status\": 400, \"body\": "
	                                "\"<ErrorResponse><Error><Code>ValidationError</Code>"
	                                "<Message>m</Message></Error><RequestId>r</RequestId>"
	                                "</ErrorResponse>\"}]"),
	                 0);
	assert_int_equal(aws_test_client(&r.client, r.stub.url, &r.hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&r.arena), 0);
	run_elbv2_calls(&r);
	run_ec2_sts_calls(&r);
	assert_int_equal(aws_stub_count(&r.stub), r.count);
	compare_with_fixtures(&r);
	gws_arena_free(r.arena);
	gws_aws_client_free(r.client);
	aws_stub_stop(&r.stub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_encoder_basics),
	        cmocka_unit_test(test_encoder_keeps_first_error),
	        cmocka_unit_test(test_body_cap),
	        cmocka_unit_test(test_bodies_match_awscli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
