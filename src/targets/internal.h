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

/* Orders `const gws_mf_kv *` by key. */
int gws_targets__kv_cmp(const void *a, const void *b);

#endif
