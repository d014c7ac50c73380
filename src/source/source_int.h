/* Helpers shared by the source module's files (not public). */
#ifndef GWSYNC_SOURCE_INT_H
#define GWSYNC_SOURCE_INT_H

#include <git2.h>

#include "gwsync/source.h"

/*
 * The one place libgit2 errors become gwsync errors: maps libgit2's return
 * code and error class to a GWS_E* code (authentication: GWS_EAUTH, TLS and
 * transport: GWS_ENETWORK, anything else: `fallback`) and sets the last error
 * to "<what> <url>: <libgit2 message>" with every credential removed.
 */
int gws_source__git_error(int git_rc, int fallback, const char *what, const char *url);

/* The fetch callbacks: credentials from GWSYNC_GIT_TOKEN or ssh-agent only;
 * no certificate callback, so libgit2 always verifies TLS. */
void gws_source__init_callbacks(git_remote_callbacks *cb, int *attempts);

/* mkdir -p with mode 0700 for directories created here. */
int gws_source__mkdirs(const char *path);
/* rm -rf; a missing path is fine. */
int gws_source__remove_tree(const char *path);
/* Picks the cache directory: *temp set when it is a fresh temporary one. */
int gws_source__workdir(char **out, bool *temp, const char *requested);

#endif
