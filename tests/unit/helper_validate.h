/*
 * Helpers for the validation rule tests: load one YAML text through the real
 * loader and compare the exact diagnostic lines it produces.
 */
#ifndef GWSYNC_TEST_HELPER_VALIDATE_H
#define GWSYNC_TEST_HELPER_VALIDATE_H

/* One rule case: `yaml` loads with exactly the `expected` lines ("" for none). */
typedef struct {
	const char *yaml;
	const char *expected; /* diagnostic lines joined by '\n', no trailing newline */
} gwst_vcase;

/*
 * Writes `yaml` as m.yaml into a fresh directory under $GWSYNC_SCRATCH, loads
 * it with gws_manifest_load and returns its sorted, formatted diagnostics
 * joined by '\n' (malloc'd; NULL on an operational failure).
 */
char *gwst_validate_yaml(const char *yaml);

/* cmocka test body: *state is a gwst_vcase. */
void gwst_vcase_run(void **state);

/* A named cmocka test over a static gwst_vcase. */
#define GWST_VCASE(name, vcase)                                                                    \
	{                                                                                          \
#name, gwst_vcase_run, NULL, NULL, (void *)&(vcase)                                \
	}

#endif
