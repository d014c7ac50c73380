/*
 * status/<namespace>/<Kind>/<name>.yaml: the `status:` stanza of each object,
 * shaped as `kubectl get -o yaml` shows it (keys sorted, empty optional lists
 * left out). Each condition keeps the lastTransitionTime of the previous file
 * while its status is unchanged; otherwise it gets the run's `now`.
 *
 * observedGeneration is not written: there is no API server, so there is no
 * generation a status could have observed (a metadata.generation written in a
 * manifest is ignored by the API server when applied).
 */
#include "report/internal.h"

#include <stdio.h>
#include <string.h>

typedef struct {
	gws_report__ctx *ctx;
	gws_report__yaml y;
	gws_report__prev prev;
	gws_buf key;
	char now[32];
	int error;
} writer;

static void note(writer *w, int error)
{
	if (error < 0 && !w->error)
		w->error = error;
}

static const char *clean(writer *w, const char *s, size_t max)
{
	const char *c = gws_report__clean(w->ctx->arena, s, max);
	if (!c)
		note(w, GWS_ENOMEM);
	return c ? c : "";
}

/* The condition list; `key_of` builds each condition's key into w->key. */
static void conditions(writer *w, const gws_model_conditions *c,
                       int (*key_of)(writer *w, const char *type, const void *arg), const void *arg)
{
	gws_report__yaml *y = &w->y;

	gws_report__yaml_str(y, "conditions");
	gws_report__yaml_seq(y, c->n == 0);
	for (size_t i = 0; i < c->n; i++) {
		const gws_model_status_condition *k = &c->items[i];
		const char *time = NULL;
		gws_buf_clear(&w->key);
		note(w, key_of(w, k->type, arg));
		if (!w->error)
			time = gws_report__prev_time(&w->prev, gws_buf_cstr(&w->key), k->status);
		gws_report__yaml_map(y);
		gws_report__yaml_kv(y, "lastTransitionTime", time ? time : w->now);
		gws_report__yaml_kv(y, "message", clean(w, k->message, GWS_REPORT_CAP_MESSAGE));
		gws_report__yaml_kv(y, "reason", clean(w, k->reason, 1024));
		gws_report__yaml_kv(y, "status", clean(w, k->status, 64));
		gws_report__yaml_kv(y, "type", clean(w, k->type, 316));
		gws_report__yaml_map_end(y);
	}
	gws_report__yaml_seq_end(y);
}

static int key_object(writer *w, const char *type, const void *arg)
{
	(void)arg;
	return gws_report__key_object(&w->key, type);
}

static int key_listener(writer *w, const char *type, const void *arg)
{
	return gws_report__key_listener(&w->key, arg, type);
}

static int key_parent(writer *w, const char *type, const void *arg)
{
	return gws_report__key_parent(&w->key, arg, type);
}

static void gateway_body(writer *w, const gws_report__gateway *g)
{
	const gws_model_gateway_status *gs = g->status;
	gws_report__yaml *y = &w->y;

	if (g->dns_name) {
		gws_report__yaml_str(y, "addresses");
		gws_report__yaml_seq(y, false);
		gws_report__yaml_map(y);
		gws_report__yaml_kv(y, "type", "Hostname");
		gws_report__yaml_kv(y, "value", g->dns_name);
		gws_report__yaml_map_end(y);
		gws_report__yaml_seq_end(y);
	}
	conditions(w, &g->conditions, key_object, NULL);
	if (gs->n_listeners == 0)
		return;
	gws_report__yaml_str(y, "listeners");
	gws_report__yaml_seq(y, false);
	for (size_t i = 0; i < gs->n_listeners; i++) {
		const gws_model_listener_status *l = &gs->listeners[i];
		const char *name = clean(w, l->name, 1024);
		gws_report__yaml_map(y);
		gws_report__yaml_str(y, "attachedRoutes");
		gws_report__yaml_int(y, l->attached_routes);
		conditions(w, &g->listeners[i], key_listener, name);
		gws_report__yaml_kv(y, "name", name);
		gws_report__yaml_str(y, "supportedKinds");
		gws_report__yaml_seq(y, l->n_supported_kinds == 0);
		for (size_t k = 0; k < l->n_supported_kinds; k++) {
			gws_report__yaml_map(y);
			gws_report__yaml_kv(y, "group",
			                    clean(w, l->supported_kinds[k].group, 1024));
			gws_report__yaml_kv(y, "kind", clean(w, l->supported_kinds[k].kind, 1024));
			gws_report__yaml_map_end(y);
		}
		gws_report__yaml_seq_end(y);
		gws_report__yaml_map_end(y);
	}
	gws_report__yaml_seq_end(y);
}

