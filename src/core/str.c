/* Small string and number helpers shared by the CLI and the parsers. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gwsync/core.h"

bool gws_str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool gws_str_endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int gws_strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

int gws_parse_long(long *out, const char *s, long min, long max)
{
	char *end;
	long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return gws_error_set(GWS_EINVALID, "'%s' is not a number", s ? s : "");
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end)
		return gws_error_set(GWS_EINVALID, "'%s' is not a number", s);
	if (errno == ERANGE || v < min || v > max)
		return gws_error_set(GWS_EINVALID, "%s is out of range (%ld to %ld)", s, min, max);
	*out = v;
	return 0;
}

static long long unit_ms(const char *unit, size_t len)
{
	if (len == 2 && memcmp(unit, "ms", 2) == 0)
		return 1;
	if (len == 1 && *unit == 's')
		return 1000;
	if (len == 1 && *unit == 'm')
		return 60 * 1000;
	if (len == 1 && *unit == 'h')
		return 60 * 60 * 1000;
	return 0;
}

int gws_parse_duration_ms(long long *out, const char *s)
{
	const char *p = s;
	long long total = 0;

	if (!s || !*s)
		return gws_error_set(GWS_EINVALID, "empty duration");
	/* A bare number is seconds, as in `--timeout 300`. */
	if (strspn(s, "0123456789") == strlen(s)) {
		long v;

		if (gws_parse_long(&v, s, 0, LONG_MAX / 1000) < 0)
			return gws_error_set(GWS_EINVALID, "invalid duration '%s'", s);
		*out = (long long)v * 1000;
		return 0;
	}
	while (*p) {
		size_t digits = strspn(p, "0123456789"), ulen;
		long long n = 0, mult;

		if (digits == 0 || digits > 9)
			goto invalid;
		for (size_t i = 0; i < digits; i++)
			n = n * 10 + (p[i] - '0');
		p += digits;
		ulen = strspn(p, "hms");
		if ((mult = unit_ms(p, ulen)) == 0)
			goto invalid;
		p += ulen;
		if (n > (LLONG_MAX - total) / mult)
			goto invalid;
		total += n * mult;
	}
	*out = total;
	return 0;
invalid:
	return gws_error_set(GWS_EINVALID, "invalid duration '%s' (use e.g. 30s, 5m, 1h30m, 250ms)",
	                     s);
}
