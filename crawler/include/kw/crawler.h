/*
 * kw/crawler.h -- polite, resumable polling of feeds, sitemaps, board list
 * pages and watched pages; every request/response pair archived in WARC.
 *
 * The frontier lives in the store, so a crawl killed at any moment resumes
 * where it stopped: a page is archived first, then its fetch record,
 * article and discovered links are committed in one transaction.
 *
 * Only http and https are fetched; robots.txt is obeyed; one request at a
 * time per host, at least host_delay_ms apart.
 *
 * Thread safety: one crawler per store handle; the crawler itself runs in
 * the calling thread (libcurl multi interface).
 */
#ifndef KW_CRAWLER_H
#define KW_CRAWLER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"
#include "kw/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counters of one run, updated as it goes. */
typedef struct kw_crawl_stats {
    int64_t sources;      /* sources polled */
    int64_t fetched;      /* responses received (any status) */
    int64_t not_modified; /* 304 answers to conditional requests */
    int64_t errors;       /* transport errors and 4xx/5xx */
    int64_t denied;       /* URLs robots.txt forbids */
    int64_t queued;       /* URLs due and not yet fetched */
    int64_t new_urls;     /* URLs discovered that were not known */
    int64_t articles;     /* articles and notices stored or changed */
    int64_t bytes;        /* body bytes received */
    int64_t elapsed_ms;
} kw_crawl_stats;

typedef void (*kw_crawl_progress)(const kw_crawl_stats *s, void *ud);

typedef struct kw_crawler_config {
    const char *user_agent;     /* names kowatch, its version, a contact */
    const char *archive_dir;    /* WARC files go here (created if missing) */
    int64_t host_delay_ms;      /* between requests to one host */
    int64_t max_crawl_delay_ms; /* cap on robots.txt Crawl-delay */
    size_t concurrency;         /* transfers at once, overall */
    size_t max_body;            /* larger bodies are aborted and recorded */
    long connect_timeout_ms;
    long timeout_ms;            /* whole transfer */
    long low_speed_time_s;      /* abort below 1 byte/s for this long */
    int max_redirects;
    int max_failures;           /* consecutive, before a URL is given up */
    int64_t warc_max_bytes;     /* rotate WARC files past this size */
    int64_t robots_ttl_s;       /* how long a robots.txt is trusted */
    int64_t article_refetch_s;  /* refetch stored articles after this */
    int once;                   /* one pass over what is due, then return */
    const char *only_source;    /* poll this source only, or NULL */
    volatile sig_atomic_t *stop; /* the run ends soon after *stop != 0 */
    kw_crawl_progress progress; /* called about once a second, or NULL */
    void *progress_ud;
    /* Analysis (issue 6): with both set, each stored article's mentions,
     * stance events, fingerprint and story cluster are stored in the same
     * transaction as the article.  NULL: no analysis.  Borrowed. */
    const struct kw_gazetteer *gazetteer;
    const struct kw_rules *rules;
    /* Called after each committed page (crawl and reindex), outside any
     * transaction, so the caller may evaluate alerts as a long crawl
     * runs; NULL: none. */
    void (*on_commit)(void *ud);
    void *on_commit_ud;
} kw_crawler_config;

/* Defaults: 1 s host delay, 30 s Crawl-delay cap, 8 transfers, 10 MiB
 * bodies, 10 s connect and 60 s total timeouts, 5 redirects, 5 failures,
 * 1 GiB WARC files, robots.txt for a day, articles refetched after a week,
 * archive_dir "archive". */
KW_API kw_crawler_config kw_crawler_config_default(void);

/* The User-Agent kowatch sends by default. */
KW_API const char *kw_crawler_default_user_agent(void);

/* Process-wide setup: libcurl, and glibc malloc tuned for a long crawl
 * (no heap trim per page; see crawler.c); call once before threads start. */
KW_API kw_err kw_crawler_global_init(void);
KW_API void kw_crawler_global_cleanup(void);

/*
 * Crawls: with cfg->once, polls every due source once and fetches
 * everything that discovers, then returns; otherwise runs on schedule until
 * *cfg->stop is set.  @stats (may be NULL) receives the totals.
 * Returns KW_OK, or the error that stopped the run (KW_EDB, KW_EIO for
 * the archive, KW_ENOMEM); network failures of single URLs are recorded,
 * not returned.
 */
KW_API kw_err kw_crawler_run(kw_store *st, const kw_crawler_config *cfg,
                             kw_crawl_stats *stats);

/* Re-extracts every stored page from the archive without fetching. */
KW_API kw_err kw_crawler_reindex(kw_store *st, const kw_crawler_config *cfg,
                                 kw_crawl_stats *stats);

/*
 * Resolves @href against @base (either may be absolute; @base may be NULL)
 * and canonicalises it with curl's URL API: http/https only, lower-case
 * scheme and host, default port removed, fragment dropped, tracking
 * parameters (utm_*, fbclid, gclid, call_from, ...) removed, empty query
 * removed.  *out is owned (kw_free).  KW_EDENIED for other schemes,
 * KW_EINVAL for text that is not a URL.
 */
KW_API kw_err kw_url_canonicalize(const char *base, const char *href,
                                  char **out);

#ifdef __cplusplus
}
#endif
#endif /* KW_CRAWLER_H */
