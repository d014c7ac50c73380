/*
 * Property: the render document does not depend on how the manifests are laid
 * out. A rich repository (ALB and NLB Gateways, every route kind, grants,
 * configurations, namespaces) is written 120 times with its documents
 * shuffled into a random number of files with random names and directories;
 * every rendering must equal the first byte for byte. Diagnostics carry file
 * positions, which legitimately move, so they are compared without them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gwsync/manifest.h"
#include "gwsync/model.h"

#define PERMUTATIONS 120

static const char *const docs[] = {
        /* classes and configurations */
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: alb\n"
        "spec:\n  controllerName: gateway.k8s.aws/alb\n  parametersRef:\n    group: "
        "gateway.k8s.aws\n"
        "    kind: LoadBalancerConfiguration\n    name: class-lbc\n    namespace: infra\n",
        "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: GatewayClass\nmetadata:\n  name: "
        "nlb\n"
        "spec:\n  controllerName: gateway.k8s.aws/nlb\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: other\n"
        "spec:\n  controllerName: example.com/other\n",
        "apiVersion: gateway.k8s.aws/v1\nkind: LoadBalancerConfiguration\nmetadata:\n  name: "
        "class-lbc\n"
        "  namespace: infra\nspec:\n  scheme: internet-facing\n  tags:\n    owner: platform\n"
        "  loadBalancerAttributes:\n  - key: idle_timeout.timeout_seconds\n    value: \"60\"\n"
        "  defaultTargetGroupConfiguration:\n    name: default-tgc\n",
        "apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata:\n  name: "
        "default-tgc\n"
        "  namespace: infra\nspec:\n  defaultConfiguration:\n    targetType: ip\n",
        "apiVersion: gateway.k8s.aws/v1\nkind: LoadBalancerConfiguration\nmetadata:\n  name: "
        "web-lbc\n"
        "  namespace: web\nspec:\n  tags:\n    owner: web\n  listenerConfigurations:\n"
        "  - protocolPort: HTTPS:443\n    defaultCertificate: "
        "arn:aws:acm:eu-west-1:1:certificate/w\n",
        "apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata:\n  name: api\n"
        "  namespace: web\nspec:\n  targetReference:\n    name: api\n  defaultConfiguration:\n"
        "    healthCheckConfig:\n      healthCheckPath: /healthz\n  routeConfigurations:\n"
        "  - routeIdentifier:\n      kind: HTTPRoute\n      namespace: web\n      name: api\n"
        "    targetGroupProps:\n      protocolVersion: HTTP2\n",
        /* namespaces */
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n  labels:\n    expose: \"yes\"\n",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    expose: "
        "\"yes\"\n",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: hidden\n",
        /* gateways */
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: front\n"
        "  namespace: web\nspec:\n  gatewayClassName: alb\n  infrastructure:\n    parametersRef:\n"
        "      group: gateway.k8s.aws\n      kind: LoadBalancerConfiguration\n      name: web-lbc\n"
        "  listeners:\n  - name: http\n    protocol: HTTP\n    port: 80\n    allowedRoutes:\n"
        "      namespaces:\n        from: Selector\n        selector:\n          matchLabels:\n"
        "            expose: \"yes\"\n  - name: https\n    protocol: HTTPS\n    port: 443\n"
        "    hostname: \"*.example.com\"\n    tls:\n      certificateRefs:\n      - name: c\n"
        "    allowedRoutes:\n      namespaces:\n        from: All\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: l4\n"
        "  namespace: net\nspec:\n  gatewayClassName: nlb\n  listeners:\n  - name: tcp\n"
        "    protocol: TCP\n    port: 53\n  - name: udp\n    protocol: UDP\n    port: 53\n"
        "  - name: pass\n    protocol: TLS\n    port: 443\n    tls:\n      mode: Passthrough\n"
        "  - name: db\n    protocol: TCP\n    port: 5432\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ignored\n"
        "  namespace: web\nspec:\n  gatewayClassName: other\n  listeners:\n  - name: http\n"
        "    protocol: HTTP\n    port: 80\n",
        /* L7 routes */
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: api\n"
        "  namespace: web\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\nspec:\n  parentRefs:\n"
        "  - name: front\n  hostnames:\n  - api.example.com\n  rules:\n  - matches:\n"
        "    - path:\n        type: PathPrefix\n        value: /v1\n    - path:\n        type: "
        "Exact\n"
        "        value: /health\n    backendRefs:\n    - name: api\n      port: 80\n      weight: "
        "3\n"
        "    - name: api-canary\n      port: 80\n      weight: 1\n  - backendRefs:\n    - name: "
        "api\n"
        "      port: 80\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: shop\n"
        "  namespace: shop\nspec:\n  parentRefs:\n  - name: front\n    namespace: web\n"
        "  hostnames:\n  - shop.example.com\n  - \"*.shop.example.com\"\n  rules:\n  - matches:\n"
        "    - headers:\n      - name: x-env\n        value: beta\n      method: GET\n    "
        "backendRefs:\n"
        "    - name: cart\n      port: 8080\n    - name: api\n      namespace: web\n      port: "
        "80\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: sneaky\n"
        "  namespace: hidden\nspec:\n  parentRefs:\n  - name: front\n    namespace: web\n"
        "    sectionName: http\n  rules:\n  - backendRefs:\n    - name: x\n      port: 80\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata:\n  name: rpc\n"
        "  namespace: web\nspec:\n  parentRefs:\n  - name: front\n    sectionName: https\n"
        "  rules:\n  - matches:\n    - method:\n        service: pkg.Svc\n        method: Get\n"
        "    backendRefs:\n    - name: api\n      port: 80\n",
        "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n"
        "  name: shop-to-web\n  namespace: web\nspec:\n  from:\n  - group: "
        "gateway.networking.k8s.io\n"
        "    kind: HTTPRoute\n    namespace: shop\n  to:\n  - group: \"\"\n    kind: Service\n",
        /* L4 routes */
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata:\n  name: "
        "dns-tcp\n"
        "  namespace: net\n  creationTimestamp: \"2024-05-01T00:00:00Z\"\nspec:\n  parentRefs:\n"
        "  - name: l4\n    sectionName: tcp\n  rules:\n  - backendRefs:\n    - name: dns\n      "
        "port: 53\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: UDPRoute\nmetadata:\n  name: dns-udp\n"
        "  namespace: net\n  creationTimestamp: \"2024-04-01T00:00:00Z\"\nspec:\n  parentRefs:\n"
        "  - name: l4\n    sectionName: udp\n  rules:\n  - backendRefs:\n    - name: dns\n      "
        "port: 53\n",
        "apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata:\n  name: pass\n"
        "  namespace: net\nspec:\n  parentRefs:\n  - name: l4\n    sectionName: pass\n  "
        "hostnames:\n"
        "  - secure.example.com\n  rules:\n  - backendRefs:\n    - name: tls\n      port: 443\n",
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata:\n  name: db\n"
        "  namespace: net\nspec:\n  parentRefs:\n  - name: l4\n    sectionName: db\n  rules:\n"
        "  - backendRefs:\n    - name: db-a\n      port: 5432\n      weight: 9\n    - name: db-b\n"
        "      port: 5432\n      weight: 1\n",
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata:\n  name: "
        "db-old\n"
        "  namespace: net\n  creationTimestamp: \"2020-01-01T00:00:00Z\"\nspec:\n  parentRefs:\n"
        "  - name: l4\n    sectionName: db\n  rules:\n  - backendRefs:\n    - name: db-a\n"
        "      port: 5432\n",
        /* services */
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: web\nspec:\n  ports:\n"
        "  - port: 80\n    targetPort: http\n",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: api-canary\n  namespace: web\nspec:\n"
        "  ports:\n  - port: 80\n    targetPort: 8080\n",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n"
        "  type: NodePort\n  ports:\n  - port: 8080\n    nodePort: 31080\n",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns\n  namespace: net\nspec:\n"
        "  type: NodePort\n  ports:\n  - port: 53\n    nodePort: 30053\n",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: tls\n  namespace: net\nspec:\n"
        "  type: NodePort\n  ports:\n  - port: 443\n    targetPort: 8443\n    nodePort: 30443\n",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db-a\n  namespace: net\nspec:\n"
        "  type: NodePort\n  ports:\n  - port: 5432\n    nodePort: 30432\n",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db-b\n  namespace: net\nspec:\n"
        "  type: NodePort\n  ports:\n  - port: 5432\n    nodePort: 30433\n",
        /* a document gwsync does not read */
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: web\n"
        "spec:\n  replicas: 2\n",
};

