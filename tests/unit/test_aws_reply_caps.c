/*
 * Reply size (issue 10 L10): a describe page is decoded one item at a time
 * as it streams, so libxml2 holds about one item, not a tree of the whole
 * reply (which cost ten to thirty times the reply); a page over
 * GWS_AWS_PAGE_REPLY_CAP, or any other reply over GWS_AWS_REPLY_CAP, is
 * refused with an error naming the call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/xmlmemory.h>

#include "aws/call.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

/* ---- libxml2's memory, counted ------------------------------------------------ */

typedef union {
	size_t n;
	max_align_t align;
} xml_hdr;

static size_t xml_now, xml_peak;

static void *count_malloc(size_t n)
{
	xml_hdr *h = malloc(sizeof(*h) + n);

	if (!h)
		return NULL;
	h->n = n;
	if ((xml_now += n) > xml_peak)
		xml_peak = xml_now;
	return h + 1;
}

static void count_free(void *p)
{
	xml_hdr *h = p ? (xml_hdr *)p - 1 : NULL;

	if (!h)
		return;
	xml_now -= h->n;
	free(h);
}

static void *count_realloc(void *p, size_t n)
{
	xml_hdr *h, *nh;
	size_t old;

	if (!p)
		return count_malloc(n);
	h = (xml_hdr *)p - 1;
	old = h->n;
	if (!(nh = realloc(h, sizeof(*nh) + n)))
		return NULL;
	nh->n = n;
	if ((xml_now = xml_now - old + n) > xml_peak)
		xml_peak = xml_now;
	return nh + 1;
}

static char *count_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = count_malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* ---- tests ------------------------------------------------------------------------ */

#define TG_ITEM                                                                                    \
	"<member><TargetGroupArn>arn:aws:elasticloadbalancing:us-west-2:123456789012:"             \
	"targetgroup/k8s-{n}/0123456789abcdef</TargetGroupArn><TargetGroupName>k8s-tg"             \
	"</TargetGroupName><Protocol>HTTP</Protocol><Port>80</Port><VpcId>vpc-1</VpcId>"           \
	"<HealthCheckEnabled>true</HealthCheckEnabled><HealthCheckIntervalSeconds>15"              \
	"</HealthCheckIntervalSeconds><Matcher><HttpCode>200</HttpCode></Matcher>"                 \
	"<LoadBalancerArns><member>lb-1</member><member>lb-2</member></LoadBalancerArns>"          \
	"<TargetType>ip</TargetType></member>"

/* A DescribeTargetGroups page of `count` target groups. */
#define TG_PAGE                                                                                    \
	"{\"action\": \"DescribeTargetGroups\", \"counter\": true, \"items\": {\"head\": "         \
	"\"<DescribeTargetGroupsResponse><DescribeTargetGroupsResult><TargetGroups>\", "           \
	"\"item\": \"" TG_ITEM "\", \"count\": %zu, \"tail\": \"</TargetGroups>"                   \
	"</DescribeTargetGroupsResult><ResponseMetadata><RequestId>big-page</RequestId>"           \
	"</ResponseMetadata></DescribeTargetGroupsResponse>\"}}"

/* issue 10 L10: a 12 MB page is decoded with libxml2 holding well under a
 * megabyte at any time, into exactly what it lists. */
static void test_page_streams(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_target_groups tgs;
	gws_buf script = GWS_BUF_INIT(1 << 20);
	size_t count = 12u * 1024 * 1024 / (sizeof(TG_ITEM) - 1);
	(void)state;

	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(gws_buf_puts(&script, "["), 0);
	assert_int_equal(gws_buf_printf(&script, TG_PAGE, count), 0);
	assert_int_equal(gws_buf_puts(&script, "]"), 0);
	assert_int_equal(aws_stub_start(&stub, "bigpage", gws_buf_cstr(&script)), 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);
	xml_peak = xml_now;
	assert_int_equal(gws_elbv2_describe_target_groups(c, a, NULL, NULL, &tgs), 0);
	assert_int_equal(tgs.count, count);
	assert_string_equal(tgs.items[count - 1].target_type, "ip");
	assert_int_equal(tgs.items[count - 1].load_balancer_arns.count, 2);
	assert_int_equal(tgs.items[0].health_check_interval, 15);
	if (xml_peak > 1024 * 1024)
		fail_msg("libxml2 held %zu bytes decoding a %zu-byte page", xml_peak,
		         count * (sizeof(TG_ITEM) - 1));
	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
	gws_buf_dispose(&script);
}

