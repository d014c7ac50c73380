/*
 * Canonical forms of listener rules and actions, written the same way from
 * the model and from AWS's replies so that a converged rule compares equal
 * as plain strings (docs/reconcile.md, "Comparison"):
 *
 *  - lists whose order AWS ignores (condition values, conditions, forward
 *    target groups) are sorted;
 *  - what AWS fills in when it was not sent is written as if it had been
 *    absent (redirect "#{host}" and friends, a disabled stickiness, the
 *    weight of a forward to one target group, the action Order);
 *  - the legacy `Values` form of host-header and path-pattern conditions
 *    reads like the *Config form;
 *  - target groups are written through a callback, by id or by what they
 *    are in this run (an ARN AWS knows, or one this run creates).
 *
 * Every string is length-prefixed ("5:value"), so no value can forge a
 * separator.
 */
#include <stdlib.h>
#include <string.h>

#include "reconcile/internal.h"

#define CANON_CAP (1u << 20) /* one rule's canonical form */

static int put(gws_buf *b, const char *s)
{
	if (!s)
		return gws_buf_puts(b, "-;");
	return gws_buf_printf(b, "%zu:%s;", strlen(s), s);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends the items of a string list as one sorted, length-prefixed group. */
static int put_sorted(gws_buf *b, const char *const *items, size_t n)
{
	const char **copy;
	int rc = 0;

	if ((rc = gws_buf_printf(b, "[%zu:", n)) < 0 || n == 0)
		return rc < 0 ? rc : gws_buf_puts(b, "]");
	copy = gws_calloc(n, sizeof(*copy));
	if (!copy)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		copy[i] = items[i] ? items[i] : "";
	gws_qsort(copy, n, sizeof(*copy), cmp_cstr);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = put(b, copy[i]);
	gws_free(copy);
	return rc < 0 ? rc : gws_buf_puts(b, "]");
}

/* Joins a list of already canonical parts, sorted. */
static int join_sorted(gws_buf *out, gws_vec *parts)
{
	int rc = 0;

	gws_qsort(parts->items, parts->len, sizeof(void *), cmp_cstr);
	for (size_t i = 0; i < parts->len && rc == 0; i++)
		rc = gws_buf_printf(out, "%s\n", (const char *)parts->items[i]);
	return rc;
}

static void free_parts(gws_vec *parts)
{
	for (size_t i = 0; i < parts->len; i++)
		gws_free(parts->items[i]);
	gws_vec_dispose(parts);
}

static int take_part(gws_vec *parts, gws_buf *b)
{
	char *s = gws_buf_take(b, NULL);
	int rc;

	if (!s)
		return GWS_ENOMEM;
	if ((rc = gws_vec_push(parts, s)) < 0)
		gws_free(s);
	return rc;
}

/* ---- conditions ------------------------------------------------------------------- */

static int query_pairs(gws_buf *b, const char *const *keys, const char *const *values, size_t n)
{
	char **pairs = gws_calloc(n ? n : 1, sizeof(*pairs));
	int rc = 0;

	if (!pairs)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n && rc == 0; i++) {
		/* A missing key matches the value under any key. */
		pairs[i] = gws_asprintf("%zu:%s=%zu:%s", keys[i] ? strlen(keys[i]) : 0,
		                        keys[i] ? keys[i] : "*", strlen(values[i] ? values[i] : ""),
		                        values[i] ? values[i] : "");
		if (!pairs[i])
			rc = GWS_ENOMEM;
	}
	if (rc == 0)
		rc = put_sorted(b, (const char *const *)pairs, n);
	for (size_t i = 0; i < n; i++)
		gws_free(pairs[i]);
	gws_free(pairs);
	return rc;
}

int rc_canon_model_conditions(gws_buf *out, const gws_model_rule *rule)
{
	gws_vec parts = GWS_VEC_INIT;
	gws_buf b = GWS_BUF_INIT(CANON_CAP);
	int rc = 0;

	for (size_t i = 0; i < rule->n_conditions && rc == 0; i++) {
		const gws_model_condition *c = &rule->conditions[i];

		rc = put(&b, gws_model_condition_field_name(c->field));
		if (rc == 0 && c->field == GWS_MODEL_COND_HTTP_HEADER)
			rc = put(&b, c->http_header_name);
		if (rc == 0 && c->field == GWS_MODEL_COND_QUERY_STRING) {
			const char **k = gws_calloc(c->n_query_values + 1, sizeof(*k));
			const char **v = gws_calloc(c->n_query_values + 1, sizeof(*v));

			if (!k || !v)
				rc = GWS_ENOMEM;
			for (size_t q = 0; rc == 0 && q < c->n_query_values; q++) {
				k[q] = c->query_values[q].key;
				v[q] = c->query_values[q].value;
			}
			if (rc == 0)
				rc = query_pairs(&b, k, v, c->n_query_values);
			gws_free(k);
			gws_free(v);
		} else if (rc == 0) {
			rc = put_sorted(&b, c->values.items, c->values.n);
			if (rc == 0)
				rc = put_sorted(&b, c->regex_values.items, c->regex_values.n);
		}
		if (rc == 0)
			rc = take_part(&parts, &b);
	}
	if (rc == 0)
		rc = join_sorted(out, &parts);
	gws_buf_dispose(&b);
	free_parts(&parts);
	return rc;
}

