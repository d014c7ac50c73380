/*
 * `gwsync sync` (the default command): read the manifests, build the model,
 * observe AWS, print the plan, apply it (unless --dry-run) and exit with
 * the documented code. The work is in src/reconcile; this file parses,
 * wires the pieces together and prints.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli/sync.h"
#include "cli/sync_targets.h"

static const cli_command_info info = {
        "sync",
        "Make AWS load balancers match the Gateway API manifests (the default command).",
        "gwsync [sync] --repo URL|PATH [--ref REF] [--path DIR] --cluster NAME [--region R]\n"
        "                   [--dry-run] [--prune] [--max-deletions N] [--detailed-exitcode]\n"
        "                   [--output text|json|markdown] [--plan-file PATH] [--timeout DUR]\n"
        "                   [--shard K/N | --shards N]",
        "Reads the manifests, builds the load balancers, listeners, rules and target groups\n"
        "the AWS Load Balancer Controller would build, reads what gwsync owns in AWS (found by\n"
        "its ownership tags: gwsync.io/cluster, /stack, /resource, /managed-by), prints the\n"
        "plan and applies it. Symbols: + create, ~ update (before -> after), -/+ replace,\n"
        "- delete, ! changed outside gwsync (drift). A second run changes nothing.\n"
        "\n"
        "Safety: a manifest that fails to validate stops the run before any AWS call (exit 4).\n"
        "Resources without gwsync's four ownership tags for --cluster are never modified or\n"
        "deleted. Gateways removed from the manifests are deleted only with --prune, and never\n"
        "when a manifest or an AWS read failed, when the manifests hold no Gateway at all, or\n"
        "beyond --max-deletions load balancers (exit 5). Deletion protection is never turned\n"
        "off. One Gateway's AWS error never stops another's (exit 7; rerun to converge).\n"
        "Rules are reordered and replaced without a moment where a request that matched a\n"
        "rule before and after the run falls to the listener's default action.\n"
        "\n"
        "Sharding: --shard K/N makes the run handle only the Gateways whose stable hash of\n"
        "namespace/name falls in shard K of N (0 <= K < N <= 1024); --shards N takes K from\n"
        "JOB_COMPLETION_INDEX, which a Kubernetes Indexed Job sets. A shard observes, applies\n"
        "and prunes only its own Gateways' load balancers, takes its own lease and writes its\n"
        "report to .gwsync/<cluster>/shard-K-of-N/; shards never wait for each other.\n"
        "\n"
        "Exit codes: 0 converged or applied (or a dry run without --detailed-exitcode),\n"
        "2 changes or drift pending (--detailed-exitcode), 3 usage or configuration error\n"
        "(also: the Kubernetes API refused the credentials, is not trusted or unreachable),\n"
        "4 manifests invalid (nothing done), 5 a safety guard refused something, 7 some AWS\n"
        "calls or reads failed (a rerun is safe), 8 AWS authentication or permission\n"
        "failure, 9 --timeout or a stop signal (SIGTERM/SIGINT) came first, 1 internal error.",
};

typedef struct {
	cli_common common;
	cli_model_flags model;
	cli_aws_flags aws;
	const char *vpc_id;
	bool dry_run;
	bool prune;
	long max_deletions;
	bool detailed;
	const char *output;
	const char *plan_file;
	long long timeout_ms;
	const char *external_tags;
	const char *metrics_file;
	const char *pushgateway_url;
	const char *status_branch;
	bool no_push;
	const char *git_author;
	cli_targets_flags targets;
	const char *shard_spec; /* --shard K/N */
	long shards;            /* --shards N; 0: not given */
	cli_shard shard;        /* what they resolve to */
} sync_flags;

/* ---- stop and deadline ---------------------------------------------------------------
 * SIGTERM/SIGINT and --timeout stop new AWS writes; calls in flight finish and the
 * report is printed (exit 9). A hard stop 10 s after the deadline ends a run that
 * is stuck in a read.
 */

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_hard_deadline(int sig)
{
	static const char msg[] = "gwsync sync: --timeout passed 10 s ago and a call is still "
	                          "running: giving up\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
	}
	_exit(CLI_EXIT_DEADLINE);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The cluster name as the model uses it. */
