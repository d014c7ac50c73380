/*
 * The one way out: every line gwsync writes on stdout or stderr (results,
 * reports, errors, help) goes through gws_print and friends, and every log
 * line through the same gws_redact and gws_escape. A line thus never shows
 * a URL's password or a registered secret, and an untrusted string in it
 * (a file name, an object name, a server's message) can neither start a
 * line of its own nor send a terminal escape sequence. Code that printed
 * with printf directly would bypass all of that; the CLI cannot (cli.h
 * poisons the stdio printing functions).
 */
#include <string.h>

#include "core/secret.h"
#include "gwsync/core.h"

/* Transient copies of one line; a line gwsync prints is far shorter. */
#define PRINT_LINE_CAP GWS_CAP_DOCUMENT

int gws_redact(gws_buf *out, const char *text, size_t len)
{
	size_t start = out->size;
	int error;

	if ((error = gws_url_redact(out, text, len)) < 0)
		return error;
	return gws_secret__scrub_from(out, start);
}

int gws_sanitize(gws_buf *out, const char *text, size_t len)
{
	gws_buf clean = GWS_BUF_INIT(PRINT_LINE_CAP);
	int error;

	if ((error = gws_redact(&clean, text, len)) == 0)
		error = gws_escape(out, gws_buf_cstr(&clean), clean.size);
	gws_buf_dispose(&clean);
	return error;
}

/* Writes `len` bytes of `line` made safe, and a newline. */
static int print_one(FILE *out, const char *line, size_t len)
{
	gws_buf safe = GWS_BUF_INIT(PRINT_LINE_CAP);
	int error;

	if ((error = gws_sanitize(&safe, line, len)) < 0 || (error = gws_buf_putc(&safe, '\n')) < 0)
		goto cleanup;
	if (fwrite(safe.ptr, 1, safe.size, out) != safe.size)
		error = gws_error_set_errno(GWS_EIO, "cannot write the output");
cleanup:
	gws_buf_dispose(&safe);
	return error;
}

int gws_vprint(FILE *out, const char *fmt, va_list ap)
{
	gws_buf line = GWS_BUF_INIT(PRINT_LINE_CAP);
	int error;

	if ((error = gws_buf_vprintf(&line, fmt, ap)) == 0)
		error = print_one(out, gws_buf_cstr(&line), line.size);
	gws_buf_dispose(&line);
	return error;
}

int gws_print(FILE *out, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = gws_vprint(out, fmt, ap);
	va_end(ap);
	return error;
}

int gws_print_lines(FILE *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int error = 0;

	while (p < end && error == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		error = print_one(out, p, n);
		p += n + (nl ? 1 : 0);
	}
	return error;
}

int gws_print_document(FILE *out, gws_buf *doc)
{
	int error;

	if ((error = gws_secret_scrub(doc)) < 0)
		return error;
	if (doc->size && fwrite(doc->ptr, 1, doc->size, out) != doc->size)
		return gws_error_set_errno(GWS_EIO, "cannot write the output");
	return 0;
}
