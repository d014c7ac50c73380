/*
 * The plan object: changes (one per AWS resource), the calls that make
 * them (one per AWS request, in execution order), notes and guards. The
 * diff adds to it; plan_finish orders it for display; apply updates the
 * states in place. The three renderings read only this (render_*.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reconcile/internal.h"

/* A change while the plan is built: the public struct and its sort key. */
typedef struct {
	gws_plan_change pub; /* first: a gws_plan_change * is a change_rec * */
	const char *sort_key;
	gws_vec fields;
	rc_stackplan *sp;
	size_t index;           /* in the finished plan */
	gws_plan_change *final; /* the entry of the finished plan */
} change_rec;

static const char *kind_rank(gws_plan_kind k)
{
	/* Gateway → security group, load balancer → listeners → rules → target groups. */
	switch (k) {
	case GWS_PLAN_SECURITY_GROUP:
		return "0";
	case GWS_PLAN_LOAD_BALANCER:
		return "1";
	case GWS_PLAN_LISTENER:
	case GWS_PLAN_RULE:
		return "2";
	case GWS_PLAN_TARGET_GROUP:
		return "3";
	}
	return "9";
}

/* "443:12" sorts after "443:2": numbers are padded in the key. */
static const char *numeric_key(gws_reconcile *r, const char *id)
{
	gws_buf b = GWS_BUF_INIT(4096);
	const char *out = NULL;

	for (const char *p = id ? id : ""; *p;) {
		if (*p >= '0' && *p <= '9') {
			size_t n = strspn(p, "0123456789");

			if (gws_buf_printf(&b, "%010zu%.*s", n, (int)n, p) < 0)
				goto done;
			p += n;
		} else if (gws_buf_putc(&b, *p++) < 0) {
			goto done;
		}
	}
	out = gws_arena_strdup(r->arena, gws_buf_cstr(&b));
done:
	gws_buf_dispose(&b);
	return out;
}

gws_plan_change *rc_change_add(gws_reconcile *r, rc_stackplan *sp, gws_plan_kind kind,
                               gws_plan_action action, const char *id, const char *address)
{
	change_rec *c = RC_NEW(r, change_rec);
	const char *key;

	if (!c)
		return NULL;
	key = numeric_key(r, id);
	c->sp = sp;
	c->pub.stack = sp->stack;
	c->pub.kind = kind;
	c->pub.id = id;
	c->pub.address = address;
	c->pub.action = action;
	c->sort_key = gws_arena_printf(r->arena, "%s\x01%s\x01%s\x01%d", sp->stack, kind_rank(kind),
	                               key ? key : "", (int)action);
	if (!c->sort_key || gws_vec_push(&r->changes, c) < 0)
		return NULL;
	sp->n_changes_total++;
	return &c->pub;
}

int rc_change_field(gws_reconcile *r, gws_plan_change *change, const char *path, const char *before,
                    const char *after)
{
	change_rec *c = (change_rec *)change;
	gws_plan_field *f = RC_NEW(r, gws_plan_field);

	if (!f)
		return GWS_ENOMEM;
	f->path = path;
	f->before = before;
	f->after = after;
	return gws_vec_push(&c->fields, f);
}

rc_op *rc_op_add(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *change, rc_stage stage,
                 const char *service, const char *action, const char *target, rc_op_send send,
                 rc_op_done done, void *data)
{
	rc_op *op = RC_NEW(r, rc_op);
	gws_plan_call *call = RC_NEW(r, gws_plan_call);

	if (!op || !call)
		return NULL;
	op->r = r;
	op->stage = stage;
	op->sp = sp;
	op->change_ptr = change;
	op->action = action;
	op->service = service;
	op->send = send;
	op->done = done;
	op->data = data;
	op->call_ptr = call;
	call->action = action;
	call->service = service;
	call->stack = sp->stack;
	call->target = target ? target : change->address;
	if (gws_vec_push(&r->ops, op) < 0)
		return NULL;
	return op;
}

