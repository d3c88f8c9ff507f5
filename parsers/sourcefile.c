/*
 * Source-list files: the project's YAML format and OPML 1.0/2.0.
 *
 * YAML (read with libyaml's document API; marks give line numbers):
 *
 *   sources:
 *     - name: msit-press
 *       url: https://www.msit.go.kr/bbs/list.do?...
 *       kind: list            # rss | atom | sitemap | list | page
 *       every: 30m            # kw_parse_duration
 *       link_pattern: 'nttSeqNo=[0-9]+'   # POSIX extended regex
 *       next_pattern: 'pageIndex=[0-9]+'
 *       list_depth: 2         # 0..100
 *       detail_template: 'https://h/view.do?nttSeqNo={1}'
 *       attachment_template: 'https://h/fileDown.do?no={1}&ord={2}'
 *       attachment_method: post   # get (default) | post
 *       charset: utf-8
 *
 * A bare top-level sequence of entries is accepted too.  OPML (libxml2,
 * no network, no entity substitution): every <outline xmlUrl=...> becomes
 * an rss source named after its title/text (slugged to [a-z0-9-]) or,
 * failing that, its host; names are made unique with "-2", "-3"...
 *
 * Validation stops at the first problem and reports it with its line:
 * "line 7: unknown key 'evry' (expected ...)".  Nothing is returned then.
 */
#include <regex.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <yaml.h>

#include "parsers_int.h"

#define MAX_SOURCES 100000

typedef struct src_vec {
    kw_source_spec *v; /* kw_realloc'd */
    size_t n, cap;
} src_vec;

typedef struct sf_ctx {
    kw_arena *arena; /* strings of the result */
    src_vec specs;   /* collected sources */
    char *err;       /* caller's message buffer */
    size_t err_n;
} sf_ctx;

static const char *const kinds[] = {"rss", "atom", "sitemap", "list",
                                    "page"};

static kw_err fail(sf_ctx *c, long line, const char *fmt, ...)
    KW_PRINTF(3, 4);

/* Formats "line N: ..." into the caller's buffer; returns KW_EPARSE. */
static kw_err fail(sf_ctx *c, long line, const char *fmt, ...)
{
    va_list ap;
    int k = 0;

    if (!c->err || c->err_n == 0)
        return KW_EPARSE;
    if (line > 0)
        k = snprintf(c->err, c->err_n, "line %ld: ", line);
    if (k < 0 || (size_t)k >= c->err_n)
        return KW_EPARSE;
    va_start(ap, fmt);
    vsnprintf(c->err + k, c->err_n - (size_t)k, fmt, ap);
    va_end(ap);
    return KW_EPARSE;
}

static kw_err push(sf_ctx *c, kw_source_spec **out)
{
    src_vec *v = &c->specs;

    *out = NULL;
    if (v->n >= MAX_SOURCES)
        return fail(c, 0, "more than %d sources", MAX_SOURCES);
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        kw_source_spec *nv = kw_realloc(v->v, cap * sizeof(*nv));

        if (!nv)
            return KW_ENOMEM;
        v->v = nv;
        v->cap = cap;
    }
    *out = &v->v[v->n++];
    memset(*out, 0, sizeof(**out));
    return KW_OK;
}

/* True if @url is http(s)://host... */
static int url_ok(const char *url)
{
    const char *h;

    if (strncasecmp(url, "http://", 7) == 0)
        h = url + 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        h = url + 8;
    else
        return 0;
    if (*h == '\0' || *h == '/' || *h == '?' || *h == '#')
        return 0;
    return strpbrk(url, " \t\r\n") == NULL;
}

static int regex_ok(const char *re, char *msg, size_t msg_n)
{
    regex_t rx;
    int r = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);

    if (r != 0) {
        regerror(r, &rx, msg, msg_n);
        return 0;
    }
    regfree(&rx);
    return 1;
}

