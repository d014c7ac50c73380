/*
 * Long lists (issue 10 M8): what bounds the work of the validator and the
 * model on a list, checked by behaviour (timings are bench/validate_shapes.sh's).
 *  - an object with a list over its schema limit leaves the store, as the API
 *    server would refuse it, so the model never walks such a list;
 *  - past its limit a list is reported once; its other items are not checked;
 *  - lists without a limit (Service ports, listenerConfigurations) still find
 *    every repeat;
 *  - a status message joining many problems stops at Kubernetes' 32768
 *    characters instead of failing the build.
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

static const char class_doc[] = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
                                "metadata: {name: c}\nspec: {controllerName: gateway.k8s.aws/%s}\n";

static void load_text(hm_fixture *f, const char *text)
{
	hm_write(f->root, "m.yaml", text, (size_t)-1);
	assert_int_equal(hm_load(f->root, 0, &f->store, &f->diags), 0);
}

static void expect_diag(hm_fixture *f, const char *needle)
{
	if (!hm_find(&f->diags, needle)) {
		fprintf(stderr, "expected a diagnostic containing: %s\n", needle);
		hm_dump(&f->diags);
	}
	assert_non_null(hm_find(&f->diags, needle));
}

/* issue 10 M8: a 65-listener Gateway (100,000 took 55 s) is refused whole. */
static void test_over_limit_objects_leave_the_store(void **state)
{
	hm_fixture *f = *state;
	gws_buf b = GWS_BUF_INIT(1u << 20);

	assert_int_equal(gws_buf_printf(&b, class_doc, "alb"), 0);
	assert_int_equal(gws_buf_puts(&b, "---\napiVersion: gateway.networking.k8s.io/v1\n"
	                                  "kind: Gateway\nmetadata: {name: big}\n"
	                                  "spec:\n  gatewayClassName: c\n  listeners:\n"),
	                 0);
	for (int i = 0; i < 65; i++)
		assert_int_equal(
		        gws_buf_printf(&b, "  - {name: l%d, port: %d, protocol: HTTP}\n", i, i + 1),
		        0);
	assert_int_equal(gws_buf_puts(&b, "---\napiVersion: gateway.networking.k8s.io/v1\n"
	                                  "kind: Gateway\nmetadata: {name: ok}\n"
	                                  "spec:\n  gatewayClassName: c\n  listeners:\n"
	                                  "  - {name: l, port: 80, protocol: HTTP}\n"),
	                 0);
	/* a route over a nested limit (17 backendRefs) goes too */
	assert_int_equal(gws_buf_puts(&b, "---\napiVersion: gateway.networking.k8s.io/v1\n"
	                                  "kind: HTTPRoute\nmetadata: {name: wide}\n"
	                                  "spec:\n  parentRefs: [{name: ok}]\n  rules:\n"
	                                  "  - backendRefs:\n"),
	                 0);
	for (int i = 0; i < 17; i++)
		assert_int_equal(gws_buf_printf(&b, "    - {name: s%d, port: 80}\n", i), 0);
	load_text(f, gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	expect_diag(f, "Gateway default/big: spec.listeners: must have at most 64 items, got 65; "
	               "object ignored");
	expect_diag(f, "HTTPRoute default/wide: spec.rules[0].backendRefs: must have at most 16 "
	               "items, got 17; object ignored");
	assert_null(gws_manifest_find(f->store, GWS_KIND_GATEWAY, "default", "big"));
	assert_null(gws_manifest_find(f->store, GWS_KIND_HTTP_ROUTE, "default", "wide"));
	assert_non_null(gws_manifest_find(f->store, GWS_KIND_GATEWAY, "default", "ok"));
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_GATEWAY), 1);
	gws_manifest_stats st;
	gws_manifest_get_stats(f->store, &st);
	assert_int_equal(st.objects, 2);
}

