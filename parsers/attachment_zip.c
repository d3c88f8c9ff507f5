/*
 * Text of zip-packaged documents: HWPX (OWPML, KS X 6101:2018), ODT (ODF
 * 1.2 part 3, OpenDocument text) and DOCX (ECMA-376 part 1,
 * WordprocessingML), read from memory with libzip and streamed through
 * libxml2's xmlTextReader.
 *
 * The package type comes from the stored "mimetype" entry that HWPX and
 * ODF write first ("application/hwp+zip", "application/vnd.oasis.
 * opendocument.text"), else from the parts present (Contents/section0.xml
 * or Contents/content.hpf for HWPX, word/document.xml for DOCX).
 *
 * HWPX body text is in Contents/section0.xml, section1.xml, ... in the
 * order of the spine of Contents/content.hpf (an OPF package document):
 * <hp:p> paragraphs hold <hp:run>s whose <hp:t> elements hold the text,
 * with <hp:tab/>, <hp:lineBreak/>, <hp:nbSpace/>, <hp:fwSpace/> and
 * <hp:hyphen/> inside.  Tables (<hp:tbl>/<hp:tr>/<hp:tc>), text boxes and
 * footnotes nest further <hp:p>s in <hp:subList>s; each becomes a line.
 * ODT text is every character inside <text:p> and <text:h> of content.xml
 * with ODF white-space collapsing (ODF 1.2 part 1, 6.1.2) and <text:s
 * text:c="n"/>, <text:tab/>, <text:line-break/>; annotations, tracked
 * changes and note citations are left out.  DOCX text is <w:t> inside
 * <w:p> of word/document.xml.
 *
 * Limits: KW_ATTACH_MAX_ENTRIES entries in the central directory; every
 * byte read from any entry counts toward KW_ATTACH_MAX_UNPACKED (checked
 * as libzip inflates, so a bomb stops at the limit, not at its declared
 * size); libxml2 runs without entity substitution, DTD loading, network
 * access or XML_PARSE_HUGE, so its own depth and text-node limits apply.
 * A package that declares encryption in META-INF/manifest.xml, or an
 * encrypted entry, gives KW_EDENIED.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "attachment_int.h"

/* Small parts read whole: mimetype, content.hpf, manifest.xml. */
#define SMALL_PART_MAX ((size_t)4 * 1024 * 1024)
#define MIMETYPE_MAX ((size_t)256)
/* Most spaces one <text:s text:c="n"/> adds. */
#define ODT_SPACES_MAX 64
/* Most sections probed when content.hpf lists none. */
#define HWPX_PROBE_MAX 1000

#define XML_OPTS                                                               \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |               \
     XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

#define NS_ODF_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_ODF_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_ODF_SVG "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"

typedef enum dialect { D_HWPX, D_ODT, D_DOCX } dialect;

/* What an element means for the text. */
typedef enum el_kind {
    EL_OTHER = 0, /* no meaning: descend */
    EL_PARA,      /* a paragraph: a line of its own */
    EL_TEXT,      /* its character data is text (HWPX hp:t, DOCX w:t) */
    EL_TAB,       /* a tab */
    EL_BREAK,     /* a line break inside a paragraph */
    EL_SPACE,     /* one space (non-breaking, fixed-width) */
    EL_SPACES,    /* ODT text:s: text:c spaces */
    EL_HYPHEN,    /* a hyphen */
    EL_SKIP,      /* leave out the subtree */
} el_kind;

/* ---- Reading entries -------------------------------------------------- */

static kw_err zip_rc(zip_error_t *ze)
{
    switch (zip_error_code_zip(ze)) {
    case ZIP_ER_MEMORY:
        return KW_ENOMEM;
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
    case ZIP_ER_ENCRNOTSUPP:
        return KW_EDENIED;
    default:
        return KW_EPARSE;
    }
}

/* Opens entry @idx for reading; refuses encrypted entries. */
static kw_err entry_open(zip_t *za, zip_int64_t idx, zip_file_t **out)
{
    zip_stat_t st;

    *out = NULL;
    zip_stat_init(&st);
    if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0)
        return zip_rc(zip_get_error(za));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
        st.encryption_method != ZIP_EM_NONE)
        return KW_EDENIED;
    *out = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!*out)
        return zip_rc(zip_get_error(za));
    return KW_OK;
}

/* Reads the entry @name whole into *b (limit @max; KW_ETOOBIG past it).
 * KW_ENOTFOUND if there is no such entry. */
