/*
 * The DESIGN.md §4 render document. Keys are inserted in a fixed order and
 * jansson keeps insertion order, so the output is byte-identical for an
 * identical model. ELBv2 shapes use the API member names.
 */
#include "model/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	bool failed;
} rctx;

static json_t *jstr(rctx *r, const char *s)
{
	json_t *v;
	if (!s)
		return json_null();
	v = json_string(s);
	if (!v)
		v = json_string("\xef\xbf\xbd"); /* not UTF-8: a replacement character */
	if (!v)
		r->failed = true;
	return v;
}

static json_t *jint(rctx *r, long long i)
{
	json_t *v = json_integer(i);
	if (!v)
		r->failed = true;
	return v;
}

static json_t *jobj(rctx *r)
{
	json_t *v = json_object();
	if (!v)
		r->failed = true;
	return v;
}

static json_t *jarr(rctx *r)
{
	json_t *v = json_array();
	if (!v)
		r->failed = true;
	return v;
}

static void set(rctx *r, json_t *o, const char *key, json_t *v)
{
	if (!o || !v || json_object_set_new(o, key, v) < 0) {
		r->failed = true;
		json_decref(v);
	}
}

/* Only when the value is present. */
static void set_opt_str(rctx *r, json_t *o, const char *key, const char *s)
{
	if (s)
		set(r, o, key, jstr(r, s));
}

static void push(rctx *r, json_t *a, json_t *v)
{
	if (!a || !v || json_array_append_new(a, v) < 0) {
		r->failed = true;
		json_decref(v);
	}
}

static json_t *jkvs(rctx *r, const gws_model_kvs *kvs)
{
	json_t *o = jobj(r);
	size_t i;
	for (i = 0; i < kvs->n; i++)
		set(r, o, kvs->items[i].key, jstr(r, kvs->items[i].value));
	return o;
}

static json_t *jstrs(rctx *r, const gws_model_strs *s)
{
	json_t *a = jarr(r);
	size_t i;
	for (i = 0; i < s->n; i++)
		push(r, a, jstr(r, s->items[i]));
	return a;
}

/* ---- conditions, actions, transforms ---------------------------------------- */

static json_t *jcondition(rctx *r, const gws_model_condition *c)
{
	json_t *o = jobj(r), *cfg = jobj(r);
	const char *cfg_name = NULL;
	size_t i;

	set(r, o, "Field", jstr(r, gws_model_condition_field_name(c->field)));
	switch (c->field) {
	case GWS_MODEL_COND_HOST_HEADER:
		cfg_name = "HostHeaderConfig";
		break;
	case GWS_MODEL_COND_PATH_PATTERN:
		cfg_name = "PathPatternConfig";
		break;
	case GWS_MODEL_COND_HTTP_HEADER:
		cfg_name = "HttpHeaderConfig";
		set(r, cfg, "HttpHeaderName", jstr(r, c->http_header_name));
		break;
	case GWS_MODEL_COND_QUERY_STRING:
		cfg_name = "QueryStringConfig";
		break;
	case GWS_MODEL_COND_HTTP_REQUEST_METHOD:
		cfg_name = "HttpRequestMethodConfig";
		break;
	case GWS_MODEL_COND_SOURCE_IP:
		cfg_name = "SourceIpConfig";
		break;
	}
	if (c->field == GWS_MODEL_COND_QUERY_STRING) {
		json_t *vals = jarr(r);
		for (i = 0; i < c->n_query_values; i++) {
			json_t *kv = jobj(r);
			set_opt_str(r, kv, "Key", c->query_values[i].key);
			set(r, kv, "Value", jstr(r, c->query_values[i].value));
			push(r, vals, kv);
		}
		set(r, cfg, "Values", vals);
	} else {
		if (c->values.n || !c->regex_values.n)
			set(r, cfg, "Values", jstrs(r, &c->values));
		if (c->regex_values.n)
			set(r, cfg, "RegexValues", jstrs(r, &c->regex_values));
	}
	set(r, o, cfg_name ? cfg_name : "Config", cfg);
	return o;
}

