/*
 * korean.c -- Korean text analysis for search (see kw/korean.h): ICU word
 * breaks over the UTF-8 text itself (a UText, so break positions are byte
 * offsets into the caller's text and nothing is copied), NFKC with case
 * folding (ICU's nfkc_cf normalizer) per word, and the particle stripper
 * of korean_strip.c for Hangul words.
 *
 * Speed: the break iterator and UText are created once per handle and
 * re-pointed at each text.  Words made only of ASCII and precomposed
 * Hangul syllables -- nearly all of a Korean news text -- are already in
 * NFKC case-folded form except for ASCII capitals, so they are lowered
 * byte by byte without a trip through UTF-16; anything else goes through
 * ICU.
 */
#include <stdint.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "kw/korean.h"

struct kw_ko {
    UBreakIterator *bi;      /* word-break iterator, reused */
    UText *ut;               /* UTF-8 UText over the current input */
    const UNormalizer2 *nfkc_cf; /* ICU-owned singleton */
    char *norm;              /* the current word, normalized */
    size_t norm_cap;         /* bytes allocated at norm */
    UChar *u16;              /* UTF-16 scratch for ICU normalization */
    size_t u16_cap;          /* UChars allocated at u16 */
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
static kw_err normalize(kw_ko *ko, const char *p, size_t n, size_t *out_n)
{
    UErrorCode ue = U_ZERO_ERROR;
    int32_t u16_n = 0, norm_n = 0, out8 = 0;
    kw_err rc;
    size_t i;

    *out_n = 0;
    if (is_simple((const unsigned char *)p, n)) {
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

/* The script of a normalized word, from its first character. */
static kw_ko_kind kind_of(const char *p, size_t n, int32_t status)
{
    const unsigned char *u = (const unsigned char *)p;

    if (n >= 3 && (u[0] & 0xF0) == 0xE0) {
        unsigned cp = ((unsigned)(u[0] & 0x0F) << 12) |
                      ((unsigned)(u[1] & 0x3F) << 6) |
                      (unsigned)(u[2] & 0x3F);

        if ((cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
            (cp >= 0x3130 && cp <= 0x318F))
            return KW_KO_HANGUL;
    }
    if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
        return KW_KO_NUMBER;
    if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT)
        return KW_KO_LATIN;
    return KW_KO_OTHER;
}

static int is_space_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

kw_err kw_ko_tokenize(kw_ko *ko, const char *p, size_t n, kw_ko_cb cb,
                      void *ud)
{
    UErrorCode ue = U_ZERO_ERROR;
    int32_t s, e;
    size_t prev_end = SIZE_MAX;
    kw_ko_token t;
    kw_err rc;

    if (n > INT32_MAX)
        return KW_ETOOBIG;
    if (n == 0)
        return KW_OK;
    ko->ut = utext_openUTF8(ko->ut, p, (int64_t)n, &ue);
    if (U_SUCCESS(ue))
        ubrk_setUText(ko->bi, ko->ut, &ue);
    if (U_FAILURE(ue))
        return ue == U_MEMORY_ALLOCATION_ERROR ? KW_ENOMEM : KW_EPARSE;
    s = ubrk_first(ko->bi);
    for (e = ubrk_next(ko->bi); e != UBRK_DONE; s = e, e = ubrk_next(ko->bi)) {
        int32_t status = ubrk_getRuleStatus(ko->bi);
        int is_glued_any;

        if (status < UBRK_WORD_NONE_LIMIT || e <= s)
            continue;
        memset(&t, 0, sizeof(t));
        t.start = (size_t)s;
        t.end = (size_t)e;
        rc = normalize(ko, p + s, t.end - t.start, &t.norm_n);
        if (rc)
            return rc;
        if (t.norm_n == 0)
            continue;
        t.norm = ko->norm;
        t.kind = kind_of(t.norm, t.norm_n, status);
        t.is_glued = prev_end == t.start;
        t.stem = t.norm;
        t.stem_n = t.norm_n;
        is_glued_any = t.start > 0 && !is_space_byte(p[t.start - 1]);
        if (t.kind == KW_KO_HANGUL) {
            /* 'LG가', '"카카오"는': a particle glued to something that is
             * not Hangul belongs to it and is not a word. */
            if (is_glued_any && kw_ko_is_particle(t.norm, t.norm_n))
                continue;
            t.stem_n = kw_ko_stem(t.norm, t.norm_n);
        }
        prev_end = t.end;
        rc = cb(&t, ud);
        if (rc)
            return rc == KW_EDONE ? KW_OK : rc;
    }
    return KW_OK;
}
