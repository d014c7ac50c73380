/*
 * Validation rules of GatewayClass, Gateway and ListenerSet: each rule with a
 * case that passes and a case that fails, through the real loader.
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

/* Lines 1-6; the first listener item starts on line 7 (its keys in column 5). */
#define GW                                                                                         \
	"apiVersion: gateway.networking.k8s.io/v1\n"                                               \
	"kind: Gateway\n"                                                                          \
	"metadata: {name: gw, namespace: ns}\n"                                                    \
	"spec:\n"                                                                                  \
	"  gatewayClassName: alb\n"                                                                \
	"  listeners:\n"
#define P   "m.yaml:"
#define OBJ " Gateway ns/gw: "

/* ---- listener scalars ---- */

static const gwst_vcase port_max_ok = {GW "  - name: a\n    protocol: HTTP\n    port: 65535\n", ""};
static const gwst_vcase port_too_big = {
        GW "  - name: a\n    protocol: HTTP\n    port: 65536\n",
        P "9:5:" OBJ "spec.listeners[0].port: must be between 1 and 65535, got 65536"};
static const gwst_vcase port_zero = {GW "  - name: a\n    protocol: HTTP\n    port: 0\n", P
                                     "9:5:" OBJ
                                     "spec.listeners[0].port: must be between 1 and 65535, got 0"};
static const gwst_vcase port_missing = {GW "  - name: a\n    protocol: HTTP\n",
                                        P "7:5:" OBJ "spec.listeners[0].port: is required"};
static const gwst_vcase name_ok = {
        GW "  - name: web-1.internal\n    protocol: HTTP\n    port: 80\n", ""};
static const gwst_vcase name_bad = {
        GW "  - name: Web\n    protocol: HTTP\n    port: 80\n", P
        "7:5:" OBJ "spec.listeners[0].name: \"Web\" is not a valid name: use at most 253 lowercase "
        "letters, digits, '-' and '.', starting and ending with a letter or digit"};
static const gwst_vcase name_missing = {GW "  - protocol: HTTP\n    port: 80\n",
                                        P "7:5:" OBJ "spec.listeners[0].name: is required"};
static const gwst_vcase protocol_custom_ok = {
        GW "  - name: a\n    protocol: example.com/quic\n    port: 80\n", ""};
static const gwst_vcase protocol_bad = {
        GW "  - name: a\n    protocol: HTTP/2\n    port: 80\n",
        P "8:5:" OBJ "spec.listeners[0].protocol: \"HTTP/2\" is not a valid protocol: use HTTP, "
          "HTTPS, TLS, TCP, UDP or a domain-prefixed name such as example.com/proto "
          "(letters, digits and '-', at most 255 characters)"};
static const gwst_vcase hostname_wildcard_ok = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    hostname: \"*.example.com\"\n", ""};
static const gwst_vcase hostname_bad = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    hostname: \"*example.com\"\n",
        P "10:5:" OBJ "spec.listeners[0].hostname: \"*example.com\" is not a valid hostname: a "
          "wildcard label must be followed by a dot and a domain, as in *.example.com"};

/* ---- listener CEL rules ---- */

static const gwst_vcase hostname_on_tls_ok = {
        GW "  - name: a\n    protocol: TLS\n    port: 443\n    hostname: db.example.com\n"
           "    tls: {mode: Passthrough}\n",
        ""};
static const gwst_vcase hostname_on_udp = {
        GW "  - name: a\n    protocol: UDP\n    port: 53\n    hostname: dns.example.com\n",
        P "10:5:" OBJ "spec.listeners[0].hostname: hostname must not be specified for protocols "
          "['TCP', 'UDP']"};
static const gwst_vcase tls_on_https_ok = {
        GW "  - name: a\n    protocol: HTTPS\n    port: 443\n    tls:\n      certificateRefs:\n"
           "      - name: cert\n",
        ""};
static const gwst_vcase tls_on_tcp = {
        GW "  - name: a\n    protocol: TCP\n    port: 443\n    tls:\n      certificateRefs:\n"
           "      - name: cert\n",
        P "10:5:" OBJ "spec.listeners[0].tls: tls must not be specified for protocols ['HTTP', "
          "'TCP', 'UDP']"};
