/* Unit tests of queries/: the query compiler (what reaches FTS5 for each
 * input, and the errors), and search and listings over a real store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "kw/queries.h"

static void compiles_to(const char *q, const char *want)
{
    char err[128], *out = NULL;
    kw_err rc = kw_query_compile(q, err, sizeof(err), &out);

    if (rc)
        fail_msg("'%s' failed: %s", q, err);
    assert_string_equal(out, want);
    kw_free(out);
}

static void rejects(const char *q, const char *msg_part)
{
    char err[128], *out = (char *)1;
    kw_err rc = kw_query_compile(q, err, sizeof(err), &out);

    assert_int_equal(rc, KW_EINVAL);
    assert_null(out);
    if (!strstr(err, msg_part))
        fail_msg("'%s': message '%s' lacks '%s'", q, err, msg_part);
}

static void test_words_and_phrases(void **state)
{
    (void)state;
    compiles_to("Qwen", "(\"Qwen\")");
    compiles_to("Qwen encoder", "(\"Qwen\" AND \"encoder\")");
    compiles_to("\"vision encoder\"", "(\"vision encoder\")");
    compiles_to("a AND b", "(\"a\" AND \"b\")");
    compiles_to("model*", "(\"model\"*)");
}

static void test_hangul_words_match_with_particles(void **state)
{
    (void)state;
    /* No prefix any more: the tokenizer strips particles from query and
     * documents alike, so "네이버" finds "네이버가" but not "네이버웹툰". */
    compiles_to("네이버", "(\"네이버\")");
    compiles_to("네이버가", "(\"네이버가\")");
    compiles_to("LG AI연구원", "(\"LG\" AND \"AI연구원\")");
    compiles_to("네이버*", "(\"네이버\"*)");
}

static void test_spacing_variants(void **state)
{
    (void)state;
    /* A phrase of Hangul words also matches written as one word... */
    compiles_to("\"추가 공모\"", "((\"추가 공모\" OR \"추가공모\"))");
    /* ...and a long Hangul word also matches split in two. */
    compiles_to("추가공모에", "((\"추가공모에\" OR \"추가 공모에\"))");
    compiles_to("과기정통부",
                "((\"과기정통부\" OR \"과기 정통부\" OR \"과기정 통부\"))");
    /* Three syllables, mixed script or a prefix: no variants. */
    compiles_to("연구원", "(\"연구원\")");
    compiles_to("\"LG AI\"", "(\"LG AI\")");
    /* Hangul words typed apart also match written together... */
    compiles_to("추가 공모", "((\"추가\" AND \"공모\") OR \"추가공모\")");
    compiles_to("인공지능 반도체",
                "(((\"인공지능\" OR \"인공 지능\") AND \"반도체\") OR "
                "\"인공지능반도체\")");
    compiles_to("추가 공모 -네이버",
                "((\"추가\" AND \"공모\") OR \"추가공모\") NOT \"네이버\"");
    /* ...but not beside another script or a prefix, nor past
     * MAX_JOIN_WORDS words or MAX_SPLIT_SYL syllables. */
    compiles_to("LG 전자", "(\"LG\" AND \"전자\")");
    compiles_to("추가 공모*", "(\"추가\" AND \"공모\"*)");
    compiles_to("가 나 다 라", "(\"가\" AND \"나\" AND \"다\" AND \"라\")");
    compiles_to("인공지능 반도체 수출", /* 9 syllables joined: too long */
                "((\"인공지능\" OR \"인공 지능\") AND \"반도체\" AND "
                "\"수출\")");
}

static void test_or_not_and_groups(void **state)
{
    (void)state;
    compiles_to("a OR b", "(\"a\") OR (\"b\")");
    compiles_to("a b OR c", "(\"a\" AND \"b\") OR (\"c\")");
    compiles_to("a -b", "(\"a\") NOT \"b\"");
    compiles_to("a NOT b c", "(\"a\" AND \"c\") NOT \"b\"");
    compiles_to("(a OR b) -c", "(((\"a\") OR (\"b\"))) NOT \"c\"");
    /* A hyphen inside a word is text, not an operator. */
    compiles_to("K-AI", "(\"K-AI\")");
}

