/*
 * Option parsing, help and the small output helpers of the kowatch
 * program.  Options come from each command's table: "--name value",
 * "--name=value", "-x value", flags, and "--" to end options.  Errors say
 * what is wrong and what to type instead, and exit with code 2.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kw/parsers.h"

cli_env g_cli;

int cli_err(int code, const char *fmt, ...)
{
    va_list ap;

    fputs("kowatch: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int cli_usage(const cli_command *c, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "kowatch %s: ", c->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'kowatch %s --help')\n", c->name);
    return CLI_USAGE;
}

/* Levenshtein distance of two short strings, capped at 9. */
static int edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), i, j;
    int row[64], prev, tmp;

    if (na >= 63 || nb >= 63)
        return 9;
    for (j = 0; j <= nb; j++)
        row[j] = (int)j;
    for (i = 1; i <= na; i++) {
        prev = row[0];
        row[0] = (int)i;
        for (j = 1; j <= nb; j++) {
            int best = prev + (a[i - 1] != b[j - 1]);

            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            tmp = row[j];
            row[j] = best;
            prev = tmp;
        }
    }
    return row[nb] > 9 ? 9 : row[nb];
}

static int opt_index(const cli_opt *opts, const char *name, size_t n)
{
    int i;

    for (i = 0; opts && opts[i].name; i++)
        if (strlen(opts[i].name) == n && memcmp(opts[i].name, name, n) == 0)
            return i;
    return -1;
}

static int opt_short_index(const cli_opt *opts, char c)
{
    int i;

    for (i = 0; opts && opts[i].name; i++)
        if (opts[i].short_name && opts[i].short_name == c)
            return i;
    return -1;
}

/* The closest long option to @name, for "did you mean". */
static const char *closest_opt(const cli_opt *opts, const char *name,
                               size_t n)
{
    char buf[64];
    const char *best = NULL;
    int best_d = 3, i;

    if (n >= sizeof(buf))
        return NULL;
    memcpy(buf, name, n);
    buf[n] = '\0';
    for (i = 0; opts && opts[i].name; i++) {
        int d = edit_distance(buf, opts[i].name);

        if (d < best_d) {
            best_d = d;
            best = opts[i].name;
        }
    }
    return best;
}

/* Validates and stores the value @v of option @i. */
static int set_value(const cli_command *c, cli_args *a, int i, const char *v)
{
    const cli_opt *o = &c->opts[i];
    kw_date d;
    kw_err rc;

    a->str[i] = v;
    switch (o->type) {
    case OPT_FLAG:
    case OPT_STR:
        if (o->type == OPT_STR && !*v)
            return cli_usage(c, "--%s needs a non-empty %s", o->name,
                             o->arg);
        return CLI_OK;
    case OPT_UINT:
        rc = kw_parse_u64(v, strlen(v), &a->num[i]);
        if (rc || a->num[i] > o->max)
            return cli_usage(c,
                             "--%s takes a whole number from 0 to %llu, "
                             "not '%s'",
                             o->name, (unsigned long long)o->max, v);
        return CLI_OK;
    case OPT_DURATION:
        rc = kw_parse_duration(v, &a->dur[i]);
        if (rc)
            return cli_usage(c,
                             "--%s takes a duration such as 90s, 10m, 2h "
                             "or 1d, not '%s'",
                             o->name, v);
        return CLI_OK;
    case OPT_DATE:
        rc = kw_date_parse(v, strlen(v), &d);
        if (rc)
            return cli_usage(c,
                             "--%s takes a date such as 2026-01-15 or "
                             "2026-01-15T09:00:00+09:00, not '%s'",
                             o->name, v);
        a->date[i] = d.t;
        a->date_has_time[i] = d.has_time;
        return CLI_OK;
    }
    return CLI_USAGE;
}

