/*
 * Reading back the conditions of a previous status file, to keep each
 * condition's lastTransitionTime while its status does not change.
 *
 * The file may have been edited by hand, truncated or replaced by something
 * hostile, so it is read as a stream of libyaml events (no document tree, no
 * alias expansion) by a small state machine that only looks at the places a
 * status file has conditions: status.conditions, status.listeners[].conditions
 * and status.parents[].conditions. Anything that does not parse throws the
 * whole file away: every condition then starts at the current time.
 */
#include "report/internal.h"

#include <string.h>

#define MAX_DEPTH   64
#define MAX_RECORDS 10000
#define MAX_SCALAR  1024
#define SEP         "\x1f"
#define NONE        "\x1e" /* an absent field, distinct from "" */

typedef struct {
	char *key;
	char *status;
	char *time;
} prev_cond;

typedef enum {
	R_SKIP = 0,
	R_ROOT,
	R_STATUS,
	R_CONDS,
	R_COND,
	R_LISTENERS,
	R_LISTENER,
	R_PARENTS,
	R_PARENT,
	R_PREF,
} frame_role;

/* Fields a frame collects, by role: COND type/status/time; LISTENER name;
 * PARENT the 6 parentRef fields then controllerName. */
enum { F_TYPE = 0, F_STATUS, F_TIME };
enum { F_NAME = 0 };
enum { F_GROUP = 0, F_KIND, F_NS, F_PNAME, F_SECTION, F_PORT, F_CONTROLLER, N_FIELDS };

typedef struct {
	frame_role role;
	bool is_map;
	bool have_key;
	char key[32]; /* the current key; "" when it is one we never look at */
	char *fields[N_FIELDS];
	gws_vec pending; /* prev_cond * without key: type in ->key until the owner ends */
} frame;

typedef struct {
	gws_report__prev *prev;
	frame frames[MAX_DEPTH];
	size_t depth;
	int error; /* GWS_ENOMEM, or GWS_EINVALID for a file to throw away */
} reader;

static void cond_free(prev_cond *c)
{
	if (!c)
		return;
	gws_free(c->key);
	gws_free(c->status);
	gws_free(c->time);
	gws_free(c);
}

void gws_report__prev_init(gws_report__prev *prev)
{
	gws_vec_init(&prev->items);
}

void gws_report__prev_dispose(gws_report__prev *prev)
{
	for (size_t i = 0; i < prev->items.len; i++)
		cond_free(prev->items.items[i]);
	gws_vec_dispose(&prev->items);
}

static int put_field(gws_buf *out, const char *v)
{
	int error = gws_buf_puts(out, SEP);
	return error ? error : gws_buf_puts(out, v ? v : NONE);
}

int gws_report__key_object(gws_buf *out, const char *type)
{
	int error = gws_buf_puts(out, "object");
	return error ? error : put_field(out, type);
}

int gws_report__key_listener(gws_buf *out, const char *listener, const char *type)
{
	int error = gws_buf_puts(out, "listener");
	if (!error)
		error = put_field(out, listener);
	return error ? error : put_field(out, type);
}

int gws_report__key_parent(gws_buf *out, const char *const ref[7], const char *type)
{
	int error = gws_buf_puts(out, "parent");
	for (size_t i = 0; i < 7 && !error; i++)
		error = put_field(out, ref[i]);
	return error ? error : put_field(out, type);
}

const char *gws_report__prev_time(const gws_report__prev *prev, const char *key, const char *status)
{
	for (size_t i = 0; i < prev->items.len; i++) {
		const prev_cond *c = prev->items.items[i];
		if (strcmp(c->key, key) == 0)
			return strcmp(c->status, status) == 0 ? c->time : NULL;
	}
	return NULL;
}

static void frame_clear(frame *f)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		gws_free(f->fields[i]);
	for (size_t i = 0; i < f->pending.len; i++)
		cond_free(f->pending.items[i]);
	gws_vec_dispose(&f->pending);
	memset(f, 0, sizeof(*f));
}

