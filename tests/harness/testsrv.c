/*
 * testsrv.c -- the in-process HTTP test server declared in testsrv.h:
 * libmicrohttpd on 127.0.0.1 with an ephemeral port, one thread per
 * connection (so a stalled or delayed answer never blocks other clients),
 * a declarative response table and a request log (wget2 tests/libtest.c).
 *
 * Memory here comes from plain malloc/free, not kw_malloc: the server runs
 * in its own threads, and the allocation-failure injection of kw_malloc
 * (kw_alloc_fail_at) must only ever hit the code under test, never the
 * harness.  For the same reason this file does not link kw_common.
 *
 * Shutdown: kw_testsrv_stop() raises .stopping and broadcasts .cv before
 * MHD_stop_daemon(), so every content reader or delay that is waiting
 * wakes up, ends its response with an error and lets MHD join the
 * connection threads.
 */
#include "testsrv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <zlib.h>

/* One table entry plus what is derived from it (compressed bodies). */
typedef struct srv_entry {
    kw_test_resp r;      /* deep copy; strings owned by the entry */
    unsigned char *gz;   /* GZIP: the compressed body; GZIP_BOMB: the
                            bomb, built on first use under .mu */
    size_t gz_n;         /* bytes in .gz */
} srv_entry;

struct kw_testsrv {
    struct MHD_Daemon *d; /* NULL once stopped */
    srv_entry *ents;      /* the copied table */
    size_t nents;         /* entries in .ents */
    int port;             /* bound port */
    char url[64];         /* "http://127.0.0.1:PORT" */
    pthread_mutex_t mu;   /* guards everything below and .gz of bombs */
    pthread_cond_t cv;    /* broadcast when .stopping is raised */
    int stopping;         /* set by kw_testsrv_stop() */
    kw_test_req *log;     /* the request log */
    size_t nlog;          /* requests in .log */
    size_t nconn;         /* TCP connections accepted */
    size_t caplog;        /* capacity of .log */
};

/* Per-request state, created by the URI log callback. */
typedef struct srv_req {
    char *uri;     /* raw request target, path with query */
    int is_seen;   /* the access handler ran once already */
    size_t log_i;  /* its entry in the request log (SIZE_MAX: none) */
    char form[1024]; /* the upload, truncated */
    size_t form_n;
} srv_req;

