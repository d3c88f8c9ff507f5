/*
 * test_crawler_discovery.c -- kw_crawler_run against the in-process test
 * server: an RSS feed (stored once, tracking parameters deduplicated, a
 * gzip article decoded, conditional GET on the second pass), a news
 * sitemap and a sitemap index with a child sitemap, and a paginated
 * EUC-KR board list with link/next patterns, a list depth and script
 * links mapped through a detail template.  Every request must name
 * kowatch in its User-Agent and robots.txt must come first.
 */
/* nftw() */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <iconv.h>
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

#define PARA1                                                                \
    "과학기술정보통신부는 15일 독자 AI 파운데이션 모델 프로젝트의 2차 "       \
    "평가 결과를 발표했다. 이번 평가에서는 여러 컨소시엄이 경쟁했으며 "       \
    "정부는 추가 공모 일정도 함께 공개했다."
#define PARA2                                                                \
    "업계에서는 이번 결정이 국내 인공지능 생태계에 큰 영향을 미칠 것으로 "     \
    "보고 있다. 참여 기업들은 다음 달까지 계획서를 제출해야 한다."

#define ARTICLE(title, marker)                                               \
    "<!DOCTYPE html><html lang=\"ko\"><head><meta charset=\"utf-8\">"        \
    "<title>" title "</title>"                                               \
    "<meta property=\"og:title\" content=\"" title "\">"                     \
    "<meta property=\"article:published_time\" "                             \
    "content=\"2026-01-15T18:47:00+09:00\"></head><body>"                    \
    "<nav><a href=\"/\">홈</a></nav><article><h1>" title "</h1>"             \
    "<p class=\"byline\">홍길동 기자</p>"                                    \
    "<p>" PARA1 " " marker "</p><p>" PARA2 "</p><p>" PARA1 "</p>"            \
    "</article><footer>Copyright</footer></body></html>"

/* ---- RSS feed ------------------------------------------------------------ */

static const char rss[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>테스트 뉴스</title>"
    "<link>/</link><description>d</description>"
    "<item><title>기사 하나</title><link>/news/1?utm_source=rss</link>"
    "<pubDate>Thu, 15 Jan 2026 18:47:00 +0900</pubDate></item>"
    "<item><title>기사 둘</title><link>/news/2</link>"
    "<pubDate>Thu, 15 Jan 2026 19:00:00 +0900</pubDate></item>"
    "<item><title>기사 셋</title><link>/news/3?call_from=rsslink</link>"
    "<pubDate>Thu, 15 Jan 2026 20:00:00 +0900</pubDate></item>"
    "<item><title>기사 하나 (다시)</title>"
    "<link>/news/1?utm_medium=feed&amp;utm_campaign=x</link></item>"
    "</channel></rss>\n";

static const kw_test_resp feed_site[] = {
    {.path = "/rss.xml", .content_type = "application/rss+xml",
     .body = rss, .etag = "\"feed-v1\"",
     .last_modified = "Thu, 15 Jan 2026 11:00:00 GMT"},
    {.path = "/news/1", .content_type = "text/html; charset=utf-8",
     .body = ARTICLE("첫 번째 기사", "MARKER-ONE"), .mode = KW_TEST_GZIP},
    {.path = "/news/2", .content_type = "text/html; charset=utf-8",
     .body = ARTICLE("두 번째 기사", "MARKER-TWO")},
    {.path = "/news/3", .content_type = "text/html; charset=utf-8",
     .body = ARTICLE("세 번째 기사", "MARKER-THREE")},
    {.path = NULL},
};

static void test_rss_once_then_conditional(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    arts as;
    char url[512];
    const art *a1;
    kw_test_req r;
    size_t i;
    int seen_conditional = 0;

    (void)state;
    env_open(&e, feed_site);
    add_source(&e, "feed", "/rss.xml", KW_SRC_RSS, NULL);
    cfg = test_cfg(&e);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);

    load_articles(&e, &as);
    assert_int_equal(as.n, 3);
    assert_int_equal(stats.articles, 3);
    assert_int_equal(stats.errors, 0);
    assert_int_equal(kw_testsrv_count(e.srv, "/news/1"), 1);
    assert_int_equal(kw_testsrv_count(e.srv, "/news/2"), 1);
    assert_int_equal(kw_testsrv_count(e.srv, "/news/3"), 1);
    /* The gzip article was decoded before extraction. */
    kw_testsrv_urlf(e.srv, "/news/1", url, sizeof(url));
    a1 = find_article(&as, url);
    assert_non_null(a1);
    assert_non_null(strstr(a1->text, "MARKER-ONE"));
    assert_non_null(strstr(a1->title, "첫 번째 기사"));
    assert_int_equal(get_url(&e, "/news/1").state, KW_URL_OK);
    assert_int_equal(get_url(&e, "/rss.xml").role, KW_ROLE_SEED);
    check_polite(&e);

    /* Second pass: the feed is asked for conditionally; nothing new. */
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/rss.xml"), 2);
    for (i = 0; i < kw_testsrv_nreq(e.srv); i++) {
        assert_int_equal(kw_testsrv_req(e.srv, i, &r), 0);
        if (strcmp(r.path, "/rss.xml") == 0 && r.if_none_match[0]) {
            assert_string_equal(r.if_none_match, "\"feed-v1\"");
            assert_string_equal(r.if_modified_since,
                                "Thu, 15 Jan 2026 11:00:00 GMT");
            seen_conditional = 1;
        }
    }
    assert_true(seen_conditional);
    assert_int_equal(stats.not_modified, 1);
    assert_int_equal(stats.articles, 0);
    assert_int_equal(kw_testsrv_count(e.srv, "/news/1"), 1);
    load_articles(&e, &as);
    assert_int_equal(as.n, 3);
    assert_int_equal(kw_store_fts_check(e.st), KW_OK);

    /* Reindex reads the three pages back from the archive; the same
     * extractor changes nothing. */
    assert_int_equal(kw_crawler_reindex(e.st, &cfg, &stats), KW_OK);
    assert_int_equal(stats.fetched, 3);
    assert_int_equal(stats.articles, 0);
    load_articles(&e, &as);
    assert_int_equal(as.n, 3);
    env_close(&e);
}

