/*
 * GatewayClass, Gateway and ListenerSet rules: the listener schema and its
 * list-level CEL rules (docs/gateway-rules.md), addresses, infrastructure
 * and the namespace selectors.
 */
#include <string.h>
#include <strings.h>

#include "manifest/validate_util.h"

static const char *const route_namespaces_from[] = {"All", "Selector", "Same", NULL};
static const char *const listener_namespaces_from[] = {"All", "Selector", "Same", "None", NULL};
static const char *const tls_modes[] = {"Terminate", "Passthrough", NULL};
static const char *const frontend_validation_modes[] = {"AllowValidOnly", "AllowInsecureFallback",
                                                        NULL};
static const char *const selector_operators[] = {"In", "NotIn", "Exists", "DoesNotExist", NULL};

void gws_manifest__v_label_selector(gws_manifest__vctx *v, const char *field,
                                    const gws_mf_label_selector *sel)
{
	size_t mark, i;

	if (!sel)
		return;
	mark = gws_manifest__v_push(v, field);
	for (i = 0; i < sel->n_match_labels; i++) {
		const gws_mf_kv *l = &sel->match_labels[i];
		size_t m = gws_manifest__v_push(v, "matchLabels");
		const char *key_field = gws_manifest__key_field(l->key);

		if (!gws_manifest__is_qualified_name(l->key))
			gws_manifest__v_error(
			        v, key_field,
			        "%s is not a valid label key: use an optional DNS "
			        "subdomain prefix and '/', then a name of 1 to 63 letters, "
			        "digits, '-', '_' or '.', starting and ending with a letter "
			        "or digit",
			        gws_manifest__v_quote(v, l->key));
		if (l->value && !gws_manifest__is_label_value(l->value))
			gws_manifest__v_error(
			        v, key_field,
			        "%s is not a valid label value for %s: use at most 63 "
			        "letters, digits, '-', '_' or '.', starting and ending "
			        "with a letter or digit",
			        gws_manifest__v_quote(v, l->value),
			        gws_manifest__v_quote(v, l->key));
		gws_manifest__v_pop(v, m);
	}
	for (i = 0; i < sel->n_match_expressions; i++) {
		const gws_mf_label_requirement *r = &sel->match_expressions[i];
		size_t m = gws_manifest__v_push_index(v, "matchExpressions", i);
		bool needs_values = gws_manifest__str_eq(r->operator_, "In") ||
		                    gws_manifest__str_eq(r->operator_, "NotIn");

		if (gws_manifest__v_required(v, "key", r->key != NULL) &&
		    !gws_manifest__is_qualified_name(r->key))
			gws_manifest__v_error(
			        v, "key",
			        "%s is not a valid label key: use an optional DNS "
			        "subdomain prefix and '/', then a name of 1 to 63 letters, "
			        "digits, '-', '_' or '.', starting and ending with a letter "
			        "or digit",
			        gws_manifest__v_quote(v, r->key));
		if (gws_manifest__v_required(v, "operator", r->operator_ != NULL) &&
		    gws_manifest__v_enum(v, "operator", r->operator_, selector_operators)) {
			if (needs_values && r->n_values == 0)
				gws_manifest__v_error(
				        v, "values",
				        "must have at least 1 item when operator is %s",
				        r->operator_);
			else if (!needs_values && r->n_values > 0)
				gws_manifest__v_error(v, "values",
				                      "must be empty when operator is %s",
				                      r->operator_);
		}
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

/* ---- GatewayClass ---- */

void gws_manifest__validate_gateway_class(gws_manifest__vctx *v)
{
	const gws_mf_gateway_class *gc = v->obj->spec.gateway_class;
	size_t mark = gws_manifest__v_push(v, "spec");

	if (gws_manifest__v_required(v, "controllerName", gc->controller_name != NULL))
		gws_manifest__v_format(v, "controllerName", gc->controller_name,
		                       GWS_VFMT_CONTROLLER_NAME);
	gws_manifest__v_length(v, "description", gc->description, 0, 64);
	if (gc->parameters_ref) {
		const gws_mf_parameters_ref *p = gc->parameters_ref;
		size_t m = gws_manifest__v_push(v, "parametersRef");

		if (gws_manifest__v_required(v, "group", p->group != NULL))
			gws_manifest__v_format(v, "group", p->group, GWS_VFMT_GROUP);
		if (gws_manifest__v_required(v, "kind", p->kind != NULL))
			gws_manifest__v_format(v, "kind", p->kind, GWS_VFMT_KIND);
		if (gws_manifest__v_required(v, "name", p->name != NULL))
			gws_manifest__v_format(v, "name", p->name, GWS_VFMT_OBJECT_NAME);
		gws_manifest__v_format(v, "namespace", p->namespace_, GWS_VFMT_DNS_LABEL);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

/* ---- listeners ---- */

static void v_object_ref(gws_manifest__vctx *v, const gws_mf_object_ref *ref)
{
	gws_manifest__v_format(v, "group", ref->group, GWS_VFMT_GROUP);
	gws_manifest__v_format(v, "kind", ref->kind, GWS_VFMT_KIND);
	if (gws_manifest__v_required(v, "name", ref->name != NULL))
		gws_manifest__v_format(v, "name", ref->name, GWS_VFMT_OBJECT_NAME);
	gws_manifest__v_format(v, "namespace", ref->namespace_, GWS_VFMT_DNS_LABEL);
}

static void v_frontend_validation(gws_manifest__vctx *v, const char *field,
                                  const gws_mf_frontend_validation *fv)
{
	size_t mark, i;

	if (!fv)
		return;
	mark = gws_manifest__v_push(v, field);
	size_t n_cacertificaterefs =
	        gws_manifest__v_items(v, "caCertificateRefs", fv->n_ca_certificate_refs, 1, 16);
	for (i = 0; i < n_cacertificaterefs; i++) {
		size_t m = gws_manifest__v_push_index(v, "caCertificateRefs", i);

		v_object_ref(v, &fv->ca_certificate_refs[i]);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_enum(v, "mode", fv->mode, frontend_validation_modes);
	gws_manifest__v_pop(v, mark);
}

/*
 * Protocol comparisons of the listener CEL rules: exact on a Gateway,
 * case-insensitive on a ListenerSet (its rules use '(?i)' and lowerAscii()).
 */
static bool protocol_is(const char *protocol, const char *name, bool fold)
{
	if (!protocol)
		return false;
	return fold ? strcasecmp(protocol, name) == 0 : strcmp(protocol, name) == 0;
}

static void v_listener_tls(gws_manifest__vctx *v, const gws_mf_listener *l, bool fold)
{
	const gws_mf_listener_tls *tls = l->tls;
	size_t mark = gws_manifest__v_push(v, "tls"), i;
	bool mode_ok = gws_manifest__v_enum(v, "mode", tls->mode, tls_modes);

	if (mode_ok && protocol_is(l->protocol, "HTTPS", fold) &&
	    !gws_manifest__str_eq(tls->mode, "Terminate"))
		gws_manifest__v_error(v, "mode", "tls mode must be Terminate for protocol HTTPS");
	if (gws_manifest__str_eq(tls->mode, "Terminate") && tls->n_certificate_refs == 0 &&
	    tls->n_options == 0)
		gws_manifest__v_error(v, NULL,
		                      "certificateRefs or options must be specified when mode is "
		                      "Terminate");
	size_t n_certificaterefs =
	        gws_manifest__v_items(v, "certificateRefs", tls->n_certificate_refs, 0, 64);
	v_frontend_validation(v, "frontendValidation", tls->frontend_validation);
	for (i = 0; i < n_certificaterefs; i++) {
		size_t m = gws_manifest__v_push_index(v, "certificateRefs", i);

		v_object_ref(v, &tls->certificate_refs[i]);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_entries(v, "options", tls->n_options, 16);
	for (i = 0; i < tls->n_options; i++) {
		size_t m = gws_manifest__v_push(v, "options");

		gws_manifest__v_length(v, gws_manifest__key_field(tls->options[i].key),
		                       tls->options[i].value, 0, 4096);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

static void v_allowed_routes(gws_manifest__vctx *v, const gws_mf_allowed_routes *ar)
{
	size_t mark, i;

	if (!ar)
		return;
	mark = gws_manifest__v_push(v, "allowedRoutes");
	if (ar->namespaces) {
		size_t m = gws_manifest__v_push(v, "namespaces");

		gws_manifest__v_enum(v, "from", ar->namespaces->from, route_namespaces_from);
		gws_manifest__v_label_selector(v, "selector", ar->namespaces->selector);
		gws_manifest__v_pop(v, m);
	}
	size_t n_kinds = gws_manifest__v_items(v, "kinds", ar->n_kinds, 0, 8);
	for (i = 0; i < n_kinds; i++) {
		const gws_mf_route_group_kind *k = &ar->kinds[i];
		size_t m = gws_manifest__v_push_index(v, "kinds", i);

		gws_manifest__v_format(v, "group", k->group, GWS_VFMT_GROUP);
		if (gws_manifest__v_required(v, "kind", k->kind != NULL))
			gws_manifest__v_format(v, "kind", k->kind, GWS_VFMT_KIND);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

static void v_listener(gws_manifest__vctx *v, const gws_mf_listener *l, bool listener_set)
{
	bool tcp_udp = protocol_is(l->protocol, "TCP", listener_set) ||
	               protocol_is(l->protocol, "UDP", listener_set);
	/* Only the experimental XListenerSet left the port optional. */
	bool port_optional =
	        listener_set && gws_manifest__str_eq(v->obj->group, "gateway.networking.x-k8s.io");

	if (gws_manifest__v_required(v, "name", l->name != NULL))
		gws_manifest__v_format(v, "name", l->name, GWS_VFMT_DNS_SUBDOMAIN);
	gws_manifest__v_format(v, "hostname", l->hostname, GWS_VFMT_HOSTNAME);
	if (l->hostname && tcp_udp)
		gws_manifest__v_error(
		        v, "hostname",
		        "hostname must not be specified for protocols ['TCP', 'UDP']");
	if (port_optional || gws_manifest__v_required(v, "port", l->port.set))
		gws_manifest__v_range(v, "port", &l->port, 1, 65535);
	if (gws_manifest__v_required(v, "protocol", l->protocol != NULL))
		gws_manifest__v_format(v, "protocol", l->protocol, GWS_VFMT_PROTOCOL);

	if (l->tls && (protocol_is(l->protocol, "HTTP", listener_set) || tcp_udp))
		gws_manifest__v_error(
		        v, "tls", "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
	else if (l->tls)
		v_listener_tls(v, l, listener_set);
	else if (protocol_is(l->protocol, "TLS", listener_set))
		gws_manifest__v_error(v, NULL, "tls mode must be set for protocol TLS");
	v_allowed_routes(v, l->allowed_routes);
}

/* The listener identity of the uniqueness CEL: an unset hostname equals only an unset one. */
static bool same_endpoint(const gws_mf_listener *a, const gws_mf_listener *b, bool fold)
{
	if (a->port.set != b->port.set || (a->port.set && a->port.value != b->port.value))
		return false;
	if (!b->protocol || !protocol_is(a->protocol, b->protocol, fold))
		return false;
	if (!a->hostname || !b->hostname)
		return !a->hostname && !b->hostname;
	return strcmp(a->hostname, b->hostname) == 0;
}

void gws_manifest__v_listeners(gws_manifest__vctx *v, const gws_mf_listener *l, size_t n,
                               bool listener_set)
{
	size_t i, j;

	size_t n_listeners = gws_manifest__v_items(v, "listeners", n, 1, 64);
	for (i = 0; i < n_listeners; i++) {
		size_t mark = gws_manifest__v_push_index(v, "listeners", i);
		bool name_dup = false, endpoint_dup = false;

		v_listener(v, &l[i], listener_set);
		for (j = 0; j < i; j++) {
			name_dup = name_dup || gws_manifest__str_eq(l[i].name, l[j].name);
			/* ListenerSet's variant of the rule skips listeners without a port. */
			if (!listener_set || (l[i].port.set && l[j].port.set))
				endpoint_dup =
				        endpoint_dup || same_endpoint(&l[i], &l[j], listener_set);
		}
		if (name_dup)
			gws_manifest__v_error(v, "name",
			                      "Listener name must be unique within the Gateway");
		if (endpoint_dup)
			gws_manifest__v_error(v, NULL,
			                      "Combination of port, protocol and hostname must be "
			                      "unique for each listener");
		gws_manifest__v_pop(v, mark);
	}
}

/* ---- Gateway ---- */

static void v_addresses(gws_manifest__vctx *v, const gws_mf_gateway *gw)
{
	size_t i, j;

	size_t n_addresses = gws_manifest__v_items(v, "addresses", gw->n_addresses, 0, 16);
	for (i = 0; i < n_addresses; i++) {
		const gws_mf_gateway_address *a = &gw->addresses[i];
		size_t mark = gws_manifest__v_push_index(v, "addresses", i);
		bool dup = false;

		gws_manifest__v_format(v, "type", a->type, GWS_VFMT_ADDRESS_TYPE);
		gws_manifest__v_length(v, "value", a->value, 0, 253);
		if (gws_manifest__str_eq(a->type, "Hostname") && a->value && a->value[0] &&
		    !gws_manifest__is_hostname(a->value, true))
			gws_manifest__v_error(
			        v, "value",
			        "Hostname value must be empty or contain only valid characters "
			        "(matching "
			        "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-"
			        "z0-9])?)*$)");
		if (gws_manifest__str_eq(a->type, "IPAddress") && a->value && a->value[0] &&
		    !gws_manifest__is_ip(a->value))
			gws_manifest__v_warning(v, "value",
			                        "%s is not an IP address: the Gateway will not be "
			                        "accepted with it",
			                        gws_manifest__v_quote(v, a->value));
		for (j = 0; j < i && a->value && a->value[0]; j++)
			dup = dup || (gws_manifest__str_eq(a->type, gw->addresses[j].type) &&
			              gws_manifest__str_eq(a->value, gw->addresses[j].value));
		if (dup && gws_manifest__str_eq(a->type, "IPAddress"))
			gws_manifest__v_error(v, "value", "IPAddress values must be unique");
		else if (dup && gws_manifest__str_eq(a->type, "Hostname"))
			gws_manifest__v_error(v, "value", "Hostname values must be unique");
		gws_manifest__v_pop(v, mark);
	}
}

static void v_kv_keys(gws_manifest__vctx *v, const char *field, const gws_mf_kv *kv, size_t n,
                      size_t max, const char *what)
{
	size_t mark = gws_manifest__v_push(v, field), i;

	gws_manifest__v_entries(v, NULL, n, max);
	for (i = 0; i < n; i++) {
		const char *key_field = gws_manifest__key_field(kv[i].key);

		if (gws_manifest__is_qualified_name(kv[i].key))
			continue;
		if (key_field)
			gws_manifest__v_error(
			        v, key_field,
			        "%s keys must be in the form of an optional DNS "
			        "subdomain prefix followed by a required name segment "
			        "of up to 63 characters.",
			        what);
		else
			gws_manifest__v_error(
			        v, NULL,
			        "%s keys must be in the form of an optional DNS "
			        "subdomain prefix followed by a required name segment "
			        "of up to 63 characters. (key %s)",
			        what, gws_manifest__v_quote(v, kv[i].key));
	}
	gws_manifest__v_pop(v, mark);
}

static void v_infrastructure(gws_manifest__vctx *v, const gws_mf_infrastructure *inf)
{
	size_t mark;

	if (!inf)
		return;
	mark = gws_manifest__v_push(v, "infrastructure");
	v_kv_keys(v, "labels", inf->labels, inf->n_labels, 8, "Label");
	v_kv_keys(v, "annotations", inf->annotations, inf->n_annotations, 16, "Annotation");
	if (inf->parameters_ref) {
		const gws_mf_local_ref *p = inf->parameters_ref;
		size_t m = gws_manifest__v_push(v, "parametersRef");

		if (gws_manifest__v_required(v, "group", p->group != NULL))
			gws_manifest__v_format(v, "group", p->group, GWS_VFMT_GROUP);
		if (gws_manifest__v_required(v, "kind", p->kind != NULL))
			gws_manifest__v_format(v, "kind", p->kind, GWS_VFMT_KIND);
		if (gws_manifest__v_required(v, "name", p->name != NULL))
			gws_manifest__v_format(v, "name", p->name, GWS_VFMT_OBJECT_NAME);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

static void v_gateway_tls(gws_manifest__vctx *v, const gws_mf_gateway_tls *tls)
{
	size_t mark, i;

	if (!tls)
		return;
	mark = gws_manifest__v_push(v, "tls");
	if (tls->backend_client_certificate_ref) {
		size_t m = gws_manifest__v_push(v, "backend.clientCertificateRef");

		v_object_ref(v, tls->backend_client_certificate_ref);
		gws_manifest__v_pop(v, m);
	}
	v_frontend_validation(v, "frontend.default.validation", tls->frontend_default_validation);
	size_t n_perport =
	        gws_manifest__v_items(v, "frontend.perPort", tls->n_frontend_per_port, 0, 64);
	for (i = 0; i < n_perport; i++) {
		const gws_mf_tls_per_port *pp = &tls->frontend_per_port[i];
		size_t m = gws_manifest__v_push_index(v, "frontend.perPort", i);

		if (gws_manifest__v_required(v, "port", pp->port.set))
			gws_manifest__v_range(v, "port", &pp->port, 1, 65535);
		v_frontend_validation(v, "tls.validation", pp->validation);
		gws_manifest__v_pop(v, m);
	}
	gws_manifest__v_pop(v, mark);
}

void gws_manifest__validate_gateway(gws_manifest__vctx *v)
{
	const gws_mf_gateway *gw = v->obj->spec.gateway;
	size_t mark = gws_manifest__v_push(v, "spec");

	if (gws_manifest__v_required(v, "gatewayClassName", gw->gateway_class_name != NULL))
		gws_manifest__v_format(v, "gatewayClassName", gw->gateway_class_name,
		                       GWS_VFMT_OBJECT_NAME);
	gws_manifest__v_listeners(v, gw->listeners, gw->n_listeners, false);
	v_addresses(v, gw);
	v_infrastructure(v, gw->infrastructure);
	if (gw->allowed_listeners && gw->allowed_listeners->namespaces) {
		const gws_mf_route_namespaces *ns = gw->allowed_listeners->namespaces;
		size_t m = gws_manifest__v_push(v, "allowedListeners.namespaces");

		gws_manifest__v_enum(v, "from", ns->from, listener_namespaces_from);
		gws_manifest__v_label_selector(v, "selector", ns->selector);
		gws_manifest__v_pop(v, m);
	}
	v_gateway_tls(v, gw->tls);
	gws_manifest__v_pop(v, mark);
}

/* ---- ListenerSet ---- */

void gws_manifest__validate_listener_set(gws_manifest__vctx *v)
{
	const gws_mf_listener_set *ls = v->obj->spec.listener_set;
	size_t mark = gws_manifest__v_push(v, "spec");
	size_t m = gws_manifest__v_push(v, "parentRef");

	gws_manifest__v_format(v, "group", ls->parent_ref.group, GWS_VFMT_GROUP);
	gws_manifest__v_format(v, "kind", ls->parent_ref.kind, GWS_VFMT_KIND);
	gws_manifest__v_format(v, "namespace", ls->parent_ref.namespace_, GWS_VFMT_DNS_LABEL);
	if (gws_manifest__v_required(v, "name", ls->parent_ref.name != NULL))
		gws_manifest__v_format(v, "name", ls->parent_ref.name, GWS_VFMT_OBJECT_NAME);
	gws_manifest__v_pop(v, m);
	gws_manifest__v_listeners(v, ls->listeners, ls->n_listeners, true);
	gws_manifest__v_pop(v, mark);
}
