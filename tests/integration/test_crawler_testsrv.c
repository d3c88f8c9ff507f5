/*
 * test_crawler_testsrv.c -- checks the in-process test server
 * (tests/harness/testsrv.h) with plain libcurl easy requests: every knob of
 * the response table, the request log, and that stop() returns promptly
 * while a client is stuck on a stalled response.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "testsrv.h"

#define BOMB_BYTES ((uint64_t)64 * 1024 * 1024)
#define HUGE_BYTES ((uint64_t)3 * 1024 * 1024 + 17)

static const kw_test_resp table[] = {
    {.path = "/", .content_type = "text/html; charset=utf-8",
     .body = "<p>hello</p>"},
    {.path = "/bin", .content_type = "application/octet-stream",
     .body = "a\0b\0c", .body_n = 5},
    {.path = "/q?b=2&a=1", .body = "query"},
    {.path = "/redir", .status = 301, .location = "/"},
    {.path = "/err", .status = 503, .body = "busy",
     .headers = "Retry-After: 7\nX-Test: one two\r\n"},
    {.path = "/gz", .content_type = "text/plain", .mode = KW_TEST_GZIP,
     .body = "compressed hello compressed hello compressed hello"},
    {.path = "/bomb", .mode = KW_TEST_GZIP_BOMB, .huge_bytes = BOMB_BYTES},
    {.path = "/huge", .mode = KW_TEST_HUGE, .huge_bytes = HUGE_BYTES},
    {.path = "/giant", .mode = KW_TEST_HUGE,
     .huge_bytes = (uint64_t)1 << 40},
    {.path = "/endless", .mode = KW_TEST_ENDLESS},
    {.path = "/stall", .content_type = "text/html", .mode = KW_TEST_STALL},
    {.path = "/slow", .body = "late", .delay_ms = 300},
    {.path = "/etag", .body = "v1", .etag = "\"abc\"",
     .last_modified = "Wed, 21 Oct 2015 07:28:00 GMT"},
    {.path = "/vh", .body = "host A", .host_only = 1, .host = "a.test"},
    {.path = "/vh", .body = "host B", .host_only = 1, .host = "localhost"},
    {.path = "/vh", .body = "any host"},
    {.path = NULL},
};

typedef struct fetch {
    long code;         /* HTTP status */
    CURLcode rc;       /* transfer result */
    char *body;        /* received bytes (malloc), NUL-terminated */
    size_t n;          /* bytes received */
    size_t cap;        /* allocated */
    size_t abort_at;   /* abort the transfer past this many bytes (0: no) */
    int only_count;    /* count bytes but do not keep them */
    int all_x;         /* every counted byte was 'x' */
    char ctype[128];   /* Content-Type */
    char hdrs[2048];   /* raw response headers */
    int64_t ms;        /* elapsed */
} fetch;

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
    fetch *f = ud;
    size_t n = size * nmemb;
    size_t i;

    if (f->only_count) {
        for (i = 0; i < n; i++) {
            if (p[i] != 'x')
                f->all_x = 0;
        }
    } else {
        if (f->n + n + 1 > f->cap) {
            size_t cap = (f->n + n + 1) * 2;
            char *nb = realloc(f->body, cap);

            if (!nb)
                return 0;
            f->body = nb;
            f->cap = cap;
        }
        memcpy(f->body + f->n, p, n);
        f->body[f->n + n] = '\0';
    }
    f->n += n;
    if (f->abort_at && f->n > f->abort_at)
        return 0;
    return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    fetch *f = ud;
    size_t n = size * nmemb;
    size_t used = strlen(f->hdrs);

    if (used + n < sizeof(f->hdrs)) {
        memcpy(f->hdrs + used, p, n);
        f->hdrs[used + n] = '\0';
    }
    return n;
}

/* GETs @path from @s; @extra is one request header line or NULL;
 * @setup may set more options. */
static void get(const kw_testsrv *s, const char *path, fetch *f,
                struct curl_slist *extra, long timeout_ms, const char *enc)
{
    char url[256];
    CURL *c = curl_easy_init();
    const char *ct = NULL;
    int64_t t0;

    assert_non_null(c);
    kw_testsrv_urlf(s, path, url, sizeof(url));
    f->all_x = 1;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "kowatch-test/1.0");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms ? timeout_ms : 10000L);
    if (extra)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, extra);
    if (enc)
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, enc);
    t0 = now_ms();
    f->rc = curl_easy_perform(c);
    f->ms = now_ms() - t0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f->code);
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    if (ct)
        snprintf(f->ctype, sizeof(f->ctype), "%s", ct);
    curl_easy_cleanup(c);
}

