/*
 * Model helpers: the LBC name layout and hash (LBC's Test_buildTargetGroupName
 * vectors), hostname intersection (the Gateway API hostnames table), ownership
 * tags that user tags never override, and the string map.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/build.h"
#include "model/strmap.h"

static gws_model_ctx ctx;

static int setup(void **state)
{
	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	ctx.opts.cluster = "foo";
	return gws_arena_new(&ctx.arena);
}

static int teardown(void **state)
{
	(void)state;
	gws_arena_free(ctx.arena);
	return 0;
}

/* Test_buildTargetGroupName: cluster foo, gw my-ns/my-gw, route my-ns/my-route
 * HTTPRoute, svc my-ns/my-svc, port 80, ip, TCP. */
static void test_tg_name_vectors(void **state)
{
	const char *base[] = {"foo",   "my-ns",  "my-gw", "my-ns", "my-route", "HTTPRoute",
	                      "my-ns", "my-svc", "80",    "ip",    "TCP",      NULL};
	const char *http2[] = {"foo",       "my-ns", "my-gw",  "my-ns", "my-route",
	                       "HTTPRoute", "my-ns", "my-svc", "80",    "ip",
	                       "TCP",       "HTTP2", NULL};
	const char *tcp3000[] = {"foo",       "my-ns", "my-gw",  "my-ns", "my-route",
	                         "HTTPRoute", "my-ns", "my-svc", "80",    "ip",
	                         "TCP",       "3000",  NULL};
	(void)state;
	assert_string_equal(gws_model__lbc_name(&ctx, "my-ns", "my-route", base),
	                    "k8s-myns-myroute-27d98b9190");
	assert_string_equal(gws_model__lbc_name(&ctx, "my-ns", "my-route", http2),
	                    "k8s-myns-myroute-d2bd5deaa7");
	assert_string_equal(gws_model__lbc_name(&ctx, "my-ns", "my-route", tcp3000),
	                    "k8s-myns-myroute-54e81471e4");
}

/* The LB name layout: sanitized, truncated to 8 characters, hash of 10; ≤ 32. */
static void test_lb_name_layout(void **state)
{
	const char *parts[] = {"test-cluster", "test-namespace/test-gateway", "internal", NULL};
	const char *name;
	(void)state;
	name = gws_model__lbc_name(&ctx, "test-namespace", "test-gateway", parts);
	assert_non_null(name);
	assert_int_equal(strlen(name), 32);
	assert_true(gws_str_startswith(name, "k8s-testname-testgate-"));
	/* a different scheme is a different name */
	parts[2] = "internet-facing";
	assert_string_not_equal(name,
	                        gws_model__lbc_name(&ctx, "test-namespace", "test-gateway", parts));
	/* short and odd names: non-alphanumerics go, nothing is padded */
	name = gws_model__lbc_name(&ctx, "a.b", "x_y-z", parts);
	assert_true(gws_str_startswith(name, "k8s-ab-xyz-"));
	assert_int_equal(strlen(name), strlen("k8s-ab-xyz-") + 10);
}

static void check_intersect(const char *listener, const char *route, const char *want)
{
	const char *got = gws_model__hostname_intersect(listener, route);
	if (!want) {
		if (got)
			fail_msg("%s x %s: want no intersection, got %s", listener ? listener : "*",
			         route ? route : "*", got);
		return;
	}
	if (!got)
		fail_msg("%s x %s: want %s, got none", listener ? listener : "*",
		         route ? route : "*", want);
	assert_string_equal(got, want);
}

