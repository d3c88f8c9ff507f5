/*
 * Article and notice extraction from one HTML page.
 *
 * Metadata (title, dates, byline, site, canonical URL, language) come
 * from, best first: JSON-LD (schema.org NewsArticle and kin), Open Graph
 * and article:* meta tags, Arc XP's inline Fusion.globalContent, <time>,
 * and visible labels ("입력", "기사입력", "등록일", "작성일").  Site
 * suffixes are stripped from titles (" | 한국일보", "-정치ㅣ한국일보",
 * " : 뉴스 : 동아닷컴", " < 기사본문 - 전남일보").
 *
 * The main text is found readability-style on libxml2's HTML tree
 * (content after </html> is moved into <body> first, as an HTML5 parser
 * does): boilerplate is removed first (script/style/nav/header/footer/
 * aside, and elements whose class/id tokens -- split on '-', '_' and
 * camelCase -- name menus, sharing, comments, related articles, ads,
 * copyright, captions, surveys and licences; not <article>/<main>, not an
 * element that also names the article body and holds a quarter of the
 * text, not one that holds most of it, not an embedded tweet); then the
 * container of known Korean CMS body classes wins if present, otherwise
 * paragraphs (<p>, and <div>s of inline text) vote for their parents
 * (readability's algorithm, scaled by link density, with its climb to a
 * parent that scores more).  Siblings that score near the winner and
 * chunks of the same tag and class elsewhere join it.  While the text is
 * written out, blocks of links (few commas), one-link paragraphs, meta
 * rows ("작성일 : ... 조회 ..."), attachment boxes, a board's title box
 * and a heading that repeats the title are left out.  Paragraphs come
 * from block elements and <br><br> splits; copyright formulae, e-mail-
 * only lines, "(END)", hashtag lines and teaser lines ("Read more:")
 * are dropped.
 * When the markup has no text, JSON-LD articleBody or the text elements
 * of Fusion.globalContent are used (chosun.com).
 *
 * Board posts of ministries and agencies (labels 작성일/등록일/담당부서/
 * 첨부파일 in the page) are KW_KIND_NOTICE, with their department and
 * attachments.  Pages without a main text are KW_KIND_OTHER with a
 * reason.  See korean-pages/SITES.md for the layouts this was tuned on.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "parsers_int.h"

#define MIN_MAIN_CHARS 80 /* fewer characters of text: no main text */
#define VOTE_LEVELS 3     /* ancestors a paragraph votes for */
#define LIST_ROWS 5       /* dated link rows that make a page a list */

typedef struct nstat {
    size_t text;  /* bytes of text in the subtree */
    size_t links; /* bytes of it inside <a> */
    size_t ptext; /* bytes of paragraph text (<p>, <pre>) outside links */
    double score; /* paragraph votes */
    unsigned commas; /* commas in the subtree's text (prose has them) */
    unsigned char boost;     /* a known body container (is_boost) */
    unsigned char has_boost; /* one is below it */
    int pick;     /* part of the main text */
} nstat;

typedef struct att_vec {
    kw_attachment *v; /* kw_realloc'd */
    size_t n, cap;
} att_vec;

typedef struct ex {
    kw_arena *a;        /* result arena */
    kw_article *art;    /* result */
    htmlDocPtr doc;     /* parsed page */
    const char *html;   /* decoded page */
    size_t html_n;
    const char *og_title, *ld_headline, *title_tag, *h1;
    const char *ld_body;       /* JSON-LD articleBody */
    const char *fusion_body;   /* Arc XP content_elements text */
    const char *ld_author;     /* JSON-LD author names */
    const char *fusion_byline; /* Arc XP credits byline */
    const char *meta_author;   /* <meta name=author> with 기자 */
    const char *og_type;
    int is_news;               /* NewsArticle JSON-LD or og:type article */
    int pub_rank;              /* source rank of published (lower wins) */
    int mod_rank;
    att_vec atts;
    kw_buf next_html;          /* article HTML found in a Next.js payload */
    xmlNode *title_node;       /* a board post's title box, or NULL */
    const char *mail_line;     /* "NAME 기자 a@b.kr" dropped from the text */
    kw_err err;                /* first failure (ENOMEM) */
} ex;

/* ---- Small helpers ---------------------------------------------------- */

static nstat *st(xmlNode *n)
{
    return (nstat *)n->_private;
}

static int is_el(xmlNode *n, const char *name)
{
    return kw__parsers_name_is(n, name);
}

static char *dup_c(ex *x, const char *s, size_t n)
{
    char *r = kw__parsers_collapse(x->a, s, n);

    if (!r)
        x->err = KW_ENOMEM;
    return r;
}

