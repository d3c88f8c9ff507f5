/*
 * Feed and sitemap parser (libxml2 XML parser, recover mode).
 *
 * Formats: RSS 0.9x and 2.0 (<rss><channel><item>), RSS 1.0 / 0.90 RDF
 * (<rdf:RDF> with <item> siblings of <channel>), Atom 1.0 (RFC 4287),
 * and the sitemaps.org protocol: <sitemapindex> and <urlset>, including
 * the Google News extension (news:publication_date, news:title).  Dublin
 * Core dc:date / dc:creator are read in RSS.  Elements are matched by
 * local name, so unusual prefixes still work.
 *
 * Safety: the bytes are decoded to UTF-8 first (kw_charset_decode) and
 * libxml2 is told to ignore the document's encoding declaration.  No
 * XML_PARSE_NOENT (entity substitution) and no DTD loading, so external
 * entities are never fetched, and text is gathered from text/CDATA nodes
 * only, so an entity bomb is never expanded.  gzip input is inflated up
 * to KW_MAX_SITEMAP.  Bare '&' (common in Korean CMS feeds: "R&D",
 * unescaped query strings) are escaped before parsing, outside CDATA and
 * comments, because libxml2's recovery silently drops text after them.
 * Items without a URL are dropped.
 */
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "parsers_int.h"

typedef struct item_vec {
    kw_feed_item *v; /* kw_realloc'd */
    size_t n, cap;
} item_vec;

/* Local name match, ignoring any namespace prefix. */
static int is(xmlNode *n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, local) == 0;
}

/* Local name match for elements in a namespace known by its prefix or
 * href fragment ("dc", "news", "content"). */
static int is_ns(xmlNode *n, const char *prefix, const char *href_part,
                 const char *local)
{
    if (!is(n, local) || !n->ns)
        return 0;
    if (n->ns->prefix && strcmp((const char *)n->ns->prefix, prefix) == 0)
        return 1;
    return n->ns->href && strstr((const char *)n->ns->href, href_part);
}

/* Element in no namespace or the default one (no prefix). */
static int is_plain(xmlNode *n, const char *local)
{
    return is(n, local) && (!n->ns || !n->ns->prefix);
}

/* Raw text of a node (text and CDATA only), as an owned kw_buf. */
static kw_err raw_text(xmlNode *n, kw_buf *b)
{
    kw_buf_init(b, KW_MAX_TEXT);
    kw__parsers_node_text(n, b, 0);
    return b->err;
}

/* Plain text of an element that may hold escaped HTML. */
static kw_err text_of(kw_arena *a, xmlNode *n, const char **out)
{
    kw_buf b;
    char *s;

    *out = NULL;
    if (raw_text(n, &b)) {
        kw_buf_deinit(&b);
        return KW_ENOMEM;
    }
    s = kw__parsers_html_to_text(a, b.p ? b.p : "", b.n);
    kw_buf_deinit(&b);
    if (!s)
        return KW_ENOMEM;
    *out = *s ? s : NULL;
    return KW_OK;
}

/* A URL-ish value: collapsed, without spaces; NULL when empty. */
static kw_err url_of(kw_arena *a, const char *p, size_t n, const char **out)
{
    char *s;

    *out = NULL;
    s = kw__parsers_collapse(a, p, n);
    if (!s)
        return KW_ENOMEM;
    *out = *s ? s : NULL;
    return KW_OK;
}

static kw_err url_of_node(kw_arena *a, xmlNode *n, const char **out)
{
    kw_buf b;
    kw_err rc;

    *out = NULL;
    if (raw_text(n, &b)) {
        kw_buf_deinit(&b);
        return KW_ENOMEM;
    }
    rc = url_of(a, b.p ? b.p : "", b.n, out);
    kw_buf_deinit(&b);
    return rc;
}

static int64_t date_of(xmlNode *n)
{
    kw_buf b;
    kw_date d;
    int64_t t = 0;

    if (raw_text(n, &b) == KW_OK && b.p &&
        kw_date_parse(b.p, b.n, &d) == KW_OK)
        t = d.t;
    kw_buf_deinit(&b);
    return t;
}

static kw_err push(item_vec *v, kw_feed_item **out)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 32;
        kw_feed_item *nv = kw_realloc(v->v, cap * sizeof(*nv));

        if (!nv)
            return KW_ENOMEM;
        v->v = nv;
        v->cap = cap;
    }
    *out = &v->v[v->n];
    memset(*out, 0, sizeof(**out));
    return KW_OK;
}

