/*
 * gwsync entry point: global flags and the subcommand table. Subcommands
 * live in cmd_<name>.c and return a documented exit code.
 */
#include <curl/curl.h>
#include <git2.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	bool offline; /* no libcurl; libgit2 only once the source module opens a git repo */
} cli_command;

static const cli_command commands[] = {
        {"aws-check", cli_cmd_aws_check,
         "check AWS configuration, credentials and permissions (read-only)", false},
        {"render", cli_cmd_render, "print the load balancers and status gwsync would produce",
         true},
        {"sync", cli_cmd_sync,
         "make AWS match the manifests: observe, plan, apply (the default command)", false},
        {"validate", cli_cmd_validate, "load and validate the manifests offline", true},
        {"version", cli_cmd_version, "print version, commit and library versions", true},
};

static void print_help(void)
{
	static const char intro[] =
	        "gwsync - make AWS load balancers match the Gateway API manifests in a Git "
	        "repository\n\n"
	        "Usage: gwsync <command> [options]\n"
	        "       gwsync [sync] --repo URL|PATH --cluster NAME [--dry-run] ...\n"
	        "       gwsync <command> --help\n\n"
	        "Commands:";
	static const char outro[] =
	        "\nEvery option has an environment twin: --repo is GWSYNC_REPO, --max-file-size "
	        "is\n"
	        "GWSYNC_MAX_FILE_SIZE; an option on the command line wins.\n"
	        "Output goes to stdout, logs to stderr.\n\n"
	        "Exit codes:\n"
	        "  0  success (converged, applied, or valid)\n"
	        "  1  internal error\n"
	        "  2  changes or drift pending (with --detailed-exitcode)\n"
	        "  3  usage or configuration error\n"
	        "  4  desired state invalid: a manifest failed to parse or validate\n"
	        "  5  a safety guard stopped the run; nothing destructive done\n"
	        "  6  another run holds the lock\n"
	        "  7  partial apply: some AWS calls failed; a rerun is safe\n"
	        "  8  AWS authentication or authorization failure\n"
	        "  9  deadline exceeded\n"
	        " 10  AWS converged but the status commit/push failed\n"
	        "128+N  ended by signal N (SIGHUP 129, SIGINT 130, SIGTERM 143)";

	gws_print_lines(stdout, intro, sizeof(intro) - 1);
	for (size_t i = 0; i < GWS_ARRAY_SIZE(commands); i++)
		gws_print(stdout, "  %-10s %s", commands[i].name, commands[i].summary);
	gws_print_lines(stdout, outro, sizeof(outro) - 1);
}

static int run(int argc, char **argv)
{
	const char *name;

	if (argc < 2) {
		print_help();
		return CLI_EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
		print_help();
		return CLI_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0)
		return cli_cmd_version(1, argv + 1);
	for (size_t i = 0; i < GWS_ARRAY_SIZE(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	/* No command: options go to sync, the default ("gwsync --repo URL --dry-run"). */
	if (name[0] == '-')
		return cli_cmd_sync(argc, argv);
	return cli_usage_error(NULL, "unknown command '%s'", name);
}

/*
 * libgit2's initialisation reads the whole system CA bundle (~15 ms, longer
 * than rendering a small repository): commands that stay offline skip it.
 * validate and render start it only when --repo is a git URL or --ref is
 * given (gws_source_open/free pair git_libgit2_init/shutdown themselves).
 */
static bool needs_network(int argc, char **argv)
{
	if (argc < 2)
		return false;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return !commands[i].offline;
	return argv[1][0] == '-' && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0 &&
	       strcmp(argv[1], "--version") != 0;
}

int main(int argc, char **argv)
{
	bool network = needs_network(argc, argv);
	int code;

	cli_register_secrets(NULL);
	if (network) {
		git_libgit2_init();
		curl_global_init(CURL_GLOBAL_DEFAULT);
	}
	code = run(argc, argv);
	if (network) {
		curl_global_cleanup();
		git_libgit2_shutdown();
	}
	fflush(stdout);
	return code;
}