static const char *cluster_of(const sync_flags *f)
{
	return f->model.cluster ? f->model.cluster : GWS_MODEL_DEFAULT_CLUSTER;
}

/* How long the run lease lasts: past the run's own deadline (and its 10 s
 * hard stop), or 30 minutes for a run without --timeout; renewed before
 * the status commit. A killed run's lease is free again after that. */
static long long lease_ttl(const sync_flags *f)
{
	return f->timeout_ms > 0 ? f->timeout_ms + 5 * 60000 : 30 * 60000;
}

static void arm_signals(long long timeout_ms)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (timeout_ms > 0) {
		struct itimerval it;

		memset(&it, 0, sizeof(it));
		sa.sa_handler = on_hard_deadline;
		sigaction(SIGALRM, &sa, NULL);
		it.it_value.tv_sec = (time_t)(timeout_ms / 1000 + 10);
		it.it_value.tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000;
		setitimer(ITIMER_REAL, &it, NULL);
	}
}

static void disarm_signals(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
}

/* ---- progress on stderr ------------------------------------------------------------ */

static void progress(void *ctx, const char *phase, size_t done, size_t total)
{
	(void)ctx;
	if (strcmp(phase, "apply") == 0 || gws_log_enabled(GWS_LOG_DEBUG))
		gws_log(GWS_LOG_INFO, "sync", "%s: %zu of %zu", phase, done, total);
}

/* ---- output ------------------------------------------------------------------------- */

static bool use_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

static int exit_code_for(const sync_flags *f, gws_reconcile_outcome o)
{
	switch (o) {
	case GWS_RECONCILE_CONVERGED:
		return CLI_EXIT_OK;
	case GWS_RECONCILE_CHANGES_PENDING:
		return f->detailed ? CLI_EXIT_CHANGES : CLI_EXIT_OK;
	case GWS_RECONCILE_GUARD:
		return CLI_EXIT_GUARD;
	case GWS_RECONCILE_PARTIAL:
		return CLI_EXIT_PARTIAL;
	case GWS_RECONCILE_AUTH:
		return CLI_EXIT_AUTH;
	case GWS_RECONCILE_DEADLINE:
		return CLI_EXIT_DEADLINE;
	}
	return CLI_EXIT_INTERNAL;
}

static int write_file(const char *path, gws_buf *b)
{
	FILE *fp = fopen(path, "w");
	int rc;

	if (!fp)
		return gws_error_set_errno(GWS_EIO, path);
	rc = gws_print_document(fp, b);
	if (fclose(fp) != 0 && rc == 0)
		rc = gws_error_set_errno(GWS_EIO, path);
	return rc;
}

static int print_plan(const sync_flags *f, const gws_reconcile *r, int exit_code)
{
	const gws_plan *plan = gws_reconcile_get_plan(r);
	gws_buf out = GWS_BUF_INIT(GWS_CAP_DOCUMENT), json = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	const char *reason = gws_reconcile_outcome_reason(r);
	int rc;

	if (strcmp(f->output, "json") == 0)
		rc = gws_plan_render_json(&out, plan, exit_code, reason);
	else if (strcmp(f->output, "markdown") == 0)
		rc = gws_plan_render_markdown(&out, plan);
	else
		rc = gws_plan_render_text(&out, plan, use_color());
	if (rc == 0 && f->plan_file) {
		rc = gws_plan_render_json(&json, plan, exit_code, reason);
		if (rc == 0)
			rc = write_file(f->plan_file, &json);
	}
	if (rc == 0 && (rc = gws_print_document(stdout, &out)) == 0 && fflush(stdout) != 0)
		rc = gws_error_set_errno(GWS_EIO, "writing the plan to stdout");
	gws_buf_dispose(&out);
	gws_buf_dispose(&json);
	return rc;
}