static json_t *jauth(rctx *r, const gws_model_authenticate_config *a, bool oidc)
{
	json_t *o = jobj(r);
	if (oidc) {
		set_opt_str(r, o, "Issuer", a->issuer);
		set_opt_str(r, o, "AuthorizationEndpoint", a->authorization_endpoint);
		set_opt_str(r, o, "TokenEndpoint", a->token_endpoint);
		set_opt_str(r, o, "UserInfoEndpoint", a->user_info_endpoint);
		/* The client id and secret stay in their Secret; only its name is shown. */
		set_opt_str(r, o, "ClientSecretRef", a->client_secret_ref);
		if (a->use_existing_client_secret)
			set(r, o, "UseExistingClientSecret", json_true());
	} else {
		set_opt_str(r, o, "UserPoolArn", a->user_pool_arn);
		set_opt_str(r, o, "UserPoolClientId", a->user_pool_client_id);
		set_opt_str(r, o, "UserPoolDomain", a->user_pool_domain);
	}
	set_opt_str(r, o, "Scope", a->scope);
	set_opt_str(r, o, "SessionCookieName", a->session_cookie_name);
	if (a->has_session_timeout)
		set(r, o, "SessionTimeout", jint(r, a->session_timeout));
	set_opt_str(r, o, "OnUnauthenticatedRequest", a->on_unauthenticated_request);
	if (a->extra_params.n)
		set(r, o, "AuthenticationRequestExtraParams", jkvs(r, &a->extra_params));
	return o;
}

static json_t *jaction(rctx *r, const gws_model_action *a)
{
	json_t *o = jobj(r);
	size_t i;

	set(r, o, "Type", jstr(r, gws_model_action_type_name(a->type)));
	set(r, o, "Order", jint(r, a->order));
	if (a->forward) {
		json_t *fc = jobj(r), *tgs = jarr(r);
		for (i = 0; i < a->forward->n_target_groups; i++) {
			const gws_model_tg_tuple *t = &a->forward->target_groups[i];
			json_t *tj = jobj(r);
			set(r, tj, "TargetGroupRef", jstr(r, t->target_group_id));
			if (t->has_weight)
				set(r, tj, "Weight", jint(r, t->weight));
			push(r, tgs, tj);
		}
		set(r, fc, "TargetGroups", tgs);
		if (a->forward->has_stickiness) {
			json_t *st = jobj(r);
			set(r, st, "Enabled", json_boolean(a->forward->stickiness_enabled));
			if (a->forward->has_stickiness_duration)
				set(r, st, "DurationSeconds",
				    jint(r, a->forward->stickiness_duration_seconds));
			set(r, fc, "TargetGroupStickinessConfig", st);
		}
		set(r, o, "ForwardConfig", fc);
	}
	if (a->redirect) {
		json_t *rc = jobj(r);
		set_opt_str(r, rc, "Protocol", a->redirect->protocol);
		set_opt_str(r, rc, "Port", a->redirect->port);
		set_opt_str(r, rc, "Host", a->redirect->host);
		set_opt_str(r, rc, "Path", a->redirect->path);
		set_opt_str(r, rc, "Query", a->redirect->query);
		set_opt_str(r, rc, "StatusCode", a->redirect->status_code);
		set(r, o, "RedirectConfig", rc);
	}
	if (a->fixed_response) {
		json_t *fr = jobj(r);
		set_opt_str(r, fr, "StatusCode", a->fixed_response->status_code);
		set_opt_str(r, fr, "ContentType", a->fixed_response->content_type);
		set_opt_str(r, fr, "MessageBody", a->fixed_response->message_body);
		set(r, o, "FixedResponseConfig", fr);
	}
	if (a->authenticate_oidc)
		set(r, o, "AuthenticateOidcConfig", jauth(r, a->authenticate_oidc, true));
	if (a->authenticate_cognito)
		set(r, o, "AuthenticateCognitoConfig", jauth(r, a->authenticate_cognito, false));
	if (a->jwt_validation) {
		json_t *jv = jobj(r), *claims = jarr(r);
		set_opt_str(r, jv, "JwksEndpoint", a->jwt_validation->jwks_endpoint);
		set_opt_str(r, jv, "Issuer", a->jwt_validation->issuer);
		for (i = 0; i < a->jwt_validation->n_additional_claims; i++) {
			const gws_model_jwt_claim *c = &a->jwt_validation->additional_claims[i];
			json_t *cj = jobj(r);
			set_opt_str(r, cj, "Format", c->format);
			set_opt_str(r, cj, "Name", c->name);
			set(r, cj, "Values", jstrs(r, &c->values));
			push(r, claims, cj);
		}
		if (a->jwt_validation->n_additional_claims)
			set(r, jv, "AdditionalClaims", claims);
		else
			json_decref(claims);
		set(r, o, "JwtValidationConfig", jv);
	}
	return o;
}

