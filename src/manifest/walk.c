/*
 * Finding the manifest files below root/path.
 *
 * What is read: every regular file named *.yaml or *.yml, in every
 * directory, except hidden entries (".git", ".gwsync", any dot-file or
 * dot-directory). Symbolic links to such files are followed when they
 * resolve inside the repository.
 *
 * What is skipped, and never silently (docs/manifests.md lists each case):
 * a skip that may lose a manifest is an error, so `validate` fails rather
 * than passing without it; a skip by policy is a warning.
 *  - errors: directories nested deeper than GWS_MF_MAX_DIR_DEPTH, paths
 *    longer than PATH_MAX, unreadable directories, dangling or looping links
 *    named *.yaml, *.yaml entries that are FIFOs, devices or sockets (never
 *    opened: reading a FIFO would block), links to directories outside the
 *    directory being read;
 *  - warnings: links leaving the repository (a repository must not make
 *    gwsync read the machine's files, e.g. a mounted token), links into a
 *    hidden path such as .git, links to directories inside the directory
 *    being read (read where they are; following links could loop), and
 *    dangling or looping links with other names.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manifest/internal.h"

typedef struct {
	const char *root;
	const char *root_real;  /* realpath of root */
	const char *start_real; /* realpath of root/path */
	gws_vec *files;
	gws_diag_list *diags;
} walk;

static bool is_yaml_name(const char *name)
{
	return gws_str_endswith(name, ".yaml") || gws_str_endswith(name, ".yml");
}

char *gws_mf__join(const char *a, const char *b)
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

/* True when `real` (a resolved path) is `dir` or below it. */
bool gws_mf__path_under(const char *dir, const char *real)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(real, dir, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

/* True when `real`, below the root, passes through a hidden entry (.git/...). */
static bool under_hidden(const walk *w, const char *real)
{
	const char *p = real + (strcmp(w->root_real, "/") == 0 ? 0 : strlen(w->root_real));

	for (; *p; p++)
		if (p[0] == '/' && p[1] == '.')
			return true;
	return false;
}

const char *gws_mf__mode_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "a special file";
}

static int report(const walk *w, gws_diag_severity sev, const char *rel, const char *what)
{
	return gws_diag_add(w->diags, sev, rel, 0, 0, NULL, NULL, "%s", what);
}

static int add_file(const walk *w, const char *rel)
{
	char *copy = gws_strdup(rel);

	if (!copy || gws_vec_push(w->files, copy) < 0) {
		gws_free(copy);
		return GWS_ENOMEM;
	}
	return 0;
}

static int collect(const walk *w, const char *rel, int depth);

/*
 * An entry whose type readdir did not give as a directory or a regular file:
 * a symbolic link, a special file, or a file system without d_type.
 */
