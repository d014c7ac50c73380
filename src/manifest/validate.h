/*
 * Validation rules over the typed, defaulted objects (CRD schemas and CEL
 * rules). Called by gws_manifest_load after defaults; owned by the validate
 * module engineer.
 */
#ifndef GWSYNC_MANIFEST_VALIDATE_H
#define GWSYNC_MANIFEST_VALIDATE_H

#include "gwsync/manifest.h"

/* Adds every problem found to `diags`; returns < 0 only on operational failure (ENOMEM). */
int gws_manifest__validate(gws_manifest_store *store, gws_diag_list *diags);

#endif
