/*
 * frontier.c -- sources, the crawl frontier (urls), fetch records and the
 * per-host robots.txt cache.
 *
 * Every statement is a static, cached prepared statement; values are
 * bound, never formatted into SQL.  Multi-statement writes run inside a
 * (nested) kw_store transaction so a crash leaves all or nothing.
 */
#include <string.h>

#include "store_int.h"

/* ---- Source kinds ------------------------------------------------------ */

static const char *const kind_names[] = {
    NULL, "rss", "atom", "sitemap", "list", "page",
};
#define N_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *kw_source_kind_name(kw_source_kind k)
{
    if ((size_t)k == 0 || (size_t)k >= N_KINDS)
        return "unknown";
    return kind_names[k];
}

kw_err kw_source_kind_parse(const char *s, kw_source_kind *out)
{
    size_t i;

    *out = (kw_source_kind)0;
    if (!s)
        return KW_EINVAL;
    for (i = 1; i < N_KINDS; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (kw_source_kind)i;
            return KW_OK;
        }
    }
    return KW_EINVAL;
}

/* ---- Sources ----------------------------------------------------------- */

#define SOURCE_COLS                                                        \
    "id, name, url, kind, every_s, link_pattern, next_pattern, list_depth, " \
    "detail_template, charset, created_at, last_fetch_at, "               \
    "last_success_at, last_error_at, last_error, error_count, "           \
    "items_total, next_due_at, attachment_template, attachment_post"

kw_err kw_store_source_add(kw_store *st, const kw_source *src,
                           int64_t *id_out)
{
    static const char sql[] =
        "INSERT INTO sources (name, url, kind, every_s, link_pattern, "
        "next_pattern, list_depth, detail_template, charset, created_at, "
        "attachment_template, attachment_post) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    if (id_out)
        *id_out = 0;
    if (!src->name || !*src->name || !src->url || !*src->url)
        return kw__store_failf(st, KW_EINVAL, "a source needs a name and "
                                              "a URL");
    if ((size_t)src->kind == 0 || (size_t)src->kind >= N_KINDS)
        return kw__store_failf(st, KW_EINVAL, "source %s: invalid kind %d",
                               src->name, (int)src->kind);
    if (src->every_s < 0 || src->list_depth < 0)
        return kw__store_failf(st, KW_EINVAL,
                               "source %s: negative interval or depth",
                               src->name);
    err = kw__store_prepare(st, KW_SLOT_SOURCE_ADD, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, src->name, &rc);
    kw__store_bind_text(s, 2, src->url, &rc);
    kw__store_bind_text(s, 3, kind_names[src->kind], &rc);
    kw__store_bind_int64(s, 4, src->every_s, &rc);
    kw__store_bind_text(s, 5, src->link_pattern, &rc);
    kw__store_bind_text(s, 6, src->next_pattern, &rc);
    kw__store_bind_int64(s, 7, src->list_depth > 0 ? src->list_depth : 1,
                         &rc);
    kw__store_bind_text(s, 8, src->detail_template, &rc);
    kw__store_bind_text(s, 9, src->charset, &rc);
    kw__store_bind_int64(s, 10, kw_now(), &rc);
    kw__store_bind_text(s, 11, src->attachment_template, &rc);
    kw__store_bind_int64(s, 12, src->attachment_post ? 1 : 0, &rc);
    if (rc == SQLITE_OK)
        rc = kw__store_step_done(s);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        err = kw__store_failf(st, KW_EEXIST, "source %s already exists",
                              src->name);
        goto done;
    }
    if (rc != SQLITE_DONE) {
        err = kw__store_fail(st, rc, "cannot add the source");
        goto done;
    }
    if (id_out)
        *id_out = (int64_t)sqlite3_last_insert_rowid(st->db);
done:
    kw__store_release(st, KW_SLOT_SOURCE_ADD, s);
    return err;
}

