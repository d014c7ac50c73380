/*
 * ACM over the JSON 1.1 protocol: request bodies byte-identical to what the
 * AWS CLI (botocore) sends for the same inputs, the headers and signing
 * scope, NextToken pages, the certificate decoders, and JSON errors mapped
 * like the Query ones (throttling retried, AccessDeniedException is an
 * authentication failure, ResourceNotFoundException is not-found).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "aws/call.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

#define CERT1 "arn:aws:acm:us-west-2:123456789012:certificate/11111111-2222-3333-4444-555555555555"

typedef struct {
	aws_stub stub;
	aws_test_hooks hooks;
	gws_aws_client *c;
	gws_arena *a;
} acm_run;

static void run_start(acm_run *r, const char *name, const char *script)
{
	memset(r, 0, sizeof(*r));
	aws_test_env("AKIDTEST", "testsecret", "sessiontoken");
	assert_int_equal(aws_stub_start(&r->stub, name, script), 0);
	assert_int_equal(aws_test_client(&r->c, r->stub.url, &r->hooks, 0, 0, 0), 0);
	assert_int_equal(gws_arena_new(&r->a), 0);
}

static void run_stop(acm_run *r)
{
	aws_stub_stop(&r->stub);
	gws_aws_client_free(r->c);
	gws_arena_free(r->a);
	gws_aws__set_max_pages(0);
}

/* Request `index` (0-based) of the stub's log; the caller decrefs. */
static json_t *request_at(acm_run *r, size_t index)
{
	gws_buf log;
	const char *line;
	json_t *rec = NULL;

	assert_int_equal(aws_stub_log(&r->stub, &log), 0);
	line = gws_buf_cstr(&log);
	for (size_t i = 0; *line; i++) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (i == index) {
			rec = json_loadb(line, len, 0, NULL);
			break;
		}
		line += len + (nl ? 1 : 0);
	}
	gws_buf_dispose(&log);
	assert_non_null(rec);
	return rec;
}

static const char *header(json_t *rec, const char *name)
{
	const char *k;
	json_t *v;

	json_object_foreach(json_object_get(rec, "headers"), k, v)
	{
		if (strcasecmp(k, name) == 0)
			return json_string_value(v);
	}
	return NULL;
}

/* The body of request `index` equals the captured CLI body `fixture`. */
static void assert_body_is(acm_run *r, size_t index, const char *fixture)
{
	const char *src = aws_stub_env("GWSYNC_SOURCE_DIR", "../../..");
	char path[1024];
	gws_buf want;
	json_t *rec = request_at(r, index);

	snprintf(path, sizeof(path), "%s/tests/fixtures/aws/requests/%s.txt", src, fixture);
	gws_buf_init(&want, 1 << 20);
	assert_int_equal(gws_buf_read_file(&want, path), 0);
	assert_string_equal(json_string_value(json_object_get(rec, "body")), gws_buf_cstr(&want));
	gws_buf_dispose(&want);
	json_decref(rec);
}

#define EMPTY_LIST "{\"action\": \"ListCertificates\", \"body\": \"{}\"}"

static void test_list_request_matches_cli(void **state)
{
	acm_run r;
	gws_acm_certificates out;
	json_t *rec;
	const char *auth;
	(void)state;

	run_start(&r, "acm-list", "[" EMPTY_LIST "]");
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, NULL, &out), 0);
	assert_int_equal(out.count, 0);
	assert_body_is(&r, 0, "ListCertificates");
	rec = request_at(&r, 0);
	assert_string_equal(json_string_value(json_object_get(rec, "method")), "POST");
	assert_string_equal(json_string_value(json_object_get(rec, "path")), "/");
	assert_string_equal(header(rec, "X-Amz-Target"), "CertificateManager.ListCertificates");
	assert_string_equal(header(rec, "Content-Type"), "application/x-amz-json-1.1");
	auth = header(rec, "Authorization");
	assert_non_null(strstr(auth, "/us-west-2/acm/aws4_request"));
	assert_non_null(strstr(auth, "SignedHeaders=content-type;host;x-amz-date;"
	                             "x-amz-security-token;x-amz-target,"));
	json_decref(rec);
	run_stop(&r);
}

