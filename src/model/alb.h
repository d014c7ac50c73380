/*
 * Private helpers of the ALB listener-rule builder (src/model/alb_*.c).
 *
 * The pure pieces (precedence, value splitting, path patterns, redirect and
 * rewrite mapping, quota counting) take plain inputs so unit tests can drive
 * them without a manifest store or a model stack.
 */
#ifndef GWSYNC_MODEL_ALB_H
#define GWSYNC_MODEL_ALB_H

#include "gwsync/core.h"
#include "gwsync/manifest.h"

/* ---- precedence (docs/lbc-mapping.md) ------------------------------------ */

/* Path "type" ranks: a higher rank is evaluated first. */
enum {
	GWS_ALB_PATH_NONE = 0,
	GWS_ALB_PATH_REGEX = 1,
	GWS_ALB_PATH_PREFIX = 2,
	GWS_ALB_PATH_EXACT = 3,
};

/* Match index of a unit built from a rule without matches (LBC: MaxInt). */
#define GWS_ALB_NO_MATCH SIZE_MAX

/*
 * Everything the precedence order looks at for one ALB rule candidate
 * ("unit": route x rule x match x hostname). HTTPRoute and GRPCRoute units
 * fill the same keys, so both kinds sort together.
 */
typedef struct {
	const char *hostname; /* the unit's hostname; "" is the catch-all unit */
	int path_type;        /* GWS_ALB_PATH_*; GRPC: method match type */
	size_t path_len;      /* HTTP: len(path value); GRPC: len(service) */
	size_t secondary_len; /* HTTP: 0; GRPC: len(method) */
	bool has_method;      /* HTTP match with `method`; always false for GRPC */
	size_t header_count;
	size_t query_count;     /* HTTP only */
	bool has_created;       /* the route has a creationTimestamp */
	int64_t created_ms;     /* creationTimestamp in ms since the epoch */
	const char *route_key;  /* "<namespace>/<name>" */
	const char *route_kind; /* "HTTPRoute" / "GRPCRoute": last tiebreak only */
	size_t rule_index;
	size_t match_index; /* GWS_ALB_NO_MATCH for a rule without matches */
} gws_alb_prec_key;

/* Hostname order alone: < 0 when `a` is evaluated before `b`. */
int gws_model__alb_hostname_cmp(const char *a, const char *b);

/*
 * The full precedence order: < 0 when `a` gets the smaller priority number
 * (is evaluated first), > 0 when `b` does, 0 only for equal keys. It is a
 * strict weak order (tests/unit/test_precedence_property.c).
 */
int gws_model__alb_prec_cmp(const gws_alb_prec_key *a, const gws_alb_prec_key *b);

/*
 * RFC 3339 timestamp ("2024-05-01T10:00:00Z", fractions and numeric offsets
 * allowed) to milliseconds since the epoch. GWS_EINVALID when malformed.
 */
int gws_model__alb_parse_timestamp(int64_t *out_ms, const char *text);

/* ---- condition values (docs/lbc-mapping.md) ------------------------------ */

/* A list of strings in an arena. */
typedef struct {
	const char **items;
	size_t n;
} gws_alb_strings;

/*
 * Splits an Exact header match value on unescaped commas; a backslash makes
 * the next character literal ("a\,b" is one value "a,b"); a trailing
 * backslash stays. "" gives one empty value.
 */
int gws_model__alb_split_header_value(gws_alb_strings *out, gws_arena *arena, const char *value);

/*
 * path-pattern values of an HTTP path match. Exact: the value; PathPrefix "/":
 * the match-all glob; PathPrefix "/x" or "/x/": "/x" and the glob of everything
 * below "/x/"; RegularExpression: the value as a regex (*is_regex set). An
 * Exact value with a literal wildcard becomes an anchored, escaped regex. GWS_EINVALID (message in
 * the error slot) for a prefix holding '*' or '?' or an unknown type.
 */
int gws_model__alb_path_values(gws_alb_strings *out, bool *is_regex, gws_arena *arena,
                               const char *type, const char *value);

