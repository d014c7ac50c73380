/*
 * gwsync aws: the Query protocol request encoder (ELBv2, EC2, STS).
 *
 * A request is an ordered list of name=value parameters, starting with
 * Action and Version, encoded as an application/x-www-form-urlencoded body
 * exactly as botocore does: parameters in insertion order (the typed calls
 * add them in the service model's member order), A-Za-z0-9-_.~ kept,
 * space as '+', every other byte as %XX.
 *
 * Adders never fail on their own: the first error (ENOMEM, a name or body
 * over its cap) is kept and returned by gws_query_encode, so a typed call
 * can add all its parameters and check once.
 */
#ifndef GWSYNC_AWS_QUERY_H
#define GWSYNC_AWS_QUERY_H

#include "gwsync/core.h"

typedef struct {
	char *name;
	char *value;
} gws_query_param;

typedef struct {
	gws_query_param *params;
	size_t count;
	size_t cap;
	int error; /* first failure, 0 when none */
} gws_query;

void gws_query_init(gws_query *q, const char *action, const char *version);
void gws_query_dispose(gws_query *q);

/* Add name=value; a NULL value adds nothing ("not given"). */
void gws_query_add(gws_query *q, const char *name, const char *value);
/* Add with a printf-formatted name, e.g. ("Tags.member.%zu.Key", i + 1). */
void gws_query_addf(gws_query *q, const char *value, const char *name_fmt, ...) GWS_PRINTF(3, 4);
/* Formats a parameter name (or a prefix of one) into out; on truncation the
 * query records GWS_ETOOBIG, which gws_query_encode returns, and this
 * returns false so the caller skips the members below it. */
bool gws_query_name(gws_query *q, char *out, size_t size, const char *fmt, ...) GWS_PRINTF(4, 5);
bool gws_query_vname(gws_query *q, char *out, size_t size, const char *fmt, va_list ap)
        GWS_PRINTF(4, 0);
void gws_query_add_long(gws_query *q, const char *name, long value);
void gws_query_add_bool(gws_query *q, const char *name, bool value);
/* Replace the value of `name`, or add it when absent (pagination markers). */
void gws_query_set(gws_query *q, const char *name, const char *value);
/* The value of `name`, or NULL. */
const char *gws_query_get(const gws_query *q, const char *name);

/* Encode into `out` (appended). Returns the first error of the adders, too. */
int gws_query_encode(const gws_query *q, gws_buf *out) GWS_WARN_UNUSED;

/* Form-encode `len` bytes as above. */
int gws_query__encode_value(gws_buf *out, const char *s, size_t len) GWS_WARN_UNUSED;

#endif
