/*
 * kowatch analyze [FILE|-]: analyses plain Korean text (a file, or standard
 * input) and prints its sentences with the entities each names and the
 * participation stances it states, as text or as the JSON of DESIGN.md:
 * {sentences:[{text, entities:[{id,name}], decisions:[{entity,stance}]}]}.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kw/analysis.h"

static const cli_opt analyze_opts[] = {
    {"json", 0, OPT_FLAG, NULL, "print JSON", 0},
    {"entities", 0, OPT_STR, "FILE",
     "the entity gazetteer (default: config/entities.yaml)", 0},
    {"rules", 0, OPT_STR, "FILE",
     "the stance rules (default: config/stances.yaml)", 0},
    {"published", 0, OPT_DATE, "DATE",
     "the publication date that anchors '15일', '지난달', '어제'", 0},
    {NULL, 0, 0, NULL, NULL, 0},
};

/* Reads all of @f into *out (owned). */
static kw_err read_stream(FILE *f, char **out, size_t *n)
{
    kw_buf b;
    char chunk[8192];
    size_t k;

    *out = NULL;
    kw_buf_init(&b, KW_MAX_TEXT);
    while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
        kw_buf_add(&b, chunk, k);
    if (ferror(f)) {
        kw_buf_deinit(&b);
        return KW_EIO;
    }
    if (b.err) {
        kw_err rc = b.err;

        kw_buf_deinit(&b);
        return rc;
    }
    *n = b.n;
    *out = kw_buf_steal(&b);
    return *out ? KW_OK : KW_ENOMEM;
}

static json_t *analysis_json(const kw_analysis *an)
{
    json_t *o = json_object(), *sents = json_array(), *ents = json_array();
    char fp[32];
    size_t i, k;

    if (!o || !sents || !ents) {
        json_decref(o);
        json_decref(sents);
        json_decref(ents);
        return NULL;
    }
    for (i = 0; i < an->n_sentences; i++) {
        const kw_sentence *s = &an->sentences[i];
        json_t *js = json_object(), *je = json_array(), *jd = json_array();

        if (!js || !je || !jd) {
            json_decref(js);
            json_decref(je);
            json_decref(jd);
            continue;
        }
        json_object_set_new(js, "text", json_string(s->text));
        for (k = 0; k < s->n_entities; k++)
            json_array_append_new(
                je, json_pack("{s:s,s:s,s:I}", "id", s->entities[k].entity_id,
                              "name", s->entities[k].name, "count",
                              (json_int_t)s->entities[k].count));
        for (k = 0; k < s->n_decisions; k++) {
            const kw_decision *d = &s->decisions[k];
            json_t *x = json_pack("{s:s,s:s}", "entity", d->entity_id,
                                  "stance", kw_stance_name(d->stance));

            if (x && d->has_event_date) {
                char iso[32];

                kw_time_iso(d->event_date.t, d->event_date.offset_min, iso);
                iso[10] = 0; /* a day, not a time */
                json_object_set_new(x, "date", json_string(iso));
            }
            json_array_append_new(jd, x);
        }
        json_object_set_new(js, "entities", je);
        json_object_set_new(js, "decisions", jd);
        json_array_append_new(sents, js);
    }
    for (i = 0; i < an->n_mentions; i++)
        json_array_append_new(
            ents, json_pack("{s:s,s:s,s:I}", "id", an->mentions[i].entity_id,
                            "name", an->mentions[i].name, "count",
                            (json_int_t)an->mentions[i].count));
    snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)an->fingerprint);
    json_object_set_new(o, "sentences", sents);
    json_object_set_new(o, "entities", ents);
    json_object_set_new(o, "fingerprint", json_string(fp));
    return o;
}

static int print_text(const kw_analysis *an)
{
    size_t i, k;

    for (i = 0; i < an->n_sentences; i++) {
        const kw_sentence *s = &an->sentences[i];

        printf("[%zu] %s\n", i + 1, s->text);
        for (k = 0; k < s->n_entities; k++)
            printf("      entity   %-16s %s (%zu)\n",
                   s->entities[k].entity_id, s->entities[k].name,
                   s->entities[k].count);
        for (k = 0; k < s->n_decisions; k++) {
            const kw_decision *d = &s->decisions[k];
            char iso[32] = "";

            if (d->has_event_date) {
                kw_time_iso(d->event_date.t, d->event_date.offset_min, iso);
                iso[10] = 0;
            }
            printf("      stance   %-16s %-11s %s\n", d->entity_id,
                   kw_stance_name(d->stance), iso);
        }
    }
    printf("fingerprint %016llx\n", (unsigned long long)an->fingerprint);
    return CLI_OK;
}

static int run_analyze(const cli_args *a)
{
    const char *file = a->npos > 0 ? a->pos[0] : "-";
    kw_gazetteer *g = NULL;
    kw_rules *r = NULL;
    kw_analysis *an = NULL;
    kw_date pub, *ppub = NULL;
    char *text = NULL;
    size_t n = 0;
    int ret;
    kw_err rc;

    if (strcmp(file, "-") == 0)
        rc = read_stream(stdin, &text, &n);
    else
        rc = kw_read_file(file, KW_MAX_TEXT, &text, &n);
    if (rc)
        return cli_err(CLI_FAIL, "%s: %s",
                       strcmp(file, "-") == 0 ? "standard input" : file,
                       kw_strerror(rc));
    if (!kw_utf8_valid(text, n)) {
        kw_free(text);
        return cli_err(CLI_FAIL, "%s: not UTF-8 text",
                       strcmp(file, "-") == 0 ? "standard input" : file);
    }
    ret = cli_load_analysis(cli_str(a, "entities"), cli_str(a, "rules"), &g,
                            &r);
    if (ret) {
        kw_free(text);
        return ret;
    }
    if (cli_has(a, "published")) {
        pub.t = cli_date(a, "published", 0);
        pub.offset_min = KW_KST_OFFSET_MIN;
        pub.has_time = 0;
        ppub = &pub;
    }
    rc = kw_analyze(g, r, text, n, ppub, &an);
    kw_free(text);
    if (rc) {
        ret = cli_err(CLI_FAIL, "analysis failed: %s", kw_strerror(rc));
    } else if (cli_flag(a, "json")) {
        json_t *o = analysis_json(an);
        char *s = o ? json_dumps(o, JSON_INDENT(2)) : NULL;

        ret = !s ? cli_err(CLI_FAIL, "out of memory") : cli_puts(s);
        kw_free(s);
        json_decref(o);
    } else {
        ret = print_text(an);
    }
    kw_analysis_free(an);
    kw_rules_free(r);
    kw_gazetteer_free(g);
    return ret;
}

const cli_command cmd_analyze = {
    "analyze",
    "[FILE|-] [--json] [--entities FILE] [--rules FILE] [--published DATE]",
    "Analyse plain Korean text: sentences, entities, stances.",
    analyze_opts,
    0,
    1,
    run_analyze,
    "Reads standard input when FILE is '-' or absent.  A title and its "
    "body\nmay be given as 'title', a blank line, then the body.\n",
};
