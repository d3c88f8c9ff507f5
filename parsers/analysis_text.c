/*
 * Text preparation for analysis: NFKC_Casefold normalisation (ICU unorm2)
 * that keeps a byte map back to the input, so that matches found in the
 * normalised text report offsets in the text the caller gave; sentence
 * breaks by ICU's sentence iterator (ubrk, UAX #29) inside paragraphs
 * separated by a blank line; small UTF-8 helpers.
 */
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "analysis_int.h"

uint32_t kw__an_cp(const char *p, size_t n, size_t *len)
{
    const unsigned char *s = (const unsigned char *)p;
    uint32_t c;
    size_t k, i;

    if (n == 0) {
        *len = 0;
        return 0;
    }
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    if ((s[0] & 0xE0) == 0xC0) {
        k = 2;
        c = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        k = 3;
        c = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        k = 4;
        c = s[0] & 0x07;
    } else {
        *len = 1;
        return 0xFFFD;
    }
    if (k > n) {
        *len = 1;
        return 0xFFFD;
    }
    for (i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *len = 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *len = k;
    return c;
}

uint32_t kw__an_cp_before(const char *p, size_t n, size_t *len)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = n, l;
    uint32_t c;

    if (n == 0) {
        *len = 0;
        return 0;
    }
    while (i > 0 && n - i < 4 && (s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0)
        i--;
    c = kw__an_cp(p + i, n - i, &l);
    if (i + l != n) {
        *len = 1;
        return 0xFFFD;
    }
    *len = l;
    return c;
}

int kw__an_is_hangul(uint32_t c)
{
    return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
           (c >= 0x3130 && c <= 0x318F);
}

int kw__an_is_latin_alnum(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 &&
                                      c != 0xF7);
}

static int is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v' || c == 0xA0 || c == 0x3000 || c == 0x200B ||
           c == 0x202F || (c >= 0x2000 && c <= 0x200A) || c == 0xFEFF;
}

/* Appends the NFKC_Casefold form of code point @c to @b, or @c itself
 * when ICU cannot help. */
static void add_folded(const UNormalizer2 *nz, uint32_t c, kw_buf *b)
{
    UChar src[2], dst[32];
    char u8[128];
    int32_t sl = 0, dl, ul = 0;
    UErrorCode st = U_ZERO_ERROR;

    if (c < 0x80) {
        char ch = (char)c;

        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        kw_buf_addc(b, ch);
        return;
    }
    if (c >= 0xAC00 && c <= 0xD7A3) { /* precomposed Hangul is NFKC */
        char h[3];

        h[0] = (char)(0xE0 | (c >> 12));
        h[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        h[2] = (char)(0x80 | (c & 0x3F));
        kw_buf_add(b, h, 3);
        return;
    }
    if (c > 0xFFFF) {
        src[sl++] = (UChar)(0xD7C0 + (c >> 10));
        src[sl++] = (UChar)(0xDC00 | (c & 0x3FF));
    } else {
        src[sl++] = (UChar)c;
    }
    dl = unorm2_normalize(nz, src, sl, dst, 32, &st);
    if (U_SUCCESS(st))
        u_strToUTF8(u8, (int32_t)sizeof(u8), &ul, dst, dl, &st);
    if (U_FAILURE(st)) {
        st = U_ZERO_ERROR;
        u_strToUTF8(u8, (int32_t)sizeof(u8), &ul, src, sl, &st);
        if (U_FAILURE(st))
            return;
    }
    kw_buf_add(b, u8, (size_t)ul);
}

static kw_err push_map(size_t **map, size_t *cap, size_t need, size_t at,
                       size_t from)
{
    size_t i;

    if (need + 1 > *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        size_t *nm;

        while (nc < need + 1)
            nc *= 2;
        nm = kw_realloc(*map, nc * sizeof(**map));
        if (!nm)
            return KW_ENOMEM;
        *map = nm;
        *cap = nc;
    }
    for (i = from; i < need; i++)
        (*map)[i] = at;
    return KW_OK;
}

/*
 * Code point by code point normalisation.  Hangul text arrives
 * precomposed from the extractor, so composing across code points (the
 * only thing lost by working per code point) does not matter here.
 */
kw_err kw__an_normalize(const char *p, size_t n, kw__an_norm *out)
{
    const UNormalizer2 *nz;
    UErrorCode st = U_ZERO_ERROR;
    kw_buf b;
    size_t i = 0, cap = 0, *map = NULL;
    int pending_space = 0;
    kw_err rc = KW_OK;

    memset(out, 0, sizeof(*out));
    nz = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st))
        return KW_EPARSE;
    kw_buf_init(&b, KW_MAX_TEXT);
    while (i < n) {
        size_t len, before = b.n;
        uint32_t c = kw__an_cp(p + i, n - i, &len);

        if (is_space_cp(c)) {
            pending_space = b.n > 0;
            i += len;
            continue;
        }
        if (pending_space) {
            kw_buf_addc(&b, ' ');
            if (b.err)
                break;
            rc = push_map(&map, &cap, b.n, i, before);
            if (rc)
                break;
            before = b.n;
            pending_space = 0;
        }
        add_folded(nz, c, &b);
        if (b.err)
            break;
        rc = push_map(&map, &cap, b.n, i, before);
        if (rc)
            break;
        i += len;
    }
    if (!rc && !b.err)
        rc = push_map(&map, &cap, b.n + 1, n, b.n);
    if (!rc)
        rc = b.err;
    if (!rc && !b.p) {
        kw_buf_addc(&b, 0);
        b.n = 0;
        rc = b.err;
    }
    if (rc) {
        kw_buf_deinit(&b);
        kw_free(map);
        return rc;
    }
    out->p = b.p;
    out->n = b.n;
    out->map = map;
    return KW_OK;
}

