/*
 * The rows of a board's list page (kw_article.rows).
 *
 * A list is a run of sibling elements of one kind -- table rows, list
 * items, or <div>s of one class -- each holding a link and a date.  The
 * parent with the most such rows wins; other runs whose links have the
 * same shape (path and query keys) join it, so a photo strip above a
 * board ("최신 2건" cards, then the table) gives one list.
 *
 * Fields come from the column headers where the board has them
 * (번호/제목/등록부서/담당부서/작성일/등록일/조회수/첨부: a <thead> row
 * of <th>, or a row of short <div>s just above the rows), otherwise from
 * the row's own structure: a title element (class naming a title --
 * "tit", "title", "subject" -- or <strong>/<em>/<h*>/<dt>), the link
 * around or inside it, and the first short text that is a date.  A
 * title cut short ("실시간...") is completed from the link's title
 * attribute, whose " 에 대한 글내용 보기" tail is dropped.  Dates without
 * a year ("12-01 23:26", Yonhap's section lists) take the year from a
 * yyyymmdd run in the row's link, else from the page's own date.
 * Script-only links keep their call ("submitForm(this,'view',18291)").
 */
#include <string.h>
#include <strings.h>

#include "parsers_int.h"

#define MAX_GROUPS 256      /* runs of rows remembered per page */
#define MAX_CELLS 32        /* columns of a board */
#define DATE_TEXT_MAX 60    /* bytes of a text node that may be a date */
#define ROW_TEXT_MAX 65536  /* bytes of one row's text that are read */

enum role { R_NONE, R_NUM, R_TITLE, R_DEPT, R_DATE, R_OTHER };

typedef struct group {
    xmlNode *parent;
    xmlNode *first;       /* first row (document order) */
    const char *sig_tag;  /* element name of the rows */
    xmlChar *sig_class;   /* class of the rows (not for tr/li); owned */
    size_t rows;          /* qualifying rows */
} group;

typedef struct lx {
    kw_arena *a;
    int page_year;
    group g[MAX_GROUPS];
    size_t ng;
    kw_list_row *v; /* kw_realloc'd */
    size_t n, cap;
    kw_err err;
} lx;

typedef struct header {
    int has;
    enum role role[MAX_CELLS];
    const char *label[MAX_CELLS];
    int n;
} header;

static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && kw__parsers_name_is(n, name);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "12-01 23:26" / "12.01 23:26" at s: month, day, hour, minute. */
static int md_time_at(const char *s, size_t n, int *mo, int *d, int *h,
                      int *mi)
{
    if (n < 11 || !is_digit(s[0]) || !is_digit(s[1]) ||
        (s[2] != '-' && s[2] != '.') || !is_digit(s[3]) || !is_digit(s[4]) ||
        s[5] != ' ' || !is_digit(s[6]) || !is_digit(s[7]) || s[8] != ':' ||
        !is_digit(s[9]) || !is_digit(s[10]))
        return 0;
    *mo = (s[0] - '0') * 10 + (s[1] - '0');
    *d = (s[3] - '0') * 10 + (s[4] - '0');
    *h = (s[6] - '0') * 10 + (s[7] - '0');
    *mi = (s[9] - '0') * 10 + (s[10] - '0');
    return *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= 31 && *h <= 23 &&
           *mi <= 59;
}

static int has_md_time(const char *s, size_t n)
{
    size_t i;
    int a, b, c, d;

    for (i = 0; i + 11 <= n; i++) {
        if ((i == 0 || !is_digit(s[i - 1])) &&
            md_time_at(s + i, n - i, &a, &b, &c, &d))
            return 1;
    }
    return 0;
}

static int has_date_text(const char *s, size_t n)
{
    return kw__parsers_has_ymd(s, n) || has_md_time(s, n);
}

/* True for a link that opens a post: an href that is not a bare "#"
 * and not a file download, or an onclick handler. */
static int is_post_link(xmlNode *a)
{
    xmlChar *href, *oc;
    int ok = 0;

    if (!is_el(a, "a"))
        return 0;
    href = kw__parsers_attr(a, "href");
    oc = kw__parsers_attr(a, "onclick");
    if (href && *href && *href != '#' &&
        strncasecmp((const char *)href, "javascript:void", 15) != 0) {
        const char *h = (const char *)href;

        ok = !(kw__parsers_icontains(h, "download") ||
               kw__parsers_icontains(h, "filedown") ||
               kw__parsers_icontains(h, "act=down") ||
               kw__parsers_icontains(h, "preview"));
        if (ok && strncasecmp(h, "javascript:", 11) == 0)
            ok = !kw__parsers_icontains(h, "down");
    } else if (oc && *oc) {
        ok = !kw__parsers_icontains((const char *)oc, "down");
    }
    xmlFree(href);
    xmlFree(oc);
    return ok;
}

