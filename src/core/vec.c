/* Pointer vectors with a stable sort, so equal keys keep input order. */
#include <stdlib.h>
#include <string.h>

#include "gwsync/core.h"

void gws_vec_init(gws_vec *vec)
{
	vec->items = NULL;
	vec->len = 0;
	vec->cap = 0;
}

void gws_vec_dispose(gws_vec *vec)
{
	gws_free(vec->items);
	gws_vec_init(vec);
}

int gws_vec_push(gws_vec *vec, void *item)
{
	if (vec->len == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 8;
		void **items = gws_reallocarray(vec->items, cap, sizeof(*items));

		if (!items)
			return GWS_ENOMEM;
		vec->items = items;
		vec->cap = cap;
	}
	vec->items[vec->len++] = item;
	return 0;
}

static void merge_sort(void **items, void **tmp, size_t n, int (*cmp)(const void *a, const void *b))
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(items, tmp, mid, cmp);
	merge_sort(items + mid, tmp, n - mid, cmp);
	while (i < mid && j < n)
		tmp[k++] = cmp(items[j], items[i]) < 0 ? items[j++] : items[i++];
	while (i < mid)
		tmp[k++] = items[i++];
	while (j < n)
		tmp[k++] = items[j++];
	memcpy(items, tmp, n * sizeof(*items));
}

int gws_vec_sort(gws_vec *vec, int (*cmp)(const void *a, const void *b))
{
	void **tmp;

	if (vec->len < 2)
		return 0;
	tmp = gws_reallocarray(NULL, vec->len, sizeof(*tmp));
	if (!tmp)
		return GWS_ENOMEM;
	merge_sort(vec->items, tmp, vec->len, cmp);
	gws_free(tmp);
	return 0;
}

void gws_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *a, const void *b))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}
