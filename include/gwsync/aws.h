/*
 * gwsync aws: a small AWS client for ELBv2, EC2, STS and ACM (no SDK):
 * SigV4, the SDK credential chain, endpoints and regions, standard retries,
 * bounded concurrency, the Query protocol and XML responses, and the JSON
 * 1.1 protocol (ACM).
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
 *    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 / _EC2 / _STS / _ACM, AWS_ENDPOINT_URL,
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
/* service: "elasticloadbalancing", "ec2", "sts" or "acm". The full base URL without a
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
 * credential_process, role_arn + web_identity_token_file, role_arn +
 * source_profile or credential_source through STS AssumeRole, chains of
 * those; mfa_serial is refused: nobody can type a code), web identity from
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
/*
 * AWS rejected `stale` (the set a call was signed with) as expired or
 * invalid: the next gws_aws_credentials_get asks the provider again even
 * outside the refresh window, and returns its error rather than the
 * rejected set if that fails. Nothing happens when the current set is no
 * longer `stale` (another call refreshed meanwhile). Thread-safe.
 */
void gws_aws_credentials_invalidate(gws_aws_credentials_provider *p,
                                    const gws_aws_credentials *stale);
/* Which provider supplied the current credentials ("environment", "profile",
 * "credential_process", "profile_web_identity", "assume_role", "web_identity", "container",
 * "imds"); NULL before
 * the first successful gws_aws_credentials_get. */
const char *gws_aws_credentials_provider_name(const gws_aws_credentials_provider *p);
void gws_aws_credentials_provider_free(gws_aws_credentials_provider *p);

/*
 * A log-safe description of `creds`: provider, the access key id masked to
 * its first and last four characters, whether temporary, and expiry, e.g.
 * "provider=web_identity key=ASIA****WXYZ temporary expires=2026-11-26T06:00:00Z".
 * Never contains the secret key or session token.
 */
int gws_aws_credentials_describe(gws_buf *out, const gws_aws_credentials *creds) GWS_WARN_UNUSED;

/* Copy / release a credentials struct (for callers that keep a set). */
int gws_aws_credentials_copy(gws_aws_credentials *out, const gws_aws_credentials *src);
void gws_aws_credentials_dispose(gws_aws_credentials *creds);

/* ======================================================================
 * Client and typed calls
 * ====================================================================== */

typedef struct gws_aws_client gws_aws_client;

/* ---- common types --------------------------------------------------------
 * Results live in an arena the caller passes to each call; their strings and
 * arrays are freed with it. Inputs are borrowed for the duration of the call.
 * An absent optional string is NULL, an absent optional number is 0 (ports,
 * intervals) unless a has_ flag says otherwise, and a gws_aws_bool of
 * GWS_AWS_UNSET is not sent.
 */
typedef enum {
	GWS_AWS_UNSET = 0,
	GWS_AWS_FALSE = 1,
	GWS_AWS_TRUE = 2,
} gws_aws_bool;

typedef struct {
	const char **items;
	size_t count;
} gws_aws_strings;

/* A tag, a load balancer / target group / listener attribute, a query pair. */
typedef struct {
	const char *key;
	const char *value;
} gws_aws_kv;

typedef struct {
	gws_aws_kv *items;
	size_t count;
} gws_aws_kvs;

/* What AWS said when a call failed (status 0: no HTTP response). */
typedef struct {
	long status;
	char code[128];
	char message[512];
	char request_id[128];
	const char *service; /* "elasticloadbalancing", "ec2", "sts", "acm" */
	const char *action;
	int attempts;
} gws_aws_error;

/* ---- client --------------------------------------------------------------- */

typedef struct {
	/* Configuration: `config` if given (borrowed), else loaded from
	 * `overrides` (may be NULL) with gws_aws_config_load. */
	const gws_aws_config *config;
	const gws_aws_overrides *overrides;
	/* Credentials: `credentials` if given (borrowed), else the SDK chain. */
	gws_aws_credentials_provider *credentials;
	int concurrency; /* requests in flight; 0: 8 (--aws-concurrency) */
	double rps;      /* client-side request rate limit; 0: none (--aws-rps). With
	                  * AWS_RETRY_MODE=adaptive the adaptive limiter also applies. */
	long timeout_ms; /* per HTTP request; 0: 60 s */
	/* Test hooks: uniform random in [0,1) and a sleep; NULL: the real ones. */
	double (*random)(void *ctx);
	void (*sleep_ms)(void *ctx, long ms);
	void *hook_ctx;
	/* Override the clock used for signing (tests); NULL: time(). */
	time_t (*now)(void *ctx);
	/* Monotonic seconds for the rate limiters (tests); NULL: CLOCK_MONOTONIC. */
	double (*clock)(void *ctx);
} gws_aws_client_options;

