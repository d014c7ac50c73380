/*
 * Retries: the policy on its own (classification, full-jitter backoff,
 * quota), then the client against a loopback stub that throttles, fails
 * with 5xx, resets or stalls, with an injected random source and sleep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "aws/retry.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

/* ---- policy ---------------------------------------------------------------- */

static double half(void *ctx)
{
	(void)ctx;
	return 0.5;
}

static double almost_one(void *ctx)
{
	(void)ctx;
	return 0.999999;
}

static void test_classify(void **state)
{
	const char *throttles[] = {"Throttling",
	                           "ThrottlingException",
	                           "RequestLimitExceeded",
	                           "TooManyRequestsException",
	                           "SlowDown",
	                           "EC2ThrottledException",
	                           "PriorRequestNotComplete",
	                           "RequestThrottled"};
	size_t i;
	(void)state;

	for (i = 0; i < GWS_ARRAY_SIZE(throttles); i++)
		assert_int_equal(gws_retry_classify(400, throttles[i], 0), GWS_RETRY_THROTTLE);
	assert_int_equal(gws_retry_classify(400, "RequestTimeout", 0), GWS_RETRY_TRANSIENT);
	assert_int_equal(gws_retry_classify(400, "RequestTimeoutException", 0),
	                 GWS_RETRY_TRANSIENT);
	assert_int_equal(gws_retry_classify(400, "IDPCommunicationError", 0), GWS_RETRY_TRANSIENT);
	assert_int_equal(gws_retry_classify(500, "InternalFailure", 0), GWS_RETRY_TRANSIENT);
	assert_int_equal(gws_retry_classify(502, "", 0), GWS_RETRY_TRANSIENT);
	assert_int_equal(gws_retry_classify(503, NULL, 0), GWS_RETRY_TRANSIENT);
	assert_int_equal(gws_retry_classify(504, "", 0), GWS_RETRY_TRANSIENT);
	assert_int_equal(gws_retry_classify(429, "", 0), GWS_RETRY_THROTTLE);
	assert_int_equal(gws_retry_classify(0, NULL, GWS_ENETWORK), GWS_RETRY_TRANSIENT);
	assert_int_equal(gws_retry_classify(0, NULL, GWS_ETIMEOUT), GWS_RETRY_TIMEOUT);
	assert_int_equal(gws_retry_classify(0, NULL, GWS_ETOOBIG), GWS_RETRY_NONE);
	/* Validation and other 4xx are never retried. */
	assert_int_equal(gws_retry_classify(400, "ValidationError", 0), GWS_RETRY_NONE);
	assert_int_equal(gws_retry_classify(400, "PriorityInUse", 0), GWS_RETRY_NONE);
	assert_int_equal(gws_retry_classify(403, "AccessDenied", 0), GWS_RETRY_NONE);
	assert_int_equal(gws_retry_classify(400, "LoadBalancerNotFound", 0), GWS_RETRY_NONE);
	assert_int_equal(gws_retry_classify(501, "", 0), GWS_RETRY_NONE);
}

static void test_backoff_and_attempts(void **state)
{
	gws_retry_policy p;
	long d;
	(void)state;

	gws_retry_init(&p, GWS_RETRY_STANDARD, 0, half, NULL);
	assert_int_equal(p.max_attempts, 3);
	assert_int_equal(gws_retry_acquire(&p, 1, GWS_RETRY_THROTTLE, &d), GWS_RETRY_COST);
	assert_int_equal(d, 500); /* 0.5 * min(2^0, 20) s */
	assert_int_equal(gws_retry_acquire(&p, 2, GWS_RETRY_TRANSIENT, &d), GWS_RETRY_COST);
	assert_int_equal(d, 1000); /* 0.5 * 2 s */
	assert_int_equal(gws_retry_acquire(&p, 3, GWS_RETRY_TRANSIENT, &d), -1);
	assert_int_equal(gws_retry_acquire(&p, 1, GWS_RETRY_NONE, &d), -1);
	assert_int_equal(p.quota, GWS_RETRY_QUOTA_MAX - 10);

	/* The cap: 20 s however many attempts; the bound is exclusive of rand=1. */
	gws_retry_init(&p, GWS_RETRY_STANDARD, 10, almost_one, NULL);
	assert_true(gws_retry_acquire(&p, 5, GWS_RETRY_TRANSIENT, &d) >= 0);
	assert_true(d >= 15999 && d < 16000);
	assert_true(gws_retry_acquire(&p, 6, GWS_RETRY_TRANSIENT, &d) >= 0);
	assert_true(d >= 19999 && d < 20000);
	assert_true(gws_retry_acquire(&p, 9, GWS_RETRY_TRANSIENT, &d) >= 0);
	assert_true(d < GWS_RETRY_MAX_BACKOFF_MS);

	/* Legacy: 5 attempts, no quota, no 20 s cap. */
	gws_retry_init(&p, GWS_RETRY_LEGACY, 0, half, NULL);
	assert_int_equal(p.max_attempts, 5);
	assert_int_equal(gws_retry_acquire(&p, 4, GWS_RETRY_THROTTLE, &d), 0);
	assert_int_equal(d, 4000);
	assert_int_equal(p.quota, GWS_RETRY_QUOTA_MAX);
	assert_int_equal(gws_retry_acquire(&p, 5, GWS_RETRY_THROTTLE, &d), -1);

	/* A real random source stays in [0, cap). */
	gws_retry_init(&p, GWS_RETRY_STANDARD, 0, NULL, NULL);
	for (int i = 0; i < 50; i++) {
		p.quota = GWS_RETRY_QUOTA_MAX;
		assert_true(gws_retry_acquire(&p, 2, GWS_RETRY_TRANSIENT, &d) >= 0);
		assert_true(d >= 0 && d < 2000);
	}
}

