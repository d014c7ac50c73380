/*
 * LoadBalancerConfiguration: the GatewayClass + Gateway merge (LBC's rules, in
 * docs/lbc-mapping.md), the default TargetGroupConfiguration, and the load balancer and
 * security-group specs built from the merged configuration.
 */
#include "model/build.h"

#include <stdlib.h>
#include <string.h>

static const gws_mf_lb_config empty_config;

#define TAKE_ONE(field) m->field = hi->field ? hi->field : lo->field
#define TAKE_SET(field) m->field = hi->field.set ? hi->field : lo->field

static int merge_kv(gws_model_ctx *ctx, const gws_mf_kv *hi, size_t n_hi, const gws_mf_kv *lo,
                    size_t n_lo, gws_mf_kv **out, size_t *n_out)
{
	gws_model_kvs kvs;
	gws_mf_kv *all = gws_arena_calloc(ctx->arena, n_hi + n_lo + 1, sizeof(*all));
	size_t i;
	if (!all)
		return GWS_ENOMEM;
	/* low first so that the high side wins the last-wins normalisation */
	if (n_lo)
		memcpy(all, lo, n_lo * sizeof(*all));
	if (n_hi)
		memcpy(all + n_lo, hi, n_hi * sizeof(*all));
	if (gws_model__kvs_from(ctx, &kvs, all, n_hi + n_lo) < 0)
		return GWS_ENOMEM;
	for (i = 0; i < kvs.n; i++) {
		all[i].key = kvs.items[i].key;
		all[i].value = kvs.items[i].value;
	}
	*out = all;
	*n_out = kvs.n;
	return 0;
}

static int lcfg_cmp(const void *a, const void *b)
{
	const gws_mf_lb_listener_config *x = a, *y = b;
	return gws_strcmp_null(x->protocol_port, y->protocol_port);
}

static int merge_listener_configs(gws_model_ctx *ctx, gws_mf_lb_config *m,
                                  const gws_mf_lb_config *hi, const gws_mf_lb_config *lo)
{
	size_t n = 0, n_hi, i;
	gws_mf_lb_listener_config *all = gws_arena_calloc(
	        ctx->arena, hi->n_listener_configurations + lo->n_listener_configurations + 1,
	        sizeof(*all));
	if (!all)
		return GWS_ENOMEM;
	for (i = 0; i < hi->n_listener_configurations; i++)
		all[n++] = hi->listener_configurations[i];
	gws_qsort(all, n, sizeof(*all), lcfg_cmp);
	/* lo's entries whose protocolPort hi lacks: a binary search in hi's sorted copy */
	for (i = 0, n_hi = n; i < lo->n_listener_configurations; i++)
		if (!bsearch(&lo->listener_configurations[i], all, n_hi, sizeof(*all), lcfg_cmp))
			all[n++] = lo->listener_configurations[i];
	gws_qsort(all, n, sizeof(*all), lcfg_cmp);
	m->listener_configurations = all;
	m->n_listener_configurations = n;
	return 0;
}