static void print_gateways(const gws_reconcile *r)
{
	for (size_t i = 0; i < gws_reconcile_gateway_count(r); i++) {
		const gws_reconcile_gateway *g = gws_reconcile_gateway_at(r, i);
		const char *state = g->programmed == GWS_PROGRAMMED_TRUE    ? "True"
		                    : g->programmed == GWS_PROGRAMMED_FALSE ? "False"
		                                                            : "Unknown";

		gws_log(g->programmed == GWS_PROGRAMMED_FALSE ? GWS_LOG_WARN : GWS_LOG_INFO, "sync",
		        "Gateway %s: Programmed=%s (%s)%s%s%s%s", g->stack, state, g->reason,
		        g->dns_name ? " " : "", g->dns_name ? g->dns_name : "",
		        g->message ? ": " : "", g->message ? g->message : "");
	}
}

/* ---- the run ------------------------------------------------------------------------- */

/* What one run has read, for the steps after the apply. */
typedef struct {
	cli_desired *desired;
	gws_source *source;
	const gws_model *model;
	const gws_diag_list *diags;
	char run_id[17];
	double started;    /* CLOCK_MONOTONIC seconds */
	bool metrics_done; /* written by the reconcile step */
} sync_run;

static void write_metrics(const sync_flags *f, sync_run *run, const gws_reconcile *r,
                          const gws_aws_client *client, int exit_code)
{
	cli_sync_metrics m = {f->metrics_file,
	                      f->pushgateway_url,
	                      cluster_of(f),
	                      f->shard.shard.count > 1 ? f->shard.name : NULL,
	                      exit_code,
	                      now_s() - run->started,
	                      r,
	                      client};

	cli_sync_write_metrics(&m);
	run->metrics_done = true;
}

static int aws_error_exit(int rc)
{
	if (rc == GWS_EAUTH)
		return CLI_EXIT_AUTH;
	if (rc == GWS_ETIMEOUT)
		return CLI_EXIT_DEADLINE;
	if (rc == GWS_ENOMEM)
		return CLI_EXIT_INTERNAL;
	return CLI_EXIT_PARTIAL;
}

/* "a,b,c" → a list (the strings point into a copy the caller frees). */
static const char **split_tags(const char *s, size_t *n, char **copy)
{
	const char **list;
	size_t cap = 1;

	*n = 0;
	*copy = NULL;
	if (!s)
		return NULL;
	for (const char *p = s; *p; p++)
		cap += *p == ',';
	*copy = gws_strdup(s);
	list = gws_calloc(cap, sizeof(*list));
	if (!*copy || !list) {
		gws_free(list);
		return NULL;
	}
	for (char *tok = strtok(*copy, ","); tok; tok = strtok(NULL, ","))
		if (*tok)
			list[(*n)++] = tok;
	return list;
}

/* Writes the status report into a plain folder, or commits it for a git source.
 * Returns 0 or the exit code of a failure (10: AWS is converged, the report is not). */
static int publish_status(const sync_flags *f, const sync_run *run, const gws_reconcile *r,
                          int exit_code, const gws_targets_direct_result *direct)
{
	cli_status st;
	cli_publish p;
	int rc;

	if (f->dry_run)
		return 0;
	cli_status_init(&st);
	rc = cli_status_prepare(&st, run->model, r, run->diags, gws_source_commit(run->source),
	                        time(NULL));
	if (rc < 0) {
		cli_report_error(info.name);
		cli_status_dispose(&st);
		return CLI_EXIT_PUSH;
	}
	cli_shard_report(&f->shard, &st.input);
	st.input.target_health = direct->health;
	st.input.n_target_health = direct->n_health;
	st.input.targets_mode = f->targets.mode;
	p = (cli_publish){run->source,
	                  &st,
	                  gws_reconcile_get_plan(r),
	                  cluster_of(f),
	                  run->run_id,
	                  f->status_branch,
	                  f->git_author,
	                  !f->no_push,
	                  exit_code == CLI_EXIT_OK,
	                  f->targets.mode && strcmp(f->targets.mode, "binding") == 0,
	                  gws_reconcile_get_plan(r)->vpc_id,
	                  &f->shard};
	rc = cli_publish_status(&p);
	cli_status_dispose(&st);
	return rc;
}

