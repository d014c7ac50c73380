/*
 * YAML rendering: the JSON document re-emitted through libyaml's emitter, so
 * both formats always carry the same content in the same order.
 */
#include "model/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	return gws_buf_put(data, buffer, size) == 0;
}

/*
 * True when `s` written as a plain scalar could be read back as anything but
 * this string by a YAML 1.1 loader (PyYAML, sigs.k8s.io/yaml, Go yaml.v2) or
 * a YAML 1.2 one (core and JSON schemas). libyaml's emitter already quotes
 * what plain style cannot hold (indicators, leading or trailing spaces, line
 * breaks, ": ", " #"); what remains are the words and numbers the loaders
 * resolve to other types:
 *  - null: "", ~, null (any case);
 *  - booleans: true/false, and YAML 1.1's y/n/yes/no/on/off (any case);
 *  - YAML 1.1's merge key << and value key =;
 *  - every int, float and timestamp form of both versions (0x1F, 0o17, 017,
 *    0b101, 1_000, 1:30, 6.8e+5, .inf, -.Inf, .nan, 2001-12-14, ...): each
 *    starts with a digit, a sign or a dot, so all such strings are quoted.
 * Quoting a string needlessly costs nothing; leaving one plain can change
 * its type.
 */
static bool needs_quotes(const char *s)
{
	static const char *const words[] = {"~",   "null", "true", "false", "y",  "n",
	                                    "yes", "no",   "on",   "off",   "<<", "="};
	size_t i;

	if (s[0] == '\0' || strchr("0123456789+-.", s[0]))
		return true;
	for (i = 0; i < GWS_ARRAY_SIZE(words); i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

static int emit_scalar(yaml_emitter_t *em, const char *text, bool plain_ok)
{
	yaml_event_t ev;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
	                                  plain_ok, 1, YAML_ANY_SCALAR_STYLE))
		return GWS_ENOMEM;
	return yaml_emitter_emit(em, &ev) ? 0 : GWS_ERROR;
}

static int emit_value(yaml_emitter_t *em, json_t *v)
{
	yaml_event_t ev;
	char num[32];
	int error;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *child;
		if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
		                                         YAML_BLOCK_MAPPING_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return GWS_ERROR;
		json_object_foreach(v, key, child)
		{
			if ((error = emit_scalar(em, key, !needs_quotes(key))) < 0 ||
			    (error = emit_value(em, child)) < 0)
				return error;
		}
		if (!yaml_mapping_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
			return GWS_ERROR;
		return 0;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *child;
		if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
		                                          json_array_size(v)
		                                                  ? YAML_BLOCK_SEQUENCE_STYLE
		                                                  : YAML_FLOW_SEQUENCE_STYLE) ||
		    !yaml_emitter_emit(em, &ev))
			return GWS_ERROR;
		json_array_foreach(v, i, child)
		{
			if ((error = emit_value(em, child)) < 0)
				return error;
		}
		if (!yaml_sequence_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
			return GWS_ERROR;
		return 0;
	}
	case JSON_STRING:
		return emit_scalar(em, json_string_value(v), !needs_quotes(json_string_value(v)));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return emit_scalar(em, num, true);
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		return emit_scalar(em, num, true);
	case JSON_TRUE:
		return emit_scalar(em, "true", true);
	case JSON_FALSE:
		return emit_scalar(em, "false", true);
	case JSON_NULL:
	default:
		return emit_scalar(em, "null", true);
	}
}

int gws_model_render_yaml(gws_buf *out, const gws_model *model, const gws_diag_list *diags)
{
	gws_buf json = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	yaml_emitter_t em;
	yaml_event_t ev;
	json_t *root = NULL;
	json_error_t jerr;
	bool em_init = false;
	int error;

	if ((error = gws_model_render_json(&json, model, diags)) < 0)
		goto cleanup;
	root = json_loadb(json.ptr, json.size, JSON_PRESERVE_ORDER, &jerr);
	if (!root) {
		error = gws_error_set(GWS_ERROR, "re-reading the rendered JSON: %s", jerr.text);
		goto cleanup;
	}
	if (!yaml_emitter_initialize(&em)) {
		error = gws_error_set(GWS_ENOMEM, "cannot initialise the YAML emitter");
		goto cleanup;
	}
	em_init = true;
	yaml_emitter_set_output(&em, write_handler, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) ||
	    !yaml_emitter_emit(&em, &ev) ||
	    !yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) ||
	    !yaml_emitter_emit(&em, &ev) || (error = emit_value(&em, root)) < 0 ||
	    !yaml_document_end_event_initialize(&ev, 1) || !yaml_emitter_emit(&em, &ev) ||
	    !yaml_stream_end_event_initialize(&ev) || !yaml_emitter_emit(&em, &ev) ||
	    !yaml_emitter_flush(&em)) {
		error = gws_error_set(error == GWS_ENOMEM ? GWS_ENOMEM : GWS_ERROR,
		                      "YAML emitter: %s", em.problem ? em.problem : "write failed");
		goto cleanup;
	}
	error = 0;
cleanup:
	if (em_init)
		yaml_emitter_delete(&em);
	json_decref(root);
	gws_buf_dispose(&json);
	return error;
}
