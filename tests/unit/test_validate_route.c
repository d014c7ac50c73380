/*
 * Validation rules of HTTPRoute, GRPCRoute, TCPRoute, UDPRoute and TLSRoute:
 * each rule with a case that passes and a case that fails, through the real
 * loader.
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

/* Lines 1-6; the first rule item starts on line 7 (its keys in column 5). */
#define HR                                                                                         \
	"apiVersion: gateway.networking.k8s.io/v1\n"                                               \
	"kind: HTTPRoute\n"                                                                        \
	"metadata: {name: r, namespace: ns}\n"                                                     \
	"spec:\n"                                                                                  \
	"  parentRefs: [{name: gw}]\n"                                                             \
	"  rules:\n"
#define P   "m.yaml:"
#define OBJ " HTTPRoute ns/r: "
/* One backend line, to keep rules valid where the case is about something else. */
#define BACKEND "    backendRefs: [{name: svc, port: 80}]\n"

/* ---- parentRefs ---- */

#define HR_PARENTS                                                                                 \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"                              \
	"metadata: {name: r, namespace: ns}\nspec:\n  parentRefs:\n"

static const gwst_vcase parents_sections_ok = {
        HR_PARENTS "  - {name: gw, sectionName: a}\n  - {name: gw, sectionName: b}\n"
                   "  - {name: gw, namespace: ns, sectionName: a}\n",
        ""};
static const gwst_vcase parents_section_missing = {
        HR_PARENTS "  - {name: gw}\n  - {name: gw, sectionName: b}\n",
        P "7:5:" OBJ "spec.parentRefs[1]: sectionName must be specified when parentRefs includes 2 "
          "or more references to the same parent"};
static const gwst_vcase parents_section_repeated = {
        HR_PARENTS "  - {name: gw, sectionName: a}\n  - {name: gw, sectionName: a}\n",
        P "7:5:" OBJ "spec.parentRefs[1]: sectionName must be unique when parentRefs includes 2 or "
          "more references to the same parent"};
static const gwst_vcase parents_both_unset = {
        HR_PARENTS "  - {name: gw}\n  - {name: gw}\n",
        P "7:5:" OBJ "spec.parentRefs[1]: sectionName must be unique when parentRefs includes 2 or "
          "more references to the same parent"};
static const gwst_vcase parent_fields = {
        HR_PARENTS "  - {name: gw, port: 0, sectionName: A}\n",
        P "6:16:" OBJ "spec.parentRefs[0].port: must be between 1 and 65535, got 0\n" P "6:25:" OBJ
          "spec.parentRefs[0].sectionName: \"A\" is not a valid name: use at most 253 "
          "lowercase letters, digits, '-' and '.', starting and ending with a letter or "
          "digit"};

/* ---- hostnames ---- */

static const gwst_vcase hostnames_ok = {
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: r, namespace: ns}\nspec:\n  hostnames: [a.example.com, "
        "\"*.b.example\"]\n",
        ""};
static const gwst_vcase hostnames_bad = {
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: r, namespace: ns}\nspec:\n  hostnames:\n  - a..example.com\n",
        P "6:5:" OBJ
          "spec.hostnames[0]: \"a..example.com\" is not a valid hostname: labels must not "
          "be empty (no leading, trailing or double dots)"};

static const gwst_vcase hostnames_ip = {
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
        "metadata: {name: r, namespace: ns}\nspec:\n  hostnames:\n  - 10.1.2.3\n",
        P "6:5: warning:" OBJ "spec.hostnames[0]: \"10.1.2.3\" is an IP address: Gateway API "
          "hostnames must be DNS names"};

/* ---- matches ---- */

static const gwst_vcase path_ok = {
        HR "  - matches:\n    - path: {type: Exact, value: \"/a/b%20c;x=1\"}\n"
           "    - path: {type: RegularExpression, value: \"^/a//b#$\"}\n" BACKEND,
        ""};
