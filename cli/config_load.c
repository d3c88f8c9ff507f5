/*
 * Loading the analysis data for commands: the entity gazetteer and the
 * stance rules, from --entities / --rules or, by default, config/ of the
 * source tree this binary was built from (then ./config/), as the demo
 * finds its snapshot.
 */
#include <sys/stat.h>

#include "cli.h"
#include "kw/analysis.h"

/* The first of @candidates that is a regular file, or NULL. */
static const char *find_default(const char *const *candidates, size_t n)
{
    struct stat sb;
    size_t i;

    for (i = 0; i < n; i++)
        if (stat(candidates[i], &sb) == 0 && S_ISREG(sb.st_mode))
            return candidates[i];
    return NULL;
}

int cli_load_analysis(const char *entities_path, const char *rules_path,
                      kw_gazetteer **g, kw_rules **r)
{
    static const char *const ent_default[] = {
        KW_SOURCE_DIR "/config/entities.yaml", "config/entities.yaml"};
    static const char *const rules_default[] = {
        KW_SOURCE_DIR "/config/stances.yaml", "config/stances.yaml"};
    char err[256] = "", *buf = NULL;
    size_t n = 0;
    kw_err rc;

    *g = NULL;
    *r = NULL;
    if (!entities_path)
        entities_path = find_default(ent_default, 2);
    if (!rules_path)
        rules_path = find_default(rules_default, 2);
    if (!entities_path)
        return cli_err(CLI_FAIL, "cannot find config/entities.yaml; "
                                 "give one with --entities FILE");
    if (!rules_path)
        return cli_err(CLI_FAIL, "cannot find config/stances.yaml; "
                                 "give one with --rules FILE");
    rc = kw_read_file(entities_path, KW_MAX_BODY, &buf, &n);
    if (rc)
        return cli_err(CLI_FAIL, "%s: %s", entities_path, kw_strerror(rc));
    rc = kw_gazetteer_parse(buf, n, err, sizeof(err), g);
    kw_free(buf);
    if (rc)
        return cli_err(CLI_FAIL, "%s: %s", entities_path,
                       err[0] ? err : kw_strerror(rc));
    rc = kw_read_file(rules_path, KW_MAX_BODY, &buf, &n);
    if (rc) {
        kw_gazetteer_free(*g);
        *g = NULL;
        return cli_err(CLI_FAIL, "%s: %s", rules_path, kw_strerror(rc));
    }
    rc = kw_rules_parse(buf, n, err, sizeof(err), r);
    kw_free(buf);
    if (rc) {
        kw_gazetteer_free(*g);
        *g = NULL;
        return cli_err(CLI_FAIL, "%s: %s", rules_path,
                       err[0] ? err : kw_strerror(rc));
    }
    return CLI_OK;
}
