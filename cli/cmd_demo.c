/*
 * kowatch demo: the whole pipeline, offline, on the bundled snapshot.
 *
 * It starts the snapshot's sites on loopback, imports the demo's sources
 * into a fresh database through the same code as `source import`, runs
 * the same crawl as `crawl --once` (analysing every article with the
 * gazetteer and stance rules of config/ and evaluating the alert rules),
 * then prints what the pipeline found with the same code as `articles`,
 * `search`, `status`, `timeline` and `alerts --all`.  Nothing here is a
 * shortcut around the product: the demo runs exactly what a user runs.
 */
/* nftw() is XSI. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "demo_server.h"
#include "kw/analysis.h"
#include "kw/crawler.h"
#include "kw/parsers.h"

static const cli_opt demo_opts[] = {
    {"snapshot", 0, OPT_STR, "DIR",
     "the snapshot (default: config/demo of the source tree)", 0},
    {"keep", 0, OPT_STR, "DIR",
     "keep the database and archive in DIR (created) for a closer look", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Finds the snapshot: --snapshot, then the source tree this binary was
 * built from, then ./config/demo. */
static const char *find_snapshot(const cli_args *a)
{
    static const char *const candidates[] = {KW_SOURCE_DIR "/config/demo",
                                             "config/demo"};
    struct stat sb;
    size_t i;

    if (cli_str(a, "snapshot"))
        return cli_str(a, "snapshot");
    for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
        if (stat(candidates[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            return candidates[i];
    return NULL;
}

static void heading(const char *title)
{
    printf("\n== %s\n\n", title);
    fflush(stdout);
}

/* Imports the snapshot's sources.yaml with its placeholders expanded. */
static int import_demo_sources(kw_store *st, const demo_server *srv,
                               const char *snapshot)
{
    char path[1200], err[512], *raw = NULL, *text = NULL;
    size_t raw_n = 0, text_n = 0;
    kw_source_file *sf = NULL;
    kw_err rc;
    int ret;

    snprintf(path, sizeof(path), "%s/sources.yaml", snapshot);
    rc = kw_read_file(path, 1024 * 1024, &raw, &raw_n);
    if (rc)
        return cli_err(CLI_FAIL, "%s: %s", path, kw_strerror(rc));
    rc = demo_server_expand(srv, raw, raw_n, err, sizeof(err), &text,
                            &text_n);
    kw_free(raw);
    if (rc)
        return cli_err(CLI_FAIL, "%s: %s", path,
                       rc == KW_ENOMEM ? kw_strerror(rc) : err);
    rc = kw_source_file_parse(text, text_n, err, sizeof(err), &sf);
    kw_free(text);
    if (rc)
        return cli_err(CLI_FAIL, "%s: %s", path,
                       rc == KW_EPARSE ? err : kw_strerror(rc));
    ret = cli_import_sources(st, sf, 0);
    kw_source_file_free(sf);
    return ret;
}

static int run_demo(const cli_args *a)
{
    const char *snapshot = find_snapshot(a), *keep = cli_str(a, "keep");
    char work[1024], db[1100], archive[1100], sites[1200], err[512];
    demo_server *srv = NULL;
    kw_gazetteer *g = NULL;
    kw_rules *r = NULL;
    kw_crawler_config cfg;
    kw_article_filter f;
    kw_store *st = NULL;
    size_t i;
    kw_err rc;
    int ret;

    if (!snapshot)
        return cli_err(CLI_FAIL, "cannot find the demo snapshot; run from "
                                 "the source tree or pass --snapshot DIR");
    if (keep) {
        if (mkdir(keep, 0755) != 0 && access(keep, W_OK) != 0)
            return cli_err(CLI_FAIL, "cannot create %s", keep);
        snprintf(work, sizeof(work), "%s", keep);
    } else {
        const char *tmp = getenv("TMPDIR");

        snprintf(work, sizeof(work), "%s/kowatch-demo-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(work))
            return cli_err(CLI_FAIL, "cannot create a temporary directory "
                                     "(set TMPDIR)");
    }
    snprintf(db, sizeof(db), "%s/kowatch.db", work);
    snprintf(archive, sizeof(archive), "%s/archive", work);
    snprintf(sites, sizeof(sites), "%s/sites", snapshot);

    printf("kowatch demo: the whole pipeline, offline, on the bundled "
           "snapshot\n(%s; every page is fictional demo data)\n",
           snapshot);
    rc = demo_server_start(sites, err, sizeof(err), &srv);
    if (rc) {
        ret = cli_err(CLI_FAIL, "demo server: %s", err);
        goto out;
    }
    heading("Sites served on loopback");
    for (i = 0; i < demo_server_nsites(srv); i++)
        printf("  %-10s %s  (%zu pages)\n", demo_server_site_name(srv, i),
               demo_server_site_base(srv, i),
               demo_server_site_routes(srv, i));

    g_cli.db_path = db;
    ret = cli_open_store(&st);
    if (ret)
        goto out;
    heading("kowatch source import (the demo's sources.yaml)");
    ret = import_demo_sources(st, srv, snapshot);
    if (ret)
        goto out;

    heading("kowatch crawl --once --host-delay 0");
    ret = cli_load_analysis(NULL, NULL, &g, &r);
    if (ret)
        goto out;
    cfg = kw_crawler_config_default();
    cfg.archive_dir = archive;
    cfg.once = 1;
    cfg.host_delay_ms = 0; /* our own loopback server */
    cfg.gazetteer = g;
    cfg.rules = r;
    ret = cli_run_crawl(st, &cfg);
    if (ret)
        goto out;
    printf("the demo server answered %ld requests; the archive is in "
           "%s\n",
           demo_server_requests(srv), archive);

    heading("kowatch articles");
    memset(&f, 0, sizeof(f));
    ret = cli_print_articles(st, &f);
    if (ret)
        goto out;

    heading("kowatch search '추가 공모'");
    ret = cli_print_search(st, "추가 공모", 5);
    if (ret)
        goto out;
    heading("kowatch search '\"독자 AI\" 네이버클라우드 -카카오'");
    ret = cli_print_search(st, "\"독자 AI\" 네이버클라우드 -카카오", 5);
    if (ret)
        goto out;
    heading("kowatch status (latest stance by event date)");
    ret = cli_print_status(st, 0, NULL);
    if (ret)
        goto out;
    heading("kowatch timeline nc-ai");
    {
        char *argv[] = {(char *)"nc-ai"};
        cli_args ta;
        int help = 0;

        ret = cli_parse(&cmd_timeline, 1, argv, &ta, &help);
        if (!ret)
            ret = cmd_timeline.run(&ta);
    }
    if (ret)
        goto out;
    heading("kowatch alerts --all (backfill included: the snapshot is old)");
    ret = cli_print_alerts(st, 1);
    if (ret)
        goto out;
    if (keep)
        printf("\nThe database is %s: try 'kowatch --db %s search ...'.\n",
               db, db);
out:
    kw_store_close(st);
    kw_gazetteer_free(g);
    kw_rules_free(r);
    demo_server_stop(srv);
    if (!keep)
        nftw(work, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return ret;
}

const cli_command cmd_demo = {
    "demo",
    "[--keep DIR] [--snapshot DIR]",
    "Run the whole pipeline offline on the bundled snapshot.",
    demo_opts,
    0,
    0,
    run_demo,
    NULL,
};
