/*
 * Writing out what the manifest loader reads of a commit, and nothing more.
 *
 * A repository is outside input: a few hundred bytes of trees can name
 * billions of files (a "git bomb": every entry of a tree points at the same
 * subtree), and a small pack can hold a huge, highly compressible blob. So
 * no checkout: the tree is walked with libgit2, depth first, one level of
 * trees held at a time (libgit2 shares repeated trees), and each size and
 * count is checked against the tree before a byte is written:
 *  - only directories and *.yaml / *.yml files below the path are looked at,
 *    never a hidden entry (the loader skips those), nor a submodule;
 *  - a blob's size is read from its header, without inflating it; a file
 *    over max_file_size is never written;
 *  - caps on the entries looked at, the files written and their total bytes
 *    bound the time, the disk and the memory a hostile tree can take;
 *  - a symbolic link is read as the file it names, when that is inside the
 *    repository (links are resolved in the tree, never on the disk).
 * Everything not written that the loader would have read is a diagnostic,
 * so no manifest is lost without a word.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/source_int.h"

/* Symbolic links followed for one path, as Linux allows (MAXSYMLINKS). */
#define MAX_LINK_HOPS 40
/* The longest path written (PATH_MAX on Linux is 4096, with the NUL). */
#define MAX_REL_PATH 4000

typedef struct {
	git_repository *repo;
	git_odb *odb;
	git_tree *root;
	const char *target;
	const gws_source__tree_options *opts;
	gws_buf rel;  /* path of the current entry, relative to the repository root */
	gws_buf full; /* target/rel */
	gws_buf made; /* the directory last created, to spare a mkdir per file */
	size_t entries, files, bytes;
	bool stopped; /* a cap was reached: nothing more is written */
} walker;

static bool is_yaml_name(const char *name)
{
	return gws_str_endswith(name, ".yaml") || gws_str_endswith(name, ".yml");
}

static int diag(walker *w, gws_diag_severity sev, const char *file, const char *fmt, ...)
        GWS_PRINTF(4, 5);

static int diag(walker *w, gws_diag_severity sev, const char *file, const char *fmt, ...)
{
	gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = gws_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (error == 0)
		error = gws_diag_add(w->opts->diags, sev, file && *file ? file : ".", 0, 0, NULL,
		                     NULL, "%s", gws_buf_cstr(&msg));
	gws_buf_dispose(&msg);
	return error < 0 ? error : 0;
}

/* Appends the normalised components of `path` to the '/'-joined `out`;
 * false when ".." climbs above the repository root. */
static bool normalize_into(gws_buf *out, const char *path, int *error)
{
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, "/");

		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* empty or "." component */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (out->size == 0)
				return false;
			slash = strrchr(out->ptr, '/');
			out->size = slash ? (size_t)(slash - out->ptr) : 0;
			out->ptr[out->size] = '\0';
		} else if ((out->size && (*error = gws_buf_putc(out, '/')) < 0) ||
		           (*error = gws_buf_put(out, p, len)) < 0) {
			return false;
		}
		p += len;
		while (*p == '/')
			p++;
	}
	return true;
}

typedef enum {
	FOUND = 0,
	MISSING,  /* no such entry, or a file used as a directory */
	OUTSIDE,  /* a link leaves the repository */
	TOO_DEEP, /* too many links */
} lookup_result;

/* The target of the link blob `oid` (capped: a link is a short path). */
static int read_link(gws_buf *out, walker *w, const git_oid *oid)
{
	git_blob *blob = NULL;
	size_t size;
	git_object_t type;
	int error = 0;

	if (git_odb_read_header(&size, &type, w->odb, oid) < 0 || type != GIT_OBJECT_BLOB ||
	    size >= GWS_CAP_LINE || git_blob_lookup(&blob, w->repo, oid) < 0)
		return GWS_ENOTFOUND;
	error = gws_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return error;
}

/*
 * Looks `path` (relative to the root, normalised) up in the tree, following
 * symbolic links inside the repository as the kernel would on a checkout.
 * *out is a copy of the final entry (the caller frees it).
 */
