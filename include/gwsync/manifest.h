/*
 * gwsync manifest: reads Kubernetes manifests from a directory tree into
 * typed, defaulted and validated objects, each with its source position.
 *
 * OWNERSHIP: the loader owns the typed structs section below (issue 2).
 * Everything after "typed objects" may be reshaped by the manifest module;
 * the entry points at the top are what the CLI and the model call.
 */
#ifndef GWSYNC_MANIFEST_H
#define GWSYNC_MANIFEST_H

#include "gwsync/core.h"

typedef struct gws_manifest_store gws_manifest_store;

typedef struct {
	const char *root; /* repository root directory; paths in diagnostics are relative to it */
	const char *path; /* sub-directory of root to read, NULL for all of it */
	size_t max_file_size; /* per file; 0 means GWS_CAP_YAML_FILE */
} gws_manifest_options;

#define GWS_MANIFEST_OPTIONS_INIT                                                                  \
	{                                                                                          \
		NULL, NULL, 0                                                                      \
	}

/*
 * Loads, defaults and validates every *.yaml / *.yml below root/path.
 * Problems in the manifests are added to `diags` (all of them, not just the
 * first) and do not make this fail: the store then holds what could be read.
 * Returns < 0 only for operational failures (root unreadable, out of memory).
 *
 * Behaviour (decided here, tested in tests/unit/test_manifest_*.c):
 *  - files: sorted byte-wise by path; dot-files and dot-directories skipped;
 *    links to files inside the repository followed, links to directories
 *    not; nothing else is skipped silently: directories deeper than 64
 *    levels, paths over PATH_MAX, dangling or looping links, links leaving
 *    the repository or into a hidden path (.git), FIFOs and devices (never
 *    opened) are each a diagnostic, an error where a manifest may be lost
 *    (docs/manifests.md); root/path itself must be a directory or a regular
 *    file (GWS_EINVALID otherwise); each file capped at
 *    max_file_size (error naming the size), checked for UTF-8 and control
 *    characters (error at the exact line:col; the file is not parsed);
 *  - YAML: libyaml, multi-document, empty documents skipped, `kind: List`
 *    expanded; per document at most 1,000,000 nodes with every alias counted
 *    at its full size (aliases are shared, never copied) and at most 64
 *    levels of nesting (deeper stops the file); duplicate keys are errors
 *    naming both positions (the first value is kept); merge keys (<<) are
 *    errors;
 *  - scalars as kubectl sends them: quoted "80" is a string (an error for an
 *    integer field), unquoted 80 an integer (an error for a string field),
 *    null or empty means absent; unquoted yes/no/on/off count as booleans
 *    for boolean fields only;
 *  - kinds: a known kind in its own group with an unsupported apiVersion is
 *    an error; any other kind (or a known kind name in another group, e.g.
 *    an Istio Gateway) is counted in stats.ignored;
 *  - unknown fields are warnings (kubectl's default "warn" field validation),
 *    except under Service.spec (many core fields gwsync does not read);
 *    status is ignored;
 *  - objects without metadata.name, or with a name over 253 bytes or a
 *    namespace over 63, are errors and dropped; namespaced ones
 *    without a namespace get "default"; a namespace on a cluster-scoped kind
 *    is a warning and dropped; duplicates (same kind, namespace, name) are
 *    one error naming both places, and the first in file order is kept.
 */
int gws_manifest_load(gws_manifest_store **out, const gws_manifest_options *opts,
                      gws_diag_list *diags);
void gws_manifest_store_free(gws_manifest_store *store);

/* ---- typed objects (owned by the manifest module) ---------------------- */

/*
 * Conventions for everything below:
 *  - field names are the JSON names in snake_case (spec.listeners[].allowedRoutes
 *    is `allowed_routes`);
 *  - strings are `const char *`, NULL when absent ("" is a present empty string);
 *  - optional scalars are gws_mf_int / gws_mf_bool with a `set` flag, so absent
 *    differs from zero; optional sub-objects are pointers, NULL when absent;
 *  - arrays are `items` + `n_items`;
 *  - after gws_manifest_load every CRD default is filled in (Gateway API and
 *    gateway.k8s.aws CRDs, docs/gateway-rules.md), so a backendRef always has group, kind and
 *    weight, a listener always has allowed_routes->namespaces->from;
 *  - everything is allocated in the store's arena and lives as long as it;
 *  - the typed spec structs use the short prefix gws_mf_.
 */