static frame_role child_role(const frame *parent, bool is_map)
{
	if (!parent)
		return is_map ? R_ROOT : R_SKIP;
	if (parent->is_map && !parent->have_key)
		return R_SKIP; /* a collection as a key */
	switch (parent->role) {
	case R_ROOT:
		return is_map && strcmp(parent->key, "status") == 0 ? R_STATUS : R_SKIP;
	case R_STATUS:
		if (is_map)
			return R_SKIP;
		if (strcmp(parent->key, "conditions") == 0)
			return R_CONDS;
		if (strcmp(parent->key, "listeners") == 0)
			return R_LISTENERS;
		return strcmp(parent->key, "parents") == 0 ? R_PARENTS : R_SKIP;
	case R_CONDS:
		return is_map ? R_COND : R_SKIP;
	case R_LISTENERS:
		return is_map ? R_LISTENER : R_SKIP;
	case R_PARENTS:
		return is_map ? R_PARENT : R_SKIP;
	case R_LISTENER:
		return !is_map && strcmp(parent->key, "conditions") == 0 ? R_CONDS : R_SKIP;
	case R_PARENT:
		if (is_map)
			return strcmp(parent->key, "parentRef") == 0 ? R_PREF : R_SKIP;
		return strcmp(parent->key, "conditions") == 0 ? R_CONDS : R_SKIP;
	default:
		return R_SKIP;
	}
}

/* A collection or an alias just ended inside a mapping: after a value the mapping
 * waits for its next key; after a (complex) key, for that key's value. */
static void value_done(reader *r)
{
	frame *f = r->depth ? &r->frames[r->depth - 1] : NULL;
	if (!f || !f->is_map)
		return;
	if (f->have_key) {
		f->have_key = false;
	} else {
		f->have_key = true;
		f->key[0] = '\0';
	}
}

static void open_frame(reader *r, bool is_map)
{
	frame *parent = r->depth ? &r->frames[r->depth - 1] : NULL;
	frame *f;
	if (r->depth >= MAX_DEPTH) {
		r->error = GWS_EINVALID;
		return;
	}
	f = &r->frames[r->depth++];
	memset(f, 0, sizeof(*f));
	f->role = child_role(parent, is_map);
	f->is_map = is_map;
	gws_vec_init(&f->pending);
}

static int field_index(frame_role role, const char *key)
{
	static const char *const cond[] = {"type", "status", "lastTransitionTime"};
	static const char *const pref[] = {"group", "kind",        "namespace",
	                                   "name",  "sectionName", "port"};
	size_t i;
	if (role == R_COND) {
		for (i = 0; i < GWS_ARRAY_SIZE(cond); i++)
			if (strcmp(key, cond[i]) == 0)
				return (int)i;
	} else if (role == R_LISTENER) {
		return strcmp(key, "name") == 0 ? F_NAME : -1;
	} else if (role == R_PREF) {
		for (i = 0; i < GWS_ARRAY_SIZE(pref); i++)
			if (strcmp(key, pref[i]) == 0)
				return (int)i;
	} else if (role == R_PARENT) {
		return strcmp(key, "controllerName") == 0 ? F_CONTROLLER : -1;
	}
	return -1;
}

static void on_scalar(reader *r, const char *value, size_t len)
{
	frame *f = r->depth ? &r->frames[r->depth - 1] : NULL;
	int idx;

	if (!f || !f->is_map)
		return;
	if (!f->have_key) {
		f->have_key = true;
		if (len < sizeof(f->key))
			memcpy(f->key, value, len + 1);
		else
			f->key[0] = '\0';
		return;
	}
	idx = field_index(f->role, f->key);
	f->have_key = false;
	if (idx < 0 || len > MAX_SCALAR || memchr(value, '\0', len))
		return;
	gws_free(f->fields[idx]);
	f->fields[idx] = gws_strndup(value, len);
	if (!f->fields[idx])
		r->error = GWS_ENOMEM;
}

/* The frame that owns the condition list containing frame `i` (a COND). */
static frame *cond_owner(reader *r)
{
	if (r->depth < 3)
		return NULL;
	return &r->frames[r->depth - 3];
}