static void test_quota(void **state)
{
	gws_retry_policy p;
	long d;
	int i;
	(void)state;

	gws_retry_init(&p, GWS_RETRY_STANDARD, 2, half, NULL);
	assert_int_equal(gws_retry_acquire(&p, 1, GWS_RETRY_TIMEOUT, &d), GWS_RETRY_TIMEOUT_COST);
	assert_int_equal(p.quota, 490);
	gws_retry_release(&p, GWS_RETRY_TIMEOUT_COST); /* success after that retry */
	assert_int_equal(p.quota, 500);
	gws_retry_release(&p, -1); /* success without retry: +1, capped */
	assert_int_equal(p.quota, 500);
	for (i = 0; i < 100; i++)
		assert_int_equal(gws_retry_acquire(&p, 1, GWS_RETRY_TRANSIENT, &d), GWS_RETRY_COST);
	assert_int_equal(p.quota, 0);
	assert_int_equal(gws_retry_acquire(&p, 1, GWS_RETRY_TRANSIENT, &d), -2);
	gws_retry_release(&p, -1);
	assert_int_equal(p.quota, 1);
	assert_int_equal(gws_retry_acquire(&p, 1, GWS_RETRY_THROTTLE, &d), -2);
}

static void test_parse_mode(void **state)
{
	gws_retry_mode m;
	(void)state;

	assert_int_equal(gws_retry_parse_mode(&m, NULL), 0);
	assert_int_equal(m, GWS_RETRY_STANDARD);
	assert_int_equal(gws_retry_parse_mode(&m, "legacy"), 0);
	assert_int_equal(m, GWS_RETRY_LEGACY);
	assert_int_equal(gws_retry_parse_mode(&m, "adaptive"), 0);
	assert_int_equal(m, GWS_RETRY_ADAPTIVE);
	assert_int_equal(gws_retry_parse_mode(&m, "fast"), GWS_EINVALID);
}

static void test_token_bucket(void **state)
{
	gws_token_bucket b;
	(void)state;

	gws_bucket_init(&b, 2, 10.0);
	assert_int_equal(gws_bucket_take(&b, 10.0, 5), 2); /* starts full: capacity 2 */
	assert_int_equal(gws_bucket_take(&b, 10.0, 1), 0);
	assert_true(fabs(gws_bucket_wait(&b, 10.0) - 0.5) < 1e-9);
	assert_int_equal(gws_bucket_take(&b, 10.5, 3), 1);
	assert_int_equal(gws_bucket_take(&b, 100.0, 9), 2); /* capped at capacity */
	/* A rate under the floor becomes 0.5/s with room for one token. */
	gws_bucket_set_rate(&b, 0.1, 100.0);
	assert_true(fabs(b.rate - GWS_BUCKET_MIN_RATE) < 1e-9);
	assert_true(fabs(b.capacity - 1) < 1e-9);
	assert_true(fabs(gws_bucket_wait(&b, 100.0) - 2.0) < 1e-9);
	/* The clock going backwards earns nothing. */
	assert_int_equal(gws_bucket_take(&b, 50.0, 1), 0);
}

