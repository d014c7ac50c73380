/*
 * ALB value mapping: header value splitting, path patterns, gRPC method
 * paths, redirects and rewrites (docs/lbc-mapping.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/alb.h"

static gws_arena *arena;

static int setup(void **state)
{
	(void)state;
	return gws_arena_new(&arena);
}

static int teardown(void **state)
{
	(void)state;
	gws_arena_free(arena);
	arena = NULL;
	return 0;
}

static void assert_strings(const gws_alb_strings *got, const char *const *want, size_t n)
{
	assert_int_equal(got->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got->items[i], want[i]);
}

/* ---- header values ---- */

static void split(const char *in, const char *const *want, size_t n)
{
	gws_alb_strings out;

	assert_int_equal(gws_model__alb_split_header_value(&out, arena, in), 0);
	assert_strings(&out, want, n);
}

static void test_split_plain(void **state)
{
	(void)state;
	split("a,b,c", (const char *[]){"a", "b", "c"}, 3);
	split("single-value", (const char *[]){"single-value"}, 1);
	split("v1, v2", (const char *[]){"v1", " v2"}, 2);
}

static void test_split_escapes(void **state)
{
	(void)state;
	split("bar\\,bat", (const char *[]){"bar,bat"}, 1);
	split("a\\\\,b", (const char *[]){"a\\", "b"}, 2);
	split("a\\\\,b\\,c,d", (const char *[]){"a\\", "b,c", "d"}, 3);
	split("a\\n,b\\t", (const char *[]){"an", "bt"}, 2);
	/* a trailing backslash escapes nothing and stays */
	split("a\\", (const char *[]){"a\\"}, 1);
}

static void test_split_empty(void **state)
{
	(void)state;
	split("", (const char *[]){""}, 1);
	split(",,", (const char *[]){"", "", ""}, 3);
	split(NULL, (const char *[]){""}, 1);
}

/* ---- path patterns ---- */

static void path(const char *type, const char *value, bool regex, const char *const *want, size_t n)
{
	gws_alb_strings out;
	bool is_regex = !regex;

	assert_int_equal(gws_model__alb_path_values(&out, &is_regex, arena, type, value), 0);
	assert_true(is_regex == regex);
	assert_strings(&out, want, n);
}

static void test_path_prefix(void **state)
{
	(void)state;
	path("PathPrefix", "/", false, (const char *[]){"/*"}, 1);
	path("PathPrefix", "/abc", false, (const char *[]){"/abc", "/abc/*"}, 2);
	path("PathPrefix", "/abc/", false, (const char *[]){"/abc", "/abc/*"}, 2);
	path(NULL, NULL, false, (const char *[]){"/*"}, 1);
}

static void test_path_exact_and_regex(void **state)
{
	(void)state;
	path("Exact", "/x", false, (const char *[]){"/x"}, 1);
	path("Exact", "/x/", false, (const char *[]){"/x/"}, 1);
	path("RegularExpression", "/v[0-9]+/.*", true, (const char *[]){"/v[0-9]+/.*"}, 1);
	/* a literal wildcard in an Exact path becomes an anchored regex */
	path("Exact", "/a*b.c", true, (const char *[]){"^/a\\*b\\.c$"}, 1);
}

static void test_path_errors(void **state)
{
	gws_alb_strings out;
	bool is_regex;

	(void)state;
	assert_int_equal(gws_model__alb_path_values(&out, &is_regex, arena, "PathPrefix", "/a*"),
	                 GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "wildcard"));
	assert_int_equal(gws_model__alb_path_values(&out, &is_regex, arena, "Glob", "/a"),
	                 GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "Glob"));
}

/* ---- gRPC ---- */

static void test_grpc_path(void **state)
{
	const char *out = NULL;

	(void)state;
	assert_int_equal(gws_model__alb_grpc_path(&out, arena, "pkg.Svc", "Get"), 0);
	assert_string_equal(out, "/pkg.Svc/Get");
	assert_int_equal(gws_model__alb_grpc_path(&out, arena, "pkg.Svc", NULL), 0);
	assert_string_equal(out, "/pkg.Svc/*");
	assert_int_equal(gws_model__alb_grpc_path(&out, arena, NULL, "Get"), 0);
	assert_string_equal(out, "/*/Get");
	assert_int_equal(gws_model__alb_grpc_path(&out, arena, NULL, NULL), GWS_EINVALID);
}

/* ---- redirects ---- */

static gws_mf_request_redirect redirect(const char *scheme, const char *host, long port,
                                        long status)
{
	gws_mf_request_redirect r;

	memset(&r, 0, sizeof(r));
	r.scheme = scheme;
	r.hostname = host;
	if (port > 0) {
		r.port.set = true;
		r.port.value = port;
	}
	r.status_code.set = true;
	r.status_code.value = status;
	return r;
}

static void test_redirect_scheme(void **state)
{
	gws_mf_request_redirect r = redirect("https", NULL, 0, 301);
	gws_alb_redirect out;

	(void)state;
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), 0);
	assert_string_equal(out.protocol, "HTTPS");
	assert_string_equal(out.port, "443"); /* scheme without port: well-known port */
	assert_null(out.host);
	assert_null(out.path);
	assert_null(out.query);
	assert_string_equal(out.status_code, "HTTP_301");

	r = redirect("http", NULL, 8080, 302);
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), 0);
	assert_string_equal(out.protocol, "HTTP");
	assert_string_equal(out.port, "8080");
	assert_string_equal(out.status_code, "HTTP_302");
}