static const gwst_vcase https_passthrough = {
        GW "  - name: a\n    protocol: HTTPS\n    port: 443\n    tls:\n      mode: Passthrough\n",
        P "11:7:" OBJ "spec.listeners[0].tls.mode: tls mode must be Terminate for protocol HTTPS"};
static const gwst_vcase https_without_tls_ok = {
        GW "  - name: a\n    protocol: HTTPS\n    port: 443\n", ""};
static const gwst_vcase tls_without_tls = {
        GW "  - name: a\n    protocol: TLS\n    port: 443\n",
        P "7:5:" OBJ "spec.listeners[0]: tls mode must be set for protocol TLS"};
static const gwst_vcase terminate_with_options_ok = {
        GW "  - name: a\n    protocol: TLS\n    port: 443\n    tls:\n      options:\n"
           "        example.com/cert: arn\n",
        ""};
static const gwst_vcase terminate_empty = {
        GW "  - name: a\n    protocol: TLS\n    port: 443\n    tls: {}\n",
        P "10:5:" OBJ "spec.listeners[0].tls: certificateRefs or options must be specified when "
          "mode is Terminate"};
static const gwst_vcase tls_mode_enum = {
        GW "  - name: a\n    protocol: TLS\n    port: 443\n    tls:\n      mode: Mutual\n",
        P "11:7:" OBJ "spec.listeners[0].tls.mode: unsupported value \"Mutual\": must be one of "
          "Terminate, Passthrough"};
static const gwst_vcase names_distinct_ok = {GW "  - name: a\n    protocol: HTTP\n    port: 80\n"
                                                "  - name: b\n    protocol: HTTP\n    port: 81\n",
                                             ""};
static const gwst_vcase names_repeated = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n"
           "  - name: a\n    protocol: HTTP\n    port: 81\n",
        P "10:5:" OBJ "spec.listeners[1].name: Listener name must be unique within the Gateway"};
static const gwst_vcase endpoints_distinct_ok = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n"
           "  - name: b\n    protocol: HTTP\n    port: 80\n    hostname: a.example.com\n",
        ""};
static const gwst_vcase endpoints_repeated = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n"
           "  - name: b\n    protocol: HTTP\n    port: 80\n",
        P "10:5:" OBJ "spec.listeners[1]: Combination of port, protocol and hostname must be "
          "unique for each listener"};
static const gwst_vcase listeners_empty = {
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
        "metadata: {name: gw, namespace: ns}\nspec:\n  gatewayClassName: alb\n  listeners: []\n",
        P "6:3:" OBJ "spec.listeners: must have at least 1 item"};
static const gwst_vcase class_missing = {
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
        "metadata: {name: gw, namespace: ns}\nspec:\n  listeners:\n"
        "  - name: a\n    protocol: HTTP\n    port: 80\n",
        P "4:1:" OBJ "spec.gatewayClassName: is required"};

/* ---- allowedRoutes ---- */

static const gwst_vcase from_all_ok = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n"
           "      namespaces: {from: All}\n",
        ""};
static const gwst_vcase from_none = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n"
           "      namespaces:\n        from: None\n",
        P "12:9:" OBJ
          "spec.listeners[0].allowedRoutes.namespaces.from: unsupported value \"None\": "
          "must be one of All, Selector, Same"};
static const gwst_vcase selector_ok = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n"
           "      namespaces:\n        from: Selector\n        selector:\n"
           "          matchExpressions:\n          - {key: team, operator: In, values: [web]}\n"
           "          - {key: env, operator: DoesNotExist}\n",
        ""};
static const gwst_vcase selector_bad = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n"
           "      namespaces:\n        from: Selector\n        selector:\n"
           "          matchExpressions:\n          - {key: team, operator: NotIn}\n",
        P "15:13:" OBJ "spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0]."
          "values: must have at least 1 item when operator is NotIn"};
static const gwst_vcase kinds_bad = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n      kinds:\n"
           "      - kind: 9Route\n",
        P "12:9:" OBJ "spec.listeners[0].allowedRoutes.kinds[0].kind: \"9Route\" is not a valid "
          "kind: use at most 63 letters, digits and '-', starting with a letter and "
          "ending with a letter or digit"};
static const gwst_vcase kinds_too_many = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n"
           "      kinds: [{kind: A}, {kind: B}, {kind: C}, {kind: D}, {kind: E}, {kind: F},"
           " {kind: G}, {kind: H}, {kind: I}]\n",
        P "11:7:" OBJ "spec.listeners[0].allowedRoutes.kinds: must have at most 8 items, got 9; "
          "object ignored"};