static void test_adaptive_limiter(void **state)
{
	gws_adaptive a;
	double rate, t, k = cbrt(8.8 * 0.3 / 0.4);
	int i;
	(void)state;

	gws_adaptive_init(&a, 0.0);
	/* 10 replies in the first half second, then one at 1 s that closes it:
	 * 11 per 1 s, smoothed 0.8 -> 8.8/s measured. Not enabled yet. */
	for (i = 0; i < 10; i++)
		gws_adaptive_on_response(&a, 0.02 + 0.04 * i, false);
	gws_adaptive_on_response(&a, 1.0, false);
	assert_false(a.enabled);
	assert_true(fabs(a.measured - 8.8) < 1e-9);
	/* A throttle: w_max = 8.8, rate cut to 0.7 * 8.8. */
	rate = gws_adaptive_on_response(&a, 1.2, true);
	assert_true(a.enabled);
	assert_true(fabs(rate - 6.16) < 1e-9);
	assert_true(fabs(a.w_max - 8.8) < 1e-9);
	/* At t_fail + K the curve is back at w_max, capped at twice the
	 * measured rate (2 replies over 2 s -> 0.8*1 + 0.2*8.8 = 2.56/s). */
	t = 1.2 + k;
	rate = gws_adaptive_on_response(&a, t, false);
	assert_true(fabs(a.measured - 2.56) < 1e-9);
	assert_true(fabs(rate - 5.12) < 1e-9);
	/* Later, the cubic term grows past w_max. */
	for (i = 0; i < 40; i++)
		gws_adaptive_on_response(&a, t + 2.0 + 0.025 * i, false);
	rate = gws_adaptive_on_response(&a, t + 3.0, false);
	assert_true(rate > 8.8);
}

/* ---- the client against a stub ----------------------------------------------- */

#define THROTTLE                                                                                   \
	"{\"status\": 400, \"body\": "                                                             \
	"\"<ErrorResponse><Error><Code>Throttling</Code><Message>Rate "                            \
	"exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>\"}"
#define OK_TAGS                                                                                    \
	"{\"status\": 200, \"body\": \"<DescribeTagsResponse><DescribeTagsResult>"                 \
	"<TagDescriptions/></DescribeTagsResult></DescribeTagsResponse>\"}"
#define OK_EMPTY "{\"status\": 200, \"body\": \"\"}"

typedef struct {
	aws_stub stub;
	gws_aws_client *client;
	aws_test_hooks hooks;
	gws_aws_stats stats;
} run;

static void start(run *r, const char *name, const char *script, int max_attempts, long timeout)
{
	gws_aws_overrides ov;
	gws_aws_client_options opts;

	memset(r, 0, sizeof(*r));
	r->hooks.random_value = 0.5;
	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(aws_stub_start(&r->stub, name, script), 0);
	memset(&ov, 0, sizeof(ov));
	ov.region = "us-west-2";
	ov.endpoint_url = r->stub.url;
	ov.max_attempts = max_attempts;
	memset(&opts, 0, sizeof(opts));
	opts.overrides = &ov;
	opts.random = aws_test_random;
	opts.sleep_ms = aws_test_sleep;
	opts.hook_ctx = &r->hooks;
	opts.timeout_ms = timeout;
	assert_int_equal(gws_aws_client_new(&r->client, &opts), 0);
}

static void finish(run *r)
{
	gws_aws_client_stats(r->client, &r->stats);
	gws_aws_client_free(r->client);
	aws_stub_stop(&r->stub);
}

static int describe_tags(run *r)
{
	const char *arn = "arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/app/a/1";
	gws_aws_strings arns = {&arn, 1};
	gws_elbv2_tag_descriptions out;
	gws_arena *a = NULL;
	int rc;

	assert_int_equal(gws_arena_new(&a), 0);
	rc = gws_elbv2_describe_tags(r->client, a, &arns, &out);
	gws_arena_free(a);
	return rc;
}

static void test_throttled_then_success(void **state)
{
	run r;
	(void)state;

	start(&r, "throttle2", "[" THROTTLE "," THROTTLE "," OK_TAGS "]", 0, 0);
	assert_int_equal(describe_tags(&r), 0);
	assert_int_equal(aws_stub_count(&r.stub), 3);
	assert_int_equal(r.hooks.sleeps, 2);
	assert_int_equal(r.hooks.slept_ms, 500 + 1000); /* 0.5*1 s, 0.5*2 s */
	finish(&r);
	assert_int_equal(r.stats.retries, 2);
	assert_int_equal(r.stats.throttled, 2);
	/* 500 - 5 - 5, then the success refunds the last retry's 5. */
	assert_int_equal(r.stats.retry_quota, 495);
}

