/*
 * `gwsync aws-check`: a preflight an SRE runs before the first sync. It
 * resolves the AWS configuration and credentials exactly as sync does and
 * makes the read-only calls sync starts with, printing one plain line per
 * check, so a missing permission or a wrong endpoint shows up here rather
 * than halfway through a reconcile.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "gwsync/aws.h"

#define OWNER_CLUSTER_TAG   "gwsync.io/cluster"
#define OWNER_MANAGED_TAG   "gwsync.io/managed-by"
#define OWNER_MANAGED_VALUE "gwsync"
#define ROLE_PUBLIC_TAG     "kubernetes.io/role/elb"
#define ROLE_INTERNAL_TAG   "kubernetes.io/role/internal-elb"

static const cli_command_info info = {
        "aws-check",
        "Check the AWS configuration, credentials and permissions sync will use (read-only).",
        "gwsync aws-check --cluster NAME [--region R] [--endpoint-url URL] [--profile NAME]",
        "Resolves region, endpoints and credentials exactly as sync does (flags, AWS_*\n"
        "variables, shared config files, then web identity, container and instance\n"
        "credentials), then prints one line per check:\n"
        "  region, endpoints (ELBv2, EC2, STS) and the credentials provider;\n"
        "  sts:GetCallerIdentity: account and ARN;\n"
        "  elasticloadbalancing:DescribeLoadBalancers and DescribeTags: load balancers,\n"
        "    and how many carry gwsync's ownership tags for --cluster;\n"
        "  ec2:DescribeSubnets: the public (kubernetes.io/role/elb) and internal\n"
        "    (kubernetes.io/role/internal-elb) subnets tagged kubernetes.io/cluster/NAME\n"
        "    that subnet discovery would find (none is a warning, not a failure).\n"
        "It ends with 'aws-check: ok' or 'aws-check: N problem(s)'. Nothing is modified;\n"
        "secrets are never printed (the access key id is masked).\n"
        "\n"
        "Exit codes: 0 every check passed, 3 configuration or usage error (no region,\n"
        "bad endpoint URL, bad flag), 8 authentication or authorization failure (no\n"
        "credentials, rejected signature or key, a missing permission), 9 --timeout\n"
        "passed, 1 any other failure (e.g. an unreachable endpoint).",
};

typedef struct {
	cli_aws_flags aws;
	const char *cluster;
	long long timeout_ms;
	cli_common log; /* only verbose and log_format are used */
} check_flags;

/* What the run found: the number of problems and the exit code they imply. */
typedef struct {
	int problems;
	int exit_code;
	gws_aws_client *client;
	const gws_aws_config *config;
	const char *cluster;
} check_state;

/* ---- the --timeout watchdog ------------------------------------------------
 * Retries with backoff can outlast any per-request timeout, so the deadline
 * is a process timer: when it fires, the step in progress is named and the
 * process ends with the documented code. Lines already printed were flushed.
 */

static const char *volatile current_step = "configuration";
static volatile sig_atomic_t problems_so_far; /* for the summary the timer prints */
static char timeout_text[64];

/* The one output that bypasses gws_print: a signal handler may only call
 * async-signal-safe functions, and it writes nothing but gwsync's own words. */
static void put_fd(int fd, const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	if (write(fd, s, n) < 0)
		return;
}

static void put_stderr(const char *s)
{
	put_fd(STDERR_FILENO, s);
}

static void on_deadline(int sig)
{
	(void)sig;
	put_stderr("gwsync aws-check: --timeout ");
	put_stderr(timeout_text);
	put_stderr(" passed during ");
	put_stderr(current_step);
	put_stderr("\n");
	/* The summary line still ends stdout (everything before was flushed). */
	{
		char num[24], *p = num + sizeof(num) - 1;
		int total = (int)problems_so_far + 1, n = total;

		*p = '\0';
		do
			*--p = (char)('0' + n % 10);
		while ((n /= 10) > 0 && p > num);
		put_fd(STDOUT_FILENO, "aws-check: ");
		put_fd(STDOUT_FILENO, p);
		put_fd(STDOUT_FILENO, total == 1 ? " problem\n" : " problems\n");
	}
	_exit(CLI_EXIT_DEADLINE);
}

