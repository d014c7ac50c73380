/*
 * The credential chain: every provider against temporary files or the
 * loopback stub (tests/unit/stubs/cred_stub_server.py), the order in which
 * they win, refresh on expiry with an injected clock, clear errors, and no
 * secret in the logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "aws/config.h"
#include "aws/credentials.h"
#include "aws/http.h"
#include "stubs/aws_env.h"
#include "stubs/cred_stub.h"

static char scratch[512];
static time_t fake_now;

static time_t fake_clock(void)
{
	return fake_now;
}

#define T_0500   ((time_t)1795669200) /* 2026-11-26T05:00:00Z */
#define EXPIRY   "2026-11-26T06:00:00Z"
#define T_EXPIRY ((time_t)1795672800)

/* Every proxy variable libcurl reads. */
static const char *const proxy_vars[] = {"http_proxy",  "HTTP_PROXY", "https_proxy",
                                         "HTTPS_PROXY", "all_proxy",  "ALL_PROXY"};

static void reset_env(void)
{
	char home[600];
	assert_int_equal(aws_env_clear(), 0);
	snprintf(home, sizeof(home), "%s/credhome", scratch);
	mkdir(home, 0700);
	setenv("HOME", home, 1);
	/* Never probe a real instance metadata service from a test. */
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	fake_now = T_0500;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(proxy_vars); i++)
		unsetenv(proxy_vars[i]);
}

static int setup(void **state)
{
	const char *s = getenv("GWSYNC_SCRATCH");
	(void)state;
	snprintf(scratch, sizeof(scratch), "%s", s && *s ? s : ".");
	gws_aws__set_clock(fake_clock);
	reset_env();
	return 0;
}

static const char *scratch_file(const char *name, const char *text, mode_t mode)
{
	static char paths[16][600];
	static int slot;
	char *p = paths[slot++ % 16];
	FILE *f;
	snprintf(p, 600, "%s/%s", scratch, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(p, mode);
	return p;
}

typedef struct {
	gws_aws_config *cfg;
	gws_http *http;
	gws_aws_credentials_provider *prov;
} chain;

static int chain_open(chain *c, const gws_aws_overrides *ov)
{
	int rc;
	memset(c, 0, sizeof(*c));
	if ((rc = gws_aws_config_load(&c->cfg, ov)) < 0)
		return rc;
	assert_int_equal(gws_http_new(&c->http, NULL), 0);
	assert_int_equal(gws_aws_credentials_provider_new(&c->prov, c->cfg, c->http), 0);
	return 0;
}

static void chain_close(chain *c)
{
	gws_aws_credentials_provider_free(c->prov);
	gws_http_free(c->http);
	gws_aws_config_free(c->cfg);
}

/* Resolve once and return the provider name; fails the test on error. */
static const gws_aws_credentials *get_ok(chain *c)
{
	const gws_aws_credentials *cr = NULL;
	if (gws_aws_credentials_get(c->prov, &cr) != 0)
		fail_msg("gws_aws_credentials_get: %s", gws_error_last());
	assert_non_null(cr);
	assert_string_equal(gws_aws_credentials_provider_name(c->prov), cr->provider);
	return cr;
}

static const char *who(void)
{
	chain c;
	static char name[64];
	assert_int_equal(chain_open(&c, NULL), 0);
	snprintf(name, sizeof(name), "%s", get_ok(&c)->provider);
	chain_close(&c);
	return name;
}

/* ---- environment and profile keys --------------------------------------- */

static void test_environment(void **state)
{
	chain c;
	const gws_aws_credentials *cr;
	(void)state;
	reset_env();
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value", 1);
	setenv("AWS_SESSION_TOKEN", "env-session-token", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "environment");
	assert_string_equal(cr->access_key_id, "AKIDENV");
	assert_string_equal(cr->secret_access_key, "env-secret-value");
	assert_string_equal(cr->session_token, "env-session-token");
	assert_int_equal(cr->expiration, 0);
	chain_close(&c);

	unsetenv("AWS_SECRET_ACCESS_KEY");
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "AWS_SECRET_ACCESS_KEY"));
	chain_close(&c);
}

static void test_profile_keys(void **state)
{
	gws_aws_overrides ov = {0};
	chain c;
	const gws_aws_credentials *cr;
	(void)state;
	reset_env();
	setenv("AWS_SHARED_CREDENTIALS_FILE",
	       scratch_file(
	               "keys.credentials",
	               "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = "
	               "def-secret\n"
	               "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n"
	               "aws_session_token = dev-token-value\n",
	               0600),
	       1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "profile");
	assert_string_equal(cr->access_key_id, "AKIDDEF");
	assert_null(cr->session_token);
	chain_close(&c);

	setenv("AWS_PROFILE", "dev", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->access_key_id, "AKIDDEV");
	assert_string_equal(cr->session_token, "dev-token-value");
	chain_close(&c);

	/* Environment beats AWS_PROFILE, but an explicit --profile beats the environment. */
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value", 1);
	assert_string_equal(who(), "environment");
	ov.profile = "dev";
	assert_int_equal(chain_open(&c, &ov), 0);
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDDEV");
	chain_close(&c);
}

