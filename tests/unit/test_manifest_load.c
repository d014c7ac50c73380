/*
 * Manifest loader: every kind and apiVersion, CRD defaults, positions,
 * multi-document files, ordering, duplicates, type errors, file discovery.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gwsync/manifest.h"
#include "helper_manifest.h"

typedef hm_fixture fixture;

static void load(fixture *f)
{
	gws_manifest_store_free(f->store);
	f->store = NULL;
	gws_diag_list_dispose(&f->diags);
	gws_diag_list_init(&f->diags);
	assert_int_equal(hm_load(f->root, 0, &f->store, &f->diags), 0);
	assert_non_null(f->store);
}

static void load_clean(fixture *f)
{
	load(f);
	if (f->diags.count)
		hm_dump(&f->diags);
	assert_int_equal(f->diags.count, 0);
}

static void expect_diag(fixture *f, const char *line)
{
	const gws_diag *d = hm_find(&f->diags, line);
	if (!d) {
		fprintf(stderr, "expected a diagnostic containing: %s\n", line);
		hm_dump(&f->diags);
	}
	assert_non_null(d);
}

/* ---- the manifests of the source document (issue 2 "Required inputs") ---- */

static const char nlb_yaml[] =
        "apiVersion: gateway.networking.k8s.io/v1beta1\n"
        "kind: GatewayClass\n"
        "metadata: {name: aws-nlb-gateway-class}\n"
        "spec: {controllerName: gateway.k8s.aws/nlb}\n"
        "---\n"
        "apiVersion: gateway.networking.k8s.io/v1beta1\n"
        "kind: Gateway\n"
        "metadata: {name: my-tcp-gateway, namespace: default}\n"
        "spec:\n"
        "  gatewayClassName: aws-nlb-gateway-class\n"
        "  listeners:\n"
        "  - name: tcp-app\n"
        "    protocol: TCP\n"
        "    port: 8080\n"
        "    allowedRoutes: {namespaces: {from: Same}}\n"
        "---\n"
        "apiVersion: gateway.networking.k8s.io/v1alpha2\n"
        "kind: TCPRoute\n"
        "metadata: {name: my-tcp-app-route, namespace: default}\n"
        "spec:\n"
        "  parentRefs:\n"
        "  - {group: gateway.networking.k8s.io, kind: Gateway, name: my-tcp-gateway, sectionName: "
        "tcp-app}\n"
        "  rules:\n"
        "  - backendRefs:\n"
        "    - {name: foo-service, port: 5678}\n";

static const char alb_yaml[] = "apiVersion: gateway.networking.k8s.io/v1beta1\n"
                               "kind: GatewayClass\n"
                               "metadata: {name: aws-alb-gateway-class}\n"
                               "spec: {controllerName: gateway.k8s.aws/alb}\n"
                               "---\n"
                               "apiVersion: gateway.networking.k8s.io/v1beta1\n"
                               "kind: Gateway\n"
                               "metadata: {name: my-alb-gateway, namespace: default}\n"
                               "spec:\n"
                               "  gatewayClassName: aws-alb-gateway-class\n"
                               "  infrastructure:\n"
                               "    parametersRef:\n"
                               "      group: gateway.k8s.aws\n"
                               "      kind: LoadBalancerConfiguration\n"
                               "      name: internet-facing-config\n"
                               "  listeners:\n"
                               "  - name: http\n"
                               "    protocol: HTTP\n"
                               "    port: 80\n"
                               "  - name: https\n"
                               "    protocol: HTTPS\n"
                               "    port: 443\n"
                               "---\n"
                               "apiVersion: gateway.networking.k8s.io/v1beta1\n"
                               "kind: HTTPRoute\n"
                               "metadata: {name: my-http-app-route, namespace: default}\n"
                               "spec:\n"
                               "  parentRefs:\n"
                               "  - name: my-alb-gateway\n"
                               "    sectionName: http\n"
                               "  rules:\n"
                               "  - backendRefs:\n"
                               "    - name: foo-service\n"
                               "      port: 5678\n"
                               "    filters:\n"
                               "    - type: ExtensionRef\n"
                               "      extensionRef:\n"
                               "        group: gateway.k8s.aws\n"
                               "        kind: ListenerRuleConfiguration\n"
                               "        name: example-lrc-config\n"
                               "---\n"
                               "apiVersion: gateway.k8s.aws/v1beta1\n"
                               "kind: LoadBalancerConfiguration\n"
                               "metadata: {name: internet-facing-config, namespace: default}\n"
                               "spec:\n"
                               "  scheme: internet-facing\n"
                               "---\n"
                               "apiVersion: gateway.k8s.aws/v1beta1\n"
                               "kind: TargetGroupConfiguration\n"
                               "metadata: {name: custom-tg-config, namespace: default}\n"
                               "spec:\n"
                               "  targetReference:\n"
                               "    name: foo-service\n"
                               "  defaultConfiguration:\n"
                               "    targetType: ip\n"
                               "    healthCheckConfig:\n"
                               "      healthCheckPath: /health\n"
                               "      healthCheckInterval: 30\n"
                               "      healthyThresholdCount: 3\n"
                               "---\n"
                               "apiVersion: gateway.k8s.aws/v1beta1\n"
                               "kind: ListenerRuleConfiguration\n"
                               "metadata: {name: example-lrc-config, namespace: default}\n"
                               "spec:\n"
                               "  actions:\n"
                               "  - type: fixed-response\n"
                               "    fixedResponseConfig:\n"
                               "      statusCode: 404\n"
                               "      contentType: text/plain\n"
                               "      messageBody: my fixed response\n";

static void test_source_document_inputs(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "nlb.yaml", nlb_yaml, (size_t)-1);
	hm_write(f->root, "alb.yaml", alb_yaml, (size_t)-1);
	load_clean(f);

	gws_manifest_stats st;
	gws_manifest_get_stats(f->store, &st);
	assert_int_equal(st.files, 2);
	assert_int_equal(st.documents, 9);
	assert_int_equal(st.objects, 9);
	assert_int_equal(st.ignored, 0);

	const gws_manifest_object *gc =
	        gws_manifest_find(f->store, GWS_KIND_GATEWAY_CLASS, NULL, "aws-nlb-gateway-class");
	assert_non_null(gc);
	assert_null(gc->meta.namespace_);
	assert_string_equal(gc->spec.gateway_class->controller_name, "gateway.k8s.aws/nlb");
	assert_string_equal(gc->version, "v1beta1");
	assert_string_equal(gc->ref, "GatewayClass aws-nlb-gateway-class");

	const gws_manifest_object *tcp =
	        gws_manifest_find(f->store, GWS_KIND_TCP_ROUTE, "default", "my-tcp-app-route");
	assert_non_null(tcp);
	assert_string_equal(tcp->version, "v1alpha2");
	assert_int_equal(tcp->spec.tcp_route->n_rules, 1);
	const gws_mf_backend_ref *b = &tcp->spec.tcp_route->rules[0].backend_refs[0];
	assert_string_equal(b->name, "foo-service");
	assert_int_equal(b->port.value, 5678);
	assert_string_equal(b->kind, "Service");
	assert_string_equal(b->group, "");
	assert_true(b->weight.set);
	assert_int_equal(b->weight.value, 1);

	const gws_manifest_object *gw =
	        gws_manifest_find(f->store, GWS_KIND_GATEWAY, "default", "my-alb-gateway");
	assert_non_null(gw);
	const gws_mf_local_ref *pr = gw->spec.gateway->infrastructure->parameters_ref;
	assert_string_equal(pr->group, "gateway.k8s.aws");
	assert_string_equal(pr->kind, "LoadBalancerConfiguration");
	assert_string_equal(pr->name, "internet-facing-config");
	assert_int_equal(gw->spec.gateway->listeners[1].port.value, 443);

	const gws_manifest_object *tgc = gws_manifest_find(
	        f->store, GWS_KIND_TARGET_GROUP_CONFIGURATION, "default", "custom-tg-config");
	assert_non_null(tgc);
	const gws_mf_tg_props *p = tgc->spec.tg_config->default_configuration;
	assert_string_equal(p->target_type, "ip");
	assert_string_equal(p->health_check_config->health_check_path, "/health");
	assert_int_equal(p->health_check_config->health_check_interval.value, 30);
	assert_int_equal(p->health_check_config->healthy_threshold_count.value, 3);
	assert_false(p->health_check_config->health_check_timeout.set);
	assert_string_equal(tgc->spec.tg_config->target_reference->kind, "Service");

	const gws_manifest_object *lrc = gws_manifest_find(
	        f->store, GWS_KIND_LISTENER_RULE_CONFIGURATION, "default", "example-lrc-config");
	assert_non_null(lrc);
	const gws_mf_fixed_response_config *fr =
	        lrc->spec.lrc_config->actions[0].fixed_response_config;
	assert_int_equal(fr->status_code.value, 404);
	assert_string_equal(fr->message_body, "my fixed response");

	const gws_manifest_object *hr =
	        gws_manifest_find(f->store, GWS_KIND_HTTP_ROUTE, "default", "my-http-app-route");
	const gws_mf_filter *flt = &hr->spec.http_route->rules[0].filters[0];
	assert_string_equal(flt->type, "ExtensionRef");
	assert_string_equal(flt->extension_ref->kind, "ListenerRuleConfiguration");
}

