/* Helpers shared by the source module's files (not public). */
#ifndef GWSYNC_SOURCE_INT_H
#define GWSYNC_SOURCE_INT_H

#include <git2.h>

#include "gwsync/source.h"

/* ---- the source (source.c) ----------------------------------------------- */

typedef enum {
	GWS_SOURCE__FOLDER, /* a plain folder, read as it is */
	GWS_SOURCE__REMOTE, /* a URL, fetched into <entry>/git */
	GWS_SOURCE__LOCAL,  /* a local repository read with a ref */
} gws_source__kind;

struct gws_source {
	gws_source__kind kind;
	char *path;
	char *workdir;
	char *workdir_req; /* --workdir as given (a folder's lease resolves it late) */
	char *ref;
	char *branch;      /* the branch read, or NULL */
	char *url;         /* what is fetched and pushed: the URL, or the real path */
	char *shown;       /* url without credentials, for messages */
	char *entry;       /* the cache entry */
	char *known_hosts; /* --ssh-known-hosts, or NULL */
	size_t received;   /* objects received by every fetch */
	char commit[GIT_OID_HEXSZ + 1];
	bool has_commit;
	bool temp_workdir;
	bool git_inited;
	int lock_fd;
};

/* "<workdir>/<kind>/<first 16 hex digits of sha256(key)>" */
char *gws_source__cache_dir(const char *workdir, const char *kind, const char *key);

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
	const char *repo;        /* --repo as given: the only host a token is sent to */
	const char *known_hosts; /* NULL = ~/.ssh/known_hosts */
	int attempts;
	char offered[320]; /* what was offered, for the message of a rejection */
	void *extra;       /* the push callbacks' state (transfer.c) */
} gws_source__cred_state;

/*
 * The callbacks of every fetch and push: GWSYNC_GIT_TOKEN or
 * GWSYNC_GIT_TOKEN_FILE over https (see gws_source__token_allowed),
 * GWSYNC_SSH_KEY_FILE or ssh-agent over ssh. The certificate callback
 * checks ssh host keys against known_hosts and leaves TLS certificates to
 * libgit2, which always verifies them.
 */
void gws_source__init_callbacks(git_remote_callbacks *cb, gws_source__cred_state *state,
                                const char *repo, const char *known_hosts);

/* ---- ssh host keys (known_hosts.c) --------------------------------------- */

/*
 * Whether the host key `key` (the raw blob, as in a known_hosts line) of
 * `host`, port `port`, is listed in the known_hosts file `file` (NULL:
 * ~/.ssh/known_hosts). Hashed entries (|1|salt|hash), patterns with * and
 * ?, negated patterns and @revoked are read as OpenSSH reads them. 0 when
 * listed; GWS_EAUTH with a message saying why not (unknown host, another
 * key, revoked, no file).
 */
int gws_source__known_host(const char *file, const char *host, unsigned port,
                           const unsigned char *key, size_t key_len);

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
                              gws_source *src, git_repository *repo, const char *ref);

/* The bare repository of the cache entry `entry` (its git/), created afresh
 * when missing or broken. */
int gws_source__open_cache_repo(git_repository **repo, const char *entry);

/* ---- fetching and pushing one reference (transfer.c) --------------------- */

/*
 * Fetches the remote's reference `ref` into the local reference `local`
 * (forced), adding the objects received to src->received. *found is false
 * when the remote has no such reference (then `local` is left alone).
 */
int gws_source__fetch_ref(git_oid *oid, bool *found, gws_source *src, git_repository *repo,
                          const char *ref, const char *local);

/*
 * Sets the remote's reference `ref` to the commit `oid` of `repo` if it
 * still points at `expected` (NULL: if it does not exist): a
 * compare-and-swap, never a forced update. *moved is true (and 0 returned)
 * when the reference had moved. Another refusal of the remote is
 * GWS_EREMOTE with its reason.
 */
int gws_source__push_ref(bool *moved, gws_source *src, git_repository *repo, const git_oid *oid,
                         const char *ref, const git_oid *expected);

/* ---- the trees of a status commit (status_tree.c) ------------------------ */

/* Writes the regular files and directories of tip:<subdir> (tip NULL: none)
 * below `target`, created if missing. */
int gws_source__extract_subdir(git_repository *repo, const git_tree *tip, const char *subdir,
                               const char *target);
/* The tree of the regular files and directories below `dir` (mode 100644);
 * *empty when there is no file (a missing `dir` is empty). */
int gws_source__read_subdir(git_oid *out, bool *empty, git_repository *repo, const char *dir);
/* `base` (NULL: the empty tree) with its entry at `subdir` replaced by the
 * tree `sub` (NULL: removed); nothing else changes. */
int gws_source__splice_subdir(git_oid *out, git_repository *repo, const git_tree *base,
                              const char *subdir, const git_oid *sub);

/* A random pause in [lo_ms, hi_ms), cut short by a signal. */
void gws_source__sleep_jitter(long long lo_ms, long long hi_ms);
/* Wall-clock milliseconds since the epoch, and its RFC 3339 UTC form
 * "2026-01-02T03:04:05.678Z" (out holds 32 bytes). */
long long gws_source__wall_ms(void);
void gws_source__format_time(char *out, long long wall_ms);
/* Parses what gws_source__format_time writes (fraction optional). */
int gws_source__parse_time(long long *wall_ms, const char *text);

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
