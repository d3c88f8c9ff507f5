/*
 * Unit tests of parsers/sourcefile.c: the project's YAML format, OPML,
 * and every validation message (with its line number).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kw/parsers.h"

static const char good_yaml[] =
    "# kowatch sources\n"
    "sources:\n"
    "  - name: msit-press\n"
    "    url: https://www.msit.go.kr/bbs/list.do?sCode=user&mId=307&mPid=208"
    "&bbsSeqNo=94\n"
    "    kind: list\n"
    "    every: 30m\n"
    "    link_pattern: 'nttSeqNo=[0-9]+'\n"
    "    next_pattern: 'pageIndex=[0-9]+'\n"
    "    list_depth: 2\n"
    "    detail_template: 'https://www.msit.go.kr/bbs/view.do?sCode=user"
    "&mId=307&mPid=208&bbsSeqNo=94&nttSeqNo={1}'\n"
    "    attachment_template: 'https://www.msit.go.kr/ssm/file/fileDown.do"
    "?atchFileNo={1}&fileOrd={2}&fileBtn=A'\n"
    "    attachment_method: post\n"
    "    charset: utf-8\n"
    "\n"
    "  - name: korea-kr-msit\n"
    "    url: https://www.korea.kr/rss/dept_msit.xml\n"
    "    kind: rss\n";

static void test_yaml_good(void **state)
{
    kw_source_file *f = NULL;
    char err[256];
    const kw_source_spec *s;

    (void)state;
    assert_int_equal(kw_source_file_parse(good_yaml, sizeof(good_yaml) - 1,
                                          err, sizeof(err), &f),
                     KW_OK);
    assert_int_equal(f->n_sources, 2);
    s = &f->sources[0];
    assert_string_equal(s->name, "msit-press");
    assert_string_equal(s->url, "https://www.msit.go.kr/bbs/list.do?sCode=user"
                                "&mId=307&mPid=208&bbsSeqNo=94");
    assert_string_equal(s->kind, "list");
    assert_string_equal(s->every, "30m");
    assert_string_equal(s->link_pattern, "nttSeqNo=[0-9]+");
    assert_string_equal(s->next_pattern, "pageIndex=[0-9]+");
    assert_int_equal(s->list_depth, 2);
    assert_non_null(strstr(s->detail_template, "nttSeqNo={1}"));
    assert_non_null(strstr(s->attachment_template, "fileOrd={2}&fileBtn=A"));
    assert_string_equal(s->attachment_method, "post");
    assert_string_equal(s->charset, "utf-8");
    assert_int_equal(s->line, 3);
    s = &f->sources[1];
    assert_string_equal(s->kind, "rss");
    assert_null(s->every);
    assert_null(s->link_pattern);
    assert_int_equal(s->list_depth, 0);
    assert_int_equal(s->line, 15);
    kw_source_file_free(f);
}

typedef struct bad_case {
    const char *text;
    const char *msg; /* expected error message (exact) */
} bad_case;

static const bad_case bad[] = {
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n"
     "    evry: 10m\n",
     "line 5: unknown key 'evry' (expected name, url, kind, every, "
     "link_pattern, next_pattern, list_depth, detail_template, "
     "attachment_template, attachment_method, charset)"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n"
     "    attachment_template: https://a.kr/down.do\n",
     "line 5: attachment_template 'https://a.kr/down.do' must contain {1}"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n"
     "    attachment_template: https://a.kr/down.do?id={1}\n"
     "    attachment_method: put\n",
     "line 6: attachment_method 'put' must be get or post"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n"
     "    attachment_method: post\n",
     "line 2: attachment_method needs an attachment_template (source 'a')"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: feed\n",
     "line 4: kind 'feed' is not one of rss, atom, sitemap, list, page"},
    {"sources:\n"
     "  - name: a\n"
     "    url: ftp://x\n"
     "    kind: rss\n",
     "line 3: url 'ftp://x' must be http or https"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: list\n"
     "    link_pattern: 'nttSeqNo=([0-9]+'\n",
     NULL /* regerror text varies: checked by prefix below */},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n"
     "  - name: a\n"
     "    url: https://b.kr/\n"
     "    kind: rss\n",
     "line 5: duplicate name 'a' (first at line 2)"},
    {"sources:\n"
     "  - url: https://a.kr/\n"
     "    kind: rss\n",
     "line 2: source has no name"},
    {"sources:\n"
     "  - name: a\n"
     "    kind: rss\n",
     "line 2: source 'a' has no url"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n",
     "line 2: source 'a' has no kind"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n"
     "    every: soon\n",
     "line 5: every 'soon' is not a duration (e.g. 10m)"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n"
     "    list_depth: -1\n",
     "line 5: list_depth '-1' must be a number from 0 to 100"},
    {"sources:\n"
     "  - name: a\n"
     "    name: b\n",
     "line 3: duplicate key 'name'"},
    {"sourcez:\n"
     "  - name: a\n",
     "line 1: unknown key 'sourcez' (expected sources)"},
    {"sources:\n"
     "  - name: a\n"
     "    url: [https://a.kr/]\n",
     "line 3: value of 'url' must be a scalar"},
    {"sources: 5\n", "line 1: 'sources' must be a list of sources"},
    {"sources:\n"
     "  - name: a\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n"
     "    next_pattern: 'p=[0-9]+'\n",
     "line 2: next_pattern is only allowed with kind list (source 'a' is "
     "rss)"},
    {"sources:\n"
     "  - name: A b\n"
     "    url: https://a.kr/\n"
     "    kind: rss\n",
     "line 2: name 'A b' must be 1 to 64 characters of a-z, 0-9, '.', '_' "
     "and '-'"},
};

