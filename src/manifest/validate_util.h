/*
 * Shared machinery of the validation rules (validate_*.c): a walking
 * context that knows the object and the field path being checked, report
 * helpers, the common scalar checks, and the string patterns of the
 * Gateway API and Kubernetes schemas.
 */
#ifndef GWSYNC_MANIFEST_VALIDATE_UTIL_H
#define GWSYNC_MANIFEST_VALIDATE_UTIL_H

#include "gwsync/manifest.h"

#define GWS_VPATH_MAX    512
#define GWS_VQUOTE_MAX   96
#define GWS_VQUOTE_SLOTS 4

/*
 * One object being validated. `path` is the field path of the node the rule
 * is looking at ("spec.listeners[2]"); rules push and pop path segments as
 * they descend. Report helpers take a field relative to it.
 */
typedef struct {
	gws_diag_list *diags; /* holds the loader's diagnostics (read only here) */
	gws_diag_list *out;   /* receives the problems found: `diags` unless set after init */
	const gws_manifest_object *obj;
	char path[GWS_VPATH_MAX];
	size_t len;
	int error;       /* first operational failure (ENOMEM), 0 when none */
	bool over_limit; /* a list or map is longer than its schema allows */
	/* Diagnostics diags->items[0..loader_diags) came from the loader (type errors, ...). */
	size_t loader_diags;
	char quote[GWS_VQUOTE_SLOTS][GWS_VQUOTE_MAX];
	unsigned next_quote;
} gws_manifest__vctx;

/*
 * `loader_diags`: how many diagnostics the loader had added before the rules
 * ran. A rule stays silent on a field at or below one the loader already
 * reported as an error (a null list item, a string where a number belongs),
 * since the typed value there is only a placeholder.
 */
void gws_manifest__v_init(gws_manifest__vctx *v, gws_diag_list *diags, size_t loader_diags,
                          const gws_manifest_object *obj);

/* Append ".field" (or "field" at the root); returns the mark to pop back to. */
size_t gws_manifest__v_push(gws_manifest__vctx *v, const char *field);
/* Append ".field[index]" ("[index]" when field is NULL). */
size_t gws_manifest__v_push_index(gws_manifest__vctx *v, const char *field, size_t index);
void gws_manifest__v_pop(gws_manifest__vctx *v, size_t mark);

/* Report at the current path plus `field` (NULL: the current path itself). */
void gws_manifest__v_error(gws_manifest__vctx *v, const char *field, const char *fmt, ...)
        GWS_PRINTF(3, 4);
void gws_manifest__v_warning(gws_manifest__vctx *v, const char *field, const char *fmt, ...)
        GWS_PRINTF(3, 4);
/*
 * A map key usable as a field path segment: the key itself when it is made
 * of letters, digits, '-', '_' and '/', or NULL (report at the map) when it
 * holds characters that would break the path (dots, brackets, spaces,
 * control bytes). Messages then quote the key.
 */
const char *gws_manifest__key_field(const char *key);
/* True when current path plus `field` was written in the source. */
bool gws_manifest__v_has(const gws_manifest__vctx *v, const char *field);

/*
 * `s` in double quotes, escaped (control and non-ASCII bytes as \xNN) and cut
 * to a readable length, for messages. Valid until GWS_VQUOTE_SLOTS more calls.
 */
const char *gws_manifest__v_quote(gws_manifest__vctx *v, const char *s);

/* Both set and equal (an absent value equals nothing). */
bool gws_manifest__str_eq(const char *a, const char *b);

/*
 * Names that must be unique in a list of structs: `first` points at element
 * 0's name member, the elements lie `stride` bytes apart. The first name
 * before element i equal to element i's (ignoring ASCII case with
 * `fold_case`), or NULL.
 */
const char *gws_manifest__earlier_name(const char *const *first, size_t stride, size_t i,
                                       bool fold_case);
/* Element i's name in such a list. */
const char *gws_manifest__name_at(const char *const *first, size_t stride, size_t i);
/*
 * Element i's name (a `what`, e.g. "header") repeats an earlier one: an
 * error; with `case_note` (header names, which are case-insensitive) a
 * repeat differing only in case is a warning ending with `case_note`.
 */
void gws_manifest__v_unique_name(gws_manifest__vctx *v, const char *what, const char *const *first,
                                 size_t stride, size_t i, const char *case_note);

