/*
 * gateway.k8s.aws CRD rules (docs/lbc-mapping.md): LoadBalancerConfiguration,
 * TargetGroupConfiguration and ListenerRuleConfiguration enums, ranges,
 * required fields and CEL rules, plus the subnet all-or-none rule the
 * controller enforces before it builds anything.
 */
#include <string.h>

#include "manifest/validate_util.h"

static const char *const merging_modes[] = {"prefer-gateway", "prefer-gateway-class", NULL};
static const char *const schemes[] = {"internal", "internet-facing", NULL};
static const char *const lb_ip_types[] = {"ipv4", "dualstack", "dualstack-without-public-ipv4",
                                          NULL};
static const char *const alpn_policies[] = {"HTTP1Only",      "HTTP2Only", "HTTP2Optional",
                                            "HTTP2Preferred", "None",      NULL};
static const char *const mtls_modes[] = {"off", "passthrough", "verify", NULL};
static const char *const on_off[] = {"on", "off", NULL};
static const char *const tg_ip_types[] = {"ipv4", "ipv6", NULL};
static const char *const target_types[] = {"instance", "ip", NULL};
static const char *const tg_protocols[] = {"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", NULL};
static const char *const tg_protocol_versions[] = {"HTTP1", "HTTP2", "GRPC", NULL};
static const char *const hc_protocols[] = {"HTTP", "HTTPS", "TCP", NULL};
static const char *const action_types[] = {
        "forward",           "fixed-response", "redirect", "authenticate-cognito",
        "authenticate-oidc", "jwt-validation", NULL};
static const char *const content_types[] = {
        "text/plain", "text/css", "text/html", "application/javascript", "application/json", NULL};
static const char *const unauthenticated_actions[] = {"deny", "allow", "authenticate", NULL};
static const char *const claim_formats[] = {"single-string", "string-array",
                                            "space-separated-values", NULL};
static const char *const condition_fields[] = {"source-ip", NULL};

static void v_attributes(gws_manifest__vctx *v, const char *field, const gws_mf_attribute *a,
                         size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t mark = gws_manifest__v_push_index(v, field, i);

		gws_manifest__v_required(v, "key", a[i].key != NULL);
		gws_manifest__v_required(v, "value", a[i].value != NULL);
		gws_manifest__v_pop(v, mark);
	}
}

/* ---- LoadBalancerConfiguration ---- */

/* ^(HTTP|HTTPS|TLS|TCP|UDP|TCP_UDP)?:(port)?$ */
static bool is_protocol_port(const char *s)
{
	static const char *const protocols[] = {"HTTP", "HTTPS", "TLS", "TCP", "UDP", "TCP_UDP"};
	const char *colon = strchr(s, ':');
	const char *p;
	size_t i, plen;
	long port = 0;
	bool known = false;

	if (!colon)
		return false;
	plen = (size_t)(colon - s);
	for (i = 0; i < GWS_ARRAY_SIZE(protocols); i++)
		known = known ||
		        (strlen(protocols[i]) == plen && strncmp(s, protocols[i], plen) == 0);
	if (plen > 0 && !known)
		return false;
	for (p = colon + 1; *p; p++) {
		if (*p < '0' || *p > '9' || p - colon > 5)
			return false;
		port = port * 10 + (*p - '0');
	}
	return colon[1] == '\0' || (port >= 1 && port <= 65535 && colon[1] != '0');
}

