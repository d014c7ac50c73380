/*
 * Credentials for libgit2: GWSYNC_GIT_TOKEN for https, ssh-agent for ssh.
 * The token goes only where the user sent it: to the scheme, host and port
 * of --repo, over https, and never to a host a redirect leads to. libgit2
 * passes the URL it is talking to at that moment (after redirects) to the
 * callback, so the check is made there, on every request for credentials.
 */
#include <stdlib.h>
#include <string.h>

#include "source/source_int.h"

static bool is_loopback(const char *host)
{
	return gws_str_startswith(host, "127.") || strcmp(host, "localhost") == 0 ||
	       strcmp(host, "::1") == 0;
}

bool gws_source__token_allowed(const char *repo, const char *asked, bool allow_http,
                               const char **why)
{
	gws_source__origin want, got;

	*why = "the server's URL cannot be parsed";
	if (gws_source__url_origin(&got, asked) < 0)
		return false;
	if (strcmp(got.scheme, "https") != 0 &&
	    !(allow_http && strcmp(got.scheme, "http") == 0 && is_loopback(got.host))) {
		*why = "GWSYNC_GIT_TOKEN is sent only over https";
		return false;
	}
	*why = "GWSYNC_GIT_TOKEN is sent only to the host of --repo, not to a host a "
	       "redirect leads to";
	if (gws_source__url_origin(&want, repo) < 0)
		return false;
	return strcmp(want.scheme, got.scheme) == 0 && strcmp(want.host, got.host) == 0 &&
	       want.port == got.port;
}

static bool allow_http_token(void)
{
	const char *v = getenv("GWSYNC_GIT_ALLOW_HTTP_TOKEN");

	return v && strcmp(v, "1") == 0;
}

/*
 * libgit2 calls this again after each rejected credential: one offer, then
 * give up so a bad token ends in an authentication error, not a loop.
 */
static int credentials(git_credential **out, const char *url, const char *username_from_url,
                       unsigned int allowed_types, void *payload)
{
	gws_source__cred_state *state = payload;
	const char *token = getenv("GWSYNC_GIT_TOKEN"), *why;

	if (state->attempts++ > 0) {
		git_error_set_str(GIT_ERROR_CALLBACK, "the credentials offered were rejected");
		return GIT_EAUTH;
	}
	if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && token && *token) {
		if (!gws_source__token_allowed(state->repo, url, allow_http_token(), &why)) {
			gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);

			/* url may carry userinfo: the caller's message is redacted. */
			if (gws_buf_printf(&msg, "%s asks for credentials; not offered: %s", url,
			                   why) < 0)
				git_error_set_str(GIT_ERROR_CALLBACK, "credentials not offered");
			else
				git_error_set_str(GIT_ERROR_CALLBACK, gws_buf_cstr(&msg));
			gws_buf_dispose(&msg);
			return GIT_EAUTH;
		}
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

void gws_source__init_callbacks(git_remote_callbacks *cb, gws_source__cred_state *state,
                                const char *repo)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	state->repo = repo;
	state->attempts = 0;
	cb->credentials = credentials;
	cb->payload = state;
}