int rc_canon_aws_conditions(gws_buf *out, const gws_elbv2_conditions *conds)
{
	gws_vec parts = GWS_VEC_INIT;
	gws_buf b = GWS_BUF_INIT(CANON_CAP);
	int rc = 0;

	for (size_t i = 0; conds && i < conds->count && rc == 0; i++) {
		const gws_elbv2_condition *c = &conds->items[i];
		const char *f = c->field ? c->field : "";
		const gws_aws_strings *vals = NULL;

		rc = put(&b, f);
		if (strcmp(f, "host-header") == 0)
			vals = c->host_header.count ? &c->host_header : &c->values;
		else if (strcmp(f, "path-pattern") == 0)
			vals = c->path_pattern.count ? &c->path_pattern : &c->values;
		else if (strcmp(f, "http-header") == 0) {
			if (rc == 0)
				rc = put(&b, c->http_header_name);
			vals = &c->http_header_values;
		} else if (strcmp(f, "http-request-method") == 0)
			vals = &c->http_request_method;
		else if (strcmp(f, "source-ip") == 0)
			vals = &c->source_ip;
		if (rc == 0 && strcmp(f, "query-string") == 0) {
			const char **k = gws_calloc(c->query_string.count + 1, sizeof(*k));
			const char **v = gws_calloc(c->query_string.count + 1, sizeof(*v));

			if (!k || !v)
				rc = GWS_ENOMEM;
			for (size_t q = 0; rc == 0 && q < c->query_string.count; q++) {
				k[q] = c->query_string.items[q].key;
				v[q] = c->query_string.items[q].value;
			}
			if (rc == 0)
				rc = query_pairs(&b, k, v, c->query_string.count);
			gws_free(k);
			gws_free(v);
		} else if (rc == 0) {
			rc = put_sorted(&b, vals ? vals->items : NULL, vals ? vals->count : 0);
			/* Regular-expression values are not in the client's replies yet:
			 * a rule that needs them is refused before it gets here. */
			if (rc == 0)
				rc = put_sorted(&b, NULL, 0);
		}
		if (rc == 0)
			rc = take_part(&parts, &b);
	}
	if (rc == 0)
		rc = join_sorted(out, &parts);
	gws_buf_dispose(&b);
	free_parts(&parts);
	return rc;
}

/* ---- actions ------------------------------------------------------------------------- */

typedef struct {
	const char *ref;
	bool has_weight;
	int weight;
} tuple;

static int put_forward(gws_buf *b, tuple *t, size_t n, bool sticky, int duration)
{
	char **items = gws_calloc(n ? n : 1, sizeof(*items));
	int rc = 0;

	if (!items)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n && rc == 0; i++) {
		/* One target group gets all traffic whatever its weight; for several, an
		 * absent weight is AWS's default of 1. */
		if (n == 1)
			items[i] = gws_strdup(t[i].ref ? t[i].ref : "");
		else
			items[i] = gws_asprintf("%s@%d", t[i].ref ? t[i].ref : "",
			                        t[i].has_weight ? t[i].weight : 1);
		if (!items[i])
			rc = GWS_ENOMEM;
	}
	if (rc == 0)
		rc = gws_buf_puts(b, "forward;");
	if (rc == 0)
		rc = put_sorted(b, (const char *const *)items, n);
	/* A disabled stickiness is the same whatever duration AWS echoes. */
	if (rc == 0)
		rc = sticky ? gws_buf_printf(b, "sticky=%d;", duration)
		            : gws_buf_puts(b, "sticky=off;");
	for (size_t i = 0; i < n; i++)
		gws_free(items[i]);
	gws_free(items);
	return rc;
}

