/*
 * attachments.c -- the text of notice attachments (HWPX, HWP, PDF ...).
 *
 * A notice links its attachments (table attachments, written with the
 * article); the crawler fetches each once and records what could be read
 * of it here, keyed by URL (attachment_texts), since several notices can
 * link one file.  Every article's attachments_text is the join of the
 * texts of its attachments in link order: the third column of the
 * full-text index, so a notice whose words are only in its HWP is found.
 */
#include <string.h>

#include "store_int.h"

/* Sets articles.attachments_text of the article @id (or, with @id 0, of
 * every article linking @url) from attachment_texts.  Rows whose value
 * does not change are not written, so the index is not touched. */
static kw_err refresh(kw_store *st, int64_t id, const char *url)
{
#define JOINED                                                              \
    "COALESCE((SELECT group_concat(x.text, char(10) || char(10)) FROM ("  \
    "  SELECT t.text FROM attachments a"                                   \
    "  JOIN attachment_texts t ON t.url = a.url"                           \
    "  WHERE a.article_id = articles.id AND t.text <> ''"                  \
    "  ORDER BY a.id) x), '')"
    static const char by_id[] =
        "UPDATE articles SET attachments_text = " JOINED
        " WHERE id = ?1 AND attachments_text <> " JOINED;
    static const char by_url[] =
        "UPDATE articles SET attachments_text = " JOINED
        " WHERE id IN (SELECT article_id FROM attachments WHERE url = ?1)"
        " AND attachments_text <> " JOINED;
#undef JOINED
    sqlite3_stmt *s = NULL;
    enum kw__store_slot slot =
        id ? KW_SLOT_ATT_REFRESH : KW_SLOT_ATT_REFRESH_URL;
    kw_err err;
    int rc = SQLITE_OK;

    err = kw__store_prepare(st, slot, id ? by_id : by_url, &s);
    if (err)
        return err;
    if (id)
        kw__store_bind_int64(s, 1, id, &rc);
    else
        kw__store_bind_text(s, 1, url, &rc);
    return kw__store_write(st, slot, s, rc,
                           "cannot update the attachment text", NULL);
}

kw_err kw__store_attachments_refresh(kw_store *st, int64_t article_id)
{
    return refresh(st, article_id, NULL);
}

kw_err kw_store_attachment_text_put(kw_store *st, const char *url,
                                    int64_t fetch_id, const char *format,
                                    const char *text, const char *error,
                                    int *changed)
{
    /* The same reading again (a reindex, a file fetched again unchanged)
     * writes nothing: the row, the notices' attachments_text and their
     * index entries stay as they are. */
    static const char sql[] =
        "INSERT INTO attachment_texts (url, fetch_id, format, text, error, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (url) DO UPDATE SET fetch_id = excluded.fetch_id, "
        "format = excluded.format, text = excluded.text, "
        "error = excluded.error, updated_at = excluded.updated_at "
        "WHERE format IS NOT excluded.format OR text IS NOT excluded.text "
        "OR error IS NOT excluded.error";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK, n = 0;

    if (changed)
        *changed = 0;
    if (!url || !*url)
        return kw__store_failf(st, KW_EINVAL, "an attachment needs its URL");
    err = kw_store_begin(st);
    if (err)
        return err;
    err = kw__store_prepare(st, KW_SLOT_ATT_TEXT_PUT, sql, &s);
    if (err)
        goto fail;
    kw__store_bind_text(s, 1, url, &rc);
    kw__store_bind_id(s, 2, fetch_id, &rc);
    kw__store_bind_text(s, 3, format, &rc);
    kw__store_bind_text(s, 4, text ? text : "", &rc);
    kw__store_bind_text(s, 5, error, &rc);
    kw__store_bind_int64(s, 6, kw_now(), &rc);
    err = kw__store_write(st, KW_SLOT_ATT_TEXT_PUT, s, rc,
                          "cannot record the attachment text", &n);
    if (!err && n)
        err = refresh(st, 0, url);
    if (err)
        goto fail;
    if (changed)
        *changed = n > 0;
    return kw_store_commit(st);
fail:
    kw_store_rollback(st);
    return err;
}

kw_err kw_store_attachment_each(kw_store *st, int64_t article_id,
                                kw_attachment_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT a.name, a.url, t.format, length(t.text), t.error, "
        "t.url IS NOT NULL FROM attachments a "
        "LEFT JOIN attachment_texts t ON t.url = a.url "
        "WHERE a.article_id = ?1 ORDER BY a.id";
    sqlite3_stmt *s = NULL;
    kw_attachment_rec r;
    kw_err err;
    int rc = SQLITE_OK;

    err = kw__store_prepare(st, KW_SLOT_ATT_EACH, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, article_id, &rc);
    while (!err && rc == SQLITE_OK) {
        int step = sqlite3_step(s);

        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            err = kw__store_fail(st, step, "cannot read attachments");
            break;
        }
        memset(&r, 0, sizeof(r));
        r.name = kw__store_col_text(s, 0);
        r.url = kw__store_col_text(s, 1);
        r.format = kw__store_col_text(s, 2);
        r.text_bytes = (int64_t)sqlite3_column_int64(s, 3);
        r.error = kw__store_col_text(s, 4);
        r.is_fetched = sqlite3_column_int(s, 5) != 0;
        err = cb(&r, ud);
    }
    if (!err && rc != SQLITE_OK)
        err = kw__store_fail(st, rc, "cannot read attachments");
    kw__store_release(st, KW_SLOT_ATT_EACH, s);
    return err;
}

kw_err kw_store_attachment_articles(kw_store *st, const char *url,
                                    int64_t *ids, size_t cap, size_t *n)
{
    static const char sql[] =
        "SELECT DISTINCT article_id FROM attachments WHERE url = ?1 "
        "ORDER BY article_id";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    *n = 0;
    err = kw__store_prepare(st, KW_SLOT_ATT_ARTICLES, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, url, &rc);
    while (rc == SQLITE_OK) {
        int step = sqlite3_step(s);

        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = step;
            break;
        }
        if (*n < cap)
            ids[*n] = (int64_t)sqlite3_column_int64(s, 0);
        (*n)++;
    }
    if (rc != SQLITE_OK)
        err = kw__store_fail(st, rc, "cannot read attachments");
    kw__store_release(st, KW_SLOT_ATT_ARTICLES, s);
    return err;
}
