/*
 * Small helpers of the model: arena strings, sorted string maps, the LBC
 * name layout, ownership tags and hostname intersection.
 */
#include "model/internal.h"
#include "model/strmap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *gws_model__strdup(gws_model_ctx *ctx, const char *s)
{
	if (!s)
		return NULL;
	return gws_arena_strdup(ctx->arena, s);
}

/* Appends s[0..n) at out[*o], keeping room for the NUL; false when it does not fit. */
static bool append(char *out, size_t size, size_t *o, const char *s, size_t n)
{
	if (n >= size - *o)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

/* One integer conversion after '%' (d, u, zu, lld, llu) into buf[24]; NULL for others. */
static const char *format_int(const char **fmt, va_list *ap, char *buf)
{
	const char *f = *fmt;
	long long v = 0;
	unsigned long long u = 0;
	bool is_signed = true;
	char *p = buf + 23;

	if (f[0] == 'd') {
		v = va_arg(*ap, int);
		*fmt = f + 1;
	} else if (f[0] == 'u') {
		u = va_arg(*ap, unsigned);
		is_signed = false;
		*fmt = f + 1;
	} else if (f[0] == 'z' && f[1] == 'u') {
		u = va_arg(*ap, size_t);
		is_signed = false;
		*fmt = f + 2;
	} else if (strncmp(f, "lld", 3) == 0) {
		v = va_arg(*ap, long long);
		*fmt = f + 3;
	} else if (strncmp(f, "llu", 3) == 0) {
		u = va_arg(*ap, unsigned long long);
		is_signed = false;
		*fmt = f + 3;
	} else {
		return NULL;
	}
	if (is_signed) /* unsigned negation: LLONG_MIN has no positive twin */
		u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (is_signed && v < 0)
		*--p = '-';
	return p;
}

/*
 * The subset of printf the model's ids, names and paths use (%s, %.Ns, %d,
 * %u, %zu, %lld, %llu, %%) without vsnprintf's per-call setup, which
 * dominated building them. -1 for anything else, a NULL string or no room:
 * the caller then uses vsnprintf, so the result is always printf's.
 */
static int quick_format(char *out, size_t size, const char *fmt, va_list *ap)
{
	size_t o = 0;

	while (*fmt) {
		char num[24];
		const char *s = fmt;
		size_t n;
		if (*fmt != '%') {
			n = strcspn(fmt, "%");
			fmt += n;
		} else if (fmt[1] == '%') {
			n = 1;
			fmt += 2;
		} else if (fmt[1] == 's' || (fmt[1] == '.' && isdigit((unsigned char)fmt[2]))) {
			char *end;
			size_t max = fmt[1] == 's' ? SIZE_MAX : strtoul(fmt + 2, &end, 10);
			if (fmt[1] == '.' && *end != 's')
				return -1;
			fmt = fmt[1] == 's' ? fmt + 2 : end + 1;
			if (!(s = va_arg(*ap, const char *)))
				return -1;
			n = strnlen(s, max);
		} else {
			fmt++;
			if (!(s = format_int(&fmt, ap, num)))
				return -1;
			n = strlen(s);
		}
		if (!append(out, size, &o, s, n))
			return -1;
	}
	out[o] = '\0';
	return (int)o;
}

int gws_model__buf_vprintf(gws_buf *buf, const char *fmt, va_list ap)
{
	char small[512];
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = quick_format(small, sizeof(small), fmt, &copy);
	va_end(copy);
	if (n < 0)
		return gws_buf_vprintf(buf, fmt, ap);
	return gws_buf_put(buf, small, (size_t)n);
}

char *gws_model__printf(gws_model_ctx *ctx, const char *fmt, ...)
{
	char small[256];
	gws_buf buf = GWS_BUF_INIT(GWS_CAP_LINE);
	va_list ap;
	char *out = NULL;
	int n;

	/* Most ids and names are short: format on the stack, copy once. */
	va_start(ap, fmt);
	n = quick_format(small, sizeof(small), fmt, &ap);
	va_end(ap);
	if (n < 0) {
		va_start(ap, fmt);
		n = vsnprintf(small, sizeof(small), fmt, ap);
		va_end(ap);
	}
	if (n >= 0 && (size_t)n < sizeof(small))
		return gws_arena_strndup(ctx->arena, small, (size_t)n);
	va_start(ap, fmt);
	if (gws_buf_vprintf(&buf, fmt, ap) == 0)
		out = gws_arena_strdup(ctx->arena, gws_buf_cstr(&buf));
	va_end(ap);
	gws_buf_dispose(&buf);
	return out;
}

typedef struct {
	gws_model_kv kv;
	size_t at; /* position before sorting: equal keys keep their order */
} tagged_kv;

static int tagged_kv_cmp(const void *a, const void *b)
{
	const tagged_kv *x = a, *y = b;
	int c = strcmp(x->kv.key, y->kv.key);

	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/*
 * Sorts by key and drops earlier duplicates so the last written value wins.
 * n log n: tag lists (a LoadBalancerConfiguration's) have no size limit.
 */
static int kvs_normalize(gws_model_kvs *kvs)
{
	tagged_kv *t;
	size_t i, w = 0;

	if (kvs->n < 2)
		return 0;
	if (!(t = gws_calloc(kvs->n, sizeof(*t))))
		return GWS_ENOMEM;
	for (i = 0; i < kvs->n; i++) {
		t[i].kv = kvs->items[i];
		t[i].at = i;
	}
	gws_qsort(t, kvs->n, sizeof(*t), tagged_kv_cmp);
	for (i = 0; i < kvs->n; i++) {
		if (i + 1 < kvs->n && strcmp(t[i].kv.key, t[i + 1].kv.key) == 0)
			continue;
		kvs->items[w++] = t[i].kv;
	}
	kvs->n = w;
	gws_free(t);
	return 0;
}

int gws_model__strs_unique(const char **items, size_t *n)
{
	gws_model_strmap *seen = NULL;
	size_t i, w = 0;
	int error = 0;

	if (*n > 8 && (error = gws_model__strmap_new(&seen)) < 0)
		return error;
	for (i = 0; i < *n; i++) {
		bool dup = false;
		if (!items[i])
			continue;
		if (seen) {
			dup = gws_model__strmap_get(seen, items[i]) != NULL;
			if (!dup && (error = gws_model__strmap_put(seen, items[i], &seen)) < 0)
				break;
		} else {
			for (size_t j = 0; j < w && !dup; j++) /* a few items: no table */
				dup = strcmp(items[j], items[i]) == 0;
		}
		if (!dup)
			items[w++] = items[i];
	}
	gws_model__strmap_free(seen);
	if (error == 0)
		*n = w;
	return error;
}

int gws_model__kvs_from(gws_model_ctx *ctx, gws_model_kvs *out, const gws_mf_kv *items, size_t n)
{
	size_t i;

	out->items = NULL;
	out->n = 0;
	if (n == 0)
		return 0;
	out->items = gws_arena_calloc(ctx->arena, n, sizeof(*out->items));
	if (!out->items)
		return GWS_ENOMEM;
	for (i = 0; i < n; i++) {
		if (!items[i].key)
			continue;
		out->items[out->n].key = items[i].key;
		out->items[out->n].value = items[i].value ? items[i].value : "";
		out->n++;
	}
	return kvs_normalize(out);
}

static const char *const ownership_keys[] = {
        "gwsync.io/cluster",
        "gwsync.io/managed-by",
        "gwsync.io/resource",
        "gwsync.io/stack",
};

int gws_model__resource_tags(gws_model_ctx *ctx, gws_model_kvs *out, const char *resource_id,
                             const gws_mf_kv *user, size_t n_user)
{
	size_t i, k;
	const char *values[4];

	values[0] = ctx->opts.cluster;
	values[1] = "gwsync";
	values[2] = resource_id;
	values[3] = ctx->stack_id ? ctx->stack_id
	                          : gws_model__printf(ctx, "%s/%s", ctx->gateway->meta.namespace_,
	                                              ctx->gateway->meta.name);
	if (!values[3])
		return GWS_ENOMEM;
	out->n = 0;
	out->items = gws_arena_calloc(ctx->arena, n_user + 4, sizeof(*out->items));
	if (!out->items)
		return GWS_ENOMEM;
	for (i = 0; i < n_user; i++) {
		bool reserved = false;
		if (!user[i].key)
			continue;
		for (k = 0; k < 4; k++)
			if (strcmp(user[i].key, ownership_keys[k]) == 0)
				reserved = true;
		if (reserved)
			continue;
		out->items[out->n].key = user[i].key;
		out->items[out->n].value = user[i].value ? user[i].value : "";
		out->n++;
	}
	/* Ownership tags go last so that, after the last-wins normalisation, they
	 * could never lose even if the filter above were bypassed. */
	for (k = 0; k < 4; k++) {
		out->items[out->n].key = ownership_keys[k];
		out->items[out->n].value = values[k];
		out->n++;
	}
	return kvs_normalize(out);
}

static void sanitize_into(char *dst, size_t cap, const char *src)
{
	size_t n = 0;
	for (; *src && n + 1 < cap; src++)
		if (isalnum((unsigned char)*src) && (unsigned char)*src < 128)
			dst[n++] = *src;
	dst[n] = '\0';
}

char *gws_model__lbc_name(gws_model_ctx *ctx, const char *ns, const char *name,
                          const char *const *parts)
{
	gws_buf input = GWS_BUF_INIT(GWS_CAP_LINE);
	unsigned char digest[GWS_SHA256_LEN];
	char hex[2 * GWS_SHA256_LEN + 1];
	char ns8[9], name8[9];
	size_t i;

	for (i = 0; parts[i]; i++)
		if (gws_buf_puts(&input, parts[i]) < 0)
			return NULL;
	gws_sha256(input.ptr ? input.ptr : "", input.size, digest);
	gws_buf_dispose(&input);
	gws_hex_encode(hex, digest, sizeof(digest));
	sanitize_into(ns8, sizeof(ns8), ns ? ns : "");
	sanitize_into(name8, sizeof(name8), name ? name : "");
	return gws_model__printf(ctx, "k8s-%s-%s-%.10s", ns8, name8, hex);
}

/* Labels to the right of a leading "*." (the wildcard's suffix), or NULL. */
static const char *wildcard_suffix(const char *h)
{
	return (h[0] == '*' && h[1] == '.') ? h + 2 : NULL;
}

/* True when `host` (precise or wildcard) lies under `suffix`: at least one more label. */
static bool under_suffix(const char *host, const char *suffix)
{
	size_t hl = strlen(host), sl = strlen(suffix);
	return hl > sl + 1 && host[hl - sl - 1] == '.' && strcmp(host + hl - sl, suffix) == 0;
}

const char *gws_model__hostname_intersect(const char *listener, const char *route)
{
	const char *lw, *rw;

	if (listener && (!*listener || strcmp(listener, "*") == 0))
		listener = NULL;
	if (route && (!*route || strcmp(route, "*") == 0))
		route = NULL;
	if (!listener && !route)
		return "";
	if (!listener)
		return route;
	if (!route)
		return listener;
	if (strcmp(listener, route) == 0)
		return route;
	lw = wildcard_suffix(listener);
	rw = wildcard_suffix(route);
	if (lw && !rw)
		return under_suffix(route, lw) ? route : NULL;
	if (rw && !lw)
		return under_suffix(listener, rw) ? listener : NULL;
	if (lw && rw) {
		/* Two wildcards: the more specific one, when it lies under the other. */
		if (under_suffix(rw, lw))
			return route;
		if (under_suffix(lw, rw))
			return listener;
		return NULL;
	}
	return NULL;
}

const gws_mf_lb_listener_config *gws_model__listener_config_for(const gws_mf_lb_config *cfg,
                                                                const char *protocol, int port)
{
	char key[64];
	size_t i;

	if (!cfg)
		return NULL;
	snprintf(key, sizeof(key), "%s:%d", protocol, port);
	for (i = 0; i < cfg->n_listener_configurations; i++) {
		const char *pp = cfg->listener_configurations[i].protocol_port;
		if (pp && strcasecmp(pp, key) == 0)
			return &cfg->listener_configurations[i];
	}
	return NULL;
}
