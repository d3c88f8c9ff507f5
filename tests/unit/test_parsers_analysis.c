/*
 * Unit tests of kw/analysis.h: gazetteer and rule parsing (with line
 * numbers on errors), mention matching (particles, prefix traps, Latin
 * word boundaries, products, spellings, counts and offsets), sentence
 * breaks, stances rule by rule, event dates, fingerprints of the demo's
 * syndicated pair against the other demo articles, the labelled sets
 * (shared and our own), and allocation failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "analysis_int.h"
#include "kw/analysis.h"
#include "kw/parsers.h"

#define ENTITIES KW_SOURCE_DIR "/config/entities.yaml"
#define RULES KW_SOURCE_DIR "/config/stances.yaml"
#define DEMO KW_SOURCE_DIR "/config/demo/sites/"

static kw_gazetteer *G;
static kw_rules *R;

static int setup(void **state)
{
    char *buf = NULL, err[256] = "";
    size_t n = 0;

    (void)state;
    kw_parsers_global_init();
    if (kw_read_file(ENTITIES, KW_MAX_BODY, &buf, &n))
        return -1;
    if (kw_gazetteer_parse(buf, n, err, sizeof(err), &G)) {
        fprintf(stderr, "entities: %s\n", err);
        kw_free(buf);
        return -1;
    }
    kw_free(buf);
    if (kw_read_file(RULES, KW_MAX_BODY, &buf, &n))
        return -1;
    if (kw_rules_parse(buf, n, err, sizeof(err), &R)) {
        fprintf(stderr, "rules: %s\n", err);
        kw_free(buf);
        return -1;
    }
    kw_free(buf);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kw_gazetteer_free(G);
    kw_rules_free(R);
    return 0;
}

static kw_analysis *analyze(const char *text, const kw_date *pub)
{
    kw_analysis *a = NULL;

    assert_int_equal(kw_analyze(G, R, text, strlen(text), pub, &a), KW_OK);
    assert_non_null(a);
    return a;
}

/* The stance of @id in @a (last decision), or NONE. */
static kw_stance stance_of(const kw_analysis *a, const char *id)
{
    kw_stance s = KW_STANCE_NONE;
    size_t i;

    for (i = 0; i < a->n_decisions; i++)
        if (strcmp(a->decisions[i].entity_id, id) == 0)
            s = a->decisions[i].stance;
    return s;
}

static const kw_mention *mention_of(const kw_analysis *a, const char *id)
{
    size_t i;

    for (i = 0; i < a->n_mentions; i++)
        if (strcmp(a->mentions[i].entity_id, id) == 0)
            return &a->mentions[i];
    return NULL;
}

/* ---- Parsing ------------------------------------------------------------- */

static void test_gazetteer_default(void **state)
{
    static const char *const ids[] = {"naver-cloud", "kakao", "upstage",
                                      "lg-ai-research", "sk-telecom",
                                      "nc-ai", "kt", "msit", "nipa"};
    size_t i;

    (void)state;
    assert_int_equal(kw_gazetteer_count(G), 9);
    for (i = 0; i < sizeof(ids) / sizeof(*ids); i++)
        assert_non_null(kw_gazetteer_find(G, ids[i]));
    assert_string_equal(kw_gazetteer_find(G, "msit")->type, "ministry");
    assert_string_equal(kw_gazetteer_find(G, "kt")->name, "KT");
    assert_null(kw_gazetteer_find(G, "samsung"));
    assert_null(kw_gazetteer_entity(G, 99));
}

typedef struct bad_yaml {
    const char *text;
    const char *want; /* substring of the error */
} bad_yaml;

