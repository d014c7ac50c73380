/* Telling URLs from paths, and keeping credentials in URLs out of every message. */
#include <string.h>

#include "source/source_int.h"

static bool is_scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '-' || c == '.';
}

/* scp-like syntax as git reads it: user@host:path, with no '/' before the ':'. */
static bool is_scp_like(const char *repo)
{
	const char *at = strchr(repo, '@');
	const char *colon = strchr(repo, ':');
	const char *slash = strchr(repo, '/');

	return at && colon && at < colon && at > repo && colon > at + 1 &&
	       (!slash || slash > colon);
}

bool gws_source_is_url(const char *repo)
{
	const char *p = repo;

	while (*p && is_scheme_char(*p))
		p++;
	if (p > repo && strncmp(p, "://", 3) == 0)
		return true;
	return is_scp_like(repo);
}

/*
 * Drops the userinfo ("user:password@") of every URL in the text: libgit2
 * quotes URLs in its messages, so the scan works on any text, not only on a
 * bare URL. The rule lives in core (gws_url_redact), shared with every line
 * gwsync prints: it holds for URLs that do not parse too (a password with an
 * unencoded '/', space or quote), and for scp-like user:password@host:path.
 */
int gws_source_redact(gws_buf *out, const char *text)
{
	return gws_url_redact(out, text, strlen(text));
}

static void lower_copy(char *out, size_t cap, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < cap; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	out[i] = '\0';
}

static unsigned default_port(const char *scheme)
{
	if (strcmp(scheme, "https") == 0)
		return 443;
	if (strcmp(scheme, "http") == 0)
		return 80;
	if (strcmp(scheme, "ssh") == 0)
		return 22;
	return 0;
}

/*
 * The authority ends at the first '/', '?' or '#'; the userinfo at its last
 * '@' (as libgit2's parser reads https://127.0.0.1:1@other/: host "other").
 */
int gws_source__url_origin(gws_source__origin *out, const char *url)
{
	const char *sep = strstr(url, "://"), *auth, *end, *host, *host_end, *at = NULL;
	size_t scheme_len;
	long port = 0;

	memset(out, 0, sizeof(*out));
	if (!sep || sep == url)
		return GWS_EINVALID;
	for (const char *p = url; p < sep; p++)
		if (!is_scheme_char(*p))
			return GWS_EINVALID;
	scheme_len = (size_t)(sep - url);
	if (scheme_len >= sizeof(out->scheme))
		return GWS_EINVALID;
	lower_copy(out->scheme, sizeof(out->scheme), url, scheme_len);
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	host = at ? at + 1 : auth;
	if (*host == '[') {
		host_end = memchr(host, ']', (size_t)(end - host));
		if (!host_end)
			return GWS_EINVALID;
		host++;
		sep = host_end + 1;
	} else {
		host_end = memchr(host, ':', (size_t)(end - host));
		if (!host_end)
			host_end = end;
		sep = host_end;
	}
	if (host_end == host || (size_t)(host_end - host) >= sizeof(out->host))
		return GWS_EINVALID;
	lower_copy(out->host, sizeof(out->host), host, (size_t)(host_end - host));
	if (sep < end) {
		char digits[8];

		if (*sep != ':' || end - sep - 1 < 1 || end - sep - 1 > 5)
			return GWS_EINVALID;
		memcpy(digits, sep + 1, (size_t)(end - sep - 1));
		digits[end - sep - 1] = '\0';
		if (gws_parse_long(&port, digits, 1, 65535) < 0)
			return GWS_EINVALID;
	}
	out->port = port ? (unsigned)port : default_port(out->scheme);
	return 0;
}