/* issue 10 L10: replies over their cap are refused, naming the call. */
static void test_reply_caps(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	gws_arena *a = NULL;
	gws_elbv2_target_groups tgs;
	gws_sts_caller_identity id;
	gws_elbv2_rule rule;
	gws_elbv2_create_rule_input in;
	gws_buf script = GWS_BUF_INIT(1 << 20);
	char needle[64];
	(void)state;

	memset(&in, 0, sizeof(in));
	in.listener_arn = "l";
	aws_test_env("AKIDTEST", "testsecret", NULL);
	assert_int_equal(gws_buf_puts(&script, "["), 0);
	assert_int_equal(gws_buf_printf(&script, TG_PAGE,
	                                GWS_AWS_PAGE_REPLY_CAP / (sizeof(TG_ITEM) - 3) + 100),
	                 0);
	/* One identity, one rule: a megabyte of padding is no reply to those. */
	assert_int_equal(
	        gws_buf_printf(&script,
	                       ",{\"action\": \"GetCallerIdentity\", \"items\": {\"head\": "
	                       "\"<R><GetCallerIdentityResult><Account>1</Account><Arn>\", "
	                       "\"item\": \"x\", \"count\": %u, \"tail\": \"</Arn>"
	                       "</GetCallerIdentityResult></R>\"}}",
	                       GWS_AWS_REPLY_CAP),
	        0);
	assert_int_equal(gws_buf_printf(&script,
	                                ",{\"action\": \"CreateRule\", \"items\": {\"head\": "
	                                "\"<R><CreateRuleResult><Rules><member><RuleArn>\", "
	                                "\"item\": \"x\", \"count\": %u, \"tail\": \"</RuleArn>"
	                                "</member></Rules></CreateRuleResult></R>\"}}]",
	                                GWS_AWS_REPLY_CAP),
	                 0);
	assert_int_equal(aws_stub_start(&stub, "caps", gws_buf_cstr(&script)), 0);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&a), 0);

	assert_int_equal(gws_elbv2_describe_target_groups(c, a, NULL, NULL, &tgs), GWS_ETOOBIG);
	snprintf(needle, sizeof(needle), "reply larger than %u bytes", GWS_AWS_PAGE_REPLY_CAP);
	if (!strstr(gws_error_last(), "DescribeTargetGroups") || !strstr(gws_error_last(), needle))
		fail_msg("%s", gws_error_last());

	assert_int_equal(gws_sts_get_caller_identity(c, a, &id), GWS_ETOOBIG);
	snprintf(needle, sizeof(needle), "reply larger than %u bytes", GWS_AWS_REPLY_CAP);
	if (!strstr(gws_error_last(), "GetCallerIdentity") || !strstr(gws_error_last(), needle))
		fail_msg("%s", gws_error_last());

	/* A write was answered, so it happened; what it made cannot be read. */
	assert_int_equal(gws_elbv2_create_rule(c, a, &in, &rule), GWS_EUNKNOWN_OUTCOME);
	assert_non_null(strstr(gws_error_last(), "CreateRule"));
	/* Nothing was asked twice. */
	assert_int_equal(aws_stub_count(&stub), 3);

	gws_arena_free(a);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
	gws_buf_dispose(&script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_page_streams),
	        cmocka_unit_test(test_reply_caps),
	};

	/* Before libxml2 starts: every allocation it makes is counted. */
	xmlMemSetup(count_free, count_malloc, count_realloc, count_strdup);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
