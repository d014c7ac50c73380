/*
 * Integration: every typed call against fakeaws (tests/fakeaws/server.py)
 * with SigV4 verification on and botocore request validation when
 * available, in the order a reconciler would make them, plus injected
 * throttling, a wrong secret and the semantic errors a reconciler meets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "aws/http.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

#define KEY    "AKIDGWSYNCFAKEAWS"
#define SECRET "gwsync-fakeaws-secret-0123456789"
#define CERT1  "arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555"
#define CERT2  "arn:aws:acm:us-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000"

typedef struct {
	aws_stub server;
	gws_aws_client *c;
	gws_arena *a;
	aws_test_hooks hooks;
} fx;

/* cmocka does not count a failed group setup as a failure: main does. */
static bool setup_ok;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	char py[256], server[512], errlog[512];
	const char *scratch = aws_stub_env("GWSYNC_SCRATCH", ".");

	if (!f)
		return -1;
	snprintf(py, sizeof(py), "%s", aws_stub_env("PYTHON3", "python3"));
	snprintf(server, sizeof(server), "%s/tests/fakeaws/server.py",
	         aws_stub_env("GWSYNC_SOURCE_DIR", "../../.."));
	snprintf(errlog, sizeof(errlog), "%s/fakeaws.stderr", scratch);
	char *const argv[] = {py,
	                      server,
	                      "--port",
	                      "0",
	                      "--seed",
	                      "3",
	                      "--region",
	                      "us-west-2",
	                      "--access-key-id",
	                      KEY,
	                      "--secret-access-key",
	                      SECRET,
	                      NULL};
	if (aws_stub_spawn(&f->server, argv, errlog) < 0)
		return -1;
	aws_test_env(KEY, SECRET, NULL);
	f->hooks.random_value = 0.01;
	if (aws_test_client(&f->c, f->server.url, &f->hooks, 0, 4, 0) < 0 ||
	    gws_arena_new(&f->a) < 0)
		return -1;
	*state = f;
	setup_ok = true;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;

	if (!f)
		return 0;
	gws_arena_free(f->a);
	gws_aws_client_free(f->c);
	aws_stub_stop(&f->server);
	free(f);
	return 0;
}

/* Send a JSON body to the emulator's control API. */
static void control_method(fx *f, const char *method, const char *path, const char *json)
{
	gws_http *http = NULL;
	gws_http_response resp;
	char url[256];
	const char *headers[] = {"Content-Type: application/json", NULL};
	gws_http_request req = {method, url, headers, json, strlen(json), 0, false, false, 0};

	snprintf(url, sizeof(url), "%s/_fake/%s", f->server.url, path);
	assert_int_equal(gws_http_new(&http, NULL), 0);
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	assert_int_equal(resp.status, 200);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
}

static void control(fx *f, const char *path, const char *json)
{
	control_method(f, "POST", path, json);
}

static const char *tag_value(const gws_aws_kvs *tags, const char *key)
{
	size_t i;

	for (i = 0; i < tags->count; i++) {
		if (strcmp(tags->items[i].key, key) == 0)
			return tags->items[i].value;
	}
	return NULL;
}

