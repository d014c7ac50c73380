/*
 * Opening a source: a plain folder as it is, or a commit of a git
 * repository, whose manifests are written into a cache entry:
 *
 *   <workdir>/repos/<16 hex>/   a remote, keyed by its URL without credentials
 *   <workdir>/trees/<16 hex>/   a local repository, keyed by its real path
 *       lock    held (flock) while the source is open: one run per entry
 *       git/    the bare repository fetched into (remote entries only)
 *       tree/   the manifests of the commit read: gws_source_path
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source/source_int.h"

/* "<workdir>/<kind>/<first 16 hex of sha256(key)>" */
char *gws_source__cache_dir(const char *workdir, const char *kind, const char *key)
{
	unsigned char digest[GWS_SHA256_LEN];
	char hex[2 * GWS_SHA256_LEN + 1];

	gws_sha256(key, strlen(key), digest);
	gws_hex_encode(hex, digest, GWS_SHA256_LEN);
	return gws_asprintf("%s/%s/%.16s", workdir, kind, hex);
}

/* The password in https://user:password@host/ is registered as a secret so
 * even a libgit2 message we did not foresee is scrubbed in logs. */
static void register_userinfo(const char *url)
{
	const char *auth = strstr(url, "://"), *at, *colon, *slash;
	char *secret;

	if (!auth)
		return;
	auth += 3;
	slash = strchr(auth, '/');
	at = strchr(auth, '@');
	if (!at || (slash && slash < at))
		return;
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (!colon || !(secret = gws_strndup(colon + 1, (size_t)(at - colon - 1))))
		return;
	(void)gws_secret_register(secret);
	gws_free(secret);
}

/* Creates and locks the cache entry; src->path becomes its empty tree/. */
static int enter_cache(gws_source *src, const char *entry, const gws_source_options *opts)
{
	long long timeout =
	        opts->lock_timeout_ms < 0 ? GWS_SOURCE_LOCK_TIMEOUT_MS : opts->lock_timeout_ms;
	int error;

	if ((error = gws_source__mkdirs(entry)) < 0 ||
	    (error = gws_source__lock(&src->lock_fd, entry, timeout)) < 0)
		return error;
	/* Only now, under the lock: what an earlier run wrote is not ours. */
	if (!(src->path = gws_asprintf("%s/tree", entry)))
		return GWS_ENOMEM;
	if ((error = gws_source__remove_tree(src->path)) < 0)
		return error;
	return gws_source__mkdirs(src->path);
}

static int write_manifests(gws_source *src, git_repository *repo, git_object *commit,
                           const gws_source_options *opts, gws_diag_list *diags)
{
	gws_source__tree_options to = {
	        opts->path,
	        opts->max_file_size ? opts->max_file_size : GWS_CAP_YAML_FILE,
	        opts->max_total_bytes ? opts->max_total_bytes : GWS_SOURCE_MAX_TOTAL_BYTES,
	        opts->max_files ? opts->max_files : GWS_SOURCE_MAX_FILES,
	        opts->max_entries ? opts->max_entries : GWS_SOURCE_MAX_ENTRIES,
	        diags,
	};
	int error;

	if ((error = gws_source__write_tree(repo, (const git_commit *)commit, src->path, &to)) < 0)
		return error;
	git_oid_tostr(src->commit, sizeof(src->commit), git_object_id(commit));
	src->has_commit = true;
	return 0;
}

/* "source: read URL at v1 (0123456789ab, refs/tags/v1)": what was read, exactly. */
static void log_read(const char *repo, const char *ref, const char *full_name, const char *commit)
{
	gws_log(GWS_LOG_INFO, "source", "read %s at %s (%.12s%s%s)", repo, ref, commit,
	        full_name ? ", " : "", full_name ? full_name : "");
}

