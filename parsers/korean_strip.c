/*
 * korean_strip.c -- stripping of Korean particles (조사) and of the
 * endings of 하다/되다 verbs from a Hangul word, driven by three tables:
 *
 *   particles   each with the agreement it needs with the syllable before
 *               it (이/은/을/과/으로 after a final consonant, 가/는/를/와/로
 *               after a vowel, 로 also after ㄹ) and the fewest syllables
 *               the stem must keep (도, 만, 의 need two: 정도, 불만, 회의);
 *   verbal      syllables of 하다/되다 (하, 했, 된, ...) that may be cut
 *               off together with a tail made only of ending syllables
 *               (참여|하기로, 선정|됐다); the stem keeps two syllables;
 *   protected   nouns that merely end like a particle (고양이, 신뢰도,
 *               경기도, 주가, 결과): no cut may fall inside one of them.
 *
 * Stacked particles (에서는, 으로도, 과의) are stripped one at a time, up
 * to MAX_STRIPS times.  Words are NFKC-normalized already; only the
 * trailing run of Hangul syllables is looked at.
 */
#include <stdlib.h>
#include <string.h>

#include "kw/korean.h"

#define SYL 3         /* bytes of a Hangul syllable in UTF-8 */
#define MAX_STRIPS 3  /* stacked particles stripped at most */
#define MAX_PROT 6    /* syllables of the longest protected noun */
#define MAX_TAIL 5    /* syllables of the longest verbal tail */

/* Agreement of a particle with the last syllable of the stem. */
enum agree {
    ANY = 0,    /* after anything */
    CONS,       /* after a final consonant (받침) */
    CONS_NOT_L, /* after a final consonant other than ㄹ (으로) */
    VOWEL,      /* after a vowel */
    VOWEL_L,    /* after a vowel or ㄹ (로) */
};

typedef struct particle {
    const char *s;          /* the particle, UTF-8 */
    unsigned char len;      /* its length in bytes */
    unsigned char agree;    /* enum agree */
    unsigned char min_stem; /* syllables the stem must keep */
} particle;

/* Longest first is not needed: the longest match is chosen in code. */
#define P(s, agree, min) {s, sizeof(s) - 1, agree, min}
static const particle particles[] = {
    P("이", CONS, 1),       P("가", VOWEL, 1),       P("은", CONS, 1),
    P("는", VOWEL, 1),      P("을", CONS, 1),        P("를", VOWEL, 1),
    P("과", CONS, 2),       P("와", VOWEL, 1),       P("으로", CONS_NOT_L, 1),
    P("로", VOWEL_L, 2),    P("으로서", CONS_NOT_L, 1), P("로서", VOWEL_L, 1),
    P("으로써", CONS_NOT_L, 1), P("로써", VOWEL_L, 1), P("의", ANY, 2),
    P("에", ANY, 1),        P("에서", ANY, 1),       P("에게", ANY, 1),
    P("에겐", ANY, 1),      P("에선", ANY, 1),       P("엔", ANY, 2),
    P("께", ANY, 2),        P("께서", ANY, 1),       P("도", ANY, 2),
    P("만", ANY, 2),        P("까지", ANY, 1),       P("부터", ANY, 1),
    P("처럼", ANY, 1),      P("보다", ANY, 1),       P("마저", ANY, 1),
    P("조차", ANY, 1),      P("밖에", ANY, 1),       P("한테", ANY, 1),
    P("이나", CONS, 1),     P("나", VOWEL, 2),       P("이랑", CONS, 1),
    P("랑", VOWEL, 1),      P("대로", ANY, 2),       P("뿐", ANY, 1),
    P("들", ANY, 2),        P("이란", CONS, 1),      P("란", VOWEL, 2),
    P("이다", CONS, 1),     P("이라", CONS, 1),      P("이라며", CONS, 1),
    P("라며", VOWEL, 1),    P("이라고", CONS, 1),    P("라고", VOWEL, 1),
    P("이라는", CONS, 1),   P("라는", VOWEL, 1),     P("이며", CONS, 1),
    P("이고", CONS, 1),     P("이었다", CONS, 1),    P("였다", VOWEL, 1),
    P("입니다", ANY, 1),    P("이지만", CONS, 1),    P("이자", CONS, 1),
    P("이에요", CONS, 1),   P("예요", VOWEL, 1),     P("이야", CONS, 1),
    P("이든", CONS, 1),     P("든", VOWEL, 2),
};
#undef P

