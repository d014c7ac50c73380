/*
 * `gwsync validate`: load and validate the manifests offline and print every
 * problem, sorted, one per line on stdout. Exit 4 when any error exists so a
 * pull-request pipeline can gate on it.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "gwsync/manifest.h"
#include "gwsync/model.h"

static const cli_command_info info = {
        "validate",
        "Load and validate every manifest offline (no AWS, no network for a local --repo).",
        "gwsync validate --repo URL|PATH [--ref REF] [--path DIR] [--max-file-size BYTES]",
        "Reads every *.yaml and *.yml file below the repository's DIR (hidden directories\n"
        "such as .git are skipped). A URL (https, ssh, file://, git@host:path) is fetched\n"
        "into the --workdir cache; REF (branch, tag, full ref name or commit id; default\n"
        "the remote's default branch) is resolved as 'git rev-parse' does, and only the\n"
        "YAML files below DIR of that commit are written out, sizes checked first. A\n"
        "local git repository with --ref is read at that ref without touching its work\n"
        "tree. Then it applies the CRD defaults and checks the manifests as the API server\n"
        "and the CRD schemas would. Each problem is printed as\n"
        "  file:line:col: Kind namespace/name: field.path: message\n"
        "followed by a one-line summary. More in docs/git-source.md.\n"
        "\n"
        "Exit codes: 0 valid (warnings allowed), 3 usage error, unknown ref, missing or\n"
        "empty repository, 4 manifests invalid (or not read: over a size cap), 6 another\n"
        "run holds the git cache, 8 git authentication failed, 1 internal error or\n"
        "repository unreachable, 128+N ended by signal N (SIGTERM: 143).",
};

int cli_print_diags(const gws_diag_list *diags)
{
	gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE);
	int error = 0;

	for (size_t i = 0; i < diags->count && error == 0; i++) {
		gws_buf_clear(&line);
		if ((error = gws_diag_format(&line, &diags->items[i])) == 0)
			error = gws_print(stdout, "%s", gws_buf_cstr(&line));
	}
	if (error == 0 && diags->dropped)
		error = gws_print(stdout, "(%zu more problems not shown)", diags->dropped);
	gws_buf_dispose(&line);
	return error < 0 ? -1 : 0;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* "validate: 0 errors, 1 warning; 23 objects in 9 files, 2 documents of other kinds ignored" */
static void print_summary_line(const gws_manifest_store *store, const gws_diag_list *diags)
{
	gws_manifest_stats st;

	gws_manifest_get_stats(store, &st);
	gws_print(
	        stdout,
	        "validate: %zu error%s, %zu warning%s; %zu object%s in %zu file%s, %zu document%s "
	        "of other kinds ignored",
	        diags->errors, plural(diags->errors), diags->warnings, plural(diags->warnings),
	        st.objects, plural(st.objects), st.files, plural(st.files), st.ignored,
	        plural(st.ignored));
}

static int add_model_errors(gws_diag_list *to, const gws_diag_list *model_diags)
{
	for (size_t i = 0; i < model_diags->count; i++) {
		const gws_diag *d = &model_diags->items[i];
		int error;
		if (d->severity == GWS_DIAG_ERROR &&
		    (error = gws_diag_add(to, d->severity, d->file, d->line, d->column, d->object,
		                          d->field, "%s", d->message)) < 0)
			return error;
	}
	return 0;
}

int cli_cmd_validate(int argc, char **argv)
{
	cli_common common = CLI_COMMON_INIT;
	cli_model_flags model_flags;
	const cli_opt opts[] = {
	        CLI_COMMON_OPTS(&common),
	        CLI_MODEL_OPTS(&model_flags),
	        {.name = NULL},
	};
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_source *source = NULL;
	gws_buf summary = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_diag_list diags, model_diags;
	int error, exit_code;

	gws_diag_list_init(&diags);
	cli_model_flags_init(&model_flags);
	if ((error = cli_parse(&info, opts, argc, argv)) != 0)
		return error < 0 ? CLI_EXIT_OK : error;
	cli_setup_logging(&common);
	if ((exit_code = cli_open_repo(info.name, &common, &source, &diags)) != 0)
		goto cleanup;

	if ((error = cli_load_manifests(&common, &store, &diags)) < 0) {
		cli_report_error(info.name);
		exit_code = cli_exit_for_error(error);
		goto cleanup;
	}
	/* Model warnings are listed in the summary below; model errors (a listener
	 * that cannot be created, such as HTTPS without any certificate source)
	 * make the repository invalid as manifest errors do, as with render. */
	gws_diag_list_init(&model_diags);
	error = cli_build_model(&model_flags, store, &model, &model_diags);
	if (error >= 0)
		error = add_model_errors(&diags, &model_diags);
	gws_diag_list_dispose(&model_diags);
	if (error < 0) {
		cli_report_error(info.name);
		exit_code = cli_exit_for_error(error);
		goto cleanup;
	}
	gws_diag_list_sort(&diags);
	if (cli_print_diags(&diags) < 0 || gws_model_render_summary(&summary, model) < 0) {
		cli_report_error(info.name);
		exit_code = CLI_EXIT_INTERNAL;
		goto cleanup;
	}
	gws_print_lines(stdout, gws_buf_cstr(&summary), summary.size);
	print_summary_line(store, &diags);
	exit_code = diags.errors ? CLI_EXIT_INVALID : CLI_EXIT_OK;
cleanup:
	gws_buf_dispose(&summary);
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_source_free(source);
	gws_diag_list_dispose(&diags);
	return exit_code;
}
