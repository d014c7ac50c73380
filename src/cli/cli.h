/*
 * The command-line front end: exit codes, the option table parser shared by
 * every subcommand, and the subcommands themselves. The CLI stays thin: it
 * parses, calls the library through public headers, prints, and maps
 * results to the documented exit codes.
 */
#ifndef GWSYNC_CLI_H
#define GWSYNC_CLI_H

#include <stdbool.h>

#include "gwsync/aws.h"
#include "gwsync/core.h"
#include "gwsync/manifest.h"
#include "gwsync/model.h"
#include "gwsync/source.h"

/*
 * Everything the CLI writes goes through gws_print, gws_print_lines and
 * gws_print_document (core/print.c), which scrub secrets and URL passwords
 * and escape untrusted text. The stdio printing functions are poisoned so
 * that a new printf cannot bypass them by accident.
 */
#if defined(__GNUC__)
#pragma GCC poison printf vprintf fprintf vfprintf dprintf puts fputs putchar fputc fwrite perror
#endif

/* Exit codes: documented in --help and the README; CI pipelines branch on them. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_INTERNAL = 1,
	CLI_EXIT_CHANGES = 2,
	CLI_EXIT_USAGE = 3,
	CLI_EXIT_INVALID = 4,
	CLI_EXIT_GUARD = 5,
	CLI_EXIT_LOCKED = 6,
	CLI_EXIT_PARTIAL = 7,
	CLI_EXIT_AUTH = 8,
	CLI_EXIT_DEADLINE = 9,
	CLI_EXIT_PUSH = 10,
};

typedef enum {
	CLI_OPT_FLAG,     /* --x sets true; --x=false or --no-x sets false */
	CLI_OPT_STRING,   /* --x VALUE or --x=VALUE */
	CLI_OPT_INT,      /* --x N, range-checked */
	CLI_OPT_DURATION, /* --x 30s|5m|1h30m|250ms|N (seconds) */
	CLI_OPT_CHOICE,   /* --x VALUE, one of `choices` */
} cli_opt_kind;

typedef struct {
	const char *name; /* long name without dashes, e.g. "repo" */
	char short_name;  /* 'o', or 0 */
	cli_opt_kind kind;
	void *dest;          /* bool*, const char**, long*, long long* (ms) */
	const char *metavar; /* "URL|PATH" */
	const char *help;
	const char *choices; /* CHOICE: "json|yaml" */
	long min, max;       /* INT range */
	bool no_env;         /* no GWSYNC_<NAME> twin (e.g. --help) */
} cli_opt;

typedef struct {
	const char *name;
	const char *summary;
	const char *usage;   /* "gwsync validate --repo PATH [--path DIR]" */
	const char *details; /* more help text, may be NULL */
} cli_command_info;

/*
 * Parses argv (argv[0] is the subcommand name) against `opts` (terminated by
 * an entry with name NULL). Options not given on the command line are taken
 * from their environment twin GWSYNC_<NAME> (dashes become underscores).
 * Returns 0, CLI_EXIT_USAGE after printing a one-line error and a hint, or
 * -1 when --help was given and printed (the caller exits 0).
 */
int cli_parse(const cli_command_info *cmd, const cli_opt *opts, int argc, char **argv);
void cli_print_help(const cli_command_info *cmd, const cli_opt *opts);
/* One-line usage error plus "Try 'gwsync CMD --help'."; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) GWS_PRINTF(2, 3);
/* Maps a library error code to the documented exit code. */
int cli_exit_for_error(int error);
/* Prints "gwsync: <last error>" on stderr. */
void cli_report_error(const char *cmd);
/* Registers the secrets that enter through the command line and the
 * environment: GWSYNC_GIT_TOKEN, and the password of `repo` (may be NULL),
 * as given and percent-decoded, so that no printed line shows them. */
void cli_register_secrets(const char *repo);

/* Common options every command that reads manifests takes. */
typedef struct {
	const char *repo;
	const char *path;
	const char *ref;
	const char *workdir;
	const char *ssh_known_hosts;
	const char *root; /* set by cli_open_repo: the checked-out directory */
	long max_file_size;
	long long lock_timeout_ms; /* -1 = the source's default */
	bool verbose;
	const char *log_format;
} cli_common;

#define CLI_COMMON_INIT                                                                            \
	{                                                                                          \
		.lock_timeout_ms = -1                                                              \
	}

