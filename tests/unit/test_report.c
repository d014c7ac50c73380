/*
 * The report files (docs/report.md): exact content for a small case offline
 * and with sync results, idempotent rewrites, the lastTransitionTime rule,
 * the inventory and its last changes, and the ownership of the directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "gwsync/report.h"
#include "helper_manifest.h"
#include "helper_report.h"

#define T1 ((time_t)1767225600) /* 2026-01-01T00:00:00Z */
#define T2 ((time_t)1767312000) /* 2026-01-02T00:00:00Z */
#define T3 ((time_t)1767398400) /* 2026-01-03T00:00:00Z */
#define GW "default/my-alb-gateway"

typedef struct {
	char *root;
	hr_model m;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	f->root = hm_mkroot();
	hr_model_build(&f->m, hr_golden("source-alb"), "demo");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	hr_model_dispose(&f->m);
	hm_rmrf(f->root);
	gws_free(f->root);
	free(f);
	return 0;
}

static void write_ok(const gws_report_input *in, const char *root, gws_report_result *res)
{
	int rc = gws_report_write(in, root, res);
	if (rc != 0)
		fail_msg("gws_report_write: %d %s", rc, gws_error_last());
}

static void assert_file(const char *path, const char *expected)
{
	char *got = hr_read(path, NULL);
	if (!got)
		fail_msg("%s: missing", path);
	if (strcmp(got, expected) != 0)
		fail_msg("%s differs:\n--- expected\n%s\n--- got\n%s", path, expected, got);
	free(got);
}

static const char class_yaml[] = "status:\n"
                                 "  conditions:\n"
                                 "  - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
                                 "    message: Accepted\n"
                                 "    reason: Accepted\n"
                                 "    status: \"True\"\n"
                                 "    type: Accepted\n";

static const char route_yaml[] = "status:\n"
                                 "  parents:\n"
                                 "  - conditions:\n"
                                 "    - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
                                 "      message: Route is accepted.\n"
                                 "      reason: Accepted\n"
                                 "      status: \"True\"\n"
                                 "      type: Accepted\n"
                                 "    - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
                                 "      message: \"\"\n"
                                 "      reason: ResolvedRefs\n"
                                 "      status: \"True\"\n"
                                 "      type: ResolvedRefs\n"
                                 "    controllerName: gateway.k8s.aws/alb\n"
                                 "    parentRef:\n"
                                 "      group: gateway.networking.k8s.io\n"
                                 "      kind: Gateway\n"
                                 "      name: my-alb-gateway\n"
                                 "      sectionName: http\n";

/* The Gateway file with the Programmed conditions and addresses given. */
static char *gateway_yaml(const char *addresses, const char *gw_programmed,
                          const char *listener_programmed)
{
	return gws_asprintf("status:\n"
	                    "%s"
	                    "  conditions:\n"
	                    "  - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	                    "    message: Accepted\n"
	                    "    reason: Accepted\n"
	                    "    status: \"True\"\n"
	                    "    type: Accepted\n"
	                    "%s"
	                    "  listeners:\n"
	                    "  - attachedRoutes: 1\n"
	                    "    conditions:\n"
	                    "    - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	                    "      message: Listener is accepted.\n"
	                    "      reason: Accepted\n"
	                    "      status: \"True\"\n"
	                    "      type: Accepted\n"
	                    "    - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	                    "      message: Listener has no conflict.\n"
	                    "      reason: NoConflicts\n"
	                    "      status: \"False\"\n"
	                    "      type: Conflicted\n"
	                    "    - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	                    "      message: Listener has all refs resolved.\n"
	                    "      reason: ResolvedRefs\n"
	                    "      status: \"True\"\n"
	                    "      type: ResolvedRefs\n"
	                    "%s"
	                    "    name: http\n"
	                    "    supportedKinds:\n"
	                    "    - group: gateway.networking.k8s.io\n"
	                    "      kind: HTTPRoute\n",
	                    addresses, gw_programmed, listener_programmed);
}