static int merge_configs(gws_model_ctx *ctx, const gws_mf_lb_config *cls_cfg,
                         const gws_mf_lb_config *gw_cfg, gws_mf_lb_config **out)
{
	bool prefer_gw =
	        cls_cfg->merging_mode && strcmp(cls_cfg->merging_mode, "prefer-gateway") == 0;
	const gws_mf_lb_config *hi = prefer_gw ? gw_cfg : cls_cfg;
	const gws_mf_lb_config *lo = prefer_gw ? cls_cfg : gw_cfg;
	gws_mf_lb_config *m = gws_arena_alloc(ctx->arena, sizeof(*m));

	if (!m)
		return GWS_ENOMEM;
	m->merging_mode = cls_cfg->merging_mode;
	TAKE_ONE(load_balancer_name);
	TAKE_ONE(scheme);
	TAKE_ONE(ip_address_type);
	TAKE_ONE(enforce_security_group_inbound_rules_on_private_link_traffic);
	TAKE_ONE(customer_owned_ipv4_pool);
	TAKE_ONE(ipv4_ipam_pool_id);
	if (hi->n_load_balancer_subnets) {
		m->load_balancer_subnets = hi->load_balancer_subnets;
		m->n_load_balancer_subnets = hi->n_load_balancer_subnets;
	} else {
		m->load_balancer_subnets = lo->load_balancer_subnets;
		m->n_load_balancer_subnets = lo->n_load_balancer_subnets;
	}
	if (hi->has_load_balancer_subnets_selector) {
		m->has_load_balancer_subnets_selector = true;
		m->load_balancer_subnets_selector = hi->load_balancer_subnets_selector;
		m->n_load_balancer_subnets_selector = hi->n_load_balancer_subnets_selector;
	} else {
		m->has_load_balancer_subnets_selector = lo->has_load_balancer_subnets_selector;
		m->load_balancer_subnets_selector = lo->load_balancer_subnets_selector;
		m->n_load_balancer_subnets_selector = lo->n_load_balancer_subnets_selector;
	}
#define TAKE_LIST(has, list, n)                                                                    \
	do {                                                                                       \
		const gws_mf_lb_config *src = hi->has ? hi : lo;                                   \
		m->has = src->has;                                                                 \
		m->list = src->list;                                                               \
		m->n = src->n;                                                                     \
	} while (0)
	TAKE_LIST(has_security_groups, security_groups, n_security_groups);
	TAKE_LIST(has_security_group_prefixes, security_group_prefixes, n_security_group_prefixes);
	TAKE_LIST(has_source_ranges, source_ranges, n_source_ranges);
#undef TAKE_LIST
	TAKE_SET(disable_security_group);
	TAKE_SET(enable_icmp);
	TAKE_SET(manage_backend_security_group_rules);
	/* LBC drops the capacity when both sides exist; we keep it (docs/lbc-mapping.md). */
	TAKE_SET(minimum_capacity_units);
	m->has_minimum_load_balancer_capacity =
	        hi->has_minimum_load_balancer_capacity || lo->has_minimum_load_balancer_capacity;
	if (hi->has_waf_v2) {
		m->has_waf_v2 = true;
		m->waf_v2_web_acl = hi->waf_v2_web_acl;
	} else {
		m->has_waf_v2 = lo->has_waf_v2;
		m->waf_v2_web_acl = lo->waf_v2_web_acl;
	}
	if (hi->has_shield_configuration) {
		m->has_shield_configuration = true;
		m->shield_enabled = hi->shield_enabled;
	} else {
		m->has_shield_configuration = lo->has_shield_configuration;
		m->shield_enabled = lo->shield_enabled;
	}
	TAKE_ONE(default_target_group_configuration);
	if (merge_kv(ctx, hi->tags, hi->n_tags, lo->tags, lo->n_tags, &m->tags, &m->n_tags) < 0 ||
	    merge_kv(ctx, hi->load_balancer_attributes, hi->n_load_balancer_attributes,
	             lo->load_balancer_attributes, lo->n_load_balancer_attributes,
	             &m->load_balancer_attributes, &m->n_load_balancer_attributes) < 0 ||
	    merge_listener_configs(ctx, m, hi, lo) < 0)
		return GWS_ENOMEM;
	*out = m;
	return 0;
}

/* A default TargetGroupConfiguration named by an LBC (in the LBC's namespace). */
static int find_default_tgc(gws_model_ctx *ctx, const gws_manifest_object *lbc,
                            const gws_manifest_object **out)
{
	const char *name = lbc && lbc->spec.lb_config
	                           ? lbc->spec.lb_config->default_target_group_configuration
	                           : NULL;
	const gws_manifest_object *tgc;

	*out = NULL;
	if (!name)
		return 0;
	tgc = gws_manifest_find(ctx->store, GWS_KIND_TARGET_GROUP_CONFIGURATION,
	                        lbc->meta.namespace_, name);
	if (!tgc || !tgc->spec.tg_config) {
		gws_model__set_condition(ctx, &ctx->gw_status->conditions, GWS_COND_ACCEPTED,
		                         "False", GWS_REASON_INVALID_PARAMETERS,
		                         "defaultTargetGroupConfiguration %s/%s of "
		                         "LoadBalancerConfiguration %s/%s not found",
		                         lbc->meta.namespace_, name, lbc->meta.namespace_,
		                         lbc->meta.name);
		return GWS_ENOTFOUND;
	}
	if (tgc->spec.tg_config->target_reference) {
		gws_model__set_condition(ctx, &ctx->gw_status->conditions, GWS_COND_ACCEPTED,
		                         "False", GWS_REASON_INVALID_PARAMETERS,
		                         "TargetGroupConfiguration %s/%s has a targetReference and "
		                         "cannot be a defaultTargetGroupConfiguration",
		                         tgc->meta.namespace_, tgc->meta.name);
		return GWS_ENOTFOUND;
	}
	*out = tgc;
	return 0;
}