static void test_full_sequence(void **state)
{
	fx *f = *state;
	gws_aws_client *c = f->c;
	gws_arena *a = f->a;
	(void)c;

	/* ---- identity and network discovery ---- */
	gws_sts_caller_identity id;
	assert_int_equal(gws_sts_get_caller_identity(c, a, &id), 0);
	assert_string_equal(id.account, "123456789012");

	gws_ec2_filter cluster = {"tag:kubernetes.io/cluster/demo",
	                          {(const char *[]){"shared"}, 1}};
	gws_ec2_filters cf = {&cluster, 1};
	gws_ec2_vpcs vpcs;
	assert_int_equal(gws_ec2_describe_vpcs(c, a, NULL, &cf, &vpcs), 0);
	assert_int_equal(vpcs.count, 1);
	const char *vpc = vpcs.items[0].vpc_id;

	gws_ec2_filter sf[] = {{"tag:kubernetes.io/role/elb", {(const char *[]){"1"}, 1}},
	                       {"vpc-id", {&vpc, 1}}};
	gws_ec2_filters sfl = {sf, 2};
	gws_ec2_subnets subnets;
	assert_int_equal(gws_ec2_describe_subnets(c, a, NULL, &sfl, &subnets), 0);
	assert_int_equal(subnets.count, 3);
	const char *subnet_ids[3];
	for (size_t i = 0; i < 3; i++) {
		subnet_ids[i] = subnets.items[i].subnet_id;
		assert_string_equal(tag_value(&subnets.items[i].tags, "kubernetes.io/role/elb"),
		                    "1");
	}
	gws_aws_strings subnet_list = {subnet_ids, 3};

	/* ---- security group ---- */
	gws_aws_kv sg_tags[] = {{"gwsync.io/cluster", "c1"}};
	gws_aws_kvs sgt = {sg_tags, 1};
	const char *sg = NULL;
	assert_int_equal(gws_ec2_create_security_group(c, a, "gw-c1", "gwsync c1 load balancers",
	                                               vpc, &sgt, &sg),
	                 0);
	assert_non_null(sg);
	assert_int_equal(gws_ec2_create_security_group(c, a, "gw-c1", "again", vpc, NULL, &sg),
	                 GWS_ECONFLICT);
	assert_string_equal(gws_aws_client_last_error(c)->code, "InvalidGroup.Duplicate");
	sg = NULL;
	gws_ec2_filter byname = {"group-name", {(const char *[]){"gw-c1"}, 1}};
	gws_ec2_filters bn = {&byname, 1};
	gws_ec2_security_groups sgs;
	assert_int_equal(gws_ec2_describe_security_groups(c, a, NULL, &bn, &sgs), 0);
	assert_int_equal(sgs.count, 1);
	sg = sgs.items[0].group_id;
	gws_ec2_peer any4 = {"0.0.0.0/0", "http"}, any6 = {"::/0", NULL};
	gws_ec2_ip_permission perms[] = {{.ip_protocol = "tcp",
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
	                                  .ip_ranges = &any4,
	                                  .ip_range_count = 1}};
	gws_ec2_ip_permissions pl = {perms, 2}, first = {perms, 1};
	assert_int_equal(gws_ec2_authorize_security_group_ingress(c, sg, &pl), 0);
	assert_int_equal(gws_ec2_authorize_security_group_ingress(c, sg, &first), GWS_ECONFLICT);
	assert_int_equal(
	        gws_ec2_describe_security_groups(c, a, &(gws_aws_strings){&sg, 1}, NULL, &sgs), 0);
	assert_int_equal(sgs.items[0].ingress.count, 2);
	assert_string_equal(sgs.items[0].ingress.items[0].ip_ranges[0].description, "http");
	assert_string_equal(tag_value(&sgs.items[0].tags, "gwsync.io/cluster"), "c1");
	gws_ec2_ip_permissions second = {perms + 1, 1};
	assert_int_equal(gws_ec2_revoke_security_group_ingress(c, sg, &second), 0);
	gws_aws_kv more[] = {{"extra", "1"}};
	gws_aws_kvs mk = {more, 1};
	gws_aws_kv del[] = {{"extra", NULL}};
	gws_aws_kvs dk = {del, 1};
	assert_int_equal(gws_ec2_create_tags(c, &(gws_aws_strings){&sg, 1}, &mk), 0);
	assert_int_equal(gws_ec2_delete_tags(c, &(gws_aws_strings){&sg, 1}, &dk), 0);
	assert_int_equal(
	        gws_ec2_describe_security_groups(c, a, &(gws_aws_strings){&sg, 1}, NULL, &sgs), 0);
	assert_int_equal(sgs.items[0].ingress.count, 1);
	assert_null(tag_value(&sgs.items[0].tags, "extra"));

	/* ---- target groups ---- */
	gws_aws_kv own[] = {{"gwsync.io/cluster", "c1"}};
	gws_elbv2_create_target_group_input tgin = {.name = "gw-c1-web",
	                                            .protocol = "HTTP",
	                                            .port = 8080,
	                                            .vpc_id = vpc,
	                                            .health_check_path = "/healthz",
	                                            .matcher_http_code = "200-399",
	                                            .target_type = "ip",
	                                            .tags = {own, 1}};
	gws_elbv2_target_group tg1, tg2;
	assert_int_equal(gws_elbv2_create_target_group(c, a, &tgin, &tg1), 0);
	assert_int_equal(tg1.port, 8080);
	assert_string_equal(tg1.health_check_path, "/healthz");
	/* Idempotent with the same settings, a conflict with others. */
	gws_elbv2_target_group again;
	assert_int_equal(gws_elbv2_create_target_group(c, a, &tgin, &again), 0);
	assert_string_equal(again.arn, tg1.arn);
	tgin.port = 9090;
	assert_int_equal(gws_elbv2_create_target_group(c, a, &tgin, &again), GWS_ECONFLICT);
	assert_string_equal(gws_aws_client_last_error(c)->code, "DuplicateTargetGroupName");
	tgin.name = "gw-c1-api";
	assert_int_equal(gws_elbv2_create_target_group(c, a, &tgin, &tg2), 0);
	gws_elbv2_modify_target_group_input mtg = {.target_group_arn = tg1.arn,
	                                           .health_check_path = "/ready",
	                                           .health_check_interval = 10,
	                                           .health_check_timeout = 5};
	gws_elbv2_target_group modified;
	assert_int_equal(gws_elbv2_modify_target_group(c, a, &mtg, &modified), 0);
	assert_string_equal(modified.health_check_path, "/ready");
	assert_int_equal(modified.health_check_interval, 10);
	gws_aws_kv tga[] = {{"deregistration_delay.timeout_seconds", "30"}};
	gws_aws_kvs tgak = {tga, 1}, attrs;
	assert_int_equal(
	        gws_elbv2_modify_attributes(c, a, GWS_ELBV2_TARGET_GROUP, tg1.arn, &tgak, &attrs),
	        0);
	assert_int_equal(
	        gws_elbv2_describe_attributes(c, a, GWS_ELBV2_TARGET_GROUP, tg1.arn, &attrs), 0);
	assert_string_equal(tag_value(&attrs, "deregistration_delay.timeout_seconds"), "30");

	/* ---- load balancer ---- */
	gws_elbv2_create_load_balancer_input lbin = {.name = "gw-c1",
	                                             .subnets = subnet_list,
	                                             .security_groups = {&sg, 1},
	                                             .scheme = "internet-facing",
	                                             .tags = {own, 1},
	                                             .type = "application",
	                                             .ip_address_type = "ipv4"};
	gws_elbv2_load_balancer lb;
	assert_int_equal(gws_elbv2_create_load_balancer(c, a, &lbin, &lb), 0);
	assert_string_equal(lb.type, "application");
	assert_int_equal(lb.az_count, 3);
	lbin.scheme = "internal";
	gws_elbv2_load_balancer dup;
	assert_int_equal(gws_elbv2_create_load_balancer(c, a, &lbin, &dup), GWS_ECONFLICT);
	gws_elbv2_load_balancers lbs;
	gws_elbv2_describe_input by_arn = {{&lb.arn, 1}, {NULL, 0}, 0};
	assert_int_equal(gws_elbv2_describe_load_balancers(c, a, &by_arn, &lbs), 0);
	assert_int_equal(lbs.count, 1);
	assert_string_equal(lbs.items[0].dns_name, lb.dns_name);
	const char *missing = "no-such-lb";
	gws_elbv2_describe_input by_missing = {{NULL, 0}, {&missing, 1}, 0};
	assert_int_equal(gws_elbv2_describe_load_balancers(c, a, &by_missing, &lbs), GWS_ENOTFOUND);
	gws_aws_kv lba[] = {{"idle_timeout.timeout_seconds", "120"}};
	gws_aws_kvs lbak = {lba, 1};
	assert_int_equal(
	        gws_elbv2_modify_attributes(c, a, GWS_ELBV2_LOAD_BALANCER, lb.arn, &lbak, &attrs),
	        0);
	assert_string_equal(tag_value(&attrs, "idle_timeout.timeout_seconds"), "120");
	assert_int_equal(
	        gws_elbv2_describe_attributes(c, a, GWS_ELBV2_LOAD_BALANCER, lb.arn, &attrs), 0);
	assert_string_equal(tag_value(&attrs, "idle_timeout.timeout_seconds"), "120");
	assert_int_equal(gws_elbv2_set_security_groups(c, lb.arn, &(gws_aws_strings){&sg, 1}), 0);
	gws_aws_strings two_subnets = {subnet_ids, 2};
	assert_int_equal(gws_elbv2_set_subnets(c, lb.arn, &two_subnets, NULL), 0);
	assert_int_equal(gws_elbv2_set_ip_address_type(c, lb.arn, "ipv4"), 0);

	/* ---- listeners ---- */
	gws_elbv2_action not_found = {.type = "fixed-response",
	                              .fixed_message_body = "not found",
	                              .fixed_status_code = "404",
	                              .fixed_content_type = "text/plain"};
	gws_elbv2_create_listener_input http = {.load_balancer_arn = lb.arn,
	                                        .protocol = "HTTP",
	                                        .port = 80,
	                                        .default_actions = {&not_found, 1}};
	gws_elbv2_listener l80, l443;
	assert_int_equal(gws_elbv2_create_listener(c, a, &http, &l80), 0);
	assert_int_equal(l80.port, 80);
	gws_elbv2_certificate cert1 = {CERT1, GWS_AWS_UNSET}, cert2 = {CERT2, GWS_AWS_UNSET};
	gws_elbv2_create_listener_input https = {.load_balancer_arn = lb.arn,
	                                         .protocol = "HTTPS",
	                                         .port = 443,
	                                         .ssl_policy =
	                                                 "ELBSecurityPolicy-TLS13-1-2-2021-06",
	                                         .certificates = {&cert1, 1},
	                                         .default_actions = {&not_found, 1},
	                                         .tags = {own, 1}};
	assert_int_equal(gws_elbv2_create_listener(c, a, &https, &l443), 0);
	gws_elbv2_listeners ls;
	assert_int_equal(gws_elbv2_describe_listeners(c, a, lb.arn, NULL, &ls), 0);
	assert_int_equal(ls.count, 2);
	gws_elbv2_tg_tuple to_tg1 = {tg1.arn, false, 0};
	gws_elbv2_action fwd1 = {
	        .type = "forward", .target_groups = &to_tg1, .target_group_count = 1};
	gws_elbv2_modify_listener_input ml = {.listener_arn = l80.arn,
	                                      .default_actions = {&fwd1, 1}};
	gws_elbv2_listener lmod;
	assert_int_equal(gws_elbv2_modify_listener(c, a, &ml, &lmod), 0);
	assert_string_equal(lmod.default_actions.items[0].type, "forward");
	gws_aws_kv la[] = {{"routing.http.response.server.enabled", "false"}};
	gws_aws_kvs lak = {la, 1};
	assert_int_equal(
	        gws_elbv2_modify_attributes(c, a, GWS_ELBV2_LISTENER, l80.arn, &lak, &attrs), 0);
	assert_int_equal(gws_elbv2_describe_attributes(c, a, GWS_ELBV2_LISTENER, l80.arn, &attrs),
	                 0);
	assert_string_equal(tag_value(&attrs, "routing.http.response.server.enabled"), "false");
	gws_elbv2_certificates extra = {&cert2, 1}, certs;
	assert_int_equal(gws_elbv2_add_listener_certificates(c, l443.arn, &extra), 0);
	assert_int_equal(gws_elbv2_describe_listener_certificates(c, a, l443.arn, &certs), 0);
	assert_int_equal(certs.count, 2);
	assert_int_equal(gws_elbv2_remove_listener_certificates(c, l443.arn, &extra), 0);
	assert_int_equal(gws_elbv2_describe_listener_certificates(c, a, l443.arn, &certs), 0);
	assert_int_equal(certs.count, 1);

	/* ---- rules ---- */
	gws_elbv2_tg_tuple split[] = {{tg1.arn, true, 80}, {tg2.arn, true, 20}};
	gws_elbv2_action weighted = {.type = "forward",
	                             .target_groups = split,
	                             .target_group_count = 2,
	                             .stickiness_enabled = GWS_AWS_FALSE};
	gws_aws_kv q[] = {{"version", "2"}};
	gws_elbv2_condition api[] = {
	        {.field = "path-pattern", .path_pattern = {(const char *[]){"/api/*"}, 1}},
	        {.field = "host-header", .host_header = {(const char *[]){"app.example.com"}, 1}},
	        {.field = "query-string", .query_string = {q, 1}},
	};
	gws_elbv2_create_rule_input r1in = {l80.arn, {api, 3}, 10, {&weighted, 1}, {own, 1}, {0}};
	gws_elbv2_rule r1, r2;
	assert_int_equal(gws_elbv2_create_rule(c, a, &r1in, &r1), 0);
	assert_string_equal(r1.priority, "10");
	assert_int_equal(r1.actions.items[0].target_group_count, 2);
	assert_int_equal(gws_elbv2_create_rule(c, a, &r1in, &r2), GWS_ECONFLICT);
	assert_string_equal(gws_aws_client_last_error(c)->code, "PriorityInUse");
	gws_elbv2_action redirect = {.type = "redirect",
	                             .redirect_protocol = "HTTPS",
	                             .redirect_port = "443",
	                             .redirect_status_code = "HTTP_301"};
	gws_elbv2_condition old = {.field = "path-pattern",
	                           .values = {(const char *[]){"/old"}, 1}};
	gws_elbv2_create_rule_input r2in = {l80.arn, {&old, 1}, 20, {&redirect, 1}, {0}, {0}};
	assert_int_equal(gws_elbv2_create_rule(c, a, &r2in, &r2), 0);
	gws_elbv2_rule_priority swap[] = {{r1.arn, 20}, {r2.arn, 10}};
	gws_elbv2_rules rules;
	assert_int_equal(gws_elbv2_set_rule_priorities(c, a, swap, 2, &rules), 0);
	assert_int_equal(rules.count, 2);
	assert_int_equal(gws_elbv2_describe_rules(c, a, l80.arn, NULL, &rules), 0);
	assert_int_equal(rules.count, 3);
	assert_string_equal(rules.items[rules.count - 1].priority, "default");
	for (size_t i = 0; i < rules.count; i++) {
		if (strcmp(rules.items[i].arn, r1.arn) == 0)
			assert_string_equal(rules.items[i].priority, "20");
	}
	gws_elbv2_modify_rule_input mr = {.rule_arn = r2.arn, .actions = {&fwd1, 1}};
	gws_elbv2_rule r2mod;
	assert_int_equal(gws_elbv2_modify_rule(c, a, &mr, &r2mod), 0);
	assert_string_equal(r2mod.actions.items[0].type, "forward");
	assert_int_equal(gws_elbv2_delete_rule(c, r2.arn), 0);
	assert_int_equal(gws_elbv2_delete_rule(c, rules.items[rules.count - 1].arn), GWS_EREMOTE);
	assert_string_equal(gws_aws_client_last_error(c)->code, "OperationNotPermitted");

	/* ---- tags ---- */
	const char *tagged[] = {lb.arn, tg1.arn, tg2.arn, l443.arn};
	gws_aws_strings tl = {tagged, 4};
	gws_aws_kv add[] = {{"gwsync.io/gateway", "ns/gw"}};
	gws_aws_kvs addk = {add, 1};
	assert_int_equal(gws_elbv2_add_tags(c, &tl, &addk), 0);
	gws_elbv2_tag_descriptions td;
	assert_int_equal(gws_elbv2_describe_tags(c, a, &tl, &td), 0);
	assert_int_equal(td.count, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(td.items[i].resource_arn, tagged[i]);
		assert_string_equal(tag_value(&td.items[i].tags, "gwsync.io/gateway"), "ns/gw");
	}
	gws_aws_strings keys = {(const char *[]){"gwsync.io/gateway"}, 1};
	assert_int_equal(gws_elbv2_remove_tags(c, &tl, &keys), 0);
	assert_int_equal(gws_elbv2_describe_tags(c, a, &tl, &td), 0);
	assert_null(tag_value(&td.items[0].tags, "gwsync.io/gateway"));
	assert_string_equal(tag_value(&td.items[0].tags, "gwsync.io/cluster"), "c1");

	/* ---- targets ---- */
	gws_elbv2_target t[] = {{"10.0.1.5", 8080, NULL}, {"10.0.1.6", 8080, NULL}};
	gws_elbv2_targets tt = {t, 2}, one = {t, 1};
	assert_int_equal(gws_elbv2_register_targets(c, tg1.arn, &tt), 0);
	gws_elbv2_target_healths th;
	assert_int_equal(gws_elbv2_describe_target_health(c, a, tg1.arn, NULL, &th), 0);
	assert_int_equal(th.count, 2);
	assert_non_null(th.items[0].state);
	assert_int_equal(gws_elbv2_deregister_targets(c, tg1.arn, &one), 0);
	assert_int_equal(gws_elbv2_describe_target_health(c, a, tg1.arn, &one, &th), 0);
	assert_int_equal(th.count, 1);

	/* ---- a batch of reads, as the observer makes them ---- */
	gws_elbv2_rules r80, r443;
	gws_elbv2_target_groups tgs;
	int rcs[3];
	assert_int_equal(gws_aws_batch_begin(c), 0);
	gws_elbv2_describe_rules(c, a, l80.arn, NULL, &r80);
	gws_elbv2_describe_rules(c, a, l443.arn, NULL, &r443);
	gws_elbv2_describe_target_groups(c, a, lb.arn, NULL, &tgs);
	assert_int_equal(gws_aws_batch_run(c, rcs, 3), 0);
	assert_int_equal(r80.count, 2);
	assert_int_equal(r443.count, 1);
	assert_int_equal(tgs.count, 2);

	/* ---- throttling injected by the emulator is retried ---- */
	control(f, "faults",
	        "{\"service\": \"elasticloadbalancing\", \"action\": \"DescribeLoadBalancers\", "
	        "\"kind\": \"throttle\", \"count\": 2}");
	gws_aws_stats before, after;
	gws_aws_client_stats(c, &before);
	assert_int_equal(gws_elbv2_describe_load_balancers(c, a, NULL, &lbs), 0);
	gws_aws_client_stats(c, &after);
	assert_int_equal(after.throttled - before.throttled, 2);
	assert_int_equal(lbs.count, 1);

	/* ---- teardown in dependency order ---- */
	assert_int_equal(gws_elbv2_delete_target_group(c, tg1.arn), GWS_ECONFLICT);
	assert_string_equal(gws_aws_client_last_error(c)->code, "ResourceInUse");
	assert_int_equal(gws_elbv2_delete_listener(c, l443.arn), 0);
	assert_int_equal(gws_elbv2_delete_load_balancer(c, lb.arn), 0);
	assert_int_equal(gws_elbv2_delete_target_group(c, tg1.arn), 0);
	assert_int_equal(gws_elbv2_delete_target_group(c, tg2.arn), 0);
	assert_int_equal(gws_ec2_delete_security_group(c, sg), 0);
	assert_int_equal(gws_ec2_delete_security_group(c, sg), GWS_ENOTFOUND);
	assert_int_equal(gws_elbv2_describe_load_balancers(c, a, NULL, &lbs), 0);
	assert_int_equal(lbs.count, 0);
}

