/*
 * --targets direct (docs/targets.md): the targets each target group should
 * hold, read from the Kubernetes API, registered and deregistered by
 * difference. All reads come first, so a Kubernetes API failure changes
 * nothing in AWS.
 */
#include <string.h>

#include "targets/internal.h"

/* RegisterTargets/DeregisterTargets take this many targets per call. */
#define BATCH 200

typedef struct {
	const char *stack; /* "namespace/name" of its Gateway */
	const gws_model_target_group *tg;
	const char *arn;
	gws_elbv2_target *want; /* sorted, unique */
	size_t n_want;
	bool known; /* the reads for it succeeded */
} group;

typedef struct {
	const gws_targets_direct_input *in;
	gws_arena *arena;
	json_t *nodes; /* array, read once when an instance target group needs it */
	gws_vec want;  /* gws_elbv2_target * being collected for one group */
} ctx;

static int target_cmp(const void *a, const void *b)
{
	const gws_elbv2_target *x = a, *y = b; /* gws_vec_sort passes the items */
	int c = strcmp(x->id, y->id);

	return c ? c : (x->port > y->port) - (x->port < y->port);
}

static int add_target(ctx *c, const char *id, int port)
{
	gws_elbv2_target *t = gws_arena_calloc(c->arena, 1, sizeof(*t));

	if (!t || !(t->id = gws_arena_strdup(c->arena, id)))
		return GWS_ENOMEM;
	t->port = port;
	return gws_vec_push(&c->want, t);
}

/* ---- instance targets ------------------------------------------------------------ */

static int collect_node(void *p, json_t *item)
{
	return json_array_append(p, item) == 0 ? 0 : GWS_ENOMEM;
}

static int want_instances(ctx *c, const gws_model_target_group *tg)
{
	json_t *node;
	size_t i;
	int error;

	if (!c->nodes) {
		if (!(c->nodes = json_array()))
			return GWS_ENOMEM;
		if ((error = gws_kube_list(c->in->kube, "/api/v1/nodes", collect_node, c->nodes)) <
		    0)
			return error;
	}
	json_array_foreach(c->nodes, i, node)
	{
		const char *id = gws_targets__node_instance(node, tg->node_selector);

		if (!id)
			continue;
		if ((error = add_target(c, id, tg->port)) < 0)
			return error;
	}
	return 0;
}

/* ---- ip targets ------------------------------------------------------------------ */

typedef struct {
	ctx *c;
	const char *port_name; /* of the Service port, "" when unnamed */
	const char *address_type;
} slices;

static int on_endpoint(void *p, const char *address, int port)
{
	return add_target(p, address, port);
}

static int on_slice(void *p, json_t *slice)
{
	slices *s = p;

	return gws_targets__slice_endpoints(slice, s->port_name, s->address_type, on_endpoint,
	                                    s->c);
}

/* The name of the Service port the backendRef names, from the cluster's Service. */
static int service_port_name(ctx *c, const gws_model_target_group *tg, const char **out)
{
	char *path = gws_asprintf("/api/v1/namespaces/%s/services/%s", tg->backend.namespace_,
	                          tg->backend.name);
	json_t *svc = NULL;
	const char *name;
	int error;

	*out = NULL;
	if (!path)
		return GWS_ENOMEM;
	error = gws_kube_get(c->in->kube, path, &svc);
	gws_free(path);
	if (error < 0)
		return error;
	name = gws_targets__service_port_name(svc, tg->backend.port);
	*out = name ? gws_arena_strdup(c->arena, name) : NULL;
	json_decref(svc);
	if (!*out)
		return gws_error_set(GWS_ENOTFOUND,
		                     "Kubernetes API: Service %s/%s has no port %d in the cluster",
		                     tg->backend.namespace_, tg->backend.name, tg->backend.port);
	return 0;
}

static int want_ips(ctx *c, const gws_model_target_group *tg)
{
	slices s = {c, NULL,
	            tg->ip_address_type && strcmp(tg->ip_address_type, "ipv6") == 0 ? "IPv6"
	                                                                            : "IPv4"};
	char *path;
	int error;

	if ((error = service_port_name(c, tg, &s.port_name)) < 0)
		return error;
	path = gws_asprintf("/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices"
	                    "?labelSelector=kubernetes.io%%2Fservice-name%%3D%s",
	                    tg->backend.namespace_, tg->backend.name);
	if (!path)
		return GWS_ENOMEM;
	error = gws_kube_list(c->in->kube, path, on_slice, &s);
	gws_free(path);
	return error;
}

/* ---- the plan and the calls --------------------------------------------------------- */

