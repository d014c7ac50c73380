/*
 * Ownership and tags. A resource is gwsync's for this cluster only when it
 * carries all four ownership tags with the cluster's name and "gwsync" as
 * the manager (docs/reconcile.md, "Ownership"); anything else is never
 * modified or deleted, whatever its name says.
 */
#include <string.h>

#include "reconcile/internal.h"

const char *rc_tag(const gws_aws_kvs *tags, const char *key)
{
	for (size_t i = 0; tags && i < tags->count; i++)
		if (tags->items[i].key && strcmp(tags->items[i].key, key) == 0)
			return tags->items[i].value ? tags->items[i].value : "";
	return NULL;
}

rc_owner rc_ownership(const gws_aws_kvs *tags, const char *cluster)
{
	const char *c = rc_tag(tags, RC_TAG_CLUSTER);
	const char *m = rc_tag(tags, RC_TAG_MANAGED);

	if (!c || !m || strcmp(c, cluster) != 0 || strcmp(m, RC_MANAGED_BY) != 0)
		return RC_FOREIGN;
	if (!rc_tag(tags, RC_TAG_STACK) || !rc_tag(tags, RC_TAG_RESOURCE))
		return RC_FOREIGN;
	return RC_OWNED;
}

bool rc_tag_external(const gws_reconcile *r, const char *key)
{
	/* AWS reserves aws: keys; nobody may add or remove them. */
	if (strncmp(key, "aws:", 4) == 0)
		return true;
	for (size_t i = 0; i < r->opts.n_external_tags; i++)
		if (strcmp(r->opts.external_tags[i], key) == 0)
			return true;
	return false;
}

gws_aws_kvs rc_kvs_from_model(gws_reconcile *r, const gws_model_kvs *kvs)
{
	gws_aws_kvs out = {NULL, 0};

	if (!kvs || !kvs->n)
		return out;
	out.items = RC_NEWN(r, gws_aws_kv, kvs->n);
	if (!out.items)
		return out;
	for (size_t i = 0; i < kvs->n; i++) {
		out.items[i].key = kvs->items[i].key;
		out.items[i].value = kvs->items[i].value;
	}
	out.count = kvs->n;
	return out;
}

gws_aws_kvs rc_desired_tags(gws_reconcile *r, const gws_model_kvs *tags, const char *spec)
{
	gws_aws_kvs out = {NULL, 0};
	size_t n = tags ? tags->n : 0, j = 0;
	bool placed = false;

	out.items = RC_NEWN(r, gws_aws_kv, n + 1);
	if (!out.items)
		return out;
	/* Keep the list sorted by key: the spec tag goes where it belongs. */
	for (size_t i = 0; i < n; i++) {
		if (!placed && spec && strcmp(tags->items[i].key, GWS_RECONCILE_SPEC_TAG) > 0) {
			out.items[j].key = GWS_RECONCILE_SPEC_TAG;
			out.items[j++].value = spec;
			placed = true;
		}
		if (strcmp(tags->items[i].key, GWS_RECONCILE_SPEC_TAG) == 0)
			continue; /* a user cannot set it */
		out.items[j].key = tags->items[i].key;
		out.items[j++].value = tags->items[i].value;
	}
	if (!placed && spec) {
		out.items[j].key = GWS_RECONCILE_SPEC_TAG;
		out.items[j++].value = spec;
	}
	out.count = j;
	return out;
}

gws_aws_strings rc_strings(gws_reconcile *r, const char *const *items, size_t n)
{
	gws_aws_strings out = {NULL, 0};

	if (!n)
		return out;
	out.items = RC_NEWN(r, const char *, n);
	if (!out.items)
		return out;
	memcpy(out.items, items, n * sizeof(*items));
	out.count = n;
	return out;
}