/* RSS 0.9x/1.0/2.0 <item>. */
static kw_err rss_item(kw_arena *a, xmlNode *it, item_vec *v)
{
    kw_feed_item *x;
    xmlNode *c;
    const char *guid = NULL, *content = NULL;
    int64_t dc_date = 0;
    kw_err rc;

    rc = push(v, &x);
    if (rc)
        return rc;
    for (c = it->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_plain(c, "title") && !x->title) {
            rc = text_of(a, c, &x->title);
        } else if (is_plain(c, "link") && !x->url) {
            rc = url_of_node(a, c, &x->url);
        } else if (is_plain(c, "guid") && !guid) {
            xmlChar *pl = xmlGetProp(c, BAD_CAST "isPermaLink");

            if (!pl || strcasecmp((const char *)pl, "false") != 0)
                rc = url_of_node(a, c, &guid);
            xmlFree(pl);
        } else if (is_plain(c, "description") && !x->summary) {
            rc = text_of(a, c, &x->summary);
        } else if (is_ns(c, "content", "/rss/1.0/modules/content",
                         "encoded") &&
                   !content) {
            rc = text_of(a, c, &content);
        } else if (is_plain(c, "pubDate") && !x->published) {
            x->published = date_of(c);
        } else if (is_ns(c, "dc", "purl.org/dc/", "date") && !dc_date) {
            dc_date = date_of(c);
        } else if ((is_plain(c, "author") ||
                    is_ns(c, "dc", "purl.org/dc/", "creator")) &&
                   !x->author) {
            rc = text_of(a, c, &x->author);
        }
        if (rc)
            return rc;
    }
    if (!x->url && guid && (strncmp(guid, "http://", 7) == 0 ||
                            strncmp(guid, "https://", 8) == 0))
        x->url = guid;
    if (!x->url) {
        xmlChar *about = xmlGetProp(it, BAD_CAST "about");

        if (about) {
            rc = url_of(a, (const char *)about, strlen((char *)about),
                        &x->url);
            xmlFree(about);
            if (rc)
                return rc;
        }
    }
    if (!x->summary)
        x->summary = content;
    if (!x->published)
        x->published = dc_date;
    if (x->url)
        v->n++;
    return KW_OK;
}

/* Atom <link>: rel=alternate (or no rel) wins; returns its href. */
static kw_err atom_link(kw_arena *a, xmlNode *parent, const char **out)
{
    xmlNode *c;
    const char *any = NULL;
    kw_err rc = KW_OK;

    *out = NULL;
    for (c = parent->children; c && !*out; c = c->next) {
        xmlChar *rel, *href;

        if (!is(c, "link"))
            continue;
        href = xmlGetProp(c, BAD_CAST "href");
        if (!href)
            continue;
        rel = xmlGetProp(c, BAD_CAST "rel");
        if (!rel || strcmp((const char *)rel, "alternate") == 0)
            rc = url_of(a, (const char *)href, strlen((char *)href), out);
        else if (!any && strcmp((const char *)rel, "self") != 0)
            rc = url_of(a, (const char *)href, strlen((char *)href), &any);
        xmlFree(rel);
        xmlFree(href);
        if (rc)
            return rc;
    }
    if (!*out)
        *out = any;
    return KW_OK;
}

static kw_err atom_entry(kw_arena *a, xmlNode *e, item_vec *v)
{
    kw_feed_item *x;
    xmlNode *c, *d;
    const char *content = NULL;
    int64_t updated = 0;
    kw_err rc;

    rc = push(v, &x);
    if (rc)
        return rc;
    rc = atom_link(a, e, &x->url);
    if (rc)
        return rc;
    for (c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is(c, "title") && !x->title) {
            rc = text_of(a, c, &x->title);
        } else if (is(c, "summary") && !x->summary) {
            rc = text_of(a, c, &x->summary);
        } else if (is(c, "content") && !content) {
            rc = text_of(a, c, &content);
        } else if (is(c, "published") && !x->published) {
            x->published = date_of(c);
        } else if (is(c, "updated") && !updated) {
            updated = date_of(c);
        } else if (is(c, "author") && !x->author) {
            for (d = c->children; d; d = d->next) {
                if (is(d, "name")) {
                    rc = text_of(a, d, &x->author);
                    break;
                }
            }
        }
        if (rc)
            return rc;
    }
    if (!x->summary)
        x->summary = content;
    if (!x->published)
        x->published = updated;
    if (x->url)
        v->n++;
    return KW_OK;
}

