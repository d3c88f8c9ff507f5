/*
 * test_queries_status.c -- unit tests of queries/status.c and the rules of
 * queries/alerts.c over a hand-built history in the style of the demo:
 * status = latest stance by event date (ties: later published), a restated
 * old result never undoes a later decision, --as-of, timelines, events
 * JSON, and exactly one re-entry alert per transition however many copies
 * arrive (also after a re-analysis renumbers the events), none for a
 * rumour, backfill by the delivery window, saved searches once per story
 * cluster.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "kw/alerts.h"
#include "kw/queries.h"

#define DAY ((int64_t)86400)
/* Midnight KST of a few days of the story. */
#define D0804 ((int64_t)1754233200) /* 2025-08-04 */
#define D0115 ((int64_t)1768402800) /* 2026-01-15 */
#define D0116 (D0115 + DAY)
#define D0210 (D0115 + 26 * DAY)   /* 2026-02-10 */

static kw_store *open_mem(void)
{
    char err[512];
    kw_store *st = NULL;

    assert_int_equal(kw_store_open(":memory:", err, sizeof(err), &st),
                     KW_OK);
    return st;
}

static int64_t add_article(kw_store *st, const char *url, int64_t pub,
                           const char *title, const char *text)
{
    kw_article_rec a;
    int64_t url_id = 0, id = 0;

    assert_int_equal(kw_store_url_add(st, 0, url, KW_ROLE_ARTICLE, 0,
                                      &url_id, NULL),
                     KW_OK);
    memset(&a, 0, sizeof(a));
    a.url_id = url_id;
    a.url = url;
    a.kind = "article";
    a.title = title;
    a.text = text;
    a.published_at = pub;
    a.published_offset = 540;
    a.fetched_at = pub + 60;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &id, NULL),
                     KW_OK);
    return id;
}

static kw_event_rec ev(const char *entity, const char *stance, int64_t at,
                       int64_t pub)
{
    kw_event_rec e;

    memset(&e, 0, sizeof(e));
    e.entity_id = entity;
    e.entity_name = entity;
    e.stance = stance;
    e.event_at = at;
    e.event_offset = 540;
    e.published_at = pub;
    e.published_offset = 540;
    e.sentence = stance;
    return e;
}

/* Stores an article with events @e[0..n) and fingerprint @fp. */
static int64_t story(kw_store *st, const char *url, int64_t pub,
                     const kw_event_rec *e, size_t n, uint64_t fp)
{
    int64_t id = add_article(st, url, pub, url, "독자 AI 추가 공모");

    assert_int_equal(kw_store_analysis_put(st, id, NULL, 0, e, n, fp, 10,
                                           NULL),
                     KW_OK);
    return id;
}

/* The demo's history for nc-ai, kakao and kt (README "Status"). */
static void demo_history(kw_store *st, int with_copies)
{
    kw_event_rec n1[] = {ev("nc-ai", "selected", D0804, D0804 + 16 * 3600),
                         ev("kakao", "eliminated", D0804, D0804 + 16 * 3600),
                         ev("kt", "eliminated", D0804, D0804 + 16 * 3600)};
    kw_event_rec n2[] = {ev("nc-ai", "eliminated", D0115, D0115 + 18 * 3600)};
    kw_event_rec n3[] = {
        ev("nc-ai", "considering", D0116, D0116 + 11 * 3600),
        ev("kakao", "declined", D0116, D0116 + 11 * 3600),
        ev("kt", "considering", D0116, D0116 + 11 * 3600)};
    /* N4: re-entry, with a restated elimination dated 15 January. */
    kw_event_rec n4[] = {
        ev("nc-ai", "entering", D0210, D0210 + 14 * 3600),
        ev("nc-ai", "eliminated", D0115, D0210 + 14 * 3600),
        ev("kakao", "declined", D0210, D0210 + 14 * 3600),
        ev("kt", "considering", D0210, D0210 + 14 * 3600)};
    kw_event_rec h3[] = {
        ev("nc-ai", "entering", D0210, D0210 + 15 * 3600),
        ev("nc-ai", "eliminated", D0115, D0210 + 15 * 3600)};

    story(st, "https://nuri.test/1001", D0804 + 16 * 3600, n1, 3, 0x1111);
    story(st, "https://nuri.test/1002", D0115 + 18 * 3600, n2, 1, 0x2222);
    story(st, "https://nuri.test/1003", D0116 + 11 * 3600, n3, 3,
          0xFF000000ULL);
    story(st, "https://nuri.test/1004", D0210 + 14 * 3600, n4, 4,
          0xABCDEF0123456789ULL);
    if (with_copies)
        story(st, "https://hanbit.test/h3", D0210 + 15 * 3600, h3, 2,
              0xABCDEF0123456789ULL ^ 0x13ULL);
    /* H2, the rumour: mentions only, no events. */
    story(st, "https://hanbit.test/h2", D0116 + 4 * DAY, NULL, 0,
          0x5555555555555555ULL);
}

