/*
 * test_queries_web.c -- integration tests of `kowatch serve` (issue 7;
 * queries/web.c): the server runs in-process on 127.0.0.1 port 0 over a
 * database filled through the store API, and libcurl requests its pages
 * and JSON API.  Checked: 200 pages and JSON shapes, 400 with JSON
 * {error} for bad parameters (never a 5xx), 404 for unknown routes,
 * escaping of markup from pages, non-loopback refused, and readers
 * working while another connection writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sys/stat.h>
#include <zlib.h>

#include "kw/queries.h"
#include "kw/web.h"

#define DAY ((int64_t)86400)
#define D0210 ((int64_t)1770649200) /* 2026-02-10 00:00 KST */

static const char evil[] = "<script>alert(1)</script> 카카오 발표";

static char g_dir[256];
static char g_db[512];
static kw_web *g_web;
static uint16_t g_port;

typedef struct resp {
    long status;
    char ctype[128];
    kw_buf body;
} resp;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    resp *r = ud;

    kw_buf_add(&r->body, p, size * n);
    return size * n;
}

/* GETs @path (already URL-encoded) into @r; method NULL is GET. */
static void get_m(const char *method, const char *path, resp *r)
{
    CURL *h = curl_easy_init();
    char url[2048];
    char *ct = NULL;

    memset(r, 0, sizeof(*r));
    kw_buf_init(&r->body, (size_t)64 << 20);
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", (unsigned)g_port,
             path);
    assert_non_null(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    if (method) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "x=1");
    }
    assert_int_equal(curl_easy_perform(h), CURLE_OK);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    snprintf(r->ctype, sizeof(r->ctype), "%s", ct ? ct : "");
    curl_easy_cleanup(h);
    kw_buf_addc(&r->body, '\0');
    r->body.n--;
}

static void get(const char *path, resp *r)
{
    get_m(NULL, path, r);
}

static void done(resp *r)
{
    kw_buf_deinit(&r->body);
}

/* Parses a JSON response (an object). */
static json_t *jbody(resp *r)
{
    json_t *j = json_loads(r->body.p ? r->body.p : "", 0, NULL);

    assert_non_null(j);
    assert_true(json_is_object(j));
    assert_non_null(strstr(r->ctype, "application/json"));
    return j;
}

/* Expects @status with a JSON {error: string}. */
static void expect_json_error(const char *path, long status)
{
    resp r;
    json_t *j;

    get(path, &r);
    if (r.status != status)
        fail_msg("%s: status %ld, expected %ld: %s", path, r.status, status,
                 r.body.p ? r.body.p : "");
    j = jbody(&r);
    assert_true(json_is_string(json_object_get(j, "error")));
    json_decref(j);
    done(&r);
}

static int64_t add_article(kw_store *st, int64_t src, const char *url,
                           const char *title, const char *text, int64_t pub,
                           const char *entity, const char *stance,
                           uint64_t fp)
{
    kw_article_rec a;
    kw_mention_rec m;
    kw_event_rec e;
    int64_t url_id = 0, id = 0;

    assert_int_equal(kw_store_url_add(st, src, url, KW_ROLE_ARTICLE, 0,
                                      &url_id, NULL),
                     KW_OK);
    memset(&a, 0, sizeof(a));
    a.url_id = url_id;
    a.source_id = src;
    a.url = url;
    a.kind = "article";
    a.title = title;
    a.text = text;
    a.published_at = pub;
    a.published_offset = 540;
    a.fetched_at = pub;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &id, NULL),
                     KW_OK);
    memset(&m, 0, sizeof(m));
    m.entity_id = entity;
    m.entity_name = entity;
    m.count = 2;
    memset(&e, 0, sizeof(e));
    e.entity_id = entity;
    e.entity_name = entity;
    e.stance = stance;
    e.sentence = "카카오는 <i>추가 공모</i>에 참여하지 않기로 했다.";
    e.event_at = pub;
    e.event_offset = 540;
    e.published_at = pub;
    e.published_offset = 540;
    assert_int_equal(kw_store_analysis_put(st, id, &m, 1, &e,
                                           stance ? 1 : 0, fp, 3, NULL),
                     KW_OK);
    return id;
}

/* Article 3: fetched, its response archived as one gzip member of a
 * WARC file, as the crawler writes them. */
