/*
 * Charset detection and conversion to UTF-8 (ICU ucnv/ucsdet).
 *
 * Order of evidence, after the WHATWG Encoding standard's "encoding
 * sniffing algorithm" simplified for a crawler: a byte order mark, the
 * HTTP charset, an XML declaration or HTML <meta> in the first 4 KiB,
 * then detection.  Korean pages lie about their charset in two common
 * ways, and both are handled:
 *   - "euc-kr" (and ks_c_5601-1987 ...) pages contain CP949/UHC-only
 *     bytes, so the whole EUC-KR family is decoded as windows-949, its
 *     superset (ICU converter "windows-949-2000", Microsoft's table);
 *   - pages declared UTF-8 whose bytes are not UTF-8 (an old CP949 page
 *     behind a new server): an invalid UTF-8 declaration is not trusted
 *     and detection decides instead.
 * Undecodable bytes become U+FFFD via a counting ICU callback.
 */
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "parsers_int.h"

#define SNIFF_WINDOW 4096
#define DETECT_WINDOW (64 * 1024)

/* Aliases of the Korean legacy encodings that browsers decode as CP949. */
static const char *const korean_aliases[] = {
    "euc-kr",  "euckr",       "x-euc-kr",     "ks_c_5601-1987",
    "ks_c_5601", "ksc5601",   "ksc_5601",     "ks_c_5601-1989",
    "cp949",   "ms949",       "x-windows-949", "windows-949",
    "uhc",     "korean",      "csksc56011987", "iso-ir-149",
    "x-ksc5601", "windows-51949", "cseuckr",
};

static const char *const utf8_aliases[] = {
    "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8",
};

static const char *const latin1_aliases[] = {
    "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii",
    "iso_8859-1", "cp1252", "windows-1252", "x-cp1252",
};

static int in_list(const char *s, const char *const *list, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcasecmp(s, list[i]) == 0)
            return 1;
    }
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int kw__parsers_charset_norm(const char *label, size_t n, char *out,
                             size_t out_n)
{
    char tmp[64];
    size_t i = 0, j = 0;

    while (i < n && (label[i] == ' ' || label[i] == '\t' ||
                     label[i] == '"' || label[i] == '\''))
        i++;
    while (n > i && (label[n - 1] == ' ' || label[n - 1] == '\t' ||
                     label[n - 1] == '"' || label[n - 1] == '\''))
        n--;
    if (n <= i || n - i >= sizeof(tmp) || out_n < 16)
        return 0;
    for (; i < n; i++) {
        char c = label[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == ':'))
            return 0;
        tmp[j++] = c;
    }
    tmp[j] = '\0';
    if (in_list(tmp, korean_aliases, COUNT(korean_aliases)))
        snprintf(out, out_n, "%s", "windows-949");
    else if (in_list(tmp, utf8_aliases, COUNT(utf8_aliases)))
        snprintf(out, out_n, "%s", "UTF-8");
    else if (in_list(tmp, latin1_aliases, COUNT(latin1_aliases)))
        snprintf(out, out_n, "%s", "windows-1252");
    else if (j + 1 > out_n)
        return 0;
    else
        memcpy(out, tmp, j + 1);
    return 1;
}

/* ASCII case-insensitive search for @needle in p[0..n). */
static const char *find_ci(const char *p, size_t n, const char *needle)
{
    size_t nl = strlen(needle), i;

    if (nl > n)
        return NULL;
    for (i = 0; i + nl <= n; i++) {
        if (strncasecmp(p + i, needle, nl) == 0)
            return p + i;
    }
    return NULL;
}

/* Reads a charset token after "charset" / "encoding" at p[0..n). */
static int read_label_after(const char *p, size_t n, char *label,
                            size_t label_n)
{
    size_t i = 0, j = 0;

    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
                     p[i] == '\r'))
        i++;
    if (i >= n || p[i] != '=')
        return 0;
    i++;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '"' ||
                     p[i] == '\'' || p[i] == '\n' || p[i] == '\r'))
        i++;
    while (i < n && j + 1 < label_n) {
        char c = p[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == ':'))
            break;
        label[j++] = c;
        i++;
    }
    label[j] = '\0';
    return j > 0;
}

int kw__parsers_charset_sniff(const char *p, size_t n, char *label,
                              size_t label_n, char *source)
{
    size_t w = n < SNIFF_WINDOW ? n : SNIFF_WINDOW;
    const char *s = p, *end = p + w;

    /* XML declaration: only at the very start (after white space). */
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    if ((size_t)(end - s) > 5 && strncmp(s, "<?xml", 5) == 0) {
        const char *q = memchr(s, '>', (size_t)(end - s));
        const char *e = find_ci(s, q ? (size_t)(q - s) : (size_t)(end - s),
                                "encoding");

        if (e && read_label_after(e + 8, (size_t)(end - e - 8), label,
                                  label_n)) {
            snprintf(source, 8, "%s", "xml");
            return 1;
        }
    }
    /* HTML <meta>: charset= appears either as its own attribute or inside
     * the content of a http-equiv=Content-Type. */
    s = p;
    for (;;) {
        const char *m = find_ci(s, (size_t)(end - s), "<meta");
        const char *gt, *c;

        if (!m)
            break;
        gt = memchr(m, '>', (size_t)(end - m));
        if (!gt)
            break;
        c = find_ci(m, (size_t)(gt - m), "charset");
        if (c && read_label_after(c + 7, (size_t)(gt - c - 7), label,
                                  label_n)) {
            /* A document that reached us as bytes cannot be UTF-16; the
             * HTML standard reads such a <meta> as UTF-8. */
            if (strncasecmp(label, "utf-16", 6) == 0 ||
                strncasecmp(label, "utf-32", 6) == 0)
                snprintf(label, label_n, "%s", "utf-8");
            snprintf(source, 8, "%s", "meta");
            return 1;
        }
        s = gt + 1;
    }
    return 0;
}

