/*
 * gwsync targets: how the target groups gwsync manages get their targets
 * (docs/targets.md).
 *
 *   binding (default)  one elbv2.k8s.aws/v1beta1 TargetGroupBinding per target
 *                      group, written under .gwsync/<cluster>/rendered/ for the
 *                      cluster's GitOps agent to apply; the AWS Load Balancer
 *                      Controller's TargetGroupBinding controller keeps the
 *                      targets current as pods come and go.
 *   direct             gwsync registers the targets itself from the Kubernetes
 *                      API (Services, EndpointSlices, Nodes).
 *   none               target groups are left as they are.
 */
#ifndef GWSYNC_TARGETS_H
#define GWSYNC_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "gwsync/aws.h"
#include "gwsync/core.h"
#include "gwsync/model.h"
#include "gwsync/report.h"

typedef enum {
	GWS_TARGETS_BINDING = 0,
	GWS_TARGETS_DIRECT,
	GWS_TARGETS_NONE,
} gws_targets_mode;

/* "binding" | "direct" | "none" → the mode; GWS_EINVALID for anything else. */
int gws_targets_mode_parse(gws_targets_mode *out, const char *s);
const char *gws_targets_mode_name(gws_targets_mode mode);

/* The directory of the rendered manifests, below .gwsync/<cluster>/. */
#define GWS_TARGETS_RENDERED_DIR "rendered"
/* Cap on the previous kustomization.yaml read back (nothing else is read). */
#define GWS_TARGETS_CAP_FILE (1024u * 1024)

typedef struct {
	const gws_model *model; /* the target groups and their Services (required) */
	/*
	 * What gwsync owns in AWS after the run (the same list the status report is
	 * given): a target group gets a binding only when its ARN is here, as a
	 * "TargetGroup" of its stack; a stack's "SecurityGroup" (the load balancer's
	 * managed security group) is the peer of the binding's networking rules.
	 */
	const gws_report_resource *resources;
	size_t n_resources;
	const char *vpc_id; /* spec.vpcID; NULL: left out (the controller infers it) */
	/* true when some stack's AWS resources were not read this run: bindings
	 * already on disk whose target group was not found are kept, not removed. */
	bool keep_unmatched;
	/* A shard of a sharded run: its folder below .gwsync/<cluster>/ ("shard-1-of-4"),
	 * which then holds rendered/; NULL for a whole run. */
	const char *shard;
} gws_targets_input;

typedef struct {
	size_t bindings;  /* TargetGroupBindings planned */
	size_t written;   /* files created or rewritten */
	size_t removed;   /* stale files removed */
	size_t unchanged; /* planned files whose bytes were already there */
	bool changed;     /* written + removed > 0 */
} gws_targets_result;

/*
 * Writes <root>/.gwsync/<cluster>/rendered/<namespace>/<name>.yaml for every
 * target group of the model that has an ARN in `in->resources`, and
 * rendered/kustomization.yaml listing them, then removes every other file under
 * rendered/ (unless in->keep_unmatched). Bytes depend on the state only, files
 * are written only when they differ, each atomically, and symbolic links are
 * never followed (the same rules as gws_report_write). `out` may be NULL.
 * Returns 0, GWS_EINVALID (cluster name, a link where .gwsync or
 * .gwsync/<cluster> belongs), GWS_ENOTFOUND (no root), GWS_EIO or GWS_ENOMEM.
 */
int gws_targets_write_bindings(const gws_targets_input *in, const char *root,
                               gws_targets_result *out);

/* The TargetGroupBinding of one target group as YAML, appended to `out`
 * (`sg_id` NULL: no networking rules). */
int gws_targets_render_binding(gws_buf *out, const gws_model *model, const gws_model_stack *stack,
                               const gws_model_target_group *tg, const char *arn,
                               const char *vpc_id, const char *sg_id);

/* ---- direct registration ---------------------------------------------------- */

/* gwsync/kube.h (not included here: it brings in jansson.h). */
typedef struct gws_kube gws_kube;

typedef struct {
	const gws_model *model;
	const gws_report_resource *resources; /* target group ARNs, as for the bindings */
	size_t n_resources;
	gws_kube *kube;      /* where Services, EndpointSlices and Nodes are read */
	gws_aws_client *aws; /* where targets are registered */
	bool dry_run;        /* read and compare; register nothing */
} gws_targets_direct_input;

typedef struct {
	size_t target_groups; /* with an ARN and a Service in the cluster */
	size_t registered;    /* targets registered (or, in a dry run, to register) */
	size_t deregistered;
	size_t calls;         /* RegisterTargets + DeregisterTargets calls made */
	size_t failed_groups; /* target groups whose AWS calls failed */
	/* DescribeTargetHealth after the change, per target group that was read
	 * (none in a dry run); owned, freed by gws_targets_direct_result_dispose.
	 * `stack` and `id` point into the model. */
	gws_report_target_health *health;
	size_t n_health;
} gws_targets_direct_result;

/*
 * Makes every target group with an ARN hold exactly the ready endpoints of its
 * Service (ip targets: pod IP and target port, a named port resolved per
 * EndpointSlice) or the matching nodes (instance targets: the EC2 instance of
 * each schedulable node that is not being deleted and matches the
 * TargetGroupConfiguration nodeSelector, on the target group's port).
 *
 * Everything is read from the Kubernetes API first: when a read fails,
 * nothing is registered or deregistered and the error is returned. Then, per
 * target group, the registered targets are read (DescribeTargetHealth), the
 * difference is registered and deregistered in batches (no call when there is
 * none), and the health after the change is logged and counted into
 * out->health (read again only when something changed). AWS failures of one
 * target group are logged and counted, never stop another; GWS_EAUTH is
 * returned. `out` may be NULL; else the caller disposes it, also on failure.
 */
int gws_targets_register(const gws_targets_direct_input *in, gws_targets_direct_result *out);
void gws_targets_direct_result_dispose(gws_targets_direct_result *res);

/* ---- Services from the cluster --------------------------------------------------- */

/*
 * Reads every Service of the cluster (one paginated list) and adds to `store`
 * those the repository does not hold (the repository wins), before the model
 * is built, so a backend kept in another repository resolves like one in this
 * repository. Their diagnostics name the API server as their file. Returns the
 * Kubernetes API's error when the list fails (nothing is added then).
 */
int gws_targets_add_cluster_services(gws_manifest_store *store, gws_kube *kube,
                                     gws_diag_list *diags, size_t *added);

#endif
