/*
 * gwsync report: the status files gwsync commits back to the repository,
 * under `.gwsync/<cluster>/` (docs/report.md describes every file):
 *
 *   status/<namespace>/<Kind>/<name>.yaml   the `status:` stanza of each Gateway
 *                                           API object gwsync handles
 *                                           (GatewayClass under `_cluster`)
 *   inventory.json                          every AWS resource gwsync owns for the
 *                                           cluster, grouped by stack, with the
 *                                           last change of each stack
 *   SUMMARY.md                              a page for humans: per Gateway its DNS
 *                                           name, listeners, rules, target groups,
 *                                           problems, last change and a diagram
 *   rendered/                               not written here: owned by the targets
 *                                           writer (TargetGroupBinding manifests)
 *
 * The report owns `.gwsync/<cluster>/` except `rendered/`: files there that it
 * did not plan are removed, and nothing outside that directory is ever touched.
 *
 * Content is derived from state only (no run time, duration or run id), so an
 * unchanged world gives byte-identical files and `changed == false`. The one
 * time in the files, a condition's `lastTransitionTime`, is kept from the
 * previous file while the condition's status stays the same.
 */
#ifndef GWSYNC_REPORT_H
#define GWSYNC_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "gwsync/core.h"
#include "gwsync/model.h"

/* Caps on the previous files read back (bigger ones count as unreadable). */
#define GWS_REPORT_CAP_STATUS_FILE (1024u * 1024)      /* one status file */
#define GWS_REPORT_CAP_INVENTORY   (64u * 1024 * 1024) /* inventory.json */
#define GWS_REPORT_CAP_MESSAGE     32768u              /* a condition message (API limit) */
#define GWS_REPORT_CAP_CHANGE      1024u               /* one change line */

typedef enum {
	GWS_REPORT_UNKNOWN = 0,
	GWS_REPORT_TRUE,
	GWS_REPORT_FALSE,
} gws_report_tristate;

/*
 * What a sync found for one Gateway. A Gateway without an entry here is
 * "offline": its Programmed condition stays as the model says (Unknown/Pending,
 * or False when the model already knows the stack cannot be applied).
 *
 * The result replaces the Gateway's Programmed condition only where the model
 * left it Unknown: a Gateway the model rejects stays Programmed=False whatever
 * AWS holds. `reason` must be one the Gateway API allows for the status
 * (True: Programmed; False: Invalid, Pending, NoResources, AddressNotAssigned;
 * Unknown: Pending); NULL or any other value gives the default for the status
 * (Programmed, Invalid, Pending). Valid listeners follow the Gateway's
 * Programmed status (reason Programmed, Pending or Invalid).
 */
typedef struct {
	const char *gateway; /* "namespace/name" */
	gws_report_tristate programmed;
	const char *reason;   /* Gateway API reason, e.g. "Programmed", "Invalid", "Pending" */
	const char *message;  /* may quote an AWS error (code: message); NULL = a default */
	const char *dns_name; /* -> status.addresses: [{type: Hostname, value: ...}] */
	/* One line of what this run changed on this Gateway's AWS resources ("2 rules
	 * updated, 1 target group created"), NULL when nothing changed. Recorded with
	 * the source commit as the stack's "last change" in inventory.json. */
	const char *change;
} gws_report_gateway_result;

/* One AWS resource gwsync owns for the cluster (from the sync's observation + apply). */
typedef struct {
	const char *stack;    /* "namespace/name" of the Gateway (gwsync.io/stack tag) */
	const char *kind;     /* "LoadBalancer" | "Listener" | "ListenerRule" | "TargetGroup" |
	                         "SecurityGroup"; other kinds are not listed */
	const char *id;       /* the gwsync.io/resource tag value ("LoadBalancer", "80", "80:3") */
	const char *name;     /* AWS name (LB, TG, SG), NULL otherwise */
	const char *arn;      /* ARN, or the security group id */
	const char *dns_name; /* load balancers only */
} gws_report_resource;

/*
 * What DescribeTargetHealth said of one target group this run (--targets
 * direct reads it after registering): the number of targets in each state.
 * Counts only, so SUMMARY.md changes when the health does, not with the
 * order AWS lists targets in.
 */