static int lookup(git_tree_entry **out, lookup_result *res, walker *w, const char *path)
{
	gws_buf cur = GWS_BUF_INIT(GWS_CAP_LINE), next = GWS_BUF_INIT(GWS_CAP_LINE),
	        link = GWS_BUF_INIT(GWS_CAP_LINE);
	git_tree *tree = NULL;
	size_t dir_len;
	int hops = 0, error = 0;

	*out = NULL;
	*res = MISSING;
	if ((error = gws_buf_puts(&cur, path)) < 0)
		goto cleanup;
restart:
	git_tree_free(tree);
	tree = NULL;
	if ((error = git_tree_dup(&tree, w->root)) < 0) {
		error = gws_source__git_error(error, GWS_EIO, "cannot read the tree of", "--ref");
		goto cleanup;
	}
	for (const char *p = gws_buf_cstr(&cur); *p;) {
		size_t len = strcspn(p, "/");
		const char *rest = p[len] ? p + len + 1 : p + len;
		char name[256];
		const git_tree_entry *e;
		git_tree *sub = NULL;

		if (len >= sizeof(name))
			goto cleanup;
		memcpy(name, p, len);
		name[len] = '\0';
		if (!(e = git_tree_entry_byname(tree, name)))
			goto cleanup;
		if (git_tree_entry_filemode(e) == GIT_FILEMODE_LINK) {
			if (++hops > MAX_LINK_HOPS) {
				*res = TOO_DEEP;
				goto cleanup;
			}
			gws_buf_clear(&link);
			if ((error = read_link(&link, w, git_tree_entry_id(e))) == GWS_ENOTFOUND) {
				error = 0;
				goto cleanup;
			}
			if (error < 0)
				goto cleanup;
			if (gws_buf_cstr(&link)[0] == '/') {
				*res = OUTSIDE;
				goto cleanup;
			}
			/* next = <directory of the link>/<target>/<rest> */
			gws_buf_clear(&next);
			dir_len = p > cur.ptr ? (size_t)(p - cur.ptr) - 1 : 0;
			if ((error = gws_buf_put(&next, cur.ptr ? cur.ptr : "", dir_len)) < 0 ||
			    !normalize_into(&next, gws_buf_cstr(&link), &error) ||
			    !normalize_into(&next, rest, &error)) {
				if (error == 0)
					*res = OUTSIDE;
				goto cleanup;
			}
			gws_buf_clear(&cur);
			if ((error = gws_buf_puts(&cur, gws_buf_cstr(&next))) < 0)
				goto cleanup;
			goto restart;
		}
		if (!*rest) {
			if ((error = git_tree_entry_dup(out, e)) < 0)
				goto cleanup;
			*res = FOUND;
			goto cleanup;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, w->repo, git_tree_entry_id(e)) < 0)
			goto cleanup;
		git_tree_free(tree);
		tree = sub;
		p = rest;
	}
	*res = FOUND; /* the empty path: the root itself */
cleanup:
	if (error == GWS_ETOOBIG) {
		/* links expanding into a path longer than any real one */
		gws_error_clear();
		error = 0;
		*res = TOO_DEEP;
	}
	git_tree_free(tree);
	gws_buf_dispose(&cur);
	gws_buf_dispose(&next);
	gws_buf_dispose(&link);
	return error;
}

/* rel = rel[0..rel_len] + "/" + name (name NULL: only the truncation); full = target/rel. */
static int set_paths(walker *w, size_t rel_len, const char *name)
{
	int error;

	w->rel.size = rel_len;
	if (w->rel.ptr)
		w->rel.ptr[rel_len] = '\0';
	if (!name)
		return 0;
	if ((rel_len && (error = gws_buf_putc(&w->rel, '/')) < 0) ||
	    (error = gws_buf_puts(&w->rel, name)) < 0)
		return error;
	gws_buf_clear(&w->full);
	return gws_buf_printf(&w->full, "%s/%s", w->target, gws_buf_cstr(&w->rel));
}

/* Directories are made when a file is written into them: a tree of empty
 * directories (or of files never read) costs nothing on the disk. */
static int make_parent(walker *w)
{
	const char *full = gws_buf_cstr(&w->full), *slash = strrchr(full, '/');
	size_t len = (size_t)(slash - full);
	int error;

	if (w->made.size == len && memcmp(w->made.ptr, full, len) == 0)
		return 0;
	gws_buf_clear(&w->made);
	if ((error = gws_buf_put(&w->made, full, len)) < 0 ||
	    (error = gws_source__mkdirs(gws_buf_cstr(&w->made))) < 0)
		gws_buf_clear(&w->made);
	return error;
}