typedef struct board {
    char line[16][96];
    int n;
} board;

static kw_err see_status(const kw_status_row *r, void *ud)
{
    board *b = ud;
    char since[32];

    assert_true(b->n < 16);
    kw_query_time(r->since, r->since_offset, since);
    since[10] = '\0';
    snprintf(b->line[b->n++], sizeof(b->line[0]), "%s %s %s", r->entity_id,
             r->stance ? r->stance : "-", r->stance ? since : "");
    return KW_OK;
}

static void test_status_board(void **state)
{
    kw_store *st = open_mem();
    board b;

    (void)state;
    demo_history(st, 1);

    memset(&b, 0, sizeof(b));
    assert_int_equal(kw_query_status(st, 0, see_status, &b), KW_OK);
    assert_int_equal(b.n, 3);
    assert_string_equal(b.line[0], "kakao declined 2026-01-16");
    assert_string_equal(b.line[1], "kt considering 2026-01-16");
    /* The restated elimination (dated 15 Jan, published 10 Feb) does not
     * undo the re-entry. */
    assert_string_equal(b.line[2], "nc-ai entering 2026-02-10");

    memset(&b, 0, sizeof(b));
    assert_int_equal(kw_query_status(st, D0115 + 16 * DAY, see_status, &b),
                     KW_OK);
    assert_string_equal(b.line[0], "kakao declined 2026-01-16");
    assert_string_equal(b.line[2], "nc-ai considering 2026-01-16");

    memset(&b, 0, sizeof(b));
    assert_int_equal(kw_query_status(st, D0115 - 14 * DAY, see_status, &b),
                     KW_OK);
    assert_string_equal(b.line[0], "kakao eliminated 2025-08-04");
    assert_string_equal(b.line[1], "kt eliminated 2025-08-04");
    assert_string_equal(b.line[2], "nc-ai selected 2025-08-04");
    kw_store_close(st);
}

static void test_status_ties(void **state)
{
    kw_store *st = open_mem();
    /* Same event date, different stances: the later report wins,
     * whatever the order the reports arrive in. */
    kw_event_rec late[] = {ev("kt", "declined", D0210, D0210 + 20 * 3600)};
    kw_event_rec early[] = {ev("kt", "considering", D0210, D0210 + 9 * 3600)};
    board b;

    (void)state;
    story(st, "https://x.test/late", D0210 + 20 * 3600, late, 1, 1);
    story(st, "https://x.test/early", D0210 + 9 * 3600, early, 1, ~0ULL);
    memset(&b, 0, sizeof(b));
    assert_int_equal(kw_query_status(st, 0, see_status, &b), KW_OK);
    assert_int_equal(b.n, 1);
    assert_string_equal(b.line[0], "kt declined 2026-02-10");
    kw_store_close(st);
}