static xmlNode *first_post_link(xmlNode *n, int depth)
{
    xmlNode *c, *r;

    if (is_post_link(n))
        return n;
    if (depth > 30)
        return NULL;
    for (c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        r = first_post_link(c, depth + 1);
        if (r)
            return r;
    }
    return NULL;
}

/* The row's text (script skipped) into @b, which the caller deinits. */
static void row_text(xmlNode *n, kw_buf *b)
{
    kw_buf_init(b, ROW_TEXT_MAX);
    kw__parsers_node_text(n, b, 1);
}

static int is_row(lx *x, xmlNode *n)
{
    kw_buf b;
    int r;

    if (!first_post_link(n, 0))
        return 0;
    row_text(n, &b);
    if (b.err == KW_ENOMEM)
        x->err = KW_ENOMEM;
    r = b.p && has_date_text(b.p, b.n);
    kw_buf_deinit(&b);
    return r;
}

static int same_sig(xmlNode *n, const char *tag, const xmlChar *cls)
{
    xmlChar *c;
    int r;

    if (!is_el(n, tag))
        return 0;
    if (strcmp(tag, "tr") == 0 || strcmp(tag, "li") == 0)
        return 1;
    c = kw__parsers_attr(n, "class");
    r = (!c && !cls) ||
        (c && cls && strcmp((const char *)c, (const char *)cls) == 0);
    xmlFree(c);
    return r;
}

/*
 * Finds, below @n, every parent whose children of one kind include at
 * least two rows, and records the kind with the most rows per parent.
 */
static void find_groups(lx *x, xmlNode *n, int depth)
{
    xmlNode *c, *d;

    if (depth > 200 || x->err)
        return;
    for (c = n->children; c && !x->err; c = c->next) {
        size_t rows = 0;
        xmlChar *cls;
        const char *tag;
        int dup = 0;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        /* One kind per first element of that kind under @n. */
        for (d = n->children; d != c; d = d->next) {
            if (d->type == XML_ELEMENT_NODE && d->name &&
                strcasecmp((const char *)d->name, (const char *)c->name) ==
                    0) {
                xmlChar *dc = kw__parsers_attr(d, "class");

                dup = same_sig(c, (const char *)d->name, dc);
                xmlFree(dc);
                if (dup)
                    break;
            }
        }
        if (dup)
            continue;
        tag = (const char *)c->name;
        cls = (is_el(c, "tr") || is_el(c, "li"))
                  ? NULL
                  : kw__parsers_attr(c, "class");
        {
            xmlNode *first = NULL;

            for (d = c; d && !x->err; d = d->next) {
                if (d->type != XML_ELEMENT_NODE || !same_sig(d, tag, cls))
                    continue;
                if (is_row(x, d)) {
                    if (!first)
                        first = d;
                    rows++;
                }
            }
            if (rows >= 2 && x->ng < MAX_GROUPS) {
                group *g = &x->g[x->ng++];

                g->parent = n;
                g->first = first;
                g->sig_tag = tag;
                g->sig_class = cls;
                g->rows = rows;
                cls = NULL;
            }
        }
        xmlFree(cls);
    }
    for (c = n->children; c && !x->err; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            find_groups(x, c, depth + 1);
    }
}

/* ---- Column headers ---------------------------------------------------- */

static enum role label_role(const char *t)
{
    static const char *const dates[] = {"작성일", "등록일", "게시일", "날짜",
                                        "일자",   "공고일", "등록일시"};
    size_t k;

