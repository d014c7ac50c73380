/*
 * Fuzzes what the report reads back and how it escapes: a previous status
 * file (any bytes) goes through the condition reader, and the same bytes as
 * text through the UTF-8 cleaner and the Markdown, Mermaid and YAML writers.
 * Nothing may crash, and every output must stay inside its own syntax.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gws_report__prev prev;
	gws_arena *arena = NULL;
	gws_buf out = GWS_BUF_INIT(16u * 1024 * 1024);
	gws_report__yaml y;
	const char *clean;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	gws_report__prev_init(&prev);
	(void)gws_report__prev_parse(&prev, (const char *)data, size);
	(void)gws_report__prev_time(&prev,
	                            "object\x1f"
	                            "Accepted",
	                            "True");
	gws_report__prev_dispose(&prev);

	if (gws_arena_new(&arena) < 0)
		goto done;
	clean = gws_report__clean(arena, text, 1 + size % 64);
	if (!clean)
		goto done;
	if (gws_report__md(&out, clean) == 0 &&
	    (strchr(out.ptr ? out.ptr : "", '<') || strchr(out.ptr ? out.ptr : "", '\n')))
		abort(); /* Markdown text never holds raw HTML or a line break */
	gws_buf_clear(&out);
	if (gws_report__mermaid_text(&out, clean) == 0 &&
	    strpbrk(out.ptr ? out.ptr : "", "\"[]|`<>%{}\n"))
		abort(); /* a label never holds a character Mermaid would read */
	gws_buf_clear(&out);
	gws_report__yaml_begin(&y, &out);
	gws_report__yaml_map(&y);
	gws_report__yaml_kv(&y, "message", clean);
	gws_report__yaml_map_end(&y);
	if (gws_report__yaml_end(&y) != 0)
		abort(); /* cleaned text is always valid UTF-8 for libyaml */
	(void)gws_report__valid_time(text);
	(void)gws_report__natcmp(text, clean);
done:
	gws_arena_free(arena);
	gws_buf_dispose(&out);
	free(text);
	return 0;
}
