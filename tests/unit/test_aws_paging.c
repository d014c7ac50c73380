/*
 * Paging (issue 10 M6): a server that repeats a page token, or never stops
 * handing out new ones, ends the call with an error naming it instead of
 * growing memory without bound; every paginated call, ELBv2 and EC2, goes
 * through the same guard; pages append to the output without copying all
 * earlier items each time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "aws/call.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

/* One paginated call: its action, the reply's list element and an item, and
 * how the reply carries the next token. */
typedef struct {
	const char *action;
	const char *list;
	const char *item; /* one list entry, with its <member>/<item> tags */
	bool ec2;
} paged_call;

static const paged_call calls[] = {
        {"DescribeLoadBalancers", "LoadBalancers",
         "<member><LoadBalancerArn>lb</LoadBalancerArn></member>", false},
        {"DescribeListeners", "Listeners", "<member><ListenerArn>l</ListenerArn></member>", false},
        {"DescribeListenerCertificates", "Certificates",
         "<member><CertificateArn>c</CertificateArn></member>", false},
        {"DescribeRules", "Rules", "<member><RuleArn>r</RuleArn></member>", false},
        {"DescribeTargetGroups", "TargetGroups",
         "<member><TargetGroupArn>t</TargetGroupArn></member>", false},
        {"DescribeVpcs", "vpcSet", "<item><vpcId>vpc-1</vpcId></item>", true},
        {"DescribeSubnets", "subnetSet", "<item><subnetId>subnet-1</subnetId></item>", true},
        {"DescribeSecurityGroups", "securityGroupInfo", "<item><groupId>sg-1</groupId></item>",
         true},
};

/* The reply of one page of `call` whose next token is `token` (NULL: the last page). */
static void page_body(gws_buf *b, const paged_call *call, const char *token)
{
	gws_buf_init(b, 1 << 20);
	if (call->ec2)
		assert_int_equal(gws_buf_printf(b,
		                                "<%sResponse><requestId>r</requestId><%s>%s</%s>"
		                                "%s%s%s</%sResponse>",
		                                call->action, call->list, call->item, call->list,
		                                token ? "<nextToken>" : "", token ? token : "",
		                                token ? "</nextToken>" : "", call->action),
		                 0);
	else
		assert_int_equal(gws_buf_printf(b,
		                                "<%sResponse><%sResult><%s>%s</%s>%s%s%s</%sResult>"
		                                "</%sResponse>",
		                                call->action, call->action, call->list, call->item,
		                                call->list, token ? "<NextMarker>" : "",
		                                token ? token : "", token ? "</NextMarker>" : "",
		                                call->action, call->action),
		                 0);
}