static void test_offline_exact(void **state)
{
	fixture *f = *state;
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;
	char *gw;

	write_ok(&in, f->root, &res);
	assert_int_equal(res.written, 5);
	assert_int_equal(res.removed, 0);
	assert_true(res.changed);
	assert_file(
	        hr_path(f->root, "demo", "status/_cluster/GatewayClass/aws-alb-gateway-class.yaml"),
	        class_yaml);
	assert_file(hr_path(f->root, "demo", "status/default/HTTPRoute/my-http-app-route.yaml"),
	            route_yaml);
	gw = gateway_yaml("",
	                  "  - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	                  "    message: Waiting for the load balancer to be created and active\n"
	                  "    reason: Pending\n"
	                  "    status: Unknown\n"
	                  "    type: Programmed\n",
	                  "    - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	                  "      message: Waiting for the load balancer to be programmed.\n"
	                  "      reason: Pending\n"
	                  "      status: Unknown\n"
	                  "      type: Programmed\n");
	assert_file(hr_path(f->root, "demo", "status/default/Gateway/my-alb-gateway.yaml"), gw);
	gws_free(gw);
	/* Offline with no previous inventory: the stack is listed, with nothing known. */
	assert_file(hr_path(f->root, "demo", "inventory.json"),
	            "{\n"
	            "  \"formatVersion\": \"1\",\n"
	            "  \"cluster\": \"demo\",\n"
	            "  \"stacks\": [\n"
	            "    {\n"
	            "      \"stack\": \"default/my-alb-gateway\",\n"
	            "      \"resources\": []\n"
	            "    }\n"
	            "  ]\n"
	            "}\n");
}

static void test_online_true_with_dns(void **state)
{
	fixture *f = *state;
	gws_report_gateway_result r = {
	        GW,
	        GWS_REPORT_TRUE,
	        "Programmed",
	        NULL,
	        "k8s-default-myalbgat-8f3f5c8391-1.eu-west-1.elb.amazonaws.com",
	        "load balancer created, 1 rule created"};
	gws_report_resource res_in[] = {
	        {GW, "LoadBalancer", "LoadBalancer", "k8s-default-myalbgat-8f3f5c8391",
	         "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/"
	         "k8s-default-myalbgat-8f3f5c8391/1",
	         "k8s-default-myalbgat-8f3f5c8391-1.eu-west-1.elb.amazonaws.com"},
	};
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;
	char *gw;

	in.gateways = &r;
	in.n_gateways = 1;
	in.observed = true;
	in.resources = res_in;
	in.n_resources = 1;
	in.source_commit = "89abcdef0123456789abcdef0123456789abcdef";
	write_ok(&in, f->root, &res);
	gw = gateway_yaml(
	        "  addresses:\n"
	        "  - type: Hostname\n"
	        "    value: k8s-default-myalbgat-8f3f5c8391-1.eu-west-1.elb.amazonaws.com\n",
	        "  - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	        "    message: The load balancer is active.\n"
	        "    reason: Programmed\n"
	        "    status: \"True\"\n"
	        "    type: Programmed\n",
	        "    - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	        "      message: Listener is programmed.\n"
	        "      reason: Programmed\n"
	        "      status: \"True\"\n"
	        "      type: Programmed\n");
	assert_file(hr_path(f->root, "demo", "status/default/Gateway/my-alb-gateway.yaml"), gw);
	gws_free(gw);
	assert_file(hr_path(f->root, "demo", "inventory.json"),
	            "{\n"
	            "  \"formatVersion\": \"1\",\n"
	            "  \"cluster\": \"demo\",\n"
	            "  \"stacks\": [\n"
	            "    {\n"
	            "      \"stack\": \"default/my-alb-gateway\",\n"
	            "      \"lastChange\": {\n"
	            "        \"sourceCommit\": \"89abcdef0123456789abcdef0123456789abcdef\",\n"
	            "        \"change\": \"load balancer created, 1 rule created\"\n"
	            "      },\n"
	            "      \"resources\": [\n"
	            "        {\n"
	            "          \"kind\": \"LoadBalancer\",\n"
	            "          \"id\": \"LoadBalancer\",\n"
	            "          \"name\": \"k8s-default-myalbgat-8f3f5c8391\",\n"
	            "          \"arn\": "
	            "\"arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/"
	            "k8s-default-myalbgat-8f3f5c8391/1\",\n"
	            "          \"dnsName\": "
	            "\"k8s-default-myalbgat-8f3f5c8391-1.eu-west-1.elb.amazonaws.com\"\n"
	            "        }\n"
	            "      ]\n"
	            "    }\n"
	            "  ]\n"
	            "}\n");
}