int gws_source__open_cache_repo(git_repository **repo, const char *entry)
{
	char *dir = gws_asprintf("%s/git", entry);
	int error = 0;

	if (!dir)
		return GWS_ENOMEM;
	git_error_clear();
	if (git_repository_open_ext(repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0 &&
	    git_repository_is_bare(*repo))
		goto cleanup;
	git_repository_free(*repo);
	*repo = NULL;
	if ((error = gws_source__remove_tree(dir)) < 0)
		goto cleanup;
	git_error_clear();
	if ((error = git_repository_init(repo, dir, 1)) < 0)
		error = gws_source__git_error(error, GWS_EIO, "cannot create the cache", dir);
cleanup:
	gws_free(dir);
	return error;
}

/* The branch a full reference name names ("refs/heads/main": "main"). */
static int set_branch(gws_source *src, const char *full_name)
{
	if (!full_name || !gws_str_startswith(full_name, "refs/heads/"))
		return 0;
	src->branch = gws_strdup(full_name + strlen("refs/heads/"));
	return src->branch ? 0 : GWS_ENOMEM;
}

static int open_remote(gws_source *src, const gws_source_options *opts, gws_diag_list *diags)
{
	git_repository *repo = NULL;
	git_object *commit = NULL;
	gws_buf shown = GWS_BUF_INIT(GWS_CAP_LINE);
	char *full_name = NULL;
	int error;

	register_userinfo(opts->repo);
	if ((error = gws_source_redact(&shown, opts->repo)) < 0)
		goto cleanup;
	src->kind = GWS_SOURCE__REMOTE;
	/* Keyed by the URL without credentials: a token rotation keeps the cache,
	 * and the directory name reveals nothing about the secret. */
	if (!(src->entry = gws_source__cache_dir(src->workdir, "repos", gws_buf_cstr(&shown))) ||
	    !(src->url = gws_strdup(opts->repo)) || !(src->shown = gws_buf_take(&shown, NULL))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if ((error = enter_cache(src, src->entry, opts)) < 0 ||
	    (error = gws_source__open_cache_repo(&repo, src->entry)) < 0 ||
	    (error = gws_source__fetch_resolve(&commit, &full_name, &src->ref, src, repo,
	                                       opts->ref)) < 0 ||
	    (error = write_manifests(src, repo, commit, opts, diags)) < 0 ||
	    (error = set_branch(src, full_name)) < 0)
		goto cleanup;
	log_read(src->shown, src->ref, full_name, src->commit);
cleanup:
	git_object_free(commit);
	git_repository_free(repo);
	gws_free(full_name);
	gws_buf_dispose(&shown);
	return error;
}

/* A local repository with a ref: its manifests are written to a cache entry. */
static int open_local(gws_source *src, const gws_source_options *opts, gws_diag_list *diags)
{
	git_repository *repo = NULL;
	git_object *commit = NULL;
	char *real = realpath(opts->repo, NULL), *full_name = NULL;
	int error;

	if (!real)
		return gws_error_set_errno(GWS_EIO, opts->repo);
	src->kind = GWS_SOURCE__LOCAL;
	git_error_clear();
	if (git_repository_open_ext(&repo, real, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		error = gws_error_set(GWS_EINVALID,
		                      "--ref %s needs a git repository; %s is a plain directory",
		                      opts->ref, opts->repo);
		goto cleanup;
	}
	if ((error = gws_source__resolve_local(&commit, &full_name, repo, opts->ref)) < 0) {
		if (error == GWS_ENOTFOUND)
			error = gws_error_set(error, "ref '%s' not found in %s", opts->ref,
			                      opts->repo);
		goto cleanup;
	}
	/* A push goes to the real path through the same code as a URL's. */
	if (!(src->entry = gws_source__cache_dir(src->workdir, "trees", real)) ||
	    !(src->ref = gws_strdup(opts->ref)) || !(src->url = gws_strdup(real)) ||
	    !(src->shown = gws_strdup(opts->repo))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if ((error = enter_cache(src, src->entry, opts)) < 0 ||
	    (error = write_manifests(src, repo, commit, opts, diags)) < 0 ||
	    (error = set_branch(src, full_name)) < 0)
		goto cleanup;
	log_read(opts->repo, src->ref, full_name, src->commit);
cleanup:
	git_object_free(commit);
	git_repository_free(repo);
	gws_free(full_name);
	free(real); /* from realpath(), not gws_malloc */
	return error;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_supported_url(const char *url)
{
	static const char *const schemes[] = {"https://", "http://",    "ssh://",    "git://",
	                                      "file://",  "git+ssh://", "ssh+git://"};

	if (!strstr(url, "://"))
		return true; /* scp-like */
	for (size_t i = 0; i < GWS_ARRAY_SIZE(schemes); i++)
		if (gws_str_startswith(url, schemes[i]))
			return true;
	return false;
}

static int check_options(const gws_source_options *opts, bool *url)
{
	if (!opts || !opts->repo || !*opts->repo)
		return gws_error_set(GWS_EINVALID, "--repo is required");
	*url = gws_source_is_url(opts->repo);
	if (*url && !is_supported_url(opts->repo)) {
		gws_buf shown = GWS_BUF_INIT(GWS_CAP_LINE);
		int error = gws_source_redact(&shown, opts->repo);

		error = gws_error_set(GWS_EINVALID,
		                      "--repo %s: unsupported URL scheme (use https, ssh or file)",
		                      error < 0 ? "(URL)" : gws_buf_cstr(&shown));
		gws_buf_dispose(&shown);
		return error;
	}
	if (!*url && !is_dir(opts->repo))
		return gws_error_set(GWS_EINVALID, "--repo %s: not a directory", opts->repo);
	if (opts->ref && !*opts->ref)
		return gws_error_set(GWS_EINVALID, "--ref must not be empty");
	return 0;
}

int gws_source_open(gws_source **out, const gws_source_options *opts, gws_diag_list *diags)
{
	gws_source *src = NULL;
	bool url = false;
	int error;

	*out = NULL;
	if ((error = check_options(opts, &url)) < 0)
		return error;
	if (!(src = gws_calloc(1, sizeof(*src))))
		return GWS_ENOMEM;
	src->lock_fd = -1;
	if ((opts->workdir && !(src->workdir_req = gws_strdup(opts->workdir))) ||
	    (opts->ssh_known_hosts && !(src->known_hosts = gws_strdup(opts->ssh_known_hosts)))) {
		error = GWS_ENOMEM;
		goto done;
	}
	if (!url && !opts->ref) {
		/* A folder as it is: no git, no cache, no libgit2 start-up cost. */
		if (!(src->path = gws_strdup(opts->repo)))
			error = GWS_ENOMEM;
		goto done;
	}
	if (!diags) {
		error = gws_error_set(GWS_EINVALID, "a git source needs a diagnostics list");
		goto done;
	}
	if ((error = git_libgit2_init()) < 0) {
		error = gws_source__git_error(error, GWS_EIO, "cannot start", "libgit2");
		goto done;
	}
	src->git_inited = true;
	if ((error = gws_source__workdir(&src->workdir, &src->temp_workdir, opts->workdir)) < 0)
		goto done;
	if (src->temp_workdir && !gws_source__temp_register(src->workdir))
		gws_log(GWS_LOG_DEBUG, "source", "%s is not removed if a signal ends the run",
		        src->workdir);
	error = url ? open_remote(src, opts, diags) : open_local(src, opts, diags);
done:
	if (error < 0) {
		gws_source_free(src);
		return error;
	}
	*out = src;
	return 0;
}

const char *gws_source_path(const gws_source *src)
{
	return src ? src->path : NULL;
}

const char *gws_source_commit(const gws_source *src)
{
	return src && src->has_commit ? src->commit : NULL;
}

const char *gws_source_ref(const gws_source *src)
{
	return src ? src->ref : NULL;
}

const char *gws_source_branch(const gws_source *src)
{
	return src ? src->branch : NULL;
}

size_t gws_source_received_objects(const gws_source *src)
{
	return src ? src->received : 0;
}

void gws_source_free(gws_source *src)
{
	if (!src)
		return;
	if (src->temp_workdir && src->workdir) {
		gws_source__temp_unregister(src->workdir);
		(void)gws_source__remove_tree(src->workdir);
	}
	gws_source__unlock(src->lock_fd);
	if (src->git_inited)
		git_libgit2_shutdown();
	gws_free(src->path);
	gws_free(src->workdir);
	gws_free(src->workdir_req);
	gws_free(src->ref);
	gws_free(src->branch);
	gws_free(src->url);
	gws_free(src->shown);
	gws_free(src->entry);
	gws_free(src->known_hosts);
	gws_free(src);
}
