/*
 * testsrv.h -- an HTTP server inside the test process (libmicrohttpd on
 * 127.0.0.1, port 0) that serves a declarative table of responses and
 * records every request, so tests check what kowatch *sent* as well as
 * what it did with the answers (wget2 tests/libtest.c, curl tests/data).
 *
 * Each response can misbehave on purpose: delay, stall forever, send a
 * huge or endless body, a gzip bomb, a bad status, a redirect (loops are
 * just redirects that point back), a wrong charset header.
 *
 * The server runs in its own thread (MHD_USE_INTERNAL_POLLING_THREAD);
 * the request log is protected by a mutex.
 */
#ifndef KW_TESTSRV_H
#define KW_TESTSRV_H

#include <stddef.h>
#include <stdint.h>

typedef enum kw_test_mode {
    KW_TEST_NORMAL = 0, /* body as given */
    KW_TEST_STALL,      /* send headers, then nothing until shutdown */
    KW_TEST_ENDLESS,    /* an endless body of 'x' (chunked) */
    KW_TEST_HUGE,       /* a body of .huge_bytes bytes of 'x' */
    KW_TEST_GZIP,       /* body gzip-compressed, Content-Encoding: gzip */
    KW_TEST_GZIP_BOMB,  /* a small gzip member that inflates to
                           .huge_bytes zero bytes */
} kw_test_mode;

typedef struct kw_test_resp {
    const char *path;         /* request path with query, e.g. "/a?b=1";
                                 matched exactly; NULL ends a table */
    int status;               /* 0 means 200 */
    const char *content_type; /* NULL: none sent */
    const char *body;         /* NULL: empty */
    size_t body_n;            /* 0: strlen(body) */
    const char *location;     /* Location header (redirects), or NULL */
    const char *headers;      /* extra "Name: value\n" lines, or NULL */
    kw_test_mode mode;
    int delay_ms;             /* wait this long before answering */
    uint64_t huge_bytes;      /* for HUGE and GZIP_BOMB */
    const char *etag;         /* answer 304 to a matching If-None-Match */
    const char *last_modified; /* sent; 304 to an equal If-Modified-Since */
    int host_only;            /* 0: any Host; else matched via .host */
    const char *host;         /* virtual host ("a.test"), with host_only */
    const char *method;       /* NULL: any; "POST": a form POST whose body
                                 is the query of .path ("/down?a=1" matches
                                 a POST of "a=1" to "/down") */
} kw_test_resp;

typedef struct kw_test_req {
    char method[8];
    char path[1024];       /* path with query string */
    char host[256];        /* Host header */
    char user_agent[256];
    char if_none_match[256];
    char if_modified_since[64];
    char accept_encoding[128];
    char content_type[128];
    char form[1024];       /* a POST's body, as received */
    int64_t at_ms;         /* monotonic milliseconds when received */
} kw_test_req;

typedef struct kw_testsrv kw_testsrv;

/* Starts a server for @table (copied; terminated by a NULL path).
 * Unknown paths get 404.  Returns NULL on failure. */
kw_testsrv *kw_testsrv_start(const kw_test_resp *table);
void kw_testsrv_stop(kw_testsrv *s); /* NULL-safe; unblocks stalls */
int kw_testsrv_port(const kw_testsrv *s);
/* "http://127.0.0.1:PORT" (static storage inside s). */
const char *kw_testsrv_url(const kw_testsrv *s);
/* Writes "http://127.0.0.1:PORT" + @path into @out. */
void kw_testsrv_urlf(const kw_testsrv *s, const char *path, char *out,
                     size_t out_n);

/* Request log: count, the i-th request (copied into *out; returns 0, or
 * -1 if there is no i-th request), and the number of requests for @path
 * (exact match, query included).  With virtual hosts, the first entry of
 * the table whose path and host match wins: list host-specific entries
 * before generic ones. */
size_t kw_testsrv_nreq(kw_testsrv *s);
int kw_testsrv_req(kw_testsrv *s, size_t i, kw_test_req *out);
size_t kw_testsrv_count(kw_testsrv *s, const char *path);
void kw_testsrv_clear(kw_testsrv *s);
/* TCP connections accepted so far (not reset by kw_testsrv_clear). */
size_t kw_testsrv_nconn(kw_testsrv *s);

#endif /* KW_TESTSRV_H */
