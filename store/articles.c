/*
 * articles.c -- articles, their attachments and their full-text index:
 * upsert with change detection, filtered listing, and FTS5 search with
 * BM25 ranking and snippets.
 *
 * articles_fts is an external-content FTS5 table over articles(title,
 * text); the triggers of migration 1 keep it in step, so this file only
 * writes to articles.  Filters are written as "(?N = 0 OR ...)" so every
 * statement is static and cached.
 */
#include <math.h>
#include <string.h>

#include "store_int.h"

/* ---- Writing ----------------------------------------------------------- */

/* Finds the article of @url_id: *id 0 if none. */
static kw_err article_find(kw_store *st, int64_t url_id, int64_t *id,
                           uint64_t *hash)
{
    static const char sql[] =
        "SELECT id, content_hash FROM articles WHERE url_id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    *id = 0;
    *hash = 0;
    err = kw__store_prepare(st, KW_SLOT_ARTICLE_FIND, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, url_id, &rc);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = (int64_t)sqlite3_column_int64(s, 0);
        *hash = (uint64_t)sqlite3_column_int64(s, 1);
    } else if (rc != SQLITE_DONE) {
        err = kw__store_fail(st, rc, "cannot read the article");
    }
    kw__store_release(st, KW_SLOT_ARTICLE_FIND, s);
    return err;
}

/* Binds the article columns shared by INSERT and UPDATE as ?2..?17. */
static void bind_article(sqlite3_stmt *s, const kw_article_rec *a,
                         uint64_t hash, int64_t now, int *rc)
{
    kw__store_bind_id(s, 2, a->source_id, rc);
    kw__store_bind_id(s, 3, a->fetch_id, rc);
    kw__store_bind_text(s, 4, a->url, rc);
    kw__store_bind_text(s, 5, a->canonical_url, rc);
    kw__store_bind_text(s, 6, a->kind ? a->kind : "article", rc);
    kw__store_bind_text(s, 7, a->title, rc);
    kw__store_bind_int64(s, 8, a->published_at, rc);
    kw__store_bind_int64(s, 9, a->published_offset, rc);
    kw__store_bind_text(s, 10, a->byline, rc);
    kw__store_bind_text(s, 11, a->site, rc);
    kw__store_bind_text(s, 12, a->department, rc);
    kw__store_bind_text(s, 13, a->lang, rc);
    kw__store_bind_text(s, 14, a->text ? a->text : "", rc);
    kw__store_bind_int64(s, 15, (int64_t)hash, rc);
    kw__store_bind_int64(s, 16, a->fetched_at ? a->fetched_at : now, rc);
    kw__store_bind_int64(s, 17, now, rc);
}