/* A write whose reply never comes may have happened. The client sends it
 * again: an idempotent create answers with what the first attempt made, a
 * repeated delete finds it done, and a server that answers nothing at all
 * leaves the outcome unknown after every attempt; never a second object. */
static void test_unknown_outcome(void **state)
{
	fx *f = *state;
	gws_elbv2_create_target_group_input in = {.name = "gw-c1-dropped",
	                                          .protocol = "HTTP",
	                                          .port = 8080,
	                                          .vpc_id = "vpc-0de0000000000000a",
	                                          .target_type = "ip"};
	gws_elbv2_target_group tg, again;
	gws_elbv2_target_groups tgs;
	const char *name = "gw-c1-dropped";
	gws_elbv2_describe_input by_name = {{NULL, 0}, {&name, 1}, 0};
	gws_aws_stats before, after;

	/* The create happens, its reply is lost; the repeat gets the same group. */
	control(f, "faults",
	        "{\"action\": \"CreateTargetGroup\", \"kind\": \"drop\", \"count\": 1}");
	gws_aws_client_stats(f->c, &before);
	assert_int_equal(gws_elbv2_create_target_group(f->c, f->a, &in, &tg), 0);
	gws_aws_client_stats(f->c, &after);
	assert_int_equal(after.requests - before.requests, 2);
	assert_int_equal(gws_elbv2_describe_target_groups(f->c, f->a, NULL, &by_name, &tgs), 0);
	assert_int_equal(tgs.count, 1);
	assert_string_equal(tgs.items[0].arn, tg.arn);

	/* The delete happens, its reply is lost; deleting a target group that
	 * is gone succeeds, so the repeat settles it. (A repeat that is refused
	 * is an unknown outcome: test_aws_retry.) */
	control(f, "faults",
	        "{\"action\": \"DeleteTargetGroup\", \"kind\": \"drop\", \"count\": 1}");
	gws_aws_client_stats(f->c, &before);
	assert_int_equal(gws_elbv2_delete_target_group(f->c, tg.arn), 0);
	gws_aws_client_stats(f->c, &after);
	assert_int_equal(after.requests - before.requests, 2);
	assert_int_equal(gws_elbv2_describe_target_groups(f->c, f->a, NULL, NULL, &tgs), 0);
	for (size_t i = 0; i < tgs.count; i++)
		assert_string_not_equal(tgs.items[i].name, name);

	/* The server applies the create and then answers nothing at all. */
	control(f, "crash",
	        "{\"after_mutations\": 1, \"drop_response\": true, \"mode\": \"reset\"}");
	gws_aws_client_stats(f->c, &before);
	assert_int_equal(gws_elbv2_create_target_group(f->c, f->a, &in, &again),
	                 GWS_EUNKNOWN_OUTCOME);
	gws_aws_client_stats(f->c, &after);
	assert_int_equal(after.requests - before.requests, 3);
	assert_non_null(strstr(gws_error_last(), "outcome unknown"));
	control_method(f, "DELETE", "crash", "{}");
	assert_int_equal(gws_elbv2_describe_target_groups(f->c, f->a, NULL, &by_name, &tgs), 0);
	assert_int_equal(tgs.count, 1);
	assert_int_equal(gws_elbv2_delete_target_group(f->c, tgs.items[0].arn), 0);
}

