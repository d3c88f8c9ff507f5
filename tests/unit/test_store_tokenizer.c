/*
 * Unit tests of store/tokenizer.c against the fts5_tokenizer contract of
 * sqlite3.h: byte offsets into the given text, COLOCATED stems and
 * compound heads, query-mode stems, xToken errors passed up unchanged
 * and stopping the tokenizer, bad arguments refused; then the tokenizer
 * inside FTS5 (MATCH, highlight, 'integrity-check'), migration 2
 * rebuilding an index written by schema 1, and the last migration
 * rebuilding an index written with other terms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store_int.h"

typedef struct rec {
    char tok[32][64];
    int flags[32], start[32], end[32];
    int n;
    int fail_at; /* return fail_rc on this call (1-based); 0 never */
    int fail_rc;
} rec;

static int x_token(void *ctx, int tflags, const char *p, int n, int s, int e)
{
    rec *r = ctx;

    if (r->n < 32) {
        (void)snprintf(r->tok[r->n], 64, "%.*s", n, p);
        r->flags[r->n] = tflags;
        r->start[r->n] = s;
        r->end[r->n] = e;
    }
    r->n++;
    if (r->fail_at && r->n == r->fail_at)
        return r->fail_rc;
    return SQLITE_OK;
}

static sqlite3 *g_db;

static fts5_api *api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;

    assert_int_equal(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    (void)sqlite3_step(s);
    sqlite3_finalize(s);
    assert_non_null(api);
    return api;
}

/* Runs the kowatch tokenizer with @argv on @text in mode @flags. */
static int tokenize(const char **argv, int argc, int flags, const char *text,
                    rec *r)
{
    fts5_api *api = api_of(g_db);
    fts5_tokenizer vt;
    Fts5Tokenizer *tk = NULL;
    void *ud = NULL;
    int rc;

    assert_int_equal(api->xFindTokenizer(api, "kowatch", &ud, &vt),
                     SQLITE_OK);
    rc = vt.xCreate(ud, argv, argc, &tk);
    if (rc != SQLITE_OK)
        return rc;
    rc = vt.xTokenize(tk, r, flags, text, (int)strlen(text), x_token);
    vt.xDelete(tk);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &g_db) != SQLITE_OK)
        return -1;
    return kw__store_tokenizer_register(g_db) == SQLITE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_close(g_db);
    return 0;
}

static void test_document_tokens_and_offsets(void **state)
{
    const char *text = "추가공모에 AI연구원은 Ｘ";
    rec r;
    int i;

    (void)state;
    memset(&r, 0, sizeof(r));
    assert_int_equal(tokenize(NULL, 0, FTS5_TOKENIZE_DOCUMENT, text, &r),
                     SQLITE_OK);
    /* 추가공모에: surface, stem, then the compound's heads. */
    assert_string_equal(r.tok[0], "추가공모에");
    assert_int_equal(r.flags[0], 0);
    assert_string_equal(r.tok[1], "추가공모");
    assert_int_equal(r.flags[1], FTS5_TOKEN_COLOCATED);
    assert_string_equal(r.tok[2], "가공모");
    assert_string_equal(r.tok[3], "공모");
    assert_int_equal(r.flags[3], FTS5_TOKEN_COLOCATED);
    assert_string_equal(r.tok[4], "ai");
    assert_int_equal(r.flags[4], 0);
    assert_string_equal(r.tok[5], "연구원은");
    assert_string_equal(r.tok[6], "연구원");
    assert_string_equal(r.tok[7], "구원"); /* the head of 연구원 */
    assert_string_equal(r.tok[8], "x");
    assert_int_equal(r.n, 9);
    /* Every offset is a byte offset into text, at the word's bounds. */
    for (i = 0; i < r.n; i++) {
        assert_true(r.start[i] >= 0 && r.start[i] < r.end[i]);
        assert_true(r.end[i] <= (int)strlen(text));
    }
    assert_int_equal(r.start[0], 0);
    assert_int_equal(r.end[0], 15);
    assert_int_equal(r.start[4], 16);
    assert_int_equal(r.end[4], 18);
    assert_int_equal(r.start[5], 18);
    assert_int_equal(r.end[5], 30);
    assert_int_equal(r.start[8], 31); /* full-width X: 3 bytes */
    assert_int_equal(r.end[8], 34);
}