static void test_online_false_with_aws_error(void **state)
{
	fixture *f = *state;
	/* A reason the Gateway API does not have falls back to Invalid; the message
	 * keeps the AWS error, quoted so that it reads back the same; a registered
	 * secret never reaches the file. */
	gws_report_gateway_result r = {
	        GW,
	        GWS_REPORT_FALSE,
	        "ValidationError",
	        "ValidationError: You cannot specify a target group weight on load balancers of "
	        "type 'network' (request AKIDSECRETVALUE1234)",
	        NULL,
	        NULL};
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;
	char *gw;

	assert_int_equal(gws_secret_register("AKIDSECRETVALUE1234"), 0);
	in.gateways = &r;
	in.n_gateways = 1;
	write_ok(&in, f->root, &res);
	gws_secret_forget_all();
	gw = gateway_yaml(
	        "",
	        "  - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	        "    message: \"ValidationError: You cannot specify a target group weight "
	        "on load balancers of type 'network' (request ****)\"\n"
	        "    reason: Invalid\n"
	        "    status: \"False\"\n"
	        "    type: Programmed\n",
	        "    - lastTransitionTime: \"2026-01-01T00:00:00Z\"\n"
	        "      message: \"ValidationError: You cannot specify a target group "
	        "weight on load balancers of type 'network' (request ****)\"\n"
	        "      reason: Invalid\n"
	        "      status: \"False\"\n"
	        "      type: Programmed\n");
	assert_file(hr_path(f->root, "demo", "status/default/Gateway/my-alb-gateway.yaml"), gw);
	gws_free(gw);
}

/* A Gateway the model rejects stays Programmed=False whatever the sync says. */
static void test_model_false_wins(void **state)
{
	hr_model m;
	char *root = hm_mkroot();
	gws_report_gateway_result r = {"default/gw", GWS_REPORT_TRUE, NULL, NULL, "x.elb", NULL};
	gws_report_input in;
	gws_report_result res;
	char *text;
	(void)state;

	hm_write(root, "repo/gw.yaml",
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
	         "metadata: {name: alb}\nspec: {controllerName: gateway.k8s.aws/alb}\n---\n"
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
	         "metadata: {name: gw, namespace: default}\nspec:\n  gatewayClassName: alb\n"
	         "  listeners:\n  - {name: a, protocol: HTTP, port: 80}\n"
	         "  - {name: b, protocol: TCP, port: 81}\n",
	         (size_t)-1);
	text = gws_asprintf("%s/repo", root);
	hr_model_build(&m, text, "demo");
	gws_free(text);
	in = hr_input(&m, T1);
	in.gateways = &r;
	in.n_gateways = 1;
	write_ok(&in, root, &res);
	text = hr_read(hr_path(root, "demo", "status/default/Gateway/gw.yaml"), NULL);
	assert_non_null(text);
	assert_non_null(
	        strstr(text, "reason: Invalid\n    status: \"False\"\n    type: Programmed"));
	assert_null(strstr(text, "status: \"True\"\n    type: Programmed"));
	/* The address is a fact about AWS and is shown all the same. */
	assert_non_null(strstr(text, "addresses:\n  - type: Hostname\n    value: x.elb\n"));
	free(text);
	hr_model_dispose(&m);
	hm_rmrf(root);
	gws_free(root);
}

typedef struct {
	ino_t ino;
	struct timespec mtime;
} file_id;

static void ids(const char *root, const char *const *rel, size_t n, file_id *out)
{
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		assert_int_equal(stat(hr_path(root, "demo", rel[i]), &st), 0);
		out[i].ino = st.st_ino;
		out[i].mtime = st.st_mtim;
	}
}

