/*
 * AWS Signature Version 4 for header-signed requests (Query/POST clients).
 *
 * The signer is pure: it never reads the clock or the environment, so the
 * test-suite vectors and trace logs see exactly what was signed.
 */
#ifndef GWSYNC_AWS_SIGV4_H
#define GWSYNC_AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "gwsync/aws.h"

typedef struct {
	const char *method;         /* "POST" */
	const char *host;           /* Host header value exactly as sent, with a non-default port */
	const char *path;           /* "/" */
	const char *query;          /* raw query string without '?', "" for none */
	const char *const *headers; /* NULL-terminated "Name: value" lines to sign besides host and
	                               x-amz-date (e.g. Content-Type); may be NULL */
	const void *body;
	size_t body_len;
	const char *service; /* "elasticloadbalancing", "ec2", "sts" */
	const char *region;
	time_t when; /* signing time (UTC) */
	const gws_aws_credentials *creds;
} gws_sigv4_request;

typedef struct {
	char amz_date[17];   /* YYYYMMDDTHHMMSSZ */
	char *authorization; /* full Authorization header value */
	/* For tests and trace logs. No secret key, but it does hold the session
	 * token (x-amz-security-token is a signed header): the signer registers
	 * the token with gws_secret_register, so gws_log scrubs it; never print
	 * this through anything but gws_log. */
	char *canonical_request;
	char *string_to_sign;
	char signature[65];
} gws_sigv4_result;

/*
 * Sign `req`. On success `out` owns its strings (gws_sigv4_result_dispose).
 * When creds->session_token is set, x-amz-security-token is signed too; the
 * caller sends X-Amz-Date, Authorization and X-Amz-Security-Token headers.
 * Headers named host, x-amz-date or x-amz-security-token in req->headers are
 * ignored (the signer adds them from the other fields).
 */
int gws_sigv4_sign(gws_sigv4_result *out, const gws_sigv4_request *req);
void gws_sigv4_result_dispose(gws_sigv4_result *res);

/*
 * Internal pieces, exposed for the test-suite runner and the fuzzer.
 * Each appends to `out` and returns 0 or a negative GWS_E* code.
 */
int gws_sigv4__canonical_uri(gws_buf *out, const char *path);
int gws_sigv4__canonical_query(gws_buf *out, const char *query);
/* RFC 3986 encoding: A-Za-z0-9-_.~ stay, everything else %XX (upper case). */
int gws_sigv4__uri_encode(gws_buf *out, const char *s, size_t len, int keep_slash);

#endif