static const gwst_vcase path_relative = {
        HR "  - matches:\n    - path:\n        value: a\n" BACKEND,
        P "9:9:" OBJ "spec.rules[0].matches[0].path.value: value must be an absolute path and "
          "start with '/' when type one of ['Exact', 'PathPrefix']"};
static const gwst_vcase path_dot_segment = {
        HR "  - matches:\n    - path:\n        type: Exact\n        value: /a/./b\n" BACKEND, P
        "10:9:" OBJ "spec.rules[0].matches[0].path.value: must not contain '/./' when type one of "
        "['Exact', 'PathPrefix']"};
static const gwst_vcase path_encoded_slash = {
        HR "  - matches:\n    - path:\n        value: /a%2Fb\n" BACKEND,
        P "9:9:" OBJ "spec.rules[0].matches[0].path.value: must not contain '%2F' when type one of "
          "['Exact', 'PathPrefix']"};
static const gwst_vcase path_dot_dot_end = {
        HR "  - matches:\n    - path:\n        value: /a/..\n" BACKEND,
        P "9:9:" OBJ "spec.rules[0].matches[0].path.value: must not end with '/..' when type one "
          "of ['Exact', 'PathPrefix']"};
static const gwst_vcase path_bad_escape = {
        HR "  - matches:\n    - path:\n        value: /a%zz\n" BACKEND,
        P "9:9:" OBJ "spec.rules[0].matches[0].path.value: must only contain valid characters "
          "(matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types "
          "['Exact', 'PathPrefix']"};
static const gwst_vcase path_type = {
        HR "  - matches:\n    - path:\n        type: Regex\n        value: /a\n" BACKEND,
        P "8:7:" OBJ "spec.rules[0].matches[0].path: type must be one of ['Exact', 'PathPrefix', "
          "'RegularExpression']"};
static const gwst_vcase headers_ok = {
        HR "  - matches:\n    - headers:\n      - {name: x-a, value: \"1\"}\n"
           "      - {name: x-b, type: RegularExpression, value: \"^a\"}\n"
           "      queryParams:\n      - {name: q, value: \"1\"}\n      - {name: Q, value: \"2\"}\n"
           "      method: PATCH\n" BACKEND,
        ""};
static const gwst_vcase header_name = {
        HR "  - matches:\n    - headers:\n      - {name: \"x:a\", value: \"1\"}\n" BACKEND,
        P "9:10:" OBJ "spec.rules[0].matches[0].headers[0].name: \"x:a\" is not a valid header "
          "name: use 1 to 256 letters, digits and !#$%&'*+-.^_`|~ (no spaces)"};
static const gwst_vcase header_repeated = {
        HR "  - matches:\n    - headers:\n      - {name: x-a, value: \"1\"}\n"
           "      - {name: x-a, value: \"2\"}\n" BACKEND,
        P "10:10:" OBJ "spec.rules[0].matches[0].headers[1].name: duplicate header \"x-a\": each "
          "name may appear once"};
static const gwst_vcase header_case_repeated = {
        HR "  - matches:\n    - headers:\n      - {name: x-a, value: \"1\"}\n"
           "      - {name: X-A, value: \"2\"}\n" BACKEND,
        P "10:10: warning:" OBJ "spec.rules[0].matches[0].headers[1].name: header \"X-A\" repeats "
          "\"x-a\": header names are case-insensitive and only the first "
          "match counts"};
static const gwst_vcase query_repeated = {
        HR "  - matches:\n    - queryParams:\n      - {name: q, value: \"1\"}\n"
           "      - {name: q, value: \"2\"}\n" BACKEND,
        P "10:10:" OBJ "spec.rules[0].matches[0].queryParams[1].name: duplicate query parameter "
          "\"q\": each name may appear once"};
static const gwst_vcase header_type = {
        HR "  - matches:\n    - headers:\n      - {name: x-a, type: Glob, value: \"1\"}\n" BACKEND,
        P "9:21:" OBJ "spec.rules[0].matches[0].headers[0].type: unsupported value \"Glob\": must "
          "be one of Exact, RegularExpression"};
