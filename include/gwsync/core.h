/*
 * gwsync core: errors, allocation, capped buffers, arenas, vectors,
 * diagnostics, logging and hashing. Every other module builds on these.
 *
 * Conventions used across gwsync (see README "For developers"):
 *  - functions return 0 on success or a negative GWS_E* code, and leave a
 *    one-line message in the thread's last-error slot (gws_error_last);
 *  - `T **out` parameters hand ownership to the caller, who frees with
 *    gws_T_free (which accepts NULL);
 *  - caller-allocated structs use _init/_dispose;
 *  - everything read from outside goes through a gws_buf with a cap.
 */
#ifndef GWSYNC_CORE_H
#define GWSYNC_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define GWS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define GWS_WARN_UNUSED       __attribute__((warn_unused_result))
#else
#define GWS_PRINTF(fmt, args)
#define GWS_WARN_UNUSED
#endif

#define GWS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors ------------------------------------------------------------ */

enum {
	GWS_OK = 0,
	GWS_ERROR = -1,             /* generic failure */
	GWS_ENOMEM = -2,            /* allocation failed */
	GWS_ENOTFOUND = -3,         /* object or file not found */
	GWS_EINVALID = -4,          /* invalid argument, input or configuration */
	GWS_ETOOBIG = -5,           /* a cap on outside input was exceeded */
	GWS_ECONFLICT = -6,         /* object exists with other settings */
	GWS_ETHROTTLED = -7,        /* remote side throttled us */
	GWS_EAUTH = -8,             /* authentication or authorization failed */
	GWS_ETIMEOUT = -9,          /* deadline exceeded */
	GWS_EUNKNOWN_OUTCOME = -10, /* a write was sent; whether it happened is unknown */
	GWS_EIO = -11,              /* local I/O failed */
	GWS_ELOCKED = -12,          /* another run holds the lock */
	GWS_ENETWORK = -13,         /* transport failed before a response */
	GWS_EREMOTE = -14,          /* the remote service answered with an error */
};

/* Set the thread's last error; returns `code` so callers can `return gws_error_set(...)`.
 * Messages are one line, without a trailing period or newline. */
int gws_error_set(int code, const char *fmt, ...) GWS_PRINTF(2, 3);
int gws_error_setv(int code, const char *fmt, va_list ap) GWS_PRINTF(2, 0);
/* Set the last error from errno, as "<what>: <strerror>". */
int gws_error_set_errno(int code, const char *what);
/* The thread's last error message, "" when none. Never NULL. */
const char *gws_error_last(void);
/* The code given with the last error, GWS_OK when none. */
int gws_error_last_code(void);
void gws_error_clear(void);
/* A short name for a code ("ENOTFOUND"), for logs and tests. */
const char *gws_error_name(int code);

/* ---- allocation -------------------------------------------------------- */

/* All gwsync allocation goes through these so tests can inject failures.
 * On failure they set GWS_ENOMEM and return NULL. */
void *gws_malloc(size_t size);
void *gws_calloc(size_t nmemb, size_t size);
void *gws_realloc(void *ptr, size_t size);
/* realloc for arrays: fails instead of overflowing nmemb * size. */
void *gws_reallocarray(void *ptr, size_t nmemb, size_t size);
char *gws_strdup(const char *s);
char *gws_strndup(const char *s, size_t n);
char *gws_asprintf(const char *fmt, ...) GWS_PRINTF(1, 2);
void gws_free(void *ptr);

/* Test hook: the n-th allocation from now fails (0 = the next one);
 * negative disables. Returns the number of allocations since the last call. */
long gws_alloc_fail_at(long n);

/* ---- capped buffers ---------------------------------------------------- */

/* Named caps for outside input. */
#define GWS_CAP_YAML_FILE     (16u * 1024 * 1024)  /* default per-manifest-file cap */
#define GWS_CAP_HTTP_RESPONSE (64u * 1024 * 1024)  /* one AWS/HTTP response body */
#define GWS_CAP_HTTP_REQUEST  (8u * 1024 * 1024)   /* one request body we build */
#define GWS_CAP_LINE          (64u * 1024)         /* one formatted line or message */
#define GWS_CAP_DOCUMENT      (256u * 1024 * 1024) /* rendered output documents */

/*
 * A growable byte buffer with a required maximum. A failed append (cap
 * exceeded or out of memory) disposes the buffer, sets the last error and
 * returns GWS_ETOOBIG or GWS_ENOMEM. The content is always NUL-terminated
 * after a successful append.
 */