/* Checks the value of one key; @line is where the value is. */
static kw_err check_value(sf_ctx *c, long line, const char *key,
                          const char *val)
{
    char msg[128];
    int64_t secs;
    size_t i;

    if (strcmp(key, "kind") == 0) {
        for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
            if (strcmp(val, kinds[i]) == 0)
                return KW_OK;
        }
        return fail(c, line,
                    "kind '%s' is not one of rss, atom, sitemap, list, page",
                    val);
    }
    if (strcmp(key, "url") == 0 && !url_ok(val))
        return fail(c, line, "url '%s' must be http or https", val);
    if (strcmp(key, "every") == 0 && kw_parse_duration(val, &secs) != KW_OK)
        return fail(c, line, "every '%s' is not a duration (e.g. 10m)", val);
    if ((strcmp(key, "link_pattern") == 0 ||
         strcmp(key, "next_pattern") == 0) &&
        !regex_ok(val, msg, sizeof(msg)))
        return fail(c, line, "%s '%s' is invalid: %s", key, val, msg);
    if (strcmp(key, "detail_template") == 0 && !url_ok(val))
        return fail(c, line,
                    "detail_template '%s' must be an http or https URL", val);
    if (strcmp(key, "detail_template") == 0 && !strstr(val, "{1}"))
        return fail(c, line, "detail_template '%s' must contain {1}", val);
    if (strcmp(key, "attachment_template") == 0 && !url_ok(val))
        return fail(c, line,
                    "attachment_template '%s' must be an http or https URL",
                    val);
    if (strcmp(key, "attachment_template") == 0 && !strstr(val, "{1}"))
        return fail(c, line, "attachment_template '%s' must contain {1}",
                    val);
    if (strcmp(key, "attachment_method") == 0 && strcmp(val, "get") != 0 &&
        strcmp(val, "post") != 0)
        return fail(c, line, "attachment_method '%s' must be get or post",
                    val);
    return KW_OK;
}

/* Formats a reason into err[0..err_n) and returns KW_EINVAL. */
static kw_err reason(char *err, size_t err_n, const char *fmt, ...)
    KW_PRINTF(3, 4);

static kw_err reason(char *err, size_t err_n, const char *fmt, ...)
{
    va_list ap;

    if (err && err_n) {
        va_start(ap, fmt);
        vsnprintf(err, err_n, fmt, ap);
        va_end(ap);
    }
    return KW_EINVAL;
}

static int name_ok(const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-'))
            return 0;
    }
    return i >= 1 && i <= 64;
}

kw_err kw_source_spec_validate(const kw_source_spec *s, char *err,
                               size_t err_n)
{
    static const char *const list_keys[] = {"link_pattern", "next_pattern",
                                            "detail_template"};
    const char *list_vals[3];
    char msg[128];
    int64_t secs;
    size_t i;
    int ok = 0;

    if (err && err_n)
        err[0] = '\0';
    if (!s->name || !*s->name)
        return reason(err, err_n, "source has no name");
    if (!name_ok(s->name))
        return reason(err, err_n,
                      "name '%s' must be 1 to 64 characters of a-z, 0-9, "
                      "'.', '_' and '-'",
                      s->name);
    if (!s->url || !*s->url)
        return reason(err, err_n, "source '%s' has no url", s->name);
    if (!s->kind)
        return reason(err, err_n, "source '%s' has no kind", s->name);
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(s->kind, kinds[i]) == 0)
            ok = 1;
    }
    if (!ok)
        return reason(err, err_n,
                      "kind '%s' is not one of rss, atom, sitemap, list, "
                      "page",
                      s->kind);
    if (!url_ok(s->url))
        return reason(err, err_n, "url '%s' must be http or https", s->url);
    if (s->every && kw_parse_duration(s->every, &secs) != KW_OK)
        return reason(err, err_n, "every '%s' is not a duration (e.g. 10m)",
                      s->every);
    if (s->link_pattern && !regex_ok(s->link_pattern, msg, sizeof(msg)))
        return reason(err, err_n, "link_pattern '%s' is invalid: %s",
                      s->link_pattern, msg);
    if (s->next_pattern && !regex_ok(s->next_pattern, msg, sizeof(msg)))
        return reason(err, err_n, "next_pattern '%s' is invalid: %s",
                      s->next_pattern, msg);
    if (s->detail_template && !url_ok(s->detail_template))
        return reason(err, err_n,
                      "detail_template '%s' must be an http or https URL",
                      s->detail_template);
    if (s->detail_template && !strstr(s->detail_template, "{1}"))
        return reason(err, err_n, "detail_template '%s' must contain {1}",
                      s->detail_template);
    if (s->attachment_template && !url_ok(s->attachment_template))
        return reason(err, err_n,
                      "attachment_template '%s' must be an http or https URL",
                      s->attachment_template);
    if (s->attachment_template && !strstr(s->attachment_template, "{1}"))
        return reason(err, err_n, "attachment_template '%s' must contain {1}",
                      s->attachment_template);
    if (s->attachment_method && strcmp(s->attachment_method, "get") != 0 &&
        strcmp(s->attachment_method, "post") != 0)
        return reason(err, err_n, "attachment_method '%s' must be get or post",
                      s->attachment_method);
    if (s->attachment_method && !s->attachment_template)
        return reason(err, err_n,
                      "attachment_method needs an attachment_template "
                      "(source '%s')",
                      s->name);
    if (s->list_depth < 0 || s->list_depth > 100)
        return reason(err, err_n, "list_depth %d must be from 0 to 100",
                      s->list_depth);
    if (strcmp(s->kind, "list") != 0) {
        list_vals[0] = s->link_pattern;
        list_vals[1] = s->next_pattern;
        list_vals[2] = s->detail_template;
        for (i = 0; i < 3; i++) {
            if (list_vals[i])
                return reason(err, err_n,
                              "%s is only allowed with kind list (source "
                              "'%s' is %s)",
                              list_keys[i], s->name, s->kind);
        }
        if (s->list_depth)
            return reason(err, err_n,
                          "list_depth is only allowed with kind list (source "
                          "'%s' is %s)",
                          s->name, s->kind);
    }
    return KW_OK;
}

