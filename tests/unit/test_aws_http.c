/* The HTTP layer against a loopback stub: bodies and headers both ways,
 * transport failures and whether the request was sent, redirects, order of
 * parallel results, header redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "aws/http.h"
#include "stubs/aws_stub.h"

static gws_http *new_http(void)
{
	gws_http *http = NULL;
	gws_http_options opts = {NULL, 2000, 5000};

	assert_int_equal(gws_http_new(&http, &opts), 0);
	return http;
}

static void test_get_and_headers(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	char url[256];
	(void)state;

	assert_int_equal(
	        aws_stub_start(&stub, "get",
	                       "[{\"status\": 200, \"body\": \"<ok/>\", \"headers\": "
	                       "{\"x-amzn-RequestId\": \"req-123\", \"x-amz-retry-after\": "
	                       "\"1500\"}}]"),
	        0);
	snprintf(url, sizeof(url), "%s/path?x=1", stub.url);
	gws_http_request req = {"GET", url, NULL, NULL, 0, 0, false, false, 0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	assert_int_equal(resp.status, 200);
	assert_string_equal(gws_buf_cstr(&resp.body), "<ok/>");
	assert_string_equal(resp.request_id, "req-123");
	assert_string_equal(resp.retry_after, "1500");
	assert_true(resp.request_sent);
	assert_int_equal(resp.transport_error, 0);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

static void test_post_body_exact(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	gws_buf log;
	const char *headers[] = {"Content-Type: application/x-www-form-urlencoded; charset=utf-8",
	                         "X-Test: yes", NULL};
	const char body[] = "Action=DescribeTags&Version=2015-12-01&ResourceArns.member.1=a%3Ab";
	(void)state;

	assert_int_equal(aws_stub_start(&stub, "post", "[{\"status\": 400, \"body\": \"e\"}]"), 0);
	gws_http_request req = {"POST", stub.url, headers, body, strlen(body), 0, false, false, 0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	assert_int_equal(resp.status, 400);
	assert_null(resp.request_id);
	assert_int_equal(aws_stub_log(&stub, &log), 0);
	assert_non_null(strstr(gws_buf_cstr(&log), "\"body\": \"Action=DescribeTags&Version="
	                                           "2015-12-01&ResourceArns.member.1=a%3Ab\""));
	assert_non_null(strstr(gws_buf_cstr(&log), "\"X-Test\": \"yes\""));
	assert_non_null(strstr(gws_buf_cstr(&log), "charset=utf-8"));
	assert_null(strstr(gws_buf_cstr(&log), "\"Expect\""));
	gws_buf_dispose(&log);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

static void test_put_without_body(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	gws_buf log;
	(void)state;

	assert_int_equal(aws_stub_start(&stub, "put", "[{\"status\": 200, \"body\": \"tok\"}]"), 0);
	gws_http_request req = {"PUT", stub.url, NULL, NULL, 0, 0, false, false, 0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	assert_int_equal(aws_stub_log(&stub, &log), 0);
	assert_non_null(strstr(gws_buf_cstr(&log), "\"method\": \"PUT\""));
	assert_non_null(strstr(gws_buf_cstr(&log), "\"Content-Length\": \"0\""));
	assert_null(strstr(gws_buf_cstr(&log), "x-www-form-urlencoded"));
	gws_buf_dispose(&log);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

static void test_connection_refused_not_sent(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	char url[128];
	(void)state;

	/* A port that was just listening and is now closed. */
	assert_int_equal(aws_stub_start(&stub, "refused", "[]"), 0);
	snprintf(url, sizeof(url), "%s", stub.url);
	aws_stub_stop(&stub);
	gws_http_request req = {"POST", url, NULL, "a=b", 3, 0, false, false, 0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), GWS_ENETWORK);
	assert_int_equal(resp.status, 0);
	assert_false(resp.request_sent);
	assert_int_equal(gws_error_last_code(), GWS_ENETWORK);
	assert_true(resp.error[0] != '\0');
	gws_http_response_dispose(&resp);
	gws_http_free(http);
}

static void test_stall_times_out_after_sending(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	(void)state;

	assert_int_equal(aws_stub_start(&stub, "stall", "[{\"stall\": 3}]"), 0);
	gws_http_request req = {"POST", stub.url, NULL, "Action=CreateRule", 17, 300,
	                        false,  false,    0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), GWS_ETIMEOUT);
	assert_int_equal(resp.status, 0);
	assert_true(resp.request_sent);
	assert_int_equal(aws_stub_count(&stub), 1);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

