/*
 * fetch.c -- the crawler's transfer engine on the libcurl multi interface.
 *
 * Each transfer is one easy handle configured for polite, bounded
 * fetching: http and https only (also after redirects), at most
 * max_redirects redirects, connect/total/low-speed timeouts, any content
 * coding libcurl was built with (the body we keep is decoded, so the size
 * limit also stops compression bombs), HTTP/2 over TLS where offered, no
 * signals.  We keep the request head as sent (CURLINFO_HEADER_OUT through
 * the debug callback), the head of the last response after redirects, and
 * the body up to a limit.  Scheduling -- which URL may start when -- is
 * crawler.c's business; this file only runs what it is given.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"

typedef struct xfer {
    kw__xfer pub;             /* what the caller sees; first member */
    CURL *easy;               /* NULL once removed from the multi */
    struct curl_slist *hdrs;  /* conditional GET headers */
    kw_buf req;               /* the last request head sent */
    kw_buf resp;              /* the last response head received */
    kw_buf body;              /* the decoded body, up to max_body */
    size_t max_body;          /* limit on body.n */
    int truncate;             /* keep max_body bytes instead of aborting */
    int too_big;              /* the write callback refused the body */
    int head_too_big;         /* the response head passed KW_MAX_HEADER */
    int64_t start_ms;         /* monotonic start */
    char *url;                /* owned copy of the URL */
    char *post;               /* form body to POST, or NULL for a GET */
    int req_done;             /* req holds a complete head (and body) */
    char *content_type;       /* owned */
    char *etag;               /* owned */
    char *last_modified;      /* owned */
    char *error;              /* owned */
    char errbuf[CURL_ERROR_SIZE]; /* libcurl's detailed message */
    struct xfer *next;        /* active list or done queue */
} xfer;

struct kw__engine {
    CURLM *multi;                 /* the multi handle */
    const kw_crawler_config *cfg; /* borrowed; outlives the engine */
    xfer *active;                 /* transfers in flight */
    size_t n_active;
    xfer *done_head;              /* finished, not yet taken */
    xfer *done_tail;
};

void kw__xfer_free(kw__xfer *px)
{
    xfer *x = (xfer *)px;

    if (!x)
        return;
    if (x->easy)
        curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->hdrs);
    kw_buf_deinit(&x->req);
    kw_buf_deinit(&x->resp);
    kw_buf_deinit(&x->body);
    kw_free(x->url);
    kw_free(x->post);
    kw_free(x->content_type);
    kw_free(x->etag);
    kw_free(x->last_modified);
    kw_free(x->error);
    kw_free(x);
}

kw_err kw__engine_new(const kw_crawler_config *cfg, kw__engine **out)
{
    kw__engine *e;

    *out = NULL;
    e = kw_calloc(1, sizeof(*e));
    if (!e)
        return KW_ENOMEM;
    e->multi = curl_multi_init();
    if (!e->multi) {
        kw_free(e);
        return KW_ENOMEM;
    }
    e->cfg = cfg;
    *out = e;
    return KW_OK;
}

void kw__engine_free(kw__engine *e, void (*release)(void *ud))
{
    xfer *x;
    xfer *next;

    if (!e)
        return;
    for (x = e->active; x; x = next) {
        next = x->next;
        curl_multi_remove_handle(e->multi, x->easy);
        if (release)
            release(x->pub.ud);
        kw__xfer_free(&x->pub);
    }
    for (x = e->done_head; x; x = next) {
        next = x->next;
        if (release)
            release(x->pub.ud);
        kw__xfer_free(&x->pub);
    }
    curl_multi_cleanup(e->multi);
    kw_free(e);
}

size_t kw__engine_active(const kw__engine *e)
{
    return e->n_active;
}

/* Body bytes, already decoded by libcurl.  Returning less than offered
 * aborts the transfer with CURLE_WRITE_ERROR. */
static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;

    if (n > x->max_body - x->body.n) {
        if (!x->truncate) {
            x->too_big = 1;
            return 0;
        }
        kw_buf_add(&x->body, p, x->max_body - x->body.n);
        return x->body.err ? 0 : n;
    }
    kw_buf_add(&x->body, p, n);
    if (x->body.err)
        return 0;
    return n;
}

