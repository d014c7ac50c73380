/*
 * `render -o yaml` carries exactly the JSON document: for every golden
 * repository, the YAML output read back with libyaml (plain scalars typed as
 * YAML 1.1 would, quoted ones as strings) equals the JSON output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <yaml.h>

#include "gwsync/manifest.h"
#include "gwsync/model.h"
#include "helper_manifest.h"

static json_t *scalar_to_json(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	char *end;
	long long v;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_string(s);
	if (strcmp(s, "null") == 0)
		return json_null();
	if (strcmp(s, "true") == 0)
		return json_true();
	if (strcmp(s, "false") == 0)
		return json_false();
	v = strtoll(s, &end, 10);
	if (*s && *end == '\0')
		return json_integer(v);
	return json_string(s);
}

static json_t *node_to_json(yaml_document_t *doc, yaml_node_t *n)
{
	json_t *out;
	if (n->type == YAML_SCALAR_NODE)
		return scalar_to_json(n);
	if (n->type == YAML_SEQUENCE_NODE) {
		out = json_array();
		for (yaml_node_item_t *i = n->data.sequence.items.start;
		     i < n->data.sequence.items.top; i++)
			json_array_append_new(out,
			                      node_to_json(doc, yaml_document_get_node(doc, *i)));
		return out;
	}
	out = json_object();
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		json_object_set_new(out, (const char *)k->data.scalar.value,
		                    node_to_json(doc, yaml_document_get_node(doc, p->value)));
	}
	return out;
}

static json_t *yaml_to_json(const gws_buf *text)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	json_t *out = NULL;
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)text->ptr, text->size);
	assert_true(yaml_parser_load(&parser, &doc));
	if (yaml_document_get_root_node(&doc))
		out = node_to_json(&doc, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return out;
}

static void check_repo(const char *root)
{
	gws_manifest_options mo = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_buf json = GWS_BUF_INIT(GWS_CAP_DOCUMENT), yml = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_diag_list diags;
	json_t *a, *b;
	json_error_t err;

	gws_diag_list_init(&diags);
	mo.root = root;
	assert_int_equal(gws_manifest_load(&store, &mo, &diags), 0);
	assert_int_equal(gws_model_build(&model, store, &opts, &diags), 0);
	assert_int_equal(gws_model_render_json(&json, model, &diags), 0);
	assert_int_equal(gws_model_render_yaml(&yml, model, &diags), 0);
	a = json_loadb(json.ptr, json.size, 0, &err);
	assert_non_null(a);
	b = yaml_to_json(&yml);
	assert_non_null(b);
	if (!json_equal(a, b))
		fail_msg("%s: the YAML rendering differs from the JSON one", root);
	json_decref(a);
	json_decref(b);
	gws_buf_dispose(&json);
	gws_buf_dispose(&yml);
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
}

static bool check_case(const char *case_dir, void *ctx)
{
	char repo[4608];
	DIR *probe;
	(void)ctx;

	snprintf(repo, sizeof(repo), "%s/repo", case_dir);
	if (!(probe = opendir(repo)))
		return false;
	closedir(probe);
	check_repo(repo);
	return true;
}

static void test_yaml_equals_json(void **state)
{
	(void)state;
	assert_true(hm_golden_each(check_case, NULL) >= 10);
}

/* Strings that read back as other types are quoted; ordinary ones are not. */
static void test_yaml_quotes_only_when_needed(void **state)
{
	const char *src = getenv("GWSYNC_SOURCE_DIR");
	char repo[4096];
	gws_manifest_options mo = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_buf yml = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_diag_list diags;
	(void)state;
	assert_non_null(src);
	snprintf(repo, sizeof(repo), "%s/tests/golden/source-alb/repo", src);
	gws_diag_list_init(&diags);
	mo.root = repo;
	assert_int_equal(gws_manifest_load(&store, &mo, &diags), 0);
	assert_int_equal(gws_model_build(&model, store, &opts, &diags), 0);
	assert_int_equal(gws_model_render_yaml(&yml, model, &diags), 0);
	assert_non_null(strstr(gws_buf_cstr(&yml), "formatVersion: '1'"));
	assert_non_null(strstr(gws_buf_cstr(&yml), "StatusCode: '404'"));
	assert_non_null(strstr(gws_buf_cstr(&yml), "id: '80:1'"));
	assert_non_null(strstr(gws_buf_cstr(&yml), "protocol: HTTP\n"));
	assert_non_null(strstr(gws_buf_cstr(&yml), "port: 80\n"));
	assert_non_null(strstr(gws_buf_cstr(&yml), "sslPolicy: null\n"));
	gws_buf_dispose(&yml);
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_yaml_equals_json),
	        cmocka_unit_test(test_yaml_quotes_only_when_needed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
