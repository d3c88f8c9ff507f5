/*
 * Text helpers shared by the parsers: white-space collapsing (Unicode
 * spaces common in Korean pages included), HTML-fragment-to-text
 * conversion for feed descriptions, safe DOM text gathering (entity
 * references are never expanded) and libxml2 HTML reading of UTF-8
 * input.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "parsers_int.h"

/* Length of the white-space character at p (0 if none). */
static size_t space_len(const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;
    if (p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r' ||
        p[0] == '\f' || p[0] == '\v')
        return 1;
    if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0) /* U+00A0 */
        return 2;
    if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) /* 3000 */
        return 3;
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
        (p[2] == 0x8B || p[2] == 0x82 || p[2] == 0x83 || p[2] == 0x89 ||
         p[2] == 0xAF)) /* U+200B, en/em/thin space, U+202F */
        return 3;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) /* BOM */
        return 3;
    return 0;
}

void kw__parsers_buf_add_collapsed(kw_buf *b, const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    int pending = 0;

    while (i < n) {
        size_t k = space_len(s + i, n - i);

        if (k) {
            pending = 1;
            i += k;
            continue;
        }
        if (s[i] == 0) {
            i++;
            continue;
        }
        if (pending && b->n > 0 && b->p[b->n - 1] != ' ')
            kw_buf_addc(b, ' ');
        pending = 0;
        kw_buf_addc(b, (char)s[i]);
        i++;
    }
    if (pending && b->n > 0 && b->p[b->n - 1] != ' ')
        kw_buf_addc(b, ' ');
}

/* Removes one trailing space from @b. */
static void buf_rtrim(kw_buf *b)
{
    while (b->n > 0 && b->p[b->n - 1] == ' ') {
        b->n--;
        b->p[b->n] = '\0';
    }
}

char *kw__parsers_collapse(kw_arena *a, const char *p, size_t n)
{
    kw_buf b;
    char *r;

    kw_buf_init(&b, KW_MAX_TEXT);
    kw__parsers_buf_add_collapsed(&b, p, n);
    buf_rtrim(&b);
    if (b.err) {
        kw_buf_deinit(&b);
        return NULL;
    }
    r = kw_arena_strndup(a, b.p ? b.p : "", b.n);
    kw_buf_deinit(&b);
    return r;
}

/* Appends the UTF-8 encoding of code point @c. */
static void buf_add_cp(kw_buf *b, unsigned long c)
{
    char u[4];

    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
    if (c < 0x80) {
        kw_buf_addc(b, (char)c);
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        kw_buf_add(b, u, 2);
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        kw_buf_add(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        kw_buf_add(b, u, 4);
    }
}

static const struct {
    const char *name;
    unsigned long cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},
    {"quot", '"'},      {"apos", '\''},    {"nbsp", 0xA0},
    {"middot", 0xB7},   {"hellip", 0x2026}, {"lsquo", 0x2018},
    {"rsquo", 0x2019},  {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"ndash", 0x2013},  {"mdash", 0x2014}, {"copy", 0xA9},
    {"laquo", 0xAB},    {"raquo", 0xBB},   {"bull", 0x2022},
};

/*
 * Decodes the entity at p[0..n) (p[0] == '&') into @b.  Returns the bytes
 * consumed, or 0 if it is not a recognised entity.
 */
static size_t decode_entity(kw_buf *b, const char *p, size_t n)
{
    size_t i = 1, k;
    unsigned long c = 0;

    if (n > 2 && p[1] == '#') {
        int hex = (p[2] == 'x' || p[2] == 'X');
        size_t digits = 0;

        i = hex ? 3 : 2;
        for (; i < n && digits < 8; i++, digits++) {
            char ch = p[i];

            if (ch >= '0' && ch <= '9')
                c = c * (hex ? 16 : 10) + (unsigned long)(ch - '0');
            else if (hex && ch >= 'a' && ch <= 'f')
                c = c * 16 + (unsigned long)(ch - 'a' + 10);
            else if (hex && ch >= 'A' && ch <= 'F')
                c = c * 16 + (unsigned long)(ch - 'A' + 10);
            else
                break;
        }
        if (digits == 0)
            return 0;
        if (i < n && p[i] == ';')
            i++;
        buf_add_cp(b, c);
        return i;
    }
    for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
        size_t len = strlen(entities[k].name);

        if (n >= len + 2 && memcmp(p + 1, entities[k].name, len) == 0 &&
            p[len + 1] == ';') {
            buf_add_cp(b, entities[k].cp);
            return len + 2;
        }
    }
    return 0;
}

