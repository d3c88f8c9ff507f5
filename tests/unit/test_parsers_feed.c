/*
 * Unit tests of parsers/feed.c: the four real Korean feeds of
 * korean-pages/feeds (item counts and titles checked against
 * `iconv -f cp949`), hand-written RSS 1.0/2.0, Atom, sitemap index,
 * Google News urlset and gzip samples, and hostile input (entity bombs,
 * external entities, stray '&', truncation, oversized gzip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "kw/parsers.h"
#include "parsers_int.h"

#define FEEDS KW_SHARED_DIR "/korean-pages/feeds/"

static kw_feed *parse_file(const char *path)
{
    char *p;
    size_t n;
    kw_feed *f = NULL;

    assert_int_equal(kw_read_file(path, KW_MAX_BODY, &p, &n), KW_OK);
    assert_int_equal(kw_feed_parse(p, n, NULL, &f), KW_OK);
    kw_free(p);
    assert_non_null(f);
    return f;
}

static kw_feed *parse_str(const char *s)
{
    kw_feed *f = NULL;

    assert_int_equal(kw_feed_parse(s, strlen(s), NULL, &f), KW_OK);
    assert_non_null(f);
    return f;
}

static void test_ricanet_uhc(void **state)
{
    kw_feed *f = parse_file(FEEDS "cp949_ricanet.com_rss092.xml");

    (void)state;
    assert_int_equal(f->kind, KW_FEED_RSS);
    assert_string_equal(f->charset, "windows-949");
    assert_string_equal(f->title, "리카넷");
    assert_string_equal(f->link, "http://ricanet.com");
    assert_int_equal(f->n_items, 10);
    assert_string_equal(f->items[0].title, "구라치다 걸리면");
    assert_string_equal(f->items[0].url,
                        "http://ricanet.com/new/view.php?id=blog/100403");
    /* Sat, 03 Apr 2010 21:15:06 +0900 */
    assert_int_equal(f->items[0].published, 1270296906);
    assert_string_equal(f->items[1].title, "책읽記 - 타워");
    /* The summary is plain text: tags gone, "<타워>" (not a tag) kept. */
    assert_non_null(f->items[1].summary);
    assert_null(strstr(f->items[1].summary, "<BR>"));
    assert_null(strstr(f->items[1].summary, "<a "));
    assert_non_null(strstr(f->items[1].summary, "<타워>는"));
    kw_feed_free(f);
}

static void test_naver_cdata(void **state)
{
    kw_feed *f = parse_file(FEEDS "euckr_blog.rss.naver.com_rss2.xml");

    (void)state;
    assert_int_equal(f->kind, KW_FEED_RSS);
    assert_string_equal(f->title, "alphathinker님의 블로그");
    assert_int_equal(f->n_items, 10);
    assert_string_equal(f->items[0].title,
                        "2003년 업 그레이드된 기본강의시리즈 수강 안내");
    assert_string_equal(f->items[0].url,
                        "http://blog.naver.com/alphathinker/40002716789");
    /* Sun, 23 May 2004 19:57:35 +0900 */
    assert_int_equal(f->items[0].published, 1085309855);
    kw_feed_free(f);
}

static void test_critique(void **state)
{
    kw_feed *f = parse_file(FEEDS "euckr_critique.or.kr_rss2.xml");

    (void)state;
    assert_int_equal(f->n_items, 10);
    assert_string_equal(f->title, "Another World!");
    assert_string_equal(f->items[0].title, "허리우드 액션");
    assert_string_equal(f->items[1].title, "트로츠키의 꾹꾹이 동영상");
    assert_string_equal(f->items[0].author, "slowhand");
    /* Thu, 22 Dec 2005 15:58:06 +0900 */
    assert_int_equal(f->items[0].published, 1135234686);
    kw_feed_free(f);
}