typedef struct {
	const char *stack; /* "namespace/name" of the Gateway */
	const char *id;    /* the target group's gwsync.io/resource value */
	size_t total;
	size_t healthy, initial, unhealthy, draining, unused, unavailable;
	size_t other; /* a state this version of gwsync does not know */
} gws_report_target_health;

/* "2 healthy, 1 initial": the states with targets, in a fixed order (nothing
 * when there is no target), appended to `out`. */
int gws_report_health_states(gws_buf *out, const gws_report_target_health *h);

typedef struct {
	const gws_model *model; /* desired state + offline status (required) */
	const gws_report_gateway_result *gateways;
	size_t n_gateways;
	/*
	 * `observed` true: the run read AWS, and `resources` is everything gwsync owns
	 * for the cluster (possibly nothing): inventory.json is rebuilt from it.
	 * false (offline): `resources` is ignored and inventory.json keeps the
	 * resources of the previous inventory (last changes are still updated).
	 */
	bool observed;
	const gws_report_resource *resources;
	size_t n_resources;
	/* Stacks ("namespace/name") whose reads failed in an observed run: their
	 * resources are kept from the previous inventory, as for an offline run. */
	const char *const *unread_stacks;
	size_t n_unread_stacks;
	const char *source_commit; /* 40 (or 64) hex digits, NULL for a plain folder */
	time_t now;                /* lastTransitionTime of a condition whose status changed */
	/* Optional: the model's diagnostics; those about a Gateway are listed among its
	 * problems in SUMMARY.md. */
	const gws_diag_list *diags;
	/*
	 * One shard of a sharded run (docs/report.md, "Sharded runs"); NULL for a
	 * whole run. The report then goes to .gwsync/<cluster>/<shard>/ (e.g.
	 * "shard-1-of-4", a plain file name) and holds only the Gateways
	 * owns_gateway accepts ("namespace/name"), their stacks, the Routes whose
	 * first parent is one of them, and, with shard_shared, the GatewayClasses
	 * and the Routes without a parent Gateway.
	 */
	const char *shard;
	bool (*owns_gateway)(void *ctx, const char *gateway);
	void *owns_ctx;
	bool shard_shared;
	/* Optional: the target health read this run, and the --targets mode
	 * ("binding", "direct", "none"), which SUMMARY.md names for a target group
	 * whose health was not read ("not read (targets: binding)"). */
	const gws_report_target_health *target_health;
	size_t n_target_health;
	const char *targets_mode;
} gws_report_input;

typedef struct {
	size_t written;   /* files created or rewritten */
	size_t removed;   /* stale files (or symbolic links) removed */
	size_t unchanged; /* planned files whose bytes were already there */
	bool changed;     /* written + removed > 0 */
} gws_report_result;

/*
 * Writes <root>/.gwsync/<cluster>/… (cluster = gws_model_cluster), first
 * reading the previous files there (lastTransitionTime, last change), then
 * writing only files whose bytes differ (each atomically: temporary file +
 * rename) and removing stale files under that directory (never outside it).
 *
 * Previous files are read with caps and never trusted: anything unreadable,
 * oversized or malformed counts as absent. Symbolic links are never followed:
 * one inside `.gwsync/<cluster>/` is replaced (a file or directory takes its
 * place); `.gwsync` or `.gwsync/<cluster>` being one is an error (GWS_EINVALID).
 * Objects whose namespace or name is not a plain file name ([A-Za-z0-9._-]) are left out of
 * `status/` (with a warning in the log).
 *
 * `out` may be NULL. Returns 0, GWS_EINVALID (bad input or cluster name, a
 * link or a file where .gwsync or .gwsync/<cluster> belongs), GWS_ENOTFOUND
 * (no `root`), GWS_EIO or GWS_ENOMEM; on failure some files may have been
 * written, each complete, and `out` counts them.
 */
int gws_report_write(const gws_report_input *in, const char *root, gws_report_result *out);

/* The path of the report directory for `cluster`, relative to the repository
 * root: ".gwsync/<cluster>". GWS_EINVALID when the name is not a safe single
 * path component. */
int gws_report_dir(gws_buf *out, const char *cluster);
/* The same for one shard's report: ".gwsync/<cluster>/<shard>" (shard NULL:
 * the whole run's directory). */
int gws_report_shard_dir(gws_buf *out, const char *cluster, const char *shard);

#endif