/* botocore's order inside a profile: credentials-file keys, credential_process, config-file keys.
 */
static void test_profile_internal_order(void **state)
{
	char conf[2048];
	const char *script =
	        scratch_file("order-proc.sh",
	                     "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": "
	                     "\"AKIDPROCESS\", \"SecretAccessKey\": \"order-secret\"}'\n",
	                     0700);
	chain c;
	const gws_aws_credentials *cr;
	(void)state;
	reset_env();
	snprintf(conf, sizeof(conf),
	         "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = cfg-secret\n"
	         "credential_process = %s\n",
	         script);
	setenv("AWS_CONFIG_FILE", scratch_file("order-proc.config", conf, 0600), 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDPROCESS");
	chain_close(&c);

	setenv("AWS_SHARED_CREDENTIALS_FILE",
	       scratch_file("order-proc.credentials",
	                    "[default]\naws_access_key_id = AKIDCREDS\n"
	                    "aws_secret_access_key = creds-secret\n",
	                    0600),
	       1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDCREDS");
	chain_close(&c);

	setenv("AWS_SHARED_CREDENTIALS_FILE",
	       scratch_file("half.credentials", "[default]\naws_access_key_id = AKIDHALF\n", 0600),
	       1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "aws_secret_access_key"));
	assert_non_null(strstr(gws_error_last(), "half.credentials"));
	chain_close(&c);
}

/* ---- credential_process ------------------------------------------------- */

static const char *process_script(void)
{
	return scratch_file("cred process.sh",
	                    "#!/bin/sh\n"
	                    "# usage: script COUNTER_FILE EXPIRATION\n"
	                    "n=$(cat \"$1\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$1\"\n"
	                    "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC%s\", "
	                    "\"SecretAccessKey\": \"proc-secret-%s\", \"SessionToken\": "
	                    "\"proc-token-%s\", \"Expiration\": \"%s\"}\\n' $n $n $n \"$2\"\n",
	                    0700);
}

static void test_credential_process_and_refresh(void **state)
{
	char conf[2048], counter[600];
	const char *script = process_script();
	const gws_aws_credentials *first, *cr;
	chain c;
	(void)state;
	reset_env();
	snprintf(counter, sizeof(counter), "%s/proc counter", scratch);
	unlink(counter);
	/* Quoted arguments with spaces: split like a shell, run without one. */
	snprintf(conf, sizeof(conf), "[default]\ncredential_process = \"%s\" '%s' %s\n", script,
	         counter, EXPIRY);
	setenv("AWS_CONFIG_FILE", scratch_file("proc.config", conf, 0600), 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	first = get_ok(&c);
	assert_string_equal(first->provider, "credential_process");
	assert_string_equal(first->access_key_id, "AKIDPROC1");
	assert_string_equal(first->session_token, "proc-token-1");
	assert_int_equal(first->expiration, T_EXPIRY);

	/* Cached while far from expiry. */
	fake_now = T_EXPIRY - 301;
	cr = get_ok(&c);
	assert_ptr_equal(cr, first);
	assert_string_equal(cr->access_key_id, "AKIDPROC1");

	/* Inside the 5-minute window: refreshed; the old set stays readable. */
	fake_now = T_EXPIRY - 299;
	cr = get_ok(&c);
	assert_string_equal(cr->access_key_id, "AKIDPROC2");
	assert_string_equal(cr->secret_access_key, "proc-secret-2");
	chain_close(&c);
}

typedef struct {
	gws_aws_credentials_provider *prov;
	const gws_aws_credentials *got;
	int rc;
} getter;

static void *getter_main(void *arg)
{
	getter *g = arg;
	g->rc = gws_aws_credentials_get(g->prov, &g->got);
	return NULL;
}

/* Many threads inside the refresh window at once: exactly one refresh runs. */
static void test_one_refresh_at_a_time(void **state)
{
	char conf[2048], counter[600];
	const char *script =
	        scratch_file("cred-hourly.sh",
	                     "#!/bin/sh\n"
	                     "n=$(cat \"$1\" 2>/dev/null || echo 0); n=$((n+1)); "
	                     "echo $n > \"$1\"\n"
	                     "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDH%s\", "
	                     "\"SecretAccessKey\": \"hourly-secret\", "
	                     "\"Expiration\": \"2026-11-26T%02d:00:00Z\"}' $n $((n+5))\n",
	                     0700);
	pthread_t th[8];
	getter g[8];
	gws_buf count = GWS_BUF_INIT(64);
	chain c;
	(void)state;
	reset_env();
	snprintf(counter, sizeof(counter), "%s/hourly-counter", scratch);
	unlink(counter);
	snprintf(conf, sizeof(conf), "[default]\ncredential_process = %s %s\n", script, counter);
	setenv("AWS_CONFIG_FILE", scratch_file("hourly.config", conf, 0600), 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDH1"); /* expires 06:00 */
	fake_now = T_EXPIRY - 120;
	for (int i = 0; i < 8; i++) {
		g[i].prov = c.prov;
		assert_int_equal(pthread_create(&th[i], NULL, getter_main, &g[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(g[i].rc, 0);
		assert_string_equal(g[i].got->access_key_id, "AKIDH2"); /* expires 07:00 */
	}
	assert_int_equal(gws_buf_read_file(&count, counter), 0);
	assert_string_equal(gws_buf_cstr(&count), "2\n");
	gws_buf_dispose(&count);
	chain_close(&c);
}

static void test_credential_process_errors(void **state)
{
	static const struct {
		const char *script, *needle;
	} cases[] = {
	        {"#!/bin/sh\necho 'sso session expired' >&2\nexit 3\n", "sso session expired"},
	        {"#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": "
	         "\"proc-secret-v2\"}'\n",
	         "Version"},
	        {"#!/bin/sh\necho 'not json proc-secret-nj'\n", "JSON"},
	        {"#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"A\"}'\n", "SecretAccessKey"},
	        {"#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": "
	         "\"proc-secret-exp\", \"Expiration\": \"tomorrow\"}'\n",
	         "Expiration"},
	};
	char conf[1024];
	chain c;
	const gws_aws_credentials *cr;
	(void)state;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(cases); i++) {
		char name[64];
		reset_env();
		snprintf(name, sizeof(name), "bad-proc-%zu.sh", i);
		snprintf(conf, sizeof(conf), "[default]\ncredential_process = %s\n",
		         scratch_file(name, cases[i].script, 0700));
		setenv("AWS_CONFIG_FILE", scratch_file("badproc.config", conf, 0600), 1);
		assert_int_equal(chain_open(&c, NULL), 0);
		assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
		if (strstr(gws_error_last(), cases[i].needle) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, gws_error_last(),
			         cases[i].needle);
		assert_null(strstr(gws_error_last(), "proc-secret"));
		chain_close(&c);
	}
	reset_env();
	setenv("AWS_CONFIG_FILE",
	       scratch_file("missing.config", "[default]\ncredential_process = /nonexistent/x\n",
	                    0600),
	       1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "/nonexistent/x"));
	chain_close(&c);
}

static void test_split_command(void **state)
{
	char **argv = NULL;
	(void)state;
	assert_int_equal(gws_aws__split_command(&argv, "  a 'b c'  \"d \\\"e\\\"\" f\\ g h'i'j "),
	                 0);
	assert_string_equal(argv[0], "a");
	assert_string_equal(argv[1], "b c");
	assert_string_equal(argv[2], "d \"e\"");
	assert_string_equal(argv[3], "f g");
	assert_string_equal(argv[4], "hij");
	assert_null(argv[5]);
	gws_aws__free_argv(argv);
	assert_int_equal(gws_aws__split_command(&argv, "echo 'open"), GWS_EINVALID);
	assert_int_equal(gws_aws__split_command(&argv, "echo \"open"), GWS_EINVALID);
	assert_int_equal(gws_aws__split_command(&argv, "   "), GWS_EINVALID);
	assert_null(argv);
}

/* ---- web identity (STS) -------------------------------------------------- */

static void start_stub(aws_stub *stub, const char *name, const char *const *extra)
{
	if (cred_stub_start(stub, name, extra) != 0)
		fail_msg("cannot start the credential stub server");
}

/* Count of log lines containing `needle`. */
static int log_count(const aws_stub *stub, const char *needle)
{
	gws_buf log;
	int n = 0;
	const char *p;
	assert_int_equal(aws_stub_log(stub, &log), 0);
	for (p = gws_buf_cstr(&log); (p = strstr(p, needle)) != NULL; p++)
		n++;
	gws_buf_dispose(&log);
	return n;
}

static void test_web_identity_env(void **state)
{
	aws_stub stub;
	chain c;
	const gws_aws_credentials *cr;
	const char *tokfile;
	(void)state;
	reset_env();
	start_stub(&stub, "sts", NULL);
	tokfile = scratch_file("web-identity-token", "jwt-token-one\n", 0600);
	setenv("AWS_REGION", "us-west-2", 1);
	setenv("AWS_ENDPOINT_URL_STS", stub.url, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/gw-role", 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokfile, 1);
	setenv("AWS_ROLE_SESSION_NAME", "gwsync-test", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "web_identity");
	assert_string_equal(cr->access_key_id, "ASIASTS1");
	assert_string_equal(cr->session_token, "stubsecret-sts-token-1");
	assert_int_equal(cr->expiration, T_EXPIRY);
	assert_int_equal(log_count(&stub, "WebIdentityToken=jwt-token-one"), 1);
	assert_int_equal(log_count(&stub, "RoleSessionName=gwsync-test"), 1);
	assert_int_equal(
	        log_count(&stub, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fgw-role"), 1);
	assert_int_equal(log_count(&stub, "\"Authorization\""), 0); /* unsigned call */

	/* The token file is re-read at refresh. */
	scratch_file("web-identity-token", "jwt-token-two", 0600);
	fake_now = T_EXPIRY - 60;
	cr = get_ok(&c);
	assert_string_equal(cr->access_key_id, "ASIASTS2");
	assert_int_equal(log_count(&stub, "WebIdentityToken=jwt-token-two"), 1);
	chain_close(&c);
	aws_stub_stop(&stub);
}

static void test_web_identity_profile_and_errors(void **state)
{
	const char *const fail[] = {"--sts-fail", "IDPRejectedClaim", NULL};
	aws_stub stub;
	chain c;
	const gws_aws_credentials *cr;
	char conf[1024];
	(void)state;
	reset_env();
	start_stub(&stub, "sts-profile", NULL);
	snprintf(conf, sizeof(conf),
	         "[profile irsa]\nregion = eu-west-1\nrole_arn = arn:aws:iam::1:role/r\n"
	         "web_identity_token_file = %s\n",
	         scratch_file("profile-token", "jwt-profile-token", 0600));
	setenv("AWS_CONFIG_FILE", scratch_file("irsa.config", conf, 0600), 1);
	setenv("AWS_PROFILE", "irsa", 1);
	setenv("AWS_ENDPOINT_URL_STS", stub.url, 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "profile_web_identity");
	assert_int_equal(log_count(&stub, "WebIdentityToken=jwt-profile-token"), 1);
	assert_int_equal(log_count(&stub, "RoleSessionName=gwsync-"), 1); /* default name */
	chain_close(&c);
	aws_stub_stop(&stub);

	start_stub(&stub, "sts-fail", fail);
	setenv("AWS_ENDPOINT_URL_STS", stub.url, 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "IDPRejectedClaim"));
	assert_non_null(strstr(gws_error_last(), "stub says no"));
	chain_close(&c);
	aws_stub_stop(&stub);

	/* Half-configured environment. */
	reset_env();
	setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/r", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "AWS_WEB_IDENTITY_TOKEN_FILE"));
	chain_close(&c);
}

/* ---- container credentials ---------------------------------------------- */

static void test_container_token_rotation(void **state)
{
	aws_stub stub;
	chain c;
	const gws_aws_credentials *cr;
	char url[256];
	const char *tokfile = scratch_file("pod-identity-token", "pod-token-AAAA", 0600);
	const char *extra[] = {"--container-token-file", tokfile, NULL};
	(void)state;
	reset_env();
	start_stub(&stub, "container", extra);
	snprintf(url, sizeof(url), "%s/container/creds", stub.url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-file-set", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "container");
	assert_string_equal(cr->access_key_id, "ASIACONTAINER1");
	assert_string_equal(cr->session_token, "stubsecret-container-token-1");
	assert_int_equal(log_count(&stub, "\"Authorization\": \"pod-token-AAAA\""), 1);

	/* The agent rotates the token file; the next refresh must send the new one. */
	scratch_file("pod-identity-token", "pod-token-BBBB\n", 0600);
	fake_now = T_EXPIRY - 10;
	cr = get_ok(&c);
	assert_string_equal(cr->access_key_id, "ASIACONTAINER2");
	assert_int_equal(log_count(&stub, "\"Authorization\": \"pod-token-BBBB\""), 1);
	chain_close(&c);

	/* A wrong token is refused by the endpoint: a clear error, no fallthrough. */
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "HTTP 401"));
	assert_null(strstr(gws_error_last(), "ignored-when-file-set"));
	chain_close(&c);
	aws_stub_stop(&stub);
}

static void test_container_url_rules(void **state)
{
	chain c;
	const gws_aws_credentials *cr;
	(void)state;
	assert_true(gws_aws__container_url_allowed("http://127.0.0.1:8080/creds"));
	assert_true(gws_aws__container_url_allowed("http://127.1.2.3/creds"));
	assert_true(gws_aws__container_url_allowed("http://localhost/creds"));
	assert_true(gws_aws__container_url_allowed("http://169.254.170.2/v2/credentials"));
	assert_true(gws_aws__container_url_allowed("http://169.254.170.23/v1/credentials"));
	assert_true(gws_aws__container_url_allowed("http://[fd00:ec2::23]/v1/credentials"));
	assert_true(gws_aws__container_url_allowed("http://[::1]:80/x"));
	assert_true(gws_aws__container_url_allowed("https://creds.example.com/x"));
	assert_false(gws_aws__container_url_allowed("http://creds.example.com/x"));
	assert_false(gws_aws__container_url_allowed("http://127.0.0.1.evil.com/x"));
	assert_false(gws_aws__container_url_allowed("http://10.0.0.1/x"));
	assert_false(gws_aws__container_url_allowed("http://user@127.0.0.1/x"));
	assert_false(gws_aws__container_url_allowed("file:///etc/passwd"));
	/* issue 10 L5: the host is the one libcurl connects to, whatever the text
	 * looks like at first sight; no userinfo at all. */
	assert_false(gws_aws__container_url_allowed("http://127.0.0.1:1@otherhost/"));
	assert_false(gws_aws__container_url_allowed("http://127.0.0.1@otherhost/creds"));
	assert_false(gws_aws__container_url_allowed("http://169.254.170.2:80@evil.example/"));
	assert_false(gws_aws__container_url_allowed("https://u:p@creds.example.com/x"));
	assert_false(gws_aws__container_url_allowed("http://[::ffff:127.0.0.1]/x"));
	assert_false(gws_aws__container_url_allowed("http://169.254.170.20/x"));
	assert_true(gws_aws__container_url_allowed("http://127.0.0.1:8080/creds?x=1#f"));
	assert_true(gws_aws__container_url_allowed("HTTP://LOCALHOST/creds"));

	reset_env();
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.1/creds", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "AWS_CONTAINER_CREDENTIALS_FULL_URI"));
	chain_close(&c);

	/* issue 10 L5: an error names the endpoint without its query (a signed
	 * URL's) or userinfo. Nothing listens on port 9. */
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI",
	       "http://127.0.0.1:9/creds?X-Amz-Signature=querysecret123", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(
	        strstr(gws_error_last(), "container credentials at http://127.0.0.1:9/creds"));
	assert_null(strstr(gws_error_last(), "querysecret123"));
	chain_close(&c);
}

/* ---- IMDSv2 ---------------------------------------------------------------- */

static void test_imds(void **state)
{
	aws_stub stub;
	chain c;
	const gws_aws_credentials *cr;
	(void)state;
	reset_env();
	start_stub(&stub, "imds", NULL);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", stub.url, 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "imds");
	assert_string_equal(cr->access_key_id, "ASIAIMDS1");
	assert_string_equal(cr->session_token, "stubsecret-imds-token-1");
	assert_int_equal(cr->expiration, T_EXPIRY);
	assert_int_equal(log_count(&stub, "\"X-aws-ec2-metadata-token-ttl-seconds\": \"21600\""),
	                 1);
	assert_int_equal(log_count(&stub, "\"X-aws-ec2-metadata-token\": \"imds-session-token"), 2);
	fake_now = T_EXPIRY;
	cr = get_ok(&c);
	assert_string_equal(cr->access_key_id, "ASIAIMDS2");
	chain_close(&c);
	aws_stub_stop(&stub);

	/* Nothing listening: "not on EC2", quickly, and the chain reports no credentials. */
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "no AWS credentials found"));
	chain_close(&c);
}

static void test_imds_v1_fallback(void **state)
{
	const char *const v1[] = {"--imds-v1", NULL};
	aws_stub stub;
	chain c;
	const gws_aws_credentials *cr;
	(void)state;
	reset_env();
	start_stub(&stub, "imds-v1", v1);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", stub.url, 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "imds");
	assert_int_equal(log_count(&stub, "\"X-aws-ec2-metadata-token\""), 0);
	chain_close(&c);

	/* With IMDSv1 disabled, a refused token is an error, not a fallback. */
	setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "HTTP 403"));
	chain_close(&c);
	aws_stub_stop(&stub);
}

/* issue 10 "Also" (IMDS role name): the role name IMDS gives goes into a URL path: "../" and
 * anything else IAM does not allow in a role name is refused before use. */
static void test_imds_role_name_checked(void **state)
{
	static const char *const hostile[] = {"../../meta-data/secret", "gw-role/../x", "a%2Fb",
	                                      "role name"};
	(void)state;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(hostile); i++) {
		const char *const extra[] = {"--imds-role", hostile[i], NULL};
		aws_stub stub;
		chain c;
		const gws_aws_credentials *cr;

		reset_env();
		start_stub(&stub, "imds-role", extra);
		unsetenv("AWS_EC2_METADATA_DISABLED");
		setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", stub.url, 1);
		assert_int_equal(chain_open(&c, NULL), 0);
		assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
		if (!strstr(gws_error_last(), "is not an IAM role name"))
			fail_msg("%s: %s", hostile[i], gws_error_last());
		/* The token and the role listing; no request built from the name. */
		assert_int_equal(log_count(&stub, "\"method\""), 2);
		chain_close(&c);
		aws_stub_stop(&stub);
	}
}