static json_t *jactions(rctx *r, const gws_model_action *a, size_t n)
{
	json_t *arr = jarr(r);
	size_t i;
	for (i = 0; i < n; i++)
		push(r, arr, jaction(r, &a[i]));
	return arr;
}

static json_t *jtransform(rctx *r, const gws_model_transform *t)
{
	json_t *o = jobj(r), *cfg = jobj(r), *rw = jarr(r);
	size_t i;
	set(r, o, "Type", jstr(r, gws_model_transform_type_name(t->type)));
	for (i = 0; i < t->n_rewrites; i++) {
		json_t *x = jobj(r);
		set(r, x, "Regex", jstr(r, t->rewrites[i].regex));
		set(r, x, "Replace", jstr(r, t->rewrites[i].replace));
		push(r, rw, x);
	}
	set(r, cfg, "Rewrites", rw);
	set(r, o,
	    t->type == GWS_MODEL_TRANSFORM_HOST_HEADER_REWRITE ? "HostHeaderRewriteConfig"
	                                                       : "UrlRewriteConfig",
	    cfg);
	return o;
}

/* ---- stack ---------------------------------------------------------------------- */

static json_t *jsubnets(rctx *r, const gws_model_subnets *s)
{
	json_t *o = jobj(r);
	size_t i;
	switch (s->mode) {
	case GWS_MODEL_SUBNETS_DISCOVER:
		set(r, o, "mode", jstr(r, "discover"));
		break;
	case GWS_MODEL_SUBNETS_EXPLICIT: {
		json_t *arr = jarr(r);
		set(r, o, "mode", jstr(r, "explicit"));
		for (i = 0; i < s->n_subnets; i++) {
			json_t *x = jobj(r);
			set(r, x, "identifier", jstr(r, s->subnets[i].identifier));
			set_opt_str(r, x, "eipAllocation", s->subnets[i].eip_allocation);
			set_opt_str(r, x, "privateIPv4Allocation",
			            s->subnets[i].private_ipv4_allocation);
			set_opt_str(r, x, "ipv6Allocation", s->subnets[i].ipv6_allocation);
			set_opt_str(r, x, "sourceNatIPv6Prefix",
			            s->subnets[i].source_nat_ipv6_prefix);
			push(r, arr, x);
		}
		set(r, o, "subnets", arr);
		break;
	}
	case GWS_MODEL_SUBNETS_SELECTOR: {
		json_t *sel = jobj(r);
		set(r, o, "mode", jstr(r, "selector"));
		for (i = 0; i < s->n_selector; i++)
			set(r, sel, s->selector[i].key, jstrs(r, &s->selector[i].values));
		set(r, o, "selector", sel);
		break;
	}
	}
	return o;
}

static json_t *jsgs(rctx *r, const gws_model_security_groups *sg)
{
	json_t *o = jobj(r);
	size_t i;
	switch (sg->mode) {
	case GWS_MODEL_SG_NONE:
		set(r, o, "mode", jstr(r, "none"));
		break;
	case GWS_MODEL_SG_EXPLICIT:
		set(r, o, "mode", jstr(r, "explicit"));
		set(r, o, "groups", jstrs(r, &sg->groups));
		set(r, o, "manageBackendSecurityGroupRules",
		    json_boolean(sg->manage_backend_rules));
		break;
	case GWS_MODEL_SG_MANAGED: {
		json_t *ing = jarr(r);
		set(r, o, "mode", jstr(r, "managed"));
		set(r, o, "id", jstr(r, sg->id));
		set(r, o, "name", jstr(r, sg->name));
		set(r, o, "description", jstr(r, sg->description));
		for (i = 0; i < sg->n_ingress; i++) {
			const gws_model_sg_ingress *g = &sg->ingress[i];
			json_t *x = jobj(r);
			set(r, x, "IpProtocol", jstr(r, g->ip_protocol));
			set(r, x, "FromPort", jint(r, g->from_port));
			set(r, x, "ToPort", jint(r, g->to_port));
			set_opt_str(r, x, "CidrIp", g->cidr_ipv4);
			set_opt_str(r, x, "CidrIpv6", g->cidr_ipv6);
			set_opt_str(r, x, "PrefixListId", g->prefix_list_id);
			push(r, ing, x);
		}
		set(r, o, "ingress", ing);
		set(r, o, "tags", jkvs(r, &sg->tags));
		break;
	}
	}
	return o;
}

