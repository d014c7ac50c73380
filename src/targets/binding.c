/*
 * One TargetGroupBinding as YAML: the object the AWS Load Balancer
 * Controller would create for a target group it built (docs/targets.md
 * lists every field and where it comes from). Keys are emitted in sorted
 * order and nothing depends on the time, so the same state gives the same
 * bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "targets/internal.h"

/* A plain, untagged scalar (true/false, numbers) that reads back as its type. */
static void plain(gws_report__yaml *y, const char *s)
{
	yaml_event_t ev;

	if (y->error)
		return;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 0,
	                                  YAML_PLAIN_SCALAR_STYLE) ||
	    !yaml_emitter_emit(&y->emitter, &ev))
		y->error = gws_error_set(GWS_ERROR, "YAML emitter: %s",
		                         y->emitter.problem ? y->emitter.problem : "failed");
}

/* A port: a number when it is one, else a port name (IntOrString). */
static void port_value(gws_report__yaml *y, const char *port)
{
	long n;

	if (gws_parse_long(&n, port, 1, 65535) == 0)
		gws_report__yaml_int(y, n);
	else
		gws_report__yaml_str(y, port);
}

static void selector(gws_report__yaml *y, const gws_mf_label_selector *sel)
{
	gws_report__yaml_map(y);
	if (sel->n_match_expressions) {
		gws_report__yaml_str(y, "matchExpressions");
		gws_report__yaml_seq(y, false);
		for (size_t i = 0; i < sel->n_match_expressions; i++) {
			const gws_mf_label_requirement *r = &sel->match_expressions[i];

			gws_report__yaml_map(y);
			gws_report__yaml_kv(y, "key", r->key);
			gws_report__yaml_kv(y, "operator", r->operator_);
			if (r->n_values) {
				gws_report__yaml_str(y, "values");
				gws_report__yaml_seq(y, false);
				for (size_t j = 0; j < r->n_values; j++)
					gws_report__yaml_str(y, r->values[j]);
				gws_report__yaml_seq_end(y);
			}
			gws_report__yaml_map_end(y);
		}
		gws_report__yaml_seq_end(y);
	}
	if (sel->n_match_labels) {
		/* A map: sorted by key, the last of duplicate keys wins (as in the API). */
		const gws_mf_kv **sorted = gws_calloc(sel->n_match_labels, sizeof(*sorted));

		if (!sorted) {
			y->error = GWS_ENOMEM;
			return;
		}
		for (size_t i = 0; i < sel->n_match_labels; i++)
			sorted[i] = &sel->match_labels[i];
		gws_qsort(sorted, sel->n_match_labels, sizeof(*sorted), gws_targets__kv_cmp);
		gws_report__yaml_str(y, "matchLabels");
		gws_report__yaml_map(y);
		for (size_t i = 0; i < sel->n_match_labels; i++) {
			if (i + 1 < sel->n_match_labels &&
			    strcmp(sorted[i]->key, sorted[i + 1]->key) == 0)
				continue;
			gws_report__yaml_kv(y, sorted[i]->key, sorted[i]->value);
		}
		gws_report__yaml_map_end(y);
		gws_free(sorted);
	}
	gws_report__yaml_map_end(y);
}

static void networking(gws_report__yaml *y, const gws_model_target_group *tg, const char *sg_id)
{
	gws_targets__port ports[GWS_TARGETS__MAX_RULE_PORTS];
	size_t n = gws_targets__ingress_ports(tg, ports);

	gws_report__yaml_str(y, "networking");
	gws_report__yaml_map(y);
	gws_report__yaml_str(y, "ingress");
	gws_report__yaml_seq(y, false);
	gws_report__yaml_map(y);
	gws_report__yaml_str(y, "from");
	gws_report__yaml_seq(y, false);
	gws_report__yaml_map(y);
	gws_report__yaml_str(y, "securityGroup");
	gws_report__yaml_map(y);
	gws_report__yaml_kv(y, "groupID", sg_id);
	gws_report__yaml_map_end(y);
	gws_report__yaml_map_end(y);
	gws_report__yaml_seq_end(y);
	gws_report__yaml_str(y, "ports");
	gws_report__yaml_seq(y, false);
	for (size_t i = 0; i < n; i++) {
		gws_report__yaml_map(y);
		gws_report__yaml_str(y, "port");
		port_value(y, ports[i].port);
		gws_report__yaml_kv(y, "protocol", ports[i].protocol);
		gws_report__yaml_map_end(y);
	}
	gws_report__yaml_seq_end(y);
	gws_report__yaml_map_end(y);
	gws_report__yaml_seq_end(y);
	gws_report__yaml_map_end(y);
}