/* ---- every kind, every accepted apiVersion ---- */

static const struct {
	const char *api_version;
	const char *kind;
	gws_manifest_kind id;
} accepted[] = {
        {"gateway.networking.k8s.io/v1", "GatewayClass", GWS_KIND_GATEWAY_CLASS},
        {"gateway.networking.k8s.io/v1beta1", "GatewayClass", GWS_KIND_GATEWAY_CLASS},
        {"gateway.networking.k8s.io/v1", "Gateway", GWS_KIND_GATEWAY},
        {"gateway.networking.k8s.io/v1beta1", "Gateway", GWS_KIND_GATEWAY},
        {"gateway.networking.k8s.io/v1", "HTTPRoute", GWS_KIND_HTTP_ROUTE},
        {"gateway.networking.k8s.io/v1beta1", "HTTPRoute", GWS_KIND_HTTP_ROUTE},
        {"gateway.networking.k8s.io/v1", "GRPCRoute", GWS_KIND_GRPC_ROUTE},
        {"gateway.networking.k8s.io/v1alpha2", "GRPCRoute", GWS_KIND_GRPC_ROUTE},
        {"gateway.networking.k8s.io/v1", "TCPRoute", GWS_KIND_TCP_ROUTE},
        {"gateway.networking.k8s.io/v1alpha2", "TCPRoute", GWS_KIND_TCP_ROUTE},
        {"gateway.networking.k8s.io/v1", "UDPRoute", GWS_KIND_UDP_ROUTE},
        {"gateway.networking.k8s.io/v1alpha2", "UDPRoute", GWS_KIND_UDP_ROUTE},
        {"gateway.networking.k8s.io/v1", "TLSRoute", GWS_KIND_TLS_ROUTE},
        {"gateway.networking.k8s.io/v1alpha3", "TLSRoute", GWS_KIND_TLS_ROUTE},
        {"gateway.networking.k8s.io/v1alpha2", "TLSRoute", GWS_KIND_TLS_ROUTE},
        {"gateway.networking.k8s.io/v1", "ReferenceGrant", GWS_KIND_REFERENCE_GRANT},
        {"gateway.networking.k8s.io/v1beta1", "ReferenceGrant", GWS_KIND_REFERENCE_GRANT},
        {"gateway.networking.k8s.io/v1alpha2", "ReferenceGrant", GWS_KIND_REFERENCE_GRANT},
        {"gateway.networking.k8s.io/v1", "ListenerSet", GWS_KIND_LISTENER_SET},
        {"gateway.networking.x-k8s.io/v1alpha1", "ListenerSet", GWS_KIND_LISTENER_SET},
        {"gateway.networking.x-k8s.io/v1alpha1", "XListenerSet", GWS_KIND_LISTENER_SET},
        {"v1", "Service", GWS_KIND_SERVICE},
        {"v1", "Namespace", GWS_KIND_NAMESPACE},
        {"gateway.k8s.aws/v1", "LoadBalancerConfiguration", GWS_KIND_LOAD_BALANCER_CONFIGURATION},
        {"gateway.k8s.aws/v1beta1", "LoadBalancerConfiguration",
         GWS_KIND_LOAD_BALANCER_CONFIGURATION},
        {"gateway.k8s.aws/v1", "TargetGroupConfiguration", GWS_KIND_TARGET_GROUP_CONFIGURATION},
        {"gateway.k8s.aws/v1beta1", "TargetGroupConfiguration",
         GWS_KIND_TARGET_GROUP_CONFIGURATION},
        {"gateway.k8s.aws/v1", "ListenerRuleConfiguration", GWS_KIND_LISTENER_RULE_CONFIGURATION},
        {"gateway.k8s.aws/v1beta1", "ListenerRuleConfiguration",
         GWS_KIND_LISTENER_RULE_CONFIGURATION},
};

/* The smallest spec each kind's validation accepts. */
static const char *minimal_spec(gws_manifest_kind kind)
{
	switch (kind) {
	case GWS_KIND_GATEWAY_CLASS:
		return "spec: {controllerName: gateway.k8s.aws/alb}\n";
	case GWS_KIND_GATEWAY:
		return "spec:\n  gatewayClassName: c\n"
		       "  listeners: [{name: http, protocol: HTTP, port: 80}]\n";
	case GWS_KIND_HTTP_ROUTE:
	case GWS_KIND_GRPC_ROUTE:
		return "spec: {parentRefs: [{name: gw}]}\n";
	case GWS_KIND_TCP_ROUTE:
	case GWS_KIND_UDP_ROUTE:
		return "spec:\n  parentRefs: [{name: gw}]\n"
		       "  rules: [{backendRefs: [{name: s, port: 80}]}]\n";
	case GWS_KIND_TLS_ROUTE:
		return "spec:\n  parentRefs: [{name: gw}]\n  hostnames: [a.example.com]\n"
		       "  rules: [{backendRefs: [{name: s, port: 443}]}]\n";
	case GWS_KIND_REFERENCE_GRANT:
		return "spec:\n"
		       "  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: "
		       "a}]\n"
		       "  to: [{group: '', kind: Service}]\n";
	case GWS_KIND_LISTENER_SET:
		return "spec:\n  parentRef: {name: gw}\n"
		       "  listeners: [{name: l, protocol: HTTP, port: 8080}]\n";
	case GWS_KIND_SERVICE:
		return "spec: {ports: [{port: 80}]}\n";
	case GWS_KIND_LISTENER_RULE_CONFIGURATION:
		return "spec: {actions: [{type: fixed-response, fixedResponseConfig: {statusCode: "
		       "404}}]}\n";
	case GWS_KIND_LOAD_BALANCER_CONFIGURATION:
		return "spec: {scheme: internal}\n";
	case GWS_KIND_TARGET_GROUP_CONFIGURATION:
		return "spec: {targetReference: {name: s}}\n";
	default:
		return "";
	}
}

static void test_every_kind_and_version(void **state)
{
	fixture *f = *state;
	size_t per_kind[GWS_KIND__COUNT] = {0};
	for (size_t i = 0; i < GWS_ARRAY_SIZE(accepted); i++) {
		char *doc = gws_asprintf("apiVersion: %s\nkind: %s\nmetadata:\n  name: obj-%zu\n%s",
		                         accepted[i].api_version, accepted[i].kind, i,
		                         minimal_spec(accepted[i].id));
		char *rel = gws_asprintf("k/%02zu.yaml", i);
		hm_write(f->root, rel, doc, (size_t)-1);
		per_kind[accepted[i].id]++;
		gws_free(doc);
		gws_free(rel);
	}
	load_clean(f);
	for (int k = 0; k < GWS_KIND__COUNT; k++) {
		assert_int_equal(gws_manifest_count(f->store, (gws_manifest_kind)k), per_kind[k]);
		for (size_t i = 0; i < per_kind[k]; i++) {
			const gws_manifest_object *o =
			        gws_manifest_at(f->store, (gws_manifest_kind)k, i);
			assert_int_equal(o->kind, k);
			/* every kind but Namespace gets a (possibly empty) spec */
			if (k == GWS_KIND_NAMESPACE)
				assert_null(o->spec.any);
			else
				assert_non_null(o->spec.any);
			assert_string_equal(gws_manifest_kind_name(o->kind),
			                    gws_manifest_kind_name((gws_manifest_kind)k));
		}
	}
	assert_null(gws_manifest_at(f->store, GWS_KIND_GATEWAY, 99));
}

static void test_unknown_versions_rejected(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "a.yaml",
	         "apiVersion: gateway.networking.k8s.io/v2\nkind: HTTPRoute\n"
	         "metadata: {name: r, namespace: apps}\n"
	         "---\n"
	         "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: TCPRoute\n"
	         "metadata: {name: t}\n"
	         "---\n"
	         "apiVersion: v2\nkind: Service\nmetadata: {name: s}\n"
	         "---\n"
	         "apiVersion: gateway.k8s.aws/v1alpha1\nkind: TargetGroupConfiguration\n"
	         "metadata: {name: tg}\n"
	         "---\n"
	         "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: GatewayClass\n"
	         "metadata: {name: gc}\nspec: {controllerName: gateway.k8s.aws/alb}\n",
	         (size_t)-1);
	load(f);
	expect_diag(f,
	            "a.yaml:1:1: HTTPRoute apps/r: apiVersion: apiVersion "
	            "\"gateway.networking.k8s.io/v2\" is not supported for HTTPRoute (supported: "
	            "gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1)");
	expect_diag(f, "a.yaml:5:1: TCPRoute default/t: apiVersion: apiVersion "
	               "\"gateway.networking.k8s.io/v1beta1\" is not supported for TCPRoute");
	expect_diag(f, "a.yaml:9:1: Service default/s: apiVersion: apiVersion \"v2\" is not "
	               "supported for Service (supported: v1)");
	expect_diag(f, "TargetGroupConfiguration default/tg: apiVersion: apiVersion "
	               "\"gateway.k8s.aws/v1alpha1\" is not supported");
	assert_int_equal(f->diags.errors, 4);
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_HTTP_ROUTE), 0);
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_GATEWAY_CLASS), 1);
}

