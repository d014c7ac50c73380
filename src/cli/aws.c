/*
 * AWS setup shared by every command that talks to AWS (aws-check, sync):
 * one configuration loader and one client constructor, so the preflight
 * checks exactly what sync will use.
 */
#include <stdio.h>

#include "cli/cli.h"

int cli_aws_config(const char *cmd, const cli_aws_flags *f, gws_aws_config **cfg)
{
	gws_aws_overrides ov = {f->region, f->endpoint_url, f->profile, 0};

	*cfg = NULL;
	if (gws_aws_config_load(cfg, &ov) < 0) {
		gws_print(stderr, "gwsync %s: AWS configuration: %s", cmd, gws_error_last());
		return CLI_EXIT_USAGE;
	}
	if (!gws_aws_config_region(*cfg)) {
		gws_print(stderr,
		          "gwsync %s: no AWS region configured: give --region or set AWS_REGION "
		          "(or the profile's region)",
		          cmd);
		gws_aws_config_free(*cfg);
		*cfg = NULL;
		return CLI_EXIT_USAGE;
	}
	return 0;
}

int cli_aws_client(const cli_aws_flags *f, const gws_aws_config *cfg, long long timeout_ms,
                   gws_aws_client **client)
{
	gws_aws_client_options copts = {0};

	copts.config = cfg;
	copts.concurrency = (int)f->concurrency;
	copts.rps = (double)f->rps;
	/* One request never outlives the run's deadline (nor a minute). */
	copts.timeout_ms = timeout_ms > 0 ? (long)(timeout_ms < 60000 ? timeout_ms : 60000) : 0;
	return gws_aws_client_new(client, &copts);
}
