/*
 * kowatch crawl | reindex: runs the crawler with a progress line on a
 * terminal, and stops cleanly on SIGINT or SIGTERM.  Each stored article
 * is analysed (entities, stances, clusters) with the gazetteer and stance
 * rules of config/ (or --entities/--rules); alert rules are evaluated and
 * due alerts delivered while the crawl runs and once more at its end.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kw/analysis.h"
#include "kw/crawler.h"
#include "kw/digest.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* The daily digest of `crawl --digest-at HH:MM`: sent once per KST day,
 * at or after that time, through every e-mail channel.  The day last sent
 * is kept in the database, so a restart never sends it twice; a failure
 * is retried ten minutes later. */
#define DIGEST_SENT_KEY "digest.sent_day"
#define DIGEST_RETRY_MS (10 * 60 * 1000)

typedef struct tick_ctx {
    kw_store *st;
    int is_tty;          /* print the progress line */
    int digest_min;      /* minutes after 00:00 KST; -1: no digest */
    int64_t retry_at_ms; /* no attempt before this (monotonic) */
} tick_ctx;

static tick_ctx g_tick = {NULL, 0, -1, 0};

static void digest_tick(tick_ctx *t)
{
    int64_t now = kw_now(), day = kw_digest_day_of(now);
    char label[32], err[256], *sent = NULL;
    size_t n_sent = 0;
    kw_err rc;

    if (t->digest_min < 0 || now - day < (int64_t)t->digest_min * 60 ||
        kw_mono_ms() < t->retry_at_ms)
        return;
    kw_time_iso(day, KW_KST_OFFSET_MIN, label);
    label[10] = '\0';
    rc = kw_store_meta_get(t->st, DIGEST_SENT_KEY, &sent);
    if (rc == KW_OK && strcmp(sent, label) == 0) {
        kw_free(sent);
        return;
    }
    kw_free(sent);
    rc = kw_digest_send(t->st, day, 60000, err, sizeof(err), &n_sent);
    if (!rc)
        rc = kw_store_meta_put(t->st, DIGEST_SENT_KEY, label);
    if (rc) {
        kw_log(KW_LOG_WARN, "digest", "digest of %s not sent: %s; retrying "
               "in 10 minutes", label, err[0] ? err : kw_strerror(rc));
        t->retry_at_ms = kw_mono_ms() + DIGEST_RETRY_MS;
        return;
    }
    kw_log(KW_LOG_INFO, "digest", "digest of %s sent to %zu channel%s",
           label, n_sent, n_sent == 1 ? "" : "s");
}

static void progress(const kw_crawl_stats *s, void *ud)
{
    double secs = (double)s->elapsed_ms / 1000.0;
    tick_ctx *t = ud;

    digest_tick(t);
    if (!t->is_tty)
        return;
    fprintf(stderr,
            "\r\033[Ksources %lld  fetched %lld  queued %lld  new %lld  "
            "articles %lld  errors %lld  denied %lld  %.1f/s",
            (long long)s->sources, (long long)s->fetched,
            (long long)s->queued, (long long)s->new_urls,
            (long long)s->articles, (long long)s->errors,
            (long long)s->denied,
            secs > 0 ? (double)s->fetched / secs : 0.0);
}

static void print_summary(const char *what, const kw_crawl_stats *s)
{
    fprintf(stderr,
            "kowatch: %s: %lld fetched (%lld not modified), %lld new URLs, "
            "%lld articles stored or changed, %lld errors, %lld denied by "
            "robots.txt, %.1f s\n",
            what, (long long)s->fetched, (long long)s->not_modified,
            (long long)s->new_urls, (long long)s->articles,
            (long long)s->errors, (long long)s->denied,
            (double)s->elapsed_ms / 1000.0);
}

/* Alerts while a crawl runs: after committed pages, at most every
 * ALERT_EVERY_MS, so a long crawl alerts early without evaluating the
 * rules for every page. */
#define ALERT_EVERY_MS 5000

typedef struct alert_tick {
    kw_store *st;
    int64_t last_ms; /* when the rules last ran; 0: never */
    int failed;      /* a run failed; the end-of-crawl run reports it */
} alert_tick;