static void test_other_kinds_ignored(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "other.yaml",
	         "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n"
	         "---\n"
	         "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: istio}\n"
	         "---\n"
	         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"
	         "---\n"
	         "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
	         (size_t)-1);
	load_clean(f);
	gws_manifest_stats st;
	gws_manifest_get_stats(f->store, &st);
	assert_int_equal(st.ignored, 4);
	assert_int_equal(st.objects, 0);
	assert_int_equal(st.documents, 4);
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_GATEWAY), 0);
}

/* ---- defaults ---- */

static const char defaults_yaml[] =
        "apiVersion: gateway.networking.k8s.io/v1\n"
        "kind: Gateway\n"
        "metadata: {name: gw}\n"
        "spec:\n"
        "  gatewayClassName: c\n"
        "  addresses: [{value: 10.0.0.1}]\n"
        "  listeners:\n"
        "  - {name: a, protocol: HTTP, port: 80}\n"
        "  - name: b\n"
        "    protocol: HTTPS\n"
        "    port: 443\n"
        "    tls: {certificateRefs: [{name: cert}]}\n"
        "    allowedRoutes: {kinds: [{kind: HTTPRoute}]}\n"
        "---\n"
        "apiVersion: gateway.networking.k8s.io/v1\n"
        "kind: HTTPRoute\n"
        "metadata: {name: norules, namespace: apps}\n"
        "spec:\n"
        "  parentRefs: [{name: gw, namespace: default}]\n"
        "---\n"
        "apiVersion: gateway.networking.k8s.io/v1\n"
        "kind: HTTPRoute\n"
        "metadata: {name: full, namespace: apps}\n"
        "spec:\n"
        "  parentRefs: [{name: gw, group: '', kind: Service}]\n"
        "  rules:\n"
        "  - matches:\n"
        "    - headers: [{name: version, value: one}]\n"
        "      queryParams: [{name: q, value: v, type: RegularExpression}]\n"
        "    - path: {value: /exact, type: Exact}\n"
        "    filters:\n"
        "    - type: RequestRedirect\n"
        "      requestRedirect: {scheme: https}\n"
        "    - type: RequestMirror\n"
        "      requestMirror: {backendRef: {name: m, port: 80}, fraction: {numerator: 5}}\n"
        "    - type: CORS\n"
        "      cors: {allowOrigins: ['*']}\n"
        "  - backendRefs: [{name: a, port: 80, weight: 0}, {name: b, port: 81}]\n"
        "    sessionPersistence: {sessionName: s}\n"
        "---\n"
        "apiVersion: gateway.networking.k8s.io/v1\n"
        "kind: HTTPRoute\n"
        "metadata: {name: empty-rules, namespace: apps}\n"
        "spec: {rules: []}\n"
        "---\n"
        "apiVersion: gateway.networking.k8s.io/v1\n"
        "kind: GRPCRoute\n"
        "metadata: {name: g}\n"
        "spec:\n"
        "  rules:\n"
        "  - matches:\n"
        "    - method: {service: foo.Bar, method: Baz}\n"
        "      headers: [{name: x, value: y}]\n"
        "  - backendRefs: [{name: s, port: 50051}]\n"
        "---\n"
        "apiVersion: gateway.networking.k8s.io/v1\n"
        "kind: ListenerSet\n"
        "metadata: {name: ls}\n"
        "spec:\n"
        "  parentRef: {name: gw}\n"
        "  listeners: [{name: x, protocol: TLS, port: 8443, tls: {mode: Passthrough}}]\n"
        "---\n"
        "apiVersion: gateway.k8s.aws/v1\n"
        "kind: ListenerRuleConfiguration\n"
        "metadata: {name: lrc}\n"
        "spec:\n"
        "  actions:\n"
        "  - type: forward\n"
        "    forwardConfig: {targetGroupStickinessConfig: {}}\n"
        "  - type: authenticate-oidc\n"
        "    authenticateOIDCConfig:\n"
        "      issuer: https://idp.example.com\n"
        "      authorizationEndpoint: https://idp.example.com/auth\n"
        "      tokenEndpoint: https://idp.example.com/token\n"
        "      userInfoEndpoint: https://idp.example.com/userinfo\n"
        "      secret: {name: s}\n"
        "---\n"
        "apiVersion: gateway.k8s.aws/v1\n"
        "kind: LoadBalancerConfiguration\n"
        "metadata: {name: lbc}\n"
        "spec:\n"
        "  listenerConfigurations: [{protocolPort: 'HTTPS:443'}]\n"
        "  wafV2: {webACL: arn}\n"
        "  securityGroups: []\n";

static void test_defaults(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "d.yaml", defaults_yaml, (size_t)-1);
	load(f);
	/* validation may reject the explicit empty rules list, nothing else */
	for (size_t i = 0; i < f->diags.count; i++) {
		if (!f->diags.items[i].object ||
		    strcmp(f->diags.items[i].object, "HTTPRoute apps/empty-rules") != 0)
			hm_dump(&f->diags);
		assert_non_null(f->diags.items[i].object);
		assert_string_equal(f->diags.items[i].object, "HTTPRoute apps/empty-rules");
	}

	const gws_mf_gateway *g =
	        gws_manifest_find(f->store, GWS_KIND_GATEWAY, "default", "gw")->spec.gateway;
	assert_string_equal(g->addresses[0].type, "IPAddress");
	assert_string_equal(g->listeners[0].allowed_routes->namespaces->from, "Same");
	assert_null(g->listeners[0].allowed_routes->namespaces->selector);
	assert_false(g->listeners[0].allowed_routes->has_kinds);
	assert_null(g->listeners[0].tls);
	assert_string_equal(g->listeners[1].tls->mode, "Terminate");
	assert_string_equal(g->listeners[1].tls->certificate_refs[0].group, "");
	assert_string_equal(g->listeners[1].tls->certificate_refs[0].kind, "Secret");
	assert_true(g->listeners[1].allowed_routes->has_kinds);
	assert_string_equal(g->listeners[1].allowed_routes->kinds[0].group,
	                    "gateway.networking.k8s.io");
	assert_string_equal(g->allowed_listeners->namespaces->from, "None");

	const gws_mf_http_route *nr =
	        gws_manifest_find(f->store, GWS_KIND_HTTP_ROUTE, "apps", "norules")
	                ->spec.http_route;
	assert_string_equal(nr->parent_refs[0].group, "gateway.networking.k8s.io");
	assert_string_equal(nr->parent_refs[0].kind, "Gateway");
	assert_string_equal(nr->parent_refs[0].namespace_, "default");
	assert_int_equal(nr->n_rules, 1);
	assert_int_equal(nr->rules[0].n_matches, 1);
	assert_string_equal(nr->rules[0].matches[0].path->type, "PathPrefix");
	assert_string_equal(nr->rules[0].matches[0].path->value, "/");
	assert_int_equal(nr->rules[0].n_backend_refs, 0);

	const gws_mf_http_route *fr =
	        gws_manifest_find(f->store, GWS_KIND_HTTP_ROUTE, "apps", "full")->spec.http_route;
	/* explicit group "" and kind stay as written */
	assert_string_equal(fr->parent_refs[0].group, "");
	assert_string_equal(fr->parent_refs[0].kind, "Service");
	const gws_mf_http_match *m = fr->rules[0].matches;
	assert_int_equal(fr->rules[0].n_matches, 2);
	assert_string_equal(m[0].path->type, "PathPrefix");
	assert_string_equal(m[0].path->value, "/");
	assert_string_equal(m[0].headers[0].type, "Exact");
	assert_string_equal(m[0].query_params[0].type, "RegularExpression");
	assert_string_equal(m[1].path->type, "Exact");
	assert_string_equal(m[1].path->value, "/exact");
	const gws_mf_filter *flt = fr->rules[0].filters;
	assert_int_equal(flt[0].request_redirect->status_code.value, 302);
	assert_false(flt[0].request_redirect->port.set);
	assert_string_equal(flt[1].request_mirror->backend_ref.kind, "Service");
	assert_string_equal(flt[1].request_mirror->backend_ref.group, "");
	assert_int_equal(flt[1].request_mirror->fraction->denominator.value, 100);
	assert_int_equal(flt[1].request_mirror->fraction->numerator.value, 5);
	assert_int_equal(flt[2].cors->max_age.value, 5);
	/* rule 2: no matches written -> the default match; weight 0 kept, absent -> 1 */
	assert_int_equal(fr->rules[1].n_matches, 1);
	assert_int_equal(fr->rules[1].backend_refs[0].weight.value, 0);
	assert_true(fr->rules[1].backend_refs[0].weight.set);
	assert_int_equal(fr->rules[1].backend_refs[1].weight.value, 1);
	assert_string_equal(fr->rules[1].session_persistence->type, "Cookie");
	assert_string_equal(fr->rules[1].session_persistence->cookie_lifetime_type, "Session");

	const gws_mf_http_route *er =
	        gws_manifest_find(f->store, GWS_KIND_HTTP_ROUTE, "apps", "empty-rules")
	                ->spec.http_route;
	assert_int_equal(er->n_rules, 0); /* explicit [] is not defaulted */

	const gws_mf_grpc_route *gr =
	        gws_manifest_find(f->store, GWS_KIND_GRPC_ROUTE, "default", "g")->spec.grpc_route;
	assert_string_equal(gr->rules[0].matches[0].method->type, "Exact");
	assert_string_equal(gr->rules[0].matches[0].headers[0].type, "Exact");
	assert_int_equal(gr->rules[1].n_matches, 0); /* GRPCRoute matches are not defaulted */
	assert_string_equal(gr->rules[1].backend_refs[0].kind, "Service");

	const gws_mf_listener_set *ls =
	        gws_manifest_find(f->store, GWS_KIND_LISTENER_SET, "default", "ls")
	                ->spec.listener_set;
	assert_string_equal(ls->parent_ref.group, "gateway.networking.k8s.io");
	assert_string_equal(ls->parent_ref.kind, "Gateway");
	assert_string_equal(ls->listeners[0].tls->mode, "Passthrough");
	assert_string_equal(ls->listeners[0].allowed_routes->namespaces->from, "Same");

	const gws_mf_lrc_config *lrc =
	        gws_manifest_find(f->store, GWS_KIND_LISTENER_RULE_CONFIGURATION, "default", "lrc")
	                ->spec.lrc_config;
	const gws_mf_tg_stickiness *st =
	        lrc->actions[0].forward_config->target_group_stickiness_config;
	assert_int_equal(st->duration_seconds.value, 3600);
	assert_true(st->enabled.set);
	assert_false(st->enabled.value);
	const gws_mf_authenticate_config *oidc = lrc->actions[1].authenticate_oidc_config;
	assert_string_equal(oidc->secret_name, "s");
	assert_string_equal(oidc->scope, "openid");
	assert_string_equal(oidc->on_unauthenticated_request, "authenticate");
	assert_string_equal(oidc->session_cookie_name, "AWSELBAuthSessionCookie");
	assert_int_equal(oidc->session_timeout.value, 604800);

	const gws_mf_lb_config *lbc =
	        gws_manifest_find(f->store, GWS_KIND_LOAD_BALANCER_CONFIGURATION, "default", "lbc")
	                ->spec.lb_config;
	assert_string_equal(lbc->listener_configurations[0].alpn_policy, "None");
	assert_true(lbc->has_waf_v2);
	assert_string_equal(lbc->waf_v2_web_acl, "arn");
	assert_true(lbc->has_security_groups);
	assert_int_equal(lbc->n_security_groups, 0);
	assert_false(lbc->has_source_ranges);
	assert_false(lbc->has_shield_configuration);
}

