/*
 * test_queries_alerts.c -- alert delivery end to end, on loopback: a
 * webhook receiver (libmicrohttpd, recording request bodies), an SMTP
 * sink (a thread speaking enough SMTP for libcurl and keeping the DATA)
 * and an exec channel writing its stdin to a file.
 *
 * Checks: one re-entry alert reaches every channel once, with the
 * evidence sentence and the article URL; the e-mail is a MIME
 * multipart/alternative with a text and an escaped HTML part and an
 * encoded Subject; a failing webhook is retried with backoff and
 * recorded once; an alert detected by a process that dies before
 * delivering is delivered by the next one; backfill is never delivered.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>

#include "kw/alerts.h"
#include "kw/queries.h"

#define DAY ((int64_t)86400)
#define D0115 ((int64_t)1768402800) /* 2026-01-15T00:00+09:00 */
#define D0210 (D0115 + 26 * DAY)

/* ---- Webhook receiver --------------------------------------------------- */

typedef struct hook {
    struct MHD_Daemon *d;
    int port;
    pthread_mutex_t mu;
    int fail_next; /* answer 500 to this many requests */
    int n;         /* requests received */
    char body[4][4096];
    char ctype[4][128];
} hook;

typedef struct upload {
    char buf[4096];
    size_t n;
} upload;

static enum MHD_Result hook_handler(void *cls, struct MHD_Connection *c,
                                    const char *url, const char *method,
                                    const char *version,
                                    const char *upload_data,
                                    size_t *upload_size, void **con_cls)
{
    hook *h = cls;
    upload *u = *con_cls;
    struct MHD_Response *r;
    enum MHD_Result ret;
    const char *ct;
    int status = 200;

    (void)url;
    (void)version;
    if (!u) {
        u = calloc(1, sizeof(*u));
        *con_cls = u;
        return u ? MHD_YES : MHD_NO;
    }
    if (*upload_size) {
        size_t k = *upload_size;

        if (k > sizeof(u->buf) - 1 - u->n)
            k = sizeof(u->buf) - 1 - u->n;
        memcpy(u->buf + u->n, upload_data, k);
        u->n += k;
        *upload_size = 0;
        return MHD_YES;
    }
    ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    pthread_mutex_lock(&h->mu);
    if (strcmp(method, "POST") == 0 && h->n < 4) {
        snprintf(h->body[h->n], sizeof(h->body[0]), "%s", u->buf);
        snprintf(h->ctype[h->n], sizeof(h->ctype[0]), "%s", ct ? ct : "");
        h->n++;
    }
    if (h->fail_next > 0) {
        h->fail_next--;
        status = 500;
    }
    pthread_mutex_unlock(&h->mu);
    r = MHD_create_response_from_buffer(2, (void *)"ok",
                                        MHD_RESPMEM_PERSISTENT);
    ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static void hook_done(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}

static void hook_start(hook *h)
{
    const union MHD_DaemonInfo *info;

    memset(h, 0, sizeof(*h));
    pthread_mutex_init(&h->mu, NULL);
    h->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        hook_handler, h, MHD_OPTION_NOTIFY_COMPLETED, hook_done, NULL,
        MHD_OPTION_END);
    assert_non_null(h->d);
    info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    h->port = info->port;
}

static void hook_stop(hook *h)
{
    MHD_stop_daemon(h->d);
    pthread_mutex_destroy(&h->mu);
}

/* ---- SMTP sink ---------------------------------------------------------- */

typedef struct smtp_sink {
    int fd;
    int port;
    pthread_t th;
    pthread_mutex_t mu;
    int n;              /* messages received */
    char from[2048];
    char rcpt[2048];
    char data[16384];   /* the last message's DATA */
} smtp_sink;

static int send_line(int fd, const char *s)
{
    size_t n = strlen(s);

    return write(fd, s, n) == (ssize_t)n ? 0 : -1;
}

/* Reads one line (CRLF-terminated) into @buf; returns its length or -1. */
static int read_line(int fd, char *buf, size_t n)
{
    size_t i = 0;
    char c;

    while (i + 1 < n) {
        ssize_t k = read(fd, &c, 1);

        if (k <= 0)
            return -1;
        buf[i++] = c;
        if (c == '\n')
            break;
    }
    buf[i] = '\0';
    return (int)i;
}

