/*
 * libFuzzer target for the plan/diff normalizer (src/reconcile/canon.c): the
 * canonical forms that make a converged rule compare equal whether it is
 * written from the model or read back from AWS. The input drives a small
 * builder of one model rule (conditions and actions); then:
 *
 *  1. the rule's conditions, converted to the request gwsync sends
 *     (rc_aws_conditions) and read back, canonicalize exactly as the model
 *     does, in the *Config form and in the legacy Values form;
 *  2. the order of conditions and of their values does not matter;
 *  3. two rules whose value lists differ (one character moved from one value
 *     to the next) never share a canonical form;
 *  4. the actions, echoed the way AWS echoes them (weights filled in, a
 *     redirect's "#{host}" defaults, a disabled stickiness with any
 *     duration), canonicalize exactly as the model's actions.
 *
 * An input starting with '<' is also read as a DescribeRules page; each rule
 * canonicalizes twice to the same string and regardless of the order of its
 * conditions. Any difference aborts with both forms printed.
 *
 *   cmake -S . -B build-fuzz -DGWSYNC_FUZZ=ON -DCMAKE_C_COMPILER=clang
 *   cmake --build build-fuzz --target fuzz_canon
 *   build-fuzz/tests/fuzz_canon -max_total_time=1800 tests/fuzz/corpus/canon
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/elbv2.h"
#include "aws/xml.h"
#include "reconcile/convert.h"
#include "reconcile/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	const uint8_t *p;
	size_t n;
} reader;

static unsigned next(reader *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

/* A string of up to 15 input bytes (NUL bytes become 'x': C strings). */
static char *next_str(gws_arena *a, reader *r)
{
	size_t len = next(r) % 16;
	char *s = gws_arena_alloc(a, len + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned c = next(r);
		s[i] = (char)(c ? c : 'x');
	}
	s[len] = '\0';
	return s;
}

static void mismatch(const char *what, const gws_buf *a, const gws_buf *b)
{
	fprintf(stderr, "fuzz_canon: %s\n--- one\n%.*s\n--- other\n%.*s\n", what, (int)a->size,
	        a->ptr ? a->ptr : "", (int)b->size, b->ptr ? b->ptr : "");
	abort();
}

static bool same(const gws_buf *a, const gws_buf *b)
{
	return a->size == b->size && (a->size == 0 || memcmp(a->ptr, b->ptr, a->size) == 0);
}

static const char *ref_self(void *ctx, const char *id)
{
	(void)ctx;
	return id;
}

/* ---- the model rule ------------------------------------------------------------------ */

static bool build_strs(gws_arena *a, reader *r, gws_model_strs *out, size_t max)
{
	out->n = next(r) % (max + 1);
	out->items = gws_arena_calloc(a, out->n ? out->n : 1, sizeof(*out->items));
	if (!out->items)
		return false;
	for (size_t i = 0; i < out->n; i++)
		if (!(out->items[i] = next_str(a, r)))
			return false;
	return true;
}

static bool build_conditions(gws_arena *a, reader *r, gws_model_rule *rule)
{
	rule->n_conditions = next(r) % 6;
	rule->conditions = gws_arena_calloc(a, rule->n_conditions + 1, sizeof(*rule->conditions));
	if (!rule->conditions)
		return false;
	for (size_t i = 0; i < rule->n_conditions; i++) {
		gws_model_condition *c = &rule->conditions[i];

		c->field = (gws_model_condition_field)(next(r) % 6);
		if (c->field == GWS_MODEL_COND_QUERY_STRING) {
			c->n_query_values = next(r) % 4;
			c->query_values = gws_arena_calloc(a, c->n_query_values + 1,
			                                   sizeof(*c->query_values));
			if (!c->query_values)
				return false;
			for (size_t q = 0; q < c->n_query_values; q++) {
				/* No key: the value matches under any key. */
				c->query_values[q].key = next(r) & 1 ? next_str(a, r) : NULL;
				if (!(c->query_values[q].value = next_str(a, r)))
					return false;
			}
			continue;
		}
		if (c->field == GWS_MODEL_COND_HTTP_HEADER &&
		    !(c->http_header_name = next_str(a, r)))
			return false;
		/* Regular expressions are refused before comparison (canon.c): none here. */
		if (!build_strs(a, r, &c->values, 5))
			return false;
	}
	return true;
}