static kw_err entry_read(kw__attach_sink *s, zip_t *za, const char *name,
                         size_t max, kw_buf *b)
{
    char chunk[8192];
    zip_file_t *zf = NULL;
    zip_int64_t idx, got;
    kw_err rc;

    kw_buf_init(b, max);
    idx = zip_name_locate(za, name, 0);
    if (idx < 0)
        return KW_ENOTFOUND;
    rc = entry_open(za, idx, &zf);
    if (rc)
        return rc;
    for (;;) {
        got = zip_fread(zf, chunk, sizeof(chunk));
        if (got < 0) {
            rc = zip_rc(zip_file_get_error(zf));
            break;
        }
        if (got == 0)
            break;
        rc = kw__attach_unpacked(s, (size_t)got);
        if (rc)
            break;
        kw_buf_add(b, chunk, (size_t)got);
        rc = b->err;
        if (rc)
            break;
    }
    zip_fclose(zf);
    if (!rc && !b->p)
        kw_buf_adds(b, ""); /* an empty entry reads as "" */
    return rc ? rc : b->err;
}

static int has_entry(zip_t *za, const char *name)
{
    return zip_name_locate(za, name, 0) >= 0;
}

/* ---- Streaming XML -------------------------------------------------- */

typedef struct xml_in {
    zip_file_t *zf;     /* the entry being parsed */
    kw__attach_sink *s; /* for the inflated-bytes budget */
    kw_err rc;          /* why reading stopped early, or KW_OK */
} xml_in;

static int xml_in_read(void *ctx, char *buf, int len)
{
    xml_in *in = ctx;
    zip_int64_t got;

    if (in->rc || len < 0)
        return -1;
    got = zip_fread(in->zf, buf, (zip_uint64_t)len);
    if (got < 0) {
        in->rc = zip_rc(zip_file_get_error(in->zf));
        return -1;
    }
    in->rc = kw__attach_unpacked(in->s, (size_t)got);
    if (in->rc)
        return -1;
    return (int)got;
}

static void xml_silent(void *ud, xmlErrorPtr err)
{
    (void)ud;
    (void)err;
}

static int str_eq(const xmlChar *a, const char *b)
{
    return a && strcmp((const char *)a, b) == 0;
}

static int str_ends(const xmlChar *a, const char *suffix)
{
    size_t n, m = strlen(suffix);

    if (!a)
        return 0;
    n = strlen((const char *)a);
    return n >= m && memcmp(a + n - m, suffix, m) == 0;
}

static el_kind classify_hwpx(const xmlChar *ns, const xmlChar *name)
{
    /* http://www.hancom.co.kr/hwpml/2011/paragraph, and later years. */
    if (!str_ends(ns, "/paragraph"))
        return EL_OTHER;
    if (str_eq(name, "p"))
        return EL_PARA;
    if (str_eq(name, "t"))
        return EL_TEXT;
    if (str_eq(name, "tab"))
        return EL_TAB;
    if (str_eq(name, "lineBreak"))
        return EL_BREAK;
    if (str_eq(name, "nbSpace") || str_eq(name, "fwSpace"))
        return EL_SPACE;
    if (str_eq(name, "hyphen"))
        return EL_HYPHEN;
    return EL_OTHER;
}

static el_kind classify_odt(const xmlChar *ns, const xmlChar *name)
{
    if (str_eq(ns, NS_ODF_TEXT)) {
        if (str_eq(name, "p") || str_eq(name, "h"))
            return EL_PARA;
        if (str_eq(name, "tab"))
            return EL_TAB;
        if (str_eq(name, "line-break"))
            return EL_BREAK;
        if (str_eq(name, "s"))
            return EL_SPACES;
        if (str_eq(name, "tracked-changes") || str_eq(name, "note-citation"))
            return EL_SKIP;
        return EL_OTHER;
    }
    if (str_eq(ns, NS_ODF_OFFICE) && str_eq(name, "annotation"))
        return EL_SKIP;
    if (str_eq(ns, NS_ODF_SVG))
        return EL_SKIP; /* svg:title, svg:desc of frames */
    return EL_OTHER;
}