static void test_container_token_from_env(void **state)
{
	const char *tokfile = scratch_file("env-pod-token", "pod-token-from-env", 0600);
	const char *extra[] = {"--container-token-file", tokfile, NULL};
	aws_stub stub;
	chain c;
	char url[256];
	(void)state;
	reset_env();
	start_stub(&stub, "container-env", extra);
	snprintf(url, sizeof(url), "%s/container/creds", stub.url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "pod-token-from-env", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_string_equal(get_ok(&c)->provider, "container");
	assert_int_equal(log_count(&stub, "\"Authorization\": \"pod-token-from-env\""), 1);
	chain_close(&c);

	/* A token with a line break inside is refused before any request. */
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "pod-token\r\nX-Injected: 1", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	{
		const gws_aws_credentials *cr;
		assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
		assert_non_null(strstr(gws_error_last(), "line break"));
	}
	chain_close(&c);
	assert_int_equal(log_count(&stub, "X-Injected"), 0);
	aws_stub_stop(&stub);
}

/* A failed refresh keeps still-valid credentials; once expired, the error surfaces. */
/* Lines in `path` (0 when it does not exist). */
static int runs(const char *path)
{
	gws_buf b = GWS_BUF_INIT(1 << 16);
	int n = 0;
	if (gws_buf_read_file(&b, path) == 0)
		for (const char *p = gws_buf_cstr(&b); *p; p++)
			n += *p == '\n';
	gws_buf_dispose(&b);
	return n;
}

static void test_refresh_failure(void **state)
{
	char conf[2048], flag[600], runs_file[640];
	const char *script =
	        scratch_file("cred-flaky.sh",
	                     "#!/bin/sh\n"
	                     "echo run >> \"$1.runs\"\n"
	                     "if [ -e \"$1\" ]; then echo 'broker down' >&2; exit 1; fi\n"
	                     "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDFLAKY\", "
	                     "\"SecretAccessKey\": \"flaky-secret\", "
	                     "\"Expiration\": \"%s\"}' \"$2\"\n",
	                     0700);
	const gws_aws_credentials *cr;
	chain c;
	(void)state;
	reset_env();
	snprintf(flag, sizeof(flag), "%s/flaky-broken", scratch);
	snprintf(runs_file, sizeof(runs_file), "%s.runs", flag);
	unlink(flag);
	unlink(runs_file);
	snprintf(conf, sizeof(conf), "[default]\ncredential_process = %s %s %s\n", script, flag,
	         EXPIRY);
	setenv("AWS_CONFIG_FILE", scratch_file("flaky.config", conf, 0600), 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDFLAKY");
	assert_int_equal(runs(runs_file), 1);
	scratch_file("flaky-broken", "", 0600);
	fake_now = T_EXPIRY - 200;
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDFLAKY");
	assert_int_equal(runs(runs_file), 2);

	/* Not again on every call: 5 s, then 10 s, between attempts. */
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDFLAKY");
	fake_now += 4;
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDFLAKY");
	assert_int_equal(runs(runs_file), 2);
	fake_now += 1;
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDFLAKY");
	assert_int_equal(runs(runs_file), 3);
	fake_now += 9;
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDFLAKY");
	assert_int_equal(runs(runs_file), 3);
	fake_now += 1;
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDFLAKY");
	assert_int_equal(runs(runs_file), 4);

	/* Once they have expired there is nothing to fall back on: every call tries. */
	fake_now = T_EXPIRY;
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "broker down"));
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_int_equal(runs(runs_file), 6);

	/* Recovered: fresh credentials, and the backoff starts over. */
	unlink(flag);
	assert_string_equal(get_ok(&c)->access_key_id, "AKIDFLAKY");
	assert_int_equal(runs(runs_file), 7);
	chain_close(&c);
	unlink(flag);
}