    if (!t || !*t || strlen(t) > 24)
        return R_NONE;
    if (strstr(t, "번호") || strcmp(t, "No") == 0 || strcmp(t, "NO") == 0 ||
        strcmp(t, "순번") == 0)
        return R_NUM;
    if (strstr(t, "제목"))
        return R_TITLE;
    if (strstr(t, "부서"))
        return R_DEPT;
    for (k = 0; k < sizeof(dates) / sizeof(dates[0]); k++) {
        if (strstr(t, dates[k]))
            return R_DATE;
    }
    if (strstr(t, "조회") || strstr(t, "첨부") || strstr(t, "파일") ||
        strstr(t, "작성자") || strstr(t, "분류") || strstr(t, "카테고리") ||
        strstr(t, "상태") || strstr(t, "구분"))
        return R_OTHER;
    return R_NONE;
}

int kw__parsers_is_column_label(const char *t)
{
    /* A label is a word or two ("제목", "등록일시"), never a sentence. */
    return t && strlen(t) <= 12 && label_role(t) != R_NONE;
}

static int colspan(xmlNode *c)
{
    xmlChar *v = kw__parsers_attr(c, "colspan");
    int s = 1;

    if (v && v[0] >= '1' && v[0] <= '9' && !v[1])
        s = v[0] - '0';
    xmlFree(v);
    return s;
}

/* Cells of a row: <td>/<th> of a <tr>, element children otherwise. */
static int cells(xmlNode *row, xmlNode **out, int max)
{
    xmlNode *c;
    int n = 0, is_tr = is_el(row, "tr");

    for (c = row->children; c && n < max; c = c->next) {
        int s, k;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_tr && !is_el(c, "td") && !is_el(c, "th"))
            continue;
        s = is_tr ? colspan(c) : 1;
        for (k = 0; k < s && n < max; k++)
            out[n++] = c;
    }
    return n;
}

/* Reads @h from @row if at least two of its cells are known labels. */
static int header_from(lx *x, xmlNode *row, header *h)
{
    xmlNode *cv[MAX_CELLS];
    int n = cells(row, cv, MAX_CELLS), i, known = 0;

    memset(h, 0, sizeof(*h));
    if (n < 2)
        return 0;
    for (i = 0; i < n; i++) {
        const char *t = kw__parsers_node_text_dup(x->a, cv[i]);

        if (!t) {
            x->err = KW_ENOMEM;
            return 0;
        }
        h->label[i] = t;
        h->role[i] = label_role(t);
        if (h->role[i] != R_NONE)
            known++;
        else if (strlen(t) > 24)
            return 0;
    }
    h->n = n;
    h->has = known >= 2;
    return h->has;
}

static void find_header(lx *x, const group *g, header *h)
{
    xmlNode *t, *r, *p;

    memset(h, 0, sizeof(*h));
    if (strcmp(g->sig_tag, "tr") == 0) {
        for (t = g->parent; t && !is_el(t, "table"); t = t->parent)
            ;
        if (!t)
            return;
        /* The first row of labels before the first row. */
        for (r = t->children; r && r != g->first && !x->err;) {
            if (is_el(r, "tr")) {
                if (header_from(x, r, h))
                    return;
            } else if (r->type == XML_ELEMENT_NODE && r->children) {
                r = r->children;
                continue;
            }
            while (r && r != t && !r->next)
                r = r->parent;
            if (!r || r == t)
                break;
            r = r->next;
        }
        memset(h, 0, sizeof(*h));
        return;
    }
    /* Div and list rows: a row of labels just before the first row, or
     * just before their parent. */
    for (p = g->first->prev; p && p->type != XML_ELEMENT_NODE; p = p->prev)
        ;
    if (p && header_from(x, p, h))
        return;
    for (p = g->parent->prev; p && p->type != XML_ELEMENT_NODE; p = p->prev)
        ;
    if (p && header_from(x, p, h))
        return;
    memset(h, 0, sizeof(*h));
}

/* ---- Fields of one row ------------------------------------------------- */

static int class_has(xmlNode *n, const char *const *words, size_t nw)
{
    xmlChar *c = kw__parsers_attr(n, "class");
    size_t k;
    int r = 0;

    for (k = 0; c && k < nw && !r; k++)
        r = kw__parsers_icontains((const char *)c, words[k]);
    xmlFree(c);
    return r;
}

static const char *const hidden_words[] = {"cate", "blind", "sr_only",
                                           "sr-only", "hidden", "ir-txt",
                                           "screen_out", "ico"};

