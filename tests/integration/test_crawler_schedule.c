/*
 * test_crawler_schedule.c -- kw_crawler_run against the in-process test
 * server: adaptive polling (a source's interval halves after a poll that
 * yields new items, grows 1.5 times after one that yields nothing, within
 * [max(every/4, 60 s), 4 * every]; failed polls leave it alone; the seed's
 * next fetch follows it), and robots.txt Sitemap: lines seeding sitemap
 * sources (same origin only, sitemap sources only).
 *
 * `once` runs poll every source whatever its schedule, so the tests check
 * the schedule each poll computes: sources.next_due_at - last_fetch_at,
 * the stored interval and the seed URL's next_fetch_at.
 */
/* nftw() */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kw/crawler.h"
#include "kw/parsers.h"
#include "kw/store.h"
#include "testsrv.h"

#include "crawl_env.h"

#define PARA                                                                 \
    "과학기술정보통신부는 15일 독자 AI 파운데이션 모델 프로젝트의 2차 "       \
    "평가 결과를 발표했다. 이번 평가에서는 여러 컨소시엄이 경쟁했으며 "       \
    "정부는 추가 공모 일정도 함께 공개했다. 업계에서는 이번 결정이 국내 "     \
    "인공지능 생태계에 큰 영향을 미칠 것으로 보고 있다."

#define ARTICLE(title)                                                       \
    "<!DOCTYPE html><html lang=\"ko\"><head><meta charset=\"utf-8\">"        \
    "<title>" title "</title>"                                               \
    "<meta property=\"og:title\" content=\"" title "\">"                     \
    "<meta property=\"article:published_time\" "                             \
    "content=\"2026-01-15T18:47:00+09:00\"></head><body>"                    \
    "<article><h1>" title "</h1><p>" PARA "</p><p>" PARA "</p>"              \
    "</article></body></html>"

#define RSS(items)                                                           \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                           \
    "<rss version=\"2.0\"><channel><title>t</title><link>/</link>"           \
    "<description>d</description>" items "</channel></rss>\n"

#define ITEM(path) "<item><title>x</title><link>" path "</link></item>"

#define HTML "text/html; charset=utf-8"
#define XML "application/rss+xml"

/* ---- Reading a source's schedule ----------------------------------------- */

typedef struct sched {
    int64_t id;
    int64_t every_s;
    int64_t last_fetch_at;
    int64_t next_due_at;
    int64_t error_count;
} sched;

static kw_err take_sched(const kw_source *s, void *ud)
{
    sched *d = ud;

    d->id = s->id;
    d->every_s = s->every_s;
    d->last_fetch_at = s->last_fetch_at;
    d->next_due_at = s->next_due_at;
    d->error_count = s->error_count;
    return KW_OK;
}

static sched get_sched(env *e, const char *name)
{
    sched d;

    memset(&d, 0, sizeof(d));
    assert_int_equal(kw_store_source_get(e->st, name, take_sched, &d), KW_OK);
    return d;
}

static int64_t stored_interval(env *e, const char *name)
{
    int64_t v = -1;

    assert_int_equal(kw_store_source_interval(e->st, get_sched(e, name).id,
                                              &v),
                     KW_OK);
    return v;
}

/* Polls source @name once; returns the interval that poll scheduled, and
 * checks that the source's next poll and its seed's next fetch agree. */
static int64_t poll_once(env *e, const char *name, const char *seed_path)
{
    kw_crawler_config cfg = test_cfg(e);
    kw_crawl_stats stats;
    sched d;
    urlrec seed;

    cfg.only_source = name;
    assert_int_equal(kw_crawler_run(e->st, &cfg, &stats), KW_OK);
    assert_int_equal(stats.sources, 1);
    d = get_sched(e, name);
    seed = get_url(e, seed_path);
    assert_true(seed.found);
    assert_int_equal(seed.state, KW_URL_OK);
    assert_int_equal(seed.next_fetch_at, d.next_due_at);
    assert_int_equal(stored_interval(e, name),
                     d.next_due_at - d.last_fetch_at);
    return d.next_due_at - d.last_fetch_at;
}