static const gwst_vcase header_value_empty = {
        HR "  - matches:\n    - headers:\n      - {name: x-a, value: \"\"}\n" BACKEND,
        P "9:21:" OBJ "spec.rules[0].matches[0].headers[0].value: must not be empty"};
static const gwst_vcase method_bad = {
        HR "  - matches:\n    - method: Get\n" BACKEND,
        P "8:7:" OBJ "spec.rules[0].matches[0].method: unsupported value \"Get\": must be one of "
          "GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH"};

/* The total of matches across rules may reach 128, not more. */
static void matches_total(void **state)
{
	char yaml[32768];
	size_t o = 0;
	char *got;
	int r, m;

	(void)state;
	o += (size_t)snprintf(yaml, sizeof(yaml), "%s", HR);
	for (r = 0; r < 2; r++) {
		o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "  - matches:\n");
		for (m = 0; m < 64; m++)
			o += (size_t)snprintf(yaml + o, sizeof(yaml) - o,
			                      "    - path: {value: /r%d/m%d}\n", r, m);
	}
	got = gwst_validate_yaml(yaml);
	assert_non_null(got);
	assert_string_equal(got, "");
	gws_free(got);
	snprintf(yaml + o, sizeof(yaml) - o, "  - matches:\n    - path: {value: /last}\n");
	got = gwst_validate_yaml(yaml);
	assert_non_null(got);
	assert_string_equal(got, P "6:3:" OBJ "spec.rules: While 16 rules and 64 matches per rule "
	                           "are allowed, the total number of matches across all "
	                           "rules in a route must be less than 128");
	gws_free(got);
}

/* ---- filters ---- */

static const gwst_vcase filters_ok = {
        HR
        "  - matches: [{path: {type: PathPrefix, value: /a}}]\n    filters:\n"
        "    - type: RequestHeaderModifier\n"
        "      requestHeaderModifier: {set: [{name: x-a, value: \"1\"}], remove: [x-b]}\n"
        "    - type: URLRewrite\n"
        "      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /b}}\n"
        "    - type: RequestMirror\n"
        "      requestMirror: {backendRef: {name: m, port: 80}, percent: 100}\n"
        "    - type: CORS\n      cors: {allowOrigins: [\"*\"], allowMethods: [\"*\"], maxAge: 1}\n"
        "    - type: ExtensionRef\n"
        "      extensionRef: {group: gateway.k8s.aws, kind: ListenerRuleConfiguration, name: "
        "x}\n" BACKEND,
        ""};
static const gwst_vcase filter_type = {
        HR "  - filters:\n    - type: Rewrite\n" BACKEND,
        P "8:7:" OBJ "spec.rules[0].filters[0].type: unsupported value \"Rewrite\": must be one of "
          "RequestHeaderModifier, ResponseHeaderModifier, RequestMirror, RequestRedirect, "
          "URLRewrite, ExtensionRef, CORS, ExternalAuth"};
static const gwst_vcase filter_member_missing = {
        HR "  - filters:\n    - type: RequestMirror\n" BACKEND,
        P "8:7:" OBJ "spec.rules[0].filters[0]: filter.requestMirror must be specified for "
          "RequestMirror filter.type"};
static const gwst_vcase filter_member_misplaced = {
        HR
        "  - filters:\n    - type: ExtensionRef\n      extensionRef: {group: \"\", kind: K, name: "
        "k}\n      cors: {maxAge: 5}\n" BACKEND,
        P "8:7:" OBJ "spec.rules[0].filters[0]: filter.cors must be nil if the filter.type is not "
          "CORS"};
static const gwst_vcase filter_repeated = {
        HR "  - filters:\n    - {type: URLRewrite, urlRewrite: {hostname: a.example}}\n"
           "    - {type: URLRewrite, urlRewrite: {hostname: b.example}}\n" BACKEND,
        P "7:5:" OBJ "spec.rules[0].filters: URLRewrite filter cannot be repeated"};