/* Text of @n without category labels, hidden labels and icons. */
static void title_text(xmlNode *n, kw_buf *b, int depth)
{
    xmlNode *c;

    if (depth > 30)
        return;
    for (c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                kw__parsers_buf_add_collapsed(b, (const char *)c->content,
                                              strlen((const char *)c->content));
        } else if (c->type == XML_ELEMENT_NODE && !is_el(c, "script") &&
                   !is_el(c, "style") &&
                   !class_has(c, hidden_words,
                              sizeof(hidden_words) / sizeof(hidden_words[0]))) {
            if (is_el(c, "br") || is_el(c, "p") || is_el(c, "div"))
                kw_buf_add(b, " ", 1);
            title_text(c, b, depth + 1);
        }
    }
}

static char *title_dup(lx *x, xmlNode *n)
{
    kw_buf b;
    char *r = NULL;

    kw_buf_init(&b, 4096);
    title_text(n, &b, 0);
    if (b.err == KW_ENOMEM)
        x->err = KW_ENOMEM;
    else
        r = kw__parsers_collapse(x->a, b.p ? b.p : "", b.p ? b.n : 0);
    if (!r)
        x->err = KW_ENOMEM;
    kw_buf_deinit(&b);
    return r;
}

static const char *const title_words[] = {"tit", "subject", "headline"};

/* The first element below @n that looks like the row's title. */
static xmlNode *title_element(lx *x, xmlNode *row)
{
    static const char *const tags[] = {"strong", "em", "h2", "h3", "h4",
                                       "h5", "dt", "b"};
    xmlNode *n, *by_tag = NULL;

    for (n = row->children; n && n != row; ) {
        if (n->type == XML_ELEMENT_NODE && !is_el(n, "script") &&
            !is_el(n, "style")) {
            int named = class_has(n, title_words, 3);
            size_t k;
            int tagged = 0;

            for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++)
                tagged |= is_el(n, tags[k]);
            if (named || (tagged && !by_tag)) {
                char *t = title_dup(x, n);

                if (!t)
                    return NULL;
                if (*t && strlen(t) <= 400 && !has_date_text(t, strlen(t))) {
                    if (named)
                        return n;
                    by_tag = n;
                }
            }
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != row && !n->next)
            n = n->parent;
        if (!n || n == row)
            break;
        n = n->next;
    }
    return by_tag;
}