typedef struct {
	bool set;
	int64_t value;
} gws_mf_int;

typedef struct {
	bool set;
	bool value;
} gws_mf_bool;

typedef enum {
	GWS_MF_INTSTR_ABSENT = 0,
	GWS_MF_INTSTR_INT = 1,
	GWS_MF_INTSTR_STRING = 2,
} gws_mf_intstr_type;

/* Kubernetes IntOrString (Service targetPort). */
typedef struct {
	gws_mf_intstr_type type;
	int64_t int_value;
	const char *str_value;
} gws_mf_int_or_string;

/* One entry of a map[string]string (labels, annotations, tags, options), in document order. */
typedef struct {
	const char *key;
	const char *value;
} gws_mf_kv;

/* One entry of a map[string][]string (loadBalancerSubnetsSelector). */
typedef struct {
	const char *key;
	const char **values;
	size_t n_values;
} gws_mf_kvlist;

/* {key, value} list items (loadBalancerAttributes, targetGroupAttributes, listenerAttributes). */
typedef gws_mf_kv gws_mf_attribute;

/* ---- shared Kubernetes shapes ---- */

typedef struct {
	const char *key;
	const char *operator_; /* In, NotIn, Exists, DoesNotExist */
	const char **values;
	size_t n_values;
} gws_mf_label_requirement;

/* metav1.LabelSelector. A NULL pointer to it is a nil selector; an empty one matches all. */
typedef struct {
	gws_mf_kv *match_labels;
	size_t n_match_labels;
	gws_mf_label_requirement *match_expressions;
	size_t n_match_expressions;
} gws_mf_label_selector;

typedef struct {
	const char *name;
	const char *namespace_; /* NULL for cluster-scoped kinds; "default" when omitted */
	gws_mf_kv *labels;
	size_t n_labels;
	gws_mf_kv *annotations;
	size_t n_annotations;
	const char *creation_timestamp; /* RFC 3339 as written, NULL when absent */
	gws_mf_int generation;
	const char *uid;
} gws_mf_meta;

/* ---- Gateway API references ---- */

/* ParentReference; group/kind defaulted to gateway.networking.k8s.io / Gateway. */
typedef struct {
	const char *group;
	const char *kind;
	const char *namespace_; /* NULL: the route's namespace */
	const char *name;
	const char *section_name;
	gws_mf_int port;
} gws_mf_parent_ref;

/* SecretObjectReference / ObjectReference (certificateRefs, caCertificateRefs,
 * clientCertificateRef). */
typedef struct {
	const char *group; /* defaulted "" for certificateRefs */
	const char *kind;  /* defaulted "Secret" for certificateRefs */
	const char *name;
	const char *namespace_;
} gws_mf_object_ref;

/* LocalObjectReference / LocalParametersReference (extensionRef, infrastructure.parametersRef). */
typedef struct {
	const char *group;
	const char *kind;
	const char *name;
} gws_mf_local_ref;

/* GatewayClass parametersRef (may carry a namespace). */
typedef struct {
	const char *group;
	const char *kind;
	const char *name;
	const char *namespace_;
} gws_mf_parameters_ref;

/* BackendObjectReference (requestMirror.backendRef, externalAuth.backendRef). */
typedef struct {
	const char *group; /* defaulted "" */
	const char *kind;  /* defaulted "Service" */
	const char *name;
	const char *namespace_;
	gws_mf_int port;
} gws_mf_backend_object_ref;

/* ---- GatewayClass ---- */

typedef struct {
	const char *controller_name;
	gws_mf_parameters_ref *parameters_ref;
	const char *description;
} gws_mf_gateway_class;

/* ---- Gateway and ListenerSet listeners ---- */