static int resolve_default_tgc(gws_model_ctx *ctx, const gws_manifest_object *cls_lbc,
                               const gws_manifest_object *gw_lbc)
{
	const gws_manifest_object *ct, *gt;
	static const gws_mf_tg_props no_props;
	gws_mf_tg_config *m;
	bool prefer_gw;
	int error;

	ctx->default_tgc = NULL;
	if ((error = find_default_tgc(ctx, cls_lbc, &ct)) < 0 ||
	    (error = find_default_tgc(ctx, gw_lbc, &gt)) < 0)
		return error;
	if (!ct && !gt)
		return 0;
	if (!ct || !gt) {
		ctx->default_tgc = (ct ? ct : gt)->spec.tg_config;
		return 0;
	}
	/* Both: only defaultConfiguration merges; the winner keeps its routeConfigurations. */
	prefer_gw = cls_lbc->spec.lb_config->merging_mode &&
	            strcmp(cls_lbc->spec.lb_config->merging_mode, "prefer-gateway") == 0;
	m = gws_arena_alloc(ctx->arena, sizeof(*m));
	if (!m)
		return GWS_ENOMEM;
	{
		const gws_mf_tg_config *hi = (prefer_gw ? gt : ct)->spec.tg_config;
		const gws_mf_tg_config *lo = (prefer_gw ? ct : gt)->spec.tg_config;
		m->default_configuration = gws_model__merge_tg_props(
		        ctx, hi->default_configuration ? hi->default_configuration : &no_props,
		        lo->default_configuration ? lo->default_configuration : &no_props);
		if (!m->default_configuration)
			return GWS_ENOMEM;
		m->route_configurations = hi->route_configurations;
		m->n_route_configurations = hi->n_route_configurations;
	}
	ctx->default_tgc = m;
	return 0;
}

int gws_model__resolve_lb_config(gws_model_ctx *ctx, gws_model_class *cls,
                                 const gws_manifest_object *gw_lbc)
{
	const gws_mf_lb_config *c = cls->lb_config ? cls->lb_config->spec.lb_config : NULL;
	const gws_mf_lb_config *g = gw_lbc ? gw_lbc->spec.lb_config : NULL;
	gws_mf_lb_config *merged;
	int error;

	if (c && g) {
		if ((error = merge_configs(ctx, c, g, &merged)) < 0)
			return error;
		ctx->lb_config = merged;
	} else {
		ctx->lb_config = c ? c : g ? g : &empty_config;
	}
	return resolve_default_tgc(ctx, cls->lb_config, gw_lbc);
}

bool gws_model__valid_lb_name(const char *name)
{
	size_t i, n = name ? strlen(name) : 0;
	if (n < 1 || n > 32 || name[0] == '-' || name[n - 1] == '-' ||
	    strncmp(name, "internal-", 9) == 0)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
	}
	return true;
}

static int selector_cmp(const void *a, const void *b)
{
	const gws_model_subnet_selector *x = a, *y = b;
	return strcmp(x->key, y->key);
}

static int build_subnets(gws_model_ctx *ctx, gws_model_subnets *s)
{
	const gws_mf_lb_config *cfg = ctx->lb_config;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (cfg->n_load_balancer_subnets) {
		s->mode = GWS_MODEL_SUBNETS_EXPLICIT;
		s->subnets = gws_arena_calloc(ctx->arena, cfg->n_load_balancer_subnets,
		                              sizeof(*s->subnets));
		if (!s->subnets)
			return GWS_ENOMEM;
		for (i = 0; i < cfg->n_load_balancer_subnets; i++) {
			const gws_mf_lb_subnet *in = &cfg->load_balancer_subnets[i];
			s->subnets[i].identifier = in->identifier;
			s->subnets[i].eip_allocation = in->eip_allocation;
			s->subnets[i].private_ipv4_allocation = in->private_ipv4_allocation;
			s->subnets[i].ipv6_allocation = in->ipv6_allocation;
			s->subnets[i].source_nat_ipv6_prefix = in->source_nat_ipv6_prefix;
		}
		s->n_subnets = cfg->n_load_balancer_subnets;
	} else if (cfg->has_load_balancer_subnets_selector) {
		s->mode = GWS_MODEL_SUBNETS_SELECTOR;
		s->selector =
		        gws_arena_calloc(ctx->arena, cfg->n_load_balancer_subnets_selector + 1,
		                         sizeof(*s->selector));
		if (!s->selector)
			return GWS_ENOMEM;
		for (i = 0; i < cfg->n_load_balancer_subnets_selector; i++) {
			const gws_mf_kvlist *kv = &cfg->load_balancer_subnets_selector[i];
			s->selector[i].key = kv->key;
			s->selector[i].values.items = kv->values;
			s->selector[i].values.n = kv->n_values;
		}
		s->n_selector = cfg->n_load_balancer_subnets_selector;
		/* in key order; keys are unique (a YAML mapping's) */
		gws_qsort(s->selector, s->n_selector, sizeof(*s->selector), selector_cmp);
	}
	return 0;
}