static void test_gazetteer_errors(void **state)
{
    static const bad_yaml cases[] = {
        {"entities:\n  - id: a\n    type: company\n", "line 2"},
        {"entities:\n  - id: a\n    name: A\n    type: bank\n", "line 4"},
        {"entities:\n  - id: a\n    name: A\n    type: company\n"
         "    alias: [x]\n",
         "line 5: unknown key"},
        {"entities:\n  - id: a\n    name: A\n    type: company\n"
         "  - id: a\n    name: B\n    type: company\n",
         "line 5: duplicate id"},
        {"entities: [\n", "line "},
        {"foo: bar\n", "line 1"},
        {"entities:\n  - id: a\n    name: A\n    type: company\n"
         "    aliases: [[x]]\n",
         "line 5"},
        {"context: x\nentities:\n  - id: a\n    name: A\n"
         "    type: company\n",
         "line 1: context"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kw_gazetteer *g = (kw_gazetteer *)1;
        char err[256] = "";

        assert_int_equal(kw_gazetteer_parse(cases[i].text,
                                            strlen(cases[i].text), err,
                                            sizeof(err), &g),
                         KW_EPARSE);
        assert_null(g);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
    }
}

static void test_rules_errors(void **state)
{
    static const bad_yaml cases[] = {
        {"stances:\n  joined: [x]\n", "line 2: unknown stance"},
        {"stances:\n  selected: [x]\nfoo: 1\n", "line 3: unknown key"},
        {"negations: [x]\n", "'stances'"},
        {"stances:\n  selected: [\"\"]\n", "line 2"},
        {"stances:\n  selected: [x]\nnegation_flip:\n  selected: maybe\n",
         "line 4"},
        {"stances: {selected: [a*b*c*d*e]}\n", "three"},
        {"stances: {selected: [a**b*c**d*e]}\n", "three"},
        {"stances: {selected: [\"a**\"]}\n", "empty piece"},
        {"stances: {selected: [\"ab~\"]}\n", "Hangul"},
        {"stances: {selected: [\"{a,b\"]}\n", "unbalanced"},
        {"stances: {selected: [\"{a,}\"]}\n", "line 1"},
        {"stances: {selected: [\"a|\"]}\n", "'|'"},
        {"stances: {selected: [x]}\nfailure_words: 9\n", "line 2"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kw_rules *r = (kw_rules *)1;
        char err[256] = "";

        assert_int_equal(kw_rules_parse(cases[i].text, strlen(cases[i].text),
                                        err, sizeof(err), &r),
                         KW_EPARSE);
        assert_null(r);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
    }
}

/* The pattern syntax: {a,b} alternatives, a '~' stem, '|' context,
 * '*' and '**' gaps. */
static void test_rule_syntax(void **state)
{
    static const char rules[] =
        "stances:\n"
        "  eliminated: [\"{고배를,쓴잔을} {마시,들}~\"]\n"
        "  declined: [\"빠진| {공모,사업}\"]\n"
        "  entering: [\"신청하~\", \"접수|$\"]\n"
        "  selected: [\"2차 평가는**겨루~\", \"3차는*겨루~\"]\n"
        "roles:\n"
        "  subject: [은, 는, 이, 가]\n"
        "  nominative: [이, 가]\n";
    static const struct {
        const char *text, *id;
        kw_stance want;
    } cases[] = {
        {"카카오는 고배를 마셨다.", "kakao", KW_STANCE_ELIMINATED},
        {"카카오는 쓴잔을 들었다.", "kakao", KW_STANCE_ELIMINATED},
        {"카카오는 고배를 든 셈이다.", "kakao", KW_STANCE_ELIMINATED},
        {"카카오는 고배를 맞았다.", "kakao", KW_STANCE_NONE},
        {"카카오는 신청했다.", "kakao", KW_STANCE_ENTERING},
        {"카카오는 신청해 둔 상태다.", "kakao", KW_STANCE_ENTERING},
        {"카카오는 신선하다.", "kakao", KW_STANCE_NONE},
        {"카카오가 빠진 공모다.", "kakao", KW_STANCE_DECLINED},
        {"카카오가 빠진 가운데.", "kakao", KW_STANCE_NONE},
        /* "**" reaches to the end of the clause, '*' 40 bytes. */
        {"2차 평가는 올해 여름부터 여러 달 동안 카카오가 겨룬다.", "kakao",
         KW_STANCE_SELECTED},
        {"3차는 올해 여름부터 여러 달 동안 카카오가 겨룬다.", "kakao",
         KW_STANCE_NONE},
        /* "|$": only punctuation may follow the cue in its clause. */
        {"카카오 접수.", "kakao", KW_STANCE_ENTERING},
        {"카카오 '접수'", "kakao", KW_STANCE_ENTERING},
        {"카카오 접수 마감", "kakao", KW_STANCE_NONE},
    };
    kw_rules *r = NULL;
    char err[256] = "";
    size_t i;

    (void)state;
    assert_int_equal(kw_rules_parse(rules, strlen(rules), err, sizeof(err),
                                    &r),
                     KW_OK);
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kw_analysis *a = NULL;
        kw_stance got;

        assert_int_equal(kw_analyze(G, r, cases[i].text,
                                    strlen(cases[i].text), NULL, &a),
                         KW_OK);
        got = stance_of(a, cases[i].id);
        if (got != cases[i].want)
            fail_msg("'%s': got %s, want %s", cases[i].text,
                     kw_stance_name(got), kw_stance_name(cases[i].want));
        kw_analysis_free(a);
    }
    kw_rules_free(r);
}

static void test_stance_names(void **state)
{
    kw_stance s;
    int i;

    (void)state;
    for (i = 0; i <= KW_STANCE_ENTERING; i++) {
        assert_int_equal(kw_stance_parse(kw_stance_name((kw_stance)i), &s),
                         KW_OK);
        assert_int_equal(s, i);
    }
    assert_int_equal(kw_stance_parse("maybe", &s), KW_EINVAL);
    assert_string_equal(kw_stance_name(KW_STANCE_DECLINED), "declined");
}

/* ---- Entities ------------------------------------------------------------ */

typedef struct ent_case {
    const char *text;
    const char *ids; /* space-separated expected ids, "" for none */
} ent_case;

static void test_entities(void **state)
{
    static const ent_case cases[] = {
        {"네이버가 발표했다.", "naver-cloud"},
        {"업스테이지와 LG AI연구원이 손잡았다.", "upstage lg-ai-research"},
        {"엔씨AI는 답하지 않았다.", "nc-ai"},
        {"NC AI, 엔씨에이아이, 엔씨 AI 모두 같은 회사다.", "nc-ai"},
        {"과기정통부와 과기부, 과학기술정보통신부.", "msit"},
        {"네이버웹툰은 성장했다.", ""},
        {"카카오뱅크가 대출을 늘렸다.", ""},
        {"카카오페이와 카카오게임즈가 올랐다.", ""},
        {"KTX 승객이 늘었다.", ""},
        {"KT&G가 배당을 늘렸다.", ""},
        {"SK하이닉스와 LG에너지솔루션이 올랐다.", ""},
        {"KT는 입장을 냈다.", "kt"},
        {"KT 측은 말을 아꼈다.", "kt"},
        {"SKT와 SK텔레콤은 같다.", "sk-telecom"},
        {"HyperCLOVA X와 하이퍼클로바X는 네이버 모델이다.", "naver-cloud"},
        {"Kanana, 카나나는 카카오 모델이다.", "kakao"},
        {"Solar와 솔라 프로2를 공개했다.", "upstage"},
        {"EXAONE과 엑사원, K-엑사원.", "lg-ai-research"},
        {"A.X 4.0을 공개했다.", "sk-telecom"},
        {"VAETKI를 내놨다.", "nc-ai"},
        {"믿:음 2.0을 공개했다.", "kt"},
        {"ＫＴ는 전각으로 적혔다.", "kt"},
        {"naver cloud said so.", "naver-cloud"},
        {"정보통신산업진흥원(NIPA)에 제출했다.", "nipa"},
        {"삼성전자와 LG전자가 참여했다.", ""},
        {"솔라 패널 가격이 내렸다.", ""},
        {"카카오톡 업데이트.", ""},
        /* A weak alias needs the programme's context in its sentence. */
        {"LG는 2차 단계에 진출했다.", "lg-ai-research"},
        {"LG는 신입 채용을 늘린다.", ""},
        {"LG CNS는 추가 공모와 무관하다.", ""},
        {"LG유플러스도 정예팀 소식을 전했다.", ""},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kw_analysis *a = analyze(cases[i].text, NULL);
        char got[256] = "";
        size_t k;

        for (k = 0; k < a->n_mentions; k++) {
            if (k)
                strncat(got, " ", sizeof(got) - strlen(got) - 1);
            strncat(got, a->mentions[k].entity_id,
                    sizeof(got) - strlen(got) - 1);
        }
        if (strcmp(got, cases[i].ids) != 0)
            fail_msg("'%s': got '%s', want '%s'", cases[i].text, got,
                     cases[i].ids);
        kw_analysis_free(a);
    }
}

static void test_mention_counts_offsets(void **state)
{
    const char *text = "제목: 카카오 소식\n\n오늘 카카오가 발표했다. 카카오는 "
                       "Kanana를 공개했다. ＫＴ도 참석했다.";
    kw_analysis *a;
    const kw_mention *m;

    (void)state;
    a = analyze(text, NULL);
    m = mention_of(a, "kakao");
    assert_non_null(m);
    assert_int_equal(m->count, 4);
    assert_int_equal(m->first_offset, strstr(text, "카카오") - text);
    m = mention_of(a, "kt");
    assert_non_null(m);
    assert_int_equal(m->first_offset, strstr(text, "ＫＴ") - text);
    assert_true(a->n_sentences >= 4);
    assert_int_equal(a->sentences[0].n_entities, 1);
    assert_string_equal(a->sentences[0].text, "제목: 카카오 소식");
    kw_analysis_free(a);
}

static void test_sentences(void **state)
{
    const char *text = "  첫 문장이다. 둘째 문장이다!  \n\n셋째 문단\n\n\n"
                       "넷째 문장이다? 다섯째.";
    kw_analysis *a;
    size_t i;

    (void)state;
    a = analyze(text, NULL);
    assert_int_equal(a->n_sentences, 5);
    assert_string_equal(a->sentences[0].text, "첫 문장이다.");
    assert_string_equal(a->sentences[1].text, "둘째 문장이다!");
    assert_string_equal(a->sentences[2].text, "셋째 문단");
    assert_string_equal(a->sentences[4].text, "다섯째.");
    for (i = 0; i < a->n_sentences; i++)
        assert_memory_equal(text + a->sentences[i].offset,
                            a->sentences[i].text,
                            strlen(a->sentences[i].text));
    kw_analysis_free(a);
    /* A question inside an open quotation does not end the sentence. */
    a = analyze("카카오 \"재도전? 전혀 고려 안 해\" 다음 문장.", NULL);
    assert_int_equal(a->n_sentences, 1);
    kw_analysis_free(a);
    a = analyze("", NULL);
    assert_int_equal(a->n_sentences, 0);
    assert_int_equal(a->n_decisions, 0);
    kw_analysis_free(a);
}

/* ---- Stances ------------------------------------------------------------- */

typedef struct st_case {
    const char *text;
    const char *id;
    kw_stance want;
} st_case;

static void test_stances(void **state)
{
    static const st_case cases[] = {
        /* Cues with particles. */
        {"업스테이지가 2차 단계에 진출했다.", "upstage", KW_STANCE_SELECTED},
        {"카카오도 탈락했다.", "kakao", KW_STANCE_ELIMINATED},
        {"KT 측은 불참하기로 했다.", "kt", KW_STANCE_DECLINED},
        {"엔씨AI는 참여 여부를 검토 중이다.", "nc-ai",
         KW_STANCE_CONSIDERING},
        {"SKT가 출사표를 던졌다.", "sk-telecom", KW_STANCE_ENTERING},
        /* Negation. */
        {"카카오는 추가 공모에 참여하지 않기로 했다.", "kakao",
         KW_STANCE_DECLINED},
        {"KT는 평가를 통과하지 못했다.", "kt", KW_STANCE_ELIMINATED},
        {"네이버는 재도전 계획이 없다고 했다.", "naver-cloud",
         KW_STANCE_DECLINED},
        {"엔씨AI는 신청하지 않았다.", "nc-ai", KW_STANCE_DECLINED},
        /* Hedges cancel. */
        {"카카오가 참여할 가능성이 크다.", "kakao", KW_STANCE_NONE},
        {"KT가 재도전할 것이라는 관측이 나온다.", "kt", KW_STANCE_NONE},
        {"네이버가 도전장을 낼 것이라는 전망이다.", "naver-cloud",
         KW_STANCE_NONE},
        {"업계에서는 엔씨AI의 재도전설이 돌고 있다.", "nc-ai",
         KW_STANCE_NONE},
        /* Denials. */
        {"카카오는 재도전설에 대해 사실무근이라고 밝혔다.", "kakao",
         KW_STANCE_DECLINED},
        {"KT는 \"참여를 검토한 바 없다\"고 했다.", "kt",
         KW_STANCE_DECLINED},
        /* Reversals. */
        {"엔씨AI는 불참 방침을 번복하고 참여하기로 했다.", "nc-ai",
         KW_STANCE_ENTERING},
        {"KT는 참여 신청을 하루 만에 철회했다.", "kt", KW_STANCE_DECLINED},
        /* Purpose. */
        {"업스테이지는 탈락하지 않기 위해 애쓰고 있다.", "upstage",
         KW_STANCE_NONE},
        /* Ministry as subject: the object gets it. */
        {"과기정통부는 KT를 추가 정예팀으로 선정했다.", "kt",
         KW_STANCE_SELECTED},
        {"과기정통부는 KT를 추가 정예팀으로 선정했다.", "msit",
         KW_STANCE_NONE},
        /* English. */
        {"Kakao said it would not reapply.", "kakao", KW_STANCE_DECLINED},
        /* Verb stems in any inflection (제외되~: 제외된, 제외됐). */
        {"KT는 명단에서 일찌감치 제외된 것으로 알려졌다.", "kt",
         KW_STANCE_ELIMINATED},
        {"엔씨AI는 신청서를 내지 않았다.", "nc-ai", KW_STANCE_DECLINED},
        {"KT는 추가 공모 참여 계획을 접었다.", "kt", KW_STANCE_DECLINED},
        {"카카오가 추가 공모에 나설지는 미지수다.", "kakao",
         KW_STANCE_CONSIDERING},
        /* A failure a few words after the cue. */
        {"네이버클라우드의 2차 진출은 결국 무산됐다.", "naver-cloud",
         KW_STANCE_ELIMINATED},
        /* Nominal cues with a modal predicate. */
        {"KT는 \"추가 공모 참여는 어렵다\"는 입장을 내놨다.", "kt",
         KW_STANCE_DECLINED},
        {"네이버는 재도전 대신 글로벌 사업 확대를 택했다.", "naver-cloud",
         KW_STANCE_DECLINED},
        /* An intention to pass is no result. */
        {"업스테이지는 2차 평가 통과를 자신했다.", "upstage",
         KW_STANCE_NONE},
        /* Reports of a rumour. */
        {"KT가 재도전에 나선다는 이야기가 흘러나왔다.", "kt",
         KW_STANCE_NONE},
        {"카카오가 신청서를 제출했다는 보도가 나왔다.", "kakao",
         KW_STANCE_NONE},
        /* A denial of a rumour in a relative clause. */
        {"카카오가 참여한다는 일부 보도에 대해 회사 측은 \"사실무근\"이라고 "
         "밝혔다.",
         "kakao", KW_STANCE_DECLINED},
        /* Comitative: B with A shares A's predicate. */
        {"업스테이지가 LG AI연구원과 함께 상위 3개 팀에 들었다.",
         "lg-ai-research", KW_STANCE_SELECTED},
        /* A reversal denied: the stance before it stands. */
        {"카카오는 불참 결정을 번복할 뜻이 없다고 했다.", "kakao",
         KW_STANCE_DECLINED},
        {"KT는 참여하기로 한 결정을 철회하지 않겠다고 했다.", "kt",
         KW_STANCE_ENTERING},
        /* A topic naming the company again ("회사 측은") continues the
         * subject of the clause before. */
        {"엔씨AI가 재도전할 가능성이 거론되지만 회사 측은 결론을 내리지 "
         "못했다고 했다.",
         "nc-ai", KW_STANCE_CONSIDERING},
        /* A cleft: the name predicated of the described noun. */
        {"재도전에 나선 곳은 KT뿐이다.", "kt", KW_STANCE_ENTERING},
        /* "B가 X한 것과 달리": the topic belongs to the next clause. */
        {"엔씨AI는 카카오가 불참을 선언한 것과 달리 재도전을 택했다.",
         "kakao", KW_STANCE_DECLINED},
        {"엔씨AI는 카카오가 불참을 선언한 것과 달리 재도전을 택했다.",
         "nc-ai", KW_STANCE_ENTERING},
        /* 대신 is a noun, not an adnominal verb. */
        {"네이버는 재도전 대신 업스테이지와의 협력을 넓힌다.", "upstage",
         KW_STANCE_NONE},
        /* Denying a rumour of quitting is no decline. */
        {"엔씨AI가 재도전을 포기했다는 보도에 회사 측은 \"사실무근\"이라고 "
         "했다.",
         "nc-ai", KW_STANCE_NONE},
        /* A decision still to come survives a hedge. */
        {"KT는 추가 공모 조건을 확인한 뒤 최종 결정을 내릴 것으로 보인다.",
         "kt", KW_STANCE_CONSIDERING},
        /* Generic verbs need the programme named. */
        {"KT는 신규 요금제를 두고 주판알을 튕기고 있다.", "kt",
         KW_STANCE_NONE},
        {"KT는 재도전 여부를 두고 주판알을 튕기고 있다.", "kt",
         KW_STANCE_CONSIDERING},
        {"KT plans to apply the model to its call centres.", "kt",
         KW_STANCE_NONE},
        /* English: an adverb in a passive, an object after the verb. */
        {"NC AI was also cut from the program.", "nc-ai",
         KW_STANCE_ELIMINATED},
        {"Kakao lost out to Upstage in the first round.", "upstage",
         KW_STANCE_NONE},
        {"Naver Cloud dismissed speculation that it might return to the "
         "programme.",
         "naver-cloud", KW_STANCE_DECLINED},
        /* A verb of dropping out in -고 ends its clause; a rumour at the
         * end of the -고 clauses holds them all. */
        {"카카오가 정예팀 명단에서 빠지고 업스테이지가 새로 이름을 올렸다.",
         "kakao", KW_STANCE_ELIMINATED},
        {"KT가 추가 공모에서 빠지고 엔씨AI만 신청서를 냈다.", "kt",
         KW_STANCE_DECLINED},
        {"2차 평가에서 카카오가 떨어지고 업스테이지만 남았다는 소문이 "
         "돌았다.",
         "kakao", KW_STANCE_NONE},
        {"1차 평가에서 네이버클라우드는 탈락했고 카카오는 재도전에 나설 "
         "것이란 관측이 나온다.",
         "naver-cloud", KW_STANCE_ELIMINATED},
        /* Applicants are entering; whether one is selected is none; a
         * leaning is considering; an appeal is no participation. */
        {"지원서를 낸 곳에는 KT 컨소시엄도 포함된 것으로 확인됐다.", "kt",
         KW_STANCE_ENTERING},
        {"추가 공모 심사가 막바지에 이르면서 엔씨AI의 최종 선정 여부가 "
         "주목된다.",
         "nc-ai", KW_STANCE_NONE},
        {"업계에 따르면 KT는 패자부활전 참가 쪽으로 가닥을 잡았다.", "kt",
         KW_STANCE_CONSIDERING},
        {"엔씨AI는 평가 결과에 대한 재심 청구를 하지 않겠다고 밝혔다.",
         "nc-ai", KW_STANCE_NONE},
        /* Giving up in favour of something else; a bid that came to
         * nothing; a second try that succeeded over an old defeat. */
        {"KT는 추가 공모에 불참하는 대신 자체 모델 개발에 역량을 모으기로 "
         "했다.",
         "kt", KW_STANCE_DECLINED},
        {"KT의 패자부활전 도전은 끝내 좌절됐다.", "kt",
         KW_STANCE_ELIMINATED},
        {"1차 평가에서 탈락했던 엔씨AI는 추가 공모 재도전에 성공해 2차 "
         "무대를 밟는다.",
         "nc-ai", KW_STANCE_SELECTED},
        /* English: ruling out with its object; an ordinal elite team. */
        {"KT rules out a second bid for the sovereign AI project", "kt",
         KW_STANCE_DECLINED},
        {"Upstage does not rule out joining the additional round.",
         "upstage", KW_STANCE_CONSIDERING},
        {"NC AI becomes fourth elite team after winning additional call",
         "nc-ai", KW_STANCE_SELECTED},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kw_analysis *a = analyze(cases[i].text, NULL);
        kw_stance got = stance_of(a, cases[i].id);

        if (got != cases[i].want)
            fail_msg("'%s' %s: got %s, want %s", cases[i].text, cases[i].id,
                     kw_stance_name(got), kw_stance_name(cases[i].want));
        kw_analysis_free(a);
    }
}

static void test_clauses_and_lists(void **state)
{
    kw_analysis *a;

    (void)state;
    a = analyze("LG AI연구원과 업스테이지는 통과했고 카카오는 탈락했다.", NULL);
    assert_int_equal(stance_of(a, "lg-ai-research"), KW_STANCE_SELECTED);
    assert_int_equal(stance_of(a, "upstage"), KW_STANCE_SELECTED);
    assert_int_equal(stance_of(a, "kakao"), KW_STANCE_ELIMINATED);
    kw_analysis_free(a);
    a = analyze("2차 진출 팀은 ▲SK텔레콤 ▲업스테이지 ▲LG AI연구원으로 "
                "확정됐고, 네이버클라우드는 고배를 마셨다.",
                NULL);
    assert_int_equal(stance_of(a, "sk-telecom"), KW_STANCE_SELECTED);
    assert_int_equal(stance_of(a, "upstage"), KW_STANCE_SELECTED);
    assert_int_equal(stance_of(a, "lg-ai-research"), KW_STANCE_SELECTED);
    assert_int_equal(stance_of(a, "naver-cloud"), KW_STANCE_ELIMINATED);
    kw_analysis_free(a);
    /* A relative clause describes its head name; the main clause wins
     * when it speaks of the same name. */
    a = analyze("탈락의 고배를 마신 엔씨AI와 달리 업스테이지는 2차 단계에 "
                "안착했다.",
                NULL);
    assert_int_equal(stance_of(a, "nc-ai"), KW_STANCE_ELIMINATED);
    assert_int_equal(stance_of(a, "upstage"), KW_STANCE_SELECTED);
    kw_analysis_free(a);
    a = analyze("1차에서 탈락한 KT는 추가 공모에 재도전하기로 했다.", NULL);
    assert_int_equal(stance_of(a, "kt"), KW_STANCE_ENTERING);
    kw_analysis_free(a);
    /* A hedge in the main clause leaves the relative clause's fact. */
    a = analyze("1차에서 떨어진 카카오가 재도전할 것이라는 관측이 나온다.",
                NULL);
    assert_int_equal(stance_of(a, "kakao"), KW_STANCE_ELIMINATED);
    kw_analysis_free(a);
    /* The subjects of a relative clause are not the main clause's. */
    a = analyze("카카오와 네이버가 빠진 추가 공모에는 KT와 엔씨AI만 "
                "신청했다.",
                NULL);
    assert_int_equal(stance_of(a, "kakao"), KW_STANCE_DECLINED);
    assert_int_equal(stance_of(a, "naver-cloud"), KW_STANCE_DECLINED);
    assert_int_equal(stance_of(a, "kt"), KW_STANCE_ENTERING);
    assert_int_equal(stance_of(a, "nc-ai"), KW_STANCE_ENTERING);
    kw_analysis_free(a);
    a = analyze("엔씨AI가 신청한 추가 공모에 KT는 끝내 참여하지 않았다.",
                NULL);
    assert_int_equal(stance_of(a, "nc-ai"), KW_STANCE_ENTERING);
    assert_int_equal(stance_of(a, "kt"), KW_STANCE_DECLINED);
    kw_analysis_free(a);
    /* "회사는" names the entity again: the clause continues it. */
    a = analyze("엔씨AI가 재도전할 것이라는 업계 관측과 달리 회사는 아직 "
                "입장을 정하지 않았다.",
                NULL);
    assert_int_equal(stance_of(a, "nc-ai"), KW_STANCE_CONSIDERING);
    kw_analysis_free(a);
    /* A comma right after a cue ends a headline's verbless clause. */
    a = analyze("LG AI연구원·SKT 통과, 네이버·엔씨AI 탈락", NULL);
    assert_int_equal(stance_of(a, "lg-ai-research"), KW_STANCE_SELECTED);
    assert_int_equal(stance_of(a, "sk-telecom"), KW_STANCE_SELECTED);
    assert_int_equal(stance_of(a, "naver-cloud"), KW_STANCE_ELIMINATED);
    assert_int_equal(stance_of(a, "nc-ai"), KW_STANCE_ELIMINATED);
    kw_analysis_free(a);
    /* A noun phrase owned by coordinated names is theirs together. */
    a = analyze("과기정통부는 카카오와 KT의 탈락을 공식 발표했다.", NULL);
    assert_int_equal(stance_of(a, "kakao"), KW_STANCE_ELIMINATED);
    assert_int_equal(stance_of(a, "kt"), KW_STANCE_ELIMINATED);
    kw_analysis_free(a);
    /* The decision carries its evidence sentence. */
    a = analyze("첫 문장. KT는 추가 공모에 신청서를 제출했다.", NULL);
    assert_int_equal(a->n_decisions, 1);
    assert_string_equal(a->decisions[0].sentence,
                        "KT는 추가 공모에 신청서를 제출했다.");
    assert_int_equal(a->decisions[0].sentence_index, 1);
    assert_int_equal(a->sentences[1].n_decisions, 1);
    assert_ptr_equal(a->sentences[1].decisions, &a->decisions[0]);
    kw_analysis_free(a);
    /* A headline's name that opens its clause before a comma is that
     * clause's topic; a failure word that is a cue itself still fails
     * the cue before it. */
    a = analyze("SKT 2차 진출…엔씨AI, 총점에서 밀려 탈락", NULL);
    assert_int_equal(stance_of(a, "sk-telecom"), KW_STANCE_SELECTED);
    assert_int_equal(stance_of(a, "nc-ai"), KW_STANCE_ELIMINATED);
    kw_analysis_free(a);
    a = analyze("엔씨AI의 2차 진출이 끝내 좌절됐다.", NULL);
    assert_int_equal(stance_of(a, "nc-ai"), KW_STANCE_ELIMINATED);
    kw_analysis_free(a);
    /* English: the speaker after the quote; a denial of quitting. */
    a = analyze("\"We will apply for the additional call,\" a KT official "
                "said on Monday.",
                NULL);
    assert_int_equal(stance_of(a, "kt"), KW_STANCE_ENTERING);
    kw_analysis_free(a);
    a = analyze("KT dismissed reports that it had pulled out of the "
                "additional call.",
                NULL);
    assert_int_equal(stance_of(a, "kt"), KW_STANCE_NONE);
    kw_analysis_free(a);
}

/* Questions, conditionals and other hypotheticals never give `entering`
 * (nor any result), whatever cue they hold. */
static void test_hypotheticals(void **state)
{
    static const char *const texts[] = {
        "마감을 앞두고 KT와 엔씨AI 가운데 누가 먼저 신청서를 낼까?",
        "카카오, 추가 공모에 재도전할까",
        "엔씨AI가 재도전을 선언했을까?",
        "만약 카카오가 다시 참여한다면 구도가 바뀐다.",
        "KT가 신청서를 낸다면, 엔씨AI와의 2파전이 된다.",
        "KT가 이번에도 떨어진다면 사실상 밀려나게 된다.",
        "업스테이지가 2차 관문을 넘을 수 있을까?",
        "네이버가 이번에 선정될 경우 재도전 성공 사례가 된다.",
    };
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        kw_analysis *a = analyze(texts[i], NULL);

        for (k = 0; k < a->n_decisions; k++)
            fail_msg("'%s': %s %s", texts[i], a->decisions[k].entity_id,
                     kw_stance_name(a->decisions[k].stance));
        kw_analysis_free(a);
    }
}

