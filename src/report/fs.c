/*
 * The report directory on disk. Everything here works relative to directory
 * file descriptors and opens every part of a path with O_NOFOLLOW, so a
 * symbolic link committed into `.gwsync/<cluster>/` (or planted there by
 * anyone) is never followed, neither to read nor to write: it is removed and a
 * real file or directory takes its place. Files are replaced atomically
 * (temporary file in the same directory + rename), so a reader or a crash sees
 * either the old or the new bytes.
 */
#include "report/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NESTING 32
#define TMP_PREFIX  ".gwsync-tmp-"

static int open_dir_at(int parent, const char *name)
{
	return openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Opens parent/name as a directory, creating it when missing and `create`. */
static int open_top(int *out, int parent, const char *name, const char *shown, bool create)
{
	struct stat st;
	int fd = open_dir_at(parent, name);

	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
			return gws_error_set_errno(GWS_EIO, shown);
		fd = open_dir_at(parent, name);
	}
	if (fd >= 0) {
		*out = fd;
		return 0;
	}
	if (errno == ENOENT)
		return gws_error_set(GWS_ENOTFOUND, "%s: no such directory", shown);
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		return gws_error_set(GWS_EINVALID,
		                     "%s is a symbolic link: gwsync never writes through links; "
		                     "replace it with a directory",
		                     shown);
	if (errno == ENOTDIR || errno == ELOOP)
		return gws_error_set(GWS_EINVALID, "%s is not a directory", shown);
	return gws_error_set_errno(GWS_EIO, shown);
}

int gws_report__fs_open(int *dirfd, const char *root, const char *cluster, bool create)
{
	gws_buf shown = GWS_BUF_INIT(GWS_CAP_LINE);
	int rootfd = -1, top = -1, error;

	*dirfd = -1;
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		error = gws_error_set_errno(errno == ENOENT ? GWS_ENOTFOUND : GWS_EIO, root);
		goto cleanup;
	}
	if ((error = gws_buf_printf(&shown, "%s/.gwsync", root)) < 0 ||
	    (error = open_top(&top, rootfd, ".gwsync", gws_buf_cstr(&shown), create)) < 0)
		goto cleanup;
	if ((error = gws_buf_printf(&shown, "/%s", cluster)) < 0)
		goto cleanup;
	error = open_top(dirfd, top, cluster, gws_buf_cstr(&shown), create);
cleanup:
	if (top >= 0)
		close(top);
	if (rootfd >= 0)
		close(rootfd);
	gws_buf_dispose(&shown);
	return error;
}

int gws_report__fs_open_in(int *dirfd, const char *root, const char *cluster, const char *sub,
                           bool create)
{
	gws_buf shown = GWS_BUF_INIT(GWS_CAP_LINE);
	int top = -1, error;

	if (!sub)
		return gws_report__fs_open(dirfd, root, cluster, create);
	*dirfd = -1;
	if ((error = gws_report__fs_open(&top, root, cluster, create)) < 0)
		return error;
	if ((error = gws_buf_printf(&shown, "%s/.gwsync/%s/%s", root, cluster, sub)) == 0)
		error = open_top(dirfd, top, sub, gws_buf_cstr(&shown), create);
	close(top);
	gws_buf_dispose(&shown);
	return error;
}

/*
 * Walks the directory part of `path` from dirfd. *leaf points into `copy` at the
 * last component. With `make`, missing directories are created and anything
 * that is not a real directory in the way is removed first.
 */
static int walk(int dirfd, char *copy, const char **leaf, int *out, bool make, size_t *removed)
{
	char *part = copy, *slash;
	int cur = dup(dirfd);
	size_t depth = 0;

	if (cur < 0)
		return gws_error_set_errno(GWS_EIO, "dup");
	while ((slash = strchr(part, '/')) != NULL) {
		int next;
		*slash = '\0';
		if (!*part || strcmp(part, ".") == 0 || strcmp(part, "..") == 0 ||
		    ++depth > MAX_NESTING) {
			close(cur);
			return gws_error_set(GWS_EINVALID, "invalid report path component '%s'",
			                     part);
		}
		next = open_dir_at(cur, part);
		if (next < 0 && make && errno != ENOENT) {
			/* A file or a link where a directory belongs: it goes. */
			if (unlinkat(cur, part, 0) == 0)
				(*removed)++;
			errno = ENOENT;
		}
		if (next < 0 && make && errno == ENOENT) {
			if (mkdirat(cur, part, 0755) < 0 && errno != EEXIST) {
				int e = gws_error_set_errno(GWS_EIO, part);
				close(cur);
				return e;
			}
			next = open_dir_at(cur, part);
		}
		if (next < 0) {
			int e = (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			                ? gws_error_set(GWS_ENOTFOUND, "%s: not a directory", part)
			                : gws_error_set_errno(GWS_EIO, part);
			close(cur);
			return e;
		}
		close(cur);
		cur = next;
		part = slash + 1;
	}
	if (!*part || strcmp(part, ".") == 0 || strcmp(part, "..") == 0) {
		close(cur);
		return gws_error_set(GWS_EINVALID, "invalid report file name '%s'", part);
	}
	*leaf = part;
	*out = cur;
	return 0;
}

/* Reads an open regular file into out, capped by out->max. */
static int read_fd(gws_buf *out, int fd, const char *name)
{
	char chunk[65536];
	ssize_t n;
	int error;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return gws_error_set_errno(GWS_EIO, name);
		}
		if ((error = gws_buf_put(out, chunk, (size_t)n)) < 0)
			return error;
	}
	return out->ptr ? 0 : gws_buf_put(out, "", 0);
}