/* ---- Adaptive polling ---------------------------------------------------- */

static const kw_test_resp sched_site[] = {
    /* Three articles, conditional GET: later polls get 304. */
    {.path = "/grow.xml", .content_type = XML, .etag = "\"g1\"",
     .body = RSS(ITEM("/g/1") ITEM("/g/2") ITEM("/g/3"))},
    /* No etag: later polls get 200 with the same, known items. */
    {.path = "/same.xml", .content_type = XML,
     .body = RSS(ITEM("/s/1"))},
    {.path = "/floor60.xml", .content_type = XML, .body = RSS(ITEM("/f/1"))},
    {.path = "/floorq.xml", .content_type = XML, .body = RSS(ITEM("/q/1"))},
    {.path = "/high.xml", .content_type = XML, .body = RSS(ITEM("/h/1"))},
    {.path = "/empty.xml", .content_type = XML, .body = RSS("")},
    {.path = "/capped.xml", .content_type = XML, .body = RSS("")},
    {.path = "/down.xml", .status = 500, .body = "oops"},
    {.path = "/g/1", .content_type = HTML, .body = ARTICLE("기사 지 하나")},
    {.path = "/g/2", .content_type = HTML, .body = ARTICLE("기사 지 둘")},
    {.path = "/g/3", .content_type = HTML, .body = ARTICLE("기사 지 셋")},
    {.path = "/s/1", .content_type = HTML, .body = ARTICLE("기사 에스")},
    {.path = "/f/1", .content_type = HTML, .body = ARTICLE("기사 에프")},
    {.path = "/q/1", .content_type = HTML, .body = ARTICLE("기사 큐")},
    {.path = "/h/1", .content_type = HTML, .body = ARTICLE("기사 에이치")},
    {.path = NULL},
};

static void add_every(env *e, const char *name, const char *path,
                      int64_t every_s)
{
    kw_source s;

    memset(&s, 0, sizeof(s));
    s.every_s = every_s;
    add_source(e, name, path, KW_SRC_RSS, &s);
}

static void set_interval(env *e, const char *name, int64_t v)
{
    assert_int_equal(kw_store_source_set_interval(
                         e->st, get_sched(e, name).id, v),
                     KW_OK);
}

/* New items halve the interval; then each poll with nothing new (304)
 * makes it 1.5 times longer, up to 4 * every. */
static void test_interval_grows_when_quiet(void **state)
{
    static const int64_t want[] = {1800, 2700, 4050, 6075, 9112,
                                   13668, 14400, 14400};
    env e;
    size_t i;

    (void)state;
    env_open(&e, sched_site);
    add_every(&e, "grow", "/grow.xml", 3600);
    assert_int_equal(stored_interval(&e, "grow"), 0);
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(poll_once(&e, "grow", "/grow.xml"), want[i]);
    /* The articles were fetched once; the feed answered 304 after. */
    assert_int_equal(kw_testsrv_count(e.srv, "/g/1"), 1);
    assert_int_equal(kw_testsrv_count(e.srv, "/grow.xml"), 8);
    env_close(&e);
}

/* A 200 that repeats known items is "nothing new" too. */
static void test_interval_same_items(void **state)
{
    env e;

    (void)state;
    env_open(&e, sched_site);
    add_every(&e, "same", "/same.xml", 1000);
    assert_int_equal(poll_once(&e, "same", "/same.xml"), 500);
    assert_int_equal(poll_once(&e, "same", "/same.xml"), 750);
    assert_int_equal(poll_once(&e, "same", "/same.xml"), 1125);
    assert_int_equal(kw_testsrv_count(e.srv, "/s/1"), 1);
    env_close(&e);
}

/* New items shrink a long interval; the floor is every/4, never below
 * 60 s; the ceiling 4 * every, also for a stored value out of bounds. */
