/*
 * bench_crawl.c -- end-to-end crawl benchmark (issue 3): fetch, archive,
 * extract and index against a local server, plus the memory of a large
 * frontier.
 *
 * Crawl.  H hosts x P generated Korean article pages (2-6 KB of text
 * each: title, og meta, a date, a byline, paragraphs drawn from a news
 * vocabulary plus generated names, so FTS sees a real vocabulary), an RSS
 * feed per host listing its P articles, and a robots.txt per host.  Each
 * host is its own libmicrohttpd daemon (one epoll thread) bound to a
 * distinct loopback address 127.0.0.N, N = 1..H (never anything but
 * 127/8).  The server runs in a forked child, so the crawler process's
 * getrusage() is the crawler alone; the child's own usage (wait4) is
 * reported too.  A fresh store gets H rss sources and kw_crawler_run()
 * runs with once=1 and host_delay_ms=0.  Reported: wall time, pages/s
 * (requests served: robots + feeds + articles), CPU ms per page of the
 * crawler and of crawler + server, peak RSS (ru_maxrss) of the crawler
 * process; the store must then hold exactly H*P articles.
 *
 * Frontier.  In another fresh process and store, N URLs (one host) go
 * in through kw_store_url_add in transactions of 10,000; then the due
 * query the crawler uses (kw_store_url_due, limit 1000) and the due count
 * it reports every second (kw_store_url_count_due) are timed; then
 * kw_crawler_run (once=1) runs against a server whose robots.txt
 * disallows everything: no page is fetched, the crawler walks the whole
 * frontier recording each URL as denied (bounded by --frontier-timeout).
 * ru_maxrss is reported after each step (it is a high-water mark, so each
 * figure includes the steps before it).
 *
 *   bench_crawl [--hosts H] [--pages P] [--concurrency C] [--frontier N]
 *               [--frontier-timeout S] [--no-crawl] [--keep] [-v]
 */
/* wait4(), nftw(), mkdtemp(): the build defines _DEFAULT_SOURCE. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#define _XOPEN_SOURCE 700
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kw/common.h"
#include "kw/crawler.h"
#include "kw/store.h"

#define MAX_HOSTS 254
#define URL_TXN 10000

typedef struct opts {
    int hosts;
    int pages;
    size_t concurrency;
    long frontier;
    int frontier_timeout_s;
    int no_crawl;
    int keep;
    int verbose;
} opts;

/* ---- Small helpers ------------------------------------------------------ */

static double tv_ms(struct timeval tv)
{
    return (double)tv.tv_sec * 1000.0 + (double)tv.tv_usec / 1000.0;
}

static double cpu_ms(const struct rusage *ru)
{
    return tv_ms(ru->ru_utime) + tv_ms(ru->ru_stime);
}

static long self_maxrss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Nanoseconds this process's main thread spent waiting for a CPU
 * (second field of /proc/self/schedstat); -1 if unknown. */
static int64_t runq_wait_ns(void)
{
    FILE *f = fopen("/proc/self/schedstat", "r");
    unsigned long long run = 0, wait = 0;
    int n;

    if (!f)
        return -1;
    n = fscanf(f, "%llu %llu", &run, &wait);
    fclose(f);
    return n == 2 ? (int64_t)wait : -1;
}

