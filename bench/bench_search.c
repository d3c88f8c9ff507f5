/*
 * bench_search.c -- relevance and speed of Korean search: the 'kowatch'
 * FTS5 tokenizer (store/tokenizer.c) against unicode61 and trigram on the
 * same data in the same run.
 *
 * Relevance.  Three collections, every query judged independently of
 * any tokenizer:
 *   tagged  the 191 hand-tagged sentences of ../shared/korean-text-eval
 *           (Kiwi, LGPL-2.1-or-later) as documents; queries are tagged
 *           nouns; a sentence is relevant when the tags show the noun as
 *           a word of its own or as the head of a compound, with any
 *           particles (a noun glued before another noun, 네이버|웹툰, or
 *           before a noun suffix other than the plural 들, is a
 *           modifier: not relevant, as DESIGN.md asks for companies);
 *   hand    30 news-like sentences with traps (주가/평가, 경기도/경기,
 *           고양이/고양시, 네이버/네이버웹툰, SK텔레콤/SK하이닉스), mixed
 *           script (LG AI연구원, Qwen, 하이퍼클로바X / 하이퍼클로바 X),
 *           spacing variants and one-syllable words, judged by hand;
 *   hand2   bench/search_judged.tsv (--judged FILE; left out when it does
 *           not exist): 72 more news-like sentences and 77 queries judged
 *           by reading, mostly spacing, mixed script, traps and one
 *           syllable.
 * kowatch queries go through kw_query_compile(), the analyst's path;
 * the others get the query words as quoted FTS5 strings.  Reported per
 * tokenizer: recall@10 (over min(|rel|, 10)), recall@100, MRR, and the
 * set precision and recall of all matches.
 *
 * Speed.  N generated articles (title of ~10 words, body of ~350 words
 * drawn Zipf-like from the words of the tagged sentences and the
 * korean-pages fixtures), indexed into a file database per tokenizer in
 * transactions of 10,000; then 100 queries (p50/p95 of a ranked top-20).
 *
 *   bench_search [--docs N] [--shared DIR] [--judged FILE] [--dir TMPDIR]
 *                [--no-relevance] [--no-speed] [--window N] [-v]
 *                [--list] [--only unicode61|kowatch] [--keep] [--profile]
 *                [--count-cap N]
 *
 * -v lists every miss and false match of kowatch, --list the judged
 * queries; --window N (default 2,000) is the number of newest matches
 * ranked by the 'newest-window' query runs (kw_store_search's
 * KW_SEARCH_RANK_WINDOW); --only runs one tokenizer's speed part (the
 * rates are comparable only within one run with both); --keep keeps each
 * index as DIR/bench_search_LABEL_N.db and reuses it when run again, to
 * measure query strategies at 1M articles without rebuilding; --profile
 * lists the slowest searches with their MATCH expressions and parts;
 * --count-cap N (default 10,000, kw_store_search's KW_SEARCH_COUNT_CAP)
 * is how far the newest-window pass counts before estimating;
 * --no-rank-all skips the rank-all runs, which otherwise run the same
 * queries first and warm the caches.
 *
 * 'rank-all' runs are FTS5's own way: bm25() over every match.
 * 'newest-window' runs are kw_store_search()'s: kwrank() (store/rank.c)
 * over the newest matches, counted in the same pass (search_run()).
 */
#include <dirent.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kw/korean.h"
#include "kw/queries.h"
#include "store_int.h"

#define MAX_DOCS 512
#define MAX_REL 200

/* ---- Small helpers ------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench_search: %s: %s\n", what, msg);
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        die(sql, err ? err : "?");
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;

    if (sqlite3_open(path, &db) != SQLITE_OK)
        die(path, sqlite3_errmsg(db));
    if (kw__store_tokenizer_register(db) != SQLITE_OK ||
        kw__store_rank_register(db) != SQLITE_OK)
        die(path, "cannot register the kowatch tokenizer and ranking");
    exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
    return db;
}

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;
static int verbose; /* -v: list every miss and false match of kowatch */
static int is_list; /* --list: print the judged queries */

static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- Collections -------------------------------------------------------- */

/* Categories of the test collection (a query may have several). */
enum {
    CAT_PARTICLE = 1, /* relevant documents carry particles or endings */
    CAT_COMPOUND = 2, /* the word is the head of a compound somewhere */
    CAT_SPACING = 4,  /* written joined and split ('추가 공모', 추가공모) */
    CAT_ONE_SYL = 8,  /* a one-syllable word */
    CAT_MIXED = 16,   /* Latin or digits with Hangul (SK텔레콤, H100) */
    CAT_TRAP = 32,    /* a near miss must not match (주가/평가, 경기도) */
    N_CATS = 6,
};
static const char *const cat_names[N_CATS] = {
    "particles", "compounds", "spacing", "one-syllable", "mixed script",
    "traps",
};

typedef struct query {
    char text[128];   /* as an analyst types it */
    int rel[MAX_REL]; /* relevant document numbers */
    int n_rel;
    int cats;         /* CAT_* */
    double recall;    /* of the last run */
    double prec;      /* of the last run, -1 when nothing matched */
} query;

typedef struct collection {
    const char *name;
    char *docs[MAX_DOCS];
    int n_docs;
    query *q;
    int n_q;
} collection;

/* The hand collection: documents and judged queries. */
static const char *const hand_docs[] = {
    "LG AI연구원은 엑사원 4.0을 공개했다.",
    "LG AI 연구원이 새 모델을 발표했다.",
    "LG에너지솔루션은 배터리 실적을 발표했다.",
    "SK텔레콤이 A.X 모델로 추가 공모에 참여하기로 했다.",
    "SK 텔레콤은 패자부활전 참여를 검토 중이다.",
    "SK하이닉스는 HBM 공급을 늘린다.",
    "네이버클라우드의 하이퍼클로바X가 선정됐다.",
    "하이퍼클로바 X는 네이버의 초거대 모델이다.",
    "네이버웹툰은 별도 회사로 AI와 무관하다.",
    "네이버가 추가공모에 불참한다고 밝혔다.",
    "알리바바의 Qwen 모델을 미세조정한 사례가 늘었다.",
    "Qwen2.5 기반 모델과 비교했다.",
    "주가가 급등했다는 평가가 나왔다.",
    "주요 기업의 평가 결과가 발표됐다.",
    "경기도에서는 AI 산업 지원을 늘린다.",
    "어제 경기에서 우리 팀이 이겼다.",
    "고양이가 창밖을 본다.",
    "고양시에 새 데이터센터가 들어선다.",
    "신뢰도가 높은 모델을 선정했다.",
    "신뢰를 얻기 위한 노력이 필요하다.",
    "카카오도 추가 공모에 도전하지 않는다.",
    "카카오뱅크는 금융 서비스를 확대한다.",
    "과기정통부는 추가 공모 일정을 발표했다.",
    "과학기술정보통신부가 독자 AI 파운데이션 모델 프로젝트를 발표했다.",
    "업스테이지의 솔라 모델이 2차 평가를 통과했다.",
    "NC AI는 재도전하겠다고 밝혔다.",
    "엔씨AI가 출사표를 던졌다.",
    "책을 읽는 사람이 늘었다.",
    "차를 타고 이동했다.",
    "KT가 믿:음 모델로 참여한다.",
    /* 30 */ "독자 AI 파운데이션 모델 사업의 1차 평가 결과가 나왔다.",
    "정부는 독자AI 파운데이션모델 프로젝트를 확대한다.",
    "파운데이션 모델을 직접 만드는 기업은 드물다.",
    "인공지능 반도체 수출이 늘었다.",
    "인공지능반도체 생태계를 키운다.",
    /* 35 */ "오픈AI의 GPT-4o를 넘어섰다고 주장했다.",
    "GPT 4o 수준의 성능을 보였다.",
    "엔비디아 H100을 1만 장 확보했다.",
    "SKT는 A.X 4.0을 공개했다.",
    "물을 아껴 쓰자는 캠페인이 열렸다.",
    /* 40 */ "물가가 크게 올랐다.",
    "일을 마치고 15일 귀국했다.",
    "3일 동안 회의가 이어졌다.",
    "돈을 많이 벌었다.",
    "1차 발표에서 탈락한 팀이 다시 도전한다.",
};

