/*
 * Where the manifests come from: a local folder used as it is, or a commit of
 * a git repository (remote URL, or a local one with a ref) fetched by libgit2
 * into gwsync's own cache directory. Of a commit, only what the manifest
 * loader reads is written out (the YAML files below the path), with every
 * size checked against the tree first. The user's work tree is never
 * written. Behaviour in detail: docs/git-source.md.
 */
#ifndef GWSYNC_SOURCE_H
#define GWSYNC_SOURCE_H

#include "gwsync/core.h"

typedef struct gws_source gws_source;

/* Defaults of the caps below (0 in the options). */
#define GWS_SOURCE_MAX_TOTAL_BYTES (256u * 1024 * 1024) /* bytes of all files written */
#define GWS_SOURCE_MAX_FILES       100000u              /* files written */
#define GWS_SOURCE_MAX_ENTRIES     1000000u             /* tree entries looked at */
#define GWS_SOURCE_MAX_DEPTH       64                   /* directories below the path */
/* How long gws_source_open waits for another run's lock on the cache entry. */
#define GWS_SOURCE_LOCK_TIMEOUT_MS 60000

typedef struct {
	/* https://, http://, ssh://, file:// URL, scp-like user@host:path, or a local path. */
	const char *repo;
	/* Branch, tag, full ref name (refs/tags/v1), or (abbreviated) commit id,
	 * resolved as git does: a 40-hex id is a commit id whatever the refs are
	 * called; a name is tried as refs/<ref>, refs/tags/<ref>,
	 * refs/heads/<ref>, refs/remotes/<ref>, in that order. NULL = the
	 * remote's default branch, or a local folder as it is. */
	const char *ref;
	/* Cache directory; NULL = $XDG_CACHE_HOME/gwsync or ~/.cache/gwsync, or a
	 * temporary directory removed by gws_source_free when neither is usable. */
	const char *workdir;
	/* Sub-directory (or single file) of the repository holding the manifests:
	 * only YAML files below it are written out. NULL = the whole tree. */
	const char *path;
	/* Caps, 0 = the GWS_SOURCE_* / GWS_CAP_YAML_FILE defaults. A file over
	 * max_file_size is never written; past a total cap nothing more is. */
	size_t max_file_size;
	size_t max_total_bytes;
	size_t max_files;
	size_t max_entries;
	/* Wait for another run's lock: < 0 = GWS_SOURCE_LOCK_TIMEOUT_MS, 0 = not at all. */
	long long lock_timeout_ms;
	/* known_hosts file that ssh host keys are checked against; NULL =
	 * ~/.ssh/known_hosts. An unknown or different host key is refused. */
	const char *ssh_known_hosts;
} gws_source_options;

#define GWS_SOURCE_OPTIONS_INIT                                                                    \
	{                                                                                          \
		NULL, NULL, NULL, NULL, 0, 0, 0, 0, -1, NULL                                       \
	}

/*
 * Opens the source: for git, locks the cache entry (held until
 * gws_source_free), fetches a remote, resolves the ref and writes the
 * manifests of that commit out. What the repository holds but gwsync does
 * not read (a file over a cap, an invalid name, a link out of the
 * repository) is a positioned diagnostic in `diags` (required for a
 * git source; a plain folder adds none), never silently dropped.
 * Errors: GWS_EINVALID (bad --repo or --ref), GWS_ENOTFOUND (unknown ref,
 * missing or empty repository), GWS_ELOCKED (another run holds the cache
 * entry), GWS_ENETWORK / GWS_EAUTH (remote unreachable or refused),
 * GWS_EIO. Messages never contain credentials.
 */
int gws_source_open(gws_source **out, const gws_source_options *opts,
                    gws_diag_list *diags) GWS_WARN_UNUSED;
/* The directory to read manifests from (the repository root). */
const char *gws_source_path(const gws_source *src);
/* The 40-hex commit read, or NULL for a plain folder. */
const char *gws_source_commit(const gws_source *src);
/* The ref as given ("main", "v1", a commit id; the default branch's name
 * when none was), or NULL for a plain folder. */
const char *gws_source_ref(const gws_source *src);
/* The branch the source was read from ("main"), or NULL when --ref named a
 * tag or a commit, or for a plain folder. */
const char *gws_source_branch(const gws_source *src);
/* Objects received by every fetch of this source so far (the first fetch,
 * gws_source_publish, the lease). */
size_t gws_source_received_objects(const gws_source *src);

/* ---- status commits ------------------------------------------------------
 *
 * Fills `root` (a scratch directory) for a status commit: root/<subdir>
 * holds, when called, the files of <subdir> at the branch tip the commit
 * will be built on (the previous report), and the callback rewrites them in
 * place (it writes the whole root/<subdir> tree). Returns 0 or a GWS_E*
 * code, which gws_source_publish returns as it is.
 */