/* Others' wishes and requests (정부는 카카오가 참여하기를 기대한다), a
 * team in the locative (KT 컨소시엄에 참여한 기업들) and English clauses
 * never give a false entering; English clauses split after a cue. */
static void test_wishes_and_english(void **state)
{
    static const struct {
        const char *text, *id;
        kw_stance want;
    } cases[] = {
        {"정부는 KT와 카카오가 추가 공모에 참여하기를 기대한다는 입장이다.",
         "kakao", KW_STANCE_NONE},
        {"과기정통부는 엔씨AI에 재도전해 줄 것을 요청했다.", "nc-ai",
         KW_STANCE_NONE},
        {"NIPA는 KT가 공모에 신청하도록 설득했다.", "kt", KW_STANCE_NONE},
        {"카카오 컨소시엄에 참여한 스타트업들은 평가를 맡는다.", "kakao",
         KW_STANCE_NONE},
        {"카카오는 추가 공모에 지원서를 내지 않기로 했다.", "kakao",
         KW_STANCE_DECLINED},
        {"KT와 카카오가 참여를 확정했다는 보도에 대해 카카오는 사실무근이라고 "
         "했다.",
         "kt", KW_STANCE_NONE},
        {"While Upstage advanced, KT and Kakao, which missed the cut last "
         "year, have yet to say whether they will apply.",
         "upstage", KW_STANCE_SELECTED},
        {"While Upstage advanced, KT and Kakao, which missed the cut last "
         "year, have yet to say whether they will apply.",
         "kt", KW_STANCE_CONSIDERING},
        {"The ministry hopes Kakao will apply.", "kakao", KW_STANCE_NONE},
        {"Kakao reversed course and submitted an application.", "kakao",
         KW_STANCE_ENTERING},
        {"NC AI filed an application, while Naver Cloud stayed away.",
         "naver-cloud", KW_STANCE_DECLINED},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kw_analysis *a = analyze(cases[i].text, NULL);
        kw_stance got = stance_of(a, cases[i].id);

        if (got != cases[i].want)
            fail_msg("'%s': %s %s, want %s", cases[i].text, cases[i].id,
                     kw_stance_name(got), kw_stance_name(cases[i].want));
        kw_analysis_free(a);
    }
}

