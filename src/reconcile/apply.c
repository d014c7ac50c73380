/*
 * Apply: run the plan's calls stage by stage (security groups, target
 * groups, load balancers, listeners, rules, then deletions in reverse
 * order). Within a stage every call of every stack is sent at once, as
 * concurrently as the AWS client allows. A failed call stops the rest of
 * its own stack only; the deadline or a stop signal stops every new call.
 */
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "reconcile/internal.h"

#define CONFLICT_POLL_S 2

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool must_stop(gws_reconcile *r)
{
	if (r->opts.stop && *r->opts.stop)
		return true;
	return r->opts.deadline > 0 && now_s() >= r->opts.deadline;
}

static void set_state(rc_op *op, gws_plan_state state, const char *error)
{
	op->state = state;
	op->call_ptr->state = state;
	if (error && !op->call_ptr->error)
		op->call_ptr->error = error;
}

void rc_op_fail(rc_op *op, const char *fmt, ...)
{
	gws_buf b = GWS_BUF_INIT(GWS_CAP_LINE);
	const char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (gws_buf_vprintf(&b, fmt, ap) == 0)
		msg = gws_arena_strdup(op->r->arena, gws_buf_cstr(&b));
	va_end(ap);
	gws_buf_dispose(&b);
	set_state(op, GWS_PLAN_FAILED, msg ? msg : "failed");
	if (!op->sp->failed) {
		op->sp->failed = true;
		op->sp->failure = op->call_ptr->error;
	}
}

static void op_failed(rc_op *op, int rc, const gws_aws_error *e)
{
	if (rc == GWS_EAUTH)
		op->r->auth_failed = true;
	if (e && e->code[0])
		rc_op_fail(op, "%s: %s: %s", op->action, e->code, e->message);
	else if (rc == GWS_EUNKNOWN_OUTCOME)
		rc_op_fail(op,
		           "%s: sent, but no answer came: the next run will see whether it "
		           "happened",
		           op->action);
	else
		rc_op_fail(op, "%s: %s", op->action,
		           e && e->message[0]
		                   ? e->message
		                   : (gws_error_last()[0] ? gws_error_last() : gws_error_name(rc)));
}

/* Sends `ops` as one batch; fills rcs/errs for the ones that were queued. */
static int send_batch(gws_reconcile *r, rc_op **ops, size_t n, int *rcs, gws_aws_error *errs)
{
	size_t *queued = gws_calloc(n ? n : 1, sizeof(*queued));
	int *qrcs = gws_calloc(n ? n : 1, sizeof(*qrcs));
	gws_aws_error *qerrs = gws_calloc(n ? n : 1, sizeof(*qerrs));
	size_t nq = 0;
	int rc = 0;

	if (!queued || !qrcs || !qerrs) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	if ((rc = gws_aws_batch_begin(r->client)) < 0)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		int src;

		gws_error_clear();
		memset(&errs[i], 0, sizeof(errs[i]));
		if ((src = ops[i]->send(ops[i], r->client, r->arena)) < 0) {
			/* Not sent: an input it needed is missing (an earlier create failed). */
			rcs[i] = src;
			snprintf(errs[i].message, sizeof(errs[i].message), "%s", gws_error_last());
			continue;
		}
		queued[nq++] = i;
	}
	gws_aws_batch_run_errors(r->client, qrcs, qerrs, nq);
	for (size_t k = 0; k < nq; k++) {
		rcs[queued[k]] = qrcs[k];
		errs[queued[k]] = qerrs[k];
	}
cleanup:
	gws_free(queued);
	gws_free(qrcs);
	gws_free(qerrs);
	return rc;
}

