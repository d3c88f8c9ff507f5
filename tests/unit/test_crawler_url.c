/*
 * test_crawler_url.c -- kw_url_canonicalize, kw__url_origin and
 * kw__url_path_query (crawler/url.c): resolution of relative references
 * (RFC 3986 5.4), canonical form, tracking parameters, refused schemes
 * and garbage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "crawler_int.h"

static void check(const char *base, const char *href, const char *want)
{
    char *out = (char *)1;
    kw_err rc = kw_url_canonicalize(base, href, &out);

    if (rc != KW_OK) {
        print_error("canonicalize(%s, %s): %s\n", base ? base : "NULL", href,
                    kw_strerror(rc));
        fail();
    }
    if (strcmp(out, want) != 0) {
        print_error("canonicalize(%s, %s) = %s, want %s\n",
                    base ? base : "NULL", href, out, want);
        fail();
    }
    kw_free(out);
}

static void check_err(const char *base, const char *href, kw_err want)
{
    char *out = (char *)1;
    kw_err rc = kw_url_canonicalize(base, href, &out);

    if (rc != want) {
        print_error("canonicalize(%s, %s) = %s (%s), want %s\n",
                    base ? base : "NULL", href, kw_strerror(rc),
                    rc ? "" : out, kw_strerror(want));
        fail();
    }
    assert_null(out);
}

/* RFC 3986 section 5.4.1 and 5.4.2, base "http://a/b/c/d;p?q". */
static void test_rfc3986_examples(void **state)
{
    static const char *const cases[][2] = {
        {"g", "http://a/b/c/g"},
        {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"},
        {"//g", "http://g/"},
        {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q"},
        {"g#s", "http://a/b/c/g"},
        {"g?y#s", "http://a/b/c/g?y"},
        {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"},
        {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},
        {"..", "http://a/b/"},
        {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},
        {"../../", "http://a/"},
        {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"},
        {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},
        {"g.", "http://a/b/c/g."},
        {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."},
        {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"},
        {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"g;x=1/../y", "http://a/b/c/y"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check("http://a/b/c/d;p?q", cases[i][0], cases[i][1]);
}

static void test_canonical_form(void **state)
{
    (void)state;
    check(NULL, "HTTP://Example.COM:80/a/./b/../c", "http://example.com/a/c");
    check(NULL, "https://Example.com:443", "https://example.com/");
    check(NULL, "https://example.com:8443/x", "https://example.com:8443/x");
    check(NULL, "http://example.com:443/x", "http://example.com:443/x");
    check(NULL, "http://example.com/a#frag", "http://example.com/a");
    check(NULL, "http://example.com/a?", "http://example.com/a");
    check(NULL, "http://example.com/a?#x", "http://example.com/a");
    /* Escapes: upper-case hex, unreserved characters decoded. */
    check(NULL, "http://example.com/%7euser/a%2fb%3c?q=%2d%e2%82%ac",
          "http://example.com/~user/a%2Fb%3C?q=-%E2%82%AC");
    /* Raw UTF-8 and spaces get encoded; stray '%' too. */
    check(NULL, "http://example.com/뉴스 1?q=한국&p=50%",
          "http://example.com/%EB%89%B4%EC%8A%A4%201?q=%ED%95%9C%EA%B5%AD"
          "&p=50%25");
    check(NULL, "http://[::1]:8080/x", "http://[::1]:8080/x");
    check(NULL, "http://127.0.0.1:8080", "http://127.0.0.1:8080/");
}

/* IDN hosts become punycode when LC_CTYPE is UTF-8 (libcurl converts
 * through idn2_lookup_ul); otherwise they are kept as UTF-8. */
static void test_idn(void **state)
{
    (void)state;
    setlocale(LC_CTYPE, "C");
    check(NULL, "http://한국.KR/", "http://한국.kr/");
    if (setlocale(LC_CTYPE, "C.UTF-8"))
        check(NULL, "http://한국.KR/a", "http://xn--3e0b707e.kr/a");
    setlocale(LC_CTYPE, "C");
}

static void test_tracking_params(void **state)
{
    (void)state;
    check(NULL,
          "https://n.example/a?utm_source=x&id=5&fbclid=abc&utm_medium=m"
          "&b=2&gclid=1",
          "https://n.example/a?id=5&b=2");
    check(NULL,
          "https://n.example/a?dclid=1&msclkid=2&igshid=3&mc_cid=4&mc_eid=5"
          "&call_from=6&ref_src=7&_ga=8",
          "https://n.example/a");
    check(NULL, "https://n.example/a?UTM_Campaign=1&z=1&a=2",
          "https://n.example/a?z=1&a=2");
    /* Order of the others kept; empty pieces and tracking-only keys
     * without values dropped; similar names are kept. */
    check(NULL, "https://n.example/a?b=1&&utm_x&a=&utm=1&gclid2=3",
          "https://n.example/a?b=1&a=&utm=1&gclid2=3");
    /* An escaped tracking name is still one. */
    check(NULL, "https://n.example/a?utm%5Fsource=1&k=v",
          "https://n.example/a?k=v");
    /* Entity-decoded hrefs (&amp; already turned into &). */
    check("https://n.example/list?page=1",
          "view.do?id=77&utm_source=rss&menu=3",
          "https://n.example/view.do?id=77&menu=3");
}

static void test_relative_forms(void **state)
{
    (void)state;
    check("https://n.example/news/list.do?page=2", "  /a/b.html \n",
          "https://n.example/a/b.html");
    check("https://n.example/news/list.do?page=2", "\t?page=3",
          "https://n.example/news/list.do?page=3");
    check("https://n.example/news/list.do?page=2", "//cdn.example/x.js",
          "https://cdn.example/x.js");
    check("https://n.example/news/", "view?id=1#top",
          "https://n.example/news/view?id=1");
    check("https://n.example/news/", "a\\b\\c?x=\\",
          "https://n.example/news/a/b/c?x=%5C");
    check("https://n.example/news/", "/a\nb\tc", "https://n.example/abc");
    check("https://n.example/", "HTTP://Other.Example/x",
          "http://other.example/x");
    check("http://n.example/", "https://o.example/?utm_source=a",
          "https://o.example/");
    /* The base's own fragment and tracking go too. */
    check("https://n.example/p?utm_source=z#f", "",
          "https://n.example/p");
}

static void test_denied_schemes(void **state)
{
    (void)state;
    check_err("https://n.example/", "javascript:void(0)", KW_EDENIED);
    check_err("https://n.example/", "  JavaScript:alert(1)", KW_EDENIED);
    check_err("https://n.example/", "mailto:a@b.example", KW_EDENIED);
    check_err("https://n.example/", "data:text/html,hi", KW_EDENIED);
    check_err("https://n.example/", "tel:+8221234567", KW_EDENIED);
    check_err("https://n.example/", "ftp://f.example/x", KW_EDENIED);
    check_err(NULL, "file:///etc/passwd", KW_EDENIED);
    check_err("ftp://f.example/", "x", KW_EDENIED);
}

static void test_garbage(void **state)
{
    (void)state;
    check_err(NULL, "", KW_EINVAL);
    check_err(NULL, "   ", KW_EINVAL);
    check_err(NULL, "not a url", KW_EINVAL);
    check_err(NULL, "/relative/without/base", KW_EINVAL);
    check_err(NULL, "//host/without/scheme", KW_EINVAL);
    check_err(NULL, "http://", KW_EINVAL);
    check_err(NULL, "http:// /", KW_EINVAL);
    check_err(NULL, "http://exa mple.com/", KW_EINVAL);
    check_err(NULL, "http://example.com:99999/", KW_EINVAL);
    check_err(NULL, "http://[::1/", KW_EINVAL);
    check_err("not a base", "/x", KW_EINVAL);
    check_err(NULL, NULL, KW_EINVAL);
}

static void test_too_long(void **state)
{
    char *big = kw_malloc(KW_MAX_URL + 64);
    char *out = (char *)1;

    (void)state;
    assert_non_null(big);
    memcpy(big, "http://e.example/", 17);
    memset(big + 17, 'a', KW_MAX_URL + 10);
    big[KW_MAX_URL + 27] = '\0';
    assert_int_not_equal(kw_url_canonicalize(NULL, big, &out), KW_OK);
    assert_null(out);
    kw_free(big);
}

static void test_origin(void **state)
{
    char *out = (char *)1;

    (void)state;
    assert_int_equal(kw__url_origin("https://n.example/a?b", &out), KW_OK);
    assert_string_equal(out, "https://n.example");
    kw_free(out);
    assert_int_equal(kw__url_origin("http://N.example:80/", &out), KW_OK);
    assert_string_equal(out, "http://n.example");
    kw_free(out);
    assert_int_equal(kw__url_origin("http://127.0.0.1:8080/x", &out),
                     KW_OK);
    assert_string_equal(out, "http://127.0.0.1:8080");
    kw_free(out);
    assert_int_equal(kw__url_origin("mailto:x@y", &out) != KW_OK, 1);
    assert_null(out);
    assert_int_equal(kw__url_origin("garbage", &out) != KW_OK, 1);
    assert_null(out);
}

static void test_path_query(void **state)
{
    char *out = (char *)1;

    (void)state;
    assert_int_equal(kw__url_path_query("https://n.example", &out), KW_OK);
    assert_string_equal(out, "/");
    kw_free(out);
    assert_int_equal(kw__url_path_query("https://n.example/a/b?c=1&d", &out),
                     KW_OK);
    assert_string_equal(out, "/a/b?c=1&d");
    kw_free(out);
    assert_int_equal(kw__url_path_query("https://n.example/%EB%89?x", &out),
                     KW_OK);
    assert_string_equal(out, "/%EB%89?x");
    kw_free(out);
    assert_int_equal(kw__url_path_query("not a url", &out) != KW_OK, 1);
    assert_null(out);
}

/* Every allocation failure ends in KW_ENOMEM (or success) without leaks;
 * ASan reports any leak. */
static void test_alloc_failures(void **state)
{
    long n;

    (void)state;
    for (n = 1; n < 200; n++) {
        char *out = NULL;
        kw_err rc;

        kw_alloc_fail_at(n);
        rc = kw_url_canonicalize("https://n.example/a/",
                                 "../b?utm_source=1&x=%7e", &out);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            assert_string_equal(out, "https://n.example/b?x=~");
            kw_free(out);
            break;
        }
        assert_int_equal(rc, KW_ENOMEM);
        assert_null(out);
    }
    assert_true(n < 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3986_examples),
        cmocka_unit_test(test_canonical_form),
        cmocka_unit_test(test_idn),
        cmocka_unit_test(test_tracking_params),
        cmocka_unit_test(test_relative_forms),
        cmocka_unit_test(test_denied_schemes),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_origin),
        cmocka_unit_test(test_path_query),
        cmocka_unit_test(test_alloc_failures),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