static const char *attr_dup(ex *x, xmlNode *n, const char *name)
{
    xmlChar *v = kw__parsers_attr(n, name);
    char *r;

    if (!v)
        return NULL;
    r = dup_c(x, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    return (r && *r) ? r : NULL;
}

static void set_date(ex *x, const char *s, size_t n, int rank, int modified)
{
    kw_date d;
    int *cur = modified ? &x->mod_rank : &x->pub_rank;

    if (!s || (*cur && *cur <= rank))
        return;
    if (kw_date_parse(s, n, &d) != KW_OK)
        return;
    *cur = rank;
    if (modified) {
        x->art->modified = d;
        x->art->has_modified = 1;
    } else {
        x->art->published = d;
        x->art->has_published = 1;
    }
}

/* Next node in document order (pre-order), or NULL. */
static xmlNode *next_in_order(xmlNode *n, int descend)
{
    if (descend && n->children)
        return n->children;
    while (n && !n->next)
        n = n->parent;
    return n ? n->next : NULL;
}

/* ---- Title suffixes --------------------------------------------------- */

static const char *const known_sites[] = {
    "한국일보", "매일경제", "조선일보", "동아일보", "동아닷컴", "전남일보",
    "연합뉴스", "연합뉴스TV", "Yonhap News Agency", "중앙일보", "경향신문",
    "한겨레", "뉴시스", "머니투데이", "전자신문", "아이뉴스24", "ZDNet Korea",
    "지디넷코리아", "아주경제", "SBS Biz", "이데일리", "서울경제", "뉴스1",
};

static const char *const generic_tails[] = {
    "뉴스", "기사본문", "기사", "본문", "정치", "경제", "사회", "국제",
    "문화", "스포츠", "IT", "오피니언", "연예", "전국", "산업", "증권",
};

static int in_list(const char *s, size_t n, const char *const *list,
                   size_t count)
{
    size_t i;

    for (i = 0; i < count; i++) {
        if (strlen(list[i]) == n && memcmp(s, list[i], n) == 0)
            return 1;
    }
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Separators between a title and what sites append, longest first. */
static const char *const seps[] = {" | ", " - ", " : ", " < ", " :: ",
                                   " – ", " — ", "ㅣ", "-", "|"};

/*
 * Finds the last separator in t[0..n); returns its offset and sets
 * *sep_n, or returns n when there is none.
 */
static size_t last_sep(const char *t, size_t n, size_t *sep_n)
{
    size_t best = n, k;

    *sep_n = 0;
    for (k = 0; k < COUNT(seps); k++) {
        size_t l = strlen(seps[k]), i;

        if (l > n)
            continue;
        for (i = n - l + 1; i-- > 0;) {
            if (memcmp(t + i, seps[k], l) == 0) {
                if (best == n || i > best) {
                    best = i;
                    *sep_n = l;
                }
                break;
            }
        }
    }
    return best;
}

/* Strips site names and section names appended to a title. */
static const char *strip_title(ex *x, const char *t)
{
    const char *site = x->art->site;
    size_t n = strlen(t);
    int stripped_site = 0, rounds;

    for (rounds = 0; rounds < 4 && n; rounds++) {
        size_t sep_n, at = last_sep(t, n, &sep_n), tn;
        const char *tail;

        if (at == n || at == 0)
            break;
        tail = t + at + sep_n;
        tn = n - at - sep_n;
        while (tn && *tail == ' ') {
            tail++;
            tn--;
        }
        if ((site && strlen(site) == tn && memcmp(tail, site, tn) == 0) ||
            in_list(tail, tn, known_sites, COUNT(known_sites)) ||
            (site && tn > strlen(site) &&
             memcmp(tail + tn - strlen(site), site, strlen(site)) == 0 &&
             tn < strlen(site) + 16)) {
            stripped_site = 1;
        } else if (in_list(tail, tn, generic_tails, COUNT(generic_tails)) ||
                   (sep_n == 3 && memcmp(t + at, " < ", 3) == 0) ||
                   (stripped_site && tn <= 12 && !memchr(tail, ' ', tn))) {
            /* a section after the site was removed, or " < section" */
        } else {
            break;
        }
        n = at;
        while (n && t[n - 1] == ' ')
            n--;
    }
    if (n == 0)
        return t;
    return dup_c(x, t, n);
}

const char *kw_page_kind_name(kw_page_kind k)
{
    switch (k) {
    case KW_KIND_ARTICLE:
        return "article";
    case KW_KIND_NOTICE:
        return "notice";
    default:
        return "other";
    }
}

/* ---- JSON-LD and Arc XP (jansson) -------------------------------------- */

/* Parses the first JSON value of p[0..n); trailing bytes (the rest of a
 * script) are ignored.  NULL if it is not JSON.  Caller decrefs. */
static json_t *json_first(const char *p, size_t n)
{
    return json_loadb(p, n, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, NULL);
}

/* String member @key of object @o, or NULL. */
static const char *jstr(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int type_is_article(const json_t *o)
{
    const json_t *t = json_object_get(o, "@type"), *c;
    size_t i;

    if (json_is_string(t)) {
        const char *s = json_string_value(t);

        return strstr(s, "Article") || strstr(s, "BlogPosting") ||
               strstr(s, "Report");
    }
    json_array_foreach(t, i, c)
    {
        if (json_is_string(c) && strstr(json_string_value(c), "Article"))
            return 1;
    }
    return 0;
}

/* Names of a JSON-LD author value (object, array or string). */
static void author_names(const json_t *v, kw_buf *b, int depth)
{
    const json_t *c;
    size_t i;

    if (!v || depth > 4)
        return;
    if (json_is_string(v)) {
        if (b->n)
            kw_buf_adds(b, ", ");
        kw_buf_adds(b, json_string_value(v));
    } else if (json_is_object(v)) {
        author_names(json_object_get(v, "name"), b, depth + 1);
    } else {
        json_array_foreach(v, i, c)
        {
            author_names(c, b, depth + 1);
        }
    }
}

static void ld_article(ex *x, const json_t *o)
{
    const char *s;
    kw_buf b;

    s = jstr(o, "headline");
    if (s && !x->ld_headline)
        x->ld_headline = dup_c(x, s, strlen(s));
    s = jstr(o, "datePublished");
    if (s)
        set_date(x, s, strlen(s), 1, 0);
    s = jstr(o, "dateModified");
    if (s)
        set_date(x, s, strlen(s), 1, 1);
    s = jstr(o, "articleBody");
    if (s && !x->ld_body) {
        x->ld_body = kw_arena_strdup(x->a, s);
        if (!x->ld_body)
            x->err = KW_ENOMEM;
    }
    if (!x->ld_author) {
        kw_buf_init(&b, 4096);
        author_names(json_object_get(o, "author"), &b, 0);
        if (b.err == KW_ENOMEM)
            x->err = KW_ENOMEM;
        else if (b.n)
            x->ld_author = dup_c(x, b.p, b.n);
        kw_buf_deinit(&b);
    }
    x->is_news = 1;
}

static void ld_walk(ex *x, const json_t *v, int depth)
{
    const json_t *c;
    size_t i;

    if (!v || depth > 8)
        return;
    if (json_is_array(v)) {
        json_array_foreach(v, i, c)
        {
            ld_walk(x, c, depth + 1);
        }
    } else if (json_is_object(v)) {
        if (type_is_article(v))
            ld_article(x, v);
        ld_walk(x, json_object_get(v, "@graph"), depth + 1);
        ld_walk(x, json_object_get(v, "mainEntity"), depth + 1);
    }
}

/* Fusion.globalContent={...}: content_elements text and the byline. */
static void fusion(ex *x, const char *s, size_t n)
{
    static const char key[] = "Fusion.globalContent=";
    const char *m = NULL;
    json_t *g;
    const json_t *e;
    kw_buf b;
    size_t i;

    for (i = 0; i + sizeof(key) - 1 <= n; i++) {
        if (memcmp(s + i, key, sizeof(key) - 1) == 0) {
            m = s + i + sizeof(key) - 1;
            break;
        }
    }
    if (!m)
        return;
    g = json_first(m, n - (size_t)(m - s));
    if (!g)
        return;
    kw_buf_init(&b, KW_MAX_TEXT);
    json_array_foreach(json_object_get(g, "content_elements"), i, e)
    {
        const char *t = jstr(e, "type"), *c = jstr(e, "content");
        char *plain;

        if (!t || strcmp(t, "text") != 0 || !c)
            continue;
        plain = kw__parsers_html_to_text(x->a, c, strlen(c));
        if (!plain) {
            x->err = KW_ENOMEM;
            break;
        }
        if (!*plain)
            continue;
        if (b.n)
            kw_buf_adds(&b, "\n\n");
        kw_buf_adds(&b, plain);
    }
    if (b.err)
        x->err = b.err;
    else if (b.n)
        x->fusion_body = kw_arena_strndup(x->a, b.p, b.n);
    kw_buf_deinit(&b);
    json_array_foreach(json_object_get(json_object_get(g, "credits"), "by"),
                       i, e)
    {
        const char *bl = jstr(
            json_object_get(json_object_get(e, "additional_properties"),
                            "original"),
            "byline");

        if (!bl)
            bl = jstr(e, "name");
        if (bl) {
            x->fusion_byline = dup_c(x, bl, strlen(bl));
            break;
        }
    }
    json_decref(g);
}

/*
 * self.__next_f.push([1,"..."]) (Next.js React Server Components): the
 * string is a JSON string whose text may hold the article's HTML
 * (hankookilbo.com 2026 keeps the body only there).  HTML chunks are
 * collected and parsed later if the markup has no text.
 */
static void next_payload(ex *x, const char *s, size_t n)
{
    static const char key[] = "self.__next_f.push(";
    size_t i;

    for (i = 0; i + sizeof(key) - 1 < n; i++) {
        const json_t *str;
        const char *lt;
        json_t *j;

        if (memcmp(s + i, key, sizeof(key) - 1) != 0)
            continue;
        i += sizeof(key) - 1;
        j = json_first(s + i, n - i);
        str = json_array_get(j, 1);
        if (json_is_string(str) &&
            strstr(json_string_value(str), "editor-p")) {
            lt = strchr(json_string_value(str), '<');
            if (lt)
                kw_buf_adds(&x->next_html, lt);
        }
        json_decref(j);
    }
    if (x->next_html.err == KW_ENOMEM)
        x->err = KW_ENOMEM;
}

/* ---- Metadata pass ---------------------------------------------------- */

static void meta_tag(ex *x, xmlNode *n)
{
    xmlChar *prop = kw__parsers_attr(n, "property");
    xmlChar *name = kw__parsers_attr(n, "name");
    xmlChar *ip = kw__parsers_attr(n, "itemprop");
    const char *k = prop ? (const char *)prop
                         : name ? (const char *)name : (const char *)ip;
    xmlChar *content;
    const char *c;

    if (!k)
        goto done;
    content = kw__parsers_attr(n, "content");
    if (!content)
        goto done;
    c = (const char *)content;
    if (strcasecmp(k, "og:title") == 0 && !x->og_title)
        x->og_title = dup_c(x, c, strlen(c));
    else if (strcasecmp(k, "og:site_name") == 0 && !x->art->site)
        x->art->site = dup_c(x, c, strlen(c));
    else if (strcasecmp(k, "og:url") == 0 && !x->art->canonical_url)
        x->art->canonical_url = dup_c(x, c, strlen(c));
    else if (strcasecmp(k, "og:type") == 0 && !x->og_type)
        x->og_type = dup_c(x, c, strlen(c));
    else if (strcasecmp(k, "article:published_time") == 0 ||
             strcasecmp(k, "datePublished") == 0) {
        set_date(x, c, strlen(c), 2, 0);
        x->is_news = 1;
    }
    else if (strcasecmp(k, "article:modified_time") == 0 ||
             strcasecmp(k, "dateModified") == 0)
        set_date(x, c, strlen(c), 2, 1);
    else if (strcasecmp(k, "og:regDate") == 0)
        set_date(x, c, strlen(c), 3, 0);
    else if ((strcasecmp(k, "author") == 0 ||
              strcasecmp(k, "dable:author") == 0 ||
              strcasecmp(k, "og:article:author") == 0) &&
             !x->meta_author && strstr(c, "기자"))
        x->meta_author = dup_c(x, c, strlen(c));
    xmlFree(content);
done:
    xmlFree(prop);
    xmlFree(name);
    xmlFree(ip);
}

static void script_tag(ex *x, xmlNode *n)
{
    xmlChar *type = kw__parsers_attr(n, "type");
    kw_buf b;

    kw_buf_init(&b, KW_MAX_BODY);
    kw__parsers_node_text(n, &b, 0);
    if (b.err == KW_ENOMEM) {
        x->err = KW_ENOMEM;
    } else if (b.p && type &&
               strcasecmp((const char *)type, "application/ld+json") == 0) {
        json_t *j = json_first(b.p, b.n);

        ld_walk(x, j, 0);
        json_decref(j);
    } else if (b.p && !x->fusion_body && strstr(b.p, "Fusion.globalContent=")) {
        fusion(x, b.p, b.n);
    } else if (b.p && strstr(b.p, "self.__next_f.push(") &&
               strstr(b.p, "editor-p")) {
        next_payload(x, b.p, b.n);
    }
    xmlFree(type);
    kw_buf_deinit(&b);
}

static void meta_pass(ex *x, xmlNode *n)
{
    for (; n && !x->err; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, "html")) {
            if (!x->art->lang)
                x->art->lang = attr_dup(x, n, "lang");
        } else if (is_el(n, "title") && !x->title_tag) {
            x->title_tag = kw__parsers_node_text_dup(x->a, n);
        } else if (is_el(n, "meta")) {
            meta_tag(x, n);
        } else if (is_el(n, "link")) {
            xmlChar *rel = kw__parsers_attr(n, "rel");

            if (rel && strcasecmp((const char *)rel, "canonical") == 0) {
                const char *h = attr_dup(x, n, "href");

                if (h)
                    x->art->canonical_url = h; /* canonical beats og:url */
            }
            xmlFree(rel);
        } else if (is_el(n, "script")) {
            script_tag(x, n);
            continue;
        } else if (is_el(n, "time")) {
            xmlChar *dt = kw__parsers_attr(n, "datetime");

            if (dt)
                set_date(x, (const char *)dt, strlen((const char *)dt), 4,
                         0);
            xmlFree(dt);
        } else if (is_el(n, "h1") && !x->h1) {
            x->h1 = kw__parsers_node_text_dup(x->a, n);
        }
        meta_pass(x, n->children);
    }
}

/* ---- Visible labels --------------------------------------------------- */

/*
 * Finds the first text node, in document order from @from, that holds
 * one of @labels[0..count) (the first of them that it holds is *which),
 * and copies up to @max bytes of the text from the label on (in the same
 * text node and the next ones) into @b.  Returns the node where the label
 * was found (to continue after it), or NULL.
 */
static xmlNode *label_text_any(xmlNode *from, const char *const *labels,
                               size_t count, size_t *which, kw_buf *b,
                               size_t max)
{
    xmlNode *n;

    for (n = from; n; n = next_in_order(n, 1)) {
        const char *t, *at = NULL;
        xmlNode *m;
        size_t j;
        int k;

        if (n->type == XML_ELEMENT_NODE &&
            (is_el(n, "script") || is_el(n, "style"))) {
            n = next_in_order(n, 0);
            if (!n)
                break;
        }
        if (n->type != XML_TEXT_NODE || !n->content)
            continue;
        t = (const char *)n->content;
        for (j = 0; j < count && !at; j++) {
            at = strstr(t, labels[j]);
            *which = j;
        }
        if (!at)
            continue;
        kw_buf_reset(b);
        kw__parsers_buf_add_collapsed(b, at, strlen(at));
        for (m = next_in_order(n, 1), k = 0; m && k < 6 && b->n < max;
             m = next_in_order(m, 1)) {
            if (m->type == XML_TEXT_NODE && m->content) {
                kw_buf_addc(b, ' ');
                kw__parsers_buf_add_collapsed(b, (const char *)m->content,
                                              strlen((const char *)
                                                         m->content));
                k++;
            }
        }
        return n;
    }
    return NULL;
}

static xmlNode *label_text(xmlNode *from, const char *label, kw_buf *b,
                           size_t max)
{
    size_t which;

    return label_text_any(from, &label, 1, &which, b, max);
}

static const char *const date_labels[] = {"기사입력", "입력", "등록일",
                                          "작성일", "게시일", "발행일",
                                          "날짜"};

static void visible_date(ex *x, xmlNode *root)
{
    kw_buf b;
    size_t k;

    kw_buf_init(&b, 4096);
    for (k = 0; k < COUNT(date_labels) && !x->art->has_published; k++) {
        xmlNode *n = root;

        while (n && !x->art->has_published) {
            n = label_text(n, date_labels[k], &b, 120);
            if (!n)
                break;
            if (b.p && b.n)
                set_date(x, b.p, b.n < 120 ? b.n : 120, 5, 0);
            n = next_in_order(n, 1);
        }
    }
    if (b.err)
        x->err = b.err;
    kw_buf_deinit(&b);
}

/* "deployDt":"2026.01.29 18:40" in a Next.js payload (hankookilbo). */
static void payload_date(ex *x)
{
    static const char key[] = "deployDt";
    const char *p = x->html, *end = x->html + x->html_n;

    while (p && p < end && !x->art->has_published) {
        const char *q = memchr(p, 'd', (size_t)(end - p));
        size_t i;

        if (!q || (size_t)(end - q) < sizeof(key) + 24)
            break;
        p = q + 1;
        if (memcmp(q, key, sizeof(key) - 1) != 0)
            continue;
        q += sizeof(key) - 1;
        for (i = 0; i < 8 && !(q[i] >= '0' && q[i] <= '9'); i++)
            ;
        if (i == 8)
            continue;
        q += i;
        for (i = 0; i < 24 && q[i] != '"' && q[i] != '\\'; i++)
            ;
        set_date(x, q, i, 6, 0);
    }
}

static const char *const dept_labels[] = {"담당부서", "등록부서", "부서명",
                                          "작성부서"};

static const char *const stop_words[] = {"전화", "연락처", "작성", "등록",
                                         "조회", "|", "  ", "첨부"};

/* Words that follow a department label in menus and help texts, not in
 * a post's field ("담당부서 및 연락처", "담당부서 찾기"). */
static const char *const dept_not[] = {"및", "찾기", "안내", "검색", "전화",
                                       "바로가기"};

/*
 * The post's department: the first department label in document order
 * whose value looks like one.  Labels are tried together, not one after
 * the other, because a page's footer names the department in charge of
 * the page ("담당부서 시민공감홍보실") while the post's own field comes
 * first under another label ("등록부서 빛가람동", naju.go.kr).
 */
static void department(ex *x, xmlNode *root)
{
    kw_buf b;
    size_t k, i;
    xmlNode *n = root;

    kw_buf_init(&b, 4096);
    while (n && !x->art->department) {
        const char *v;
        size_t len;
        int bad = 0;

        n = label_text_any(n, dept_labels, COUNT(dept_labels), &k, &b, 80);
        if (!n || !b.p)
            break;
        n = next_in_order(n, 1);
        v = b.p + strlen(dept_labels[k]);
        while (*v == ' ' || *v == ':')
            v++;
        len = strlen(v);
        for (i = 0; i < COUNT(stop_words); i++) {
            const char *s = strstr(v, stop_words[i]);

            if (s && (size_t)(s - v) < len)
                len = (size_t)(s - v);
        }
        while (len && (v[len - 1] == ' ' || v[len - 1] == ':'))
            len--;
        for (i = 0; i < COUNT(dept_not) && len; i++) {
            size_t l = strlen(dept_not[i]);

            if (len >= l && memcmp(v, dept_not[i], l) == 0 &&
                (len == l || v[l] == ' '))
                bad = 1;
        }
        if (!bad && len && len <= 60)
            x->art->department = dup_c(x, v, len);
    }
    if (b.err)
        x->err = b.err;
    kw_buf_deinit(&b);
}

/* Counts board-detail labels in short text nodes. */
static int notice_labels(xmlNode *root)
{
    static const char *const labels[] = {"작성일", "등록일", "담당부서",
                                         "작성자", "첨부파일", "등록부서",
                                         "조회수", "부서명", "게시일",
                                         "수정일"};
    unsigned seen = 0;
    int count = 0;
    xmlNode *n;
    size_t k;

    for (n = root; n; n = next_in_order(n, 1)) {
        const char *t;

        if (n->type == XML_ELEMENT_NODE &&
            (is_el(n, "script") || is_el(n, "style"))) {
            n = next_in_order(n, 0);
            if (!n)
                break;
        }
        if (n->type != XML_TEXT_NODE || !n->content)
            continue;
        t = (const char *)n->content;
        if (strlen(t) > 80)
            continue;
        for (k = 0; k < COUNT(labels); k++) {
            if (!(seen & (1u << k)) && strstr(t, labels[k])) {
                seen |= 1u << k;
                count++;
            }
        }
    }
    return count;
}

/* ---- Attachments ------------------------------------------------------ */

static const char *const file_exts[] = {".hwp", ".hwpx", ".pdf", ".docx",
                                        ".xlsx", ".zip", ".odt", ".doc",
                                        ".xls", ".pptx", ".ppt"};

static const char *const down_words[] = {"download", "filedown", "getfile",
                                         "boarddown", "file_download",
                                         "fncfiledownload", "fn_download"};

static int ends_with_ext(const char *s)
{
    size_t n = s ? strlen(s) : 0, k;

    /* A download count after the name: "공고문.hwp (3)" (kidp.or.kr). */
    if (n >= 4 && s[n - 1] == ')') {
        size_t i = n - 1;

        while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
            i--;
        if (i < n - 1 && i >= 2 && s[i - 1] == '(' && s[i - 2] == ' ')
            n = i - 2;
    }
    for (k = 0; k < COUNT(file_exts); k++) {
        size_t l = strlen(file_exts[k]);

        if (n >= l && strncasecmp(s + n - l, file_exts[k], l) == 0)
            return 1;
    }
    return 0;
}

static int has_ext_inside(const char *s)
{
    size_t k;

    for (k = 0; s && k < COUNT(file_exts); k++) {
        const char *p = strstr(s, file_exts[k]);

        while (p) {
            char c = p[strlen(file_exts[k])];

            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                return 1;
            p = strstr(p + 1, file_exts[k]);
        }
    }
    return 0;
}

static void add_attachment(ex *x, const char *name, const char *url,
                           const char *script)
{
    size_t i;
    kw_attachment *at;

    for (i = 0; i < x->atts.n; i++) {
        if (url && x->atts.v[i].url && strcmp(x->atts.v[i].url, url) == 0)
            return;
        if (!url && strcmp(x->atts.v[i].name, name) == 0)
            return;
    }
    if (x->atts.n == x->atts.cap) {
        size_t cap = x->atts.cap ? x->atts.cap * 2 : 8;
        kw_attachment *nv = kw_realloc(x->atts.v, cap * sizeof(*nv));

        if (!nv) {
            x->err = KW_ENOMEM;
            return;
        }
        x->atts.v = nv;
        x->atts.cap = cap;
    }
    at = &x->atts.v[x->atts.n++];
    at->name = name;
    at->url = url;
    at->script = script;
}

static int generic_name(const char *t)
{
    static const char *const g[] = {"다운로드", "내려받기", "파일", "미리보기",
                                    "바로보기", "바로듣기", "download",
                                    "첨부파일", "전체다운로드"};
    size_t k;

    if (!t || !*t)
        return 1;
    for (k = 0; k < COUNT(g); k++) {
        if (strcasecmp(t, g[k]) == 0)
            return 1;
    }
    /* "전체(Zip)다운로드", "첨부파일 전체(압축)": every file in one zip,
     * not a file of its own. */
    return strstr(t, "전체") &&
           (strstr(t, "압축") || strstr(t, "다운로드") ||
            kw__parsers_icontains(t, "zip"));
}

static void attachments(ex *x, xmlNode *root)
{
    xmlNode *n;

    for (n = root; n && !x->err; n = next_in_order(n, 1)) {
        xmlChar *href, *oc;
        const char *text, *h, *name = NULL;
        int script = 0, is_file;
        size_t k;

        if (!is_el(n, "a"))
            continue;
        href = kw__parsers_attr(n, "href");
        oc = kw__parsers_attr(n, "onclick");
        h = (const char *)href;
        if (!h && !oc)
            continue;
        if ((!h || strncasecmp(h, "javascript:", 11) == 0 || *h == '#') &&
            oc) {
            script = 1;
        } else if (h && strncasecmp(h, "javascript:", 11) == 0) {
            script = 1;
        }
        text = kw__parsers_node_text_dup(x->a, n);
        if (!text) {
            x->err = KW_ENOMEM;
        } else {
            const char *probe = script ? (oc ? (const char *)oc : h) : h;

            is_file = ends_with_ext(text) || (probe && ends_with_ext(probe));
            for (k = 0; probe && !is_file && k < COUNT(down_words); k++)
                is_file = kw__parsers_icontains(probe, down_words[k]);
            if (probe && !is_file && script)
                is_file = has_ext_inside(probe) &&
                          kw__parsers_icontains(probe, "down");
            if ((probe && (kw__parsers_icontains(probe, "preview") ||
                           kw__parsers_icontains(probe, "viewer"))) ||
                strstr(text, "미리보기") || strstr(text, "바로듣기") ||
                strstr(text, "바로보기"))
                is_file = 0;
            if (is_file) {
                name = kw__parsers_clean_file_name((char *)text);
                if (generic_name(name)) {
                    name = attr_dup(x, n, "title");
                    if (name)
                        name = kw__parsers_clean_file_name((char *)name);
                    if (!name || generic_name(name))
                        name = NULL;
                }
                if (name)
                    add_attachment(x, name,
                                   script ? NULL : dup_c(x, h, strlen(h)),
                                   script ? dup_c(x, probe, strlen(probe))
                                          : NULL);
            }
        }
        xmlFree(href);
        xmlFree(oc);
    }
}

/* ---- Cleaning --------------------------------------------------------- */

static const char *const drop_tags[] = {
    "script", "style", "noscript", "iframe", "nav",      "header",
    "footer", "aside", "button",   "input",  "select",   "textarea",
    "svg",    "video", "audio",    "object", "embed",    "figcaption",
    "template", "label", "map",
};

/* Whole tokens (class/id split on ' ', '-', '_') that mark boilerplate. */
static const char *const drop_tokens[] = {
    "nav",      "gnb",        "lnb",        "snb",       "menu",
    "share",    "sns",        "comment",    "comments",  "reply",
    "related",  "relation",   "recommend",  "ad",        "ads",
    "advert",   "advertisement", "banner",  "copyright", "footer",
    "header",   "breadcrumb", "popular",    "ranking",   "tag",
    "tags",     "util",       "quick",      "survey",    "satisfaction",
    "kogl",     "opentype",   "license",    "caption",   "sitemap",
    "skip",     "login",      "search",     "paging",    "pagination",
    "sidebar",  "aside",      "promotion",  "subscribe", "newsletter",
    "more",     "figure",     "byline",     "writer",    "reporter",
    "sub_visual", "location", "sharing",    "social",    "print",
    "rank",     "hot",        "most",       "topmenu",   "totop",
    "cookie",   "cookies",    "consent",    "gdpr",      "popup",
    "modal",    "overlay",    "promo",      "widget",    "signup",
    "newsletters", "disqus",  "outbrain",   "taboola",   "sponsored",
    "credit",   "credits",    "prev",       "pager",     "prevnext",
    "trending", "rail",       "carousel",
};

/* Substrings of class/id that name a known article body container. */
static const char *const boost_words[] = {
    "article-view-content-div", "articlebody",   "article_body_content",
    "news_body_area",           "dic_area",      "view_cont",
    "story-news",               "article_txt",   "text_viewbox",
    "board_view",               "view_con",      "bbs_memo",
    "article-view-content",     "news_cnt_detail_wrap", "viewwrap",
    "txtitem",                  "view_box",      "tbl-dtlcon",
    "article_view",             "news_view",     "bbs_view",
    "board-view",               "view_area",     "view-content",
};

static int token_match(const char *s)
{
    size_t i = 0, k;

    if (!s)
        return 0;
    while (s[i]) {
        size_t j = i;
        int camel = 0;

        /* Tokens end at ' ', '-', '_' and inside camelCase
         * ("imageEmbedCaption" is image, Embed, Caption). */
        while (s[j] && s[j] != ' ' && s[j] != '-' && s[j] != '_' &&
               s[j] != '\t') {
            if (j > i && s[j] >= 'A' && s[j] <= 'Z' && s[j - 1] >= 'a' &&
                s[j - 1] <= 'z') {
                camel = 1;
                break;
            }
            j++;
        }
        for (k = 0; k < COUNT(drop_tokens); k++) {
            size_t l = strlen(drop_tokens[k]);

            if (l == j - i && strncasecmp(s + i, drop_tokens[k], l) == 0)
                return 1;
        }
        i = (s[j] && !camel) ? j + 1 : j;
    }
    /* Multi-token names and common compounds. */
    return kw__parsers_icontains(s, "sub_visual") ||
           kw__parsers_icontains(s, "copyright") ||
           kw__parsers_icontains(s, "kogl") ||
           kw__parsers_icontains(s, "figure_txt") ||
           kw__parsers_icontains(s, "img_desc") ||
           kw__parsers_icontains(s, "photo_caption");
}

static int is_boost(xmlNode *n)
{
    xmlChar *cls, *id, *ip;
    int r = 0;
    size_t k;

    if (n->type != XML_ELEMENT_NODE)
        return 0;
    cls = kw__parsers_attr(n, "class");
    id = kw__parsers_attr(n, "id");
    ip = kw__parsers_attr(n, "itemprop");
    if (ip && strcasecmp((const char *)ip, "articleBody") == 0)
        r = 1;
    for (k = 0; !r && k < COUNT(boost_words); k++) {
        if (kw__parsers_icontains((const char *)cls, boost_words[k]) ||
            kw__parsers_icontains((const char *)id, boost_words[k]))
            r = 1;
    }
    if (!r && is_el(n, "td") && cls &&
        strcasecmp((const char *)cls, "content") == 0)
        r = 1; /* shinan.go.kr: the "내용" row */
    xmlFree(cls);
    xmlFree(id);
    xmlFree(ip);
    return r;
}

/* True if a known body container is below @n (from stats()). */
static int contains_boost(xmlNode *n)
{
    return n->_private && st(n)->has_boost;
}

/* True if @n is a known body container (from stats()). */
static int boosted_el(xmlNode *n)
{
    return n->_private && st(n)->boost;
}

/* True if @s holds half of the page's paragraph text (or of its text
 * outside links). */
static int holds_most(const nstat *s, const nstat *page)
{
    if (!page)
        return 0;
    if (page->ptext && s->ptext * 2 >= page->ptext)
        return 1;
    /* Paragraphs without <p> (Blogger's <div class="widget Blog">): text
     * outside links counts too. */
    return (s->text - s->links) * 2 >= page->text - page->links &&
           s->text > s->links;
}

/*
 * True if a class or id also names the article ("l-sidebar-fixed
 * l-article-body-segment"): readability's okMaybeItsACandidate.
 */
static int maybe_body(const char *s)
{
    static const char *const words[] = {"article", "body", "content",
                                        "main"};
    size_t k;

    for (k = 0; s && k < COUNT(words); k++) {
        if (kw__parsers_icontains(s, words[k]))
            return 1;
    }
    return 0;
}

/*
 * True if @n holds a quoted social-media post (Twitter's, Instagram's
 * and TikTok's embed codes are a <blockquote> with the text): quotes of
 * the story, whatever widget class their wrapper has.
 */
static int has_embedded_post(xmlNode *n, int depth)
{
    static const char *const kinds[] = {"twitter-tweet", "instagram-media",
                                        "tiktok-embed"};
    xmlNode *c;
    size_t k;

    if (depth > 20)
        return 0;
    for (c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(c, "blockquote")) {
            xmlChar *cls = kw__parsers_attr(c, "class");
            int r = 0;

            for (k = 0; cls && k < COUNT(kinds) && !r; k++)
                r = kw__parsers_icontains((const char *)cls, kinds[k]);
            xmlFree(cls);
            if (r)
                return 1;
        } else if (has_embedded_post(c, depth + 1)) {
            return 1;
        }
    }
    return 0;
}