static int read_full(int fd, void *p, size_t n)
{
    char *c = p;

    while (n > 0) {
        ssize_t r = read(fd, c, n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t r = write(fd, c, n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

static int64_t du_bytes;

static int du_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *f)
{
    (void)p;
    (void)f;
    if (flag == FTW_F)
        du_bytes += (int64_t)sb->st_size;
    return 0;
}

static int64_t dir_bytes(const char *dir)
{
    du_bytes = 0;
    nftw(dir, du_entry, 16, FTW_PHYS);
    return du_bytes;
}

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 127.0.0.1 .. 127.0.0.254: loopback only. */
static uint32_t host_addr(int i)
{
    return (UINT32_C(127) << 24) | (uint32_t)(i + 1);
}

static void host_base(int i, unsigned port, char *out, size_t n)
{
    snprintf(out, n, "http://127.0.0.%d:%u", i + 1, port);
}

/* ---- Text generation ---------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static size_t rng_below(uint64_t *s, size_t n)
{
    return (size_t)(rng_next(s) % n);
}

#define PICK(rng, arr) (arr[rng_below(rng, sizeof(arr) / sizeof(arr[0]))])

static const char *const nouns[] = {
    "정부", "국회", "대통령실", "장관", "경제", "기업", "시장", "금리",
    "물가", "수출", "반도체", "인공지능", "교육", "학생", "병원", "의료",
    "환경", "기후", "에너지", "전력", "부동산", "주택", "지역", "주민",
    "예산", "정책", "법안", "위원회", "검찰", "법원", "경찰", "사고",
    "화재", "날씨", "태풍", "농업", "어업", "관광", "문화", "공연",
    "영화", "스포츠", "야구", "축구", "선수", "대표팀", "외교", "북한",
    "미국", "중국", "일본", "국방", "안보", "노동", "일자리", "청년",
    "고용", "임금", "연금", "복지", "보건", "백신", "과학", "기술",
    "연구", "대학", "산업", "투자", "은행", "증시", "코스피", "환율",
    "무역", "협정", "선거", "여당", "야당", "후보", "여론", "조사",
    "계획", "사업", "지원", "개발", "건설", "교통", "철도", "공항",
    "항만", "도로", "데이터", "플랫폼", "배터리", "전기차", "조선", "철강",
    "수소", "원전", "재생에너지", "통신", "보안", "규제", "세금", "재정",
    "저출산", "고령화", "인구", "이민", "다문화", "소비자", "유통", "물류",
};

static const char *const places[] = {
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종",
    "경기", "강원", "충북", "충남", "전북", "전남", "경북", "경남",
    "제주", "수원", "창원", "고양", "용인", "성남", "청주", "천안",
};

static const char *const preds[] = {
    "밝혔다", "발표했다", "전망된다", "증가했다", "감소했다",
    "추진한다", "검토하고 있다", "강조했다", "지적했다", "설명했다",
    "결정했다", "나타났다", "예상된다", "논의했다", "합의했다",
    "요구했다", "우려했다", "기대된다", "확대한다", "시행한다",
    "집계됐다", "공개했다", "점검했다", "제안했다", "마련했다",
};

static const char *const advs[] = {
    "올해", "지난해", "내년", "최근", "이번", "다음 달", "지난달",
    "크게", "다시", "처음으로", "본격적으로", "대폭", "점차", "여전히",
    "이날", "앞서", "특히", "한편", "또한", "아울러",
};

static const char *const title_ends[] = {
    "추진", "발표", "확대", "논란", "급증", "합의", "우려", "착수",
    "검토", "본격화", "첫 공개", "비상", "돌파", "감소세", "재개",
};

static const char *const org_sfx[] = {
    "산업", "전자", "건설", "은행", "시", "군", "구청", "대학교",
    "재단", "센터", "연구원", "협회", "바이오", "에너지", "통상",
};

static const char *const syl[] = {
    "가", "나", "다", "라", "마", "바", "사", "아", "자", "차", "카",
    "타", "파", "하", "한", "성", "민", "준", "서", "연", "지", "현",
    "우", "진", "영", "수", "경", "정", "호", "미", "태", "은", "재",
    "동", "상", "희", "윤", "혜", "석", "철", "보", "명", "광", "길",
};

static const char *const surnames[] = {
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오",
};

/* 1 if the last syllable of @w (UTF-8) has a final consonant. */
static int has_batchim(const char *w)
{
    size_t n = strlen(w);
    const unsigned char *p;
    unsigned cp;

    if (n < 3)
        return 0;
    p = (const unsigned char *)w + n - 3;
    if ((p[0] & 0xF0) != 0xE0)
        return 0;
    cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) |
         (unsigned)(p[2] & 0x3F);
    if (cp < 0xAC00 || cp > 0xD7A3)
        return 0;
    return (cp - 0xAC00) % 28 != 0;
}

/* A noun followed by a particle chosen for its final consonant. */
static void add_noun_p(kw_buf *b, const char *w, int kind)
{
    static const char *const with[] = {"은", "이", "을", "과", "으로"};
    static const char *const without[] = {"는", "가", "를", "와", "로"};
    int bat = has_batchim(w);

    kw_buf_adds(b, w);
    if (kind == 5) {
        kw_buf_adds(b, "의");
        return;
    }
    if (kind == 6) {
        kw_buf_adds(b, "에서");
        return;
    }
    kw_buf_adds(b, bat ? with[kind] : without[kind]);
}

static void add_name(kw_buf *b, uint64_t *r, size_t n_syl)
{
    size_t i;

    for (i = 0; i < n_syl; i++)
        kw_buf_adds(b, PICK(r, syl));
}

static void add_org(kw_buf *b, uint64_t *r)
{
    add_name(b, r, 2);
    kw_buf_adds(b, PICK(r, org_sfx));
}

static void add_number(kw_buf *b, uint64_t *r)
{
    switch (rng_below(r, 4)) {
    case 0:
        kw_buf_addf(b, "%zu억 원", 10 + rng_below(r, 9990));
        break;
    case 1:
        kw_buf_addf(b, "%zu.%zu%%", rng_below(r, 40), rng_below(r, 10));
        break;
    case 2:
        kw_buf_addf(b, "%zu명", 100 + rng_below(r, 99900));
        break;
    default:
        kw_buf_addf(b, "%zu건", 1 + rng_below(r, 5000));
        break;
    }
}

static void add_sentence(kw_buf *b, uint64_t *r)
{
    char org[64];
    kw_buf t;

    if (rng_below(r, 2))
        kw_buf_addf(b, "%s ", PICK(r, advs));
    if (rng_below(r, 3) == 0) {
        kw_buf_init(&t, sizeof(org) - 1);
        add_org(&t, r);
        snprintf(org, sizeof(org), "%s", t.p ? t.p : "기관");
        kw_buf_deinit(&t);
        add_noun_p(b, org, 0);
    } else if (rng_below(r, 2)) {
        add_noun_p(b, PICK(r, places), 5);
        kw_buf_addc(b, ' ');
        add_noun_p(b, PICK(r, nouns), 0);
    } else {
        add_noun_p(b, PICK(r, nouns), 1);
    }
    kw_buf_addc(b, ' ');
    add_noun_p(b, PICK(r, nouns), 5);
    kw_buf_addc(b, ' ');
    add_noun_p(b, PICK(r, nouns), 6);
    kw_buf_addc(b, ' ');
    if (rng_below(r, 2)) {
        add_number(b, r);
        kw_buf_adds(b, " 규모의 ");
    }
    add_noun_p(b, PICK(r, nouns), 5);
    kw_buf_addc(b, ' ');
    add_noun_p(b, PICK(r, nouns), 2);
    kw_buf_addc(b, ' ');
    kw_buf_adds(b, PICK(r, preds));
    kw_buf_adds(b, ". ");
}

static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed",
                                    "Thu", "Fri", "Sat"};

typedef struct gen_page {
    char *html;
    size_t html_n;
    char title[512];
    int day, hour, min;
} gen_page;

/* One article of host @h, number @i; Jan/Feb 2026 dates. */
static int gen_article(int h, int i, const char *base, gen_page *pg)
{
    uint64_t r = (uint64_t)(h + 1) * UINT64_C(0x9E3779B97F4A7C15) ^
                 (uint64_t)(i + 1) * UINT64_C(0xBF58476D1CE4E5B9);
    size_t target, start;
    kw_buf b, t;
    char reporter[64];
    int k;

    for (k = 0; k < 4; k++)
        rng_next(&r);
    pg->day = 1 + (i % 28);
    pg->hour = (int)rng_below(&r, 24);
    pg->min = (int)rng_below(&r, 60);
    kw_buf_init(&t, sizeof(pg->title) - 1);
    add_org(&t, &r);
    kw_buf_addc(&t, ' ');
    kw_buf_adds(&t, PICK(&r, nouns));
    kw_buf_addc(&t, ' ');
    kw_buf_adds(&t, PICK(&r, nouns));
    kw_buf_addc(&t, ' ');
    add_number(&t, &r);
    kw_buf_addc(&t, ' ');
    kw_buf_adds(&t, PICK(&r, title_ends));
    snprintf(pg->title, sizeof(pg->title), "%s", t.p ? t.p : "기사");
    kw_buf_deinit(&t);
    snprintf(reporter, sizeof(reporter), "%s", PICK(&r, surnames));
    {
        size_t rn = strlen(reporter);

        snprintf(reporter + rn, sizeof(reporter) - rn, "%s%s",
                 PICK(&r, syl), PICK(&r, syl));
    }
    target = 2048 + rng_below(&r, 4097);

    kw_buf_init(&b, (size_t)1 << 20);
    kw_buf_addf(&b,
                "<!DOCTYPE html><html lang=\"ko\"><head>"
                "<meta charset=\"utf-8\">"
                "<title>%s - 코와치뉴스%d</title>\n"
                "<meta property=\"og:type\" content=\"article\">\n"
                "<meta property=\"og:site_name\" content=\"코와치뉴스%d\">\n"
                "<meta property=\"og:title\" content=\"%s\">\n"
                "<meta property=\"og:url\" content=\"%s/news/%d.html\">\n"
                "<meta property=\"article:published_time\" "
                "content=\"2026-01-%02dT%02d:%02d:00+09:00\">\n"
                "<meta name=\"author\" content=\"%s 기자\">\n",
                pg->title, h + 1, h + 1, pg->title, base, i, pg->day,
                pg->hour, pg->min, reporter);
    kw_buf_adds(&b, "<meta property=\"og:description\" content=\"");
    add_sentence(&b, &r);
    kw_buf_adds(&b, "\">\n</head><body><header><nav><a href=\"/\">홈</a> "
                    "<a href=\"/section/politics\">정치</a> "
                    "<a href=\"/section/economy\">경제</a> "
                    "<a href=\"/section/society\">사회</a></nav></header>\n"
                    "<main><article>");
    kw_buf_addf(&b,
                "<h1>%s</h1>\n<p class=\"byline\">%s 기자 "
                "<time datetime=\"2026-01-%02dT%02d:%02d:00+09:00\">"
                "2026.01.%02d %02d:%02d</time></p>\n",
                pg->title, reporter, pg->day, pg->hour, pg->min, pg->day,
                pg->hour, pg->min);
    start = b.n;
    while (b.n - start < target && !b.err) {
        size_t s, ns = 3 + rng_below(&r, 4);

        kw_buf_adds(&b, "<p>");
        for (s = 0; s < ns; s++)
            add_sentence(&b, &r);
        kw_buf_adds(&b, "</p>\n");
    }
    kw_buf_addf(&b, "<p>%s 기자 %c%c%c@kowatch.example</p>"
                    "</article>\n<aside><h2>많이 본 뉴스</h2><ul>",
                reporter, (char)('a' + rng_below(&r, 26)),
                (char)('a' + rng_below(&r, 26)),
                (char)('a' + rng_below(&r, 26)));
    for (k = 0; k < 5; k++)
        kw_buf_addf(&b, "<li><a href=\"/news/%zu.html\">관련 기사</a></li>",
                    rng_below(&r, 100000));
    kw_buf_addf(&b, "</ul></aside></main>\n<footer>Copyright 코와치뉴스%d. "
                    "무단 전재 및 재배포 금지.</footer></body></html>\n",
                h + 1);
    pg->html_n = b.n;
    pg->html = kw_buf_steal(&b);
    return pg->html ? 0 : -1;
}

/* ---- The server (a forked child) ---------------------------------------- */

typedef struct srv_host {
    struct MHD_Daemon *d;
    struct MHD_Response *robots;
    struct MHD_Response *feed;
    struct MHD_Response **pages;
    char **bodies;
    int n_pages;
} srv_host;

static atomic_long srv_requests;
static struct MHD_Response *srv_404;

static enum MHD_Result srv_answer(void *cls, struct MHD_Connection *con,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_n, void **con_cls)
{
    srv_host *h = cls;
    struct MHD_Response *resp = srv_404;
    unsigned status = MHD_HTTP_NOT_FOUND;

    (void)method;
    (void)version;
    (void)upload;
    (void)upload_n;
    (void)con_cls;
    atomic_fetch_add(&srv_requests, 1);
    if (strcmp(url, "/robots.txt") == 0) {
        resp = h->robots;
        status = MHD_HTTP_OK;
    } else if (strcmp(url, "/rss.xml") == 0 && h->feed) {
        resp = h->feed;
        status = MHD_HTTP_OK;
    } else if (strncmp(url, "/news/", 6) == 0) {
        char *end = NULL;
        long i = strtol(url + 6, &end, 10);

        if (end != url + 6 && strcmp(end, ".html") == 0 && i >= 0 &&
            i < h->n_pages && h->pages) {
            resp = h->pages[i];
            status = MHD_HTTP_OK;
        }
    }
    return MHD_queue_response(con, status, resp);
}

static struct MHD_Response *static_resp(const char *body, size_t n,
                                        const char *ctype)
{
    struct MHD_Response *r;

    r = MHD_create_response_from_buffer(n, (void *)body,
                                        MHD_RESPMEM_PERSISTENT);
    if (r) {
        MHD_add_response_header(r, "Content-Type", ctype);
        MHD_add_response_header(r, "Server", "kowatch-bench");
    }
    return r;
}

static int build_host(srv_host *h, int hi, unsigned port, int n_pages,
                      int deny_all)
{
    static const char robots_ok[] = "User-agent: *\nDisallow: /admin/\n"
                                    "Allow: /\n";
    static const char robots_deny[] = "User-agent: *\nDisallow: /\n";
    char base[64];
    kw_buf feed;
    char *feed_body;
    size_t feed_n;
    int i;

    host_base(hi, port, base, sizeof(base));
    h->robots = deny_all
                    ? static_resp(robots_deny, sizeof(robots_deny) - 1,
                                  "text/plain")
                    : static_resp(robots_ok, sizeof(robots_ok) - 1,
                                  "text/plain");
    if (!h->robots)
        return -1;
    if (deny_all)
        return 0;
    h->n_pages = n_pages;
    h->pages = kw_calloc((size_t)n_pages + 1, sizeof(*h->pages));
    h->bodies = kw_calloc((size_t)n_pages + 1, sizeof(*h->bodies));
    if (!h->pages || !h->bodies)
        return -1;
    kw_buf_init(&feed, (size_t)64 << 20);
    kw_buf_addf(&feed,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<rss version=\"2.0\"><channel><title>코와치뉴스%d 전체기사"
                "</title><link>%s/</link><description>코와치뉴스%d의 최신 "
                "기사</description><language>ko</language>\n",
                hi + 1, base, hi + 1);
    for (i = 0; i < n_pages; i++) {
        gen_page pg;

        memset(&pg, 0, sizeof(pg));
        if (gen_article(hi, i, base, &pg))
            return -1;
        h->bodies[i] = pg.html;
        h->pages[i] = static_resp(pg.html, pg.html_n,
                                  "text/html; charset=utf-8");
        if (!h->pages[i])
            return -1;
        kw_buf_addf(&feed,
                    "<item><title>%s</title><link>%s/news/%d.html</link>"
                    "<guid>%s/news/%d.html</guid>"
                    "<pubDate>%s, %02d Jan 2026 %02d:%02d:00 +0900"
                    "</pubDate></item>\n",
                    pg.title, base, i, base, i,
                    wdays[(4 + pg.day - 1) % 7], pg.day, pg.hour, pg.min);
    }
    kw_buf_adds(&feed, "</channel></rss>\n");
    feed_n = feed.n;
    feed_body = kw_buf_steal(&feed);
    if (!feed_body)
        return -1;
    h->bodies[n_pages] = feed_body;
    h->feed = static_resp(feed_body, feed_n, "application/rss+xml");
    return h->feed ? 0 : -1;
}

static struct MHD_Daemon *start_daemon(srv_host *h, int hi)
{
    struct sockaddr_in sin;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;

    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL_INTERNAL_THREAD;
    else if (MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES)
        flags |= MHD_USE_POLL_INTERNAL_THREAD;
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(host_addr(hi));
    sin.sin_port = 0;
    return MHD_start_daemon(flags, 0, NULL, NULL, srv_answer, h,
                            MHD_OPTION_SOCK_ADDR, &sin,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                            MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
                            MHD_OPTION_END);
}

/*
 * The child: starts @n_hosts daemons, renders every response, writes the
 * ports to @info_fd (the parent's "ready"), serves until @ctl_fd reaches
 * EOF, then writes the request count and exits.
 */
static void server_child(int n_hosts, int n_pages, int deny_all, int ctl_fd,
                         int info_fd)
{
    srv_host *hosts = kw_calloc((size_t)n_hosts, sizeof(*hosts));
    uint16_t *ports = kw_calloc((size_t)n_hosts, sizeof(*ports));
    static const char nf[] = "not found\n";
    char c;
    long n_req;
    int i;

    if (!hosts || !ports)
        _exit(2);
    srv_404 = static_resp(nf, sizeof(nf) - 1, "text/plain");
    if (!srv_404)
        _exit(2);
    for (i = 0; i < n_hosts; i++) {
        const union MHD_DaemonInfo *info;

        hosts[i].d = start_daemon(&hosts[i], i);
        if (!hosts[i].d) {
            fprintf(stderr, "bench_crawl: cannot start a daemon on "
                            "127.0.0.%d\n", i + 1);
            _exit(2);
        }
        info = MHD_get_daemon_info(hosts[i].d, MHD_DAEMON_INFO_BIND_PORT);
        if (!info || !info->port)
            _exit(2);
        ports[i] = info->port;
    }
    for (i = 0; i < n_hosts; i++) {
        if (build_host(&hosts[i], i, ports[i], n_pages, deny_all)) {
            fprintf(stderr, "bench_crawl: cannot render host %d\n", i + 1);
            _exit(2);
        }
    }
    if (write_full(info_fd, ports, (size_t)n_hosts * sizeof(*ports)))
        _exit(2);
    while (read(ctl_fd, &c, 1) != 0) {
        if (errno != EINTR)
            break;
    }
    for (i = 0; i < n_hosts; i++)
        MHD_stop_daemon(hosts[i].d);
    n_req = atomic_load(&srv_requests);
    (void)write_full(info_fd, &n_req, sizeof(n_req));
    _exit(0);
}

typedef struct server {
    pid_t pid;
    int ctl_fd;  /* write end: closing it stops the server */
    int info_fd; /* read end */
    uint16_t *ports;
    int n_hosts;
} server;

static int server_start(server *s, int n_hosts, int n_pages, int deny_all)
{
    int ctl[2], info[2];

    memset(s, 0, sizeof(*s));
    if (pipe(ctl) || pipe(info))
        return -1;
    fflush(stdout);
    fflush(stderr);
    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        close(ctl[1]);
        close(info[0]);
        server_child(n_hosts, n_pages, deny_all, ctl[0], info[1]);
    }
    close(ctl[0]);
    close(info[1]);
    s->ctl_fd = ctl[1];
    s->info_fd = info[0];
    s->n_hosts = n_hosts;
    s->ports = kw_calloc((size_t)n_hosts, sizeof(*s->ports));
    if (!s->ports ||
        read_full(s->info_fd, s->ports, (size_t)n_hosts * sizeof(*s->ports)))
        return -1;
    return 0;
}

