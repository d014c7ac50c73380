/*
 * Logging to stderr, as text for people or JSON lines for log pipelines.
 * The message and every value pass through gws_redact (URL passwords and
 * registered secrets) before they are formatted, and the finished line
 * through gws_escape, exactly as printed lines do (core/print.c): a secret
 * a caller logged by mistake never leaves the process, and an untrusted
 * value cannot forge a line.
 */
#include <jansson.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "gwsync/core.h"

static gws_log_level log_level = GWS_LOG_INFO;
static gws_log_format log_format = GWS_LOG_TEXT;
static FILE *log_out;
static char log_run_id[33];
static char log_shard[33];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = {"error", "warn", "info", "debug", "trace"};

void gws_log_configure(gws_log_level level, gws_log_format format, FILE *out)
{
	pthread_mutex_lock(&log_lock);
	log_level = level;
	log_format = format;
	log_out = out;
	pthread_mutex_unlock(&log_lock);
}

void gws_log_set_run_id(const char *run_id)
{
	pthread_mutex_lock(&log_lock);
	snprintf(log_run_id, sizeof(log_run_id), "%s", run_id ? run_id : "");
	pthread_mutex_unlock(&log_lock);
}

void gws_log_set_shard(const char *shard)
{
	pthread_mutex_lock(&log_lock);
	snprintf(log_shard, sizeof(log_shard), "%s", shard ? shard : "");
	pthread_mutex_unlock(&log_lock);
}

bool gws_log_enabled(gws_log_level level)
{
	return level <= log_level;
}

static void timestamp(char out[64])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/* A value needs quoting in text logs when it would not read back as one token. */
static bool needs_quotes(const char *v)
{
	if (!*v)
		return true;
	for (; *v; v++)
		if (*v == ' ' || *v == '"' || *v == '=' || (unsigned char)*v < 0x20)
			return true;
	return false;
}

/* A JSON string of `s`; bytes that are not UTF-8 (which JSON cannot hold)
 * are shown as gws_escape shows them. */
static json_t *json_text(const char *s)
{
	gws_buf esc = GWS_BUF_INIT(6 * GWS_CAP_LINE);
	json_t *j = json_string(s);

	if (!j && gws_escape(&esc, s, strlen(s)) == 0)
		j = json_string(gws_buf_cstr(&esc));
	gws_buf_dispose(&esc);
	return j;
}

static int format_text(gws_buf *line, const char *ts, gws_log_level level, const char *component,
                       const char *msg, const char *const *kv)
{
	int error = gws_buf_printf(line, "%s %-5s %s: %s", ts, level_names[level],
	                           component ? component : "gwsync", msg);

	for (size_t i = 0; kv && kv[i] && !error; i += 2) {
		const char *v = kv[i + 1] ? kv[i + 1] : "null";

		if (needs_quotes(v)) {
			json_t *s = json_text(v);
			char *quoted = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;

			error = quoted ? gws_buf_printf(line, " %s=%s", kv[i], quoted)
			               : gws_buf_printf(line, " %s=?", kv[i]);
			free(quoted);
			json_decref(s);
		} else {
			error = gws_buf_printf(line, " %s=%s", kv[i], v);
		}
	}
	return error;
}

static int format_json(gws_buf *line, const char *ts, gws_log_level level, const char *component,
                       const char *msg, const char *const *kv)
{
	json_t *obj = json_object();
	char *text = NULL;
	int error = GWS_ENOMEM;

	if (!obj)
		return error;
	json_object_set_new(obj, "ts", json_string(ts));
	json_object_set_new(obj, "level", json_string(level_names[level]));
	if (log_run_id[0])
		json_object_set_new(obj, "run_id", json_text(log_run_id));
	if (log_shard[0])
		json_object_set_new(obj, "shard", json_text(log_shard));
	json_object_set_new(obj, "component", json_string(component ? component : "gwsync"));
	json_object_set_new(obj, "msg", json_text(msg));
	for (size_t i = 0; kv && kv[i]; i += 2)
		json_object_set_new(obj, kv[i], kv[i + 1] ? json_text(kv[i + 1]) : json_null());
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text)
		error = gws_buf_puts(line, text);
	free(text);
	json_decref(obj);
	return error;
}

/* The message and values, redacted (one buffer per string, the message last). */
typedef struct {
	gws_buf *bufs;
	const char **kv;
	const char *msg;
} log_record;

/* n: the number of kv strings (the message's buffer comes after theirs). */
static void record_dispose(log_record *r, size_t n)
{
	for (size_t i = 0; r->bufs && i <= n; i++)
		gws_buf_dispose(&r->bufs[i]);
	gws_free(r->bufs);
	gws_free(r->kv);
}

/* Copies msg and kv with each string redacted; n: the number of strings. */
static int record_make(log_record *r, const char *msg, const char *const *kv, size_t n)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	if (!(r->bufs = gws_calloc(n + 1, sizeof(*r->bufs))) ||
	    !(r->kv = gws_calloc(n + 1, sizeof(*r->kv))))
		return GWS_ENOMEM;
	for (i = 0; i <= n; i++)
		gws_buf_init(&r->bufs[i], GWS_CAP_LINE);
	for (i = 0; i < n; i++) {
		/* Keys are the caller's own words; values may quote anything. */
		if (!kv[i] || i % 2 == 0) {
			r->kv[i] = kv[i];
			continue;
		}
		if (gws_redact(&r->bufs[i], kv[i], strlen(kv[i])) < 0)
			return GWS_ENOMEM;
		r->kv[i] = gws_buf_cstr(&r->bufs[i]);
	}
	if (gws_redact(&r->bufs[n], msg, strlen(msg)) < 0)
		return GWS_ENOMEM;
	r->msg = gws_buf_cstr(&r->bufs[n]);
	return 0;
}

void gws_log_fields(gws_log_level level, const char *component, const char *msg,
                    const char *const *kv)
{
	gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE), safe = GWS_BUF_INIT(6 * GWS_CAP_LINE);
	log_record rec;
	size_t n = 0;
	char ts[64];
	int error;

	if (!gws_log_enabled(level))
		return;
	while (kv && kv[n])
		n += 2;
	timestamp(ts);
	error = record_make(&rec, msg, kv, n);
	if (error >= 0 && log_format == GWS_LOG_JSON)
		error = format_json(&line, ts, level, component, rec.msg, n ? rec.kv : NULL);
	else if (error >= 0)
		error = format_text(&line, ts, level, component, rec.msg, n ? rec.kv : NULL);
	if (error >= 0)
		error = gws_escape(&safe, gws_buf_cstr(&line), line.size);
	pthread_mutex_lock(&log_lock);
	fprintf(log_out ? log_out : stderr, "%s\n",
	        error >= 0 ? gws_buf_cstr(&safe) : "(log line dropped: too long)");
	fflush(log_out ? log_out : stderr);
	pthread_mutex_unlock(&log_lock);
	record_dispose(&rec, n);
	gws_buf_dispose(&line);
	gws_buf_dispose(&safe);
}

void gws_log(gws_log_level level, const char *component, const char *fmt, ...)
{
	gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);
	va_list ap;

	if (!gws_log_enabled(level))
		return;
	va_start(ap, fmt);
	int error = gws_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	gws_log_fields(level, component, error < 0 ? "(log message too long)" : gws_buf_cstr(&msg),
	               NULL);
	gws_buf_dispose(&msg);
}