/* Replaces the attachments of article @id. */
static kw_err put_attachments(kw_store *st, int64_t id,
                              const char *const *names,
                              const char *const *urls, size_t n)
{
    static const char del_sql[] =
        "DELETE FROM attachments WHERE article_id = ?1";
    static const char ins_sql[] =
        "INSERT INTO attachments (article_id, name, url) "
        "VALUES (?1, ?2, ?3)";
    sqlite3_stmt *s = NULL;
    kw_err err;
    size_t i;
    int rc = SQLITE_OK;

    err = kw__store_prepare(st, KW_SLOT_ATT_DELETE, del_sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    err = kw__store_write(st, KW_SLOT_ATT_DELETE, s, rc,
                          "cannot replace attachments", NULL);
    for (i = 0; !err && i < n; i++) {
        if (!urls[i])
            continue; /* an attachment without a URL is not worth keeping */
        rc = SQLITE_OK;
        err = kw__store_prepare(st, KW_SLOT_ATT_INSERT, ins_sql, &s);
        if (err)
            break;
        kw__store_bind_int64(s, 1, id, &rc);
        kw__store_bind_text(s, 2, names ? names[i] : NULL, &rc);
        kw__store_bind_text(s, 3, urls[i], &rc);
        err = kw__store_write(st, KW_SLOT_ATT_INSERT, s, rc,
                              "cannot add an attachment", NULL);
    }
    return err;
}

/* Inserts a new article; *id gets its id.  Its cluster starts as itself. */
static kw_err article_insert(kw_store *st, const kw_article_rec *a,
                             uint64_t hash, int64_t now, int64_t *id)
{
    static const char ins_sql[] =
        "INSERT INTO articles (url_id, source_id, fetch_id, url, "
        "canonical_url, kind, title, published_at, published_offset, "
        "byline, site, department, lang, text, content_hash, fetched_at, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16, ?17)";
    static const char cluster_sql[] =
        "UPDATE articles SET cluster = id WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    *id = 0;
    err = kw__store_prepare(st, KW_SLOT_ARTICLE_INSERT, ins_sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, a->url_id, &rc);
    bind_article(s, a, hash, now, &rc);
    err = kw__store_write(st, KW_SLOT_ARTICLE_INSERT, s, rc,
                          "cannot store the article", NULL);
    if (err)
        return err;
    *id = (int64_t)sqlite3_last_insert_rowid(st->db);
    rc = SQLITE_OK;
    err = kw__store_prepare(st, KW_SLOT_ARTICLE_CLUSTER, cluster_sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, *id, &rc);
    return kw__store_write(st, KW_SLOT_ARTICLE_CLUSTER, s, rc,
                           "cannot store the article", NULL);
}

/* Rewrites article @id; the FTS trigger replaces its index entry. */
static kw_err article_update(kw_store *st, int64_t id,
                             const kw_article_rec *a, uint64_t hash,
                             int64_t now)
{
    static const char sql[] =
        "UPDATE articles SET source_id = ?2, fetch_id = ?3, url = ?4, "
        "canonical_url = ?5, kind = ?6, title = ?7, published_at = ?8, "
        "published_offset = ?9, byline = ?10, site = ?11, "
        "department = ?12, lang = ?13, text = ?14, content_hash = ?15, "
        "fetched_at = ?16, updated_at = ?17 WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = kw__store_prepare(st, KW_SLOT_ARTICLE_UPDATE, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    bind_article(s, a, hash, now, &rc);
    return kw__store_write(st, KW_SLOT_ARTICLE_UPDATE, s, rc,
                           "cannot update the article", NULL);
}

kw_err kw_store_article_put(kw_store *st, const kw_article_rec *a,
                            const char *const *att_names,
                            const char *const *att_urls, size_t n_att,
                            int64_t *id, int *changed)
{
    uint64_t hash, old_hash;
    int64_t aid = 0;
    int64_t now = kw_now();
    kw_err err;

    if (id)
        *id = 0;
    if (changed)
        *changed = 0;
    if (a->url_id <= 0 || !a->url || !*a->url)
        return kw__store_failf(st, KW_EINVAL,
                               "an article needs its URL and URL id");
    if (n_att && !att_urls)
        return kw__store_failf(st, KW_EINVAL, "attachments without URLs");
    hash = kw__store_content_hash(a->title, a->text);

    err = kw_store_begin(st);
    if (err)
        return err;
    err = article_find(st, a->url_id, &aid, &old_hash);
    if (err)
        goto fail;
    if (aid && old_hash == hash) {
        /* Unchanged: nothing is written. */
        err = kw_store_commit(st);
        if (err)
            return err;
        if (id)
            *id = aid;
        return KW_OK;
    }
    if (aid)
        err = article_update(st, aid, a, hash, now);
    else
        err = article_insert(st, a, hash, now, &aid);
    if (err)
        goto fail;
    err = put_attachments(st, aid, att_names, att_urls, n_att);
    if (!err)
        err = kw__store_attachments_refresh(st, aid);
    if (err)
        goto fail;
    err = kw_store_commit(st);
    if (err)
        return err;
    if (id)
        *id = aid;
    if (changed)
        *changed = 1;
    return KW_OK;
fail:
    kw_store_rollback(st);
    return err;
}

/* ---- Reading ----------------------------------------------------------- */

#define ARTICLE_COLS                                                       \
    "a.id, a.url_id, a.source_id, a.fetch_id, a.url, a.canonical_url, "    \
    "a.kind, a.title, a.published_at, a.published_offset, a.byline, "      \
    "a.site, a.department, a.lang, a.text, s.name, a.fetched_at, "         \
    "COALESCE(a.cluster, a.id), a.attachments_text"

/* The date an article is listed and filtered by: published, else
 * fetched (an article whose date is unknown still has a place). */
#define ARTICLE_WHEN "COALESCE(NULLIF(a.published_at, 0), a.fetched_at)"

/* Filter parameters: ?1 since, ?2 until, ?3 source name, ?4 entity. */
#define ARTICLE_FILTER                                                     \
    "(?1 = 0 OR " ARTICLE_WHEN " >= ?1) "                                  \
    "AND (?2 = 0 OR " ARTICLE_WHEN " < ?2) "                               \
    "AND (?3 IS NULL OR s.name = ?3) "                                     \
    "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM mentions m "                 \
    "  WHERE m.article_id = a.id AND m.entity_id = ?4)) "

/* Binds @f as ?1..?4 and its limit as ?5 (-1: none). */
static void bind_filter(sqlite3_stmt *s, const kw_article_filter *f,
                        int with_limit, int *rc)
{
    static const kw_article_filter none = {0, 0, NULL, NULL, 0};

    if (!f)
        f = &none;
    kw__store_bind_int64(s, 1, f->since, rc);
    kw__store_bind_int64(s, 2, f->until, rc);
    kw__store_bind_text(s, 3, f->source, rc);
    kw__store_bind_text(s, 4, f->entity, rc);
    if (with_limit)
        kw__store_bind_int64(s, 5, f->limit ? (int64_t)f->limit : -1, rc);
}

/* Steps @s (ARTICLE_COLS rows) and calls @cb with each; releases @s. */
static kw_err each_article(kw_store *st, enum kw__store_slot slot,
                           sqlite3_stmt *s, int rc, kw_article_cb cb,
                           void *ud, int *n_rows)
{
    kw_article_rec a;
    kw_err err = KW_OK;

    *n_rows = 0;
    if (rc != SQLITE_OK) {
        err = kw__store_fail(st, rc, "cannot read articles");
        goto done;
    }
    for (;;) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            err = kw__store_fail(st, rc, "cannot read articles");
            goto done;
        }
        (*n_rows)++;
        memset(&a, 0, sizeof(a));
        a.id = (int64_t)sqlite3_column_int64(s, 0);
        a.url_id = (int64_t)sqlite3_column_int64(s, 1);
        a.source_id = (int64_t)sqlite3_column_int64(s, 2);
        a.fetch_id = (int64_t)sqlite3_column_int64(s, 3);
        a.url = kw__store_col_text(s, 4);
        a.canonical_url = kw__store_col_text(s, 5);
        a.kind = kw__store_col_text(s, 6);
        a.title = kw__store_col_text(s, 7);
        a.published_at = (int64_t)sqlite3_column_int64(s, 8);
        a.published_offset = sqlite3_column_int(s, 9);
        a.byline = kw__store_col_text(s, 10);
        a.site = kw__store_col_text(s, 11);
        a.department = kw__store_col_text(s, 12);
        a.lang = kw__store_col_text(s, 13);
        a.text = kw__store_col_text(s, 14);
        a.source_name = kw__store_col_text(s, 15);
        a.fetched_at = (int64_t)sqlite3_column_int64(s, 16);
        a.cluster = (int64_t)sqlite3_column_int64(s, 17);
        a.attachments_text = kw__store_col_text(s, 18);
        err = cb(&a, ud);
        if (err)
            break;
    }