char *kw__parsers_html_to_text(kw_arena *a, const char *p, size_t n)
{
    kw_buf raw;
    size_t i = 0;
    char *r;

    kw_buf_init(&raw, KW_MAX_TEXT);
    while (i < n) {
        unsigned char c = (unsigned char)p[i];

        if (c == '<' && i + 1 < n &&
            ((p[i + 1] >= 'a' && p[i + 1] <= 'z') ||
             (p[i + 1] >= 'A' && p[i + 1] <= 'Z') || p[i + 1] == '/' ||
             p[i + 1] == '!' || p[i + 1] == '?')) {
            const char *end = memchr(p + i, '>', n - i);

            if (!end)
                break; /* a truncated tag: drop the rest */
            kw_buf_addc(&raw, ' ');
            i = (size_t)(end - p) + 1;
            continue;
        }
        if (c == '&') {
            size_t k = decode_entity(&raw, p + i, n - i);

            if (k) {
                i += k;
                continue;
            }
        }
        kw_buf_addc(&raw, (char)c);
        i++;
    }
    if (raw.err) {
        kw_buf_deinit(&raw);
        return NULL;
    }
    r = kw__parsers_collapse(a, raw.p ? raw.p : "", raw.n);
    kw_buf_deinit(&raw);
    return r;
}

void kw__parsers_node_text(xmlNode *node, kw_buf *b, int skip_script)
{
    xmlNode *c;

    if (!node)
        return;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        if (node->content)
            kw_buf_adds(b, (const char *)node->content);
        return;
    }
    if (node->type != XML_ELEMENT_NODE && node->type != XML_DOCUMENT_NODE &&
        node->type != XML_HTML_DOCUMENT_NODE)
        return; /* entity references, comments, PIs */
    if (skip_script && node->type == XML_ELEMENT_NODE &&
        (kw__parsers_name_is(node, "script") ||
         kw__parsers_name_is(node, "style") ||
         kw__parsers_name_is(node, "template") ||
         kw__parsers_name_is(node, "noscript")))
        return;
    for (c = node->children; c; c = c->next) {
        if (b->err)
            return;
        kw__parsers_node_text(c, b, skip_script);
    }
}

char *kw__parsers_node_text_dup(kw_arena *a, xmlNode *node)
{
    kw_buf b;
    char *r;

    kw_buf_init(&b, KW_MAX_TEXT);
    kw__parsers_node_text(node, &b, 1);
    if (b.err) {
        kw_buf_deinit(&b);
        return NULL;
    }
    r = kw__parsers_collapse(a, b.p ? b.p : "", b.n);
    kw_buf_deinit(&b);
    return r;
}

htmlDocPtr kw__parsers_html_read(const char *p, size_t n)
{
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
               HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT |
               HTML_PARSE_IGNORE_ENC;

    if (n > KW__PARSERS_MAX_XML)
        return NULL;
    if (n == 0)
        return htmlReadMemory(" ", 1, NULL, "UTF-8", opts);
    return htmlReadMemory(p, (int)n, NULL, "UTF-8", opts);
}

int kw__parsers_name_is(const xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->name &&
           strcasecmp((const char *)node->name, name) == 0;
}

xmlChar *kw__parsers_attr(xmlNode *node, const char *name)
{
    xmlAttr *at;

    if (!node || node->type != XML_ELEMENT_NODE)
        return NULL;
    for (at = node->properties; at; at = at->next) {
        kw_buf b;
        xmlNode *c;
        xmlChar *r;

        if (!at->name || strcasecmp((const char *)at->name, name) != 0)
            continue;
        /* Only text children are read: entity references in attribute
         * values are not expanded. */
        kw_buf_init(&b, KW_MAX_BODY);
        for (c = at->children; c; c = c->next) {
            if (c->type == XML_TEXT_NODE && c->content)
                kw_buf_adds(&b, (const char *)c->content);
        }
        r = b.err ? NULL : xmlStrdup(BAD_CAST(b.p ? b.p : ""));
        kw_buf_deinit(&b);
        return r;
    }
    return NULL;
}

int kw__parsers_icontains(const char *hay, const char *needle)
{
    size_t nl = strlen(needle), i;
    int lo, up;

    if (!hay)
        return 0;
    if (nl == 0)
        return 1;
    /* Compare the first byte inline: this runs for every class and id of
     * a page against every hint word. */
    lo = tolower((unsigned char)needle[0]);
    up = toupper((unsigned char)needle[0]);
    for (i = 0; hay[i]; i++) {
        if (((unsigned char)hay[i] == lo || (unsigned char)hay[i] == up) &&
            strncasecmp(hay + i + 1, needle + 1, nl - 1) == 0)
            return 1;
    }
    return 0;
}