typedef int (*gws_source_build_fn)(const char *root, void *payload);

typedef struct {
	/* NULL: the branch read (GWS_EINVALID if none); else a status branch,
	 * created as an orphan branch (no parent) when it does not exist. */
	const char *branch;
	/* The only directory the commit changes, e.g. ".gwsync/prod". */
	const char *subdir;
	/* "Name <email>", author and committer; NULL = "gwsync <gwsync@localhost>". */
	const char *author;
	/* The whole commit message. */
	const char *message;
	/* false (--no-push): commit in the cache repository only. */
	bool push;
	/* Pushes tried when the remote branch moved; 0 = 3. */
	int max_attempts;
	gws_source_build_fn build;
	void *payload;
} gws_source_publish_options;

typedef struct {
	bool committed; /* false: the rebuilt <subdir> equals the tip's: no commit */
	bool pushed;
	int attempts;    /* pushes tried */
	char commit[41]; /* the status commit, "" when none */
} gws_source_publish_result;

/*
 * Builds <subdir> on the current tip of the branch (fetched again now: the
 * branch may have moved since gws_source_open), commits it when its tree
 * differs, pushes without force. When the push is refused because the
 * branch moved: fetches, calls build again on the new tip and retries (up
 * to max_attempts, with jittered back-off); never forces. GWS_ECONFLICT
 * when it still fails (the message says the branch kept moving and that
 * AWS is converged); GWS_EAUTH / GWS_ENETWORK as for the fetch; GWS_EREMOTE
 * when the remote refuses the push for another reason (its message is
 * quoted). A subdir that is absolute or holds ".." is GWS_EINVALID. Only
 * regular files and directories of root/<subdir> go into the tree (mode
 * 100644); the rest of the tree is the tip's, byte for byte. A plain
 * folder has no branch: GWS_EINVALID.
 */
int gws_source_publish(gws_source *src, const gws_source_publish_options *opts,
                       gws_source_publish_result *out) GWS_WARN_UNUSED;

/* 0 when author is a commit author gws_source_publish accepts ("Name
 * <email>"); GWS_EINVALID with a message naming it otherwise. Lets a caller
 * refuse a bad --git-author before it changes anything. */
int gws_source_check_author(const char *author) GWS_WARN_UNUSED;

/* ---- the run lease --------------------------------------------------------
 *
 * One run at a time per (repository, name): a chain of commits on
 * refs/gwsync/leases/<name> in the source's own repository, each moved by a
 * push that is refused when the ref moved meanwhile (compare-and-swap, no
 * force). A plain folder, or a local repository that is not bare, is leased
 * with an flock(2) on a file of the gwsync cache named from its real path.
 * docs/git-source.md says more.
 */
typedef struct gws_source_lease gws_source_lease;

typedef struct {
	const char *name;   /* "<cluster>" or "<cluster>.shard-K-of-N": refs/gwsync/leases/<name> */
	const char *holder; /* shown to waiting runs: "hostname pid N" */
	const char *run_id;
	long long ttl_ms;  /* how long the lease lasts without renewal */
	long long wait_ms; /* how long to wait for another holder; 0 = try once */
} gws_source_lease_options;

/* *waited is true when another run held the lease at first: the caller then
 * re-reads the source (that run may have applied a newer commit).
 * GWS_ELOCKED when the wait expires; its message names the holder, its run
 * id and when the lease expires. */
int gws_source_lease_acquire(gws_source_lease **out, bool *waited, gws_source *src,
                             const gws_source_lease_options *opts) GWS_WARN_UNUSED;
/* Extends the lease to now + ttl_ms. GWS_ELOCKED when it is no longer ours
 * (another run took it over after it expired). */
int gws_source_lease_renew(gws_source_lease *lease, long long ttl_ms) GWS_WARN_UNUSED;
/* Marks it released (a new lease commit); GWS_ELOCKED as for renew. */
int gws_source_lease_release(gws_source_lease *lease) GWS_WARN_UNUSED;
/* Does not release; NULL is fine. */
void gws_source_lease_free(gws_source_lease *lease);

/* Releases the lock and, for a temporary cache, removes it. */
void gws_source_free(gws_source *src);

/*
 * For a handler of a terminating signal: removes the temporary cache
 * directory of every open source. Async-signal-safe; the process must end
 * right after (the kernel then releases the cache locks).
 */
void gws_source_remove_temporary(void);

/* True when `repo` is a URL (scheme:// or user@host:path), not a local path. */
bool gws_source_is_url(const char *repo);
/* Copies `text` into `out` with every URL's user:password@ part removed. */
int gws_source_redact(gws_buf *out, const char *text) GWS_WARN_UNUSED;

#endif
