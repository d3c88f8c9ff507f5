/*
 * digest.c -- the day queries behind the daily digest (issue 7): the
 * articles of a range grouped by story cluster with their source and
 * entities, counts per source and per entity, and each entity's daily
 * article volume for the digest's 30-day chart.
 *
 * An article's date is its published time, else its fetch time: the
 * expression of the articles_when index, so every range here is an index
 * range scan.  Statements are prepared per call (a digest runs them once)
 * and stay out of the handle's statement cache, whose slots belong to
 * store_int.h.  Every statement is static text with bound parameters.
 */
#include <string.h>

#include "kw/store_digest.h"
#include "store_int.h"

/* The date of an article, as indexed by articles_when. */
#define WHEN_A "COALESCE(NULLIF(a.published_at, 0), a.fetched_at)"

/* Prepares @sql uncached; on failure records the error on @st. */
static kw_err prep(kw_store *st, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);

    if (rc != SQLITE_OK) {
        sqlite3_finalize(*out);
        *out = NULL;
        return kw__store_fail(st, rc, "prepare");
    }
    return KW_OK;
}

kw_err kw_store_digest_articles(kw_store *st, int64_t from, int64_t to,
                                kw_digest_article_cb cb, void *ud)
{
    static const char sql[] =
        "WITH d AS (SELECT a.id AS id, COALESCE(a.cluster, a.id) AS c, "
        "a.title AS title, a.url AS url, s.name AS src, "
        "a.published_at AS pub, a.published_offset AS off, " WHEN_A
        " AS w FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE " WHEN_A " >= ?1 AND " WHEN_A " < ?2) "
        "SELECT id, c, title, url, src, pub, off, w, "
        "(SELECT group_concat(entity_id, ',') FROM (SELECT m.entity_id "
        "FROM mentions m WHERE m.article_id = d.id "
        "ORDER BY m.count DESC, m.entity_id)), "
        "MIN(w) OVER (PARTITION BY c) AS cw "
        "FROM d ORDER BY cw, c, w, id";
    sqlite3_stmt *s = NULL;
    kw_digest_article a;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, from, &rc);
    kw__store_bind_int64(s, 2, to, &rc);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        memset(&a, 0, sizeof(a));
        a.id = (int64_t)sqlite3_column_int64(s, 0);
        a.cluster = (int64_t)sqlite3_column_int64(s, 1);
        a.title = kw__store_col_text(s, 2);
        a.url = kw__store_col_text(s, 3);
        a.source = kw__store_col_text(s, 4);
        a.published_at = (int64_t)sqlite3_column_int64(s, 5);
        a.published_offset = sqlite3_column_int(s, 6);
        a.at = (int64_t)sqlite3_column_int64(s, 7);
        a.entities = kw__store_col_text(s, 8);
        err = cb(&a, ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read the day's articles");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

/* Runs the bound grouped-count statement @s (columns key, name, n) and
 * passes each row to @cb as @kind; finalizes @s. */
static kw_err each_count(kw_store *st, sqlite3_stmt *s, int rc,
                         kw_digest_count_kind kind, kw_digest_count_cb cb,
                         void *ud)
{
    kw_err err = KW_OK;

    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        const char *key;

        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        key = kw__store_col_text(s, 0);
        err = cb(kind, key ? key : "", kw__store_col_text(s, 1),
                 (int64_t)sqlite3_column_int64(s, 2), ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot count the day's articles");
    sqlite3_finalize(s);
    return err;
}

kw_err kw_store_digest_counts(kw_store *st, int64_t from, int64_t to,
                              kw_digest_count_cb cb, void *ud,
                              int64_t *total)
{
    static const char sql_total[] =
        "SELECT COUNT(*) FROM articles a WHERE " WHEN_A " >= ?1 AND " WHEN_A
        " < ?2";
    static const char sql_src[] =
        "SELECT s.name, s.name, COUNT(*) FROM articles a "
        "LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE " WHEN_A " >= ?1 AND " WHEN_A " < ?2 "
        "GROUP BY s.name ORDER BY 3 DESC, 1";
    static const char sql_ent[] =
        "SELECT m.entity_id, e.name, COUNT(*) FROM articles a "
        "JOIN mentions m ON m.article_id = a.id "
        "JOIN entities e ON e.id = m.entity_id "
        "WHERE " WHEN_A " >= ?1 AND " WHEN_A " < ?2 "
        "GROUP BY m.entity_id ORDER BY 3 DESC, 1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    if (total) {
        *total = 0;
        err = prep(st, sql_total, &s);
        if (err)
            return err;
        kw__store_bind_int64(s, 1, from, &rc);
        kw__store_bind_int64(s, 2, to, &rc);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            *total = (int64_t)sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        if (rc != SQLITE_ROW)
            return kw__store_fail(st, rc, "cannot count the day's articles");
        rc = SQLITE_OK;
    }
    err = prep(st, sql_src, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, from, &rc);
    kw__store_bind_int64(s, 2, to, &rc);
    err = each_count(st, s, rc, KW_DIGEST_BY_SOURCE, cb, ud);
    if (err)
        return err == KW_EDONE ? KW_OK : err;
    rc = SQLITE_OK;
    err = prep(st, sql_ent, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, from, &rc);
    kw__store_bind_int64(s, 2, to, &rc);
    err = each_count(st, s, rc, KW_DIGEST_BY_ENTITY, cb, ud);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_digest_volume(kw_store *st, int64_t from, int64_t to,
                              int offset_min, kw_digest_volume_cb cb,
                              void *ud)
{
    static const char sql[] =
        "SELECT m.entity_id, e.name, (" WHEN_A " + ?3) / 86400 AS day, "
        "COUNT(*) FROM articles a JOIN mentions m ON m.article_id = a.id "
        "JOIN entities e ON e.id = m.entity_id "
        "WHERE " WHEN_A " >= ?1 AND " WHEN_A " < ?2 "
        "GROUP BY m.entity_id, day ORDER BY m.entity_id, day";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, from, &rc);
    kw__store_bind_int64(s, 2, to, &rc);
    kw__store_bind_int64(s, 3, (int64_t)offset_min * 60, &rc);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        err = cb(kw__store_col_text(s, 0), kw__store_col_text(s, 1),
                 (int64_t)sqlite3_column_int64(s, 2),
                 (int64_t)sqlite3_column_int64(s, 3), ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read the article volume");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_fetch_get(kw_store *st, int64_t fetch_id, kw_fetch_cb cb,
                          void *ud)
{
    static const char sql[] =
        "SELECT f.id, f.url_id, u.url, f.status, f.content_type, "
        "f.warc_file, f.warc_offset, f.warc_length, f.at "
        "FROM fetches f JOIN urls u ON u.id = f.url_id WHERE f.id = ?1";
    sqlite3_stmt *s = NULL;
    kw_fetch_row f;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, fetch_id, &rc);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(&f, 0, sizeof(f));
        f.id = (int64_t)sqlite3_column_int64(s, 0);
        f.url_id = (int64_t)sqlite3_column_int64(s, 1);
        f.url = kw__store_col_text(s, 2);
        f.status = sqlite3_column_int(s, 3);
        f.content_type = kw__store_col_text(s, 4);
        f.warc_file = kw__store_col_text(s, 5);
        f.warc_offset = (int64_t)sqlite3_column_int64(s, 6);
        f.warc_length = (int64_t)sqlite3_column_int64(s, 7);
        f.at = (int64_t)sqlite3_column_int64(s, 8);
        err = cb(&f, ud);
    } else if (rc == SQLITE_DONE) {
        err = kw__store_failf(st, KW_ENOTFOUND, "no fetch %lld",
                              (long long)fetch_id);
    } else {
        err = kw__store_fail(st, rc, "cannot read the fetch");
    }
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}
