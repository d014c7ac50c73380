/*
 * gwsync model: Gateway API objects → the AWS resources the AWS Load
 * Balancer Controller would build (one "stack" per Gateway), plus the
 * Gateway API status of every object, without any AWS call.
 *
 * The model is built once from a manifest store and is read-only
 * afterwards. Everything below lives in one arena owned by the gws_model
 * and is freed by gws_model_free. The structs are exposed so that the
 * reconciler and the report writer can walk them; consumers must not modify
 * them.
 *
 * Conventions:
 *  - strings are NULL when absent;
 *  - key/value maps (attributes, tags) are sorted by key, keys unique;
 *  - lists of objects are arrays of pointers, in their canonical order
 *    (listeners by port, rules by priority, target groups by id);
 *  - optional numbers carry a has_ flag (a forward Weight can be ABSENT,
 *    which is different from 0).
 */
#ifndef GWSYNC_MODEL_H
#define GWSYNC_MODEL_H

#include "gwsync/core.h"
#include "gwsync/manifest.h"

#define GWS_MODEL_ALB_CONTROLLER    "gateway.k8s.aws/alb"
#define GWS_MODEL_NLB_CONTROLLER    "gateway.k8s.aws/nlb"
#define GWS_MODEL_DEFAULT_CLUSTER   "default"
#define GWS_MODEL_MAX_RULES_PER_ALB 100
#define GWS_MODEL_MAX_TGS_PER_ALB   100

typedef struct {
	const char *cluster;             /* --cluster; NULL = GWS_MODEL_DEFAULT_CLUSTER */
	const char *alb_controller_name; /* NULL = GWS_MODEL_ALB_CONTROLLER */
	const char *nlb_controller_name; /* NULL = GWS_MODEL_NLB_CONTROLLER */
	bool nlb_weighted_forward;       /* send weighted target groups to NLBs (default true) */
	long max_rules_per_alb;          /* 0 = GWS_MODEL_MAX_RULES_PER_ALB */
	long max_tgs_per_alb;            /* 0 = GWS_MODEL_MAX_TGS_PER_ALB */
	/* Target type when no TargetGroupConfiguration sets one: "instance" (NULL,
	 * LBC's default) or "ip". Instance targets need the Service's nodePort
	 * written in the repository. */
	const char *default_target_type;
} gws_model_options;

#define GWS_MODEL_OPTIONS_INIT                                                                     \
	{                                                                                          \
		NULL, NULL, NULL, true, 0, 0, NULL                                                 \
	}

/* ---- small shared shapes ------------------------------------------------ */

typedef struct {
	const char *key;
	const char *value;
} gws_model_kv;

/* A string map, sorted by key, keys unique. */
typedef struct {
	gws_model_kv *items;
	size_t n;
} gws_model_kvs;

typedef struct {
	const char **items;
	size_t n;
} gws_model_strs;

/* ---- load balancer ------------------------------------------------------ */

typedef enum {
	GWS_MODEL_LB_APPLICATION = 0,
	GWS_MODEL_LB_NETWORK = 1,
} gws_model_lb_type;

typedef enum {
	GWS_MODEL_SUBNETS_DISCOVER = 0, /* the reconciler finds them by the usual subnet tags */
	GWS_MODEL_SUBNETS_EXPLICIT = 1, /* loadBalancerSubnets: ids or Name tags */
	GWS_MODEL_SUBNETS_SELECTOR = 2, /* loadBalancerSubnetsSelector: tag → allowed values */
} gws_model_subnets_mode;

typedef struct {
	const char *identifier; /* subnet id or Name tag */
	const char *eip_allocation;
	const char *private_ipv4_allocation;
	const char *ipv6_allocation;
	const char *source_nat_ipv6_prefix;
} gws_model_subnet;

typedef struct {
	const char *key;
	gws_model_strs values;
} gws_model_subnet_selector;

typedef struct {
	gws_model_subnets_mode mode;
	gws_model_subnet *subnets; /* EXPLICIT */
	size_t n_subnets;
	gws_model_subnet_selector *selector; /* SELECTOR, sorted by key */
	size_t n_selector;
} gws_model_subnets;

