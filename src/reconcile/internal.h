/*
 * reconcile internals: the observed estate, the per-stack plan being built,
 * and the operations (one per AWS call) that apply executes in stages.
 *
 * Everything lives in the run's arena. Observed structs point into the AWS
 * client's decoded replies (same arena). docs/reconcile.md explains the
 * rules implemented here.
 */
#ifndef GWSYNC_RECONCILE_INTERNAL_H
#define GWSYNC_RECONCILE_INTERNAL_H

#include "gwsync/reconcile.h"

#define RC_TAG_CLUSTER  "gwsync.io/cluster"
#define RC_TAG_STACK    "gwsync.io/stack"
#define RC_TAG_RESOURCE "gwsync.io/resource"
#define RC_TAG_MANAGED  "gwsync.io/managed-by"
#define RC_MANAGED_BY   "gwsync"
#define RC_LB_ID        "LoadBalancer"
#define RC_SG_ID        "ManagedLBSecurityGroup"
#define RC_HASH_HEX     16

/* ---- observed ------------------------------------------------------------------- */

/* Ownership of a resource as its tags tell it. */
typedef enum {
	RC_FOREIGN = 0, /* not gwsync's for this cluster: never modified or deleted */
	RC_OWNED = 1,   /* all four ownership tags, for this cluster */
} rc_owner;

typedef struct {
	const gws_elbv2_rule *aws;
	int priority; /* 0 for the default rule */
	gws_aws_kvs tags;
	rc_owner owner;
	const char *spec;       /* the spec-hash tag, or NULL */
	const char *canon_cond; /* canonical conditions */
	const char *canon_id;   /* conditions + actions + transforms, target groups by id */
	const char *canon_arn;  /* the same, target groups by what they are in this run */
	bool used;              /* paired with a desired rule */
} rc_orule;

typedef struct {
	const gws_elbv2_listener *aws;
	gws_aws_kvs tags;
	rc_owner owner;
	const char *spec;
	gws_aws_kvs attributes;
	bool has_attributes;
	gws_elbv2_certificates certificates; /* from DescribeListenerCertificates */
	bool has_certificates;
	gws_elbv2_rules raw_rules; /* DescribeRules reply */
	rc_orule *rules;           /* without the default rule */
	size_t n_rules;
	bool used;
} rc_olistener;

typedef struct {
	const gws_elbv2_load_balancer *aws;
	gws_aws_kvs tags;
	rc_owner owner;
	const char *stack;
	const char *id;
	const char *spec;
	gws_aws_kvs attributes;
	bool has_attributes;
	gws_elbv2_listeners raw_listeners; /* DescribeListeners reply */
	rc_olistener *listeners;
	size_t n_listeners;
	bool used;
} rc_olb;

typedef struct {
	const gws_elbv2_target_group *aws;
	gws_aws_kvs tags;
	rc_owner owner;
	const char *stack;
	const char *id;
	const char *spec;
	gws_aws_kvs attributes;
	bool has_attributes;
	bool used;
} rc_otg;

typedef struct {
	const gws_ec2_security_group *aws;
	rc_owner owner;
	const char *stack;
	const char *id;
	const char *spec;
	bool used;
} rc_osg;

/* What AWS holds for one stack (owned resources only). */
typedef struct {
	const char *stack;
	rc_olb **lbs;
	size_t n_lbs;
	rc_otg **tgs;
	size_t n_tgs;
	rc_osg **sgs;
	size_t n_sgs;
	const char *read_error; /* non-NULL: a read for this stack failed; it is not planned */
	bool read_auth;         /* that failure was an authentication/permission error */
} rc_ostack;

typedef struct {
	const char *vpc_id;
	const char *vpc_error; /* why no VPC could be chosen (stacks needing one are blocked) */
	rc_olb *lbs;           /* every load balancer in the region */
	size_t n_lbs;
	rc_otg *tgs; /* every target group in the region */
	size_t n_tgs;
	rc_osg *sgs; /* security groups tagged for the cluster, and named ones looked up */
	size_t n_sgs;
	gws_ec2_subnets subnets;
	rc_ostack *stacks; /* owned resources by stack, sorted by stack */
	size_t n_stacks;
	bool complete; /* every read succeeded */
} rc_observed;

/* ---- plan building --------------------------------------------------------------- */