/* Syllables that start the inflected part of a 하다/되다 verb. */
static const char *const verbal[] = {
    "하", "한", "할", "함", "합", "해", "했", "되", "된", "될", "됨", "됩",
    "돼", "됐",
};

/* Syllables that may follow a verbal syllable within an ending. */
static const char ending_syllables[] =
    "다고며면서지기로는니습여였어었게겠려자도데만요죠나라던든을를은이가에"
    "의와과까부터록음임야므써엔선께러했된될할한해합함되하않";

/* Nouns that end like a particle or a verb; sorted by bytes (strcmp). */
#define K(s) {s, sizeof(s) - 1}
static const kw_str protected_nouns[] = {
    K("가을"), K("강원도"), K("결과"), K("경기도"), K("경도"), K("경상도"),
    K("고가"), K("고양이"), K("교차로"), K("길이"), K("깊이"), K("난이도"),
    K("넓이"), K("논의"), K("놀이"), K("높이"), K("대가"), K("도로"),
    K("동의"), K("마을"), K("만족도"), K("먹이"), K("민주주의"), K("부가"),
    K("선호도"), K("성과"), K("시가"), K("신뢰도"), K("어린이"), K("여가"),
    K("완성도"), K("울릉도"), K("원숭이"), K("의의"), K("의존도"), K("인지도"),
    K("저가"), K("전라도"), K("정의"), K("제도"), K("제주도"), K("주가"),
    K("주의"), K("지도"), K("집중도"), K("충청도"), K("통과"), K("편의"),
    K("학과"), K("한도"), K("합의"), K("협의"), K("호가"), K("호랑이"),
    K("활로"), K("회의"), K("효과"),
};
#undef K

/* The last syllables of the protected nouns: a quick test before the
 * binary search. */
static const char protected_finals[] = "을도과이가로의";

/* Decodes the 3-byte UTF-8 sequence at @p; 0 if not a Hangul syllable. */
static unsigned syllable_at(const unsigned char *p)
{
    unsigned cp;

    if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 ||
        (p[2] & 0xC0) != 0x80)
        return 0;
    cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) |
         (unsigned)(p[2] & 0x3F);
    if (cp < 0xAC00 || cp > 0xD7A3)
        return 0;
    return cp;
}

/* Final consonant index of syllable @cp: 0 none, 8 is ㄹ. */
static unsigned jong(unsigned cp)
{
    return (cp - 0xAC00) % 28;
}

static int agrees(unsigned last, unsigned char agree)
{
    unsigned j = jong(last);

    switch (agree) {
    case CONS:
        return j != 0;
    case CONS_NOT_L:
        return j != 0 && j != 8;
    case VOWEL:
        return j == 0;
    case VOWEL_L:
        return j == 0 || j == 8;
    default:
        return 1;
    }
}

size_t kw_ko_syllables(const char *p, size_t n)
{
    size_t i;

    if (n == 0 || n % SYL)
        return 0;
    for (i = 0; i < n; i += SYL) {
        if (!syllable_at((const unsigned char *)p + i))
            return 0;
    }
    return n / SYL;
}

/* True if the 3 bytes at @a and @b are equal. */
static int same3(const char *a, const char *b)
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
}

static int is_protected_final(const char *syl)
{
    size_t i;

    for (i = 0; i + SYL < sizeof(protected_finals); i += SYL) {
        if (same3(syl, protected_finals + i))
            return 1;
    }
    return 0;
}

static int cmp_prot(const void *key, const void *elem)
{
    const kw_str *k = key;
    const char *s = ((const kw_str *)elem)->p;
    size_t sn = ((const kw_str *)elem)->n;
    int c = memcmp(k->p, s, k->n < sn ? k->n : sn);

    if (c)
        return c;
    return k->n < sn ? -1 : (k->n > sn ? 1 : 0);
}

