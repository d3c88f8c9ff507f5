/*
 * Link discovery on HTML pages (board lists, section pages, home pages).
 *
 * Every <a> with an href or an onclick gives one link, in document order;
 * board rows that navigate only by script (<tr onclick="fn_detail(1)">,
 * <li onclick=...>) give one too.  A "javascript:" href or an onclick is
 * returned whole with is_script set: the crawler maps its first argument
 * through the source's detail_template (e.g. fn_detail('3186001')).
 *
 * in_main is a structural heuristic tuned on Korean government boards
 * and news section pages (see korean-pages/SITES.md): a link is in the
 * main part when it sits inside a <table>, <main>, or a container whose
 * class or id names a board, list or article area, and not inside
 * <nav>/<header>/<footer>/<aside> or anything whose class/id names
 * navigation (gnb, lnb, menu, footer, banner, quick, util, paging, ...).
 * Navigation wins over main, so a menu inside a content wrapper is still
 * navigation.
 */
#include <string.h>
#include <strings.h>

#include "parsers_int.h"

typedef struct link_vec {
    kw_link *v; /* kw_realloc'd */
    size_t n, cap;
} link_vec;

typedef struct walk_ctx {
    kw_arena *arena;  /* results */
    link_vec links;   /* collected links */
    const char *base; /* first <base href> */
    kw_err err;       /* first failure */
} walk_ctx;

/* class/id fragments that mark navigation and page furniture. */
static const char *const nav_words[] = {
    "gnb",      "lnb",       "snb",        "menu",     "nav",
    "footer",   "header",    "util",       "quick",    "banner",
    "breadcrumb", "location", "sitemap",   "site_map", "skip",
    "family",   "paging",    "pagination", "page_num", "lang",
    "sns",      "share",     "popup",      "keyword",  "calendar",
    "top_menu", "aside",     "sidebar",    "side_",    "link_list",
    "related",  "ranking",   "popular",    "advert",   "tab_menu",
    "sub_visual", "login",   "search",
};

/* class/id fragments that mark a board, a list or an article body. */
static const char *const main_words[] = {
    "board", "bbs",  "list",    "article", "news",    "notice",
    "press", "tbl",  "table",   "content", "result",  "bo_",
};

static int has_word(const char *s, const char *const *words, size_t n)
{
    size_t i;

    if (!s || !*s)
        return 0;
    for (i = 0; i < n; i++) {
        if (kw__parsers_icontains(s, words[i]))
            return 1;
    }
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Classifies an element: 1 navigation, 2 main container, 0 neither. */
static int classify(xmlNode *n)
{
    xmlChar *cls, *id, *role;
    int r = 0;

    /* <html> and <body> classes describe the page ("full_banner_yes",
     * Modernizr's "canvas"), not a region of it. */
    if (kw__parsers_name_is(n, "html") || kw__parsers_name_is(n, "body"))
        return 0;
    if (kw__parsers_name_is(n, "nav") || kw__parsers_name_is(n, "header") ||
        kw__parsers_name_is(n, "footer") || kw__parsers_name_is(n, "aside"))
        return 1;
    cls = kw__parsers_attr(n, "class");
    id = kw__parsers_attr(n, "id");
    role = kw__parsers_attr(n, "role");
    if (has_word((const char *)cls, nav_words, COUNT(nav_words)) ||
        has_word((const char *)id, nav_words, COUNT(nav_words)) ||
        (role && (strcasecmp((const char *)role, "navigation") == 0 ||
                  strcasecmp((const char *)role, "banner") == 0 ||
                  strcasecmp((const char *)role, "contentinfo") == 0))) {
        r = 1;
    } else if (kw__parsers_name_is(n, "table") ||
               kw__parsers_name_is(n, "main") ||
               (role && strcasecmp((const char *)role, "main") == 0)) {
        r = 2;
    } else if ((kw__parsers_name_is(n, "div") ||
                kw__parsers_name_is(n, "ul") ||
                kw__parsers_name_is(n, "ol") ||
                kw__parsers_name_is(n, "dl") ||
                kw__parsers_name_is(n, "tbody") ||
                kw__parsers_name_is(n, "section") ||
                kw__parsers_name_is(n, "article")) &&
               (has_word((const char *)cls, main_words, COUNT(main_words)) ||
                has_word((const char *)id, main_words,
                         COUNT(main_words)))) {
        r = 2;
    }
    xmlFree(cls);
    xmlFree(id);
    xmlFree(role);
    return r;
}

/* Trims ASCII white space; returns the trimmed start and sets *len. */
static const char *trim(const char *s, size_t *len)
{
    size_t n = strlen(s);

    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                 s[n - 1] == '\r'))
        n--;
    *len = n;
    return s;
}

