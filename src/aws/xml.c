/* XML decoding helpers: safe parsing and small typed accessors. */
#include "aws/xml.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

/*
 * libxml2 reports some problems (encoding errors among them) through its
 * generic error handler whatever the parse options say; a reply from the
 * network must never write to our stderr. The handler is per thread.
 */
static void xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Parse options of both parsers. NONET: never fetch; no NOENT/DTDLOAD/DTDATTR:
 * entities stay unexpanded (and a DTD is refused outright). */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

int gws_xml_parse(xmlDoc **out, const char *data, size_t len)
{
	xmlDoc *doc;

	*out = NULL;
	if (len > GWS_AWS_REPLY_CAP)
		return gws_error_set(GWS_ETOOBIG, "XML response larger than %u bytes",
		                     (unsigned)GWS_AWS_REPLY_CAP);
	if (len == 0)
		return gws_error_set(GWS_EINVALID, "empty XML response");
	pthread_once(&xml_once, xml_init);
	xmlSetGenericErrorFunc(NULL, xml_silent);
	doc = xmlReadMemory(data, (int)len, NULL, NULL, XML_OPTIONS);
	if (!doc)
		return gws_error_set(GWS_EINVALID, "malformed XML response");
	if (doc->intSubset || doc->extSubset || !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		return gws_error_set(GWS_EINVALID, "XML response with a DTD or no root element");
	}
	*out = doc;
	return 0;
}

/* ---- streaming a list --------------------------------------------------------- */

static void reader_silent(void *arg, const char *msg, xmlParserSeverities severity,
                          xmlTextReaderLocatorPtr locator)
{
	(void)arg;
	(void)msg;
	(void)severity;
	(void)locator;
}

/* The element names on the path to the reader's node, as far down as a
 * reply's interesting parts go (root, result, list, item). */
#define STREAM_DEPTH 4
#define STREAM_NAME  64

typedef struct {
	xmlTextReaderPtr reader;
	const gws_xml_stream_spec *spec;
	int result_depth; /* 1 under a wrapper, 0 when the root is the result */
	char path[STREAM_DEPTH][STREAM_NAME];
} stream_state;

static bool path_is(const stream_state *st, int depth, const char *name)
{
	return name && depth < STREAM_DEPTH && strcmp(st->path[depth], name) == 0;
}

/* Room for one more item in the arena array, doubling the room when full. */
static void *next_slot(gws_arena *arena, size_t size, void **items, size_t *count, size_t *cap)
{
	if (*count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		char *arr = gws_arena_calloc(arena, ncap, size);

		if (!arr)
			return NULL;
		if (*count)
			memcpy(arr, *items, *count * size);
		*items = arr;
		*cap = ncap;
	}
	return (char *)*items + *count * size;
}

/* The text of the reader's current element into `out` (cleared first). */
static int stream_text(stream_state *st, gws_buf *out)
{
	xmlChar *s = xmlTextReaderReadString(st->reader);
	int rc;

	gws_buf_clear(out);
	rc = gws_buf_puts(out, s ? (const char *)s : "");
	xmlFree(s);
	return rc;
}

typedef enum {
	STREAM_DESCEND,
	STREAM_SKIP,
	STREAM_ITEM,
	STREAM_MARKER,
	STREAM_REQUEST_ID
} stream_step;

/* What to do with the element the reader is on (its name already in path). */
static stream_step classify(const stream_state *st, int depth)
{
	const gws_xml_stream_spec *sp = st->spec;
	int r = st->result_depth;

	if (depth == 0)
		return STREAM_DESCEND;
	if (path_is(st, 1, "ResponseMetadata"))
		return depth == 1                                  ? STREAM_DESCEND
		       : depth == 2 && path_is(st, 2, "RequestId") ? STREAM_REQUEST_ID
		                                                   : STREAM_SKIP;
	if (depth == 1 && path_is(st, 1, "requestId"))
		return STREAM_REQUEST_ID;
	if (r == 1 && !path_is(st, 1, sp->wrapper))
		return STREAM_SKIP; /* not under the result */
	if (depth == r)
		return STREAM_DESCEND;
	if (depth == r + 1)
		return path_is(st, depth, sp->list)     ? STREAM_DESCEND
		       : path_is(st, depth, sp->marker) ? STREAM_MARKER
		                                        : STREAM_SKIP;
	if (depth == r + 2 && path_is(st, r + 1, sp->list) && path_is(st, depth, sp->item))
		return STREAM_ITEM;
	return STREAM_SKIP;
}

/* The reader stopped on bad text: malformed XML or a DTD. */
static int unreadable(gws_xml_stream_out *out, const char *why)
{
	out->unreadable = true;
	return gws_error_set(GWS_EINVALID, "%s", why);
}

