/*
 * Requests to the API server: GET only, https only, the server's
 * certificate always verified against the configured CA (or the system
 * store), no redirects, capped bodies, and errors that say which problem
 * it was (refused credentials, untrusted certificate, unreachable).
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "kube/internal.h"

struct gws_kube {
	gws_kube__target target;
	CURL *curl;
	long timeout_ms;
	size_t max_response;
	long page_limit;
	size_t requests;
};

const char *gws_kube_server(const gws_kube *k)
{
	return k->target.server;
}

const char *gws_kube_source(const gws_kube *k)
{
	return k->target.source;
}

size_t gws_kube_request_count(const gws_kube *k)
{
	return k->requests;
}

int gws_kube_new(gws_kube **out, const gws_kube_options *opts)
{
	static const gws_kube_options defaults;
	const char *kubeconfig = getenv("KUBECONFIG");
	gws_kube *k;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!(k = gws_calloc(1, sizeof(*k))))
		return GWS_ENOMEM;
	if (kubeconfig && *kubeconfig) {
		/* A list of files: the first one is used. */
		char *first = gws_strndup(kubeconfig, strcspn(kubeconfig, ":"));

		error = first ? gws_kube__kubeconfig(&k->target, first, opts->context) : GWS_ENOMEM;
		gws_free(first);
	} else if (opts->context) {
		error = gws_error_set(GWS_EINVALID,
		                      "Kubernetes API: --kube-context %s needs KUBECONFIG",
		                      opts->context);
	} else {
		error = gws_kube__in_cluster(&k->target);
	}
	if (error < 0) {
		gws_free(k);
		return error;
	}
	k->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 30000;
	k->max_response = opts->max_response ? opts->max_response : GWS_KUBE_CAP_RESPONSE;
	k->page_limit = opts->page_limit > 0 ? opts->page_limit : GWS_KUBE_PAGE_LIMIT;
	if (!(k->curl = curl_easy_init())) {
		gws_kube_free(k);
		return GWS_ENOMEM;
	}
	*out = k;
	return 0;
}

void gws_kube_free(gws_kube *k)
{
	if (!k)
		return;
	if (k->curl)
		curl_easy_cleanup(k->curl);
	gws_kube__target_dispose(&k->target);
	gws_free(k);
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	gws_buf *b = ctx;

	return gws_buf_put(b, data, size * n) < 0 ? 0 : size * n;
}

static void blob(struct curl_blob *b, const gws_buf *buf)
{
	b->data = buf->ptr;
	b->len = buf->size;
	b->flags = CURL_BLOB_NOCOPY;
}

static int setup(gws_kube *k, const char *url, gws_buf *body, struct curl_slist **headers)
{
	struct curl_blob ca, cert, key;
	CURL *c = k->curl;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, k->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	                 k->timeout_ms < 10000 ? k->timeout_ms : 10000);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "gwsync");
	if (k->target.ca.size) {
		blob(&ca, &k->target.ca);
		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &ca);
	}
	if (k->target.cert.size) {
		blob(&cert, &k->target.cert);
		blob(&key, &k->target.key);
		curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
		curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key);
		curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
	}
	*headers = curl_slist_append(NULL, "Accept: application/json");
	if (*headers && k->target.token) {
		char *auth = gws_asprintf("Authorization: Bearer %s", k->target.token);
		struct curl_slist *more = auth ? curl_slist_append(*headers, auth) : NULL;

		if (auth)
			memset(auth, 0, strlen(auth));
		gws_free(auth);
		if (!more)
			return GWS_ENOMEM;
		*headers = more;
	}
	if (!*headers)
		return GWS_ENOMEM;
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *headers);
	return 0;
}

