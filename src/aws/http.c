/*
 * The HTTP layer: libcurl easy handles driven by a multi handle, sharing one
 * DNS/connection/TLS-session cache per gws_http. This file is the one
 * boundary where curl errors become gwsync errors.
 */
#include "aws/http.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#define HTTP_DEFAULT_CONNECT_MS 10000L
#define HTTP_DEFAULT_PARALLEL   8

struct gws_http {
	CURLSH *share;
	pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
	char *ca_bundle;
	long connect_timeout_ms;
	long timeout_ms;
};

/* One request in flight. */
typedef struct {
	CURL *easy;
	struct curl_slist *headers;
	const gws_http_request *req;
	gws_http_response *resp;
	struct timespec start;
	int body_error; /* the body callback failed: GWS_ETOOBIG or GWS_ENOMEM */
	char errbuf[CURL_ERROR_SIZE];
} xfer;

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_OK;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *userp)
{
	gws_http *http = userp;
	(void)handle;
	(void)access;
	if (data < CURL_LOCK_DATA_LAST)
		pthread_mutex_lock(&http->locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *userp)
{
	gws_http *http = userp;
	(void)handle;
	if (data < CURL_LOCK_DATA_LAST)
		pthread_mutex_unlock(&http->locks[data]);
}

int gws_http_new(gws_http **out, const gws_http_options *opts)
{
	gws_http *http = NULL;
	const char *ca = NULL;
	size_t i;

	*out = NULL;
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK)
		return gws_error_set(GWS_ERROR, "libcurl initialisation failed: %s",
		                     curl_easy_strerror(global_rc));

	http = gws_calloc(1, sizeof(*http));
	if (!http)
		return GWS_ENOMEM;
	for (i = 0; i < GWS_ARRAY_SIZE(http->locks); i++)
		pthread_mutex_init(&http->locks[i], NULL);

	ca = opts ? opts->ca_bundle : NULL;
	if (!ca || !*ca)
		ca = getenv("AWS_CA_BUNDLE");
	if (ca && *ca && !(http->ca_bundle = gws_strdup(ca)))
		goto nomem;
	http->connect_timeout_ms = opts && opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms
	                                                                : HTTP_DEFAULT_CONNECT_MS;
	http->timeout_ms =
	        opts && opts->timeout_ms > 0 ? opts->timeout_ms : GWS_HTTP_DEFAULT_TIMEOUT_MS;

	http->share = curl_share_init();
	if (!http->share)
		goto nomem;
	curl_share_setopt(http->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(http->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(http->share, CURLSHOPT_USERDATA, http);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);

	*out = http;
	return 0;

nomem:
	gws_http_free(http);
	return gws_error_set(GWS_ENOMEM, "out of memory creating the HTTP client");
}

void gws_http_free(gws_http *http)
{
	size_t i;

	if (!http)
		return;
	if (http->share)
		curl_share_cleanup(http->share);
	for (i = 0; i < GWS_ARRAY_SIZE(http->locks); i++)
		pthread_mutex_destroy(&http->locks[i]);
	gws_free(http->ca_bundle);
	gws_free(http);
}

void gws_http_response_init(gws_http_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	gws_buf_init(&resp->body, GWS_CAP_HTTP_RESPONSE);
}

void gws_http_response_dispose(gws_http_response *resp)
{
	if (!resp)
		return;
	gws_buf_dispose(&resp->body);
	gws_free(resp->request_id);
	gws_free(resp->retry_after);
	gws_free(resp->date);
	gws_http_response_init(resp);
}

/* ---- redaction ---------------------------------------------------------- */

static const char *const secret_headers[] = {
        "authorization", "x-amz-security-token", "x-aws-ec2-metadata-token", "proxy-authorization",
        "cookie",        "set-cookie",
};

bool gws_http__header_is_secret(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(secret_headers); i++) {
		if (strlen(secret_headers[i]) == len &&
		    strncasecmp(secret_headers[i], name, len) == 0)
			return true;
	}
	return false;
}

int gws_http__redact_header(gws_buf *out, const char *line)
{
	const char *colon = strchr(line, ':');

	if (!colon)
		return gws_buf_puts(out, line);
	if (!gws_http__header_is_secret(line, (size_t)(colon - line)))
		return gws_buf_puts(out, line);
	if (gws_buf_put(out, line, (size_t)(colon - line)) < 0)
		return gws_error_last_code();
	return gws_buf_puts(out, ": ****");
}