static void smtp_session(smtp_sink *s, int c)
{
    char line[2048], data[16384];
    size_t dn = 0;

    send_line(c, "220 sink.test ESMTP\r\n");
    while (read_line(c, line, sizeof(line)) > 0) {
        if (strncmp(line, "EHLO", 4) == 0 || strncmp(line, "HELO", 4) == 0) {
            send_line(c, "250-sink.test\r\n250 8BITMIME\r\n");
        } else if (strncmp(line, "MAIL FROM:", 10) == 0) {
            pthread_mutex_lock(&s->mu);
            snprintf(s->from, sizeof(s->from), "%s", line + 10);
            pthread_mutex_unlock(&s->mu);
            send_line(c, "250 OK\r\n");
        } else if (strncmp(line, "RCPT TO:", 8) == 0) {
            pthread_mutex_lock(&s->mu);
            snprintf(s->rcpt, sizeof(s->rcpt), "%s", line + 8);
            pthread_mutex_unlock(&s->mu);
            send_line(c, "250 OK\r\n");
        } else if (strncmp(line, "DATA", 4) == 0) {
            send_line(c, "354 go ahead\r\n");
            dn = 0;
            while (read_line(c, line, sizeof(line)) > 0) {
                size_t k = strlen(line);

                if (strcmp(line, ".\r\n") == 0)
                    break;
                if (dn + k < sizeof(data)) {
                    memcpy(data + dn, line, k);
                    dn += k;
                }
            }
            data[dn] = '\0';
            pthread_mutex_lock(&s->mu);
            memcpy(s->data, data, dn + 1);
            s->n++;
            pthread_mutex_unlock(&s->mu);
            send_line(c, "250 queued\r\n");
        } else if (strncmp(line, "QUIT", 4) == 0) {
            send_line(c, "221 bye\r\n");
            break;
        } else {
            send_line(c, "250 OK\r\n");
        }
    }
}

static void *smtp_main(void *ud)
{
    smtp_sink *s = ud;

    for (;;) {
        int c = accept(s->fd, NULL, NULL);

        if (c < 0)
            break; /* the socket was shut down */
        smtp_session(s, c);
        close(c);
    }
    return NULL;
}

static void smtp_start(smtp_sink *s)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);

    memset(s, 0, sizeof(*s));
    pthread_mutex_init(&s->mu, NULL);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(s->fd, 4), 0);
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
    s->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&s->th, NULL, smtp_main, s), 0);
}

static void smtp_stop(smtp_sink *s)
{
    shutdown(s->fd, SHUT_RDWR);
    close(s->fd);
    pthread_join(s->th, NULL);
    pthread_mutex_destroy(&s->mu);
}

/* Decodes quoted-printable @in into @out (soft breaks removed). */
static void qp_decode(const char *in, char *out, size_t n)
{
    size_t o = 0;

    while (*in && o + 1 < n) {
        if (in[0] == '=' && in[1] == '\r' && in[2] == '\n') {
            in += 3;
        } else if (in[0] == '=' && isxdigit((unsigned char)in[1]) &&
                   isxdigit((unsigned char)in[2])) {
            char hex[3] = {in[1], in[2], 0};

            out[o++] = (char)strtol(hex, NULL, 16);
            in += 3;
        } else {
            out[o++] = *in++;
        }
    }
    out[o] = '\0';
}

/* ---- Fixture ------------------------------------------------------------ */

static char tmpdir[128];

static kw_event_rec ev(const char *entity, const char *stance, int64_t at,
                       int64_t pub, const char *sentence)
{
    kw_event_rec e;

    memset(&e, 0, sizeof(e));
    e.entity_id = entity;
    e.entity_name = strcmp(entity, "nc-ai") == 0 ? "NC AI" : entity;
    e.stance = stance;
    e.event_at = at;
    e.event_offset = 540;
    e.published_at = pub;
    e.published_offset = 540;
    e.sentence = sentence;
    return e;
}

static void story(kw_store *st, const char *url, int64_t pub,
                  const kw_event_rec *e, size_t n, uint64_t fp)
{
    kw_article_rec a;
    int64_t url_id = 0, id = 0;

    assert_int_equal(kw_store_url_add(st, 0, url, KW_ROLE_ARTICLE, 0,
                                      &url_id, NULL),
                     KW_OK);
    memset(&a, 0, sizeof(a));
    a.url_id = url_id;
    a.url = url;
    a.title = url;
    a.text = "독자 AI";
    a.published_at = pub;
    a.published_offset = 540;
    a.fetched_at = pub;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &id, NULL),
                     KW_OK);
    assert_int_equal(kw_store_analysis_put(st, id, NULL, 0, e, n, fp, 10,
                                           NULL),
                     KW_OK);
}

#define EVIDENCE                                                           \
    "엔씨AI는 10일 <NIPA>에 \"추가 공모\" 신청서를 제출했다 & 밝혔다."

static kw_store *open_db(const char *name)
{
    char path[256], err[512];
    kw_store *st = NULL;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    return st;
}