static void test_throttled_out(void **state)
{
	run r;
	const gws_aws_error *e;
	(void)state;

	start(&r, "throttle3", "[" THROTTLE "," THROTTLE "," THROTTLE "," OK_TAGS "]", 0, 0);
	assert_int_equal(describe_tags(&r), GWS_ETHROTTLED);
	assert_int_equal(aws_stub_count(&r.stub), 3);
	e = gws_aws_client_last_error(r.client);
	assert_string_equal(e->code, "Throttling");
	assert_string_equal(e->message, "Rate exceeded");
	assert_string_equal(e->request_id, "t");
	assert_int_equal(e->status, 400);
	assert_int_equal(e->attempts, 3);
	assert_string_equal(e->action, "DescribeTags");
	assert_non_null(strstr(gws_error_last(), "Throttling: Rate exceeded"));
	finish(&r);
}

static void test_5xx_then_success(void **state)
{
	run r;
	(void)state;

	start(&r, "5xx",
	      "[{\"status\": 500, \"body\": \"<ErrorResponse><Error><Code>InternalFailure</Code>"
	      "</Error></ErrorResponse>\"}, {\"status\": 503, \"body\": \"<html/>\"}," OK_TAGS "]",
	      0, 0);
	assert_int_equal(describe_tags(&r), 0);
	assert_int_equal(aws_stub_count(&r.stub), 3);
	finish(&r);
	assert_int_equal(r.stats.retries, 2);
	assert_int_equal(r.stats.throttled, 0);
}

static void test_validation_not_retried(void **state)
{
	run r;
	(void)state;

	start(&r, "validation",
	      "[{\"status\": 400, \"body\": \"<ErrorResponse><Error><Type>Sender</Type><Code>"
	      "ValidationError</Code><Message>1 validation error detected</Message></Error>"
	      "<RequestId>v1</RequestId></ErrorResponse>\"}," OK_TAGS "]",
	      0, 0);
	assert_int_equal(describe_tags(&r), GWS_EREMOTE);
	assert_int_equal(aws_stub_count(&r.stub), 1);
	assert_int_equal(r.hooks.sleeps, 0);
	assert_string_equal(gws_aws_client_last_error(r.client)->code, "ValidationError");
	finish(&r);
	assert_int_equal(r.stats.retries, 0);
}

#define NOT_FOUND                                                                                  \
	"{\"status\": 400, \"body\": "                                                             \
	"\"<ErrorResponse><Error><Code>RuleNotFound</Code><Message>One "                           \
	"or more rules not found</Message></Error><RequestId>n</RequestId></ErrorResponse>\"}"

static void test_reset_read_retried_write_repeated(void **state)
{
	run r;
	(void)state;

	start(&r, "reset",
	      "[{\"reset\": true}," OK_TAGS ", {\"reset\": true}," OK_EMPTY
	      ", {\"reset\": true}," NOT_FOUND ", {\"repeat\": true, \"reset\": true}]",
	      0, 0);
	assert_int_equal(describe_tags(&r), 0);
	assert_int_equal(aws_stub_count(&r.stub), 2);
	/* A write that reached the server and got no answer is sent again: an
	 * answered success settles it. */
	assert_int_equal(gws_elbv2_delete_rule(r.client, "arn:rule"), 0);
	assert_int_equal(aws_stub_count(&r.stub), 4);
	/* A repeat refused after an unanswered attempt: the first one most
	 * likely happened, and nobody can tell: unknown, with both halves. */
	assert_int_equal(gws_elbv2_delete_rule(r.client, "arn:rule"), GWS_EUNKNOWN_OUTCOME);
	assert_int_equal(aws_stub_count(&r.stub), 6);
	assert_non_null(strstr(gws_error_last(), "outcome unknown"));
	assert_non_null(strstr(gws_error_last(), "RuleNotFound"));
	/* No answer to any attempt: unknown after the last one. */
	assert_int_equal(gws_elbv2_delete_rule(r.client, "arn:rule"), GWS_EUNKNOWN_OUTCOME);
	assert_int_equal(aws_stub_count(&r.stub), 9);
	assert_non_null(strstr(gws_error_last(), "outcome unknown"));
	finish(&r);
}