static json_t *jlb(rctx *r, const gws_model_load_balancer *lb)
{
	json_t *o = jobj(r);
	set(r, o, "id", jstr(r, lb->id));
	set(r, o, "name", jstr(r, lb->name));
	set(r, o, "type", jstr(r, gws_model_lb_type_name(lb->type)));
	set(r, o, "scheme", jstr(r, lb->scheme));
	set(r, o, "ipAddressType", jstr(r, lb->ip_address_type));
	set(r, o, "subnets", jsubnets(r, &lb->subnets));
	set(r, o, "securityGroups", jsgs(r, &lb->security_groups));
	set_opt_str(r, o, "customerOwnedIpv4Pool", lb->customer_owned_ipv4_pool);
	set_opt_str(r, o, "ipv4IpamPoolId", lb->ipv4_ipam_pool_id);
	set_opt_str(r, o, "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
	            lb->enforce_sg_inbound_rules_on_private_link);
	set(r, o, "attributes", jkvs(r, &lb->attributes));
	set(r, o, "tags", jkvs(r, &lb->tags));
	return o;
}

static json_t *jrule(rctx *r, const gws_model_rule *rule)
{
	json_t *o = jobj(r), *conds = jarr(r), *trs = jarr(r);
	size_t i;
	set(r, o, "id", jstr(r, rule->id));
	set(r, o, "priority", jint(r, rule->priority));
	for (i = 0; i < rule->n_conditions; i++)
		push(r, conds, jcondition(r, &rule->conditions[i]));
	set(r, o, "conditions", conds);
	set(r, o, "actions", jactions(r, rule->actions, rule->n_actions));
	for (i = 0; i < rule->n_transforms; i++)
		push(r, trs, jtransform(r, &rule->transforms[i]));
	set(r, o, "transforms", trs);
	set(r, o, "tags", jkvs(r, &rule->tags));
	return o;
}

static json_t *jlistener(rctx *r, const gws_model_listener *l)
{
	json_t *o = jobj(r), *rules = jarr(r);
	size_t i;
	set(r, o, "id", jstr(r, l->id));
	set(r, o, "port", jint(r, l->port));
	set(r, o, "protocol", jstr(r, l->protocol));
	set(r, o, "defaultActions", jactions(r, l->default_actions, l->n_default_actions));
	set(r, o, "certificates", jstrs(r, &l->certificates));
	set(r, o, "sslPolicy", jstr(r, l->ssl_policy));
	set(r, o, "alpnPolicy", jstr(r, l->alpn_policy));
	if (l->mutual_auth) {
		json_t *m = jobj(r);
		set(r, m, "Mode", jstr(r, l->mutual_auth->mode));
		set_opt_str(r, m, "TrustStore", l->mutual_auth->trust_store);
		if (l->mutual_auth->has_ignore_client_certificate_expiry)
			set(r, m, "IgnoreClientCertificateExpiry",
			    json_boolean(l->mutual_auth->ignore_client_certificate_expiry));
		set_opt_str(r, m, "AdvertiseTrustStoreCaNames",
		            l->mutual_auth->advertise_trust_store_ca_names);
		set(r, o, "mutualAuthentication", m);
	} else {
		set(r, o, "mutualAuthentication", json_null());
	}
	set(r, o, "attributes", jkvs(r, &l->attributes));
	set(r, o, "tags", jkvs(r, &l->tags));
	for (i = 0; i < l->n_rules; i++)
		push(r, rules, jrule(r, l->rules[i]));
	set(r, o, "rules", rules);
	return o;
}

static json_t *jtg(rctx *r, const gws_model_target_group *tg)
{
	json_t *o = jobj(r), *hc = jobj(r), *be = jobj(r);
	const gws_model_health_check *h = &tg->health_check;
	set(r, o, "id", jstr(r, tg->id));
	set(r, o, "name", jstr(r, tg->name));
	set(r, o, "protocol", jstr(r, tg->protocol));
	set(r, o, "protocolVersion", jstr(r, tg->protocol_version));
	set(r, o, "port", jint(r, tg->port));
	set(r, o, "targetType", jstr(r, tg->target_type));
	set(r, o, "ipAddressType", jstr(r, tg->ip_address_type));
	if (tg->has_target_control_port)
		set(r, o, "targetControlPort", jint(r, tg->target_control_port));
	set(r, hc, "protocol", jstr(r, h->protocol));
	set(r, hc, "port", jstr(r, h->port));
	set(r, hc, "path", jstr(r, h->path));
	set(r, hc, "httpCode", jstr(r, h->matcher_http_code));
	set(r, hc, "grpcCode", jstr(r, h->matcher_grpc_code));
	set(r, hc, "intervalSeconds", jint(r, h->interval_seconds));
	set(r, hc, "timeoutSeconds", jint(r, h->timeout_seconds));
	set(r, hc, "healthyThresholdCount", jint(r, h->healthy_threshold));
	set(r, hc, "unhealthyThresholdCount", jint(r, h->unhealthy_threshold));
	set(r, o, "healthCheck", hc);
	set(r, o, "attributes", jkvs(r, &tg->attributes));
	set(r, o, "tags", jkvs(r, &tg->tags));
	set(r, be, "kind", jstr(r, tg->backend.kind));
	set(r, be, "namespace", jstr(r, tg->backend.namespace_));
	set(r, be, "name", jstr(r, tg->backend.name));
	set(r, be, "port", jint(r, tg->backend.port));
	set(r, o, "backend", be);
	return o;
}