static void test_acnnewswire(void **state)
{
    kw_feed *f = parse_file(FEEDS "euckr_acnnewswire.net_rss2.xml");
    size_t i;
    int found = 0;

    (void)state;
    assert_string_equal(f->title, "Asia Corporate Press via ACNNewswire.net");
    assert_int_equal(f->n_items, 8);
    /* "Tue, 27 Dec 2005 13:30:33+0900" (no space before the offset) */
    assert_int_equal(f->items[0].published, 1135657833);
    assert_string_equal(f->items[0].url, "http://www.acnnewswire.net/"
                                         "Article.Asp?lang=_k&Art_ID=29790");
    for (i = 0; i < f->n_items; i++) {
        if (f->items[i].title &&
            strstr(f->items[i].title,
                   "JCB가 China UnionPay와 ATM 이용 계약을 체결"))
            found = 1;
    }
    assert_true(found);
    kw_feed_free(f);
}

static void test_rss2_sample(void **state)
{
    kw_feed *f = parse_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
        " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
        "<channel><title>과기정통부 보도자료</title>"
        "<link>https://www.korea.kr/</link>\n"
        "<item><title><![CDATA[<b>독자 AI</b>   파운데이션\n 모델]]></title>"
        "<link> https://www.korea.kr/briefing/pressReleaseView.do?newsId=1"
        "&amp;call_from=rsslink </link>"
        "<description>&lt;p&gt;요약 &amp;amp; 본문&lt;/p&gt;</description>"
        "<dc:creator>과학기술정보통신부</dc:creator>"
        "<dc:date>2026-01-15T09:00:00+09:00</dc:date></item>\n"
        "<item><title>guid only</title>"
        "<guid isPermaLink=\"true\">https://e.kr/2</guid>"
        "<content:encoded><![CDATA[<p>full</p>]]></content:encoded>"
        "<pubDate>Mon, 15 Jan 2026 09:00:00 GMT</pubDate></item>\n"
        "<item><title>no link at all</title></item>\n"
        "</channel></rss>");

    (void)state;
    assert_int_equal(f->kind, KW_FEED_RSS);
    assert_string_equal(f->title, "과기정통부 보도자료");
    assert_int_equal(f->n_items, 2);
    assert_string_equal(f->items[0].title, "독자 AI 파운데이션 모델");
    assert_string_equal(
        f->items[0].url,
        "https://www.korea.kr/briefing/pressReleaseView.do?newsId=1"
        "&call_from=rsslink");
    assert_string_equal(f->items[0].summary, "요약 & 본문");
    assert_string_equal(f->items[0].author, "과학기술정보통신부");
    assert_int_equal(f->items[0].published, 1768435200);
    assert_string_equal(f->items[1].url, "https://e.kr/2");
    assert_string_equal(f->items[1].summary, "full");
    assert_int_equal(f->items[1].published, 1768467600);
    kw_feed_free(f);
}

static void test_rdf_sample(void **state)
{
    kw_feed *f = parse_str(
        "<?xml version=\"1.0\"?>"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
        " xmlns=\"http://purl.org/rss/1.0/\""
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        "<channel rdf:about=\"http://x.kr/\"><title>RDF</title>"
        "<link>http://x.kr/</link></channel>"
        "<item rdf:about=\"http://x.kr/1\"><title>하나</title>"
        "<link>http://x.kr/1</link><dc:date>2025-08-04</dc:date></item>"
        "<item rdf:about=\"http://x.kr/2\"><title>둘</title></item>"
        "</rdf:RDF>");

    (void)state;
    assert_int_equal(f->kind, KW_FEED_RSS);
    assert_string_equal(f->title, "RDF");
    assert_int_equal(f->n_items, 2);
    assert_string_equal(f->items[0].title, "하나");
    assert_int_equal(f->items[0].published, 1754233200);
    assert_string_equal(f->items[1].url, "http://x.kr/2");
    kw_feed_free(f);
}

