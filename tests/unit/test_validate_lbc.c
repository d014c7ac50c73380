/*
 * Validation rules of the gateway.k8s.aws kinds (LoadBalancerConfiguration,
 * TargetGroupConfiguration, ListenerRuleConfiguration): each rule with a case
 * that passes and a case that fails, through the real loader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gwsync/manifest.h"
#include "helper_validate.h"

#define P "m.yaml:"
/* Lines 1-4; spec fields start on line 5, column 3. */
#define LBC                                                                                        \
	"apiVersion: gateway.k8s.aws/v1\nkind: LoadBalancerConfiguration\n"                        \
	"metadata: {name: c, namespace: ns}\nspec:\n"
#define LOBJ " LoadBalancerConfiguration ns/c: "
#define TGC                                                                                        \
	"apiVersion: gateway.k8s.aws/v1beta1\nkind: TargetGroupConfiguration\n"                    \
	"metadata: {name: t, namespace: ns}\nspec:\n"
#define TOBJ " TargetGroupConfiguration ns/t: "
#define LRC                                                                                        \
	"apiVersion: gateway.k8s.aws/v1\nkind: ListenerRuleConfiguration\n"                        \
	"metadata: {name: r, namespace: ns}\nspec:\n"
#define ROBJ " ListenerRuleConfiguration ns/r: "

/* ---- LoadBalancerConfiguration ---- */

static const gwst_vcase lbc_enums_ok = {
        LBC "  mergingMode: prefer-gateway-class\n  scheme: internal\n"
            "  ipAddressType: dualstack-without-public-ipv4\n  loadBalancerName: "
            "abcdefghijabcdefghijabcdefghij12\n",
        ""};
static const gwst_vcase lbc_scheme = {
        LBC "  scheme: Internal\n",
        P "5:3:" LOBJ "spec.scheme: unsupported value \"Internal\": must be one of internal, "
          "internet-facing"};
static const gwst_vcase lbc_merging_mode = {
        LBC "  mergingMode: gateway\n",
        P "5:3:" LOBJ "spec.mergingMode: unsupported value \"gateway\": must be one of "
          "prefer-gateway, prefer-gateway-class"};
static const gwst_vcase lbc_ip_type = {
        LBC "  ipAddressType: ipv6\n",
        P "5:3:" LOBJ "spec.ipAddressType: unsupported value \"ipv6\": must be one of ipv4, "
          "dualstack, dualstack-without-public-ipv4"};
static const gwst_vcase lbc_name_long = {
        LBC "  loadBalancerName: abcdefghijabcdefghijabcdefghij123\n",
        P "5:3:" LOBJ "spec.loadBalancerName: must be at most 32 characters long, got 33"};
static const gwst_vcase lbc_listener_ok = {
        LBC "  listenerConfigurations:\n  - protocolPort: \"HTTPS:65535\"\n    alpnPolicy: "
            "HTTP2Only\n    mutualAuthentication: {mode: verify, trustStore: ts, "
            "advertiseTrustStoreCaNames: \"off\"}\n",
        ""};
static const gwst_vcase lbc_protocol_port = {
        LBC "  listenerConfigurations:\n  - protocolPort: \"HTTPS:443:1\"\n",
        P "6:5:" LOBJ "spec.listenerConfigurations[0].protocolPort: \"HTTPS:443:1\" is not a valid "
          "protocolPort: use <protocol>:<port> with a protocol of HTTP, HTTPS, TLS, TCP, "
          "UDP or TCP_UDP and a port from 1 to 65535, such as HTTPS:443"};
static const gwst_vcase lbc_protocol_port_missing = {
        LBC "  listenerConfigurations:\n  - sslPolicy: p\n",
        P "6:5:" LOBJ "spec.listenerConfigurations[0].protocolPort: is required"};
static const gwst_vcase lbc_alpn = {
        LBC "  listenerConfigurations:\n  - protocolPort: \"HTTPS:443\"\n    alpnPolicy: h2\n", P
        "7:5:" LOBJ "spec.listenerConfigurations[0].alpnPolicy: unsupported value \"h2\": must be "
        "one of HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred, None"};
