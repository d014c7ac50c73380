/*
 * Manifest loader against hostile input: alias bombs, deep nesting, bad
 * UTF-8, control characters, binary files, oversize files, and allocation
 * failures at every step. Each case must end in a precise diagnostic (or
 * GWS_ENOMEM), never a crash or a hang. No timings: the budgets themselves
 * are asserted.
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
#include "helper_manifest.h"

typedef hm_fixture fixture;

static void load_cap(fixture *f, size_t cap)
{
	assert_int_equal(hm_load(f->root, cap, &f->store, &f->diags), 0);
	assert_non_null(f->store);
}

static void expect_only(fixture *f, const char *line)
{
	if (f->diags.count != 1 || strcmp(hm_format(&f->diags.items[0]), line) != 0) {
		fprintf(stderr, "expected exactly: %s\n", line);
		hm_dump(&f->diags);
	}
	assert_int_equal(f->diags.count, 1);
	assert_string_equal(hm_format(&f->diags.items[0]), line);
}

/* A valid object in another file proves one bad file does not stop the load. */
static void write_good(fixture *f)
{
	hm_write(f->root, "good.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n",
	         (size_t)-1);
}

static void assert_good_loaded(fixture *f)
{
	assert_non_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "ok"));
}

static char *billion_laughs(int levels)
{
	gws_buf b = GWS_BUF_INIT(1 << 20);
	assert_int_equal(gws_buf_puts(&b,
	                              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n"
	                              "data:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, "
	                              "lol, lol]\n"),
	                 0);
	for (int i = 1; i < levels; i++) {
		assert_int_equal(gws_buf_printf(&b, "  a%d: &a%d [", i, i), 0);
		for (int j = 0; j < 10; j++)
			assert_int_equal(gws_buf_printf(&b, "%s*a%d", j ? ", " : "", i - 1), 0);
		assert_int_equal(gws_buf_puts(&b, "]\n"), 0);
	}
	return gws_buf_take(&b, NULL);
}

static void test_billion_laughs(void **state)
{
	fixture *f = *state;
	char *doc = billion_laughs(10); /* 10^10 nodes if expanded */
	hm_write(f->root, "laughs.yaml", doc, (size_t)-1);
	write_good(f);
	gws_free(doc);
	load_cap(f, 0);
	/* level a5 holds 10^6 strings: its 10th alias crosses the budget */
	expect_only(f, "laughs.yaml:10:47: document expands to more than 1000000 nodes (YAML "
	               "aliases are counted at full size); document ignored");
	assert_good_loaded(f);
}

static void test_aliases_within_budget(void **state)
{
	fixture *f = *state;
	/* ordinary anchors and aliases are resolved */
	hm_write(f->root, "a.yaml",
	         "apiVersion: gateway.networking.k8s.io/v1\n"
	         "kind: HTTPRoute\n"
	         "metadata: {name: r}\n"
	         "spec:\n"
	         "  parentRefs: [&gw {name: gw, sectionName: http}]\n"
	         "  hostnames: [&h a.example.com, *h]\n"
	         "  rules:\n"
	         "  - backendRefs: &b [{name: s, port: 80}]\n"
	         "  - backendRefs: *b\n",
	         (size_t)-1);
	load_cap(f, 0);
	assert_int_equal(f->diags.count, 0);
	const gws_mf_http_route *r =
	        gws_manifest_find(f->store, GWS_KIND_HTTP_ROUTE, "default", "r")->spec.http_route;
	assert_string_equal(r->hostnames[1], "a.example.com");
	assert_int_equal(r->n_rules, 2);
	assert_string_equal(r->rules[1].backend_refs[0].name, "s");
	assert_int_equal(r->rules[1].backend_refs[0].weight.value, 1);
}

static void test_undefined_and_recursive_alias(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "u.yaml",
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: *nope}\n"
	         "---\n"
	         "apiVersion: v1\nkind: Namespace\nmetadata: &m {name: x, labels: *m}\n",
	         (size_t)-1);
	load_cap(f, 0);
	assert_int_equal(f->diags.count, 2);
	assert_non_null(hm_find(&f->diags, "u.yaml:3:18: undefined YAML alias \"*nope\""));
	assert_non_null(hm_find(&f->diags, "u.yaml:7:32: undefined YAML alias \"*m\""));
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_NAMESPACE), 0);
}

