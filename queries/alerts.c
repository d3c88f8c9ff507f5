/*
 * alerts.c -- alert rules as data, evaluated over the store: re-entry and
 * saved searches, one alert per transition (DESIGN.md, Vocabulary).
 *
 * Re-entry.  Each entity's status changes are walked in history order
 * (kw__history: by event day, a later report winning within a day).  A
 * change to eliminated or declined opens an "out" episode; the first
 * change to entering after it is the transition; the next change to an
 * out stance ends the episode.  An episode alerts
 * once: before adding, we look for any re-entry alert of the entity dated
 * within the episode [last out, next out), so later copies of the story,
 * a restated older elimination arriving afterwards (which only moves the
 * episode's start, still before the entering) or a reindex that renumbers
 * events never alert again.  The transition key
 * 'reentry:ENTITY:<entering event date>' backs this up in the schema's
 * UNIQUE (kind, transition_key).
 *
 * Saved searches fire once per story cluster: 'search:<id>:<cluster>'.
 *
 * An alert whose event date (a search's: the article's date) is older
 * than the delivery window is recorded as backfill: listed by
 * `alerts --all`, never delivered.
 */
#include <stdlib.h>
#include <string.h>

#include "kw/alerts.h"
#include "queries_int.h"

kw_alerts_config kw_alerts_config_default(void)
{
    kw_alerts_config c;

    memset(&c, 0, sizeof(c));
    c.window_s = KW_ALERTS_WINDOW_S;
    c.reentry = 1;
    c.searches = 1;
    return c;
}

/* ---- Re-entry ----------------------------------------------------------- */

/* One out -> entering transition found in history. */
typedef struct transition {
    char *entity;
    int64_t out_at;      /* date of the last elimination/decline before */
    int64_t next_out_at; /* the next one after, 0: none yet */
    int64_t event_id;    /* the first entering event */
    int64_t event_at;
    int event_offset;
    char *url;
    char *sentence;
} transition;

typedef struct walk {
    transition *v;
    size_t n, cap;
} walk;

static void walk_free(walk *w)
{
    size_t i;

    for (i = 0; i < w->n; i++) {
        kw_free(w->v[i].entity);
        kw_free(w->v[i].url);
        kw_free(w->v[i].sentence);
    }
    kw_free(w->v);
}

static int is_out(const char *stance)
{
    return strcmp(stance, "eliminated") == 0 ||
           strcmp(stance, "declined") == 0;
}

static kw_err add_transition(walk *w, const char *entity, int64_t out_at,
                             const kw__hev *e)
{
    transition *t;

    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        transition *v = kw_realloc(w->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        w->v = v;
        w->cap = cap;
    }
    t = &w->v[w->n];
    memset(t, 0, sizeof(*t));
    w->n++;
    t->out_at = out_at;
    t->event_id = e->id;
    t->event_at = e->at;
    t->event_offset = e->at_offset;
    t->entity = kw_strdup(entity);
    t->url = kw_strdup(e->url);
    t->sentence = kw_strdup(e->sentence);
    if (!t->entity || (e->url && !t->url) || (e->sentence && !t->sentence))
        return KW_ENOMEM;
    return KW_OK;
}

/* Walks one entity's status changes (kw__history: decided per day, so a
 * restatement inside a day is no change) and records its transitions. */
static kw_err walk_history(const kw__history *h, void *ud)
{
    walk *w = ud;
    long open = -1;
    int64_t out_at = 0;
    int has_out = 0, entered = 0;
    size_t i;
    kw_err rc;

    for (i = 0; i < h->n; i++) {
        const kw__hev *e = &h->v[i];

        if (!e->is_change)
            continue;
        if (is_out(e->stance)) {
            if (open >= 0)
                w->v[open].next_out_at = e->at;
            open = -1;
            has_out = 1;
            out_at = e->at;
            entered = 0;
        } else if (strcmp(e->stance, "entering") == 0 && has_out &&
                   !entered) {
            entered = 1;
            rc = add_transition(w, h->entity, out_at, e);
            if (rc)
                return rc;
            open = (long)(w->n - 1);
        }
    }
    return KW_OK;
}

