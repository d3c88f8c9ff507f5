/*
 * Unit tests of parsers/korean.c and korean_strip.c: word breaks and
 * offsets, NFKC + case folding, particles glued to Latin, the stripper's
 * traps (평가, 주가, 신뢰도, 경기도, 고양이, agreement), callback errors,
 * allocation failure, and the stripper measured on the hand-tagged
 * sentences of ../shared/korean-text-eval (Kiwi, LGPL-2.1-or-later).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kw/korean.h"

#define EVAL KW_SHARED_DIR "/korean-text-eval/"

static void stem_is(const char *word, const char *want)
{
    size_t n = kw_ko_stem(word, strlen(word));

    if (n != strlen(want) || memcmp(word, want, n) != 0)
        fail_msg("stem of '%s' is '%.*s', want '%s'", word, (int)n, word,
                 want);
}

static void test_particles(void **state)
{
    (void)state;
    stem_is("네이버가", "네이버");
    stem_is("카카오도", "카카오");
    stem_is("업스테이지는", "업스테이지");
    stem_is("정부의", "정부");
    stem_is("한국은", "한국");
    stem_is("책을", "책");
    stem_is("차를", "차");
    stem_is("공모에서는", "공모");
    stem_is("공모에서도", "공모");
    stem_is("정부로부터", "정부");
    stem_is("한국으로도", "한국");
    stem_is("업스테이지라며", "업스테이지");
    stem_is("연구원이라며", "연구원");
    stem_is("기업들이", "기업");
    stem_is("카카오와", "카카오");
    stem_is("네이버클라우드까지", "네이버클라우드");
}

static void test_traps(void **state)
{
    (void)state;
    /* Nouns that end like a particle keep their last syllable. */
    stem_is("평가", "평가");         /* 가 cannot follow a consonant */
    stem_is("평가를", "평가");
    stem_is("주가", "주가");         /* protected */
    stem_is("주가가", "주가");
    stem_is("신뢰도", "신뢰도");
    stem_is("신뢰도가", "신뢰도");
    stem_is("경기도", "경기도");
    stem_is("경기도에서는", "경기도");
    stem_is("고양이", "고양이");
    stem_is("고양이가", "고양이");
    stem_is("국제회의에서", "국제회의");
    stem_is("나이", "나이");         /* 이 cannot follow a vowel */
    stem_is("정도", "정도");         /* 도 needs a 2-syllable stem */
    stem_is("국가", "국가");
    stem_is("결과를", "결과");
    /* Not Hangul at the end: nothing to strip. */
    stem_is("gpt", "gpt");
    stem_is("가", "가");
}

static void test_verbs(void **state)
{
    (void)state;
    stem_is("참여하기로", "참여");
    stem_is("선정됐다", "선정");
    stem_is("발표했다", "발표");
    stem_is("참여하지", "참여");
    stem_is("현대해상", "현대해상"); /* 상 is no ending */
    stem_is("대한민국", "대한민국");
}

static void alt_is(const char *word, const char *want)
{
    size_t n = kw_ko_stem_alt(word, strlen(word));

    if (n != strlen(want) || memcmp(word, want, n) != 0)
        fail_msg("second stem of '%s' is '%.*s', want '%s'", word, (int)n,
                 word, want);
}

