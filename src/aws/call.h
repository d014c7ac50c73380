/*
 * gwsync aws: the call engine shared by the typed calls (internal).
 *
 * A typed call builds one gws_aws__op (its Query parameters, how to decode
 * the result, where to put it) and hands it to gws_aws__submit, which signs,
 * sends, retries, follows pages, decodes and maps errors, or queues it when
 * the client is batching.
 */
#ifndef GWSYNC_AWS_CALL_H
#define GWSYNC_AWS_CALL_H

#include <jansson.h>

#include "aws/query.h"
#include "aws/xml.h"
#include "gwsync/aws.h"

#define GWS_ELBV2_VERSION "2015-12-01"
#define GWS_EC2_VERSION   "2016-11-15"
#define GWS_STS_VERSION   "2011-06-15"

typedef struct gws_aws__op gws_aws__op;

/* Decode one successful page. `result` is the <ActionResult> element
 * (ELBv2, STS; NULL when absent) or the root element (EC2). */
typedef int (*gws_aws__decode_fn)(gws_aws__op *op, const xmlNode *result);
/* The same for a JSON 1.1 reply: `reply` is the top-level object. */
typedef int (*gws_aws__json_fn)(gws_aws__op *op, const json_t *reply);

struct gws_aws__op {
	const char *service; /* signing name: "elasticloadbalancing", "ec2", "sts" */
	const char *action;
	bool is_write; /* changes state: once sent without an answer, its outcome is unknown */
	gws_query query;
	const char *page_in;  /* request parameter of the next page, NULL: single page */
	const char *page_out; /* result element holding the next token */
	gws_arena *arena;
	void *out;
	gws_aws__decode_fn decode; /* NULL: nothing to decode */
	/* A describe's list (gws_aws__op_list): decoded one item at a time as
	 * the reply streams, into out's {items, count}; list.fn NULL: the
	 * reply is read whole and handed to `decode`. */
	gws_xml_stream_spec list;
	size_t list_cap;  /* room in out's items array */
	size_t reply_cap; /* largest reply body accepted */
	/* The JSON 1.1 protocol (ACM): set by gws_aws__op_json. The request is
	 * `json` (owned) posted with X-Amz-Target "<target_prefix>.<action>";
	 * page_in/page_out then name members of the request and reply objects. */
	const char *target_prefix;
	const char *page_before; /* the member the token precedes in the model, or NULL */
	json_t *json;
	gws_aws__json_fn decode_json;

	/* engine state */
	unsigned pages;      /* pages received */
	size_t reply_bytes;  /* reply bytes received over every page */
	gws_vec page_tokens; /* tokens of the pages asked for so far (owned) */
	int attempts;
	int last_cost; /* tokens taken by the last retry, -1: none */
	long delay_ms;
	bool next_page; /* a page came back with a token: attempts restart */
	/* Recovery retries, each at most once per call and outside the retry
	 * quota: AWS rejected the credentials (refresh them and re-sign), or
	 * the request time (correct the clock from the reply's Date, re-sign). */
	const gws_aws_credentials *signed_with;
	bool creds_retried;
	bool awaiting_creds; /* retry only if the refresh gives a different set */
	bool skew_retried;
	/* A write attempt left and got no answer: it may have happened. The
	 * call is repeated (every write gwsync sends is safe to repeat, see
	 * handle_failure) and only an answered success settles it. */
	bool unanswered;
	bool done;
	int rc;
	gws_aws_error err;
};

/* A new op with Action and Version set, after zeroing the `out_size` bytes
 * of `out` (so a typed call's output is empty whatever happens). NULL on
 * ENOMEM. */
gws_aws__op *gws_aws__op_new(const char *service, const char *action, bool is_write,
                             gws_arena *arena, void *out, size_t out_size,
                             gws_aws__decode_fn decode);
void gws_aws__op_free(gws_aws__op *op);

/* Switch `op` (from gws_aws__op_new) to the JSON 1.1 protocol: `body`
 * (taken, even on failure) is the request object, `decode` reads the reply.
 * Returns op, or NULL (op freed) on ENOMEM. */
gws_aws__op *gws_aws__op_json(gws_aws__op *op, const char *target_prefix, json_t *body,
                              gws_aws__json_fn decode);

/* The layout every list output shares: {T *items; size_t count}. */
typedef struct {
	void *items;
	size_t count;
} gws_aws__list_out;

/* An op returning a list into `out` (a gws_aws__list_out layout, items of
 * `item_size` bytes): list_name's `item` children of the result, each
 * decoded by `fn` as the reply streams. Paged when page_in is set. */
gws_aws__op *gws_aws__op_list(const char *service, const char *action, gws_arena *arena, void *out,
                              const char *list_name, const char *item, size_t item_size,
                              gws_xml_item_fn fn);

/* Every page of all the pages of one call together: a bound on the memory
 * a call may take, whatever a server's pages hold. */
#define GWS_AWS_CALL_REPLY_CAP (256u * 1024 * 1024)

/* Test hook: the most pages of one call (0 restores GWS_AWS_MAX_PAGES). */
void gws_aws__set_max_pages(unsigned n);

/* Run `op` now (taking ownership) or queue it when batching. */
int gws_aws__submit(gws_aws_client *c, gws_aws__op *op);

/* Run several ops together (ownership stays with the caller); returns the
 * first failure's code in input order, each op's in op->rc. */
int gws_aws__run(gws_aws_client *c, gws_aws__op **ops, size_t n);

bool gws_aws__batching(const gws_aws_client *c);

/* The client's table of calls by action and result (counts.c). */
typedef struct {
	gws_aws_call_count items[GWS_AWS_MAX_COUNTS];
	size_t n;
} gws_aws__counts;
/* Counts a finished op once (pages and retries are one call). */
void gws_aws__count(gws_aws__counts *t, const gws_aws__op *op);
/* The code and message of a JSON 1.1 error reply ({"__type", "message"}):
 * the code without its namespace ("com.amazon...#ThrottlingException"). */
int gws_aws__json_decode_error(const char *data, size_t len, gws_aws_error *err);
/* Set obj[key] = value (taken) where the service model has the member:
 * before member `before` when it is present (botocore writes members in
 * model order), else at the end; an existing key keeps its place. */
int gws_aws__json_set_before(json_t *obj, const char *key, json_t *value, const char *before);
/* Parse a reply body that must be one JSON object (GWS_EREMOTE otherwise). */
int gws_aws__json_parse(json_t **out, const char *data, size_t len);
/* Decoder helpers: a string member copied to the arena (NULL when absent or
 * null; *err set when it is not a string), and a list of strings — or, with
 * `member`, of that string member of each object — into `out`. */
const char *gws_aws__json_str(gws_arena *arena, const json_t *obj, const char *key, int *err);
int gws_aws__json_strings(gws_arena *arena, const json_t *arr, const char *member,
                          gws_aws_strings *out);

/* Map an AWS error code and HTTP status to a GWS_E* code. */
int gws_aws__map_error(const char *code, long status);

/* Query helpers shared by the encoders. */
void gws_aws__add_strings(gws_query *q, const char *prefix, const gws_aws_strings *list);
void gws_aws__add_kvs(gws_query *q, const char *prefix, const char *key, const char *value,
                      const gws_aws_kvs *list);
void gws_aws__add_int(gws_query *q, const char *name, long value); /* 0: not sent */
void gws_aws__add_tribool(gws_query *q, const char *name, gws_aws_bool v);

#endif
