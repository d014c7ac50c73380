/*
 * inventory.json: every AWS resource gwsync owns for the cluster, grouped by
 * stack (the gwsync.io/stack tag, "namespace/name" of the Gateway), and per
 * stack the last change a run made to it (source commit + one line).
 *
 * The last change survives runs that change nothing: it is read back from the
 * previous inventory.json. So are the resources when the run did not observe
 * AWS. The previous file is outside input: read with a cap, every value
 * checked, anything unexpected ignored.
 */
#include "report/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CONTAINERS 2000000 /* '{' + '[' in a previous inventory worth parsing */

static const char *const kinds[] = {"LoadBalancer", "SecurityGroup", "Listener", "ListenerRule",
                                    "TargetGroup"};

typedef struct {
	const char *stack;
	gws_report__res res;
} flat_res;

typedef struct {
	const char *stack;
	gws_report__last_change last;
} prev_last;

typedef struct {
	gws_vec res;   /* flat_res *: every resource, from AWS or from the previous file */
	gws_vec lasts; /* prev_last *: last changes of the previous file */
	gws_vec names; /* const char *: every stack to list */
} gather;

static int kind_rank(const char *kind)
{
	for (size_t i = 0; i < GWS_ARRAY_SIZE(kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return (int)i;
	return -1;
}

static const char *known_kind(const char *kind)
{
	int r = kind ? kind_rank(kind) : -1;
	return r < 0 ? NULL : kinds[r];
}

/* A commit id as Git writes it (SHA-1 or SHA-256 hex); anything else is dropped. */
static bool valid_commit(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	return (len == 40 || len == 64) && strspn(s, "0123456789abcdef") == len;
}

static const char *opt_clean(gws_report__ctx *ctx, const char *s, size_t max, bool *oom)
{
	const char *c;
	if (!s || !*s)
		return NULL;
	c = gws_report__clean(ctx->arena, s, max);
	if (!c)
		*oom = true;
	return c;
}

static int add_res(gws_report__ctx *ctx, gather *g, const char *stack, const char *kind,
                   const char *id, const char *name, const char *arn, const char *dns)
{
	flat_res *f;
	bool oom = false;

	kind = known_kind(kind);
	if (!kind || !stack || !*stack || !id || !*id)
		return 0; /* not a resource gwsync owns in a form it knows */
	f = gws_arena_calloc(ctx->arena, 1, sizeof(*f));
	if (!f)
		return GWS_ENOMEM;
	f->stack = opt_clean(ctx, stack, 1024, &oom);
	f->res.kind = kind;
	f->res.id = opt_clean(ctx, id, 1024, &oom);
	f->res.name = opt_clean(ctx, name, 1024, &oom);
	f->res.arn = opt_clean(ctx, arn, 2048, &oom);
	f->res.dns_name =
	        strcmp(kind, "LoadBalancer") == 0 ? opt_clean(ctx, dns, 1024, &oom) : NULL;
	if (oom)
		return GWS_ENOMEM;
	return gws_vec_push(&g->res, f);
}

static const char *jstr(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* True when the run could not read this stack: its previous resources stand. */
static bool unread(const gws_report_input *in, const char *stack)
{
	for (size_t i = 0; in->unread_stacks && i < in->n_unread_stacks; i++)
		if (in->unread_stacks[i] && strcmp(in->unread_stacks[i], stack) == 0)
			return true;
	return false;
}

static int read_prev_stack(gws_report__ctx *ctx, gather *g, json_t *st)
{
	const char *stack = jstr(st, "stack");
	json_t *last = json_object_get(st, "lastChange"), *list = json_object_get(st, "resources");
	size_t i;
	int error = 0;

	if (!stack || !*stack || !gws_report__owns(ctx, stack))
		return 0;
	if (json_is_object(last) && jstr(last, "change") && *jstr(last, "change")) {
		prev_last *p = gws_arena_calloc(ctx->arena, 1, sizeof(*p));
		bool oom = false;
		if (!p)
			return GWS_ENOMEM;
		p->stack = opt_clean(ctx, stack, 1024, &oom);
		p->last.change = opt_clean(ctx, jstr(last, "change"), GWS_REPORT_CAP_CHANGE, &oom);
		if (valid_commit(jstr(last, "sourceCommit")))
			p->last.commit = opt_clean(ctx, jstr(last, "sourceCommit"), 64, &oom);
		if (oom)
			return GWS_ENOMEM;
		if ((error = gws_vec_push(&g->lasts, p)) < 0)
			return error;
	}
	if ((ctx->in->observed && !unread(ctx->in, stack)) || !json_is_array(list))
		return 0;
	for (i = 0; i < json_array_size(list) && !error; i++) {
		json_t *r = json_array_get(list, i);
		if (json_is_object(r))
			error = add_res(ctx, g, stack, jstr(r, "kind"), jstr(r, "id"),
			                jstr(r, "name"), jstr(r, "arn"), jstr(r, "dnsName"));
	}
	return error;
}

/* The previous inventory.json; an unreadable one counts as absent. */
static int read_prev(gws_report__ctx *ctx, gather *g)
{
	gws_buf data = GWS_BUF_INIT(GWS_REPORT_CAP_INVENTORY);
	json_t *root = NULL, *stacks;
	json_error_t jerr;
	size_t i, containers = 0;
	int error;

	error = gws_report__fs_read(&data, ctx->dirfd, "inventory.json");
	if (error < 0) {
		gws_error_clear();
		error = error == GWS_ENOMEM ? error : 0;
		goto cleanup;
	}
	for (i = 0; i < data.size; i++)
		containers += data.ptr[i] == '{' || data.ptr[i] == '[';
	if (containers > MAX_CONTAINERS)
		goto cleanup; /* not something gwsync wrote; parsing it could cost gigabytes */
	root = json_loadb(data.ptr, data.size, 0, &jerr);
	stacks = json_object_get(root, "stacks");
	for (i = 0; i < json_array_size(stacks) && !error; i++)
		if (json_is_object(json_array_get(stacks, i)))
			error = read_prev_stack(ctx, g, json_array_get(stacks, i));
cleanup:
	json_decref(root);
	gws_buf_dispose(&data);
	return error;
}

static int res_cmp(const void *a, const void *b)
{
	const flat_res *x = a, *y = b;
	int c = strcmp(x->stack, y->stack);
	if (!c)
		c = kind_rank(x->res.kind) - kind_rank(y->res.kind);
	if (!c)
		c = gws_report__natcmp(x->res.id, y->res.id);
	if (!c)
		c = gws_strcmp_null(x->res.arn, y->res.arn);
	if (!c)
		c = gws_strcmp_null(x->res.name, y->res.name);
	if (!c)
		c = gws_strcmp_null(x->res.dns_name, y->res.dns_name);
	return c;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int last_cmp(const void *a, const void *b)
{
	return strcmp(((const prev_last *)a)->stack, ((const prev_last *)b)->stack);
}

static const prev_last *find_last(const gws_vec *lasts, const char *stack)
{
	for (size_t lo = 0, hi = lasts->len; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		const prev_last *p = lasts->items[mid];
		int c = strcmp(p->stack, stack);
		if (c == 0)
			return p;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* This run's change on `stack`, from the first result naming it with one. */
static const char *run_change(const gws_report__ctx *ctx, const char *stack)
{
	for (size_t i = 0; ctx->in->gateways && i < ctx->in->n_gateways; i++) {
		const gws_report_gateway_result *r = &ctx->in->gateways[i];
		if (r->gateway && r->change && *r->change && strcmp(r->gateway, stack) == 0)
			return r->change;
	}
	return NULL;
}

static int stack_names(gws_report__ctx *ctx, gather *g)
{
	const gws_model *m = ctx->in->model;
	size_t i;
	int error = 0;

	for (i = 0; i < g->res.len && !error; i++)
		error = gws_vec_push(&g->names, (void *)((flat_res *)g->res.items[i])->stack);
	for (i = 0; i < gws_model_stack_count(m) && !error; i++)
		if (gws_report__owns(ctx, gws_model_stack_at(m, i)->gateway))
			error = gws_vec_push(&g->names, (void *)gws_model_stack_at(m, i)->gateway);
	for (i = 0; ctx->in->gateways && i < ctx->in->n_gateways && !error; i++) {
		const gws_report_gateway_result *r = &ctx->in->gateways[i];
		if (r->gateway && *r->gateway && r->change && *r->change) {
			const char *s = gws_report__clean(ctx->arena, r->gateway, 1024);
			error = s ? gws_vec_push(&g->names, (void *)s) : GWS_ENOMEM;
		}
	}
	if (!error)
		error = gws_vec_sort(&g->names, str_cmp);
	return error;
}

static int fill_last(gws_report__ctx *ctx, gather *g, gws_report__stack *st)
{
	const char *change = run_change(ctx, st->stack);
	const prev_last *p;
	bool oom = false;

	if (change) {
		/* A change line may quote an AWS error: scrub it like a message. */
		gws_buf b = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
		if (gws_buf_puts(&b, change) == 0 && gws_secret_scrub(&b) == 0)
			st->last.change =
			        opt_clean(ctx, gws_buf_cstr(&b), GWS_REPORT_CAP_CHANGE, &oom);
		else
			oom = true;
		gws_buf_dispose(&b);
		if (valid_commit(ctx->in->source_commit))
			st->last.commit = opt_clean(ctx, ctx->in->source_commit, 64, &oom);
		return oom ? GWS_ENOMEM : 0;
	}
	if ((p = find_last(&g->lasts, st->stack)) != NULL)
		st->last = p->last;
	return 0;
}

int gws_report__inventory_build(gws_report__ctx *ctx)
{
	gws_report__inventory *inv = &ctx->inventory;
	gather g;
	size_t i, r = 0;
	int error;

	memset(&g, 0, sizeof(g));
	if ((error = read_prev(ctx, &g)) < 0)
		goto cleanup;
	for (i = 0; ctx->in->observed && ctx->in->resources && i < ctx->in->n_resources; i++) {
		const gws_report_resource *x = &ctx->in->resources[i];
		if ((error = add_res(ctx, &g, x->stack, x->kind, x->id, x->name, x->arn,
		                     x->dns_name)) < 0)
			goto cleanup;
	}
	if ((error = gws_vec_sort(&g.res, res_cmp)) < 0 ||
	    (error = gws_vec_sort(&g.lasts, last_cmp)) < 0 || (error = stack_names(ctx, &g)) < 0)
		goto cleanup;

	inv->stacks = gws_arena_calloc(ctx->arena, g.names.len + 1, sizeof(*inv->stacks));
	if (!inv->stacks) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < g.names.len; i++) {
		gws_report__stack *st;
		size_t start = r;
		if (inv->n_stacks &&
		    strcmp(inv->stacks[inv->n_stacks - 1].stack, g.names.items[i]) == 0)
			continue;
		st = &inv->stacks[inv->n_stacks++];
		st->stack = g.names.items[i];
		while (r < g.res.len && strcmp(((flat_res *)g.res.items[r])->stack, st->stack) == 0)
			r++;
		st->n_resources = r - start;
		st->resources =
		        gws_arena_calloc(ctx->arena, st->n_resources + 1, sizeof(*st->resources));
		if (!st->resources) {
			error = GWS_ENOMEM;
			goto cleanup;
		}
		for (size_t k = 0; k < st->n_resources; k++)
			st->resources[k] = ((flat_res *)g.res.items[start + k])->res;
		if ((error = fill_last(ctx, &g, st)) < 0)
			goto cleanup;
	}
cleanup:
	gws_vec_dispose(&g.res);
	gws_vec_dispose(&g.lasts);
	gws_vec_dispose(&g.names);
	return error;
}

const gws_report__stack *gws_report__inventory_find(const gws_report__inventory *inv,
                                                    const char *stack)
{
	for (size_t lo = 0, hi = inv->n_stacks; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(inv->stacks[mid].stack, stack);
		if (c == 0)
			return &inv->stacks[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int set_str(json_t *obj, const char *key, const char *value)
{
	if (!value)
		return 0;
	return json_object_set_new(obj, key, json_string(value)) == 0 ? 0 : GWS_ENOMEM;
}

static json_t *stack_json(const gws_report__stack *st)
{
	json_t *o = json_object(), *list = json_array(), *last = NULL;
	int error = o && list ? 0 : GWS_ENOMEM;

	if (!error)
		error = set_str(o, "stack", st->stack);
	if (!error && st->last.change) {
		last = json_object();
		error = last ? 0 : GWS_ENOMEM;
		if (!error)
			error = set_str(last, "sourceCommit", st->last.commit);
		if (!error)
			error = set_str(last, "change", st->last.change);
		if (!error)
			error = json_object_set(o, "lastChange", last) ? GWS_ENOMEM : 0;
	}
	for (size_t i = 0; i < st->n_resources && !error; i++) {
		const gws_report__res *r = &st->resources[i];
		json_t *jr = json_object();
		error = jr ? 0 : GWS_ENOMEM;
		if (!error)
			error = set_str(jr, "kind", r->kind);
		if (!error)
			error = set_str(jr, "id", r->id);
		if (!error)
			error = set_str(jr, "name", r->name);
		if (!error)
			error = set_str(jr, "arn", r->arn);
		if (!error)
			error = set_str(jr, "dnsName", r->dns_name);
		if (!error && json_array_append(list, jr) < 0)
			error = GWS_ENOMEM;
		json_decref(jr);
	}
	if (!error)
		error = json_object_set(o, "resources", list) ? GWS_ENOMEM : 0;
	json_decref(last);
	json_decref(list);
	if (error) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int gws_report__inventory_render(gws_buf *out, const gws_report__ctx *ctx)
{
	const gws_report__inventory *inv = &ctx->inventory;
	json_t *root = json_object(), *stacks = json_array();
	char *text = NULL;
	int error = root && stacks ? 0 : GWS_ENOMEM;

	if (!error)
		error = set_str(root, "formatVersion", "1");
	if (!error)
		error = set_str(root, "cluster", ctx->cluster);
	for (size_t i = 0; i < inv->n_stacks && !error; i++) {
		json_t *s = stack_json(&inv->stacks[i]);
		if (!s || json_array_append_new(stacks, s) < 0)
			error = GWS_ENOMEM;
	}
	if (!error)
		error = json_object_set(root, "stacks", stacks) ? GWS_ENOMEM : 0;
	if (!error) {
		text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		error = text ? 0 : GWS_ENOMEM;
	}
	if (!error && (error = gws_buf_puts(out, text)) == 0)
		error = gws_buf_putc(out, '\n');
	free(text);
	json_decref(stacks);
	json_decref(root);
	if (error == GWS_ENOMEM)
		gws_error_set(GWS_ENOMEM, "out of memory writing inventory.json");
	return error;
}