/* ---- Scheduled mode ------------------------------------------------------ */

typedef struct stopper {
    volatile sig_atomic_t stop;
    int calls;
} stopper;

/* Stops the run once the feed's three articles are stored. */
static void stop_when_done(const kw_crawl_stats *s, void *ud)
{
    stopper *st = ud;

    st->calls++;
    if (s->articles >= 3 || st->calls > 20)
        st->stop = 1;
}

static void test_scheduled_until_stop(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    stopper sp;
    arts as;

    (void)state;
    memset(&sp, 0, sizeof(sp));
    env_open(&e, feed_site);
    add_source(&e, "feed", "/rss.xml", KW_SRC_RSS, NULL);
    cfg = test_cfg(&e);
    cfg.once = 0;
    cfg.stop = &sp.stop;
    cfg.progress = stop_when_done;
    cfg.progress_ud = &sp;
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_true(sp.stop);
    assert_true(sp.calls <= 20);
    load_articles(&e, &as);
    assert_int_equal(as.n, 3);
    /* Nothing was due twice while the loop kept polling. */
    assert_int_equal(kw_testsrv_count(e.srv, "/rss.xml"), 1);
    assert_int_equal(kw_testsrv_count(e.srv, "/news/2"), 1);
    check_polite(&e);
    env_close(&e);
}

/* ---- Sitemaps ------------------------------------------------------------ */

