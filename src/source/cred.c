/*
 * Credentials for libgit2.
 *  - https: a token, from GWSYNC_GIT_TOKEN or from the file GWSYNC_GIT_TOKEN_FILE
 *    names (read at each use, so a mounted secret that is rotated is picked
 *    up), as the password of the user in the URL, else GWSYNC_GIT_USERNAME,
 *    else "x-access-token". The token goes only where the user sent it: to
 *    the scheme, host and port of --repo, over https, and never to a host a
 *    redirect leads to. libgit2 passes the URL it is talking to at that
 *    moment (after redirects) to the callback, so the check is made there,
 *    on every request for credentials.
 *  - ssh: the key GWSYNC_SSH_KEY_FILE names (passphrase from
 *    GWSYNC_SSH_KEY_PASSPHRASE), else ssh-agent. The server's host key is
 *    checked against known_hosts before any credential is offered.
 * Every credential is offered once: a rejected one ends in an
 * authentication error saying which source was tried, never the secret.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/source_int.h"

/* Tokens are short; a token file past this is not a token. */
#define TOKEN_FILE_CAP (16u * 1024)

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

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* Sets libgit2's error to "<text>" and returns GIT_EAUTH. */
static int refuse(const char *fmt, ...) GWS_PRINTF(1, 2);

static int refuse(const char *fmt, ...)
{
	gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = gws_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	git_error_set_str(GIT_ERROR_CALLBACK,
	                  error < 0 ? "credentials not offered" : gws_buf_cstr(&msg));
	gws_buf_dispose(&msg);
	return GIT_EAUTH;
}

/*
 * The token into `out` (registered as a secret), and where it came from
 * into `from`. 0 with an empty `out` when none is set.
 */
static void note_offered(gws_source__cred_state *state, const char *fmt, ...) GWS_PRINTF(2, 3);

/* What is offered, for the message if it is rejected (cut to fit). */
static void note_offered(gws_source__cred_state *state, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(state->offered, sizeof(state->offered), fmt, ap);
	va_end(ap);
}

static int read_token(gws_buf *out, const char **from)
{
	const char *token = env("GWSYNC_GIT_TOKEN"), *file = env("GWSYNC_GIT_TOKEN_FILE");
	int error;

	*from = NULL;
	if (token && file)
		return refuse("set GWSYNC_GIT_TOKEN or GWSYNC_GIT_TOKEN_FILE, not both");
	if (token) {
		*from = "the token of GWSYNC_GIT_TOKEN";
		error = gws_buf_puts(out, token);
	} else if (file) {
		*from = "the token of GWSYNC_GIT_TOKEN_FILE";
		if ((error = gws_buf_read_file(out, file)) < 0)
			return refuse("GWSYNC_GIT_TOKEN_FILE %s: %s", file, gws_error_last());
		while (out->size &&
		       (out->ptr[out->size - 1] == '\n' || out->ptr[out->size - 1] == '\r'))
			out->ptr[--out->size] = '\0';
		if (out->size == 0)
			return refuse("GWSYNC_GIT_TOKEN_FILE %s is empty", file);
		if (memchr(out->ptr, '\n', out->size))
			return refuse("GWSYNC_GIT_TOKEN_FILE %s holds more than one line", file);
	} else {
		return 0;
	}
	if (error < 0)
		return refuse("cannot read the token");
	(void)gws_secret_register(gws_buf_cstr(out));
	return 0;
}

static int offer_token(git_credential **out, gws_source__cred_state *state, const char *url,
                       const char *username_from_url)
{
	gws_buf token = GWS_BUF_INIT(TOKEN_FILE_CAP);
	const char *from = NULL, *why, *user;
	int rc;

	if ((rc = read_token(&token, &from)) < 0 || !from) {
		gws_buf_dispose(&token);
		return rc < 0 ? rc : GIT_PASSTHROUGH;
	}
	if (!gws_source__token_allowed(state->repo, url, allow_http_token(), &why)) {
		/* url may carry userinfo: the caller's message is redacted. */
		rc = refuse("%s asks for credentials; not offered: %s", url, why);
		goto cleanup;
	}
	user = username_from_url            ? username_from_url
	       : env("GWSYNC_GIT_USERNAME") ? env("GWSYNC_GIT_USERNAME")
	                                    : "x-access-token";
	note_offered(state, "%s, as user %s", from, user);
	rc = git_credential_userpass_plaintext_new(out, user, gws_buf_cstr(&token));
cleanup:
	gws_buf_dispose(&token);
	return rc;
}

