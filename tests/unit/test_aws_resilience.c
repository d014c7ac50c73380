/*
 * What a long production run meets: a proxy in the environment, credentials
 * that expire or are revoked mid-run, a local clock that is off. Each case
 * runs the real client against the loopback stub
 * (tests/unit/stubs/aws_stub_server.py), and the logs are checked for
 * secrets on the new paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "aws/call.h"
#include "stubs/aws_client_stub.h"
#include "stubs/aws_stub.h"

#define IDENTITY_OK "{\"action\": \"GetCallerIdentity\", \"body_file\": \"GetCallerIdentity.xml\"}"

#define IDENTITY_ERROR(status, code, message) "{" ERROR_FIELDS(status, code, message)
#define IDENTITY_ERROR_ALWAYS(status, code, message)                                               \
	"{\"repeat\": true, " ERROR_FIELDS(status, code, message)
#define ERROR_FIELDS(status, code, message)                                                        \
	"\"action\": \"GetCallerIdentity\", \"status\": " #status ", \"body\": "                   \
	"\"<ErrorResponse><Error><Type>Sender</Type><Code>" code "</Code><Message>" message        \
	"</Message></Error><RequestId>r-1</RequestId></ErrorResponse>\"}"

static char scratch[512];

static const char *const proxy_vars[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                         "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};

static void clear_proxy(void)
{
	for (size_t i = 0; i < GWS_ARRAY_SIZE(proxy_vars); i++)
		unsetenv(proxy_vars[i]);
}

static int setup(void **state)
{
	const char *s = getenv("GWSYNC_SCRATCH");
	(void)state;
	snprintf(scratch, sizeof(scratch), "%s", s && *s ? s : ".");
	clear_proxy();
	return 0;
}

static void start(aws_stub *stub, const char *name, const char *script)
{
	if (aws_stub_start(stub, name, script) != 0)
		fail_msg("cannot start the aws stub server");
}

/* Header `name` of the stub's request number `index` (0-based) into `out`. */
static void request_header(aws_stub *stub, size_t index, const char *name, char *out, size_t len)
{
	gws_buf log;
	const char *p;
	json_t *rec, *v;
	size_t i;

	out[0] = '\0';
	assert_int_equal(aws_stub_log(stub, &log), 0);
	p = gws_buf_cstr(&log);
	for (i = 0; i < index && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	assert_non_null(p);
	rec = json_loadb(p, strcspn(p, "\n"), 0, NULL);
	assert_non_null(rec);
	v = json_object_get(json_object_get(rec, "headers"), name);
	if (json_is_string(v))
		snprintf(out, len, "%s", json_string_value(v));
	v = json_object_get(rec, "path");
	if (strcmp(name, ":path") == 0 && json_is_string(v))
		snprintf(out, len, "%s", json_string_value(v));
	json_decref(rec);
	gws_buf_dispose(&log);
}

/* The access key id a request was signed with (from its Authorization header). */
static void signed_key(aws_stub *stub, size_t index, char *out, size_t len)
{
	char auth[1024];
	const char *k;

	request_header(stub, index, "Authorization", auth, sizeof(auth));
	k = strstr(auth, "Credential=");
	assert_non_null(k);
	k += strlen("Credential=");
	snprintf(out, len, "%.*s", (int)strcspn(k, "/"), k);
}

static FILE *capture_log(const char *name, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s.log", scratch, name);
	f = fopen(path, "w+");
	assert_non_null(f);
	gws_log_configure(GWS_LOG_TRACE, GWS_LOG_TEXT, f);
	return f;
}

static void end_capture(FILE *f, const char *path, gws_buf *out)
{
	fflush(f);
	gws_log_configure(GWS_LOG_INFO, GWS_LOG_TEXT, NULL);
	fclose(f);
	gws_buf_init(out, 1 << 20);
	assert_int_equal(gws_buf_read_file(out, path), 0);
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static int identity(gws_aws_client *c)
{
	gws_arena *a = NULL;
	gws_sts_caller_identity id;
	int rc;

	assert_int_equal(gws_arena_new(&a), 0);
	rc = gws_sts_get_caller_identity(c, a, &id);
	if (rc == 0)
		assert_non_null(id.account);
	gws_arena_free(a);
	return rc;
}

/* ---- proxies ------------------------------------------------------------------ */

/* API calls honour http_proxy (the stub plays a plain HTTP proxy: it gets the
 * request in absolute form for a host that does not even resolve) and
 * NO_PROXY. */
static void test_api_calls_follow_proxy(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	char path[256], host[256];
	(void)state;

	aws_test_env("AKIDPROXY", "proxy-secret", NULL);
	start(&stub, "proxy", "[" IDENTITY_OK ", " IDENTITY_OK "]");
	setenv("http_proxy", stub.url, 1);
	setenv("HTTP_PROXY", stub.url, 1);
	assert_int_equal(
	        aws_test_client(&c, "http://sts.gwsync-proxy-test.invalid", &hooks, 1, 0, 0), 0);
	if (identity(c) != 0)
		fail_msg("call through the proxy: %s", gws_error_last());
	request_header(&stub, 0, ":path", path, sizeof(path));
	assert_string_equal(path, "http://sts.gwsync-proxy-test.invalid/");
	request_header(&stub, 0, "Host", host, sizeof(host));
	assert_string_equal(host, "sts.gwsync-proxy-test.invalid");
	gws_aws_client_free(c);

	/* A dead proxy, but NO_PROXY names the endpoint: straight there. */
	setenv("http_proxy", "http://127.0.0.1:9", 1);
	setenv("HTTP_PROXY", "http://127.0.0.1:9", 1);
	setenv("no_proxy", "127.0.0.1", 1);
	setenv("NO_PROXY", "127.0.0.1", 1);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 1, 0, 0), 0);
	if (identity(c) != 0)
		fail_msg("call with NO_PROXY: %s", gws_error_last());
	request_header(&stub, 1, ":path", path, sizeof(path));
	assert_string_equal(path, "/");
	gws_aws_client_free(c);

	/* Without NO_PROXY the dead proxy is used, and fails. */
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 1, 0, 0), 0);
	assert_int_equal(identity(c), GWS_ENETWORK);
	assert_int_equal(aws_stub_count(&stub), 2);
	gws_aws_client_free(c);
	clear_proxy();
	aws_stub_stop(&stub);
}