static const char *find_arn(const gws_targets_direct_input *in, const char *stack, const char *id)
{
	for (size_t i = 0; i < in->n_resources; i++) {
		const gws_report_resource *r = &in->resources[i];

		if (r->arn && r->kind && strcmp(r->kind, "TargetGroup") == 0 && r->stack &&
		    strcmp(r->stack, stack) == 0 && r->id && strcmp(r->id, id) == 0)
			return r->arn;
	}
	return NULL;
}

static int read_group(ctx *c, group *g)
{
	bool instance = strcmp(g->tg->target_type, "instance") == 0;
	int error;

	c->want.len = 0;
	error = instance ? want_instances(c, g->tg) : want_ips(c, g->tg);
	if (error < 0)
		return error;
	if ((error = gws_vec_sort(&c->want, target_cmp)) < 0)
		return error;
	g->want = gws_arena_calloc(c->arena, c->want.len ? c->want.len : 1, sizeof(*g->want));
	if (!g->want)
		return GWS_ENOMEM;
	for (size_t i = 0; i < c->want.len; i++) {
		const gws_elbv2_target *t = c->want.items[i];

		/* Two slices can list one endpoint while it moves between them. */
		if (g->n_want && target_cmp(&g->want[g->n_want - 1], t) == 0)
			continue;
		g->want[g->n_want++] = *t;
	}
	g->known = true;
	return 0;
}

static bool holds(const gws_elbv2_target *list, size_t n, const gws_elbv2_target *t)
{
	for (size_t i = 0; i < n; i++)
		if (target_cmp(&list[i], t) == 0)
			return true;
	return false;
}

static int call_batches(ctx *c, const group *g, gws_elbv2_target *list, size_t n, bool reg,
                        gws_targets_direct_result *res)
{
	for (size_t i = 0; i < n; i += BATCH) {
		gws_elbv2_targets batch = {list + i, n - i < BATCH ? n - i : BATCH};
		int error;

		for (size_t j = 0; j < batch.count; j++)
			gws_log(GWS_LOG_INFO, GWS_TARGETS_LOG, "%s %s: %s:%d%s",
			        reg ? "register" : "deregister", g->tg->name, batch.items[j].id,
			        batch.items[j].port, c->in->dry_run ? " (dry run)" : "");
		if (c->in->dry_run)
			continue;
		res->calls++;
		error = reg ? gws_elbv2_register_targets(c->in->aws, g->arn, &batch)
		            : gws_elbv2_deregister_targets(c->in->aws, g->arn, &batch);
		if (error < 0)
			return error;
	}
	return 0;
}

/* The targets of `h` counted by state. */
static void count_health(gws_report_target_health *out, const gws_elbv2_target_healths *h)
{
	out->total = h->count;
	for (size_t i = 0; i < h->count; i++) {
		const char *st = h->items[i].state ? h->items[i].state : "";

		if (strcmp(st, "healthy") == 0)
			out->healthy++;
		else if (strcmp(st, "initial") == 0)
			out->initial++;
		else if (strcmp(st, "unhealthy") == 0)
			out->unhealthy++;
		else if (strcmp(st, "draining") == 0 || strcmp(st, "unhealthy.draining") == 0)
			out->draining++;
		else if (strcmp(st, "unused") == 0)
			out->unused++;
		else if (strcmp(st, "unavailable") == 0)
			out->unavailable++;
		else
			out->other++;
	}
}

static void log_health(const group *g, const gws_report_target_health *h)
{
	gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE);

	if (gws_report_health_states(&line, h) < 0)
		gws_buf_clear(&line);
	gws_log(GWS_LOG_INFO, GWS_TARGETS_LOG, "target group %s: %zu target%s%s%s", g->tg->name,
	        h->total, h->total == 1 ? "" : "s", line.size ? ": " : "", gws_buf_cstr(&line));
	gws_buf_dispose(&line);
}

/*
 * The health after the change, for the log and SUMMARY.md. When nothing was
 * registered or deregistered, the read made before is the answer: a run
 * without changes reads each target group once.
 */
static void record_health(ctx *c, const group *g, const gws_elbv2_target_healths *before,
                          bool changed, gws_targets_direct_result *res)
{
	gws_elbv2_target_healths after = {0};
	gws_report_target_health *h;

	if (changed &&
	    gws_elbv2_describe_target_health(c->in->aws, c->arena, g->arn, NULL, &after) < 0) {
		gws_log(GWS_LOG_WARN, GWS_TARGETS_LOG, "target group %s: health unknown: %s",
		        g->tg->name, gws_error_last());
		return;
	}
	h = &res->health[res->n_health++];
	h->stack = g->stack;
	h->id = g->tg->id;
	count_health(h, changed ? &after : before);
	log_health(g, h);
}

