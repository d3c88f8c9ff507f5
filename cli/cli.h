/*
 * cli.h -- internals of the kowatch program, shared by its files only.
 *
 * Each command is a function taking its arguments after the command name.
 * Options are declared in a table (cli_opt) that drives parsing,
 * validation and the command's --help, so the three never disagree.
 */
#ifndef KW_CLI_H
#define KW_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "kw/common.h"
#include "kw/analysis.h"
#include "kw/store.h"

/* Exit codes of the command-line contract (DESIGN.md). */
#define CLI_OK 0
#define CLI_FAIL 1  /* runtime failure */
#define CLI_USAGE 2 /* usage error */

typedef enum cli_opt_type {
    OPT_FLAG,     /* --json */
    OPT_STR,      /* --source NAME */
    OPT_UINT,     /* --limit N (0 .. max) */
    OPT_DURATION, /* --every 10m */
    OPT_DATE,     /* --since 2026-01-15 */
} cli_opt_type;

typedef struct cli_opt {
    const char *name;  /* long name without dashes; NULL ends a table */
    char short_name;   /* 0 if none */
    cli_opt_type type;
    const char *arg;   /* placeholder in help: "N", "NAME" */
    const char *help;
    uint64_t max;      /* OPT_UINT: largest accepted value */
} cli_opt;

#define CLI_MAX_OPTS 24
#define CLI_MAX_POS 4096 /* extract takes many files at once */

/* Parsed arguments of one command. */
typedef struct cli_args {
    const cli_opt *opts;           /* the command's table */
    int is_set[CLI_MAX_OPTS];      /* times each option was given */
    const char *str[CLI_MAX_OPTS]; /* raw values (borrowed from argv) */
    uint64_t num[CLI_MAX_OPTS];    /* OPT_UINT */
    int64_t dur[CLI_MAX_OPTS];     /* OPT_DURATION, seconds */
    int64_t date[CLI_MAX_OPTS];    /* OPT_DATE, seconds since the epoch */
    int date_has_time[CLI_MAX_OPTS];
    const char *pos[CLI_MAX_POS];  /* positional arguments */
    int npos;
} cli_args;

/* Global state set by main() from the global options. */
typedef struct cli_env {
    const char *db_path; /* --db, $KOWATCH_DB, or ./kowatch.db */
    int verbosity;       /* -1 quiet, 0 default, >0 verbose */
    const char *argv0;
} cli_env;

extern cli_env g_cli;

/* A command: @cmd is its full name for messages ("source add"). */
typedef struct cli_command {
    const char *name;
    const char *usage;   /* "QUERY [options]" */
    const char *summary; /* one line */
    const cli_opt *opts; /* may be NULL */
    int min_pos, max_pos;
    int (*run)(const cli_args *a);
    const char *details; /* extra help text, or NULL */
} cli_command;

/* Parses argv[0..argc) (the arguments after the command name) for @c.
 * Returns CLI_OK, or CLI_USAGE after printing one line that says what is
 * wrong and what to type instead.  --help prints help and sets *help. */
int cli_parse(const cli_command *c, int argc, char **argv, cli_args *a,
              int *help);
void cli_print_help(FILE *f, const cli_command *c);

/* Option values; -1 index means "not in this table" (a programming
 * error, asserted). */
int cli_flag(const cli_args *a, const char *name);
const char *cli_str(const cli_args *a, const char *name);
int cli_has(const cli_args *a, const char *name);
uint64_t cli_uint(const cli_args *a, const char *name, uint64_t dflt);
int64_t cli_duration(const cli_args *a, const char *name, int64_t dflt);
/* A date option as a bound: for --until a bare day means the end of that
 * day (KST), so [since, until) covers whole days. */
int64_t cli_date(const cli_args *a, const char *name, int is_upper);

/* Prints "kowatch: MSG" on stderr.  Returns @code for `return cli_err()`. */
int cli_err(int code, const char *fmt, ...) KW_PRINTF(2, 3);
/* A usage error for command @c: "kowatch CMD: MSG (see 'kowatch CMD
 * --help')"; returns CLI_USAGE. */
int cli_usage(const cli_command *c, const char *fmt, ...) KW_PRINTF(2, 3);

/* Opens the database of g_cli, printing a clear error on failure. */
int cli_open_store(kw_store **out);

/* Writes @s and a newline to stdout; returns CLI_FAIL on a write error
 * (a closed pipe, a full disk). */
int cli_puts(const char *s);
/* Writes a CSV field (RFC 4180 quoting) to @f. */
void cli_csv_field(FILE *f, const char *s, int last);
/* True if stderr is a terminal (progress lines are shown then). */
int cli_stderr_is_tty(void);

/* The archive directory for the current database: $KOWATCH_ARCHIVE, or
 * "archive" beside the database file.  Owned (kw_free). */
char *cli_archive_dir(void);

/* Commands (cmd_*.c). */
extern const cli_command cmd_source_add, cmd_source_list, cmd_source_remove,
    cmd_source_import, cmd_crawl, cmd_reindex, cmd_extract, cmd_articles,
    cmd_search, cmd_demo;
extern const cli_command cmd_analyze;
extern const cli_command cmd_digest, cmd_serve;
extern const cli_command cmd_events, cmd_status, cmd_timeline, cmd_alerts,
    cmd_channel_add, cmd_channel_list, cmd_channel_remove, cmd_watch_add,
    cmd_watch_list, cmd_watch_remove;

/* Shared by source add and the demo: adds every source of a parsed file
 * in one transaction, skipping names already present (reported).
 * Returns CLI_OK or CLI_FAIL after printing why; nothing is added on
 * failure. */
struct kw_source_file;
int cli_import_sources(kw_store *st, const struct kw_source_file *sf,
                       int quiet);

/* Runs `crawl --once` with a progress line; used by crawl and demo. */
struct kw_crawler_config;
int cli_run_crawl(kw_store *st, struct kw_crawler_config *cfg);

/* Prints articles/search results as text (used by the demo too). */
int cli_print_articles(kw_store *st, const kw_article_filter *f);
int cli_print_search(kw_store *st, const char *query, size_t limit);

/* Issue 6 (cmd_events.c, cmd_alerts.c): the status board and the alerts
 * as text (used by the demo too); evaluating the alert rules and
 * delivering what is due, with a summary on stderr unless @quiet. */
int cli_print_status(kw_store *st, int64_t as_of, const char *label);
int cli_print_alerts(kw_store *st, int all);
int cli_alerts_run(kw_store *st, int quiet);

/* Loads the entity gazetteer and the stance rules (config_load.c) from
 * the given files, or (NULL) from config/ of the source tree, then
 * ./config/.  Returns CLI_OK, or CLI_FAIL after printing why ("FILE: line
 * N: ..."); *g and *r are then NULL.  The caller frees both. */
int cli_load_analysis(const char *entities_path, const char *rules_path,
                      kw_gazetteer **g, kw_rules **r);

#endif /* KW_CLI_H */