static void test_stacks_copula_second_stems(void **state)
{
    (void)state;
    /* Only particles that can stand inside a stack are stripped from
     * under another: 도 ends a word, so 원산도가 keeps its 도. */
    stem_is("원산도가", "원산도");
    stem_is("카카오에서도", "카카오");
    stem_is("기업들이", "기업");
    stem_is("학생들마다", "학생");
    /* Copula forms and more verb endings. */
    stem_is("목적이었을", "목적");
    stem_is("제품이라서", "제품");
    stem_is("재질인데", "재질");
    stem_is("회사였다", "회사");
    stem_is("선택했으며", "선택");
    stem_is("교육받지", "교육");
    stem_is("만족스러운", "만족");
    stem_is("학습시킨", "학습");
    stem_is("관리해줘야", "관리");
    stem_is("반응하지않고있습니다", "반응");
    /* ... but not the 인 of nouns, nor 하/합/되 ending a noun. */
    stem_is("외국인", "외국인");
    stem_is("외국인과", "외국인");
    stem_is("연합", "연합");
    stem_is("지하", "지하");
    stem_is("추가하는", "추가");
    stem_is("추가", "추가"); /* 가 after one syllable: kept */
    /* A cut right after a protected noun splits nothing. */
    stem_is("정도로", "정도"); /* not 정|도로 */
    stem_is("경기도로", "경기도");
    /* The second stem: one-syllable nouns and cuts blocked only by a
     * protected noun inside the word. */
    alt_is("말로", "말");
    alt_is("몸과", "몸");
    alt_is("차가", "차");
    alt_is("감정의", "감정");  /* 정의 is protected, but inside */
    alt_is("추가", "");        /* protected */
    alt_is("위해", "");        /* a verb of a one-syllable noun: none */
    alt_is("카카오가", "");    /* the stem is sure already */
    alt_is("고양이가", "");
    /* Bound nouns glued to a verb form. */
    assert_int_equal(kw_ko_bound_noun("사용할때", strlen("사용할때")), 3);
    assert_int_equal(kw_ko_bound_noun("하는것", strlen("하는것")), 3);
    assert_int_equal(kw_ko_bound_noun("그때", strlen("그때")), 0);
    assert_int_equal(kw_ko_bound_noun("때", strlen("때")), 0);
}

static void test_particle_only(void **state)
{
    (void)state;
    assert_true(kw_ko_is_particle("가", strlen("가")));
    assert_true(kw_ko_is_particle("에서는", strlen("에서는")));
    assert_false(kw_ko_is_particle("차", strlen("차")));
    assert_false(kw_ko_is_particle("", 0));
    assert_int_equal(kw_ko_syllables("한국", 6), 2);
    assert_int_equal(kw_ko_syllables("한a", 4), 0);
}

typedef struct toks {
    char text[16][64];
    char stem[16][64];
    size_t start[16], end[16];
    int glued[16];
    int n;
    int stop_at; /* return an error on this token (1-based), 0 never */
    kw_err stop_with;
} toks;

static kw_err collect(const kw_ko_token *t, void *ud)
{
    toks *l = ud;

    if (l->n < 16) {
        (void)snprintf(l->text[l->n], 64, "%.*s", (int)t->norm_n, t->norm);
        (void)snprintf(l->stem[l->n], 64, "%.*s", (int)t->stem_n, t->stem);
        l->start[l->n] = t->start;
        l->end[l->n] = t->end;
        l->glued[l->n] = t->is_glued;
    }
    l->n++;
    if (l->stop_at && l->n == l->stop_at)
        return l->stop_with;
    return KW_OK;
}

static void run(kw_ko *ko, const char *s, toks *l)
{
    int stop_at = l->stop_at;
    kw_err with = l->stop_with;

    memset(l, 0, sizeof(*l));
    l->stop_at = stop_at;
    l->stop_with = with;
    assert_int_equal(kw_ko_tokenize(ko, s, strlen(s), collect, l), KW_OK);
}