static void add_channels(kw_store *st, const hook *h, const smtp_sink *s)
{
    char url[128], smtp[128], cmd[256], *opts = NULL;
    kw_channel_rec c;

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", h->port);
    snprintf(smtp, sizeof(smtp), "smtp://127.0.0.1:%d", s->port);
    snprintf(cmd, sizeof(cmd), "cat > '%s/exec.json'", tmpdir);
    memset(&c, 0, sizeof(c));
    c.kind = "webhook";
    c.target = url;
    assert_int_equal(kw_store_channel_add(st, &c, NULL), KW_OK);
    assert_int_equal(kw_alerts_email_options(smtp, "watch@kowatch.test",
                                             &opts),
                     KW_OK);
    c.kind = "email";
    c.target = "analyst@example.test";
    c.options = opts;
    assert_int_equal(kw_store_channel_add(st, &c, NULL), KW_OK);
    kw_free(opts);
    c.kind = "exec";
    c.target = cmd;
    c.options = NULL;
    assert_int_equal(kw_store_channel_add(st, &c, NULL), KW_OK);
}

static void reentry_history(kw_store *st)
{
    kw_event_rec n2[] = {ev("nc-ai", "eliminated", D0115, D0115 + 36000,
                            "엔씨AI는 고배를 마셨다.")};
    kw_event_rec n4[] = {ev("nc-ai", "entering", D0210, D0210 + 50000,
                            EVIDENCE),
                         ev("nc-ai", "eliminated", D0115, D0210 + 50000,
                            "지난달 15일 고배를 마셨다.")};

    story(st, "https://nuri.test/1002", D0115 + 36000, n2, 1, 0x1);
    story(st, "https://nuri.test/1004", D0210 + 50000, n4, 2,
          0xF0F0F0F0F0F0F0F0ULL);
    story(st, "https://hanbit.test/h3", D0210 + 54000, n4, 2,
          0xF0F0F0F0F0F0F0F0ULL ^ 0x5ULL);
}

typedef struct dl_states {
    char s[8][64];
    int n;
} dl_states;

static kw_err see_dl(const kw_delivery_rec *d, void *ud)
{
    dl_states *l = ud;

    assert_true(l->n < 8);
    snprintf(l->s[l->n++], sizeof(l->s[0]), "%s:%s:%d", d->channel_kind,
             d->state, d->attempts);
    return KW_OK;
}

/* ---- Tests -------------------------------------------------------------- */

static void test_three_channels(void **state)
{
    kw_alerts_config ac = kw_alerts_config_default();
    kw_deliver_config dc = kw_deliver_config_default();
    kw_deliver_stats ds;
    kw_store *st = open_db("three.db");
    char *exec_json = NULL, html[16384];
    size_t exec_n = 0, n_new = 0;
    dl_states l;
    json_t *j;
    smtp_sink s;
    hook h;

    (void)state;
    hook_start(&h);
    smtp_start(&s);
    add_channels(st, &h, &s);
    reentry_history(st);
    ac.now = D0210 + 60000;
    assert_int_equal(kw_alerts_evaluate(st, &ac, &n_new), KW_OK);
    assert_int_equal(n_new, 1);

    dc.now = ac.now;
    dc.timeout_ms = 5000;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.attempted, 3);
    assert_int_equal(ds.delivered, 3);

    /* Webhook: JSON with the evidence and the URL. */
    assert_int_equal(h.n, 1);
    assert_non_null(strstr(h.ctype[0], "application/json"));
    j = json_loads(h.body[0], 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "kind")),
                        "reentry");
    assert_string_equal(json_string_value(json_object_get(j, "entity")),
                        "nc-ai");
    assert_string_equal(json_string_value(json_object_get(j, "stance")),
                        "entering");
    assert_string_equal(json_string_value(json_object_get(j, "sentence")),
                        EVIDENCE);
    assert_string_equal(json_string_value(json_object_get(j, "url")),
                        "https://nuri.test/1004");
    assert_string_equal(json_string_value(json_object_get(j, "date")),
                        "2026-02-10T00:00:00+09:00");
    json_decref(j);

    /* E-mail: envelope, headers, MIME structure, escaped HTML. */
    assert_int_equal(s.n, 1);
    assert_non_null(strstr(s.from, "watch@kowatch.test"));
    assert_non_null(strstr(s.rcpt, "analyst@example.test"));
    assert_non_null(strstr(s.data, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(s.data, "To: <analyst@example.test>"));
    assert_non_null(strstr(s.data, "multipart/alternative"));
    assert_non_null(strstr(s.data, "text/plain; charset=UTF-8"));
    assert_non_null(strstr(s.data, "text/html; charset=UTF-8"));
    assert_non_null(strstr(s.data, "quoted-printable"));
    qp_decode(s.data, html, sizeof(html));
    if (getenv("KW_TEST_DUMP"))
        fprintf(stderr, "%s\n----\n%s\n", s.data, html);
    assert_non_null(strstr(html, "&lt;NIPA&gt;"));
    assert_non_null(strstr(html, "&quot;추가 공모&quot;"));
    assert_non_null(strstr(html, "&amp; 밝혔다"));
    assert_non_null(strstr(html, EVIDENCE)); /* the text part, as is */
    assert_non_null(strstr(html, "https://nuri.test/1004"));

    /* Exec: the alert JSON on stdin. */
    {
        char path[256];

        snprintf(path, sizeof(path), "%s/exec.json", tmpdir);
        assert_int_equal(kw_read_file(path, 65536, &exec_json, &exec_n),
                         KW_OK);
    }
    j = json_loads(exec_json, 0, NULL);
    kw_free(exec_json);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "entity")),
                        "nc-ai");
    json_decref(j);

    /* Nothing more is due: delivered once, recorded once. */
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.attempted, 0);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_delivery_each(st, 1, see_dl, &l), KW_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.s[0], "webhook:delivered:1");
    assert_string_equal(l.s[1], "email:delivered:1");
    assert_string_equal(l.s[2], "exec:delivered:1");
    assert_int_equal(h.n, 1);
    assert_int_equal(s.n, 1);

    kw_store_close(st);
    smtp_stop(&s);
    hook_stop(&h);
}

