/*
 * A YAML document read into JSON, with every scalar as a string: enough for
 * a kubeconfig, whose fields are all strings (and whose booleans gwsync does
 * not read). Aliases are refused, so a small file cannot expand into a large
 * tree.
 */
#include <string.h>
#include <yaml.h>

#include "kube/internal.h"

#define MAX_DEPTH 32

static int node_to_json(json_t **out, yaml_parser_t *p, yaml_event_t *ev, int depth,
                        const char *name);

static int next(yaml_parser_t *p, yaml_event_t *ev, const char *name)
{
	if (!yaml_parser_parse(p, ev))
		return gws_error_set(GWS_EINVALID, "%s: not YAML: %s (line %zu)", name,
		                     p->problem ? p->problem : "parse error",
		                     (size_t)p->problem_mark.line + 1);
	return 0;
}

static int collection(json_t *coll, yaml_parser_t *p, int depth, const char *name, bool map)
{
	yaml_event_t ev;
	int error;

	for (;;) {
		json_t *key = NULL, *value = NULL;

		if ((error = next(p, &ev, name)) < 0)
			return error;
		if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		error = node_to_json(map ? &key : &value, p, &ev, depth + 1, name);
		yaml_event_delete(&ev);
		if (!error && map) {
			if (!json_is_string(key))
				error = gws_error_set(GWS_EINVALID,
				                      "%s: a mapping key is not a "
				                      "string",
				                      name);
			else if (!(error = next(p, &ev, name))) {
				error = node_to_json(&value, p, &ev, depth + 1, name);
				yaml_event_delete(&ev);
			}
		}
		if (!error) {
			/* The _new setters take the value, also when they fail. */
			int rc = map ? json_object_set_new(coll, json_string_value(key), value)
			             : json_array_append_new(coll, value);

			value = NULL;
			if (rc != 0)
				error = GWS_ENOMEM;
		}
		json_decref(key);
		json_decref(value);
		if (error)
			return error;
	}
}

static int node_to_json(json_t **out, yaml_parser_t *p, yaml_event_t *ev, int depth,
                        const char *name)
{
	json_t *v;
	int error;

	*out = NULL;
	if (depth > MAX_DEPTH)
		return gws_error_set(GWS_EINVALID, "%s: nested too deeply", name);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		v = json_stringn((const char *)ev->data.scalar.value, ev->data.scalar.length);
		if (!v)
			return gws_error_set(GWS_EINVALID, "%s: a value is not UTF-8", name);
		*out = v;
		return 0;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT: {
		bool map = ev->type == YAML_MAPPING_START_EVENT;

		if (!(v = map ? json_object() : json_array()))
			return GWS_ENOMEM;
		if ((error = collection(v, p, depth, name, map)) < 0) {
			json_decref(v);
			return error;
		}
		*out = v;
		return 0;
	}
	case YAML_ALIAS_EVENT:
		return gws_error_set(GWS_EINVALID, "%s: YAML aliases are not accepted", name);
	default:
		return gws_error_set(GWS_EINVALID, "%s: unexpected YAML structure", name);
	}
}

int gws_kube__yaml_to_json(json_t **out, const char *data, size_t len, const char *name)
{
	yaml_parser_t p;
	yaml_event_t ev;
	json_t *doc = NULL;
	int error = 0;

	*out = NULL;
	if (!yaml_parser_initialize(&p))
		return GWS_ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	/* stream start, document start, the root node */
	while (!error && !doc) {
		if ((error = next(&p, &ev, name)) < 0)
			break;
		if (ev.type == YAML_STREAM_END_EVENT)
			error = gws_error_set(GWS_EINVALID, "%s: empty", name);
		else if (ev.type != YAML_STREAM_START_EVENT && ev.type != YAML_DOCUMENT_START_EVENT)
			error = node_to_json(&doc, &p, &ev, 0, name);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (!error && !json_is_object(doc))
		error = gws_error_set(GWS_EINVALID, "%s: not a mapping", name);
	if (error) {
		json_decref(doc);
		return error;
	}
	*out = doc;
	return 0;
}
