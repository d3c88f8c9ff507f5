/*
 * digest.c -- the daily digest of one KST day (issue 7; DESIGN.md
 * "digest --format json"), built once as a JSON document and rendered
 * from it as JSON, Markdown, plain text or self-contained HTML.
 *
 * Status changes: the status board (kw_query_status: latest stance by
 * event date, counting what was dated and reported before a time) at the
 * end of the day against the board at its start; each entity whose
 * stance differs is one change, with the evidence of the event that began
 * the new stance.  Copies of a story and restated old results therefore
 * never make a second change.
 *
 * Stories: one per story cluster among the day's articles, with the
 * outlets that carried it; the Markdown and HTML forms group them under
 * their most mentioned entity.  The chart counts, per entity and per KST
 * day, the articles naming it over the last KW_DIGEST_CHART_DAYS days.
 *
 * Escaping: titles, sentences, names and URLs come from pages.  HTML uses
 * kw_html_escape (web.c) everywhere; Markdown and text escape the markup
 * characters of their format, so a title holding "<script>" is shown as
 * text, never as markup.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "kw/digest.h"
#include "kw/parsers.h"
#include "kw/store_digest.h"
#include "kw/web.h"
#include "queries_int.h"

#define DAY_S ((int64_t)86400)
#define KST_S ((int64_t)KW_KST_OFFSET_MIN * 60)
#define NDAYS KW_DIGEST_CHART_DAYS

kw_err kw_digest_format_parse(const char *s, kw_digest_format *out)
{
    static const struct {
        const char *name;
        kw_digest_format f;
    } names[] = {{"json", KW_DIGEST_JSON},
                 {"md", KW_DIGEST_MD},
                 {"markdown", KW_DIGEST_MD},
                 {"html", KW_DIGEST_HTML},
                 {"text", KW_DIGEST_TEXT}};
    size_t i;

    for (i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].f;
            return KW_OK;
        }
    }
    return KW_EINVAL;
}

int64_t kw_digest_day_of(int64_t t)
{
    int64_t local = t + KST_S;
    int64_t d = local / DAY_S;

    if (local % DAY_S < 0)
        d--;
    return d * DAY_S - KST_S;
}

kw_err kw_digest_day_parse(const char *s, int64_t *out)
{
    kw_date d;
    size_t i;

    *out = 0;
    if (!s || strlen(s) != 10)
        return KW_EINVAL;
    for (i = 0; i < 10; i++) {
        int is_dash = i == 4 || i == 7;

        if (is_dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return KW_EINVAL;
    }
    if (kw_date_parse(s, 10, &d) || d.has_time)
        return KW_EINVAL;
    *out = kw_digest_day_of(d.t);
    return KW_OK;
}

/* "YYYY-MM-DD" of the KST day starting at @day. */
static void day_label(int64_t day, char out[32])
{
    kw_time_iso(day, KW_KST_OFFSET_MIN, out);
    out[10] = '\0';
}

/* ---- Building the document -------------------------------------------- */

typedef struct build_ctx {
    int64_t from, to;      /* the day */
    json_t *changes;       /* status_changes */
    json_t *stories;       /* stories */
    json_t *story;         /* the cluster being filled, borrowed */
    int64_t cluster;       /* its id */
    json_t *by_source, *by_entity;
    json_t *names;         /* entity id -> name */
    json_t *volume;        /* entity id -> [NDAYS counts] */
    int64_t first_day;     /* day index of the chart's first day */
    json_t *before;        /* entity id -> stance at the day's start */
} build_ctx;

/* The status board at the start of the day, by entity id. */
static kw_err before_cb(const kw_status_row *r, void *ud)
{
    build_ctx *c = ud;

    if (!r->stance)
        return KW_OK;
    return json_object_set_new(c->before, r->entity_id,
                               json_string(r->stance))
               ? KW_ENOMEM
               : KW_OK;
}

