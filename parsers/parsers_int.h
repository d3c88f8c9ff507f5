/*
 * parsers_int.h -- private helpers shared by the files of parsers/.
 *
 * Not installed and not seen by other modules; unit tests include it to
 * test internals.  Names are kw__parsers_* (STYLE.md section 2).
 */
#ifndef KW_PARSERS_INT_H
#define KW_PARSERS_INT_H

#include <stddef.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "kw/common.h"
#include "kw/parsers.h"

/* libxml2 takes int sizes; larger inputs are refused before parsing. */
#define KW__PARSERS_MAX_XML ((size_t)0x7fffffff)

/*
 * Normalises a charset label: trims it, maps the EUC-KR family to
 * "windows-949", UTF-8 spellings to "UTF-8" and Latin-1/ASCII to
 * "windows-1252" (as browsers do).  Writes at most @out_n bytes including
 * the NUL.  Returns 0 when the label is empty or too long, 1 otherwise.
 */
int kw__parsers_charset_norm(const char *label, size_t n, char *out,
                             size_t out_n);

/*
 * Finds a charset declared in the first 4 KiB of p[0..n): an XML
 * declaration (source "xml") or an HTML <meta charset> /
 * <meta http-equiv content="...charset=..."> (source "meta").  Copies the
 * raw label to @label (NUL-terminated, at most @label_n bytes) and the
 * source name to @source (at least 8 bytes).  Returns 1 if found.
 */
int kw__parsers_charset_sniff(const char *p, size_t n, char *label,
                              size_t label_n, char *source);

/*
 * Appends the text of p[0..n) to @b with runs of white space (ASCII,
 * NBSP, U+3000, zero-width space) collapsed to one space; leading and
 * trailing space is dropped when @b is empty or ends in a space.
 */
void kw__parsers_buf_add_collapsed(kw_buf *b, const char *p, size_t n);

/*
 * Converts an HTML fragment (text that may hold tags and entities, as
 * found in RSS descriptions) to plain text: tags are removed (a '<' that
 * does not start a tag is kept), the common entities are decoded, <br>
 * and <p> become spaces, and white space is collapsed.  The result is
 * allocated in @a.  Returns NULL on ENOMEM.
 */
char *kw__parsers_html_to_text(kw_arena *a, const char *p, size_t n);

/* Collapses white space of p[0..n) into a new arena string; NULL on
 * ENOMEM. */
char *kw__parsers_collapse(kw_arena *a, const char *p, size_t n);

/*
 * Appends the text content of @node's subtree to @b.  Only text and
 * CDATA nodes are read; entity references are never expanded, so an
 * entity bomb costs nothing.  Script, style and template content is
 * skipped when @skip_script is set.
 */
void kw__parsers_node_text(xmlNode *node, kw_buf *b, int skip_script);

/* Returns the node's text collapsed into an arena string ("" if none),
 * or NULL on ENOMEM. */
char *kw__parsers_node_text_dup(kw_arena *a, xmlNode *node);

/*
 * Parses UTF-8 HTML with libxml2's HTML parser, recovering from errors,
 * without network access and ignoring any encoding the document
 * declares (the bytes are already UTF-8).  Returns NULL if libxml2
 * could not allocate or the input is too large; free with xmlFreeDoc.
 */
htmlDocPtr kw__parsers_html_read(const char *p, size_t n);

/* ASCII case-insensitive comparison of an element name or attribute. */
int kw__parsers_name_is(const xmlNode *node, const char *name);

/* Attribute @name of @node (ASCII case-insensitive, any namespace), or
 * NULL.  Only text is read (entity references are not expanded).  Owned:
 * the caller frees it with xmlFree. */
xmlChar *kw__parsers_attr(xmlNode *node, const char *name);

/* True if the lower-cased @hay contains @needle (ASCII only). */
int kw__parsers_icontains(const char *hay, const char *needle);

/* True if s[0..n) holds a date such as 2025-12-05 or 2025.12.05. */
int kw__parsers_has_ymd(const char *s, size_t n);

/*
 * The rows of the list of posts below @root (extract_list.c): runs of
 * sibling rows with a link and a date.  The array and its strings are
 * allocated in @a; @page_year (0: unknown) completes dates shown without
 * a year.  Returns KW_OK (possibly with no rows) or KW_ENOMEM.
 */
kw_err kw__parsers_list_rows(kw_arena *a, xmlNode *root, int page_year,
                             kw_list_row **rows, size_t *n_rows);

/*
 * True if @t is a board's column label on its own ("번호", "제목",
 * "등록일", "조회수"): a header cell, never a post's title.
 */
int kw__parsers_is_column_label(const char *t);

/*
 * Length of @t without a trailing "..", "...", "…" or "···" (a title cut
 * short); *@cut is set to 1 if there was one, else 0.
 */
size_t kw__parsers_cut_ellipsis(const char *t, int *cut);

/*
 * Cleans an attachment's shown name in place: drops an icon's alt text
 * before it ("이미지 ", "첨부파일 "), action words after it ("다운로드",
 * "미리보기", "바로보기"), and sizes or download counts in parentheses
 * or brackets after it ("(914KB", "[2.3 MB]", " (1)").  Returns @s.
 */
char *kw__parsers_clean_file_name(char *s);

#endif /* KW_PARSERS_INT_H */
