/*
 * One Gateway → one stack: configuration, listener validation, attachment,
 * load balancer, listeners (ALB shells whose rules the ALB builder fills, NLB
 * listeners), security groups, quotas, and the Gateway's own status.
 */
#include "model/build.h"

#include <string.h>

static int init_status(gws_model_ctx *ctx, const gws_manifest_object *gw, gws_model_class *cls)
{
	const gws_mf_gateway *spec = gw->spec.gateway;
	gws_model_gateway_status *st = gws_arena_alloc(ctx->arena, sizeof(*st));
	size_t i;

	if (!st)
		return GWS_ENOMEM;
	st->object = gw;
	st->controller_name = cls->controller_name;
	st->n_listeners = spec->n_listeners;
	st->listeners = gws_arena_calloc(ctx->arena, spec->n_listeners + 1, sizeof(*st->listeners));
	if (!st->listeners)
		return GWS_ENOMEM;
	for (i = 0; i < spec->n_listeners; i++)
		st->listeners[i].name = spec->listeners[i].name;
	gws_model__set_condition(ctx, &st->conditions, GWS_COND_ACCEPTED, "Unknown",
	                         GWS_REASON_PENDING, "Waiting for controller");
	gws_model__set_condition(ctx, &st->conditions, GWS_COND_PROGRAMMED, "Unknown",
	                         GWS_REASON_PENDING, "Waiting for controller");
	ctx->gw_status = st;
	return 0;
}

static void gw_false(gws_model_ctx *ctx, const char *type, const char *reason, const char *msg)
{
	if (!msg) {
		gws_model__note(ctx, GWS_ENOMEM);
		return;
	}
	gws_model__set_condition(ctx, &ctx->gw_status->conditions, type, "False", reason, "%s",
	                         msg);
	gws_model__note(ctx, gws_manifest_diag(ctx->diags, ctx->gateway, GWS_DIAG_WARNING, NULL,
	                                       "%s=False %s: %s", type, reason, msg));
}

/* spec.infrastructure.parametersRef, resolved in the Gateway's namespace. */
static int gateway_lb_config(gws_model_ctx *ctx, const gws_manifest_object **out)
{
	const gws_mf_infrastructure *inf = ctx->gateway->spec.gateway->infrastructure;
	const gws_mf_local_ref *pr = inf ? inf->parameters_ref : NULL;

	*out = NULL;
	if (!pr)
		return 0;
	if (!pr->kind || strcmp(pr->kind, "LoadBalancerConfiguration") != 0 || !pr->group ||
	    strcmp(pr->group, "gateway.k8s.aws") != 0) {
		gw_false(ctx, GWS_COND_ACCEPTED, GWS_REASON_INVALID_PARAMETERS,
		         gws_model__printf(ctx,
		                           "spec.infrastructure.parametersRef must name a "
		                           "gateway.k8s.aws LoadBalancerConfiguration, not %s/%s",
		                           pr->group ? pr->group : "", pr->kind ? pr->kind : ""));
		return GWS_ENOTFOUND;
	}
	if (!pr->name) { /* the validator reports it; never print a NULL */
		gw_false(ctx, GWS_COND_ACCEPTED, GWS_REASON_INVALID_PARAMETERS,
		         gws_model__printf(ctx, "spec.infrastructure.parametersRef has no name"));
		return GWS_ENOTFOUND;
	}
	*out = gws_manifest_find(ctx->store, GWS_KIND_LOAD_BALANCER_CONFIGURATION,
	                         ctx->gateway->meta.namespace_, pr->name);
	if (!*out) {
		gw_false(ctx, GWS_COND_ACCEPTED, GWS_REASON_INVALID_PARAMETERS,
		         gws_model__printf(ctx, "LoadBalancerConfiguration %s/%s not found",
		                           ctx->gateway->meta.namespace_, pr->name));
		return GWS_ENOTFOUND;
	}
	return 0;
}