static void test_reset_after_sending(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	(void)state;

	assert_int_equal(aws_stub_start(&stub, "reset", "[{\"reset\": true}]"), 0);
	gws_http_request req = {"POST", stub.url, NULL, "Action=CreateRule", 17, 0,
	                        false,  false,    0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), GWS_ENETWORK);
	assert_true(resp.request_sent);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

static void test_redirect_not_followed(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	(void)state;

	assert_int_equal(aws_stub_start(&stub, "redirect",
	                                "[{\"status\": 302, \"headers\": {\"Location\": "
	                                "\"http://127.0.0.1:1/elsewhere\"}}, {\"status\": 200}]"),
	                 0);
	gws_http_request req = {"GET", stub.url, NULL, NULL, 0, 0, false, false, 0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	assert_int_equal(resp.status, 302);
	assert_int_equal(aws_stub_count(&stub), 1);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

static void test_rejects_other_schemes(void **state)
{
	gws_http *http = new_http();
	gws_http_response resp;
	(void)state;

	gws_http_request req = {"GET", "file:///etc/passwd", NULL, NULL, 0, 0, false, false, 0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), GWS_EINVALID);
	assert_int_equal(resp.status, 0);
	assert_int_equal(gws_buf_cstr(&resp.body)[0], '\0');
	gws_http_response_dispose(&resp);
	gws_http_free(http);
}

static void test_many_in_input_order(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_request reqs[6];
	gws_http_response resps[6];
	char bodies[6][32];
	size_t i;
	(void)state;

	/* Early requests answer last, so completion order differs from input order. */
	assert_int_equal(aws_stub_start(&stub, "many",
	                                "[{\"action\": \"A0\", \"delay\": 0.5, \"body\": \"r0\"},"
	                                "{\"action\": \"A1\", \"delay\": 0.4, \"body\": \"r1\"},"
	                                "{\"action\": \"A2\", \"delay\": 0.3, \"body\": \"r2\"},"
	                                "{\"action\": \"A3\", \"delay\": 0.2, \"body\": \"r3\"},"
	                                "{\"action\": \"A4\", \"delay\": 0.1, \"body\": \"r4\"},"
	                                "{\"action\": \"A5\", \"status\": 503, \"body\": \"r5\"}]"),
	                 0);
	for (i = 0; i < 6; i++) {
		snprintf(bodies[i], sizeof(bodies[i]), "Action=A%zu", i);
		reqs[i] = (gws_http_request){"POST", stub.url, NULL,  bodies[i], strlen(bodies[i]),
		                             0,      false,    false, 0};
		gws_http_response_init(&resps[i]);
	}
	assert_int_equal(gws_http_perform_many(http, reqs, resps, 6, 3), 0);
	for (i = 0; i < 6; i++) {
		char want[8];
		snprintf(want, sizeof(want), "r%zu", i);
		assert_string_equal(gws_buf_cstr(&resps[i].body), want);
		assert_int_equal(resps[i].status, i == 5 ? 503 : 200);
		gws_http_response_dispose(&resps[i]);
	}
	assert_int_equal(aws_stub_count(&stub), 6);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

/* The client port of each request the stub logged, in order. */
static size_t client_ports(aws_stub *stub, long *ports, size_t max)
{
	gws_buf log;
	const char *p;
	size_t n = 0;

	assert_int_equal(aws_stub_log(stub, &log), 0);
	for (p = gws_buf_cstr(&log); n < max && (p = strstr(p, "\"client_port\": ")) != NULL;) {
		p += 15;
		ports[n++] = strtol(p, NULL, 10);
	}
	gws_buf_dispose(&log);
	return n;
}

/* Sequential requests reuse one connection (also across perform calls);
 * a request asking for a fresh connection gets one. */
static void test_connection_reuse(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	long ports[4];
	(void)state;

	assert_int_equal(aws_stub_start(&stub, "reuse", "[{\"repeat\": true, \"body\": \"x\"}]"),
	                 0);
	gws_http_request req = {"POST", stub.url, NULL, "a=1", 3, 0, false, false, 0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	req.fresh_connection = true;
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	req.fresh_connection = false;
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	assert_int_equal(client_ports(&stub, ports, 4), 4);
	assert_int_equal(ports[0], ports[1]);
	assert_int_not_equal(ports[2], ports[1]);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

static void test_redaction(void **state)
{
	gws_buf out = GWS_BUF_INIT(1024);
	(void)state;

	assert_true(gws_http__header_is_secret("authorization", 13));
	assert_true(gws_http__header_is_secret("X-Amz-Security-Token", 20));
	assert_true(gws_http__header_is_secret("X-aws-ec2-metadata-token", 24));
	assert_false(gws_http__header_is_secret("X-Amz-Date", 10));
	assert_int_equal(gws_http__redact_header(&out, "Authorization: AWS4-HMAC-SHA256 sig=abc"),
	                 0);
	assert_string_equal(gws_buf_cstr(&out), "Authorization: ****");
	gws_buf_clear(&out);
	assert_int_equal(gws_http__redact_header(&out, "X-Amz-Date: 20261126T000000Z"), 0);
	assert_string_equal(gws_buf_cstr(&out), "X-Amz-Date: 20261126T000000Z");
	gws_buf_dispose(&out);
}

/* The debug line carries method, url without its query, status, duration;
 * never header values. */
static void test_debug_log_has_no_secrets(void **state)
{
	aws_stub stub;
	gws_http *http = new_http();
	gws_http_response resp;
	gws_buf log = GWS_BUF_INIT(1 << 20);
	char path[512], url[256];
	const char *headers[] = {"Authorization: AWS4-HMAC-SHA256 Signature=SECRETSIGVALUE",
	                         "X-Amz-Security-Token: SESSIONTOKENVALUE", NULL};
	FILE *f;
	(void)state;

	snprintf(path, sizeof(path), "%s/http-debug.log", aws_stub_env("GWSYNC_SCRATCH", "."));
	f = fopen(path, "w+");
	assert_non_null(f);
	gws_log_configure(GWS_LOG_TRACE, GWS_LOG_TEXT, f);
	assert_int_equal(aws_stub_start(&stub, "debuglog", "[{\"status\": 200}]"), 0);
	/* userinfo in the URL, too: http://user:USERINFOSECRET@127.0.0.1:PORT/?... */
	assert_true(snprintf(url, sizeof(url),
	                     "http://user:USERINFOSECRET@%s/path?Token=QUERYTOKENVALUE",
	                     stub.url + 7) < (int)sizeof(url));
	gws_http_request req = {"GET", url, headers, NULL, 0, 0, false, false, 0};
	gws_http_response_init(&resp);
	assert_int_equal(gws_http_perform(http, &req, &resp), 0);
	gws_log_configure(GWS_LOG_INFO, GWS_LOG_TEXT, NULL);
	fclose(f);
	assert_int_equal(gws_buf_read_file(&log, path), 0);
	assert_non_null(strstr(gws_buf_cstr(&log), "status=200"));
	assert_non_null(strstr(gws_buf_cstr(&log), "127.0.0.1"));
	assert_null(strstr(gws_buf_cstr(&log), "SECRETSIGVALUE"));
	assert_null(strstr(gws_buf_cstr(&log), "SESSIONTOKENVALUE"));
	assert_null(strstr(gws_buf_cstr(&log), "QUERYTOKENVALUE"));
	assert_null(strstr(gws_buf_cstr(&log), "USERINFOSECRET"));
	assert_non_null(strstr(gws_buf_cstr(&log), "/path"));
	gws_buf_dispose(&log);
	gws_http_response_dispose(&resp);
	gws_http_free(http);
	aws_stub_stop(&stub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_get_and_headers),
	        cmocka_unit_test(test_post_body_exact),
	        cmocka_unit_test(test_put_without_body),
	        cmocka_unit_test(test_connection_refused_not_sent),
	        cmocka_unit_test(test_stall_times_out_after_sending),
	        cmocka_unit_test(test_reset_after_sending),
	        cmocka_unit_test(test_redirect_not_followed),
	        cmocka_unit_test(test_rejects_other_schemes),
	        cmocka_unit_test(test_many_in_input_order),
	        cmocka_unit_test(test_connection_reuse),
	        cmocka_unit_test(test_redaction),
	        cmocka_unit_test(test_debug_log_has_no_secrets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