static void end_cond(reader *r, frame *f)
{
	frame *owner = cond_owner(r);
	prev_cond *c;

	if (!owner || !f->fields[F_TYPE] || !f->fields[F_STATUS] ||
	    !gws_report__valid_time(f->fields[F_TIME]))
		return;
	c = gws_calloc(1, sizeof(*c));
	if (!c) {
		r->error = GWS_ENOMEM;
		return;
	}
	c->key = f->fields[F_TYPE];
	c->status = f->fields[F_STATUS];
	c->time = f->fields[F_TIME];
	f->fields[F_TYPE] = f->fields[F_STATUS] = f->fields[F_TIME] = NULL;
	if (gws_vec_push(&owner->pending, c) < 0) {
		cond_free(c);
		r->error = GWS_ENOMEM;
	}
}

/* The owner's conditions get their full key now that its identity is known. */
static void end_owner(reader *r, frame *f)
{
	gws_buf key = GWS_BUF_INIT(4 * MAX_SCALAR + 64);
	const char *ref[7];
	size_t i;
	int error = 0;

	for (i = 0; i < 7; i++)
		ref[i] = f->fields[i];
	for (i = 0; i < f->pending.len && !error; i++) {
		prev_cond *c = f->pending.items[i];
		gws_buf_clear(&key);
		if (f->role == R_STATUS)
			error = gws_report__key_object(&key, c->key);
		else if (f->role == R_LISTENER)
			error = f->fields[F_NAME]
			                ? gws_report__key_listener(&key, f->fields[F_NAME], c->key)
			                : GWS_EINVALID;
		else
			error = gws_report__key_parent(&key, ref, c->key);
		if (error == GWS_EINVALID) {
			error = 0; /* a listener without a name: nothing to match it with */
			continue;
		}
		if (error || r->prev->items.len >= MAX_RECORDS)
			break;
		gws_free(c->key);
		c->key = gws_buf_take(&key, NULL);
		if (!c->key || (error = gws_vec_push(&r->prev->items, c)) < 0) {
			error = GWS_ENOMEM;
			break;
		}
		f->pending.items[i] = NULL;
	}
	gws_buf_dispose(&key);
	if (error)
		r->error = GWS_ENOMEM;
}

static void close_frame(reader *r)
{
	frame *f = &r->frames[r->depth - 1];

	if (f->role == R_COND)
		end_cond(r, f);
	else if (f->role == R_PREF && r->depth >= 2) {
		frame *parent = &r->frames[r->depth - 2];
		for (size_t i = 0; i < F_CONTROLLER; i++) {
			gws_free(parent->fields[i]);
			parent->fields[i] = f->fields[i];
			f->fields[i] = NULL;
		}
	} else if (f->role == R_STATUS || f->role == R_LISTENER || f->role == R_PARENT)
		end_owner(r, f);
	frame_clear(f);
	r->depth--;
	value_done(r);
}

static void on_event(reader *r, const yaml_event_t *ev, bool *done)
{
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		open_frame(r, ev->type == YAML_MAPPING_START_EVENT);
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (r->depth)
			close_frame(r);
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(r, (const char *)ev->data.scalar.value, ev->data.scalar.length);
		break;
	case YAML_ALIAS_EVENT:
		/* Never written by gwsync: an alias counts as nothing. */
		value_done(r);
		break;
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		*done = true;
		break;
	default:
		break;
	}
}

int gws_report__prev_parse(gws_report__prev *prev, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	reader r;
	bool done = false;

	memset(&r, 0, sizeof(r));
	r.prev = prev;
	if (!yaml_parser_initialize(&parser))
		return gws_error_set(GWS_ENOMEM, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && !r.error) {
		if (!yaml_parser_parse(&parser, &ev)) {
			r.error = GWS_EINVALID;
			break;
		}
		on_event(&r, &ev, &done);
		yaml_event_delete(&ev);
	}
	while (r.depth)
		frame_clear(&r.frames[--r.depth]);
	yaml_parser_delete(&parser);
	if (r.error) {
		/* Half a file is no file: every condition starts anew. */
		gws_report__prev_dispose(prev);
		gws_report__prev_init(prev);
		if (r.error == GWS_ENOMEM)
			return gws_error_set(GWS_ENOMEM, "out of memory reading a status file");
	}
	return 0;
}
