/*
 * kowatch alerts | channel add/list/remove | watch add/list/remove: the
 * alerts kowatch raised (re-entry announcements and saved searches),
 * where they are delivered, and the saved searches that raise them.
 * Detection and delivery live in queries/ (kw/alerts.h); this file parses
 * and prints.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "kw/alerts.h"
#include "kw/queries.h"

/* ---- Evaluating and delivering (shared with crawl and demo) -------------- */

int cli_alerts_run(kw_store *st, int quiet)
{
    kw_alerts_config ac = kw_alerts_config_default();
    kw_deliver_config dc = kw_deliver_config_default();
    kw_deliver_stats ds;
    size_t n_new = 0;
    kw_err rc;

    rc = kw_alerts_evaluate(st, &ac, &n_new);
    if (rc)
        return cli_err(CLI_FAIL, "alerts: %s",
                       rc == KW_ENOMEM ? kw_strerror(rc)
                                       : kw_store_errmsg(st));
    rc = kw_alerts_deliver(st, &dc, &ds);
    if (rc)
        return cli_err(CLI_FAIL, "alert delivery: %s",
                       rc == KW_ENOMEM ? kw_strerror(rc)
                                       : kw_store_errmsg(st));
    if (!quiet && (n_new || ds.attempted))
        fprintf(stderr,
                "kowatch: alerts: %zu new; deliveries: %zu sent, %zu to "
                "retry, %zu failed\n",
                n_new, ds.delivered, ds.retrying, ds.failed);
    return CLI_OK;
}

/* ---- alerts ------------------------------------------------------------- */