static void route_body(writer *w, const gws_model_route_status *rs)
{
	gws_report__yaml *y = &w->y;
	char port[16];

	gws_report__yaml_str(y, "parents");
	gws_report__yaml_seq(y, rs->n_parents == 0);
	for (size_t i = 0; i < rs->n_parents; i++) {
		const gws_model_route_parent_status *p = rs->parents[i];
		const char *ref[7];
		snprintf(port, sizeof(port), "%d", p->port);
		ref[0] = clean(w, p->group, 1024);
		ref[1] = clean(w, p->kind, 1024);
		ref[2] = p->namespace_ ? clean(w, p->namespace_, 1024) : NULL;
		ref[3] = clean(w, p->name, 1024);
		ref[4] = p->section_name ? clean(w, p->section_name, 1024) : NULL;
		ref[5] = p->has_port ? port : NULL;
		ref[6] = clean(w, p->controller_name, 1024);
		gws_report__yaml_map(y);
		conditions(w, &p->conditions, key_parent, ref);
		gws_report__yaml_kv(y, "controllerName", ref[6]);
		gws_report__yaml_str(y, "parentRef");
		gws_report__yaml_map(y);
		gws_report__yaml_kv(y, "group", ref[0]);
		gws_report__yaml_kv(y, "kind", ref[1]);
		gws_report__yaml_kv(y, "name", ref[3]);
		if (ref[2])
			gws_report__yaml_kv(y, "namespace", ref[2]);
		if (ref[5]) {
			gws_report__yaml_str(y, "port");
			gws_report__yaml_int(y, p->port);
		}
		if (ref[4])
			gws_report__yaml_kv(y, "sectionName", ref[4]);
		gws_report__yaml_map_end(y);
		gws_report__yaml_map_end(y);
	}
	gws_report__yaml_seq_end(y);
}

typedef enum { BODY_CLASS, BODY_GATEWAY, BODY_ROUTE } body_kind;

/* One file: read the previous one, emit, plan. */
static int status_file(writer *w, const gws_manifest_object *obj, body_kind kind, const void *arg)
{
	gws_buf prev = GWS_BUF_INIT(GWS_REPORT_CAP_STATUS_FILE);
	gws_buf out = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_buf path = GWS_BUF_INIT(GWS_CAP_LINE);
	const char *ns =
	        gws_manifest_kind_namespaced(obj->kind) ? obj->meta.namespace_ : "_cluster";
	int error;

	if (!gws_report__safe_component(ns) || !gws_report__safe_component(obj->meta.name)) {
		/* The loader reports such names; here they must only never become paths. */
		gws_log(GWS_LOG_WARN, GWS_REPORT_LOG,
		        "%s: no status file: its namespace or name cannot be a file name",
		        clean(w, obj->ref, 1024));
		return w->error;
	}
	if ((error = gws_buf_printf(&path, "status/%s/%s/%s.yaml", ns,
	                            gws_manifest_kind_name(obj->kind), obj->meta.name)) < 0)
		goto cleanup;
	gws_report__prev_init(&w->prev);
	error = gws_report__fs_read(&prev, w->ctx->dirfd, gws_buf_cstr(&path));
	if (error == 0)
		error = gws_report__prev_parse(&w->prev, prev.ptr, prev.size);
	else if (error == GWS_ENOTFOUND || error == GWS_ETOOBIG || error == GWS_EIO)
		error = 0; /* no usable previous file: every condition starts now */
	gws_error_clear();
	if (error < 0)
		goto cleanup;

	gws_report__yaml_begin(&w->y, &out);
	gws_report__yaml_map(&w->y);
	gws_report__yaml_str(&w->y, "status");
	gws_report__yaml_map(&w->y);
	if (kind == BODY_CLASS)
		conditions(w, arg, key_object, NULL);
	else if (kind == BODY_GATEWAY)
		gateway_body(w, arg);
	else
		route_body(w, arg);
	gws_report__yaml_map_end(&w->y);
	gws_report__yaml_map_end(&w->y);
	if ((error = gws_report__yaml_end(&w->y)) < 0 || (error = w->error) < 0)
		goto cleanup;
	error = gws_report__add_file(w->ctx, gws_buf_cstr(&path), &out);
cleanup:
	gws_report__prev_dispose(&w->prev);
	gws_buf_dispose(&prev);
	gws_buf_dispose(&out);
	gws_buf_dispose(&path);
	return error;
}

int gws_report__status_files(gws_report__ctx *ctx)
{
	const gws_model *m = ctx->in->model;
	writer w;
	size_t i;
	int error = 0;

	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	gws_buf_init(&w.key, 16 * 1024);
	gws_report__format_time(w.now, ctx->in->now);
	for (i = 0;
	     gws_report__owns_shared(ctx) && i < gws_model_gateway_class_status_count(m) && !error;
	     i++) {
		const gws_model_gateway_class_status *s = gws_model_gateway_class_status_at(m, i);
		error = status_file(&w, s->object, BODY_CLASS, &s->conditions);
	}
	for (i = 0; i < ctx->n_gateways && !error; i++)
		error = status_file(&w, ctx->gateways[i].status->object, BODY_GATEWAY,
		                    &ctx->gateways[i]);
	for (i = 0; i < gws_model_route_status_count(m) && !error; i++) {
		const gws_model_route_status *s = gws_model_route_status_at(m, i);
		if (gws_report__owns_route(ctx, s))
			error = status_file(&w, s->object, BODY_ROUTE, s);
	}
	gws_buf_dispose(&w.key);
	return error;
}