static void test_second_write_is_inert(void **state)
{
	fixture *f = *state;
	static const char *const files[] = {
	        "SUMMARY.md", "inventory.json",
	        "status/_cluster/GatewayClass/aws-alb-gateway-class.yaml",
	        "status/default/Gateway/my-alb-gateway.yaml",
	        "status/default/HTTPRoute/my-http-app-route.yaml"};
	gws_report_gateway_result r = {GW, GWS_REPORT_TRUE, NULL, NULL, "a.elb", "1 rule updated"};
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;
	file_id before[5], after[5];

	in.gateways = &r;
	in.n_gateways = 1;
	in.observed = true;
	in.source_commit = "0123456789abcdef0123456789abcdef01234567";
	write_ok(&in, f->root, &res);
	assert_true(res.changed);
	ids(f->root, files, 5, before);
	/* Later, with nothing changed in AWS: same state, another time. */
	in.now = T2;
	r.change = NULL;
	write_ok(&in, f->root, &res);
	assert_false(res.changed);
	assert_int_equal(res.written, 0);
	assert_int_equal(res.removed, 0);
	assert_int_equal(res.unchanged, 5);
	ids(f->root, files, 5, after);
	for (size_t i = 0; i < 5; i++) {
		assert_true(before[i].ino == after[i].ino);
		assert_memory_equal(&before[i].mtime, &after[i].mtime, sizeof(before[i].mtime));
	}
}

/* The lastTransitionTime of `type` in the file, the n-th occurrence (0-based). */
static char *time_of(const char *path, const char *type, int nth)
{
	char *text = hr_read(path, NULL), *p, *result = NULL;
	char needle[128];
	assert_non_null(text);
	snprintf(needle, sizeof(needle), "type: %s\n", type);
	for (p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle)) {
		if (nth-- > 0)
			continue;
		/* Back to this condition's "- lastTransitionTime: " line. */
		char *start = p;
		while (start > text && strncmp(start, "- lastTransitionTime: \"", 23) != 0)
			start--;
		result = gws_strndup(start + 23, 20);
		break;
	}
	free(text);
	assert_non_null(result);
	return result;
}

static void assert_time(const char *root, const char *type, int nth, const char *expected)
{
	char *t = time_of(hr_path(root, "demo", "status/default/Gateway/my-alb-gateway.yaml"), type,
	                  nth);
	assert_string_equal(t, expected);
	gws_free(t);
}

static void test_last_transition_time(void **state)
{
	fixture *f = *state;
	gws_report_gateway_result r = {GW, GWS_REPORT_TRUE, NULL, NULL, "a.elb", NULL};
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;

	write_ok(&in, f->root, &res); /* offline: Programmed Unknown at T1 */
	in.now = T2;
	in.gateways = &r;
	in.n_gateways = 1;
	write_ok(&in, f->root, &res); /* Programmed True at T2 */
	assert_true(res.changed);
	/* type: Accepted appears for the Gateway (0) and the listener (1). */
	assert_time(f->root, "Accepted", 0, "2026-01-01T00:00:00Z");
	assert_time(f->root, "Accepted", 1, "2026-01-01T00:00:00Z");
	assert_time(f->root, "Conflicted", 0, "2026-01-01T00:00:00Z");
	assert_time(f->root, "Programmed", 0, "2026-01-02T00:00:00Z");
	assert_time(f->root, "Programmed", 1, "2026-01-02T00:00:00Z");

	/* A new message with the same status keeps the time (the file changes). */
	in.now = T3;
	r.message = "Active since the last run.";
	write_ok(&in, f->root, &res);
	assert_int_equal(res.written, 2); /* the Gateway file and SUMMARY.md */
	assert_time(f->root, "Programmed", 0, "2026-01-02T00:00:00Z");
	assert_time(f->root, "Programmed", 1, "2026-01-02T00:00:00Z");

	/* True → False moves it again; the route file never changed. */
	r.programmed = GWS_REPORT_FALSE;
	write_ok(&in, f->root, &res);
	assert_time(f->root, "Programmed", 0, "2026-01-03T00:00:00Z");
	assert_time(f->root, "Accepted", 0, "2026-01-01T00:00:00Z");
	assert_file(hr_path(f->root, "demo", "status/default/HTTPRoute/my-http-app-route.yaml"),
	            route_yaml);
}

/* Route parents are told apart by their parentRef: each keeps its own times. */
static void test_last_transition_time_per_parent(void **state)
{
	hr_model m;
	char *root = hm_mkroot();
	gws_report_input in;
	gws_report_result res;
	(void)state;

	hr_model_build(&m, hr_golden("alb-two-parent-refs"), "demo");
	in = hr_input(&m, T1);
	write_ok(&in, root, &res);
	in.now = T2;
	write_ok(&in, root, &res);
	assert_false(res.changed);
	hr_model_dispose(&m);
	hm_rmrf(root);
	gws_free(root);
}

