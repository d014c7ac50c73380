/* Query protocol encoder: an ordered parameter list and its form encoding. */
#include "aws/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Parameter names are short dotted paths; a longer one is a bug upstream. */
#define QUERY_NAME_MAX 512

void gws_query_init(gws_query *q, const char *action, const char *version)
{
	memset(q, 0, sizeof(*q));
	gws_query_add(q, "Action", action);
	gws_query_add(q, "Version", version);
}

void gws_query_dispose(gws_query *q)
{
	size_t i;

	if (!q)
		return;
	for (i = 0; i < q->count; i++) {
		gws_free(q->params[i].name);
		gws_free(q->params[i].value);
	}
	gws_free(q->params);
	memset(q, 0, sizeof(*q));
}

static void fail(gws_query *q, int code)
{
	if (!q->error)
		q->error = code;
}

void gws_query_add(gws_query *q, const char *name, const char *value)
{
	gws_query_param *p;

	if (!value || q->error)
		return;
	if (q->count == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 16;
		gws_query_param *n = gws_reallocarray(q->params, cap, sizeof(*n));
		if (!n) {
			fail(q, GWS_ENOMEM);
			return;
		}
		q->params = n;
		q->cap = cap;
	}
	p = &q->params[q->count];
	p->name = gws_strdup(name);
	p->value = gws_strdup(value);
	if (!p->name || !p->value) {
		gws_free(p->name);
		gws_free(p->value);
		fail(q, GWS_ENOMEM);
		return;
	}
	q->count++;
}

bool gws_query_vname(gws_query *q, char *out, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(out, size, fmt, ap);

	if (n < 0 || (size_t)n >= size) {
		gws_error_set(GWS_ETOOBIG, "query parameter name too long");
		fail(q, GWS_ETOOBIG);
		return false;
	}
	return true;
}

bool gws_query_name(gws_query *q, char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = gws_query_vname(q, out, size, fmt, ap);
	va_end(ap);
	return ok;
}

void gws_query_addf(gws_query *q, const char *value, const char *name_fmt, ...)
{
	char name[QUERY_NAME_MAX];
	va_list ap;
	bool ok;

	if (!value || q->error)
		return;
	va_start(ap, name_fmt);
	ok = gws_query_vname(q, name, sizeof(name), name_fmt, ap);
	va_end(ap);
	if (ok)
		gws_query_add(q, name, value);
}

void gws_query_add_long(gws_query *q, const char *name, long value)
{
	char v[32];

	snprintf(v, sizeof(v), "%ld", value);
	gws_query_add(q, name, v);
}

void gws_query_add_bool(gws_query *q, const char *name, bool value)
{
	gws_query_add(q, name, value ? "true" : "false");
}

const char *gws_query_get(const gws_query *q, const char *name)
{
	size_t i;

	for (i = 0; i < q->count; i++) {
		if (strcmp(q->params[i].name, name) == 0)
			return q->params[i].value;
	}
	return NULL;
}

void gws_query_set(gws_query *q, const char *name, const char *value)
{
	size_t i;
	char *v;

	for (i = 0; i < q->count && !q->error; i++) {
		if (strcmp(q->params[i].name, name) != 0)
			continue;
		if (!(v = gws_strdup(value))) {
			fail(q, GWS_ENOMEM);
			return;
		}
		gws_free(q->params[i].value);
		q->params[i].value = v;
		return;
	}
	gws_query_add(q, name, value);
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

int gws_query__encode_value(gws_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int rc = 0;

	for (i = 0; i < len && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3] = {'%', hex[c >> 4], hex[c & 15]};

		if (unreserved(c))
			rc = gws_buf_putc(out, (char)c);
		else if (c == ' ')
			rc = gws_buf_putc(out, '+');
		else
			rc = gws_buf_put(out, esc, sizeof(esc));
	}
	return rc;
}

int gws_query_encode(const gws_query *q, gws_buf *out)
{
	size_t i;
	int rc;

	if (q->error)
		return gws_error_set(q->error, "cannot build the request: %s",
		                     gws_error_name(q->error));
	for (i = 0; i < q->count; i++) {
		const gws_query_param *p = &q->params[i];

		if (i > 0 && (rc = gws_buf_putc(out, '&')) < 0)
			return rc;
		if ((rc = gws_query__encode_value(out, p->name, strlen(p->name))) < 0 ||
		    (rc = gws_buf_putc(out, '=')) < 0 ||
		    (rc = gws_query__encode_value(out, p->value, strlen(p->value))) < 0)
			return rc;
	}
	return 0;
}
