/*
 * web.c -- `kowatch serve`: the web UI and JSON API (issue 7; DESIGN.md
 * "serve"), on libmicrohttpd.
 *
 * Routes (GET and HEAD only):
 *   /, /search?q=&entity=&source=&since=&until=&limit=   search page
 *   /status                      the entity status board
 *   /entity/ID                   an entity's timeline
 *   /article/ID                  an article: text, entities, stances
 *   /article/ID/archive          the archived response payload, text/plain
 *   /digest, /digest/DATE        the daily digest (KST day)
 *   /api/search, /api/status, /api/events?entity=, /api/articles/ID,
 *   /api/digest?date=            JSON (the shapes of DESIGN.md)
 * A bad parameter is a 400 and an unknown route a 404; under /api/ the
 * body is {"error": "..."}.  Only a store failure is a 5xx.
 *
 * Concurrency: MHD runs a small thread pool; each request borrows a
 * kw_store (one SQLite connection, WAL) from a mutex-protected free list
 * and returns it, so readers never share a connection and a crawl in
 * another process can write meanwhile.  The server never writes.
 *
 * Escaping: every value reaches HTML through kw_html_escape (html.c, also
 * used by the HTML digest, alert e-mails and search JSON); snippets carry match markers (\x02 \x03) that become
 * <mark> after the text between them is escaped.  Pages have no scripts;
 * a Content-Security-Policy forbids any, and all CSS is inline.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <jansson.h>
#include <microhttpd.h>

#include "kw/digest.h"
#include "kw/parsers.h"
#include "kw/queries.h"
#include "kw/store_digest.h"
#include "kw/web.h"
#include "queries_int.h"

#define MAX_PAGE ((size_t)32 * 1024 * 1024)
#define MAX_LIMIT 200
#define MAX_PARAM 1024

#define H kw_html_escape

/* ---- Server and store pool ----------------------------------------------- */

struct kw_web {
    struct MHD_Daemon *d;   /* NULL until started */
    char *db_path;          /* owned */
    char *archive_dir;      /* owned, or NULL */
    uint16_t port;          /* bound port */
    pthread_mutex_t mu;     /* guards the free list */
    kw_store **free_st;     /* idle connections */
    size_t n_free, cap;
};

/* Takes an idle store, or opens one; NULL if it cannot be opened. */
static kw_store *pool_get(kw_web *w)
{
    kw_store *st = NULL;
    char err[256];

    pthread_mutex_lock(&w->mu);
    if (w->n_free)
        st = w->free_st[--w->n_free];
    pthread_mutex_unlock(&w->mu);
    if (!st && kw_store_open(w->db_path, err, sizeof(err), &st)) {
        kw_log(KW_LOG_ERROR, "web", "%s", err);
        st = NULL;
    }
    return st;
}

/* Returns @st to the free list (closing it if the list cannot grow). */
static void pool_put(kw_web *w, kw_store *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&w->mu);
    if (w->n_free == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        kw_store **p = kw_realloc(w->free_st, cap * sizeof(*p));

        if (p) {
            w->free_st = p;
            w->cap = cap;
        }
    }
    if (w->n_free < w->cap) {
        w->free_st[w->n_free++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&w->mu);
    kw_store_close(st);
}

/* ---- Requests ----------------------------------------------------------- */

typedef struct req {
    kw_web *w;
    struct MHD_Connection *con;
    kw_store *st;          /* borrowed from the pool */
    kw_buf body;
    unsigned status;
    const char *ctype;
    char ctype_buf[96];    /* for a Content-Type built per request */
} req;

/* A query-string argument, or NULL if absent or empty. */
static const char *arg(req *r, const char *name)
{
    const char *v =
        MHD_lookup_connection_value(r->con, MHD_GET_ARGUMENT_KIND, name);

    return v && *v ? v : NULL;
}

/* Sets a JSON {error} response with @status. */
static void json_error(req *r, unsigned status, const char *msg)
{
    json_t *o = json_object();
    char *s = NULL;

    kw_buf_reset(&r->body);
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    if (o) {
        json_object_set_new(o, "error", kw__query_jstr(msg));
        s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
    }
    kw_buf_adds(&r->body, s ? s : "{\"error\":\"out of memory\"}");
    kw_buf_addc(&r->body, '\n');
    kw_free(s);
}

/* Sets an owned JSON document as a 200 response. */
static void json_ok(req *r, char *json)
{
    r->status = MHD_HTTP_OK;
    r->ctype = "application/json; charset=utf-8";
    kw_buf_adds(&r->body, json);
    kw_buf_addc(&r->body, '\n');
    kw_free(json);
}

static const char css[] =
    "body{margin:0;font:15px/1.5 -apple-system,'Segoe UI','Malgun Gothic',"
    "'Apple SD Gothic Neo',sans-serif;color:#222;background:#fafafa}"
    "header{background:#1f3b5c;padding:8px 16px}"
    "header a{color:#fff;margin-right:18px;text-decoration:none;"
    "font-weight:600}main{max-width:880px;margin:0 auto;padding:16px}"
    "a{color:#1a56a6}mark{background:#ffe58a;padding:0 1px}"
    "form.s{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:14px}"
    "form.s input,form.s select{padding:5px;font-size:14px}"
    "form.s input[name=q]{flex:1 1 260px}"
    ".meta{color:#666;font-size:13px}.snip{margin:2px 0 0}"
    "ol.r li{margin-bottom:12px}table.b{border-collapse:collapse;width:100%}"
    "table.b td,table.b th{border-bottom:1px solid #ddd;padding:6px;"
    "text-align:left;vertical-align:top}"
    ".st{font-weight:600}.st-selected{color:#1b7f3b}"
    ".st-eliminated,.st-declined{color:#b3261e}"
    ".st-entering{color:#1a56a6}.st-considering{color:#a36b00}"
    "blockquote{margin:4px 0 4px 0;padding-left:10px;border-left:3px solid"
    " #ccc;color:#444}.err{color:#b3261e}article p{margin:0 0 12px}";

