/* The SDK retry policy: classification, backoff and the retry quota. */
#include "aws/retry.h"

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
