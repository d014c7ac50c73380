/*
 * Services from the cluster (docs/targets.md): many teams keep their
 * Services in Helm charts or application repositories, so a backend the
 * Gateway repository does not hold is looked up in the cluster. Only what
 * the model reads is kept (metadata name, namespace, labels and the spec);
 * the repository's Service wins when both have one.
 */
#include <stdlib.h>
#include <string.h>

#include "targets/internal.h"

static int keep_service(void *ctx, json_t *item)
{
	json_t *items = ctx, *meta = json_object_get(item, "metadata"), *m, *svc;

	if (!json_is_object(meta) || !json_is_object(json_object_get(item, "spec")))
		return 0;
	m = json_pack("{s:O?,s:O?,s:O?}", "name", json_object_get(meta, "name"), "namespace",
	              json_object_get(meta, "namespace"), "labels",
	              json_object_get(meta, "labels"));
	svc = m ? json_pack("{s:s,s:s,s:o,s:O}", "apiVersion", "v1", "kind", "Service", "metadata",
	                    m, "spec", json_object_get(item, "spec"))
	        : NULL;
	if (!svc || json_array_append_new(items, svc) != 0)
		return GWS_ENOMEM;
	return 0;
}

int gws_targets_add_cluster_services(gws_manifest_store *store, gws_kube *kube,
                                     gws_diag_list *diags, size_t *added)
{
	json_t *list = NULL, *items = json_array();
	char *origin = NULL, *text = NULL;
	int error;

	*added = 0;
	if (!items)
		return GWS_ENOMEM;
	if ((error = gws_kube_list(kube, "/api/v1/services", keep_service, items)) < 0)
		goto cleanup;
	list = json_pack("{s:s,s:s,s:O}", "apiVersion", "v1", "kind", "List", "items", items);
	origin = gws_asprintf("%s (%s)", gws_kube_server(kube), gws_kube_source(kube));
	text = list ? json_dumps(list, JSON_COMPACT) : NULL;
	if (!origin || !text) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	error = gws_manifest_add_external(store, origin, text, strlen(text), GWS_KIND_SERVICE,
	                                  diags, added);
cleanup:
	free(text); /* from json_dumps */
	gws_free(origin);
	json_decref(list);
	json_decref(items);
	return error;
}