/* Starts an HTML page titled @title. */
static void page_start(req *r, const char *title)
{
    r->status = MHD_HTTP_OK;
    r->ctype = "text/html; charset=utf-8";
    kw_buf_adds(&r->body, "<!DOCTYPE html>\n<html lang=\"ko\"><head>"
                          "<meta charset=\"utf-8\"><meta name=\"viewport\""
                          " content=\"width=device-width\"><title>");
    H(&r->body, title);
    kw_buf_adds(&r->body, " - kowatch</title><style>");
    kw_buf_adds(&r->body, css);
    kw_buf_adds(&r->body,
                "</style></head><body><header><a href=\"/\">Search</a>"
                "<a href=\"/status\">Status</a><a href=\"/digest\">Digest"
                "</a></header><main>\n");
}

static void page_end(req *r)
{
    kw_buf_adds(&r->body, "</main></body></html>\n");
}

/* An HTML error page with @status. */
static void page_error(req *r, unsigned status, const char *msg)
{
    kw_buf_reset(&r->body);
    page_start(r, status == 404 ? "Not found" : "Error");
    r->status = status;
    kw_buf_adds(&r->body, "<h1>");
    kw_buf_adds(&r->body, status == 404   ? "Not found"
                          : status == 400 ? "Bad request"
                                          : "Error");
    kw_buf_adds(&r->body, "</h1><p class=\"err\">");
    H(&r->body, msg);
    kw_buf_adds(&r->body, "</p>");
    page_end(r);
}

/* An error: JSON under /api/, else a page. */
static void fail(req *r, int is_api, unsigned status, const char *msg)
{
    if (is_api)
        json_error(r, status, msg);
    else
        page_error(r, status, msg);
}

/* A store failure: logged, 500. */
static void fail_store(req *r, int is_api, kw_err rc)
{
    kw_log(KW_LOG_ERROR, "web", "%s (%s)", kw_store_errmsg(r->st),
           kw_strerror(rc));
    fail(r, is_api, MHD_HTTP_INTERNAL_SERVER_ERROR,
         "the database could not be read");
}

/* An entity id: 1..64 of [a-z0-9-_.]. */
static int is_entity_id(const char *s)
{
    size_t n = 0;

    for (; *s; s++, n++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return 0;
    }
    return n > 0 && n <= 64;
}

/* Parses a decimal id (1 .. 2^62) from p[0..n). */
static int parse_id(const char *p, size_t n, int64_t *out)
{
    uint64_t v;

    if (n == 0 || n > 19 || kw_parse_u64(p, n, &v) || v == 0 ||
        v > ((uint64_t)1 << 62))
        return 0;
    *out = (int64_t)v;
    return 1;
}

/* Parses a date parameter: a bare day (KST) or ISO 8601 with time.  For
 * an upper bound a bare day means its end.  0 if absent. */
static int parse_date_arg(const char *s, int is_upper, int64_t *out)
{
    kw_date d;

    *out = 0;
    if (!s)
        return 1;
    if (strlen(s) > 64 || kw_date_parse(s, strlen(s), &d))
        return 0;
    *out = d.t + (is_upper && !d.has_time ? 86400 : 0);
    return 1;
}

/* Reads and validates the search parameters into @o.  On a bad value
 * writes a message into @msg and returns 0. */
static int search_params(req *r, kw_search_opts *o, char *msg, size_t n)
{
    const char *lim = arg(r, "limit");
    const char *names[] = {"q", "entity", "source", "since", "until",
                           "limit"};
    size_t i;

    memset(o, 0, sizeof(*o));
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *v = arg(r, names[i]);

        if (v && (strlen(v) > MAX_PARAM || !kw_utf8_valid(v, strlen(v)))) {
            snprintf(msg, n, "parameter '%s' is too long or not UTF-8",
                     names[i]);
            return 0;
        }
    }
    o->query = arg(r, "q");
    o->entity = arg(r, "entity");
    o->source = arg(r, "source");
    if (o->entity && !is_entity_id(o->entity)) {
        snprintf(msg, n, "entity must be an entity id such as 'kakao'");
        return 0;
    }
    if (!parse_date_arg(arg(r, "since"), 0, &o->since) ||
        !parse_date_arg(arg(r, "until"), 1, &o->until)) {
        snprintf(msg, n, "since and until take a date such as 2026-02-10");
        return 0;
    }
    if (lim) {
        uint64_t v;

        if (kw_parse_u64(lim, strlen(lim), &v) || v == 0 || v > MAX_LIMIT) {
            snprintf(msg, n, "limit takes a whole number from 1 to %d",
                     MAX_LIMIT);
            return 0;
        }
        o->limit = (size_t)v;
    }
    return 1;
}

/* ---- Pages --------------------------------------------------------------- */

static kw_err entity_option(const kw_entity_rec *e, void *ud)
{
    req *r = ((void **)ud)[0];
    const char *sel = ((void **)ud)[1];

    kw_buf_adds(&r->body, "<option value=\"");
    H(&r->body, e->id);
    kw_buf_addf(&r->body, "\"%s>",
                sel && strcmp(sel, e->id) == 0 ? " selected" : "");
    H(&r->body, e->name);
    kw_buf_adds(&r->body, "</option>");
    return KW_OK;
}