static const char *redirect_part(const char *v, const char *aws_default)
{
	return v && strcmp(v, aws_default) != 0 ? v : NULL;
}

static int put_redirect(gws_buf *b, const char *proto, const char *port, const char *host,
                        const char *path, const char *query, const char *code)
{
	int rc = gws_buf_puts(b, "redirect;");

	/* AWS fills what was not sent with the request's own value. */
	if (rc == 0)
		rc = put(b, redirect_part(proto, "#{protocol}"));
	if (rc == 0)
		rc = put(b, redirect_part(port, "#{port}"));
	if (rc == 0)
		rc = put(b, redirect_part(host, "#{host}"));
	if (rc == 0)
		rc = put(b, redirect_part(path, "/#{path}"));
	if (rc == 0)
		rc = put(b, redirect_part(query, "#{query}"));
	if (rc == 0)
		rc = put(b, code);
	return rc;
}

static int put_fixed(gws_buf *b, const char *code, const char *ctype, const char *body)
{
	int rc = gws_buf_puts(b, "fixed-response;");

	if (rc == 0)
		rc = put(b, code);
	if (rc == 0)
		rc = put(b, ctype && *ctype ? ctype : NULL);
	if (rc == 0)
		rc = put(b, body && *body ? body : NULL);
	return rc;
}

static int cmp_model_action(const void *a, const void *b)
{
	const gws_model_action *x = *(const gws_model_action *const *)a;
	const gws_model_action *y = *(const gws_model_action *const *)b;

	return x->order - y->order;
}

static int put_model_action(gws_buf *b, const gws_model_action *a, rc_tg_ref_fn ref, void *ctx)
{
	switch (a->type) {
	case GWS_MODEL_ACTION_FORWARD: {
		const gws_model_forward_config *f = a->forward;
		size_t n = f ? f->n_target_groups : 0;
		tuple *t = gws_calloc(n ? n : 1, sizeof(*t));
		int rc;

		if (!t)
			return GWS_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			t[i].ref = ref(ctx, f->target_groups[i].target_group_id);
			t[i].has_weight = f->target_groups[i].has_weight;
			t[i].weight = f->target_groups[i].weight;
		}
		rc = put_forward(b, t, n, f && f->has_stickiness && f->stickiness_enabled,
		                 f && f->has_stickiness_duration ? f->stickiness_duration_seconds
		                                                 : 0);
		gws_free(t);
		return rc;
	}
	case GWS_MODEL_ACTION_REDIRECT: {
		const gws_model_redirect_config *r = a->redirect;

		return put_redirect(b, r->protocol, r->port, r->host, r->path, r->query,
		                    r->status_code);
	}
	case GWS_MODEL_ACTION_FIXED_RESPONSE: {
		const gws_model_fixed_response_config *f = a->fixed_response;

		return put_fixed(b, f->status_code, f->content_type, f->message_body);
	}
	default:
		/* Authentication actions are refused before comparison (docs/reconcile.md). */
		return gws_buf_printf(b, "%s;", gws_model_action_type_name(a->type));
	}
}

int rc_canon_model_actions(gws_buf *out, const gws_model_action *actions, size_t n, bool network,
                           rc_tg_ref_fn ref, void *ctx)
{
	const gws_model_action **sorted = gws_calloc(n ? n : 1, sizeof(*sorted));
	int rc = 0;

	(void)network;
	if (!sorted)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &actions[i];
	gws_qsort(sorted, n, sizeof(*sorted), cmp_model_action);
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = put_model_action(out, sorted[i], ref, ctx);
		if (rc == 0)
			rc = gws_buf_putc(out, '\n');
	}
	gws_free(sorted);
	return rc;
}

static int cmp_aws_action(const void *a, const void *b)
{
	const gws_elbv2_action *x = *(const gws_elbv2_action *const *)a;
	const gws_elbv2_action *y = *(const gws_elbv2_action *const *)b;

	return x->order - y->order;
}

