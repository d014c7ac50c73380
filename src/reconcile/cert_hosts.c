/*
 * The hostnames to discover an HTTPS/TLS listener's certificate for, when
 * the manifests give it none: the hostnames of the Gateway listeners on its
 * port, and the hostnames its rules serve (each attached route's hostnames,
 * already narrowed to the listener's). docs/reconcile.md, "Certificates
 * from ACM".
 */
#include <string.h>
#include <strings.h>

#include "reconcile/internal.h"

static bool tls_protocol(const char *p)
{
	return p && (strcasecmp(p, "HTTPS") == 0 || strcasecmp(p, "TLS") == 0);
}

static const gws_mf_gateway *gateway_spec(const gws_reconcile *r, const gws_model_stack *s)
{
	size_t n = gws_model_gateway_status_count(r->model);

	for (size_t i = 0; i < n; i++) {
		const gws_model_gateway_status *g = gws_model_gateway_status_at(r->model, i);
		const gws_manifest_object *o = g ? g->object : NULL;

		if (o && o->kind == GWS_KIND_GATEWAY && o->spec.gateway &&
		    gws_strcmp_null(o->meta.namespace_, s->gateway_namespace) == 0 &&
		    gws_strcmp_null(o->meta.name, s->gateway_name) == 0)
			return o->spec.gateway;
	}
	return NULL;
}

static int add_host(gws_vec *hosts, const char *h)
{
	if (!h || !*h)
		return 0;
	for (size_t i = 0; i < hosts->len; i++)
		if (strcasecmp(hosts->items[i], h) == 0)
			return 0;
	return gws_vec_push(hosts, (void *)h);
}

int rc_cert_hosts(gws_reconcile *r, const gws_model_stack *s, const gws_model_listener *l,
                  gws_model_strs *out)
{
	const gws_mf_gateway *gw = gateway_spec(r, s);
	gws_vec hosts = GWS_VEC_INIT;
	int rc = 0;

	out->items = NULL;
	out->n = 0;
	/* The Gateway listeners' own hostnames first: the certificate of the
	 * first one found becomes the listener's default certificate. */
	for (size_t i = 0; gw && i < gw->n_listeners && rc == 0; i++) {
		const gws_mf_listener *gl = &gw->listeners[i];

		if (gl->port.set && gl->port.value == l->port && tls_protocol(gl->protocol))
			rc = add_host(&hosts, gl->hostname);
	}
	for (size_t i = 0; i < l->n_rules && rc == 0; i++)
		for (size_t c = 0; c < l->rules[i]->n_conditions && rc == 0; c++) {
			const gws_model_condition *cond = &l->rules[i]->conditions[c];

			if (cond->field != GWS_MODEL_COND_HOST_HEADER)
				continue;
			for (size_t v = 0; v < cond->values.n && rc == 0; v++)
				rc = add_host(&hosts, cond->values.items[v]);
		}
	if (rc == 0 && hosts.len) {
		out->items = RC_NEWN(r, const char *, hosts.len);
		if (!out->items)
			rc = GWS_ENOMEM;
		else
			memcpy(out->items, hosts.items, hosts.len * sizeof(*out->items));
		out->n = out->items ? hosts.len : 0;
	}
	gws_vec_dispose(&hosts);
	return rc;
}