static el_kind classify_docx(const xmlChar *ns, const xmlChar *name)
{
    /* Transitional and Strict WordprocessingML. */
    if (!str_ends(ns, "/wordprocessingml/2006/main") &&
        !str_ends(ns, "/wordprocessingml/main"))
        return EL_OTHER;
    if (str_eq(name, "p"))
        return EL_PARA;
    if (str_eq(name, "t"))
        return EL_TEXT;
    if (str_eq(name, "tab"))
        return EL_TAB;
    if (str_eq(name, "br") || str_eq(name, "cr"))
        return EL_BREAK;
    if (str_eq(name, "noBreakHyphen"))
        return EL_HYPHEN;
    /* Paragraph and run properties hold tab stops, not tabs. */
    if (str_eq(name, "pPr") || str_eq(name, "rPr"))
        return EL_SKIP;
    return EL_OTHER;
}

static el_kind classify(dialect d, xmlTextReaderPtr rd)
{
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(rd);
    const xmlChar *name = xmlTextReaderConstLocalName(rd);

    switch (d) {
    case D_HWPX:
        return classify_hwpx(ns, name);
    case D_ODT:
        return classify_odt(ns, name);
    case D_DOCX:
        return classify_docx(ns, name);
    }
    return EL_OTHER;
}

/* Adds ODF character data: runs of space, tab, CR and LF become one space
 * (ODF 1.2 part 1, 6.1.2). */