/* ---- callbacks ---------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	xfer *x = userp;
	size_t len = size * nmemb;
	int rc;

	if (x->body_error)
		return 0;
	rc = gws_buf_put(&x->resp->body, data, len);
	if (rc < 0) {
		x->body_error = rc;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	return len;
}

static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	const char *v, *end = line + len;

	if (len <= nlen || line[nlen] != ':' || strncasecmp(line, name, nlen) != 0)
		return NULL;
	v = line + nlen + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return gws_strndup(v, (size_t)(end - v));
}

static void set_once(char **slot, char *value)
{
	if (!value)
		return;
	gws_free(*slot);
	*slot = value;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
	xfer *x = userp;
	size_t len = size * nmemb;
	gws_http_response *r = x->resp;

	/* A new status line (after 100 Continue) starts a new header set. */
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		gws_free(r->request_id);
		gws_free(r->retry_after);
		gws_free(r->date);
		r->request_id = NULL;
		r->retry_after = NULL;
		r->date = NULL;
		return len;
	}
	set_once(&r->request_id, header_value(data, len, "x-amzn-RequestId"));
	set_once(&r->request_id, header_value(data, len, "x-amz-request-id"));
	set_once(&r->retry_after, header_value(data, len, "x-amz-retry-after"));
	if (!r->retry_after)
		set_once(&r->retry_after, header_value(data, len, "Retry-After"));
	set_once(&r->date, header_value(data, len, "Date"));
	return len;
}

/* ---- transfers ---------------------------------------------------------- */

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - start->tv_sec) * 1000L +
	              (now.tv_nsec - start->tv_nsec) / 1000000L);
}

static bool has_header(const char *const *headers, const char *name)
{
	size_t nlen = strlen(name);

	for (; headers && *headers; headers++) {
		if (strncasecmp(*headers, name, nlen) == 0 && (*headers)[nlen] == ':')
			return true;
	}
	return false;
}

static int add_header(struct curl_slist **list, const char *line)
{
	struct curl_slist *n = curl_slist_append(*list, line);

	if (!n)
		return gws_error_set(GWS_ENOMEM, "out of memory building HTTP headers");
	*list = n;
	return 0;
}

static int build_headers(xfer *x)
{
	const gws_http_request *req = x->req;
	const char *const *h;
	int rc;

	for (h = req->headers; h && *h; h++) {
		if ((rc = add_header(&x->headers, *h)) < 0)
			return rc;
	}
	/* No 100-continue round trip; no form content type unless asked for. */
	if ((rc = add_header(&x->headers, "Expect:")) < 0)
		return rc;
	if (!has_header(req->headers, "Content-Type"))
		return add_header(&x->headers, "Content-Type:");
	return 0;
}

static int xfer_setup(gws_http *http, xfer *x, const gws_http_request *req, gws_http_response *resp)
{
	CURL *e;
	long timeout = req->timeout_ms > 0 ? req->timeout_ms : http->timeout_ms;
	const char *method = req->method ? req->method : "GET";
	int rc;

	memset(x, 0, sizeof(*x));
	x->req = req;
	x->resp = resp;
	gws_http_response_dispose(resp);
	if (req->max_body > 0 && req->max_body < GWS_CAP_HTTP_RESPONSE)
		resp->body.max = req->max_body;

	if (!req->url ||
	    !(gws_str_startswith(req->url, "http://") || gws_str_startswith(req->url, "https://")))
		return gws_error_set(GWS_EINVALID, "HTTP request needs an http:// or https:// URL");
	x->easy = e = curl_easy_init();
	if (!e)
		return gws_error_set(GWS_ENOMEM, "out of memory creating an HTTP transfer");
	if ((rc = build_headers(x)) < 0)
		return rc;

	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_SHARE, http->share);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	if (http->ca_bundle)
		curl_easy_setopt(e, CURLOPT_CAINFO, http->ca_bundle);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, http->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "gwsync/" GWS_VERSION_STRING);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (req->fresh_connection)
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	if (req->no_proxy)
		curl_easy_setopt(e, CURLOPT_NOPROXY, "*");

	if (req->body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	} else if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else {
		/* PUT/POST/DELETE without a body still send Content-Length: 0. */
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	}
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	return 0;
}

/* Failures that happen before any byte of the request can have left us. */
static bool failed_before_sending(CURLcode rc)
{
	switch (rc) {
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_OUT_OF_MEMORY:
		return true;
	default:
		return false;
	}
}

/* The URL as it may be logged: scheme, host, port and path only. Userinfo
 * and the query string may carry credentials or tokens. */
static void loggable_url(char *out, size_t outlen, const char *url)
{
	const char *auth = strstr(url, "://");
	const char *host = auth ? auth + 3 : url;
	const char *end = host + strcspn(host, "/?#");
	const char *at = memchr(host, '@', (size_t)(end - host));
	size_t scheme_len = (size_t)(host - url);

	if (at)
		host = at + 1;
	snprintf(out, outlen, "%.*s%.*s", (int)scheme_len, url, (int)strcspn(host, "?#"), host);
}

static void log_transfer(const xfer *x)
{
	const gws_http_response *r = x->resp;
	char status[24], duration[24], url[512];

	if (!gws_log_enabled(GWS_LOG_DEBUG))
		return;
	loggable_url(url, sizeof(url), x->req->url);
	snprintf(status, sizeof(status), "%ld", r->status);
	snprintf(duration, sizeof(duration), "%ld", r->duration_ms);
	const char *kv[] = {"method",      x->req->method ? x->req->method : "GET",
	                    "url",         url,
	                    "status",      status,
	                    "duration_ms", duration,
	                    "error",       r->error[0] ? r->error : NULL,
	                    NULL};
	gws_log_fields(GWS_LOG_DEBUG, "http", "request", kv);
}

