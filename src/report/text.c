/*
 * Text from manifests and from AWS reaches YAML, JSON, Markdown and Mermaid.
 * Each format has its own dangerous characters; these helpers are the only
 * place where text is made safe for one of them (docs/report.md, "Escaping").
 */
#include "report/internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid; *cp gets the code point. */
static size_t utf8_seq(const unsigned char *s, size_t avail, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

const char *gws_report__clean(gws_arena *arena, const char *s, size_t max)
{
	static const char ellipsis[] = "\xe2\x80\xa6", replacement[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), out = 0, i = 0;
	char *dst;

	/* Worst case every byte becomes a 3-byte replacement character. */
	if (len > (SIZE_MAX - 4) / 3)
		return NULL;
	dst = gws_arena_alloc(arena, len * 3 + sizeof(ellipsis));
	if (!dst)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_seq(p + i, len - i, &cp);
		const char *src = n ? (const char *)p + i : replacement;
		size_t w = n ? n : 3;
		if (out + w > max) {
			/* Cut on a boundary with room for the ellipsis. */
			while (out > 0 && out + 3 > max) {
				do
					out--;
				while (out > 0 && ((unsigned char)dst[out] & 0xc0) == 0x80);
			}
			memcpy(dst + out, ellipsis, max >= 3 ? 3 : 0);
			out += max >= 3 ? 3 : 0;
			break;
		}
		memcpy(dst + out, src, w);
		out += w;
		i += n ? n : 1;
	}
	dst[out] = '\0';
	return dst;
}

bool gws_report__safe_component(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (len == 0 || len > 200 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	/* Kubernetes names fit easily; anything else could not be checked out everywhere
	 * (Windows refuses '"', '|', ':' …) or could climb out of the directory. */
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
	       len;
}

void gws_report__format_time(char out[32], time_t t)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool gws_report__valid_time(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int year, mon, day;

	if (!s || strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return false;
	year = digits(s, 4);
	mon = digits(s + 5, 2);
	day = digits(s + 8, 2);
	if (year < 1 || mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1])
		return false;
	if (mon == 2 && day == 29 && (year % 4 != 0 || (year % 100 == 0 && year % 400 != 0)))
		return false;
	return digits(s + 11, 2) >= 0 && digits(s + 11, 2) <= 23 && digits(s + 14, 2) >= 0 &&
	       digits(s + 14, 2) <= 59 && digits(s + 17, 2) >= 0 && digits(s + 17, 2) <= 59;
}

/* Bidirectional overrides and line separators would make a line read differently
 * from what it holds; Markdown shows them as spaces. */
static bool invisible_trap(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x200e || cp == 0x200f || cp == 0x061c || cp == 0xfeff;
}

int gws_report__md(gws_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i = 0;
	int error = 0;

	while (i < len && error == 0) {
		uint32_t cp;
		size_t n = utf8_seq(p + i, len - i, &cp);
		if (n == 0) {
			error = gws_buf_puts(out, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || invisible_trap(cp))
			error = gws_buf_putc(out, ' ');
		else if (cp == '&')
			error = gws_buf_puts(out, "&amp;");
		else if (cp == '<')
			error = gws_buf_puts(out, "&lt;");
		else if (cp == '>')
			error = gws_buf_puts(out, "&gt;");
		else if (cp < 0x80 && strchr("\\`*_[]|~$#", (int)cp))
			error = gws_buf_printf(out, "\\%c", (int)cp);
		else
			error = gws_buf_put(out, p + i, n);
		i += n;
	}
	return error;
}

int gws_report__md_code(gws_buf *out, const char *s)
{
	int error;
	if (!s || !*s ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	              "0123456789._:/@=+,-") != strlen(s))
		return gws_report__md(out, s);
	if ((error = gws_buf_putc(out, '`')) < 0 || (error = gws_buf_puts(out, s)) < 0)
		return error;
	return gws_buf_putc(out, '`');
}

int gws_report__mermaid_text(gws_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i = 0;
	int error = 0;

	while (i < len && error == 0) {
		uint32_t cp;
		size_t n = utf8_seq(p + i, len - i, &cp);
		if (n == 0) {
			cp = 0xfffd;
			n = 1;
		}
		if (cp < 0x80 &&
		    ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		     (cp >= '0' && cp <= '9') || (cp && strchr(" -_./:,=+@", (int)cp))))
			error = gws_buf_putc(out, (char)cp);
		else
			error = gws_buf_printf(out, "#%lu;", (unsigned long)cp);
		i += n;
	}
	return error;
}

int gws_report__natcmp(const char *a, const char *b)
{
	const char *pa = a, *pb = b;
	while (*pa && *pb) {
		if (*pa >= '0' && *pa <= '9' && *pb >= '0' && *pb <= '9') {
			const char *ea = pa, *eb = pb;
			size_t la, lb;
			while (*pa == '0' && pa[1] >= '0' && pa[1] <= '9')
				pa++;
			while (*pb == '0' && pb[1] >= '0' && pb[1] <= '9')
				pb++;
			for (ea = pa; *ea >= '0' && *ea <= '9'; ea++)
				;
			for (eb = pb; *eb >= '0' && *eb <= '9'; eb++)
				;
			la = (size_t)(ea - pa);
			lb = (size_t)(eb - pb);
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = memcmp(pa, pb, la);
			if (c)
				return c < 0 ? -1 : 1;
			pa = ea;
			pb = eb;
			continue;
		}
		if (*pa != *pb)
			return (unsigned char)*pa < (unsigned char)*pb ? -1 : 1;
		pa++;
		pb++;
	}
	if (*pa || *pb)
		return *pa ? 1 : -1;
	return strcmp(a, b); /* "08" and "8" compare equal above; keep the order total */
}
