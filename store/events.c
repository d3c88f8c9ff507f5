/*
 * events.c -- what the analysis found in each article (entities,
 * mentions with counts and offsets, stance events with their evidence
 * sentence and event date, the SimHash fingerprint and story cluster) and
 * what queries/ made of it (alerts, the channels they go to, saved
 * searches, and the delivery outbox).
 *
 * Statements here are prepared per call (sqlite3_prepare_v2 and
 * finalize): they run once per article or per alert, far less often than
 * the frontier's, so they stay out of the handle's statement cache (its
 * slots live in store_int.h, which this file does not own).  Every one is
 * static text with bound parameters.
 *
 * Clusters: an article joins the cluster of the nearest earlier-known
 * article whose fingerprint lies within @near bits, searched among
 * articles dated within KW_STORE_CLUSTER_WINDOW_S of it (the articles_when
 * index makes that a range scan), else it is its own cluster.
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

/* ---- Helpers ----------------------------------------------------------- */

/* Prepares @sql uncached; on failure records the error. */
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

/* Steps a bound write statement to completion and finalizes it. */
static kw_err run_done(kw_store *st, sqlite3_stmt *s, int rc,
                       const char *what)
{
    kw_err err = KW_OK;

    if (rc == SQLITE_OK)
        rc = kw__store_step_done(s);
    if (rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, what);
    sqlite3_finalize(s);
    return err;
}

/* Runs a one-row integer query of a bound statement; finalizes it.
 * *found is 0 (and *out 0) when there was no row. */
static kw_err run_int(kw_store *st, sqlite3_stmt *s, int rc, int64_t *out,
                      int *found, const char *what)
{
    kw_err err = KW_OK;

    *out = 0;
    if (found)
        *found = 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = (int64_t)sqlite3_column_int64(s, 0);
        if (found)
            *found = 1;
    } else if (rc != SQLITE_DONE) {
        err = kw__store_fail(st, rc, what);
    }
    sqlite3_finalize(s);
    return err;
}

static int popcount64(uint64_t x)
{
    int n = 0;

    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}

/* ---- Writing the analysis ---------------------------------------------- */

/* Creates entity @id or updates its type and name. */
static kw_err entity_put(kw_store *st, const char *id, const char *type,
                         const char *name)
{
    static const char sql[] =
        "INSERT INTO entities (id, type, name) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (id) DO UPDATE SET "
        "type = COALESCE(excluded.type, type), name = excluded.name";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, id, &rc);
    kw__store_bind_text(s, 2, type, &rc);
    kw__store_bind_text(s, 3, name ? name : id, &rc);
    return run_done(st, s, rc, "cannot store an entity");
}

/* Creates entity @id if it is unknown (an event's entity that was not
 * among the mentions); keeps an existing one as it is. */
static kw_err entity_ensure(kw_store *st, const char *id, const char *name)
{
    static const char sql[] =
        "INSERT INTO entities (id, name) VALUES (?1, ?2) "
        "ON CONFLICT (id) DO NOTHING";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, id, &rc);
    kw__store_bind_text(s, 2, name ? name : id, &rc);
    return run_done(st, s, rc, "cannot store an entity");
}

/* Deletes an article's mentions and events (before writing new ones). */
static kw_err analysis_clear(kw_store *st, int64_t article_id)
{
    static const char *const sqls[] = {
        "DELETE FROM mentions WHERE article_id = ?1",
        "DELETE FROM events WHERE article_id = ?1",
    };
    sqlite3_stmt *s = NULL;
    kw_err err = KW_OK;
    size_t i;
    int rc;

    for (i = 0; !err && i < sizeof(sqls) / sizeof(sqls[0]); i++) {
        rc = SQLITE_OK;
        err = prep(st, sqls[i], &s);
        if (err)
            break;
        kw__store_bind_int64(s, 1, article_id, &rc);
        err = run_done(st, s, rc, "cannot replace the analysis");
    }
    return err;
}

