/*
 * AWS configuration: precedence of overrides, environment and shared files
 * for profile, region, endpoints, CA bundle and retry settings; partitions;
 * invalid values; and the INI parser on odd and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "aws/config.h"
#include "aws/ini.h"
#include "stubs/aws_env.h"

static char scratch[512];

/* Forget every AWS_* variable and point HOME at an empty directory. */
static void reset_env(void)
{
	char home[600];
	assert_int_equal(aws_env_clear(), 0);
	snprintf(home, sizeof(home), "%s/home/.aws/config", scratch);
	unlink(home);
	snprintf(home, sizeof(home), "%s/home/.aws/credentials", scratch);
	unlink(home);
	snprintf(home, sizeof(home), "%s/home", scratch);
	mkdir(home, 0700);
	setenv("HOME", home, 1);
}

static int setup(void **state)
{
	const char *s = getenv("GWSYNC_SCRATCH");
	(void)state;
	snprintf(scratch, sizeof(scratch), "%s", s && *s ? s : ".");
	reset_env();
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Write `text` to scratch/`name` and return the path (static storage per name slot). */
static const char *scratch_file(const char *name, const char *text)
{
	static char paths[8][600];
	static int slot;
	char *p = paths[slot++ % 8];
	snprintf(p, 600, "%s/%s", scratch, name);
	write_file(p, text);
	return p;
}

static gws_aws_config *load_ok(const gws_aws_overrides *ov)
{
	gws_aws_config *cfg = NULL;
	int rc = gws_aws_config_load(&cfg, ov);
	if (rc != 0)
		fail_msg("gws_aws_config_load: %s", gws_error_last());
	assert_non_null(cfg);
	return cfg;
}

/* Loading fails with GWS_EINVALID and a message containing `needle`. */
static void load_fails(const gws_aws_overrides *ov, const char *needle)
{
	gws_aws_config *cfg = NULL;
	assert_int_equal(gws_aws_config_load(&cfg, ov), GWS_EINVALID);
	assert_null(cfg);
	if (strstr(gws_error_last(), needle) == NULL)
		fail_msg("error \"%s\" does not mention %s", gws_error_last(), needle);
}

static void test_defaults(void **state)
{
	gws_aws_config *cfg;
	(void)state;
	reset_env();
	cfg = load_ok(NULL);
	assert_null(gws_aws_config_region(cfg));
	assert_null(gws_aws_config_endpoint(cfg, "elasticloadbalancing"));
	assert_null(gws_aws_config_ca_bundle(cfg));
	assert_int_equal(gws_aws_config_max_attempts(cfg), 3);
	assert_string_equal(gws_aws_config_retry_mode(cfg), "standard");
	assert_string_equal(gws_aws_config_profile(cfg), "default");
	gws_aws_config_free(cfg);
}

static void test_region_precedence(void **state)
{
	gws_aws_overrides ov = {0};
	gws_aws_config *cfg;
	(void)state;
	reset_env();
	setenv("AWS_CONFIG_FILE", scratch_file("region.config", "[default]\nregion = eu-west-1\n"),
	       1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_region(cfg), "eu-west-1");
	gws_aws_config_free(cfg);

	setenv("AWS_DEFAULT_REGION", "eu-central-1", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_region(cfg), "eu-central-1");
	gws_aws_config_free(cfg);

	setenv("AWS_REGION", "us-east-2", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_region(cfg), "us-east-2");
	assert_string_equal(gws_aws_config_endpoint(cfg, "elasticloadbalancing"),
	                    "https://elasticloadbalancing.us-east-2.amazonaws.com");
	gws_aws_config_free(cfg);

	ov.region = "ap-southeast-2";
	cfg = load_ok(&ov);
	assert_string_equal(gws_aws_config_region(cfg), "ap-southeast-2");
	gws_aws_config_free(cfg);

	setenv("AWS_REGION", "US West 2", 1);
	load_fails(NULL, "AWS_REGION");
}

static void test_partitions(void **state)
{
	static const struct {
		const char *region, *partition, *elb, *ec2, *sts;
	} cases[] = {
	        {"us-west-2", "aws", "https://elasticloadbalancing.us-west-2.amazonaws.com",
	         "https://ec2.us-west-2.amazonaws.com", "https://sts.us-west-2.amazonaws.com"},
	        {"cn-north-1", "aws-cn", "https://elasticloadbalancing.cn-north-1.amazonaws.com.cn",
	         "https://ec2.cn-north-1.amazonaws.com.cn",
	         "https://sts.cn-north-1.amazonaws.com.cn"},
	        {"us-gov-west-1", "aws-us-gov",
	         "https://elasticloadbalancing.us-gov-west-1.amazonaws.com",
	         "https://ec2.us-gov-west-1.amazonaws.com",
	         "https://sts.us-gov-west-1.amazonaws.com"},
	};
	(void)state;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(cases); i++) {
		gws_aws_config *cfg;
		reset_env();
		setenv("AWS_REGION", cases[i].region, 1);
		cfg = load_ok(NULL);
		assert_string_equal(gws_aws_config_partition(cfg), cases[i].partition);
		assert_string_equal(gws_aws_config_endpoint(cfg, "elasticloadbalancing"),
		                    cases[i].elb);
		assert_string_equal(gws_aws_config_endpoint(cfg, "ec2"), cases[i].ec2);
		assert_string_equal(gws_aws_config_endpoint(cfg, "sts"), cases[i].sts);
		assert_null(gws_aws_config_endpoint(cfg, "s3"));
		gws_aws_config_free(cfg);
	}
}

