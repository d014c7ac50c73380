/*
 * A rule's conditions, actions and transforms in words, for the rules table
 * and the diagram of SUMMARY.md ("host a.example.com and path /api/…",
 * "forward to k8s-… (weight 80)"). The text is raw: callers escape it for
 * Markdown or Mermaid.
 */
#include "report/internal.h"

#include <string.h>

#define MAX_BODY 60 /* characters of a fixed response body shown */

static int values(gws_buf *out, const gws_model_strs *v, const char *prefix)
{
	int error = 0;
	for (size_t i = 0; i < v->n && !error; i++)
		error = gws_buf_printf(out, "%s%s%s", i ? " or " : "", prefix, v->items[i]);
	return error;
}

static int one_condition(gws_buf *out, const gws_model_condition *c)
{
	int error = 0;
	switch (c->field) {
	case GWS_MODEL_COND_HOST_HEADER:
	case GWS_MODEL_COND_PATH_PATTERN:
		error = gws_buf_puts(out,
		                     c->field == GWS_MODEL_COND_HOST_HEADER ? "host " : "path ");
		break;
	case GWS_MODEL_COND_HTTP_HEADER:
		error = gws_buf_printf(
		        out, "header %s: ", c->http_header_name ? c->http_header_name : "");
		break;
	case GWS_MODEL_COND_QUERY_STRING:
		error = gws_buf_puts(out, "query ");
		for (size_t i = 0; i < c->n_query_values && !error; i++) {
			const gws_model_query_value *q = &c->query_values[i];
			error = gws_buf_printf(out, "%s%s%s%s", i ? " or " : "",
			                       q->key ? q->key : "", q->key ? "=" : "",
			                       q->value ? q->value : "");
		}
		return error;
	case GWS_MODEL_COND_HTTP_REQUEST_METHOD:
		error = gws_buf_puts(out, "method ");
		break;
	case GWS_MODEL_COND_SOURCE_IP:
		error = gws_buf_puts(out, "source-ip ");
		break;
	}
	if (!error)
		error = values(out, &c->values, "");
	if (!error && c->values.n && c->regex_values.n)
		error = gws_buf_puts(out, " or ");
	if (!error)
		error = values(out, &c->regex_values, "~ ");
	return error;
}

int gws_report__describe_conditions(gws_buf *out, const gws_model_condition *c, size_t n)
{
	int error = 0;
	if (n == 0)
		return gws_buf_puts(out, "any request");
	for (size_t i = 0; i < n && !error; i++) {
		if (i)
			error = gws_buf_puts(out, " and ");
		if (!error)
			error = one_condition(out, &c[i]);
	}
	return error;
}

const gws_model_target_group *gws_report__find_tg(const gws_model_stack *stack, const char *id)
{
	for (size_t i = 0; stack && id && i < stack->n_target_groups; i++)
		if (strcmp(stack->target_groups[i]->id, id) == 0)
			return stack->target_groups[i];
	return NULL;
}

static int forward(gws_buf *out, const gws_model_stack *stack, const gws_model_forward_config *f)
{
	int error = gws_buf_puts(out, "forward to ");
	for (size_t i = 0; f && i < f->n_target_groups && !error; i++) {
		const gws_model_tg_tuple *t = &f->target_groups[i];
		const gws_model_target_group *tg = gws_report__find_tg(stack, t->target_group_id);
		error = gws_buf_printf(out, "%s%s", i ? ", " : "",
		                       tg && tg->name ? tg->name : t->target_group_id);
		if (!error && t->has_weight)
			error = gws_buf_printf(out, " (weight %d)", t->weight);
	}
	if (!error && f && f->has_stickiness && f->stickiness_enabled)
		error = f->has_stickiness_duration ? gws_buf_printf(out, ", sticky for %d s",
		                                                    f->stickiness_duration_seconds)
		                                   : gws_buf_puts(out, ", sticky");
	return error;
}

