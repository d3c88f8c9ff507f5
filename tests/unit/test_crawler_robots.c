/*
 * test_crawler_robots.c -- the RFC 9309 robots.txt parser and matcher
 * (crawler/robots.c): the RFC's examples, group selection and merging,
 * wildcards and anchors, percent-encoding, precedence, Crawl-delay,
 * Sitemap, line ends, BOM, truncation and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "crawler_int.h"

static kw_robots *parse(const char *txt, const char *agent)
{
    kw_robots *r = (kw_robots *)1;

    assert_int_equal(kw_robots_parse(txt, strlen(txt), agent, &r), KW_OK);
    assert_non_null(r);
    return r;
}

static void expect(const kw_robots *r, const char *path, int want)
{
    int got = kw_robots_allowed(r, path);

    if (got != want) {
        print_error("allowed(%s) = %d, want %d\n", path, got, want);
        fail();
    }
}

/* RFC 9309 section 5.1 (simple example) and 2.2.1 group semantics. */
static void test_rfc_groups(void **state)
{
    static const char txt[] =
        "User-Agent: *\n"
        "Disallow: *.gif$\n"
        "Disallow: /example/\n"
        "Allow: /publications/\n"
        "\n"
        "User-Agent: foobot\n"
        "Disallow:/\n"
        "Allow:/example/page.html\n"
        "Allow:/example/allowed.gif\n"
        "\n"
        "User-Agent: barbot\n"
        "User-Agent: bazbot\n"
        "Disallow: /example/page.html\n"
        "\n"
        "User-Agent: quxbot\n"
        "\n"
        "EOF\n";
    kw_robots *r;

    (void)state;
    r = parse(txt, "foobot");
    expect(r, "/", 0);
    expect(r, "/example/page.html", 1);
    expect(r, "/example/allowed.gif", 1);
    expect(r, "/example/other.gif", 0);
    expect(r, "/robots.txt", 1);
    kw_robots_free(r);

    r = parse(txt, "BazBot");
    expect(r, "/example/page.html", 0);
    expect(r, "/example/other.html", 1);
    expect(r, "/x.gif", 1);
    kw_robots_free(r);

    r = parse(txt, "barbot");
    expect(r, "/example/page.html", 0);
    kw_robots_free(r);

    /* quxbot has an empty group: everything allowed, '*' not used. */
    r = parse(txt, "quxbot");
    expect(r, "/example/x", 1);
    expect(r, "/a.gif", 1);
    kw_robots_free(r);

    /* Others fall back to '*'. */
    r = parse(txt, "kowatch");
    expect(r, "/example/x", 0);
    expect(r, "/a.gif", 0);
    expect(r, "/a.gif?x", 1);
    expect(r, "/publications/a", 1);
    expect(r, "/", 1);
    kw_robots_free(r);
}

/* RFC 9309 2.2.2 / 5.2: longest match, Allow on ties. */
static void test_precedence(void **state)
{
    kw_robots *r;

    (void)state;
    r = parse("User-agent: *\nAllow: /example/page/\n"
              "Disallow: /example/page/disallowed.gif\n",
              "kowatch");
    expect(r, "/example/page/", 1);
    expect(r, "/example/page/disallowed.gif", 0);
    expect(r, "/example/page/other.gif", 1);
    kw_robots_free(r);

    r = parse("User-agent: *\nAllow: /example/page/\n"
              "Disallow: /example/page/\n",
              "kowatch");
    expect(r, "/example/page/x", 1);
    kw_robots_free(r);

    r = parse("User-agent: *\nDisallow: /folder\nAllow: /folder$\n",
              "kowatch");
    expect(r, "/folder", 1);
    expect(r, "/folder/", 0);
    expect(r, "/folder.html", 0);
    kw_robots_free(r);

    /* Longest in octets, even when the shorter comes first. */
    r = parse("User-agent: *\nAllow: /p\nDisallow: /\n", "kowatch");
    expect(r, "/page", 1);
    expect(r, "/other", 0);
    kw_robots_free(r);
    r = parse("User-agent: *\nDisallow: /page\nAllow: /*\n", "kowatch");
    expect(r, "/page", 0);
    expect(r, "/pag", 1);
    kw_robots_free(r);
}

