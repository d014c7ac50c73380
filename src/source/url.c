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