static void sleep_s(int s)
{
	struct timespec ts = {s, 0};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* AWS frees a target group or security group a moment after its user goes:
 * ResourceInUse / DependencyViolation are retried for a bounded time. */
static int retry_conflicts(gws_reconcile *r, rc_op **ops, size_t n, int *rcs, gws_aws_error *errs)
{
	rc_op **again = gws_calloc(n ? n : 1, sizeof(*again));
	int *arcs = gws_calloc(n ? n : 1, sizeof(*arcs));
	gws_aws_error *aerrs = gws_calloc(n ? n : 1, sizeof(*aerrs));
	size_t *where = gws_calloc(n ? n : 1, sizeof(*where));
	int waited = 0, rc = 0;

	if (!again || !arcs || !aerrs || !where) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	for (;;) {
		size_t na = 0;

		for (size_t i = 0; i < n; i++)
			if (rcs[i] == GWS_ECONFLICT && ops[i]->conflict_wait_s > waited) {
				where[na] = i;
				again[na++] = ops[i];
			}
		if (!na || must_stop(r))
			break;
		sleep_s(CONFLICT_POLL_S);
		waited += CONFLICT_POLL_S;
		if ((rc = send_batch(r, again, na, arcs, aerrs)) < 0)
			break;
		for (size_t k = 0; k < na; k++) {
			rcs[where[k]] = arcs[k];
			errs[where[k]] = aerrs[k];
		}
	}
cleanup:
	gws_free(again);
	gws_free(arcs);
	gws_free(aerrs);
	gws_free(where);
	return rc;
}

/* Fills a "(known after apply)" field of a change with what the apply made. */
static void known_after_apply(gws_plan_change *c, const char *path, const char *value)
{
	for (size_t i = 0; i < c->n_fields; i++)
		if (strcmp(c->fields[i].path, path) == 0)
			c->fields[i].after = value;
}

/* One log line per call made: the audit trail of what changed, with the id
 * AWS gave the request (CloudTrail and AWS support find it by that id). */
static void log_call(const rc_op *op, int rc, const gws_aws_error *e)
{
	const char *kv[] = {
	        "gateway", op->sp->stack, "resource",       op->change_ptr->address,
	        "action",  op->action,    "aws_request_id", e->request_id[0] ? e->request_id : NULL,
	        NULL};

	gws_log_fields(rc < 0 ? GWS_LOG_WARN : GWS_LOG_INFO, "apply", rc < 0 ? "failed" : "done",
	               kv);
}

static int run_stage(gws_reconcile *r, rc_op **ops, size_t n)
{
	int *rcs = gws_calloc(n ? n : 1, sizeof(*rcs));
	gws_aws_error *errs = gws_calloc(n ? n : 1, sizeof(*errs));
	int rc;

	if (!rcs || !errs) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	if ((rc = send_batch(r, ops, n, rcs, errs)) < 0)
		goto cleanup;
	if ((rc = retry_conflicts(r, ops, n, rcs, errs)) < 0)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		if (ops[i]->done)
			ops[i]->done(ops[i], rcs[i]);
		if (rcs[i] == GWS_ENOMEM)
			rc = GWS_ENOMEM;
		log_call(ops[i], rcs[i], &errs[i]);
		if (rcs[i] < 0) {
			op_failed(ops[i], rcs[i], &errs[i]);
			continue;
		}
		set_state(ops[i], GWS_PLAN_DONE, NULL);
		/* The plan names what the apply made. */
		if (ops[i]->creates && ops[i]->creates->arn)
			ops[i]->change_ptr->aws_id = ops[i]->creates->arn;
		if (ops[i]->creates && ops[i]->creates->dns_name)
			known_after_apply(ops[i]->change_ptr, "dnsName", ops[i]->creates->dns_name);
	}
cleanup:
	gws_free(rcs);
	gws_free(errs);
	return rc;
}

static void skip(gws_reconcile *r, rc_op *op, const char *why)
{
	set_state(op, GWS_PLAN_SKIPPED, why);
	(void)r;
}

#define STOPPED "not started: the deadline passed or the run was stopped"

/* A stage in waves of at most the client's concurrency, so that a stop or
 * the deadline keeps every call not yet sent from starting: once queued in
 * one batch, a call would be sent whatever happened meanwhile. */
static int run_stage_until_stopped(gws_reconcile *r, rc_op **ops, size_t n)
{
	size_t wave = (size_t)gws_aws_client_concurrency(r->client);
	int rc = 0;

	for (size_t i = 0; i < n; i += wave) {
		size_t k = n - i < wave ? n - i : wave;

		if (i && must_stop(r)) {
			r->deadline_hit = true;
			for (; i < n; i++)
				skip(r, ops[i], STOPPED);
			break;
		}
		if ((rc = run_stage(r, ops + i, k)) < 0)
			break;
	}
	return rc;
}

/* What happened to the calls of one change. */
typedef struct {
	size_t done, skipped, skipped_tags;
} call_tally;

static bool is_tagging(const char *action)
{
	return strcmp(action, "AddTags") == 0 || strcmp(action, "RemoveTags") == 0;
}

/* Some calls of a change were made and the rest were never started (the
 * deadline or a stop came between them): its resource exists or changed, so
 * the change is done, and says what is left for the next run. Mostly that is
 * the spec tag a load balancer or listener gets once its whole stack is in
 * place. */
