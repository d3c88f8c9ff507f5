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
    const char *attachment_template; /* script attachment link -> URL
                                        ({1}..{9}), or NULL */
    int attachment_post;         /* 1: POST the template's query as a form */
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
    KW_ROLE_ATTACHMENT_POST, /* an attachment fetched by POSTing the URL's
                                query as a form body to its path */
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
    const char *attachments_text; /* on reads: the text of its attachments,
                                     joined ("" if none) */
} kw_article_rec;

/* Inserts or updates the article of a->url_id, with its attachments
 * (names and URLs, n of each) and its full-text entry.  An update whose
 * text and title are unchanged changes nothing.  *id and *changed (1 when
 * inserted or its content changed) may be NULL. */
KW_API kw_err kw_store_article_put(kw_store *st, const kw_article_rec *a,
                                   const char *const *att_names,
                                   const char *const *att_urls, size_t n_att,
                                   int64_t *id, int *changed);

/*
 * Records what was read of the attachment at @url, fetched as @fetch_id
 * (0 if unknown): its @format ("hwpx", "pdf" ...) and @text, or @error
 * when it could not be read (@text NULL).  Every article linking @url
 * gets the text in its attachments_text, the third column of the
 * full-text index.  Recording the same URL again replaces the text; the
 * same reading again writes nothing.  *@changed (may be NULL) is 1 when
 * something was written, 0 when the reading was the stored one.
 */
KW_API kw_err kw_store_attachment_text_put(kw_store *st, const char *url,
                                           int64_t fetch_id,
                                           const char *format,
                                           const char *text,
                                           const char *error,
                                           int *changed);

typedef struct kw_attachment_rec {
    const char *name;   /* as linked, or NULL */
    const char *url;
    int is_fetched;     /* its text (or failure) is recorded */
    const char *format; /* "hwpx", "pdf" ... or NULL */
    int64_t text_bytes; /* bytes of text read from it */
    const char *error;  /* why it could not be read, or NULL */
} kw_attachment_rec;

typedef kw_err (*kw_attachment_cb)(const kw_attachment_rec *r, void *ud);

/* The ids of the articles that link the attachment at @url, at most @cap
 * into @ids; *n receives how many there are (may exceed @cap). */
KW_API kw_err kw_store_attachment_articles(kw_store *st, const char *url,
                                           int64_t *ids, size_t cap,
                                           size_t *n);
/* Calls @cb for each attachment of article @article_id, in link order. */
KW_API kw_err kw_store_attachment_each(kw_store *st, int64_t article_id,
                                       kw_attachment_cb cb, void *ud);

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
 * the number of matching articles before the limit: exact with filters
 * or up to 10,000 matches, else an estimate to two significant digits
 * (kw_store_search_total_exact() tells).  Without filters only the
 * 2,000 newest matches are ranked.  A malformed expression gives
 * KW_EINVAL with the reason in kw_store_errmsg().
 */
KW_API kw_err kw_store_search(kw_store *st, const char *match,
                              const kw_article_filter *f, kw_search_cb cb,
                              void *ud, int64_t *total);

/* 1 if the total of the last kw_store_search() on @st was counted, 0 if
 * it was estimated. */
KW_API int kw_store_search_total_exact(const kw_store *st);

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

/* ======================================================================
 * Entities, mentions, participation events, story clusters, alerts and
 * their outbox (issue 6; store/events.c).
 *
 * The store keeps what the analysis (parsers/) found and what queries/
 * decided; it decides nothing itself except story clusters.  Stances are
 * kw_stance_name() text ("selected", "eliminated", "declined",
 * "considering", "entering").  Times are seconds since the epoch, 0
 * meaning unknown; offsets are minutes east of UTC.
 * ====================================================================== */

/* One entity named by an article, for kw_store_analysis_put. */
typedef struct kw_mention_rec {
    const char *entity_id;   /* gazetteer id, "naver-cloud" */
    const char *entity_type; /* "company", ..., or NULL */
    const char *entity_name; /* display name; NULL: the id */
    int64_t count;           /* occurrences in title and text */
    const int64_t *offsets;  /* byte offsets into the article's text (the
                                first occurrence, then the start of each
                                later sentence naming it); may be NULL */
    size_t n_offsets;
} kw_mention_rec;

/* One stance event.  On writes only entity_id, entity_name (NULL: the
 * id), stance, sentence, event_at/event_offset and published_at/
 * published_offset are read; the rest is filled on reads. */