typedef struct conv_ctx {
    size_t n_replaced; /* callbacks for illegal/unassigned input */
} conv_ctx;

/* ICU to-Unicode callback: counts, then substitutes U+FFFD. */
static void U_CALLCONV count_cb(const void *context,
                                UConverterToUnicodeArgs *args,
                                const char *units, int32_t len,
                                UConverterCallbackReason reason,
                                UErrorCode *err)
{
    conv_ctx *cx = (conv_ctx *)(uintptr_t)context;

    if (reason <= UCNV_IRREGULAR)
        cx->n_replaced++;
    UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, units, len, reason, err);
}

/* The ICU converter name for one of our canonical names. */
static const char *icu_name(const char *canon)
{
    if (strcmp(canon, "windows-949") == 0)
        return "windows-949-2000";
    return canon;
}

/*
 * Converts p[0..n) from @canon to UTF-8 into an owned buffer.  Returns
 * KW_EPARSE if ICU does not know the charset.
 */
static kw_err convert(const char *p, size_t n, const char *canon, char **out,
                      size_t *out_n, size_t *n_replaced)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *src = NULL, *dst = NULL;
    conv_ctx cx = {0};
    char *buf = NULL, *t;
    const char *s = p;
    size_t cap;
    kw_err rc = KW_OK;

    *out = NULL;
    *out_n = 0;
    *n_replaced = 0;
    if (n > (SIZE_MAX - 8) / 3)
        return KW_ETOOBIG;
    src = ucnv_open(icu_name(canon), &st);
    if (U_FAILURE(st)) {
        rc = (st == U_MEMORY_ALLOCATION_ERROR) ? KW_ENOMEM : KW_EPARSE;
        goto cleanup;
    }
    dst = ucnv_open("UTF-8", &st);
    if (U_FAILURE(st)) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    ucnv_setToUCallBack(src, count_cb, &cx, NULL, NULL, &st);
    if (U_FAILURE(st)) {
        rc = KW_EPARSE;
        goto cleanup;
    }
    /* One input byte never yields more than 3 bytes of UTF-8 (a 4-byte
     * character needs at least 2 input bytes in every charset). */
    cap = 3 * n + 8;
    buf = kw_malloc(cap);
    if (!buf) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    t = buf;
    ucnv_convertEx(dst, src, &t, buf + cap - 1, &s, p + n, NULL, NULL, NULL,
                   NULL, 1, 1, &st);
    if (U_FAILURE(st)) {
        rc = (st == U_MEMORY_ALLOCATION_ERROR) ? KW_ENOMEM : KW_EPARSE;
        goto cleanup;
    }
    *t = '\0';
    *out_n = (size_t)(t - buf);
    *out = buf;
    *n_replaced = cx.n_replaced;
    buf = NULL;
cleanup:
    kw_free(buf);
    if (src)
        ucnv_close(src);
    if (dst)
        ucnv_close(dst);
    return rc;
}

/* True if ICU has a converter for @canon. */
static int charset_known(const char *canon)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *c = ucnv_open(icu_name(canon), &st);

    if (U_FAILURE(st))
        return 0;
    ucnv_close(c);
    return 1;
}

/* True if the bytes have any byte >= 0x80. */
static int has_high(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if ((unsigned char)p[i] >= 0x80)
            return 1;
    }
    return 0;
}

/*
 * Counts CP949 double-byte pairs whose lead byte is in the KS X 1001
 * Hangul rows (0xB0-0xC8) or a UHC extension row, to tell Korean text
 * from Latin-1 prose.  Returns 1 when most high bytes form such pairs.
 */
static int looks_korean(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0, pairs = 0, high = 0, bad = 0;

    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        high++;
        if (s[i] >= 0x81 && s[i] <= 0xFE && i + 1 < n &&
            ((s[i + 1] >= 0x41 && s[i + 1] <= 0x5A) ||
             (s[i + 1] >= 0x61 && s[i + 1] <= 0x7A) ||
             (s[i + 1] >= 0x81 && s[i + 1] <= 0xFE))) {
            pairs++;
            i += 2;
            continue;
        }
        bad++;
        i++;
    }
    return pairs > 0 && bad * 20 <= pairs;
}

