/*
 * Unit tests of parsers/charset.c: BOM, HTTP/XML/meta declarations,
 * the EUC-KR => windows-949 rule, lying UTF-8 declarations, detection,
 * replacement counting and malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kw/parsers.h"
#include "parsers_int.h"

#define FEEDS KW_SHARED_DIR "/korean-pages/feeds/"
#define ARTICLES KW_SHARED_DIR "/korean-pages/news-article/"

/* "한국어" in CP949 / EUC-KR. */
static const char hangul_949[] = "\xc7\xd1\xb1\xb9\xbe\xee";

static void read_fixture(const char *path, char **p, size_t *n)
{
    kw_err rc = kw_read_file(path, KW_MAX_BODY, p, n);

    assert_int_equal(rc, KW_OK);
}

static void test_utf8_default(void **state)
{
    kw_decoded d;

    (void)state;
    assert_int_equal(kw_charset_decode("hello", 5, NULL, &d), KW_OK);
    assert_string_equal(d.p, "hello");
    assert_string_equal(d.charset, "UTF-8");
    assert_string_equal(d.source, "default");
    kw_decoded_deinit(&d);

    assert_int_equal(kw_charset_decode("한국어", strlen("한국어"), NULL, &d),
                     KW_OK);
    assert_string_equal(d.p, "한국어");
    assert_string_equal(d.source, "detected");
    assert_int_equal(d.n_replaced, 0);
    kw_decoded_deinit(&d);
}

static void test_bom(void **state)
{
    kw_decoded d;
    static const char u16[] = "\xff\xfe\x5c\xd5\x6d\xad"; /* 한국 LE */

    (void)state;
    assert_int_equal(kw_charset_decode("\xef\xbb\xbf" "abc", 6, "euc-kr", &d),
                     KW_OK);
    assert_string_equal(d.p, "abc");
    assert_int_equal(d.n, 3);
    assert_string_equal(d.source, "bom");
    kw_decoded_deinit(&d);

    assert_int_equal(kw_charset_decode(u16, 6, NULL, &d), KW_OK);
    assert_string_equal(d.p, "한국");
    assert_string_equal(d.charset, "UTF-16LE");
    kw_decoded_deinit(&d);
}

static void test_declared_http(void **state)
{
    kw_decoded d;
    const char *aliases[] = {"euc-kr", "EUC-KR", "ks_c_5601-1987", "ksc5601",
                             "cp949", "x-windows-949", "uhc", " \"euc-kr\""};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        assert_int_equal(kw_charset_decode(hangul_949, 6, aliases[i], &d),
                         KW_OK);
        assert_string_equal(d.p, "한국어");
        assert_string_equal(d.charset, "windows-949");
        assert_string_equal(d.source, "http");
        kw_decoded_deinit(&d);
    }
}

static void test_meta_and_xml_sniff(void **state)
{
    kw_decoded d;
    char buf[256];
    int k;

    (void)state;
    k = snprintf(buf, sizeof(buf),
                 "<html><head><meta http-equiv=\"Content-Type\" "
                 "content=\"text/html; charset=euc-kr\"></head>%s",
                 hangul_949);
    assert_int_equal(kw_charset_decode(buf, (size_t)k, NULL, &d), KW_OK);
    assert_string_equal(d.source, "meta");
    assert_string_equal(d.charset, "windows-949");
    assert_non_null(strstr(d.p, "한국어"));
    kw_decoded_deinit(&d);

    k = snprintf(buf, sizeof(buf), "<META CHARSET='ks_c_5601-1987'>%s",
                 hangul_949);
    assert_int_equal(kw_charset_decode(buf, (size_t)k, NULL, &d), KW_OK);
    assert_string_equal(d.source, "meta");
    kw_decoded_deinit(&d);

    k = snprintf(buf, sizeof(buf),
                 "<?xml version=\"1.0\" encoding=\"EUC-KR\"?><a>%s</a>",
                 hangul_949);
    assert_int_equal(kw_charset_decode(buf, (size_t)k, NULL, &d), KW_OK);
    assert_string_equal(d.source, "xml");
    assert_non_null(strstr(d.p, "<a>한국어</a>"));
    kw_decoded_deinit(&d);
}

/* Declared UTF-8 but the bytes are CP949: no mojibake. */
static void test_lying_utf8(void **state)
{
    kw_decoded d;
    char buf[128];
    int k;

    (void)state;
    k = snprintf(buf, sizeof(buf), "<meta charset=utf-8><p>%s %s</p>",
                 hangul_949, hangul_949);
    assert_int_equal(kw_charset_decode(buf, (size_t)k, "utf-8", &d), KW_OK);
    assert_string_equal(d.charset, "windows-949");
    assert_string_equal(d.source, "detected");
    assert_non_null(strstr(d.p, "한국어 한국어"));
    assert_int_equal(d.n_replaced, 0);
    kw_decoded_deinit(&d);
}