static void test_query_tokens(void **state)
{
    static const char *const no_suffix[] = {"suffixes", "0"};
    rec r;

    (void)state;
    memset(&r, 0, sizeof(r));
    assert_int_equal(tokenize(NULL, 0, FTS5_TOKENIZE_QUERY, "네이버가 LG가",
                              &r),
                     SQLITE_OK);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.tok[0], "네이버");
    assert_string_equal(r.tok[1], "lg");
    memset(&r, 0, sizeof(r));
    assert_int_equal(tokenize(NULL, 0,
                              FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
                              "네이버가", &r),
                     SQLITE_OK);
    assert_string_equal(r.tok[0], "네이버가");
    memset(&r, 0, sizeof(r));
    assert_int_equal(tokenize((const char **)no_suffix, 2,
                              FTS5_TOKENIZE_DOCUMENT, "추가공모", &r),
                     SQLITE_OK);
    assert_int_equal(r.n, 1);
}

static void test_xtoken_error_is_passed_up(void **state)
{
    rec r;

    (void)state;
    memset(&r, 0, sizeof(r));
    r.fail_at = 2;
    r.fail_rc = SQLITE_NOMEM;
    assert_int_equal(tokenize(NULL, 0, FTS5_TOKENIZE_DOCUMENT,
                              "카카오는 네이버는 업스테이지는", &r),
                     SQLITE_NOMEM);
    assert_int_equal(r.n, 2); /* no call after the failing one */
    memset(&r, 0, sizeof(r));
    r.fail_at = 1;
    r.fail_rc = SQLITE_ABORT;
    assert_int_equal(tokenize(NULL, 0, FTS5_TOKENIZE_AUX, "a b c", &r),
                     SQLITE_ABORT);
    assert_int_equal(r.n, 1);
}

static void test_bad_arguments(void **state)
{
    static const char *const bad1[] = {"suffixes", "2"};
    static const char *const bad2[] = {"colour", "1"};
    static const char *const bad3[] = {"stems"};
    rec r;

    (void)state;
    memset(&r, 0, sizeof(r));
    assert_int_equal(tokenize((const char **)bad1, 2, FTS5_TOKENIZE_DOCUMENT,
                              "a", &r),
                     SQLITE_ERROR);
    assert_int_equal(tokenize((const char **)bad2, 2, FTS5_TOKENIZE_DOCUMENT,
                              "a", &r),
                     SQLITE_ERROR);
    assert_int_equal(tokenize((const char **)bad3, 1, FTS5_TOKENIZE_DOCUMENT,
                              "a", &r),
                     SQLITE_ERROR);
}

/* Letters and digits split (qwen|2.5); a counter after a number is a
 * marked token (2|#차) in documents, with the number joined to it
 * colocated (2#차, its offsets spanning both), and that joined term
 * alone in queries, where a number without a counter stays itself
 * (2024); a one-syllable noun
 * whose particle could end a longer noun gets a second stem in documents
 * only (말로: 말). */
