/*
 * gws_manifest_load: find the YAML files, read each through a capped
 * buffer, check the text, parse, convert, default, then validate.
 *
 * Files are read in byte-wise sorted order of their path relative to the
 * root, so diagnostics and duplicate reports never depend on readdir order.
 * Hidden entries (".git", ".gwsync", any dot-file or dot-directory) are
 * skipped. Symbolic links to files inside the repository are followed;
 * links that resolve outside it are reported and not read (a repository
 * must not make gwsync read the machine's files, e.g. a mounted token);
 * symbolic links to directories are not followed (they could loop).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manifest/internal.h"
#include "manifest/validate.h"

/* Deepest directory nesting walked below root/path. */
#define MAX_DIR_DEPTH 64

static bool is_yaml_name(const char *name)
{
	return gws_str_endswith(name, ".yaml") || gws_str_endswith(name, ".yml");
}

static char *join(const char *a, const char *b)
{
	if (!a || !*a)
		return gws_strdup(b);
	size_t la = strlen(a), lb = strlen(b);
	char *p = la < SIZE_MAX / 2 && lb < SIZE_MAX / 2 ? gws_malloc(la + lb + 2) : NULL;
	if (p) {
		memcpy(p, a, la);
		p[la] = '/';
		memcpy(p + la + 1, b, lb + 1);
	}
	return p;
}

/* What the walk needs besides the current directory. */
typedef struct {
	const char *root;
	const char *root_real; /* realpath of root */
	gws_vec *files;
	gws_diag_list *diags;
} walk;

/* True when `real` (a resolved path) is root_real or below it. */
static bool resolves_inside(const walk *w, const char *real)
{
	size_t n = strlen(w->root_real);

	if (strcmp(w->root_real, "/") == 0)
		return true;
	return strncmp(real, w->root_real, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

/*
 * The type of a directory entry: d_type spares a stat per entry; links and
 * unknown types are looked at. Links to directories, dangling links and
 * links leaving the repository give 0 (skipped; the last with a warning).
 */
static int entry_mode(const walk *w, const char *child, unsigned char d_type, mode_t *mode)
{
	struct stat st;
	char *full = NULL, *real = NULL;
	int error = 0;

	if (d_type == DT_DIR || d_type == DT_REG) {
		*mode = d_type == DT_DIR ? S_IFDIR : S_IFREG;
		return 0;
	}
	if (!(full = join(w->root, child)))
		return GWS_ENOMEM;
	*mode = 0;
	if (lstat(full, &st) != 0)
		goto cleanup;
	if (!S_ISLNK(st.st_mode)) {
		*mode = st.st_mode;
		goto cleanup;
	}
	if (stat(full, &st) != 0 || S_ISDIR(st.st_mode) || !(real = realpath(full, NULL)))
		goto cleanup;
	if (resolves_inside(w, real))
		*mode = st.st_mode;
	else
		error = gws_diag_add(w->diags, GWS_DIAG_WARNING, child, 0, 0, NULL, NULL,
		                     "symbolic link points outside the repository; not read");
cleanup:
	free(real);
	gws_free(full);
	return error;
}

/* Collects the relative paths (from root) of YAML files below `rel`. */
static int collect(const walk *w, const char *rel, int depth)
{
	char *dir = NULL;
	DIR *d = NULL;
	int error = 0;
	struct dirent *de;

	if (depth > MAX_DIR_DEPTH)
		return 0;
	if (!(dir = join(w->root, rel)))
		return GWS_ENOMEM;
	if (!(d = opendir(dir))) {
		error = gws_error_set_errno(errno == ENOENT ? GWS_ENOTFOUND : GWS_EIO, dir);
		goto cleanup;
	}
	while ((de = readdir(d)) != NULL) {
		mode_t mode;
		char *child = NULL;
		if (de->d_name[0] == '.')
			continue; /* ".", "..", ".git", ".gwsync", any hidden entry */
		if (de->d_type != DT_DIR && !is_yaml_name(de->d_name))
			continue; /* only directories and YAML files matter (d_type may be unknown)
			           */
		if (!(child = join(rel, de->d_name))) {
			error = GWS_ENOMEM;
			goto cleanup;
		}
		if ((error = entry_mode(w, child, de->d_type, &mode)) < 0) {
			gws_free(child);
			goto cleanup;
		}
		if (S_ISDIR(mode)) {
			error = collect(w, child, depth + 1);
			gws_free(child);
			if (error < 0)
				goto cleanup;
		} else if (S_ISREG(mode) && is_yaml_name(de->d_name)) {
			if ((error = gws_vec_push(w->files, child)) < 0) {
				gws_free(child);
				goto cleanup;
			}
		} else {
			gws_free(child);
		}
	}
cleanup:
	if (d)
		closedir(d);
	gws_free(dir);
	return error;
}

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

typedef struct {
	gws_manifest_store *store;
	const char *file;
	gws_diag_list *diags;
} doc_payload;

static int on_document(const gws_mf_document *doc, void *payload)
{
	doc_payload *p = payload;
	size_t before = p->store->added;
	int rc = gws_mf__add_document(p->store, p->file, doc, p->diags);
	/* keep the node tree only when an object points into it */
	return rc < 0 ? rc : p->store->added > before;
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

	if (!file || !(full = join(root, rel)))
		return GWS_ENOMEM;
	store->stats.files++;
	error = gws_buf_read_file(&buf, full);
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
	walk w = {opts ? opts->root : NULL, NULL, &files, diags};
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
	if (!(start = join(opts->root, rel))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if (stat(start, &st) != 0 || !(root_real = realpath(opts->root, NULL)) ||
	    !(start_real = realpath(start, NULL))) {
		error = gws_error_set_errno(errno == ENOENT ? GWS_ENOTFOUND : GWS_EIO, start);
		goto cleanup;
	}
	w.root_real = root_real;
	if (!resolves_inside(&w, start_real)) {
		error = gws_error_set(GWS_EINVALID,
		                      "manifest path \"%s\" resolves outside the repository", rel);
		goto cleanup;
	}
	if ((error = gws_mf__store_new(&store)) < 0)
		goto cleanup;
	if (S_ISDIR(st.st_mode)) {
		if ((error = collect(&w, rel, 0)) < 0)
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
