/*
 * gwsync kube: a small read-only Kubernetes API client (libcurl + jansson)
 * for what gwsync reads from a cluster: Services, EndpointSlices and Nodes
 * (docs/targets.md, "The Kubernetes API").
 *
 * The API is found, in this order: KUBECONFIG (its current context, or
 * `context`), else the pod's service account (KUBERNETES_SERVICE_HOST/PORT,
 * the token and CA under /var/run/secrets/kubernetes.io/serviceaccount, or
 * GWSYNC_KUBE_SERVICEACCOUNT_DIR). Everything is read when the client is
 * made, so a rotated token is picked up by the next run. TLS verification is
 * always on; tokens and keys are registered as secrets (never logged).
 *
 * Errors name the Kubernetes API and the problem: GWS_EAUTH (the server
 * refused the credentials, 401/403, or its certificate is not trusted),
 * GWS_ENETWORK (unreachable), GWS_ETOOBIG (a response over the cap),
 * GWS_EINVALID (a bad configuration or reply), GWS_ENOTFOUND (no API
 * configured, or a 404).
 */
#ifndef GWSYNC_KUBE_H
#define GWSYNC_KUBE_H

#include <jansson.h>

#include "gwsync/core.h"

#define GWS_KUBE_CAP_RESPONSE (32u * 1024 * 1024) /* one response body */
#define GWS_KUBE_PAGE_LIMIT   500                 /* items per list page */
#define GWS_KUBE_MAX_ITEMS    1000000             /* items per list, all pages */

typedef struct {
	const char *context; /* KUBECONFIG context; NULL: its current-context */
	long timeout_ms;     /* per request; 0: 30 s */
	size_t max_response; /* 0: GWS_KUBE_CAP_RESPONSE */
	long page_limit;     /* 0: GWS_KUBE_PAGE_LIMIT */
} gws_kube_options;

typedef struct gws_kube gws_kube;

/* GWS_ENOTFOUND when no API is configured (no KUBECONFIG and not in a pod). */
int gws_kube_new(gws_kube **out, const gws_kube_options *opts);
void gws_kube_free(gws_kube *k);

/* "https://host:port" and where it came from ("KUBECONFIG context prod"). */
const char *gws_kube_server(const gws_kube *k);
const char *gws_kube_source(const gws_kube *k);

/* GET path (e.g. "/api/v1/namespaces/shop/services/web"); *out owned by the caller. */
int gws_kube_get(gws_kube *k, const char *path, json_t **out);

/* Every item of a collection (e.g. "/api/v1/nodes"), page by page (limit/continue);
 * `fn` is called per item (borrowed) and stops the walk by returning < 0. */
typedef int (*gws_kube_item_fn)(void *ctx, json_t *item);
int gws_kube_list(gws_kube *k, const char *path, gws_kube_item_fn fn, void *ctx);

/* Requests made by this client (pages included). */
size_t gws_kube_request_count(const gws_kube *k);

#endif