typedef enum {
	GWS_MODEL_SG_MANAGED = 0,  /* gwsync creates and owns one security group */
	GWS_MODEL_SG_EXPLICIT = 1, /* securityGroups: ids or names, not managed */
	GWS_MODEL_SG_NONE = 2,     /* NLB disableSecurityGroup */
} gws_model_sg_mode;

/* One ingress permission of the managed security group. */
typedef struct {
	const char *ip_protocol; /* "tcp", "udp", "icmp", "icmpv6" */
	int from_port;
	int to_port;
	const char *cidr_ipv4; /* exactly one of the three is set */
	const char *cidr_ipv6;
	const char *prefix_list_id;
} gws_model_sg_ingress;

typedef struct {
	gws_model_sg_mode mode;
	/* MANAGED */
	const char *id; /* "ManagedLBSecurityGroup" */
	const char *name;
	const char *description;
	gws_model_sg_ingress *ingress; /* sorted */
	size_t n_ingress;
	gws_model_kvs tags;
	/* EXPLICIT */
	gws_model_strs groups;
	bool manage_backend_rules;
} gws_model_security_groups;

typedef struct {
	const char *id;   /* "LoadBalancer" */
	const char *name; /* ≤ 32 characters */
	gws_model_lb_type type;
	const char *scheme;          /* "internal" | "internet-facing" */
	const char *ip_address_type; /* "ipv4" | "dualstack" | "dualstack-without-public-ipv4" */
	gws_model_subnets subnets;
	gws_model_security_groups security_groups;
	const char *customer_owned_ipv4_pool;
	const char *ipv4_ipam_pool_id;
	const char *enforce_sg_inbound_rules_on_private_link; /* "on" | "off" | NULL */
	gws_model_kvs attributes;
	gws_model_kvs tags; /* user tags + the four ownership tags (which always win) */
} gws_model_load_balancer;

/* ---- rule conditions (ELBv2 RuleCondition) ------------------------------ */

typedef enum {
	GWS_MODEL_COND_HOST_HEADER = 0,
	GWS_MODEL_COND_PATH_PATTERN,
	GWS_MODEL_COND_HTTP_HEADER,
	GWS_MODEL_COND_QUERY_STRING,
	GWS_MODEL_COND_HTTP_REQUEST_METHOD,
	GWS_MODEL_COND_SOURCE_IP,
} gws_model_condition_field;

typedef struct {
	const char *key; /* NULL: match the value under any key */
	const char *value;
} gws_model_query_value;

typedef struct {
	gws_model_condition_field field;
	/* HostHeaderConfig / PathPatternConfig / HttpHeaderConfig /
	 * HttpRequestMethodConfig / SourceIpConfig .Values */
	gws_model_strs values;
	/* HostHeaderConfig / PathPatternConfig / HttpHeaderConfig .RegexValues */
	gws_model_strs regex_values;
	const char *http_header_name;        /* HttpHeaderConfig.HttpHeaderName */
	gws_model_query_value *query_values; /* QueryStringConfig.Values */
	size_t n_query_values;
} gws_model_condition;

/* ---- actions (ELBv2 Action) --------------------------------------------- */

typedef enum {
	GWS_MODEL_ACTION_FORWARD = 0,
	GWS_MODEL_ACTION_REDIRECT,
	GWS_MODEL_ACTION_FIXED_RESPONSE,
	GWS_MODEL_ACTION_AUTHENTICATE_OIDC,
	GWS_MODEL_ACTION_AUTHENTICATE_COGNITO,
	GWS_MODEL_ACTION_JWT_VALIDATION,
} gws_model_action_type;

/* ForwardConfig.TargetGroups[] */
typedef struct {
	const char *target_group_id; /* "TargetGroupRef": a target group id of this stack */
	bool has_weight;             /* false: no Weight is sent */
	int weight;
} gws_model_tg_tuple;