typedef struct {
	char *ptr;
	size_t size;  /* bytes used, excluding the terminating NUL */
	size_t asize; /* bytes allocated */
	size_t max;   /* cap on size */
} gws_buf;

#define GWS_BUF_INIT(cap)                                                                          \
	{                                                                                          \
		NULL, 0, 0, (cap)                                                                  \
	}

void gws_buf_init(gws_buf *buf, size_t max);
int gws_buf_put(gws_buf *buf, const void *data, size_t len) GWS_WARN_UNUSED;
int gws_buf_puts(gws_buf *buf, const char *str) GWS_WARN_UNUSED;
int gws_buf_putc(gws_buf *buf, char c) GWS_WARN_UNUSED;
int gws_buf_printf(gws_buf *buf, const char *fmt, ...) GWS_PRINTF(2, 3) GWS_WARN_UNUSED;
int gws_buf_vprintf(gws_buf *buf, const char *fmt, va_list ap) GWS_PRINTF(2, 0) GWS_WARN_UNUSED;
/* The content as a C string; "" for an empty buffer. Borrowed. */
const char *gws_buf_cstr(const gws_buf *buf);
/* Keep the allocation, drop the content. */
void gws_buf_clear(gws_buf *buf);
/* Hand the content to the caller (never NULL on success: an empty buffer
 * yields ""), leaving the buffer empty. Returns NULL only on ENOMEM. */
char *gws_buf_take(gws_buf *buf, size_t *len);
void gws_buf_dispose(gws_buf *buf);

/* Read a whole file into `buf` (capped by buf->max). GWS_ETOOBIG when larger. */
int gws_buf_read_file(gws_buf *buf, const char *path) GWS_WARN_UNUSED;
/* The same from an open descriptor (left open); `name` is for error messages. */
int gws_buf_read_fd(gws_buf *buf, int fd, const char *name) GWS_WARN_UNUSED;

/* ---- arenas ------------------------------------------------------------ */

/*
 * An arena hands out zeroed, max-aligned memory that is freed all at once.
 * The model and other build-once, read-only structures live in arenas.
 * With -DGWSYNC_DEBUG_POOL=ON every allocation is its own malloc so
 * sanitizers and valgrind see overruns.
 */
typedef struct gws_arena gws_arena;

int gws_arena_new(gws_arena **out);
void gws_arena_free(gws_arena *arena);
void *gws_arena_alloc(gws_arena *arena, size_t size);
/* Array allocation that fails instead of overflowing. */
void *gws_arena_calloc(gws_arena *arena, size_t nmemb, size_t size);
char *gws_arena_strdup(gws_arena *arena, const char *s);
char *gws_arena_strndup(gws_arena *arena, const char *s, size_t n);
char *gws_arena_printf(gws_arena *arena, const char *fmt, ...) GWS_PRINTF(2, 3);
/* Bytes handed out so far (for benchmarks). */
size_t gws_arena_used(const gws_arena *arena);

/* ---- pointer vectors --------------------------------------------------- */

typedef struct {
	void **items;
	size_t len;
	size_t cap;
} gws_vec;

#define GWS_VEC_INIT                                                                               \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void gws_vec_init(gws_vec *vec);
int gws_vec_push(gws_vec *vec, void *item) GWS_WARN_UNUSED;
/* A stable sort (merge sort): equal items keep their insertion order. */
int gws_vec_sort(gws_vec *vec, int (*cmp)(const void *a, const void *b)) GWS_WARN_UNUSED;
/* qsort for arrays that may be empty: n < 2 touches nothing, so base may be
 * NULL (qsort itself must never be given NULL, even with n == 0). */
void gws_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *a, const void *b));
/* Frees the array, not the items. */
void gws_vec_dispose(gws_vec *vec);

/* ---- diagnostics (user-facing manifest and model problems) ------------- */

typedef enum {
	GWS_DIAG_ERROR = 0,
	GWS_DIAG_WARNING = 1,
} gws_diag_severity;

typedef struct {
	gws_diag_severity severity;
	char *file;      /* path relative to the repository root, or NULL */
	unsigned line;   /* 1-based, 0 = unknown */
	unsigned column; /* 1-based, 0 = unknown */
	char *object;    /* "Kind namespace/name", "Kind name" (cluster-scoped) or NULL */
	char *field;     /* "spec.listeners[0].port" or NULL */
	char *message;
} gws_diag;