static void v_mutual_auth(gws_manifest__vctx *v, const gws_mf_mutual_auth *m)
{
	size_t mark = gws_manifest__v_push(v, "mutualAuthentication");

	if (gws_manifest__v_required(v, "mode", m->mode != NULL))
		gws_manifest__v_enum(v, "mode", m->mode, mtls_modes);
	gws_manifest__v_enum(v, "advertiseTrustStoreCaNames", m->advertise_trust_store_ca_names,
	                     on_off);
	if (gws_manifest__str_eq(m->mode, "verify") && !m->trust_store)
		gws_manifest__v_error(v, NULL,
		                      "trustStore is required when mutualAuthentication mode is "
		                      "'verify'");
	if (m->mode && !gws_manifest__str_eq(m->mode, "verify")) {
		if (m->trust_store)
			gws_manifest__v_error(
			        v, "trustStore",
			        "Mutual Authentication mode 'off' or 'passthrough' does "
			        "not support 'trustStore'");
		if (m->ignore_client_certificate_expiry.set)
			gws_manifest__v_error(
			        v, "ignoreClientCertificateExpiry",
			        "Mutual Authentication mode 'off' or 'passthrough' does "
			        "not support 'ignoreClientCertificateExpiry'");
		if (m->advertise_trust_store_ca_names)
			gws_manifest__v_error(
			        v, "advertiseTrustStoreCaNames",
			        "Mutual Authentication mode 'off' or 'passthrough' does "
			        "not support 'advertiseTrustStoreCaNames'");
	}
	gws_manifest__v_pop(v, mark);
}

/* No schema limit here: repeated protocolPorts are found by gws_manifest__v_twins. */
static void v_listener_configs(gws_manifest__vctx *v, const gws_mf_lb_config *c)
{
	size_t i, n = c->n_listener_configurations;
	const char **keys = gws_calloc(n + 1, sizeof(*keys));
	size_t *twin = gws_calloc(n + 1, sizeof(*twin));

	if (!keys || !twin) {
		v->error = GWS_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < n; i++)
		keys[i] = c->listener_configurations[i].protocol_port;
	if (!gws_manifest__v_twins(v, twin, keys, n))
		goto cleanup;
	for (i = 0; i < n; i++) {
		const gws_mf_lb_listener_config *l = &c->listener_configurations[i];
		size_t mark = gws_manifest__v_push_index(v, "listenerConfigurations", i);

		if (gws_manifest__v_required(v, "protocolPort", l->protocol_port != NULL) &&
		    !is_protocol_port(l->protocol_port))
			gws_manifest__v_error(
			        v, "protocolPort",
			        "%s is not a valid protocolPort: use <protocol>:<port> "
			        "with a protocol of HTTP, HTTPS, TLS, TCP, UDP or "
			        "TCP_UDP and a port from 1 to 65535, such as "
			        "HTTPS:443",
			        gws_manifest__v_quote(v, l->protocol_port));
		if (twin[i] != GWS_VNO_TWIN)
			gws_manifest__v_warning(v, "protocolPort",
			                        "%s repeats listenerConfigurations[%zu]: only one "
			                        "entry per protocolPort is used",
			                        gws_manifest__v_quote(v, l->protocol_port),
			                        twin[i]);
		gws_manifest__v_enum(v, "alpnPolicy", l->alpn_policy, alpn_policies);
		if (l->mutual_authentication)
			v_mutual_auth(v, l->mutual_authentication);
		v_attributes(v, "listenerAttributes", l->listener_attributes,
		             l->n_listener_attributes);
		gws_manifest__v_pop(v, mark);
	}
cleanup:
	gws_free(keys);
	gws_free(twin);
}

/* The controller needs each allocation on every subnet or on none. */
static void v_subnets(gws_manifest__vctx *v, const gws_mf_lb_config *c)
{
	static const char *const names[] = {"eipAllocation", "privateIPv4Allocation",
	                                    "ipv6Allocation", "sourceNatIPv6Prefix"};
	size_t i, f;

	for (f = 0; f < GWS_ARRAY_SIZE(names); f++) {
		size_t set = 0;

		for (i = 0; i < c->n_load_balancer_subnets; i++) {
			const gws_mf_lb_subnet *s = &c->load_balancer_subnets[i];
			const char *values[] = {s->eip_allocation, s->private_ipv4_allocation,
			                        s->ipv6_allocation, s->source_nat_ipv6_prefix};

			set += values[f] != NULL;
		}
		if (set > 0 && set < c->n_load_balancer_subnets)
			gws_manifest__v_error(
			        v, "loadBalancerSubnets",
			        "%s must be set on every subnet or on none (%zu of %zu "
			        "have it)",
			        names[f], set, c->n_load_balancer_subnets);
	}
}

