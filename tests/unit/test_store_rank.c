/*
 * Unit tests of store/rank.c: kwrank() is FTS5's bm25() whenever its
 * document-frequency scans run to the end (every row of every query
 * compared, single words, OR, phrases, column weights); with n it
 * scores only the first n rows the cursor visits; a scan cut after
 * 1,024 matches scales its count to the whole rowid range (checked
 * against the IDF that count implies); kwcol() names the column a
 * snippet should come from.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "store_int.h"

static sqlite3 *g_db;

static void exec(const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(g_db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &g_db) != SQLITE_OK)
        return -1;
    if (kw__store_tokenizer_register(g_db) != SQLITE_OK ||
        kw__store_rank_register(g_db) != SQLITE_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_close(g_db);
    return 0;
}

/* 400 rows from a small vocabulary: common, middling and rare words,
 * lengths varying, some words in the title. */
static void fill_small(void)
{
    static const char *const words[] = {
        "공모", "네이버가", "카카오는", "추가", "평가를", "선정",
        "탈락", "업스테이지", "모델", "정부는", "발표했다", "참여",
    };
    sqlite3_stmt *s = NULL;
    unsigned long long x = 88172645463325252ULL;
    int i, k;

    exec("CREATE VIRTUAL TABLE r USING fts5(title, text, "
         "tokenize='kowatch')");
    assert_int_equal(sqlite3_prepare_v2(g_db,
                                        "INSERT INTO r VALUES (?1, ?2)", -1,
                                        &s, NULL),
                     SQLITE_OK);
    for (i = 0; i < 400; i++) {
        char title[128], text[1024];
        size_t tn = 0, xn = 0;
        int n_text = 3 + i % 17;

        title[0] = text[0] = '\0';
        for (k = 0; k < 2 + i % 3; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            tn += (size_t)snprintf(title + tn, sizeof(title) - tn, "%s ",
                                   words[(x % 97) % 12]);
        }
        for (k = 0; k < n_text; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* skewed: low indexes far more often */
            xn += (size_t)snprintf(text + xn, sizeof(text) - xn, "%s ",
                                   words[(x % 1000) < 500 ? x % 3 : x % 12]);
        }
        sqlite3_bind_text(s, 1, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, text, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(s), SQLITE_DONE);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

static void test_equals_bm25(void **state)
{
    static const char *const queries[] = {
        "공모", "네이버", "\"업스테이지\" OR \"탈락\"", "\"추가 공모\"",
        "선정 AND 모델", "카카오 NOT 평가", "title:참여",
    };
    sqlite3_stmt *s = NULL;
    size_t q;

    (void)state;
    fill_small();
    assert_int_equal(
        sqlite3_prepare_v2(g_db,
                           "SELECT bm25(r, 10.0, 1.0), "
                           "kwrank(r, 1, 400, 0, 10.0, 1.0), "
                           "bm25(r), kwrank(r, 1, 400, 0) "
                           "FROM r WHERE r MATCH ?1",
                           -1, &s, NULL),
        SQLITE_OK);
    for (q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
        int rows = 0;

        sqlite3_bind_text(s, 1, queries[q], -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW) {
            double b = sqlite3_column_double(s, 0);
            double k = sqlite3_column_double(s, 1);

            if (fabs(b - k) > 1e-9 * fabs(b) + 1e-12)
                fail_msg("%s: bm25 %.12g, kwrank %.12g", queries[q], b, k);
            b = sqlite3_column_double(s, 2);
            k = sqlite3_column_double(s, 3);
            if (fabs(b - k) > 1e-9 * fabs(b) + 1e-12)
                fail_msg("%s unweighted: bm25 %.12g, kwrank %.12g",
                         queries[q], b, k);
            rows++;
        }
        sqlite3_reset(s);
        if (rows == 0)
            fail_msg("%s matched nothing", queries[q]);
    }
    sqlite3_finalize(s);
}

static void test_first_n_rows(void **state)
{
    sqlite3_stmt *s = NULL;
    int row = 0, scored = 0;

    (void)state;
    assert_int_equal(
        sqlite3_prepare_v2(g_db,
                           "SELECT rowid, kwrank(r, 1, 400, 5) FROM r "
                           "WHERE r MATCH '공모' ORDER BY rowid DESC",
                           -1, &s, NULL),
        SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int is_null = sqlite3_column_type(s, 1) == SQLITE_NULL;

        assert_int_equal(is_null, row >= 5);
        scored += !is_null;
        row++;
    }
    sqlite3_finalize(s);
    assert_int_equal(scored, 5);
    assert_true(row > 50);
    /* Without the rowid range kwrank refuses to run. */
    assert_int_not_equal(sqlite3_exec(g_db,
                                      "SELECT kwrank(r) FROM r WHERE r "
                                      "MATCH '공모'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
}

/* 6,000 rows; '드문' in every fourth of the first 4,096 only (1,024
 * rows).  The scan stops at the 1,024th, rowid 4,096, and scales: 1,024
 * * 6,000 / 4,096 = 1,500 rows estimated.  With a single phrase the
 * score is IDF times a part both functions share, so kwrank / bm25 is
 * idf(1500) / idf(1024).  '고른' in every fourth row of all 6,000 is
 * estimated exactly (1,500), so there the two agree. */
static void test_sampled_document_frequency(void **state)
{
    sqlite3_stmt *s = NULL;
    double want, ratio;

    (void)state;
    exec("CREATE VIRTUAL TABLE big USING fts5(x, tokenize='kowatch');"
         "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
         "  WHERE i < 6000) "
         "INSERT INTO big(rowid, x) SELECT i, "
         "  CASE WHEN i % 4 = 0 AND i <= 4096 THEN '드문 ' ELSE '' END || "
         "  CASE WHEN i % 4 = 0 THEN '고른 ' ELSE '' END || '기사 ' || i "
         "FROM c");
    assert_int_equal(
        sqlite3_prepare_v2(g_db,
                           "SELECT kwrank(big, 1, 6000, 0) / bm25(big) "
                           "FROM big WHERE big MATCH ?1 LIMIT 1",
                           -1, &s, NULL),
        SQLITE_OK);
    sqlite3_bind_text(s, 1, "드문", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    ratio = sqlite3_column_double(s, 0);
    want = log((6000.0 - 1500.0 + 0.5) / 1500.5) /
           log((6000.0 - 1024.0 + 0.5) / 1024.5);
    if (fabs(ratio - want) > 1e-9)
        fail_msg("ratio %.12g, want %.12g", ratio, want);
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, "고른", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    ratio = sqlite3_column_double(s, 0);
    if (fabs(ratio - 1.0) > 1e-9)
        fail_msg("even spread: ratio %.12g, want 1", ratio);
    sqlite3_finalize(s);
}

static void test_kwcol(void **state)
{
    sqlite3_stmt *s = NULL;
    static const struct {
        const char *match;
        int col;
    } cases[] = {
        {"네이버", 1},  /* title and text: the text */
        {"공모", 2},    /* attachments only */
        {"제목만", 0},  /* title only */
        {"본문에", 1},  /* text only */
    };
    size_t i;

    (void)state;
    exec("CREATE VIRTUAL TABLE c3 USING fts5(title, text, att, "
         "tokenize='kowatch');"
         "INSERT INTO c3 VALUES ('네이버 제목만', '네이버가 본문에', "
         "'첨부 공모')");
    assert_int_equal(sqlite3_prepare_v2(g_db,
                                        "SELECT kwcol(c3) FROM c3 WHERE c3 "
                                        "MATCH ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sqlite3_bind_text(s, 1, cases[i].match, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        if (sqlite3_column_int(s, 0) != cases[i].col)
            fail_msg("%s: column %d, want %d", cases[i].match,
                     sqlite3_column_int(s, 0), cases[i].col);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equals_bm25),
        cmocka_unit_test(test_first_n_rows),
        cmocka_unit_test(test_sampled_document_frequency),
        cmocka_unit_test(test_kwcol),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