/* ---- expired credentials ------------------------------------------------------- */

/* credential_process that hands out a new key on every run (AKIDR<n>) and
 * counts its runs in `counter`; expiring at `expires` (ISO 8601). */
static void use_refreshing_process(const char *name, char *counter, size_t len, time_t expires)
{
	char script[600], conf[600], text[2048], when[32];
	struct tm tm;
	FILE *f;

	snprintf(script, sizeof(script), "%s/%s.sh", scratch, name);
	snprintf(counter, len, "%s/%s.count", scratch, name);
	snprintf(conf, sizeof(conf), "%s/%s.config", scratch, name);
	unlink(counter);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\n"
	      "n=$(cat \"$1\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$1\"\n"
	      "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDR%s\", "
	      "\"SecretAccessKey\": \"Zq8refresh-secret-%s\", "
	      "\"SessionToken\": \"Zq8refresh-token-%s\", \"Expiration\": \"%s\"}' "
	      "$n $n $n \"$2\"\n",
	      f);
	fclose(f);
	chmod(script, 0700);
	gmtime_r(&expires, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(text, sizeof(text), "[default]\ncredential_process = %s %s %s\n", script, counter,
	         when);
	f = fopen(conf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	setenv("AWS_CONFIG_FILE", conf, 1);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
}

static long runs(const char *counter)
{
	gws_buf b = GWS_BUF_INIT(64);
	long n = 0;

	if (gws_buf_read_file(&b, counter) == 0)
		n = strtol(gws_buf_cstr(&b), NULL, 10);
	gws_buf_dispose(&b);
	return n;
}

static void test_expired_token_refreshes_once(void **state)
{
	static const char *const secrets[] = {"Zq8refresh-secret-1", "Zq8refresh-secret-2",
	                                      "Zq8refresh-token-1", "Zq8refresh-token-2"};
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	char counter[600], key[64], logpath[600];
	FILE *logf;
	gws_buf out;
	(void)state;

	aws_test_env("AKIDUNUSED", "unused-secret", NULL);
	use_refreshing_process("expired", counter, sizeof(counter), time(NULL) + 3 * 3600);
	logf = capture_log("expired", logpath, sizeof(logpath));
	start(&stub, "expired",
	      "[" IDENTITY_ERROR(
	              400, "ExpiredToken",
	              "The security token included in the request is expired") ", " IDENTITY_OK
	                                                                       "]");
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	if (identity(c) != 0)
		fail_msg("expired token was not recovered: %s", gws_error_last());
	assert_int_equal(aws_stub_count(&stub), 2);
	assert_int_equal(runs(counter), 2);
	signed_key(&stub, 0, key, sizeof(key));
	assert_string_equal(key, "AKIDR1");
	signed_key(&stub, 1, key, sizeof(key));
	assert_string_equal(key, "AKIDR2");
	assert_int_equal(hooks.sleeps, 0); /* a refresh, not a backoff */
	gws_aws_client_free(c);
	aws_stub_stop(&stub);

	/* AWS keeps refusing: one refresh and one retry, then the error. */
	use_refreshing_process("expired-again", counter, sizeof(counter), time(NULL) + 3 * 3600);
	start(&stub, "expired-again",
	      "[" IDENTITY_ERROR_ALWAYS(400, "ExpiredTokenException", "expired") "]");
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(identity(c), GWS_EAUTH);
	assert_string_equal(gws_aws_client_last_error(c)->code, "ExpiredTokenException");
	assert_int_equal(aws_stub_count(&stub), 2);
	assert_int_equal(runs(counter), 2);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);

	end_capture(logf, logpath, &out);
	assert_non_null(strstr(gws_buf_cstr(&out), "rejected the credential_process credentials"));
	for (size_t i = 0; i < GWS_ARRAY_SIZE(secrets); i++)
		if (strstr(gws_buf_cstr(&out), secrets[i]) != NULL)
			fail_msg("secret %s in the log:\n%s", secrets[i], gws_buf_cstr(&out));
	gws_buf_dispose(&out);
}

