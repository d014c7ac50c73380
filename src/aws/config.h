/*
 * Private view of the resolved AWS configuration, shared by config.c and
 * the credential providers. The environment is captured once, at
 * gws_aws_config_load, so a run sees one consistent set of settings.
 */
#ifndef GWSYNC_AWS_CONFIG_H
#define GWSYNC_AWS_CONFIG_H

#include "aws/ini.h"
#include "gwsync/aws.h"

enum {
	GWS_AWS_SVC_ELBV2 = 0,
	GWS_AWS_SVC_EC2 = 1,
	GWS_AWS_SVC_STS = 2,
	GWS_AWS_SVC_ACM = 3,
	GWS_AWS_SVC_COUNT = 4
};

struct gws_aws_config {
	gws_arena *arena;
	const char **env; /* NAME, value pairs captured at load (non-empty values only) */
	size_t nenv;
	const char *profile;   /* selected profile name */
	bool profile_explicit; /* given with --profile: the SDKs then skip env credentials */
	const char *config_path, *credentials_path;
	gws_aws_ini *config_file, *credentials_file;
	const char *region;    /* NULL when none is configured */
	const char *partition; /* "aws", "aws-cn", "aws-us-gov", ... */
	const char *endpoint[GWS_AWS_SVC_COUNT];
	/* The region in each service's signing scope: the region, except
	 * us-east-1 for the global STS endpoint (AWS_STS_REGIONAL_ENDPOINTS=legacy). */
	const char *signing_region[GWS_AWS_SVC_COUNT];
	const char *ca_bundle;
	const char *retry_mode;
	int max_attempts;
};

/* An environment variable as captured at load; NULL when unset or empty. */
const char *gws_aws__config_env(const gws_aws_config *cfg, const char *name);
/* A key of the selected profile in the config file ("[profile x]", or "[default]"). */
const char *gws_aws__config_profile_get(const gws_aws_config *cfg, const char *key);
/* A key of the selected profile in the credentials file ("[x]"). */
const char *gws_aws__config_credentials_get(const gws_aws_config *cfg, const char *key);
/* The region to sign requests to `service` with; NULL when none is known. */
const char *gws_aws__config_signing_region(const gws_aws_config *cfg, const char *service);
/* True for "true" in any case (how the SDKs read boolean variables). */
bool gws_aws__is_true(const char *value);

#endif