static json_t *load_json(const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);
	if (!j)
		fail_msg("%s: %s", path, err.text);
	return j;
}

static void test_inventory_order_and_last_change(void **state)
{
	fixture *f = *state;
	gws_report_resource res_in[] = {
	        {GW, "TargetGroup", "b-tg", "k8s-b", "arn:tg/b", NULL},
	        {GW, "ListenerRule", "80:10", NULL, "arn:rule/10", NULL},
	        {"other/gw", "LoadBalancer", "LoadBalancer", "k8s-other", "arn:lb/o", "o.elb"},
	        {GW, "ListenerRule", "80:3", NULL, "arn:rule/3", NULL},
	        {GW, "Listener", "80", NULL, "arn:listener/80", "ignored.elb"},
	        {GW, "SecurityGroup", "ManagedLBSecurityGroup", "k8s-sg", "sg-1", NULL},
	        {GW, "LoadBalancer", "LoadBalancer", "k8s-lb", "arn:lb/1", "a.elb"},
	        {GW, "Instance", "x", NULL, "i-1", NULL}, /* not a kind gwsync owns */
	        {GW, "TargetGroup", "a-tg", "k8s-a", "arn:tg/a", NULL},
	};
	static const char *const order[] = {"arn:lb/1",   "sg-1",        "arn:listener/80",
	                                    "arn:rule/3", "arn:rule/10", "arn:tg/a",
	                                    "arn:tg/b"};
	gws_report_gateway_result r = {GW, GWS_REPORT_TRUE, NULL, NULL, "a.elb", "7 created"};
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;
	json_t *doc, *stacks, *list, *last;

	in.gateways = &r;
	in.n_gateways = 1;
	in.observed = true;
	in.resources = res_in;
	in.n_resources = GWS_ARRAY_SIZE(res_in);
	in.source_commit = "1111111111111111111111111111111111111111";
	write_ok(&in, f->root, &res);

	doc = load_json(hr_path(f->root, "demo", "inventory.json"));
	stacks = json_object_get(doc, "stacks");
	assert_int_equal(json_array_size(stacks), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(stacks, 0), "stack")),
	                    GW);
	assert_string_equal(json_string_value(json_object_get(json_array_get(stacks, 1), "stack")),
	                    "other/gw");
	list = json_object_get(json_array_get(stacks, 0), "resources");
	assert_int_equal(json_array_size(list), GWS_ARRAY_SIZE(order));
	for (size_t i = 0; i < GWS_ARRAY_SIZE(order); i++)
		assert_string_equal(
		        json_string_value(json_object_get(json_array_get(list, i), "arn")),
		        order[i]);
	/* dnsName belongs to load balancers only. */
	assert_null(json_object_get(json_array_get(list, 2), "dnsName"));
	/* "other/gw" changed nothing this run: no last change. */
	assert_null(json_object_get(json_array_get(stacks, 1), "lastChange"));
	json_decref(doc);

	/* A run that changes nothing keeps the last change (and its commit). */
	r.change = NULL;
	in.source_commit = "2222222222222222222222222222222222222222";
	in.now = T2;
	write_ok(&in, f->root, &res);
	assert_false(res.changed);

	/* Offline: the resources come from the previous inventory; a change line is
	 * still recorded with this run's commit. */
	in.observed = false;
	in.resources = NULL;
	in.n_resources = 0;
	r.change = "1 rule updated";
	write_ok(&in, f->root, &res);
	doc = load_json(hr_path(f->root, "demo", "inventory.json"));
	stacks = json_object_get(doc, "stacks");
	assert_int_equal(json_array_size(json_object_get(json_array_get(stacks, 0), "resources")),
	                 GWS_ARRAY_SIZE(order));
	last = json_object_get(json_array_get(stacks, 0), "lastChange");
	assert_string_equal(json_string_value(json_object_get(last, "sourceCommit")),
	                    "2222222222222222222222222222222222222222");
	assert_string_equal(json_string_value(json_object_get(last, "change")), "1 rule updated");
	json_decref(doc);

	/* Observed, but this stack could not be read: its resources stand. */
	{
		const char *const unread[] = {GW};
		in.observed = true;
		in.unread_stacks = unread;
		in.n_unread_stacks = 1;
		r.change = NULL;
		write_ok(&in, f->root, &res);
		doc = load_json(hr_path(f->root, "demo", "inventory.json"));
		stacks = json_object_get(doc, "stacks");
		/* other/gw was read and holds nothing any more. */
		assert_int_equal(json_array_size(stacks), 1);
		assert_int_equal(
		        json_array_size(json_object_get(json_array_get(stacks, 0), "resources")),
		        GWS_ARRAY_SIZE(order));
		json_decref(doc);
		in.unread_stacks = NULL;
		in.n_unread_stacks = 0;
	}

	/* Observed and owning nothing any more: the list empties. */
	in.observed = true;
	r.change = "7 deleted";
	write_ok(&in, f->root, &res);
	doc = load_json(hr_path(f->root, "demo", "inventory.json"));
	stacks = json_object_get(doc, "stacks");
	assert_int_equal(json_array_size(stacks), 1);
	assert_int_equal(json_array_size(json_object_get(json_array_get(stacks, 0), "resources")),
	                 0);
	json_decref(doc);
}