static void on_commit(void *ud)
{
    alert_tick *t = ud;
    int64_t now = kw_mono_ms();

    if (t->last_ms && now - t->last_ms < ALERT_EVERY_MS)
        return;
    t->last_ms = now;
    if (cli_alerts_run(t->st, 1))
        t->failed = 1;
}

int cli_run_crawl(kw_store *st, kw_crawler_config *cfg)
{
    kw_crawl_stats stats;
    alert_tick tick;
    int tty = cli_stderr_is_tty() && g_cli.verbosity >= 0;
    kw_err rc;
    int ret;

    memset(&stats, 0, sizeof(stats));
    memset(&tick, 0, sizeof(tick));
    install_signals();
    cfg->stop = &g_stop;
    /* The progress hook also drives the daily digest, terminal or not. */
    g_tick.st = st;
    g_tick.is_tty = tty;
    if (!cfg->progress) {
        cfg->progress = progress;
        cfg->progress_ud = &g_tick;
    }
    if (cfg->gazetteer && cfg->rules && !cfg->on_commit) {
        tick.st = st;
        cfg->on_commit = on_commit;
        cfg->on_commit_ud = &tick;
    }
    rc = kw_crawler_run(st, cfg, &stats);
    if (cfg->on_commit == on_commit) {
        cfg->on_commit = NULL;
        cfg->on_commit_ud = NULL;
    }
    if (tty)
        fputs("\r\033[K", stderr);
    if (g_cli.verbosity >= 0)
        print_summary(g_stop ? "crawl interrupted" : "crawl", &stats);
    if (rc)
        return cli_err(CLI_FAIL, "crawl stopped: %s",
                       rc == KW_EDB ? kw_store_errmsg(st) : kw_strerror(rc));
    /* The final evaluation: what the last pages brought, and deliveries
     * that are due. */
    if (cfg->gazetteer && cfg->rules) {
        ret = cli_alerts_run(st, g_cli.verbosity < 0);
        if (ret)
            return ret;
    }
    return CLI_OK;
}

/* Loads the analysis data named by --entities/--rules (or config/'s). */
static int load_analysis(const cli_args *a, kw_gazetteer **g, kw_rules **r)
{
    return cli_load_analysis(cli_str(a, "entities"), cli_str(a, "rules"), g,
                             r);
}