static void add_collapsed(kw__attach_sink *s, const char *p, size_t n)
{
    size_t i = 0, start;

    while (i < n && !s->is_full) {
        start = i;
        while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' &&
               p[i] != '\r')
            i++;
        kw__attach_add(s, p + start, i - start);
        if (i == n)
            break;
        while (i < n &&
               (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
            i++;
        if (s->b.n > s->line_start && s->b.p[s->b.n - 1] != ' ')
            kw__attach_add(s, " ", 1);
    }
}

/* Number of spaces of a <text:s>: its text:c attribute, default 1. */
static size_t odt_spaces(xmlTextReaderPtr rd)
{
    xmlChar *c =
        xmlTextReaderGetAttributeNs(rd, BAD_CAST "c", BAD_CAST NS_ODF_TEXT);
    uint64_t v = 1;

    if (c) {
        if (kw_parse_u64((const char *)c, strlen((const char *)c), &v))
            v = 1;
        xmlFree(c);
    }
    if (v > ODT_SPACES_MAX)
        v = ODT_SPACES_MAX;
    return (size_t)v;
}

/*
 * Paragraphs nested in a paragraph (table cells, footnotes, text boxes
 * anchored in it) are written after it, as HWP 5 stores them, so that the
 * sentence around an anchor stays on one line and phrase search finds it.
 * Open paragraph i writes to own[i] (the document's sink for i = 0); when
 * it ends, its line and then later[i], the finished paragraphs nested in
 * it, go to later[i - 1] (or to the document).  Paragraphs nested deeper
 * than NEST_MAX share the deepest level and are simply lines there.
 */
#define NEST_MAX 16

typedef struct nest {
    kw__attach_sink *top;            /* the document's sink */
    kw__attach_sink own[NEST_MAX];   /* text of open nested paragraphs */
    kw__attach_sink later[NEST_MAX]; /* finished paragraphs nested in i */
    int open;                        /* paragraphs open */
    int is_stopped;                  /* a nested buffer reached max */
} nest;

static void sink_init(kw__attach_sink *s, size_t max)
{
    memset(s, 0, sizeof(*s));
    s->max = max;
    kw_buf_init(&s->b, max + 2);
}

static void sink_reset(kw__attach_sink *s)
{
    kw_buf_reset(&s->b);
    s->line_start = 0;
    s->is_full = 0;
}

static void nest_init(nest *t, kw__attach_sink *top)
{
    int i;

    t->top = top;
    t->open = 0;
    t->is_stopped = 0;
    for (i = 0; i < NEST_MAX; i++) {
        sink_init(&t->own[i], top->max);
        sink_init(&t->later[i], top->max);
    }
}

/* Frees the buffers; KW_ENOMEM if one of them ran out of memory. */
static kw_err nest_deinit(nest *t)
{
    kw_err rc = KW_OK;
    int i;

    for (i = 0; i < NEST_MAX; i++) {
        if (t->own[i].b.err || t->later[i].b.err)
            rc = KW_ENOMEM;
        kw_buf_deinit(&t->own[i].b);
        kw_buf_deinit(&t->later[i].b);
    }
    return rc;
}

/* Where the text of the innermost open paragraph goes. */
static kw__attach_sink *nest_cur(nest *t)
{
    int i = t->open - 1;

    if (i <= 0)
        return t->top;
    return &t->own[i < NEST_MAX ? i : NEST_MAX - 1];
}

static void nest_begin(nest *t)
{
    if (t->open == 0)
        kw__attach_para(t->top);
    else if (t->open >= NEST_MAX)
        kw__attach_para(&t->own[NEST_MAX - 1]);
    t->open++;
}

static void nest_end(nest *t)
{
    kw__attach_sink *cur, *up;
    int i;

    if (t->open == 0)
        return;
    i = --t->open;
    if (i >= NEST_MAX) {
        kw__attach_para(&t->own[NEST_MAX - 1]);
        return;
    }
    cur = i == 0 ? t->top : &t->own[i];
    kw__attach_para(cur);
    if (t->later[i].b.n > 0) {
        kw__attach_add(cur, t->later[i].b.p, t->later[i].b.n);
        kw__attach_para(cur);
    }
    sink_reset(&t->later[i]);
    if (i == 0)
        return;
    up = &t->later[i - 1];
    kw__attach_add(up, cur->b.p, cur->b.n);
    kw__attach_para(up);
    if (cur->is_full || up->is_full)
        t->is_stopped = 1;
    sink_reset(cur);
}

/* Streams the XML of entry @name (which must exist) into the sink. */
static kw_err xml_text(kw__attach_sink *s, zip_t *za, const char *name,
                       dialect d)
{
    xml_in in = {NULL, s, KW_OK};
    xmlTextReaderPtr rd = NULL;
    nest *t = NULL;
    zip_int64_t idx;
    int r = 0, depth, skip_depth = -1, text_depth = 0;
    kw_err rc, rc2;

    idx = zip_name_locate(za, name, 0);
    if (idx < 0)
        return KW_EPARSE;
    t = kw_malloc(sizeof(*t));
    if (!t)
        return KW_ENOMEM;
    nest_init(t, s);
    rc = entry_open(za, idx, &in.zf);
    if (rc)
        goto done;
    rd = xmlReaderForIO(xml_in_read, NULL, &in, name, NULL, XML_OPTS);
    if (!rd) {
        rc = in.rc ? in.rc : KW_EPARSE;
        goto done;
    }
    xmlTextReaderSetStructuredErrorHandler(rd, xml_silent, NULL);
    while (!s->is_full && !t->is_stopped) {
        int type, is_empty;
        el_kind k;

        r = xmlTextReaderRead(rd);
        if (r != 1)
            break;
        type = xmlTextReaderNodeType(rd);
        depth = xmlTextReaderDepth(rd);
        if (skip_depth >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && depth == skip_depth)
                skip_depth = -1;
            continue;
        }
        switch (type) {
        case XML_READER_TYPE_ELEMENT:
            k = classify(d, rd);
            is_empty = xmlTextReaderIsEmptyElement(rd) == 1;
            if (k == EL_SKIP) {
                if (!is_empty)
                    skip_depth = depth;
            } else if (k == EL_PARA) {
                nest_begin(t);
                if (is_empty)
                    nest_end(t);
            } else if (k == EL_TEXT) {
                if (!is_empty)
                    text_depth++;
            } else if (t->open == 0) {
                break;
            } else if (k == EL_TAB) {
                kw__attach_add(nest_cur(t), "\t", 1);
            } else if (k == EL_BREAK) {
                kw__attach_para(nest_cur(t));
            } else if (k == EL_SPACE) {
                kw__attach_add(nest_cur(t), " ", 1);
            } else if (k == EL_HYPHEN) {
                kw__attach_add(nest_cur(t), "-", 1);
            } else if (k == EL_SPACES) {
                size_t i, sp = odt_spaces(rd);

                for (i = 0; i < sp; i++)
                    kw__attach_add(nest_cur(t), " ", 1);
            }
            break;
        case XML_READER_TYPE_END_ELEMENT:
            k = classify(d, rd);
            if (k == EL_PARA)
                nest_end(t);
            else if (k == EL_TEXT && text_depth > 0)
                text_depth--;
            break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
            const xmlChar *v = xmlTextReaderConstValue(rd);

            if (!v || t->open == 0)
                break;
            if (d == D_ODT)
                add_collapsed(nest_cur(t), (const char *)v,
                              strlen((const char *)v));
            else if (text_depth > 0)
                kw__attach_add(nest_cur(t), (const char *)v,
                               strlen((const char *)v));
            break;
        }
        default:
            break;
        }
    }
    if (!s->is_full && !t->is_stopped && r != 0)
        rc = in.rc ? in.rc : KW_EPARSE;
    /* What was read of unclosed paragraphs still counts (text cut at
     * max leaves them open). */
    while (t->open > 0)
        nest_end(t);
