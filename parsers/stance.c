/*
 * Participation stances from rules (config/stances.yaml).
 *
 * A sentence (normalised) is split into clauses at connective endings
 * (…했고, …했으나, …지만, …한 반면, a comma after a predicate), at a
 * headline's ellipsis (A 탈락…B 진출), and after an adnominal verb
 * followed by a noun like 가운데, 뒤, 상황에서 (A가 빠진 가운데 B만
 * 신청했다: A is that subordinate clause's subject, not the main one's).
 * In each clause the cue patterns are found left to right;
 * a negation just after a cue flips it (참여하지 않기로 -> declined,
 * 통과하지 못했다 -> eliminated), a negated decision leaves it open
 * (참여를 확정하지 않았다 -> considering), a purpose ending cancels it (탈락하지
 * 않기 위해), a hedge or rumour marker later in the clause cancels it
 * (…할 가능성, …라는 관측, …할 전망), an intention to pass is no result
 * (통과하겠다), a denial is a decline that outweighs the rumour it
 * denies, a reversal (철회, 번복) turns the stance before it around.
 * Korean is head-final, so the last cue of a clause is its stance.
 *
 * A cue whose word is an adnominal verb followed by a noun sits in a
 * relative clause (탈락한 엔씨AI는, 카카오가 빠진 공모에는): it describes
 * the name it modifies, which keeps it unless the main clause says
 * something of that name, or it belongs to the clause's own subjects
 * (marked 이/가 before it), who are then not the main clause's.  A clause
 * without a cue that says "the same" (뒤를 이었다) repeats the one before.
 * A main clause's stance outranks a relative clause's wherever each
 * stands in the sentence; a stance only a relative clause gives is
 * flagged as restated (an old fact, dated only by a date of its own).
 * A relative clause on another noun (컨소시엄에 참여한 기업들도) speaks
 * only of its own clause's names; a noun phrase owned by a name
 * (네이버의 불참 선언) gives its stance to that name alone.
 *
 * Hypotheticals give nothing: a question (…낼까?), a condition before
 * the cue (떨어진다면 … 밀려나게 된다), a result in the prospective form
 * (탈락할, 마실 수밖에), "one of them" (둘 중 한 곳만), another
 * programme (an award).  Reticence (말을 아꼈다) needs a participation
 * topic in its clause.
 *
 * Someone else's hope or request (…참여하기를 기대한다, 재도전해 줄 것을
 * 요청했다, 신청하도록 권유했다) is a hedge or a purpose: the act has
 * not happened.  A team in the locative (KT 컨소시엄에 참여한 기업들) is
 * what others join, never who acts.  When cues overlap, the one that
 * reaches further wins (공모에 지원서를 내지 않기로: 지원서를 내~).  A
 * denial goes to the clause's topic when it has one, not to the names
 * of the rumour it denies.
 *
 * A reversal that is itself negated (불참 결정을 번복할 뜻이 없다,
 * 철회하지 않겠다) leaves the stance before it standing.  A denial is a
 * decline only when what it denies is taking part: denying a rumour of
 * quitting or of a result (포기설은 사실무근) says nothing.  A decision
 * still to come (최종 결정을 내릴 것으로 보인다) is considering whatever
 * hedge follows (cues listed under pending).  A cleft (재도전에 나선
 * 곳은 KT뿐이다) gives a relative clause's stance to the names its
 * copula predicates; "A는 B가 X한 것과 달리 Y" gives X to B and Y to A
 * (embedded_breaks); a topic naming the company again (회사 측은)
 * continues the subject of the clause before, also when that subject
 * was a rumour's (A가 나선다는 보도가 나왔지만 회사 측은 '검토 중').
 * Generic verbs (주판알을 튕기다, 결정을 미뤘다, plans to apply) count
 * only in a sentence that names the programme (needs_programme,
 * programme_words).
 *
 * English text has no particles: its names are bare and all the names of
 * a clause are its subjects; a comma ends an English clause once it
 * holds a cue (While A advanced, B was eliminated; A, which missed the
 * cut, will apply), as do ', and', 'while', 'but'.  Its hedges and
 * 'whether' stand before the verb (hedges_before, whether_before).  It
 * is subject-verb-object: when a name stands before the verb, the names
 * after it are objects (Kakao lost out to Upstage), unless a comitative
 * joins them to the subject (along with).
 *
 * A clause of no names of its own whose cue follows a backdrop word
 * ("KT applied on Monday, a month after it failed to make the cut") only
 * restates the past of the subject before it.  A clause naming another
 * programme (an award, a supplier's contract, another ministry's
 * project) gives no stance unless it names this one too; reticence about
 * the call's results (공모 결과에 대해서는 말을 아꼈다) is no answer about
 * taking part (not_topics).  A hedge before a number ("on May 28") is a
 * month, not a modal.
 *
 * Patterns may hold '*' (a gap of 40 bytes), '**' (a gap to the end of
 * the clause), '{a,b}' (alternatives), a final '~' (a
 * verb stem in any inflection: 제외되~ matches 제외된, 제외됐) and '|'
 * (what follows must come next but is not part of the cue; "|$": only
 * punctuation follows to the clause's end, a headline's last noun).
 *
 * The stance goes to the clause's subjects: names marked with a subject
 * or topic particle (은/는/이/가/도, 측은, 컨소시엄은), names coordinated
 * with them (와/과, ▲ lists, commas).  When the subject is a ministry or
 * agency (과기정통부는 …을 선정했다), the companies in the clause get the
 * stance and the ministry none.  A clause without a subject of its own
 * continues the previous clause's, also past a topic that names the
 * entity again (회사는).  An entity's stance in the sentence is
 * that of the last clause that gave it one.
 */
#include <stddef.h>
#include <string.h>

#include "analysis_int.h"

#define MAX_GAP 40 /* bytes a '*' in a pattern may skip */

/* CUE_PENDING: a decision still to come (결정을 내릴 것이다), which
 * says there is none yet whether or not the reporter hedges it. */
typedef enum cue_kind {
    CUE_PLAIN = 0,
    CUE_DENIAL,
    CUE_REVERSAL,
    CUE_PENDING
} cue_kind;

typedef struct pat {
    char *piece[4]; /* normalised pieces separated by '*' in the source */
    size_t plen[4];
    unsigned char wide[4]; /* "**" before this piece: a gap to the clause end */
    int n;
    uint32_t stem;    /* a final '~': this syllable in any inflection */
    char *ctx;        /* after '|': must follow the match, not part of it */
    size_t ctx_len;
    int at_end;       /* "|$": only punctuation may follow, to the clause end */
    kw_stance stance; /* cues: the stance; reversals: the default */
    cue_kind kind;
} pat;

typedef struct pat_list {
    pat *v;
    size_t n, cap;
} pat_list;

struct kw_rules {
    kw_arena *arena;
    pat_list cues;      /* stance cues, denials and reversals */
    pat_list negations; /* after a cue: flip */
    pat_list hedges;    /* later in the clause: cancel */
    pat_list purposes;  /* just after a cue: cancel */
    pat_list unrealised; /* after a result cue: an intention, cancel */
    pat_list whether;   /* after a decision cue: still open */
    pat_list undecided; /* a decision cue itself negated: still open */
    pat_list breaks;    /* clause ends after these */
    pat_list blockers;  /* ...unless followed by these */
    pat_list adnominal; /* after an adnominal verb, a clause ends */
    pat_list comma_after; /* a ',' after these syllables ends a clause */
    pat_list subj, obj, coord, other; /* particles by role */
    pat_list suffixes;  /* 측, 컨소시엄: between a name and its particle */
    pat_list topic_skip; /* syllables before 은/는 that make a verb form */
    pat_list failures;  /* a few words after a cue: it failed (무산) */
    pat_list bound;     /* bound nouns: 탈락한 것, 선정된 바 */
    pat_list anaphora;  /* topics that name the entity again (회사는) */
    pat_list nominative; /* subject particles of a relative clause */
    int failure_words;  /* words after the cue searched for failures */
    pat_list same;      /* a clause saying "the same" (마찬가지) */
    pat_list indefinite; /* "one of them" (한 곳만): no one's stance */
    pat_list programmes; /* another programme (an award): no result */
    pat_list conditionals; /* before a cue in its clause: hypothetical */
    pat_list hedges_before; /* before a cue (English): cancel */
    pat_list whether_before; /* before a decision cue (English): open */
    pat_list team_suffixes; /* "KT 컨소시엄에": what is joined, not who */
    pat_list needs_topic; /* cues that need a topic word in the clause */
    pat_list topics;    /* ... these (참여, 재도전, 공모) */
    pat_list not_cues;  /* hide the cues they cover (수정 사업계획서) */
    pat_list nouns;     /* words ending in ㄴ that are nouns (대신) */
    pat_list copulas;   /* after a name: a predicate (KT뿐이다, KT다) */
    pat_list embedded;  /* clause ends that embed their subject (것과 달리) */
    pat_list comitative; /* English: "along with" before a later name */
    pat_list cond_after; /* right after a cue: a condition (나서면) */
    pat_list needs_prog; /* generic cues: need a programme word */
    pat_list neg_before; /* English: a negation just before the cue */
    pat_list prog_words; /* ... these, anywhere in the sentence */
    pat_list prog_names; /* name this programme: never another one */
    pat_list not_topics; /* hide the topic words they cover (공모 결과) */
    pat_list backdrop;  /* English: before a cue, a past backdrop (after) */
    pat_list speech;    /* English: a verb of speech after a quote (said) */
    pat_list carried;   /* a rumour of all the -고 clauses before it */
    kw_stance neg_flip[6];
    kw_stance rev_flip[6];
    int negation_words; /* words after the cue searched for negation */
};

/* The lists of patterns a rules file holds as plain lists under their
 * own key: read, checked and freed from this table, in this order. */
static const struct {
    const char *key;
    size_t off; /* of its pat_list in struct kw_rules */
} plain_lists[] = {
#define PLAIN(key, field) {key, offsetof(struct kw_rules, field)}
    PLAIN("negations", negations),
    PLAIN("hedges", hedges),
    PLAIN("purposes", purposes),
    PLAIN("whether", whether),
    PLAIN("undecided", undecided),
    PLAIN("adnominal_breaks", adnominal),
    PLAIN("unrealised", unrealised),
    PLAIN("clause_breaks", breaks),
    PLAIN("clause_break_blockers", blockers),
    PLAIN("comma_after", comma_after),
    PLAIN("name_suffixes", suffixes),
    PLAIN("topic_skip", topic_skip),
    PLAIN("failures", failures),
    PLAIN("bound_nouns", bound),
    PLAIN("anaphora", anaphora),
    PLAIN("not_cues", not_cues),
    PLAIN("same_as_before", same),
    PLAIN("indefinite", indefinite),
    PLAIN("other_programmes", programmes),
    PLAIN("conditionals", conditionals),
    PLAIN("hedges_before", hedges_before),
    PLAIN("whether_before", whether_before),
    PLAIN("team_suffixes", team_suffixes),
    PLAIN("needs_topic", needs_topic),
    PLAIN("topics", topics),
    PLAIN("nouns", nouns),
    PLAIN("copulas", copulas),
    PLAIN("negations_before", neg_before),
    PLAIN("needs_programme", needs_prog),
    PLAIN("programme_words", prog_words),
    PLAIN("conditions_after", cond_after),
    PLAIN("comitative", comitative),
    PLAIN("embedded_breaks", embedded),
    PLAIN("programme_names", prog_names),
    PLAIN("not_topics", not_topics),
    PLAIN("backdrop_before", backdrop),
    PLAIN("carried_hedges", carried),
    PLAIN("speech_after", speech),
#undef PLAIN
};

