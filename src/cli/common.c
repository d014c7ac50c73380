/* What every subcommand shares: logging setup, error reporting, exit codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void cli_setup_logging(const cli_common *common)
{
	gws_log_format format = GWS_LOG_TEXT;

	if (common->log_format && strcmp(common->log_format, "json") == 0)
		format = GWS_LOG_JSON;
	gws_log_configure(common->verbose ? GWS_LOG_DEBUG : GWS_LOG_INFO, format, stderr);
}

int cli_exit_for_error(int error)
{
	switch (error) {
	case GWS_OK:
		return CLI_EXIT_OK;
	case GWS_EINVALID:
	case GWS_ENOTFOUND:
	case GWS_ETOOBIG:
		return CLI_EXIT_USAGE;
	case GWS_EAUTH:
		return CLI_EXIT_AUTH;
	case GWS_ETIMEOUT:
		return CLI_EXIT_DEADLINE;
	case GWS_ELOCKED:
		return CLI_EXIT_LOCKED;
	default:
		return CLI_EXIT_INTERNAL;
	}
}

void cli_report_error(const char *cmd)
{
	const char *msg = gws_error_last();

	gws_print(stderr, "gwsync%s%s: %s", cmd ? " " : "", cmd ? cmd : "",
	          *msg ? msg : "unknown error");
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Registers `len` bytes of `s` as a secret, and its percent-decoded form
 * (libgit2 and servers quote the password decoded). */
static void register_secret(const char *s, size_t len)
{
	char *raw = gws_strndup(s, len), *dec = gws_strndup(s, len);
	size_t i, j;

	if (raw && dec) {
		for (i = j = 0; i < len; i++, j++) {
			int hi = i + 2 < len ? hex_value(s[i + 1]) : -1;
			int lo = i + 2 < len ? hex_value(s[i + 2]) : -1;

			if (s[i] == '%' && hi >= 0 && lo >= 0) {
				dec[j] = (char)(hi * 16 + lo);
				i += 2;
			} else {
				dec[j] = s[i];
			}
		}
		dec[j] = '\0';
		(void)gws_secret_register(raw);
		(void)gws_secret_register(dec);
	}
	gws_free(raw);
	gws_free(dec);
}

void cli_register_secrets(const char *repo)
{
	const char *token = getenv("GWSYNC_GIT_TOKEN");
	size_t off, n;

	if (token && *token)
		register_secret(token, strlen(token));
	/* The password of --repo: whatever part of the userinfo follows its first ':'. */
	if (repo && gws_url_userinfo(repo, strlen(repo), &off, &n)) {
		const char *colon = memchr(repo + off, ':', n);

		if (colon)
			register_secret(colon + 1, n - (size_t)(colon + 1 - (repo + off)));
	}
}

int cli_open_repo(const char *cmd, cli_common *common, gws_source **out, gws_diag_list *diags)
{
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	int error;

	*out = NULL;
	if (!common->repo)
		return cli_usage_error(cmd, "--repo is required (a git URL or a local directory)");
	cli_register_secrets(common->repo);
	opts.repo = common->repo;
	opts.ref = common->ref;
	opts.workdir = common->workdir;
	opts.ssh_known_hosts = common->ssh_known_hosts;
	opts.path = common->path;
	opts.max_file_size = (size_t)common->max_file_size;
	opts.lock_timeout_ms = common->lock_timeout_ms;
	cli_handle_termination();
	if ((error = gws_source_open(out, &opts, diags)) < 0) {
		if (error == GWS_EINVALID)
			return cli_usage_error(cmd, "%s", gws_error_last());
		cli_report_error(cmd);
		return cli_exit_for_error(error);
	}
	common->root = gws_source_path(*out);
	return 0;
}

void cli_model_flags_init(cli_model_flags *m)
{
	memset(m, 0, sizeof(*m));
	m->default_target_type = "instance";
	m->nlb_weighted_forward = true;
	m->max_rules_per_alb = GWS_MODEL_MAX_RULES_PER_ALB;
	m->max_tgs_per_alb = GWS_MODEL_MAX_TGS_PER_ALB;
}

int cli_load_manifests(const cli_common *common, gws_manifest_store **store, gws_diag_list *diags)
{
	gws_manifest_options opts = GWS_MANIFEST_OPTIONS_INIT;

	opts.root = common->root ? common->root : common->repo;
	opts.path = common->path;
	opts.max_file_size = (size_t)common->max_file_size;
	return gws_manifest_load(store, &opts, diags);
}

int cli_build_model(const cli_model_flags *m, const gws_manifest_store *store, gws_model **model,
                    gws_diag_list *diags)
{
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;

	opts.cluster = m->cluster;
	opts.alb_controller_name = m->alb_controller_name;
	opts.nlb_controller_name = m->nlb_controller_name;
	opts.nlb_weighted_forward = m->nlb_weighted_forward;
	opts.max_rules_per_alb = m->max_rules_per_alb;
	opts.max_tgs_per_alb = m->max_tgs_per_alb;
	opts.default_target_type = m->default_target_type;
	return gws_model_build(model, store, &opts, diags);
}