static void test_splits_counters_second_stems(void **state)
{
    const char *text = "Qwen2.5의 2차 말로";
    rec r;

    (void)state;
    memset(&r, 0, sizeof(r));
    assert_int_equal(tokenize(NULL, 0, FTS5_TOKENIZE_DOCUMENT, text, &r),
                     SQLITE_OK);
    assert_string_equal(r.tok[0], "qwen");
    assert_int_equal(r.start[0], 0);
    assert_int_equal(r.end[0], 4);
    assert_string_equal(r.tok[1], "2.5");
    assert_int_equal(r.flags[1], 0); /* a position of its own */
    assert_int_equal(r.start[1], 4);
    assert_int_equal(r.end[1], 7);
    /* '의' after '2.5' is a particle glued to a number: no word. */
    assert_string_equal(r.tok[2], "2");
    assert_string_equal(r.tok[3], "#차");
    assert_int_equal(r.flags[3], 0);
    assert_int_equal(r.start[3], 12);
    assert_int_equal(r.end[3], 15);
    assert_string_equal(r.tok[4], "2#차");
    assert_int_equal(r.flags[4], FTS5_TOKEN_COLOCATED);
    assert_int_equal(r.start[4], 11);
    assert_int_equal(r.end[4], 15);
    assert_string_equal(r.tok[5], "말로");
    assert_string_equal(r.tok[6], "말");
    assert_int_equal(r.flags[6], FTS5_TOKEN_COLOCATED);
    assert_int_equal(r.n, 7);

    memset(&r, 0, sizeof(r));
    assert_int_equal(tokenize(NULL, 0, FTS5_TOKENIZE_QUERY,
                              "2차 말로 차 2024 15일", &r),
                     SQLITE_OK);
    assert_int_equal(r.n, 5);
    assert_string_equal(r.tok[0], "2#차");
    assert_int_equal(r.start[0], 0);
    assert_int_equal(r.end[0], 4);
    assert_string_equal(r.tok[1], "말로"); /* queries keep the sure stem */
    assert_string_equal(r.tok[2], "차");
    assert_string_equal(r.tok[3], "2024"); /* held back, then let go */
    assert_string_equal(r.tok[4], "15#일");
}

