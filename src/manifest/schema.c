/*
 * The schemas of every kind gwsync reads (docs/gateway-rules.md lists them),
 * as field tables for the converter. Fields that exist in the CRDs but that
 * gwsync does not use are listed as IGNORE so they do not draw an
 * unknown-field warning.
 */
#include "manifest/schema.h"

#define FIELD(json, ft, off, offn, offhas, sub)                                                    \
	{                                                                                          \
		json, sizeof(json) - 1, ft, off, offn, offhas, sub                                 \
	}
#define STR(json, T, m)       FIELD(json, GWS_MF_FT_STR, offsetof(T, m), 0, GWS_MF_NO_HAS, NULL)
#define INT(json, T, m)       FIELD(json, GWS_MF_FT_INT, offsetof(T, m), 0, GWS_MF_NO_HAS, NULL)
#define BOOLF(json, T, m)     FIELD(json, GWS_MF_FT_BOOL, offsetof(T, m), 0, GWS_MF_NO_HAS, NULL)
#define INTSTR(json, T, m)    FIELD(json, GWS_MF_FT_INTSTR, offsetof(T, m), 0, GWS_MF_NO_HAS, NULL)
#define OBJ(json, T, m, sub)  FIELD(json, GWS_MF_FT_OBJ, offsetof(T, m), 0, GWS_MF_NO_HAS, &sub)
#define NEST(json, T, m, sub) FIELD(json, GWS_MF_FT_NESTED, offsetof(T, m), 0, GWS_MF_NO_HAS, &sub)
/* a sub-mapping whose fields are stored directly in the parent struct */
#define FLAT(json, sub)             FIELD(json, GWS_MF_FT_NESTED, 0, 0, GWS_MF_NO_HAS, &sub)
#define FLAT_HAS(json, T, has, sub) FIELD(json, GWS_MF_FT_NESTED, 0, 0, offsetof(T, has), &sub)
#define ARR(json, T, m, sub)                                                                       \
	FIELD(json, GWS_MF_FT_ARR_OBJ, offsetof(T, m), offsetof(T, n_##m), GWS_MF_NO_HAS, &sub)
#define ARR_HAS(json, T, m, has, sub)                                                              \
	FIELD(json, GWS_MF_FT_ARR_OBJ, offsetof(T, m), offsetof(T, n_##m), offsetof(T, has), &sub)
#define STRS(json, T, m)                                                                           \
	FIELD(json, GWS_MF_FT_ARR_STR, offsetof(T, m), offsetof(T, n_##m), GWS_MF_NO_HAS, NULL)
#define STRS_HAS(json, T, m, has)                                                                  \
	FIELD(json, GWS_MF_FT_ARR_STR, offsetof(T, m), offsetof(T, n_##m), offsetof(T, has), NULL)
#define INTS(json, T, m)                                                                           \
	FIELD(json, GWS_MF_FT_ARR_INT, offsetof(T, m), offsetof(T, n_##m), GWS_MF_NO_HAS, NULL)
#define INTS_HAS(json, T, m, has)                                                                  \
	FIELD(json, GWS_MF_FT_ARR_INT, offsetof(T, m), offsetof(T, n_##m), offsetof(T, has), NULL)
#define MAP(json, T, m)                                                                            \
	FIELD(json, GWS_MF_FT_MAP_STR, offsetof(T, m), offsetof(T, n_##m), GWS_MF_NO_HAS, NULL)
#define MAP_HAS(json, T, m, has)                                                                   \
	FIELD(json, GWS_MF_FT_MAP_STR, offsetof(T, m), offsetof(T, n_##m), offsetof(T, has), NULL)
#define MAPLIST_HAS(json, T, m, has)                                                               \
	FIELD(json, GWS_MF_FT_MAP_STRLIST, offsetof(T, m), offsetof(T, n_##m), offsetof(T, has),   \
	      NULL)
#define IGNORE(json) FIELD(json, GWS_MF_FT_IGNORE, 0, 0, GWS_MF_NO_HAS, NULL)

#define TYPE(name, T)                                                                              \
	static const gws_mf_type name = {sizeof(T), name##_fields, GWS_ARRAY_SIZE(name##_fields),  \
	                                 false}
#define OPEN_TYPE(name, T)                                                                         \
	static const gws_mf_type name = {sizeof(T), name##_fields, GWS_ARRAY_SIZE(name##_fields),  \
	                                 true}
#define FLAT_TYPE(name)                                                                            \
	static const gws_mf_type name = {0, name##_fields, GWS_ARRAY_SIZE(name##_fields), false}

/* ---- shared shapes ---- */

static const gws_mf_field kv_attr_fields[] = {
        STR("key", gws_mf_kv, key),
        STR("value", gws_mf_kv, value),
};
TYPE(kv_attr, gws_mf_kv);

static const gws_mf_field label_req_fields[] = {
        STR("key", gws_mf_label_requirement, key),
        STR("operator", gws_mf_label_requirement, operator_),
        STRS("values", gws_mf_label_requirement, values),
};
TYPE(label_req, gws_mf_label_requirement);

static const gws_mf_field label_selector_fields[] = {
        MAP("matchLabels", gws_mf_label_selector, match_labels),
        ARR("matchExpressions", gws_mf_label_selector, match_expressions, label_req),
};
TYPE(label_selector, gws_mf_label_selector);

static const gws_mf_field meta_fields[] = {
        STR("name", gws_mf_meta, name),
        STR("namespace", gws_mf_meta, namespace_),
        MAP("labels", gws_mf_meta, labels),
        MAP("annotations", gws_mf_meta, annotations),
        STR("creationTimestamp", gws_mf_meta, creation_timestamp),
        INT("generation", gws_mf_meta, generation),
        STR("uid", gws_mf_meta, uid),
        IGNORE("generateName"),
        IGNORE("resourceVersion"),
        IGNORE("selfLink"),
        IGNORE("deletionTimestamp"),
        IGNORE("deletionGracePeriodSeconds"),
        IGNORE("ownerReferences"),
        IGNORE("finalizers"),
        IGNORE("managedFields"),
};
TYPE(meta, gws_mf_meta);

/* ---- references ---- */

static const gws_mf_field parent_ref_fields[] = {
        STR("group", gws_mf_parent_ref, group),
        STR("kind", gws_mf_parent_ref, kind),
        STR("namespace", gws_mf_parent_ref, namespace_),
        STR("name", gws_mf_parent_ref, name),
        STR("sectionName", gws_mf_parent_ref, section_name),
        INT("port", gws_mf_parent_ref, port),
};
TYPE(parent_ref, gws_mf_parent_ref);

static const gws_mf_field object_ref_fields[] = {
        STR("group", gws_mf_object_ref, group),
        STR("kind", gws_mf_object_ref, kind),
        STR("name", gws_mf_object_ref, name),
        STR("namespace", gws_mf_object_ref, namespace_),
};
TYPE(object_ref, gws_mf_object_ref);

static const gws_mf_field local_ref_fields[] = {
        STR("group", gws_mf_local_ref, group),
        STR("kind", gws_mf_local_ref, kind),
        STR("name", gws_mf_local_ref, name),
};
TYPE(local_ref, gws_mf_local_ref);

static const gws_mf_field parameters_ref_fields[] = {
        STR("group", gws_mf_parameters_ref, group),
        STR("kind", gws_mf_parameters_ref, kind),
        STR("name", gws_mf_parameters_ref, name),
        STR("namespace", gws_mf_parameters_ref, namespace_),
};
TYPE(parameters_ref, gws_mf_parameters_ref);

static const gws_mf_field backend_object_ref_fields[] = {
        STR("group", gws_mf_backend_object_ref, group),
        STR("kind", gws_mf_backend_object_ref, kind),
        STR("name", gws_mf_backend_object_ref, name),
        STR("namespace", gws_mf_backend_object_ref, namespace_),
        INT("port", gws_mf_backend_object_ref, port),
};
TYPE(backend_object_ref, gws_mf_backend_object_ref);

/* ---- GatewayClass ---- */

static const gws_mf_field gateway_class_fields[] = {
        STR("controllerName", gws_mf_gateway_class, controller_name),
        OBJ("parametersRef", gws_mf_gateway_class, parameters_ref, parameters_ref),
        STR("description", gws_mf_gateway_class, description),
};
TYPE(gateway_class, gws_mf_gateway_class);

/* ---- Gateway and ListenerSet ---- */

static const gws_mf_field route_namespaces_fields[] = {
        STR("from", gws_mf_route_namespaces, from),
        OBJ("selector", gws_mf_route_namespaces, selector, label_selector),
};
TYPE(route_namespaces, gws_mf_route_namespaces);

static const gws_mf_field route_group_kind_fields[] = {
        STR("group", gws_mf_route_group_kind, group),
        STR("kind", gws_mf_route_group_kind, kind),
};
TYPE(route_group_kind, gws_mf_route_group_kind);

static const gws_mf_field allowed_routes_fields[] = {
        OBJ("namespaces", gws_mf_allowed_routes, namespaces, route_namespaces),
        ARR_HAS("kinds", gws_mf_allowed_routes, kinds, has_kinds, route_group_kind),
};
TYPE(allowed_routes, gws_mf_allowed_routes);

static const gws_mf_field frontend_validation_fields[] = {
        ARR("caCertificateRefs", gws_mf_frontend_validation, ca_certificate_refs, object_ref),
        STR("mode", gws_mf_frontend_validation, mode),
};
TYPE(frontend_validation, gws_mf_frontend_validation);

static const gws_mf_field listener_tls_fields[] = {
        STR("mode", gws_mf_listener_tls, mode),
        ARR("certificateRefs", gws_mf_listener_tls, certificate_refs, object_ref),
        MAP("options", gws_mf_listener_tls, options),
        OBJ("frontendValidation", gws_mf_listener_tls, frontend_validation, frontend_validation),
};
TYPE(listener_tls, gws_mf_listener_tls);

static const gws_mf_field listener_fields[] = {
        STR("name", gws_mf_listener, name),
        STR("hostname", gws_mf_listener, hostname),
        INT("port", gws_mf_listener, port),
        STR("protocol", gws_mf_listener, protocol),
        OBJ("tls", gws_mf_listener, tls, listener_tls),
        OBJ("allowedRoutes", gws_mf_listener, allowed_routes, allowed_routes),
};
TYPE(listener, gws_mf_listener);

static const gws_mf_field gateway_address_fields[] = {
        STR("type", gws_mf_gateway_address, type),
        STR("value", gws_mf_gateway_address, value),
};
TYPE(gateway_address, gws_mf_gateway_address);

static const gws_mf_field infrastructure_fields[] = {
        MAP("labels", gws_mf_infrastructure, labels),
        MAP("annotations", gws_mf_infrastructure, annotations),
        OBJ("parametersRef", gws_mf_infrastructure, parameters_ref, local_ref),
};
TYPE(infrastructure, gws_mf_infrastructure);

static const gws_mf_field allowed_listeners_fields[] = {
        OBJ("namespaces", gws_mf_allowed_listeners, namespaces, route_namespaces),
};
TYPE(allowed_listeners, gws_mf_allowed_listeners);

static const gws_mf_field per_port_tls_fields[] = {
        OBJ("validation", gws_mf_tls_per_port, validation, frontend_validation),
};
FLAT_TYPE(per_port_tls);

static const gws_mf_field tls_per_port_fields[] = {
        INT("port", gws_mf_tls_per_port, port),
        FLAT("tls", per_port_tls),
};
TYPE(tls_per_port, gws_mf_tls_per_port);

static const gws_mf_field gateway_tls_backend_fields[] = {
        OBJ("clientCertificateRef", gws_mf_gateway_tls, backend_client_certificate_ref, object_ref),
};
FLAT_TYPE(gateway_tls_backend);

static const gws_mf_field gateway_tls_default_fields[] = {
        OBJ("validation", gws_mf_gateway_tls, frontend_default_validation, frontend_validation),
};
FLAT_TYPE(gateway_tls_default);

static const gws_mf_field gateway_tls_frontend_fields[] = {
        FLAT("default", gateway_tls_default),
        ARR("perPort", gws_mf_gateway_tls, frontend_per_port, tls_per_port),
};
FLAT_TYPE(gateway_tls_frontend);

static const gws_mf_field gateway_tls_fields[] = {
        FLAT("backend", gateway_tls_backend),
        FLAT("frontend", gateway_tls_frontend),
};
TYPE(gateway_tls, gws_mf_gateway_tls);

static const gws_mf_field gateway_fields[] = {
        STR("gatewayClassName", gws_mf_gateway, gateway_class_name),
        ARR("listeners", gws_mf_gateway, listeners, listener),
        ARR("addresses", gws_mf_gateway, addresses, gateway_address),
        OBJ("infrastructure", gws_mf_gateway, infrastructure, infrastructure),
        OBJ("allowedListeners", gws_mf_gateway, allowed_listeners, allowed_listeners),
        OBJ("tls", gws_mf_gateway, tls, gateway_tls),
        IGNORE("backendTLS"), /* experimental v1.2-v1.3 form of tls.backend */
};
TYPE(gateway, gws_mf_gateway);

static const gws_mf_field listener_set_fields[] = {
        NEST("parentRef", gws_mf_listener_set, parent_ref, parent_ref),
        ARR("listeners", gws_mf_listener_set, listeners, listener),
};
TYPE(listener_set, gws_mf_listener_set);

/* ---- filters ---- */

static const gws_mf_field header_fields[] = {
        STR("name", gws_mf_header, name),
        STR("value", gws_mf_header, value),
};
TYPE(header, gws_mf_header);

static const gws_mf_field header_modifier_fields[] = {
        ARR("set", gws_mf_header_modifier, set, header),
        ARR("add", gws_mf_header_modifier, add, header),
        STRS("remove", gws_mf_header_modifier, remove),
};
TYPE(header_modifier, gws_mf_header_modifier);

static const gws_mf_field path_modifier_fields[] = {
        STR("type", gws_mf_path_modifier, type),
        STR("replaceFullPath", gws_mf_path_modifier, replace_full_path),
        STR("replacePrefixMatch", gws_mf_path_modifier, replace_prefix_match),
};
TYPE(path_modifier, gws_mf_path_modifier);

static const gws_mf_field request_redirect_fields[] = {
        STR("scheme", gws_mf_request_redirect, scheme),
        STR("hostname", gws_mf_request_redirect, hostname),
        OBJ("path", gws_mf_request_redirect, path, path_modifier),
        INT("port", gws_mf_request_redirect, port),
        INT("statusCode", gws_mf_request_redirect, status_code),
};
TYPE(request_redirect, gws_mf_request_redirect);

static const gws_mf_field url_rewrite_fields[] = {
        STR("hostname", gws_mf_url_rewrite, hostname),
        OBJ("path", gws_mf_url_rewrite, path, path_modifier),
};
TYPE(url_rewrite, gws_mf_url_rewrite);

static const gws_mf_field fraction_fields[] = {
        INT("numerator", gws_mf_fraction, numerator),
        INT("denominator", gws_mf_fraction, denominator),
};
TYPE(fraction, gws_mf_fraction);

static const gws_mf_field request_mirror_fields[] = {
        NEST("backendRef", gws_mf_request_mirror, backend_ref, backend_object_ref),
        INT("percent", gws_mf_request_mirror, percent),
        OBJ("fraction", gws_mf_request_mirror, fraction, fraction),
};
TYPE(request_mirror, gws_mf_request_mirror);

static const gws_mf_field cors_fields[] = {
        STRS("allowOrigins", gws_mf_cors, allow_origins),
        BOOLF("allowCredentials", gws_mf_cors, allow_credentials),
        STRS("allowMethods", gws_mf_cors, allow_methods),
        STRS("allowHeaders", gws_mf_cors, allow_headers),
        STRS("exposeHeaders", gws_mf_cors, expose_headers),
        INT("maxAge", gws_mf_cors, max_age),
};
TYPE(cors, gws_mf_cors);

static const gws_mf_field ext_auth_grpc_fields[] = {
        STRS("allowedHeaders", gws_mf_external_auth, grpc_allowed_headers),
};
FLAT_TYPE(ext_auth_grpc);

static const gws_mf_field ext_auth_http_fields[] = {
        STR("path", gws_mf_external_auth, http_path),
        STRS("allowedHeaders", gws_mf_external_auth, http_allowed_headers),
        STRS("allowedResponseHeaders", gws_mf_external_auth, http_allowed_response_headers),
};
FLAT_TYPE(ext_auth_http);

static const gws_mf_field ext_auth_body_fields[] = {
        INT("maxSize", gws_mf_external_auth, forward_body_max_size),
};
FLAT_TYPE(ext_auth_body);

static const gws_mf_field external_auth_fields[] = {
        STR("protocol", gws_mf_external_auth, protocol),
        NEST("backendRef", gws_mf_external_auth, backend_ref, backend_object_ref),
        FLAT_HAS("grpc", gws_mf_external_auth, has_grpc, ext_auth_grpc),
        FLAT_HAS("http", gws_mf_external_auth, has_http, ext_auth_http),
        FLAT("forwardBody", ext_auth_body),
};
TYPE(external_auth, gws_mf_external_auth);

static const gws_mf_field http_filter_fields[] = {
        STR("type", gws_mf_filter, type),
        OBJ("requestHeaderModifier", gws_mf_filter, request_header_modifier, header_modifier),
        OBJ("responseHeaderModifier", gws_mf_filter, response_header_modifier, header_modifier),
        OBJ("requestMirror", gws_mf_filter, request_mirror, request_mirror),
        OBJ("requestRedirect", gws_mf_filter, request_redirect, request_redirect),
        OBJ("urlRewrite", gws_mf_filter, url_rewrite, url_rewrite),
        OBJ("extensionRef", gws_mf_filter, extension_ref, local_ref),
        OBJ("cors", gws_mf_filter, cors, cors),
        OBJ("externalAuth", gws_mf_filter, external_auth, external_auth),
};
TYPE(http_filter, gws_mf_filter);

static const gws_mf_field grpc_filter_fields[] = {
        STR("type", gws_mf_filter, type),
        OBJ("requestHeaderModifier", gws_mf_filter, request_header_modifier, header_modifier),
        OBJ("responseHeaderModifier", gws_mf_filter, response_header_modifier, header_modifier),
        OBJ("requestMirror", gws_mf_filter, request_mirror, request_mirror),
        OBJ("extensionRef", gws_mf_filter, extension_ref, local_ref),
};
TYPE(grpc_filter, gws_mf_filter);

/* ---- backends ---- */

#define BACKEND_REF_COMMON                                                                         \
	STR("group", gws_mf_backend_ref, group), STR("kind", gws_mf_backend_ref, kind),            \
	        STR("name", gws_mf_backend_ref, name),                                             \
	        STR("namespace", gws_mf_backend_ref, namespace_),                                  \
	        INT("port", gws_mf_backend_ref, port), INT("weight", gws_mf_backend_ref, weight)

static const gws_mf_field http_backend_ref_fields[] = {
        BACKEND_REF_COMMON,
        ARR("filters", gws_mf_backend_ref, filters, http_filter),
};
TYPE(http_backend_ref, gws_mf_backend_ref);

static const gws_mf_field grpc_backend_ref_fields[] = {
        BACKEND_REF_COMMON,
        ARR("filters", gws_mf_backend_ref, filters, grpc_filter),
};
TYPE(grpc_backend_ref, gws_mf_backend_ref);

static const gws_mf_field l4_backend_ref_fields[] = {
        BACKEND_REF_COMMON,
};
TYPE(l4_backend_ref, gws_mf_backend_ref);

/* ---- HTTPRoute ---- */

static const gws_mf_field path_match_fields[] = {
        STR("type", gws_mf_path_match, type),
        STR("value", gws_mf_path_match, value),
};
TYPE(path_match, gws_mf_path_match);

static const gws_mf_field value_match_fields[] = {
        STR("type", gws_mf_value_match, type),
        STR("name", gws_mf_value_match, name),
        STR("value", gws_mf_value_match, value),
};
TYPE(value_match, gws_mf_value_match);

static const gws_mf_field http_match_fields[] = {
        OBJ("path", gws_mf_http_match, path, path_match),
        ARR("headers", gws_mf_http_match, headers, value_match),
        ARR("queryParams", gws_mf_http_match, query_params, value_match),
        STR("method", gws_mf_http_match, method),
};
TYPE(http_match, gws_mf_http_match);

static const gws_mf_field timeouts_fields[] = {
        STR("request", gws_mf_timeouts, request),
        STR("backendRequest", gws_mf_timeouts, backend_request),
};
TYPE(timeouts, gws_mf_timeouts);

static const gws_mf_field retry_fields[] = {
        INTS("codes", gws_mf_retry, codes),
        INT("attempts", gws_mf_retry, attempts),
        STR("backoff", gws_mf_retry, backoff),
};
TYPE(retry, gws_mf_retry);

static const gws_mf_field cookie_config_fields[] = {
        STR("lifetimeType", gws_mf_session_persistence, cookie_lifetime_type),
};
FLAT_TYPE(cookie_config);

static const gws_mf_field session_persistence_fields[] = {
        STR("sessionName", gws_mf_session_persistence, session_name),
        STR("absoluteTimeout", gws_mf_session_persistence, absolute_timeout),
        STR("idleTimeout", gws_mf_session_persistence, idle_timeout),
        STR("type", gws_mf_session_persistence, type),
        FLAT("cookieConfig", cookie_config),
};
TYPE(session_persistence, gws_mf_session_persistence);

static const gws_mf_field http_rule_fields[] = {
        STR("name", gws_mf_http_rule, name),
        ARR("matches", gws_mf_http_rule, matches, http_match),
        ARR("filters", gws_mf_http_rule, filters, http_filter),
        ARR("backendRefs", gws_mf_http_rule, backend_refs, http_backend_ref),
        OBJ("timeouts", gws_mf_http_rule, timeouts, timeouts),
        OBJ("retry", gws_mf_http_rule, retry, retry),
        OBJ("sessionPersistence", gws_mf_http_rule, session_persistence, session_persistence),
};
TYPE(http_rule, gws_mf_http_rule);

static const gws_mf_field http_route_fields[] = {
        ARR("parentRefs", gws_mf_http_route, parent_refs, parent_ref),
        STRS("hostnames", gws_mf_http_route, hostnames),
        ARR("rules", gws_mf_http_route, rules, http_rule),
        IGNORE("useDefaultGateways"), /* experimental */
};
TYPE(http_route, gws_mf_http_route);

/* ---- GRPCRoute ---- */

static const gws_mf_field grpc_method_fields[] = {
        STR("type", gws_mf_grpc_method_match, type),
        STR("service", gws_mf_grpc_method_match, service),
        STR("method", gws_mf_grpc_method_match, method),
};
TYPE(grpc_method, gws_mf_grpc_method_match);

static const gws_mf_field grpc_match_fields[] = {
        OBJ("method", gws_mf_grpc_match, method, grpc_method),
        ARR("headers", gws_mf_grpc_match, headers, value_match),
};
TYPE(grpc_match, gws_mf_grpc_match);

static const gws_mf_field grpc_rule_fields[] = {
        STR("name", gws_mf_grpc_rule, name),
        ARR("matches", gws_mf_grpc_rule, matches, grpc_match),
        ARR("filters", gws_mf_grpc_rule, filters, grpc_filter),
        ARR("backendRefs", gws_mf_grpc_rule, backend_refs, grpc_backend_ref),
        OBJ("sessionPersistence", gws_mf_grpc_rule, session_persistence, session_persistence),
};
TYPE(grpc_rule, gws_mf_grpc_rule);

static const gws_mf_field grpc_route_fields[] = {
        ARR("parentRefs", gws_mf_grpc_route, parent_refs, parent_ref),
        STRS("hostnames", gws_mf_grpc_route, hostnames),
        ARR("rules", gws_mf_grpc_route, rules, grpc_rule),
        IGNORE("useDefaultGateways"),
};
TYPE(grpc_route, gws_mf_grpc_route);

/* ---- TCPRoute, UDPRoute, TLSRoute ---- */

static const gws_mf_field l4_rule_fields[] = {
        STR("name", gws_mf_l4_rule, name),
        ARR("backendRefs", gws_mf_l4_rule, backend_refs, l4_backend_ref),
};
TYPE(l4_rule, gws_mf_l4_rule);

static const gws_mf_field tcp_route_fields[] = {
        ARR("parentRefs", gws_mf_l4_route, parent_refs, parent_ref),
        ARR("rules", gws_mf_l4_route, rules, l4_rule),
        IGNORE("useDefaultGateways"),
};
TYPE(tcp_route, gws_mf_l4_route);

static const gws_mf_field tls_route_fields[] = {
        ARR("parentRefs", gws_mf_l4_route, parent_refs, parent_ref),
        STRS("hostnames", gws_mf_l4_route, hostnames),
        ARR("rules", gws_mf_l4_route, rules, l4_rule),
        IGNORE("useDefaultGateways"),
};
TYPE(tls_route, gws_mf_l4_route);

/* ---- ReferenceGrant ---- */

static const gws_mf_field grant_from_fields[] = {
        STR("group", gws_mf_grant_from, group),
        STR("kind", gws_mf_grant_from, kind),
        STR("namespace", gws_mf_grant_from, namespace_),
};
TYPE(grant_from, gws_mf_grant_from);

static const gws_mf_field grant_to_fields[] = {
        STR("group", gws_mf_grant_to, group),
        STR("kind", gws_mf_grant_to, kind),
        STR("name", gws_mf_grant_to, name),
};
TYPE(grant_to, gws_mf_grant_to);

static const gws_mf_field reference_grant_fields[] = {
        ARR("from", gws_mf_reference_grant, from, grant_from),
        ARR("to", gws_mf_reference_grant, to, grant_to),
};
TYPE(reference_grant, gws_mf_reference_grant);

/* ---- Service: open, a Service spec has many fields gwsync has no use for ---- */

static const gws_mf_field service_port_fields[] = {
        STR("name", gws_mf_service_port, name),
        STR("protocol", gws_mf_service_port, protocol),
        STR("appProtocol", gws_mf_service_port, app_protocol),
        INT("port", gws_mf_service_port, port),
        INTSTR("targetPort", gws_mf_service_port, target_port),
        INT("nodePort", gws_mf_service_port, node_port),
};
TYPE(service_port, gws_mf_service_port);

static const gws_mf_field service_fields[] = {
        STR("type", gws_mf_service, type),
        ARR("ports", gws_mf_service, ports, service_port),
        MAP("selector", gws_mf_service, selector),
        STR("externalTrafficPolicy", gws_mf_service, external_traffic_policy),
        INT("healthCheckNodePort", gws_mf_service, health_check_node_port),
        STR("clusterIP", gws_mf_service, cluster_ip),
        STR("externalName", gws_mf_service, external_name),
        STRS("ipFamilies", gws_mf_service, ip_families),
};
OPEN_TYPE(service, gws_mf_service);

/* ---- LoadBalancerConfiguration ---- */

static const gws_mf_field lb_subnet_fields[] = {
        STR("identifier", gws_mf_lb_subnet, identifier),
        STR("eipAllocation", gws_mf_lb_subnet, eip_allocation),
        STR("privateIPv4Allocation", gws_mf_lb_subnet, private_ipv4_allocation),
        STR("ipv6Allocation", gws_mf_lb_subnet, ipv6_allocation),
        STR("sourceNatIPv6Prefix", gws_mf_lb_subnet, source_nat_ipv6_prefix),
};
TYPE(lb_subnet, gws_mf_lb_subnet);

static const gws_mf_field mutual_auth_fields[] = {
        STR("mode", gws_mf_mutual_auth, mode),
        STR("trustStore", gws_mf_mutual_auth, trust_store),
        BOOLF("ignoreClientCertificateExpiry", gws_mf_mutual_auth,
              ignore_client_certificate_expiry),
        STR("advertiseTrustStoreCaNames", gws_mf_mutual_auth, advertise_trust_store_ca_names),
};
TYPE(mutual_auth, gws_mf_mutual_auth);

static const gws_mf_field lb_listener_fields[] = {
        STR("protocolPort", gws_mf_lb_listener_config, protocol_port),
        STR("defaultCertificate", gws_mf_lb_listener_config, default_certificate),
        STRS("certificates", gws_mf_lb_listener_config, certificates),
        STR("sslPolicy", gws_mf_lb_listener_config, ssl_policy),
        STR("alpnPolicy", gws_mf_lb_listener_config, alpn_policy),
        BOOLF("targetGroupStickiness", gws_mf_lb_listener_config, target_group_stickiness),
        OBJ("mutualAuthentication", gws_mf_lb_listener_config, mutual_authentication, mutual_auth),
        ARR("listenerAttributes", gws_mf_lb_listener_config, listener_attributes, kv_attr),
        BOOLF("quicEnabled", gws_mf_lb_listener_config, quic_enabled),
};
TYPE(lb_listener, gws_mf_lb_listener_config);

static const gws_mf_field lb_min_capacity_fields[] = {
        INT("capacityUnits", gws_mf_lb_config, minimum_capacity_units),
};
FLAT_TYPE(lb_min_capacity);

static const gws_mf_field lb_waf_fields[] = {
        STR("webACL", gws_mf_lb_config, waf_v2_web_acl),
};
FLAT_TYPE(lb_waf);

static const gws_mf_field lb_shield_fields[] = {
        BOOLF("enabled", gws_mf_lb_config, shield_enabled),
};
FLAT_TYPE(lb_shield);

static const gws_mf_field lb_default_tgc_fields[] = {
        STR("name", gws_mf_lb_config, default_target_group_configuration),
};
FLAT_TYPE(lb_default_tgc);

static const gws_mf_field lb_config_fields[] = {
        STR("mergingMode", gws_mf_lb_config, merging_mode),
        STR("loadBalancerName", gws_mf_lb_config, load_balancer_name),
        STR("scheme", gws_mf_lb_config, scheme),
        STR("ipAddressType", gws_mf_lb_config, ip_address_type),
        STR("enforceSecurityGroupInboundRulesOnPrivateLinkTraffic", gws_mf_lb_config,
            enforce_security_group_inbound_rules_on_private_link_traffic),
        STR("customerOwnedIpv4Pool", gws_mf_lb_config, customer_owned_ipv4_pool),
        STR("ipv4IPAMPoolId", gws_mf_lb_config, ipv4_ipam_pool_id),
        ARR("loadBalancerSubnets", gws_mf_lb_config, load_balancer_subnets, lb_subnet),
        MAPLIST_HAS("loadBalancerSubnetsSelector", gws_mf_lb_config, load_balancer_subnets_selector,
                    has_load_balancer_subnets_selector),
        ARR("listenerConfigurations", gws_mf_lb_config, listener_configurations, lb_listener),
        BOOLF("disableSecurityGroup", gws_mf_lb_config, disable_security_group),
        STRS_HAS("securityGroups", gws_mf_lb_config, security_groups, has_security_groups),
        STRS_HAS("securityGroupPrefixes", gws_mf_lb_config, security_group_prefixes,
                 has_security_group_prefixes),
        STRS_HAS("sourceRanges", gws_mf_lb_config, source_ranges, has_source_ranges),
        ARR("loadBalancerAttributes", gws_mf_lb_config, load_balancer_attributes, kv_attr),
        MAP("tags", gws_mf_lb_config, tags),
        BOOLF("enableICMP", gws_mf_lb_config, enable_icmp),
        BOOLF("manageBackendSecurityGroupRules", gws_mf_lb_config,
              manage_backend_security_group_rules),
        FLAT_HAS("minimumLoadBalancerCapacity", gws_mf_lb_config,
                 has_minimum_load_balancer_capacity, lb_min_capacity),
        FLAT_HAS("wafV2", gws_mf_lb_config, has_waf_v2, lb_waf),
        FLAT_HAS("shieldConfiguration", gws_mf_lb_config, has_shield_configuration, lb_shield),
        FLAT("defaultTargetGroupConfiguration", lb_default_tgc),
};
TYPE(lb_config, gws_mf_lb_config);

/* ---- TargetGroupConfiguration ---- */

static const gws_mf_field hc_matcher_fields[] = {
        STR("httpCode", gws_mf_hc_matcher, http_code),
        STR("grpcCode", gws_mf_hc_matcher, grpc_code),
};
TYPE(hc_matcher, gws_mf_hc_matcher);

static const gws_mf_field health_check_fields[] = {
        INT("healthyThresholdCount", gws_mf_health_check, healthy_threshold_count),
        INT("healthCheckInterval", gws_mf_health_check, health_check_interval),
        STR("healthCheckPath", gws_mf_health_check, health_check_path),
        STR("healthCheckPort", gws_mf_health_check, health_check_port),
        STR("healthCheckProtocol", gws_mf_health_check, health_check_protocol),
        INT("healthCheckTimeout", gws_mf_health_check, health_check_timeout),
        INT("unhealthyThresholdCount", gws_mf_health_check, unhealthy_threshold_count),
        OBJ("matcher", gws_mf_health_check, matcher, hc_matcher),
};
TYPE(health_check, gws_mf_health_check);

static const gws_mf_field tg_props_fields[] = {
        STR("targetGroupName", gws_mf_tg_props, target_group_name),
        STR("ipAddressType", gws_mf_tg_props, ip_address_type),
        OBJ("healthCheckConfig", gws_mf_tg_props, health_check_config, health_check),
        OBJ("nodeSelector", gws_mf_tg_props, node_selector, label_selector),
        ARR("targetGroupAttributes", gws_mf_tg_props, target_group_attributes, kv_attr),
        STR("targetType", gws_mf_tg_props, target_type),
        STR("protocol", gws_mf_tg_props, protocol),
        STR("protocolVersion", gws_mf_tg_props, protocol_version),
        INT("targetControlPort", gws_mf_tg_props, target_control_port),
        BOOLF("enableMultiCluster", gws_mf_tg_props, enable_multi_cluster),
        MAP_HAS("tags", gws_mf_tg_props, tags, has_tags),
};
TYPE(tg_props, gws_mf_tg_props);

static const gws_mf_field route_identifier_fields[] = {
        STR("kind", gws_mf_route_identifier, kind),
        STR("namespace", gws_mf_route_identifier, namespace_),
        STR("name", gws_mf_route_identifier, name),
};
TYPE(route_identifier, gws_mf_route_identifier);

static const gws_mf_field tg_route_config_fields[] = {
        NEST("routeIdentifier", gws_mf_tg_route_config, route_identifier, route_identifier),
        NEST("targetGroupProps", gws_mf_tg_route_config, target_group_props, tg_props),
};
TYPE(tg_route_config, gws_mf_tg_route_config);

static const gws_mf_field target_reference_fields[] = {
        STR("group", gws_mf_target_reference, group),
        STR("kind", gws_mf_target_reference, kind),
        STR("name", gws_mf_target_reference, name),
};
TYPE(target_reference, gws_mf_target_reference);

static const gws_mf_field tg_config_fields[] = {
        OBJ("targetReference", gws_mf_tg_config, target_reference, target_reference),
        OBJ("defaultConfiguration", gws_mf_tg_config, default_configuration, tg_props),
        ARR("routeConfigurations", gws_mf_tg_config, route_configurations, tg_route_config),
};
TYPE(tg_config, gws_mf_tg_config);

/* ---- ListenerRuleConfiguration ---- */

static const gws_mf_field tg_stickiness_fields[] = {
        INT("durationSeconds", gws_mf_tg_stickiness, duration_seconds),
        BOOLF("enabled", gws_mf_tg_stickiness, enabled),
};
TYPE(tg_stickiness, gws_mf_tg_stickiness);

static const gws_mf_field forward_config_fields[] = {
        OBJ("targetGroupStickinessConfig", gws_mf_forward_config, target_group_stickiness_config,
            tg_stickiness),
};
TYPE(forward_config, gws_mf_forward_config);

static const gws_mf_field redirect_config_fields[] = {
        STR("query", gws_mf_redirect_config, query),
};
TYPE(redirect_config, gws_mf_redirect_config);

static const gws_mf_field fixed_response_fields[] = {
        INT("statusCode", gws_mf_fixed_response_config, status_code),
        STR("contentType", gws_mf_fixed_response_config, content_type),
        STR("messageBody", gws_mf_fixed_response_config, message_body),
};
TYPE(fixed_response, gws_mf_fixed_response_config);

#define AUTH_COMMON                                                                                \
	STR("scope", gws_mf_authenticate_config, scope),                                           \
	        MAP("authenticationRequestExtraParams", gws_mf_authenticate_config,                \
	            authentication_request_extra_params),                                          \
	        STR("onUnauthenticatedRequest", gws_mf_authenticate_config,                        \
	            on_unauthenticated_request),                                                   \
	        STR("sessionCookieName", gws_mf_authenticate_config, session_cookie_name),         \
	        INT("sessionTimeout", gws_mf_authenticate_config, session_timeout)

static const gws_mf_field cognito_fields[] = {
        STR("userPoolArn", gws_mf_authenticate_config, user_pool_arn),
        STR("userPoolClientId", gws_mf_authenticate_config, user_pool_client_id),
        STR("userPoolDomain", gws_mf_authenticate_config, user_pool_domain),
        AUTH_COMMON,
};
TYPE(cognito, gws_mf_authenticate_config);

static const gws_mf_field oidc_secret_fields[] = {
        STR("name", gws_mf_authenticate_config, secret_name),
};
FLAT_TYPE(oidc_secret);

static const gws_mf_field oidc_fields[] = {
        STR("authorizationEndpoint", gws_mf_authenticate_config, authorization_endpoint),
        FLAT("secret", oidc_secret),
        STR("issuer", gws_mf_authenticate_config, issuer),
        STR("tokenEndpoint", gws_mf_authenticate_config, token_endpoint),
        STR("userInfoEndpoint", gws_mf_authenticate_config, user_info_endpoint),
        BOOLF("useExistingClientSecret", gws_mf_authenticate_config, use_existing_client_secret),
        AUTH_COMMON,
};
TYPE(oidc, gws_mf_authenticate_config);

static const gws_mf_field jwt_claim_fields[] = {
        STR("format", gws_mf_jwt_claim, format),
        STR("name", gws_mf_jwt_claim, name),
        STRS("values", gws_mf_jwt_claim, values),
};
TYPE(jwt_claim, gws_mf_jwt_claim);

static const gws_mf_field jwt_validation_fields[] = {
        STR("issuer", gws_mf_jwt_validation_config, issuer),
        STR("jwksEndpoint", gws_mf_jwt_validation_config, jwks_endpoint),
        ARR("additionalClaims", gws_mf_jwt_validation_config, additional_claims, jwt_claim),
};
TYPE(jwt_validation, gws_mf_jwt_validation_config);

static const gws_mf_field lrc_action_fields[] = {
        STR("type", gws_mf_lrc_action, type),
        OBJ("forwardConfig", gws_mf_lrc_action, forward_config, forward_config),
        OBJ("redirectConfig", gws_mf_lrc_action, redirect_config, redirect_config),
        OBJ("fixedResponseConfig", gws_mf_lrc_action, fixed_response_config, fixed_response),
        OBJ("authenticateCognitoConfig", gws_mf_lrc_action, authenticate_cognito_config, cognito),
        OBJ("authenticateOIDCConfig", gws_mf_lrc_action, authenticate_oidc_config, oidc),
        OBJ("jwtValidationConfig", gws_mf_lrc_action, jwt_validation_config, jwt_validation),
};
TYPE(lrc_action, gws_mf_lrc_action);

static const gws_mf_field source_ip_fields[] = {
        STRS("values", gws_mf_lrc_condition, source_ip_values),
};
FLAT_TYPE(source_ip);

static const gws_mf_field lrc_condition_fields[] = {
        STR("field", gws_mf_lrc_condition, field),
        FLAT_HAS("sourceIPConfig", gws_mf_lrc_condition, has_source_ip_config, source_ip),
        INTS_HAS("matchIndexes", gws_mf_lrc_condition, match_indexes, has_match_indexes),
};
TYPE(lrc_condition, gws_mf_lrc_condition);

static const gws_mf_field lrc_config_fields[] = {
        ARR("actions", gws_mf_lrc_config, actions, lrc_action),
        ARR("conditions", gws_mf_lrc_config, conditions, lrc_condition),
        MAP("tags", gws_mf_lrc_config, tags),
};
TYPE(lrc_config, gws_mf_lrc_config);

/* ---- per kind ---- */

const gws_mf_type *gws_mf__spec_type(gws_manifest_kind kind)
{
	switch (kind) {
	case GWS_KIND_GATEWAY_CLASS:
		return &gateway_class;
	case GWS_KIND_GATEWAY:
		return &gateway;
	case GWS_KIND_HTTP_ROUTE:
		return &http_route;
	case GWS_KIND_GRPC_ROUTE:
		return &grpc_route;
	case GWS_KIND_TCP_ROUTE:
	case GWS_KIND_UDP_ROUTE:
		return &tcp_route;
	case GWS_KIND_TLS_ROUTE:
		return &tls_route;
	case GWS_KIND_REFERENCE_GRANT:
		return &reference_grant;
	case GWS_KIND_LISTENER_SET:
		return &listener_set;
	case GWS_KIND_SERVICE:
		return &service;
	case GWS_KIND_LOAD_BALANCER_CONFIGURATION:
		return &lb_config;
	case GWS_KIND_TARGET_GROUP_CONFIGURATION:
		return &tg_config;
	case GWS_KIND_LISTENER_RULE_CONFIGURATION:
		return &lrc_config;
	default:
		return NULL;
	}
}

const gws_mf_type *gws_mf__meta_type(void)
{
	return &meta;
}