static void test_hostname_intersection(void **state)
{
	(void)state;
	check_intersect("www.example.com", "www.example.com", "www.example.com");
	check_intersect("*.example.com", "www.example.com", "www.example.com");
	check_intersect("*.example.com", "sub.domain.example.com", "sub.domain.example.com");
	check_intersect("www.example.com", "*.example.com", "www.example.com");
	check_intersect("sub.domain.example.com", "*.example.com", "sub.domain.example.com");
	check_intersect("*.example.com", "*.example.com", "*.example.com");
	check_intersect("*.com", "*.example.com", "*.example.com");
	check_intersect("*.example.com", "*.com", "*.example.com");
	check_intersect(NULL, "www.example.com", "www.example.com");
	check_intersect("www.example.com", NULL, "www.example.com");
	check_intersect(NULL, NULL, "");
	check_intersect("*", "*", "");
	/* a wildcard needs at least one more label */
	check_intersect("*.example.com", "example.com", NULL);
	check_intersect("example.com", "*.example.com", NULL);
	check_intersect("www.example.com", "www.example.net", NULL);
	check_intersect("*.example.com", "*.example.net", NULL);
	/* suffix must end at a label boundary */
	check_intersect("*.example.com", "badexample.com", NULL);
}

static void test_ownership_tags_win(void **state)
{
	gws_manifest_object gw;
	gws_mf_kv user[] = {
	        {"team", "shop"},
	        {"gwsync.io/cluster", "hijack"},
	        {"gwsync.io/managed-by", "someone-else"},
	        {"cost-center", "42"},
	        {"team", "checkout"}, /* a later duplicate wins */
	};
	gws_model_kvs tags;
	(void)state;
	memset(&gw, 0, sizeof(gw));
	gw.meta.namespace_ = "apps";
	gw.meta.name = "gw";
	ctx.gateway = &gw;
	assert_int_equal(gws_model__resource_tags(&ctx, &tags, "80:3", user, 5), 0);
	assert_int_equal(tags.n, 6);
	assert_string_equal(tags.items[0].key, "cost-center");
	assert_string_equal(tags.items[1].key, "gwsync.io/cluster");
	assert_string_equal(tags.items[1].value, "foo");
	assert_string_equal(tags.items[2].key, "gwsync.io/managed-by");
	assert_string_equal(tags.items[2].value, "gwsync");
	assert_string_equal(tags.items[3].key, "gwsync.io/resource");
	assert_string_equal(tags.items[3].value, "80:3");
	assert_string_equal(tags.items[4].key, "gwsync.io/stack");
	assert_string_equal(tags.items[4].value, "apps/gw");
	assert_string_equal(tags.items[5].key, "team");
	assert_string_equal(tags.items[5].value, "checkout");
	ctx.gateway = NULL;
}

static void test_strmap(void **state)
{
	gws_model_strmap *map = NULL;
	char keys[2000][16];
	size_t i;
	(void)state;
	assert_int_equal(gws_model__strmap_new(&map), 0);
	for (i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		assert_int_equal(gws_model__strmap_put(map, keys[i], keys[i]), 0);
	}
	for (i = 0; i < 2000; i++)
		assert_ptr_equal(gws_model__strmap_get(map, keys[i]), keys[i]);
	assert_null(gws_model__strmap_get(map, "absent"));
	assert_int_equal(gws_model__strmap_put(map, "k7", NULL), 0);
	assert_null(gws_model__strmap_get(map, "k7"));
	gws_model__strmap_clear(map);
	assert_null(gws_model__strmap_get(map, "k1"));
	gws_model__strmap_free(map);
}

static void test_lb_name_validity(void **state)
{
	(void)state;
	assert_true(gws_model__valid_lb_name("k8s-apps-gw-4046eb8eee"));
	assert_true(gws_model__valid_lb_name("a"));
	assert_false(gws_model__valid_lb_name(""));
	assert_false(gws_model__valid_lb_name("-leading"));
	assert_false(gws_model__valid_lb_name("trailing-"));
	assert_false(gws_model__valid_lb_name("internal-lb"));
	assert_false(gws_model__valid_lb_name("under_score"));
	assert_false(gws_model__valid_lb_name("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
	assert_true(gws_model__valid_lb_name("abcdefghijklmnopqrstuvwxyz012345"));   /* 32 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tg_name_vectors),
	        cmocka_unit_test(test_lb_name_layout),
	        cmocka_unit_test(test_hostname_intersection),
	        cmocka_unit_test(test_ownership_tags_win),
	        cmocka_unit_test(test_strmap),
	        cmocka_unit_test(test_lb_name_validity),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
