/*
 * What one HTTPRoute/GRPCRoute rule does on an ALB (docs/lbc-mapping.md, Actions):
 * the checks that decide whether ALB can do it at all, and its actions.
 *
 * A rule ALB cannot do as written (a filter ALB has no equivalent for,
 * timeouts, retries, session persistence, backendRef filters, a weight
 * outside 0..999, more than 5 target groups, an authenticate action on an
 * HTTP listener, a broken ListenerRuleConfiguration reference) is
 * "unsupported": the route gets a condition naming the field, and the rule's
 * matches answer a fixed 500 instead of being dropped. LBC fails the whole
 * Gateway instead; Gateway API lets a rule be dropped. We keep a
 * 500 rule because leaving it out lets its requests fall through to a
 * broader rule of lower priority: a path guarded by an ExternalAuth filter
 * or an OIDC action would then reach a backend unauthenticated. A 500 fails
 * closed, and is what Gateway API asks for requests to an invalid backend.
 */
#include "model/alb.h"

#include <string.h>

#define LRC_GROUP "gateway.k8s.aws"
#define LRC_KIND  "ListenerRuleConfiguration"

static char *vformat(gws_model_ctx *ctx, const char *fmt, va_list ap) GWS_PRINTF(2, 0);

static char *vformat(gws_model_ctx *ctx, const char *fmt, va_list ap)
{
	gws_buf b = GWS_BUF_INIT(GWS_CAP_LINE);
	char *msg = NULL;

	if (gws_buf_vprintf(&b, fmt, ap) == 0)
		msg = gws_model__strdup(ctx, gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	return msg;
}

int gws_model__alb_plan_problem(gws_model_ctx *ctx, gws_alb_plan *plan, const char *reason,
                                const char *field, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (plan->problem != NULL)
		return GWS_EINVALID;
	va_start(ap, fmt);
	msg = vformat(ctx, fmt, ap);
	va_end(ap);
	plan->problem = msg ? msg : "the rule cannot be built";
	plan->problem_field = field ? field : "spec.rules";
	plan->problem_reason = reason;
	/* The rule stays unsupported either way; the build reports the lost message. */
	if (msg == NULL || field == NULL)
		return gws_error_set(GWS_ENOMEM, "out of memory describing a rule problem");
	return GWS_EINVALID;
}

#define NO_INDEX SIZE_MAX

/* "spec.rules[<rule>]<what>[<i>]<tail>"; without "[<i>]" when i is NO_INDEX. */
static char *rule_field(gws_model_ctx *ctx, const gws_alb_plan *p, const char *what, size_t i,
                        const char *tail)
{
	if (i == NO_INDEX)
		return gws_model__printf(ctx, "spec.rules[%zu]%s%s", p->rule_index, what, tail);
	return gws_model__printf(ctx, "spec.rules[%zu]%s[%zu]%s", p->rule_index, what, i, tail);
}

static bool is_auth(const char *type)
{
	return strcmp(type, "authenticate-oidc") == 0 ||
	       strcmp(type, "authenticate-cognito") == 0 || strcmp(type, "jwt-validation") == 0;
}

static bool is_routing(const char *type)
{
	return strcmp(type, "forward") == 0 || strcmp(type, "fixed-response") == 0 ||
	       strcmp(type, "redirect") == 0;
}

static int check_rule_fields(gws_model_ctx *ctx, gws_alb_plan *p)
{
	bool timeouts = false, retry = false, session = false;

	if (p->grpc) {
		session = p->route->spec.grpc_route->rules[p->rule_index].session_persistence;
	} else {
		const gws_mf_http_rule *r = &p->route->spec.http_route->rules[p->rule_index];
		timeouts = r->timeouts != NULL;
		retry = r->retry != NULL;
		session = r->session_persistence != NULL;
	}
	if (timeouts)
		return gws_model__alb_plan_problem(
		        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
		        rule_field(ctx, p, ".timeouts", NO_INDEX, ""),
		        "timeouts are not supported by ALB listener rules");
	if (retry)
		return gws_model__alb_plan_problem(ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
		                                   rule_field(ctx, p, ".retry", NO_INDEX, ""),
		                                   "retry is not supported by ALB listener rules");
	if (session)
		return gws_model__alb_plan_problem(
		        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
		        rule_field(ctx, p, ".sessionPersistence", NO_INDEX, ""),
		        "sessionPersistence is not supported by ALB listener rules (use "
		        "TargetGroupConfiguration stickiness attributes)");
	return 0;
}

static int check_filters(gws_model_ctx *ctx, gws_alb_plan *p, const char **lrc_name, size_t *n_lrc)
{
	for (size_t j = 0; j < p->n_filters; j++) {
		const gws_mf_filter *f = &p->filters[j];
		const char *type = f->type ? f->type : "";
		if (strcmp(type, "ExtensionRef") == 0 && f->extension_ref) {
			const gws_mf_local_ref *ref = f->extension_ref;
			if (ref->group && strcmp(ref->group, LRC_GROUP) == 0 && ref->kind &&
			    strcmp(ref->kind, LRC_KIND) == 0) {
				if ((*n_lrc)++ == 0)
					*lrc_name = ref->name;
				continue;
			}
			return gws_model__alb_plan_problem(
			        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
			        rule_field(ctx, p, ".filters", j, ".extensionRef"),
			        "ExtensionRef to %s %s (group \"%s\") is not supported; only %s "
			        "(group %s) is",
			        ref->kind ? ref->kind : "", ref->name ? ref->name : "",
			        ref->group ? ref->group : "", LRC_KIND, LRC_GROUP);
		}
		if (!p->grpc && strcmp(type, "RequestRedirect") == 0 && f->request_redirect) {
			if (p->redirect == NULL)
				p->redirect = f->request_redirect;
			continue;
		}
		if (!p->grpc && strcmp(type, "URLRewrite") == 0 && f->url_rewrite)
			continue;
		return gws_model__alb_plan_problem(
		        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
		        rule_field(ctx, p, ".filters", j, ".type"),
		        "%s filter is not supported by ALB%s", type,
		        p->grpc ? " on a GRPCRoute (only ExtensionRef is)" : "");
	}
	return 0;
}

/* The configuration member that an authentication action's type needs is set. */
static bool auth_configured(const gws_mf_lrc_action *a)
{
	if (strcmp(a->type, "jwt-validation") == 0)
		return a->jwt_validation_config != NULL;
	if (strcmp(a->type, "authenticate-oidc") == 0)
		return a->authenticate_oidc_config != NULL;
	return a->authenticate_cognito_config != NULL;
}

static int check_lrc(gws_model_ctx *ctx, const gws_model_listener *listener, gws_alb_plan *p,
                     const char *name, size_t n_lrc)
{
	const char *ns = p->route->meta.namespace_;

	if (n_lrc == 0)
		return 0;
	if (n_lrc > 1)
		return gws_model__alb_plan_problem(ctx, p, GWS_REASON_INCOMPATIBLE_FILTERS,
		                                   rule_field(ctx, p, ".filters", NO_INDEX, ""),
		                                   "%zu %s filters; a rule may have one", n_lrc,
		                                   LRC_KIND);
	p->lrc_object = gws_manifest_find(ctx->store, GWS_KIND_LISTENER_RULE_CONFIGURATION, ns,
	                                  name ? name : "");
	if (p->lrc_object == NULL || p->lrc_object->spec.lrc_config == NULL)
		return gws_model__alb_plan_problem(ctx, p, GWS_REASON_INCOMPATIBLE_FILTERS,
		                                   rule_field(ctx, p, ".filters", NO_INDEX, ""),
		                                   "%s %s/%s not found", LRC_KIND, ns ? ns : "",
		                                   name ? name : "");
	p->lrc = p->lrc_object->spec.lrc_config;
	for (size_t i = 0; i < p->lrc->n_actions; i++) {
		const gws_mf_lrc_action *a = &p->lrc->actions[i];
		const char *type = a->type ? a->type : "";
		if (is_auth(type) && p->lrc_auth == NULL)
			p->lrc_auth = a;
		else if (is_routing(type) && p->lrc_routing == NULL)
			p->lrc_routing = a;
	}
	/* An authentication action without its configuration (the validator
	 * reports it) cannot be built; serving the rule without it would open
	 * it: fail closed, as for the rest below. */
	if (p->lrc_auth && !auth_configured(p->lrc_auth))
		return gws_model__alb_plan_problem(ctx, p, GWS_REASON_INCOMPATIBLE_FILTERS,
		                                   rule_field(ctx, p, ".filters", NO_INDEX, ""),
		                                   "%s %s/%s action %s has no configuration",
		                                   LRC_KIND, ns ? ns : "", name, p->lrc_auth->type);
	/* Serving the rule without its authentication would open it: fail closed. */
	if (p->lrc_auth && strcmp(listener->protocol, "HTTPS") != 0) {
		p->problem_http_only = true;
		return gws_model__alb_plan_problem(
		        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
		        rule_field(ctx, p, ".filters", NO_INDEX, ""),
		        "%s %s/%s action %s needs an HTTPS listener, and port %d is %s", LRC_KIND,
		        ns ? ns : "", name, p->lrc_auth->type, listener->port, listener->protocol);
	}
	if (p->lrc_routing && strcmp(p->lrc_routing->type, "redirect") == 0 && p->redirect == NULL)
		return gws_model__alb_plan_problem(
		        ctx, p, GWS_REASON_INCOMPATIBLE_FILTERS,
		        rule_field(ctx, p, ".filters", NO_INDEX, ""),
		        "%s %s/%s has a redirect action, which needs a RequestRedirect filter in "
		        "the same rule",
		        LRC_KIND, ns ? ns : "", name);
	return 0;
}

static const char *lrc_query(const gws_alb_plan *p)
{
	const gws_mf_lrc_action *r = p->lrc_routing;

	if (r && strcmp(r->type, "redirect") == 0 && r->redirect_config)
		return r->redirect_config->query ? r->redirect_config->query : "#{query}";
	return NULL;
}

static bool same_backend(const gws_mf_backend_ref *a, const gws_mf_backend_ref *b)
{
	return gws_strcmp_null(a->kind, b->kind) == 0 && gws_strcmp_null(a->name, b->name) == 0 &&
	       gws_strcmp_null(a->namespace_, b->namespace_) == 0 && a->port.set == b->port.set &&
	       a->port.value == b->port.value;
}

static int check_backends(gws_model_ctx *ctx, gws_alb_plan *p)
{
	size_t distinct = 0;

	for (size_t k = 0; k < p->n_backends; k++) {
		const gws_mf_backend_ref *b = &p->backends[k];
		bool seen = false;
		if (b->n_filters > 0)
			return gws_model__alb_plan_problem(
			        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
			        rule_field(ctx, p, ".backendRefs", k, ".filters"),
			        "backendRef filters are not supported by ALB");
		if (b->weight.set && (b->weight.value < 0 || b->weight.value > GWS_ALB_MAX_WEIGHT))
			return gws_model__alb_plan_problem(
			        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
			        rule_field(ctx, p, ".backendRefs", k, ".weight"),
			        "weight %lld is outside 0..%d, the range ALB accepts",
			        (long long)b->weight.value, GWS_ALB_MAX_WEIGHT);
		for (size_t i = 0; i < k && !seen; i++)
			seen = same_backend(&p->backends[i], b);
		distinct += !seen;
		/* Repeated backendRefs become one target group whose weight is their sum. */
		long long sum = 0;
		for (size_t i = 0; i < p->n_backends && !seen; i++)
			if (same_backend(&p->backends[i], b))
				sum += p->backends[i].weight.set ? p->backends[i].weight.value : 1;
		if (!seen && sum > GWS_ALB_MAX_WEIGHT)
			return gws_model__alb_plan_problem(
			        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
			        rule_field(ctx, p, ".backendRefs", k, ""),
			        "backendRefs to %s %s add up to weight %lld, above %d, the most "
			        "ALB "
			        "accepts for one target group",
			        b->kind ? b->kind : "Service", b->name ? b->name : "", sum,
			        GWS_ALB_MAX_WEIGHT);
	}
	if (distinct > GWS_ALB_MAX_TARGET_GROUPS_PER_ACTION)
		return gws_model__alb_plan_problem(
		        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
		        rule_field(ctx, p, ".backendRefs", NO_INDEX, ""),
		        "%zu backends; an ALB forward action takes at most %d target groups",
		        distinct, GWS_ALB_MAX_TARGET_GROUPS_PER_ACTION);
	return 0;
}

int gws_model__alb_plan_check(gws_model_ctx *ctx, const gws_model_listener *listener,
                              gws_alb_plan *p)
{
	const char *lrc_name = NULL;
	size_t n_lrc = 0;
	int error;

	if ((error = check_rule_fields(ctx, p)) < 0)
		return error;
	if ((error = check_filters(ctx, p, &lrc_name, &n_lrc)) < 0)
		return error;
	if ((error = check_lrc(ctx, listener, p, lrc_name, n_lrc)) < 0)
		return error;
	if (p->redirect) {
		gws_alb_redirect r;
		error = gws_model__alb_redirect_map(&r, ctx->arena, p->redirect, lrc_query(p));
		if (error == GWS_EINVALID) {
			size_t j = 0;
			while (j < p->n_filters && p->filters[j].request_redirect != p->redirect)
				j++;
			return gws_model__alb_plan_problem(
			        ctx, p, GWS_REASON_UNSUPPORTED_VALUE,
			        rule_field(ctx, p, ".filters", j, ".requestRedirect"), "%s",
			        gws_error_last());
		}
		return error;
	}
	if (p->lrc_routing && strcmp(p->lrc_routing->type, "fixed-response") == 0)
		return 0;
	return check_backends(ctx, p);
}

/* ---- actions ---- */

int gws_model__alb_fixed_500(gws_model_ctx *ctx, gws_model_action **out, size_t *n_out)
{
	gws_model_action *a = gws_arena_calloc(ctx->arena, 1, sizeof(*a));

	if (a == NULL || (a->fixed_response = gws_arena_calloc(ctx->arena, 1,
	                                                       sizeof(*a->fixed_response))) == NULL)
		return GWS_ENOMEM;
	a->type = GWS_MODEL_ACTION_FIXED_RESPONSE;
	a->order = 1;
	a->fixed_response->status_code = "500";
	a->fixed_response->content_type = "text/plain";
	*out = a;
	*n_out = 1;
	return 0;
}

static int auth_common(gws_model_ctx *ctx, gws_model_authenticate_config *out,
                       const gws_mf_authenticate_config *in)
{
	out->scope = in->scope ? in->scope : "openid";
	out->session_cookie_name =
	        in->session_cookie_name ? in->session_cookie_name : "AWSELBAuthSessionCookie";
	out->on_unauthenticated_request =
	        in->on_unauthenticated_request ? in->on_unauthenticated_request : "authenticate";
	out->has_session_timeout = true;
	out->session_timeout = in->session_timeout.set ? in->session_timeout.value : 604800;
	return gws_model__kvs_from(ctx, &out->extra_params, in->authentication_request_extra_params,
	                           in->n_authentication_request_extra_params);
}

static int build_auth(gws_model_ctx *ctx, const gws_alb_plan *p, gws_model_action *a)
{
	const gws_mf_lrc_action *src = p->lrc_auth;
	const char *type = src->type;

	if (strcmp(type, "jwt-validation") == 0 && src->jwt_validation_config) {
		const gws_mf_jwt_validation_config *in = src->jwt_validation_config;
		gws_model_jwt_validation_config *out =
		        gws_arena_calloc(ctx->arena, 1, sizeof(*out));
		if (out == NULL)
			return GWS_ENOMEM;
		a->type = GWS_MODEL_ACTION_JWT_VALIDATION;
		a->jwt_validation = out;
		out->issuer = in->issuer;
		out->jwks_endpoint = in->jwks_endpoint;
		out->additional_claims = gws_arena_calloc(ctx->arena, in->n_additional_claims + 1,
		                                          sizeof(*out->additional_claims));
		if (out->additional_claims == NULL)
			return GWS_ENOMEM;
		for (size_t i = 0; i < in->n_additional_claims; i++) {
			gws_model_jwt_claim *c = &out->additional_claims[i];
			c->format = in->additional_claims[i].format;
			c->name = in->additional_claims[i].name;
			c->values.items = in->additional_claims[i].values;
			c->values.n = in->additional_claims[i].n_values;
		}
		out->n_additional_claims = in->n_additional_claims;
		return 0;
	}
	if (strcmp(type, "authenticate-oidc") == 0 && src->authenticate_oidc_config) {
		const gws_mf_authenticate_config *in = src->authenticate_oidc_config;
		gws_model_authenticate_config *out = gws_arena_calloc(ctx->arena, 1, sizeof(*out));
		if (out == NULL)
			return GWS_ENOMEM;
		a->type = GWS_MODEL_ACTION_AUTHENTICATE_OIDC;
		a->authenticate_oidc = out;
		out->issuer = in->issuer;
		out->authorization_endpoint = in->authorization_endpoint;
		out->token_endpoint = in->token_endpoint;
		out->user_info_endpoint = in->user_info_endpoint;
		/* The client id and secret stay in the Secret: the model names it only. */
		out->client_secret_ref = gws_model__printf(ctx, "%s/%s", p->route->meta.namespace_,
		                                           in->secret_name ? in->secret_name : "");
		if (out->client_secret_ref == NULL)
			return GWS_ENOMEM;
		out->use_existing_client_secret =
		        in->use_existing_client_secret.set && in->use_existing_client_secret.value;
		return auth_common(ctx, out, in);
	}
	if (strcmp(type, "authenticate-cognito") == 0 && src->authenticate_cognito_config) {
		const gws_mf_authenticate_config *in = src->authenticate_cognito_config;
		gws_model_authenticate_config *out = gws_arena_calloc(ctx->arena, 1, sizeof(*out));
		if (out == NULL)
			return GWS_ENOMEM;
		a->type = GWS_MODEL_ACTION_AUTHENTICATE_COGNITO;
		a->authenticate_cognito = out;
		out->user_pool_arn = in->user_pool_arn;
		out->user_pool_client_id = in->user_pool_client_id;
		out->user_pool_domain = in->user_pool_domain;
		return auth_common(ctx, out, in);
	}
	return gws_error_set(GWS_EINVALID, "%s action without its configuration", type);
}

static int build_fixed(gws_model_ctx *ctx, const gws_mf_fixed_response_config *in,
                       gws_model_action *a)
{
	gws_model_fixed_response_config *out = gws_arena_calloc(ctx->arena, 1, sizeof(*out));

	if (out == NULL)
		return GWS_ENOMEM;
	a->type = GWS_MODEL_ACTION_FIXED_RESPONSE;
	a->fixed_response = out;
	out->status_code = gws_model__printf(ctx, "%lld", (long long)in->status_code.value);
	out->content_type = in->content_type ? in->content_type : "text/plain";
	out->message_body = in->message_body;
	return out->status_code ? 0 : GWS_ENOMEM;
}

static int build_redirect(gws_model_ctx *ctx, const gws_alb_plan *p, gws_model_action *a)
{
	gws_model_redirect_config *out = gws_arena_calloc(ctx->arena, 1, sizeof(*out));
	gws_alb_redirect r;
	int error;

	if (out == NULL)
		return GWS_ENOMEM;
	if ((error = gws_model__alb_redirect_map(&r, ctx->arena, p->redirect, lrc_query(p))) < 0)
		return error;
	a->type = GWS_MODEL_ACTION_REDIRECT;
	a->redirect = out;
	out->protocol = r.protocol;
	out->port = r.port;
	out->host = r.host;
	out->path = r.path;
	out->query = r.query;
	out->status_code = r.status_code;
	return 0;
}

/* Returns 1 when a forward was built, 0 when no backend is usable. */
static int build_forward(gws_model_ctx *ctx, gws_model_stack *stack,
                         const gws_model_listener *listener, const gws_alb_plan *p,
                         gws_model_action *a)
{
	gws_model_forward_config *fw = gws_arena_calloc(ctx->arena, 1, sizeof(*fw));
	bool any_weight = false;
	int error;

	if (fw == NULL ||
	    (fw->target_groups = gws_arena_calloc(ctx->arena, p->n_backends + 1,
	                                          sizeof(*fw->target_groups))) == NULL)
		return GWS_ENOMEM;
	for (size_t k = 0; k < p->n_backends; k++) {
		const gws_mf_backend_ref *b = &p->backends[k];
		int weight = b->weight.set ? (int)b->weight.value : 1;
		const char *id = NULL;
		size_t i;
		error = gws_model__target_group_for_backend(ctx, stack, p->att, listener,
		                                            p->rule_index, b, &id);
		if (error == GWS_ENOTFOUND)
			continue;
		if (error < 0)
			return error;
		/* Two backendRefs to one target group: one entry with both weights. */
		for (i = 0; i < fw->n_target_groups; i++)
			if (strcmp(fw->target_groups[i].target_group_id, id) == 0)
				break;
		if (i == fw->n_target_groups) {
			fw->target_groups[i].target_group_id = id;
			fw->target_groups[i].has_weight = true;
			fw->n_target_groups++;
		}
		fw->target_groups[i].weight += weight; /* the sum is checked in check_backends */
		any_weight |= weight != 0;
	}
	if (fw->n_target_groups == 0 || !any_weight)
		return 0;
	/* As LBC: a forward action in the LRC always sends TargetGroupStickinessConfig,
	 * with the CRD defaults (disabled, 3600 s) for what it leaves out. */
	if (p->lrc_routing && strcmp(p->lrc_routing->type, "forward") == 0) {
		const gws_mf_forward_config *fc = p->lrc_routing->forward_config;
		const gws_mf_tg_stickiness *s = fc ? fc->target_group_stickiness_config : NULL;
		fw->has_stickiness = true;
		fw->stickiness_enabled = s && s->enabled.set && s->enabled.value;
		fw->has_stickiness_duration = true;
		fw->stickiness_duration_seconds =
		        s && s->duration_seconds.set ? (int)s->duration_seconds.value : 3600;
	}
	a->type = GWS_MODEL_ACTION_FORWARD;
	a->forward = fw;
	return 1;
}

int gws_model__alb_plan_actions(gws_model_ctx *ctx, gws_model_stack *stack,
                                const gws_model_listener *listener, gws_alb_plan *p)
{
	gws_model_action *acts;
	size_t n = 0;
	int error;

	if (p->problem)
		return gws_model__alb_fixed_500(ctx, &p->actions, &p->n_actions);
	if ((acts = gws_arena_calloc(ctx->arena, 2, sizeof(*acts))) == NULL)
		return GWS_ENOMEM;
	if (p->lrc_auth) {
		if ((error = build_auth(ctx, p, &acts[n])) < 0)
			return error;
		n++;
	}
	if (p->lrc_routing && strcmp(p->lrc_routing->type, "fixed-response") == 0 &&
	    p->lrc_routing->fixed_response_config) {
		error = build_fixed(ctx, p->lrc_routing->fixed_response_config, &acts[n]);
	} else if (p->redirect) {
		error = build_redirect(ctx, p, &acts[n]);
	} else {
		error = build_forward(ctx, stack, listener, p, &acts[n]);
		if (error == 0) {
			/* no usable backend: 500 as LBC sends (whatever its logs say) */
			gws_model_action *fixed;
			size_t one;
			if ((error = gws_model__alb_fixed_500(ctx, &fixed, &one)) < 0)
				return error;
			acts[n] = *fixed;
		}
	}
	if (error < 0)
		return error;
	n++;
	for (size_t i = 0; i < n; i++)
		acts[i].order = (int)i + 1;
	p->actions = acts;
	p->n_actions = n;
	return 0;
}
