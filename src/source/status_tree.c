/*
 * The trees of a status commit: writing the files of <subdir> at the
 * branch tip into the scratch directory the report writer updates, reading
 * the directory back into a tree, and putting that tree in place of
 * <subdir> in the tip's tree, leaving every other entry as it was.
 *
 * The tip is outside input (anyone who can push writes it), so extracting
 * keeps to caps like the manifests' (files, bytes, depth) and writes only
 * regular files and directories: a link, a submodule or an executable bit
 * of the old report is not carried over.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/source_int.h"

#define STATUS_MAX_DEPTH 64

typedef struct {
	git_repository *repo;
	size_t files, bytes;
} extract_state;

static int write_blob(git_repository *repo, const git_oid *oid, const char *path, extract_state *st)
{
	git_blob *blob = NULL;
	const char *data;
	size_t size, done = 0;
	int fd = -1, error = 0;

	git_error_clear();
	if (git_blob_lookup(&blob, repo, oid) < 0)
		return gws_source__git_error(-1, GWS_EIO, "cannot read the status file", path);
	size = (size_t)git_blob_rawsize(blob);
	if (++st->files > GWS_SOURCE_MAX_FILES || size > GWS_SOURCE_MAX_TOTAL_BYTES - st->bytes) {
		error = gws_error_set(GWS_ETOOBIG,
		                      "the status directory at the branch tip is over "
		                      "the caps of %u files, %u bytes",
		                      GWS_SOURCE_MAX_FILES, GWS_SOURCE_MAX_TOTAL_BYTES);
		goto cleanup;
	}
	st->bytes += size;
	data = git_blob_rawcontent(blob);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0) {
		error = gws_error_set_errno(GWS_EIO, path);
		goto cleanup;
	}
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = gws_error_set_errno(GWS_EIO, path);
			goto cleanup;
		}
		done += (size_t)n;
	}
cleanup:
	if (fd >= 0 && close(fd) != 0 && error == 0)
		error = gws_error_set_errno(GWS_EIO, path);
	git_blob_free(blob);
	return error;
}

static int extract_tree(extract_state *st, const git_tree *tree, const char *dir, int depth)
{
	int error = 0;

	if (depth > STATUS_MAX_DEPTH)
		return gws_error_set(GWS_ETOOBIG,
		                     "the status directory at the branch tip is nested "
		                     "over %d levels",
		                     STATUS_MAX_DEPTH);
	if ((error = gws_source__mkdirs(dir)) < 0)
		return error;
	for (size_t i = 0; i < git_tree_entrycount(tree) && error == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		char *path;

		/* libgit2 refuses to read trees with "", ".", ".." or '/' names. */
		if (!(path = gws_asprintf("%s/%s", dir, name)))
			return GWS_ENOMEM;
		if (mode == GIT_FILEMODE_TREE) {
			git_tree *sub = NULL;

			git_error_clear();
			if (git_tree_lookup(&sub, st->repo, git_tree_entry_id(e)) < 0)
				error = gws_source__git_error(-1, GWS_EIO, "cannot read", path);
			else
				error = extract_tree(st, sub, path, depth + 1);
			git_tree_free(sub);
		} else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
			error = write_blob(st->repo, git_tree_entry_id(e), path, st);
		}
		gws_free(path);
	}
	return error;
}

int gws_source__extract_subdir(git_repository *repo, const git_tree *tip, const char *subdir,
                               const char *target)
{
	extract_state st = {repo, 0, 0};
	git_tree_entry *e = NULL;
	git_tree *sub = NULL;
	int error;

	if ((error = gws_source__mkdirs(target)) < 0 || !tip)
		return error;
	git_error_clear();
	if (git_tree_entry_bypath(&e, tip, subdir) < 0 ||
	    git_tree_entry_filemode(e) != GIT_FILEMODE_TREE) {
		git_error_clear();
		goto cleanup; /* no previous report */
	}
	if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0) {
		error = gws_source__git_error(-1, GWS_EIO, "cannot read", subdir);
		goto cleanup;
	}
	error = extract_tree(&st, sub, target, 0);
cleanup:
	git_tree_free(sub);
	git_tree_entry_free(e);
	return error;
}

/* The tree of the directory `dir`; *empty when it holds no file (git keeps
 * no empty directory). */
