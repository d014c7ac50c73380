/*
 * Fetching a remote into the cache's bare repository, and resolving --ref
 * against the references the remote advertises (refs.c has the rules), so
 * the answer never depends on what an earlier fetch left in the cache.
 * The remote is anonymous: a URL (which may carry a token) is never written
 * to a git config.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "source/source_int.h"

/* Local names of what is fetched: branches as remote-tracking refs, tags as
 * tags, and a ref outside both (refs/pull/1/head, HEAD) under refs/gwsync/. */
#define HEADS_SPEC "+refs/heads/*:refs/remotes/origin/*"
#define TAGS_SPEC  "+refs/tags/*:refs/tags/*"
#define OTHER_REF  "refs/gwsync/ref"

typedef struct {
	const git_remote_head **heads;
	size_t n_heads;
	const git_remote_head *found;
} remote_match;

static int try_remote(const char *full_name, void *payload)
{
	remote_match *m = payload;

	for (size_t i = 0; i < m->n_heads; i++) {
		if (strcmp(m->heads[i]->name, full_name) == 0) {
			m->found = m->heads[i];
			return 1;
		}
	}
	return 0;
}

/* A file:// URL naming no directory: a wrong --repo, not a network failure. */
static int check_file_url(const char *url, const char *shown)
{
	const char *path;
	struct stat st;

	if (!gws_str_startswith(url, "file://"))
		return 0;
	path = strchr(url + strlen("file://"), '/');
	if (!path || strchr(path, '%'))
		return 0; /* percent-encoded: libgit2 decides */
	if (stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
		return gws_error_set(GWS_ENOTFOUND, "cannot fetch %s: no repository at this path",
		                     shown);
	return 0;
}

/*
 * Which reference to fetch and read: *wanted is its full name, NULL when
 * `ref` is an object id (looked up after the fetch).
 */
static int pick_ref(char **wanted, char **shown_ref, git_remote *remote, const char *ref,
                    const char *shown)
{
	remote_match m = {NULL, 0, NULL};
	git_buf head = GIT_BUF_INIT;
	int rc, error = 0;

	*wanted = NULL;
	git_error_clear();
	if ((rc = git_remote_ls(&m.heads, &m.n_heads, remote)) < 0)
		return gws_source__git_error(rc, GWS_ENETWORK, "cannot list the references of",
		                             shown);
	if (m.n_heads == 0)
		return gws_error_set(GWS_ENOTFOUND,
		                     "the repository %s is empty: it has no branch or tag to read",
		                     shown);
	if (!ref) {
		if (git_remote_default_branch(&head, remote) < 0 ||
		    !gws_str_startswith(head.ptr, "refs/heads/")) {
			error = gws_error_set(
			        GWS_ENOTFOUND,
			        "%s has no default branch (its HEAD names no branch): "
			        "give --ref",
			        shown);
			goto cleanup;
		}
		*wanted = gws_strdup(head.ptr);
		*shown_ref = gws_strdup(head.ptr + strlen("refs/heads/"));
		if (!*wanted || !*shown_ref)
			error = GWS_ENOMEM;
		goto cleanup;
	}
	if (!(*shown_ref = gws_strdup(ref)))
		return GWS_ENOMEM;
	if (gws_source__is_full_oid(ref))
		return 0;
	if ((error = gws_source__ref_candidates(ref, try_remote, &m)) < 0)
		goto cleanup;
	if (m.found) {
		if (!(*wanted = gws_strdup(m.found->name)))
			error = GWS_ENOMEM;
	} else if (!gws_source__is_abbrev_oid(ref)) {
		error = gws_error_set(GWS_ENOTFOUND, "ref '%s' not found in %s", ref, shown);
	}
cleanup:
	git_buf_dispose(&head);
	return error;
}

static int download(git_remote *remote, const char *wanted, const git_remote_callbacks *cb,
                    gws_source *src)
{
	const char *shown = src->shown;
	gws_buf other = GWS_BUF_INIT(GWS_CAP_LINE);
	char *specv[3] = {HEADS_SPEC, TAGS_SPEC, NULL};
	git_strarray specs = {specv, 2};
	git_fetch_options fo;
	int rc, error = 0;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks = *cb;
	fo.prune = GIT_FETCH_PRUNE;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE; /* the refspec takes them all */
	/* git's default, whatever http.followRedirects says in a config. */
	fo.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL;
	if (wanted && !gws_str_startswith(wanted, "refs/heads/") &&
	    !gws_str_startswith(wanted, "refs/tags/")) {
		if ((error = gws_buf_printf(&other, "+%s:" OTHER_REF, wanted)) < 0)
			return error;
		specv[specs.count++] = other.ptr;
	}
	git_error_clear();
	if ((rc = git_remote_download(remote, &specs, &fo)) < 0 ||
	    (rc = git_remote_update_tips(remote, cb, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, NULL)) < 0)
		error = gws_source__git_error(rc, GWS_ENETWORK, "cannot fetch", shown);
	else
		src->received += git_remote_stats(remote)->received_objects;
	gws_buf_dispose(&other);
	return error;
}

/* The commit the fetched reference points at (peeling annotated tags). */
static int peel_fetched(git_object **commit, git_repository *repo, const char *wanted,
                        const char *shown)
{
	git_reference *r = NULL;
	const char *local = wanted;
	gws_buf name = GWS_BUF_INIT(GWS_CAP_LINE);
	int error = 0;

	if (gws_str_startswith(wanted, "refs/heads/")) {
		if ((error = gws_buf_printf(&name, "refs/remotes/origin/%s",
		                            wanted + strlen("refs/heads/"))) < 0)
			return error;
		local = gws_buf_cstr(&name);
	} else if (!gws_str_startswith(wanted, "refs/tags/")) {
		local = OTHER_REF;
	}
	git_error_clear();
	if (git_reference_lookup(&r, repo, local) < 0 ||
	    git_reference_peel(commit, r, GIT_OBJECT_COMMIT) < 0)
		error = gws_error_set(GWS_ENOTFOUND, "%s in %s does not name a commit", wanted,
		                      shown);
	git_reference_free(r);
	gws_buf_dispose(&name);
	return error;
}

int gws_source__fetch_resolve(git_object **commit, char **full_name, char **shown_ref,
                              gws_source *src, git_repository *repo, const char *ref)
{
	const char *url = src->url, *shown = src->shown;
	git_remote *remote = NULL;
	git_remote_create_options ro;
	git_remote_connect_options co;
	gws_source__cred_state cred;
	char *wanted = NULL;
	int rc, error;

	*commit = NULL;
	*full_name = NULL;
	*shown_ref = NULL;
	if ((error = check_file_url(url, shown)) < 0)
		return error;
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	/* No insteadOf rewriting: libgit2 1.5 leaks on each config entry its
	 * regex does not match (fixed in 1.6), and the URL given is the URL meant. */
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	git_remote_connect_options_init(&co, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
	gws_source__init_callbacks(&co.callbacks, &cred, url, src->known_hosts);
	co.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL;
	git_error_clear();
	if ((rc = git_remote_create_with_opts(&remote, url, &ro)) < 0 ||
	    (rc = git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &co)) < 0) {
		error = gws_source__git_error(rc, GWS_ENETWORK, "cannot fetch", shown);
		goto cleanup;
	}
	if ((error = pick_ref(&wanted, shown_ref, remote, ref, shown)) < 0 ||
	    (error = download(remote, wanted, &co.callbacks, src)) < 0)
		goto cleanup;
	if (wanted) {
		error = peel_fetched(commit, repo, wanted, shown);
	} else if ((error = gws_source__peel_oid(commit, repo, ref)) == GWS_ENOTFOUND) {
		error = gws_error_set(GWS_ENOTFOUND,
		                      "ref '%s' not found in %s (a commit id must be in the "
		                      "history of one of its branches or tags)",
		                      ref, shown);
	}
	if (error == 0) {
		*full_name = wanted;
		wanted = NULL;
	}
cleanup:
	if (error < 0) {
		gws_free(*shown_ref);
		*shown_ref = NULL;
	}
	gws_free(wanted);
	if (remote)
		git_remote_disconnect(remote);
	git_remote_free(remote);
	return error;
}
