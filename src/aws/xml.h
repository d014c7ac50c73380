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

/* Parse `len` bytes (at most GWS_CAP_HTTP_RESPONSE). Free with xmlFreeDoc. */
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

/* A list of strings. */
int gws_xml_strings(gws_arena *arena, const xmlNode *parent, const char *list_name,
                    const char *item_name, gws_aws_strings *out);
/* A list of key/value pairs (tags, attributes) with the given element names. */
int gws_xml_kvs(gws_arena *arena, const xmlNode *parent, const char *list_name,
                const char *item_name, const char *key_name, const char *value_name,
                gws_aws_kvs *out);

#endif
