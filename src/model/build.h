/*
 * Private to the model core (not used by the ALB rule builder): the records
 * and steps of one build, split across gateway.c, attach.c, lbconfig.c,
 * tg.c, nlb.c.
 */
#ifndef GWSYNC_MODEL_BUILD_H
#define GWSYNC_MODEL_BUILD_H

#include "model/internal.h"
#include "model/strmap.h"

/* A GatewayClass gwsync handles. */
typedef struct {
	const gws_manifest_object *object;
	gws_model_lb_type lb_type;
	const char *controller_name;
	gws_model_gateway_class_status *status;
	const gws_manifest_object *lb_config; /* its LoadBalancerConfiguration or NULL */
	bool accepted;
} gws_model_class;

/* A (route, parentRef) naming a Gateway, in the by_parent index. */
typedef struct gws_model_parent_link {
	const gws_manifest_object *route;
	size_t parent_index;
	struct gws_model_parent_link *next;
} gws_model_parent_link;

typedef struct {
	gws_model_parent_link *head, *tail;
} gws_model_parent_list;

/* The route status plus one slot per parentRef, compacted at the end. */
typedef struct {
	gws_model_route_status pub;
	gws_model_route_parent_status **slots;
	size_t n_slots;
} gws_model_route_status_ext;

/* A Gateway listener after validation. */
typedef struct {
	const gws_mf_listener *spec;
	gws_model_listener_status *status;
	size_t index;
	bool valid;                  /* Accepted=True */
	const char *lb_protocol;     /* the ELBv2 protocol it contributes: HTTP HTTPS TCP UDP TLS */
	gws_model_route_kind *kinds; /* the valid kinds */
	size_t n_kinds;
} gws_model_glistener;

/* Per-port attachments of the Gateway being built. */
typedef struct {
	int port;
	gws_vec atts; /* gws_model_attachment * */
} gws_model_port;

typedef struct {
	gws_model_glistener *listeners;
	size_t n_listeners;
	gws_vec ports; /* gws_model_port *, sorted by port at the end of attachment */
	bool mixed;    /* L4 and L7 listeners on one Gateway */
} gws_model_gwbuild;

const char *gws_model__kind_name(const gws_manifest_object *obj);
bool gws_model__is_l7_kind(gws_manifest_kind kind);
/* parentRefs of any route kind. */
const gws_mf_parent_ref *gws_model__route_parent_refs(const gws_manifest_object *route, size_t *n);
/* spec.hostnames of HTTPRoute, GRPCRoute, TLSRoute (none for TCP/UDP). */
const char *gws_model__route_hostnames(const gws_manifest_object *route, size_t i);
size_t gws_model__route_n_hostnames(const gws_manifest_object *route);

/* parallel.c: every handled Gateway in store order, its status and stack pushed in order. */
int gws_model__build_gateways(gws_model_ctx *ctx, gws_vec *gateways, gws_vec *stacks);

/* gateway.c */
int gws_model__build_gateway(gws_model_ctx *ctx, const gws_manifest_object *gw,
                             gws_model_class *cls);

/* attach.c */
int gws_model__validate_listeners(gws_model_ctx *ctx, gws_model_gwbuild *b);
int gws_model__attach_routes(gws_model_ctx *ctx, gws_model_gwbuild *b);
void gws_model__gwbuild_dispose(gws_model_gwbuild *b);
/* The route's status record, made on first use (sequentially: see index_routes). */
gws_model_route_status_ext *gws_model__route_status_ext(gws_model_ctx *ctx,
                                                        const gws_manifest_object *route);
gws_model_route_parent_status *
gws_model__parent_status(gws_model_ctx *ctx, const gws_manifest_object *route, size_t parent_index);

/* lbconfig.c */
int gws_model__resolve_lb_config(gws_model_ctx *ctx, gws_model_class *cls,
                                 const gws_manifest_object *gw_lbc);
int gws_model__build_load_balancer(gws_model_ctx *ctx, gws_model_stack *stack);
int gws_model__build_security_groups(gws_model_ctx *ctx, gws_model_stack *stack);
bool gws_model__valid_lb_name(const char *name);

/* tg.c */
int gws_model__index_tgcs(gws_model_ctx *ctx);
gws_mf_tg_props *gws_model__merge_tg_props(gws_model_ctx *ctx, const gws_mf_tg_props *hi,
                                           const gws_mf_tg_props *lo);
/* Forgets the target groups created after the first `keep` (a listener that is not built). */
void gws_model__drop_target_groups(gws_model_ctx *ctx, size_t keep);
int gws_model__finish_target_groups(gws_model_ctx *ctx, gws_model_stack *stack);

/* nlb.c */
int gws_model__build_nlb_listener(gws_model_ctx *ctx, gws_model_stack *stack, gws_model_gwbuild *b,
                                  gws_model_port *port);

/* certs.c: an HTTPS/TLS listener without a configured certificate. Sets
 * lis->cert_discovery_hosts and *ok; with no hostname to discover one for,
 * *ok is false, the Gateway listeners on the port say why (error diagnostic)
 * and the caller does not build the listener. */
int gws_model__certificate_discovery(gws_model_ctx *ctx, gws_model_gwbuild *b, gws_model_port *port,
                                     gws_model_listener *lis, bool *ok);

/* alb listener shell (gateway.c) */
int gws_model__build_alb_listener(gws_model_ctx *ctx, gws_model_stack *stack, gws_model_gwbuild *b,
                                  gws_model_port *port);

#endif