#define PA CAT_PARTICLE
#define CO CAT_COMPOUND
#define SP CAT_SPACING
#define OS CAT_ONE_SYL
#define MX CAT_MIXED
#define TR CAT_TRAP
static const struct {
    const char *q;
    int cats;
    int rel[16];
} hand_queries[] = {
    {"LG AI연구원", MX | SP, {0, 1, -1}},
    {"SK텔레콤", MX | SP | TR, {3, 4, -1}},
    {"하이퍼클로바X", MX | SP, {6, 7, -1}},
    {"하이퍼클로바 X", MX | SP, {6, 7, -1}},
    {"Qwen", MX, {10, 11, -1}},
    {"네이버", PA | TR, {7, 9, -1}},
    {"네이버클라우드", PA | CO, {6, -1}},
    {"\"추가 공모\"", SP, {3, 9, 20, 22, -1}},
    {"공모", PA | CO, {3, 9, 20, 22, -1}},
    {"주가", PA | TR, {12, -1}},
    {"평가", PA | TR, {12, 13, 24, 30, -1}},
    {"경기도", PA | TR, {14, -1}},
    {"경기", PA | TR, {15, -1}},
    {"고양이", PA | TR, {16, -1}},
    {"신뢰도", PA | TR, {18, -1}},
    {"신뢰", PA | TR, {19, -1}},
    {"카카오", PA | TR, {20, -1}},
    {"과기정통부", PA, {22, -1}},
    {"책", PA | OS, {27, -1}},
    {"차", PA | OS | TR, {28, -1}},
    {"KT", MX, {29, -1}},
    {"연구원", CO | MX, {0, 1, -1}},
    {"엔씨AI", MX, {26, -1}},
    {"모델", PA, {1, 3, 7, 10, 11, 18, 23, 24, 29, 30, 31, 32, -1}},
    {"발표", PA, {1, 2, 13, 22, 23, 44, -1}},
    {"참여", PA, {3, 4, 29, -1}},
    /* Added in the second session: spacing variants, mixed script,
     * one-syllable words beside counters (15일, 2차). */
    {"파운데이션모델", SP, {23, 30, 31, 32, -1}},
    {"\"파운데이션 모델\"", SP, {23, 30, 31, 32, -1}},
    {"인공지능반도체", SP, {33, 34, -1}},
    {"\"인공지능 반도체\"", SP, {33, 34, -1}},
    {"인공지능 반도체", SP, {33, 34, -1}},
    {"GPT-4o", MX | SP, {35, 36, -1}},
    {"H100", MX, {37, -1}},
    {"A.X", MX, {3, 38, -1}},
    {"엔씨 AI", MX | SP, {26, -1}},
    {"SK 텔레콤", MX | SP, {3, 4, -1}},
    {"물", PA | OS | TR, {39, -1}},
    {"일", PA | OS | TR, {41, -1}},
    {"돈", PA | OS, {43, -1}},
    {"1차", OS | MX, {30, 44, -1}},
    {"2차", OS | MX, {24, -1}},
};
#undef PA
#undef CO
#undef SP
#undef OS
#undef MX
#undef TR

static void build_hand(collection *c)
{
    size_t i;
    int k;

    c->name = "hand";
    c->n_docs = (int)(sizeof(hand_docs) / sizeof(hand_docs[0]));
    for (k = 0; k < c->n_docs; k++)
        c->docs[k] = (char *)hand_docs[k];
    c->n_q = (int)(sizeof(hand_queries) / sizeof(hand_queries[0]));
    c->q = kw_calloc((size_t)c->n_q, sizeof(query));
    for (i = 0; i < (size_t)c->n_q; i++) {
        snprintf(c->q[i].text, sizeof(c->q[i].text), "%s", hand_queries[i].q);
        c->q[i].cats = hand_queries[i].cats;
        for (k = 0; hand_queries[i].rel[k] >= 0; k++)
            c->q[i].rel[c->q[i].n_rel++] = hand_queries[i].rel[k];
    }
}

/* The hand2 collection, read from @path (bench/search_judged.tsv, its
 * format at its top): 'D id sentence' and 'Q cats query ids' lines.
 * Returns 0 when the file does not exist. */
static int build_judged(collection *c, const char *path)
{
    static const char cat_letters[] = "PCSOMT"; /* bit order of CAT_* */
    char line[4096];
    FILE *fp = fopen(path, "r");
    int cap = 0;

    if (!fp)
        return 0;
    c->name = "hand2";
    while (fgets(line, sizeof(line), fp)) {
        char *f[4], *p = line, *e;
        int n = 0;

        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        while (n < 4) {
            f[n++] = p;
            p = strchr(p, '\t');
            if (!p)
                break;
            *p++ = '\0';
        }
        if (strcmp(f[0], "D") == 0 && n == 3) {
            if (strtol(f[1], &e, 10) != c->n_docs || *e ||
                c->n_docs >= MAX_DOCS)
                die(path, "sentence ids must be 0, 1, 2, ... in order");
            c->docs[c->n_docs++] = kw_strdup(f[2]);
        } else if (strcmp(f[0], "Q") == 0 && n == 4) {
            query *q;
            const char *l;

            if (c->n_q == cap) {
                cap = cap ? 2 * cap : 64;
                c->q = kw_realloc(c->q, (size_t)cap * sizeof(query));
            }
            q = &c->q[c->n_q++];
            memset(q, 0, sizeof(*q));
            snprintf(q->text, sizeof(q->text), "%s", f[2]);
            for (l = f[1]; *l; l++) {
                const char *b = strchr(cat_letters, *l);

                if (!b)
                    die(path, "category letters are P C S O M T");
                q->cats |= 1 << (b - cat_letters);
            }
            for (p = f[3]; *p && q->n_rel < MAX_REL;) {
                long d = strtol(p, &e, 10);

                if (e == p || d < 0 || d >= c->n_docs)
                    die(path, "bad relevant sentence id");
                q->rel[q->n_rel++] = (int)d;
                p = e + strspn(e, " ");
            }
            if (q->n_rel == 0)
                die(path, "a query without relevant sentences");
        } else {
            die(path, "lines are 'D id sentence' or 'Q cats query ids'");
        }
    }
    fclose(fp);
    return c->n_q > 0;
}

/* One tagged sentence: its text and morphemes. */
typedef struct tagged {
    char *text;
    int n;
    char morph[160][48];
    char tag[160][8];
} tagged;