/* Streaming state of a HUGE, ENDLESS or STALL body. */
typedef struct srv_stream {
    kw_testsrv *s;     /* the server (for .stopping) */
    kw_test_mode mode; /* which behaviour */
} srv_stream;

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copies @s (NULL stays NULL); sets *is_bad on allocation failure. */
static char *dup_n(const char *s, size_t n, int *is_bad)
{
    char *d;

    if (!s)
        return NULL;
    d = malloc(n + 1);
    if (!d) {
        *is_bad = 1;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *dup_s(const char *s, int *is_bad)
{
    return s ? dup_n(s, strlen(s), is_bad) : NULL;
}

static void entry_free(srv_entry *e)
{
    free((char *)e->r.path);
    free((char *)e->r.content_type);
    free((char *)e->r.body);
    free((char *)e->r.location);
    free((char *)e->r.headers);
    free((char *)e->r.etag);
    free((char *)e->r.last_modified);
    free((char *)e->r.host);
    free((char *)e->r.method);
    free(e->gz);
}

/*
 * Deflates @n bytes from @p (or @zeros zero bytes when @p is NULL) into a
 * gzip member at level 9, in 64 KiB steps so that a bomb of any size needs
 * little memory.  Returns 0 and a malloc'd buffer, or -1.
 */
static int gzip_make(const char *p, size_t n, uint64_t zeros,
                     unsigned char **out, size_t *out_n)
{
    static const unsigned char zbuf[65536];
    z_stream z;
    unsigned char *buf = NULL;
    size_t cap = 0;
    size_t used = 0;
    uint64_t left = p ? n : zeros;
    int rc;
    int ret = -1;

    *out = NULL;
    *out_n = 0;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    for (;;) {
        uInt chunk = left > sizeof(zbuf) ? (uInt)sizeof(zbuf) : (uInt)left;
        int flush = left == chunk ? Z_FINISH : Z_NO_FLUSH;

        z.next_in = p ? (Bytef *)(uintptr_t)(p + (n - left))
                      : (Bytef *)(uintptr_t)zbuf;
        z.avail_in = chunk;
        left -= chunk;
        do {
            if (cap - used < 65536) {
                size_t ncap = cap ? cap * 2 : 65536 * 2;
                unsigned char *nb = realloc(buf, ncap);

                if (!nb)
                    goto cleanup;
                buf = nb;
                cap = ncap;
            }
            z.next_out = buf + used;
            z.avail_out = (uInt)(cap - used);
            rc = deflate(&z, flush);
            if (rc == Z_STREAM_ERROR)
                goto cleanup;
            used = cap - z.avail_out;
        } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
        if (flush == Z_FINISH)
            break;
    }
    *out = buf;
    *out_n = used;
    buf = NULL;
    ret = 0;
cleanup:
    deflateEnd(&z);
    free(buf);
    return ret;
}

/* Logs a request; returns its index in the log, or SIZE_MAX. */
static size_t log_request(kw_testsrv *s, struct MHD_Connection *con,
                          const char *method, const char *uri)
{
    static const struct {
        const char *name;
        size_t off;
        size_t n;
    } hdrs[] = {
        {"Host", offsetof(kw_test_req, host), sizeof(((kw_test_req *)0)->host)},
        {"User-Agent", offsetof(kw_test_req, user_agent),
         sizeof(((kw_test_req *)0)->user_agent)},
        {"If-None-Match", offsetof(kw_test_req, if_none_match),
         sizeof(((kw_test_req *)0)->if_none_match)},
        {"If-Modified-Since", offsetof(kw_test_req, if_modified_since),
         sizeof(((kw_test_req *)0)->if_modified_since)},
        {"Accept-Encoding", offsetof(kw_test_req, accept_encoding),
         sizeof(((kw_test_req *)0)->accept_encoding)},
        {"Content-Type", offsetof(kw_test_req, content_type),
         sizeof(((kw_test_req *)0)->content_type)},
    };
    kw_test_req q;
    size_t i;
    size_t at = SIZE_MAX;

    memset(&q, 0, sizeof(q));
    snprintf(q.method, sizeof(q.method), "%s", method);
    snprintf(q.path, sizeof(q.path), "%s", uri);
    for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
        const char *v =
            MHD_lookup_connection_value(con, MHD_HEADER_KIND, hdrs[i].name);

        if (v)
            snprintf((char *)&q + hdrs[i].off, hdrs[i].n, "%s", v);
    }
    q.at_ms = mono_ms();

    pthread_mutex_lock(&s->mu);
    if (s->nlog == s->caplog) {
        size_t ncap = s->caplog ? s->caplog * 2 : 64;
        kw_test_req *nl = realloc(s->log, ncap * sizeof(*nl));

        if (nl) {
            s->log = nl;
            s->caplog = ncap;
        }
    }
    if (s->nlog < s->caplog) {
        at = s->nlog;
        s->log[s->nlog++] = q;
    }
    pthread_mutex_unlock(&s->mu);
    return at;
}

/* True if the Host header @h names @want, ignoring any port and case. */
static int host_matches(const char *h, const char *want)
{
    size_t n;
    const char *colon;

    if (!h || !want)
        return 0;
    if (h[0] == '[') {
        const char *end = strchr(h, ']');

        n = end ? (size_t)(end - h) + 1 : strlen(h);
    } else {
        colon = strchr(h, ':');
        n = colon ? (size_t)(colon - h) : strlen(h);
    }
    return strlen(want) == n && strncasecmp(h, want, n) == 0;
}

/* The entry for a request: @form is a POST's body (else NULL). */
static srv_entry *find_entry(kw_testsrv *s, const char *uri,
                             const char *host, const char *method,
                             const char *form)
{
    size_t i, ul = strlen(uri);

    for (i = 0; i < s->nents; i++) {
        srv_entry *e = &s->ents[i];

        if (e->r.method) {
            const char *p = e->r.path;

            if (strcmp(e->r.method, method) != 0 || !form ||
                strncmp(p, uri, ul) != 0 || p[ul] != '?' ||
                strcmp(p + ul + 1, form) != 0)
                continue;
        } else if (strcmp(e->r.path, uri) != 0) {
            continue;
        }
        if (e->r.host_only && !host_matches(host, e->r.host))
            continue;
        return e;
    }
    return NULL;
}

/* Waits up to @ms for shutdown; returns nonzero if the server is
 * stopping. */
static int wait_stop(kw_testsrv *s, int64_t ms)
{
    struct timespec ts;
    int is_stopping;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) == ETIMEDOUT)
            break;
    }
    is_stopping = s->stopping;
    pthread_mutex_unlock(&s->mu);
    return is_stopping;
}

