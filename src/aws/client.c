/*
 * The AWS client: configuration, credentials, rate limit, and the engine
 * that signs, sends, retries, pages and decodes the typed calls' requests.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "aws/call.h"
#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/retry.h"
#include "aws/sigv4.h"

#define CLIENT_DEFAULT_CONCURRENCY 8
/* A measured clock offset smaller than this did not cause a rejection. */
#define CLIENT_MIN_SKEW_S 60
/* AWS refuses a signature older than 5 minutes when the request arrives.
 * Requests are signed at the start of the round that sends them, so a round
 * holds no more requests than can be sent in this long even if every one of
 * them takes the whole request timeout (docs/aws.md, "Batches"). */
#define CLIENT_ROUND_BUDGET_MS 240000L
#define FORM_CONTENT_TYPE      "Content-Type: application/x-www-form-urlencoded; charset=utf-8"
#define JSON_CONTENT_TYPE      "Content-Type: application/x-amz-json-1.1"

struct gws_aws_client {
	gws_aws_config *owned_config;
	const gws_aws_config *config;
	gws_aws_credentials_provider *owned_creds;
	gws_aws_credentials_provider *creds;
	gws_http *http;
	gws_retry_policy retry;
	int concurrency;
	size_t round_max; /* requests signed and sent in one round */

	double rps;
	gws_token_bucket bucket; /* used when rps > 0 or the adaptive limiter is on */
	gws_adaptive adaptive;
	double (*clock)(void *ctx);

	void (*sleep_ms)(void *ctx, long ms);
	time_t (*now)(void *ctx);
	void *hook_ctx;
	long skew_s;      /* AWS time minus local time, measured from a rejected request */
	bool skew_logged; /* the warning is given once per client */

	bool batching;
	gws_vec queue;
	gws_aws_error last_error;
	gws_aws_stats stats;
	gws_aws__counts *counts; /* by action and result; NULL when out of memory */
};

/* ---- lifecycle ------------------------------------------------------------ */

/* Waves of `concurrency` requests that fit in the round budget, at least one. */
static size_t round_max(int concurrency, long timeout_ms)
{
	long per_request = timeout_ms > 0 ? timeout_ms : GWS_HTTP_DEFAULT_TIMEOUT_MS;
	long waves = CLIENT_ROUND_BUDGET_MS / per_request;

	return (size_t)concurrency * (size_t)(waves > 1 ? waves : 1);
}

