/*
 * Role chaining in profiles (role_arn + source_profile / credential_source):
 * the signed STS AssumeRole request checked field by field and signature by
 * signature against the loopback stub, multi-hop chains, refresh before
 * expiry, configuration errors (MFA, cycles, missing profiles), STS errors,
 * and no secret in the logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sys/stat.h>

#include "aws/config.h"
#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/sigv4.h"
#include "stubs/aws_env.h"
#include "stubs/aws_stub.h"

#define T_0500   ((time_t)1795669200) /* 2026-11-26T05:00:00Z */
#define T_EXPIRY ((time_t)1795672800) /* 2026-11-26T06:00:00Z */

/* A scripted AssumeRole reply for `role` handing out ASIA<n>. */
#define ASSUME_OK(role, n)                                                                         \
	"{\"action\": \"AssumeRole\", \"match\": {\"RoleArn\": \"" role "\"}, \"body\": "          \
	"\"<AssumeRoleResponse xmlns='https://sts.amazonaws.com/doc/2011-06-15/'>"                 \
	"<AssumeRoleResult><AssumedRoleUser><Arn>x</Arn><AssumedRoleId>AROA:s</AssumedRoleId>"     \
	"</AssumedRoleUser><Credentials><AccessKeyId>ASIA" n "</AccessKeyId>"                      \
	"<SecretAccessKey>Zq7role-secret-" n "</SecretAccessKey>"                                  \
	"<SessionToken>Zq7role-token-" n "</SessionToken>"                                         \
	"<Expiration>2026-11-26T06:00:00Z</Expiration></Credentials></AssumeRoleResult>"           \
	"<ResponseMetadata><RequestId>rid-" n "</RequestId></ResponseMetadata>"                    \
	"</AssumeRoleResponse>\"}"

#define DEPLOY "arn:aws:iam::111122223333:role/deploy"
#define MID    "arn:aws:iam::111122223333:role/mid"

static char scratch[512];
static time_t fake_now;

static time_t fake_clock(void)
{
	return fake_now;
}

static void reset_env(void)
{
	assert_int_equal(aws_env_clear(), 0);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_REGION", "us-west-2", 1);
	fake_now = T_0500;
}

static int setup(void **state)
{
	const char *s = getenv("GWSYNC_SCRATCH");
	(void)state;
	snprintf(scratch, sizeof(scratch), "%s", s && *s ? s : ".");
	gws_aws__set_clock(fake_clock);
	return 0;
}

static void write_files(const char *name, const char *config, const char *credentials)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.config", scratch, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(config, f);
	fclose(f);
	setenv("AWS_CONFIG_FILE", path, 1);
	snprintf(path, sizeof(path), "%s/%s.credentials", scratch, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(credentials ? credentials : "", f);
	fclose(f);
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
}

typedef struct {
	aws_stub stub;
	gws_aws_config *cfg;
	gws_http *http;
	gws_aws_credentials_provider *prov;
} fixture;

/* The stub as STS. */
static void start_stub(fixture *f, const char *name, const char *script)
{
	memset(f, 0, sizeof(*f));
	if (aws_stub_start(&f->stub, name, script) != 0)
		fail_msg("cannot start the aws stub server");
	setenv("AWS_ENDPOINT_URL_STS", f->stub.url, 1);
}

/* The provider for `profile` (given like --profile). */
static void load(fixture *f, const char *profile)
{
	gws_aws_overrides ov = {0};

	ov.profile = profile;
	if (gws_aws_config_load(&f->cfg, &ov) < 0)
		fail_msg("config: %s", gws_error_last());
	assert_int_equal(gws_http_new(&f->http, NULL), 0);
	assert_int_equal(gws_aws_credentials_provider_new(&f->prov, f->cfg, f->http), 0);
}

static void open_fixture(fixture *f, const char *name, const char *script, const char *profile)
{
	start_stub(f, name, script);
	load(f, profile);
}

static void close_fixture(fixture *f)
{
	gws_aws_credentials_provider_free(f->prov);
	gws_http_free(f->http);
	gws_aws_config_free(f->cfg);
	aws_stub_stop(&f->stub);
}

static const gws_aws_credentials *get_ok(fixture *f)
{
	const gws_aws_credentials *cr = NULL;
	if (gws_aws_credentials_get(f->prov, &cr) != 0)
		fail_msg("gws_aws_credentials_get: %s", gws_error_last());
	return cr;
}