/* A link's title attribute without a "에 대한 글내용 보기" tail. */
static char *link_title(lx *x, xmlNode *a)
{
    xmlChar *v = kw__parsers_attr(a, "title");
    char *r, *cut;

    if (!v)
        return NULL;
    r = kw__parsers_collapse(x->a, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    if (!r) {
        x->err = KW_ENOMEM;
        return NULL;
    }
    cut = strstr(r, "에 대한 ");
    if (cut) {
        while (cut > r && cut[-1] == ' ')
            cut--;
        *cut = '\0';
    }
    return *r ? r : NULL;
}

/* Length of @t without a trailing "..", "...", "…" or "···". */
size_t kw__parsers_cut_ellipsis(const char *t, int *cut)
{
    size_t n = strlen(t);

    *cut = 0;
    for (;;) {
        if (n >= 1 && t[n - 1] == '.') {
            n--;
        } else if (n >= 3 && memcmp(t + n - 3, "\xE2\x80\xA6", 3) == 0) {
            n -= 3; /* U+2026 */
        } else if (n >= 2 && memcmp(t + n - 2, "\xC2\xB7", 2) == 0) {
            n -= 2; /* U+00B7 */
        } else {
            break;
        }
        *cut = 1;
    }
    while (n > 0 && t[n - 1] == ' ')
        n--;
    return n;
}

/* The call of a script link: "javascript:" and "return " dropped, cut
 * at the first ';' outside quotes. */
static const char *script_call(lx *x, const char *s)
{
    size_t i, n;
    char q = 0;

    while (*s == ' ')
        s++;
    if (strncasecmp(s, "javascript:", 11) == 0)
        s += 11;
    while (*s == ' ')
        s++;
    if (strncmp(s, "return ", 7) == 0)
        s += 7;
    n = strlen(s);
    for (i = 0; i < n; i++) {
        if (q) {
            if (s[i] == q)
                q = 0;
        } else if (s[i] == '\'' || s[i] == '"') {
            q = s[i];
        } else if (s[i] == ';') {
            break;
        }
    }
    while (i > 0 && s[i - 1] == ' ')
        i--;
    if (!i)
        return NULL;
    {
        char *r = kw__parsers_collapse(x->a, s, i);

        if (!r)
            x->err = KW_ENOMEM;
        return r;
    }
}

static void set_link(lx *x, kw_list_row *r, xmlNode *a)
{
    xmlChar *href = kw__parsers_attr(a, "href");
    xmlChar *oc = kw__parsers_attr(a, "onclick");
    const char *h = (const char *)href;

    if (h && *h && *h != '#' && strncasecmp(h, "javascript:", 11) != 0) {
        r->url = kw__parsers_collapse(x->a, h, strlen(h));
        if (!r->url)
            x->err = KW_ENOMEM;
    } else if (oc && *oc) {
        r->script = script_call(x, (const char *)oc);
    } else if (h && strncasecmp(h, "javascript:", 11) == 0) {
        r->script = script_call(x, h);
    }
    xmlFree(href);
    xmlFree(oc);
}

/* The year of a "20yymmdd" run in @url, moved to the year of @mon when
 * the run's month is at the other end of the year; 0 if none. */
static int url_year(const char *url, int mon)
{
    size_t i, n = url ? strlen(url) : 0;

    for (i = 0; i + 8 <= n; i++) {
        const char *s = url + i;
        int y, m, k, ok = 1;

        if ((i > 0 && is_digit(s[-1])) || s[0] != '2' || s[1] != '0')
            continue;
        for (k = 0; k < 8 && ok; k++)
            ok = is_digit(s[k]);
        if (!ok)
            continue;
        y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
        m = (s[4] - '0') * 10 + (s[5] - '0');
        if (m < 1 || m > 12 || (s[6] - '0') * 10 + (s[7] - '0') > 31)
            continue;
        if (m == 12 && mon == 1)
            y++;
        else if (m == 1 && mon == 12)
            y--;
        return y;
    }
    return 0;
}

static int parse_date(lx *x, kw_list_row *r, const char *s, size_t n)
{
    size_t i;

    while (n && (*s == ' '))
        s++, n--;
    if (kw__parsers_has_ymd(s, n) && kw_date_parse(s, n, &r->date) == KW_OK) {
        r->has_date = 1;
        return 1;
    }
    for (i = 0; i + 11 <= n; i++) {
        int mo, d, h, mi, y;
        char buf[40];

        if ((i > 0 && is_digit(s[i - 1])) ||
            !md_time_at(s + i, n - i, &mo, &d, &h, &mi))
            continue;
        y = url_year(r->url, mo);
        if (!y)
            y = x->page_year;
        if (!y)
            return 0;
        if (snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d", y, mo, d,
                     h, mi) >= (int)sizeof(buf))
            return 0;
        if (kw_date_parse(buf, strlen(buf), &r->date) == KW_OK) {
            r->has_date = 1;
            return 1;
        }
        return 0;
    }
    return 0;
}

/* A short text that follows the date in a two-part box, as in
 * "<span>2026.01.07</span><span>고용노동부</span>": the issuer. */
static void issuer_after(lx *x, kw_list_row *r, xmlNode *date_el)
{
    xmlNode *box = date_el ? date_el->parent : NULL, *c, *next = NULL;
    int n = 0;
    char *t;
    size_t i, len;

    if (!box)
        return;
    for (c = box->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        n++;
        if (c->prev && n == 2)
            next = c;
    }
    if (n != 2 || !next || next == date_el)
        return;
    t = kw__parsers_node_text_dup(x->a, next);
    if (!t) {
        x->err = KW_ENOMEM;
        return;
    }
    len = strlen(t);
    if (!len || len > 60)
        return;
    for (i = 0; i < len; i++) {
        if (is_digit(t[i]))
            return;
    }
    if ((unsigned char)t[0] < 0x80)
        return;
    r->department = t;
}

/* First short text node below @n (outside @skip) that parses as a date. */
static int date_in(lx *x, kw_list_row *r, xmlNode *n, xmlNode *skip,
                   int depth)
{
    xmlNode *c;

    if (depth > 40)
        return 0;
    for (c = n->children; c && !x->err; c = c->next) {
        if (c == skip)
            continue;
        if (c->type == XML_TEXT_NODE && c->content) {
            const char *s = (const char *)c->content;
            size_t len = strlen(s);

            while (len && (*s == ' ' || *s == '\t' || *s == '\r' ||
                           *s == '\n'))
                s++, len--;
            while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                           s[len - 1] == '\r' || s[len - 1] == '\n'))
                len--;
            if (len && len <= DATE_TEXT_MAX && has_date_text(s, len) &&
                parse_date(x, r, s, len)) {
                if (!r->department && n->type == XML_ELEMENT_NODE)
                    issuer_after(x, r, n);
                return 1;
            }
        } else if (c->type == XML_ELEMENT_NODE && !is_el(c, "script") &&
                   !is_el(c, "style")) {
            if (date_in(x, r, c, skip, depth + 1))
                return 1;
        }
    }
    return 0;
}