typedef struct {
	const char *from; /* defaulted "Same" (allowedRoutes) / "None" (allowedListeners) */
	gws_mf_label_selector *selector;
} gws_mf_route_namespaces;

typedef struct {
	const char *group; /* defaulted gateway.networking.k8s.io */
	const char *kind;
} gws_mf_route_group_kind;

typedef struct {
	gws_mf_route_namespaces *namespaces; /* always set after defaults */
	gws_mf_route_group_kind *kinds;
	size_t n_kinds;
	bool has_kinds; /* the kinds list was written (possibly empty) */
} gws_mf_allowed_routes;

typedef struct {
	gws_mf_object_ref *ca_certificate_refs;
	size_t n_ca_certificate_refs;
	const char *mode; /* defaulted "AllowValidOnly" */
} gws_mf_frontend_validation;

typedef struct {
	const char *mode; /* defaulted "Terminate" */
	gws_mf_object_ref *certificate_refs;
	size_t n_certificate_refs;
	gws_mf_kv *options;
	size_t n_options;
	gws_mf_frontend_validation *frontend_validation; /* experimental listener-level form */
} gws_mf_listener_tls;

/* A Gateway listener or a ListenerSet listener entry (same shape). */
typedef struct {
	const char *name;
	const char *hostname;
	gws_mf_int port;
	const char *protocol;
	gws_mf_listener_tls *tls;
	gws_mf_allowed_routes *allowed_routes; /* always set after defaults */
} gws_mf_listener;

typedef struct {
	const char *type; /* defaulted "IPAddress" */
	const char *value;
} gws_mf_gateway_address;

typedef struct {
	gws_mf_kv *labels;
	size_t n_labels;
	gws_mf_kv *annotations;
	size_t n_annotations;
	gws_mf_local_ref *parameters_ref;
} gws_mf_infrastructure;

typedef struct {
	gws_mf_route_namespaces *namespaces; /* always set after defaults, from "None" */
} gws_mf_allowed_listeners;

typedef struct {
	gws_mf_int port;
	gws_mf_frontend_validation *validation; /* perPort[].tls.validation */
} gws_mf_tls_per_port;

/* Gateway.spec.tls */
typedef struct {
	gws_mf_object_ref *backend_client_certificate_ref; /* tls.backend.clientCertificateRef */
	gws_mf_frontend_validation
	        *frontend_default_validation;   /* tls.frontend.default.validation */
	gws_mf_tls_per_port *frontend_per_port; /* tls.frontend.perPort */
	size_t n_frontend_per_port;
} gws_mf_gateway_tls;

typedef struct {
	const char *gateway_class_name;
	gws_mf_listener *listeners;
	size_t n_listeners;
	gws_mf_gateway_address *addresses;
	size_t n_addresses;
	gws_mf_infrastructure *infrastructure;
	gws_mf_allowed_listeners *allowed_listeners; /* always set after defaults */
	gws_mf_gateway_tls *tls;
} gws_mf_gateway;

typedef struct {
	gws_mf_parent_ref parent_ref; /* group/kind defaulted */
	gws_mf_listener *listeners;
	size_t n_listeners;
} gws_mf_listener_set;

/* ---- route filters ---- */

typedef struct {
	const char *name;
	const char *value;
} gws_mf_header;

typedef struct {
	gws_mf_header *set;
	size_t n_set;
	gws_mf_header *add;
	size_t n_add;
	const char **remove;
	size_t n_remove;
} gws_mf_header_modifier;

typedef struct {
	const char *type; /* ReplaceFullPath | ReplacePrefixMatch */
	const char *replace_full_path;
	const char *replace_prefix_match;
} gws_mf_path_modifier;

typedef struct {
	const char *scheme;
	const char *hostname;
	gws_mf_path_modifier *path;
	gws_mf_int port;
	gws_mf_int status_code; /* defaulted 302 */
} gws_mf_request_redirect;

typedef struct {
	const char *hostname;
	gws_mf_path_modifier *path;
} gws_mf_url_rewrite;

typedef struct {
	gws_mf_int numerator;
	gws_mf_int denominator; /* defaulted 100 */
} gws_mf_fraction;

