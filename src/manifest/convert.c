/*
 * Schema-driven conversion of YAML nodes into the typed structs of
 * gwsync/manifest.h. One small interpreter walks a mapping against a table
 * of fields (schema.c) instead of hundreds of hand-written converters, so
 * type checking, unknown-field reporting and field paths behave the same for
 * every kind.
 *
 * Scalars follow JSON's view of YAML 1.2 (what kubectl sends to the API
 * server): a quoted "80" is a string, so it is an error for an integer field;
 * an unquoted 80 is an integer, so it is an error for a string field; null
 * (or an empty value) means the field is absent.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "manifest/internal.h"
#include "manifest/schema.h"

static void conv_diag(gws_mf_ctx *ctx, gws_diag_severity sev, const gws_mf_node *at,
                      const char *fmt, ...) GWS_PRINTF(4, 5);

static void conv_diag(gws_mf_ctx *ctx, gws_diag_severity sev, const gws_mf_node *at,
                      const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (gws_diag_add(ctx->diags, sev, ctx->file, at ? at->line : 0, at ? at->column : 0,
	                 ctx->ref, ctx->path_len ? ctx->path : NULL, "%s", msg) < 0)
		ctx->oom = 1;
}

static void type_error(gws_mf_ctx *ctx, const gws_mf_node *at, const char *want,
                       const gws_mf_node *got)
{
	if (got && got->type == GWS_MF_NODE_SCALAR && got->scalar_kind != GWS_MF_SCALAR_STRING &&
	    !strcmp(want, "a string"))
		conv_diag(ctx, GWS_DIAG_ERROR, at,
		          "expected a string, got %s (quote it: \"%.100s\")",
		          gws_mf__node_describe(got), got->str);
	else
		conv_diag(ctx, GWS_DIAG_ERROR, at, "expected %s, got %s", want,
		          gws_mf__node_describe(got));
}

/* ---- field paths ---- */

static size_t path_push_key(gws_mf_ctx *ctx, const char *key, size_t len)
{
	size_t saved = ctx->path_len;
	size_t need = (saved ? 1 : 0) + len;
	if (saved + need + 1 > sizeof(ctx->path))
		return saved; /* too long to say: keep the parent path */
	if (saved)
		ctx->path[ctx->path_len++] = '.';
	memcpy(ctx->path + ctx->path_len, key, len);
	ctx->path_len += len;
	ctx->path[ctx->path_len] = '\0';
	return saved;
}

/* Hot (every list item): formats "[index]" by hand rather than with snprintf. */
static size_t path_push_index(gws_mf_ctx *ctx, size_t index)
{
	size_t saved = ctx->path_len;
	char digits[24];
	size_t nd = 0;
	do {
		digits[nd++] = (char)('0' + index % 10);
		index /= 10;
	} while (index);
	if (saved + nd + 3 > sizeof(ctx->path))
		return saved; /* too long to say: keep the parent path */
	char *p = ctx->path + saved;
	*p++ = '[';
	while (nd)
		*p++ = digits[--nd];
	*p++ = ']';
	*p = '\0';
	ctx->path_len = (size_t)(p - ctx->path);
	return saved;
}

static void path_pop(gws_mf_ctx *ctx, size_t saved)
{
	ctx->path_len = saved;
	ctx->path[saved] = '\0';
}

/* ---- scalars ---- */

static bool is_null(const gws_mf_node *v)
{
	return v->type == GWS_MF_NODE_SCALAR && v->scalar_kind == GWS_MF_SCALAR_NULL;
}

const char *gws_mf__keep_str(gws_mf_ctx *ctx, const char *s, size_t len)
{
	const char *copy = gws_mf__intern(ctx->values, s, len, NULL);

	if (!copy)
		copy = gws_arena_strndup(ctx->arena, s, len);
	if (!copy)
		ctx->oom = 1;
	return copy;
}

/*
 * A copy of a scalar that outlives the node tree (freed once the document
 * is converted): the keys table's for a mapping key, else a shared or an
 * arena copy. NULL (ctx->oom set) on ENOMEM.
 */
static const char *keep(gws_mf_ctx *ctx, const gws_mf_node *v)
{
	if (v->flags & GWS_MF_NODE_INTERNED)
		return v->str;
	return gws_mf__keep_str(ctx, v->str, v->len);
}

