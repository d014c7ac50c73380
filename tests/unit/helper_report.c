/* Test helpers for the report tests (see helper_report.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helper_report.h"

void hr_model_build(hr_model *m, const char *repo, const char *cluster)
{
	gws_manifest_options mopts = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;

	memset(m, 0, sizeof(*m));
	gws_diag_list_init(&m->diags);
	mopts.root = repo;
	opts.cluster = cluster;
	assert_int_equal(gws_manifest_load(&m->store, &mopts, &m->diags), 0);
	assert_int_equal(gws_model_build(&m->model, m->store, &opts, &m->diags), 0);
	gws_diag_list_sort(&m->diags);
}

void hr_model_dispose(hr_model *m)
{
	gws_model_free(m->model);
	gws_manifest_store_free(m->store);
	gws_diag_list_dispose(&m->diags);
	memset(m, 0, sizeof(*m));
}

const char *hr_golden(const char *name)
{
	static char path[4096];
	const char *src = getenv("GWSYNC_SOURCE_DIR");
	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/tests/golden/%s/repo", src, name);
	return path;
}

char *hr_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)size + 1)) != NULL) {
		if (fread(data, 1, (size_t)size, f) != (size_t)size) {
			free(data);
			data = NULL;
		} else {
			data[size] = '\0';
			if (len)
				*len = (size_t)size;
		}
	}
	fclose(f);
	return data;
}

const char *hr_path(const char *root, const char *cluster, const char *rel)
{
	static char path[8192];
	snprintf(path, sizeof(path), "%s/.gwsync/%s/%s", root, cluster, rel);
	return path;
}

gws_report_input hr_input(const hr_model *m, time_t now)
{
	gws_report_input in;
	memset(&in, 0, sizeof(in));
	in.model = m->model;
	in.diags = &m->diags;
	in.now = now;
	return in;
}