kw_err kw_store_source_remove(kw_store *st, const char *name)
{
    /* Its URLs stay, but are never due again: nothing polls them. */
    static const char park_sql[] =
        "UPDATE urls SET next_fetch_at = 9223372036854775807 "
        "WHERE source_id = (SELECT id FROM sources WHERE name = ?1)";
    static const char del_sql[] = "DELETE FROM sources WHERE name = ?1";
    sqlite3_stmt *s = NULL;
    int changes = 0;
    kw_err err;
    int rc = SQLITE_OK;

    if (!name)
        return kw__store_failf(st, KW_EINVAL, "no source name given");
    err = kw_store_begin(st);
    if (err)
        return err;
    err = kw__store_prepare(st, KW_SLOT_SOURCE_PARK_URLS, park_sql, &s);
    if (err)
        goto fail;
    kw__store_bind_text(s, 1, name, &rc);
    err = kw__store_write(st, KW_SLOT_SOURCE_PARK_URLS, s, rc,
                          "cannot remove the source", &changes);
    if (err)
        goto fail;
    rc = SQLITE_OK;
    err = kw__store_prepare(st, KW_SLOT_SOURCE_REMOVE, del_sql, &s);
    if (err)
        goto fail;
    kw__store_bind_text(s, 1, name, &rc);
    err = kw__store_write(st, KW_SLOT_SOURCE_REMOVE, s, rc,
                          "cannot remove the source", &changes);
    if (err)
        goto fail;
    if (changes == 0) {
        err = kw__store_failf(st, KW_ENOTFOUND, "no source named %s", name);
        goto fail;
    }
    return kw_store_commit(st);
fail:
    kw_store_rollback(st);
    return err;
}

/* Fills @src from a row of SOURCE_COLS. */
static kw_err row_source(kw_store *st, sqlite3_stmt *s, kw_source *src)
{
    const char *kind = kw__store_col_text(s, 3);

    memset(src, 0, sizeof(*src));
    if (kw_source_kind_parse(kind, &src->kind))
        return kw__store_failf(st, KW_EDB, "source %s has an unknown kind "
                                           "%s",
                               kw__store_col_text(s, 1),
                               kind ? kind : "(null)");
    src->id = (int64_t)sqlite3_column_int64(s, 0);
    src->name = kw__store_col_text(s, 1);
    src->url = kw__store_col_text(s, 2);
    src->every_s = (int64_t)sqlite3_column_int64(s, 4);
    src->link_pattern = kw__store_col_text(s, 5);
    src->next_pattern = kw__store_col_text(s, 6);
    src->list_depth = sqlite3_column_int(s, 7);
    src->detail_template = kw__store_col_text(s, 8);
    src->charset = kw__store_col_text(s, 9);
    src->created_at = (int64_t)sqlite3_column_int64(s, 10);
    src->last_fetch_at = (int64_t)sqlite3_column_int64(s, 11);
    src->last_success_at = (int64_t)sqlite3_column_int64(s, 12);
    src->last_error_at = (int64_t)sqlite3_column_int64(s, 13);
    src->last_error = kw__store_col_text(s, 14);
    src->error_count = (int64_t)sqlite3_column_int64(s, 15);
    src->items_total = (int64_t)sqlite3_column_int64(s, 16);
    src->next_due_at = (int64_t)sqlite3_column_int64(s, 17);
    src->attachment_template = kw__store_col_text(s, 18);
    src->attachment_post = sqlite3_column_int(s, 19) != 0;
    return KW_OK;
}

/*
 * Steps @s (bound by the caller) and calls @cb with each source.  Sets
 * *n_rows to the number of rows seen.  Releases @s.  A callback's
 * KW_EDONE becomes KW_OK.
 */
static kw_err each_source(kw_store *st, enum kw__store_slot slot,
                          sqlite3_stmt *s, int rc, kw_source_cb cb, void *ud,
                          int *n_rows)
{
    kw_source src;
    kw_err err = KW_OK;

    *n_rows = 0;
    if (rc != SQLITE_OK) {
        err = kw__store_fail(st, rc, "cannot read sources");
        goto done;
    }
    for (;;) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            err = kw__store_fail(st, rc, "cannot read sources");
            goto done;
        }
        (*n_rows)++;
        err = row_source(st, s, &src);
        if (err)
            goto done;
        err = cb(&src, ud);
        if (err)
            break;
    }
done:
    kw__store_release(st, slot, s);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_source_each(kw_store *st, kw_source_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT " SOURCE_COLS " FROM sources ORDER BY name";
    sqlite3_stmt *s = NULL;
    int n_rows;
    kw_err err;

    err = kw__store_prepare(st, KW_SLOT_SOURCE_EACH, sql, &s);
    if (err)
        return err;
    return each_source(st, KW_SLOT_SOURCE_EACH, s, SQLITE_OK, cb, ud,
                       &n_rows);
}