int gws_model__build_alb_listener(gws_model_ctx *ctx, gws_model_stack *stack, gws_model_gwbuild *b,
                                  gws_model_port *port)
{
	gws_model_listener *lis;
	gws_model_action *act;
	const char *protocol = NULL;
	size_t i;
	int error;

	for (i = 0; i < b->n_listeners && !protocol; i++)
		if (b->listeners[i].valid && (int)b->listeners[i].spec->port.value == port->port)
			protocol = b->listeners[i].lb_protocol;
	if (!protocol || port->atts.len == 0)
		return 0;
	lis = gws_arena_alloc(ctx->arena, sizeof(*lis));
	act = gws_arena_alloc(ctx->arena, sizeof(*act));
	if (!lis || !act ||
	    !(act->fixed_response = gws_arena_alloc(ctx->arena, sizeof(*act->fixed_response))) ||
	    !(lis->id = gws_model__printf(ctx, "%d", port->port)))
		return GWS_ENOMEM;
	lis->port = port->port;
	lis->protocol = protocol;
	act->type = GWS_MODEL_ACTION_FIXED_RESPONSE;
	act->order = 1;
	act->fixed_response->status_code = "404";
	act->fixed_response->content_type = "text/plain";
	lis->default_actions = act;
	lis->n_default_actions = 1;
	if ((error = gws_model__resource_tags(ctx, &lis->tags, lis->id, ctx->lb_config->tags,
	                                      ctx->lb_config->n_tags)) < 0)
		return error;
	if ((error = gws_model__alb_listener_config(ctx, stack, lis, ctx->lb_config)) < 0)
		return error;
	if (strcmp(protocol, "HTTPS") == 0 && lis->certificates.n == 0) {
		bool ok;
		if ((error = gws_model__certificate_discovery(ctx, b, port, lis, &ok)) < 0)
			return error;
		if (!ok)
			return 0;
	}
	if ((error = gws_model__alb_build_listener_rules(
	             ctx, stack, lis, (const gws_model_attachment *const *)port->atts.items,
	             port->atts.len)) < 0)
		return error;
	stack->listeners[stack->n_listeners++] = lis;
	return 0;
}

static void check_quotas(gws_model_ctx *ctx, gws_model_stack *stack)
{
	size_t i, rules = 0;
	if (ctx->lb_type != GWS_MODEL_LB_APPLICATION)
		return;
	for (i = 0; i < stack->n_listeners; i++)
		rules += stack->listeners[i]->n_rules;
	if (rules > (size_t)ctx->opts.max_rules_per_alb)
		stack->blocked = gws_model__printf(
		        ctx,
		        "the ALB would need %zu listener rules, above the quota of %ld rules per "
		        "load balancer (raise it with --max-rules-per-alb if AWS raised yours)",
		        rules, ctx->opts.max_rules_per_alb);
	else if (stack->n_target_groups > (size_t)ctx->opts.max_tgs_per_alb)
		stack->blocked = gws_model__printf(
		        ctx,
		        "the ALB would need %zu target groups, above the quota of %ld target "
		        "groups per load balancer (raise it with --max-target-groups-per-alb if "
		        "AWS raised yours)",
		        stack->n_target_groups, ctx->opts.max_tgs_per_alb);
	else
		return;
	if (!stack->blocked) {
		gws_model__note(ctx, GWS_ENOMEM);
		stack->blocked = "quota exceeded";
	}
}

