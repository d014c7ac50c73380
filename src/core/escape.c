/*
 * Escaping for display: a file name, an object name or a server's message
 * may hold a newline (which would forge a line of output, or a CI workflow
 * command), a terminal escape sequence, or bytes that are not UTF-8. Every
 * untrusted string gwsync prints passes through gws_escape, here and only
 * here, so there is one definition of "safe to show".
 */
#include <string.h>

#include "gwsync/core.h"

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), 0 if invalid.
 * Overlong forms, surrogates and code points above U+10FFFF are invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static const char *named_escape(unsigned char c)
{
	switch (c) {
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	default:
		return NULL;
	}
}

/* Whether the character of n bytes at p is shown escaped: C0 controls, DEL,
 * and the C1 controls U+0080..U+009F (0xC2 0x80..0x9F), which some terminals
 * obey as escape sequences. */
static bool is_control(const unsigned char *p, size_t n)
{
	return (n == 1 && (*p < 0x20 || *p == 0x7f)) || (n == 2 && p[0] == 0xc2 && p[1] < 0xa0);
}

/* Bytes at the start of s (len bytes) that are shown as they are. */
static size_t plain_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len && (n = utf8_len(s + i, len - i)) != 0 && !is_control(s + i, n))
		i += n;
	return i;
}

bool gws_needs_escape(const char *s, size_t len)
{
	return plain_prefix((const unsigned char *)s, len) < len;
}

int gws_escape(gws_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int error = 0;

	while (p < end) {
		size_t plain = plain_prefix(p, (size_t)(end - p)), n;
		char esc[8];

		if (plain && (error = gws_buf_put(out, p, plain)) < 0)
			return error;
		if ((p += plain) == end)
			break;
		n = utf8_len(p, (size_t)(end - p));
		if (n == 0) {
			/* A byte that does not start valid UTF-8: shown, never passed on. */
			esc[0] = '\\', esc[1] = 'x', esc[2] = hex[*p >> 4], esc[3] = hex[*p & 15];
			error = gws_buf_put(out, esc, 4);
			n = 1;
		} else if (n == 1 && named_escape(*p)) {
			error = gws_buf_puts(out, named_escape(*p));
		} else {
			unsigned cp = n == 1 ? p[0] : p[1];

			memcpy(esc, "\\u00", 4);
			esc[4] = hex[cp >> 4], esc[5] = hex[cp & 15];
			error = gws_buf_put(out, esc, 6);
		}
		if (error < 0)
			return error;
		p += n;
	}
	return 0;
}