/* ---- order ------------------------------------------------------------------ */

static void test_chain_order(void **state)
{
	aws_stub stub;
	chain c;
	const gws_aws_credentials *cr;
	char url[256];
	const char *tokfile = scratch_file("order-pod-token", "pod-token-order", 0600);
	const char *extra[] = {"--container-token-file", tokfile, NULL};
	(void)state;
	reset_env();
	start_stub(&stub, "order", extra);
	snprintf(url, sizeof(url), "%s/container/creds", stub.url);

	/* Everything configured at once. */
	setenv("AWS_REGION", "us-west-2", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE",
	       scratch_file("order.credentials",
	                    "[default]\naws_access_key_id = AKIDFILE\n"
	                    "aws_secret_access_key = file-secret\n",
	                    0600),
	       1);
	setenv("AWS_ENDPOINT_URL_STS", stub.url, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/r", 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", scratch_file("order-jwt", "jwt-order", 0600), 1);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile, 1);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", stub.url, 1);

	assert_string_equal(who(), "environment");
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	assert_string_equal(who(), "profile");
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
	assert_string_equal(who(), "web_identity");
	unsetenv("AWS_ROLE_ARN");
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	assert_string_equal(who(), "container");
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	assert_string_equal(who(), "imds");
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	assert_int_equal(gws_aws_credentials_get(c.prov, &cr), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "no AWS credentials found"));
	assert_non_null(strstr(gws_error_last(), "AWS_EC2_METADATA_DISABLED"));
	assert_null(gws_aws_credentials_provider_name(c.prov));
	chain_close(&c);
	aws_stub_stop(&stub);
}