/* ---- fields of every shape ---- */

static void test_field_shapes(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "s.yaml",
	         "apiVersion: v1\n"
	         "kind: Service\n"
	         "metadata:\n"
	         "  name: svc\n"
	         "  namespace: apps\n"
	         "  labels: {app.kubernetes.io/name: web, empty: }\n"
	         "  annotations: {a: 'x: y'}\n"
	         "  creationTimestamp: 2026-01-02T03:04:05Z\n"
	         "  generation: 7\n"
	         "  uid: 1234-abcd\n"
	         "spec:\n"
	         "  type: NodePort\n"
	         "  clusterIP: None\n"
	         "  sessionAffinity: None\n"
	         "  selector: {app: web}\n"
	         "  externalTrafficPolicy: Local\n"
	         "  ports:\n"
	         "  - {name: http, port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP}\n"
	         "  - {name: grpc, port: 81, targetPort: grpc, appProtocol: kubernetes.io/h2c}\n"
	         "  - {name: admin, port: 82}\n"
	         "---\n"
	         "apiVersion: v1\n"
	         "kind: Namespace\n"
	         "metadata: {name: apps, labels: {team: a}}\n"
	         "---\n"
	         "apiVersion: gateway.k8s.aws/v1\n"
	         "kind: LoadBalancerConfiguration\n"
	         "metadata: {name: lbc, namespace: apps}\n"
	         "spec:\n"
	         "  loadBalancerSubnetsSelector: {kubernetes.io/role/elb: ['1'], other: [a, b]}\n"
	         "  loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: '60'}]\n"
	         "  tags: {team: a}\n"
	         "  enableICMP: true\n"
	         "  minimumLoadBalancerCapacity: {capacityUnits: 100}\n"
	         "---\n"
	         "apiVersion: gateway.k8s.aws/v1\n"
	         "kind: ListenerRuleConfiguration\n"
	         "metadata: {name: lrc, namespace: apps}\n"
	         "spec:\n"
	         "  conditions:\n"
	         "  - field: source-ip\n"
	         "    sourceIPConfig: {values: [10.0.0.0/8]}\n"
	         "    matchIndexes: [0, 2]\n"
	         "  actions: [{type: fixed-response, fixedResponseConfig: {statusCode: 503}}]\n",
	         (size_t)-1);
	load_clean(f);
	const gws_manifest_object *o = gws_manifest_find(f->store, GWS_KIND_SERVICE, "apps", "svc");
	assert_non_null(o);
	assert_int_equal(o->meta.n_labels, 2);
	assert_string_equal(o->meta.labels[0].key, "app.kubernetes.io/name");
	assert_string_equal(o->meta.labels[0].value, "web");
	assert_string_equal(o->meta.labels[1].value, "");
	assert_string_equal(o->meta.annotations[0].value, "x: y");
	assert_string_equal(o->meta.creation_timestamp, "2026-01-02T03:04:05Z");
	assert_true(o->meta.generation.set);
	assert_int_equal(o->meta.generation.value, 7);
	assert_string_equal(o->meta.uid, "1234-abcd");
	const gws_mf_service *s = o->spec.service;
	assert_string_equal(s->type, "NodePort");
	assert_string_equal(s->external_traffic_policy, "Local");
	assert_string_equal(s->selector[0].value, "web");
	assert_int_equal(s->n_ports, 3);
	assert_int_equal(s->ports[0].target_port.type, GWS_MF_INTSTR_INT);
	assert_int_equal(s->ports[0].target_port.int_value, 8080);
	assert_int_equal(s->ports[0].node_port.value, 30080);
	assert_int_equal(s->ports[1].target_port.type, GWS_MF_INTSTR_STRING);
	assert_string_equal(s->ports[1].target_port.str_value, "grpc");
	assert_string_equal(s->ports[1].app_protocol, "kubernetes.io/h2c");
	assert_int_equal(s->ports[2].target_port.type, GWS_MF_INTSTR_ABSENT);
	assert_null(s->ports[2].protocol);

	const gws_manifest_object *ns =
	        gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "apps");
	assert_non_null(ns);
	assert_string_equal(ns->meta.labels[0].key, "team");
	assert_false(ns->meta.generation.set);
	assert_null(ns->meta.creation_timestamp);

	const gws_mf_lb_config *l =
	        gws_manifest_find(f->store, GWS_KIND_LOAD_BALANCER_CONFIGURATION, "apps", "lbc")
	                ->spec.lb_config;
	assert_true(l->has_load_balancer_subnets_selector);
	assert_int_equal(l->n_load_balancer_subnets_selector, 2);
	assert_string_equal(l->load_balancer_subnets_selector[0].key, "kubernetes.io/role/elb");
	assert_int_equal(l->load_balancer_subnets_selector[1].n_values, 2);
	assert_string_equal(l->load_balancer_attributes[0].value, "60");
	assert_true(l->enable_icmp.set && l->enable_icmp.value);
	assert_false(l->disable_security_group.set);
	assert_true(l->has_minimum_load_balancer_capacity);
	assert_int_equal(l->minimum_capacity_units.value, 100);

	const gws_mf_lrc_config *c =
	        gws_manifest_find(f->store, GWS_KIND_LISTENER_RULE_CONFIGURATION, "apps", "lrc")
	                ->spec.lrc_config;
	assert_true(c->conditions[0].has_source_ip_config);
	assert_string_equal(c->conditions[0].source_ip_values[0], "10.0.0.0/8");
	assert_int_equal(c->conditions[0].n_match_indexes, 2);
	assert_int_equal(c->conditions[0].match_indexes[1], 2);
	assert_string_equal(c->actions[0].fixed_response_config->content_type, "text/plain");
}

/* ---- positions ---- */