kw_err kw_store_source_get(kw_store *st, const char *name, kw_source_cb cb,
                           void *ud)
{
    static const char sql[] =
        "SELECT " SOURCE_COLS " FROM sources WHERE name = ?1";
    sqlite3_stmt *s = NULL;
    int n_rows;
    kw_err err;
    int rc = SQLITE_OK;

    if (!name)
        return kw__store_failf(st, KW_EINVAL, "no source name given");
    err = kw__store_prepare(st, KW_SLOT_SOURCE_GET, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, name, &rc);
    err = each_source(st, KW_SLOT_SOURCE_GET, s, rc, cb, ud, &n_rows);
    if (!err && n_rows == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no source named %s", name);
    return err;
}

kw_err kw_store_source_polled(kw_store *st, int64_t source_id, int64_t at,
                              const char *error, int64_t new_items,
                              int64_t next_due_at)
{
    /* ?3 is the error text or NULL on success.  The last error text is
     * kept after a success; last_error_at says when it happened. */
    static const char sql[] =
        "UPDATE sources SET last_fetch_at = ?2, "
        "last_success_at = CASE WHEN ?3 IS NULL THEN ?2 "
        "  ELSE last_success_at END, "
        "last_error_at = CASE WHEN ?3 IS NULL THEN last_error_at "
        "  ELSE ?2 END, "
        "last_error = COALESCE(?3, last_error), "
        "error_count = CASE WHEN ?3 IS NULL THEN 0 "
        "  ELSE error_count + 1 END, "
        "items_total = items_total + ?4, "
        "next_due_at = ?5 "
        "WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    int changes = 0;
    kw_err err;
    int rc = SQLITE_OK;

    err = kw__store_prepare(st, KW_SLOT_SOURCE_POLLED, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, source_id, &rc);
    kw__store_bind_int64(s, 2, at, &rc);
    kw__store_bind_text(s, 3, error, &rc);
    kw__store_bind_int64(s, 4, new_items, &rc);
    kw__store_bind_int64(s, 5, next_due_at, &rc);
    err = kw__store_write(st, KW_SLOT_SOURCE_POLLED, s, rc,
                          "cannot record the poll", &changes);
    if (!err && changes == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no source with id %lld",
                              (long long)source_id);
    return err;
}

/* ---- Frontier ---------------------------------------------------------- */

#define URL_COLS                                                           \
    "id, source_id, url, role, depth, state, next_fetch_at, etag, "        \
    "last_modified, failures, last_status"

/* Looks up the id of @url; KW_ENOTFOUND if unknown. */
static kw_err url_id(kw_store *st, const char *url, int64_t *out)
{
    static const char sql[] = "SELECT id FROM urls WHERE url = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    *out = 0;
    err = kw__store_prepare(st, KW_SLOT_URL_ID, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, url, &rc);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = (int64_t)sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        err = kw__store_failf(st, KW_ENOTFOUND, "unknown URL %s", url);
    else
        err = kw__store_fail(st, rc, "cannot look up the URL");
    kw__store_release(st, KW_SLOT_URL_ID, s);
    return err;
}

/*
 * A known URL whose source was removed (source_id NULL, parked at
 * INT64_MAX by kw_store_source_remove) is adopted by the source that
 * finds it again, and becomes due.
 */
static kw_err url_adopt(kw_store *st, const char *url, int64_t source_id)
{
    static const char sql[] =
        "UPDATE urls SET source_id = ?2, next_fetch_at = "
        "CASE WHEN next_fetch_at = 9223372036854775807 THEN 0 "
        "ELSE next_fetch_at END "
        "WHERE url = ?1 AND source_id IS NULL";
    sqlite3_stmt *s = NULL;
    int changes;
    kw_err err;
    int rc = SQLITE_OK;

    if (source_id == 0)
        return KW_OK;
    err = kw__store_prepare(st, KW_SLOT_URL_ADOPT, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, url, &rc);
    kw__store_bind_int64(s, 2, source_id, &rc);
    return kw__store_write(st, KW_SLOT_URL_ADOPT, s, rc, "cannot add the URL",
                           &changes);
}

kw_err kw_store_url_add(kw_store *st, int64_t source_id, const char *url,
                        kw_url_role role, int depth, int64_t *id_out,
                        int *is_new)
{
    static const char sql[] =
        "INSERT INTO urls (url, source_id, role, depth, state, "
        "next_fetch_at, discovered_at) VALUES (?1, ?2, ?3, ?4, 1, 0, ?5) "
        "ON CONFLICT (url) DO NOTHING";
    sqlite3_stmt *s = NULL;
    int64_t id = 0;
    int changes = 0;
    kw_err err;
    int rc = SQLITE_OK;

    if (id_out)
        *id_out = 0;
    if (is_new)
        *is_new = 0;
    if (!url || !*url)
        return kw__store_failf(st, KW_EINVAL, "empty URL");
    if (role < KW_ROLE_SEED || role > KW_ROLE_ATTACHMENT_POST)
        return kw__store_failf(st, KW_EINVAL, "invalid URL role %d",
                               (int)role);
    err = kw__store_prepare(st, KW_SLOT_URL_ADD, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, url, &rc);
    kw__store_bind_id(s, 2, source_id, &rc);
    kw__store_bind_int64(s, 3, (int64_t)role, &rc);
    kw__store_bind_int64(s, 4, depth, &rc);
    kw__store_bind_int64(s, 5, kw_now(), &rc);
    err = kw__store_write(st, KW_SLOT_URL_ADD, s, rc, "cannot add the URL",
                          &changes);
    if (err)
        return err;
    if (changes) {
        id = (int64_t)sqlite3_last_insert_rowid(st->db);
    } else {
        err = url_adopt(st, url, source_id);
        if (!err)
            err = url_id(st, url, &id);
        if (err)
            return err;
    }
    if (id_out)
        *id_out = id;
    if (is_new)
        *is_new = changes ? 1 : 0;
    return KW_OK;
}

/* Steps @s and calls @cb with each URL row (URL_COLS).  Releases @s. */
static kw_err each_url(kw_store *st, enum kw__store_slot slot,
                       sqlite3_stmt *s, int rc, kw_url_cb cb, void *ud,
                       int *n_rows)
{
    kw_url u;
    kw_err err = KW_OK;

    *n_rows = 0;
    if (rc != SQLITE_OK) {
        err = kw__store_fail(st, rc, "cannot read URLs");
        goto done;
    }
    for (;;) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            err = kw__store_fail(st, rc, "cannot read URLs");
            goto done;
        }
        (*n_rows)++;
        memset(&u, 0, sizeof(u));
        u.id = (int64_t)sqlite3_column_int64(s, 0);
        u.source_id = (int64_t)sqlite3_column_int64(s, 1);
        u.url = kw__store_col_text(s, 2);
        u.role = (kw_url_role)sqlite3_column_int(s, 3);
        u.depth = sqlite3_column_int(s, 4);
        u.state = (kw_url_state)sqlite3_column_int(s, 5);
        u.next_fetch_at = (int64_t)sqlite3_column_int64(s, 6);
        u.etag = kw__store_col_text(s, 7);
        u.last_modified = kw__store_col_text(s, 8);
        u.failures = sqlite3_column_int(s, 9);
        u.last_status = sqlite3_column_int(s, 10);
        err = cb(&u, ud);
        if (err)
            break;
    }
