/*
 * `gwsync sync`'s targets step (docs/targets.md): the --targets options and
 * what runs after the status report is written.
 */
#ifndef GWSYNC_CLI_SYNC_TARGETS_H
#define GWSYNC_CLI_SYNC_TARGETS_H

#include "cli/cli.h"
#include "gwsync/report.h"

typedef struct {
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
 * After the status report was written into `root` from `status` (the same
 * input): with --targets binding, the TargetGroupBindings under
 * .gwsync/<cluster>/rendered/. Returns 0 or an exit code (10: AWS is converged,
 * the rendered files are not).
 */
int cli_sync_targets_publish(const cli_targets_flags *f, const gws_report_input *status,
                             const char *vpc_id, const char *root);

#endif