static const cli_opt alerts_opts[] = {
    {"all", 'a', OPT_FLAG, NULL,
     "include backfill (events already old when first seen)", 0},
    {"check", 0, OPT_FLAG, NULL,
     "evaluate the rules and deliver what is due before listing", 0},
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

typedef struct alert_ctx {
    kw_store *st;
    int n;
} alert_ctx;

static kw_err delivery_line(const kw_delivery_rec *d, void *ud)
{
    char when[32];

    (void)ud;
    kw_query_time(d->delivered_at, KW_KST_OFFSET_MIN, when);
    printf("        -> %s %s: %s", d->channel_kind ? d->channel_kind : "?",
           d->channel_target ? d->channel_target : "(removed)", d->state);
    if (when[0])
        printf(" at %s", when);
    if (d->attempts)
        printf(" (%d attempt%s)", d->attempts, d->attempts == 1 ? "" : "s");
    if (d->last_error && strcmp(d->state, "delivered") != 0)
        printf(": %s", d->last_error);
    printf("\n");
    return KW_OK;
}

static kw_err alert_line(const kw_alert_rec *a, void *ud)
{
    alert_ctx *c = ud;
    char day[32];

    c->n++;
    kw_query_time(a->date, a->date_offset, day);
    if (day[0])
        day[10] = '\0';
    if (strcmp(a->kind, "search") == 0)
        printf("#%-4lld %s  search '%s'%s\n", (long long)a->id, day,
               a->search_name ? a->search_name : "?",
               a->is_backfill ? "  [backfill]" : "");
    else
        printf("#%-4lld %s  %s: %s -> %s%s\n", (long long)a->id, day,
               a->kind, a->entity_name ? a->entity_name : "?",
               a->stance ? a->stance : "?",
               a->is_backfill ? "  [backfill]" : "");
    printf("        \"%s\"\n        %s\n", a->sentence ? a->sentence : "",
           a->url ? a->url : "");
    return kw_store_delivery_each(c->st, a->id, delivery_line, NULL);
}

int cli_print_alerts(kw_store *st, int all)
{
    alert_ctx c = {st, 0};
    kw_err rc = kw_store_alert_each(st, all, alert_line, &c);

    if (rc)
        return cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    if (c.n == 0)
        printf("no alerts%s\n",
               all ? "" : " (--all also lists backfill alerts)");
    return CLI_OK;
}

static int run_alerts(const cli_args *a)
{
    kw_store *st = NULL;
    int ret;

    ret = cli_open_store(&st);
    if (ret)
        return ret;
    if (cli_flag(a, "check"))
        ret = cli_alerts_run(st, cli_flag(a, "json"));
    if (!ret && cli_flag(a, "json")) {
        char *json = NULL;
        kw_err rc = kw_alerts_json(st, cli_flag(a, "all"), &json);

        ret = rc ? cli_err(CLI_FAIL, "%s", kw_store_errmsg(st))
                 : cli_puts(json);
        kw_free(json);
    } else if (!ret) {
        ret = cli_print_alerts(st, cli_flag(a, "all"));
    }
    kw_store_close(st);
    return ret;
}

const cli_command cmd_alerts = {
    "alerts",
    "[--all] [--check] [--json]",
    "List alerts (re-entry announcements, saved searches) and deliveries.",
    alerts_opts,
    0,
    0,
    run_alerts,
    "An entity whose history holds an elimination or a decline and that\n"
    "announces it enters again raises one re-entry alert, however many\n"
    "copies of the story arrive.  Alerts about events older than 3 days\n"
    "when first seen are backfill: listed with --all, never delivered.",
};

/* ---- channel add / list / remove ----------------------------------------- */

static const cli_opt channel_add_opts[] = {
    {"smtp", 0, OPT_STR, "URL",
     "email: the SMTP server, smtp://host:port or smtps://...", 0},
    {"from", 0, OPT_STR, "ADDR",
     "email: the sender address (default kowatch@localhost)", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int run_channel_add(const cli_args *a)
{
    const char *kind = a->pos[0], *target = a->pos[1];
    const char *smtp = cli_str(a, "smtp");
    kw_channel_rec c;
    kw_store *st = NULL;
    char *options = NULL;
    int64_t id = 0;
    kw_err rc;
    int ret;

    if (!*target)
        return cli_usage(&cmd_channel_add, "the target is empty");
    if (strcmp(kind, "webhook") == 0) {
        if (!starts_with(target, "http://") &&
            !starts_with(target, "https://"))
            return cli_usage(&cmd_channel_add,
                             "a webhook needs an http:// or https:// URL");
    } else if (strcmp(kind, "email") == 0) {
        if (!strchr(target, '@'))
            return cli_usage(&cmd_channel_add,
                             "'%s' is not an e-mail address", target);
        if (!smtp)
            return cli_usage(&cmd_channel_add,
                             "email needs --smtp URL (e.g. "
                             "smtp://mail.example.org:25)");
        if (!starts_with(smtp, "smtp://") && !starts_with(smtp, "smtps://"))
            return cli_usage(&cmd_channel_add,
                             "--smtp takes an smtp:// or smtps:// URL");
    } else if (strcmp(kind, "exec") != 0) {
        return cli_usage(&cmd_channel_add,
                         "unknown channel kind '%s' (webhook, email or "
                         "exec)",
                         kind);
    }
    if (strcmp(kind, "email") != 0 && (smtp || cli_str(a, "from")))
        return cli_usage(&cmd_channel_add,
                         "--smtp and --from are for email channels");
    if (strcmp(kind, "email") == 0) {
        rc = kw_alerts_email_options(smtp, cli_str(a, "from"), &options);
        if (rc)
            return cli_err(CLI_FAIL, "%s", kw_strerror(rc));
    }
    ret = cli_open_store(&st);
    if (!ret) {
        memset(&c, 0, sizeof(c));
        c.kind = kind;
        c.target = target;
        c.options = options;
        rc = kw_store_channel_add(st, &c, &id);
        if (rc)
            ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
        else
            printf("channel %lld: %s %s\n", (long long)id, kind, target);
    }
    kw_store_close(st);
    kw_free(options);
    return ret;
}

const cli_command cmd_channel_add = {
    "channel add",
    "webhook URL | email ADDR --smtp URL [--from ADDR] | exec CMD",
    "Deliver new alerts to a webhook, an e-mail address or a command.",
    channel_add_opts,
    2,
    2,
    run_channel_add,
    "webhook: POST of the alert as JSON.  email: a text and HTML message\n"
    "through the SMTP server.  exec: CMD runs under /bin/sh with the alert\n"
    "JSON on stdin; exit status 0 means delivered.  Failed deliveries are\n"
    "retried with exponential backoff.",
};

static const cli_opt channel_list_opts[] = {
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static kw_err channel_line(const kw_channel_rec *c, void *ud)
{
    json_t *arr = ud;

    if (arr) {
        json_t *o = json_object();

        if (!o)
            return KW_ENOMEM;
        json_object_set_new(o, "id", json_integer(c->id));
        json_object_set_new(o, "kind", json_string(c->kind));
        json_object_set_new(o, "target", json_string(c->target));
        json_object_set_new(o, "options",
                            c->options ? json_loads(c->options, 0, NULL)
                                       : json_null());
        return json_array_append_new(arr, o) ? KW_ENOMEM : KW_OK;
    }
    printf("%4lld  %-8s %s\n", (long long)c->id, c->kind, c->target);
    return KW_OK;
}

static int run_channel_list(const cli_args *a)
{
    json_t *doc = NULL, *arr = NULL;
    kw_store *st = NULL;
    kw_err rc;
    int ret;

    ret = cli_open_store(&st);
    if (ret)
        return ret;
    if (cli_flag(a, "json")) {
        doc = json_object();
        arr = json_array();
        if (!doc || !arr) {
            json_decref(doc);
            json_decref(arr);
            kw_store_close(st);
            return cli_err(CLI_FAIL, "out of memory");
        }
    }
    rc = kw_store_channel_each(st, channel_line, arr);
    if (rc) {
        ret = cli_err(CLI_FAIL, "%s", rc == KW_ENOMEM ? kw_strerror(rc)
                                                      : kw_store_errmsg(st));
        json_decref(arr);
    } else if (doc) {
        char *s;

        json_object_set_new(doc, "channels", arr);
        s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        ret = s ? cli_puts(s) : cli_err(CLI_FAIL, "out of memory");
        kw_free(s);
    }
    json_decref(doc);
    kw_store_close(st);
    return ret;
}

const cli_command cmd_channel_list = {
    "channel list",
    "[--json]",
    "List alert channels.",
    channel_list_opts,
    0,
    0,
    run_channel_list,
    NULL,
};

static int run_channel_remove(const cli_args *a)
{
    uint64_t id = 0;
    kw_store *st = NULL;
    kw_err rc;
    int ret;

    if (kw_parse_u64(a->pos[0], strlen(a->pos[0]), &id) || id == 0 ||
        id > INT64_MAX)
        return cli_usage(&cmd_channel_remove,
                         "'%s' is not a channel id ('kowatch channel list' "
                         "shows them)",
                         a->pos[0]);
    ret = cli_open_store(&st);
    if (ret)
        return ret;
    rc = kw_store_channel_remove(st, (int64_t)id);
    if (rc == KW_ENOTFOUND)
        ret = cli_err(CLI_FAIL,
                      "no channel %s ('kowatch channel list' shows them)",
                      a->pos[0]);
    else if (rc)
        ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    else
        printf("channel %s removed\n", a->pos[0]);
    kw_store_close(st);
    return ret;
}

const cli_command cmd_channel_remove = {
    "channel remove",
    "ID",
    "Remove an alert channel and its pending deliveries.",
    NULL,
    1,
    1,
    run_channel_remove,
    NULL,
};

/* ---- watch add / list / remove (saved searches) -------------------------- */

static int run_watch_add(const cli_args *a)
{
    char err[256], *match = NULL;
    kw_store *st = NULL;
    kw_err rc;
    int ret;

    rc = kw_query_compile(a->pos[1], err, sizeof(err), &match);
    kw_free(match);
    if (rc == KW_EINVAL)
        return cli_usage(&cmd_watch_add, "invalid query: %s", err);
    if (rc)
        return cli_err(CLI_FAIL, "%s", kw_strerror(rc));
    ret = cli_open_store(&st);
    if (ret)
        return ret;
    rc = kw_store_saved_search_add(st, a->pos[0], a->pos[1], NULL);
    if (rc)
        ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    else
        printf("saved search '%s': %s\n", a->pos[0], a->pos[1]);
    kw_store_close(st);
    return ret;
}

const cli_command cmd_watch_add = {
    "watch add",
    "NAME QUERY",
    "Save a search; each new matching story raises an alert.",
    NULL,
    2,
    2,
    run_watch_add,
    "QUERY uses the syntax of 'kowatch search'.  Copies of one story (one\n"
    "cluster) raise one alert.",
};

static kw_err watch_line(const kw_saved_search_rec *s, void *ud)
{
    (void)ud;
    printf("%-20s %s\n", s->name, s->query);
    return KW_OK;
}

static int run_watch_list(const cli_args *a)
{
    kw_store *st = NULL;
    kw_err rc;
    int ret;

    (void)a;
    ret = cli_open_store(&st);
    if (ret)
        return ret;
    rc = kw_store_saved_search_each(st, watch_line, NULL);
    if (rc)
        ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    kw_store_close(st);
    return ret;
}

const cli_command cmd_watch_list = {
    "watch list", "", "List saved searches.", NULL, 0, 0, run_watch_list, NULL,
};

static int run_watch_remove(const cli_args *a)
{
    kw_store *st = NULL;
    kw_err rc;
    int ret;

    ret = cli_open_store(&st);
    if (ret)
        return ret;
    rc = kw_store_saved_search_remove(st, a->pos[0]);
    if (rc == KW_ENOTFOUND)
        ret = cli_err(CLI_FAIL, "no saved search '%s'", a->pos[0]);
    else if (rc)
        ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    else
        printf("saved search '%s' removed\n", a->pos[0]);
    kw_store_close(st);
    return ret;
}

const cli_command cmd_watch_remove = {
    "watch remove", "NAME", "Remove a saved search.", NULL, 1, 1,
    run_watch_remove, NULL,
};
