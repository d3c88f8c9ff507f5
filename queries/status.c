/*
 * status.c -- participation decisions as analysts read them: the events
 * list, the status board (optionally as of a past date) and one entity's
 * timeline, as structs and as the JSON documents of DESIGN.md.
 *
 * Status rule (DESIGN.md, Vocabulary): an entity's status is its latest
 * stance by event date; a tie on the event date goes to the report
 * published later.  Event dates are days ('15일'), so the tie is decided
 * per local day: the store returns events by day, then published date,
 * and a day's stance is that of its last event.  Because ordering is by
 * the date the event happened, not the date it was reported, a story that
 * restates an old result (eliminated on the 15th, published weeks later)
 * lands in its place in history and cannot undo a later decision; and a
 * restatement inside one day never makes the status flip back and forth.
 * "since" is the first event of the day the current stance began.
 */
#include <string.h>

#include "queries_int.h"

/* ---- Histories ---------------------------------------------------------- */

typedef struct hist_ctx {
    kw__history_cb cb;
    void *ud;
    char *entity;
    char *name;
    kw__hev *v;
    size_t n, cap;
} hist_ctx;

static void hev_clear(kw__hev *e)
{
    kw_free(e->stance);
    kw_free(e->url);
    kw_free(e->title);
    kw_free(e->source);
    kw_free(e->sentence);
}

static void hist_reset(hist_ctx *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        hev_clear(&c->v[i]);
    c->n = 0;
    kw_free(c->entity);
    kw_free(c->name);
    c->entity = NULL;
    c->name = NULL;
}

/* Copies @s; NULL stays NULL.  Sets *bad on allocation failure. */
static char *dup_or(const char *s, int *bad)
{
    char *c;

    if (!s)
        return NULL;
    c = kw_strdup(s);
    if (!c)
        *bad = 1;
    return c;
}

static int64_t local_day(int64_t t, int offset_min)
{
    int64_t x = t + (int64_t)offset_min * 60;

    return x >= 0 ? x / 86400 : (x - 86399) / 86400;
}

/* Marks status changes (see kw__history) and calls the callback. */
static kw_err hist_flush(hist_ctx *c)
{
    kw__history h;
    const char *status = NULL;
    size_t i = 0, j, k;

    if (!c->entity)
        return KW_OK;
    while (i < c->n) {
        int64_t day = local_day(c->v[i].at, c->v[i].at_offset);
        const char *final;

        for (j = i; j < c->n &&
                    local_day(c->v[j].at, c->v[j].at_offset) == day;
             j++)
            c->v[j].is_change = 0;
        final = c->v[j - 1].stance;
        if (!status || strcmp(status, final) != 0) {
            for (k = i; k < j; k++)
                if (strcmp(c->v[k].stance, final) == 0)
                    break;
            c->v[k].is_change = 1;
            status = final;
        }
        i = j;
    }
    h.entity = c->entity;
    h.name = c->name;
    h.v = c->v;
    h.n = c->n;
    return c->cb(&h, c->ud);
}