int kw__parsers_has_ymd(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i + 8 <= n; i++) {
        if (s[i] >= '1' && s[i] <= '2' && s[i + 1] >= '0' &&
            s[i + 1] <= '9' && s[i + 2] >= '0' && s[i + 2] <= '9' &&
            s[i + 3] >= '0' && s[i + 3] <= '9' &&
            (s[i + 4] == '-' || s[i + 4] == '.' || s[i + 4] == '/') &&
            s[i + 5] >= '0' && s[i + 5] <= '9')
            return 1;
    }
    return 0;
}

/*
 * True if s[0..n) is a size or a download count: numbers and only the
 * words of sizes and counts ("914KB", "55KByte", "2.3 MB", "3",
 * "1 hit/ 360.6 KB", "다운로드 12회").
 */
static int size_or_count(const char *s, size_t n)
{
    static const char *const words[] = {
        "kb", "mb", "gb", "b", "k", "m", "byte", "bytes", "kbyte", "kbytes",
        "mbyte", "mbytes", "hit", "hits", "download", "downloads", "size",
        "회", "건", "다운로드", "다운", "용량", "조회", "크기"};
    size_t i = 0, k;
    int digits = 0;

    if (n == 0 || n > 48)
        return 0;
    while (i < n) {
        size_t j = i;

        if ((s[i] >= '0' && s[i] <= '9')) {
            digits = 1;
            while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
                             s[i] == ','))
                i++;
            continue;
        }
        if (s[i] == ' ' || s[i] == '/' || s[i] == ':' || s[i] == '|' ||
            s[i] == ',') {
            i++;
            continue;
        }
        while (j < n && !(s[j] >= '0' && s[j] <= '9') && s[j] != ' ' &&
               s[j] != '/' && s[j] != ':' && s[j] != '|' && s[j] != ',')
            j++;
        for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
            if (strlen(words[k]) == j - i &&
                strncasecmp(s + i, words[k], j - i) == 0)
                break;
        }
        if (k == sizeof(words) / sizeof(words[0]))
            return 0;
        i = j;
    }
    return digits;
}

char *kw__parsers_clean_file_name(char *s)
{
    static const char *const heads[] = {"이미지", "첨부파일", "첨부",
                                        "파일", "아이콘", "icon"};
    static const char *const tails[] = {"다운로드", "내려받기", "미리보기",
                                        "바로보기", "바로듣기", "download",
                                        "받기"};
    size_t n, k, changed = 1;

    if (!s)
        return s;
    for (k = 0; k < sizeof(heads) / sizeof(heads[0]); k++) {
        size_t l = strlen(heads[k]);

        if (strncasecmp(s, heads[k], l) == 0 &&
            (s[l] == ' ' || s[l] == ':') && s[l + 1]) {
            size_t m = l + 1;

            while (s[m] == ' ' || s[m] == ':')
                m++;
            if (s[m])
                memmove(s, s + m, strlen(s + m) + 1);
            break;
        }
    }
    n = strlen(s);
    while (changed) {
        changed = 0;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '-' || s[n - 1] == '|'))
            n--;
        for (k = 0; k < sizeof(tails) / sizeof(tails[0]); k++) {
            size_t l = strlen(tails[k]);

            if (n > l && strncasecmp(s + n - l, tails[k], l) == 0 &&
                (s[n - l - 1] == ' ' || s[n - l - 1] == ')' ||
                 s[n - l - 1] == ']')) {
                n -= l;
                changed = 1;
                break;
            }
        }
        if (changed || !n)
            continue;
        /* "(914KB)", "[2.3 MB]", "(3)", and "(914KB" cut off. */
        {
            size_t open = n, end = n;

            if (s[n - 1] == ')' || s[n - 1] == ']')
                end = n - 1;
            while (open > 0 && s[open - 1] != '(' && s[open - 1] != '[' &&
                   n - open < 40)
                open--;
            if (open > 1 && (s[open - 1] == '(' || s[open - 1] == '[') &&
                size_or_count(s + open, end - open)) {
                n = open - 1;
                changed = 1;
                continue;
            }
        }
        /* A bare size after the name: "공고문.hwp 238KB". */
        {
            size_t sp = n;

            while (sp > 0 && s[sp - 1] != ' ')
                sp--;
            if (sp > 1 && sp < n && size_or_count(s + sp, n - sp) &&
                !(s[sp] >= '0' && s[sp] <= '9' && sp == n)) {
                size_t j;
                int has_unit = 0;

                for (j = sp; j < n; j++)
                    has_unit |= (s[j] < '0' || s[j] > '9') && s[j] != '.' &&
                                s[j] != ',';
                if (has_unit) {
                    n = sp - 1;
                    changed = 1;
                }
            }
        }
    }
    while (n && s[n - 1] == ' ')
        n--;
    s[n] = '\0';
    return s;
}
