/*
 * The report directory is part of a repository anyone with write access can
 * change: previous files may be garbage, huge, links or FIFOs, and object
 * names may try to climb out. None of it may crash gwsync, hang it, or make
 * it write anywhere but .gwsync/<cluster>/.
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

#include "gwsync/report.h"
#include "helper_manifest.h"
#include "helper_report.h"

#define T1      ((time_t)1767225600) /* 2026-01-01T00:00:00Z */
#define T2      ((time_t)1767312000) /* 2026-01-02T00:00:00Z */
#define GW_FILE "status/default/Gateway/my-alb-gateway.yaml"

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

static void write_at(fixture *f, time_t now, gws_report_result *res)
{
	gws_report_input in = hr_input(&f->m, now);
	int rc = gws_report_write(&in, f->root, res);
	if (rc != 0)
		fail_msg("gws_report_write: %d %s", rc, gws_error_last());
}

/* The Gateway file as a fresh write at `now` makes it. */
static char *fresh(fixture *f, time_t now)
{
	char *other = hm_mkroot(), *text;
	gws_report_input in = hr_input(&f->m, now);
	gws_report_result res;
	assert_int_equal(gws_report_write(&in, other, &res), 0);
	text = hr_read(hr_path(other, "demo", GW_FILE), NULL);
	hm_rmrf(other);
	gws_free(other);
	assert_non_null(text);
	return text;
}

