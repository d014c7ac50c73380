/*
 * The targets step of `gwsync sync` (docs/targets.md): the wiring between
 * the run's results and src/targets.
 */
#include <string.h>

#include "gwsync/kube.h"
#include "gwsync/targets.h"

#include "cli/sync.h"
#include "cli/sync_targets.h"

static int write_bindings(const cli_status *st, const char *vpc_id, const char *root)
{
	gws_targets_input in = {0};
	gws_targets_result res = {0};

	in.model = st->input.model;
	in.resources = st->input.resources;
	in.n_resources = st->input.n_resources;
	in.vpc_id = vpc_id;
	in.shard = st->input.shard;
	/* A partly read run does not know every ARN: keep the bindings already there. */
	in.keep_unmatched = !st->input.observed || st->input.n_unread_stacks > 0;
	if (gws_targets_write_bindings(&in, root, &res) < 0) {
		gws_print(stderr, "gwsync sync: the TargetGroupBindings were not written: %s",
		          gws_error_last());
		return CLI_EXIT_PUSH;
	}
	gws_log(GWS_LOG_INFO, "targets",
	        "%zu TargetGroupBinding%s in .gwsync/%s/" GWS_TARGETS_RENDERED_DIR
	        ": %zu file%s written, %zu removed%s",
	        res.bindings, res.bindings == 1 ? "" : "s", gws_model_cluster(in.model),
	        res.written, res.written == 1 ? "" : "s", res.removed,
	        res.changed ? "" : " (unchanged)");
	return 0;
}

static int register_direct(const cli_targets_flags *f, const cli_status *st, gws_aws_client *client,
                           bool dry_run, gws_targets_direct_result *out)
{
	gws_kube_options kopts = {0};
	gws_targets_direct_input in = {0};
	gws_targets_direct_result res = {0};
	gws_kube *kube = NULL;
	int rc, exit_code = 0;

	kopts.context = f->kube_context;
	if ((rc = gws_kube_new(&kube, &kopts)) < 0) {
		gws_print(stderr, "gwsync sync: --targets direct: %s%s",
		          rc == GWS_ENOTFOUND ? "no Kubernetes API is configured (set KUBECONFIG, "
		                                "or run in a pod): "
		                              : "",
		          gws_error_last());
		return rc == GWS_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
	}
	in.model = st->input.model;
	in.resources = st->input.resources;
	in.n_resources = st->input.n_resources;
	in.kube = kube;
	in.aws = client;
	in.dry_run = dry_run;
	rc = gws_targets_register(&in, &res);
	if (rc == GWS_ENOMEM)
		exit_code = CLI_EXIT_INTERNAL;
	else if (rc == GWS_EAUTH && res.target_groups)
		exit_code = CLI_EXIT_AUTH; /* AWS refused, after the reads */
	else if (rc < 0)
		exit_code = CLI_EXIT_USAGE; /* the Kubernetes API: nothing was registered */
	else if (res.failed_groups)
		exit_code = CLI_EXIT_PARTIAL;
	if (rc < 0)
		gws_print(stderr, "gwsync sync: targets: %s%s", gws_error_last(),
		          res.target_groups ? "" : " (no target was registered or deregistered)");
	gws_log(GWS_LOG_INFO, "targets",
	        "%s: %zu target group%s, %zu target%s registered, %zu deregistered, %zu call%s",
	        gws_kube_source(kube), res.target_groups, res.target_groups == 1 ? "" : "s",
	        res.registered, res.registered == 1 ? "" : "s", res.deregistered, res.calls,
	        res.calls == 1 ? "" : "s");
	gws_kube_free(kube);
	*out = res;
	return exit_code;
}

int cli_sync_write_bindings(const cli_status *st, const char *vpc_id, const char *root)
{
	return write_bindings(st, vpc_id, root);
}

/* The run's results as the report sees them (the target group ARNs), cut to
 * the shard's own stacks when the run is one shard. */
static int prepare(cli_status *st, const gws_model *model, const gws_reconcile *r,
                   const struct cli_shard *shard)
{
	cli_status_init(st);
	if (cli_status_prepare(st, model, r, NULL, NULL, 0) < 0) {
		cli_status_dispose(st);
		return CLI_EXIT_INTERNAL;
	}
	if (shard)
		cli_shard_report(shard, &st->input);
	return 0;
}

int cli_sync_targets_direct(const cli_targets_flags *f, const gws_model *model,
                            const gws_reconcile *r, gws_aws_client *client, bool dry_run,
                            const struct cli_shard *shard, gws_targets_direct_result *out)
{
	gws_targets_mode mode;
	cli_status st;
	int exit_code;

	memset(out, 0, sizeof(*out));
	if (gws_targets_mode_parse(&mode, f->mode) < 0 || mode != GWS_TARGETS_DIRECT)
		return 0;
	if ((exit_code = prepare(&st, model, r, shard)) != 0)
		return exit_code;
	exit_code = register_direct(f, &st, client, dry_run, out);
	cli_status_dispose(&st);
	return exit_code;
}

int cli_sync_targets(const cli_targets_flags *f, const gws_model *model, const gws_reconcile *r,
                     const char *root, bool dry_run, const struct cli_shard *shard)
{
	gws_targets_mode mode;
	cli_status st;
	int exit_code;

	/* A git source's bindings went with the status commit (sync_publish.c). */
	if (gws_targets_mode_parse(&mode, f->mode) < 0 || mode != GWS_TARGETS_BINDING || dry_run ||
	    !root)
		return 0;
	if ((exit_code = prepare(&st, model, r, shard)) != 0)
		return exit_code;
	exit_code = write_bindings(&st, gws_reconcile_get_plan(r)->vpc_id, root);
	cli_status_dispose(&st);
	return exit_code;
}

int cli_sync_cluster_services(const cli_targets_flags *f, gws_manifest_store *store,
                              gws_diag_list *diags)
{
	gws_kube_options kopts = {0};
	gws_kube *kube = NULL;
	size_t added = 0;
	int rc;

	kopts.context = f->kube_context;
	if ((rc = gws_kube_new(&kube, &kopts)) == GWS_ENOTFOUND) {
		gws_log(GWS_LOG_DEBUG, "targets",
		        "no Kubernetes API configured: Services come from the repository only");
		return 0;
	}
	if (rc == 0)
		rc = gws_targets_add_cluster_services(store, kube, diags, &added);
	if (rc < 0) {
		gws_print(stderr,
		          "gwsync sync: Services from the cluster: %s (nothing was applied; no "
		          "Service was guessed)",
		          gws_error_last());
		gws_kube_free(kube);
		return rc == GWS_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < gws_manifest_count(store, GWS_KIND_SERVICE); i++) {
		const gws_manifest_object *o = gws_manifest_at(store, GWS_KIND_SERVICE, i);

		if (o->file && strcmp(o->file, "") != 0 && gws_str_startswith(o->file, "https://"))
			gws_log(GWS_LOG_INFO, "targets",
			        "Service %s/%s: from the Kubernetes API %s", o->meta.namespace_,
			        o->meta.name, o->file);
	}
	gws_log(GWS_LOG_INFO, "targets", "%zu Service%s from %s (%s) that the repository lacks",
	        added, added == 1 ? "" : "s", gws_kube_server(kube), gws_kube_source(kube));
	gws_kube_free(kube);
	return 0;
}