/* Compares the board at the end of the day with the one at its start:
 * each entity whose stance differs is a change, with the evidence of the
 * event that began the new stance. */
static kw_err after_cb(const kw_status_row *r, void *ud)
{
    build_ctx *c = ud;
    const char *was =
        json_string_value(json_object_get(c->before, r->entity_id));
    json_t *o;

    if (!r->stance || (was && strcmp(was, r->stance) == 0))
        return KW_OK;
    o = json_object();
    if (!o || json_array_append_new(c->changes, o))
        return KW_ENOMEM;
    json_object_set_new(o, "entity", kw__query_jstr(r->entity_id));
    json_object_set_new(o, "name", kw__query_jstr(r->name));
    json_object_set_new(o, "from", was ? json_string(was) : json_null());
    json_object_set_new(o, "to", kw__query_jstr(r->stance));
    json_object_set_new(o, "url", kw__query_jstr(r->url));
    json_object_set_new(o, "sentence", kw__query_jstr(r->sentence));
    json_object_set_new(o, "date", kw__query_jtime(r->since, r->since_offset));
    return KW_OK;
}

/* Appends string @s to array @a unless it holds it already. */
static void add_unique(json_t *a, const char *s)
{
    size_t i;
    json_t *v;

    if (!s || !*s)
        return;
    json_array_foreach(a, i, v)
    {
        if (strcmp(json_string_value(v), s) == 0)
            return;
    }
    json_array_append_new(a, kw__query_jstr(s));
}

static kw_err article_cb(const kw_digest_article *a, void *ud)
{
    build_ctx *c = ud;
    json_t *urls, *srcs, *ents;
    const char *p;

    if (!c->story || a->cluster != c->cluster) {
        c->story = json_object();
        if (!c->story || json_array_append_new(c->stories, c->story))
            return KW_ENOMEM;
        c->cluster = a->cluster;
        json_object_set_new(c->story, "cluster", json_integer(a->cluster));
        json_object_set_new(c->story, "title", kw__query_jstr(a->title));
        json_object_set_new(c->story, "published",
                            kw__query_jtime(a->published_at,
                                            a->published_offset));
        json_object_set_new(c->story, "urls", json_array());
        json_object_set_new(c->story, "sources", json_array());
        json_object_set_new(c->story, "entities", json_array());
        json_object_set_new(c->story, "articles", json_array());
    }
    urls = json_object_get(c->story, "urls");
    srcs = json_object_get(c->story, "sources");
    ents = json_object_get(c->story, "entities");
    if (!urls || !srcs || !ents)
        return KW_ENOMEM;
    add_unique(urls, a->url);
    add_unique(srcs, a->source);
    json_array_append_new(json_object_get(c->story, "articles"),
                          json_integer(a->id));
    for (p = a->entities; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char id[128];

        if (n && n < sizeof(id)) {
            memcpy(id, p, n);
            id[n] = '\0';
            add_unique(ents, id);
        }
        p += n + (comma ? 1 : 0);
    }
    return KW_OK;
}

static kw_err count_cb(kw_digest_count_kind kind, const char *key,
                       const char *name, int64_t n, void *ud)
{
    build_ctx *c = ud;

    if (kind == KW_DIGEST_BY_SOURCE) {
        json_object_set_new(c->by_source, key[0] ? key : "(none)",
                            json_integer(n));
    } else {
        json_object_set_new(c->by_entity, key, json_integer(n));
        json_object_set_new(c->names, key, kw__query_jstr(name ? name : key));
    }
    return KW_OK;
}

static kw_err volume_cb(const char *entity, const char *name, int64_t day,
                        int64_t n, void *ud)
{
    build_ctx *c = ud;
    json_t *arr = json_object_get(c->volume, entity);
    int64_t i = day - c->first_day;

    if (!arr) {
        int k;

        arr = json_array();
        if (!arr || json_object_set_new(c->volume, entity, arr))
            return KW_ENOMEM;
        for (k = 0; k < NDAYS; k++)
            json_array_append_new(arr, json_integer(0));
        if (!json_object_get(c->names, entity))
            json_object_set_new(c->names, entity,
                                kw__query_jstr(name ? name : entity));
    }
    if (i >= 0 && i < NDAYS)
        json_array_set_new(arr, (size_t)i, json_integer(n));
    return KW_OK;
}

