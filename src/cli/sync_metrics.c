/*
 * The run's metrics (--metrics-file, --pushgateway-url): what an alert
 * needs to say "gwsync has not succeeded for an hour", "prod drifts", "a
 * guard keeps tripping" or "AWS throttles us". docs/operations.md lists
 * them. Figures of one run; the last success time is carried over from the
 * previous file when this run did not succeed, so the textfile collector
 * always shows when gwsync last worked.
 */
#include <string.h>
#include <time.h>

#include "cli/sync.h"
#include "gwsync/metrics.h"

#define LAST_SUCCESS "gwsync_last_success_timestamp_seconds"

static const char *const families[][3] = {
        {"gwsync_last_run_timestamp_seconds", "gauge", "When the last run ended (Unix time)."},
        {LAST_SUCCESS, "gauge", "When a run last ended with exit code 0 (Unix time)."},
        {"gwsync_run_duration_seconds", "gauge", "How long the last run took."},
        {"gwsync_run_exit_code", "gauge", "The exit code of the last run (gwsync --help)."},
        {"gwsync_gateways", "gauge", "Gateways of the last run by their Programmed condition."},
        {"gwsync_resources", "gauge", "AWS resources gwsync owns after the last run, by kind."},
        {"gwsync_changes", "gauge", "Changes of the last run's plan by action and state."},
        {"gwsync_drift_resources", "gauge",
         "Resources the last run found changed outside gwsync (drift)."},
        {"gwsync_guard_tripped", "gauge", "1 when a safety guard refused work in the last run."},
        {"gwsync_aws_calls", "gauge", "AWS calls of the last run by action and result."},
};

static const char *programmed_name(gws_programmed p)
{
	return p == GWS_PROGRAMMED_TRUE ? "True" : p == GWS_PROGRAMMED_FALSE ? "False" : "Unknown";
}

static const char *state_name(gws_plan_state s)
{
	static const char *const names[] = {"pending", "done", "failed", "skipped"};

	return (size_t)s < GWS_ARRAY_SIZE(names) ? names[s] : "unknown";
}

/* The labels every sample carries: the cluster, and the shard of a sharded run
 * (each shard's samples are its own series). */
static size_t base_labels(const char **labels, const cli_sync_metrics *in)
{
	size_t n = 0;

	labels[n++] = "cluster";
	labels[n++] = in->cluster;
	if (in->shard) {
		labels[n++] = "shard";
		labels[n++] = in->shard;
	}
	return n;
}

static int add(gws_metrics *m, const char *name, const cli_sync_metrics *in, const char *k1,
               const char *v1, const char *k2, const char *v2, double value)
{
	const char *labels[9];
	size_t n = base_labels(labels, in);

	if (k1) {
		labels[n++] = k1;
		labels[n++] = v1;
	}
	if (k1 && k2) {
		labels[n++] = k2;
		labels[n++] = v2;
	}
	labels[n] = NULL;
	return gws_metrics_add(m, name, labels, value);
}

static int gateways(gws_metrics *m, const cli_sync_metrics *in, const gws_reconcile *r)
{
	size_t n[3] = {0};
	int rc = 0;

	for (size_t i = 0; i < gws_reconcile_gateway_count(r); i++)
		n[gws_reconcile_gateway_at(r, i)->programmed]++;
	for (int p = 0; p < 3 && rc == 0; p++)
		rc = add(m, "gwsync_gateways", in, "programmed", programmed_name((gws_programmed)p),
		         NULL, NULL, (double)n[p]);
	return rc;
}

static int resources(gws_metrics *m, const cli_sync_metrics *in, const gws_reconcile *r)
{
	static const char *const kinds[] = {"LoadBalancer", "Listener", "ListenerRule",
	                                    "TargetGroup", "SecurityGroup"};
	int rc = 0;

	for (size_t k = 0; k < GWS_ARRAY_SIZE(kinds) && rc == 0; k++) {
		size_t n = 0;

		for (size_t i = 0; i < gws_reconcile_resource_count(r); i++)
			n += strcmp(gws_reconcile_resource_at(r, i)->kind, kinds[k]) == 0;
		rc = add(m, "gwsync_resources", in, "kind", kinds[k], NULL, NULL, (double)n);
	}
	return rc;
}

