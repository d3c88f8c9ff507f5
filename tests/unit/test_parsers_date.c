/*
 * Unit tests of parsers/date.c: ISO 8601, RFC 822 and Korean date forms
 * with the expected epoch seconds (computed independently with Python's
 * datetime), offsets, labels, and rejection of out-of-range values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kw/parsers.h"

typedef struct date_case {
    const char *text;
    int64_t t;
    int offset_min;
    int has_time;
} date_case;

static const date_case good[] = {
    {"2025-05-15T20:00:52.000+0900", 1747306852, 540, 1},
    {"2025-05-15T20:00:52+09:00", 1747306852, 540, 1},
    {"2025-05-15T11:00:52Z", 1747306852, 0, 1},
    {"2023-04-05T01:57:54.555Z", 1680659874, 0, 1},
    {"Sat, 31 Dec 2005 13:47:03+0900", 1136004423, 540, 1},
    {"Sat, 31 Dec 2005 13:47:03 +0900", 1136004423, 540, 1},
    {"Tue, 20 Aug 2019 09:31:01 +0900", 1566261061, 540, 1},
    {"Mon, 15 Jan 2026 09:00:00 GMT", 1768467600, 0, 1},
    {"15 Jan 2026 09:00:00 UTC", 1768467600, 0, 1},
    {"Thu, 15 Jan 2026 04:00:00 EST", 1768467600, -300, 1},
    {"2026.01.29 18:40", 1769679600, 540, 1},
    {"2025.08.04 17:39", 1754296740, 540, 1},
    {"입력 2025.08.04 17:39", 1754296740, 540, 1},
    {"입력 : 2025.08.04 17:39 수정 2025.08.05 10:00", 1754296740, 540, 1},
    {"기사입력 2026-02-10 오후 4:20", 1770708000, 540, 1},
    {"2026-02-10 4:20 PM", 1770708000, 540, 1},
    {"등록일 : 2025-12-05 17:09:21", 1764922161, 540, 1},
    {"작성일 2025-12-05 17:09:21", 1764922161, 540, 1},
    {"2025년 8월 4일 오전 9시", 1754265600, 540, 1},
    {"2025년 8월 4일 17시 39분", 1754296740, 540, 1},
    {"2025년 8월 4일", 1754233200, 540, 0},
    {"2026. 1. 15. 18:47", 1768470420, 540, 1},
    {"2026-01-15", 1768402800, 540, 0},
    {"2026/01/15", 1768402800, 540, 0},
    {"2026.01.15", 1768402800, 540, 0},
    {"  2026-01-15  ", 1768402800, 540, 0},
    {"2026-01-15(목) 00:00", 1768402800, 540, 1},
    {"2026-01-15 00:00:00", 1768402800, 540, 1},
    {"2026-01-15T09:00:00+09", 1768435200, 540, 1},
    {"2024-02-29", 1709132400, 540, 0},
};

static const char *const bad[] = {
    "",
    "   ",
    "not a date",
    "2025-13-01",
    "2025-00-10",
    "2025-02-30",
    "2023-02-29",
    "2025-12-05 24:00",
    "2025-12-05 23:60",
    "2025-12-05 오후 13:00",
    "2025-12-05T10:00:00+25:00",
    "12-01 23:26",
    "2025-12-05x3",
    "2025-12-05 10:0",
    "Sat, 31 Foo 2005 13:47:03",
    "Sat, 32 Dec 2005 13:47:03",
    "99999-01-01",
    "2025--01",
};

static void test_good(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        kw_date d;
        kw_err rc = kw_date_parse(good[i].text, strlen(good[i].text), &d);

        if (rc != KW_OK || d.t != good[i].t ||
            d.offset_min != good[i].offset_min ||
            d.has_time != good[i].has_time)
            fail_msg("'%s': rc=%d t=%lld off=%d time=%d", good[i].text,
                     (int)rc, (long long)d.t, d.offset_min, d.has_time);
    }
}

static void test_bad(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        kw_date d;
        kw_err rc = kw_date_parse(bad[i], strlen(bad[i]), &d);

        if (rc != KW_EPARSE)
            fail_msg("'%s' accepted: t=%lld", bad[i], (long long)d.t);
    }
}

/* The input need not be NUL-terminated, and NUL bytes stop nothing. */
static void test_not_terminated(void **state)
{
    kw_date d;
    char buf[10];
    static const char nul[] = "2026-01\0-15";

    (void)state;
    memcpy(buf, "2026-01-15", 10);
    assert_int_equal(kw_date_parse(buf, 10, &d), KW_OK);
    assert_int_equal(d.t, 1768402800);
    assert_int_equal(kw_date_parse(buf, 7, &d), KW_EPARSE);
    assert_int_equal(kw_date_parse(nul, sizeof(nul) - 1, &d), KW_EPARSE);
    assert_int_equal(kw_date_parse(NULL, 0, &d), KW_EPARSE);
}

static void test_iso_roundtrip(void **state)
{
    kw_date d;
    char iso[32];

    (void)state;
    assert_int_equal(kw_date_parse("2025-05-15T20:00:52.000+0900", 28, &d),
                     KW_OK);
    kw_time_iso(d.t, d.offset_min, iso);
    assert_string_equal(iso, "2025-05-15T20:00:52+09:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_not_terminated),
        cmocka_unit_test(test_iso_roundtrip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
