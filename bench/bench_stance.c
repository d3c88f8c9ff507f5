/*
 * bench_stance: measures entity matching and participation stances on
 * labelled sentence sets (JSON Lines, {"text", "labels": {id: stance}},
 * optionally "rule" naming what the sentence exercises), printing for
 * each set side by side: stance accuracy, per-stance precision and
 * recall, the confusion matrix, false `entering` on rumours, denials and
 * speculation, and entity precision and recall.
 *
 * Usage: bench_stance [--entities F] [--rules F] [-v] [--set F]...
 *                     [SET.jsonl...]
 * Default sets: ../shared/decisions/sentences.jsonl,
 * tests/fixtures/analysis/sentences.jsonl (ours, the development set) and
 * tests/fixtures/analysis/heldout.jsonl (written after the rules, to
 * estimate how they generalise) of the source tree.  Each --set F adds a
 * set after the default ones (a blind set is scored this way next to the
 * others); SET.jsonl arguments replace the defaults.
 *
 * Scoring: every labelled (entity, stance) pair is one item; an entity
 * the analysis names that has no label is a wrong item (gold "none")
 * when it gets a stance, and an entity false positive either way.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "kw/analysis.h"

#define NS 6
#define MAX_SETS 16 /* the three default sets and up to 13 --set */

typedef struct score {
    const char *name;
    long conf[NS][NS]; /* [gold][predicted] */
    long items, correct;
    long ent_tp, ent_fp, ent_fn;
    long rumour_items, false_entering_rumour, false_entering;
    long sentences;
    long trap_sentences, trap_spurious; /* sentences naming no entity */
} score;

static int is_rumour_sentence(const char *text, const char *rule)
{
    static const char *const marks[] = {
        "관측", "가능성", "전망", "예상", "설이", "설에", "설도", "설을",
        "설은", "사실무근", "사실이 아니", "일축", "부인", "바 없",
        "것으로 보", "소문", "루머", "추측", "거론", "유력", "분석이",
        "사실이 아닌", "것이란"};
    size_t i;

    if (rule && (strstr(rule, "hedge") || strstr(rule, "rumour") ||
                 strstr(rule, "denial") || strstr(rule, "speculation")))
        return 1;
    for (i = 0; i < sizeof(marks) / sizeof(*marks); i++)
        if (strstr(text, marks[i]))
            return 1;
    return 0;
}

/* The stance predicted for @id in @a: the last decision, else none. */
static kw_stance predicted(const kw_analysis *a, const char *id)
{
    kw_stance s = KW_STANCE_NONE;
    size_t i;

    for (i = 0; i < a->n_decisions; i++)
        if (strcmp(a->decisions[i].entity_id, id) == 0)
            s = a->decisions[i].stance;
    return s;
}

static int mentioned(const kw_analysis *a, const char *id)
{
    size_t i;

    for (i = 0; i < a->n_mentions; i++)
        if (strcmp(a->mentions[i].entity_id, id) == 0)
            return 1;
    return 0;
}