/*
 * The path-pattern of a gRPC method match: "/svc/method", "/svc/" + "*" with
 * only a service, "/" + "*" + "/method" with only a method. GWS_EINVALID when
 * neither is set (the caller maps a match without method to "/" + "*").
 */
int gws_model__alb_grpc_path(const char **out, gws_arena *arena, const char *service,
                             const char *method);

/* ---- redirect and rewrite (docs/lbc-mapping.md) ------------------------- */

/* An ELBv2 RedirectConfig as LBC sends it: NULL members are not sent, and AWS
 * keeps its defaults #{protocol}, #{host}, #{port}, /#{path}, #{query}. A scheme
 * without a port sends the scheme's well-known port. status_code is always set. */
typedef struct {
	const char *protocol;
	const char *host;
	const char *port;
	const char *path;
	const char *query;
	const char *status_code; /* "HTTP_301" / "HTTP_302" */
	/* path.replacePrefixMatch: the path is rewritten by a url-rewrite
	 * transform (gws_model__alb_prefix_rewrite) and `path` stays default. */
	bool prefix_rewrite;
	const char *prefix_replacement;
} gws_alb_redirect;

/*
 * Maps a RequestRedirect filter. `query` is the LRC redirectConfig.query or
 * NULL. GWS_EINVALID (message in the error slot) for values ALB cannot
 * express: a scheme other than http/https, a status code other than
 * 301/302 (ALB also knows no 303/307/308), wildcards in a path, or a
 * redirect to the same place (a loop: ALB rejects it at CreateRule).
 */
int gws_model__alb_redirect_map(gws_alb_redirect *out, gws_arena *arena,
                                const gws_mf_request_redirect *redirect, const char *query);

/* An ELBv2 RewriteConfig. */
typedef struct {
	const char *regex;
	const char *replace;
} gws_alb_rewrite;

/* url-rewrite of ReplaceFullPath. */
void gws_model__alb_full_path_rewrite(gws_alb_rewrite *out, const char *full_path);

/*
 * url-rewrite of ReplacePrefixMatch for a unit whose PathPrefix match value
 * is `match_prefix`. GWS_EINVALID when the replacement holds '*' or '?'.
 */
int gws_model__alb_prefix_rewrite(gws_alb_rewrite *out, gws_arena *arena, const char *match_prefix,
                                  const char *replacement);

/* host-header-rewrite of URLRewrite.hostname. */
void gws_model__alb_host_rewrite(gws_alb_rewrite *out, const char *hostname);

/* ---- per-rule quotas ----------------------------------------------------- */

#define GWS_ALB_MAX_CONDITION_VALUES         5
#define GWS_ALB_MAX_WILDCARDS                5
#define GWS_ALB_MAX_TARGET_GROUPS_PER_ACTION 5
#define GWS_ALB_MAX_WEIGHT                   999

/* Wildcard characters ('*', '?') in a glob condition value. */
size_t gws_model__alb_count_wildcards(const char *value);

/* ---- the rule builder's working records (alb_rules.c, alb_actions.c,
 * alb_conditions.c) ------------------------------------------------------ */

#include "model/internal.h"

/* One route rule on one listener port (one attachment x one rule index). */
typedef struct gws_alb_plan {
	const gws_model_attachment *att;
	const gws_manifest_object *route;
	bool grpc;
	size_t rule_index;
	const gws_mf_filter *filters;
	size_t n_filters;
	const gws_mf_backend_ref *backends;
	size_t n_backends;
	/* from the filters */
	const gws_mf_request_redirect *redirect; /* the first RequestRedirect */
	const gws_manifest_object *lrc_object;   /* the ListenerRuleConfiguration */
	const gws_mf_lrc_config *lrc;
	const gws_mf_lrc_action *lrc_auth;    /* first authenticate-* / jwt-validation */
	const gws_mf_lrc_action *lrc_routing; /* first forward / fixed-response / redirect */
	/* the first problem: the rule cannot be built as written */
	const char *problem;        /* message; NULL when fine */
	const char *problem_field;  /* "spec.rules[1].filters[0].type" */
	const char *problem_reason; /* a GWS_REASON_* */
	bool problem_http_only;     /* the problem exists on HTTP listeners only */
	size_t n_units;             /* ALB rule candidates (matches x hostnames) */
	size_t n_units_built;       /* ...whose conditions ALB can hold */
	/* the built actions, shared by every ALB rule of this route rule */
	gws_model_action *actions;
	size_t n_actions;
} gws_alb_plan;