/* True for hrefs that do nothing: "", "#", "javascript:;",
 * "javascript:void(0)". */
static int is_dead_href(const char *h, size_t n)
{
    if (n == 0 || (n >= 1 && h[0] == '#'))
        return 1;
    if (n >= 11 && strncasecmp(h, "javascript:", 11) == 0) {
        const char *r = h + 11;
        size_t rn = n - 11;

        while (rn && (*r == ' '))
            r++, rn--;
        return rn == 0 || (rn == 1 && *r == ';') ||
               (rn >= 4 && strncasecmp(r, "void", 4) == 0);
    }
    return 0;
}

static kw_err add_link(walk_ctx *w, const char *href, size_t href_n,
                       xmlNode *node, int in_main, int is_script)
{
    kw_link *l;
    char *text;

    if (w->links.n == w->links.cap) {
        size_t cap = w->links.cap ? w->links.cap * 2 : 64;
        kw_link *nv = kw_realloc(w->links.v, cap * sizeof(*nv));

        if (!nv)
            return KW_ENOMEM;
        w->links.v = nv;
        w->links.cap = cap;
    }
    l = &w->links.v[w->links.n];
    memset(l, 0, sizeof(*l));
    l->href = kw_arena_strndup(w->arena, href, href_n);
    text = kw__parsers_node_text_dup(w->arena, node);
    if (!l->href || !text)
        return KW_ENOMEM;
    if (!*text) {
        /* An image link: use its title or the image's alt text. */
        xmlChar *t = kw__parsers_attr(node, "title");
        xmlNode *c;

        for (c = node->children; !t && c; c = c->next) {
            if (kw__parsers_name_is(c, "img"))
                t = kw__parsers_attr(c, "alt");
        }
        if (t) {
            text = kw__parsers_collapse(w->arena, (const char *)t,
                                        strlen((const char *)t));
            xmlFree(t);
            if (!text)
                return KW_ENOMEM;
        }
    }
    l->text = text;
    l->in_main = in_main;
    l->is_script = is_script;
    w->links.n++;
    return KW_OK;
}

/* True if the call text s[0..n) has an argument: "fn(1)", not "fn()". */
static int call_has_arg(const char *s, size_t n)
{
    const char *open = memchr(s, '(', n);
    size_t i;

    if (!open)
        return 0;
    for (i = (size_t)(open - s) + 1; i < n && s[i] != ')'; i++) {
        if (s[i] != ' ')
            return 1;
    }
    return 0;
}

/*
 * A script link of an element: its onclick.  On <a> any call counts
 * (@any); on rows and buttons only calls with an argument look like
 * navigation ("fn_detail('3186001')", not "toggle()").
 */
static kw_err onclick_link(walk_ctx *w, xmlNode *n, int in_main, int any)
{
    xmlChar *oc = kw__parsers_attr(n, "onclick");
    const char *s;
    size_t len;
    kw_err rc = KW_OK;

    if (!oc)
        return KW_OK;
    s = trim((const char *)oc, &len);
    if (len && memchr(s, '(', len) && (any || call_has_arg(s, len)))
        rc = add_link(w, s, len, n, in_main, 1);
    xmlFree(oc);
    return rc;
}

