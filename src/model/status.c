/*
 * Status conditions: one table of reasons, and the setters that keep a
 * condition list keyed by type with "the first problem wins" semantics.
 */
#include "model/internal.h"

#include <assert.h>
#include <string.h>

/* Every reason the model writes. Each is named by gateway-api.md §4. */
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
	if (gws_model__note(ctx, gws_model__buf_vprintf(&msg, fmt, ap)) < 0)
		return;
	if (c && strcmp(c->status, "False") == 0) {
		/* The first problem keeps its reason; later ones add to the message. */
		if (strcmp(status, "False") == 0 && *gws_buf_cstr(&msg) &&
		    !strstr(c->message, gws_buf_cstr(&msg))) {
			const char *joined = *c->message
			                             ? gws_model__printf(ctx, "%s; %s", c->message,
			                                                 gws_buf_cstr(&msg))
			                             : gws_model__strdup(ctx, gws_buf_cstr(&msg));
			if (joined)
				c->message = joined;
			else
				gws_model__note(ctx, GWS_ENOMEM);
		}
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
		if (gws_model__note(ctx, gws_model__buf_vprintf(&msg, fmt, ap)) == 0)
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
