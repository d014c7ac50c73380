/*
 * ALB rule precedence, key by key (docs/lbc-mapping.md, "Rule precedence"),
 * and the RFC 3339 parser behind the creationTimestamp key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/alb.h"

static gws_alb_prec_key key(const char *host)
{
	gws_alb_prec_key k;

	memset(&k, 0, sizeof(k));
	k.hostname = host;
	k.path_type = GWS_ALB_PATH_PREFIX;
	k.path_len = 1;
	k.route_key = "ns/r";
	k.route_kind = "HTTPRoute";
	return k;
}

static int cmp(const gws_alb_prec_key *a, const gws_alb_prec_key *b)
{
	return gws_model__alb_prec_cmp(a, b);
}

static void test_hostname_order(void **state)
{
	(void)state;
	/* catch-all loses to everything, wildcards included */
	assert_true(gws_model__alb_hostname_cmp("*.com", "") < 0);
	assert_true(gws_model__alb_hostname_cmp("", "*.com") > 0);
	assert_int_equal(gws_model__alb_hostname_cmp("", ""), 0);
	/* non-wildcard beats wildcard, whatever the lengths */
	assert_true(gws_model__alb_hostname_cmp("a.com", "*.very.long.example.com") < 0);
	/* more dots first, then longer */
	assert_true(gws_model__alb_hostname_cmp("a.b.example.com", "abcdef.example.com") < 0);
	assert_true(gws_model__alb_hostname_cmp("abc.example.com", "ab.example.com") < 0);
	assert_true(gws_model__alb_hostname_cmp("*.b.example.com", "*.example.com") < 0);
	/* same shape: tie here (the full comparator breaks it by string) */
	assert_int_equal(gws_model__alb_hostname_cmp("a.example.com", "b.example.com"), 0);
	assert_int_equal(gws_model__alb_hostname_cmp(NULL, ""), 0);
}

static void test_path_keys(void **state)
{
	gws_alb_prec_key exact = key(""), prefix = key(""), longprefix = key(""), regex = key("");
	gws_alb_prec_key none = key("");

	(void)state;
	exact.path_type = GWS_ALB_PATH_EXACT;
	exact.path_len = 2;
	longprefix.path_len = 10;
	regex.path_type = GWS_ALB_PATH_REGEX;
	regex.path_len = 40;
	none.path_type = GWS_ALB_PATH_NONE;
	none.path_len = 0;
	/* Exact beats any prefix; longer prefix first; regex after prefixes */
	assert_true(cmp(&exact, &longprefix) < 0);
	assert_true(cmp(&longprefix, &prefix) < 0);
	assert_true(cmp(&prefix, &regex) < 0);
	assert_true(cmp(&regex, &none) < 0);
	/* hostname comes before path */
	gws_alb_prec_key hosted = key("a.example.com");
	hosted.path_type = GWS_ALB_PATH_NONE;
	assert_true(cmp(&hosted, &exact) < 0);
}

static void test_method_headers_queries(void **state)
{
	gws_alb_prec_key a = key(""), b = key("");

	(void)state;
	a.has_method = true;
	b.header_count = 5;
	b.query_count = 5;
	assert_true(cmp(&a, &b) < 0); /* method before header count */
	a = key("");
	a.header_count = 2;
	b = key("");
	b.header_count = 1;
	b.query_count = 4;
	assert_true(cmp(&a, &b) < 0); /* headers before query params */
	a = key("");
	a.query_count = 1;
	b = key("");
	assert_true(cmp(&a, &b) < 0);
}

static void test_grpc_secondary(void **state)
{
	gws_alb_prec_key svc = key(""), both = key("");

	(void)state;
	svc.path_type = both.path_type = GWS_ALB_PATH_EXACT;
	svc.path_len = both.path_len = 7;
	both.secondary_len = 3;
	assert_true(cmp(&both, &svc) < 0);
}

static void test_route_tiebreaks(void **state)
{
	gws_alb_prec_key old = key(""), young = key(""), none = key("");

	(void)state;
	old.has_created = young.has_created = true;
	old.created_ms = 1000;
	young.created_ms = 2000;
	old.route_key = "zz/z"; /* age beats name */
	assert_true(cmp(&old, &young) < 0);
	/* a route without creationTimestamp counts as the newest */
	none.route_key = "aa/a";
	assert_true(cmp(&young, &none) < 0);
	/* then namespace/name, rule index, match index, hostname string, kind */
	gws_alb_prec_key a = key(""), b = key("");
	a.route_key = "ns/a";
	b.route_key = "ns/b";
	assert_true(cmp(&a, &b) < 0);
	b = a;
	b.rule_index = 1;
	assert_true(cmp(&a, &b) < 0);
	b = a;
	b.match_index = GWS_ALB_NO_MATCH;
	a.match_index = 3;
	assert_true(cmp(&a, &b) < 0);
	a = key("a.example.com");
	b = key("b.example.com");
	assert_true(cmp(&a, &b) < 0);
	a = key("");
	b = key("");
	a.route_kind = "GRPCRoute";
	assert_true(cmp(&a, &b) < 0);
	assert_int_equal(cmp(&b, &b), 0);
}

static void test_http_grpc_interleave(void **state)
{
	/* an HTTP catch-all must not shadow a specific gRPC method (LBC #4818) */
	gws_alb_prec_key http = key(""), grpc = key("");

	(void)state;
	http.path_type = GWS_ALB_PATH_PREFIX;
	http.path_len = 1; /* "/" */
	http.route_key = "a/a";
	grpc.route_kind = "GRPCRoute";
	grpc.path_type = GWS_ALB_PATH_EXACT;
	grpc.path_len = 11;
	grpc.secondary_len = 3;
	grpc.route_key = "z/z";
	assert_true(cmp(&grpc, &http) < 0);
}

static void test_timestamps(void **state)
{
	int64_t ms = 0;

	(void)state;
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "1970-01-01T00:00:00Z"), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "2024-02-29T12:30:15Z"), 0);
	assert_int_equal(ms, 1709209815000LL);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "2024-02-29T12:30:15.250Z"), 0);
	assert_int_equal(ms, 1709209815250LL);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "2024-02-29T14:30:15+02:00"), 0);
	assert_int_equal(ms, 1709209815000LL);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "1969-12-31T23:59:59Z"), 0);
	assert_int_equal(ms, -1000);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "2023-02-29T00:00:00Z"), GWS_EINVALID);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "2024-01-01"), GWS_EINVALID);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "2024-01-01T00:00:00"), GWS_EINVALID);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, "2024-01-01T00:00:00Zjunk"),
	                 GWS_EINVALID);
	assert_int_equal(gws_model__alb_parse_timestamp(&ms, NULL), GWS_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hostname_order),
	        cmocka_unit_test(test_path_keys),
	        cmocka_unit_test(test_method_headers_queries),
	        cmocka_unit_test(test_grpc_secondary),
	        cmocka_unit_test(test_route_tiebreaks),
	        cmocka_unit_test(test_http_grpc_interleave),
	        cmocka_unit_test(test_timestamps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
