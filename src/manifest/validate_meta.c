/*
 * metadata rules every object shares: the name format of its kind (as the
 * API server's name validation would check it) and the namespace format.
 */
#include <string.h>

#include "manifest/validate_util.h"

void gws_manifest__validate_meta(gws_manifest__vctx *v)
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
	gws_manifest__v_pop(v, mark);
}
