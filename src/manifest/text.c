/*
 * Text checks before YAML parsing: libyaml reports bad bytes with a byte
 * offset only, and accepts some characters Kubernetes tooling chokes on, so
 * the loader checks UTF-8 and control characters itself and reports the
 * exact line and column (columns count characters, like libyaml's marks).
 */
#include <stdio.h>
#include <string.h>

#include "manifest/internal.h"

/*
 * The end of the run of printable ASCII (0x20..0x7E) starting at i: eight
 * bytes at a time, then byte by byte. A word is skipped only when no byte
 * can be outside the range (b - 0x20 borrows below it, b + 1 reaches 0x80
 * at 0x7F, the top bit marks non-ASCII); a false alarm just goes slowly.
 */
static size_t ascii_run(const unsigned char *p, size_t i, size_t len)
{
	const uint64_t ones = 0x0101010101010101u, tops = 0x8080808080808080u;

	while (len - i >= 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (((w - 0x20 * ones) | (w + ones) | w) & tops)
			break;
		i += 8;
	}
	while (i < len && p[i] >= 0x20 && p[i] < 0x7F)
		i++;
	return i;
}

/* Length of the UTF-8 sequence at p (1..4), or 0 when it is invalid. */
static size_t utf8_seq(const unsigned char *p, size_t avail, unsigned long *cp)
{
	unsigned char c = p[0];
	size_t n;
	unsigned long v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0; /* overlong, out of range, or a surrogate */
	*cp = v;
	return n;
}

/* YAML's printable set (YAML 1.2 §5.1) plus TAB, LF, CR; BOM allowed anywhere libyaml allows. */
static bool allowed(unsigned long cp)
{
	if (cp == 0x09 || cp == 0x0A || cp == 0x0D)
		return true;
	if (cp < 0x20 || cp == 0x7F)
		return false;
	if (cp >= 0x80 && cp <= 0x9F)
		return cp == 0x85;
	if (cp == 0xFFFE || cp == 0xFFFF)
		return false;
	return true;
}

bool gws_mf__check_text(const char *data, size_t len, unsigned *line, unsigned *column, char *msg,
                        size_t msgsize)
{
	const unsigned char *p = (const unsigned char *)data;
	unsigned ln = 1, col = 1;
	size_t i = 0;
	while (i < len) {
		unsigned long cp;
		size_t end = ascii_run(p, i, len);
		col += (unsigned)(end - i);
		if ((i = end) == len)
			break;
		size_t n = utf8_seq(p + i, len - i, &cp);
		if (n == 0) {
			*line = ln;
			*column = col;
			snprintf(msg, msgsize, "invalid UTF-8 (byte 0x%02X); file not parsed",
			         p[i]);
			return false;
		}
		if (!allowed(cp)) {
			*line = ln;
			*column = col;
			snprintf(msg, msgsize,
			         "control character U+%04lX is not allowed; file not parsed", cp);
			return false;
		}
		if (cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
			/* libyaml counts NEL, LS and PS as line breaks too */
			ln++;
			col = 1;
		} else if (cp == '\r') {
			/* CR LF is one line break; a lone CR is one too, as in YAML */
			if (i + 1 < len && p[i + 1] == '\n')
				i++;
			ln++;
			col = 1;
		} else if (!(cp == 0xFEFF && i == 0)) {
			col++;
		}
		i += n;
	}
	return true;
}
