/*
 * The command-line front end: exit codes, the option table parser shared by
 * every subcommand, and the subcommands themselves. The CLI stays thin: it
 * parses, calls the library through public headers, prints, and maps
 * results to the documented exit codes.
 */
#ifndef GWSYNC_CLI_H
#define GWSYNC_CLI_H

#include <stdbool.h>

#include "gwsync/core.h"

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

/* Common options every command that reads manifests takes. */
typedef struct {
	const char *repo;
	const char *path;
	const char *ref;
	long max_file_size;
	bool verbose;
	const char *log_format;
} cli_common;

/* Applies -v / --log-format to the logger. */
void cli_setup_logging(const cli_common *common);
/* Checks --repo for the offline commands: a local directory for now. */
int cli_check_local_repo(const char *cmd, const cli_common *common);

/* Prints each diagnostic on its own stdout line (sorted by the caller). */
int cli_print_diags(const gws_diag_list *diags);

int cli_cmd_version(int argc, char **argv);
int cli_cmd_validate(int argc, char **argv);
int cli_cmd_render(int argc, char **argv);

#endif
