/*
 * A shard's report (docs/report.md, "Sharded runs"): its own folder below
 * .gwsync/<cluster>/, its Gateways only, a Route with its first parent
 * Gateway's shard, GatewayClasses with the shard that holds the shared
 * objects, and a whole run that owns (and cleans) the whole directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "gwsync/report.h"
#include "helper_manifest.h"
#include "helper_report.h"

#define T1 ((time_t)1767225600)

static const char manifests[] = "apiVersion: gateway.networking.k8s.io/v1\n"
                                "kind: GatewayClass\n"
                                "metadata: {name: alb}\n"
                                "spec: {controllerName: gateway.k8s.aws/alb}\n"
                                "---\n"
                                "apiVersion: gateway.networking.k8s.io/v1\n"
                                "kind: Gateway\n"
                                "metadata: {name: gw, namespace: a}\n"
                                "spec:\n"
                                "  gatewayClassName: alb\n"
                                "  listeners: [{name: http, protocol: HTTP, port: 80}]\n"
                                "---\n"
                                "apiVersion: gateway.networking.k8s.io/v1\n"
                                "kind: Gateway\n"
                                "metadata: {name: gw, namespace: b}\n"
                                "spec:\n"
                                "  gatewayClassName: alb\n"
                                "  listeners: [{name: http, protocol: HTTP, port: 80}]\n"
                                "---\n"
                                "apiVersion: gateway.networking.k8s.io/v1\n"
                                "kind: HTTPRoute\n"
                                "metadata: {name: both, namespace: a}\n"
                                "spec:\n"
                                "  parentRefs: [{name: gw}, {name: gw, namespace: b}]\n"
                                "  rules: [{backendRefs: [{name: app, port: 80}]}]\n"
                                "---\n"
                                "apiVersion: gateway.networking.k8s.io/v1\n"
                                "kind: HTTPRoute\n"
                                "metadata: {name: second, namespace: a}\n"
                                "spec:\n"
                                "  parentRefs: [{name: gw, namespace: b}, {name: gw}]\n"
                                "  rules: [{backendRefs: [{name: app, port: 80}]}]\n"
                                "---\n"
                                "apiVersion: v1\n"
                                "kind: Service\n"
                                "metadata: {name: app, namespace: a}\n"
                                "spec: {ports: [{port: 80}]}\n";

typedef struct {
	char *root;
	char *repo;
	hr_model m;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->root = hm_mkroot();
	f->repo = hm_mkroot();
	hm_write(f->repo, "estate.yaml", manifests, (size_t)-1);
	hr_model_build(&f->m, f->repo, "demo");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	hr_model_dispose(&f->m);
	hm_rmrf(f->root);
	hm_rmrf(f->repo);
	gws_free(f->root);
	gws_free(f->repo);
	free(f);
	return 0;
}

/* ctx: the one Gateway the shard owns. */
static bool owns(void *ctx, const char *gateway)
{
	return strcmp(ctx, gateway) == 0;
}

static void write_shard(fixture *f, const char *folder, const char *gateway, bool shared)
{
	gws_report_input in = hr_input(&f->m, T1);
	int rc;

	in.shard = folder;
	in.owns_gateway = owns;
	in.owns_ctx = (void *)gateway;
	in.shard_shared = shared;
	if ((rc = gws_report_write(&in, f->root, NULL)) != 0)
		fail_msg("gws_report_write: %d %s", rc, gws_error_last());
}

static bool exists(fixture *f, const char *rel)
{
	return access(hr_path(f->root, "demo", rel), F_OK) == 0;
}

static void assert_stacks(fixture *f, const char *folder, const char *want)
{
	char rel[128];
	char *text;
	json_t *doc, *stacks;

	snprintf(rel, sizeof(rel), "%s/inventory.json", folder);
	text = hr_read(hr_path(f->root, "demo", rel), NULL);
	assert_non_null(text);
	doc = json_loads(text, 0, NULL);
	assert_non_null(doc);
	stacks = json_object_get(doc, "stacks");
	assert_int_equal(json_array_size(stacks), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(stacks, 0), "stack")),
	                    want);
	json_decref(doc);
	free(text);
}