static int read_dir(git_oid *out, bool *empty, git_repository *repo, const char *dir, int depth)
{
	git_treebuilder *tb = NULL;
	DIR *d = NULL;
	struct dirent *de;
	int rc, error = 0;

	*empty = true;
	if (depth > STATUS_MAX_DEPTH)
		return gws_error_set(GWS_ETOOBIG, "%s: nested over %d levels", dir,
		                     STATUS_MAX_DEPTH);
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : gws_error_set_errno(GWS_EIO, dir);
	if (git_treebuilder_new(&tb, repo, NULL) < 0) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	while (error == 0 && (errno = 0, de = readdir(d))) {
		char *path;
		struct stat st;
		git_oid oid;
		bool sub_empty = true;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!(path = gws_asprintf("%s/%s", dir, de->d_name))) {
			error = GWS_ENOMEM;
			break;
		}
		git_error_clear();
		if (lstat(path, &st) != 0) {
			error = gws_error_set_errno(GWS_EIO, path);
		} else if (S_ISDIR(st.st_mode)) {
			if ((error = read_dir(&oid, &sub_empty, repo, path, depth + 1)) == 0 &&
			    !sub_empty &&
			    (rc = git_treebuilder_insert(NULL, tb, de->d_name, &oid,
			                                 GIT_FILEMODE_TREE)) < 0)
				error = gws_source__git_error(
				        rc, GWS_EINVALID, "cannot commit the status file", path);
		} else if (S_ISREG(st.st_mode)) {
			sub_empty = false;
			if ((rc = git_blob_create_from_disk(&oid, repo, path)) < 0 ||
			    (rc = git_treebuilder_insert(NULL, tb, de->d_name, &oid,
			                                 GIT_FILEMODE_BLOB)) < 0)
				error = gws_source__git_error(
				        rc, GWS_EINVALID, "cannot commit the status file", path);
		} /* anything else is not a status file: not committed */
		if (!sub_empty)
			*empty = false;
		gws_free(path);
	}
	if (error == 0 && errno != 0)
		error = gws_error_set_errno(GWS_EIO, dir);
	git_error_clear();
	if (error == 0 && (rc = git_treebuilder_write(out, tb)) < 0)
		error = gws_source__git_error(rc, GWS_EIO, "cannot write the tree of", dir);
cleanup:
	git_treebuilder_free(tb);
	if (d)
		closedir(d);
	return error;
}

int gws_source__read_subdir(git_oid *out, bool *empty, git_repository *repo, const char *dir)
{
	return read_dir(out, empty, repo, dir, 0);
}

/*
 * The tree `base` (NULL: empty) with the entry at `path` set to the tree
 * `sub` (NULL: removed). Directories on the way that end up empty go.
 */
static int splice(git_oid *out, bool *empty, git_repository *repo, const git_tree *base,
                  const char *path, const git_oid *sub)
{
	size_t len = strcspn(path, "/");
	const char *rest = path[len] ? path + len + 1 : NULL;
	git_treebuilder *tb = NULL;
	git_tree *child = NULL;
	char *name = gws_strndup(path, len);
	git_oid child_oid;
	bool child_empty = true;
	int rc = 0, error = 0;

	if (!name)
		return GWS_ENOMEM;
	git_error_clear();
	if ((rc = git_treebuilder_new(&tb, repo, base)) < 0)
		goto cleanup;
	if (rest) {
		const git_tree_entry *e = base ? git_tree_entry_byname(base, name) : NULL;

		if (e && git_tree_entry_filemode(e) == GIT_FILEMODE_TREE &&
		    (rc = git_tree_lookup(&child, repo, git_tree_entry_id(e))) < 0)
			goto cleanup;
		if ((error = splice(&child_oid, &child_empty, repo, child, rest, sub)) < 0)
			goto cleanup;
	} else if (sub) {
		git_oid_cpy(&child_oid, sub);
		child_empty = false;
	}
	if (!child_empty)
		rc = git_treebuilder_insert(NULL, tb, name, &child_oid, GIT_FILEMODE_TREE);
	else if (git_treebuilder_get(tb, name))
		rc = git_treebuilder_remove(tb, name);
	if (rc < 0)
		goto cleanup;
	*empty = git_treebuilder_entrycount(tb) == 0;
	rc = git_treebuilder_write(out, tb);
cleanup:
	if (rc < 0 && error == 0)
		error = gws_source__git_error(rc, GWS_EIO, "cannot build the status tree at", path);
	git_tree_free(child);
	git_treebuilder_free(tb);
	gws_free(name);
	return error;
}

int gws_source__splice_subdir(git_oid *out, git_repository *repo, const git_tree *base,
                              const char *subdir, const git_oid *sub)
{
	bool empty;

	return splice(out, &empty, repo, base, subdir, sub);
}
