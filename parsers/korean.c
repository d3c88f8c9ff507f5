/*
 * korean.c -- Korean text analysis for search (see kw/korean.h): ICU word
 * breaks over the UTF-8 text itself (a UText, so break positions are byte
 * offsets into the caller's text and nothing is copied), NFKC with case
 * folding (ICU's nfkc_cf normalizer) per word, and the particle stripper
 * of korean_strip.c for Hangul words.
 *
 * Speed: text is cut at ASCII white space (no word crosses it).  A chunk
 * made only of ASCII and precomposed Hangul syllables -- nearly all of a
 * Korean news text -- is segmented by a small scanner that implements
 * ICU's rules for those characters (tested against ICU), and its words
 * are already in NFKC case-folded form except for ASCII capitals, which
 * are lowered byte by byte.  Other chunks go through ICU's break
 * iterator and normalizer, created once per handle and re-pointed at
 * each chunk.
 */
#include <stdint.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "kw/korean.h"

#define SYL 3 /* bytes of a Hangul syllable in UTF-8 */

struct kw_ko {
    UBreakIterator *bi;      /* word-break iterator, reused */
    UText *ut;               /* UTF-8 UText over the current input */
    const UNormalizer2 *nfkc_cf; /* ICU-owned singleton */
    char *norm;              /* the current word, normalized */
    size_t norm_cap;         /* bytes allocated at norm */
    UChar *u16;              /* UTF-16 scratch for ICU normalization */
    size_t u16_cap;          /* UChars allocated at u16 */
    int is_icu_only;         /* no fast path (kw_ko_set_icu_only) */
};

kw_err kw_ko_new(kw_ko **out)
{
    UErrorCode ue = U_ZERO_ERROR;
    kw_ko *ko;

    *out = NULL;
    ko = kw_calloc(1, sizeof(*ko));
    if (!ko)
        return KW_ENOMEM;
    ko->nfkc_cf = unorm2_getNFKCCasefoldInstance(&ue);
    if (U_SUCCESS(ue))
        ko->bi = ubrk_open(UBRK_WORD, "ko", NULL, 0, &ue);
    if (U_SUCCESS(ue))
        ko->ut = utext_openUTF8(NULL, "", 0, &ue);
    if (U_FAILURE(ue)) {
        kw_ko_free(ko);
        return ue == U_MEMORY_ALLOCATION_ERROR ? KW_ENOMEM : KW_EPARSE;
    }
    *out = ko;
    return KW_OK;
}

void kw_ko_free(kw_ko *ko)
{
    if (!ko)
        return;
    if (ko->bi)
        ubrk_close(ko->bi);
    if (ko->ut)
        utext_close(ko->ut);
    kw_free(ko->norm);
    kw_free(ko->u16);
    kw_free(ko);
}

/* Makes room for @n bytes at ko->norm. */
static kw_err norm_reserve(kw_ko *ko, size_t n)
{
    char *p;

    if (n <= ko->norm_cap)
        return KW_OK;
    n = n < 64 ? 64 : n * 2;
    p = kw_realloc(ko->norm, n);
    if (!p)
        return KW_ENOMEM;
    ko->norm = p;
    ko->norm_cap = n;
    return KW_OK;
}

static kw_err u16_reserve(kw_ko *ko, size_t n)
{
    UChar *p;

    if (n <= ko->u16_cap)
        return KW_OK;
    n = n < 64 ? 64 : n * 2;
    p = kw_realloc(ko->u16, n * sizeof(UChar));
    if (!p)
        return KW_ENOMEM;
    ko->u16 = p;
    ko->u16_cap = n;
    return KW_OK;
}

/* True if p[0..n) holds only ASCII and Hangul syllables (U+AC00..U+D7A3,
 * E0-ED lead bytes), which NFKC leaves alone. */
static int is_simple(const unsigned char *p, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned cp;

        if (p[i] < 0x80) {
            i++;
            continue;
        }
        if (i + 3 > n || (p[i] & 0xF0) != 0xE0 || (p[i + 1] & 0xC0) != 0x80 ||
            (p[i + 2] & 0xC0) != 0x80)
            return 0;
        cp = ((unsigned)(p[i] & 0x0F) << 12) |
             ((unsigned)(p[i + 1] & 0x3F) << 6) | (unsigned)(p[i + 2] & 0x3F);
        if (cp < 0xAC00 || cp > 0xD7A3)
            return 0;
        i += 3;
    }
    return 1;
}