done:
    kw__store_release(st, slot, s);
    return err == KW_EDONE ? KW_OK : err;
}

/* The due condition shared by kw_store_url_due and _count_due: ?1 now,
 * ?2 source id or 0.  States 1-3 are NEW, OK and RETRY. */
#define URL_DUE_WHERE                                                      \
    "WHERE state IN (1, 2, 3) AND next_fetch_at <= ?1 "                    \
    "AND (?2 = 0 OR source_id = ?2) "

/* Passes rows on to the caller's callback and notes whether it asked to
 * stop, so that the second priority is not read after a stop. */
typedef struct due_ctx {
    kw_url_cb cb;
    void *ud;
    int stopped;
} due_ctx;

static kw_err due_row(const kw_url *u, void *ud)
{
    due_ctx *c = ud;
    kw_err rc = c->cb(u, c->ud);

    if (rc)
        c->stopped = 1;
    return rc;
}

kw_err kw_store_url_due(kw_store *st, int64_t now, int64_t source_id,
                        size_t limit, kw_url_cb cb, void *ud)
{
    /* Seeds, sitemaps and list pages (prio 0) lead to the articles, so
     * they come first; each priority is one range scan of urls_due_prio
     * that stops at the limit. */
    static const char sql[] =
        "SELECT " URL_COLS " FROM urls INDEXED BY urls_due_prio "
        "WHERE state IN (1, 2, 3) AND prio = ?4 AND next_fetch_at <= ?1 "
        "AND (?2 = 0 OR source_id = ?2) "
        "ORDER BY next_fetch_at, id LIMIT ?3";
    due_ctx c = {cb, ud, 0};
    int64_t left = limit ? (int64_t)limit : -1;
    int prio;
    kw_err err = KW_OK;

    for (prio = 0; prio <= 1 && !c.stopped && left != 0; prio++) {
        sqlite3_stmt *s = NULL;
        int n_rows = 0, rc = SQLITE_OK;

        err = kw__store_prepare(st, KW_SLOT_URL_DUE, sql, &s);
        if (err)
            return err;
        kw__store_bind_int64(s, 1, now, &rc);
        kw__store_bind_int64(s, 2, source_id, &rc);
        kw__store_bind_int64(s, 3, left, &rc);
        kw__store_bind_int64(s, 4, prio, &rc);
        err = each_url(st, KW_SLOT_URL_DUE, s, rc, due_row, &c, &n_rows);
        if (err)
            return err;
        if (left > 0)
            left = left > n_rows ? left - n_rows : 0;
    }
    return err;
}

