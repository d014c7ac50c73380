/*
 * Private to the manifest module: the YAML node tree, the store layout and
 * the schema-driven converter shared by the loader's files.
 */
#ifndef GWSYNC_MANIFEST_INTERNAL_H
#define GWSYNC_MANIFEST_INTERNAL_H

#include <sys/types.h>

#include "gwsync/manifest.h"

/* ---- budgets for hostile input ---- */

/*
 * Nodes one document may expand to, counting every alias at its full size.
 * Aliases are never copied, so memory is bounded by the real nodes (at most
 * this many per document); the budget bounds the work of walking them.
 * Large enough for a CustomResourceDefinition document kept in the repo.
 */
#define GWS_MF_NODE_BUDGET 1000000
/* Deepest nesting of sequences and mappings in one document. */
#define GWS_MF_MAX_DEPTH 64
/* Longest field path kept for diagnostics. */
#define GWS_MF_PATH_MAX 1024
/* Deepest directory nesting walked below root/path (deeper is an error). */
#define GWS_MF_MAX_DIR_DEPTH 64
/* Longest metadata.name and metadata.namespace Kubernetes accepts for any kind. */
#define GWS_MF_NAME_MAX      253
#define GWS_MF_NAMESPACE_MAX 63

/* ---- node pool: bump allocation with mark/release (pool.c) ---- */

typedef struct gws_mf_pool_chunk gws_mf_pool_chunk;
typedef struct {
	gws_mf_pool_chunk *head;
	size_t bytes; /* held in chunks now */
	size_t peak;  /* the most `bytes` ever was */
} gws_mf_pool;
typedef struct {
	gws_mf_pool_chunk *chunk;
	size_t used;
} gws_mf_pool_mark;

void gws_mf__pool_init(gws_mf_pool *pool);
void gws_mf__pool_dispose(gws_mf_pool *pool);
/* Zeroed, pointer-aligned; NULL on ENOMEM. */
void *gws_mf__pool_alloc(gws_mf_pool *pool, size_t size);
/* Copies exactly `len` bytes (NULs included) and terminates. */
char *gws_mf__pool_strndup(gws_mf_pool *pool, const char *s, size_t len);
gws_mf_pool_mark gws_mf__pool_mark(const gws_mf_pool *pool);
/* Frees everything allocated after `mark` (an empty pool keeps one chunk for the next document). */
void gws_mf__pool_release(gws_mf_pool *pool, gws_mf_pool_mark mark);

/* ---- interned strings (intern.c) ---- */

/* One string of an intern table, by id: interned ones and those added with _intern_add. */
typedef struct {
	const char *str; /* NUL-terminated, `len` bytes before the NUL (which may include NULs) */
	uint32_t len;
} gws_mf_string;

typedef struct {
	uint32_t *slots;     /* id + 1 of each hashed entry, 0 when free */
	gws_mf_string *strs; /* by id */
	size_t len, cap;     /* ids handed out */
	size_t hashed;       /* entries in slots */
	gws_arena *arena;    /* owns the strings */
} gws_mf_intern;

void gws_mf__intern_init(gws_mf_intern *in, gws_arena *arena);
void gws_mf__intern_dispose(gws_mf_intern *in);
/*
 * The shared copy of s[0..len) and its id in *id (may be NULL), or NULL when
 * not interned (too long, holds a NUL, table full, ENOMEM).
 */
const char *gws_mf__intern(gws_mf_intern *in, const char *s, size_t len, uint32_t *id);
/* A new id for a copy of s[0..len) that is not shared (any bytes). < 0 on ENOMEM. */
int gws_mf__intern_add(gws_mf_intern *in, const char *s, size_t len, uint32_t *id);

/* ---- node tree (pool-allocated, positions 1-based) ---- */

typedef enum {
	GWS_MF_NODE_SCALAR = 0,
	GWS_MF_NODE_SEQUENCE = 1,
	GWS_MF_NODE_MAPPING = 2,
} gws_mf_node_type;

