/*
 * gwsync aws: the SDK retry policy (docs/aws.md, "Retries").
 *
 * standard: 3 attempts by default; transient errors (RequestTimeout,
 * RequestTimeoutException, PriorRequestNotComplete, HTTP 500/502/503/504,
 * connection errors) and throttling codes are retried after a full-jitter
 * delay rand*min(2^(attempt-1), 20) s, paid from a 500-token quota (5 per
 * retry, 10 after a timeout; a success refunds 1, or what its last retry
 * cost).
 * legacy: 5 attempts by default, delay rand*2^(attempt-1) s, no quota.
 * adaptive: standard plus a client-side send-rate limiter that switches on
 * at the first throttling reply and follows CUBIC (gws_adaptive below).
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

/* ---- client-side rate limiting ---------------------------------------------
 * Times are seconds on a monotonic clock supplied by the caller.
 */

/* A token bucket: `rate` tokens per second, holding at most max(rate, 1). */
typedef struct {
	double rate;
	double capacity;
	double tokens;
	double last; /* clock at the last refill */
} gws_token_bucket;

#define GWS_BUCKET_MIN_RATE 0.5

/* A full bucket. */
void gws_bucket_init(gws_token_bucket *b, double rate, double now);
/* Change the rate (at least GWS_BUCKET_MIN_RATE), keeping what was earned. */
void gws_bucket_set_rate(gws_token_bucket *b, double rate, double now);
/* Take up to `want` whole tokens now; returns how many were taken. */
size_t gws_bucket_take(gws_token_bucket *b, double now, size_t want);
/* Seconds until one token is available (0 when one is). */
double gws_bucket_wait(gws_token_bucket *b, double now);

/*
 * The adaptive retry mode's limiter (botocore retries/adaptive.py): the
 * send rate is measured in 0.5 s buckets (smoothing 0.8); a throttling reply
 * enables the limiter and cuts the rate to 0.7x (remembering it as w_max); a
 * success lets it grow back along 0.4*(t - t_fail - K)^3 + w_max with
 * K = cbrt(w_max*0.3/0.4); the bucket's rate is never set above twice the
 * measured rate.
 */
typedef struct {
	bool enabled;
	double measured;    /* smoothed send rate, requests/s */
	double last_bucket; /* start of the last measurement bucket */
	double count;       /* responses in the current bucket */
	double w_max;
	double k;
	double last_fail;
	double max_rate; /* the rate the bucket should use */
} gws_adaptive;

void gws_adaptive_init(gws_adaptive *a, double now);
/* Record one reply; returns the new bucket rate (meaningful once enabled). */
double gws_adaptive_on_response(gws_adaptive *a, double now, bool throttled);

#endif
