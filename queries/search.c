/*
 * Search and article listings: runs compiled queries against the store
 * and renders the JSON documents of DESIGN.md with jansson (never by
 * hand-built strings).
 */
#include <jansson.h>
#include <string.h>

#include "kw/web.h"
#include "queries_int.h"

#define DEFAULT_LIMIT 20

void kw_query_time(int64_t t, int offset_min, char out[32])
{
    if (t == 0) {
        out[0] = '\0';
        return;
    }
    kw_time_iso(t, offset_min, out);
}

kw_err kw_query_search(kw_store *st, const kw_search_opts *o,
                       kw_search_cb cb, void *ud, int64_t *total, char *err,
                       size_t err_n)
{
    kw_article_filter f;
    char *match = NULL;
    kw_err rc;

    if (total)
        *total = 0;
    rc = kw_query_compile(o->query, err, err_n, &match);
    if (rc)
        return rc;
    memset(&f, 0, sizeof(f));
    f.since = o->since;
    f.until = o->until;
    f.source = o->source;
    f.entity = o->entity;
    f.limit = o->limit ? o->limit : DEFAULT_LIMIT;
    rc = kw_store_search(st, match, &f, cb, ud, total);
    if (rc == KW_EINVAL && err && err_n)
        snprintf(err, err_n, "the search index rejected the query: %s",
                 kw_store_errmsg(st));
    kw_free(match);
    return rc;
}

/* json_string() returns NULL for NULL or invalid UTF-8; map both to null
 * so one bad field never drops a whole result. */
json_t *kw__query_jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;

    return j ? j : json_null();
}

json_t *kw__query_jtime(int64_t t, int offset_min)
{
    char iso[32];

    if (!t)
        return json_null();
    kw_query_time(t, offset_min, iso);
    return json_string(iso);
}

#define jstr kw__query_jstr
#define jtime kw__query_jtime

typedef struct ent_ctx {
    json_t *arr;
} ent_ctx;

static kw_err mention_json(const kw_mention_row *m, void *ud)
{
    ent_ctx *c = ud;
    json_t *o = json_object();

    if (!o)
        return KW_ENOMEM;
    json_object_set_new(o, "id", jstr(m->entity_id));
    json_object_set_new(o, "name", jstr(m->entity_name));
    json_object_set_new(o, "count", json_integer(m->count));
    if (json_array_append_new(c->arr, o))
        return KW_ENOMEM;
    return KW_OK;
}

json_t *kw__query_entities(kw_store *st, int64_t id, kw_err *err)
{
    ent_ctx c;

    c.arr = json_array();
    if (!c.arr) {
        *err = KW_ENOMEM;
        return NULL;
    }
    *err = kw_store_mention_each(st, id, mention_json, &c);
    if (*err) {
        json_decref(c.arr);
        return NULL;
    }
    return c.arr;
}

typedef struct json_ctx {
    json_t *arr;  /* results being built */
    kw_err err;   /* first failure */
    kw_store *st; /* for each result's entities */
} json_ctx;

static kw_err search_hit_json(const kw_search_hit *h, void *ud)
{
    json_ctx *c = ud;
    json_t *o = json_object();
    json_t *ents;
    kw_buf sn;
    kw_err rc;

    if (!o)
        return KW_ENOMEM;
    kw_buf_init(&sn, KW_MAX_TEXT);
    kw_buf_add(&sn, "", 0);
    kw_html_snippet(&sn, h->snippet, "<b>", "</b>");
    if (sn.err) {
        json_decref(o);
        kw_buf_deinit(&sn);
        return sn.err;
    }
    json_object_set_new(o, "id", json_integer(h->id));
    json_object_set_new(o, "url", jstr(h->url));
    json_object_set_new(o, "title", jstr(h->title));
    json_object_set_new(o, "published",
                        jtime(h->published_at, h->published_offset));
    json_object_set_new(o, "source", jstr(h->source));
    json_object_set_new(o, "snippet", jstr(sn.p));
    json_object_set_new(o, "score", json_real(h->score));
    kw_buf_deinit(&sn);
    ents = kw__query_entities(c->st, h->id, &rc);
    if (!ents) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "entities", ents);
    if (json_array_append_new(c->arr, o))
        return KW_ENOMEM;
    return KW_OK;
}

void kw_queries_global_init(void)
{
    /* jansson allocates through kowatch's allocator, so its strings are
     * freed with kw_free and allocation-failure tests reach it. */
    json_set_alloc_funcs(kw_malloc, kw_free);
}

kw_err kw__query_dump(json_t *doc, char **json)
{
    *json = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    return *json ? KW_OK : KW_ENOMEM;
}

kw_err kw_query_search_json(kw_store *st, const kw_search_opts *o, char *err,
                            size_t err_n, char **json)
{
    json_ctx c = {NULL, KW_OK, NULL};
    json_t *doc;
    int64_t total = 0;
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
    rc = kw_query_search(st, o, search_hit_json, &c, &total, err, err_n);
    if (rc) {
        json_decref(doc);
        json_decref(c.arr);
        return rc;
    }
    json_object_set_new(doc, "query", jstr(o->query));
    json_object_set_new(doc, "total", json_integer(total));
    json_object_set_new(doc, "total_exact",
                        json_boolean(kw_store_search_total_exact(st)));
    json_object_set_new(doc, "results", c.arr);
    return kw__query_dump(doc, json);
}

static kw_err article_json(const kw_article_rec *a, void *ud)
{
    json_ctx *c = ud;
    json_t *o = json_object();
    json_t *ents, *atts;
    kw_err rc;

    if (!o)
        return KW_ENOMEM;
    json_object_set_new(o, "id", json_integer(a->id));
    json_object_set_new(o, "url", jstr(a->url));
    json_object_set_new(o, "title", jstr(a->title));
    json_object_set_new(o, "published",
                        jtime(a->published_at, a->published_offset));
    json_object_set_new(o, "source", jstr(a->source_name));
    json_object_set_new(o, "kind", jstr(a->kind));
    json_object_set_new(o, "byline", jstr(a->byline));
    ents = kw__query_entities(c->st, a->id, &rc);
    if (!ents) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "entities", ents);
    json_object_set_new(o, "cluster", json_integer(a->cluster));
    atts = kw__query_attachments(c->st, a->id, &rc);
    if (!atts) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "attachments", atts);
    if (json_array_append_new(c->arr, o))
        return KW_ENOMEM;
    return KW_OK;
}

kw_err kw_query_articles_json(kw_store *st, const kw_article_filter *f,
                              char **json)
{
    json_ctx c = {NULL, KW_OK, NULL};
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
    rc = kw_store_article_each(st, f, article_json, &c);
    if (rc) {
        json_decref(doc);
        json_decref(c.arr);
        return rc;
    }
    json_object_set_new(doc, "articles", c.arr);
    return kw__query_dump(doc, json);
}