static void test_atom_sample(void **state)
{
    kw_feed *f = parse_str(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        "<title type=\"text\">Atom 피드</title>"
        "<link rel=\"self\" href=\"https://a.kr/feed\"/>"
        "<link href=\"https://a.kr/\"/>"
        "<entry><title type=\"html\">&lt;em&gt;첫&lt;/em&gt; 글</title>"
        "<link rel=\"edit\" href=\"https://a.kr/edit/1\"/>"
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://a.kr/1\"/>"
        "<updated>2026-01-15T00:00:00Z</updated>"
        "<published>2025-05-15T20:00:52+09:00</published>"
        "<author><name>홍길동</name></author>"
        "<summary>요약</summary></entry>"
        "<entry><title>둘</title><link href=\"/2\"/>"
        "<updated>2026-01-15T00:00:00Z</updated>"
        "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
        "<p>본문</p></div></content></entry>"
        "</feed>");

    (void)state;
    assert_int_equal(f->kind, KW_FEED_ATOM);
    assert_string_equal(f->title, "Atom 피드");
    assert_string_equal(f->link, "https://a.kr/");
    assert_int_equal(f->n_items, 2);
    assert_string_equal(f->items[0].title, "첫 글");
    assert_string_equal(f->items[0].url, "https://a.kr/1");
    assert_int_equal(f->items[0].published, 1747306852);
    assert_string_equal(f->items[0].author, "홍길동");
    assert_string_equal(f->items[0].summary, "요약");
    assert_string_equal(f->items[1].url, "/2");
    assert_int_equal(f->items[1].published, 1768435200);
    assert_string_equal(f->items[1].summary, "본문");
    kw_feed_free(f);
}

static const char sitemap_index[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    "<sitemap><loc>https://www.hankookilbo.com/sitemap/daily-articles/2026"
    "</loc><lastmod>2026-01-15</lastmod></sitemap>\n"
    "<sitemap><loc>https://www.hankookilbo.com/sitemap/latest-articles"
    "</loc></sitemap>\n"
    "</sitemapindex>\n";

static void test_sitemap_index(void **state)
{
    kw_feed *f = parse_str(sitemap_index);

    (void)state;
    assert_int_equal(f->kind, KW_FEED_SITEMAP_INDEX);
    assert_int_equal(f->n_items, 2);
    assert_string_equal(f->items[0].url,
                        "https://www.hankookilbo.com/sitemap/daily-articles/"
                        "2026");
    assert_int_equal(f->items[0].published, 1768402800);
    assert_int_equal(f->items[1].published, 0);
    kw_feed_free(f);
}

static void test_news_sitemap(void **state)
{
    kw_feed *f = parse_str(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""
        " xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
        "<url><loc>https://www.mk.co.kr/news/it/1</loc>"
        "<lastmod>2026-01-01</lastmod>"
        "<news:news><news:publication><news:name>매일경제</news:name>"
        "<news:language>ko</news:language></news:publication>"
        "<news:publication_date>2025-06-04T02:37:08+09:00"
        "</news:publication_date>"
        "<news:title>네이버클라우드, 독파모 재도전</news:title></news:news>"
        "</url>"
        "<url><loc>https://www.mk.co.kr/news/it/2</loc>"
        "<lastmod>2026-01-15</lastmod></url>"
        "<url><lastmod>2026-01-15</lastmod></url>"
        "</urlset>");

    (void)state;
    assert_int_equal(f->kind, KW_FEED_URLSET);
    assert_int_equal(f->n_items, 2);
    assert_string_equal(f->items[0].title, "네이버클라우드, 독파모 재도전");
    /* news:publication_date wins over lastmod */
    assert_int_equal(f->items[0].published, 1748972228);
    assert_null(f->items[1].title);
    assert_int_equal(f->items[1].published, 1768402800);
    kw_feed_free(f);
}

/* gzip-compresses s with zlib; the result is owned. */
static unsigned char *gzip(const void *s, size_t n, size_t *out_n)
{
    z_stream zs;
    size_t cap = compressBound((uLong)n) + 64;
    unsigned char *buf = kw_malloc(cap);

    assert_non_null(buf);
    memset(&zs, 0, sizeof(zs));
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                  Z_DEFAULT_STRATEGY),
                     Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)s;
    zs.avail_in = (uInt)n;
    zs.next_out = buf;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_n = zs.total_out;
    deflateEnd(&zs);
    return buf;
}