static void test_stall_read_retried_write_repeated(void **state)
{
	run r;
	(void)state;

	start(&r, "stall", "[{\"stall\": 2}," OK_TAGS ", {\"stall\": 2}," OK_EMPTY "]", 0, 300);
	assert_int_equal(describe_tags(&r), 0);
	assert_int_equal(aws_stub_count(&r.stub), 2);
	gws_aws_client_stats(r.client, &r.stats);
	/* A timeout retry costs 10 and the success gives the 10 back. */
	assert_int_equal(r.stats.retry_quota, 500);
	assert_int_equal(r.hooks.sleeps, 1);
	/* The write timed out after it was sent; its repeat is answered. */
	assert_int_equal(gws_elbv2_delete_rule(r.client, "arn:rule"), 0);
	assert_int_equal(aws_stub_count(&r.stub), 4);
	finish(&r);
}

static void test_refused_write_is_retried(void **state)
{
	run r;
	char url[128];
	gws_aws_overrides ov;
	gws_aws_client_options opts;
	(void)state;

	/* Nothing listens: the request never left, so a write may be retried. */
	start(&r, "refused", "[]", 0, 0);
	snprintf(url, sizeof(url), "%s", r.stub.url);
	finish(&r);
	memset(&ov, 0, sizeof(ov));
	ov.region = "us-west-2";
	ov.endpoint_url = url;
	memset(&opts, 0, sizeof(opts));
	opts.overrides = &ov;
	opts.random = aws_test_random;
	opts.sleep_ms = aws_test_sleep;
	opts.hook_ctx = &r.hooks;
	memset(&r.hooks, 0, sizeof(r.hooks));
	r.hooks.random_value = 0.5;
	assert_int_equal(gws_aws_client_new(&r.client, &opts), 0);
	assert_int_equal(gws_elbv2_delete_rule(r.client, "arn:rule"), GWS_ENETWORK);
	assert_int_equal(r.hooks.sleeps, 2);
	assert_int_equal(gws_aws_client_last_error(r.client)->attempts, 3);
	gws_aws_client_free(r.client);
}

static void test_quota_exhaustion(void **state)
{
	run r;
	(void)state;

	/* Unlimited attempts against a server that always fails: the quota
	 * (500 tokens, 5 per retry) stops it after 100 retries. */
	start(&r, "quota", "[{\"repeat\": true, \"status\": 503, \"body\": \"\"}]", 1000, 0);
	assert_int_equal(describe_tags(&r), GWS_EREMOTE);
	assert_int_equal(aws_stub_count(&r.stub), 101);
	gws_aws_client_stats(r.client, &r.stats);
	assert_int_equal(r.stats.retry_quota, 0);
	assert_int_equal(r.stats.retries, 100);
	/* An empty quota means no retry at all for the next call. */
	assert_int_equal(describe_tags(&r), GWS_EREMOTE);
	assert_int_equal(aws_stub_count(&r.stub), 102);
	finish(&r);
}

static void test_env_max_attempts_and_mode(void **state)
{
	run r;
	(void)state;

	start(&r, "envattempts", "[{\"repeat\": true, \"status\": 503, \"body\": \"\"}]", 0, 0);
	gws_aws_client_free(r.client);
	setenv("AWS_MAX_ATTEMPTS", "2", 1);
	assert_int_equal(aws_test_client(&r.client, r.stub.url, &r.hooks, 0, 0, 0), 0);
	assert_int_equal(describe_tags(&r), GWS_EREMOTE);
	assert_int_equal(aws_stub_count(&r.stub), 2);
	gws_aws_client_free(r.client);
	unsetenv("AWS_MAX_ATTEMPTS");
	setenv("AWS_RETRY_MODE", "legacy", 1);
	assert_int_equal(aws_test_client(&r.client, r.stub.url, &r.hooks, 0, 0, 0), 0);
	assert_int_equal(describe_tags(&r), GWS_EREMOTE);
	assert_int_equal(aws_stub_count(&r.stub), 2 + 5);
	unsetenv("AWS_RETRY_MODE");
	finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_classify),
	        cmocka_unit_test(test_backoff_and_attempts),
	        cmocka_unit_test(test_quota),
	        cmocka_unit_test(test_parse_mode),
	        cmocka_unit_test(test_token_bucket),
	        cmocka_unit_test(test_adaptive_limiter),
	        cmocka_unit_test(test_throttled_then_success),
	        cmocka_unit_test(test_throttled_out),
	        cmocka_unit_test(test_5xx_then_success),
	        cmocka_unit_test(test_validation_not_retried),
	        cmocka_unit_test(test_reset_read_retried_write_repeated),
	        cmocka_unit_test(test_stall_read_retried_write_repeated),
	        cmocka_unit_test(test_refused_write_is_retried),
	        cmocka_unit_test(test_quota_exhaustion),
	        cmocka_unit_test(test_env_max_attempts_and_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