int gws_xml_stream(gws_arena *arena, const char *data, size_t len, const gws_xml_stream_spec *spec,
                   gws_xml_stream_out *out)
{
	stream_state st;
	gws_buf text = GWS_BUF_INIT(GWS_CAP_LINE);
	int ret, rc = 0;

	memset(&st, 0, sizeof(st));
	st.spec = spec;
	st.result_depth = spec->wrapper ? 1 : 0;
	out->unreadable = false;
	gws_buf_clear(out->marker);
	if (len > INT_MAX)
		return gws_error_set(GWS_ETOOBIG, "XML response larger than %d bytes", INT_MAX);
	if (len == 0)
		return unreadable(out, "empty XML response");
	pthread_once(&xml_once, xml_init);
	xmlSetGenericErrorFunc(NULL, xml_silent);
	if (!(st.reader = xmlReaderForMemory(data, (int)len, NULL, NULL, XML_OPTIONS)))
		return gws_error_set(GWS_ENOMEM, "out of memory reading an XML response");
	xmlTextReaderSetErrorHandler(st.reader, reader_silent, NULL);
	ret = xmlTextReaderRead(st.reader);
	while (ret == 1 && rc == 0) {
		int type = xmlTextReaderNodeType(st.reader), depth = xmlTextReaderDepth(st.reader);
		const xmlChar *name = xmlTextReaderConstLocalName(st.reader);
		xmlNode *node;
		void *slot;

		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			rc = unreadable(out, "XML response with a DTD");
			break;
		}
		if (type != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(st.reader);
			continue;
		}
		if (depth < STREAM_DEPTH)
			snprintf(st.path[depth], STREAM_NAME, "%s", name ? (const char *)name : "");
		switch (depth < STREAM_DEPTH ? classify(&st, depth) : STREAM_SKIP) {
		case STREAM_DESCEND:
			ret = xmlTextReaderRead(st.reader);
			continue;
		case STREAM_ITEM:
			if (!(node = xmlTextReaderExpand(st.reader)))
				rc = unreadable(out, "malformed XML response");
			else if (!(slot = next_slot(arena, spec->size, out->items, out->count,
			                            out->cap)))
				rc = GWS_ENOMEM;
			else if ((rc = spec->fn(arena, node, slot)) == 0)
				(*out->count)++;
			break;
		case STREAM_MARKER:
			if (stream_text(&st, out->marker) < 0)
				rc = gws_error_set(GWS_EINVALID, "page token longer than %zu bytes",
				                   out->marker->max);
			break;
		case STREAM_REQUEST_ID:
			/* An odd request id is no reason to fail. */
			if (stream_text(&st, &text) == 0 && out->request_id && text.size)
				snprintf(out->request_id, out->request_id_len, "%s",
				         gws_buf_cstr(&text));
			break;
		case STREAM_SKIP:
			break;
		}
		ret = xmlTextReaderNext(st.reader);
	}
	if (rc == 0 && ret != 0)
		rc = unreadable(out, "malformed XML response");
	xmlFreeTextReader(st.reader);
	gws_buf_dispose(&text);
	return rc;
}

/* ---- trees --------------------------------------------------------------------- */

static bool is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && (!name || xmlStrcmp(n->name, BAD_CAST name) == 0);
}

xmlNode *gws_xml_child(const xmlNode *parent, const char *name)
{
	xmlNode *n;

	if (!parent)
		return NULL;
	for (n = parent->children; n; n = n->next) {
		if (is_elem(n, name))
			return n;
	}
	return NULL;
}

xmlNode *gws_xml_next(const xmlNode *node, const char *name)
{
	xmlNode *n;

	for (n = node ? node->next : NULL; n; n = n->next) {
		if (is_elem(n, name))
			return n;
	}
	return NULL;
}

size_t gws_xml_count(const xmlNode *parent, const char *name)
{
	size_t count = 0;
	xmlNode *n;

	for (n = gws_xml_child(parent, name); n; n = gws_xml_next(n, name))
		count++;
	return count;
}

/* Text content of one element: its text and CDATA children only. */
static char *node_text(gws_arena *arena, const xmlNode *node)
{
	gws_buf buf = GWS_BUF_INIT(GWS_CAP_HTTP_RESPONSE);
	const xmlNode *n;
	char *s;

	for (n = node->children; n; n = n->next) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content &&
		    gws_buf_puts(&buf, (const char *)n->content) < 0)
			return NULL;
	}
	s = gws_arena_strdup(arena, gws_buf_cstr(&buf));
	gws_buf_dispose(&buf);
	return s;
}

const char *gws_xml_text(gws_arena *arena, const xmlNode *parent, const char *name, int *err)
{
	xmlNode *n = gws_xml_child(parent, name);
	char *s;

	if (!n)
		return NULL;
	s = node_text(arena, n);
	if (!s && !*err)
		*err = GWS_ENOMEM;
	return s;
}

void gws_xml_int(const xmlNode *parent, const char *name, int *out, int *err)
{
	xmlNode *n = gws_xml_child(parent, name);
	xmlChar *s;
	long v;

	if (!n)
		return;
	s = xmlNodeGetContent(n);
	if (s && gws_parse_long(&v, (const char *)s, -2147483647L, 2147483647L) == 0) {
		*out = (int)v;
	} else if (!*err) {
		*err = gws_error_set(GWS_EINVALID, "element %s is not an integer", name);
	}
	xmlFree(s);
}