/* Writes the blob `oid` to w->full, after checking its size against the caps. */
static int write_blob(walker *w, const git_oid *oid)
{
	const char *rel = gws_buf_cstr(&w->rel);
	git_blob *blob = NULL;
	git_object_t type;
	size_t size;
	const char *data;
	int fd = -1, error = 0;

	if (git_odb_read_header(&size, &type, w->odb, oid) < 0 || type != GIT_OBJECT_BLOB)
		return diag(w, GWS_DIAG_ERROR, rel,
		            "the repository lacks this file's content; "
		            "not read");
	if (size > w->opts->max_file_size)
		return diag(w, GWS_DIAG_ERROR, rel,
		            "file is %zu bytes, over the limit of %zu bytes; not read", size,
		            w->opts->max_file_size);
	if (w->files >= w->opts->max_files) {
		w->stopped = true;
		return diag(w, GWS_DIAG_ERROR, rel,
		            "the repository has more than %zu manifest files below the path; "
		            "this one and the rest are not read",
		            w->opts->max_files);
	}
	if (size > w->opts->max_total_bytes - w->bytes) {
		w->stopped = true;
		return diag(w, GWS_DIAG_ERROR, rel,
		            "the repository's manifests below the path pass %zu bytes in all; "
		            "this file and the rest are not read",
		            w->opts->max_total_bytes);
	}
	w->files++;
	w->bytes += size;
	if ((error = make_parent(w)) < 0)
		return error;
	git_error_clear();
	if ((error = git_blob_lookup(&blob, w->repo, oid)) < 0)
		return gws_source__git_error(error, GWS_EIO, "cannot read", rel);
	fd = open(gws_buf_cstr(&w->full), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	          0600);
	if (fd < 0 && errno == EEXIST) {
		error = diag(w, GWS_DIAG_ERROR, rel, "the tree names this file twice; not read");
		goto cleanup;
	}
	if (fd < 0) {
		error = gws_error_set_errno(GWS_EIO, gws_buf_cstr(&w->full));
		goto cleanup;
	}
	data = git_blob_rawcontent(blob);
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, data + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = gws_error_set_errno(GWS_EIO, gws_buf_cstr(&w->full));
			goto cleanup;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0)
		error = gws_error_set_errno(GWS_EIO, gws_buf_cstr(&w->full));
	fd = -1;
cleanup:
	if (fd >= 0)
		close(fd);
	git_blob_free(blob);
	return error;
}

/* A link named *.yaml: the file it names inside the repository. */
static int write_link(walker *w)
{
	const char *rel = gws_buf_cstr(&w->rel);
	git_tree_entry *e = NULL;
	lookup_result res;
	int error;

	if ((error = lookup(&e, &res, w, rel)) < 0)
		return error;
	if (res == OUTSIDE)
		error = diag(w, GWS_DIAG_WARNING, rel,
		             "symbolic link points outside the repository; not read");
	else if (res == TOO_DEEP)
		error = diag(w, GWS_DIAG_ERROR, rel, "too many levels of symbolic links; not read");
	else if (res == MISSING || !e)
		error = diag(w, GWS_DIAG_ERROR, rel,
		             "symbolic link to a file the repository lacks; not read");
	else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
		error = write_blob(w, git_tree_entry_id(e));
	/* a link to a directory is not followed, as on a plain folder */
	git_tree_entry_free(e);
	return error;
}

/* A name git itself would never write into a tree (git fsck rejects it). */
static bool is_valid_name(const char *name)
{
	return *name && !strchr(name, '/') && strlen(name) < 256;
}