/* The refresh itself fails: the error says both things. */
static void test_expired_then_refresh_fails(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	char script[600], conf[1400];
	FILE *f;
	(void)state;

	aws_test_env("AKIDUNUSED", "unused-secret", NULL);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	snprintf(script, sizeof(script), "%s/once.sh", scratch);
	f = fopen(script, "w");
	assert_non_null(f);
	/* Works once, then the broker is down. */
	fputs("#!/bin/sh\n"
	      "if [ -e \"$0.ran\" ]; then echo 'broker down' >&2; exit 1; fi\n"
	      "touch \"$0.ran\"\n"
	      "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDONCE\", "
	      "\"SecretAccessKey\": \"once-secret\"}'\n",
	      f);
	fclose(f);
	chmod(script, 0700);
	snprintf(conf, sizeof(conf), "%s.ran", script);
	unlink(conf);
	snprintf(conf, sizeof(conf), "%s/once.config", scratch);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "[default]\ncredential_process = %s\n", script);
	fclose(f);
	setenv("AWS_CONFIG_FILE", conf, 1);
	start(&stub, "refresh-fails",
	      "[" IDENTITY_ERROR(400, "ExpiredToken",
	                         "The security token included in the request "
	                         "is expired") ", " IDENTITY_OK "]");
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(identity(c), GWS_EAUTH);
	assert_int_equal(aws_stub_count(&stub), 1);
	if (!strstr(gws_error_last(), "rejected the credentials (ExpiredToken)") ||
	    !strstr(gws_error_last(), "broker down"))
		fail_msg("unclear error: %s", gws_error_last());
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* Keys that cannot change (environment) are not retried: same keys, same answer. */
static void test_expired_static_keys_not_retried(void **state)
{
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	(void)state;

	aws_test_env("AKIDSTATIC", "static-secret", "static-token");
	start(&stub, "expired-static",
	      "[" IDENTITY_ERROR(400, "ExpiredToken",
	                         "The security token included in the request "
	                         "is expired") ", " IDENTITY_OK "]");
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(identity(c), GWS_EAUTH);
	assert_int_equal(aws_stub_count(&stub), 1);
	assert_non_null(strstr(gws_error_last(), "ExpiredToken"));
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* InvalidClientTokenId means "refresh" only for a set close to its expiry. */
static void test_invalid_token_near_expiry(void **state)
{
	const char *script = "[" IDENTITY_ERROR(403, "InvalidClientTokenId",
	                                        "The security token included in the request is "
	                                        "invalid.") ", " IDENTITY_OK "]";
	aws_stub stub;
	aws_test_hooks hooks = {0};
	gws_aws_client *c = NULL;
	char counter[600];
	(void)state;

	/* Hours left: a genuinely bad key, not retried. */
	aws_test_env("AKIDUNUSED", "unused-secret", NULL);
	use_refreshing_process("invalid-far", counter, sizeof(counter), time(NULL) + 3 * 3600);
	start(&stub, "invalid-far", script);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	assert_int_equal(identity(c), GWS_EAUTH);
	assert_int_equal(aws_stub_count(&stub), 1);
	assert_int_equal(runs(counter), 1);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);

	/* Eight minutes left (outside the 5-minute refresh window, so not refreshed
	 * beforehand): refreshed and retried once. */
	use_refreshing_process("invalid-near", counter, sizeof(counter), time(NULL) + 480);
	start(&stub, "invalid-near", script);
	assert_int_equal(aws_test_client(&c, stub.url, &hooks, 0, 0, 0), 0);
	if (identity(c) != 0)
		fail_msg("InvalidClientTokenId near expiry: %s", gws_error_last());
	assert_int_equal(aws_stub_count(&stub), 2);
	assert_int_equal(runs(counter), 2);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

/* ---- clock skew ------------------------------------------------------------------ */

typedef struct {
	aws_test_hooks hooks;
	long offset_s; /* the local clock's error */
} skew_hooks;

static time_t skewed_now(void *ctx)
{
	return time(NULL) + ((skew_hooks *)ctx)->offset_s;
}

static int skew_client(gws_aws_client **out, const char *url, skew_hooks *h)
{
	return aws_test_client_at(out, url, h, 0, 0, 0, skewed_now);
}

/* Seconds between the X-Amz-Date of request `index` and the real time now. */
static long signing_error(aws_stub *stub, size_t index)
{
	char date[64];
	struct tm tm;

	request_header(stub, index, "X-Amz-Date", date, sizeof(date));
	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(date, "%4d%2d%2dT%2d%2d%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
	                 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long)(timegm(&tm) - time(NULL));
}

static void test_clock_skew_corrected(void **state)
{
	skew_hooks h = {{0}, -3600}; /* an hour slow */
	aws_stub stub;
	gws_aws_client *c = NULL;
	char logpath[600];
	FILE *logf;
	gws_buf out;
	(void)state;

	aws_test_env("AKIDSKEW", "skew-secret", NULL);
	logf = capture_log("skew", logpath, sizeof(logpath));
	start(&stub, "skew",
	      "[" IDENTITY_ERROR(403, "RequestTimeTooSkewed",
	                         "The difference between the request time and the current time is "
	                         "too large.") ", " IDENTITY_OK ", " IDENTITY_OK "]");
	assert_int_equal(skew_client(&c, stub.url, &h), 0);
	if (identity(c) != 0)
		fail_msg("skewed request was not recovered: %s", gws_error_last());
	/* The next call is signed with the corrected time straight away. */
	if (identity(c) != 0)
		fail_msg("second call: %s", gws_error_last());
	assert_int_equal(aws_stub_count(&stub), 3);
	assert_true(labs(signing_error(&stub, 0) + 3600) < 600);
	assert_true(labs(signing_error(&stub, 1)) < 600);
	assert_true(labs(signing_error(&stub, 2)) < 600);
	assert_int_equal(h.hooks.sleeps, 0);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);

	/* Rejected again even with the corrected time: one retry only. A second
	 * client measures the skew again and warns again (once per client). */
	start(&stub, "skew-again",
	      "[" IDENTITY_ERROR_ALWAYS(403, "SignatureDoesNotMatch",
	                                "Signature expired: 20261126T040000Z is now "
	                                "earlier than 20261126T045000Z") "]");
	assert_int_equal(skew_client(&c, stub.url, &h), 0);
	assert_int_equal(identity(c), GWS_EAUTH);
	assert_int_equal(aws_stub_count(&stub), 2);
	gws_aws_client_free(c);
	aws_stub_stop(&stub);

	end_capture(logf, logpath, &out);
	assert_int_equal(count_of(gws_buf_cstr(&out), "signing with AWS's time"), 2);
	assert_non_null(strstr(gws_buf_cstr(&out), "warn"));
	assert_non_null(strstr(gws_buf_cstr(&out), "behind AWS's"));
	gws_buf_dispose(&out);
}