static const gwst_vcase redirect_and_rewrite = {
        HR "  - filters:\n    - {type: URLRewrite, urlRewrite: {hostname: a.example}}\n"
           "    - {type: RequestRedirect, requestRedirect: {scheme: https}}\n",
        P "7:5:" OBJ "spec.rules[0].filters: May specify either httpRouteFilterRequestRedirect or "
          "httpRouteFilterRequestRewrite, but not both"};
static const gwst_vcase redirect_ok = {
        HR "  - filters:\n    - type: RequestRedirect\n      requestRedirect:\n"
           "        {scheme: https, hostname: a.example.com, port: 8443, statusCode: 308}\n",
        ""};
static const gwst_vcase redirect_with_backends = {
        HR
        "  - filters:\n    - {type: RequestRedirect, requestRedirect: {scheme: https}}\n" BACKEND,
        P "7:5:" OBJ "spec.rules[0]: RequestRedirect filter must not be used together with "
          "backendRefs"};
static const gwst_vcase redirect_fields = {
        HR "  - filters:\n    - type: RequestRedirect\n      requestRedirect:\n"
           "        scheme: HTTPS\n        statusCode: 300\n",
        P "10:9:" OBJ
          "spec.rules[0].filters[0].requestRedirect.scheme: unsupported value \"HTTPS\": "
          "must be one of http, https\n" P "11:9:" OBJ
          "spec.rules[0].filters[0].requestRedirect.statusCode: unsupported value 300: "
          "must be one of 301, 302, 303, 307, 308"};
static const gwst_vcase prefix_replace_two_matches = {
        HR "  - matches: [{path: {value: /a}}, {path: {value: /b}}]\n    filters:\n"
           "    - type: URLRewrite\n"
           "      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /c}}\n" BACKEND,
        P "7:5:" OBJ "spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, "
          "exactly one PathPrefix match must be specified"};
static const gwst_vcase prefix_replace_default_match_ok = {
        HR "  - filters:\n    - type: RequestRedirect\n"
           "      requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /c}}\n",
        ""};
static const gwst_vcase prefix_replace_in_backend = {
        HR "  - matches: [{path: {type: Exact, value: /a}}]\n    backendRefs:\n"
           "    - name: svc\n      port: 80\n      filters:\n      - type: URLRewrite\n"
           "        urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /c}}\n",
        P "7:5:" OBJ "spec.rules[0]: Within backendRefs, When using URLRewrite filter with "
          "path.replacePrefixMatch, exactly one PathPrefix match must be specified"};
static const gwst_vcase path_modifier_mismatch = {
        HR "  - filters:\n    - type: URLRewrite\n      urlRewrite:\n        path:\n"
           "          type: ReplaceFullPath\n          replacePrefixMatch: /c\n" BACKEND,
        P "10:9:" OBJ "spec.rules[0].filters[0].urlRewrite.path: replaceFullPath must be specified "
          "when type is set to 'ReplaceFullPath'\n" P "10:9:" OBJ
          "spec.rules[0].filters[0].urlRewrite.path: type must be 'ReplacePrefixMatch' "
          "when replacePrefixMatch is set"};
static const gwst_vcase rewrite_hostname = {
        HR "  - filters:\n    - type: URLRewrite\n      urlRewrite:\n        hostname: "
           "\"*.a.example\"\n" BACKEND,
        P "10:9:" OBJ
          "spec.rules[0].filters[0].urlRewrite.hostname: \"*.a.example\" is not a valid "
          "precise hostname: a wildcard is not allowed here: use a precise hostname such "
          "as www.example.com"};
static const gwst_vcase header_modifier_repeated = {
        HR "  - filters:\n    - type: ResponseHeaderModifier\n      responseHeaderModifier:\n"
           "        add:\n        - {name: x-a, value: \"1\"}\n        - {name: x-a, value: "
           "\"2\"}\n" BACKEND,
        P "12:12:" OBJ
          "spec.rules[0].filters[0].responseHeaderModifier.add[1].name: duplicate header "
          "\"x-a\": each name may appear once"};
