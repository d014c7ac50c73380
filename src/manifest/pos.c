/*
 * The position index: what diagnostics need of a document once its objects
 * are converted, so that the node tree (several times the size of the YAML)
 * can be freed at once. gws_manifest_object_pos and _has walk it.
 *
 * One entry per node, in document order, as variable-length integers:
 *
 *   tag      type (scalar, list, mapping, alias), null scalar, has a key
 *   key      id in the store's keys, for mapping members
 *   line     scalars and aliases: minus the parent's line (zigzag);
 *            lists and mappings: the line itself, so that one can be
 *            decoded without its parent (an object's root, an alias target)
 *   column
 *   count    lists and mappings: items or members; their entries follow
 *   target   aliases: offset of the entry of the node they repeat
 *
 * Nothing records where a subtree ends, so finding a member skips its
 * siblings' entries one by one: a lookup costs a pass over the object's
 * entries (hundreds of bytes), and lookups are few (diagnostics and a few
 * presence checks per object), while the bytes saved are many.
 *
 * The line and column of a mapping member are those of its key, of a list
 * item or a document root its own: exactly the places diagnostics name. A
 * node met again through a YAML alias is written once and referred to, so
 * the index stays as small as the document, however far aliases expand it.
 * A typical member takes four bytes, against some seventy for its two nodes.
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/internal.h"

enum {
	T_SCALAR = 0,
	T_SEQUENCE = 1,
	T_MAPPING = 2,
	T_ALIAS = 3,
	T_TYPE = 0x03,
	T_NULL = 0x04,
	T_KEYED = 0x08,
};

/* ---- writing ---- */

typedef struct {
	gws_manifest_store *store;
	size_t len;
	int rc;
} writer;

static bool reserve(writer *w, size_t more)
{
	gws_manifest_store *s = w->store;
	if (w->rc < 0)
		return false;
	if (s->scratch_cap - w->len >= more)
		return true;
	size_t ncap = s->scratch_cap ? s->scratch_cap : 4096;
	while (ncap - w->len < more)
		ncap *= 2;
	unsigned char *n = ncap <= UINT32_MAX ? gws_realloc(s->scratch, ncap) : NULL;
	if (!n) {
		w->rc = GWS_ENOMEM;
		return false;
	}
	s->scratch = n;
	s->scratch_cap = ncap;
	return true;
}

static size_t varint_len(uint64_t v)
{
	size_t n = 1;
	for (; v >= 0x80; v >>= 7)
		n++;
	return n;
}

static void put_at(unsigned char *p, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		*p++ = (unsigned char)(v | 0x80);
	*p = (unsigned char)v;
}

static void put(writer *w, uint64_t v)
{
	if (!reserve(w, 10))
		return;
	put_at(w->store->scratch + w->len, v);
	w->len += varint_len(v);
}

static uint64_t zigzag(int64_t v)
{
	return v < 0 ? ((uint64_t)(-(v + 1)) << 1) | 1 : (uint64_t)v << 1;
}

static void put_key(writer *w, gws_mf_node *key)
{
	if (!(key->flags & GWS_MF_NODE_INTERNED)) {
		/* a long key, or one the full table could not take: an id of its own */
		if (gws_mf__intern_add(&w->store->keys, key->str, key->len, &key->key_id) < 0) {
			w->rc = GWS_ENOMEM;
			return;
		}
		key->str = w->store->keys.strs[key->key_id].str;
		key->flags |= GWS_MF_NODE_INTERNED;
	}
	put(w, key->key_id);
}

static bool is_null(const gws_mf_node *n)
{
	return n->type == GWS_MF_NODE_SCALAR && n->scalar_kind == GWS_MF_SCALAR_NULL;
}

/* Writes `node` (a member under `key`, or a list item / root when key is NULL). */
static void write_node(writer *w, gws_mf_node *node, gws_mf_node *key, uint32_t parent_line)
{
	uint32_t line = key ? key->line : node->line;
	uint32_t column = key ? key->column : node->column;
	unsigned keyed = key ? T_KEYED : 0;

	if (!reserve(w, 1))
		return;
	if (node->pos) {
		w->store->scratch[w->len++] = (unsigned char)(T_ALIAS | keyed);
		if (key)
			put_key(w, key);
		put(w, zigzag((int64_t)line - parent_line));
		put(w, column);
		put(w, node->pos - 1);
		return;
	}
	node->pos = (uint32_t)w->len + 1;
	if (node->type == GWS_MF_NODE_SCALAR) {
		w->store->scratch[w->len++] =
		        (unsigned char)(T_SCALAR | keyed | (is_null(node) ? T_NULL : 0));
		if (key)
			put_key(w, key);
		put(w, zigzag((int64_t)line - parent_line));
		put(w, column);
		return;
	}
	w->store->scratch[w->len++] =
	        (unsigned char)((node->type == GWS_MF_NODE_MAPPING ? T_MAPPING : T_SEQUENCE) |
	                        keyed);
	if (key)
		put_key(w, key);
	put(w, line);
	put(w, column);
	put(w, node->n);
	if (node->type == GWS_MF_NODE_MAPPING)
		for (size_t i = 0; i < node->n; i++)
			write_node(w, node->items[2 * i + 1], node->items[2 * i], line);
	else
		for (size_t i = 0; i < node->n; i++)
			write_node(w, node->items[i], NULL, line);
}

