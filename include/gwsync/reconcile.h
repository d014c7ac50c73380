/*
 * gwsync reconcile: make AWS match the model. One run observes the AWS
 * resources gwsync owns for the cluster (found by their ownership tags),
 * compares them with the model's stacks, builds one plan (the exact list
 * of AWS calls that would converge them) and, unless it is a dry run,
 * applies it in dependency order, one Gateway's failure never stopping
 * another's. docs/reconcile.md describes the rules: what is owned, what
 * is compared, how rules are reordered without a gap, what prune refuses.
 *
 * Usage:
 *
 *   gws_reconcile *r;
 *   gws_reconcile_new(&r, model, client, &opts);
 *   gws_reconcile_observe(r);        reads only
 *   gws_reconcile_plan(r);           no AWS call
 *   gws_reconcile_apply(r);          writes, unless opts.dry_run
 *   ... gws_reconcile_get_plan(r), gws_reconcile_gateway_at(r, i) ...
 *   gws_reconcile_free(r);
 *
 * Everything the accessors return lives as long as the gws_reconcile.
 */
#ifndef GWSYNC_RECONCILE_H
#define GWSYNC_RECONCILE_H

#include <signal.h>

#include "gwsync/aws.h"
#include "gwsync/core.h"
#include "gwsync/model.h"

/* The tag holding a short hash of the settings gwsync last wrote to a
 * resource: it tells a change made outside gwsync (drift) from a change of
 * the manifests (docs/reconcile.md, "Drift"). */
#define GWS_RECONCILE_SPEC_TAG           "gwsync.io/spec-hash"
#define GWS_RECONCILE_DEFAULT_MAX_DELETE 10
/* The most shards a run may be one of (--shards). */
#define GWS_RECONCILE_MAX_SHARDS 1024

/* One shard of a sharded estate: index K of count N (0 <= K < N). count 0: not
 * sharded. docs/operations.md, "Sharding", says how Gateways are split. */
typedef struct {
	unsigned index;
	unsigned count;
} gws_reconcile_shard;

/*
 * The shard (0..n-1) a stack belongs to: FNV-1a 64-bit of the bytes of
 * "namespace/name", modulo n. The same on every platform and in every
 * release, because shards of one estate must agree without talking to
 * each other: changing it would move Gateways between shards. n 0 or 1: 0.
 */
unsigned gws_reconcile_shard_of(const char *stack, unsigned n);

typedef struct {
	const char *region;        /* for the plan's header only */
	const char *vpc_id;        /* NULL: the VPC of the subnets gwsync would use */
	bool dry_run;              /* observe and plan only */
	bool prune;                /* delete the stacks of Gateways no longer in the manifests */
	long max_deletions;        /* load balancers prune may delete; < 0: the default (10) */
	bool manifests_incomplete; /* a manifest failed to load or validate: prune is refused */
	/* Tag keys another system manages on gwsync's resources: never added or removed. */
	const char *const *external_tags;
	size_t n_external_tags;
	/* CLOCK_MONOTONIC seconds after which no new write starts; 0: none. */
	double deadline;
	/* Set by a signal handler: no new write starts once it is non-zero. */
	volatile sig_atomic_t *stop;
	/* Shards: a run handles only the stacks ("namespace/name") of its shard
	 * when shard.count > 1; else all. */
	gws_reconcile_shard shard;
	/* Progress of long phases ("observe", "apply"): done of total steps. */
	void (*progress)(void *ctx, const char *phase, size_t done, size_t total);
	void *progress_ctx;
} gws_reconcile_options;

#define GWS_RECONCILE_OPTIONS_INIT                                                                 \
	{                                                                                          \
		.max_deletions = -1                                                                \
	}

/* ---- the plan ------------------------------------------------------------------ */

typedef enum {
	GWS_PLAN_SECURITY_GROUP = 0,
	GWS_PLAN_TARGET_GROUP,
	GWS_PLAN_LOAD_BALANCER,
	GWS_PLAN_LISTENER,
	GWS_PLAN_RULE,
} gws_plan_kind;

typedef enum {
	GWS_PLAN_CREATE = 0,
	GWS_PLAN_UPDATE,
	GWS_PLAN_REPLACE, /* a new resource, then the old one removed */
	GWS_PLAN_DELETE,
} gws_plan_action;