static void metadata(gws_report__yaml *y, const gws_model *model, const gws_model_stack *stack,
                     const gws_model_target_group *tg)
{
	gws_report__yaml_str(y, "metadata");
	gws_report__yaml_map(y);
	/* Annotation values are free text: the ids hold '/' and ':', which labels cannot. */
	gws_report__yaml_str(y, "annotations");
	gws_report__yaml_map(y);
	gws_report__yaml_kv(y, GWS_TARGETS__ANN_RESOURCE, tg->id);
	gws_report__yaml_kv(y, GWS_TARGETS__ANN_STACK, stack->gateway);
	gws_report__yaml_map_end(y);
	gws_report__yaml_str(y, "labels");
	gws_report__yaml_map(y);
	gws_report__yaml_kv(y, "app.kubernetes.io/managed-by", "gwsync");
	gws_report__yaml_kv(y, GWS_TARGETS__LABEL_CLUSTER, gws_model_cluster(model));
	gws_report__yaml_map_end(y);
	gws_report__yaml_kv(y, "name", tg->name);
	gws_report__yaml_kv(y, "namespace", tg->backend.namespace_);
	gws_report__yaml_map_end(y);
}

int gws_targets_render_binding(gws_buf *out, const gws_model *model, const gws_model_stack *stack,
                               const gws_model_target_group *tg, const char *arn,
                               const char *vpc_id, const char *sg_id)
{
	bool instance = tg->target_type && strcmp(tg->target_type, "instance") == 0;
	gws_report__yaml y;
	int error;

	if (!model || !stack || !tg || !arn || !tg->name || !tg->backend.namespace_ ||
	    !tg->backend.name)
		return gws_error_set(GWS_EINVALID, "TargetGroupBinding: missing input");
	if ((error = gws_buf_printf(out,
	                            "# Written by gwsync for target group %s (%s): edits are "
	                            "overwritten by the next run.\n",
	                            tg->name, tg->route ? tg->route : stack->gateway)) < 0)
		return error;
	gws_report__yaml_begin(&y, out);
	gws_report__yaml_map(&y);
	gws_report__yaml_kv(&y, "apiVersion", "elbv2.k8s.aws/v1beta1");
	gws_report__yaml_kv(&y, "kind", "TargetGroupBinding");
	metadata(&y, model, stack, tg);
	gws_report__yaml_str(&y, "spec");
	gws_report__yaml_map(&y);
	if (tg->ip_address_type)
		gws_report__yaml_kv(&y, "ipAddressType", tg->ip_address_type);
	if (tg->multi_cluster) {
		gws_report__yaml_str(&y, "multiClusterTargetGroup");
		plain(&y, "true");
	}
	if (sg_id)
		networking(&y, tg, sg_id);
	if (instance && tg->node_selector) {
		gws_report__yaml_str(&y, "nodeSelector");
		selector(&y, tg->node_selector);
	}
	gws_report__yaml_str(&y, "serviceRef");
	gws_report__yaml_map(&y);
	gws_report__yaml_kv(&y, "name", tg->backend.name);
	gws_report__yaml_str(&y, "port");
	gws_report__yaml_int(&y, tg->backend.port);
	gws_report__yaml_map_end(&y);
	gws_report__yaml_kv(&y, "targetGroupARN", arn);
	if (tg->protocol)
		gws_report__yaml_kv(&y, "targetGroupProtocol", tg->protocol);
	gws_report__yaml_kv(&y, "targetType", tg->target_type);
	if (vpc_id)
		gws_report__yaml_kv(&y, "vpcID", vpc_id);
	gws_report__yaml_map_end(&y);
	gws_report__yaml_map_end(&y);
	return gws_report__yaml_end(&y);
}
