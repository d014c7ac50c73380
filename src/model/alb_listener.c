/*
 * TLS settings and attributes of one ALB listener from the merged
 * LoadBalancerConfiguration listenerConfigurations entry for its
 * protocol:port (docs/lbc-mapping.md, "ALB listeners").
 *
 * HTTPS: certificates are [defaultCertificate] + certificates (the first is
 * the listener default, all are also added as extra certificates); the SSL
 * policy defaults to ELBSecurityPolicy-2016-08; mutual TLS as written, with
 * ignoreClientCertificateExpiry defaulting to false in verify mode.
 * Choices of ours:
 *  - an HTTPS listener without certificates gets them from ACM at sync, by
 *    hostname, as with LBC (certs.c decides which hostnames, offline);
 *  - ALB has no ALPN policy (AWS takes AlpnPolicy on NLB TLS listeners only,
 *    and LBC sets it for TLS only): an alpnPolicy other than None on an ALB
 *    entry is left out with a warning, as are certificates, SSL policy and
 *    mutual TLS on an HTTP listener.
 */
#include "model/alb.h"

#include <string.h>

#define ALB_DEFAULT_SSL_POLICY "ELBSecurityPolicy-2016-08"

/* The LoadBalancerConfiguration object and index holding `lc`, for a positioned warning. */
static const gws_manifest_object *lc_origin(gws_model_ctx *ctx, const gws_mf_lb_listener_config *lc,
                                            size_t *index)
{
	size_t n = gws_manifest_count(ctx->store, GWS_KIND_LOAD_BALANCER_CONFIGURATION);

	for (size_t i = 0; i < n; i++) {
		const gws_manifest_object *o =
		        gws_manifest_at(ctx->store, GWS_KIND_LOAD_BALANCER_CONFIGURATION, i);
		const gws_mf_lb_config *c = o->spec.lb_config;
		for (size_t j = 0; c && j < c->n_listener_configurations; j++)
			if (&c->listener_configurations[j] == lc) {
				*index = j;
				return o;
			}
	}
	return NULL;
}

static int warn(gws_model_ctx *ctx, const gws_mf_lb_listener_config *lc, const char *field,
                const char *what, const gws_model_listener *listener)
{
	size_t i = 0;
	const gws_manifest_object *o = lc_origin(ctx, lc, &i);
	char *path =
	        o ? gws_model__printf(ctx, "spec.listenerConfigurations[%zu].%s", i, field) : NULL;

	if (o && path)
		return gws_manifest_diag(ctx->diags, o, GWS_DIAG_WARNING, path,
		                         "%s is ignored on %s listener %d", what,
		                         listener->protocol, listener->port);
	return gws_diag_add(ctx->diags, GWS_DIAG_WARNING, NULL, 0, 0, NULL, NULL,
	                    "LoadBalancerConfiguration listenerConfigurations %s: %s is ignored "
	                    "on %s listener %d",
	                    lc->protocol_port ? lc->protocol_port : "", what, listener->protocol,
	                    listener->port);
}

static int certificates(gws_model_ctx *ctx, gws_model_listener *listener,
                        const gws_mf_lb_listener_config *lc)
{
	size_t n = 0, cap = lc ? lc->n_certificates + 1 : 0;

	if (cap == 0)
		return 0;
	listener->certificates.items = gws_arena_calloc(ctx->arena, cap, sizeof(char *));
	if (listener->certificates.items == NULL)
		return GWS_ENOMEM;
	if (lc->default_certificate)
		listener->certificates.items[n++] = lc->default_certificate;
	for (size_t i = 0; i < lc->n_certificates; i++)
		listener->certificates.items[n++] = lc->certificates[i];
	listener->certificates.n = n;
	return gws_model__strs_unique(listener->certificates.items, &listener->certificates.n);
}

static int mutual_auth(gws_model_ctx *ctx, gws_model_listener *listener,
                       const gws_mf_mutual_auth *in)
{
	gws_model_mutual_auth *out = gws_arena_calloc(ctx->arena, 1, sizeof(*out));

	if (out == NULL)
		return GWS_ENOMEM;
	out->mode = in->mode ? in->mode : "off";
	if (strcmp(out->mode, "verify") == 0) {
		out->trust_store = in->trust_store;
		out->has_ignore_client_certificate_expiry = true;
		out->ignore_client_certificate_expiry = in->ignore_client_certificate_expiry.set &&
		                                        in->ignore_client_certificate_expiry.value;
		out->advertise_trust_store_ca_names = in->advertise_trust_store_ca_names;
	}
	listener->mutual_auth = out;
	return 0;
}

int gws_model__alb_listener_config(gws_model_ctx *ctx, gws_model_stack *stack,
                                   gws_model_listener *listener, const gws_mf_lb_config *cfg)
{
	const gws_mf_lb_listener_config *lc =
	        cfg ? gws_model__listener_config_for(cfg, listener->protocol, listener->port)
	            : NULL;
	bool https = strcmp(listener->protocol, "HTTPS") == 0;
	int error;

	(void)stack;
	if (lc && (error = gws_model__kvs_from(ctx, &listener->attributes, lc->listener_attributes,
	                                       lc->n_listener_attributes)) < 0)
		return error;
	/* ALB listeners take no ALPN policy (AWS: NLB TLS listeners only). */
	if (lc && lc->alpn_policy && strcmp(lc->alpn_policy, "None") != 0 &&
	    (error = warn(ctx, lc, "alpnPolicy", "alpnPolicy (NLB TLS listeners only)", listener)) <
	            0)
		return error;
	if (!https) {
		if (lc && (lc->default_certificate || lc->n_certificates) &&
		    (error = warn(ctx, lc,
		                  lc->default_certificate ? "defaultCertificate" : "certificates",
		                  "a certificate", listener)) < 0)
			return error;
		if (lc && lc->ssl_policy &&
		    (error = warn(ctx, lc, "sslPolicy", "sslPolicy", listener)) < 0)
			return error;
		if (lc && lc->mutual_authentication &&
		    (error = warn(ctx, lc, "mutualAuthentication", "mutualAuthentication",
		                  listener)) < 0)
			return error;
		return 0;
	}
	listener->ssl_policy = lc && lc->ssl_policy ? lc->ssl_policy : ALB_DEFAULT_SSL_POLICY;
	if ((error = certificates(ctx, listener, lc)) < 0)
		return error;
	if (lc && lc->mutual_authentication &&
	    (error = mutual_auth(ctx, listener, lc->mutual_authentication)) < 0)
		return error;
	return 0;
}