typedef enum {
	GWS_PLAN_PENDING = 0, /* planned; a dry run leaves everything here */
	GWS_PLAN_DONE,
	GWS_PLAN_FAILED,
	GWS_PLAN_SKIPPED, /* not attempted: an earlier step of its Gateway failed, or the deadline
	                   */
} gws_plan_state;

/* One field that differs: values as the plan prints them (NULL: absent). */
typedef struct {
	const char *
	        path; /* "healthCheck.intervalSeconds", "attributes.idle_timeout.timeout_seconds" */
	const char *before;
	const char *after;
} gws_plan_field;

/* A change to one AWS resource. */
typedef struct {
	const char *stack; /* "namespace/name" of the Gateway */
	gws_plan_kind kind;
	const char *id; /* the gwsync.io/resource value ("LoadBalancer", "443", "443:2", TG id) */
	const char *address; /* stable, human: "shop/shop listener 443 rule 2" */
	const char *name;    /* AWS name (load balancer, target group, security group) or NULL */
	const char *aws_id;  /* ARN or security group id; NULL for a create until it is applied */
	gws_plan_action action;
	bool drift;         /* the difference was made outside gwsync */
	const char *reason; /* why a replace or delete; NULL for plain updates */
	gws_plan_field *fields;
	size_t n_fields;
	gws_plan_state state;
	/* DONE, but the deadline or a stop skipped its last calls (often only the
	 * spec tag): the next run finishes it; `error` says what is left. */
	bool unfinished;
	const char *error; /* FAILED / SKIPPED: "Code: message" or why */
} gws_plan_change;

/* One AWS call of the plan, in execution order (a dry run lists them too). */
typedef struct {
	const char *action;   /* "CreateRule", "SetRulePriorities", ... */
	const char *service;  /* "elasticloadbalancing" | "ec2" */
	const char *stack;    /* "namespace/name" */
	const char *target;   /* what it acts on: an address, or the name it creates */
	size_t change;        /* index of the gws_plan_change it belongs to */
	gws_plan_state state; /* after apply */
	const char *error;    /* FAILED / SKIPPED: "Action: Code: message" or why */
} gws_plan_call;

typedef struct {
	const char *name; /* "prune", "max-deletions", "empty-desired-set", "observe-complete",
	                     "ownership", "deletion-protection" */
	long limit;
	long actual;
	bool tripped;
	const char *message;
} gws_plan_guard;

/* Something about a whole stack that is not a change: blocked, not read, left for --prune. */
typedef struct {
	const char *stack;
	const char *message;
	bool error; /* true: this stack could not be reconciled */
} gws_plan_note;

typedef struct {
	size_t create, update, replace, delete_, drift, failed, skipped;
} gws_plan_summary;

typedef struct {
	const char *cluster;
	const char *region;
	const char *vpc_id;
	bool dry_run;
	gws_plan_change *changes; /* grouped by stack, then SG, TGs, LB, listeners, rules */
	size_t n_changes;
	gws_plan_call *calls;
	size_t n_calls;
	gws_plan_guard *guards;
	size_t n_guards;
	gws_plan_note *notes;
	size_t n_notes;
	gws_plan_summary summary;
	/* A sharded run (shard.count > 1): the Gateways of the manifests it handles and
	 * those it leaves to other shards. */
	gws_reconcile_shard shard;
	size_t shard_gateways, shard_skipped;
} gws_plan;

/* ---- results --------------------------------------------------------------------- */

typedef enum {
	GWS_RECONCILE_CONVERGED = 0,   /* nothing to do, or every change applied */
	GWS_RECONCILE_CHANGES_PENDING, /* a dry run found changes or drift */
	GWS_RECONCILE_GUARD,           /* a safety guard refused part of the work */
	GWS_RECONCILE_PARTIAL,         /* some AWS calls or reads failed */
	GWS_RECONCILE_AUTH,            /* AWS refused the credentials or a permission */
	GWS_RECONCILE_DEADLINE,        /* the deadline or a stop signal came first */
} gws_reconcile_outcome;

typedef enum {
	GWS_PROGRAMMED_UNKNOWN = 0,
	GWS_PROGRAMMED_TRUE,
	GWS_PROGRAMMED_FALSE,
} gws_programmed;