static const gwst_vcase kinds_eight_ok = {
        GW "  - name: a\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n"
           "      kinds: [{kind: A}, {kind: B}, {kind: C}, {kind: D}, {kind: E}, {kind: F},"
           " {kind: G}, {kind: H}]\n",
        ""};
static const gwst_vcase cert_ref_bad = {
        GW "  - name: a\n    protocol: HTTPS\n    port: 443\n    tls:\n      certificateRefs:\n"
           "      - {name: cert, namespace: Certs}\n",
        P "12:22:" OBJ
          "spec.listeners[0].tls.certificateRefs[0].namespace: \"Certs\" is not a valid "
          "DNS label: use at most 63 lowercase letters, digits and '-', starting and "
          "ending with a letter or digit"};

/* ---- addresses, infrastructure, allowedListeners ---- */

#define GW_ADDR                                                                                    \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"                                \
	"metadata: {name: gw, namespace: ns}\nspec:\n  gatewayClassName: alb\n"                    \
	"  listeners: [{name: a, protocol: TCP, port: 22}]\n"

static const gwst_vcase addresses_ok = {
        GW_ADDR "  addresses:\n  - value: 10.0.0.1\n  - {type: Hostname, value: 10.0.0.1}\n"
                "  - {type: Hostname, value: \"*.lb.example.com\"}\n",
        ""};
static const gwst_vcase addresses_ip_repeated = {
        GW_ADDR "  addresses:\n  - value: 10.0.0.1\n  - value: 10.0.0.1\n",
        P "9:5:" OBJ "spec.addresses[1].value: IPAddress values must be unique"};
static const gwst_vcase addresses_hostname_repeated = {
        GW_ADDR "  addresses:\n  - {type: Hostname, value: lb.example.com}\n"
                "  - {type: Hostname, value: lb.example.com}\n",
        P "9:22:" OBJ "spec.addresses[1].value: Hostname values must be unique"};
static const gwst_vcase addresses_hostname_bad = {
        GW_ADDR "  addresses:\n  - {type: Hostname, value: LB}\n",
        P "8:22:" OBJ "spec.addresses[0].value: Hostname value must be empty or contain only valid "
          "characters (matching "
          "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)"};
static const gwst_vcase addresses_not_ip = {
        GW_ADDR "  addresses:\n  - value: 10.0.0.300\n",
        P "8:5: warning:" OBJ "spec.addresses[0].value: \"10.0.0.300\" is not an IP address: the "
          "Gateway will not be accepted with it"};
static const gwst_vcase infrastructure_ok = {
        GW_ADDR "  infrastructure:\n    labels: {example.com/tier: edge, team: web}\n"
                "    parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, "
                "name: lbc}\n",
        ""};
static const gwst_vcase infrastructure_label_key = {
        GW_ADDR "  infrastructure:\n    labels:\n      team_: web\n",
        P "9:7:" OBJ "spec.infrastructure.labels.team_: Label keys must be in the form of an "
          "optional DNS subdomain prefix followed by a required name segment of up to "
          "63 characters."};
static const gwst_vcase infrastructure_ref_name = {
        GW_ADDR "  infrastructure:\n    parametersRef:\n      group: gateway.k8s.aws\n"
                "      kind: LoadBalancerConfiguration\n",
        P "8:5:" OBJ "spec.infrastructure.parametersRef.name: is required"};
static const gwst_vcase allowed_listeners_bad = {
        GW_ADDR "  allowedListeners:\n    namespaces:\n      from: Nobody\n",
        P "9:7:" OBJ "spec.allowedListeners.namespaces.from: unsupported value \"Nobody\": must be "
          "one of All, Selector, Same, None"};

/* 64 listeners are allowed, 65 are not. */
static void listeners_count(void **state)
{
	char yaml[16384];
	size_t o = 0;
	char *got;
	int i;

	(void)state;
	o += (size_t)snprintf(yaml, sizeof(yaml), "%s", GW);
	for (i = 0; i < 64; i++)
		o += (size_t)snprintf(yaml + o, sizeof(yaml) - o,
		                      "  - {name: l%d, protocol: TCP, port: %d}\n", i, 1000 + i);
	got = gwst_validate_yaml(yaml);
	assert_non_null(got);
	assert_string_equal(got, "");
	gws_free(got);
	snprintf(yaml + o, sizeof(yaml) - o, "  - {name: l64, protocol: TCP, port: 2000}\n");
	got = gwst_validate_yaml(yaml);
	assert_non_null(got);
	assert_string_equal(got,
	                    P "6:3:" OBJ
	                      "spec.listeners: must have at most 64 items, got 65; object ignored");
	gws_free(got);
}