static void test_pages_follow_next_token(void **state)
{
	acm_run r;
	gws_acm_certificates out;
	const char *rsa[] = {"RSA_2048"};
	gws_acm_list_input in = {{NULL, 0}, {rsa, 1}, 0};
	(void)state;

	run_start(&r, "acm-pages",
	          "[{\"action\": \"ListCertificates\", \"body\": \"{\\\"NextToken\\\": "
	          "\\\"next-page-token\\\", \\\"CertificateSummaryList\\\": "
	          "[{\\\"CertificateArn\\\": \\\"arn:1\\\", \\\"DomainName\\\": "
	          "\\\"a.example.com\\\", "
	          "\\\"SubjectAlternativeNameSummaries\\\": [\\\"a.example.com\\\", "
	          "\\\"b.example.com\\\"], \\\"HasAdditionalSubjectAlternativeNames\\\": false, "
	          "\\\"Status\\\": \\\"ISSUED\\\", \\\"Type\\\": \\\"IMPORTED\\\", "
	          "\\\"KeyAlgorithm\\\": \\\"RSA-2048\\\"}]}\"},"
	          "{\"action\": \"ListCertificates\", \"body\": \"{\\\"CertificateSummaryList\\\": "
	          "[{\\\"CertificateArn\\\": \\\"arn:2\\\", \\\"DomainName\\\": "
	          "\\\"*.example.com\\\", "
	          "\\\"SubjectAlternativeNameSummaries\\\": [\\\"*.example.com\\\"], "
	          "\\\"HasAdditionalSubjectAlternativeNames\\\": true}, "
	          "{\\\"CertificateArn\\\": \\\"arn:3\\\", \\\"DomainName\\\": "
	          "\\\"old.example.com\\\"}"
	          "]}\"}]");
	in.statuses.items = (const char *[]){"ISSUED"};
	in.statuses.count = 1;
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, &in, &out), 0);
	assert_int_equal(out.count, 3);
	assert_string_equal(out.items[0].arn, "arn:1");
	assert_string_equal(out.items[0].domain_name, "a.example.com");
	assert_int_equal(out.items[0].names.count, 2);
	assert_string_equal(out.items[0].names.items[1], "b.example.com");
	assert_true(out.items[0].names_complete);
	assert_string_equal(out.items[0].status, "ISSUED");
	assert_string_equal(out.items[0].type, "IMPORTED");
	/* The summary says more names exist: only DescribeCertificate has them. */
	assert_string_equal(out.items[1].arn, "arn:2");
	assert_false(out.items[1].names_complete);
	/* No SubjectAlternativeNameSummaries at all (an older ACM, moto). */
	assert_false(out.items[2].names_complete);
	assert_int_equal(out.items[2].names.count, 0);
	assert_int_equal(aws_stub_count(&r.stub), 2);
	/* Page 2 asks with the token where botocore puts it (model order). */
	assert_body_is(&r, 1, "ListCertificates-next");
	run_stop(&r);
}

static void test_describe_request_and_detail(void **state)
{
	acm_run r;
	gws_acm_certificate cert;
	(void)state;

	run_start(&r, "acm-describe",
	          "[{\"action\": \"DescribeCertificate\", \"body\": \"{\\\"Certificate\\\": "
	          "{\\\"CertificateArn\\\": \\\"" CERT1 "\\\", \\\"DomainName\\\": "
	          "\\\"example.com\\\", \\\"SubjectAlternativeNames\\\": [\\\"example.com\\\", "
	          "\\\"*.example.com\\\"], \\\"Status\\\": \\\"ISSUED\\\", \\\"NotAfter\\\": "
	          "1.7e9}}\"}]");
	assert_int_equal(gws_acm_describe_certificate(r.c, r.a, CERT1, &cert), 0);
	assert_body_is(&r, 0, "DescribeCertificate");
	assert_string_equal(cert.arn, CERT1);
	assert_string_equal(cert.domain_name, "example.com");
	assert_true(cert.names_complete);
	assert_int_equal(cert.names.count, 2);
	assert_string_equal(cert.names.items[1], "*.example.com");
	run_stop(&r);
}