static void test_deep_nesting(void **state)
{
	fixture *f = *state;
	size_t depth = 200000;
	gws_buf b = GWS_BUF_INIT(1 << 20);
	assert_int_equal(gws_buf_puts(&b, "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"
	                                  "spec: "),
	                 0);
	for (size_t i = 0; i < depth; i++)
		assert_int_equal(gws_buf_putc(&b, '['), 0);
	for (size_t i = 0; i < depth; i++)
		assert_int_equal(gws_buf_putc(&b, ']'), 0);
	assert_int_equal(gws_buf_puts(&b, "\n---\napiVersion: v1\nkind: Namespace\n"), 0);
	hm_write(f->root, "deep.yaml", gws_buf_cstr(&b), (size_t)-1);
	gws_buf_dispose(&b);
	/* block-style nesting is caught the same way */
	assert_int_equal(gws_buf_puts(&b, "a:\n"), 0);
	for (int i = 1; i < 70; i++)
		assert_int_equal(gws_buf_printf(&b, "%*sa:\n", i, ""), 0);
	assert_int_equal(gws_buf_printf(&b, "%*sx\n", 70, ""), 0);
	hm_write(f->root, "block.yaml", gws_buf_cstr(&b), (size_t)-1);
	gws_buf_dispose(&b);
	write_good(f);
	load_cap(f, 0);
	assert_int_equal(f->diags.count, 2);
	/* the mapping opened on line 1 is level 1; level 65 opens on line 65 */
	assert_non_null(hm_find(&f->diags, "block.yaml:65:65: nesting deeper than 64 levels; the "
	                                   "rest of the file is not read"));
	/* spec's mapping value starts at column 7: 63 '[' fit (root map is level 1) */
	assert_non_null(hm_find(&f->diags, "deep.yaml:4:70: nesting deeper than 64 levels; the "
	                                   "rest of the file is not read"));
	assert_good_loaded(f);
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_NAMESPACE), 1);
}

/* Each alias nests the previous anchor one level deeper: the depth bound holds through aliases. */
static void test_alias_chain_depth(void **state)
{
	fixture *f = *state;
	gws_buf b = GWS_BUF_INIT(1 << 20);
	assert_int_equal(gws_buf_puts(&b, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
	                                  "data:\n  a0: &a0 [x]\n"),
	                 0);
	for (int i = 1; i < 100; i++)
		assert_int_equal(gws_buf_printf(&b, "  a%d: &a%d [*a%d]\n", i, i, i - 1), 0);
	hm_write(f->root, "chain.yaml", gws_buf_cstr(&b), (size_t)-1);
	gws_buf_dispose(&b);
	write_good(f);
	load_cap(f, 0);
	/* *a61 (62 levels tall) used three levels down (root, data, list): 3 + 62 > 64 */
	expect_only(f, "chain.yaml:67:14: nesting deeper than 64 levels through a YAML alias; "
	               "document ignored");
	assert_good_loaded(f);
}

static void test_invalid_utf8_position(void **state)
{
	fixture *f = *state;
	/* "é" and "日本" are 1 column each; the bad byte is on line 3 after them */
	static const char data[] = "apiVersion: v1\n"
	                           "kind: Namespace # caf\xc3\xa9\n"
	                           "metadata: {name: \xe6\x97\xa5\xe6\x9c\xac\xc3\x28}\n";
	hm_write(f->root, "u.yaml", data, sizeof(data) - 1);
	hm_write(f->root, "overlong.yaml", "a: \xc0\xaf\n", (size_t)-1);
	hm_write(f->root, "surrogate.yaml", "a: b\r\nc: \xed\xa0\x80\n", (size_t)-1);
	hm_write(f->root, "truncated.yaml", "a: \xe6\x97", (size_t)-1);
	write_good(f);
	load_cap(f, 0);
	assert_int_equal(f->diags.count, 4);
	assert_non_null(hm_find(&f->diags, "u.yaml:3:20: invalid UTF-8 (byte 0xC3); file not "
	                                   "parsed"));
	assert_non_null(hm_find(&f->diags, "overlong.yaml:1:4: invalid UTF-8 (byte 0xC0)"));
	assert_non_null(hm_find(&f->diags, "surrogate.yaml:2:4: invalid UTF-8 (byte 0xED)"));
	assert_non_null(hm_find(&f->diags, "truncated.yaml:1:4: invalid UTF-8 (byte 0xE6)"));
	assert_good_loaded(f);
}