/* Option table entries every command that reads manifests shares. */
#define CLI_COMMON_OPTS(c)                                                                         \
	{.name = "repo",                                                                           \
	 .kind = CLI_OPT_STRING,                                                                   \
	 .dest = &(c)->repo,                                                                       \
	 .metavar = "URL|PATH",                                                                    \
	 .help = "git URL (https, ssh, file) or local directory to read"},                         \
	        {.name = "ref",                                                                    \
	         .kind = CLI_OPT_STRING,                                                           \
	         .dest = &(c)->ref,                                                                \
	         .metavar = "REF",                                                                 \
	         .help = "branch, tag or commit to read (default: the remote's default branch, "   \
	                 "or a local directory as it is)"},                                        \
	        {.name = "workdir",                                                                \
	         .kind = CLI_OPT_STRING,                                                           \
	         .dest = &(c)->workdir,                                                            \
	         .metavar = "DIR",                                                                 \
	         .help = "cache directory for clones (default $XDG_CACHE_HOME/gwsync)"},           \
	        {.name = "ssh-known-hosts",                                                        \
	         .kind = CLI_OPT_STRING,                                                           \
	         .dest = &(c)->ssh_known_hosts,                                                    \
	         .metavar = "PATH",                                                                \
	         .help = "known_hosts file that ssh host keys are checked against (default "       \
	                 "~/.ssh/known_hosts)"},                                                   \
	        {.name = "path",                                                                   \
	         .kind = CLI_OPT_STRING,                                                           \
	         .dest = &(c)->path,                                                               \
	         .metavar = "DIR",                                                                 \
	         .help = "sub-directory of the repository holding the manifests"},                 \
	        {.name = "max-file-size",                                                          \
	         .kind = CLI_OPT_INT,                                                              \
	         .dest = &(c)->max_file_size,                                                      \
	         .metavar = "BYTES",                                                               \
	         .help = "largest manifest file accepted (default 16777216)",                      \
	         .min = 1,                                                                         \
	         .max = 1L << 30},                                                                 \
	        {.name = "lock-timeout",                                                           \
	         .kind = CLI_OPT_DURATION,                                                         \
	         .dest = &(c)->lock_timeout_ms,                                                    \
	         .metavar = "DURATION",                                                            \
	         .help = "wait this long for another run using the same git cache (default 60s; "  \
	                 "then exit 6)"},                                                          \
	        {.name = "verbose",                                                                \
	         .short_name = 'v',                                                                \
	         .kind = CLI_OPT_FLAG,                                                             \
	         .dest = &(c)->verbose,                                                            \
	         .help = "debug logging on stderr"},                                               \
	{                                                                                          \
		.name = "log-format", .kind = CLI_OPT_CHOICE, .dest = &(c)->log_format,            \
		.metavar = "text|json", .help = "log line format on stderr",                       \
		.choices = "text|json"                                                             \
	}

/* The model's settings, shared by render and validate so both see the same model. */
typedef struct {
	const char *cluster;
	const char *alb_controller_name;
	const char *nlb_controller_name;
	const char *default_target_type;
	bool nlb_weighted_forward;
	long max_rules_per_alb;
	long max_tgs_per_alb;
} cli_model_flags;

void cli_model_flags_init(cli_model_flags *m);

#define CLI_MODEL_OPTS(m)                                                                          \
	{.name = "cluster",                                                                        \
	 .kind = CLI_OPT_STRING,                                                                   \
	 .dest = &(m)->cluster,                                                                    \
	 .metavar = "NAME",                                                                        \
	 .help = "cluster name in names and ownership tags (default \"default\")"},                \
	        {.name = "alb-controller-name",                                                    \
	         .kind = CLI_OPT_STRING,                                                           \
	         .dest = &(m)->alb_controller_name,                                                \
	         .metavar = "NAME",                                                                \
	         .help = "GatewayClass controllerName of ALB Gateways (default "                   \
	                 "gateway.k8s.aws/alb)"},                                                  \
	        {.name = "nlb-controller-name",                                                    \
	         .kind = CLI_OPT_STRING,                                                           \
	         .dest = &(m)->nlb_controller_name,                                                \
	         .metavar = "NAME",                                                                \
	         .help = "GatewayClass controllerName of NLB Gateways (default "                   \
	                 "gateway.k8s.aws/nlb)"},                                                  \
	        {.name = "nlb-weighted-forward",                                                   \
	         .kind = CLI_OPT_FLAG,                                                             \
	         .dest = &(m)->nlb_weighted_forward,                                               \
	         .help = "send weighted target groups to NLB listeners (default true)"},           \
	        {.name = "default-target-type",                                                    \
	         .kind = CLI_OPT_CHOICE,                                                           \
	         .dest = &(m)->default_target_type,                                                \
	         .metavar = "instance|ip",                                                         \
	         .help = "target type without a TargetGroupConfiguration (default instance, as "   \
	                 "LBC)",                                                                   \
	         .choices = "instance|ip"},                                                        \
	        {.name = "max-rules-per-alb",                                                      \
	         .kind = CLI_OPT_INT,                                                              \
	         .dest = &(m)->max_rules_per_alb,                                                  \
	         .metavar = "N",                                                                   \
	         .help = "listener rules quota per ALB (default 100)",                             \
	         .min = 1,                                                                         \
	         .max = 100000},                                                                   \
	{                                                                                          \
		.name = "max-target-groups-per-alb", .kind = CLI_OPT_INT,                          \
		.dest = &(m)->max_tgs_per_alb, .metavar = "N",                                     \
		.help = "target groups quota per ALB (default 100)", .min = 1, .max = 100000       \
	}