static void fetch_free(fetch *f)
{
    free(f->body);
    memset(f, 0, sizeof(*f));
}

static int setup(void **state)
{
    kw_testsrv *s = kw_testsrv_start(table);

    if (!s)
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    kw_testsrv_stop(*state);
    return 0;
}

static void test_start_port_url(void **state)
{
    kw_testsrv *s = *state;
    char buf[128];
    char want[128];

    assert_true(kw_testsrv_port(s) > 0);
    snprintf(want, sizeof(want), "http://127.0.0.1:%d", kw_testsrv_port(s));
    assert_string_equal(kw_testsrv_url(s), want);
    kw_testsrv_urlf(s, "/x?y", buf, sizeof(buf));
    assert_string_equal(buf + strlen(want), "/x?y");
    kw_testsrv_stop(NULL);
}

static void test_normal_and_404(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};

    get(s, "/", &f, NULL, 0, NULL);
    assert_int_equal(f.rc, CURLE_OK);
    assert_int_equal(f.code, 200);
    assert_string_equal(f.body, "<p>hello</p>");
    assert_string_equal(f.ctype, "text/html; charset=utf-8");
    fetch_free(&f);

    get(s, "/bin", &f, NULL, 0, NULL);
    assert_int_equal(f.code, 200);
    assert_int_equal(f.n, 5);
    assert_memory_equal(f.body, "a\0b\0c", 5);
    fetch_free(&f);

    get(s, "/nope", &f, NULL, 0, NULL);
    assert_int_equal(f.code, 404);
    fetch_free(&f);

    /* Query strings are part of the match. */
    get(s, "/q?b=2&a=1", &f, NULL, 0, NULL);
    assert_int_equal(f.code, 200);
    assert_string_equal(f.body, "query");
    fetch_free(&f);
    get(s, "/q?a=1&b=2", &f, NULL, 0, NULL);
    assert_int_equal(f.code, 404);
    fetch_free(&f);
}

static void test_status_location_headers(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};

    get(s, "/redir", &f, NULL, 0, NULL);
    assert_int_equal(f.code, 301);
    assert_non_null(strstr(f.hdrs, "Location: /\r\n"));
    fetch_free(&f);

    get(s, "/err", &f, NULL, 0, NULL);
    assert_int_equal(f.code, 503);
    assert_string_equal(f.body, "busy");
    assert_non_null(strstr(f.hdrs, "Retry-After: 7\r\n"));
    assert_non_null(strstr(f.hdrs, "X-Test: one two\r\n"));
    fetch_free(&f);
}

static void test_gzip(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};
    kw_test_req q;

    get(s, "/gz", &f, NULL, 0, "");
    assert_int_equal(f.rc, CURLE_OK);
    assert_int_equal(f.code, 200);
    assert_non_null(strstr(f.hdrs, "Content-Encoding: gzip"));
    assert_string_equal(f.body,
                        "compressed hello compressed hello compressed hello");
    fetch_free(&f);
    assert_int_equal(kw_testsrv_req(s, kw_testsrv_nreq(s) - 1, &q), 0);
    assert_string_equal(q.path, "/gz");
    assert_true(strlen(q.accept_encoding) > 0);
    assert_non_null(strstr(q.accept_encoding, "gzip"));
}

static void test_gzip_bomb(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};
    z_stream z;
    unsigned char out[65536];
    uint64_t total = 0;
    int zrc;
    size_t i;
    int is_zero = 1;

    /* Decoded by curl: the write callback stops it at 1 MiB. */
    f.abort_at = 1024 * 1024;
    get(s, "/bomb", &f, NULL, 0, "");
    assert_int_equal(f.rc, CURLE_WRITE_ERROR);
    fetch_free(&f);

    /* Raw: small on the wire, inflates to exactly BOMB_BYTES zeros. */
    get(s, "/bomb", &f, NULL, 0, NULL);
    assert_int_equal(f.rc, CURLE_OK);
    assert_true(f.n < BOMB_BYTES / 500);
    memset(&z, 0, sizeof(z));
    assert_int_equal(inflateInit2(&z, 31), Z_OK);
    z.next_in = (Bytef *)f.body;
    z.avail_in = (uInt)f.n;
    do {
        z.next_out = out;
        z.avail_out = sizeof(out);
        zrc = inflate(&z, Z_NO_FLUSH);
        assert_true(zrc == Z_OK || zrc == Z_STREAM_END);
        for (i = 0; i < sizeof(out) - z.avail_out; i++) {
            if (out[i])
                is_zero = 0;
        }
        total += sizeof(out) - z.avail_out;
    } while (zrc != Z_STREAM_END);
    inflateEnd(&z);
    assert_true(is_zero);
    assert_true(total == BOMB_BYTES);
    fetch_free(&f);
}