typedef struct {
	gws_mf_backend_object_ref backend_ref;
	gws_mf_int percent;
	gws_mf_fraction *fraction;
} gws_mf_request_mirror;

typedef struct {
	const char **allow_origins;
	size_t n_allow_origins;
	gws_mf_bool allow_credentials;
	const char **allow_methods;
	size_t n_allow_methods;
	const char **allow_headers;
	size_t n_allow_headers;
	const char **expose_headers;
	size_t n_expose_headers;
	gws_mf_int max_age; /* defaulted 5 */
} gws_mf_cors;

typedef struct {
	const char *protocol; /* GRPC | HTTP */
	gws_mf_backend_object_ref backend_ref;
	/* grpc */
	bool has_grpc;
	const char **grpc_allowed_headers;
	size_t n_grpc_allowed_headers;
	/* http */
	bool has_http;
	const char *http_path;
	const char **http_allowed_headers;
	size_t n_http_allowed_headers;
	const char **http_allowed_response_headers;
	size_t n_http_allowed_response_headers;
	/* forwardBody */
	gws_mf_int forward_body_max_size;
} gws_mf_external_auth;

/* HTTPRouteFilter / GRPCRouteFilter: `type` plus the one matching member. */
typedef struct {
	const char *type;
	gws_mf_header_modifier *request_header_modifier;
	gws_mf_header_modifier *response_header_modifier;
	gws_mf_request_mirror *request_mirror;
	gws_mf_request_redirect *request_redirect;
	gws_mf_url_rewrite *url_rewrite;
	gws_mf_local_ref *extension_ref;
	gws_mf_cors *cors;
	gws_mf_external_auth *external_auth;
} gws_mf_filter;

/* ---- backends ---- */

/* BackendRef of every route kind; filters only on HTTP/GRPC routes. */
typedef struct {
	const char *group; /* defaulted "" */
	const char *kind;  /* defaulted "Service" */
	const char *name;
	const char *namespace_;
	gws_mf_int port;
	gws_mf_int weight; /* defaulted 1 */
	gws_mf_filter *filters;
	size_t n_filters;
} gws_mf_backend_ref;

/* ---- HTTPRoute ---- */

typedef struct {
	const char *type;  /* defaulted "PathPrefix" */
	const char *value; /* defaulted "/" */
} gws_mf_path_match;

/* HTTP header / query param / gRPC header match. */
typedef struct {
	const char *type; /* defaulted "Exact" */
	const char *name;
	const char *value;
} gws_mf_value_match;

typedef struct {
	gws_mf_path_match *path; /* always set after defaults */
	gws_mf_value_match *headers;
	size_t n_headers;
	gws_mf_value_match *query_params;
	size_t n_query_params;
	const char *method;
} gws_mf_http_match;

typedef struct {
	const char *request;
	const char *backend_request;
} gws_mf_timeouts;

typedef struct {
	int64_t *codes;
	size_t n_codes;
	gws_mf_int attempts;
	const char *backoff;
} gws_mf_retry;

typedef struct {
	const char *session_name;
	const char *absolute_timeout;
	const char *idle_timeout;
	const char *type;                 /* defaulted "Cookie" */
	const char *cookie_lifetime_type; /* cookieConfig.lifetimeType, defaulted "Session" */
} gws_mf_session_persistence;

typedef struct {
	const char *name;
	gws_mf_http_match *matches; /* defaulted to one PathPrefix "/" match when omitted */
	size_t n_matches;
	gws_mf_filter *filters;
	size_t n_filters;
	gws_mf_backend_ref *backend_refs;
	size_t n_backend_refs;
	gws_mf_timeouts *timeouts;
	gws_mf_retry *retry;
	gws_mf_session_persistence *session_persistence;
} gws_mf_http_rule;

typedef struct {
	gws_mf_parent_ref *parent_refs;
	size_t n_parent_refs;
	const char **hostnames;
	size_t n_hostnames;
	gws_mf_http_rule *rules; /* defaulted to one rule when omitted */
	size_t n_rules;
} gws_mf_http_route;

/* ---- GRPCRoute ---- */