/* What a scalar resolves to (YAML 1.2 core schema, as JSON would see it). */
typedef enum {
	GWS_MF_SCALAR_STRING = 0,
	GWS_MF_SCALAR_NULL,
	GWS_MF_SCALAR_BOOL,
	GWS_MF_SCALAR_INT,
	GWS_MF_SCALAR_FLOAT,
} gws_mf_scalar_kind;

typedef struct gws_mf_node gws_mf_node;
struct gws_mf_node {
	unsigned char type;        /* gws_mf_node_type */
	unsigned char scalar_kind; /* gws_mf_scalar_kind, scalars only */
	unsigned char flags;       /* GWS_MF_NODE_* below */
	unsigned char height;      /* 0 for a scalar, 1 + the tallest child for a container */
	uint32_t line;
	uint32_t column;
	union {
		uint32_t len; /* scalar: bytes in str */
		uint32_t n;   /* sequence: items; mapping: pairs, stored key, value, ... */
	};
	union {
		const char *str;     /* scalar value, NUL-terminated */
		gws_mf_node **items; /* container children */
	};
	/* for the position index (pos.c); a node tree lives only while its document converts */
	uint32_t key_id; /* id in the store's keys when GWS_MF_NODE_INTERNED */
	uint32_t pos;    /* offset + 1 of the node's entry, 0 until written */
};

#define GWS_MF_NODE_HAS_NUL  0x01 /* the scalar holds a NUL byte */
#define GWS_MF_NODE_PLAIN    0x02 /* unquoted, untagged scalar */
#define GWS_MF_NODE_INTERNED 0x04 /* str is the keys table's copy, key_id its id */

typedef struct {
	gws_mf_node *root; /* NULL for an empty document */
	unsigned index;    /* 0-based in the file */
} gws_mf_document;

/*
 * Parses `len` bytes of YAML into documents whose nodes live in `pool`.
 * Problems go to `diags` with file `file`; documents that failed are left
 * out. Calls `fn` for every complete document in order, then releases the
 * document's nodes: only one document's tree is ever held, so memory does
 * not grow with the repository (whatever `fn` keeps, it copies). A negative
 * return from `fn` aborts. Returns < 0 only on operational failure (ENOMEM).
 */
typedef int (*gws_mf_document_fn)(const gws_mf_document *doc, void *payload);
int gws_mf__parse_yaml(gws_mf_pool *pool, gws_mf_intern *keys, const char *file, const char *data,
                       size_t len, gws_diag_list *diags, gws_mf_document_fn fn, void *payload);

/*
 * Checks UTF-8 and rejects control characters other than TAB, LF and CR.
 * Returns true when clean; otherwise fills the 1-based position (columns
 * count characters) and a message.
 */
bool gws_mf__check_text(const char *data, size_t len, unsigned *line, unsigned *column, char *msg,
                        size_t msgsize);

/* The value of `key` in a mapping node, NULL when absent; *keynode gets the key if not NULL. */
const gws_mf_node *gws_mf__map_get(const gws_mf_node *map, const char *key,
                                   const gws_mf_node **keynode);

/* "a string", "an integer", "a list", ... for type errors. */
const char *gws_mf__node_describe(const gws_mf_node *node);

/* ---- position index (pos.c) ---- */

/*
 * What is left of a document once it is converted: for every node, its type,
 * whether it is null, its mapping key (an id in `keys`) and the 1-based line
 * and column a diagnostic names, as a compact byte stream. Objects point at
 * their root entry (gws_manifest_object.node_ and .pos_).
 */
typedef struct {
	const gws_mf_intern *keys;
	size_t len;
	unsigned char bytes[];
} gws_mf_posdoc;

/*
 * Writes the index of the document under `root` into the store's arena.
 * Every node of the tree gets `pos` (its entry's offset + 1). NULL on ENOMEM.
 */
const gws_mf_posdoc *gws_mf__pos_build(gws_manifest_store *store, const gws_mf_node *root);

/* ---- conversion context ---- */