static int64_t count(const char *match)
{
    sqlite3_stmt *s = NULL;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(g_db,
                                        "SELECT count(*) FROM t WHERE t "
                                        "MATCH ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void test_inside_fts5(void **state)
{
    sqlite3_stmt *s = NULL;

    (void)state;
    assert_int_equal(
        sqlite3_exec(g_db,
                     "CREATE VIRTUAL TABLE t USING fts5(x, "
                     "tokenize='kowatch');"
                     "INSERT INTO t VALUES ('네이버가 추가 공모에 불참');"
                     "INSERT INTO t VALUES ('네이버웹툰은 별개 회사다');"
                     "INSERT INTO t VALUES ('주가가 올랐다. 평가를 받았다');"
                     "INSERT INTO t VALUES ('경기도에서는 신뢰도가 높다');"
                     "INSERT INTO t VALUES ('LG AI연구원은 추가공모를 검토');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(count("\"네이버\""), 1); /* not 네이버웹툰 */
    assert_int_equal(count("\"네이버는\""), 1);
    assert_int_equal(count("\"공모\""), 2);   /* 추가공모 too */
    assert_int_equal(count("\"주\""), 0);
    assert_int_equal(count("\"평가\""), 1);
    assert_int_equal(count("\"경기\""), 0);
    assert_int_equal(count("\"경기도\""), 1);
    assert_int_equal(count("\"신뢰도\""), 1);
    assert_int_equal(count("\"AI연구원\""), 1);
    assert_int_equal(count("\"lg ai 연구원이\""), 1);
    assert_int_equal(count("\"네이버\"*"), 2);
    assert_int_equal(sqlite3_prepare_v2(g_db,
                                        "SELECT highlight(t, 0, '[', ']') "
                                        "FROM t WHERE t MATCH '\"카카오\" OR "
                                        "\"네이버\"'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0),
                        "[네이버가] 추가 공모에 불참");
    sqlite3_finalize(s);
    assert_int_equal(
        sqlite3_exec(g_db,
                     "INSERT INTO t VALUES ('차를 타고 이동했다');"
                     "INSERT INTO t VALUES ('2차 평가를 통과했다');"
                     "INSERT INTO t VALUES ('Qwen2.5 기반 모델');"
                     "INSERT INTO t VALUES ('Qwen 2.5를 미세조정');"
                     "INSERT INTO t VALUES ('말로 하면 된다');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(count("\"차\""), 1);       /* not 2차 */
    assert_int_equal(count("\"2차\""), 1);
    assert_int_equal(count("\"qwen\""), 2);
    assert_int_equal(count("\"Qwen2.5\""), 2); /* and 'Qwen 2.5' */
    assert_int_equal(count("\"말\""), 1);
    assert_int_equal(count("\"말로\""), 1);
    assert_int_equal(sqlite3_exec(g_db,
                                  "DELETE FROM t WHERE rowid = 2;"
                                  "INSERT INTO t(t, rank) VALUES "
                                  "('integrity-check', 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
}

static kw_err ignore_hit(const kw_search_hit *h, void *ud)
{
    (void)h;
    (void)ud;
    return KW_OK;
}

/* A schema-1 database (unicode61) with an article is migrated to schema
 * 2 and searched with the Korean tokenizer. */
static void test_migration_2_rebuilds(void **state)
{
    char path[256], err[256];
    const char *const *part;
    kw_store *st = NULL;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t total = 0;

    (void)state;
    (void)snprintf(path, sizeof(path), "%s/kw_tok_mig_%ld.db",
                   P_tmpdir, (long)kw_mono_ms());
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (part = kw__store_migrations[0]; *part; part++)
        assert_int_equal(sqlite3_exec(db, *part, NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO urls(id, url, role) VALUES (1, 'u', 1);"
                     "INSERT INTO articles(url_id, url, title, text, "
                     "content_hash) VALUES (1, 'u', '카카오도 불참', "
                     "'카카오도 추가 공모에 참여하지 않는다.', 0);"
                     "PRAGMA user_version = 1;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    assert_int_equal(sqlite3_prepare_v2(st->db,
                                        "SELECT sql FROM sqlite_schema WHERE "
                                        "name = 'articles_fts'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_non_null(strstr((const char *)sqlite3_column_text(s, 0),
                           "tokenize='kowatch'"));
    sqlite3_finalize(s);
    assert_int_equal(kw_store_search(st, "\"카카오\" AND \"참여\"", NULL,
                                     ignore_hit, NULL, &total),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_int_equal(kw_store_fts_check(st), KW_OK);
    kw_store_close(st);
    (void)remove(path);
}

/* An index written with other terms (here unicode61 registered under
 * the name 'kowatch', as an older kowatch emitted other terms) is made
 * again by the last migration: 'Qwen2.5' is found as 'Qwen' after it,
 * and the index agrees with the articles table. */
static void test_last_migration_rebuilds(void **state)
{
    char path[256], err[256];
    const char *const *part;
    kw_store *st = NULL;
    sqlite3 *db = NULL;
    fts5_api *api;
    fts5_tokenizer vt;
    void *ud = NULL;
    int64_t total = 0;
    int i;

    (void)state;
    (void)snprintf(path, sizeof(path), "%s/kw_tok_mig7_%ld.db", P_tmpdir,
                   (long)kw_mono_ms());
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    api = api_of(db);
    assert_int_equal(api->xFindTokenizer(api, "unicode61", &ud, &vt),
                     SQLITE_OK);
    assert_int_equal(api->xCreateTokenizer(api, "kowatch", ud, &vt, NULL),
                     SQLITE_OK);
    for (i = 0; i < kw__store_n_migrations - 1; i++) {
        for (part = kw__store_migrations[i]; *part; part++)
            assert_int_equal(sqlite3_exec(db, *part, NULL, NULL, NULL),
                             SQLITE_OK);
    }
    (void)snprintf(err, sizeof(err), "PRAGMA user_version = %d;",
                   kw__store_n_migrations - 1);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO urls(id, url, role) VALUES (1, 'u', 1);"
                     "INSERT INTO articles(url_id, url, title, text, "
                     "content_hash) VALUES (1, 'u', 'Qwen2.5 기반', "
                     "'2차 평가를 통과했다.', 0);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, err, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    assert_int_equal(kw_store_search(st, "\"qwen\"", NULL, ignore_hit, NULL,
                                     &total),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_int_equal(kw_store_search(st, "\"2차\"", NULL, ignore_hit, NULL,
                                     &total),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_int_equal(kw_store_fts_check(st), KW_OK);
    kw_store_close(st);
    (void)remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_tokens_and_offsets),
        cmocka_unit_test(test_query_tokens),
        cmocka_unit_test(test_splits_counters_second_stems),
        cmocka_unit_test(test_xtoken_error_is_passed_up),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_inside_fts5),
        cmocka_unit_test(test_migration_2_rebuilds),
        cmocka_unit_test(test_last_migration_rebuilds),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