#define N_DOCS (sizeof(docs) / sizeof(docs[0]))

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

/* Renders the repository at `dir`: the JSON without diagnostics, and the
 * diagnostics as sorted "object: message" lines. */
static void render(const char *dir, gws_buf *json, gws_buf *diag_text)
{
	gws_manifest_options mo = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_diag_list diags;

	gws_diag_list_init(&diags);
	mo.root = dir;
	opts.cluster = "order";
	assert_int_equal(gws_manifest_load(&store, &mo, &diags), 0);
	assert_int_equal(gws_model_build(&model, store, &opts, &diags), 0);
	assert_int_equal(gws_model_render_json(json, model, NULL), 0);
	for (size_t i = 0; i < diags.count; i++) {
		gws_free(diags.items[i].file);
		diags.items[i].file = NULL;
		diags.items[i].line = diags.items[i].column = 0;
	}
	gws_diag_list_sort(&diags);
	for (size_t i = 0; i < diags.count; i++)
		assert_int_equal(gws_buf_printf(diag_text, "%s: %s: %s\n",
		                                diags.items[i].object ? diags.items[i].object : "",
		                                diags.items[i].field ? diags.items[i].field : "",
		                                diags.items[i].message),
		                 0);
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
}

static const char *const subdirs[] = {"", "a/", "a/b/", "z/", "z/y/"};

