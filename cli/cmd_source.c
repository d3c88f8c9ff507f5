/*
 * kowatch source add | list | remove | import: the sources kowatch polls,
 * kept in the database.  Validation is the parsers' (kw_source_spec), so
 * a source typed on the command line and one read from a file obey the
 * same rules.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kw/parsers.h"
#include "kw/queries.h"

#define DEFAULT_EVERY_S 3600

/* Fills @src from a validated @spec (borrowing its strings). */
static int spec_to_source(const kw_source_spec *spec, kw_source *src)
{
    memset(src, 0, sizeof(*src));
    src->name = spec->name;
    src->url = spec->url;
    if (kw_source_kind_parse(spec->kind, &src->kind))
        return -1;
    src->every_s = DEFAULT_EVERY_S;
    if (spec->every && kw_parse_duration(spec->every, &src->every_s))
        return -1;
    src->link_pattern = spec->link_pattern;
    src->next_pattern = spec->next_pattern;
    src->list_depth = spec->list_depth > 0 ? spec->list_depth : 1;
    src->detail_template = spec->detail_template;
    src->attachment_template = spec->attachment_template;
    src->attachment_post = spec->attachment_method &&
                           strcmp(spec->attachment_method, "post") == 0;
    src->charset = spec->charset;
    return 0;
}

int cli_import_sources(kw_store *st, const kw_source_file *sf, int quiet)
{
    size_t i, added = 0, present = 0;
    kw_err rc;

    rc = kw_store_begin(st);
    if (rc)
        return cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    for (i = 0; i < sf->n_sources; i++) {
        kw_source src;

        if (spec_to_source(&sf->sources[i], &src)) {
            kw_store_rollback(st);
            return cli_err(CLI_FAIL, "line %d: invalid source '%s'",
                           sf->sources[i].line, sf->sources[i].name);
        }
        rc = kw_store_source_add(st, &src, NULL);
        if (rc == KW_EEXIST) {
            present++;
            if (!quiet)
                fprintf(stderr,
                        "kowatch: source '%s' is already present; kept "
                        "as it is\n",
                        src.name);
            continue;
        }
        if (rc) {
            kw_store_rollback(st);
            return cli_err(CLI_FAIL, "cannot add source '%s': %s", src.name,
                           kw_store_errmsg(st));
        }
        added++;
    }
    rc = kw_store_commit(st);
    if (rc)
        return cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    if (!quiet)
        printf("imported %zu source%s (%zu already present)\n", added,
               added == 1 ? "" : "s", present);
    return CLI_OK;
}

/* ---- source add --------------------------------------------------------- */

