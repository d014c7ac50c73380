/*
 * The Prometheus text exposition format, written by hand because it is a
 * few lines of text: "# HELP", "# TYPE", then `name{k="v",...} value`
 * lines. Label values escape backslash, double quote and newline; HELP
 * text escapes backslash and newline. Nothing else needs care.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gwsync/metrics.h"

typedef struct {
	char *name;
	char *type;
	char *help;
	gws_buf samples;
} family;

struct gws_metrics {
	gws_vec families; /* family * */
};

int gws_metrics_new(gws_metrics **out)
{
	*out = gws_calloc(1, sizeof(**out));
	if (!*out)
		return GWS_ENOMEM;
	gws_vec_init(&(*out)->families);
	return 0;
}

void gws_metrics_free(gws_metrics *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->families.len; i++) {
		family *f = m->families.items[i];

		gws_free(f->name);
		gws_free(f->type);
		gws_free(f->help);
		gws_buf_dispose(&f->samples);
		gws_free(f);
	}
	gws_vec_dispose(&m->families);
	gws_free(m);
}

/* [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; labels the same without ':'. */
static bool valid_name(const char *s, bool colon)
{
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || (colon && *s == ':')))
			return false;
	return true;
}

static family *find(const gws_metrics *m, const char *name)
{
	for (size_t i = 0; i < m->families.len; i++) {
		family *f = m->families.items[i];

		if (strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

int gws_metrics_family(gws_metrics *m, const char *name, const char *type, const char *help)
{
	family *f;
	int rc;

	if (!valid_name(name, true) || find(m, name) ||
	    (strcmp(type, "gauge") != 0 && strcmp(type, "counter") != 0))
		return gws_error_set(GWS_EINVALID, "bad or duplicate metric family '%s'", name);
	if (!(f = gws_calloc(1, sizeof(*f))))
		return GWS_ENOMEM;
	f->name = gws_strdup(name);
	f->type = gws_strdup(type);
	f->help = gws_strdup(help ? help : "");
	gws_buf_init(&f->samples, GWS_CAP_DOCUMENT);
	if (!f->name || !f->type || !f->help || (rc = gws_vec_push(&m->families, f)) < 0) {
		gws_free(f->name);
		gws_free(f->type);
		gws_free(f->help);
		gws_free(f);
		return GWS_ENOMEM;
	}
	return 0;
}

static int put_escaped(gws_buf *b, const char *s, bool quote)
{
	int rc = 0;

	for (; *s && rc == 0; s++) {
		if (*s == '\\')
			rc = gws_buf_puts(b, "\\\\");
		else if (*s == '\n')
			rc = gws_buf_puts(b, "\\n");
		else if (quote && *s == '"')
			rc = gws_buf_puts(b, "\\\"");
		else
			rc = gws_buf_put(b, s, 1);
	}
	return rc;
}

static int put_value(gws_buf *b, double v)
{
	if (isnan(v))
		return gws_buf_puts(b, "NaN");
	if (isinf(v))
		return gws_buf_puts(b, v > 0 ? "+Inf" : "-Inf");
	/* The range first: casting a double outside long long is undefined. */
	if (fabs(v) < 1e15 && v == (double)(long long)v)
		return gws_buf_printf(b, "%lld", (long long)v);
	return gws_buf_printf(b, "%.17g", v);
}

int gws_metrics_add(gws_metrics *m, const char *name, const char *const *labels, double value)
{
	family *f = find(m, name);
	gws_buf *b;
	bool first = true;
	int rc;

	if (!f)
		return gws_error_set(GWS_EINVALID, "metric family '%s' was not declared", name);
	b = &f->samples;
	rc = gws_buf_puts(b, name);
	for (size_t i = 0; labels && labels[i] && rc == 0; i += 2) {
		if (!labels[i + 1])
			continue;
		if (!valid_name(labels[i], false))
			return gws_error_set(GWS_EINVALID, "bad label name '%s'", labels[i]);
		rc = gws_buf_printf(b, "%s%s=\"", first ? "{" : ",", labels[i]);
		if (rc == 0)
			rc = put_escaped(b, labels[i + 1], true);
		if (rc == 0)
			rc = gws_buf_puts(b, "\"");
		first = false;
	}
	if (rc == 0 && !first)
		rc = gws_buf_puts(b, "}");
	if (rc == 0)
		rc = gws_buf_puts(b, " ");
	if (rc == 0)
		rc = put_value(b, value);
	return rc == 0 ? gws_buf_puts(b, "\n") : rc;
}

int gws_metrics_render(const gws_metrics *m, gws_buf *out)
{
	int rc = 0;

	for (size_t i = 0; i < m->families.len && rc == 0; i++) {
		const family *f = m->families.items[i];

		if ((rc = gws_buf_printf(out, "# HELP %s ", f->name)) < 0 ||
		    (rc = put_escaped(out, f->help, false)) < 0 ||
		    (rc = gws_buf_printf(out, "\n# TYPE %s %s\n", f->name, f->type)) < 0)
			break;
		rc = gws_buf_put(out, f->samples.ptr ? f->samples.ptr : "", f->samples.size);
	}
	return rc;
}

int gws_metrics_write_file(const gws_metrics *m, const char *path)
{
	gws_buf text = GWS_BUF_INIT(GWS_CAP_DOCUMENT), tmp = GWS_BUF_INIT(4096);
	int fd = -1, rc;
	ssize_t n = 0;

	if ((rc = gws_metrics_render(m, &text)) < 0 ||
	    (rc = gws_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid())) < 0)
		goto cleanup;
	fd = open(gws_buf_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		rc = gws_error_set_errno(GWS_EIO, gws_buf_cstr(&tmp));
		goto cleanup;
	}
	for (size_t off = 0; off < text.size; off += (size_t)n) {
		n = write(fd, text.ptr + off, text.size - off);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			rc = gws_error_set_errno(GWS_EIO, path);
			goto cleanup;
		}
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = gws_error_set_errno(GWS_EIO, path);
		goto cleanup;
	}
	fd = -1;
	if (rename(gws_buf_cstr(&tmp), path) < 0)
		rc = gws_error_set_errno(GWS_EIO, path);
cleanup:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp.size)
		unlink(gws_buf_cstr(&tmp));
	gws_buf_dispose(&text);
	gws_buf_dispose(&tmp);
	return rc;
}