/* Builds the digest document of the day starting at @day into *out. */
static kw_err build(kw_store *st, int64_t day, json_t **out)
{
    build_ctx c;
    json_t *doc = json_object(), *counts = json_object();
    json_t *vol = json_object(), *days = json_array(), *vents = json_array();
    int64_t total = 0, from30;
    const char *key;
    json_t *v;
    char label[32];
    kw_err rc = KW_ENOMEM;
    int i;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.from = day;
    c.to = day + DAY_S;
    c.changes = json_array();
    c.stories = json_array();
    c.by_source = json_object();
    c.by_entity = json_object();
    c.names = json_object();
    c.volume = json_object();
    if (!doc || !counts || !vol || !days || !vents || !c.changes ||
        !c.stories || !c.by_source || !c.by_entity || !c.names || !c.volume)
        goto done;
    c.before = json_object();
    rc = c.before ? kw_query_status(st, c.from, before_cb, &c) : KW_ENOMEM;
    if (!rc)
        rc = kw_query_status(st, c.to, after_cb, &c);
    if (!rc)
        rc = kw_store_digest_articles(st, c.from, c.to, article_cb, &c);
    if (!rc)
        rc = kw_store_digest_counts(st, c.from, c.to, count_cb, &c, &total);
    from30 = day - (NDAYS - 1) * DAY_S;
    c.first_day = (from30 + KST_S) / DAY_S;
    if (!rc)
        rc = kw_store_digest_volume(st, from30, c.to, KW_KST_OFFSET_MIN,
                                    volume_cb, &c);
    if (rc)
        goto done;
    rc = KW_ENOMEM;
    day_label(day, label);
    json_object_set_new(doc, "date", json_string(label));
    json_object_set(doc, "status_changes", c.changes);
    json_object_set(doc, "stories", c.stories);
    json_object_set_new(counts, "articles", json_integer(total));
    json_object_set(counts, "by_source", c.by_source);
    json_object_set(counts, "by_entity", c.by_entity);
    json_object_set_new(doc, "counts", counts);
    counts = NULL;
    json_object_set(doc, "names", c.names);
    for (i = 0; i < NDAYS; i++) {
        day_label(from30 + i * DAY_S, label);
        json_array_append_new(days, json_string(label));
    }
    json_object_foreach(c.volume, key, v)
    {
        json_t *e = json_object();

        if (!e)
            goto done;
        json_object_set_new(e, "id", json_string(key));
        json_object_set(e, "name", json_object_get(c.names, key));
        json_object_set(e, "counts", v);
        json_array_append_new(vents, e);
    }
    json_object_set_new(vol, "days", days);
    json_object_set_new(vol, "entities", vents);
    json_object_set_new(doc, "volume", vol);
    days = vents = vol = NULL;
    *out = doc;
    doc = NULL;
    rc = KW_OK;
done:
    json_decref(doc);
    json_decref(counts);
    json_decref(vol);
    json_decref(days);
    json_decref(vents);
    json_decref(c.changes);
    json_decref(c.stories);
    json_decref(c.by_source);
    json_decref(c.by_entity);
    json_decref(c.names);
    json_decref(c.volume);
    json_decref(c.before);
    return rc;
}

/* ---- Rendering helpers -------------------------------------------------- */

static const char *jget(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));

    return s ? s : "";
}

/* The display name of entity @id. */
static const char *name_of(json_t *doc, const char *id)
{
    const char *n = json_string_value(
        json_object_get(json_object_get(doc, "names"), id));

    return n ? n : id;
}