/* Request `index` of the stub's log (caller json_decref's). */
static json_t *request(fixture *f, size_t index)
{
	gws_buf log;
	const char *p;
	json_t *rec;

	assert_int_equal(aws_stub_log(&f->stub, &log), 0);
	p = gws_buf_cstr(&log);
	for (size_t i = 0; i < index && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	assert_non_null(p);
	rec = json_loadb(p, strcspn(p, "\n"), 0, NULL);
	assert_non_null(rec);
	gws_buf_dispose(&log);
	return rec;
}

static const char *field(json_t *rec, const char *header)
{
	json_t *v = header ? json_object_get(json_object_get(rec, "headers"), header)
	                   : json_object_get(rec, "body");
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The request must carry exactly the signature `creds` give at fake_now. */
static void assert_signed_by(json_t *rec, const gws_aws_credentials *creds)
{
	const char *headers[] = {"Content-Type: application/x-www-form-urlencoded; charset=utf-8",
	                         NULL};
	const char *body = field(rec, NULL);
	gws_sigv4_result sig;
	gws_sigv4_request req = {"POST", field(rec, "Host"), "/",   "",          headers,
	                         body,   strlen(body),       "sts", "us-west-2", fake_now,
	                         creds};

	assert_non_null(field(rec, "Authorization"));
	assert_int_equal(gws_sigv4_sign(&sig, &req), 0);
	assert_string_equal(field(rec, "Authorization"), sig.authorization);
	gws_sigv4_result_dispose(&sig);
	if (creds->session_token)
		assert_string_equal(field(rec, "X-Amz-Security-Token"), creds->session_token);
	else
		assert_null(field(rec, "X-Amz-Security-Token"));
}

static const char *const BASE_KEYS = "[base]\naws_access_key_id = AKIDBASE\n"
                                     "aws_secret_access_key = Zq7base-secret\n";

static void test_source_profile(void **state)
{
	static const char *const secrets[] = {"Zq7base-secret", "Zq7role-secret-1",
	                                      "Zq7role-token-1", "Zq7role-secret-2"};
	gws_aws_credentials base = {"AKIDBASE", "Zq7base-secret", NULL, 0, "profile"};
	const gws_aws_credentials *cr;
	char logpath[600];
	FILE *logf;
	gws_buf out;
	fixture f;
	json_t *rec;
	(void)state;

	reset_env();
	snprintf(logpath, sizeof(logpath), "%s/assume.log", scratch);
	logf = fopen(logpath, "w+");
	assert_non_null(logf);
	gws_log_configure(GWS_LOG_TRACE, GWS_LOG_TEXT, logf);
	write_files("source",
	            "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = base\n"
	            "external_id = ext-123\nduration_seconds = 1800\nrole_session_name = ci-run\n",
	            BASE_KEYS);
	open_fixture(&f, "source", "[" ASSUME_OK(DEPLOY, "1") ", " ASSUME_OK(DEPLOY, "2") "]",
	             "ci");
	cr = get_ok(&f);
	assert_string_equal(cr->provider, "assume_role");
	assert_string_equal(cr->access_key_id, "ASIA1");
	assert_string_equal(cr->secret_access_key, "Zq7role-secret-1");
	assert_string_equal(cr->session_token, "Zq7role-token-1");
	assert_int_equal(cr->expiration, T_EXPIRY);

	rec = request(&f, 0);
	assert_string_equal(field(rec, NULL),
	                    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%"
	                    "3A111122223333%3Arole%2Fdeploy&RoleSessionName=ci-run&ExternalId="
	                    "ext-123&DurationSeconds=1800");
	assert_signed_by(rec, &base);
	json_decref(rec);

	/* Cached far from expiry, assumed again inside the refresh window. */
	fake_now = T_EXPIRY - 600;
	assert_string_equal(get_ok(&f)->access_key_id, "ASIA1");
	assert_int_equal(aws_stub_count(&f.stub), 1);
	fake_now = T_EXPIRY - 100;
	assert_string_equal(get_ok(&f)->access_key_id, "ASIA2");
	assert_int_equal(aws_stub_count(&f.stub), 2);
	rec = request(&f, 1);
	assert_signed_by(rec, &base);
	json_decref(rec);
	close_fixture(&f);

	fflush(logf);
	gws_log_configure(GWS_LOG_INFO, GWS_LOG_TEXT, NULL);
	fclose(logf);
	gws_buf_init(&out, 1 << 20);
	assert_int_equal(gws_buf_read_file(&out, logpath), 0);
	assert_non_null(strstr(gws_buf_cstr(&out), "credentials from assume_role"));
	for (size_t i = 0; i < GWS_ARRAY_SIZE(secrets); i++)
		if (strstr(gws_buf_cstr(&out), secrets[i]) != NULL)
			fail_msg("secret %s in the log:\n%s", secrets[i], gws_buf_cstr(&out));
	gws_buf_dispose(&out);
}

/* ci -> mid -> base: the second hop is signed with the first hop's role. */
static void test_two_hops(void **state)
{
	gws_aws_credentials base = {"AKIDBASE", "Zq7base-secret", NULL, 0, "profile"};
	gws_aws_credentials mid = {"ASIA1", "Zq7role-secret-1", "Zq7role-token-1", 0, "x"};
	fixture f;
	json_t *rec;
	(void)state;

	reset_env();
	write_files("hops",
	            "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = middle\n"
	            "role_session_name = hop\n"
	            "[profile middle]\nrole_arn = " MID "\nsource_profile = base\n"
	            "role_session_name = hop\n",
	            BASE_KEYS);
	open_fixture(&f, "hops", "[" ASSUME_OK(MID, "1") ", " ASSUME_OK(DEPLOY, "2") "]", "ci");
	assert_string_equal(get_ok(&f)->access_key_id, "ASIA2");
	assert_int_equal(aws_stub_count(&f.stub), 2);
	rec = request(&f, 0);
	assert_non_null(
	        strstr(field(rec, NULL), "RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fmid"));
	assert_signed_by(rec, &base);
	json_decref(rec);
	rec = request(&f, 1);
	assert_non_null(strstr(field(rec, NULL), "role%2Fdeploy"));
	assert_signed_by(rec, &mid);
	json_decref(rec);
	close_fixture(&f);
}

static void test_credential_source(void **state)
{
	gws_aws_credentials env = {"AKIDENVSRC", "Zq7env-secret", "Zq7env-token", 0, "environment"};
	gws_aws_credentials ecs = {"ASIACONT", "Zq7ecs-secret", "Zq7ecs-token", 0, "container"};
	char url[256];
	fixture f;
	json_t *rec;
	(void)state;

	/* Environment: with --profile the plain environment provider stands aside,
	 * and the keys sign the AssumeRole instead. */
	reset_env();
	setenv("AWS_ACCESS_KEY_ID", "AKIDENVSRC", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "Zq7env-secret", 1);
	setenv("AWS_SESSION_TOKEN", "Zq7env-token", 1);
	write_files("fromenv",
	            "[profile ci]\nrole_arn = " DEPLOY "\ncredential_source = Environment\n", NULL);
	open_fixture(&f, "fromenv", "[" ASSUME_OK(DEPLOY, "1") "]", "ci");
	assert_string_equal(get_ok(&f)->provider, "assume_role");
	rec = request(&f, 0);
	assert_non_null(strstr(field(rec, NULL), "RoleSessionName=gwsync-1795669200"));
	assert_signed_by(rec, &env);
	json_decref(rec);
	close_fixture(&f);

	/* EcsContainer: the container endpoint first, then STS (same stub). */
	reset_env();
	write_files("fromecs",
	            "[profile ci]\nrole_arn = " DEPLOY "\ncredential_source = EcsContainer\n",
	            NULL);
	start_stub(&f, "fromecs",
	           "[" ASSUME_OK(DEPLOY, "1") ", {\"body\": \"{\\\"AccessKeyId\\\": "
	                                      "\\\"ASIACONT\\\", \\\"SecretAccessKey\\\": "
	                                      "\\\"Zq7ecs-secret\\\", \\\"Token\\\": "
	                                      "\\\"Zq7ecs-token\\\"}\"}]");
	snprintf(url, sizeof(url), "%s/v1/credentials", f.stub.url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	load(&f, "ci");
	assert_string_equal(get_ok(&f)->access_key_id, "ASIA1");
	assert_int_equal(aws_stub_count(&f.stub), 2);
	rec = request(&f, 0);
	assert_string_equal(json_string_value(json_object_get(rec, "path")), "/v1/credentials");
	json_decref(rec);
	rec = request(&f, 1);
	assert_signed_by(rec, &ecs);
	json_decref(rec);
	close_fixture(&f);
}

/* One configuration mistake: `code` and a message containing `needle`; nothing sent. */
static void assert_config_error(const char *name, const char *config, const char *profile, int code,
                                const char *needle)
{
	const gws_aws_credentials *cr = NULL;
	fixture f;

	reset_env();
	write_files(name, config, BASE_KEYS);
	open_fixture(&f, name, "[" ASSUME_OK(DEPLOY, "1") "]", profile);
	assert_int_equal(gws_aws_credentials_get(f.prov, &cr), code);
	if (strstr(gws_error_last(), needle) == NULL)
		fail_msg("%s: error \"%s\" lacks \"%s\"", name, gws_error_last(), needle);
	assert_int_equal(aws_stub_count(&f.stub), 0);
	close_fixture(&f);
}

static void test_configuration_errors(void **state)
{
	(void)state;
	assert_config_error("mfa",
	                    "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = base\n"
	                    "mfa_serial = arn:aws:iam::111122223333:mfa/me\n",
	                    "ci", GWS_EAUTH, "mfa_serial is set");
	assert_config_error("cycle",
	                    "[profile a]\nrole_arn = " DEPLOY "\nsource_profile = b\n"
	                    "[profile b]\nrole_arn = " MID "\nsource_profile = c\n"
	                    "[profile c]\nrole_arn = " MID "\nsource_profile = a\n",
	                    "a", GWS_EINVALID, "cycle: a -> b -> c -> a");
	assert_config_error("self-no-keys",
	                    "[profile a]\nrole_arn = " DEPLOY "\nsource_profile = a\n", "a",
	                    GWS_EAUTH, "names the profile itself");
	assert_config_error("missing",
	                    "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = nowhere\n", "ci",
	                    GWS_EINVALID, "source_profile nowhere is in neither");
	assert_config_error("both",
	                    "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = base\n"
	                    "credential_source = Environment\n",
	                    "ci", GWS_EINVALID, "set only one");
	assert_config_error("neither", "[profile ci]\nrole_arn = " DEPLOY "\n", "ci", GWS_EINVALID,
	                    "role_arn needs source_profile");
	assert_config_error("badsource",
	                    "[profile ci]\nrole_arn = " DEPLOY "\ncredential_source = Laptop\n",
	                    "ci", GWS_EINVALID, "credential_source \"Laptop\" is not one of");
	assert_config_error(
	        "noenv", "[profile ci]\nrole_arn = " DEPLOY "\ncredential_source = Environment\n",
	        "ci", GWS_EAUTH, "credential_source Environment has no credentials");
	assert_config_error("duration",
	                    "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = base\n"
	                    "duration_seconds = 60\n",
	                    "ci", GWS_EINVALID, "duration_seconds");
	assert_config_error("session",
	                    "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = base\n"
	                    "role_session_name = has space\n",
	                    "ci", GWS_EINVALID, "role_session_name");
}

/* A profile may be its own source when it has static keys (botocore allows it). */
static void test_self_source_and_sts_error(void **state)
{
	gws_aws_credentials own = {"AKIDSELF", "Zq7self-secret", NULL, 0, "profile"};
	const gws_aws_credentials *cr = NULL;
	fixture f;
	json_t *rec;
	(void)state;

	reset_env();
	write_files("self", "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = ci\n",
	            "[ci]\naws_access_key_id = AKIDSELF\naws_secret_access_key = Zq7self-secret\n");
	open_fixture(&f, "self", "[" ASSUME_OK(DEPLOY, "1") "]", "ci");
	assert_string_equal(get_ok(&f)->access_key_id, "ASIA1");
	rec = request(&f, 0);
	assert_signed_by(rec, &own);
	json_decref(rec);
	close_fixture(&f);

	/* STS says no: its code, message, the role and the request id. */
	reset_env();
	write_files("denied", "[profile ci]\nrole_arn = " DEPLOY "\nsource_profile = base\n",
	            BASE_KEYS);
	open_fixture(&f, "denied",
	             "[{\"action\": \"AssumeRole\", \"status\": 403, \"headers\": "
	             "{\"x-amzn-RequestId\": \"req-denied\"}, \"body\": \"<ErrorResponse><Error>"
	             "<Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to "
	             "perform sts:AssumeRole</Message></Error></ErrorResponse>\"}]",
	             "ci");
	assert_int_equal(gws_aws_credentials_get(f.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "AccessDenied: not authorized"));
	assert_non_null(strstr(gws_error_last(), DEPLOY));
	assert_non_null(strstr(gws_error_last(), "req-denied"));
	assert_int_equal(aws_stub_count(&f.stub), 1); /* a 4xx is not retried */
	close_fixture(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_source_profile),
	        cmocka_unit_test(test_two_hops),
	        cmocka_unit_test(test_credential_source),
	        cmocka_unit_test(test_configuration_errors),
	        cmocka_unit_test(test_self_source_and_sts_error),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
