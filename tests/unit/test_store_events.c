/*
 * test_store_events.c -- unit tests of store/events.c: mentions with
 * counts and offsets, events in history order, replacing an article's
 * analysis, story clusters by fingerprint within a date window, alerts
 * unique per transition with their deliveries queued in the same
 * transaction, backfill, channels, saved searches and the outbox.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store_int.h"

#define DAY ((int64_t)86400)
#define T0 ((int64_t)1770681600) /* 2026-02-10T00:00:00Z */

static kw_store *open_mem(void)
{
    char err[512];
    kw_store *st = NULL;

    assert_int_equal(kw_store_open(":memory:", err, sizeof(err), &st),
                     KW_OK);
    return st;
}

/* Stores an article at @url published at @pub; returns its id. */
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

static kw_event_rec event(const char *entity, const char *stance,
                          int64_t at, int64_t pub, const char *sentence)
{
    kw_event_rec e;

    memset(&e, 0, sizeof(e));
    e.entity_id = entity;
    e.stance = stance;
    e.event_at = at;
    e.event_offset = 540;
    e.published_at = pub;
    e.published_offset = 540;
    e.sentence = sentence;
    return e;
}

/* ---- Mentions and events ---------------------------------------------- */

typedef struct seen {
    char rows[16][160];
    int n;
} seen;

static kw_err see_mention(const kw_mention_row *m, void *ud)
{
    seen *s = ud;

    assert_true(s->n < 16);
    snprintf(s->rows[s->n++], sizeof(s->rows[0]), "%s|%s|%lld|%s",
             m->entity_id, m->entity_name, (long long)m->count,
             m->offsets_json ? m->offsets_json : "null");
    return KW_OK;
}

static kw_err see_event(const kw_event_rec *e, void *ud)
{
    seen *s = ud;

    assert_true(s->n < 16);
    assert_non_null(e->url);
    snprintf(s->rows[s->n++], sizeof(s->rows[0]), "%s|%s|%lld|%s",
             e->entity_id, e->stance, (long long)((e->event_at - T0) / DAY),
             e->sentence ? e->sentence : "");
    return KW_OK;
}

static void test_mentions_events(void **state)
{
    kw_store *st = open_mem();
    int64_t offs_n[] = {0, 40}, offs_k[] = {12};
    kw_mention_rec m[2];
    kw_event_rec ev[3];
    kw_event_filter f;
    int64_t id, cl = 0;
    seen s;

    (void)state;
    id = add_article(st, "https://a.test/1", T0, "제목", "본문");
    memset(m, 0, sizeof(m));
    m[0].entity_id = "nc-ai";
    m[0].entity_type = "company";
    m[0].entity_name = "NC AI";
    m[0].count = 3;
    m[0].offsets = offs_n;
    m[0].n_offsets = 2;
    m[1].entity_id = "kakao";
    m[1].entity_name = "카카오";
    m[1].count = 1;
    m[1].offsets = offs_k;
    m[1].n_offsets = 1;
    ev[0] = event("nc-ai", "entering", T0, T0, "엔씨AI는 참여하기로 했다.");
    ev[1] = event("nc-ai", "eliminated", T0 - 26 * DAY, T0,
                  "지난달 15일 탈락했다.");
    ev[2] = event("kakao", "declined", T0, T0, "카카오는 불참한다.");
    assert_int_equal(
        kw_store_analysis_put(st, id, m, 2, ev, 3, 0x1234, 10, &cl),
        KW_OK);
    assert_int_equal(cl, id);

    memset(&s, 0, sizeof(s));
    assert_int_equal(kw_store_mention_each(st, id, see_mention, &s), KW_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.rows[0], "nc-ai|NC AI|3|[0,40]");
    assert_string_equal(s.rows[1], "kakao|카카오|1|[12]");

    /* History order: by entity, then event date (restated old result
     * lands before the later decision). */
    memset(&s, 0, sizeof(s));
    assert_int_equal(kw_store_event_each(st, NULL, see_event, &s), KW_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.rows[0], "kakao|declined|0|카카오는 불참한다.");
    assert_string_equal(s.rows[1],
                        "nc-ai|eliminated|-26|지난달 15일 탈락했다.");
    assert_string_equal(s.rows[2],
                        "nc-ai|entering|0|엔씨AI는 참여하기로 했다.");

    /* Filters. */
    memset(&s, 0, sizeof(s));
    memset(&f, 0, sizeof(f));
    f.entity = "nc-ai";
    f.until = T0;
    assert_int_equal(kw_store_event_each(st, &f, see_event, &s), KW_OK);
    assert_int_equal(s.n, 1);

    /* Re-analysis replaces, never duplicates. */
    assert_int_equal(
        kw_store_analysis_put(st, id, m, 1, ev, 1, 0x1234, 10, NULL), KW_OK);
    memset(&s, 0, sizeof(s));
    assert_int_equal(kw_store_event_each(st, NULL, see_event, &s), KW_OK);
    assert_int_equal(s.n, 1);
    memset(&s, 0, sizeof(s));
    assert_int_equal(kw_store_mention_each(st, id, see_mention, &s), KW_OK);
    assert_int_equal(s.n, 1);

    /* Entity filter of article listings sees the mentions. */
    assert_int_equal(kw_store_fts_check(st), KW_OK);

    /* Bad input, unknown article. */
    ev[0].stance = NULL;
    assert_int_equal(kw_store_analysis_put(st, id, NULL, 0, ev, 1, 0, 10,
                                           NULL),
                     KW_EINVAL);
    assert_int_equal(kw_store_analysis_put(st, 9999, NULL, 0, NULL, 0, 0, 10,
                                           NULL),
                     KW_ENOTFOUND);
    kw_store_close(st);
}