static void test_endpoint_precedence(void **state)
{
	gws_aws_overrides ov = {0};
	gws_aws_config *cfg;
	(void)state;
	reset_env();
	setenv("AWS_REGION", "us-west-2", 1);
	setenv("AWS_CONFIG_FILE",
	       scratch_file("ep.config", "[default]\n"
	                                 "endpoint_url = http://127.0.0.1:1111\n"
	                                 "services = local\n"
	                                 "[services local]\n"
	                                 "elastic_load_balancing_v2 =\n"
	                                 "  endpoint_url = http://127.0.0.1:2222/\n"),
	       1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_endpoint(cfg, "elasticloadbalancing"),
	                    "http://127.0.0.1:2222");
	assert_string_equal(gws_aws_config_endpoint(cfg, "ec2"), "http://127.0.0.1:1111");
	gws_aws_config_free(cfg);

	setenv("AWS_ENDPOINT_URL", "http://localhost:4566", 1);
	setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:3333", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_endpoint(cfg, "elasticloadbalancing"),
	                    "http://localhost:4566");
	assert_string_equal(gws_aws_config_endpoint(cfg, "ec2"), "http://localhost:4566");
	assert_string_equal(gws_aws_config_endpoint(cfg, "sts"), "http://127.0.0.1:3333");
	gws_aws_config_free(cfg);

	setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "https://elb.example:8443/", 1);
	setenv("AWS_ENDPOINT_URL_EC2", "https://ec2.example", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_endpoint(cfg, "elasticloadbalancing"),
	                    "https://elb.example:8443");
	assert_string_equal(gws_aws_config_endpoint(cfg, "ec2"), "https://ec2.example");
	gws_aws_config_free(cfg);

	/* --endpoint-url is one URL for every service and beats everything. */
	ov.endpoint_url = "http://127.0.0.1:9999";
	cfg = load_ok(&ov);
	assert_string_equal(gws_aws_config_endpoint(cfg, "elasticloadbalancing"),
	                    "http://127.0.0.1:9999");
	assert_string_equal(gws_aws_config_endpoint(cfg, "ec2"), "http://127.0.0.1:9999");
	assert_string_equal(gws_aws_config_endpoint(cfg, "sts"), "http://127.0.0.1:9999");
	gws_aws_config_free(cfg);

	/* AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops env and file endpoints, not the flag. */
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_endpoint(cfg, "ec2"),
	                    "https://ec2.us-west-2.amazonaws.com");
	gws_aws_config_free(cfg);
	cfg = load_ok(&ov);
	assert_string_equal(gws_aws_config_endpoint(cfg, "ec2"), "http://127.0.0.1:9999");
	gws_aws_config_free(cfg);
}

