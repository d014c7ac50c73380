/*
 * Allocation wrappers. Every allocation in gwsync passes through here so a
 * test can make the n-th one fail and check that the failure is reported
 * cleanly and leaks nothing (the jansson "chaos" approach).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/format.h"

static atomic_long fail_at = -1;
static atomic_long alloc_count;

long gws_alloc_fail_at(long n)
{
	long count = atomic_exchange(&alloc_count, 0);

	atomic_store(&fail_at, n);
	return count;
}

static bool should_fail(void)
{
	long n = atomic_fetch_add(&alloc_count, 1);
	long target = atomic_load(&fail_at);

	return target >= 0 && n == target;
}

static void *oom(size_t size)
{
	gws_error_set(GWS_ENOMEM, "out of memory allocating %zu bytes", size);
	return NULL;
}

void *gws_malloc(size_t size)
{
	void *p;

	if (should_fail())
		return oom(size);
	p = malloc(size ? size : 1);
	return p ? p : oom(size);
}

void *gws_calloc(size_t nmemb, size_t size)
{
	void *p;

	if (should_fail())
		return oom(size);
	p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	return p ? p : oom(nmemb * size);
}

void *gws_realloc(void *ptr, size_t size)
{
	void *p;

	if (should_fail())
		return oom(size);
	p = realloc(ptr, size ? size : 1);
	return p ? p : oom(size);
}

void *gws_reallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		gws_error_set(GWS_ENOMEM, "array of %zu elements of %zu bytes is too large", nmemb,
		              size);
		return NULL;
	}
	return gws_realloc(ptr, nmemb * size);
}

char *gws_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = gws_malloc(len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *gws_strdup(const char *s)
{
	return gws_strndup(s, SIZE_MAX);
}

char *gws_core__vformat(void *(*alloc)(void *ctx, size_t size), void *ctx, const char *fmt,
                        va_list ap)
{
	va_list copy;
	int len;
	char *p;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0) {
		gws_error_set(GWS_EINVALID, "invalid format string");
		return NULL;
	}
	if ((p = alloc(ctx, (size_t)len + 1)) != NULL)
		vsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

static void *heap_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return gws_malloc(size);
}

char *gws_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = gws_core__vformat(heap_alloc, NULL, fmt, ap);
	va_end(ap);
	return p;
}

void gws_free(void *ptr)
{
	free(ptr);
}
