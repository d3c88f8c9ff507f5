/*
 * bench_search.c -- relevance and speed of Korean search: the 'kowatch'
 * FTS5 tokenizer (store/tokenizer.c) against unicode61 and trigram on the
 * same data in the same run.
 *
 * Relevance.  Two collections, every query judged independently of any
 * tokenizer:
 *   tagged  the 191 hand-tagged sentences of ../shared/korean-text-eval
 *           (Kiwi, LGPL-2.1-or-later) as documents; queries are tagged
 *           nouns; a sentence is relevant when the tags show the noun as
 *           a word of its own or as the head of a compound, with any
 *           particles (a noun glued before another noun, 네이버|웹툰, is
 *           a modifier: not relevant, as DESIGN.md asks for companies);
 *   hand    30 news-like sentences with traps (주가/평가, 경기도/경기,
 *           고양이/고양시, 네이버/네이버웹툰, SK텔레콤/SK하이닉스), mixed
 *           script (LG AI연구원, Qwen, 하이퍼클로바X / 하이퍼클로바 X),
 *           spacing variants and one-syllable words, judged by hand.
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
 *   bench_search [--docs N] [--shared DIR] [--dir TMPDIR]
 *                [--no-relevance] [--no-speed]
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
    if (kw__store_tokenizer_register(db) != SQLITE_OK)
        die(path, "cannot register the kowatch tokenizer");
    exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
    return db;
}

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- Collections -------------------------------------------------------- */

typedef struct query {
    char text[128];   /* as an analyst types it */
    int rel[MAX_REL]; /* relevant document numbers */
    int n_rel;
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
};