/* ---- Clusters ----------------------------------------------------------- */

static void test_clusters(void **state)
{
    kw_store *st = open_mem();
    uint64_t fp = 0xF0F0F0F0A5A5A5A5ULL;
    int64_t a, b, c, d, e, cl = 0;

    (void)state;
    a = add_article(st, "https://a.test/n4", T0 + 3600, "A", "a");
    b = add_article(st, "https://b.test/h3", T0 + 7200, "B", "b");
    c = add_article(st, "https://b.test/other", T0 + 7200, "C", "c");
    d = add_article(st, "https://b.test/later", T0 + 40 * DAY, "D", "d");
    e = add_article(st, "https://c.test/copy", T0 + 3 * DAY, "E", "e");

    assert_int_equal(kw_store_analysis_put(st, a, NULL, 0, NULL, 0, fp, 10,
                                           &cl),
                     KW_OK);
    assert_int_equal(cl, a);
    /* 7 bits away: a copy. */
    assert_int_equal(kw_store_analysis_put(st, b, NULL, 0, NULL, 0,
                                           fp ^ 0x7FULL, 10, &cl),
                     KW_OK);
    assert_int_equal(cl, a);
    /* Far away: its own story. */
    assert_int_equal(kw_store_analysis_put(st, c, NULL, 0, NULL, 0, ~fp, 10,
                                           &cl),
                     KW_OK);
    assert_int_equal(cl, c);
    /* Same fingerprint, but outside the 14-day window. */
    assert_int_equal(kw_store_analysis_put(st, d, NULL, 0, NULL, 0, fp, 10,
                                           &cl),
                     KW_OK);
    assert_int_equal(cl, d);
    /* Near the copy b, whose cluster is a's. */
    assert_int_equal(kw_store_analysis_put(st, e, NULL, 0, NULL, 0,
                                           fp ^ 0x7F00ULL, 10, &cl),
                     KW_OK);
    assert_int_equal(cl, a);
    /* Re-analysing the founder keeps its cluster. */
    assert_int_equal(kw_store_analysis_put(st, a, NULL, 0, NULL, 0, fp, 10,
                                           &cl),
                     KW_OK);
    assert_int_equal(cl, a);
    kw_store_close(st);
}

/* ---- Alerts, channels, the outbox -------------------------------------- */

typedef struct dl_list {
    int64_t id[8];
    char state[8][16];
    int attempts[8];
    int n;
} dl_list;

static kw_err see_delivery(const kw_delivery_rec *d, void *ud)
{
    dl_list *l = ud;

    assert_true(l->n < 8);
    l->id[l->n] = d->id;
    snprintf(l->state[l->n], sizeof(l->state[0]), "%s", d->state);
    l->attempts[l->n] = d->attempts;
    l->n++;
    return KW_OK;
}

static kw_err count_alert(const kw_alert_rec *a, void *ud)
{
    int *n = ud;

    assert_non_null(a->kind);
    (*n)++;
    return KW_OK;
}

