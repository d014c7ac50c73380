/*
 * Human descriptions of rules, actions and transforms, for the plan's
 * before → after lines. They are for reading, not comparing (canon.c
 * compares): target groups are named, not referenced by ARN.
 */
#include <string.h>

#include "reconcile/describe.h"

#define DESC_CAP (64u * 1024)

static const char *finish(gws_reconcile *r, gws_buf *b, int rc)
{
	const char *out = rc < 0 ? NULL : gws_arena_strdup(r->arena, gws_buf_cstr(b));

	gws_buf_dispose(b);
	return out;
}

static int join(gws_buf *b, const char *const *items, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = gws_buf_printf(b, "%s%s", i ? ", " : "", items[i] ? items[i] : "");
	return rc;
}

const char *rc_describe_strings(gws_reconcile *r, const char *const *items, size_t n)
{
	gws_buf b = GWS_BUF_INIT(DESC_CAP);

	return finish(r, &b, n ? join(&b, items, n) : gws_buf_puts(&b, "(none)"));
}

const char *rc_describe_int(gws_reconcile *r, long v)
{
	return gws_arena_printf(r->arena, "%ld", v);
}

const char *rc_describe_tg_arn(gws_reconcile *r, const char *arn)
{
	for (size_t i = 0; arn && i < r->obs.n_tgs; i++)
		if (r->obs.tgs[i].aws->arn && strcmp(r->obs.tgs[i].aws->arn, arn) == 0)
			return r->obs.tgs[i].aws->name;
	return arn;
}

/* ---- conditions --------------------------------------------------------------- */

static int query(gws_buf *b, const char *key, const char *value, bool first)
{
	return gws_buf_printf(b, "%s%s%s%s", first ? "" : ", ", key ? key : "", key ? "=" : "",
	                      value ? value : "");
}

const char *rc_describe_model_conditions(gws_reconcile *r, const gws_model_rule *rule)
{
	gws_buf b = GWS_BUF_INIT(DESC_CAP);
	int rc = 0;

	for (size_t i = 0; i < rule->n_conditions && rc == 0; i++) {
		const gws_model_condition *c = &rule->conditions[i];

		rc = gws_buf_printf(&b, "%s%s ", i ? "; " : "",
		                    gws_model_condition_field_name(c->field));
		if (rc == 0 && c->http_header_name)
			rc = gws_buf_printf(&b, "%s: ", c->http_header_name);
		for (size_t q = 0; rc == 0 && q < c->n_query_values; q++)
			rc = query(&b, c->query_values[q].key, c->query_values[q].value, q == 0);
		if (rc == 0)
			rc = join(&b, c->values.items, c->values.n);
		if (rc == 0 && c->regex_values.n) {
			rc = gws_buf_printf(&b, "%sregex ", c->values.n ? ", " : "");
			if (rc == 0)
				rc = join(&b, c->regex_values.items, c->regex_values.n);
		}
	}
	if (rc == 0 && !rule->n_conditions)
		rc = gws_buf_puts(&b, "(any request)");
	return finish(r, &b, rc);
}

const char *rc_describe_aws_conditions(gws_reconcile *r, const gws_elbv2_conditions *conds)
{
	gws_buf b = GWS_BUF_INIT(DESC_CAP);
	int rc = 0;

	for (size_t i = 0; conds && i < conds->count && rc == 0; i++) {
		const gws_elbv2_condition *c = &conds->items[i];
		const gws_aws_strings *v = &c->values;

		rc = gws_buf_printf(&b, "%s%s ", i ? "; " : "", c->field ? c->field : "?");
		if (c->host_header.count)
			v = &c->host_header;
		else if (c->path_pattern.count)
			v = &c->path_pattern;
		else if (c->http_header_values.count)
			v = &c->http_header_values;
		else if (c->http_request_method.count)
			v = &c->http_request_method;
		else if (c->source_ip.count)
			v = &c->source_ip;
		if (rc == 0 && c->http_header_name)
			rc = gws_buf_printf(&b, "%s: ", c->http_header_name);
		for (size_t q = 0; rc == 0 && q < c->query_string.count; q++)
			rc = query(&b, c->query_string.items[q].key, c->query_string.items[q].value,
			           q == 0);
		if (rc == 0)
			rc = join(&b, v->items, v->count);
	}
	if (rc == 0 && (!conds || !conds->count))
		rc = gws_buf_puts(&b, "(any request)");
	return finish(r, &b, rc);
}

/* ---- actions ------------------------------------------------------------------------ */

static int redirect(gws_buf *b, const char *proto, const char *host, const char *port,
                    const char *path, const char *query_, const char *code)
{
	return gws_buf_printf(b, "redirect %s://%s:%s%s%s%s (%s)", proto ? proto : "#{protocol}",
	                      host ? host : "#{host}", port ? port : "#{port}",
	                      path ? path : "/#{path}", query_ ? "?" : "", query_ ? query_ : "",
	                      code ? code : "");
}

static int fixed(gws_buf *b, const char *code, const char *ctype, const char *body)
{
	return gws_buf_printf(b, "fixed-response %s%s%s%s%s", code ? code : "", ctype ? " " : "",
	                      ctype ? ctype : "", body ? " " : "", body ? "(with body)" : "");
}

static const char *model_tg_name(rc_stackplan *sp, const char *id)
{
	rc_tgmap *m = rc_tg_find(sp, id);

	return m ? m->model->name : id;
}

