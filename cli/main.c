/*
 * kowatch -- the command-line program: global options, the command table
 * and the log sink.  It parses, dispatches and prints; the work happens in
 * the libraries (DESIGN.md, "Command line").
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kw/crawler.h"
#include "kw/parsers.h"
#include "kw/queries.h"

static const cli_command *const commands[] = {
    &cmd_source_add, &cmd_source_list, &cmd_source_remove, &cmd_source_import,
    &cmd_crawl,      &cmd_reindex,     &cmd_extract,       &cmd_articles,
    &cmd_search,     &cmd_demo,
    &cmd_analyze,
    &cmd_events, &cmd_status, &cmd_timeline, &cmd_alerts,
    &cmd_channel_add, &cmd_channel_list, &cmd_channel_remove,
    &cmd_watch_add, &cmd_watch_list, &cmd_watch_remove,
    &cmd_digest, &cmd_serve,
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void log_sink(kw_log_level level, const char *module, const char *msg,
                     void *ud)
{
    (void)ud;
    fprintf(stderr, "kowatch: %s: %s: %s\n", kw_log_level_name(level),
            module, msg);
}

static void usage(FILE *f)
{
    size_t i;

    fputs("Usage: kowatch [--db PATH] [-v|-q] COMMAND [ARGS...]\n\n"
          "kowatch watches Korean news sites and ministry boards, keeps\n"
          "every page it fetched, extracts the articles and lets you "
          "search them.\n\nCommands:\n",
          f);
    for (i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-16s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\nGlobal options:\n"
          "  --db PATH        the database (default $KOWATCH_DB or "
          "./kowatch.db)\n"
          "  -v, --verbose    more log output (repeat for more)\n"
          "  -q, --quiet      errors only\n"
          "  --version        print the version\n"
          "  -h, --help       this help; 'kowatch COMMAND --help' for a "
          "command\n",
          f);
}

/* Finds the command named by argv[0] (and argv[1] for two-word commands
 * such as "source add"); *used receives how many words it took. */
static const cli_command *find_command(int argc, char **argv, int *used)
{
    size_t i;
    char two[128];

    if (argc >= 2) {
        snprintf(two, sizeof(two), "%s %s", argv[0], argv[1]);
        for (i = 0; i < N_COMMANDS; i++) {
            if (strcmp(commands[i]->name, two) == 0) {
                *used = 2;
                return commands[i];
            }
        }
    }
    for (i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i]->name, argv[0]) == 0) {
            *used = 1;
            return commands[i];
        }
    }
    return NULL;
}

/* The message for an unknown command, with the group's subcommands when
 * the first word names a group ("source"). */
static int unknown_command(int argc, char **argv)
{
    size_t i, glen = strlen(argv[0]);
    int is_group = 0;
    char subs[256] = "";

    for (i = 0; i < N_COMMANDS; i++) {
        const char *n = commands[i]->name;

        if (strncmp(n, argv[0], glen) == 0 && n[glen] == ' ') {
            is_group = 1;
            if (strlen(subs) + strlen(n) + 4 < sizeof(subs)) {
                if (subs[0])
                    strncat(subs, ", ", sizeof(subs) - strlen(subs) - 1);
                strncat(subs, n + glen + 1, sizeof(subs) - strlen(subs) - 1);
            }
        }
    }
    if (is_group) {
        if (argc < 2)
            return cli_err(CLI_USAGE,
                           "'%s' needs a subcommand: %s (see 'kowatch "
                           "--help')",
                           argv[0], subs);
        return cli_err(CLI_USAGE,
                       "unknown command '%s %s'; '%s' takes %s (see "
                       "'kowatch --help')",
                       argv[0], argv[1], argv[0], subs);
    }
    return cli_err(CLI_USAGE,
                   "unknown command '%s' (see 'kowatch --help' for the "
                   "list of commands)",
                   argv[0]);
}

int main(int argc, char **argv)
{
    const cli_command *c;
    cli_args a;
    int i = 1, used = 0, help = 0, rc;
    const char *env_db = getenv("KOWATCH_DB");
    kw_log_level level;

    /* libcurl converts international host names to punycode only under
     * a UTF-8 character type; everything kowatch handles is UTF-8. */
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "");
    g_cli.argv0 = argv[0];
    g_cli.db_path = env_db && *env_db ? env_db : "kowatch.db";
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *o = argv[i];

        if (strcmp(o, "--version") == 0) {
            printf("kowatch %s\n", KW_VERSION);
            return CLI_OK;
        } else if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout);
            return CLI_OK;
        } else if (strcmp(o, "--db") == 0) {
            if (i + 1 >= argc || !argv[i + 1][0])
                return cli_err(CLI_USAGE, "--db needs a file name "
                                          "(see 'kowatch --help')");
            g_cli.db_path = argv[++i];
        } else if (strncmp(o, "--db=", 5) == 0 && o[5]) {
            g_cli.db_path = o + 5;
        } else if (strcmp(o, "-v") == 0 || strcmp(o, "--verbose") == 0) {
            g_cli.verbosity++;
        } else if (strcmp(o, "-vv") == 0) {
            g_cli.verbosity += 2;
        } else if (strcmp(o, "-q") == 0 || strcmp(o, "--quiet") == 0) {
            g_cli.verbosity = -1;
        } else {
            return cli_err(CLI_USAGE,
                           "unknown option '%s' (global options: --db, -v, "
                           "-q, --version, --help; see 'kowatch --help')",
                           o);
        }
    }
    if (i >= argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    c = find_command(argc - i, argv + i, &used);
    if (!c)
        return unknown_command(argc - i, argv + i);

    level = g_cli.verbosity < 0    ? KW_LOG_ERROR
            : g_cli.verbosity == 0 ? KW_LOG_WARN
            : g_cli.verbosity == 1 ? KW_LOG_INFO
            : g_cli.verbosity == 2 ? KW_LOG_DEBUG
                                   : KW_LOG_TRACE;
    kw_log_set_sink(log_sink, NULL, level);
    kw_parsers_global_init();
    kw_queries_global_init();

    rc = cli_parse(c, argc - i - used, argv + i + used, &a, &help);
    if (rc)
        return rc;
    if (help) {
        cli_print_help(stdout, c);
        return CLI_OK;
    }
    if (kw_crawler_global_init())
        return cli_err(CLI_FAIL, "cannot initialise libcurl");
    rc = c->run(&a);
    kw_crawler_global_cleanup();
    if (fflush(stdout) == EOF && rc == CLI_OK)
        rc = cli_err(CLI_FAIL, "cannot write the output");
    return rc;
}
