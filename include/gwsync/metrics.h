/*
 * gwsync metrics: a run's figures in the Prometheus text exposition format
 * (version 0.0.4), written to a file for node_exporter's textfile collector
 * or pushed to a Pushgateway. docs/operations.md lists the metrics.
 *
 *   gws_metrics *m;
 *   gws_metrics_new(&m);
 *   gws_metrics_family(m, "gwsync_run_duration_seconds", "gauge", "How long the run took.");
 *   gws_metrics_add(m, "gwsync_run_duration_seconds", labels, 3.2);
 *   gws_metrics_write_file(m, path);
 *   gws_metrics_free(m);
 */
#ifndef GWSYNC_METRICS_H
#define GWSYNC_METRICS_H

#include "gwsync/core.h"

typedef struct gws_metrics gws_metrics;

/* The largest previous metrics file read back (gws_metrics_read_value). */
#define GWS_METRICS_CAP_FILE (4u * 1024 * 1024)

int gws_metrics_new(gws_metrics **out) GWS_WARN_UNUSED;
void gws_metrics_free(gws_metrics *m);

/* Declares a metric family; families are written in declaration order.
 * `type`: "gauge" or "counter". GWS_EINVALID for a name Prometheus refuses. */
int gws_metrics_family(gws_metrics *m, const char *name, const char *type, const char *help);
/* Adds a sample to a declared family. `labels`: NULL-terminated key, value
 * pairs (values are escaped; NULL values are left out). */
int gws_metrics_add(gws_metrics *m, const char *name, const char *const *labels, double value);

/* The exposition text, families in order, each with its HELP and TYPE. */
int gws_metrics_render(const gws_metrics *m, gws_buf *out);
/* Writes the text to `path` atomically (a temporary file renamed over it),
 * so a collector never reads half a file. */
int gws_metrics_write_file(const gws_metrics *m, const char *path);
/* The value of the first sample of `name` in an exposition file written
 * earlier: GWS_ENOTFOUND when the file or the sample is absent or unreadable. */
int gws_metrics_read_value(const char *path, const char *name, double *out);
/*
 * PUTs the text to a Pushgateway: `url` + "/metrics/job/<job>" and a
 * "/<key>/<value>" path segment per grouping pair (values URL-encoded), so
 * the push replaces the previous one of the same group. TLS is verified.
 * GWS_ENETWORK, or GWS_EIO for an HTTP status outside 2xx.
 */
int gws_metrics_push(const gws_metrics *m, const char *url, const char *job,
                     const char *const *grouping, long timeout_ms);

#endif