typedef struct kw_event_rec {
    int64_t id;
    int64_t article_id;
    const char *entity_id;
    const char *entity_name;
    const char *stance;      /* never "none" */
    const char *sentence;    /* the evidence sentence */
    int64_t event_at;        /* the event date (reported, else published) */
    int event_offset;
    int64_t published_at;    /* the article's date (else fetched) */
    int published_offset;
    const char *url;         /* reads: the article's URL */
    const char *title;       /* reads: the article's title */
    const char *source;      /* reads: source name, or NULL */
    int64_t cluster;         /* reads: the article's story cluster */
    int64_t created_at;      /* reads */
} kw_event_rec;

/* Days of published dates searched for a near-duplicate (clusters). */
#define KW_STORE_CLUSTER_WINDOW_S ((int64_t)14 * 86400)

/*
 * Replaces what the analysis of article @article_id found: its mentions
 * (entities are created or renamed as needed), its events and its
 * fingerprint, and assigns its story cluster: the cluster of the nearest
 * article (Hamming distance <= @near bits) among those whose date lies
 * within KW_STORE_CLUSTER_WINDOW_S of its own, else its own id.  An
 * article already in a cluster that others joined keeps it.  Runs in
 * one transaction (nested in the caller's, if any).  *cluster (may be
 * NULL) receives the cluster.  KW_ENOTFOUND if there is no such article.
 */
KW_API kw_err kw_store_analysis_put(kw_store *st, int64_t article_id,
                                    const kw_mention_rec *m, size_t n_m,
                                    const kw_event_rec *ev, size_t n_ev,
                                    uint64_t fingerprint, int near,
                                    int64_t *cluster);

/* An entity as stored; strings borrowed for the callback. */
typedef struct kw_entity_rec {
    const char *id;
    const char *type; /* or NULL */
    const char *name;
} kw_entity_rec;
typedef kw_err (*kw_entity_cb)(const kw_entity_rec *e, void *ud);
/* Every entity, by id. */
KW_API kw_err kw_store_entity_each(kw_store *st, kw_entity_cb cb, void *ud);
/* Entity @id; KW_ENOTFOUND if unknown. */
KW_API kw_err kw_store_entity_get(kw_store *st, const char *id,
                                  kw_entity_cb cb, void *ud);

/* A mention as stored (offsets as the stored JSON array text). */
typedef struct kw_mention_row {
    int64_t article_id;
    const char *entity_id;
    const char *entity_name;
    int64_t count;
    const char *offsets_json; /* "[12,340]" or NULL */
} kw_mention_row;
typedef kw_err (*kw_mention_cb)(const kw_mention_row *m, void *ud);
/* The mentions of article @article_id, most frequent first. */
KW_API kw_err kw_store_mention_each(kw_store *st, int64_t article_id,
                                    kw_mention_cb cb, void *ud);

typedef struct kw_event_filter {
    const char *entity;   /* entity id, or NULL for all */
    int64_t article_id;   /* 0: all */
    int64_t until;        /* event_at < until; 0: no bound */
    int64_t known_until;  /* published_at < known_until; 0: no bound */
} kw_event_filter;
typedef kw_err (*kw_event_cb)(const kw_event_rec *e, void *ud);
/* Events matching @f (NULL: all) in history order: by entity, then the
 * local day of the event date, then published date (within a day the
 * later report wins), then id (order within one article). */
KW_API kw_err kw_store_event_each(kw_store *st, const kw_event_filter *f,
                                  kw_event_cb cb, void *ud);

/* ---- Alerts, channels, saved searches, deliveries ------------------- */

typedef struct kw_alert_rec {
    int64_t id;                 /* set by the store */
    const char *kind;           /* "reentry" or "search" */
    const char *transition_key; /* unique per kind: one alert each */
    const char *entity_id;      /* or NULL */
    const char *stance;         /* or NULL */
    int64_t event_id;           /* 0: none */
    int64_t search_id;          /* 0: none */
    int64_t date;               /* the event's date (search: published) */
    int date_offset;            /* reads: offset of the event date */
    const char *url;
    const char *sentence;       /* the evidence (search: the title) */
    int is_backfill;            /* older than the window when first seen */
    int64_t created_at;         /* set by the store */
    const char *entity_name;    /* reads */
    const char *search_name;    /* reads */
} kw_alert_rec;

/*
 * Records @a unless an alert of its kind and transition key exists
 * (*is_new 0 then).  A new alert that is not backfill gets one pending
 * delivery per channel, in the same transaction, so a crash after the
 * commit loses no delivery.  *id and *is_new may be NULL.
 */
KW_API kw_err kw_store_alert_add(kw_store *st, const kw_alert_rec *a,
                                 int64_t *id, int *is_new);
typedef kw_err (*kw_alert_cb)(const kw_alert_rec *a, void *ud);
/* Alerts, newest first; backfill ones only with @with_backfill. */
KW_API kw_err kw_store_alert_each(kw_store *st, int with_backfill,
                                  kw_alert_cb cb, void *ud);
