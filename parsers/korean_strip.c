/*
 * korean_strip.c -- stripping of Korean particles (조사), copula forms
 * and verb endings from a Hangul word, driven by tables:
 *
 *   particles   each with the agreement it needs with the syllable before
 *               it (이/은/을/과/으로 after a final consonant, 가/는/를/와/로
 *               after a vowel, 로 also after ㄹ) and the fewest syllables
 *               the stem must keep (이, 가, 도, 만, 의 need two: 나이,
 *               추가, 정도, 불만, 회의);
 *   verbal      syllables of 하다/되다/받다 (하, 했, 된, 받, ...) and pairs
 *               of -스럽다/시키다 that may be cut off together with a
 *               tail made only of ending syllables (참여|하기로,
 *               선정|됐다, 만족|스러운); the stem keeps two syllables;
 *   copula      이다 glued to a noun (목적|이었을, 제품|이라서, 책|인지);
 *   protected   nouns that merely end like a particle (고양이, 신뢰도,
 *               경기도, 주가, 결과, 정도): no cut may fall inside one.
 *
 * Stacked particles (에서는, 으로도, 과의) are stripped one at a time, up
 * to MAX_STRIPS times, and only particles that can stand inside a stack
 * are stripped after the first (inner_particles): '원산도가' keeps 도.
 * kw_ko_stem_alt() applies lenient rules (a one-syllable stem; only a
 * protected noun that starts the word blocks a cut) for a second stem
 * that documents carry beside the sure one.  Words are NFKC-normalized
 * already; only the trailing run of Hangul syllables is looked at.
 * Per-syllable flags, filled once, replace scans of the tables.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kw/korean.h"

#define SYL 3         /* bytes of a Hangul syllable in UTF-8 */
#define MAX_STRIPS 3  /* stacked particles stripped at most */
#define MAX_PROT 6    /* syllables of the longest protected noun */
#define MAX_TAIL 8    /* syllables of the longest verbal tail
                         (반응|하지않고있습니다) */
#define N_SYL 11172   /* Hangul syllables U+AC00..U+D7A3 */

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
    P("이", CONS, 2),       P("가", VOWEL, 2),       P("은", CONS, 1),
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
    P("이든", CONS, 1),     P("든", VOWEL, 2),       P("마다", ANY, 1),
};
#undef P

/* Syllables that start the inflected part of a 하다/되다 verb. */
static const char *const verbal[] = {
    "하", "한", "할", "함", "합", "해", "했", "되", "된", "될", "됨", "됩",
    "돼", "됐", "받",
};

/* Two-syllable starts of verb endings: the adjective suffix -스럽다
 * (만족스러운, 부담스럽고) and the causative 시키다 (학습시킨).  The
 * flag says the pair can end a word (만족스런, 학습시킨, 학습시켜). */
static const struct {
    const char *s;
    int can_end;
} verbal2[] = {
    {"스럽", 0}, {"스러", 0}, {"스런", 1}, {"스레", 1}, {"시키", 0},
    {"시킨", 1}, {"시킬", 1}, {"시켜", 1}, {"시켰", 0}, {"시킵", 0},
};

/* Copula (이다) forms glued to a noun, beyond the particle table: '이'
 * after a final consonant followed by one of copula_i_next (목적|이었을,
 * 제품|이라서), '인' followed by one of copula_in_next (책|인지,
 * 재질|인데), '라' after a vowel followed by one of copula_ra_next
 * (회사|라서), '였' after a vowel; then ending syllables. */
static const char copula_i_next[] = "었라며고다지자나니면므든야어에여";
static const char copula_in_next[] = "지데가듯걸만";
static const char copula_ra_next[] = "서도면며고는니";

/* Verbal syllables that can end a word (참여한, 참여할, 참여함, 참여해,
 * 선정된, 선정될, 선정됨, 선정돼); 하, 합, 했, 되, 됩, 됐 need more. */
static const char verbal_ends[] = "한할함해된될됨돼";

