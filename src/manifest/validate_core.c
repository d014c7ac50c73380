/*
 * ReferenceGrant rules and the core/v1 Service rules the API server applies
 * (port numbers, names, protocols, types).
 */
#include <stdio.h>
#include <string.h>

#include "manifest/validate_util.h"

static const char *const service_types[] = {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName",
                                            NULL};
static const char *const service_protocols[] = {"TCP", "UDP", "SCTP", NULL};
static const char *const traffic_policies[] = {"Cluster", "Local", NULL};
static const char *const ip_families[] = {"IPv4", "IPv6", NULL};

/* ---- ReferenceGrant ---- */

void gws_manifest__validate_reference_grant(gws_manifest__vctx *v)
{
	const gws_mf_reference_grant *g = v->obj->spec.reference_grant;
	size_t mark = gws_manifest__v_push(v, "spec"), i;

	size_t n_from = gws_manifest__v_items(v, "from", g->n_from, 1, 16);
	for (i = 0; i < n_from; i++) {
		const gws_mf_grant_from *f = &g->from[i];
		size_t m = gws_manifest__v_push_index(v, "from", i);

		if (gws_manifest__v_required(v, "group", f->group != NULL))
			gws_manifest__v_format(v, "group", f->group, GWS_VFMT_GROUP);
		if (gws_manifest__v_required(v, "kind", f->kind != NULL))
			gws_manifest__v_format(v, "kind", f->kind, GWS_VFMT_KIND);
		if (gws_manifest__v_required(v, "namespace", f->namespace_ != NULL))
			gws_manifest__v_format(v, "namespace", f->namespace_, GWS_VFMT_DNS_LABEL);
		gws_manifest__v_pop(v, m);
	}
	size_t n_to = gws_manifest__v_items(v, "to", g->n_to, 1, 16);
	for (i = 0; i < n_to; i++) {
		const gws_mf_grant_to *t = &g->to[i];
		size_t m = gws_manifest__v_push_index(v, "to", i);

		if (gws_manifest__v_required(v, "group", t->group != NULL))
			gws_manifest__v_format(v, "group", t->group, GWS_VFMT_GROUP);
		if (gws_manifest__v_required(v, "kind", t->kind != NULL))
			gws_manifest__v_format(v, "kind", t->kind, GWS_VFMT_KIND);
		gws_manifest__v_format(v, "name", t->name, GWS_VFMT_OBJECT_NAME);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

/* ---- Service ---- */

/* `name_twin`, `port_twin`: an earlier port with the same name, the same port and protocol. */
static void v_service_port(gws_manifest__vctx *v, const gws_mf_service *s, size_t i,
                           size_t name_twin, size_t port_twin)
{
	const gws_mf_service_port *p = &s->ports[i];
	const gws_mf_int_or_string *tp = &p->target_port;

	if (p->name && gws_manifest__v_format(v, "name", p->name, GWS_VFMT_DNS_LABEL) &&
	    name_twin != GWS_VNO_TWIN)
		gws_manifest__v_error(v, "name",
		                      "duplicate port name %s: each port needs its own name",
		                      gws_manifest__v_quote(v, p->name));
	if (!p->name && s->n_ports > 1)
		gws_manifest__v_error(v, NULL,
		                      "name is required when a Service has more than one port");
	if (gws_manifest__v_required(v, "port", p->port.set))
		gws_manifest__v_range(v, "port", &p->port, 1, 65535);
	gws_manifest__v_enum(v, "protocol", p->protocol, service_protocols);
	if (tp->type == GWS_MF_INTSTR_INT && (tp->int_value < 1 || tp->int_value > 65535))
		gws_manifest__v_error(v, "targetPort", "must be between 1 and 65535, got %lld",
		                      (long long)tp->int_value);
	if (tp->type == GWS_MF_INTSTR_STRING && !gws_manifest__is_iana_svc_name(tp->str_value))
		gws_manifest__v_error(v, "targetPort",
		                      "%s is not a valid port name: use 1 to 15 lowercase letters, "
		                      "digits and '-', with at least one letter and no '-' at "
		                      "either end",
		                      gws_manifest__v_quote(v, tp->str_value));
	gws_manifest__v_range(v, "nodePort", &p->node_port, 1, 65535);
	if (port_twin != GWS_VNO_TWIN)
		gws_manifest__v_error(v, NULL, "port %lld/%s is defined twice",
		                      (long long)p->port.value, p->protocol ? p->protocol : "TCP");
}

/*
 * Service ports have no schema limit: the uniqueness of names and of
 * port/protocol pairs is found with gws_manifest__v_twins, not pairwise.
 */
static void v_service_ports(gws_manifest__vctx *v, const gws_mf_service *s)
{
	size_t n = s->n_ports;
	const char **names = gws_calloc(n + 1, sizeof(*names));
	const char **ports = gws_calloc(n + 1, sizeof(*ports));
	size_t *name_twin = gws_calloc(n + 1, sizeof(*name_twin));
	size_t *port_twin = gws_calloc(n + 1, sizeof(*port_twin));
	char *text = gws_calloc(n + 1, 40);

	if (!names || !ports || !name_twin || !port_twin || !text) {
		v->error = GWS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		const gws_mf_service_port *p = &s->ports[i];
		names[i] = p->name;
		/* "80/TCP"; an over-long protocol is invalid anyway (reported by its enum) */
		if (p->port.set && (!p->protocol || strlen(p->protocol) <= 16)) {
			snprintf(text + 40 * i, 40, "%lld/%s", (long long)p->port.value,
			         p->protocol ? p->protocol : "TCP");
			ports[i] = text + 40 * i;
		}
	}
	if (!gws_manifest__v_twins(v, name_twin, names, n) ||
	    !gws_manifest__v_twins(v, port_twin, ports, n))
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		size_t m = gws_manifest__v_push_index(v, "ports", i);

		v_service_port(v, s, i, name_twin[i], port_twin[i]);
		gws_manifest__v_pop(v, m);
	}
cleanup:
	gws_free(names);
	gws_free(ports);
	gws_free(name_twin);
	gws_free(port_twin);
	gws_free(text);
}

void gws_manifest__validate_service(gws_manifest__vctx *v)
{
	const gws_mf_service *s = v->obj->spec.service;
	size_t mark = gws_manifest__v_push(v, "spec");
	bool external = gws_manifest__str_eq(s->type, "ExternalName");

	gws_manifest__v_enum(v, "type", s->type, service_types);
	gws_manifest__v_range(v, "healthCheckNodePort", &s->health_check_node_port, 1, 65535);
	gws_manifest__v_enum(v, "externalTrafficPolicy", s->external_traffic_policy,
	                     traffic_policies);
	for (size_t i = 0; i < gws_manifest__v_items(v, "ipFamilies", s->n_ip_families, 0, 2);
	     i++) {
		size_t mark_i = gws_manifest__v_push_index(v, "ipFamilies", i);
		gws_manifest__v_enum(v, NULL, s->ip_families[i], ip_families);
		gws_manifest__v_pop(v, mark_i);
	}
	if (external && gws_manifest__v_required(v, "externalName", s->external_name != NULL))
		gws_manifest__v_format(v, "externalName", s->external_name, GWS_VFMT_DNS_SUBDOMAIN);
	if (s->n_ports == 0 && !external && !gws_manifest__str_eq(s->cluster_ip, "None"))
		gws_manifest__v_error(v, "ports",
		                      "is required: a Service needs at least one port unless its "
		                      "type is ExternalName or its clusterIP is None");
	v_service_ports(v, s);
	gws_manifest__v_pop(v, mark);
}