static int build_stack(gws_model_ctx *ctx, gws_model_gwbuild *b, gws_model_stack **out)
{
	gws_model_stack *stack = gws_arena_alloc(ctx->arena, sizeof(*stack));
	size_t i;
	int error;

	*out = NULL;
	if (!stack)
		return GWS_ENOMEM;
	stack->gateway_namespace = ctx->gateway->meta.namespace_;
	stack->gateway_name = ctx->gateway->meta.name;
	stack->gateway =
	        gws_model__printf(ctx, "%s/%s", stack->gateway_namespace, stack->gateway_name);
	stack->listeners = gws_arena_calloc(ctx->arena, b->ports.len + 1, sizeof(void *));
	if (!stack->gateway || !stack->listeners)
		return GWS_ENOMEM;
	if ((error = gws_model__build_load_balancer(ctx, stack)) < 0)
		return error;
	if (!gws_model__valid_lb_name(stack->load_balancer.name)) {
		gw_false(
		        ctx, GWS_COND_ACCEPTED, GWS_REASON_INVALID_PARAMETERS,
		        gws_model__printf(ctx,
		                          "loadBalancerName \"%s\" is not a valid load balancer "
		                          "name (1-32 letters, digits and hyphens, not starting or "
		                          "ending with a hyphen, not starting with \"internal-\")",
		                          stack->load_balancer.name));
		return 0;
	}
	for (i = 0; i < b->ports.len; i++) {
		gws_model_port *port = b->ports.items[i];
		error = ctx->lb_type == GWS_MODEL_LB_APPLICATION
		                ? gws_model__build_alb_listener(ctx, stack, b, port)
		                : gws_model__build_nlb_listener(ctx, stack, b, port);
		if (error < 0)
			return error;
	}
	if ((error = gws_model__build_security_groups(ctx, stack)) < 0 ||
	    (error = gws_model__finish_target_groups(ctx, stack)) < 0)
		return error;
	check_quotas(ctx, stack);
	*out = stack;
	return 0;
}

/* The Gateway is not built: no route may look as if it carried traffic. */
static void detach_all(gws_model_ctx *ctx, gws_model_gwbuild *b)
{
	size_t i, j;
	for (i = 0; i < b->ports.len; i++) {
		gws_model_port *port = b->ports.items[i];
		for (j = 0; j < port->atts.len; j++) {
			gws_model_attachment *a = port->atts.items[j];
			gws_model__route_condition(
			        ctx, a->route, a->parent, GWS_COND_ACCEPTED, "False",
			        GWS_REASON_NOT_ALLOWED_BY_LISTENERS,
			        "Gateway %s/%s is not accepted (see its status): no load balancer "
			        "is built for it",
			        ctx->gateway->meta.namespace_, ctx->gateway->meta.name);
		}
	}
	for (i = 0; i < b->n_listeners; i++) {
		b->listeners[i].status->attached_routes = 0;
		if (b->listeners[i].valid)
			gws_model__set_condition(ctx, &b->listeners[i].status->conditions,
			                         GWS_COND_PROGRAMMED, "False", GWS_REASON_INVALID,
			                         "the Gateway is not accepted, so no load balancer "
			                         "is built");
	}
}