static bool build_actions(gws_arena *a, reader *r, gws_model_rule *rule)
{
	rule->n_actions = 1 + next(r) % 3;
	rule->actions = gws_arena_calloc(a, rule->n_actions, sizeof(*rule->actions));
	if (!rule->actions)
		return false;
	for (size_t i = 0; i < rule->n_actions; i++) {
		gws_model_action *x = &rule->actions[i];

		/* Orders are distinct, as AWS requires, but not in list order. */
		x->order = (int)(rule->n_actions - i);
		x->type = (gws_model_action_type)(next(r) % 3);
		if (x->type == GWS_MODEL_ACTION_FORWARD) {
			gws_model_forward_config *f = gws_arena_calloc(a, 1, sizeof(*f));

			if (!f)
				return false;
			f->n_target_groups = 1 + next(r) % 5;
			f->target_groups =
			        gws_arena_calloc(a, f->n_target_groups, sizeof(*f->target_groups));
			if (!f->target_groups)
				return false;
			for (size_t t = 0; t < f->n_target_groups; t++) {
				f->target_groups[t].target_group_id =
				        gws_arena_printf(a, "tg-%u", next(r) % 8);
				f->target_groups[t].has_weight = next(r) & 1;
				f->target_groups[t].weight = (int)(next(r) * 4 % 1000);
				if (!f->target_groups[t].target_group_id)
					return false;
			}
			f->has_stickiness = next(r) & 1;
			f->stickiness_enabled = f->has_stickiness && (next(r) & 1);
			f->has_stickiness_duration = f->stickiness_enabled;
			f->stickiness_duration_seconds = 1 + (int)next(r) * 300;
			x->forward = f;
		} else if (x->type == GWS_MODEL_ACTION_REDIRECT) {
			gws_model_redirect_config *d = gws_arena_calloc(a, 1, sizeof(*d));
			const char **parts[] = {&d->protocol, &d->port, &d->host, &d->path,
			                        &d->query};

			if (!d)
				return false;
			for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
				*parts[k] = next(r) & 1 ? next_str(a, r) : NULL;
			d->status_code = next(r) & 1 ? "HTTP_301" : "HTTP_302";
			x->redirect = d;
		} else {
			gws_model_fixed_response_config *fr = gws_arena_calloc(a, 1, sizeof(*fr));

			if (!fr)
				return false;
			fr->status_code = gws_arena_printf(a, "%u", 200 + next(r) % 400);
			fr->content_type = next(r) & 1 ? "text/plain" : NULL;
			fr->message_body = next(r) & 1 ? next_str(a, r) : NULL;
			x->fixed_response = fr;
		}
	}
	return true;
}

/* ---- AWS's echo of what gwsync sent --------------------------------------------------- */

static const char *or_default(const char *v, const char *aws_default)
{
	return v ? v : aws_default;
}

static bool echo_actions(gws_arena *a, reader *r, const gws_model_rule *rule,
                         gws_elbv2_actions *out)
{
	out->count = rule->n_actions;
	out->items = gws_arena_calloc(a, out->count, sizeof(*out->items));
	if (!out->items)
		return false;
	/* AWS lists actions by Order. */
	for (size_t i = 0; i < rule->n_actions; i++) {
		const gws_model_action *x = &rule->actions[rule->n_actions - 1 - i];
		gws_elbv2_action *o = &out->items[i];

		o->order = x->order;
		if (x->type == GWS_MODEL_ACTION_FORWARD) {
			const gws_model_forward_config *f = x->forward;

			o->type = "forward";
			o->target_group_count = f->n_target_groups;
			o->target_groups =
			        gws_arena_calloc(a, f->n_target_groups, sizeof(*o->target_groups));
			if (!o->target_groups)
				return false;
			for (size_t t = 0; t < f->n_target_groups; t++) {
				/* Every tuple comes back with a Weight; an absent one is 1. */
				o->target_groups[t].target_group_arn =
				        f->target_groups[t].target_group_id;
				o->target_groups[t].has_weight = true;
				o->target_groups[t].weight = f->target_groups[t].has_weight
				                                     ? f->target_groups[t].weight
				                                     : 1;
			}
			if (f->n_target_groups == 1)
				o->target_group_arn = f->target_groups[0].target_group_id;
			o->stickiness_enabled =
			        f->stickiness_enabled ? GWS_AWS_TRUE : GWS_AWS_FALSE;
			/* A disabled stickiness comes back with whatever duration AWS keeps. */
			o->stickiness_duration = f->stickiness_enabled
			                                 ? f->stickiness_duration_seconds
			                                 : (int)next(r) * 60;
		} else if (x->type == GWS_MODEL_ACTION_REDIRECT) {
			const gws_model_redirect_config *d = x->redirect;

			o->type = "redirect";
			o->redirect_protocol = or_default(d->protocol, "#{protocol}");
			o->redirect_port = or_default(d->port, "#{port}");
			o->redirect_host = or_default(d->host, "#{host}");
			o->redirect_path = or_default(d->path, "/#{path}");
			o->redirect_query = or_default(d->query, "#{query}");
			o->redirect_status_code = d->status_code;
		} else {
			o->type = "fixed-response";
			o->fixed_status_code = x->fixed_response->status_code;
			o->fixed_content_type = x->fixed_response->content_type;
			o->fixed_message_body = x->fixed_response->message_body;
		}
	}
	return true;
}