static int is_stopping(kw_testsrv *s)
{
    int v;

    pthread_mutex_lock(&s->mu);
    v = s->stopping;
    pthread_mutex_unlock(&s->mu);
    return v;
}

/* Content reader for STALL, ENDLESS and HUGE bodies. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    srv_stream *st = cls;

    (void)pos;
    if (st->mode == KW_TEST_STALL) {
        /* Polls rather than waiting forever so a stop that happened
         * between checks can never be missed. */
        while (!wait_stop(st->s, 100))
            ;
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    if (is_stopping(st->s))
        return MHD_CONTENT_READER_END_WITH_ERROR;
    /* HUGE has a known total size; MHD never asks past it. */
    memset(buf, 'x', max);
    return (ssize_t)max;
}

static void stream_free(void *cls)
{
    free(cls);
}

/* Adds the "Name: value\n" lines of @hdrs to @resp. */
static void add_extra_headers(struct MHD_Response *resp, const char *hdrs)
{
    const char *p = hdrs;

    while (p && *p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *colon = memchr(p, ':', len);

        if (len > 0 && p[len - 1] == '\r')
            len--;
        if (colon && len < 2048) {
            char name[256];
            char value[2048];
            size_t nn = (size_t)(colon - p);
            const char *v = colon + 1;

            while (v < p + len && (*v == ' ' || *v == '\t'))
                v++;
            if (nn < sizeof(name)) {
                memcpy(name, p, nn);
                name[nn] = '\0';
                memcpy(value, v, (size_t)(p + len - v));
                value[p + len - v] = '\0';
                MHD_add_response_header(resp, name, value);
            }
        }
        p = eol ? eol + 1 : NULL;
    }
}

static struct MHD_Response *make_stream(kw_testsrv *s, kw_test_mode mode,
                                        uint64_t size)
{
    srv_stream *st = malloc(sizeof(*st));
    struct MHD_Response *resp;

    if (!st)
        return NULL;
    st->s = s;
    st->mode = mode;
    resp = MHD_create_response_from_callback(size, 16384, stream_read, st,
                                             stream_free);
    if (!resp)
        free(st);
    return resp;
}

