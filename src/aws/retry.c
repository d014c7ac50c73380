/* The SDK retry policy: classification, backoff and the retry quota. */
#include "aws/retry.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

static const char *const throttle_codes[] = {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
};

static const char *const transient_codes[] = {
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
        "IDPCommunicationError", /* STS: modelled as retryable */
};

static bool in_list(const char *code, const char *const *list, size_t n)
{
	size_t i;

	if (!code || !*code)
		return false;
	for (i = 0; i < n; i++) {
		if (strcmp(code, list[i]) == 0)
			return true;
	}
	return false;
}

bool gws_retry_is_throttle_code(const char *code)
{
	return in_list(code, throttle_codes, GWS_ARRAY_SIZE(throttle_codes));
}

bool gws_retry_is_transient_code(const char *code)
{
	return in_list(code, transient_codes, GWS_ARRAY_SIZE(transient_codes));
}

static double real_random(void *ctx)
{
	uint32_t v;

	(void)ctx;
	if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
		v = (uint32_t)time(NULL) * 2654435761u;
	return (double)v / 4294967296.0;
}

void gws_retry_init(gws_retry_policy *p, gws_retry_mode mode, int max_attempts,
                    double (*random)(void *ctx), void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->mode = mode;
	p->max_attempts = max_attempts > 0 ? max_attempts : mode == GWS_RETRY_LEGACY ? 5 : 3;
	p->quota = GWS_RETRY_QUOTA_MAX;
	p->random = random ? random : real_random;
	p->ctx = ctx;
}

int gws_retry_parse_mode(gws_retry_mode *out, const char *s)
{
	if (!s || !*s || strcmp(s, "standard") == 0)
		*out = GWS_RETRY_STANDARD;
	else if (strcmp(s, "legacy") == 0)
		*out = GWS_RETRY_LEGACY;
	else if (strcmp(s, "adaptive") == 0)
		*out = GWS_RETRY_ADAPTIVE;
	else
		return gws_error_set(GWS_EINVALID,
		                     "retry mode '%s' must be one of: standard, legacy, adaptive",
		                     s);
	return 0;
}

gws_retry_class gws_retry_classify(long status, const char *code, int transport_error)
{
	if (transport_error == GWS_ETIMEOUT)
		return GWS_RETRY_TIMEOUT;
	if (transport_error == GWS_ENETWORK)
		return GWS_RETRY_TRANSIENT;
	if (transport_error)
		return GWS_RETRY_NONE; /* oversized body, bad request: retrying won't help */
	if (gws_retry_is_throttle_code(code))
		return GWS_RETRY_THROTTLE;
	if (gws_retry_is_transient_code(code))
		return GWS_RETRY_TRANSIENT;
	if (status == 500 || status == 502 || status == 503 || status == 504)
		return GWS_RETRY_TRANSIENT;
	/* 429 without a code is throttling whatever the service. */
	if (status == 429)
		return GWS_RETRY_THROTTLE;
	return GWS_RETRY_NONE;
}

static long backoff_ms(gws_retry_policy *p, int attempt)
{
	double r = p->random(p->ctx);
	double cap;

	if (r < 0 || r >= 1)
		r = 0;
	if (attempt < 1)
		attempt = 1;
	if (attempt > 30)
		attempt = 30;
	cap = (double)(1L << (attempt - 1)) * 1000.0;
	if (p->mode != GWS_RETRY_LEGACY && cap > (double)GWS_RETRY_MAX_BACKOFF_MS)
		cap = (double)GWS_RETRY_MAX_BACKOFF_MS;
	return (long)(r * cap);
}