typedef struct {
	const char *type; /* defaulted "Exact" */
	const char *service;
	const char *method;
} gws_mf_grpc_method_match;

typedef struct {
	gws_mf_grpc_method_match *method;
	gws_mf_value_match *headers;
	size_t n_headers;
} gws_mf_grpc_match;

typedef struct {
	const char *name;
	gws_mf_grpc_match *matches; /* not defaulted: empty matches every request */
	size_t n_matches;
	gws_mf_filter *filters;
	size_t n_filters;
	gws_mf_backend_ref *backend_refs;
	size_t n_backend_refs;
	gws_mf_session_persistence *session_persistence;
} gws_mf_grpc_rule;

typedef struct {
	gws_mf_parent_ref *parent_refs;
	size_t n_parent_refs;
	const char **hostnames;
	size_t n_hostnames;
	gws_mf_grpc_rule *rules;
	size_t n_rules;
} gws_mf_grpc_route;

/* ---- TCPRoute, UDPRoute, TLSRoute ---- */

typedef struct {
	const char *name;
	gws_mf_backend_ref *backend_refs;
	size_t n_backend_refs;
} gws_mf_l4_rule;

/* TCPRoute and UDPRoute (hostnames always empty) and TLSRoute. */
typedef struct {
	gws_mf_parent_ref *parent_refs;
	size_t n_parent_refs;
	const char **hostnames; /* TLSRoute only */
	size_t n_hostnames;
	gws_mf_l4_rule *rules;
	size_t n_rules;
} gws_mf_l4_route;

/* ---- ReferenceGrant ---- */

typedef struct {
	const char *group;
	const char *kind;
	const char *namespace_;
} gws_mf_grant_from;

typedef struct {
	const char *group;
	const char *kind;
	const char *name; /* NULL: every object of the kind */
} gws_mf_grant_to;

typedef struct {
	gws_mf_grant_from *from;
	size_t n_from;
	gws_mf_grant_to *to;
	size_t n_to;
} gws_mf_reference_grant;

/* ---- core/v1 Service (Namespace has no spec: its labels are in metadata) ---- */

typedef struct {
	const char *name;
	const char *protocol; /* not defaulted: NULL means TCP */
	const char *app_protocol;
	gws_mf_int port;
	gws_mf_int_or_string target_port;
	gws_mf_int node_port;
} gws_mf_service_port;

typedef struct {
	const char *type; /* NULL means ClusterIP */
	gws_mf_service_port *ports;
	size_t n_ports;
	gws_mf_kv *selector;
	size_t n_selector;
	const char *external_traffic_policy;
	gws_mf_int health_check_node_port; /* kube-proxy's /healthz port (ETP=Local) */
	const char *cluster_ip;
	const char *external_name;
	const char **ip_families; /* "IPv4" / "IPv6", the primary first; none: the cluster's */
	size_t n_ip_families;
} gws_mf_service;

/* ---- gateway.k8s.aws LoadBalancerConfiguration (docs/lbc-mapping.md) ---- */

typedef struct {
	const char *identifier;
	const char *eip_allocation;
	const char *private_ipv4_allocation;
	const char *ipv6_allocation;
	const char *source_nat_ipv6_prefix;
} gws_mf_lb_subnet;

typedef struct {
	const char *mode; /* off | passthrough | verify */
	const char *trust_store;
	gws_mf_bool ignore_client_certificate_expiry;
	const char *advertise_trust_store_ca_names; /* on | off */
} gws_mf_mutual_auth;

typedef struct {
	const char *protocol_port;
	const char *default_certificate;
	const char **certificates;
	size_t n_certificates;
	const char *ssl_policy;
	const char *alpn_policy; /* defaulted "None" */
	gws_mf_bool target_group_stickiness;
	gws_mf_mutual_auth *mutual_authentication;
	gws_mf_attribute *listener_attributes;
	size_t n_listener_attributes;
	gws_mf_bool quic_enabled;
} gws_mf_lb_listener_config;