/*
 * Caps on what AWS may send (docs/aws.md). A page of a describe is decoded
 * one item at a time as it is read, so it costs about its own size in
 * memory; any other reply (one object, attributes, an identity, an error)
 * is read whole and is far smaller. A paginated call follows at most
 * GWS_AWS_MAX_PAGES pages, and fails when a page repeats an earlier page's
 * token (a server that never ends its list).
 */
#define GWS_AWS_PAGE_REPLY_CAP (16u * 1024 * 1024) /* one page of a describe */
#define GWS_AWS_REPLY_CAP      (1u * 1024 * 1024)  /* any other reply */
#define GWS_AWS_MAX_PAGES      10000u              /* pages of one paginated call */

/* A client is used from one thread at a time; its requests run concurrently
 * inside each call or batch. */
int gws_aws_client_new(gws_aws_client **out, const gws_aws_client_options *opts);
void gws_aws_client_free(gws_aws_client *client);

/* The credentials provider the client signs with: the one given in the
 * options, or the chain it built itself (borrowed, lives as long as it). */
gws_aws_credentials_provider *gws_aws_client_credentials(gws_aws_client *client);

/* The details of the client's last failed call (code "" when none). */
const gws_aws_error *gws_aws_client_last_error(const gws_aws_client *client);

/* Counters for tests and benchmarks. */
typedef struct {
	unsigned long calls;    /* typed calls (pages count once each) */
	unsigned long requests; /* HTTP requests including retries */
	unsigned long retries;
	unsigned long throttled; /* throttling responses seen */
	int retry_quota;         /* tokens left in the retry quota */
} gws_aws_stats;
void gws_aws_client_stats(const gws_aws_client *client, gws_aws_stats *out);

/* Calls by service, action and result ("success", the AWS error code, or a
 * gwsync error name such as "ENETWORK"), for metrics. At most
 * GWS_AWS_MAX_COUNTS rows; the strings live as long as the client. */
#define GWS_AWS_MAX_COUNTS 512
typedef struct {
	const char *service;
	const char *action;
	const char *result;
	unsigned long count;
	char result_buf[64];
} gws_aws_call_count;
size_t gws_aws_client_call_counts(const gws_aws_client *client, const gws_aws_call_count **out);

/*
 * Batches: between gws_aws_batch_begin and gws_aws_batch_run, typed calls
 * are queued instead of performed (they return 0 and fill their outputs
 * later). gws_aws_batch_run performs them all, at most `concurrency` at a
 * time and within the rate limit, and writes each call's result code to
 * rcs[i] in the order the calls were queued (rcs may be NULL; n_rcs bounds
 * it). Returns 0 when every call succeeded, else the first failure's code.
 * Queued calls must not depend on each other. Inputs are copied when a call
 * is queued; outputs (and the arena) must stay valid until the run.
 */
int gws_aws_batch_begin(gws_aws_client *client);
/* Requests in flight at most (a batch larger than this is sent in waves). */
int gws_aws_client_concurrency(const gws_aws_client *client);
int gws_aws_batch_run(gws_aws_client *client, int *rcs, size_t n_rcs);
/* The same, also copying each call's error details into errs[i] (code "" and
 * status 0 for a call that succeeded). */
int gws_aws_batch_run_errors(gws_aws_client *client, int *rcs, gws_aws_error *errs, size_t n);

/* ---- ELBv2 types ---------------------------------------------------------- */

typedef struct {
	const char *zone_name;
	const char *subnet_id;
} gws_elbv2_az;