/* Syllables that may follow a verbal syllable within an ending,
 * including those of the auxiliary verbs that follow -어/-게/-지/-고
 * (주다, 보다, 있다, 없다, 싶다, 않다, 못하다, 놓다, 두다, 버리다:
 * 관리|해줘야, 반응|하지않고있습니다). */
static const char ending_syllables[] =
    "다고며면서지기로는니습여였어었게겠려자도데만요죠나라던든을를은이가에"
    "의와과까부터록음임야므써엔선께러했된될할한해합함되하않"
    "주줘줬준줄줍보봐봤본볼봅있없싶못놓놔놨두뒀둔버렸린릴립"
    "수록것거네구군습셨시세십겠으드리아았듯걸까운워웠웁져졌진질잖건";

/* Nouns that end like a particle or a verb; sorted by bytes (strcmp). */
#define K(s) {s, sizeof(s) - 1}
static const kw_str protected_nouns[] = {
    K("가을"), K("각도"), K("강도"), K("강원도"), K("강의"), K("건의"),
    K("결과"), K("결의"), K("경과"), K("경기도"), K("경도"), K("경로"),
    K("경상도"), K("고가"), K("고도"), K("고양이"), K("교과"), K("교차로"),
    K("길이"), K("깊이"), K("난이도"), K("넓이"), K("논의"), K("놀이"),
    K("농도"), K("높이"), K("대가"), K("도로"), K("동의"), K("마을"),
    K("만족도"), K("먹이"), K("모의"), K("문의"), K("미로"), K("민주주의"),
    K("밀도"), K("부가"), K("부과"), K("불만"), K("빈도"), K("사과"),
    K("선로"), K("선호도"), K("성과"), K("속도"), K("수도"), K("시가"),
    K("시도"), K("신뢰도"), K("어린이"), K("여가"), K("예의"), K("온도"),
    K("완성도"), K("용도"), K("울릉도"), K("원숭이"), K("의도"), K("의의"),
    K("의존도"), K("인지도"), K("일과"), K("저가"), K("전라도"), K("정도"),
    K("정의"), K("제도"), K("제주도"), K("주가"), K("주의"), K("지도"),
    K("진도"), K("진로"), K("집중도"), K("척도"), K("초과"), K("추가"),
    K("충만"), K("충청도"), K("태도"), K("통과"), K("통로"), K("편의"),
    K("하나"), K("학과"), K("한도"), K("합의"), K("항로"), K("협의"),
    K("호가"), K("호랑이"), K("활로"), K("회로"), K("회의"), K("효과"),
};
#undef K

/* The last syllables of the protected nouns: a quick test before the
 * binary search. */
static const char protected_finals[] = "을도과이가로의만나";

/* Particles that another particle may follow (공모|에서|는, 한국|으로|도,
 * 네이버|와|의, 기업|들|이).  The rest -- 이/가, 은/는, 을/를, 도, 의,
 * 나, the copula forms -- end a word, so they are never stripped from
 * under another particle: '원산도가' is '원산도' + 가, not '원산' + 도 +
 * 가. */
static const char *const inner_particles[] = {
    "에", "에서", "에게", "께", "께서", "으로", "로", "으로서", "로서",
    "으로써", "로써", "과", "와", "까지", "부터", "만", "처럼", "보다",
    "마저", "조차", "밖에", "한테", "대로", "들", "뿐", "이랑", "랑", "마다",
};

static int is_inner_particle(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof(inner_particles) / sizeof(inner_particles[0]);
         i++) {
        if (strlen(inner_particles[i]) == n &&
            memcmp(inner_particles[i], s, n) == 0)
            return 1;
    }
    return 0;
}

/* Properties of each Hangul syllable, indexed by code point - U+AC00,
 * filled once from the tables above: the linear scans they replace were
 * a tenth of indexing time. */
