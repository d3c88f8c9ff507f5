/*
 * test_queries_digest.c -- unit tests of the daily digest (issue 7;
 * queries/digest.c over store/digest.c): a day with a status change shows
 * it first, copies of a story are one line with all their outlets, counts
 * per source and entity, the 30-day chart (SVG in HTML, a table in
 * Markdown), and markup from pages is escaped in every format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "kw/digest.h"
#include "kw/queries.h"
#include "kw/store_digest.h"

#define DAY ((int64_t)86400)
#define D0116 ((int64_t)1768489200) /* 2026-01-16 00:00 KST */
#define D0210 (D0116 + 25 * DAY)    /* 2026-02-10 00:00 KST */

static const char evil[] = "<script>alert(1)</script> 카카오 [x](y) *z*";

static int64_t add_source(kw_store *st, const char *name)
{
    kw_source s;
    int64_t id = 0;

    memset(&s, 0, sizeof(s));
    s.name = name;
    s.url = "https://example.test/";
    s.kind = KW_SRC_RSS;
    s.list_depth = 1;
    assert_int_equal(kw_store_source_add(st, &s, &id), KW_OK);
    return id;
}

/* Stores an article with one mention per entity of @ents and events
 * @e[0..n), fingerprint @fp. */
static int64_t story(kw_store *st, int64_t src, const char *url,
                     const char *title, int64_t pub, const char *const *ents,
                     size_t n_ents, const kw_event_rec *e, size_t n,
                     uint64_t fp)
{
    kw_article_rec a;
    kw_mention_rec m[4];
    int64_t url_id = 0, id = 0;
    size_t i;

    assert_int_equal(kw_store_url_add(st, src, url, KW_ROLE_ARTICLE, 0,
                                      &url_id, NULL),
                     KW_OK);
    memset(&a, 0, sizeof(a));
    a.url_id = url_id;
    a.source_id = src;
    a.url = url;
    a.kind = "article";
    a.title = title;
    a.text = "독자 AI 파운데이션 모델 추가 공모 기사 본문.";
    a.published_at = pub;
    a.published_offset = 540;
    a.fetched_at = pub + 60;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &id, NULL),
                     KW_OK);
    memset(m, 0, sizeof(m));
    for (i = 0; i < n_ents && i < 4; i++) {
        m[i].entity_id = ents[i];
        m[i].entity_name = ents[i];
        m[i].count = (int64_t)(n_ents - i);
    }
    assert_int_equal(kw_store_analysis_put(st, id, m, n_ents, e, n, fp, 3,
                                           NULL),
                     KW_OK);
    return id;
}

static kw_event_rec ev(const char *entity, const char *stance, int64_t at)
{
    kw_event_rec e;

    memset(&e, 0, sizeof(e));
    e.entity_id = entity;
    e.entity_name = entity;
    e.stance = stance;
    e.sentence = "엔씨AI는 10일 추가 공모 신청서를 <b>제출</b>했다.";
    e.event_at = at;
    e.event_offset = 540;
    e.published_at = at;
    e.published_offset = 540;
    return e;
}

/* nc-ai considering since 16 January, entering on 10 February (two
 * outlets carry it), plus an unrelated story with markup in its title
 * and an article three days earlier for the chart. */
static kw_store *fill(void)
{
    static const char *const nc[] = {"nc-ai", "nipa"};
    static const char *const kk[] = {"kakao"};
    kw_event_rec e1[] = {ev("nc-ai", "considering", D0116 + 11 * 3600)};
    kw_event_rec e2[] = {ev("nc-ai", "entering", D0210 + 14 * 3600)};
    kw_event_rec e3[] = {ev("nc-ai", "entering", D0210 + 15 * 3600)};
    kw_store *st = NULL;
    char err[512];
    int64_t a, b;

    assert_int_equal(kw_store_open(":memory:", err, sizeof(err), &st),
                     KW_OK);
    a = add_source(st, "nuri");
    b = add_source(st, "hanbit");
    story(st, a, "https://nuri.test/1003", "고민 중", D0116 + 11 * 3600, nc,
          1, e1, 1, 0x0F0F0F0F0F0F0F0FULL);
    story(st, a, "https://nuri.test/1004", "엔씨AI 출사표", D0210 + 14 * 3600,
          nc, 2, e2, 1, 0xABCDEF0123456789ULL);
    story(st, b, "https://hanbit.test/77", "엔씨AI, 추가 공모 출사표",
          D0210 + 15 * 3600, nc, 2, e3, 1, 0xABCDEF0123456788ULL);
    story(st, b, "https://hanbit.test/78?a=1&b=<2>", evil,
          D0210 + 16 * 3600, kk, 1, NULL, 0, 0x1234000000000000ULL);
    story(st, a, "https://nuri.test/1000", "카카오 소식", D0210 - 3 * DAY, kk,
          1, NULL, 0, 0x00000000FFFF0000ULL);
    return st;
}

