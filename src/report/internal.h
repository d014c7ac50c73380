/* Private to src/report: the shared context and the helpers of each file. */
#ifndef GWSYNC_REPORT_INTERNAL_H
#define GWSYNC_REPORT_INTERNAL_H

#include "gwsync/report.h"

#include <yaml.h>

#define GWS_REPORT_LOG "report"

/* ---- text.c: strings from outside made safe for each output format ---- */

/* `s` (NULL = "") as valid UTF-8 of at most `max` bytes: invalid bytes become
 * U+FFFD, NUL-free by construction; a longer text is cut on a character boundary
 * and ends with "…". Allocated in `arena`; NULL only on ENOMEM. */
const char *gws_report__clean(gws_arena *arena, const char *s, size_t max);
/* True for a namespace, name or cluster usable as one path component on every
 * system a repository is checked out on: 1..200 of [A-Za-z0-9._-], not "." or "..". */
bool gws_report__safe_component(const char *s);
/* RFC 3339 UTC with seconds, "2006-01-02T15:04:05Z" (21 bytes with the NUL). */
void gws_report__format_time(char out[32], time_t t);
/* True when `s` is exactly that format with values in range. */
bool gws_report__valid_time(const char *s);
/* Markdown text for a table cell or a line: every character with a Markdown or
 * HTML meaning escaped, line breaks and control characters as spaces. */
int gws_report__md(gws_buf *out, const char *s) GWS_WARN_UNUSED;
/* A code span when `s` only holds characters that need no escaping (names,
 * ARNs, DNS names), else the same as gws_report__md. */
int gws_report__md_code(gws_buf *out, const char *s) GWS_WARN_UNUSED;
/* A Mermaid label body (to go between double quotes): ASCII letters, digits
 * and " -_./:,=+@" as they are, every other character as the entity #<n>;. */
int gws_report__mermaid_text(gws_buf *out, const char *s) GWS_WARN_UNUSED;
/* Byte-wise order of two "a:b:10"-like ids where digit runs compare as numbers. */
int gws_report__natcmp(const char *a, const char *b);

/* ---- yaml.c: a libyaml emitter that quotes what would not read back as a string ---- */

typedef struct {
	yaml_emitter_t emitter;
	gws_buf *out;
	int error;
	bool initialized;
} gws_report__yaml;

/* Every call below is a no-op once an error happened; _end returns it. */
void gws_report__yaml_begin(gws_report__yaml *y, gws_buf *out);
int gws_report__yaml_end(gws_report__yaml *y);
void gws_report__yaml_map(gws_report__yaml *y);
void gws_report__yaml_map_end(gws_report__yaml *y);
void gws_report__yaml_seq(gws_report__yaml *y, bool empty);
void gws_report__yaml_seq_end(gws_report__yaml *y);
/* A string scalar: plain only when every YAML 1.1 and 1.2 loader reads it back
 * as the same string, double-quoted otherwise. */
void gws_report__yaml_str(gws_report__yaml *y, const char *s);
void gws_report__yaml_int(gws_report__yaml *y, long long v);
void gws_report__yaml_kv(gws_report__yaml *y, const char *key, const char *value);
/* True when `s` may be written as a plain scalar (exported for tests). */
bool gws_report__yaml_plain_ok(const char *s);

/* ---- previous.c: conditions of a previous status file ---- */

/* The place of a condition in a status file, as a key: see docs/report.md. */
typedef struct {
	gws_vec items; /* gws_report__prev_cond * */
} gws_report__prev;

void gws_report__prev_init(gws_report__prev *prev);
void gws_report__prev_dispose(gws_report__prev *prev);
/* Reads the conditions of one status file. Malformed input leaves `prev` empty
 * and returns 0 (nothing to keep); < 0 only for ENOMEM. */
int gws_report__prev_parse(gws_report__prev *prev, const char *data, size_t len);
/* The lastTransitionTime of the condition at `key` when its status was `status`. */
const char *gws_report__prev_time(const gws_report__prev *prev, const char *key,
                                  const char *status);
/* Keys: one per place a condition list can be. `type` is the condition type. */
int gws_report__key_object(gws_buf *out, const char *type) GWS_WARN_UNUSED;
int gws_report__key_listener(gws_buf *out, const char *listener, const char *type) GWS_WARN_UNUSED;
int gws_report__key_parent(gws_buf *out, const char *const ref[7],
                           const char *type) GWS_WARN_UNUSED;

/* ---- fs.c: the report directory, without ever following a symbolic link ---- */

/* Opens (creating when `create`) root/.gwsync/<cluster>. GWS_ENOTFOUND when it
 * is absent and !create; GWS_EINVALID when a part is a symbolic link. */