/* A relative clause restates an old fact (탈락한 KT는): it never outranks
 * what the sentence says the name does now, wherever the two clauses
 * stand; it is flagged as restated and dated only by a date of its own,
 * never by the published date, so it cannot make the status flip. */
static void test_restated(void **state)
{
    kw_date pub;
    kw_analysis *a;
    char iso[32];
    size_t k;

    (void)state;
    assert_int_equal(kw_date_parse("2026-01-20T10:00:00+09:00", 25, &pub),
                     KW_OK);
    /* The main clause first, the relative clause after it. */
    a = analyze("KT가 신청서를 제출하면서 1차에서 함께 탈락한 KT와 엔씨AI의 "
                "재대결이 성사됐다.",
                &pub);
    assert_int_equal(a->n_decisions, 2);
    for (k = 0; k < a->n_decisions; k++) {
        const kw_decision *d = &a->decisions[k];

        if (strcmp(d->entity_id, "kt") == 0) {
            assert_int_equal(d->stance, KW_STANCE_ENTERING);
            assert_int_equal(d->is_restated, 0);
        } else {
            assert_string_equal(d->entity_id, "nc-ai");
            assert_int_equal(d->stance, KW_STANCE_ELIMINATED);
            assert_int_equal(d->is_restated, 1);
            assert_int_equal(d->has_event_date, 0);
        }
    }
    kw_analysis_free(a);
    /* The relative clause first. */
    a = analyze("1차에서 탈락한 KT는 추가 공모에 재도전하기로 했다.", &pub);
    assert_int_equal(a->n_decisions, 1);
    assert_int_equal(a->decisions[0].stance, KW_STANCE_ENTERING);
    assert_int_equal(a->decisions[0].is_restated, 0);
    kw_analysis_free(a);
    /* Alone in its sentence: restated, undated. */
    a = analyze("1차에서 떨어진 카카오가 재도전할 것이라는 관측이 나온다.",
                &pub);
    assert_int_equal(a->n_decisions, 1);
    assert_int_equal(a->decisions[0].stance, KW_STANCE_ELIMINATED);
    assert_int_equal(a->decisions[0].is_restated, 1);
    assert_int_equal(a->decisions[0].has_event_date, 0);
    kw_analysis_free(a);
    /* Its own date dates it; the main clause keeps the sentence's. */
    a = analyze("KT는 18일 재도전을 선언했다. 지난 15일 탈락한 KT는 이번이 "
                "마지막 기회다.",
                &pub);
    assert_int_equal(a->n_decisions, 2);
    assert_int_equal(a->decisions[0].stance, KW_STANCE_ENTERING);
    assert_int_equal(a->decisions[0].is_restated, 0);
    kw_time_iso(a->decisions[0].event_date.t,
                a->decisions[0].event_date.offset_min, iso);
    assert_memory_equal(iso, "2026-01-18", 10);
    assert_int_equal(a->decisions[1].stance, KW_STANCE_ELIMINATED);
    assert_int_equal(a->decisions[1].is_restated, 1);
    assert_int_equal(a->decisions[1].has_event_date, 1);
    kw_time_iso(a->decisions[1].event_date.t,
                a->decisions[1].event_date.offset_min, iso);
    assert_memory_equal(iso, "2026-01-15", 10);
    kw_analysis_free(a);
    /* A name coordinated with the head shares the relative clause; one
     * of them (한 곳만) is no one in particular. */
    a = analyze("신청서를 낸 KT와 엔씨AI 가운데 한 곳만 2차에 합류한다.", &pub);
    assert_int_equal(stance_of(a, "kt"), KW_STANCE_ENTERING);
    assert_int_equal(stance_of(a, "nc-ai"), KW_STANCE_ENTERING);
    kw_analysis_free(a);
}