enum {
    F_VERBAL = 1,     /* in verbal[] */
    F_ENDING = 2,     /* in ending_syllables[] */
    F_PROT_FINAL = 4, /* in protected_finals[] */
    F_PART_LAST = 8,  /* the last syllable of some particle */
    F_VERBAL_END = 16, /* in verbal_ends[] */
    F_PART_FIRST = 32, /* the first syllable of some particle */
    F_VERBAL2 = 64,    /* a syllable of verbal2[] */
};
static unsigned char syl_flags[N_SYL];
#define N_PARTICLES (sizeof(particles) / sizeof(particles[0]))
static unsigned char particle_inner[N_PARTICLES]; /* is_inner_particle */
/* Bit i set: particles[i] ends with this syllable. */
static uint64_t particle_by_last[N_SYL];
_Static_assert(N_PARTICLES <= 64, "particle_by_last holds 64 particles");
static pthread_once_t syl_once = PTHREAD_ONCE_INIT;

static unsigned decode3(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    return ((unsigned)(u[0] & 0x0F) << 12) | ((unsigned)(u[1] & 0x3F) << 6) |
           (unsigned)(u[2] & 0x3F);
}

static void flag_all(const char *s, size_t n, unsigned char f)
{
    size_t i;

    for (i = 0; i + SYL <= n; i += SYL)
        syl_flags[decode3(s + i) - 0xAC00] |= f;
}

static void syl_init(void)
{
    size_t i;

    for (i = 0; i < sizeof(verbal) / sizeof(verbal[0]); i++)
        flag_all(verbal[i], SYL, F_VERBAL);
    flag_all(ending_syllables, sizeof(ending_syllables) - 1, F_ENDING);
    flag_all(verbal_ends, sizeof(verbal_ends) - 1, F_VERBAL_END);
    for (i = 0; i < sizeof(verbal2) / sizeof(verbal2[0]); i++)
        flag_all(verbal2[i].s, 2 * SYL, F_VERBAL2);
    flag_all(protected_finals, sizeof(protected_finals) - 1, F_PROT_FINAL);
    for (i = 0; i < sizeof(particles) / sizeof(particles[0]); i++) {
        flag_all(particles[i].s + particles[i].len - SYL, SYL, F_PART_LAST);
        flag_all(particles[i].s, SYL, F_PART_FIRST);
        particle_by_last[decode3(particles[i].s + particles[i].len - SYL) -
                         0xAC00] |= (uint64_t)1 << i;
        particle_inner[i] =
            (unsigned char)is_inner_particle(particles[i].s, particles[i].len);
    }
}

/* The flags of the syllable at @s, which must be one. */
static unsigned flags_of(const char *s)
{
    return syl_flags[decode3(s) - 0xAC00];
}

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
    return (flags_of(syl) & F_PROT_FINAL) != 0;
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
static int cut_splits_noun(const char *w, size_t n, size_t c,
                           int is_lenient)
{
    size_t a, b, a0 = c >= MAX_PROT * SYL ? c - (MAX_PROT - 1) * SYL : 0;

    /* A cut right after a protected noun splits nothing, whatever else
     * looks like a noun across it: 정도|로 (not 정|도로), 경기도|로. */
    if (is_protected_final(w + c - SYL)) {
        for (a = a0; a + SYL < c; a += SYL) {
            if (is_protected(w + a, c - a))
                return 0;
        }
    }
    for (b = c + SYL; b <= n && b - a0 <= MAX_PROT * SYL + SYL; b += SYL) {
        if (!is_protected_final(w + b - SYL))
            continue;
        for (a = a0; a < c; a += SYL) {
            if (is_lenient && a > 0)
                break; /* lenient: only a noun the word starts with */
            if (b - a <= MAX_PROT * SYL && is_protected(w + a, b - a))
                return 1;
        }
    }
    return 0;
}

/* Strips the longest particle allowed at the end of the syllable run
 * w[0..n), only an inner one if @is_inner (the second and later strips);
 * returns the new length, or n if none applies. */
