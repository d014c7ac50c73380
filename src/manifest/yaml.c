/*
 * libyaml events -> a small node tree in a pool, with positions.
 *
 * Hostile input is bounded here, before any conversion runs: aliases share
 * their target node instead of copying it, but every use is charged at the
 * target's full expanded size against GWS_MF_NODE_BUDGET, so a "billion
 * laughs" document stops after ~100k nodes no matter how small it is.
 * Nesting beyond GWS_MF_MAX_DEPTH stops the file (libyaml's own stacks would
 * otherwise grow with the depth). Duplicate keys are reported and the later
 * pair dropped, so conversion sees one value per key.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "manifest/internal.h"

typedef struct {
	gws_mf_node *node;
	size_t first_child; /* index in builder.children */
	char *anchor;       /* pool copy or NULL */
} frame;

typedef struct {
	const char *name;
	gws_mf_node *node;
} anchor_slot;

typedef struct {
	gws_mf_pool *pool;
	gws_mf_intern *keys;
	gws_mf_pool_mark doc_start; /* released when the document is not kept */
	gws_diag_list *diags;
	const char *file;
	frame stack[GWS_MF_MAX_DEPTH + 1];
	size_t depth;
	gws_vec children; /* pending children of every open container */
	anchor_slot *anchors;
	size_t anchors_cap;
	size_t anchors_len;
	size_t expanded; /* nodes of the current document, aliases at full size */
	bool failed;     /* current document abandoned */
	gws_mf_node *root;
	int rc;
} builder;

static size_t sat_add(size_t a, size_t b)
{
	return (a > SIZE_MAX / 2 || b > SIZE_MAX / 2) ? SIZE_MAX / 2 : a + b;
}

static void fail_doc(builder *b, unsigned line, unsigned col, const char *fmt, ...)
        GWS_PRINTF(4, 5);

static void fail_doc(builder *b, unsigned line, unsigned col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (b->failed)
		return;
	b->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (gws_diag_add(b->diags, GWS_DIAG_ERROR, b->file, line, col, NULL, NULL, "%s", msg) < 0)
		b->rc = GWS_ENOMEM;
}

/* ---- anchors: open addressing, reset per document ---- */

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int anchor_put(builder *b, const char *name, gws_mf_node *node)
{
	if ((b->anchors_len + 1) * 2 > b->anchors_cap) {
		size_t ncap = b->anchors_cap ? b->anchors_cap * 2 : 64;
		anchor_slot *n = gws_calloc(ncap, sizeof(*n));
		if (!n)
			return GWS_ENOMEM;
		for (size_t i = 0; i < b->anchors_cap; i++) {
			if (!b->anchors[i].name)
				continue;
			size_t j = hash_str(b->anchors[i].name) & (ncap - 1);
			while (n[j].name)
				j = (j + 1) & (ncap - 1);
			n[j] = b->anchors[i];
		}
		gws_free(b->anchors);
		b->anchors = n;
		b->anchors_cap = ncap;
	}
	size_t j = hash_str(name) & (b->anchors_cap - 1);
	while (b->anchors[j].name && strcmp(b->anchors[j].name, name) != 0)
		j = (j + 1) & (b->anchors_cap - 1);
	if (!b->anchors[j].name)
		b->anchors_len++;
	b->anchors[j].name = name; /* a redefined anchor replaces the old one, as YAML says */
	b->anchors[j].node = node;
	return 0;
}

static gws_mf_node *anchor_get(const builder *b, const char *name)
{
	if (!b->anchors_cap)
		return NULL;
	size_t j = hash_str(name) & (b->anchors_cap - 1);
	while (b->anchors[j].name) {
		if (strcmp(b->anchors[j].name, name) == 0)
			return b->anchors[j].node;
		j = (j + 1) & (b->anchors_cap - 1);
	}
	return NULL;
}

static void reset_doc(builder *b)
{
	if (b->anchors)
		memset(b->anchors, 0, b->anchors_cap * sizeof(*b->anchors));
	b->anchors_len = 0;
	b->expanded = 0;
	b->failed = false;
	b->depth = 0;
	b->children.len = 0;
	b->root = NULL;
}

/* ---- scalars ---- */

static bool is_digits(const char *s, const char *digits)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr(digits, *s))
			return false;
	return true;
}