static pat_list *plain_list(kw_rules *r, size_t i)
{
    return (pat_list *)(void *)((char *)r + plain_lists[i].off);
}

static const char *const stance_names[] = {
    "none", "selected", "eliminated", "declined", "considering", "entering",
};

const char *kw_stance_name(kw_stance s)
{
    if ((int)s < 0 || (size_t)s >= sizeof(stance_names) / sizeof(*stance_names))
        return "none";
    return stance_names[s];
}

kw_err kw_stance_parse(const char *s, kw_stance *out)
{
    size_t i;

    *out = KW_STANCE_NONE;
    if (!s)
        return KW_EINVAL;
    for (i = 0; i < sizeof(stance_names) / sizeof(*stance_names); i++) {
        if (strcmp(s, stance_names[i]) == 0) {
            *out = (kw_stance)i;
            return KW_OK;
        }
    }
    return KW_EINVAL;
}

void kw_rules_free(kw_rules *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < sizeof(plain_lists) / sizeof(*plain_lists); i++)
        kw_free(plain_list(r, i)->v);
    kw_free(r->cues.v);
    kw_free(r->subj.v);
    kw_free(r->obj.v);
    kw_free(r->coord.v);
    kw_free(r->other.v);
    kw_free(r->nominative.v);
    kw_arena_free(r->arena);
    kw_free(r);
}

/* ---- Pattern matching ---------------------------------------------------- */

/* Does syllable @c inflect the verb-stem syllable @stem?  An open stem
 * takes the same initial consonant, the same vowel or its contraction
 * with the ending -아/-어 (하 -> 해, 되 -> 돼, 지 -> 져, 주 -> 줘, 보 ->
 * 봐, 쓰 -> 써) and any final consonant (한, 할, 했, 된, 될, 됐, 낸, 냈).
 * A closed stem keeps its syllable (접 -> 접은, 접었), except that a final
 * ㄹ becomes ㄴ (들 -> 든). */
static int inflects(uint32_t c, uint32_t stem)
{
    /* Vowel index -> its contraction (or itself). */
    static const unsigned char contract[21] = {
        1, 1, 2, 3, 4, 5, 6, 7, 9, 9, 10, 10, 12, 14, 14, 15, 16, 17, 4,
        19, 6};
    uint32_t ci, si, cv, sv;

    if (c < 0xAC00 || c > 0xD7A3 || stem < 0xAC00 || stem > 0xD7A3)
        return 0;
    ci = (c - 0xAC00) / 588;
    si = (stem - 0xAC00) / 588;
    cv = (c - 0xAC00) % 588 / 28;
    sv = (stem - 0xAC00) % 588 / 28;
    if ((stem - 0xAC00) % 28 == 8 /* ㄹ */)
        return c == stem || c == stem - 4 /* ㄴ */;
    if ((stem - 0xAC00) % 28)
        return c == stem;
    return ci == si && (cv == sv || cv == contract[sv]);
}

/* Matches piece @k of @p at exactly t[pos..hi); returns the end or 0. */
static size_t piece_at(const pat *p, int k, const char *t, size_t pos,
                       size_t hi)
{
    size_t at = pos + p->plen[k], len;

    if (at > hi || memcmp(t + pos, p->piece[k], p->plen[k]))
        return 0;
    if (k + 1 < p->n || !p->stem)
        return at;
    if (at >= hi || !inflects(kw__an_cp(t + at, hi - at, &len), p->stem))
        return 0;
    return at + len;
}

/* Matches @p at t[pos..hi); returns the end or 0. */
static size_t pat_at(const pat *p, const char *t, size_t pos, size_t hi)
{
    size_t at, j;
    int k;

    at = piece_at(p, 0, t, pos, hi);
    if (!at)
        return 0;
    for (k = 1; k < p->n; k++) {
        size_t found = 0;

        for (j = at; (p->wide[k] || j <= at + MAX_GAP) && j < hi; j++) {
            found = piece_at(p, k, t, j, hi);
            if (found)
                break;
        }
        if (!found)
            return 0;
        at = found;
    }
    if (p->ctx_len &&
        (at + p->ctx_len > hi || memcmp(t + at, p->ctx, p->ctx_len)))
        return 0;
    if (p->at_end) {
        /* A headline's last word: spaces, stops, commas and quotes may
         * follow (’ ” are E2 80 99 / E2 80 9D). */
        for (j = at; j < hi; j++) {
            unsigned char c = (unsigned char)t[j];

            if (c == ' ' || c == '.' || c == ',' || c == '!' ||
                c == '\'' || c == '"')
                continue;
            if (c == 0xE2 && j + 2 < hi && (unsigned char)t[j + 1] == 0x80 &&
                ((unsigned char)t[j + 2] == 0x99 ||
                 (unsigned char)t[j + 2] == 0x9D)) {
                j += 2;
                continue;
            }
            return 0;
        }
    }
    return at;
}

/* Longest pattern of @l matching at t[pos..hi); its index in *which. */
static size_t longest_at(const pat_list *l, const char *t, size_t pos,
                         size_t hi, size_t *which)
{
    size_t k, best = 0;

    for (k = 0; k < l->n; k++) {
        size_t e = pat_at(&l->v[k], t, pos, hi);

        if (e > best) {
            best = e;
            if (which)
                *which = k;
        }
    }
    return best;
}

/* True if any pattern of @l occurs in t[lo..hi). */
static int occurs(const pat_list *l, const char *t, size_t lo, size_t hi)
{
    size_t i;

    for (i = lo; i < hi; i++)
        if (longest_at(l, t, i, hi, NULL))
            return 1;
    return 0;
}

/* True if a pattern of @l that starts in t[lo..end) ends exactly at
 * @end. */
static int ends_at(const pat_list *l, const char *t, size_t lo, size_t end)
{
    size_t p;

    for (p = lo; p < end; p++)
        if (longest_at(l, t, p, end, NULL) == end)
            return 1;
    return 0;
}

static size_t next_cp(const char *t, size_t pos, size_t hi)
{
    size_t len;

    kw__an_cp(t + pos, hi - pos, &len);
    return pos + (len ? len : 1);
}

/* ---- Clauses ------------------------------------------------------------- */

typedef struct span {
    size_t s, e;
} span;

/* True if the word that ends at t[pos) (pos > lo) is an adnominal verb
 * form: its last syllable is closed by ㄴ (빠진, 탈락한, 뺀, 밝힌).  Before
 * the nouns of adnominal_breaks (가운데, 뒤, 상황에서) even a one-syllable
 * word is a verb (발을 뺀 상황에서, 신청을 한 뒤). */
static int adnominal_before(const char *t, size_t lo, size_t pos)
{
    size_t len;
    uint32_t c;

    if (pos <= lo)
        return 0;
    c = kw__an_cp_before(t + lo, pos - lo, &len);
    return c >= 0xAC00 && c <= 0xD7A3 && (c - 0xAC00) % 28 == 4 /* ㄴ */;
}

/* If t[pos..hi) starts with an adnominal break noun after an adnominal
 * verb ("빠진 가운데", "탈락한 뒤"), the end of the noun, else 0.  The
 * noun must be a whole word (followed by a space, a comma or the end). */
static size_t adnominal_break(const kw_rules *r, const char *t, size_t lo,
                              size_t pos, size_t hi)
{
    size_t e;

    if (pos <= lo || t[pos - 1] != ' ' || !adnominal_before(t, lo, pos - 1))
        return 0;
    e = longest_at(&r->adnominal, t, pos, hi, NULL);
    if (!e || (e < hi && t[e] != ' ' && t[e] != ','))
        return 0;
    return e < hi && t[e] == ',' ? e + 1 : e;
}

/* True if t[lo..hi) holds a Hangul syllable. */
static int has_hangul(const char *t, size_t lo, size_t hi)
{
    size_t len;

    while (lo < hi) {
        uint32_t c = kw__an_cp(t + lo, hi - lo, &len);

        if (kw__an_is_hangul(c))
            return 1;
        lo += len ? len : 1;
    }
    return 0;
}

/* Splits t[lo..hi) into at most @max clauses.  Besides the breaks of
 * the rules, a ▲ list whose items carry their own predicate ("▲A는
 * '불참' ▲B는 '검토 중'으로 엇갈렸다") is split before each item that
 * follows an item holding a cue. */
static size_t split_clauses(const kw_rules *r, const char *t, size_t lo,
                            size_t hi, span *out, size_t max)
{
    static const char tri[] = "\xE2\x96\xB2"; /* ▲ */
    size_t n = 0, start = lo, pos = lo, item = hi;

    while (pos < hi && n + 1 < max) {
        size_t e;

        if (pos + 3 <= hi && memcmp(t + pos, tri, 3) == 0) {
            if (item < pos && item >= start && pos > start &&
                occurs(&r->cues, t, item, pos)) {
                out[n].s = start;
                out[n].e = pos;
                n++;
                start = pos;
            }
            item = pos;
        }
        e = longest_at(&r->breaks, t, pos, hi, NULL);

        if (!e)
            e = adnominal_break(r, t, lo, pos, hi);

        /* English has no connective endings: a comma after a Latin word
         * ends a clause of Latin text that already holds a cue ("While
         * A advanced, B was eliminated"; "A, which was dropped last
         * year, will apply").  A list of names before it does not. */
        if (!e && t[pos] == ',' && pos > start &&
            ((unsigned char)t[pos - 1] < 0x80 &&
             (t[pos - 1] | 0x20) >= 'a' && (t[pos - 1] | 0x20) <= 'z') &&
            !has_hangul(t, start, pos) &&
            occurs(&r->cues, t, start, pos + 1))
            e = pos + 1;
        /* A comma after a closing quote ends a clause that holds a
         * cue: "A '미소', B '눈물'", "A는 '불참', B는 '검토 중'". */
        if (!e && t[pos] == ',' && pos > start &&
            (t[pos - 1] == '\'' || t[pos - 1] == '"' ||
             (pos >= start + 3 &&
              memcmp(t + pos - 3, "\xE2\x80\x99", 3) == 0)) &&
            occurs(&r->cues, t, start, pos))
            e = pos + 1;
        /* A comma right after a cue in Korean text ends its clause: a
         * headline's verbless clauses ("A·B 통과, C 탈락", "엔씨AI 접수,
         * KT는 불참") each have their own noun predicate. */
        if (!e && t[pos] == ',' && pos > start && has_hangul(t, start, pos)) {
            size_t q = pos > start + 48 ? pos - 48 : start;

            if (ends_at(&r->cues, t, q, pos))
                e = pos + 1;
        }
        if (!e && t[pos] == ',' && pos > lo) {
            size_t len, ps;

            kw__an_cp_before(t + lo, pos - lo, &len);
            ps = pos - len;
            if (len && longest_at(&r->comma_after, t, ps, pos, NULL) == pos)
                e = pos + 1;
        }
        if (e) {
            size_t after = e;

            while (after < hi && t[after] == ' ')
                after++;
            if (after < hi && !longest_at(&r->blockers, t, after, hi, NULL)) {
                out[n].s = start;
                out[n].e = e;
                n++;
                start = after;
            }
            pos = e > pos ? e : next_cp(t, pos, hi);
            continue;
        }
        pos = next_cp(t, pos, hi);
    }
    out[n].s = start;
    out[n].e = hi;
    return n + 1;
}

/* ---- Roles --------------------------------------------------------------- */

static int is_list_mark(const char *t, size_t pos, size_t hi)
{
    static const char *const marks[] = {"▲", "■", "●", "◆", "·", "ㆍ", ",",
                                        "/", "및 ", "、", "and "};
    size_t i;

    for (i = 0; i < sizeof(marks) / sizeof(*marks); i++) {
        size_t l = strlen(marks[i]);

        if (pos + l <= hi && memcmp(t + pos, marks[i], l) == 0)
            return 1;
    }
    return 0;
}