static void test_huge(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};
    CURL *c;
    char url[256];

    f.only_count = 1;
    get(s, "/huge", &f, NULL, 0, NULL);
    assert_int_equal(f.rc, CURLE_OK);
    assert_true(f.n == HUGE_BYTES);
    assert_true(f.all_x);
    fetch_free(&f);

    /* 1 TiB announced: CURLOPT_MAXFILESIZE refuses it up front. */
    c = curl_easy_init();
    assert_non_null(c);
    kw_testsrv_urlf(s, "/giant", url, sizeof(url));
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    f.only_count = 1;
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE, 1024L * 1024L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    assert_int_equal(curl_easy_perform(c), CURLE_FILESIZE_EXCEEDED);
    curl_easy_cleanup(c);
    fetch_free(&f);

    /* Or a write callback stops it. */
    f.only_count = 1;
    f.abort_at = 2 * 1024 * 1024;
    get(s, "/giant", &f, NULL, 0, NULL);
    assert_int_equal(f.rc, CURLE_WRITE_ERROR);
    fetch_free(&f);
}

static void test_endless(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};

    f.only_count = 1;
    f.abort_at = 4 * 1024 * 1024;
    get(s, "/endless", &f, NULL, 0, NULL);
    assert_int_equal(f.rc, CURLE_WRITE_ERROR);
    assert_int_equal(f.code, 200);
    assert_true(f.all_x);
    assert_non_null(strstr(f.hdrs, "chunked"));
    fetch_free(&f);
}

static void test_stall_timeout(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};
    fetch g = {0};

    get(s, "/stall", &f, NULL, 500, NULL);
    assert_int_equal(f.rc, CURLE_OPERATION_TIMEDOUT);
    assert_true(f.ms >= 400);
    assert_true(f.ms < 3000);
    /* The headers came; the body never does. */
    assert_int_equal(f.code, 200);
    assert_int_equal(f.n, 0);
    fetch_free(&f);

    /* A stalled connection does not block other clients. */
    get(s, "/", &g, NULL, 0, NULL);
    assert_int_equal(g.code, 200);
    assert_true(g.ms < 1000);
    fetch_free(&g);
}

static void test_delay(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};

    get(s, "/slow", &f, NULL, 0, NULL);
    assert_int_equal(f.code, 200);
    assert_string_equal(f.body, "late");
    assert_true(f.ms >= 290);
    fetch_free(&f);
}

static void test_conditional(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};
    struct curl_slist *h;
    kw_test_req q;

    get(s, "/etag", &f, NULL, 0, NULL);
    assert_int_equal(f.code, 200);
    assert_string_equal(f.body, "v1");
    assert_non_null(strstr(f.hdrs, "ETag: \"abc\"\r\n"));
    assert_non_null(
        strstr(f.hdrs, "Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\n"));
    fetch_free(&f);

    h = curl_slist_append(NULL, "If-None-Match: \"abc\"");
    get(s, "/etag", &f, h, 0, NULL);
    curl_slist_free_all(h);
    assert_int_equal(f.code, 304);
    assert_int_equal(f.n, 0);
    fetch_free(&f);
    assert_int_equal(kw_testsrv_req(s, kw_testsrv_nreq(s) - 1, &q), 0);
    assert_string_equal(q.if_none_match, "\"abc\"");

    h = curl_slist_append(NULL, "If-None-Match: \"other\"");
    get(s, "/etag", &f, h, 0, NULL);
    curl_slist_free_all(h);
    assert_int_equal(f.code, 200);
    fetch_free(&f);

    h = curl_slist_append(NULL,
                          "If-Modified-Since: Wed, 21 Oct 2015 07:28:00 GMT");
    get(s, "/etag", &f, h, 0, NULL);
    curl_slist_free_all(h);
    assert_int_equal(f.code, 304);
    fetch_free(&f);
    assert_int_equal(kw_testsrv_req(s, kw_testsrv_nreq(s) - 1, &q), 0);
    assert_string_equal(q.if_modified_since,
                        "Wed, 21 Oct 2015 07:28:00 GMT");
}

static void test_virtual_hosts(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};
    struct curl_slist *h;
    char line[64];
    kw_test_req q;

    snprintf(line, sizeof(line), "Host: a.test:%d", kw_testsrv_port(s));
    h = curl_slist_append(NULL, line);
    get(s, "/vh", &f, h, 0, NULL);
    curl_slist_free_all(h);
    assert_string_equal(f.body, "host A");
    fetch_free(&f);
    assert_int_equal(kw_testsrv_req(s, kw_testsrv_nreq(s) - 1, &q), 0);
    assert_string_equal(q.host, line + strlen("Host: "));

    h = curl_slist_append(NULL, "Host: LOCALHOST");
    get(s, "/vh", &f, h, 0, NULL);
    curl_slist_free_all(h);
    assert_string_equal(f.body, "host B");
    fetch_free(&f);

    get(s, "/vh", &f, NULL, 0, NULL); /* Host: 127.0.0.1:PORT */
    assert_string_equal(f.body, "any host");
    fetch_free(&f);
}