/* Opens dir/leaf for reading only when it is a regular file (never a link, a
 * FIFO or a device, which opening alone could block on or trigger). */
static int open_regular(int dir, const char *leaf, struct stat *st)
{
	struct stat again;
	int fd;

	if (fstatat(dir, leaf, st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st->st_mode))
		return -1;
	fd = openat(dir, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &again) < 0 || !S_ISREG(again.st_mode) || again.st_ino != st->st_ino ||
	    again.st_dev != st->st_dev) {
		close(fd);
		return -1;
	}
	*st = again;
	return fd;
}

int gws_report__fs_read(gws_buf *out, int dirfd, const char *path)
{
	char *copy = gws_strdup(path);
	const char *leaf;
	struct stat st;
	int dir = -1, fd = -1, error;
	size_t unused = 0;

	if (!copy)
		return GWS_ENOMEM;
	if ((error = walk(dirfd, copy, &leaf, &dir, false, &unused)) < 0)
		goto cleanup;
	fd = open_regular(dir, leaf, &st);
	if (fd < 0) {
		error = gws_error_set(GWS_ENOTFOUND, "%s: not a regular file", path);
		goto cleanup;
	}
	if ((size_t)st.st_size > out->max) {
		error = gws_error_set(GWS_ETOOBIG, "%s: %lld bytes, over the limit of %zu", path,
		                      (long long)st.st_size, out->max);
		goto cleanup;
	}
	error = read_fd(out, fd, path);
cleanup:
	if (fd >= 0)
		close(fd);
	if (dir >= 0)
		close(dir);
	gws_free(copy);
	return error;
}

/* True when dir/leaf is a regular file holding exactly data. */
static bool same_bytes(int dir, const char *leaf, const char *data, size_t len)
{
	gws_buf have = GWS_BUF_INIT(len);
	struct stat st;
	bool same = false;
	int fd = open_regular(dir, leaf, &st);

	if (fd < 0)
		return false;
	if ((size_t)st.st_size == len && read_fd(&have, fd, leaf) == 0)
		same = have.size == len && memcmp(have.ptr, data, len) == 0;
	close(fd);
	gws_buf_dispose(&have);
	gws_error_clear();
	return same;
}

static int remove_tree(int parent, const char *name, size_t depth, size_t *removed);

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Every entry name of an open directory, sorted (the fd is consumed). */
static int list_dir(int fd, gws_vec *names)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int error = 0;

	if (!d) {
		close(fd);
		return gws_error_set_errno(GWS_EIO, "opendir");
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		char *copy;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		copy = gws_strdup(de->d_name);
		if (!copy || (error = gws_vec_push(names, copy)) < 0) {
			gws_free(copy);
			error = GWS_ENOMEM;
			break;
		}
	}
	if (!error && errno)
		error = gws_error_set_errno(GWS_EIO, "readdir");
	closedir(d);
	if (!error)
		error = gws_vec_sort(names, name_cmp);
	return error;
}

static void free_names(gws_vec *names)
{
	for (size_t i = 0; i < names->len; i++)
		gws_free(names->items[i]);
	gws_vec_dispose(names);
}

/* Removes parent/name whatever it is; a real directory with all it holds. */
static int remove_tree(int parent, const char *name, size_t depth, size_t *removed)
{
	gws_vec names = GWS_VEC_INIT;
	struct stat st;
	int fd, error = 0;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : gws_error_set_errno(GWS_EIO, name);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(parent, name, 0) < 0)
			return gws_error_set_errno(GWS_EIO, name);
		(*removed)++;
		return 0;
	}
	if (depth > MAX_NESTING)
		return gws_error_set(GWS_EIO, "%s: directories nested too deeply to remove", name);
	fd = open_dir_at(parent, name);
	if (fd < 0)
		return gws_error_set_errno(GWS_EIO, name);
	{
		int iter = dup(fd);
		if (iter < 0) {
			close(fd);
			return gws_error_set_errno(GWS_EIO, "dup");
		}
		error = list_dir(iter, &names);
	}
	for (size_t i = 0; i < names.len && !error; i++)
		error = remove_tree(fd, names.items[i], depth + 1, removed);
	close(fd);
	free_names(&names);
	if (!error && unlinkat(parent, name, AT_REMOVEDIR) < 0)
		error = gws_error_set_errno(GWS_EIO, name);
	return error;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes data to a new temporary file in dir and renames it over leaf. */
