/*
 * `gwsync sync`'s targets step (docs/targets.md): the --targets options and
 * what runs once the load balancers are applied and the status is written.
 */
#ifndef GWSYNC_CLI_SYNC_TARGETS_H
#define GWSYNC_CLI_SYNC_TARGETS_H

#include "cli/cli.h"
#include "gwsync/reconcile.h"
#include "gwsync/targets.h"

typedef struct cli_targets_flags {
	const char *mode;         /* --targets: binding | direct | none */
	const char *kube_context; /* --kube-context: a context of KUBECONFIG */
} cli_targets_flags;

#define CLI_TARGETS_FLAGS_INIT                                                                     \
	{                                                                                          \
		"binding", NULL                                                                    \
	}

#define CLI_TARGETS_OPTS(t)                                                                        \
	{.name = "targets",                                                                        \
	 .kind = CLI_OPT_CHOICE,                                                                   \
	 .dest = &(t)->mode,                                                                       \
	 .metavar = "binding|direct|none",                                                         \
	 .help = "how target groups get targets: TargetGroupBinding manifests under "              \
	         ".gwsync/<cluster>/rendered/ (default), registered from the Kubernetes API, "     \
	         "or left alone",                                                                  \
	 .choices = "binding|direct|none"},                                                        \
	{                                                                                          \
		.name = "kube-context", .kind = CLI_OPT_STRING, .dest = &(t)->kube_context,        \
		.metavar = "NAME",                                                                 \
		.help = "KUBECONFIG context for the Kubernetes API (default: the current one)"     \
	}

/*
 * --targets direct, after the apply and before the status report (so SUMMARY.md
 * shows the health read after the registration): the targets are registered from
 * the Kubernetes API (a dry run logs what it would register), and `out` gets the
 * result, health included (the caller disposes it with
 * gws_targets_direct_result_dispose, also when nothing ran). Other modes: nothing.
 * Returns 0 or an exit code: 3 (the Kubernetes API is not configured, refused the
 * credentials, is not trusted or is unreachable: nothing was registered), 7 (some
 * registrations failed), 8 (AWS refused them), 1 (out of memory).
 */
struct cli_shard;
int cli_sync_targets_direct(const cli_targets_flags *f, const gws_model *model,
                            const gws_reconcile *r, gws_aws_client *client, bool dry_run,
                            const struct cli_shard *shard, gws_targets_direct_result *out);

/*
 * --targets binding, after the status report, into `root` (the repository folder;
 * NULL for a git source, whose status commit carried the bindings): the
 * TargetGroupBindings under .gwsync/<cluster>/rendered/ (not in a dry run). Other
 * modes: nothing. Returns 0 or 10 (the rendered files were not written).
 */
/* A shard (shard, NULL: none) writes its bindings into its own folder. */
int cli_sync_targets(const cli_targets_flags *f, const gws_model *model, const gws_reconcile *r,
                     const char *root, bool dry_run, const struct cli_shard *shard);

/*
 * Before the model is built: when a Kubernetes API is configured (KUBECONFIG or
 * in a pod), the cluster's Services that the repository lacks are added to
 * `store`. Returns 0 (also when no API is configured) or an exit code: 3 when
 * the API is configured but cannot be read (no Service is guessed), 1 (out of
 * memory).
 */
int cli_sync_cluster_services(const cli_targets_flags *f, gws_manifest_store *store,
                              gws_diag_list *diags);

#endif