static kw_err mention_insert(kw_store *st, int64_t article_id,
                             const kw_mention_rec *m)
{
    static const char sql[] =
        "INSERT INTO mentions (article_id, entity_id, count, offsets) "
        "VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (article_id, entity_id) DO UPDATE SET "
        "count = count + excluded.count";
    sqlite3_stmt *s = NULL;
    kw_buf b;
    kw_err err;
    size_t i;
    int rc = SQLITE_OK;

    kw_buf_init(&b, KW_MAX_TEXT);
    kw_buf_addc(&b, '[');
    for (i = 0; i < m->n_offsets; i++)
        kw_buf_addf(&b, "%s%lld", i ? "," : "", (long long)m->offsets[i]);
    kw_buf_addc(&b, ']');
    if (b.err) {
        err = b.err;
        kw_buf_deinit(&b);
        return err;
    }
    err = prep(st, sql, &s);
    if (!err) {
        kw__store_bind_int64(s, 1, article_id, &rc);
        kw__store_bind_text(s, 2, m->entity_id, &rc);
        kw__store_bind_int64(s, 3, m->count > 0 ? m->count : 1, &rc);
        kw__store_bind_text(s, 4, b.p, &rc);
        err = run_done(st, s, rc, "cannot store a mention");
    }
    kw_buf_deinit(&b);
    return err;
}

static kw_err event_insert(kw_store *st, int64_t article_id,
                           const kw_event_rec *e, int64_t now)
{
    static const char sql[] =
        "INSERT INTO events (article_id, entity_id, stance, sentence, "
        "event_at, event_offset, published_at, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, article_id, &rc);
    kw__store_bind_text(s, 2, e->entity_id, &rc);
    kw__store_bind_text(s, 3, e->stance, &rc);
    kw__store_bind_text(s, 4, e->sentence, &rc);
    kw__store_bind_int64(s, 5, e->event_at, &rc);
    kw__store_bind_int64(s, 6, e->event_offset, &rc);
    kw__store_bind_int64(s, 7, e->published_at, &rc);
    kw__store_bind_int64(s, 8, now, &rc);
    return run_done(st, s, rc, "cannot store an event");
}

/*
 * Finds the cluster for article @id with @fp: the cluster of the nearest
 * other article dated within the window (ties: the oldest id), or @id.
 */