/* <url> of a urlset or <sitemap> of a sitemapindex. */
static kw_err sitemap_entry(kw_arena *a, xmlNode *e, item_vec *v)
{
    kw_feed_item *x;
    xmlNode *c, *d;
    int64_t news_date = 0;
    kw_err rc;

    rc = push(v, &x);
    if (rc)
        return rc;
    for (c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is(c, "loc") && !x->url) {
            rc = url_of_node(a, c, &x->url);
        } else if (is(c, "lastmod") && !x->published) {
            x->published = date_of(c);
        } else if (is(c, "news")) {
            for (d = c->children; d; d = d->next) {
                if (is(d, "publication_date") && !news_date)
                    news_date = date_of(d);
                else if (is(d, "title") && !x->title)
                    rc = text_of(a, d, &x->title);
                if (rc)
                    return rc;
            }
        }
        if (rc)
            return rc;
    }
    if (news_date)
        x->published = news_date;
    if (x->url)
        v->n++;
    return KW_OK;
}

/* Channel-level title and link (RSS channel or Atom feed). */
static kw_err channel_meta(kw_arena *a, xmlNode *ch, kw_feed *f, int atom)
{
    xmlNode *c;
    kw_err rc = KW_OK;

    for (c = ch->children; c; c = c->next) {
        if (is(c, "title") && (atom || is_plain(c, "title")) && !f->title)
            rc = text_of(a, c, &f->title);
        else if (!atom && is_plain(c, "link") && !f->link)
            rc = url_of_node(a, c, &f->link);
        if (rc)
            return rc;
    }
    if (atom)
        rc = atom_link(a, ch, &f->link);
    return rc;
}

static kw_err walk(xmlNode *root, kw_feed *f, item_vec *v)
{
    kw_arena *a = f->arena;
    xmlNode *c, *d;
    kw_err rc = KW_OK;

    if (is(root, "rss")) {
        f->kind = KW_FEED_RSS;
        for (c = root->children; c; c = c->next) {
            if (!is(c, "channel"))
                continue;
            rc = channel_meta(a, c, f, 0);
            for (d = c->children; d && !rc; d = d->next) {
                if (is_plain(d, "item"))
                    rc = rss_item(a, d, v);
            }
            /* Some RSS 0.9x feeds put items next to the channel. */
        }
        for (c = root->children; c && !rc; c = c->next) {
            if (is_plain(c, "item"))
                rc = rss_item(a, c, v);
        }
    } else if (is(root, "RDF")) {
        f->kind = KW_FEED_RSS;
        for (c = root->children; c && !rc; c = c->next) {
            if (is(c, "channel"))
                rc = channel_meta(a, c, f, 0);
            else if (is(c, "item"))
                rc = rss_item(a, c, v);
        }
    } else if (is(root, "feed")) {
        f->kind = KW_FEED_ATOM;
        rc = channel_meta(a, root, f, 1);
        for (c = root->children; c && !rc; c = c->next) {
            if (is(c, "entry"))
                rc = atom_entry(a, c, v);
        }
    } else if (is(root, "sitemapindex")) {
        f->kind = KW_FEED_SITEMAP_INDEX;
        for (c = root->children; c && !rc; c = c->next) {
            if (is(c, "sitemap"))
                rc = sitemap_entry(a, c, v);
        }
    } else if (is(root, "urlset")) {
        f->kind = KW_FEED_URLSET;
        for (c = root->children; c && !rc; c = c->next) {
            if (is(c, "url"))
                rc = sitemap_entry(a, c, v);
        }
    } else {
        rc = KW_EPARSE;
    }
    return rc;
}

/* First occurrence of the 3-byte @needle in p[0..n), or NULL. */
static const char *find3(const char *p, size_t n, const char *needle)
{
    size_t i;

    for (i = 0; i + 3 <= n; i++) {
        if (p[i] == needle[0] && p[i + 1] == needle[1] &&
            p[i + 2] == needle[2])
            return p + i;
    }
    return NULL;
}

/*
 * Skips a CDATA section or comment starting at p[i]: returns the index
 * of its last byte, n if it is unterminated, or i if none starts here.
 */
static size_t skip_raw(const char *p, size_t n, size_t i)
{
    const char *e;

    if (p[i] != '<')
        return i;
    if (n - i >= 9 && memcmp(p + i, "<![CDATA[", 9) == 0)
        e = find3(p + i, n - i, "]]>");
    else if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0)
        e = find3(p + i, n - i, "-->");
    else
        return i;
    return e ? (size_t)(e - p) + 2 : n;
}

/*
 * Length of the entity or character reference at p[0..n) (p[0] == '&'),
 * or 0 if this '&' is bare.
 */
