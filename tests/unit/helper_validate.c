/* Loads a YAML text through the real loader for the validation rule tests. */
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

#include "gwsync/manifest.h"
#include "helper_validate.h"

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	size_t len = strlen(text);

	if (!f)
		return -1;
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

char *gwst_validate_yaml(const char *yaml)
{
	static unsigned counter;
	const char *scratch = getenv("GWSYNC_SCRATCH");
	char dir[4096], file[4200];
	gws_manifest_options opts = GWS_MANIFEST_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_diag_list diags;
	gws_buf out = GWS_BUF_INIT(1u << 20);
	char *result = NULL;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/vcase-%ld-%u", scratch ? scratch : "/tmp", (long)getpid(),
	         counter++);
	snprintf(file, sizeof(file), "%s/m.yaml", dir);
	if (mkdir(dir, 0700) != 0 || write_file(file, yaml) != 0)
		return NULL;
	gws_diag_list_init(&diags);
	opts.root = dir;
	if (gws_manifest_load(&store, &opts, &diags) < 0)
		goto cleanup;
	gws_diag_list_sort(&diags);
	if (gws_buf_puts(&out, "") < 0)
		goto cleanup;
	for (i = 0; i < diags.count; i++) {
		if (i > 0 && gws_buf_putc(&out, '\n') < 0)
			goto cleanup;
		if (gws_diag_format(&out, &diags.items[i]) < 0)
			goto cleanup;
	}
	result = gws_strdup(gws_buf_cstr(&out));
cleanup:
	gws_buf_dispose(&out);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
	unlink(file);
	rmdir(dir);
	return result;
}

void gwst_vcase_run(void **state)
{
	const gwst_vcase *c = *state;
	char *got = gwst_validate_yaml(c->yaml);

	assert_non_null(got);
	if (strcmp(got, c->expected) != 0)
		print_error("expected:\n%s\ngot:\n%s\n", c->expected, got);
	assert_string_equal(got, c->expected);
	gws_free(got);
}
