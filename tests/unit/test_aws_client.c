/*
 * The client: error mapping and the last-error details, batches and their
 * order, the concurrency bound, the rate limit, DescribeTags chunking,
 * configuration failures, signing headers, and secrets kept out of logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "aws/call.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

#define THROTTLE_ONCE                                                                              \
	"{\"action\": \"DescribeLoadBalancers\", \"status\": 400, \"body\": "                      \
	"\"<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message>"          \
	"</Error></ErrorResponse>\"},"

#define THROTTLE_TAGS                                                                              \
	"{\"action\": \"DescribeTags\", \"status\": 400, \"body\": "                               \
	"\"<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message>"          \
	"</Error></ErrorResponse>\"},"

static void test_error_mapping(void **state)
{
	(void)state;
	assert_int_equal(gws_aws__map_error("InvalidClientTokenId", 403), GWS_EAUTH);
	assert_int_equal(gws_aws__map_error("SignatureDoesNotMatch", 403), GWS_EAUTH);
	assert_int_equal(gws_aws__map_error("AccessDenied", 403), GWS_EAUTH);
	assert_int_equal(gws_aws__map_error("ExpiredToken", 400), GWS_EAUTH);
	assert_int_equal(gws_aws__map_error("UnauthorizedOperation", 403), GWS_EAUTH);
	assert_int_equal(gws_aws__map_error("AuthFailure", 401), GWS_EAUTH);
	assert_int_equal(gws_aws__map_error("", 403), GWS_EAUTH);
	assert_int_equal(gws_aws__map_error("Throttling", 400), GWS_ETHROTTLED);
	assert_int_equal(gws_aws__map_error("RequestLimitExceeded", 503), GWS_ETHROTTLED);
	assert_int_equal(gws_aws__map_error("", 429), GWS_ETHROTTLED);
	assert_int_equal(gws_aws__map_error("LoadBalancerNotFound", 400), GWS_ENOTFOUND);
	assert_int_equal(gws_aws__map_error("InvalidGroup.NotFound", 400), GWS_ENOTFOUND);
	assert_int_equal(gws_aws__map_error("InvalidSubnetID.NotFound", 400), GWS_ENOTFOUND);
	assert_int_equal(gws_aws__map_error("DuplicateLoadBalancerName", 400), GWS_ECONFLICT);
	assert_int_equal(gws_aws__map_error("InvalidGroup.Duplicate", 400), GWS_ECONFLICT);
	assert_int_equal(gws_aws__map_error("InvalidPermission.Duplicate", 400), GWS_ECONFLICT);
	assert_int_equal(gws_aws__map_error("PriorityInUse", 400), GWS_ECONFLICT);
	assert_int_equal(gws_aws__map_error("ResourceInUse", 400), GWS_ECONFLICT);
	assert_int_equal(gws_aws__map_error("DependencyViolation", 400), GWS_ECONFLICT);
	assert_int_equal(gws_aws__map_error("ValidationError", 400), GWS_EREMOTE);
	assert_int_equal(gws_aws__map_error("TooManyRules", 400), GWS_EREMOTE);
	assert_int_equal(gws_aws__map_error(NULL, 500), GWS_EREMOTE);
}

static void test_not_found_details_and_signing(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_load_balancers lbs;
	const char *name = "missing-lb";
	gws_elbv2_describe_input in = {{NULL, 0}, {&name, 1}, 0};
	const gws_aws_error *e;
	gws_buf log;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", "sessiontoken");
	assert_int_equal(aws_stub_start(&stub, "notfound",
	                                "[{\"status\": 400, \"headers\": {\"x-amzn-RequestId\": "
	                                "\"hdr-id\"}, \"body_file\": "
	                                "\"error-elbv2-LoadBalancerNotFound.xml\"}]"),
	                 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_elbv2_describe_load_balancers(c, a, &in, &lbs), GWS_ENOTFOUND);
	assert_int_equal(lbs.count, 0);
	e = gws_aws_client_last_error(c);
	assert_int_equal(e->status, 400);
	assert_string_equal(e->code, "LoadBalancerNotFound");
	assert_string_equal(e->message, "Load balancers '[missing-lb]' not found");
	/* The body's request id wins over the header's. */
	assert_int_equal(strlen(e->request_id), 36);
	assert_string_equal(e->service, "elasticloadbalancing");
	assert_int_equal(e->attempts, 1);
	assert_int_equal(gws_error_last_code(), GWS_ENOTFOUND);
	assert_non_null(strstr(gws_error_last(), "DescribeLoadBalancers: LoadBalancerNotFound"));

	/* What went on the wire: signed for elasticloadbalancing/us-west-2,
	 * with the session token and the exact content type. */
	assert_int_equal(aws_stub_log(&stub, &log), 0);
	assert_non_null(strstr(gws_buf_cstr(&log), "Credential=AKIDTEST/"));
	assert_non_null(strstr(gws_buf_cstr(&log), "/us-west-2/elasticloadbalancing/aws4_request"));
	assert_non_null(strstr(gws_buf_cstr(&log), "\"X-Amz-Security-Token\": \"sessiontoken\""));
	assert_non_null(
	        strstr(gws_buf_cstr(&log), "application/x-www-form-urlencoded; charset=utf-8"));
	assert_non_null(strstr(gws_buf_cstr(&log), "\"path\": \"/\""));
	gws_buf_dispose(&log);
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

