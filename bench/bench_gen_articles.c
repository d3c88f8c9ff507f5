/*
 * bench_gen_articles -- fills a kowatch database with generated Korean
 * news articles through the store API, for bench_serve.sh.
 *
 *   bench_gen_articles DB N            N articles, 1,000 per transaction
 *   bench_gen_articles DB --write SEC  a crawl-like writer: one article per
 *                                      transaction for SEC seconds
 *
 * Titles and texts are drawn from a fixed vocabulary of the sovereign AI
 * story, with entity mentions, so searches and entity filters match a
 * realistic share of articles.  Prints what it wrote and how fast.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kw/common.h"
#include "kw/store.h"

static const char *const words[] = {
    "독자", "AI", "파운데이션", "모델", "프로젝트", "정예팀", "평가", "추가",
    "공모", "과기정통부", "컨소시엄", "GPU", "데이터", "오픈소스", "성능",
    "벤치마크", "한국어", "서비스", "출시", "투자", "인재", "연구", "발표",
    "계획", "정부", "지원", "예산", "클라우드", "반도체", "생성형",
};
static const struct {
    const char *id, *name;
} ents[] = {
    {"naver-cloud", "네이버클라우드"}, {"kakao", "카카오"},
    {"upstage", "업스테이지"},        {"lg-ai-research", "LG AI연구원"},
    {"sk-telecom", "SK텔레콤"},       {"nc-ai", "NC AI"},
    {"kt", "KT"},
};
#define N_WORDS (sizeof(words) / sizeof(words[0]))
#define N_ENTS (sizeof(ents) / sizeof(ents[0]))

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Stores generated article number @i (URLs are unique per @tag). */
static kw_err put_one(kw_store *st, const char *tag, long i, int64_t now)
{
    char url[128], title[256];
    kw_article_rec a;
    kw_mention_rec m;
    kw_buf text;
    int64_t url_id = 0, id = 0;
    size_t e = (size_t)(next() % N_ENTS);
    int k;
    kw_err rc;

    snprintf(url, sizeof(url), "https://bench.test/%s/%ld", tag, i);
    snprintf(title, sizeof(title), "%s, %s %s %s %s", ents[e].name,
             words[next() % N_WORDS], words[next() % N_WORDS],
             words[next() % N_WORDS], words[next() % N_WORDS]);
    kw_buf_init(&text, 1 << 20);
    for (k = 0; k < 120; k++) {
        kw_buf_adds(&text, k % 17 == 0 ? ents[e].name
                                       : words[next() % N_WORDS]);
        kw_buf_adds(&text, k % 12 == 11 ? ".\n\n" : " ");
    }
    rc = text.err;
    if (!rc)
        rc = kw_store_url_add(st, 0, url, KW_ROLE_ARTICLE, 0, &url_id, NULL);
    memset(&a, 0, sizeof(a));
    a.url_id = url_id;
    a.url = url;
    a.kind = "article";
    a.title = title;
    a.text = text.p;
    /* Three years of coverage: story clusters are searched within two
     * weeks of an article, as in a long-running archive. */
    a.published_at = now - (int64_t)(next() % (86400 * 365 * 3));
    a.published_offset = 540;
    a.fetched_at = now;
    if (!rc)
        rc = kw_store_article_put(st, &a, NULL, NULL, 0, &id, NULL);
    memset(&m, 0, sizeof(m));
    m.entity_id = ents[e].id;
    m.entity_name = ents[e].name;
    m.count = 8;
    if (!rc)
        rc = kw_store_analysis_put(st, id, &m, 1, NULL, 0, next(), 3, NULL);
    kw_buf_deinit(&text);
    return rc;
}

int main(int argc, char **argv)
{
    kw_store *st = NULL;
    char err[512], tag[32];
    int64_t t0 = kw_mono_ms(), now = kw_now();
    uint64_t n = 0, secs = 0;
    long i;
    kw_err rc;

    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s DB N | DB --write SECONDS\n", argv[0]);
        return 2;
    }
    if (argc == 4 && strcmp(argv[2], "--write") == 0) {
        if (kw_parse_u64(argv[3], strlen(argv[3]), &secs))
            return 2;
    } else if (kw_parse_u64(argv[2], strlen(argv[2]), &n)) {
        fprintf(stderr, "N must be a whole number\n");
        return 2;
    }
    if (kw_store_open(argv[1], err, sizeof(err), &st)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (secs) {
        snprintf(tag, sizeof(tag), "w%lld", (long long)now);
        rng ^= (uint64_t)now;
        for (i = 0; kw_mono_ms() - t0 < (int64_t)secs * 1000; i++) {
            rc = put_one(st, tag, i, now);
            if (rc) {
                fprintf(stderr, "write: %s\n", kw_store_errmsg(st));
                break;
            }
        }
        printf("writer: %ld articles in %llu s (%.0f/s)\n", i,
               (unsigned long long)secs, (double)i / (double)secs);
    } else {
        for (i = 0; i < (long)n; i++) {
            if (i % 1000 == 0 && kw_store_begin(st))
                break;
            rc = put_one(st, "g", i, now);
            if (rc) {
                fprintf(stderr, "fill: %s\n", kw_store_errmsg(st));
                kw_store_rollback(st);
                kw_store_close(st);
                return 1;
            }
            if ((i % 1000 == 999 || i + 1 == (long)n) && kw_store_commit(st))
                break;
        }
        printf("generated %ld articles in %.1f s\n", i,
               (double)(kw_mono_ms() - t0) / 1000.0);
    }
    kw_store_close(st);
    return 0;
}