static int walk(walker *w, git_tree *tree, int depth)
{
	size_t n = git_tree_entrycount(tree), rel_len = w->rel.size;
	const char *rel = NULL;
	int error = 0;

	for (size_t i = 0; i < n && !w->stopped && error == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		bool is_dir = mode == GIT_FILEMODE_TREE;

		if (++w->entries > w->opts->max_entries) {
			w->stopped = true;
			error = diag(w, GWS_DIAG_ERROR, gws_buf_cstr(&w->rel),
			             "the repository's tree has more than %zu entries below the "
			             "path; the rest is not read",
			             w->opts->max_entries);
			break;
		}
		if (name[0] == '.' || mode == GIT_FILEMODE_COMMIT ||
		    (!is_dir && !is_yaml_name(name)))
			continue; /* never read: hidden, a submodule, or not YAML */
		if (!is_valid_name(name)) {
			set_paths(w, rel_len, NULL);
			error = diag(w, GWS_DIAG_ERROR, gws_buf_cstr(&w->rel),
			             "invalid file name \"%s\" in the tree; not read", name);
			continue;
		}
		if ((error = set_paths(w, rel_len, name)) < 0)
			break;
		rel = gws_buf_cstr(&w->rel);
		if (w->full.size >= MAX_REL_PATH) {
			error = diag(w, GWS_DIAG_ERROR, rel, "path too long; not read");
		} else if (is_dir) {
			git_tree *sub = NULL;

			if (depth + 1 > GWS_SOURCE_MAX_DEPTH) {
				error = diag(w, GWS_DIAG_ERROR, rel,
				             "directory nested more than %d levels below the path; "
				             "not read",
				             GWS_SOURCE_MAX_DEPTH);
			} else if (git_tree_lookup(&sub, w->repo, git_tree_entry_id(e)) < 0) {
				error = diag(
				        w, GWS_DIAG_ERROR, rel,
				        "the repository lacks this directory's tree; not read");
			} else {
				error = walk(w, sub, depth + 1);
				git_tree_free(sub);
			}
		} else if (mode == GIT_FILEMODE_LINK) {
			error = write_link(w);
		} else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
			error = write_blob(w, git_tree_entry_id(e));
		} else {
			error = diag(w, GWS_DIAG_ERROR, rel,
			             "unknown kind of tree entry (mode %o); not read",
			             (unsigned)mode);
		}
	}
	set_paths(w, rel_len, NULL);
	return error;
}

int gws_source__write_tree(git_repository *repo, const git_commit *commit, const char *target,
                           const gws_source__tree_options *opts)
{
	walker w = {repo,
	            NULL,
	            NULL,
	            target,
	            opts,
	            GWS_BUF_INIT(GWS_CAP_LINE),
	            GWS_BUF_INIT(GWS_CAP_LINE),
	            GWS_BUF_INIT(GWS_CAP_LINE),
	            0,
	            0,
	            0,
	            false};
	gws_buf start = GWS_BUF_INIT(GWS_CAP_LINE);
	git_tree_entry *e = NULL;
	git_tree *tree = NULL;
	lookup_result res;
	int error = 0;

	git_error_clear();
	if ((error = git_repository_odb(&w.odb, repo)) < 0 ||
	    (error = git_commit_tree(&w.root, commit)) < 0) {
		error = gws_source__git_error(error, GWS_EIO, "cannot read the tree of", "--ref");
		goto cleanup;
	}
	/* A path the loader refuses (absolute, "..") or that the tree lacks:
	 * nothing is written, and the loader says what is wrong with it. */
	if (opts->path && (opts->path[0] == '/' || !normalize_into(&start, opts->path, &error)))
		goto cleanup;
	if ((error = lookup(&e, &res, &w, gws_buf_cstr(&start))) < 0 || res != FOUND)
		goto cleanup;
	if ((error = set_paths(&w, 0, gws_buf_cstr(&start))) < 0)
		goto cleanup;
	if (e && git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		/* A single file given as the path: the loader reads it whatever its name. */
		error = write_blob(&w, git_tree_entry_id(e));
		goto cleanup;
	}
	if (e && (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
	          git_tree_lookup(&tree, repo, git_tree_entry_id(e)) < 0))
		goto cleanup;
	/* The loader needs the directory, even when no manifest is in it. */
	if ((error = gws_source__mkdirs(gws_buf_cstr(&w.full))) < 0)
		goto cleanup;
	error = walk(&w, tree ? tree : w.root, 0);
cleanup:
	if (error == 0)
		gws_log(GWS_LOG_DEBUG, "source", "wrote %zu files (%zu bytes) of %zu tree entries",
		        w.files, w.bytes, w.entries);
	git_tree_free(tree);
	git_tree_entry_free(e);
	git_tree_free(w.root);
	git_odb_free(w.odb);
	gws_buf_dispose(&w.rel);
	gws_buf_dispose(&w.full);
	gws_buf_dispose(&w.made);
	gws_buf_dispose(&start);
	return error;
}