static void test_endpoint_without_region(void **state)
{
	gws_aws_config *cfg;
	(void)state;
	reset_env();
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566", 1);
	cfg = load_ok(NULL);
	assert_null(gws_aws_config_region(cfg));
	assert_string_equal(gws_aws_config_endpoint(cfg, "sts"), "http://127.0.0.1:4566");
	gws_aws_config_free(cfg);
}

/* Loads the configuration: STS calls go to `endpoint`, signed for `region`. */
static void expect_sts(const char *endpoint, const char *region)
{
	gws_aws_config *cfg = load_ok(NULL);

	assert_string_equal(gws_aws_config_endpoint(cfg, "sts"), endpoint);
	assert_string_equal(gws_aws__config_signing_region(cfg, "sts"), region);
	gws_aws_config_free(cfg);
}

/* AWS_STS_REGIONAL_ENDPOINTS=legacy: the legacy global regions use
 * sts.amazonaws.com, signed for us-east-1; other regions and explicit
 * endpoints are unaffected. */
static void test_sts_regional_endpoints(void **state)
{
	gws_aws_config *cfg;
	(void)state;
	reset_env();
	setenv("AWS_REGION", "us-west-2", 1);
	expect_sts("https://sts.us-west-2.amazonaws.com", "us-west-2");

	setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_endpoint(cfg, "sts"), "https://sts.amazonaws.com");
	assert_string_equal(gws_aws__config_signing_region(cfg, "sts"), "us-east-1");
	assert_string_equal(gws_aws_config_endpoint(cfg, "ec2"),
	                    "https://ec2.us-west-2.amazonaws.com");
	assert_string_equal(gws_aws__config_signing_region(cfg, "ec2"), "us-west-2");
	assert_string_equal(gws_aws__config_signing_region(cfg, "elasticloadbalancing"),
	                    "us-west-2");
	gws_aws_config_free(cfg);

	/* Regions launched later never had the global endpoint. */
	setenv("AWS_REGION", "ap-east-1", 1);
	expect_sts("https://sts.ap-east-1.amazonaws.com", "ap-east-1");

	/* An explicit STS endpoint wins, signed with the configured region. */
	setenv("AWS_REGION", "eu-west-1", 1);
	setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:3333", 1);
	expect_sts("http://127.0.0.1:3333", "eu-west-1");
	unsetenv("AWS_ENDPOINT_URL_STS");

	/* The profile key, and "regional" (any case) as the explicit default. */
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
	setenv("AWS_CONFIG_FILE",
	       scratch_file("sts.config", "[default]\nsts_regional_endpoints = legacy\n"), 1);
	expect_sts("https://sts.amazonaws.com", "us-east-1");
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "Regional", 1);
	expect_sts("https://sts.eu-west-1.amazonaws.com", "eu-west-1");

	setenv("AWS_STS_REGIONAL_ENDPOINTS", "global", 1);
	load_fails(NULL, "AWS_STS_REGIONAL_ENDPOINTS");
}

static void test_invalid_values(void **state)
{
	gws_aws_overrides ov = {0};
	(void)state;
	reset_env();
	setenv("AWS_MAX_ATTEMPTS", "three", 1);
	load_fails(NULL, "AWS_MAX_ATTEMPTS");
	setenv("AWS_MAX_ATTEMPTS", "0", 1);
	load_fails(NULL, "AWS_MAX_ATTEMPTS");
	unsetenv("AWS_MAX_ATTEMPTS");

	setenv("AWS_RETRY_MODE", "aggressive", 1);
	load_fails(NULL, "AWS_RETRY_MODE");
	unsetenv("AWS_RETRY_MODE");

	static const char *const bad_urls[] = {
	        "ftp://x",      "http://",          "http://a b", "https://h:99999",
	        "http://h?x=1", "http://user@evil", "elb.example"};
	for (size_t i = 0; i < GWS_ARRAY_SIZE(bad_urls); i++) {
		setenv("AWS_ENDPOINT_URL_EC2", bad_urls[i], 1);
		load_fails(NULL, "AWS_ENDPOINT_URL_EC2");
	}
	unsetenv("AWS_ENDPOINT_URL_EC2");
	ov.endpoint_url = "localhost:4566";
	load_fails(&ov, "--endpoint-url");

	setenv("AWS_CA_BUNDLE", "/nonexistent/ca.pem", 1);
	load_fails(NULL, "AWS_CA_BUNDLE");
	unsetenv("AWS_CA_BUNDLE");

	setenv("AWS_CONFIG_FILE", scratch_file("bad.config", "[default]\nmax_attempts = lots\n"),
	       1);
	load_fails(NULL, "max_attempts");
	setenv("AWS_CONFIG_FILE", scratch_file("bad2.config", "[default]\nretry_mode = yolo\n"), 1);
	load_fails(NULL, "retry_mode");
	setenv("AWS_CONFIG_FILE", scratch, 1); /* a directory */
	load_fails(NULL, "AWS_CONFIG_FILE");
}