gws_aws_bool gws_xml_tribool(const xmlNode *parent, const char *name)
{
	xmlNode *n = gws_xml_child(parent, name);
	xmlChar *s;
	gws_aws_bool v;

	if (!n)
		return GWS_AWS_UNSET;
	s = xmlNodeGetContent(n);
	v = s && xmlStrcmp(s, BAD_CAST "true") == 0 ? GWS_AWS_TRUE : GWS_AWS_FALSE;
	xmlFree(s);
	return v;
}

bool gws_xml_bool(const xmlNode *parent, const char *name)
{
	return gws_xml_tribool(parent, name) == GWS_AWS_TRUE;
}

int gws_xml_list(gws_arena *arena, const xmlNode *parent, const char *list_name,
                 const char *item_name, size_t size, gws_xml_item_fn fn, void **items,
                 size_t *count)
{
	xmlNode *list = list_name ? gws_xml_child(parent, list_name) : (xmlNode *)parent;
	xmlNode *it;
	size_t n, i;
	char *arr;
	int rc;

	n = list ? gws_xml_count(list, item_name) : 0;
	if (n == 0)
		return 0;
	arr = gws_arena_calloc(arena, *count + n, size);
	if (!arr)
		return GWS_ENOMEM;
	if (*count)
		memcpy(arr, *items, *count * size);
	for (i = *count, it = gws_xml_child(list, item_name); it;
	     it = gws_xml_next(it, item_name), i++) {
		if ((rc = fn(arena, it, arr + i * size)) < 0)
			return rc;
	}
	*items = arr;
	*count += n;
	return 0;
}

static int string_item(gws_arena *arena, const xmlNode *item, void *elem)
{
	char *s = node_text(arena, item);

	if (!s)
		return GWS_ENOMEM;
	*(const char **)elem = s;
	return 0;
}

int gws_xml_strings(gws_arena *arena, const xmlNode *parent, const char *list_name,
                    const char *item_name, gws_aws_strings *out)
{
	return gws_xml_list(arena, parent, list_name, item_name, sizeof(const char *), string_item,
	                    (void **)&out->items, &out->count);
}

int gws_xml_kvs(gws_arena *arena, const xmlNode *parent, const char *list_name,
                const char *item_name, const char *key_name, const char *value_name,
                gws_aws_kvs *out)
{
	xmlNode *list = gws_xml_child(parent, list_name);
	xmlNode *it;
	size_t n, i = 0;
	gws_aws_kv *arr;
	int err = 0;

	n = list ? gws_xml_count(list, item_name) : 0;
	if (n == 0)
		return 0;
	arr = gws_arena_calloc(arena, out->count + n, sizeof(*arr));
	if (!arr)
		return GWS_ENOMEM;
	if (out->count)
		memcpy(arr, out->items, out->count * sizeof(*arr));
	for (it = gws_xml_child(list, item_name); it; it = gws_xml_next(it, item_name), i++) {
		arr[out->count + i].key = gws_xml_text(arena, it, key_name, &err);
		arr[out->count + i].value = gws_xml_text(arena, it, value_name, &err);
		/* An empty tag value may come as an absent element. */
		if (!arr[out->count + i].value && !err)
			arr[out->count + i].value = "";
	}
	if (err)
		return err;
	out->items = arr;
	out->count += n;
	return 0;
}

/* The text of child `name`, cut to dstlen: redacted first (a server may
 * quote the token it was sent, and a token cut in two escapes the scrubber). */
static void copy_text(char *dst, size_t dstlen, const xmlNode *parent, const char *name)
{
	xmlNode *n = gws_xml_child(parent, name);
	gws_buf clean = GWS_BUF_INIT(GWS_CAP_HTTP_RESPONSE);
	xmlChar *s;

	if (!n)
		return;
	s = xmlNodeGetContent(n);
	if (gws_redact(&clean, s ? (const char *)s : "", s ? strlen((const char *)s) : 0) < 0)
		snprintf(dst, dstlen, "(unreadable)");
	else
		snprintf(dst, dstlen, "%s", gws_buf_cstr(&clean));
	gws_buf_dispose(&clean);
	xmlFree(s);
}

int gws_xml_decode_error(const char *data, size_t len, gws_aws_error *err)
{
	xmlDoc *doc = NULL;
	xmlNode *root, *error = NULL;
	int rc;

	if ((rc = gws_xml_parse(&doc, data, len)) < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (is_elem(root, "ErrorResponse"))
		error = gws_xml_child(root, "Error");
	else if (is_elem(root, "Response"))
		error = gws_xml_child(gws_xml_child(root, "Errors"), "Error");
	if (!error || !gws_xml_child(error, "Code")) {
		xmlFreeDoc(doc);
		return gws_error_set(GWS_EINVALID, "not an AWS error document");
	}
	err->code[0] = err->message[0] = '\0';
	copy_text(err->code, sizeof(err->code), error, "Code");
	copy_text(err->message, sizeof(err->message), error, "Message");
	copy_text(err->request_id, sizeof(err->request_id), root, "RequestId");
	copy_text(err->request_id, sizeof(err->request_id), root, "RequestID");
	xmlFreeDoc(doc);
	return 0;
}