static void test_each_shard_its_own_objects(void **state)
{
	fixture *f = *state;

	write_shard(f, "shard-0-of-2", "a/gw", false);
	write_shard(f, "shard-1-of-2", "b/gw", true);
	/* Nothing at the top: each shard owns its folder only. */
	assert_false(exists(f, "SUMMARY.md"));
	assert_false(exists(f, "inventory.json"));
	assert_false(exists(f, "status"));

	assert_true(exists(f, "shard-0-of-2/status/a/Gateway/gw.yaml"));
	assert_false(exists(f, "shard-0-of-2/status/b"));
	assert_false(exists(f, "shard-0-of-2/status/_cluster"));
	/* A Route goes with its first parent Gateway, once. */
	assert_true(exists(f, "shard-0-of-2/status/a/HTTPRoute/both.yaml"));
	assert_false(exists(f, "shard-0-of-2/status/a/HTTPRoute/second.yaml"));
	assert_stacks(f, "shard-0-of-2", "a/gw");

	assert_true(exists(f, "shard-1-of-2/status/b/Gateway/gw.yaml"));
	assert_false(exists(f, "shard-1-of-2/status/a/Gateway"));
	assert_true(exists(f, "shard-1-of-2/status/_cluster/GatewayClass/alb.yaml"));
	assert_true(exists(f, "shard-1-of-2/status/a/HTTPRoute/second.yaml"));
	assert_false(exists(f, "shard-1-of-2/status/a/HTTPRoute/both.yaml"));
	assert_stacks(f, "shard-1-of-2", "b/gw");
}

/* A shard's rewrite leaves the other shard's folder as it was. */
static void test_shards_leave_each_other_alone(void **state)
{
	fixture *f = *state;
	char *before, *after;

	write_shard(f, "shard-1-of-2", "b/gw", true);
	before = hr_read(hr_path(f->root, "demo", "shard-1-of-2/SUMMARY.md"), NULL);
	assert_non_null(before);
	write_shard(f, "shard-0-of-2", "a/gw", false);
	after = hr_read(hr_path(f->root, "demo", "shard-1-of-2/SUMMARY.md"), NULL);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* A whole run owns .gwsync/<cluster>/: shard folders left there go. */
static void test_whole_run_removes_shard_folders(void **state)
{
	fixture *f = *state;
	gws_report_input in = hr_input(&f->m, T1);

	write_shard(f, "shard-0-of-2", "a/gw", false);
	assert_int_equal(gws_report_write(&in, f->root, NULL), 0);
	assert_false(exists(f, "shard-0-of-2"));
	assert_true(exists(f, "status/a/Gateway/gw.yaml"));
	assert_true(exists(f, "status/b/Gateway/gw.yaml"));
	assert_true(exists(f, "status/_cluster/GatewayClass/alb.yaml"));
}

static void test_shard_folder_names(void **state)
{
	fixture *f = *state;
	gws_report_input in = hr_input(&f->m, T1);
	gws_buf b = GWS_BUF_INIT(256);

	assert_int_equal(gws_report_shard_dir(&b, "demo", "shard-1-of-4"), 0);
	assert_string_equal(gws_buf_cstr(&b), ".gwsync/demo/shard-1-of-4");
	gws_buf_clear(&b);
	assert_int_equal(gws_report_shard_dir(&b, "demo", NULL), 0);
	assert_string_equal(gws_buf_cstr(&b), ".gwsync/demo");
	gws_buf_clear(&b);
	assert_int_equal(gws_report_shard_dir(&b, "demo", "../x"), GWS_EINVALID);
	assert_int_equal(gws_report_shard_dir(&b, "demo", ".."), GWS_EINVALID);
	assert_int_equal(gws_report_shard_dir(&b, "demo", "a/b"), GWS_EINVALID);
	gws_buf_dispose(&b);
	in.shard = "../escape";
	assert_int_equal(gws_report_write(&in, f->root, NULL), GWS_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_each_shard_its_own_objects, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_shards_leave_each_other_alone, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_whole_run_removes_shard_folders, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_shard_folder_names, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
