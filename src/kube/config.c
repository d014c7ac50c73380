/*
 * Where the Kubernetes API is and how to authenticate (docs/targets.md, "The
 * Kubernetes API"): the pod's service account, or a KUBECONFIG context with
 * a bearer token, a client certificate or an exec credential plugin.
 * Everything is read fresh on each run (a projected service-account token is
 * rotated by the kubelet). TLS verification cannot be turned off:
 * insecure-skip-tls-verify is refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "kube/internal.h"

#define SA_DIR         "/var/run/secrets/kubernetes.io/serviceaccount"
#define CAP_SMALL_FILE (1024u * 1024) /* a token, a certificate, a key */
#define CAP_KUBECONFIG (4u * 1024 * 1024)

void gws_kube__target_dispose(gws_kube__target *t)
{
	gws_free(t->server);
	gws_free(t->source);
	gws_free(t->token);
	gws_buf_dispose(&t->ca);
	if (t->key.ptr)
		memset(t->key.ptr, 0, t->key.size);
	gws_buf_dispose(&t->key);
	gws_buf_dispose(&t->cert);
	memset(t, 0, sizeof(*t));
}

static void target_init(gws_kube__target *t)
{
	memset(t, 0, sizeof(*t));
	gws_buf_init(&t->ca, CAP_SMALL_FILE);
	gws_buf_init(&t->cert, CAP_SMALL_FILE);
	gws_buf_init(&t->key, CAP_SMALL_FILE);
}

static int set_token(gws_kube__target *t, const char *token, size_t len, const char *where)
{
	while (len && (token[len - 1] == '\n' || token[len - 1] == '\r' || token[len - 1] == ' '))
		len--;
	if (len == 0)
		return gws_error_set(GWS_EINVALID, "Kubernetes API: the token in %s is empty",
		                     where);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)token[i] < 0x21 || (unsigned char)token[i] > 0x7e)
			return gws_error_set(GWS_EINVALID,
			                     "Kubernetes API: the token in %s is not one printable "
			                     "word",
			                     where);
	gws_free(t->token);
	if (!(t->token = gws_strndup(token, len)))
		return GWS_ENOMEM;
	return gws_secret_register(t->token);
}

static int read_small(gws_buf *out, const char *path, const char *what)
{
	int error;

	gws_buf_clear(out);
	if ((error = gws_buf_read_file(out, path)) < 0)
		return gws_error_set(error == GWS_ENOMEM ? GWS_ENOMEM : GWS_EINVALID,
		                     "Kubernetes API: cannot read the %s %s: %s", what, path,
		                     gws_error_last());
	return 0;
}

int gws_kube__in_cluster(gws_kube__target *t)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	const char *dir = getenv("GWSYNC_KUBE_SERVICEACCOUNT_DIR");
	gws_buf token = GWS_BUF_INIT(CAP_SMALL_FILE);
	char *path = NULL;
	int error;

	target_init(t);
	if (!host || !*host)
		return gws_error_set(GWS_ENOTFOUND, "not in a Kubernetes pod");
	if (!dir || !*dir)
		dir = SA_DIR;
	/* An IPv6 service address needs brackets in the URL. */
	t->server = gws_asprintf(strchr(host, ':') ? "https://[%s]:%s" : "https://%s:%s", host,
	                         port && *port ? port : "443");
	t->source = gws_strdup("in-cluster service account");
	if (!t->server || !t->source || !(path = gws_asprintf("%s/token", dir))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	/* A pod without a mounted token (automountServiceAccountToken: false) has no API. */
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		error = gws_error_set(GWS_ENOTFOUND, "no service-account token at %s", path);
		goto cleanup;
	}
	if ((error = read_small(&token, path, "service-account token")) < 0 ||
	    (error = set_token(t, token.ptr, token.size, path)) < 0)
		goto cleanup;
	gws_free(path);
	if (!(path = gws_asprintf("%s/ca.crt", dir))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	error = read_small(&t->ca, path, "service-account CA");
cleanup:
	if (token.ptr)
		memset(token.ptr, 0, token.size);
	gws_buf_dispose(&token);
	gws_free(path);
	if (error)
		gws_kube__target_dispose(t);
	return error;
}

