/* gwsync aws: ELBv2 encoders and decoders shared by the call files (internal). */
#ifndef GWSYNC_AWS_ELBV2_H
#define GWSYNC_AWS_ELBV2_H

#include "aws/call.h"

#define GWS_ELBV2_SERVICE   "elasticloadbalancing"
#define GWS_ELBV2_PAGE_SIZE 400

/* Encoders: `prefix` is the list's wire name, e.g. "DefaultActions". */
void gws_elbv2__add_actions(gws_query *q, const char *prefix, const gws_elbv2_actions *list);
void gws_elbv2__add_conditions(gws_query *q, const char *prefix, const gws_elbv2_conditions *list);
void gws_elbv2__add_transforms(gws_query *q, const char *prefix, const gws_elbv2_transforms *list);
void gws_elbv2__add_certificates(gws_query *q, const char *prefix,
                                 const gws_elbv2_certificates *list);
void gws_elbv2__add_targets(gws_query *q, const char *prefix, const gws_elbv2_targets *list);

/* Item decoders (gws_xml_item_fn). */
int gws_elbv2__decode_load_balancer(gws_arena *a, const xmlNode *n, void *elem);
int gws_elbv2__decode_listener(gws_arena *a, const xmlNode *n, void *elem);
int gws_elbv2__decode_rule(gws_arena *a, const xmlNode *n, void *elem);
int gws_elbv2__decode_target_group(gws_arena *a, const xmlNode *n, void *elem);
int gws_elbv2__decode_certificate(gws_arena *a, const xmlNode *n, void *elem);
int gws_elbv2__decode_target(gws_arena *a, const xmlNode *n, void *elem);

/* Decode the single member of list `list` into `out` (Create/Modify replies). */
int gws_elbv2__decode_one(gws_arena *a, const xmlNode *result, const char *list, size_t size,
                          gws_xml_item_fn fn, void *out);

#endif