/* A resource's identity during the run: known from AWS, or filled by its create. */
typedef struct {
	const char *arn; /* or the security group id */
	const char *name;
	const char *dns_name;
	bool pending; /* created by this run's plan: arn is NULL until applied */
	bool failed;  /* its create failed or was skipped */
} rc_slot;

/* The desired target group with what it maps to. */
typedef struct {
	const gws_model_target_group *model;
	rc_otg *observed; /* kept (possibly updated) */
	rc_otg *replaced; /* the old one a replacement removes */
	rc_slot slot;
	bool created; /* new or replacement */
	const char *hash;
} rc_tgmap;

typedef enum {
	RC_STAGE_SG_CREATE = 0,
	RC_STAGE_SG_UPDATE,
	RC_STAGE_TG_CREATE,
	RC_STAGE_TG_UPDATE,
	RC_STAGE_LB_DELETE_FIRST, /* a replacement that must free the name first */
	RC_STAGE_LB_CREATE,
	RC_STAGE_LB_UPDATE,
	RC_STAGE_LB_DELETE_REPLACED, /* frees the old load balancer's target groups */
	RC_STAGE_LISTENER_CREATE,
	RC_STAGE_LISTENER_UPDATE,
	RC_STAGE_RULE_CREATE,
	RC_STAGE_RULE_MODIFY,
	RC_STAGE_RULE_PRIORITIES,
	RC_STAGE_RULE_DELETE,
	RC_STAGE_LISTENER_DELETE,
	RC_STAGE_LB_DELETE,
	RC_STAGE_TG_DELETE,
	RC_STAGE_SG_DELETE,
	RC_STAGE_CONFIRM, /* a parent's spec tag, once its whole stack succeeded */
	RC_STAGE_COUNT
} rc_stage;

struct rc_op;
typedef struct rc_stackplan rc_stackplan;

/* Queues the op's AWS call on the client (inside a batch): inputs are built
 * now, from slots earlier stages filled. */
typedef int (*rc_op_send)(struct rc_op *op, gws_aws_client *c, gws_arena *arena);
/* Records the result of the call (rc 0 on success). */
typedef void (*rc_op_done)(struct rc_op *op, int rc);

typedef struct rc_op {
	gws_reconcile *r;
	rc_stage stage;
	rc_stackplan *sp;
	gws_plan_change *change_ptr; /* in the plan's array once the plan is finished */
	gws_plan_call *call_ptr;
	size_t seq; /* order of creation: order inside a stage */
	const char *action;
	const char *service;
	rc_op_send send;
	rc_op_done done;
	void *data;          /* the op's inputs and outputs (arena) */
	rc_slot *creates;    /* the slot a create fills */
	const char *deletes; /* the ARN or id a delete removes */
	/* Retry on ECONFLICT (ResourceInUse, DependencyViolation) up to this many seconds:
	 * AWS frees a target group or security group a little after its user is deleted. */
	int conflict_wait_s;
	gws_plan_state state;
} rc_op;

struct rc_stackplan {
	gws_reconcile *run;
	const char *stack;
	const gws_model_stack *desired; /* NULL: only in AWS (prune candidate) */
	rc_ostack *observed;            /* NULL: nothing in AWS */
	bool in_shard;
	const char *blocked; /* not planned, and why */
	bool blocked_is_error;
	bool ownership_conflict; /* blocked: a resource with its name is not gwsync's */
	bool deletion_protected; /* blocked: a replacement needs a protected delete */
	bool prune;              /* the whole stack is deleted */
	bool failed;
	const char *failure; /* first failure: "CreateRule: Code: message" */
	/* resolution */
	gws_aws_strings subnets;
	rc_slot sg_slot;     /* managed security group */
	gws_aws_strings sgs; /* explicit security groups (ids) */
	rc_slot lb_slot;
	rc_olb *lb; /* the kept load balancer, or NULL */
	rc_tgmap *tgs;
	size_t n_tgs;
	size_t n_changes_total; /* changes planned for this stack */
	size_t n_changes_done;
	size_t first_change, end_change; /* [first, end) in the plan's changes */
};

