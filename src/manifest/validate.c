/*
 * Entry point of the validation rules: walks every object of the store and
 * runs the metadata rules plus the rules of its kind. The rules re-create
 * what the CRD OpenAPI schemas and CEL rules (and the core API server, for
 * Service and Namespace) would reject, since gwsync has no API server.
 */
#include "manifest/validate.h"
#include "manifest/validate_util.h"

typedef void (*kind_rules)(gws_manifest__vctx *v);

static kind_rules rules_for(gws_manifest_kind kind)
{
	switch (kind) {
	case GWS_KIND_GATEWAY_CLASS:
		return gws_manifest__validate_gateway_class;
	case GWS_KIND_GATEWAY:
		return gws_manifest__validate_gateway;
	case GWS_KIND_HTTP_ROUTE:
		return gws_manifest__validate_http_route;
	case GWS_KIND_GRPC_ROUTE:
		return gws_manifest__validate_grpc_route;
	case GWS_KIND_TCP_ROUTE:
	case GWS_KIND_UDP_ROUTE:
	case GWS_KIND_TLS_ROUTE:
		return gws_manifest__validate_l4_route;
	case GWS_KIND_REFERENCE_GRANT:
		return gws_manifest__validate_reference_grant;
	case GWS_KIND_LISTENER_SET:
		return gws_manifest__validate_listener_set;
	case GWS_KIND_SERVICE:
		return gws_manifest__validate_service;
	case GWS_KIND_LOAD_BALANCER_CONFIGURATION:
		return gws_manifest__validate_lb_config;
	case GWS_KIND_TARGET_GROUP_CONFIGURATION:
		return gws_manifest__validate_tg_config;
	case GWS_KIND_LISTENER_RULE_CONFIGURATION:
		return gws_manifest__validate_lrc_config;
	case GWS_KIND_NAMESPACE:
	case GWS_KIND__COUNT:
		break;
	}
	return NULL;
}

int gws_manifest__validate(gws_manifest_store *store, gws_diag_list *diags)
{
	gws_manifest__vctx v;
	size_t loader_diags = diags->count;
	int kind;

	for (kind = 0; kind < GWS_KIND__COUNT; kind++) {
		kind_rules rules = rules_for((gws_manifest_kind)kind);
		size_t i, n = gws_manifest_count(store, (gws_manifest_kind)kind);

		for (i = 0; i < n; i++) {
			const gws_manifest_object *obj =
			        gws_manifest_at(store, (gws_manifest_kind)kind, i);

			gws_manifest__v_init(&v, diags, loader_diags, obj);
			/* A spec the loader could not read has been reported already. */
			if (gws_manifest__validate_meta(&v) && rules && obj->spec.any)
				rules(&v);
			if (v.error < 0)
				return v.error;
		}
	}
	return 0;
}
