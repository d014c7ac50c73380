/*
 * SigV4 for the requests gwsync actually sends: an ELBv2-shaped vector
 * (computed with botocore for the same request), session-token
 * signing, a Host with a non-default port, bad input, and a cross-check
 * against libcurl's own CURLOPT_AWS_SIGV4 through a loopback server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "aws/sigv4.h"

#define AKID      "AKIDEXAMPLE"
#define SECRET    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T20150830 ((time_t)1440938160) /* 2015-08-30T12:36:00Z */

static const char elb_body[] = "Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=tg-1"
                               "&PageSize=20";
static const char *const form_headers[] = {
        "Content-Type: application/x-www-form-urlencoded; charset=utf-8", NULL};

static gws_sigv4_request elb_request(const gws_aws_credentials *creds)
{
	gws_sigv4_request req;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.host = "elasticloadbalancing.us-west-2.amazonaws.com";
	req.path = "/";
	req.query = "";
	req.headers = form_headers;
	req.body = elb_body;
	req.body_len = strlen(elb_body);
	req.service = "elasticloadbalancing";
	req.region = "us-west-2";
	req.when = T20150830;
	req.creds = creds;
	return req;
}

static void hex_sha256(char out[65], const char *s)
{
	unsigned char d[GWS_SHA256_LEN];
	gws_sha256(s, strlen(s), d);
	gws_hex_encode(out, d, sizeof(d));
}

static void test_elbv2_vector(void **state)
{
	gws_aws_credentials creds = {AKID, SECRET, "SESSIONTOKEN/+=EXAMPLE", 0, "test"};
	gws_sigv4_request req = elb_request(&creds);
	gws_sigv4_result res;
	char h[65];
	const char *want_creq = "POST\n/\n\n"
	                        "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
	                        "host:elasticloadbalancing.us-west-2.amazonaws.com\n"
	                        "x-amz-date:20150830T123600Z\n"
	                        "x-amz-security-token:SESSIONTOKEN/+=EXAMPLE\n"
	                        "\n"
	                        "content-type;host;x-amz-date;x-amz-security-token\n"
	                        "178c0d1b331f38c0c9f2db52061f4b8c452900181def7a0903d8aefe1ade70a0";
	(void)state;

	/* The payload hash of the botocore vector is the hash of this body. */
	hex_sha256(h, elb_body);
	assert_string_equal(h, "178c0d1b331f38c0c9f2db52061f4b8c452900181def7a0903d8aefe1ade70a0");

	assert_int_equal(gws_sigv4_sign(&res, &req), 0);
	assert_string_equal(res.amz_date, "20150830T123600Z");
	assert_string_equal(res.canonical_request, want_creq);
	assert_string_equal(res.string_to_sign,
	                    "AWS4-HMAC-SHA256\n20150830T123600Z\n"
	                    "20150830/us-west-2/elasticloadbalancing/aws4_request\n"
	                    "cdfcfa55c21e920ad0b90ea847f372d59d2180a5472b2d7d1d947768cc737ef1");
	hex_sha256(h, res.canonical_request);
	assert_string_equal(h, "cdfcfa55c21e920ad0b90ea847f372d59d2180a5472b2d7d1d947768cc737ef1");
	assert_string_equal(res.signature,
	                    "4e675b34703ae6f964fbd5d984947916b14ba4cec44a272d5a7481553c24a5ff");
	assert_string_equal(
	        res.authorization,
	        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/elasticloadbalancing/"
	        "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
	        "Signature=4e675b34703ae6f964fbd5d984947916b14ba4cec44a272d5a7481553c24a5ff");
	/* Trace logs may print the canonical request and string to sign: no secret key in them. */
	assert_null(strstr(res.canonical_request, SECRET));
	assert_null(strstr(res.string_to_sign, SECRET));
	assert_null(strstr(res.authorization, SECRET));
	/* The token is in the canonical request, so it must be scrubbed from logs. */
	{
		gws_buf b = GWS_BUF_INIT(4096);
		assert_int_equal(gws_buf_puts(&b, res.canonical_request), 0);
		assert_int_equal(gws_secret_scrub(&b), 0);
		assert_null(strstr(gws_buf_cstr(&b), "SESSIONTOKEN/+=EXAMPLE"));
		gws_buf_dispose(&b);
	}
	gws_sigv4_result_dispose(&res);
}