/* True if @s holds a quarter of the page's text outside links. */
static int holds_much(const nstat *s, const nstat *page)
{
    return page && s->text > s->links &&
           (s->text - s->links) * 4 >= page->text - page->links;
}

/*
 * True for boilerplate: tags that never hold article text, and elements
 * whose class/id names boilerplate -- unless they hold a known body
 * container, at least half of the page's text (@page: the body's stats),
 * a quarter of it under a name that also says "article", "body",
 * "content" or "main", or an embedded post: wrappers such as
 * <div class="post tag-ads ..."> are not boilerplate whatever their
 * class list says.
 */
static int should_drop(xmlNode *n, const nstat *page)
{
    xmlChar *cls, *id, *role;
    size_t k;
    int r = 0;

    for (k = 0; k < COUNT(drop_tags); k++) {
        if (is_el(n, drop_tags[k]))
            return !(is_el(n, "header") || is_el(n, "footer")) ||
                   !contains_boost(n);
    }
    /* <article> and <main> name themselves; their class lists carry
     * taxonomy such as WordPress's "tag-diy category-reviews". */
    if (is_el(n, "html") || is_el(n, "body") || is_el(n, "head") ||
        is_el(n, "article") || is_el(n, "main"))
        return 0;
    cls = kw__parsers_attr(n, "class");
    id = kw__parsers_attr(n, "id");
    role = kw__parsers_attr(n, "role");
    if (token_match((const char *)cls) || token_match((const char *)id) ||
        (role && (strcasecmp((const char *)role, "navigation") == 0 ||
                  strcasecmp((const char *)role, "complementary") == 0)))
        r = !boosted_el(n) && !contains_boost(n) &&
            !(n->_private && holds_most(st(n), page)) &&
            !((maybe_body((const char *)cls) ||
               maybe_body((const char *)id)) &&
              n->_private && holds_much(st(n), page)) &&
            !has_embedded_post(n, 0);
    xmlFree(cls);
    xmlFree(id);
    xmlFree(role);
    return r;
}