static void test_fts5_syntax_is_quoted(void **state)
{
    (void)state;
    /* Column filters, NEAR and quotes typed by a user are searched for
     * as text, never interpreted by FTS5. */
    compiles_to("title:x", "(\"title:x\")");
    compiles_to("NEAR(a b)", "(\"NEAR\" AND ((\"a\" AND \"b\")))");
}

static void test_errors(void **state)
{
    (void)state;
    rejects("\"open", "unbalanced double quote");
    rejects("(a OR b", "unbalanced parenthesis");
    rejects("a)", "unbalanced parenthesis");
    rejects("-a", "cannot only exclude");
    rejects("a OR", "OR needs a word");
    rejects("OR a", "OR needs a word");
    rejects("a OR OR b", "OR needs a word");
    rejects("", "no words");
    rejects("   ", "no words");
    rejects("!!! ???", "no words");
    rejects("()", "empty parentheses");
    rejects("a NOT", "nothing to apply to");
    rejects("\xff\xfe", "UTF-8");
}

static void test_limits(void **state)
{
    char q[2048], err[128], *out = NULL;
    int i;

    (void)state;
    memset(q, 'a', sizeof(q) - 1);
    q[sizeof(q) - 1] = '\0';
    assert_int_equal(kw_query_compile(q, err, sizeof(err), &out), KW_EINVAL);
    for (i = 0; i < 40; i++)
        q[i] = '(';
    q[40] = 'a';
    for (i = 41; i < 81; i++)
        q[i] = ')';
    q[81] = '\0';
    assert_int_equal(kw_query_compile(q, err, sizeof(err), &out), KW_EINVAL);
    assert_non_null(strstr(err, "nested"));
}

static void test_alloc_failure(void **state)
{
    char err[128], *out;
    long n;
    int ok = 0;

    (void)state;
    for (n = 1; n < 200 && !ok; n++) {
        kw_err rc;

        out = NULL;
        kw_alloc_fail_at(n);
        rc = kw_query_compile("a (b OR c) -d \"e f\"", err, sizeof(err),
                              &out);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            ok = 1;
            assert_non_null(out);
        } else {
            assert_int_equal(rc, KW_ENOMEM);
            assert_null(out);
        }
        kw_free(out);
    }
    assert_true(ok);
}

/* ---- Search over a real store -------------------------------------- */

static kw_store *g_st;

static void put(int64_t n, const char *title, const char *text,
                int64_t published)
{
    char url[64];
    kw_article_rec a;
    int64_t url_id;

    snprintf(url, sizeof(url), "https://news.example/a/%lld", (long long)n);
    assert_int_equal(kw_store_url_add(g_st, 0, url, KW_ROLE_ARTICLE, 0,
                                      &url_id, NULL),
                     KW_OK);
    memset(&a, 0, sizeof(a));
    a.url_id = url_id;
    a.url = url;
    a.kind = "article";
    a.title = title;
    a.text = text;
    a.published_at = published;
    a.published_offset = 540;
    a.fetched_at = published;
    assert_int_equal(kw_store_article_put(g_st, &a, NULL, NULL, 0, NULL,
                                          NULL),
                     KW_OK);
}

static int setup_store(void **state)
{
    char err[256];

    (void)state;
    if (kw_store_open(":memory:", err, sizeof(err), &g_st))
        return -1;
    put(1, "네이버클라우드, 추가 공모 불참",
        "네이버클라우드가 추가 공모에 참여하지 않기로 했다.", 1768467600);
    put(2, "카카오도 재도전 않기로",
        "카카오도 이번 추가 공모에는 도전하지 않는다. <script>x</script>",
        1768554000);
    put(3, "LG AI연구원 2차 진출", "LG AI연구원은 1차 평가를 통과했다.",
        1768460000);
    return 0;
}

static int teardown_store(void **state)
{
    (void)state;
    kw_store_close(g_st);
    return 0;
}