static void test_request_log(void **state)
{
    kw_testsrv *s = *state;
    fetch f = {0};
    kw_test_req q;
    char host[64];
    int64_t t0 = now_ms();
    CURL *c;
    char url[256];

    kw_testsrv_clear(s);
    assert_int_equal(kw_testsrv_nreq(s), 0);
    assert_int_not_equal(kw_testsrv_req(s, 0, &q), 0);

    get(s, "/q?b=2&a=1", &f, NULL, 0, NULL);
    fetch_free(&f);
    get(s, "/", &f, NULL, 0, NULL);
    fetch_free(&f);
    get(s, "/q?b=2&a=1", &f, NULL, 0, NULL);
    fetch_free(&f);
    get(s, "/p%20x?u=%C3%A9#frag", &f, NULL, 0, NULL);
    fetch_free(&f);

    /* A POST with a body is logged too; the body is discarded. */
    c = curl_easy_init();
    kw_testsrv_urlf(s, "/post", url, sizeof(url));
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "k=v&w=z");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_cleanup(c);
    fetch_free(&f);

    assert_int_equal(kw_testsrv_nreq(s), 5);
    assert_int_equal(kw_testsrv_count(s, "/q?b=2&a=1"), 2);
    assert_int_equal(kw_testsrv_count(s, "/"), 1);
    assert_int_equal(kw_testsrv_count(s, "/q"), 0);

    assert_int_equal(kw_testsrv_req(s, 0, &q), 0);
    assert_string_equal(q.method, "GET");
    assert_string_equal(q.path, "/q?b=2&a=1");
    assert_string_equal(q.user_agent, "kowatch-test/1.0");
    snprintf(host, sizeof(host), "127.0.0.1:%d", kw_testsrv_port(s));
    assert_string_equal(q.host, host);
    assert_string_equal(q.accept_encoding, "");
    assert_true(q.at_ms >= t0 - 5);
    assert_true(q.at_ms <= now_ms() + 5);

    /* The raw target, percent-escapes kept; curl drops the fragment. */
    assert_int_equal(kw_testsrv_req(s, 3, &q), 0);
    assert_string_equal(q.path, "/p%20x?u=%C3%A9");

    assert_int_equal(kw_testsrv_req(s, 4, &q), 0);
    assert_string_equal(q.method, "POST");
    assert_string_equal(q.path, "/post");
    assert_int_not_equal(kw_testsrv_req(s, 5, &q), 0);
}

typedef struct stall_client {
    const kw_testsrv *s;
    fetch f;
} stall_client;

static void *stall_thread(void *arg)
{
    stall_client *sc = arg;

    get(sc->s, "/stall", &sc->f, NULL, 30000, NULL);
    return NULL;
}

/* stop() with two clients stuck on STALL returns
 * promptly, and the clients see the connection end. */
static void test_stop_while_stalled(void **state)
{
    kw_testsrv *s;
    pthread_t t1;
    pthread_t t2;
    stall_client a = {0};
    stall_client b = {0};
    int64_t t0;
    int64_t took;

    (void)state;
    s = kw_testsrv_start(table);
    assert_non_null(s);
    a.s = s;
    b.s = s;
    assert_int_equal(pthread_create(&t1, NULL, stall_thread, &a), 0);
    assert_int_equal(pthread_create(&t2, NULL, stall_thread, &b), 0);
    while (kw_testsrv_count(s, "/stall") < 2)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
    t0 = now_ms();
    kw_testsrv_stop(s);
    took = now_ms() - t0;
    assert_true(took < 2000);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_not_equal(a.f.rc, CURLE_OK);
    assert_int_not_equal(a.f.rc, CURLE_OPERATION_TIMEDOUT);
    assert_true(a.f.ms < 5000);
    assert_true(b.f.ms < 5000);
    fetch_free(&a.f);
    fetch_free(&b.f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_start_port_url, setup, teardown),
        cmocka_unit_test_setup_teardown(test_normal_and_404, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_location_headers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_gzip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gzip_bomb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endless, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stall_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conditional, setup, teardown),
        cmocka_unit_test_setup_teardown(test_virtual_hosts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request_log, setup, teardown),
        cmocka_unit_test(test_stop_while_stalled),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
