/*
 * `gwsync render`: load the manifests, build the model offline and print the
 * render document (docs/render.md; JSON, or the same content as YAML). Exit 4 when a
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
        "gwsync render --repo URL|PATH [--ref REF] [--path DIR] [-o json|yaml] [--cluster NAME]",
        "Builds, for every Gateway whose GatewayClass names the ALB or NLB controller, the\n"
        "load balancer, listeners, rules, target groups and security group, plus the status\n"
        "of every Gateway API object, and prints them as one document on stdout. The output\n"
        "is byte-identical for identical input, whatever the file names or order.\n"
        "--repo and --ref are read as by 'gwsync validate'.\n"
        "\n"
        "Exit codes: 0 rendered, 3 usage error, unknown ref, missing or empty repository,\n"
        "4 manifests invalid (still rendered), 6 another run holds the git cache, 8 git\n"
        "authentication failed, 1 internal error or repository unreachable, 128+N ended by\n"
        "signal N (SIGTERM: 143).",
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
	cli_common common = CLI_COMMON_INIT;
	cli_model_flags model_flags;
	const char *output = "json";
	const cli_opt opts[] = {
	        CLI_COMMON_OPTS(&common),
	        {.name = "output",
	         .short_name = 'o',
	         .kind = CLI_OPT_CHOICE,
	         .dest = &output,
	         .metavar = "json|yaml",
	         .help = "document format (default json)",
	         .choices = "json|yaml"},
	        CLI_MODEL_OPTS(&model_flags),
	        {.name = NULL},
	};
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_source *source = NULL;
	gws_buf doc = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_diag_list diags;
	int error, exit_code;

	gws_diag_list_init(&diags);
	cli_model_flags_init(&model_flags);
	if ((error = cli_parse(&info, opts, argc, argv)) != 0)
		return error < 0 ? CLI_EXIT_OK : error;
	cli_setup_logging(&common);
	if ((exit_code = cli_open_repo(info.name, &common, &source, &diags)) != 0)
		goto cleanup;

	if ((error = cli_load_manifests(&common, &store, &diags)) < 0 ||
	    (error = cli_build_model(&model_flags, store, &model, &diags)) < 0) {
		cli_report_error(info.name);
		exit_code = cli_exit_for_error(error);
		goto cleanup;
	}
	widen_pipe(stdout);
	/* Streamed straight out when no secret is registered (nothing to
	 * scrub: the common case, and a document runs to tens of megabytes);
	 * otherwise through gws_print_document like every other output. */
	if (output[0] == 'y')
		error = gws_model_render_yaml(&doc, model, &diags);
	else if (gws_secret_any())
		error = gws_model_render_json(&doc, model, &diags);
	else
		error = gws_model_write_json(stdout, model, &diags);
	if (error == 0 && doc.size)
		error = gws_print_document(stdout, &doc);
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
	gws_source_free(source);
	gws_diag_list_dispose(&diags);
	return exit_code;
}