static int plan_figures(gws_metrics *m, const cli_sync_metrics *in, const gws_plan *plan)
{
	size_t n[4][4] = {{0}};
	int rc = 0;

	for (size_t i = 0; i < plan->n_changes; i++)
		if ((size_t)plan->changes[i].action < 4 && (size_t)plan->changes[i].state < 4)
			n[plan->changes[i].action][plan->changes[i].state]++;
	for (int a = 0; a < 4 && rc == 0; a++)
		for (int s = 0; s < 4 && rc == 0; s++)
			if (n[a][s])
				rc = add(m, "gwsync_changes", in, "action",
				         gws_plan_action_name((gws_plan_action)a), "state",
				         state_name((gws_plan_state)s), (double)n[a][s]);
	if (rc == 0)
		rc = add(m, "gwsync_drift_resources", in, NULL, NULL, NULL, NULL,
		         (double)plan->summary.drift);
	for (size_t i = 0; i < plan->n_guards && rc == 0; i++)
		rc = add(m, "gwsync_guard_tripped", in, "guard", plan->guards[i].name, NULL, NULL,
		         plan->guards[i].tripped ? 1 : 0);
	return rc;
}

static int aws_calls(gws_metrics *m, const cli_sync_metrics *in, const gws_aws_client *client)
{
	const gws_aws_call_count *c;
	size_t n = gws_aws_client_call_counts(client, &c);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *labels[13];
		size_t k = base_labels(labels, in);

		labels[k++] = "service";
		labels[k++] = c[i].service;
		labels[k++] = "action";
		labels[k++] = c[i].action;
		labels[k++] = "result";
		labels[k++] = c[i].result;
		labels[k] = NULL;

		rc = gws_metrics_add(m, "gwsync_aws_calls", labels, (double)c[i].count);
	}
	return rc;
}

static int build(gws_metrics *m, const cli_sync_metrics *in)
{
	time_t now = time(NULL);
	double last_success = -1;
	int rc = 0;

	for (size_t i = 0; i < GWS_ARRAY_SIZE(families) && rc == 0; i++)
		rc = gws_metrics_family(m, families[i][0], families[i][1], families[i][2]);
	if (in->exit_code == 0)
		last_success = (double)now;
	else if (in->metrics_file)
		(void)gws_metrics_read_value(in->metrics_file, LAST_SUCCESS, &last_success);
	if (rc == 0)
		rc = add(m, "gwsync_last_run_timestamp_seconds", in, NULL, NULL, NULL, NULL,
		         (double)now);
	if (rc == 0 && last_success >= 0)
		rc = add(m, LAST_SUCCESS, in, NULL, NULL, NULL, NULL, last_success);
	if (rc == 0)
		rc = add(m, "gwsync_run_duration_seconds", in, NULL, NULL, NULL, NULL,
		         in->duration_s);
	if (rc == 0)
		rc = add(m, "gwsync_run_exit_code", in, NULL, NULL, NULL, NULL, in->exit_code);
	if (rc == 0 && in->reconcile)
		rc = gateways(m, in, in->reconcile);
	if (rc == 0 && in->reconcile)
		rc = resources(m, in, in->reconcile);
	if (rc == 0 && in->reconcile)
		rc = plan_figures(m, in, gws_reconcile_get_plan(in->reconcile));
	if (rc == 0 && in->client)
		rc = aws_calls(m, in, in->client);
	return rc;
}

void cli_sync_write_metrics(const cli_sync_metrics *in)
{
	gws_metrics *m = NULL;
	/* Shards push to groups of their own, or each would replace the others' metrics. */
	const char *grouping[] = {"cluster", in->cluster, in->shard ? "shard" : NULL, in->shard,
	                          NULL};

	if (!in->metrics_file && !in->pushgateway_url)
		return;
	if (gws_metrics_new(&m) < 0 || build(m, in) < 0) {
		gws_log(GWS_LOG_WARN, "metrics", "metrics not written: %s", gws_error_last());
		goto cleanup;
	}
	/* Metrics are about the run, never a reason to fail it: a warning only. */
	if (in->metrics_file && gws_metrics_write_file(m, in->metrics_file) < 0)
		gws_log(GWS_LOG_WARN, "metrics", "metrics file not written: %s", gws_error_last());
	if (in->pushgateway_url &&
	    gws_metrics_push(m, in->pushgateway_url, "gwsync", grouping, 10000) < 0)
		gws_log(GWS_LOG_WARN, "metrics", "metrics not pushed: %s", gws_error_last());
cleanup:
	gws_metrics_free(m);
}
