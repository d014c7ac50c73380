/*
 * gwsync aws: a small blocking HTTP layer on libcurl, shared by the AWS
 * calls and the credential providers (STS, container, IMDS).
 *
 * One gws_http holds the settings and a connection/DNS/TLS-session cache
 * that every request made through it reuses. It is meant to be used from
 * one thread at a time; concurrency comes from gws_http_perform_many.
 *
 * TLS peer and host verification are always on. Only http and https are
 * allowed, redirects are never followed, response bodies are capped (per
 * request, at most GWS_CAP_HTTP_RESPONSE).
 */
#ifndef GWSYNC_AWS_HTTP_H
#define GWSYNC_AWS_HTTP_H

#include "gwsync/core.h"

typedef struct gws_http gws_http;

/* A whole request may take this long unless the options say otherwise. */
#define GWS_HTTP_DEFAULT_TIMEOUT_MS 60000L

typedef struct {
	const char *ca_bundle;   /* PEM file of trusted CAs; NULL: AWS_CA_BUNDLE, else system */
	long connect_timeout_ms; /* 0: 10 s */
	long timeout_ms;         /* whole request; 0: 60 s */
} gws_http_options;

typedef struct {
	const char *method;         /* "GET", "POST", "PUT", "DELETE" */
	const char *url;            /* http:// or https:// */
	const char *const *headers; /* NULL-terminated "Name: value" lines, or NULL */
	const char *body;           /* NULL: no body */
	size_t body_len;
	long timeout_ms; /* 0: the gws_http default */
	/* Use a new connection: libcurl silently resends a request whose reused
	 * connection turns out dead, which must never happen to a write. */
	bool fresh_connection;
	/* Never go through a proxy (CURLOPT_NOPROXY "*"): instance metadata and
	 * container credential endpoints are link-local or loopback, and the SDKs
	 * never send them through HTTP(S)_PROXY. Everything else honours the
	 * proxy variables exactly as libcurl reads them (http_proxy, HTTPS_PROXY,
	 * ALL_PROXY, NO_PROXY). */
	bool no_proxy;
	/* Largest response body accepted (0: GWS_CAP_HTTP_RESPONSE); a larger
	 * one fails the request with GWS_ETOOBIG. */
	size_t max_body;
} gws_http_request;

typedef struct {
	long status;       /* HTTP status; 0 when no HTTP response arrived */
	gws_buf body;      /* response body (capped) */
	char *request_id;  /* x-amzn-RequestId / x-amz-request-id header, or NULL */
	char *retry_after; /* x-amz-retry-after or Retry-After header, or NULL */
	char *date;        /* Date header (the server's clock, for skew correction), or NULL */
	/* The whole request left us before the failure: for a write, whether the
	 * server acted on it is unknown. */
	bool request_sent;
	int transport_error; /* 0, GWS_ENETWORK, GWS_ETIMEOUT or GWS_ETOOBIG */
	long duration_ms;
	char error[256]; /* transport error text, "" when none */
} gws_http_response;

int gws_http_new(gws_http **out, const gws_http_options *opts);
void gws_http_free(gws_http *http);

void gws_http_response_init(gws_http_response *resp);
void gws_http_response_dispose(gws_http_response *resp);

/*
 * Perform one request. Returns 0 when an HTTP response arrived (whatever its
 * status) and the transport error code otherwise (also left in
 * resp->transport_error and the last error). `resp` must be initialised; its
 * previous content is dropped.
 */
int gws_http_perform(gws_http *http, const gws_http_request *req, gws_http_response *resp);

/*
 * Perform `n` requests with at most `max_parallel` in flight (<= 0: 8). Each
 * result lands in resps[i] for reqs[i]; per-request transport failures are
 * in resps[i].transport_error. Returns 0, or a negative code when the batch
 * itself could not run (out of memory).
 */
int gws_http_perform_many(gws_http *http, const gws_http_request *reqs, gws_http_response *resps,
                          size_t n, int max_parallel);

/* True for header names whose value must never be logged (case-insensitive). */
bool gws_http__header_is_secret(const char *name, size_t len);

/* Write "Name: value" into `out` with a secret value replaced by "****". */
int gws_http__redact_header(gws_buf *out, const char *line) GWS_WARN_UNUSED;

#endif