typedef struct {
	const char *arn;
	const char *name;
	const char *dns_name;
	const char *canonical_hosted_zone_id;
	const char *created_time;
	const char *scheme; /* internet-facing | internal */
	const char *vpc_id;
	const char *state; /* active | provisioning | active_impaired | failed */
	const char *state_reason;
	const char *type;            /* application | network | gateway */
	const char *ip_address_type; /* ipv4 | dualstack | dualstack-without-public-ipv4 */
	gws_elbv2_az *azs;
	size_t az_count;
	gws_aws_strings security_groups;
} gws_elbv2_load_balancer;

typedef struct {
	gws_elbv2_load_balancer *items;
	size_t count;
} gws_elbv2_load_balancers;

typedef struct {
	const char *target_group_arn;
	bool has_weight;
	int weight;
} gws_elbv2_tg_tuple;

typedef struct {
	const char *type; /* forward | redirect | fixed-response | authenticate-* */
	int order;        /* 0: not set */
	const char *target_group_arn;
	/* forward */
	gws_elbv2_tg_tuple *target_groups;
	size_t target_group_count;
	gws_aws_bool stickiness_enabled;
	int stickiness_duration; /* seconds; 0: not set */
	/* redirect */
	const char *redirect_protocol;
	const char *redirect_port;
	const char *redirect_host;
	const char *redirect_path;
	const char *redirect_query;
	const char *redirect_status_code; /* HTTP_301 | HTTP_302 */
	/* fixed-response */
	const char *fixed_message_body;
	const char *fixed_status_code;
	const char *fixed_content_type;
} gws_elbv2_action;

typedef struct {
	gws_elbv2_action *items;
	size_t count;
} gws_elbv2_actions;

typedef struct {
	const char *field;      /* host-header | path-pattern | http-header | query-string | ... */
	gws_aws_strings values; /* legacy form (host-header, path-pattern only) */
	gws_aws_strings host_header;
	gws_aws_strings path_pattern;
	const char *http_header_name;
	gws_aws_strings http_header_values;
	gws_aws_kvs query_string; /* key may be NULL */
	gws_aws_strings http_request_method;
	gws_aws_strings source_ip;
} gws_elbv2_condition;

typedef struct {
	gws_elbv2_condition *items;
	size_t count;
} gws_elbv2_conditions;

typedef struct {
	const char *regex;
	const char *replace;
} gws_elbv2_rewrite;

typedef struct {
	const char *type; /* host-header-rewrite | url-rewrite */
	gws_elbv2_rewrite *rewrites;
	size_t rewrite_count;
} gws_elbv2_transform;

typedef struct {
	gws_elbv2_transform *items;
	size_t count;
} gws_elbv2_transforms;

typedef struct {
	const char *arn;
	const char *priority; /* "1".."50000" or "default" */
	bool is_default;
	gws_elbv2_conditions conditions;
	gws_elbv2_actions actions;
	gws_elbv2_transforms transforms;
} gws_elbv2_rule;

typedef struct {
	gws_elbv2_rule *items;
	size_t count;
} gws_elbv2_rules;

typedef struct {
	const char *arn;
	gws_aws_bool is_default;
} gws_elbv2_certificate;

typedef struct {
	gws_elbv2_certificate *items;
	size_t count;
} gws_elbv2_certificates;

typedef struct {
	const char *arn;
	const char *load_balancer_arn;
	int port;
	const char *protocol;
	const char *ssl_policy;
	gws_elbv2_certificates certificates;
	gws_elbv2_actions default_actions;
	gws_aws_strings alpn_policy;
} gws_elbv2_listener;

typedef struct {
	gws_elbv2_listener *items;
	size_t count;
} gws_elbv2_listeners;

typedef struct {
	const char *arn;
	const char *name;
	const char *protocol;
	const char *protocol_version;
	int port;
	const char *vpc_id;
	const char *target_type; /* instance | ip | lambda | alb */
	const char *ip_address_type;
	const char *health_check_protocol;
	const char *health_check_port;
	gws_aws_bool health_check_enabled;
	int health_check_interval;
	int health_check_timeout;
	int healthy_threshold;
	int unhealthy_threshold;
	const char *health_check_path;
	const char *matcher_http_code;
	const char *matcher_grpc_code;
	gws_aws_strings load_balancer_arns;
} gws_elbv2_target_group;