/* A page with CP949 bytes and no declaration at all. */
static void test_undeclared_cp949_fixture(void **state)
{
    kw_decoded d;
    char *p;
    size_t n;

    (void)state;
    read_fixture(ARTICLES "cp949_no-charset_news-excerpt.html", &p, &n);
    assert_int_equal(kw_charset_decode(p, n, NULL, &d), KW_OK);
    assert_string_equal(d.charset, "windows-949");
    assert_int_equal(d.n_replaced, 0);
    assert_true(kw_utf8_valid(d.p, d.n));
    kw_decoded_deinit(&d);
    kw_free(p);
}

/* euc-kr declaration over UHC-only bytes (strict EUC-KR fails at 0x86). */
static void test_uhc_under_euckr(void **state)
{
    kw_decoded d;
    char *p;
    size_t n;

    (void)state;
    read_fixture(FEEDS "cp949_ricanet.com_rss092.xml", &p, &n);
    assert_int_equal(kw_charset_decode(p, n, NULL, &d), KW_OK);
    assert_string_equal(d.charset, "windows-949");
    assert_string_equal(d.source, "xml");
    assert_int_equal(d.n_replaced, 0);
    assert_non_null(strstr(d.p, "<title>구라치다 걸리면</title>"));
    assert_non_null(strstr(d.p, "책읽記 - 타워"));
    kw_decoded_deinit(&d);
    kw_free(p);
}

static void test_replacements_counted(void **state)
{
    kw_decoded d;

    (void)state;
    /* A CP949 lead byte followed by an invalid trail byte, then ASCII. */
    assert_int_equal(kw_charset_decode("a\xc7\x01z" "b", 5, "euc-kr", &d),
                     KW_OK);
    assert_true(d.n_replaced >= 1);
    assert_non_null(strstr(d.p, "\xef\xbf\xbd"));
    assert_true(kw_utf8_valid(d.p, d.n));
    kw_decoded_deinit(&d);

    /* Forced UTF-8 (BOM) over broken bytes. */
    assert_int_equal(kw_charset_decode("\xef\xbb\xbf" "a\xff" "b", 6, NULL,
                                       &d),
                     KW_OK);
    assert_string_equal(d.p, "a\xef\xbf\xbd" "b");
    assert_int_equal(d.n_replaced, 1);
    kw_decoded_deinit(&d);
}

static void test_malformed(void **state)
{
    kw_decoded d;
    static const char nul[] = "ab\0cd";
    static const char junk[] = "\xff\xfe\xfd\x80\x81\x00\x01";

    (void)state;
    assert_int_equal(kw_charset_decode("", 0, NULL, &d), KW_OK);
    assert_non_null(d.p);
    assert_int_equal(d.n, 0);
    kw_decoded_deinit(&d);

    assert_int_equal(kw_charset_decode(nul, 5, NULL, &d), KW_OK);
    assert_int_equal(d.n, 5);
    kw_decoded_deinit(&d);

    assert_int_equal(kw_charset_decode(junk + 2, 5, "no-such-charset", &d),
                     KW_OK);
    assert_true(kw_utf8_valid(d.p, d.n));
    kw_decoded_deinit(&d);

    /* Unknown declared charset is ignored. */
    assert_int_equal(kw_charset_decode("abc", 3, "x-bogus", &d), KW_OK);
    assert_string_equal(d.charset, "UTF-8");
    kw_decoded_deinit(&d);
    kw_decoded_deinit(NULL);
}

/* Latin-1 declared over valid UTF-8 Hangul: the bytes win. */
static void test_latin1_over_utf8(void **state)
{
    kw_decoded d;

    (void)state;
    assert_int_equal(kw_charset_decode("한국어", strlen("한국어"),
                                       "iso-8859-1", &d),
                     KW_OK);
    assert_string_equal(d.p, "한국어");
    kw_decoded_deinit(&d);

    assert_int_equal(kw_charset_decode("caf\xe9", 4, "iso-8859-1", &d),
                     KW_OK);
    assert_string_equal(d.p, "caf\xc3\xa9");
    assert_string_equal(d.charset, "windows-1252");
    kw_decoded_deinit(&d);
}

static void test_alloc_failure(void **state)
{
    long i;

    (void)state;
    for (i = 1; i < 20; i++) {
        kw_decoded d;
        kw_err rc;

        kw_alloc_fail_at(i);
        rc = kw_charset_decode(hangul_949, 6, "euc-kr", &d);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            kw_decoded_deinit(&d);
            break;
        }
        assert_int_equal(rc, KW_ENOMEM);
        assert_null(d.p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_default),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_declared_http),
        cmocka_unit_test(test_meta_and_xml_sniff),
        cmocka_unit_test(test_lying_utf8),
        cmocka_unit_test(test_undeclared_cp949_fixture),
        cmocka_unit_test(test_uhc_under_euckr),
        cmocka_unit_test(test_replacements_counted),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_latin1_over_utf8),
        cmocka_unit_test(test_alloc_failure),
    };

    kw_parsers_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
