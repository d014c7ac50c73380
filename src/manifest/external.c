/*
 * Objects from outside the repository, added to a loaded store: today the
 * Services gwsync reads from a cluster when a route's backend is not in the
 * repository (docs/targets.md). They are loaded into a store of their own
 * (which the main store then owns), so the repository's objects, their
 * order and their diagnostics are untouched; only objects the repository
 * lacks are added.
 */
#include <string.h>

#include "manifest/internal.h"
#include "manifest/validate.h"

typedef struct {
	gws_manifest_store *store;
	const char *origin;
	gws_diag_list *diags;
} payload;

static int on_document(const gws_mf_document *doc, void *p)
{
	payload *pl = p;

	return gws_mf__add_document(pl->store, pl->origin, doc, pl->diags);
}

static int cmp_objects(const void *pa, const void *pb)
{
	const gws_manifest_object *a = pa, *b = pb;
	int c = gws_strcmp_null(a->meta.namespace_, b->meta.namespace_);

	return c ? c : strcmp(a->meta.name, b->meta.name);
}

/* Their problems, as warnings: they do not make the desired state invalid. */
static int as_warnings(gws_diag_list *to, gws_diag_list *from)
{
	for (size_t i = 0; i < from->count; i++)
		from->items[i].severity = GWS_DIAG_WARNING;
	from->warnings += from->errors;
	from->errors = 0;
	return to ? gws_diag_list_move(to, from) : 0;
}

int gws_manifest_add_external(gws_manifest_store *store, const char *origin, const char *data,
                              size_t len, gws_manifest_kind kind, gws_diag_list *diags,
                              size_t *added)
{
	gws_manifest_store *ext = NULL, *src;
	gws_vec fresh = GWS_VEC_INIT;
	gws_diag_list local;
	const char *name;
	unsigned line = 0, col = 0;
	char msg[128];
	size_t n = 0;
	int error;

	if (added)
		*added = 0;
	gws_diag_list_init(&local);
	if (!store || kind >= GWS_KIND__COUNT) {
		error = gws_error_set(GWS_EINVALID, "manifest: bad external objects");
		goto cleanup;
	}
	if ((error = gws_mf__store_new(&ext)) < 0 ||
	    !(name = gws_arena_strdup(ext->arena, origin ? origin : "external"))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if (!gws_mf__check_text(data, len, &line, &col, msg, sizeof(msg))) {
		error = gws_diag_add(&local, GWS_DIAG_ERROR, name, line, col, NULL, NULL, "%s",
		                     msg);
		goto cleanup;
	}
	payload p = {ext, name, &local};
	if ((error = gws_mf__parse_yaml(&ext->nodes, &ext->keys, name, data, len, &local,
	                                on_document, &p)) < 0 ||
	    (error = gws_mf__store_finish(ext, &local)) < 0 ||
	    (error = gws_manifest__validate(ext, &local)) < 0)
		goto cleanup;
	/* The store owns it from here on: the objects added point into it. */
	if ((error = gws_vec_push(&store->parts, ext)) < 0)
		goto cleanup;
	src = ext;
	ext = NULL;
	/* Decided first, while the store is still sorted for gws_manifest_find. */
	for (size_t i = 0; i < src->by_kind[kind].len; i++) {
		gws_manifest_object *o = src->by_kind[kind].items[i];

		if (gws_manifest_find(store, kind, o->meta.namespace_, o->meta.name))
			continue; /* the repository wins */
		if ((error = gws_vec_push(&fresh, o)) < 0)
			goto cleanup;
	}
	for (; n < fresh.len; n++) {
		((gws_manifest_object *)fresh.items[n])->external = true;
		if ((error = gws_vec_push(&store->by_kind[kind], fresh.items[n])) < 0)
			goto cleanup;
	}
cleanup:
	/* Sorted again (also after a failed push), so gws_manifest_find keeps working. */
	if (n && gws_vec_sort(&store->by_kind[kind], cmp_objects) < 0 && !error)
		error = GWS_ENOMEM;
	store->stats.objects += n;
	if (added)
		*added = n;
	if (error == 0 || error != GWS_ENOMEM)
		error = as_warnings(diags, &local) < 0 ? GWS_ENOMEM : (error < 0 ? error : 0);
	gws_diag_list_dispose(&local);
	gws_vec_dispose(&fresh);
	gws_manifest_store_free(ext);
	return error;
}