typedef struct {
	gws_elbv2_target_group *items;
	size_t count;
} gws_elbv2_target_groups;

typedef struct {
	const char *resource_arn;
	gws_aws_kvs tags;
} gws_elbv2_tag_description;

typedef struct {
	gws_elbv2_tag_description *items;
	size_t count;
} gws_elbv2_tag_descriptions;

typedef struct {
	const char *id;
	int port; /* 0: not set */
	const char *availability_zone;
} gws_elbv2_target;

typedef struct {
	gws_elbv2_target *items;
	size_t count;
} gws_elbv2_targets;

typedef struct {
	gws_elbv2_target target;
	const char *health_check_port;
	const char *state; /* initial | healthy | unhealthy | ... */
	const char *reason;
	const char *description;
} gws_elbv2_target_health;

typedef struct {
	gws_elbv2_target_health *items;
	size_t count;
} gws_elbv2_target_healths;

typedef struct {
	const char *rule_arn;
	int priority;
} gws_elbv2_rule_priority;

/* ---- ELBv2 inputs ---------------------------------------------------------- */

/* Describe selectors: give at most one kind (names win); page_size 0: 400.
 * Every page is followed. More than 20 ARNs or names are split into calls of
 * 20 sent together, results concatenated in input order (not inside a
 * batch: GWS_EINVALID there). */
typedef struct {
	gws_aws_strings arns;
	gws_aws_strings names;
	int page_size;
} gws_elbv2_describe_input;

typedef struct {
	const char *name;
	gws_aws_strings subnets;
	gws_aws_strings security_groups;
	const char *scheme;
	gws_aws_kvs tags;
	const char *type;
	const char *ip_address_type;
} gws_elbv2_create_load_balancer_input;

typedef struct {
	const char *load_balancer_arn;
	const char *protocol;
	int port;
	const char *ssl_policy;
	gws_elbv2_certificates certificates;
	gws_elbv2_actions default_actions;
	gws_aws_strings alpn_policy;
	gws_aws_kvs tags;
} gws_elbv2_create_listener_input;

/* ModifyListener: NULL/0/empty fields are left unchanged. */
typedef struct {
	const char *listener_arn;
	int port;
	const char *protocol;
	const char *ssl_policy;
	gws_elbv2_certificates certificates;
	gws_elbv2_actions default_actions;
	gws_aws_strings alpn_policy;
} gws_elbv2_modify_listener_input;

typedef struct {
	const char *listener_arn;
	gws_elbv2_conditions conditions;
	int priority;
	gws_elbv2_actions actions;
	gws_aws_kvs tags;
	gws_elbv2_transforms transforms;
} gws_elbv2_create_rule_input;

/* ModifyRule replaces whole lists: conditions and actions are sent when
 * non-empty; transforms are sent when non-empty, reset_transforms clears. */
typedef struct {
	const char *rule_arn;
	gws_elbv2_conditions conditions;
	gws_elbv2_actions actions;
	gws_elbv2_transforms transforms;
	bool reset_transforms;
} gws_elbv2_modify_rule_input;

typedef struct {
	const char *name;
	const char *protocol;
	const char *protocol_version;
	int port;
	const char *vpc_id;
	const char *health_check_protocol;
	const char *health_check_port;
	gws_aws_bool health_check_enabled;
	const char *health_check_path;
	int health_check_interval;
	int health_check_timeout;
	int healthy_threshold;
	int unhealthy_threshold;
	const char *matcher_http_code;
	const char *matcher_grpc_code;
	const char *target_type;
	gws_aws_kvs tags;
	const char *ip_address_type;
} gws_elbv2_create_target_group_input;

typedef struct {
	const char *target_group_arn;
	const char *health_check_protocol;
	const char *health_check_port;
	const char *health_check_path;
	gws_aws_bool health_check_enabled;
	int health_check_interval;
	int health_check_timeout;
	int healthy_threshold;
	int unhealthy_threshold;
	const char *matcher_http_code;
	const char *matcher_grpc_code;
} gws_elbv2_modify_target_group_input;