/* The most diagnostics one list keeps; beyond it one final error says so. */
#define GWS_DIAG_MAX 10000

typedef struct {
	gws_diag *items;
	size_t count;
	size_t cap;
	size_t errors;
	size_t warnings;
	size_t dropped; /* not kept because of GWS_DIAG_MAX */
} gws_diag_list;

void gws_diag_list_init(gws_diag_list *list);
void gws_diag_list_dispose(gws_diag_list *list);
/* Adds a diagnostic; copies every string. Any string may be NULL. */
int gws_diag_add(gws_diag_list *list, gws_diag_severity sev, const char *file, unsigned line,
                 unsigned column, const char *object, const char *field, const char *fmt, ...)
        GWS_PRINTF(8, 9);
/* Sorts by file, line, column, severity, object, field, message; removes exact duplicates. */
void gws_diag_list_sort(gws_diag_list *list);
/*
 * Errors:   "file:line:col: Kind namespace/name: field.path: message"
 * Warnings: "file:line:col: warning: Kind namespace/name: field.path: message"
 * A part that is absent is left out with its separator (no file: no
 * "file:line:col: "; line 0: just "file: "; column 0: "file:line: ").
 * Every part is escaped with gws_escape: a file or object name cannot
 * break the line.
 */
int gws_diag_format(gws_buf *out, const gws_diag *diag) GWS_WARN_UNUSED;

/* Moves every diagnostic of `from` to the end of `to`, exactly as if added
 * there in order (GWS_DIAG_MAX and the counts included); `from` keeps only
 * what was dropped. Used to merge per-thread lists in a fixed order. */
int gws_diag_list_move(gws_diag_list *to, gws_diag_list *from) GWS_WARN_UNUSED;

/* ---- threads ----------------------------------------------------------- */

/* More threads than this gain little: what follows a parallel phase is sequential. */
#define GWS_THREADS_MAX 8

/* Runs one task; `worker` (0 = the calling thread) indexes per-worker state. */
typedef void (*gws_task_fn)(void *payload, size_t worker, size_t task);
/* GWSYNC_THREADS=N (capped at GWS_THREADS_MAX), or 0 when unset or invalid. */
size_t gws_threads_requested(void);
/* Workers worth starting for n tasks: GWSYNC_THREADS or the online CPUs,
 * capped, never more than the tasks; 1 means run sequentially. */
size_t gws_threads_count(size_t n_tasks);
/* Runs fn for every task 0..n_tasks-1 on n_workers threads (this one
 * included); returns when all are done. Tasks touch only their own results
 * and their worker's state; callers merge results in task order, so nothing
 * depends on which thread ran what. */
void gws_threads_run(size_t n_workers, size_t n_tasks, gws_task_fn fn, void *payload);

/* ---- logging ----------------------------------------------------------- */

typedef enum {
	GWS_LOG_ERROR = 0,
	GWS_LOG_WARN = 1,
	GWS_LOG_INFO = 2,
	GWS_LOG_DEBUG = 3,
	GWS_LOG_TRACE = 4,
} gws_log_level;

typedef enum {
	GWS_LOG_TEXT = 0,
	GWS_LOG_JSON = 1, /* one JSON object per line */
} gws_log_format;

/* Defaults: INFO, text, stderr. `out` NULL means stderr. */
void gws_log_configure(gws_log_level level, gws_log_format format, FILE *out);
bool gws_log_enabled(gws_log_level level);
/* The run's id: every JSON line carries it as "run_id" from now on (text
 * lines do not; the run logs it once). NULL clears it. At most 32 bytes. */
void gws_log_set_run_id(const char *run_id);
/* The shard of a sharded run ("1-of-4"): every JSON line carries it as "shard"
 * from now on. NULL clears it. At most 32 bytes. */
void gws_log_set_shard(const char *shard);
/* component: "aws", "manifest", ...; message: one line. */
void gws_log(gws_log_level level, const char *component, const char *fmt, ...) GWS_PRINTF(3, 4);
/*
 * Structured record: `kv` is a NULL-terminated list of key, value strings
 * (values may be NULL, printed as null). Text: `level component: msg k=v ...`.
 */
void gws_log_fields(gws_log_level level, const char *component, const char *msg,
                    const char *const *kv);

