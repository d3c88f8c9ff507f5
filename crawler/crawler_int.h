/*
 * crawler_int.h -- the crawler's internal interfaces, shared by its files
 * and its unit tests, never by other modules.
 *
 *   url.c      kw_url_canonicalize (public), origin and host helpers
 *   robots.c   RFC 9309 robots.txt parsing and matching (pure)
 *   warc.c     WARC/1.1 writer (one gzip member per record) and reader
 *   fetch.c    the libcurl multi engine: politeness, limits, retries
 *   crawler.c  scheduling, discovery and the fetch -> archive -> extract
 *              -> store pipeline
 */
#ifndef KW_CRAWLER_INT_H
#define KW_CRAWLER_INT_H

#include <stdint.h>
#include <stdio.h>

#include "kw/crawler.h"

/* ---- URLs ------------------------------------------------------------- */

/* The origin of a canonical http(s) URL, "https://host[:port]" (port only
 * when not the default).  *out is owned (kw_free). */
kw_err kw__url_origin(const char *url, char **out);

/* The path and query of @url, "/p/a?q" ("/" when empty), for robots.txt
 * matching.  *out is owned (kw_free). */
kw_err kw__url_path_query(const char *url, char **out);

/* ---- robots.txt (RFC 9309) -------------------------------------------- */

typedef struct kw_robots kw_robots;

/*
 * Parses a robots.txt body for the product token @agent (e.g. "kowatch"):
 * the group whose user-agent matches @agent (case-insensitive prefix of the
 * product token), else the "*" group; groups with the same agent merge.
 * Allow/Disallow with '*' and '$'; the longest match wins; on a tie Allow
 * wins.  Crawl-delay and Sitemap lines are kept.  Bodies past
 * KW_MAX_ROBOTS are parsed up to that size.  Never fails on content:
 * garbage yields an empty rule set (allow all).
 */
kw_err kw_robots_parse(const char *p, size_t n, const char *agent,
                       kw_robots **out);
void kw_robots_free(kw_robots *r);
/* 1 if @path_query ("/a/b?c") may be fetched. */
int kw_robots_allowed(const kw_robots *r, const char *path_query);
/* Crawl-delay of the matched group in ms, or -1 if none. */
int64_t kw_robots_crawl_delay_ms(const kw_robots *r);
/* Sitemap: URLs (file-wide, not per group). */
size_t kw_robots_sitemap_count(const kw_robots *r);
const char *kw_robots_sitemap(const kw_robots *r, size_t i);

/* ---- WARC/1.1 ---------------------------------------------------------- */

typedef struct kw_warc kw_warc;

/*
 * Opens a writer in @dir (created if missing).  Files are named
 * "kowatch-YYYYMMDDhhmmss-NNNNN.warc.gz"; each starts with a warcinfo
 * record naming @software; a new file begins once the current one passes
 * @max_bytes.  Every record is one gzip member, flushed and fsync'd
 * before the write call returns, so a record the database points at is
 * on disk.
 */
kw_err kw_warc_open(const char *dir, int64_t max_bytes, const char *software,
                    kw_warc **out);
void kw_warc_close(kw_warc *w);

typedef struct kw_warc_pos {
    char file[512]; /* path of the file holding the response record */
    int64_t offset; /* offset of the response record's gzip member */
    int64_t length; /* length of that member */
} kw_warc_pos;

/* With @on, kw_warc_write_exchange() leaves the fsync to the caller,
 * who calls kw_warc_sync() before anything that points at the records is
 * committed: one fsync for a batch of exchanges.  A file is synced
 * before the writer rotates away from it, and on close. */
void kw_warc_defer_sync(kw_warc *w, int on);
kw_err kw_warc_sync(kw_warc *w);

/*
 * Writes a request record (the HTTP request head as sent) and a response
 * record (status line and headers as received, then the body) linked by
 * WARC-Concurrent-To, both with WARC-Target-URI @url and WARC-Date @at.
 * The body is the decoded payload (libcurl undoes gzip/deflate/br, which
 * is also where the body-size limit applies, so a compression bomb stops
 * at the limit); the writer therefore renames Content-Encoding and
 * Content-Length in the stored header block to X-Crawler-Content-Encoding
 * and X-Crawler-Content-Length, as warcio and Heritrix do for decoded
 * payloads, and adds a correct Content-Length.  WARC-Payload-Digest is
 * sha1:BASE32 of the body.  @pos receives where the response record is.
 */
kw_err kw_warc_write_exchange(kw_warc *w, const char *url, int64_t at,
                              const char *req_head, size_t req_n,
                              const char *resp_head, size_t resp_n,
                              const char *body, size_t body_n,
                              kw_warc_pos *pos);

/*
 * Reads the response record at (file, offset, length): *head receives the
 * HTTP header block, *body the payload, both owned (kw_free),
 * NUL-terminated; the payload digest is verified (KW_EPARSE on mismatch).  KW_EPARSE if the bytes
 * there are not a WARC response record.
 */
kw_err kw_warc_read_response(const char *file, int64_t offset, int64_t length,
                             size_t max_body, char **head, size_t *head_n,
                             char **body, size_t *body_n);

#endif /* KW_CRAWLER_INT_H */