static bool is_float(const char *s)
{
	static const char *const special[] = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf", "+.INF",
	                                      "-.inf", "-.Inf", "-.INF", ".nan",  ".NaN",  ".NAN"};
	for (size_t i = 0; i < GWS_ARRAY_SIZE(special); i++)
		if (strcmp(s, special[i]) == 0)
			return true;
	if (*s == '-' || *s == '+')
		s++;
	bool digits = false;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits = true;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static bool word_in(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

/* YAML 1.2 core schema resolution of a plain scalar (hot: every key and value). */
static gws_mf_scalar_kind resolve_plain(const char *s, size_t len)
{
	static const char *const nulls[] = {"null", "Null", "NULL"};
	static const char *const trues[] = {"true", "True", "TRUE"};
	static const char *const falses[] = {"false", "False", "FALSE"};
	if (len == 0 || (len == 1 && s[0] == '~'))
		return GWS_MF_SCALAR_NULL;
	if (len == 4 && (s[0] == 'n' || s[0] == 'N'))
		return word_in(s, nulls, 3) ? GWS_MF_SCALAR_NULL : GWS_MF_SCALAR_STRING;
	if (len == 4 && (s[0] == 't' || s[0] == 'T'))
		return word_in(s, trues, 3) ? GWS_MF_SCALAR_BOOL : GWS_MF_SCALAR_STRING;
	if (len == 5 && (s[0] == 'f' || s[0] == 'F'))
		return word_in(s, falses, 3) ? GWS_MF_SCALAR_BOOL : GWS_MF_SCALAR_STRING;
	/* only these first characters can start a number */
	if (!strchr("0123456789+-.", s[0]))
		return GWS_MF_SCALAR_STRING;
	const char *d = (*s == '-' || *s == '+') ? s + 1 : s;
	if (is_digits(d, "0123456789"))
		return GWS_MF_SCALAR_INT;
	if (s[0] == '0' && s[1] == 'x' && is_digits(s + 2, "0123456789abcdefABCDEF"))
		return GWS_MF_SCALAR_INT;
	if (s[0] == '0' && s[1] == 'o' && is_digits(s + 2, "01234567"))
		return GWS_MF_SCALAR_INT;
	if (is_float(s))
		return GWS_MF_SCALAR_FLOAT;
	return GWS_MF_SCALAR_STRING;
}

static gws_mf_node *new_node(builder *b, gws_mf_node_type type, const yaml_mark_t *mark)
{
	gws_mf_node *n = gws_mf__pool_alloc(b->pool, sizeof(*n));
	if (!n) {
		b->rc = GWS_ENOMEM;
		return NULL;
	}
	n->type = (unsigned char)type;
	n->line = (unsigned)mark->line + 1;
	n->column = (unsigned)mark->column + 1;
	return n;
}

/*
 * Nodes `n` expands to, aliases at full size, counting no further than
 * limit + 1. Each call costs at most limit + 1 visits and is charged that
 * much, so the work over a document stays within the budget; recursion is
 * bounded by the node's height (<= GWS_MF_MAX_DEPTH).
 */
static size_t expand_count(const gws_mf_node *n, size_t limit)
{
	size_t count = 1;
	if (n->type == GWS_MF_NODE_SCALAR)
		return 1;
	size_t m = n->type == GWS_MF_NODE_MAPPING ? 2 * (size_t)n->n : n->n;
	for (size_t i = 0; i < m && count <= limit; i++)
		count += expand_count(n->items[i], limit - count);
	return count;
}

/* Charges `weight` nodes to the document; false when the budget is spent. */
static bool charge(builder *b, size_t weight, const yaml_mark_t *mark)
{
	b->expanded = sat_add(b->expanded, weight);
	if (b->expanded > GWS_MF_NODE_BUDGET) {
		fail_doc(b, (unsigned)mark->line + 1, (unsigned)mark->column + 1,
		         "document expands to more than %d nodes (YAML aliases are counted at "
		         "full size); document ignored",
		         GWS_MF_NODE_BUDGET);
		return false;
	}
	return true;
}

static void add_child(builder *b, gws_mf_node *node)
{
	if (b->depth == 0) {
		b->root = node;
		return;
	}
	if (gws_vec_push(&b->children, node) < 0)
		b->rc = GWS_ENOMEM;
}

static char *copy_anchor(builder *b, const yaml_char_t *anchor)
{
	if (!anchor)
		return NULL;
	char *a = gws_mf__pool_strndup(b->pool, (const char *)anchor, strlen((const char *)anchor));
	if (!a)
		b->rc = GWS_ENOMEM;
	return a;
}

static void on_scalar(builder *b, const yaml_event_t *ev)
{
	if (!charge(b, 1, &ev->start_mark))
		return;
	gws_mf_node *n = new_node(b, GWS_MF_NODE_SCALAR, &ev->start_mark);
	if (!n)
		return;
	size_t len = ev->data.scalar.length;
	const char *value = (const char *)ev->data.scalar.value;
	const char *s = NULL;
	/* a scalar is a key when its mapping holds an even number of pending children */
	if (b->depth && b->stack[b->depth - 1].node->type == GWS_MF_NODE_MAPPING &&
	    (b->children.len - b->stack[b->depth - 1].first_child) % 2 == 0 &&
	    (s = gws_mf__intern(b->keys, value, len, &n->key_id)) != NULL)
		n->flags |= GWS_MF_NODE_INTERNED;
	if (!s)
		s = gws_mf__pool_strndup(b->pool, value, len);
	if (!s) {
		b->rc = GWS_ENOMEM;
		return;
	}
	n->str = s;
	n->len = (uint32_t)len; /* files are capped far below 4 GiB */
	if (memchr(ev->data.scalar.value, 0, len))
		n->flags |= GWS_MF_NODE_HAS_NUL;
	const char *tag = (const char *)ev->data.scalar.tag;
	if (tag && strcmp(tag, YAML_STR_TAG) == 0)
		n->scalar_kind = GWS_MF_SCALAR_STRING;
	else if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		n->scalar_kind = GWS_MF_SCALAR_STRING;
	else {
		n->scalar_kind = (unsigned char)resolve_plain(s, len);
		n->flags |= GWS_MF_NODE_PLAIN;
	}
	if (ev->data.scalar.anchor) {
		char *a = copy_anchor(b, ev->data.scalar.anchor);
		if (a && anchor_put(b, a, n) < 0)
			b->rc = GWS_ENOMEM;
	}
	add_child(b, n);
}

static void on_start(builder *b, const yaml_event_t *ev, gws_mf_node_type type,
                     const yaml_char_t *anchor)
{
	if (!charge(b, 1, &ev->start_mark))
		return;
	gws_mf_node *n = new_node(b, type, &ev->start_mark);
	if (!n)
		return;
	frame *f = &b->stack[b->depth++];
	f->node = n;
	f->first_child = b->children.len;
	f->anchor = copy_anchor(b, anchor);
}

static int cmp_keys(const void *pa, const void *pb)
{
	const gws_mf_node *const *a = pa;
	const gws_mf_node *const *b = pb;
	const gws_mf_node *ka = a[0], *kb = b[0];
	if (ka->len != kb->len)
		return ka->len < kb->len ? -1 : 1;
	int c = memcmp(ka->str, kb->str, ka->len);
	if (c)
		return c;
	/* equal keys: document order, so the first occurrence comes first */
	if (ka->line != kb->line)
		return ka->line < kb->line ? -1 : 1;
	return ka->column < kb->column ? -1 : (ka->column > kb->column);
}

static bool same_key(const gws_mf_node *a, const gws_mf_node *b)
{
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static void report_dup(builder *b, const gws_mf_node *first, const gws_mf_node *dup)
{
	char msg[96];
	snprintf(msg, sizeof(msg), "%u:%u", first->line, first->column);
	if (gws_diag_add(b->diags, GWS_DIAG_ERROR, b->file, dup->line, dup->column, NULL, NULL,
	                 "duplicate key \"%.200s\" in a mapping (first at %s)", dup->str, msg) < 0)
		b->rc = GWS_ENOMEM;
}

/*
 * Checks a finished mapping: keys must be scalars, are unique (later
 * duplicates are reported and dropped), and merge keys are refused.
 * Returns the number of pairs kept.
 */
static size_t check_mapping(builder *b, gws_mf_node **kv, size_t pairs)
{
	bool *drop = NULL;
	size_t kept = 0;
	for (size_t i = 0; i < pairs; i++) {
		const gws_mf_node *k = kv[2 * i];
		if (k->type != GWS_MF_NODE_SCALAR) {
			fail_doc(b, k->line, k->column, "mapping keys must be strings");
			return pairs;
		}
		/* only a plain << is a merge key; a quoted "<<" is an ordinary key */
		if (k->len == 2 && memcmp(k->str, "<<", 2) == 0 && (k->flags & GWS_MF_NODE_PLAIN)) {
			fail_doc(b, k->line, k->column,
			         "YAML merge keys (<<) are not supported; write the fields out");
			return pairs;
		}
	}
	if (pairs < 2)
		return pairs;
	if (pairs <= 8) {
		for (size_t i = 1; i < pairs; i++)
			for (size_t j = 0; j < i; j++)
				if (same_key(kv[2 * i], kv[2 * j])) {
					if (!drop && !(drop = gws_calloc(pairs, sizeof(*drop)))) {
						b->rc = GWS_ENOMEM;
						return pairs;
					}
					if (!drop[i])
						report_dup(b, kv[2 * j], kv[2 * i]);
					drop[i] = true;
					break;
				}
	} else {
		/* sort (key, index) pairs so duplicates are neighbours: n log n on hostile maps */
		gws_mf_node **tmp = gws_calloc(pairs, 2 * sizeof(*tmp));
		if (!tmp) {
			b->rc = GWS_ENOMEM;
			return pairs;
		}
		for (size_t i = 0; i < pairs; i++) {
			tmp[2 * i] = kv[2 * i];
			tmp[2 * i + 1] = (gws_mf_node *)(uintptr_t)i;
		}
		gws_qsort(tmp, pairs, 2 * sizeof(*tmp), cmp_keys);
		for (size_t i = 1; i < pairs; i++) {
			size_t first = i - 1;
			while (i < pairs && same_key(tmp[2 * first], tmp[2 * i])) {
				if (!drop && !(drop = gws_calloc(pairs, sizeof(*drop)))) {
					b->rc = GWS_ENOMEM;
					gws_free(tmp);
					return pairs;
				}
				report_dup(b, tmp[2 * first], tmp[2 * i]);
				drop[(uintptr_t)tmp[2 * i + 1]] = true;
				i++;
			}
		}
		gws_free(tmp);
	}
	if (!drop)
		return pairs;
	for (size_t i = 0; i < pairs; i++) {
		if (drop[i])
			continue;
		kv[2 * kept] = kv[2 * i];
		kv[2 * kept + 1] = kv[2 * i + 1];
		kept++;
	}
	gws_free(drop);
	return kept;
}

static void on_end(builder *b)
{
	if (b->depth == 0)
		return;
	frame *f = &b->stack[--b->depth];
	gws_mf_node *n = f->node;
	size_t count = b->children.len - f->first_child;
	if (n->type == GWS_MF_NODE_MAPPING && count % 2 != 0) {
		fail_doc(b, n->line, n->column, "incomplete mapping");
		return;
	}
	if (count) {
		n->items = count <= SIZE_MAX / sizeof(*n->items)
		                   ? gws_mf__pool_alloc(b->pool, count * sizeof(*n->items))
		                   : NULL;
		if (!n->items) {
			b->rc = GWS_ENOMEM;
			return;
		}
		memcpy(n->items, b->children.items + f->first_child, count * sizeof(*n->items));
	}
	b->children.len = f->first_child;
	n->n = (uint32_t)(n->type == GWS_MF_NODE_MAPPING ? count / 2 : count);
	unsigned h = 0;
	for (size_t i = 0; i < count; i++)
		if (n->items[i]->height > h)
			h = n->items[i]->height;
	n->height = (unsigned char)(h + 1); /* <= GWS_MF_MAX_DEPTH, checked on the way in */
	if (n->type == GWS_MF_NODE_MAPPING) {
		n->n = (uint32_t)check_mapping(b, n->items, n->n);
		if (b->failed)
			return;
	}
	/* registered only once complete: an alias inside its own anchor is undefined */
	if (f->anchor && anchor_put(b, f->anchor, n) < 0)
		b->rc = GWS_ENOMEM;
	add_child(b, n);
}

static void on_alias(builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	gws_mf_node *target = anchor_get(b, name);
	if (!target) {
		fail_doc(b, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
		         "undefined YAML alias \"*%.200s\"", name);
		return;
	}
	/* an alias nests its target where it is used: keep the depth bound */
	if (b->depth + target->height > GWS_MF_MAX_DEPTH) {
		fail_doc(b, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
		         "nesting deeper than %d levels through a YAML alias; document ignored",
		         GWS_MF_MAX_DEPTH);
		return;
	}
	size_t room = b->expanded < GWS_MF_NODE_BUDGET ? GWS_MF_NODE_BUDGET - b->expanded : 0;
	if (!charge(b, expand_count(target, room), &ev->start_mark))
		return;
	add_child(b, target);
}

static int report_parser_error(builder *b, const yaml_parser_t *p)
{
	unsigned line = 0, col = 0;
	if (p->error == YAML_READER_ERROR) {
		line = 0;
	} else {
		line = (unsigned)p->problem_mark.line + 1;
		col = (unsigned)p->problem_mark.column + 1;
	}
	const char *problem = p->problem ? p->problem : "unknown problem";
	int rc;
	if (p->context)
		rc = gws_diag_add(b->diags, GWS_DIAG_ERROR, b->file, line, col, NULL, NULL,
		                  "invalid YAML: %s %s (line %u)", problem, p->context,
		                  (unsigned)p->context_mark.line + 1);
	else
		rc = gws_diag_add(b->diags, GWS_DIAG_ERROR, b->file, line, col, NULL, NULL,
		                  "invalid YAML: %s", problem);
	return rc < 0 ? GWS_ENOMEM : 0;
}

static void on_document_end(builder *b, unsigned doc_index, gws_mf_document_fn fn, void *payload)
{
	int rc = 0;
	if (!b->failed && b->rc == 0) {
		gws_mf_document doc = {b->root, doc_index};
		rc = fn(&doc, payload);
	}
	if (rc < 0)
		b->rc = rc;
	gws_mf__pool_release(b->pool, b->doc_start);
}

int gws_mf__parse_yaml(gws_mf_pool *pool, gws_mf_intern *keys, const char *file, const char *data,
                       size_t len, gws_diag_list *diags, gws_mf_document_fn fn, void *payload)
{
	yaml_parser_t parser;
	builder b;
	unsigned doc_index = 0;
	size_t raw_depth = 0; /* counted even in an abandoned document */
	bool in_doc = false;
	bool done = false;

	memset(&b, 0, sizeof(b));
	b.pool = pool;
	b.keys = keys;
	b.diags = diags;
	b.file = file;
	gws_vec_init(&b.children);
	if (!yaml_parser_initialize(&parser))
		return gws_error_set(GWS_ENOMEM, "libyaml: cannot initialise the parser");
	/* no explicit encoding: libyaml then skips a leading BOM (the text is checked UTF-8) */
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);

	while (!done && b.rc == 0) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			b.rc = report_parser_error(&b, &parser);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			reset_doc(&b);
			b.doc_start = gws_mf__pool_mark(pool);
			in_doc = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
			on_document_end(&b, doc_index, fn, payload);
			in_doc = false;
			doc_index++;
			break;
		case YAML_SCALAR_EVENT:
			if (!b.failed)
				on_scalar(&b, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			/* libyaml's own stacks grow with depth: stop reading the file */
			if (++raw_depth > GWS_MF_MAX_DEPTH) {
				b.failed = false;
				fail_doc(&b, (unsigned)ev.start_mark.line + 1,
				         (unsigned)ev.start_mark.column + 1,
				         "nesting deeper than %d levels; the rest of the file is "
				         "not read",
				         GWS_MF_MAX_DEPTH);
				done = true;
				break;
			}
			if (b.failed)
				break;
			if (ev.type == YAML_SEQUENCE_START_EVENT)
				on_start(&b, &ev, GWS_MF_NODE_SEQUENCE,
				         ev.data.sequence_start.anchor);
			else
				on_start(&b, &ev, GWS_MF_NODE_MAPPING,
				         ev.data.mapping_start.anchor);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (raw_depth)
				raw_depth--;
			if (!b.failed)
				on_end(&b);
			break;
		case YAML_ALIAS_EVENT:
			if (!b.failed)
				on_alias(&b, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (in_doc) /* the file stopped inside a document: drop its nodes */
		gws_mf__pool_release(pool, b.doc_start);
	gws_vec_dispose(&b.children);
	gws_free(b.anchors);
	return b.rc;
}

/* ---- small node helpers ---- */

const gws_mf_node *gws_mf__map_get(const gws_mf_node *map, const char *key,
                                   const gws_mf_node **keynode)
{
	if (!map || map->type != GWS_MF_NODE_MAPPING)
		return NULL;
	size_t klen = strlen(key);
	for (size_t i = 0; i < map->n; i++) {
		const gws_mf_node *k = map->items[2 * i];
		if (k->len == klen && memcmp(k->str, key, klen) == 0) {
			if (keynode)
				*keynode = k;
			return map->items[2 * i + 1];
		}
	}
	return NULL;
}

const char *gws_mf__node_describe(const gws_mf_node *node)
{
	if (!node)
		return "nothing";
	switch (node->type) {
	case GWS_MF_NODE_SEQUENCE:
		return "a list";
	case GWS_MF_NODE_MAPPING:
		return "a mapping";
	default:
		break;
	}
	switch (node->scalar_kind) {
	case GWS_MF_SCALAR_NULL:
		return "null";
	case GWS_MF_SCALAR_BOOL:
		return "a boolean";
	case GWS_MF_SCALAR_INT:
		return "an integer";
	case GWS_MF_SCALAR_FLOAT:
		return "a number";
	default:
		return "a string";
	}
}
