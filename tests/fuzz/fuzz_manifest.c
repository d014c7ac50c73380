/*
 * libFuzzer target: the input becomes one .yaml file in a private directory,
 * then the whole loader runs on it (text checks, libyaml, node tree,
 * conversion, defaults, duplicates, validation) and every diagnostic is
 * formatted, as `gwsync validate` would. Any crash, leak, sanitizer report
 * or hang is a bug.
 *
 *   cmake -S . -B build-fuzz -DGWSYNC_FUZZ=ON -DCMAKE_C_COMPILER=clang
 *   cmake --build build-fuzz --target fuzz_manifest
 *   build-fuzz/tests/fuzz_manifest -max_total_time=60 tests/fixtures/manifests
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gwsync/manifest.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static char dir[64];
static char file[96];

static void cleanup_dir(void)
{
	unlink(file);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/gws-fuzz-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(file, sizeof(file), "%s/in.yaml", dir);
		atexit(cleanup_dir);
	}
	FILE *f = fopen(file, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);

	gws_manifest_options opts = GWS_MANIFEST_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_diag_list diags;
	gws_diag_list_init(&diags);
	opts.root = dir;
	opts.max_file_size = 1 << 20;
	if (gws_manifest_load(&store, &opts, &diags) == 0) {
		/* walk the store so every object and position is touched */
		for (int k = 0; k < GWS_KIND__COUNT; k++)
			for (size_t i = 0; i < gws_manifest_count(store, (gws_manifest_kind)k);
			     i++) {
				const gws_manifest_object *o =
				        gws_manifest_at(store, (gws_manifest_kind)k, i);
				unsigned line, col;
				gws_manifest_object_pos(o, "spec.rules[0].matches[0].path.value",
				                        &line, &col);
				if (gws_manifest_find(store, o->kind, o->meta.namespace_,
				                      o->meta.name) != o)
					abort(); /* the store must find what it lists */
			}
	}
	gws_diag_list_sort(&diags);
	for (size_t i = 0; i < diags.count; i++) {
		gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE);
		if (gws_diag_format(&line, &diags.items[i]) == 0 && line.size == 0)
			abort();
		gws_buf_dispose(&line);
	}
	gws_diag_list_dispose(&diags);
	gws_manifest_store_free(store);
	return 0;
}
