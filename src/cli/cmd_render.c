/*
 * `gwsync render`: load the manifests, build the model offline and print the
 * DESIGN.md §4 document (JSON, or the same content as YAML). Exit 4 when a
 * manifest is invalid (the document is still printed, with the diagnostics).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "gwsync/manifest.h"
#include "gwsync/model.h"

static const cli_command_info info = {
        "render",
        "Print the AWS resources and the Gateway API status gwsync would produce (offline).",
        "gwsync render --repo PATH [--path DIR] [-o json|yaml] [--cluster NAME]",
        "Builds, for every Gateway whose GatewayClass names the ALB or NLB controller, the\n"
        "load balancer, listeners, rules, target groups and security group, plus the status\n"
        "of every Gateway API object, and prints them as one document on stdout. The output\n"
        "is byte-identical for identical input, whatever the file names or order.\n"
        "\n"
        "Exit codes: 0 rendered, 3 usage error, 4 manifests invalid (still rendered),\n"
        "1 internal error.",
};

#if defined(__linux__) && !defined(F_SETPIPE_SZ)
#define F_SETPIPE_SZ 1031 /* <fcntl.h> shows it only with _GNU_SOURCE */
#endif

/*
 * A render document runs to tens of megabytes. Through a default 64 KiB pipe
 * the writer and the reader take turns every 64 KiB (a context switch each);
 * a 1 MiB pipe lets both run. Best effort: on failure the pipe stays as it is.
 */
static void widen_pipe(FILE *out)
{
#ifdef F_SETPIPE_SZ
	struct stat st;
	int fd = fileno(out);

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
	(void)out;
#endif
}

int cli_cmd_render(int argc, char **argv)
{
	cli_common common = {0};
	const char *output = "json";
	const char *cluster = NULL, *alb_name = NULL, *nlb_name = NULL, *target_type = "instance";
	bool weighted = true;
	long max_rules = GWS_MODEL_MAX_RULES_PER_ALB, max_tgs = GWS_MODEL_MAX_TGS_PER_ALB;
	const cli_opt opts[] = {
	        {"repo", 0, CLI_OPT_STRING, &common.repo, "PATH", "repository directory to read",
	         NULL, 0, 0, false},
	        {"path", 0, CLI_OPT_STRING, &common.path, "DIR",
	         "sub-directory of the repository holding the manifests", NULL, 0, 0, false},
	        {"output", 'o', CLI_OPT_CHOICE, &output, "json|yaml",
	         "document format (default json)", "json|yaml", 0, 0, false},
	        {"cluster", 0, CLI_OPT_STRING, &cluster, "NAME",
	         "cluster name in names and ownership tags (default \"default\")", NULL, 0, 0,
	         false},
	        {"alb-controller-name", 0, CLI_OPT_STRING, &alb_name, "NAME",
	         "GatewayClass controllerName of ALB Gateways (default gateway.k8s.aws/alb)", NULL,
	         0, 0, false},
	        {"nlb-controller-name", 0, CLI_OPT_STRING, &nlb_name, "NAME",
	         "GatewayClass controllerName of NLB Gateways (default gateway.k8s.aws/nlb)", NULL,
	         0, 0, false},
	        {"nlb-weighted-forward", 0, CLI_OPT_FLAG, &weighted, NULL,
	         "send weighted target groups to NLB listeners (default true)", NULL, 0, 0, false},
	        {"default-target-type", 0, CLI_OPT_CHOICE, &target_type, "instance|ip",
	         "target type without a TargetGroupConfiguration (default instance, as LBC)",
	         "instance|ip", 0, 0, false},
	        {"max-rules-per-alb", 0, CLI_OPT_INT, &max_rules, "N",
	         "listener rules quota per ALB (default 100)", NULL, 1, 100000, false},
	        {"max-target-groups-per-alb", 0, CLI_OPT_INT, &max_tgs, "N",
	         "target groups quota per ALB (default 100)", NULL, 1, 100000, false},
	        {"max-file-size", 0, CLI_OPT_INT, &common.max_file_size, "BYTES",
	         "largest manifest file accepted (default 16777216)", NULL, 1, 1L << 30, false},
	        {"verbose", 'v', CLI_OPT_FLAG, &common.verbose, NULL, "debug logging on stderr",
	         NULL, 0, 0, false},
	        {"log-format", 0, CLI_OPT_CHOICE, &common.log_format, "text|json",
	         "log line format on stderr", "text|json", 0, 0, false},
	        {NULL, 0, CLI_OPT_FLAG, NULL, NULL, NULL, NULL, 0, 0, false},
	};
	gws_manifest_options mopts = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options model_opts = GWS_MODEL_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_buf doc = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_diag_list diags;
	int error, exit_code;

	gws_diag_list_init(&diags);
	if ((error = cli_parse(&info, opts, argc, argv)) != 0)
		return error < 0 ? CLI_EXIT_OK : error;
	cli_setup_logging(&common);
	if ((exit_code = cli_check_local_repo(info.name, &common)) != 0)
		return exit_code;

	mopts.root = common.repo;
	mopts.path = common.path;
	mopts.max_file_size = (size_t)common.max_file_size;
	model_opts.cluster = cluster;
	model_opts.alb_controller_name = alb_name;
	model_opts.nlb_controller_name = nlb_name;
	model_opts.nlb_weighted_forward = weighted;
	model_opts.max_rules_per_alb = max_rules;
	model_opts.max_tgs_per_alb = max_tgs;
	model_opts.default_target_type = target_type;
	if ((error = gws_manifest_load(&store, &mopts, &diags)) < 0 ||
	    (error = gws_model_build(&model, store, &model_opts, &diags)) < 0) {
		cli_report_error(info.name);
		exit_code = error == GWS_EINVALID ? CLI_EXIT_USAGE : cli_exit_for_error(error);
		goto cleanup;
	}
	widen_pipe(stdout);
	if (output[0] == 'y') {
		if ((error = gws_model_render_yaml(&doc, model, &diags)) == 0)
			fwrite(gws_buf_cstr(&doc), 1, doc.size, stdout);
	} else {
		error = gws_model_write_json(stdout, model, &diags);
	}
	if (error < 0) {
		cli_report_error(info.name);
		exit_code = CLI_EXIT_INTERNAL;
		goto cleanup;
	}
	if (fflush(stdout) != 0) {
		exit_code = CLI_EXIT_INTERNAL;
		goto cleanup;
	}
	exit_code = diags.errors ? CLI_EXIT_INVALID : CLI_EXIT_OK;
cleanup:
	gws_buf_dispose(&doc);
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
	return exit_code;
}