int gws_model__build_gateway(gws_model_ctx *ctx, const gws_manifest_object *gw,
                             gws_model_class *cls)
{
	gws_model_gwbuild b;
	const gws_manifest_object *gw_lbc = NULL;
	gws_model_stack *stack = NULL;
	size_t i, valid = 0;
	bool ok = true;
	int error;

	memset(&b, 0, sizeof(b));
	ctx->gateway = gw;
	ctx->stack_id = gws_model__printf(ctx, "%s/%s", gw->meta.namespace_, gw->meta.name);
	if (!ctx->stack_id)
		return GWS_ENOMEM;
	ctx->lb_type = cls->lb_type;
	ctx->controller_name = cls->controller_name;
	ctx->lb_config = NULL;
	ctx->default_tgc = NULL;
	ctx->tgs.len = 0;
	gws_model__strmap_clear(ctx->tg_by_id);
	if ((error = init_status(ctx, gw, cls)) < 0)
		return error;

	if ((error = gws_model__validate_listeners(ctx, &b)) < 0)
		goto cleanup;
	if (!cls->accepted) {
		gw_false(ctx, GWS_COND_ACCEPTED, GWS_REASON_INVALID_PARAMETERS,
		         gws_model__printf(ctx, "GatewayClass %s is not accepted: %s",
		                           cls->object->meta.name,
		                           cls->status->conditions.items[0].message));
		ok = false;
	}
	if (ok && (error = gateway_lb_config(ctx, &gw_lbc)) < 0) {
		if (error != GWS_ENOTFOUND)
			goto cleanup;
		ok = false;
	}
	if (ok && (error = gws_model__resolve_lb_config(ctx, cls, gw_lbc)) < 0) {
		if (error != GWS_ENOTFOUND)
			goto cleanup;
		gws_model__note(ctx,
		                gws_manifest_diag(ctx->diags, gw, GWS_DIAG_WARNING, NULL, "%s",
		                                  ctx->gw_status->conditions.items[0].message));
		ok = false;
	}
	for (i = 0; i < b.n_listeners; i++)
		valid += b.listeners[i].valid;
	if (b.mixed) {
		gw_false(ctx, GWS_COND_ACCEPTED, GWS_REASON_LISTENERS_NOT_VALID,
		         gws_model__printf(
		                 ctx,
		                 "the Gateway mixes L4 (TCP, UDP, TLS) and L7 (HTTP, "
		                 "HTTPS) listeners; an %s cannot serve both: split it into "
		                 "two Gateways",
		                 cls->lb_type == GWS_MODEL_LB_APPLICATION ? "ALB" : "NLB"));
		ok = false;
	} else if (valid == 0 && b.n_listeners > 0) {
		gw_false(ctx, GWS_COND_ACCEPTED, GWS_REASON_LISTENERS_NOT_VALID,
		         "no listener is valid");
		ok = false;
	}
	if ((error = gws_model__attach_routes(ctx, &b)) < 0)
		goto cleanup;
	if (ok && (error = build_stack(ctx, &b, &stack)) < 0)
		goto cleanup;
	if (!stack) {
		detach_all(ctx, &b);
		gw_false(ctx, GWS_COND_PROGRAMMED, GWS_REASON_INVALID,
		         "the Gateway is not accepted, so no load balancer is built");
	} else if (stack->blocked) {
		gw_false(ctx, GWS_COND_PROGRAMMED, GWS_REASON_INVALID, stack->blocked);
		for (i = 0; i < b.n_listeners; i++)
			if (b.listeners[i].valid)
				gws_model__set_condition(ctx, &b.listeners[i].status->conditions,
				                         GWS_COND_PROGRAMMED, "False",
				                         GWS_REASON_INVALID, "%s", stack->blocked);
	} else {
		gws_model__set_condition(ctx, &ctx->gw_status->conditions, GWS_COND_PROGRAMMED,
		                         "Unknown", GWS_REASON_PENDING,
		                         "Waiting for the load balancer to be created and active");
	}
	if (valid < b.n_listeners)
		gws_model__set_condition(ctx, &ctx->gw_status->conditions, GWS_COND_ACCEPTED,
		                         "True", GWS_REASON_LISTENERS_NOT_VALID,
		                         "%zu of %zu listeners are not valid",
		                         b.n_listeners - valid, b.n_listeners);
	else
		gws_model__set_condition(ctx, &ctx->gw_status->conditions, GWS_COND_ACCEPTED,
		                         "True", GWS_REASON_ACCEPTED, "Accepted");
	ctx->gw_status->stack = stack;
	error = 0;
cleanup:
	gws_model__gwbuild_dispose(&b);
	return error;
}

gws_model_listener_status *gws_model__listener_status(gws_model_ctx *ctx, const char *name)
{
	size_t i;
	for (i = 0; ctx->gw_status && name && i < ctx->gw_status->n_listeners; i++)
		if (ctx->gw_status->listeners[i].name &&
		    strcmp(ctx->gw_status->listeners[i].name, name) == 0)
			return &ctx->gw_status->listeners[i];
	return NULL;
}
