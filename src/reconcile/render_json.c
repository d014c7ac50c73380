/*
 * The plan as a versioned JSON document for machines (docs/plan.md):
 * formatVersion "1" (a minor addition keeps it, a breaking change bumps
 * it), resource_changes with actions, before/after and changed paths,
 * resource_drift separately, the AWS calls in order, guards, notes, the
 * summary and the run's exit code and reason.
 */
#include <jansson.h>
#include <string.h>

#include "reconcile/internal.h"

#define PLAN_FORMAT_VERSION "1"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* json_object_set_new that remembers a failure. */
static void put(json_t *o, const char *k, json_t *v, bool *ok)
{
	if (!v || json_object_set_new(o, k, v) != 0)
		*ok = false;
}

static void push(json_t *a, json_t *v, bool *ok)
{
	if (!v || json_array_append_new(a, v) != 0)
		*ok = false;
}

static json_t *change_json(const gws_plan_change *c, bool *ok)
{
	json_t *o = json_object(), *acts = json_array(), *paths = json_array(),
	       *fields = json_array();

	if (!o || !acts || !paths || !fields) {
		json_decref(o);
		json_decref(acts);
		json_decref(paths);
		json_decref(fields);
		*ok = false;
		return NULL;
	}
	put(o, "address", json_string(c->address), ok);
	put(o, "gateway", json_string(c->stack), ok);
	put(o, "kind", json_string(gws_plan_kind_name(c->kind)), ok);
	put(o, "id", str_or_null(c->id), ok);
	put(o, "name", str_or_null(c->name), ok);
	put(o, "awsId", str_or_null(c->aws_id), ok);
	/* Terraform's shape: a replace is ["create", "delete"] (created first). */
	if (c->action == GWS_PLAN_REPLACE) {
		push(acts, json_string("create"), ok);
		push(acts, json_string("delete"), ok);
	} else {
		push(acts, json_string(gws_plan_action_name(c->action)), ok);
	}
	put(o, "actions", acts, ok);
	put(o, "drift", json_boolean(c->drift), ok);
	put(o, "reason", str_or_null(c->reason), ok);
	for (size_t i = 0; i < c->n_fields; i++) {
		json_t *f = json_object();

		if (!f) {
			*ok = false;
			break;
		}
		push(paths, json_string(c->fields[i].path), ok);
		put(f, "path", json_string(c->fields[i].path), ok);
		put(f, "before", str_or_null(c->fields[i].before), ok);
		put(f, "after", str_or_null(c->fields[i].after), ok);
		push(fields, f, ok);
	}
	put(o, "changedPaths", paths, ok);
	put(o, "fields", fields, ok);
	put(o, "state", json_string(gws_plan_state_name(c->state)), ok);
	put(o, "error", str_or_null(c->error), ok);
	return o;
}

static json_t *calls_json(const gws_plan *p, bool *ok)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->n_calls; i++) {
		const gws_plan_call *c = &p->calls[i];
		json_t *o = json_object();

		if (!o) {
			*ok = false;
			break;
		}
		put(o, "action", json_string(c->action), ok);
		put(o, "service", json_string(c->service), ok);
		put(o, "gateway", json_string(c->stack), ok);
		put(o, "target", str_or_null(c->target), ok);
		put(o, "change", json_string(p->changes[c->change].address), ok);
		put(o, "state", json_string(gws_plan_state_name(c->state)), ok);
		put(o, "error", str_or_null(c->error), ok);
		push(a, o, ok);
	}
	return a;
}

static json_t *guards_json(const gws_plan *p, bool *ok)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->n_guards; i++) {
		json_t *o = json_object();

		if (!o) {
			*ok = false;
			break;
		}
		put(o, "name", json_string(p->guards[i].name), ok);
		put(o, "limit", json_integer(p->guards[i].limit), ok);
		put(o, "actual", json_integer(p->guards[i].actual), ok);
		put(o, "result", json_string(p->guards[i].tripped ? "refused" : "passed"), ok);
		put(o, "message", json_string(p->guards[i].message), ok);
		push(a, o, ok);
	}
	return a;
}

static json_t *notes_json(const gws_plan *p, bool *ok)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->n_notes; i++) {
		json_t *o = json_object();

		if (!o) {
			*ok = false;
			break;
		}
		put(o, "severity", json_string(p->notes[i].error ? "error" : "info"), ok);
		put(o, "gateway", str_or_null(p->notes[i].stack), ok);
		put(o, "message", json_string(p->notes[i].message), ok);
		push(a, o, ok);
	}
	return a;
}

static json_t *summary_json(const gws_plan *p)
{
	const gws_plan_summary *s = &p->summary;

	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "create", (json_int_t)s->create, "update",
	                 (json_int_t)s->update, "replace", (json_int_t)s->replace, "delete",
	                 (json_int_t)s->delete_, "drift", (json_int_t)s->drift, "failed",
	                 (json_int_t)s->failed, "skipped", (json_int_t)s->skipped);
}

int gws_plan_render_json(gws_buf *out, const gws_plan *p, int exit_code, const char *exit_reason)
{
	json_t *doc = json_object(), *changes = json_array(), *drift = json_array();
	bool ok = doc && changes && drift;
	char *text = NULL;
	int rc;

	put(doc, "formatVersion", json_string(PLAN_FORMAT_VERSION), &ok);
	put(doc, "tool", json_pack("{s:s,s:s}", "name", "gwsync", "version", gws_version()), &ok);
	put(doc, "mode", json_string(p->dry_run ? "plan" : "apply"), &ok);
	put(doc, "cluster", str_or_null(p->cluster), &ok);
	put(doc, "region", str_or_null(p->region), &ok);
	put(doc, "vpcId", str_or_null(p->vpc_id), &ok);
	if (p->shard.count > 1)
		put(doc, "shard",
		    json_pack("{s:i,s:i,s:I,s:I}", "index", (int)p->shard.index, "count",
		              (int)p->shard.count, "gateways", (json_int_t)p->shard_gateways,
		              "skippedGateways", (json_int_t)p->shard_skipped),
		    &ok);
	for (size_t i = 0; ok && i < p->n_changes; i++) {
		push(changes, change_json(&p->changes[i], &ok), &ok);
		if (ok && p->changes[i].drift)
			push(drift, change_json(&p->changes[i], &ok), &ok);
	}
	put(doc, "resource_changes", changes, &ok);
	put(doc, "resource_drift", drift, &ok);
	changes = drift = NULL;
	put(doc, "calls", calls_json(p, &ok), &ok);
	put(doc, "guards", guards_json(p, &ok), &ok);
	put(doc, "notes", notes_json(p, &ok), &ok);
	put(doc, "summary", summary_json(p), &ok);
	put(doc, "exit",
	    json_pack("{s:i,s:s}", "code", exit_code, "reason", exit_reason ? exit_reason : ""),
	    &ok);
	if (ok)
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	json_decref(changes);
	json_decref(drift);
	if (!text)
		return gws_error_set(GWS_ENOMEM, "out of memory rendering the plan as JSON");
	rc = gws_buf_puts(out, text);
	if (rc == 0)
		rc = gws_buf_putc(out, '\n');
	free(text);
	return rc;
}