static int redirect(gws_buf *out, const gws_model_redirect_config *r)
{
	const char *code = r->status_code ? r->status_code : "";
	if (gws_str_startswith(code, "HTTP_"))
		code += 5;
	/* Absent parts keep the request's own, which ALB writes as #{part}. */
	return gws_buf_printf(out, "redirect %s to %s://%s:%s%s?%s", code,
	                      r->protocol ? r->protocol : "#{protocol}",
	                      r->host ? r->host : "#{host}", r->port ? r->port : "#{port}",
	                      r->path ? r->path : "/#{path}", r->query ? r->query : "#{query}");
}

static int fixed(gws_buf *out, const gws_model_fixed_response_config *f)
{
	int error = gws_buf_printf(out, "fixed response %s", f->status_code ? f->status_code : "");
	if (!error && f->content_type)
		error = gws_buf_printf(out, " (%s)", f->content_type);
	if (!error && f->message_body && *f->message_body) {
		size_t len = strlen(f->message_body), cut = len > MAX_BODY ? MAX_BODY : len;
		/* Cut on a character boundary. */
		while (cut < len && ((unsigned char)f->message_body[cut] & 0xc0) == 0x80)
			cut--;
		error = gws_buf_puts(out, ": ");
		if (!error)
			error = gws_buf_put(out, f->message_body, cut);
		if (!error && cut < len)
			error = gws_buf_puts(out, "\xe2\x80\xa6");
	}
	return error;
}

int gws_report__describe_actions(gws_buf *out, const gws_model_stack *stack,
                                 const gws_model_action *a, size_t n)
{
	int error = 0;
	for (size_t i = 0; i < n && !error; i++) {
		if (i)
			error = gws_buf_puts(out, ", then ");
		if (error)
			break;
		switch (a[i].type) {
		case GWS_MODEL_ACTION_FORWARD:
			error = forward(out, stack, a[i].forward);
			break;
		case GWS_MODEL_ACTION_REDIRECT:
			error = a[i].redirect ? redirect(out, a[i].redirect)
			                      : gws_buf_puts(out, "redirect");
			break;
		case GWS_MODEL_ACTION_FIXED_RESPONSE:
			error = a[i].fixed_response ? fixed(out, a[i].fixed_response)
			                            : gws_buf_puts(out, "fixed response");
			break;
		case GWS_MODEL_ACTION_AUTHENTICATE_OIDC:
			error = gws_buf_printf(out, "authenticate with OIDC (issuer %s)",
			                       a[i].authenticate_oidc &&
			                                       a[i].authenticate_oidc->issuer
			                               ? a[i].authenticate_oidc->issuer
			                               : "?");
			break;
		case GWS_MODEL_ACTION_AUTHENTICATE_COGNITO:
			error = gws_buf_puts(out, "authenticate with Cognito");
			break;
		case GWS_MODEL_ACTION_JWT_VALIDATION:
			error = gws_buf_printf(out, "validate a JWT (issuer %s)",
			                       a[i].jwt_validation && a[i].jwt_validation->issuer
			                               ? a[i].jwt_validation->issuer
			                               : "?");
			break;
		}
	}
	return error;
}

int gws_report__describe_transforms(gws_buf *out, const gws_model_transform *t, size_t n)
{
	int error = 0;
	for (size_t i = 0; i < n && !error; i++)
		for (size_t k = 0; k < t[i].n_rewrites && !error; k++)
			error = gws_buf_printf(
			        out, "%srewrite %s %s \xe2\x86\x92 %s", i || k ? "; " : "",
			        t[i].type == GWS_MODEL_TRANSFORM_HOST_HEADER_REWRITE ? "host"
			                                                             : "URL",
			        t[i].rewrites[k].regex ? t[i].rewrites[k].regex : "",
			        t[i].rewrites[k].replace ? t[i].rewrites[k].replace : "");
	return error;
}
