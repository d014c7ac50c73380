/*
 * The string formats of the Kubernetes and Gateway API schemas, written as
 * small scanners instead of regular expressions: each one mirrors a pattern
 * quoted in its comment, so the two can be compared by eye.
 */
#include <arpa/inet.h>
#include <string.h>

#include "manifest/validate_util.h"

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[0..len) */
static bool label_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[len - 1]))
		return false;
	for (i = 1; i + 1 < len; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)* over s[0..len) */
static bool subdomain_ok(const char *s, size_t len)
{
	size_t start = 0, i;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (!label_ok(s + start, i - start))
				return false;
			start = i + 1;
		}
	}
	return true;
}

bool gws_manifest__is_dns_label(const char *s)
{
	size_t len = strlen(s);

	return len <= 63 && label_ok(s, len);
}

bool gws_manifest__is_dns_subdomain(const char *s)
{
	size_t len = strlen(s);

	return len <= 253 && subdomain_ok(s, len);
}

/* [a-z]([-a-z0-9]*[a-z0-9])?, at most 63 */
bool gws_manifest__is_dns1035_label(const char *s)
{
	return gws_manifest__is_dns_label(s) && s[0] >= 'a' && s[0] <= 'z';
}

/* ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$, 1..253 */
bool gws_manifest__is_hostname(const char *s, bool wildcard)
{
	size_t len = strlen(s);

	if (len == 0 || len > 253)
		return false;
	if (wildcard && s[0] == '*' && s[1] == '.') {
		s += 2;
		len -= 2;
	}
	return subdomain_ok(s, len);
}

const char *gws_manifest__hostname_problem(const char *s, bool wildcard)
{
	const char *p;
	size_t len = strlen(s);

	if (gws_manifest__is_hostname(s, wildcard))
		return NULL;
	if (len > 253)
		return "a hostname has at most 253 characters";
	if (s[0] == '*' && s[1] == '.' && !wildcard)
		return "a wildcard is not allowed here: use a precise hostname such as "
		       "www.example.com";
	if (strchr(wildcard && s[0] == '*' ? s + 1 : s, '*'))
		return wildcard ? "a wildcard is only allowed as the whole first label, as in "
		                  "*.example.com"
		                : "a wildcard is not allowed here: use a precise hostname such as "
		                  "www.example.com";
	if (s[0] == '*')
		return "a wildcard label must be followed by a dot and a domain, as in "
		       "*.example.com";
	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			return "use lowercase letters only";
	for (p = s; *p; p++)
		if (!is_lower_alnum(*p) && *p != '-' && *p != '.' && *p != '*')
			return "only lowercase letters, digits, '-' and '.' are allowed";
	if (len == 0 || s[len - 1] == '.' || s[0] == '.' || strstr(s, ".."))
		return "labels must not be empty (no leading, trailing or double dots)";
	return "each label must start and end with a letter or digit";
}

/* ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$, at most 253 */
bool gws_manifest__is_group(const char *s)
{
	size_t len = strlen(s);

	return len == 0 || (len <= 253 && subdomain_ok(s, len));
}

/* ^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$, 1..63 */
bool gws_manifest__is_kind(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > 63 || !is_alpha(s[0]) || !is_alnum(s[len - 1]))
		return false;
	for (i = 1; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

/* ^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$, 1..256 (an RFC 7230 token) */
bool gws_manifest__is_header_name(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > 256)
		return false;
	for (i = 0; i < len; i++)
		if (!is_alnum(s[i]) && !strchr("!#$%&'*+-.^_`|~", s[i]))
			return false;
	return true;
}

bool gws_manifest__is_header_value(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return false;
	return true;
}

