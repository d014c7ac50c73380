/* Test helpers for the report tests: models from golden repositories, files. */
#ifndef GWSYNC_TEST_HELPER_REPORT_H
#define GWSYNC_TEST_HELPER_REPORT_H

#include "gwsync/model.h"
#include "gwsync/report.h"

typedef struct {
	gws_manifest_store *store;
	gws_model *model;
	gws_diag_list diags;
} hr_model;

/* Loads `repo` and builds its model for `cluster`; fails the test on an operational error. */
void hr_model_build(hr_model *m, const char *repo, const char *cluster);
void hr_model_dispose(hr_model *m);
/* $GWSYNC_SOURCE_DIR/tests/golden/<name>/repo (static buffer). */
const char *hr_golden(const char *name);
/* The whole file, NUL-terminated (free with free), or NULL when it cannot be read. */
char *hr_read(const char *path, size_t *len);
/* root/.gwsync/<cluster>/<rel> (static buffer, one at a time). */
const char *hr_path(const char *root, const char *cluster, const char *rel);
/* A report input for the model, offline, at time `now`. */
gws_report_input hr_input(const hr_model *m, time_t now);

#endif