static void test_control_characters(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "c.yaml",
	         "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\x1b[0mb\n", (size_t)-1);
	hm_write(f->root, "del.yaml", "a: \x7f\n", (size_t)-1);
	hm_write(f->root, "c1.yaml", "a: \xc2\x9b\n", (size_t)-1);
	/* TAB, CR LF and a BOM are fine */
	hm_write(f->root, "ok.yaml",
	         "\xef\xbb\xbf"
	         "apiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: tabbed}\t# tab\r\n",
	         (size_t)-1);
	load_cap(f, 0);
	assert_int_equal(f->diags.count, 3);
	assert_non_null(hm_find(&f->diags, "c.yaml:4:10: control character U+001B is not allowed; "
	                                   "file not parsed"));
	assert_non_null(hm_find(&f->diags, "del.yaml:1:4: control character U+007F"));
	assert_non_null(hm_find(&f->diags, "c1.yaml:1:4: control character U+009B"));
	assert_non_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "tabbed"));
}

static void test_binary_garbage(void **state)
{
	fixture *f = *state;
	unsigned char junk[8192];
	unsigned x = 12345;
	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (unsigned char)(x >> 16);
	}
	hm_write(f->root, "junk.yaml", (const char *)junk, sizeof(junk));
	/* valid UTF-8 but not YAML */
	hm_write(f->root, "text.yaml", "key: [unclosed\n  - {a: b\n: : :\n", (size_t)-1);
	hm_write(f->root, "tabs.yaml", "a:\n\tb: c\n", (size_t)-1);
	/* a PNG header: invalid UTF-8 at byte 0 */
	hm_write(f->root, "image.yml", "\x89PNG\r\n\x1a\n", 8);
	write_good(f);
	load_cap(f, 0);
	assert_int_equal(f->diags.count, 4);
	assert_non_null(hm_find(&f->diags, "junk.yaml:1:"));
	assert_non_null(hm_find(&f->diags, "image.yml:1:1: invalid UTF-8 (byte 0x89)"));
	assert_non_null(hm_find(&f->diags, "text.yaml:2:5: invalid YAML: did not find expected ',' "
	                                   "or ']' while parsing a flow sequence (line 1)"));
	assert_non_null(hm_find(&f->diags,
	                        "tabs.yaml:2:1: invalid YAML: found character that cannot "
	                        "start any token while scanning for the next token"));
	assert_good_loaded(f);
}

static void test_oversize_file(void **state)
{
	fixture *f = *state;
	char big[5000];
	memset(big, '#', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	hm_write(f->root, "big.yaml", big, sizeof(big));
	write_good(f);
	load_cap(f, 1000);
	expect_only(f, "big.yaml: file is 5000 bytes, over the limit of 1000 bytes; not read");
	assert_good_loaded(f);
	gws_manifest_stats st;
	gws_manifest_get_stats(f->store, &st);
	assert_int_equal(st.files, 2);
}

static void test_strings_with_nul_and_merge_keys(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "n.yaml",
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: \"a\\0b\"}\n"
	         "---\n"
	         "apiVersion: v1\nkind: Namespace\nmetadata:\n  <<: {name: m}\n"
	         "---\n"
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {[a]: b}}\n",
	         (size_t)-1);
	load_cap(f, 0);
	assert_int_equal(f->diags.count, 3);
	/* a name with a NUL cannot be a name: the object is dropped */
	assert_non_null(hm_find(&f->diags, "n.yaml:3:1: Namespace: metadata.name: required"));
	assert_non_null(hm_find(&f->diags, "n.yaml:8:3: YAML merge keys (<<) are not supported"));
	assert_non_null(hm_find(&f->diags, "n.yaml:12:30: mapping keys must be strings"));
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_NAMESPACE), 0);
}