static json_t *jstack(rctx *r, const gws_model_stack *s)
{
	json_t *o = jobj(r), *ls = jarr(r), *tgs = jarr(r);
	size_t i;
	set(r, o, "gateway", jstr(r, s->gateway));
	if (s->blocked)
		set(r, o, "blocked", jstr(r, s->blocked));
	set(r, o, "loadBalancer", jlb(r, &s->load_balancer));
	for (i = 0; i < s->n_listeners; i++)
		push(r, ls, jlistener(r, s->listeners[i]));
	set(r, o, "listeners", ls);
	for (i = 0; i < s->n_target_groups; i++)
		push(r, tgs, jtg(r, s->target_groups[i]));
	set(r, o, "targetGroups", tgs);
	return o;
}

/* ---- status ----------------------------------------------------------------------- */

static json_t *jconds(rctx *r, const gws_model_conditions *c, const gws_manifest_object *obj)
{
	json_t *arr = jarr(r);
	size_t i;
	for (i = 0; i < c->n; i++) {
		json_t *x = jobj(r);
		set(r, x, "type", jstr(r, c->items[i].type));
		set(r, x, "status", jstr(r, c->items[i].status));
		set(r, x, "reason", jstr(r, c->items[i].reason));
		set(r, x, "message", jstr(r, c->items[i].message ? c->items[i].message : ""));
		if (obj && obj->meta.generation.set)
			set(r, x, "observedGeneration", jint(r, obj->meta.generation.value));
		push(r, arr, x);
	}
	return arr;
}

static json_t *jstatus_obj(rctx *r, const gws_manifest_object *obj, json_t *status)
{
	json_t *o = jobj(r);
	set(r, o, "kind", jstr(r, gws_manifest_kind_name(obj->kind)));
	if (obj->meta.namespace_)
		set(r, o, "namespace", jstr(r, obj->meta.namespace_));
	set(r, o, "name", jstr(r, obj->meta.name));
	set(r, o, "status", status);
	return o;
}

static json_t *jstatus(rctx *r, const gws_model *m)
{
	json_t *o = jobj(r), *gcs = jarr(r), *gws = jarr(r), *routes = jarr(r);
	size_t i, j, k;

	for (i = 0; i < gws_model_gateway_class_status_count(m); i++) {
		const gws_model_gateway_class_status *s = gws_model_gateway_class_status_at(m, i);
		json_t *st = jobj(r);
		set(r, st, "conditions", jconds(r, &s->conditions, s->object));
		push(r, gcs, jstatus_obj(r, s->object, st));
	}
	for (i = 0; i < gws_model_gateway_status_count(m); i++) {
		const gws_model_gateway_status *s = gws_model_gateway_status_at(m, i);
		json_t *st = jobj(r), *ls = jarr(r);
		set(r, st, "conditions", jconds(r, &s->conditions, s->object));
		for (j = 0; j < s->n_listeners; j++) {
			const gws_model_listener_status *l = &s->listeners[j];
			json_t *lj = jobj(r), *kinds = jarr(r);
			set(r, lj, "name", jstr(r, l->name));
			for (k = 0; k < l->n_supported_kinds; k++) {
				json_t *kj = jobj(r);
				set(r, kj, "group", jstr(r, l->supported_kinds[k].group));
				set(r, kj, "kind", jstr(r, l->supported_kinds[k].kind));
				push(r, kinds, kj);
			}
			set(r, lj, "supportedKinds", kinds);
			set(r, lj, "attachedRoutes", jint(r, l->attached_routes));
			set(r, lj, "conditions", jconds(r, &l->conditions, s->object));
			push(r, ls, lj);
		}
		set(r, st, "listeners", ls);
		push(r, gws, jstatus_obj(r, s->object, st));
	}
	for (i = 0; i < gws_model_route_status_count(m); i++) {
		const gws_model_route_status *s = gws_model_route_status_at(m, i);
		json_t *st = jobj(r), *ps = jarr(r);
		for (j = 0; j < s->n_parents; j++) {
			const gws_model_route_parent_status *p = s->parents[j];
			json_t *pj = jobj(r), *ref = jobj(r);
			set(r, ref, "group", jstr(r, p->group));
			set(r, ref, "kind", jstr(r, p->kind));
			set_opt_str(r, ref, "namespace", p->namespace_);
			set(r, ref, "name", jstr(r, p->name));
			set_opt_str(r, ref, "sectionName", p->section_name);
			if (p->has_port)
				set(r, ref, "port", jint(r, p->port));
			set(r, pj, "parentRef", ref);
			set(r, pj, "controllerName", jstr(r, p->controller_name));
			set(r, pj, "conditions", jconds(r, &p->conditions, s->object));
			push(r, ps, pj);
		}
		set(r, st, "parents", ps);
		push(r, routes, jstatus_obj(r, s->object, st));
	}
	set(r, o, "gatewayClasses", gcs);
	set(r, o, "gateways", gws);
	set(r, o, "routes", routes);
	return o;
}