static const gwst_vcase header_modifier_value = {
        HR "  - filters:\n    - type: ResponseHeaderModifier\n      responseHeaderModifier:\n"
           "        set:\n        - {name: x-a}\n" BACKEND,
        P "11:11:" OBJ "spec.rules[0].filters[0].responseHeaderModifier.set[0].value: is required"};
static const gwst_vcase mirror_percent = {
        HR "  - filters:\n    - type: RequestMirror\n      requestMirror:\n"
           "        backendRef: {name: m, port: 80}\n        percent: 101\n" BACKEND,
        P "11:9:" OBJ "spec.rules[0].filters[0].requestMirror.percent: must be between 0 and 100, "
          "got 101"};
static const gwst_vcase mirror_fraction_ok = {
        HR "  - filters:\n    - type: RequestMirror\n      requestMirror:\n"
           "        backendRef: {name: m, port: 80}\n        fraction: {numerator: 10}\n" BACKEND,
        ""};
static const gwst_vcase mirror_fraction_over = {
        HR "  - filters:\n    - type: RequestMirror\n      requestMirror:\n"
           "        backendRef: {name: m, port: 80}\n        fraction: {numerator: 101}\n" BACKEND,
        P "11:9:" OBJ
          "spec.rules[0].filters[0].requestMirror.fraction: numerator must be less than "
          "or equal to denominator"};
static const gwst_vcase mirror_both = {
        HR "  - filters:\n    - type: RequestMirror\n      requestMirror:\n"
           "        backendRef: {name: m, port: 80}\n        percent: 5\n"
           "        fraction: {numerator: 1}\n" BACKEND,
        P "9:7:" OBJ "spec.rules[0].filters[0].requestMirror: Only one of percent or fraction may "
          "be specified in HTTPRequestMirrorFilter"};
static const gwst_vcase mirror_port = {
        HR "  - filters:\n    - type: RequestMirror\n      requestMirror:\n"
           "        backendRef: {name: m}\n" BACKEND,
        P "10:9:" OBJ "spec.rules[0].filters[0].requestMirror.backendRef: Must have port for "
          "Service reference"};
static const gwst_vcase cors_wildcard = {
        HR "  - filters:\n    - type: CORS\n      cors:\n        allowOrigins: [\"*\", "
           "\"https://a.example\"]\n" BACKEND,
        P "10:9:" OBJ "spec.rules[0].filters[0].cors.allowOrigins: AllowOrigins cannot contain '*' "
          "alongside other origins"};
static const gwst_vcase cors_origin = {
        HR "  - filters:\n    - type: CORS\n      cors:\n        allowOrigins:\n"
           "        - https://a.example:123456\n" BACKEND,
        P "11:11:" OBJ
          "spec.rules[0].filters[0].cors.allowOrigins[0]: \"https://a.example:123456\" "
          "is not a valid origin: use \"*\" or <scheme>://<host>[:<port>]"};
static const gwst_vcase extension_ref_fields = {
        HR "  - filters:\n    - type: ExtensionRef\n      extensionRef: {group: \"\", name: "
           "x}\n" BACKEND,
        P "9:7:" OBJ "spec.rules[0].filters[0].extensionRef.kind: is required"};

/* ---- backendRefs, timeouts, names ---- */

static const gwst_vcase backend_non_service_ok = {
        HR "  - backendRefs: [{group: example.com, kind: Bucket, name: b, weight: 1000000}]\n", ""};
static const gwst_vcase backend_service_port = {
        HR "  - backendRefs: [{name: svc}]\n",
        P "7:19:" OBJ "spec.rules[0].backendRefs[0]: Must have port for Service reference"};
static const gwst_vcase backend_weight = {
        HR "  - backendRefs: [{name: svc, port: 80, weight: 1000001}]\n",
        P "7:41:" OBJ "spec.rules[0].backendRefs[0].weight: must be between 0 and 1000000, got "
          "1000001"};