static int replace(int dir, const char *leaf, const char *data, size_t len)
{
	static unsigned long counter;
	char tmp[64];
	int fd = -1, tries, error = 0;

	for (tries = 0; tries < 100 && fd < 0; tries++) {
		snprintf(tmp, sizeof(tmp), TMP_PREFIX "%ld-%lu", (long)getpid(),
		         __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
		fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			return gws_error_set_errno(GWS_EIO, leaf);
	}
	if (fd < 0)
		return gws_error_set(GWS_EIO, "%s: no free temporary name", leaf);
	if (write_all(fd, data, len) < 0)
		error = gws_error_set_errno(GWS_EIO, leaf);
	if (close(fd) < 0 && !error)
		error = gws_error_set_errno(GWS_EIO, leaf);
	/* rename replaces a symbolic link itself, never what it points at. */
	if (!error && renameat(dir, tmp, dir, leaf) < 0)
		error = gws_error_set_errno(GWS_EIO, leaf);
	if (error)
		unlinkat(dir, tmp, 0);
	return error;
}

int gws_report__fs_put(int dirfd, const char *path, const char *data, size_t len, bool *written,
                       size_t *removed)
{
	char *copy = gws_strdup(path);
	const char *leaf;
	struct stat st;
	int dir = -1, error;

	*written = false;
	if (!copy)
		return GWS_ENOMEM;
	if ((error = walk(dirfd, copy, &leaf, &dir, true, removed)) < 0)
		goto cleanup;
	if (same_bytes(dir, leaf, data, len))
		goto cleanup;
	/* A directory where the file belongs would make the rename fail. */
	if (fstatat(dir, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
	    (error = remove_tree(dir, leaf, 0, removed)) < 0)
		goto cleanup;
	if ((error = replace(dir, leaf, data, len)) < 0)
		goto cleanup;
	*written = true;
cleanup:
	if (dir >= 0)
		close(dir);
	gws_free(copy);
	return error;
}

/* The first index of keep[] not ordered before s. */
static size_t lower_bound(const char *const *keep, size_t n, const char *s)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(keep[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool kept(const char *const *keep, size_t n, const char *path)
{
	size_t i = lower_bound(keep, n, path);
	return i < n && strcmp(keep[i], path) == 0;
}

/* True when some kept path lies below the directory `dir` ("a/b" holds "a/b/c"). */
static bool holds_kept(const char *const *keep, size_t n, const char *dir)
{
	size_t len = strlen(dir), i;
	char *prefix = gws_asprintf("%s/", dir);
	bool found;
	if (!prefix)
		return true; /* keep on doubt */
	i = lower_bound(keep, n, prefix);
	found = i < n && strncmp(keep[i], prefix, len + 1) == 0;
	gws_free(prefix);
	return found;
}

static int prune_dir(int fd, const char *prefix, const char *const *keep, size_t n_keep,
                     const char *skip, size_t depth, size_t *removed)
{
	gws_vec names = GWS_VEC_INIT;
	int iter = dup(fd), error;

	if (iter < 0)
		return gws_error_set_errno(GWS_EIO, "dup");
	if ((error = list_dir(iter, &names)) < 0)
		goto cleanup;
	for (size_t i = 0; i < names.len && !error; i++) {
		const char *name = names.items[i];
		char *rel = *prefix ? gws_asprintf("%s/%s", prefix, name) : gws_strdup(name);
		struct stat st;
		if (!rel) {
			error = GWS_ENOMEM;
			break;
		}
		if (depth == 0 && skip && strcmp(name, skip) == 0) {
			gws_free(rel);
			continue;
		}
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			error = errno == ENOENT ? 0 : gws_error_set_errno(GWS_EIO, rel);
		} else if (S_ISDIR(st.st_mode) && holds_kept(keep, n_keep, rel)) {
			int sub = depth < MAX_NESTING ? open_dir_at(fd, name) : -1;
			if (sub < 0)
				error = gws_error_set_errno(GWS_EIO, rel);
			else {
				error = prune_dir(sub, rel, keep, n_keep, skip, depth + 1, removed);
				close(sub);
			}
		} else if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode) ||
		           !kept(keep, n_keep, rel)) {
			error = remove_tree(fd, name, depth, removed);
		}
		gws_free(rel);
	}
cleanup:
	free_names(&names);
	return error;
}

int gws_report__fs_prune(int dirfd, const char *const *keep, size_t n_keep, const char *skip,
                         size_t *removed)
{
	return prune_dir(dirfd, "", keep, n_keep, skip, 0, removed);
}