/* Appends @s for Markdown: markup characters backslash-escaped, < > &
 * as entities (renderers pass raw HTML through), newlines as spaces. */
static void md_escape(kw_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            kw_buf_adds(b, "&lt;");
            break;
        case '>':
            kw_buf_adds(b, "&gt;");
            break;
        case '&':
            kw_buf_adds(b, "&amp;");
            break;
        case '\n':
        case '\r':
        case '\t':
            kw_buf_addc(b, ' ');
            break;
        case '\\': case '`': case '*': case '_': case '[': case ']':
        case '(': case ')': case '#': case '|': case '!': case '~':
            kw_buf_addc(b, '\\');
            kw_buf_addc(b, *s);
            break;
        default:
            kw_buf_addc(b, *s);
        }
    }
}

/* Appends URL @u for a Markdown link target: <...> form, with the
 * characters that would end it percent-encoded. */
static void md_url(kw_buf *b, const char *u)
{
    kw_buf_addc(b, '<');
    for (; u && *u; u++) {
        if (*u == '<' || *u == '>' || *u == ' ' || *u == '\n')
            kw_buf_addf(b, "%%%02X", (unsigned char)*u);
        else
            kw_buf_addc(b, *u);
    }
    kw_buf_addc(b, '>');
}

/* Appends @s on one line (control characters as spaces), for text. */
static void text_line(kw_buf *b, const char *s)
{
    for (; s && *s; s++)
        kw_buf_addc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
}

/* Whether story @s belongs under entity group @ent ("" = no entity):
 * its first (most mentioned) entity. */
static int story_in_group(json_t *s, const char *ent)
{
    json_t *e = json_object_get(s, "entities");
    const char *first = json_string_value(json_array_get(e, 0));

    return first ? strcmp(first, ent) == 0 : ent[0] == '\0';
}

/* The entity groups in order: by_entity's order (most articles first),
 * then "" for stories with no entity.  Returns an owned array. */
static json_t *groups_of(json_t *doc)
{
    json_t *g = json_array(), *v;
    const char *k;
    size_t i;
    json_t *s;

    if (!g)
        return NULL;
    json_object_foreach(
        json_object_get(json_object_get(doc, "counts"), "by_entity"), k, v)
    {
        json_array_foreach(json_object_get(doc, "stories"), i, s)
        {
            if (story_in_group(s, k)) {
                json_array_append_new(g, json_string(k));
                break;
            }
        }
    }
    json_array_append_new(g, json_string(""));
    return g;
}

/* Joins a string array with ", ". */
static void join_plain(kw_buf *b, json_t *a, int is_md)
{
    size_t i;
    json_t *v;

    json_array_foreach(a, i, v)
    {
        if (i)
            kw_buf_adds(b, ", ");
        if (is_md)
            md_escape(b, json_string_value(v));
        else
            text_line(b, json_string_value(v));
    }
}

static int64_t max_volume(json_t *vents)
{
    int64_t m = 0;
    size_t i, j;
    json_t *e, *n;

    json_array_foreach(vents, i, e)
    {
        json_array_foreach(json_object_get(e, "counts"), j, n)
        {
            if (json_integer_value(n) > m)
                m = json_integer_value(n);
        }
    }
    return m;
}

/* ---- Markdown and text -------------------------------------------------- */

