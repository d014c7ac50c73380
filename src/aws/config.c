/*
 * AWS configuration: profile, files, region, endpoints, CA bundle and retry
 * settings, resolved once with the precedence the AWS SDKs use.
 */
#include "aws/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Everything the module reads from the environment, captured at load. */
static const char *const env_names[] = {
        "HOME",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
        "AWS_ENDPOINT_URL_EC2",
        "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL_ACM",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_STS_REGIONAL_ENDPOINTS",
        "AWS_CA_BUNDLE",
        "AWS_MAX_ATTEMPTS",
        "AWS_RETRY_MODE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_CREDENTIAL_EXPIRATION",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_EC2_METADATA_DISABLED",
        "AWS_EC2_METADATA_V1_DISABLED",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "AWS_METADATA_SERVICE_TIMEOUT",
        "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
};

/* Values that are secrets the moment they are read. */
static const char *const env_secrets[] = {
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
};

typedef struct {
	const char *name;    /* as passed to gws_aws_config_endpoint and signed */
	const char *env;     /* AWS_ENDPOINT_URL_<service id> */
	const char *ini_key; /* key in a [services x] section */
	const char *prefix;  /* host prefix of the default endpoint */
} service_info;

static const service_info services[GWS_AWS_SVC_COUNT] = {
        {"elasticloadbalancing", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
         "elastic_load_balancing_v2", "elasticloadbalancing"},
        {"ec2", "AWS_ENDPOINT_URL_EC2", "ec2", "ec2"},
        {"sts", "AWS_ENDPOINT_URL_STS", "sts", "sts"},
        {"acm", "AWS_ENDPOINT_URL_ACM", "acm", "acm"},
};

typedef struct {
	const char *region_prefix;
	const char *partition;
	const char *dns_suffix;
} partition_info;

/* Checked in order: the first prefix that matches wins. */
static const partition_info partitions[] = {
        {"cn-", "aws-cn", "amazonaws.com.cn"},
        {"us-gov-", "aws-us-gov", "amazonaws.com"},
        {"us-isob-", "aws-iso-b", "sc2s.sgov.gov"},
        {"us-iso-", "aws-iso", "c2s.ic.gov"},
        {"", "aws", "amazonaws.com"},
};

bool gws_aws__is_true(const char *value)
{
	return value != NULL && strcasecmp(value, "true") == 0;
}

const char *gws_aws__config_env(const gws_aws_config *cfg, const char *name)
{
	for (size_t i = 0; cfg && i < cfg->nenv; i++)
		if (strcmp(cfg->env[2 * i], name) == 0)
			return cfg->env[2 * i + 1];
	return NULL;
}

static const char *profile_section(const gws_aws_config *cfg, char *buf, size_t len)
{
	if (strcmp(cfg->profile, "default") == 0) {
		/* "[profile default]" is accepted too; "[default]" wins when both exist. */
		if (gws_aws__ini_has_section(cfg->config_file, "default"))
			return "default";
	}
	snprintf(buf, len, "profile %s", cfg->profile);
	return buf;
}

const char *gws_aws__config_profile_get(const gws_aws_config *cfg, const char *key)
{
	char sec[300];
	const char *v;
	if (cfg == NULL)
		return NULL;
	v = gws_aws__ini_get(cfg->config_file, profile_section(cfg, sec, sizeof(sec)), key);
	return v && *v ? v : NULL;
}

const char *gws_aws__config_credentials_get(const gws_aws_config *cfg, const char *key)
{
	const char *v = cfg ? gws_aws__ini_get(cfg->credentials_file, cfg->profile, key) : NULL;
	return v && *v ? v : NULL;
}

static int capture_env(gws_aws_config *cfg)
{
	cfg->env = gws_arena_calloc(cfg->arena, 2 * GWS_ARRAY_SIZE(env_names), sizeof(char *));
	if (cfg->env == NULL)
		return GWS_ENOMEM;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(env_names); i++) {
		const char *v = getenv(env_names[i]);
		if (v == NULL || *v == '\0')
			continue;
		for (size_t j = 0; j < GWS_ARRAY_SIZE(env_secrets); j++)
			if (strcmp(env_names[i], env_secrets[j]) == 0)
				gws_secret_register(v);
		cfg->env[2 * cfg->nenv] = env_names[i];
		if (!(cfg->env[2 * cfg->nenv + 1] = gws_arena_strdup(cfg->arena, v)))
			return GWS_ENOMEM;
		cfg->nenv++;
	}
	return 0;
}