/* The role of the mention that ends at t[end) from what follows it;
 * *pend gets the end of what was read (suffixes and particle). */
static kw__an_role role_after(const kw_rules *r, const char *t, size_t end,
                              size_t hi, int *is_nom, int *is_place,
                              size_t *pend)
{
    size_t pos = end, k, e;
    int spaced = 0, team = 0;

    *is_nom = 0;
    *is_place = 0;
    *pend = end;
    /* A parenthesised gloss: 엔씨에이아이(NC AI)는. */
    if (pos < hi && t[pos] == '(') {
        size_t j = pos;

        while (j < hi && t[j] != ')')
            j++;
        if (j < hi)
            pos = j + 1;
    }
    while (pos < hi && (t[pos] == ')' || t[pos] == '"' || t[pos] == '\''))
        pos++;
    if (pos < hi && t[pos] == ' ') {
        spaced = 1;
        pos++;
    }
    if (pos >= hi)
        return KW__AN_ROLE_BARE;
    if (is_list_mark(t, pos, hi))
        return KW__AN_ROLE_COORD;
    /* 측은, 컨소시엄은, "KT 측은", "KT 컨소시엄 두 곳이". */
    e = longest_at(&r->suffixes, t, pos, hi, NULL);
    while (e) {
        team = longest_at(&r->team_suffixes, t, pos, hi, NULL) == e;
        pos = e;
        *pend = pos;
        spaced = 0;
        if (pos < hi && t[pos] == ' ') {
            pos++;
            e = longest_at(&r->suffixes, t, pos, hi, NULL);
            if (!e)
                return KW__AN_ROLE_BARE;
        } else {
            e = 0;
        }
    }
    if (spaced)
        return KW__AN_ROLE_BARE;
    if (pos >= hi)
        return KW__AN_ROLE_BARE;
    {
        size_t len;
        uint32_t c = kw__an_cp(t + pos, hi - pos, &len);

        if (!kw__an_is_hangul(c)) {
            if (c == ',')
                *pend = pos + 1;
            return c == ',' ? KW__AN_ROLE_COORD : KW__AN_ROLE_BARE;
        }
    }
    /* The longest particle decides; 과의 is "other", 과 coordinates. */
    {
        size_t best = 0;
        kw__an_role role = KW__AN_ROLE_OTHER;

        e = longest_at(&r->subj, t, pos, hi, &k);
        if (e > best) {
            best = e;
            role = KW__AN_ROLE_SUBJ;
            *is_nom = longest_at(&r->nominative, t, pos, hi, NULL) == e;
        }
        e = longest_at(&r->obj, t, pos, hi, &k);
        if (e > best) {
            best = e;
            role = KW__AN_ROLE_OBJ;
            *is_nom = 0;
        }
        e = longest_at(&r->coord, t, pos, hi, &k);
        if (e > best) {
            best = e;
            role = KW__AN_ROLE_COORD;
            *is_nom = 0;
        }
        e = longest_at(&r->other, t, pos, hi, &k);
        if (e > best) {
            best = e;
            role = KW__AN_ROLE_OTHER;
            *is_nom = 0;
        }
        if (best)
            *pend = best;
        /* "KT 컨소시엄에 참여한 기업들": a team in the locative is what
         * others join, not who acts. */
        if (team && role == KW__AN_ROLE_OBJ &&
            pos + 3 <= hi && memcmp(t + pos, "\xEC\x97\x90", 3) == 0) {
            *is_place = 1;
            role = KW__AN_ROLE_OTHER;
        }
        return role;
    }
}

static int adnominal_word(const kw_rules *r, const char *t, size_t ws,
                          size_t we);

/* Index of the clause of @cl[0..n_cl) holding @pos. */
static size_t clause_of(const span *cl, size_t n_cl, size_t pos)
{
    size_t c;

    for (c = 0; c + 1 < n_cl; c++)
        if (pos < cl[c].e)
            break;
    return c;
}

/* Is the word that ends just before @next (a name) an adnominal verb
 * with at most @max_words words between @from and it: the name is
 * modified by a relative clause that starts after @from ("네이버와 종합
 * 점수에서 밀린 NC AI는")? */
static int modified_name(const kw_rules *r, const char *t, size_t from,
                         size_t next, int max_words)
{
    size_t we = next, ws;
    int words = 0;

    while (we > from && t[we - 1] == ' ')
        we--;
    if (we == next || we <= from)
        return 0;
    ws = we;
    while (ws > from && t[ws - 1] != ' ')
        ws--;
    for (; from < ws; from++)
        if (t[from] == ' ')
            words++;
    return words <= max_words && adnominal_word(r, t, ws, we);
}