static void test_tokenize(void **state)
{
    const char *s = "LG AI연구원은 하이퍼클로바X, \"카카오\"는 ＳＫ텔레콤이 3.5";
    kw_ko *ko = NULL;
    toks l;

    (void)state;
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_ko_new(&ko), KW_OK);
    run(ko, s, &l);
    assert_int_equal(l.n, 9);
    assert_string_equal(l.text[0], "lg");
    assert_string_equal(l.text[1], "ai");
    assert_string_equal(l.text[2], "연구원은");
    assert_string_equal(l.stem[2], "연구원");
    assert_true(l.glued[2]);
    assert_int_equal(l.start[2], 5);
    assert_int_equal(l.end[2], 17);
    assert_string_equal(l.text[3], "하이퍼클로바");
    assert_string_equal(l.text[4], "x");
    assert_true(l.glued[4]);
    /* '"카카오"는': the particle after the quote is not a word. */
    assert_string_equal(l.text[5], "카카오");
    /* Full-width Latin is folded; offsets still point into the input. */
    assert_string_equal(l.text[6], "sk");
    assert_int_equal(l.end[6] - l.start[6], 6);
    assert_int_equal(memcmp(s + l.start[6], "ＳＫ", 6), 0);
    assert_string_equal(l.stem[7], "텔레콤");
    assert_string_equal(l.text[8], "3.5");

    /* Nothing to do. */
    run(ko, "", &l);
    assert_int_equal(l.n, 0);
    run(ko, " , . ", &l);
    assert_int_equal(l.n, 0);
    /* Not NUL-terminated: only n bytes are read. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_ko_tokenize(ko, "카카오도XYZ", 9, collect, &l),
                     KW_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.stem[0], "카카오");
    /* Invalid UTF-8 does not crash and keeps offsets within n. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_ko_tokenize(ko, "\xff\xfe가나\xed\xa0\x80", 11,
                                    collect, &l),
                     KW_OK);
    assert_true(l.n == 0 || l.end[l.n - 1] <= 11);
    kw_ko_free(ko);
    kw_ko_free(NULL);
}

static void test_callback_errors(void **state)
{
    kw_ko *ko = NULL;
    toks l;

    (void)state;
    assert_int_equal(kw_ko_new(&ko), KW_OK);
    memset(&l, 0, sizeof(l));
    l.stop_at = 2;
    l.stop_with = KW_EIO;
    assert_int_equal(kw_ko_tokenize(ko, "가나 다라 마바", 20, collect, &l),
                     KW_EIO);
    assert_int_equal(l.n, 2);
    memset(&l, 0, sizeof(l));
    l.stop_at = 1;
    l.stop_with = KW_EDONE;
    assert_int_equal(kw_ko_tokenize(ko, "가나 다라 마바", 20, collect, &l),
                     KW_OK);
    assert_int_equal(l.n, 1);
    kw_ko_free(ko);
}

static void test_alloc_failure(void **state)
{
    long n;
    int ok = 0;

    (void)state;
    for (n = 1; n < 50 && !ok; n++) {
        kw_ko *ko = NULL;
        toks l;
        kw_err rc;

        memset(&l, 0, sizeof(l));
        kw_alloc_fail_at(n);
        rc = kw_ko_new(&ko);
        if (!rc)
            rc = kw_ko_tokenize(ko, "ＬＧ전자는 한국에서", 21, collect, &l);
        kw_alloc_fail_at(0);
        if (rc == KW_OK)
            ok = 1;
        else
            assert_int_equal(rc, KW_ENOMEM);
        kw_ko_free(ko);
    }
    assert_true(ok);
}

/* ---- The fast path against ICU ------------------------------------------
 * Chunks of ASCII and Hangul are segmented without ICU; they must give
 * exactly the words ICU gives.  Random strings over an alphabet rich in
 * the characters whose rules differ (mid-word punctuation, '_', digits
 * beside letters and Hangul), plus the tagged sentences. */

typedef struct wordlist {
    char buf[8192]; /* "start:end:norm|..." */
    size_t n;
} wordlist;

static kw_err list_word(const kw_ko_token *t, void *ud)
{
    wordlist *w = ud;
    int k = snprintf(w->buf + w->n, sizeof(w->buf) - w->n,
                     "%zu:%zu:%.*s:%d:%d|", t->start, t->end, (int)t->norm_n,
                     t->norm, (int)t->kind, t->is_glued);

    if (k > 0 && (size_t)k < sizeof(w->buf) - w->n)
        w->n += (size_t)k;
    return KW_OK;
}

