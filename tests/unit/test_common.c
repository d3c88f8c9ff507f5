/* Unit tests of common/: buffers, arenas, allocation failure, parsing
 * helpers, UTF-8 validation and time formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kw/common.h"

static void test_buf_grows_and_terminates(void **state)
{
    kw_buf b;
    int i;

    (void)state;
    kw_buf_init(&b, 1 << 20);
    for (i = 0; i < 1000; i++)
        kw_buf_addf(&b, "%d,", i);
    assert_int_equal(b.err, KW_OK);
    assert_int_equal(strlen(b.p), b.n);
    assert_true(strncmp(b.p, "0,1,2,", 6) == 0);
    assert_true(strstr(b.p, "999,") == b.p + b.n - 4);
    kw_buf_deinit(&b);
}

static void test_buf_limit_is_sticky(void **state)
{
    kw_buf b;
    char *s;

    (void)state;
    kw_buf_init(&b, 8);
    kw_buf_adds(&b, "12345");
    kw_buf_adds(&b, "6789"); /* 9 > 8 */
    assert_int_equal(b.err, KW_ETOOBIG);
    kw_buf_adds(&b, "x"); /* ignored after the failure */
    assert_int_equal(b.n, 5);
    s = kw_buf_steal(&b);
    assert_null(s);
    kw_buf_init(&b, 8);
    s = kw_buf_steal(&b);
    assert_string_equal(s, "");
    kw_free(s);
}

static void test_buf_enomem_is_sticky(void **state)
{
    kw_buf b;

    (void)state;
    kw_buf_init(&b, 1 << 20);
    kw_alloc_fail_at(1);
    kw_buf_adds(&b, "abc");
    kw_alloc_fail_at(0);
    assert_int_equal(b.err, KW_ENOMEM);
    kw_buf_adds(&b, "def");
    assert_int_equal(b.n, 0);
    kw_buf_deinit(&b);
}

static void test_alloc_fail_at_counts_from_now(void **state)
{
    void *a, *b, *c;

    (void)state;
    kw_alloc_fail_at(2);
    a = kw_malloc(10);
    b = kw_malloc(10);
    c = kw_malloc(10);
    kw_alloc_fail_at(0);
    assert_non_null(a);
    assert_null(b);
    assert_non_null(c);
    kw_free(a);
    kw_free(c);
    assert_null(kw_strdup(NULL));
}

static void test_arena(void **state)
{
    kw_arena *a = kw_arena_new();
    char *s, *big;
    int i;

    (void)state;
    assert_non_null(a);
    for (i = 0; i < 10000; i++) {
        s = kw_arena_printf(a, "item %d", i);
        assert_non_null(s);
        assert_true(((uintptr_t)s & 15) == 0);
    }
    assert_string_equal(s, "item 9999");
    big = kw_arena_alloc(a, 3 << 20); /* larger than any chunk */
    assert_non_null(big);
    assert_int_equal(big[(3 << 20) - 1], 0);
    assert_string_equal(kw_arena_strndup(a, "abcdef", 3), "abc");
    kw_arena_free(a);
    kw_arena_free(NULL);
}

static void test_arena_enomem(void **state)
{
    long n;

    (void)state;
    for (n = 1; n <= 4; n++) {
        kw_arena *a;
        void *p = NULL;

        kw_alloc_fail_at(n);
        a = kw_arena_new();
        if (a)
            p = kw_arena_alloc(a, 100);
        kw_alloc_fail_at(0);
        if (n <= 2)
            assert_true(!a || !p);
        kw_arena_free(a);
    }
}

