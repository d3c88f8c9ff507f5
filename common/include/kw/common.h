/*
 * kw/common.h -- what every kowatch module shares: the error enum,
 * allocation (with failure injection for tests), string views, growable
 * buffers with sticky errors, arenas, logging and small parsing helpers.
 *
 * Thread safety: everything here is safe to call from several threads
 * except kw_log_set_sink() and kw_alloc_fail_at(), which are set up once
 * before threads start.
 */
#ifndef KW_COMMON_H
#define KW_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define KW_NODISCARD __attribute__((warn_unused_result))
#define KW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define KW_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#define KW_API __attribute__((visibility("default")))
#else
#define KW_NODISCARD
#define KW_PRINTF(f, a)
#define KW_NONNULL(...)
#define KW_API
#endif

/* Error codes.  Append only: values are stored and printed. */
typedef enum kw_err {
    KW_OK = 0,
    KW_ENOMEM,    /* out of memory */
    KW_EINVAL,    /* invalid argument or input */
    KW_ETOOBIG,   /* input exceeds a named limit */
    KW_EPARSE,    /* malformed bytes from the network or disk */
    KW_EIO,       /* file or system I/O failed */
    KW_ENET,      /* network failure (DNS, connect, timeout) */
    KW_EHTTP,     /* HTTP error status */
    KW_EDENIED,   /* forbidden: robots.txt, scheme, permission */
    KW_EDB,       /* database failure; see kw_store_errmsg() */
    KW_EDONE,     /* stop iteration early; callers turn it into KW_OK */
    KW_EEXIST,    /* object already exists */
    KW_ENOTFOUND, /* object does not exist */
    KW_EVERSION,  /* data written by a newer kowatch */
} kw_err;

/* A short English description of @e; never NULL. */
KW_API const char *kw_strerror(kw_err e);

/* ---- Allocation ----------------------------------------------------------
 * All allocation in kowatch goes through these.  kw_free(NULL) is a no-op.
 * kw_alloc_fail_at(n) makes the n-th allocation from now fail (n >= 1);
 * 0 disables.  Tests loop n over 1..N to check every failure path. */
KW_API void *kw_malloc(size_t n);
KW_API void *kw_calloc(size_t count, size_t size);
KW_API void *kw_realloc(void *p, size_t n);
KW_API void kw_free(void *p);
KW_API char *kw_strdup(const char *s);           /* NULL in, NULL out */
KW_API char *kw_strndup(const char *s, size_t n); /* copies n bytes + NUL */
KW_API void kw_alloc_fail_at(long n);
KW_API long kw_alloc_count(void); /* allocations made so far */

/* ---- String view --------------------------------------------------------- */
typedef struct kw_str {
    const char *p; /* not NUL-terminated in general */
    size_t n;      /* length in bytes */
} kw_str;

#define KW_STR(lit) ((kw_str){(lit), sizeof(lit) - 1})

/* ---- Growable buffer -----------------------------------------------------
 * Always NUL-terminated once anything was added.  The first failure is
 * sticky in .err and later calls do nothing, so check once at the end. */
typedef struct kw_buf {
    char *p;    /* contents, NUL-terminated; NULL until the first add */
    size_t n;   /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on n; KW_ETOOBIG past it */
    kw_err err; /* first failure, sticky */
} kw_buf;

/* Named limits for buffers filled from the network. */
#define KW_MAX_URL ((size_t)8192)
#define KW_MAX_HEADER ((size_t)65536)
#define KW_MAX_ROBOTS ((size_t)512 * 1024)
#define KW_MAX_BODY ((size_t)10 * 1024 * 1024)
#define KW_MAX_SITEMAP ((size_t)50 * 1024 * 1024)
#define KW_MAX_TEXT ((size_t)64 * 1024 * 1024)