/* The run. */
struct gws_reconcile {
	gws_arena *arena;
	const gws_model *model;
	gws_aws_client *client;
	gws_reconcile_options opts;
	const char *cluster;
	rc_observed obs;
	bool observed;
	bool planned;
	rc_stackplan *stacks;
	size_t n_stacks;
	gws_vec changes; /* gws_plan_change * while building */
	gws_vec calls;   /* gws_plan_call * */
	gws_vec ops;     /* rc_op * in plan order */
	gws_vec guards;
	gws_vec notes;
	gws_plan plan;
	gws_reconcile_outcome outcome;
	const char *outcome_reason;
	bool auth_failed;
	bool deadline_hit;
	bool guard_tripped;
	gws_reconcile_gateway *gateways;
	size_t n_gateways;
	gws_vec resources;    /* gws_reconcile_resource * */
	const char **deleted; /* ARNs this run deleted, sorted */
	size_t n_deleted;
};

/* ---- helpers shared by the files of the module ----------------------------------- */

/* Tags */
const char *rc_tag(const gws_aws_kvs *tags, const char *key);
rc_owner rc_ownership(const gws_aws_kvs *tags, const char *cluster);
bool rc_tag_external(const gws_reconcile *r, const char *key);

/* kvs built from the model's sorted maps, plus the spec hash (arena). */
gws_aws_kvs rc_desired_tags(gws_reconcile *r, const gws_model_kvs *tags, const char *spec);
gws_aws_kvs rc_kvs_from_model(gws_reconcile *r, const gws_model_kvs *kvs);
/* "a", "b" as an arena string list */
gws_aws_strings rc_strings(gws_reconcile *r, const char *const *items, size_t n);

/* Canonical forms (canon.c): deterministic strings for comparing and hashing. */
typedef const char *(*rc_tg_ref_fn)(void *ctx, const char *target_group_arn_or_id);
int rc_canon_model_conditions(gws_buf *out, const gws_model_rule *rule);
int rc_canon_model_actions(gws_buf *out, const gws_model_action *actions, size_t n, bool network,
                           rc_tg_ref_fn ref, void *ctx);
int rc_canon_model_transforms(gws_buf *out, const gws_model_transform *t, size_t n);
int rc_canon_aws_conditions(gws_buf *out, const gws_elbv2_conditions *c);
int rc_canon_aws_actions(gws_buf *out, const gws_elbv2_actions *a, bool network, rc_tg_ref_fn ref,
                         void *ctx);
int rc_canon_aws_transforms(gws_buf *out, const gws_elbv2_transforms *t);
/* First RC_HASH_HEX hex digits of sha256(text), arena-owned. */
const char *rc_hash(gws_reconcile *r, const char *text, size_t len);

/* Plan building (plan.c) */
gws_plan_change *rc_change_add(gws_reconcile *r, rc_stackplan *sp, gws_plan_kind kind,
                               gws_plan_action action, const char *id, const char *address);
int rc_change_field(gws_reconcile *r, gws_plan_change *c, const char *path, const char *before,
                    const char *after);
rc_op *rc_op_add(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *change, rc_stage stage,
                 const char *service, const char *action, const char *target, rc_op_send send,
                 rc_op_done done, void *data);
int rc_note(gws_reconcile *r, const char *stack, bool error, const char *fmt, ...) GWS_PRINTF(4, 5);
int rc_guard(gws_reconcile *r, const char *name, long limit, long actual, bool tripped,
             const char *fmt, ...) GWS_PRINTF(6, 7);
/* Orders the plan for display and copies it into r->plan (after the diff). */
int rc_plan_finish(gws_reconcile *r);
void rc_plan_summarize(gws_plan *p);

/* True when this run handles the stack (always, unless the run is a shard). */
bool rc_in_shard(const gws_reconcile *r, const char *stack);
static inline bool rc_sharded(const gws_reconcile *r)
{
	return r->opts.shard.count > 1;
}

/* Observe (observe.c, resolve.c) */
int rc_observe_listings(gws_reconcile *r);
int rc_observe_details(gws_reconcile *r);
int rc_resolve_vpc(gws_reconcile *r);
int rc_resolve_group_names(gws_reconcile *r);
int rc_resolve_stack(gws_reconcile *r, rc_stackplan *sp);
/* Certificates from ACM for the HTTPS/TLS listeners without one (certs.c):
 * blocks a stack with no match, or fills a copy of its desired stack. */
int rc_discover_certificates(gws_reconcile *r);
/* The hostnames a listener's certificate must cover (cert_hosts.c). */
int rc_cert_hosts(gws_reconcile *r, const gws_model_stack *s, const gws_model_listener *l,
                  gws_model_strs *out);

