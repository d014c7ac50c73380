/* Test helpers for manifest tests (see helper_manifest.h). */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helper_manifest.h"

char *hm_mkroot(void)
{
	const char *base = getenv("GWSYNC_SCRATCH");
	char *tmpl = gws_asprintf("%s/mf-XXXXXX", base && *base ? base : "/tmp");
	if (!tmpl || !mkdtemp(tmpl)) {
		perror("mkdtemp");
		abort();
	}
	return tmpl;
}

void hm_write(const char *root, const char *rel, const char *data, size_t len)
{
	char *path = gws_asprintf("%s/%s", root, rel);
	if (!path)
		abort();
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		abort();
	}
	if (len == (size_t)-1)
		len = strlen(data);
	if (len && fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
	gws_free(path);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void hm_rmrf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int hm_load(const char *root, size_t max_file_size, gws_manifest_store **out, gws_diag_list *diags)
{
	gws_manifest_options opts = GWS_MANIFEST_OPTIONS_INIT;
	opts.root = root;
	opts.max_file_size = max_file_size;
	int rc = gws_manifest_load(out, &opts, diags);
	gws_diag_list_sort(diags);
	return rc;
}

const char *hm_format(const gws_diag *d)
{
	static char line[4096];
	gws_buf b = GWS_BUF_INIT(sizeof(line) - 1);
	line[0] = '\0';
	if (gws_diag_format(&b, d) == 0)
		snprintf(line, sizeof(line), "%s", gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	return line;
}

const gws_diag *hm_find(const gws_diag_list *diags, const char *needle)
{
	for (size_t i = 0; i < diags->count; i++)
		if (strstr(hm_format(&diags->items[i]), needle))
			return &diags->items[i];
	return NULL;
}

void hm_dump(const gws_diag_list *diags)
{
	for (size_t i = 0; i < diags->count; i++)
		fprintf(stderr, "  diag: %s\n", hm_format(&diags->items[i]));
}

size_t hm_golden_each(bool (*visit)(const char *case_dir, void *ctx), void *ctx)
{
	const char *src = getenv("GWSYNC_SOURCE_DIR");
	char dir[4096], case_dir[4352];
	struct dirent *de;
	size_t cases = 0;
	DIR *d;

	assert_non_null(src);
	snprintf(dir, sizeof(dir), "%s/tests/golden", src);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(case_dir, sizeof(case_dir), "%s/%s", dir, de->d_name);
		if (visit(case_dir, ctx))
			cases++;
	}
	closedir(d);
	return cases;
}

int hm_setup(void **state)
{
	hm_fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->root = hm_mkroot();
	gws_diag_list_init(&f->diags);
	*state = f;
	return 0;
}

int hm_teardown(void **state)
{
	hm_fixture *f = *state;

	gws_manifest_store_free(f->store);
	gws_diag_list_dispose(&f->diags);
	hm_rmrf(f->root);
	gws_free(f->root);
	free(f);
	return 0;
}
