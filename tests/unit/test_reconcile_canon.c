/*
 * The canonical forms sync compares (docs/reconcile.md, "Comparison"): what
 * AWS echoes differently from what was sent must compare equal, a real
 * difference must not, and no value can forge a separator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reconcile/internal.h"

static const char *ref_same(void *ctx, const char *s)
{
	(void)ctx;
	return s; /* ids and ARNs are the same strings in these tests */
}

static char *canon_model(const gws_model_action *a, size_t n)
{
	gws_buf b = GWS_BUF_INIT(1 << 20);

	assert_int_equal(rc_canon_model_actions(&b, a, n, false, ref_same, NULL), 0);
	return gws_buf_take(&b, NULL);
}

static char *canon_aws(const gws_elbv2_action *a, size_t n)
{
	gws_buf b = GWS_BUF_INIT(1 << 20);
	gws_elbv2_actions list = {(gws_elbv2_action *)a, n};

	assert_int_equal(rc_canon_aws_actions(&b, &list, false, ref_same, NULL), 0);
	return gws_buf_take(&b, NULL);
}

static void assert_same(char *a, char *b, bool equal)
{
	if (equal)
		assert_string_equal(a, b);
	else
		assert_string_not_equal(a, b);
	gws_free(a);
	gws_free(b);
}

/* A forward to one target group: AWS echoes TargetGroupArn plus a one-tuple
 * ForwardConfig with Weight 1 and a disabled stickiness. */
static void test_single_forward_echo(void **state)
{
	gws_model_tg_tuple t = {"tg-a", false, 0};
	gws_model_forward_config f = {&t, 1, false, false, false, 0};
	gws_model_action want = {GWS_MODEL_ACTION_FORWARD, 1, &f, NULL, NULL, NULL, NULL, NULL};
	gws_elbv2_tg_tuple echo_t = {"tg-a", true, 1};
	gws_elbv2_action echo = {.type = "forward",
	                         .order = 1,
	                         .target_group_arn = "tg-a",
	                         .target_groups = &echo_t,
	                         .target_group_count = 1,
	                         .stickiness_enabled = GWS_AWS_FALSE};
	gws_elbv2_action plain = {.type = "forward", .target_group_arn = "tg-a"};
	gws_elbv2_action other = {.type = "forward", .target_group_arn = "tg-b"};

	(void)state;
	assert_same(canon_model(&want, 1), canon_aws(&echo, 1), true);
	assert_same(canon_model(&want, 1), canon_aws(&plain, 1), true);
	assert_same(canon_model(&want, 1), canon_aws(&other, 1), false);
}

/* Weighted forwards: the order of the tuples does not matter, weights do. */
static void test_weighted_forward(void **state)
{
	gws_model_tg_tuple t[2] = {{"tg-a", true, 90}, {"tg-b", true, 10}};
	gws_model_forward_config f = {t, 2, false, false, false, 0};
	gws_model_action want = {GWS_MODEL_ACTION_FORWARD, 1, &f, NULL, NULL, NULL, NULL, NULL};
	gws_elbv2_tg_tuple swapped[2] = {{"tg-b", true, 10}, {"tg-a", true, 90}};
	gws_elbv2_tg_tuple moved[2] = {{"tg-b", true, 20}, {"tg-a", true, 80}};
	gws_elbv2_action a = {.type = "forward", .target_groups = swapped, .target_group_count = 2};
	gws_elbv2_action b = {.type = "forward", .target_groups = moved, .target_group_count = 2};

	(void)state;
	assert_same(canon_model(&want, 1), canon_aws(&a, 1), true);
	assert_same(canon_model(&want, 1), canon_aws(&b, 1), false);
}

/* A redirect sends only what differs; AWS answers with #{...} for the rest. */
static void test_redirect_defaults(void **state)
{
	gws_model_redirect_config r = {"HTTPS", "443", NULL, NULL, NULL, "HTTP_301"};
	gws_model_action want = {GWS_MODEL_ACTION_REDIRECT, 1, NULL, &r, NULL, NULL, NULL, NULL};
	gws_elbv2_action echo = {.type = "redirect",
	                         .redirect_protocol = "HTTPS",
	                         .redirect_port = "443",
	                         .redirect_host = "#{host}",
	                         .redirect_path = "/#{path}",
	                         .redirect_query = "#{query}",
	                         .redirect_status_code = "HTTP_301"};
	gws_elbv2_action moved = echo;

	(void)state;
	moved.redirect_host = "example.com";
	assert_same(canon_model(&want, 1), canon_aws(&echo, 1), true);
	assert_same(canon_model(&want, 1), canon_aws(&moved, 1), false);
}

