/*
 * The validation walking context: field paths, reporting and the checks
 * every kind shares (required, ranges, enums, lengths, counts, formats).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "manifest/validate_util.h"

void gws_manifest__v_init(gws_manifest__vctx *v, gws_diag_list *diags, size_t loader_diags,
                          const gws_manifest_object *obj)
{
	memset(v, 0, sizeof(*v));
	v->diags = diags;
	v->out = diags;
	v->loader_diags = loader_diags;
	v->obj = obj;
}

/* Appends n bytes to the path; a path longer than the buffer is cut (the position then falls
 * back to a parent). */
static void path_put(gws_manifest__vctx *v, const char *s, size_t n)
{
	size_t room = sizeof(v->path) - 1 - v->len;

	if (n > room)
		n = room;
	memcpy(v->path + v->len, s, n);
	v->len += n;
	v->path[v->len] = '\0';
}

/* Decimal digits of `value` at the end of buf[24]; returns where they start. */
static char *digits(char *end, size_t value)
{
	do {
		*--end = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	return end;
}

/*
 * memcpy instead of snprintf: rules push a segment for nearly every field they
 * look at, so this runs for every node of every object.
 */
static size_t path_append(gws_manifest__vctx *v, const char *field, size_t index, bool with_index)
{
	size_t mark = v->len;

	if (field) {
		if (v->len)
			path_put(v, ".", 1);
		path_put(v, field, strlen(field));
	}
	if (with_index) {
		char buf[24], *start = digits(buf + sizeof(buf) - 1, index);
		buf[sizeof(buf) - 1] = ']';
		path_put(v, "[", 1);
		path_put(v, start, (size_t)(buf + sizeof(buf) - start));
	}
	return mark;
}

size_t gws_manifest__v_push(gws_manifest__vctx *v, const char *field)
{
	return path_append(v, field, 0, false);
}

size_t gws_manifest__v_push_index(gws_manifest__vctx *v, const char *field, size_t index)
{
	return path_append(v, field, index, true);
}

void gws_manifest__v_pop(gws_manifest__vctx *v, size_t mark)
{
	if (mark < sizeof(v->path)) {
		v->len = mark;
		v->path[mark] = '\0';
	}
}

/* The loader already reported an error at `path` or at one of its parents. */
static bool loader_reported(const gws_manifest__vctx *v, const char *path)
{
	size_t i;

	for (i = 0; i < v->loader_diags && i < v->diags->count; i++) {
		const gws_diag *d = &v->diags->items[i];
		size_t len;

		if (d->severity != GWS_DIAG_ERROR || !d->field || !d->object || !v->obj->ref ||
		    strcmp(d->object, v->obj->ref) != 0 ||
		    gws_strcmp_null(d->file, v->obj->file) != 0)
			continue;
		len = strlen(d->field);
		if (strncmp(path, d->field, len) == 0 &&
		    (path[len] == '\0' || path[len] == '.' || path[len] == '['))
			return true;
	}
	return false;
}

static void report(gws_manifest__vctx *v, gws_diag_severity sev, const char *field, const char *fmt,
                   va_list ap) GWS_PRINTF(4, 0);

static void report(gws_manifest__vctx *v, gws_diag_severity sev, const char *field, const char *fmt,
                   va_list ap)
{
	char message[1024];
	size_t mark = v->len;
	int rc;

	if (field)
		gws_manifest__v_push(v, field);
	if (loader_reported(v, v->path)) {
		gws_manifest__v_pop(v, mark);
		return;
	}
	vsnprintf(message, sizeof(message), fmt, ap);
	rc = gws_manifest_diag(v->out, v->obj, sev, v->path, "%s", message);
	if (rc < 0 && v->error == 0)
		v->error = rc;
	gws_manifest__v_pop(v, mark);
}

void gws_manifest__v_error(gws_manifest__vctx *v, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(v, GWS_DIAG_ERROR, field, fmt, ap);
	va_end(ap);
}

void gws_manifest__v_warning(gws_manifest__vctx *v, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(v, GWS_DIAG_WARNING, field, fmt, ap);
	va_end(ap);
}

bool gws_manifest__str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

const char *gws_manifest__name_at(const char *const *first, size_t stride, size_t i)
{
	/* Element i's name member lies i * stride bytes after element 0's. */
	return *(const char *const *)((const char *)first + i * stride);
}

const char *gws_manifest__earlier_name(const char *const *first, size_t stride, size_t i,
                                       bool fold_case)
{
	const char *name = gws_manifest__name_at(first, stride, i);
	size_t j;

	for (j = 0; name && j < i; j++) {
		const char *other = gws_manifest__name_at(first, stride, j);

		if (other && (fold_case ? strcasecmp(name, other) : strcmp(name, other)) == 0)
			return other;
	}
	return NULL;
}

void gws_manifest__v_unique_name(gws_manifest__vctx *v, const char *what, const char *const *first,
                                 size_t stride, size_t i, const char *case_note)
{
	const char *name = gws_manifest__name_at(first, stride, i);
	const char *twin;

	if (gws_manifest__earlier_name(first, stride, i, false))
		gws_manifest__v_error(v, "name", "duplicate %s %s: each name may appear once", what,
		                      gws_manifest__v_quote(v, name));
	else if (case_note && (twin = gws_manifest__earlier_name(first, stride, i, true)) != NULL)
		gws_manifest__v_warning(
		        v, "name", "header %s repeats %s: header names are case-insensitive%s",
		        gws_manifest__v_quote(v, name), gws_manifest__v_quote(v, twin), case_note);
}

static size_t hash_key(const char *s)
{
	size_t h = 1469598103934665603u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

bool gws_manifest__v_twins(gws_manifest__vctx *v, size_t *twin, const char *const *keys, size_t n)
{
	size_t cap = 16, *slots; /* item index + 1, 0 for an empty slot */

	while (cap < 2 * n)
		cap *= 2;
	if (!(slots = gws_calloc(cap, sizeof(*slots)))) {
		v->error = v->error ? v->error : GWS_ENOMEM;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j;

		twin[i] = GWS_VNO_TWIN;
		if (!keys[i])
			continue;
		for (j = hash_key(keys[i]) & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
			if (strcmp(keys[slots[j] - 1], keys[i]) == 0)
				break;
		if (slots[j])
			twin[i] = slots[j] - 1;
		else
			slots[j] = i + 1;
	}
	gws_free(slots);
	return true;
}

const char *gws_manifest__key_field(const char *key)
{
	const char *p;

	if (!key || !*key)
		return NULL;
	for (p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '/'))
			return NULL;
	return key;
}

bool gws_manifest__v_has(const gws_manifest__vctx *v, const char *field)
{
	char path[GWS_VPATH_MAX + 64];
	size_t flen, o = v->len;

	if (!field)
		return gws_manifest_object_has(v->obj, v->path);
	/* the current path plus ".field", cut to the buffer as snprintf would */
	flen = strlen(field);
	memcpy(path, v->path, o);
	if (o)
		path[o++] = '.';
	if (flen > sizeof(path) - 1 - o)
		flen = sizeof(path) - 1 - o;
	memcpy(path + o, field, flen);
	path[o + flen] = '\0';
	return gws_manifest_object_has(v->obj, path);
}

/* The quoted form of one byte of a message value into tmp; its length. */
static size_t quote_byte(unsigned char c, char *tmp)
{
	static const char hex[] = "0123456789abcdef";

	if (c == '"' || c == '\\') {
		tmp[0] = '\\';
		tmp[1] = (char)c;
		return 2;
	}
	if (c < 0x20 || c >= 0x7f) {
		memcpy(tmp, "\\x", 2);
		tmp[2] = hex[c >> 4];
		tmp[3] = hex[c & 0xf];
		return 4;
	}
	tmp[0] = (char)c;
	return 1;
}

const char *gws_manifest__v_quote(gws_manifest__vctx *v, const char *s)
{
	char *out = v->quote[v->next_quote++ % GWS_VQUOTE_SLOTS];
	/* Room for the closing quote, "..." and the NUL. */
	size_t limit = GWS_VQUOTE_MAX - 6, o = 0;
	const unsigned char *p;

	out[o++] = '"';
	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		char tmp[4];
		size_t len = quote_byte(*p, tmp);

		if (o + len > limit) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, tmp, len);
		o += len;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

bool gws_manifest__v_required(gws_manifest__vctx *v, const char *field, bool present)
{
	if (!present)
		gws_manifest__v_error(v, field, "is required");
	return present;
}

bool gws_manifest__v_range(gws_manifest__vctx *v, const char *field, const gws_mf_int *value,
                           int64_t min, int64_t max)
{
	if (!value->set || (value->value >= min && value->value <= max))
		return true;
	gws_manifest__v_error(v, field, "must be between %" PRId64 " and %" PRId64 ", got %" PRId64,
	                      min, max, value->value);
	return false;
}

bool gws_manifest__v_enum(gws_manifest__vctx *v, const char *field, const char *value,
                          const char *const *allowed)
{
	char list[512];
	size_t i, o = 0;

	if (!value)
		return true;
	for (i = 0; allowed[i]; i++)
		if (strcmp(value, allowed[i]) == 0)
			return true;
	list[0] = '\0';
	for (i = 0; allowed[i] && o < sizeof(list); i++) {
		int n = snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", allowed[i]);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	gws_manifest__v_error(v, field, "unsupported value %s: must be one of %s",
	                      gws_manifest__v_quote(v, value), list);
	return false;
}

bool gws_manifest__v_length(gws_manifest__vctx *v, const char *field, const char *value, size_t min,
                            size_t max)
{
	size_t len;

	if (!value)
		return true;
	len = strlen(value);
	if (len < min) {
		if (min == 1)
			gws_manifest__v_error(v, field, "must not be empty");
		else
			gws_manifest__v_error(v, field,
			                      "must be at least %zu characters long, got %zu", min,
			                      len);
		return false;
	}
	if (len > max) {
		gws_manifest__v_error(v, field, "must be at most %zu characters long, got %zu", max,
		                      len);
		return false;
	}
	return true;
}

size_t gws_manifest__v_items(gws_manifest__vctx *v, const char *field, size_t n, size_t min,
                             size_t max)
{
	gws_manifest__v_count(v, field, n, min, max);
	return max && n > max ? max : n;
}

bool gws_manifest__v_count(gws_manifest__vctx *v, const char *field, size_t n, size_t min,
                           size_t max)
{
	if (min == max && n > max) {
		gws_manifest__v_error(v, field,
		                      "must have exactly %zu item%s, got %zu; object ignored", min,
		                      min == 1 ? "" : "s", n);
		v->over_limit = true;
		return false;
	}
	if (min == max && n != min) {
		gws_manifest__v_error(v, field, "must have exactly %zu item%s, got %zu", min,
		                      min == 1 ? "" : "s", n);
		return false;
	}
	if (n < min) {
		if (min == 1)
			gws_manifest__v_error(v, field, "must have at least 1 item");
		else
			gws_manifest__v_error(v, field, "must have at least %zu items, got %zu",
			                      min, n);
		return false;
	}
	if (max && n > max) {
		gws_manifest__v_error(v, field,
		                      "must have at most %zu item%s, got %zu; object ignored", max,
		                      max == 1 ? "" : "s", n);
		v->over_limit = true;
		return false;
	}
	return true;
}

bool gws_manifest__v_entries(gws_manifest__vctx *v, const char *field, size_t n, size_t max)
{
	if (n <= max)
		return true;
	gws_manifest__v_error(v, field, "must have at most %zu entries, got %zu; object ignored",
	                      max, n);
	v->over_limit = true;
	return false;
}

typedef struct {
	const char *what;
	const char *rule;
} vformat_text;

static const vformat_text vformat_texts[] = {
        [GWS_VFMT_DNS_SUBDOMAIN] = {"name",
                                    "use at most 253 lowercase letters, digits, '-' and '.', "
                                    "starting and ending with a letter or digit"},
        [GWS_VFMT_DNS_LABEL] = {"DNS label",
                                "use at most 63 lowercase letters, digits and '-', starting and "
                                "ending with a letter or digit"},
        [GWS_VFMT_DNS1035_LABEL] = {"Service name",
                                    "use at most 63 lowercase letters, digits and '-', starting "
                                    "with a letter and ending with a letter or digit"},
        [GWS_VFMT_HOSTNAME] = {"hostname", NULL},
        [GWS_VFMT_PRECISE_HOSTNAME] = {"precise hostname", NULL},
        [GWS_VFMT_GROUP] = {"group",
                            "use \"\" (core) or at most 253 lowercase letters, digits, '-' and "
                            "'.', starting and ending with a letter or digit"},
        [GWS_VFMT_KIND] = {"kind",
                           "use at most 63 letters, digits and '-', starting with a letter and "
                           "ending with a letter or digit"},
        [GWS_VFMT_HEADER_NAME] = {"header name",
                                  "use 1 to 256 letters, digits and !#$%&'*+-.^_`|~ (no spaces)"},
        [GWS_VFMT_HEADER_VALUE] = {"header value",
                                   "control characters (CR, LF, NUL, ...) would split or end "
                                   "the header; only tab is allowed"},
        [GWS_VFMT_DURATION] = {"duration",
                               "use 1 to 4 groups of up to 5 digits with a unit h, m, s or ms, "
                               "such as 30s or 1h30m"},
        [GWS_VFMT_CONTROLLER_NAME] = {"controller name",
                                      "use a domain-prefixed path such as gateway.k8s.aws/alb "
                                      "(at most 253 characters)"},
        [GWS_VFMT_PROTOCOL] = {"protocol",
                               "use HTTP, HTTPS, TLS, TCP, UDP or a domain-prefixed name such as "
                               "example.com/proto (letters, digits and '-', at most 255 "
                               "characters)"},
        [GWS_VFMT_ADDRESS_TYPE] = {"address type",
                                   "use IPAddress, Hostname, NamedAddress or a domain-prefixed "
                                   "name such as example.com/type"},
        [GWS_VFMT_OBJECT_NAME] = {"object name", "use 1 to 253 characters"},
};

static bool format_ok(const char *s, gws_manifest__vfmt fmt)
{
	switch (fmt) {
	case GWS_VFMT_DNS_SUBDOMAIN:
		return gws_manifest__is_dns_subdomain(s);
	case GWS_VFMT_DNS_LABEL:
		return gws_manifest__is_dns_label(s);
	case GWS_VFMT_DNS1035_LABEL:
		return gws_manifest__is_dns1035_label(s);
	case GWS_VFMT_HOSTNAME:
		return gws_manifest__is_hostname(s, true);
	case GWS_VFMT_PRECISE_HOSTNAME:
		return gws_manifest__is_hostname(s, false);
	case GWS_VFMT_GROUP:
		return gws_manifest__is_group(s);
	case GWS_VFMT_KIND:
		return gws_manifest__is_kind(s);
	case GWS_VFMT_HEADER_NAME:
		return gws_manifest__is_header_name(s);
	case GWS_VFMT_HEADER_VALUE:
		return gws_manifest__is_header_value(s);
	case GWS_VFMT_DURATION:
		return gws_manifest__is_duration(s);
	case GWS_VFMT_CONTROLLER_NAME:
		return gws_manifest__is_controller_name(s);
	case GWS_VFMT_PROTOCOL:
		return gws_manifest__is_protocol(s);
	case GWS_VFMT_ADDRESS_TYPE:
		return gws_manifest__is_address_type(s);
	case GWS_VFMT_OBJECT_NAME:
		return s[0] != '\0' && strlen(s) <= 253;
	}
	return false;
}

bool gws_manifest__v_format(gws_manifest__vctx *v, const char *field, const char *value,
                            gws_manifest__vfmt fmt)
{
	const vformat_text *t = &vformat_texts[fmt];
	const char *rule = t->rule;

	if (value && (fmt == GWS_VFMT_HOSTNAME || fmt == GWS_VFMT_PRECISE_HOSTNAME) &&
	    gws_manifest__is_ip(value)) {
		/* The pattern admits dotted digits, but the Hostname type forbids IPs. */
		gws_manifest__v_warning(
		        v, field, "%s is an IP address: Gateway API hostnames must be DNS names",
		        gws_manifest__v_quote(v, value));
		return true;
	}
	if (!value || format_ok(value, fmt))
		return true;
	if (fmt == GWS_VFMT_HOSTNAME || fmt == GWS_VFMT_PRECISE_HOSTNAME)
		rule = gws_manifest__hostname_problem(value, fmt == GWS_VFMT_HOSTNAME);
	if (value[0] == '\0' && fmt != GWS_VFMT_GROUP)
		gws_manifest__v_error(v, field, "must not be empty: %s", rule);
	else
		gws_manifest__v_error(v, field, "%s is not a valid %s: %s",
		                      gws_manifest__v_quote(v, value), t->what, rule);
	return false;
}