static void test_errors_map_like_query_errors(void **state)
{
	acm_run r;
	gws_acm_certificate cert;
	gws_acm_certificates list;
	const gws_aws_error *e;
	gws_aws_stats stats;
	(void)state;

	run_start(&r, "acm-errors",
	          "[{\"action\": \"ListCertificates\", \"status\": 400, \"body\": "
	          "\"{\\\"__type\\\": \\\"ThrottlingException\\\", \\\"message\\\": \\\"Rate "
	          "exceeded\\\"}\"}," EMPTY_LIST ","
	          "{\"action\": \"DescribeCertificate\", \"status\": 400, \"headers\": "
	          "{\"x-amzn-RequestId\": \"rid-1\"}, \"body\": \"{\\\"__type\\\": "
	          "\\\"com.amazonaws.acm#ResourceNotFoundException\\\", \\\"message\\\": "
	          "\\\"Could not find certificate\\\"}\"},"
	          "{\"action\": \"DescribeCertificate\", \"status\": 400, \"body\": "
	          "\"{\\\"__type\\\": \\\"AccessDeniedException\\\", \\\"Message\\\": \\\"User is "
	          "not authorized to perform: acm:DescribeCertificate\\\"}\"},"
	          "{\"action\": \"DescribeCertificate\", \"status\": 500, \"repeat\": true, "
	          "\"body\": \"<html>oops</html>\"}]");
	/* Throttled once, then answered. */
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, NULL, &list), 0);
	gws_aws_client_stats(r.c, &stats);
	assert_int_equal(stats.throttled, 1);
	assert_int_equal(stats.retries, 1);
	/* The namespace of __type is not part of the code. */
	assert_int_equal(gws_acm_describe_certificate(r.c, r.a, "arn:x", &cert), GWS_ENOTFOUND);
	e = gws_aws_client_last_error(r.c);
	assert_string_equal(e->code, "ResourceNotFoundException");
	assert_string_equal(e->message, "Could not find certificate");
	assert_string_equal(e->request_id, "rid-1");
	assert_string_equal(e->service, "acm");
	assert_string_equal(e->action, "DescribeCertificate");
	assert_non_null(strstr(gws_error_last(), "ResourceNotFoundException"));
	/* "Message" is accepted as well as "message". */
	assert_int_equal(gws_acm_describe_certificate(r.c, r.a, "arn:x", &cert), GWS_EAUTH);
	e = gws_aws_client_last_error(r.c);
	assert_string_equal(e->code, "AccessDeniedException");
	assert_non_null(strstr(e->message, "acm:DescribeCertificate"));
	/* A 5xx without a JSON error is retried, then reported by its status. */
	assert_int_equal(gws_acm_describe_certificate(r.c, r.a, "arn:x", &cert), GWS_EREMOTE);
	assert_int_equal(gws_aws_client_last_error(r.c)->status, 500);
	assert_int_equal(gws_aws_client_last_error(r.c)->attempts, 3);
	run_stop(&r);
}

static void test_endless_pages_are_capped(void **state)
{
	acm_run r;
	gws_acm_certificates out;
	(void)state;

	/* A new token on every page: the page cap ends the call. */
	run_start(&r, "acm-endless",
	          "[{\"action\": \"ListCertificates\", \"repeat\": true, \"counter\": true, "
	          "\"body\": \"{\\\"NextToken\\\": \\\"t{n}\\\", \\\"CertificateSummaryList\\\": "
	          "[{\\\"CertificateArn\\\": \\\"arn:{n}\\\"}]}\"}]");
	gws_aws__set_max_pages(5);
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, NULL, &out), GWS_ETOOBIG);
	assert_int_equal(aws_stub_count(&r.stub), 5);
	assert_non_null(strstr(gws_error_last(), "more than 5 pages"));
	run_stop(&r);

	/* The same token twice: the list would never end. */
	run_start(&r, "acm-circle",
	          "[{\"action\": \"ListCertificates\", \"repeat\": true, \"body\": "
	          "\"{\\\"NextToken\\\": \\\"same\\\", \\\"CertificateSummaryList\\\": []}\"}]");
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, NULL, &out), GWS_EREMOTE);
	assert_int_equal(aws_stub_count(&r.stub), 2);
	assert_non_null(strstr(gws_error_last(), "repeats"));
	run_stop(&r);
}

