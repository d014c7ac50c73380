/*
 * Rules every route kind shares (parentRefs with their distinctness CEL,
 * hostnames, backendRefs) and the TCPRoute / UDPRoute / TLSRoute rules.
 */
#include <string.h>

#include "manifest/validate_util.h"

/* Unset and "" are equal in the parentRefs CEL rules. */
static bool opt_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool opt_empty(const char *s)
{
	return !s || !*s;
}

/*
 * "Same parent" of the CEL rules: equal group, kind and name, and either both
 * namespaces unset/empty or both set and equal. The namespace is not resolved
 * to the route's, so an explicit and an omitted namespace differ.
 */
static bool same_parent(const gws_mf_parent_ref *a, const gws_mf_parent_ref *b)
{
	if (!opt_eq(a->group, b->group) || !opt_eq(a->kind, b->kind) || !opt_eq(a->name, b->name))
		return false;
	if (opt_empty(a->namespace_) && opt_empty(b->namespace_))
		return true;
	return a->namespace_ && b->namespace_ && strcmp(a->namespace_, b->namespace_) == 0;
}

void gws_manifest__v_parent_ref(gws_manifest__vctx *v, const gws_mf_parent_ref *ref)
{
	gws_manifest__v_format(v, "group", ref->group, GWS_VFMT_GROUP);
	gws_manifest__v_format(v, "kind", ref->kind, GWS_VFMT_KIND);
	gws_manifest__v_format(v, "namespace", ref->namespace_, GWS_VFMT_DNS_LABEL);
	if (gws_manifest__v_required(v, "name", ref->name != NULL))
		gws_manifest__v_format(v, "name", ref->name, GWS_VFMT_OBJECT_NAME);
	gws_manifest__v_format(v, "sectionName", ref->section_name, GWS_VFMT_DNS_SUBDOMAIN);
	gws_manifest__v_range(v, "port", &ref->port, 1, 65535);
}

void gws_manifest__v_parent_refs(gws_manifest__vctx *v, const gws_mf_parent_ref *refs, size_t n)
{
	size_t i, j;

	size_t n_parentrefs = gws_manifest__v_items(v, "parentRefs", n, 0, 32);
	for (i = 0; i < n_parentrefs; i++) {
		size_t mark = gws_manifest__v_push_index(v, "parentRefs", i);
		bool mixed = false, repeated = false;

		gws_manifest__v_parent_ref(v, &refs[i]);
		for (j = 0; j < i; j++) {
			if (!same_parent(&refs[i], &refs[j]))
				continue;
			if (opt_empty(refs[i].section_name) != opt_empty(refs[j].section_name))
				mixed = true;
			else if (opt_eq(refs[i].section_name, refs[j].section_name))
				repeated = true;
		}
		if (mixed)
			gws_manifest__v_error(
			        v, NULL,
			        "sectionName must be specified when parentRefs includes "
			        "2 or more references to the same parent");
		if (repeated)
			gws_manifest__v_error(
			        v, NULL,
			        "sectionName must be unique when parentRefs includes 2 "
			        "or more references to the same parent");
		gws_manifest__v_pop(v, mark);
	}
}

void gws_manifest__v_hostnames(gws_manifest__vctx *v, const char *const *hostnames, size_t n,
                               size_t max)
{
	size_t i;

	size_t n_hostnames = gws_manifest__v_items(v, "hostnames", n, 0, max);
	for (i = 0; i < n_hostnames; i++) {
		size_t mark = gws_manifest__v_push_index(v, "hostnames", i);

		gws_manifest__v_format(v, NULL, hostnames[i], GWS_VFMT_HOSTNAME);
		gws_manifest__v_pop(v, mark);
	}
}

static void v_reference(gws_manifest__vctx *v, const char *group, const char *kind,
                        const char *name, const char *namespace_, const gws_mf_int *port)
{
	gws_manifest__v_format(v, "group", group, GWS_VFMT_GROUP);
	gws_manifest__v_format(v, "kind", kind, GWS_VFMT_KIND);
	if (gws_manifest__v_required(v, "name", name != NULL))
		gws_manifest__v_format(v, "name", name, GWS_VFMT_OBJECT_NAME);
	gws_manifest__v_format(v, "namespace", namespace_, GWS_VFMT_DNS_LABEL);
	gws_manifest__v_range(v, "port", port, 1, 65535);
	if (opt_empty(group) && gws_manifest__str_eq(kind, "Service") && !port->set)
		gws_manifest__v_error(v, NULL, "Must have port for Service reference");
}

void gws_manifest__v_backend_object_ref(gws_manifest__vctx *v, const gws_mf_backend_object_ref *ref)
{
	v_reference(v, ref->group, ref->kind, ref->name, ref->namespace_, &ref->port);
}

void gws_manifest__v_backend_ref(gws_manifest__vctx *v, const gws_mf_backend_ref *ref)
{
	v_reference(v, ref->group, ref->kind, ref->name, ref->namespace_, &ref->port);
	gws_manifest__v_range(v, "weight", &ref->weight, 0, 1000000);
}

/* ---- HTTPRoute and GRPCRoute shared pieces ---- */