static void test_redirect_host_port_path(void **state)
{
	gws_mf_request_redirect r = redirect(NULL, "new.example.com", 0, 302);
	gws_mf_path_modifier pm = {"ReplaceFullPath", "/moved", NULL};
	gws_alb_redirect out;

	(void)state;
	r.path = &pm;
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, "#{query}"), 0);
	assert_null(out.protocol);
	assert_null(out.port);
	assert_string_equal(out.host, "new.example.com");
	assert_string_equal(out.path, "/moved");
	assert_string_equal(out.query, "#{query}");
	assert_false(out.prefix_rewrite);

	r = redirect(NULL, NULL, 8443, 302);
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), 0);
	assert_string_equal(out.port, "8443");
	assert_null(out.protocol);
}

static void test_redirect_prefix(void **state)
{
	gws_mf_request_redirect r = redirect(NULL, "other.example.com", 0, 302);
	gws_mf_path_modifier pm = {"ReplacePrefixMatch", NULL, "/new"};
	gws_alb_redirect out;

	(void)state;
	r.path = &pm;
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), 0);
	assert_true(out.prefix_rewrite);
	assert_string_equal(out.prefix_replacement, "/new");
	assert_null(out.path);

	/* only a prefix replacement: the loop ALB rejects */
	r.hostname = NULL;
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "loop"));
}

static void test_redirect_errors(void **state)
{
	gws_mf_request_redirect r = redirect("ftp", NULL, 0, 302);
	gws_mf_path_modifier pm = {"ReplaceFullPath", "/a*", NULL};
	gws_alb_redirect out;

	(void)state;
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "ftp"));
	r = redirect("https", NULL, 0, 308);
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "308"));
	r = redirect(NULL, "h.example.com", 0, 302);
	r.path = &pm;
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "wildcard"));
	/* nothing changes at all */
	r = redirect(NULL, NULL, 0, 301);
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, NULL), GWS_EINVALID);
	/* an LRC query other than #{query} is a change */
	assert_int_equal(gws_model__alb_redirect_map(&out, arena, &r, "a=b"), 0);
	assert_string_equal(out.query, "a=b");
}

/* ---- rewrites ---- */

static void prefix(const char *match, const char *repl, const char *regex, const char *replace)
{
	gws_alb_rewrite rw;

	assert_int_equal(gws_model__alb_prefix_rewrite(&rw, arena, match, repl), 0);
	assert_string_equal(rw.regex, regex);
	assert_string_equal(rw.replace, replace);
}

static void test_prefix_rewrite_vectors(void **state)
{
	(void)state;
	/* LBC's own prefix-rewrite test vectors (route_rule_transform_test.go) */
	prefix("/foo", "/cat", "(^/foo(/)?)", "/cat$2");
	prefix("/foo", "/cat/", "(^/foo(/)?)", "/cat/");
	prefix("/foo", "", "(^/foo(/)?)", "/");
	/* our corrections: trailing slash trimmed, metacharacters escaped */
	prefix("/foo/", "/xyz", "(^/foo(/)?)", "/xyz$2");
	prefix("/v1.0", "/v2", "(^/v1\\.0(/)?)", "/v2$2");
	prefix("/", "/xyz", "(^(/)?)", "/xyz$2");
}

static void test_full_and_host_rewrite(void **state)
{
	gws_alb_rewrite rw;

	(void)state;
	gws_model__alb_full_path_rewrite(&rw, "/cat");
	assert_string_equal(rw.regex, "^([^?]*)");
	assert_string_equal(rw.replace, "/cat");
	gws_model__alb_host_rewrite(&rw, "backend.internal");
	assert_string_equal(rw.regex, ".*");
	assert_string_equal(rw.replace, "backend.internal");
}

static void test_count_wildcards(void **state)
{
	(void)state;
	assert_int_equal(gws_model__alb_count_wildcards("/a/*"), 1);
	assert_int_equal(gws_model__alb_count_wildcards("*.example.com"), 1);
	assert_int_equal(gws_model__alb_count_wildcards("a?b*c"), 2);
	assert_int_equal(gws_model__alb_count_wildcards("a\\*b"), 0);
	assert_int_equal(gws_model__alb_count_wildcards(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_split_plain),
	        cmocka_unit_test(test_split_escapes),
	        cmocka_unit_test(test_split_empty),
	        cmocka_unit_test(test_path_prefix),
	        cmocka_unit_test(test_path_exact_and_regex),
	        cmocka_unit_test(test_path_errors),
	        cmocka_unit_test(test_grpc_path),
	        cmocka_unit_test(test_redirect_scheme),
	        cmocka_unit_test(test_redirect_host_port_path),
	        cmocka_unit_test(test_redirect_prefix),
	        cmocka_unit_test(test_redirect_errors),
	        cmocka_unit_test(test_prefix_rewrite_vectors),
	        cmocka_unit_test(test_full_and_host_rewrite),
	        cmocka_unit_test(test_count_wildcards),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