/* ---- Event dates --------------------------------------------------------- */

typedef struct date_case {
    const char *text;
    const char *want; /* YYYY-MM-DD, or NULL for no date */
} date_case;

static void test_event_dates(void **state)
{
    /* Published 2026-01-20 10:00 KST. */
    static const date_case cases[] = {
        {"KT는 15일 불참하기로 했다.", "2026-01-15"},
        {"KT는 지난달 30일 불참하기로 했다.", "2025-12-30"},
        {"KT는 지난달 말 불참하기로 했다.", "2025-12-31"},
        {"KT는 지난해 8월 탈락했다.", "2025-08-01"},
        {"KT는 지난해 탈락했다.", "2025-01-01"},
        {"KT는 이날 불참하기로 했다.", "2026-01-20"},
        {"KT는 어제 불참하기로 했다.", "2026-01-19"},
        {"KT는 2025년 8월 4일 탈락했다.", "2025-08-04"},
        {"KT는 1월 15일 탈락했다.", "2026-01-15"},
        {"KT는 12월 30일 탈락했다.", "2025-12-30"},
        {"KT는 25일 불참하기로 했다.", "2025-12-25"},
        {"KT는 3일 만에 불참을 선언했다.", NULL},
        {"KT는 불참하기로 했다.", NULL},
        /* A date in a relative clause on the name is that clause's
         * (when it was eliminated), not the main predicate's. */
        {"지난달 15일 탈락한 엔씨AI가 한 달 가까운 내부 검토 끝에 "
         "재도전을 결정한 것이다.",
         NULL},
        {"15일 1차 평가에서 고배를 마신 KT가 재도전하기로 했다.", NULL},
        {"지난해 8월 선정된 KT는 올해 사업에 불참하기로 했다.", NULL},
        {"지난달 탈락한 KT가 재도전을 선언했다.", NULL},
        {"지난달 15일 탈락한 KT는 18일 재도전을 선언했다.", "2026-01-18"},
        /* ... but one before an adnominal verb on something else (the
         * evaluation the main predicate is about) dates the event. */
        {"엔씨AI는 지난달 15일 발표된 1차 단계평가에서 기준 점수에 못 "
         "미쳐 고배를 마셨다.",
         "2025-12-15"},
        {"KT는 15일 발표된 평가 결과에서 탈락했다.", "2026-01-15"},
        {"15일 발표된 평가 결과에서 KT는 탈락했다.", "2026-01-15"},
    };
    kw_date pub;
    size_t i;

    (void)state;
    assert_int_equal(kw_date_parse("2026-01-20T10:00:00+09:00", 25, &pub),
                     KW_OK);
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kw_analysis *a = analyze(cases[i].text, &pub);
        char iso[32];

        assert_int_equal(a->n_decisions, 1);
        if (!cases[i].want) {
            if (a->decisions[0].has_event_date)
                fail_msg("'%s': unexpected date", cases[i].text);
        } else {
            if (!a->decisions[0].has_event_date)
                fail_msg("'%s': no date", cases[i].text);
            kw_time_iso(a->decisions[0].event_date.t,
                        a->decisions[0].event_date.offset_min, iso);
            if (strncmp(iso, cases[i].want, 10) != 0 ||
                strcmp(iso + 10, "T00:00:00+09:00") != 0)
                fail_msg("'%s': got %s, want %s", cases[i].text, iso,
                         cases[i].want);
        }
        kw_analysis_free(a);
    }
    /* Without a published date only absolute dates count. */
    {
        kw_analysis *a = analyze("KT는 15일 불참하기로 했다.", NULL);

        assert_int_equal(a->decisions[0].has_event_date, 0);
        kw_analysis_free(a);
        a = analyze("KT는 2026년 1월 15일 불참하기로 했다.", NULL);
        assert_int_equal(a->decisions[0].has_event_date, 1);
        kw_analysis_free(a);
    }
}