static void add_archived(kw_store *st, int64_t src)
{
    static const char rec[] =
        "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 80\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>archived <script>x()</script> copy</p>\r\n\r\n";
    char path[600];
    kw_article_rec a;
    kw_fetch f;
    struct stat sb;
    int64_t url_id = 0, fetch_id = 0;
    gzFile gz;

    snprintf(path, sizeof(path), "%s/a.warc.gz", g_dir);
    gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, rec, sizeof(rec) - 1), (int)sizeof(rec) - 1);
    assert_int_equal(gzclose(gz), Z_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(kw_store_url_add(st, src, "https://nuri.test/3",
                                      KW_ROLE_ARTICLE, 0, &url_id, NULL),
                     KW_OK);
    memset(&f, 0, sizeof(f));
    f.url_id = url_id;
    f.at = D0210;
    f.status = 200;
    f.content_type = "text/html; charset=utf-8";
    f.warc_file = path;
    f.warc_offset = 0;
    f.warc_length = (int64_t)sb.st_size;
    f.state = KW_URL_OK;
    assert_int_equal(kw_store_fetch_add(st, &f, &fetch_id), KW_OK);
    memset(&a, 0, sizeof(a));
    a.url_id = url_id;
    a.source_id = src;
    a.fetch_id = fetch_id;
    a.url = "https://nuri.test/3";
    a.kind = "article";
    a.title = "보관본";
    a.text = "보관된 기사.";
    a.published_at = D0210 - 20 * DAY;
    a.fetched_at = D0210;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, NULL, NULL),
                     KW_OK);
}

static int setup(void **state)
{
    kw_web_config cfg = kw_web_config_default();
    kw_store *st = NULL;
    kw_source s;
    char err[512];
    int64_t src = 0;

    (void)state;
    snprintf(g_dir, sizeof(g_dir), "/tmp/kw-web-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    snprintf(g_db, sizeof(g_db), "%s/kw.db", g_dir);
    assert_int_equal(kw_store_open(g_db, err, sizeof(err), &st), KW_OK);
    memset(&s, 0, sizeof(s));
    s.name = "nuri";
    s.url = "https://nuri.test/rss";
    s.kind = KW_SRC_RSS;
    s.list_depth = 1;
    assert_int_equal(kw_store_source_add(st, &s, &src), KW_OK);
    add_article(st, src, "https://nuri.test/1", evil,
                "카카오는 추가 공모에 참여하지 않기로 했다.\n\n두 번째 문단.",
                D0210 + 3600, "kakao", "declined", 0x1111111111111111ULL);
    add_article(st, src, "https://nuri.test/2", "카카오 신모델 공개",
                "카카오가 새 모델을 공개했다.", D0210 + 7200, "kakao", NULL,
                0xF0F0F0F0F0F0F0F0ULL);
    add_archived(st, src);
    kw_store_close(st);

    cfg.db_path = g_db;
    cfg.port = 0;
    assert_int_equal(kw_web_start(&cfg, err, sizeof(err), &g_web), KW_OK);
    g_port = kw_web_port(g_web);
    assert_true(g_port > 0);
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];

    (void)state;
    kw_web_stop(g_web);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    return 0;
}

static void test_pages(void **state)
{
    static const char *const ok[] = {
        "/", "/search", "/status", "/entity/kakao", "/article/1",
        "/article/2", "/digest/2026-02-10", "/digest",
    };
    size_t i;
    resp r;

    (void)state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        get(ok[i], &r);
        if (r.status != 200)
            fail_msg("%s: %ld", ok[i], r.status);
        assert_non_null(strstr(r.ctype, "text/html"));
        assert_non_null(strstr(r.body.p, "<!DOCTYPE html>"));
        /* No scripts and no external assets, ever. */
        assert_null(strstr(r.body.p, "<script"));
        assert_null(strstr(r.body.p, "<link"));
        done(&r);
    }
    get("/nope", &r);
    assert_int_equal(r.status, 404);
    done(&r);
    get("/entity/unknown-one", &r);
    assert_int_equal(r.status, 404);
    done(&r);
    get("/article/999", &r);
    assert_int_equal(r.status, 404);
    done(&r);
    get("/digest/2026-99-99", &r);
    assert_int_equal(r.status, 400);
    done(&r);
    get("/search?q=%28a", &r);
    assert_int_equal(r.status, 400);
    done(&r);
    get_m("POST", "/", &r);
    assert_int_equal(r.status, 405);
    done(&r);
}

