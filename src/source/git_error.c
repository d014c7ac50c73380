/* The boundary between libgit2's errors and gwsync's. */
#include <stdio.h>
#include <string.h>

#include "source/source_int.h"

/*
 * libgit2 1.5 exposes an HTTP status only in the message of a
 * GIT_ERROR_HTTP error it sets itself, always as this exact sentence. The
 * whole message must match: a URL or a path elsewhere in a message (a
 * repository called repo-401.git) is never read as a status.
 */
static int http_status(const git_error *e)
{
	int status = 0, end = 0;

	if (!e || e->klass != GIT_ERROR_HTTP || !e->message)
		return 0;
	if (sscanf(e->message, "unexpected http status code: %3d%n", &status, &end) != 1 ||
	    e->message[end] != '\0')
		return 0;
	return status;
}

/*
 * Transport failures surface under several classes (a refused connection is
 * GIT_ERROR_OS, a broken pack GIT_ERROR_INDEXER): the caller's `fallback`
 * says what a failure at its stage means.
 */
static int classify(int git_rc, const git_error *e, int fallback)
{
	int status = http_status(e);

	if (git_rc == GIT_EAUTH)
		return GWS_EAUTH;
	if (git_rc == GIT_ECERTIFICATE)
		return GWS_ENETWORK;
	if (status == 401 || status == 403 || status == 407)
		return GWS_EAUTH;
	if (status == 404 || status == 410)
		return GWS_ENOTFOUND;
	if (e && (e->klass == GIT_ERROR_NET || e->klass == GIT_ERROR_SSL ||
	          e->klass == GIT_ERROR_SSH || e->klass == GIT_ERROR_HTTP))
		return GWS_ENETWORK;
	return fallback;
}

int gws_source__git_error(int git_rc, int fallback, const char *what, const char *url)
{
	const git_error *e = git_error_last();
	gws_buf raw = GWS_BUF_INIT(GWS_CAP_LINE), clean = GWS_BUF_INIT(GWS_CAP_LINE);
	int code = classify(git_rc, e, fallback), status = http_status(e), error;

	if (e && e->message && *e->message)
		error = gws_buf_printf(&raw, "%s %s: %s", what, url ? url : "", e->message);
	else
		error = gws_buf_printf(&raw, "%s %s: libgit2 error %d", what, url ? url : "",
		                       git_rc);
	if (error == 0 && code == GWS_ENOTFOUND && status)
		error = gws_buf_printf(&raw, " (no repository at this URL)");
	if (error < 0 || gws_source_redact(&clean, gws_buf_cstr(&raw)) < 0)
		code = gws_error_set(GWS_ENOMEM, "%s: out of memory", what);
	else
		gws_error_set(code, "%s", gws_buf_cstr(&clean));
	gws_buf_dispose(&raw);
	gws_buf_dispose(&clean);
	return code;
}