/* ---- GatewayClass ---- */

#define GC                                                                                         \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: "          \
	"gc}\nspec:\n"

static const gwst_vcase class_ok = {
        GC "  controllerName: gateway.k8s.aws/alb\n"
           "  description: 'A description of exactly sixty-four characters, the most allowed'\n"
           "  parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: c, "
           "namespace: infra}\n",
        ""};
static const gwst_vcase class_controller_bad = {
        GC "  controllerName: Gateway.k8s.aws/alb\n",
        P "5:3: GatewayClass gc: spec.controllerName: \"Gateway.k8s.aws/alb\" is not a valid "
          "controller name: use a domain-prefixed path such as gateway.k8s.aws/alb (at most 253 "
          "characters)"};
static const gwst_vcase class_controller_missing = {
        GC "  description: none\n", P "4:1: GatewayClass gc: spec.controllerName: is required"};
static const gwst_vcase class_description_long = {
        GC "  controllerName: gateway.k8s.aws/alb\n"
           "  description: 'A description of exactly sixty-five characters: one over the max!'\n",
        P "6:3: GatewayClass gc: spec.description: must be at most 64 characters long, got 65"};
static const gwst_vcase class_parameters_kind = {
        GC "  controllerName: gateway.k8s.aws/alb\n"
           "  parametersRef: {group: gateway.k8s.aws, kind: lb-, name: c}\n",
        P
        "6:43: GatewayClass gc: spec.parametersRef.kind: \"lb-\" is not a valid kind: use at most "
        "63 letters, digits and '-', starting with a letter and ending with a letter or digit"};

/* ---- ListenerSet ---- */

#define LS                                                                                         \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\n"                            \
	"metadata: {name: ls, namespace: ns}\nspec:\n"

static const gwst_vcase listener_set_ok = {
        LS "  parentRef: {name: gw}\n  listeners:\n  - {name: a, protocol: HTTP, port: 80}\n"
           "  - {name: b, protocol: http, port: 80, hostname: b.example}\n",
        ""};
static const gwst_vcase listener_set_port_required = {
        LS "  parentRef: {name: gw}\n  listeners:\n  - {name: a, protocol: HTTP}\n",
        P "7:5: ListenerSet ns/ls: spec.listeners[0].port: is required"};
static const gwst_vcase xlistener_set_port_optional_ok = {
        "apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XListenerSet\n"
        "metadata: {name: ls, namespace: ns}\nspec:\n"
        "  parentRef: {name: gw}\n  listeners:\n  - {name: a, protocol: HTTP}\n",
        ""};
static const gwst_vcase listener_set_protocol_case = {
        LS "  parentRef: {name: gw}\n  listeners:\n"
           "  - {name: a, protocol: Tcp, port: 22, tls: {mode: Passthrough}}\n",
        P "7:40: ListenerSet ns/ls: spec.listeners[0].tls: tls must not be specified for "
          "protocols ['HTTP', 'TCP', 'UDP']"};
static const gwst_vcase listener_set_parent_name = {
        LS
        "  parentRef: {namespace: infra}\n  listeners:\n  - {name: a, protocol: HTTP, port: 80}\n",
        P "5:3: ListenerSet ns/ls: spec.parentRef.name: is required"};
static const gwst_vcase listener_set_names = {
        LS "  parentRef: {name: gw}\n  listeners:\n  - {name: a, protocol: HTTP, port: 80}\n"
           "  - {name: a, protocol: HTTP, port: 81}\n",
        P "8:6: ListenerSet ns/ls: spec.listeners[1].name: Listener name must be unique within the "
          "Gateway"};
static const gwst_vcase listener_set_endpoints = {
        LS "  parentRef: {name: gw}\n  listeners:\n  - {name: a, protocol: HTTP, port: 80}\n"
           "  - {name: b, protocol: HTTP, port: 80}\n",
        P "8:5: ListenerSet ns/ls: spec.listeners[1]: Combination of port, protocol and hostname "
          "must be unique for each listener"};