/*
 * Secrets: every string registered here is replaced by "****" in every line
 * gwsync prints or logs, whatever the call site printed. A second line of
 * defence; code must still never print secrets. Register a secret where it
 * enters the process (read from a file, the environment, a flag or a
 * reply). Strings shorter than 4 bytes are ignored.
 */
int gws_secret_register(const char *secret);
void gws_secret_forget_all(void);
/* Replace every registered secret in `buf` in place (used by log and report writers). */
int gws_secret_scrub(gws_buf *buf) GWS_WARN_UNUSED;
/* Whether any secret is registered (a document need not be scrubbed otherwise). */
bool gws_secret_any(void);

/* ---- printing: the one way out ----------------------------------------- */

/*
 * Appends `len` bytes of `s` to `out` with every character that could
 * change how a terminal, a log reader or a CI runner sees the line shown
 * escaped: C0 controls (\n \r \t \b \f by name, others \u00XX), DEL and
 * the C1 controls (\u007f, \u0080..\u009f), and each byte that is not
 * part of valid UTF-8 (\xHH). Everything else, backslashes included, is
 * copied unchanged, so escaping escaped text changes nothing. The escapes of
 * controls are also valid JSON escapes.
 */
int gws_escape(gws_buf *out, const char *s, size_t len) GWS_WARN_UNUSED;
/* Whether gws_escape would change `len` bytes of `s`. */
bool gws_needs_escape(const char *s, size_t len);

/*
 * The userinfo of the URL (or scp-like user:password@host:path) at the
 * start of `url`: the bytes from *off, *n long, before its '@'. The rule
 * does not trust the URL to be well formed: after "scheme://" the userinfo
 * runs to the last '@' on the line that is followed by a host name, so an
 * unencoded '/', space or quote in a password stays inside it.
 */
bool gws_url_userinfo(const char *url, size_t len, size_t *off, size_t *n);
/* Appends `len` bytes of `text` with the userinfo of every URL in it
 * dropped (the rule of gws_url_userinfo; scp-like ones only with a password). */
int gws_url_redact(gws_buf *out, const char *text, size_t len) GWS_WARN_UNUSED;

/* Appends `text` with URL userinfo dropped and registered secrets replaced. */
int gws_redact(gws_buf *out, const char *text, size_t len) GWS_WARN_UNUSED;
/* gws_redact, then gws_escape: `text` as gwsync may show it. */
int gws_sanitize(gws_buf *out, const char *text, size_t len) GWS_WARN_UNUSED;

/*
 * Every line gwsync writes goes through these (logs go through the same
 * gws_redact and gws_escape): formatted, sanitized, one newline added.
 * GWS_EIO when the stream fails.
 */
int gws_print(FILE *out, const char *fmt, ...) GWS_PRINTF(2, 3);
int gws_vprint(FILE *out, const char *fmt, va_list ap) GWS_PRINTF(2, 0);
/* Prints `len` bytes of text holding several '\n'-separated lines, each as gws_print does. */
int gws_print_lines(FILE *out, const char *text, size_t len);
/* A whole document (JSON, YAML: formats that escape on their own terms):
 * registered secrets are replaced in `doc` in place, nothing else changes. */
int gws_print_document(FILE *out, gws_buf *doc);

/* ---- hashing and encoding ---------------------------------------------- */

#define GWS_SHA256_LEN 32

void gws_sha256(const void *data, size_t len, unsigned char out[GWS_SHA256_LEN]);
void gws_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                     unsigned char out[GWS_SHA256_LEN]);
/* Lower-case hex of `len` bytes into out (2*len+1 bytes). */
void gws_hex_encode(char *out, const unsigned char *in, size_t len);

/* ---- small string helpers ---------------------------------------------- */

bool gws_str_startswith(const char *s, const char *prefix);
bool gws_str_endswith(const char *s, const char *suffix);
/* strcmp that orders NULL before every string. */
int gws_strcmp_null(const char *a, const char *b);
/* Parse a whole decimal string into [min, max]; GWS_EINVALID otherwise. */
int gws_parse_long(long *out, const char *s, long min, long max);
/* Parse "30s", "5m", "1h30m", "250ms" or plain seconds into milliseconds. */
int gws_parse_duration_ms(long long *out, const char *s);

/* ---- version ----------------------------------------------------------- */

const char *gws_version(void);    /* "0.1.0" */
const char *gws_git_commit(void); /* commit the binary was built from, or "unknown" */

#endif
