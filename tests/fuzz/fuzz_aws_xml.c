/*
 * Fuzz the AWS XML decoding: the input is one response body. It goes
 * through the error decoder, the streaming list decoder (as an ELBv2 page
 * and as an EC2 page) and, parsed once, through every ELBv2 item decoder
 * over the root's <member> children and the list helpers. Must never
 * crash, leak or overrun, whatever the document.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aws/elbv2.h"
#include "aws/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		size_t size;
		gws_xml_item_fn fn;
	} decoders[] = {
	        {sizeof(gws_elbv2_load_balancer), gws_elbv2__decode_load_balancer},
	        {sizeof(gws_elbv2_listener), gws_elbv2__decode_listener},
	        {sizeof(gws_elbv2_rule), gws_elbv2__decode_rule},
	        {sizeof(gws_elbv2_target_group), gws_elbv2__decode_target_group},
	        {sizeof(gws_elbv2_certificate), gws_elbv2__decode_certificate},
	        {sizeof(gws_elbv2_target), gws_elbv2__decode_target},
	};
	gws_aws_error err;
	xmlDoc *doc = NULL;
	gws_arena *arena = NULL;
	const xmlNode *root;
	size_t i;

	memset(&err, 0, sizeof(err));
	(void)gws_xml_decode_error((const char *)data, size, &err);
	if (gws_arena_new(&arena) < 0)
		return 0;
	for (i = 0; i < 2; i++) {
		/* A page as DescribeRules (ELBv2) and as DescribeSubnets-like EC2 reads it. */
		gws_xml_stream_spec spec = {i ? NULL : "DescribeRulesResult",
		                            i ? "subnetSet" : "Rules",
		                            i ? "item" : "member",
		                            sizeof(gws_elbv2_rule),
		                            gws_elbv2__decode_rule,
		                            i ? "nextToken" : "NextMarker"};
		gws_buf marker = GWS_BUF_INIT(4096);
		char request_id[64] = "";
		void *items = NULL;
		size_t count = 0, cap = 0;
		gws_xml_stream_out out = {
		        &items, &count, &cap, &marker, request_id, sizeof(request_id), false};

		(void)gws_xml_stream(arena, (const char *)data, size, &spec, &out);
		gws_buf_dispose(&marker);
	}
	if (gws_xml_parse(&doc, (const char *)data, size) < 0) {
		gws_arena_free(arena);
		return 0;
	}
	root = xmlDocGetRootElement(doc);
	for (i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++) {
		void *items = NULL;
		size_t count = 0;
		(void)gws_xml_list(arena, root, NULL, "member", decoders[i].size, decoders[i].fn,
		                   &items, &count);
	}
	{
		gws_aws_strings strs = {NULL, 0};
		gws_aws_kvs kvs = {NULL, 0};
		(void)gws_xml_strings(arena, root, "Values", "member", &strs);
		(void)gws_xml_kvs(arena, root, "Tags", "member", "Key", "Value", &kvs);
		(void)gws_xml_kvs(arena, root, "tagSet", "item", "key", "value", &kvs);
	}
	gws_arena_free(arena);
	xmlFreeDoc(doc);
	return 0;
}
