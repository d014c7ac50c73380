/*
 * Arenas: bump allocation in chunks, freed all at once. The model and the
 * manifest store are built once and read many times, so per-object free is
 * never needed. GWSYNC_DEBUG_POOL turns each allocation into its own malloc
 * so ASan and valgrind can see overruns.
 */
#include <stdalign.h>
#include <string.h>

#include "core/format.h"

#define ARENA_CHUNK (64u * 1024)
#define ARENA_ALIGN (alignof(max_align_t))

typedef struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes in data */
	size_t used;
	alignas(max_align_t) unsigned char data[];
} arena_chunk;

struct gws_arena {
	arena_chunk *chunks;
	size_t handed_out;
};

int gws_arena_new(gws_arena **out)
{
	gws_arena *arena = gws_calloc(1, sizeof(*arena));

	*out = arena;
	return arena ? 0 : GWS_ENOMEM;
}

void gws_arena_free(gws_arena *arena)
{
	arena_chunk *c, *next;

	if (!arena)
		return;
	for (c = arena->chunks; c; c = next) {
		next = c->next;
		gws_free(c);
	}
	gws_free(arena);
}

static arena_chunk *chunk_new(size_t size)
{
	arena_chunk *c;

	if (size > SIZE_MAX - sizeof(*c)) {
		gws_error_set(GWS_ENOMEM, "arena allocation of %zu bytes is too large", size);
		return NULL;
	}
	c = gws_malloc(sizeof(*c) + size);
	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *gws_arena_alloc(gws_arena *arena, size_t size)
{
	arena_chunk *c = arena->chunks;
	size_t rounded;

	if (size > SIZE_MAX - ARENA_ALIGN) {
		gws_error_set(GWS_ENOMEM, "arena allocation of %zu bytes is too large", size);
		return NULL;
	}
	rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
#ifdef GWSYNC_DEBUG_POOL
	c = NULL;
#endif
	if (!c || c->size - c->used < rounded) {
		size_t want = rounded > ARENA_CHUNK / 4 ? rounded : ARENA_CHUNK;
#ifdef GWSYNC_DEBUG_POOL
		want = rounded ? rounded : 1;
#endif
		arena_chunk *fresh = chunk_new(want);
		if (!fresh)
			return NULL;
		/* A big one-off allocation goes behind the current chunk so the
		 * space left in the current chunk stays usable. */
		if (arena->chunks && want != ARENA_CHUNK) {
			fresh->next = arena->chunks->next;
			arena->chunks->next = fresh;
		} else {
			fresh->next = arena->chunks;
			arena->chunks = fresh;
		}
		c = fresh;
	}
	void *p = c->data + c->used;
	c->used += rounded;
	arena->handed_out += size;
	memset(p, 0, size);
	return p;
}

void *gws_arena_calloc(gws_arena *arena, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		gws_error_set(GWS_ENOMEM, "array of %zu elements of %zu bytes is too large", nmemb,
		              size);
		return NULL;
	}
	return gws_arena_alloc(arena, nmemb * size);
}

char *gws_arena_strndup(gws_arena *arena, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = gws_arena_alloc(arena, len + 1);

	if (p)
		memcpy(p, s, len);
	return p;
}

char *gws_arena_strdup(gws_arena *arena, const char *s)
{
	return gws_arena_strndup(arena, s, SIZE_MAX);
}

static void *arena_alloc(void *ctx, size_t size)
{
	return gws_arena_alloc(ctx, size);
}

char *gws_arena_printf(gws_arena *arena, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = gws_core__vformat(arena_alloc, arena, fmt, ap);
	va_end(ap);
	return p;
}

size_t gws_arena_used(const gws_arena *arena)
{
	return arena->handed_out;
}