static void test_alerts_outbox(void **state)
{
    kw_store *st = open_mem();
    kw_channel_rec ch;
    kw_alert_rec al;
    dl_list l;
    int64_t ch1, ch2, id1 = 0, id2 = 0, n = 0;
    int is_new = -1, count;

    (void)state;
    memset(&ch, 0, sizeof(ch));
    ch.kind = "webhook";
    ch.target = "http://127.0.0.1:9/hook";
    assert_int_equal(kw_store_channel_add(st, &ch, &ch1), KW_OK);
    ch.kind = "exec";
    ch.target = "cat >/dev/null";
    assert_int_equal(kw_store_channel_add(st, &ch, &ch2), KW_OK);

    memset(&al, 0, sizeof(al));
    al.kind = "reentry";
    al.transition_key = "reentry:nc-ai:2026-02-10";
    al.entity_id = NULL; /* no entity row needed for the test */
    al.stance = "entering";
    al.date = T0;
    al.url = "https://a.test/n4";
    al.sentence = "엔씨AI는 참여하기로 했다.";
    assert_int_equal(kw_store_alert_add(st, &al, &id1, &is_new), KW_OK);
    assert_int_equal(is_new, 1);
    /* The same transition again: recorded once. */
    al.url = "https://b.test/h3";
    assert_int_equal(kw_store_alert_add(st, &al, &id2, &is_new), KW_OK);
    assert_int_equal(is_new, 0);
    assert_int_equal(id2, id1);

    /* One pending delivery per channel, due now. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_delivery_due(st, kw_now(), 0, see_delivery, &l),
                     KW_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.state[0], "pending");

    /* A failed attempt is retried later, a success is final. */
    assert_int_equal(kw_store_delivery_attempted(st, l.id[0], "pending",
                                                 kw_now(), kw_now() + 60,
                                                 "HTTP 500"),
                     KW_OK);
    assert_int_equal(kw_store_delivery_attempted(st, l.id[1], "delivered",
                                                 kw_now(), 0, NULL),
                     KW_OK);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_delivery_due(st, kw_now(), 0, see_delivery, &l),
                     KW_OK);
    assert_int_equal(l.n, 0);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_delivery_due(st, kw_now() + 61, 0,
                                           see_delivery, &l),
                     KW_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.attempts[0], 1);
    assert_int_equal(kw_store_delivery_attempted(st, l.id[0], "bogus", 0, 0,
                                                 NULL),
                     KW_EINVAL);

    /* Backfill: recorded, listed with --all only, no deliveries. */
    al.transition_key = "reentry:kakao:2025-01-01";
    al.is_backfill = 1;
    assert_int_equal(kw_store_alert_add(st, &al, &id2, &is_new), KW_OK);
    assert_int_equal(is_new, 1);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_delivery_each(st, id2, see_delivery, &l),
                     KW_OK);
    assert_int_equal(l.n, 0);
    count = 0;
    assert_int_equal(kw_store_alert_each(st, 0, count_alert, &count), KW_OK);
    assert_int_equal(count, 1);
    count = 0;
    assert_int_equal(kw_store_alert_each(st, 1, count_alert, &count), KW_OK);
    assert_int_equal(count, 2);

    /* Removing a channel removes its deliveries. */
    assert_int_equal(kw_store_channel_remove(st, ch1), KW_OK);
    assert_int_equal(kw_store_channel_remove(st, ch1), KW_ENOTFOUND);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_delivery_each(st, id1, see_delivery, &l),
                     KW_OK);
    assert_int_equal(l.n, 1);

    assert_int_equal(kw_store_alert_count(st, "reentry", "nc-ai", 0, 0, &n),
                     KW_OK);
    assert_int_equal(n, 0); /* entity_id was NULL */
    kw_store_close(st);
}

static kw_err see_search(const kw_saved_search_rec *s, void *ud)
{
    int *n = ud;

    assert_string_equal(s->query, "추가 공모");
    (*n)++;
    return KW_OK;
}

static void test_saved_searches(void **state)
{
    kw_store *st = open_mem();
    int64_t id = 0;
    int n = 0;

    (void)state;
    assert_int_equal(kw_store_saved_search_add(st, "recall", "추가 공모", &id),
                     KW_OK);
    assert_true(id > 0);
    assert_int_equal(kw_store_saved_search_add(st, "recall", "x", NULL),
                     KW_EEXIST);
    assert_int_equal(kw_store_saved_search_add(st, "", "x", NULL),
                     KW_EINVAL);
    assert_int_equal(kw_store_saved_search_each(st, see_search, &n), KW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(kw_store_saved_search_remove(st, "recall"), KW_OK);
    assert_int_equal(kw_store_saved_search_remove(st, "recall"),
                     KW_ENOTFOUND);
    kw_store_close(st);
}

/* Allocation failures end in KW_ENOMEM (or succeed) and never leak. */
static void test_alloc_failures(void **state)
{
    long n;

    (void)state;
    for (n = 1; n < 400; n++) {
        kw_store *st = open_mem();
        int64_t offs[] = {1, 2, 3};
        kw_mention_rec m;
        kw_event_rec ev;
        int64_t id;
        kw_err rc;

        id = add_article(st, "https://a.test/x", T0, "t", "x");
        memset(&m, 0, sizeof(m));
        m.entity_id = "kt";
        m.count = 3;
        m.offsets = offs;
        m.n_offsets = 3;
        ev = event("kt", "considering", T0, T0, "s");
        kw_alloc_fail_at(n);
        rc = kw_store_analysis_put(st, id, &m, 1, &ev, 1, 7, 10, NULL);
        kw_alloc_fail_at(0);
        assert_true(rc == KW_OK || rc == KW_ENOMEM || rc == KW_EDB);
        kw_store_close(st);
        if (rc == KW_OK)
            break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mentions_events),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_alerts_outbox),
        cmocka_unit_test(test_saved_searches),
        cmocka_unit_test(test_alloc_failures),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
