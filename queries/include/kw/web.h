/*
 * kw/web.h -- the web UI and JSON API of `kowatch serve` (issue 7;
 * queries/web.c), on libmicrohttpd.
 *
 * Pages: / and /search?q= (search with filters and highlighted
 * snippets), /status (the entity status board), /entity/ID (an entity's
 * timeline), /article/ID (text, entities, stances with evidence, links
 * to the source and the archived copy), /digest and /digest/DATE.  JSON
 * under /api/: search?q=&entity=&source=&since=&until=&limit= (the shape
 * of `search --json`), status, events?entity=, articles/ID,
 * digest?date=.  Bad parameters give 400 and unknown routes 404, with a
 * JSON {error} under /api/.  The server only reads: each request borrows
 * a kw_store from a small pool (one connection each, WAL), so requests
 * run concurrently with a crawl writing.  Pages are small, with inline
 * CSS, no scripts and no external assets; every value is HTML-escaped.
 *
 * Thread safety: kw_web_start/kw_web_stop from one thread; the server
 * runs its own threads.
 */
#ifndef KW_WEB_H
#define KW_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends @s (NUL-terminated, NULL is "") to @b with & < > " '
 * escaped, for HTML text and attribute values.  The one escaping helper
 * of every page and of the HTML digest. */
KW_API void kw_html_escape(kw_buf *b, const char *s);
/* The same for p[0..n), which need not be NUL-terminated. */
KW_API void kw_html_escape_n(kw_buf *b, const char *p, size_t n);

/* Appends a store snippet @s (matches between \x02 and \x03; NULL is "")
 * with its text escaped as kw_html_escape does and the markers replaced
 * by @open and @close ("<mark>", "</mark>"). */
KW_API void kw_html_snippet(kw_buf *b, const char *s, const char *open,
                            const char *close);

typedef struct kw_web_config {
    const char *db_path;   /* the database, opened once per pool slot */
    const char *archive_dir; /* WARC directory for /article/ID/archive,
                                or NULL (then relative names are taken
                                as they are stored) */
    const char *address;   /* IPv4 or IPv6 literal; default "127.0.0.1" */
    uint16_t port;         /* 0: an ephemeral port (see kw_web_port) */
    int is_public;         /* allow a non-loopback address */
    unsigned threads;      /* worker threads; 0: 4 */
} kw_web_config;

KW_API kw_web_config kw_web_config_default(void);

typedef struct kw_web kw_web;

/*
 * Starts serving.  A non-loopback address without is_public gives
 * KW_EDENIED; an address that does not parse KW_EINVAL; a database that
 * cannot be opened, or a port that cannot be bound, KW_EIO.  The reason
 * is in @err (>= 256 bytes).  *out is NULL on failure.
 */
KW_API kw_err kw_web_start(const kw_web_config *cfg, char *err,
                           size_t err_n, kw_web **out);
/* The port the server listens on. */
KW_API uint16_t kw_web_port(const kw_web *w);
/* Stops the server, waits for its threads and frees it; NULL-safe. */
KW_API void kw_web_stop(kw_web *w);

#ifdef __cplusplus
}
#endif
#endif /* KW_WEB_H */