void gws_manifest__validate_lb_config(gws_manifest__vctx *v)
{
	const gws_mf_lb_config *c = v->obj->spec.lb_config;
	size_t mark = gws_manifest__v_push(v, "spec");

	gws_manifest__v_enum(v, "mergingMode", c->merging_mode, merging_modes);
	gws_manifest__v_length(v, "loadBalancerName", c->load_balancer_name, 1, 32);
	gws_manifest__v_enum(v, "scheme", c->scheme, schemes);
	gws_manifest__v_enum(v, "ipAddressType", c->ip_address_type, lb_ip_types);
	v_subnets(v, c);
	v_listener_configs(v, c);
	v_attributes(v, "loadBalancerAttributes", c->load_balancer_attributes,
	             c->n_load_balancer_attributes);
	if (c->has_minimum_load_balancer_capacity)
		gws_manifest__v_required(v, "minimumLoadBalancerCapacity.capacityUnits",
		                         c->minimum_capacity_units.set);
	if (c->has_waf_v2)
		gws_manifest__v_required(v, "wafV2.webACL", c->waf_v2_web_acl != NULL);
	if (gws_manifest__v_has(v, "defaultTargetGroupConfiguration"))
		gws_manifest__v_required(v, "defaultTargetGroupConfiguration.name",
		                         c->default_target_group_configuration != NULL);
	gws_manifest__v_pop(v, mark);
}

/* ---- TargetGroupConfiguration ---- */

static void v_tg_props(gws_manifest__vctx *v, const char *field, const gws_mf_tg_props *p)
{
	size_t mark = gws_manifest__v_push(v, field);

	gws_manifest__v_enum(v, "ipAddressType", p->ip_address_type, tg_ip_types);
	gws_manifest__v_enum(v, "targetType", p->target_type, target_types);
	gws_manifest__v_enum(v, "protocol", p->protocol, tg_protocols);
	gws_manifest__v_enum(v, "protocolVersion", p->protocol_version, tg_protocol_versions);
	if (p->health_check_config)
		gws_manifest__v_enum(v, "healthCheckConfig.healthCheckProtocol",
		                     p->health_check_config->health_check_protocol, hc_protocols);
	gws_manifest__v_label_selector(v, "nodeSelector", p->node_selector);
	v_attributes(v, "targetGroupAttributes", p->target_group_attributes,
	             p->n_target_group_attributes);
	gws_manifest__v_pop(v, mark);
}