static void test_wildcards(void **state)
{
    kw_robots *r;

    (void)state;
    r = parse("User-agent: *\n"
              "Disallow: /*.php$\n"
              "Disallow: /fish*\n"
              "Disallow: /*?sessionid=\n"
              "Disallow: /a*b*c$\n"
              "Disallow: /x$y\n"
              "Disallow: /**/deep\n",
              "kowatch");
    expect(r, "/index.php", 0);
    expect(r, "/dir/index.php", 0);
    expect(r, "/index.php?x=1", 1);
    expect(r, "/index.php5", 1);
    expect(r, "/fish", 0);
    expect(r, "/fish.html", 0);
    expect(r, "/fishheads/yummy.html", 0);
    expect(r, "/Fish.asp", 1);
    expect(r, "/catfish", 1);
    expect(r, "/page?sessionid=5", 0);
    expect(r, "/page?a=1&sessionid=5", 1);
    expect(r, "/aXbXc", 0);
    expect(r, "/abcbc", 0);
    expect(r, "/abcx", 1);
    expect(r, "/x$y", 0); /* '$' inside a pattern is literal */
    expect(r, "/x", 1);
    expect(r, "/q/r/deep/s", 0);
    kw_robots_free(r);

    r = parse("User-agent: *\nDisallow: /$\n", "kowatch");
    expect(r, "/", 0);
    expect(r, "/a", 1);
    kw_robots_free(r);

    r = parse("User-agent: *\nDisallow: *\n", "kowatch");
    expect(r, "/anything", 0);
    expect(r, "/robots.txt", 1);
    kw_robots_free(r);
}

/* RFC 9309 2.2.2: percent-encoding. */
static void test_percent_encoding(void **state)
{
    kw_robots *r;

    (void)state;
    r = parse("User-agent: *\n"
              "Disallow: /a%3cd\n"
              "Disallow: /foo/bar?baz=https://foo.bar\n"
              "Disallow: /%7Ejoe/\n"
              "Disallow: /path/file-with-a-%2A.html\n"
              "Disallow: /뉴스/\n"
              "Disallow: /%EC%A0%95%EC%B1%85\n",
              "kowatch");
    expect(r, "/a%3Cd", 0);
    expect(r, "/a%3cd", 0);
    expect(r, "/a<d", 0);
    expect(r, "/foo/bar?baz=https://foo.bar", 0);
    expect(r, "/foo/bar?baz=https%3A%2F%2Ffoo.bar", 1);
    expect(r, "/~joe/index.html", 0);
    expect(r, "/%7ejoe/index.html", 0);
    expect(r, "/path/file-with-a-%2A.html", 0);
    expect(r, "/path/file-with-a-%2a.html", 0);
    expect(r, "/%EB%89%B4%EC%8A%A4/1", 0);
    expect(r, "/뉴스/1", 0);
    expect(r, "/정책/x", 0);
    expect(r, "/%ec%a0%95%ec%b1%85", 0);
    expect(r, "/정", 1);
    kw_robots_free(r);
}

