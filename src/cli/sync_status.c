/*
 * The status report of a sync run (docs/report.md) and the message of the
 * commit that carries it (docs/git-source.md, "Status commits"): the
 * reconciler's results turned into the report writer's input.
 */
#include <string.h>

#include <openssl/rand.h>

#include "cli/sync.h"

/* Body lines of a commit message: a reviewer reads the changes, not a dump. */
#define MESSAGE_MAX_CHANGES 200

static gws_report_tristate tristate(gws_programmed p)
{
	return p == GWS_PROGRAMMED_TRUE    ? GWS_REPORT_TRUE
	       : p == GWS_PROGRAMMED_FALSE ? GWS_REPORT_FALSE
	                                   : GWS_REPORT_UNKNOWN;
}

void cli_status_init(cli_status *st)
{
	memset(st, 0, sizeof(*st));
}

void cli_status_dispose(cli_status *st)
{
	gws_free(st->gateways);
	gws_free(st->resources);
	gws_free(st->unread);
	memset(st, 0, sizeof(*st));
}

static int collect_gateways(cli_status *st, const gws_reconcile *r)
{
	size_t n = gws_reconcile_gateway_count(r);

	st->gateways = gws_calloc(n ? n : 1, sizeof(*st->gateways));
	st->unread = gws_calloc(n ? n : 1, sizeof(*st->unread));
	if (!st->gateways || !st->unread)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const gws_reconcile_gateway *g = gws_reconcile_gateway_at(r, i);
		gws_report_gateway_result *out = &st->gateways[st->n_gateways++];

		out->gateway = g->stack;
		out->programmed = tristate(g->programmed);
		out->reason = g->reason;
		out->message = g->message;
		out->dns_name = g->dns_name;
		out->change = g->change;
		/* What AWS holds for it is unknown: keep its previous inventory. */
		if (g->unread)
			st->unread[st->n_unread++] = g->stack;
	}
	return 0;
}

static int collect_resources(cli_status *st, const gws_reconcile *r)
{
	size_t n = gws_reconcile_resource_count(r);

	st->resources = gws_calloc(n ? n : 1, sizeof(*st->resources));
	if (!st->resources)
		return GWS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const gws_reconcile_resource *x = gws_reconcile_resource_at(r, i);

		st->resources[st->n_resources++] = (gws_report_resource){
		        x->stack, x->kind, x->id, x->name, x->arn, x->dns_name};
	}
	return 0;
}

int cli_status_prepare(cli_status *st, const gws_model *model, const gws_reconcile *r,
                       const gws_diag_list *diags, const char *source_commit, time_t now)
{
	int rc;

	memset(&st->input, 0, sizeof(st->input));
	if ((rc = collect_gateways(st, r)) < 0 || (rc = collect_resources(st, r)) < 0)
		return gws_error_set(rc, "out of memory building the status report");
	st->input.model = model;
	st->input.gateways = st->gateways;
	st->input.n_gateways = st->n_gateways;
	st->input.observed = true;
	st->input.resources = st->resources;
	st->input.n_resources = st->n_resources;
	st->input.unread_stacks = (const char *const *)st->unread;
	st->input.n_unread_stacks = st->n_unread;
	st->input.source_commit = source_commit;
	st->input.now = now;
	st->input.diags = diags;
	return 0;
}

/* ---- the commit message ------------------------------------------------------------- */

/* "gwsync: prod: 2 updated, 1 created" or "gwsync: prod: status" when AWS did not change. */
static int subject(gws_buf *out, const char *cluster, const gws_plan *plan)
{
	static const gws_plan_action order[] = {GWS_PLAN_UPDATE, GWS_PLAN_CREATE, GWS_PLAN_REPLACE,
	                                        GWS_PLAN_DELETE};
	size_t counts[4] = {0};
	bool any = false;
	int rc;

	for (size_t i = 0; i < plan->n_changes; i++)
		if (plan->changes[i].state == GWS_PLAN_DONE)
			counts[plan->changes[i].action]++;
	rc = gws_buf_printf(out, "gwsync: %s: ", cluster);
	for (size_t k = 0; k < GWS_ARRAY_SIZE(order) && rc == 0; k++) {
		if (!counts[order[k]])
			continue;
		rc = gws_buf_printf(out, "%s%zu %s", any ? ", " : "", counts[order[k]],
		                    gws_plan_action_past(order[k]));
		any = true;
	}
	if (rc == 0 && !any)
		rc = gws_buf_puts(out, "status updated");
	return rc;
}

static int body(gws_buf *out, const gws_plan *plan)
{
	size_t shown = 0, done = 0;
	int rc = 0;

	for (size_t i = 0; i < plan->n_changes && rc == 0; i++) {
		const gws_plan_change *c = &plan->changes[i];

		if (c->state != GWS_PLAN_DONE)
			continue;
		if (++done > MESSAGE_MAX_CHANGES)
			continue;
		shown++;
		rc = gws_buf_printf(out, "- %s %s%s\n", gws_plan_action_past(c->action), c->address,
		                    c->drift ? " (drift reverted)" : "");
	}
	if (rc == 0 && done > shown)
		rc = gws_buf_printf(out, "- ... and %zu more (see inventory.json)\n", done - shown);
	for (size_t i = 0; i < plan->n_changes && rc == 0; i++)
		if (plan->changes[i].state == GWS_PLAN_FAILED)
			rc = gws_buf_printf(out, "failed: %s: %s\n", plan->changes[i].address,
			                    plan->changes[i].error ? plan->changes[i].error : "");
	return rc;
}

int cli_status_message(gws_buf *out, const char *cluster, const gws_plan *plan,
                       const char *source_commit, const char *run_id)
{
	size_t mark;
	int rc;

	if ((rc = subject(out, cluster, plan)) < 0 || (rc = gws_buf_puts(out, "\n\n")) < 0)
		return rc;
	mark = out->size;
	if ((rc = body(out, plan)) < 0)
		return rc;
	if (out->size > mark)
		rc = gws_buf_puts(out, "\n");
	/* A status commit must not start the pipeline that runs gwsync (a loop). */
	if (rc == 0)
		rc = gws_buf_puts(out, "[skip ci]\n\n");
	if (rc == 0 && source_commit)
		rc = gws_buf_printf(out, "Gwsync-Source-Commit: %s\n", source_commit);
	if (rc == 0)
		rc = gws_buf_printf(out, "Gwsync-Run-Id: %s\n", run_id);
	return rc;
}

int cli_run_id(char out[17])
{
	unsigned char b[8];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return gws_error_set(GWS_EIO, "no random bytes for the run id");
	gws_hex_encode(out, b, sizeof(b));
	return 0;
}
