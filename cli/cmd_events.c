/*
 * kowatch events | status | timeline: participation decisions found in
 * the coverage -- every stance event with its evidence, the status board
 * (now or as of a past date) and one entity's history, as text or as the
 * JSON documents of DESIGN.md.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "kw/queries.h"

/* The day of a stored time, "2026-02-10", or "" for 0. */
static void day_of(int64_t t, int offset_min, char out[32])
{
    kw_query_time(t, offset_min, out);
    if (out[0])
        out[10] = '\0';
}

/* Prints @s on one line, newlines folded, indented by @indent. */
static void print_evidence(const char *s, int indent)
{
    printf("%*s\"", indent, "");
    for (; s && *s; s++)
        fputc(*s == '\n' ? ' ' : *s, stdout);
    printf("\"\n");
}

/* ---- events ------------------------------------------------------------- */

static const cli_opt events_opts[] = {
    {"entity", 'e', OPT_STR, "ID", "only this entity's events", 0},
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static kw_err event_line(const kw_event_rec *e, void *ud)
{
    char day[32], pub[32];
    int *n = ud;

    (*n)++;
    day_of(e->event_at, e->event_offset, day);
    day_of(e->published_at, e->published_offset, pub);
    printf("%-10s  %-16s %-12s (reported %s, %s)\n", day, e->entity_id,
           e->stance, pub[0] ? pub : "?", e->source ? e->source : "-");
    print_evidence(e->sentence, 12);
    printf("            %s\n", e->url ? e->url : "");
    return KW_OK;
}

static int run_events(const cli_args *a)
{
    const char *entity = cli_str(a, "entity");
    kw_event_filter f;
    kw_store *st = NULL;
    kw_err rc;
    int ret, n = 0;

    ret = cli_open_store(&st);
    if (ret)
        return ret;
    if (cli_flag(a, "json")) {
        char *json = NULL;

        rc = kw_query_events_json(st, entity, &json);
        ret = rc ? cli_err(CLI_FAIL, "%s", kw_store_errmsg(st))
                 : cli_puts(json);
        kw_free(json);
    } else {
        memset(&f, 0, sizeof(f));
        f.entity = entity;
        rc = kw_store_event_each(st, &f, event_line, &n);
        if (rc)
            ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
        else if (n == 0)
            printf("no stance events%s\n",
                   entity ? " for this entity" : " yet");
    }
    kw_store_close(st);
    return ret;
}

const cli_command cmd_events = {
    "events",
    "[--entity ID] [--json]",
    "List participation decisions (stance events) with their evidence.",
    events_opts,
    0,
    0,
    run_events,
    "Each event has an event date (the date the sentence reports, else the\n"
    "article's published date) and the sentence that states it.",
};

/* ---- status ------------------------------------------------------------- */

static const cli_opt status_opts[] = {
    {"as-of", 0, OPT_DATE, "DATE",
     "the board as it stood at the end of DATE (KST day)", 0},
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static kw_err status_line(const kw_status_row *r, void *ud)
{
    char since[32], last[32], who[96];

    (void)ud;
    snprintf(who, sizeof(who), "%s", r->entity_id);
    if (!r->stance) {
        printf("%-16s %-12s %s\n", who, "-", r->name ? r->name : "");
        return KW_OK;
    }
    day_of(r->since, r->since_offset, since);
    day_of(r->last, r->last_offset, last);
    printf("%-16s %-12s since %s%s%s%s  %s\n", who, r->stance, since,
           strcmp(since, last) != 0 ? " (last reported " : "",
           strcmp(since, last) != 0 ? last : "",
           strcmp(since, last) != 0 ? ")" : "", r->name ? r->name : "");
    print_evidence(r->sentence, 17);
    printf("%17s%s\n", "", r->url ? r->url : "");
    return KW_OK;
}

int cli_print_status(kw_store *st, int64_t as_of, const char *label)
{
    kw_err rc;

    printf("Status as of %s\n\n", label ? label : "now");
    rc = kw_query_status(st, as_of, status_line, NULL);
    if (rc)
        return cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    return CLI_OK;
}

static int run_status(const cli_args *a)
{
    int64_t as_of = cli_date(a, "as-of", 1);
    const char *label = cli_str(a, "as-of");
    kw_store *st = NULL;
    int ret;

    ret = cli_open_store(&st);
    if (ret)
        return ret;
    if (cli_flag(a, "json")) {
        char *json = NULL;
        kw_err rc = kw_query_status_json(st, as_of, label, &json);

        ret = rc ? cli_err(CLI_FAIL, "%s", kw_store_errmsg(st))
                 : cli_puts(json);
        kw_free(json);
    } else {
        ret = cli_print_status(st, as_of, label);
    }
    kw_store_close(st);
    return ret;
}

const cli_command cmd_status = {
    "status",
    "[--as-of DATE] [--json]",
    "Show each entity's participation status (latest stance by event date).",
    status_opts,
    0,
    0,
    run_status,
    "A restated old result (a later article recalling an elimination) never\n"
    "undoes a later decision: events count by the date they happened.\n"
    "--as-of counts only events dated and reported by the end of DATE.",
};

/* ---- timeline ----------------------------------------------------------- */

static const cli_opt timeline_opts[] = {
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

/* Prints a timeline document (kw_query_timeline_json) as text. */
static void print_timeline(json_t *doc)
{
    const char *prev = NULL;
    json_t *e;
    size_t i;

    printf("%s (%s): %s\n\n",
           json_string_value(json_object_get(doc, "name")),
           json_string_value(json_object_get(doc, "entity")),
           json_is_string(json_object_get(doc, "stance"))
               ? json_string_value(json_object_get(doc, "stance"))
               : "no stance yet");
    json_array_foreach(json_object_get(doc, "events"), i, e)
    {
        const char *date = json_string_value(json_object_get(e, "date"));
        const char *stance = json_string_value(json_object_get(e, "stance"));
        const char *url = json_string_value(json_object_get(e, "url"));
        int change = json_is_true(json_object_get(e, "change"));

        printf("%.10s  %s %s%s%s\n", date ? date : "?         ",
               change ? "*" : " ", change && prev ? prev : "",
               change && prev ? " -> " : "", stance ? stance : "?");
        print_evidence(json_string_value(json_object_get(e, "sentence")),
                       14);
        printf("              %s\n", url ? url : "");
        if (change)
            prev = stance;
    }
    printf("\n* marks a change of status (decided per day: the later report "
           "wins).\n");
}

static int run_timeline(const cli_args *a)
{
    const char *entity = a->pos[0];
    kw_store *st = NULL;
    char *json = NULL;
    kw_err rc;
    int ret;

    ret = cli_open_store(&st);
    if (ret)
        return ret;
    rc = kw_query_timeline_json(st, entity, &json);
    if (rc == KW_ENOTFOUND) {
        ret = cli_err(CLI_FAIL,
                      "no entity '%s' in the database ('kowatch status' "
                      "lists them)",
                      entity);
    } else if (rc) {
        ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    } else if (cli_flag(a, "json")) {
        ret = cli_puts(json);
    } else {
        json_t *doc = json_loads(json, 0, NULL);

        if (!doc) {
            ret = cli_err(CLI_FAIL, "out of memory");
        } else {
            print_timeline(doc);
            json_decref(doc);
        }
    }
    kw_free(json);
    kw_store_close(st);
    return ret;
}

const cli_command cmd_timeline = {
    "timeline",
    "ENTITY [--json]",
    "Show one entity's stance history, status changes marked.",
    timeline_opts,
    1,
    1,
    run_timeline,
    NULL,
};
