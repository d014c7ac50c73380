/*
 * gwsync aws: a small AWS client for ELBv2, EC2 and STS (no SDK): SigV4,
 * the SDK credential chain, endpoints and regions, standard retries,
 * bounded concurrency, the Query protocol and XML responses.
 *
 * The header has two halves kept apart on purpose (they were written by
 * two people at once): "configuration and credentials" and "client and
 * typed calls". Add to the half you work on; do not reorder the other.
 */
#ifndef GWSYNC_AWS_H
#define GWSYNC_AWS_H

#include <time.h>

#include "gwsync/core.h"

/* ======================================================================
 * Configuration and credentials
 * ====================================================================== */

/* What the CLI can override; NULL / 0 fields fall back to the environment
 * and shared config files exactly as the AWS SDKs do. */
typedef struct {
	const char *region;       /* --region */
	const char *endpoint_url; /* --endpoint-url: every service */
	const char *profile;      /* --profile */
	int max_attempts;         /* 0: AWS_MAX_ATTEMPTS or the mode's default */
} gws_aws_overrides;

/* Resolved, owned configuration. */
typedef struct gws_aws_config gws_aws_config;

/* A set of credentials. Strings are owned by whoever produced the struct. */
typedef struct {
	char *access_key_id;
	char *secret_access_key;
	char *session_token;  /* NULL for long-term keys */
	time_t expiration;    /* 0: does not expire */
	const char *provider; /* static name of the provider, e.g. "environment" */
} gws_aws_credentials;

typedef struct gws_aws_credentials_provider gws_aws_credentials_provider;

/* ======================================================================
 * Client and typed calls
 * ====================================================================== */

typedef struct gws_aws_client gws_aws_client;

#endif