static int reconcile(const sync_flags *f, sync_run *run, const gws_aws_config *cfg,
                     gws_aws_client *client, bool manifests_incomplete)
{
	gws_reconcile_options opts = GWS_RECONCILE_OPTIONS_INIT;
	gws_reconcile *r = NULL;
	gws_targets_direct_result direct = {0};
	char *tags_copy = NULL;
	int rc, exit_code, targets_rc;

	opts.region = gws_aws_config_region(cfg);
	opts.vpc_id = f->vpc_id;
	opts.dry_run = f->dry_run;
	opts.prune = f->prune;
	opts.max_deletions = f->max_deletions;
	opts.manifests_incomplete = manifests_incomplete;
	opts.external_tags = split_tags(f->external_tags, &opts.n_external_tags, &tags_copy);
	opts.deadline = f->timeout_ms > 0 ? now_s() + (double)f->timeout_ms / 1000.0 : 0;
	opts.stop = &stop_requested;
	opts.progress = progress;
	opts.shard = f->shard.shard;
	if ((rc = gws_reconcile_new(&r, run->model, client, &opts)) < 0 ||
	    (rc = gws_reconcile_observe(r)) < 0) {
		cli_report_error(info.name);
		exit_code = rc == GWS_ENOMEM ? CLI_EXIT_INTERNAL : aws_error_exit(rc);
		goto cleanup;
	}
	if ((rc = gws_reconcile_plan(r)) < 0 || (rc = gws_reconcile_apply(r)) < 0) {
		cli_report_error(info.name);
		exit_code = CLI_EXIT_INTERNAL;
		goto cleanup;
	}
	exit_code =
	        stop_requested ? CLI_EXIT_DEADLINE : exit_code_for(f, gws_reconcile_get_outcome(r));
	if (print_plan(f, r, exit_code) < 0) {
		cli_report_error(info.name);
		exit_code = CLI_EXIT_INTERNAL;
		goto cleanup;
	}
	print_gateways(r);
	/* --targets direct registers before the report, which shows the health it read. */
	targets_rc = cli_sync_targets_direct(&f->targets, run->model, r, client, f->dry_run,
	                                     &f->shard, &direct);
	/* The report says what AWS holds after this run, also after a partial one. */
	if (run->desired->lease && gws_source_lease_renew(run->desired->lease, lease_ttl(f)) < 0)
		gws_log(GWS_LOG_WARN, "lease", "%s", gws_error_last());
	if ((rc = publish_status(f, run, r, exit_code, &direct)) != 0 &&
	    (exit_code == CLI_EXIT_OK || exit_code == CLI_EXIT_CHANGES))
		exit_code = rc;
	if (targets_rc != 0 && (exit_code == CLI_EXIT_OK || exit_code == CLI_EXIT_CHANGES))
		exit_code = targets_rc;
	/* A git source's bindings went with the status commit. */
	if ((rc = cli_sync_targets(&f->targets, run->model, r,
	                           gws_source_commit(run->source) ? NULL
	                                                          : gws_source_path(run->source),
	                           f->dry_run, &f->shard)) != 0 &&
	    (exit_code == CLI_EXIT_OK || exit_code == CLI_EXIT_CHANGES))
		exit_code = rc;
	if (exit_code != CLI_EXIT_OK)
		gws_log(GWS_LOG_WARN, "sync", "exit %d: %s", exit_code,
		        exit_code == CLI_EXIT_PUSH
		                ? "the status report did not reach the repository"
		                : gws_reconcile_outcome_reason(r));
	write_metrics(f, run, r, client, exit_code);
cleanup:
	gws_targets_direct_result_dispose(&direct);
	gws_reconcile_free(r);
	gws_free((void *)opts.external_tags);
	gws_free(tags_copy);
	return exit_code;
}

/* A status commit lands on a branch: a run reading a tag or a commit must name one. */
static int check_status_branch(const sync_flags *f, const gws_source *src)
{
	if (f->dry_run || !gws_source_commit(src) || f->status_branch || gws_source_branch(src))
		return 0;
	gws_print(stderr,
	          "gwsync sync: --ref %s is not a branch, so the status report has no branch to "
	          "go to: give --status-branch NAME (or run with --dry-run)",
	          gws_source_ref(src));
	return CLI_EXIT_USAGE;
}

