/*
 * Calls by service, action and result, for the run's metrics
 * (gwsync_aws_calls_total). The result is "success", the AWS error code, or
 * the transport failure's name: AWS codes are a small fixed set in practice,
 * but a server can send anything, so codes are cut to a length and the table
 * to a size, past which results count as "other".
 */
#include <string.h>

#include "aws/call.h"

#define RESULT_MAX 63

static const char *result_of(const gws_aws__op *op, char buf[RESULT_MAX + 1])
{
	size_t n = 0;

	if (op->rc == 0)
		return "success";
	if (!op->err.code[0])
		return gws_error_name(op->rc);
	/* Only the characters AWS codes use: a label value stays readable. */
	for (const char *p = op->err.code; *p && n < RESULT_MAX; p++) {
		char ch = *p;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-')
			buf[n++] = ch;
	}
	buf[n] = '\0';
	return n ? buf : "other";
}

static gws_aws_call_count *find(gws_aws__counts *t, const char *service, const char *action,
                                const char *result)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->items[i].service == service && strcmp(t->items[i].action, action) == 0 &&
		    strcmp(t->items[i].result, result) == 0)
			return &t->items[i];
	return NULL;
}

void gws_aws__count(gws_aws__counts *t, const gws_aws__op *op)
{
	char buf[RESULT_MAX + 1];
	const char *result = result_of(op, buf);
	gws_aws_call_count *e = find(t, op->service, op->action, result);

	if (!e && t->n < GWS_AWS_MAX_COUNTS) {
		e = &t->items[t->n++];
		e->service = op->service;
		/* Actions are string literals of the typed calls: they outlive the client. */
		e->action = op->action;
		snprintf(e->result_buf, sizeof(e->result_buf), "%s", result);
		e->result = e->result_buf;
		e->count = 0;
	} else if (!e) {
		e = find(t, op->service, op->action, "other");
		if (!e)
			e = &t->items[GWS_AWS_MAX_COUNTS - 1];
	}
	e->count++;
}