/* Spec hashes (hash.c) */
const char *rc_hash_target_group(gws_reconcile *r, const gws_model_target_group *t);
const char *rc_hash_security_group(gws_reconcile *r, const gws_model_security_groups *g);
const char *rc_hash_load_balancer(gws_reconcile *r, const gws_model_stack *s);
const char *rc_hash_listener(gws_reconcile *r, rc_stackplan *sp, const gws_model_listener *l);

/* Diff (diff_*.c). parent_unchanged / lb_unchanged: the load balancer's spec tag
 * matches, so a missing child is drift. */
int rc_diff_stack(gws_reconcile *r, rc_stackplan *sp);
int rc_precheck_load_balancer(gws_reconcile *r, rc_stackplan *sp);
int rc_map_target_groups(gws_reconcile *r, rc_stackplan *sp);
int rc_diff_security_group(gws_reconcile *r, rc_stackplan *sp, bool parent_unchanged);
int rc_diff_target_groups(gws_reconcile *r, rc_stackplan *sp, bool parent_unchanged);
int rc_diff_load_balancer(gws_reconcile *r, rc_stackplan *sp, const char *hash);
int rc_diff_listeners(gws_reconcile *r, rc_stackplan *sp, bool lb_unchanged);
int rc_diff_target_group_leftovers(gws_reconcile *r, rc_stackplan *sp);
int rc_diff_load_balancer_leftovers(gws_reconcile *r, rc_stackplan *sp);
int rc_diff_security_group_leftovers(gws_reconcile *r, rc_stackplan *sp);
bool rc_deletion_protected(const rc_olb *lb);
/* Load balancers and listeners get their spec tag last (RC_STAGE_CONFIRM), and
 * only when nothing of the stack failed: the tag says "everything below me is as
 * gwsync wrote it", which a failed child would make a lie. */
int rc_confirm_spec(gws_reconcile *r, rc_stackplan *sp, gws_plan_change **change,
                    gws_plan_kind kind, const char *id, const char *address, rc_slot *slot,
                    const char *have, const char *hash);
/* set_unchanged: the listener's spec tag matches, so a missing rule is drift. */
int rc_diff_rules(gws_reconcile *r, rc_stackplan *sp, const gws_model_listener *want,
                  rc_olistener *have, rc_slot *listener, bool set_unchanged);
int rc_diff_tags(gws_reconcile *r, rc_stackplan *sp, gws_plan_change **change, gws_plan_kind kind,
                 const char *id, const char *address, rc_slot *slot, const gws_aws_kvs *want,
                 const gws_aws_kvs *have, bool ec2);
/* Attributes: only the keys the manifests set are compared (and sent). *change is
 * created as an UPDATE when NULL and something differs. have NULL: a new resource. */
int rc_diff_attributes(gws_reconcile *r, rc_stackplan *sp, gws_plan_change **change,
                       gws_plan_kind kind, const char *id, const char *address,
                       gws_elbv2_attr_kind akind, rc_slot *slot, const gws_model_kvs *want,
                       const gws_aws_kvs *have, rc_stage stage);
int rc_plan_prune(gws_reconcile *r);

/* Desired target group lookups */
rc_tgmap *rc_tg_find(rc_stackplan *sp, const char *id);
/* The ARN-space reference of a desired target group id: "tg:<id>" when the
 * observed group is kept, "new:<id>" when it is (re)created this run. */
const char *rc_ref_desired(void *ctx, const char *id);
/* The reference of an observed ARN: "tg:<id>" for this stack's kept groups,
 * "arn:<arn>" otherwise. ctx: rc_stackplan. */
const char *rc_ref_observed(void *ctx, const char *arn);
/* Id-space references (ignore replacements). */
const char *rc_ref_desired_id(void *ctx, const char *id);
const char *rc_ref_observed_id(void *ctx, const char *arn);

/* Apply (apply.c) and the ops' senders (ops_*.c) */
int rc_apply(gws_reconcile *r);
void rc_op_fail(rc_op *op, const char *fmt, ...) GWS_PRINTF(2, 3);

/* Results (results.c) */
int rc_results(gws_reconcile *r);

/* Arena shorthands */
#define RC_NEW(r, T)     ((T *)gws_arena_alloc((r)->arena, sizeof(T)))
#define RC_NEWN(r, T, n) ((T *)gws_arena_calloc((r)->arena, (n), sizeof(T)))
#define RC_STR(r, s)     ((s) ? gws_arena_strdup((r)->arena, (s)) : NULL)

#endif