static int arm_deadline(long long ms)
{
	struct sigaction sa;
	struct itimerval it;

	if (ms <= 0)
		return 0;
	snprintf(timeout_text, sizeof(timeout_text), "%lldms", ms);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_deadline;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return -1;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)(ms / 1000);
	it.it_value.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_deadline(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

/* ---- reporting ---------------------------------------------------------------- */

/* One report line on stdout, through the funnel: an AWS error message may
 * quote a token the server was sent, and a server string anything at all. */
static void line(const char *fmt, ...) GWS_PRINTF(1, 2);
static void line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gws_vprint(stdout, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void add_problem(check_state *st)
{
	st->problems++;
	problems_so_far = st->problems;
}

static bool is_permission_code(const char *code)
{
	return strcmp(code, "AccessDenied") == 0 || strcmp(code, "AccessDeniedException") == 0 ||
	       strcmp(code, "UnauthorizedOperation") == 0;
}

/*
 * Prints the failure of `what` (the IAM action) and records its exit code.
 * Returns true when later checks can still tell something new: only a
 * missing permission is specific to one call; a rejected key, a dead
 * endpoint or an expired deadline would fail them all the same way.
 */
static bool call_failed(check_state *st, const char *label, const char *what, int rc)
{
	const gws_aws_error *e = gws_aws_client_last_error(st->client);
	const char *service = e->service ? e->service : "";
	const char *endpoint = gws_aws_config_endpoint(st->config, service);
	int code;

	add_problem(st);
	if (rc == GWS_ENOMEM) {
		line("%s: FAILED: %s: out of memory", label, what);
		st->exit_code = st->exit_code == CLI_EXIT_AUTH ? CLI_EXIT_AUTH : CLI_EXIT_INTERNAL;
		return false;
	}
	if (rc == GWS_EAUTH && is_permission_code(e->code)) {
		line("%s: FAILED: permission %s denied (%s: %s)", label, what, e->code, e->message);
		code = CLI_EXIT_AUTH;
	} else if (rc == GWS_EAUTH) {
		line("%s: FAILED: %s rejected the credentials: %s: %s", label, what, e->code,
		     e->message);
		code = CLI_EXIT_AUTH;
	} else if (rc == GWS_ENETWORK || rc == GWS_ETIMEOUT) {
		line("%s: FAILED: %s: cannot reach %s after %d attempt(s): %s", label, what,
		     endpoint ? endpoint : "(no endpoint)", e->attempts, e->message);
		code = CLI_EXIT_INTERNAL;
	} else if (e->code[0] || e->status) {
		/* AWS's error code, or what was wrong with a reply that came (too
		 * large, a page token repeated, not readable). */
		line("%s: FAILED: %s: %s%s%s (HTTP %ld, request id %s)", label, what,
		     e->code[0] ? e->code : "", e->code[0] && e->message[0] ? ": " : "",
		     e->message[0] || e->code[0] ? e->message : "error", e->status,
		     e->request_id[0] ? e->request_id : "none");
		code = CLI_EXIT_INTERNAL;
	} else {
		line("%s: FAILED: %s: %s", label, what, gws_error_last());
		code = cli_exit_for_error(rc);
	}
	/* An authentication failure decides the exit code over any other. */
	if (st->exit_code != CLI_EXIT_AUTH)
		st->exit_code = code;
	return rc == GWS_EAUTH && is_permission_code(e->code);
}

/* ---- the checks ------------------------------------------------------------------ */

static bool check_identity(check_state *st)
{
	gws_arena *arena = NULL;
	gws_sts_caller_identity id = {0};
	bool go_on = true;
	int rc;

	if (gws_arena_new(&arena) < 0)
		return call_failed(st, "memory", "allocating", GWS_ENOMEM);
	current_step = "sts:GetCallerIdentity";
	if ((rc = gws_sts_get_caller_identity(st->client, arena, &id)) < 0)
		go_on = call_failed(st, "identity", "sts:GetCallerIdentity", rc);
	else
		line("identity: account %s, arn %s", id.account ? id.account : "?",
		     id.arn ? id.arn : "?");
	gws_arena_free(arena);
	return go_on;
}

static const char *tag_value(const gws_aws_kvs *tags, const char *key)
{
	for (size_t i = 0; i < tags->count; i++)
		if (tags->items[i].key && strcmp(tags->items[i].key, key) == 0)
			return tags->items[i].value ? tags->items[i].value : "";
	return NULL;
}

static bool owned(const gws_aws_kvs *tags, const char *cluster)
{
	const char *c = tag_value(tags, OWNER_CLUSTER_TAG);
	const char *m = tag_value(tags, OWNER_MANAGED_TAG);

	return c && m && strcmp(c, cluster) == 0 && strcmp(m, OWNER_MANAGED_VALUE) == 0;
}

static bool check_load_balancers(check_state *st)
{
	gws_arena *arena = NULL;
	gws_elbv2_describe_input in;
	gws_elbv2_load_balancers lbs = {0};
	gws_elbv2_tag_descriptions tags = {0};
	gws_aws_strings arns = {0};
	size_t n_owned = 0;
	bool go_on = true;
	int rc;

	memset(&in, 0, sizeof(in));
	if (gws_arena_new(&arena) < 0)
		return call_failed(st, "memory", "allocating", GWS_ENOMEM);
	current_step = "elasticloadbalancing:DescribeLoadBalancers";
	if ((rc = gws_elbv2_describe_load_balancers(st->client, arena, &in, &lbs)) < 0) {
		go_on = call_failed(st, "load balancers",
		                    "elasticloadbalancing:DescribeLoadBalancers", rc);
		goto cleanup;
	}
	if (lbs.count) {
		arns.items = gws_arena_alloc(arena, lbs.count * sizeof(*arns.items));
		if (!arns.items) {
			go_on = call_failed(st, "load balancers", "reading the reply", GWS_ENOMEM);
			goto cleanup;
		}
		for (size_t i = 0; i < lbs.count; i++)
			arns.items[i] = lbs.items[i].arn;
		arns.count = lbs.count;
		/* The client sends chunks of 20 ARNs, as many at once as --aws-concurrency. */
		current_step = "elasticloadbalancing:DescribeTags";
		if ((rc = gws_elbv2_describe_tags(st->client, arena, &arns, &tags)) < 0) {
			go_on = call_failed(st, "load balancers",
			                    "elasticloadbalancing:DescribeTags", rc);
			goto cleanup;
		}
	}
	for (size_t i = 0; i < tags.count; i++)
		if (owned(&tags.items[i].tags, st->cluster))
			n_owned++;
	line("load balancers: %zu owned by gwsync for cluster %s of %zu in %s", n_owned,
	     st->cluster, lbs.count, gws_aws_config_region(st->config));
cleanup:
	gws_arena_free(arena);
	return go_on;
}

static bool has_role(const gws_aws_kvs *tags, const char *key)
{
	const char *v = tag_value(tags, key);

	/* Discovery takes "1" or an empty value, as the load balancer controller does. */
	return v && (strcmp(v, "1") == 0 || *v == '\0');
}

static bool check_subnets(check_state *st)
{
	char cluster_tag[300];
	const char *cluster_values[] = {"owned", "shared"};
	gws_ec2_filter filter;
	gws_ec2_filters filters = {&filter, 1};
	gws_ec2_subnets subnets = {0};
	gws_arena *arena = NULL;
	size_t n_public = 0, n_internal = 0;
	bool go_on = true;
	int rc;

	snprintf(cluster_tag, sizeof(cluster_tag), "tag:kubernetes.io/cluster/%.200s", st->cluster);
	filter.name = cluster_tag;
	filter.values.items = cluster_values;
	filter.values.count = GWS_ARRAY_SIZE(cluster_values);
	if (gws_arena_new(&arena) < 0)
		return call_failed(st, "memory", "allocating", GWS_ENOMEM);
	current_step = "ec2:DescribeSubnets";
	if ((rc = gws_ec2_describe_subnets(st->client, arena, NULL, &filters, &subnets)) < 0) {
		go_on = call_failed(st, "subnets", "ec2:DescribeSubnets", rc);
		goto cleanup;
	}
	for (size_t i = 0; i < subnets.count; i++) {
		if (has_role(&subnets.items[i].tags, ROLE_PUBLIC_TAG))
			n_public++;
		if (has_role(&subnets.items[i].tags, ROLE_INTERNAL_TAG))
			n_internal++;
	}
	line("subnets: %zu public (%s), %zu internal (%s) tagged %s", n_public, ROLE_PUBLIC_TAG,
	     n_internal, ROLE_INTERNAL_TAG, cluster_tag + 4);
	if (!n_public || !n_internal)
		line("warning: no %s subnets found for cluster %s: Gateways of that scheme need "
		     "explicit subnets",
		     !n_public ? "public" : "internal", st->cluster);
cleanup:
	gws_arena_free(arena);
	return go_on;
}

/* ---- configuration and credentials ------------------------------------------------ */

static void show_config(const gws_aws_config *cfg)
{
	line("region: %s (partition %s, profile %s)", gws_aws_config_region(cfg),
	     gws_aws_config_partition(cfg), gws_aws_config_profile(cfg));
	line("endpoints: elasticloadbalancing %s, ec2 %s, sts %s",
	     gws_aws_config_endpoint(cfg, "elasticloadbalancing"),
	     gws_aws_config_endpoint(cfg, "ec2"), gws_aws_config_endpoint(cfg, "sts"));
}

static int show_credentials(check_state *st, gws_aws_credentials_provider *provider)
{
	const gws_aws_credentials *creds = NULL;
	gws_buf desc = GWS_BUF_INIT(GWS_CAP_LINE);
	int rc;

	current_step = "resolving credentials";
	if ((rc = gws_aws_credentials_get(provider, &creds)) < 0 ||
	    (rc = gws_aws_credentials_describe(&desc, creds)) < 0) {
		add_problem(st);
		line("credentials: FAILED: %s", gws_error_last());
		st->exit_code = rc == GWS_EAUTH ? CLI_EXIT_AUTH : cli_exit_for_error(rc);
		gws_buf_dispose(&desc);
		return rc;
	}
	line("credentials: %s", gws_buf_cstr(&desc));
	gws_buf_dispose(&desc);
	return 0;
}

static int run_checks(const check_flags *f)
{
	gws_aws_config *cfg = NULL;
	gws_aws_credentials_provider *provider = NULL;
	check_state st = {0, CLI_EXIT_OK, NULL, NULL, f->cluster};
	int rc, exit_code;

	/* The same loader and client sync uses: what passes here, sync can use. */
	if ((exit_code = cli_aws_config(info.name, &f->aws, &cfg)) != 0)
		return exit_code;
	st.config = cfg;
	show_config(cfg);
	if ((rc = cli_aws_client(&f->aws, cfg, f->timeout_ms, &st.client)) < 0) {
		add_problem(&st);
		line("credentials: FAILED: %s", gws_error_last());
		exit_code = cli_exit_for_error(rc);
		goto done;
	}
	provider = gws_aws_client_credentials(st.client);
	if (show_credentials(&st, provider) == 0 && check_identity(&st) &&
	    check_load_balancers(&st))
		check_subnets(&st);
	exit_code = st.exit_code;
done:
	current_step = "the summary";
	if (st.problems)
		line("aws-check: %d problem%s", st.problems, st.problems == 1 ? "" : "s");
	else
		line("aws-check: ok");
	gws_aws_client_free(st.client);
	gws_aws_config_free(cfg);
	return exit_code;
}

int cli_cmd_aws_check(int argc, char **argv)
{
	check_flags f = {.aws = CLI_AWS_FLAGS_INIT};
	const cli_opt opts[] = {
	        CLI_AWS_OPTS(&f.aws),
	        {.name = "cluster",
	         .kind = CLI_OPT_STRING,
	         .dest = &f.cluster,
	         .metavar = "NAME",
	         .help = "cluster name of the ownership and subnet tags (required)"},
	        {.name = "timeout",
	         .kind = CLI_OPT_DURATION,
	         .dest = &f.timeout_ms,
	         .metavar = "DURATION",
	         .help = "give up after this long, exit 9 (e.g. 30s; default none)"},
	        {.name = "verbose",
	         .short_name = 'v',
	         .kind = CLI_OPT_FLAG,
	         .dest = &f.log.verbose,
	         .help = "debug logging on stderr"},
	        {.name = "log-format",
	         .kind = CLI_OPT_CHOICE,
	         .dest = &f.log.log_format,
	         .metavar = "text|json",
	         .help = "log line format on stderr",
	         .choices = "text|json"},
	        {.name = NULL},
	};
	int error, exit_code;

	if ((error = cli_parse(&info, opts, argc, argv)) != 0)
		return error < 0 ? CLI_EXIT_OK : error;
	if (!f.cluster)
		return cli_usage_error(info.name, "--cluster is required");
	cli_setup_logging(&f.log);
	if (arm_deadline(f.timeout_ms) != 0) {
		gws_print(stderr, "gwsync %s: cannot arm the --timeout timer", info.name);
		return CLI_EXIT_INTERNAL;
	}
	exit_code = run_checks(&f);
	disarm_deadline();
	return exit_code;
}
