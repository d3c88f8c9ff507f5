/*
 * test_crawler_hostile.c -- kw_crawler_run against servers that misbehave
 * or refuse: robots.txt Disallow (never requested, recorded as denied,
 * robots.txt first), a server that stalls (timed out and recorded), a
 * huge body and a gzip bomb (aborted at max_body), a redirect loop, 404,
 * 500 (retried later with one failure) and 429 with Retry-After.
 */
/* nftw() */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kw/crawler.h"
#include "kw/parsers.h"
#include "kw/store.h"
#include "testsrv.h"

#include "crawl_env.h"

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define PAGE                                                                 \
    "<html><head><title>정상 기사</title></head><body><article>"             \
    "<h1>정상 기사</h1><p>과학기술정보통신부는 15일 독자 AI 파운데이션 "     \
    "모델 프로젝트의 평가 결과를 발표했다. 업계에서는 이번 결정이 국내 "    \
    "인공지능 생태계에 큰 영향을 미칠 것으로 보고 있다.</p></article>"      \
    "</body></html>"

static const char rss[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>t</title><link>/</link>"
    "<item><title>ok</title><link>/ok</link></item>"
    "<item><title>private</title><link>/private/x</link></item>"
    "</channel></rss>\n";

static const kw_test_resp robots_site[] = {
    {.path = "/robots.txt", .content_type = "text/plain",
     .body = "User-agent: *\nDisallow: /private/\n"},
    {.path = "/rss.xml", .content_type = "application/rss+xml", .body = rss},
    {.path = "/ok", .content_type = "text/html; charset=utf-8", .body = PAGE},
    {.path = "/private/x", .content_type = "text/html", .body = PAGE},
    {.path = NULL},
};

static void test_robots_disallow(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    urlrec r;
    arts as;
    char url[512];

    (void)state;
    env_open(&e, robots_site);
    add_source(&e, "feed", "/rss.xml", KW_SRC_RSS, NULL);
    cfg = test_cfg(&e);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/private/x"), 0);
    assert_int_equal(kw_testsrv_count(e.srv, "/ok"), 1);
    r = get_url(&e, "/private/x");
    assert_true(r.found);
    assert_int_equal(r.state, KW_URL_DENIED);
    assert_int_equal(stats.denied, 1);
    load_articles(&e, &as);
    assert_int_equal(as.n, 1);
    kw_testsrv_urlf(e.srv, "/ok", url, sizeof(url));
    assert_non_null(find_article(&as, url));
    check_polite(&e);

    /* A second run uses the cached robots.txt and still never asks. */
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/robots.txt"), 1);
    assert_int_equal(kw_testsrv_count(e.srv, "/private/x"), 0);
    env_close(&e);
}

#define BIG ((uint64_t)3 * 1024 * 1024)

static const kw_test_resp bad_site[] = {
    {.path = "/stall", .content_type = "text/html", .mode = KW_TEST_STALL},
    {.path = "/huge", .content_type = "text/html", .mode = KW_TEST_HUGE,
     .huge_bytes = BIG},
    {.path = "/endless", .content_type = "text/html",
     .mode = KW_TEST_ENDLESS},
    {.path = "/bomb", .content_type = "text/html", .mode = KW_TEST_GZIP_BOMB,
     .huge_bytes = (uint64_t)64 * 1024 * 1024},
    {.path = "/loop1", .status = 302, .location = "/loop2"},
    {.path = "/loop2", .status = 302, .location = "/loop1"},
    {.path = "/e500", .status = 500, .body = "oops"},
    {.path = "/e429", .status = 429, .body = "slow down",
     .headers = "Retry-After: 120\n"},
    {.path = "/ftp", .status = 302, .location = "ftp://127.0.0.1/x"},
    {.path = NULL},
};

static void check_failed(env *e, const char *path, kw_url_state want)
{
    urlrec r = get_url(e, path);

    if (!r.found || r.state != want || r.failures != 1) {
        print_error("%s: found %d state %d failures %d, want state %d\n",
                    path, r.found, (int)r.state, r.failures, (int)want);
        fail();
    }
}

static void test_hostile_servers(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    int64_t t0;
    int64_t now;
    urlrec r;

    (void)state;
    env_open(&e, bad_site);
    add_source(&e, "stall", "/stall", KW_SRC_PAGE, NULL);
    add_source(&e, "huge", "/huge", KW_SRC_PAGE, NULL);
    add_source(&e, "endless", "/endless", KW_SRC_PAGE, NULL);
    add_source(&e, "bomb", "/bomb", KW_SRC_PAGE, NULL);
    add_source(&e, "loop", "/loop1", KW_SRC_PAGE, NULL);
    add_source(&e, "missing", "/nothing-here", KW_SRC_PAGE, NULL);
    add_source(&e, "e500", "/e500", KW_SRC_PAGE, NULL);
    add_source(&e, "e429", "/e429", KW_SRC_PAGE, NULL);
    add_source(&e, "ftp", "/ftp", KW_SRC_PAGE, NULL);
    cfg = test_cfg(&e);
    cfg.timeout_ms = 1500;
    cfg.low_speed_time_s = 10;
    cfg.max_body = 1024 * 1024;
    t0 = now_ms();
    now = time(NULL); /* before any answer was recorded */
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    /* One origin, one transfer at a time: the stall costs the timeout. */
    assert_true(now_ms() - t0 < 10000);

    /* Timeout: retried later. */
    check_failed(&e, "/stall", KW_URL_RETRY);
    /* Oversized bodies and the bomb: given up at once. */
    check_failed(&e, "/huge", KW_URL_FAILED);
    check_failed(&e, "/endless", KW_URL_FAILED);
    check_failed(&e, "/bomb", KW_URL_FAILED);
    check_failed(&e, "/loop1", KW_URL_FAILED);
    check_failed(&e, "/ftp", KW_URL_FAILED);
    assert_true(kw_testsrv_count(e.srv, "/loop1") <= 4);
    r = get_url(&e, "/nothing-here");
    assert_int_equal(r.state, KW_URL_FAILED);
    assert_int_equal(r.last_status, 404);

    r = get_url(&e, "/e500");
    assert_int_equal(r.state, KW_URL_RETRY);
    assert_int_equal(r.failures, 1);
    assert_int_equal(r.last_status, 500);
    assert_true(r.next_fetch_at > now);
    assert_true(r.next_fetch_at <= now + 86400);

    r = get_url(&e, "/e429");
    assert_int_equal(r.state, KW_URL_RETRY);
    assert_int_equal(r.failures, 1);
    assert_true(r.next_fetch_at >= now + 120);

    assert_int_equal(stats.errors, 9);
    assert_int_equal(stats.sources, 9);
    check_polite(&e);

    /* Nothing is due now: a second pass asks only for the seeds again. */
    kw_testsrv_clear(e.srv);
    cfg.timeout_ms = 500;
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/e500"), 1);
    r = get_url(&e, "/e500");
    assert_int_equal(r.failures, 2);
    env_close(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_robots_disallow),
        cmocka_unit_test(test_hostile_servers),
    };
    int rc;

    setup_log();
    if (kw_crawler_global_init() != KW_OK)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    kw_crawler_global_cleanup();
    return rc;
}