/* Response header lines; a status line starts a new response (after a
 * redirect or a 100 Continue), so only the last response's head is kept. */
static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;

    if (n >= 5 && memcmp(p, "HTTP/", 5) == 0)
        kw_buf_reset(&x->resp);
    kw_buf_add(&x->resp, p, n);
    if (x->resp.err) {
        x->head_too_big = 1;
        return 0;
    }
    return n;
}

/* Captures the request as sent: its head, then a POST's body; each new
 * request (a redirect) replaces the previous one. */
static int on_debug(CURL *h, curl_infotype type, char *p, size_t n, void *ud)
{
    xfer *x = ud;

    (void)h;
    if (type == CURLINFO_DATA_OUT && x->req_done) {
        kw_buf_add(&x->req, p, n);
        return 0;
    }
    if (type != CURLINFO_HEADER_OUT)
        return 0;
    if (x->req_done) {
        kw_buf_reset(&x->req);
        x->req_done = 0;
    }
    kw_buf_add(&x->req, p, n);
    if (x->req.n >= 4 && memcmp(x->req.p + x->req.n - 4, "\r\n\r\n", 4) == 0)
        x->req_done = 1;
    return 0;
}

static kw_err add_header(xfer *x, const char *name, const char *value)
{
    kw_buf b;
    struct curl_slist *l;
    kw_err rc;

    kw_buf_init(&b, KW_MAX_HEADER);
    kw_buf_addf(&b, "%s: %s", name, value);
    rc = b.err;
    if (rc)
        goto done;
    l = curl_slist_append(x->hdrs, b.p);
    if (!l) {
        rc = KW_ENOMEM;
        goto done;
    }
    x->hdrs = l;
done:
    kw_buf_deinit(&b);
    return rc;
}

/* Sets every option of a transfer; KW_ENOMEM or KW_EINVAL if libcurl
 * refuses one. */
static kw_err setup_easy(kw__engine *e, xfer *x)
{
    const kw_crawler_config *cfg = e->cfg;
    CURL *h = x->easy;
    CURLcode c = CURLE_OK;

#define SET(opt, val)                                                       \
    do {                                                                    \
        if (c == CURLE_OK)                                                  \
            c = curl_easy_setopt(h, opt, val);                              \
    } while (0)
    SET(CURLOPT_URL, x->url);
    SET(CURLOPT_PRIVATE, (void *)x);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, (long)cfg->max_redirects);
    SET(CURLOPT_AUTOREFERER, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
    SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SET(CURLOPT_LOW_SPEED_TIME, cfg->low_speed_time_s);
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    SET(CURLOPT_USERAGENT, cfg->user_agent ? cfg->user_agent
                                           : kw_crawler_default_user_agent());
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, (void *)x);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, (void *)x);
    SET(CURLOPT_DEBUGFUNCTION, on_debug);
    SET(CURLOPT_DEBUGDATA, (void *)x);
    SET(CURLOPT_VERBOSE, 1L);
    SET(CURLOPT_ERRORBUFFER, x->errbuf);
    if (!x->truncate)
        SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_body);
    if (x->hdrs)
        SET(CURLOPT_HTTPHEADER, x->hdrs);
    if (x->post) {
        /* A 301/302/303 after the POST becomes a GET, as browsers do. */
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(x->post));
        SET(CURLOPT_POSTFIELDS, x->post);
    }
#undef SET
    if (c == CURLE_OUT_OF_MEMORY)
        return KW_ENOMEM;
    if (c != CURLE_OK) {
        kw_log(KW_LOG_ERROR, "crawler", "curl_easy_setopt: %s",
               curl_easy_strerror(c));
        return KW_EINVAL;
    }
    return KW_OK;
}