static void test_interval_bounds(void **state)
{
    env e;

    (void)state;
    env_open(&e, sched_site);
    add_every(&e, "high", "/high.xml", 3600);
    set_interval(&e, "high", 14400);
    assert_int_equal(poll_once(&e, "high", "/high.xml"), 7200);

    add_every(&e, "floor60", "/floor60.xml", 200);
    set_interval(&e, "floor60", 100); /* 100 / 2 = 50 < 60 */
    assert_int_equal(poll_once(&e, "floor60", "/floor60.xml"), 60);

    add_every(&e, "floorq", "/floorq.xml", 600);
    set_interval(&e, "floorq", 200); /* 100 < 600 / 4 */
    assert_int_equal(poll_once(&e, "floorq", "/floorq.xml"), 150);

    /* An empty feed yields nothing new from its first poll. */
    add_every(&e, "empty", "/empty.xml", 600);
    assert_int_equal(poll_once(&e, "empty", "/empty.xml"), 900);

    add_every(&e, "capped", "/capped.xml", 600);
    set_interval(&e, "capped", 1000000);
    assert_int_equal(poll_once(&e, "capped", "/capped.xml"), 2400);
    assert_int_equal(poll_once(&e, "capped", "/capped.xml"), 2400);
    env_close(&e);
}

/* A failed poll keeps the interval; the next poll is the retry time. */
static void test_interval_kept_on_failure(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    urlrec seed;
    sched d;

    (void)state;
    env_open(&e, sched_site);
    add_every(&e, "down", "/down.xml", 600);
    set_interval(&e, "down", 1234);
    cfg = test_cfg(&e);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    d = get_sched(&e, "down");
    seed = get_url(&e, "/down.xml");
    assert_int_equal(seed.state, KW_URL_RETRY);
    assert_int_equal(d.error_count, 1);
    assert_int_equal(d.next_due_at, seed.next_fetch_at);
    assert_int_equal(stored_interval(&e, "down"), 1234);
    env_close(&e);
}

/* ---- robots.txt Sitemap: lines ------------------------------------------- */

