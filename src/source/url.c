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

static bool ends_authority(char c)
{
	return c == '\0' || c == '/' || c == ' ' || c == '\'' || c == '"' || c == '\n' ||
	       c == '\t' || c == '>' || c == ')';
}

/*
 * For every "://" in the text, drops the userinfo ("user:password@") of the
 * authority that follows. libgit2 quotes URLs in its messages, so the scan
 * works on any text, not only on a bare URL.
 */
int gws_source_redact(gws_buf *out, const char *text)
{
	const char *p = text;
	const char *sep;
	int error;

	while ((sep = strstr(p, "://")) != NULL) {
		const char *auth = sep + 3, *end = auth, *at = NULL;

		while (!ends_authority(*end)) {
			if (*end == '@')
				at = end;
			end++;
		}
		if ((error = gws_buf_put(out, p, (size_t)(auth - p))) < 0)
			return error;
		p = at ? at + 1 : auth;
	}
	return gws_buf_puts(out, p);
}