static void stats(ex *x, xmlNode *n, int in_link);

static void clean(xmlNode *n, const nstat *page)
{
    xmlNode *c, *next;

    for (c = n->children; c; c = next) {
        next = c->next;
        if (c->type == XML_COMMENT_NODE) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (should_drop(c, page)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
            continue;
        }
        clean(c, page);
    }
}

/* ---- Scoring ---------------------------------------------------------- */

/* Bytes of non-space text in s (UTF-8 spaces count as nothing). */
static size_t text_weight(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
            n++;
    }
    return n;
}

/* Commas in s: ASCII, fullwidth and ideographic. */
static unsigned count_commas(const char *s)
{
    unsigned n = 0;

    for (; *s; s++) {
        if (*s == ',')
            n++;
        else if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
                 (unsigned char)s[2] == 0x8C)
            n++; /* U+FF0C */
        else if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
                 (unsigned char)s[2] == 0x81)
            n++; /* U+3001 */
    }
    return n;
}

static int is_block(xmlNode *n);

/* Post-order: text and link bytes of every element. */
static void stats(ex *x, xmlNode *n, int in_link)
{
    xmlNode *c;
    nstat *s;
    int has_block = 0;

    s = kw_arena_alloc(x->a, sizeof(*s));
    if (!s) {
        x->err = KW_ENOMEM;
        return;
    }
    n->_private = s;
    s->boost = (unsigned char)is_boost(n);
    for (c = n->children; c && !x->err; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            size_t w = text_weight((const char *)c->content);

            s->text += w;
            s->commas += count_commas((const char *)c->content);
            if (in_link)
                s->links += w;
        } else if (c->type == XML_ELEMENT_NODE) {
            int link = in_link || is_el(c, "a");

            has_block = has_block || is_block(c);
            stats(x, c, link);
            if (x->err)
                return;
            s->has_boost |= st(c)->boost | st(c)->has_boost;
            s->text += st(c)->text;
            s->links += st(c)->links;
            s->ptext += st(c)->ptext;
            s->commas += st(c)->commas;
        }
    }
    /* A <div> of inline content only is a paragraph too (readability
     * turns it into a <p>). */
    if (is_el(n, "p") || is_el(n, "pre") ||
        (!has_block && s->text >= 25 &&
         (is_el(n, "div") || is_el(n, "section") || is_el(n, "article"))))
        s->ptext = s->text - s->links;
}