kw_err kw_store_url_get(kw_store *st, const char *url, kw_url_cb cb,
                        void *ud)
{
    static const char sql[] = "SELECT " URL_COLS " FROM urls WHERE url = ?1";
    sqlite3_stmt *s = NULL;
    int n_rows;
    kw_err err;
    int rc = SQLITE_OK;

    if (!url)
        return kw__store_failf(st, KW_EINVAL, "no URL given");
    err = kw__store_prepare(st, KW_SLOT_URL_GET, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, url, &rc);
    err = each_url(st, KW_SLOT_URL_GET, s, rc, cb, ud, &n_rows);
    if (!err && n_rows == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "unknown URL %s", url);
    return err;
}

kw_err kw_store_url_count_due(kw_store *st, int64_t now, int64_t source_id,
                              int64_t *out)
{
    static const char sql[] =
        "SELECT count(*) FROM urls " URL_DUE_WHERE;
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    *out = 0;
    err = kw__store_prepare(st, KW_SLOT_URL_COUNT_DUE, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, now, &rc);
    kw__store_bind_int64(s, 2, source_id, &rc);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = (int64_t)sqlite3_column_int64(s, 0);
    else
        err = kw__store_fail(st, rc, "cannot count due URLs");
    kw__store_release(st, KW_SLOT_URL_COUNT_DUE, s);
    return err;
}

/* ---- Fetches ----------------------------------------------------------- */