static void test_retry_settings(void **state)
{
	gws_aws_overrides ov = {0};
	gws_aws_config *cfg;
	(void)state;
	reset_env();
	setenv("AWS_CONFIG_FILE",
	       scratch_file("retry.config", "[default]\nretry_mode = legacy\nmax_attempts = 7\n"),
	       1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_retry_mode(cfg), "legacy");
	assert_int_equal(gws_aws_config_max_attempts(cfg), 7);
	gws_aws_config_free(cfg);

	setenv("AWS_CONFIG_FILE", scratch_file("retry2.config", "[default]\nretry_mode = legacy\n"),
	       1);
	cfg = load_ok(NULL);
	assert_int_equal(gws_aws_config_max_attempts(cfg), 5); /* legacy's own default */
	gws_aws_config_free(cfg);

	setenv("AWS_RETRY_MODE", "adaptive", 1);
	setenv("AWS_MAX_ATTEMPTS", "4", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_retry_mode(cfg), "adaptive");
	assert_int_equal(gws_aws_config_max_attempts(cfg), 4);
	gws_aws_config_free(cfg);

	ov.max_attempts = 9;
	cfg = load_ok(&ov);
	assert_int_equal(gws_aws_config_max_attempts(cfg), 9);
	gws_aws_config_free(cfg);
}

static void test_ca_bundle(void **state)
{
	gws_aws_config *cfg;
	const char *pem = scratch_file("ca.pem", "-----BEGIN CERTIFICATE-----\n");
	const char *pem2 = scratch_file("ca2.pem", "-----BEGIN CERTIFICATE-----\n");
	char conf[800];
	(void)state;
	reset_env();
	snprintf(conf, sizeof(conf), "[default]\nca_bundle = %s\n", pem2);
	setenv("AWS_CONFIG_FILE", scratch_file("ca.config", conf), 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_ca_bundle(cfg), pem2);
	gws_aws_config_free(cfg);
	setenv("AWS_CA_BUNDLE", pem, 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_ca_bundle(cfg), pem);
	gws_aws_config_free(cfg);
}

