/*
 * URL userinfo ("user:password@"): finding it and dropping it from text.
 *
 * A password is often not percent-encoded as it should be (AWS CodeCommit
 * passwords hold '/', '+' and '='; people paste ones with spaces or
 * quotes), so a URL that fails to parse must still lose its password.
 * The rules therefore do not trust the URL's syntax: after "scheme://",
 * the userinfo runs to the LAST '@' on the same line that is followed by
 * a host name; an scp-like "user:password@host:path" loses the word up to
 * its '@' when that word holds a ':'. Text that merely looks like that
 * loses a little too much, which is the safe way to be wrong.
 */
#include <ctype.h>
#include <string.h>

#include "gwsync/core.h"

static bool is_scheme_char(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}

static bool is_host_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_' || c == '~' ||
	       c == '%';
}

/* Where a URL starting at `auth` may extend to: the end of its line, or the
 * scheme of the next URL on it. */
static const char *span_end(const char *auth, const char *end)
{
	const char *p;

	for (p = auth; p < end; p++) {
		if (*p == '\n' || *p == '\r')
			break;
		if ((size_t)(end - p) >= 3 && memcmp(p, "://", 3) == 0) {
			while (p > auth && is_scheme_char(p[-1]))
				p--;
			break;
		}
	}
	return p;
}

/* A host name starts at h and is followed by ':' (an scp-like user@host:path). */
static bool scp_host_follows(const char *h, const char *to)
{
	if (h == to || !isalnum((unsigned char)*h))
		return false;
	while (h < to && is_host_char(*h))
		h++;
	return h < to && *h == ':';
}

/* The last '@' in [from, to) followed by a host: a host name, an IPv6
 * literal, or the '/' of an empty host ("file://user:pw@/path") when it is
 * the first '/' after `from` (scp: a host name and a ':'). */
static const char *last_host_at(const char *from, const char *to, bool scp)
{
	const char *slash = memchr(from, '/', (size_t)(to - from)), *p;

	for (p = to; p-- > from;) {
		if (*p != '@' || p + 1 == to)
			continue;
		if (scp ? scp_host_follows(p + 1, to)
		        : p[1] == '[' || isalnum((unsigned char)p[1]) || p + 1 == slash)
			return p;
	}
	return NULL;
}

bool gws_url_userinfo(const char *url, size_t len, size_t *off, size_t *n)
{
	const char *end = url + len, *p = url, *at;

	while (p < end && is_scheme_char(*p))
		p++;
	if (p > url && (size_t)(end - p) >= 3 && memcmp(p, "://", 3) == 0) {
		p += 3;
		at = last_host_at(p, span_end(p, end), false);
	} else {
		p = url;
		at = last_host_at(p, span_end(p, end), true);
	}
	if (!at)
		return false;
	*off = (size_t)(p - url);
	*n = (size_t)(at - p);
	return true;
}

static bool is_word_break(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\'' || c == '"' ||
	       c == '<' || c == '>' || c == '(' || c == ')' || c == ',';
}

int gws_url_redact(gws_buf *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *copied = text, *word = text;
	bool word_colon = false;
	int error;

	while (p < end) {
		if ((size_t)(end - p) >= 3 && memcmp(p, "://", 3) == 0 && p > text &&
		    is_scheme_char(p[-1])) {
			const char *auth = p + 3,
			           *at = last_host_at(auth, span_end(auth, end), false);

			if ((error = gws_buf_put(out, copied, (size_t)(auth - copied))) < 0)
				return error;
			copied = p = word = at ? at + 1 : auth;
			word_colon = false;
			continue;
		}
		if (is_word_break(*p)) {
			word = p + 1;
			word_colon = false;
		} else if (*p == ':') {
			word_colon = true;
		} else if (*p == '@' && word_colon && scp_host_follows(p + 1, end)) {
			/* scp-like user:password@host:path */
			if ((error = gws_buf_put(out, copied, (size_t)(word - copied))) < 0)
				return error;
			copied = word = p + 1;
			word_colon = false;
		}
		p++;
	}
	return gws_buf_put(out, copied, (size_t)(end - copied));
}