/* Renders the digest of D0210 into *@s.  (An out parameter rather than a
 * returned pointer: GCC 12's -Wdangling-pointer, at -O2, took pointers
 * into the returned string for pointers to the helper's local.) */
static void render(kw_store *st, kw_digest_format f, char **s)
{
    *s = NULL;
    assert_int_equal(kw_digest_render(st, D0210, f, s), KW_OK);
    assert_non_null(*s);
}

static void test_day_parse(void **state)
{
    int64_t d = 0;

    (void)state;
    assert_int_equal(kw_digest_day_parse("2026-02-10", &d), KW_OK);
    assert_int_equal(d, D0210);
    assert_int_equal(kw_digest_day_of(D0210 + 23 * 3600), D0210);
    assert_int_equal(kw_digest_day_of(D0210 - 1), D0210 - DAY);
    assert_int_equal(kw_digest_day_parse("2026-2-10", &d), KW_EINVAL);
    assert_int_equal(kw_digest_day_parse("2026-02-10T00:00", &d), KW_EINVAL);
    assert_int_equal(kw_digest_day_parse("yesterday!", &d), KW_EINVAL);
    assert_int_equal(kw_digest_day_parse("2026-13-45", &d), KW_EINVAL);
    assert_int_equal(kw_digest_day_parse(NULL, &d), KW_EINVAL);
}

static void test_json(void **state)
{
    kw_store *st = fill();
    char *s;
    json_t *doc, *ch, *stories, *st0, *counts;
    json_t *vol, *v;
    size_t i;
    int found = 0;

    (void)state;
    render(st, KW_DIGEST_JSON, &s);
    doc = json_loads(s, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "date")),
                        "2026-02-10");
    ch = json_object_get(doc, "status_changes");
    assert_int_equal(json_array_size(ch), 1);
    v = json_array_get(ch, 0);
    assert_string_equal(json_string_value(json_object_get(v, "entity")),
                        "nc-ai");
    assert_string_equal(json_string_value(json_object_get(v, "from")),
                        "considering");
    assert_string_equal(json_string_value(json_object_get(v, "to")),
                        "entering");
    assert_non_null(json_string_value(json_object_get(v, "url")));
    assert_non_null(json_string_value(json_object_get(v, "sentence")));
    /* Two copies of one story are one entry with both outlets. */
    stories = json_object_get(doc, "stories");
    assert_int_equal(json_array_size(stories), 2);
    st0 = json_array_get(stories, 0);
    assert_int_equal(json_array_size(json_object_get(st0, "urls")), 2);
    assert_int_equal(json_array_size(json_object_get(st0, "sources")), 2);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(st0, "entities"), 0)),
        "nc-ai");
    assert_true(json_is_integer(json_object_get(st0, "cluster")));
    counts = json_object_get(doc, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "articles")),
                     3);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(counts, "by_source"), "hanbit")),
                     2);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(counts, "by_source"), "nuri")),
                     1);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(counts, "by_entity"), "nc-ai")),
                     2);
    /* The chart: 30 days ending on the digest's day. */
    vol = json_object_get(doc, "volume");
    assert_int_equal(json_array_size(json_object_get(vol, "days")), 30);
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(vol, "days"), 29)),
        "2026-02-10");
    json_array_foreach(json_object_get(vol, "entities"), i, v)
    {
        json_t *c = json_object_get(v, "counts");

        if (strcmp(json_string_value(json_object_get(v, "id")), "kakao"))
            continue;
        found = 1;
        assert_int_equal(json_array_size(c), 30);
        assert_int_equal(json_integer_value(json_array_get(c, 29)), 1);
        assert_int_equal(json_integer_value(json_array_get(c, 26)), 1);
        assert_int_equal(json_integer_value(json_array_get(c, 0)), 0);
    }
    assert_true(found);
    /* JSON carries the title as data; it is not HTML. */
    assert_non_null(strstr(s, "<script>alert(1)</script>"));
    json_decref(doc);
    kw_free(s);
    kw_store_close(st);
}