/* issue 10 L9: only a plain << is a merge key; "<<" quoted is an ordinary key
 * (render -o yaml writes it quoted, and gwsync must read its own output). */
static void test_quoted_merge_key_is_a_key(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "q.yaml",
	         "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: q\n"
	         "  annotations: {\"<<\": a, '<<x': b}\n",
	         (size_t)-1);
	load_cap(f, 0);
	/* (they are not valid annotation keys, which is another matter) */
	assert_null(hm_find(&f->diags, "merge"));
	const gws_manifest_object *ns = gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "q");
	assert_non_null(ns);
	assert_int_equal(ns->meta.n_annotations, 2);
	assert_string_equal(ns->meta.annotations[0].key, "<<");
	assert_string_equal(ns->meta.annotations[0].value, "a");
}

static void test_many_documents_and_keys(void **state)
{
	fixture *f = *state;
	/* many small documents and a mapping with many keys stay linear */
	gws_buf b = GWS_BUF_INIT(16u << 20);
	for (int i = 0; i < 2000; i++)
		assert_int_equal(gws_buf_printf(&b,
		                                "---\napiVersion: v1\nkind: Namespace\n"
		                                "metadata: {name: ns-%d}\n",
		                                i),
		                 0);
	hm_write(f->root, "many.yaml", gws_buf_cstr(&b), (size_t)-1);
	gws_buf_dispose(&b);
	assert_int_equal(gws_buf_puts(&b, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "
	                                  "wide\n  labels:\n"),
	                 0);
	for (int i = 0; i < 50000; i++)
		assert_int_equal(gws_buf_printf(&b, "    k%d: v\n", i), 0);
	hm_write(f->root, "wide.yaml", gws_buf_cstr(&b), (size_t)-1);
	gws_buf_dispose(&b);
	load_cap(f, 0);
	assert_int_equal(f->diags.count, 0);
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_NAMESPACE), 2001);
	assert_int_equal(
	        gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "wide")->meta.n_labels,
	        50000);
}

/* Every allocation the loader makes can fail: it must return ENOMEM cleanly. */
static void test_allocation_failures(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "a.yaml",
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n"
	         "spec:\n  listeners: [{name: a, port: 80, protocol: HTTP}]\n"
	         "  bogus: 1\n"
	         "---\n"
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n"
	         "spec: {rules: [{matches: [{headers: [{name: a, value: b}]}]}]}\n",
	         (size_t)-1);
	hm_write(f->root, "b/b.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: &a x}\n",
	         (size_t)-1);
	bool succeeded = false;
	for (long n = 0; n < 5000 && !succeeded; n++) {
		gws_manifest_store *s = NULL;
		gws_diag_list d;
		gws_diag_list_init(&d);
		gws_alloc_fail_at(n);
		int rc = hm_load(f->root, 0, &s, &d);
		gws_alloc_fail_at(-1);
		if (rc == 0) {
			succeeded = true;
			assert_non_null(s);
			assert_int_equal(gws_manifest_count(s, GWS_KIND_GATEWAY), 1);
		} else {
			assert_int_equal(rc, GWS_ENOMEM);
			assert_null(s);
		}
		gws_manifest_store_free(s);
		gws_diag_list_dispose(&d);
	}
	assert_true(succeeded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_billion_laughs, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_aliases_within_budget, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_undefined_and_recursive_alias, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_deep_nesting, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_alias_chain_depth, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_invalid_utf8_position, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_control_characters, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_binary_garbage, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_oversize_file, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_strings_with_nul_and_merge_keys, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_quoted_merge_key_is_a_key, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_many_documents_and_keys, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_allocation_failures, hm_setup, hm_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