/* Which attribute set an attributes call reads or writes. */
typedef enum {
	GWS_ELBV2_LOAD_BALANCER = 0,
	GWS_ELBV2_TARGET_GROUP = 1,
	GWS_ELBV2_LISTENER = 2,
} gws_elbv2_attr_kind;

/* ---- ELBv2 calls -----------------------------------------------------------
 * Each returns 0 or a negative code: GWS_EAUTH (credentials or permission),
 * GWS_ETHROTTLED (throttled after the retries), GWS_ENOTFOUND (*NotFound),
 * GWS_ECONFLICT (Duplicate*, *InUse), GWS_EUNKNOWN_OUTCOME (a write was sent
 * and no answer came), GWS_ENETWORK / GWS_ETIMEOUT (no answer to a read),
 * GWS_EREMOTE (any other AWS error); details in gws_aws_client_last_error.
 */
int gws_elbv2_describe_load_balancers(gws_aws_client *c, gws_arena *arena,
                                      const gws_elbv2_describe_input *in,
                                      gws_elbv2_load_balancers *out);
int gws_elbv2_create_load_balancer(gws_aws_client *c, gws_arena *arena,
                                   const gws_elbv2_create_load_balancer_input *in,
                                   gws_elbv2_load_balancer *out);
int gws_elbv2_delete_load_balancer(gws_aws_client *c, const char *load_balancer_arn);
/* An empty list is sent as "SecurityGroups=" (removes all). */
int gws_elbv2_set_security_groups(gws_aws_client *c, const char *load_balancer_arn,
                                  const gws_aws_strings *security_groups);
int gws_elbv2_set_subnets(gws_aws_client *c, const char *load_balancer_arn,
                          const gws_aws_strings *subnets, const char *ip_address_type);
int gws_elbv2_set_ip_address_type(gws_aws_client *c, const char *load_balancer_arn,
                                  const char *ip_address_type);

/* Listeners of one load balancer (or the given listener ARNs). */
int gws_elbv2_describe_listeners(gws_aws_client *c, gws_arena *arena, const char *load_balancer_arn,
                                 const gws_aws_strings *listener_arns, gws_elbv2_listeners *out);
int gws_elbv2_create_listener(gws_aws_client *c, gws_arena *arena,
                              const gws_elbv2_create_listener_input *in, gws_elbv2_listener *out);
int gws_elbv2_modify_listener(gws_aws_client *c, gws_arena *arena,
                              const gws_elbv2_modify_listener_input *in, gws_elbv2_listener *out);
int gws_elbv2_delete_listener(gws_aws_client *c, const char *listener_arn);

int gws_elbv2_describe_listener_certificates(gws_aws_client *c, gws_arena *arena,
                                             const char *listener_arn, gws_elbv2_certificates *out);
int gws_elbv2_add_listener_certificates(gws_aws_client *c, const char *listener_arn,
                                        const gws_elbv2_certificates *certificates);
int gws_elbv2_remove_listener_certificates(gws_aws_client *c, const char *listener_arn,
                                           const gws_elbv2_certificates *certificates);

/* Rules of one listener (or the given rule ARNs). */
int gws_elbv2_describe_rules(gws_aws_client *c, gws_arena *arena, const char *listener_arn,
                             const gws_aws_strings *rule_arns, gws_elbv2_rules *out);
int gws_elbv2_create_rule(gws_aws_client *c, gws_arena *arena,
                          const gws_elbv2_create_rule_input *in, gws_elbv2_rule *out);
int gws_elbv2_modify_rule(gws_aws_client *c, gws_arena *arena,
                          const gws_elbv2_modify_rule_input *in, gws_elbv2_rule *out);
int gws_elbv2_set_rule_priorities(gws_aws_client *c, gws_arena *arena,
                                  const gws_elbv2_rule_priority *priorities, size_t count,
                                  gws_elbv2_rules *out);
int gws_elbv2_delete_rule(gws_aws_client *c, const char *rule_arn);

/* Target groups: by ARNs or names in `in`, or of one load balancer. */
int gws_elbv2_describe_target_groups(gws_aws_client *c, gws_arena *arena,
                                     const char *load_balancer_arn,
                                     const gws_elbv2_describe_input *in,
                                     gws_elbv2_target_groups *out);