typedef struct {
	gws_model_tg_tuple *target_groups;
	size_t n_target_groups;
	bool has_stickiness; /* TargetGroupStickinessConfig present */
	bool stickiness_enabled;
	bool has_stickiness_duration;
	int stickiness_duration_seconds;
} gws_model_forward_config;

/* RedirectConfig; NULL members are not sent (AWS keeps #{...}). */
typedef struct {
	const char *protocol;
	const char *port;
	const char *host;
	const char *path;
	const char *query;
	const char *status_code; /* "HTTP_301" | "HTTP_302" */
} gws_model_redirect_config;

typedef struct {
	const char *status_code; /* "404" */
	const char *content_type;
	const char *message_body;
} gws_model_fixed_response_config;

/* AuthenticateOidcConfig and AuthenticateCognitoConfig. Secrets are never in the
 * model: the OIDC client id/secret are named by their Kubernetes Secret. */
typedef struct {
	/* OIDC */
	const char *issuer;
	const char *authorization_endpoint;
	const char *token_endpoint;
	const char *user_info_endpoint;
	const char *client_secret_ref; /* "namespace/name" of the Secret */
	bool use_existing_client_secret;
	/* Cognito */
	const char *user_pool_arn;
	const char *user_pool_client_id;
	const char *user_pool_domain;
	/* both */
	const char *scope;
	const char *session_cookie_name;
	const char *on_unauthenticated_request;
	bool has_session_timeout;
	long long session_timeout;
	gws_model_kvs extra_params; /* AuthenticationRequestExtraParams */
} gws_model_authenticate_config;

typedef struct {
	const char *format;
	const char *name;
	gws_model_strs values;
} gws_model_jwt_claim;

typedef struct {
	const char *issuer;
	const char *jwks_endpoint;
	gws_model_jwt_claim *additional_claims;
	size_t n_additional_claims;
} gws_model_jwt_validation_config;

typedef struct {
	gws_model_action_type type;
	int order; /* 1-based Order */
	gws_model_forward_config *forward;
	gws_model_redirect_config *redirect;
	gws_model_fixed_response_config *fixed_response;
	gws_model_authenticate_config *authenticate_oidc;
	gws_model_authenticate_config *authenticate_cognito;
	gws_model_jwt_validation_config *jwt_validation;
} gws_model_action;

/* ---- transforms (ELBv2 RuleTransform) ----------------------------------- */

typedef enum {
	GWS_MODEL_TRANSFORM_HOST_HEADER_REWRITE = 0,
	GWS_MODEL_TRANSFORM_URL_REWRITE = 1,
} gws_model_transform_type;

typedef struct {
	const char *regex;
	const char *replace;
} gws_model_rewrite;

typedef struct {
	gws_model_transform_type type;
	gws_model_rewrite *rewrites; /* {Host,Url}RewriteConfig.Rewrites */
	size_t n_rewrites;
} gws_model_transform;

/* ---- listeners and rules ------------------------------------------------ */

typedef struct {
	const char *id; /* "<port>:<priority>" */
	int priority;
	gws_model_condition *conditions;
	size_t n_conditions;
	gws_model_action *actions;
	size_t n_actions;
	gws_model_transform *transforms;
	size_t n_transforms;
	gws_model_kvs tags;
	/* provenance, for reports: "HTTPRoute ns/name", rule and match index */
	const char *route;
	int rule_index;
	int match_index; /* -1 when the rule has no matches */
} gws_model_rule;

/* MutualAuthentication */
typedef struct {
	const char *mode;        /* off | passthrough | verify */
	const char *trust_store; /* name or ARN, as written */
	bool has_ignore_client_certificate_expiry;
	bool ignore_client_certificate_expiry;
	const char *advertise_trust_store_ca_names;
} gws_model_mutual_auth;

