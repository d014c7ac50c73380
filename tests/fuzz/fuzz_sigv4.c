/*
 * Fuzz the SigV4 canonicalizer: path, query and header lines from the
 * input, each separated by a NUL byte. Must never crash, leak or overrun.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aws/sigv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *parts[3] = {"", "", ""};
	const char *headers[9] = {NULL};
	gws_aws_credentials creds = {"AKIDFUZZ", "fuzz-secret", "fuzz-token", 0, "fuzz"};
	gws_sigv4_request req;
	gws_sigv4_result res;
	gws_buf b = GWS_BUF_INIT(1u << 20);
	size_t n = 0, off = 0, nh = 0;
	char *lines;

	for (n = 0; n < 3 && off <= size; n++) {
		const uint8_t *nul = memchr(data + off, 0, size - off);
		size_t len = nul ? (size_t)(nul - (data + off)) : size - off;
		parts[n] = gws_strndup((const char *)data + off, len);
		off += len + 1;
	}
	(void)gws_sigv4__canonical_uri(&b, parts[0]);
	gws_buf_dispose(&b);
	gws_buf_init(&b, 1u << 20);
	(void)gws_sigv4__canonical_query(&b, parts[1]);
	gws_buf_dispose(&b);

	lines = gws_strdup(parts[2] ? parts[2] : "");
	if (lines == NULL)
		goto cleanup;
	for (char *p = lines, *nl; p && *p && nh < 8; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		headers[nh++] = p;
	}
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.host = "example.amazonaws.com";
	req.path = parts[0];
	req.query = parts[1];
	req.headers = headers;
	req.body = data;
	req.body_len = size;
	req.service = "elasticloadbalancing";
	req.region = "us-west-2";
	req.when = 1440938160;
	req.creds = &creds;
	if (gws_sigv4_sign(&res, &req) == 0)
		gws_sigv4_result_dispose(&res);

cleanup:
	gws_free(lines);
	for (size_t i = 0; i < n; i++)
		gws_free((char *)parts[i]);
	return 0;
}