static bool get_string(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v,
                       const char **out)
{
	const char *s;

	if (v->type != GWS_MF_NODE_SCALAR || v->scalar_kind != GWS_MF_SCALAR_STRING) {
		type_error(ctx, at, "a string", v);
		return false;
	}
	if ((v->flags & GWS_MF_NODE_HAS_NUL)) {
		conv_diag(ctx, GWS_DIAG_ERROR, at, "string contains a NUL character");
		return false;
	}
	if (!(s = keep(ctx, v)))
		return false;
	*out = s;
	return true;
}

static bool get_int(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v, int64_t *out)
{
	if (v->type != GWS_MF_NODE_SCALAR || v->scalar_kind != GWS_MF_SCALAR_INT) {
		if (v->type == GWS_MF_NODE_SCALAR && v->scalar_kind == GWS_MF_SCALAR_STRING)
			conv_diag(ctx, GWS_DIAG_ERROR, at,
			          "expected an integer, got a string (\"%.100s\")", v->str);
		else
			type_error(ctx, at, "an integer", v);
		return false;
	}
	const char *s = v->str;
	int base = 10;
	bool neg = false;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s[0] == '0' && s[1] == 'x')
		base = 16, s += 2;
	else if (s[0] == '0' && s[1] == 'o')
		base = 8, s += 2;
	errno = 0;
	char *end = NULL;
	unsigned long long u = strtoull(s, &end, base);
	if (errno || *end || u > (unsigned long long)INT64_MAX + (neg ? 1u : 0u)) {
		conv_diag(ctx, GWS_DIAG_ERROR, at, "integer %.40s is out of range", v->str);
		return false;
	}
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

/*
 * kubectl reads YAML 1.1 (sigs.k8s.io/yaml), where an unquoted yes/no/on/off
 * is a boolean: accept those for boolean fields so `enabled: yes` means what
 * it means to the API server. Elsewhere they stay strings (YAML 1.2).
 */
