/*
 * Allocation failures: building and rendering the model fails cleanly with
 * GWS_ENOMEM (no crash, no leak under the sanitizer build) whichever
 * allocation fails — including the ones inside condition messages and
 * diagnostics, which must not be swallowed into a silently different model —
 * and succeeds with the same output once none does. Most thorough with
 * -DGWSYNC_DEBUG_POOL=ON (every arena allocation is then a failure point).
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

static gws_manifest_store *load(const char *case_name)
{
	const char *src = getenv("GWSYNC_SOURCE_DIR");
	char root[4096];
	gws_manifest_options mo = GWS_MANIFEST_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_diag_list diags;
	assert_non_null(src);
	snprintf(root, sizeof(root), "%s/tests/golden/%s/repo", src, case_name);
	gws_diag_list_init(&diags);
	mo.root = root;
	assert_int_equal(gws_manifest_load(&store, &mo, &diags), 0);
	gws_diag_list_dispose(&diags);
	return store;
}

static void render_clean(const gws_manifest_store *store, gws_buf *out)
{
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_model *model = NULL;
	gws_diag_list diags;
	gws_diag_list_init(&diags);
	assert_int_equal(gws_model_build(&model, store, &opts, &diags), 0);
	assert_int_equal(gws_model_render_json(out, model, &diags), 0);
	gws_model_free(model);
	gws_diag_list_dispose(&diags);
}

static void run_case(const char *case_name)
{
	gws_manifest_store *store = load(case_name);
	gws_buf want = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	long n;
	bool done = false;

	render_clean(store, &want);
	for (n = 0; !done && n < 200000; n++) {
		gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
		gws_model *model = NULL;
		gws_buf got = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
		gws_diag_list diags;
		long used;
		int error;

		gws_diag_list_init(&diags);
		gws_alloc_fail_at(n);
		error = gws_model_build(&model, store, &opts, &diags);
		if (error == 0)
			error = gws_model_render_json(&got, model, &diags);
		used = gws_alloc_fail_at(-1);
		if (used <= n) {
			/* the failure point was not reached: a complete, identical result */
			assert_int_equal(error, 0);
			assert_string_equal(gws_buf_cstr(&got), gws_buf_cstr(&want));
			done = true;
		} else if (error != GWS_ENOMEM) {
			/* a failed allocation must never be swallowed into a different model */
			fail_msg("%s: failing allocation %ld gave %s, not ENOMEM", case_name, n,
			         gws_error_name(error));
		}
		gws_buf_dispose(&got);
		gws_model_free(model);
		gws_diag_list_dispose(&diags);
	}
	assert_true(done);
	gws_buf_dispose(&want);
	gws_manifest_store_free(store);
}

static void test_oom_alb(void **state)
{
	(void)state;
	run_case("source-alb");
}

static void test_oom_nlb(void **state)
{
	(void)state;
	run_case("nlb-weighted-forward-disabled");
}

static void test_oom_merge(void **state)
{
	(void)state;
	run_case("lbc-merge-prefer-gateway");
}

static void test_oom_more(void **state)
{
	static const char *const cases[] = {"hostname-intersection",     "tgc-route-configurations",
	                                    "nlb-security-groups",       "quota-names",
	                                    "allowed-routes-namespaces", "nlb-weight-all-zero"};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_oom_alb),
	        cmocka_unit_test(test_oom_nlb),
	        cmocka_unit_test(test_oom_merge),
	        cmocka_unit_test(test_oom_more),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