static size_t strip_particle(const char *w, size_t n, int is_inner,
                             int is_lenient)
{
    uint64_t m = particle_by_last[decode3(w + n - SYL) - 0xAC00];
    size_t best = n, i;

    for (i = 0; m; i++, m >>= 1) {
        const particle *pt = &particles[i];
        size_t pn = pt->len, c;

        if (!(m & 1))
            continue;
        if (pn >= n || memcmp(w + n - pn, pt->s, pn) != 0)
            continue;
        c = n - pn;
        if (c / SYL < (is_lenient ? 1u : pt->min_stem) || c >= best)
            continue;
        if (is_inner && !particle_inner[i])
            continue;
        if (!agrees(syllable_at((const unsigned char *)w + c - SYL),
                    pt->agree))
            continue;
        if (cut_splits_noun(w, n, c, is_lenient))
            continue;
        best = c;
    }
    return best;
}

static int is_verbal(const char *s)
{
    return (flags_of(s) & F_VERBAL) != 0;
}

static int is_ending_syllable(const char *s)
{
    return (flags_of(s) & F_ENDING) != 0;
}

/* True if every syllable of w[t..n) may be part of an ending. */
static int is_ending_tail(const char *w, size_t t, size_t n)
{
    for (; t < n; t += SYL) {
        if (!is_ending_syllable(w + t))
            return 0;
    }
    return 1;
}

/* True if the 3 bytes at @s are one of the syllables of @set. */
static int in_set(const char *s, const char *set)
{
    for (; *set; set += SYL) {
        if (same3(s, set))
            return 1;
    }
    return 0;
}

/* The length of a two-syllable verbal start (verbal2) at w + c, or 0;
 * *can_end tells whether it may end the word. */
static size_t verbal2_at(const char *w, size_t n, size_t c, int *can_end)
{
    size_t i;

    if (c + 2 * SYL > n)
        return 0;
    for (i = 0; i < sizeof(verbal2) / sizeof(verbal2[0]); i++) {
        if (memcmp(w + c, verbal2[i].s, 2 * SYL) == 0) {
            *can_end = verbal2[i].can_end;
            return 2 * SYL;
        }
    }
    return 0;
}

/* Cuts a verb ending off the syllable run w[0..n): the leftmost verbal
 * syllable (하다, 되다, 받다) or pair (스럽다, 시키다) after at least
 * @min syllables whose tail is made of ending syllables.  Returns the
 * stem length, or n. */
static size_t strip_verbal(const char *w, size_t n, size_t min,
                           int is_lenient)
{
    size_t c, v;

    for (c = min * SYL; c < n; c += SYL) {
        int can_end = 0;

        if (is_verbal(w + c)) {
            v = SYL;
            can_end = (flags_of(w + c) & F_VERBAL_END) != 0;
        } else {
            v = verbal2_at(w, n, c, &can_end);
            if (!v)
                continue;
        }
        if ((n - c) / SYL > MAX_TAIL + 1 || !is_ending_tail(w, c + v, n))
            continue;
        /* Nothing after it: only a syllable that can end a verb form
         * (참여한, 참여함, 선정돼), not 하/합/되 (조합, 연합, 지하). */
        if (c + v == n && !can_end)
            continue;
        if (cut_splits_noun(w, n, c, is_lenient))
            continue;
        return c;
    }
    return n;
}

/* Cuts a copula form (see copula_i_next) off w[0..n), leftmost first,
 * keeping at least @min syllables.  Returns the stem length, or n. */
static size_t strip_copula(const char *w, size_t n, size_t min,
                           int is_lenient)
{
    size_t c;

    for (c = min * SYL; c + 2 * SYL <= n; c += SYL) {
        unsigned prev = syllable_at((const unsigned char *)w + c - SYL);
        const char *next = w + c + SYL;
        int ok;

        if (same3(w + c, "이"))
            ok = jong(prev) != 0 && in_set(next, copula_i_next);
        else if (same3(w + c, "인"))
            ok = in_set(next, copula_in_next);
        else if (same3(w + c, "라"))
            ok = jong(prev) == 0 && in_set(next, copula_ra_next);
        else if (same3(w + c, "였"))
            ok = jong(prev) == 0;
        else
            continue;
        if (!ok || !is_ending_tail(w, c + 2 * SYL, n) ||
            cut_splits_noun(w, n, c, is_lenient))
            continue;
        return c;
    }
    return n;
}