static kw_err hist_event(const kw_event_rec *e, void *ud)
{
    hist_ctx *c = ud;
    kw__hev *d;
    kw_err rc;
    int bad = 0;

    if (!c->entity || strcmp(c->entity, e->entity_id) != 0) {
        rc = hist_flush(c);
        hist_reset(c);
        if (rc)
            return rc;
        c->entity = dup_or(e->entity_id, &bad);
        c->name = dup_or(e->entity_name ? e->entity_name : e->entity_id,
                         &bad);
        if (bad)
            return KW_ENOMEM;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        kw__hev *v = kw_realloc(c->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        c->v = v;
        c->cap = cap;
    }
    d = &c->v[c->n++];
    memset(d, 0, sizeof(*d));
    d->id = e->id;
    d->at = e->event_at;
    d->at_offset = e->event_offset;
    d->pub = e->published_at;
    d->pub_offset = e->published_offset;
    d->article = e->article_id;
    d->cluster = e->cluster;
    d->stance = dup_or(e->stance ? e->stance : "", &bad);
    d->url = dup_or(e->url, &bad);
    d->title = dup_or(e->title, &bad);
    d->source = dup_or(e->source, &bad);
    d->sentence = dup_or(e->sentence, &bad);
    return bad ? KW_ENOMEM : KW_OK;
}

kw_err kw__history_each(kw_store *st, const kw_event_filter *f,
                        kw__history_cb cb, void *ud)
{
    hist_ctx c;
    kw_err rc;

    memset(&c, 0, sizeof(c));
    c.cb = cb;
    c.ud = ud;
    rc = kw_store_event_each(st, f, hist_event, &c);
    if (!rc)
        rc = hist_flush(&c);
    hist_reset(&c);
    kw_free(c.v);
    return rc == KW_EDONE ? KW_OK : rc;
}

/* ---- The status board ---------------------------------------------------- */

/* One entity's board line, with owned copies of what it shows. */
typedef struct board_line {
    char *id;
    char *name;
    char *stance;
    int64_t since;
    int since_offset;
    char *url;
    char *sentence;
    int64_t last;
    int last_offset;
    char *last_url;
    char *last_sentence;
    size_t n_events;
} board_line;

typedef struct board {
    board_line *v;
    size_t n;
    size_t cap;
} board;

static void line_free(board_line *l)
{
    kw_free(l->id);
    kw_free(l->name);
    kw_free(l->stance);
    kw_free(l->url);
    kw_free(l->sentence);
    kw_free(l->last_url);
    kw_free(l->last_sentence);
}

static void board_free(board *b)
{
    size_t i;

    for (i = 0; i < b->n; i++)
        line_free(&b->v[i]);
    kw_free(b->v);
}

static kw_err add_entity(const kw_entity_rec *e, void *ud)
{
    board *b = ud;
    board_line *l;
    int bad = 0;

    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        board_line *v = kw_realloc(b->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        b->v = v;
        b->cap = cap;
    }
    l = &b->v[b->n];
    memset(l, 0, sizeof(*l));
    b->n++;
    l->id = dup_or(e->id, &bad);
    l->name = dup_or(e->name, &bad);
    return bad ? KW_ENOMEM : KW_OK;
}

/* Entities are listed by id, as the histories are; a binary search finds
 * a history's line. */
static board_line *find_line(board *b, const char *id)
{
    size_t lo = 0, hi = b->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(b->v[mid].id, id);

        if (c == 0)
            return &b->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The status is the stance begun by the last change; "last" is the
 * latest event that reports that stance. */
static kw_err fold_history(const kw__history *h, void *ud)
{
    board_line *l = find_line(ud, h->entity);
    const kw__hev *ch = NULL, *last = NULL;
    size_t i;
    int bad = 0;

    if (!l || h->n == 0)
        return KW_OK;
    for (i = 0; i < h->n; i++)
        if (h->v[i].is_change)
            ch = &h->v[i];
    for (i = 0; i < h->n; i++)
        if (strcmp(h->v[i].stance, ch->stance) == 0)
            last = &h->v[i];
    l->n_events = h->n;
    l->stance = dup_or(ch->stance, &bad);
    l->since = ch->at;
    l->since_offset = ch->at_offset;
    l->url = dup_or(ch->url, &bad);
    l->sentence = dup_or(ch->sentence, &bad);
    l->last = last->at;
    l->last_offset = last->at_offset;
    l->last_url = dup_or(last->url, &bad);
    l->last_sentence = dup_or(last->sentence, &bad);
    return bad ? KW_ENOMEM : KW_OK;
}

/* Builds the board as of @as_of (0: everything). */
static kw_err board_build(kw_store *st, int64_t as_of, board *b)
{
    kw_event_filter f;
    kw_err rc;

    memset(b, 0, sizeof(*b));
    rc = kw_store_entity_each(st, add_entity, b);
    if (rc)
        return rc;
    memset(&f, 0, sizeof(f));
    f.until = as_of;
    f.known_until = as_of;
    return kw__history_each(st, &f, fold_history, b);
}

kw_err kw_query_status(kw_store *st, int64_t as_of, kw_status_cb cb,
                       void *ud)
{
    kw_status_row r;
    board b;
    size_t i;
    kw_err rc;

    rc = board_build(st, as_of, &b);
    for (i = 0; !rc && i < b.n; i++) {
        const board_line *l = &b.v[i];

        memset(&r, 0, sizeof(r));
        r.entity_id = l->id;
        r.name = l->name;
        r.stance = l->stance;
        r.since = l->since;
        r.since_offset = l->since_offset;
        r.url = l->url;
        r.sentence = l->sentence;
        r.last = l->last;
        r.last_offset = l->last_offset;
        r.last_url = l->last_url;
        r.last_sentence = l->last_sentence;
        r.n_events = l->n_events;
        rc = cb(&r, ud);
    }
    board_free(&b);
    return rc == KW_EDONE ? KW_OK : rc;
}

static kw_err status_line_json(const kw_status_row *r, void *ud)
{
    json_t *arr = ud;
    json_t *o = json_object();

    if (!o)
        return KW_ENOMEM;
    json_object_set_new(o, "id", kw__query_jstr(r->entity_id));
    json_object_set_new(o, "name", kw__query_jstr(r->name));
    json_object_set_new(o, "stance", kw__query_jstr(r->stance));
    json_object_set_new(o, "since",
                        r->stance ? kw__query_jtime(r->since, r->since_offset)
                                  : json_null());
    json_object_set_new(o, "url", kw__query_jstr(r->url));
    json_object_set_new(o, "sentence", kw__query_jstr(r->sentence));
    json_object_set_new(o, "last",
                        r->stance ? kw__query_jtime(r->last, r->last_offset)
                                  : json_null());
    json_object_set_new(o, "last_url", kw__query_jstr(r->last_url));
    json_object_set_new(o, "events", json_integer((json_int_t)r->n_events));
    if (json_array_append_new(arr, o))
        return KW_ENOMEM;
    return KW_OK;
}

kw_err kw_query_status_json(kw_store *st, int64_t as_of,
                            const char *as_of_label, char **json)
{
    json_t *doc, *arr;
    char iso[32];
    kw_err rc;

    *json = NULL;
    doc = json_object();
    arr = json_array();
    if (!doc || !arr) {
        json_decref(doc);
        json_decref(arr);
        return KW_ENOMEM;
    }
    rc = kw_query_status(st, as_of, status_line_json, arr);
    if (rc) {
        json_decref(doc);
        json_decref(arr);
        return rc;
    }
    if (!as_of_label) {
        kw_query_time(as_of ? as_of : kw_now(), KW_KST_OFFSET_MIN, iso);
        as_of_label = iso;
    }
    json_object_set_new(doc, "as_of", kw__query_jstr(as_of_label));
    json_object_set_new(doc, "entities", arr);
    return kw__query_dump(doc, json);
}

/* ---- Events and timelines ---------------------------------------------- */

static kw_err event_json(const kw_event_rec *e, void *ud)
{
    json_t *arr = ud;
    json_t *o = json_object();

    if (!o)
        return KW_ENOMEM;
    json_object_set_new(o, "entity", kw__query_jstr(e->entity_id));
    json_object_set_new(o, "name", kw__query_jstr(e->entity_name));
    json_object_set_new(o, "stance", kw__query_jstr(e->stance));
    json_object_set_new(o, "date",
                        kw__query_jtime(e->event_at, e->event_offset));
    json_object_set_new(o, "published", kw__query_jtime(e->published_at,
                                                        e->published_offset));
    json_object_set_new(o, "url", kw__query_jstr(e->url));
    json_object_set_new(o, "title", kw__query_jstr(e->title));
    json_object_set_new(o, "source", kw__query_jstr(e->source));
    json_object_set_new(o, "sentence", kw__query_jstr(e->sentence));
    json_object_set_new(o, "article", json_integer(e->article_id));
    json_object_set_new(o, "cluster", json_integer(e->cluster));
    if (json_array_append_new(arr, o))
        return KW_ENOMEM;
    return KW_OK;
}

kw_err kw_query_events_json(kw_store *st, const char *entity, char **json)
{
    kw_event_filter f;
    json_t *doc, *arr;
    kw_err rc;

    *json = NULL;
    memset(&f, 0, sizeof(f));
    f.entity = entity;
    doc = json_object();
    arr = json_array();
    if (!doc || !arr) {
        json_decref(doc);
        json_decref(arr);
        return KW_ENOMEM;
    }
    rc = kw_store_event_each(st, &f, event_json, arr);
    if (rc) {
        json_decref(doc);
        json_decref(arr);
        return rc;
    }
    json_object_set_new(doc, "events", arr);
    return kw__query_dump(doc, json);
}

typedef struct tl_ctx {
    json_t *arr;
    char *stance; /* the status after the history */
} tl_ctx;

static kw_err timeline_history(const kw__history *h, void *ud)
{
    tl_ctx *c = ud;
    size_t i;

    for (i = 0; i < h->n; i++) {
        const kw__hev *e = &h->v[i];
        json_t *o = json_object();

        if (!o)
            return KW_ENOMEM;
        json_object_set_new(o, "stance", kw__query_jstr(e->stance));
        json_object_set_new(o, "date",
                            kw__query_jtime(e->at, e->at_offset));
        json_object_set_new(o, "published",
                            kw__query_jtime(e->pub, e->pub_offset));
        json_object_set_new(o, "url", kw__query_jstr(e->url));
        json_object_set_new(o, "title", kw__query_jstr(e->title));
        json_object_set_new(o, "source", kw__query_jstr(e->source));
        json_object_set_new(o, "sentence", kw__query_jstr(e->sentence));
        json_object_set_new(o, "article", json_integer(e->article));
        json_object_set_new(o, "change", json_boolean(e->is_change));
        if (json_array_append_new(c->arr, o))
            return KW_ENOMEM;
        if (e->is_change) {
            kw_free(c->stance);
            c->stance = kw_strdup(e->stance);
            if (!c->stance)
                return KW_ENOMEM;
        }
    }
    return KW_OK;
}

static kw_err copy_name(const kw_entity_rec *e, void *ud)
{
    char **name = ud;

    *name = kw_strdup(e->name);
    return *name ? KW_OK : KW_ENOMEM;
}

kw_err kw_query_timeline_json(kw_store *st, const char *entity, char **json)
{
    kw_event_filter f;
    tl_ctx c;
    json_t *doc;
    char *name = NULL;
    kw_err rc;

    *json = NULL;
    memset(&c, 0, sizeof(c));
    rc = kw_store_entity_get(st, entity, copy_name, &name);
    if (rc)
        return rc;
    memset(&f, 0, sizeof(f));
    f.entity = entity;
    doc = json_object();
    c.arr = json_array();
    if (!doc || !c.arr) {
        rc = KW_ENOMEM;
        goto fail;
    }
    rc = kw__history_each(st, &f, timeline_history, &c);
    if (rc)
        goto fail;
    json_object_set_new(doc, "entity", kw__query_jstr(entity));
    json_object_set_new(doc, "name", kw__query_jstr(name));
    json_object_set_new(doc, "stance", kw__query_jstr(c.stance));
    json_object_set_new(doc, "events", c.arr);
    kw_free(name);
    kw_free(c.stance);
    return kw__query_dump(doc, json);
fail:
    json_decref(doc);
    json_decref(c.arr);
    kw_free(name);
    kw_free(c.stance);
    return rc;
}
