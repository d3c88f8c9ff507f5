/*
 * Unit tests of parsers/links.c: hand-written boards (script links,
 * <base>, navigation vs main), the real list pages of
 * korean-pages/gov-notice and news-list, and malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kw/parsers.h"
#include "parsers_int.h"

#define GOV KW_SHARED_DIR "/korean-pages/gov-notice/"
#define NEWS_LIST KW_SHARED_DIR "/korean-pages/news-list/"

static kw_links *links_of(const char *s)
{
    kw_links *l = NULL;

    assert_int_equal(kw_html_links(s, strlen(s), NULL, &l), KW_OK);
    assert_non_null(l);
    return l;
}

static kw_links *links_of_file(const char *path)
{
    char *p;
    size_t n;
    kw_links *l = NULL;

    assert_int_equal(kw_read_file(path, KW_MAX_BODY, &p, &n), KW_OK);
    assert_int_equal(kw_html_links(p, n, NULL, &l), KW_OK);
    kw_free(p);
    assert_non_null(l);
    return l;
}

/* Counts main links whose href contains @frag. */
static size_t count_main(const kw_links *l, const char *frag, size_t *all)
{
    size_t i, k = 0;

    *all = 0;
    for (i = 0; i < l->n_links; i++) {
        if (!strstr(l->links[i].href, frag))
            continue;
        (*all)++;
        if (l->links[i].in_main)
            k++;
    }
    return k;
}

static void test_board_sample(void **state)
{
    kw_links *l = links_of(
        "<html><head><base href=\" https://www.msit.go.kr/bbs/ \"></head>"
        "<body class=\"main banner\">"
        "<div id=\"gnb\"><ul><li><a href=\"/menu1\">메뉴</a></li></ul></div>"
        "<div class=\"board_list\"><table><tbody>"
        "<tr><td><a href=\"#\" onclick=\"fn_detail('3186001'); return "
        "false;\">  독자 AI\n파운데이션 모델 </a></td></tr>"
        "<tr><td><a href=\"javascript:fn_view(123)\">둘째</a></td></tr>"
        "<tr onclick=\"goView(77)\"><td>행 클릭</td></tr>"
        "<tr onclick=\"toggle()\"><td>토글</td></tr>"
        "<tr><td><a href=\"view.do?nttSeqNo=5&amp;x=1\">"
        "<img src=\"i.png\" alt=\"이미지 링크\"></a></td></tr>"
        "</tbody></table>"
        "<div class=\"paging\"><a href=\"?pageIndex=2\">2</a></div></div>"
        "<footer><a href=\"/privacy\">개인정보처리방침</a></footer>"
        "<a>no href</a><a href=\"javascript:void(0)\">dead</a>"
        "</body></html>");

    (void)state;
    assert_string_equal(l->base_href, "https://www.msit.go.kr/bbs/");
    assert_int_equal(l->n_links, 7);
    assert_string_equal(l->links[0].href, "/menu1");
    assert_false(l->links[0].in_main);
    assert_string_equal(l->links[1].href,
                        "fn_detail('3186001'); return false;");
    assert_true(l->links[1].is_script);
    assert_true(l->links[1].in_main);
    assert_string_equal(l->links[1].text, "독자 AI 파운데이션 모델");
    assert_string_equal(l->links[2].href, "javascript:fn_view(123)");
    assert_true(l->links[2].is_script);
    assert_string_equal(l->links[3].href, "goView(77)");
    assert_string_equal(l->links[3].text, "행 클릭");
    assert_string_equal(l->links[4].href, "view.do?nttSeqNo=5&x=1");
    assert_false(l->links[4].is_script);
    assert_true(l->links[4].in_main);
    assert_string_equal(l->links[4].text, "이미지 링크");
    assert_string_equal(l->links[5].href, "?pageIndex=2");
    assert_false(l->links[5].in_main);
    assert_string_equal(l->links[6].href, "/privacy");
    assert_false(l->links[6].in_main);
    kw_links_free(l);
}

