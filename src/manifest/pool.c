/*
 * A bump allocator for YAML node trees with mark/release: a document's
 * nodes are released as soon as it is converted (yaml.c), so the pool holds
 * one document at a time and its first chunk is reused from one document to
 * the next; only a document larger than a chunk makes it allocate more.
 */
#include <string.h>

#include "manifest/internal.h"

#define POOL_CHUNK (256u * 1024)
#define POOL_ALIGN (sizeof(void *))

struct gws_mf_pool_chunk {
	gws_mf_pool_chunk *next; /* older chunk */
	size_t size;
	size_t used;
	unsigned char *data;
};

void gws_mf__pool_init(gws_mf_pool *pool)
{
	memset(pool, 0, sizeof(*pool));
}

void gws_mf__pool_dispose(gws_mf_pool *pool)
{
	gws_mf_pool_chunk *c = pool->head, *next;
	for (; c; c = next) {
		next = c->next;
		gws_free(c);
	}
	pool->head = NULL;
	pool->bytes = 0;
}

void *gws_mf__pool_alloc(gws_mf_pool *pool, size_t size)
{
	gws_mf_pool_chunk *c = pool->head;
	size_t rounded = (size + POOL_ALIGN - 1) & ~(POOL_ALIGN - 1);
	if (rounded < size)
		return NULL;
	if (!c || c->size - c->used < rounded) {
		size_t want = rounded > POOL_CHUNK / 4 ? rounded : POOL_CHUNK;
		if (want > SIZE_MAX - sizeof(*c))
			return NULL;
		c = gws_malloc(sizeof(*c) + want);
		if (!c)
			return NULL;
		c->size = want;
		c->used = 0;
		c->data = (unsigned char *)(c + 1);
		c->next = pool->head;
		pool->head = c;
		pool->bytes += want;
		if (pool->bytes > pool->peak)
			pool->peak = pool->bytes;
	}
	void *p = c->data + c->used;
	c->used += rounded;
	memset(p, 0, size);
	return p;
}

char *gws_mf__pool_strndup(gws_mf_pool *pool, const char *s, size_t len)
{
	char *p = len == SIZE_MAX ? NULL : gws_mf__pool_alloc(pool, len + 1);
	if (p)
		memcpy(p, s, len); /* exactly len bytes: YAML strings may hold NUL */
	return p;
}

gws_mf_pool_mark gws_mf__pool_mark(const gws_mf_pool *pool)
{
	gws_mf_pool_mark m = {pool->head, pool->head ? pool->head->used : 0};
	return m;
}

void gws_mf__pool_release(gws_mf_pool *pool, gws_mf_pool_mark mark)
{
	while (pool->head && pool->head != mark.chunk) {
		gws_mf_pool_chunk *c = pool->head;
		if (!mark.chunk && !c->next && c->size == POOL_CHUNK) {
			c->used = 0; /* the next document's first chunk */
			return;
		}
		pool->head = c->next;
		pool->bytes -= c->size;
		gws_free(c);
	}
	if (pool->head)
		pool->head->used = mark.used;
}