done:
    rc2 = nest_deinit(t);
    kw_free(t);
    xmlFreeTextReader(rd);
    if (in.zf)
        zip_fclose(in.zf);
    return rc ? rc : rc2;
}

/* ---- HWPX section list ---------------------------------------------- */

typedef struct name_list {
    char **v;   /* owned strings */
    size_t n;   /* used */
    size_t cap; /* allocated */
} name_list;

static void name_list_free(name_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        kw_free(l->v[i]);
    kw_free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static kw_err name_list_add(name_list *l, const char *s)
{
    char *dup;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = kw_realloc(l->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    dup = kw_strdup(s);
    if (!dup)
        return KW_ENOMEM;
    l->v[l->n++] = dup;
    return KW_OK;
}

/* True if @href names a section part: ".../section<digits>.xml". */
static int is_section_href(const char *href)
{
    const char *base = strrchr(href, '/');
    size_t i = 7;

    base = base ? base + 1 : href;
    if (strncmp(base, "section", 7) != 0 || !(base[i] >= '0' && base[i] <= '9'))
        return 0;
    while (base[i] >= '0' && base[i] <= '9')
        i++;
    return strcmp(base + i, ".xml") == 0;
}

/* Finds the <opf:item> with id @id under @node. */
static xmlNodePtr find_item(xmlNodePtr node, const xmlChar *id)
{
    xmlNodePtr c, hit;

    for (c = node; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (str_eq(c->name, "item")) {
            xmlChar *v = xmlGetProp(c, BAD_CAST "id");
            int same = v && xmlStrEqual(v, id);

            xmlFree(v);
            if (same)
                return c;
        }
        hit = find_item(c->children, id);
        if (hit)
            return hit;
    }
    return NULL;
}

/* Adds the part named by @href, as it is or (OPF hrefs are relative to
 * the package document) under Contents/, if the zip has it. */
static kw_err add_section(zip_t *za, name_list *l, const char *href)
{
    char path[1024];
    int w;

    if (!is_section_href(href))
        return KW_OK;
    if (has_entry(za, href))
        return name_list_add(l, href);
    w = snprintf(path, sizeof(path), "Contents/%s", href);
    if (w > 0 && (size_t)w < sizeof(path) && has_entry(za, path))
        return name_list_add(l, path);
    return KW_OK;
}

/* Walks the spine of the OPF document under @node in order. */
static kw_err spine_sections(zip_t *za, xmlNodePtr root, xmlNodePtr node,
                             name_list *l)
{
    xmlNodePtr c;
    kw_err rc;

    for (c = node; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (str_eq(c->name, "itemref")) {
            xmlChar *idref = xmlGetProp(c, BAD_CAST "idref");
            xmlNodePtr item = idref ? find_item(root, idref) : NULL;
            xmlChar *href = item ? xmlGetProp(item, BAD_CAST "href") : NULL;

            rc = href ? add_section(za, l, (const char *)href) : KW_OK;
            xmlFree(href);
            xmlFree(idref);
            if (rc)
                return rc;
            if (l->n > KW_ATTACH_MAX_ENTRIES)
                return KW_ETOOBIG;
            continue;
        }
        rc = spine_sections(za, root, c->children, l);
        if (rc)
            return rc;
    }
    return KW_OK;
}

/* The section parts of an HWPX package, in reading order: the spine of
 * Contents/content.hpf, else section0.xml, section1.xml, ... as present. */
static kw_err hwpx_sections(kw__attach_sink *s, zip_t *za, name_list *l)
{
    kw_buf hpf;
    xmlDocPtr doc = NULL;
    kw_err rc;
    unsigned i;

    rc = entry_read(s, za, "Contents/content.hpf", SMALL_PART_MAX, &hpf);
    if (rc == KW_OK) {
        if (hpf.n > 0)
            doc =
                xmlReadMemory(hpf.p, (int)hpf.n, "content.hpf", NULL, XML_OPTS);
        if (doc) {
            xmlNodePtr root = xmlDocGetRootElement(doc);

            rc = spine_sections(za, root, root, l);
            xmlFreeDoc(doc);
        }
        /* A broken content.hpf leaves the probing below to find the
         * sections, as Hangul itself does not need the spine to open. */
    } else if (rc == KW_ENOTFOUND) {
        rc = KW_OK;
    }
    kw_buf_deinit(&hpf);
    for (i = 0; !rc && (i > 0 || l->n == 0) && i < HWPX_PROBE_MAX; i++) {
        char path[64];

        snprintf(path, sizeof(path), "Contents/section%u.xml", i);
        if (!has_entry(za, path))
            break;
        rc = name_list_add(l, path);
    }
    return rc;
}

/* ---- Package ---------------------------------------------------------- */

/* KW_EDENIED if META-INF/manifest.xml declares encrypted parts (ODF
 * manifest:encryption-data, which HWPX uses as well). */
static kw_err check_manifest(kw__attach_sink *s, zip_t *za)
{
    kw_buf b;
    kw_err rc;

    rc = entry_read(s, za, "META-INF/manifest.xml", SMALL_PART_MAX, &b);
    if (rc == KW_OK && strstr(b.p, "encryption-data"))
        rc = KW_EDENIED;
    else if (rc == KW_ENOTFOUND)
        rc = KW_OK;
    kw_buf_deinit(&b);
    return rc;
}

/* The package type from the mimetype entry or the parts present; NULL
 * if it is none of ours. */
static kw_err package_type(kw__attach_sink *s, zip_t *za, const char **fmt)
{
    kw_buf b;
    kw_err rc;

    *fmt = NULL;
    rc = entry_read(s, za, "mimetype", MIMETYPE_MAX, &b);
    if (rc == KW_OK) {
        size_t n = b.n;

        while (n > 0 &&
               (b.p[n - 1] == '\n' || b.p[n - 1] == '\r' || b.p[n - 1] == ' '))
            n--;
        b.p[n] = '\0';
        if (strcmp(b.p, "application/hwp+zip") == 0)
            *fmt = KW_ATTACH_HWPX;
        else if (strcmp(b.p, "application/vnd.oasis.opendocument.text") == 0 ||
                 strcmp(b.p, "application/vnd.oasis.opendocument.text-"
                             "template") == 0)
            *fmt = KW_ATTACH_ODT;
        kw_buf_deinit(&b);
        if (*fmt)
            return KW_OK;
    } else {
        kw_buf_deinit(&b);
        /* A missing or oversized mimetype: look at the parts. */
        if (rc != KW_ENOTFOUND && rc != KW_ETOOBIG)
            return rc;
    }
    if (has_entry(za, "Contents/section0.xml") ||
        has_entry(za, "Contents/content.hpf"))
        *fmt = KW_ATTACH_HWPX;
    else if (has_entry(za, "word/document.xml"))
        *fmt = KW_ATTACH_DOCX;
    return KW_OK;
}

kw_err kw__attach_zip(kw__attach_sink *s, const void *data, size_t n,
                      const char **format)
{
    zip_error_t ze;
    zip_source_t *src = NULL;
    zip_t *za = NULL;
    name_list sections = {NULL, 0, 0};
    zip_int64_t entries;
    size_t i;
    kw_err rc;

    *format = NULL;
    zip_error_init(&ze);
    src = zip_source_buffer_create(data, n, 0, &ze);
    if (!src) {
        rc = zip_rc(&ze);
        goto done;
    }
    za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!za) {
        rc = zip_rc(&ze);
        zip_source_free(src);
        goto done;
    }
    entries = zip_get_num_entries(za, 0);
    if (entries > KW_ATTACH_MAX_ENTRIES) {
        rc = KW_ETOOBIG;
        goto done;
    }
    rc = package_type(s, za, format);
    if (rc)
        goto done;
    if (!*format) {
        rc = KW_EINVAL; /* a zip, but not a document we read */
        goto done;
    }
    rc = check_manifest(s, za);
    if (rc)
        goto done;
    if (strcmp(*format, KW_ATTACH_HWPX) == 0) {
        rc = hwpx_sections(s, za, &sections);
        if (!rc && sections.n == 0)
            rc = KW_EPARSE; /* an HWPX package without a body */
        for (i = 0; !rc && i < sections.n && !s->is_full; i++)
            rc = xml_text(s, za, sections.v[i], D_HWPX);
    } else if (strcmp(*format, KW_ATTACH_ODT) == 0) {
        rc = has_entry(za, "content.xml")
                 ? xml_text(s, za, "content.xml", D_ODT)
                 : KW_EPARSE;
    } else {
        rc = xml_text(s, za, "word/document.xml", D_DOCX);
    }
done:
    name_list_free(&sections);
    if (za)
        zip_discard(za);
    zip_error_fini(&ze);
    return rc;
}