static void test_profiles_and_files(void **state)
{
	gws_aws_overrides ov = {0};
	gws_aws_config *cfg;
	char home_aws[700];
	(void)state;
	reset_env();

	/* Default locations under HOME. */
	snprintf(home_aws, sizeof(home_aws), "%s/home/.aws", scratch);
	mkdir(home_aws, 0700);
	strcat(home_aws, "/config");
	write_file(home_aws, "[default]\nregion = sa-east-1\n"
	                     "[profile dev]\nregion = eu-north-1\n"
	                     "[ops]\nregion = af-south-1\n");
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_region(cfg), "sa-east-1");
	gws_aws_config_free(cfg);

	setenv("AWS_PROFILE", "dev", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_profile(cfg), "dev");
	assert_string_equal(gws_aws_config_region(cfg), "eu-north-1");
	gws_aws_config_free(cfg);

	/* "[ops]" without "profile " is not a profile in the config file. */
	setenv("AWS_PROFILE", "ops", 1);
	load_fails(NULL, "ops");

	/* ...but a credentials-file section makes the profile exist. */
	setenv("AWS_SHARED_CREDENTIALS_FILE",
	       scratch_file("p.credentials", "[ops]\naws_access_key_id = AKIDOPS\n"), 1);
	cfg = load_ok(NULL);
	assert_null(gws_aws_config_region(cfg));
	gws_aws_config_free(cfg);

	/* --profile beats AWS_PROFILE; AWS_DEFAULT_PROFILE comes last. */
	ov.profile = "dev";
	cfg = load_ok(&ov);
	assert_string_equal(gws_aws_config_region(cfg), "eu-north-1");
	gws_aws_config_free(cfg);
	unsetenv("AWS_PROFILE");
	setenv("AWS_DEFAULT_PROFILE", "dev", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_profile(cfg), "dev");
	gws_aws_config_free(cfg);
	unsetenv("AWS_DEFAULT_PROFILE");

	/* AWS_CONFIG_FILE with ~ and "[profile default]". */
	write_file(home_aws, "[profile default]\nregion = me-south-1\n");
	setenv("AWS_CONFIG_FILE", "~/.aws/config", 1);
	cfg = load_ok(NULL);
	assert_string_equal(gws_aws_config_region(cfg), "me-south-1");
	gws_aws_config_free(cfg);

	/* A missing file is no error; a missing named profile is. */
	setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
	cfg = load_ok(NULL);
	gws_aws_config_free(cfg);
	setenv("AWS_PROFILE", "nope", 1);
	load_fails(NULL, "AWS_PROFILE");
}

/* ---- INI parser ---------------------------------------------------------- */

static void test_ini_syntax(void **state)
{
	gws_aws_ini *ini = NULL;
	const char *text = "# comment\n"
	                   "; another\n"
	                   "orphan = before any section\n"
	                   "[default]\r\n"
	                   "Region=us-west-2\r\n"
	                   "region  =   eu-west-1   \n"
	                   "garbage line\n"
	                   "= no key\n"
	                   "empty =\n"
	                   "[ profile  x ]\n"
	                   "s3 =\n"
	                   "  max_concurrent_requests = 10\n"
	                   "  Endpoint_URL = http://x\n"
	                   "plain = v\n"
	                   "  not_sub = y\n"
	                   "[broken\n"
	                   "lost = 1\n"
	                   "[default]\n"
	                   "extra = yes\n";
	(void)state;
	assert_int_equal(gws_aws__ini_parse(&ini, text, strlen(text), "t"), 0);
	assert_string_equal(gws_aws__ini_get(ini, "default", "region"), "eu-west-1");
	assert_string_equal(gws_aws__ini_get(ini, "default", "REGION"), "eu-west-1");
	assert_string_equal(gws_aws__ini_get(ini, "default", "empty"), "");
	assert_string_equal(gws_aws__ini_get(ini, "default", "extra"), "yes");
	assert_true(gws_aws__ini_has_section(ini, "profile  x"));
	assert_string_equal(
	        gws_aws__ini_get_sub(ini, "profile  x", "s3", "max_concurrent_requests"), "10");
	assert_string_equal(gws_aws__ini_get_sub(ini, "profile  x", "s3", "endpoint_url"),
	                    "http://x");
	assert_null(gws_aws__ini_get(ini, "profile  x", "not_sub"));
	assert_string_equal(gws_aws__ini_get(ini, "profile  x", "plain"), "v\nnot_sub = y");
	assert_null(gws_aws__ini_get_sub(ini, "profile  x", "plain", "not_sub"));
	assert_null(gws_aws__ini_get(ini, "broken", "lost"));
	assert_null(gws_aws__ini_get(ini, "default", "lost"));
	assert_null(gws_aws__ini_get(ini, "nosuch", "region"));
	assert_true(gws_aws__ini_skipped(ini) >= 4);
	gws_aws__ini_free(ini);
}