static void test_search_page(void **state)
{
    resp r;

    (void)state;
    /* 카카오 */
    get("/search?q=%EC%B9%B4%EC%B9%B4%EC%98%A4&entity=kakao&since=2026-02-01"
        "&until=2026-02-10",
        &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "2 results"));
    assert_non_null(strstr(r.body.p, "<mark>"));
    assert_non_null(strstr(r.body.p, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(r.body.p, "<script"));
    /* The form keeps the query, escaped. */
    assert_non_null(strstr(r.body.p, "value=\"카카오\""));
    done(&r);
    get("/search?q=%22%3E%3Cscript%3E", &r);
    assert_true(r.status == 200 || r.status == 400);
    assert_null(strstr(r.body.p, "<script"));
    done(&r);
}

static void test_article_page(void **state)
{
    resp r;

    (void)state;
    get("/article/1", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "&lt;script&gt;alert(1)"));
    assert_non_null(strstr(r.body.p, "&lt;i&gt;추가 공모&lt;/i&gt;"));
    assert_non_null(strstr(r.body.p, "declined"));
    assert_non_null(strstr(r.body.p, "href=\"https://nuri.test/1\""));
    assert_non_null(strstr(r.body.p, "href=\"/entity/kakao\""));
    assert_null(strstr(r.body.p, "<script"));
    done(&r);
    /* Stored without an archived fetch. */
    get("/article/1/archive", &r);
    assert_int_equal(r.status, 404);
    done(&r);
    /* The archived payload, as text: never rendered as HTML. */
    get("/article/3", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "href=\"/article/3/archive\""));
    done(&r);
    get("/article/3/archive", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.ctype, "text/plain"));
    assert_string_equal(r.body.p,
                        "<p>archived <script>x()</script> copy</p>");
    done(&r);
}

static void test_api(void **state)
{
    resp r;
    json_t *j, *res, *hit;

    (void)state;
    get("/api/search?q=%EC%B9%B4%EC%B9%B4%EC%98%A4&limit=5", &r);
    assert_int_equal(r.status, 200);
    j = jbody(&r);
    assert_string_equal(json_string_value(json_object_get(j, "query")),
                        "카카오");
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 2);
    res = json_object_get(j, "results");
    assert_int_equal(json_array_size(res), 2);
    hit = json_array_get(res, 0);
    assert_true(json_is_integer(json_object_get(hit, "id")));
    assert_true(json_is_string(json_object_get(hit, "url")));
    assert_true(json_is_string(json_object_get(hit, "title")));
    assert_true(json_is_string(json_object_get(hit, "published")));
    assert_true(json_is_string(json_object_get(hit, "source")));
    assert_true(json_is_string(json_object_get(hit, "snippet")));
    assert_true(json_is_number(json_object_get(hit, "score")));
    assert_true(json_is_array(json_object_get(hit, "entities")));
    json_decref(j);
    done(&r);

    get("/api/status", &r);
    assert_int_equal(r.status, 200);
    j = jbody(&r);
    assert_true(json_is_array(json_object_get(j, "entities")));
    json_decref(j);
    done(&r);

    get("/api/events?entity=kakao", &r);
    assert_int_equal(r.status, 200);
    j = jbody(&r);
    assert_int_equal(json_array_size(json_object_get(j, "events")), 1);
    json_decref(j);
    done(&r);

    get("/api/articles/1", &r);
    assert_int_equal(r.status, 200);
    j = jbody(&r);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 1);
    assert_string_equal(json_string_value(json_object_get(j, "title")), evil);
    assert_true(json_is_array(json_object_get(j, "entities")));
    assert_true(json_is_array(json_object_get(j, "events")));
    assert_true(json_is_string(json_object_get(j, "text")));
    json_decref(j);
    done(&r);

    get("/api/digest?date=2026-02-10", &r);
    assert_int_equal(r.status, 200);
    j = jbody(&r);
    assert_string_equal(json_string_value(json_object_get(j, "date")),
                        "2026-02-10");
    assert_true(json_is_array(json_object_get(j, "status_changes")));
    assert_int_equal(json_array_size(json_object_get(j, "stories")), 2);
    assert_true(json_is_object(json_object_get(j, "counts")));
    json_decref(j);
    done(&r);
}

