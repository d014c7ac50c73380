/*
 * The Kubernetes API configuration (docs/targets.md, "The Kubernetes API"):
 * KUBECONFIG contexts and what is refused, the service-account files, and
 * the repository-wins rule of Services added from outside the repository.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gwsync/kube.h"
#include "gwsync/manifest.h"
#include "helper_manifest.h"

static const char *config_text =
        "apiVersion: v1\n"
        "kind: Config\n"
        "current-context: a\n"
        "clusters:\n"
        "- name: a\n"
        "  cluster: {server: 'https://127.0.0.1:6443/'}\n"
        "- name: insecure\n"
        "  cluster: {server: 'https://127.0.0.1:6443', insecure-skip-tls-verify: true}\n"
        "- name: plain\n"
        "  cluster: {server: 'http://127.0.0.1:8080'}\n"
        "users:\n"
        "- name: a\n"
        "  user: {token: kube-secret-token-123}\n"
        "- name: half\n"
        "  user: {client-certificate-data: QUJD}\n"
        "contexts:\n"
        "- {name: a, context: {cluster: a, user: a}}\n"
        "- {name: insecure, context: {cluster: insecure, user: a}}\n"
        "- {name: plain, context: {cluster: plain, user: a}}\n"
        "- {name: half, context: {cluster: a, user: half}}\n";

static char *root;

static int setup(void **state)
{
	(void)state;
	root = hm_mkroot();
	hm_write(root, "kubeconfig", config_text, (size_t)-1);
	hm_write(root, "sa/token", "sa-token-456\n", (size_t)-1);
	hm_write(root, "sa/ca.crt", "-----BEGIN CERTIFICATE-----\n", (size_t)-1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hm_rmrf(root);
	gws_free(root);
	unsetenv("KUBECONFIG");
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("GWSYNC_KUBE_SERVICEACCOUNT_DIR");
	return 0;
}

static int open_ctx(const char *context, gws_kube **k)
{
	gws_kube_options o = {0};
	char *path = gws_asprintf("%s/kubeconfig", root);

	o.context = context;
	setenv("KUBECONFIG", path, 1);
	gws_free(path);
	return gws_kube_new(k, &o);
}

static void test_current_context(void **state)
{
	gws_kube *k = NULL;
	gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE);

	(void)state;
	assert_int_equal(open_ctx(NULL, &k), 0);
	assert_string_equal(gws_kube_server(k), "https://127.0.0.1:6443");
	assert_string_equal(gws_kube_source(k), "KUBECONFIG context a");
	/* The token is a secret: scrubbed from anything printed. */
	assert_int_equal(gws_buf_puts(&line, "token kube-secret-token-123 here"), 0);
	assert_int_equal(gws_secret_scrub(&line), 0);
	assert_null(strstr(gws_buf_cstr(&line), "kube-secret-token-123"));
	gws_buf_dispose(&line);
	gws_kube_free(k);
}

static void expect_error(const char *context, int code, const char *words)
{
	gws_kube *k = NULL;
	int rc = open_ctx(context, &k);

	assert_int_equal(rc, code);
	assert_null(k);
	if (!strstr(gws_error_last(), words))
		fail_msg("error '%s' lacks '%s'", gws_error_last(), words);
}

static void test_refused_configurations(void **state)
{
	(void)state;
	expect_error("insecure", GWS_EINVALID, "insecure-skip-tls-verify");
	expect_error("plain", GWS_EINVALID, "is not https://");
	expect_error("missing", GWS_EINVALID, "has no context missing");
	expect_error("half", GWS_EINVALID, "needs its key");
}

static void test_in_cluster_and_none(void **state)
{
	gws_kube_options o = {0};
	gws_kube *k = NULL;
	char *sa = gws_asprintf("%s/sa", root);

	(void)state;
	unsetenv("KUBECONFIG");
	unsetenv("KUBERNETES_SERVICE_HOST");
	assert_int_equal(gws_kube_new(&k, &o), GWS_ENOTFOUND);
	o.context = "a";
	assert_int_equal(gws_kube_new(&k, &o), GWS_EINVALID); /* a context needs KUBECONFIG */
	o.context = NULL;
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	/* In a pod without a mounted token: no API either. */
	setenv("GWSYNC_KUBE_SERVICEACCOUNT_DIR", root, 1);
	assert_int_equal(gws_kube_new(&k, &o), GWS_ENOTFOUND);
	setenv("GWSYNC_KUBE_SERVICEACCOUNT_DIR", sa, 1);
	assert_int_equal(gws_kube_new(&k, &o), 0);
	assert_string_equal(gws_kube_server(k), "https://[fd00::1]:443");
	gws_kube_free(k);
	gws_free(sa);
}

static const char *repo_services = "apiVersion: v1\nkind: Service\nmetadata: {name: web, "
                                   "namespace: apps}\nspec:\n  ports: [{port: 80, nodePort: "
                                   "30080}]\n";

static void test_external_services_repository_wins(void **state)
{
	gws_manifest_options mo = GWS_MANIFEST_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_diag_list diags;
	const char *ext =
	        "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": ["
	        "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": "
	        "\"web\", \"namespace\": \"apps\"}, \"spec\": {\"ports\": [{\"port\": 80, "
	        "\"nodePort\": 31111}]}},"
	        "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": "
	        "\"api\", \"namespace\": \"apps\"}, \"spec\": {\"ports\": [{\"port\": 8080, "
	        "\"nodePort\": 32222}]}},"
	        "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": "
	        "\"bad\", \"namespace\": \"apps\"}, \"spec\": {\"ports\": [{\"port\": "
	        "\"x\"}]}},"
	        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": "
	        "\"c\"}}]}";
	const gws_manifest_object *o;
	size_t added = 0;
	char *repo = hm_mkroot();

	(void)state;
	gws_diag_list_init(&diags);
	hm_write(repo, "svc.yaml", repo_services, (size_t)-1);
	mo.root = repo;
	assert_int_equal(gws_manifest_load(&store, &mo, &diags), 0);
	assert_int_equal(diags.errors, 0);
	assert_int_equal(gws_manifest_add_external(store, "https://k8s (test)", ext, strlen(ext),
	                                           GWS_KIND_SERVICE, &diags, &added),
	                 0);
	assert_int_equal(added, 2); /* api and bad (its port is dropped) */
	/* Problems of outside objects never make the desired state invalid. */
	assert_int_equal(diags.errors, 0);
	assert_true(diags.warnings > 0);
	o = gws_manifest_find(store, GWS_KIND_SERVICE, "apps", "web");
	assert_non_null(o);
	assert_string_equal(o->file, "svc.yaml");
	assert_int_equal(o->spec.service->ports[0].node_port.value, 30080);
	o = gws_manifest_find(store, GWS_KIND_SERVICE, "apps", "api");
	assert_non_null(o);
	assert_string_equal(o->file, "https://k8s (test)");
	/* Still sorted: every Service is found. */
	assert_non_null(gws_manifest_find(store, GWS_KIND_SERVICE, "apps", "bad"));
	assert_int_equal(gws_manifest_count(store, GWS_KIND_SERVICE), 3);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
	hm_rmrf(repo);
	gws_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_current_context),
	        cmocka_unit_test(test_refused_configurations),
	        cmocka_unit_test(test_in_cluster_and_none),
	        cmocka_unit_test(test_external_services_repository_wins),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