/* Writes the documents in order `perm` into 1..8 files; returns the file count. */
static void write_repo(const char *dir, const size_t *perm, char files[][512], size_t *n_files)
{
	size_t nf = 1 + rnd(8), i;
	FILE *fh[8];
	char path[512];

	mkdir(dir, 0755);
	for (i = 1; i < GWS_ARRAY_SIZE(subdirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, subdirs[i]);
		mkdir(path, 0755);
	}
	for (i = 0; i < nf; i++) {
		snprintf(files[i], 512, "%s/%sf%u-%zu.%s", dir,
		         subdirs[rnd(GWS_ARRAY_SIZE(subdirs))], rnd(1000), i,
		         rnd(2) ? "yaml" : "yml");
		fh[i] = fopen(files[i], "w");
		assert_non_null(fh[i]);
	}
	for (i = 0; i < N_DOCS; i++) {
		FILE *f = fh[rnd((uint32_t)nf)];
		fputs("---\n", f);
		fputs(docs[perm[i]], f);
	}
	for (i = 0; i < nf; i++)
		fclose(fh[i]);
	*n_files = nf;
}

static void remove_repo(const char *dir, char files[][512], size_t n_files)
{
	char path[512];
	size_t i;
	for (i = 0; i < n_files; i++)
		unlink(files[i]);
	for (i = GWS_ARRAY_SIZE(subdirs); i-- > 1;) {
		snprintf(path, sizeof(path), "%s/%s", dir, subdirs[i]);
		rmdir(path);
	}
	rmdir(dir);
}

static void test_render_is_order_independent(void **state)
{
	const char *scratch = getenv("GWSYNC_SCRATCH");
	gws_buf base = GWS_BUF_INIT(GWS_CAP_DOCUMENT), base_diags = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	size_t perm[N_DOCS], i, p;
	char dir[400], files[8][512];
	size_t n_files;
	(void)state;

	assert_non_null(scratch);
	for (p = 0; p <= PERMUTATIONS; p++) {
		gws_buf json = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
		gws_buf dtext = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
		for (i = 0; i < N_DOCS; i++)
			perm[i] = i;
		for (i = N_DOCS; p > 0 && i > 1; i--) { /* permutation 0 keeps the written order */
			size_t j = rnd((uint32_t)i), t = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		snprintf(dir, sizeof(dir), "%s/order-%zu", scratch, p);
		write_repo(dir, perm, files, &n_files);
		render(dir, &json, &dtext);
		remove_repo(dir, files, n_files);
		if (p == 0) {
			base = json;
			base_diags = dtext;
			/* the repository must exercise the model, not render nothing */
			assert_non_null(strstr(gws_buf_cstr(&base), "\"type\": \"network\""));
			assert_non_null(strstr(gws_buf_cstr(&base), "\"type\": \"application\""));
			assert_non_null(strstr(gws_buf_cstr(&base), "NotAllowedByListeners"));
			continue;
		}
		if (strcmp(gws_buf_cstr(&json), gws_buf_cstr(&base)) != 0)
			fail_msg("permutation %zu (%zu files) renders differently", p, n_files);
		assert_string_equal(gws_buf_cstr(&dtext), gws_buf_cstr(&base_diags));
		gws_buf_dispose(&json);
		gws_buf_dispose(&dtext);
	}
	gws_buf_dispose(&base);
	gws_buf_dispose(&base_diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_render_is_order_independent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
