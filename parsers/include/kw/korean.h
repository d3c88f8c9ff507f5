/*
 * kw/korean.h -- Korean text analysis for search: ICU word breaks, NFKC
 * with case folding, and stripping of particles (조사) and verbal endings
 * from Hangul words, so that '네이버가', '네이버는' and '네이버' share the
 * stem '네이버' while '평가', '주가', '신뢰도', '경기도' and '고양이' keep
 * their last syllable.
 *
 * Words are the ICU (UAX #29 as tailored by ICU) word segments that hold
 * letters or digits.  ICU splits Hangul from Latin and digits:
 * 'AI연구원은' gives 'ai' and '연구원은' (stem '연구원'); letters and
 * digits are split too, which ICU does not do ('Qwen2.5' gives 'qwen'
 * and '2.5', so 'Qwen' finds it and 'Qwen2.5' is the phrase of both
 * words, which also finds 'Qwen 2.5').  A Hangul
 * segment glued to something before it that is only a particle ('LG가',
 * '"카카오"는') is not a word.
 *
 * Stripping is data-driven (tables in korean_strip.c): particles with the
 * consonant/vowel agreement of 이·가, 은·는, 을·를, 과·와, 으로·로, stacked
 * forms (에서는, 으로도, 이라며) built by stripping repeatedly, the endings
 * of 하다/되다 verbs (참여하기로, 선정됐다), and a list of nouns whose
 * last syllables look like a particle and must stay whole.
 *
 * Thread safety: a kw_ko handle is used by one thread at a time; handles
 * are independent.  kw_ko_stem(), kw_ko_stem_alt(), kw_ko_bound_noun()
 * and kw_ko_syllables() are pure (their tables are filled once, under
 * pthread_once).
 */
#ifndef KW_KOREAN_H
#define KW_KOREAN_H

#include <stddef.h>

#include "kw/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kw_ko kw_ko;

/* What a word is made of (by its first character). */
typedef enum kw_ko_kind {
    KW_KO_HANGUL = 1, /* Hangul syllables */
    KW_KO_LATIN,      /* letters other than Hangul (Latin, Greek, ...) */
    KW_KO_NUMBER,     /* digits, "3.5" */
    KW_KO_OTHER,      /* Han, kana and anything else ICU calls a word */
} kw_ko_kind;

/* One word, passed to a kw_ko_cb.  Strings are borrowed: valid only
 * during the callback, and not NUL-terminated. */
typedef struct kw_ko_token {
    const char *norm; /* NFKC + case-folded text of the word */
    size_t norm_n;    /* its length in bytes */
    const char *stem; /* norm without particles/endings (a prefix of
                         norm); equals norm when nothing was stripped */
    size_t stem_n;    /* its length in bytes, >= 1 */
    size_t start;     /* byte offset of the word in the input */
    size_t end;       /* byte offset just past it */
    kw_ko_kind kind;  /* script of the word */
    int is_glued;     /* no space between this word and the previous
                         word (AI|연구원, 하이퍼클로바|X, qwen|2.5) */
    int is_counter;   /* a one-syllable Hangul stem glued after a number:
                         a counter or unit (2|차, 3|명, 15|일), not the
                         noun it looks like */
    size_t alt_n;     /* 0, or the length of a shorter, less certain stem
                         (a prefix of norm): kw_ko_stem_alt() */
} kw_ko_token;

/* Receives one word.  Returning anything but KW_OK stops the analysis;
 * kw_ko_tokenize() then returns that value (KW_EDONE becomes KW_OK). */
typedef kw_err (*kw_ko_cb)(const kw_ko_token *t, void *ud);

/*
 * Creates an analyzer (an ICU word-break iterator and normalizer kept for
 * reuse, which is what makes analysis fast).  KW_OK, KW_ENOMEM, or
 * KW_EPARSE if ICU cannot provide the break rules.  *out is NULL on
 * failure; free with kw_ko_free().
 */
KW_API kw_err kw_ko_new(kw_ko **out);
KW_API void kw_ko_free(kw_ko *ko); /* accepts NULL */

/*
 * Splits p[0..n) (UTF-8, need not be NUL-terminated) into words and calls
 * @cb for each, in order.  Offsets are byte offsets into @p.  Invalid
 * UTF-8 is treated as U+FFFD by ICU and never read past @n.
 * Returns KW_OK, KW_ENOMEM, KW_ETOOBIG (n > INT32_MAX: ICU break offsets
 * are 32-bit), KW_EPARSE (an ICU failure), or @cb's non-OK value.
 */
KW_API kw_err kw_ko_tokenize(kw_ko *ko, const char *p, size_t n, kw_ko_cb cb,
                             void *ud);

/* For tests and benchmarks: 1 sends every chunk of text through ICU's
 * break iterator, bypassing the scanner for ASCII and Hangul, which must
 * give the same words. */
KW_API void kw_ko_set_icu_only(kw_ko *ko, int is_icu_only);

/*
 * Returns the length in bytes of the stem of the Hangul word p[0..n),
 * already normalized (kw_ko_token.norm).  The stem is a prefix; n when
 * nothing is stripped.  Bytes that are not Hangul syllables end the part
 * that can be stripped: only a trailing run of syllables is examined.
 */
KW_API size_t kw_ko_stem(const char *p, size_t n);

/*
 * A second stem for words the stripper leaves whole because a rule could
 * also eat the end of a noun: a one-syllable noun followed by particles
 * that need a longer stem (말로, 몸과, 차가, 곳의: the rule keeps 정도,
 * 회의, 추가 whole), or a cut refused only because a protected noun
 * seems to sit inside the word (감정|의 against 정의).  Not for a verb
 * made of a one-syllable noun (위해, 대한: not about 위, 대).  Returns
 * the length of that stem (a prefix of p), or 0 when there is none.
 * Meant for documents, where an extra colocated term costs little;
 * queries use kw_ko_stem() alone.  Pure.
 */
KW_API size_t kw_ko_stem_alt(const char *p, size_t n);

/*
 * The length of a bound noun (때, 것, 거, 줄, 뿐, 듯) that ends the stem
 * p[0..n) right after an adnominal verb form -- a syllable with final ㄴ
 * or ㄹ (사용할때, 하는것: written without the space the norm asks for) --
 * or 0.  Pure.
 */
KW_API size_t kw_ko_bound_noun(const char *p, size_t n);

/* True if the whole of p[0..n) is a particle or a stack of particles
 * ('가', '에서는', '으로도'), agreement aside. */
KW_API int kw_ko_is_particle(const char *p, size_t n);

/* The number of Hangul syllables in p[0..n) if it is made of nothing
 * else, otherwise 0. */
KW_API size_t kw_ko_syllables(const char *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* KW_KOREAN_H */