/* ---- proxies ------------------------------------------------------------------ */

/* Every proxy variable libcurl reads points at a closed port. */
static void set_dead_proxy(void)
{
	for (size_t i = 0; i < GWS_ARRAY_SIZE(proxy_vars); i++)
		setenv(proxy_vars[i], "http://127.0.0.1:9", 1);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
}

static void clear_proxy(void)
{
	for (size_t i = 0; i < GWS_ARRAY_SIZE(proxy_vars); i++)
		unsetenv(proxy_vars[i]);
}

/* IMDS and the container agent are reached directly whatever HTTP(S)_PROXY says. */
static void test_metadata_ignores_proxy(void **state)
{
	const char *tokfile = scratch_file("proxy-pod-token", "pod-token-proxy", 0600);
	const char *extra[] = {"--container-token-file", tokfile, NULL};
	gws_http_request req = {0};
	gws_http_response resp;
	aws_stub stub;
	chain c;
	const gws_aws_credentials *cr;
	char url[256];
	(void)state;
	reset_env();
	start_stub(&stub, "proxy", extra);
	set_dead_proxy();

	/* The proxy setting is live: an ordinary request through it fails... */
	snprintf(url, sizeof(url), "%s/container/creds", stub.url);
	assert_int_equal(chain_open(&c, NULL), 0);
	gws_http_response_init(&resp);
	req.method = "GET";
	req.url = url;
	assert_int_equal(gws_http_perform(c.http, &req, &resp), GWS_ENETWORK);
	assert_non_null(strstr(resp.error, "port 9"));
	/* ...and the same request with no_proxy reaches the stub. */
	req.no_proxy = true;
	assert_int_equal(gws_http_perform(c.http, &req, &resp), 0);
	assert_int_equal(resp.status, 401); /* no token sent: but it got there */
	gws_http_response_dispose(&resp);
	chain_close(&c);

	/* Container credentials (loopback FULL_URI). */
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile, 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "container");
	assert_string_equal(cr->access_key_id, "ASIACONTAINER1");
	chain_close(&c);
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");

	/* IMDSv2 at AWS_EC2_METADATA_SERVICE_ENDPOINT: token, role, credentials. */
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", stub.url, 1);
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "imds");
	assert_string_equal(cr->access_key_id, "ASIAIMDS1");
	assert_int_equal(log_count(&stub, "\"PUT\", \"path\": \"/latest/api/token\""), 1);
	chain_close(&c);

	clear_proxy();
	aws_stub_stop(&stub);
}

