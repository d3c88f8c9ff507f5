/*
 * Text of notice attachments: format detection by magic bytes and the
 * text sink the format readers share.
 *
 * Detection looks at the bytes only: "%PDF-" in the first 1024 bytes (the
 * PDF 1.7 spec, ISO 32000-1 annex H.3, lets readers accept leading junk
 * there), "PK\3\4" for zip containers (HWPX, ODT, DOCX are told apart by
 * attachment_zip.c), the OLE2 signature D0 CF 11 E0 A1 B1 1A E1 for HWP
 * 5.x (attachment_hwp.c checks the FileHeader stream) and "HWP Document
 * File V3" for HWP 3.x.  The name and Content-Type only decide what to
 * call a file whose bytes match nothing, so that a log line can say "a
 * .hwp that is not HWP" instead of "unsupported".
 */
#include <string.h>
#include <strings.h>

#include <glib.h>

#include "attachment_int.h"

#define SNIFF_PDF_WINDOW 1024

static const unsigned char ole2_magic[8] = {0xd0, 0xcf, 0x11, 0xe0,
                                            0xa1, 0xb1, 0x1a, 0xe1};

/* ---- Sink ---------------------------------------------------------------- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Appends p[0..n), which holds no line breaks or controls, honouring max. */
static void sink_put(kw__attach_sink *s, const char *p, size_t n)
{
    size_t room;

    if (s->is_full || n == 0)
        return;
    if (s->b.n == s->line_start) {
        /* Leading blanks of a line are dropped. */
        while (n > 0 && is_blank(*p)) {
            p++;
            n--;
        }
        if (n == 0)
            return;
    }
    room = s->max > s->b.n ? s->max - s->b.n : 0;
    if (n > room) {
        /* Cut before the character that does not fit: p[room] must not
         * be a UTF-8 continuation byte. */
        n = room;
        while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
            n--;
        s->is_full = 1;
    }
    kw_buf_add(&s->b, p, n);
}

void kw__attach_para(kw__attach_sink *s)
{
    if (s->is_full)
        return;
    while (s->b.n > s->line_start && is_blank(s->b.p[s->b.n - 1]))
        s->b.n--;
    if (s->b.p)
        s->b.p[s->b.n] = '\0';
    if (s->b.n == s->line_start)
        return;
    if (s->b.n + 1 > s->max) {
        s->is_full = 1;
        return;
    }
    kw_buf_addc(&s->b, '\n');
    s->line_start = s->b.n;
}

void kw__attach_add(kw__attach_sink *s, const char *p, size_t n)
{
    size_t i = 0, start = 0;

    for (i = 0; i < n && !s->is_full; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c >= 0x20 || c == '\t')
            continue;
        sink_put(s, p + start, i - start);
        if (c == '\n' || c == '\r' || c == '\f' || c == '\v')
            kw__attach_para(s);
        start = i + 1;
    }
    if (i == n)
        sink_put(s, p + start, n - start);
}

kw_err kw__attach_unpacked(kw__attach_sink *s, size_t n)
{
    if (n > KW_ATTACH_MAX_UNPACKED - s->unpacked)
        return KW_ETOOBIG;
    s->unpacked += n;
    return KW_OK;
}

/* ---- GLib-based libraries ------------------------------------------------
 * libgsf reports malformed OLE2 files with g_critical() and g_warning(),
 * as may poppler-glib; GLib's default handler prints those to stderr,
 * which a library must not do.  Their log domains are routed to kw_log
 * at debug level instead, once per process (this is process-wide: any
 * other GLib user's messages without a domain go there too). */

static void glib_log(const gchar *domain, GLogLevelFlags level,
                     const gchar *msg, gpointer ud)
{
    (void)level;
    (void)ud;
    kw_log(KW_LOG_DEBUG, "parsers", "attachment: %s: %s",
           domain ? domain : "glib", msg ? msg : "");
}