int gws_report__fs_open(int *dirfd, const char *root, const char *cluster, bool create);
/* The same, then its sub-directory `sub` (a shard's folder) when sub is not NULL. */
int gws_report__fs_open_in(int *dirfd, const char *root, const char *cluster, const char *sub,
                           bool create);
/* Reads dirfd/path (a relative '/'-separated path) into `out` (capped by
 * out->max). GWS_ENOTFOUND when a part is missing, a symbolic link or not a
 * regular file / directory; GWS_ETOOBIG when over the cap. */
int gws_report__fs_read(gws_buf *out, int dirfd, const char *path);
/* Makes dirfd/path hold exactly `data`: nothing is written when it already does
 * (*written false). Parent directories are created; a symbolic link or a
 * non-directory in the way is removed first (counted in *removed). */
int gws_report__fs_put(int dirfd, const char *path, const char *data, size_t len, bool *written,
                       size_t *removed);
/* Removes everything under dirfd that is neither a path of `keep` (sorted with
 * strcmp) nor a parent directory of one, nor `skip` at the top level. */
int gws_report__fs_prune(int dirfd, const char *const *keep, size_t n_keep, const char *skip,
                         size_t *removed);

/* ---- the run ---- */

/* One Gateway as the report shows it: the model's status with the sync's
 * Programmed condition and address laid over it. */
typedef struct {
	const gws_model_gateway_status *status;
	const gws_report_gateway_result *result; /* NULL: offline */
	const char *key;                         /* "namespace/name" */
	gws_model_conditions conditions;
	gws_model_conditions *listeners; /* one per status->listeners */
	const char *dns_name;            /* from the result, NULL when not known */
} gws_report__gateway;

typedef struct {
	const char *commit; /* NULL when the change came from a plain folder */
	const char *change;
} gws_report__last_change;

typedef struct {
	const char *kind;
	const char *id;
	const char *name;
	const char *arn;
	const char *dns_name;
} gws_report__res;

typedef struct {
	const char *stack;
	gws_report__res *resources; /* sorted */
	size_t n_resources;
	gws_report__last_change last; /* change NULL when none is known */
} gws_report__stack;

typedef struct {
	gws_report__stack *stacks; /* sorted by stack */
	size_t n_stacks;
} gws_report__inventory;

typedef struct {
	const gws_report_input *in;
	gws_arena *arena;
	const char *cluster;
	int dirfd;
	gws_report__gateway *gateways; /* the model's, in its order; a shard's own only */
	size_t n_gateways;
	gws_report__inventory inventory;
	gws_vec files; /* gws_report__file * */
} gws_report__ctx;

typedef struct {
	const char *path; /* relative to the cluster directory */
	const char *data;
	size_t len;
} gws_report__file;

/* What a shard's report holds (all true for a whole run): a Gateway
 * ("namespace/name"), the shared objects (GatewayClasses), a Route. */
bool gws_report__owns(const gws_report__ctx *ctx, const char *gateway);
bool gws_report__owns_shared(const gws_report__ctx *ctx);
bool gws_report__owns_route(const gws_report__ctx *ctx, const gws_model_route_status *rs);

/* Adds a planned file; `content` is copied into the arena and cleared. */
int gws_report__add_file(gws_report__ctx *ctx, const char *path, gws_buf *content) GWS_WARN_UNUSED;

/* overlay.c */
int gws_report__overlay(gws_report__ctx *ctx) GWS_WARN_UNUSED;
/* status.c */
int gws_report__status_files(gws_report__ctx *ctx) GWS_WARN_UNUSED;
/* inventory.c */
int gws_report__inventory_build(gws_report__ctx *ctx) GWS_WARN_UNUSED;
int gws_report__inventory_render(gws_buf *out, const gws_report__ctx *ctx) GWS_WARN_UNUSED;
const gws_report__stack *gws_report__inventory_find(const gws_report__inventory *inv,
                                                    const char *stack);
/* summary.c */
int gws_report__summary(gws_buf *out, const gws_report__ctx *ctx) GWS_WARN_UNUSED;
/* mermaid.c: the flowchart of one stack, fenced; a note instead when too big. */
int gws_report__mermaid(gws_buf *out, const gws_report__gateway *gw) GWS_WARN_UNUSED;
/* describe.c: rule matches and actions in words (raw text, escaped by the caller) */
int gws_report__describe_conditions(gws_buf *out, const gws_model_condition *c,
                                    size_t n) GWS_WARN_UNUSED;
int gws_report__describe_actions(gws_buf *out, const gws_model_stack *stack,
                                 const gws_model_action *a, size_t n) GWS_WARN_UNUSED;
int gws_report__describe_transforms(gws_buf *out, const gws_model_transform *t,
                                    size_t n) GWS_WARN_UNUSED;
/* The target group of `stack` with this id, NULL when none. */
const gws_model_target_group *gws_report__find_tg(const gws_model_stack *stack, const char *id);

#endif