/* The value on a sample line "name{...} value" or "name value", or false. */
static bool line_value(const char *line, size_t len, const char *name, double *out)
{
	size_t nlen = strlen(name), i;
	char num[64];
	char *end;

	if (len <= nlen || strncmp(line, name, nlen) != 0 ||
	    (line[nlen] != ' ' && line[nlen] != '{'))
		return false;
	i = nlen;
	if (line[i] == '{') {
		/* Label values may hold '}' only inside quotes. */
		bool quoted = false;

		for (i++; i < len && (quoted || line[i] != '}'); i++) {
			if (line[i] == '\\' && quoted)
				i++;
			else if (line[i] == '"')
				quoted = !quoted;
		}
		if (i >= len)
			return false;
		i++;
	}
	while (i < len && line[i] == ' ')
		i++;
	if (len - i == 0 || len - i >= sizeof(num))
		return false;
	memcpy(num, line + i, len - i);
	num[len - i] = '\0';
	*out = strtod(num, &end);
	return end != num && (*end == '\0' || *end == ' ');
}

int gws_metrics_read_value(const char *path, const char *name, double *out)
{
	gws_buf text = GWS_BUF_INIT(GWS_METRICS_CAP_FILE);
	int rc = GWS_ENOTFOUND;

	if (gws_buf_read_file(&text, path) == 0) {
		const char *p = gws_buf_cstr(&text), *end = p + text.size;

		while (p < end && rc != 0) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

			if (line_value(p, len, name, out))
				rc = 0;
			p += len + 1;
		}
	}
	gws_buf_dispose(&text);
	gws_error_clear();
	return rc;
}