typedef struct {
	gws_arena *arena;
	gws_mf_intern *values; /* shared copies of short scalar values */
	gws_manifest_store *store;
	const gws_mf_node *doc_root; /* the document being converted */
	const gws_mf_posdoc *posdoc; /* its position index, built for its first object */
	gws_diag_list *diags;
	const char *file;
	const char *ref; /* "Kind ns/name" once known, else NULL */
	char path[GWS_MF_PATH_MAX];
	size_t path_len;
	int oom; /* set when an allocation failed */
} gws_mf_ctx;

/* ---- schema-driven conversion (schema.c) ---- */

typedef struct gws_mf_type gws_mf_type;

/* The spec schema of a kind; NULL for Namespace. */
const gws_mf_type *gws_mf__spec_type(gws_manifest_kind kind);
const gws_mf_type *gws_mf__meta_type(void);

/*
 * Converts mapping `node` into the struct at `out` as described by `type`,
 * adding type errors and unknown-field warnings to ctx->diags. ctx->path is
 * the path of `node`.
 */
void gws_mf__convert(gws_mf_ctx *ctx, const gws_mf_type *type, const gws_mf_node *node, void *out);

/* Applies the CRD defaults to a converted object (defaults.c). */
int gws_mf__apply_defaults(gws_arena *arena, gws_manifest_object *obj);

/* ---- finding the files (walk.c) ---- */

/* "a/b" from "a" and "b"; just b when a is NULL or "". NULL on ENOMEM. */
char *gws_mf__join(const char *a, const char *b);
/* "a directory", "a regular file", "a FIFO", "a device", "a socket", ... */
const char *gws_mf__mode_name(mode_t mode);
/* True when the resolved path `real` is the resolved directory `dir` or below it. */
bool gws_mf__path_under(const char *dir, const char *real);
/*
 * Appends to `files` (owned strings) the path relative to `root` of every
 * manifest file below root/rel; `root_real` and `start_real` are the
 * resolved root and root/rel. Every entry skipped is a diagnostic (walk.c
 * says which are errors). Returns < 0 only when root/rel itself cannot be
 * read, or on ENOMEM.
 */
int gws_mf__walk(gws_vec *files, const char *root, const char *root_real, const char *start_real,
                 const char *rel, gws_diag_list *diags);

/* ---- the store (store.c) ---- */

struct gws_manifest_store {
	gws_arena *arena;       /* objects, their typed specs and position indexes */
	gws_mf_pool nodes;      /* the node tree of the document being converted */
	gws_mf_intern keys;     /* mapping keys shared by every node tree */
	gws_mf_intern values;   /* short scalar values shared by the objects */
	unsigned char *scratch; /* position index being written (pos.c) */
	size_t scratch_cap;
	gws_vec by_kind[GWS_KIND__COUNT]; /* gws_manifest_object *, sorted after load */
	gws_manifest_stats stats;
	gws_vec parts; /* gws_manifest_store *: the loader threads' stores, owning their memory */
};

int gws_mf__store_new(gws_manifest_store **out);

/* Reads, checks, parses and converts one file (load.c). Returns < 0 only on ENOMEM. */
int gws_mf__load_file(gws_manifest_store *store, const char *root, const char *rel, size_t cap,
                      gws_diag_list *diags);

/*
 * Loads files[0..n) in this order, on several threads when the machine has
 * them (parallel.c); the store and the diagnostics end up exactly as after
 * gws_mf__load_file on each in turn.
 */
int gws_mf__load_files(gws_manifest_store *store, const char *root, char *const *files, size_t n,
                       size_t cap, gws_diag_list *diags);
/* Sorts every kind by (namespace, name) and reports duplicates (keeps the first). */
int gws_mf__store_finish(gws_manifest_store *store, gws_diag_list *diags);

/* Builds objects from one document and adds them to the store (object.c).
 * Returns 0, or < 0 on ENOMEM. */
int gws_mf__add_document(gws_manifest_store *store, const char *file, const gws_mf_document *doc,
                         gws_diag_list *diags);

#endif