static void test_token_changes_signed_headers(void **state)
{
	gws_aws_credentials with = {AKID, SECRET, "SESSIONTOKEN/+=EXAMPLE", 0, "test"};
	gws_aws_credentials without = {AKID, SECRET, NULL, 0, "test"};
	gws_sigv4_request a = elb_request(&with), b = elb_request(&without);
	const char *const spoof[] = {
	        "X-Amz-Security-Token: other", "Host: evil.example", "X-Amz-Date: 19990101T000000Z",
	        "Content-Type: application/x-www-form-urlencoded; charset=utf-8", NULL};
	gws_sigv4_result ra, rb, rc;
	(void)state;

	assert_int_equal(gws_sigv4_sign(&ra, &a), 0);
	assert_int_equal(gws_sigv4_sign(&rb, &b), 0);
	assert_non_null(strstr(rb.authorization, "SignedHeaders=content-type;host;x-amz-date, "));
	assert_null(strstr(rb.canonical_request, "x-amz-security-token"));
	assert_string_not_equal(ra.signature, rb.signature);

	/* Host, X-Amz-Date and the token come from the request fields, never from header lines. */
	a.headers = spoof;
	assert_int_equal(gws_sigv4_sign(&rc, &a), 0);
	assert_string_equal(rc.signature, ra.signature);
	gws_sigv4_result_dispose(&ra);
	gws_sigv4_result_dispose(&rb);
	gws_sigv4_result_dispose(&rc);
}

static void test_host_with_port(void **state)
{
	gws_aws_credentials creds = {AKID, SECRET, NULL, 0, "test"};
	gws_sigv4_request req = elb_request(&creds);
	gws_sigv4_result with_port, without_port;
	(void)state;

	req.host = "127.0.0.1:18080";
	assert_int_equal(gws_sigv4_sign(&with_port, &req), 0);
	assert_non_null(strstr(with_port.canonical_request, "\nhost:127.0.0.1:18080\n"));
	req.host = "127.0.0.1";
	assert_int_equal(gws_sigv4_sign(&without_port, &req), 0);
	assert_string_not_equal(with_port.signature, without_port.signature);
	gws_sigv4_result_dispose(&with_port);
	gws_sigv4_result_dispose(&without_port);
}

static void test_canonical_pieces(void **state)
{
	gws_buf b = GWS_BUF_INIT(4096);
	(void)state;

	assert_int_equal(gws_sigv4__canonical_uri(&b, "/a b/%2F/./c/../d/"), 0);
	assert_string_equal(gws_buf_cstr(&b), "/a%20b/%252F/d/");
	gws_buf_clear(&b);
	assert_int_equal(gws_sigv4__canonical_uri(&b, "/../.."), 0);
	assert_string_equal(gws_buf_cstr(&b), "/");
	gws_buf_clear(&b);
	assert_int_equal(gws_sigv4__canonical_query(&b, "b=2&a=x%20y&a=x+y&c&&d=%zz"), 0);
	assert_string_equal(gws_buf_cstr(&b), "a=x%20y&a=x%2By&b=2&c=&d=%25zz");
	gws_buf_dispose(&b);
}

static void test_bad_input(void **state)
{
	gws_aws_credentials creds = {AKID, SECRET, NULL, 0, "test"};
	gws_aws_credentials nokey = {AKID, NULL, NULL, 0, "test"};
	gws_sigv4_request req = elb_request(&creds);
	const char *const bad_line[] = {"NoColonHere", NULL};
	const char *const bad_name[] = {"Bad Name: x", NULL};
	gws_sigv4_result res;
	(void)state;

	req.headers = bad_line;
	assert_int_equal(gws_sigv4_sign(&res, &req), GWS_EINVALID);
	assert_null(res.authorization);
	req.headers = bad_name;
	assert_int_equal(gws_sigv4_sign(&res, &req), GWS_EINVALID);
	req = elb_request(&nokey);
	assert_int_equal(gws_sigv4_sign(&res, &req), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "secret"));
	req = elb_request(&creds);
	req.host = "a\r\nX-Evil: 1";
	assert_int_equal(gws_sigv4_sign(&res, &req), GWS_EINVALID);
	req = elb_request(&creds);
	req.region = NULL;
	assert_int_equal(gws_sigv4_sign(&res, &req), GWS_EINVALID);
	gws_sigv4_result_dispose(&res);
}

/* ---- libcurl cross-check ------------------------------------------------ */

/* Case-insensitive strstr (strcasestr is a GNU extension). */
static const char *ci_find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

typedef struct {
	int listen_fd;
	char request[16384];
	size_t len;
} recorder;