/* The search form, filled with the current parameters. */
static kw_err search_form(req *r)
{
    void *ctx[2];
    const char *v;

    ctx[0] = r;
    ctx[1] = (void *)arg(r, "entity");
    kw_buf_adds(&r->body, "<form class=\"s\" action=\"/search\" method=\"get\""
                          "><input name=\"q\" placeholder=\"검색어 / query\""
                          " value=\"");
    H(&r->body, arg(r, "q"));
    kw_buf_adds(&r->body, "\"><select name=\"entity\"><option value=\"\">"
                          "any entity</option>");
    if (kw_store_entity_each(r->st, entity_option, ctx))
        return KW_EDB;
    kw_buf_adds(&r->body, "</select><input name=\"source\" size=\"10\" "
                          "placeholder=\"source\" value=\"");
    H(&r->body, arg(r, "source"));
    kw_buf_adds(&r->body, "\"><input name=\"since\" type=\"date\" "
                          "title=\"since\" value=\"");
    v = arg(r, "since");
    H(&r->body, v);
    kw_buf_adds(&r->body, "\"><input name=\"until\" type=\"date\" "
                          "title=\"until\" value=\"");
    H(&r->body, arg(r, "until"));
    kw_buf_adds(&r->body, "\"><button>Search</button></form>\n");
    return KW_OK;
}

static kw_err hit_html(const kw_search_hit *h, void *ud)
{
    req *r = ud;
    char when[32];

    kw_query_time(h->published_at, h->published_offset, when);
    kw_buf_addf(&r->body, "<li><a class=\"t\" href=\"/article/%lld\">",
                (long long)h->id);
    H(&r->body, h->title && *h->title ? h->title : "(untitled)");
    kw_buf_adds(&r->body, "</a><div class=\"meta\">");
    H(&r->body, h->source ? h->source : "-");
    kw_buf_adds(&r->body, " &middot; ");
    H(&r->body, when[0] ? when : "date unknown");
    kw_buf_adds(&r->body, " &middot; <a href=\"");
    H(&r->body, h->url);
    kw_buf_adds(&r->body, "\">source</a></div><p class=\"snip\">");
    kw_html_snippet(&r->body, h->snippet, "<mark>", "</mark>");
    kw_buf_adds(&r->body, "</p></li>\n");
    return KW_OK;
}

