/*
 * Metadata, ReferenceGrant and Service rules through the real loader, and the
 * string format scanners of validate_pattern.c on their edge cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gwsync/manifest.h"
#include "manifest/validate_util.h"
#include "helper_validate.h"

#define P "m.yaml:"

/* ---- metadata ---- */

static const gwst_vcase meta_ok = {
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: team-a}\n"
        "spec: {ports: [{port: 80}]}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
        "metadata: {name: alb.gateway.example}\nspec: {controllerName: example.com/alb}\n",
        ""};
static const gwst_vcase meta_name_subdomain = {
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
        "metadata:\n  name: alb.-x\nspec: {controllerName: example.com/alb}\n",
        P
        "4:3: GatewayClass alb.-x: metadata.name: \"alb.-x\" is not a valid name: use at most 253 "
        "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"};
static const gwst_vcase meta_namespace_label = {
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team.a\n", P
        "4:3: Namespace team.a: metadata.name: \"team.a\" is not a valid DNS label: use at most 63 "
        "lowercase letters, digits and '-', starting and ending with a letter or digit"};
static const gwst_vcase meta_service_name = {
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: 2web\n  namespace: a\n"
        "spec: {ports: [{port: 80}]}\n",
        P
        "4:3: Service a/2web: metadata.name: \"2web\" is not a valid Service name: use at most 63 "
        "lowercase letters, digits and '-', starting with a letter and ending with a letter or "
        "digit"};
static const gwst_vcase meta_namespace_field = {
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: Team\n"
        "spec: {ports: [{port: 80}]}\n",
        P
        "5:3: Service Team/web: metadata.namespace: \"Team\" is not a valid DNS label: use at most "
        "63 lowercase letters, digits and '-', starting and ending with a letter or digit"};

static const gwst_vcase meta_labels_ok = {
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n"
        "  labels: {example.com/team: web, tier: \"\", k: v.1_2-3}\n"
        "  annotations: {kubernetes.io/description: anything at all}\n",
        ""};
static const gwst_vcase meta_label_value = {
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    tier: edge_\n",
        P "6:5: Namespace a: metadata.labels.tier: \"edge_\" is not a valid label value for "
          "\"tier\": "
          "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or "
          "digit"};
static const gwst_vcase meta_annotation_key = {
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  annotations:\n"
        "    /empty-prefix: x\n",
        P "6:5: Namespace a: metadata.annotations./empty-prefix: \"/empty-prefix\" is not a valid "
          "annotation key: use an optional DNS subdomain prefix and '/', then a name of 1 to 63 "
          "letters, digits, '-', '_' or '.', starting and ending with a letter or digit"};

static const gwst_vcase spec_missing = {"apiVersion: gateway.networking.k8s.io/v1\nkind: "
                                        "GRPCRoute\nmetadata: {name: g, namespace: a}\n",
                                        P "1:1: GRPCRoute a/g: spec: is required"};
static const gwst_vcase spec_optional_ok = {
        "apiVersion: gateway.k8s.aws/v1\nkind: LoadBalancerConfiguration\n"
        "metadata: {name: c, namespace: a}\n",
        ""};

/* ---- ReferenceGrant ---- */

#define RG                                                                                         \
	"apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\n"                    \
	"metadata: {name: g, namespace: ns}\nspec:\n"

static const gwst_vcase grant_ok = {
        RG "  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: a}]\n"
           "  to: [{group: \"\", kind: Service}]\n",
        ""};
static const gwst_vcase grant_from_namespace = {
        RG "  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]\n"
           "  to: [{group: \"\", kind: Service}]\n",
        P "5:10: ReferenceGrant ns/g: spec.from[0].namespace: is required"};
static const gwst_vcase grant_to_empty = {
        RG "  from: [{group: \"\", kind: Gateway, namespace: a}]\n  to: []\n",
        P "6:3: ReferenceGrant ns/g: spec.to: must have at least 1 item"};
static const gwst_vcase grant_to_name = {
        RG "  from: [{group: \"\", kind: Gateway, namespace: a}]\n"
           "  to: [{group: \"\", kind: Secret, name: \"\"}]\n",
        P "6:34: ReferenceGrant ns/g: spec.to[0].name: must not be empty: use 1 to 253 characters"};

/* ---- Service ---- */

#define SVC "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ns}\nspec:\n"

