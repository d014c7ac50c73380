/*
 * The threaded paths give the sequential results byte for byte: the loader
 * (files on a thread pool, merged in path order) and the JSON writer (stacks
 * rendered on helper threads, written in order). On a one-CPU machine both
 * run sequentially and these tests still hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gwsync/manifest.h"
#include "gwsync/model.h"
#include "helper_manifest.h"

#define GATEWAYS 40
#define FILES    64

static const char class_docs[] =
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: alb\n"
        "spec:\n  controllerName: gateway.k8s.aws/alb\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: nlb\n"
        "spec:\n  controllerName: gateway.k8s.aws/nlb\n";

/* Gateway i with a route and its Service: every fourth an NLB, the others ALBs. */
static void write_gateway(const char *root, int i)
{
	char rel[64], doc[2048];
	bool nlb = i % 4 == 3;

	snprintf(rel, sizeof(rel), "ns%02d/gw.yaml", i);
	snprintf(doc, sizeof(doc),
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g%d\n"
	         "  namespace: ns%02d\nspec:\n  gatewayClassName: %s\n  listeners:\n"
	         "  - name: l\n    protocol: %s\n    port: %d\n---\n"
	         "apiVersion: gateway.networking.k8s.io/%s\nkind: %s\nmetadata:\n  name: r%d\n"
	         "  namespace: ns%02d\nspec:\n  parentRefs:\n  - name: g%d\n  rules:\n"
	         "  - backendRefs:\n    - name: s%d\n      port: 80\n---\n"
	         "apiVersion: v1\nkind: Service\nmetadata:\n  name: s%d\n  namespace: ns%02d\n"
	         "spec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: %d\n",
	         i, i, nlb ? "nlb" : "alb", nlb ? "TCP" : "HTTP", 8000 + i, nlb ? "v1alpha2" : "v1",
	         nlb ? "TCPRoute" : "HTTPRoute", i, i, i, i, i, i, 30000 + i);
	hm_write(root, rel, doc, (size_t)-1);
}

static void load_and_build(const char *root, gws_manifest_store **store, gws_model **model,
                           gws_diag_list *diags)
{
	gws_manifest_options mopts = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;

	mopts.root = root;
	assert_int_equal(gws_manifest_load(store, &mopts, diags), 0);
	assert_int_equal(gws_model_build(model, *store, &opts, diags), 0);
}

/* The FILE writer (threaded) against the buffer writer (always sequential). */
static void test_stacks_written_in_order(void **state)
{
	char *root = hm_mkroot();
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_buf want = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_diag_list diags;
	FILE *f = tmpfile();
	char *got;
	long size;

	(void)state;
	assert_non_null(f);
	gws_diag_list_init(&diags);
	hm_write(root, "classes.yaml", class_docs, (size_t)-1);
	for (int i = 0; i < GATEWAYS; i++)
		write_gateway(root, i);
	load_and_build(root, &store, &model, &diags);
	/* enough stacks for several parts, so helpers take some */
	assert_int_equal(gws_model_stack_count(model), GATEWAYS);

	assert_int_equal(gws_model_render_json(&want, model, &diags), 0);
	assert_int_equal(gws_model_write_json(f, model, &diags), 0);
	size = ftell(f);
	assert_int_equal((size_t)size, want.size);
	got = calloc(1, (size_t)size + 1);
	assert_non_null(got);
	rewind(f);
	assert_int_equal(fread(got, 1, (size_t)size, f), (size_t)size);
	assert_string_equal(got, gws_buf_cstr(&want));

	free(got);
	fclose(f);
	gws_buf_dispose(&want);
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
	hm_rmrf(root);
	free(root);
}

/* Diagnostics come out in path order, whichever thread read the file. */
static void test_diagnostics_in_path_order(void **state)
{
	char *root = hm_mkroot();
	gws_manifest_options mopts = GWS_MANIFEST_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_diag_list diags;
	gws_manifest_stats stats;

	(void)state;
	gws_diag_list_init(&diags);
	for (int i = 0; i < FILES; i++) {
		char rel[32], doc[512];
		snprintf(rel, sizeof(rel), "f%03d.yaml", i);
		/* one unknown field each (a warning), and a duplicate of f000's Service */
		snprintf(doc, sizeof(doc),
		         "apiVersion: v1\nkind: Service\nmetadata:\n  name: s%d\n  namespace: n\n"
		         "bogus%d: 1\n---\n"
		         "apiVersion: v1\nkind: Service\nmetadata:\n  name: s0\n  namespace: n\n",
		         i, i);
		hm_write(root, rel, doc, (size_t)-1);
	}
	mopts.root = root;
	assert_int_equal(gws_manifest_load(&store, &mopts, &diags), 0);

	gws_manifest_get_stats(store, &stats);
	assert_int_equal(stats.files, FILES);
	assert_int_equal(stats.documents, 2 * FILES);
	assert_int_equal(gws_manifest_count(store, GWS_KIND_SERVICE), FILES);
	/* the loader's warnings in file order, then the duplicates the store found */
	assert_true(diags.count >= FILES);
	for (int i = 0; i < FILES; i++) {
		char file[32], field[32];
		snprintf(file, sizeof(file), "f%03d.yaml", i);
		snprintf(field, sizeof(field), "bogus%d", i);
		assert_string_equal(diags.items[i].file, file);
		assert_non_null(strstr(hm_format(&diags.items[i]), field));
	}
	/* the Service s0 kept is the first one read: f000.yaml's first document */
	assert_string_equal(gws_manifest_find(store, GWS_KIND_SERVICE, "n", "s0")->file,
	                    "f000.yaml");

	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
	hm_rmrf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_stacks_written_in_order),
	        cmocka_unit_test(test_diagnostics_in_path_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