typedef struct {
	const char *id; /* "<port>" */
	int port;
	const char *protocol; /* HTTP HTTPS TCP UDP TLS TCP_UDP QUIC TCP_QUIC */
	gws_model_action *default_actions;
	size_t n_default_actions;
	gws_model_strs certificates; /* ARNs; the first is the default certificate */
	/* HTTPS/TLS listener without a configured certificate: the hostnames
	 * (listener and attached route hostnames on the port, sorted, unique,
	 * wildcards as written) for which sync discovers one in ACM. Empty when
	 * `certificates` is not; such a listener is never built without hostnames. */
	const char *const *cert_discovery_hosts;
	size_t n_cert_discovery_hosts;
	const char *ssl_policy;             /* NULL when none */
	const char *alpn_policy;            /* NULL when none */
	gws_model_mutual_auth *mutual_auth; /* NULL when none */
	gws_model_kvs attributes;
	gws_model_kvs tags;
	gws_model_rule **rules; /* ALB only, by priority */
	size_t n_rules;
} gws_model_listener;

/* ---- target groups ------------------------------------------------------ */

typedef struct {
	const char *protocol;          /* HTTP | HTTPS | TCP */
	const char *port;              /* "traffic-port" or a number */
	const char *path;              /* NULL for TCP */
	const char *matcher_http_code; /* NULL when none */
	const char *matcher_grpc_code;
	int interval_seconds;
	int timeout_seconds;
	int healthy_threshold;
	int unhealthy_threshold;
} gws_model_health_check;

typedef struct {
	const char *kind; /* "Service" */
	const char *namespace_;
	const char *name;
	int port; /* the backendRef port (the Service port) */
	/* NULL: the Service is in the repository. Else it was read from outside it
	 * (a cluster's Kubernetes API): where, as gws_manifest_add_external's
	 * origin ("https://… (KUBECONFIG context prod)"). */
	const char *source;
} gws_model_backend;

typedef struct {
	const char *id; /* <gwNs>/<gwName>:<routeNs>-<routeName>:<Kind>-<svcNs>-<svcName>:<port> */
	const char *name;
	const char *protocol;
	const char *protocol_version; /* NULL for NLB */
	int port;
	const char *target_type;     /* instance | ip */
	const char *ip_address_type; /* ipv4 | ipv6 */
	gws_model_health_check health_check;
	gws_model_kvs attributes;
	gws_model_kvs tags;
	bool has_target_control_port;
	int target_control_port;
	gws_model_backend backend;
	const char *route; /* "HTTPRoute ns/name" that produced it */
	/* What a TargetGroupBinding for it needs beyond the AWS settings: the port the
	 * targets listen on (the nodePort for instance targets, the Service targetPort,
	 * possibly a port name, for ip targets), the TargetGroupConfiguration
	 * nodeSelector (NULL: none) and enableMultiCluster. */
	const char *target_port;
	const gws_mf_label_selector *node_selector;
	bool multi_cluster;
} gws_model_target_group;

/* ---- stacks ------------------------------------------------------------- */

typedef struct {
	const char *gateway; /* "namespace/name" (the stack id) */
	const char *gateway_namespace;
	const char *gateway_name;
	gws_model_load_balancer load_balancer;
	gws_model_listener **listeners; /* by port */
	size_t n_listeners;
	gws_model_target_group **target_groups; /* by id */
	size_t n_target_groups;
	/* Non-NULL when the stack must not be applied (quota exceeded, L4/L7 mix,
	 * invalid configuration): the Gateway status says why. */
	const char *blocked;
} gws_model_stack;

/* ---- status ------------------------------------------------------------- */

#define GWS_MODEL_MAX_CONDITIONS 8

typedef struct {
	const char *type;
	const char *status; /* True | False | Unknown */
	const char *reason;
	const char *message;
} gws_model_status_condition;

typedef struct {
	gws_model_status_condition items[GWS_MODEL_MAX_CONDITIONS];
	size_t n;
} gws_model_conditions;

typedef struct {
	const char *group;
	const char *kind;
} gws_model_route_kind;

typedef struct {
	const char *name;
	gws_model_route_kind *supported_kinds;
	size_t n_supported_kinds;
	int attached_routes;
	gws_model_conditions conditions;
} gws_model_listener_status;