/* The stem length of the syllable run w[0..n) (n >= 2 syllables).  The
 * lenient rules (for kw_ko_stem_alt) let every cut keep one syllable and
 * let only a protected noun that starts the word block a cut. */
static size_t stem_run(const char *w, size_t n, int is_lenient)
{
    size_t len, next;
    int i, strips = 0;

    /* A verb made of a one-syllable noun is not about the noun (위해,
     * 대한, 통해, 속하는): no lenient cut there. */
    len = strip_verbal(w, n, 2, is_lenient);
    if (len < n)
        return len;
    len = strip_copula(w, n, 1, is_lenient);
    if (len < n)
        strips = 1; /* only inner particles may come before a copula */
    for (i = 0; i < MAX_STRIPS; i++) {
        next = strip_particle(w, len, strips > 0, is_lenient);
        if (next == len)
            break;
        len = next;
        strips++;
    }
    return len;
}

size_t kw_ko_stem(const char *p, size_t n)
{
    size_t run = n;

    /* The trailing run of syllables, w = p + (n - run_n). */
    while (run >= SYL && syllable_at((const unsigned char *)p + run - SYL))
        run -= SYL;
    if (n - run < 2 * SYL)
        return n;
    pthread_once(&syl_once, syl_init);
    /* Nothing to strip unless the word ends in a particle or in (an
     * ending of) a verb. */
    if (!(flags_of(p + n - SYL) &
          (F_PART_LAST | F_ENDING | F_VERBAL | F_VERBAL2)))
        return n;
    return run + stem_run(p + run, n - run, 0);
}

size_t kw_ko_stem_alt(const char *p, size_t n)
{
    size_t syl = kw_ko_syllables(p, n), i, strict, lenient;
    int has_prot = 0;

    if (syl < 2)
        return 0;
    pthread_once(&syl_once, syl_init);
    if (!(flags_of(p + n - SYL) &
          (F_PART_LAST | F_ENDING | F_VERBAL | F_VERBAL2)))
        return 0;
    /* The lenient rules can differ only for a short word whose second
     * syllable may start a particle or an ending (말|로, 말|한다), or
     * for a word with a protected noun after its start (감|정의). */
    for (i = SYL; i < n && !has_prot; i += SYL)
        has_prot = (flags_of(p + i) & F_PROT_FINAL) != 0;
    if (!has_prot && (syl > 2 + MAX_TAIL ||
                      !(flags_of(p + SYL) & (F_PART_FIRST | F_VERBAL))))
        return 0;
    strict = stem_run(p, n, 0);
    lenient = stem_run(p, n, 1);
    return lenient < strict ? lenient : 0;
}

/* Bound nouns (의존명사) that writers glue to the verb form before them
 * (사용할때, 갈때마다, 하는것): time, thing, knowledge, only, as if. */
static const char bound_nouns[] = "때것거줄뿐듯";

size_t kw_ko_bound_noun(const char *p, size_t n)
{
    unsigned prev;

    if (n < 2 * SYL || !syllable_at((const unsigned char *)p + n - SYL) ||
        !in_set(p + n - SYL, bound_nouns))
        return 0;
    prev = syllable_at((const unsigned char *)p + n - 2 * SYL);
    /* After an adnominal ending: a final ㄴ or ㄹ (할때, 한것). */
    if (!prev || (jong(prev) != 4 && jong(prev) != 8))
        return 0;
    return SYL;
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
    pthread_once(&syl_once, syl_init);
    if (!(flags_of(p + n - SYL) & F_PART_LAST))
        return 0;
    return is_particles(p, n);
}