static void page_search(req *r)
{
    kw_search_opts o;
    char msg[256];
    int64_t total = 0;
    kw_err rc;

    if (!search_params(r, &o, msg, sizeof(msg))) {
        page_error(r, MHD_HTTP_BAD_REQUEST, msg);
        return;
    }
    page_start(r, o.query ? o.query : "Search");
    kw_buf_adds(&r->body, "<h1>Search</h1>\n");
    rc = search_form(r);
    if (rc) {
        fail_store(r, 0, rc);
        return;
    }
    if (!o.query) {
        kw_buf_adds(&r->body, "<p class=\"meta\">Words are ANDed; "
                              "\"a phrase\"; a OR b; -word excludes; "
                              "prefix*.</p>");
        page_end(r);
        return;
    }
    kw_buf_adds(&r->body, "<div id=\"results\">");
    {
        size_t mark = r->body.n;

        rc = kw_query_search(r->st, &o, hit_html, r, &total, msg,
                             sizeof(msg));
        if (rc == KW_EINVAL) {
            page_error(r, MHD_HTTP_BAD_REQUEST, msg);
            return;
        }
        if (rc) {
            fail_store(r, 0, rc);
            return;
        }
        /* The count goes before the list: build the list, then insert. */
        {
            char head[128];
            char *list = kw_strndup(r->body.p + mark, r->body.n - mark);

            if (!list) {
                fail(r, 0, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
                return;
            }
            r->body.n = mark;
            r->body.p[mark] = '\0';
            snprintf(head, sizeof(head),
                     "<p class=\"meta\" id=\"total\">%s%lld result%s</p>"
                     "<ol class=\"r\">\n",
                     kw_store_search_total_exact(r->st) ? "" : "about ",
                     (long long)total, total == 1 ? "" : "s");
            kw_buf_adds(&r->body, head);
            kw_buf_adds(&r->body, list);
            kw_free(list);
        }
    }
    kw_buf_adds(&r->body, "</ol></div>");
    page_end(r);
}

static kw_err status_html(const kw_status_row *s, void *ud)
{
    req *r = ud;
    char since[32];

    kw_buf_adds(&r->body, "<tr><td><a href=\"/entity/");
    H(&r->body, s->entity_id);
    kw_buf_adds(&r->body, "\">");
    H(&r->body, s->name ? s->name : s->entity_id);
    kw_buf_adds(&r->body, "</a></td><td class=\"st st-");
    H(&r->body, s->stance ? s->stance : "none");
    kw_buf_adds(&r->body, "\">");
    H(&r->body, s->stance ? s->stance : "-");
    kw_buf_adds(&r->body, "</td><td>");
    if (s->stance) {
        kw_query_time(s->since, s->since_offset, since);
        since[10] = '\0';
        H(&r->body, since);
        kw_buf_adds(&r->body, "</td><td>");
        if (s->sentence) {
            kw_buf_adds(&r->body, "<blockquote>");
            H(&r->body, s->sentence);
            kw_buf_adds(&r->body, "</blockquote>");
        }
        if (s->url) {
            kw_buf_adds(&r->body, "<a href=\"");
            H(&r->body, s->url);
            kw_buf_adds(&r->body, "\">source</a>");
        }
    } else {
        kw_buf_adds(&r->body, "</td><td>");
    }
    kw_buf_adds(&r->body, "</td></tr>\n");
    return KW_OK;
}

static void page_status(req *r)
{
    kw_err rc;

    page_start(r, "Status");
    kw_buf_adds(&r->body, "<h1>Participation status</h1>\n<table class=\"b\""
                          "><tr><th>Entity</th><th>Stance</th><th>Since</th>"
                          "<th>Evidence</th></tr>\n");
    rc = kw_query_status(r->st, 0, status_html, r);
    if (rc) {
        fail_store(r, 0, rc);
        return;
    }
    kw_buf_adds(&r->body, "</table>");
    page_end(r);
}

static void page_entity(req *r, const char *id)
{
    char *json = NULL;
    json_t *doc, *ev;
    size_t i;
    kw_err rc;

    if (!is_entity_id(id)) {
        page_error(r, MHD_HTTP_NOT_FOUND, "no such entity");
        return;
    }
    rc = kw_query_timeline_json(r->st, id, &json);
    if (rc == KW_ENOTFOUND) {
        page_error(r, MHD_HTTP_NOT_FOUND, "no such entity");
        return;
    }
    if (rc) {
        fail_store(r, 0, rc);
        return;
    }
    doc = json_loads(json, 0, NULL);
    kw_free(json);
    if (!doc) {
        fail(r, 0, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return;
    }
    page_start(r, json_string_value(json_object_get(doc, "name")));
    kw_buf_adds(&r->body, "<h1>");
    H(&r->body, json_string_value(json_object_get(doc, "name")));
    kw_buf_adds(&r->body, "</h1><p>Current stance: <span class=\"st st-");
    H(&r->body, json_string_value(json_object_get(doc, "stance")));
    kw_buf_adds(&r->body, "\">");
    H(&r->body, json_is_string(json_object_get(doc, "stance"))
                    ? json_string_value(json_object_get(doc, "stance"))
                    : "none known");
    kw_buf_adds(&r->body, "</span> &middot; <a href=\"/search?entity=");
    H(&r->body, id);
    kw_buf_adds(&r->body, "&amp;q=");
    H(&r->body, json_string_value(json_object_get(doc, "name")));
    kw_buf_adds(&r->body, "\">coverage</a></p>\n<table class=\"b\"><tr>"
                          "<th>Date</th><th>Stance</th><th>Evidence</th>"
                          "</tr>\n");
    json_array_foreach(json_object_get(doc, "events"), i, ev)
    {
        const char *date = json_string_value(json_object_get(ev, "date"));
        int change = json_is_true(json_object_get(ev, "change"));

        kw_buf_adds(&r->body, "<tr><td>");
        if (date)
            kw_html_escape_n(&r->body, date,
                             strlen(date) < 10 ? strlen(date) : 10);
        kw_buf_adds(&r->body, "</td><td class=\"st st-");
        H(&r->body, json_string_value(json_object_get(ev, "stance")));
        kw_buf_adds(&r->body, "\">");
        H(&r->body, json_string_value(json_object_get(ev, "stance")));
        kw_buf_adds(&r->body, change ? " &#9679;" : " <span class=\"meta\">"
                                                    "(again)</span>");
        kw_buf_adds(&r->body, "</td><td><blockquote>");
        H(&r->body, json_string_value(json_object_get(ev, "sentence")));
        kw_buf_adds(&r->body, "</blockquote><span class=\"meta\">");
        H(&r->body, json_string_value(json_object_get(ev, "source")));
        kw_buf_adds(&r->body, " &middot; <a href=\"");
        H(&r->body, json_string_value(json_object_get(ev, "url")));
        kw_buf_adds(&r->body, "\">");
        H(&r->body, json_string_value(json_object_get(ev, "title")));
        kw_buf_adds(&r->body, "</a></span></td></tr>\n");
    }
    kw_buf_adds(&r->body, "</table><p class=\"meta\">&#9679; marks a change "
                          "of status.</p>");
    json_decref(doc);
    page_end(r);
}

/* ---- Articles ------------------------------------------------------------ */

/* A copy of the fields of one article, kept past the store callback. */
typedef struct art {
    int found;
    json_t *o; /* {id,url,canonical_url,title,published,source,kind,site,
                  byline,text,cluster,fetch} */
} art;

static kw_err article_copy(const kw_article_rec *a, void *ud)
{
    art *x = ud;
    json_t *o = json_object();

    if (!o)
        return KW_ENOMEM;
    x->found = 1;
    x->o = o;
    json_object_set_new(o, "id", json_integer(a->id));
    json_object_set_new(o, "url", kw__query_jstr(a->url));
    json_object_set_new(o, "canonical_url", kw__query_jstr(a->canonical_url));
    json_object_set_new(o, "title", kw__query_jstr(a->title));
    json_object_set_new(o, "published",
                        kw__query_jtime(a->published_at, a->published_offset));
    json_object_set_new(o, "source", kw__query_jstr(a->source_name));
    json_object_set_new(o, "kind", kw__query_jstr(a->kind));
    json_object_set_new(o, "site", kw__query_jstr(a->site));
    json_object_set_new(o, "byline", kw__query_jstr(a->byline));
    json_object_set_new(o, "cluster", json_integer(a->cluster));
    json_object_set_new(o, "fetch", json_integer(a->fetch_id));
    json_object_set_new(o, "text", kw__query_jstr(a->text));
    return KW_OK;
}

static kw_err event_copy(const kw_event_rec *e, void *ud)
{
    json_t *arr = ud, *o = json_object();

    if (!o || json_array_append_new(arr, o))
        return KW_ENOMEM;
    json_object_set_new(o, "entity", kw__query_jstr(e->entity_id));
    json_object_set_new(o, "name", kw__query_jstr(e->entity_name));
    json_object_set_new(o, "stance", kw__query_jstr(e->stance));
    json_object_set_new(o, "date",
                        kw__query_jtime(e->event_at, e->event_offset));
    json_object_set_new(o, "sentence", kw__query_jstr(e->sentence));
    return KW_OK;
}

/* Loads article @id with its entities and events into *out (owned);
 * KW_ENOTFOUND if there is none. */
static kw_err article_load(kw_store *st, int64_t id, json_t **out)
{
    art x = {0, NULL};
    kw_event_filter f;
    json_t *ents, *atts, *evs;
    kw_err rc;

    *out = NULL;
    rc = kw_store_article_get(st, id, article_copy, &x);
    if (rc) {
        json_decref(x.o);
        return rc;
    }
    if (!x.found)
        return KW_ENOTFOUND;
    ents = kw__query_entities(st, id, &rc);
    if (!ents) {
        json_decref(x.o);
        return rc ? rc : KW_ENOMEM;
    }
    json_object_set_new(x.o, "entities", ents);
    atts = kw__query_attachments(st, id, &rc);
    if (!atts) {
        json_decref(x.o);
        return rc ? rc : KW_ENOMEM;
    }
    json_object_set_new(x.o, "attachments", atts);
    evs = json_array();
    memset(&f, 0, sizeof(f));
    f.article_id = id;
    rc = evs ? kw_store_event_each(st, &f, event_copy, evs) : KW_ENOMEM;
    json_object_set_new(x.o, "events", evs);
    if (rc) {
        json_decref(x.o);
        return rc;
    }
    *out = x.o;
    return KW_OK;
}

static const char *js(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void page_article(req *r, int64_t id)
{
    json_t *a = NULL, *v;
    const char *text, *p;
    size_t i;
    kw_err rc = article_load(r->st, id, &a);

    if (rc == KW_ENOTFOUND) {
        page_error(r, MHD_HTTP_NOT_FOUND, "no such article");
        return;
    }
    if (rc) {
        fail_store(r, 0, rc);
        return;
    }
    page_start(r, js(a, "title") ? js(a, "title") : "Article");
    kw_buf_adds(&r->body, "<article><h1 id=\"title\">");
    H(&r->body, js(a, "title") ? js(a, "title") : "(untitled)");
    kw_buf_adds(&r->body, "</h1><p class=\"meta\">");
    H(&r->body, js(a, "source") ? js(a, "source") : "-");
    kw_buf_adds(&r->body, " &middot; ");
    H(&r->body, js(a, "published") ? js(a, "published") : "date unknown");
    if (js(a, "byline")) {
        kw_buf_adds(&r->body, " &middot; ");
        H(&r->body, js(a, "byline"));
    }
    kw_buf_adds(&r->body, " &middot; <a href=\"");
    H(&r->body, js(a, "url"));
    kw_buf_adds(&r->body, "\">original</a>");
    if (json_integer_value(json_object_get(a, "fetch")))
        kw_buf_addf(&r->body,
                    " &middot; <a href=\"/article/%lld/archive\">archived "
                    "copy</a>",
                    (long long)id);
    kw_buf_adds(&r->body, "</p>\n<p>Entities: ");
    json_array_foreach(json_object_get(a, "entities"), i, v)
    {
        if (i)
            kw_buf_adds(&r->body, ", ");
        kw_buf_adds(&r->body, "<a href=\"/entity/");
        H(&r->body, js(v, "id"));
        kw_buf_adds(&r->body, "\">");
        H(&r->body, js(v, "name"));
        kw_buf_addf(&r->body, "</a> (%lld)",
                    (long long)json_integer_value(json_object_get(v, "count")));
    }
    if (json_array_size(json_object_get(a, "entities")) == 0)
        kw_buf_adds(&r->body, "none");
    kw_buf_adds(&r->body, "</p>\n");
    if (json_array_size(json_object_get(a, "events"))) {
        kw_buf_adds(&r->body, "<h2>Stances</h2><ul>");
        json_array_foreach(json_object_get(a, "events"), i, v)
        {
            kw_buf_adds(&r->body, "<li><a href=\"/entity/");
            H(&r->body, js(v, "entity"));
            kw_buf_adds(&r->body, "\">");
            H(&r->body, js(v, "name"));
            kw_buf_adds(&r->body, "</a>: <span class=\"st st-");
            H(&r->body, js(v, "stance"));
            kw_buf_adds(&r->body, "\">");
            H(&r->body, js(v, "stance"));
            kw_buf_adds(&r->body, "</span><blockquote>");
            H(&r->body, js(v, "sentence"));
            kw_buf_adds(&r->body, "</blockquote></li>");
        }
        kw_buf_adds(&r->body, "</ul>\n");
    }
    if (json_array_size(json_object_get(a, "attachments"))) {
        kw_buf_adds(&r->body, "<h2>Attachments</h2><ul>");
        json_array_foreach(json_object_get(a, "attachments"), i, v)
        {
            const char *err = js(v, "error");

            kw_buf_adds(&r->body, "<li><a href=\"");
            H(&r->body, js(v, "url"));
            kw_buf_adds(&r->body, "\">");
            H(&r->body, js(v, "name") ? js(v, "name") : js(v, "url"));
            kw_buf_adds(&r->body, "</a> ");
            if (!json_is_true(json_object_get(v, "fetched")))
                kw_buf_adds(&r->body, "(not fetched yet)");
            else if (err) {
                kw_buf_adds(&r->body, "(not read: ");
                H(&r->body, err);
                kw_buf_adds(&r->body, ")");
            } else {
                kw_buf_adds(&r->body, "(");
                H(&r->body, js(v, "format") ? js(v, "format") : "?");
                kw_buf_addf(&r->body, ", %lld bytes of text, searchable)",
                            (long long)json_integer_value(
                                json_object_get(v, "text_bytes")));
            }
            kw_buf_adds(&r->body, "</li>");
        }
        kw_buf_adds(&r->body, "</ul>\n");
    }
    kw_buf_adds(&r->body, "<h2>Text</h2>\n<p>");
    /* Paragraphs are separated by a blank line; single newlines break. */
    text = js(a, "text");
    for (p = text; p && *p; p++) {
        const char *q = p;

        while (*q && *q != '\n')
            q++;
        kw_html_escape_n(&r->body, p, (size_t)(q - p));
        if (!*q)
            break;
        if (q[1] == '\n') {
            kw_buf_adds(&r->body, "</p>\n<p>");
            while (q[1] == '\n')
                q++;
        } else {
            kw_buf_adds(&r->body, "<br>");
        }
        p = q;
    }
    kw_buf_adds(&r->body, "</p></article>");
    json_decref(a);
    page_end(r);
}

typedef struct warc_loc {
    char charset[40];      /* of the archived response, or "" */
    char file[4096];
    int64_t offset, length;
    int found;
} warc_loc;

static kw_err fetch_loc(const kw_fetch_row *f, void *ud)
{
    warc_loc *l = ud;

    if (f->warc_file && f->warc_offset >= 0 && f->warc_length > 0) {
        const char *cs = f->content_type ? strstr(f->content_type, "charset=")
                                         : NULL;
        size_t n = 0;

        /* Only a token's characters: the value goes into a header. */
        for (cs = cs ? cs + 8 : NULL; cs && n + 1 < sizeof(l->charset) &&
                                      ((*cs >= 'a' && *cs <= 'z') ||
                                       (*cs >= 'A' && *cs <= 'Z') ||
                                       (*cs >= '0' && *cs <= '9') ||
                                       *cs == '-' || *cs == '_');
             cs++)
            l->charset[n++] = *cs;
        l->charset[n] = '\0';
        snprintf(l->file, sizeof(l->file), "%s", f->warc_file);
        l->offset = f->warc_offset;
        l->length = f->warc_length;
        l->found = 1;
    }
    return KW_OK;
}

/* Finds the end of a header block ("\r\n\r\n") in p[0..n): the offset
 * after it, or 0. */
static size_t head_end(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i + 3 < n; i++) {
        if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' &&
            p[i + 3] == '\n')
            return i + 4;
    }
    return 0;
}

/*
 * Reads the WARC response record at @l (one gzip member, as the crawler
 * writes them) and appends its HTTP payload to @b.  The archive is read
 * here rather than through crawler/ (queries/ may not depend on it): a
 * record is the WARC header block, the HTTP header block, the payload
 * and a closing CRLF CRLF.
 */
static kw_err warc_payload(kw_web *w, const warc_loc *l, kw_buf *b)
{
    FILE *f;
    char *raw = NULL, *rec = NULL;
    size_t rec_n = 0, a, h;
    kw_err rc = KW_EIO;

    if (l->length > (int64_t)KW_MAX_BODY * 2)
        return KW_ETOOBIG;
    f = fopen(l->file, "rb");
    if (!f && w->archive_dir) {
        char alt[4096];
        const char *base = strrchr(l->file, '/');
        int n = snprintf(alt, sizeof(alt), "%s/%s", w->archive_dir,
                         base ? base + 1 : l->file);

        if (n > 0 && (size_t)n < sizeof(alt))
            f = fopen(alt, "rb");
    }
    if (!f)
        return KW_EIO;
    raw = kw_malloc((size_t)l->length);
    if (!raw) {
        rc = KW_ENOMEM;
        goto done;
    }
    if (fseeko(f, (off_t)l->offset, SEEK_SET) != 0 ||
        fread(raw, 1, (size_t)l->length, f) != (size_t)l->length)
        goto done;
    rc = kw_gunzip(raw, (size_t)l->length, KW_MAX_BODY * 2, &rec, &rec_n);
    if (rc)
        goto done;
    rc = KW_EPARSE;
    if (!rec || rec_n < 8 || memcmp(rec, "WARC/", 5) != 0)
        goto done;
    a = head_end(rec, rec_n);
    h = a ? head_end(rec + a, rec_n - a) : 0;
    if (!h)
        goto done;
    a += h;
    h = rec_n - a;
    if (h >= 4 && memcmp(rec + a + h - 4, "\r\n\r\n", 4) == 0)
        h -= 4;
    kw_buf_add(b, rec + a, h);
    rc = b->err;
done:
    kw_free(raw);
    kw_free(rec);
    fclose(f);
    return rc;
}

static void page_archive(req *r, int64_t id)
{
    json_t *a = NULL;
    warc_loc l;
    kw_err rc = article_load(r->st, id, &a);
    int64_t fetch;

    if (rc == KW_ENOTFOUND) {
        page_error(r, MHD_HTTP_NOT_FOUND, "no such article");
        return;
    }
    if (rc) {
        fail_store(r, 0, rc);
        return;
    }
    fetch = json_integer_value(json_object_get(a, "fetch"));
    json_decref(a);
    memset(&l, 0, sizeof(l));
    rc = fetch ? kw_store_fetch_get(r->st, fetch, fetch_loc, &l) : KW_OK;
    if (rc && rc != KW_ENOTFOUND) {
        fail_store(r, 0, rc);
        return;
    }
    if (!l.found) {
        page_error(r, MHD_HTTP_NOT_FOUND, "no archived copy of this article");
        return;
    }
    rc = warc_payload(r->w, &l, &r->body);
    if (rc) {
        kw_log(KW_LOG_WARN, "web", "archive %s@%lld: %s", l.file,
               (long long)l.offset, kw_strerror(rc));
        page_error(r, MHD_HTTP_NOT_FOUND,
                   "the archived copy could not be read");
        return;
    }
    r->status = MHD_HTTP_OK;
    /* Served as text, never rendered: an archived page is untrusted.  The
     * bytes are as fetched, so they keep the charset they came with. */
    snprintf(r->ctype_buf, sizeof(r->ctype_buf), "text/plain; charset=%s",
             l.charset[0] ? l.charset : "utf-8");
    r->ctype = r->ctype_buf;
}

/* The day of /digest/DATE or ?date=; today (KST) if absent. */
static int digest_day(const char *s, int64_t *day)
{
    if (!s) {
        *day = kw_digest_day_of(kw_now());
        return 1;
    }
    return kw_digest_day_parse(s, day) == KW_OK;
}

static void page_digest(req *r, const char *date)
{
    char *html = NULL;
    const char *body, *end;
    int64_t day;
    kw_err rc;

    if (!digest_day(date, &day)) {
        page_error(r, MHD_HTTP_BAD_REQUEST,
                   "a digest date looks like 2026-02-10");
        return;
    }
    rc = kw_digest_render(r->st, day, KW_DIGEST_HTML, &html);
    if (rc) {
        fail_store(r, 0, rc);
        return;
    }
    /* The e-mail document already has a body of its own; embed only it. */
    page_start(r, "Digest");
    {
        char prev[32], next[32];

        kw_time_iso(day - 86400, KW_KST_OFFSET_MIN, prev);
        kw_time_iso(day + 86400, KW_KST_OFFSET_MIN, next);
        prev[10] = next[10] = '\0';
        kw_buf_addf(&r->body, "<p class=\"meta\"><a href=\"/digest/%s\">"
                              "&larr; %s</a> &middot; <a href=\"/digest/%s\">"
                              "%s &rarr;</a> &middot; <a href=\"/api/digest?"
                              "date=",
                    prev, prev, next, next);
        kw_time_iso(day, KW_KST_OFFSET_MIN, prev);
        prev[10] = '\0';
        kw_buf_addf(&r->body, "%s\">JSON</a></p>\n", prev);
    }
    body = strstr(html, "<body");
    body = body ? strchr(body, '>') : NULL;
    end = strstr(html, "</body>");
    if (body && end && end > body)
        kw_buf_add(&r->body, body + 1, (size_t)(end - body - 1));
    kw_free(html);
    page_end(r);
}

/* ---- API ----------------------------------------------------------------- */

static void api_search(req *r)
{
    kw_search_opts o;
    char msg[256];
    char *json = NULL;
    kw_err rc;

    if (!search_params(r, &o, msg, sizeof(msg))) {
        json_error(r, MHD_HTTP_BAD_REQUEST, msg);
        return;
    }
    if (!o.query) {
        json_error(r, MHD_HTTP_BAD_REQUEST, "missing parameter q");
        return;
    }
    rc = kw_query_search_json(r->st, &o, msg, sizeof(msg), &json);
    if (rc == KW_EINVAL)
        json_error(r, MHD_HTTP_BAD_REQUEST, msg);
    else if (rc)
        fail_store(r, 1, rc);
    else
        json_ok(r, json);
}

static void api_article(req *r, int64_t id)
{
    json_t *a = NULL;
    char *json = NULL;
    kw_err rc = article_load(r->st, id, &a);

    if (rc == KW_ENOTFOUND) {
        json_error(r, MHD_HTTP_NOT_FOUND, "no such article");
        return;
    }
    if (!rc) {
        json_object_del(a, "fetch");
        rc = kw__query_dump(a, &json);
    }
    if (rc)
        fail_store(r, 1, rc);
    else
        json_ok(r, json);
}

/* ---- Routing ------------------------------------------------------------ */

/* If @url is @prefix followed by a decimal id (and then @suffix, "" for
 * none), stores the id and returns 1. */
static int match_id(const char *url, const char *prefix, const char *suffix,
                    int64_t *id)
{
    size_t pn = strlen(prefix), n;
    const char *p;

    if (strncmp(url, prefix, pn) != 0)
        return 0;
    p = url + pn;
    for (n = 0; p[n] >= '0' && p[n] <= '9'; n++)
        ;
    if (strcmp(p + n, suffix) != 0)
        return 0;
    return parse_id(p, n, id);
}

static void route(req *r, const char *url)
{
    int is_api = strncmp(url, "/api/", 5) == 0;
    int64_t id;
    char *json = NULL;
    kw_err rc;

    if (is_api) {
        url += 4;
        if (strcmp(url, "/search") == 0) {
            api_search(r);
        } else if (strcmp(url, "/status") == 0) {
            rc = kw_query_status_json(r->st, 0, NULL, &json);
            if (rc)
                fail_store(r, 1, rc);
            else
                json_ok(r, json);
        } else if (strcmp(url, "/events") == 0) {
            const char *e = arg(r, "entity");

            if (e && !is_entity_id(e)) {
                json_error(r, MHD_HTTP_BAD_REQUEST,
                           "entity must be an entity id such as 'kakao'");
                return;
            }
            rc = kw_query_events_json(r->st, e, &json);
            if (rc)
                fail_store(r, 1, rc);
            else
                json_ok(r, json);
        } else if (strncmp(url, "/articles/", 10) == 0) {
            if (match_id(url, "/articles/", "", &id))
                api_article(r, id);
            else
                json_error(r, MHD_HTTP_BAD_REQUEST,
                           "an article id is a positive whole number");
        } else if (strcmp(url, "/digest") == 0) {
            int64_t day;

            if (!digest_day(arg(r, "date"), &day)) {
                json_error(r, MHD_HTTP_BAD_REQUEST,
                           "date looks like 2026-02-10");
                return;
            }
            rc = kw_digest_render(r->st, day, KW_DIGEST_JSON, &json);
            if (rc)
                fail_store(r, 1, rc);
            else
                json_ok(r, json);
        } else {
            json_error(r, MHD_HTTP_NOT_FOUND, "no such API route");
        }
        return;
    }
    if (strcmp(url, "/") == 0 || strcmp(url, "/search") == 0)
        page_search(r);
    else if (strcmp(url, "/status") == 0)
        page_status(r);
    else if (strncmp(url, "/entity/", 8) == 0)
        page_entity(r, url + 8);
    else if (match_id(url, "/article/", "", &id))
        page_article(r, id);
    else if (match_id(url, "/article/", "/archive", &id))
        page_archive(r, id);
    else if (strcmp(url, "/digest") == 0 || strcmp(url, "/digest/") == 0)
        page_digest(r, NULL);
    else if (strncmp(url, "/digest/", 8) == 0)
        page_digest(r, url + 8);
    else
        page_error(r, MHD_HTTP_NOT_FOUND, "no such page");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_n, void **con_cls)
{
    kw_web *w = cls;
    struct MHD_Response *resp;
    enum MHD_Result ret;
    int is_api = url && strncmp(url, "/api/", 5) == 0;
    req r;

    (void)version;
    (void)upload;
    /* Answer on the call after the headers (the request is complete
     * then): a response queued on the first call makes MHD close the
     * connection, losing keep-alive. */
    if (!*con_cls) {
        *con_cls = w;
        return MHD_YES;
    }
    if (*upload_n) {
        *upload_n = 0; /* a body is ignored; the request gets a 405 */
        return MHD_YES;
    }
    memset(&r, 0, sizeof(r));
    r.w = w;
    r.con = con;
    kw_buf_init(&r.body, MAX_PAGE);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        fail(&r, is_api, MHD_HTTP_METHOD_NOT_ALLOWED,
             "only GET and HEAD are served");
    } else if (!url || !kw_utf8_valid(url, strlen(url))) {
        fail(&r, is_api, MHD_HTTP_BAD_REQUEST, "the path is not UTF-8");
    } else {
        r.st = pool_get(w);
        if (!r.st)
            fail(&r, is_api, MHD_HTTP_SERVICE_UNAVAILABLE,
                 "the database cannot be opened");
        else
            route(&r, url);
        pool_put(w, r.st);
    }
    if (r.body.err) {
        kw_buf_deinit(&r.body);
        kw_buf_init(&r.body, MAX_PAGE);
        fail(&r, is_api, MHD_HTTP_INTERNAL_SERVER_ERROR,
             "the response is too large");
    }
    resp = MHD_create_response_from_buffer(r.body.n, r.body.p ? r.body.p : "",
                                           MHD_RESPMEM_MUST_COPY);
    kw_buf_deinit(&r.body);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r.ctype);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; "
                            "img-src 'self' data:; form-action 'self'");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r.status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, "Allow", "GET, HEAD");
    ret = MHD_queue_response(con, r.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- Lifecycle ----------------------------------------------------------- */

kw_web_config kw_web_config_default(void)
{
    kw_web_config c;

    memset(&c, 0, sizeof(c));
    c.address = "127.0.0.1";
    c.port = 8080;
    c.threads = 4;
    return c;
}

static void set_err(char *err, size_t n, const char *fmt, ...)
    KW_PRINTF(3, 4);

/* Writes a formatted reason into @err (may be NULL). */
static void set_err(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;

    if (!err || !n)
        return;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

kw_err kw_web_start(const kw_web_config *cfg, char *err, size_t err_n,
                    kw_web **out)
{
    struct sockaddr_in sa4;
    struct sockaddr_in6 sa6;
    struct sockaddr *sa;
    const char *addr = cfg->address ? cfg->address : "127.0.0.1";
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;
    int is_loopback;
    kw_store *st = NULL;
    char msg[256];
    kw_web *w;

    *out = NULL;
    memset(&sa4, 0, sizeof(sa4));
    memset(&sa6, 0, sizeof(sa6));
    if (inet_pton(AF_INET, addr, &sa4.sin_addr) == 1) {
        sa4.sin_family = AF_INET;
        sa4.sin_port = htons(cfg->port);
        is_loopback = (ntohl(sa4.sin_addr.s_addr) >> 24) == 127;
        sa = (struct sockaddr *)&sa4;
    } else if (inet_pton(AF_INET6, addr, &sa6.sin6_addr) == 1) {
        sa6.sin6_family = AF_INET6;
        sa6.sin6_port = htons(cfg->port);
        is_loopback = IN6_IS_ADDR_LOOPBACK(&sa6.sin6_addr);
        sa = (struct sockaddr *)&sa6;
        flags |= MHD_USE_IPv6;
    } else {
        set_err(err, err_n,
                "'%s' is not an IP address (use 127.0.0.1 or ::1)", addr);
        return KW_EINVAL;
    }
    if (!is_loopback && !cfg->is_public) {
        set_err(err, err_n,
                "refusing to listen on %s: it is not a loopback address; "
                "the web UI has no authentication (add --public to serve "
                "it on the network anyway)",
                addr);
        return KW_EDENIED;
    }
    if (kw_store_open(cfg->db_path, msg, sizeof(msg), &st)) {
        set_err(err, err_n, "%s", msg);
        return KW_EIO;
    }
    w = kw_calloc(1, sizeof(*w));
    if (!w) {
        kw_store_close(st);
        return KW_ENOMEM;
    }
    pthread_mutex_init(&w->mu, NULL);
    w->db_path = kw_strdup(cfg->db_path);
    w->archive_dir = kw_strdup(cfg->archive_dir);
    if (!w->db_path || (cfg->archive_dir && !w->archive_dir)) {
        kw_store_close(st);
        kw_web_stop(w);
        return KW_ENOMEM;
    }
    pool_put(w, st);
    w->d = MHD_start_daemon(
        flags, cfg->port, NULL, NULL, handle, w, MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)(cfg->threads ? cfg->threads : 4),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256, MHD_OPTION_END);
    if (!w->d) {
        char where[96];

        snprintf(where, sizeof(where), "%s port %u", addr,
                 (unsigned)cfg->port);
        set_err(err, err_n,
                "cannot listen on %s (is the port in use?)", where);
        kw_web_stop(w);
        return KW_EIO;
    }
    info = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
    w->port = info ? info->port : cfg->port;
    *out = w;
    return KW_OK;
}

uint16_t kw_web_port(const kw_web *w)
{
    return w->port;
}

void kw_web_stop(kw_web *w)
{
    size_t i;

    if (!w)
        return;
    if (w->d)
        MHD_stop_daemon(w->d);
    for (i = 0; i < w->n_free; i++)
        kw_store_close(w->free_st[i]);
    kw_free(w->free_st);
    pthread_mutex_destroy(&w->mu);
    kw_free(w->db_path);
    kw_free(w->archive_dir);
    kw_free(w);
}