/*
 * Repeats in a list without a schema limit (where a pairwise search would
 * be quadratic): keys[i] is item i's key, NULL for none. twin[i] gets the
 * index of the first earlier item with the same key, or GWS_VNO_TWIN. Linear
 * (a hash table). On ENOMEM returns false and sets v->error.
 */
#define GWS_VNO_TWIN SIZE_MAX
bool gws_manifest__v_twins(gws_manifest__vctx *v, size_t *twin, const char *const *keys, size_t n);

/* ---- common checks: each reports and returns false when the value is invalid ---- */

/* `present` false: "<field> is required". */
bool gws_manifest__v_required(gws_manifest__vctx *v, const char *field, bool present);
/* An optional integer in [min, max]. */
bool gws_manifest__v_range(gws_manifest__vctx *v, const char *field, const gws_mf_int *value,
                           int64_t min, int64_t max);
/* An optional string that must be one of `allowed` (NULL-terminated). */
bool gws_manifest__v_enum(gws_manifest__vctx *v, const char *field, const char *value,
                          const char *const *allowed);
/* An optional string of min..max bytes. */
bool gws_manifest__v_length(gws_manifest__vctx *v, const char *field, const char *value, size_t min,
                            size_t max);
/*
 * A list of n items, min..max (max 0: no upper bound). Over max, the object
 * is marked over_limit: it is left out of the store, as the API server
 * would refuse it, and the message says so.
 */
bool gws_manifest__v_count(gws_manifest__vctx *v, const char *field, size_t n, size_t min,
                           size_t max);
/* The same for a map (labels, options) of n entries, at most max. */
bool gws_manifest__v_entries(gws_manifest__vctx *v, const char *field, size_t n, size_t max);
/*
 * v_count, then how many items to check: all n, or the first `max` when
 * there are more. Past its limit a list is reported once and its other
 * items are not looked at: the object is invalid anyway, and checking a
 * 100,000-item list (pairwise for uniqueness) would cost minutes. Every
 * loop over a list with a schema limit goes through this.
 */
size_t gws_manifest__v_items(gws_manifest__vctx *v, const char *field, size_t n, size_t min,
                             size_t max);

/* Named string formats; v_format reports "<quoted> is not a valid <what>: <rule>". */
typedef enum {
	GWS_VFMT_DNS_SUBDOMAIN, /* metadata.name, ObjectName-like names, listener/section names */
	GWS_VFMT_DNS_LABEL,     /* namespaces, port names */
	GWS_VFMT_DNS1035_LABEL, /* Service names */
	GWS_VFMT_HOSTNAME,      /* Gateway API Hostname: optional leading "*." */
	GWS_VFMT_PRECISE_HOSTNAME,
	GWS_VFMT_GROUP,
	GWS_VFMT_KIND,
	GWS_VFMT_HEADER_NAME,
	GWS_VFMT_HEADER_VALUE, /* header match and header modifier values */
	GWS_VFMT_DURATION,
	GWS_VFMT_CONTROLLER_NAME,
	GWS_VFMT_PROTOCOL,
	GWS_VFMT_ADDRESS_TYPE,
	GWS_VFMT_OBJECT_NAME, /* 1..253, any characters */
} gws_manifest__vfmt;

bool gws_manifest__v_format(gws_manifest__vctx *v, const char *field, const char *value,
                            gws_manifest__vfmt fmt);

/* ---- pure predicates (validate_pattern.c) ---- */

bool gws_manifest__is_dns_label(const char *s);
bool gws_manifest__is_dns_subdomain(const char *s);
bool gws_manifest__is_dns1035_label(const char *s);
/* Gateway API Hostname; `wildcard` allows a leading "*." label. */
bool gws_manifest__is_hostname(const char *s, bool wildcard);
bool gws_manifest__is_group(const char *s);
bool gws_manifest__is_kind(const char *s);
bool gws_manifest__is_header_name(const char *s);
/* No control character but tab (the CRDs' header value pattern allows no CR,
 * LF, NUL or other control byte: they would split or end the header). */