/* Fixed responses: an absent body equals an empty one; the code matters. */
static void test_fixed_response(void **state)
{
	gws_model_fixed_response_config f = {"404", "text/plain", NULL};
	gws_model_action want = {
	        GWS_MODEL_ACTION_FIXED_RESPONSE, 1, NULL, NULL, &f, NULL, NULL, NULL};
	gws_elbv2_action echo = {.type = "fixed-response",
	                         .fixed_status_code = "404",
	                         .fixed_content_type = "text/plain",
	                         .fixed_message_body = ""};
	gws_elbv2_action other = echo;

	(void)state;
	other.fixed_status_code = "503";
	assert_same(canon_model(&want, 1), canon_aws(&echo, 1), true);
	assert_same(canon_model(&want, 1), canon_aws(&other, 1), false);
}

static char *canon_model_conditions(gws_model_condition *c, size_t n)
{
	gws_model_rule rule;
	gws_buf b = GWS_BUF_INIT(1 << 20);

	memset(&rule, 0, sizeof(rule));
	rule.conditions = c;
	rule.n_conditions = n;
	assert_int_equal(rc_canon_model_conditions(&b, &rule), 0);
	return gws_buf_take(&b, NULL);
}

static char *canon_aws_conditions(gws_elbv2_condition *c, size_t n)
{
	gws_elbv2_conditions list = {c, n};
	gws_buf b = GWS_BUF_INIT(1 << 20);

	assert_int_equal(rc_canon_aws_conditions(&b, &list), 0);
	return gws_buf_take(&b, NULL);
}

/* Conditions: the legacy Values form reads like *Config; value and condition
 * order do not matter; a header name does. */
static void test_conditions(void **state)
{
	const char *hosts[] = {"b.example.com", "a.example.com"};
	const char *paths[] = {"/api", "/api/*"};
	const char *aws_hosts[] = {"a.example.com", "b.example.com"};
	const char *aws_paths[] = {"/api/*", "/api"};
	const char *hv[] = {"ops"};
	gws_model_condition want[3];
	gws_elbv2_condition have[3];

	(void)state;
	memset(want, 0, sizeof(want));
	memset(have, 0, sizeof(have));
	want[0].field = GWS_MODEL_COND_HOST_HEADER;
	want[0].values = (gws_model_strs){hosts, 2};
	want[1].field = GWS_MODEL_COND_PATH_PATTERN;
	want[1].values = (gws_model_strs){paths, 2};
	want[2].field = GWS_MODEL_COND_HTTP_HEADER;
	want[2].http_header_name = "x-team";
	want[2].values = (gws_model_strs){hv, 1};
	/* AWS: header first, paths in the legacy form, hosts in HostHeaderConfig. */
	have[0].field = "http-header";
	have[0].http_header_name = "x-team";
	have[0].http_header_values = (gws_aws_strings){hv, 1};
	have[1].field = "path-pattern";
	have[1].values = (gws_aws_strings){aws_paths, 2};
	have[2].field = "host-header";
	have[2].host_header = (gws_aws_strings){aws_hosts, 2};
	assert_same(canon_model_conditions(want, 3), canon_aws_conditions(have, 3), true);
	have[0].http_header_name = "x-other";
	assert_same(canon_model_conditions(want, 3), canon_aws_conditions(have, 3), false);
}

/* Values are length-prefixed: joining two values differently never collides. */
static void test_no_separator_forgery(void **state)
{
	const char *one[] = {"a;b"};
	const char *two[] = {"a", "b"};
	gws_model_condition a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.field = b.field = GWS_MODEL_COND_PATH_PATTERN;
	a.values = (gws_model_strs){one, 1};
	b.values = (gws_model_strs){two, 2};
	assert_same(canon_model_conditions(&a, 1), canon_model_conditions(&b, 1), false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_single_forward_echo),
	        cmocka_unit_test(test_weighted_forward),
	        cmocka_unit_test(test_redirect_defaults),
	        cmocka_unit_test(test_fixed_response),
	        cmocka_unit_test(test_conditions),
	        cmocka_unit_test(test_no_separator_forgery),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