static int is_protected(const char *p, size_t n)
{
    kw_str k;

    k.p = p;
    k.n = n;
    return bsearch(&k, protected_nouns,
                   sizeof(protected_nouns) / sizeof(protected_nouns[0]),
                   sizeof(protected_nouns[0]), cmp_prot) != NULL;
}

/* True if cutting the syllable run w[0..n) at byte @c would split a
 * protected noun: one that starts before @c and ends after it. */
static int cut_splits_noun(const char *w, size_t n, size_t c)
{
    size_t a, b;

    for (a = c >= MAX_PROT * SYL ? c - (MAX_PROT - 1) * SYL : 0; a < c;
         a += SYL) {
        for (b = c + SYL; b <= n && b - a <= MAX_PROT * SYL; b += SYL) {
            if (is_protected_final(w + b - SYL) && is_protected(w + a, b - a))
                return 1;
        }
    }
    return 0;
}

/* Strips the longest particle allowed at the end of the syllable run
 * w[0..n); returns the new length, or n if none applies. */
static size_t strip_particle(const char *w, size_t n)
{
    size_t best = n, i;

    for (i = 0; i < sizeof(particles) / sizeof(particles[0]); i++) {
        const particle *pt = &particles[i];
        size_t pn = pt->len, c;

        if (pn >= n || !same3(w + n - SYL, pt->s + pn - SYL) ||
            memcmp(w + n - pn, pt->s, pn) != 0)
            continue;
        c = n - pn;
        if (c / SYL < pt->min_stem || c >= best)
            continue;
        if (!agrees(syllable_at((const unsigned char *)w + c - SYL),
                    pt->agree))
            continue;
        if (cut_splits_noun(w, n, c))
            continue;
        best = c;
    }
    return best;
}

static int is_verbal(const char *s)
{
    size_t i;

    for (i = 0; i < sizeof(verbal) / sizeof(verbal[0]); i++) {
        if (same3(s, verbal[i]))
            return 1;
    }
    return 0;
}

static int is_ending_syllable(const char *s)
{
    size_t i;

    for (i = 0; i + SYL <= sizeof(ending_syllables) - 1; i += SYL) {
        if (same3(s, ending_syllables + i))
            return 1;
    }
    return 0;
}

/* Cuts a 하다/되다 ending off the syllable run w[0..n): the leftmost
 * verbal syllable after at least two syllables whose tail is made of
 * ending syllables.  Returns the stem length, or n. */
static size_t strip_verbal(const char *w, size_t n)
{
    size_t c, t;

    for (c = 2 * SYL; c < n; c += SYL) {
        if (!is_verbal(w + c))
            continue;
        if ((n - c) / SYL > MAX_TAIL + 1)
            continue;
        for (t = c + SYL; t < n; t += SYL) {
            if (!is_ending_syllable(w + t))
                break;
        }
        if (t < n)
            continue;
        if (cut_splits_noun(w, n, c))
            continue;
        return c;
    }
    return n;
}

size_t kw_ko_stem(const char *p, size_t n)
{
    size_t run = n, len, next;
    int i;

    /* The trailing run of syllables, w = p + (n - run_n). */
    while (run >= SYL && syllable_at((const unsigned char *)p + run - SYL))
        run -= SYL;
    if (n - run < 2 * SYL)
        return n;
    len = strip_verbal(p + run, n - run);
    if (len < n - run)
        return run + len;
    for (i = 0; i < MAX_STRIPS; i++) {
        next = strip_particle(p + run, len);
        if (next == len)
            break;
        len = next;
    }
    return run + len;
}

/* True if p[0..n) is empty or a stack of particles. */
static int is_particles(const char *p, size_t n)
{
    size_t i;

    if (n == 0)
        return 1;
    for (i = 0; i < sizeof(particles) / sizeof(particles[0]); i++) {
        size_t pn = particles[i].len;

        if (pn <= n && memcmp(p + n - pn, particles[i].s, pn) == 0 &&
            is_particles(p, n - pn))
            return 1;
    }
    return 0;
}

int kw_ko_is_particle(const char *p, size_t n)
{
    if (!kw_ko_syllables(p, n))
        return 0;
    return is_particles(p, n);
}
