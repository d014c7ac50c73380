/*
 * Private to src/model: the build context shared by the model core (model
 * engineer) and the ALB rule builder (src/model/alb_*.c, modelalb engineer).
 *
 * Build order per Gateway (model.c):
 *   class selection → merged LoadBalancerConfiguration → listener validation →
 *   route attachment (attachment records per port) → load balancer →
 *   listeners: ALB gws_model__alb_listener_config + gws_model__alb_build_listener_rules,
 *   NLB default actions → quotas → sort target groups.
 * Target groups are created lazily through gws_model__target_group_for_backend.
 */
#ifndef GWSYNC_MODEL_INTERNAL_H
#define GWSYNC_MODEL_INTERNAL_H

#include "gwsync/model.h"

/* ---- condition reasons: the only spellings the model may use ------------
 * Every one is a reason Gateway API v1.6.1 defines (docs/gateway-rules.md; checked by
 * tests/unit/test_model_reasons.c against tests/unit/data/gateway_api_reasons.txt). */
#define GWS_REASON_ACCEPTED                      "Accepted"
#define GWS_REASON_RESOLVED_REFS                 "ResolvedRefs"
#define GWS_REASON_PROGRAMMED                    "Programmed"
#define GWS_REASON_PENDING                       "Pending"
#define GWS_REASON_INVALID                       "Invalid"
#define GWS_REASON_INVALID_PARAMETERS            "InvalidParameters"
#define GWS_REASON_UNSUPPORTED                   "Unsupported"
#define GWS_REASON_LISTENERS_NOT_VALID           "ListenersNotValid"
#define GWS_REASON_NO_RESOURCES                  "NoResources"
#define GWS_REASON_PORT_UNAVAILABLE              "PortUnavailable"
#define GWS_REASON_UNSUPPORTED_PROTOCOL          "UnsupportedProtocol"
#define GWS_REASON_UNSUPPORTED_VALUE             "UnsupportedValue"
#define GWS_REASON_INVALID_ROUTE_KINDS           "InvalidRouteKinds"
#define GWS_REASON_INVALID_CERTIFICATE_REF       "InvalidCertificateRef"
#define GWS_REASON_REF_NOT_PERMITTED             "RefNotPermitted"
#define GWS_REASON_NO_CONFLICTS                  "NoConflicts"
#define GWS_REASON_HOSTNAME_CONFLICT             "HostnameConflict"
#define GWS_REASON_PROTOCOL_CONFLICT             "ProtocolConflict"
#define GWS_REASON_NOT_ALLOWED_BY_LISTENERS      "NotAllowedByListeners"
#define GWS_REASON_NO_MATCHING_LISTENER_HOSTNAME "NoMatchingListenerHostname"
#define GWS_REASON_NO_MATCHING_PARENT            "NoMatchingParent"
#define GWS_REASON_INCOMPATIBLE_FILTERS          "IncompatibleFilters"
#define GWS_REASON_INVALID_KIND                  "InvalidKind"
#define GWS_REASON_BACKEND_NOT_FOUND             "BackendNotFound"

/* Condition types */
#define GWS_COND_ACCEPTED          "Accepted"
#define GWS_COND_RESOLVED_REFS     "ResolvedRefs"
#define GWS_COND_PROGRAMMED        "Programmed"
#define GWS_COND_CONFLICTED        "Conflicted"
#define GWS_COND_PARTIALLY_INVALID "PartiallyInvalid"

/* The reason table (NULL-terminated) and a membership test. */
extern const char *const gws_model__reasons[];
bool gws_model__reason_known(const char *reason);

/* ---- the model object ---------------------------------------------------- */

struct gws_model {
	gws_arena *arena;
	gws_arena **worker_arenas; /* what the build's threads allocated (gws_model_free) */
	size_t n_worker_arenas;
	const char *cluster;
	gws_model_stack **stacks;
	size_t n_stacks;
	gws_model_gateway_class_status **classes;
	size_t n_classes;
	gws_model_gateway_status **gateways;
	size_t n_gateways;
	gws_model_route_status **routes;
	size_t n_routes;
};

/* ---- attachments ---------------------------------------------------------- */