typedef struct {
	const char *merging_mode;
	const char *load_balancer_name;
	const char *scheme;
	const char *ip_address_type;
	const char *enforce_security_group_inbound_rules_on_private_link_traffic;
	const char *customer_owned_ipv4_pool;
	const char *ipv4_ipam_pool_id;
	gws_mf_lb_subnet *load_balancer_subnets;
	size_t n_load_balancer_subnets;
	bool has_load_balancer_subnets_selector;
	gws_mf_kvlist *load_balancer_subnets_selector;
	size_t n_load_balancer_subnets_selector;
	gws_mf_lb_listener_config *listener_configurations;
	size_t n_listener_configurations;
	gws_mf_bool disable_security_group;
	bool has_security_groups; /* the list was written (possibly empty) */
	const char **security_groups;
	size_t n_security_groups;
	bool has_security_group_prefixes;
	const char **security_group_prefixes;
	size_t n_security_group_prefixes;
	bool has_source_ranges;
	const char **source_ranges;
	size_t n_source_ranges;
	gws_mf_attribute *load_balancer_attributes;
	size_t n_load_balancer_attributes;
	gws_mf_kv *tags;
	size_t n_tags;
	gws_mf_bool enable_icmp;
	gws_mf_bool manage_backend_security_group_rules;
	gws_mf_int minimum_capacity_units; /* minimumLoadBalancerCapacity.capacityUnits */
	bool has_minimum_load_balancer_capacity;
	const char *waf_v2_web_acl; /* wafV2.webACL */
	bool has_waf_v2;
	gws_mf_bool shield_enabled; /* shieldConfiguration.enabled */
	bool has_shield_configuration;
	const char *default_target_group_configuration; /* defaultTargetGroupConfiguration.name */
} gws_mf_lb_config;

/* ---- gateway.k8s.aws TargetGroupConfiguration (docs/lbc-mapping.md) ---- */

typedef struct {
	const char *http_code;
	const char *grpc_code;
} gws_mf_hc_matcher;

typedef struct {
	gws_mf_int healthy_threshold_count;
	gws_mf_int health_check_interval;
	const char *health_check_path;
	const char *health_check_port;
	const char *health_check_protocol;
	gws_mf_int health_check_timeout;
	gws_mf_int unhealthy_threshold_count;
	gws_mf_hc_matcher *matcher;
} gws_mf_health_check;

typedef struct {
	const char *target_group_name;
	const char *ip_address_type;
	gws_mf_health_check *health_check_config;
	gws_mf_label_selector *node_selector;
	gws_mf_attribute *target_group_attributes;
	size_t n_target_group_attributes;
	const char *target_type;
	const char *protocol;
	const char *protocol_version;
	gws_mf_int target_control_port;
	gws_mf_bool enable_multi_cluster;
	bool has_tags;
	gws_mf_kv *tags;
	size_t n_tags;
} gws_mf_tg_props;

typedef struct {
	const char *kind;
	const char *namespace_;
	const char *name;
} gws_mf_route_identifier;

typedef struct {
	gws_mf_route_identifier route_identifier;
	gws_mf_tg_props target_group_props;
} gws_mf_tg_route_config;

typedef struct {
	const char *group; /* defaulted "" */
	const char *kind;  /* defaulted "Service" */
	const char *name;
} gws_mf_target_reference;

typedef struct {
	gws_mf_target_reference *target_reference; /* NULL: usable only as an LBC default */
	gws_mf_tg_props *default_configuration;
	gws_mf_tg_route_config *route_configurations;
	size_t n_route_configurations;
} gws_mf_tg_config;

/* ---- gateway.k8s.aws ListenerRuleConfiguration (docs/lbc-mapping.md) ---- */

typedef struct {
	gws_mf_int duration_seconds; /* defaulted 3600 */
	gws_mf_bool enabled;         /* defaulted false */
} gws_mf_tg_stickiness;

typedef struct {
	gws_mf_tg_stickiness *target_group_stickiness_config;
} gws_mf_forward_config;

typedef struct {
	const char *query; /* defaulted "#{query}" */
} gws_mf_redirect_config;

typedef struct {
	gws_mf_int status_code;
	const char *content_type; /* defaulted "text/plain" */
	const char *message_body;
} gws_mf_fixed_response_config;

