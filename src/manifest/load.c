/*
 * gws_manifest_load: find the YAML files (walk.c), read each through a
 * capped buffer, check the text, parse, convert, default, then validate.
 *
 * Files are read in byte-wise sorted order of their path relative to the
 * root, so diagnostics and duplicate reports never depend on readdir order.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest/internal.h"
#include "manifest/validate.h"

/* True when `path` is relative and has no ".." component: it stays inside root. */
static bool path_inside(const char *path)
{
	if (path[0] == '/')
		return false;
	for (const char *p = path; *p;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += len;
		while (*p == '/')
			p++;
	}
	return true;
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * Reads the file at `path` unless it is not a regular file: the walk only
 * lists regular files, but one may have been replaced since, and opening a
 * FIFO for reading would block. O_NONBLOCK makes the open itself return.
 */
static int read_regular_file(gws_buf *buf, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), error;

	if (fd < 0)
		return gws_error_set_errno(errno == ENOENT ? GWS_ENOTFOUND : GWS_EIO, path);
	if (fstat(fd, &st) != 0)
		error = gws_error_set_errno(GWS_EIO, path);
	else if (!S_ISREG(st.st_mode))
		error = gws_error_set(GWS_EINVALID, "not a regular file");
	else
		error = gws_buf_read_fd(buf, fd, path);
	close(fd);
	return error;
}

typedef struct {
	gws_manifest_store *store;
	const char *file;
	gws_diag_list *diags;
} doc_payload;

static int on_document(const gws_mf_document *doc, void *payload)
{
	doc_payload *p = payload;

	return gws_mf__add_document(p->store, p->file, doc, p->diags);
}

int gws_mf__load_file(gws_manifest_store *store, const char *root, const char *rel, size_t cap,
                      gws_diag_list *diags)
{
	gws_buf buf = GWS_BUF_INIT(cap);
	char *full = NULL;
	const char *file = gws_arena_strdup(store->arena, rel);
	int error = 0;
	unsigned line = 0, col = 0;
	char msg[128];

	if (!file || !(full = gws_mf__join(root, rel)))
		return GWS_ENOMEM;
	store->stats.files++;
	error = read_regular_file(&buf, full);
	if (error == GWS_ETOOBIG) {
		struct stat st;
		long long size = stat(full, &st) == 0 ? (long long)st.st_size : -1;
		error = gws_diag_add(diags, GWS_DIAG_ERROR, file, 0, 0, NULL, NULL,
		                     "file is %lld bytes, over the limit of %zu bytes; not read",
		                     size, cap);
		goto cleanup;
	} else if (error == GWS_ENOMEM) {
		goto cleanup;
	} else if (error < 0) {
		/* unreadable file inside the tree: report it, keep going */
		error = gws_diag_add(diags, GWS_DIAG_ERROR, file, 0, 0, NULL, NULL,
		                     "cannot read the file: %s", gws_error_last());
		goto cleanup;
	}
	if (!gws_mf__check_text(buf.ptr ? buf.ptr : "", buf.size, &line, &col, msg, sizeof(msg))) {
		error = gws_diag_add(diags, GWS_DIAG_ERROR, file, line, col, NULL, NULL, "%s", msg);
		goto cleanup;
	}
	doc_payload p = {store, file, diags};
	error = gws_mf__parse_yaml(&store->nodes, &store->keys, file, buf.ptr ? buf.ptr : "",
	                           buf.size, diags, on_document, &p);
cleanup:
	gws_buf_dispose(&buf);
	gws_free(full);
	return error < 0 ? error : 0;
}

int gws_manifest_load(gws_manifest_store **out, const gws_manifest_options *opts,
                      gws_diag_list *diags)
{
	gws_manifest_store *store = NULL;
	gws_vec files = GWS_VEC_INIT;
	char *start = NULL, *root_real = NULL, *start_real = NULL;
	struct stat st;
	int error = 0;

	*out = NULL;
	if (!opts || !opts->root || !*opts->root)
		return gws_error_set(GWS_EINVALID, "manifest: no repository root given");
	size_t cap = opts->max_file_size ? opts->max_file_size : GWS_CAP_YAML_FILE;
	const char *rel =
	        opts->path && *opts->path && strcmp(opts->path, ".") != 0 ? opts->path : "";
	if (!path_inside(rel)) {
		error = gws_error_set(GWS_EINVALID,
		                      "manifest path \"%s\" must be relative and stay inside the "
		                      "repository",
		                      rel);
		goto cleanup;
	}
	if (!(start = gws_mf__join(opts->root, rel))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if (stat(start, &st) != 0 || !(root_real = realpath(opts->root, NULL)) ||
	    !(start_real = realpath(start, NULL))) {
		error = gws_error_set_errno(errno == ENOENT ? GWS_ENOTFOUND : GWS_EIO, start);
		goto cleanup;
	}
	if (!gws_mf__path_under(root_real, start_real)) {
		error = gws_error_set(GWS_EINVALID,
		                      "manifest path \"%s\" resolves outside the repository", rel);
		goto cleanup;
	}
	/* a FIFO, device or socket would block or make no sense: refuse it */
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		error = gws_error_set(GWS_EINVALID,
		                      "manifest path \"%s\" is %s, not a directory or a regular "
		                      "file",
		                      *rel ? rel : opts->root, gws_mf__mode_name(st.st_mode));
		goto cleanup;
	}
	if ((error = gws_mf__store_new(&store)) < 0)
		goto cleanup;
	if (S_ISDIR(st.st_mode)) {
		if ((error = gws_mf__walk(&files, opts->root, root_real, start_real, rel, diags)) <
		    0)
			goto cleanup;
	} else {
		/* a single file given as --path */
		char *one = gws_strdup(rel);
		if (!one || (error = gws_vec_push(&files, one)) < 0) {
			gws_free(one);
			error = GWS_ENOMEM;
			goto cleanup;
		}
	}
	if ((error = gws_vec_sort(&files, cmp_paths)) < 0)
		goto cleanup;
	if ((error = gws_mf__load_files(store, opts->root, (char *const *)files.items, files.len,
	                                cap, diags)) < 0)
		goto cleanup;
	if ((error = gws_mf__store_finish(store, diags)) < 0)
		goto cleanup;
	if ((error = gws_manifest__validate(store, diags)) < 0)
		goto cleanup;
	*out = store;
	store = NULL;
cleanup:
	if (error == GWS_ENOMEM && gws_error_last_code() != GWS_ENOMEM)
		gws_error_set(GWS_ENOMEM, "manifest: out of memory");
	for (size_t i = 0; i < files.len; i++)
		gws_free(files.items[i]);
	gws_vec_dispose(&files);
	gws_free(start);
	free(root_real);
	free(start_real);
	gws_manifest_store_free(store);
	return error;
}