int main(void)
{
	const struct CMUnitTest tests[] = {
	        GWST_VCASE(port_max_ok, port_max_ok),
	        GWST_VCASE(port_too_big, port_too_big),
	        GWST_VCASE(port_zero, port_zero),
	        GWST_VCASE(port_missing, port_missing),
	        GWST_VCASE(name_ok, name_ok),
	        GWST_VCASE(name_bad, name_bad),
	        GWST_VCASE(name_missing, name_missing),
	        GWST_VCASE(protocol_custom_ok, protocol_custom_ok),
	        GWST_VCASE(protocol_bad, protocol_bad),
	        GWST_VCASE(hostname_wildcard_ok, hostname_wildcard_ok),
	        GWST_VCASE(hostname_bad, hostname_bad),
	        GWST_VCASE(hostname_on_tls_ok, hostname_on_tls_ok),
	        GWST_VCASE(hostname_on_udp, hostname_on_udp),
	        GWST_VCASE(tls_on_https_ok, tls_on_https_ok),
	        GWST_VCASE(tls_on_tcp, tls_on_tcp),
	        GWST_VCASE(https_passthrough, https_passthrough),
	        GWST_VCASE(https_without_tls_ok, https_without_tls_ok),
	        GWST_VCASE(tls_without_tls, tls_without_tls),
	        GWST_VCASE(terminate_with_options_ok, terminate_with_options_ok),
	        GWST_VCASE(terminate_empty, terminate_empty),
	        GWST_VCASE(tls_mode_enum, tls_mode_enum),
	        GWST_VCASE(names_distinct_ok, names_distinct_ok),
	        GWST_VCASE(names_repeated, names_repeated),
	        GWST_VCASE(endpoints_distinct_ok, endpoints_distinct_ok),
	        GWST_VCASE(endpoints_repeated, endpoints_repeated),
	        GWST_VCASE(listeners_empty, listeners_empty),
	        GWST_VCASE(class_missing, class_missing),
	        GWST_VCASE(from_all_ok, from_all_ok),
	        GWST_VCASE(from_none, from_none),
	        GWST_VCASE(selector_ok, selector_ok),
	        GWST_VCASE(selector_bad, selector_bad),
	        GWST_VCASE(kinds_bad, kinds_bad),
	        GWST_VCASE(kinds_too_many, kinds_too_many),
	        GWST_VCASE(kinds_eight_ok, kinds_eight_ok),
	        GWST_VCASE(cert_ref_bad, cert_ref_bad),
	        GWST_VCASE(addresses_ok, addresses_ok),
	        GWST_VCASE(addresses_ip_repeated, addresses_ip_repeated),
	        GWST_VCASE(addresses_hostname_repeated, addresses_hostname_repeated),
	        GWST_VCASE(addresses_hostname_bad, addresses_hostname_bad),
	        GWST_VCASE(addresses_not_ip, addresses_not_ip),
	        GWST_VCASE(infrastructure_ok, infrastructure_ok),
	        GWST_VCASE(infrastructure_label_key, infrastructure_label_key),
	        GWST_VCASE(infrastructure_ref_name, infrastructure_ref_name),
	        GWST_VCASE(allowed_listeners_bad, allowed_listeners_bad),
	        cmocka_unit_test(listeners_count),
	        GWST_VCASE(class_ok, class_ok),
	        GWST_VCASE(class_controller_bad, class_controller_bad),
	        GWST_VCASE(class_controller_missing, class_controller_missing),
	        GWST_VCASE(class_description_long, class_description_long),
	        GWST_VCASE(class_parameters_kind, class_parameters_kind),
	        GWST_VCASE(listener_set_ok, listener_set_ok),
	        GWST_VCASE(listener_set_port_required, listener_set_port_required),
	        GWST_VCASE(xlistener_set_port_optional_ok, xlistener_set_port_optional_ok),
	        GWST_VCASE(listener_set_protocol_case, listener_set_protocol_case),
	        GWST_VCASE(listener_set_parent_name, listener_set_parent_name),
	        GWST_VCASE(listener_set_names, listener_set_names),
	        GWST_VCASE(listener_set_endpoints, listener_set_endpoints),
	};

	return cmocka_run_group_tests_name("validate_gateway", tests, NULL, NULL);
}