void kw__attach_glib_init(void)
{
    /* libgsf's gsf-infile.c warns without a domain (NULL), so the
     * default domain is routed too; GLib's own domains are not. */
    static const char *const domains[] = {NULL, "libgsf", "libgsf:msole",
                                          "libgsf:zip", "Poppler"};
    static gsize done;
    size_t i;

    if (g_once_init_enter(&done)) {
        for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
            g_log_set_handler(domains[i],
                              G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
                                  G_LOG_FLAG_RECURSION,
                              glib_log, NULL);
        g_once_init_leave(&done, 1);
    }
}

/* ---- Detection ------------------------------------------------------------
 */

static int has_prefix(const void *data, size_t n, const void *magic, size_t m)
{
    return n >= m && memcmp(data, magic, m) == 0;
}

static int is_pdf(const unsigned char *p, size_t n)
{
    size_t i, w = n < SNIFF_PDF_WINDOW ? n : SNIFF_PDF_WINDOW;

    for (i = 0; i + 5 <= w; i++)
        if (p[i] == '%' && memcmp(p + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

/* True if @name ends in @ext (with its dot), ignoring case. */
static int ends_with(const char *name, const char *ext)
{
    size_t n, m = strlen(ext);

    if (!name)
        return 0;
    n = strlen(name);
    return n >= m && strcasecmp(name + n - m, ext) == 0;
}

static int type_has(const char *type, const char *what)
{
    return type && strstr(type, what) != NULL;
}

/* The format that @name or @type claims, or NULL. */
static const char *claimed_format(const char *name, const char *type)
{
    if (ends_with(name, ".pdf") || type_has(type, "/pdf"))
        return KW_ATTACH_PDF;
    if (ends_with(name, ".hwpx") || type_has(type, "hwp+zip"))
        return KW_ATTACH_HWPX;
    if (ends_with(name, ".hwp") || type_has(type, "x-hwp") ||
        type_has(type, "haansofthwp"))
        return KW_ATTACH_HWP;
    if (ends_with(name, ".odt") || type_has(type, "opendocument.text"))
        return KW_ATTACH_ODT;
    if (ends_with(name, ".docx") || type_has(type, "wordprocessingml.document"))
        return KW_ATTACH_DOCX;
    return NULL;
}

kw_err kw_attachment_text(const void *data, size_t n, const char *name_hint,
                          const char *content_type, size_t max_text,
                          char **text_out, const char **format_out)
{
    kw__attach_sink s;
    const char *format = NULL;
    kw_err rc;

    *text_out = NULL;
    if (format_out)
        *format_out = NULL;
    if (!data && n > 0)
        return KW_EINVAL;
    memset(&s, 0, sizeof(s));
    s.max = max_text ? max_text : KW_MAX_TEXT;
    /* The sink enforces max itself; the buffer limit is only a backstop. */
    kw_buf_init(&s.b, s.max + 2);

    kw__attach_glib_init();
    if (data && is_pdf(data, n)) {
        format = KW_ATTACH_PDF;
        rc = kw__attach_pdf(&s, data, n);
    } else if (has_prefix(data, n, "PK\3\4", 4)) {
        rc = kw__attach_zip(&s, data, n, &format);
    } else if (has_prefix(data, n, ole2_magic, sizeof(ole2_magic))) {
        rc = kw__attach_hwp(&s, data, n, &format);
    } else if (has_prefix(data, n, "HWP Document File V3", 20)) {
        format = KW_ATTACH_HWP3;
        rc = KW_EINVAL;
    } else {
        format = claimed_format(name_hint, content_type);
        rc = format ? KW_EPARSE : KW_EINVAL;
    }
    if (rc == KW_EPARSE && !format)
        format = claimed_format(name_hint, content_type);
    if (!rc) {
        kw__attach_para(&s);
        rc = s.b.err;
    }
    if (!rc) {
        /* Paragraphs are separated, not terminated, by newlines; text
         * cut at max may also end in blanks. */
        while (s.b.n > 0 &&
               (s.b.p[s.b.n - 1] == '\n' || is_blank(s.b.p[s.b.n - 1])))
            s.b.p[--s.b.n] = '\0';
        *text_out = kw_buf_steal(&s.b);
        if (!*text_out)
            rc = KW_ENOMEM;
    }
    kw_buf_deinit(&s.b);
    if (format_out)
        *format_out = format;
    return rc;
}