static kw_err find_cluster(kw_store *st, int64_t id, uint64_t fp, int near,
                           int64_t *cluster)
{
    static const char when_sql[] =
        "SELECT COALESCE(NULLIF(published_at, 0), fetched_at) "
        "FROM articles WHERE id = ?1";
    static const char near_sql[] =
        "SELECT id, fingerprint, COALESCE(cluster, id) FROM articles "
        "WHERE COALESCE(NULLIF(published_at, 0), fetched_at) "
        "  BETWEEN ?1 AND ?2 "
        "AND fingerprint IS NOT NULL AND id <> ?3 ORDER BY id";
    sqlite3_stmt *s = NULL;
    int64_t when = 0, best_id = 0;
    int best = near + 1, found = 0;
    kw_err err;
    int rc = SQLITE_OK;

    *cluster = id;
    err = prep(st, when_sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    err = run_int(st, s, rc, &when, &found, "cannot read the article");
    if (err)
        return err;
    if (!found)
        return kw__store_failf(st, KW_ENOTFOUND, "no article with id %lld",
                               (long long)id);
    rc = SQLITE_OK;
    err = prep(st, near_sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, when - KW_STORE_CLUSTER_WINDOW_S, &rc);
    kw__store_bind_int64(s, 2, when + KW_STORE_CLUSTER_WINDOW_S, &rc);
    kw__store_bind_int64(s, 3, id, &rc);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        uint64_t other;
        int d;

        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        other = (uint64_t)sqlite3_column_int64(s, 1);
        d = popcount64(other ^ fp);
        if (d < best) {
            best = d;
            best_id = (int64_t)sqlite3_column_int64(s, 2);
        }
    }
    if (rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read fingerprints");
    sqlite3_finalize(s);
    if (!err && best_id)
        *cluster = best_id;
    return err;
}

/* True if another article's cluster is @id (it founded a cluster). */
static kw_err has_members(kw_store *st, int64_t id, int *out)
{
    static const char sql[] =
        "SELECT 1 FROM articles WHERE cluster = ?1 AND id <> ?1 LIMIT 1";
    sqlite3_stmt *s = NULL;
    int64_t v;
    kw_err err;
    int rc = SQLITE_OK;

    *out = 0;
    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    return run_int(st, s, rc, &v, out, "cannot read clusters");
}

static kw_err set_fingerprint(kw_store *st, int64_t id, uint64_t fp,
                              int64_t cluster)
{
    static const char sql[] =
        "UPDATE articles SET fingerprint = ?2, cluster = ?3 WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    kw__store_bind_int64(s, 2, (int64_t)fp, &rc);
    kw__store_bind_int64(s, 3, cluster, &rc);
    return run_done(st, s, rc, "cannot store the fingerprint");
}

kw_err kw_store_analysis_put(kw_store *st, int64_t article_id,
                             const kw_mention_rec *m, size_t n_m,
                             const kw_event_rec *ev, size_t n_ev,
                             uint64_t fingerprint, int near,
                             int64_t *cluster)
{
    int64_t now = kw_now(), cl = article_id;
    int founded = 0;
    kw_err err;
    size_t i;

    if (cluster)
        *cluster = 0;
    for (i = 0; i < n_m; i++)
        if (!m[i].entity_id || !*m[i].entity_id)
            return kw__store_failf(st, KW_EINVAL, "a mention without id");
    for (i = 0; i < n_ev; i++)
        if (!ev[i].entity_id || !*ev[i].entity_id || !ev[i].stance ||
            !*ev[i].stance)
            return kw__store_failf(st, KW_EINVAL,
                                   "an event without entity or stance");
    err = kw_store_begin(st);
    if (err)
        return err;
    err = has_members(st, article_id, &founded);
    if (!err && !founded)
        err = find_cluster(st, article_id, fingerprint, near, &cl);
    if (!err)
        err = set_fingerprint(st, article_id, fingerprint, cl);
    if (!err)
        err = analysis_clear(st, article_id);
    for (i = 0; !err && i < n_m; i++) {
        err = entity_put(st, m[i].entity_id, m[i].entity_type,
                         m[i].entity_name);
        if (!err)
            err = mention_insert(st, article_id, &m[i]);
    }
    for (i = 0; !err && i < n_ev; i++) {
        err = entity_ensure(st, ev[i].entity_id, ev[i].entity_name);
        if (!err)
            err = event_insert(st, article_id, &ev[i], now);
    }
    if (err) {
        kw_store_rollback(st);
        return err;
    }
    err = kw_store_commit(st);
    if (!err && cluster)
        *cluster = cl;
    return err;
}

/* ---- Reading entities, mentions, events -------------------------------- */

static kw_err each_entity(kw_store *st, sqlite3_stmt *s, int rc,
                          kw_entity_cb cb, void *ud, int *n)
{
    kw_entity_rec e;
    kw_err err = KW_OK;

    *n = 0;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        (*n)++;
        e.id = kw__store_col_text(s, 0);
        e.type = kw__store_col_text(s, 1);
        e.name = kw__store_col_text(s, 2);
        err = cb(&e, ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read entities");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_entity_each(kw_store *st, kw_entity_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT id, type, name FROM entities ORDER BY id";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int n;

    err = prep(st, sql, &s);
    if (err)
        return err;
    return each_entity(st, s, SQLITE_OK, cb, ud, &n);
}

kw_err kw_store_entity_get(kw_store *st, const char *id, kw_entity_cb cb,
                           void *ud)
{
    static const char sql[] =
        "SELECT id, type, name FROM entities WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK, n;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, id, &rc);
    err = each_entity(st, s, rc, cb, ud, &n);
    if (!err && n == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no entity '%s'", id);
    return err;
}

kw_err kw_store_mention_each(kw_store *st, int64_t article_id,
                             kw_mention_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT m.article_id, m.entity_id, e.name, m.count, m.offsets "
        "FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "WHERE m.article_id = ?1 ORDER BY m.count DESC, m.entity_id";
    sqlite3_stmt *s = NULL;
    kw_mention_row r;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, article_id, &rc);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        r.article_id = (int64_t)sqlite3_column_int64(s, 0);
        r.entity_id = kw__store_col_text(s, 1);
        r.entity_name = kw__store_col_text(s, 2);
        r.count = (int64_t)sqlite3_column_int64(s, 3);
        r.offsets_json = kw__store_col_text(s, 4);
        err = cb(&r, ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read mentions");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_event_each(kw_store *st, const kw_event_filter *f,
                           kw_event_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT ev.id, ev.article_id, ev.entity_id, en.name, ev.stance, "
        "ev.sentence, ev.event_at, ev.event_offset, ev.published_at, "
        "a.published_offset, a.url, a.title, s.name, "
        "COALESCE(a.cluster, a.id), ev.created_at "
        "FROM events ev JOIN articles a ON a.id = ev.article_id "
        "JOIN entities en ON en.id = ev.entity_id "
        "LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE (?1 IS NULL OR ev.entity_id = ?1) "
        "AND (?2 = 0 OR ev.article_id = ?2) "
        "AND (?3 = 0 OR ev.event_at < ?3) "
        "AND (?4 = 0 OR ev.published_at < ?4) "
        "ORDER BY ev.entity_id, "
        "(ev.event_at + ev.event_offset * 60) / 86400, "
        "ev.published_at, ev.id";
    static const kw_event_filter none = {NULL, 0, 0, 0};
    sqlite3_stmt *s = NULL;
    kw_event_rec e;
    kw_err err;
    int rc = SQLITE_OK;

    if (!f)
        f = &none;
    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, f->entity, &rc);
    kw__store_bind_int64(s, 2, f->article_id, &rc);
    kw__store_bind_int64(s, 3, f->until, &rc);
    kw__store_bind_int64(s, 4, f->known_until, &rc);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        memset(&e, 0, sizeof(e));
        e.id = (int64_t)sqlite3_column_int64(s, 0);
        e.article_id = (int64_t)sqlite3_column_int64(s, 1);
        e.entity_id = kw__store_col_text(s, 2);
        e.entity_name = kw__store_col_text(s, 3);
        e.stance = kw__store_col_text(s, 4);
        e.sentence = kw__store_col_text(s, 5);
        e.event_at = (int64_t)sqlite3_column_int64(s, 6);
        e.event_offset = sqlite3_column_int(s, 7);
        e.published_at = (int64_t)sqlite3_column_int64(s, 8);
        e.published_offset = sqlite3_column_int(s, 9);
        e.url = kw__store_col_text(s, 10);
        e.title = kw__store_col_text(s, 11);
        e.source = kw__store_col_text(s, 12);
        e.cluster = (int64_t)sqlite3_column_int64(s, 13);
        e.created_at = (int64_t)sqlite3_column_int64(s, 14);
        err = cb(&e, ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read events");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

/* ---- Alerts ------------------------------------------------------------ */

/* Adds a pending delivery of alert @id to every channel, due at once. */
static kw_err queue_deliveries(kw_store *st, int64_t id)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO deliveries (alert_id, channel_id, state, "
        "next_attempt_at) SELECT ?1, id, 'pending', 0 FROM channels";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    return run_done(st, s, rc, "cannot queue deliveries");
}

kw_err kw_store_alert_add(kw_store *st, const kw_alert_rec *a, int64_t *id,
                          int *is_new)
{
    static const char sql[] =
        "INSERT INTO alerts (kind, transition_key, entity_id, stance, "
        "event_id, search_id, date, url, sentence, is_backfill, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT (kind, transition_key) DO NOTHING";
    static const char find_sql[] =
        "SELECT id FROM alerts WHERE kind = ?1 AND transition_key = ?2";
    sqlite3_stmt *s = NULL;
    int64_t now = kw_now(), aid = 0;
    kw_err err;
    int rc = SQLITE_OK, changed;

    if (id)
        *id = 0;
    if (is_new)
        *is_new = 0;
    if (!a->kind || !a->transition_key)
        return kw__store_failf(st, KW_EINVAL, "an alert needs a kind and "
                                              "a transition key");
    err = kw_store_begin(st);
    if (err)
        return err;
    err = prep(st, sql, &s);
    if (err)
        goto fail;
    kw__store_bind_text(s, 1, a->kind, &rc);
    kw__store_bind_text(s, 2, a->transition_key, &rc);
    kw__store_bind_text(s, 3, a->entity_id, &rc);
    kw__store_bind_text(s, 4, a->stance, &rc);
    kw__store_bind_id(s, 5, a->event_id, &rc);
    kw__store_bind_id(s, 6, a->search_id, &rc);
    kw__store_bind_int64(s, 7, a->date, &rc);
    kw__store_bind_text(s, 8, a->url, &rc);
    kw__store_bind_text(s, 9, a->sentence, &rc);
    kw__store_bind_int64(s, 10, a->is_backfill ? 1 : 0, &rc);
    kw__store_bind_int64(s, 11, now, &rc);
    err = run_done(st, s, rc, "cannot store an alert");
    if (err)
        goto fail;
    changed = sqlite3_changes(st->db);
    if (changed) {
        aid = (int64_t)sqlite3_last_insert_rowid(st->db);
        if (!a->is_backfill) {
            err = queue_deliveries(st, aid);
            if (err)
                goto fail;
        }
    } else {
        rc = SQLITE_OK;
        err = prep(st, find_sql, &s);
        if (err)
            goto fail;
        kw__store_bind_text(s, 1, a->kind, &rc);
        kw__store_bind_text(s, 2, a->transition_key, &rc);
        err = run_int(st, s, rc, &aid, NULL, "cannot read alerts");
        if (err)
            goto fail;
    }
    err = kw_store_commit(st);
    if (err)
        return err;
    if (id)
        *id = aid;
    if (is_new)
        *is_new = changed ? 1 : 0;
    return KW_OK;
fail:
    kw_store_rollback(st);
    return err;
}

#define ALERT_COLS                                                         \
    "al.id, al.kind, al.transition_key, al.entity_id, al.stance, "         \
    "al.event_id, al.search_id, al.date, COALESCE(ev.event_offset, 540), " \
    "al.url, al.sentence, al.is_backfill, al.created_at, en.name, ss.name"
#define ALERT_FROM                                                         \
    " FROM alerts al LEFT JOIN events ev ON ev.id = al.event_id "          \
    "LEFT JOIN entities en ON en.id = al.entity_id "                       \
    "LEFT JOIN saved_searches ss ON ss.id = al.search_id "

static kw_err each_alert(kw_store *st, sqlite3_stmt *s, int rc,
                         kw_alert_cb cb, void *ud, int *n)
{
    kw_alert_rec a;
    kw_err err = KW_OK;

    *n = 0;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        (*n)++;
        memset(&a, 0, sizeof(a));
        a.id = (int64_t)sqlite3_column_int64(s, 0);
        a.kind = kw__store_col_text(s, 1);
        a.transition_key = kw__store_col_text(s, 2);
        a.entity_id = kw__store_col_text(s, 3);
        a.stance = kw__store_col_text(s, 4);
        a.event_id = (int64_t)sqlite3_column_int64(s, 5);
        a.search_id = (int64_t)sqlite3_column_int64(s, 6);
        a.date = (int64_t)sqlite3_column_int64(s, 7);
        a.date_offset = sqlite3_column_int(s, 8);
        a.url = kw__store_col_text(s, 9);
        a.sentence = kw__store_col_text(s, 10);
        a.is_backfill = sqlite3_column_int(s, 11);
        a.created_at = (int64_t)sqlite3_column_int64(s, 12);
        a.entity_name = kw__store_col_text(s, 13);
        a.search_name = kw__store_col_text(s, 14);
        err = cb(&a, ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read alerts");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_alert_each(kw_store *st, int with_backfill, kw_alert_cb cb,
                           void *ud)
{
    static const char sql[] =
        "SELECT " ALERT_COLS ALERT_FROM
        "WHERE (?1 OR al.is_backfill = 0) ORDER BY al.id DESC";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK, n;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, with_backfill ? 1 : 0, &rc);
    return each_alert(st, s, rc, cb, ud, &n);
}

kw_err kw_store_alert_get(kw_store *st, int64_t id, kw_alert_cb cb,
                          void *ud)
{
    static const char sql[] =
        "SELECT " ALERT_COLS ALERT_FROM "WHERE al.id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK, n;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    err = each_alert(st, s, rc, cb, ud, &n);
    if (!err && n == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no alert %lld",
                              (long long)id);
    return err;
}

kw_err kw_store_alert_count(kw_store *st, const char *kind,
                            const char *entity, int64_t from, int64_t to,
                            int64_t *out)
{
    static const char sql[] =
        "SELECT count(*) FROM alerts WHERE kind = ?1 AND entity_id = ?2 "
        "AND date >= ?3 AND (?4 = 0 OR date < ?4)";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    *out = 0;
    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, kind, &rc);
    kw__store_bind_text(s, 2, entity, &rc);
    kw__store_bind_int64(s, 3, from, &rc);
    kw__store_bind_int64(s, 4, to, &rc);
    return run_int(st, s, rc, out, NULL, "cannot count alerts");
}

/* ---- Channels and saved searches --------------------------------------- */

kw_err kw_store_channel_add(kw_store *st, const kw_channel_rec *c,
                            int64_t *id)
{
    static const char sql[] =
        "INSERT INTO channels (kind, target, options, created_at) "
        "VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    if (id)
        *id = 0;
    if (!c->kind || !c->target || !*c->target)
        return kw__store_failf(st, KW_EINVAL, "a channel needs a target");
    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, c->kind, &rc);
    kw__store_bind_text(s, 2, c->target, &rc);
    kw__store_bind_text(s, 3, c->options, &rc);
    kw__store_bind_int64(s, 4, kw_now(), &rc);
    err = run_done(st, s, rc, "cannot add the channel");
    if (!err && id)
        *id = (int64_t)sqlite3_last_insert_rowid(st->db);
    return err;
}

kw_err kw_store_channel_remove(kw_store *st, int64_t id)
{
    static const char sql[] = "DELETE FROM channels WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    err = run_done(st, s, rc, "cannot remove the channel");
    if (!err && sqlite3_changes(st->db) == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no channel %lld",
                              (long long)id);
    return err;
}

kw_err kw_store_channel_each(kw_store *st, kw_channel_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT id, kind, target, options, created_at FROM channels "
        "ORDER BY id";
    sqlite3_stmt *s = NULL;
    kw_channel_rec c;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        c.id = (int64_t)sqlite3_column_int64(s, 0);
        c.kind = kw__store_col_text(s, 1);
        c.target = kw__store_col_text(s, 2);
        c.options = kw__store_col_text(s, 3);
        c.created_at = (int64_t)sqlite3_column_int64(s, 4);
        err = cb(&c, ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read channels");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_saved_search_add(kw_store *st, const char *name,
                                 const char *query, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO saved_searches (name, query, created_at) "
        "VALUES (?1, ?2, ?3)";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    if (id)
        *id = 0;
    if (!name || !*name || !query || !*query)
        return kw__store_failf(st, KW_EINVAL,
                               "a saved search needs a name and a query");
    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, name, &rc);
    kw__store_bind_text(s, 2, query, &rc);
    kw__store_bind_int64(s, 3, kw_now(), &rc);
    err = run_done(st, s, rc, "cannot save the search");
    if (err == KW_EEXIST)
        return kw__store_failf(st, KW_EEXIST,
                               "a saved search named '%s' exists", name);
    if (!err && id)
        *id = (int64_t)sqlite3_last_insert_rowid(st->db);
    return err;
}

kw_err kw_store_saved_search_remove(kw_store *st, const char *name)
{
    static const char sql[] = "DELETE FROM saved_searches WHERE name = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_text(s, 1, name, &rc);
    err = run_done(st, s, rc, "cannot remove the saved search");
    if (!err && sqlite3_changes(st->db) == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no saved search '%s'",
                              name);
    return err;
}

kw_err kw_store_saved_search_each(kw_store *st, kw_saved_search_cb cb,
                                  void *ud)
{
    static const char sql[] =
        "SELECT id, name, query, created_at FROM saved_searches "
        "ORDER BY name";
    sqlite3_stmt *s = NULL;
    kw_saved_search_rec r;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        r.id = (int64_t)sqlite3_column_int64(s, 0);
        r.name = kw__store_col_text(s, 1);
        r.query = kw__store_col_text(s, 2);
        r.created_at = (int64_t)sqlite3_column_int64(s, 3);
        err = cb(&r, ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read saved searches");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

/* ---- Deliveries (the outbox) ------------------------------------------- */

#define DELIVERY_COLS                                                      \
    "d.id, d.alert_id, d.channel_id, c.kind, c.target, c.options, "        \
    "d.state, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at"

static kw_err each_delivery(kw_store *st, sqlite3_stmt *s, int rc,
                            kw_delivery_cb cb, void *ud)
{
    kw_delivery_rec d;
    kw_err err = KW_OK;

    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW)
            break;
        d.id = (int64_t)sqlite3_column_int64(s, 0);
        d.alert_id = (int64_t)sqlite3_column_int64(s, 1);
        d.channel_id = (int64_t)sqlite3_column_int64(s, 2);
        d.channel_kind = kw__store_col_text(s, 3);
        d.channel_target = kw__store_col_text(s, 4);
        d.channel_options = kw__store_col_text(s, 5);
        d.state = kw__store_col_text(s, 6);
        d.attempts = sqlite3_column_int(s, 7);
        d.next_attempt_at = (int64_t)sqlite3_column_int64(s, 8);
        d.last_error = kw__store_col_text(s, 9);
        d.delivered_at = (int64_t)sqlite3_column_int64(s, 10);
        err = cb(&d, ud);
        if (err)
            break;
    }
    if (!err && rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot read deliveries");
    sqlite3_finalize(s);
    return err == KW_EDONE ? KW_OK : err;
}

kw_err kw_store_delivery_due(kw_store *st, int64_t now, size_t limit,
                             kw_delivery_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT " DELIVERY_COLS " FROM deliveries d "
        "JOIN channels c ON c.id = d.channel_id "
        "WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 "
        "ORDER BY d.next_attempt_at, d.id LIMIT ?2";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, now, &rc);
    kw__store_bind_int64(s, 2, limit ? (int64_t)limit : -1, &rc);
    return each_delivery(st, s, rc, cb, ud);
}

kw_err kw_store_delivery_each(kw_store *st, int64_t alert_id,
                              kw_delivery_cb cb, void *ud)
{
    static const char sql[] =
        "SELECT " DELIVERY_COLS " FROM deliveries d "
        "LEFT JOIN channels c ON c.id = d.channel_id "
        "WHERE d.alert_id = ?1 ORDER BY d.channel_id";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, alert_id, &rc);
    return each_delivery(st, s, rc, cb, ud);
}

kw_err kw_store_delivery_attempted(kw_store *st, int64_t id,
                                   const char *state, int64_t now,
                                   int64_t next_attempt_at,
                                   const char *error)
{
    static const char sql[] =
        "UPDATE deliveries SET state = ?2, attempts = attempts + 1, "
        "next_attempt_at = ?3, last_error = ?4, "
        "delivered_at = CASE WHEN ?2 = 'delivered' THEN ?5 "
        "ELSE delivered_at END WHERE id = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err;
    int rc = SQLITE_OK;

    if (!state || (strcmp(state, "delivered") != 0 &&
                   strcmp(state, "pending") != 0 &&
                   strcmp(state, "failed") != 0))
        return kw__store_failf(st, KW_EINVAL, "bad delivery state");
    err = prep(st, sql, &s);
    if (err)
        return err;
    kw__store_bind_int64(s, 1, id, &rc);
    kw__store_bind_text(s, 2, state, &rc);
    kw__store_bind_int64(s, 3, next_attempt_at, &rc);
    kw__store_bind_text(s, 4, error, &rc);
    kw__store_bind_int64(s, 5, now, &rc);
    err = run_done(st, s, rc, "cannot record the delivery");
    if (!err && sqlite3_changes(st->db) == 0)
        err = kw__store_failf(st, KW_ENOTFOUND, "no delivery %lld",
                              (long long)id);
    return err;
}
