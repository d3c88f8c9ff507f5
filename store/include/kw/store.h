/*
 * kw/store.h -- kowatch's SQLite store: schema and migrations, sources, the
 * crawl frontier, fetch records, articles and their full-text index.
 *
 * One kw_store wraps one connection (WAL, foreign keys, busy timeout).
 * Opening a database migrates an older schema in one transaction; a
 * database written by a newer kowatch (KW_EVERSION) or one that is not a
 * kowatch database or is corrupt (KW_EDB) is refused, and
 * kw_store_errmsg() names the file and says what to do.
 *
 * Strings in rows passed to callbacks are borrowed: valid during the
 * callback only.  A callback that returns non-OK stops the iteration and
 * its value is returned (KW_EDONE becomes KW_OK).
 *
 * Thread safety: a kw_store is used by one thread at a time; open one per
 * thread.  Every statement is prepared; no SQL is built from input.
 */
#ifndef KW_STORE_H
#define KW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kw_store kw_store;

/* Highest schema version this build knows (PRAGMA user_version). */
KW_API int kw_store_schema_version(void);

/* Opens (creating if missing) and migrates @path; ":memory:" works.
 * *out is NULL on failure; the reason is in @err (>= 256 bytes). */
KW_API kw_err kw_store_open(const char *path, char *err, size_t err_n,
                            kw_store **out);
KW_API void kw_store_close(kw_store *st); /* NULL-safe */
/* The last error on @st, with the database file named; never NULL. */
KW_API const char *kw_store_errmsg(kw_store *st);

/* Explicit transactions; they nest by counting (only the outermost
 * BEGIN/COMMIT reach SQLite; a rollback at any depth rolls back all). */
KW_API kw_err kw_store_begin(kw_store *st);
KW_API kw_err kw_store_commit(kw_store *st);
KW_API void kw_store_rollback(kw_store *st);

/* ---- Sources ---------------------------------------------------------- */

typedef enum kw_source_kind {
    KW_SRC_RSS = 1,
    KW_SRC_ATOM,
    KW_SRC_SITEMAP,
    KW_SRC_LIST,
    KW_SRC_PAGE,
} kw_source_kind;

KW_API const char *kw_source_kind_name(kw_source_kind k); /* "rss", ... */
KW_API kw_err kw_source_kind_parse(const char *s, kw_source_kind *out);

typedef struct kw_source {
    int64_t id;                  /* set by the store */
    const char *name;            /* unique */
    const char *url;             /* http or https */
    kw_source_kind kind;
    int64_t every_s;             /* polling interval, seconds */
    const char *link_pattern;    /* list: article links (ERE), or NULL */
    const char *next_pattern;    /* list: further pages (ERE), or NULL */
    int list_depth;              /* list: pages to follow, >= 1 */
    const char *detail_template; /* list: script link -> URL, or NULL */
    const char *charset;         /* forced charset, or NULL */
    /* Health, maintained by the crawler (read-only for source add). */
    int64_t created_at;
    int64_t last_fetch_at;   /* 0: never */
    int64_t last_success_at; /* 0: never */
    int64_t last_error_at;   /* 0: never */
    const char *last_error;  /* NULL if none */
    int64_t error_count;     /* consecutive failures */
    int64_t items_total;     /* new items found over the source's life */
    int64_t next_due_at;     /* next poll (seconds since the epoch) */
} kw_source;

/* Adds @src (id and health fields are ignored).  KW_EEXIST if the name is
 * taken.  *id_out may be NULL. */
KW_API kw_err kw_store_source_add(kw_store *st, const kw_source *src,
                                  int64_t *id_out);
/* Removes a source by name; its URLs and articles stay (their source
 * becomes NULL).  KW_ENOTFOUND if there is none. */
KW_API kw_err kw_store_source_remove(kw_store *st, const char *name);
typedef kw_err (*kw_source_cb)(const kw_source *src, void *ud);
/* Calls @cb for every source, by name. */
KW_API kw_err kw_store_source_each(kw_store *st, kw_source_cb cb, void *ud);
/* Calls @cb once for the source named @name; KW_ENOTFOUND if none. */
KW_API kw_err kw_store_source_get(kw_store *st, const char *name,
                                  kw_source_cb cb, void *ud);