void gws_manifest__validate_tg_config(gws_manifest__vctx *v)
{
	const gws_mf_tg_config *c = v->obj->spec.tg_config;
	size_t mark = gws_manifest__v_push(v, "spec"), i;

	if (c->target_reference)
		gws_manifest__v_required(v, "targetReference.name",
		                         c->target_reference->name != NULL);
	if (c->default_configuration)
		v_tg_props(v, "defaultConfiguration", c->default_configuration);
	for (i = 0; i < c->n_route_configurations; i++) {
		size_t m = gws_manifest__v_push_index(v, "routeConfigurations", i);

		v_tg_props(v, "targetGroupProps", &c->route_configurations[i].target_group_props);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

/* ---- ListenerRuleConfiguration ---- */

static void v_authenticate(gws_manifest__vctx *v, const char *field,
                           const gws_mf_authenticate_config *a, bool oidc)
{
	size_t mark = gws_manifest__v_push(v, field);

	if (oidc) {
		gws_manifest__v_required(v, "authorizationEndpoint",
		                         a->authorization_endpoint != NULL);
		if (gws_manifest__v_required(v, "secret", gws_manifest__v_has(v, "secret")))
			gws_manifest__v_required(v, "secret.name", a->secret_name != NULL);
		gws_manifest__v_required(v, "issuer", a->issuer != NULL);
		gws_manifest__v_required(v, "tokenEndpoint", a->token_endpoint != NULL);
		gws_manifest__v_required(v, "userInfoEndpoint", a->user_info_endpoint != NULL);
	} else {
		gws_manifest__v_required(v, "userPoolArn", a->user_pool_arn != NULL);
		gws_manifest__v_required(v, "userPoolClientId", a->user_pool_client_id != NULL);
		gws_manifest__v_required(v, "userPoolDomain", a->user_pool_domain != NULL);
	}
	gws_manifest__v_entries(v, "authenticationRequestExtraParams",
	                        a->n_authentication_request_extra_params, 10);
	gws_manifest__v_enum(v, "onUnauthenticatedRequest", a->on_unauthenticated_request,
	                     unauthenticated_actions);
	gws_manifest__v_range(v, "sessionTimeout", &a->session_timeout, 1, 604800);
	gws_manifest__v_pop(v, mark);
}

static void v_jwt(gws_manifest__vctx *v, const gws_mf_jwt_validation_config *j)
{
	size_t mark = gws_manifest__v_push(v, "jwtValidationConfig"), i, k;

	if (gws_manifest__v_required(v, "issuer", j->issuer != NULL))
		gws_manifest__v_length(v, "issuer", j->issuer, 0, 256);
	if (gws_manifest__v_required(v, "jwksEndpoint", j->jwks_endpoint != NULL))
		gws_manifest__v_length(v, "jwksEndpoint", j->jwks_endpoint, 0, 256);
	for (i = 0; i < j->n_additional_claims; i++) {
		const gws_mf_jwt_claim *c = &j->additional_claims[i];
		size_t m = gws_manifest__v_push_index(v, "additionalClaims", i);

		if (gws_manifest__v_required(v, "format", c->format != NULL))
			gws_manifest__v_enum(v, "format", c->format, claim_formats);
		if (gws_manifest__v_required(v, "name", c->name != NULL))
			gws_manifest__v_length(v, "name", c->name, 1, SIZE_MAX);
		size_t n_values = gws_manifest__v_items(v, "values", c->n_values, 1, 10);
		for (k = 0; k < n_values; k++) {
			size_t e = gws_manifest__v_push_index(v, "values", k);

			gws_manifest__v_length(v, NULL, c->values[k], 0, 256);
			gws_manifest__v_pop(v, e);
		}
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

typedef struct {
	const char *type;
	const char *field;
} action_config;

static const action_config action_configs[] = {
        {"forward", "forwardConfig"},
        {"redirect", "redirectConfig"},
        {"fixed-response", "fixedResponseConfig"},
        {"authenticate-cognito", "authenticateCognitoConfig"},
        {"authenticate-oidc", "authenticateOIDCConfig"},
        {"jwt-validation", "jwtValidationConfig"},
};

/*
 * The CRD's rule per config: present if and only if the type matches.
 * Presence is read from the source, not from the typed (defaulted) action,
 * so a default can never satisfy the rule on the user's behalf.
 */
static void v_action_configs(gws_manifest__vctx *v, const gws_mf_lrc_action *a)
{
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(action_configs); i++) {
		const action_config *c = &action_configs[i];
		bool typed = gws_manifest__str_eq(a->type, c->type);
		bool present = gws_manifest__v_has(v, c->field);

		if (typed != present)
			gws_manifest__v_error(v, present ? c->field : NULL,
			                      "%s must be specified only when type is '%s'",
			                      c->field, c->type);
	}
}

static void v_action(gws_manifest__vctx *v, const gws_mf_lrc_action *a)
{
	if (!gws_manifest__v_required(v, "type", a->type != NULL) ||
	    !gws_manifest__v_enum(v, "type", a->type, action_types))
		return;
	v_action_configs(v, a);
	if (gws_manifest__str_eq(a->type, "forward") && a->forward_config &&
	    a->forward_config->target_group_stickiness_config)
		gws_manifest__v_range(
		        v, "forwardConfig.targetGroupStickinessConfig.durationSeconds",
		        &a->forward_config->target_group_stickiness_config->duration_seconds, 1,
		        604800);
	if (gws_manifest__str_eq(a->type, "fixed-response") && a->fixed_response_config) {
		const gws_mf_fixed_response_config *f = a->fixed_response_config;
		size_t mark = gws_manifest__v_push(v, "fixedResponseConfig");
		int64_t code = f->status_code.value;

		if (gws_manifest__v_required(v, "statusCode", f->status_code.set) &&
		    !((code >= 200 && code <= 299) || (code >= 400 && code <= 599)))
			gws_manifest__v_error(
			        v, "statusCode",
			        "StatusCode must be a valid HTTP status code in the 2XX, "
			        "4XX, or 5XX range (got %lld)",
			        (long long)code);
		gws_manifest__v_enum(v, "contentType", f->content_type, content_types);
		gws_manifest__v_pop(v, mark);
	}
	if (gws_manifest__str_eq(a->type, "authenticate-cognito") && a->authenticate_cognito_config)
		v_authenticate(v, "authenticateCognitoConfig", a->authenticate_cognito_config,
		               false);
	if (gws_manifest__str_eq(a->type, "authenticate-oidc") && a->authenticate_oidc_config)
		v_authenticate(v, "authenticateOIDCConfig", a->authenticate_oidc_config, true);
	if (gws_manifest__str_eq(a->type, "jwt-validation") && a->jwt_validation_config)
		v_jwt(v, a->jwt_validation_config);
}

static void v_action_combination(gws_manifest__vctx *v, const gws_mf_lrc_config *c)
{
	size_t i, auth = 0, terminal = 0;

	for (i = 0; i < c->n_actions; i++) {
		const char *t = c->actions[i].type;

		auth += gws_manifest__str_eq(t, "authenticate-oidc") ||
		        gws_manifest__str_eq(t, "authenticate-cognito") ||
		        gws_manifest__str_eq(t, "jwt-validation");
		terminal += gws_manifest__str_eq(t, "fixed-response") ||
		            gws_manifest__str_eq(t, "forward") ||
		            gws_manifest__str_eq(t, "redirect");
	}
	if (auth > 1)
		gws_manifest__v_error(v, "actions",
		                      "At most one pre-routing action (authenticate-oidc, "
		                      "authenticate-cognito, or jwt-validation) can be specified");
	if (terminal > 1)
		gws_manifest__v_error(v, "actions",
		                      "At most one routing action (fixed-response or forward or "
		                      "redirect) can be specified");
}

static void v_conditions(gws_manifest__vctx *v, const gws_mf_lrc_config *c)
{
	size_t i;

	if (gws_manifest__v_has(v, "conditions"))
		gws_manifest__v_count(v, "conditions", c->n_conditions, 1, 0);
	for (i = 0; i < c->n_conditions; i++) {
		const gws_mf_lrc_condition *cond = &c->conditions[i];
		size_t mark = gws_manifest__v_push_index(v, "conditions", i);
		bool source_ip = gws_manifest__str_eq(cond->field, "source-ip");

		if (gws_manifest__v_required(v, "field", cond->field != NULL))
			gws_manifest__v_enum(v, "field", cond->field, condition_fields);
		if (source_ip != cond->has_source_ip_config)
			gws_manifest__v_error(v,
			                      cond->has_source_ip_config ? "sourceIPConfig" : NULL,
			                      "sourceIPConfig must be specified only when field is "
			                      "'source-ip'");
		if (cond->has_source_ip_config)
			gws_manifest__v_count(v, "sourceIPConfig.values", cond->n_source_ip_values,
			                      1, 0);
		gws_manifest__v_pop(v, mark);
	}
}

void gws_manifest__validate_lrc_config(gws_manifest__vctx *v)
{
	const gws_mf_lrc_config *c = v->obj->spec.lrc_config;
	size_t mark = gws_manifest__v_push(v, "spec"), i;

	if (gws_manifest__v_has(v, "actions") && c->n_actions == 0)
		gws_manifest__v_error(v, "actions",
		                      "At least one action must be specified if actions field is "
		                      "present");
	size_t n_actions = gws_manifest__v_items(v, "actions", c->n_actions, 0, 2);
	for (i = 0; i < n_actions; i++) {
		size_t m = gws_manifest__v_push_index(v, "actions", i);

		v_action(v, &c->actions[i]);
		gws_manifest__v_pop(v, m);
	}
	v_action_combination(v, c);
	v_conditions(v, c);
	gws_manifest__v_pop(v, mark);
}
