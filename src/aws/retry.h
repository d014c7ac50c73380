/*
 * gwsync aws: the SDK retry policy (reference/aws-api.md §6).
 *
 * standard: 3 attempts by default; transient errors (RequestTimeout,
 * RequestTimeoutException, PriorRequestNotComplete, HTTP 500/502/503/504,
 * connection errors) and throttling codes are retried after a full-jitter
 * delay rand*min(2^(attempt-1), 20) s, paid from a 500-token quota (5 per
 * retry, 10 after a timeout; a success refunds 1, or what its last retry
 * cost).
 * legacy: 5 attempts by default, delay rand*2^(attempt-1) s, no quota.
 * adaptive: standard (the client-side rate limit is --aws-rps).
 */
#ifndef GWSYNC_AWS_RETRY_H
#define GWSYNC_AWS_RETRY_H

#include "gwsync/core.h"

typedef enum {
	GWS_RETRY_STANDARD = 0,
	GWS_RETRY_LEGACY = 1,
	GWS_RETRY_ADAPTIVE = 2,
} gws_retry_mode;

#define GWS_RETRY_QUOTA_MAX      500
#define GWS_RETRY_COST           5
#define GWS_RETRY_TIMEOUT_COST   10
#define GWS_RETRY_MAX_BACKOFF_MS 20000L

typedef enum {
	GWS_RETRY_NONE = 0,      /* not retryable */
	GWS_RETRY_TRANSIENT = 1, /* 5xx, transient codes, connection errors */
	GWS_RETRY_THROTTLE = 2,  /* throttling codes */
	GWS_RETRY_TIMEOUT = 3,   /* connect or read timeout (costs more) */
} gws_retry_class;

typedef struct {
	gws_retry_mode mode;
	int max_attempts;
	int quota; /* tokens left */
	double (*random)(void *ctx);
	void *ctx;
} gws_retry_policy;

/* max_attempts <= 0: the mode's default. random NULL: a real source. */
void gws_retry_init(gws_retry_policy *p, gws_retry_mode mode, int max_attempts,
                    double (*random)(void *ctx), void *ctx);

/* "standard", "legacy", "adaptive" (NULL or ""): GWS_EINVALID otherwise. */
int gws_retry_parse_mode(gws_retry_mode *out, const char *s);

bool gws_retry_is_throttle_code(const char *code);
bool gws_retry_is_transient_code(const char *code);

/* Classify one failed attempt: HTTP status (0: none), AWS error code (may be
 * NULL or ""), transport error (0, GWS_ENETWORK, GWS_ETIMEOUT). */
gws_retry_class gws_retry_classify(long status, const char *code, int transport_error);

/*
 * Decide whether to retry after `attempt` (1-based) failed with `cls`.
 * On yes, returns the tokens taken (>= 0) and sets *delay_ms; returns -1
 * when the error is not retryable or attempts are used up, -2 when the
 * quota is exhausted.
 */
int gws_retry_acquire(gws_retry_policy *p, int attempt, gws_retry_class cls, long *delay_ms);

/* A call succeeded; `last_cost` is what its last retry took (-1: none). */
void gws_retry_release(gws_retry_policy *p, int last_cost);

#endif