static void test_gzip(void **state)
{
    size_t gz_n;
    unsigned char *gz = gzip(sitemap_index, strlen(sitemap_index), &gz_n);
    kw_feed *f = NULL;

    (void)state;
    assert_int_equal(kw_feed_parse((const char *)gz, gz_n, NULL, &f), KW_OK);
    assert_int_equal(f->kind, KW_FEED_SITEMAP_INDEX);
    assert_int_equal(f->n_items, 2);
    kw_feed_free(f);

    /* Truncated gzip stream. */
    assert_int_equal(kw_feed_parse((const char *)gz, gz_n / 2, NULL, &f),
                     KW_EPARSE);
    assert_null(f);
    kw_free(gz);
}

/* kw_gunzip: passthrough, two members, corrupt data. */
static void test_gunzip_api(void **state)
{
    size_t a_n, b_n, out_n;
    unsigned char *a = gzip("hello ", 6, &a_n);
    unsigned char *b = gzip("world", 5, &b_n);
    char *both = kw_malloc(a_n + b_n), *out = (char *)1;

    (void)state;
    assert_int_equal(kw_gunzip("plain", 5, 100, &out, &out_n), KW_OK);
    assert_null(out);
    assert_int_equal(out_n, 0);

    memcpy(both, a, a_n);
    memcpy(both + a_n, b, b_n);
    assert_int_equal(kw_gunzip(both, a_n + b_n, 100, &out, &out_n), KW_OK);
    assert_string_equal(out, "hello world");
    assert_int_equal(out_n, 11);
    kw_free(out);

    assert_int_equal(kw_gunzip(both, a_n + b_n, 8, &out, &out_n),
                     KW_ETOOBIG);
    assert_null(out);

    both[a_n / 2] ^= 0x55;
    assert_int_equal(kw_gunzip(both, a_n, 100, &out, &out_n), KW_EPARSE);
    assert_null(out);
    assert_int_equal(kw_gunzip("\x1f\x8b", 2, 100, &out, &out_n),
                     KW_EPARSE);
    kw_free(both);
    kw_free(a);
    kw_free(b);
}

/* A gzip bomb: 60 MB of zeros inflates past KW_MAX_SITEMAP. */
static void test_gzip_too_big(void **state)
{
    size_t n = KW_MAX_SITEMAP + 1024 * 1024, gz_n;
    char *zeros = kw_calloc(1, n);
    unsigned char *gz;
    kw_feed *f = NULL;

    (void)state;
    assert_non_null(zeros);
    gz = gzip(zeros, n, &gz_n);
    kw_free(zeros);
    assert_int_equal(kw_feed_parse((const char *)gz, gz_n, NULL, &f),
                     KW_ETOOBIG);
    assert_null(f);
    kw_free(gz);
}

static void test_stray_ampersand(void **state)
{
    kw_feed *f = parse_str(
        "<rss version=\"2.0\"><channel><title>A & B</title>"
        "<item><title>R&D 투자 & 성장</title>"
        "<link>http://x.kr/view?a=1&b=2</link></item>"
        "</channel></rss>");

    (void)state;
    assert_int_equal(f->n_items, 1);
    assert_string_equal(f->items[0].url, "http://x.kr/view?a=1&b=2");
    assert_string_equal(f->items[0].title, "R&D 투자 & 성장");
    kw_feed_free(f);
}

