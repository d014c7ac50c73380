/*
 * libFuzzer target for everything after the YAML: the input becomes a small
 * repository, which is loaded and validated, built into the model and
 * rendered as JSON, YAML and the validate summary, as `gwsync render` and
 * `gwsync validate` would (fuzz_manifest stops after the loader). Any crash,
 * leak, sanitizer report or hang is a bug; so are a load, a build or a render
 * that fails for any reason but memory (problems in manifests are
 * diagnostics), and a rendering that prints "(null)".
 *
 * Input: one or more files, each starting after a line "#@file" (a YAML
 * comment, so a seed is also a readable manifest). Without such a line the
 * whole input is one file. Files go to f00.yaml, d/f01.yaml, f02.yaml, ...
 * (every other one in a sub-directory). The input size picks the model
 * options (weighted NLB forwards on or off, instance or ip targets) so both
 * paths are reached.
 *
 *   cmake -S . -B build-fuzz -DGWSYNC_FUZZ=ON -DCMAKE_C_COMPILER=clang
 *   cmake --build build-fuzz --target fuzz_model
 *   mkdir -p /tmp/seeds && tests/fuzz/seed-model /tmp/seeds
 *   build-fuzz/tests/fuzz_model -max_len=65536 -max_total_time=1800 \
 *       tests/fuzz/corpus/model /tmp/seeds
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gwsync/manifest.h"
#include "gwsync/model.h"

#define SEPARATOR "#@file\n"
#define MAX_FILES 16

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static char root[64];
static char paths[MAX_FILES][128];

static void remove_files(void)
{
	char sub[96];

	for (size_t i = 0; i < MAX_FILES; i++)
		unlink(paths[i]);
	snprintf(sub, sizeof(sub), "%s/d", root);
	rmdir(sub);
	rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char sub[96];

	(void)argc;
	(void)argv;
	/* one thread: the threaded paths have their own tests, and a fuzzer
	 * wants executions per second */
	setenv("GWSYNC_THREADS", "1", 0);
	snprintf(root, sizeof(root), "/tmp/gws-fuzz-model-XXXXXX");
	if (!mkdtemp(root))
		abort();
	snprintf(sub, sizeof(sub), "%s/d", root);
	if (mkdir(sub, 0700) != 0)
		abort();
	for (size_t i = 0; i < MAX_FILES; i++)
		snprintf(paths[i], sizeof(paths[i]), "%s/%sf%02zu.yaml", root, i % 2 ? "d/" : "",
		         i);
	atexit(remove_files);
	return 0;
}

static void write_file(size_t index, const unsigned char *data, size_t size)
{
	FILE *f = fopen(paths[index], "wb");

	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

/* The start of the next separator line at or after `from`, or `size`. */
static size_t next_separator(const unsigned char *data, size_t size, size_t from)
{
	size_t n = strlen(SEPARATOR);

	for (size_t i = from; i + n <= size; i++)
		if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, SEPARATOR, n) == 0)
			return i;
	return size;
}

/* Writes the files of this input; the rest of the MAX_FILES are removed. */
static void write_repository(const unsigned char *data, size_t size)
{
	size_t n_files = 0, at = next_separator(data, size, 0);

	if (at > 0) /* text before the first separator: a file of its own */
		write_file(n_files++, data, at);
	while (at < size && n_files < MAX_FILES) {
		size_t start = at + strlen(SEPARATOR);
		size_t end = next_separator(data, size, start);
		write_file(n_files++, data + start, end - start);
		at = end;
	}
	for (size_t i = n_files; i < MAX_FILES; i++)
		unlink(paths[i]);
}

/*
 * A render step may only fail for want of memory, and must not print
 * "(null)": glibc's rendering of a NULL passed to %s, an absent optional
 * field the model took for present (unless the input holds that text).
 */
static void check_render(int rc, const gws_buf *out, const unsigned char *data, size_t size)
{
	static const char null_text[] = "(null)";

	if (rc < 0 && rc != GWS_ENOMEM)
		abort();
	if (rc == 0 && out->size && memmem(out->ptr, out->size, null_text, 6) &&
	    !memmem(data, size, null_text, 6))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	gws_manifest_options mo = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_diag_list diags;
	gws_buf out = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	int rc;

	write_repository(data, size);
	gws_diag_list_init(&diags);
	mo.root = root;
	mo.max_file_size = 1 << 20;
	opts.cluster = "fuzz";
	opts.nlb_weighted_forward = size % 2 == 0;
	opts.default_target_type = size % 4 >= 2 ? "ip" : NULL;
	/* problems in the manifests are diagnostics: loading and building fail
	 * only for want of memory (render exited 3 when the model failed with
	 * GWS_EINVALID on an authentication action without its configuration) */
	if ((rc = gws_manifest_load(&store, &mo, &diags)) < 0) {
		if (rc != GWS_ENOMEM)
			abort();
		goto cleanup;
	}
	if ((rc = gws_model_build(&model, store, &opts, &diags)) < 0) {
		if (rc != GWS_ENOMEM)
			abort();
		goto cleanup;
	}
	check_render(gws_model_render_json(&out, model, &diags), &out, data, size);
	gws_buf_clear(&out);
	check_render(gws_model_render_yaml(&out, model, &diags), &out, data, size);
	gws_buf_clear(&out);
	check_render(gws_model_render_summary(&out, model), &out, data, size);
	gws_diag_list_sort(&diags);
	for (size_t i = 0; i < diags.count; i++) {
		gws_buf_clear(&out);
		if (gws_diag_format(&out, &diags.items[i]) == 0 && out.size == 0)
			abort();
	}
cleanup:
	gws_buf_dispose(&out);
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
	return 0;
}