static void test_positions(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "dir/gw.yaml",
	         "# comment\n"
	         "apiVersion: gateway.networking.k8s.io/v1\n"
	         "kind: Gateway\n"
	         "metadata:\n"
	         "  name: gw\n"
	         "  namespace: infra\n"
	         "  labels:\n"
	         "    app.kubernetes.io/name: x\n"
	         "spec:\n"
	         "  gatewayClassName: c\n"
	         "  listeners:\n"
	         "  - name: a\n"
	         "    protocol: HTTP\n"
	         "    port: 80\n"
	         "  - name: b\n"
	         "    protocol: HTTP\n"
	         "    port:    8080\n",
	         (size_t)-1);
	load_clean(f);
	const gws_manifest_object *o = gws_manifest_find(f->store, GWS_KIND_GATEWAY, "infra", "gw");
	unsigned line = 0, col = 0;
	assert_string_equal(o->file, "dir/gw.yaml");
	assert_int_equal(o->line, 2);
	assert_int_equal(o->column, 1);
	assert_true(gws_manifest_object_pos(o, "spec.listeners[1].port", &line, &col));
	assert_int_equal(line, 17);
	assert_int_equal(col, 5);
	assert_true(gws_manifest_object_pos(o, "spec.listeners[1]", &line, &col));
	assert_int_equal(line, 15);
	assert_int_equal(col, 5);
	assert_true(gws_manifest_object_pos(o, "metadata.name", &line, &col));
	assert_int_equal(line, 5);
	assert_int_equal(col, 3);
	assert_true(
	        gws_manifest_object_pos(o, "metadata.labels.app.kubernetes.io/name", &line, &col));
	assert_int_equal(line, 8);
	assert_int_equal(col, 5);
	/* defaulted / absent paths fall back to the nearest written parent */
	assert_false(gws_manifest_object_pos(o, "spec.listeners[0].allowedRoutes.namespaces.from",
	                                     &line, &col));
	assert_int_equal(line, 12);
	assert_int_equal(col, 5);
	assert_false(gws_manifest_object_pos(o, "spec.listeners[7].port", &line, &col));
	assert_int_equal(line, 11);
	assert_int_equal(col, 3);
	assert_true(gws_manifest_object_pos(o, NULL, &line, &col));
	assert_int_equal(line, 2);
	assert_true(gws_manifest_object_has(o, "spec.listeners[0].protocol"));
	assert_false(gws_manifest_object_has(o, "spec.listeners[0].allowedRoutes"));

	assert_int_equal(gws_manifest_diag(&f->diags, o, GWS_DIAG_ERROR, "spec.listeners[1].port",
	                                   "port %d is taken", 8080),
	                 0);
	assert_int_equal(gws_manifest_diag(&f->diags, o, GWS_DIAG_WARNING,
	                                   "spec.listeners[0].hostname", "no hostname"),
	                 0);
	expect_diag(f, "dir/gw.yaml:17:5: Gateway infra/gw: spec.listeners[1].port: port 8080 is "
	               "taken");
	expect_diag(f, "dir/gw.yaml:12:5: warning: Gateway infra/gw: spec.listeners[0].hostname: "
	               "no hostname");
}

/* ---- multi-document files and ordering ---- */

static void test_multi_document(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "m.yml",
	         "---\n"
	         "# only a comment\n"
	         "---\n"
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n"
	         "---\n"
	         "---\n"
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
	         "...\n"
	         "---\n"
	         "apiVersion: v1\nkind: List\nitems:\n"
	         "- {apiVersion: v1, kind: Namespace, metadata: {name: c}}\n"
	         "- {apiVersion: v1, kind: Service, metadata: {name: s, namespace: c}, spec: "
	         "{ports: [{port: "
	         "80}]}}\n",
	         (size_t)-1);
	load_clean(f);
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_NAMESPACE), 3);
	const gws_manifest_object *a = gws_manifest_at(f->store, GWS_KIND_NAMESPACE, 0);
	const gws_manifest_object *b = gws_manifest_at(f->store, GWS_KIND_NAMESPACE, 1);
	const gws_manifest_object *c = gws_manifest_at(f->store, GWS_KIND_NAMESPACE, 2);
	assert_string_equal(a->meta.name, "a");
	assert_string_equal(b->meta.name, "b");
	assert_string_equal(c->meta.name, "c");
	assert_int_equal(b->doc_index, 1);
	assert_int_equal(a->doc_index, 3);
	assert_int_equal(a->line, 9);
	assert_int_equal(c->doc_index, 4);
	assert_non_null(gws_manifest_find(f->store, GWS_KIND_SERVICE, "c", "s"));
	gws_manifest_stats st;
	gws_manifest_get_stats(f->store, &st);
	assert_int_equal(st.documents, 3);
	assert_int_equal(st.objects, 4);
}

/* ---- positions after the node trees are gone ---- */

static void expect_pos(const gws_manifest_object *o, const char *path, bool exact, unsigned line,
                       unsigned col, bool has)
{
	unsigned l = 0, c = 0;
	bool e = gws_manifest_object_pos(o, path, &l, &c);
	if (e != exact || l != line || c != col || gws_manifest_object_has(o, path) != has)
		fprintf(stderr, "%s %s: got %d %u:%u has=%d\n", o->ref, path, e, l, c,
		        gws_manifest_object_has(o, path));
	assert_int_equal(e, exact);
	assert_int_equal(l, line);
	assert_int_equal(c, col);
	assert_int_equal(gws_manifest_object_has(o, path), has);
}

/*
 * The position index answers as the node tree did, through YAML aliases
 * (into another object of a List, as a list item and as a member value),
 * long keys that are not interned, nulls and flow collections.
 */
static void test_positions_through_aliases(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "list.yaml",
	         "apiVersion: v1\n"
	         "kind: List\n"
	         "items:\n"
	         "- apiVersion: v1\n"
	         "  kind: Service\n"
	         "  metadata: {name: a, namespace: n}\n"
	         "  spec:\n"
	         "    ports: &ports\n"
	         "    - name: http\n"
	         "      port: 80\n"
	         "    - &p2 {name: https, port: 443}\n"
	         "- apiVersion: v1\n"
	         "  kind: Service\n"
	         "  metadata:\n"
	         "    name: b\n"
	         "    namespace: n\n"
	         "    labels:\n"
	         "      a-very-long-label-key-that-is-longer-than-sixty-four-bytes.example.com/x: "
	         "\"1\"\n"
	         "      empty:\n"
	         "  spec:\n"
	         "    ports: *ports\n"
	         "    selector:\n"
	         "      app:\n"
	         "        b\n"
	         "    x: [*p2]\n",
	         (size_t)-1);
	load(f);
	const gws_manifest_object *a = gws_manifest_find(f->store, GWS_KIND_SERVICE, "n", "a");
	const gws_manifest_object *b = gws_manifest_find(f->store, GWS_KIND_SERVICE, "n", "b");
	assert_non_null(a);
	assert_non_null(b);
	expect_pos(a, "", true, 4, 3, true);
	expect_pos(a, "metadata.namespace", true, 6, 23, true);
	expect_pos(a, "spec.ports[1].port", true, 11, 25, true);
	expect_pos(b, NULL, true, 12, 3, true);
	expect_pos(b,
	           "metadata.labels.a-very-long-label-key-that-is-longer-than-sixty-four-bytes."
	           "example.com/x",
	           true, 18, 7, true);
	expect_pos(b, "metadata.labels.empty", true, 19, 7, false);
	expect_pos(b, "metadata.labels.other", false, 17, 5, false);
	/* spec.ports is an alias: the member is b's, the items are a's */
	expect_pos(b, "spec.ports", true, 21, 5, true);
	expect_pos(b, "spec.ports[0]", true, 9, 7, true);
	expect_pos(b, "spec.ports[0].port", true, 10, 7, true);
	expect_pos(b, "spec.ports[1].port", true, 11, 25, true);
	expect_pos(b, "spec.ports[2].port", false, 21, 5, false);
	expect_pos(b, "spec.selector.app", true, 23, 7, true);
	/* an alias as a list item is at its anchor */
	expect_pos(b, "spec.x[0]", true, 11, 7, true);
	expect_pos(b, "spec.x[0].name", true, 11, 12, true);
	expect_pos(b, "spec.x[0].name.deeper", false, 11, 12, false);
	expect_pos(b, "spec.x[", false, 25, 5, false);
}

/*
 * Regression guard for the loader's memory: each document's node tree is
 * freed once converted, so the node memory peaks at one document whatever
 * the number of documents, and the position index grows by the same few
 * bytes per document. (Before, every tree that produced an object stayed
 * for the life of the store: the peak grew with the repository.)
 */
static size_t load_routes(fixture *f, size_t files, gws_manifest_stats *st)
{
	char rel[4096];
	size_t bytes = 0;

	snprintf(rel, sizeof(rel), "%s/r", f->root);
	hm_rmrf(rel); /* the previous repository's files */
	for (size_t i = 0; i < files; i++) {
		char doc[4096];
		int n = 0;
		for (int d = 0; d < 10; d++)
			n += snprintf(doc + n, sizeof(doc) - (size_t)n,
			              "---\napiVersion: gateway.networking.k8s.io/v1\n"
			              "kind: HTTPRoute\n"
			              "metadata: {name: r%zu-%d, namespace: ns}\n"
			              "spec:\n"
			              "  parentRefs: [{name: gw}]\n"
			              "  hostnames: [h%zu.example.com]\n"
			              "  rules:\n"
			              "  - matches:\n"
			              "    - path: {type: PathPrefix, value: /p%d}\n"
			              "    backendRefs: [{name: s%zu, port: 80}]\n",
			              i, d, i, d, i);
		snprintf(rel, sizeof(rel), "r/%04zu.yaml", i);
		hm_write(f->root, rel, doc, (size_t)n);
		bytes += (size_t)n;
	}
	load_clean(f);
	gws_manifest_get_stats(f->store, st);
	assert_int_equal(st->objects, 10 * files);
	return bytes;
}