static kw_err anchor(walk_ctx *w, xmlNode *n, int in_main)
{
    xmlChar *href = kw__parsers_attr(n, "href");
    const char *h;
    size_t len = 0;
    kw_err rc = KW_OK;

    if (!href)
        return onclick_link(w, n, in_main, 1);
    h = trim((const char *)href, &len);
    if (!is_dead_href(h, len)) {
        int script = len >= 11 && strncasecmp(h, "javascript:", 11) == 0;

        rc = add_link(w, h, len, n, in_main, script);
    } else {
        rc = onclick_link(w, n, in_main, 1);
    }
    xmlFree(href);
    return rc;
}

static void walk(walk_ctx *w, xmlNode *n, int nav, int main_)
{
    for (; n && !w->err; n = n->next) {
        int cnav = nav, cmain = main_;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (kw__parsers_name_is(n, "script") ||
            kw__parsers_name_is(n, "style"))
            continue;
        if (!nav) {
            int k = classify(n);

            if (k == 1)
                cnav = 1;
            else if (k == 2)
                cmain = 1;
        }
        if (kw__parsers_name_is(n, "base") && !w->base) {
            xmlChar *b = kw__parsers_attr(n, "href");

            if (b) {
                size_t len;
                const char *s = trim((const char *)b, &len);

                w->base = kw_arena_strndup(w->arena, s, len);
                if (!w->base)
                    w->err = KW_ENOMEM;
                xmlFree(b);
            }
        } else if (kw__parsers_name_is(n, "a") ||
                   kw__parsers_name_is(n, "area")) {
            w->err = anchor(w, n, cmain && !cnav);
            continue; /* nested anchors are invalid HTML */
        } else if (kw__parsers_name_is(n, "tr") ||
                   kw__parsers_name_is(n, "td") ||
                   kw__parsers_name_is(n, "li") ||
                   kw__parsers_name_is(n, "button") ||
                   kw__parsers_name_is(n, "div") ||
                   kw__parsers_name_is(n, "span")) {
            w->err = onclick_link(w, n, cmain && !cnav, 0);
        }
        if (!w->err)
            walk(w, n->children, cnav, cmain);
    }
}

kw_err kw_html_links(const char *p, size_t n, const char *declared,
                     kw_links **out)
{
    kw_links *l = NULL;
    kw_decoded d;
    htmlDocPtr doc = NULL;
    walk_ctx w;
    kw_err rc;

    *out = NULL;
    memset(&w, 0, sizeof(w));
    if (n > KW_MAX_BODY)
        return KW_ETOOBIG;
    rc = kw_charset_decode(p, n, declared, &d);
    if (rc)
        return rc;
    l = kw_calloc(1, sizeof(*l));
    if (!l) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    l->arena = kw_arena_new();
    if (!l->arena) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    /* libxml2 returns no document for input it cannot read at all: that
     * page has no links. */
    doc = kw__parsers_html_read(d.p, d.n);
    w.arena = l->arena;
    if (doc)
        walk(&w, xmlDocGetRootElement(doc), 0, 0);
    rc = w.err;
    if (rc)
        goto cleanup;
    if (w.links.n) {
        l->links = kw_arena_alloc(l->arena, w.links.n * sizeof(kw_link));
        if (!l->links) {
            rc = KW_ENOMEM;
            goto cleanup;
        }
        memcpy(l->links, w.links.v, w.links.n * sizeof(kw_link));
    }
    l->n_links = w.links.n;
    l->base_href = w.base;
    *out = l;
    l = NULL;
cleanup:
    kw_free(w.links.v);
    xmlFreeDoc(doc);
    kw_decoded_deinit(&d);
    kw_links_free(l);
    return rc;
}

void kw_links_free(kw_links *l)
{
    if (!l)
        return;
    kw_arena_free(l->arena);
    kw_free(l);
}