/* Builds the response for @e; NULL on failure. */
static struct MHD_Response *make_response(kw_testsrv *s, srv_entry *e,
                                          int *status)
{
    const kw_test_resp *r = &e->r;
    struct MHD_Response *resp = NULL;

    *status = r->status ? r->status : MHD_HTTP_OK;
    switch (r->mode) {
    case KW_TEST_STALL:
    case KW_TEST_ENDLESS:
        resp = make_stream(s, r->mode, MHD_SIZE_UNKNOWN);
        break;
    case KW_TEST_HUGE:
        resp = make_stream(s, r->mode, r->huge_bytes);
        break;
    case KW_TEST_GZIP_BOMB:
        pthread_mutex_lock(&s->mu);
        if (!e->gz && gzip_make(NULL, 0, r->huge_bytes, &e->gz, &e->gz_n))
            e->gz = NULL;
        pthread_mutex_unlock(&s->mu);
        /* FALLTHROUGH */
    case KW_TEST_GZIP:
        if (!e->gz)
            return NULL;
        resp = MHD_create_response_from_buffer(e->gz_n, e->gz,
                                               MHD_RESPMEM_PERSISTENT);
        if (resp)
            MHD_add_response_header(resp, "Content-Encoding", "gzip");
        break;
    case KW_TEST_NORMAL:
    default:
        resp = MHD_create_response_from_buffer(
            r->body_n, (void *)(uintptr_t)(r->body ? r->body : ""),
            MHD_RESPMEM_PERSISTENT);
        break;
    }
    if (!resp)
        return NULL;
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    if (r->location)
        MHD_add_response_header(resp, "Location", r->location);
    if (r->etag)
        MHD_add_response_header(resp, "ETag", r->etag);
    if (r->last_modified)
        MHD_add_response_header(resp, "Last-Modified", r->last_modified);
    add_extra_headers(resp, r->headers);
    return resp;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_n, void **req_cls)
{
    kw_testsrv *s = cls;
    srv_req *rq = *req_cls;
    const char *uri;
    const char *host;
    const char *inm;
    const char *ims;
    struct MHD_Response *resp;
    srv_entry *e;
    int status;
    enum MHD_Result ret;

    (void)version;
    uri = rq && rq->uri ? rq->uri : url;
    if (!rq || !rq->is_seen) {
        /* First call: headers are parsed; the body (if any) follows. */
        size_t at = log_request(s, con, method, uri);

        if (rq) {
            rq->is_seen = 1;
            rq->log_i = at;
            return MHD_YES;
        }
    }
    if (*upload_n) {
        /* Uploads are kept (truncated) for the log and POST matching. */
        if (rq) {
            size_t room = sizeof(rq->form) - 1 - rq->form_n;
            size_t k = *upload_n < room ? *upload_n : room;

            memcpy(rq->form + rq->form_n, upload, k);
            rq->form_n += k;
            rq->form[rq->form_n] = '\0';
        }
        *upload_n = 0;
        return MHD_YES;
    }

    host = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Host");
    pthread_mutex_lock(&s->mu);
    if (rq && rq->form_n && rq->log_i < s->nlog)
        snprintf(s->log[rq->log_i].form, sizeof(s->log[rq->log_i].form),
                 "%s", rq->form);
    e = find_entry(s, uri, host, method,
                   strcmp(method, "POST") == 0 && rq ? rq->form : NULL);
    pthread_mutex_unlock(&s->mu);
    if (!e) {
        static const char nf[] = "not found\n";

        resp = MHD_create_response_from_buffer(
            sizeof(nf) - 1, (void *)(uintptr_t)nf, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        ret = MHD_queue_response(con, MHD_HTTP_NOT_FOUND, resp);
        MHD_destroy_response(resp);
        return ret;
    }

    if (e->r.delay_ms > 0 && wait_stop(s, e->r.delay_ms))
        return MHD_NO;

    inm = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "If-None-Match");
    ims = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
                                      "If-Modified-Since");
    if ((e->r.etag && inm && strcmp(inm, e->r.etag) == 0) ||
        (e->r.last_modified && ims && strcmp(ims, e->r.last_modified) == 0)) {
        resp = MHD_create_response_from_buffer(0, (void *)(uintptr_t)"",
                                               MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        if (e->r.etag)
            MHD_add_response_header(resp, "ETag", e->r.etag);
        if (e->r.last_modified)
            MHD_add_response_header(resp, "Last-Modified",
                                    e->r.last_modified);
        ret = MHD_queue_response(con, MHD_HTTP_NOT_MODIFIED, resp);
        MHD_destroy_response(resp);
        return ret;
    }

    resp = make_response(s, e, &status);
    if (!resp)
        return MHD_NO;
    ret = MHD_queue_response(con, (unsigned int)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *con)
{
    srv_req *rq = calloc(1, sizeof(*rq));

    (void)cls;
    (void)con;
    if (!rq)
        return NULL;
    rq->log_i = SIZE_MAX;
    rq->uri = uri ? malloc(strlen(uri) + 1) : NULL;
    if (rq->uri)
        memcpy(rq->uri, uri, strlen(uri) + 1);
    return rq;
}

static void req_done(void *cls, struct MHD_Connection *con, void **req_cls,
                     enum MHD_RequestTerminationCode toe)
{
    srv_req *rq = *req_cls;

    (void)cls;
    (void)con;
    (void)toe;
    if (rq) {
        free(rq->uri);
        free(rq);
    }
    *req_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *con,
                          void **socket_ctx,
                          enum MHD_ConnectionNotificationCode toe)
{
    kw_testsrv *s = cls;

    (void)con;
    (void)socket_ctx;
    if (toe != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    pthread_mutex_lock(&s->mu);
    s->nconn++;
    pthread_mutex_unlock(&s->mu);
}

static void srv_free(kw_testsrv *s)
{
    size_t i;

    for (i = 0; i < s->nents; i++)
        entry_free(&s->ents[i]);
    free(s->ents);
    free(s->log);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

kw_testsrv *kw_testsrv_start(const kw_test_resp *table)
{
    kw_testsrv *s;
    struct sockaddr_in sin;
    const union MHD_DaemonInfo *info;
    size_t n = 0;
    size_t i;
    int is_bad = 0;

    s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    while (table && table[n].path)
        n++;
    s->ents = calloc(n ? n : 1, sizeof(*s->ents));
    if (!s->ents)
        goto fail;
    s->nents = n;
    for (i = 0; i < n; i++) {
        const kw_test_resp *t = &table[i];
        kw_test_resp *r = &s->ents[i].r;

        *r = *t;
        r->body_n = t->body ? (t->body_n ? t->body_n : strlen(t->body)) : 0;
        r->path = dup_s(t->path, &is_bad);
        r->content_type = dup_s(t->content_type, &is_bad);
        r->body = dup_n(t->body, r->body_n, &is_bad);
        r->location = dup_s(t->location, &is_bad);
        r->headers = dup_s(t->headers, &is_bad);
        r->etag = dup_s(t->etag, &is_bad);
        r->last_modified = dup_s(t->last_modified, &is_bad);
        r->host = dup_s(t->host, &is_bad);
        r->method = dup_s(t->method, &is_bad);
        if (t->mode == KW_TEST_GZIP &&
            gzip_make(r->body ? r->body : "", r->body_n, 0, &s->ents[i].gz,
                      &s->ents[i].gz_n))
            is_bad = 1;
    }
    if (is_bad)
        goto fail;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = 0;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0,
        NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
        MHD_OPTION_URI_LOG_CALLBACK, uri_log, s, MHD_OPTION_NOTIFY_COMPLETED,
        req_done, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120, MHD_OPTION_END);
    if (!s->d)
        goto fail;
    info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || info->port == 0)
        goto fail;
    s->port = info->port;
    snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
    return s;

fail:
    if (s->d)
        MHD_stop_daemon(s->d);
    srv_free(s);
    return NULL;
}

void kw_testsrv_stop(kw_testsrv *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (s->d)
        MHD_stop_daemon(s->d);
    s->d = NULL;
    srv_free(s);
}

int kw_testsrv_port(const kw_testsrv *s)
{
    return s ? s->port : 0;
}

const char *kw_testsrv_url(const kw_testsrv *s)
{
    return s ? s->url : "";
}

void kw_testsrv_urlf(const kw_testsrv *s, const char *path, char *out,
                     size_t out_n)
{
    if (!out || out_n == 0)
        return;
    snprintf(out, out_n, "%s%s", kw_testsrv_url(s), path ? path : "");
}

size_t kw_testsrv_nreq(kw_testsrv *s)
{
    size_t n;

    if (!s)
        return 0;
    pthread_mutex_lock(&s->mu);
    n = s->nlog;
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* Returns 0 and fills *out, or -1 if there is no i-th request. */
int kw_testsrv_req(kw_testsrv *s, size_t i, kw_test_req *out)
{
    int rc = -1;

    if (!s || !out)
        return -1;
    pthread_mutex_lock(&s->mu);
    if (i < s->nlog) {
        *out = s->log[i];
        rc = 0;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

size_t kw_testsrv_count(kw_testsrv *s, const char *path)
{
    size_t n = 0;
    size_t i;

    if (!s || !path)
        return 0;
    pthread_mutex_lock(&s->mu);
    for (i = 0; i < s->nlog; i++) {
        if (strcmp(s->log[i].path, path) == 0)
            n++;
    }
    pthread_mutex_unlock(&s->mu);
    return n;
}

void kw_testsrv_clear(kw_testsrv *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->nlog = 0;
    pthread_mutex_unlock(&s->mu);
}

size_t kw_testsrv_nconn(kw_testsrv *s)
{
    size_t n;

    if (!s)
        return 0;
    pthread_mutex_lock(&s->mu);
    n = s->nconn;
    pthread_mutex_unlock(&s->mu);
    return n;
}
