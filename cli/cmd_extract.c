/*
 * kowatch extract FILE...: extracts saved pages (any charset, gzip too)
 * and prints them as text, or as JSON (one document; JSON Lines with a
 * "file" member when several files are given).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kw/parsers.h"
#include "kw/queries.h"

static const cli_opt extract_opts[] = {
    {"url", 'u', OPT_STR, "URL", "the page's address (for site hints)", 0},
    {"charset", 0, OPT_STR, "NAME",
     "the charset the server declared, if known", 0},
    {"json", 0, OPT_FLAG, NULL, "print JSON (JSON Lines for several files)",
     0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static json_t *jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;

    return j ? j : json_null();
}

static json_t *jdate(int has, const kw_date *d)
{
    char iso[32];

    if (!has)
        return json_null();
    kw_time_iso(d->t, d->offset_min, iso);
    return json_string(iso);
}

/* The JSON document of DESIGN.md for one extracted page. */
static json_t *article_json(const char *file, int with_file,
                            const char *url, const kw_article *art)
{
    json_t *o = json_object(), *atts = json_array();
    size_t i;

    if (!o || !atts) {
        json_decref(o);
        json_decref(atts);
        return NULL;
    }
    if (with_file)
        json_object_set_new(o, "file", jstr(file));
    json_object_set_new(o, "url", jstr(url ? url : art->canonical_url));
    json_object_set_new(o, "title", jstr(art->title));
    json_object_set_new(o, "published",
                        jdate(art->has_published, &art->published));
    json_object_set_new(o, "modified",
                        jdate(art->has_modified, &art->modified));
    json_object_set_new(o, "byline", jstr(art->byline));
    json_object_set_new(o, "site", jstr(art->site));
    json_object_set_new(o, "lang", jstr(art->lang));
    json_object_set_new(o, "kind", json_string(kw_page_kind_name(art->kind)));
    if (art->kind == KW_KIND_OTHER)
        json_object_set_new(o, "reason", jstr(art->reason));
    if (art->department)
        json_object_set_new(o, "department", jstr(art->department));
    json_object_set_new(o, "charset", jstr(art->charset));
    json_object_set_new(o, "text", jstr(art->text));
    for (i = 0; i < art->n_attachments; i++) {
        json_t *a = json_object();

        if (!a)
            continue;
        json_object_set_new(a, "name", jstr(art->attachments[i].name));
        json_object_set_new(a, "url", jstr(art->attachments[i].url));
        json_array_append_new(atts, a);
    }
    json_object_set_new(o, "attachments", atts);
    if (art->n_rows) {
        json_t *rows = json_array();

        for (i = 0; rows && i < art->n_rows; i++) {
            const kw_list_row *r = &art->rows[i];
            json_t *j = json_object();

            if (!j)
                continue;
            json_object_set_new(j, "title", jstr(r->title));
            json_object_set_new(j, "url", jstr(r->url));
            json_object_set_new(j, "script", jstr(r->script));
            json_object_set_new(j, "date", jdate(r->has_date, &r->date));
            json_object_set_new(j, "department", jstr(r->department));
            json_object_set_new(j, "number", jstr(r->number));
            json_array_append_new(rows, j);
        }
        if (rows)
            json_object_set_new(o, "rows", rows);
    }
    json_object_set_new(o, "entities", json_array());
    json_object_set_new(o, "decisions", json_array());
    return o;
}

static void print_text(const char *file, const kw_article *art)
{
    char iso[32] = "";

    if (art->has_published)
        kw_time_iso(art->published.t, art->published.offset_min, iso);
    printf("== %s\n", file);
    printf("kind:      %s%s%s\n", kw_page_kind_name(art->kind),
           art->kind == KW_KIND_OTHER && art->reason ? " -- " : "",
           art->kind == KW_KIND_OTHER && art->reason ? art->reason : "");
    printf("title:     %s\n", art->title ? art->title : "");
    printf("published: %s\n", iso);
    printf("byline:    %s\n", art->byline ? art->byline : "");
    printf("site:      %s\n", art->site ? art->site : "");
    if (art->department)
        printf("department: %s\n", art->department);
    printf("\n%s\n", art->text ? art->text : "");
    if (art->n_attachments) {
        size_t i;

        printf("\nattachments:\n");
        for (i = 0; i < art->n_attachments; i++)
            printf("  %s  %s\n",
                   art->attachments[i].name ? art->attachments[i].name : "",
                   art->attachments[i].url ? art->attachments[i].url : "");
    }
    if (art->n_rows) {
        size_t i;

        printf("\nrows:\n");
        for (i = 0; i < art->n_rows; i++) {
            const kw_list_row *r = &art->rows[i];
            char d[32] = "";

            if (r->has_date)
                kw_time_iso(r->date.t, r->date.offset_min, d);
            printf("  %s  %s  %s\n", d, r->title ? r->title : "",
                   r->url ? r->url : r->script ? r->script : "");
        }
    }
    printf("\n");
}

/* Reads @file, inflating gzip, into *out (owned). */
static kw_err read_page(const char *file, char **out, size_t *n)
{
    char *raw = NULL, *plain = NULL;
    size_t raw_n = 0, plain_n = 0;
    kw_err rc;

    *out = NULL;
    rc = kw_read_file(file, KW_MAX_BODY, &raw, &raw_n);
    if (rc)
        return rc;
    rc = kw_gunzip(raw, raw_n, KW_MAX_BODY, &plain, &plain_n);
    if (rc) {
        kw_free(raw);
        return rc;
    }
    if (plain) {
        kw_free(raw);
        *out = plain;
        *n = plain_n;
    } else {
        *out = raw;
        *n = raw_n;
    }
    return KW_OK;
}

static int run_extract(const cli_args *a)
{
    int json = cli_flag(a, "json"), several = a->npos > 1, ret = CLI_OK;
    const char *url = cli_str(a, "url");
    int i;

    for (i = 0; i < a->npos; i++) {
        const char *file = a->pos[i];
        kw_article *art = NULL;
        char *page = NULL;
        size_t n = 0;
        kw_err rc;

        rc = read_page(file, &page, &n);
        if (!rc)
            rc = kw_extract(page, n, cli_str(a, "charset"), url, &art);
        kw_free(page);
        if (rc) {
            ret = cli_err(CLI_FAIL, "%s: %s", file,
                          rc == KW_ETOOBIG ? "larger than 10 MiB"
                                           : kw_strerror(rc));
            continue;
        }
        if (json) {
            json_t *o = article_json(file, several, url, art);
            char *s = o ? json_dumps(o, several ? JSON_COMPACT
                                                : JSON_INDENT(2))
                        : NULL;

            if (!s || cli_puts(s))
                ret = CLI_FAIL;
            kw_free(s);
            json_decref(o);
        } else {
            print_text(file, art);
        }
        kw_article_free(art);
    }
    return ret;
}

const cli_command cmd_extract = {
    "extract",
    "FILE... [--url URL] [--json]",
    "Extract saved pages (any charset, gzip too) and print them.",
    extract_opts,
    1,
    -1,
    run_extract,
    NULL,
};