static void settle_unfinished(gws_reconcile *r, gws_plan_change *c, const call_tally *t)
{
	const char *what = gws_plan_action_past(c->action);

	c->state = GWS_PLAN_DONE;
	c->unfinished = true;
	c->error = t->skipped == t->skipped_tags
	                   ? gws_arena_printf(r->arena,
	                                      "%s; tags not applied (the next run finishes)", what)
	                   : gws_arena_printf(r->arena,
	                                      "%s in part; %zu of its calls not started "
	                                      "(deadline or stop; the next run finishes)",
	                                      what, t->skipped);
}

/* The state of each change from the states of its calls. */
static void settle_changes(gws_reconcile *r)
{
	gws_plan *p = &r->plan;
	call_tally *tally = gws_calloc(p->n_changes ? p->n_changes : 1, sizeof(*tally));
	bool *has_call = gws_calloc(p->n_changes ? p->n_changes : 1, sizeof(bool));

	for (size_t i = 0; i < p->n_calls; i++) {
		const gws_plan_call *call = &p->calls[i];
		gws_plan_change *c = &p->changes[call->change];

		if (has_call)
			has_call[call->change] = true;
		if (tally && call->state == GWS_PLAN_DONE)
			tally[call->change].done++;
		if (tally && call->state == GWS_PLAN_SKIPPED) {
			tally[call->change].skipped++;
			tally[call->change].skipped_tags += is_tagging(call->action);
		}
		if (call->state == GWS_PLAN_FAILED) {
			c->state = GWS_PLAN_FAILED;
			if (!c->error)
				c->error = call->error;
		} else if (call->state == GWS_PLAN_SKIPPED && c->state != GWS_PLAN_FAILED) {
			c->state = GWS_PLAN_SKIPPED;
			if (!c->error)
				c->error = call->error;
		} else if (call->state == GWS_PLAN_DONE && c->state == GWS_PLAN_PENDING) {
			c->state = GWS_PLAN_DONE;
		}
	}
	/* After a stop only: when a failure of its Gateway skipped the rest, the
	 * change keeps "skipped" with that reason, and the failure is the news. */
	for (size_t i = 0; tally && i < p->n_changes; i++)
		if (p->changes[i].state == GWS_PLAN_SKIPPED && tally[i].done && r->deadline_hit)
			settle_unfinished(r, &p->changes[i], &tally[i]);
	/* A change with no call of its own (a rule moved by its listener's one
	 * SetRulePriorities) follows its stack. */
	for (size_t i = 0; has_call && i < p->n_changes; i++) {
		gws_plan_change *c = &p->changes[i];

		if (has_call[i])
			continue;
		for (size_t s = 0; s < r->n_stacks; s++)
			if (r->stacks[s].stack == c->stack ||
			    strcmp(r->stacks[s].stack, c->stack) == 0) {
				c->state = r->stacks[s].failed ? GWS_PLAN_SKIPPED : GWS_PLAN_DONE;
				break;
			}
	}
	gws_free(has_call);
	gws_free(tally);
	rc_plan_summarize(p);
}

int rc_apply(gws_reconcile *r)
{
	size_t total = r->ops.len, done = 0, i = 0;
	rc_op **batch = gws_calloc(total ? total : 1, sizeof(*batch));
	int rc = 0;

	if (!batch)
		return GWS_ENOMEM;
	while (i < total) {
		rc_stage stage = ((rc_op *)r->ops.items[i])->stage;
		size_t n = 0, j = i;

		for (; j < total && ((rc_op *)r->ops.items[j])->stage == stage; j++) {
			rc_op *op = r->ops.items[j];

			if (r->deadline_hit || must_stop(r)) {
				r->deadline_hit = true;
				skip(r, op, STOPPED);
			} else if (op->sp->failed) {
				skip(r, op, "not started: an earlier step of this Gateway failed");
			} else {
				batch[n++] = op;
			}
		}
		if (n && (rc = run_stage_until_stopped(r, batch, n)) < 0)
			break;
		done += j - i;
		i = j;
		if (r->opts.progress)
			r->opts.progress(r->opts.progress_ctx, "apply", done, total);
	}
	for (; i < total; i++)
		skip(r, r->ops.items[i], "not started: gwsync ran out of memory");
	gws_free(batch);
	settle_changes(r);
	return rc;
}