/* Normalizes the word p[0..n) into ko->norm; *out_n gets its length. */
static kw_err normalize(kw_ko *ko, const char *p, size_t n, int is_known,
                        size_t *out_n)
{
    UErrorCode ue = U_ZERO_ERROR;
    int32_t u16_n = 0, norm_n = 0, out8 = 0;
    kw_err rc;
    size_t i;

    *out_n = 0;
    if (is_known || is_simple((const unsigned char *)p, n)) {
        rc = norm_reserve(ko, n);
        if (rc)
            return rc;
        for (i = 0; i < n; i++) {
            char c = p[i];

            ko->norm[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        *out_n = n;
        return KW_OK;
    }
    /* UTF-16 needs at most n units for n UTF-8 bytes; NFKC may expand
     * (U+FDFA becomes 18 characters), hence the retry below. */
    rc = u16_reserve(ko, 2 * n + 2);
    if (rc)
        return rc;
    u_strFromUTF8WithSub(ko->u16, (int32_t)n, &u16_n, p, (int32_t)n, 0xFFFD,
                         NULL, &ue);
    if (U_FAILURE(ue))
        return KW_EPARSE;
    for (;;) {
        size_t room = ko->u16_cap - (size_t)u16_n;

        ue = U_ZERO_ERROR;
        norm_n = unorm2_normalize(ko->nfkc_cf, ko->u16, u16_n,
                                  ko->u16 + u16_n, (int32_t)room, &ue);
        if (ue != U_BUFFER_OVERFLOW_ERROR)
            break;
        rc = u16_reserve(ko, (size_t)u16_n + (size_t)norm_n + 1);
        if (rc)
            return rc;
    }
    if (U_FAILURE(ue))
        return KW_EPARSE;
    rc = norm_reserve(ko, (size_t)norm_n * 3 + 1);
    if (rc)
        return rc;
    ue = U_ZERO_ERROR;
    u_strToUTF8WithSub(ko->norm, (int32_t)ko->norm_cap, &out8,
                       ko->u16 + u16_n, norm_n, 0xFFFD, NULL, &ue);
    if (U_FAILURE(ue))
        return KW_EPARSE;
    *out_n = (size_t)out8;
    return KW_OK;
}

/* The script of a normalized word, from its first character; a word
 * of ASCII only is LATIN if it has a letter, else NUMBER. */
static kw_ko_kind kind_of(const char *p, size_t n, int32_t status)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i;
    int has_letter = 0;

    if (n >= 3 && (u[0] & 0xF0) == 0xE0) {
        unsigned cp = ((unsigned)(u[0] & 0x0F) << 12) |
                      ((unsigned)(u[1] & 0x3F) << 6) |
                      (unsigned)(u[2] & 0x3F);

        if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
            (cp >= 0x3130 && cp <= 0x318F))
            return KW_KO_HANGUL;
    }
    for (i = 0; i < n && u[i] < 0x80; i++) {
        if ((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z')
            has_letter = 1;
    }
    if (i == n)
        return has_letter ? KW_KO_LATIN : KW_KO_NUMBER;
    if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
        return KW_KO_NUMBER;
    if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT)
        return KW_KO_LATIN;
    return KW_KO_OTHER;
}

/* State of one kw_ko_tokenize() call. */
typedef struct scan {
    kw_ko *ko;
    const char *p;        /* the text */
    kw_ko_cb cb;          /* the caller's callback */
    void *ud;             /* and its argument */
    size_t prev_end;      /* end of the last word passed on, or SIZE_MAX */
    kw_ko_kind prev_kind; /* its kind */
} scan;

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Passes one word (or one part of a word) to the callback. */
static kw_err pass_on(scan *sc, kw_ko_token *t)
{
    t->is_glued = sc->prev_end == t->start;
    sc->prev_end = t->end;
    sc->prev_kind = t->kind;
    return sc->cb(t, sc->ud);
}

/*
 * Analyzes the word p[s..e) and passes it on.  @is_known says it holds
 * only ASCII and Hangul syllables; @status is ICU's rule status (for the
 * kind of words outside ASCII and Hangul).  A word of ASCII letters and
 * digits is passed on in parts where a letter meets a digit (qwen|2.5,
 * h|100): ICU keeps them together, but writers do not (Qwen 2.5, H 100),
 * and 'Qwen' must find 'Qwen2.5'.  The parts carry exact offsets when
 * the word was ASCII already, else the offsets of the whole word.
 */
static kw_err word(scan *sc, size_t s, size_t e, int is_known, int32_t status)
{
    kw_ko *ko = sc->ko;
    const char *p = sc->p;
    const unsigned char *u;
    kw_ko_token t;
    size_t norm_n, i, j, k;
    kw_err rc;

    rc = normalize(ko, p + s, e - s, is_known, &norm_n);
    if (rc || norm_n == 0)
        return rc;
    memset(&t, 0, sizeof(t));
    t.start = s;
    t.end = e;
    t.norm = t.stem = ko->norm;
    t.norm_n = t.stem_n = norm_n;
    t.kind = kind_of(ko->norm, norm_n, status);
    if (t.kind == KW_KO_HANGUL) {
        /* 'LG가', '"카카오"는': a particle glued to something that is
         * not Hangul belongs to it and is not a word. */
        if (s > 0 && !is_space_byte(p[s - 1]) &&
            kw_ko_is_particle(ko->norm, norm_n))
            return KW_OK;
        t.stem_n = kw_ko_stem(t.norm, norm_n);
        t.alt_n = kw_ko_stem_alt(t.norm, norm_n);
        /* After a number, a word whose (second) stem is one syllable is
         * a counter: 2|차를, 10|일만에. */
        if (sc->prev_end == s && sc->prev_kind == KW_KO_NUMBER &&
            (t.stem_n == SYL || t.alt_n == SYL)) {
            t.is_counter = 1;
            t.stem_n = SYL;
            t.alt_n = 0;
        }
        return pass_on(sc, &t);
    }
    if (t.kind != KW_KO_LATIN && t.kind != KW_KO_NUMBER)
        return pass_on(sc, &t);
    /* ASCII: split where a letter meets a digit. */
    u = (const unsigned char *)ko->norm;
    if (!is_known)
        is_known = is_simple((const unsigned char *)p + s, e - s);
    for (i = 0; i < norm_n; i = k) {
        int has_letter = 0;

        for (k = i + 1; k < norm_n; k++) {
            if ((is_alpha(u[k - 1]) && is_digit(u[k])) ||
                (is_digit(u[k - 1]) && is_alpha(u[k])))
                break;
        }
        t.norm = t.stem = ko->norm + i;
        t.norm_n = t.stem_n = k - i;
        for (j = i; j < k; j++)
            has_letter |= is_alpha(u[j]);
        t.kind = has_letter ? KW_KO_LATIN : KW_KO_NUMBER;
        if (is_known) { /* ASCII was not changed by normalization */
            t.start = s + i;
            t.end = s + k;
        }
        rc = pass_on(sc, &t);
        if (rc)
            return rc;
    }
    return KW_OK;
}

/* Words of the chunk p[s..e) by ICU's word-break rules. */
static kw_err icu_chunk(scan *sc, size_t s, size_t e)
{
    kw_ko *ko = sc->ko;
    UErrorCode ue = U_ZERO_ERROR;
    int32_t a, b;
    kw_err rc;

    ko->ut = utext_openUTF8(ko->ut, sc->p + s, (int64_t)(e - s), &ue);
    if (U_SUCCESS(ue))
        ubrk_setUText(ko->bi, ko->ut, &ue);
    if (U_FAILURE(ue))
        return ue == U_MEMORY_ALLOCATION_ERROR ? KW_ENOMEM : KW_EPARSE;
    a = ubrk_first(ko->bi);
    for (b = ubrk_next(ko->bi); b != UBRK_DONE; a = b, b = ubrk_next(ko->bi)) {
        int32_t status = ubrk_getRuleStatus(ko->bi);

        if (status < UBRK_WORD_NONE_LIMIT || b <= a)
            continue;
        rc = word(sc, s + (size_t)a, s + (size_t)b, 0, status);
        if (rc)
            return rc;
    }
    return KW_OK;
}

/* Byte classes of the fast path: the UAX #29 Word_Break values of ASCII
 * as ICU 72 has them (':' is not MidLetter there). */
enum { B_OTHER, B_LETTER, B_DIGIT, B_EXTEND, B_MIDNUMLET, B_MIDNUM };

static int bclass(unsigned char c)
{
    if (is_alpha(c) || c == '@') /* ICU counts '@' as a letter */
        return B_LETTER;
    if (is_digit(c))
        return B_DIGIT;
    if (c == '_')
        return B_EXTEND;
    if (c == '.' || c == '\'')
        return B_MIDNUMLET;
    if (c == ',' || c == ';')
        return B_MIDNUM;
    return B_OTHER;
}

/*
 * Words of the chunk p[s..e), made only of ASCII and Hangul syllables,
 * without ICU: the segments ICU's word-break rules give for these
 * characters (a unit test compares the two on random text), at a
 * fraction of the cost.  A run of Hangul syllables is a word; an ASCII
 * word is letters, digits and '_', with '.' or '\'' between two letters
 * or two digits and ',' or ';' between two digits; '_' alone is no word
 * but '__' is.
 */
static kw_err fast_chunk(scan *sc, size_t s, size_t e)
{
    const unsigned char *u = (const unsigned char *)sc->p;
    size_t i = s, k;
    kw_err rc;

    while (i < e) {
        int c = bclass(u[i]), has_alnum;

        if (u[i] >= 0x80) {
            for (k = i + 3; k < e && u[k] >= 0x80; k += 3)
                ;
            rc = word(sc, i, k, 1, UBRK_WORD_LETTER);
            if (rc)
                return rc;
            i = k;
            continue;
        }
        if (c == B_OTHER || c == B_MIDNUMLET || c == B_MIDNUM) {
            i++;
            continue;
        }
        has_alnum = c != B_EXTEND;
        for (k = i + 1; k < e; k++) {
            int d = bclass(u[k]), prev;

            if (d == B_LETTER || d == B_DIGIT || d == B_EXTEND) {
                has_alnum |= d != B_EXTEND;
                continue;
            }
            if ((d != B_MIDNUMLET && d != B_MIDNUM) || k + 1 >= e)
                break;
            prev = bclass(u[k - 1]);
            if (prev != bclass(u[k + 1]) ||
                (prev != B_LETTER && prev != B_DIGIT) ||
                (d == B_MIDNUM && prev != B_DIGIT))
                break;
            k++; /* the mid character and the one after it */
        }
        if (has_alnum || k - i >= 2) { /* ICU: '_' is none, '__' one */
            rc = word(sc, i, k, 1, UBRK_WORD_LETTER);
            if (rc)
                return rc;
        }
        i = k;
    }
    return KW_OK;
}

/* True if p[0..n) holds only ASCII and whole Hangul syllables. */
static int is_fast(const unsigned char *p, size_t n)
{
    size_t i = 0;

    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        if (p[i] < 0xEA || p[i] > 0xED || i + 3 > n || !is_simple(p + i, 3))
            return 0;
        i += 3;
    }
    return 1;
}