/* The legacy form of host-header and path-pattern: Values instead of *Config. */
static void to_legacy(gws_elbv2_conditions *c)
{
	for (size_t i = 0; i < c->count; i++) {
		gws_elbv2_condition *x = &c->items[i];
		gws_aws_strings *cfg = strcmp(x->field, "host-header") == 0    ? &x->host_header
		                       : strcmp(x->field, "path-pattern") == 0 ? &x->path_pattern
		                                                               : NULL;

		if (cfg) {
			x->values = *cfg;
			cfg->items = NULL;
			cfg->count = 0;
		}
	}
}

static void reverse_strs(const char **items, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		const char *t = items[i];
		items[i] = items[n - 1 - i];
		items[n - 1 - i] = t;
	}
}

static void reverse_model(gws_model_rule *rule)
{
	for (size_t i = 0; i < rule->n_conditions / 2; i++) {
		gws_model_condition t = rule->conditions[i];
		rule->conditions[i] = rule->conditions[rule->n_conditions - 1 - i];
		rule->conditions[rule->n_conditions - 1 - i] = t;
	}
	for (size_t i = 0; i < rule->n_conditions; i++) {
		gws_model_condition *c = &rule->conditions[i];

		reverse_strs(c->values.items, c->values.n);
		for (size_t q = 0; q < c->n_query_values / 2; q++) {
			gws_model_query_value t = c->query_values[q];
			c->query_values[q] = c->query_values[c->n_query_values - 1 - q];
			c->query_values[c->n_query_values - 1 - q] = t;
		}
	}
}

static int cmp_cstr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool same_multiset(gws_arena *a, const gws_model_strs *x, const gws_model_strs *y)
{
	const char **s = gws_arena_calloc(a, x->n + 1, sizeof(*s));
	const char **t = gws_arena_calloc(a, y->n + 1, sizeof(*t));

	if (!s || !t || x->n != y->n)
		return false;
	memcpy(s, x->items, x->n * sizeof(*s));
	memcpy(t, y->items, y->n * sizeof(*t));
	gws_qsort(s, x->n, sizeof(*s), cmp_cstr);
	gws_qsort(t, y->n, sizeof(*t), cmp_cstr);
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(s[i], t[i]) != 0)
			return false;
	return true;
}

/* Property 3: the first condition with two values, one character moved from
 * the end of the first value to the start of the second. */
static void check_injective(gws_reconcile *r, gws_model_rule *rule, const gws_buf *canon)
{
	for (size_t i = 0; i < rule->n_conditions; i++) {
		gws_model_condition *c = &rule->conditions[i];
		gws_model_strs before = c->values, after;
		gws_buf other = GWS_BUF_INIT(1u << 20);
		size_t len;

		if (c->field == GWS_MODEL_COND_QUERY_STRING || c->values.n < 2 ||
		    !(len = strlen(c->values.items[0])))
			continue;
		after.n = before.n;
		after.items = gws_arena_calloc(r->arena, after.n, sizeof(*after.items));
		if (!after.items)
			return;
		memcpy(after.items, before.items, after.n * sizeof(*after.items));
		after.items[0] = gws_arena_strndup(r->arena, before.items[0], len - 1);
		after.items[1] = gws_arena_printf(r->arena, "%c%s", before.items[0][len - 1],
		                                  before.items[1]);
		if (!after.items[0] || !after.items[1])
			return;
		c->values = after;
		if (rc_canon_model_conditions(&other, rule) == 0 && same(canon, &other) &&
		    !same_multiset(r->arena, &before, &after))
			mismatch("different conditions share a canonical form", canon, &other);
		c->values = before;
		gws_buf_dispose(&other);
		return;
	}
}