/* What the run means for one Gateway's status. */
typedef struct {
	const char *stack; /* "namespace/name" */
	gws_programmed programmed;
	const char *reason;   /* "Programmed", "Invalid", "Pending" */
	const char *message;  /* why not, with the AWS error when there is one */
	const char *dns_name; /* of its load balancer, when it exists */
	const char *change;   /* "2 rules updated, 1 target group created"; NULL: nothing changed */
	bool unread;          /* its AWS resources are unknown this run (a read failed):
	                         keep what was known of them */
} gws_reconcile_gateway;

/* One AWS resource gwsync owns for the cluster, after the run. */
typedef struct {
	const char *stack;
	const char *kind; /* "LoadBalancer" | "Listener" | "ListenerRule" | "TargetGroup" |
	                     "SecurityGroup" */
	const char *id;
	const char *name;
	const char *arn; /* ARN, or the security group id */
	const char *dns_name;
} gws_reconcile_resource;

typedef struct gws_reconcile gws_reconcile;

/* `model` and `client` are borrowed and must outlive the run. */
int gws_reconcile_new(gws_reconcile **out, const gws_model *model, gws_aws_client *client,
                      const gws_reconcile_options *opts);
void gws_reconcile_free(gws_reconcile *r);

/*
 * Reads what gwsync owns: load balancers and target groups by their
 * ownership tags (one listing for the whole run), then their listeners,
 * rules, attributes and certificates, the managed security groups, the
 * subnets, and ACM's certificates when a listener needs one discovered
 * (a stack whose hostnames no certificate covers is blocked here). A
 * read that fails for one stack marks that stack unreadable (it is not
 * planned, and prune is refused); GWS_EAUTH and failures of the shared
 * listings are returned.
 */
int gws_reconcile_observe(gws_reconcile *r);
/* Compares and builds the plan (no AWS call). */
int gws_reconcile_plan(gws_reconcile *r);
/* Applies the plan (nothing in a dry run). Failures are recorded in the plan;
 * returns < 0 only for local failures (out of memory). */
int gws_reconcile_apply(gws_reconcile *r);

const gws_plan *gws_reconcile_get_plan(const gws_reconcile *r);
gws_reconcile_outcome gws_reconcile_get_outcome(const gws_reconcile *r);
/* One line saying why the outcome is what it is ("2 calls failed", "prune refused: ..."). */
const char *gws_reconcile_outcome_reason(const gws_reconcile *r);

/* One entry per Gateway of the model this run handles (all of them, or its
 * shard's), by stack. */
size_t gws_reconcile_gateway_count(const gws_reconcile *r);
const gws_reconcile_gateway *gws_reconcile_gateway_at(const gws_reconcile *r, size_t i);
/* The owned resources after the run, by stack, kind and id. */
size_t gws_reconcile_resource_count(const gws_reconcile *r);
const gws_reconcile_resource *gws_reconcile_resource_at(const gws_reconcile *r, size_t i);

/* ---- renderings (docs/plan.md) ------------------------------------------------- */

/* Human text: `+` create, `~` update (before -> after), `-/+` replace, `-` delete, `!` drift,
 * grouped by Gateway, and the summary line. color: ANSI colours. */
int gws_plan_render_text(gws_buf *out, const gws_plan *plan, bool color);
/* The versioned JSON document; exit_code and exit_reason are the run's. */
int gws_plan_render_json(gws_buf *out, const gws_plan *plan, int exit_code,
                         const char *exit_reason);
/* Markdown for pull requests and the committed summary. */
int gws_plan_render_markdown(gws_buf *out, const gws_plan *plan);
/* "Plan: 3 to create, 1 to update, 0 to replace, 0 to delete; 2 drifted." */
int gws_plan_summary_line(gws_buf *out, const gws_plan *plan);

const char *gws_plan_kind_name(gws_plan_kind kind);    /* "LoadBalancer", ... */
const char *gws_plan_action_name(gws_plan_action act); /* "create", ... */
const char *gws_plan_action_past(gws_plan_action act); /* "created", ... */
const char *gws_plan_state_name(gws_plan_state state); /* "pending", ... */

#endif
