/*
 * gwsync aws: a small AWS client for ELBv2, EC2 and STS (no SDK): SigV4,
 * the SDK credential chain, endpoints and regions, standard retries,
 * bounded concurrency, the Query protocol and XML responses.
 *
 * The header has two halves kept apart on purpose (they were written by
 * two people at once): "configuration and credentials" and "client and
 * typed calls". Add to the half you work on; do not reorder the other.
 */
#ifndef GWSYNC_AWS_H
#define GWSYNC_AWS_H

#include <time.h>

#include "gwsync/core.h"

/* ======================================================================
 * Configuration and credentials
 * ====================================================================== */

/* What the CLI can override; NULL / 0 fields fall back to the environment
 * and shared config files exactly as the AWS SDKs do. */
typedef struct {
	const char *region;       /* --region */
	const char *endpoint_url; /* --endpoint-url: every service */
	const char *profile;      /* --profile */
	int max_attempts;         /* 0: AWS_MAX_ATTEMPTS or the mode's default */
} gws_aws_overrides;

/* Resolved, owned configuration. */
typedef struct gws_aws_config gws_aws_config;

/* A set of credentials. Strings are owned by whoever produced the struct. */
typedef struct {
	char *access_key_id;
	char *secret_access_key;
	char *session_token;  /* NULL for long-term keys */
	time_t expiration;    /* 0: does not expire */
	const char *provider; /* static name of the provider, e.g. "environment" */
} gws_aws_credentials;

typedef struct gws_aws_credentials_provider gws_aws_credentials_provider;

struct gws_http; /* src/aws/http.h: the module's one HTTP transport */

/*
 * Resolve the configuration from `overrides` (may be NULL), the environment
 * and the shared config/credentials files, with the SDKs' precedence:
 *  - profile: overrides->profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, "default";
 *    files: AWS_CONFIG_FILE (~/.aws/config), AWS_SHARED_CREDENTIALS_FILE
 *    (~/.aws/credentials); "[profile x]" in the config file, "[x]" in the
 *    credentials file ("[default]" in both);
 *  - region: overrides->region, AWS_REGION, AWS_DEFAULT_REGION, profile region;
 *  - endpoints: overrides->endpoint_url (every service), then
 *    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 / _EC2 / _STS, AWS_ENDPOINT_URL,
 *    the profile's "services" section, the profile's endpoint_url
 *    (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips all but the override),
 *    then the regional default of the region's partition;
 *  - AWS_CA_BUNDLE / ca_bundle, AWS_MAX_ATTEMPTS / max_attempts,
 *    AWS_RETRY_MODE / retry_mode.
 * The environment is read once, here. An invalid value (bad number, unknown
 * retry mode, malformed URL or region, unreadable file, a named profile
 * that exists in neither file) gives GWS_EINVALID with a message naming the
 * variable or file. A missing region is not an error here: region and
 * default endpoints are then NULL and the caller reports it.
 */
int gws_aws_config_load(gws_aws_config **out, const gws_aws_overrides *overrides);
void gws_aws_config_free(gws_aws_config *cfg);

/* NULL when no region is configured. */
const char *gws_aws_config_region(const gws_aws_config *cfg);
/* "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"; NULL without a region. */
const char *gws_aws_config_partition(const gws_aws_config *cfg);
/* The selected profile name ("default" unless chosen). */
const char *gws_aws_config_profile(const gws_aws_config *cfg);
/* service: "elasticloadbalancing", "ec2" or "sts". The full base URL without a
 * trailing slash ("https://sts.us-west-2.amazonaws.com"); NULL for an unknown
 * service, or when neither an endpoint nor a region is configured. */
const char *gws_aws_config_endpoint(const gws_aws_config *cfg, const char *service);
/* PEM CA bundle path; NULL = the system default. */
const char *gws_aws_config_ca_bundle(const gws_aws_config *cfg);
/* Total attempts per call, including the first (>= 1). */
int gws_aws_config_max_attempts(const gws_aws_config *cfg);
/* "standard" (default), "legacy" or "adaptive". */
const char *gws_aws_config_retry_mode(const gws_aws_config *cfg);

/*
 * The SDK credential chain, in order: environment (skipped when the profile
 * was given with --profile, as botocore does), the profile (static keys,
 * credential_process, role_arn + web_identity_token_file), web identity from
 * the environment (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), container
 * credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI), EC2
 * IMDSv2 (unless AWS_EC2_METADATA_DISABLED=true). The first provider that is
 * configured is used, and kept for refreshes; if it fails, the error is
 * returned (not masked by later providers).
 *
 * `cfg` and `http` are borrowed and must outlive the provider. `http` may be
 * NULL when only the environment, files and credential_process are wanted;
 * the provider calls gws_http_perform on it under its own lock, so give it a
 * gws_http that no other thread uses at the same time.
 */
int gws_aws_credentials_provider_new(gws_aws_credentials_provider **out, const gws_aws_config *cfg,
                                     struct gws_http *http);
/*
 * Current credentials, refreshing temporary ones within 5 minutes of expiry
 * (thread-safe, one refresh at a time). The result is borrowed and stays
 * valid until the provider is freed (superseded sets are kept, not reused).
 * GWS_EAUTH with a message naming what was tried when no provider has
 * credentials; the provider's own error when a configured provider fails.
 * If a refresh fails while the current set is still valid, the current set
 * is returned and a warning logged.
 */
int gws_aws_credentials_get(gws_aws_credentials_provider *p, const gws_aws_credentials **out);
/* Which provider supplied the current credentials ("environment", "profile",
 * "credential_process", "profile_web_identity", "web_identity", "container",
 * "imds"); NULL before
 * the first successful gws_aws_credentials_get. */
const char *gws_aws_credentials_provider_name(const gws_aws_credentials_provider *p);
void gws_aws_credentials_provider_free(gws_aws_credentials_provider *p);

/* Copy / release a credentials struct (for callers that keep a set). */
int gws_aws_credentials_copy(gws_aws_credentials *out, const gws_aws_credentials *src);
void gws_aws_credentials_dispose(gws_aws_credentials *creds);

/* ======================================================================
 * Client and typed calls
 * ====================================================================== */

typedef struct gws_aws_client gws_aws_client;

#endif
