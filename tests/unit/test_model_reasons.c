/*
 * Every condition reason the model can write is one the Gateway API names
 * (listed in tests/unit/data/gateway_api_reasons.txt):
 * the model's reason table, and every reason that appears in the golden
 * render outputs (which also covers the ALB rule builder).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "helper_manifest.h"
#include "model/internal.h"

static char *reasons[256];
static size_t n_reasons;

static int load_reasons(void **state)
{
	const char *src = getenv("GWSYNC_SOURCE_DIR");
	char path[4096], line[256];
	FILE *f;
	(void)state;
	if (!src)
		return -1;
	snprintf(path, sizeof(path), "%s/tests/unit/data/gateway_api_reasons.txt", src);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n_reasons < 256) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		reasons[n_reasons++] = gws_strdup(line);
	}
	fclose(f);
	return n_reasons > 0 ? 0 : -1;
}

static int free_reasons(void **state)
{
	(void)state;
	while (n_reasons)
		gws_free(reasons[--n_reasons]);
	return 0;
}

static bool listed(const char *reason)
{
	for (size_t i = 0; i < n_reasons; i++)
		if (strcmp(reasons[i], reason) == 0)
			return true;
	return false;
}

static void test_table_is_listed(void **state)
{
	size_t n = 0;
	(void)state;
	for (size_t i = 0; gws_model__reasons[i]; i++, n++)
		if (!listed(gws_model__reasons[i]))
			fail_msg("reason %s is not a Gateway API reason", gws_model__reasons[i]);
	assert_true(n >= 20);
}

static void test_reason_known(void **state)
{
	(void)state;
	assert_true(gws_model__reason_known("BackendNotFound"));
	assert_true(gws_model__reason_known("NoMatchingListenerHostname"));
	assert_false(gws_model__reason_known("InvalidParametersRef")); /* LBC's, not the spec's */
	assert_false(gws_model__reason_known("backendnotfound"));
	assert_false(gws_model__reason_known(""));
	assert_false(gws_model__reason_known(NULL));
}

/* Walks a JSON value and checks every "reason" string member. */
static void check_reasons(json_t *v, const char *file, size_t *seen)
{
	const char *key;
	json_t *child;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach(v, key, child)
		{
			if (strcmp(key, "reason") == 0 && json_is_string(child)) {
				(*seen)++;
				if (!listed(json_string_value(child)))
					fail_msg("%s: reason %s is not a Gateway API reason", file,
					         json_string_value(child));
			} else {
				check_reasons(child, file, seen);
			}
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child) check_reasons(child, file, seen);
	}
}

static bool check_case(const char *case_dir, void *seen)
{
	char path[4608];
	json_error_t err;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/expected.json", case_dir);
	doc = json_load_file(path, 0, &err);
	if (!doc)
		return false;
	check_reasons(json_object_get(doc, "status"), path, seen);
	json_decref(doc);
	return true;
}

static void test_golden_outputs_use_listed_reasons(void **state)
{
	size_t seen = 0;
	(void)state;
	assert_true(hm_golden_each(check_case, &seen) >= 10);
	assert_true(seen > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_table_is_listed),
	        cmocka_unit_test(test_reason_known),
	        cmocka_unit_test(test_golden_outputs_use_listed_reasons),
	};
	return cmocka_run_group_tests(tests, load_reasons, free_reasons);
}