static int run_set(const char *path, const kw_gazetteer *g,
                   const kw_rules *r, score *sc, int verbose)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    long lineno = 0;

    if (!f) {
        fprintf(stderr, "bench_stance: cannot open %s\n", path);
        return 1;
    }
    while (fgets(line, sizeof(line), f)) {
        json_error_t je;
        json_t *o, *labels, *jt;
        const char *text, *rule, *key;
        json_t *val;
        kw_analysis *a = NULL;
        size_t i;
        int rumour;

        lineno++;
        if (line[0] == '\n' || line[0] == '#')
            continue;
        o = json_loads(line, 0, &je);
        if (!o) {
            fprintf(stderr, "%s:%ld: %s\n", path, lineno, je.text);
            continue;
        }
        jt = json_object_get(o, "text");
        labels = json_object_get(o, "labels");
        text = json_string_value(jt);
        rule = json_string_value(json_object_get(o, "rule"));
        if (!text || !json_is_object(labels) ||
            kw_analyze(g, r, text, strlen(text), NULL, &a)) {
            fprintf(stderr, "%s:%ld: skipped\n", path, lineno);
            json_decref(o);
            continue;
        }
        sc->sentences++;
        rumour = is_rumour_sentence(text, rule);
        if (json_object_size(labels) == 0) {
            /* A trap: 네이버웹툰, 카카오뱅크, KTX name none of ours. */
            sc->trap_sentences++;
            if (a->n_mentions)
                sc->trap_spurious++;
        }
        json_object_foreach(labels, key, val)
        {
            kw_stance gold, pred = predicted(a, key);

            if (kw_stance_parse(json_string_value(val), &gold)) {
                fprintf(stderr, "%s:%ld: bad stance for %s\n", path, lineno,
                        key);
                continue;
            }
            sc->items++;
            sc->conf[gold][pred]++;
            if (gold == pred)
                sc->correct++;
            else if (verbose)
                printf("  [%s] %s: gold %s, got %s\n    %s\n", sc->name,
                       key, kw_stance_name(gold), kw_stance_name(pred),
                       text);
            if (pred == KW_STANCE_ENTERING && gold != KW_STANCE_ENTERING) {
                sc->false_entering++;
                if (rumour)
                    sc->false_entering_rumour++;
            }
            if (rumour)
                sc->rumour_items++;
            if (mentioned(a, key))
                sc->ent_tp++;
            else {
                sc->ent_fn++;
                if (verbose)
                    printf("  [%s] missed entity %s\n    %s\n", sc->name,
                           key, text);
            }
        }
        for (i = 0; i < a->n_mentions; i++) {
            const char *id = a->mentions[i].entity_id;
            kw_stance pred;

            if (json_object_get(labels, id))
                continue;
            sc->ent_fp++;
            if (verbose)
                printf("  [%s] spurious entity %s\n    %s\n", sc->name, id,
                       text);
            pred = predicted(a, id);
            if (pred != KW_STANCE_NONE) {
                sc->items++;
                sc->conf[KW_STANCE_NONE][pred]++;
                if (pred == KW_STANCE_ENTERING) {
                    sc->false_entering++;
                    if (rumour)
                        sc->false_entering_rumour++;
                }
            }
        }
        kw_analysis_free(a);
        json_decref(o);
    }
    fclose(f);
    return 0;
}

static double ratio(long a, long b)
{
    return b ? (double)a / (double)b : 0.0;
}

static void print_scores(const score *sc, int n)
{
    int i, s, p;

    printf("%-34s", "");
    for (i = 0; i < n; i++)
        printf(" %22s", sc[i].name);
    printf("\n%-34s", "sentences");
    for (i = 0; i < n; i++)
        printf(" %22ld", sc[i].sentences);
    printf("\n%-34s", "labelled (entity, stance) items");
    for (i = 0; i < n; i++)
        printf(" %22ld", sc[i].items);
    printf("\n%-34s", "stance accuracy");
    for (i = 0; i < n; i++)
        printf(" %13.3f (%3ld/%3ld)", ratio(sc[i].correct, sc[i].items),
               sc[i].correct, sc[i].items);
    for (s = 0; s < NS; s++) {
        char lab[64];

        snprintf(lab, sizeof(lab), "%s precision / recall",
                 kw_stance_name((kw_stance)s));
        printf("\n%-34s", lab);
        for (i = 0; i < n; i++) {
            long tp = sc[i].conf[s][s], col = 0, row = 0;

            for (p = 0; p < NS; p++) {
                col += sc[i].conf[p][s];
                row += sc[i].conf[s][p];
            }
            printf(" %10.3f / %9.3f", ratio(tp, col), ratio(tp, row));
        }
    }
    printf("\n%-34s", "false entering (rumour/denial)");
    for (i = 0; i < n; i++)
        printf(" %12ld of %6ld", sc[i].false_entering_rumour,
               sc[i].rumour_items);
    printf("\n%-34s", "false entering (all)");
    for (i = 0; i < n; i++)
        printf(" %22ld", sc[i].false_entering);
    printf("\n%-34s", "entity precision / recall");
    for (i = 0; i < n; i++)
        printf(" %10.3f / %9.3f",
               ratio(sc[i].ent_tp, sc[i].ent_tp + sc[i].ent_fp),
               ratio(sc[i].ent_tp, sc[i].ent_tp + sc[i].ent_fn));
    printf("\n%-34s", "entity tp / fp / fn");
    for (i = 0; i < n; i++)
        printf(" %8ld / %4ld / %4ld", sc[i].ent_tp, sc[i].ent_fp,
               sc[i].ent_fn);
    printf("\n%-34s", "trap sentences naming an entity");
    for (i = 0; i < n; i++)
        printf(" %12ld of %6ld", sc[i].trap_spurious, sc[i].trap_sentences);
    printf("\n");
    for (i = 0; i < n; i++) {
        printf("\nconfusion matrix, %s (rows gold, columns predicted)\n",
               sc[i].name);
        printf("%-12s", "");
        for (p = 0; p < NS; p++)
            printf(" %11s", kw_stance_name((kw_stance)p));
        printf("\n");
        for (s = 0; s < NS; s++) {
            printf("%-12s", kw_stance_name((kw_stance)s));
            for (p = 0; p < NS; p++)
                printf(" %11ld", sc[i].conf[s][p]);
            printf("\n");
        }
    }
}

