/*
 * YAML for the status files, through libyaml's emitter. A status file must read
 * back as the same strings whatever loader a reviewer or a tool uses: YAML 1.1
 * loaders (PyYAML, go-yaml v2) turn plain yes/no/on/off/y/n into booleans,
 * 0777 or 1_000 or 1:20 into numbers and 2001-12-14 into timestamps; YAML 1.2
 * loaders do fewer of these. Rather than list every such form, a scalar is
 * written plain only when it has a shape no loader reads as anything but a
 * string: a letter first, then letters, digits, spaces and ". _ / -", not a
 * space last, and not one of the YAML 1.1 boolean or null words. Everything
 * else is double-quoted (libyaml escapes what needs it).
 */
#include "report/internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	return gws_buf_put(data, buffer, size) == 0;
}

bool gws_report__yaml_plain_ok(const char *s)
{
	static const char *const words[] = {"y",   "n",    "yes",   "no",  "on",
	                                    "off", "true", "false", "null"};
	size_t len = s ? strlen(s) : 0, i;

	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._/-") !=
	            len ||
	    s[len - 1] == ' ')
		return false;
	for (i = 0; i < GWS_ARRAY_SIZE(words); i++)
		if (strcasecmp(s, words[i]) == 0)
			return false;
	return true;
}

static void emit(gws_report__yaml *y, yaml_event_t *ev, int initialized)
{
	if (!initialized) {
		y->error = gws_error_set(GWS_ENOMEM, "YAML event: out of memory or invalid text");
		return;
	}
	if (!yaml_emitter_emit(&y->emitter, ev))
		y->error = gws_error_set(GWS_ERROR, "YAML emitter: %s",
		                         y->emitter.problem ? y->emitter.problem : "write failed");
}

void gws_report__yaml_begin(gws_report__yaml *y, gws_buf *out)
{
	yaml_event_t ev;

	memset(y, 0, sizeof(*y));
	y->out = out;
	if (!yaml_emitter_initialize(&y->emitter)) {
		y->error = gws_error_set(GWS_ENOMEM, "cannot initialise the YAML emitter");
		return;
	}
	y->initialized = true;
	yaml_emitter_set_output(&y->emitter, write_handler, out);
	yaml_emitter_set_unicode(&y->emitter, 1);
	yaml_emitter_set_width(&y->emitter, -1);
	yaml_emitter_set_indent(&y->emitter, 2);
	emit(y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	if (!y->error)
		emit(y, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
}

int gws_report__yaml_end(gws_report__yaml *y)
{
	yaml_event_t ev;

	if (!y->error)
		emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
	if (!y->error)
		emit(y, &ev, yaml_stream_end_event_initialize(&ev));
	if (!y->error && !yaml_emitter_flush(&y->emitter))
		y->error = gws_error_set(GWS_ERROR, "YAML emitter: flush failed");
	if (y->initialized)
		yaml_emitter_delete(&y->emitter);
	y->initialized = false;
	return y->error;
}

void gws_report__yaml_map(gws_report__yaml *y)
{
	yaml_event_t ev;
	if (!y->error)
		emit(y, &ev,
		     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
		                                         YAML_BLOCK_MAPPING_STYLE));
}

void gws_report__yaml_map_end(gws_report__yaml *y)
{
	yaml_event_t ev;
	if (!y->error)
		emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

void gws_report__yaml_seq(gws_report__yaml *y, bool empty)
{
	yaml_event_t ev;
	if (!y->error)
		emit(y, &ev,
		     yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
		                                          empty ? YAML_FLOW_SEQUENCE_STYLE
		                                                : YAML_BLOCK_SEQUENCE_STYLE));
}

void gws_report__yaml_seq_end(gws_report__yaml *y)
{
	yaml_event_t ev;
	if (!y->error)
		emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

static void scalar(gws_report__yaml *y, const char *s, bool plain)
{
	yaml_event_t ev;
	if (y->error)
		return;
	/* Text is valid UTF-8 here (gws_report__clean); libyaml checks it again. */
	emit(y, &ev,
	     yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
	                                  plain ? YAML_PLAIN_SCALAR_STYLE
	                                        : YAML_DOUBLE_QUOTED_SCALAR_STYLE));
}

void gws_report__yaml_str(gws_report__yaml *y, const char *s)
{
	s = s ? s : "";
	scalar(y, s, gws_report__yaml_plain_ok(s));
}

void gws_report__yaml_int(gws_report__yaml *y, long long v)
{
	char num[32];
	snprintf(num, sizeof(num), "%lld", v);
	scalar(y, num, true);
}

void gws_report__yaml_kv(gws_report__yaml *y, const char *key, const char *value)
{
	gws_report__yaml_str(y, key);
	gws_report__yaml_str(y, value);
}