static const char urlset_a[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    "<url><loc>/a/1</loc></url></urlset>\n";

static const char urlset_news[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
    "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
    "<url><loc>/a/2</loc><news:news><news:publication><news:name>T"
    "</news:name><news:language>ko</news:language></news:publication>"
    "<news:publication_date>2026-01-15T18:47:00+09:00"
    "</news:publication_date><news:title>가</news:title></news:news></url>"
    "</urlset>\n";

static const char urlset_other[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    "<url><loc>/o/1</loc></url></urlset>\n";

typedef struct owner {
    int found;
    int64_t source_id;
    kw_url_role role;
    int depth;
} owner;

static kw_err take_owner(const kw_url *u, void *ud)
{
    owner *o = ud;

    o->found = 1;
    o->source_id = u->source_id;
    o->role = u->role;
    o->depth = u->depth;
    return KW_OK;
}

static owner get_owner(env *e, const char *url)
{
    owner o;

    memset(&o, 0, sizeof(o));
    kw_store_url_get(e->st, url, take_owner, &o);
    return o;
}

static void test_robots_sitemaps(void **state)
{
    kw_test_resp other_site[] = {
        {.path = "/robots.txt", .content_type = "text/plain",
         .body = "User-agent: *\nAllow: /\n"},
        {.path = "/other-sitemap.xml", .content_type = "application/xml",
         .body = urlset_other},
        {.path = "/o/1", .content_type = HTML, .body = ARTICLE("남의 기사")},
        {.path = NULL},
    };
    kw_testsrv *other = kw_testsrv_start(other_site);
    char robots[1024];
    char url[512];
    char other_url[512];
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    arts as;
    owner ow;

    (void)state;
    assert_non_null(other);
    kw_testsrv_urlf(other, "/other-sitemap.xml", other_url,
                    sizeof(other_url));
    /* Same origin (relative, resolved against robots.txt), another
     * origin (a real server, so a wrong fetch would be seen), another
     * scheme, and a disallowed one on the same origin. */
    snprintf(robots, sizeof(robots),
             "User-agent: *\nDisallow: /private/\n\n"
             "Sitemap: /news-sitemap.xml\n"
             "Sitemap: %s\n"
             "Sitemap: ftp://example.com/sitemap.xml\n"
             "Sitemap: /private/sitemap.xml\n",
             other_url);
    {
        kw_test_resp site[] = {
            {.path = "/robots.txt", .content_type = "text/plain",
             .body = robots},
            {.path = "/sitemap.xml", .content_type = "application/xml",
             .body = urlset_a},
            {.path = "/news-sitemap.xml", .content_type = "application/xml",
             .body = urlset_news},
            {.path = "/private/sitemap.xml",
             .content_type = "application/xml", .body = urlset_a},
            {.path = "/a/1", .content_type = HTML, .body = ARTICLE("기사 1")},
            {.path = "/a/2", .content_type = HTML, .body = ARTICLE("기사 2")},
            {.path = NULL},
        };

        env_open(&e, site);
    }
    add_source(&e, "sm", "/sitemap.xml", KW_SRC_SITEMAP, NULL);
    cfg = test_cfg(&e);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);

    kw_testsrv_urlf(e.srv, "/news-sitemap.xml", url, sizeof(url));
    ow = get_owner(&e, url);
    assert_true(ow.found);
    assert_int_equal(ow.role, KW_ROLE_SITEMAP);
    assert_int_equal(ow.source_id, get_sched(&e, "sm").id);
    assert_int_equal(get_url(&e, "/news-sitemap.xml").state, KW_URL_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/news-sitemap.xml"), 1);
    load_articles(&e, &as);
    assert_int_equal(as.n, 2);
    /* Robots.txt still rules: the disallowed sitemap is never fetched. */
    assert_int_equal(get_url(&e, "/private/sitemap.xml").state,
                     KW_URL_DENIED);
    assert_int_equal(kw_testsrv_count(e.srv, "/private/sitemap.xml"), 0);
    /* Another site's sitemap is not this robots.txt's to give. */
    assert_false(get_owner(&e, other_url).found);
    assert_int_equal(kw_testsrv_nreq(other), 0);
    check_polite(&e);

    /* Second pass: rules come from the cache; nothing is stored twice. */
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/robots.txt"), 1);
    load_articles(&e, &as);
    assert_int_equal(as.n, 2);
    assert_int_equal(stats.articles, 0);
    env_close(&e);
    kw_testsrv_stop(other);
}

/* Only sources of kind sitemap take Sitemap: lines. */
static void test_robots_sitemaps_not_for_feeds(void **state)
{
    static const kw_test_resp site[] = {
        {.path = "/robots.txt", .content_type = "text/plain",
         .body = "User-agent: *\nAllow: /\nSitemap: /sm.xml\n"},
        {.path = "/rss.xml", .content_type = XML, .body = RSS("")},
        {.path = "/sm.xml", .content_type = "application/xml",
         .body = urlset_a},
        {.path = NULL},
    };
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;

    (void)state;
    env_open(&e, site);
    add_source(&e, "feed", "/rss.xml", KW_SRC_RSS, NULL);
    cfg = test_cfg(&e);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_false(get_url(&e, "/sm.xml").found);
    assert_int_equal(kw_testsrv_count(e.srv, "/sm.xml"), 0);
    env_close(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_grows_when_quiet),
        cmocka_unit_test(test_interval_same_items),
        cmocka_unit_test(test_interval_bounds),
        cmocka_unit_test(test_interval_kept_on_failure),
        cmocka_unit_test(test_robots_sitemaps),
        cmocka_unit_test(test_robots_sitemaps_not_for_feeds),
    };
    int rc;

    setup_log();
    if (kw_crawler_global_init() != KW_OK)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    kw_crawler_global_cleanup();
    return rc;
}