/* Cell text without the header's label repeated inside it ("번호 15367"
 * with a hidden "번호"). */
static const char *cell_value(lx *x, xmlNode *cell, const char *label)
{
    char *t = kw__parsers_node_text_dup(x->a, cell);
    size_t ln = label ? strlen(label) : 0;

    if (!t) {
        x->err = KW_ENOMEM;
        return NULL;
    }
    if (ln && strncmp(t, label, ln) == 0 && (t[ln] == ' ' || !t[ln]))
        t += ln + (t[ln] == ' ');
    return *t ? t : NULL;
}

static xmlNode *enclosing_link(xmlNode *n, xmlNode *row)
{
    for (; n && n != row; n = n->parent) {
        if (is_el(n, "a"))
            return n;
    }
    return NULL;
}

static void fill_row(lx *x, xmlNode *row, const header *h, kw_list_row *r)
{
    xmlNode *cv[MAX_CELLS], *te = NULL, *link = NULL, *date_cell = NULL;
    int nc = h->has ? cells(row, cv, MAX_CELLS) : 0, i;
    const char *title = NULL;

    memset(r, 0, sizeof(*r));
    if (h->has && nc == h->n) {
        for (i = 0; i < nc && !x->err; i++) {
            if (i > 0 && cv[i] == cv[i - 1])
                continue; /* colspan */
            switch (h->role[i]) {
            case R_NUM:
                r->number = cell_value(x, cv[i], h->label[i]);
                break;
            case R_DEPT:
                r->department = cell_value(x, cv[i], h->label[i]);
                break;
            case R_DATE:
                date_cell = cv[i];
                break;
            case R_TITLE:
                link = first_post_link(cv[i], 0);
                te = link ? link : cv[i];
                break;
            default:
                break;
            }
        }
    }
    if (!te) {
        te = title_element(x, row);
        if (te) {
            link = enclosing_link(te, row);
            if (!link)
                link = first_post_link(te, 0);
        }
    }
    if (!link)
        link = first_post_link(row, 0);
    if (x->err || !link)
        return;
    set_link(x, r, link);
    if (te) {
        title = title_dup(x, te);
        if (title && !*title)
            title = NULL;
    }
    if (!title || te == link) {
        /* A link whose text holds more than its title (a card with the
         * date inside) has its title in the title attribute. */
        const char *lt = link_title(x, link);

        if (!title)
            title = lt;
        if (title && has_date_text(title, strlen(title)) && lt)
            title = lt;
    }
    if (title) {
        int cut;
        size_t n = kw__parsers_cut_ellipsis(title, &cut);
        const char *lt = cut ? link_title(x, link) : NULL;

        if (lt && n >= 4 && strncmp(lt, title, n) == 0)
            title = lt;
    }
    r->title = title;
    if (date_cell) {
        const char *t = cell_value(x, date_cell, NULL);

        if (t)
            parse_date(x, r, t, strlen(t));
    }
    if (!r->has_date)
        date_in(x, r, row, te, 0);
}

/* ---- Putting it together ---------------------------------------------- */

/* True if @a comes before @b in document order. */
static int doc_before(xmlNode *a, xmlNode *b)
{
    xmlNode *pa[256], *pb[256], *c;
    int na = 0, nb = 0;

    for (c = a; c && na < 256; c = c->parent)
        pa[na++] = c;
    for (c = b; c && nb < 256; c = c->parent)
        pb[nb++] = c;
    while (na > 0 && nb > 0 && pa[na - 1] == pb[nb - 1]) {
        na--;
        nb--;
    }
    if (na == 0)
        return 1; /* a is an ancestor of b */
    if (nb == 0)
        return 0;
    for (c = pa[na - 1]; c; c = c->next) {
        if (c == pb[nb - 1])
            return 1;
    }
    return 0;
}

