/*
 * Value mapping for ALB rule conditions, redirects and rewrites
 * (docs/lbc-mapping.md). Pure functions: strings in, strings out (in an
 * arena), GWS_EINVALID with a user-facing message for what ALB cannot do.
 *
 * Where LBC is wrong we are correct, and say so here:
 *  - an Exact path holding '*' or '?' is sent as an anchored, escaped
 *    RegexValues pattern, because ALB would read the glob value as a
 *    wildcard;
 *  - the ReplacePrefixMatch rewrite trims a trailing '/' from the match
 *    prefix (LBC does not, and "/foo/" + "/xyz" then turns "/foo/bar" into
 *    "/xyzbar"; Gateway API wants "/xyz/bar") and escapes regex
 *    metacharacters of the prefix ("/v1.0" must not match "/v1x0");
 *  - a redirect that changes nothing (only ReplacePrefixMatch, or no field
 *    at all) is refused here instead of at CreateRule time (a loop).
 */
#include "model/alb.h"

#include <string.h>

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

size_t gws_model__alb_count_wildcards(const char *value)
{
	size_t n = 0;

	for (const char *p = value; p && *p; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		n += *p == '*' || *p == '?';
	}
	return n;
}

static int strings_alloc(gws_alb_strings *out, gws_arena *arena, size_t n)
{
	out->items = gws_arena_calloc(arena, n ? n : 1, sizeof(*out->items));
	out->n = 0;
	return out->items ? 0 : GWS_ENOMEM;
}

static int strings_push(gws_alb_strings *out, const char *s)
{
	if (s == NULL)
		return GWS_ENOMEM;
	out->items[out->n++] = s;
	return 0;
}

/* value[0..len) and then a slash and a star: the PathPrefix sub-path pattern (NULL on ENOMEM). */
static const char *with_wildcard(gws_arena *arena, const char *value, size_t len)
{
	char *s = gws_arena_alloc(arena, len + 3);

	if (s) {
		memcpy(s, value, len);
		memcpy(s + len, "/*", 3);
	}
	return s;
}

int gws_model__alb_split_header_value(gws_alb_strings *out, gws_arena *arena, const char *value)
{
	size_t len = value ? strlen(value) : 0, n = 1;
	char *cur;
	size_t used = 0;
	int error;

	value = value ? value : "";
	for (size_t i = 0; i < len; i++) {
		if (value[i] == '\\' && i + 1 < len)
			i++;
		else if (value[i] == ',')
			n++;
	}
	if ((error = strings_alloc(out, arena, n)) < 0)
		return error;
	if ((cur = gws_arena_alloc(arena, len + 1)) == NULL)
		return GWS_ENOMEM;
	for (size_t i = 0; i <= len; i++) {
		char c = value[i];
		if (c == '\\' && i + 1 < len) {
			cur[used++] = value[++i];
			continue;
		}
		if (c == ',' || c == '\0') {
			cur[used] = '\0';
			if ((error = strings_push(out, gws_arena_strdup(arena, cur))) < 0)
				return error;
			used = 0;
			continue;
		}
		cur[used++] = c;
	}
	return 0;
}

/* Backslash-escapes the regex metacharacters of `s`. */
static char *regex_escape(gws_arena *arena, const char *s, size_t len)
{
	char *out = gws_arena_alloc(arena, 2 * len + 1), *w = out;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (strchr("\\.+*?()[]{}|^$", s[i]) != NULL)
			*w++ = '\\';
		*w++ = s[i];
	}
	*w = '\0';
	return out;
}

int gws_model__alb_path_values(gws_alb_strings *out, bool *is_regex, gws_arena *arena,
                               const char *type, const char *value)
{
	int error;

	type = type ? type : "PathPrefix";
	value = value ? value : "/";
	*is_regex = false;
	if ((error = strings_alloc(out, arena, 2)) < 0)
		return error;
	if (strcmp(type, "Exact") == 0) {
		if (!has_wildcard(value))
			return strings_push(out, gws_arena_strdup(arena, value));
		/* A literal '*' or '?': only a regex can say "exactly this". */
		*is_regex = true;
		char *esc = regex_escape(arena, value, strlen(value));
		return strings_push(out, esc ? gws_arena_printf(arena, "^%s$", esc) : NULL);
	}
	if (strcmp(type, "RegularExpression") == 0) {
		*is_regex = true;
		return strings_push(out, gws_arena_strdup(arena, value));
	}
	if (strcmp(type, "PathPrefix") != 0)
		return gws_error_set(GWS_EINVALID, "unsupported path match type \"%s\"", type);
	if (has_wildcard(value))
		return gws_error_set(GWS_EINVALID,
		                     "path prefix \"%s\" contains a wildcard ('*' or '?'), which "
		                     "ALB would not match literally",
		                     value);
	if (strcmp(value, "/") == 0)
		return strings_push(out, gws_arena_strdup(arena, "/*"));
	size_t len = strlen(value);
	if (len > 1 && value[len - 1] == '/')
		len--;
	if ((error = strings_push(out, gws_arena_strndup(arena, value, len))) < 0)
		return error;
	return strings_push(out, with_wildcard(arena, value, len));
}