static void test_json_shapes(void **state)
{
    kw_store *st = open_mem();
    json_t *doc, *arr, *o;
    char *json = NULL;
    size_t i, n_change = 0;

    (void)state;
    demo_history(st, 1);

    assert_int_equal(kw_query_status_json(st, 0, NULL, &json), KW_OK);
    doc = json_loads(json, 0, NULL);
    kw_free(json);
    assert_non_null(doc);
    assert_non_null(json_string_value(json_object_get(doc, "as_of")));
    arr = json_object_get(doc, "entities");
    assert_int_equal(json_array_size(arr), 3);
    o = json_array_get(arr, 2);
    assert_string_equal(json_string_value(json_object_get(o, "id")), "nc-ai");
    assert_string_equal(json_string_value(json_object_get(o, "stance")),
                        "entering");
    assert_string_equal(json_string_value(json_object_get(o, "since")),
                        "2026-02-10T00:00:00+09:00");
    assert_string_equal(json_string_value(json_object_get(o, "url")),
                        "https://nuri.test/1004");
    assert_non_null(json_object_get(o, "sentence"));
    assert_non_null(json_object_get(o, "name"));
    json_decref(doc);

    assert_int_equal(kw_query_events_json(st, "nc-ai", &json), KW_OK);
    doc = json_loads(json, 0, NULL);
    kw_free(json);
    arr = json_object_get(doc, "events");
    assert_int_equal(json_array_size(arr), 7);
    json_array_foreach(arr, i, o)
    {
        assert_string_equal(json_string_value(json_object_get(o, "entity")),
                            "nc-ai");
        assert_non_null(json_string_value(json_object_get(o, "stance")));
        assert_non_null(json_string_value(json_object_get(o, "date")));
        assert_non_null(json_string_value(json_object_get(o, "published")));
        assert_non_null(json_string_value(json_object_get(o, "url")));
        assert_non_null(json_string_value(json_object_get(o, "sentence")));
    }
    json_decref(doc);

    assert_int_equal(kw_query_timeline_json(st, "nc-ai", &json), KW_OK);
    doc = json_loads(json, 0, NULL);
    kw_free(json);
    assert_string_equal(json_string_value(json_object_get(doc, "stance")),
                        "entering");
    json_array_foreach(json_object_get(doc, "events"), i, o)
        n_change += json_is_true(json_object_get(o, "change"));
    /* selected -> eliminated -> considering -> entering */
    assert_int_equal(n_change, 4);
    json_decref(doc);
    assert_int_equal(kw_query_timeline_json(st, "nobody", &json),
                     KW_ENOTFOUND);
    assert_null(json);
    kw_store_close(st);
}

/* ---- Alerts ------------------------------------------------------------- */

typedef struct alerts_seen {
    char key[8][96];
    int backfill[8];
    char url[8][64];
    int n;
} alerts_seen;

static kw_err see_alert(const kw_alert_rec *a, void *ud)
{
    alerts_seen *s = ud;

    assert_true(s->n < 8);
    snprintf(s->key[s->n], sizeof(s->key[0]), "%s", a->transition_key);
    snprintf(s->url[s->n], sizeof(s->url[0]), "%s", a->url ? a->url : "");
    s->backfill[s->n] = a->is_backfill;
    s->n++;
    return KW_OK;
}