/* After a hostile previous Gateway file, the new one is exactly a fresh one at T2. */
static void assert_fresh_gateway(fixture *f)
{
	char *want = fresh(f, T2), *got = hr_read(hr_path(f->root, "demo", GW_FILE), NULL);
	struct stat st;
	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(lstat(hr_path(f->root, "demo", GW_FILE), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	free(got);
	free(want);
}

static void prev_gateway(fixture *f, const char *data, size_t len)
{
	hm_write(f->root, ".gwsync/demo/" GW_FILE, data, len);
}

static void test_garbage_previous_files(void **state)
{
	static const char *const garbage[] = {
	        "\x00\x01\x02\xff\xfe binary",
	        "status: [unclosed",
	        "status:\n  conditions:\n  - type: Accepted\n    status: \"True\n",
	        "{{{{{{{{{{{{",
	        "- a\n- b\n",
	        "status: &a\n  conditions: *a\n",
	        "%YAML 1.1\n%TAG ! tag:x,2000:\n--- !foo\nstatus: !!binary aGVsbG8=\n",
	        "status:\n  conditions:\n  - ? [complex, key]\n    : value\n    type: Accepted\n",
	        "status:\n  conditions:\n  - type: Accepted\n    status: \"True\"\n"
	        "    lastTransitionTime: yesterday\n",
	        "status:\n  conditions:\n  - type: Accepted\n    status: \"True\"\n"
	        "    lastTransitionTime: \"2020-02-30T00:00:00Z\"\n",
	        "status:\n  conditions:\n  - type: Accepted\n    status: \"True\"\n"
	        "    lastTransitionTime: \"2020-01-01T00:00:00+02:00\"\n",
	};
	fixture *f = *state;
	gws_report_result res;

	for (size_t i = 0; i < GWS_ARRAY_SIZE(garbage); i++) {
		size_t len = i == 0 ? 12 : strlen(garbage[i]);
		prev_gateway(f, garbage[i], len);
		write_at(f, T2, &res);
		/* Nothing usable: every condition starts at T2, as in a fresh file. */
		assert_fresh_gateway(f);
	}
}

/* An anchored condition is read; aliases to it count as nothing. */
static void test_aliases_count_as_nothing(void **state)
{
	fixture *f = *state;
	gws_report_result res;
	char *text, *first;

	prev_gateway(f,
	             "status:\n  conditions:\n  - &c {type: Accepted, status: \"True\", "
	             "lastTransitionTime: \"2020-01-01T00:00:00Z\"}\n"
	             "  listeners: [{name: http, conditions: [*c]}, *c]\n",
	             (size_t)-1);
	write_at(f, T2, &res);
	text = hr_read(hr_path(f->root, "demo", GW_FILE), NULL);
	first = strstr(text, "2020-01-01T00:00:00Z");
	assert_non_null(first);
	assert_null(strstr(first + 1, "2020-01-01T00:00:00Z"));
	assert_true(strstr(text, "listeners:") > first);
	free(text);
}

static void test_deep_nesting_and_alias_bombs(void **state)
{
	fixture *f = *state;
	gws_report_result res;
	gws_buf b = GWS_BUF_INIT(8u * 1024 * 1024);

	/* 200,000 levels of flow sequences: the parser gives up, nothing recurses. */
	for (int i = 0; i < 200000; i++)
		assert_int_equal(gws_buf_putc(&b, '['), 0);
	prev_gateway(f, b.ptr, b.size);
	write_at(f, T2, &res);
	assert_fresh_gateway(f);

	/* A billion laughs: aliases are never expanded. */
	gws_buf_clear(&b);
	assert_int_equal(gws_buf_puts(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n"), 0);
	for (char c = 'b'; c <= 'z'; c++)
		assert_int_equal(
		        gws_buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c,
		                       c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1),
		        0);
	assert_int_equal(gws_buf_puts(&b, "status: {conditions: *z, listeners: *z}\n"), 0);
	prev_gateway(f, b.ptr, b.size);
	write_at(f, T2, &res);
	assert_fresh_gateway(f);
	gws_buf_dispose(&b);
}

static void test_huge_previous_files(void **state)
{
	fixture *f = *state;
	size_t len = 20u * 1024 * 1024;
	char *big = malloc(len);
	gws_report_result res;
	char *text;

	/* A 20 MB status file: over the cap, never parsed, replaced. */
	memset(big, 'a', len);
	memcpy(big, "status:\n  conditions:\n  - type: Accepted\n    x: ", 47);
	prev_gateway(f, big, len);
	/* A 20 MB inventory.json of nested arrays: too many containers to parse. */
	memset(big, '[', len);
	hm_write(f->root, ".gwsync/demo/inventory.json", big, len);
	write_at(f, T2, &res);
	assert_fresh_gateway(f);
	text = hr_read(hr_path(f->root, "demo", "inventory.json"), NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"stack\": \"default/my-alb-gateway\""));
	assert_true(strlen(text) < 4096);
	free(text);
	free(big);
}

static void test_inventory_of_wrong_types(void **state)
{
	fixture *f = *state;
	gws_report_result res;
	char *text;

	hm_write(f->root, ".gwsync/demo/inventory.json",
	         "{\"stacks\": [5, \"x\", {\"stack\": 7}, {\"stack\": \"default/my-alb-gateway\", "
	         "\"lastChange\": {\"sourceCommit\": \"not-hex\", \"change\": \"edited | by "
	         "`hand`\"},"
	         " \"resources\": [{\"kind\": \"LoadBalancer\"}, {\"kind\": \"Bucket\", \"id\": "
	         "\"b\"},"
	         " {\"kind\": \"TargetGroup\", \"id\": \"t\", \"arn\": 12}]}]}",
	         (size_t)-1);
	write_at(f, T2, &res); /* offline: the previous resources are kept where valid */
	text = hr_read(hr_path(f->root, "demo", "inventory.json"), NULL);
	assert_non_null(text);
	assert_string_equal(text, "{\n"
	                          "  \"formatVersion\": \"1\",\n"
	                          "  \"cluster\": \"demo\",\n"
	                          "  \"stacks\": [\n"
	                          "    {\n"
	                          "      \"stack\": \"default/my-alb-gateway\",\n"
	                          "      \"lastChange\": {\n"
	                          "        \"change\": \"edited | by `hand`\"\n"
	                          "      },\n"
	                          "      \"resources\": [\n"
	                          "        {\n"
	                          "          \"kind\": \"TargetGroup\",\n"
	                          "          \"id\": \"t\"\n"
	                          "        }\n"
	                          "      ]\n"
	                          "    }\n"
	                          "  ]\n"
	                          "}\n");
	free(text);
	/* The hand-written change line reaches SUMMARY.md escaped. */
	text = hr_read(hr_path(f->root, "demo", "SUMMARY.md"), NULL);
	assert_non_null(strstr(text, "edited \\| by \\`hand\\`"));
	free(text);
}

static void test_symlinks_are_never_followed(void **state)
{
	fixture *f = *state;
	char *outside = hm_mkroot(), *target, *dir_target, *link;
	gws_report_result res;
	char *text;
	struct stat st;

	target = gws_asprintf("%s/secret.yaml", outside);
	dir_target = gws_asprintf("%s/dir", outside);
	hm_write(outside, "secret.yaml", "do not touch\n", (size_t)-1);
	hm_write(outside, "dir/keep.txt", "keep\n", (size_t)-1);
	write_at(f, T1, &res);

	/* A status file that is a link to a file outside: read as absent, replaced. */
	unlink(hr_path(f->root, "demo", GW_FILE));
	assert_int_equal(symlink(target, hr_path(f->root, "demo", GW_FILE)), 0);
	/* A directory that is a link to a directory outside: replaced by a real one. */
	link = gws_strdup(hr_path(f->root, "demo", "status/default/HTTPRoute"));
	hm_rmrf(link);
	assert_int_equal(symlink(dir_target, link), 0);
	/* A stale link: removed, its target left alone. */
	assert_int_equal(symlink(target, hr_path(f->root, "demo", "stale.yaml")), 0);

	write_at(f, T2, &res);
	text = hr_read(target, NULL);
	assert_string_equal(text, "do not touch\n");
	free(text);
	assert_int_equal(access(hr_path(f->root, "demo", "stale.yaml"), F_OK), -1);
	assert_int_equal(lstat(hr_path(f->root, "demo", "stale.yaml"), &st), -1);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(lstat(hr_path(f->root, "demo", GW_FILE), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	/* Outside: exactly what was there. */
	text = gws_asprintf("%s/dir/keep.txt", outside);
	assert_int_equal(access(text, F_OK), 0);
	gws_free(text);
	text = gws_asprintf("%s/dir/my-http-app-route.yaml", outside);
	assert_int_equal(access(text, F_OK), -1);
	gws_free(text);
	/* The route file was written where it belongs; a link counts as no file. */
	assert_int_equal(lstat(hr_path(f->root, "demo",
	                               "status/default/HTTPRoute/"
	                               "my-http-app-route.yaml"),
	                       &st),
	                 0);
	assert_true(S_ISREG(st.st_mode));
	assert_fresh_gateway(f);

	gws_free(link);
	gws_free(target);
	gws_free(dir_target);
	hm_rmrf(outside);
	gws_free(outside);
}

static void test_linked_report_directory_is_refused(void **state)
{
	fixture *f = *state;
	char *outside = hm_mkroot(), *path;
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;

	/* .gwsync itself a link: refused, nothing written there. */
	path = gws_asprintf("%s/.gwsync", f->root);
	assert_int_equal(symlink(outside, path), 0);
	assert_int_equal(gws_report_write(&in, f->root, &res), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "symbolic link"));
	assert_int_equal(res.written, 0);
	gws_free(path);
	path = gws_asprintf("%s/demo", outside);
	assert_int_equal(access(path, F_OK), -1);
	gws_free(path);

	/* .gwsync/<cluster> a link: refused too. */
	path = gws_asprintf("%s/.gwsync", f->root);
	unlink(path);
	assert_int_equal(mkdir(path, 0755), 0);
	gws_free(path);
	path = gws_asprintf("%s/.gwsync/demo", f->root);
	assert_int_equal(symlink(outside, path), 0);
	assert_int_equal(gws_report_write(&in, f->root, &res), GWS_EINVALID);
	gws_free(path);
	path = gws_asprintf("%s/status", outside);
	assert_int_equal(access(path, F_OK), -1);
	gws_free(path);
	hm_rmrf(outside);
	gws_free(outside);
}

static void test_fifo_where_a_file_belongs(void **state)
{
	fixture *f = *state;
	gws_report_result res;

	write_at(f, T1, &res);
	unlink(hr_path(f->root, "demo", GW_FILE));
	assert_int_equal(mkfifo(hr_path(f->root, "demo", GW_FILE), 0644), 0);
	assert_int_equal(mkfifo(hr_path(f->root, "demo", "stale.fifo"), 0644), 0);
	write_at(f, T2, &res); /* must not block on opening the FIFO */
	assert_fresh_gateway(f);
	assert_int_equal(access(hr_path(f->root, "demo", "stale.fifo"), F_OK), -1);
}

/* Names that are not path components never become paths. */
static void test_hostile_names_stay_inside(void **state)
{
	char *root = hm_mkroot(), *repo;
	hr_model m;
	gws_report_input in;
	gws_report_result res;
	char *text;
	(void)state;

	hm_write(root, "repo/all.yaml",
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
	         "metadata: {name: alb}\nspec: {controllerName: gateway.k8s.aws/alb}\n---\n"
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
	         "metadata: {name: gw, namespace: default}\nspec:\n  gatewayClassName: alb\n"
	         "  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n---\n"
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	         "metadata: {name: ../../../escaped, namespace: default}\n"
	         "spec:\n  parentRefs: [{name: gw}]\n---\n"
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	         "metadata: {name: ok, namespace: ..}\nspec:\n  parentRefs: [{name: gw, namespace: "
	         "default}]\n",
	         (size_t)-1);
	repo = gws_asprintf("%s/repo", root);
	hr_model_build(&m, repo, "demo");
	assert_true(gws_model_route_status_count(m.model) == 2);
	in = hr_input(&m, T1);
	assert_int_equal(gws_report_write(&in, root, &res), 0);
	text = gws_asprintf("%s/escaped.yaml", root);
	assert_int_equal(access(text, F_OK), -1);
	gws_free(text);
	text = gws_asprintf("%s/.gwsync/escaped.yaml", root);
	assert_int_equal(access(text, F_OK), -1);
	gws_free(text);
	assert_int_equal(access(hr_path(root, "demo", "status/HTTPRoute/ok.yaml"), F_OK), -1);
	/* GatewayClass, Gateway, inventory.json, SUMMARY.md: nothing else. */
	assert_int_equal(res.written, 4);
	/* Both routes still show in SUMMARY.md, escaped. */
	text = hr_read(hr_path(root, "demo", "SUMMARY.md"), NULL);
	assert_non_null(text);
	free(text);
	hr_model_dispose(&m);
	gws_free(repo);
	hm_rmrf(root);
	gws_free(root);
}

static void test_unwritable_directory_fails_cleanly(void **state)
{
	fixture *f = *state;
	gws_report_input in = hr_input(&f->m, T1);
	gws_report_result res;
	char *path;

	/* A regular file named .gwsync: a clear error, no crash. */
	path = gws_asprintf("%s/.gwsync", f->root);
	hm_write(f->root, ".gwsync", "file\n", (size_t)-1);
	assert_int_equal(gws_report_write(&in, f->root, &res), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "not a directory"));
	gws_free(path);
	assert_int_equal(gws_report_write(&in, "/nonexistent/gwsync-root", &res), GWS_ENOTFOUND);
	assert_int_equal(gws_report_write(NULL, f->root, &res), GWS_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_garbage_previous_files, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_aliases_count_as_nothing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_deep_nesting_and_alias_bombs, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_huge_previous_files, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_inventory_of_wrong_types, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_symlinks_are_never_followed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_linked_report_directory_is_refused, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_fifo_where_a_file_belongs, setup, teardown),
	        cmocka_unit_test(test_hostile_names_stay_inside),
	        cmocka_unit_test_setup_teardown(test_unwritable_directory_fails_cleanly, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
