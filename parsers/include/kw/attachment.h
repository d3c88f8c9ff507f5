/*
 * kw/attachment.h -- searchable text of the documents that ministries and
 * agencies attach to their notices: HWPX (OWPML, KS X 6101), HWP 5.0
 * (Hancom's binary format in an OLE2 compound file), PDF, ODT (ODF 1.2
 * text documents) and DOCX (Office Open XML, ECMA-376).
 *
 * Bytes in, text out: nothing here reads files or the network.  The format
 * is decided by the bytes ("%PDF-", a zip with an HWPX/ODF "mimetype" entry
 * or Contents/section0.xml or word/document.xml, an OLE2 file whose
 * FileHeader stream is signed "HWP Document File"); the file name and the
 * Content-Type are only used to name what a file claimed to be when its
 * bytes are not that format.
 *
 * The text is UTF-8, one paragraph per line ("\n" between paragraphs, none
 * at the end; a line break inside a paragraph also starts a line).  Table
 * cells, text boxes and footnotes are paragraphs of their own, placed
 * after the paragraph that anchors them (the order HWP 5 stores them in),
 * so the sentence around a footnote mark stays on one line.  Lines are
 * trimmed of spaces and tabs at both ends and empty paragraphs are
 * dropped; a tab inside a line stays "\t".  PDF pages are separated like
 * paragraphs; within a page the lines are poppler's.
 *
 * Hostile input costs bounded memory and time: zip entries are counted
 * (KW_ATTACH_MAX_ENTRIES), every byte inflated from a zip entry or an HWP
 * stream counts toward KW_ATTACH_MAX_UNPACKED, PDFs are read up to
 * KW_ATTACH_MAX_PAGES pages, and the text stops at max_text bytes.
 *
 * Thread safety: kw_attachment_text() may run in several threads at once
 * on different inputs.  It uses libzip, libxml2's xmlTextReader, libgsf
 * and poppler-glib, whose allocations do not go through kw_malloc.
 */
#ifndef KW_ATTACHMENT_H
#define KW_ATTACHMENT_H

#include <stddef.h>

#include "kw/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most entries a zip container may list (HWPX packages hold a few dozen:
 * sections, images, settings). */
#define KW_ATTACH_MAX_ENTRIES 10000
/* Most bytes inflated from one attachment: zip entries read plus HWP
 * BodyText streams after raw inflate.  Stops compression bombs. */
#define KW_ATTACH_MAX_UNPACKED ((size_t)128 * 1024 * 1024)
/* Most PDF pages read; the text of later pages is left out. */
#define KW_ATTACH_MAX_PAGES 10000

/* Format names set in *format_out. */
#define KW_ATTACH_PDF "pdf"
#define KW_ATTACH_HWPX "hwpx"
#define KW_ATTACH_HWP "hwp"   /* HWP 5.x binary (OLE2) */
#define KW_ATTACH_HWP3 "hwp3" /* HWP 3.x binary: recognised, unsupported */
#define KW_ATTACH_ODT "odt"
#define KW_ATTACH_DOCX "docx"

/*
 * Extracts the text of the attachment data[0..n).
 *
 * @name_hint     the attachment's file name ("붙임1.hwpx") or NULL.
 * @content_type  its Content-Type or NULL.  Both are hints only: they
 *                never override the bytes.
 * @max_text      most bytes of text returned; 0 means KW_MAX_TEXT.
 *                Longer text is cut at a character boundary (the call
 *                still succeeds, and *text_out is at most @max_text bytes).
 * @text_out      on success the text, NUL-terminated UTF-8; owned, the
 *                caller frees it with kw_free().  "" if the document has
 *                no text (a scanned PDF).  NULL on failure.
 * @format_out    may be NULL.  Set to one of the KW_ATTACH_* names (static
 *                strings) when the format was recognised, on failure too
 *                ("hwp" with KW_EDENIED: a password-protected HWP file), or
 *                when the bytes are not a known format but @name_hint or
 *                @content_type claims one (then the result is KW_EPARSE).
 *                NULL otherwise.
 *
 * Returns KW_OK;
 *   KW_EINVAL   not a supported format (images, HWP 3, .doc, other zips),
 *               or data is NULL;
 *   KW_EPARSE   a supported format but malformed or truncated (a broken
 *               zip, XML, PDF or OLE2 file, a bad deflate stream, an HWP
 *               record that runs past its stream);
 *   KW_ETOOBIG  more than KW_ATTACH_MAX_ENTRIES zip entries or
 *               KW_ATTACH_MAX_UNPACKED bytes to inflate;
 *   KW_EDENIED  encrypted: a PDF that needs a password, an HWP document
 *               with a password, DRM or distribution (배포용) protection,
 *               an encrypted HWPX/ODT/DOCX package or zip entry;
 *   KW_ENOMEM.
 */
KW_API kw_err kw_attachment_text(const void *data, size_t n,
                                 const char *name_hint,
                                 const char *content_type, size_t max_text,
                                 char **text_out,
                                 const char **format_out) KW_NODISCARD;

#ifdef __cplusplus
}
#endif
#endif /* KW_ATTACHMENT_H */