static void render_md(json_t *doc, kw_buf *b, int is_md)
{
    json_t *changes = json_object_get(doc, "status_changes");
    json_t *stories = json_object_get(doc, "stories");
    json_t *counts = json_object_get(doc, "counts");
    json_t *vents = json_object_get(json_object_get(doc, "volume"),
                                    "entities");
    json_t *groups = groups_of(doc), *v, *s;
    static const char *const bars[] = {"\xe2\x96\x81", "\xe2\x96\x82",
                                       "\xe2\x96\x83", "\xe2\x96\x84",
                                       "\xe2\x96\x85", "\xe2\x96\x86",
                                       "\xe2\x96\x87", "\xe2\x96\x88"};
    int64_t maxv = max_volume(vents);
    const char *k;
    size_t i, j;
    void (*esc)(kw_buf *, const char *) = is_md ? md_escape : text_line;

    kw_buf_addf(b, "%sKowatch digest, %s\n\n", is_md ? "# " : "",
                jget(doc, "date"));
    kw_buf_addf(b, "%sStatus changes\n\n", is_md ? "## " : "== ");
    if (json_array_size(changes) == 0)
        kw_buf_adds(b, "No status changes.\n");
    json_array_foreach(changes, i, v)
    {
        kw_buf_adds(b, is_md ? "- **" : "* ");
        esc(b, name_of(doc, jget(v, "entity")));
        kw_buf_addf(b, "%s: %s \xe2\x86\x92 %s", is_md ? "**" : "",
                    json_is_string(json_object_get(v, "from"))
                        ? jget(v, "from")
                        : "(none)",
                    jget(v, "to"));
        kw_buf_adds(b, is_md ? " \xe2\x80\x94 \xe2\x80\x9c" : "\n  \"");
        esc(b, jget(v, "sentence"));
        kw_buf_adds(b, is_md ? "\xe2\x80\x9d " : "\"\n  ");
        if (is_md) {
            kw_buf_adds(b, "([source](");
            md_url(b, jget(v, "url"));
            kw_buf_adds(b, "))");
        } else {
            text_line(b, jget(v, "url"));
        }
        kw_buf_addc(b, '\n');
    }
    kw_buf_addf(b, "\n%sStories (%zu)\n", is_md ? "## " : "== ",
                json_array_size(stories));
    json_array_foreach(groups, i, v)
    {
        const char *g = json_string_value(v);
        size_t n = 0;

        json_array_foreach(stories, j, s)
        {
            if (!story_in_group(s, g))
                continue;
            if (n++ == 0) {
                kw_buf_adds(b, is_md ? "\n### " : "\n-- ");
                if (g[0])
                    esc(b, name_of(doc, g));
                else
                    kw_buf_adds(b, "Other");
                kw_buf_adds(b, "\n\n");
            }
            kw_buf_adds(b, is_md ? "- [" : "* ");
            esc(b, jget(s, "title")[0] ? jget(s, "title") : "(untitled)");
            if (is_md) {
                kw_buf_adds(b, "](");
                md_url(b, json_string_value(
                              json_array_get(json_object_get(s, "urls"), 0)));
                kw_buf_adds(b, ")");
            }
            kw_buf_adds(b, " \xe2\x80\x94 ");
            join_plain(b, json_object_get(s, "sources"), is_md);
            if (json_array_size(json_object_get(s, "urls")) > 1)
                kw_buf_addf(b, " (%zu copies)",
                            json_array_size(json_object_get(s, "urls")));
            if (!is_md) {
                kw_buf_adds(b, "\n  ");
                text_line(b, json_string_value(json_array_get(
                                 json_object_get(s, "urls"), 0)));
            }
            kw_buf_addc(b, '\n');
        }
    }
    kw_buf_addf(b, "\n%sCounts\n\n", is_md ? "## " : "== ");
    kw_buf_addf(b, "%lld articles.\n\n",
                (long long)json_integer_value(
                    json_object_get(counts, "articles")));
    kw_buf_adds(b, is_md ? "| source | articles |\n|---|---:|\n" : "");
    json_object_foreach(json_object_get(counts, "by_source"), k, v)
    {
        kw_buf_adds(b, is_md ? "| " : "  ");
        esc(b, k);
        kw_buf_addf(b, is_md ? " | %lld |\n" : ": %lld\n",
                    (long long)json_integer_value(v));
    }
    kw_buf_adds(b, is_md ? "\n| entity | articles |\n|---|---:|\n" : "\n");
    json_object_foreach(json_object_get(counts, "by_entity"), k, v)
    {
        kw_buf_adds(b, is_md ? "| " : "  ");
        esc(b, name_of(doc, k));
        kw_buf_addf(b, is_md ? " | %lld |\n" : ": %lld\n",
                    (long long)json_integer_value(v));
    }
    kw_buf_addf(b, "\n%sLast %d days\n\n", is_md ? "## " : "== ", NDAYS);
    if (is_md)
        kw_buf_adds(b, "| entity | daily articles | total | max |\n"
                       "|---|---|---:|---:|\n");
    json_array_foreach(vents, i, v)
    {
        int64_t tot = 0, mx = 0;
        json_t *n;

        kw_buf_adds(b, is_md ? "| " : "  ");
        esc(b, jget(v, "name"));
        kw_buf_adds(b, is_md ? " | `" : ": ");
        json_array_foreach(json_object_get(v, "counts"), j, n)
        {
            int64_t x = json_integer_value(n);

            tot += x;
            mx = x > mx ? x : mx;
            if (x == 0)
                kw_buf_addc(b, is_md ? ' ' : '.');
            else
                kw_buf_adds(b, bars[maxv ? (x * 7 + maxv - 1) / maxv : 0]);
        }
        kw_buf_addf(b, is_md ? "` | %lld | %lld |\n" : " (%lld, max %lld)\n",
                    (long long)tot, (long long)mx);
    }
    if (json_array_size(vents) == 0)
        kw_buf_adds(b, is_md ? "| (no articles) | | 0 | 0 |\n" : "  none\n");
    json_decref(groups);
}

