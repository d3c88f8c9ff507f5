/*
 * engine_int.h -- the transfer engine of fetch.c as crawler.c sees it: a
 * thin layer over the libcurl multi interface that starts transfers,
 * captures the request head, the last response head and the decoded body
 * (capped), and hands back finished transfers.  Which URL goes when
 * (concurrency, one per origin, delays, robots.txt) is decided by
 * crawler.c; no libcurl type appears here.
 */
#ifndef KW_ENGINE_INT_H
#define KW_ENGINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "kw/crawler.h"

typedef struct kw__engine kw__engine;

/* Why a transfer ended without a usable response. */
typedef enum kw__xfer_fail {
    KW__XFER_OK = 0,        /* a complete response (any status) */
    KW__XFER_TOO_BIG,       /* body passed the limit; aborted */
    KW__XFER_REDIRECTS,     /* too many redirects (a loop) */
    KW__XFER_TIMEOUT,       /* connect, total or low-speed timeout */
    KW__XFER_PROTOCOL,      /* a redirect to a scheme other than http(s) */
    KW__XFER_NET,           /* any other transport failure */
} kw__xfer_fail;

/* One finished transfer.  Strings are owned by the transfer and freed
 * with it (kw__xfer_free). */
typedef struct kw__xfer {
    void *ud;              /* the caller's pointer, from kw__engine_add */
    const char *url;       /* the URL requested */
    int64_t at;            /* wall clock when the transfer started */
    int64_t elapsed_ms;    /* start to end */
    int64_t end_ms;        /* monotonic ms when it ended */
    kw__xfer_fail fail;    /* KW__XFER_OK when a response is complete */
    const char *error;     /* text of the failure, or NULL */
    int status;            /* last HTTP status, 0 if none */
    const char *content_type; /* or NULL */
    const char *etag;          /* of the last response, or NULL */
    const char *last_modified; /* of the last response, or NULL */
    int64_t retry_after_s; /* Retry-After in seconds, 0 if none */
    const char *req_head;  /* the last request head as sent */
    size_t req_n;
    const char *resp_head; /* the last response head as received */
    size_t resp_n;
    const char *body;      /* decoded payload, NUL-terminated */
    size_t body_n;
} kw__xfer;

/* A multi handle configured from @cfg (timeouts, limits, User-Agent). */
kw_err kw__engine_new(const kw_crawler_config *cfg, kw__engine **out);

/* Aborts transfers in flight, calling @release (may be NULL) with the ud
 * of each, and frees everything.  NULL-safe. */
void kw__engine_free(kw__engine *e, void (*release)(void *ud));

/*
 * Starts a GET of @url now, or with @post (may be NULL) a POST of that
 * application/x-www-form-urlencoded body.  @etag and @last_modified (may
 * be NULL) make it conditional.  Bodies past @max_body bytes abort the transfer
 * (KW__XFER_TOO_BIG), unless @truncate, in which case the first @max_body
 * bytes are kept and the rest is read and dropped (for robots.txt).
 */
kw_err kw__engine_add(kw__engine *e, const char *url, const char *post,
                      const char *etag, const char *last_modified,
                      size_t max_body, int truncate, void *ud);

/* Transfers in flight. */
size_t kw__engine_active(const kw__engine *e);

/* Drives the transfers and waits up to @timeout_ms for activity.
 * KW_ENET only when libcurl's multi handle itself fails. */
kw_err kw__engine_run(kw__engine *e, int timeout_ms);

/* The next finished transfer (owned: kw__xfer_free), or NULL. */
kw__xfer *kw__engine_done(kw__engine *e);
void kw__xfer_free(kw__xfer *x);

/* "charset" parameter of a Content-Type value, copied into @out (NUL
 * terminated, empty when absent). */
void kw__content_type_charset(const char *ct, char *out, size_t out_n);

#endif /* KW_ENGINE_INT_H */