int gws_model__build_load_balancer(gws_model_ctx *ctx, gws_model_stack *stack)
{
	const gws_mf_lb_config *cfg = ctx->lb_config;
	gws_model_load_balancer *lb = &stack->load_balancer;
	const char *gw_ns = ctx->gateway->meta.namespace_, *gw_name = ctx->gateway->meta.name;
	int error;

	lb->id = "LoadBalancer";
	lb->type = ctx->lb_type;
	lb->scheme = cfg->scheme ? cfg->scheme : "internal";
	lb->ip_address_type = cfg->ip_address_type ? cfg->ip_address_type : "ipv4";
	if (cfg->load_balancer_name) {
		lb->name = cfg->load_balancer_name;
	} else {
		/* LBC hashes cluster + Gateway UID + scheme; a Git repository has no
		 * UID, so "<namespace>/<name>" stands in for it. */
		const char *parts[4];
		parts[0] = ctx->opts.cluster;
		parts[1] = gws_model__printf(ctx, "%s/%s", gw_ns, gw_name);
		parts[2] = lb->scheme;
		parts[3] = NULL;
		if (!parts[1])
			return GWS_ENOMEM;
		lb->name = gws_model__lbc_name(ctx, gw_ns, gw_name, parts);
		if (!lb->name)
			return GWS_ENOMEM;
	}
	if (ctx->lb_type == GWS_MODEL_LB_APPLICATION) {
		lb->customer_owned_ipv4_pool = cfg->customer_owned_ipv4_pool;
		lb->ipv4_ipam_pool_id = cfg->ipv4_ipam_pool_id;
	} else {
		lb->enforce_sg_inbound_rules_on_private_link =
		        cfg->enforce_security_group_inbound_rules_on_private_link_traffic;
	}
	if ((error = build_subnets(ctx, &lb->subnets)) < 0 ||
	    (error = gws_model__kvs_from(ctx, &lb->attributes, cfg->load_balancer_attributes,
	                                 cfg->n_load_balancer_attributes)) < 0 ||
	    (error = gws_model__resource_tags(ctx, &lb->tags, "LoadBalancer", cfg->tags,
	                                      cfg->n_tags)) < 0)
		return error;
	return 0;
}

/* ---- security groups ---------------------------------------------------------- */

typedef struct {
	gws_model_sg_ingress *items;
	size_t n, cap;
} ingress_list;

static int ingress_add(gws_model_ctx *ctx, ingress_list *l, const char *proto, int from, int to,
                       const char *cidr, const char *prefix_list)
{
	gws_model_sg_ingress *r;
	/* repeats are dropped once all are in (ingress_unique): no search per rule */
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		gws_model_sg_ingress *ni = gws_arena_calloc(ctx->arena, ncap, sizeof(*ni));
		if (!ni)
			return GWS_ENOMEM;
		if (l->n)
			memcpy(ni, l->items, l->n * sizeof(*ni));
		l->items = ni;
		l->cap = ncap;
	}
	r = &l->items[l->n++];
	memset(r, 0, sizeof(*r));
	r->ip_protocol = proto;
	r->from_port = from;
	r->to_port = to;
	if (cidr && strchr(cidr, ':'))
		r->cidr_ipv6 = cidr;
	else if (cidr)
		r->cidr_ipv4 = cidr;
	r->prefix_list_id = prefix_list;
	return 0;
}

static int ingress_cmp(const void *a, const void *b)
{
	const gws_model_sg_ingress *x = a, *y = b;
	int c = strcmp(x->ip_protocol, y->ip_protocol);
	if (c)
		return c;
	if (x->from_port != y->from_port)
		return x->from_port < y->from_port ? -1 : 1;
	if (x->to_port != y->to_port)
		return x->to_port < y->to_port ? -1 : 1;
	if ((c = gws_strcmp_null(x->cidr_ipv4, y->cidr_ipv4)))
		return c;
	if ((c = gws_strcmp_null(x->cidr_ipv6, y->cidr_ipv6)))
		return c;
	return gws_strcmp_null(x->prefix_list_id, y->prefix_list_id);
}