int gws_elbv2_create_target_group(gws_aws_client *c, gws_arena *arena,
                                  const gws_elbv2_create_target_group_input *in,
                                  gws_elbv2_target_group *out);
int gws_elbv2_modify_target_group(gws_aws_client *c, gws_arena *arena,
                                  const gws_elbv2_modify_target_group_input *in,
                                  gws_elbv2_target_group *out);
int gws_elbv2_delete_target_group(gws_aws_client *c, const char *target_group_arn);

/* Attributes of a load balancer, target group or listener. Modify returns
 * the full attribute list AWS answers with. */
int gws_elbv2_describe_attributes(gws_aws_client *c, gws_arena *arena, gws_elbv2_attr_kind kind,
                                  const char *arn, gws_aws_kvs *out);
int gws_elbv2_modify_attributes(gws_aws_client *c, gws_arena *arena, gws_elbv2_attr_kind kind,
                                const char *arn, const gws_aws_kvs *attributes, gws_aws_kvs *out);

/* Tags of any number of resources: chunks of 20 ARNs, performed
 * concurrently; out lists the descriptions in the order AWS gave them, chunk
 * after chunk in input order. Not available inside a batch. */
int gws_elbv2_describe_tags(gws_aws_client *c, gws_arena *arena, const gws_aws_strings *arns,
                            gws_elbv2_tag_descriptions *out);
int gws_elbv2_add_tags(gws_aws_client *c, const gws_aws_strings *arns, const gws_aws_kvs *tags);
int gws_elbv2_remove_tags(gws_aws_client *c, const gws_aws_strings *arns,
                          const gws_aws_strings *tag_keys);

int gws_elbv2_register_targets(gws_aws_client *c, const char *target_group_arn,
                               const gws_elbv2_targets *targets);
int gws_elbv2_deregister_targets(gws_aws_client *c, const char *target_group_arn,
                                 const gws_elbv2_targets *targets);
/* targets may be NULL: every registered target. */
int gws_elbv2_describe_target_health(gws_aws_client *c, gws_arena *arena,
                                     const char *target_group_arn, const gws_elbv2_targets *targets,
                                     gws_elbv2_target_healths *out);

/* ---- EC2 --------------------------------------------------------------------- */

typedef struct {
	const char *name; /* "vpc-id", "tag:kubernetes.io/role/elb", "group-name", ... */
	gws_aws_strings values;
} gws_ec2_filter;

typedef struct {
	gws_ec2_filter *items;
	size_t count;
} gws_ec2_filters;

typedef struct {
	const char *vpc_id;
	const char *cidr_block;
	const char *state;
	bool is_default;
	gws_aws_kvs tags;
} gws_ec2_vpc;

typedef struct {
	gws_ec2_vpc *items;
	size_t count;
} gws_ec2_vpcs;

typedef struct {
	const char *subnet_id;
	const char *vpc_id;
	const char *availability_zone;
	const char *availability_zone_id;
	const char *cidr_block;
	const char *state;
	bool map_public_ip_on_launch;
	gws_aws_kvs tags;
} gws_ec2_subnet;

typedef struct {
	gws_ec2_subnet *items;
	size_t count;
} gws_ec2_subnets;

/* A CIDR, security group or prefix list with its description. */
typedef struct {
	const char *id;
	const char *description;
} gws_ec2_peer;

typedef struct {
	const char *ip_protocol; /* tcp | udp | icmp | -1 */
	bool has_ports;
	int from_port;
	int to_port;
	gws_ec2_peer *ip_ranges; /* CidrIp */
	size_t ip_range_count;
	gws_ec2_peer *ipv6_ranges; /* CidrIpv6 */
	size_t ipv6_range_count;
	gws_ec2_peer *groups; /* GroupId (UserIdGroupPairs) */
	size_t group_count;
	gws_ec2_peer *prefix_lists; /* PrefixListId */
	size_t prefix_list_count;
} gws_ec2_ip_permission;

typedef struct {
	gws_ec2_ip_permission *items;
	size_t count;
} gws_ec2_ip_permissions;

typedef struct {
	const char *group_id;
	const char *group_name;
	const char *description;
	const char *vpc_id;
	const char *owner_id;
	gws_ec2_ip_permissions ingress;
	gws_aws_kvs tags;
} gws_ec2_security_group;