/* Records the outcome of one poll of a source: @error NULL on success.
 * @new_items counts URLs it found that were not known; @next_due_at is
 * when to poll it again. */
KW_API kw_err kw_store_source_polled(kw_store *st, int64_t source_id,
                                     int64_t at, const char *error,
                                     int64_t new_items, int64_t next_due_at);

/* ---- Frontier (urls) -------------------------------------------------- */

typedef enum kw_url_role {
    KW_ROLE_SEED = 1,   /* a source's own URL: feed, sitemap, list, page */
    KW_ROLE_SITEMAP,    /* a child sitemap of a sitemap index */
    KW_ROLE_LIST,       /* a further page of a board list */
    KW_ROLE_ARTICLE,    /* an article or notice detail page */
    KW_ROLE_ATTACHMENT, /* a notice's attachment */
} kw_url_role;

typedef enum kw_url_state {
    KW_URL_NEW = 1, /* never fetched */
    KW_URL_OK,      /* fetched; refetched when next_fetch_at is due */
    KW_URL_RETRY,   /* failed; retried at next_fetch_at */
    KW_URL_FAILED,  /* gave up: permanent error or too many failures */
    KW_URL_DENIED,  /* robots.txt forbids it */
} kw_url_state;

typedef struct kw_url {
    int64_t id;
    int64_t source_id;      /* 0 if the source was removed */
    const char *url;        /* canonical form */
    kw_url_role role;
    int depth;              /* list pages: hops from the seed */
    kw_url_state state;
    int64_t next_fetch_at;  /* 0: now; INT64_MAX: never */
    const char *etag;       /* for If-None-Match, or NULL */
    const char *last_modified; /* for If-Modified-Since, or NULL */
    int failures;           /* consecutive */
    int last_status;        /* HTTP status of the last fetch, 0 if none */
} kw_url;

/* Adds @url to the frontier unless it is known (URLs are unique).
 * *id_out and *is_new may be NULL. */
KW_API kw_err kw_store_url_add(kw_store *st, int64_t source_id,
                               const char *url, kw_url_role role, int depth,
                               int64_t *id_out, int *is_new);
typedef kw_err (*kw_url_cb)(const kw_url *u, void *ud);
/* URLs whose next_fetch_at <= @now and whose state is NEW, OK or RETRY,
 * seeds and list pages first, then by next_fetch_at; at most @limit.
 * @source_id 0 means every source. */
KW_API kw_err kw_store_url_due(kw_store *st, int64_t now, int64_t source_id,
                               size_t limit, kw_url_cb cb, void *ud);
KW_API kw_err kw_store_url_get(kw_store *st, const char *url, kw_url_cb cb,
                               void *ud); /* KW_ENOTFOUND if unknown */
/* Number of URLs due at @now (for progress and `crawl --once`). */
KW_API kw_err kw_store_url_count_due(kw_store *st, int64_t now,
                                     int64_t source_id, int64_t *out);

/* One completed fetch attempt. */
typedef struct kw_fetch {
    int64_t url_id;
    int64_t at;               /* when the request was sent */
    int status;               /* HTTP status, 0 if no response */
    const char *content_type; /* or NULL */
    int64_t bytes;            /* body bytes received (decoded) */
    int64_t elapsed_ms;
    const char *warc_file;    /* archive file of the response record */
    int64_t warc_offset;      /* its gzip member's offset, -1 if none */
    int64_t warc_length;      /* its gzip member's length */
    const char *error;        /* transport error text, or NULL */
    /* The URL's new state. */
    kw_url_state state;
    int64_t next_fetch_at;
    const char *etag;          /* NULL keeps the old value */
    const char *last_modified; /* NULL keeps the old value */
    int failures;
} kw_fetch;

/* Records @f and updates its URL; *fetch_id may be NULL. */
KW_API kw_err kw_store_fetch_add(kw_store *st, const kw_fetch *f,
                                 int64_t *fetch_id);