kw_err kw__engine_add(kw__engine *e, const char *url, const char *post,
                      const char *etag, const char *last_modified,
                      size_t max_body, int truncate, void *ud)
{
    xfer *x;
    kw_err rc;
    CURLMcode mc;

    x = kw_calloc(1, sizeof(*x));
    if (!x)
        return KW_ENOMEM;
    kw_buf_init(&x->req, KW_MAX_HEADER);
    kw_buf_init(&x->resp, KW_MAX_HEADER);
    kw_buf_init(&x->body, max_body);
    x->max_body = max_body;
    x->truncate = truncate;
    x->pub.ud = ud;
    x->url = kw_strdup(url);
    if (!x->url) {
        rc = KW_ENOMEM;
        goto fail;
    }
    x->pub.url = x->url;
    if (post) {
        x->post = kw_strdup(post);
        if (!x->post) {
            rc = KW_ENOMEM;
            goto fail;
        }
    }
    if (etag && *etag) {
        rc = add_header(x, "If-None-Match", etag);
        if (rc)
            goto fail;
    }
    if (last_modified && *last_modified) {
        rc = add_header(x, "If-Modified-Since", last_modified);
        if (rc)
            goto fail;
    }
    x->easy = curl_easy_init();
    if (!x->easy) {
        rc = KW_ENOMEM;
        goto fail;
    }
    rc = setup_easy(e, x);
    if (rc)
        goto fail;
    x->pub.at = kw_now();
    x->start_ms = kw_mono_ms();
    mc = curl_multi_add_handle(e->multi, x->easy);
    if (mc != CURLM_OK) {
        rc = mc == CURLM_OUT_OF_MEMORY ? KW_ENOMEM : KW_ENET;
        goto fail;
    }
    x->next = e->active;
    e->active = x;
    e->n_active++;
    return KW_OK;
fail:
    kw__xfer_free(&x->pub);
    return rc;
}

/* The value of header @name in a response head, trimmed; owned, or NULL
 * when absent (or out of memory, which only loses a validator). */
static char *header_dup(const char *head, size_t n, const char *name)
{
    size_t name_n = strlen(name);
    size_t i = 0;

    while (i < n) {
        size_t end = i;
        size_t v;
        size_t ve;

        while (end < n && head[end] != '\n')
            end++;
        if (end - i > name_n && head[i + name_n] == ':' &&
            strncasecmp(head + i, name, name_n) == 0) {
            v = i + name_n + 1;
            ve = end;
            while (v < ve && (head[v] == ' ' || head[v] == '\t'))
                v++;
            while (ve > v && (head[ve - 1] == '\r' || head[ve - 1] == ' ' ||
                              head[ve - 1] == '\t'))
                ve--;
            if (ve > v)
                return kw_strndup(head + v, ve - v);
            return NULL;
        }
        i = end + 1;
    }
    return NULL;
}

void kw__content_type_charset(const char *ct, char *out, size_t out_n)
{
    const char *p;
    size_t n = 0;

    if (out_n == 0)
        return;
    out[0] = '\0';
    if (!ct)
        return;
    for (p = ct; *p; p++) {
        if (strncasecmp(p, "charset=", 8) == 0)
            break;
    }
    if (!*p)
        return;
    p += 8;
    if (*p == '"' || *p == '\'')
        p++;
    while (p[n] && p[n] != ';' && p[n] != '"' && p[n] != '\'' &&
           p[n] != ' ' && p[n] != '\t')
        n++;
    if (n >= out_n)
        return; /* no real charset name is that long */
    memcpy(out, p, n);
    out[n] = '\0';
}