/* ---- secrets ------------------------------------------------------------------ */

static void assert_registered(const char *secret)
{
	gws_buf b = GWS_BUF_INIT(1024);
	assert_int_equal(gws_buf_printf(&b, "x %s y", secret), 0);
	assert_int_equal(gws_secret_scrub(&b), 0);
	if (strstr(gws_buf_cstr(&b), secret) != NULL)
		fail_msg("secret %s was not registered", secret);
	gws_buf_dispose(&b);
}

static void test_no_secret_in_logs(void **state)
{
	static const char *const secrets[] = {
	        "Zq9env-secret-key",
	        "Zq9env-session-token",
	        "Zq9jwt-web-identity",
	        "Zq9pod-token",
	        "Zq9-sts-secret-1",
	        "Zq9-sts-token-1",
	        "Zq9-container-secret-1",
	        "Zq9-container-token-1",
	        "Zq9-imds-secret-1",
	        "Zq9-imds-token-1",
	        "imds-session-token-0123456789abcdef",
	        "Zq9file-secret",
	};
	const char *tokfile = scratch_file("secret-pod-token", "Zq9pod-token", 0600);
	const char *extra[] = {"--container-token-file", tokfile, "--secret-prefix", "Zq9", NULL};
	char logpath[600], url[256];
	aws_stub stub;
	FILE *logf;
	gws_buf out;
	chain c;
	const gws_aws_credentials *cr;
	(void)state;

	reset_env();
	snprintf(logpath, sizeof(logpath), "%s/secrets.log", scratch);
	logf = fopen(logpath, "w+");
	assert_non_null(logf);
	gws_log_configure(GWS_LOG_TRACE, GWS_LOG_TEXT, logf);
	start_stub(&stub, "secrets", extra);
	snprintf(url, sizeof(url), "%s/container/creds", stub.url);

	setenv("AWS_REGION", "us-west-2", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDSECRETTEST", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "Zq9env-secret-key", 1);
	setenv("AWS_SESSION_TOKEN", "Zq9env-session-token", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE",
	       scratch_file("secret.credentials",
	                    "[default]\naws_access_key_id = AKIDF\n"
	                    "aws_secret_access_key = Zq9file-secret\n",
	                    0600),
	       1);
	setenv("AWS_ENDPOINT_URL_STS", stub.url, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/r", 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE",
	       scratch_file("secret-jwt", "Zq9jwt-web-identity", 0600), 1);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile, 1);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", stub.url, 1);

	/* Walk the chain down, one provider at a time, at trace level. */
	assert_string_equal(who(), "environment");
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	assert_string_equal(who(), "profile");
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
	assert_string_equal(who(), "web_identity");
	unsetenv("AWS_ROLE_ARN");
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	assert_string_equal(who(), "container");
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	assert_int_equal(chain_open(&c, NULL), 0);
	cr = get_ok(&c);
	assert_string_equal(cr->provider, "imds");
	fake_now = T_EXPIRY; /* and one refresh */
	cr = get_ok(&c);
	assert_string_equal(cr->access_key_id, "ASIAIMDS2");
	chain_close(&c);
	aws_stub_stop(&stub);

	fflush(logf);
	gws_log_configure(GWS_LOG_INFO, GWS_LOG_TEXT, NULL);
	fclose(logf);
	gws_buf_init(&out, 1 << 20);
	assert_int_equal(gws_buf_read_file(&out, logpath), 0);
	/* The log says which provider answered... */
	assert_non_null(strstr(gws_buf_cstr(&out), "credentials from environment"));
	assert_non_null(strstr(gws_buf_cstr(&out), "credentials from imds"));
	/* ...and holds no secret, and every secret was registered for scrubbing. */
	for (size_t i = 0; i < GWS_ARRAY_SIZE(secrets); i++) {
		if (strstr(gws_buf_cstr(&out), secrets[i]) != NULL)
			fail_msg("secret %s appears in the log:\n%s", secrets[i],
			         gws_buf_cstr(&out));
		assert_registered(secrets[i]);
	}
	gws_buf_dispose(&out);
}