/* Stops the server; *requests and *ru get its count and usage. */
static int server_stop(server *s, long *requests, struct rusage *ru)
{
    int status = 0;

    *requests = -1;
    memset(ru, 0, sizeof(*ru));
    close(s->ctl_fd);
    if (read_full(s->info_fd, requests, sizeof(*requests)))
        *requests = -1;
    close(s->info_fd);
    if (wait4(s->pid, &status, 0, ru) < 0)
        return -1;
    kw_free(s->ports);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ---- Crawler set-up ----------------------------------------------------- */

static void log_sink(kw_log_level level, const char *module, const char *msg,
                     void *ud)
{
    (void)ud;
    fprintf(stderr, "[%s] %s: %s\n", kw_log_level_name(level), module, msg);
}

static void progress(const kw_crawl_stats *s, void *ud)
{
    (void)ud;
    fprintf(stderr,
            "  %6.1fs fetched %" PRId64 " articles %" PRId64 " denied %" PRId64
            " errors %" PRId64 " queued %" PRId64 " maxrss %ld KB\n",
            (double)s->elapsed_ms / 1000.0, s->fetched, s->articles,
            s->denied, s->errors, s->queued, self_maxrss_kb());
}

static volatile sig_atomic_t stop_flag;

static void on_alarm(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static kw_crawler_config bench_cfg(const opts *o, const char *archive)
{
    kw_crawler_config c = kw_crawler_config_default();

    c.archive_dir = archive;
    c.host_delay_ms = 0;
    c.concurrency = o->concurrency;
    c.connect_timeout_ms = 5000;
    c.timeout_ms = 30000;
    c.low_speed_time_s = 10;
    c.once = 1;
    c.stop = &stop_flag;
    if (o->verbose) {
        c.progress = progress;
        c.progress_ud = NULL;
    }
    return c;
}

static int make_dir(char *dir, size_t n, char *db, size_t db_n,
                    char *archive, size_t ar_n)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(dir, n, "%s/kw_bench_crawl_XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(db, db_n, "%s/kw.db", dir);
    snprintf(archive, ar_n, "%s/archive", dir);
    return 0;
}

/* ---- Phase 1: the crawl ------------------------------------------------- */

static int phase_crawl(const opts *o)
{
    char dir[512], db[600], archive[600], err[512], name[64], url[128];
    struct rusage ru0, ru1, sru;
    kw_crawl_stats stats;
    kw_crawler_config cfg;
    kw_store *st = NULL;
    server srv;
    int64_t t0, t1, rq0, rq1, n_articles = -1;
    long requests;
    double wall_s, cpu_c, cpu_s, pages;
    int64_t expect_pages = (int64_t)o->hosts * o->pages;
    int64_t expect_req = expect_pages + 2 * (int64_t)o->hosts;
    kw_err rc;
    int i, ok;

    if (make_dir(dir, sizeof(dir), db, sizeof(db), archive, sizeof(archive)))
        return 1;
    t0 = kw_mono_ms();
    if (server_start(&srv, o->hosts, o->pages, 0)) {
        fprintf(stderr, "bench_crawl: the server did not start\n");
        return 1;
    }
    printf("server: %d daemons on 127.0.0.1..127.0.0.%d (child pid %d), "
           "rendered in %.1f s\n",
           o->hosts, o->hosts, (int)srv.pid,
           (double)(kw_mono_ms() - t0) / 1000.0);
    if (kw_crawler_global_init()) {
        fprintf(stderr, "bench_crawl: kw_crawler_global_init failed\n");
        return 1;
    }
    rc = kw_store_open(db, err, sizeof(err), &st);
    if (rc) {
        fprintf(stderr, "bench_crawl: %s\n", err);
        return 1;
    }
    for (i = 0; i < o->hosts; i++) {
        kw_source s;
        char base[64];

        memset(&s, 0, sizeof(s));
        host_base(i, srv.ports[i], base, sizeof(base));
        snprintf(name, sizeof(name), "bench-host-%03d", i + 1);
        snprintf(url, sizeof(url), "%s/rss.xml", base);
        s.name = name;
        s.url = url;
        s.kind = KW_SRC_RSS;
        s.every_s = 3600;
        s.list_depth = 1;
        rc = kw_store_source_add(st, &s, NULL);
        if (rc) {
            fprintf(stderr, "bench_crawl: source add: %s\n",
                    kw_store_errmsg(st));
            return 1;
        }
    }
    cfg = bench_cfg(o, archive);
    stop_flag = 0;
    getrusage(RUSAGE_SELF, &ru0);
    rq0 = runq_wait_ns();
    t0 = kw_mono_ms();
    rc = kw_crawler_run(st, &cfg, &stats);
    t1 = kw_mono_ms();
    rq1 = runq_wait_ns();
    getrusage(RUSAGE_SELF, &ru1);
    if (rc)
        fprintf(stderr, "bench_crawl: kw_crawler_run: %s\n", kw_strerror(rc));
    if (kw_store_article_count(st, &n_articles))
        n_articles = -1;
    kw_store_close(st);
    if (server_stop(&srv, &requests, &sru))
        fprintf(stderr, "bench_crawl: the server did not exit cleanly\n");

    wall_s = (double)(t1 - t0) / 1000.0;
    cpu_c = cpu_ms(&ru1) - cpu_ms(&ru0);
    cpu_s = cpu_ms(&sru);
    pages = (double)requests;
    ok = rc == KW_OK && n_articles == expect_pages && requests == expect_req;
    printf("crawl: %d hosts x %d pages, concurrency %zu, host delay 0\n",
           o->hosts, o->pages, o->concurrency);
    printf("  run result             %s\n", kw_strerror(rc));
    printf("  requests served        %ld (expected %" PRId64
           ": %d robots + %d feeds + %" PRId64 " articles)\n",
           requests, expect_req, o->hosts, o->hosts, expect_pages);
    printf("  crawler stats          fetched %" PRId64 ", articles %" PRId64
           ", errors %" PRId64 ", denied %" PRId64 ", new urls %" PRId64
           ", %.1f MB of bodies\n",
           stats.fetched, stats.articles, stats.errors, stats.denied,
           stats.new_urls, (double)stats.bytes / 1e6);
    printf("  articles in store      %" PRId64 " (expected %" PRId64
           ") %s\n",
           n_articles, expect_pages, n_articles == expect_pages ? "OK"
                                                                : "MISMATCH");
    printf("  wall time              %.2f s\n", wall_s);
    printf("  pages/s                %.1f (requests served / wall)\n",
           wall_s > 0 ? pages / wall_s : 0.0);
    printf("  crawler CPU            %.0f ms (user %.0f + sys %.0f) = "
           "%.1f%% of one core\n",
           cpu_c, tv_ms(ru1.ru_utime) - tv_ms(ru0.ru_utime),
           tv_ms(ru1.ru_stime) - tv_ms(ru0.ru_stime),
           wall_s > 0 ? cpu_c / (wall_s * 10.0) : 0.0);
    if (rq0 >= 0 && rq1 >= 0)
        printf("  crawler waiting        %.1f s runnable but not on a CPU "
               "(schedstat), %.1f s blocked or idle; %ld voluntary / %ld "
               "involuntary context switches\n",
               (double)(rq1 - rq0) / 1e9,
               wall_s - cpu_c / 1000.0 - (double)(rq1 - rq0) / 1e9,
               ru1.ru_nvcsw - ru0.ru_nvcsw, ru1.ru_nivcsw - ru0.ru_nivcsw);
    printf("  crawler CPU per page   %.2f ms\n",
           pages > 0 ? cpu_c / pages : 0.0);
    printf("  server CPU (child)     %.0f ms over its whole life, "
           "incl. rendering (user %.0f + sys %.0f)\n",
           cpu_s, tv_ms(sru.ru_utime), tv_ms(sru.ru_stime));
    printf("  total CPU per page     %.2f ms (crawler + server)\n",
           pages > 0 ? (cpu_c + cpu_s) / pages : 0.0);
    printf("  crawler peak RSS       %.1f MB (ru_maxrss of the crawler "
           "process)\n",
           (double)ru1.ru_maxrss / 1024.0);
    printf("  server peak RSS        %.1f MB (child, pre-rendered pages)\n",
           (double)sru.ru_maxrss / 1024.0);
    printf("  archive                %.1f MB, store %.1f MB\n",
           (double)dir_bytes(archive) / 1e6,
           (double)(dir_bytes(dir) - dir_bytes(archive)) / 1e6);
    kw_crawler_global_cleanup();
    if (o->keep)
        printf("  kept                   %s\n", dir);
    else
        rm_tree(dir);
    return ok ? 0 : 1;
}

/* ---- Phase 2: the frontier ---------------------------------------------- */

typedef struct due_count {
    size_t n;
} due_count;

static kw_err count_due(const kw_url *u, void *ud)
{
    due_count *d = ud;

    (void)u;
    d->n++;
    return KW_OK;
}

static int phase_frontier(const opts *o)
{
    char dir[512], db[600], archive[600], err[512], url[160];
    struct rusage ru0, ru1, sru;
    kw_crawl_stats stats;
    kw_crawler_config cfg;
    kw_store *st = NULL;
    server srv;
    kw_source s;
    int64_t sid = 0, t0, t1, n_due = 0;
    long requests, i, rss_open;
    due_count dc;
    char base[64];
    kw_err rc;
    int ok = 1;

    if (make_dir(dir, sizeof(dir), db, sizeof(db), archive, sizeof(archive)))
        return 1;
    if (server_start(&srv, 1, 0, 1)) {
        fprintf(stderr, "bench_crawl: the server did not start\n");
        return 1;
    }
    if (kw_crawler_global_init())
        return 1;
    rc = kw_store_open(db, err, sizeof(err), &st);
    if (rc) {
        fprintf(stderr, "bench_crawl: %s\n", err);
        return 1;
    }
    rss_open = self_maxrss_kb();
    host_base(0, srv.ports[0], base, sizeof(base));
    snprintf(url, sizeof(url), "%s/rss.xml", base);
    memset(&s, 0, sizeof(s));
    s.name = "frontier";
    s.url = url;
    s.kind = KW_SRC_RSS;
    s.every_s = 3600;
    s.list_depth = 1;
    if (kw_store_source_add(st, &s, &sid)) {
        fprintf(stderr, "bench_crawl: %s\n", kw_store_errmsg(st));
        return 1;
    }
    printf("frontier: %ld URLs on one host (%s), robots.txt "
           "\"Disallow: /\"\n",
           o->frontier, base);
    printf("  RSS after store open   %.1f MB\n", (double)rss_open / 1024.0);

    t0 = kw_mono_ms();
    rc = kw_store_begin(st);
    for (i = 0; i < o->frontier && !rc; i++) {
        snprintf(url, sizeof(url), "%s/news/2026/%02ld/%07ld.html?sid=%lx",
                 base, 1 + i % 12, i, (unsigned long)i * 2654435761UL);
        rc = kw_store_url_add(st, sid, url, KW_ROLE_ARTICLE, 0, NULL, NULL);
        if (!rc && (i + 1) % URL_TXN == 0) {
            rc = kw_store_commit(st);
            if (!rc)
                rc = kw_store_begin(st);
        }
    }
    if (!rc)
        rc = kw_store_commit(st);
    t1 = kw_mono_ms();
    if (rc) {
        fprintf(stderr, "bench_crawl: url add: %s\n", kw_store_errmsg(st));
        return 1;
    }
    printf("  insert                 %.2f s (%.0f URLs/s, transactions of "
           "%d); peak RSS %.1f MB\n",
           (double)(t1 - t0) / 1000.0,
           t1 > t0 ? (double)o->frontier * 1000.0 / (double)(t1 - t0) : 0.0,
           URL_TXN, (double)self_maxrss_kb() / 1024.0);

    memset(&dc, 0, sizeof(dc));
    t0 = kw_mono_ms();
    rc = kw_store_url_due(st, kw_now(), 0, 1000, count_due, &dc);
    t1 = kw_mono_ms();
    printf("  kw_store_url_due       %zu rows (limit 1000) in %" PRId64
           " ms (%s); peak RSS %.1f MB\n",
           dc.n, t1 - t0, kw_strerror(rc), (double)self_maxrss_kb() / 1024.0);
    memset(&dc, 0, sizeof(dc));
    t0 = kw_mono_ms();
    rc = kw_store_url_due(st, kw_now(), 0, 1000, count_due, &dc);
    t1 = kw_mono_ms();
    printf("  kw_store_url_due again %zu rows in %" PRId64 " ms (warm)\n",
           dc.n, t1 - t0);
    t0 = kw_mono_ms();
    rc = kw_store_url_count_due(st, kw_now(), 0, &n_due);
    t1 = kw_mono_ms();
    printf("  kw_store_url_count_due %" PRId64 " in %" PRId64 " ms (%s)\n",
           n_due, t1 - t0, kw_strerror(rc));

    cfg = bench_cfg(o, archive);
    stop_flag = 0;
    signal(SIGALRM, on_alarm);
    alarm((unsigned)o->frontier_timeout_s);
    getrusage(RUSAGE_SELF, &ru0);
    t0 = kw_mono_ms();
    rc = kw_crawler_run(st, &cfg, &stats);
    t1 = kw_mono_ms();
    getrusage(RUSAGE_SELF, &ru1);
    alarm(0);
    if (kw_store_url_count_due(st, kw_now(), 0, &n_due))
        n_due = -1;
    kw_store_close(st);
    if (server_stop(&srv, &requests, &sru))
        fprintf(stderr, "bench_crawl: the server did not exit cleanly\n");
    if (rc || stop_flag)
        ok = 0;
    printf("  kw_crawler_run         %s%s after %.2f s: %" PRId64
           " URLs denied (%.0f/s), %" PRId64 " fetched, %ld requests served,"
           " %" PRId64 " still due\n",
           kw_strerror(rc), stop_flag ? " (STOPPED by --frontier-timeout)" : "",
           (double)(t1 - t0) / 1000.0, stats.denied,
           t1 > t0 ? (double)stats.denied * 1000.0 / (double)(t1 - t0) : 0.0,
           stats.fetched, requests, n_due);
    printf("  crawler run CPU        %.0f ms (user %.0f + sys %.0f)\n",
           cpu_ms(&ru1) - cpu_ms(&ru0),
           tv_ms(ru1.ru_utime) - tv_ms(ru0.ru_utime),
           tv_ms(ru1.ru_stime) - tv_ms(ru0.ru_stime));
    printf("  peak RSS               %.1f MB (ru_maxrss of the process "
           "after insert, due query and crawl)\n",
           (double)ru1.ru_maxrss / 1024.0);
    kw_crawler_global_cleanup();
    if (o->keep)
        printf("  kept                   %s\n", dir);
    else
        rm_tree(dir);
    return ok ? 0 : 1;
}

/* ---- Main: each phase in its own process, so ru_maxrss is its own ------ */

static int run_phase(int (*fn)(const opts *), const opts *o)
{
    pid_t pid;
    int status = 0;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        int r = fn(o);

        fflush(stdout);
        fflush(stderr);
        _exit(r);
    }
    if (waitpid(pid, &status, 0) < 0)
        return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_crawl [--hosts H (200, <= %d)] [--pages P (100)] "
            "[--concurrency C (16)]\n"
            "                   [--frontier N (1000000; 0 skips)] "
            "[--frontier-timeout S (300)]\n"
            "                   [--no-crawl] [--keep] [-v]\n",
            MAX_HOSTS);
}

