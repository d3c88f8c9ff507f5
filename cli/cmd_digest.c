/*
 * kowatch digest: the daily digest of one KST day (queries/digest.c) as
 * Markdown (default), HTML or JSON, to stdout or --out FILE, or --send
 * through the configured e-mail channels (text and HTML parts).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kw/digest.h"

static const cli_opt digest_opts[] = {
    {"date", 'd', OPT_STR, "DATE", "the day (KST), 2026-02-10; default today",
     0},
    {"format", 'f', OPT_STR, "md|html|json", "output format (default md)", 0},
    {"out", 'o', OPT_STR, "FILE", "write to FILE instead of stdout", 0},
    {"send", 0, OPT_FLAG, NULL, "send it through the e-mail channels", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

static int run_digest(const cli_args *a);

const cli_command cmd_digest = {
    "digest",
    "[--date D] [--format md|html|json] [--out FILE] [--send]",
    "The daily digest: status changes, stories, counts, a 30-day chart.",
    digest_opts,
    0,
    0,
    run_digest,
    "Status changes come first, then one line per story (copies of a story\n"
    "are one story, with all its outlets), grouped by entity, then counts\n"
    "per source and entity and each entity's article volume over 30 days.\n"
    "--send mails it (text and HTML) to every e-mail channel\n"
    "('kowatch channel add email ADDR --smtp URL').",
};

/* Writes @s to @path atomically enough for a report: a whole file or an
 * error. */
static int write_file(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    size_t n = strlen(s);

    if (!f)
        return cli_err(CLI_FAIL, "cannot write %s: %s", path,
                       strerror(errno));
    if (fwrite(s, 1, n, f) != n || fclose(f) != 0)
        return cli_err(CLI_FAIL, "cannot write %s: %s", path,
                       strerror(errno));
    return CLI_OK;
}

static int run_digest(const cli_args *a)
{
    const char *date = cli_str(a, "date"), *fmt_s = cli_str(a, "format");
    const char *out = cli_str(a, "out");
    kw_digest_format fmt = KW_DIGEST_MD;
    kw_store *st = NULL;
    char *doc = NULL, err[256];
    int64_t day;
    kw_err rc;
    int ret;

    if (date && kw_digest_day_parse(date, &day))
        return cli_usage(&cmd_digest, "--date takes a day such as "
                                      "2026-02-10 (KST)");
    if (!date)
        day = kw_digest_day_of(kw_now());
    if (fmt_s && kw_digest_format_parse(fmt_s, &fmt))
        return cli_usage(&cmd_digest, "--format takes md, html or json");
    ret = cli_open_store(&st);
    if (ret)
        return ret;
    if (cli_flag(a, "send")) {
        size_t n = 0;

        rc = kw_digest_send(st, day, 0, err, sizeof(err), &n);
        if (rc == KW_ENOTFOUND)
            ret = cli_err(CLI_FAIL, "no e-mail channel to send to (add one "
                                    "with 'kowatch channel add email ADDR "
                                    "--smtp URL')");
        else if (rc == KW_ENET)
            ret = cli_err(CLI_FAIL, "%s", err);
        else if (rc)
            ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
        else if (g_cli.verbosity >= 0)
            fprintf(stderr, "kowatch: digest sent to %zu channel%s\n", n,
                    n == 1 ? "" : "s");
        if (ret || (!out && !fmt_s)) {
            kw_store_close(st);
            return ret;
        }
    }
    rc = kw_digest_render(st, day, fmt, &doc);
    if (rc)
        ret = cli_err(CLI_FAIL, "%s", kw_store_errmsg(st));
    else if (out)
        ret = write_file(out, doc);
    else
        ret = fputs(doc, stdout) == EOF
                  ? cli_err(CLI_FAIL, "cannot write the output")
                  : CLI_OK;
    kw_free(doc);
    kw_store_close(st);
    return ret;
}
