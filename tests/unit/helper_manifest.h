/* Test helpers for manifest tests: scratch repositories and diagnostic lookups. */
#ifndef GWSYNC_TEST_HELPER_MANIFEST_H
#define GWSYNC_TEST_HELPER_MANIFEST_H

#include "gwsync/manifest.h"

/* A new empty directory under $GWSYNC_SCRATCH (or /tmp); free with hm_rmrf + free. */
char *hm_mkroot(void);
/* Writes `len` bytes (strlen when len is (size_t)-1) to root/rel, creating directories. */
void hm_write(const char *root, const char *rel, const char *data, size_t len);
/* Removes a directory tree. */
void hm_rmrf(const char *path);
/* Loads root (max_file_size 0 = default); the diagnostics are sorted. */
int hm_load(const char *root, size_t max_file_size, gws_manifest_store **out, gws_diag_list *diags);
/* The first diagnostic whose formatted line contains `needle`, or NULL. */
const gws_diag *hm_find(const gws_diag_list *diags, const char *needle);
/* The diagnostic formatted as gwsync validate prints it (static buffer). */
const char *hm_format(const gws_diag *d);
/* Prints every diagnostic to stderr (for failing tests). */
void hm_dump(const gws_diag_list *diags);

/*
 * Calls `visit` with the directory of every case under
 * $GWSYNC_SOURCE_DIR/tests/golden; returns how many cases it counted
 * (`visit` returns false for a case with nothing for it to check).
 */
size_t hm_golden_each(bool (*visit)(const char *case_dir, void *ctx), void *ctx);

/* cmocka state for a test that loads one scratch repository. */
typedef struct {
	char *root;
	gws_manifest_store *store;
	gws_diag_list diags;
} hm_fixture;

/* cmocka setup/teardown: a fresh hm_fixture with an empty root. */
int hm_setup(void **state);
int hm_teardown(void **state);

#endif