static int run(sync_flags *f)
{
	gws_aws_config *cfg = NULL;
	gws_aws_client *client = NULL;
	cli_desired d;
	cli_lease_flags lf;
	sync_run sr;
	char *lease_name = NULL;
	int rc, exit_code;

	cli_desired_init(&d);
	d.targets = &f->targets;
	memset(&sr, 0, sizeof(sr));
	sr.started = now_s();
	if (cli_run_id(sr.run_id) < 0) {
		cli_report_error(info.name);
		return CLI_EXIT_INTERNAL;
	}
	gws_log_set_run_id(sr.run_id);
	if (f->shard.shard.count > 1) {
		gws_log_set_shard(f->shard.name);
		gws_log(GWS_LOG_INFO, "sync", "run %s, %s", sr.run_id, f->shard.title);
	} else {
		gws_log(GWS_LOG_INFO, "sync", "run %s", sr.run_id);
	}
	/* Each shard has a lease of its own: shards never wait for each other, two runs
	 * of one shard do. */
	if (f->shard.shard.count > 1 &&
	    !(lease_name = gws_asprintf("%s.shard-%s", cluster_of(f), f->shard.name))) {
		cli_report_error(info.name);
		return CLI_EXIT_INTERNAL;
	}
	lf = (cli_lease_flags){lease_name ? lease_name : cluster_of(f), sr.run_id, lease_ttl(f),
	                       f->common.lock_timeout_ms < 0 ? GWS_SOURCE_LOCK_TIMEOUT_MS
	                                                     : f->common.lock_timeout_ms};
	/* A dry run changes nothing, so it needs no lease and waits for nobody. */
	if ((exit_code = cli_desired_read(&d, info.name, &f->common, &f->model,
	                                  f->dry_run ? NULL : &lf)) != 0 ||
	    (exit_code = check_status_branch(f, d.source)) != 0 ||
	    (exit_code = cli_aws_config(info.name, &f->aws, &cfg)) != 0)
		goto cleanup;
	if ((rc = cli_aws_client(&f->aws, cfg, f->timeout_ms, &client)) < 0) {
		cli_report_error(info.name);
		exit_code = cli_exit_for_error(rc);
		goto cleanup;
	}
	if (gws_source_commit(d.source))
		gws_log(GWS_LOG_INFO, "sync", "desired state: commit %s",
		        gws_source_commit(d.source));
	sr.desired = &d;
	sr.source = d.source;
	sr.model = d.model;
	sr.diags = &d.diags;
	exit_code = reconcile(f, &sr, cfg, client, false);
	if (gws_source_commit(d.source))
		gws_log(GWS_LOG_INFO, "source", "%zu git objects received this run",
		        gws_source_received_objects(d.source));
cleanup:
	if (!sr.metrics_done)
		write_metrics(f, &sr, NULL, client, exit_code);
	gws_aws_client_free(client);
	gws_aws_config_free(cfg);
	cli_desired_dispose(&d);
	gws_free(lease_name);
	return exit_code;
}