int gws_model__alb_grpc_path(const char **out, gws_arena *arena, const char *service,
                             const char *method)
{
	if (service && method)
		*out = gws_arena_printf(arena, "/%s/%s", service, method);
	else if (service)
		*out = gws_arena_printf(arena, "/%s/*", service);
	else if (method)
		*out = gws_arena_printf(arena, "/*/%s", method);
	else
		return gws_error_set(GWS_EINVALID, "gRPC method match needs a service or a method");
	return *out ? 0 : GWS_ENOMEM;
}

/* ---- redirect ----------------------------------------------------------- */

int gws_model__alb_redirect_map(gws_alb_redirect *out, gws_arena *arena,
                                const gws_mf_request_redirect *redirect, const char *query)
{
	const char *scheme = redirect->scheme;

	memset(out, 0, sizeof(*out));
	out->query = query;
	if (scheme) {
		if (strcmp(scheme, "http") == 0 || strcmp(scheme, "HTTP") == 0)
			out->protocol = "HTTP";
		else if (strcmp(scheme, "https") == 0 || strcmp(scheme, "HTTPS") == 0)
			out->protocol = "HTTPS";
		else
			return gws_error_set(GWS_EINVALID,
			                     "redirect scheme \"%s\" is not supported by ALB "
			                     "(http or https)",
			                     scheme);
		/* Gateway API: a scheme without a port means its well-known port. */
		out->port = strcmp(out->protocol, "HTTP") == 0 ? "80" : "443";
	}
	if (redirect->port.set) {
		if (redirect->port.value < 1 || redirect->port.value > 65535)
			return gws_error_set(GWS_EINVALID, "redirect port %lld is out of range",
			                     (long long)redirect->port.value);
		out->port = gws_arena_printf(arena, "%lld", (long long)redirect->port.value);
		if (out->port == NULL)
			return GWS_ENOMEM;
	}
	out->host = redirect->hostname;
	if (redirect->path) {
		const gws_mf_path_modifier *pm = redirect->path;
		const char *type = pm->type ? pm->type : "";
		if (strcmp(type, "ReplaceFullPath") == 0) {
			const char *full = pm->replace_full_path ? pm->replace_full_path : "";
			if (has_wildcard(full))
				return gws_error_set(GWS_EINVALID,
				                     "redirect path \"%s\" contains a wildcard "
				                     "('*' or '?')",
				                     full);
			out->path = full;
		} else if (strcmp(type, "ReplacePrefixMatch") == 0) {
			const char *repl = pm->replace_prefix_match ? pm->replace_prefix_match : "";
			if (has_wildcard(repl))
				return gws_error_set(
				        GWS_EINVALID,
				        "redirect prefix replacement \"%s\" contains a "
				        "wildcard ('*' or '?')",
				        repl);
			out->prefix_rewrite = true;
			out->prefix_replacement = repl;
		} else {
			return gws_error_set(GWS_EINVALID, "unsupported redirect path type \"%s\"",
			                     type);
		}
	}
	if (!redirect->status_code.set || redirect->status_code.value == 302)
		out->status_code = "HTTP_302";
	else if (redirect->status_code.value == 301)
		out->status_code = "HTTP_301";
	else
		return gws_error_set(
		        GWS_EINVALID,
		        "redirect statusCode %lld is not supported by ALB (301 or 302)",
		        (long long)redirect->status_code.value);
	/* Everything left at the AWS defaults (#{protocol}, #{host}, #{port},
	 * /#{path}, #{query}) sends the client where it came from. */
	if (!out->protocol && !out->port && !out->host && !out->path &&
	    (!out->query || strcmp(out->query, "#{query}") == 0))
		return gws_error_set(GWS_EINVALID,
		                     "redirect keeps scheme, hostname, port%s: ALB rejects it as a "
		                     "redirect loop",
		                     out->prefix_rewrite ? " and only replaces the path prefix"
		                                         : " and path");
	return 0;
}

/* ---- rewrites ----------------------------------------------------------- */

void gws_model__alb_full_path_rewrite(gws_alb_rewrite *out, const char *full_path)
{
	out->regex = "^([^?]*)";
	out->replace = full_path ? full_path : "/";
}

int gws_model__alb_prefix_rewrite(gws_alb_rewrite *out, gws_arena *arena, const char *match_prefix,
                                  const char *replacement)
{
	size_t len = match_prefix ? strlen(match_prefix) : 0;
	char *esc;

	replacement = replacement ? replacement : "";
	if (len > 0 && match_prefix[len - 1] == '/')
		len--;
	if ((esc = regex_escape(arena, match_prefix ? match_prefix : "", len)) == NULL)
		return GWS_ENOMEM;
	out->regex = gws_arena_printf(arena, "(^%s(/)?)", esc);
	if (replacement[0] == '\0')
		out->replace = "/";
	else if (gws_str_endswith(replacement, "/"))
		out->replace = replacement;
	else
		out->replace = gws_arena_printf(arena, "%s$2", replacement);
	return out->regex && out->replace ? 0 : GWS_ENOMEM;
}

void gws_model__alb_host_rewrite(gws_alb_rewrite *out, const char *hostname)
{
	out->regex = ".*";
	out->replace = hostname;
}
