/*
 * kowatch articles | search: stored articles, newest first, and ranked
 * search with snippets, as text, JSON (DESIGN.md shapes) or CSV.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kw/queries.h"

/* ---- articles ----------------------------------------------------------- */

static const cli_opt articles_opts[] = {
    {"since", 0, OPT_DATE, "DATE", "published on or after DATE (KST day)", 0},
    {"until", 0, OPT_DATE, "DATE", "published up to DATE (inclusive day)", 0},
    {"entity", 'e', OPT_STR, "ID", "only articles naming this entity", 0},
    {"source", 's', OPT_STR, "NAME", "only articles from this source", 0},
    {"limit", 'n', OPT_UINT, "N", "at most N articles (default all)",
     1000000},
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static kw_err article_line(const kw_article_rec *r, void *ud)
{
    char when[32];
    int *n = ud;

    (*n)++;
    kw_query_time(r->published_at, r->published_offset, when);
    printf("%6lld  %-25s  %-7s  %-14s  %s\n       %s\n", (long long)r->id,
           when[0] ? when : "(no date)", r->kind ? r->kind : "",
           r->source_name ? r->source_name : "-",
           r->title ? r->title : "(no title)", r->url);
    return KW_OK;
}

int cli_print_articles(kw_store *st, const kw_article_filter *f)
{
    int n = 0;
    kw_err rc = kw_store_article_each(st, f, article_line, &n);

    if (rc)
        return cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    if (n == 0)
        printf("no articles%s\n", f->since || f->until || f->source ||
                                          f->entity
                                      ? " match these filters"
                                      : " yet: run 'kowatch crawl --once'");
    return CLI_OK;
}

static void filter_from_args(const cli_args *a, kw_article_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->since = cli_date(a, "since", 0);
    f->until = cli_date(a, "until", 1);
    f->entity = cli_str(a, "entity");
    f->source = cli_str(a, "source");
    f->limit = (size_t)cli_uint(a, "limit", 0);
}

static int run_articles(const cli_args *a)
{
    kw_article_filter f;
    kw_store *st = NULL;
    int ret;

    filter_from_args(a, &f);
    if (f.since && f.until && f.until <= f.since)
        return cli_usage(&cmd_articles, "--until is before --since");
    ret = cli_open_store(&st);
    if (ret)
        return ret;
    if (cli_flag(a, "json")) {
        char *json = NULL;
        kw_err rc = kw_query_articles_json(st, &f, &json);

        ret = rc ? cli_err(CLI_FAIL, "%s", kw_store_errmsg(st))
                 : cli_puts(json);
        kw_free(json);
    } else {
        ret = cli_print_articles(st, &f);
    }
    kw_store_close(st);
    return ret;
}

const cli_command cmd_articles = {
    "articles",
    "[--since DATE] [--until DATE] [--entity ID] [--source NAME] [--json]",
    "List stored articles, newest first.",
    articles_opts,
    0,
    0,
    run_articles,
    "Dates are ISO 8601; a bare date is that day in Korea (KST).",
};

/* ---- search ------------------------------------------------------------- */

static const cli_opt search_opts[] = {
    {"entity", 'e', OPT_STR, "ID", "only articles naming this entity", 0},
    {"source", 's', OPT_STR, "NAME", "only articles from this source", 0},
    {"since", 0, OPT_DATE, "DATE", "published on or after DATE", 0},
    {"until", 0, OPT_DATE, "DATE", "published up to DATE (inclusive day)", 0},
    {"limit", 'n', OPT_UINT, "N", "at most N results (default 20)", 10000},
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {"csv", 0, OPT_FLAG, NULL, "print CSV", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

typedef struct hit_ctx {
    int csv; /* print CSV rows */
    int n;   /* hits printed */
} hit_ctx;

/* Prints a snippet for a terminal: matches in bold when stdout is a
 * terminal, else between [ and ]. */
static void print_snippet(const char *s, int tty)
{
    for (; *s; s++) {
        if (*s == '\x02')
            fputs(tty ? "\033[1m" : "[", stdout);
        else if (*s == '\x03')
            fputs(tty ? "\033[0m" : "]", stdout);
        else if (*s == '\n')
            fputc(' ', stdout);
        else
            fputc(*s, stdout);
    }
}

static kw_err hit_line(const kw_search_hit *h, void *ud)
{
    hit_ctx *c = ud;
    char when[32], score[32], id[32];

    c->n++;
    kw_query_time(h->published_at, h->published_offset, when);
    if (c->csv) {
        kw_buf sn;
        const char *p;

        /* CSV gets the snippet without match markers. */
        kw_buf_init(&sn, KW_MAX_TEXT);
        kw_buf_add(&sn, "", 0);
        for (p = h->snippet ? h->snippet : ""; *p; p++)
            if (*p != '\x02' && *p != '\x03')
                kw_buf_addc(&sn, *p);
        snprintf(id, sizeof(id), "%lld", (long long)h->id);
        snprintf(score, sizeof(score), "%.4f", h->score);
        cli_csv_field(stdout, id, 0);
        cli_csv_field(stdout, score, 0);
        cli_csv_field(stdout, when, 0);
        cli_csv_field(stdout, h->source, 0);
        cli_csv_field(stdout, h->title, 0);
        cli_csv_field(stdout, h->url, 0);
        cli_csv_field(stdout, sn.err ? "" : sn.p, 1);
        kw_buf_deinit(&sn);
        return KW_OK;
    }
    printf("%2d. %s\n    %s  %s  score %.3g\n    %s\n    ", c->n,
           h->title ? h->title : "(no title)", when[0] ? when : "(no date)",
           h->source ? h->source : "-", h->score, h->url);
    print_snippet(h->snippet ? h->snippet : "", isatty(1));
    printf("\n\n");
    return KW_OK;
}

/* Runs a search printed as text or CSV; the query error is a usage
 * error (exit 2). */
static int search_print(kw_store *st, const kw_search_opts *o, int csv)
{
    hit_ctx c = {csv, 0};
    int64_t total = 0;
    char err[256];
    kw_err rc;

    if (csv)
        fputs("id,score,published,source,title,url,snippet\r\n", stdout);
    rc = kw_query_search(st, o, hit_line, &c, &total, err, sizeof(err));
    if (rc == KW_EINVAL)
        return cli_usage(&cmd_search, "invalid query: %s", err);
    if (rc)
        return cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    if (!csv)
        printf("%s%lld result%s for '%s'%s\n",
               kw_store_search_total_exact(st) ? "" : "about ",
               (long long)total, total == 1 ? "" : "s", o->query,
               total > c.n ? " (use --limit for more)" : "");
    return CLI_OK;
}

int cli_print_search(kw_store *st, const char *query, size_t limit)
{
    kw_search_opts o;

    memset(&o, 0, sizeof(o));
    o.query = query;
    o.limit = limit;
    return search_print(st, &o, 0);
}

static int run_search(const cli_args *a)
{
    kw_search_opts o;
    kw_store *st = NULL;
    int ret;

    if (cli_flag(a, "json") && cli_flag(a, "csv"))
        return cli_usage(&cmd_search, "choose one of --json and --csv");
    memset(&o, 0, sizeof(o));
    o.query = a->pos[0];
    o.entity = cli_str(a, "entity");
    o.source = cli_str(a, "source");
    o.since = cli_date(a, "since", 0);
    o.until = cli_date(a, "until", 1);
    o.limit = (size_t)cli_uint(a, "limit", 20);
    if (o.limit == 0)
        return cli_usage(&cmd_search, "--limit must be at least 1");
    ret = cli_open_store(&st);
    if (ret)
        return ret;
    if (cli_flag(a, "json")) {
        char err[256], *json = NULL;
        kw_err rc = kw_query_search_json(st, &o, err, sizeof(err), &json);

        if (rc == KW_EINVAL)
            ret = cli_usage(&cmd_search, "invalid query: %s", err);
        else if (rc)
            ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
        else
            ret = cli_puts(json);
        kw_free(json);
    } else {
        ret = search_print(st, &o, cli_flag(a, "csv"));
    }
    kw_store_close(st);
    return ret;
}

const cli_command cmd_search = {
    "search",
    "QUERY [--entity ID] [--source NAME] [--since D] [--until D] [--limit N] "
    "[--json|--csv]",
    "Ranked full-text search with snippets.",
    search_opts,
    1,
    1,
    run_search,
    "Query syntax: words (all must match), \"a phrase\", a OR b, NOT a or\n"
    "-a, prefix*, and parentheses.  Example:\n"
    "  kowatch search '추가 공모 (네이버클라우드 OR 카카오) -루머'",
};