kw_err kw_store_fetch_add(kw_store *st, const kw_fetch *f, int64_t *fetch_id)
{
    static const char url_sql[] =
        "UPDATE urls SET state = ?2, next_fetch_at = ?3, "
        "etag = COALESCE(?4, etag), "
        "last_modified = COALESCE(?5, last_modified), "
        "failures = ?6, last_status = ?7, "
        "fetched_at = CASE WHEN ?7 > 0 THEN ?8 ELSE fetched_at END "
        "WHERE id = ?1";
    static const char ins_sql[] =
        "INSERT INTO fetches (url_id, at, status, content_type, bytes, "
        "elapsed_ms, warc_file, warc_offset, warc_length, error) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    sqlite3_stmt *s = NULL;
    int changes = 0;
    kw_err err;
    int rc = SQLITE_OK;

    if (fetch_id)
        *fetch_id = 0;
    if (f->state < KW_URL_NEW || f->state > KW_URL_DENIED)
        return kw__store_failf(st, KW_EINVAL, "invalid URL state %d",
                               (int)f->state);
    err = kw_store_begin(st);
    if (err)
        return err;
    err = kw__store_prepare(st, KW_SLOT_FETCH_URL_UPDATE, url_sql, &s);
    if (err)
        goto fail;
    kw__store_bind_int64(s, 1, f->url_id, &rc);
    kw__store_bind_int64(s, 2, (int64_t)f->state, &rc);
    kw__store_bind_int64(s, 3, f->next_fetch_at, &rc);
    kw__store_bind_text(s, 4, f->etag, &rc);
    kw__store_bind_text(s, 5, f->last_modified, &rc);
    kw__store_bind_int64(s, 6, f->failures, &rc);
    kw__store_bind_int64(s, 7, f->status, &rc);
    kw__store_bind_int64(s, 8, f->at, &rc);
    err = kw__store_write(st, KW_SLOT_FETCH_URL_UPDATE, s, rc,
                          "cannot record the fetch", &changes);
    if (err)
        goto fail;
    if (changes == 0) {
        err = kw__store_failf(st, KW_ENOTFOUND, "no URL with id %lld",
                              (long long)f->url_id);
        goto fail;
    }
    rc = SQLITE_OK;
    err = kw__store_prepare(st, KW_SLOT_FETCH_INSERT, ins_sql, &s);
    if (err)
        goto fail;
    kw__store_bind_int64(s, 1, f->url_id, &rc);
    kw__store_bind_int64(s, 2, f->at, &rc);
    kw__store_bind_int64(s, 3, f->status, &rc);
    kw__store_bind_text(s, 4, f->content_type, &rc);
    kw__store_bind_int64(s, 5, f->bytes, &rc);
    kw__store_bind_int64(s, 6, f->elapsed_ms, &rc);
    kw__store_bind_text(s, 7, f->warc_file, &rc);
    kw__store_bind_int64(s, 8, f->warc_offset, &rc);
    kw__store_bind_int64(s, 9, f->warc_length, &rc);
    kw__store_bind_text(s, 10, f->error, &rc);
    err = kw__store_write(st, KW_SLOT_FETCH_INSERT, s, rc,
                          "cannot record the fetch", &changes);
    if (err)
        goto fail;
    if (fetch_id)
        *fetch_id = (int64_t)sqlite3_last_insert_rowid(st->db);
    err = kw_store_commit(st);
    if (err && fetch_id)
        *fetch_id = 0;
    return err;
fail:
    kw_store_rollback(st);
    return err;
}

kw_err kw_store_fetch_each_latest(kw_store *st, kw_fetch_cb cb, void *ud)
{
    /* Article URLs are those of role ARTICLE (4) and any URL an article
     * was extracted from (a "page" source's seed). */
    static const char sql[] =
        "SELECT f.id, f.url_id, u.url, f.status, f.content_type, "
        "f.warc_file, f.warc_offset, f.warc_length, f.at "
        "FROM urls u JOIN fetches f ON f.id = ("
        "  SELECT f2.id FROM fetches f2 WHERE f2.url_id = u.id "
        "  AND f2.status BETWEEN 200 AND 299 "
        "  ORDER BY f2.at DESC, f2.id DESC LIMIT 1) "
        "WHERE u.role = 4 "
        "OR EXISTS (SELECT 1 FROM articles a WHERE a.url_id = u.id) "
        "ORDER BY u.id";
    sqlite3_stmt *s = NULL;
    kw_fetch_row row;
    kw_err err;
    int rc;

    err = kw__store_prepare(st, KW_SLOT_FETCH_LATEST, sql, &s);
    if (err)
        return err;
    for (;;) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            err = kw__store_fail(st, rc, "cannot read fetches");
            break;
        }
        memset(&row, 0, sizeof(row));
        row.id = (int64_t)sqlite3_column_int64(s, 0);
        row.url_id = (int64_t)sqlite3_column_int64(s, 1);
        row.url = kw__store_col_text(s, 2);
        row.status = sqlite3_column_int(s, 3);
        row.content_type = kw__store_col_text(s, 4);
        row.warc_file = kw__store_col_text(s, 5);
        row.warc_offset = (int64_t)sqlite3_column_int64(s, 6);
        row.warc_length = (int64_t)sqlite3_column_int64(s, 7);
        row.at = (int64_t)sqlite3_column_int64(s, 8);
        err = cb(&row, ud);
        if (err)
            break;
    }
    kw__store_release(st, KW_SLOT_FETCH_LATEST, s);
    return err == KW_EDONE ? KW_OK : err;
}

/* ---- Hosts ------------------------------------------------------------- */

