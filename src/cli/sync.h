/*
 * `gwsync sync`'s pieces beside cmd_sync.c: the status report built from
 * the reconciler's results and the commit that carries it.
 */
#ifndef GWSYNC_CLI_SYNC_H
#define GWSYNC_CLI_SYNC_H

#include <time.h>

#include "cli/cli.h"
#include "gwsync/reconcile.h"
#include "gwsync/report.h"

/* The shard a run is (sync_shard.c); shard.count 0: not sharded. */
typedef struct cli_shard {
	gws_reconcile_shard shard;
	char name[32];   /* "1-of-4": metrics label, log field, lease name part */
	char folder[40]; /* "shard-1-of-4": the report folder below .gwsync/<cluster>/ */
	char title[32];  /* "shard 1/4": plan and commit subject */
} cli_shard;

/* From --shard (or GWSYNC_SHARD), --shards (or GWSYNC_SHARDS; 0: not given) and
 * JOB_COMPLETION_INDEX. N = 1 is no sharding. 0, or CLI_EXIT_USAGE after
 * printing why. */
int cli_shard_resolve(cli_shard *out, const char *cmd, const char *shard, long shards);
/* ctx: const cli_shard *; true when the Gateway "namespace/name" is the shard's. */
bool cli_shard_owns(void *ctx, const char *gateway);
/* Limits a report to the shard's objects and folder (nothing for a plain run). */
void cli_shard_report(const cli_shard *s, gws_report_input *in);

/* The report writer's input and the arrays it points into (sync_status.c). */
typedef struct {
	gws_report_input input;
	gws_report_gateway_result *gateways;
	size_t n_gateways;
	gws_report_resource *resources;
	size_t n_resources;
	const char **unread;
	size_t n_unread;
} cli_status;

/* The TargetGroupBindings of `st` under root/.gwsync/<cluster>/rendered/
 * (sync_targets.c): 0, or an exit code (10) after printing why. */
int cli_sync_write_bindings(const cli_status *st, const char *vpc_id, const char *root);

void cli_status_init(cli_status *st);
void cli_status_dispose(cli_status *st);
/* Fills st->input from a run that read AWS; everything is borrowed from `r`, `model`,
 * `diags`, which must outlive st. */
int cli_status_prepare(cli_status *st, const gws_model *model, const gws_reconcile *r,
                       const gws_diag_list *diags, const char *source_commit, time_t now);
/* The status commit's message: "gwsync: <cluster>: 2 updated, 1 created" (`cluster`
 * is "prod shard 1/4" for a shard), the changes
 * made, "[skip ci]" and the Gwsync-Source-Commit / Gwsync-Run-Id trailers. */
int cli_status_message(gws_buf *out, const char *cluster, const gws_plan *plan,
                       const char *source_commit, const char *run_id);

/* What the metrics of a run are made of (sync_metrics.c). */
typedef struct {
	const char *metrics_file;    /* --metrics-file, or NULL */
	const char *pushgateway_url; /* --pushgateway-url, or NULL */
	const char *cluster;
	const char *shard; /* "1-of-4" for a sharded run (a label of every sample), or NULL */
	int exit_code;
	double duration_s;
	const gws_reconcile *reconcile; /* NULL: the run stopped before reading AWS */
	const gws_aws_client *client;   /* NULL: no AWS client was made */
} cli_sync_metrics;

/* Writes and/or pushes the metrics; failures are logged as warnings only. */
void cli_sync_write_metrics(const cli_sync_metrics *in);

/* Where and how the status goes back (sync_publish.c). */
typedef struct {
	gws_source *source;
	const cli_status *status;
	const gws_plan *plan;
	const char *cluster;
	const char *run_id;
	const char *status_branch; /* --status-branch, or NULL: the branch read */
	const char *author;        /* --git-author, or NULL */
	bool push;                 /* false with --no-push */
	bool aws_ok;               /* the run converged (for the message) */
	bool bindings;             /* --targets binding: the TargetGroupBindings go along */
	const char *vpc_id;        /* of the bindings */
	const cli_shard *shard;    /* the report of a shard goes to its own folder */
} cli_publish;

/* Writes the report into a plain folder, or commits (and pushes) it for a
 * git source. 0, or CLI_EXIT_PUSH after printing why. */
int cli_publish_status(const cli_publish *p);

/* The run lease's settings (sync_desired.c). */
typedef struct {
	const char *name; /* the cluster (and shard) */
	const char *run_id;
	long long ttl_ms;
	long long wait_ms;
} cli_lease_flags;

/* The desired state of one run, and the lease held while applying it. */
typedef struct {
	gws_source *source;
	gws_manifest_store *store;
	gws_model *model;
	gws_diag_list diags;
	gws_source_lease *lease;
	/* --targets and --kube-context: Services the repository lacks come from the
	 * cluster when an API is configured (sync_targets.c); NULL: never. */
	const struct cli_targets_flags *targets;
} cli_desired;

void cli_desired_init(cli_desired *d);
/* Reads the manifests and builds the model; with `lf` (an apply), takes the
 * run lease too, reading again when another run held it first. 0, or the
 * exit code (3, 4, 6, ...) after printing why. */
int cli_desired_read(cli_desired *d, const char *cmd, cli_common *common, const cli_model_flags *mf,
                     const cli_lease_flags *lf);
/* Releases the lease (if held); the state stays. */
void cli_desired_release(cli_desired *d);
/* Releases the lease and frees everything. */
void cli_desired_dispose(cli_desired *d);

/* A run id: 16 random hex digits (logged, and a trailer of the status commit). */
int cli_run_id(char out[17]);

#endif