/* The date part of @t at @offset_min, "2026-02-10". */
static void day_of(int64_t t, int offset_min, char out[32])
{
    kw_time_iso(t, offset_min, out);
    out[10] = '\0';
}

static kw_err alert_reentry(kw_store *st, const transition *t,
                            const kw_alerts_config *cfg, int64_t now,
                            size_t *n_new)
{
    kw_alert_rec a;
    int64_t n = 0;
    kw_buf key;
    char day[32];
    int is_new = 0;
    kw_err rc;

    rc = kw_store_alert_count(st, "reentry", t->entity, t->out_at,
                              t->next_out_at, &n);
    if (rc || n > 0)
        return rc;
    day_of(t->event_at, t->event_offset, day);
    kw_buf_init(&key, 1024);
    kw_buf_addf(&key, "reentry:%s:%s", t->entity, day);
    if (key.err) {
        rc = key.err;
        kw_buf_deinit(&key);
        return rc;
    }
    memset(&a, 0, sizeof(a));
    a.kind = "reentry";
    a.transition_key = key.p;
    a.entity_id = t->entity;
    a.stance = "entering";
    a.event_id = t->event_id;
    a.date = t->event_at;
    a.url = t->url;
    a.sentence = t->sentence;
    a.is_backfill = now - t->event_at > cfg->window_s;
    rc = kw_store_alert_add(st, &a, NULL, &is_new);
    kw_buf_deinit(&key);
    if (!rc && is_new) {
        (*n_new)++;
        kw_log(KW_LOG_INFO, "alerts", "re-entry: %s (%s)%s", t->entity, day,
               a.is_backfill ? ", backfill" : "");
    }
    return rc;
}

static kw_err eval_reentry(kw_store *st, const kw_alerts_config *cfg,
                           int64_t now, size_t *n_new)
{
    walk w;
    size_t i;
    kw_err rc;

    memset(&w, 0, sizeof(w));
    rc = kw__history_each(st, NULL, walk_history, &w);
    for (i = 0; !rc && i < w.n; i++)
        rc = alert_reentry(st, &w.v[i], cfg, now, n_new);
    walk_free(&w);
    return rc;
}

/* ---- Saved searches ----------------------------------------------------- */

typedef struct search_copy {
    int64_t id;
    char *name;
    char *query;
} search_copy;

typedef struct search_list {
    search_copy *v;
    size_t n, cap;
} search_list;