static const gwst_vcase timeouts_ok = {
        HR "  - timeouts: {request: 0s, backendRequest: 1h}\n" BACKEND
           "  - timeouts: {request: 1m30s, backendRequest: 90s}\n" BACKEND,
        ""};
static const gwst_vcase timeouts_order = {
        HR "  - timeouts: {request: 1s, backendRequest: 1001ms}\n" BACKEND,
        P "7:5:" OBJ "spec.rules[0].timeouts: backendRequest timeout cannot be longer than "
          "request timeout"};
static const gwst_vcase timeouts_format = {
        HR "  - timeouts: {request: 100000s}\n" BACKEND, P
        "7:16:" OBJ "spec.rules[0].timeouts.request: \"100000s\" is not a valid duration: use 1 to "
        "4 groups of up to 5 digits with a unit h, m, s or ms, such as 30s or 1h30m"};
static const gwst_vcase rule_names = {
        HR "  - name: a\n" BACKEND "  - name: a\n" BACKEND,
        P "9:5:" OBJ "spec.rules[1].name: Rule name must be unique within the route"};

/* ---- GRPCRoute ---- */

#define GR                                                                                         \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\n"                              \
	"metadata: {name: g, namespace: ns}\nspec:\n  rules:\n"
#define GOBJ " GRPCRoute ns/g: "

static const gwst_vcase grpc_ok = {
        GR
        "  - matches:\n    - method: {service: .pkg.Svc_1, method: Get_2}\n"
        "    - method: {type: RegularExpression, service: \"pkg\\\\..*\"}\n"
        "    - headers: [{name: x-a, value: \"1\"}]\n"
        "    filters:\n    - {type: RequestHeaderModifier, requestHeaderModifier: {remove: [x]}}\n",
        ""};
static const gwst_vcase grpc_method_empty = {
        GR "  - matches:\n    - method: {}\n",
        P "7:7:" GOBJ "spec.rules[0].matches[0].method: One or both of 'service' or 'method' must "
          "be specified"};
static const gwst_vcase grpc_service_pattern = {
        GR "  - matches:\n    - method: {service: pkg.1Svc}\n",
        P "7:16:" GOBJ "spec.rules[0].matches[0].method.service: service must only contain valid "
          "characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)"};
static const gwst_vcase grpc_method_pattern = {
        GR "  - matches:\n    - method: {method: Get-All}\n",
        P "7:16:" GOBJ "spec.rules[0].matches[0].method.method: method must only contain valid "
          "characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)"};
static const gwst_vcase grpc_filter_type = {
        GR "  - filters:\n    - {type: CORS}\n",
        P "7:8:" GOBJ "spec.rules[0].filters[0].type: unsupported value \"CORS\": must be one of "
          "ResponseHeaderModifier, RequestHeaderModifier, RequestMirror, ExtensionRef"};
static const gwst_vcase grpc_filter_repeated = {
        GR "  - filters:\n    - {type: ResponseHeaderModifier, responseHeaderModifier: {remove: "
           "[a]}}\n"
           "    - {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [b]}}\n",
        P "6:5:" GOBJ "spec.rules[0].filters: ResponseHeaderModifier filter cannot be repeated"};

/* ---- TCPRoute, UDPRoute, TLSRoute ---- */

#define L4(kind, version)                                                                          \
	"apiVersion: gateway.networking.k8s.io/" version "\nkind: " kind "\n"                      \
	"metadata: {name: l, namespace: ns}\nspec:\n"

static const gwst_vcase tcp_one_rule_ok = {
        L4("TCPRoute", "v1") "  rules: [{backendRefs: [{name: db, port: 5432}]}]\n", ""};
static const gwst_vcase tcp_two_rules = {
        L4("TCPRoute", "v1") "  rules:\n  - backendRefs: [{name: db, port: 5432}]\n"
                             "  - backendRefs: [{name: db2, port: 5432}]\n",
        P "5:3: TCPRoute ns/l: spec.rules: must have exactly 1 item, got 2; object ignored"};