/* A file path from `var`, else $HOME/`home_rel`; "~/" expands to $HOME. */
static int file_path(const char **out, gws_aws_config *cfg, const char *var, const char *home_rel)
{
	const char *v = gws_aws__config_env(cfg, var);
	const char *home = gws_aws__config_env(cfg, "HOME");
	*out = NULL;
	if (v != NULL && !(v[0] == '~' && (v[1] == '/' || v[1] == '\0'))) {
		*out = v;
		return 0;
	}
	if (home == NULL) {
		if (v != NULL)
			return gws_error_set(GWS_EINVALID, "%s: cannot expand ~ without HOME", var);
		return 0; /* no home: no default files */
	}
	*out = v ? gws_arena_printf(cfg->arena, "%s%s", home, v + 1)
	         : gws_arena_printf(cfg->arena, "%s/%s", home, home_rel);
	return *out ? 0 : GWS_ENOMEM;
}

static int load_file(gws_aws_ini **out, const char *path, const char *var)
{
	int err;
	if (path == NULL)
		return gws_aws__ini_parse(out, "", 0, "(none)");
	if ((err = gws_aws__ini_load(out, path)) < 0)
		return gws_error_set(err == GWS_ENOMEM ? err : GWS_EINVALID, "%s: %s", var,
		                     gws_error_last());
	return 0;
}

static int resolve_profile(gws_aws_config *cfg, const gws_aws_overrides *ov)
{
	const char *p = ov && ov->profile && *ov->profile ? ov->profile : NULL;
	const char *origin = "--profile";
	char sec[300];

	cfg->profile_explicit = p != NULL;
	if (p == NULL && (p = gws_aws__config_env(cfg, "AWS_PROFILE")) != NULL)
		origin = "AWS_PROFILE";
	if (p == NULL && (p = gws_aws__config_env(cfg, "AWS_DEFAULT_PROFILE")) != NULL)
		origin = "AWS_DEFAULT_PROFILE";
	if (p == NULL) {
		cfg->profile = "default";
		return 0;
	}
	if (strlen(p) > 256 || strpbrk(p, "[]\r\n") != NULL)
		return gws_error_set(GWS_EINVALID, "%s: invalid profile name", origin);
	if (!(cfg->profile = gws_arena_strdup(cfg->arena, p)))
		return GWS_ENOMEM;
	if (strcmp(p, "default") == 0 || gws_aws__ini_has_section(cfg->credentials_file, p) ||
	    gws_aws__ini_has_section(cfg->config_file, profile_section(cfg, sec, sizeof(sec))))
		return 0;
	return gws_error_set(GWS_EINVALID, "%s: profile \"%s\" not found in %s or %s", origin, p,
	                     cfg->config_path ? cfg->config_path : "(no config file)",
	                     cfg->credentials_path ? cfg->credentials_path
	                                           : "(no credentials file)");
}

static bool valid_region(const char *r)
{
	size_t n = strlen(r);
	if (n == 0 || n > 64 || r[0] == '-' || r[n - 1] == '-')
		return false;
	for (; *r; r++)
		if (!(islower((unsigned char)*r) || isdigit((unsigned char)*r) || *r == '-'))
			return false;
	return true;
}

static int resolve_region(gws_aws_config *cfg, const gws_aws_overrides *ov)
{
	const char *r = ov && ov->region && *ov->region ? ov->region : NULL;
	const char *origin = "--region";
	if (r == NULL && (r = gws_aws__config_env(cfg, "AWS_REGION")) != NULL)
		origin = "AWS_REGION";
	if (r == NULL && (r = gws_aws__config_env(cfg, "AWS_DEFAULT_REGION")) != NULL)
		origin = "AWS_DEFAULT_REGION";
	if (r == NULL && (r = gws_aws__config_profile_get(cfg, "region")) != NULL)
		origin = cfg->config_path;
	if (r == NULL)
		return 0;
	if (!valid_region(r))
		return gws_error_set(GWS_EINVALID,
		                     "%s: invalid region \"%.64s\" (expected e.g. us-west-2)",
		                     origin, r);
	cfg->region = gws_arena_strdup(cfg->arena, r);
	for (size_t i = 0; i < GWS_ARRAY_SIZE(partitions); i++)
		if (gws_str_startswith(r, partitions[i].region_prefix)) {
			cfg->partition = partitions[i].partition;
			break;
		}
	return cfg->region ? 0 : GWS_ENOMEM;
}