static const cli_opt add_opts[] = {
    {"kind", 'k', OPT_STR, "KIND", "rss, atom, sitemap, list or page", 0},
    {"every", 0, OPT_DURATION, "DURATION",
     "how often to poll it (default 1h)", 0},
    {"link-pattern", 0, OPT_STR, "RE",
     "list: article links match this extended regex", 0},
    {"next-pattern", 0, OPT_STR, "RE",
     "list: further list pages match this regex", 0},
    {"list-depth", 0, OPT_UINT, "N",
     "list: follow at most N list pages (default 1)", 1000},
    {"detail-template", 0, OPT_STR, "URL",
     "list: URL for script links, {1} = first argument", 0},
    {"attachment-template", 0, OPT_STR, "URL",
     "URL for script-only attachment links, {1}..{9} = arguments", 0},
    {"attachment-method", 0, OPT_STR, "get|post",
     "post: send the template's query as a form (default get)", 0},
    {"charset", 0, OPT_STR, "NAME", "force a charset (e.g. euc-kr)", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int run_add(const cli_args *a)
{
    kw_source_spec spec;
    kw_source src;
    kw_store *st = NULL;
    char err[512];
    kw_err rc;
    int ret;

    memset(&spec, 0, sizeof(spec));
    spec.name = a->pos[0];
    spec.url = a->pos[1];
    spec.kind = cli_str(a, "kind");
    spec.every = cli_str(a, "every");
    spec.link_pattern = cli_str(a, "link-pattern");
    spec.next_pattern = cli_str(a, "next-pattern");
    spec.list_depth = (int)cli_uint(a, "list-depth", 0);
    spec.detail_template = cli_str(a, "detail-template");
    spec.attachment_template = cli_str(a, "attachment-template");
    spec.attachment_method = cli_str(a, "attachment-method");
    spec.charset = cli_str(a, "charset");
    if (!spec.kind)
        return cli_usage(&cmd_source_add,
                         "--kind is required: rss, atom, sitemap, list or "
                         "page");
    if (kw_source_spec_validate(&spec, err, sizeof(err)))
        return cli_usage(&cmd_source_add, "%s", err);
    if (spec_to_source(&spec, &src))
        return cli_usage(&cmd_source_add, "invalid source");
    ret = cli_open_store(&st);
    if (ret)
        return ret;
    rc = kw_store_source_add(st, &src, NULL);
    if (rc == KW_EEXIST)
        ret = cli_err(CLI_FAIL,
                      "a source named '%s' exists already; remove it first "
                      "('kowatch source remove %s') or pick another name",
                      src.name, src.name);
    else if (rc)
        ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    else
        printf("added source '%s' (%s, every %llds)\n", src.name,
               kw_source_kind_name(src.kind), (long long)src.every_s);
    kw_store_close(st);
    return ret;
}

const cli_command cmd_source_add = {
    "source add",
    "NAME URL --kind KIND [options]",
    "Add a source to poll.",
    add_opts,
    2,
    2,
    run_add,
    "NAME is a short unique name ([a-z0-9._-]); URL is http or https.\n"
    "Example:\n"
    "  kowatch source add msit-press \\\n"
    "    'https://www.msit.go.kr/bbs/list.do?sCode=user&mId=307"
    "&mPid=208&bbsSeqNo=94' \\\n"
    "    --kind list --link-pattern 'nttSeqNo=[0-9]+' \\\n"
    "    --next-pattern 'pageIndex=[0-9]+' --list-depth 2",
};

/* ---- source list -------------------------------------------------------- */

static const cli_opt list_opts[] = {
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

typedef struct list_ctx {
    json_t *arr; /* --json: sources */
    int n;       /* sources printed */
} list_ctx;

static json_t *jstr_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;

    return j ? j : json_null();
}

static json_t *jtime_or_null(int64_t t)
{
    char iso[32];

    if (!t)
        return json_null();
    kw_time_iso(t, KW_KST_OFFSET_MIN, iso);
    return json_string(iso);
}

/* A source silent for more than 4 polling intervals (at least a day)
 * after a success is reported as stale. */
static int is_stale(const kw_source *s, int64_t now)
{
    int64_t quiet = s->every_s * 4 > 86400 ? s->every_s * 4 : 86400;

    return s->last_success_at && now - s->last_success_at > quiet;
}

static kw_err list_one(const kw_source *s, void *ud)
{
    list_ctx *c = ud;
    char last_ok[32] = "never";
    int64_t now = kw_now();

    c->n++;
    if (c->arr) {
        json_t *o = json_object();

        if (!o)
            return KW_ENOMEM;
        json_object_set_new(o, "name", jstr_or_null(s->name));
        json_object_set_new(o, "url", jstr_or_null(s->url));
        json_object_set_new(o, "kind",
                            json_string(kw_source_kind_name(s->kind)));
        json_object_set_new(o, "every", json_integer(s->every_s));
        json_object_set_new(o, "link_pattern",
                            jstr_or_null(s->link_pattern));
        json_object_set_new(o, "next_pattern",
                            jstr_or_null(s->next_pattern));
        json_object_set_new(o, "list_depth", json_integer(s->list_depth));
        json_object_set_new(o, "detail_template",
                            jstr_or_null(s->detail_template));
        json_object_set_new(o, "attachment_template",
                            jstr_or_null(s->attachment_template));
        json_object_set_new(o, "attachment_method",
                            s->attachment_template
                                ? json_string(s->attachment_post ? "post"
                                                                 : "get")
                                : json_null());
        json_object_set_new(o, "charset", jstr_or_null(s->charset));
        json_object_set_new(o, "last_fetch", jtime_or_null(s->last_fetch_at));
        json_object_set_new(o, "last_success",
                            jtime_or_null(s->last_success_at));
        json_object_set_new(o, "last_error_at",
                            jtime_or_null(s->last_error_at));
        json_object_set_new(o, "last_error", jstr_or_null(s->last_error));
        json_object_set_new(o, "error_count", json_integer(s->error_count));
        json_object_set_new(o, "items_total", json_integer(s->items_total));
        json_object_set_new(o, "stale", json_boolean(is_stale(s, now)));
        return json_array_append_new(c->arr, o) ? KW_ENOMEM : KW_OK;
    }
    if (c->n == 1)
        printf("%-22s %-8s %6s  %-25s %6s %6s  %s\n", "NAME", "KIND",
               "EVERY", "LAST SUCCESS", "ERRORS", "ITEMS", "URL");
    if (s->last_success_at)
        kw_time_iso(s->last_success_at, KW_KST_OFFSET_MIN, last_ok);
    printf("%-22s %-8s %5llds  %-25s %6lld %6lld  %s\n", s->name,
           kw_source_kind_name(s->kind), (long long)s->every_s, last_ok,
           (long long)s->error_count, (long long)s->items_total, s->url);
    if (s->last_error && s->error_count)
        printf("  last error: %s\n", s->last_error);
    if (is_stale(s, now))
        printf("  stale: no success for more than 4 polling intervals\n");
    return KW_OK;
}

static int run_list(const cli_args *a)
{
    list_ctx c = {NULL, 0};
    kw_store *st = NULL;
    kw_err rc;
    int ret = cli_open_store(&st);

    if (ret)
        return ret;
    if (cli_flag(a, "json")) {
        c.arr = json_array();
        if (!c.arr) {
            kw_store_close(st);
            return cli_err(CLI_FAIL, "out of memory");
        }
    }
    rc = kw_store_source_each(st, list_one, &c);
    if (rc) {
        ret = cli_err(CLI_FAIL, "%s",
                      rc == KW_EDB ? kw_store_errmsg(st) : kw_strerror(rc));
    } else if (c.arr) {
        json_t *doc = json_pack("{s:O}", "sources", c.arr);
        char *s = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
                      : NULL;

        ret = s ? cli_puts(s) : cli_err(CLI_FAIL, "out of memory");
        kw_free(s);
        json_decref(doc);
    } else if (c.n == 0) {
        fprintf(stderr, "kowatch: no sources yet; add one with 'kowatch "
                        "source add' or 'kowatch source import FILE'\n");
    }
    json_decref(c.arr);
    kw_store_close(st);
    return ret;
}

const cli_command cmd_source_list = {
    "source list", "[--json]", "List sources and their health.", list_opts,
    0,             0,          run_list,
    NULL,
};

/* ---- source remove ------------------------------------------------------ */

static int run_remove(const cli_args *a)
{
    kw_store *st = NULL;
    kw_err rc;
    int ret = cli_open_store(&st);

    if (ret)
        return ret;
    rc = kw_store_source_remove(st, a->pos[0]);
    if (rc == KW_ENOTFOUND)
        ret = cli_err(CLI_FAIL,
                      "no source named '%s' ('kowatch source list' shows "
                      "them)",
                      a->pos[0]);
    else if (rc)
        ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    else
        printf("removed source '%s' (its articles are kept)\n", a->pos[0]);
    kw_store_close(st);
    return ret;
}

const cli_command cmd_source_remove = {
    "source remove",
    "NAME",
    "Remove a source; the articles it brought stay.",
    NULL,
    1,
    1,
    run_remove,
    NULL,
};

/* ---- source import ------------------------------------------------------ */

static int run_import(const cli_args *a)
{
    kw_source_file *sf = NULL;
    kw_store *st = NULL;
    char *data = NULL, err[512];
    size_t n = 0;
    kw_err rc;
    int ret;

    rc = kw_read_file(a->pos[0], 16 * 1024 * 1024, &data, &n);
    if (rc)
        return cli_err(CLI_FAIL, "cannot read %s: %s", a->pos[0],
                       kw_strerror(rc));
    rc = kw_source_file_parse(data, n, err, sizeof(err), &sf);
    kw_free(data);
    if (rc)
        return cli_err(CLI_FAIL, "%s: %s; nothing was imported", a->pos[0],
                       rc == KW_EPARSE ? err : kw_strerror(rc));
    ret = cli_open_store(&st);
    if (!ret)
        ret = cli_import_sources(st, sf, 0);
    kw_store_close(st);
    kw_source_file_free(sf);
    return ret;
}

const cli_command cmd_source_import = {
    "source import",
    "FILE",
    "Add the sources of a kowatch YAML file or an OPML file, all or none.",
    NULL,
    1,
    1,
    run_import,
    "See config/sources.yaml for the YAML format.  Sources whose name is\n"
    "already present are kept as they are.",
};