/* AWS settings every command that talks to AWS takes (aws-check, sync). */
typedef struct {
	const char *region;
	const char *endpoint_url;
	const char *profile;
	long concurrency;
	long rps;
} cli_aws_flags;

#define CLI_AWS_FLAGS_INIT                                                                         \
	{                                                                                          \
		NULL, NULL, NULL, 8, 0                                                             \
	}

#define CLI_AWS_OPTS(a)                                                                            \
	{.name = "region",                                                                         \
	 .kind = CLI_OPT_STRING,                                                                   \
	 .dest = &(a)->region,                                                                     \
	 .metavar = "R",                                                                           \
	 .help = "AWS region (default AWS_REGION, AWS_DEFAULT_REGION, the profile's)"},            \
	        {.name = "endpoint-url",                                                           \
	         .kind = CLI_OPT_STRING,                                                           \
	         .dest = &(a)->endpoint_url,                                                       \
	         .metavar = "URL",                                                                 \
	         .help = "one endpoint for ELBv2, EC2 and STS (an emulator)"},                     \
	        {.name = "profile",                                                                \
	         .kind = CLI_OPT_STRING,                                                           \
	         .dest = &(a)->profile,                                                            \
	         .metavar = "NAME",                                                                \
	         .help = "shared config profile (default AWS_PROFILE, else default)"},             \
	        {.name = "aws-concurrency",                                                        \
	         .kind = CLI_OPT_INT,                                                              \
	         .dest = &(a)->concurrency,                                                        \
	         .metavar = "N",                                                                   \
	         .help = "AWS requests in flight (1..64, default 8)",                              \
	         .min = 1,                                                                         \
	         .max = 64},                                                                       \
	{                                                                                          \
		.name = "aws-rps", .kind = CLI_OPT_INT, .dest = &(a)->rps, .metavar = "N",         \
		.help = "AWS requests per second (default 0: unlimited)", .min = 0, .max = 100000  \
	}

/* Loads the AWS configuration; requires a region. 0 or an exit code after printing why. */
int cli_aws_config(const char *cmd, const cli_aws_flags *f, gws_aws_config **cfg);
/* The client with the credentials chain, concurrency and rate the flags say. */
int cli_aws_client(const cli_aws_flags *f, const gws_aws_config *cfg, long long timeout_ms,
                   gws_aws_client **client);

/* Loads the manifests of the opened repository (common->root) and --path into *store, adding
 * problems to diags. */
int cli_load_manifests(const cli_common *common, gws_manifest_store **store, gws_diag_list *diags);
/* Builds the model with the flags' settings. */
int cli_build_model(const cli_model_flags *m, const gws_manifest_store *store, gws_model **model,
                    gws_diag_list *diags);

/* Applies -v / --log-format to the logger. */
void cli_setup_logging(const cli_common *common);
/*
 * Opens --repo (cloning or fetching a URL, writing out the manifests of
 * --ref) and sets common->root to the directory to read; what the
 * repository holds but is not read goes to `diags`. Installs the
 * termination handlers first (cli_handle_termination). Returns 0 or an
 * exit code after printing the error.
 */
int cli_open_repo(const char *cmd, cli_common *common, gws_source **out, gws_diag_list *diags);

/*
 * SIGTERM, SIGINT and SIGHUP end the run with exit code 128 + the signal's
 * number (143, 130, 129), after removing a temporary git cache; the kernel
 * releases the cache lock. A signal that is ignored (nohup) or that the
 * command handles itself (sync's graceful stop) is left as it is.
 */
void cli_handle_termination(void);

/* Prints each diagnostic on its own stdout line (sorted by the caller). */
int cli_print_diags(const gws_diag_list *diags);

int cli_cmd_version(int argc, char **argv);
int cli_cmd_validate(int argc, char **argv);
int cli_cmd_render(int argc, char **argv);
int cli_cmd_aws_check(int argc, char **argv);
int cli_cmd_sync(int argc, char **argv);

#endif