typedef struct {
	const gws_manifest_object *object;
	const char *controller_name;
	gws_model_conditions conditions;
	/* status.supportedFeatures: Gateway API feature names, sorted ascending */
	const char *const *supported_features;
	size_t n_supported_features;
} gws_model_gateway_class_status;

typedef struct {
	const gws_manifest_object *object;
	const char *controller_name;
	gws_model_conditions conditions;
	gws_model_listener_status *listeners; /* in spec order */
	size_t n_listeners;
	const gws_model_stack *stack; /* NULL when no stack was built */
} gws_model_gateway_status;

/* One status.parents[] entry: the defaulted parentRef and controllerName. */
typedef struct {
	const char *group;
	const char *kind;
	const char *namespace_; /* as written (NULL when omitted) */
	const char *name;
	const char *section_name;
	bool has_port;
	int port;
	const char *controller_name;
	gws_model_conditions conditions;
} gws_model_route_parent_status;

typedef struct {
	const gws_manifest_object *object;
	gws_model_route_parent_status **parents; /* in parentRefs order */
	size_t n_parents;
} gws_model_route_status;

/* ---- the model ---------------------------------------------------------- */

typedef struct gws_model gws_model;

/*
 * Builds every stack and every status from the store. Problems that a user
 * can fix are reported in the status (and as warnings in `diags`), never as
 * a failure. Returns < 0 only for operational failures (out of memory).
 */
int gws_model_build(gws_model **out, const gws_manifest_store *store, const gws_model_options *opts,
                    gws_diag_list *diags);
void gws_model_free(gws_model *model);

/* Stacks in Gateway (namespace, name) order. */
size_t gws_model_stack_count(const gws_model *model);
const gws_model_stack *gws_model_stack_at(const gws_model *model, size_t index);
/* NULL when the Gateway has no stack. */
const gws_model_stack *gws_model_stack_find(const gws_model *model, const char *ns,
                                            const char *name);

/* Status of the objects gwsync handles, each in (namespace, name) order. */
size_t gws_model_gateway_class_status_count(const gws_model *model);
const gws_model_gateway_class_status *gws_model_gateway_class_status_at(const gws_model *model,
                                                                        size_t index);
size_t gws_model_gateway_status_count(const gws_model *model);
const gws_model_gateway_status *gws_model_gateway_status_at(const gws_model *model, size_t index);
/* Routes of every kind, by (kind, namespace, name); only routes with at least one parent
 * entry (a parentRef naming a Gateway gwsync handles). */
size_t gws_model_route_status_count(const gws_model *model);
const gws_model_route_status *gws_model_route_status_at(const gws_model *model, size_t index);

/* The effective cluster name. */
const char *gws_model_cluster(const gws_model *model);

/* ELBv2 spellings: "host-header", "forward", "url-rewrite", "application". */
const char *gws_model_condition_field_name(gws_model_condition_field field);
const char *gws_model_action_type_name(gws_model_action_type type);
const char *gws_model_transform_type_name(gws_model_transform_type type);
const char *gws_model_lb_type_name(gws_model_lb_type type);

/*
 * The render document (`gwsync render -o json`, docs/render.md), appended to `out`:
 * two-space indented JSON, keys in a fixed order, byte-identical for
 * identical input. `diags` may be NULL; its items are rendered sorted.
 */
int gws_model_render_json(gws_buf *out, const gws_model *model, const gws_diag_list *diags);

/* The same document written to `out` as it is produced (for large models: no
 * whole-document buffer). GWS_EIO when writing fails. */
int gws_model_write_json(FILE *out, const gws_model *model, const gws_diag_list *diags);

/* The same document as YAML (libyaml emitter); strings that would read back as
 * another type are quoted. */
int gws_model_render_yaml(gws_buf *out, const gws_model *model, const gws_diag_list *diags);

/* A short human summary per Gateway (listeners, rules, target groups, problems), for
 * `gwsync validate`. */
int gws_model_render_summary(gws_buf *out, const gws_model *model);

#endif