static const cli_opt crawl_opts[] = {
    {"once", 0, OPT_FLAG, NULL,
     "poll every source once, fetch what that finds, then exit", 0},
    {"source", 's', OPT_STR, "NAME", "poll only this source", 0},
    {"host-delay", 0, OPT_UINT, "MS",
     "milliseconds between requests to one host (default 1000)", 3600000},
    {"concurrency", 'c', OPT_UINT, "N",
     "transfers at once over all hosts (default 8)", 256},
    {"archive", 0, OPT_STR, "DIR",
     "WARC archive directory (default: 'archive' beside the database)", 0},
    {"user-agent", 0, OPT_STR, "UA",
     "User-Agent to send (must name a contact)", 0},
    {"entities", 0, OPT_STR, "FILE",
     "entity gazetteer (default config/entities.yaml)", 0},
    {"rules", 0, OPT_STR, "FILE",
     "stance rules (default config/stances.yaml)", 0},
    {"digest-at", 0, OPT_STR, "HH:MM",
     "e-mail the day's digest (KST) at this time each day", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

/* Builds the crawler configuration from the options. */
static int crawl_config(const cli_args *a, kw_crawler_config *cfg,
                        char **archive)
{
    *cfg = kw_crawler_config_default();
    *archive = cli_str(a, "archive") ? kw_strdup(cli_str(a, "archive"))
                                     : cli_archive_dir();
    if (!*archive)
        return cli_err(CLI_FAIL, "out of memory");
    cfg->archive_dir = *archive;
    if (cli_has(a, "host-delay"))
        cfg->host_delay_ms = (int64_t)cli_uint(a, "host-delay", 1000);
    if (cli_has(a, "concurrency")) {
        cfg->concurrency = (size_t)cli_uint(a, "concurrency", 8);
        if (cfg->concurrency == 0)
            return cli_usage(&cmd_crawl, "--concurrency must be at least 1");
    }
    if (cli_str(a, "user-agent"))
        cfg->user_agent = cli_str(a, "user-agent");
    if (cli_str(a, "digest-at")) {
        const char *t = cli_str(a, "digest-at");
        uint64_t hh, mm;

        if (strlen(t) != 5 || t[2] != ':' || kw_parse_u64(t, 2, &hh) ||
            kw_parse_u64(t + 3, 2, &mm) || hh > 23 || mm > 59)
            return cli_usage(&cmd_crawl,
                             "--digest-at takes a time of day such as "
                             "18:00 (KST), not '%s'",
                             t);
        g_tick.digest_min = (int)(hh * 60 + mm);
    }
    return CLI_OK;
}

static kw_err source_exists(const kw_source *s, void *ud)
{
    (void)s;
    (void)ud;
    return KW_OK;
}

static int run_crawl(const cli_args *a)
{
    kw_crawler_config cfg;
    kw_gazetteer *g = NULL;
    kw_rules *r = NULL;
    kw_store *st = NULL;
    char *archive = NULL;
    int ret;

    ret = crawl_config(a, &cfg, &archive);
    if (!ret)
        ret = load_analysis(a, &g, &r);
    if (!ret) {
        cfg.gazetteer = g;
        cfg.rules = r;
        ret = cli_open_store(&st);
    }
    if (!ret) {
        cfg.once = cli_flag(a, "once");
        cfg.only_source = cli_str(a, "source");
        if (cfg.only_source) {
            kw_err rc = kw_store_source_get(st, cfg.only_source,
                                            source_exists, NULL);

            if (rc == KW_ENOTFOUND)
                ret = cli_err(CLI_FAIL,
                              "no source named '%s' ('kowatch source list' "
                              "shows them)",
                              cfg.only_source);
        }
        if (!ret)
            ret = cli_run_crawl(st, &cfg);
    }
    kw_store_close(st);
    kw_gazetteer_free(g);
    kw_rules_free(r);
    kw_free(archive);
    return ret;
}

const cli_command cmd_crawl = {
    "crawl",
    "[--once] [--source NAME] [--host-delay MS] [--concurrency N]",
    "Poll the sources: once, or on schedule until SIGINT/SIGTERM.",
    crawl_opts,
    0,
    0,
    run_crawl,
    "Every response is archived in WARC files; robots.txt is obeyed and\n"
    "each host gets one request at a time.",
};

static const cli_opt reindex_opts[] = {
    {"archive", 0, OPT_STR, "DIR",
     "WARC archive directory (default: 'archive' beside the database)", 0},
    {"entities", 0, OPT_STR, "FILE",
     "entity gazetteer (default config/entities.yaml)", 0},
    {"rules", 0, OPT_STR, "FILE",
     "stance rules (default config/stances.yaml)", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int run_reindex(const cli_args *a)
{
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    kw_gazetteer *g = NULL;
    kw_rules *r = NULL;
    kw_store *st = NULL;
    char *archive = NULL;
    kw_err rc;
    int ret;

    memset(&stats, 0, sizeof(stats));
    cfg = kw_crawler_config_default();
    archive = cli_str(a, "archive") ? kw_strdup(cli_str(a, "archive"))
                                    : cli_archive_dir();
    if (!archive)
        return cli_err(CLI_FAIL, "out of memory");
    cfg.archive_dir = archive;
    ret = load_analysis(a, &g, &r);
    if (!ret) {
        cfg.gazetteer = g;
        cfg.rules = r;
        ret = cli_open_store(&st);
    }
    if (!ret) {
        rc = kw_crawler_reindex(st, &cfg, &stats);
        if (rc)
            ret = cli_err(CLI_FAIL, "reindex failed: %s",
                          rc == KW_EDB ? kw_store_errmsg(st)
                                       : kw_strerror(rc));
        else
            fprintf(stderr,
                    "kowatch: reindex: %lld pages re-extracted, %lld "
                    "articles changed\n",
                    (long long)stats.fetched, (long long)stats.articles);
        /* Re-analysis may reveal transitions; their alerts are recorded
         * (as backfill when old) and due deliveries made. */
        if (!ret)
            ret = cli_alerts_run(st, g_cli.verbosity < 0);
    }
    kw_store_close(st);
    kw_gazetteer_free(g);
    kw_rules_free(r);
    kw_free(archive);
    return ret;
}

const cli_command cmd_reindex = {
    "reindex",
    "[--archive DIR]",
    "Re-extract every stored page from the archive, without fetching.",
    reindex_opts,
    0,
    0,
    run_reindex,
    NULL,
};
