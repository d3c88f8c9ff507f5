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

#include "kw/analysis.h"
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
    /* One host, one transfer at a time: robots.txt, the feed and the
     * three articles all went over one kept-alive connection. */
    assert_int_equal(kw_testsrv_nreq(e.srv), 5);
    assert_int_equal(kw_testsrv_nconn(e.srv), 1);

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

#define NOTICE(title, marker, files)                                         \
    "<html><head><meta http-equiv=\"Content-Type\" "                         \
    "content=\"text/html; charset=euc-kr\"><title>" title                    \
    " | 과학기술정보통신부</title></head><body>"                             \
    "<div class=\"view\"><h3 class=\"title\">" title "</h3>"                 \
    "<dl><dt>등록일</dt><dd>2026-01-15</dd><dt>담당부서</dt>"                \
    "<dd>인공지능기반정책과</dd></dl><div class=\"view_cont\">"              \
    "<p>" PARA1 " " marker "</p><p>" PARA2 "</p></div>" files                \
    "</div></body></html>"

/* MSIT's attachment links: a plain href, and script calls that the
 * board answers only to a form POST (fn_download(atchFileNo, fileOrd,
 * ext)). */
#define FILES_101                                                            \
    "<ul class=\"down_file\"><li><a href=\"/board/down.do?id=101&amp;n=1\">" \
    "붙임1. 공고문.pdf</a></li><li><a href=\"#none\" onclick=\"fn_download("  \
    "'9001', '1', 'hwpx'); return false;\">붙임2. 공고문.hwpx</a></li>"      \
    "<li><a href=\"javascript:fn_download('9001','2','hwp')\">붙임3. "        \
    "공고문.hwp</a></li></ul>"