/* The entry of `list` (clusters, users, contexts) named `name`, its inner object. */
static json_t *named(json_t *doc, const char *list, const char *name, const char *inner)
{
	json_t *arr = json_object_get(doc, list), *item;
	size_t i;

	json_array_foreach(arr, i, item)
	{
		const char *n = json_string_value(json_object_get(item, "name"));

		if (n && strcmp(n, name) == 0)
			return json_object_get(item, inner);
	}
	return NULL;
}

static const char *str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s && *s ? s : NULL;
}

/* A path of the kubeconfig is relative to the file's directory. */
static char *resolve(const char *dir, const char *path)
{
	return path[0] == '/' ? gws_strdup(path) : gws_asprintf("%s/%s", dir, path);
}

static int base64(gws_buf *out, const char *b64, const char *what)
{
	size_t len = strlen(b64), n;
	unsigned char *raw = gws_malloc(len / 4 * 3 + 4);
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	int outl = 0, fin = 0, error = 0;

	if (!raw || !ctx) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, raw, &outl, (const unsigned char *)b64, (int)len) < 0 ||
	    EVP_DecodeFinal(ctx, raw + outl, &fin) < 0) {
		error = gws_error_set(GWS_EINVALID, "Kubernetes API: %s is not base64", what);
		goto cleanup;
	}
	n = (size_t)outl + (size_t)fin;
	gws_buf_clear(out);
	if (gws_buf_put(out, raw, n) < 0)
		error = gws_error_set(GWS_ETOOBIG, "Kubernetes API: %s is too large", what);
	memset(raw, 0, len / 4 * 3 + 4);
cleanup:
	EVP_ENCODE_CTX_free(ctx);
	gws_free(raw);
	return error;
}

/* `<key>-data` (base64) or `<key>` (a file). */
static int data_or_file(gws_buf *out, json_t *obj, const char *key, const char *dir,
                        const char *what)
{
	char data_key[64], *path;
	const char *v;
	int error;

	snprintf(data_key, sizeof(data_key), "%s-data", key);
	if ((v = str(obj, data_key)))
		return base64(out, v, what);
	if (!(v = str(obj, key)))
		return 0;
	if (!(path = resolve(dir, v)))
		return GWS_ENOMEM;
	error = read_small(out, path, what);
	gws_free(path);
	return error;
}

static int user_auth(gws_kube__target *t, json_t *user, const char *dir, const char *ctx_name)
{
	const char *v;
	int error;

	if ((error = data_or_file(&t->cert, user, "client-certificate", dir,
	                          "client certificate")) < 0 ||
	    (error = data_or_file(&t->key, user, "client-key", dir, "client key")) < 0)
		return error;
	if (t->key.size && (error = gws_secret_register(gws_buf_cstr(&t->key))) < 0)
		return error;
	if ((t->cert.size == 0) != (t->key.size == 0))
		return gws_error_set(GWS_EINVALID,
		                     "Kubernetes API: context %s: a client certificate needs its "
		                     "key (and a key its certificate)",
		                     ctx_name);
	if ((v = str(user, "token")))
		return set_token(t, v, strlen(v), "the kubeconfig");
	if ((v = str(user, "tokenFile"))) {
		gws_buf token = GWS_BUF_INIT(CAP_SMALL_FILE);
		char *path = resolve(dir, v);

		error = path ? read_small(&token, path, "token file") : GWS_ENOMEM;
		if (!error)
			error = set_token(t, token.ptr, token.size, path);
		if (token.ptr)
			memset(token.ptr, 0, token.size);
		gws_buf_dispose(&token);
		gws_free(path);
		return error;
	}
	if (json_object_get(user, "exec"))
		return gws_kube__exec_plugin(t, json_object_get(user, "exec"), dir);
	if (str(user, "username") || json_object_get(user, "auth-provider"))
		return gws_error_set(GWS_EINVALID,
		                     "Kubernetes API: context %s: basic auth and auth-provider "
		                     "plugins are not supported (use a token, a client "
		                     "certificate or an exec plugin)",
		                     ctx_name);
	return 0;
}