static void same_words(kw_ko *fast, kw_ko *icu, const char *s, size_t n)
{
    static wordlist a, b;

    a.n = b.n = 0;
    a.buf[0] = b.buf[0] = '\0';
    assert_int_equal(kw_ko_tokenize(fast, s, n, list_word, &a), KW_OK);
    assert_int_equal(kw_ko_tokenize(icu, s, n, list_word, &b), KW_OK);
    if (strcmp(a.buf, b.buf) != 0)
        fail_msg("'%.*s':\n fast %s\n icu  %s", (int)n, s, a.buf, b.buf);
}

static void test_fast_path_matches_icu(void **state)
{
    static const char *const alpha[] = {
        "a", "Z", "q", "0", "7", ".", ",", ";", ":", "'", "_", "-", " ",
        " ", "\n", "가", "나", "는", "의", "x", "!", "\"", "#", "$", "%", "&", "(",
        ")", "*", "+", "/", "<", "=", ">", "?", "@", "[", "\\", "]", "^",
        "`", "{", "|", "}", "~", "\t", "\x7f", "\x01",
    };
    static const char *const files[] = {EVAL "web.txt", EVAL "written.txt"};
    unsigned long long seed = 0x2545F4914F6CDD1DULL;
    kw_ko *fast = NULL, *icu = NULL;
    char s[64];
    size_t f;
    int i, k;

    (void)state;
    assert_int_equal(kw_ko_new(&fast), KW_OK);
    assert_int_equal(kw_ko_new(&icu), KW_OK);
    kw_ko_set_icu_only(icu, 1);
    for (i = 0; i < 40000; i++) {
        size_t n = 0;
        int len = 1 + (int)(seed % 12);

        for (k = 0; k < len; k++) {
            const char *c;

            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            c = alpha[seed % (sizeof(alpha) / sizeof(alpha[0]))];
            memcpy(s + n, c, strlen(c));
            n += strlen(c);
        }
        same_words(fast, icu, s, n);
    }
    for (f = 0; f < 2; f++) {
        char *text = NULL, *line, *nl;
        size_t n;

        if (kw_read_file(files[f], 1 << 22, &text, &n))
            continue;
        for (line = text; line && *line; line = nl) {
            char *tab = strchr(line, '\t');

            nl = strchr(line, '\n');
            if (nl)
                *nl++ = '\0';
            if (tab)
                same_words(fast, icu, line, (size_t)(tab - line));
        }
        kw_free(text);
    }
    kw_ko_free(fast);
    kw_ko_free(icu);
}

/* ---- The stripper on hand-tagged sentences ------------------------------
 * An eojeol (space-separated word, punctuation trimmed) is scored when the
 * tagged morphemes spell it exactly as nouns (NNG/NNP) followed by
 * particles (J*): the gold stem is the nouns. */

typedef struct score {
    int total;   /* scored eojeols */
    int correct; /* stem == gold */
    int over;    /* stem shorter than gold: a wrong strip */
    int alt_correct; /* stem or second stem == gold (what search sees) */
    int alt_over;    /* a second stem shorter than gold */
} score;

static int is_punct_byte(char c)
{
    return c == '.' || c == ',' || c == '!' || c == '?' || c == '"' ||
           c == '\'' || c == '(' || c == ')' || c == '~' || c == ':' ||
           c == ';';
}