static void test_node_trees_are_freed(void **state)
{
	fixture *f = *state;
	gws_manifest_stats small, big;
	size_t big_bytes;

	load_routes(f, 2, &small);
	big_bytes = load_routes(f, 300, &big);

	/* one document's tree at a time: the same peak for 20 and 3,000 documents */
	assert_true(small.node_bytes_peak > 0);
	assert_int_equal(big.node_bytes_peak, small.node_bytes_peak);
	/* the index: O(1) per document, and smaller than the YAML */
	assert_true(small.index_bytes > 0);
	assert_true(big.index_bytes <= 150 * small.index_bytes);
	assert_true(big.index_bytes < big_bytes);
}

static void collect_order(fixture *f, char *out, size_t size)
{
	out[0] = '\0';
	for (int k = 0; k < GWS_KIND__COUNT; k++)
		for (size_t i = 0; i < gws_manifest_count(f->store, (gws_manifest_kind)k); i++) {
			const gws_manifest_object *o =
			        gws_manifest_at(f->store, (gws_manifest_kind)k, i);
			size_t len = strlen(out);
			snprintf(out + len, size - len, "%s;", o->ref);
		}
}

static void test_order_independent_of_files(void **state)
{
	fixture *f = *state;
	char first[2048], second[2048];
	const char *docs[] = {
	        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	        "metadata: {name: zeta, namespace: a}\nspec: {parentRefs: [{name: gw}]}\n",
	        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	        "metadata: {name: alpha, namespace: b}\nspec: {parentRefs: [{name: gw}]}\n",
	        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	        "metadata: {name: beta, namespace: a}\nspec: {parentRefs: [{name: gw}]}\n",
	        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
	        "metadata: {name: gw}\n"
	        "spec: {gatewayClassName: c, listeners: [{name: a, protocol: HTTP, port: 80}]}\n",
	        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
	        "metadata: {name: mid}\nspec: {parentRefs: [{name: gw}]}\n",
	};
	/* layout 1: one file per object, in the order above */
	for (size_t i = 0; i < GWS_ARRAY_SIZE(docs); i++) {
		char *rel = gws_asprintf("x/%zu.yaml", i);
		hm_write(f->root, rel, docs[i], (size_t)-1);
		gws_free(rel);
	}
	load_clean(f);
	collect_order(f, first, sizeof(first));
	hm_rmrf(f->root);
	assert_int_equal(mkdir(f->root, 0755), 0);
	/* layout 2: reversed, all in one file plus one in a nested directory */
	gws_buf all = GWS_BUF_INIT(1 << 16);
	for (size_t i = GWS_ARRAY_SIZE(docs); i-- > 1;)
		assert_int_equal(gws_buf_printf(&all, "---\n%s", docs[i]), 0);
	hm_write(f->root, "all.yaml", gws_buf_cstr(&all), (size_t)-1);
	hm_write(f->root, "a/b/c/first.yaml", docs[0], (size_t)-1);
	gws_buf_dispose(&all);
	load_clean(f);
	collect_order(f, second, sizeof(second));
	assert_string_equal(first, second);
	assert_string_equal(first, "Gateway default/gw;HTTPRoute a/beta;HTTPRoute a/zeta;"
	                           "HTTPRoute b/alpha;HTTPRoute default/mid;");
}

/* ---- duplicates ---- */

static void test_duplicate_keys(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "k.yaml",
	         "apiVersion: gateway.networking.k8s.io/v1\n"
	         "kind: Gateway\n"
	         "metadata: {name: gw}\n"
	         "spec:\n"
	         "  gatewayClassName: one\n"
	         "  listeners: [{name: a, protocol: HTTP, port: 80}]\n"
	         "  gatewayClassName: two\n",
	         (size_t)-1);
	load(f);
	expect_diag(f,
	            "k.yaml:7:3: duplicate key \"gatewayClassName\" in a mapping (first at 5:3)");
	assert_int_equal(f->diags.errors, 1);
	/* the first value is the one kept */
	assert_string_equal(gws_manifest_find(f->store, GWS_KIND_GATEWAY, "default", "gw")
	                            ->spec.gateway->gateway_class_name,
	                    "one");
}

static void test_duplicate_keys_large_mapping(void **state)
{
	fixture *f = *state;
	gws_buf b = GWS_BUF_INIT(1 << 20);
	assert_int_equal(gws_buf_puts(&b, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n"
	                                  "  labels:\n"),
	                 0);
	for (int i = 0; i < 40; i++)
		assert_int_equal(gws_buf_printf(&b, "    k%02d: v\n", i % 30), 0);
	hm_write(f->root, "big.yaml", gws_buf_cstr(&b), (size_t)-1);
	gws_buf_dispose(&b);
	load(f);
	assert_int_equal(f->diags.errors, 10);
	expect_diag(f, "big.yaml:36:5: duplicate key \"k00\" in a mapping (first at 6:5)");
	expect_diag(f, "big.yaml:45:5: duplicate key \"k09\" in a mapping (first at 15:5)");
	assert_int_equal(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "n")->meta.n_labels,
	                 30);
}

static void test_duplicate_objects(void **state)
{
	fixture *f = *state;
#define DUP_DOC                                                                                    \
	"apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"                              \
	"metadata: {name: r, namespace: apps}\n"                                                   \
	"spec: {parentRefs: [{name: gw}], hostnames: [%s]}\n"
	char *a = gws_asprintf(DUP_DOC, "a.example.com");
	char *b = gws_asprintf(DUP_DOC, "b.example.com");
	hm_write(f->root, "b/two.yaml", a, (size_t)-1);
	char *b2 = gws_asprintf("---\n%s", b);
	hm_write(f->root, "a/one.yaml", b2, (size_t)-1);
	/* the same name in another kind or namespace is no duplicate */
	hm_write(f->root, "c.yaml",
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\n"
	         "metadata: {name: r, namespace: apps}\nspec: {parentRefs: [{name: gw}]}\n---\n"
	         "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: HTTPRoute\n"
	         "metadata: {name: r, namespace: other}\nspec: {parentRefs: [{name: gw}]}\n",
	         (size_t)-1);
	load(f);
	expect_diag(f, "b/two.yaml:1:1: HTTPRoute apps/r: duplicate object: also defined at "
	               "a/one.yaml:2:1");
	assert_int_equal(f->diags.errors, 1);
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_HTTP_ROUTE), 2);
	const gws_manifest_object *kept =
	        gws_manifest_find(f->store, GWS_KIND_HTTP_ROUTE, "apps", "r");
	assert_string_equal(kept->file, "a/one.yaml");
	assert_string_equal(kept->spec.http_route->hostnames[0], "b.example.com");
	gws_free(a);
	gws_free(b);
	gws_free(b2);
}

/* ---- type errors and unknown fields ---- */

static void test_type_errors(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "t.yaml",
	         "apiVersion: gateway.networking.k8s.io/v1\n"
	         "kind: Gateway\n"
	         "metadata:\n"
	         "  name: gw\n"
	         "  labels: {version: 2}\n"
	         "spec:\n"
	         "  gatewayClassName: [a]\n"
	         "  listeners:\n"
	         "  - name: a\n"
	         "    port: \"80\"\n"
	         "    protocol: HTTP\n"
	         "  - name: b\n"
	         "    port: 80.5\n"
	         "    protocol: true\n"
	         "  - just-a-string\n"
	         "  - name: c\n"
	         "    port: 99999999999999999999\n"
	         "    tls: {options: {a: \"b\\0c\"}}\n"
	         "  addresses: {value: x}\n",
	         (size_t)-1);
	load(f);
	expect_diag(f, "t.yaml:5:12: Gateway default/gw: metadata.labels.version: expected a "
	               "string, got an integer (quote it: \"2\")");
	expect_diag(f, "t.yaml:7:3: Gateway default/gw: spec.gatewayClassName: expected a string, "
	               "got a list");
	expect_diag(f, "t.yaml:10:5: Gateway default/gw: spec.listeners[0].port: expected an "
	               "integer, got a string (\"80\")");
	expect_diag(f, "t.yaml:13:5: Gateway default/gw: spec.listeners[1].port: expected an "
	               "integer, got a number");
	expect_diag(f, "t.yaml:14:5: Gateway default/gw: spec.listeners[1].protocol: expected a "
	               "string, got a boolean (quote it: \"true\")");
	expect_diag(f, "t.yaml:15:5: Gateway default/gw: spec.listeners[2]: expected a mapping, "
	               "got a string");
	expect_diag(f, "t.yaml:17:5: Gateway default/gw: spec.listeners[3].port: integer "
	               "99999999999999999999 is out of range");
	expect_diag(f, "t.yaml:18:21: Gateway default/gw: spec.listeners[3].tls.options.a: string "
	               "contains a NUL character");
	expect_diag(f, "t.yaml:19:3: Gateway default/gw: spec.addresses: expected a list, got a "
	               "mapping");
	assert_int_equal(f->diags.errors, 9);
	/* what could be read is kept; bad fields are absent */
	const gws_mf_gateway *g =
	        gws_manifest_find(f->store, GWS_KIND_GATEWAY, "default", "gw")->spec.gateway;
	assert_null(g->gateway_class_name);
	assert_int_equal(g->n_listeners, 3);
	assert_false(g->listeners[0].port.set);
	assert_string_equal(g->listeners[0].protocol, "HTTP");
}