static const char news_sitemap[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
    "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
    "<url><loc>/a/1</loc><news:news><news:publication><news:name>T"
    "</news:name><news:language>ko</news:language></news:publication>"
    "<news:publication_date>2026-01-15T18:47:00+09:00"
    "</news:publication_date><news:title>가</news:title></news:news></url>"
    "<url><loc>/a/2</loc></url>"
    "</urlset>\n";

static const char sitemap_index[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    "<sitemap><loc>/sm/child.xml</loc></sitemap></sitemapindex>\n";

static const char child_sitemap[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    "<url><loc>/b/1</loc></url><url><loc>/b/2</loc></url></urlset>\n";

static const kw_test_resp sitemap_site[] = {
    {.path = "/robots.txt", .content_type = "text/plain",
     .body = "User-agent: *\nAllow: /\n"},
    {.path = "/news-sitemap.xml", .content_type = "application/xml",
     .body = news_sitemap},
    {.path = "/sm/index.xml", .content_type = "application/xml",
     .body = sitemap_index},
    {.path = "/sm/child.xml", .content_type = "application/xml",
     .body = child_sitemap},
    {.path = "/a/1", .content_type = "text/html; charset=utf-8",
     .body = ARTICLE("사이트맵 기사 1", "A1")},
    {.path = "/a/2", .content_type = "text/html; charset=utf-8",
     .body = ARTICLE("사이트맵 기사 2", "A2")},
    {.path = "/b/1", .content_type = "text/html; charset=utf-8",
     .body = ARTICLE("색인 기사 1", "B1")},
    {.path = "/b/2", .content_type = "text/html; charset=utf-8",
     .body = ARTICLE("색인 기사 2", "B2")},
    {.path = NULL},
};

static void test_sitemaps(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    arts as;
    urlrec child;

    (void)state;
    env_open(&e, sitemap_site);
    add_source(&e, "news-sm", "/news-sitemap.xml", KW_SRC_SITEMAP, NULL);
    add_source(&e, "index-sm", "/sm/index.xml", KW_SRC_SITEMAP, NULL);
    cfg = test_cfg(&e);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    load_articles(&e, &as);
    assert_int_equal(as.n, 4);
    child = get_url(&e, "/sm/child.xml");
    assert_true(child.found);
    assert_int_equal(child.role, KW_ROLE_SITEMAP);
    assert_int_equal(child.state, KW_URL_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/sm/child.xml"), 1);
    assert_int_equal(get_url(&e, "/b/2").role, KW_ROLE_ARTICLE);
    assert_int_equal(stats.sources, 2);
    check_polite(&e);
    env_close(&e);
}

/* ---- EUC-KR board ---------------------------------------------------------- */

static const char list1_utf8[] =
    "<html><head><meta http-equiv=\"Content-Type\" "
    "content=\"text/html; charset=euc-kr\"><title>공지사항</title></head>"
    "<body><div id=\"gnb\"><a href=\"/about\">기관소개</a></div>"
    "<table class=\"board\"><tbody>"
    "<tr><td>1</td><td><a href=\"/board/view.do?id=101\">인공지능 공고 "
    "하나</a></td></tr>"
    "<tr><td>2</td><td><a href=\"#none\" onclick=\"fn_detail('102'); "
    "return false;\">인공지능 공고 둘</a></td></tr>"
    "</tbody></table><div class=\"paging\">"
    "<a href=\"/board/list.do?page=2\">2</a></div></body></html>";

static const char list2_utf8[] =
    "<html><head><meta http-equiv=\"Content-Type\" "
    "content=\"text/html; charset=euc-kr\"><title>공지사항</title></head>"
    "<body><table class=\"board\"><tbody>"
    "<tr><td>3</td><td><a href=\"/board/view.do?id=103\">인공지능 공고 "
    "셋</a></td></tr>"
    "</tbody></table><div class=\"paging\">"
    "<a href=\"/board/list.do?page=1\">1</a>"
    "<a href=\"/board/list.do?page=3\">3</a></div></body></html>";

#define NOTICE(title, marker)                                                \
    "<html><head><meta http-equiv=\"Content-Type\" "                         \
    "content=\"text/html; charset=euc-kr\"><title>" title                    \
    " | 과학기술정보통신부</title></head><body>"                             \
    "<div class=\"view\"><h3 class=\"title\">" title "</h3>"                 \
    "<dl><dt>등록일</dt><dd>2026-01-15</dd><dt>담당부서</dt>"                \
    "<dd>인공지능기반정책과</dd></dl><div class=\"view_cont\">"              \
    "<p>" PARA1 " " marker "</p><p>" PARA2 "</p></div></div></body></html>"

static const char *const notice_utf8[3] = {
    NOTICE("인공지능 공고 하나", "N101"),
    NOTICE("인공지능 공고 둘", "N102"),
    NOTICE("인공지능 공고 셋", "N103"),
};

/* @s converted to EUC-KR; owned (kw_free). */
static char *to_euckr(const char *s, size_t *n)
{
    iconv_t cd = iconv_open("EUC-KR", "UTF-8");
    size_t in_n = strlen(s);
    size_t cap = in_n * 2 + 1;
    char *out = kw_malloc(cap);
    char *in = (char *)s;
    char *o = out;
    size_t o_n = cap;

    assert_true(cd != (iconv_t)-1);
    assert_non_null(out);
    assert_true(iconv(cd, &in, &in_n, &o, &o_n) != (size_t)-1);
    iconv_close(cd);
    *n = cap - o_n;
    return out;
}

static void test_euckr_board(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    kw_test_resp site[8];
    char *bytes[5];
    size_t lens[5];
    kw_source src;
    char tmpl[512];
    char url[512];
    arts as;
    size_t i;
    int k;

    (void)state;
    bytes[0] = to_euckr(list1_utf8, &lens[0]);
    bytes[1] = to_euckr(list2_utf8, &lens[1]);
    for (i = 0; i < 3; i++)
        bytes[2 + i] = to_euckr(notice_utf8[i], &lens[2 + i]);
    memset(site, 0, sizeof(site));
    site[0].path = "/board/list.do";
    site[1].path = "/board/list.do?page=2";
    site[2].path = "/board/view.do?id=101";
    site[3].path = "/board/view.do?id=102";
    site[4].path = "/board/view.do?id=103";
    for (i = 0; i < 5; i++) {
        site[i].content_type = "text/html; charset=euc-kr";
        site[i].body = bytes[i];
        site[i].body_n = lens[i];
    }
    site[5].path = "/board/list.do?page=3";
    site[5].content_type = "text/html";
    site[5].body = "<html></html>";
    env_open(&e, site);

    memset(&src, 0, sizeof(src));
    src.link_pattern = "/board/view\\.do\\?id=[0-9]+$";
    src.next_pattern = "/board/list\\.do\\?page=[0-9]+$";
    src.list_depth = 2;
    kw_testsrv_urlf(e.srv, "/board/view.do?id={1}", tmpl, sizeof(tmpl));
    src.detail_template = tmpl;
    add_source(&e, "board", "/board/list.do", KW_SRC_LIST, &src);
    cfg = test_cfg(&e);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);

    load_articles(&e, &as);
    assert_int_equal(as.n, 3);
    for (k = 101; k <= 103; k++) {
        char path[64];
        char marker[16];
        const art *a;

        snprintf(path, sizeof(path), "/board/view.do?id=%d", k);
        snprintf(marker, sizeof(marker), "N%d", k);
        assert_int_equal(kw_testsrv_count(e.srv, path), 1);
        kw_testsrv_urlf(e.srv, path, url, sizeof(url));
        a = find_article(&as, url);
        if (!a) {
            print_error("no article for %s\n", url);
            fail();
        }
        assert_non_null(strstr(a->text, marker));
        assert_non_null(strstr(a->text, "과학기술정보통신부는"));
        assert_non_null(strstr(a->title, "인공지능 공고"));
    }
    assert_int_equal(get_url(&e, "/board/list.do?page=2").role,
                     KW_ROLE_LIST);
    /* list-depth 2: the seed and one further page, no more. */
    assert_int_equal(kw_testsrv_count(e.srv, "/board/list.do?page=2"), 1);
    assert_int_equal(kw_testsrv_count(e.srv, "/board/list.do?page=3"), 0);
    assert_int_equal(kw_testsrv_count(e.srv, "/board/list.do?page=1"), 0);
    assert_int_equal(kw_testsrv_count(e.srv, "/about"), 0);
    check_polite(&e);
    env_close(&e);
    for (i = 0; i < 5; i++)
        kw_free(bytes[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rss_once_then_conditional),
        cmocka_unit_test(test_scheduled_until_stop),
        cmocka_unit_test(test_sitemaps),
        cmocka_unit_test(test_euckr_board),
    };
    int rc;

    setup_log();
    if (kw_crawler_global_init() != KW_OK)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    kw_crawler_global_cleanup();
    return rc;
}