/* Counts lines of @s starting with @prefix. */
static int count_lines(const char *s, const char *prefix)
{
    size_t pn = strlen(prefix);
    int n = 0;

    while (s) {
        const char *nl = strchr(s, '\n');

        if (strncmp(s, prefix, pn) == 0)
            n++;
        s = nl ? nl + 1 : NULL;
    }
    return n;
}

static void test_markdown(void **state)
{
    kw_store *st = fill();
    char *s;
    const char *changes, *stories;

    (void)state;
    render(st, KW_DIGEST_MD, &s);
    changes = strstr(s, "## Status changes");
    stories = strstr(s, "## Stories");
    assert_non_null(changes);
    assert_non_null(stories);
    assert_true(changes < stories);
    assert_non_null(strstr(changes, "considering \xe2\x86\x92 entering"));
    assert_true(strstr(changes, "entering") < stories);
    /* One line per story: the two copies are one. */
    assert_int_equal(count_lines(stories, "- ["), 2);
    assert_non_null(strstr(s, "hanbit, nuri") ? strstr(s, "hanbit, nuri")
                                               : strstr(s, "nuri, hanbit"));
    /* Markup from pages is escaped. */
    assert_null(strstr(s, "<script>"));
    assert_null(strstr(s, "<b>"));
    assert_non_null(strstr(s, "&lt;script&gt;"));
    assert_non_null(strstr(s, "\\[x\\]\\(y\\)"));
    /* Counts and the chart table. */
    assert_non_null(strstr(s, "3 articles."));
    assert_non_null(strstr(s, "| entity | daily articles | total | max |"));
    kw_free(s);
    kw_store_close(st);
}

static void test_html(void **state)
{
    kw_store *st = fill();
    char *s;
    const char *changes, *stories;

    (void)state;
    render(st, KW_DIGEST_HTML, &s);
    assert_non_null(strstr(s, "<!DOCTYPE html>"));
    changes = strstr(s, "Status changes");
    stories = strstr(s, "Stories (2)");
    assert_non_null(changes);
    assert_non_null(stories);
    assert_true(changes < stories);
    assert_non_null(strstr(s, "<svg"));
    assert_non_null(strstr(s, "<rect"));
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<b>제출"));
    assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(s, "&lt;b&gt;제출&lt;/b&gt;"));
    assert_non_null(strstr(s, "href=\"https://hanbit.test/78?a=1&amp;b=&lt;2"
                              "&gt;\""));
    assert_null(strstr(s, "<link"));
    assert_null(strstr(s, "src=\"http"));
    kw_free(s);
    render(st, KW_DIGEST_TEXT, &s);
    assert_non_null(strstr(s, "considering \xe2\x86\x92 entering"));
    kw_free(s);
    kw_store_close(st);
}

static void test_empty_day(void **state)
{
    kw_store *st = fill();
    char *s = NULL;

    (void)state;
    assert_int_equal(kw_digest_render(st, D0210 + 30 * DAY, KW_DIGEST_MD,
                                      &s),
                     KW_OK);
    assert_non_null(strstr(s, "No status changes."));
    assert_non_null(strstr(s, "0 articles."));
    kw_free(s);
    assert_int_equal(kw_digest_render(st, D0210 + 30 * DAY, KW_DIGEST_HTML,
                                      &s),
                     KW_OK);
    kw_free(s);
    kw_store_close(st);
}

static void test_formats(void **state)
{
    kw_digest_format f;

    (void)state;
    assert_int_equal(kw_digest_format_parse("md", &f), KW_OK);
    assert_int_equal(f, KW_DIGEST_MD);
    assert_int_equal(kw_digest_format_parse("html", &f), KW_OK);
    assert_int_equal(f, KW_DIGEST_HTML);
    assert_int_equal(kw_digest_format_parse("json", &f), KW_OK);
    assert_int_equal(f, KW_DIGEST_JSON);
    assert_int_equal(kw_digest_format_parse("pdf", &f), KW_EINVAL);
}

static void test_send_without_channel(void **state)
{
    kw_store *st = fill();
    char err[256];
    size_t n = 9;

    (void)state;
    assert_int_equal(kw_digest_send(st, D0210, 1000, err, sizeof(err), &n),
                     KW_ENOTFOUND);
    assert_int_equal(n, 0);
    kw_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_parse),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_empty_day),
        cmocka_unit_test(test_send_without_channel),
    };

    kw_queries_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
