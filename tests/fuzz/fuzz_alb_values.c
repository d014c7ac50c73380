/*
 * Fuzzes the ALB value mappers with arbitrary strings: header value
 * splitting, path patterns, prefix rewrites, redirects and timestamps must
 * return 0 or GWS_EINVALID and never read or write out of bounds.
 * Input: up to four NUL-separated strings.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/alb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {"Exact", "PathPrefix", "RegularExpression", "Other"};
	const char *parts[4] = {"", "", "", ""};
	gws_arena *arena = NULL;
	gws_alb_strings out;
	gws_alb_rewrite rw;
	gws_alb_redirect rd;
	gws_mf_request_redirect rr;
	gws_mf_path_modifier pm;
	const char *path;
	int64_t ms;
	bool regex;

	if (gws_arena_new(&arena) < 0)
		goto done;
	{
		size_t n = 0, start = 0;
		char *buf = gws_malloc(size + 1);
		if (buf == NULL)
			goto done;
		memcpy(buf, data, size);
		buf[size] = '\0';
		for (size_t i = 0; i <= size && n < 4; i++)
			if (i == size || buf[i] == '\0') {
				parts[n++] = gws_arena_strdup(arena, buf + start);
				start = i + 1;
			}
		gws_free(buf);
	}
	for (size_t i = 0; i < 4; i++)
		if (parts[i] == NULL)
			goto done;
	(void)gws_model__alb_split_header_value(&out, arena, parts[0]);
	(void)gws_model__alb_path_values(&out, &regex, arena, types[size % 4], parts[1]);
	(void)gws_model__alb_prefix_rewrite(&rw, arena, parts[1], parts[2]);
	(void)gws_model__alb_grpc_path(&path, arena, parts[2][0] ? parts[2] : NULL,
	                               parts[3][0] ? parts[3] : NULL);
	(void)gws_model__alb_count_wildcards(parts[0]);
	(void)gws_model__alb_parse_timestamp(&ms, parts[3]);
	memset(&rr, 0, sizeof(rr));
	memset(&pm, 0, sizeof(pm));
	rr.scheme = parts[0][0] ? parts[0] : NULL;
	rr.hostname = parts[3][0] ? parts[3] : NULL;
	pm.type = size % 2 ? "ReplacePrefixMatch" : "ReplaceFullPath";
	pm.replace_full_path = parts[1];
	pm.replace_prefix_match = parts[2];
	rr.path = size % 3 ? &pm : NULL;
	rr.status_code.set = true;
	rr.status_code.value = size % 5 ? 301 : 307;
	(void)gws_model__alb_redirect_map(&rd, arena, &rr, NULL);
	(void)gws_model__alb_hostname_cmp(parts[0], parts[3]);
done:
	gws_arena_free(arena);
	return 0;
}