int cli_cmd_sync(int argc, char **argv)
{
	sync_flags f;
	const cli_opt opts[] = {
	        CLI_COMMON_OPTS(&f.common),
	        CLI_MODEL_OPTS(&f.model),
	        CLI_AWS_OPTS(&f.aws),
	        CLI_TARGETS_OPTS(&f.targets),
	        {.name = "vpc-id",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.vpc_id,
	         .metavar = "ID",
	         .help = "VPC of the load balancers and target groups (default: the VPC of the "
	                 "subnets tagged for --cluster)"},
	        {.name = "dry-run",
	         .kind = CLI_OPT_FLAG,
	         .dest = &f.dry_run,
	         .help = "print the plan; make no AWS change"},
	        {.name = "prune",
	         .kind = CLI_OPT_FLAG,
	         .dest = &f.prune,
	         .help = "delete the AWS resources of Gateways removed from the manifests"},
	        {.name = "max-deletions",
	         .kind = CLI_OPT_INT,
	         .dest = &f.max_deletions,
	         .metavar = "N",
	         .help = "refuse a prune of more load balancers than this (default 10)",
	         .min = 0,
	         .max = 100000},
	        {.name = "detailed-exitcode",
	         .kind = CLI_OPT_FLAG,
	         .dest = &f.detailed,
	         .help = "exit 2 when a dry run finds changes or drift"},
	        {.name = "output",
	         .short_name = 'o',
	         .kind = CLI_OPT_CHOICE,
	         .dest = &f.output,
	         .metavar = "text|json|markdown",
	         .help = "plan format on stdout (default text)",
	         .choices = "text|json|markdown"},
	        {.name = "plan-file",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.plan_file,
	         .metavar = "PATH",
	         .help = "also write the JSON plan (with the results of the apply) to PATH"},
	        {.name = "external-managed-tags",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.external_tags,
	         .metavar = "K1,K2",
	         .help = "tag keys another system manages: never added or removed"},
	        {.name = "status-branch",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.status_branch,
	         .metavar = "BRANCH",
	         .help = "commit the status report to this branch (created as an orphan branch "
	                 "when missing) instead of the branch read"},
	        {.name = "no-push",
	         .kind = CLI_OPT_FLAG,
	         .dest = &f.no_push,
	         .help = "commit the status report in gwsync's cache only; push nothing"},
	        {.name = "git-author",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.git_author,
	         .metavar = "\"NAME <EMAIL>\"",
	         .help = "author and committer of status commits (default \"gwsync "
	                 "<gwsync@localhost>\")"},
	        {.name = "metrics-file",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.metrics_file,
	         .metavar = "PATH",
	         .help = "write the run's metrics to PATH in Prometheus text format (for "
	                 "node_exporter's textfile collector)"},
	        {.name = "pushgateway-url",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.pushgateway_url,
	         .metavar = "URL",
	         .help = "push the run's metrics to this Prometheus Pushgateway (job gwsync, "
	                 "grouped by cluster)"},
	        {.name = "shard",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.shard_spec,
	         .metavar = "K/N",
	         .help = "handle only shard K of N (0 <= K < N <= 1024): the Gateways whose hash "
	                 "of namespace/name falls in it"},
	        {.name = "shards",
	         .kind = CLI_OPT_INT,
	         .dest = &f.shards,
	         .metavar = "N",
	         .help = "split the Gateways into N shards; this run is shard "
	                 "JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job)",
	         .min = 1,
	         .max = GWS_RECONCILE_MAX_SHARDS},
	        {.name = "timeout",
	         .kind = CLI_OPT_DURATION,
	         .dest = &f.timeout_ms,
	         .metavar = "DURATION",
	         .help = "start no AWS write after this long, exit 9 (e.g. 10m; default none)"},
	        {.name = NULL},
	};
	int error, exit_code;

	memset(&f, 0, sizeof(f));
	f.common = (cli_common)CLI_COMMON_INIT;
	cli_model_flags_init(&f.model);
	f.aws = (cli_aws_flags)CLI_AWS_FLAGS_INIT;
	f.targets = (cli_targets_flags)CLI_TARGETS_FLAGS_INIT;
	f.max_deletions = GWS_RECONCILE_DEFAULT_MAX_DELETE;
	f.output = "text";
	if ((error = cli_parse(&info, opts, argc, argv)) != 0)
		return error < 0 ? CLI_EXIT_OK : error;
	cli_setup_logging(&f.common);
	/* A bad author would only fail at the status commit, after AWS changed. */
	if (f.git_author && gws_source_check_author(f.git_author) < 0) {
		cli_report_error(info.name);
		return CLI_EXIT_USAGE;
	}
	/* A wrong shard would apply or prune the wrong Gateways: refuse it before any read. */
	if ((error = cli_shard_resolve(&f.shard, info.name, f.shard_spec, f.shards)) != 0)
		return error;
	if (!f.model.cluster)
		gws_log(GWS_LOG_WARN, "sync",
		        "no --cluster (or GWSYNC_CLUSTER) given: using \"%s\"; it names gwsync's "
		        "resources and decides what it owns",
		        GWS_MODEL_DEFAULT_CLUSTER);
	arm_signals(f.timeout_ms);
	exit_code = run(&f);
	disarm_signals();
	return exit_code;
}