static int put_aws_action(gws_buf *b, const gws_elbv2_action *a, rc_tg_ref_fn ref, void *ctx)
{
	const char *type = a->type ? a->type : "";

	if (strcmp(type, "forward") == 0) {
		size_t n = a->target_group_count ? a->target_group_count
		                                 : (a->target_group_arn ? 1 : 0);
		tuple *t = gws_calloc(n ? n : 1, sizeof(*t));
		int rc;

		if (!t)
			return GWS_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			if (a->target_group_count) {
				t[i].ref = ref(ctx, a->target_groups[i].target_group_arn);
				t[i].has_weight = a->target_groups[i].has_weight;
				t[i].weight = a->target_groups[i].weight;
			} else {
				t[i].ref = ref(ctx, a->target_group_arn);
			}
		}
		rc = put_forward(b, t, n, a->stickiness_enabled == GWS_AWS_TRUE,
		                 a->stickiness_duration);
		gws_free(t);
		return rc;
	}
	if (strcmp(type, "redirect") == 0)
		return put_redirect(b, a->redirect_protocol, a->redirect_port, a->redirect_host,
		                    a->redirect_path, a->redirect_query, a->redirect_status_code);
	if (strcmp(type, "fixed-response") == 0)
		return put_fixed(b, a->fixed_status_code, a->fixed_content_type,
		                 a->fixed_message_body);
	return gws_buf_printf(b, "%s;", type);
}

int rc_canon_aws_actions(gws_buf *out, const gws_elbv2_actions *actions, bool network,
                         rc_tg_ref_fn ref, void *ctx)
{
	size_t n = actions ? actions->count : 0;
	const gws_elbv2_action **sorted = gws_calloc(n ? n : 1, sizeof(*sorted));
	int rc = 0;

	(void)network;
	if (!sorted)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &actions->items[i];
	gws_qsort(sorted, n, sizeof(*sorted), cmp_aws_action);
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = put_aws_action(out, sorted[i], ref, ctx);
		if (rc == 0)
			rc = gws_buf_putc(out, '\n');
	}
	gws_free(sorted);
	return rc;
}

/* ---- transforms -------------------------------------------------------------------- */

static int put_transform(gws_buf *b, const char *type, const char *const *regex,
                         const char *const *replace, size_t n)
{
	int rc = put(b, type);

	/* Rewrites apply in order: not sorted. */
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = put(b, regex[i]);
		if (rc == 0)
			rc = put(b, replace[i]);
	}
	return rc;
}

int rc_canon_model_transforms(gws_buf *out, const gws_model_transform *t, size_t n)
{
	gws_vec parts = GWS_VEC_INIT;
	gws_buf b = GWS_BUF_INIT(CANON_CAP);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		const char **re = gws_calloc(t[i].n_rewrites + 1, sizeof(*re));
		const char **rp = gws_calloc(t[i].n_rewrites + 1, sizeof(*rp));

		if (!re || !rp)
			rc = GWS_ENOMEM;
		for (size_t k = 0; rc == 0 && k < t[i].n_rewrites; k++) {
			re[k] = t[i].rewrites[k].regex;
			rp[k] = t[i].rewrites[k].replace;
		}
		if (rc == 0)
			rc = put_transform(&b, gws_model_transform_type_name(t[i].type), re, rp,
			                   t[i].n_rewrites);
		if (rc == 0)
			rc = take_part(&parts, &b);
		gws_free(re);
		gws_free(rp);
	}
	if (rc == 0)
		rc = join_sorted(out, &parts);
	gws_buf_dispose(&b);
	free_parts(&parts);
	return rc;
}

int rc_canon_aws_transforms(gws_buf *out, const gws_elbv2_transforms *t)
{
	gws_vec parts = GWS_VEC_INIT;
	gws_buf b = GWS_BUF_INIT(CANON_CAP);
	int rc = 0;

	for (size_t i = 0; t && i < t->count && rc == 0; i++) {
		const gws_elbv2_transform *x = &t->items[i];
		const char **re = gws_calloc(x->rewrite_count + 1, sizeof(*re));
		const char **rp = gws_calloc(x->rewrite_count + 1, sizeof(*rp));

		if (!re || !rp)
			rc = GWS_ENOMEM;
		for (size_t k = 0; rc == 0 && k < x->rewrite_count; k++) {
			re[k] = x->rewrites[k].regex;
			rp[k] = x->rewrites[k].replace;
		}
		if (rc == 0)
			rc = put_transform(&b, x->type, re, rp, x->rewrite_count);
		if (rc == 0)
			rc = take_part(&parts, &b);
		gws_free(re);
		gws_free(rp);
	}
	if (rc == 0)
		rc = join_sorted(out, &parts);
	gws_buf_dispose(&b);
	free_parts(&parts);
	return rc;
}

const char *rc_hash(gws_reconcile *r, const char *text, size_t len)
{
	unsigned char digest[GWS_SHA256_LEN];
	char hex[2 * GWS_SHA256_LEN + 1];

	gws_sha256(text, len, digest);
	gws_hex_encode(hex, digest, GWS_SHA256_LEN);
	return gws_arena_strndup(r->arena, hex, RC_HASH_HEX);
}
