/*
 * Logging to stderr, as text for people or JSON lines for log pipelines.
 * Every line passes through the secret scrubber last, so a secret that a
 * caller printed by mistake still never leaves the process.
 */
#include <jansson.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "gwsync/core.h"

static gws_log_level log_level = GWS_LOG_INFO;
static gws_log_format log_format = GWS_LOG_TEXT;
static FILE *log_out;
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

static int format_text(gws_buf *line, const char *ts, gws_log_level level, const char *component,
                       const char *msg, const char *const *kv)
{
	int error = gws_buf_printf(line, "%s %-5s %s: %s", ts, level_names[level],
	                           component ? component : "gwsync", msg);

	for (size_t i = 0; kv && kv[i] && !error; i += 2) {
		const char *v = kv[i + 1] ? kv[i + 1] : "null";

		if (needs_quotes(v)) {
			json_t *s = json_string(v);
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
	json_object_set_new(obj, "component", json_string(component ? component : "gwsync"));
	json_object_set_new(obj, "msg", json_string(msg));
	for (size_t i = 0; kv && kv[i]; i += 2)
		json_object_set_new(obj, kv[i], kv[i + 1] ? json_string(kv[i + 1]) : json_null());
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text)
		error = gws_buf_puts(line, text);
	free(text);
	json_decref(obj);
	return error;
}

void gws_log_fields(gws_log_level level, const char *component, const char *msg,
                    const char *const *kv)
{
	gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE);
	char ts[64];
	int error;

	if (!gws_log_enabled(level))
		return;
	timestamp(ts);
	if (log_format == GWS_LOG_JSON)
		error = format_json(&line, ts, level, component, msg, kv);
	else
		error = format_text(&line, ts, level, component, msg, kv);
	if (error >= 0)
		error = gws_secret_scrub(&line);
	pthread_mutex_lock(&log_lock);
	fprintf(log_out ? log_out : stderr, "%s\n",
	        error >= 0 ? gws_buf_cstr(&line) : "(log line dropped: too long)");
	fflush(log_out ? log_out : stderr);
	pthread_mutex_unlock(&log_lock);
	gws_buf_dispose(&line);
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
