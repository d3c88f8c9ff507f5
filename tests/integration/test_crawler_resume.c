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

#include "crawl_env.h"

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