static const gwst_vcase service_ok = {
        SVC "  ports:\n  - {name: http, port: 80, targetPort: http-alt}\n"
            "  - {name: dns, port: 80, protocol: UDP, targetPort: 5353, nodePort: 30053}\n",
        ""};
static const gwst_vcase service_headless_ok = {SVC "  clusterIP: None\n", ""};
static const gwst_vcase service_no_ports = {
        SVC "  selector: {app: s}\n", P
        "4:1: Service ns/s: spec.ports: is required: a Service needs at least one port unless its "
        "type is ExternalName or its clusterIP is None"};
static const gwst_vcase service_port_repeated = {
        SVC "  ports:\n  - {name: a, port: 80}\n  - {name: b, port: 80, protocol: TCP}\n",
        P "7:5: Service ns/s: spec.ports[1]: port 80/TCP is defined twice"};
static const gwst_vcase service_target_port_name = {
        SVC "  ports:\n  - {port: 80, targetPort: web-http-alternative}\n",
        P "6:16: Service ns/s: spec.ports[0].targetPort: \"web-http-alternative\" is not a valid "
          "port name: use 1 to 15 lowercase letters, digits and '-', with at least one letter and "
          "no '-' at either end"};
static const gwst_vcase service_protocol = {
        SVC "  ports:\n  - {port: 80, protocol: tcp}\n",
        P "6:16: Service ns/s: spec.ports[0].protocol: unsupported value \"tcp\": must be one of "
          "TCP, UDP, SCTP"};

/* ---- loader errors come first ---- */

/* A port written as a string is the loader's type error; "port is required" would be noise. */
static const gwst_vcase loader_error_not_repeated = {
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
        "metadata: {name: g, namespace: a}\nspec:\n  gatewayClassName: x\n  listeners:\n"
        "  - {name: a, protocol: HTTP, port: \"80\"}\n",
        P "7:31: Gateway a/g: spec.listeners[0].port: expected an integer, got a string (\"80\")"};
/* The same field written as a number gets the rule's own message. */
static const gwst_vcase rule_error_reported = {
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
        "metadata: {name: g, namespace: a}\nspec:\n  gatewayClassName: x\n  listeners:\n"
        "  - {name: a, protocol: HTTP, port: 0}\n",
        P "7:31: Gateway a/g: spec.listeners[0].port: must be between 1 and 65535, got 0"};

/* ---- scanners ---- */

static void scanners_dns(void **state)
{
	char label64[65];

	(void)state;
	memset(label64, 'a', 64);
	label64[64] = '\0';
	assert_true(gws_manifest__is_dns_label("a"));
	assert_true(gws_manifest__is_dns_label("0-a"));
	assert_false(gws_manifest__is_dns_label(""));
	assert_false(gws_manifest__is_dns_label("a-"));
	assert_false(gws_manifest__is_dns_label("a.b"));
	assert_false(gws_manifest__is_dns_label(label64));
	label64[63] = '\0';
	assert_true(gws_manifest__is_dns_label(label64));
	assert_true(gws_manifest__is_dns_subdomain("a.b-c.d"));
	assert_false(gws_manifest__is_dns_subdomain("a..b"));
	assert_false(gws_manifest__is_dns_subdomain("A.b"));
	assert_true(gws_manifest__is_dns1035_label("a1"));
	assert_false(gws_manifest__is_dns1035_label("1a"));
}

static void scanners_hostname(void **state)
{
	(void)state;
	assert_true(gws_manifest__is_hostname("*.example.com", true));
	assert_false(gws_manifest__is_hostname("*.example.com", false));
	assert_true(gws_manifest__is_hostname("*.com", true));
	assert_false(gws_manifest__is_hostname("*", true));
	assert_false(gws_manifest__is_hostname("a.*.com", true));
	assert_false(gws_manifest__is_hostname("", true));
	/* The Gateway API pattern admits dotted digits; IPs are refused elsewhere (TLSRoute). */
	assert_true(gws_manifest__is_hostname("10.0.0.1", true));
	assert_null(gws_manifest__hostname_problem("a.example", false));
	assert_string_equal(gws_manifest__hostname_problem("a_b.example", true),
	                    "only lowercase letters, digits, '-' and '.' are allowed");
}