static int transport_error(const gws_kube *k, CURLcode rc, const gws_buf *body)
{
	const char *server = k->target.server, *src = k->target.source;

	switch (rc) {
	case CURLE_WRITE_ERROR:
		if (body->size >= body->max)
			return gws_error_set(
			        GWS_ETOOBIG,
			        "Kubernetes API %s: a response is larger than %zu bytes", server,
			        body->max);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		return gws_error_set(GWS_EAUTH,
		                     "Kubernetes API %s (%s): TLS failed, the server's certificate "
		                     "is not trusted by the configured CA or the client "
		                     "certificate was refused: %s",
		                     server, src, curl_easy_strerror(rc));
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return gws_error_set(GWS_ENETWORK, "Kubernetes API %s (%s) is unreachable: %s",
		                     server, src, curl_easy_strerror(rc));
	default:
		break;
	}
	return gws_error_set(GWS_ENETWORK, "Kubernetes API %s (%s): %s", server, src,
	                     curl_easy_strerror(rc));
}

/* The Status message of an error reply, cleaned to one short line. */
static const char *status_message(json_t *doc)
{
	const char *m = json_string_value(json_object_get(doc, "message"));

	return m ? m : "";
}

static int http_error(const gws_kube *k, long status, const char *path, const gws_buf *body)
{
	json_t *doc = json_loadb(body->ptr ? body->ptr : "", body->size, 0, NULL);
	gws_buf msg = GWS_BUF_INIT(512);
	const char *m = status_message(doc);
	int code = status == 401 || status == 403 ? GWS_EAUTH
	           : status == 404                ? GWS_ENOTFOUND
	                                          : GWS_EREMOTE;
	int error;

	if (gws_sanitize(&msg, m, strlen(m)) < 0)
		gws_buf_clear(&msg);
	error = gws_error_set(code, "Kubernetes API %s (%s): GET %s: HTTP %ld%s%s%s",
	                      k->target.server, k->target.source, path, status,
	                      status == 401   ? " (the token or certificate was refused)"
	                      : status == 403 ? " (not allowed: check the RBAC of the identity)"
	                                      : "",
	                      msg.size ? ": " : "", gws_buf_cstr(&msg));
	gws_buf_dispose(&msg);
	json_decref(doc);
	return error;
}

int gws_kube_get(gws_kube *k, const char *path, json_t **out)
{
	gws_buf body = GWS_BUF_INIT(k->max_response);
	struct curl_slist *headers = NULL;
	char *url = NULL;
	long status = 0;
	CURLcode rc;
	int error;

	*out = NULL;
	if (!path || path[0] != '/')
		return gws_error_set(GWS_EINVALID, "Kubernetes API: bad path");
	if (!(url = gws_asprintf("%s%s", k->target.server, path)) ||
	    (error = setup(k, url, &body, &headers)) < 0) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	k->requests++;
	rc = curl_easy_perform(k->curl);
	if (rc != CURLE_OK) {
		error = transport_error(k, rc, &body);
		goto cleanup;
	}
	curl_easy_getinfo(k->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		error = http_error(k, status, path, &body);
		goto cleanup;
	}
	error = gws_kube__decode(out, body.ptr, body.size, k->target.server, path);
cleanup:
	curl_easy_setopt(k->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	gws_free(url);
	gws_buf_dispose(&body);
	return error;
}

int gws_kube_list(gws_kube *k, const char *path, gws_kube_item_fn fn, void *ctx)
{
	char *cont = NULL;
	size_t seen = 0;
	int error = 0;

	do {
		json_t *page = NULL;
		char *esc = cont ? curl_easy_escape(k->curl, cont, 0) : NULL;
		char *page_path =
		        gws_asprintf("%s%slimit=%ld%s%s", path, strchr(path, '?') ? "&" : "?",
		                     k->page_limit, esc ? "&continue=" : "", esc ? esc : "");

		curl_free(esc);
		gws_free(cont);
		cont = NULL;
		if (!page_path)
			return GWS_ENOMEM;
		error = gws_kube_get(k, page_path, &page);
		gws_free(page_path);
		if (error < 0)
			return error;
		error = gws_kube__page(page, path, &seen, fn, ctx, &cont);
		json_decref(page);
	} while (!error && cont);
	gws_free(cont);
	return error;
}