/* Does the name that ends at t[end) end in a Latin letter or digit? */
static int latin_end(const char *t, size_t end)
{
    unsigned char c = end ? (unsigned char)t[end - 1] : 0;

    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Resolves roles: a coordinated name takes the role of the next name when
 * at most one space (and list marks) lie between them ("A와 B는", "▲A
 * ▲B가", "A, B를"), or when the next name of the same clause is modified
 * by a relative clause ("A와 종합 점수에서 밀린 B는").  A comitative
 * name before such a relative clause belongs to it ("KT와 함께 후보로
 * 거론된 카카오는": KT is not the main clause's subject). */
/* Does the name at @start open its clause (only spaces and quotes
 * before it)? */
static int clause_opener(const char *t, const span *cl, size_t n_cl,
                         size_t start)
{
    size_t c = clause_of(cl, n_cl, start), k;

    if (c >= n_cl)
        return 0;
    for (k = cl[c].s; k < start; k++)
        if (t[k] != ' ' && t[k] != '\'' && t[k] != '"')
            return 0;
    return 1;
}

static void resolve_roles(const kw_rules *r, const char *t, size_t hi,
                          kw__an_match *m, size_t n, const span *cl,
                          size_t n_cl)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        m[i].role = role_after(r, t, m[i].end, hi, &m[i].is_nom,
                               &m[i].is_place, &m[i].pend);
        m[i].coord = 0;
    }
    for (i = n; i-- > 0;) {
        size_t spaces = 0;
        int same = i + 1 < n && clause_of(cl, n_cl, m[i].start) ==
                                    clause_of(cl, n_cl, m[i + 1].start);

        if (m[i].role == KW__AN_ROLE_SUBJ && same && m[i].end < hi &&
            m[i + 1].start >= m[i].pend) {
            /* 와 함께 / 과 함께 (U+C640 와, U+ACFC 과) before a
             * relative clause on the next name. */
            size_t len;
            uint32_t c = kw__an_cp(t + m[i].end, hi - m[i].end, &len);

            if ((c == 0xC640 || c == 0xACFC) &&
                modified_name(r, t, m[i].pend, m[i + 1].start, 6)) {
                m[i].role = KW__AN_ROLE_OTHER;
                m[i].is_nom = 0;
            }
            continue;
        }
        if (m[i].role != KW__AN_ROLE_COORD)
            continue;
        if (i + 1 >= n || m[i + 1].start < m[i].end) {
            /* An English name before a comma ("Kakao and KT, which
             * …, have") is as bare as English names are; so is a name
             * that opens its clause before a comma, a headline's topic
             * ("…업스테이지, 2차 평가서 탈락"). */
            m[i].role = latin_end(t, m[i].end) ||
                                clause_opener(t, cl, n_cl, m[i].start)
                            ? KW__AN_ROLE_BARE
                            : KW__AN_ROLE_OTHER;
            continue;
        }
        for (k = m[i].pend; k < m[i + 1].start; k++)
            if (t[k] == ' ')
                spaces++;
        if (spaces <= 1 ||
            (same && modified_name(r, t, m[i].pend, m[i + 1].start, 6))) {
            m[i].role = m[i + 1].role;
            m[i].is_nom = m[i + 1].is_nom;
            m[i].coord = 1;
        } else {
            m[i].role = latin_end(t, m[i].end) ? KW__AN_ROLE_BARE
                                               : KW__AN_ROLE_OTHER;
            m[i].is_nom = 0;
        }
    }
}

/* ---- Cues ---------------------------------------------------------------- */

/* Where a cue stands. */
enum {
    REL_MAIN = 0, /* the clause's own predicate */
    REL_NAME,     /* a relative clause on a name (탈락한 KT는) */
    REL_SUBJ,     /* a relative clause whose subjects are marked 이/가
                     before it (카카오가 빠진 공모에는) */
    REL_NOUN,     /* a relative clause on another noun (컨소시엄에 참여한
                     기업들도): the clause's own names, not earlier ones */
    REL_GEN       /* a noun phrase owned by a name (네이버의 불참 선언) */
};

typedef struct cue_hit {
    size_t s, e;
    kw_stance stance;
    int rel;     /* REL_* */
    size_t head; /* REL_NAME, REL_GEN: the match the cue describes */
    size_t we;   /* end of the cue's predicate word */
    int wide;    /* the cue skips words ('**'): it may hold a topic */
} cue_hit;

/* Is the hedge that ends at t[e) a word before a number ("May 28",
 * "could 2")?  Then it names a month, not a modal. */
static int before_number(const char *t, size_t e, size_t hi)
{
    return e < hi && t[e - 1] == ' ' && t[e] >= '0' && t[e] <= '9';
}

/* True if a pattern of @l occurs in t[lo..hi) and ends after @e: a hedge
 * that the cue itself contains (가능성을 닫지 않았다) does not count, nor
 * one before a number (on May 28). */
static int occurs_beyond(const pat_list *l, const char *t, size_t lo,
                         size_t hi, size_t e)
{
    size_t i;

    for (i = lo; i < hi; i++) {
        size_t f = longest_at(l, t, i, hi, NULL);

        if (f > e && !before_number(t, f, hi))
            return 1;
    }
    return 0;
}

/* End of the word after the one holding @pos: the negation window. */
static size_t window_end(const char *t, size_t pos, size_t hi, int words)
{
    int w = 0;

    while (pos < hi) {
        if (t[pos] == ' ') {
            w++;
            if (w > words)
                break;
        }
        pos++;
    }
    return pos;
}

/* The first position in t[from..to) where a cue starts, else @to. */
static size_t next_cue(const kw_rules *r, const char *t, size_t from,
                       size_t to, size_t hi)
{
    size_t nx;

    for (nx = from; nx < to; nx++)
        if (longest_at(&r->cues, t, nx, hi, NULL))
            break;
    return nx;
}

/* Is the word t[ws..we) "X은/는" a verb form (하는, 않는, 된다는) rather
 * than a noun with a topic particle?  It is when the syllable before
 * 은/는 is in topic_skip. */
static int verb_before_topic(const kw_rules *r, const char *t, size_t ws,
                             size_t we)
{
    size_t len, pl, ps;

    kw__an_cp_before(t + ws, we - ws, &len);
    ps = we - len;
    if (ps <= ws)
        return 0;
    kw__an_cp_before(t + ws, ps - ws, &pl);
    return longest_at(&r->topic_skip, t, ps - pl, ps, NULL) == ps;
}

/* Is the word t[ws..we) an adnominal verb form (탈락한, 선정된, 빠진,
 * 검토하던, 참여하는): its last syllable is closed by ㄴ or is 던, and
 * 은/는 only after a verb stem? */
static int adnominal_word(const kw_rules *r, const char *t, size_t ws,
                          size_t we)
{
    size_t len;
    uint32_t c;

    if (we <= ws)
        return 0;
    /* A noun that happens to end in ㄴ (대신): no verb at all. */
    if (longest_at(&r->nouns, t, ws, we, NULL) == we)
        return 0;
    c = kw__an_cp_before(t + ws, we - ws, &len);
    if (c == 0xB358 /* 던 */)
        return 1;
    if (c == 0xB9CC /* 만: the particle, "중이라고만", "KT만" */)
        return 0;
    if (c < 0xAC00 || c > 0xD7A3 || (c - 0xAC00) % 28 != 4 /* ㄴ */)
        return 0;
    if (c == 0xC740 /* 은 */ || c == 0xB294 /* 는 */)
        return verb_before_topic(r, t, ws, we);
    return 1;
}

/* Is the adnominal word t[ws..we) a quotation (나선다는, 냈다는, 한단,
 * 아니라는): what it reports may be a rumour. */
static int quotative(const char *t, size_t ws, size_t we)
{
    size_t len, pl;
    uint32_t c, p;

    c = kw__an_cp_before(t + ws, we - ws, &len);
    if (c == 0xB2E8 /* 단 */ || c == 0xB780 /* 란 */)
        return 1;
    if (c != 0xB294 /* 는 */ || we - len <= ws)
        return 0;
    p = kw__an_cp_before(t + ws, we - len - ws, &pl);
    return p == 0xB2E4 /* 다 */ || p == 0xB77C /* 라 */ ||
           p == 0xB0D0 /* 냐 */;
}

/* Is the rest of a cue's word, t[e..we), a particle (진출에는, 탈락을,
 * 신청했다는): the cue is then a noun or a quotation, not an adnominal
 * verb. */
static int noun_ending(const kw_rules *r, const char *t, size_t e, size_t we)
{
    /* A closing quote between: '"검토 중"이라고'. */
    while (e < we && (t[e] == '"' || t[e] == '\''))
        e++;
    if (e >= we)
        return 0;
    return longest_at(&r->subj, t, e, we, NULL) ||
           longest_at(&r->obj, t, e, we, NULL) ||
           longest_at(&r->coord, t, e, we, NULL) ||
           longest_at(&r->other, t, e, we, NULL);
}

static int anaphoric_topic(const kw_rules *r, const char *t, size_t from,
                           size_t to);

/* Does the clause t[s..e) have a topic of its own (a non-name word marked
 * 은/는, other than one that names the entity again, 회사는) before
 * @before? */
static int has_own_topic(const kw_rules *r, const char *t, size_t s,
                         size_t before, const kw__an_match *m, size_t n_m)
{
    size_t pos = s, prev = s;

    while (pos < before) {
        size_t we = pos, len, i;
        int in_name = 0;

        while (we < before && t[we] != ' ')
            we++;
        if (we >= before)
            break; /* the word that holds the cue */
        for (i = 0; i < n_m; i++)
            if (m[i].start < we && m[i].end > pos)
                in_name = 1;
        if (!in_name && we - pos >= 6) {
            uint32_t c = kw__an_cp_before(t + pos, we - pos, &len);

            if ((c == 0xC740 /* 은 */ || c == 0xB294 /* 는 */) &&
                !verb_before_topic(r, t, pos, we) &&
                longest_at(&r->anaphora, t, pos, we - len, NULL) !=
                    we - len &&
                !anaphoric_topic(r, t, prev, we))
                return 1;
        }
        prev = pos;
        pos = we + 1;
    }
    return 0;
}

/* Does t[from..to) hold a topic that names the entity again (회사 측은,
 * 회사는): an anaphor followed, maybe after a name suffix, by 은/는? */
static int anaphoric_topic(const kw_rules *r, const char *t, size_t from,
                           size_t to)
{
    size_t p;

    for (p = from; p < to; p++) {
        size_t x, y;

        if (p > from && t[p - 1] != ' ')
            continue;
        x = longest_at(&r->anaphora, t, p, to, NULL);
        if (!x)
            continue;
        if (x < to && t[x] == ' ') {
            y = longest_at(&r->suffixes, t, x + 1, to, NULL);
            if (y)
                x = y;
        }
        if (x + 3 <= to &&
            (!memcmp(t + x, "\xEC\x9D\x80", 3) /* 은 */ ||
             !memcmp(t + x, "\xEB\x8A\x94", 3) /* 는 */) &&
            (x + 3 == to || t[x + 3] == ' ' || t[x + 3] == ','))
            return 1;
    }
    return 0;
}

/* Is the cue that ends at @e, in the word that starts at @ws, a result
 * in the prospective form (탈락할, 떨어질, 선정될, 마실 수밖에): its
 * word ends in a syllable closed by ㄹ that is not a particle (통과를)? */
static int prospective(const kw_rules *r, const char *t, size_t ws,
                       size_t e, size_t ce, const pat *p)
{
    size_t we = e, len;
    uint32_t c;

    while (we < ce && t[we] != ' ')
        we++;
    if (we <= ws)
        return 0;
    c = kw__an_cp_before(t + ws, we - ws, &len);
    if (c < 0xAC00 || c > 0xD7A3 || (c - 0xAC00) % 28 != 8 /* ㄹ */)
        return 0;
    /* The syllable is the cue's own (진출) unless it is an ending after
     * the cue or a stem's inflection (떨어지~: 떨어질). */
    if (we - len < e && !(p->stem && we == e))
        return 0;
    if (c == 0xC744 /* 을 */ || c == 0xB97C /* 를 */)
        return 0;
    return !(e < we && noun_ending(r, t, e, we));
}

/* Does the word t[ls..we) end in the question ending -ㄹ지 (나설지는,
 * 들일지를, 두드릴지도, 뛰어들지 여부)?  "-지 않" after the same syllable
 * is a negation (뛰어들지 않기로), so 지 must be followed by a particle,
 * or end the word before 여부. */
static int question_ending(const char *t, size_t ls, size_t we, size_t ce)
{
    static const char *const after[] = {"는", "를", "도", "가", "에"};
    size_t q, len, k;

    for (q = ls + 3; q + 3 <= we; q++) {
        uint32_t c;

        if (memcmp(t + q, "\xEC\xA7\x80" /* 지 */, 3) != 0)
            continue;
        c = kw__an_cp_before(t + ls, q - ls, &len);
        if (c < 0xAC00 || c > 0xD7A3 || (c - 0xAC00) % 28 != 8 /* ㄹ */)
            continue;
        if (q + 3 == we)
            return we + 1 + 6 <= ce && t[we] == ' ' &&
                   memcmp(t + we + 1, "여부", 6) == 0;
        for (k = 0; q + 6 <= we && k < sizeof after / sizeof *after; k++)
            if (memcmp(t + q + 3, after[k], 3) == 0)
                return 1;
    }
    return 0;
}

/* Gives @st to the entity of match @i in the verdicts v[0..*n_v). */
/* Does the clause t[cs..ce) speak of "one of them" (중 한 곳, 한 곳만)?
 * Not when the phrase stands in apposition to a name (엔씨AI 한 곳만
 * 신청했다: only NC AI did). */
static int indefinite(const kw_rules *r, const char *t, size_t cs,
                      size_t ce, const kw__an_match *m, size_t n_m)
{
    size_t i, k;

    for (i = cs; i < ce; i++) {
        if (!longest_at(&r->indefinite, t, i, ce, NULL))
            continue;
        for (k = 0; k < n_m; k++)
            if (i > 0 && t[i - 1] == ' ' && m[k].pend == i - 1)
                break;
        if (k == n_m)
            return 1;
    }
    return 0;
}

/* Gives @st to the entity of match @i in the verdicts v[0..*n_v) with
 * priority @prio (2 a main clause, 1 a noun phrase owned by the name, 0 a
 * relative clause [rs, re) on it): a lower priority never overrides a
 * higher one, so a restated old result (탈락한 KT) never outranks what the
 * sentence says KT does now, wherever each clause stands.  @pr holds the
 * priority of each verdict. */
static void give(kw__an_verdict *v, unsigned char *pr, size_t *n_v,
                 const kw__an_match *m, size_t i, kw_stance st, int prio,
                 size_t rs, size_t re)
{
    size_t k;

    for (k = 0; k < *n_v; k++)
        if (v[k].entity == m[i].entity)
            break;
    if (k == *n_v) {
        v[k].entity = m[i].entity;
        (*n_v)++;
    } else if (pr[k] > prio) {
        return;
    }
    pr[k] = (unsigned char)prio;
    v[k].stance = st;
    v[k].is_restated = prio == 0;
    v[k].rel_s = rs;
    v[k].rel_e = re;
}

/* Does @p hold a "**" gap? */
static int has_wide(const pat *p)
{
    int k;

    for (k = 1; k < p->n; k++)
        if (p->wide[k])
            return 1;
    return 0;
}

/* Does t[lo..hi) hold a topic word (참여, 공모) outside the phrases of
 * not_topics ("추가 공모 결과에 대해서는 말을 아꼈다" speaks of the call's
 * results, not of taking part)? */
static int topic_in(const kw_rules *r, const char *t, size_t lo, size_t hi)
{
    size_t i = lo;

    while (i < hi) {
        size_t e = longest_at(&r->not_topics, t, i, hi, NULL);

        if (e) {
            i = e;
            continue;
        }
        if (longest_at(&r->topics, t, i, hi, NULL))
            return 1;
        i = next_cp(t, i, hi);
    }
    return 0;
}

/*
 * True if the clause t[cs..ce) is an English infinitive that resumes the
 * clause a relative clause interrupted ("Watchers expect KT, which missed
 * out last year, to apply"): the verb that governs it, and its hedges,
 * stand before the interruption.
 */
static int infinitive_resumes(const char *t, size_t cs, size_t ce)
{
    return ce - cs > 3 && memcmp(t + cs, "to ", 3) == 0;
}

/*
 * Reads the cues of the clause t[cs..ce) into @hits (at most @max): each
 * cue's stance after negation, failure, purpose, hedges, whether and
 * undecided checks, and whether it sits in a relative clause.  A cue whose
 * word is an adnominal verb followed by a noun (탈락한 엔씨AI는, 카카오가
 * 빠진 공모에는) belongs to that relative clause: rel 1 when the noun is a
 * name (the clause describes it), rel 2 when subjects marked 이/가 stand
 * before it in the clause (they are its subjects; @relsub marks them with
 * the hit's index + 1).  *denied is set when a denial survives.
 */
static size_t read_cues(const kw_rules *r, const char *t, size_t cs,
                        size_t ce, const kw__an_match *m, size_t n_m,
                        kw_stance last_sentence_stance, kw_stance *last_raw,
                        int has_prog, cue_hit *hits,
                        size_t max, unsigned char *relsub, int *denied)
{
    size_t n_hits = 0, pos = cs, rel_lo = cs, i;
    size_t denied_at = (size_t)-1; /* the cue an English denial denies */
    /* Where the hedges before an English verb are read from. */
    size_t hb = infinitive_resumes(t, cs, ce) ? 0 : cs;

    while (pos < ce && n_hits < max) {
        size_t which = 0, e = longest_at(&r->not_cues, t, pos, ce, NULL);
        size_t hedge_end = ce;
        const pat *p;
        kw_stance s;

        if (e) {
            /* A phrase that holds a cue but is none (수정 사업계획서를
             * 냈다: a selected team's paperwork, not an application):
             * the cues starting inside it are not read. */
            pos = e;
            continue;
        }
        e = longest_at(&r->cues, t, pos, ce, &which);
        if (!e) {
            pos = next_cp(t, pos, ce);
            continue;
        }
        /* Overlapping cues: one that starts inside this one and reaches
         * further is the real one ("공모에 지원서를 내지 않기로": 지원서를
         * 내~, not 공모에 지원). */
        {
            size_t k2, nx = 0;

            for (k2 = next_cp(t, pos, ce); k2 < e && !nx;
                 k2 = next_cp(t, k2, ce))
                if (longest_at(&r->cues, t, k2, ce, NULL) > e)
                    nx = k2;
            if (nx) {
                pos = nx;
                continue;
            }
        }
        p = &r->cues.v[which];
        /* A wide gap ("추가 공모에는**경쟁하~") never swallows a cue of
         * its own: "추가 공모에는 카카오가 참여하지 않아 KT만 경쟁하게
         * 됐다" says kakao declined, so the wide cue is no cue here. */
        if (has_wide(p)) {
            size_t last = e - p->plen[p->n - 1], k2;

            if (p->stem && last >= 3)
                last -= 3; /* the stem syllable */
            for (k2 = next_cp(t, pos, ce); k2 < last; k2 = next_cp(t, k2, ce))
                if (longest_at(&r->cues, t, k2, ce, NULL))
                    break;
            if (k2 < last) {
                pos = next_cp(t, pos, ce);
                continue;
            }
        }
        /* A generic verb (apply, compete, 주판알을 튕기다, 계획을
         * 접었다) says something of the programme only when the
         * sentence names it: "KT plans to apply the model to its call
         * centres" is none. */
        if (!has_prog && longest_at(&r->needs_prog, t, pos, ce, NULL)) {
            pos = e;
            continue;
        }
        s = p->stance;
        hits[n_hits].rel = REL_MAIN;
        hits[n_hits].head = 0;
        hits[n_hits].we = e;
        if (p->kind == CUE_REVERSAL) {
            /* Turns the last stance of this sentence around. */
            kw_stance before = n_hits ? hits[n_hits - 1].stance
                                      : last_sentence_stance;
            size_t nw = window_end(t, e, ce, r->negation_words + 2), k2;

            /* The window stops at the next cue, except one that only
             * says "no intention" (번복할 생각은 없다). */
            for (k2 = e; k2 < nw; k2 = next_cp(t, k2, ce)) {
                size_t w2 = 0;

                if (longest_at(&r->cues, t, k2, ce, &w2) &&
                    r->cues.v[w2].stance != KW_STANCE_DECLINED)
                    break;
            }
            nw = k2;
            if (occurs(&r->negations, t, e, nw)) {
                /* A reversal denied (불참 결정을 번복할 뜻이 없다,
                 * 철회하지 않겠다): the stance before it stands, and
                 * the negation ("뜻이 없다", "생각은 없다") is no cue of
                 * its own. */
                hits[n_hits].s = pos;
                hits[n_hits].e = nw;
                hits[n_hits].stance = before;
                n_hits++;
                pos = nw;
                continue;
            }
            /* Withdrawing what was only being weighed (의사를
             * 내비쳤던 … 철회) has the reversal's own meaning. */
            if (before != KW_STANCE_NONE &&
                !(before == KW_STANCE_CONSIDERING &&
                  r->rev_flip[before] == KW_STANCE_NONE))
                s = r->rev_flip[before];
        } else {
            size_t we = window_end(t, e, ce, r->negation_words);
            size_t fw = window_end(t, e, ce, r->failure_words);
            size_t ws = e, wend = e, nstart, cws;
            int verb_next = 0;

            /* The windows stop at the next cue. */
            we = next_cue(r, t, e, we, ce);
            {
                /* A failure word that is a cue itself (2차 진출이
                 * 좌절됐다) still fails the cue before it. */
                size_t fc = next_cue(r, t, e, fw, ce);

                if (fc < fw && !longest_at(&r->failures, t, fc, fw, NULL))
                    fw = fc;
            }
            /* A relative clause: the cue's word is adnominal and a noun
             * other than a bound one (것, 바, 뒤) follows. */
            while (ws > cs && t[ws - 1] != ' ')
                ws--;
            while (wend < ce && t[wend] != ' ')
                wend++;
            cws = ws;
            /* A noun cue and its object particle whose verb is the next
             * word (불참을 선언한 16일). */
            if (wend < ce && e < wend &&
                longest_at(&r->obj, t, e, wend, NULL) == wend) {
                size_t vs = wend + 1, ve = vs;

                while (ve < ce && t[ve] != ' ')
                    ve++;
                if (ve < ce && ve > vs && adnominal_word(r, t, vs, ve) &&
                    !longest_at(&r->cues, t, vs, ce, NULL)) {
                    ws = vs;
                    wend = ve;
                    verb_next = 1;
                }
            }
            hits[n_hits].we = wend;
            nstart = wend + 1;
            if (wend < ce && nstart < ce && adnominal_word(r, t, ws, wend) &&
                (verb_next || !noun_ending(r, t, e, wend)) &&
                !longest_at(&r->bound, t, nstart, ce, NULL)) {
                for (i = 0; i < n_m; i++) {
                    if (m[i].start == nstart) {
                        hits[n_hits].rel = REL_NAME;
                        hits[n_hits].head = i;
                        hedge_end = wend;
                        break;
                    }
                }
                for (i = 0; !hits[n_hits].rel && i < n_m; i++) {
                    if (m[i].start >= rel_lo && m[i].start < pos &&
                        m[i].role == KW__AN_ROLE_SUBJ && m[i].is_nom &&
                        !relsub[i]) {
                        size_t j;

                        for (j = i; j < n_m; j++)
                            if (m[j].start >= rel_lo && m[j].start < pos &&
                                m[j].role == KW__AN_ROLE_SUBJ &&
                                m[j].is_nom && !relsub[j])
                                relsub[j] = (unsigned char)(n_hits + 1);
                        hits[n_hits].rel = REL_SUBJ;
                    }
                }
                if (hits[n_hits].rel) {
                    /* The relative clause ends at its head noun: what
                     * the main clause hedges is not its content
                     * ("A가 탈락한 자리를 B가 채울 것이란 전망"), unless
                     * it is a quotation (나선다는 이야기). */
                    rel_lo = wend;
                    if (!quotative(t, ws, wend))
                        hedge_end = wend;
                } else {
                    /* On another noun too: "A를 떨어뜨린 기준이 바뀌었다는
                     * 지적" hedges the change, not A's elimination. */
                    hits[n_hits].rel = REL_NOUN;
                    if (!quotative(t, ws, wend))
                        hedge_end = wend;
                }
            }
            /* A noun phrase owned by a name: "네이버의 불참 선언",
             * "업스테이지의 2차 진출로" (at most one word between). */
            for (i = 0; hits[n_hits].rel == REL_MAIN && i < n_m; i++) {
                size_t g = m[i].end, words = 0, k;

                if (m[i].role != KW__AN_ROLE_OTHER || m[i].start < cs ||
                    g + 4 > cws ||
                    memcmp(t + g, "\xEC\x9D\x98 ", 4) /* "의 " */)
                    continue;
                for (k = g + 4; k < cws; k++)
                    if (t[k] == ' ')
                        words++;
                if (words <= 1) {
                    hits[n_hits].rel = REL_GEN;
                    hits[n_hits].head = i;
                }
            }
            /* Endings may begin inside the cue's inflected last syllable
             * (나서~ matches 나설 of 나설지, 신청하~ 신청할 of 신청할 것). */
            size_t ls = e, lsl;

            kw__an_cp_before(t + pos, e - pos, &lsl);
            if (lsl < e - pos)
                ls = e - lsl;
            if (longest_at(&r->purposes, t, e, ce, NULL) ||
                longest_at(&r->cond_after, t, e, ce, NULL) ||
                longest_at(&r->purposes, t, ls, ce, NULL) ||
                (e < we &&
                 occurs(&r->purposes, t, e, e + 12 < we ? e + 12 : we))) {
                s = KW_STANCE_NONE;
            } else if ((s == KW_STANCE_ENTERING ||
                        s == KW_STANCE_DECLINED) &&
                       p->kind == CUE_PLAIN &&
                       (occurs(&r->whether, t, ls, we) ||
                        question_ending(t, ls, we, ce) ||
                        occurs(&r->undecided, t, pos,
                               window_end(t, e, ce, r->negation_words + 2)))) {
                /* 나설지: whether; 참여를 확정하지 않았다: the decision
                 * itself is negated.  Both leave it open. */
                s = KW_STANCE_CONSIDERING;
            } else if ((s == KW_STANCE_SELECTED ||
                        s == KW_STANCE_ELIMINATED) &&
                       (occurs(&r->unrealised, t, ls, we) ||
                        prospective(r, t, cws, e, ce, p))) {
                s = KW_STANCE_NONE;
            } else if (p->kind != CUE_DENIAL &&
                       (occurs(&r->negations, t, e, we) ||
                        occurs(&r->failures, t, e, fw))) {
                /* 참여하지 않기로, 진출에 실패했다, 진출은 무산됐다. */
                s = r->neg_flip[s];
            }
            /* English negates before the verb: "will not seek
             * re-entry", "did not make the final five" (the two words
             * before the cue). */
            if (p->kind == CUE_PLAIN &&
                (s == KW_STANCE_ENTERING || s == KW_STANCE_SELECTED) &&
                !has_hangul(t, pos, e)) {
                size_t b2 = pos;
                int w2 = 0;

                while (b2 > cs && w2 < 3) {
                    b2--;
                    if (t[b2] == ' ')
                        w2++;
                }
                if (occurs(&r->neg_before, t, b2, pos))
                    s = r->neg_flip[s];
            }
            /* English puts hedges and "whether" before the verb ("The
             * ministry hopes Kakao will apply", "whether they will
             * apply"). */
            if (p->kind == CUE_PLAIN && s != KW_STANCE_NONE &&
                s != KW_STANCE_CONSIDERING &&
                occurs_beyond(&r->hedges_before, t, hb, pos, hb))
                s = KW_STANCE_NONE;
            else if ((s == KW_STANCE_ENTERING || s == KW_STANCE_DECLINED) &&
                     p->kind == CUE_PLAIN &&
                     occurs(&r->whether_before, t, cs, pos))
                s = KW_STANCE_CONSIDERING;
            /* "떨어진다면 … 밀려나게 된다": a consequence of a condition
             * is as hypothetical as the condition.  Only an open
             * question survives one ("공고가 나오면 판단하겠다"). */
            if (s != KW_STANCE_CONSIDERING && p->kind == CUE_PLAIN &&
                occurs(&r->conditionals, t, cs, pos))
                s = KW_STANCE_NONE;
            /* Reticence (말을 아꼈다) is a stance only about taking
             * part, not about anything else the clause names: then it is
             * no cue at all, and what the clause said before stands. */
            if (longest_at(&r->needs_topic, t, pos, ce, NULL) &&
                !topic_in(r, t, cs, ce)) {
                pos = e;
                continue;
            }
            /* A denial is a decline when what it denies is taking part
             * (or nothing said); denying a rumour of quitting or of a
             * result (중도 포기할 수 있다는 소문 … "사실이 아니다")
             * says no decline. */
            if (p->kind == CUE_DENIAL &&
                (*last_raw == KW_STANCE_DECLINED ||
                 *last_raw == KW_STANCE_SELECTED ||
                 *last_raw == KW_STANCE_ELIMINATED))
                s = KW_STANCE_NONE;
            /* English names the rumour after the denial ("brushed off
             * rumours that it might pull out"). */
            if (p->kind == CUE_DENIAL && !has_hangul(t, pos, ce)) {
                size_t k2, w2 = 0;

                for (k2 = e; k2 < ce; k2 = next_cp(t, k2, ce))
                    if (longest_at(&r->cues, t, k2, ce, &w2))
                        break;
                if (k2 < ce && r->cues.v[w2].kind == CUE_PLAIN &&
                    (r->cues.v[w2].stance == KW_STANCE_DECLINED ||
                     r->cues.v[w2].stance == KW_STANCE_SELECTED ||
                     r->cues.v[w2].stance == KW_STANCE_ELIMINATED)) {
                    /* "dismissed reports that it had pulled out": the
                     * quitting it denies is no stance either. */
                    s = KW_STANCE_NONE;
                    denied_at = k2;
                }
            }
            if (p->kind != CUE_DENIAL)
                *last_raw = p->stance;
            if (p->kind == CUE_DENIAL && s != KW_STANCE_NONE)
                *denied = 1;
            if (p->kind != CUE_DENIAL && p->kind != CUE_PENDING &&
                occurs_beyond(&r->hedges, t, pos, hedge_end, e))
                s = KW_STANCE_NONE;
        }
        if (pos == denied_at)
            s = KW_STANCE_NONE;
        hits[n_hits].s = pos;
        hits[n_hits].e = e;
        hits[n_hits].stance = s;
        hits[n_hits].wide = has_wide(p);
        n_hits++;
        pos = e;
    }
    return n_hits;
}

/* English puts the speaker after the quote ('"We are weighing all
 * options," an NC AI spokesperson said'): does the clause t[cs..ce),
 * of no cue, close the quote that opens the sentence at @lo, with no
 * name inside the quote, and then name its speaker (a target) and a
 * verb of speech?  Then it has the quote's stance. */
static int quote_speaker(const kw_rules *r, const char *t, size_t lo,
                         size_t cs, size_t ce, const kw__an_match *m,
                         size_t n_m, const unsigned char *targets)
{
    size_t k = lo, q = ce, i;
    int any = 0;

    if (!r->speech.n || has_hangul(t, lo, ce))
        return 0;
    while (k < cs && t[k] == ' ')
        k++;
    if (k >= cs || !(t[k] == '"' ||
                     (k + 3 <= cs && memcmp(t + k, "\xE2\x80\x9C", 3) == 0)))
        return 0;
    for (i = k + 1; i < ce; i++) {
        if (t[i] == '"' ||
            (i + 3 <= ce && memcmp(t + i, "\xE2\x80\x9D", 3) == 0)) {
            q = i;
            break;
        }
    }
    if (q < cs || q >= ce)
        return 0;
    for (i = 0; i < n_m; i++) {
        if (m[i].start < q)
            return 0;
        if (targets[i] && m[i].start < ce)
            any = 1;
    }
    return any && occurs(&r->speech, t, q, ce);
}

/* Is the name @i the owner @head of a noun phrase or coordinated before
 * it in the clause that starts at @cs ("A와 B의 탈락": both own it)? */
static int gen_owner(const kw__an_match *m, size_t head, size_t i, size_t cs)
{
    while (head != i) {
        if (head == 0 || head < i || !m[head - 1].coord ||
            m[head - 1].start < cs)
            return 0;
        head--;
    }
    return 1;
}

/* Is the name that ends at t[end) followed by a copula that ends its
 * word (KT뿐이다, LG AI연구원이다, 업스테이지다)? */
static int copular(const kw_rules *r, const char *t, size_t end, size_t ce)
{
    size_t e = longest_at(&r->copulas, t, end, ce, NULL);

    return e && (e == ce || t[e] == ' ' || t[e] == '.' || t[e] == ',' ||
                 t[e] == '"' || t[e] == '\'' || t[e] == ')');
}

/* True if clause @c of @cl ends in a connective -고 ("떨어지고 ",
 * "탈락했고, ") and the clauses so joined to it end in one that names a
 * rumour of them all (carried_hedges: "A가 떨어지고 B만 남았다는 소문이
 * 돌았다"): the clause is part of the rumour's content. */
static int coord_hedged(const kw_rules *r, const char *t, const span *cl,
                        size_t n_cl, size_t c)
{
    static const char go[] = "\xEA\xB3\xA0"; /* 고 */
    size_t k;

    if (!r->carried.n)
        return 0;
    for (k = c; k + 1 < n_cl; k++) {
        size_t e = cl[k].e;

        while (e > cl[k].s && (t[e - 1] == ' ' || t[e - 1] == ','))
            e--;
        /* A clause of no cue between ("업스테이지만 ": a name's 만 read
         * as 지만) does not end the chain. */
        if ((e < cl[k].s + 3 || memcmp(t + e - 3, go, 3) != 0) &&
            (k == c || occurs(&r->cues, t, cl[k].s, cl[k].e)))
            return 0;
        if (occurs(&r->carried, t, cl[k + 1].s, cl[k + 1].e))
            return 1;
    }
    return 0;
}

kw_err kw__an_stances(const kw_gazetteer *g, const kw_rules *r,
                      const char *t, size_t lo, size_t hi,
                      const kw__an_match *m_in, size_t n_m,
                      kw__an_verdict **out, size_t *count)
{
    span cl[32];
    size_t n_cl, c, i, h;
    kw__an_match *m = NULL;
    kw__an_verdict *v = NULL;
    size_t n_v = 0;
    unsigned char *targets = NULL, *prev_targets = NULL, *relsub = NULL;
    unsigned char *prio = NULL, *carry = NULL, *prev_rel = NULL;
    int embed, en_subj, backdrop;
    cue_hit hits[64];
    size_t n_hits;
    kw_stance last_sentence_stance = KW_STANCE_NONE;
    kw_stance last_raw = KW_STANCE_NONE;
    int has_prog;
    int have_prev = 0;

    *out = NULL;
    *count = 0;
    if (n_m == 0)
        return KW_OK;
    m = kw_malloc(n_m * sizeof(*m));
    v = kw_calloc(n_m, sizeof(*v));
    targets = kw_calloc(n_m, 1);
    prev_targets = kw_calloc(n_m, 1);
    relsub = kw_calloc(n_m, 1);
    prio = kw_calloc(n_m, 1);
    carry = kw_calloc(n_m, 1);
    prev_rel = kw_calloc(n_m, 1);
    if (!m || !v || !targets || !prev_targets || !relsub || !prio ||
        !carry || !prev_rel) {
        kw_free(carry);
        kw_free(prev_rel);
        kw_free(m);
        kw_free(v);
        kw_free(targets);
        kw_free(prev_targets);
        kw_free(relsub);
        kw_free(prio);
        return KW_ENOMEM;
    }
    memcpy(m, m_in, n_m * sizeof(*m));
    has_prog = !r->prog_words.n || occurs(&r->prog_words, t, lo, hi);
    n_cl = split_clauses(r, t, lo, hi, cl, sizeof(cl) / sizeof(*cl));
    resolve_roles(r, t, hi, m, n_m, cl, n_cl);
    for (c = 0; c < n_cl; c++) {
        size_t cs = cl[c].s, ce = cl[c].e;
        kw_stance st = KW_STANCE_NONE, st_own = KW_STANCE_NONE;
        size_t first_cue = ce, rel_end;
        int any_subj = 0, actor_subj = 0, any_target = 0, denied = 0;
        int any_main = 0, inherited = 0, is_other;

        memset(relsub, 0, n_m);
        n_hits = read_cues(r, t, cs, ce, m, n_m, last_sentence_stance,
                           &last_raw, has_prog, hits,
                           sizeof(hits) / sizeof(*hits), relsub, &denied);
        /* Another programme (an award, another ministry's project, a
         * supplier's contract): its results, and taking part in it, are
         * not this programme's, unless the clause names this one too. */
        is_other = occurs(&r->programmes, t, cs, ce) &&
                   !occurs(&r->prog_names, t, cs, ce);
        for (h = 0; h < n_hits; h++)
            if (is_other)
                hits[h].stance = KW_STANCE_NONE;
        /* "A가 떨어지고 B만 남았다는 소문": the rumour holds A's clause
         * too. */
        if (n_hits && !denied && coord_hedged(r, t, cl, n_cl, c))
            for (h = 0; h < n_hits; h++)
                hits[h].stance = KW_STANCE_NONE;
        /* The last cue of the main clause decides (Korean is
         * head-final); a denial outweighs the rumour it denies, wherever
         * that is in the clause.  Cues of relative clauses go to what
         * they describe; one on another noun (컨소시엄에 참여한
         * 기업들도) counts only for the names of its own clause. */
        for (h = 0; h < n_hits; h++) {
            if (first_cue == ce)
                first_cue = hits[h].s;
            if (hits[h].rel == REL_MAIN) {
                st = hits[h].stance;
                st_own = st;
                any_main = 1;
            } else if (hits[h].rel == REL_NOUN) {
                st_own = hits[h].stance;
                any_main = 1;
            }
        }
        if (!n_hits && last_sentence_stance != KW_STANCE_NONE &&
            occurs(&r->same, t, cs, ce)) {
            st = last_sentence_stance; /* SK텔레콤도 뒤를 이었다 */
            st_own = st;
        }
        if (denied) {
            /* The rumour denied is often a relative clause ("A가
             * 참여한다는 보도는 사실무근"): its subject denies, unless
             * a topic of the clause does ("A와 B가 참여한다는 보도에
             * B는 사실이 아니라고 했다": A denies nothing). */
            int topic = 0;

            st = KW_STANCE_DECLINED;
            st_own = st;
            memset(relsub, 0, n_m);
            for (i = 0; i < n_m; i++)
                if (m[i].start >= cs && m[i].start < ce &&
                    m[i].role == KW__AN_ROLE_SUBJ && !m[i].is_nom &&
                    kw__an_entity_is_actor(g, m[i].entity))
                    topic = 1;
            for (i = 0; topic && i < n_m; i++)
                if (m[i].start >= cs && m[i].start < ce &&
                    m[i].role == KW__AN_ROLE_SUBJ && m[i].is_nom)
                    relsub[i] = 255; /* no hit's: gets nothing */
        }
        /* "한 곳만", "둘 중 하나": the main clause speaks of no one in
         * particular; inside a relative clause the phrase describes its
         * head ("다섯 팀 중 하나로 뽑혔던 엔씨AI는"). */
        rel_end = cs;
        for (h = 0; h < n_hits; h++)
            if ((hits[h].rel == REL_NAME || hits[h].rel == REL_SUBJ) &&
                hits[h].we > rel_end)
                rel_end = hits[h].we;
        if (indefinite(r, t, rel_end, ce, m, n_m)) {
            st = KW_STANCE_NONE;
            st_own = st;
        }
        if (n_hits)
            last_sentence_stance = any_main || denied
                                       ? st_own
                                       : hits[n_hits - 1].stance;

        /* "A는 B가 통과한 것과 달리 …": the clause before 달리 is
         * embedded, its subject is B (marked 이/가); A's topic belongs
         * to the clause that follows. */
        embed = 0;
        memset(carry, 0, n_m);
        /* A break that embeds the clause in the next one ("B가 통과한
         * 것과 달리 "). */
        if (ends_at(&r->embedded, t, cs, ce)) {
            int nom = 0, topic = 0;

            for (i = 0; i < n_m; i++) {
                if (m[i].start < cs || m[i].start >= ce || relsub[i] ||
                    m[i].role != KW__AN_ROLE_SUBJ ||
                    !kw__an_entity_is_actor(g, m[i].entity))
                    continue;
                if (m[i].is_nom)
                    nom = 1;
                else
                    topic = 1;
            }
            embed = nom && topic;
        }

        /* Who the main clause is about: not a relative clause's own
         * subjects. */
        memset(targets, 0, n_m);
        for (i = 0; i < n_m; i++) {
            if (m[i].start < cs || m[i].start >= ce || relsub[i])
                continue;
            if (embed && m[i].role == KW__AN_ROLE_SUBJ && !m[i].is_nom) {
                carry[i] = 1;
                continue;
            }
            if (m[i].role == KW__AN_ROLE_SUBJ) {
                any_subj = 1;
                if (kw__an_entity_is_actor(g, m[i].entity)) {
                    actor_subj = 1;
                    targets[i] = 1;
                }
            }
        }
        if (!actor_subj) {
            /* A ministry's clause, or none: the companies named in it,
             * objects first, then bare names, then any. */
            static const kw__an_role order[] = {KW__AN_ROLE_OBJ,
                                                KW__AN_ROLE_BARE,
                                                KW__AN_ROLE_OTHER};
            size_t o;

            /* A cleft: "재도전에 나선 곳은 KT뿐이다", "뽑은 정예팀은
             * A, B, C이다": the names the clause predicates of a noun
             * that a relative clause describes have its stance. */
            if (st_own != KW_STANCE_NONE) {
                for (h = 0; h < n_hits && hits[h].rel != REL_NOUN; h++)
                    ;
                for (i = n_m; h < n_hits && i-- > 0;) {
                    if (m[i].start < hits[h].e || m[i].start >= ce ||
                        relsub[i] || !kw__an_entity_is_actor(g, m[i].entity))
                        continue;
                    if (copular(r, t, m[i].end, ce) ||
                        (m[i].coord && i + 1 < n_m && targets[i + 1] &&
                         m[i + 1].start < ce)) {
                        targets[i] = 1;
                        any_target = 1;
                    }
                }
            }
            /* English is subject-verb-object: when a bare name stands
             * before the verb, the names after it are its objects
             * ("Kakao lost out to Upstage"), unless a comitative ends
             * just before the name ("made the shortlist along with LG
             * AI Research"). */
            en_subj = 0;
            if (!has_hangul(t, cs, ce))
                for (i = 0; i < n_m; i++)
                    if (m[i].start >= cs && m[i].start < first_cue &&
                        m[i].role == KW__AN_ROLE_BARE && !relsub[i] &&
                        kw__an_entity_is_actor(g, m[i].entity))
                        en_subj = 1;
            for (o = 0; o < 3 && !any_target; o++) {
                for (i = 0; i < n_m; i++) {
                    if (en_subj && m[i].start > first_cue &&
                        !ends_at(&r->comitative, t, first_cue, m[i].start))
                        continue;
                    if (m[i].start < cs || m[i].start >= ce || relsub[i] ||
                        m[i].is_place || m[i].role != order[o] ||
                        !kw__an_entity_is_actor(g, m[i].entity))
                        continue;
                    if (order[o] == KW__AN_ROLE_OTHER &&
                        (!any_subj && have_prev))
                        continue;
                    /* A name that owns a noun phrase (네이버의 불참)
                     * has that phrase's stance, not the clause's. */
                    for (h = 0; h < n_hits; h++)
                        if (hits[h].rel == REL_GEN &&
                            gen_owner(m, hits[h].head, i, cs))
                            break;
                    if (h < n_hits)
                        continue;
                    targets[i] = 1;
                    any_target = 1;
                }
            }
            /* A cue that skips words may hold the clause's own topic
             * ("2차 단계는 … 3파전으로 재편됐다"). */
            size_t topic_to = first_cue;

            for (h = 0; h < n_hits; h++)
                if (hits[h].s == first_cue && hits[h].wide)
                    topic_to = hits[h].e;
            if (!any_target && !any_subj && have_prev &&
                !has_own_topic(r, t, cs, topic_to, m, n_m)) {
                memcpy(targets, prev_targets, n_m);
                inherited = 1;
            }
        }
        /* "A가 참여한다는 보도에 대해 회사 측은 '정해진 바 없다'고
         * 했다": the company answering the report is the report's
         * subject, and its own word outranks what was reported. */
        if (!actor_subj && !any_target && !inherited &&
            st_own != KW_STANCE_NONE && anaphoric_topic(r, t, rel_end, ce)) {
            int own = 0;

            for (i = 0; i < n_m; i++)
                if (m[i].start >= cs && m[i].start < rel_end && relsub[i] &&
                    relsub[i] != 255 &&
                    kw__an_entity_is_actor(g, m[i].entity))
                {
                    targets[i] = 1;
                    own = 1;
                }
            /* ... also when the report is a clause of its own ("A가
             * 나선다는 보도가 나왔지만 회사 측은 '검토 중'이라고
             * 했다"). */
            if (!own && !any_subj)
                memcpy(targets, prev_rel, n_m);
        }
        memset(prev_rel, 0, n_m);
        for (i = 0; i < n_m; i++)
            if (m[i].start >= cs && m[i].start < ce && relsub[i] &&
                relsub[i] != 255 && kw__an_entity_is_actor(g, m[i].entity))
                prev_rel[i] = 1;
        if (!inherited)
            st = st_own;
        any_target = 0;
        for (i = 0; i < n_m; i++)
            any_target |= targets[i];
        if (any_target) {
            memcpy(prev_targets, targets, n_m);
            have_prev = 1;
        }
        if (embed) {
            memcpy(prev_targets, carry, n_m);
            have_prev = 1;
        }
        /* Relative clauses first: their subjects, the name they describe
         * and the names coordinated with it (신청서를 낸 KT와 엔씨AI는);
         * a main clause's stance outranks theirs (see give()). */
        for (h = 0; h < n_hits; h++) {
            int rel = hits[h].rel;

            if (rel == REL_MAIN || rel == REL_NOUN ||
                hits[h].stance == KW_STANCE_NONE)
                continue;
            if (rel == REL_GEN) {
                /* The owner and the names coordinated before it
                 * ("네이버클라우드와 엔씨AI의 탈락"): the phrase is
                 * theirs together. */
                i = hits[h].head;
                for (;;) {
                    if (kw__an_entity_is_actor(g, m[i].entity))
                        give(v, prio, &n_v, m, i, hits[h].stance, 1, cs,
                             hits[h].we);
                    if (i == 0 || !m[i - 1].coord || m[i - 1].start < cs)
                        break;
                    i--;
                }
                continue;
            }
            if (rel == REL_NAME) {
                for (i = hits[h].head; i < n_m; i++) {
                    if (kw__an_entity_is_actor(g, m[i].entity))
                        give(v, prio, &n_v, m, i, hits[h].stance, 0, cs,
                             hits[h].we);
                    if (!m[i].coord)
                        break;
                }
                continue;
            }
            for (i = 0; i < n_m; i++)
                if (relsub[i] == h + 1 &&
                    kw__an_entity_is_actor(g, m[i].entity))
                    give(v, prio, &n_v, m, i, hits[h].stance, 0, cs,
                         hits[h].we);
        }
        if (st == KW_STANCE_NONE && !n_hits && c > 0 &&
            quote_speaker(r, t, lo, cs, ce, m, n_m, targets))
            st = last_sentence_stance;
        if (st == KW_STANCE_NONE)
            continue;
        /* English backdrop: a clause of no names of its own whose cue
         * follows "after" or "since" ("KT applied on Monday, a month
         * after it failed to make the final five") restates the past
         * of the subject before it. */
        backdrop = inherited && !has_hangul(t, cs, ce) &&
                   occurs(&r->backdrop, t, cs, first_cue);
        for (i = 0; i < n_m; i++)
            if (targets[i])
                give(v, prio, &n_v, m, i, st, backdrop ? 0 : 2,
                     backdrop ? cs : 0, backdrop ? ce : 0);
    }
    kw_free(m);
    kw_free(targets);
    kw_free(prev_targets);
    kw_free(relsub);
    kw_free(prio);
    kw_free(carry);
    kw_free(prev_rel);
    if (n_v == 0) {
        kw_free(v);
        v = NULL;
    }
    *out = v;
    *count = n_v;
    return KW_OK;
}

/* ---- Parsing the rules --------------------------------------------------- */

typedef struct rb {
    kw_rules *r;
    yaml_document_t *d;
    char *err;
    size_t err_n;
} rb;

/* Adds the pattern @s (no braces left) to @l; @nd locates errors. */
static kw_err add_one(rb *b, pat_list *l, yaml_node_t *nd, const char *s,
                      kw_stance st, cue_kind kind)
{
    char *norm, *q, *star, *bar;
    size_t sl = strlen(s);
    int stem = 0, wide = 0;
    pat *p;
    kw_err rc;

    bar = strchr(s, '|');
    if (bar) {
        /* "빠진| 추가 공모": the cue is 빠진, followed by 추가 공모. */
        kw_buf bb;

        kw_buf_init(&bb, 1024);
        kw_buf_add(&bb, s, (size_t)(bar - s));
        if (bb.err || !bb.p || !bar[1]) {
            kw_buf_deinit(&bb);
            return bb.err ? bb.err
                          : kw__an_yaml_err(nd, b->err, b->err_n,
                                            "empty side of '|' in:", s);
        }
        rc = add_one(b, l, nd, bb.p, st, kind);
        kw_buf_deinit(&bb);
        if (rc)
            return rc;
        if (strcmp(bar + 1, "$") == 0) {
            /* "접수|$": the cue ends its clause (a headline's noun). */
            l->v[l->n - 1].at_end = 1;
            return KW_OK;
        }
        norm = kw__an_normalize_dup(bar + 1);
        if (!norm)
            return KW_ENOMEM;
        /* Keep a leading space: the context starts a new word. */
        q = kw_arena_alloc(b->r->arena, strlen(norm) + 2);
        if (q) {
            q[0] = ' ';
            memcpy(q + (bar[1] == ' ' && norm[0] != ' '), norm,
                   strlen(norm) + 1);
        }
        kw_free(norm);
        if (!q)
            return KW_ENOMEM;
        l->v[l->n - 1].ctx = q;
        l->v[l->n - 1].ctx_len = strlen(q);
        return KW_OK;
    }
    if (sl > 1 && s[sl - 1] == '~') {
        stem = 1;
        sl--;
    }
    if (!sl)
        return kw__an_yaml_err(nd, b->err, b->err_n,
                               "a pattern must be a non-empty string", NULL);
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 32;
        pat *nv = kw_realloc(l->v, nc * sizeof(*nv));

        if (!nv)
            return KW_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    p = &l->v[l->n];
    memset(p, 0, sizeof(*p));
    p->stance = st;
    p->kind = kind;
    /* Normalise without touching the spaces the pattern holds. */
    q = kw_arena_alloc(b->r->arena, sl + 1);
    if (!q)
        return KW_ENOMEM;
    memcpy(q, s, sl);
    q[sl] = 0;
    norm = kw__an_normalize_dup(q);
    if (!norm)
        return KW_ENOMEM;
    q = kw_arena_strdup(b->r->arena, norm);
    kw_free(norm);
    if (!q)
        return KW_ENOMEM;
    /* Keep a leading or trailing space: it marks a word boundary. */
    if (s[0] == ' ' || s[sl - 1] == ' ') {
        kw_buf bb;

        kw_buf_init(&bb, 1024);
        if (s[0] == ' ')
            kw_buf_addc(&bb, ' ');
        kw_buf_adds(&bb, q);
        if (s[sl - 1] == ' ' && sl > 1)
            kw_buf_addc(&bb, ' ');
        if (bb.err) {
            kw_buf_deinit(&bb);
            return KW_ENOMEM;
        }
        q = kw_arena_strdup(b->r->arena, bb.p);
        kw_buf_deinit(&bb);
        if (!q)
            return KW_ENOMEM;
    }
    for (;;) {
        if (p->n == 4)
            return kw__an_yaml_err(nd, b->err, b->err_n,
                                   "at most three '*' in a pattern:", s);
        p->wide[p->n] = (unsigned char)wide;
        star = strchr(q, '*');
        if (star) {
            /* "**": the gap before the next piece reaches to the end
             * of the clause. */
            wide = star[1] == '*';
            *star = 0;
        }
        p->piece[p->n] = q;
        p->plen[p->n] = strlen(q);
        p->n++;
        if (!star)
            break;
        if (p->plen[p->n - 1] == 0)
            return kw__an_yaml_err(nd, b->err, b->err_n,
                                   "empty piece in pattern:", s);
        q = star + 1 + wide;
    }
    if (stem) {
        /* The last syllable becomes the stem; it must be Hangul. */
        size_t k = (size_t)p->n - 1, len;
        uint32_t c;

        if (!p->plen[k])
            return kw__an_yaml_err(nd, b->err, b->err_n,
                                   "'~' must follow a syllable:", s);
        c = kw__an_cp_before(p->piece[k], p->plen[k], &len);
        if (c < 0xAC00 || c > 0xD7A3)
            return kw__an_yaml_err(nd, b->err, b->err_n,
                                   "'~' must follow a Hangul syllable:", s);
        p->stem = c;
        p->plen[k] -= len;
        if (p->n > 1 && !p->plen[0])
            return kw__an_yaml_err(nd, b->err, b->err_n,
                                   "empty piece in pattern:", s);
    } else if (!p->plen[p->n - 1]) {
        return kw__an_yaml_err(nd, b->err, b->err_n,
                               "empty piece in pattern:", s);
    }
    l->n++;
    return KW_OK;
}

/* Expands the first {a,b,...} group of @s and recurses: "{참여,신청}{은,는}
 * 어렵" adds four patterns.  Groups do not nest. */
static kw_err add_expanded(rb *b, pat_list *l, yaml_node_t *nd,
                           const char *s, kw_stance st, cue_kind kind,
                           int depth)
{
    const char *open = strchr(s, '{'), *close, *alt;
    kw_err rc = KW_OK;

    if (!open)
        return add_one(b, l, nd, s, st, kind);
    close = strchr(open, '}');
    if (!close || memchr(open + 1, '{', (size_t)(close - open - 1)) ||
        depth > 4)
        return kw__an_yaml_err(nd, b->err, b->err_n,
                               "unbalanced or nested '{' in pattern:", s);
    alt = open + 1;
    while (!rc && alt <= close) {
        const char *end = alt;
        kw_buf bb;

        while (end < close && *end != ',')
            end++;
        kw_buf_init(&bb, 1024);
        kw_buf_add(&bb, s, (size_t)(open - s));
        kw_buf_add(&bb, alt, (size_t)(end - alt));
        kw_buf_adds(&bb, close + 1);
        if (bb.err)
            rc = bb.err;
        else if (!bb.p || !*bb.p)
            rc = kw__an_yaml_err(nd, b->err, b->err_n,
                                 "empty alternative in pattern:", s);
        else
            rc = add_expanded(b, l, nd, bb.p, st, kind, depth + 1);
        kw_buf_deinit(&bb);
        alt = end + 1;
    }
    return rc;
}

static kw_err add_pat(rb *b, pat_list *l, yaml_node_t *nd, kw_stance st,
                      cue_kind kind)
{
    const char *s = kw__an_yaml_str(nd);

    if (!s || !*s)
        return kw__an_yaml_err(nd, b->err, b->err_n,
                               "a pattern must be a non-empty string", NULL);
    return add_expanded(b, l, nd, s, st, kind, 0);
}

static kw_err add_list(rb *b, pat_list *l, yaml_node_t *seq, kw_stance st,
                       cue_kind kind)
{
    yaml_node_item_t *it;
    kw_err rc;

    if (!seq)
        return KW_OK;
    if (seq->type == YAML_SCALAR_NODE)
        return add_pat(b, l, seq, st, kind);
    if (seq->type != YAML_SEQUENCE_NODE)
        return kw__an_yaml_err(seq, b->err, b->err_n,
                               "expected a list of patterns", NULL);
    for (it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        rc = add_pat(b, l, yaml_document_get_node(b->d, *it), st, kind);
        if (rc)
            return rc;
    }
    return KW_OK;
}

/* Reads a {stance: stance} mapping into @flip. */
static kw_err read_flip(rb *b, yaml_node_t *m, kw_stance *flip)
{
    yaml_node_pair_t *pr;

    if (!m)
        return KW_OK;
    if (m->type != YAML_MAPPING_NODE)
        return kw__an_yaml_err(m, b->err, b->err_n,
                               "expected a mapping of stance: stance", NULL);
    for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(b->d, pr->key);
        yaml_node_t *v = yaml_document_get_node(b->d, pr->value);
        kw_stance from, to;

        if (kw_stance_parse(kw__an_yaml_str(k), &from))
            return kw__an_yaml_err(k, b->err, b->err_n, "unknown stance",
                                   kw__an_yaml_str(k));
        if (kw_stance_parse(kw__an_yaml_str(v), &to))
            return kw__an_yaml_err(v, b->err, b->err_n, "unknown stance",
                                   kw__an_yaml_str(v));
        flip[from] = to;
    }
    return KW_OK;
}