/* http(s)://host[:port][/path], no whitespace, query or fragment; trailing '/' dropped. */
static int check_url(const char **out, gws_aws_config *cfg, const char *url, const char *origin)
{
	const char *host, *end;
	size_t len = strlen(url);
	char *copy;

	if (gws_str_startswith(url, "https://"))
		host = url + 8;
	else if (gws_str_startswith(url, "http://"))
		host = url + 7;
	else
		return gws_error_set(GWS_EINVALID,
		                     "%s: endpoint URL must start with http:// or https://",
		                     origin);
	end = host + strcspn(host, "/");
	if (end == host || host[0] == ':' || len > 2048)
		return gws_error_set(GWS_EINVALID, "%s: endpoint URL has no host", origin);
	for (const char *c = url; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 127 || *c == '?' || *c == '#' || *c == '@' ||
		    *c == '\\')
			return gws_error_set(GWS_EINVALID,
			                     "%s: malformed endpoint URL (character 0x%02x at %d)",
			                     origin, (unsigned char)*c, (int)(c - url));
	{
		const char *colon = memchr(host, ':', (size_t)(end - host));
		if (colon != NULL && host[0] != '[') {
			long port;
			char pbuf[8];
			size_t plen = (size_t)(end - colon - 1);
			if (plen == 0 || plen >= sizeof(pbuf))
				return gws_error_set(GWS_EINVALID, "%s: malformed endpoint port",
				                     origin);
			memcpy(pbuf, colon + 1, plen);
			pbuf[plen] = '\0';
			if (gws_parse_long(&port, pbuf, 1, 65535) < 0)
				return gws_error_set(GWS_EINVALID, "%s: malformed endpoint port",
				                     origin);
		}
	}
	if (!(copy = gws_arena_strdup(cfg->arena, url)))
		return GWS_ENOMEM;
	while (len > (size_t)(end - url) && copy[len - 1] == '/')
		copy[--len] = '\0';
	*out = copy;
	return 0;
}

/* The regions botocore sends to sts.amazonaws.com when
 * sts_regional_endpoints is legacy; every other region has only its own. */
static const char *const legacy_global_sts_regions[] = {
        "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
        "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
        "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
        "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2",
};

/* AWS_STS_REGIONAL_ENDPOINTS / sts_regional_endpoints: true for legacy. */
static int sts_legacy(bool *legacy, const gws_aws_config *cfg)
{
	const char *origin = "AWS_STS_REGIONAL_ENDPOINTS";
	const char *v = gws_aws__config_env(cfg, origin);

	if (v == NULL && (v = gws_aws__config_profile_get(cfg, "sts_regional_endpoints")) != NULL)
		origin = cfg->config_path;
	*legacy = v != NULL && strcasecmp(v, "legacy") == 0;
	if (v != NULL && !*legacy && strcasecmp(v, "regional") != 0)
		return gws_error_set(GWS_EINVALID,
		                     "%s: sts_regional_endpoints \"%.40s\" is neither legacy nor "
		                     "regional",
		                     origin, v);
	return 0;
}

static bool uses_global_sts(const gws_aws_config *cfg, bool legacy)
{
	if (!legacy || cfg->region == NULL)
		return false;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(legacy_global_sts_regions); i++)
		if (strcmp(cfg->region, legacy_global_sts_regions[i]) == 0)
			return true;
	return false;
}

