/*
 * Interned mapping keys. Manifests repeat a few hundred keys ("name",
 * "value", "backendRefs") hundreds of thousands of times; one shared copy
 * each saves a pool allocation and its memory per key. The table is capped,
 * so hostile files with millions of distinct keys just fall back to copies.
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
	in->slots = NULL;
}

const char *gws_mf__intern(gws_mf_intern *in, const char *s, size_t len)
{
	if (len > INTERN_MAX_LEN || memchr(s, 0, len))
		return NULL;
	if (!in->slots && !(in->slots = gws_calloc(INTERN_SLOTS, sizeof(*in->slots))))
		return NULL;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	size_t j = h & (INTERN_SLOTS - 1);
	while (in->slots[j]) {
		if (strncmp(in->slots[j], s, len) == 0 && in->slots[j][len] == '\0')
			return in->slots[j];
		j = (j + 1) & (INTERN_SLOTS - 1);
	}
	if (in->len >= INTERN_MAX)
		return NULL;
	char *copy = gws_arena_strndup(in->arena, s, len);
	if (!copy)
		return NULL;
	in->slots[j] = copy;
	in->len++;
	return copy;
}