/* Reads a word count 0..5 (default @def when absent) into *out. */
static kw_err read_words(rb *b, yaml_node_t *nd, const char *msg, int def,
                         int *out)
{
    const char *s;
    uint64_t w;

    *out = def;
    if (!nd)
        return KW_OK;
    s = kw__an_yaml_str(nd);
    if (!s || kw_parse_u64(s, strlen(s), &w) || w > 5)
        return kw__an_yaml_err(nd, b->err, b->err_n, msg, NULL);
    *out = (int)w;
    return KW_OK;
}

/* The keys of a rules file besides plain_lists. */
static const char *const rule_keys[] = {
    "stances", "denials", "reversals", "reversal_flip", "pending",
    "negation_words", "negation_flip", "failure_words", "roles",
};

static kw_err parse_rules(rb *b, yaml_node_t *root)
{
    yaml_document_t *d = b->d;
    kw_rules *r = b->r;
    yaml_node_pair_t *pr;
    yaml_node_t *nd, *roles;
    kw_err rc = KW_OK;
    size_t i;

    if (!root || root->type != YAML_MAPPING_NODE)
        return kw__an_yaml_err(root, b->err, b->err_n,
                               "the rules must be a mapping", NULL);
    for (pr = root->data.mapping.pairs.start;
         pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(d, pr->key);
        const char *ks = kw__an_yaml_str(k);
        int ok = 0;

        for (i = 0; ks && i < sizeof(rule_keys) / sizeof(*rule_keys); i++)
            ok |= strcmp(ks, rule_keys[i]) == 0;
        for (i = 0; ks && i < sizeof(plain_lists) / sizeof(*plain_lists);
             i++)
            ok |= strcmp(ks, plain_lists[i].key) == 0;
        if (!ok)
            return kw__an_yaml_err(k, b->err, b->err_n, "unknown key",
                                   ks ? ks : "?");
    }
    nd = kw__an_yaml_get(d, root, "stances");
    if (!nd || nd->type != YAML_MAPPING_NODE)
        return kw__an_yaml_err(nd ? nd : root, b->err, b->err_n,
                               "'stances' must map each stance to its cues",
                               NULL);
    for (pr = nd->data.mapping.pairs.start; pr < nd->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(d, pr->key);
        kw_stance st;

        if (kw_stance_parse(kw__an_yaml_str(k), &st) ||
            st == KW_STANCE_NONE)
            return kw__an_yaml_err(k, b->err, b->err_n, "unknown stance",
                                   kw__an_yaml_str(k));
        rc = add_list(b, &r->cues, yaml_document_get_node(d, pr->value), st,
                      CUE_PLAIN);
        if (rc)
            return rc;
    }
    rc = add_list(b, &r->cues, kw__an_yaml_get(d, root, "denials"),
                  KW_STANCE_DECLINED, CUE_DENIAL);
    if (rc)
        return rc;
    nd = kw__an_yaml_get(d, root, "reversals");
    if (nd && nd->type == YAML_MAPPING_NODE) {
        for (pr = nd->data.mapping.pairs.start;
             pr < nd->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(d, pr->key);
            yaml_node_t *v = yaml_document_get_node(d, pr->value);
            kw_stance st;

            if (kw_stance_parse(kw__an_yaml_str(v), &st))
                return kw__an_yaml_err(v, b->err, b->err_n, "unknown stance",
                                       kw__an_yaml_str(v));
            rc = add_pat(b, &r->cues, k, st, CUE_REVERSAL);
            if (rc)
                return rc;
        }
    } else if (nd) {
        rc = add_list(b, &r->cues, nd, KW_STANCE_NONE, CUE_REVERSAL);
        if (rc)
            return rc;
    }
    rc = add_list(b, &r->cues, kw__an_yaml_get(d, root, "pending"),
                  KW_STANCE_CONSIDERING, CUE_PENDING);
    for (i = 0; !rc && i < sizeof(plain_lists) / sizeof(*plain_lists); i++)
        rc = add_list(b, plain_list(r, i),
                      kw__an_yaml_get(d, root, plain_lists[i].key),
                      KW_STANCE_NONE, CUE_PLAIN);
    if (rc)
        return rc;
    roles = kw__an_yaml_get(d, root, "roles");
    if (roles) {
        rc = add_list(b, &r->subj, kw__an_yaml_get(d, roles, "subject"),
                      KW_STANCE_NONE, CUE_PLAIN);
        if (!rc)
            rc = add_list(b, &r->obj, kw__an_yaml_get(d, roles, "object"),
                          KW_STANCE_NONE, CUE_PLAIN);
        if (!rc)
            rc = add_list(b, &r->coord,
                          kw__an_yaml_get(d, roles, "coordinate"),
                          KW_STANCE_NONE, CUE_PLAIN);
        if (!rc)
            rc = add_list(b, &r->other, kw__an_yaml_get(d, roles, "other"),
                          KW_STANCE_NONE, CUE_PLAIN);
        if (!rc)
            rc = add_list(b, &r->nominative,
                          kw__an_yaml_get(d, roles, "nominative"),
                          KW_STANCE_NONE, CUE_PLAIN);
        if (rc)
            return rc;
    }
    for (i = 0; i < 6; i++) {
        r->neg_flip[i] = KW_STANCE_NONE;
        r->rev_flip[i] = KW_STANCE_NONE;
    }
    rc = read_flip(b, kw__an_yaml_get(d, root, "negation_flip"), r->neg_flip);
    if (!rc)
        rc = read_flip(b, kw__an_yaml_get(d, root, "reversal_flip"),
                       r->rev_flip);
    if (rc)
        return rc;
    rc = read_words(b, kw__an_yaml_get(d, root, "negation_words"),
                    "negation_words must be 0 to 5", 1, &r->negation_words);
    if (!rc)
        rc = read_words(b, kw__an_yaml_get(d, root, "failure_words"),
                        "failure_words must be 0 to 5", 3,
                        &r->failure_words);
    return rc;
}

kw_err kw_rules_parse(const char *p, size_t n, char *err, size_t err_n,
                      kw_rules **out)
{
    yaml_document_t doc;
    rb b;
    kw_err rc;

    *out = NULL;
    if (err && err_n)
        err[0] = 0;
    b.r = kw_calloc(1, sizeof(*b.r));
    if (!b.r)
        return KW_ENOMEM;
    b.r->arena = kw_arena_new();
    if (!b.r->arena) {
        kw_rules_free(b.r);
        return KW_ENOMEM;
    }
    rc = kw__an_yaml_load(p, n, &doc, err, err_n);
    if (rc) {
        kw_rules_free(b.r);
        return rc;
    }
    b.d = &doc;
    b.err = err;
    b.err_n = err_n;
    rc = parse_rules(&b, yaml_document_get_root_node(&doc));
    yaml_document_delete(&doc);
    if (rc) {
        kw_rules_free(b.r);
        return rc;
    }
    *out = b.r;
    return KW_OK;
}