static void test_yaml_bad(void **state)
{
    static const char regex_prefix[] =
        "line 5: link_pattern 'nttSeqNo=([0-9]+' is invalid: ";
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        kw_source_file *f = (kw_source_file *)1;
        char err[512];
        kw_err rc = kw_source_file_parse(bad[i].text, strlen(bad[i].text),
                                         err, sizeof(err), &f);

        if (rc != KW_EPARSE || f != NULL)
            fail_msg("case %zu accepted", i);
        if (bad[i].msg && strcmp(err, bad[i].msg) != 0)
            fail_msg("case %zu: got \"%s\"", i, err);
        if (!bad[i].msg && strncmp(err, regex_prefix,
                                   strlen(regex_prefix)) != 0)
            fail_msg("case %zu: got \"%s\"", i, err);
    }
}

static void test_yaml_syntax_error(void **state)
{
    kw_source_file *f = NULL;
    char err[256];
    static const char s[] = "sources:\n"
                            "  - name: a\n"
                            "    url: \"https://a.kr/\n"
                            "    kind: rss\n"
                            "  - name: [b\n";

    (void)state;
    assert_int_equal(kw_source_file_parse(s, sizeof(s) - 1, err,
                                          sizeof(err), &f),
                     KW_EPARSE);
    assert_null(f);
    assert_non_null(strstr(err, "YAML syntax error"));
    assert_true(strncmp(err, "line ", 5) == 0);

    assert_int_equal(kw_source_file_parse("a: b: c\n", 8, err, sizeof(err),
                                          &f),
                     KW_EPARSE);
    assert_non_null(strstr(err, "line 1: YAML syntax error"));
}

static void test_yaml_empty(void **state)
{
    kw_source_file *f = NULL;
    char err[256];

    (void)state;
    assert_int_equal(kw_source_file_parse("", 0, err, sizeof(err), &f),
                     KW_OK);
    assert_int_equal(f->n_sources, 0);
    kw_source_file_free(f);
    assert_int_equal(kw_source_file_parse("sources:\n", 9, err, sizeof(err),
                                          &f),
                     KW_OK);
    assert_int_equal(f->n_sources, 0);
    kw_source_file_free(f);
    assert_int_equal(kw_source_file_parse("a\0b", 3, err, sizeof(err), &f),
                     KW_EPARSE);
    assert_null(f);
}

static const char opml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<opml version=\"2.0\">\n"
    "<head><title>feeds</title></head>\n"
    "<body>\n"
    "<outline text=\"News\">\n"
    "  <outline type=\"rss\" text=\"Yonhap News\" "
    "xmlUrl=\"https://www.yna.co.kr/rss/news.xml\"/>\n"
    "  <outline type=\"rss\" title=\"Yonhap News\" text=\"x\" "
    "xmlUrl=\"https://www.yna.co.kr/rss/economy.xml\"/>\n"
    "  <outline type=\"rss\" text=\"연합뉴스\" "
    "xmlUrl=\"https://www.newsis.com/RSS/sokbo.xml\"/>\n"
    "  <outline type=\"rss\" text=\"\" "
    "xmlUrl=\"http://www.newsis.com/RSS/economy.xml\"/>\n"
    "</outline>\n"
    "</body></opml>\n";