static void test_unknown_fields_warn(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "u.yaml",
	         "apiVersion: gateway.networking.k8s.io/v1\n"
	         "kind: HTTPRoute\n"
	         "metadata: {name: r, lables: {a: b}, resourceVersion: '5', finalizers: [x]}\n"
	         "spec:\n"
	         "  parentRef: [{name: gw}]\n"
	         "  rules: [{backendRefs: [{name: s, port: 80, wieght: 3}]}]\n"
	         "status: {parents: []}\n"
	         "extra: 1\n"
	         "---\n"
	         "apiVersion: v1\n"
	         "kind: Service\n"
	         "metadata: {name: s}\n"
	         "spec: {ports: [{port: 80}], sessionAffinity: ClientIP, ipFamilies: [IPv4]}\n",
	         (size_t)-1);
	load(f);
	assert_int_equal(f->diags.errors, 0);
	assert_int_equal(f->diags.warnings, 4);
	expect_diag(f, "u.yaml:3:21: warning: HTTPRoute default/r: metadata.lables: unknown field "
	               "\"lables\"");
	expect_diag(f, "u.yaml:5:3: warning: HTTPRoute default/r: spec.parentRef: unknown field "
	               "\"parentRef\"");
	expect_diag(f, "u.yaml:6:46: warning: HTTPRoute default/r: "
	               "spec.rules[0].backendRefs[0].wieght: unknown field \"wieght\"");
	expect_diag(f, "u.yaml:8:1: warning: HTTPRoute default/r: extra: unknown field \"extra\"");
}

static void test_document_shape_errors(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "s.yaml",
	         "kind: Gateway\nmetadata: {name: x}\n"
	         "---\n"
	         "apiVersion: v1\n"
	         "---\n"
	         "- a\n- b\n"
	         "---\n"
	         "just text\n"
	         "---\n"
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {namespace: "
	         "x}\n"
	         "---\n"
	         "apiVersion: 1\nkind: Gateway\n"
	         "---\n"
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: n, namespace: x}\n"
	         "---\n"
	         "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n"
	         "spec: [a]\n",
	         (size_t)-1);
	load(f);
	expect_diag(f, "s.yaml:1:1: document has no apiVersion");
	expect_diag(f, "s.yaml:4:1: document has no kind");
	expect_diag(f, "s.yaml:6:1: expected a Kubernetes object (a mapping), got a list");
	expect_diag(f, "s.yaml:9:1: expected a Kubernetes object (a mapping), got a string");
	expect_diag(f, "s.yaml:13:1: Gateway: metadata.name: required (a non-empty string); object "
	               "ignored");
	expect_diag(f, "s.yaml:15:1: apiVersion: expected a string, got an integer");
	expect_diag(f, "s.yaml:20:21: warning: Namespace n: metadata.namespace: ignored: this kind "
	               "is cluster-scoped and has no namespace");
	expect_diag(f, "s.yaml:25:1: Gateway default/g: spec: expected a mapping, got a list");
	assert_int_equal(f->diags.errors, 7);
	assert_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "n")->meta.namespace_);
	assert_non_null(
	        gws_manifest_find(f->store, GWS_KIND_GATEWAY, "default", "g")->spec.gateway);
}

/* ---- file discovery ---- */

static void test_file_discovery(void **state)
{
	fixture *f = *state;
#define NS_DOC "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n"
	struct {
		const char *rel;
		const char *name;
	} files[] = {
	        {"top.yaml", "top"},           {"sub/dir/deep.yml", "deep"},
	        {".git/config.yaml", "git"},   {".gwsync/state.yaml", "gwsync"},
	        {"sub/.hidden/h.yaml", "hid"}, {"sub/.dot.yaml", "dotfile"},
	        {"notes.txt", "txt"},          {"sub/x.yaml.bak", "bak"},
	        {"only/here.yaml", "only"},
	};
	for (size_t i = 0; i < GWS_ARRAY_SIZE(files); i++) {
		char *doc = gws_asprintf(NS_DOC, files[i].name);
		hm_write(f->root, files[i].rel, doc, (size_t)-1);
		gws_free(doc);
	}
	/* links: to a file followed, to a directory not (loops), dangling reported */
	char *target = gws_asprintf("%s/only/here.yaml", f->root);
	char *flink = gws_asprintf("%s/linked.yaml", f->root);
	char *dlink = gws_asprintf("%s/sub/loop", f->root);
	char *dangling = gws_asprintf("%s/gone.yaml", f->root);
	assert_int_equal(symlink(target, flink), 0);
	assert_int_equal(symlink(f->root, dlink), 0);
	assert_int_equal(symlink("/nonexistent/x.yaml", dangling), 0);
	gws_free(target);
	gws_free(flink);
	gws_free(dlink);
	gws_free(dangling);
	load(f);
	/* the linked file holds the same Namespace as only/here.yaml: one duplicate;
	 * issue 10 L3: the links not read are said, the dangling one as an error */
	assert_int_equal(f->diags.count, 3);
	assert_non_null(hm_find(&f->diags, "only/here.yaml:1:1: Namespace only: duplicate object: "
	                                   "also defined at linked.yaml:1:1"));
	assert_non_null(hm_find(&f->diags, "sub/loop: warning: symbolic link to a directory is not "
	                                   "followed; the directory is read where it is"));
	assert_non_null(hm_find(&f->diags, "gone.yaml: symbolic link is dangling (its target does "
	                                   "not exist); not read"));
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_NAMESPACE), 3);
	assert_non_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "top"));
	assert_string_equal(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "deep")->file,
	                    "sub/dir/deep.yml");
	assert_non_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "only"));
	assert_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "git"));

	/* --path restricts to a sub-directory; file names stay relative to the root */
	gws_manifest_store *s = NULL;
	gws_diag_list d;
	gws_diag_list_init(&d);
	gws_manifest_options opts = GWS_MANIFEST_OPTIONS_INIT;
	opts.root = f->root;
	opts.path = "only";
	assert_int_equal(gws_manifest_load(&s, &opts, &d), 0);
	assert_int_equal(gws_manifest_count(s, GWS_KIND_NAMESPACE), 1);
	assert_string_equal(gws_manifest_at(s, GWS_KIND_NAMESPACE, 0)->file, "only/here.yaml");
	gws_manifest_store_free(s);
	s = NULL;

	/* --path cannot leave the repository */
	opts.path = "only/../../etc";
	assert_int_equal(gws_manifest_load(&s, &opts, &d), GWS_EINVALID);
	assert_null(s);
	opts.path = "/etc";
	assert_int_equal(gws_manifest_load(&s, &opts, &d), GWS_EINVALID);
	assert_null(s);

	/* a missing root or path is an operational error, not a diagnostic */
	opts.path = "missing";
	assert_int_equal(gws_manifest_load(&s, &opts, &d), GWS_ENOTFOUND);
	assert_null(s);
	assert_int_equal(d.count, 0);
	gws_diag_list_dispose(&d);
}

/* A repository must not make gwsync read files of the machine it runs on. */
static void test_links_leaving_the_repository(void **state)
{
	fixture *f = *state;
	char *outside_dir = gws_asprintf("%s-outside", f->root);
	char *outside_file = gws_asprintf("%s/token.yaml", outside_dir);
	char *flink = gws_asprintf("%s/token.yaml", f->root);
	char *dlink = gws_asprintf("%s/elsewhere", f->root);
	gws_manifest_options opts = GWS_MANIFEST_OPTIONS_INIT;
	gws_manifest_store *s = NULL;
	gws_diag_list d;

	assert_int_equal(mkdir(outside_dir, 0755), 0);
	hm_write(outside_dir, "token.yaml",
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: stolen}\n", (size_t)-1);
	hm_write(f->root, "ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n",
	         (size_t)-1);
	assert_int_equal(symlink(outside_file, flink), 0);
	assert_int_equal(symlink(outside_dir, dlink), 0);
	load(f);
	assert_int_equal(f->diags.count, 2);
	assert_string_equal(hm_format(&f->diags.items[0]),
	                    "elsewhere: warning: symbolic link points outside the repository; "
	                    "not read");
	assert_string_equal(hm_format(&f->diags.items[1]),
	                    "token.yaml: warning: symbolic link points outside the repository; "
	                    "not read");
	assert_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "stolen"));
	assert_non_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "ok"));

	/* --path through a link to a directory outside is refused outright */
	gws_diag_list_init(&d);
	opts.root = f->root;
	opts.path = "elsewhere";
	assert_int_equal(gws_manifest_load(&s, &opts, &d), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "resolves outside the repository"));
	assert_null(s);
	gws_diag_list_dispose(&d);
	hm_rmrf(outside_dir);
	gws_free(outside_dir);
	gws_free(outside_file);
	gws_free(flink);
	gws_free(dlink);
}

/* issue 10 L3: every entry the walk skips is a diagnostic, an error where a
 * manifest may be lost; FIFOs and devices are never opened. */
