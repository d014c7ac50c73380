/*
 * Where the manifests come from: a local folder used as it is, or a git
 * repository (remote URL, or a local one with a ref) checked out by libgit2
 * into gwsync's own cache directory. The user's work tree is never written.
 */
#ifndef GWSYNC_SOURCE_H
#define GWSYNC_SOURCE_H

#include "gwsync/core.h"

typedef struct gws_source gws_source;

typedef struct {
	/* https://, http://, ssh://, file:// URL, scp-like user@host:path, or a local path. */
	const char *repo;
	/* Branch, tag or (abbreviated) commit id; NULL = the remote's default branch,
	 * or a local folder as it is. */
	const char *ref;
	/* Cache directory; NULL = $XDG_CACHE_HOME/gwsync or ~/.cache/gwsync, or a
	 * temporary directory removed by gws_source_free when neither is usable. */
	const char *workdir;
} gws_source_options;

#define GWS_SOURCE_OPTIONS_INIT                                                                    \
	{                                                                                          \
		NULL, NULL, NULL                                                                   \
	}

/*
 * Opens the source: clones or fetches a remote, resolves the ref and checks
 * it out detached. Errors: GWS_EINVALID (bad --repo), GWS_ENOTFOUND (unknown
 * ref), GWS_ENETWORK / GWS_EAUTH (remote unreachable or refused), GWS_EIO.
 * Messages never contain credentials.
 */
int gws_source_open(gws_source **out, const gws_source_options *opts) GWS_WARN_UNUSED;
/* The directory to read manifests from (the repository root). */
const char *gws_source_path(const gws_source *src);
/* The 40-hex commit checked out, or NULL for a plain folder. */
const char *gws_source_commit(const gws_source *src);
/* The ref as resolved ("main", "v1", a commit id), or NULL for a plain folder. */
const char *gws_source_ref(const gws_source *src);
void gws_source_free(gws_source *src);

/* True when `repo` is a URL (scheme:// or user@host:path), not a local path. */
bool gws_source_is_url(const char *repo);
/* Copies `text` into `out` with every URL's user:password@ part removed. */
int gws_source_redact(gws_buf *out, const char *text) GWS_WARN_UNUSED;

#endif