int gws_model__build_security_groups(gws_model_ctx *ctx, gws_model_stack *stack)
{
	const gws_mf_lb_config *cfg = ctx->lb_config;
	gws_model_security_groups *sg = &stack->load_balancer.security_groups;
	const char *gw_ns = ctx->gateway->meta.namespace_, *gw_name = ctx->gateway->meta.name;
	bool dual = strncmp(stack->load_balancer.ip_address_type, "dualstack", 9) == 0;
	static const char *const v4_only[] = {"0.0.0.0/0"};
	static const char *const dual_default[] = {"0.0.0.0/0", "::/0"};
	const char *const *ranges;
	size_t n_ranges, i, j, k;
	ingress_list l = {NULL, 0, 0};
	const char *parts[5];
	int error;

	memset(sg, 0, sizeof(*sg));
	if (ctx->lb_type == GWS_MODEL_LB_NETWORK && cfg->disable_security_group.set &&
	    cfg->disable_security_group.value) {
		sg->mode = GWS_MODEL_SG_NONE;
		return 0;
	}
	if (cfg->has_security_groups && cfg->n_security_groups > 0) {
		sg->mode = GWS_MODEL_SG_EXPLICIT;
		sg->groups.items = cfg->security_groups;
		sg->groups.n = cfg->n_security_groups;
		sg->manage_backend_rules = cfg->manage_backend_security_group_rules.set &&
		                           cfg->manage_backend_security_group_rules.value;
		return 0;
	}
	sg->mode = GWS_MODEL_SG_MANAGED;
	sg->id = "ManagedLBSecurityGroup";
	sg->description = "[k8s] Managed SecurityGroup for LoadBalancer";
	parts[0] = ctx->opts.cluster;
	parts[1] = gw_name;
	parts[2] = gw_ns;
	parts[3] = gws_model__printf(ctx, "%s/%s", gw_ns, gw_name); /* stands in for the UID */
	parts[4] = NULL;
	if (!parts[3] || !(sg->name = gws_model__lbc_name(ctx, gw_ns, gw_name, parts)))
		return GWS_ENOMEM;
	if (cfg->has_source_ranges && cfg->n_source_ranges) {
		ranges = cfg->source_ranges;
		n_ranges = cfg->n_source_ranges;
	} else {
		ranges = dual ? dual_default : v4_only;
		n_ranges = dual ? 2 : 1;
	}
	for (i = 0; i < stack->n_listeners; i++) {
		const gws_model_listener *lis = stack->listeners[i];
		const char *p = lis->protocol;
		const char *protos[2];
		size_t n_protos = 0;
		if (strcmp(p, "UDP") == 0 || strcmp(p, "QUIC") == 0)
			protos[n_protos++] = "udp";
		else if (strcmp(p, "TCP_UDP") == 0 || strcmp(p, "TCP_QUIC") == 0) {
			protos[n_protos++] = "tcp";
			protos[n_protos++] = "udp";
		} else
			protos[n_protos++] = "tcp";
		for (k = 0; k < n_protos; k++) {
			for (j = 0; j < n_ranges; j++)
				if ((error = ingress_add(ctx, &l, protos[k], lis->port, lis->port,
				                         ranges[j], NULL)) < 0)
					return error;
			for (j = 0;
			     cfg->has_security_group_prefixes && j < cfg->n_security_group_prefixes;
			     j++)
				if ((error = ingress_add(ctx, &l, protos[k], lis->port, lis->port,
				                         NULL, cfg->security_group_prefixes[j])) <
				    0)
					return error;
		}
	}
	if (cfg->enable_icmp.set && cfg->enable_icmp.value) {
		for (j = 0; j < n_ranges; j++) {
			bool v6 = strchr(ranges[j], ':') != NULL;
			/* path-MTU discovery: v4 type 3 code 4, v6 type 2 code 0 */
			if ((error = ingress_add(ctx, &l, v6 ? "icmpv6" : "icmp", v6 ? 2 : 3,
			                         v6 ? 0 : 4, ranges[j], NULL)) < 0)
				return error;
		}
	}
	if (l.n > 1) {
		size_t w = 1;
		gws_qsort(l.items, l.n, sizeof(*l.items), ingress_cmp);
		for (i = 1; i < l.n; i++)
			if (ingress_cmp(&l.items[w - 1], &l.items[i]) != 0)
				l.items[w++] = l.items[i];
		l.n = w;
	}
	sg->ingress = l.items;
	sg->n_ingress = l.n;
	return gws_model__resource_tags(ctx, &sg->tags, sg->id, cfg->tags, cfg->n_tags);
}
