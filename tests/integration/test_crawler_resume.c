/*
 * test_crawler_resume.c -- kill -9 in the middle of a crawl, then resume:
 * a child process crawls a slow server and is SIGKILLed mid-way; the
 * parent crawls again with the same database and archive and checks that
 * every article exists exactly once and that no article page was fetched
 * again after it was committed.
 */
/* nftw() */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kw/crawler.h"
#include "kw/parsers.h"
#include "kw/store.h"
#include "testsrv.h"

/* KW_TEST_LOG=1 shows the crawler's log on stderr. */
static void log_sink(kw_log_level level, const char *module, const char *msg,
                     void *ud)
{
    (void)ud;
    fprintf(stderr, "[%s] %s: %s\n", kw_log_level_name(level), module, msg);
}

static void setup_log(void)
{
    if (getenv("KW_TEST_LOG"))
        kw_log_set_sink(log_sink, NULL, KW_LOG_TRACE);
}

typedef struct env {
    char dir[256];
    char db[300];
    char archive[300];
    kw_store *st;
    kw_testsrv *srv;
} env;

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

static void env_open(env *e, const kw_test_resp *table)
{
    char err[256];

    memset(e, 0, sizeof(*e));
    snprintf(e->dir, sizeof(e->dir), "/tmp/kw_crawl_XXXXXX");
    assert_non_null(mkdtemp(e->dir));
    snprintf(e->db, sizeof(e->db), "%s/kw.db", e->dir);
    snprintf(e->archive, sizeof(e->archive), "%s/archive", e->dir);
    assert_int_equal(kw_store_open(e->db, err, sizeof(err), &e->st), KW_OK);
    e->srv = kw_testsrv_start(table);
    assert_non_null(e->srv);
}