static void test_describe(void **state)
{
	gws_aws_credentials temp = {"ASIAEXAMPLEWXYZ", "describe-secret", "describe-token",
	                            T_EXPIRY, "web_identity"};
	gws_aws_credentials fixed = {"AKID", "describe-secret", NULL, 0, "environment"};
	gws_buf b = GWS_BUF_INIT(1024);
	(void)state;
	assert_int_equal(gws_aws_credentials_describe(&b, &temp), 0);
	assert_string_equal(gws_buf_cstr(&b), "provider=web_identity key=ASIA****WXYZ temporary "
	                                      "expires=2026-11-26T06:00:00Z");
	gws_buf_clear(&b);
	assert_int_equal(gws_aws_credentials_describe(&b, &fixed), 0);
	assert_string_equal(gws_buf_cstr(&b), "provider=environment key=****");
	gws_buf_dispose(&b);
}

static void test_iso8601(void **state)
{
	time_t t;
	(void)state;
	assert_int_equal(gws_aws__parse_iso8601(&t, EXPIRY), 0);
	assert_int_equal(t, T_EXPIRY);
	assert_int_equal(gws_aws__parse_iso8601(&t, "2026-11-26T06:00:00.123Z"), 0);
	assert_int_equal(t, T_EXPIRY);
	assert_int_equal(gws_aws__parse_iso8601(&t, "2026-11-26T06:00:00+00:00"), 0);
	assert_int_equal(t, T_EXPIRY);
	assert_int_equal(gws_aws__parse_iso8601(&t, "2026-11-26T06:00:00+02:00"), GWS_EINVALID);
	assert_int_equal(gws_aws__parse_iso8601(&t, "2026-13-26T06:00:00Z"), GWS_EINVALID);
	assert_int_equal(gws_aws__parse_iso8601(&t, "soon"), GWS_EINVALID);
	assert_int_equal(gws_aws__parse_iso8601(&t, ""), GWS_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_environment),
	        cmocka_unit_test(test_profile_keys),
	        cmocka_unit_test(test_profile_internal_order),
	        cmocka_unit_test(test_credential_process_and_refresh),
	        cmocka_unit_test(test_one_refresh_at_a_time),
	        cmocka_unit_test(test_credential_process_errors),
	        cmocka_unit_test(test_split_command),
	        cmocka_unit_test(test_web_identity_env),
	        cmocka_unit_test(test_web_identity_profile_and_errors),
	        cmocka_unit_test(test_container_token_rotation),
	        cmocka_unit_test(test_container_url_rules),
	        cmocka_unit_test(test_imds),
	        cmocka_unit_test(test_imds_v1_fallback),
	        cmocka_unit_test(test_imds_role_name_checked),
	        cmocka_unit_test(test_container_token_from_env),
	        cmocka_unit_test(test_refresh_failure),
	        cmocka_unit_test(test_chain_order),
	        cmocka_unit_test(test_metadata_ignores_proxy),
	        cmocka_unit_test(test_no_secret_in_logs),
	        cmocka_unit_test(test_describe),
	        cmocka_unit_test(test_iso8601),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