KW_API void kw_buf_init(kw_buf *b, size_t max); /* cannot fail; lazy */
KW_API void kw_buf_deinit(kw_buf *b);           /* frees; b is reusable */
KW_API void kw_buf_reset(kw_buf *b);            /* empties, keeps memory */
KW_API void kw_buf_add(kw_buf *b, const void *p, size_t n);
KW_API void kw_buf_adds(kw_buf *b, const char *s);
KW_API void kw_buf_addc(kw_buf *b, char c);
KW_API void kw_buf_addf(kw_buf *b, const char *fmt, ...) KW_PRINTF(2, 3);
KW_API void kw_buf_vaddf(kw_buf *b, const char *fmt, va_list ap)
    KW_PRINTF(2, 0);
/* Returns the contents (owned: caller frees with kw_free) and leaves b
 * empty.  Returns NULL if b.err is set; returns "" if nothing was added. */
KW_API char *kw_buf_steal(kw_buf *b);

/* ---- Arena ---------------------------------------------------------------
 * Bump allocator for everything parsed from one page; freed in one step. */
typedef struct kw_arena kw_arena;

KW_API kw_arena *kw_arena_new(void);      /* NULL on ENOMEM */
KW_API void kw_arena_free(kw_arena *a);   /* accepts NULL */
KW_API void *kw_arena_alloc(kw_arena *a, size_t n); /* zeroed, aligned */
KW_API char *kw_arena_strndup(kw_arena *a, const char *s, size_t n);
KW_API char *kw_arena_strdup(kw_arena *a, const char *s);
KW_API char *kw_arena_printf(kw_arena *a, const char *fmt, ...)
    KW_PRINTF(2, 3);

/* ---- Logging -------------------------------------------------------------
 * Libraries never write to stdout or stderr: they call kw_log(), which
 * goes to the sink that cli/ installs.  Messages never contain bodies or
 * credentials. */
typedef enum kw_log_level {
    KW_LOG_ERROR = 0,
    KW_LOG_WARN,
    KW_LOG_INFO,
    KW_LOG_DEBUG,
    KW_LOG_TRACE,
} kw_log_level;

typedef void (*kw_log_sink)(kw_log_level level, const char *module,
                            const char *msg, void *ud);

/* Installs @sink (NULL: discard everything) and the most verbose level
 * that is passed to it. */
KW_API void kw_log_set_sink(kw_log_sink sink, void *ud, kw_log_level max);
KW_API kw_log_level kw_log_level_max(void);
KW_API void kw_log(kw_log_level level, const char *module, const char *fmt,
                   ...) KW_PRINTF(3, 4);
KW_API const char *kw_log_level_name(kw_log_level level);

/* ---- Small helpers ------------------------------------------------------- */

/* Parses a decimal unsigned integer filling exactly p[0..n). */
KW_API kw_err kw_parse_u64(const char *p, size_t n, uint64_t *out);

/* Parses a duration such as "90", "90s", "10m", "2h", "1d" into seconds;
 * it must be positive. */
KW_API kw_err kw_parse_duration(const char *s, int64_t *out);

/* Seconds since the epoch, wall clock, and milliseconds, monotonic. */
KW_API int64_t kw_now(void);
KW_API int64_t kw_mono_ms(void);

/* Formats @t (seconds since the epoch) as ISO 8601 at the UTC offset
 * @offset_min, e.g. "2026-01-15T18:47:00+09:00".  @out has >= 32 bytes. */
#define KW_KST_OFFSET_MIN 540
KW_API void kw_time_iso(int64_t t, int offset_min, char out[32]);

/* True if p[0..n) is well-formed UTF-8. */
KW_API int kw_utf8_valid(const char *p, size_t n);

/* Reads a whole file (at most @max bytes; KW_ETOOBIG past it).  *out is
 * owned and NUL-terminated; *n excludes the NUL. */
KW_API kw_err kw_read_file(const char *path, size_t max, char **out,
                           size_t *n);

#ifdef __cplusplus
}
#endif
#endif /* KW_COMMON_H */
