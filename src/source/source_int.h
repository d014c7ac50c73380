/* Helpers shared by the source module's files (not public). */
#ifndef GWSYNC_SOURCE_INT_H
#define GWSYNC_SOURCE_INT_H

#include <git2.h>

#include "gwsync/source.h"

/* ---- libgit2 errors (git_error.c) ---------------------------------------- */

/*
 * The one place libgit2 errors become gwsync errors. The code comes from
 * libgit2's return code, its error class and, for GIT_ERROR_HTTP, the HTTP
 * status (authentication: GWS_EAUTH, HTTP 404/410: GWS_ENOTFOUND, TLS and
 * transport: GWS_ENETWORK, anything else: `fallback`), never from words in
 * the message. The last error becomes "<what> <url>: <libgit2 message>"
 * with every credential removed. Callers clear libgit2's error
 * (git_error_clear) before the calls they report on, so a stale message of
 * an earlier, ignored failure is never taken for this one.
 */
int gws_source__git_error(int git_rc, int fallback, const char *what, const char *url);

/* ---- credentials (cred.c) ------------------------------------------------ */

typedef struct {
	const char *repo; /* --repo as given: the only host a token is sent to */
	int attempts;
} gws_source__cred_state;

/* The fetch callbacks: GWSYNC_GIT_TOKEN (see gws_source__token_allowed) or
 * ssh-agent only; no certificate callback, so libgit2 always verifies TLS. */
void gws_source__init_callbacks(git_remote_callbacks *cb, gws_source__cred_state *state,
                                const char *repo);

/*
 * Whether GWSYNC_GIT_TOKEN may go to `asked` (the URL libgit2 is talking
 * to, after any redirect) for the repository `repo`: same scheme, host and
 * port as `repo`, over https; plain http only to a loopback host and with
 * `allow_http` (GWSYNC_GIT_ALLOW_HTTP_TOKEN=1, for tests). When not, *why
 * says why in a phrase.
 */
bool gws_source__token_allowed(const char *repo, const char *asked, bool allow_http,
                               const char **why);

/* ---- URLs (url.c) -------------------------------------------------------- */

typedef struct {
	char scheme[16]; /* lower case: "https" */
	char host[256];  /* lower case, without IPv6 brackets */
	unsigned port;   /* explicit, or the scheme's default (0 when unknown) */
} gws_source__origin;

/* Splits scheme://[userinfo@]host[:port][/...]; GWS_EINVALID when `url`
 * has no such authority. */
int gws_source__url_origin(gws_source__origin *out, const char *url);

/* ---- references (refs.c) ------------------------------------------------- */

/* Reports each name a --ref may stand for to `fn`, in git's order of
 * precedence; `fn` returns > 0 to stop (found), < 0 on error. */
typedef int (*gws_source__ref_fn)(const char *full_name, void *payload);
int gws_source__ref_candidates(const char *ref, gws_source__ref_fn fn, void *payload);

/* True for a full hexadecimal object id (40 digits), which is an object id
 * first, whatever the references are called. */
bool gws_source__is_full_oid(const char *ref);
/* True for 4 to 39 hexadecimal digits: an abbreviated id when no reference
 * has that name. */
bool gws_source__is_abbrev_oid(const char *ref);

/* The commit `ref` names in `repo` (a local repository): git's rules. */
int gws_source__resolve_local(git_object **out, char **full_name, git_repository *repo,
                              const char *ref);
/* The commit an object id (full, or abbreviated to `hex_len` digits) peels to. */
int gws_source__peel_oid(git_object **out, git_repository *repo, const char *hex);

/* ---- the remote (remote.c) ----------------------------------------------- */

/*
 * Fetches `url` into the bare repository `repo` and resolves `ref` (NULL:
 * the remote's default branch) against the references the remote
 * advertises, by git's rules. *full_name is the reference read (NULL for an
 * object id) and *shown_ref the ref as the user knows it.
 */
int gws_source__fetch_resolve(git_object **commit, char **full_name, char **shown_ref,
                              git_repository *repo, const char *url, const char *shown,
                              const char *ref);

/* ---- writing the manifests of a tree (tree.c) ---------------------------- */

typedef struct {
	const char *path;       /* --path, "" or NULL = the whole tree */
	size_t max_file_size;   /* per file */
	size_t max_total_bytes; /* all files written */
	size_t max_files;       /* files written */
	size_t max_entries;     /* tree entries looked at */
	gws_diag_list *diags;
} gws_source__tree_options;

/*
 * Writes into the empty directory `target` only what the manifest loader
 * reads: the *.yaml / *.yml files below opts->path (or the one file it
 * names), never a hidden entry, checking every size and count against the
 * tree before writing. Whatever is not written (too large, past a cap, an
 * invalid name, a link leaving the repository) is a diagnostic naming it.
 */
int gws_source__write_tree(git_repository *repo, const git_commit *commit, const char *target,
                           const gws_source__tree_options *opts);

/* ---- the cache (fs.c, lock.c, cleanup.c) --------------------------------- */

/* mkdir -p with mode 0700 for directories created here. */
int gws_source__mkdirs(const char *path);
/* rm -rf; a missing path is fine. */
int gws_source__remove_tree(const char *path);
/* Picks the cache directory: *temp set when it is a fresh temporary one. */
int gws_source__workdir(char **out, bool *temp, const char *requested);

/*
 * Locks the cache entry `dir` (its file "lock", created if missing) for
 * this process, waiting up to timeout_ms for another run to let go (0:
 * try once). GWS_ELOCKED names `dir` when the wait expires. The lock is
 * released by gws_source__unlock, or by the kernel when the process ends.
 */
int gws_source__lock(int *fd, const char *dir, long long timeout_ms);
void gws_source__unlock(int fd);

/* Registers a temporary directory for gws_source_remove_temporary; false
 * when it cannot be (too many, or the path is too long). */
bool gws_source__temp_register(const char *path);
void gws_source__temp_unregister(const char *path);

#endif