static void score_line(char *line, score *sc)
{
    char *tab = strchr(line, '\t'), *m, *save = NULL;
    char morph[128][64], tag[128][8];
    int nm = 0, i;
    const char *e;

    if (!tab)
        return;
    *tab = '\0';
    for (m = tab + 1; *m && nm < 128;) {
        char *sp = strchr(m, ' '), *slash;

        if (sp)
            *sp = '\0';
        slash = strrchr(m, '/');
        if (slash && (size_t)(slash - m) < 64 && strlen(slash + 1) < 8) {
            (void)snprintf(morph[nm], 64, "%.*s", (int)(slash - m), m);
            (void)snprintf(tag[nm], 8, "%s", slash + 1);
            nm++;
        }
        if (!sp)
            break;
        m = sp + 1;
    }
    (void)save;
    for (e = line; *e;) {
        const char *s, *t;
        size_t n;

        while (*e == ' ')
            e++;
        s = e;
        while (*e && *e != ' ')
            e++;
        t = e;
        while (s < t && is_punct_byte(*s))
            s++;
        while (t > s && is_punct_byte(t[-1]))
            t--;
        n = (size_t)(t - s);
        if (!n)
            continue;
        for (i = 0; i < nm; i++) {
            char gold[256] = "", all[256] = "";
            int j, k, nouns = 1;

            if (strcmp(tag[i], "NNG") && strcmp(tag[i], "NNP"))
                continue;
            for (j = i; j < nm && strlen(all) < n; j++) {
                int is_noun = !strcmp(tag[j], "NNG") || !strcmp(tag[j], "NNP");

                if (!is_noun && tag[j][0] != 'J')
                    break;
                if (is_noun && !nouns)
                    break;
                if (!is_noun)
                    nouns = 0;
                k = (int)strlen(all);
                (void)snprintf(all + k, sizeof(all) - (size_t)k, "%s",
                               morph[j]);
                if (is_noun) {
                    k = (int)strlen(gold);
                    (void)snprintf(gold + k, sizeof(gold) - (size_t)k, "%s",
                                   morph[j]);
                }
            }
            if (strlen(all) == n && memcmp(all, s, n) == 0) {
                size_t got = kw_ko_stem(s, n), alt = kw_ko_stem_alt(s, n);

                sc->total++;
                if (got == strlen(gold))
                    sc->correct++;
                else if (got < strlen(gold))
                    sc->over++;
                if (got == strlen(gold) || alt == strlen(gold))
                    sc->alt_correct++;
                if (alt && alt < strlen(gold))
                    sc->alt_over++;
                break;
            }
        }
    }
}

static void test_stripper_on_tagged_sentences(void **state)
{
    static const char *const files[] = {EVAL "web.txt", EVAL "written.txt"};
    score sc = {0, 0, 0, 0, 0};
    size_t f;

    (void)state;
    for (f = 0; f < 2; f++) {
        char *text = NULL, *line, *nl;
        size_t n;

        if (kw_read_file(files[f], 1 << 22, &text, &n)) {
            print_message("skipped: %s is missing\n", files[f]);
            skip();
        }
        for (line = text; line && *line; line = nl) {
            nl = strchr(line, '\n');
            if (nl)
                *nl++ = '\0';
            score_line(line, &sc);
        }
        kw_free(text);
    }
    print_message("stripper: %d eojeols, %.3f correct, %.3f wrong strips; "
                  "with second stems %.3f correct, %.3f wrong second "
                  "stems\n",
                  sc.total, (double)sc.correct / sc.total,
                  (double)sc.over / sc.total,
                  (double)sc.alt_correct / sc.total,
                  (double)sc.alt_over / sc.total);
    assert_true(sc.alt_correct >= sc.correct);
    assert_true(sc.alt_correct * 100 >= sc.total * 95);
    assert_true(sc.total > 300);
    assert_true(sc.correct * 100 >= sc.total * 90);
    assert_true(sc.over * 100 <= sc.total * 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_particles),
        cmocka_unit_test(test_traps),
        cmocka_unit_test(test_verbs),
        cmocka_unit_test(test_stacks_copula_second_stems),
        cmocka_unit_test(test_particle_only),
        cmocka_unit_test(test_tokenize),
        cmocka_unit_test(test_callback_errors),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_fast_path_matches_icu),
        cmocka_unit_test(test_stripper_on_tagged_sentences),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