static void test_api_errors(void **state)
{
    static const char *const bad[] = {
        "/api/search",
        "/api/search?q=",
        "/api/search?q=%28a",
        "/api/search?q=%22open",
        "/api/search?q=a&limit=0",
        "/api/search?q=a&limit=abc",
        "/api/search?q=a&limit=99999999999999999999",
        "/api/search?q=a&since=yesterday",
        "/api/search?q=a&until=2026-13-40",
        "/api/search?q=a&entity=%3Cx%3E",
        "/api/search?q=%FF%FE",
        "/api/events?entity=..%2F..",
        "/api/articles/abc",
        "/api/articles/0",
        "/api/articles/-1",
        "/api/digest?date=tomorrow",
        "/api/digest?date=2026-02-30x",
    };
    static const char *const odd[] = {
        "/api/search?q=NOT", "/api/search?q=-", "/api/search?q=*",
        "/api/search?q=AND%20OR", "/api/search?q=title%3Ax",
        "/api/search?q=%22%22", "/api/search?q=a%20OR",
        "/api/search?q=%28%29", "/api/search?q=%5E%7B%7D",
        "/api/search?q=NEAR%28a%20b%29", "/api/search?q=a%00b",
        "/api/search?q=%E2%80%8B",
    };
    size_t i;
    resp r;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_json_error(bad[i], 400);
    expect_json_error("/api/nope", 404);
    expect_json_error("/api/articles/999", 404);
    /* Whatever the query, a 4xx or a 200, never a 5xx. */
    for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        get(odd[i], &r);
        if (r.status >= 500)
            fail_msg("%s: %ld %s", odd[i], r.status, r.body.p);
        json_decref(jbody(&r));
        done(&r);
    }
}

static void test_loopback_only(void **state)
{
    kw_web_config cfg = kw_web_config_default();
    kw_web *w = NULL;
    char err[512];

    (void)state;
    cfg.db_path = g_db;
    cfg.address = "0.0.0.0";
    cfg.port = 0;
    assert_int_equal(kw_web_start(&cfg, err, sizeof(err), &w), KW_EDENIED);
    assert_null(w);
    assert_non_null(strstr(err, "--public"));
    cfg.address = "not-an-address";
    assert_int_equal(kw_web_start(&cfg, err, sizeof(err), &w), KW_EINVAL);
    cfg.address = "::1";
    if (kw_web_start(&cfg, err, sizeof(err), &w) == KW_OK)
        kw_web_stop(w); /* IPv6 may be unavailable in a container */
}

/* ---- Readers while a writer writes ---------------------------------- */

static void *reader(void *ud)
{
    int *bad = ud, i;
    resp r;

    for (i = 0; i < 25; i++) {
        get(i % 2 ? "/api/search?q=%EC%B9%B4%EC%B9%B4%EC%98%A4"
                  : "/search?q=%EB%AA%A8%EB%8D%B8",
            &r);
        if (r.status != 200)
            (*bad)++;
        done(&r);
    }
    return NULL;
}

static void test_concurrent(void **state)
{
    pthread_t th[4];
    int bad[4] = {0, 0, 0, 0}, i;
    kw_store *st = NULL;
    char err[512], url[64];

    (void)state;
    assert_int_equal(kw_store_open(g_db, err, sizeof(err), &st), KW_OK);
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, reader, &bad[i]), 0);
    for (i = 0; i < 60; i++) {
        snprintf(url, sizeof(url), "https://nuri.test/w%d", i);
        add_article(st, 0, url, "카카오 모델 기사", "카카오 모델 본문",
                    D0210 - i * 3600, "kakao", NULL,
                    (uint64_t)i * 0x0101010101010101ULL);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(bad[i], 0);
    }
    kw_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_search_page),
        cmocka_unit_test(test_article_page),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_api_errors),
        cmocka_unit_test(test_loopback_only),
        cmocka_unit_test(test_concurrent),
    };

    kw_queries_global_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return cmocka_run_group_tests(tests, setup, teardown);
}
