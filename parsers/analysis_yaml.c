/*
 * Small libyaml helpers for the analysis data files (config/entities.yaml
 * and config/stances.yaml): loading a document with errors reported as
 * "line N: ...", mapping look-ups and scalars.
 */
#include <stdio.h>
#include <string.h>

#include "analysis_int.h"

kw_err kw__an_yaml_load(const char *p, size_t n, yaml_document_t *doc,
                        char *err, size_t err_n)
{
    yaml_parser_t parser;
    kw_err rc = KW_OK;

    memset(doc, 0, sizeof(*doc));
    if (!yaml_parser_initialize(&parser))
        return KW_ENOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)p, n);
    if (!yaml_parser_load(&parser, doc)) {
        if (parser.error == YAML_MEMORY_ERROR) {
            rc = KW_ENOMEM;
        } else {
            if (err && err_n)
                snprintf(err, err_n, "line %lu: YAML syntax error: %s%s%s",
                         (unsigned long)parser.problem_mark.line + 1,
                         parser.problem ? parser.problem : "unknown",
                         parser.context ? " " : "",
                         parser.context ? parser.context : "");
            rc = KW_EPARSE;
        }
    }
    yaml_parser_delete(&parser);
    return rc;
}

kw_err kw__an_yaml_err(const yaml_node_t *nd, char *err, size_t err_n,
                       const char *msg, const char *arg)
{
    if (err && err_n)
        snprintf(err, err_n, "line %lu: %s%s%s%s",
                 nd ? (unsigned long)nd->start_mark.line + 1 : 1UL, msg,
                 arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    return KW_EPARSE;
}

yaml_node_t *kw__an_yaml_get(yaml_document_t *d, yaml_node_t *m,
                             const char *key)
{
    yaml_node_pair_t *pr;

    if (!m || m->type != YAML_MAPPING_NODE)
        return NULL;
    for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(d, pr->key);
        const char *ks = kw__an_yaml_str(k);

        if (ks && strcmp(ks, key) == 0)
            return yaml_document_get_node(d, pr->value);
    }
    return NULL;
}

const char *kw__an_yaml_str(const yaml_node_t *nd)
{
    if (!nd || nd->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)nd->data.scalar.value;
}