done:
    kw__store_release(st, slot, s);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_article_each(kw_store *st, const kw_article_filter *f,
                             kw_article_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT " ARTICLE_COLS " FROM articles a "
        "LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE " ARTICLE_FILTER
        "ORDER BY " ARTICLE_WHEN " DESC, a.id DESC LIMIT ?5";
    sqlite3_stmt *s = NULL;
    int n_rows;
    kw_err err;
    int rc = SQLITE_OK;

    err = kw__store_prepare(st, KW_SLOT_ARTICLE_EACH, sql, &s);
    if (err)
        return err;
    bind_filter(s, f, 1, &rc);
    return each_article(st, KW_SLOT_ARTICLE_EACH, s, rc, cb, ud, &n_rows);
}

kw_err kw_store_article_get(kw_store *st, int64_t id, kw_article_cb cb,
                            void *ud)
{
    static const char sql[] =
        "SELECT " ARTICLE_COLS " FROM articles a "
        "LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?1";
    sqlite3_stmt *s = NULL;
    int n_rows;
    kw_err err;
    int rc = SQLITE_OK;

    err = kw__store_prepare(st, KW_SLOT_ARTICLE_GET, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    err = each_article(st, KW_SLOT_ARTICLE_GET, s, rc, cb, ud, &n_rows);
    if (!err && n_rows == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no article with id %lld",
                              (long long)id);
    return err;
}

kw_err kw_store_article_count(kw_store *st, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM articles";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc;

    *out = 0;
    err = kw__store_prepare(st, KW_SLOT_ARTICLE_COUNT, sql, &s);
    if (err)
        return err;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = (int64_t)sqlite3_column_int64(s, 0);
    else
        err = kw__store_fail(st, rc, "cannot count articles");
    kw__store_release(st, KW_SLOT_ARTICLE_COUNT, s);
    return err;
}

/* ---- Search ------------------------------------------------------------ */

/* A search without filters ranks only this many of its newest matches;
 * a query matching more is one that names no particular story ('발표',
 * '기업'), where the newest coverage is what a monitor is for; one naming
 * a company or a programme matches fewer and is ranked whole.  The same
 * pass counts on, without ranking, up to KW_SEARCH_COUNT_CAP matches;
 * past that the total is estimated (kw_store_search_total_exact()). */
#define KW_SEARCH_RANK_WINDOW 2000
#define KW_SEARCH_COUNT_CAP 10000

/* The ranking: kwrank() (store/rank.c) is BM25 with the title weighted
 * 10, the text 1 and the attachments' text 0.5; ?8 and ?9 are the
 * smallest and largest article ids, which it needs to scale the
 * document frequencies it samples. */
#define SEARCH_RANK(n) "kwrank(articles_fts, ?8, ?9, " n ", 10.0, 1.0, 0.5)"

/* The FROM and WHERE of a search: ?6 is the MATCH expression. */
#define SEARCH_FROM_WHERE                                                  \
    " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "     \
    "LEFT JOIN sources s ON s.id = a.source_id "                           \
    "WHERE articles_fts MATCH ?6 AND " ARTICLE_FILTER

/* A column's snippet (0 title, 1 text, 2 attachments' text), with
 * \x02 \x03 around matches.  kwcol() picks the column: the text when
 * the text matched, else the attachments' text, else the title. */
#define SNIPPET(col) \
    "snippet(articles_fts, " #col ", char(2), char(3), '\xe2\x80\xa6', 24)"

/* The outer query of a search: snippets for the ranked rows of top, then
 * @extra columns.  snippet() needs a MATCH cursor on the row, so the
 * match runs again, but only over the rowids between top's first and
 * last (FTS5 seeks there); looking the few rows up one by one instead
 * set the whole expression up again for each. */
#define SEARCH_OUTER(extra)                                                \
    "SELECT a.id, a.url, a.title, a.published_at, a.published_offset, "    \
    "s.name, CASE kwcol(articles_fts) WHEN 1 THEN " SNIPPET(1)            \
    " WHEN 2 THEN " SNIPPET(2) " ELSE " SNIPPET(0) " END, -top.rank"     \
    extra " "                                                              \
    "FROM articles_fts CROSS JOIN top ON top.id = articles_fts.rowid "     \
    "JOIN articles a ON a.id = top.id "                                    \
    "LEFT JOIN sources s ON s.id = a.source_id "                           \
    "WHERE articles_fts MATCH ?6 "                                         \
    "AND articles_fts.rowid >= (SELECT min(id) FROM top) "                 \
    "AND articles_fts.rowid <= (SELECT max(id) FROM top) "                 \
    "ORDER BY top.rank, top.id"

/* Maps a failure of a search statement: a malformed MATCH expression is
 * the caller's (KW_EINVAL), anything else the database's. */
static kw_err search_fail(kw_store *st, int rc)
{
    const char *msg = sqlite3_errmsg(st->db);
    kw_err err = kw__store_fail(st, rc, "search");

    if (rc == SQLITE_ERROR || strncmp(msg, "fts5:", 5) == 0)
        return kw__store_failf(st, KW_EINVAL, "invalid search: %s", msg);
    return err;
}

/* The smallest and largest article ids, for kwrank(). */
static kw_err id_range(kw_store *st, int64_t *lo, int64_t *hi)
{
    static const char sql[] = "SELECT min(id), max(id) FROM articles";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc;

    *lo = *hi = 0;
    err = kw__store_prepare(st, KW_SLOT_ARTICLE_ID_RANGE, sql, &s);
    if (err)
        return err;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *lo = (int64_t)sqlite3_column_int64(s, 0);
        *hi = (int64_t)sqlite3_column_int64(s, 1);
    } else {
        err = kw__store_fail(st, rc, "search");
    }
    kw__store_release(st, KW_SLOT_ARTICLE_ID_RANGE, s);
    return err;
}

