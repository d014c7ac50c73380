/* Model shapes → ELBv2 request shapes (convert.c). */
#ifndef GWSYNC_RECONCILE_CONVERT_H
#define GWSYNC_RECONCILE_CONVERT_H

#include "reconcile/internal.h"

int rc_aws_conditions(gws_reconcile *r, const gws_model_rule *rule, gws_elbv2_conditions *out);
/* GWS_ENOTFOUND when a target group has no ARN (its create failed). */
int rc_aws_actions(gws_reconcile *r, rc_stackplan *sp, const gws_model_action *actions, size_t n,
                   gws_elbv2_actions *out);
int rc_aws_transforms(gws_reconcile *r, const gws_model_transform *t, size_t n,
                      gws_elbv2_transforms *out);
gws_elbv2_certificates rc_aws_certificates(gws_reconcile *r, const char *const *arns, size_t n);
/* Why sync cannot send this stack yet (a feature the AWS client lacks), or NULL. */
const char *rc_unsupported(const gws_model_stack *s);

#endif