static int is_noun(const char *t)
{
    return strcmp(t, "NNG") == 0 || strcmp(t, "NNP") == 0;
}

/* True if sentence @s uses noun @q as a word of its own or a compound's
 * head: some tagged occurrence is not glued before another noun. */
static int judged_relevant(const tagged *s, const char *q)
{
    int i;

    for (i = 0; i < s->n; i++) {
        char glued[128];

        if (!is_noun(s->tag[i]) || strcmp(s->morph[i], q) != 0)
            continue;
        /* The plural suffix 들 (사람/NNG 들/XSN) makes no new noun:
         * '사람들은' is about 사람. */
        if (i + 1 < s->n &&
            (is_noun(s->tag[i + 1]) || (strcmp(s->tag[i + 1], "XSN") == 0 &&
                                        strcmp(s->morph[i + 1], "들") != 0))) {
            snprintf(glued, sizeof(glued), "%s%s", q, s->morph[i + 1]);
            if (strstr(s->text, glued))
                continue; /* a modifier here */
        }
        return 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The categories of noun query @q over its relevant sentences: a particle
 * (J*) right after it, or a noun glued before it (the head of a
 * compound); one syllable. */
static int tagged_cats(const tagged *sent, const query *q)
{
    int cats = kw_ko_syllables(q->text, strlen(q->text)) == 1 ? CAT_ONE_SYL
                                                                : 0;
    int r, i;

    for (r = 0; r < q->n_rel; r++) {
        const tagged *s = &sent[q->rel[r]];

        for (i = 0; i < s->n; i++) {
            char glued[2 * 128 + 8]; /* two morphs, each < 128 */

            if (!is_noun(s->tag[i]) || strcmp(s->morph[i], q->text) != 0)
                continue;
            if (i + 1 < s->n && s->tag[i + 1][0] == 'J')
                cats |= CAT_PARTICLE;
            if (i > 0 && is_noun(s->tag[i - 1])) {
                snprintf(glued, sizeof(glued), "%s%s", s->morph[i - 1],
                         q->text);
                if (strstr(s->text, glued))
                    cats |= CAT_COMPOUND;
            }
        }
    }
    return cats;
}

/* Queries: with @is_all every noun with 2+ relevant sentences, else a
 * deterministic sample of @want_q (the collection of the first session). */
static void build_tagged(collection *c, const char *shared, int want_q,
                         int is_all)
{
    static const char *const files[] = {"web.txt", "written.txt"};
    static tagged sent[MAX_DOCS];
    char *nouns[8192];
    int n_nouns = 0, f, i, j, picked = 0, one_syl = 0;

    c->name = is_all ? "tag-all" : "tagged";
    for (f = 0; f < 2; f++) {
        char path[1024], line[16384];
        FILE *fp;

        snprintf(path, sizeof(path), "%s/korean-text-eval/%s", shared,
                 files[f]);
        fp = fopen(path, "r");
        if (!fp)
            die(path, "cannot open");
        while (fgets(line, sizeof(line), fp) && c->n_docs < MAX_DOCS) {
            char *tab = strchr(line, '\t'), *m;
            tagged *s = &sent[c->n_docs];

            if (!tab)
                continue;
            *tab = '\0';
            s->text = kw_strdup(line);
            s->n = 0;
            for (m = tab + 1; *m && s->n < 160;) {
                char *sl, *end = m + strcspn(m, " \n");
                int is_last = *end == '\0';

                *end = '\0';
                sl = strrchr(m, '/');
                if (is_last)
                    end--; /* stays on the NUL */
                if (!sl || sl == m || (size_t)(sl - m) >= 48 ||
                    strlen(sl + 1) >= 8) {
                    m = end + 1;
                    continue;
                }
                snprintf(s->morph[s->n], 48, "%.*s", (int)(sl - m), m);
                snprintf(s->tag[s->n], 8, "%s", sl + 1);
                if (is_noun(s->tag[s->n]) && n_nouns < 8192 &&
                    kw_ko_syllables(s->morph[s->n], strlen(s->morph[s->n])))
                    nouns[n_nouns++] = s->morph[s->n];
                s->n++;
                m = end + 1;
            }
            c->docs[c->n_docs] = s->text;
            c->n_docs++;
        }
        fclose(fp);
    }
    qsort(nouns, (size_t)n_nouns, sizeof(nouns[0]), cmp_str);
    if (is_all)
        want_q = n_nouns;
    c->q = kw_calloc((size_t)want_q, sizeof(query));
    /* Distinct nouns in sorted order, every third one with 2+ relevant
     * sentences, plus the first one-syllable nouns: deterministic. */
    for (i = 0, j = 0; i < n_nouns && picked < want_q; i++) {
        query *q;
        int d, syl;

        if (i > 0 && strcmp(nouns[i], nouns[i - 1]) == 0)
            continue;
        syl = (int)kw_ko_syllables(nouns[i], strlen(nouns[i]));
        q = &c->q[picked];
        memset(q, 0, sizeof(*q));
        snprintf(q->text, sizeof(q->text), "%s", nouns[i]);
        for (d = 0; d < c->n_docs; d++) {
            if (judged_relevant(&sent[d], nouns[i]) && q->n_rel < MAX_REL)
                q->rel[q->n_rel++] = d;
        }
        if (q->n_rel < 2)
            continue;
        q->cats = tagged_cats(sent, q);
        if (is_all) {
            picked++;
            continue;
        }
        if (syl == 1 && one_syl < 6) {
            one_syl++;
            picked++;
            continue;
        }
        if (j++ % 3 == 0)
            picked++;
    }
    c->n_q = picked;
}

/* ---- Relevance run ------------------------------------------------------ */

typedef struct metrics {
    double r10, r100, mrr, prec, rec;
    int n_q, n_prec; /* queries; queries that matched anything */
} metrics;

static int in_rel(const query *q, int d)
{
    int i;

    for (i = 0; i < q->n_rel; i++) {
        if (q->rel[i] == d)
            return 1;
    }
    return 0;
}

/* The MATCH text for @q: the analyst's compiler for kowatch, quoted
 * words for the baselines. */
static char *match_for(const char *q, int is_kowatch)
{
    char err[256], *out = NULL;
    size_t i, n = strlen(q);
    char *b;
    size_t k = 0;

    if (is_kowatch) {
        if (kw_query_compile(q, err, sizeof(err), &out))
            die(q, err);
        return out;
    }
    b = kw_malloc(4 * n + 8);
    if (q[0] == '"') {
        snprintf(b, 4 * n + 8, "%s", q);
        return b;
    }
    b[k++] = '"';
    for (i = 0; i < n; i++) {
        if (q[i] == ' ') {
            memcpy(b + k, "\" AND \"", 7);
            k += 7;
        } else {
            b[k++] = q[i];
        }
    }
    b[k++] = '"';
    b[k] = '\0';
    return b;
}

/* -v: the relevant documents @match did not find. */
static void print_misses(sqlite3 *db, const collection *c, const query *q,
                         const char *match)
{
    sqlite3_stmt *s = NULL;
    int i;

    sqlite3_prepare_v2(db, "SELECT 1 FROM t WHERE t MATCH ?1 AND rowid = ?2",
                       -1, &s, NULL);
    for (i = 0; i < q->n_rel; i++) {
        sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, q->rel[i] + 1);
        if (sqlite3_step(s) != SQLITE_ROW)
            printf("  %s: '%s' [%s] missed: %s\n", c->name, q->text, match,
                   c->docs[q->rel[i]]);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

static metrics run_relevance(collection *c, const char *tokenize,
                             int is_kowatch)
{
    sqlite3 *db = open_db(":memory:");
    sqlite3_stmt *ins = NULL, *sel = NULL;
    char sql[512];
    metrics m;
    int d, i;

    memset(&m, 0, sizeof(m));
    snprintf(sql, sizeof(sql),
             "CREATE VIRTUAL TABLE t USING fts5(x, tokenize=\"%s\")",
             tokenize);
    exec(db, sql);
    sqlite3_prepare_v2(db, "INSERT INTO t(rowid, x) VALUES (?1, ?2)", -1,
                       &ins, NULL);
    for (d = 0; d < c->n_docs; d++) {
        sqlite3_bind_int(ins, 1, d + 1);
        sqlite3_bind_text(ins, 2, c->docs[d], -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die("insert", sqlite3_errmsg(db));
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_prepare_v2(db,
                       "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rank",
                       -1, &sel, NULL);
    for (i = 0; i < c->n_q; i++) {
        query *q = &c->q[i];
        char *match = match_for(q->text, is_kowatch);
        int rank = 0, hit10 = 0, hit100 = 0, hits = 0, first = 0, rc;

        sqlite3_bind_text(sel, 1, match, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
            int doc = sqlite3_column_int(sel, 0) - 1;

            rank++;
            if (!in_rel(q, doc)) {
                if (verbose && is_kowatch && !strchr(tokenize, ' '))
                    printf("  %s: '%s' false match: %s\n", c->name, q->text,
                           c->docs[doc]);
                continue;
            }
            hits++;
            if (!first)
                first = rank;
            if (rank <= 10)
                hit10++;
            if (rank <= 100)
                hit100++;
        }
        /* A query the tokenizer cannot run (trigram, < 3 characters)
         * counts as finding nothing. */
        sqlite3_reset(sel);
        if (verbose && is_kowatch && !strchr(tokenize, ' ') && hits < q->n_rel)
            print_misses(db, c, q, match);
        m.r10 += (double)hit10 / (q->n_rel < 10 ? q->n_rel : 10);
        m.r100 += (double)hit100 / (q->n_rel < 100 ? q->n_rel : 100);
        m.mrr += first ? 1.0 / first : 0.0;
        m.rec += (double)hits / q->n_rel;
        q->recall = (double)hits / q->n_rel;
        q->prec = rank ? (double)hits / rank : -1.0;
        if (rank) {
            m.prec += (double)hits / rank;
            m.n_prec++;
        }
        m.n_q++;
        kw_free(match);
    }
    sqlite3_finalize(sel);
    sqlite3_close(db);
    return m;
}

static void print_relevance(const char *shared, const char *judged)
{
    static const struct {
        const char *label, *tokenize;
        int is_kowatch;
    } toks[] = {
        {"kowatch", "kowatch", 1},
        {"kowatch suffixes 0", "kowatch suffixes 0", 1},
        {"kowatch prefixes 1", "kowatch prefixes 1", 1},
        {"kowatch stems 0", "kowatch stems 0", 1},
        {"unicode61", "unicode61 remove_diacritics 2", 0},
        {"trigram", "trigram", 0},
    };
    /* tagged, hand, [hand2,] tag-all: 'all' is every one but tag-all,
     * the categories every one but tagged (part of tag-all). */
    collection cs[4];
    size_t t;
    int k, cat, n_cs = 3, all_k;

    memset(cs, 0, sizeof(cs));
    build_tagged(&cs[0], shared, 40, 0);
    build_hand(&cs[1]);
    if (build_judged(&cs[2], judged))
        n_cs = 4;
    all_k = n_cs - 1;
    build_tagged(&cs[all_k], shared, 0, 1);
    printf("Relevance: %s %d docs %d queries; %s %d docs %d queries",
           cs[0].name, cs[0].n_docs, cs[0].n_q, cs[1].name, cs[1].n_docs,
           cs[1].n_q);
    if (n_cs == 4)
        printf("; %s %d docs %d queries ('all' = these three)", cs[2].name,
               cs[2].n_docs, cs[2].n_q);
    else
        printf(" ('all' = both)");
    printf("; %s: every tagged noun with 2+ relevant sentences, %d queries\n",
           cs[all_k].name, cs[all_k].n_q);
    for (k = 0; is_list && k < n_cs; k++) {
        int i, r;

        for (i = 0; i < cs[k].n_q; i++) {
            printf("query %s %d '%s' cats %d rel", cs[k].name, i,
                   cs[k].q[i].text, cs[k].q[i].cats);
            for (r = 0; r < cs[k].q[i].n_rel; r++)
                printf(" %d", cs[k].q[i].rel[r]);
            printf("\n");
        }
    }
    printf("%-20s %-7s %5s %6s %7s %6s %6s %6s\n", "tokenizer", "coll",
           "R@10", "R@100", "MRR", "prec", "recall", "noans");
    for (t = 0; t < sizeof(toks) / sizeof(toks[0]); t++) {
        metrics all;

        memset(&all, 0, sizeof(all));
        for (k = 0; k < n_cs; k++) {
            metrics m = run_relevance(&cs[k], toks[t].tokenize,
                                      toks[t].is_kowatch);

            printf("%-20s %-7s %5.3f %6.3f %7.3f %6.3f %6.3f %6d\n",
                   toks[t].label, cs[k].name, m.r10 / m.n_q, m.r100 / m.n_q,
                   m.mrr / m.n_q, m.n_prec ? m.prec / m.n_prec : 0.0,
                   m.rec / m.n_q, m.n_q - m.n_prec);
            if (k == all_k)
                continue;
            all.r10 += m.r10;
            all.r100 += m.r100;
            all.mrr += m.mrr;
            all.prec += m.prec;
            all.rec += m.rec;
            all.n_q += m.n_q;
            all.n_prec += m.n_prec;
        }
        printf("%-20s %-7s %5.3f %6.3f %7.3f %6.3f %6.3f %6d\n",
               toks[t].label, "all", all.r10 / all.n_q, all.r100 / all.n_q,
               all.mrr / all.n_q,
               all.n_prec ? all.prec / all.n_prec : 0.0, all.rec / all.n_q,
               all.n_q - all.n_prec);
        /* By category, over the queries of every collection but tagged. */
        for (cat = 0; cat < N_CATS; cat++) {
            double rec = 0, prec = 0;
            int n = 0, n_prec = 0, i;

            for (k = 1; k < n_cs; k++) { /* tagged is part of tag-all */
                for (i = 0; i < cs[k].n_q; i++) {
                    const query *q = &cs[k].q[i];

                    if (!(q->cats & (1 << cat)))
                        continue;
                    n++;
                    rec += q->recall;
                    if (q->prec >= 0) {
                        prec += q->prec;
                        n_prec++;
                    }
                }
            }
            printf("%-20s   %-13s %4d queries  recall %5.3f  prec %5.3f\n",
                   toks[t].label, cat_names[cat], n, n ? rec / n : 0.0,
                   n_prec ? prec / n_prec : 0.0);
        }
    }
    printf("(R@k over min(|rel|,k); prec = mean precision of all matches "
           "over queries with any match; noans = queries with no match; "
           "categories over hand%s + tag-all)\n",
           n_cs == 4 ? " + hand2" : "");
}

/* ---- The stripper on proper nouns --------------------------------------
 * Every Hangul-only proper noun of kiwi_nnp.txt (Kiwi, LGPL-2.1-or-later)
 * alone -- nothing may be stripped -- and followed by 13 particles with
 * the agreement of its last syllable, where the stem must be the noun.
 * Second stems (kw_ko_stem_alt) count as found when they equal it. */

static void print_stripper(const char *shared)
{
    static const char *const cons[] = {
        "이", "은", "을", "과", "으로", "의", "에서", "도", "에게", "까지",
        "이라며", "에서는", "으로도",
    };
    static const char *const vow[] = {
        "가", "는", "를", "와", "로", "의", "에서", "도", "에게", "까지",
        "라며", "에서는", "로도",
    };
    char path[1024], line[512], w[600];
    long nouns = 0, bare = 0, bare_alt = 0, tot = 0, ok = 0, over = 0;
    long ok_alt = 0, over_alt = 0;
    FILE *fp;

    snprintf(path, sizeof(path), "%s/korean-text-eval/kiwi_nnp.txt", shared);
    fp = fopen(path, "r");
    if (!fp)
        die(path, "cannot open");
    while (fgets(line, sizeof(line), fp)) {
        size_t n = strcspn(line, "\r\n\t "), k;
        unsigned last, j;

        line[n] = '\0';
        if (line[0] == '#' || !n || !kw_ko_syllables(line, n))
            continue;
        nouns++;
        bare += kw_ko_stem(line, n) != n;
        bare_alt += kw_ko_stem_alt(line, n) != 0;
        last = ((unsigned)(line[n - 3] & 0x0F) << 12) |
               ((unsigned)(line[n - 2] & 0x3F) << 6) |
               (unsigned)(line[n - 1] & 0x3F);
        j = (last - 0xAC00) % 28; /* final consonant, 8 = ㄹ */
        for (k = 0; k < sizeof(cons) / sizeof(cons[0]); k++) {
            const char *pt = j ? cons[k] : vow[k];
            size_t st, alt;

            if (j == 8 && strcmp(pt, "으로") == 0)
                pt = "로";
            if (j == 8 && strcmp(pt, "으로도") == 0)
                pt = "로도";
            snprintf(w, sizeof(w), "%s%s", line, pt);
            st = kw_ko_stem(w, strlen(w));
            alt = kw_ko_stem_alt(w, strlen(w));
            tot++;
            ok += st == n;
            over += st < n;
            ok_alt += st == n || alt == n;
            over_alt += alt && alt < n;
        }
    }
    fclose(fp);
    printf("\nStripper on %ld Hangul proper nouns (kiwi_nnp.txt): bare noun "
           "stripped %.4f (given a second stem %.4f); noun + particle "
           "(%ld): stem correct %.4f, too short %.4f; with second stems "
           "correct %.4f, second stem too short %.4f\n",
           nouns, (double)bare / (double)nouns,
           (double)bare_alt / (double)nouns, tot, (double)ok / (double)tot,
           (double)over / (double)tot, (double)ok_alt / (double)tot,
           (double)over_alt / (double)tot);
}

/* ---- Speed -------------------------------------------------------------- */

typedef struct vocab {
    char **w;
    size_t n, cap;
    size_t *distinct;  /* index in w of the first copy of each word */
    size_t n_distinct;
} vocab;

static const vocab *sort_vocab; /* for cmp_word_ix (no qsort_r in C11) */

static int cmp_word_ix(const void *a, const void *b);

/* Fills v->distinct: one index per distinct word, in vocabulary order. */
static void vocab_distinct(vocab *v)
{
    size_t *ix = kw_malloc(v->n * sizeof(size_t)), i;

    for (i = 0; i < v->n; i++)
        ix[i] = i;
    sort_vocab = v;
    qsort(ix, v->n, sizeof(size_t), cmp_word_ix);
    v->distinct = kw_malloc(v->n * sizeof(size_t));
    v->n_distinct = 0;
    for (i = 0; i < v->n; i++) {
        if (i == 0 || strcmp(v->w[ix[i]], v->w[ix[i - 1]]) != 0)
            v->distinct[v->n_distinct++] = ix[i];
    }
    kw_free(ix);
}

static int cmp_word_ix(const void *a, const void *b)
{
    const vocab *vv = sort_vocab;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(vv->w[x], vv->w[y]);

    return c ? c : (x < y ? -1 : x > y);
}

static void vocab_add(vocab *v, const char *p, size_t n)
{
    if (n == 0 || n > 60)
        return;
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 4096;
        v->w = kw_realloc(v->w, v->cap * sizeof(char *));
    }
    v->w[v->n++] = kw_strndup(p, n);
}

/* Adds the space-separated words of @text that hold Hangul or ASCII
 * letters and no markup. */
static void vocab_words(vocab *v, const char *text)
{
    const char *p = text;

    while (*p) {
        const char *s;
        int is_hangul = 0, is_bad = 0;

        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        s = p;
        while (*p && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r') {
            if ((unsigned char)*p == 0xEA || (unsigned char)*p == 0xEB ||
                (unsigned char)*p == 0xEC || (unsigned char)*p == 0xED)
                is_hangul = 1;
            if (strchr("<>=&{};/\\|", *p))
                is_bad = 1;
            p++;
        }
        if (is_hangul && !is_bad)
            vocab_add(v, s, (size_t)(p - s));
    }
}

static void build_vocab(vocab *v, const char *shared)
{
    static const char *const dirs[] = {"news-article", "gov-notice"};
    char path[1024];
    size_t d;

    snprintf(path, sizeof(path), "%s/korean-text-eval/written.txt", shared);
    for (d = 0; d < 2; d++) {
        const char *f = d == 0 ? "written.txt" : "web.txt";
        char *text = NULL;
        size_t n;

        snprintf(path, sizeof(path), "%s/korean-text-eval/%s", shared, f);
        if (kw_read_file(path, 1 << 24, &text, &n) == KW_OK) {
            char *t;

            for (t = text; *t; t++) {
                if (*t == '\t')
                    *t = '\n'; /* keep the sentence, drop the tags */
            }
            vocab_words(v, text);
            kw_free(text);
        }
    }
    for (d = 0; d < 2; d++) {
        DIR *dir;
        struct dirent *e;

        snprintf(path, sizeof(path), "%s/korean-pages/%s", shared, dirs[d]);
        dir = opendir(path);
        if (!dir)
            continue;
        while ((e = readdir(dir))) {
            char file[2048], *text = NULL, *t;
            size_t n;
            int in_tag = 0;

            if (!strstr(e->d_name, ".html") || strstr(e->d_name, "BROKEN") ||
                strstr(e->d_name, "cp949"))
                continue;
            snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
            if (kw_read_file(file, 1 << 24, &text, &n))
                continue;
            for (t = text; *t; t++) { /* markup to spaces, crudely */
                if (*t == '<')
                    in_tag = 1;
                if (in_tag || *t == '>') {
                    if (*t == '>')
                        in_tag = 0;
                    *t = ' ';
                }
            }
            vocab_words(v, text);
            kw_free(text);
        }
        closedir(dir);
    }
}

/* A word index drawn Zipf-like (s = 1) over n words. */
static size_t zipf(size_t n)
{
    double u = (double)(rnd() >> 11) / 9007199254740992.0;

    return (size_t)(pow((double)n + 1.0, u)) - 1 < n
               ? (size_t)(pow((double)n + 1.0, u)) - 1
               : n - 1;
}

static void gen_text(const vocab *v, char *buf, size_t cap, int words,
                     size_t *len)
{
    size_t k = 0;
    int i;

    for (i = 0; i < words; i++) {
        const char *w = v->w[zipf(v->n)];
        size_t n = strlen(w);

        if (k + n + 3 >= cap)
            break;
        memcpy(buf + k, w, n);
        k += n;
        buf[k++] = (i % 12 == 11) ? '\n' : ' ';
    }
    buf[k] = '\0';
    *len = k;
}

/* Counts tokens for tokenizer_only(). */
static int count_token(void *ctx, int flags, const char *p, int n, int s,
                       int e)
{
    (void)flags;
    (void)p;
    (void)n;
    (void)s;
    (void)e;
    ++*(long long *)ctx;
    return SQLITE_OK;
}

/* The tokenizer alone, without FTS5: the same articles as run_speed()
 * through xTokenize with a callback that only counts.  Returns seconds;
 * *tokens gets the number of tokens (colocated ones included). */
static double tokenizer_only(sqlite3 *db, const vocab *v, const char *tokenize,
                             long n_docs, long long *tokens)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;
    fts5_tokenizer vt;
    Fts5Tokenizer *tok = NULL;
    void *ud = NULL;
    char name[64], title[1024], *body = kw_malloc(65536), *args[8];
    const char *argv[8];
    int argc = 0;
    double t = 0, t0;
    size_t tn, bn;
    long i;

    snprintf(name, sizeof(name), "%s", tokenize);
    for (char *w = name; *w && argc < 8;) { /* split at spaces */
        args[argc++] = w;
        w += strcspn(w, " ");
        if (*w)
            *w++ = '\0';
    }
    for (i = 0; i < argc; i++)
        argv[i] = args[i];
    sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL);
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
    if (!api || api->xFindTokenizer(api, argv[0], &ud, &vt) != SQLITE_OK ||
        vt.xCreate(ud, argv + 1, argc - 1, &tok) != SQLITE_OK)
        die(tokenize, "cannot create the tokenizer");
    *tokens = 0;
    rng_state = 0x9E3779B97F4A7C15ULL;
    for (i = 0; i < n_docs; i++) {
        gen_text(v, title, sizeof(title), 8 + (int)(rnd() % 6), &tn);
        gen_text(v, body, 65536, 250 + (int)(rnd() % 200), &bn);
        t0 = now_s();
        vt.xTokenize(tok, tokens, FTS5_TOKENIZE_DOCUMENT, title, (int)tn,
                     count_token);
        vt.xTokenize(tok, tokens, FTS5_TOKENIZE_DOCUMENT, body, (int)bn,
                     count_token);
        t += now_s() - t0;
    }
    vt.xDelete(tok);
    kw_free(body);
    return t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static int keep_db; /* --keep: reuse DIR/bench_search_LABEL_N.db */
/* ---- A search as kw_store_search() runs one without filters ------------
 *
 * Rank the newest WINDOW matches with kwrank() (store/rank.c), snippets
 * for the top 20 of them, the column chosen by kwcol(); the number of
 * candidates ranked comes with each row, and only when the window was
 * full are the matches counted, up to COUNT_CAP (beyond, the total is
 * estimated).  'eq' looks each top row up by rowid for its snippet
 * instead of running the match over top's rowid range. */

static long count_cap = 10000; /* --count-cap N */
#define COUNT_CAP count_cap

typedef struct search_stmts {
    sqlite3_stmt *sel, *sel_eq, *cnt;
    sqlite3_int64 lo, hi;
} search_stmts;

static void search_prepare(sqlite3 *db, search_stmts *ss, long window)
{
    char sql[2048];
    const char *outer_range =
        "SELECT top.id, CASE kwcol(t) WHEN 1 THEN "
        "snippet(t, 1, '[', ']', '...', 24) ELSE "
        "snippet(t, 0, '[', ']', '...', 24) END, "
        "(SELECT count(*) FROM cand), (SELECT min(id) FROM cand) FROM t "
        "CROSS JOIN top ON top.id = t.rowid WHERE t MATCH ?1 "
        "AND t.rowid >= (SELECT min(id) FROM top) "
        "AND t.rowid <= (SELECT max(id) FROM top) "
        "ORDER BY top.rank, top.id";
    const char *outer_eq =
        "SELECT top.id, CASE kwcol(t) WHEN 1 THEN "
        "snippet(t, 1, '[', ']', '...', 24) ELSE "
        "snippet(t, 0, '[', ']', '...', 24) END, "
        "(SELECT count(*) FROM cand), (SELECT min(id) FROM cand) FROM top "
        "CROSS JOIN t ON t.rowid = top.id WHERE t MATCH ?1 "
        "ORDER BY top.rank, top.id";
    const char *head =
        "WITH cand(id, rank) AS MATERIALIZED (SELECT rowid, "
        "kwrank(t, ?3, ?4, ?2, 10.0, 1.0) FROM t WHERE t MATCH ?1 "
        "ORDER BY rowid DESC LIMIT ?5), "
        "top(id, rank) AS (SELECT id, rank FROM cand "
        "WHERE rank IS NOT NULL ORDER BY 2, id LIMIT 20) ";
    sqlite3_stmt *s = NULL;

    memset(ss, 0, sizeof(*ss));
    snprintf(sql, sizeof(sql), "%s%s", head, outer_range);
    if (sqlite3_prepare_v2(db, sql, -1, &ss->sel, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(db));
    snprintf(sql, sizeof(sql), "%s%s", head, outer_eq);
    if (sqlite3_prepare_v2(db, sql, -1, &ss->sel_eq, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(db));
    snprintf(sql, sizeof(sql),
             "SELECT count(*), min(id) FROM (SELECT rowid AS id FROM t "
             "WHERE t MATCH ?1 ORDER BY rowid DESC LIMIT %ld)",
             COUNT_CAP);
    if (sqlite3_prepare_v2(db, sql, -1, &ss->cnt, NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(db));
    sqlite3_prepare_v2(db, "SELECT min(rowid), max(rowid) FROM t", -1, &s,
                       NULL);
    if (sqlite3_step(s) == SQLITE_ROW) {
        ss->lo = sqlite3_column_int64(s, 0);
        ss->hi = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    sqlite3_bind_int64(ss->sel, 2, window);
    sqlite3_bind_int64(ss->sel_eq, 2, window);
    sqlite3_bind_int64(ss->sel, 5, COUNT_CAP);
    sqlite3_bind_int64(ss->sel_eq, 5, COUNT_CAP);
}

static void search_finalize(search_stmts *ss)
{
    sqlite3_finalize(ss->sel);
    sqlite3_finalize(ss->sel_eq);
    sqlite3_finalize(ss->cnt);
}

/* One search; returns its total (estimated past COUNT_CAP), *rank_ms
 * and *count_ms the two parts' times. */
static long long search_run(search_stmts *ss, const char *match, long window,
                            int is_eq, double *rank_ms, double *count_ms)
{
    sqlite3_stmt *sel = is_eq ? ss->sel_eq : ss->sel;
    long long total = 0, last = 0;
    double t0 = now_s();

    (void)window;
    sqlite3_bind_text(sel, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(sel, 3, ss->lo);
    sqlite3_bind_int64(sel, 4, ss->hi);
    while (sqlite3_step(sel) == SQLITE_ROW) {
        total = sqlite3_column_int64(sel, 2);
        last = sqlite3_column_int64(sel, 3);
    }
    sqlite3_reset(sel);
    if (total >= COUNT_CAP)
        total = (long long)((double)total * (double)(ss->hi - ss->lo + 1) /
                            (double)(ss->hi - last + 1));
    *rank_ms = (now_s() - t0) * 1000.0;
    *count_ms = 0;
    return total;
}

/* The 100 queries of a set, as the analyst typed them and compiled. */
static char *set_query(const vocab *v, int is_kowatch, int is_zipf, int q,
                       char qt[256])
{
    size_t r1 = !is_zipf ? (size_t)(rnd() % v->n) : zipf(v->n);
    size_t r2 = !is_zipf ? (size_t)(rnd() % v->n) : zipf(v->n);
    const char *w1 = v->w[!is_zipf ? v->distinct[r1 % v->n_distinct] : r1];
    const char *w2 = v->w[!is_zipf ? v->distinct[r2 % v->n_distinct] : r2];
    char err[256], *match = NULL;
    size_t i;

    if (q % 4 == 3)
        snprintf(qt, 256, "%s %s", w1, w2);
    else
        snprintf(qt, 256, "%s", w1);
    for (i = 0; qt[i]; i++) {
        if (strchr("\"()*-", qt[i]))
            qt[i] = ' ';
    }
    if (!is_kowatch)
        return match_for(qt, 0);
    if (kw_query_compile(qt, err, sizeof(err), &match))
        return NULL;
    return match;
}

static int profile; /* --profile: where the slowest queries spend time */
static int no_rank_all; /* --no-rank-all: skip bm25 over every match */

typedef struct qprof {
    double rank_ms, count_ms, total_ms;
    long long total;
    char q[256], match[512];
} qprof;

static int cmp_qprof(const void *a, const void *b)
{
    double x = ((const qprof *)a)->total_ms, y = ((const qprof *)b)->total_ms;

    return x < y ? 1 : x > y ? -1 : 0;
}

/* --profile: the 'topic' and 'zipf' queries again, each search timed in
 * its parts, and the slowest listed. */
static void profile_queries(sqlite3 *db, const vocab *v, int is_kowatch,
                            long window)
{
    search_stmts ss;
    qprof p[100];
    int q, is_zipf, is_eq;

    search_prepare(db, &ss, window);
    for (is_zipf = 0; is_zipf < 2; is_zipf++) {
        for (is_eq = 0; is_eq < 2; is_eq++) {
            double lat[100];

            rng_state = 42;
            for (q = 0; q < 100; q++) {
                char *match = set_query(v, is_kowatch, is_zipf, q, p[q].q);

                p[q].match[0] = '\0';
                p[q].total = 0;
                p[q].rank_ms = p[q].count_ms = 0;
                if (match) {
                    snprintf(p[q].match, sizeof(p[q].match), "%s", match);
                    p[q].total = search_run(&ss, match, window, is_eq,
                                            &p[q].rank_ms, &p[q].count_ms);
                }
                p[q].total_ms = p[q].rank_ms + p[q].count_ms;
                lat[q] = p[q].total_ms;
                kw_free(match);
            }
            qsort(lat, 100, sizeof(double), cmp_double);
            qsort(p, 100, sizeof(p[0]), cmp_qprof);
            printf("%s queries, snippets by %s: p50 %.2f ms p95 %.2f ms; "
                   "slowest (ms = rank and snippets + count):\n",
                   is_zipf ? "zipf" : "topic",
                   is_eq ? "rowid lookups" : "rowid range", lat[49],
                   lat[94]);
            for (q = 0; q < 6; q++)
                printf("  %7.2f = %7.2f + %6.2f  %8lld matches  %s  "
                       "MATCH %s\n",
                       p[q].total_ms, p[q].rank_ms, p[q].count_ms,
                       p[q].total, p[q].q, p[q].match);
        }
    }
    search_finalize(&ss);
}

static void run_speed(const vocab *v, const char *label, const char *tokenize,
                      int is_kowatch, long n_docs, const char *dir,
                      long window)
{
    int reused = 0;
    char path[1024], sql[512], title[1024], *body;
    sqlite3 *db;
    sqlite3_stmt *ins = NULL, *sel = NULL;
    double t0, t, lat[4][100], count_ms[4] = {0, 0, 0, 0};
    long long hits[4] = {0, 0, 0, 0};
    int set;
    long i;
    size_t bytes = 0, tn, bn;
    long long index_bytes = 0, tokens = 0;
    double tok_s;
    int q;
    struct stat sb;

    body = kw_malloc(65536);
    if (keep_db)
        snprintf(path, sizeof(path), "%s/bench_search_%s_%ld.db", dir, label,
                 n_docs);
    else
        snprintf(path, sizeof(path), "%s/bench_search_%s_%ld.db", dir, label,
                 (long)getpid());
    if (keep_db && stat(path, &sb) == 0) {
        db = open_db(path);
        sqlite3_prepare_v2(db, "SELECT max(rowid) FROM t", -1, &sel, NULL);
        reused = sqlite3_step(sel) == SQLITE_ROW &&
                 sqlite3_column_int64(sel, 0) == n_docs;
        sqlite3_finalize(sel);
        sel = NULL;
        if (!reused) {
            sqlite3_close(db);
            (void)remove(path);
        }
    } else {
        (void)remove(path);
    }
    if (!reused) {
        db = open_db(path);
        snprintf(sql, sizeof(sql),
                 "CREATE VIRTUAL TABLE t USING fts5(title, text, "
                 "tokenize=\"%s\")",
                 tokenize);
        exec(db, sql);
    }
    exec(db, getenv("KW_BENCH_PRAGMA") ? getenv("KW_BENCH_PRAGMA")
                                       : "PRAGMA cache_size = -16384; "
                                         "PRAGMA mmap_size = 268435456");
    tok_s = tokenizer_only(db, v, tokenize,
                           n_docs < 20000 ? n_docs : 20000, &tokens);
    sqlite3_prepare_v2(db, "INSERT INTO t(title, text) VALUES (?1, ?2)", -1,
                       &ins, NULL);
    rng_state = 0x9E3779B97F4A7C15ULL; /* the same articles for each */
    t = 0;
    for (i = 0; i < (reused ? 0 : n_docs); i++) {
        gen_text(v, title, sizeof(title), 8 + (int)(rnd() % 6), &tn);
        gen_text(v, body, 65536, 250 + (int)(rnd() % 200), &bn);
        bytes += tn + bn;
        t0 = now_s();
        if (i % 10000 == 0)
            exec(db, "BEGIN");
        sqlite3_bind_text(ins, 1, title, (int)tn, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, body, (int)bn, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            die("insert", sqlite3_errmsg(db));
        sqlite3_reset(ins);
        if (i % 10000 == 9999 || i == n_docs - 1)
            exec(db, "COMMIT");
        t += now_s() - t0; /* generation time excluded */
    }
    sqlite3_finalize(ins);
    sqlite3_prepare_v2(db, "SELECT sum(length(block)) FROM t_data", -1, &sel,
                       NULL);
    if (sqlite3_step(sel) == SQLITE_ROW)
        index_bytes = sqlite3_column_int64(sel, 0);
    sqlite3_finalize(sel);
    stat(path, &sb);

    /* Two sets of 100 queries, a quarter of them two words, as analysts
     * type them, run the way kw_store_search() runs a search without
     * filters: count the matches, rank by bm25 (title 10, text 1), then
     * snippets for the top 20.  'topic': words drawn uniformly from the
     * distinct words of the vocabulary, as an analyst's search terms are
     * (a name, a topic: mostly rare); 'zipf': drawn by frequency, so
     * dominated by the most common words of the text ('있다', '수'),
     * matching most of the collection -- the worst case. */
    for (set = 0; set < 4; set++) {
        sqlite3_stmt *cnt = NULL;
        search_stmts ss;
        int is_zipf = set % 2, is_window = set / 2;

        if (!is_window && no_rank_all) {
            memset(lat[set], 0, sizeof(lat[set]));
            continue;
        }
        /* rank-all: bm25 over every match, as FTS5 ranks by default;
         * newest-window: kw_store_search's way (search_run). */
        sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1,
                           &cnt, NULL);
        sqlite3_prepare_v2(
            db,
            "WITH top(id, rank) AS (SELECT rowid, bm25(t, 10.0, 1.0) "
            "FROM t WHERE t MATCH ?1 ORDER BY 2, rowid LIMIT 20) "
            "SELECT top.id, snippet(t, 1, '[', ']', '...', 24) FROM top "
            "JOIN t ON t.rowid = top.id WHERE t MATCH ?1 "
            "ORDER BY top.rank, top.id",
            -1, &sel, NULL);
        if (is_window)
            search_prepare(db, &ss, window);
        rng_state = 42;
        for (q = 0; q < 100; q++) {
            char qt[256];
            char *match = set_query(v, is_kowatch, is_zipf, q, qt);
            double rank_ms, cnt_ms;

            if (!match) {
                lat[set][q] = 0;
                continue;
            }
            if (is_window) {
                hits[set] += search_run(&ss, match, window, 0, &rank_ms,
                                        &cnt_ms);
                count_ms[set] += cnt_ms;
                lat[set][q] = rank_ms + cnt_ms;
                kw_free(match);
                continue;
            }
            t0 = now_s();
            sqlite3_bind_text(cnt, 1, match, -1, SQLITE_STATIC);
            if (sqlite3_step(cnt) == SQLITE_ROW)
                hits[set] += sqlite3_column_int64(cnt, 0);
            sqlite3_reset(cnt);
            count_ms[set] += (now_s() - t0) * 1000.0;
            sqlite3_bind_text(sel, 1, match, -1, SQLITE_STATIC);
            while (sqlite3_step(sel) == SQLITE_ROW)
                ;
            sqlite3_reset(sel);
            lat[set][q] = (now_s() - t0) * 1000.0;
            kw_free(match);
        }
        if (is_window)
            search_finalize(&ss);
        sqlite3_finalize(sel);
        sqlite3_finalize(cnt);
        qsort(lat[set], 100, sizeof(double), cmp_double);
    }
    if (profile)
        profile_queries(db, v, is_kowatch, window);
    printf("%-10s %8ld docs %8.1f MB %7.1f s %7.2f MB/s %9.0f docs/s  "
           "index %7.1f MB (file %7.1f MB)\n",
           label, n_docs, (double)bytes / 1e6, t, (double)bytes / 1e6 / t,
           (double)n_docs / t, (double)index_bytes / 1e6,
           (double)sb.st_size / 1e6);
    for (set = 0; set < 4; set++)
        printf("%-10s queries %-5s %-14s p50 %7.2f ms p95 %7.2f ms "
               "max %7.2f ms (mean %.0f matches, count(*) %.2f ms)\n",
               label, set % 2 ? "zipf" : "topic",
               set / 2 ? "newest-window" : "rank-all", lat[set][49],
               lat[set][94], lat[set][99], (double)hits[set] / 100.0,
               count_ms[set] / 100.0);
    printf("%-10s tokenizer alone (first %ld docs): %.2f s, %lld tokens\n",
           label, n_docs < 20000 ? n_docs : 20000, tok_s, tokens);
    fflush(stdout);
    sqlite3_close(db);
    if (!keep_db)
        (void)remove(path);
    else if (reused)
        printf("%-10s (index reused from %s: the build figures above are "
               "not measured)\n", label, path);
    kw_free(body);
}

int main(int argc, char **argv)
{
    const char *shared = KW_SHARED_DIR, *dir = P_tmpdir;
    const char *judged = KW_SOURCE_DIR "/bench/search_judged.tsv";
    long n_docs = 1000000, window = 2000;
    const char *only = NULL; /* --only NAME: one tokenizer's speed run */
    int is_rel = 1, is_speed = 1, i;
    vocab v = {NULL, 0, 0, NULL, 0};

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--docs") == 0 && i + 1 < argc)
            n_docs = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--shared") == 0 && i + 1 < argc)
            shared = argv[++i];
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--judged") == 0 && i + 1 < argc)
            judged = argv[++i];
        else if (strcmp(argv[i], "--no-relevance") == 0)
            is_rel = 0;
        else if (strcmp(argv[i], "--no-speed") == 0)
            is_speed = 0;
        else if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--list") == 0)
            is_list = 1;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--window") == 0 && i + 1 < argc)
            window = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--keep") == 0)
            keep_db = 1;
        else if (strcmp(argv[i], "--profile") == 0)
            profile = 1;
        else if (strcmp(argv[i], "--no-rank-all") == 0)
            no_rank_all = 1;
        else if (strcmp(argv[i], "--count-cap") == 0 && i + 1 < argc)
            count_cap = strtol(argv[++i], NULL, 10);
        else
            die(argv[i], "usage: bench_search [--docs N] [--shared DIR] "
                         "[--judged FILE] [--dir TMPDIR] [--no-relevance] "
                         "[--no-speed] "
                         "[--window N] [--count-cap N] [--only NAME] [--keep] "
                         "[--profile] [--no-rank-all] [-v] "
                         "[--list]");
    }
    if (n_docs < 1)
        die("--docs", "must be positive");
    if (is_rel) {
        print_relevance(shared, judged);
        print_stripper(shared);
    }
    if (is_speed) {
        build_vocab(&v, shared);
        vocab_distinct(&v);
        printf("\nSpeed: %ld generated articles, vocabulary of %zu words "
               "(korean-text-eval + korean-pages), SQLite %s\n",
               n_docs, v.n, sqlite3_libversion());
        if (!only || strcmp(only, "unicode61") == 0)
            run_speed(&v, "unicode61", "unicode61 remove_diacritics 2", 0,
                      n_docs, dir, window);
        if (!only || strcmp(only, "kowatch") == 0)
            run_speed(&v, "kowatch", "kowatch", 1, n_docs, dir, window);
    }
    return 0;
}
