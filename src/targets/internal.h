/* Private to src/targets. */
#ifndef GWSYNC_TARGETS_INTERNAL_H
#define GWSYNC_TARGETS_INTERNAL_H

#include "gwsync/kube.h"
#include "gwsync/targets.h"

/* The report's YAML emitter and its link-safe file helpers: the rendered
 * folder lives in the report's directory and follows the same rules. */
#include "report/internal.h"

#define GWS_TARGETS_LOG "targets"

#define GWS_TARGETS__LABEL_CLUSTER  "gwsync.io/cluster"
#define GWS_TARGETS__ANN_STACK      "gwsync.io/stack"
#define GWS_TARGETS__ANN_RESOURCE   "gwsync.io/resource"
#define GWS_TARGETS__MAX_RULE_PORTS 4

/* One port of a networking ingress rule. */
typedef struct {
	char port[64];        /* a number, or a port name of the pods */
	const char *protocol; /* TCP | UDP */
} gws_targets__port;

/* The ports the load balancer must reach on the targets of `tg` (networking.c). */
size_t gws_targets__ingress_ports(const gws_model_target_group *tg,
                                  gws_targets__port out[GWS_TARGETS__MAX_RULE_PORTS]);

/* ---- what --targets direct reads from Kubernetes objects (decode.c) ---- */

/* The EC2 instance id of a Node that should receive traffic (an aws://
 * providerID, not cordoned or going away, matching `sel`), else NULL.
 * Borrowed from `node`. */
const char *gws_targets__node_instance(json_t *node, const gws_mf_label_selector *sel);

typedef int (*gws_targets__endpoint_fn)(void *ctx, const char *address, int port);
/* `fn` for every address of a ready endpoint of an EndpointSlice of
 * `address_type` ("IPv4", "IPv6"), with the slice's number for the Service
 * port named `port_name` ("" when unnamed); nothing when the slice has none.
 * Stops at the first error `fn` returns. */
int gws_targets__slice_endpoints(json_t *slice, const char *port_name, const char *address_type,
                                 gws_targets__endpoint_fn fn, void *ctx);

/* The name ("" when unnamed) of a Service's port `port`, NULL when it has
 * none; borrowed from `svc`. */
const char *gws_targets__service_port_name(json_t *svc, int port);

/* Orders `const gws_mf_kv *` by key. */
int gws_targets__kv_cmp(const void *a, const void *b);

#endif
