/*
 * Interned strings. Manifests repeat a few hundred keys ("name", "value",
 * "backendRefs") and many values ("PathPrefix", a namespace) hundreds of
 * thousands of times; one shared copy each saves an allocation and its
 * memory per use. The hash table is capped, so hostile files with millions
 * of distinct strings just fall back to copies.
 *
 * Every string of the table has a small id (its index in `strs`): the
 * position index (pos.c) names mapping keys by id, so a key costs a byte or
 * two there instead of a pointer. Keys that cannot be shared get an id of
 * their own with gws_mf__intern_add.
 */
#include <string.h>

#include "manifest/internal.h"

#define INTERN_SLOTS   8192 /* power of two */
#define INTERN_MAX     4096 /* entries: the table stays at most half full */
#define INTERN_MAX_LEN 64

void gws_mf__intern_init(gws_mf_intern *in, gws_arena *arena)
{
	memset(in, 0, sizeof(*in));
	in->arena = arena;
}

void gws_mf__intern_dispose(gws_mf_intern *in)
{
	gws_free(in->slots);
	gws_free(in->strs);
	in->slots = NULL;
	in->strs = NULL;
	in->len = in->cap = in->hashed = 0;
}

/* Appends a string the arena owns; its id in *id. */
static int push(gws_mf_intern *in, const char *copy, size_t len, uint32_t *id)
{
	if (in->len == in->cap) {
		size_t ncap = in->cap ? 2 * in->cap : 256;
		gws_mf_string *n =
		        ncap <= UINT32_MAX ? gws_realloc(in->strs, ncap * sizeof(*n)) : NULL;
		if (!n)
			return GWS_ENOMEM;
		in->strs = n;
		in->cap = ncap;
	}
	in->strs[in->len].str = copy;
	in->strs[in->len].len = (uint32_t)len; /* files are capped far below 4 GiB */
	*id = (uint32_t)in->len++;
	return 0;
}

const char *gws_mf__intern(gws_mf_intern *in, const char *s, size_t len, uint32_t *id)
{
	uint32_t dummy;

	if (!id)
		id = &dummy;
	if (len > INTERN_MAX_LEN || memchr(s, 0, len))
		return NULL;
	if (!in->slots && !(in->slots = gws_calloc(INTERN_SLOTS, sizeof(*in->slots))))
		return NULL;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	size_t j = h & (INTERN_SLOTS - 1);
	while (in->slots[j]) {
		const gws_mf_string *e = &in->strs[in->slots[j] - 1];
		if (e->len == len && memcmp(e->str, s, len) == 0) {
			*id = in->slots[j] - 1;
			return e->str;
		}
		j = (j + 1) & (INTERN_SLOTS - 1);
	}
	if (in->hashed >= INTERN_MAX)
		return NULL;
	char *copy = gws_arena_strndup(in->arena, s, len);
	if (!copy || push(in, copy, len, id) < 0)
		return NULL;
	in->slots[j] = *id + 1;
	in->hashed++;
	return copy;
}

int gws_mf__intern_add(gws_mf_intern *in, const char *s, size_t len, uint32_t *id)
{
	char *copy = len < SIZE_MAX ? gws_arena_alloc(in->arena, len + 1) : NULL;

	if (!copy)
		return GWS_ENOMEM;
	memcpy(copy, s, len); /* exactly len bytes: keys may hold NUL */
	copy[len] = '\0';
	return push(in, copy, len, id);
}
