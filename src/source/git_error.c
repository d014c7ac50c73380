/* The boundary between libgit2's errors and credentials and gwsync's. */
#include <stdlib.h>
#include <string.h>

#include "source/source_int.h"

/*
 * Transport failures surface under several classes (a refused connection is
 * GIT_ERROR_OS, a missing file:// repository GIT_ENOTFOUND): the caller's
 * `fallback` says what a failure at its stage means.
 */
static int classify(int git_rc, const git_error *e, int fallback)
{
	const char *msg = e && e->message ? e->message : "";

	if (git_rc == GIT_EAUTH || strstr(msg, "authentication") || strstr(msg, "401") ||
	    strstr(msg, "403"))
		return GWS_EAUTH;
	if (git_rc == GIT_ECERTIFICATE)
		return GWS_ENETWORK;
	if (e && (e->klass == GIT_ERROR_NET || e->klass == GIT_ERROR_SSL ||
	          e->klass == GIT_ERROR_SSH || e->klass == GIT_ERROR_HTTP))
		return GWS_ENETWORK;
	return fallback;
}

int gws_source__git_error(int git_rc, int fallback, const char *what, const char *url)
{
	const git_error *e = git_error_last();
	gws_buf raw = GWS_BUF_INIT(GWS_CAP_LINE), clean = GWS_BUF_INIT(GWS_CAP_LINE);
	int code = classify(git_rc, e, fallback);

	if (gws_buf_printf(&raw, "%s %s: %s", what, url ? url : "",
	                   e && e->message ? e->message : "unknown libgit2 error") < 0 ||
	    gws_source_redact(&clean, gws_buf_cstr(&raw)) < 0)
		code = gws_error_set(GWS_ENOMEM, "%s: out of memory", what);
	else
		gws_error_set(code, "%s", gws_buf_cstr(&clean));
	gws_buf_dispose(&raw);
	gws_buf_dispose(&clean);
	return code;
}

typedef struct {
	int *attempts;
} cred_state;

/*
 * libgit2 calls this again after each rejected credential: one offer per
 * kind, then give up so a bad token ends in an authentication error, not a
 * loop.
 */
static int credentials(git_credential **out, const char *url, const char *username_from_url,
                       unsigned int allowed_types, void *payload)
{
	int *attempts = payload;
	const char *token = getenv("GWSYNC_GIT_TOKEN");

	(void)url;
	if ((*attempts)++ > 0) {
		git_error_set_str(GIT_ERROR_CALLBACK, "the credentials offered were rejected");
		return GIT_EAUTH;
	}
	if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && token && *token) {
		(void)gws_secret_register(token);
		return git_credential_userpass_plaintext_new(
		        out, username_from_url ? username_from_url : "x-access-token", token);
	}
	if ((allowed_types & GIT_CREDENTIAL_SSH_KEY) && getenv("SSH_AUTH_SOCK"))
		return git_credential_ssh_key_from_agent(out, username_from_url ? username_from_url
		                                                                : "git");
	git_error_set_str(GIT_ERROR_CALLBACK, "the server asks for credentials: set "
	                                      "GWSYNC_GIT_TOKEN (https) or load a key into "
	                                      "ssh-agent (ssh)");
	return GIT_EAUTH;
}

void gws_source__init_callbacks(git_remote_callbacks *cb, int *attempts)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	*attempts = 0;
	cb->credentials = credentials;
	cb->payload = attempts;
}