static void test_bad_replies_fail_cleanly(void **state)
{
	acm_run r;
	gws_acm_certificates out;
	gws_acm_certificate cert;
	const gws_acm_list_input too_many = {{NULL, 0}, {NULL, 0}, 1001};
	(void)state;

	run_start(&r, "acm-bad",
	          "[{\"action\": \"ListCertificates\", \"body\": \"[1, 2]\"},"
	          "{\"action\": \"ListCertificates\", \"body\": \"{\\\"CertificateSummaryList\\\": "
	          "[{\\\"DomainName\\\": \\\"x\\\"}]}\"},"
	          "{\"action\": \"ListCertificates\", \"body\": \"{\\\"CertificateSummaryList\\\": "
	          "[{\\\"CertificateArn\\\": 7}]}\"},"
	          "{\"action\": \"DescribeCertificate\", \"body\": \"{\\\"Certificate\\\": "
	          "{\\\"CertificateArn\\\": \\\"a\\\", \\\"SubjectAlternativeNames\\\": "
	          "\\\"x\\\"}}\"},"
	          "{\"action\": \"DescribeCertificate\", \"body\": \"not json\"}]");
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, NULL, &out), GWS_EREMOTE);
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, NULL, &out), GWS_EREMOTE);
	assert_non_null(strstr(gws_error_last(), "without a CertificateArn"));
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, NULL, &out), GWS_EREMOTE);
	assert_int_equal(out.count, 0);
	assert_int_equal(gws_acm_describe_certificate(r.c, r.a, "a", &cert), GWS_EREMOTE);
	assert_int_equal(gws_acm_describe_certificate(r.c, r.a, "a", &cert), GWS_EREMOTE);
	assert_non_null(strstr(gws_error_last(), "unreadable"));
	assert_int_equal(gws_acm_list_certificates(r.c, r.a, &too_many, &out), GWS_EINVALID);
	assert_int_equal(aws_stub_count(&r.stub), 5);
	run_stop(&r);
}

static void test_describes_batch_concurrently(void **state)
{
	acm_run r;
	gws_acm_certificate certs[3];
	const char *arns[] = {"arn:a", "arn:b", "arn:c"};
	int rcs[3];
	(void)state;

	run_start(&r, "acm-batch",
	          "[{\"action\": \"DescribeCertificate\", \"repeat\": true, \"delay\": 0.3, "
	          "\"body\": \"{\\\"Certificate\\\": {\\\"CertificateArn\\\": \\\"same\\\", "
	          "\\\"DomainName\\\": \\\"d.example.com\\\"}}\"}]");
	assert_int_equal(gws_aws_batch_begin(r.c), 0);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(gws_acm_describe_certificate(r.c, r.a, arns[i], &certs[i]), 0);
	assert_int_equal(aws_stub_count(&r.stub), 0);
	assert_int_equal(gws_aws_batch_run(r.c, rcs, 3), 0);
	for (size_t i = 0; i < 3; i++) {
		json_t *rec = request_at(&r, i);

		assert_int_equal(rcs[i], 0);
		assert_string_equal(certs[i].domain_name, "d.example.com");
		/* all three were in flight together */
		if (json_integer_value(json_object_get(rec, "inflight")) == 3)
			rcs[0] = 42;
		json_decref(rec);
	}
	assert_int_equal(rcs[0], 42);
	run_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_list_request_matches_cli),
	        cmocka_unit_test(test_pages_follow_next_token),
	        cmocka_unit_test(test_describe_request_and_detail),
	        cmocka_unit_test(test_errors_map_like_query_errors),
	        cmocka_unit_test(test_endless_pages_are_capped),
	        cmocka_unit_test(test_bad_replies_fail_cleanly),
	        cmocka_unit_test(test_describes_batch_concurrently),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