typedef struct kw_fetch_row {
    int64_t id;
    int64_t url_id;
    const char *url;
    int status;
    const char *content_type;
    const char *warc_file;
    int64_t warc_offset;
    int64_t warc_length;
    int64_t at;
} kw_fetch_row;
typedef kw_err (*kw_fetch_cb)(const kw_fetch_row *f, void *ud);
/* The latest successful (2xx) fetch of every article URL, for reindex. */
KW_API kw_err kw_store_fetch_each_latest(kw_store *st, kw_fetch_cb cb,
                                         void *ud);

/* ---- Articles --------------------------------------------------------- */

typedef struct kw_article_rec {
    int64_t id;               /* set by the store */
    int64_t url_id;           /* the fetched URL; unique */
    int64_t source_id;        /* 0: none */
    int64_t fetch_id;         /* the fetch it was extracted from */
    const char *url;
    const char *canonical_url; /* or NULL */
    const char *kind;          /* "article", "notice", "other" */
    const char *title;
    int64_t published_at;      /* 0: unknown */
    int published_offset;      /* minutes east of UTC */
    const char *byline;
    const char *site;
    const char *department;
    const char *lang;
    const char *text;
    const char *source_name;   /* on reads only */
    int64_t fetched_at;
    int64_t cluster;           /* on reads; story cluster, = id if alone */
} kw_article_rec;

/* Inserts or updates the article of a->url_id, with its attachments
 * (names and URLs, n of each) and its full-text entry.  An update whose
 * text and title are unchanged changes nothing.  *id and *changed (1 when
 * inserted or its content changed) may be NULL. */
KW_API kw_err kw_store_article_put(kw_store *st, const kw_article_rec *a,
                                   const char *const *att_names,
                                   const char *const *att_urls, size_t n_att,
                                   int64_t *id, int *changed);

typedef struct kw_article_filter {
    int64_t since; /* published_at >= since; 0: no bound */
    int64_t until; /* published_at < until; 0: no bound */
    const char *source;   /* source name, or NULL */
    const char *entity;   /* entity id, or NULL */
    size_t limit;         /* 0: no limit */
} kw_article_filter;

typedef kw_err (*kw_article_cb)(const kw_article_rec *a, void *ud);
/* Articles matching @f, newest first (published, else fetched). */
KW_API kw_err kw_store_article_each(kw_store *st, const kw_article_filter *f,
                                    kw_article_cb cb, void *ud);
KW_API kw_err kw_store_article_get(kw_store *st, int64_t id,
                                   kw_article_cb cb, void *ud);
KW_API kw_err kw_store_article_count(kw_store *st, int64_t *out);

/* ---- Full-text search ------------------------------------------------- */

typedef struct kw_search_hit {
    int64_t id;
    const char *url;
    const char *title;
    int64_t published_at;
    int published_offset;
    const char *source;  /* source name, or NULL */
    const char *snippet; /* with matches between \x02 and \x03 */
    double score;        /* higher is better */
} kw_search_hit;

typedef kw_err (*kw_search_cb)(const kw_search_hit *h, void *ud);

/*
 * Runs an FTS5 MATCH expression (built by queries/, never raw user text)
 * with BM25 (title weighted above text) and filter @f.  *total receives
 * the number of matching articles before the limit.  A malformed
 * expression gives KW_EINVAL with the reason in kw_store_errmsg().
 */
KW_API kw_err kw_store_search(kw_store *st, const char *match,
                              const kw_article_filter *f, kw_search_cb cb,
                              void *ud, int64_t *total);

/* FTS5 'integrity-check' (for tests and `kowatch check`). */
KW_API kw_err kw_store_fts_check(kw_store *st);

/* ---- Robots.txt cache, per host --------------------------------------- */

typedef struct kw_host_rec {
    const char *host;        /* "https://example.com:8443" origin */
    const char *robots;      /* body, or NULL */
    int robots_status;       /* HTTP status of robots.txt; 0: unreachable */
    int64_t fetched_at;
    int64_t expires_at;
} kw_host_rec;

/* Calls @cb with the cached record of @origin; KW_ENOTFOUND if none. */
KW_API kw_err kw_store_host_get(kw_store *st, const char *origin,
                                kw_err (*cb)(const kw_host_rec *h, void *ud),
                                void *ud);
KW_API kw_err kw_store_host_put(kw_store *st, const kw_host_rec *h);

#ifdef __cplusplus
}
#endif
#endif /* KW_STORE_H */