/* ---- Fingerprints -------------------------------------------------------- */

static uint64_t fingerprint_of_page(const char *path)
{
    char *page = NULL, *text;
    size_t n = 0;
    kw_article *art = NULL;
    kw_analysis *a;
    uint64_t fp;
    kw_buf b;

    assert_int_equal(kw_read_file(path, KW_MAX_BODY, &page, &n), KW_OK);
    assert_int_equal(kw_extract(page, n, NULL, NULL, &art), KW_OK);
    kw_free(page);
    kw_buf_init(&b, KW_MAX_TEXT);
    kw_buf_adds(&b, art->title ? art->title : "");
    kw_buf_adds(&b, "\n\n");
    kw_buf_add(&b, art->text, art->text_n);
    text = kw_buf_steal(&b);
    assert_non_null(text);
    a = analyze(text, NULL);
    fp = a->fingerprint;
    kw_analysis_free(a);
    kw_free(text);
    kw_article_free(art);
    return fp;
}

static void test_fingerprints(void **state)
{
    static const char *const others[] = {
        DEMO "nuri/article-1001.html",
        DEMO "nuri/article-1002.html",
        DEMO "nuri/article-1003.html",
        DEMO "nuri/article-1005.html",
        DEMO "hanbit/article-A2026011518470001.html",
        DEMO "hanbit/article-A2026012007000001.html",
        DEMO "hanbit/article-A2026022010000001.html",
    };
    uint64_t a = fingerprint_of_page(DEMO "nuri/article-1004.html");
    uint64_t b =
        fingerprint_of_page(DEMO "hanbit/article-A2026021015200001.html");
    size_t i;
    int d = kw_fingerprint_distance(a, b);

    (void)state;
    print_message("demo pair distance %d\n", d);
    assert_true(d <= KW_FINGERPRINT_NEAR);
    for (i = 0; i < sizeof(others) / sizeof(*others); i++) {
        uint64_t o = fingerprint_of_page(others[i]);
        int da = kw_fingerprint_distance(a, o);
        int db = kw_fingerprint_distance(b, o);

        print_message("%s: %d %d\n", others[i], da, db);
        if (da <= KW_FINGERPRINT_NEAR || db <= KW_FINGERPRINT_NEAR)
            fail_msg("%s is near the pair (%d, %d)", others[i], da, db);
    }
    assert_int_equal(kw_fingerprint_distance(0, ~(uint64_t)0), 64);
    assert_int_equal(kw_fingerprint_distance(a, a), 0);
}