kw_err kw_ko_tokenize(kw_ko *ko, const char *p, size_t n, kw_ko_cb cb,
                      void *ud)
{
    scan sc;
    size_t i = 0, s;
    kw_err rc;

    if (n > INT32_MAX)
        return KW_ETOOBIG;
    sc.ko = ko;
    sc.p = p;
    sc.cb = cb;
    sc.ud = ud;
    sc.prev_end = SIZE_MAX;
    sc.prev_kind = KW_KO_OTHER;
    /* Words never cross ASCII white space, so the text is taken a chunk
     * between spaces at a time; ICU sees only the chunks that hold
     * something other than ASCII and Hangul syllables. */
    while (i < n) {
        while (i < n && is_space_byte(p[i]))
            i++;
        s = i;
        while (i < n && !is_space_byte(p[i]))
            i++;
        if (s == i)
            break;
        if (ko->is_icu_only || !is_fast((const unsigned char *)p + s, i - s))
            rc = icu_chunk(&sc, s, i);
        else
            rc = fast_chunk(&sc, s, i);
        if (rc)
            return rc == KW_EDONE ? KW_OK : rc;
    }
    return KW_OK;
}

void kw_ko_set_icu_only(kw_ko *ko, int is_icu_only)
{
    ko->is_icu_only = is_icu_only != 0;
}