static const gwst_vcase lbc_mtls_verify = {
        LBC "  listenerConfigurations:\n  - protocolPort: \"HTTPS:443\"\n"
            "    mutualAuthentication: {mode: verify}\n",
        P "7:5:" LOBJ "spec.listenerConfigurations[0].mutualAuthentication: trustStore is required "
          "when mutualAuthentication mode is 'verify'"};
static const gwst_vcase lbc_mtls_off = {
        LBC "  listenerConfigurations:\n  - protocolPort: \"HTTPS:443\"\n"
            "    mutualAuthentication: {mode: \"off\", ignoreClientCertificateExpiry: true}\n",
        P "7:41:" LOBJ "spec.listenerConfigurations[0].mutualAuthentication."
          "ignoreClientCertificateExpiry: Mutual Authentication mode 'off' or "
          "'passthrough' does not support 'ignoreClientCertificateExpiry'"};
static const gwst_vcase lbc_subnets_ok = {
        LBC "  loadBalancerSubnets:\n  - {identifier: a, eipAllocation: e1}\n"
            "  - {identifier: b, eipAllocation: e2}\n",
        ""};
static const gwst_vcase lbc_subnets_partial = {
        LBC "  loadBalancerSubnets:\n  - {identifier: a, privateIPv4Allocation: 10.0.0.5}\n"
            "  - {identifier: b}\n",
        P "5:3:" LOBJ "spec.loadBalancerSubnets: privateIPv4Allocation must be set on every subnet "
          "or on none (1 of 2 have it)"};
static const gwst_vcase lbc_attribute_key = {LBC "  loadBalancerAttributes:\n  - {value: \"60\"}\n",
                                             P "6:5:" LOBJ
                                               "spec.loadBalancerAttributes[0].key: is required"};
static const gwst_vcase lbc_default_tgc_name = {
        LBC "  defaultTargetGroupConfiguration: {}\n",
        P "5:3:" LOBJ "spec.defaultTargetGroupConfiguration.name: is required"};

/* ---- TargetGroupConfiguration ---- */

static const gwst_vcase tgc_ok = {
        TGC "  targetReference: {name: svc}\n  defaultConfiguration:\n"
            "    {targetType: ip, protocol: TCP_UDP, protocolVersion: GRPC, ipAddressType: ipv6,\n"
            "     targetControlPort: 65535, healthCheckConfig: {healthCheckProtocol: TCP}}\n",
        ""};
static const gwst_vcase tgc_target_name = {TGC "  targetReference: {kind: Service}\n",
                                           P "5:3:" TOBJ "spec.targetReference.name: is required"};
static const gwst_vcase tgc_target_type = {
        TGC "  defaultConfiguration:\n    targetType: alb\n", P
        "6:5:" TOBJ "spec.defaultConfiguration.targetType: unsupported value \"alb\": must be one "
        "of instance, ip"};
static const gwst_vcase tgc_protocol = {
        TGC "  defaultConfiguration:\n    protocol: QUIC\n",
        P "6:5:" TOBJ "spec.defaultConfiguration.protocol: unsupported value \"QUIC\": must be one "
          "of HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP"};
static const gwst_vcase tgc_health_protocol = {
        TGC "  routeConfigurations:\n  - routeIdentifier: {kind: HTTPRoute}\n"
            "    targetGroupProps:\n      healthCheckConfig: {healthCheckProtocol: GRPC}\n",
        P "8:27:" TOBJ "spec.routeConfigurations[0].targetGroupProps.healthCheckConfig."
          "healthCheckProtocol: unsupported value \"GRPC\": must be one of HTTP, HTTPS, "
          "TCP"};
/* ---- ListenerRuleConfiguration ---- */

static const gwst_vcase lrc_ok = {
        LRC "  actions:\n  - type: jwt-validation\n    jwtValidationConfig:\n"
            "      issuer: https://i\n      jwksEndpoint: https://i/jwks\n"
            "      additionalClaims: [{format: space-separated-values, name: scope, values: [a]}]\n"
            "  - type: redirect\n    redirectConfig: {query: x=1}\n"
            "  conditions:\n  - {field: source-ip, sourceIPConfig: {values: [10.0.0.0/8]}}\n",
        ""};