/* A paragraph's vote goes to its container in full and to the next two
 * ancestors in part (readability: 1, 1/2, 1/3). */
static void vote(xmlNode *n, double v)
{
    int level;

    for (level = 0; level < VOTE_LEVELS && n &&
                    n->type == XML_ELEMENT_NODE && n->_private;
         level++, n = n->parent) {
        st(n)->score += level == 0 ? v : v / (level * 1.5 + 0.5);
    }
}

/*
 * The block that a run of text belongs to: its nearest ancestor that is
 * not an inline element (<span>, <font>, <em> ...), so that text wrapped
 * in <div><span><span>...</span></span></div> votes like a paragraph of
 * the <div>.  NULL inside links and inside <p>/<pre>, which vote as a
 * whole.
 */
static xmlNode *text_block(xmlNode *n)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        if (is_el(n, "a") || is_el(n, "p") || is_el(n, "pre"))
            return NULL;
        if (is_el(n, "li") || is_el(n, "dt") || is_el(n, "dd") ||
            is_el(n, "th") || is_el(n, "h1") || is_el(n, "h2") ||
            is_el(n, "h3") || is_el(n, "h4") || is_el(n, "h5") ||
            is_el(n, "h6"))
            return NULL; /* list items and headings: teasers, not text */
        if (is_block(n) || is_el(n, "body"))
            return n;
    }
    return NULL;
}

/*
 * Where the vote of a run of text in block @b goes: a block with nothing
 * but inline content is a paragraph itself (readability turns such a
 * <div> into a <p>), so its parent is the container; a block that mixes
 * text with blocks (text split by <br> next to <div>s) is the container.
 */
static xmlNode *text_container(xmlNode *b)
{
    xmlNode *c;

    if (is_el(b, "body") || is_el(b, "td") || !b->parent ||
        b->parent->type != XML_ELEMENT_NODE)
        return b;
    for (c = b->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && is_block(c))
            return b;
    }
    return b->parent;
}

/* Paragraphs (<p> and runs of direct text) vote for their containers. */
static void votes(xmlNode *n)
{
    xmlNode *c;

    for (c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            size_t w = text_weight((const char *)c->content);
            xmlNode *b = w >= 40 ? text_block(n) : NULL;

            if (b)
                vote(text_container(b),
                     1.0 + (double)(w < 900 ? w : 900) / 100.0);
        } else if (c->type == XML_ELEMENT_NODE) {
            if ((is_el(c, "p") || is_el(c, "pre")) && st(c)->text >= 25) {
                size_t w = st(c)->text - st(c)->links;

                vote(n, 1.0 + (double)(w < 900 ? w : 900) / 100.0);
            }
            votes(c);
        }
    }
}

static xmlNode *best_boost(xmlNode *n, xmlNode *best)
{
    xmlNode *c;

    for (c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (st(c)->boost && st(c)->text >= 100 &&
            (!best || st(c)->text > st(best)->text))
            best = c;
        best = best_boost(c, best);
    }
    return best;
}

static xmlNode *best_scored(xmlNode *n, xmlNode *best, double *best_s)
{
    xmlNode *c;

    for (c = n->children; c; c = c->next) {
        double s, ld;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (st(c)->text >= 50) {
            ld = (double)st(c)->links / (double)st(c)->text;
            s = st(c)->score * (1.0 - ld);
            if (s > *best_s) {
                *best_s = s;
                best = c;
            }
        }
        best = best_scored(c, best, best_s);
    }
    return best;
}

/* ---- Text output ------------------------------------------------------ */

typedef struct emit {
    kw_buf para;      /* current paragraph */
    kw_buf out;       /* paragraphs joined with "\n\n" */
    xmlNode *skip;    /* a board post's title box: metadata, not text */
    const char *title; /* an article's title: a heading that repeats it
                          before the text is dropped */
    size_t cont_text;  /* text bytes of the container being emitted */
    char mail[160];   /* the last dropped "NAME 기자 a@b" line (byline) */
} emit;

static void emit_init(emit *e, xmlNode *skip)
{
    memset(e, 0, sizeof(*e));
    kw_buf_init(&e->para, KW_MAX_TEXT);
    kw_buf_init(&e->out, KW_MAX_TEXT);
    e->skip = skip;
}

static int is_block(xmlNode *n)
{
    static const char *const blocks[] = {
        "p",  "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "tr", "table", "blockquote", "section", "article", "dl", "dt", "dd",
        "pre", "figure", "header", "footer", "main", "hr", "td", "th",
        "tbody", "thead"};
    size_t k;

    for (k = 0; k < COUNT(blocks); k++) {
        if (is_el(n, blocks[k]))
            return 1;
    }
    return 0;
}

static int contains(const char *s, size_t n, const char *needle)
{
    size_t l = strlen(needle), i;

    for (i = 0; i + l <= n; i++) {
        if (memcmp(s + i, needle, l) == 0)
            return 1;
    }
    return 0;
}

/* True for a line of hashtags only ("#고물가 #짠테크"). */
static int hashtags_only(const char *s, size_t n)
{
    size_t i;
    int tags = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == ' ')
            continue;
        if (s[i] != '#')
            return 0;
        tags++;
        while (i < n && s[i] != ' ')
            i++;
    }
    return tags >= 2;
}

/* True for lines that are boilerplate, not article text. */
static int junk_line(const char *s, size_t n)
{
    size_t spaces = 0, i;
    static const char *const formulae[] = {
        "무단 전재", "무단전재", "재배포 금지", "재배포금지",
        "무단 복제", "무단복제", "Copyright",   "COPYRIGHT",
        "copyright", "저작권자", "ⓒ",           "©",
        "All rights reserved",
    };

    static const char *const widgets[] = {
        "URL이 복사되었습니다", "댓글이 있습니다", "video 태그를 지원하지",
        "기사문의 및 제보", "좋아요", "싫어요",
        "This slideshow requires JavaScript",
    };

    /* Board furniture: whole lines. */
    static const char *const furniture[] = {
        "목록", "목록보기", "목록으로", "인쇄", "인쇄하기", "TOP", "top",
        "이전글", "다음글", "첨부파일", "공공누리", "스크랩 열기",
        "Advert", "Advertisement", "ADVERTISEMENT", "Sponsored",
        "Continue reading", "comments", "Comments",
    };
    /* Line openings of neighbour posts and teasers of other stories. */
    static const char *const neighbours[] = {
        "이전글 ", "다음글 ", "이전글\n", "다음글\n", "관련기사",
        "Read more:", "Read More:", "READ MORE:", "Related:", "RELATED:",
        "See more:", "SEE MORE:", "Also read:", "ALSO READ:",
    };

    if (n == 0)
        return 1;
    for (i = 0; i < COUNT(formulae); i++) {
        if (contains(s, n, formulae[i]) && n < 400)
            return 1;
    }
    if ((n == 5 && memcmp(s, "(END)", 5) == 0) ||
        (n == 5 && memcmp(s, "(끝)", 5) == 0) || hashtags_only(s, n))
        return 1;
    for (i = 0; i < COUNT(furniture); i++) {
        size_t l = strlen(furniture[i]);

        if (n == l && memcmp(s, furniture[i], l) == 0)
            return 1;
    }
    for (i = 0; i < COUNT(neighbours); i++) {
        size_t l = strlen(neighbours[i]);

        if (n >= l && n < 300 && memcmp(s, neighbours[i], l) == 0)
            return 1; /* "이전글 광주시, ..." */
    }
    if (n >= 2 && s[0] == '$' && s[1] == '$')
        return 1; /* "$$ARTICLEAD$$" ad slot markers */
    for (i = 0; i < COUNT(widgets); i++) {
        if (contains(s, n, widgets[i]) && n < 200)
            return 1;
    }
    if (memchr(s, '@', n) && n < 100) {
        for (i = 0; i < n; i++)
            spaces += s[i] == ' ';
        if (spaces <= 3)
            return 2; /* "홍길동 기자 hong@example.com" */
    }
    if (n < 300 && n >= 12 && memcmp(s, "공공누리", 12) == 0)
        return 1; /* "공공누리 1유형 : 출처표시 ..." (KOGL licence) */
    return 0;
}

