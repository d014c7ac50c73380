/* Open-addressing string map (linear probing, power-of-two capacity). */
#include "model/strmap.h"

#include <string.h>

typedef struct {
	const char *key;
	void *value;
} slot;

struct gws_model_strmap {
	slot *slots;
	size_t cap; /* power of two */
	size_t len;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

int gws_model__strmap_new(gws_model_strmap **out)
{
	gws_model_strmap *m = gws_calloc(1, sizeof(*m));
	if (!m)
		return GWS_ENOMEM;
	m->cap = 16;
	m->slots = gws_calloc(m->cap, sizeof(slot));
	if (!m->slots) {
		gws_free(m);
		return GWS_ENOMEM;
	}
	*out = m;
	return 0;
}

void gws_model__strmap_free(gws_model_strmap *map)
{
	if (!map)
		return;
	gws_free(map->slots);
	gws_free(map);
}

void gws_model__strmap_clear(gws_model_strmap *map)
{
	memset(map->slots, 0, map->cap * sizeof(slot));
	map->len = 0;
}

static slot *find_slot(slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash_str(key) & (cap - 1);
	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

void *gws_model__strmap_get(const gws_model_strmap *map, const char *key)
{
	slot *s = find_slot(map->slots, map->cap, key);
	return s->key ? s->value : NULL;
}

static int grow(gws_model_strmap *map)
{
	size_t ncap = map->cap * 2, i;
	slot *ns = gws_calloc(ncap, sizeof(slot));
	if (!ns)
		return GWS_ENOMEM;
	for (i = 0; i < map->cap; i++)
		if (map->slots[i].key)
			*find_slot(ns, ncap, map->slots[i].key) = map->slots[i];
	gws_free(map->slots);
	map->slots = ns;
	map->cap = ncap;
	return 0;
}

int gws_model__strmap_put(gws_model_strmap *map, const char *key, void *value)
{
	slot *s;
	if ((map->len + 1) * 4 > map->cap * 3 && grow(map) < 0)
		return GWS_ENOMEM;
	s = find_slot(map->slots, map->cap, key);
	if (!s->key) {
		s->key = key;
		map->len++;
	}
	s->value = value;
	return 0;
}