/* ICU detection; writes a canonical name.  Returns 1 on a usable match. */
static int detect(const char *p, size_t n, char *canon, size_t canon_n)
{
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *csd;
    const UCharsetMatch *m;
    const char *name;
    int32_t conf;
    int ok = 0;

    csd = ucsdet_open(&st);
    if (U_FAILURE(st))
        return 0;
    ucsdet_enableInputFilter(csd, 1);
    ucsdet_setText(csd, p, (int32_t)(n < DETECT_WINDOW ? n : DETECT_WINDOW),
                   &st);
    m = ucsdet_detect(csd, &st);
    if (U_FAILURE(st) || !m)
        goto cleanup;
    name = ucsdet_getName(m, &st);
    conf = ucsdet_getConfidence(m, &st);
    if (U_FAILURE(st) || !name)
        goto cleanup;
    if (conf < 10)
        goto cleanup;
    ok = kw__parsers_charset_norm(name, strlen(name), canon, canon_n);
cleanup:
    ucsdet_close(csd);
    return ok;
}

/* Sets out->charset / out->source. */
static void set_choice(kw_decoded *out, const char *canon, const char *src)
{
    snprintf(out->charset, sizeof(out->charset), "%s", canon);
    snprintf(out->source, sizeof(out->source), "%s", src);
}

/*
 * Chooses the charset when no declaration can be trusted: valid UTF-8 is
 * UTF-8; Korean-looking legacy bytes are windows-949; otherwise ICU's
 * detector decides, with windows-949 as the last resort (we crawl Korean
 * sites).
 */
static void choose_undeclared(const char *p, size_t n, kw_decoded *out)
{
    char canon[32];

    if (kw_utf8_valid(p, n)) {
        set_choice(out, "UTF-8", has_high(p, n) ? "detected" : "default");
        return;
    }
    if (looks_korean(p, n)) {
        set_choice(out, "windows-949", "detected");
        return;
    }
    if (detect(p, n, canon, sizeof(canon)) && strcmp(canon, "UTF-8") != 0 &&
        charset_known(canon)) {
        set_choice(out, canon, "detected");
        return;
    }
    set_choice(out, "windows-949", "default");
}

/*
 * Applies one declaration: returns 1 if it was accepted (out->charset set).
 * A UTF-8 declaration over invalid UTF-8 is refused, as is a Latin-1
 * declaration over bytes that are valid UTF-8 with non-ASCII characters
 * (a classic server default).
 */
static int try_declared(const char *label, size_t label_n, const char *src,
                        const char *p, size_t n, kw_decoded *out)
{
    char canon[32];

    if (!kw__parsers_charset_norm(label, label_n, canon, sizeof(canon)))
        return 0;
    if (strcmp(canon, "UTF-8") == 0) {
        if (!kw_utf8_valid(p, n))
            return 0;
    } else if (strcmp(canon, "windows-1252") == 0) {
        if (has_high(p, n) && kw_utf8_valid(p, n))
            return 0;
    } else if (!charset_known(canon)) {
        return 0;
    }
    set_choice(out, canon, src);
    return 1;
}

kw_err kw_charset_decode(const char *p, size_t n, const char *declared,
                         kw_decoded *out)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t skip = 0;
    char label[64], src[8];
    kw_err rc;

    memset(out, 0, sizeof(*out));
    if (!p && n)
        return KW_EINVAL;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        set_choice(out, "UTF-8", "bom");
        skip = 3;
    } else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        set_choice(out, "UTF-16BE", "bom");
        skip = 2;
    } else if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        set_choice(out, "UTF-16LE", "bom");
        skip = 2;
    } else if (declared &&
               try_declared(declared, strlen(declared), "http", p, n, out)) {
        /* chosen */
    } else if (kw__parsers_charset_sniff(p, n, label, sizeof(label), src) &&
               try_declared(label, strlen(label), src, p, n, out)) {
        /* chosen */
    } else {
        choose_undeclared(p, n, out);
    }
    p += skip;
    n -= skip;
    if (strcmp(out->charset, "UTF-8") == 0 && kw_utf8_valid(p, n)) {
        out->p = kw_malloc(n + 1);
        if (!out->p)
            return KW_ENOMEM;
        if (n)
            memcpy(out->p, p, n);
        out->p[n] = '\0';
        out->n = n;
        return KW_OK;
    }
    rc = convert(p, n, out->charset, &out->p, &out->n, &out->n_replaced);
    if (rc) {
        out->p = NULL;
        out->n = 0;
        return rc;
    }
    /* A BOM inside a declared stream (UTF-8 BOM after a declaration that
     * lied) is removed as well. */
    if (out->n >= 3 && (unsigned char)out->p[0] == 0xEF &&
        (unsigned char)out->p[1] == 0xBB && (unsigned char)out->p[2] == 0xBF) {
        memmove(out->p, out->p + 3, out->n - 2);
        out->n -= 3;
    }
    return KW_OK;
}

void kw_decoded_deinit(kw_decoded *d)
{
    if (!d)
        return;
    kw_free(d->p);
    d->p = NULL;
    d->n = 0;
}