static const gwst_vcase tcp_alpha_two_rules_ok = {
        L4("TCPRoute", "v1alpha2") "  rules:\n  - backendRefs: [{name: db, port: 5432}]\n"
                                   "  - backendRefs: [{name: db2, port: 5432}]\n",
        ""};
static const gwst_vcase udp_no_backends = {
        L4("UDPRoute", "v1") "  rules:\n  - name: dns\n",
        P "6:5: UDPRoute ns/l: spec.rules[0].backendRefs: must have at least 1 item"};
static const gwst_vcase tls_ok = {
        L4("TLSRoute", "v1") "  hostnames: [\"*.db.example\"]\n"
                             "  rules: [{backendRefs: [{name: db, port: 5432}]}]\n",
        ""};
static const gwst_vcase tls_hostnames_required = {
        L4("TLSRoute", "v1") "  rules: [{backendRefs: [{name: db, port: 5432}]}]\n",
        P "4:1: TLSRoute ns/l: spec.hostnames: must have at least 1 item"};
static const gwst_vcase tls_alpha_hostnames_optional_ok = {
        L4("TLSRoute", "v1alpha2") "  rules: [{backendRefs: [{name: db, port: 5432}]}]\n", ""};
static const gwst_vcase tls_hostname_ip = {
        L4("TLSRoute", "v1") "  hostnames: [\"fd00::1\"]\n"
                             "  rules: [{backendRefs: [{name: db, port: 5432}]}]\n",
        P "5:15: TLSRoute ns/l: spec.hostnames[0]: Hostnames cannot contain an IP"};
static const gwst_vcase tls_hostname_label_long_ok = {
        L4("TLSRoute",
           "v1") "  hostnames: "
                 "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example]\n"
                 "  rules: [{backendRefs: [{name: db, port: 5432}]}]\n",
        ""};
static const gwst_vcase tls_hostname_upper = {
        L4("TLSRoute", "v1") "  hostnames: [Db.example]\n"
                             "  rules: [{backendRefs: [{name: db, port: 5432}]}]\n",
        P "5:15: TLSRoute ns/l: spec.hostnames[0]: Hostnames must be valid based on RFC-1123"};
static const gwst_vcase tls_hostname_wildcard = {
        L4("TLSRoute", "v1") "  hostnames: [\"db.*.example\"]\n"
                             "  rules: [{backendRefs: [{name: db, port: 5432}]}]\n",
        P "5:15: TLSRoute ns/l: spec.hostnames[0]: Wildcards on hostnames must be the first label, "
          "and the rest of hostname must be valid based on RFC-1123"};