/* ---- HTML ---------------------------------------------------------------- */

#define H kw_html_escape

/* The 30-day chart: one row of bars per entity, inline SVG. */
static void html_chart(json_t *doc, kw_buf *b)
{
    json_t *vol = json_object_get(doc, "volume");
    json_t *vents = json_object_get(vol, "entities"), *v, *n;
    int64_t maxv = max_volume(vents);
    size_t i, j, rows = json_array_size(vents);
    const int row_h = 26, label_w = 150, bar_w = 12, gap = 2;
    long w = label_w + NDAYS * (bar_w + gap) + 40;
    long h = (long)rows * row_h + 24;

    if (rows == 0) {
        kw_buf_adds(b, "<p>No articles in the last days.</p>\n");
        return;
    }
    kw_buf_addf(b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%ld\" "
                "height=\"%ld\" viewBox=\"0 0 %ld %ld\" role=\"img\" "
                "aria-label=\"articles per day per entity, last %d days\" "
                "style=\"font:11px sans-serif\">\n",
                w, h, w, h, NDAYS);
    json_array_foreach(vents, i, v)
    {
        long y = (long)i * row_h;
        int64_t tot = 0;

        kw_buf_addf(b, "<text x=\"0\" y=\"%ld\" fill=\"#333\">", y + 17);
        H(b, jget(v, "name"));
        kw_buf_adds(b, "</text>\n");
        json_array_foreach(json_object_get(v, "counts"), j, n)
        {
            int64_t x = json_integer_value(n);
            long bh = maxv ? (long)(x * (row_h - 6) / maxv) : 0;

            tot += x;
            if (x == 0) {
                bh = 1;
            }
            kw_buf_addf(b,
                        "<rect x=\"%ld\" y=\"%ld\" width=\"%d\" "
                        "height=\"%ld\" fill=\"%s\"><title>",
                        label_w + (long)j * (bar_w + gap),
                        y + row_h - 3 - bh, bar_w, bh,
                        x ? "#2f6db5" : "#ccc");
            H(b, json_string_value(
                     json_array_get(json_object_get(vol, "days"), j)));
            kw_buf_addf(b, ": %lld</title></rect>\n", (long long)x);
        }
        kw_buf_addf(b, "<text x=\"%ld\" y=\"%ld\" fill=\"#333\">%lld</text>\n",
                    (long)label_w + NDAYS * (bar_w + gap) + 4, y + 17,
                    (long long)tot);
    }
    kw_buf_addf(b, "<text x=\"%d\" y=\"%ld\" fill=\"#777\">", label_w, h - 4);
    H(b, json_string_value(json_array_get(json_object_get(vol, "days"), 0)));
    kw_buf_addf(b, "</text><text x=\"%ld\" y=\"%ld\" fill=\"#777\" "
                   "text-anchor=\"end\">",
                (long)label_w + NDAYS * (bar_w + gap), h - 4);
    H(b, jget(doc, "date"));
    kw_buf_adds(b, "</text>\n</svg>\n");
}