static void test_skips_are_reported(void **state)
{
	fixture *f = *state;
	char rel[512] = "";
	char *p;

	hm_write(f->root, "ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n",
	         (size_t)-1);
	for (int i = 0; i < 66; i++)
		strcat(rel, "d/");
	strcat(rel, "bad.yaml");
	hm_write(f->root, rel, "kind: [\n", (size_t)-1);
	hm_write(f->root, ".git/config.yaml",
	         "apiVersion: v1\nkind: Namespace\nmetadata: {name: secret}\n", (size_t)-1);
	assert_int_equal(symlink("loop.yaml", p = gws_asprintf("%s/loop.yaml", f->root)), 0);
	gws_free(p);
	assert_int_equal(symlink("gone", p = gws_asprintf("%s/dangling", f->root)), 0);
	gws_free(p);
	assert_int_equal(symlink(".git/config.yaml", p = gws_asprintf("%s/git.yaml", f->root)), 0);
	gws_free(p);
	assert_int_equal(mkfifo(p = gws_asprintf("%s/pipe.yaml", f->root), 0600), 0);
	gws_free(p);
	assert_int_equal(mkfifo(p = gws_asprintf("%s/pipe", f->root), 0600), 0);
	gws_free(p);
	assert_int_equal(symlink("pipe.yaml", p = gws_asprintf("%s/to-pipe.yaml", f->root)), 0);
	gws_free(p);
	load(f);
	expect_diag(f, "/d/d: directory nested more than 64 levels below the manifest path; "
	               "not read");
	expect_diag(f, "loop.yaml: symbolic link loops; not read");
	expect_diag(f, "dangling: warning: symbolic link is dangling (its target does not exist); "
	               "not read");
	expect_diag(f, "git.yaml: warning: symbolic link points into a hidden path (such as "
	               ".git); not read");
	expect_diag(f, "pipe.yaml: a FIFO, not a regular file; not read");
	expect_diag(f, "to-pipe.yaml: symbolic link to a FIFO, not a regular file; not read");
	/* a FIFO without a manifest name is none of gwsync's business */
	assert_int_equal(f->diags.count, 6);
	assert_int_equal(f->diags.errors, 4);
	assert_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "secret"));
	assert_non_null(gws_manifest_find(f->store, GWS_KIND_NAMESPACE, NULL, "ok"));
}

/* issue 10 (also): --path naming a FIFO blocked for ever in open(). */
static void test_path_not_a_file_or_directory(void **state)
{
	fixture *f = *state;
	gws_manifest_options opts = GWS_MANIFEST_OPTIONS_INIT;
	gws_manifest_store *s = NULL;
	gws_diag_list d;
	char *fifo = gws_asprintf("%s/pipe.yaml", f->root);

	assert_int_equal(mkfifo(fifo, 0600), 0);
	gws_diag_list_init(&d);
	opts.root = f->root;
	opts.path = "pipe.yaml";
	alarm(30); /* before the fix this blocked: fail instead of hanging the suite */
	assert_int_equal(gws_manifest_load(&s, &opts, &d), GWS_EINVALID);
	alarm(0);
	assert_string_equal(gws_error_last(), "manifest path \"pipe.yaml\" is a FIFO, not a "
	                                      "directory or a regular file");
	assert_null(s);
	assert_int_equal(d.count, 0);
	gws_diag_list_dispose(&d);
	gws_free(fifo);
}

/* issue 10 L4: a 64 KiB name made every line naming the object too long to
 * print (exit 1, no position); such names and namespaces drop the object. */
static void test_overlong_names(void **state)
{
	fixture *f = *state;
	gws_buf b = GWS_BUF_INIT(1u << 20);
	char n254[255], n64[65], n63[64];

	memset(n254, 'n', sizeof(n254) - 1);
	n254[254] = '\0';
	memset(n64, 's', sizeof(n64) - 1);
	n64[64] = '\0';
	memset(n63, 's', sizeof(n63) - 1);
	n63[63] = '\0';
	assert_int_equal(gws_buf_puts(&b, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "),
	                 0);
	for (int i = 0; i < 70000; i++)
		assert_int_equal(gws_buf_put(&b, "a", 1), 0);
#define SVC "---\napiVersion: v1\nkind: Service\nspec: {clusterIP: None}\nmetadata:\n"
	assert_int_equal(gws_buf_printf(&b,
	                                "\n" SVC "  name: %s\n" SVC
	                                "  name: s\n  namespace: %s\n" SVC
	                                "  name: ok\n  namespace: %s\n",
	                                n254, n64, n63),
	                 0);
#undef SVC
	hm_write(f->root, "n.yaml", gws_buf_cstr(&b), (size_t)-1);
	gws_buf_dispose(&b);
	load(f);
	expect_diag(f, "n.yaml:4:9: Namespace: metadata.name: is 70000 bytes long, over the 253 "
	               "characters Kubernetes allows; object ignored");
	expect_diag(f, "n.yaml:10:9: Service: metadata.name: is 254 bytes long, over the 253 "
	               "characters Kubernetes allows; object ignored");
	expect_diag(f, "n.yaml:17:14: Service: metadata.namespace: is 64 bytes long, over the 63 "
	               "characters Kubernetes allows; object ignored");
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_NAMESPACE), 0);
	assert_int_equal(gws_manifest_count(f->store, GWS_KIND_SERVICE), 1);
	/* every diagnostic fits on one printable line */
	for (size_t i = 0; i < f->diags.count; i++) {
		gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE);
		assert_int_equal(gws_diag_format(&line, &f->diags.items[i]), 0);
		gws_buf_dispose(&line);
	}
}

static void test_scalar_resolution(void **state)
{
	fixture *f = *state;
	hm_write(f->root, "b.yaml",
	         "apiVersion: gateway.k8s.aws/v1\n"
	         "kind: LoadBalancerConfiguration\n"
	         "metadata: {name: lbc, annotations: {a: on, b: yes, c: '80', d: !!str 80}}\n"
	         "spec:\n"
	         "  enableICMP: yes\n"
	         "  disableSecurityGroup: off\n"
	         "  manageBackendSecurityGroupRules: \"yes\"\n"
	         "  listenerConfigurations:\n"
	         "  - {protocolPort: 'HTTP:80', quicEnabled: True, targetGroupStickiness: FALSE}\n"
	         "  minimumLoadBalancerCapacity: {capacityUnits: 0x10}\n",
	         (size_t)-1);
	load(f);
	/* YAML 1.1 booleans count for boolean fields (as for kubectl); quoted ones do not */
	expect_diag(f, "b.yaml:7:3: LoadBalancerConfiguration default/lbc: "
	               "spec.manageBackendSecurityGroupRules: expected a boolean, got a string");
	assert_int_equal(f->diags.count, 1);
	const gws_manifest_object *o =
	        gws_manifest_find(f->store, GWS_KIND_LOAD_BALANCER_CONFIGURATION, "default", "lbc");
	const gws_mf_lb_config *l = o->spec.lb_config;
	assert_true(l->enable_icmp.set && l->enable_icmp.value);
	assert_true(l->disable_security_group.set && !l->disable_security_group.value);
	assert_false(l->manage_backend_security_group_rules.set);
	assert_true(l->listener_configurations[0].quic_enabled.value);
	assert_true(l->listener_configurations[0].target_group_stickiness.set);
	assert_false(l->listener_configurations[0].target_group_stickiness.value);
	assert_int_equal(l->minimum_capacity_units.value, 16);
	/* ...and stay strings where a string is expected */
	assert_string_equal(o->meta.annotations[0].value, "on");
	assert_string_equal(o->meta.annotations[1].value, "yes");
	assert_string_equal(o->meta.annotations[2].value, "80");
	assert_string_equal(o->meta.annotations[3].value, "80");
}

static void test_kind_helpers(void **state)
{
	(void)state;
	assert_string_equal(gws_manifest_kind_name(GWS_KIND_LISTENER_RULE_CONFIGURATION),
	                    "ListenerRuleConfiguration");
	assert_int_equal(gws_manifest_kind_from_name("TLSRoute"), GWS_KIND_TLS_ROUTE);
	assert_int_equal(gws_manifest_kind_from_name("Deployment"), GWS_KIND__COUNT);
	assert_false(gws_manifest_kind_namespaced(GWS_KIND_GATEWAY_CLASS));
	assert_false(gws_manifest_kind_namespaced(GWS_KIND_NAMESPACE));
	assert_true(gws_manifest_kind_namespaced(GWS_KIND_SERVICE));
	assert_string_equal(gws_manifest_kind_group(GWS_KIND_SERVICE), "");
	assert_string_equal(gws_manifest_kind_group(GWS_KIND_TARGET_GROUP_CONFIGURATION),
	                    "gateway.k8s.aws");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_source_document_inputs, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_every_kind_and_version, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_unknown_versions_rejected, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_other_kinds_ignored, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_defaults, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_field_shapes, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_positions, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_multi_document, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_positions_through_aliases, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_node_trees_are_freed, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_order_independent_of_files, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_duplicate_keys, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_duplicate_keys_large_mapping, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_duplicate_objects, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_type_errors, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_unknown_fields_warn, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_document_shape_errors, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_file_discovery, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_links_leaving_the_repository, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_skips_are_reported, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_path_not_a_file_or_directory, hm_setup,
	                                        hm_teardown),
	        cmocka_unit_test_setup_teardown(test_overlong_names, hm_setup, hm_teardown),
	        cmocka_unit_test_setup_teardown(test_scalar_resolution, hm_setup, hm_teardown),
	        cmocka_unit_test(test_kind_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