static void test_opml(void **state)
{
    kw_source_file *f = NULL;
    char err[256];

    (void)state;
    assert_int_equal(kw_source_file_parse(opml, sizeof(opml) - 1, err,
                                          sizeof(err), &f),
                     KW_OK);
    assert_int_equal(f->n_sources, 4);
    assert_string_equal(f->sources[0].name, "yonhap-news");
    assert_string_equal(f->sources[0].kind, "rss");
    assert_string_equal(f->sources[0].url,
                        "https://www.yna.co.kr/rss/news.xml");
    assert_int_equal(f->sources[0].line, 6);
    assert_string_equal(f->sources[1].name, "yonhap-news-2");
    assert_string_equal(f->sources[2].name, "newsis-com");
    assert_string_equal(f->sources[3].name, "newsis-com-2");
    kw_source_file_free(f);
}

static void test_opml_bad(void **state)
{
    kw_source_file *f = NULL;
    char err[256];
    static const char bad_url[] =
        "<opml><body>\n<outline text=\"a\" xmlUrl=\"file:///etc/passwd\"/>"
        "</body></opml>";
    static const char broken[] = "<opml><body><outline text=\"a\"";

    (void)state;
    assert_int_equal(kw_source_file_parse(bad_url, sizeof(bad_url) - 1, err,
                                          sizeof(err), &f),
                     KW_EPARSE);
    assert_string_equal(err,
                        "line 2: url 'file:///etc/passwd' must be http or "
                        "https");
    assert_int_equal(kw_source_file_parse(broken, sizeof(broken) - 1, err,
                                          sizeof(err), &f),
                     KW_EPARSE);
    assert_null(f);
    assert_non_null(strstr(err, "XML syntax error"));
    assert_int_equal(kw_source_file_parse("<html/>", 7, err, sizeof(err),
                                          &f),
                     KW_EPARSE);
}

static void test_spec_validate(void **state)
{
    kw_source_spec s;
    char err[256];

    (void)state;
    memset(&s, 0, sizeof(s));
    s.name = "msit-press";
    s.url = "https://www.msit.go.kr/bbs/list.do?bbsSeqNo=94";
    s.kind = "list";
    s.every = "30m";
    s.link_pattern = "nttSeqNo=[0-9]+";
    s.list_depth = 2;
    s.detail_template = "https://www.msit.go.kr/bbs/view.do?nttSeqNo={1}";
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)), KW_OK);

    s.detail_template = "https://www.msit.go.kr/bbs/view.do";
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)),
                     KW_EINVAL);
    assert_string_equal(err, "detail_template "
                             "'https://www.msit.go.kr/bbs/view.do' must "
                             "contain {1}");
    s.detail_template = NULL;

    s.attachment_template = "https://www.msit.go.kr/ssm/file/fileDown.do"
                            "?atchFileNo={1}&fileOrd={2}";
    s.attachment_method = "post";
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)), KW_OK);
    s.attachment_template = "file:///etc/passwd?{1}";
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)),
                     KW_EINVAL);
    assert_string_equal(err, "attachment_template 'file:///etc/passwd?{1}' "
                             "must be an http or https URL");
    s.attachment_template = NULL;
    s.attachment_method = NULL;

    s.name = "MSIT Press";
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)),
                     KW_EINVAL);
    assert_non_null(strstr(err, "name 'MSIT Press' must be"));
    s.name = "msit-press";

    s.kind = "rss";
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)),
                     KW_EINVAL);
    assert_string_equal(err, "link_pattern is only allowed with kind list "
                             "(source 'msit-press' is rss)");
    s.link_pattern = NULL;
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)),
                     KW_EINVAL);
    assert_non_null(strstr(err, "list_depth is only allowed"));
    s.list_depth = 0;
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)), KW_OK);

    s.every = "0m";
    assert_int_equal(kw_source_spec_validate(&s, err, sizeof(err)),
                     KW_EINVAL);
    assert_null(strstr(err, "line"));
}

static void test_alloc_failure(void **state)
{
    long i;

    (void)state;
    for (i = 1; i < 100; i++) {
        kw_source_file *f = NULL;
        char err[256];
        kw_err rc;

        kw_alloc_fail_at(i);
        rc = kw_source_file_parse(good_yaml, sizeof(good_yaml) - 1, err,
                                  sizeof(err), &f);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            kw_source_file_free(f);
            break;
        }
        assert_int_equal(rc, KW_ENOMEM);
        assert_null(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_good),
        cmocka_unit_test(test_yaml_bad),
        cmocka_unit_test(test_yaml_syntax_error),
        cmocka_unit_test(test_yaml_empty),
        cmocka_unit_test(test_opml),
        cmocka_unit_test(test_opml_bad),
        cmocka_unit_test(test_spec_validate),
        cmocka_unit_test(test_alloc_failure),
    };

    kw_parsers_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