static const struct {
    const char *q;
    int rel[12];
} hand_queries[] = {
    {"LG AI연구원", {0, 1, -1}},
    {"SK텔레콤", {3, 4, -1}},
    {"하이퍼클로바X", {6, 7, -1}},
    {"하이퍼클로바 X", {6, 7, -1}},
    {"Qwen", {10, 11, -1}},
    {"네이버", {7, 9, -1}},
    {"네이버클라우드", {6, -1}},
    {"\"추가 공모\"", {3, 9, 20, 22, -1}},
    {"공모", {3, 9, 20, 22, -1}},
    {"주가", {12, -1}},
    {"평가", {12, 13, 24, -1}},
    {"경기도", {14, -1}},
    {"경기", {15, -1}},
    {"고양이", {16, -1}},
    {"신뢰도", {18, -1}},
    {"신뢰", {19, -1}},
    {"카카오", {20, -1}},
    {"과기정통부", {22, -1}},
    {"책", {27, -1}},
    {"차", {28, -1}},
    {"KT", {29, -1}},
    {"연구원", {0, 1, -1}},
    {"엔씨AI", {26, -1}},
    {"모델", {1, 3, 7, 10, 11, 18, 23, 24, 29, -1}},
    {"발표", {1, 2, 13, 22, 23, -1}},
    {"참여", {3, 4, 29, -1}},
};

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
        for (k = 0; hand_queries[i].rel[k] >= 0; k++)
            c->q[i].rel[c->q[i].n_rel++] = hand_queries[i].rel[k];
    }
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
        if (i + 1 < s->n &&
            (is_noun(s->tag[i + 1]) || strcmp(s->tag[i + 1], "XSN") == 0)) {
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

static void build_tagged(collection *c, const char *shared, int want_q)
{
    static const char *const files[] = {"web.txt", "written.txt"};
    static tagged sent[MAX_DOCS];
    char *nouns[8192];
    int n_nouns = 0, f, i, j, picked = 0, one_syl = 0;

    c->name = "tagged";
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

static metrics run_relevance(const collection *c, const char *tokenize,
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
        const query *q = &c->q[i];
        char *match = match_for(q->text, is_kowatch);
        int rank = 0, hit10 = 0, hit100 = 0, hits = 0, first = 0, rc;

        sqlite3_bind_text(sel, 1, match, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
            int doc = sqlite3_column_int(sel, 0) - 1;

            rank++;
            if (!in_rel(q, doc))
                continue;
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
        m.r10 += (double)hit10 / (q->n_rel < 10 ? q->n_rel : 10);
        m.r100 += (double)hit100 / (q->n_rel < 100 ? q->n_rel : 100);
        m.mrr += first ? 1.0 / first : 0.0;
        m.rec += (double)hits / q->n_rel;
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

static void print_relevance(const char *shared)
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
    collection cs[2];
    size_t t;
    int k;

    memset(cs, 0, sizeof(cs));
    build_tagged(&cs[0], shared, 40);
    build_hand(&cs[1]);
    printf("Relevance: %s %d docs %d queries; %s %d docs %d queries\n",
           cs[0].name, cs[0].n_docs, cs[0].n_q, cs[1].name, cs[1].n_docs,
           cs[1].n_q);
    printf("%-20s %-7s %5s %6s %7s %6s %6s %6s\n", "tokenizer", "coll",
           "R@10", "R@100", "MRR", "prec", "recall", "noans");
    for (t = 0; t < sizeof(toks) / sizeof(toks[0]); t++) {
        metrics all;

        memset(&all, 0, sizeof(all));
        for (k = 0; k < 2; k++) {
            metrics m = run_relevance(&cs[k], toks[t].tokenize,
                                      toks[t].is_kowatch);

            printf("%-20s %-7s %5.3f %6.3f %7.3f %6.3f %6.3f %6d\n",
                   toks[t].label, cs[k].name, m.r10 / m.n_q, m.r100 / m.n_q,
                   m.mrr / m.n_q, m.n_prec ? m.prec / m.n_prec : 0.0,
                   m.rec / m.n_q, m.n_q - m.n_prec);
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
    }
    printf("(R@k over min(|rel|,k); prec = mean precision of all matches "
           "over queries with any match; noans = queries with no match)\n");
}

/* ---- Speed -------------------------------------------------------------- */

typedef struct vocab {
    char **w;
    size_t n, cap;
} vocab;

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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void run_speed(const vocab *v, const char *label, const char *tokenize,
                      int is_kowatch, long n_docs, const char *dir)
{
    char path[1024], sql[512], title[1024], *body;
    sqlite3 *db;
    sqlite3_stmt *ins = NULL, *sel = NULL;
    double t0, t, lat[100];
    long i;
    size_t bytes = 0, tn, bn;
    long long index_bytes = 0;
    int q;
    struct stat sb;

    body = kw_malloc(65536);
    snprintf(path, sizeof(path), "%s/bench_search_%s_%ld.db", dir, label,
             (long)getpid());
    (void)remove(path);
    db = open_db(path);
    snprintf(sql, sizeof(sql),
             "CREATE VIRTUAL TABLE t USING fts5(title, text, "
             "tokenize=\"%s\")",
             tokenize);
    exec(db, sql);
    sqlite3_prepare_v2(db, "INSERT INTO t(title, text) VALUES (?1, ?2)", -1,
                       &ins, NULL);
    rng_state = 0x9E3779B97F4A7C15ULL; /* the same articles for each */
    t = 0;
    for (i = 0; i < n_docs; i++) {
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

    /* 100 queries: words of the vocabulary at spread-out ranks, some
     * two-word, as analysts type them. */
    sqlite3_prepare_v2(db,
                       "SELECT rowid, snippet(t, 1, '[', ']', '...', 16) "
                       "FROM t WHERE t MATCH ?1 ORDER BY rank LIMIT 20",
                       -1, &sel, NULL);
    rng_state = 42;
    for (q = 0; q < 100; q++) {
        char qt[256];
        const char *w1 = v->w[zipf(v->n)], *w2 = v->w[zipf(v->n)];
        char *match;

        if (q % 4 == 3)
            snprintf(qt, sizeof(qt), "%s %s", w1, w2);
        else
            snprintf(qt, sizeof(qt), "%s", w1);
        for (i = 0; qt[i]; i++) {
            if (strchr("\"()*-", qt[i]))
                qt[i] = ' ';
        }
        if (is_kowatch) {
            char err[256];

            match = NULL;
            if (kw_query_compile(qt, err, sizeof(err), &match)) {
                lat[q] = 0;
                continue;
            }
        } else {
            match = match_for(qt, 0);
        }
        t0 = now_s();
        sqlite3_bind_text(sel, 1, match, -1, SQLITE_STATIC);
        while (sqlite3_step(sel) == SQLITE_ROW)
            ;
        sqlite3_reset(sel);
        lat[q] = (now_s() - t0) * 1000.0;
        kw_free(match);
    }
    sqlite3_finalize(sel);
    qsort(lat, 100, sizeof(double), cmp_double);
    printf("%-10s %8ld docs %8.1f MB %7.1f s %7.2f MB/s %9.0f docs/s  "
           "index %7.1f MB (file %7.1f MB)  query p50 %.2f ms p95 %.2f ms "
           "max %.2f ms\n",
           label, n_docs, (double)bytes / 1e6, t, (double)bytes / 1e6 / t,
           (double)n_docs / t, (double)index_bytes / 1e6,
           (double)sb.st_size / 1e6, lat[49], lat[94], lat[99]);
    fflush(stdout);
    sqlite3_close(db);
    (void)remove(path);
    kw_free(body);
}

int main(int argc, char **argv)
{
    const char *shared = KW_SHARED_DIR, *dir = P_tmpdir;
    long n_docs = 1000000;
    int is_rel = 1, is_speed = 1, i;
    vocab v = {NULL, 0, 0};

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--docs") == 0 && i + 1 < argc)
            n_docs = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--shared") == 0 && i + 1 < argc)
            shared = argv[++i];
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--no-relevance") == 0)
            is_rel = 0;
        else if (strcmp(argv[i], "--no-speed") == 0)
            is_speed = 0;
        else
            die(argv[i], "usage: bench_search [--docs N] [--shared DIR] "
                         "[--dir TMPDIR] [--no-relevance] [--no-speed]");
    }
    if (n_docs < 1)
        die("--docs", "must be positive");
    if (is_rel)
        print_relevance(shared);
    if (is_speed) {
        build_vocab(&v, shared);
        printf("\nSpeed: %ld generated articles, vocabulary of %zu words "
               "(korean-text-eval + korean-pages), SQLite %s\n",
               n_docs, v.n, sqlite3_libversion());
        run_speed(&v, "unicode61", "unicode61 remove_diacritics 2", 0,
                  n_docs, dir);
        run_speed(&v, "kowatch", "kowatch", 1, n_docs, dir);
    }
    return 0;
}