static void flush(emit *e)
{
    kw_buf *p = &e->para;
    size_t i = 0, kept = 0;
    kw_buf clean_b;
    int junk;

    if (!p->p || p->n == 0)
        return;
    kw_buf_init(&clean_b, KW_MAX_TEXT);
    while (i < p->n) {
        const char *line = p->p + i, *nl = memchr(line, '\n', p->n - i);
        size_t len = nl ? (size_t)(nl - line) : p->n - i;
        size_t a = 0, b = len;

        while (a < b && line[a] == ' ')
            a++;
        while (b > a && line[b - 1] == ' ')
            b--;
        junk = junk_line(line + a, b - a);
        if (!junk) {
            if (kept++)
                kw_buf_addc(&clean_b, '\n');
            kw_buf_add(&clean_b, line + a, b - a);
        } else if (junk == 2 && b - a < sizeof(e->mail) &&
                   contains(line + a, b - a, " 기자")) {
            memcpy(e->mail, line + a, b - a);
            e->mail[b - a] = '\0';
        }
        i += len + (nl ? 1 : 0);
    }
    if (clean_b.n) {
        if (e->out.n)
            kw_buf_add(&e->out, "\n\n", 2);
        kw_buf_add(&e->out, clean_b.p, clean_b.n);
    }
    if (clean_b.err)
        e->out.err = clean_b.err;
    kw_buf_deinit(&clean_b);
    kw_buf_reset(p);
}

static int para_ends_nl(const kw_buf *b)
{
    size_t n = b->n;

    while (n && b->p[n - 1] == ' ')
        n--;
    return n == 0 || b->p[n - 1] == '\n';
}

/* True if @a is a link to a file: a download URL or a file name. */
static int is_file_link(xmlNode *a)
{
    xmlChar *href = kw__parsers_attr(a, "href");
    xmlChar *oc = kw__parsers_attr(a, "onclick");
    int r = 0;
    size_t k;

    for (k = 0; k < COUNT(down_words) && !r; k++) {
        r = kw__parsers_icontains((const char *)href, down_words[k]) ||
            kw__parsers_icontains((const char *)oc, down_words[k]);
    }
    if (!r && href)
        r = has_ext_inside((const char *)href);
    xmlFree(href);
    xmlFree(oc);
    return r;
}

static int has_file_link(xmlNode *n, int depth)
{
    xmlNode *c;

    if (depth > 50)
        return 0;
    for (c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(c, "a") ? is_file_link(c) : has_file_link(c, depth + 1))
            return 1;
    }
    return 0;
}

/*
 * True for a board's attachment box inside the text ("첨부파일 a.hwp
 * 미리보기 전체 다운로드"): mostly links, at least one of them to a file.
 * The attachments are listed on their own (kw_article.attachments).
 */
static int is_file_block(xmlNode *n)
{
    const nstat *s = st(n);

    if (!s || s->text == 0 || s->text > 1500 || s->links * 10 < s->text * 6)
        return 0;
    return has_file_link(n, 0);
}

/* Labels of a board post's or an article's metadata fields. */
static const char *const field_labels[] = {
    "작성일", "등록일", "게시일", "수정일", "입력", "수정", "조회수",
    "조회", "담당부서", "등록부서", "작성부서", "부서명", "작성자",
    "등록자", "날짜", "문의", "연락처", "전화번호", "출처",
};

/*
 * True for a row of metadata fields that sits inside the text container
 * ("작성일 : 2025-12-05 17:09 | 조회 96", "날짜 2025.12.09 조회수 28
 * 담당부서 유달동"): a short block, not a paragraph, holding two field
 * labels or one and a date.
 */
static int is_meta_block(emit *e, xmlNode *n)
{
    kw_buf b;
    size_t k;
    int labels = 0, r;

    if (!st(n) || st(n)->text == 0 || st(n)->text > 240 || is_el(n, "p") ||
        is_el(n, "h1") || is_el(n, "h2") || is_el(n, "h3") ||
        is_el(n, "h4") || is_el(n, "blockquote") || is_el(n, "pre"))
        return 0;
    kw_buf_init(&b, 4096);
    kw__parsers_node_text(n, &b, 1);
    if (b.err || !b.p) {
        if (b.err == KW_ENOMEM)
            e->out.err = KW_ENOMEM; /* sticky: main_text reports it */
        kw_buf_deinit(&b);
        return 0;
    }
    for (k = 0; k < COUNT(field_labels); k++) {
        if (contains(b.p, b.n, field_labels[k]))
            labels++;
    }
    r = labels >= 2 || (labels == 1 && kw__parsers_has_ymd(b.p, b.n));
    kw_buf_deinit(&b);
    return r;
}

/*
 * True for a block of links inside the text -- "You may also like" lists,
 * tag lists, share bars, navigation between posts: readability's
 * conditional cleaning, on link density and the absence of prose (few
 * commas).  Paragraphs and headings are never removed here.
 */
static int link_block(const emit *e, xmlNode *c)
{
    const nstat *s = st(c);
    double ld;

    /* A list that is most of the text is the text (a deals post). */
    if (!s || s->text == 0 || s->text * 3 > e->cont_text)
        return 0;
    /* A paragraph that is one link: "related" headlines between the
     * paragraphs. */
    if (is_el(c, "p") && s->links * 10 >= s->text * 9 && s->text < 200)
        return 1;
    if (is_el(c, "p") || is_el(c, "pre") || is_el(c, "blockquote") ||
        is_el(c, "h1") || is_el(c, "h2") || is_el(c, "h3") ||
        is_el(c, "h4") || is_el(c, "h5") || is_el(c, "h6") ||
        s->commas >= 10)
        return 0;
    ld = (double)s->links / (double)s->text;
    return ld > 0.5;
}

/* True for bytes that count when titles are compared: ASCII letters and
 * digits, and every byte of a non-ASCII character. */
