/*
 * The operations of a plan: constructors the diff calls (each adds one AWS
 * call to the plan), implemented in ops_*.c. Inputs that name resources
 * created by earlier stages (an ARN, a group id) are taken from their slots
 * when the call is sent.
 */
#ifndef GWSYNC_RECONCILE_OPS_H
#define GWSYNC_RECONCILE_OPS_H

#include "reconcile/internal.h"

/* EC2 security groups */
rc_op *rc_op_sg_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, const char *name,
                       const char *description, gws_aws_kvs tags, rc_slot *out);
rc_op *rc_op_sg_ingress(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                        rc_slot *group, gws_ec2_ip_permissions perms, bool revoke);
rc_op *rc_op_ec2_tags(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *res,
                      gws_aws_kvs tags, bool remove);
rc_op *rc_op_sg_delete(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, const char *id);

/* ELBv2, any resource */
rc_op *rc_op_tags(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                  rc_slot *res, gws_aws_kvs tags);
rc_op *rc_op_untag(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                   rc_slot *res, gws_aws_strings keys);
rc_op *rc_op_attributes(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                        gws_elbv2_attr_kind kind, rc_slot *res, gws_aws_kvs attributes);
/* Delete{LoadBalancer,TargetGroup,Listener,Rule} by ARN. */
rc_op *rc_op_delete(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_stage stage,
                    gws_plan_kind kind, const char *arn);

/* Target groups */
rc_op *rc_op_tg_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                       const gws_model_target_group *tg, gws_aws_kvs tags, rc_slot *out);
rc_op *rc_op_tg_modify(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *res,
                       const gws_model_target_group *tg);

/* Load balancers */
rc_op *rc_op_lb_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, gws_aws_kvs tags,
                       rc_slot *out);
rc_op *rc_op_lb_security_groups(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                                rc_slot *lb);
rc_op *rc_op_lb_subnets(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *lb);
rc_op *rc_op_lb_ip_type(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *lb,
                        const char *ip_type);

/* Listeners */
rc_op *rc_op_listener_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                             const gws_model_listener *l, gws_aws_kvs tags, rc_slot *lb,
                             rc_slot *out);
/* What ModifyListener sends: the fields that differ. */
typedef struct {
	bool protocol, actions, certificate, ssl_policy, alpn;
} rc_listener_fields;
rc_op *rc_op_listener_modify(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                             const gws_model_listener *l, rc_slot *res, rc_listener_fields f);
rc_op *rc_op_listener_certs(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c, rc_slot *res,
                            gws_elbv2_certificates certs, bool remove);

/* Rules */
rc_op *rc_op_rule_create(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                         const gws_model_rule *rule, int priority, gws_aws_kvs tags,
                         rc_slot *listener, rc_slot *out);
/* with_conditions: the matches change too (only for a listener's sole change). */
rc_op *rc_op_rule_modify(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                         const gws_model_rule *rule, const char *rule_arn, bool reset_transforms,
                         bool with_conditions);
/* One SetRulePriorities call: n (rule, priority) pairs. */
rc_op *rc_op_rule_priorities(gws_reconcile *r, rc_stackplan *sp, gws_plan_change *c,
                             rc_slot **rules, const int *priorities, size_t n);

#endif