static int arg_long(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    opts o;
    int i, r1 = 0, r2 = 0;

    memset(&o, 0, sizeof(o));
    o.hosts = 200;
    o.pages = 100;
    o.concurrency = 16;
    o.frontier = 1000000;
    o.frontier_timeout_s = 300;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        long v;

        if (strcmp(a, "--no-crawl") == 0) {
            o.no_crawl = 1;
            continue;
        }
        if (strcmp(a, "--keep") == 0) {
            o.keep = 1;
            continue;
        }
        if (strcmp(a, "-v") == 0) {
            o.verbose++;
            continue;
        }
        if (i + 1 >= argc) {
            usage();
            return 2;
        }
        if (strcmp(a, "--hosts") == 0 &&
            !arg_long(argv[i + 1], 1, MAX_HOSTS, &v))
            o.hosts = (int)v;
        else if (strcmp(a, "--pages") == 0 &&
                 !arg_long(argv[i + 1], 1, 100000, &v))
            o.pages = (int)v;
        else if (strcmp(a, "--concurrency") == 0 &&
                 !arg_long(argv[i + 1], 1, 4096, &v))
            o.concurrency = (size_t)v;
        else if (strcmp(a, "--frontier") == 0 &&
                 !arg_long(argv[i + 1], 0, 100000000, &v))
            o.frontier = v;
        else if (strcmp(a, "--frontier-timeout") == 0 &&
                 !arg_long(argv[i + 1], 1, 86400, &v))
            o.frontier_timeout_s = (int)v;
        else {
            usage();
            return 2;
        }
        i++;
    }
    if (o.verbose > 1)
        kw_log_set_sink(log_sink, NULL, KW_LOG_INFO);
    {
        double la[3] = {0, 0, 0};

        if (getloadavg(la, 3) < 0)
            la[0] = -1;
        printf("bench_crawl: %ld CPUs online, load average %.2f at start\n",
               sysconf(_SC_NPROCESSORS_ONLN), la[0]);
    }
    if (!o.no_crawl)
        r1 = run_phase(phase_crawl, &o);
    if (o.frontier > 0)
        r2 = run_phase(phase_frontier, &o);
    printf("bench_crawl: %s\n", r1 || r2 ? "FAILED (see above)" : "ok");
    return r1 || r2 ? 1 : 0;
}
