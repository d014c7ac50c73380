/*
 * Decoding what the API server answers: a reply body must be one JSON
 * object; a list page holds `items` (a list, or null when empty) and
 * `metadata.continue` when more pages follow. Kept apart from the transport
 * so that the decoding can be fuzzed without a server
 * (tests/fuzz/fuzz_kube_json.c).
 */
#include <string.h>

#include "kube/internal.h"

int gws_kube__decode(json_t **out, const char *body, size_t len, const char *server,
                     const char *path)
{
	json_error_t jerr;

	if (!(*out = json_loadb(body ? body : "", len, 0, &jerr)) || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return gws_error_set(GWS_EINVALID, "Kubernetes API %s: GET %s: not a JSON object",
		                     server, path);
	}
	return 0;
}

int gws_kube__page(json_t *page, const char *path, size_t *seen, gws_kube_item_fn fn, void *ctx,
                   char **cont)
{
	json_t *items = json_object_get(page, "items"), *item;
	const char *next;
	size_t i;
	int error = 0;

	*cont = NULL;
	if (items && !json_is_array(items) && !json_is_null(items))
		return gws_error_set(GWS_EINVALID, "Kubernetes API: %s: items is not a list", path);
	json_array_foreach(items, i, item)
	{
		if (++*seen > GWS_KUBE_MAX_ITEMS)
			error = gws_error_set(GWS_ETOOBIG, "Kubernetes API: %s: more than %u items",
			                      path, GWS_KUBE_MAX_ITEMS);
		else if (json_is_object(item))
			error = fn(ctx, item);
		if (error < 0)
			return error;
	}
	next = json_string_value(json_object_get(json_object_get(page, "metadata"), "continue"));
	if (next && *next && !(*cont = gws_strdup(next)))
		return GWS_ENOMEM;
	return 0;
}