static int word_byte(char c)
{
    return (unsigned char)c >= 0x80 || (c >= '0' && c <= '9') ||
           (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* True if a[0..an) and b[0..bn) hold the same characters, ignoring
 * spaces and ASCII punctuation ("Title:" is "Title"). */
static int same_words(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;

    for (;;) {
        while (i < an && !word_byte(a[i]))
            i++;
        while (j < bn && !word_byte(b[j]))
            j++;
        if (i == an || j == bn)
            return i == an && j == bn;
        if (a[i] != b[j])
            return 0;
        i++;
        j++;
    }
}

/* True for a heading that repeats the article's title before any text
 * (the <h1> above the text): the title is a field of its own. */
static int title_heading(emit *e, xmlNode *c)
{
    kw_buf b;
    int r;

    if (!e->title || e->out.n || !(is_el(c, "h1") || is_el(c, "h2") ||
                                   is_el(c, "h3")))
        return 0;
    kw_buf_init(&b, 4096);
    kw__parsers_node_text(c, &b, 1);
    r = !b.err && b.p && same_words(b.p, b.n, e->title, strlen(e->title));
    if (b.err == KW_ENOMEM)
        e->out.err = KW_ENOMEM;
    kw_buf_deinit(&b);
    return r;
}

static void emit_node(emit *e, xmlNode *n, int depth)
{
    xmlNode *c;

    if (depth > 300)
        return;
    for (c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            const char *t = (const char *)c->content;
            size_t before = e->para.n;
            int line_start = para_ends_nl(&e->para);

            kw__parsers_buf_add_collapsed(&e->para, t, strlen(t));
            /* No space at the start of a line. */
            if (line_start && before < e->para.n &&
                e->para.p[before] == ' ') {
                memmove(e->para.p + before, e->para.p + before + 1,
                        e->para.n - before);
                e->para.n--;
            }
        } else if (c->type == XML_ELEMENT_NODE) {
            if (is_el(c, "br")) {
                size_t n2 = e->para.n;

                while (n2 && e->para.p[n2 - 1] == ' ')
                    n2--;
                if (n2 && e->para.p[n2 - 1] == '\n') {
                    e->para.n = n2 - 1;
                    if (e->para.p)
                        e->para.p[e->para.n] = '\0';
                    flush(e);
                } else if (n2) {
                    e->para.n = n2;
                    e->para.p[n2] = '\0';
                    kw_buf_addc(&e->para, '\n');
                }
            } else if (is_block(c)) {
                flush(e);
                if (!(c == e->skip && st(c) && st(c)->text < 1000) &&
                    !is_meta_block(e, c) && !is_file_block(c) &&
                    !title_heading(e, c) && !link_block(e, c))
                    emit_node(e, c, depth + 1);
                flush(e);
            } else if (!is_el(c, "img")) {
                emit_node(e, c, depth + 1);
            }
        }
    }
}

static void set_text(ex *x, const char *s, size_t n)
{
    char *t = kw_arena_strndup(x->a, s, n);

    if (!t) {
        x->err = KW_ENOMEM;
        return;
    }
    x->art->text = t;
    x->art->text_n = n;
}

/* Text from a JSON body: paragraphs are separated by blank lines. */
static void text_from_json(ex *x, const char *body)
{
    emit e;
    const char *p = body;

    emit_init(&e, NULL);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        if (len == 0 || (len == 1 && *p == '\r')) {
            flush(&e);
        } else {
            if (e.para.n)
                kw_buf_addc(&e.para, '\n');
            kw__parsers_buf_add_collapsed(&e.para, p, len);
        }
        p += len + (nl ? 1 : 0);
    }
    flush(&e);
    if (e.out.err)
        x->err = e.out.err;
    else
        set_text(x, e.out.p ? e.out.p : "", e.out.n);
    kw_buf_deinit(&e.para);
    kw_buf_deinit(&e.out);
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t i, c = 0;

    for (i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Score of a candidate: paragraph votes scaled by the share of text
 * outside links. */
static double final_score(xmlNode *n)
{
    double ld;

    if (!n->_private || st(n)->text == 0)
        return 0;
    ld = (double)st(n)->links / (double)st(n)->text;
    return st(n)->score * (1.0 - ld);
}

/*
 * True if sibling @c of the chosen container belongs to the article too:
 * a container that scored near it, or a paragraph-rich block with few
 * links (articles split by ad slots into several <div>s).
 */
static int sibling_joins(xmlNode *c, double best_s)
{
    double ld;

    if (c->type != XML_ELEMENT_NODE || !c->_private || st(c)->text == 0)
        return 0;
    ld = (double)st(c)->links / (double)st(c)->text;
    if (final_score(c) >= best_s * 0.2 && final_score(c) >= 3.0 && ld < 0.3)
        return 1;
    return st(c)->ptext >= 80 && st(c)->ptext * 10 >= st(c)->text * 7 &&
           ld < 0.25;
}

/*
 * Readability's climb from the best candidate: walking up while the
 * ancestors' scores stay above a third of the last one, an ancestor that
 * scores more than its child is the better container (an article split
 * into several chunks, each a candidate of its own).
 */
static xmlNode *climb(xmlNode *best, double *best_s)
{
    double last = *best_s, threshold = *best_s / 3;
    xmlNode *p;

    for (p = best->parent; p && p->type == XML_ELEMENT_NODE &&
                           !is_el(p, "body") && p->_private;
         p = p->parent) {
        double s = final_score(p);

        if (s < threshold)
            break;
        if (s > last) {
            *best_s = s;
            return p;
        }
        last = s;
    }
    return best;
}

/* True if @a and @b have the same tag and the same class attribute. */
static int same_kind(xmlNode *a, xmlNode *b)
{
    xmlChar *ca, *cb;
    int r;

    if (!a->name || !b->name || strcmp((const char *)a->name,
                                       (const char *)b->name) != 0)
        return 0;
    ca = kw__parsers_attr(a, "class");
    cb = kw__parsers_attr(b, "class");
    r = ca && cb && *ca && strcmp((const char *)ca, (const char *)cb) == 0;
    xmlFree(ca);
    xmlFree(cb);
    return r;
}

/*
 * Marks the chunks of an article that a page splits among several
 * containers of the same tag and class ("div.post__content" before and
 * after a full-width figure, a pull quote or an ad rail), wherever they
 * sit: paragraph text with few links.  Not inside or around @best.
 */
static void pick_peers(xmlNode *n, xmlNode *best)
{
    xmlNode *c;

    for (c = n->children; c; c = c->next) {
        const nstat *s;

        if (c->type != XML_ELEMENT_NODE || !c->_private || c == best)
            continue;
        s = st(c);
        if (s->pick)
            continue;
        if (s->ptext >= 80 && s->links * 4 < s->text && same_kind(c, best))
            st(c)->pick = 1;
        else
            pick_peers(c, best);
    }
}

/* Emits the picked subtrees of @n in document order. */
static void emit_picked(emit *e, xmlNode *n, int depth)
{
    xmlNode *c;

    if (depth > 300)
        return;
    for (c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !c->_private)
            continue;
        if (st(c)->pick) {
            flush(e);
            e->cont_text = st(c)->text;
            emit_node(e, c, 0);
            flush(e);
        } else if (st(c)->text) {
            emit_picked(e, c, depth + 1);
        }
    }
}

static void main_text(ex *x, xmlNode *body)
{
    xmlNode *best, *c;
    double best_s = 0;
    int boosted = 1;
    emit e;

    stats(x, body, 0);
    if (x->err)
        return;
    votes(body);
    best = best_boost(body, NULL);
    if (!best) {
        boosted = 0;
        best = best_scored(body, NULL, &best_s);
        if (best)
            best = climb(best, &best_s);
    }
    if (!best)
        best = body;
    emit_init(&e, x->title_node);
    if (x->art->kind == KW_KIND_ARTICLE)
        e.title = x->art->title;
    if (!boosted && best != body && best->parent &&
        best->parent->type == XML_ELEMENT_NODE) {
        for (c = best->parent->children; c; c = c->next) {
            if (c == best || sibling_joins(c, best_s))
                st(c)->pick = 1;
        }
    } else {
        st(best)->pick = 1;
    }
    if (best == body) {
        e.cont_text = st(body)->text;
        emit_node(&e, body, 0);
    } else {
        pick_peers(body, best);
        emit_picked(&e, body, 0);
    }
    flush(&e);
    if (e.out.err || e.para.err)
        x->err = e.out.err ? e.out.err : e.para.err;
    else
        set_text(x, e.out.p ? e.out.p : "", e.out.n);
    if (e.mail[0] && !x->err)
        x->mail_line = dup_c(x, e.mail, strlen(e.mail));
    kw_buf_deinit(&e.para);
    kw_buf_deinit(&e.out);
}

/* ---- Byline ----------------------------------------------------------- */

/* True if s[0..n) is only Hangul syllables (U+AC00..U+D7A3). */
static int is_hangul(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n % 3 != 0)
        return 0;
    for (i = 0; i < n; i += 3) {
        const unsigned char *u = (const unsigned char *)s + i;
        unsigned cp;

        if ((u[0] & 0xF0) != 0xE0)
            return 0;
        cp = ((unsigned)(u[0] & 0x0F) << 12) |
             ((unsigned)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        if (cp < 0xAC00 || cp > 0xD7A3)
            return 0;
    }
    return 1;
}

/* Last "NAME 기자" (2-4 Hangul syllables) in the text, or NULL. */
static const char *byline_in_text(ex *x, const char *t, size_t n)
{
    static const char k[] = " 기자";
    const char *found = NULL;
    size_t i, found_n = 0;

    for (i = 6; i + sizeof(k) - 1 <= n; i++) {
        size_t len;

        if (memcmp(t + i, k, sizeof(k) - 1) != 0)
            continue;
        for (len = 12; len >= 6; len -= 3) {
            if (i >= len && is_hangul(t + i - len, len) &&
                (i == len || t[i - len - 1] == ' ' ||
                 t[i - len - 1] == '\n' || t[i - len - 1] == '=' ||
                 t[i - len - 1] == ')')) {
                found = t + i - len;
                found_n = len + sizeof(k) - 1;
                break;
            }
        }
    }
    return found ? dup_c(x, found, found_n) : NULL;
}

/* Removes an e-mail address from a byline ("구현모 기자 a@b.kr"). */
static const char *strip_email(ex *x, const char *s)
{
    const char *at = strchr(s, '@');
    size_t n;

    if (!at)
        return s;
    n = (size_t)(at - s);
    while (n && s[n - 1] != ' ')
        n--;
    while (n && s[n - 1] == ' ')
        n--;
    return n ? dup_c(x, s, n) : s;
}

static void byline(ex *x)
{
    const char *b = NULL;

    if (x->meta_author)
        b = strip_email(x, x->meta_author);
    else if (x->ld_author) {
        size_t n = strlen(x->ld_author);

        if (is_hangul(x->ld_author, n) && n <= 12)
            b = kw_arena_printf(x->a, "%s 기자", x->ld_author);
        else
            b = x->ld_author;
    } else if (x->fusion_byline)
        b = x->fusion_byline;
    else if (x->art->text_n)
        b = byline_in_text(x, x->art->text, x->art->text_n);
    if (!b && x->mail_line)
        b = byline_in_text(x, x->mail_line, strlen(x->mail_line));
    if (b && !*b)
        b = NULL;
    x->art->byline = b;
}

/* class/id fragments of a board post's title element. */
static const char *const view_title_words[] = {
    "view_title", "view-title", "viewtitle", "boardsubject", "bo_v_tit",
    "view_titlebox", "dev-title", "board_title", "post_title", "subject",
};

static int is_view_title(xmlNode *n)
{
    xmlChar *cls = kw__parsers_attr(n, "class");
    xmlChar *id = kw__parsers_attr(n, "id");
    size_t k;
    int r = 0;

    for (k = 0; k < COUNT(view_title_words) && !r; k++) {
        r = kw__parsers_icontains((const char *)cls, view_title_words[k]) ||
            kw__parsers_icontains((const char *)id, view_title_words[k]);
    }
    xmlFree(cls);
    xmlFree(id);
    return r;
}

/* The title element of a board post ("h3.view_title", "#boardSubject"),
 * preferring a heading inside it; NULL if none. */
static const char *notice_title(ex *x, xmlNode *root)
{
    xmlNode *n, *h;

    for (n = root; n; n = next_in_order(n, 1)) {
        char *t;

        if (n->type != XML_ELEMENT_NODE || is_el(n, "body") ||
            is_el(n, "html") || !is_view_title(n))
            continue;
        for (h = n->children; h; h = h->next) {
            if (is_el(h, "h1") || is_el(h, "h2") || is_el(h, "h3") ||
                is_el(h, "h4") || is_el(h, "h5") || is_el(h, "strong"))
                break;
        }
        t = kw__parsers_node_text_dup(x->a, h ? h : n);
        if (!t) {
            x->err = KW_ENOMEM;
            return NULL;
        }
        /* A list's header cell (<div class="subject">제목</div>) is
         * no post's title. */
        if (strlen(t) >= 4 && strlen(t) <= 400 &&
            !kw__parsers_is_column_label(t)) {
            x->title_node = n;
            return t;
        }
    }
    return NULL;
}

/*
 * The value of a board's "제목" field: the element after a <th>/<dt>
 * whose whole text is "제목" (shinan.go.kr's table.show_form).  NULL if
 * none.
 */
static const char *field_title(ex *x, xmlNode *root)
{
    xmlNode *n, *v;

    for (n = root; n; n = next_in_order(n, 1)) {
        char *t;

        if (!is_el(n, "th") && !is_el(n, "dt"))
            continue;
        t = kw__parsers_node_text_dup(x->a, n);
        if (!t || strcmp(t, "제목") != 0)
            continue;
        for (v = n->next; v && v->type != XML_ELEMENT_NODE; v = v->next)
            ;
        if (!v)
            continue;
        t = kw__parsers_node_text_dup(x->a, v);
        if (t && strlen(t) >= 4 && strlen(t) <= 400)
            return t;
    }
    return NULL;
}

/* Cuts a board title where the meta row starts ("제목 등록일 2025.12.05
 * 조회수 20": title boxes that hold the date row too). */
static const char *cut_meta_row(ex *x, const char *t)
{
    static const char *const labels[] = {" 등록일", " 작성일", " 조회수",
                                         " 등록부서", " 담당부서", " 작성자"};
    size_t cut, k;

    if (!t)
        return NULL;
    cut = strlen(t);
    for (k = 0; k < COUNT(labels); k++) {
        const char *at = strstr(t, labels[k]);

        if (at && (size_t)(at - t) >= 8 && (size_t)(at - t) < cut)
            cut = (size_t)(at - t);
    }
    return cut == strlen(t) ? t : dup_c(x, t, cut);
}

/* ---- Entry point ------------------------------------------------------ */

static void choose_title(ex *x)
{
    const char *t = NULL;

    if (x->og_title && *x->og_title)
        t = x->og_title;
    else if (x->ld_headline && *x->ld_headline)
        t = x->ld_headline;
    else if (x->title_tag && *x->title_tag)
        t = x->title_tag;
    else if (x->h1 && *x->h1)
        t = x->h1;
    if (t)
        t = strip_title(x, t);
    x->art->title = (t && *t) ? t : NULL;
}

static int host_is_public(const char *url)
{
    const char *h, *end;
    size_t n;

    if (!url)
        return 0;
    h = strstr(url, "://");
    h = h ? h + 3 : url;
    end = h + strcspn(h, "/?#:");
    n = (size_t)(end - h);
    return (n >= 6 && (memcmp(end - 6, ".go.kr", 6) == 0 ||
                       memcmp(end - 6, ".or.kr", 6) == 0)) ||
           (n >= 7 && memcmp(end - 7, ".gov.kr", 7) == 0);
}

/*
 * The <body> of the page, with what follows it moved into it: pages that
 * print their content after "</body></html>" (kidp.or.kr's board) leave
 * libxml2 with elements after <body> under <html>, or after <html> under
 * the document; an HTML5 parser would put them in <body>.  Returns @root
 * if there is no <body>.
 */
static xmlNode *find_body(xmlNode *root)
{
    xmlNode *c, *next, *body = NULL;

    for (c = root->children; c; c = c->next) {
        if (is_el(c, "body"))
            body = c;
    }
    if (!body)
        return root;
    for (c = body->next; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE || c->type == XML_TEXT_NODE) {
            xmlUnlinkNode(c);
            if (!xmlAddChild(body, c))
                xmlFreeNode(c); /* not linked: an internal error */
        }
    }
    for (c = root->next; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE) {
            xmlUnlinkNode(c);
            if (!xmlAddChild(body, c))
                xmlFreeNode(c);
        }
    }
    return body;
}