static void test_agent_matching(void **state)
{
    static const char txt[] = "User-agent: Googlebot\nDisallow: /g\n"
                              "\n"
                              "user-agent: KoWatch/1.2 (extra)\n"
                              "disallow: /k1\n"
                              "\n"
                              "User-agent: *\nDisallow: /s\n"
                              "\n"
                              "USER-AGENT: kowatch\n"
                              "DISALLOW: /k2\n"
                              "crawl-delay: 2.5\n"
                              "\n"
                              "User-agent: kowatcher\nDisallow: /k3\n";
    kw_robots *r;

    (void)state;
    /* Both "kowatch" groups merge; '*' and "kowatcher" do not apply. */
    r = parse(txt, "kowatch");
    expect(r, "/k1", 0);
    expect(r, "/k2", 0);
    expect(r, "/k3", 1);
    expect(r, "/s", 1);
    expect(r, "/g", 1);
    assert_int_equal(kw_robots_crawl_delay_ms(r), 2500);
    kw_robots_free(r);

    /* Our full User-Agent string: only its product token counts. */
    r = parse(txt, "kowatch/0.1 (+https://example.org)");
    expect(r, "/k2", 0);
    kw_robots_free(r);

    r = parse(txt, "otherbot");
    expect(r, "/s", 0);
    expect(r, "/k1", 1);
    assert_int_equal(kw_robots_crawl_delay_ms(r), -1);
    kw_robots_free(r);

    /* A group may name us and '*' together. */
    r = parse("User-agent: kowatch\nUser-agent: *\nDisallow: /both\n",
              "kowatch");
    expect(r, "/both", 0);
    kw_robots_free(r);
}

static void test_groups_and_lines(void **state)
{
    kw_robots *r;

    (void)state;
    /* Rules before any user-agent line belong to no group. */
    r = parse("Disallow: /\nUser-agent: *\nDisallow: /x\n", "kowatch");
    expect(r, "/", 1);
    expect(r, "/x", 0);
    kw_robots_free(r);

    /* A user-agent after rules starts a new group. */
    r = parse("User-agent: kowatch\nDisallow: /a\n"
              "User-agent: other\nDisallow: /b\n",
              "kowatch");
    expect(r, "/a", 0);
    expect(r, "/b", 1);
    kw_robots_free(r);

    /* Blank lines, comments, unknown keys and lines without a colon do
     * not end a group. */
    r = parse("# hello\n"
              "User-agent: kowatch # us\n"
              "\n"
              "foo: bar\n"
              "no colon here\n"
              "Sitemap: https://n.example/s.xml\n"
              "Disallow: /c # comment\n"
              "  Allow  :   /c/open   \n",
              "kowatch");
    expect(r, "/c", 0);
    expect(r, "/c/open", 1);
    expect(r, "/c/open/x", 1);
    kw_robots_free(r);

    /* Empty Disallow allows everything. */
    r = parse("User-agent: *\nDisallow:\n", "kowatch");
    expect(r, "/", 1);
    expect(r, "/x", 1);
    kw_robots_free(r);

    /* CR, CRLF and a BOM. */
    r = parse("\xEF\xBB\xBFUser-agent: *\rDisallow: /cr\r\n"
              "Disallow: /crlf\r\nDisallow: /lf\n",
              "kowatch");
    expect(r, "/cr", 0);
    expect(r, "/crlf", 0);
    expect(r, "/lf", 0);
    expect(r, "/", 1);
    kw_robots_free(r);
}

static void test_empty_and_garbage(void **state)
{
    static const char bin[] = "\x00\x01\xff\xfe:::\n\x80:\x81\n";
    kw_robots *r = (kw_robots *)1;

    (void)state;
    assert_int_equal(kw_robots_parse(NULL, 0, "kowatch", &r), KW_OK);
    expect(r, "/", 1);
    assert_int_equal(kw_robots_crawl_delay_ms(r), -1);
    assert_int_equal(kw_robots_sitemap_count(r), 0);
    assert_null(kw_robots_sitemap(r, 0));
    kw_robots_free(r);

    assert_int_equal(kw_robots_parse(bin, sizeof(bin) - 1, "kowatch", &r),
                     KW_OK);
    expect(r, "/", 1);
    kw_robots_free(r);

    r = parse("<html><body>Not found</body></html>", "kowatch");
    expect(r, "/", 1);
    kw_robots_free(r);

    kw_robots_free(NULL);
    expect(NULL, "/x", 1);
}