/* A JSON string of `s` (the bodies hold quotes). */
static char *json_quote(const char *s)
{
	static char out[4096];
	size_t n = 0;

	out[n++] = '"';
	for (; *s && n < sizeof(out) - 3; s++) {
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '"';
	out[n] = '\0';
	return out;
}

/* Runs `call` against the client; its count of items in *count. */
static int run_call(gws_aws_client *c, gws_arena *a, const paged_call *call, size_t *count)
{
	gws_aws__list_out out = {NULL, 0};
	int rc;

	if (strcmp(call->action, "DescribeLoadBalancers") == 0)
		rc = gws_elbv2_describe_load_balancers(c, a, NULL,
		                                       (gws_elbv2_load_balancers *)&out);
	else if (strcmp(call->action, "DescribeListeners") == 0)
		rc = gws_elbv2_describe_listeners(c, a, "lb", NULL, (gws_elbv2_listeners *)&out);
	else if (strcmp(call->action, "DescribeListenerCertificates") == 0)
		rc = gws_elbv2_describe_listener_certificates(c, a, "l",
		                                              (gws_elbv2_certificates *)&out);
	else if (strcmp(call->action, "DescribeRules") == 0)
		rc = gws_elbv2_describe_rules(c, a, "l", NULL, (gws_elbv2_rules *)&out);
	else if (strcmp(call->action, "DescribeTargetGroups") == 0)
		rc = gws_elbv2_describe_target_groups(c, a, NULL, NULL,
		                                      (gws_elbv2_target_groups *)&out);
	else if (strcmp(call->action, "DescribeVpcs") == 0)
		rc = gws_ec2_describe_vpcs(c, a, NULL, NULL, (gws_ec2_vpcs *)&out);
	else if (strcmp(call->action, "DescribeSubnets") == 0)
		rc = gws_ec2_describe_subnets(c, a, NULL, NULL, (gws_ec2_subnets *)&out);
	else
		rc = gws_ec2_describe_security_groups(c, a, NULL, NULL,
		                                      (gws_ec2_security_groups *)&out);
	*count = out.count;
	return rc;
}

/* One stub answering every call of `calls` with `token` as the next page's
 * (each reply used forever; "{n}" in a token becomes the reply's use count). */
static void start_stub(aws_stub *stub, const char *name, const char *token)
{
	gws_buf body, script = GWS_BUF_INIT(1 << 20);

	assert_int_equal(gws_buf_puts(&script, "["), 0);
	for (size_t i = 0; i < GWS_ARRAY_SIZE(calls); i++) {
		page_body(&body, &calls[i], token);
		assert_int_equal(gws_buf_printf(&script,
		                                "%s{\"action\": \"%s\", \"repeat\": true, "
		                                "\"counter\": true, \"body\": %s}",
		                                i ? "," : "", calls[i].action,
		                                json_quote(gws_buf_cstr(&body))),
		                 0);
		gws_buf_dispose(&body);
	}
	assert_int_equal(gws_buf_puts(&script, "]"), 0);
	assert_int_equal(aws_stub_start(stub, name, gws_buf_cstr(&script)), 0);
	gws_buf_dispose(&script);
}

/* Runs every call of `calls` against `stub`; each must fail with `rc`, an
 * error naming it and holding `needle`, after `requests` requests. */
static void run_every_call(aws_stub *stub, int rc, const char *needle, size_t requests)
{
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	size_t before = 0;

	assert_int_equal(aws_test_client(&c, stub->url, &hooks, 0, 0, 0), 0);
	for (size_t i = 0; i < GWS_ARRAY_SIZE(calls); i++) {
		gws_arena *a = NULL;
		size_t count = 0;

		assert_int_equal(gws_arena_new(&a), 0);
		assert_int_equal(run_call(c, a, &calls[i], &count), rc);
		if (!strstr(gws_error_last(), calls[i].action) || !strstr(gws_error_last(), needle))
			fail_msg("%s: %s", calls[i].action, gws_error_last());
		assert_int_equal(aws_stub_count(stub) - before, requests);
		before = aws_stub_count(stub);
		gws_arena_free(a);
	}
	gws_aws_client_free(c);
}

/* issue 10 M6: every paginated call stops at a repeated token, naming itself. */
static void test_repeated_token_every_call(void **state)
{
	aws_stub stub;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	/* Page 1 and every page after it point at the same next page. */
	start_stub(&stub, "repeat", "the-same-token");
	run_every_call(&stub, GWS_EREMOTE, "page 2 repeats", 2);
	aws_stub_stop(&stub);
}

/* A token that comes back after others (A, B, A) is a circle too. */
static void test_token_cycle(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_buf b1, b2, script = GWS_BUF_INIT(1 << 20);
	size_t count;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	page_body(&b1, &calls[3], "token-A");
	page_body(&b2, &calls[3], "token-B");
	assert_int_equal(gws_buf_printf(&script, "[{\"body\": %s},", json_quote(gws_buf_cstr(&b1))),
	                 0);
	assert_int_equal(gws_buf_printf(&script, "{\"body\": %s},", json_quote(gws_buf_cstr(&b2))),
	                 0);
	assert_int_equal(gws_buf_printf(&script, "{\"body\": %s, \"repeat\": true}]",
	                                json_quote(gws_buf_cstr(&b1))),
	                 0);
	/* Page 3 points at A again, where page 1 pointed. */
	assert_int_equal(aws_stub_start(&stub, "cycle", gws_buf_cstr(&script)), 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	assert_int_equal(run_call(c, a, &calls[3], &count), GWS_EREMOTE);
	assert_non_null(strstr(gws_error_last(), "page 3 repeats the NextMarker of page 1"));
	assert_int_equal(aws_stub_count(&stub), 3);
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
	gws_buf_dispose(&b1);
	gws_buf_dispose(&b2);
	gws_buf_dispose(&script);
}

/* New tokens forever: every call stops at the page limit (lowered by the
 * test hook from GWS_AWS_MAX_PAGES). */
static void test_page_limit(void **state)
{
	aws_stub stub;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	gws_aws__set_max_pages(5);
	start_stub(&stub, "forever", "token-{n}");
	run_every_call(&stub, GWS_ETOOBIG, "more than 5 pages", 5);
	aws_stub_stop(&stub);
	gws_aws__set_max_pages(0);
}

/* One page of 400 certificates, used `times` times, ending with `tail`. */
#define CERT_PAGE                                                                                  \
	"{\"action\": \"DescribeListenerCertificates\", \"times\": %d, \"counter\": true, "        \
	"\"items\": {\"head\": \"<R><DescribeListenerCertificatesResult><Certificates>\", "        \
	"\"item\": \"<member><CertificateArn>c{n}</CertificateArn></member>\", \"count\": "        \
	"400, \"tail\": \"</Certificates>%s</DescribeListenerCertificatesResult></R>\"}}"

static void test_pages_append_without_copying(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *one = NULL, *all = NULL;
	gws_elbv2_certificates certs;
	gws_buf script = GWS_BUF_INIT(1 << 20);
	size_t used_one;
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(gws_buf_puts(&script, "["), 0);
	assert_int_equal(gws_buf_printf(&script, CERT_PAGE, 1, "<NextMarker>only-{n}</NextMarker>"),
	                 0);
	assert_int_equal(gws_buf_puts(&script, ","), 0);
	assert_int_equal(gws_buf_printf(&script, CERT_PAGE, 1, ""), 0);
	assert_int_equal(gws_buf_puts(&script, ","), 0);
	assert_int_equal(
	        gws_buf_printf(&script, CERT_PAGE, 49, "<NextMarker>page-{n}</NextMarker>"), 0);
	assert_int_equal(gws_buf_puts(&script, ","), 0);
	assert_int_equal(gws_buf_printf(&script, CERT_PAGE, 1, ""), 0);
	assert_int_equal(gws_buf_puts(&script, "]"), 0);
	assert_int_equal(aws_stub_start(&stub, "pages", gws_buf_cstr(&script)), 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);

	/* Two pages first, to measure what a page of this shape takes. */
	assert_int_equal(gws_arena_new(&one), 0);
	assert_int_equal(gws_elbv2_describe_listener_certificates(c, one, "l", &certs), 0);
	assert_int_equal(certs.count, 800);
	used_one = gws_arena_used(one) / 2;

	assert_int_equal(gws_arena_new(&all), 0);
	assert_int_equal(gws_elbv2_describe_listener_certificates(c, all, "l", &certs), 0);
	assert_int_equal(certs.count, 50 * 400);
	assert_string_equal(certs.items[0].arn, "c1");
	assert_string_equal(certs.items[50 * 400 - 1].arn, "c1");
	if (gws_arena_used(all) > 3 * 50 * used_one)
		fail_msg("50 pages took %zu bytes; one page %zu", gws_arena_used(all), used_one);
	assert_int_equal(aws_stub_count(&stub), 52);

	gws_arena_free(one);
	gws_arena_free(all);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
	gws_buf_dispose(&script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_repeated_token_every_call),
	        cmocka_unit_test(test_token_cycle),
	        cmocka_unit_test(test_page_limit),
	        cmocka_unit_test(test_pages_append_without_copying),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