/* Fill the response from a finished transfer; returns its transport error. */
static int xfer_finish(xfer *x, CURLcode rc)
{
	gws_http_response *r = x->resp;
	curl_off_t header_bytes = 0, uploaded = 0;
	long status = 0;

	r->duration_ms = elapsed_ms(&x->start);
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_OK) {
		r->status = status;
		r->request_sent = true;
		log_transfer(x);
		return 0;
	}
	if (x->body_error) {
		r->status = status;
		r->request_sent = true;
		r->transport_error = x->body_error;
		snprintf(r->error, sizeof(r->error), "reply larger than %zu bytes", r->body.max);
		log_transfer(x);
		return r->transport_error;
	}

	/* No complete response: a partial one is not a response. */
	r->status = 0;
	gws_buf_dispose(&r->body);
	curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &header_bytes);
	curl_easy_getinfo(x->easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
	/* Err on the side of "sent": a write wrongly thought unsent would be
	 * repeated, while one wrongly thought sent is only looked up again. */
	r->request_sent =
	        !failed_before_sending(rc) &&
	        (header_bytes > 0 || uploaded > 0 || status > 0 || rc == CURLE_OPERATION_TIMEDOUT ||
	         rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR || rc == CURLE_PARTIAL_FILE);
	r->transport_error = rc == CURLE_OPERATION_TIMEDOUT ? GWS_ETIMEOUT : GWS_ENETWORK;
	snprintf(r->error, sizeof(r->error), "%s",
	         x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	/* curl's buffer may end with a newline. */
	r->error[strcspn(r->error, "\r\n")] = '\0';
	log_transfer(x);
	return r->transport_error;
}

static void xfer_cleanup(xfer *x)
{
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	x->easy = NULL;
	x->headers = NULL;
}

static void set_transport_error(const gws_http_response *r)
{
	gws_error_set(r->transport_error, "HTTP request failed: %s", r->error);
}

int gws_http_perform(gws_http *http, const gws_http_request *req, gws_http_response *resp)
{
	int rc = gws_http_perform_many(http, req, resp, 1, 1);

	if (rc < 0)
		return rc;
	if (resp->transport_error) {
		set_transport_error(resp);
		return resp->transport_error;
	}
	return 0;
}

static int start_next(gws_http *http, CURLM *multi, xfer *xs, const gws_http_request *reqs,
                      gws_http_response *resps, size_t i)
{
	int rc = xfer_setup(http, &xs[i], &reqs[i], &resps[i]);

	if (rc < 0) {
		/* A bad request fails alone, like a transport error would. */
		resps[i].transport_error = rc == GWS_ENOMEM ? GWS_ENOMEM : GWS_EINVALID;
		snprintf(resps[i].error, sizeof(resps[i].error), "%s", gws_error_last());
		xfer_cleanup(&xs[i]);
		return rc == GWS_ENOMEM ? rc : 0;
	}
	if (curl_multi_add_handle(multi, xs[i].easy) != CURLM_OK) {
		xfer_cleanup(&xs[i]);
		return gws_error_set(GWS_ENOMEM, "cannot add an HTTP transfer");
	}
	return 1;
}

int gws_http_perform_many(gws_http *http, const gws_http_request *reqs, gws_http_response *resps,
                          size_t n, int max_parallel)
{
	CURLM *multi = NULL;
	xfer *xs = NULL;
	size_t next = 0, running = 0, i;
	int rc = 0;

	if (n == 0)
		return 0;
	if (max_parallel <= 0)
		max_parallel = HTTP_DEFAULT_PARALLEL;
	xs = gws_calloc(n, sizeof(*xs));
	multi = curl_multi_init();
	if (!xs || !multi) {
		rc = gws_error_set(GWS_ENOMEM, "out of memory starting HTTP transfers");
		goto cleanup;
	}
	curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)max_parallel);

	while (next < n || running > 0) {
		CURLMsg *msg;
		int still = 0, left = 0;

		while (next < n && running < (size_t)max_parallel) {
			int started = start_next(http, multi, xs, reqs, resps, next++);
			if (started < 0) {
				rc = started;
				goto cleanup;
			}
			running += (size_t)started;
		}
		if (running == 0)
			continue;
		if (curl_multi_perform(multi, &still) != CURLM_OK) {
			rc = gws_error_set(GWS_ERROR, "HTTP transfer loop failed");
			goto cleanup;
		}
		while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
			xfer *x = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			xfer_finish(x, msg->data.result);
			curl_multi_remove_handle(multi, x->easy);
			xfer_cleanup(x);
			running--;
		}
		if (running > 0 && still > 0)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	}

cleanup:
	if (xs) {
		for (i = 0; i < n; i++) {
			if (xs[i].easy && multi)
				curl_multi_remove_handle(multi, xs[i].easy);
			xfer_cleanup(&xs[i]);
		}
	}
	if (multi)
		curl_multi_cleanup(multi);
	gws_free(xs);
	return rc;
}
