/*
 * The JSON 1.1 protocol (ACM): every call is a POST of one JSON object to
 * "/", named by the X-Amz-Target header "<prefix>.<Action>"; a reply is one
 * JSON object, an error {"__type": "...#Code", "message": "..."}.
 * docs/aws.md, "JSON 1.1 services", describes what is sent.
 *
 * The engine (client.c) signs, sends, retries and pages these ops exactly
 * as it does Query ones; this file holds what differs: the body, the reply
 * parse and the error document.
 */
#include <string.h>

#include "aws/call.h"

gws_aws__op *gws_aws__op_json(gws_aws__op *op, const char *target_prefix, json_t *body,
                              gws_aws__json_fn decode)
{
	if (!op || !body) {
		json_decref(body);
		gws_aws__op_free(op);
		return NULL;
	}
	op->target_prefix = target_prefix;
	op->json = body;
	op->decode_json = decode;
	return op;
}

int gws_aws__json_set_before(json_t *obj, const char *key, json_t *value, const char *before)
{
	json_t *later = NULL;
	const char *k;
	json_t *v;
	bool moving = false;
	int rc = 0;

	if (!value)
		return GWS_ENOMEM;
	if (json_object_get(obj, key) || !before || !json_object_get(obj, before))
		return json_object_set_new(obj, key, value) < 0 ? GWS_ENOMEM : 0;
	/* jansson appends new keys: take the members from `before` on out and
	 * put them back after the new one. */
	if (!(later = json_object())) {
		json_decref(value);
		return GWS_ENOMEM;
	}
	json_object_foreach(obj, k, v)
	{
		moving = moving || strcmp(k, before) == 0;
		if (moving && json_object_set(later, k, v) < 0)
			rc = GWS_ENOMEM;
	}
	json_object_foreach(later, k, v)
	{
		json_object_del(obj, k);
	}
	if (json_object_set_new(obj, key, value) < 0 || json_object_update(obj, later) < 0)
		rc = GWS_ENOMEM;
	json_decref(later);
	return rc;
}

/* The reply's object, or GWS_EREMOTE naming what is wrong with it. */
int gws_aws__json_parse(json_t **out, const char *data, size_t len)
{
	json_error_t jerr;

	*out = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*out)
		/* jansson's text may quote the input: the position is enough. */
		return gws_error_set(GWS_EREMOTE, "not JSON (line %d, column %d)", jerr.line,
		                     jerr.column);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return gws_error_set(GWS_EREMOTE, "the reply is not a JSON object");
	}
	return 0;
}

/* "aws.protocoltests#FooError:http://internal" → "FooError". */
static void copy_code(char *out, size_t size, const char *type)
{
	const char *hash = strrchr(type, '#');
	const char *start = hash ? hash + 1 : type;
	size_t n = strcspn(start, ":");

	if (n >= size)
		n = size - 1;
	memcpy(out, start, n);
	out[n] = '\0';
}

int gws_aws__json_decode_error(const char *data, size_t len, gws_aws_error *err)
{
	json_t *doc = NULL, *type, *msg;
	int rc;

	if ((rc = gws_aws__json_parse(&doc, data, len)) < 0)
		return rc;
	type = json_object_get(doc, "__type");
	if (!json_is_string(type)) /* some services spell it "code" */
		type = json_object_get(doc, "code");
	if (!json_is_string(type) || !*json_string_value(type)) {
		json_decref(doc);
		return gws_error_set(GWS_EINVALID, "not an AWS error document");
	}
	msg = json_object_get(doc, "message");
	if (!json_is_string(msg))
		msg = json_object_get(doc, "Message");
	copy_code(err->code, sizeof(err->code), json_string_value(type));
	snprintf(err->message, sizeof(err->message), "%s",
	         json_is_string(msg) ? json_string_value(msg) : "");
	json_decref(doc);
	return 0;
}

const char *gws_aws__json_str(gws_arena *arena, const json_t *obj, const char *key, int *err)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		if (!*err)
			*err = gws_error_set(GWS_EREMOTE, "%s is not a string", key);
		return NULL;
	}
	if (!(s = gws_arena_strndup(arena, json_string_value(v), json_string_length(v))) && !*err)
		*err = GWS_ENOMEM;
	return s;
}

int gws_aws__json_strings(gws_arena *arena, const json_t *arr, const char *member,
                          gws_aws_strings *out)
{
	size_t i, n = json_is_array(arr) ? json_array_size(arr) : 0;
	const char **items;
	int err = 0;

	out->items = NULL;
	out->count = 0;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return gws_error_set(GWS_EREMOTE, "a list is not a JSON array");
	if (n == 0)
		return 0;
	if (!(items = gws_arena_calloc(arena, n, sizeof(*items))))
		return GWS_ENOMEM;
	for (i = 0; i < n && !err; i++) {
		const json_t *v = json_array_get(arr, i);

		if (member) {
			if (!json_is_object(v))
				return gws_error_set(GWS_EREMOTE, "a list item is not an object");
			items[i] = gws_aws__json_str(arena, v, member, &err);
		} else if (json_is_string(v)) {
			items[i] = gws_arena_strndup(arena, json_string_value(v),
			                             json_string_length(v));
			err = items[i] ? 0 : GWS_ENOMEM;
		} else {
			err = gws_error_set(GWS_EREMOTE, "a list item is not a string");
		}
	}
	if (err)
		return err;
	out->items = items;
	out->count = n;
	return 0;
}
