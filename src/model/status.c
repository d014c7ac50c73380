/*
 * Status conditions: one table of reasons, and the setters that keep a
 * condition list keyed by type with "the first problem wins" semantics.
 */
#include "model/internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Every reason the model writes. Each is one Gateway API defines (docs/gateway-rules.md). */
const char *const gws_model__reasons[] = {
        GWS_REASON_ACCEPTED,
        GWS_REASON_RESOLVED_REFS,
        GWS_REASON_PROGRAMMED,
        GWS_REASON_PENDING,
        GWS_REASON_INVALID,
        GWS_REASON_INVALID_PARAMETERS,
        GWS_REASON_UNSUPPORTED,
        GWS_REASON_LISTENERS_NOT_VALID,
        GWS_REASON_NO_RESOURCES,
        GWS_REASON_PORT_UNAVAILABLE,
        GWS_REASON_UNSUPPORTED_PROTOCOL,
        GWS_REASON_UNSUPPORTED_VALUE,
        GWS_REASON_INVALID_ROUTE_KINDS,
        GWS_REASON_INVALID_CERTIFICATE_REF,
        GWS_REASON_REF_NOT_PERMITTED,
        GWS_REASON_NO_CONFLICTS,
        GWS_REASON_HOSTNAME_CONFLICT,
        GWS_REASON_PROTOCOL_CONFLICT,
        GWS_REASON_NOT_ALLOWED_BY_LISTENERS,
        GWS_REASON_NO_MATCHING_LISTENER_HOSTNAME,
        GWS_REASON_NO_MATCHING_PARENT,
        GWS_REASON_INCOMPATIBLE_FILTERS,
        GWS_REASON_INVALID_KIND,
        GWS_REASON_BACKEND_NOT_FOUND,
        NULL,
};

bool gws_model__reason_known(const char *reason)
{
	size_t i;
	for (i = 0; reason && gws_model__reasons[i]; i++)
		if (strcmp(reason, gws_model__reasons[i]) == 0)
			return true;
	return false;
}

int gws_model__note(gws_model_ctx *ctx, int rc)
{
	if ((rc == GWS_ENOMEM || rc == GWS_ETOOBIG) && ctx->error == 0)
		ctx->error = rc;
	return rc;
}

/*
 * Kubernetes caps a condition message at 32768 characters. Problems joined
 * into one message stop there, with one note that more exist: a route with
 * 100,000 missing backends must neither fail the build (the joined message
 * outgrew every buffer) nor cost quadratic time (each join copied it all).
 */
#define MESSAGE_MAX 32768
static const char more_problems[] = "; (more problems not listed)";

/* `len` cut back to the start of a UTF-8 character, so a cut stays valid text. */
static size_t utf8_cut(const char *s, size_t len)
{
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

/* The message of a condition, cut to MESSAGE_MAX; < 0 only on ENOMEM. */
static int format_message(gws_buf *msg, const char *fmt, va_list ap) GWS_PRINTF(2, 0);

static int format_message(gws_buf *msg, const char *fmt, va_list ap)
{
	va_list again;
	int error;

	va_copy(again, ap);
	error = gws_model__buf_vprintf(msg, fmt, ap);
	if (error == GWS_ETOOBIG) {
		/* longer than a line: cut it (gws_buf_vprintf has disposed of it) */
		char *cut = gws_malloc(MESSAGE_MAX + 1);
		if (cut) {
			vsnprintf(cut, MESSAGE_MAX + 1, fmt, again);
			gws_buf_init(msg, GWS_CAP_LINE);
			error = gws_buf_put(msg, cut, utf8_cut(cut, MESSAGE_MAX - 4));
			if (error == 0)
				error = gws_buf_puts(msg, " ...");
		} else {
			error = GWS_ENOMEM;
		}
		gws_free(cut);
	} else if (error == 0 && msg->size > MESSAGE_MAX) {
		msg->size = utf8_cut(msg->ptr, MESSAGE_MAX - 4);
		msg->ptr[msg->size] = '\0';
		error = gws_buf_puts(msg, " ...");
	}
	va_end(again);
	return error;
}

/* Adds `add` to a False condition's message, up to MESSAGE_MAX. */
static void join_message(gws_model_ctx *ctx, gws_model_status_condition *c, const char *add,
                         size_t add_len)
{
	size_t have = strlen(c->message), tail = sizeof(more_problems) - 1;
	const char *joined;

	if (have >= tail && memcmp(c->message + have - tail, more_problems, tail) == 0)
		return; /* full already */
	if (have + 2 + add_len + tail > MESSAGE_MAX)
		joined = gws_model__printf(ctx, "%s%s", c->message, more_problems);
	else if (strstr(c->message, add))
		return;
	else
		joined = have ? gws_model__printf(ctx, "%s; %s", c->message, add)
		              : gws_model__strdup(ctx, add);
	if (joined)
		c->message = joined;
	else
		gws_model__note(ctx, GWS_ENOMEM);
}

void gws_model__set_conditionv(gws_model_ctx *ctx, gws_model_conditions *conds, const char *type,
                               const char *status, const char *reason, const char *fmt, va_list ap)
{
	gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);
	gws_model_status_condition *c = NULL;
	size_t i;

	assert(gws_model__reason_known(reason));
	if (!gws_model__reason_known(reason))
		reason = GWS_REASON_INVALID;
	for (i = 0; i < conds->n; i++)
		if (strcmp(conds->items[i].type, type) == 0)
			c = &conds->items[i];
	if (gws_model__note(ctx, format_message(&msg, fmt, ap)) < 0)
		return;
	if (c && strcmp(c->status, "False") == 0) {
		/* The first problem keeps its reason; later ones add to the message. */
		if (strcmp(status, "False") == 0 && msg.size)
			join_message(ctx, c, gws_buf_cstr(&msg), msg.size);
		gws_buf_dispose(&msg);
		return;
	}
	if (!c) {
		if (conds->n >= GWS_MODEL_MAX_CONDITIONS) { /* never: at most 5 types are used */
			gws_buf_dispose(&msg);
			return;
		}
		c = &conds->items[conds->n++];
		c->type = type;
	}
	c->status = status;
	c->reason = reason;
	c->message = gws_model__strdup(ctx, gws_buf_cstr(&msg));
	if (!c->message) {
		gws_model__note(ctx, GWS_ENOMEM);
		c->message = "";
	}
	gws_buf_dispose(&msg);
}

void gws_model__set_condition(gws_model_ctx *ctx, gws_model_conditions *conds, const char *type,
                              const char *status, const char *reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	gws_model__set_conditionv(ctx, conds, type, status, reason, fmt, ap);
	va_end(ap);
}

void gws_model__route_condition(gws_model_ctx *ctx, const gws_manifest_object *route,
                                gws_model_route_parent_status *parent, const char *type,
                                const char *status, const char *reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gws_model__set_conditionv(ctx, &parent->conditions, type, status, reason, fmt, ap);
	va_end(ap);
	if (route && strcmp(status, "False") == 0) {
		gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);
		va_start(ap, fmt);
		if (gws_model__note(ctx, format_message(&msg, fmt, ap)) == 0)
			gws_model__note(
			        ctx,
			        gws_manifest_diag(ctx->diags, route, GWS_DIAG_WARNING, NULL,
			                          "Gateway %s/%s: %s=False %s: %s",
			                          parent->namespace_ ? parent->namespace_
			                                             : route->meta.namespace_,
			                          parent->name, type, reason, gws_buf_cstr(&msg)));
		va_end(ap);
		gws_buf_dispose(&msg);
	}
}