static void test_fingerprint_rewrite(void **state)
{
    const char *orig =
        "과학기술정보통신부는 15일 독자 AI 파운데이션 모델 1차 평가 결과 "
        "LG AI연구원, SK텔레콤, 업스테이지가 2차 단계에 진출했다고 "
        "밝혔다. 네이버클라우드는 독자성 기준을 충족하지 못해 탈락했고 "
        "엔씨AI는 종합 점수에서 밀렸다. 과기정통부는 상반기 중 추가 "
        "공모를 진행해 한 팀을 더 뽑기로 했다. 2차 평가는 6월로 예정돼 "
        "있으며 결과는 허깅페이스에 공개된다.";
    const char *rewrite =
        "[속보] 과학기술정보통신부는 15일 독자 AI 파운데이션 모델 1차 평가 "
        "결과 LG AI연구원, SK텔레콤, 업스테이지가 2차 단계에 진출했다고 "
        "밝혔다. 네이버클라우드는 독자성 기준을 충족하지 못해 탈락했으며 "
        "엔씨AI는 종합 점수에서 밀렸다. 과기정통부는 상반기 중 추가 "
        "공모를 진행해 한 팀을 더 뽑기로 했다. 2차 평가는 6월로 예정돼 "
        "있으며 결과는 허깅페이스에 공개된다. (끝)";
    const char *other =
        "카카오는 최근 카나나 모델의 새 버전을 공개했다. 카카오는 추가 "
        "공모에 참여하지 않기로 했다. 회사는 오픈소스 모델 공개에 "
        "집중하겠다고 밝혔다. 업계는 카카오의 결정이 추가 공모 흥행에 "
        "영향을 줄 것으로 보고 있다.";
    kw_analysis *a = analyze(orig, NULL), *b = analyze(rewrite, NULL);
    kw_analysis *c = analyze(other, NULL);

    (void)state;
    assert_true(kw_fingerprint_distance(a->fingerprint, b->fingerprint) <=
                KW_FINGERPRINT_NEAR);
    assert_true(kw_fingerprint_distance(a->fingerprint, c->fingerprint) >
                KW_FINGERPRINT_NEAR);
    kw_analysis_free(a);
    kw_analysis_free(b);
    kw_analysis_free(c);
}