/* ---- diagnostics ------------------------------------------------------------------ */

static int diag_cmp(const void *a, const void *b)
{
	const gws_diag *x = *(const gws_diag *const *)a, *y = *(const gws_diag *const *)b;
	int c;
	if ((c = gws_strcmp_null(x->file, y->file)))
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if ((c = gws_strcmp_null(x->object, y->object)))
		return c;
	if ((c = gws_strcmp_null(x->field, y->field)))
		return c;
	return gws_strcmp_null(x->message, y->message);
}

static json_t *jdiags(rctx *r, const gws_diag_list *diags)
{
	json_t *arr = jarr(r);
	const gws_diag **sorted;
	size_t i;

	if (!diags || diags->count == 0)
		return arr;
	sorted = gws_calloc(diags->count, sizeof(*sorted));
	if (!sorted) {
		r->failed = true;
		return arr;
	}
	for (i = 0; i < diags->count; i++)
		sorted[i] = &diags->items[i];
	qsort(sorted, diags->count, sizeof(*sorted), diag_cmp);
	for (i = 0; i < diags->count; i++) {
		const gws_diag *d = sorted[i];
		json_t *x;
		if (i > 0 && diag_cmp(&sorted[i - 1], &sorted[i]) == 0)
			continue; /* exact duplicates say nothing new */
		x = jobj(r);
		set(r, x, "severity", jstr(r, d->severity == GWS_DIAG_ERROR ? "error" : "warning"));
		set(r, x, "file", jstr(r, d->file));
		set(r, x, "line", d->line ? jint(r, d->line) : json_null());
		set(r, x, "column", d->column ? jint(r, d->column) : json_null());
		set(r, x, "object", jstr(r, d->object));
		set(r, x, "field", jstr(r, d->field));
		set(r, x, "message", jstr(r, d->message));
		push(r, arr, x);
	}
	gws_free(sorted);
	return arr;
}

int gws_model_render_json(gws_buf *out, const gws_model *model, const gws_diag_list *diags)
{
	rctx r = {false};
	json_t *root = NULL, *stacks;
	char *text = NULL;
	size_t i;
	int error = 0;

	root = jobj(&r);
	set(&r, root, "formatVersion", jstr(&r, "1"));
	set(&r, root, "cluster", jstr(&r, gws_model_cluster(model)));
	stacks = jarr(&r);
	for (i = 0; i < gws_model_stack_count(model); i++)
		push(&r, stacks, jstack(&r, gws_model_stack_at(model, i)));
	set(&r, root, "stacks", stacks);
	set(&r, root, "status", jstatus(&r, model));
	set(&r, root, "diagnostics", jdiags(&r, diags));
	if (r.failed) {
		error = gws_error_set(GWS_ENOMEM, "out of memory while rendering the model");
		goto cleanup;
	}
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		error = gws_error_set(GWS_ENOMEM, "out of memory while rendering the model");
		goto cleanup;
	}
	if ((error = gws_buf_puts(out, text)) < 0 || (error = gws_buf_putc(out, '\n')) < 0)
		goto cleanup;
cleanup:
	free(text);
	json_decref(root);
	return error;
}