int cli_parse(const cli_command *c, int argc, char **argv, cli_args *a,
              int *help)
{
    int i, only_pos = 0;

    memset(a, 0, sizeof(*a));
    a->opts = c->opts;
    *help = 0;
    for (i = 0; i < argc; i++) {
        const char *arg = argv[i], *val = NULL;
        int k, rc;

        if (only_pos || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (a->npos >= CLI_MAX_POS)
                return cli_usage(c, "too many arguments");
            a->pos[a->npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            *help = 1;
            return CLI_OK;
        }
        if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);

            k = opt_index(c->opts, name, n);
            if (k < 0) {
                const char *near = closest_opt(c->opts, name, n);

                if (near)
                    return cli_usage(c,
                                     "unknown option '--%.*s'; did you "
                                     "mean '--%s'?",
                                     (int)n, name, near);
                return cli_usage(c, "unknown option '--%.*s'", (int)n, name);
            }
            if (eq)
                val = eq + 1;
        } else {
            k = opt_short_index(c->opts, arg[1]);
            if (k < 0 || arg[2])
                return cli_usage(c, "unknown option '%s'", arg);
        }
        if (c->opts[k].type == OPT_FLAG) {
            if (val)
                return cli_usage(c, "--%s takes no value", c->opts[k].name);
            a->is_set[k]++;
            continue;
        }
        if (!val) {
            if (i + 1 >= argc)
                return cli_usage(c, "--%s needs a value (%s)",
                                 c->opts[k].name, c->opts[k].arg);
            val = argv[++i];
        }
        a->is_set[k]++;
        rc = set_value(c, a, k, val);
        if (rc)
            return rc;
    }
    if (a->npos < c->min_pos)
        return cli_usage(c, "missing argument: kowatch %s %s", c->name,
                         c->usage);
    if (c->max_pos >= 0 && a->npos > c->max_pos)
        return cli_usage(c, "unexpected argument '%s'", a->pos[c->max_pos]);
    return CLI_OK;
}

void cli_print_help(FILE *f, const cli_command *c)
{
    int i;

    fprintf(f, "Usage: kowatch %s %s\n\n%s\n", c->name, c->usage,
            c->summary);
    if (c->opts && c->opts[0].name) {
        fputs("\nOptions:\n", f);
        for (i = 0; c->opts[i].name; i++) {
            char left[64];
            const cli_opt *o = &c->opts[i];

            if (o->short_name)
                snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name,
                         o->name, o->arg ? " " : "", o->arg ? o->arg : "");
            else
                snprintf(left, sizeof(left), "    --%s%s%s", o->name,
                         o->arg ? " " : "", o->arg ? o->arg : "");
            fprintf(f, "  %-30s %s\n", left, o->help);
        }
    }
    fputs("  -h, --help                     show this help\n", f);
    if (c->details)
        fprintf(f, "\n%s\n", c->details);
}

static int must_index(const cli_args *a, const char *name)
{
    int i = opt_index(a->opts, name, strlen(name));

    assert(i >= 0 && "option not in the command's table");
    return i;
}

int cli_flag(const cli_args *a, const char *name)
{
    return a->is_set[must_index(a, name)] > 0;
}

int cli_has(const cli_args *a, const char *name)
{
    return a->is_set[must_index(a, name)] > 0;
}

const char *cli_str(const cli_args *a, const char *name)
{
    int i = must_index(a, name);

    return a->is_set[i] ? a->str[i] : NULL;
}

uint64_t cli_uint(const cli_args *a, const char *name, uint64_t dflt)
{
    int i = must_index(a, name);

    return a->is_set[i] ? a->num[i] : dflt;
}

int64_t cli_duration(const cli_args *a, const char *name, int64_t dflt)
{
    int i = must_index(a, name);

    return a->is_set[i] ? a->dur[i] : dflt;
}

int64_t cli_date(const cli_args *a, const char *name, int is_upper)
{
    int i = must_index(a, name);

    if (!a->is_set[i])
        return 0;
    if (is_upper && !a->date_has_time[i])
        return a->date[i] + 86400;
    return a->date[i];
}

int cli_open_store(kw_store **out)
{
    char err[512];
    kw_err rc;

    rc = kw_store_open(g_cli.db_path, err, sizeof(err), out);
    if (rc) {
        cli_err(CLI_FAIL, "%s", err);
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cli_puts(const char *s)
{
    if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF)
        return cli_err(CLI_FAIL, "cannot write the output: %s",
                       strerror(errno));
    return CLI_OK;
}

void cli_csv_field(FILE *f, const char *s, int last)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

int cli_stderr_is_tty(void)
{
    return isatty(STDERR_FILENO);
}

char *cli_archive_dir(void)
{
    const char *env = getenv("KOWATCH_ARCHIVE");
    const char *db = g_cli.db_path, *slash;
    kw_buf b;

    if (env && *env)
        return kw_strdup(env);
    kw_buf_init(&b, 4096);
    slash = strrchr(db, '/');
    if (slash)
        kw_buf_add(&b, db, (size_t)(slash - db) + 1);
    kw_buf_adds(&b, "archive");
    return kw_buf_steal(&b);
}
