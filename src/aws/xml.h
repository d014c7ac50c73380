/*
 * gwsync aws: XML response decoding helpers on libxml2.
 *
 * Documents are parsed without network access, without DTD loading and
 * without entity substitution; a document that carries a DTD at all is
 * rejected (AWS never sends one). Elements are matched by local name, so
 * the namespaces AWS puts on responses do not matter.
 */
#ifndef GWSYNC_AWS_XML_H
#define GWSYNC_AWS_XML_H

#include <libxml/tree.h>

#include "gwsync/aws.h"

/* Parse `len` bytes into a whole tree (at most GWS_AWS_REPLY_CAP: a tree
 * costs many times the text; lists stream instead, see gws_xml_stream).
 * Free with xmlFreeDoc. */
int gws_xml_parse(xmlDoc **out, const char *data, size_t len);

/*
 * Decode an AWS error body: ELBv2/STS `<ErrorResponse><Error><Code/>
 * <Message/></Error><RequestId/>` or EC2 `<Response><Errors><Error>...
 * </Errors><RequestID/>`. Fills code, message, request_id (kept when the
 * body has none). Returns 0, or GWS_EINVALID when the body is not one of
 * those shapes (err->code then stays as it was).
 */
int gws_xml_decode_error(const char *data, size_t len, gws_aws_error *err);

/* The first element child of `parent` named `name` (any namespace), or NULL. */
xmlNode *gws_xml_child(const xmlNode *parent, const char *name);
/* The next element sibling of `node` named `name`. */
xmlNode *gws_xml_next(const xmlNode *node, const char *name);
/* Number of element children named `name`. */
size_t gws_xml_count(const xmlNode *parent, const char *name);

/* The text of child `name` copied into the arena; NULL when absent
 * (an empty element gives ""). Sets *err to GWS_ENOMEM on failure. */
const char *gws_xml_text(gws_arena *arena, const xmlNode *parent, const char *name, int *err);
/* Integer child; *out unchanged when absent; *err = GWS_EINVALID if not a number. */
void gws_xml_int(const xmlNode *parent, const char *name, int *out, int *err);
/* Boolean child "true"/"false"; false when absent. */
bool gws_xml_bool(const xmlNode *parent, const char *name);
/* gws_aws_bool child: GWS_AWS_UNSET when absent. */
gws_aws_bool gws_xml_tribool(const xmlNode *parent, const char *name);

/* Decoder of one list item into `elem` (zeroed). Returns 0 or an error. */
typedef int (*gws_xml_item_fn)(gws_arena *arena, const xmlNode *item, void *elem);

/*
 * Append the items of list `list_name` (children named `item_name`, e.g.
 * "member" or "item") under `parent` to the array *items of *count
 * elements of `size` bytes, reallocating it in the arena. An absent list
 * appends nothing.
 */
int gws_xml_list(gws_arena *arena, const xmlNode *parent, const char *list_name,
                 const char *item_name, size_t size, gws_xml_item_fn fn, void **items,
                 size_t *count);

/*
 * A reply whose result is one long list (every describe), decoded one item
 * at a time as the text is read: memory holds the tree of one item, never
 * that of the whole reply. The result element is `wrapper` under the root
 * (ELBv2, STS: "<Action>Result") or the root itself (wrapper NULL: EC2).
 */
typedef struct {
	const char *wrapper;
	const char *list;   /* the list element under the result: "LoadBalancers" */
	const char *item;   /* its items: "member" or "item" */
	size_t size;        /* bytes per decoded item */
	gws_xml_item_fn fn; /* decodes one item's tree into its zeroed slot */
	const char *marker; /* element under the result with the next page's token, or NULL */
} gws_xml_stream_spec;

/* Where gws_xml_stream puts what it read. */
typedef struct {
	void **items;  /* an array in the arena, with room for *cap items ... */
	size_t *count; /* ... of which *count are used */
	size_t *cap;
	gws_buf *marker;  /* the marker's text; empty when absent */
	char *request_id; /* ResponseMetadata/RequestId or requestId, when present */
	size_t request_id_len;
	bool unreadable; /* set when the text itself was at fault (malformed, a DTD) */
} gws_xml_stream_out;

/*
 * Appends the list's items to out->items (growing it by doubling, so pages
 * append without copying every earlier item each time), and reads the
 * marker and the request id. An absent result or list appends nothing.
 * GWS_EINVALID for malformed XML or a DTD (out->unreadable set), GWS_ENOMEM,
 * or what an item decoder returned.
 */
int gws_xml_stream(gws_arena *arena, const char *data, size_t len, const gws_xml_stream_spec *spec,
                   gws_xml_stream_out *out);

/* A list of strings. */
int gws_xml_strings(gws_arena *arena, const xmlNode *parent, const char *list_name,
                    const char *item_name, gws_aws_strings *out);
/* A list of key/value pairs (tags, attributes) with the given element names. */
int gws_xml_kvs(gws_arena *arena, const xmlNode *parent, const char *list_name,
                const char *item_name, const char *key_name, const char *value_name,
                gws_aws_kvs *out);

#endif