static void test_parse_u64(void **state)
{
    uint64_t v;

    (void)state;
    assert_int_equal(kw_parse_u64("12345", 5, &v), KW_OK);
    assert_int_equal(v, 12345);
    assert_int_equal(kw_parse_u64("18446744073709551615", 20, &v), KW_OK);
    assert_int_equal(kw_parse_u64("18446744073709551616", 20, &v),
                     KW_ETOOBIG);
    assert_int_equal(kw_parse_u64("", 0, &v), KW_EINVAL);
    assert_int_equal(kw_parse_u64("12a", 3, &v), KW_EINVAL);
    assert_int_equal(kw_parse_u64("-1", 2, &v), KW_EINVAL);
    assert_int_equal(kw_parse_u64("123", 2, &v), KW_OK); /* n bounds it */
    assert_int_equal(v, 12);
}

static void test_parse_duration(void **state)
{
    int64_t s;

    (void)state;
    assert_int_equal(kw_parse_duration("90", &s), KW_OK);
    assert_int_equal(s, 90);
    assert_int_equal(kw_parse_duration("10m", &s), KW_OK);
    assert_int_equal(s, 600);
    assert_int_equal(kw_parse_duration("2h", &s), KW_OK);
    assert_int_equal(s, 7200);
    assert_int_equal(kw_parse_duration("1d", &s), KW_OK);
    assert_int_equal(s, 86400);
    assert_int_equal(kw_parse_duration("0m", &s), KW_EINVAL);
    assert_int_equal(kw_parse_duration("10x", &s), KW_EINVAL);
    assert_int_equal(kw_parse_duration("m", &s), KW_EINVAL);
    assert_int_equal(kw_parse_duration("10mm", &s), KW_EINVAL);
    assert_int_equal(kw_parse_duration("99999999999999999999d", &s),
                     KW_ETOOBIG);
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(kw_utf8_valid("abc", 3));
    assert_true(kw_utf8_valid("네이버", strlen("네이버")));
    assert_false(kw_utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(kw_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(kw_utf8_valid("\xB3\xD7", 2));         /* EUC-KR bytes */
    assert_false(kw_utf8_valid("\xEB\x84", 2));         /* truncated */
    assert_false(kw_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static void test_time_iso(void **state)
{
    char out[32];

    (void)state;
    kw_time_iso(1754296740, KW_KST_OFFSET_MIN, out); /* 2025-08-04 08:39Z */
    assert_string_equal(out, "2025-08-04T17:39:00+09:00");
    kw_time_iso(0, 0, out);
    assert_string_equal(out, "1970-01-01T00:00:00+00:00");
    kw_time_iso(3600, -330, out);
    assert_string_equal(out, "1969-12-31T19:30:00-05:30");
}

static void test_strerror_covers_all(void **state)
{
    int e;

    (void)state;
    for (e = KW_OK; e <= KW_EVERSION; e++)
        assert_string_not_equal(kw_strerror((kw_err)e), "unknown error");
}

static int log_calls;
static void count_sink(kw_log_level l, const char *m, const char *msg,
                       void *ud)
{
    (void)l;
    (void)m;
    (void)ud;
    assert_string_equal(msg, "x=42");
    log_calls++;
}

static void test_log_filters_levels(void **state)
{
    (void)state;
    kw_log_set_sink(count_sink, NULL, KW_LOG_WARN);
    kw_log(KW_LOG_ERROR, "t", "x=%d", 42);
    kw_log(KW_LOG_INFO, "t", "x=%d", 42); /* filtered */
    kw_log_set_sink(NULL, NULL, KW_LOG_TRACE);
    kw_log(KW_LOG_ERROR, "t", "x=%d", 42); /* no sink */
    assert_int_equal(log_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_terminates),
        cmocka_unit_test(test_buf_limit_is_sticky),
        cmocka_unit_test(test_buf_enomem_is_sticky),
        cmocka_unit_test(test_alloc_fail_at_counts_from_now),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_arena_enomem),
        cmocka_unit_test(test_parse_u64),
        cmocka_unit_test(test_parse_duration),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_time_iso),
        cmocka_unit_test(test_strerror_covers_all),
        cmocka_unit_test(test_log_filters_levels),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