static int apply_group(ctx *c, const group *g, gws_targets_direct_result *res)
{
	gws_elbv2_target_healths cur = {0};
	gws_elbv2_target *add, *del;
	size_t n_add = 0, n_del = 0;
	int error;

	if ((error = gws_elbv2_describe_target_health(c->in->aws, c->arena, g->arn, NULL, &cur)) <
	    0)
		return error;
	add = gws_arena_calloc(c->arena, g->n_want + 1, sizeof(*add));
	del = gws_arena_calloc(c->arena, cur.count + 1, sizeof(*del));
	if (!add || !del)
		return GWS_ENOMEM;
	for (size_t i = 0; i < g->n_want; i++) {
		bool there = false;

		for (size_t j = 0; j < cur.count && !there; j++)
			there = target_cmp(&cur.items[j].target, &g->want[i]) == 0;
		if (!there)
			add[n_add++] = g->want[i];
	}
	for (size_t j = 0; j < cur.count; j++) {
		/* A target already draining is on its way out: asking again changes nothing. */
		if (cur.items[j].state && strcmp(cur.items[j].state, "draining") == 0)
			continue;
		if (!holds(g->want, g->n_want, &cur.items[j].target) &&
		    !holds(del, n_del, &cur.items[j].target))
			del[n_del++] = (gws_elbv2_target){cur.items[j].target.id,
			                                  cur.items[j].target.port, NULL};
	}
	/* New targets first, so the group is never emptier than it has to be. */
	if ((error = call_batches(c, g, add, n_add, true, res)) < 0)
		return error;
	res->registered += n_add;
	if ((error = call_batches(c, g, del, n_del, false, res)) < 0)
		return error;
	res->deregistered += n_del;
	if (!c->in->dry_run)
		record_health(c, g, &cur, n_add + n_del > 0, res);
	return 0;
}

int gws_targets_register(const gws_targets_direct_input *in, gws_targets_direct_result *out)
{
	gws_targets_direct_result res = {0};
	ctx c = {in, NULL, NULL, GWS_VEC_INIT};
	gws_vec groups = GWS_VEC_INIT;
	int error = 0, auth = 0;

	if (!in || !in->model || !in->kube || !in->aws) {
		error = gws_error_set(GWS_EINVALID, "targets: missing input");
		goto cleanup;
	}
	if ((error = gws_arena_new(&c.arena)) < 0)
		goto cleanup;
	for (size_t s = 0; s < gws_model_stack_count(in->model) && !error; s++) {
		const gws_model_stack *st = gws_model_stack_at(in->model, s);

		for (size_t t = 0; t < st->n_target_groups && !error; t++) {
			const gws_model_target_group *tg = st->target_groups[t];
			const char *arn = find_arn(in, st->gateway, tg->id);
			group *g;

			if (!arn || !tg->target_type)
				continue;
			if (!(g = gws_arena_calloc(c.arena, 1, sizeof(*g))) ||
			    gws_vec_push(&groups, g) < 0) {
				error = GWS_ENOMEM;
				break;
			}
			g->stack = st->gateway;
			g->tg = tg;
			g->arn = arn;
			/* Every read before any write: a failure here changes nothing. A
			 * Service missing from the cluster leaves its target group alone. */
			error = read_group(&c, g);
			if (error == GWS_ENOTFOUND) {
				gws_log(GWS_LOG_WARN, GWS_TARGETS_LOG,
				        "target group %s: %s: its targets are left as they are",
				        tg->name, gws_error_last());
				error = 0;
			}
		}
	}
	if (error < 0)
		goto cleanup;
	if (!(res.health = gws_calloc(groups.len ? groups.len : 1, sizeof(*res.health)))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < groups.len; i++) {
		const group *g = groups.items[i];
		int rc;

		if (!g->known)
			continue;
		rc = apply_group(&c, g, &res);

		res.target_groups++;
		if (rc == GWS_ENOMEM) {
			error = rc;
			goto cleanup;
		}
		if (rc < 0) {
			res.failed_groups++;
			gws_log(GWS_LOG_ERROR, GWS_TARGETS_LOG, "target group %s: %s", g->tg->name,
			        gws_error_last());
			if (rc == GWS_EAUTH)
				auth = rc;
		}
	}
	error = auth;
	if (auth)
		gws_error_set(GWS_EAUTH, "targets: AWS refused a target registration call");
cleanup:
	if (out)
		*out = res;
	else
		gws_targets_direct_result_dispose(&res);
	json_decref(c.nodes);
	gws_vec_dispose(&c.want);
	gws_vec_dispose(&groups);
	gws_arena_free(c.arena);
	return error;
}

void gws_targets_direct_result_dispose(gws_targets_direct_result *res)
{
	if (!res)
		return;
	gws_free(res->health);
	res->health = NULL;
	res->n_health = 0;
}
