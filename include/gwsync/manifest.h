/*
 * gwsync manifest: reads Kubernetes manifests from a directory tree into
 * typed, defaulted and validated objects, each with its source position.
 *
 * OWNERSHIP: the loader owns the typed structs section below (issue 2).
 * Everything after "typed objects" may be reshaped by the manifest module;
 * the entry points at the top are what the CLI and the model call.
 */
#ifndef GWSYNC_MANIFEST_H
#define GWSYNC_MANIFEST_H

#include "gwsync/core.h"

typedef struct gws_manifest_store gws_manifest_store;

typedef struct {
	const char *root; /* repository root directory; paths in diagnostics are relative to it */
	const char *path; /* sub-directory of root to read, NULL for all of it */
	size_t max_file_size; /* per file; 0 means GWS_CAP_YAML_FILE */
} gws_manifest_options;

#define GWS_MANIFEST_OPTIONS_INIT                                                                  \
	{                                                                                          \
		NULL, NULL, 0                                                                      \
	}

/*
 * Loads, defaults and validates every *.yaml / *.yml below root/path.
 * Problems in the manifests are added to `diags` (all of them, not just the
 * first) and do not make this fail: the store then holds what could be read.
 * Returns < 0 only for operational failures (root unreadable, out of memory).
 */
int gws_manifest_load(gws_manifest_store **out, const gws_manifest_options *opts,
                      gws_diag_list *diags);
void gws_manifest_store_free(gws_manifest_store *store);

/* ---- typed objects (owned by the manifest module) ---------------------- */

#endif
