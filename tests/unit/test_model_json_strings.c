/*
 * The JSON writer's strings: quotes, backslashes, control characters and
 * non-ASCII text are escaped as jansson would, by both writers (the buffer
 * and the threaded FILE one), whatever their position in a string.
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

static const char repo[] =
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: alb}\n"
        "spec: {controllerName: gateway.k8s.aws/alb}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n"
        "  namespace: default\nspec:\n  gatewayClassName: alb\n  listeners:\n"
        "  - {name: http, protocol: HTTP, port: 80}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, "
        "namespace: default}\nspec:\n  parentRefs: [{name: gw}]\n  rules:\n  - matches:\n"
        "    - headers:\n      - {name: x-a, value: \"\\\"lead\\ttab\\x01\\x1f\\u00e9\\u2713\"}\n"
        "      path: {type: Exact, value: /plain}\n"
        "    backendRefs: [{name: \"back\\\\slash \\U0001F600 end\\\"\", port: 80}]\n";

static char *render_file(const gws_model *model, const gws_diag_list *diags)
{
	FILE *f = tmpfile();
	char *text;
	long size;

	assert_non_null(f);
	assert_int_equal(gws_model_write_json(f, model, diags), 0);
	size = ftell(f);
	text = calloc(1, (size_t)size + 1);
	assert_non_null(text);
	rewind(f);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	return text;
}

static void test_escapes(void **state)
{
	char *root = hm_mkroot();
	gws_manifest_options mopts = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_buf doc = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_diag_list diags;
	char *file_doc;

	(void)state;
	gws_diag_list_init(&diags);
	hm_write(root, "repo.yaml", repo, (size_t)-1);
	mopts.root = root;
	assert_int_equal(gws_manifest_load(&store, &mopts, &diags), 0);
	assert_int_equal(gws_model_build(&model, store, &opts, &diags), 0);
	assert_int_equal(gws_model_render_json(&doc, model, &diags), 0);

	/* a quote first, a tab, control bytes as \u00XX, UTF-8 kept as is */
	assert_non_null(
	        strstr(gws_buf_cstr(&doc), "\"\\\"lead\\ttab\\u0001\\u001f\xc3\xa9\xe2\x9c\x93\""));
	/* a backslash, a four-byte character, a quote (in the missing Service's message) */
	assert_non_null(strstr(gws_buf_cstr(&doc),
	                       "default/back\\\\slash \xf0\x9f\x98\x80 end\\\" (port 80)"));
	assert_non_null(strstr(gws_buf_cstr(&doc), "\"/plain\""));
	file_doc = render_file(model, &diags);
	assert_string_equal(file_doc, gws_buf_cstr(&doc));

	free(file_doc);
	gws_buf_dispose(&doc);
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
	hm_rmrf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