static void test_ec2_error_shape_and_auth(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(aws_stub_start(&stub, "ec2err",
	                                "[{\"status\": 400, \"body_file\": "
	                                "\"error-ec2-InvalidGroup.NotFound.xml\"},"
	                                "{\"status\": 403, \"body\": \"<ErrorResponse><Error><Code>"
	                                "SignatureDoesNotMatch</Code><Message>no</Message></Error>"
	                                "</ErrorResponse>\"}]"),
	                 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_ec2_delete_security_group(c, "sg-0000000000000dead"), GWS_ENOTFOUND);
	assert_string_equal(gws_aws_client_last_error(c)->code, "InvalidGroup.NotFound");
	assert_int_equal(strlen(gws_aws_client_last_error(c)->request_id), 36);
	assert_int_equal(gws_ec2_delete_security_group(c, "sg-1"), GWS_EAUTH);
	assert_int_equal(aws_stub_count(&stub), 2);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* A 2xx that cannot be read fails a read with the reason; a write with
 * nothing to decode succeeds on its status alone. */
static void test_unreadable_success(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_target_healths th;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(
	        aws_stub_start(&stub, "unreadable",
	                       "[{\"action\": \"DescribeTargetHealth\", \"body\": \"<not xml\"},"
	                       "{\"action\": \"DescribeTargetHealth\", \"body\": "
	                       "\"<DescribeTargetHealthResponse><DescribeTargetHealthResult>"
	                       "<TargetHealthDescriptions><member><Target><Port>x</Port></Target>"
	                       "</member></TargetHealthDescriptions></DescribeTargetHealthResult>"
	                       "</DescribeTargetHealthResponse>\"},"
	                       "{\"action\": \"DeregisterTargets\", \"body\": \"\"}]"),
	        0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_elbv2_describe_target_health(c, a, "tg", NULL, &th), GWS_EREMOTE);
	assert_non_null(strstr(gws_error_last(), "DescribeTargetHealth: unreadable response"));
	assert_int_equal(gws_elbv2_describe_target_health(c, a, "tg", NULL, &th), GWS_EREMOTE);
	assert_non_null(strstr(gws_error_last(), "cannot decode the response"));
	assert_non_null(strstr(gws_error_last(), "Port"));
	assert_int_equal(gws_elbv2_deregister_targets(c, "tg", NULL), 0);
	assert_int_equal(aws_stub_count(&stub), 3);
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

static void test_configuration_failures(void **state)
{
	gws_aws_client *c = NULL;
	aws_test_hooks hooks = {0};
	gws_aws_overrides ov = {NULL, "http://127.0.0.1:9", NULL, 0};
	gws_aws_client_options opts;
	gws_arena *a = NULL;
	gws_sts_caller_identity id;
	(void)state;

	/* No region anywhere: the first call says so, nothing is sent. */
	aws_test_env("AKIDTEST", "testsecret", NULL);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	memset(&opts, 0, sizeof(opts));
	opts.overrides = &ov;
	opts.sleep_ms = aws_test_sleep;
	opts.hook_ctx = &hooks;
	assert_int_equal(gws_aws_client_new(&c, &opts), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_sts_get_caller_identity(c, a, &id), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "region"));
	gws_aws_client_free(c);

	/* No credentials: GWS_EAUTH before any request. */
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	ov.region = "us-west-2";
	assert_int_equal(gws_aws_client_new(&c, &opts), 0);
	assert_int_equal(gws_sts_get_caller_identity(c, a, &id), GWS_EAUTH);
	gws_aws_client_free(c);

	opts.concurrency = -1;
	assert_int_equal(gws_aws_client_new(&c, &opts), GWS_EINVALID);
	assert_null(c);
	gws_arena_free(a);
}

/* DescribeTags of 45 ARNs: three requests of 20, 20 and 5, all answered,
 * results in input order. */
static void test_describe_tags_chunks(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_tag_descriptions out;
	char arns_buf[45][80];
	const char *arns_in[45];
	gws_aws_strings arns = {arns_in, 45};
	gws_buf log;
	size_t i;
	(void)state;

	for (i = 0; i < 45; i++) {
		snprintf(arns_buf[i], sizeof(arns_buf[i]),
		         "arn:aws:elasticloadbalancing:us-west-2:1:targetgroup/tg-%02zu/1", i);
		arns_in[i] = arns_buf[i];
	}
	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(
	        aws_stub_start(&stub, "tagchunks",
	                       "[{\"repeat\": true, \"echo_tags\": true, \"delay\": 0.2}]"),
	        0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 8, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_elbv2_describe_tags(c, a, &arns, &out), 0);
	assert_int_equal(aws_stub_count(&stub), 3);
	assert_int_equal(out.count, 45);
	for (i = 0; i < 45; i++) {
		assert_string_equal(out.items[i].resource_arn, arns_in[i]);
		assert_string_equal(out.items[i].tags.items[0].value, arns_in[i]);
	}
	assert_int_equal(aws_stub_log(&stub, &log), 0);
	assert_non_null(strstr(gws_buf_cstr(&log), "ResourceArns.member.20="));
	assert_null(strstr(gws_buf_cstr(&log), "ResourceArns.member.21="));
	/* The three chunks were in flight together. */
	assert_non_null(strstr(gws_buf_cstr(&log), "\"inflight\": 3"));
	gws_buf_dispose(&log);

	/* Inside a batch DescribeTags refuses (it runs its own). */
	assert_int_equal(gws_aws_batch_begin(c), 0);
	assert_int_equal(gws_elbv2_describe_tags(c, a, &arns, &out), GWS_EINVALID);
	assert_int_equal(gws_aws_batch_run(c, NULL, 0), 0);
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* DescribeLoadBalancers of 25 ARNs: chunks of 20 and 5 sent together, the
 * slower first chunk's result still first. */
static void test_describe_load_balancers_chunks(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_load_balancers out;
	char arns_buf[25][32];
	const char *arns_in[25];
	gws_elbv2_describe_input in = {{arns_in, 25}, {NULL, 0}, 0};
	size_t i;
	(void)state;

	for (i = 0; i < 25; i++) {
		snprintf(arns_buf[i], sizeof(arns_buf[i]), "arn-%02zu", i);
		arns_in[i] = arns_buf[i];
	}
	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(
	        aws_stub_start(
	                &stub, "lbchunks",
	                "[{\"match\": {\"LoadBalancerArns.member.1\": \"arn-00\", "
	                "\"LoadBalancerArns.member.20\": \"arn-19\"}, \"delay\": 0.3, "
	                "\"body\": \"<DescribeLoadBalancersResponse><DescribeLoadBalancersResult>"
	                "<LoadBalancers><member><LoadBalancerName>first</LoadBalancerName></member>"
	                "</LoadBalancers></DescribeLoadBalancersResult>"
	                "</DescribeLoadBalancersResponse>\"},"
	                "{\"match\": {\"LoadBalancerArns.member.1\": \"arn-20\", "
	                "\"LoadBalancerArns.member.5\": \"arn-24\", \"PageSize\": \"400\"}, "
	                "\"body_file\": \"DescribeLoadBalancers-page2-hand.xml\"}]"),
	        0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 1, 0, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_elbv2_describe_load_balancers(c, a, &in, &out), 0);
	assert_int_equal(aws_stub_count(&stub), 2);
	assert_int_equal(out.count, 2);
	assert_string_equal(out.items[0].name, "first");
	assert_string_equal(out.items[1].name, "lb-3");
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

static size_t max_inflight(aws_stub *stub)
{
	gws_buf log;
	const char *p;
	size_t max = 0;

	assert_int_equal(aws_stub_log(stub, &log), 0);
	for (p = gws_buf_cstr(&log); (p = strstr(p, "\"inflight\": ")) != NULL;) {
		size_t v = strtoul(p + 12, NULL, 10);
		if (v > max)
			max = v;
		p += 12;
	}
	gws_buf_dispose(&log);
	return max;
}

/* A batch of describes with replies that finish out of order: results land
 * in their own outputs, result codes in queue order, never more than
 * `concurrency` requests in flight. */
static void test_batch_order_and_bound(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_listeners out[6];
	int rcs[6];
	char script[4096];
	size_t i, len = 0;
	(void)state;

	len += (size_t)snprintf(script + len, sizeof(script) - len, "[");
	for (i = 0; i < 6; i++) {
		/* Listener i answers with a listener on port 8000+i, slowest first;
		 * the one for lb-4 fails. */
		if (i == 4)
			len += (size_t)snprintf(
			        script + len, sizeof(script) - len,
			        "{\"match\": {\"LoadBalancerArn\": \"lb-4\"}, \"status\": 400, "
			        "\"body\": "
			        "\"<ErrorResponse><Error><Code>LoadBalancerNotFound</Code>"
			        "<Message>m</Message></Error></ErrorResponse>\"},");
		else
			len += (size_t)snprintf(
			        script + len, sizeof(script) - len,
			        "{\"match\": {\"LoadBalancerArn\": \"lb-%zu\"}, \"delay\": %.2f, "
			        "\"body\": "
			        "\"<DescribeListenersResponse><DescribeListenersResult><Listeners>"
			        "<member><ListenerArn>l-%zu</ListenerArn><Port>%zu</Port></member>"
			        "</Listeners></DescribeListenersResult></"
			        "DescribeListenersResponse>\"},",
			        i, 0.3 - 0.05 * (double)i, i, 8000 + i);
	}
	script[len - 1] = ']';
	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(aws_stub_start(&stub, "batch", script), 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 2, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_aws_batch_begin(c), 0);
	assert_int_equal(gws_aws_batch_begin(c), GWS_EINVALID);
	for (i = 0; i < 6; i++) {
		char lb[16];
		snprintf(lb, sizeof(lb), "lb-%zu", i);
		assert_int_equal(gws_elbv2_describe_listeners(c, a, lb, NULL, &out[i]), 0);
	}
	assert_int_equal(aws_stub_count(&stub), 0); /* queued, not sent */
	assert_int_equal(gws_aws_batch_run(c, rcs, 6), GWS_ENOTFOUND);
	assert_int_equal(gws_aws_batch_run(c, rcs, 6), GWS_EINVALID);
	for (i = 0; i < 6; i++) {
		if (i == 4) {
			assert_int_equal(rcs[i], GWS_ENOTFOUND);
			assert_int_equal(out[i].count, 0);
			continue;
		}
		assert_int_equal(rcs[i], 0);
		assert_int_equal(out[i].count, 1);
		assert_int_equal(out[i].items[0].port, (int)(8000 + i));
	}
	assert_int_equal(aws_stub_count(&stub), 6);
	assert_int_equal(max_inflight(&stub), 2);
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* The injected `now` is read once per signature: it notes how many requests
 * had been signed beyond those the stub had already received. */
typedef struct {
	aws_test_hooks hooks; /* first: the other hooks take the same context */
	aws_stub *stub;
	size_t signed_count;
	size_t max_unsent;
} signing_watch;

static time_t watch_now(void *ctx)
{
	signing_watch *w = ctx;
	size_t received = aws_stub_count(w->stub), unsent = ++w->signed_count - received;

	if (unsent > w->max_unsent)
		w->max_unsent = unsent;
	return time(NULL);
}

/* A large batch is signed round by round, never all before the first is
 * sent: AWS refuses a signature more than 5 minutes old, and 10,000 writes
 * take longer than that (a cold apply failed with RequestTimeTooSkewed).
 * With concurrency 2 and the 60 s request timeout a round holds 2 x 4
 * requests, so at most 8 are ever signed and not yet received. */
static void test_batch_signed_when_sent(void **state)
{
	aws_stub stub;
	signing_watch w = {{0}, &stub, 0, 0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_listeners out[40];
	int rcs[40];
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(aws_stub_start(&stub, "rounds",
	                                "[{\"repeat\": true, \"body\": "
	                                "\"<DescribeListenersResponse><DescribeListenersResult>"
	                                "<Listeners/></DescribeListenersResult>"
	                                "</DescribeListenersResponse>\"}]"),
	                 0);
	assert_int_equal(aws_test_client_at(&c, stub.url, &w, 0, 2, 0, watch_now), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_aws_batch_begin(c), 0);
	for (size_t i = 0; i < 40; i++) {
		char lb[16];
		snprintf(lb, sizeof(lb), "lb-%zu", i);
		assert_int_equal(gws_elbv2_describe_listeners(c, a, lb, NULL, &out[i]), 0);
	}
	assert_int_equal(gws_aws_batch_run(c, rcs, 40), 0);
	assert_int_equal(aws_stub_count(&stub), 40);
	assert_int_equal(w.signed_count, 40);
	assert_in_range(w.max_unsent, 1, 8);
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* --aws-rps: 12 calls at 4 per second wait 2 s beyond the initial burst of
 * 4 (sleep and clock are injected, so this is not a timing test). */
static void test_rate_limit(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_aws_kvs out;
	size_t i;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(aws_stub_start(&stub, "rps",
	                                "[{\"repeat\": true, \"body\": "
	                                "\"<DescribeTargetGroupAttributesResponse/>\"}]"),
	                 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 8, 4.0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_aws_batch_begin(c), 0);
	for (i = 0; i < 12; i++)
		gws_elbv2_describe_attributes(c, a, GWS_ELBV2_TARGET_GROUP, "tg", &out);
	assert_int_equal(gws_aws_batch_run(c, NULL, 0), 0);
	assert_int_equal(aws_stub_count(&stub), 12);
	/* A burst of 4, then one token every 250 ms of (virtual) time. */
	assert_int_equal(hooks.slept_ms, 2000);
	assert_int_equal(hooks.sleeps, 8);
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* AWS_RETRY_MODE=adaptive: after one throttling reply the client paces
 * itself (the limiter starts near its 0.5/s floor and grows back along
 * CUBIC), where standard mode only waits out the one backoff. */
static long paced_sleep_ms(const char *mode)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_tag_descriptions out;
	const char *arn = "arn:x";
	gws_aws_strings arns = {&arn, 1};
	int i;

	hooks.random_value = 0.5;
	aws_test_env("AKIDTEST", "testsecret", NULL);
	setenv("AWS_RETRY_MODE", mode, 1);
	assert_int_equal(aws_stub_start(&stub, mode,
	                                "[" THROTTLE_TAGS
	                                "{\"repeat\": true, \"echo_tags\": true}]"),
	                 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(gws_elbv2_describe_tags(c, a, &arns, &out), 0);
	assert_int_equal(aws_stub_count(&stub), 6);
	unsetenv("AWS_RETRY_MODE");
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
	return hooks.slept_ms;
}

static void test_adaptive_mode_paces(void **state)
{
	(void)state;
	assert_int_equal(paced_sleep_ms("standard"), 500);
	long adaptive = paced_sleep_ms("adaptive");

	/* 500 ms backoff; then the 0.5/s floor (2 s), 2.08/s twice, 6.8/s: the
	 * measured rate (0.5 s buckets) caps the CUBIC growth at twice itself. */
	assert_true(adaptive >= 3500 && adaptive <= 3700);
}

/* A whole client sequence at trace level with distinctive secrets: none of
 * them may reach the log. */
static void test_no_secrets_in_logs(void **state)
{
	const char *key = "AKIDSECRETKEYID42";
	const char *secret = "SecretAccessKeyValueThatMustNotLeak0123";
	const char *token = "SessionTokenValueThatMustNotLeak4567";
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_sts_caller_identity id;
	gws_elbv2_load_balancers lbs;
	gws_buf log = GWS_BUF_INIT(1 << 22), sent;
	char path[512];
	FILE *f;
	(void)state;

	snprintf(path, sizeof(path), "%s/secrets.log", aws_stub_env("GWSYNC_SCRATCH", "."));
	f = fopen(path, "w+");
	assert_non_null(f);
	gws_log_configure(GWS_LOG_TRACE, GWS_LOG_JSON, f);
	aws_test_env(key, secret, token);
	assert_int_equal(
	        aws_stub_start(&stub, "secrets",
	                       "[{\"action\": \"GetCallerIdentity\", \"body_file\": "
	                       "\"GetCallerIdentity.xml\"}," THROTTLE_ONCE
	                       "{\"action\": \"DescribeLoadBalancers\", \"body_file\": "
	                       "\"DescribeLoadBalancers-page1-hand.xml\"},"
	                       "{\"action\": \"DescribeLoadBalancers\", \"body_file\": "
	                       "\"DescribeLoadBalancers-page2-hand.xml\"},"
	                       "{\"action\": \"DeleteRule\", \"status\": 403, \"body\": "
	                       "\"<ErrorResponse><Error><Code>AccessDenied</Code><Message>no "
	                       "access</Message></Error></ErrorResponse>\"}]"),
	        0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(gws_sts_get_caller_identity(c, a, &id), 0);
	assert_int_equal(gws_elbv2_describe_load_balancers(c, a, NULL, &lbs), 0);
	assert_int_equal(gws_elbv2_delete_rule(c, "arn:rule"), GWS_EAUTH);
	gws_log_configure(GWS_LOG_INFO, GWS_LOG_TEXT, NULL);
	fclose(f);

	/* The secrets were used... */
	assert_int_equal(aws_stub_log(&stub, &sent), 0);
	assert_non_null(strstr(gws_buf_cstr(&sent), token));
	assert_non_null(strstr(gws_buf_cstr(&sent), key));
	gws_buf_dispose(&sent);
	/* ...the calls were logged... */
	assert_int_equal(gws_buf_read_file(&log, path), 0);
	assert_non_null(strstr(gws_buf_cstr(&log), "\"action\":\"GetCallerIdentity\""));
	assert_non_null(strstr(gws_buf_cstr(&log), "\"error\":\"Throttling\""));
	assert_non_null(strstr(gws_buf_cstr(&log), "\"attempt\":\"2\""));
	assert_non_null(strstr(gws_buf_cstr(&log), "\"aws_request_id\":\"7581c0ac"));
	/* ...and none of them reached the log, nor the error message. */
	assert_null(strstr(gws_buf_cstr(&log), secret));
	assert_null(strstr(gws_buf_cstr(&log), token));
	assert_null(strstr(gws_buf_cstr(&log), "Signature="));
	assert_null(strstr(gws_error_last(), secret));
	assert_null(strstr(gws_error_last(), token));
	gws_buf_dispose(&log);
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* Every allocation of a paged describe failing in turn: a clean error
 * each time (ASan/LSan check the cleanup), then success. */
static void test_allocation_failures(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_load_balancers lbs;
	long n;
	int rc = -1;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", "token");
	assert_int_equal(
	        aws_stub_start(&stub, "allocfail",
	                       "[{\"repeat\": true, \"match\": {\"Marker\": \"bGItMg==\"}, "
	                       "\"body_file\": \"DescribeLoadBalancers-page2-hand.xml\"},"
	                       "{\"repeat\": true, \"body_file\": "
	                       "\"DescribeLoadBalancers-page1-hand.xml\"}]"),
	        0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 1, 0, 0), 0);
	for (n = 0; n < 2000 && rc != 0; n++) {
		assert_int_equal(gws_arena_new(&a), 0);
		gws_alloc_fail_at(n);
		rc = gws_elbv2_describe_load_balancers(c, a, NULL, &lbs);
		gws_alloc_fail_at(-1);
		assert_true(rc == 0 || rc < 0);
		if (rc == 0)
			assert_int_equal(lbs.count, 3);
		gws_arena_free(a);
	}
	assert_int_equal(rc, 0);
	assert_true(n > 10);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_error_mapping),
	        cmocka_unit_test(test_not_found_details_and_signing),
	        cmocka_unit_test(test_ec2_error_shape_and_auth),
	        cmocka_unit_test(test_unreadable_success),
	        cmocka_unit_test(test_configuration_failures),
	        cmocka_unit_test(test_describe_tags_chunks),
	        cmocka_unit_test(test_describe_load_balancers_chunks),
	        cmocka_unit_test(test_batch_order_and_bound),
	        cmocka_unit_test(test_batch_signed_when_sent),
	        cmocka_unit_test(test_rate_limit),
	        cmocka_unit_test(test_adaptive_mode_paces),
	        cmocka_unit_test(test_no_secrets_in_logs),
	        cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
