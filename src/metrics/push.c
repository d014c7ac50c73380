/*
 * Pushing the metrics to a Prometheus Pushgateway: one PUT of the whole
 * exposition text to <url>/metrics/job/<job>[/<key>/<value>...], which
 * replaces every metric of that group (a run's figures replace the last
 * run's). TLS is verified as everywhere in gwsync; a push failure is the
 * caller's to report, never a reason to fail the run.
 */
#include <curl/curl.h>
#include <string.h>

#include "gwsync/metrics.h"

typedef struct {
	const char *data;
	size_t size, off;
} upload;

static size_t read_body(char *buf, size_t size, size_t nitems, void *ctx)
{
	upload *u = ctx;
	size_t n = size * nitems;

	if (n > u->size - u->off)
		n = u->size - u->off;
	memcpy(buf, u->data + u->off, n);
	u->off += n;
	return n;
}

static size_t discard(char *buf, size_t size, size_t nitems, void *ctx)
{
	(void)buf;
	(void)ctx;
	return size * nitems;
}

static int append_segment(gws_buf *url, CURL *curl, const char *s)
{
	char *esc = curl_easy_escape(curl, s, 0);
	int rc;

	if (!esc)
		return GWS_ENOMEM;
	rc = gws_buf_printf(url, "/%s", esc);
	curl_free(esc);
	return rc;
}

static int build_url(gws_buf *out, CURL *curl, const char *base, const char *job,
                     const char *const *grouping)
{
	size_t len = strlen(base);
	int rc;

	while (len && base[len - 1] == '/')
		len--;
	if ((rc = gws_buf_put(out, base, len)) < 0 ||
	    (rc = gws_buf_puts(out, "/metrics/job")) < 0 ||
	    (rc = append_segment(out, curl, job)) < 0)
		return rc;
	for (size_t i = 0; grouping && grouping[i] && rc == 0; i += 2) {
		/* An empty value cannot be a path segment; Pushgateway has no use for it. */
		if (!grouping[i + 1] || !*grouping[i + 1])
			continue;
		if ((rc = append_segment(out, curl, grouping[i])) == 0)
			rc = append_segment(out, curl, grouping[i + 1]);
	}
	return rc;
}

int gws_metrics_push(const gws_metrics *m, const char *url, const char *job,
                     const char *const *grouping, long timeout_ms)
{
	gws_buf text = GWS_BUF_INIT(GWS_CAP_DOCUMENT), full = GWS_BUF_INIT(GWS_CAP_LINE);
	struct curl_slist *hdrs = NULL;
	CURL *curl = NULL;
	upload u;
	long status = 0;
	CURLcode cc;
	int rc;

	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return gws_error_set(GWS_EINVALID,
		                     "the Pushgateway URL must be http:// or https://");
	if ((rc = gws_metrics_render(m, &text)) < 0)
		goto cleanup;
	if (!(curl = curl_easy_init()) ||
	    !(hdrs = curl_slist_append(NULL, "Content-Type: text/plain; version=0.0.4"))) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	if ((rc = build_url(&full, curl, url, job, grouping)) < 0)
		goto cleanup;
	u = (upload){text.ptr ? text.ptr : "", text.size, 0};
	curl_easy_setopt(curl, CURLOPT_URL, gws_buf_cstr(&full));
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)text.size);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 10000L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	cc = curl_easy_perform(curl);
	if (cc != CURLE_OK) {
		rc = gws_error_set(GWS_ENETWORK, "pushing metrics to %s: %s", url,
		                   curl_easy_strerror(cc));
		goto cleanup;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299)
		rc = gws_error_set(GWS_EIO, "pushing metrics to %s: HTTP %ld", url, status);
cleanup:
	curl_slist_free_all(hdrs);
	if (curl)
		curl_easy_cleanup(curl);
	gws_buf_dispose(&text);
	gws_buf_dispose(&full);
	return rc;
}