int gws_retry_acquire(gws_retry_policy *p, int attempt, gws_retry_class cls, long *delay_ms)
{
	int cost;

	*delay_ms = 0;
	if (cls == GWS_RETRY_NONE || attempt >= p->max_attempts)
		return -1;
	if (p->mode == GWS_RETRY_LEGACY) {
		*delay_ms = backoff_ms(p, attempt);
		return 0;
	}
	cost = cls == GWS_RETRY_TIMEOUT ? GWS_RETRY_TIMEOUT_COST : GWS_RETRY_COST;
	if (p->quota < cost)
		return -2;
	p->quota -= cost;
	*delay_ms = backoff_ms(p, attempt);
	return cost;
}

void gws_retry_release(gws_retry_policy *p, int last_cost)
{
	if (p->mode == GWS_RETRY_LEGACY)
		return;
	p->quota += last_cost >= 0 ? last_cost : 1;
	if (p->quota > GWS_RETRY_QUOTA_MAX)
		p->quota = GWS_RETRY_QUOTA_MAX;
}

/* ---- token bucket ------------------------------------------------------------- */

static void bucket_refill(gws_token_bucket *b, double now)
{
	if (now > b->last) {
		b->tokens += (now - b->last) * b->rate;
		if (b->tokens > b->capacity)
			b->tokens = b->capacity;
	}
	b->last = now;
}

void gws_bucket_init(gws_token_bucket *b, double rate, double now)
{
	memset(b, 0, sizeof(*b));
	b->last = now;
	gws_bucket_set_rate(b, rate, now);
	b->tokens = b->capacity;
}

void gws_bucket_set_rate(gws_token_bucket *b, double rate, double now)
{
	bucket_refill(b, now);
	b->rate = rate > GWS_BUCKET_MIN_RATE ? rate : GWS_BUCKET_MIN_RATE;
	b->capacity = rate >= 1 ? rate : 1;
	if (b->tokens > b->capacity)
		b->tokens = b->capacity;
}

size_t gws_bucket_take(gws_token_bucket *b, double now, size_t want)
{
	size_t n;

	bucket_refill(b, now);
	n = b->tokens >= 1 ? (size_t)floor(b->tokens) : 0;
	if (n > want)
		n = want;
	b->tokens -= (double)n;
	return n;
}

double gws_bucket_wait(gws_token_bucket *b, double now)
{
	bucket_refill(b, now);
	return b->tokens >= 1 ? 0 : (1 - b->tokens) / b->rate;
}

/* ---- adaptive limiter ---------------------------------------------------------- */

#define CUBIC_C        0.4
#define CUBIC_BETA     0.7
#define RATE_SMOOTHING 0.8
#define RATE_BUCKET    0.5

static double cubic_k(double w_max)
{
	return cbrt(w_max * (1 - CUBIC_BETA) / CUBIC_C);
}

void gws_adaptive_init(gws_adaptive *a, double now)
{
	memset(a, 0, sizeof(*a));
	a->w_max = GWS_BUCKET_MIN_RATE;
	a->k = cubic_k(a->w_max);
	a->last_fail = now;
	a->last_bucket = floor(now);
	a->max_rate = 1;
}

static double measure(gws_adaptive *a, double now)
{
	double bucket = floor(now / RATE_BUCKET) * RATE_BUCKET;

	a->count += 1;
	if (bucket > a->last_bucket) {
		double rate = a->count / (bucket - a->last_bucket);
		a->measured = rate * RATE_SMOOTHING + a->measured * (1 - RATE_SMOOTHING);
		a->count = 0;
		a->last_bucket = bucket;
	}
	return a->measured;
}

double gws_adaptive_on_response(gws_adaptive *a, double now, bool throttled)
{
	double measured = measure(a, now);
	double rate;

	if (throttled) {
		double current = a->enabled && a->max_rate < measured ? a->max_rate : measured;
		a->w_max = current;
		a->k = cubic_k(current);
		a->last_fail = now;
		rate = current * CUBIC_BETA;
		a->enabled = true;
	} else {
		double dt = now - a->last_fail - a->k;
		rate = CUBIC_C * dt * dt * dt + a->w_max;
	}
	a->max_rate = rate < 2 * measured ? rate : 2 * measured;
	return a->max_rate;
}