static void env_close(env *e)
{
    kw_testsrv_stop(e->srv);
    kw_store_close(e->st);
    nftw(e->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static kw_crawler_config test_cfg(env *e)
{
    kw_crawler_config c = kw_crawler_config_default();

    c.archive_dir = e->archive;
    c.host_delay_ms = 0;
    c.connect_timeout_ms = 2000;
    c.timeout_ms = 5000;
    c.low_speed_time_s = 3;
    c.once = 1;
    return c;
}

static void add_source(env *e, const char *name, const char *path,
                       kw_source_kind kind, kw_source *extra)
{
    kw_source s;
    char url[512];

    if (extra)
        s = *extra;
    else
        memset(&s, 0, sizeof(s));
    kw_testsrv_urlf(e->srv, path, url, sizeof(url));
    s.name = name;
    s.url = url;
    s.kind = kind;
    if (!s.every_s)
        s.every_s = 600;
    if (!s.list_depth)
        s.list_depth = 1;
    assert_int_equal(kw_store_source_add(e->st, &s, NULL), KW_OK);
}

typedef struct art {
    char url[512];
    char title[256];
    char kind[16];
    char text[4096];
} art;

typedef struct arts {
    art v[32];
    size_t n;
} arts;

static kw_err take_article(const kw_article_rec *a, void *ud)
{
    arts *as = ud;
    art *d;

    if (as->n == 32)
        return KW_ETOOBIG;
    d = &as->v[as->n++];
    snprintf(d->url, sizeof(d->url), "%s", a->url ? a->url : "");
    snprintf(d->title, sizeof(d->title), "%s", a->title ? a->title : "");
    snprintf(d->kind, sizeof(d->kind), "%s", a->kind ? a->kind : "");
    snprintf(d->text, sizeof(d->text), "%s", a->text ? a->text : "");
    return KW_OK;
}

static void load_articles(env *e, arts *as)
{
    kw_article_filter f;

    memset(&f, 0, sizeof(f));
    memset(as, 0, sizeof(*as));
    assert_int_equal(kw_store_article_each(e->st, &f, take_article, as),
                     KW_OK);
}

static const art *find_article(const arts *as, const char *url)
{
    size_t i;

    for (i = 0; i < as->n; i++) {
        if (strcmp(as->v[i].url, url) == 0)
            return &as->v[i];
    }
    return NULL;
}

typedef struct urlrec {
    int found;
    kw_url_role role;
    kw_url_state state;
    int failures;
    int last_status;
    int64_t next_fetch_at;
} urlrec;

static kw_err take_url(const kw_url *u, void *ud)
{
    urlrec *r = ud;

    r->found = 1;
    r->role = u->role;
    r->state = u->state;
    r->failures = u->failures;
    r->last_status = u->last_status;
    r->next_fetch_at = u->next_fetch_at;
    return KW_OK;
}

static urlrec get_url(env *e, const char *path)
{
    urlrec r;
    char url[512];

    memset(&r, 0, sizeof(r));
    kw_testsrv_urlf(e->srv, path, url, sizeof(url));
    kw_store_url_get(e->st, url, take_url, &r);
    return r;
}

/* Every request named kowatch, and the first one was robots.txt. */
static void check_polite(env *e)
{
    size_t i;
    size_t n = kw_testsrv_nreq(e->srv);
    kw_test_req r;

    assert_true(n > 0);
    assert_int_equal(kw_testsrv_req(e->srv, 0, &r), 0);
    assert_string_equal(r.path, "/robots.txt");
    for (i = 0; i < n; i++) {
        assert_int_equal(kw_testsrv_req(e->srv, i, &r), 0);
        if (!strstr(r.user_agent, "kowatch")) {
            print_error("request %s: User-Agent %s\n", r.path, r.user_agent);
            fail();
        }
    }
    assert_int_equal(kw_testsrv_count(e->srv, "/robots.txt"), 1);
}

#define N_ART 12

#define PAGE(n)                                                              \
    "<html><head><title>기사 " n "</title></head><body><article>"            \
    "<h1>기사 " n "</h1><p>과학기술정보통신부는 15일 독자 AI 파운데이션 "    \
    "모델 프로젝트의 평가 결과를 발표했다. 기사 번호 " n " 입니다. "        \
    "업계에서는 이번 결정이 국내 인공지능 생태계에 큰 영향을 미칠 것으로 "  \
    "보고 있다.</p></article></body></html>"

#define ART(n)                                                               \
    {.path = "/s/" n, .content_type = "text/html; charset=utf-8",           \
     .body = PAGE(n), .delay_ms = 150}

static const char rss[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>t</title><link>/</link>"
    "<item><link>/s/1</link></item><item><link>/s/2</link></item>"
    "<item><link>/s/3</link></item><item><link>/s/4</link></item>"
    "<item><link>/s/5</link></item><item><link>/s/6</link></item>"
    "<item><link>/s/7</link></item><item><link>/s/8</link></item>"
    "<item><link>/s/9</link></item><item><link>/s/10</link></item>"
    "<item><link>/s/11</link></item><item><link>/s/12</link></item>"
    "</channel></rss>\n";

static const kw_test_resp slow_site[] = {
    {.path = "/rss.xml", .content_type = "application/rss+xml", .body = rss},
    ART("1"), ART("2"), ART("3"), ART("4"), ART("5"), ART("6"),
    ART("7"), ART("8"), ART("9"), ART("10"), ART("11"), ART("12"),
    {.path = NULL},
};

/* The child: its own store handle, a crawl, never returns. */
static void child_crawl(env *e)
{
    char err[256];
    kw_store *st = NULL;
    kw_crawler_config cfg = test_cfg(e);

    if (kw_store_open(e->db, err, sizeof(err), &st))
        _exit(3);
    kw_crawler_run(st, &cfg, NULL);
    kw_store_close(st);
    _exit(0);
}

static void test_kill_and_resume(void **state)
{
    env e;
    kw_crawler_config cfg;
    kw_crawl_stats stats;
    arts as;
    pid_t pid;
    int status = 0;
    int i;
    size_t first_pass;

    (void)state;
    env_open(&e, slow_site);
    add_source(&e, "feed", "/rss.xml", KW_SRC_RSS, NULL);
    /* The parent's handle must not be shared across fork(). */
    kw_store_close(e.st);
    e.st = NULL;

    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        child_crawl(&e);
    /* robots.txt, the feed and a few articles at 150 ms each. */
    usleep(900 * 1000);
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    first_pass = kw_testsrv_nreq(e.srv);
    assert_true(first_pass > 2);
    assert_true(first_pass < 2 + N_ART);

    {
        char err[256];

        assert_int_equal(kw_store_open(e.db, err, sizeof(err), &e.st), KW_OK);
    }
    cfg = test_cfg(&e);
    assert_int_equal(kw_crawler_run(e.st, &cfg, &stats), KW_OK);
    load_articles(&e, &as);
    assert_int_equal(as.n, N_ART);
    for (i = 1; i <= N_ART; i++) {
        char path[32];
        char url[512];
        size_t k;
        int copies = 0;

        snprintf(path, sizeof(path), "/s/%d", i);
        kw_testsrv_urlf(e.srv, path, url, sizeof(url));
        for (k = 0; k < as.n; k++)
            copies += strcmp(as.v[k].url, url) == 0;
        assert_int_equal(copies, 1);
        /* Committed pages are not fetched again; the one in flight when
         * the child died may be. */
        assert_true(kw_testsrv_count(e.srv, path) <= 2);
    }
    assert_true(kw_testsrv_nreq(e.srv) <= first_pass + N_ART + 2);
    assert_int_equal(get_url(&e, "/s/12").state, KW_URL_OK);
    {
        char url[512];

        kw_testsrv_urlf(e.srv, "/s/12", url, sizeof(url));
        assert_non_null(find_article(&as, url));
    }
    check_polite(&e);
    assert_int_equal(kw_store_fts_check(e.st), KW_OK);
    env_close(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_and_resume),
    };
    int rc;

    setup_log();
    if (kw_crawler_global_init() != KW_OK)
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    kw_crawler_global_cleanup();
    return rc;
}