/* Shared by authenticateCognitoConfig and authenticateOIDCConfig. */
typedef struct {
	/* cognito */
	const char *user_pool_arn;
	const char *user_pool_client_id;
	const char *user_pool_domain;
	/* oidc */
	const char *authorization_endpoint;
	const char *secret_name; /* secret.name */
	const char *issuer;
	const char *token_endpoint;
	const char *user_info_endpoint;
	gws_mf_bool use_existing_client_secret;
	/* both */
	const char *scope; /* defaulted "openid" */
	gws_mf_kv *authentication_request_extra_params;
	size_t n_authentication_request_extra_params;
	const char *on_unauthenticated_request; /* defaulted "authenticate" */
	const char *session_cookie_name;        /* defaulted "AWSELBAuthSessionCookie" */
	gws_mf_int session_timeout;             /* defaulted 604800 */
} gws_mf_authenticate_config;

typedef struct {
	const char *format;
	const char *name;
	const char **values;
	size_t n_values;
} gws_mf_jwt_claim;

typedef struct {
	const char *issuer;
	const char *jwks_endpoint;
	gws_mf_jwt_claim *additional_claims;
	size_t n_additional_claims;
} gws_mf_jwt_validation_config;

typedef struct {
	const char *type;
	gws_mf_forward_config *forward_config;
	gws_mf_redirect_config *redirect_config;
	gws_mf_fixed_response_config *fixed_response_config;
	gws_mf_authenticate_config *authenticate_cognito_config;
	gws_mf_authenticate_config *authenticate_oidc_config;
	gws_mf_jwt_validation_config *jwt_validation_config;
} gws_mf_lrc_action;

typedef struct {
	const char *field; /* source-ip */
	bool has_source_ip_config;
	const char **source_ip_values; /* sourceIPConfig.values */
	size_t n_source_ip_values;
	bool has_match_indexes;
	int64_t *match_indexes;
	size_t n_match_indexes;
} gws_mf_lrc_condition;

typedef struct {
	gws_mf_lrc_action *actions;
	size_t n_actions;
	gws_mf_lrc_condition *conditions;
	size_t n_conditions;
	gws_mf_kv *tags;
	size_t n_tags;
} gws_mf_lrc_config;

/* ---- objects and the store ---- */

typedef enum {
	GWS_KIND_GATEWAY_CLASS = 0,
	GWS_KIND_GATEWAY,
	GWS_KIND_HTTP_ROUTE,
	GWS_KIND_GRPC_ROUTE,
	GWS_KIND_TCP_ROUTE,
	GWS_KIND_UDP_ROUTE,
	GWS_KIND_TLS_ROUTE,
	GWS_KIND_REFERENCE_GRANT,
	GWS_KIND_LISTENER_SET,
	GWS_KIND_SERVICE,
	GWS_KIND_NAMESPACE,
	GWS_KIND_LOAD_BALANCER_CONFIGURATION,
	GWS_KIND_TARGET_GROUP_CONFIGURATION,
	GWS_KIND_LISTENER_RULE_CONFIGURATION,
	GWS_KIND__COUNT
} gws_manifest_kind;

typedef struct gws_manifest_object {
	gws_manifest_kind kind;
	const char *api_version; /* as written: "gateway.networking.k8s.io/v1beta1" */
	const char *group;       /* "" for core/v1 */
	const char *version;     /* "v1", "v1beta1", "v1alpha2", ... */
	gws_mf_meta meta;
	const char *file;   /* relative to the repository root; for an external
	                     * object, where it was read (gws_manifest_add_external) */
	bool external;      /* added by gws_manifest_add_external: not in the repository */
	unsigned doc_index; /* 0-based document index in the file */
	unsigned line;      /* 1-based position of the document's root mapping */
	unsigned column;
	const char *ref; /* "Kind ns/name" or "Kind name" (cluster-scoped), for diagnostics */
	union {
		void *any; /* NULL for Namespace */
		gws_mf_gateway_class *gateway_class;
		gws_mf_gateway *gateway;
		gws_mf_http_route *http_route;
		gws_mf_grpc_route *grpc_route;
		gws_mf_l4_route *tcp_route; /* TCPRoute, UDPRoute and TLSRoute share one shape */
		gws_mf_l4_route *udp_route;
		gws_mf_l4_route *tls_route;
		gws_mf_reference_grant *reference_grant;
		gws_mf_listener_set *listener_set;
		gws_mf_service *service;
		gws_mf_lb_config *lb_config;
		gws_mf_tg_config *tg_config;
		gws_mf_lrc_config *lrc_config;
	} spec;
	const void *node_; /* private: the document's position index (NULL: none) */
	unsigned pos_;     /* private: where the object's entry is in it */
} gws_manifest_object;

