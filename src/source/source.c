/*
 * Opening a source: a plain folder as it is, or a commit checked out from a
 * git repository into gwsync's cache. Remote fetches use an anonymous remote
 * so a URL (which may carry a token) is never written to a git config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source/source_int.h"

struct gws_source {
	char *path;
	char *workdir;
	char *ref;
	char commit[GIT_OID_HEXSZ + 1];
	bool has_commit;
	bool temp_workdir;
	bool git_inited;
};

static const char *const fetch_refspecs[] = {
        "+refs/heads/*:refs/remotes/origin/*",
        "+refs/tags/*:refs/tags/*",
};

/* "<workdir>/<kind>/<first 16 hex of sha256(key)>" */
static char *cache_dir(const char *workdir, const char *kind, const char *key)
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

static int fetch(git_repository *repo, const char *url, const char *shown, char **default_ref)
{
	git_remote *remote = NULL;
	git_remote_callbacks cb;
	git_fetch_options fo;
	git_remote_create_options ro;
	git_strarray specs = {(char **)fetch_refspecs, GWS_ARRAY_SIZE(fetch_refspecs)};
	git_buf head = GIT_BUF_INIT;
	int attempts, rc, error = 0;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	gws_source__init_callbacks(&cb, &attempts);
	fo.callbacks = cb;
	fo.prune = GIT_FETCH_PRUNE;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE; /* the refspec takes them all */
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	/* No insteadOf rewriting: libgit2 1.5 leaks on each config entry its
	 * regex does not match (fixed in 1.6), and the URL given is the URL meant. */
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if ((rc = git_remote_create_with_opts(&remote, url, &ro)) < 0 ||
	    (rc = git_remote_connect(remote, GIT_DIRECTION_FETCH, &cb, NULL, NULL)) < 0 ||
	    (rc = git_remote_download(remote, &specs, &fo)) < 0 ||
	    (rc = git_remote_update_tips(remote, &cb, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, NULL)) <
	            0) {
		error = gws_source__git_error(rc, GWS_ENETWORK, "cannot fetch", shown);
		goto cleanup;
	}
	if (default_ref) {
		if ((rc = git_remote_default_branch(&head, remote)) < 0) {
			error = gws_source__git_error(rc, GWS_ENETWORK, "no default branch in",
			                              shown);
			goto cleanup;
		}
		if (!gws_str_startswith(head.ptr, "refs/heads/")) {
			error = gws_error_set(GWS_ENOTFOUND, "no default branch in %s", shown);
			goto cleanup;
		}
		if (!(*default_ref = gws_strdup(head.ptr + strlen("refs/heads/"))))
			error = GWS_ENOMEM;
	}
cleanup:
	git_buf_dispose(&head);
	if (remote)
		git_remote_disconnect(remote);
	git_remote_free(remote);
	return error;
}

static bool is_hex_prefix(const char *s)
{
	size_t n = strlen(s);

	if (n < 4 || n > GIT_OID_HEXSZ)
		return false;
	return strspn(s, "0123456789abcdefABCDEF") == n;
}

/* Tries each reference prefix in turn, then the ref as a commit id (prefix). */
static int resolve(git_object **out, git_repository *repo, const char *ref,
                   const char *const *names, size_t n_names)
{
	git_reference *r = NULL;
	git_object *obj = NULL;
	git_oid oid;
	int rc;

	for (size_t i = 0; i < n_names && !obj; i++) {
		char *name = gws_asprintf("%s%s", names[i], ref);

		if (!name)
			return GWS_ENOMEM;
		rc = git_reference_lookup(&r, repo, name);
		gws_free(name);
		if (rc == 0) {
			rc = git_reference_peel(&obj, r, GIT_OBJECT_COMMIT);
			git_reference_free(r);
			r = NULL;
			if (rc < 0)
				return GWS_ENOTFOUND;
		}
	}
	if (!obj && is_hex_prefix(ref) && git_oid_fromstrn(&oid, ref, strlen(ref)) == 0) {
		git_object *any = NULL;

		if (git_object_lookup_prefix(&any, repo, &oid, strlen(ref), GIT_OBJECT_ANY) == 0) {
			rc = git_object_peel(&obj, any, GIT_OBJECT_COMMIT);
			git_object_free(any);
			if (rc < 0)
				obj = NULL;
		}
	}
	if (!obj)
		return GWS_ENOTFOUND;
	*out = obj;
	return 0;
}

static int checkout(git_repository *repo, git_object *commit, const char *target)
{
	git_checkout_options co;
	int rc;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	/* Ignored leftovers of another commit would be read as manifests too. */
	co.checkout_strategy =
	        GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED | GIT_CHECKOUT_REMOVE_IGNORED;
	if (target) {
		/* Into our own directory: the user's index and HEAD stay untouched. */
		co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
		co.target_directory = target;
	}
	if ((rc = git_checkout_tree(repo, commit, &co)) < 0)
		return gws_source__git_error(rc, GWS_EIO, "cannot check out", target ? target : "");
	if (!target && (rc = git_repository_set_head_detached(repo, git_object_id(commit))) < 0)
		return gws_source__git_error(rc, GWS_EIO, "cannot detach HEAD in",
		                             git_repository_workdir(repo));
	return 0;
}

