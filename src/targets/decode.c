/*
 * Reading the Kubernetes objects --targets direct registers from (Nodes,
 * EndpointSlices, a Service's ports): only the fields it needs, each
 * checked for its type, so any reply the API server (or something in its
 * place) sends is either used or skipped, never trusted. Fuzzed by
 * tests/fuzz/fuzz_kube_json.c.
 */
#include <string.h>

#include "targets/internal.h"

static bool requirement_ok(json_t *labels, const gws_mf_label_requirement *r)
{
	const char *v = json_string_value(json_object_get(labels, r->key));
	bool in = false;

	for (size_t i = 0; v && i < r->n_values; i++)
		in = in || strcmp(v, r->values[i]) == 0;
	if (strcmp(r->operator_, "In") == 0)
		return in;
	if (strcmp(r->operator_, "NotIn") == 0)
		return !in;
	if (strcmp(r->operator_, "Exists") == 0)
		return v != NULL;
	if (strcmp(r->operator_, "DoesNotExist") == 0)
		return v == NULL;
	return false;
}

static bool selector_ok(json_t *labels, const gws_mf_label_selector *sel)
{
	if (!sel)
		return true;
	for (size_t i = 0; i < sel->n_match_labels; i++) {
		const char *v =
		        json_string_value(json_object_get(labels, sel->match_labels[i].key));

		if (!v || strcmp(v, sel->match_labels[i].value) != 0)
			return false;
	}
	for (size_t i = 0; i < sel->n_match_expressions; i++)
		if (!requirement_ok(labels, &sel->match_expressions[i]))
			return false;
	return true;
}

/* The node is going away: cordoned, being deleted, or marked by the autoscaler. */
static bool leaving(json_t *node)
{
	json_t *spec = json_object_get(node, "spec"), *taint;
	size_t i;

	if (json_is_true(json_object_get(spec, "unschedulable")) ||
	    json_object_get(json_object_get(node, "metadata"), "deletionTimestamp"))
		return true;
	json_array_foreach(json_object_get(spec, "taints"), i, taint)
	{
		const char *key = json_string_value(json_object_get(taint, "key"));

		if (key && strcmp(key, "ToBeDeletedByClusterAutoscaler") == 0)
			return true;
	}
	return false;
}

/* "aws:///us-west-2a/i-0123456789abcdef0" → "i-0123456789abcdef0". */
static const char *instance_id(json_t *node)
{
	const char *p =
	        json_string_value(json_object_get(json_object_get(node, "spec"), "providerID"));
	const char *id;

	if (!p || !gws_str_startswith(p, "aws://"))
		return NULL;
	id = strrchr(p, '/');
	return id && gws_str_startswith(id + 1, "i-") ? id + 1 : NULL;
}

const char *gws_targets__node_instance(json_t *node, const gws_mf_label_selector *sel)
{
	const char *id = instance_id(node);

	if (!id || leaving(node) ||
	    !selector_ok(json_object_get(json_object_get(node, "metadata"), "labels"), sel))
		return NULL;
	return id;
}

static int slice_port(json_t *slice, const char *name)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(slice, "ports"), i, p)
	{
		const char *n = json_string_value(json_object_get(p, "name"));
		json_int_t port = json_integer_value(json_object_get(p, "port"));

		if (strcmp(n ? n : "", name) == 0 && port > 0 && port <= 65535)
			return (int)port;
	}
	return 0;
}

int gws_targets__slice_endpoints(json_t *slice, const char *port_name, const char *address_type,
                                 gws_targets__endpoint_fn fn, void *ctx)
{
	const char *type = json_string_value(json_object_get(slice, "addressType"));
	int port = slice_port(slice, port_name);
	json_t *ep;
	size_t i;

	/* A named target port can be a different number on each set of pods: each
	 * slice carries the number its endpoints use. */
	if (!type || strcmp(type, address_type) != 0 || !port)
		return 0;
	json_array_foreach(json_object_get(slice, "endpoints"), i, ep)
	{
		json_t *ready = json_object_get(json_object_get(ep, "conditions"), "ready");
		json_t *addr;
		size_t j;

		/* An absent ready condition means ready (the API's rule). */
		if (json_is_false(ready))
			continue;
		json_array_foreach(json_object_get(ep, "addresses"), j, addr)
		{
			int error;

			if (json_is_string(addr) &&
			    (error = fn(ctx, json_string_value(addr), port)) < 0)
				return error;
		}
	}
	return 0;
}

const char *gws_targets__service_port_name(json_t *svc, int port)
{
	const char *name = NULL;
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(svc, "spec"), "ports"), i, p)
	{
		const char *n = json_string_value(json_object_get(p, "name"));

		if (json_integer_value(json_object_get(p, "port")) == port)
			name = n ? n : "";
	}
	return name;
}