static void scanners_misc(void **state)
{
	(void)state;
	assert_true(gws_manifest__is_group(""));
	assert_true(gws_manifest__is_group("gateway.k8s.aws"));
	assert_false(gws_manifest__is_group("Gateway"));
	assert_true(gws_manifest__is_kind("HTTPRoute"));
	assert_true(gws_manifest__is_kind("a-B1"));
	assert_false(gws_manifest__is_kind("a-"));
	assert_false(gws_manifest__is_kind("1a"));
	assert_true(gws_manifest__is_header_name("X-Forwarded-For"));
	assert_true(gws_manifest__is_header_name("a!#$%&'*+-.^_`|~"));
	assert_false(gws_manifest__is_header_name("a b"));
	assert_false(gws_manifest__is_header_name(":authority"));
	assert_true(gws_manifest__is_controller_name("gateway.k8s.aws/alb"));
	assert_false(gws_manifest__is_controller_name("gateway.k8s.aws/"));
	assert_false(gws_manifest__is_controller_name("alb"));
	assert_true(gws_manifest__is_protocol("HTTP"));
	assert_true(gws_manifest__is_protocol("example.com/h3"));
	assert_false(gws_manifest__is_protocol("example.com/h-3"));
	assert_false(gws_manifest__is_protocol("-HTTP"));
	assert_true(gws_manifest__is_address_type("NamedAddress"));
	assert_true(gws_manifest__is_address_type("example.com/vip"));
	assert_false(gws_manifest__is_address_type("Named"));
	assert_true(gws_manifest__is_ip("192.0.2.1"));
	assert_true(gws_manifest__is_ip("2001:db8::1"));
	assert_false(gws_manifest__is_ip("192.0.2"));
	assert_true(gws_manifest__is_path_chars("/a%2fb~!$&'()*+,;=:@"));
	assert_false(gws_manifest__is_path_chars("/a%2"));
	assert_false(gws_manifest__is_path_chars("/a b"));
	assert_true(gws_manifest__is_iana_svc_name("http-alt"));
	assert_false(gws_manifest__is_iana_svc_name("8080"));
	assert_false(gws_manifest__is_iana_svc_name("a--b"));
}

static void scanners_duration(void **state)
{
	(void)state;
	assert_true(gws_manifest__is_duration("1h2m3s4ms"));
	assert_false(gws_manifest__is_duration("1h2m3s4ms5h"));
	assert_false(gws_manifest__is_duration("123456s"));
	assert_false(gws_manifest__is_duration("1.5s"));
	assert_false(gws_manifest__is_duration(""));
	assert_false(gws_manifest__is_duration("s"));
	assert_int_equal(gws_manifest__duration_ms("1h2m3s4ms"), 3723004);
	assert_int_equal(gws_manifest__duration_ms("99999h"), 99999LL * 3600000);
	assert_int_equal(gws_manifest__duration_ms("0s"), 0);
	assert_int_equal(gws_manifest__duration_ms("x"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        GWST_VCASE(meta_ok, meta_ok),
	        GWST_VCASE(meta_name_subdomain, meta_name_subdomain),
	        GWST_VCASE(meta_namespace_label, meta_namespace_label),
	        GWST_VCASE(meta_service_name, meta_service_name),
	        GWST_VCASE(meta_namespace_field, meta_namespace_field),
	        GWST_VCASE(meta_labels_ok, meta_labels_ok),
	        GWST_VCASE(meta_label_value, meta_label_value),
	        GWST_VCASE(meta_annotation_key, meta_annotation_key),
	        GWST_VCASE(spec_missing, spec_missing),
	        GWST_VCASE(spec_optional_ok, spec_optional_ok),
	        GWST_VCASE(grant_ok, grant_ok),
	        GWST_VCASE(grant_from_namespace, grant_from_namespace),
	        GWST_VCASE(grant_to_empty, grant_to_empty),
	        GWST_VCASE(grant_to_name, grant_to_name),
	        GWST_VCASE(service_ok, service_ok),
	        GWST_VCASE(service_headless_ok, service_headless_ok),
	        GWST_VCASE(service_no_ports, service_no_ports),
	        GWST_VCASE(service_port_repeated, service_port_repeated),
	        GWST_VCASE(service_target_port_name, service_target_port_name),
	        GWST_VCASE(service_protocol, service_protocol),
	        GWST_VCASE(loader_error_not_repeated, loader_error_not_repeated),
	        GWST_VCASE(rule_error_reported, rule_error_reported),
	        cmocka_unit_test(scanners_dns),
	        cmocka_unit_test(scanners_hostname),
	        cmocka_unit_test(scanners_misc),
	        cmocka_unit_test(scanners_duration),
	};

	return cmocka_run_group_tests_name("validate_misc", tests, NULL, NULL);
}
