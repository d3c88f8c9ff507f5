/*
 * Logging (wget2 wget_logger, curl infof/failf): modules call kw_log(), the
 * program installs a sink.  Formatting is skipped for filtered levels.
 */
#include <stdio.h>

#include "kw/common.h"

static kw_log_sink log_sink;
static void *log_ud;
static kw_log_level log_max = KW_LOG_WARN;

void kw_log_set_sink(kw_log_sink sink, void *ud, kw_log_level max)
{
    log_sink = sink;
    log_ud = ud;
    log_max = max;
}

kw_log_level kw_log_level_max(void)
{
    return log_max;
}

const char *kw_log_level_name(kw_log_level level)
{
    static const char *const names[] = {"error", "warning", "info", "debug",
                                        "trace"};

    if ((unsigned)level < sizeof(names) / sizeof(names[0]))
        return names[level];
    return "log";
}

void kw_log(kw_log_level level, const char *module, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (!log_sink || level > log_max)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap); /* truncation is acceptable */
    va_end(ap);
    log_sink(level, module, msg, log_ud);
}