/* Billion laughs: entity references are never expanded. */
static void test_billion_laughs(void **state)
{
    kw_feed *f = NULL;
    static const char bomb[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE rss [\n"
        " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
        " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
        " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
        " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
        " <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
        " <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
        " <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
        " <!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
        "]>\n"
        "<rss><channel><title>&i;</title>"
        "<item><title>&i;</title><link>http://x.kr/&i;</link>"
        "<description>&i;&i;&i;</description></item></channel></rss>";
    size_t i;

    (void)state;
    assert_int_equal(kw_feed_parse(bomb, sizeof(bomb) - 1, NULL, &f), KW_OK);
    assert_true(f->title == NULL || strlen(f->title) < 1000);
    for (i = 0; i < f->n_items; i++) {
        assert_true(f->items[i].url == NULL ||
                    strlen(f->items[i].url) < 1000);
        assert_true(f->items[i].summary == NULL ||
                    strlen(f->items[i].summary) < 1000);
    }
    kw_feed_free(f);
}

/* XXE: an external entity is neither loaded nor substituted. */
static void test_external_entity(void **state)
{
    kw_feed *f = NULL;
    static const char xxe[] =
        "<?xml version=\"1.0\"?>"
        "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<rss><channel><item><title>t&x;</title>"
        "<link>http://x.kr/1</link></item></channel></rss>";

    (void)state;
    assert_int_equal(kw_feed_parse(xxe, sizeof(xxe) - 1, NULL, &f), KW_OK);
    assert_int_equal(f->n_items, 1);
    assert_null(strstr(f->items[0].title, "root"));
    kw_feed_free(f);
}

static void test_not_a_feed(void **state)
{
    kw_feed *f = NULL;
    static const char nul[] = "<rss>\0\0\0</rss>";

    (void)state;
    assert_int_equal(kw_feed_parse("", 0, NULL, &f), KW_EPARSE);
    assert_null(f);
    assert_int_equal(kw_feed_parse("<html><body>hi</body></html>", 28, NULL,
                                   &f),
                     KW_EPARSE);
    assert_null(f);
    assert_int_equal(kw_feed_parse("just text", 9, NULL, &f), KW_EPARSE);
    assert_int_equal(kw_feed_parse("\xff\xfe\x00\x01garbage", 11, NULL, &f),
                     KW_EPARSE);
    /* NUL bytes: either parsed leniently or refused, never a crash. */
    if (kw_feed_parse(nul, sizeof(nul) - 1, NULL, &f) == KW_OK)
        kw_feed_free(f);
}

static void test_truncated(void **state)
{
    static const char s[] =
        "<rss version=\"2.0\"><channel><title>T</title>"
        "<item><title>one</title><link>http://x.kr/1</link></item>"
        "<item><title>two</title><link>http://x.kr/2";
    kw_feed *f = parse_str(s);

    (void)state;
    assert_true(f->n_items >= 1);
    assert_string_equal(f->items[0].url, "http://x.kr/1");
    kw_feed_free(f);
}

/* A 1 MB attribute and a 1 MB title do not upset anything. */
static void test_huge_attribute(void **state)
{
    kw_buf b;
    kw_feed *f = NULL;
    size_t i;

    (void)state;
    kw_buf_init(&b, KW_MAX_BODY);
    kw_buf_adds(&b, "<rss><channel><item><title x=\"");
    for (i = 0; i < 1024 * 1024; i++)
        kw_buf_addc(&b, 'a');
    kw_buf_adds(&b, "\">");
    for (i = 0; i < 1024 * 1024; i++)
        kw_buf_addc(&b, 'b');
    kw_buf_adds(&b, "</title><link>http://x.kr/</link></item></channel>"
                    "</rss>");
    assert_int_equal(b.err, KW_OK);
    assert_int_equal(kw_feed_parse(b.p, b.n, NULL, &f), KW_OK);
    assert_int_equal(f->n_items, 1);
    assert_int_equal(strlen(f->items[0].title), 1024 * 1024);
    kw_feed_free(f);
    kw_buf_deinit(&b);
}

static void test_alloc_failure(void **state)
{
    long i;

    (void)state;
    for (i = 1; i < 200; i++) {
        kw_feed *f = NULL;
        kw_err rc;

        kw_alloc_fail_at(i);
        rc = kw_feed_parse(sitemap_index, strlen(sitemap_index), NULL, &f);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            kw_feed_free(f);
            break;
        }
        assert_int_equal(rc, KW_ENOMEM);
        assert_null(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ricanet_uhc),
        cmocka_unit_test(test_naver_cdata),
        cmocka_unit_test(test_critique),
        cmocka_unit_test(test_acnnewswire),
        cmocka_unit_test(test_rss2_sample),
        cmocka_unit_test(test_rdf_sample),
        cmocka_unit_test(test_atom_sample),
        cmocka_unit_test(test_sitemap_index),
        cmocka_unit_test(test_news_sitemap),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gunzip_api),
        cmocka_unit_test(test_gzip_too_big),
        cmocka_unit_test(test_stray_ampersand),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_external_entity),
        cmocka_unit_test(test_not_a_feed),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_huge_attribute),
        cmocka_unit_test(test_alloc_failure),
    };

    kw_parsers_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