/* A client signing with the wrong secret is refused, and not retried. */
static void test_wrong_secret(void **state)
{
	fx *f = *state;
	gws_aws_client *bad = NULL;
	aws_test_hooks hooks = {0};
	gws_sts_caller_identity id;

	aws_test_env(KEY, "not-the-secret", NULL);
	assert_int_equal(aws_test_client(&bad, f->server.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_sts_get_caller_identity(bad, f->a, &id), GWS_EAUTH);
	assert_string_equal(gws_aws_client_last_error(bad)->code, "SignatureDoesNotMatch");
	assert_int_equal(gws_aws_client_last_error(bad)->attempts, 1);
	gws_aws_client_free(bad);
	aws_test_env(KEY, SECRET, NULL);
}

/* A client of the emulator with its own credentials and clock. */
static int hooked_client(gws_aws_client **out, fx *f, time_t (*now)(void *ctx), void *ctx)
{
	return aws_test_client_at(out, f->server.url, ctx, 0, 0, 0, now);
}

/* Container credentials that the emulator expires mid-run: the next call
 * gets ExpiredToken, the client refreshes them and the call succeeds. */
static void test_credentials_expire_mid_run(void **state)
{
	fx *f = *state;
	gws_aws_client *c = NULL;
	aws_test_hooks hooks = {0};
	gws_sts_caller_identity id;
	gws_aws_stats before, after;
	char url[256];

	aws_test_env(KEY, SECRET, NULL);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	snprintf(url, sizeof(url), "%s/v1/credentials", f->server.url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	assert_int_equal(hooked_client(&c, f, NULL, &hooks), 0);
	if (gws_sts_get_caller_identity(c, f->a, &id) != 0)
		fail_msg("first call: %s", gws_error_last());
	control(f, "expire-credentials", "{}");
	gws_aws_client_stats(c, &before);
	if (gws_sts_get_caller_identity(c, f->a, &id) != 0)
		fail_msg("call after expiry: %s", gws_error_last());
	gws_aws_client_stats(c, &after);
	assert_int_equal(after.requests - before.requests, 2);
	assert_int_equal(after.retries - before.retries, 1);
	gws_aws_client_free(c);
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	aws_test_env(KEY, SECRET, NULL);
}

static time_t hour_slow(void *ctx)
{
	(void)ctx;
	return time(NULL) - 3600;
}

/* A host clock an hour slow: RequestTimeTooSkewed once, then every call is
 * signed with the emulator's time. */
static void test_clock_skew(void **state)
{
	fx *f = *state;
	gws_aws_client *c = NULL;
	aws_test_hooks hooks = {0};
	gws_sts_caller_identity id;
	gws_aws_stats st;

	assert_int_equal(hooked_client(&c, f, hour_slow, &hooks), 0);
	if (gws_sts_get_caller_identity(c, f->a, &id) != 0)
		fail_msg("skewed call: %s", gws_error_last());
	if (gws_sts_get_caller_identity(c, f->a, &id) != 0)
		fail_msg("second call: %s", gws_error_last());
	gws_aws_client_stats(c, &st);
	assert_int_equal(st.requests, 3);
	assert_int_equal(st.retries, 1);
	gws_aws_client_free(c);
}

/* A CI profile chaining a role from static keys: the client assumes it
 * through the emulator (signature verified) and calls as the role. */
static void test_assume_role_profile(void **state)
{
	fx *f = *state;
	gws_aws_client *c = NULL;
	aws_test_hooks hooks = {0};
	gws_sts_caller_identity id;
	const char *scratch = aws_stub_env("GWSYNC_SCRATCH", ".");
	char conf[600], creds[600];
	FILE *fp;

	snprintf(conf, sizeof(conf), "%s/assume.config", scratch);
	snprintf(creds, sizeof(creds), "%s/assume.credentials", scratch);
	fp = fopen(conf, "w");
	assert_non_null(fp);
	fputs("[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/gw-deploy\n"
	      "source_profile = base\nrole_session_name = ci-job\n",
	      fp);
	fclose(fp);
	fp = fopen(creds, "w");
	assert_non_null(fp);
	fputs("[base]\naws_access_key_id = " KEY "\naws_secret_access_key = " SECRET "\n", fp);
	fclose(fp);
	aws_test_env(KEY, SECRET, NULL);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	setenv("AWS_CONFIG_FILE", conf, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
	setenv("AWS_PROFILE", "ci", 1);
	assert_int_equal(hooked_client(&c, f, NULL, &hooks), 0);
	if (gws_sts_get_caller_identity(c, f->a, &id) != 0)
		fail_msg("call as the assumed role: %s", gws_error_last());
	assert_string_equal(id.arn, "arn:aws:sts::123456789012:assumed-role/gw-deploy/ci-job");
	gws_aws_client_free(c);
	unsetenv("AWS_PROFILE");
	aws_test_env(KEY, SECRET, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_full_sequence),
	        cmocka_unit_test(test_unknown_outcome),
	        cmocka_unit_test(test_wrong_secret),
	        cmocka_unit_test(test_credentials_expire_mid_run),
	        cmocka_unit_test(test_clock_skew),
	        cmocka_unit_test(test_assume_role_profile),
	};
	int failed = cmocka_run_group_tests(tests, setup, teardown);

	return failed || !setup_ok;
}