static void test_ini_garbage(void **state)
{
	char buf[8192];
	unsigned seed = 12345;
	(void)state;
	/* Random bytes, with plenty of the characters the parser cares about. */
	for (int round = 0; round < 200; round++) {
		gws_aws_ini *ini = NULL;
		static const char alphabet[] = "[]=# ;\n\r\t\0abcprofile\xff";
		size_t len = (size_t)(seed % sizeof(buf));
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		assert_int_equal(gws_aws__ini_parse(&ini, buf, len, "garbage"), 0);
		(void)gws_aws__ini_get(ini, "default", "region");
		(void)gws_aws__ini_get_sub(ini, "profile a", "s3", "x");
		gws_aws__ini_free(ini);
	}
}

static void test_ini_caps(void **state)
{
	gws_aws_ini *ini = NULL;
	size_t big = GWS_AWS_INI_MAX_FILE + 1;
	char *text = calloc(1, big + 1);
	gws_buf many = GWS_BUF_INIT(GWS_AWS_INI_MAX_FILE);
	(void)state;
	assert_non_null(text);
	memset(text, 'a', big);
	assert_int_equal(gws_aws__ini_parse(&ini, text, big, "big"), GWS_ETOOBIG);
	assert_null(ini);
	/* One very long line is skipped, not fatal. */
	memcpy(text, "[default]\n", 10);
	memcpy(text + big - 30, "\n[x]\nk = v\n", 11);
	assert_int_equal(gws_aws__ini_parse(&ini, text, big - 19, "long"), 0);
	assert_string_equal(gws_aws__ini_get(ini, "x", "k"), "v");
	gws_aws__ini_free(ini);
	free(text);

	assert_int_equal(gws_buf_puts(&many, "[s]\n"), 0);
	for (int i = 0; i <= GWS_AWS_INI_MAX_ENTRIES; i++)
		assert_int_equal(gws_buf_printf(&many, "k%d=v\n", i), 0);
	assert_int_equal(gws_aws__ini_parse(&ini, many.ptr, many.size, "many"), GWS_ETOOBIG);
	gws_buf_dispose(&many);
}

/* issue 10 L1: continuation lines cost memory in proportion to the file, not
 * a copy of the value so far per line (300 KB once took 9.8 GB). */
static void test_ini_continuations_linear(void **state)
{
	gws_aws_ini *ini = NULL;
	gws_buf text = GWS_BUF_INIT(GWS_AWS_INI_MAX_FILE);
	const char *v;
	(void)state;
	assert_int_equal(gws_buf_puts(&text, "[default]\nkey = first\n"), 0);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(gws_buf_puts(&text, "  x\n"), 0);
	assert_int_equal(gws_buf_puts(&text, "# a comment between\n  last\nnext = 2\n"), 0);
	assert_int_equal(gws_aws__ini_parse(&ini, text.ptr, text.size, "long"), 0);
	v = gws_aws__ini_get(ini, "default", "key");
	assert_non_null(v);
	assert_int_equal(strlen(v), strlen("first") + 5000 * 2 + strlen("\nlast"));
	assert_true(gws_str_startswith(v, "first\nx\nx\n"));
	assert_true(gws_str_endswith(v, "x\nx\nlast"));
	assert_string_equal(gws_aws__ini_get(ini, "default", "next"), "2");
	if (gws_aws__ini_memory(ini) > 4 * text.size)
		fail_msg("%zu bytes of file held in %zu bytes", text.size,
		         gws_aws__ini_memory(ini));
	gws_aws__ini_free(ini);
	gws_buf_dispose(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_defaults),
	        cmocka_unit_test(test_region_precedence),
	        cmocka_unit_test(test_partitions),
	        cmocka_unit_test(test_endpoint_precedence),
	        cmocka_unit_test(test_endpoint_without_region),
	        cmocka_unit_test(test_sts_regional_endpoints),
	        cmocka_unit_test(test_invalid_values),
	        cmocka_unit_test(test_retry_settings),
	        cmocka_unit_test(test_ca_bundle),
	        cmocka_unit_test(test_profiles_and_files),
	        cmocka_unit_test(test_ini_syntax),
	        cmocka_unit_test(test_ini_garbage),
	        cmocka_unit_test(test_ini_caps),
	        cmocka_unit_test(test_ini_continuations_linear),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