static void test_reentry_once(void **state)
{
    kw_store *st = open_mem();
    kw_alerts_config cfg = kw_alerts_config_default();
    kw_channel_rec ch;
    alerts_seen s;
    size_t n_new = 99;
    int64_t n4;

    (void)state;
    memset(&ch, 0, sizeof(ch));
    ch.kind = "exec";
    ch.target = "true";
    assert_int_equal(kw_store_channel_add(st, &ch, NULL), KW_OK);
    demo_history(st, 0);
    /* The day of the announcement: inside the delivery window. */
    cfg.now = D0210 + 16 * 3600;
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    assert_int_equal(n_new, 1);
    memset(&s, 0, sizeof(s));
    assert_int_equal(kw_store_alert_each(st, 1, see_alert, &s), KW_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.key[0], "reentry:nc-ai:2026-02-10");
    assert_string_equal(s.url[0], "https://nuri.test/1004");
    assert_int_equal(s.backfill[0], 0);

    /* Again, then with the syndicated copy, then after re-analysis of N4
     * (new event ids): still one. */
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    assert_int_equal(n_new, 0);
    {
        kw_event_rec h3[] = {
            ev("nc-ai", "entering", D0210, D0210 + 15 * 3600),
            ev("nc-ai", "eliminated", D0115, D0210 + 15 * 3600)};

        story(st, "https://hanbit.test/h3", D0210 + 15 * 3600, h3, 2,
              0xABCDEF0123456789ULL ^ 0x13ULL);
    }
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    assert_int_equal(n_new, 0);
    n4 = 4;
    {
        kw_event_rec n4e[] = {
            ev("nc-ai", "eliminated", D0115, D0210 + 14 * 3600),
            ev("nc-ai", "entering", D0210, D0210 + 14 * 3600)};

        assert_int_equal(kw_store_analysis_put(st, n4, NULL, 0, n4e, 2,
                                               0xABCDEF0123456789ULL, 10,
                                               NULL),
                         KW_OK);
    }
    /* A late restated elimination dated between the out and the entering
     * only moves the episode's start. */
    {
        kw_event_rec late[] = {ev("nc-ai", "eliminated", D0116 + DAY,
                                  D0210 + 2 * DAY)};

        story(st, "https://x.test/late", D0210 + 2 * DAY, late, 1, 0x77);
    }
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    assert_int_equal(n_new, 0);

    /* kt: rumours are no events; a real entering later alerts once, and
     * since it is old when first seen, as backfill. */
    {
        kw_event_rec kt[] = {ev("kt", "entering", D0210 + 5 * DAY,
                                D0210 + 5 * DAY)};

        story(st, "https://x.test/kt", D0210 + 5 * DAY, kt, 1, 0x99);
    }
    cfg.now = D0210 + 30 * DAY;
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    assert_int_equal(n_new, 1);
    memset(&s, 0, sizeof(s));
    assert_int_equal(kw_store_alert_each(st, 0, see_alert, &s), KW_OK);
    assert_int_equal(s.n, 1); /* the backfill one is hidden */
    memset(&s, 0, sizeof(s));
    assert_int_equal(kw_store_alert_each(st, 1, see_alert, &s), KW_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.key[0], "reentry:kt:2026-02-15");
    assert_int_equal(s.backfill[0], 1);

    /* A new elimination after re-entry opens a new episode. */
    {
        kw_event_rec e[] = {
            ev("nc-ai", "eliminated", D0210 + 40 * DAY, D0210 + 40 * DAY),
            ev("nc-ai", "entering", D0210 + 50 * DAY, D0210 + 50 * DAY)};

        story(st, "https://x.test/round3", D0210 + 50 * DAY, e, 2, 0x3);
    }
    cfg.now = D0210 + 50 * DAY + 3600;
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    assert_int_equal(n_new, 1);
    kw_store_close(st);
}

static void test_no_reentry_without_out(void **state)
{
    kw_store *st = open_mem();
    kw_alerts_config cfg = kw_alerts_config_default();
    /* Entering first, eliminated after: not a re-entry. */
    kw_event_rec e[] = {ev("upstage", "entering", D0804, D0804),
                        ev("upstage", "selected", D0115, D0115),
                        ev("upstage", "eliminated", D0210, D0210)};
    size_t n_new = 99;

    (void)state;
    story(st, "https://x.test/u", D0210, e, 3, 1);
    cfg.now = D0210;
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    assert_int_equal(n_new, 0);
    kw_store_close(st);
}

static void test_saved_search_alerts(void **state)
{
    kw_store *st = open_mem();
    kw_alerts_config cfg = kw_alerts_config_default();
    alerts_seen s;
    size_t n_new = 0;

    (void)state;
    demo_history(st, 1); /* N4 and H3 share a cluster */
    assert_int_equal(kw_store_saved_search_add(st, "recall", "추가 공모",
                                               NULL),
                     KW_OK);
    cfg.now = D0210 + 16 * 3600;
    cfg.reentry = 0;
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    /* Six articles, five clusters (N4 and H3 are one story). */
    assert_int_equal(n_new, 5);
    assert_int_equal(kw_alerts_evaluate(st, &cfg, &n_new), KW_OK);
    assert_int_equal(n_new, 0);
    memset(&s, 0, sizeof(s));
    assert_int_equal(kw_store_alert_each(st, 0, see_alert, &s), KW_OK);
    /* Only the 10 February story is inside the window. */
    assert_int_equal(s.n, 1);
    assert_string_equal(s.url[0], "https://nuri.test/1004");
    kw_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_board),
        cmocka_unit_test(test_status_ties),
        cmocka_unit_test(test_json_shapes),
        cmocka_unit_test(test_reentry_once),
        cmocka_unit_test(test_no_reentry_without_out),
        cmocka_unit_test(test_saved_search_alerts),
    };

    kw_queries_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