static kw_err collect_ids(const kw_search_hit *h, void *ud)
{
    int64_t *ids = ud;
    int i = 0;

    while (ids[i])
        i++;
    ids[i] = h->id;
    return KW_OK;
}

static void test_search_particles_and_filters(void **state)
{
    kw_search_opts o;
    int64_t ids[8] = {0}, total = 0;
    char err[128];

    (void)state;
    memset(&o, 0, sizeof(o));
    o.query = "네이버클라우드";
    assert_int_equal(kw_query_search(g_st, &o, collect_ids, ids, &total, err,
                                     sizeof(err)),
                     KW_OK);
    assert_int_equal(total, 1); /* "네이버클라우드가" in the text */
    assert_int_equal(ids[0], 1);

    memset(ids, 0, sizeof(ids));
    o.query = "\"추가 공모\" -카카오";
    assert_int_equal(kw_query_search(g_st, &o, collect_ids, ids, &total, err,
                                     sizeof(err)),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], 1);

    memset(ids, 0, sizeof(ids));
    o.query = "공모";
    o.since = 1768500000; /* after article 1 */
    assert_int_equal(kw_query_search(g_st, &o, collect_ids, ids, &total, err,
                                     sizeof(err)),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_int_equal(ids[0], 2);

    o.query = "(";
    assert_int_equal(kw_query_search(g_st, &o, collect_ids, ids, &total, err,
                                     sizeof(err)),
                     KW_EINVAL);
}

static void test_search_json_shape_and_escaping(void **state)
{
    kw_search_opts o;
    char err[128], *json = NULL;
    json_t *doc, *r0;
    json_error_t jerr;
    const char *snippet;

    (void)state;
    memset(&o, 0, sizeof(o));
    o.query = "카카오";
    assert_int_equal(kw_query_search_json(g_st, &o, err, sizeof(err), &json),
                     KW_OK);
    doc = json_loads(json, 0, &jerr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "query")),
                        "카카오");
    assert_int_equal(json_integer_value(json_object_get(doc, "total")), 1);
    assert_true(json_is_true(json_object_get(doc, "total_exact")));
    r0 = json_array_get(json_object_get(doc, "results"), 0);
    assert_non_null(r0);
    assert_int_equal(json_integer_value(json_object_get(r0, "id")), 2);
    assert_string_equal(json_string_value(json_object_get(r0, "published")),
                        "2026-01-16T18:00:00+09:00");
    assert_true(json_is_array(json_object_get(r0, "entities")));
    assert_true(json_real_value(json_object_get(r0, "score")) > 0);
    snippet = json_string_value(json_object_get(r0, "snippet"));
    assert_non_null(strstr(snippet, "<b>카카오도</b>"));
    assert_null(strstr(snippet, "<script>"));
    assert_non_null(strstr(snippet, "&lt;script&gt;"));
    json_decref(doc);
    kw_free(json);
}

static void test_articles_json(void **state)
{
    kw_article_filter f;
    char *json = NULL;
    json_t *doc, *arts;

    (void)state;
    memset(&f, 0, sizeof(f));
    assert_int_equal(kw_query_articles_json(g_st, &f, &json), KW_OK);
    doc = json_loads(json, 0, NULL);
    arts = json_object_get(doc, "articles");
    assert_int_equal(json_array_size(arts), 3);
    /* Newest first. */
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(arts, 0), "id")),
        2);
    assert_int_equal(json_integer_value(
                         json_object_get(json_array_get(arts, 0), "cluster")),
                     2);
    json_decref(doc);
    kw_free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_and_phrases),
        cmocka_unit_test(test_hangul_words_match_with_particles),
        cmocka_unit_test(test_spacing_variants),
        cmocka_unit_test(test_or_not_and_groups),
        cmocka_unit_test(test_fts5_syntax_is_quoted),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test_setup_teardown(test_search_particles_and_filters,
                                        setup_store, teardown_store),
        cmocka_unit_test_setup_teardown(test_search_json_shape_and_escaping,
                                        setup_store, teardown_store),
        cmocka_unit_test_setup_teardown(test_articles_json, setup_store,
                                        teardown_store),
    };

    kw_queries_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