int gws_kube__kubeconfig(gws_kube__target *t, const char *path, const char *context)
{
	gws_buf data = GWS_BUF_INIT(CAP_KUBECONFIG);
	json_t *doc = NULL, *ctx, *cluster, *user;
	const char *cluster_name, *user_name, *server, *slash;
	char *dir = NULL;
	int error;

	target_init(t);
	if ((error = gws_buf_read_file(&data, path)) < 0) {
		error = gws_error_set(error == GWS_ENOMEM ? error : GWS_EINVALID,
		                      "Kubernetes API: cannot read KUBECONFIG %s: %s", path,
		                      gws_error_last());
		goto cleanup;
	}
	if ((error = gws_kube__yaml_to_json(&doc, data.ptr ? data.ptr : "", data.size, path)) < 0)
		goto cleanup;
	slash = strrchr(path, '/');
	dir = slash ? gws_strndup(path, (size_t)(slash - path) + (slash == path)) : gws_strdup(".");
	if (!context)
		context = str(doc, "current-context");
	if (!context) {
		error = gws_error_set(GWS_EINVALID,
		                      "Kubernetes API: KUBECONFIG %s has no current-context (give "
		                      "--kube-context)",
		                      path);
		goto cleanup;
	}
	if (!(ctx = named(doc, "contexts", context, "context"))) {
		error = gws_error_set(GWS_EINVALID,
		                      "Kubernetes API: KUBECONFIG %s has no context %s", path,
		                      context);
		goto cleanup;
	}
	cluster_name = str(ctx, "cluster");
	user_name = str(ctx, "user");
	cluster = cluster_name ? named(doc, "clusters", cluster_name, "cluster") : NULL;
	user = user_name ? named(doc, "users", user_name, "user") : NULL;
	if (!cluster || !(server = str(cluster, "server"))) {
		error = gws_error_set(GWS_EINVALID,
		                      "Kubernetes API: context %s names no cluster with a server",
		                      context);
		goto cleanup;
	}
	if (json_is_true(json_object_get(cluster, "insecure-skip-tls-verify")) ||
	    (str(cluster, "insecure-skip-tls-verify") &&
	     strcmp(str(cluster, "insecure-skip-tls-verify"), "false") != 0)) {
		error = gws_error_set(GWS_EINVALID,
		                      "Kubernetes API: context %s sets insecure-skip-tls-verify: "
		                      "gwsync always verifies the API server's certificate (give "
		                      "certificate-authority-data)",
		                      context);
		goto cleanup;
	}
	if (!gws_str_startswith(server, "https://")) {
		error = gws_error_set(GWS_EINVALID,
		                      "Kubernetes API: context %s: server %s is not https://",
		                      context, server);
		goto cleanup;
	}
	t->server = gws_strndup(server, strlen(server) - (gws_str_endswith(server, "/") ? 1 : 0));
	t->source = gws_asprintf("KUBECONFIG context %s", context);
	if (!t->server || !t->source || !dir) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if ((error = data_or_file(&t->ca, cluster, "certificate-authority", dir,
	                          "certificate authority")) < 0)
		goto cleanup;
	if (user)
		error = user_auth(t, user, dir, context);
cleanup:
	json_decref(doc);
	gws_free(dir);
	if (data.ptr)
		memset(data.ptr, 0, data.size);
	gws_buf_dispose(&data);
	if (error)
		gws_kube__target_dispose(t);
	return error;
}