/* The digest's body: also embedded in the web UI's digest page. */
static void html_body(json_t *doc, kw_buf *b)
{
    json_t *changes = json_object_get(doc, "status_changes");
    json_t *stories = json_object_get(doc, "stories");
    json_t *counts = json_object_get(doc, "counts");
    json_t *groups = groups_of(doc), *v, *s, *u;
    const char *k;
    size_t i, j, m;

    kw_buf_adds(b, "<h1 style=\"font-size:22px;margin:0 0 12px\">"
                   "Kowatch digest, ");
    H(b, jget(doc, "date"));
    kw_buf_adds(b, "</h1>\n<h2 style=\"font-size:17px;margin:18px 0 6px\">"
                   "Status changes</h2>\n");
    if (json_array_size(changes) == 0)
        kw_buf_adds(b, "<p style=\"color:#666\">No status changes.</p>\n");
    else
        kw_buf_adds(b, "<ul style=\"padding-left:18px\">\n");
    json_array_foreach(changes, i, v)
    {
        kw_buf_adds(b, "<li style=\"margin-bottom:8px\"><b>");
        H(b, name_of(doc, jget(v, "entity")));
        kw_buf_adds(b, "</b>: ");
        H(b, json_is_string(json_object_get(v, "from")) ? jget(v, "from")
                                                        : "(none)");
        kw_buf_adds(b, " &#8594; <b style=\"color:#b3261e\">");
        H(b, jget(v, "to"));
        kw_buf_adds(b, "</b><br><span style=\"color:#444\">&#8220;");
        H(b, jget(v, "sentence"));
        kw_buf_adds(b, "&#8221;</span> <a href=\"");
        H(b, jget(v, "url"));
        kw_buf_adds(b, "\">source</a></li>\n");
    }
    if (json_array_size(changes))
        kw_buf_adds(b, "</ul>\n");
    kw_buf_addf(b, "<h2 style=\"font-size:17px;margin:18px 0 6px\">"
                   "Stories (%zu)</h2>\n",
                json_array_size(stories));
    json_array_foreach(groups, i, v)
    {
        const char *g = json_string_value(v);
        size_t n = 0;

        json_array_foreach(stories, j, s)
        {
            if (!story_in_group(s, g))
                continue;
            if (n++ == 0) {
                kw_buf_adds(b, "<h3 style=\"font-size:15px;margin:12px 0 "
                               "4px\">");
                H(b, g[0] ? name_of(doc, g) : "Other");
                kw_buf_adds(b, "</h3>\n<ul style=\"padding-left:18px;"
                               "margin:0\">\n");
            }
            kw_buf_adds(b, "<li style=\"margin-bottom:4px\"><a href=\"");
            H(b, json_string_value(
                     json_array_get(json_object_get(s, "urls"), 0)));
            kw_buf_adds(b, "\">");
            H(b, jget(s, "title")[0] ? jget(s, "title") : "(untitled)");
            kw_buf_adds(b, "</a> <span style=\"color:#666\">&#8212; ");
            json_array_foreach(json_object_get(s, "sources"), m, u)
            {
                if (m)
                    kw_buf_adds(b, ", ");
                H(b, json_string_value(u));
            }
            if (json_array_size(json_object_get(s, "urls")) > 1)
                kw_buf_addf(b, " (%zu copies)",
                            json_array_size(json_object_get(s, "urls")));
            kw_buf_adds(b, "</span></li>\n");
        }
        if (n)
            kw_buf_adds(b, "</ul>\n");
    }
    kw_buf_addf(b, "<h2 style=\"font-size:17px;margin:18px 0 6px\">Counts"
                   "</h2>\n<p>%lld articles.</p>\n"
                   "<table style=\"border-collapse:collapse\"><tr>"
                   "<td style=\"vertical-align:top;padding-right:24px\">"
                   "<table style=\"border-collapse:collapse\">"
                   "<tr><th align=\"left\">Source</th><th align=\"right\">"
                   "Articles</th></tr>\n",
                (long long)json_integer_value(
                    json_object_get(counts, "articles")));
    json_object_foreach(json_object_get(counts, "by_source"), k, v)
    {
        kw_buf_adds(b, "<tr><td style=\"padding-right:12px\">");
        H(b, k);
        kw_buf_addf(b, "</td><td align=\"right\">%lld</td></tr>\n",
                    (long long)json_integer_value(v));
    }
    kw_buf_adds(b, "</table></td><td style=\"vertical-align:top\">"
                   "<table style=\"border-collapse:collapse\">"
                   "<tr><th align=\"left\">Entity</th><th align=\"right\">"
                   "Articles</th></tr>\n");
    json_object_foreach(json_object_get(counts, "by_entity"), k, v)
    {
        kw_buf_adds(b, "<tr><td style=\"padding-right:12px\">");
        H(b, name_of(doc, k));
        kw_buf_addf(b, "</td><td align=\"right\">%lld</td></tr>\n",
                    (long long)json_integer_value(v));
    }
    kw_buf_addf(b, "</table></td></tr></table>\n<h2 style=\"font-size:17px;"
                   "margin:18px 0 6px\">Articles per day, last %d days</h2>\n",
                NDAYS);
    html_chart(doc, b);
    json_decref(groups);
}

