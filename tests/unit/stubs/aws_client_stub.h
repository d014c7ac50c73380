/*
 * Test helper: an AWS client pointed at a loopback URL with fake static
 * credentials, an injected random source and a recording sleep.
 * Header-only (static inline) for the aws tests that include it.
 */
#ifndef GWS_TEST_AWS_CLIENT_STUB_H
#define GWS_TEST_AWS_CLIENT_STUB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gwsync/aws.h"

typedef struct {
	double random_value; /* what the injected random source returns */
	long slept_ms;       /* total of the injected sleeps */
	int sleeps;
	long last_sleep_ms;
	double clock; /* virtual monotonic seconds: moves only with the sleeps */
} aws_test_hooks;

static inline double aws_test_random(void *ctx)
{
	return ((aws_test_hooks *)ctx)->random_value;
}

static inline void aws_test_sleep(void *ctx, long ms)
{
	aws_test_hooks *h = ctx;
	h->slept_ms += ms;
	h->sleeps++;
	h->last_sleep_ms = ms;
	h->clock += (double)ms / 1000.0;
}

static inline double aws_test_clock(void *ctx)
{
	return ((aws_test_hooks *)ctx)->clock;
}

/* Environment for a hermetic client: static keys, no files, no IMDS. */
static inline void aws_test_env(const char *key_id, const char *secret, const char *token)
{
	const char *scratch = getenv("GWSYNC_SCRATCH");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/aws-empty-config", scratch ? scratch : ".");
	f = fopen(path, "w");
	if (f)
		fclose(f);
	setenv("AWS_CONFIG_FILE", path, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_ACCESS_KEY_ID", key_id, 1);
	setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
	if (token)
		setenv("AWS_SESSION_TOKEN", token, 1);
	else
		unsetenv("AWS_SESSION_TOKEN");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("AWS_RETRY_MODE");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ROLE_ARN");
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
}

/* A client for `url` (region us-west-2) whose hooks get `hook_ctx` (which
 * starts with an aws_test_hooks) and whose wall clock is `now` (NULL: the
 * real one). max_attempts 0: default. */
static inline int aws_test_client_at(gws_aws_client **out, const char *url, void *hook_ctx,
                                     int max_attempts, int concurrency, double rps,
                                     time_t (*now)(void *ctx))
{
	gws_aws_overrides ov = {"us-west-2", url, NULL, max_attempts};
	gws_aws_client_options opts;

	memset(&opts, 0, sizeof(opts));
	opts.overrides = &ov;
	opts.concurrency = concurrency;
	opts.rps = rps;
	opts.random = aws_test_random;
	opts.sleep_ms = aws_test_sleep;
	opts.clock = aws_test_clock;
	opts.now = now;
	opts.hook_ctx = hook_ctx;
	return gws_aws_client_new(out, &opts);
}

/* A client for `url` (region us-west-2). max_attempts 0: default. */
static inline int aws_test_client(gws_aws_client **out, const char *url, aws_test_hooks *hooks,
                                  int max_attempts, int concurrency, double rps)
{
	return aws_test_client_at(out, url, hooks, max_attempts, concurrency, rps, NULL);
}

#endif
