/* Private to src/kube. */
#ifndef GWSYNC_KUBE_INTERNAL_H
#define GWSYNC_KUBE_INTERNAL_H

#include <jansson.h>

#include "gwsync/kube.h"

#define GWS_KUBE_LOG "kube"

/* Where and how to reach the API server: what a config resolves to. */
typedef struct {
	char *server; /* "https://host:port", no trailing slash */
	char *source; /* "in-cluster service account" | "KUBECONFIG context NAME" */
	char *token;  /* bearer token, or NULL; registered as a secret */
	gws_buf ca;   /* PEM of the trusted CAs; empty: the system store */
	gws_buf cert; /* client certificate PEM, or empty */
	gws_buf key;  /* client key PEM, or empty; registered as a secret */
} gws_kube__target;

void gws_kube__target_dispose(gws_kube__target *t);

/* In the pod: KUBERNETES_SERVICE_HOST/PORT and the service-account files.
 * GWS_ENOTFOUND when not in a pod. */
int gws_kube__in_cluster(gws_kube__target *t);
/* The KUBECONFIG file's `context` (NULL: current-context). */
int gws_kube__kubeconfig(gws_kube__target *t, const char *path, const char *context);
/* A YAML document as JSON (scalars as strings), for the kubeconfig. */
int gws_kube__yaml_to_json(json_t **out, const char *data, size_t len, const char *name);
/* Runs an `exec` credential plugin (client.authentication.k8s.io) and takes its
 * token or client certificate. */
int gws_kube__exec_plugin(gws_kube__target *t, json_t *exec, const char *dir);

/* A reply body as a JSON object (*out owned by the caller); GWS_EINVALID
 * naming the server and path when it is anything else. */
int gws_kube__decode(json_t **out, const char *body, size_t len, const char *server,
                     const char *path);
/* One list page: `fn` for every object in `items` (*seen counts them across
 * pages, capped at GWS_KUBE_MAX_ITEMS), then *cont is the continue token of
 * the next page (owned by the caller) or NULL on the last page. */
int gws_kube__page(json_t *page, const char *path, size_t *seen, gws_kube_item_fn fn, void *ctx,
                   char **cont);

#endif
