/*
 * Text of PDF attachments with poppler-glib: the text of each page
 * (poppler_page_get_text, poppler's reading order), pages one after the
 * other like paragraphs, at most KW_ATTACH_MAX_PAGES pages.
 *
 * The document is opened from memory (poppler_document_new_from_bytes,
 * with a GBytes that borrows the caller's buffer for the duration of the
 * call).  A document that needs a user password gives KW_EDENIED; one
 * with only an owner password (copy/print restrictions) opens, as it does
 * in every viewer.  A scanned PDF has no text and gives "".
 */
#include <string.h>

#include <glib.h>
#include <poppler.h>

#include "attachment_int.h"

kw_err kw__attach_pdf(kw__attach_sink *s, const void *data, size_t n)
{
    GBytes *bytes;
    GError *gerr = NULL;
    PopplerDocument *doc;
    int i, pages;
    kw_err rc = KW_OK;

    bytes = g_bytes_new_static(data, n);
    doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    if (!doc) {
        if (gerr && gerr->domain == POPPLER_ERROR &&
            gerr->code == POPPLER_ERROR_ENCRYPTED)
            rc = KW_EDENIED;
        else
            rc = KW_EPARSE;
        g_clear_error(&gerr);
        g_bytes_unref(bytes);
        return rc;
    }
    pages = poppler_document_get_n_pages(doc);
    if (pages > KW_ATTACH_MAX_PAGES)
        pages = KW_ATTACH_MAX_PAGES;
    for (i = 0; i < pages && !s->is_full; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *text;

        if (!page)
            continue; /* a broken page object: the others may be fine */
        text = poppler_page_get_text(page);
        if (text) {
            kw__attach_add(s, text, strlen(text));
            g_free(text);
        }
        kw__attach_para(s);
        g_object_unref(page);
    }
    g_object_unref(doc);
    g_bytes_unref(bytes);
    return rc;
}