/* The year of the page's own date, or 0: completes list dates shown
 * without a year. */
static int page_year(const kw_article *art)
{
    const kw_date *d = art->has_published  ? &art->published
                       : art->has_modified ? &art->modified
                                           : NULL;
    time_t t;
    struct tm tm;

    if (!d)
        return 0;
    t = (time_t)(d->t + (int64_t)d->offset_min * 60);
    if (!gmtime_r(&t, &tm))
        return 0;
    return tm.tm_year + 1900;
}

/* True if the "title box" found is one of the list's rows (a board
 * whose title cells have class "subject"), not a post's title.  The
 * row's title may be whole (completed from the link's title attribute)
 * where the box shows it cut short ("...실시간..."). */
static int title_in_rows(const char *title, const kw_article *art)
{
    int cut;
    size_t i, n = kw__parsers_cut_ellipsis(title, &cut);

    for (i = 0; i < art->n_rows; i++) {
        const char *r = art->rows[i].title;

        if (!r || strlen(r) < 4)
            continue;
        if (strstr(title, r) || (cut && n >= 12 && strncmp(r, title, n) == 0))
            return 1;
    }
    return 0;
}

static void other(kw_article *art, const char *reason)
{
    art->kind = KW_KIND_OTHER;
    art->reason = reason;
}

static kw_err run(ex *x, const char *p, size_t n, const char *declared,
                  const char *url)
{
    kw_article *art = x->art;
    kw_decoded d;
    xmlNode *root, *body = NULL;
    const char *board_title;
    int labels;
    kw_err rc;

    art->text = "";
    if (n == 0) {
        other(art, "empty");
        return KW_OK;
    }
    if (!(n >= 2 && (((unsigned char)p[0] == 0xFF && (unsigned char)p[1] ==
                                                        0xFE) ||
                     ((unsigned char)p[0] == 0xFE &&
                      (unsigned char)p[1] == 0xFF))) &&
        memchr(p, '\0', n < 1024 ? n : 1024)) {
        other(art, "binary");
        return KW_OK;
    }
    rc = kw_charset_decode(p, n, declared, &d);
    if (rc)
        return rc;
    snprintf(art->charset, sizeof(art->charset), "%s", d.charset);
    x->html = d.p;
    x->html_n = d.n;
    x->doc = kw__parsers_html_read(d.p, d.n);
    root = x->doc ? xmlDocGetRootElement(x->doc) : NULL;
    if (!root) {
        other(art, "not HTML");
        goto done;
    }
    meta_pass(x, root);
    if (x->err)
        goto done;
    if (!art->has_published)
        visible_date(x, root);
    if (!art->has_published)
        payload_date(x);
    labels = notice_labels(root);
    board_title = notice_title(x, root);
    if (x->err)
        goto done;
    /* Two board labels, or one under a board post's title box (a post
     * that shows only "첨부파일"); news sites' own labels do not count
     * unless the host is a public body's. */
    if ((labels >= 2 || (labels == 1 && board_title)) &&
        (!x->is_news ||
         host_is_public(url ? url : art->canonical_url))) {
        art->kind = KW_KIND_NOTICE;
        department(x, root);
    } else {
        art->kind = KW_KIND_ARTICLE;
    }
    if (x->err)
        goto done;
    choose_title(x);
    if (art->kind == KW_KIND_NOTICE) {
        const char *nt = board_title, *t = art->title;

        if (!nt)
            nt = field_title(x, root);
        nt = cut_meta_row(x, nt);
        /* The title box may carry the date row too ("... 등록일 ..."):
         * a page title that starts it is the cleaner one. */
        if (nt && !(t && strlen(t) >= 8 && strlen(t) < strlen(nt) &&
                    strncmp(nt, t, strlen(t)) == 0))
            art->title = nt;
    }
    body = find_body(root);
    stats(x, body, 0);
    if (x->err)
        goto done;
    clean(body, st(body));
    /* A board's list of posts (rows of a title link and a date) is not a
     * post, whatever labels its header row has. */
    rc = kw__parsers_list_rows(x->a, body, page_year(art), &art->rows,
                               &art->n_rows);
    if (rc) {
        x->err = rc;
        goto done;
    }
    if (art->n_rows >= LIST_ROWS &&
        (!board_title || title_in_rows(board_title, art))) {
        other(art, "list");
        goto done;
    }
    art->rows = NULL;
    art->n_rows = 0;
    if (x->err)
        goto done;
    if (art->kind == KW_KIND_NOTICE)
        attachments(x, body); /* after cleaning: not the footer's files */
    if (x->err)
        goto done;
    main_text(x, body);
    if (x->err)
        goto done;
    if (utf8_chars(art->text, art->text_n) < MIN_MAIN_CHARS &&
        x->next_html.n) {
        htmlDocPtr nd = kw__parsers_html_read(x->next_html.p,
                                              x->next_html.n);
        xmlNode *nr = nd ? xmlDocGetRootElement(nd) : NULL;

        if (nr) {
            stats(x, nr, 0);
            clean(nr, x->err ? NULL : st(nr));
            main_text(x, nr);
        }
        xmlFreeDoc(nd);
        if (x->err)
            goto done;
    }
    if (utf8_chars(art->text, art->text_n) < MIN_MAIN_CHARS) {
        if (x->fusion_body)
            text_from_json(x, x->fusion_body);
        else if (x->ld_body)
            text_from_json(x, x->ld_body);
    }
    if (x->err)
        goto done;
    byline(x);
    /* A board post whose content is its attachments ("붙임 공고문.pdf")
     * is still a notice. */
    if (utf8_chars(art->text, art->text_n) < MIN_MAIN_CHARS &&
        !(art->kind == KW_KIND_NOTICE && x->atts.n))
        other(art, art->text_n ? "no main text" : "empty");
done:
    if (x->doc) {
        xmlFreeDoc(x->doc);
        x->doc = NULL;
    }
    kw_decoded_deinit(&d);
    x->html = NULL;
    return x->err;
}

kw_err kw_extract(const char *p, size_t n, const char *declared,
                  const char *url, kw_article **out)
{
    kw_article *art;
    ex x;
    kw_err rc;

    *out = NULL;
    if (n > KW_MAX_BODY)
        return KW_ETOOBIG;
    art = kw_calloc(1, sizeof(*art));
    if (!art)
        return KW_ENOMEM;
    art->arena = kw_arena_new();
    if (!art->arena) {
        kw_free(art);
        return KW_ENOMEM;
    }
    memset(&x, 0, sizeof(x));
    kw_buf_init(&x.next_html, KW_MAX_BODY);
    x.a = art->arena;
    x.art = art;
    rc = run(&x, p ? p : "", p ? n : 0, declared, url);
    if (rc)
        goto cleanup;
    if (x.atts.n) {
        art->attachments =
            kw_arena_alloc(art->arena, x.atts.n * sizeof(kw_attachment));
        if (!art->attachments) {
            rc = KW_ENOMEM;
            goto cleanup;
        }
        memcpy(art->attachments, x.atts.v, x.atts.n * sizeof(kw_attachment));
        art->n_attachments = x.atts.n;
    }
    *out = art;
    art = NULL;
cleanup:
    kw_free(x.atts.v);
    kw_buf_deinit(&x.next_html);
    kw_article_free(art);
    return rc;
}

void kw_article_free(kw_article *a)
{
    if (!a)
        return;
    kw_arena_free(a->arena);
    kw_free(a);
}
