/*
 * Object-level rules every object shares: the name format of its kind (as
 * the API server's name validation would check it), the namespace format,
 * label and annotation keys, and the presence of a required spec.
 */
#include <string.h>

#include "manifest/validate_util.h"

/* metadata.labels and metadata.annotations keys, and label values, as the API server checks them.
 */
static void v_meta_map(gws_manifest__vctx *v, const char *field, const gws_mf_kv *kv, size_t n,
                       bool labels)
{
	size_t mark = gws_manifest__v_push(v, field), i;

	for (i = 0; i < n; i++) {
		const char *key_field = gws_manifest__key_field(kv[i].key);

		if (!gws_manifest__is_qualified_name(kv[i].key))
			gws_manifest__v_error(
			        v, key_field,
			        "%s is not a valid %s key: use an optional DNS subdomain "
			        "prefix and '/', then a name of 1 to 63 letters, digits, "
			        "'-', '_' or '.', starting and ending with a letter or digit",
			        gws_manifest__v_quote(v, kv[i].key),
			        labels ? "label" : "annotation");
		if (labels && kv[i].value && !gws_manifest__is_label_value(kv[i].value))
			gws_manifest__v_error(
			        v, key_field,
			        "%s is not a valid label value for %s: use at most 63 "
			        "letters, digits, '-', '_' or '.', starting and ending with "
			        "a letter or digit",
			        gws_manifest__v_quote(v, kv[i].value),
			        gws_manifest__v_quote(v, kv[i].key));
	}
	gws_manifest__v_pop(v, mark);
}

/* The Gateway API kinds mark spec +required; core and LBC kinds do not. */
static bool spec_required(gws_manifest_kind kind)
{
	switch (kind) {
	case GWS_KIND_GATEWAY_CLASS:
	case GWS_KIND_GATEWAY:
	case GWS_KIND_HTTP_ROUTE:
	case GWS_KIND_GRPC_ROUTE:
	case GWS_KIND_TCP_ROUTE:
	case GWS_KIND_UDP_ROUTE:
	case GWS_KIND_TLS_ROUTE:
	case GWS_KIND_LISTENER_SET:
		return true;
	default:
		return false;
	}
}

bool gws_manifest__validate_meta(gws_manifest__vctx *v)
{
	const gws_mf_meta *meta = &v->obj->meta;
	size_t mark = gws_manifest__v_push(v, "metadata");
	gws_manifest__vfmt name_format = GWS_VFMT_DNS_SUBDOMAIN;

	/* Namespaces are DNS labels; Service names must also start with a letter. */
	if (v->obj->kind == GWS_KIND_NAMESPACE)
		name_format = GWS_VFMT_DNS_LABEL;
	else if (v->obj->kind == GWS_KIND_SERVICE)
		name_format = GWS_VFMT_DNS1035_LABEL;

	/* A missing name is the loader's to report: such an object never reaches the store. */
	gws_manifest__v_format(v, "name", meta->name, name_format);
	if (gws_manifest_kind_namespaced(v->obj->kind))
		gws_manifest__v_format(v, "namespace", meta->namespace_, GWS_VFMT_DNS_LABEL);
	v_meta_map(v, "labels", meta->labels, meta->n_labels, true);
	v_meta_map(v, "annotations", meta->annotations, meta->n_annotations, false);
	gws_manifest__v_pop(v, mark);
	if (spec_required(v->obj->kind) && !gws_manifest__v_has(v, "spec")) {
		gws_manifest__v_error(v, "spec", "is required");
		return false;
	}
	return true;
}
