/*
 * The targets step of `gwsync sync` (docs/targets.md): the wiring between
 * the run's results and src/targets.
 */
#include <string.h>

#include "cli/sync_targets.h"
#include "gwsync/targets.h"

int cli_sync_targets_publish(const cli_targets_flags *f, const gws_report_input *status,
                             const char *vpc_id, const char *root)
{
	gws_targets_input in = {0};
	gws_targets_result res = {0};
	gws_targets_mode mode;

	if (gws_targets_mode_parse(&mode, f->mode) < 0 || mode != GWS_TARGETS_BINDING)
		return 0;
	in.model = status->model;
	in.resources = status->resources;
	in.n_resources = status->n_resources;
	in.vpc_id = vpc_id;
	/* An offline or partly read run does not know every ARN: keep what is there. */
	in.keep_unmatched = !status->observed || status->n_unread_stacks > 0;
	if (gws_targets_write_bindings(&in, root, &res) < 0) {
		gws_print(stderr, "gwsync sync: the TargetGroupBindings were not written: %s",
		          gws_error_last());
		return CLI_EXIT_PUSH;
	}
	gws_log(GWS_LOG_INFO, "targets",
	        "%zu TargetGroupBinding%s in .gwsync/%s/" GWS_TARGETS_RENDERED_DIR
	        ": %zu file%s written, %zu removed%s",
	        res.bindings, res.bindings == 1 ? "" : "s", gws_model_cluster(status->model),
	        res.written, res.written == 1 ? "" : "s", res.removed,
	        res.changed ? "" : " (unchanged)");
	return 0;
}