kw_err kw_store_host_get(kw_store *st, const char *origin,
                         kw_err (*cb)(const kw_host_rec *h, void *ud),
                         void *ud)
{
    static const char sql[] =
        "SELECT origin, robots, robots_status, fetched_at, expires_at "
        "FROM hosts WHERE origin = ?1";
    sqlite3_stmt *s = NULL;
    kw_host_rec h;
    kw_err err;
    int rc = SQLITE_OK;

    if (!origin)
        return kw__store_failf(st, KW_EINVAL, "no origin given");
    err = kw__store_prepare(st, KW_SLOT_HOST_GET, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, origin, &rc);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(&h, 0, sizeof(h));
        h.host = kw__store_col_text(s, 0);
        h.robots = kw__store_col_text(s, 1);
        h.robots_status = sqlite3_column_int(s, 2);
        h.fetched_at = (int64_t)sqlite3_column_int64(s, 3);
        h.expires_at = (int64_t)sqlite3_column_int64(s, 4);
        err = cb(&h, ud);
        if (err == KW_EDONE)
            err = KW_OK;
    } else if (rc == SQLITE_DONE) {
        err = kw__store_failf(st, KW_ENOTFOUND, "no robots.txt cached for "
                                                "%s",
                              origin);
    } else {
        err = kw__store_fail(st, rc, "cannot read the host cache");
    }
    kw__store_release(st, KW_SLOT_HOST_GET, s);
    return err;
}

kw_err kw_store_host_put(kw_store *st, const kw_host_rec *h)
{
    static const char sql[] =
        "INSERT INTO hosts (origin, robots, robots_status, fetched_at, "
        "expires_at) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (origin) DO UPDATE SET robots = excluded.robots, "
        "robots_status = excluded.robots_status, "
        "fetched_at = excluded.fetched_at, "
        "expires_at = excluded.expires_at";
    sqlite3_stmt *s = NULL;
    int changes;
    kw_err err;
    int rc = SQLITE_OK;

    if (!h->host || !*h->host)
        return kw__store_failf(st, KW_EINVAL, "no origin given");
    err = kw__store_prepare(st, KW_SLOT_HOST_PUT, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, h->host, &rc);
    kw__store_bind_text(s, 2, h->robots, &rc);
    kw__store_bind_int64(s, 3, h->robots_status, &rc);
    kw__store_bind_int64(s, 4, h->fetched_at, &rc);
    kw__store_bind_int64(s, 5, h->expires_at, &rc);
    return kw__store_write(st, KW_SLOT_HOST_PUT, s, rc,
                           "cannot update the host cache", &changes);
}

/* ---- Adaptive polling (schema 5) -------------------------------------- */

/* Called once per source poll, so these statements are prepared per call
 * (as in meta.c) rather than given cache slots. */

/* Runs @sql with ?1 = @id and ?2 = @v, a one-row UPDATE; KW_ENOTFOUND
 * (@what_missing) if it changed nothing. */
static kw_err update_by_id(kw_store *st, const char *sql, int64_t id,
                           int64_t v, const char *what,
                           const char *what_missing)
{
    sqlite3_stmt *s = NULL;
    kw_err err = KW_OK;
    int rc;

    rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 1, (sqlite3_int64)id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 2, (sqlite3_int64)v);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, what);
    else if (sqlite3_changes(st->db) == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no %s with id %lld",
                              what_missing, (long long)id);
    sqlite3_finalize(s);
    return err;
}

kw_err kw_store_source_interval(kw_store *st, int64_t source_id,
                                int64_t *out)
{
    static const char sql[] =
        "SELECT poll_interval_s FROM sources WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err = KW_OK;
    int rc;

    *out = 0;
    rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(s, 1, (sqlite3_int64)source_id);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = (int64_t)sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        err = kw__store_failf(st, KW_ENOTFOUND, "no source with id %lld",
                              (long long)source_id);
    else
        err = kw__store_fail(st, rc, "cannot read the polling interval");
    sqlite3_finalize(s);
    return err;
}

kw_err kw_store_source_set_interval(kw_store *st, int64_t source_id,
                                    int64_t interval_s)
{
    return update_by_id(st,
                        "UPDATE sources SET poll_interval_s = ?2 "
                        "WHERE id = ?1",
                        source_id, interval_s,
                        "cannot record the polling interval", "source");
}

kw_err kw_store_url_reschedule(kw_store *st, int64_t url_id,
                               int64_t next_fetch_at)
{
    return update_by_id(st,
                        "UPDATE urls SET next_fetch_at = ?2 WHERE id = ?1",
                        url_id, next_fetch_at, "cannot reschedule the URL",
                        "URL");
}