static void test_crawl_delay_and_sitemaps(void **state)
{
    kw_robots *r;

    (void)state;
    r = parse("Sitemap: https://n.example/a.xml\n"
              "User-agent: *\n"
              "Crawl-delay: 10\n"
              "Crawl-delay: 3\n"
              "sitemap:https://n.example/b.xml\n"
              "User-agent: kowatch\n"
              "Crawl-delay: nonsense\n",
              "otherbot");
    assert_int_equal(kw_robots_crawl_delay_ms(r), 10000);
    assert_int_equal(kw_robots_sitemap_count(r), 2);
    assert_string_equal(kw_robots_sitemap(r, 0), "https://n.example/a.xml");
    assert_string_equal(kw_robots_sitemap(r, 1), "https://n.example/b.xml");
    assert_null(kw_robots_sitemap(r, 2));
    kw_robots_free(r);

    r = parse("User-agent: *\nCrawl-delay: .25\n", "k");
    assert_int_equal(kw_robots_crawl_delay_ms(r), 250);
    kw_robots_free(r);
    r = parse("User-agent: *\nCrawl-delay: 99999999999999999999\n", "k");
    assert_int_equal(kw_robots_crawl_delay_ms(r), (int64_t)86400 * 1000);
    kw_robots_free(r);
    r = parse("User-agent: *\nCrawl-delay: -1\n", "k");
    assert_int_equal(kw_robots_crawl_delay_ms(r), -1);
    kw_robots_free(r);
}

/* Bytes past KW_MAX_ROBOTS are ignored. */
static void test_truncation(void **state)
{
    static const char head[] = "User-agent: *\nDisallow: /early\n";
    static const char tail[] = "\nDisallow: /late\n";
    size_t n = KW_MAX_ROBOTS + 100;
    char *p = kw_malloc(n);
    kw_robots *r = NULL;

    (void)state;
    assert_non_null(p);
    memset(p, '\n', n);
    memcpy(p, head, sizeof(head) - 1);
    memcpy(p + KW_MAX_ROBOTS + 10, tail, sizeof(tail) - 1);
    assert_int_equal(kw_robots_parse(p, n, "kowatch", &r), KW_OK);
    expect(r, "/early", 0);
    expect(r, "/late", 1);
    kw_robots_free(r);
    memcpy(p + KW_MAX_ROBOTS - 20, tail, sizeof(tail) - 1);
    assert_int_equal(kw_robots_parse(p, n, "kowatch", &r), KW_OK);
    expect(r, "/late", 0);
    kw_robots_free(r);
    kw_free(p);
}

/* Long paths go through the heap buffer. */
static void test_long_path(void **state)
{
    char path[5000];
    kw_robots *r;

    (void)state;
    memset(path, 'a', sizeof(path) - 1);
    path[0] = '/';
    path[sizeof(path) - 1] = '\0';
    path[4000] = 'z';
    r = parse("User-agent: *\nDisallow: /*z$\nDisallow: /a*z\n", "kowatch");
    expect(r, path, 0);
    path[4000] = 'a';
    expect(r, path, 1);
    kw_robots_free(r);
}

static void test_alloc_failures(void **state)
{
    static const char txt[] = "Sitemap: https://n.example/s.xml\n"
                              "User-agent: *\nDisallow: /a\nAllow: /a/b\n";
    long n;

    (void)state;
    for (n = 1; n < 100; n++) {
        kw_robots *r = (kw_robots *)1;
        kw_err rc;

        kw_alloc_fail_at(n);
        rc = kw_robots_parse(txt, sizeof(txt) - 1, "kowatch", &r);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            expect(r, "/a", 0);
            expect(r, "/a/b", 1);
            kw_robots_free(r);
            break;
        }
        assert_int_equal(rc, KW_ENOMEM);
        assert_null(r);
    }
    assert_true(n > 1 && n < 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_groups),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_wildcards),
        cmocka_unit_test(test_percent_encoding),
        cmocka_unit_test(test_agent_matching),
        cmocka_unit_test(test_groups_and_lines),
        cmocka_unit_test(test_empty_and_garbage),
        cmocka_unit_test(test_crawl_delay_and_sitemaps),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_long_path),
        cmocka_unit_test(test_alloc_failures),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
