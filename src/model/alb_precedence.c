/*
 * The order of ALB listener rules (docs/lbc-mapping.md, "Rule precedence").
 *
 * Rules of every HTTPRoute and GRPCRoute attached to one listener port are
 * sorted by one comparator, then numbered 1..n. The keys follow LBC's
 * unified comparator exactly, with two choices of ours where LBC leaves
 * the order to the input:
 *  - a route without creationTimestamp (usual in Git, where nobody sets it)
 *    counts as newer than every route that has one; two routes without it
 *    tie on that key and fall through to "<namespace>/<name>";
 *  - a last key, the route kind name ("GRPCRoute" before "HTTPRoute"), orders
 *    an HTTPRoute and a GRPCRoute of the same namespace/name that tie on
 *    everything else, so the result never depends on input order.
 */
#include "model/alb.h"

#include <string.h>

static bool is_wildcard(const char *hostname)
{
	return hostname[0] == '*' && hostname[1] == '.';
}

static size_t count_dots(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '.';
	return n;
}

/* Larger first: < 0 when a > b. */
static int desc_size(size_t a, size_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

/* Smaller first. */
static int asc_size(size_t a, size_t b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

static int sign(int v)
{
	return v < 0 ? -1 : v > 0 ? 1 : 0;
}

int gws_model__alb_hostname_cmp(const char *a, const char *b)
{
	bool a_any, b_any, a_wild, b_wild;
	int c;

	a = a ? a : "";
	b = b ? b : "";
	a_any = a[0] == '\0';
	b_any = b[0] == '\0';
	/* The catch-all unit loses to everything, wildcards included. */
	if (a_any || b_any)
		return (int)a_any - (int)b_any;
	a_wild = is_wildcard(a);
	b_wild = is_wildcard(b);
	if (a_wild != b_wild)
		return a_wild ? 1 : -1;
	c = desc_size(count_dots(a), count_dots(b));
	if (c != 0)
		return c;
	return desc_size(strlen(a), strlen(b));
}

static int created_cmp(const gws_alb_prec_key *a, const gws_alb_prec_key *b)
{
	if (a->has_created != b->has_created)
		return a->has_created ? -1 : 1;
	if (!a->has_created)
		return 0;
	return a->created_ms < b->created_ms ? -1 : a->created_ms > b->created_ms ? 1 : 0;
}

int gws_model__alb_prec_cmp(const gws_alb_prec_key *a, const gws_alb_prec_key *b)
{
	int c;

	if ((c = gws_model__alb_hostname_cmp(a->hostname, b->hostname)) != 0)
		return c;
	if (a->path_type != b->path_type)
		return a->path_type > b->path_type ? -1 : 1;
	if ((c = desc_size(a->path_len, b->path_len)) != 0)
		return c;
	if ((c = desc_size(a->secondary_len, b->secondary_len)) != 0)
		return c;
	if (a->has_method != b->has_method)
		return a->has_method ? -1 : 1;
	if ((c = desc_size(a->header_count, b->header_count)) != 0)
		return c;
	if ((c = desc_size(a->query_count, b->query_count)) != 0)
		return c;
	if ((c = created_cmp(a, b)) != 0)
		return c;
	if ((c = sign(gws_strcmp_null(a->route_key, b->route_key))) != 0)
		return c;
	if ((c = asc_size(a->rule_index, b->rule_index)) != 0)
		return c;
	if ((c = asc_size(a->match_index, b->match_index)) != 0)
		return c;
	if ((c = sign(gws_strcmp_null(a->hostname, b->hostname))) != 0)
		return c;
	return sign(gws_strcmp_null(a->route_kind, b->route_kind));
}

/* ---- RFC 3339 --------------------------------------------------------- */

static bool read_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool expect(const char **p, const char *chars)
{
	if (**p == '\0' || strchr(chars, **p) == NULL)
		return false;
	(*p)++;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int gws_model__alb_parse_timestamp(int64_t *out_ms, const char *text)
{
	const char *p = text;
	int y, mo, d, h, mi, s, ms = 0, off_h = 0, off_m = 0, off_sign = 0;

	if (text == NULL)
		return gws_error_set(GWS_EINVALID, "timestamp is missing");
	if (!read_digits(&p, 4, &y) || !expect(&p, "-") || !read_digits(&p, 2, &mo) ||
	    !expect(&p, "-") || !read_digits(&p, 2, &d) || !expect(&p, "Tt ") ||
	    !read_digits(&p, 2, &h) || !expect(&p, ":") || !read_digits(&p, 2, &mi) ||
	    !expect(&p, ":") || !read_digits(&p, 2, &s))
		goto bad;
	if (*p == '.') {
		int scale = 100, digits = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			ms += (*p - '0') * scale;
			scale /= 10;
			p++;
			digits++;
		}
		if (digits == 0)
			goto bad;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		off_sign = *p == '-' ? -1 : 1;
		p++;
		if (!read_digits(&p, 2, &off_h) || !expect(&p, ":") || !read_digits(&p, 2, &off_m))
			goto bad;
	} else {
		goto bad;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || s > 60 || off_h > 23 || off_m > 59)
		goto bad;
	{
		int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
		secs -= (int64_t)off_sign * (off_h * 3600 + off_m * 60);
		*out_ms = secs * 1000 + ms;
	}
	return 0;
bad:
	return gws_error_set(GWS_EINVALID, "not an RFC 3339 timestamp: \"%.64s\"", text);
}