static size_t entity_len(const char *p, size_t n)
{
    size_t i = 1;

    if (i < n && p[i] == '#') {
        i++;
        if (i < n && (p[i] == 'x' || p[i] == 'X'))
            i++;
    }
    while (i < n && i < 40 &&
           ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
            (p[i] >= '0' && p[i] <= '9') || p[i] == '_' || p[i] == '-' ||
            p[i] == '.'))
        i++;
    if (i > 1 && i < n && p[i] == ';' && p[i - 1] != '#' && p[i - 1] != 'x')
        return i + 1;
    return 0;
}

/* True if p[0..n) has a bare '&' outside CDATA sections and comments. */
static int has_bare_amp(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        i = skip_raw(p, n, i);
        if (i < n && p[i] == '&' && entity_len(p + i, n - i) == 0)
            return 1;
    }
    return 0;
}

/*
 * Copy of p[0..n) in which every bare '&' outside CDATA sections and
 * comments is written as "&amp;" (a bare '&' is never well-formed XML,
 * and libxml2's recovery drops the text after it).  Owned.
 */
static kw_err escape_amps(const char *p, size_t n, char **out, size_t *out_n)
{
    kw_buf b;
    size_t i, start = 0;
    kw_err rc;

    *out = NULL;
    kw_buf_init(&b, KW__PARSERS_MAX_XML);
    for (i = 0; i < n; i++) {
        i = skip_raw(p, n, i);
        if (i < n && p[i] == '&' && entity_len(p + i, n - i) == 0) {
            kw_buf_add(&b, p + start, i - start);
            kw_buf_add(&b, "&amp;", 5);
            start = i + 1;
        }
    }
    kw_buf_add(&b, p + start, n - start);
    rc = b.err;
    if (rc) {
        kw_buf_deinit(&b);
        return rc;
    }
    *out_n = b.n;
    *out = kw_buf_steal(&b);
    return *out ? KW_OK : KW_ENOMEM;
}

static xmlDocPtr read_xml(const char *p, size_t n)
{
    int opts = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
               XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC |
               XML_PARSE_COMPACT;

    if (n == 0 || n > KW__PARSERS_MAX_XML)
        return NULL;
    return xmlReadMemory(p, (int)n, NULL, "UTF-8", opts);
}

kw_err kw_feed_parse(const char *p, size_t n, const char *declared,
                     kw_feed **out)
{
    kw_feed *f = NULL;
    kw_decoded d;
    char *inflated = NULL, *escaped = NULL;
    size_t inflated_n = 0, escaped_n = 0;
    xmlDocPtr doc = NULL;
    xmlNode *root;
    item_vec v = {0};
    kw_err rc;

    *out = NULL;
    memset(&d, 0, sizeof(d));
    rc = kw_gunzip(p, n, KW_MAX_SITEMAP, &inflated, &inflated_n);
    if (rc)
        goto cleanup;
    if (inflated) {
        p = inflated;
        n = inflated_n;
    }
    if (n > KW_MAX_SITEMAP) {
        rc = KW_ETOOBIG;
        goto cleanup;
    }
    rc = kw_charset_decode(p, n, declared, &d);
    if (rc)
        goto cleanup;
    f = kw_calloc(1, sizeof(*f));
    if (!f) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    f->arena = kw_arena_new();
    if (!f->arena) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    snprintf(f->charset, sizeof(f->charset), "%s", d.charset);
    if (has_bare_amp(d.p, d.n)) {
        rc = escape_amps(d.p, d.n, &escaped, &escaped_n);
        if (rc)
            goto cleanup;
        doc = read_xml(escaped, escaped_n);
    } else {
        doc = read_xml(d.p, d.n);
    }
    root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        rc = KW_EPARSE;
        goto cleanup;
    }
    rc = walk(root, f, &v);
    if (rc)
        goto cleanup;
    if (v.n) {
        f->items = kw_arena_alloc(f->arena, v.n * sizeof(*f->items));
        if (!f->items) {
            rc = KW_ENOMEM;
            goto cleanup;
        }
        memcpy(f->items, v.v, v.n * sizeof(*f->items));
    }
    f->n_items = v.n;
    *out = f;
    f = NULL;
cleanup:
    xmlFreeDoc(doc);
    kw_free(v.v);
    kw_free(escaped);
    kw_free(inflated);
    kw_decoded_deinit(&d);
    kw_feed_free(f);
    return rc;
}

void kw_feed_free(kw_feed *f)
{
    if (!f)
        return;
    kw_arena_free(f->arena);
    kw_free(f);
}