void kw__an_norm_deinit(kw__an_norm *nm)
{
    if (!nm)
        return;
    kw_free(nm->p);
    kw_free(nm->map);
    memset(nm, 0, sizeof(*nm));
}

char *kw__an_normalize_dup(const char *s)
{
    kw__an_norm nm;
    char *r;

    if (kw__an_normalize(s, strlen(s), &nm))
        return NULL;
    r = nm.p;
    nm.p = NULL;
    kw__an_norm_deinit(&nm);
    return r;
}

typedef struct sent_list {
    size_t *s, *e;
    size_t n, cap;
} sent_list;

static kw_err sent_push(sent_list *l, const char *p, size_t s, size_t e)
{
    /* Trim white space; drop empty ranges. */
    while (s < e) {
        size_t len;
        uint32_t c = kw__an_cp(p + s, e - s, &len);

        if (!is_space_cp(c))
            break;
        s += len;
    }
    while (e > s) {
        size_t len;
        uint32_t c = kw__an_cp_before(p + s, e - s, &len);

        if (!is_space_cp(c))
            break;
        e -= len;
    }
    if (s >= e)
        return KW_OK;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 32;
        size_t *ns = kw_realloc(l->s, nc * sizeof(size_t));

        if (!ns)
            return KW_ENOMEM;
        l->s = ns;
        ns = kw_realloc(l->e, nc * sizeof(size_t));
        if (!ns)
            return KW_ENOMEM;
        l->e = ns;
        l->cap = nc;
    }
    l->s[l->n] = s;
    l->e[l->n] = e;
    l->n++;
    return KW_OK;
}

/* Does the candidate sentence u[from..to) end in a question or an
 * exclamation mark inside a quotation still open ('카카오 "재도전?
 * 전혀 고려 안 해"')?  A quoted question is part of what its speaker
 * goes on to say, so the sentence does not end there. */
static int in_open_question(const UChar *u, int32_t from, int32_t to)
{
    int32_t i = to;
    int open = 0;

    while (i > from && (u[i - 1] == ' ' || u[i - 1] == 0x3000))
        i--;
    if (i <= from || (u[i - 1] != '?' && u[i - 1] != '!'))
        return 0;
    for (i = from; i < to; i++) {
        if (u[i] == '"')
            open = !open;
        else if (u[i] == 0x201C) /* left double quotation mark */
            open = 1;
        else if (u[i] == 0x201D)
            open = 0;
    }
    return open;
}

/* Runs the ICU sentence iterator over the paragraph p[s..e). */
static kw_err split_paragraph(const char *p, size_t s, size_t e,
                              sent_list *l)
{
    UChar *u = NULL;
    size_t *u2b = NULL; /* UTF-16 index -> byte offset */
    int32_t ul = 0, prev, pos;
    size_t i, k;
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi;
    kw_err rc = KW_OK;

    if (e - s > (size_t)INT32_MAX / 2)
        return KW_ETOOBIG;
    u = kw_malloc((e - s + 1) * sizeof(UChar));
    u2b = kw_malloc((e - s + 2) * sizeof(size_t));
    if (!u || !u2b) {
        rc = KW_ENOMEM;
        goto done;
    }
    for (i = s; i < e;) {
        size_t len;
        uint32_t c = kw__an_cp(p + i, e - i, &len);

        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            c = 0xFFFD;
        if (c > 0xFFFF) {
            u2b[ul] = i;
            u[ul++] = (UChar)(0xD7C0 + (c >> 10));
            u2b[ul] = i;
            u[ul++] = (UChar)(0xDC00 | (c & 0x3FF));
        } else {
            u2b[ul] = i;
            u[ul++] = (UChar)c;
        }
        i += len;
    }
    u2b[ul] = e;
    bi = ubrk_open(UBRK_SENTENCE, "ko", u, ul, &st);
    if (U_FAILURE(st)) {
        /* Without ICU data the paragraph is one sentence. */
        rc = sent_push(l, p, s, e);
        goto done;
    }
    prev = ubrk_first(bi);
    for (pos = ubrk_next(bi); pos != UBRK_DONE; pos = ubrk_next(bi)) {
        k = (size_t)pos;
        if (pos < ul && in_open_question(u, prev, pos))
            continue; /* 카카오 "재도전? 전혀 고려 안 해": one sentence */
        rc = sent_push(l, p, u2b[prev], u2b[k]);
        if (rc)
            break;
        prev = pos;
    }
    ubrk_close(bi);
done:
    kw_free(u);
    kw_free(u2b);
    return rc;
}

kw_err kw__an_sentences(const char *p, size_t n, size_t **starts,
                        size_t **ends, size_t *count)
{
    sent_list l = {NULL, NULL, 0, 0};
    size_t i = 0, para = 0;
    kw_err rc = KW_OK;

    *starts = NULL;
    *ends = NULL;
    *count = 0;
    while (i <= n) {
        /* A paragraph ends at a blank line ("\n\n", spaces allowed
         * between) or at the end of the text. */
        size_t j = i;
        int is_break = 0;

        if (i < n && p[i] == '\n') {
            j = i + 1;
            while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r'))
                j++;
            is_break = j < n && p[j] == '\n';
        }
        if (i == n || is_break) {
            rc = split_paragraph(p, para, i, &l);
            if (rc)
                break;
            if (i == n)
                break;
            para = j + 1;
            i = j + 1;
            continue;
        }
        i++;
    }
    if (rc) {
        kw_free(l.s);
        kw_free(l.e);
        return rc;
    }
    *starts = l.s;
    *ends = l.e;
    *count = l.n;
    return KW_OK;
}