static int resolve_endpoints(gws_aws_config *cfg, const gws_aws_overrides *ov)
{
	bool ignore =
	        gws_aws__is_true(gws_aws__config_env(cfg, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
	        gws_aws__is_true(
	                gws_aws__config_profile_get(cfg, "ignore_configured_endpoint_urls"));
	const char *svc_section = gws_aws__config_profile_get(cfg, "services");
	char sec[300];
	bool legacy;
	int err;

	if ((err = sts_legacy(&legacy, cfg)) < 0)
		return err;
	if (svc_section)
		snprintf(sec, sizeof(sec), "services %s", svc_section);
	for (int i = 0; i < GWS_AWS_SVC_COUNT; i++) {
		const char *url = NULL, *origin = NULL;
		cfg->signing_region[i] = cfg->region;
		if (ov && ov->endpoint_url && *ov->endpoint_url) {
			url = ov->endpoint_url;
			origin = "--endpoint-url";
		} else if (!ignore) {
			if ((url = gws_aws__config_env(cfg, services[i].env)) != NULL)
				origin = services[i].env;
			else if ((url = gws_aws__config_env(cfg, "AWS_ENDPOINT_URL")) != NULL)
				origin = "AWS_ENDPOINT_URL";
			else if (svc_section &&
			         (url = gws_aws__ini_get_sub(cfg->config_file, sec,
			                                     services[i].ini_key, "endpoint_url")))
				origin = cfg->config_path;
			else if ((url = gws_aws__config_profile_get(cfg, "endpoint_url")) != NULL)
				origin = cfg->config_path;
		}
		if (url != NULL) {
			if ((err = check_url(&cfg->endpoint[i], cfg, url, origin)) < 0)
				return err;
			continue;
		}
		if (cfg->region == NULL)
			continue;
		if (i == GWS_AWS_SVC_STS && uses_global_sts(cfg, legacy)) {
			cfg->endpoint[i] = "https://sts.amazonaws.com";
			cfg->signing_region[i] = "us-east-1";
			continue;
		}
		for (size_t p = 0; p < GWS_ARRAY_SIZE(partitions); p++) {
			if (strcmp(cfg->partition, partitions[p].partition) != 0)
				continue;
			cfg->endpoint[i] =
			        gws_arena_printf(cfg->arena, "https://%s.%s.%s", services[i].prefix,
			                         cfg->region, partitions[p].dns_suffix);
			if (cfg->endpoint[i] == NULL)
				return GWS_ENOMEM;
		}
	}
	return 0;
}

static int resolve_retry(gws_aws_config *cfg, const gws_aws_overrides *ov)
{
	const char *mode = gws_aws__config_env(cfg, "AWS_RETRY_MODE");
	const char *origin = "AWS_RETRY_MODE";
	const char *attempts;
	long n;

	if (mode == NULL) {
		mode = gws_aws__config_profile_get(cfg, "retry_mode");
		origin = "retry_mode";
	}
	if (mode == NULL)
		mode = "standard";
	if (strcmp(mode, "standard") != 0 && strcmp(mode, "legacy") != 0 &&
	    strcmp(mode, "adaptive") != 0)
		return gws_error_set(
		        GWS_EINVALID,
		        "%s: unknown retry mode \"%.32s\" (standard, legacy or adaptive)", origin,
		        mode);
	cfg->retry_mode = strcmp(mode, "standard") == 0 ? "standard"
	                  : strcmp(mode, "legacy") == 0 ? "legacy"
	                                                : "adaptive";

	if (ov && ov->max_attempts != 0) {
		if (ov->max_attempts < 1)
			return gws_error_set(GWS_EINVALID, "--max-attempts: must be at least 1");
		cfg->max_attempts = ov->max_attempts;
		return 0;
	}
	origin = "AWS_MAX_ATTEMPTS";
	if ((attempts = gws_aws__config_env(cfg, "AWS_MAX_ATTEMPTS")) == NULL) {
		attempts = gws_aws__config_profile_get(cfg, "max_attempts");
		origin = "max_attempts";
	}
	if (attempts == NULL) {
		/* botocore's legacy mode makes 5 attempts; standard and adaptive 3. */
		cfg->max_attempts = strcmp(cfg->retry_mode, "legacy") == 0 ? 5 : 3;
		return 0;
	}
	if (gws_parse_long(&n, attempts, 1, 100) < 0)
		return gws_error_set(GWS_EINVALID,
		                     "%s: \"%.32s\" is not a number of attempts between 1 and 100",
		                     origin, attempts);
	cfg->max_attempts = (int)n;
	return 0;
}

static int resolve_ca_bundle(gws_aws_config *cfg)
{
	const char *ca = gws_aws__config_env(cfg, "AWS_CA_BUNDLE");
	const char *origin = "AWS_CA_BUNDLE";
	if (ca == NULL) {
		ca = gws_aws__config_profile_get(cfg, "ca_bundle");
		origin = "ca_bundle";
	}
	if (ca == NULL)
		return 0;
	if (access(ca, R_OK) != 0)
		return gws_error_set(GWS_EINVALID, "%s: %s: %s", origin, ca, strerror(errno));
	cfg->ca_bundle = ca;
	return 0;
}

int gws_aws_config_load(gws_aws_config **out, const gws_aws_overrides *overrides)
{
	gws_aws_config *cfg = NULL;
	int err;

	*out = NULL;
	if ((cfg = gws_calloc(1, sizeof(*cfg))) == NULL)
		return GWS_ENOMEM;
	if ((err = gws_arena_new(&cfg->arena)) < 0 || (err = capture_env(cfg)) < 0 ||
	    (err = file_path(&cfg->config_path, cfg, "AWS_CONFIG_FILE", ".aws/config")) < 0 ||
	    (err = file_path(&cfg->credentials_path, cfg, "AWS_SHARED_CREDENTIALS_FILE",
	                     ".aws/credentials")) < 0 ||
	    (err = load_file(&cfg->config_file, cfg->config_path, "AWS_CONFIG_FILE")) < 0 ||
	    (err = load_file(&cfg->credentials_file, cfg->credentials_path,
	                     "AWS_SHARED_CREDENTIALS_FILE")) < 0 ||
	    (err = resolve_profile(cfg, overrides)) < 0 ||
	    (err = resolve_region(cfg, overrides)) < 0 ||
	    (err = resolve_endpoints(cfg, overrides)) < 0 ||
	    (err = resolve_retry(cfg, overrides)) < 0 || (err = resolve_ca_bundle(cfg)) < 0)
		goto cleanup;
	gws_log(GWS_LOG_DEBUG, "aws", "profile %s, region %s, retry mode %s, max attempts %d",
	        cfg->profile, cfg->region ? cfg->region : "(none)", cfg->retry_mode,
	        cfg->max_attempts);
	*out = cfg;
	cfg = NULL;
cleanup:
	gws_aws_config_free(cfg);
	return err;
}

void gws_aws_config_free(gws_aws_config *cfg)
{
	if (cfg == NULL)
		return;
	gws_aws__ini_free(cfg->config_file);
	gws_aws__ini_free(cfg->credentials_file);
	gws_arena_free(cfg->arena);
	gws_free(cfg);
}

const char *gws_aws_config_region(const gws_aws_config *cfg)
{
	return cfg ? cfg->region : NULL;
}

const char *gws_aws_config_partition(const gws_aws_config *cfg)
{
	return cfg ? cfg->partition : NULL;
}

const char *gws_aws_config_profile(const gws_aws_config *cfg)
{
	return cfg ? cfg->profile : NULL;
}

const char *gws_aws_config_endpoint(const gws_aws_config *cfg, const char *service)
{
	if (cfg == NULL || service == NULL)
		return NULL;
	for (int i = 0; i < GWS_AWS_SVC_COUNT; i++)
		if (strcmp(service, services[i].name) == 0)
			return cfg->endpoint[i];
	return NULL;
}

const char *gws_aws__config_signing_region(const gws_aws_config *cfg, const char *service)
{
	if (cfg == NULL || service == NULL)
		return NULL;
	for (int i = 0; i < GWS_AWS_SVC_COUNT; i++)
		if (strcmp(service, services[i].name) == 0)
			return cfg->signing_region[i];
	return cfg->region;
}

const char *gws_aws_config_ca_bundle(const gws_aws_config *cfg)
{
	return cfg ? cfg->ca_bundle : NULL;
}

int gws_aws_config_max_attempts(const gws_aws_config *cfg)
{
	return cfg ? cfg->max_attempts : 3;
}

const char *gws_aws_config_retry_mode(const gws_aws_config *cfg)
{
	return cfg ? cfg->retry_mode : "standard";
}