/* issue 10 M8: past the limit, items are not checked (each check cost time). */
static void test_items_past_the_limit_are_not_checked(void **state)
{
	hm_fixture *f = *state;
	gws_buf b = GWS_BUF_INIT(1u << 20);

	assert_int_equal(gws_buf_puts(&b, "apiVersion: gateway.networking.k8s.io/v1\n"
	                                  "kind: HTTPRoute\nmetadata: {name: r}\n"
	                                  "spec:\n  hostnames:\n"),
	                 0);
	for (int i = 0; i < 20; i++) /* the 5th and the 19th are invalid */
		assert_int_equal(gws_buf_printf(&b, "  - %s%d.example.com\n",
		                                i == 4 || i == 18 ? "BAD_" : "h", i),
		                 0);
	assert_int_equal(gws_buf_puts(&b, "  rules:\n  - {}\n"), 0);
	load_text(f, gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	expect_diag(f, "spec.hostnames: must have at most 16 items, got 20; object ignored");
	expect_diag(f, "spec.hostnames[4]:");
	assert_null(hm_find(&f->diags, "spec.hostnames[18]"));
	assert_int_equal(f->diags.count, 2);
}

/* Lists without a schema limit are checked whole, repeats found by hashing. */
static void test_unbounded_lists_find_every_repeat(void **state)
{
	hm_fixture *f = *state;
	gws_buf b = GWS_BUF_INIT(4u << 20);

	assert_int_equal(gws_buf_puts(&b, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
	                                  "spec:\n  ports:\n"),
	                 0);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(gws_buf_printf(&b, "  - {name: p%d, port: %d}\n", i, 1 + i % 4000),
		                 0);
	assert_int_equal(gws_buf_puts(&b, "  - {name: p17, port: 9999, protocol: UDP}\n"
	                                  "---\napiVersion: gateway.k8s.aws/v1\n"
	                                  "kind: LoadBalancerConfiguration\nmetadata: {name: l}\n"
	                                  "spec:\n  listenerConfigurations:\n"),
	                 0);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(
		        gws_buf_printf(&b, "  - {protocolPort: 'HTTP:%d'}\n", 1 + i % 2000), 0);
	load_text(f, gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	/* ports 4001..5000 repeat 1..1000; names p0..p4999 are unique but for p17 */
	expect_diag(f, "spec.ports[4000]: port 1/TCP is defined twice");
	expect_diag(f, "spec.ports[4999]: port 1000/TCP is defined twice");
	expect_diag(f, "spec.ports[5000].name: duplicate port name \"p17\"");
	expect_diag(f, "spec.listenerConfigurations[2999].protocolPort: \"HTTP:1000\" repeats "
	               "listenerConfigurations[999]");
	size_t twice = 0, repeats = 0;
	for (size_t i = 0; i < f->diags.count; i++) {
		twice += strstr(hm_format(&f->diags.items[i]), "is defined twice") != NULL;
		repeats += strstr(hm_format(&f->diags.items[i]), " repeats ") != NULL;
	}
	assert_int_equal(twice, 1000);
	assert_int_equal(repeats, 1000);
}

/*
 * issue 10 M8: 256 missing backends with long names, all within the schema
 * limits, joined into one ResolvedRefs message past 64 KiB and failed the
 * build ("out of memory while building the model", exit 1).
 */
static void test_joined_status_messages_are_capped(void **state)
{
	hm_fixture *f = *state;
	gws_buf b = GWS_BUF_INIT(1u << 20);
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_model *model = NULL;
	char pad[241];

	memset(pad, 'x', sizeof(pad) - 1);
	pad[240] = '\0';
	assert_int_equal(gws_buf_printf(&b, class_doc, "nlb"), 0);
	assert_int_equal(gws_buf_puts(&b, "---\napiVersion: gateway.networking.k8s.io/v1\n"
	                                  "kind: Gateway\nmetadata: {name: gw}\n"
	                                  "spec:\n  gatewayClassName: c\n  listeners:\n"
	                                  "  - {name: tcp, port: 80, protocol: TCP}\n"
	                                  "---\napiVersion: gateway.networking.k8s.io/v1alpha2\n"
	                                  "kind: TCPRoute\nmetadata: {name: r}\n"
	                                  "spec:\n  parentRefs: [{name: gw}]\n  rules:\n"),
	                 0);
	for (int r = 0; r < 16; r++) {
		assert_int_equal(gws_buf_puts(&b, "  - backendRefs:\n"), 0);
		for (int i = 0; i < 16; i++)
			assert_int_equal(gws_buf_printf(&b, "    - {name: s%02d%02d%s, port: 80}\n",
			                                r, i, pad),
			                 0);
	}
	load_text(f, gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	assert_int_equal(f->diags.errors, 0);
	assert_int_equal(gws_model_build(&model, f->store, &opts, &f->diags), 0);
	assert_int_equal(gws_model_route_status_count(model), 1);
	const gws_model_route_status *rs = gws_model_route_status_at(model, 0);
	assert_int_equal(rs->n_parents, 1);
	const gws_model_conditions *c = &rs->parents[0]->conditions;
	const char *msg = NULL;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].type, "ResolvedRefs") == 0)
			msg = c->items[i].message;
	assert_non_null(msg);
	assert_true(strlen(msg) <= 32768);
	assert_non_null(strstr(msg, "s0000"));
	assert_true(strlen(msg) > 30000);
	assert_non_null(strstr(msg, "; (more problems not listed)"));
	/* every rendering still works */
	gws_buf out = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	assert_int_equal(gws_model_render_json(&out, model, &f->diags), 0);
	gws_buf_dispose(&out);
	gws_model_free(model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_over_limit_objects_leave_the_store, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_items_past_the_limit_are_not_checked, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_unbounded_lists_find_every_repeat, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_joined_status_messages_are_capped, hm_setup,
	                                        hm_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