/* The total of a search that reached KW_SEARCH_COUNT_CAP matches, the
 * oldest of them @last: the matches' density over the newest ids, times
 * all ids, to two significant digits (it is an estimate). */
static int64_t estimate_total(int64_t lo, int64_t hi, int64_t last)
{
    double n = (double)KW_SEARCH_COUNT_CAP * (double)(hi - lo + 1) /
               (double)(hi - last + 1);
    double unit = 1.0;

    while (n / unit >= 100.0)
        unit *= 10.0;
    n = floor(n / unit + 0.5) * unit;
    return n < KW_SEARCH_COUNT_CAP ? KW_SEARCH_COUNT_CAP : (int64_t)n;
}

int kw_store_search_total_exact(const kw_store *st)
{
    return st->is_total_exact;
}

kw_err kw_store_search(kw_store *st, const char *match,
                       const kw_article_filter *f, kw_search_cb cb,
                       void *ud, int64_t *total)
{
    /* With filters, every match passing them is ranked (the join reads
     * an article row per match to test them) and counted exactly. */
    static const char sql[] =
        "WITH top(id, rank) AS (SELECT a.id, " SEARCH_RANK("0")
        SEARCH_FROM_WHERE "ORDER BY 2, a.id LIMIT ?5) " SEARCH_OUTER("");
    static const char count_sql[] = "SELECT count(*)" SEARCH_FROM_WHERE;
    /* Without filters, one pass inside the index over the newest matches
     * (FTS5 reads them in rowid order and stops after the limit) ranks
     * the first KW_SEARCH_RANK_WINDOW and counts on to the cap; the
     * count and the oldest id counted come with every row. */
    static const char fast_sql[] =
        "WITH cand(id, rank) AS MATERIALIZED (SELECT rowid, "
        SEARCH_RANK("?7") " FROM articles_fts "
        "WHERE articles_fts MATCH ?6 ORDER BY rowid DESC LIMIT ?10), "
        "top(id, rank) AS (SELECT id, rank FROM cand "
        "WHERE rank IS NOT NULL ORDER BY 2, id LIMIT ?5) "
        SEARCH_OUTER(", (SELECT count(*) FROM cand), "
                     "(SELECT min(id) FROM cand)");
    int is_fast = !f || (!f->since && !f->until && !f->source && !f->entity);
    enum kw__store_slot slot = is_fast ? KW_SLOT_SEARCH_FAST : KW_SLOT_SEARCH;
    sqlite3_stmt *s = NULL;
    int64_t lo, hi, n_cand = 0, last = 0;
    kw_search_hit h;
    kw_err err;
    int rc = SQLITE_OK;

    if (total)
        *total = 0;
    st->is_total_exact = 1;
    if (!match || !*match)
        return kw__store_failf(st, KW_EINVAL, "empty search");
    err = id_range(st, &lo, &hi);
    if (err)
        return err;

    if (!is_fast) {
        /* Counting first also validates the expression before any
         * callback. */
        err = kw__store_prepare(st, KW_SLOT_SEARCH_COUNT, count_sql, &s);
        if (err)
            return err;
        bind_filter(s, f, 0, &rc);
        kw__store_bind_text(s, 6, match, &rc);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            n_cand = (int64_t)sqlite3_column_int64(s, 0);
        else
            err = search_fail(st, rc);
        kw__store_release(st, KW_SLOT_SEARCH_COUNT, s);
        if (err)
            return err;
        rc = SQLITE_OK;
    }

    err = kw__store_prepare(st, slot, is_fast ? fast_sql : sql, &s);
    if (err)
        return err;
    if (is_fast) {
        kw__store_bind_int64(s, 5, f && f->limit ? (int64_t)f->limit : -1,
                             &rc);
        kw__store_bind_int64(s, 7, KW_SEARCH_RANK_WINDOW, &rc);
        kw__store_bind_int64(s, 10, KW_SEARCH_COUNT_CAP, &rc);
    } else {
        bind_filter(s, f, 1, &rc);
    }
    kw__store_bind_int64(s, 8, lo, &rc);
    kw__store_bind_int64(s, 9, hi, &rc);
    kw__store_bind_text(s, 6, match, &rc);
    if (rc != SQLITE_OK) {
        err = kw__store_fail(st, rc, "search");
        goto done;
    }
    for (;;) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            err = search_fail(st, rc);
            goto done;
        }
        if (is_fast) {
            n_cand = (int64_t)sqlite3_column_int64(s, 8);
            last = (int64_t)sqlite3_column_int64(s, 9);
        }
        memset(&h, 0, sizeof(h));
        h.id = (int64_t)sqlite3_column_int64(s, 0);
        h.url = kw__store_col_text(s, 1);
        h.title = kw__store_col_text(s, 2);
        h.published_at = (int64_t)sqlite3_column_int64(s, 3);
        h.published_offset = sqlite3_column_int(s, 4);
        h.source = kw__store_col_text(s, 5);
        h.snippet = kw__store_col_text(s, 6);
        h.score = sqlite3_column_double(s, 7);
        err = cb(&h, ud);
        if (err)
            break;
    }
done:
    kw__store_release(st, slot, s);
    if (err && err != KW_EDONE)
        return err;
    if (is_fast && n_cand >= KW_SEARCH_COUNT_CAP) {
        n_cand = estimate_total(lo, hi, last);
        st->is_total_exact = 0;
    }
    if (total)
        *total = n_cand;
    return KW_OK;
}

kw_err kw_store_fts_check(kw_store *st)
{
    /* rank = 1 also compares the index with the articles table. */
    static const char sql[] =
        "INSERT INTO articles_fts (articles_fts, rank) "
        "VALUES ('integrity-check', 1)";
    sqlite3_stmt *s = NULL;
    kw_err err;

    err = kw__store_prepare(st, KW_SLOT_FTS_CHECK, sql, &s);
    if (err)
        return err;
    return kw__store_write(st, KW_SLOT_FTS_CHECK, s, SQLITE_OK,
                           "full-text index check failed", NULL);
}