/* Checks one finished entry with kw_source_spec_validate and the
 * uniqueness of its name; messages get the entry's line. */
static kw_err validate(sf_ctx *c, size_t idx)
{
    kw_source_spec *s = &c->specs.v[idx];
    char msg[400];
    size_t i;

    if (kw_source_spec_validate(s, msg, sizeof(msg)) != KW_OK)
        return fail(c, s->line, "%s", msg);
    for (i = 0; i < idx; i++) {
        if (strcmp(c->specs.v[i].name, s->name) == 0)
            return fail(c, s->line,
                        "duplicate name '%s' (first at line %d)", s->name,
                        c->specs.v[i].line);
    }
    return KW_OK;
}

/* ---- YAML ------------------------------------------------------------- */

static long line_of(const yaml_node_t *n)
{
    return (long)n->start_mark.line + 1;
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static kw_err yaml_entry(sf_ctx *c, yaml_document_t *doc, yaml_node_t *m)
{
    kw_source_spec *s;
    yaml_node_pair_t *pr;
    size_t idx;
    kw_err rc;

    if (m->type != YAML_MAPPING_NODE)
        return fail(c, line_of(m), "a source must be a mapping of keys");
    rc = push(c, &s);
    if (rc)
        return rc;
    idx = c->specs.n - 1;
    s->line = (int)line_of(m);
    for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(doc, pr->value);
        const char **slot = NULL;
        const char *key, *val;
        char *copy;

        s = &c->specs.v[idx];
        if (!k || !v)
            return fail(c, s->line, "malformed entry");
        if (k->type != YAML_SCALAR_NODE)
            return fail(c, line_of(k), "keys must be plain words");
        key = scalar(k);
        if (v->type != YAML_SCALAR_NODE)
            return fail(c, line_of(v), "value of '%s' must be a scalar",
                        key);
        val = scalar(v);
        if (strcmp(key, "name") == 0)
            slot = &s->name;
        else if (strcmp(key, "url") == 0)
            slot = &s->url;
        else if (strcmp(key, "kind") == 0)
            slot = &s->kind;
        else if (strcmp(key, "every") == 0)
            slot = &s->every;
        else if (strcmp(key, "link_pattern") == 0)
            slot = &s->link_pattern;
        else if (strcmp(key, "next_pattern") == 0)
            slot = &s->next_pattern;
        else if (strcmp(key, "detail_template") == 0)
            slot = &s->detail_template;
        else if (strcmp(key, "attachment_template") == 0)
            slot = &s->attachment_template;
        else if (strcmp(key, "attachment_method") == 0)
            slot = &s->attachment_method;
        else if (strcmp(key, "charset") == 0)
            slot = &s->charset;
        if (slot) {
            if (*slot)
                return fail(c, line_of(k), "duplicate key '%s'", key);
            rc = check_value(c, line_of(v), key, val);
            if (rc)
                return rc;
            copy = kw_arena_strndup(c->arena, val, v->data.scalar.length);
            if (!copy)
                return KW_ENOMEM;
            *slot = copy;
            continue;
        }
        if (strcmp(key, "list_depth") == 0) {
            uint64_t d;

            if (kw_parse_u64(val, v->data.scalar.length, &d) != KW_OK ||
                d > 100)
                return fail(c, line_of(v),
                            "list_depth '%s' must be a number from 0 to 100",
                            val);
            s->list_depth = (int)d;
            continue;
        }
        return fail(c, line_of(k),
                    "unknown key '%s' (expected name, url, kind, every, "
                    "link_pattern, next_pattern, list_depth, "
                    "detail_template, attachment_template, "
                    "attachment_method, charset)",
                    key);
    }
    return validate(c, idx);
}