bool gws_manifest__is_header_value(const char *s);
bool gws_manifest__is_duration(const char *s);
/* Milliseconds of a valid Gateway API duration. */
long long gws_manifest__duration_ms(const char *s);
bool gws_manifest__is_controller_name(const char *s);
bool gws_manifest__is_protocol(const char *s);
bool gws_manifest__is_address_type(const char *s);
bool gws_manifest__is_ip(const char *s);
/* HTTP path characters of the Exact/PathPrefix CEL rule. */
bool gws_manifest__is_path_chars(const char *s);
/* Service targetPort / port name: IANA_SVC_NAME (1..15, letters, digits, '-', one letter). */
bool gws_manifest__is_iana_svc_name(const char *s);
/* A label or annotation key: an optional DNS subdomain prefix and '/', then a 1..63 name. */
bool gws_manifest__is_qualified_name(const char *s);
/* A label value: empty, or 1..63 letters, digits, '-', '_', '.' starting and ending alphanumeric.
 */
bool gws_manifest__is_label_value(const char *s);
/* Why a Gateway API hostname is invalid, for messages; NULL when it is valid. */
const char *gws_manifest__hostname_problem(const char *s, bool wildcard);

/* ---- per-family rules (validate_*.c), each over one object ---- */

/* False when a required spec is missing: the kind's rules would only repeat that. */
bool gws_manifest__validate_meta(gws_manifest__vctx *v);
void gws_manifest__validate_gateway_class(gws_manifest__vctx *v);
void gws_manifest__validate_gateway(gws_manifest__vctx *v);
void gws_manifest__validate_listener_set(gws_manifest__vctx *v);
void gws_manifest__validate_http_route(gws_manifest__vctx *v);
void gws_manifest__validate_grpc_route(gws_manifest__vctx *v);
void gws_manifest__validate_l4_route(gws_manifest__vctx *v);
void gws_manifest__validate_reference_grant(gws_manifest__vctx *v);
void gws_manifest__validate_service(gws_manifest__vctx *v);
void gws_manifest__validate_lb_config(gws_manifest__vctx *v);
void gws_manifest__validate_tg_config(gws_manifest__vctx *v);
void gws_manifest__validate_lrc_config(gws_manifest__vctx *v);

/* Shared route pieces (validate_route.c). */
void gws_manifest__v_parent_refs(gws_manifest__vctx *v, const gws_mf_parent_ref *refs, size_t n);
void gws_manifest__v_parent_ref(gws_manifest__vctx *v, const gws_mf_parent_ref *ref);
void gws_manifest__v_hostnames(gws_manifest__vctx *v, const char *const *hostnames, size_t n,
                               size_t max);
/* A backendRef's reference fields, port/weight and the Service port CEL rule. */
void gws_manifest__v_backend_ref(gws_manifest__vctx *v, const gws_mf_backend_ref *ref);
void gws_manifest__v_backend_object_ref(gws_manifest__vctx *v,
                                        const gws_mf_backend_object_ref *ref);
/* Rule i's name (`first`, `stride` as for gws_manifest__earlier_name):
 * SectionName format, and unique within the route. */
void gws_manifest__v_rule_name(gws_manifest__vctx *v, const char *const *first, size_t stride,
                               size_t i);
/* Filters of HTTPRoute (`grpc` false) or GRPCRoute rules and backendRefs (validate_filter.c). */
void gws_manifest__v_filters(gws_manifest__vctx *v, const gws_mf_filter *filters, size_t n,
                             bool grpc);
/* HTTP/GRPC rule backendRefs with their filters. */
void gws_manifest__v_backend_refs(gws_manifest__vctx *v, const gws_mf_backend_ref *refs, size_t n,
                                  bool grpc);
/* The CEL limit of 128 matches across all rules of an HTTPRoute or GRPCRoute. */
void gws_manifest__v_total_matches(gws_manifest__vctx *v, size_t total);
void gws_manifest__v_session_persistence(gws_manifest__vctx *v,
                                         const gws_mf_session_persistence *s);
/* Header match lists: HTTP headers, query params, gRPC headers (validate_http.c). */
void gws_manifest__v_value_matches(gws_manifest__vctx *v, const char *field,
                                   const gws_mf_value_match *m, size_t n, bool query);
/* Gateway / ListenerSet listeners, with the list-level CEL rules (validate_gateway.c). */
void gws_manifest__v_listeners(gws_manifest__vctx *v, const gws_mf_listener *l, size_t n,
                               bool listener_set);
void gws_manifest__v_label_selector(gws_manifest__vctx *v, const char *field,
                                    const gws_mf_label_selector *sel);

#endif