typedef struct {
	gws_ec2_security_group *items;
	size_t count;
} gws_ec2_security_groups;

/* Describe calls follow NextToken to the end. ids may be NULL. */
int gws_ec2_describe_vpcs(gws_aws_client *c, gws_arena *arena, const gws_aws_strings *vpc_ids,
                          const gws_ec2_filters *filters, gws_ec2_vpcs *out);
int gws_ec2_describe_subnets(gws_aws_client *c, gws_arena *arena, const gws_aws_strings *subnet_ids,
                             const gws_ec2_filters *filters, gws_ec2_subnets *out);
int gws_ec2_describe_security_groups(gws_aws_client *c, gws_arena *arena,
                                     const gws_aws_strings *group_ids,
                                     const gws_ec2_filters *filters, gws_ec2_security_groups *out);
/* Tags (may be NULL) are applied at creation. *group_id is arena-owned. */
int gws_ec2_create_security_group(gws_aws_client *c, gws_arena *arena, const char *group_name,
                                  const char *description, const char *vpc_id,
                                  const gws_aws_kvs *tags, const char **group_id);
int gws_ec2_delete_security_group(gws_aws_client *c, const char *group_id);
int gws_ec2_authorize_security_group_ingress(gws_aws_client *c, const char *group_id,
                                             const gws_ec2_ip_permissions *permissions);
int gws_ec2_revoke_security_group_ingress(gws_aws_client *c, const char *group_id,
                                          const gws_ec2_ip_permissions *permissions);
int gws_ec2_create_tags(gws_aws_client *c, const gws_aws_strings *resource_ids,
                        const gws_aws_kvs *tags);
/* A tag with a NULL value deletes the key whatever its value. */
int gws_ec2_delete_tags(gws_aws_client *c, const gws_aws_strings *resource_ids,
                        const gws_aws_kvs *tags);

/* ---- ACM (JSON 1.1 protocol, docs/aws.md) ---------------------------------------- */

/* A certificate as ListCertificates summarizes it, or as DescribeCertificate
 * details it (then `names` is complete and names_complete is true). */
typedef struct {
	const char *arn;
	const char *domain_name;
	/* Subject alternative names. A summary lists at most about a hundred
	 * (HasAdditionalSubjectAlternativeNames), and an older ACM none at all:
	 * names_complete is false then, and DescribeCertificate has them all. */
	gws_aws_strings names;
	bool names_complete;
	const char *status;        /* ISSUED | PENDING_VALIDATION | EXPIRED | ... */
	const char *type;          /* AMAZON_ISSUED | IMPORTED | PRIVATE */
	const char *key_algorithm; /* RSA_2048 | EC_prime256v1 | ... */
} gws_acm_certificate;

typedef struct {
	gws_acm_certificate *items;
	size_t count;
} gws_acm_certificates;

/* ListCertificates filters. NULL (or empty lists) mean what the AWS Load
 * Balancer Controller asks for: status ISSUED and the key types RSA_1024,
 * RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1
 * (without keyTypes ACM would list RSA_2048 certificates only). */
typedef struct {
	gws_aws_strings statuses;
	gws_aws_strings key_types;
	int max_items; /* per page, 1..1000; 0: 1000 */
} gws_acm_list_input;

/* Every page (NextToken, at most GWS_AWS_MAX_PAGES) of the region's
 * certificates, in the order ACM lists them. Both calls may be queued in a
 * batch. Errors as for the ELBv2 calls. */
int gws_acm_list_certificates(gws_aws_client *c, gws_arena *arena, const gws_acm_list_input *in,
                              gws_acm_certificates *out);
/* One certificate's domain and every subject alternative name
 * (GWS_ENOTFOUND for ResourceNotFoundException). */
int gws_acm_describe_certificate(gws_aws_client *c, gws_arena *arena, const char *arn,
                                 gws_acm_certificate *out);

/* ---- STS ----------------------------------------------------------------------- */

typedef struct {
	const char *account;
	const char *arn;
	const char *user_id;
} gws_sts_caller_identity;

int gws_sts_get_caller_identity(gws_aws_client *c, gws_arena *arena, gws_sts_caller_identity *out);

#endif