static const gwst_vcase lrc_actions_empty = {
        LRC "  actions: []\n",
        P "5:3:" ROBJ "spec.actions: At least one action must be specified if actions field is "
          "present"};
static const gwst_vcase lrc_conditions_only_ok = {
        LRC "  conditions:\n  - {field: source-ip, sourceIPConfig: {values: [10.0.0.0/8]}}\n", ""};
static const gwst_vcase lrc_two_terminal = {
        LRC "  actions:\n  - type: forward\n    forwardConfig: {}\n  - type: redirect\n"
            "    redirectConfig: {}\n",
        P "5:3:" ROBJ "spec.actions: At most one routing action (fixed-response or forward or "
          "redirect) can be specified"};
static const gwst_vcase lrc_forward_config_required = {
        LRC "  actions:\n  - type: forward\n",
        P "6:5:" ROBJ "spec.actions[0]: forwardConfig must be specified only when type is "
          "'forward'"};
static const gwst_vcase lrc_type = {
        LRC "  actions:\n  - type: Forward\n", P
        "6:5:" ROBJ "spec.actions[0].type: unsupported value \"Forward\": must be one of forward, "
        "fixed-response, redirect, authenticate-cognito, authenticate-oidc, "
        "jwt-validation"};
static const gwst_vcase lrc_config_missing = {
        LRC "  actions:\n  - type: authenticate-cognito\n",
        P "6:5:" ROBJ "spec.actions[0]: authenticateCognitoConfig must be specified only when type "
          "is 'authenticate-cognito'"};
static const gwst_vcase lrc_config_misplaced = {
        LRC "  actions:\n  - type: redirect\n    redirectConfig: {}\n    forwardConfig: {}\n",
        P "8:5:" ROBJ "spec.actions[0].forwardConfig: forwardConfig must be specified only when "
          "type is 'forward'"};
static const gwst_vcase lrc_status_code_ok = {
        LRC "  actions:\n  - type: fixed-response\n    fixedResponseConfig: {statusCode: 599}\n",
        ""};
static const gwst_vcase lrc_status_code = {
        LRC "  actions:\n  - type: fixed-response\n    fixedResponseConfig: {statusCode: 399}\n",
        P "7:27:" ROBJ "spec.actions[0].fixedResponseConfig.statusCode: StatusCode must be a valid "
          "HTTP status code in the 2XX, 4XX, or 5XX range (got 399)"};
static const gwst_vcase lrc_stickiness = {
        LRC "  actions:\n  - type: forward\n    forwardConfig:\n"
            "      targetGroupStickinessConfig: {durationSeconds: 604801}\n",
        P "8:37:" ROBJ "spec.actions[0].forwardConfig.targetGroupStickinessConfig.durationSeconds: "
          "must be between 1 and 604800, got 604801"};
static const gwst_vcase lrc_oidc_required = {
        LRC "  actions:\n  - type: authenticate-oidc\n    authenticateOIDCConfig:\n"
            "      authorizationEndpoint: a\n      issuer: i\n      tokenEndpoint: t\n"
            "      userInfoEndpoint: u\n  - type: forward\n    forwardConfig: {}\n",
        P "7:5:" ROBJ "spec.actions[0].authenticateOIDCConfig.secret: is required"};
static const gwst_vcase lrc_oidc_secret_name = {
        LRC "  actions:\n  - type: authenticate-oidc\n    authenticateOIDCConfig:\n"
            "      authorizationEndpoint: a\n      issuer: i\n      tokenEndpoint: t\n"
            "      userInfoEndpoint: u\n      secret: {}\n",
        P "12:7:" ROBJ "spec.actions[0].authenticateOIDCConfig.secret.name: is required"};