static kw_err parse_yaml(sf_ctx *c, const char *p, size_t n)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root, *list = NULL;
    yaml_node_item_t *it;
    int have_doc = 0;
    kw_err rc = KW_OK;

    if (!yaml_parser_initialize(&parser))
        return KW_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)p, n);
    if (!yaml_parser_load(&parser, &doc)) {
        if (parser.error == YAML_MEMORY_ERROR)
            rc = KW_ENOMEM;
        else
            rc = fail(c, (long)parser.problem_mark.line + 1,
                      "YAML syntax error: %s%s%s",
                      parser.problem ? parser.problem : "unknown",
                      parser.context ? " " : "",
                      parser.context ? parser.context : "");
        goto cleanup;
    }
    have_doc = 1;
    root = yaml_document_get_root_node(&doc);
    if (!root)
        goto cleanup; /* an empty file: no sources */
    if (root->type == YAML_SEQUENCE_NODE) {
        list = root;
    } else if (root->type == YAML_MAPPING_NODE) {
        yaml_node_pair_t *pr;

        for (pr = root->data.mapping.pairs.start;
             pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
            yaml_node_t *v = yaml_document_get_node(&doc, pr->value);

            if (!k || !v || k->type != YAML_SCALAR_NODE ||
                strcmp(scalar(k), "sources") != 0) {
                rc = fail(c, k ? line_of(k) : 0,
                          "unknown key '%s' (expected sources)",
                          k && k->type == YAML_SCALAR_NODE ? scalar(k)
                                                           : "?");
                goto cleanup;
            }
            if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
                continue; /* "sources:" with nothing under it */
            if (v->type != YAML_SEQUENCE_NODE) {
                rc = fail(c, line_of(v),
                          "'sources' must be a list of sources");
                goto cleanup;
            }
            list = v;
        }
    } else {
        rc = fail(c, line_of(root), "expected 'sources:' and a list");
        goto cleanup;
    }
    if (!list)
        goto cleanup;
    for (it = list->data.sequence.items.start;
         it < list->data.sequence.items.top && !rc; it++) {
        yaml_node_t *e = yaml_document_get_node(&doc, *it);

        if (!e) {
            rc = fail(c, line_of(list), "malformed list");
            break;
        }
        rc = yaml_entry(c, &doc, e);
    }
cleanup:
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- OPML ------------------------------------------------------------- */

/* Lower-case ASCII slug of @s: runs of other bytes become one '-'. */
static char *slug(kw_arena *a, const char *s, size_t max)
{
    kw_buf b;
    char *r;
    size_t i;

    kw_buf_init(&b, max);
    for (i = 0; s && s[i]; i++) {
        char ch = s[i];

        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            kw_buf_addc(&b, ch);
        } else if (b.n > 0 && b.p[b.n - 1] != '-') {
            kw_buf_addc(&b, '-');
        }
        if (b.n + 1 >= max)
            break;
    }
    while (b.n > 0 && b.p[b.n - 1] == '-')
        b.p[--b.n] = '\0';
    if (b.err) {
        kw_buf_deinit(&b);
        return NULL;
    }
    r = kw_arena_strndup(a, b.p ? b.p : "", b.n);
    kw_buf_deinit(&b);
    return r;
}

/* The host of an http(s) URL, without "www.", slugged. */
static char *host_slug(kw_arena *a, const char *url)
{
    const char *h = strstr(url, "://");
    size_t len;
    char *host, *r;

    h = h ? h + 3 : url;
    if (strncasecmp(h, "www.", 4) == 0)
        h += 4;
    len = strcspn(h, "/?#:");
    host = kw_strndup(h, len);
    if (!host)
        return NULL;
    r = slug(a, host, 64);
    kw_free(host);
    return r;
}

static int name_taken(sf_ctx *c, const char *name, size_t upto)
{
    size_t i;

    for (i = 0; i < upto; i++) {
        if (c->specs.v[i].name && strcmp(c->specs.v[i].name, name) == 0)
            return 1;
    }
    return 0;
}