static int examine(const walk *w, const char *child, const char *name, int depth)
{
	struct stat st;
	char *full = NULL, *real = NULL;
	bool yaml = is_yaml_name(name);
	gws_diag_severity lost = yaml ? GWS_DIAG_ERROR : GWS_DIAG_WARNING;
	int error = 0;

	if (!(full = gws_mf__join(w->root, child)))
		return GWS_ENOMEM;
	if (lstat(full, &st) != 0) {
		if (yaml)
			error = gws_diag_add(w->diags, GWS_DIAG_ERROR, child, 0, 0, NULL, NULL,
			                     "cannot examine the file: %s; not read",
			                     strerror(errno));
		goto cleanup;
	}
	if (!S_ISLNK(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			error = collect(w, child, depth + 1);
		else if (S_ISREG(st.st_mode) && yaml)
			error = add_file(w, child);
		else if (yaml)
			error = gws_diag_add(w->diags, GWS_DIAG_ERROR, child, 0, 0, NULL, NULL,
			                     "%s, not a regular file; not read",
			                     gws_mf__mode_name(st.st_mode));
		goto cleanup;
	}
	if (stat(full, &st) != 0) {
		if (errno == ELOOP)
			error = report(w, lost, child, "symbolic link loops; not read");
		else if (errno == ENOENT || errno == ENOTDIR)
			error = report(w, lost, child,
			               "symbolic link is dangling (its target does not exist); not "
			               "read");
		else
			error = gws_diag_add(w->diags, lost, child, 0, 0, NULL, NULL,
			                     "cannot follow the symbolic link: %s; not read",
			                     strerror(errno));
		goto cleanup;
	}
	if (!S_ISDIR(st.st_mode) && !yaml)
		goto cleanup; /* a link to something that is not a manifest */
	if (!(real = realpath(full, NULL))) {
		error = gws_diag_add(w->diags, lost, child, 0, 0, NULL, NULL,
		                     "cannot resolve the symbolic link: %s; not read",
		                     strerror(errno));
		goto cleanup;
	}
	if (!gws_mf__path_under(w->root_real, real))
		error = report(w, GWS_DIAG_WARNING, child,
		               "symbolic link points outside the repository; not read");
	else if (under_hidden(w, real))
		error = report(w, GWS_DIAG_WARNING, child,
		               "symbolic link points into a hidden path (such as .git); not read");
	else if (S_ISDIR(st.st_mode) && gws_mf__path_under(w->start_real, real))
		error = report(w, GWS_DIAG_WARNING, child,
		               "symbolic link to a directory is not followed; the directory is "
		               "read where it is");
	else if (S_ISDIR(st.st_mode))
		error = report(w, GWS_DIAG_ERROR, child,
		               "symbolic link to a directory outside the manifest path is not "
		               "followed; its manifests are not read");
	else if (!S_ISREG(st.st_mode))
		error = gws_diag_add(w->diags, GWS_DIAG_ERROR, child, 0, 0, NULL, NULL,
		                     "symbolic link to %s, not a regular file; not read",
		                     gws_mf__mode_name(st.st_mode));
	else
		error = add_file(w, child);
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

	if (depth > GWS_MF_MAX_DIR_DEPTH)
		return gws_diag_add(w->diags, GWS_DIAG_ERROR, rel, 0, 0, NULL, NULL,
		                    "directory nested more than %d levels below the manifest "
		                    "path; not read",
		                    GWS_MF_MAX_DIR_DEPTH);
	if (!(dir = gws_mf__join(w->root, rel)))
		return GWS_ENOMEM;
	if (strlen(dir) >= PATH_MAX) {
		error = gws_diag_add(w->diags, GWS_DIAG_ERROR, rel, 0, 0, NULL, NULL,
		                     "path longer than %d bytes (PATH_MAX); not read", PATH_MAX);
		goto cleanup;
	}
	if (!(d = opendir(dir))) {
		if (depth == 0) /* the manifest path itself: nothing can be read */
			error = gws_error_set_errno(errno == ENOENT ? GWS_ENOTFOUND : GWS_EIO, dir);
		else
			error = gws_diag_add(w->diags, GWS_DIAG_ERROR, rel, 0, 0, NULL, NULL,
			                     "cannot read the directory: %s; not read",
			                     strerror(errno));
		goto cleanup;
	}
	while ((de = readdir(d)) != NULL) {
		char *child = NULL;
		if (de->d_name[0] == '.')
			continue; /* ".", "..", ".git", ".gwsync", any hidden entry */
		if (de->d_type == DT_REG && !is_yaml_name(de->d_name))
			continue; /* only directories and YAML files matter */
		if (!(child = gws_mf__join(rel, de->d_name))) {
			error = GWS_ENOMEM;
			goto cleanup;
		}
		if (strlen(dir) + 1 + strlen(de->d_name) >= PATH_MAX)
			error = gws_diag_add(w->diags, GWS_DIAG_ERROR, child, 0, 0, NULL, NULL,
			                     "path longer than %d bytes (PATH_MAX); not read",
			                     PATH_MAX);
		else if (de->d_type == DT_DIR)
			error = collect(w, child, depth + 1);
		else if (de->d_type == DT_REG)
			error = add_file(w, child);
		else
			error = examine(w, child, de->d_name, depth);
		gws_free(child);
		if (error < 0)
			goto cleanup;
	}
cleanup:
	if (d)
		closedir(d);
	gws_free(dir);
	return error;
}

int gws_mf__walk(gws_vec *files, const char *root, const char *root_real, const char *start_real,
                 const char *rel, gws_diag_list *diags)
{
	walk w = {root, root_real, start_real, files, diags};

	return collect(&w, rel, 0);
}