static int yaml11_bool(const gws_mf_node *v)
{
	static const char *const yes[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
	static const char *const no[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
	if (v->type != GWS_MF_NODE_SCALAR || !(v->flags & GWS_MF_NODE_PLAIN) ||
	    v->scalar_kind != GWS_MF_SCALAR_STRING)
		return -1;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(yes); i++) {
		if (strcmp(v->str, yes[i]) == 0)
			return 1;
		if (strcmp(v->str, no[i]) == 0)
			return 0;
	}
	return -1;
}

static bool get_bool(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v, bool *out)
{
	int b11 = yaml11_bool(v);
	if (b11 >= 0) {
		*out = b11 == 1;
		return true;
	}
	if (v->type != GWS_MF_NODE_SCALAR || v->scalar_kind != GWS_MF_SCALAR_BOOL) {
		type_error(ctx, at, "a boolean", v);
		return false;
	}
	*out = v->str[0] == 't' || v->str[0] == 'T';
	return true;
}

/* ---- fields ---- */

static void *alloc_array(gws_mf_ctx *ctx, size_t n, size_t size)
{
	if (n == 0)
		return NULL;
	void *p = gws_arena_calloc(ctx->arena, n, size);
	if (!p)
		ctx->oom = 1;
	return p;
}

static bool want(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v,
                 gws_mf_node_type type)
{
	if (v->type == type)
		return true;
	type_error(ctx, at, type == GWS_MF_NODE_MAPPING ? "a mapping" : "a list", v);
	return false;
}

static void convert_kv_map(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v, char *base,
                           const gws_mf_field *f)
{
	if (!want(ctx, at, v, GWS_MF_NODE_MAPPING))
		return;
	gws_mf_kv *kv = alloc_array(ctx, v->n, sizeof(*kv));
	size_t n = 0;
	if (v->n && !kv)
		return;
	for (size_t i = 0; i < v->n; i++) {
		const gws_mf_node *k = v->items[2 * i], *val = v->items[2 * i + 1];
		size_t saved = path_push_key(ctx, k->str, k->len);
		const char *s = "", *key;
		if ((k->flags & GWS_MF_NODE_HAS_NUL))
			conv_diag(ctx, GWS_DIAG_ERROR, k, "key contains a NUL character");
		else if ((is_null(val) || get_string(ctx, k, val, &s)) && (key = keep(ctx, k)))
			kv[n++] = (gws_mf_kv){key, s};
		path_pop(ctx, saved);
	}
	*(gws_mf_kv **)(base + f->off) = kv;
	*(size_t *)(base + f->off_n) = n;
}

static void convert_str_list(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v,
                             const char ***out, size_t *out_n)
{
	(void)at;
	const char **arr = alloc_array(ctx, v->n, sizeof(*arr));
	size_t n = 0;
	if (v->n && !arr)
		return;
	for (size_t i = 0; i < v->n; i++) {
		size_t saved = path_push_index(ctx, i);
		const gws_mf_node *item = v->items[i];
		if (is_null(item))
			type_error(ctx, item, "a string", item);
		else if (get_string(ctx, item, item, &arr[n]))
			n++;
		path_pop(ctx, saved);
	}
	*out = arr;
	*out_n = n;
}

static void convert_kvlist_map(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v,
                               char *base, const gws_mf_field *f)
{
	if (!want(ctx, at, v, GWS_MF_NODE_MAPPING))
		return;
	gws_mf_kvlist *kv = alloc_array(ctx, v->n, sizeof(*kv));
	size_t n = 0;
	if (v->n && !kv)
		return;
	for (size_t i = 0; i < v->n; i++) {
		const gws_mf_node *k = v->items[2 * i], *val = v->items[2 * i + 1];
		size_t saved = path_push_key(ctx, k->str, k->len);
		if (!is_null(val) && want(ctx, k, val, GWS_MF_NODE_SEQUENCE)) {
			if ((kv[n].key = keep(ctx, k)) != NULL) {
				convert_str_list(ctx, k, val, &kv[n].values, &kv[n].n_values);
				n++;
			}
		} else if (is_null(val)) {
			if ((kv[n].key = keep(ctx, k)) != NULL)
				n++;
		}
		path_pop(ctx, saved);
	}
	*(gws_mf_kvlist **)(base + f->off) = kv;
	*(size_t *)(base + f->off_n) = n;
}

static void convert_field(gws_mf_ctx *ctx, const gws_mf_field *f, const gws_mf_node *at,
                          const gws_mf_node *v, char *base)
{
	if (is_null(v) || f->type == GWS_MF_FT_IGNORE)
		return; /* null is "absent", as JSON null is for the API server */
	if (f->off_has != GWS_MF_NO_HAS)
		*(bool *)(base + f->off_has) = true;
	switch (f->type) {
	case GWS_MF_FT_STR:
		get_string(ctx, at, v, (const char **)(base + f->off));
		break;
	case GWS_MF_FT_INT: {
		gws_mf_int *o = (gws_mf_int *)(base + f->off);
		o->set = get_int(ctx, at, v, &o->value);
		break;
	}
	case GWS_MF_FT_BOOL: {
		gws_mf_bool *o = (gws_mf_bool *)(base + f->off);
		o->set = get_bool(ctx, at, v, &o->value);
		break;
	}
	case GWS_MF_FT_INTSTR: {
		gws_mf_int_or_string *o = (gws_mf_int_or_string *)(base + f->off);
		if (v->type == GWS_MF_NODE_SCALAR && v->scalar_kind == GWS_MF_SCALAR_INT) {
			if (get_int(ctx, at, v, &o->int_value))
				o->type = GWS_MF_INTSTR_INT;
		} else if (v->type == GWS_MF_NODE_SCALAR &&
		           v->scalar_kind == GWS_MF_SCALAR_STRING) {
			if (get_string(ctx, at, v, &o->str_value))
				o->type = GWS_MF_INTSTR_STRING;
		} else {
			type_error(ctx, at, "an integer or a string", v);
		}
		break;
	}
	case GWS_MF_FT_OBJ: {
		if (!want(ctx, at, v, GWS_MF_NODE_MAPPING))
			break;
		void *sub = gws_arena_alloc(ctx->arena, f->sub->size);
		if (!sub) {
			ctx->oom = 1;
			break;
		}
		gws_mf__convert(ctx, f->sub, v, sub);
		*(void **)(base + f->off) = sub;
		break;
	}
	case GWS_MF_FT_NESTED:
		if (want(ctx, at, v, GWS_MF_NODE_MAPPING))
			gws_mf__convert(ctx, f->sub, v, base + f->off);
		break;
	case GWS_MF_FT_ARR_OBJ: {
		if (!want(ctx, at, v, GWS_MF_NODE_SEQUENCE))
			break;
		char *arr = alloc_array(ctx, v->n, f->sub->size);
		size_t n = 0;
		if (v->n && !arr)
			break;
		for (size_t i = 0; i < v->n; i++) {
			size_t saved = path_push_index(ctx, i);
			const gws_mf_node *item = v->items[i];
			if (item->type != GWS_MF_NODE_MAPPING) {
				type_error(ctx, item, "a mapping", item);
			} else {
				gws_mf__convert(ctx, f->sub, item, arr + n * f->sub->size);
				n++;
			}
			path_pop(ctx, saved);
		}
		*(void **)(base + f->off) = arr;
		*(size_t *)(base + f->off_n) = n;
		break;
	}
	case GWS_MF_FT_ARR_STR:
		if (want(ctx, at, v, GWS_MF_NODE_SEQUENCE))
			convert_str_list(ctx, at, v, (const char ***)(base + f->off),
			                 (size_t *)(base + f->off_n));
		break;
	case GWS_MF_FT_ARR_INT: {
		if (!want(ctx, at, v, GWS_MF_NODE_SEQUENCE))
			break;
		int64_t *arr = alloc_array(ctx, v->n, sizeof(*arr));
		size_t n = 0;
		if (v->n && !arr)
			break;
		for (size_t i = 0; i < v->n; i++) {
			size_t saved = path_push_index(ctx, i);
			if (get_int(ctx, v->items[i], v->items[i], &arr[n]))
				n++;
			path_pop(ctx, saved);
		}
		*(int64_t **)(base + f->off) = arr;
		*(size_t *)(base + f->off_n) = n;
		break;
	}
	case GWS_MF_FT_MAP_STR:
		convert_kv_map(ctx, at, v, base, f);
		break;
	case GWS_MF_FT_MAP_STRLIST:
		convert_kvlist_map(ctx, at, v, base, f);
		break;
	default:
		break;
	}
}

static const gws_mf_field *find_field(const gws_mf_type *type, const gws_mf_node *key)
{
	for (size_t i = 0; i < type->n_fields; i++) {
		const gws_mf_field *f = &type->fields[i];
		if (f->name_len == key->len && memcmp(f->name, key->str, key->len) == 0)
			return f;
	}
	return NULL;
}

void gws_mf__convert(gws_mf_ctx *ctx, const gws_mf_type *type, const gws_mf_node *node, void *out)
{
	if (node->type != GWS_MF_NODE_MAPPING)
		return;
	for (size_t i = 0; i < node->n && !ctx->oom; i++) {
		const gws_mf_node *k = node->items[2 * i], *v = node->items[2 * i + 1];
		const gws_mf_field *f = find_field(type, k);
		size_t saved = path_push_key(ctx, k->str, k->len);
		if (f)
			convert_field(ctx, f, k, v, out);
		else if (!type->open)
			/* kubectl's default field validation is "warn": unknown fields
			 * do not stop the object, but the user should hear of typos */
			conv_diag(ctx, GWS_DIAG_WARNING, k, "unknown field \"%.200s\"", k->str);
		path_pop(ctx, saved);
	}
}

/* Used by object.c to read apiVersion / kind and the top-level fields. */
bool gws_mf__get_string(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v,
                        const char **out)
{
	return get_string(ctx, at, v, out);
}

size_t gws_mf__path_push(gws_mf_ctx *ctx, const char *key)
{
	return path_push_key(ctx, key, strlen(key));
}

void gws_mf__path_pop(gws_mf_ctx *ctx, size_t saved)
{
	path_pop(ctx, saved);
}

void gws_mf__diag(gws_mf_ctx *ctx, gws_diag_severity sev, const gws_mf_node *at, const char *msg)
{
	conv_diag(ctx, sev, at, "%s", msg);
}
