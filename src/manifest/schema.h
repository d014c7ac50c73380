/*
 * Field tables that drive the converter (convert.c): one gws_mf_type per
 * struct of gwsync/manifest.h, naming each JSON field, its shape and where
 * it lands in the C struct.
 */
#ifndef GWSYNC_MANIFEST_SCHEMA_H
#define GWSYNC_MANIFEST_SCHEMA_H

#include <stddef.h>

#include "manifest/internal.h"

typedef enum {
	GWS_MF_FT_STR,     /* const char * */
	GWS_MF_FT_INT,     /* gws_mf_int */
	GWS_MF_FT_BOOL,    /* gws_mf_bool */
	GWS_MF_FT_INTSTR,  /* gws_mf_int_or_string */
	GWS_MF_FT_OBJ,     /* pointer to a `sub` struct allocated in the arena */
	GWS_MF_FT_NESTED,  /* a mapping whose fields land at base + off (embedded or flattened) */
	GWS_MF_FT_ARR_OBJ, /* array of `sub` structs + count */
	GWS_MF_FT_ARR_STR, /* const char ** + count */
	GWS_MF_FT_ARR_INT, /* int64_t * + count */
	GWS_MF_FT_MAP_STR, /* gws_mf_kv * + count */
	GWS_MF_FT_MAP_STRLIST, /* gws_mf_kvlist * + count */
	GWS_MF_FT_IGNORE,      /* part of the schema, not read by gwsync */
} gws_mf_field_type;

#define GWS_MF_NO_HAS ((size_t)-1)

typedef struct {
	const char *name; /* JSON name */
	size_t name_len;
	gws_mf_field_type type;
	size_t off;     /* value, pointer, or items */
	size_t off_n;   /* count, for arrays and maps */
	size_t off_has; /* bool set when the field is written, or GWS_MF_NO_HAS */
	const gws_mf_type *sub;
} gws_mf_field;

struct gws_mf_type {
	size_t size; /* of the C struct (0 for flattened field groups) */
	const gws_mf_field *fields;
	size_t n_fields;
	bool open; /* unknown fields are ignored silently (core kinds with many unused fields) */
};

/* Helpers convert.c shares with object.c. */
/* A copy of s[0..len) (no NUL inside) in the store: shared when short. NULL, ctx->oom set, on
 * ENOMEM. */
const char *gws_mf__keep_str(gws_mf_ctx *ctx, const char *s, size_t len);
bool gws_mf__get_string(gws_mf_ctx *ctx, const gws_mf_node *at, const gws_mf_node *v,
                        const char **out);
size_t gws_mf__path_push(gws_mf_ctx *ctx, const char *key);
void gws_mf__path_pop(gws_mf_ctx *ctx, size_t saved);
void gws_mf__diag(gws_mf_ctx *ctx, gws_diag_severity sev, const gws_mf_node *at, const char *msg);

#endif