static kw_err copy_search(const kw_saved_search_rec *s, void *ud)
{
    search_list *l = ud;
    search_copy *c;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        search_copy *v = kw_realloc(l->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    c = &l->v[l->n++];
    c->id = s->id;
    c->name = kw_strdup(s->name);
    c->query = kw_strdup(s->query);
    if (!c->name || !c->query)
        return KW_ENOMEM;
    return KW_OK;
}

typedef struct id_list {
    int64_t *v;
    size_t n, cap;
} id_list;

static kw_err collect_hit(const kw_search_hit *h, void *ud)
{
    id_list *l = ud;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        int64_t *v = kw_realloc(l->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = h->id;
    return KW_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

typedef struct hit_alert {
    kw_store *st;
    const search_copy *s;
    const kw_alerts_config *cfg;
    int64_t now;
    size_t *n_new;
} hit_alert;

static kw_err alert_article(const kw_article_rec *r, void *ud)
{
    hit_alert *h = ud;
    int64_t when = r->published_at ? r->published_at : r->fetched_at;
    kw_alert_rec a;
    kw_buf key;
    int is_new = 0;
    kw_err rc;

    kw_buf_init(&key, 256);
    kw_buf_addf(&key, "search:%lld:%lld", (long long)h->s->id,
                (long long)r->cluster);
    if (key.err) {
        rc = key.err;
        kw_buf_deinit(&key);
        return rc;
    }
    memset(&a, 0, sizeof(a));
    a.kind = "search";
    a.transition_key = key.p;
    a.search_id = h->s->id;
    a.date = when;
    a.url = r->url;
    a.sentence = r->title;
    a.is_backfill = h->now - when > h->cfg->window_s;
    rc = kw_store_alert_add(h->st, &a, NULL, &is_new);
    kw_buf_deinit(&key);
    if (!rc && is_new)
        (*h->n_new)++;
    return rc;
}

static kw_err eval_search(kw_store *st, const search_copy *s,
                          const kw_alerts_config *cfg, int64_t now,
                          size_t *n_new)
{
    kw_article_filter f;
    id_list ids;
    hit_alert h;
    char err[256], *match = NULL;
    size_t i;
    kw_err rc;

    rc = kw_query_compile(s->query, err, sizeof(err), &match);
    if (rc == KW_EINVAL) {
        kw_log(KW_LOG_WARN, "alerts", "saved search '%s': %s", s->name,
               err);
        return KW_OK;
    }
    if (rc)
        return rc;
    memset(&ids, 0, sizeof(ids));
    memset(&f, 0, sizeof(f));
    rc = kw_store_search(st, match, &f, collect_hit, &ids, NULL);
    kw_free(match);
    if (rc == KW_EINVAL) {
        kw_log(KW_LOG_WARN, "alerts", "saved search '%s': %s", s->name,
               kw_store_errmsg(st));
        rc = KW_OK;
    }
    h.st = st;
    h.s = s;
    h.cfg = cfg;
    h.now = now;
    h.n_new = n_new;
    /* In the order they were stored, so a cluster's alert carries the
     * copy seen first. */
    if (ids.n > 1)
        qsort(ids.v, ids.n, sizeof(ids.v[0]), cmp_id);
    for (i = 0; !rc && i < ids.n; i++)
        rc = kw_store_article_get(st, ids.v[i], alert_article, &h);
    kw_free(ids.v);
    return rc;
}

static kw_err eval_searches(kw_store *st, const kw_alerts_config *cfg,
                            int64_t now, size_t *n_new)
{
    search_list l;
    size_t i;
    kw_err rc;

    memset(&l, 0, sizeof(l));
    rc = kw_store_saved_search_each(st, copy_search, &l);
    for (i = 0; !rc && i < l.n; i++)
        rc = eval_search(st, &l.v[i], cfg, now, n_new);
    for (i = 0; i < l.n; i++) {
        kw_free(l.v[i].name);
        kw_free(l.v[i].query);
    }
    kw_free(l.v);
    return rc;
}

kw_err kw_alerts_evaluate(kw_store *st, const kw_alerts_config *cfg,
                          size_t *n_new)
{
    kw_alerts_config dflt = kw_alerts_config_default();
    size_t local = 0;
    int64_t now;
    kw_err rc;

    if (!cfg)
        cfg = &dflt;
    if (!n_new)
        n_new = &local;
    *n_new = 0;
    now = cfg->now ? cfg->now : kw_now();
    /* One transaction: what a run detects is committed together with
     * its pending deliveries, or not at all. */
    rc = kw_store_begin(st);
    if (rc)
        return rc;
    if (cfg->reentry)
        rc = eval_reentry(st, cfg, now, n_new);
    if (!rc && cfg->searches)
        rc = eval_searches(st, cfg, now, n_new);
    if (rc) {
        kw_store_rollback(st);
        *n_new = 0;
        return rc;
    }
    rc = kw_store_commit(st);
    if (rc)
        *n_new = 0;
    return rc;
}

/* ---- JSON --------------------------------------------------------------- */

static kw_err delivery_json(const kw_delivery_rec *d, void *ud)
{
    json_t *arr = ud;
    json_t *o = json_object();

    if (!o)
        return KW_ENOMEM;
    json_object_set_new(o, "channel", json_integer(d->channel_id));
    json_object_set_new(o, "kind", kw__query_jstr(d->channel_kind));
    json_object_set_new(o, "target", kw__query_jstr(d->channel_target));
    json_object_set_new(o, "state", kw__query_jstr(d->state));
    json_object_set_new(o, "attempts", json_integer(d->attempts));
    json_object_set_new(o, "last_error", kw__query_jstr(d->last_error));
    json_object_set_new(o, "delivered",
                        kw__query_jtime(d->delivered_at, KW_KST_OFFSET_MIN));
    if (json_array_append_new(arr, o))
        return KW_ENOMEM;
    return KW_OK;
}

/* The alert object shared by listings and payloads. */
static json_t *alert_object(const kw_alert_rec *a)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    json_object_set_new(o, "id", json_integer(a->id));
    json_object_set_new(o, "kind", kw__query_jstr(a->kind));
    json_object_set_new(o, "entity", kw__query_jstr(a->entity_id));
    json_object_set_new(o, "name", kw__query_jstr(a->entity_name));
    json_object_set_new(o, "stance", kw__query_jstr(a->stance));
    json_object_set_new(o, "date", kw__query_jtime(a->date, a->date_offset));
    json_object_set_new(o, "url", kw__query_jstr(a->url));
    json_object_set_new(o, "sentence", kw__query_jstr(a->sentence));
    json_object_set_new(o, "search", kw__query_jstr(a->search_name));
    return o;
}

typedef struct alerts_ctx {
    kw_store *st;
    json_t *arr;
} alerts_ctx;

static kw_err alert_json(const kw_alert_rec *a, void *ud)
{
    alerts_ctx *c = ud;
    json_t *o = alert_object(a), *dl = json_array();
    kw_err rc;

    if (!o || !dl) {
        json_decref(o);
        json_decref(dl);
        return KW_ENOMEM;
    }
    rc = kw_store_delivery_each(c->st, a->id, delivery_json, dl);
    if (rc) {
        json_decref(o);
        json_decref(dl);
        return rc;
    }
    json_object_set_new(o, "backfill", json_boolean(a->is_backfill));
    json_object_set_new(o, "created",
                        kw__query_jtime(a->created_at, KW_KST_OFFSET_MIN));
    json_object_set_new(o, "deliveries", dl);
    if (json_array_append_new(c->arr, o))
        return KW_ENOMEM;
    return KW_OK;
}

kw_err kw_alerts_json(kw_store *st, int with_backfill, char **json)
{
    alerts_ctx c;
    json_t *doc;
    kw_err rc;

    *json = NULL;
    c.st = st;
    doc = json_object();
    c.arr = json_array();
    if (!doc || !c.arr) {
        json_decref(doc);
        json_decref(c.arr);
        return KW_ENOMEM;
    }
    rc = kw_store_alert_each(st, with_backfill, alert_json, &c);
    if (rc) {
        json_decref(doc);
        json_decref(c.arr);
        return rc;
    }
    json_object_set_new(doc, "alerts", c.arr);
    return kw__query_dump(doc, json);
}

static kw_err payload_json(const kw_alert_rec *a, void *ud)
{
    json_t **out = ud;

    *out = alert_object(a);
    return *out ? KW_OK : KW_ENOMEM;
}

kw_err kw_alert_payload(kw_store *st, int64_t alert_id, char **json)
{
    json_t *o = NULL;
    kw_err rc;

    *json = NULL;
    rc = kw_store_alert_get(st, alert_id, payload_json, &o);
    if (rc) {
        json_decref(o);
        return rc;
    }
    return kw__query_dump(o, json);
}

kw_err kw_alerts_email_options(const char *smtp_url, const char *from,
                               char **json)
{
    json_t *o = json_object();

    *json = NULL;
    if (!o)
        return KW_ENOMEM;
    json_object_set_new(o, "smtp", kw__query_jstr(smtp_url));
    json_object_set_new(o, "from",
                        kw__query_jstr(from ? from : "kowatch@localhost"));
    return kw__query_dump(o, json);
}
