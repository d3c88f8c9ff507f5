/*
 * kw/store_digest.h -- the day queries of the daily digest (issue 7;
 * store/digest.c): the articles of a time range with their story
 * cluster, source and entities, counts per source and per entity, and
 * the per-entity daily article volume for the digest's chart.
 *
 * Ranges are [from, to) in seconds since the epoch over an article's
 * date (published, else fetched).  Strings passed to callbacks are
 * borrowed for the call.  A callback that returns non-OK stops the
 * iteration and its value is returned (KW_EDONE becomes KW_OK).
 *
 * Thread safety: as kw/store.h; one kw_store per thread.
 */
#ifndef KW_STORE_DIGEST_H
#define KW_STORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"
#include "kw/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One article of the range. */
typedef struct kw_digest_article {
    int64_t id;
    int64_t cluster;          /* story cluster (= id if alone) */
    const char *title;        /* or NULL */
    const char *url;
    const char *source;       /* source name, or NULL */
    int64_t published_at;     /* 0: unknown */
    int published_offset;
    int64_t at;               /* published, else fetched */
    const char *entities;     /* entity ids, comma-separated, most
                                 mentioned first; NULL if none */
} kw_digest_article;
typedef kw_err (*kw_digest_article_cb)(const kw_digest_article *a,
                                       void *ud);

/* Articles dated in [@from, @to), grouped by cluster (clusters in order
 * of their earliest article), oldest first within a cluster. */
KW_API kw_err kw_store_digest_articles(kw_store *st, int64_t from,
                                       int64_t to, kw_digest_article_cb cb,
                                       void *ud);

typedef enum kw_digest_count_kind {
    KW_DIGEST_BY_SOURCE = 1, /* key: source name ("" for none) */
    KW_DIGEST_BY_ENTITY,     /* key: entity id, name: its display name */
} kw_digest_count_kind;

typedef kw_err (*kw_digest_count_cb)(kw_digest_count_kind kind,
                                     const char *key, const char *name,
                                     int64_t n, void *ud);
/* Counts of the articles dated in [@from, @to): per source, then per
 * entity (articles naming it), each by descending count then key.
 * *total (may be NULL) receives the number of articles. */
KW_API kw_err kw_store_digest_counts(kw_store *st, int64_t from, int64_t to,
                                     kw_digest_count_cb cb, void *ud,
                                     int64_t *total);

/* @cb(entity id, entity name, day, n): articles naming the entity per
 * day, for days in [@from, @to).  A day is the whole day at
 * @offset_min minutes east of UTC, given as its index
 * floor((t + offset*60) / 86400).  Days without articles are skipped. */
typedef kw_err (*kw_digest_volume_cb)(const char *entity, const char *name,
                                      int64_t day, int64_t n, void *ud);
KW_API kw_err kw_store_digest_volume(kw_store *st, int64_t from, int64_t to,
                                     int offset_min, kw_digest_volume_cb cb,
                                     void *ud);

/* Calls @cb once with fetch @fetch_id (url and status filled, the WARC
 * location of its response record included), for the web UI's archived
 * copy of an article.  KW_ENOTFOUND if there is no such fetch. */
KW_API kw_err kw_store_fetch_get(kw_store *st, int64_t fetch_id,
                                 kw_fetch_cb cb, void *ud);

#ifdef __cplusplus
}
#endif
#endif /* KW_STORE_DIGEST_H */