/* One group of ^([0-9]{1,5}(h|m|s|ms)){1,4}$; returns its length, 0 when invalid. */
static size_t duration_group(const char *s, long long *ms)
{
	size_t i = 0;
	long long n = 0, unit;

	while (is_digit(s[i]) && i < 5)
		n = n * 10 + (s[i++] - '0');
	if (i == 0)
		return 0;
	if (s[i] == 'h')
		unit = 3600000;
	else if (s[i] == 'm' && s[i + 1] == 's')
		unit = 1, i++;
	else if (s[i] == 'm')
		unit = 60000;
	else if (s[i] == 's')
		unit = 1000;
	else
		return 0;
	*ms += n * unit;
	return i + 1;
}

static bool duration_scan(const char *s, long long *ms)
{
	unsigned groups = 0;

	*ms = 0;
	while (*s) {
		size_t len = duration_group(s, ms);

		if (len == 0 || ++groups > 4)
			return false;
		s += len;
	}
	return groups > 0;
}

bool gws_manifest__is_duration(const char *s)
{
	long long ms;

	return duration_scan(s, &ms);
}

long long gws_manifest__duration_ms(const char *s)
{
	long long ms;

	return duration_scan(s, &ms) ? ms : -1;
}

/* <subdomain>/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+ */
static bool domain_path_ok(const char *s, const char *path_chars)
{
	const char *slash = strchr(s, '/');
	const char *p;

	if (!slash || !subdomain_ok(s, (size_t)(slash - s)) || slash[1] == '\0')
		return false;
	for (p = slash + 1; *p; p++)
		if (!is_alnum(*p) && !strchr(path_chars, *p))
			return false;
	return true;
}

bool gws_manifest__is_controller_name(const char *s)
{
	return strlen(s) <= 253 && domain_path_ok(s, "/-._~%!$&'()*+,;=:");
}

/* ^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$ or <subdomain>/[A-Za-z0-9]+, 1..255 */
bool gws_manifest__is_protocol(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > 255)
		return false;
	if (strchr(s, '/'))
		return domain_path_ok(s, "");
	if (!is_alnum(s[0]) || !is_alnum(s[len - 1]))
		return false;
	for (i = 1; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

bool gws_manifest__is_address_type(const char *s)
{
	if (strcmp(s, "IPAddress") == 0 || strcmp(s, "Hostname") == 0 ||
	    strcmp(s, "NamedAddress") == 0)
		return true;
	return strlen(s) <= 253 && domain_path_ok(s, "/-._~%!$&'()*+,;=:");
}

bool gws_manifest__is_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$ */
bool gws_manifest__is_path_chars(const char *s)
{
	if (*s == '\0')
		return false;
	while (*s) {
		if (*s == '%') {
			if (!is_hex(s[1]) || !is_hex(s[2]))
				return false;
			s += 3;
		} else if (is_alnum(*s) || strchr("-/._~!$&'()*+,;=:@", *s)) {
			s++;
		} else {
			return false;
		}
	}
	return true;
}

/* Kubernetes IsValidPortName: 1..15 of [-a-z0-9], a letter, no "--", no '-' at the ends. */
bool gws_manifest__is_iana_svc_name(const char *s)
{
	size_t len = strlen(s), i;
	bool letter = false;

	if (len == 0 || len > 15 || s[0] == '-' || s[len - 1] == '-' || strstr(s, "--"))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			letter = true;
		else if (!is_digit(s[i]) && s[i] != '-')
			return false;
	}
	return letter;
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], the name part of a qualified name and a label value */
static bool label_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !is_alnum(s[0]) || !is_alnum(s[len - 1]))
		return false;
	for (i = 1; i + 1 < len; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

bool gws_manifest__is_qualified_name(const char *s)
{
	const char *slash = strchr(s, '/');
	const char *name = slash ? slash + 1 : s;
	size_t len = strlen(name);

	if (slash &&
	    (slash == s || (size_t)(slash - s) > 253 || !subdomain_ok(s, (size_t)(slash - s))))
		return false;
	return len <= 63 && label_name_ok(name, len);
}

bool gws_manifest__is_label_value(const char *s)
{
	size_t len = strlen(s);

	return len == 0 || (len <= 63 && label_name_ok(s, len));
}