static const char *const persistence_types[] = {"Cookie", "Header", NULL};
static const char *const lifetime_types[] = {"Permanent", "Session", NULL};

void gws_manifest__v_session_persistence(gws_manifest__vctx *v, const gws_mf_session_persistence *s)
{
	size_t mark;

	if (!s)
		return;
	mark = gws_manifest__v_push(v, "sessionPersistence");
	gws_manifest__v_length(v, "sessionName", s->session_name, 0, 128);
	gws_manifest__v_format(v, "absoluteTimeout", s->absolute_timeout, GWS_VFMT_DURATION);
	gws_manifest__v_format(v, "idleTimeout", s->idle_timeout, GWS_VFMT_DURATION);
	gws_manifest__v_enum(v, "type", s->type, persistence_types);
	gws_manifest__v_enum(v, "cookieConfig.lifetimeType", s->cookie_lifetime_type,
	                     lifetime_types);
	gws_manifest__v_pop(v, mark);
}

void gws_manifest__v_backend_refs(gws_manifest__vctx *v, const gws_mf_backend_ref *refs, size_t n,
                                  bool grpc)
{
	size_t i;

	size_t n_backendrefs = gws_manifest__v_items(v, "backendRefs", n, 0, 16);
	for (i = 0; i < n_backendrefs; i++) {
		size_t mark = gws_manifest__v_push_index(v, "backendRefs", i);

		gws_manifest__v_backend_ref(v, &refs[i]);
		gws_manifest__v_filters(v, refs[i].filters, refs[i].n_filters, grpc);
		gws_manifest__v_pop(v, mark);
	}
}

void gws_manifest__v_total_matches(gws_manifest__vctx *v, size_t total)
{
	if (total > 128)
		gws_manifest__v_error(
		        v, "rules",
		        "While 16 rules and 64 matches per rule are allowed, the total "
		        "number of matches across all rules in a route must be less "
		        "than 128");
}

/* ---- TCPRoute, UDPRoute, TLSRoute ---- */

/*
 * TLSRoute v1/v1alpha3 hostname CEL rules, one message per bad hostname. Like
 * the CRD's RFC 1123 pattern they bound the whole name, not each label.
 */
static void v_tls_hostname(gws_manifest__vctx *v, const char *h)
{
	if (gws_manifest__is_ip(h))
		gws_manifest__v_error(v, NULL, "Hostnames cannot contain an IP");
	else if (gws_manifest__is_hostname(h, true))
		return;
	else if (strchr(h, '*'))
		gws_manifest__v_error(
		        v, NULL,
		        "Wildcards on hostnames must be the first label, and the rest "
		        "of hostname must be valid based on RFC-1123");
	else
		gws_manifest__v_error(v, NULL, "Hostnames must be valid based on RFC-1123");
}

void gws_manifest__v_rule_name(gws_manifest__vctx *v, const char *const *first, size_t stride,
                               size_t i)
{
	const char *name = gws_manifest__name_at(first, stride, i);

	if (name && gws_manifest__v_format(v, "name", name, GWS_VFMT_DNS_SUBDOMAIN) &&
	    gws_manifest__earlier_name(first, stride, i, false))
		gws_manifest__v_error(v, "name", "Rule name must be unique within the route");
}

void gws_manifest__validate_l4_route(gws_manifest__vctx *v)
{
	const gws_mf_l4_route *r = v->obj->spec.tcp_route;
	bool alpha2 = gws_manifest__str_eq(v->obj->version, "v1alpha2");
	bool tls = v->obj->kind == GWS_KIND_TLS_ROUTE;
	size_t mark = gws_manifest__v_push(v, "spec"), i, j;

	gws_manifest__v_parent_refs(v, r->parent_refs, r->n_parent_refs);
	if (tls && alpha2) {
		gws_manifest__v_hostnames(v, r->hostnames, r->n_hostnames, 16);
	} else if (tls) {
		size_t n_hostnames = gws_manifest__v_items(v, "hostnames", r->n_hostnames, 1, 1024);
		for (i = 0; i < n_hostnames; i++) {
			size_t m = gws_manifest__v_push_index(v, "hostnames", i);

			v_tls_hostname(v, r->hostnames[i]);
			gws_manifest__v_pop(v, m);
		}
	}
	/* v1 allows exactly one rule; the deprecated v1alpha2 schema allowed 1..16. */
	size_t n_rules = gws_manifest__v_items(v, "rules", r->n_rules, 1, alpha2 ? 16 : 1);
	for (i = 0; i < n_rules; i++) {
		const gws_mf_l4_rule *rule = &r->rules[i];
		size_t m = gws_manifest__v_push_index(v, "rules", i);

		gws_manifest__v_rule_name(v, &r->rules[0].name, sizeof(*r->rules), i);
		size_t n_backendrefs =
		        gws_manifest__v_items(v, "backendRefs", rule->n_backend_refs, 1, 16);
		for (j = 0; j < n_backendrefs; j++) {
			size_t b = gws_manifest__v_push_index(v, "backendRefs", j);

			gws_manifest__v_backend_ref(v, &rule->backend_refs[j]);
			gws_manifest__v_pop(v, b);
		}
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}