static void real_sleep(void *ctx, long ms)
{
	struct timespec ts;

	(void)ctx;
	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

static double real_clock(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static time_t real_now(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

int gws_aws_client_new(gws_aws_client **out, const gws_aws_client_options *opts)
{
	gws_aws_client *c = NULL;
	gws_aws_client_options none = {0};
	gws_http_options hopts = {0};
	gws_retry_mode mode;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &none;
	if (opts->concurrency < 0 || opts->rps < 0 || isnan(opts->rps))
		return gws_error_set(GWS_EINVALID, "AWS concurrency and rate must not be negative");
	c = gws_calloc(1, sizeof(*c));
	if (!c)
		return GWS_ENOMEM;
	gws_vec_init(&c->queue);
	c->counts = gws_calloc(1, sizeof(*c->counts)); /* metrics only: NULL is tolerated */
	c->config = opts->config;
	if (!c->config) {
		if ((rc = gws_aws_config_load(&c->owned_config, opts->overrides)) < 0)
			goto fail;
		c->config = c->owned_config;
	}
	if ((rc = gws_retry_parse_mode(&mode, gws_aws_config_retry_mode(c->config))) < 0)
		goto fail;
	gws_retry_init(&c->retry, mode, gws_aws_config_max_attempts(c->config), opts->random,
	               opts->hook_ctx);

	hopts.ca_bundle = gws_aws_config_ca_bundle(c->config);
	hopts.timeout_ms = opts->timeout_ms;
	if ((rc = gws_http_new(&c->http, &hopts)) < 0)
		goto fail;
	c->creds = opts->credentials;
	if (!c->creds) {
		rc = gws_aws_credentials_provider_new(&c->owned_creds, c->config, c->http);
		if (rc < 0)
			goto fail;
		c->creds = c->owned_creds;
	}
	c->concurrency = opts->concurrency > 0 ? opts->concurrency : CLIENT_DEFAULT_CONCURRENCY;
	c->round_max = round_max(c->concurrency, hopts.timeout_ms);
	c->rps = opts->rps;
	c->sleep_ms = opts->sleep_ms ? opts->sleep_ms : real_sleep;
	c->now = opts->now ? opts->now : real_now;
	c->clock = opts->clock ? opts->clock : real_clock;
	c->hook_ctx = opts->hook_ctx;
	gws_bucket_init(&c->bucket, c->rps > 0 ? c->rps : 1, c->clock(c->hook_ctx));
	gws_adaptive_init(&c->adaptive, c->clock(c->hook_ctx));
	*out = c;
	return 0;

fail:
	gws_aws_client_free(c);
	return rc;
}

gws_aws_credentials_provider *gws_aws_client_credentials(gws_aws_client *c)
{
	return c->creds;
}

void gws_aws_client_free(gws_aws_client *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->queue.len; i++)
		gws_aws__op_free(c->queue.items[i]);
	gws_vec_dispose(&c->queue);
	gws_free(c->counts);
	gws_aws_credentials_provider_free(c->owned_creds);
	gws_http_free(c->http);
	gws_aws_config_free(c->owned_config);
	gws_free(c);
}

const gws_aws_error *gws_aws_client_last_error(const gws_aws_client *c)
{
	return &c->last_error;
}

size_t gws_aws_client_call_counts(const gws_aws_client *c, const gws_aws_call_count **out)
{
	*out = c->counts ? c->counts->items : NULL;
	return c->counts ? c->counts->n : 0;
}

void gws_aws_client_stats(const gws_aws_client *c, gws_aws_stats *out)
{
	*out = c->stats;
	out->retry_quota = c->retry.quota;
}

int gws_aws_client_concurrency(const gws_aws_client *c)
{
	return c->concurrency;
}

bool gws_aws__batching(const gws_aws_client *c)
{
	return c->batching;
}

/* ---- ops -------------------------------------------------------------------- */

gws_aws__op *gws_aws__op_new(const char *service, const char *action, bool is_write,
                             gws_arena *arena, void *out, size_t out_size,
                             gws_aws__decode_fn decode)
{
	gws_aws__op *op = gws_calloc(1, sizeof(*op));
	const char *version = strcmp(service, "ec2") == 0   ? GWS_EC2_VERSION
	                      : strcmp(service, "sts") == 0 ? GWS_STS_VERSION
	                                                    : GWS_ELBV2_VERSION;

	if (out && out_size)
		memset(out, 0, out_size);
	if (!op)
		return NULL;
	op->service = service;
	op->action = action;
	op->is_write = is_write;
	op->arena = arena;
	op->out = out;
	op->decode = decode;
	op->last_cost = -1;
	op->reply_cap = GWS_AWS_REPLY_CAP;
	gws_vec_init(&op->page_tokens);
	gws_query_init(&op->query, action, version);
	return op;
}

gws_aws__op *gws_aws__op_list(const char *service, const char *action, gws_arena *arena, void *out,
                              const char *list_name, const char *item, size_t item_size,
                              gws_xml_item_fn fn)
{
	gws_aws__op *op = gws_aws__op_new(service, action, false, arena, out,
	                                  sizeof(gws_aws__list_out), NULL);

	if (!op)
		return NULL;
	op->list.list = list_name;
	op->list.item = item;
	op->list.size = item_size;
	op->list.fn = fn;
	op->reply_cap = GWS_AWS_PAGE_REPLY_CAP;
	return op;
}

void gws_aws__op_free(gws_aws__op *op)
{
	if (!op)
		return;
	for (size_t i = 0; i < op->page_tokens.len; i++)
		gws_free(op->page_tokens.items[i]);
	gws_vec_dispose(&op->page_tokens);
	gws_query_dispose(&op->query);
	json_decref(op->json);
	gws_free(op);
}

int gws_aws__submit(gws_aws_client *c, gws_aws__op *op)
{
	int rc;

	if (!op)
		return gws_error_set(GWS_ENOMEM, "out of memory building an AWS request");
	if (c->batching) {
		if ((rc = gws_vec_push(&c->queue, op)) < 0)
			gws_aws__op_free(op);
		return rc;
	}
	rc = gws_aws__run(c, &op, 1);
	gws_aws__op_free(op);
	return rc;
}

int gws_aws_batch_begin(gws_aws_client *c)
{
	if (c->batching)
		return gws_error_set(GWS_EINVALID, "an AWS batch is already open");
	c->batching = true;
	return 0;
}

int gws_aws_batch_run_errors(gws_aws_client *c, int *rcs, gws_aws_error *errs, size_t n)
{
	size_t i;
	int rc;

	if (!c->batching)
		return gws_error_set(GWS_EINVALID, "no AWS batch is open");
	c->batching = false;
	rc = gws_aws__run(c, (gws_aws__op **)c->queue.items, c->queue.len);
	for (i = 0; i < c->queue.len; i++) {
		gws_aws__op *op = c->queue.items[i];
		if (rcs && i < n)
			rcs[i] = op->rc;
		if (errs && i < n) {
			errs[i] = op->err;
			errs[i].service = op->service;
			errs[i].action = op->action;
			errs[i].attempts = op->attempts;
		}
		gws_aws__op_free(op);
	}
	c->queue.len = 0;
	return rc;
}

int gws_aws_batch_run(gws_aws_client *c, int *rcs, size_t n_rcs)
{
	return gws_aws_batch_run_errors(c, rcs, NULL, n_rcs);
}

/* ---- errors ----------------------------------------------------------------- */

static const char *const auth_codes[] = {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "ExpiredToken",
        "ExpiredTokenException",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "AuthFailure",
        "InvalidAccessKeyId",
        "OptInRequired",
        "UnrecognizedClientException",
        "InvalidToken",
        "RequestExpired",
        "RequestTimeTooSkewed",
        "RequestInTheFuture",
        "InvalidSignatureException",
        "InvalidIdentityToken",
        "MissingAuthenticationTokenException",
};

int gws_aws__map_error(const char *code, long status)
{
	size_t i, len;

	if (!code)
		code = "";
	for (i = 0; i < GWS_ARRAY_SIZE(auth_codes); i++) {
		if (strcmp(code, auth_codes[i]) == 0)
			return GWS_EAUTH;
	}
	if (gws_retry_is_throttle_code(code) || (!*code && status == 429))
		return GWS_ETHROTTLED;
	len = strlen(code);
	if (gws_str_endswith(code, "NotFound") || strstr(code, ".NotFound") ||
	    gws_str_endswith(code, "NotFoundException") || strcmp(code, "NoSuchEntity") == 0)
		return GWS_ENOTFOUND;
	if (gws_str_startswith(code, "Duplicate") || strstr(code, ".Duplicate") ||
	    gws_str_endswith(code, "InUse") || strcmp(code, "DependencyViolation") == 0 ||
	    (len > 13 && gws_str_endswith(code, "AlreadyExists")))
		return GWS_ECONFLICT;
	if (!*code && (status == 401 || status == 403))
		return GWS_EAUTH;
	return GWS_EREMOTE;
}

/* ---- rate limit -------------------------------------------------------------- */

/* How many of `want` requests may go now; waits for the first token. */
static size_t rate_admit(gws_aws_client *c, size_t want)
{
	size_t n;

	if (c->rps <= 0 && !c->adaptive.enabled)
		return want;
	n = gws_bucket_take(&c->bucket, c->clock(c->hook_ctx), want);
	if (n > 0)
		return n;
	c->sleep_ms(c->hook_ctx,
	            (long)ceil(gws_bucket_wait(&c->bucket, c->clock(c->hook_ctx)) * 1000.0));
	n = gws_bucket_take(&c->bucket, c->clock(c->hook_ctx), want);
	if (n == 0) {
		/* A simulated sleep with no clock behind it: count the wait. */
		c->bucket.tokens = 0;
		n = 1;
	}
	return n;
}

/* Adaptive mode: feed each reply to the limiter and follow its rate
 * (never above --aws-rps). */
static void rate_observe(gws_aws_client *c, const gws_http_response *resp, const gws_aws__op *op)
{
	double now, rate;
	bool throttled;

	if (c->retry.mode != GWS_RETRY_ADAPTIVE)
		return;
	throttled = gws_retry_classify(resp->status, op->err.code, resp->transport_error) ==
	            GWS_RETRY_THROTTLE;
	now = c->clock(c->hook_ctx);
	rate = gws_adaptive_on_response(&c->adaptive, now, throttled);
	if (c->adaptive.enabled)
		gws_bucket_set_rate(&c->bucket, c->rps > 0 && c->rps < rate ? c->rps : rate, now);
}

/* ---- one round --------------------------------------------------------------- */

typedef struct {
	gws_aws__op *op;
	gws_buf body;
	char *url;
	char *host_header;
	char *date_header;
	char *auth_header;
	char *token_header;
	char *target_header; /* JSON 1.1: X-Amz-Target */
	const char *headers[8];
} wire;

static void wire_dispose(wire *w)
{
	gws_buf_dispose(&w->body);
	gws_free(w->url);
	gws_free(w->host_header);
	gws_free(w->date_header);
	gws_free(w->auth_header);
	gws_free(w->token_header);
	gws_free(w->target_header);
	memset(w, 0, sizeof(*w));
}

/* Split "scheme://authority[/path]" into the request URL and the Host value. */
static int endpoint_parts(const char *endpoint, char **url, char **host, const char **path)
{
	const char *auth = strstr(endpoint, "://");
	const char *slash;

	if (!auth)
		return gws_error_set(GWS_EINVALID, "malformed endpoint URL '%s'", endpoint);
	auth += 3;
	slash = strchr(auth, '/');
	*path = slash ? slash : "/";
	*host = slash ? gws_strndup(auth, (size_t)(slash - auth)) : gws_strdup(auth);
	*url = slash ? gws_strdup(endpoint) : gws_asprintf("%s/", endpoint);
	if (!*host || !*url)
		return GWS_ENOMEM;
	return 0;
}

/* The body and its signed headers: a form (Query) or a JSON object posted
 * to a target (JSON 1.1, serialized as botocore does: members in insertion
 * order, ", " and ": " separators). */
static int encode_body(wire *w, gws_aws__op *op, const char **signed_headers)
{
	char *text;
	int rc;

	if (!op->json)
		return gws_query_encode(&op->query, &w->body);
	if (op->query.error) /* a page token could not be added */
		return op->query.error;
	w->target_header = gws_asprintf("X-Amz-Target: %s.%s", op->target_prefix, op->action);
	if (!w->target_header || !(text = json_dumps(op->json, JSON_PRESERVE_ORDER)))
		return GWS_ENOMEM;
	rc = gws_buf_puts(&w->body, text);
	free(text); /* jansson's allocator is the C library's */
	signed_headers[0] = JSON_CONTENT_TYPE;
	signed_headers[1] = w->target_header;
	return rc;
}

static int wire_build(gws_aws_client *c, wire *w, gws_aws__op *op, const gws_aws_credentials *creds)
{
	const char *endpoint = gws_aws_config_endpoint(c->config, op->service);
	const char *region = gws_aws__config_signing_region(c->config, op->service);
	const char *signed_headers[] = {FORM_CONTENT_TYPE, NULL, NULL};
	gws_sigv4_result sig = {{0}, NULL, NULL, NULL, {0}};
	const char *path = "/";
	char *host = NULL;
	size_t h = 0;
	int rc;

	w->op = op;
	gws_buf_init(&w->body, GWS_CAP_HTTP_REQUEST);
	if (!region)
		return gws_error_set(GWS_EINVALID,
		                     "no AWS region: set --region, AWS_REGION or a profile region");
	if (!endpoint)
		return gws_error_set(GWS_EINVALID, "no endpoint for AWS service %s", op->service);
	if ((rc = encode_body(w, op, signed_headers)) < 0)
		return rc;
	if ((rc = endpoint_parts(endpoint, &w->url, &host, &path)) < 0)
		goto cleanup;
	gws_sigv4_request sreq = {"POST",         host,
	                          path,           "",
	                          signed_headers, gws_buf_cstr(&w->body),
	                          w->body.size,   op->service,
	                          region,         c->now(c->hook_ctx) + c->skew_s,
	                          creds};
	if ((rc = gws_sigv4_sign(&sig, &sreq)) < 0)
		goto cleanup;
	w->host_header = gws_asprintf("Host: %s", host);
	w->date_header = gws_asprintf("X-Amz-Date: %s", sig.amz_date);
	w->auth_header = gws_asprintf("Authorization: %s", sig.authorization);
	if (creds->session_token)
		w->token_header = gws_asprintf("X-Amz-Security-Token: %s", creds->session_token);
	if (!w->host_header || !w->date_header || !w->auth_header ||
	    (creds->session_token && !w->token_header)) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	w->headers[h++] = w->host_header;
	w->headers[h++] = signed_headers[0];
	if (w->target_header)
		w->headers[h++] = w->target_header;
	w->headers[h++] = w->date_header;
	w->headers[h++] = w->auth_header;
	if (w->token_header)
		w->headers[h++] = w->token_header;
	w->headers[h] = NULL;
	op->signed_with = creds;

cleanup:
	gws_sigv4_result_dispose(&sig);
	gws_free(host);
	return rc;
}

static void log_attempt(const gws_aws__op *op, const gws_http_response *resp)
{
	char status[24], attempt[16], duration[24];

	if (!gws_log_enabled(GWS_LOG_DEBUG))
		return;
	snprintf(status, sizeof(status), "%ld", resp->status);
	snprintf(attempt, sizeof(attempt), "%d", op->attempts);
	snprintf(duration, sizeof(duration), "%ld", resp->duration_ms);
	const char *kv[] = {"service",
	                    op->service,
	                    "action",
	                    op->action,
	                    "status",
	                    status,
	                    "aws_request_id",
	                    op->err.request_id[0] ? op->err.request_id : NULL,
	                    "attempt",
	                    attempt,
	                    "duration_ms",
	                    duration,
	                    "error",
	                    op->err.code[0] ? op->err.code : NULL,
	                    NULL};
	gws_log_fields(GWS_LOG_DEBUG, "aws", "call", kv);
}

static void op_fail(gws_aws__op *op, int rc)
{
	op->rc = rc;
	op->done = true;
}

/* Fail `op`, keeping the detail of the last error in its message (copied
 * first: the last-error slot is about to be rewritten). */
static void fail_with_last(gws_aws__op *op, int rc, const char *what)
{
	char detail[256];

	snprintf(detail, sizeof(detail), "%s", gws_error_last());
	snprintf(op->err.message, sizeof(op->err.message), "%s: %s", what, detail);
	gws_error_set(rc, "%s %s: %s", op->service, op->action, op->err.message);
	op_fail(op, rc);
}

/* ResponseMetadata/RequestId (Query) or requestId (EC2), for the log. */
static void body_request_id(gws_aws__op *op, const xmlNode *root)
{
	const xmlNode *n = gws_xml_child(gws_xml_child(root, "ResponseMetadata"), "RequestId");
	xmlChar *s;

	if (!n)
		n = gws_xml_child(root, "requestId");
	if (!n || !(s = xmlNodeGetContent(n)))
		return;
	snprintf(op->err.request_id, sizeof(op->err.request_id), "%s", (const char *)s);
	xmlFree(s);
}

/* A list reply, streamed: items appended to op->out, the next token into `next`. */
static int decode_list(gws_aws__op *op, const gws_http_response *resp, gws_buf *next)
{
	char wrapper[160];
	gws_aws__list_out *out = op->out;
	gws_xml_stream_out so = {&out->items, &out->count,        &op->list_cap,
	                         next,        op->err.request_id, sizeof(op->err.request_id),
	                         false};
	int rc;

	snprintf(wrapper, sizeof(wrapper), "%sResult", op->action);
	op->list.wrapper = strcmp(op->service, "ec2") == 0 ? NULL : wrapper;
	op->list.marker = op->page_out;
	rc = gws_xml_stream(op->arena, resp->body.ptr, resp->body.size, &op->list, &so);
	op->list.wrapper = NULL; /* pointed at this frame */
	if (rc < 0)
		fail_with_last(op, rc == GWS_ENOMEM ? rc : GWS_EREMOTE,
		               so.unreadable ? "unreadable response"
		                             : "cannot decode the response");
	return rc;
}

/* Any other reply: read whole (it is small) and handed to op->decode. */
static int decode_tree(gws_aws__op *op, const gws_http_response *resp, gws_buf *next)
{
	xmlDoc *doc = NULL;
	const xmlNode *root, *result;
	char wrapper[160];
	int rc;

	if ((rc = gws_xml_parse(&doc, resp->body.ptr, resp->body.size)) < 0) {
		fail_with_last(op, GWS_EREMOTE, "unreadable response");
		return rc;
	}
	root = xmlDocGetRootElement(doc);
	body_request_id(op, root);
	snprintf(wrapper, sizeof(wrapper), "%sResult", op->action);
	result = strcmp(op->service, "ec2") == 0 ? root : gws_xml_child(root, wrapper);
	if (op->decode && (rc = op->decode(op, result)) < 0)
		/* What AWS sent is at fault, not our input. */
		fail_with_last(op, rc == GWS_ENOMEM ? rc : GWS_EREMOTE,
		               "cannot decode the response");
	else if (op->page_out && gws_xml_child(result, op->page_out)) {
		xmlChar *t = xmlNodeGetContent(gws_xml_child(result, op->page_out));

		if ((rc = gws_buf_puts(next, t ? (const char *)t : "")) < 0)
			op_fail(op, rc);
		xmlFree(t);
	}
	xmlFreeDoc(doc);
	return rc;
}

/* A JSON 1.1 reply: parsed whole (its size is capped like any page) and
 * handed to op->decode_json; the next token is the page_out member. */
static int decode_json(gws_aws__op *op, const gws_http_response *resp, gws_buf *next)
{
	json_t *doc = NULL;
	const json_t *token;
	int rc;

	if ((rc = gws_aws__json_parse(&doc, resp->body.ptr, resp->body.size)) < 0) {
		fail_with_last(op, GWS_EREMOTE, "unreadable response");
		return rc;
	}
	if (op->decode_json && (rc = op->decode_json(op, doc)) < 0) {
		fail_with_last(op, rc == GWS_ENOMEM ? rc : GWS_EREMOTE,
		               "cannot decode the response");
	} else if (op->page_out && (token = json_object_get(doc, op->page_out)) &&
	           !json_is_null(token)) {
		if (!json_is_string(token)) {
			rc = gws_error_set(GWS_EREMOTE, "%s is not a string", op->page_out);
			fail_with_last(op, rc, "cannot decode the response");
		} else if ((rc = gws_buf_puts(next, json_string_value(token))) < 0) {
			op_fail(op, rc);
		}
	}
	json_decref(doc);
	return rc;
}

/* Ask for the page after `token`: a form parameter, or a member of the JSON body. */
static void next_page_token(gws_aws__op *op, const char *token)
{
	if (!op->json) {
		gws_query_set(&op->query, op->page_in, token);
		return;
	}
	if (gws_aws__json_set_before(op->json, op->page_in, json_string(token), op->page_before) <
	    0)
		/* Recorded like a query adder's failure: the next wire_build fails. */
		op->query.error = GWS_ENOMEM;
}

/*
 * A server that never ends its list must not keep a call going, or growing:
 * a token seen before means the pages go round in a circle, and a call
 * stops at GWS_AWS_MAX_PAGES pages or GWS_AWS_CALL_REPLY_CAP bytes. Every
 * paginated call (ELBv2 Marker, EC2 NextToken) passes here.
 */
static unsigned max_pages = GWS_AWS_MAX_PAGES;

void gws_aws__set_max_pages(unsigned n)
{
	max_pages = n ? n : GWS_AWS_MAX_PAGES;
}

static int page_error(gws_aws__op *op, int rc, const char *fmt, ...) GWS_PRINTF(3, 4);
static int page_error(gws_aws__op *op, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(op->err.message, sizeof(op->err.message), fmt, ap);
	va_end(ap);
	return rc;
}

static int check_next_page(gws_aws__op *op, const char *token)
{
	char *copy;

	for (size_t i = 0; i < op->page_tokens.len; i++)
		if (strcmp(op->page_tokens.items[i], token) == 0)
			return page_error(
			        op, GWS_EREMOTE,
			        "page %u repeats the %s of page %zu: the list would never "
			        "end",
			        op->pages, op->page_out, i + 1);
	if (op->pages >= max_pages)
		return page_error(op, GWS_ETOOBIG, "more than %u pages", max_pages);
	if (op->reply_bytes > GWS_AWS_CALL_REPLY_CAP)
		return page_error(op, GWS_ETOOBIG, "replies larger than %u bytes in all",
		                  GWS_AWS_CALL_REPLY_CAP);
	/* A linear search: at most GWS_AWS_MAX_PAGES tokens, each found after a
	 * network round trip that costs far more. */
	if (!(copy = gws_strdup(token)) || gws_vec_push(&op->page_tokens, copy) < 0) {
		gws_free(copy);
		return GWS_ENOMEM;
	}
	return 0;
}

/* A 2xx: decode the page, then finish or ask for the next page. */
static void handle_success(gws_aws_client *c, gws_aws__op *op, const gws_http_response *resp)
{
	gws_buf next = GWS_BUF_INIT(GWS_CAP_LINE);
	int rc;

	gws_retry_release(&c->retry, op->last_cost);
	op->last_cost = -1;
	/* A call with nothing to decode succeeded whatever the body says. */
	if (!op->decode && !op->decode_json && !op->list.fn && !op->page_in) {
		op_fail(op, 0);
		return;
	}
	op->pages++;
	op->reply_bytes += resp->body.size;
	rc = op->json      ? decode_json(op, resp, &next)
	     : op->list.fn ? decode_list(op, resp, &next)
	                   : decode_tree(op, resp, &next);
	if (rc < 0)
		goto cleanup; /* failed with the reason */
	if (!op->page_in || next.size == 0) {
		op_fail(op, 0);
	} else if ((rc = check_next_page(op, gws_buf_cstr(&next))) < 0) {
		op_fail(op, rc);
	} else {
		next_page_token(op, gws_buf_cstr(&next));
		op->next_page = true;
		c->stats.calls++;
	}

cleanup:
	gws_buf_dispose(&next);
}

/* ---- recovery from rejected credentials and clock skew ------------------------ */

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && tolower((unsigned char)hay[i]) == needle[i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* AWS refused the credentials themselves (not the request's time): a
 * refresh may help. InvalidClientTokenId is also what a token that died a
 * little early looks like, so it counts when the set was close to expiry
 * (twice the refresh window leaves room for a skewed local clock). */
static bool credentials_rejected(const gws_aws_client *c, const gws_aws__op *op)
{
	const char *code = op->err.code;
	const gws_aws_credentials *cr = op->signed_with;

	if (strcmp(code, "ExpiredToken") == 0 || strcmp(code, "ExpiredTokenException") == 0)
		return true;
	if (strcmp(code, "RequestExpired") == 0)
		return contains_ci(op->err.message, "token");
	if (strcmp(code, "InvalidClientTokenId") == 0 && cr && cr->expiration != 0)
		return c->now(c->hook_ctx) + c->skew_s + 2 * GWS_AWS_REFRESH_WINDOW >=
		       cr->expiration;
	return false;
}

/* AWS refused the request's time (botocore's clock-skew codes). */
static bool time_rejected(const gws_aws__op *op)
{
	const char *code = op->err.code, *msg = op->err.message;

	if (strcmp(code, "RequestTimeTooSkewed") == 0)
		return true;
	if (strcmp(code, "RequestExpired") == 0 || strcmp(code, "RequestInTheFuture") == 0)
		return !contains_ci(msg, "token");
	if (strcmp(code, "SignatureDoesNotMatch") == 0 ||
	    strcmp(code, "InvalidSignatureException") == 0 || strcmp(code, "AuthFailure") == 0)
		return contains_ci(msg, "signature expired") || contains_ci(msg, "skew") ||
		       contains_ci(msg, "signature not yet current");
	return false;
}

/* Ask for fresh credentials and retry once with them (decided in run_round,
 * once the refresh has run). */
static bool recover_credentials(gws_aws_client *c, gws_aws__op *op)
{
	if (op->creds_retried || !op->signed_with || !credentials_rejected(c, op))
		return false;
	op->creds_retried = true;
	op->awaiting_creds = true;
	gws_aws_credentials_invalidate(c->creds, op->signed_with);
	gws_log(GWS_LOG_INFO, "aws", "%s %s: AWS rejected the %s credentials (%s); refreshing them",
	        op->service, op->action, op->signed_with->provider, op->err.code);
	return true;
}

/* Measure AWS's clock from the reply's Date and retry once signed with it. */
static bool recover_skew(gws_aws_client *c, gws_aws__op *op, const gws_http_response *resp)
{
	time_t aws_now, local;
	long skew;

	if (op->skew_retried || !resp->date || !time_rejected(op))
		return false;
	aws_now = curl_getdate(resp->date, NULL);
	if (aws_now == (time_t)-1)
		return false;
	local = c->now(c->hook_ctx);
	skew = (long)(aws_now - local);
	if (labs(skew - c->skew_s) < CLIENT_MIN_SKEW_S)
		return false; /* our clock agrees with AWS: skew is not the problem */
	c->skew_s = skew;
	op->skew_retried = true;
	gws_log(c->skew_logged ? GWS_LOG_DEBUG : GWS_LOG_WARN, "aws",
	        "the local clock is %ld s %s AWS's (measured from the Date of a %s reply to %s); "
	        "signing with AWS's time from now on",
	        labs(skew), skew > 0 ? "behind" : "ahead of", op->err.code, op->action);
	c->skew_logged = true;
	return true;
}

static void handle_failure(gws_aws_client *c, gws_aws__op *op, const gws_http_response *resp)
{
	gws_retry_class cls;
	int cost;

	if (resp->transport_error == GWS_ETOOBIG) {
		/* Asking again would bring the same: a read fails, and a write
		 * was answered (it happened) in a reply nobody can read. */
		snprintf(op->err.message, sizeof(op->err.message), "%s", resp->error);
		op_fail(op, op->is_write ? GWS_EUNKNOWN_OUTCOME : GWS_ETOOBIG);
		return;
	}
	if (resp->transport_error) {
		snprintf(op->err.message, sizeof(op->err.message), "%s", resp->error);
		cls = gws_retry_classify(0, NULL, resp->transport_error);
		/*
		 * A write that left us and got no answer may have happened. It is
		 * sent again like a read: every write gwsync makes is safe to
		 * repeat, because AWS either makes the same state again (the
		 * idempotent creates of load balancers, target groups and
		 * listeners, Modify/Set, tags, targets, certificates, deleting a
		 * load balancer) or refuses the repeat (CreateRule at a taken
		 * priority, a duplicate security group or ingress rule, deleting
		 * what is gone). docs/aws.md, "Retries".
		 */
		if (op->is_write && resp->request_sent && cls != GWS_RETRY_NONE)
			op->unanswered = true;
	} else {
		if ((op->json
		             ? gws_aws__json_decode_error(resp->body.ptr, resp->body.size, &op->err)
		             : gws_xml_decode_error(resp->body.ptr, resp->body.size, &op->err)) < 0)
			snprintf(op->err.message, sizeof(op->err.message), "HTTP %ld",
			         resp->status);
		if (recover_skew(c, op, resp) || recover_credentials(c, op)) {
			c->stats.retries++;
			return;
		}
		cls = gws_retry_classify(resp->status, op->err.code, 0);
		/* A repeat refused after an unanswered attempt: most likely that
		 * attempt happened (its rule holds the priority, its group exists,
		 * what it deleted is gone). The caller looks before it acts again. */
		if (op->unanswered && cls == GWS_RETRY_NONE) {
			op_fail(op, GWS_EUNKNOWN_OUTCOME);
			return;
		}
	}
	if (cls == GWS_RETRY_THROTTLE)
		c->stats.throttled++;
	cost = gws_retry_acquire(&c->retry, op->attempts, cls, &op->delay_ms);
	if (cost >= 0) {
		op->last_cost = cost;
		c->stats.retries++;
		return;
	}
	if (cost == -2 && op->err.message[0] == '\0')
		snprintf(op->err.message, sizeof(op->err.message), "retry quota exhausted");
	if (op->unanswered)
		op_fail(op, GWS_EUNKNOWN_OUTCOME);
	else if (resp->transport_error)
		op_fail(op, resp->transport_error == GWS_ETIMEOUT ? GWS_ETIMEOUT : GWS_ENETWORK);
	else
		op_fail(op, gws_aws__map_error(op->err.code, resp->status));
}

static void handle_response(gws_aws_client *c, gws_aws__op *op, const gws_http_response *resp)
{
	op->err.status = resp->status;
	op->err.code[0] = op->err.message[0] = '\0';
	snprintf(op->err.request_id, sizeof(op->err.request_id), "%s",
	         resp->request_id ? resp->request_id : "");
	if (!resp->transport_error && resp->status >= 200 && resp->status < 300) {
		handle_success(c, op, resp);
		log_attempt(op, resp);
		return;
	}
	handle_failure(c, op, resp);
	log_attempt(op, resp);
}

static bool same_credentials(const gws_aws_credentials *a, const gws_aws_credentials *b)
{
	return a == b || (strcmp(a->access_key_id, b->access_key_id) == 0 &&
	                  strcmp(a->secret_access_key, b->secret_access_key) == 0 &&
	                  (a->session_token == NULL) == (b->session_token == NULL) &&
	                  (!a->session_token || strcmp(a->session_token, b->session_token) == 0));
}

/* An op waiting for refreshed credentials: fail it (true) when the refresh
 * gave back the rejected set, which would only be rejected again. */
static bool settle_credentials(gws_aws__op *op, const gws_aws_credentials *creds)
{
	if (!op->awaiting_creds)
		return false;
	op->awaiting_creds = false;
	if (!same_credentials(creds, op->signed_with))
		return false;
	op_fail(op, gws_aws__map_error(op->err.code, op->err.status));
	return true;
}

/* No credentials for `op`: after a rejection, say both what AWS said and
 * why the refresh failed (the provider's error is in the last-error slot). */
static void credentials_failed(gws_aws__op *op, int rc)
{
	char detail[256];

	if (op->awaiting_creds) {
		snprintf(detail, sizeof(detail), "%s", gws_error_last());
		snprintf(op->err.message, sizeof(op->err.message),
		         "AWS rejected the credentials (%s) and refreshing them failed: %s",
		         op->err.code, detail);
		op->err.code[0] = '\0';
		op->awaiting_creds = false;
	}
	op_fail(op, rc);
}

/* Send the pending ops (as many as the rate allows); false when none left. */
static int run_round(gws_aws_client *c, gws_aws__op **ops, size_t n, bool *progress)
{
	const gws_aws_credentials *creds = NULL;
	gws_aws__op **pending = NULL;
	gws_http_request *reqs = NULL;
	gws_http_response *resps = NULL;
	wire *wires = NULL;
	size_t *sent = NULL;
	size_t i, count = 0, admitted, nsent = 0;
	long max_delay = 0;
	int rc;

	*progress = false;
	for (i = 0; i < n; i++)
		count += !ops[i]->done;
	if (count == 0)
		return 0;
	*progress = true;
	if ((rc = gws_aws_credentials_get(c->creds, &creds)) < 0) {
		for (i = 0; i < n; i++) {
			if (!ops[i]->done)
				credentials_failed(ops[i], rc);
		}
		return rc;
	}
	pending = gws_calloc(count, sizeof(*pending));
	reqs = gws_calloc(count, sizeof(*reqs));
	resps = gws_calloc(count, sizeof(*resps));
	wires = gws_calloc(count, sizeof(*wires));
	sent = gws_calloc(count, sizeof(*sent));
	if (!pending || !reqs || !resps || !wires || !sent) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	for (i = 0, count = 0; i < n; i++) {
		if (!ops[i]->done && !settle_credentials(ops[i], creds))
			pending[count++] = ops[i];
	}
	if (count == 0) {
		rc = 0;
		goto cleanup;
	}
	/* The rest wait for a later round, and are signed then. */
	admitted = rate_admit(c, count < c->round_max ? count : c->round_max);
	for (i = 0; i < admitted; i++) {
		gws_http_response_init(&resps[i]);
		if ((rc = wire_build(c, &wires[i], pending[i], creds)) < 0) {
			op_fail(pending[i], rc);
			continue;
		}
		if (pending[i]->next_page) {
			pending[i]->next_page = false;
			pending[i]->attempts = 0;
		}
		pending[i]->attempts++;
		sent[nsent++] = i;
	}
	/* Requests that could not be built are failed already; send the rest. */
	for (i = 0; i < nsent; i++) {
		wire *w = &wires[sent[i]];
		reqs[i] = (gws_http_request){.method = "POST",
		                             .url = w->url,
		                             .headers = w->headers,
		                             .body = w->body.ptr,
		                             .body_len = w->body.size,
		                             .max_body = w->op->reply_cap,
		                             .fresh_connection = w->op->is_write};
	}
	if ((rc = gws_http_perform_many(c->http, reqs, resps, nsent, c->concurrency)) < 0)
		goto cleanup;
	for (i = 0; i < nsent; i++) {
		gws_aws__op *op = pending[sent[i]];
		c->stats.requests++;
		op->delay_ms = 0;
		handle_response(c, op, &resps[i]);
		rate_observe(c, &resps[i], op);
		if (!op->done && op->delay_ms > max_delay)
			max_delay = op->delay_ms;
	}
	if (max_delay > 0)
		c->sleep_ms(c->hook_ctx, max_delay);
	rc = 0;

cleanup:
	for (i = 0; resps && wires && i < count; i++) {
		gws_http_response_dispose(&resps[i]);
		wire_dispose(&wires[i]);
	}
	gws_free(pending);
	gws_free(reqs);
	gws_free(resps);
	gws_free(wires);
	gws_free(sent);
	return rc;
}

static void report(gws_aws_client *c, const gws_aws__op *op)
{
	const gws_aws_error *e = &op->err;

	c->last_error = *e;
	c->last_error.service = op->service;
	c->last_error.action = op->action;
	c->last_error.attempts = op->attempts;
	if (op->rc == GWS_EUNKNOWN_OUTCOME && op->unanswered && e->code[0])
		gws_error_set(op->rc,
		              "%s %s: outcome unknown: an attempt got no answer, and the repeat "
		              "failed with %s: %s (HTTP %ld, request id %s)",
		              op->service, op->action, e->code, e->message, e->status,
		              e->request_id[0] ? e->request_id : "none");
	else if (e->code[0])
		gws_error_set(op->rc, "%s %s: %s: %s (HTTP %ld, request id %s)", op->service,
		              op->action, e->code, e->message, e->status,
		              e->request_id[0] ? e->request_id : "none");
	else if (op->rc == GWS_EUNKNOWN_OUTCOME)
		gws_error_set(op->rc,
		              "%s %s: outcome unknown, no answer after the request was sent: %s",
		              op->service, op->action, e->message);
	else if (e->message[0])
		gws_error_set(op->rc, "%s %s: %s", op->service, op->action, e->message);
	else if (!gws_error_last()[0])
		gws_error_set(op->rc, "%s %s failed", op->service, op->action);
}

int gws_aws__run(gws_aws_client *c, gws_aws__op **ops, size_t n)
{
	bool progress = true;
	size_t i;
	int rc = 0;

	memset(&c->last_error, 0, sizeof(c->last_error));
	c->stats.calls += n;
	while (progress) {
		if ((rc = run_round(c, ops, n, &progress)) < 0)
			break;
	}
	for (i = 0; i < n; i++) {
		if (!ops[i]->done)
			op_fail(ops[i], rc < 0 ? rc : GWS_ERROR);
		if (c->counts)
			gws_aws__count(c->counts, ops[i]);
	}
	for (i = 0; i < n; i++) {
		if (ops[i]->rc < 0) {
			report(c, ops[i]);
			return ops[i]->rc;
		}
	}
	return rc;
}

/* ---- shared encoders ---------------------------------------------------------- */

void gws_aws__add_strings(gws_query *q, const char *prefix, const gws_aws_strings *list)
{
	size_t i;

	for (i = 0; list && i < list->count; i++)
		gws_query_addf(q, list->items[i], "%s.%zu", prefix, i + 1);
}

void gws_aws__add_kvs(gws_query *q, const char *prefix, const char *key, const char *value,
                      const gws_aws_kvs *list)
{
	size_t i;

	for (i = 0; list && i < list->count; i++) {
		gws_query_addf(q, list->items[i].key, "%s.%zu.%s", prefix, i + 1, key);
		gws_query_addf(q, list->items[i].value, "%s.%zu.%s", prefix, i + 1, value);
	}
}

void gws_aws__add_int(gws_query *q, const char *name, long value)
{
	if (value != 0)
		gws_query_add_long(q, name, value);
}

void gws_aws__add_tribool(gws_query *q, const char *name, gws_aws_bool v)
{
	if (v != GWS_AWS_UNSET)
		gws_query_add_bool(q, name, v == GWS_AWS_TRUE);
}