static void render_html(json_t *doc, kw_buf *b)
{
    kw_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"ko\"><head>"
                   "<meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width\">"
                   "<title>Kowatch digest ");
    H(b, jget(doc, "date"));
    kw_buf_adds(b, "</title></head>\n<body style=\"margin:0;padding:16px;"
                   "background:#f4f4f4\"><div style=\"max-width:760px;"
                   "margin:0 auto;background:#fff;padding:20px;"
                   "font:14px/1.5 -apple-system,'Segoe UI','Malgun Gothic',"
                   "'Apple SD Gothic Neo',sans-serif;color:#222\">\n");
    html_body(doc, b);
    kw_buf_adds(b, "</div></body></html>\n");
}

/* Renders @doc (borrowed) in @fmt into an owned string. */
static kw_err render_doc(json_t *doc, kw_digest_format fmt, char **out)
{
    kw_buf b;

    *out = NULL;
    if (fmt == KW_DIGEST_JSON) {
        *out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        return *out ? KW_OK : KW_ENOMEM;
    }
    kw_buf_init(&b, KW_MAX_TEXT);
    if (fmt == KW_DIGEST_HTML)
        render_html(doc, &b);
    else
        render_md(doc, &b, fmt == KW_DIGEST_MD);
    if (b.err) {
        kw_err rc = b.err;

        kw_buf_deinit(&b);
        return rc;
    }
    *out = kw_buf_steal(&b);
    return *out ? KW_OK : KW_ENOMEM;
}

kw_err kw_digest_render(kw_store *st, int64_t day, kw_digest_format fmt,
                        char **out)
{
    json_t *doc = NULL;
    kw_err rc;

    *out = NULL;
    rc = build(st, day, &doc);
    if (rc)
        return rc;
    rc = render_doc(doc, fmt, out);
    json_decref(doc);
    return rc;
}