static const char *const notice_utf8[3] = {
    NOTICE("인공지능 공고 하나", "N101", FILES_101),
    NOTICE("인공지능 공고 둘", "N102", ""),
    NOTICE("인공지능 공고 셋", "N103", ""),
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

typedef struct hit_one {
    int n;
    int64_t id;
    char title[256];
} hit_one;

static kw_err take_hit(const kw_search_hit *h, void *ud)
{
    hit_one *o = ud;

    if (o->n++ == 0) {
        o->id = h->id;
        snprintf(o->title, sizeof(o->title), "%s", h->title);
    }
    return KW_OK;
}

typedef struct att_list {
    struct {
        char format[16];
        int is_fetched;
        int has_error;
        int64_t text_bytes;
    } v[8];
    size_t n;
} att_list;

static kw_err take_att(const kw_attachment_rec *r, void *ud)
{
    att_list *l = ud;

    if (l->n < 8) {
        snprintf(l->v[l->n].format, sizeof(l->v[0].format), "%s",
                 r->format ? r->format : "");
        l->v[l->n].is_fetched = r->is_fetched;
        l->v[l->n].has_error = r->error != NULL;
        l->v[l->n].text_bytes = r->text_bytes;
    }
    l->n++;
    return KW_OK;
}

static void test_euckr_board(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    kw_test_resp site[12];
    char *bytes[5];
    size_t lens[5];
    kw_source src;
    char tmpl[512];
    char atmpl[512];
    char url[512];
    kw_test_req rq;
    char *hwpx = NULL;
    size_t hwpx_n = 0;
    att_list al;
    hit_one hit;
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
    site[6].path = "/board/down.do?id=101&n=1";
    site[6].content_type = "application/pdf";
    site[6].body = "%PDF-1.4 GET-ATTACHMENT";
    site[7].path = "/ssm/file/fileDown.do?atchFileNo=9001&fileOrd=1&fileBtn=A";
    site[7].method = "POST";
    site[7].content_type = "application/octet-stream";
    assert_int_equal(kw_read_file(KW_SOURCE_DIR
                                  "/tests/fixtures/attachments/press.hwpx",
                                  1 << 20, &hwpx, &hwpx_n),
                     KW_OK);
    site[7].body = hwpx;
    site[7].body_n = hwpx_n;
    site[8].path = "/ssm/file/fileDown.do?atchFileNo=9001&fileOrd=2&fileBtn=A";
    site[8].method = "POST";
    site[8].content_type = "application/octet-stream";
    site[8].body = "HWP POST-ATTACHMENT-TWO";
    env_open(&e, site);

    memset(&src, 0, sizeof(src));
    src.link_pattern = "/board/view\\.do\\?id=[0-9]+$";
    src.next_pattern = "/board/list\\.do\\?page=[0-9]+$";
    src.list_depth = 2;
    kw_testsrv_urlf(e.srv, "/board/view.do?id={1}", tmpl, sizeof(tmpl));
    src.detail_template = tmpl;
    kw_testsrv_urlf(e.srv,
                    "/ssm/file/fileDown.do?atchFileNo={1}&fileOrd={2}"
                    "&fileBtn=A",
                    atmpl, sizeof(atmpl));
    src.attachment_template = atmpl;
    src.attachment_post = 1;
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

    /* Attachments: the plain link by GET, the script links by a form
     * POST to the template's path, each once; all archived. */
    assert_int_equal(kw_testsrv_count(e.srv, "/board/down.do?id=101&n=1"), 1);
    assert_int_equal(get_url(&e, "/board/down.do?id=101&n=1").role,
                     KW_ROLE_ATTACHMENT);
    assert_int_equal(kw_testsrv_count(e.srv, "/ssm/file/fileDown.do"), 2);
    for (i = 0, k = 0; i < kw_testsrv_nreq(e.srv); i++) {
        assert_int_equal(kw_testsrv_req(e.srv, i, &rq), 0);
        if (strcmp(rq.path, "/ssm/file/fileDown.do") != 0)
            continue;
        assert_string_equal(rq.method, "POST");
        assert_string_equal(rq.content_type,
                            "application/x-www-form-urlencoded");
        assert_non_null(strstr(rq.user_agent, "kowatch/"));
        assert_true(strcmp(rq.form, "atchFileNo=9001&fileOrd=1&fileBtn=A") ==
                        0 ||
                    strcmp(rq.form, "atchFileNo=9001&fileOrd=2&fileBtn=A") ==
                        0);
        k++;
    }
    assert_int_equal(k, 2);
    {
        urlrec u = get_url(&e, "/ssm/file/fileDown.do?atchFileNo=9001"
                               "&fileOrd=2&fileBtn=A");

        assert_int_equal(u.role, KW_ROLE_ATTACHMENT_POST);
        assert_int_equal(u.state, KW_URL_OK);
    }
    assert_int_equal(archive_count(&e, "POST /ssm/file/fileDown.do HTTP/1.1"),
                     2);
    assert_int_equal(archive_count(&e, "\r\n\r\natchFileNo=9001&fileOrd=2"
                                       "&fileBtn=A"),
                     1);
    assert_int_equal(archive_count(&e, "HWP POST-ATTACHMENT-TWO"), 1);
    assert_int_equal(archive_count(&e, "%PDF-1.4 GET-ATTACHMENT"), 1);
    check_polite(&e);

    /* The HWPX's text makes its notice searchable by words that are only
     * in the attachment; files that are not documents are recorded with
     * the reason. */
    memset(&hit, 0, sizeof(hit));
    assert_int_equal(kw_store_search(e.st, "임차", NULL, take_hit, &hit,
                                     NULL),
                     KW_OK);
    assert_int_equal(hit.n, 1);
    assert_non_null(strstr(hit.title, "인공지능 공고 하나"));
    memset(&al, 0, sizeof(al));
    assert_int_equal(kw_store_attachment_each(e.st, hit.id, take_att, &al),
                     KW_OK);
    assert_int_equal(al.n, 3);
    assert_string_equal(al.v[0].format, "pdf"); /* claimed, not a PDF */
    assert_true(al.v[0].has_error);
    assert_string_equal(al.v[1].format, "hwpx");
    assert_false(al.v[1].has_error);
    assert_true(al.v[1].text_bytes > 100);
    assert_true(al.v[2].is_fetched && al.v[2].has_error);

    /* A second pass fetches no attachment again. */
    kw_testsrv_clear(e.srv);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/ssm/file/fileDown.do"), 0);
    assert_int_equal(kw_testsrv_count(e.srv, "/board/down.do?id=101&n=1"), 0);
    env_close(&e);
    kw_free(hwpx);
    for (i = 0; i < 5; i++)
        kw_free(bytes[i]);
}

/* ---- A decision only in an attachment ------------------------------------ */

/* A ministry notice often says only "첨부 참고"; its HWPX holds the
 * decision.  The notice's stance events come from the attachment, with
 * the attachment's sentence as evidence. */
static const char notice_att[] =
    "<html><head><meta charset=\"utf-8\"><title>추가 정예팀 선정 결과 | "
    "과학기술정보통신부</title></head><body><div class=\"view\">"
    "<h3 class=\"title\">독자 AI 파운데이션 모델 추가 정예팀 선정 결과</h3>"
    "<dl><dt>등록일</dt><dd>2026-04-10</dd><dt>담당부서</dt>"
    "<dd>인공지능기반정책과</dd></dl><div class=\"view_cont\">"
    "<p>독자 AI 파운데이션 모델 프로젝트 추가 공모의 심사 결과를 "
    "알려드립니다. 자세한 내용은 첨부 파일을 참고하시기 바랍니다.</p>"
    "<p>문의 사항은 담당 부서로 연락하여 주시기 바랍니다.</p></div>"
    "<ul class=\"down_file\"><li><a href=\"/files/result.hwpx\">"
    "붙임. 추가 정예팀 선정 결과.hwpx</a></li></ul></div></body></html>";

static const char feed_att[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>보도자료</title><link>/</link>"
    "<description>d</description><item><title>추가 정예팀 선정 결과</title>"
    "<link>/view/1</link>"
    "<pubDate>Fri, 10 Apr 2026 10:00:00 +0900</pubDate></item>"
    "</channel></rss>\n";

typedef struct ev_list {
    char stance[16][16];
    char sentence[16][256];
    size_t n;
} ev_list;

static kw_err take_event(const kw_event_rec *e, void *ud)
{
    ev_list *l = ud;

    if (l->n < 16) {
        snprintf(l->stance[l->n], sizeof(l->stance[0]), "%s", e->stance);
        snprintf(l->sentence[l->n], sizeof(l->sentence[0]), "%s",
                 e->sentence ? e->sentence : "");
    }
    l->n++;
    return KW_OK;
}

static void *load_config(const char *name, int rules)
{
    char path[512], err[256];
    char *p = NULL;
    size_t n = 0;
    void *out = NULL;

    snprintf(path, sizeof(path), "%s/config/%s", KW_SOURCE_DIR, name);
    assert_int_equal(kw_read_file(path, 1 << 22, &p, &n), KW_OK);
    if (rules)
        assert_int_equal(kw_rules_parse(p, n, err, sizeof(err),
                                        (kw_rules **)&out),
                         KW_OK);
    else
        assert_int_equal(kw_gazetteer_parse(p, n, err, sizeof(err),
                                            (kw_gazetteer **)&out),
                         KW_OK);
    kw_free(p);
    return out;
}

static void test_decision_in_attachment(void **state)
{
    kw_test_resp site[4];
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    kw_event_filter f;
    kw_gazetteer *g;
    kw_rules *r;
    ev_list el;
    char *hwpx = NULL;
    size_t hwpx_n = 0;
    env e;

    (void)state;
    assert_int_equal(kw_read_file(KW_SOURCE_DIR
                                  "/tests/fixtures/attachments/decision.hwpx",
                                  1 << 20, &hwpx, &hwpx_n),
                     KW_OK);
    memset(site, 0, sizeof(site));
    site[0].path = "/rss.xml";
    site[0].content_type = "application/rss+xml";
    site[0].body = feed_att;
    site[1].path = "/view/1";
    site[1].content_type = "text/html; charset=utf-8";
    site[1].body = notice_att;
    site[2].path = "/files/result.hwpx";
    site[2].content_type = "application/octet-stream";
    site[2].body = hwpx;
    site[2].body_n = hwpx_n;
    env_open(&e, site);
    add_source(&e, "msit", "/rss.xml", KW_SRC_RSS, NULL);
    g = load_config("entities.yaml", 0);
    r = load_config("stances.yaml", 1);
    cfg = test_cfg(&e);
    cfg.gazetteer = g;
    cfg.rules = r;
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    assert_int_equal(kw_testsrv_count(e.srv, "/files/result.hwpx"), 1);

    memset(&f, 0, sizeof(f));
    f.entity = "kt";
    memset(&el, 0, sizeof(el));
    assert_int_equal(kw_store_event_each(e.st, &f, take_event, &el), KW_OK);
    assert_int_equal(el.n, 1);
    assert_string_equal(el.stance[0], "selected");
    assert_non_null(strstr(el.sentence[0], "KT 컨소시엄을 추가 정예팀으로"));

    /* A reindex reads page and attachment back and keeps one event. */
    assert_int_equal(kw_crawler_reindex(e.st, &cfg, &stats), KW_OK);
    memset(&el, 0, sizeof(el));
    assert_int_equal(kw_store_event_each(e.st, &f, take_event, &el), KW_OK);
    assert_int_equal(el.n, 1);
    env_close(&e);
    kw_gazetteer_free(g);
    kw_rules_free(r);
    kw_free(hwpx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rss_once_then_conditional),
        cmocka_unit_test(test_scheduled_until_stop),
        cmocka_unit_test(test_sitemaps),
        cmocka_unit_test(test_euckr_board),
        cmocka_unit_test(test_decision_in_attachment),
    };
    int rc;

    setup_log();
    if (kw_crawler_global_init() != KW_OK)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    kw_crawler_global_cleanup();
    return rc;
}
