/*
 * attachment_int.h -- what the attachment readers (attachment_zip.c,
 * attachment_pdf.c, attachment_hwp.c) share with attachment.c: the text
 * sink that turns what they find into trimmed lines under a byte cap.
 */
#ifndef KW_ATTACHMENT_INT_H
#define KW_ATTACHMENT_INT_H

#include <stddef.h>

#include "kw/attachment.h"
#include "kw/common.h"

/* Collects the text of one document.  Readers add text and end
 * paragraphs; the sink trims lines, drops empty ones and stops at max. */
typedef struct kw__attach_sink {
    kw_buf b;          /* the text so far */
    size_t max;        /* most bytes of text */
    size_t line_start; /* offset in b of the current line */
    size_t unpacked;   /* bytes inflated so far (KW_ATTACH_MAX_UNPACKED) */
    int is_full;       /* max reached: readers should stop */
} kw__attach_sink;

/* Appends UTF-8 text.  "\n" (and "\r", "\f", "\v") end a paragraph,
 * other C0 controls except "\t" are dropped.  Text past max is cut at a
 * character boundary and sets is_full. */
void kw__attach_add(kw__attach_sink *s, const char *p, size_t n);
/* Ends the current paragraph: trims it and starts a new line unless it
 * is empty. */
void kw__attach_para(kw__attach_sink *s);
/* Counts @n more inflated bytes; KW_ETOOBIG past KW_ATTACH_MAX_UNPACKED. */
kw_err kw__attach_unpacked(kw__attach_sink *s, size_t n);

/* Routes the GLib log domains of libgsf and poppler to kw_log; once. */
void kw__attach_glib_init(void);

/* The readers.  Each returns KW_OK with the text in @s, or an error. */
kw_err kw__attach_zip(kw__attach_sink *s, const void *data, size_t n,
                      const char **format);
kw_err kw__attach_pdf(kw__attach_sink *s, const void *data, size_t n);
kw_err kw__attach_hwp(kw__attach_sink *s, const void *data, size_t n,
                      const char **format);

#endif /* KW_ATTACHMENT_INT_H */