static void test_stale_files_go_rendered_stays(void **state)
{
	fixture *f = *state;
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;
	char *text;

	hm_write(f->root, ".gwsync/demo/status/old/Gateway/gone.yaml", "status: {}\n", (size_t)-1);
	hm_write(f->root, ".gwsync/demo/notes.txt", "hand-written\n", (size_t)-1);
	hm_write(f->root, ".gwsync/demo/rendered/tgb.yaml", "kind: TargetGroupBinding\n",
	         (size_t)-1);
	hm_write(f->root, ".gwsync/demo/status/default/Gateway/my-alb-gateway.yaml/x", "dir\n",
	         (size_t)-1);
	hm_write(f->root, ".gwsync/other/SUMMARY.md", "other cluster\n", (size_t)-1);
	hm_write(f->root, "README.md", "repository\n", (size_t)-1);
	write_ok(&in, f->root, &res);
	/* notes.txt, gone.yaml and the directory in the way (its one file). */
	assert_int_equal(res.removed, 3);
	assert_int_equal(access(hr_path(f->root, "demo", "notes.txt"), F_OK), -1);
	assert_int_equal(access(hr_path(f->root, "demo", "status/old"), F_OK), -1);
	text = hr_read(hr_path(f->root, "demo", "status/default/Gateway/my-alb-gateway.yaml"),
	               NULL);
	assert_non_null(text);
	free(text);
	assert_file(hr_path(f->root, "demo", "rendered/tgb.yaml"), "kind: TargetGroupBinding\n");
	assert_file(hr_path(f->root, "other", "SUMMARY.md"), "other cluster\n");
	text = gws_asprintf("%s/README.md", f->root);
	assert_file(text, "repository\n");
	gws_free(text);
}

static void test_cluster_names(void **state)
{
	gws_buf b = GWS_BUF_INIT(256);
	(void)state;
	assert_int_equal(gws_report_dir(&b, "prod-eu_1.a"), 0);
	assert_string_equal(gws_buf_cstr(&b), ".gwsync/prod-eu_1.a");
	gws_buf_clear(&b);
	assert_int_equal(gws_report_dir(&b, "../x"), GWS_EINVALID);
	assert_int_equal(gws_report_dir(&b, ".."), GWS_EINVALID);
	assert_int_equal(gws_report_dir(&b, ".hidden"), GWS_EINVALID);
	assert_int_equal(gws_report_dir(&b, ""), GWS_EINVALID);
	assert_int_equal(gws_report_dir(&b, "a\nb"), GWS_EINVALID);
	gws_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_offline_exact, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_online_true_with_dns, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_online_false_with_aws_error, setup, teardown),
	        cmocka_unit_test(test_model_false_wins),
	        cmocka_unit_test_setup_teardown(test_second_write_is_inert, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_last_transition_time, setup, teardown),
	        cmocka_unit_test(test_last_transition_time_per_parent),
	        cmocka_unit_test_setup_teardown(test_inventory_order_and_last_change, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_stale_files_go_rendered_stays, setup,
	                                        teardown),
	        cmocka_unit_test(test_cluster_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