static void test_korea_kr_list(void **state)
{
    kw_links *l = links_of_file(GOV "korea-kr_press-release_list.html");
    size_t all, k;

    (void)state;
    k = count_main(l, "/briefing/pressReleaseView.do?newsId=", &all);
    /* 20 rows per page, all in the main list; the side box's links are
     * not. */
    assert_int_equal(k, 20);
    assert_true(all > k);
    kw_links_free(l);
}

static void test_gwangju_list(void **state)
{
    kw_links *l = links_of_file(GOV "gwangju-go-kr_board_list.html");
    size_t all, k;

    (void)state;
    k = count_main(l, "boardView.do?", &all);
    assert_int_equal(k, 10);
    kw_links_free(l);
}

static void test_kidp_script_rows(void **state)
{
    kw_links *l = links_of_file(GOV "kidp-or-kr_news_list.html");
    size_t all, k;

    (void)state;
    k = count_main(l, "submitForm(this,'view',", &all);
    assert_true(k >= 10);
    kw_links_free(l);
}

static void test_yna_list(void **state)
{
    kw_links *l = links_of_file(
        NEWS_LIST "yna_section_international-asia-australia.html");
    size_t all, k, i;
    int seen = 0;

    (void)state;
    k = count_main(l, "https://www.yna.co.kr/view/AKR", &all);
    assert_true(k >= 25);
    for (i = 0; i < l->n_links; i++) {
        if (l->links[i].in_main && !l->links[i].is_script &&
            strstr(l->links[i].href, "gnb"))
            seen = 1;
    }
    assert_false(seen);
    kw_links_free(l);
}

static void test_malformed(void **state)
{
    kw_links *l = NULL;
    static const char nul[] = "<a href=\"/a\">x\0y</a><a href=\"/b\">";
    kw_buf b;
    size_t i;

    (void)state;
    l = links_of("");
    assert_int_equal(l->n_links, 0);
    kw_links_free(l);

    assert_int_equal(kw_html_links(nul, sizeof(nul) - 1, NULL, &l), KW_OK);
    kw_links_free(l);

    l = links_of("<html><body><table><tr><td><a href=\"/t?a=1");
    kw_links_free(l);

    assert_int_equal(kw_html_links("\xff\xfe<\x00" "a", 5, NULL, &l), KW_OK);
    kw_links_free(l);

    /* A 2 MB href. */
    kw_buf_init(&b, KW_MAX_BODY);
    kw_buf_adds(&b, "<a href=\"/");
    for (i = 0; i < 2 * 1024 * 1024; i++)
        kw_buf_addc(&b, 'x');
    kw_buf_adds(&b, "\">big</a>");
    assert_int_equal(b.err, KW_OK);
    assert_int_equal(kw_html_links(b.p, b.n, NULL, &l), KW_OK);
    assert_int_equal(l->n_links, 1);
    assert_int_equal(strlen(l->links[0].href), 2 * 1024 * 1024 + 1);
    kw_links_free(l);
    kw_buf_deinit(&b);
}

static void test_alloc_failure(void **state)
{
    static const char s[] = "<ul class=\"list\"><li><a href=\"/1\">a</a>"
                            "<li><a onclick=\"f(2)\">b</a></ul>";
    long i;

    (void)state;
    for (i = 1; i < 100; i++) {
        kw_links *l = NULL;
        kw_err rc;

        kw_alloc_fail_at(i);
        rc = kw_html_links(s, sizeof(s) - 1, NULL, &l);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            assert_int_equal(l->n_links, 2);
            kw_links_free(l);
            break;
        }
        assert_int_equal(rc, KW_ENOMEM);
        assert_null(l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_board_sample),
        cmocka_unit_test(test_korea_kr_list),
        cmocka_unit_test(test_gwangju_list),
        cmocka_unit_test(test_kidp_script_rows),
        cmocka_unit_test(test_yna_list),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_alloc_failure),
    };

    kw_parsers_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