/* ---- Labelled sets ------------------------------------------------------- */

typedef struct set_score {
    long items, correct, false_entering_rumour, ent_fp, ent_fn;
} set_score;

static int is_rumour(const char *text, const char *rule)
{
    static const char *const marks[] = {"관측", "가능성", "전망", "예상",
                                        "사실무근", "사실이 아니", "일축",
                                        "바 없", "설이", "설에"};
    size_t i;

    if (rule && (strstr(rule, "hedge") || strstr(rule, "denial")))
        return 1;
    for (i = 0; i < sizeof(marks) / sizeof(*marks); i++)
        if (strstr(text, marks[i]))
            return 1;
    return 0;
}

static void score_set(const char *path, set_score *sc)
{
    FILE *f = fopen(path, "r");
    char line[8192];

    assert_non_null(f);
    memset(sc, 0, sizeof(*sc));
    while (fgets(line, sizeof(line), f)) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je), *labels, *val;
        const char *text, *key;
        kw_analysis *a;
        size_t i;

        if (!o)
            continue;
        text = json_string_value(json_object_get(o, "text"));
        labels = json_object_get(o, "labels");
        assert_non_null(text);
        a = analyze(text, NULL);
        json_object_foreach(labels, key, val)
        {
            kw_stance gold, got = stance_of(a, key);

            assert_int_equal(kw_stance_parse(json_string_value(val), &gold),
                             KW_OK);
            sc->items++;
            sc->correct += gold == got;
            if (got == KW_STANCE_ENTERING && gold != got &&
                is_rumour(text, json_string_value(json_object_get(o, "rule"))))
                sc->false_entering_rumour++;
            if (!mention_of(a, key))
                sc->ent_fn++;
        }
        for (i = 0; i < a->n_mentions; i++)
            if (!json_object_get(labels, a->mentions[i].entity_id))
                sc->ent_fp++;
        kw_analysis_free(a);
        json_decref(o);
    }
    fclose(f);
}

static void test_labelled_sets(void **state)
{
    static const char *const sets[] = {
        KW_SHARED_DIR "/decisions/sentences.jsonl",
        KW_SOURCE_DIR "/tests/fixtures/analysis/sentences.jsonl",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(sets) / sizeof(*sets); i++) {
        set_score sc;
        FILE *f = fopen(sets[i], "r");

        if (!f && i == 0) {
            print_message("skipping %s (absent)\n", sets[i]);
            continue;
        }
        if (f)
            fclose(f);
        score_set(sets[i], &sc);
        print_message("%s: %ld/%ld, false entering on rumours %ld, entity "
                      "fp %ld fn %ld\n",
                      sets[i], sc.correct, sc.items, sc.false_entering_rumour,
                      sc.ent_fp, sc.ent_fn);
        assert_true(sc.items >= 50);
        assert_true((double)sc.correct >= 0.9 * (double)sc.items);
        assert_int_equal(sc.false_entering_rumour, 0);
    }
}

/* ---- Allocation failure -------------------------------------------------- */

static void test_alloc_failure(void **state)
{
    const char *text = "카카오와 KT는 통과했고 네이버는 탈락했다.\n\n"
                       "엔씨AI는 15일 재도전하겠다고 밝혔다.";
    kw_date pub;
    long n;

    (void)state;
    assert_int_equal(kw_date_parse("2026-01-20", 10, &pub), KW_OK);
    for (n = 1; n < 400; n++) {
        kw_analysis *a = (kw_analysis *)1;
        kw_err rc;

        kw_alloc_fail_at(n);
        rc = kw_analyze(G, R, text, strlen(text), &pub, &a);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            assert_non_null(a);
            kw_analysis_free(a);
            break;
        }
        assert_int_equal(rc, KW_ENOMEM);
        assert_null(a);
    }
    assert_true(n < 400);
    for (n = 1; n < 2000; n++) {
        char *buf = NULL, err[128];
        size_t len = 0;
        kw_gazetteer *g = (kw_gazetteer *)1;
        kw_err rc;

        assert_int_equal(kw_read_file(ENTITIES, KW_MAX_BODY, &buf, &len),
                         KW_OK);
        kw_alloc_fail_at(n);
        rc = kw_gazetteer_parse(buf, len, err, sizeof(err), &g);
        kw_alloc_fail_at(0);
        kw_free(buf);
        if (rc == KW_OK) {
            kw_gazetteer_free(g);
            break;
        }
        assert_int_equal(rc, KW_ENOMEM);
        assert_null(g);
    }
    assert_true(n < 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gazetteer_default),
        cmocka_unit_test(test_gazetteer_errors),
        cmocka_unit_test(test_rules_errors),
        cmocka_unit_test(test_stance_names),
        cmocka_unit_test(test_rule_syntax),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_mention_counts_offsets),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_stances),
        cmocka_unit_test(test_clauses_and_lists),
        cmocka_unit_test(test_hypotheticals),
        cmocka_unit_test(test_wishes_and_english),
        cmocka_unit_test(test_restated),
        cmocka_unit_test(test_event_dates),
        cmocka_unit_test(test_fingerprints),
        cmocka_unit_test(test_fingerprint_rewrite),
        cmocka_unit_test(test_labelled_sets),
        cmocka_unit_test(test_alloc_failure),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