/*
 * One route attached to one listener port of the Gateway being built, through
 * one of its parentRefs. ALB: one record per (route, parentRef, port) that was
 * accepted by at least one listener on that port.
 */
typedef struct gws_model_attachment {
	const gws_manifest_object *route; /* HTTPRoute, GRPCRoute, TCPRoute, UDPRoute, TLSRoute */
	gws_model_route_parent_status *parent; /* the route's status entry for this parentRef */
	size_t parent_index;                   /* index in spec.parentRefs */
	int port;
	const gws_mf_listener **listeners; /* the Gateway listeners on `port` it attached through */
	size_t n_listeners;
	/* Effective hostnames on this port after intersection with the listeners'
	 * hostnames (docs/lbc-mapping.md), sorted, unique. Empty: no host-header
	 * condition (catch-all). */
	gws_model_strs hostnames;
} gws_model_attachment;

/* ---- the build context ------------------------------------------------------ */

typedef struct gws_model_ctx {
	const gws_manifest_store *store;
	gws_model_options opts; /* resolved: every pointer non-NULL, every limit > 0 */
	gws_arena *arena;       /* the model's arena */
	gws_diag_list *diags;
	gws_model *model;
	/* The first allocation failure met where a helper cannot return one (a
	 * condition message, a diagnostic): gws_model_build then fails with it. */
	int error;

	/* status tables (also reachable from model) */
	struct gws_model_strmap *route_status;   /* "Kind ns/name" → route status (build.h) */
	struct gws_model_strmap *by_parent;      /* Gateway "ns/name" → (route, parentRef) list */
	struct gws_model_strmap *classes;        /* GatewayClass name → class record (build.h) */
	struct gws_model_strmap *tgc_by_service; /* "ns/name" → its TargetGroupConfiguration */

	/* the Gateway being built */
	const gws_manifest_object *gateway;
	const char *stack_id; /* "<namespace>/<name>" of `gateway` */
	gws_model_gateway_status *gw_status;
	gws_model_lb_type lb_type;
	const char *controller_name;
	const gws_mf_lb_config *lb_config;   /* merged GatewayClass+Gateway; never NULL */
	const gws_mf_tg_config *default_tgc; /* merged default TargetGroupConfiguration or NULL */
	gws_vec tgs;                         /* gws_model_target_group * of the current stack */
	struct gws_model_strmap *tg_by_id;
} gws_model_ctx;

/* ---- helpers the model core implements and the ALB rule builder calls ---- */

/*
 * The target group for one backendRef of `att->route`'s rule `rule_index`,
 * reached through `listener`. Builds it (TargetGroupConfiguration
 * defaultConfiguration + longest-match routeConfigurations, default TGCs from
 * the LoadBalancerConfiguration) or reuses the one with the same id.
 * Returns 0 and the id; or, when the backend cannot be used, sets the route's
 * ResolvedRefs/Accepted condition naming the reason (BackendNotFound with the
 * Service and port, RefNotPermitted, InvalidKind, UnsupportedValue for a bad
 * target group configuration) and returns GWS_ENOTFOUND (caller emits the 500
 * fixed response for ALB); GWS_ENOMEM on allocation failure.
 * Weights are not checked here: see gws_model__check_weight.
 */
int gws_model__target_group_for_backend(gws_model_ctx *ctx, gws_model_stack *stack,
                                        const gws_model_attachment *att,
                                        const gws_model_listener *listener, size_t rule_index,
                                        const gws_mf_backend_ref *ref, const char **tg_id_out);

/* False (and Accepted=False UnsupportedValue on the route) when the weight is
 * outside 0..999, the most ELBv2 accepts. */
bool gws_model__check_weight(gws_model_ctx *ctx, const gws_model_attachment *att, size_t rule_index,
                             size_t backend_index, const gws_mf_backend_ref *ref);

/*
 * Sets a condition on a route parent entry. Conditions are keyed by type; a
 * False never gets replaced by True; a second False of the same type keeps the
 * first reason and appends "; <message>". The reason must be one of
 * gws_model__reasons. Also adds a warning diagnostic positioned on the route
 * when status is "False". `route` may be NULL (no diagnostic).
 */