KW_API kw_err kw_store_alert_get(kw_store *st, int64_t id, kw_alert_cb cb,
                                 void *ud); /* KW_ENOTFOUND if none */
/* Number of alerts of @kind for @entity with from <= date < to (to 0: no
 * bound), into *out. */
KW_API kw_err kw_store_alert_count(kw_store *st, const char *kind,
                                   const char *entity, int64_t from,
                                   int64_t to, int64_t *out);

typedef struct kw_channel_rec {
    int64_t id;
    const char *kind;    /* "webhook", "email", "exec" */
    const char *target;  /* URL, address or command */
    const char *options; /* JSON object text, or NULL */
    int64_t created_at;
} kw_channel_rec;
typedef kw_err (*kw_channel_cb)(const kw_channel_rec *c, void *ud);
KW_API kw_err kw_store_channel_add(kw_store *st, const kw_channel_rec *c,
                                   int64_t *id);
/* KW_ENOTFOUND if there is no channel @id; its deliveries go with it. */
KW_API kw_err kw_store_channel_remove(kw_store *st, int64_t id);
KW_API kw_err kw_store_channel_each(kw_store *st, kw_channel_cb cb, void *ud);

typedef struct kw_saved_search_rec {
    int64_t id;
    const char *name;
    const char *query; /* analyst query syntax (queries/) */
    int64_t created_at;
} kw_saved_search_rec;
typedef kw_err (*kw_saved_search_cb)(const kw_saved_search_rec *s, void *ud);
KW_API kw_err kw_store_saved_search_add(kw_store *st, const char *name,
                                        const char *query, int64_t *id);
KW_API kw_err kw_store_saved_search_remove(kw_store *st, const char *name);
KW_API kw_err kw_store_saved_search_each(kw_store *st, kw_saved_search_cb cb,
                                         void *ud);

typedef struct kw_delivery_rec {
    int64_t id;
    int64_t alert_id;
    int64_t channel_id;
    const char *channel_kind;   /* NULL if the channel was removed */
    const char *channel_target;
    const char *channel_options;
    const char *state;          /* "pending", "delivered", "failed" */
    int attempts;
    int64_t next_attempt_at;
    const char *last_error;     /* or NULL */
    int64_t delivered_at;       /* 0: not yet */
} kw_delivery_rec;
typedef kw_err (*kw_delivery_cb)(const kw_delivery_rec *d, void *ud);
/* Pending deliveries due at @now (next_attempt_at <= now), oldest first,
 * at most @limit (0: all). */
KW_API kw_err kw_store_delivery_due(kw_store *st, int64_t now, size_t limit,
                                    kw_delivery_cb cb, void *ud);
/* The deliveries of alert @alert_id, by channel. */
KW_API kw_err kw_store_delivery_each(kw_store *st, int64_t alert_id,
                                     kw_delivery_cb cb, void *ud);
/* Records one attempt of delivery @id: @state "delivered" (at @now),
 * "pending" (retry at @next_attempt_at) or "failed" (gave up); @error is
 * NULL on success.  Attempts are counted here. */
KW_API kw_err kw_store_delivery_attempted(kw_store *st, int64_t id,
                                          const char *state, int64_t now,
                                          int64_t next_attempt_at,
                                          const char *error);

/* ---- Named values kept between runs (store/meta.c) ------------------ */

/* The value of @key (owned: kw_free); KW_ENOTFOUND if it was never set. */
KW_API kw_err kw_store_meta_get(kw_store *st, const char *key, char **out);
/* Sets @key to @value, replacing any earlier value. */
KW_API kw_err kw_store_meta_put(kw_store *st, const char *key,
                                const char *value);

/* ---- Adaptive polling (store/frontier.c, schema 5) ------------------ */

/* The adapted polling interval of source @source_id in seconds, in *out:
 * 0 until the crawler first adapts it (poll every every_s).  KW_ENOTFOUND
 * if there is no such source. */
KW_API kw_err kw_store_source_interval(kw_store *st, int64_t source_id,
                                       int64_t *out);
/* Sets that interval (0: back to every_s).  KW_ENOTFOUND if there is no
 * such source. */
KW_API kw_err kw_store_source_set_interval(kw_store *st, int64_t source_id,
                                           int64_t interval_s);
/* Moves the next fetch of URL @url_id to @next_fetch_at, leaving its state
 * alone.  KW_ENOTFOUND if there is no such URL. */
KW_API kw_err kw_store_url_reschedule(kw_store *st, int64_t url_id,
                                      int64_t next_fetch_at);

#ifdef __cplusplus
}
#endif
#endif /* KW_STORE_H */
