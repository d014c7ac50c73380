/* Human one-line descriptions of rules and actions for the plan (describe.c). */
#ifndef GWSYNC_RECONCILE_DESCRIBE_H
#define GWSYNC_RECONCILE_DESCRIBE_H

#include "reconcile/internal.h"

/* "host-header shop.example.com; path-pattern /api, /api/+" and the like */
const char *rc_describe_model_conditions(gws_reconcile *r, const gws_model_rule *rule);
const char *rc_describe_aws_conditions(gws_reconcile *r, const gws_elbv2_conditions *c);
/* "forward k8s-a (90), k8s-b (10)", "redirect HTTPS:443 301", "fixed-response 404" */
const char *rc_describe_model_actions(gws_reconcile *r, rc_stackplan *sp, const gws_model_action *a,
                                      size_t n);
const char *rc_describe_aws_actions(gws_reconcile *r, const gws_elbv2_actions *a);
const char *rc_describe_model_transforms(gws_reconcile *r, const gws_model_transform *t, size_t n);
const char *rc_describe_aws_transforms(gws_reconcile *r, const gws_elbv2_transforms *t);
/* The name of the target group with this ARN, or the ARN. */
const char *rc_describe_tg_arn(gws_reconcile *r, const char *arn);
/* "a, b" */
const char *rc_describe_strings(gws_reconcile *r, const char *const *items, size_t n);
const char *rc_describe_int(gws_reconcile *r, long v);

#endif
