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
} gws_source_options;

#define GWS_SOURCE_OPTIONS_INIT                                                                    \
	{                                                                                          \
		NULL, NULL, NULL, NULL, 0, 0, 0, 0, -1                                             \
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