static kw_err opml_outline(sf_ctx *c, xmlNode *n)
{
    kw_source_spec *s;
    xmlChar *url = kw__parsers_attr(n, "xmlUrl");
    xmlChar *title = NULL;
    char *base = NULL, *name;
    size_t idx;
    int k;
    kw_err rc = KW_OK;

    if (!url)
        return KW_OK;
    rc = push(c, &s);
    if (rc)
        goto cleanup;
    idx = c->specs.n - 1;
    s->line = (int)xmlGetLineNo(n);
    s->kind = "rss";
    s->url = kw__parsers_collapse(c->arena, (const char *)url,
                                  strlen((const char *)url));
    title = kw__parsers_attr(n, "title");
    if (!title || !*title) {
        xmlFree(title);
        title = kw__parsers_attr(n, "text");
    }
    if (!s->url) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    if (!url_ok(s->url)) {
        rc = fail(c, s->line, "url '%s' must be http or https", s->url);
        goto cleanup;
    }
    base = title ? slug(c->arena, (const char *)title, 48) : NULL;
    if (!base || !*base)
        base = host_slug(c->arena, s->url);
    if (!base) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    if (!*base)
        base = "feed";
    name = base;
    for (k = 2; name_taken(c, name, idx); k++) {
        name = kw_arena_printf(c->arena, "%s-%d", base, k);
        if (!name) {
            rc = KW_ENOMEM;
            goto cleanup;
        }
    }
    c->specs.v[idx].name = name;
    rc = validate(c, idx);
cleanup:
    xmlFree(url);
    xmlFree(title);
    return rc;
}

static kw_err opml_walk(sf_ctx *c, xmlNode *n)
{
    kw_err rc = KW_OK;

    for (; n && !rc; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (kw__parsers_name_is(n, "outline"))
            rc = opml_outline(c, n);
        if (!rc)
            rc = opml_walk(c, n->children);
    }
    return rc;
}

static kw_err parse_opml(sf_ctx *c, const char *p, size_t n)
{
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlDocPtr doc;
    xmlNode *root;
    kw_err rc;

    if (n > KW__PARSERS_MAX_XML)
        return fail(c, 0, "file too large");
    doc = xmlReadMemory(p, (int)n, NULL, NULL, opts);
    if (!doc) {
        const xmlError *e = xmlGetLastError();

        return fail(c, e ? e->line : 0, "XML syntax error: %s",
                    e && e->message ? e->message : "unreadable");
    }
    root = xmlDocGetRootElement(doc);
    if (!kw__parsers_name_is(root, "opml")) {
        rc = fail(c, root ? (long)xmlGetLineNo(root) : 0,
                  "not an OPML document (root element is not <opml>)");
    } else {
        rc = opml_walk(c, root->children);
    }
    xmlFreeDoc(doc);
    return rc;
}

/* ---- Entry point ------------------------------------------------------ */

kw_err kw_source_file_parse(const char *p, size_t n, char *err,
                            size_t err_n, kw_source_file **out)
{
    kw_source_file *f = NULL;
    sf_ctx c;
    size_t i = 0;
    kw_err rc;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    c.err = err;
    c.err_n = err_n;
    if (err && err_n)
        err[0] = '\0';
    f = kw_calloc(1, sizeof(*f));
    if (!f)
        return KW_ENOMEM;
    f->arena = kw_arena_new();
    if (!f->arena) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    c.arena = f->arena;
    if (!p)
        p = "";
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    if (memchr(p + i, '\0', n - i)) {
        rc = fail(&c, 0, "the file contains NUL bytes");
        goto cleanup;
    }
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
                     p[i] == '\n'))
        i++;
    if (i < n && p[i] == '<')
        rc = parse_opml(&c, p, n);
    else
        rc = parse_yaml(&c, p, n);
    if (rc) {
        if (rc == KW_ENOMEM)
            fail(&c, 0, "out of memory");
        goto cleanup;
    }
    if (c.specs.n) {
        f->sources =
            kw_arena_alloc(f->arena, c.specs.n * sizeof(*f->sources));
        if (!f->sources) {
            rc = KW_ENOMEM;
            goto cleanup;
        }
        memcpy(f->sources, c.specs.v, c.specs.n * sizeof(*f->sources));
    }
    f->n_sources = c.specs.n;
    *out = f;
    f = NULL;
cleanup:
    kw_free(c.specs.v);
    kw_source_file_free(f);
    return rc;
}

void kw_source_file_free(kw_source_file *f)
{
    if (!f)
        return;
    kw_arena_free(f->arena);
    kw_free(f);
}