int main(int argc, char **argv)
{
    const char *ent_path = KW_SOURCE_DIR "/config/entities.yaml";
    const char *rules_path = KW_SOURCE_DIR "/config/stances.yaml";
    const char *sets[MAX_SETS], *extra[MAX_SETS];
    int n_sets = 0, n_extra = 0, verbose = 0, i, ret = 0, is_default = 0;
    static const char *const default_names[] = {"shared", "own", "heldout"};
    char *buf = NULL, err[256] = "cannot read";
    size_t n = 0;
    kw_gazetteer *g = NULL;
    kw_rules *r = NULL;
    score sc[MAX_SETS];

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--entities") == 0 && i + 1 < argc)
            ent_path = argv[++i];
        else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
            rules_path = argv[++i];
        else if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc &&
                 n_extra < MAX_SETS - 3)
            extra[n_extra++] = argv[++i];
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench_stance [--entities F] [--rules F] "
                            "[-v] [--set F]... [SET.jsonl...]\n"
                            "  (at most %d --set files; '%s' is one too "
                            "many or unknown)\n",
                    MAX_SETS - 3, argv[i]);
            return 2;
        } else if (n_sets < MAX_SETS - n_extra)
            sets[n_sets++] = argv[i];
    }
    if (n_sets == 0) {
        sets[n_sets++] = KW_SOURCE_DIR "/../shared/decisions/sentences.jsonl";
        sets[n_sets++] =
            KW_SOURCE_DIR "/tests/fixtures/analysis/sentences.jsonl";
        sets[n_sets++] =
            KW_SOURCE_DIR "/tests/fixtures/analysis/heldout.jsonl";
        is_default = 1;
    }
    for (i = 0; i < n_extra && n_sets < MAX_SETS; i++)
        sets[n_sets++] = extra[i];
    kw_parsers_global_init();
    if (kw_read_file(ent_path, KW_MAX_BODY, &buf, &n) ||
        kw_gazetteer_parse(buf, n, err, sizeof(err), &g)) {
        fprintf(stderr, "bench_stance: %s: %s\n", ent_path, err);
        kw_free(buf);
        return 1;
    }
    kw_free(buf);
    buf = NULL;
    if (kw_read_file(rules_path, KW_MAX_BODY, &buf, &n) ||
        kw_rules_parse(buf, n, err, sizeof(err), &r)) {
        fprintf(stderr, "bench_stance: %s: %s\n", rules_path, err);
        kw_free(buf);
        kw_gazetteer_free(g);
        return 1;
    }
    kw_free(buf);
    memset(sc, 0, sizeof(sc));
    for (i = 0; i < n_sets; i++) {
        const char *slash = strrchr(sets[i], '/');

        sc[i].name = is_default && i < 3 ? default_names[i]
                                         : (slash ? slash + 1 : sets[i]);
        ret |= run_set(sets[i], g, r, &sc[i], verbose);
    }
    printf("bench_stance: entities %s, rules %s\n", ent_path, rules_path);
    for (i = 0; i < n_sets; i++)
        printf("  %s: %s\n", sc[i].name, sets[i]);
    printf("\n");
    print_scores(sc, n_sets);
    kw_rules_free(r);
    kw_gazetteer_free(g);
    return ret;
}