static int open_remote(gws_source *src, const char *url, const char *ref)
{
	static const char *const names[] = {"refs/remotes/origin/", "refs/tags/"};
	git_repository *repo = NULL;
	git_object *commit = NULL;
	gws_buf shown = GWS_BUF_INIT(GWS_CAP_LINE);
	char *default_ref = NULL;
	int error;

	register_userinfo(url);
	if ((error = gws_source_redact(&shown, url)) < 0)
		goto cleanup;
	/* Keyed by the URL without credentials: a token rotation keeps the cache,
	 * and the directory name reveals nothing about the secret. */
	if (!(src->path = cache_dir(src->workdir, "repos", gws_buf_cstr(&shown)))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if (git_repository_open_ext(&repo, src->path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		/* Not cloned yet, or a broken cache entry: start afresh. */
		if ((error = gws_source__remove_tree(src->path)) < 0 ||
		    (error = gws_source__mkdirs(src->path)) < 0)
			goto cleanup;
		if ((error = git_repository_init(&repo, src->path, 0)) < 0) {
			error = gws_source__git_error(error, GWS_EIO, "cannot create cache",
			                              src->path);
			goto cleanup;
		}
	}
	if ((error = fetch(repo, url, gws_buf_cstr(&shown), ref ? NULL : &default_ref)) < 0)
		goto cleanup;
	if (!ref)
		ref = default_ref;
	if ((error = resolve(&commit, repo, ref, names, GWS_ARRAY_SIZE(names))) < 0) {
		error = gws_error_set(error, "ref '%s' not found in %s", ref, gws_buf_cstr(&shown));
		goto cleanup;
	}
	if ((error = checkout(repo, commit, NULL)) < 0)
		goto cleanup;
	git_oid_tostr(src->commit, sizeof(src->commit), git_object_id(commit));
	src->has_commit = true;
	if (!(src->ref = gws_strdup(ref)))
		error = GWS_ENOMEM;
	else
		gws_log(GWS_LOG_INFO, "source", "read %s at %s (%.12s)", gws_buf_cstr(&shown),
		        src->ref, src->commit);
cleanup:
	git_object_free(commit);
	git_repository_free(repo);
	gws_free(default_ref);
	gws_buf_dispose(&shown);
	return error;
}

/* A local repository with a ref: its tree is written to a cache directory. */
static int open_local(gws_source *src, const char *dir, const char *ref)
{
	static const char *const names[] = {"refs/heads/", "refs/tags/", "refs/remotes/", ""};
	git_repository *repo = NULL;
	git_object *commit = NULL;
	char *real = realpath(dir, NULL);
	int error;

	if (!real)
		return gws_error_set_errno(GWS_EIO, dir);
	if ((error = git_repository_open_ext(&repo, real, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) <
	    0) {
		error = gws_error_set(GWS_EINVALID,
		                      "--ref %s needs a git repository; %s is a plain directory",
		                      ref, dir);
		goto cleanup;
	}
	if ((error = resolve(&commit, repo, ref, names, GWS_ARRAY_SIZE(names))) < 0) {
		error = gws_error_set(error, "ref '%s' not found in %s", ref, dir);
		goto cleanup;
	}
	if (!(src->path = cache_dir(src->workdir, "trees", real))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if ((error = gws_source__remove_tree(src->path)) < 0 ||
	    (error = gws_source__mkdirs(src->path)) < 0 ||
	    (error = checkout(repo, commit, src->path)) < 0)
		goto cleanup;
	git_oid_tostr(src->commit, sizeof(src->commit), git_object_id(commit));
	src->has_commit = true;
	if (!(src->ref = gws_strdup(ref)))
		error = GWS_ENOMEM;
	else
		gws_log(GWS_LOG_INFO, "source", "read %s at %s (%.12s)", dir, ref, src->commit);
cleanup:
	git_object_free(commit);
	git_repository_free(repo);
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

int gws_source_open(gws_source **out, const gws_source_options *opts)
{
	gws_source *src = NULL;
	bool url;
	int error = 0;

	*out = NULL;
	if (!opts || !opts->repo || !*opts->repo)
		return gws_error_set(GWS_EINVALID, "--repo is required");
	url = gws_source_is_url(opts->repo);
	if (url && !is_supported_url(opts->repo)) {
		gws_buf shown = GWS_BUF_INIT(GWS_CAP_LINE);

		error = gws_source_redact(&shown, opts->repo);
		error = gws_error_set(GWS_EINVALID,
		                      "--repo %s: unsupported URL scheme (use https, ssh or file)",
		                      error < 0 ? "(URL)" : gws_buf_cstr(&shown));
		gws_buf_dispose(&shown);
		return error;
	}
	if (!url && !is_dir(opts->repo))
		return gws_error_set(GWS_EINVALID, "--repo %s: not a directory", opts->repo);
	if (opts->ref && !*opts->ref)
		return gws_error_set(GWS_EINVALID, "--ref must not be empty");
	if (!(src = gws_calloc(1, sizeof(*src))))
		return GWS_ENOMEM;
	if (!url && !opts->ref) {
		/* A folder as it is: no git, no cache, no libgit2 start-up cost. */
		if (!(src->path = gws_strdup(opts->repo)))
			error = GWS_ENOMEM;
		goto done;
	}
	if ((error = git_libgit2_init()) < 0) {
		error = gws_source__git_error(error, GWS_EIO, "cannot start", "libgit2");
		goto done;
	}
	src->git_inited = true;
	if ((error = gws_source__workdir(&src->workdir, &src->temp_workdir, opts->workdir)) < 0)
		goto done;
	error = url ? open_remote(src, opts->repo, opts->ref)
	            : open_local(src, opts->repo, opts->ref);
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

void gws_source_free(gws_source *src)
{
	if (!src)
		return;
	if (src->temp_workdir && src->workdir)
		(void)gws_source__remove_tree(src->workdir);
	if (src->git_inited)
		git_libgit2_shutdown();
	gws_free(src->path);
	gws_free(src->workdir);
	gws_free(src->ref);
	gws_free(src);
}