const char *rc_describe_model_actions(gws_reconcile *r, rc_stackplan *sp, const gws_model_action *a,
                                      size_t n)
{
	gws_buf b = GWS_BUF_INIT(DESC_CAP);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		if (i)
			rc = gws_buf_puts(&b, "; ");
		if (rc < 0)
			break;
		switch (a[i].type) {
		case GWS_MODEL_ACTION_FORWARD: {
			const gws_model_forward_config *f = a[i].forward;

			rc = gws_buf_puts(&b, "forward ");
			for (size_t k = 0; rc == 0 && f && k < f->n_target_groups; k++) {
				rc = gws_buf_printf(
				        &b, "%s%s", k ? ", " : "",
				        model_tg_name(sp, f->target_groups[k].target_group_id));
				if (rc == 0 && f->target_groups[k].has_weight &&
				    f->n_target_groups > 1)
					rc = gws_buf_printf(&b, " (%d)",
					                    f->target_groups[k].weight);
			}
			if (rc == 0 && f && f->has_stickiness && f->stickiness_enabled)
				rc = gws_buf_puts(&b, ", sticky");
			break;
		}
		case GWS_MODEL_ACTION_REDIRECT: {
			const gws_model_redirect_config *x = a[i].redirect;

			rc = redirect(&b, x->protocol, x->host, x->port, x->path, x->query,
			              x->status_code);
			break;
		}
		case GWS_MODEL_ACTION_FIXED_RESPONSE:
			rc = fixed(&b, a[i].fixed_response->status_code,
			           a[i].fixed_response->content_type,
			           a[i].fixed_response->message_body);
			break;
		default:
			rc = gws_buf_puts(&b, gws_model_action_type_name(a[i].type));
		}
	}
	return finish(r, &b, rc);
}

static bool is_default_redirect(const char *v, const char *def)
{
	return !v || strcmp(v, def) == 0;
}

const char *rc_describe_aws_actions(gws_reconcile *r, const gws_elbv2_actions *a)
{
	gws_buf b = GWS_BUF_INIT(DESC_CAP);
	int rc = 0;

	for (size_t i = 0; a && i < a->count && rc == 0; i++) {
		const gws_elbv2_action *x = &a->items[i];
		const char *type = x->type ? x->type : "?";

		if (i)
			rc = gws_buf_puts(&b, "; ");
		if (rc < 0)
			break;
		if (strcmp(type, "forward") == 0) {
			rc = gws_buf_puts(&b, "forward ");
			if (!x->target_group_count && rc == 0)
				rc = gws_buf_puts(&b, rc_describe_tg_arn(r, x->target_group_arn));
			for (size_t k = 0; rc == 0 && k < x->target_group_count; k++) {
				rc = gws_buf_printf(
				        &b, "%s%s", k ? ", " : "",
				        rc_describe_tg_arn(r,
				                           x->target_groups[k].target_group_arn));
				if (rc == 0 && x->target_groups[k].has_weight &&
				    x->target_group_count > 1)
					rc = gws_buf_printf(&b, " (%d)",
					                    x->target_groups[k].weight);
			}
			if (rc == 0 && x->stickiness_enabled == GWS_AWS_TRUE)
				rc = gws_buf_puts(&b, ", sticky");
		} else if (strcmp(type, "redirect") == 0) {
			rc = redirect(
			        &b,
			        is_default_redirect(x->redirect_protocol, "#{protocol}")
			                ? NULL
			                : x->redirect_protocol,
			        is_default_redirect(x->redirect_host, "#{host}") ? NULL
			                                                         : x->redirect_host,
			        is_default_redirect(x->redirect_port, "#{port}") ? NULL
			                                                         : x->redirect_port,
			        is_default_redirect(x->redirect_path, "/#{path}")
			                ? NULL
			                : x->redirect_path,
			        is_default_redirect(x->redirect_query, "#{query}")
			                ? NULL
			                : x->redirect_query,
			        x->redirect_status_code);
		} else if (strcmp(type, "fixed-response") == 0) {
			rc = fixed(&b, x->fixed_status_code, x->fixed_content_type,
			           x->fixed_message_body && *x->fixed_message_body
			                   ? x->fixed_message_body
			                   : NULL);
		} else {
			rc = gws_buf_puts(&b, type);
		}
	}
	if (rc == 0 && (!a || !a->count))
		rc = gws_buf_puts(&b, "(none)");
	return finish(r, &b, rc);
}

const char *rc_describe_model_transforms(gws_reconcile *r, const gws_model_transform *t, size_t n)
{
	gws_buf b = GWS_BUF_INIT(DESC_CAP);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = gws_buf_printf(&b, "%s%s", i ? "; " : "",
		                    gws_model_transform_type_name(t[i].type));
		for (size_t k = 0; rc == 0 && k < t[i].n_rewrites; k++)
			rc = gws_buf_printf(&b, " %s -> %s", t[i].rewrites[k].regex,
			                    t[i].rewrites[k].replace);
	}
	if (rc == 0 && !n)
		rc = gws_buf_puts(&b, "(none)");
	return finish(r, &b, rc);
}

const char *rc_describe_aws_transforms(gws_reconcile *r, const gws_elbv2_transforms *t)
{
	gws_buf b = GWS_BUF_INIT(DESC_CAP);
	int rc = 0;

	for (size_t i = 0; t && i < t->count && rc == 0; i++) {
		rc = gws_buf_printf(&b, "%s%s", i ? "; " : "",
		                    t->items[i].type ? t->items[i].type : "?");
		for (size_t k = 0; rc == 0 && k < t->items[i].rewrite_count; k++)
			rc = gws_buf_printf(&b, " %s -> %s", t->items[i].rewrites[k].regex,
			                    t->items[i].rewrites[k].replace);
	}
	if (rc == 0 && (!t || !t->count))
		rc = gws_buf_puts(&b, "(none)");
	return finish(r, &b, rc);
}