void gws_model__route_condition(gws_model_ctx *ctx, const gws_manifest_object *route,
                                gws_model_route_parent_status *parent, const char *type,
                                const char *status, const char *reason, const char *fmt, ...)
        GWS_PRINTF(7, 8);

/* The same for a condition list (Gateway, listener, GatewayClass); no diagnostic. */
void gws_model__set_condition(gws_model_ctx *ctx, gws_model_conditions *conds, const char *type,
                              const char *status, const char *reason, const char *fmt, ...)
        GWS_PRINTF(6, 7);
void gws_model__set_conditionv(gws_model_ctx *ctx, gws_model_conditions *conds, const char *type,
                               const char *status, const char *reason, const char *fmt, va_list ap)
        GWS_PRINTF(6, 0);

/* The status of a Gateway listener by name (NULL when unknown). */
gws_model_listener_status *gws_model__listener_status(gws_model_ctx *ctx, const char *name);

/* The LoadBalancerConfiguration listenerConfigurations entry for protocol:port
 * (case-insensitive, as LBC), NULL when none. */
const gws_mf_lb_listener_config *gws_model__listener_config_for(const gws_mf_lb_config *cfg,
                                                                const char *protocol, int port);

/* Tags for a stack resource: `user` tags (may be NULL) plus the ownership
 * tags (gwsync.io/..., docs/model.md), which user tags never override. */
int gws_model__resource_tags(gws_model_ctx *ctx, gws_model_kvs *out, const char *resource_id,
                             const gws_mf_kv *user, size_t n_user);

/* Records `rc` when it is an allocation failure (see ctx->error); returns rc. */
int gws_model__note(gws_model_ctx *ctx, int rc);

/* Arena helpers. */
char *gws_model__strdup(gws_model_ctx *ctx, const char *s);
char *gws_model__printf(gws_model_ctx *ctx, const char *fmt, ...) GWS_PRINTF(2, 3);
/* Appends fmt/ap to buf like gws_buf_vprintf, without vsnprintf for the usual conversions. */
int gws_model__buf_vprintf(gws_buf *buf, const char *fmt, va_list ap) GWS_PRINTF(2, 0);
/* Sorted, de-duplicated copy of a string map (later entries win). */
int gws_model__kvs_from(gws_model_ctx *ctx, gws_model_kvs *out, const gws_mf_kv *items, size_t n);
/* Drops NULLs and later repeats from items[0..*n), first occurrences kept in order; linear. */
int gws_model__strs_unique(const char **items, size_t *n);

/* "k8s-<ns:8>-<name:8>-<hash:10>" with non-alphanumerics removed from ns and name, the
 * hash being sha256 of the concatenated `parts` (NULL-terminated). */
char *gws_model__lbc_name(gws_model_ctx *ctx, const char *ns, const char *name,
                          const char *const *parts);

/*
 * Hostname intersection (docs/gateway-rules.md, "Hostnames"): the more specific of the
 * listener hostname `listener` (NULL = any) and the route hostname `route`
 * (NULL = any); NULL when they do not intersect, "" when both are "any".
 * Returns a pointer into one of the inputs (or the static "").
 */
const char *gws_model__hostname_intersect(const char *listener, const char *route);

/* ---- implemented by the ALB rule builder (src/model/alb_rules.c) ---------- */

/*
 * Builds listener->rules for one ALB listener from the routes attached to its
 * port (sorted by the precedence comparator, priorities 1..n), creating target
 * groups through gws_model__target_group_for_backend and setting route
 * conditions for rule-level problems. `attached` is in a canonical order
 * (route kind, namespace, name, parentRef index).
 */
int gws_model__alb_build_listener_rules(gws_model_ctx *ctx, gws_model_stack *stack,
                                        gws_model_listener *listener,
                                        const gws_model_attachment *const *attached,
                                        size_t n_attached);

/*
 * Certificates, SSL policy, ALPN, mutual TLS and listener attributes of one
 * ALB listener from the merged LoadBalancerConfiguration (`cfg`, never NULL;
 * see gws_model__listener_config_for). Problems go to the Gateway listener
 * status (gws_model__listener_status).
 */
int gws_model__alb_listener_config(gws_model_ctx *ctx, gws_model_stack *stack,
                                   gws_model_listener *listener, const gws_mf_lb_config *cfg);

#endif