int rc_note(gws_reconcile *r, const char *stack, bool error, const char *fmt, ...)
{
	gws_plan_note *n = RC_NEW(r, gws_plan_note);
	va_list ap;
	gws_buf b = GWS_BUF_INIT(GWS_CAP_LINE);
	int rc;

	if (!n)
		return GWS_ENOMEM;
	va_start(ap, fmt);
	rc = gws_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	n->stack = stack;
	n->error = error;
	n->message = gws_arena_strdup(r->arena, gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	if (!n->message)
		return GWS_ENOMEM;
	return gws_vec_push(&r->notes, n);
}

int rc_guard(gws_reconcile *r, const char *name, long limit, long actual, bool tripped,
             const char *fmt, ...)
{
	gws_plan_guard *g = RC_NEW(r, gws_plan_guard);
	va_list ap;
	gws_buf b = GWS_BUF_INIT(GWS_CAP_LINE);
	int rc;

	if (!g)
		return GWS_ENOMEM;
	va_start(ap, fmt);
	rc = gws_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	g->name = name;
	g->limit = limit;
	g->actual = actual;
	g->tripped = tripped;
	g->message = gws_arena_strdup(r->arena, gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	if (tripped)
		r->guard_tripped = true;
	return g->message ? gws_vec_push(&r->guards, g) : GWS_ENOMEM;
}

/* ---- finishing -------------------------------------------------------------------- */

static int cmp_change(const void *a, const void *b)
{
	const change_rec *x = a, *y = b; /* gws_vec_sort passes the items */

	return strcmp(x->sort_key, y->sort_key);
}

static int cmp_note(const void *a, const void *b)
{
	const gws_plan_note *x = a, *y = b;
	int c = gws_strcmp_null(x->stack, y->stack);

	return c ? c : strcmp(x->message, y->message);
}

/* Calls run stage by stage; within a stage, in plan order. */
static int cmp_op(const void *a, const void *b)
{
	const rc_op *x = a, *y = b;

	if (x->stage != y->stage)
		return (int)x->stage - (int)y->stage;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int rc_plan_finish(gws_reconcile *r)
{
	gws_plan *p = &r->plan;
	int rc;

	for (size_t i = 0; i < r->ops.len; i++)
		((rc_op *)r->ops.items[i])->seq = i;
	if ((rc = gws_vec_sort(&r->changes, cmp_change)) < 0 ||
	    (rc = gws_vec_sort(&r->ops, cmp_op)) < 0 ||
	    (rc = gws_vec_sort(&r->notes, cmp_note)) < 0)
		return rc;
	p->n_changes = r->changes.len;
	p->changes = RC_NEWN(r, gws_plan_change, p->n_changes ? p->n_changes : 1);
	p->n_calls = r->ops.len;
	p->calls = RC_NEWN(r, gws_plan_call, p->n_calls ? p->n_calls : 1);
	if (!p->changes || !p->calls)
		return GWS_ENOMEM;
	for (size_t i = 0; i < p->n_changes; i++) {
		change_rec *c = r->changes.items[i];

		c->index = i;
		p->changes[i] = c->pub;
		p->changes[i].n_fields = c->fields.len;
		p->changes[i].fields =
		        RC_NEWN(r, gws_plan_field, c->fields.len ? c->fields.len : 1);
		if (!p->changes[i].fields)
			return GWS_ENOMEM;
		for (size_t k = 0; k < c->fields.len; k++)
			p->changes[i].fields[k] = *(gws_plan_field *)c->fields.items[k];
		gws_vec_dispose(&c->fields);
		/* The change now lives in the array: ops and apply use it there. */
		c->final = &p->changes[i];
	}
	for (size_t i = 0; i < p->n_calls; i++) {
		rc_op *op = r->ops.items[i];
		change_rec *c = (change_rec *)op->change_ptr;

		op->change_ptr = c->final;
		op->call_ptr->change = c->index;
		p->calls[i] = *op->call_ptr;
		op->call_ptr = &p->calls[i];
	}
	p->guards = RC_NEWN(r, gws_plan_guard, r->guards.len ? r->guards.len : 1);
	p->notes = RC_NEWN(r, gws_plan_note, r->notes.len ? r->notes.len : 1);
	if (!p->guards || !p->notes)
		return GWS_ENOMEM;
	for (size_t i = 0; i < r->guards.len; i++)
		p->guards[i] = *(gws_plan_guard *)r->guards.items[i];
	p->n_guards = r->guards.len;
	for (size_t i = 0; i < r->notes.len; i++)
		p->notes[i] = *(gws_plan_note *)r->notes.items[i];
	p->n_notes = r->notes.len;
	rc_plan_summarize(p);
	return 0;
}

void rc_plan_summarize(gws_plan *p)
{
	memset(&p->summary, 0, sizeof(p->summary));
	for (size_t i = 0; i < p->n_changes; i++) {
		const gws_plan_change *c = &p->changes[i];

		switch (c->action) {
		case GWS_PLAN_CREATE:
			p->summary.create++;
			break;
		case GWS_PLAN_UPDATE:
			p->summary.update++;
			break;
		case GWS_PLAN_REPLACE:
			p->summary.replace++;
			break;
		case GWS_PLAN_DELETE:
			p->summary.delete_++;
			break;
		}
		if (c->drift)
			p->summary.drift++;
		if (c->state == GWS_PLAN_FAILED)
			p->summary.failed++;
		if (c->state == GWS_PLAN_SKIPPED)
			p->summary.skipped++;
	}
}

const char *gws_plan_kind_name(gws_plan_kind kind)
{
	switch (kind) {
	case GWS_PLAN_SECURITY_GROUP:
		return "SecurityGroup";
	case GWS_PLAN_TARGET_GROUP:
		return "TargetGroup";
	case GWS_PLAN_LOAD_BALANCER:
		return "LoadBalancer";
	case GWS_PLAN_LISTENER:
		return "Listener";
	case GWS_PLAN_RULE:
		return "ListenerRule";
	}
	return "?";
}

const char *gws_plan_action_past(gws_plan_action act)
{
	switch (act) {
	case GWS_PLAN_CREATE:
		return "created";
	case GWS_PLAN_UPDATE:
		return "updated";
	case GWS_PLAN_REPLACE:
		return "replaced";
	case GWS_PLAN_DELETE:
		return "deleted";
	}
	return "?";
}

const char *gws_plan_action_name(gws_plan_action act)
{
	switch (act) {
	case GWS_PLAN_CREATE:
		return "create";
	case GWS_PLAN_UPDATE:
		return "update";
	case GWS_PLAN_REPLACE:
		return "replace";
	case GWS_PLAN_DELETE:
		return "delete";
	}
	return "?";
}

const char *gws_plan_state_name(gws_plan_state state)
{
	switch (state) {
	case GWS_PLAN_PENDING:
		return "pending";
	case GWS_PLAN_DONE:
		return "done";
	case GWS_PLAN_FAILED:
		return "failed";
	case GWS_PLAN_SKIPPED:
		return "skipped";
	}
	return "?";
}