/* Marks the plan unsupported (first problem wins). Returns GWS_EINVALID. */
int gws_model__alb_plan_problem(gws_model_ctx *ctx, gws_alb_plan *plan, const char *reason,
                                const char *field, const char *fmt, ...) GWS_PRINTF(5, 6);

/* Checks of the rule that need no target group: filters, ListenerRuleConfiguration,
 * rule fields ALB cannot do, weights, target group count. Sets plan->problem. */
int gws_model__alb_plan_check(gws_model_ctx *ctx, const gws_model_listener *listener,
                              gws_alb_plan *plan);

/* Builds plan->actions: the 500 fixed response for a plan with a problem,
 * else [authenticate] + forward / redirect / fixed-response, creating target
 * groups through gws_model__target_group_for_backend. */
int gws_model__alb_plan_actions(gws_model_ctx *ctx, gws_model_stack *stack,
                                const gws_model_listener *listener, gws_alb_plan *plan);

/* The ELBv2 fixed-response 500 of a rule with no usable backend. */
int gws_model__alb_fixed_500(gws_model_ctx *ctx, gws_model_action **out, size_t *n_out);

/* Conditions and transforms of one unit (`match_index` GWS_ALB_NO_MATCH for
 * a rule without matches). A problem (quota, unsupported value) is recorded
 * on the plan and returns GWS_EINVALID. Also fills the precedence key. */
typedef struct {
	gws_alb_plan *plan;
	size_t match_index;
	const char *hostname;
	gws_alb_prec_key key;
	gws_model_condition *conditions;
	size_t n_conditions;
	gws_model_transform *transforms;
	size_t n_transforms;
	bool built;  /* conditions could be built */
	size_t tier; /* listener isolation: index of its listener (alb_isolation.c), else 0 */
} gws_alb_unit;

int gws_model__alb_unit_build(gws_model_ctx *ctx, gws_alb_unit *unit);

/* ---- listener isolation (alb_isolation.c) --------------------------------- */

/* One Gateway listener of the port, most specific hostname first. */
typedef struct {
	const gws_mf_listener *spec;
	const char *hostname; /* "" = any */
	bool shadowed;        /* a less specific listener of the port also matches its hostname */
} gws_alb_iso_listener;

typedef struct {
	gws_alb_iso_listener *items;
	size_t n;
	bool active; /* some listener is shadowed: rules are grouped by listener */
} gws_alb_isolation;

/* The accepted Gateway listeners on `listener`'s port, in isolation order. */
int gws_model__alb_isolation_init(gws_model_ctx *ctx, const gws_model_listener *listener,
                                  gws_alb_isolation *out);

/* The tier of a unit: the most specific listener it attached through whose
 * hostname covers the unit's hostname (0 when isolation is inactive). */
size_t gws_model__alb_isolation_tier(const gws_alb_isolation *iso, const gws_alb_unit *unit);

/* True when a more specific listener takes every request the unit could
 * match: its ALB rule would never be reached and is not built. */
bool gws_model__alb_isolation_unreachable(const gws_alb_isolation *iso, const gws_alb_unit *unit);

/* The rule answering 404 for the hostname of shadowed listener `index`. */
int gws_model__alb_isolation_rule(gws_model_ctx *ctx, const gws_model_listener *listener,
                                  const gws_alb_isolation *iso, size_t index, int priority,
                                  gws_model_rule **out);

#endif