int main(void)
{
	const struct CMUnitTest tests[] = {
	        GWST_VCASE(parents_sections_ok, parents_sections_ok),
	        GWST_VCASE(parents_section_missing, parents_section_missing),
	        GWST_VCASE(parents_section_repeated, parents_section_repeated),
	        GWST_VCASE(parents_both_unset, parents_both_unset),
	        GWST_VCASE(parent_fields, parent_fields),
	        GWST_VCASE(hostnames_ok, hostnames_ok),
	        GWST_VCASE(hostnames_bad, hostnames_bad),
	        GWST_VCASE(hostnames_ip, hostnames_ip),
	        GWST_VCASE(path_ok, path_ok),
	        GWST_VCASE(path_relative, path_relative),
	        GWST_VCASE(path_dot_segment, path_dot_segment),
	        GWST_VCASE(path_encoded_slash, path_encoded_slash),
	        GWST_VCASE(path_dot_dot_end, path_dot_dot_end),
	        GWST_VCASE(path_bad_escape, path_bad_escape),
	        GWST_VCASE(path_type, path_type),
	        GWST_VCASE(headers_ok, headers_ok),
	        GWST_VCASE(header_name, header_name),
	        GWST_VCASE(header_repeated, header_repeated),
	        GWST_VCASE(header_case_repeated, header_case_repeated),
	        GWST_VCASE(query_repeated, query_repeated),
	        GWST_VCASE(header_type, header_type),
	        GWST_VCASE(header_value_empty, header_value_empty),
	        GWST_VCASE(method_bad, method_bad),
	        cmocka_unit_test(matches_total),
	        GWST_VCASE(filters_ok, filters_ok),
	        GWST_VCASE(filter_type, filter_type),
	        GWST_VCASE(filter_member_missing, filter_member_missing),
	        GWST_VCASE(filter_member_misplaced, filter_member_misplaced),
	        GWST_VCASE(filter_repeated, filter_repeated),
	        GWST_VCASE(redirect_and_rewrite, redirect_and_rewrite),
	        GWST_VCASE(redirect_ok, redirect_ok),
	        GWST_VCASE(redirect_with_backends, redirect_with_backends),
	        GWST_VCASE(redirect_fields, redirect_fields),
	        GWST_VCASE(prefix_replace_two_matches, prefix_replace_two_matches),
	        GWST_VCASE(prefix_replace_default_match_ok, prefix_replace_default_match_ok),
	        GWST_VCASE(prefix_replace_in_backend, prefix_replace_in_backend),
	        GWST_VCASE(path_modifier_mismatch, path_modifier_mismatch),
	        GWST_VCASE(rewrite_hostname, rewrite_hostname),
	        GWST_VCASE(header_modifier_repeated, header_modifier_repeated),
	        GWST_VCASE(header_modifier_value, header_modifier_value),
	        GWST_VCASE(mirror_percent, mirror_percent),
	        GWST_VCASE(mirror_fraction_ok, mirror_fraction_ok),
	        GWST_VCASE(mirror_fraction_over, mirror_fraction_over),
	        GWST_VCASE(mirror_both, mirror_both),
	        GWST_VCASE(mirror_port, mirror_port),
	        GWST_VCASE(cors_wildcard, cors_wildcard),
	        GWST_VCASE(cors_origin, cors_origin),
	        GWST_VCASE(extension_ref_fields, extension_ref_fields),
	        GWST_VCASE(backend_non_service_ok, backend_non_service_ok),
	        GWST_VCASE(backend_service_port, backend_service_port),
	        GWST_VCASE(backend_weight, backend_weight),
	        GWST_VCASE(timeouts_ok, timeouts_ok),
	        GWST_VCASE(timeouts_order, timeouts_order),
	        GWST_VCASE(timeouts_format, timeouts_format),
	        GWST_VCASE(rule_names, rule_names),
	        GWST_VCASE(grpc_ok, grpc_ok),
	        GWST_VCASE(grpc_method_empty, grpc_method_empty),
	        GWST_VCASE(grpc_service_pattern, grpc_service_pattern),
	        GWST_VCASE(grpc_method_pattern, grpc_method_pattern),
	        GWST_VCASE(grpc_filter_type, grpc_filter_type),
	        GWST_VCASE(grpc_filter_repeated, grpc_filter_repeated),
	        GWST_VCASE(tcp_one_rule_ok, tcp_one_rule_ok),
	        GWST_VCASE(tcp_two_rules, tcp_two_rules),
	        GWST_VCASE(tcp_alpha_two_rules_ok, tcp_alpha_two_rules_ok),
	        GWST_VCASE(udp_no_backends, udp_no_backends),
	        GWST_VCASE(tls_ok, tls_ok),
	        GWST_VCASE(tls_hostnames_required, tls_hostnames_required),
	        GWST_VCASE(tls_alpha_hostnames_optional_ok, tls_alpha_hostnames_optional_ok),
	        GWST_VCASE(tls_hostname_ip, tls_hostname_ip),
	        GWST_VCASE(tls_hostname_label_long_ok, tls_hostname_label_long_ok),
	        GWST_VCASE(tls_hostname_upper, tls_hostname_upper),
	        GWST_VCASE(tls_hostname_wildcard, tls_hostname_wildcard),
	};

	return cmocka_run_group_tests_name("validate_route", tests, NULL, NULL);
}