/* "HTTPRoute", ... */
const char *gws_manifest_kind_name(gws_manifest_kind kind);
/* The Gateway API / core / AWS group of a kind ("" for Service and Namespace). */
const char *gws_manifest_kind_group(gws_manifest_kind kind);
/* False for GatewayClass and Namespace. */
bool gws_manifest_kind_namespaced(gws_manifest_kind kind);
/* GWS_KIND__COUNT when the name is not a kind gwsync reads. */
gws_manifest_kind gws_manifest_kind_from_name(const char *name);

/*
 * Objects from outside the repository (Services read from a cluster): `data`
 * is YAML or JSON (a `kind: List` is expanded), loaded and validated like a
 * file named `origin`; of its objects, those of kind `kind` that the store
 * does not hold already are added (the repository wins), the rest is
 * dropped. Problems are reported as warnings: these objects were never part
 * of the desired state. *added counts the objects added (may be NULL).
 * Returns < 0 only for ENOMEM. Call before the model is built.
 */
int gws_manifest_add_external(gws_manifest_store *store, const char *origin, const char *data,
                              size_t len, gws_manifest_kind kind, gws_diag_list *diags,
                              size_t *added);

/* Objects of one kind, sorted by (namespace, name): independent of file names and order. */
size_t gws_manifest_count(const gws_manifest_store *store, gws_manifest_kind kind);
const gws_manifest_object *gws_manifest_at(const gws_manifest_store *store, gws_manifest_kind kind,
                                           size_t index);
/* NULL when absent. `namespace_` is ignored (may be NULL) for cluster-scoped kinds. */
const gws_manifest_object *gws_manifest_find(const gws_manifest_store *store,
                                             gws_manifest_kind kind, const char *namespace_,
                                             const char *name);

typedef struct {
	size_t files;     /* YAML files read */
	size_t documents; /* non-empty documents */
	size_t objects;   /* objects kept in the store */
	size_t ignored;   /* documents of kinds gwsync does not read */
	/* memory: each document's YAML node tree is freed once converted, so the
	 * node memory peaks at one document per loader thread, whatever the
	 * number of documents; the position index stays (docs/manifests.md) */
	size_t node_bytes_peak; /* the most node memory one loader thread held */
	size_t index_bytes;     /* position index kept for diagnostics */
} gws_manifest_stats;

void gws_manifest_get_stats(const gws_manifest_store *store, gws_manifest_stats *out);

/*
 * Position of a field path ("metadata.name", "spec.listeners[0].port",
 * "spec.infrastructure.labels.team") in the object's source. When the path
 * does not exist as written (a defaulted field, a missing field), the nearest
 * existing parent's position is given and the function returns false; true
 * when the exact path exists. NULL or "" path: the object itself.
 */
bool gws_manifest_object_pos(const gws_manifest_object *obj, const char *path, unsigned *line,
                             unsigned *column);
/* True when `path` was written in the source (not defaulted, not absent). */
bool gws_manifest_object_has(const gws_manifest_object *obj, const char *path);

/*
 * Adds a diagnostic about `obj` at `path` (see gws_manifest_object_pos for
 * the position used), with the object's file and "Kind ns/name".
 * Returns gws_diag_add's result.
 */
int gws_manifest_diag(gws_diag_list *diags, const gws_manifest_object *obj,
                      gws_diag_severity severity, const char *path, const char *fmt, ...)
        GWS_PRINTF(5, 6);

#endif
