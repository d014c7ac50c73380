/*
 * Certificates of an HTTPS (ALB) or TLS (NLB) listener that the
 * LoadBalancerConfiguration gives none: like LBC, gwsync then looks one up
 * in ACM by hostname. The lookup needs AWS, so the model only decides what
 * to look up, offline:
 *  - the hostnames are those of the Gateway listeners on the port and the
 *    effective hostnames of the routes attached to it, sorted and unique;
 *    they become listener->cert_discovery_hosts and a warning says that the
 *    certificate will be discovered at sync;
 *  - with no hostname at all there is nothing to look up, and CreateListener
 *    would fail: the listener is not built, and every Gateway listener on the
 *    port gets ResolvedRefs=False InvalidCertificateRef, Programmed=False
 *    Invalid and an error diagnostic (render and validate exit 4).
 * See docs/model.md, "Certificates".
 */
#include "model/build.h"

#include <string.h>

/* Hostnames named in the warning; the render document lists them all. */
#define MAX_HOSTS_SHOWN 16

static int host_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool tls_listener_on(const gws_model_glistener *gl, int port)
{
	return gl->valid && (int)gl->spec->port.value == port && gl->lb_protocol &&
	       (strcmp(gl->lb_protocol, "HTTPS") == 0 || strcmp(gl->lb_protocol, "TLS") == 0);
}

/* Listener hostnames on the port ∪ attached route hostnames, sorted, unique. */
static int collect_hosts(gws_model_ctx *ctx, gws_model_gwbuild *b, gws_model_port *port,
                         const char ***out, size_t *n_out)
{
	size_t cap = b->n_listeners, n = 0;
	const char **hosts;

	for (size_t i = 0; i < port->atts.len; i++)
		cap += ((gws_model_attachment *)port->atts.items[i])->hostnames.n;
	if ((hosts = gws_arena_calloc(ctx->arena, cap + 1, sizeof(*hosts))) == NULL)
		return GWS_ENOMEM;
	for (size_t i = 0; i < b->n_listeners; i++)
		if (tls_listener_on(&b->listeners[i], port->port) &&
		    b->listeners[i].spec->hostname && b->listeners[i].spec->hostname[0])
			hosts[n++] = b->listeners[i].spec->hostname;
	for (size_t i = 0; i < port->atts.len; i++) {
		const gws_model_attachment *a = port->atts.items[i];
		for (size_t j = 0; j < a->hostnames.n; j++)
			if (a->hostnames.items[j] && a->hostnames.items[j][0])
				hosts[n++] = a->hostnames.items[j];
	}
	gws_qsort(hosts, n, sizeof(*hosts), host_cmp);
	*out = hosts;
	*n_out = n;
	return gws_model__strs_unique(hosts, n_out);
}

static int no_hostname(gws_model_ctx *ctx, gws_model_gwbuild *b, const gws_model_listener *lis)
{
	for (size_t i = 0; i < b->n_listeners; i++) {
		gws_model_glistener *gl = &b->listeners[i];
		char *path;
		if (!tls_listener_on(gl, lis->port))
			continue;
		gws_model__set_condition(ctx, &gl->status->conditions, GWS_COND_RESOLVED_REFS,
		                         "False", GWS_REASON_INVALID_CERTIFICATE_REF,
		                         "no certificate for %s:%d: the LoadBalancerConfiguration "
		                         "gives none and no hostname names one to discover in ACM",
		                         lis->protocol, lis->port);
		gws_model__set_condition(ctx, &gl->status->conditions, GWS_COND_PROGRAMMED, "False",
		                         GWS_REASON_INVALID,
		                         "no listener on port %d: no certificate", lis->port);
		if ((path = gws_model__printf(ctx, "spec.listeners[%zu]", gl->index)) == NULL)
			return GWS_ENOMEM;
		if (gws_manifest_diag(
		            ctx->diags, ctx->gateway, GWS_DIAG_ERROR, path,
		            "listener %s: %s:%d has no certificate: set defaultCertificate "
		            "in the LoadBalancerConfiguration listenerConfigurations entry "
		            "%s:%d, or give the listener or its routes a hostname so that "
		            "gwsync finds the certificate in ACM (tls.certificateRefs are "
		            "not read, as with LBC)",
		            gl->spec->name ? gl->spec->name : "", lis->protocol, lis->port,
		            lis->protocol, lis->port) < 0)
			return GWS_ENOMEM;
	}
	return 0;
}

static int will_discover(gws_model_ctx *ctx, gws_model_gwbuild *b, const gws_model_listener *lis)
{
	gws_buf names = GWS_BUF_INIT(1 << 16);
	size_t first = b->n_listeners, shown = lis->n_cert_discovery_hosts;
	int error = 0;

	if (shown > MAX_HOSTS_SHOWN)
		shown = MAX_HOSTS_SHOWN;
	for (size_t i = 0; i < shown && error == 0; i++)
		error = gws_buf_printf(&names, "%s%s", i ? ", " : "", lis->cert_discovery_hosts[i]);
	if (error == 0 && shown < lis->n_cert_discovery_hosts)
		error = gws_buf_printf(&names, " and %zu more",
		                       lis->n_cert_discovery_hosts - shown);
	for (size_t i = 0; i < b->n_listeners && first == b->n_listeners; i++)
		if (tls_listener_on(&b->listeners[i], lis->port))
			first = i;
	if (error == 0)
		error = gws_manifest_diag(
		        ctx->diags, ctx->gateway, GWS_DIAG_WARNING,
		        first < b->n_listeners
		                ? gws_model__printf(ctx, "spec.listeners[%zu]", first)
		                : "spec.listeners",
		        "%s:%d has no certificate in the LoadBalancerConfiguration: gwsync sync "
		        "will discover it in ACM for %s",
		        lis->protocol, lis->port, gws_buf_cstr(&names));
	gws_buf_dispose(&names);
	return error < 0 ? error : 0;
}

int gws_model__certificate_discovery(gws_model_ctx *ctx, gws_model_gwbuild *b, gws_model_port *port,
                                     gws_model_listener *lis, bool *ok)
{
	const char **hosts = NULL;
	size_t n = 0;
	int error;

	*ok = false;
	if ((error = collect_hosts(ctx, b, port, &hosts, &n)) < 0)
		return error;
	if (n == 0)
		return no_hostname(ctx, b, lis);
	lis->cert_discovery_hosts = hosts;
	lis->n_cert_discovery_hosts = n;
	*ok = true;
	return will_discover(ctx, b, lis);
}