static void check_model_rule(gws_reconcile *r, reader *in)
{
	gws_model_rule rule;
	gws_elbv2_conditions conds;
	gws_elbv2_actions acts;
	gws_buf m = GWS_BUF_INIT(1u << 20), w = GWS_BUF_INIT(1u << 20);

	memset(&rule, 0, sizeof(rule));
	if (!build_conditions(r->arena, in, &rule) || !build_actions(r->arena, in, &rule) ||
	    !echo_actions(r->arena, in, &rule, &acts))
		goto cleanup;

	/* 1: what is sent comes back equal, in both condition forms. */
	if (rc_canon_model_conditions(&m, &rule) < 0 || rc_aws_conditions(r, &rule, &conds) < 0 ||
	    rc_canon_aws_conditions(&w, &conds) < 0)
		goto cleanup;
	if (!same(&m, &w))
		mismatch("model conditions vs their AWS form", &m, &w);
	gws_buf_clear(&w);
	to_legacy(&conds);
	if (rc_canon_aws_conditions(&w, &conds) < 0)
		goto cleanup;
	if (!same(&m, &w))
		mismatch("model conditions vs the legacy Values form", &m, &w);

	/* 3, then 2: order does not matter. */
	check_injective(r, &rule, &m);
	gws_buf_clear(&w);
	reverse_model(&rule);
	if (rc_canon_model_conditions(&w, &rule) < 0)
		goto cleanup;
	if (!same(&m, &w))
		mismatch("conditions in another order", &m, &w);

	/* 4: actions. */
	gws_buf_clear(&m);
	gws_buf_clear(&w);
	if (rc_canon_model_actions(&m, rule.actions, rule.n_actions, false, ref_self, NULL) < 0 ||
	    rc_canon_aws_actions(&w, &acts, false, ref_self, NULL) < 0)
		goto cleanup;
	if (!same(&m, &w))
		mismatch("model actions vs AWS's echo", &m, &w);

cleanup:
	gws_buf_dispose(&m);
	gws_buf_dispose(&w);
}

/* ---- rules as AWS lists them --------------------------------------------------------- */

static void canon_aws_rule(const gws_elbv2_rule *rule, gws_buf *out)
{
	if (rc_canon_aws_conditions(out, &rule->conditions) < 0 ||
	    rc_canon_aws_actions(out, &rule->actions, false, ref_self, NULL) < 0 ||
	    rc_canon_aws_transforms(out, &rule->transforms) < 0)
		gws_buf_clear(out);
}

static void check_aws_page(gws_arena *a, const uint8_t *data, size_t size)
{
	gws_xml_stream_spec spec = {
	        "DescribeRulesResult",  "Rules",     "member", sizeof(gws_elbv2_rule),
	        gws_elbv2__decode_rule, "NextMarker"};
	gws_buf marker = GWS_BUF_INIT(4096);
	char request_id[64] = "";
	void *items = NULL;
	size_t count = 0, cap = 0;
	gws_xml_stream_out out = {&items, &count, &cap, &marker, request_id, sizeof(request_id),
	                          false};

	(void)gws_xml_stream(a, (const char *)data, size, &spec, &out);
	for (size_t i = 0; i < count; i++) {
		gws_elbv2_rule *rule = &((gws_elbv2_rule *)items)[i];
		gws_elbv2_conditions *c = &rule->conditions;
		gws_buf one = GWS_BUF_INIT(1u << 22), two = GWS_BUF_INIT(1u << 22);

		canon_aws_rule(rule, &one);
		for (size_t k = 0; k < c->count / 2; k++) {
			gws_elbv2_condition t = c->items[k];
			c->items[k] = c->items[c->count - 1 - k];
			c->items[c->count - 1 - k] = t;
		}
		canon_aws_rule(rule, &two);
		if (!same(&one, &two))
			mismatch("an AWS rule with its conditions in another order", &one, &two);
		gws_buf_dispose(&one);
		gws_buf_dispose(&two);
	}
	gws_buf_dispose(&marker);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gws_reconcile r;
	reader in = {data, size};

	memset(&r, 0, sizeof(r));
	if (gws_arena_new(&r.arena) < 0)
		return 0;
	if (size && data[0] == '<')
		check_aws_page(r.arena, data, size);
	else
		check_model_rule(&r, &in);
	gws_arena_free(r.arena);
	return 0;
}