static const gwst_vcase lrc_jwt_claim_values = {
        LRC "  actions:\n  - type: jwt-validation\n    jwtValidationConfig:\n"
            "      issuer: https://i\n      jwksEndpoint: https://i/jwks\n"
            "      additionalClaims: [{format: string-array, name: groups, values: []}]\n",
        P "10:63:" ROBJ "spec.actions[0].jwtValidationConfig.additionalClaims[0].values: must have "
          "at least 1 item"};
static const gwst_vcase lrc_condition_field = {
        LRC "  conditions:\n  - {field: path, sourceIPConfig: {values: [10.0.0.0/8]}}\n",
        P "6:6:" ROBJ "spec.conditions[0].field: unsupported value \"path\": must be one of "
          "source-ip\n" P "6:19:" ROBJ
          "spec.conditions[0].sourceIPConfig: sourceIPConfig must be specified only "
          "when field is 'source-ip'"};
static const gwst_vcase lrc_condition_config = {
        LRC "  conditions:\n  - {field: source-ip}\n",
        P "6:5:" ROBJ "spec.conditions[0]: sourceIPConfig must be specified only when field is "
          "'source-ip'"};

int main(void)
{
	const struct CMUnitTest tests[] = {
	        GWST_VCASE(lbc_enums_ok, lbc_enums_ok),
	        GWST_VCASE(lbc_scheme, lbc_scheme),
	        GWST_VCASE(lbc_merging_mode, lbc_merging_mode),
	        GWST_VCASE(lbc_ip_type, lbc_ip_type),
	        GWST_VCASE(lbc_name_long, lbc_name_long),
	        GWST_VCASE(lbc_listener_ok, lbc_listener_ok),
	        GWST_VCASE(lbc_protocol_port, lbc_protocol_port),
	        GWST_VCASE(lbc_protocol_port_missing, lbc_protocol_port_missing),
	        GWST_VCASE(lbc_alpn, lbc_alpn),
	        GWST_VCASE(lbc_mtls_verify, lbc_mtls_verify),
	        GWST_VCASE(lbc_mtls_off, lbc_mtls_off),
	        GWST_VCASE(lbc_subnets_ok, lbc_subnets_ok),
	        GWST_VCASE(lbc_subnets_partial, lbc_subnets_partial),
	        GWST_VCASE(lbc_attribute_key, lbc_attribute_key),
	        GWST_VCASE(lbc_default_tgc_name, lbc_default_tgc_name),
	        GWST_VCASE(tgc_ok, tgc_ok),
	        GWST_VCASE(tgc_target_name, tgc_target_name),
	        GWST_VCASE(tgc_target_type, tgc_target_type),
	        GWST_VCASE(tgc_protocol, tgc_protocol),
	        GWST_VCASE(tgc_health_protocol, tgc_health_protocol),
	        GWST_VCASE(lrc_ok, lrc_ok),
	        GWST_VCASE(lrc_actions_empty, lrc_actions_empty),
	        GWST_VCASE(lrc_conditions_only_ok, lrc_conditions_only_ok),
	        GWST_VCASE(lrc_two_terminal, lrc_two_terminal),
	        GWST_VCASE(lrc_forward_config_required, lrc_forward_config_required),
	        GWST_VCASE(lrc_type, lrc_type),
	        GWST_VCASE(lrc_config_missing, lrc_config_missing),
	        GWST_VCASE(lrc_config_misplaced, lrc_config_misplaced),
	        GWST_VCASE(lrc_status_code_ok, lrc_status_code_ok),
	        GWST_VCASE(lrc_status_code, lrc_status_code),
	        GWST_VCASE(lrc_stickiness, lrc_stickiness),
	        GWST_VCASE(lrc_oidc_required, lrc_oidc_required),
	        GWST_VCASE(lrc_oidc_secret_name, lrc_oidc_secret_name),
	        GWST_VCASE(lrc_jwt_claim_values, lrc_jwt_claim_values),
	        GWST_VCASE(lrc_condition_field, lrc_condition_field),
	        GWST_VCASE(lrc_condition_config, lrc_condition_config),
	};

	return cmocka_run_group_tests_name("validate_lbc", tests, NULL, NULL);
}