/* A signature mismatch that is not about time, or a skew error while our
 * clock agrees with the Date: not retried. */
static void test_no_skew_retry_without_skew(void **state)
{
	skew_hooks h = {{0}, 0};
	aws_stub stub;
	gws_aws_client *c = NULL;
	(void)state;

	aws_test_env("AKIDSKEW", "skew-secret", NULL);
	start(&stub, "no-skew",
	      "[" IDENTITY_ERROR(403, "SignatureDoesNotMatch",
	                         "The request signature we calculated does not match the signature "
	                         "you provided.") ", " IDENTITY_ERROR(403, "RequestTimeTooSkewed",
	                                                              "too large") ", " IDENTITY_OK
	                                                                           "]");
	assert_int_equal(skew_client(&c, stub.url, &h), 0);
	assert_int_equal(identity(c), GWS_EAUTH);
	assert_int_equal(aws_stub_count(&stub), 1);
	assert_int_equal(identity(c), GWS_EAUTH);
	assert_int_equal(aws_stub_count(&stub), 2);
	assert_string_equal(gws_aws_client_last_error(c)->code, "RequestTimeTooSkewed");
	gws_aws_client_free(c);
	aws_stub_stop(&stub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_api_calls_follow_proxy),
	        cmocka_unit_test(test_expired_token_refreshes_once),
	        cmocka_unit_test(test_expired_then_refresh_fails),
	        cmocka_unit_test(test_expired_static_keys_not_retried),
	        cmocka_unit_test(test_invalid_token_near_expiry),
	        cmocka_unit_test(test_clock_skew_corrected),
	        cmocka_unit_test(test_no_skew_retry_without_skew),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
