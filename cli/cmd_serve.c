/*
 * kowatch serve: the web UI and JSON API (queries/web.c) on loopback by
 * default, until SIGINT or SIGTERM.  A non-loopback address needs
 * --public: the UI has no authentication.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kw/web.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static const cli_opt serve_opts[] = {
    {"listen", 'l', OPT_STR, "ADDR:PORT",
     "address and port (default 127.0.0.1:8080; [::1]:8080 for IPv6)", 0},
    {"public", 0, OPT_FLAG, NULL,
     "allow a non-loopback address (no authentication!)", 0},
    {"threads", 0, OPT_UINT, "N", "worker threads (default 4)", 64},
    {NULL, 0, 0, NULL, NULL, 0},
};

/* Splits "ADDR:PORT", "[V6]:PORT" or ":PORT" into @addr and *port.
 * Returns 0 on a malformed value. */
static int split_listen(const char *s, char *addr, size_t n, uint16_t *port)
{
    const char *colon;
    uint64_t p;
    size_t an;

    if (s[0] == '[') {
        const char *close = strchr(s, ']');

        if (!close || close[1] != ':')
            return 0;
        an = (size_t)(close - s - 1);
        if (an == 0 || an >= n)
            return 0;
        memcpy(addr, s + 1, an);
        addr[an] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return 0;
        an = (size_t)(colon - s);
        if (an >= n)
            return 0;
        memcpy(addr, s, an);
        addr[an] = '\0';
        if (an == 0)
            snprintf(addr, n, "127.0.0.1");
    }
    if (kw_parse_u64(colon + 1, strlen(colon + 1), &p) || p > 65535)
        return 0;
    *port = (uint16_t)p;
    return 1;
}

static int run_serve(const cli_args *a);

const cli_command cmd_serve = {
    "serve",
    "[--listen ADDR:PORT] [--public]",
    "Serve the web UI and JSON API (read-only).",
    serve_opts,
    0,
    0,
    run_serve,
    "Pages: / (search), /status, /entity/ID, /article/ID, /digest/DATE.\n"
    "JSON: /api/search?q=&entity=&source=&since=&until=&limit=,\n"
    "/api/status, /api/events?entity=, /api/articles/ID, /api/digest?date=.\n"
    "Port 0 picks a free port; the address and port are printed.",
};

static int run_serve(const cli_args *a)
{
    const char *listen = cli_str(a, "listen");
    kw_web_config cfg = kw_web_config_default();
    char addr[128], err[512];
    char *archive = cli_archive_dir();
    struct sigaction sa;
    kw_web *w = NULL;
    kw_err rc;

    if (listen && !split_listen(listen, addr, sizeof(addr), &cfg.port)) {
        kw_free(archive);
        return cli_usage(&cmd_serve,
                         "--listen takes ADDR:PORT, e.g. 127.0.0.1:8080");
    }
    if (listen)
        cfg.address = addr;
    cfg.is_public = cli_flag(a, "public");
    cfg.threads = (unsigned)cli_uint(a, "threads", 4);
    cfg.db_path = g_cli.db_path;
    cfg.archive_dir = archive;
    rc = kw_web_start(&cfg, err, sizeof(err), &w);
    kw_free(archive);
    if (rc == KW_EDENIED || rc == KW_EINVAL)
        return cli_usage(&cmd_serve, "%s", err);
    if (rc)
        return cli_err(CLI_FAIL, "%s", err);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("kowatch: serving http://%s%s%s:%u/ (Ctrl-C stops)\n",
           strchr(cfg.address, ':') ? "[" : "", cfg.address,
           strchr(cfg.address, ':') ? "]" : "", (unsigned)kw_web_port(w));
    fflush(stdout);
    while (!g_stop)
        sleep(1); /* interrupted by the signal */
    kw_web_stop(w);
    return CLI_OK;
}