static void *recorder_main(void *arg)
{
	recorder *r = arg;
	int fd = accept(r->listen_fd, NULL, NULL);
	const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	size_t want = 0;
	if (fd < 0)
		return NULL;
	while (r->len < sizeof(r->request) - 1) {
		ssize_t n = recv(fd, r->request + r->len, sizeof(r->request) - 1 - r->len, 0);
		char *end;
		if (n <= 0)
			break;
		r->len += (size_t)n;
		r->request[r->len] = '\0';
		end = strstr(r->request, "\r\n\r\n");
		if (end != NULL) {
			const char *cl = ci_find(r->request, "\r\nContent-Length:");
			want = (size_t)(end + 4 - r->request) +
			       (cl ? strtoul(cl + 17, NULL, 10) : 0);
			if (r->len >= want)
				break;
		}
	}
	(void)!send(fd, reply, sizeof(reply) - 1, MSG_NOSIGNAL);
	close(fd);
	return NULL;
}

/* Value of header `name` in the recorded request, copied to out. */
static void recorded_header(const recorder *r, const char *name, char *out, size_t outlen)
{
	char key[128];
	const char *p, *eol;
	snprintf(key, sizeof(key), "\r\n%s:", name);
	p = ci_find(r->request, key);
	if (p == NULL)
		fail_msg("the request curl sent has no %s header:\n%s", name, r->request);
	p += strlen(key);
	while (*p == ' ')
		p++;
	eol = strstr(p, "\r\n");
	assert_non_null(eol);
	assert_true((size_t)(eol - p) < outlen);
	memcpy(out, p, (size_t)(eol - p));
	out[eol - p] = '\0';
}

static void test_matches_libcurl(void **state)
{
	recorder rec;
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	pthread_t th;
	CURL *curl;
	struct curl_slist *hdrs = NULL;
	char url[64], host[64], date[32], authz[512], ctype[128], token[128], tokline[80];
	const char *token_value = "IQoJb3JpZ2luX2VjEXAMPLE//+token==";
	const char *body_start;
	gws_aws_credentials creds = {AKID, SECRET, NULL, 0, "test"};
	const char *lines[2] = {NULL, NULL};
	char ctline[160];
	gws_sigv4_request req;
	gws_sigv4_result res;
	struct tm tm;
	(void)state;

	memset(&rec, 0, sizeof(rec));
	rec.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(rec.listen_fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(rec.listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(rec.listen_fd, 1), 0);
	assert_int_equal(getsockname(rec.listen_fd, (struct sockaddr *)&sa, &salen), 0);
	assert_int_equal(pthread_create(&th, NULL, recorder_main, &rec), 0);

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/", (unsigned)ntohs(sa.sin_port));
	snprintf(tokline, sizeof(tokline), "X-Amz-Security-Token: %s", token_value);
	curl = curl_easy_init();
	assert_non_null(curl);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/x-www-form-urlencoded; "
	                               "charset=utf-8");
	hdrs = curl_slist_append(hdrs, tokline);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, "aws:amz:us-west-2:elasticloadbalancing");
	curl_easy_setopt(curl, CURLOPT_USERPWD, AKID ":" SECRET);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, elb_body);
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	assert_int_equal(curl_easy_perform(curl), CURLE_OK);
	curl_easy_cleanup(curl);
	curl_slist_free_all(hdrs);
	pthread_join(th, NULL);
	close(rec.listen_fd);

	recorded_header(&rec, "Host", host, sizeof(host));
	recorded_header(&rec, "X-Amz-Date", date, sizeof(date));
	recorded_header(&rec, "Authorization", authz, sizeof(authz));
	recorded_header(&rec, "Content-Type", ctype, sizeof(ctype));
	recorded_header(&rec, "X-Amz-Security-Token", token, sizeof(token));
	body_start = strstr(rec.request, "\r\n\r\n") + 4;
	assert_string_equal(body_start, elb_body);
	assert_string_equal(token, token_value);

	/* Sign the same request ourselves, at the time curl used. */
	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(date, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
	                 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	snprintf(ctline, sizeof(ctline), "Content-Type: %s", ctype);
	lines[0] = ctline;
	creds.session_token = token;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.host = host;
	req.path = "/";
	req.query = "";
	req.headers = lines;
	req.body = elb_body;
	req.body_len = strlen(elb_body);
	req.service = "elasticloadbalancing";
	req.region = "us-west-2";
	req.when = timegm(&tm);
	req.creds = &creds;
	assert_int_equal(gws_sigv4_sign(&res, &req), 0);
	assert_string_equal(res.amz_date, date);
	assert_non_null(strstr(authz, "SignedHeaders=content-type;host;x-amz-date;"
	                              "x-amz-security-token"));
	assert_string_equal(res.authorization, authz);
	gws_sigv4_result_dispose(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_elbv2_vector),
	        cmocka_unit_test(test_token_changes_signed_headers),
	        cmocka_unit_test(test_host_with_port),
	        cmocka_unit_test(test_canonical_pieces),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_matches_libcurl),
	};
	int rc;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