/* Fills the public fields of a finished transfer from libcurl's result. */
static void finish(kw__engine *e, xfer *x, CURLcode res)
{
    long status = 0;
    char *ct = NULL;
    curl_off_t ra = 0;
    kw_buf err;

    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
    curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra);
    x->pub.end_ms = kw_mono_ms();
    x->pub.elapsed_ms = x->pub.end_ms - x->start_ms;
    x->pub.status = (int)status;
    if (ct)
        x->content_type = kw_strdup(ct);
    x->pub.content_type = x->content_type;
    x->pub.retry_after_s = ra > 0 ? (int64_t)ra : 0;
    if (x->resp.p) {
        x->etag = header_dup(x->resp.p, x->resp.n, "ETag");
        x->last_modified = header_dup(x->resp.p, x->resp.n, "Last-Modified");
    }
    x->pub.etag = x->etag;
    x->pub.last_modified = x->last_modified;

    kw_buf_init(&err, 1024);
    if (res == CURLE_OK) {
        x->pub.fail = KW__XFER_OK;
    } else if ((res == CURLE_WRITE_ERROR && x->too_big) ||
               res == CURLE_FILESIZE_EXCEEDED) {
        x->pub.fail = KW__XFER_TOO_BIG;
        kw_buf_addf(&err, "body larger than %zu bytes", x->max_body);
    } else if (res == CURLE_WRITE_ERROR && x->head_too_big) {
        x->pub.fail = KW__XFER_NET;
        kw_buf_addf(&err, "response header larger than %zu bytes",
                    KW_MAX_HEADER);
    } else {
        if (res == CURLE_TOO_MANY_REDIRECTS)
            x->pub.fail = KW__XFER_REDIRECTS;
        else if (res == CURLE_OPERATION_TIMEDOUT)
            x->pub.fail = KW__XFER_TIMEOUT;
        else if (res == CURLE_UNSUPPORTED_PROTOCOL)
            x->pub.fail = KW__XFER_PROTOCOL;
        else
            x->pub.fail = KW__XFER_NET;
        kw_buf_adds(&err, curl_easy_strerror(res));
        if (x->errbuf[0])
            kw_buf_addf(&err, ": %s", x->errbuf);
        /* libcurl's messages end in a newline at times. */
        while (err.n && (err.p[err.n - 1] == '\n' || err.p[err.n - 1] == '\r'))
            err.p[--err.n] = '\0';
    }
    if (err.n)
        x->error = kw_buf_steal(&err);
    kw_buf_deinit(&err);
    if (x->pub.fail != KW__XFER_OK && !x->error)
        x->error = kw_strdup("transfer failed");
    x->pub.error = x->error;
    x->pub.req_head = x->req.p ? x->req.p : "";
    x->pub.req_n = x->req.n;
    x->pub.resp_head = x->resp.p ? x->resp.p : "";
    x->pub.resp_n = x->resp.n;
    x->pub.body = x->body.p ? x->body.p : "";
    x->pub.body_n = x->body.n;
    curl_multi_remove_handle(e->multi, x->easy);
    curl_easy_cleanup(x->easy);
    x->easy = NULL;
}

/* Moves every finished transfer from the active list to the done queue;
 * returns how many. */
static size_t collect(kw__engine *e)
{
    CURLMsg *m;
    int left = 0;
    size_t n = 0;

    for (;;) {
        xfer *x = NULL;
        xfer **pp;

        m = curl_multi_info_read(e->multi, &left);
        if (!m)
            break;
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        if (!x)
            continue;
        for (pp = &e->active; *pp; pp = &(*pp)->next) {
            if (*pp == x) {
                *pp = x->next;
                break;
            }
        }
        e->n_active--;
        finish(e, x, m->data.result);
        x->next = NULL;
        if (e->done_tail)
            e->done_tail->next = x;
        else
            e->done_head = x;
        e->done_tail = x;
        n++;
    }
    return n;
}

kw_err kw__engine_run(kw__engine *e, int timeout_ms)
{
    int running = 0;
    CURLMcode mc;

    mc = curl_multi_perform(e->multi, &running);
    if (mc != CURLM_OK)
        goto fail;
    if (collect(e) || e->done_head)
        return KW_OK;
    mc = curl_multi_poll(e->multi, NULL, 0, timeout_ms < 0 ? 0 : timeout_ms,
                         NULL);
    if (mc != CURLM_OK)
        goto fail;
    mc = curl_multi_perform(e->multi, &running);
    if (mc != CURLM_OK)
        goto fail;
    collect(e);
    return KW_OK;
fail:
    kw_log(KW_LOG_ERROR, "crawler", "curl multi: %s", curl_multi_strerror(mc));
    return mc == CURLM_OUT_OF_MEMORY ? KW_ENOMEM : KW_ENET;
}

kw__xfer *kw__engine_done(kw__engine *e)
{
    xfer *x = e->done_head;

    if (!x)
        return NULL;
    e->done_head = x->next;
    if (!e->done_head)
        e->done_tail = NULL;
    x->next = NULL;
    return &x->pub;
}