static int offer_ssh_key(git_credential **out, gws_source__cred_state *state, const char *user)
{
	const char *key = env("GWSYNC_SSH_KEY_FILE"), *pass = env("GWSYNC_SSH_KEY_PASSPHRASE");

	if (key) {
		if (access(key, R_OK) != 0)
			return refuse("GWSYNC_SSH_KEY_FILE %s cannot be read", key);
		if (pass)
			(void)gws_secret_register(pass);
		note_offered(state, "the key of GWSYNC_SSH_KEY_FILE (%s), as user %s", key, user);
		return git_credential_ssh_key_new(out, user, NULL, key, pass);
	}
	if (env("SSH_AUTH_SOCK")) {
		note_offered(state, "the keys of ssh-agent, as user %s", user);
		return git_credential_ssh_key_from_agent(out, user);
	}
	return GIT_PASSTHROUGH;
}

/*
 * libgit2 calls this again after each rejected credential: one offer, then
 * give up so a bad token ends in an authentication error, not a loop.
 */
static int credentials(git_credential **out, const char *url, const char *username_from_url,
                       unsigned int allowed_types, void *payload)
{
	gws_source__cred_state *state = payload;
	const char *ssh_user = username_from_url            ? username_from_url
	                       : env("GWSYNC_GIT_USERNAME") ? env("GWSYNC_GIT_USERNAME")
	                                                    : "git";
	int rc;

	/* ssh asks for the user name first when the URL has none. */
	if (allowed_types == GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, ssh_user);
	if (state->attempts++ > 0)
		return refuse("the credentials offered were rejected: %s",
		              state->offered[0] ? state->offered : "(none)");
	if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) &&
	    (rc = offer_token(out, state, url, username_from_url)) != GIT_PASSTHROUGH)
		return rc;
	if ((allowed_types & GIT_CREDENTIAL_SSH_KEY) &&
	    (rc = offer_ssh_key(out, state, ssh_user)) != GIT_PASSTHROUGH)
		return rc;
	return refuse("the server asks for credentials: set GWSYNC_GIT_TOKEN or "
	              "GWSYNC_GIT_TOKEN_FILE (https), or GWSYNC_SSH_KEY_FILE or load a key "
	              "into ssh-agent (ssh)");
}

/* The port of an ssh URL (22 for scp-like user@host:path). */
static unsigned ssh_port(const char *repo)
{
	gws_source__origin o;

	if (strstr(repo, "://") && gws_source__url_origin(&o, repo) == 0 && o.port)
		return o.port;
	return 22;
}

/*
 * TLS certificates: libgit2's verdict stands (GIT_PASSTHROUGH). ssh host
 * keys: libgit2 1.5 checks none itself, so this is the only check; a host
 * not in known_hosts, or with another key, is refused.
 */
static int certificate_check(git_cert *cert, int valid, const char *host, void *payload)
{
	gws_source__cred_state *state = payload;
	const git_cert_hostkey *hk = (const git_cert_hostkey *)cert;

	(void)valid;
	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2)
		return GIT_PASSTHROUGH;
	if (!(hk->type & GIT_CERT_SSH_RAW) || !hk->hostkey || !hk->hostkey_len) {
		git_error_set_str(GIT_ERROR_SSH, "the ssh host key of the server is not known to "
		                                 "libgit2: refused");
		return GIT_ECERTIFICATE;
	}
	if (gws_source__known_host(state->known_hosts, host, ssh_port(state->repo),
	                           (const unsigned char *)hk->hostkey, hk->hostkey_len) < 0) {
		git_error_set_str(GIT_ERROR_SSH, gws_error_last());
		return GIT_ECERTIFICATE;
	}
	return 0;
}

void gws_source__init_callbacks(git_remote_callbacks *cb, gws_source__cred_state *state,
                                const char *repo, const char *known_hosts)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	memset(state, 0, sizeof(*state));
	state->repo = repo;
	state->known_hosts = known_hosts;
	cb->credentials = credentials;
	cb->certificate_check = certificate_check;
	cb->payload = state;
}