const gws_mf_posdoc *gws_mf__pos_build(gws_manifest_store *store, const gws_mf_node *root)
{
	writer w = {store, 0, 0};
	gws_mf_posdoc *d;

	write_node(&w, (gws_mf_node *)root, NULL, 0);
	if (w.rc < 0)
		return NULL;
	d = gws_arena_alloc(store->arena, sizeof(*d) + w.len);
	if (!d)
		return NULL;
	d->keys = &store->keys;
	d->len = w.len;
	store->stats.index_bytes += sizeof(*d) + w.len;
	memcpy(d->bytes, store->scratch, w.len);
	return d;
}

/* ---- reading ---- */

typedef struct {
	unsigned type; /* T_SCALAR, T_SEQUENCE or T_MAPPING (an alias reads as its target) */
	bool null;
	uint32_t key;  /* when keyed */
	uint32_t line; /* where a diagnostic about the entry points */
	uint32_t column;
	uint32_t n;      /* children */
	uint32_t base;   /* the line the children's lines are relative to */
	size_t children; /* offset of the first child's entry */
	size_t next;     /* offset after the entry (after its children: see skip) */
} entry;

static uint64_t get(const unsigned char *p, size_t *off)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char c;
	do {
		c = p[(*off)++];
		v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return v;
}

static int64_t unzigzag(uint64_t v)
{
	return v & 1 ? -(int64_t)(v >> 1) - 1 : (int64_t)(v >> 1);
}

/* Decodes the entry at `off`; `next` is right after its own fields. */
static void decode(const gws_mf_posdoc *d, size_t off, uint32_t parent_line, entry *e)
{
	const unsigned char *p = d->bytes;
	unsigned tag = p[off++];

	memset(e, 0, sizeof(*e));
	if (tag & T_KEYED)
		e->key = (uint32_t)get(p, &off);
	e->type = tag & T_TYPE;
	e->null = (tag & T_NULL) != 0;
	if (e->type == T_SCALAR || e->type == T_ALIAS)
		e->line = (uint32_t)(parent_line + unzigzag(get(p, &off)));
	else
		e->line = (uint32_t)get(p, &off);
	e->column = (uint32_t)get(p, &off);
	if (e->type == T_ALIAS) {
		entry t;
		decode(d, (size_t)get(p, &off), 0, &t); /* a target is never an alias */
		e->type = t.type;
		e->null = t.null;
		e->n = t.n;
		e->base = t.base;
		e->children = t.children;
	} else if (e->type != T_SCALAR) {
		e->n = (uint32_t)get(p, &off);
		e->base = e->line;
		e->children = off;
	}
	e->next = off;
}

/* The offset after the entry at `off` and all of its children's. */
static size_t skip(const gws_mf_posdoc *d, size_t off)
{
	entry e;
	bool alias = (d->bytes[off] & T_TYPE) == T_ALIAS;

	decode(d, off, 0, &e);
	off = e.next;
	for (uint32_t i = 0; !alias && i < e.n; i++)
		off = skip(d, off);
	return off;
}

/*
 * Walks `path` from the object's root entry. Map keys may contain dots
 * ("app.kubernetes.io/name"), so the longest key that fits is taken.
 * *cur gets the deepest entry reached, *at the one whose position names it
 * (they are the same entry: a member's position is its key's). True when the
 * whole path was found.
 */
static bool walk(const gws_manifest_object *obj, const char *path, entry *at)
{
	const gws_mf_posdoc *d = obj->node_;
	const char *p = path ? path : "";
	entry cur;

	decode(d, obj->pos_, 0, &cur);
	cur.line = obj->line; /* the root's own position, even when shared through an alias */
	cur.column = obj->column;
	*at = cur;
	while (*p) {
		entry c;
		size_t off = cur.children;
		if (*p == '[') {
			char *end = NULL;
			unsigned long idx = strtoul(p + 1, &end, 10);
			if (!end || *end != ']' || cur.type != T_SEQUENCE || idx >= cur.n)
				break;
			for (unsigned long i = 0; i < idx; i++)
				off = skip(d, off);
			decode(d, off, cur.base, &c);
			cur = *at = c;
			p = end + 1;
			continue;
		}
		const char *seg = *p == '.' ? p + 1 : p;
		size_t seglen = strlen(seg);
		const gws_mf_string *best = NULL;
		entry bestent;
		if (cur.type != T_MAPPING)
			break;
		for (uint32_t i = 0; i < cur.n; i++, off = skip(d, off)) {
			decode(d, off, cur.base, &c);
			const gws_mf_string *k = &d->keys->strs[c.key];
			if (k->len > seglen || memcmp(seg, k->str, k->len) != 0)
				continue;
			char next = seg[k->len];
			if (next != '\0' && next != '.' && next != '[')
				continue;
			if (!best || k->len > best->len) {
				best = k;
				bestent = c;
			}
		}
		if (!best)
			break;
		cur = *at = bestent;
		p = seg + best->len;
	}
	return *p == '\0';
}

bool gws_manifest_object_pos(const gws_manifest_object *obj, const char *path, unsigned *line,
                             unsigned *column)
{
	entry at;
	bool exact;

	if (!obj->node_) {
		*line = obj->line;
		*column = obj->column;
		return path == NULL || *path == '\0';
	}
	exact = walk(obj, path, &at);
	*line = at.line;
	*column = at.column;
	return exact;
}

bool gws_manifest_object_has(const gws_manifest_object *obj, const char *path)
{
	entry at;

	if (!obj->node_)
		return false;
	return walk(obj, path, &at) && !(at.type == T_SCALAR && at.null);
}