static void test_retry_and_crash(void **state)
{
    kw_alerts_config ac = kw_alerts_config_default();
    kw_deliver_config dc = kw_deliver_config_default();
    kw_deliver_stats ds;
    kw_channel_rec c;
    kw_store *st = open_db("retry.db");
    char url[128];
    size_t n_new = 0;
    dl_states l;
    hook h;

    (void)state;
    hook_start(&h);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", h.port);
    memset(&c, 0, sizeof(c));
    c.kind = "webhook";
    c.target = url;
    assert_int_equal(kw_store_channel_add(st, &c, NULL), KW_OK);
    reentry_history(st);
    ac.now = D0210 + 60000;
    assert_int_equal(kw_alerts_evaluate(st, &ac, &n_new), KW_OK);
    assert_int_equal(n_new, 1);
    /* The process dies here: detection is committed, nothing sent. */
    kw_store_close(st);

    st = open_db("retry.db");
    h.fail_next = 2;
    dc.now = ac.now;
    dc.timeout_ms = 5000;
    dc.backoff_base_s = 60;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.retrying, 1);
    /* Not due before the backoff has passed. */
    dc.now = ac.now + 30;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.attempted, 0);
    dc.now = ac.now + 60;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.retrying, 1);
    /* Second failure: the wait doubled. */
    dc.now = ac.now + 60 + 119;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.attempted, 0);
    dc.now = ac.now + 60 + 120;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.delivered, 1);
    assert_int_equal(h.n, 3);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_delivery_each(st, 1, see_dl, &l), KW_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.s[0], "webhook:delivered:3");

    /* Backfill: an old re-entry first seen now is never delivered. */
    {
        kw_event_rec kt[] = {
            ev("kt", "declined", D0115, D0115, "KT는 불참한다."),
            ev("kt", "entering", D0115 + DAY, D0115 + DAY, "KT 참여")};

        story(st, "https://x.test/kt", D0115 + DAY, kt, 2, 0x77);
    }
    assert_int_equal(kw_alerts_evaluate(st, &ac, &n_new), KW_OK);
    assert_int_equal(n_new, 1);
    dc.now = ac.now + 100000;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.attempted, 0);
    assert_int_equal(h.n, 3);

    /* A channel that cannot be reached gives up after max_attempts. */
    c.target = "http://127.0.0.1:1/nothing";
    assert_int_equal(kw_store_channel_add(st, &c, NULL), KW_OK);
    {
        kw_event_rec e[] = {
            ev("kt", "declined", D0210, D0210, "KT는 다시 불참한다."),
            ev("kt", "entering", D0210 + DAY, D0210 + DAY, "KT 재참여")};

        story(st, "https://x.test/kt2", D0210 + DAY, e, 2, 0x7700);
    }
    ac.now = D0210 + DAY + 100;
    assert_int_equal(kw_alerts_evaluate(st, &ac, &n_new), KW_OK);
    assert_int_equal(n_new, 1);
    dc.max_attempts = 2;
    dc.now = ac.now;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.delivered, 1);
    assert_int_equal(ds.retrying, 1);
    dc.now = ac.now + 3600;
    assert_int_equal(kw_alerts_deliver(st, &dc, &ds), KW_OK);
    assert_int_equal(ds.failed, 1);
    kw_store_close(st);
    hook_stop(&h);
}

static int rm_rf(void)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/kw_test_alerts.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rm_rf();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_channels),
        cmocka_unit_test(test_retry_and_crash),
    };

    int rc;

    kw_queries_global_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