/* True if the parent of @in lies inside one of @out's rows. */
static int is_nested(const group *in, const group *out)
{
    xmlNode *n;

    for (n = in->parent; n && n->parent != out->parent; n = n->parent)
        ;
    return n && n != in->parent && same_sig(n, out->sig_tag, out->sig_class);
}

/* Path and query keys of @url: "/a/b.do?x&y". */
static void url_shape(const char *url, char *out, size_t out_n)
{
    size_t o = 0, i = 0;
    int in_val = 0;

    if (!out_n)
        return;
    while (url && url[i] && o + 1 < out_n) {
        char c = url[i++];

        if (c == '#')
            break;
        if (c == '=') {
            in_val = 1;
            continue;
        }
        if (c == '&' || c == '?')
            in_val = 0;
        if (!in_val)
            out[o++] = c;
    }
    out[o] = '\0';
}

static void push(lx *x, const kw_list_row *r)
{
    size_t i;

    for (i = 0; r->url && i < x->n; i++) {
        if (x->v[i].url && strcmp(x->v[i].url, r->url) == 0)
            return;
    }
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 32;
        kw_list_row *nv = kw_realloc(x->v, cap * sizeof(*nv));

        if (!nv) {
            x->err = KW_ENOMEM;
            return;
        }
        x->v = nv;
        x->cap = cap;
    }
    x->v[x->n++] = *r;
}

static void take_group(lx *x, const group *g)
{
    header h;
    xmlNode *d;

    find_header(x, g, &h);
    for (d = g->first; d && !x->err; d = d->next) {
        kw_list_row r;

        if (d->type != XML_ELEMENT_NODE ||
            !same_sig(d, g->sig_tag, g->sig_class) || !is_row(x, d))
            continue;
        fill_row(x, d, &h, &r);
        if (!x->err && r.title && (r.url || r.script))
            push(x, &r);
    }
}

kw_err kw__parsers_list_rows(kw_arena *a, xmlNode *root, int page_year,
                             kw_list_row **rows, size_t *n_rows)
{
    lx *x;
    size_t i, best = 0, order[MAX_GROUPS], no = 0;
    char shape[512] = "";
    kw_err rc;

    *rows = NULL;
    *n_rows = 0;
    x = kw_calloc(1, sizeof(*x));
    if (!x)
        return KW_ENOMEM;
    x->a = a;
    x->page_year = page_year;
    find_groups(x, root, 0);
    if (x->err || !x->ng)
        goto done;
    for (i = 1; i < x->ng; i++) {
        if (x->g[i].rows > x->g[best].rows)
            best = i;
    }
    {
        xmlNode *l = first_post_link(x->g[best].first, 0);
        xmlChar *href = l ? kw__parsers_attr(l, "href") : NULL;

        if (href)
            url_shape((const char *)href, shape, sizeof(shape));
        xmlFree(href);
    }
    /* The best run, and the runs of links of the same shape that are
     * neither inside it nor around it, in document order. */
    for (i = 0; i < x->ng; i++) {
        int join = i == best;

        if (!join && *shape && !is_nested(&x->g[i], &x->g[best]) &&
            !is_nested(&x->g[best], &x->g[i])) {
            xmlNode *l = first_post_link(x->g[i].first, 0);
            xmlChar *href = l ? kw__parsers_attr(l, "href") : NULL;
            char s2[512] = "";

            if (href)
                url_shape((const char *)href, s2, sizeof(s2));
            xmlFree(href);
            join = strcmp(s2, shape) == 0;
        }
        if (join) {
            size_t k = no;

            while (k > 0 && doc_before(x->g[i].first, x->g[order[k - 1]].first)) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = i;
            no++;
        }
    }
    for (i = 0; i < no && !x->err; i++)
        take_group(x, &x->g[order[i]]);
    if (!x->err && x->n) {
        *rows = kw_arena_alloc(a, x->n * sizeof(kw_list_row));
        if (!*rows) {
            x->err = KW_ENOMEM;
        } else {
            memcpy(*rows, x->v, x->n * sizeof(kw_list_row));
            *n_rows = x->n;
        }
    }
done:
    rc = x->err;
    for (i = 0; i < x->ng; i++)
        xmlFree(x->g[i].sig_class);
    kw_free(x->v);
    kw_free(x);
    if (rc) {
        *rows = NULL;
        *n_rows = 0;
    }
    return rc;
}
