/*
 * kw/parsers.h -- bytes in, structs out, no I/O.
 *
 * Charset detection and conversion (ICU), feeds and sitemaps (libxml2),
 * HTML link discovery and article/notice extraction, Korean dates, and the
 * source-list files (kowatch YAML, OPML).  Nothing here knows about HTTP
 * or SQLite, which is what makes every entry point fuzzable.
 *
 * Inputs are (p, n) byte ranges and need not be NUL-terminated.  Results
 * are allocated in an arena owned by the result and freed in one call.
 * URLs in results are as written in the document (possibly relative);
 * the crawler resolves and canonicalises them with curl's URL API.
 *
 * Thread safety: all functions are reentrant; results are not shared.
 * Call kw_parsers_global_init() once before threads start.
 */
#ifndef KW_PARSERS_H
#define KW_PARSERS_H

#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Initialises libxml2 once per process.  Idempotent. */
KW_API void kw_parsers_global_init(void);

/* ---- Charset ---------------------------------------------------------- */

typedef struct kw_decoded {
    char *p;            /* UTF-8 text, NUL-terminated; owned: kw_free */
    size_t n;           /* bytes, excluding the NUL */
    char charset[32];   /* charset used, canonical name ("UTF-8",
                           "windows-949", ...) */
    char source[16];    /* where it came from: "bom", "http", "xml",
                           "meta", "detected", "default" */
    size_t n_replaced;  /* undecodable sequences replaced with U+FFFD */
} kw_decoded;

/*
 * Converts p[0..n) to UTF-8.  The charset is taken, in this order, from a
 * BOM, @declared (the HTTP Content-Type charset, may be NULL), an XML
 * declaration or HTML <meta> in the first 4 KiB, then ICU detection;
 * bytes that are valid UTF-8 with no declaration are UTF-8.  EUC-KR and
 * its aliases are decoded as windows-949 (CP949), its superset.
 * Undecodable bytes become U+FFFD and are counted, never dropped.
 * A leading BOM is removed from the output.
 * On failure out->p is NULL.  Returns KW_OK, KW_ENOMEM or KW_EPARSE.
 */
KW_API kw_err kw_charset_decode(const char *p, size_t n, const char *declared,
                                kw_decoded *out);
KW_API void kw_decoded_deinit(kw_decoded *d); /* frees d->p; NULL-safe */

/* ---- Compression ------------------------------------------------------ */

/*
 * If p[0..n) is gzip data (magic 1f 8b), inflates it (all members) into
 * *out (owned, NUL-terminated) up to @max bytes (KW_ETOOBIG past it, so a
 * compression bomb stops there); otherwise sets *out to NULL and returns
 * KW_OK.  KW_EPARSE for corrupt gzip data.
 */
KW_API kw_err kw_gunzip(const char *p, size_t n, size_t max, char **out,
                        size_t *out_n);

/* ---- Dates ------------------------------------------------------------ */

typedef struct kw_date {
    int64_t t;      /* seconds since the epoch (UTC) */
    int offset_min; /* UTC offset the text gave, or KST when it gave none */
    int has_time;   /* 0: only a day was given (t is 00:00 at offset) */
} kw_date;

/*
 * Parses one date as found in feeds, pages and on the command line:
 * ISO 8601 (with "+09:00", "+0900", "Z" or no offset), RFC 822/1123
 * ("Sat, 31 Dec 2005 13:47:03+0900"), and Korean forms ("2025.08.04 17:39",
 * "2026. 1. 15. 18:47", "2026-02-10 오후 4:20", "2025년 8월 4일").  A date
 * without an offset is Korean time (UTC+9).  Leading labels such as
 * "입력", "기사입력", "등록일 :" are skipped.
 * Returns KW_OK or KW_EPARSE.
 */
KW_API kw_err kw_date_parse(const char *p, size_t n, kw_date *out);

/* ---- Feeds and sitemaps (libxml2) ------------------------------------- */

typedef enum kw_feed_kind {
    KW_FEED_RSS = 1,       /* RSS 0.9x, 1.0 (RDF) or 2.0 */
    KW_FEED_ATOM,          /* Atom 1.0 */
    KW_FEED_SITEMAP_INDEX, /* <sitemapindex>: items are child sitemaps */
    KW_FEED_URLSET,        /* <urlset>, including Google News sitemaps */
} kw_feed_kind;

typedef struct kw_feed_item {
    const char *url;     /* link (RSS <link>/<guid isPermaLink>, Atom
                            <link rel=alternate>, sitemap <loc>) */
    const char *title;   /* may be NULL; news:title for news sitemaps */
    const char *summary; /* plain text, may be NULL */
    const char *author;  /* dc:creator / author name, may be NULL */
    int64_t published;   /* seconds since the epoch; 0: unknown */
} kw_feed_item;

typedef struct kw_feed {
    kw_feed_kind kind;
    const char *title;   /* channel / feed title, may be NULL */
    const char *link;    /* channel link, may be NULL */
    kw_feed_item *items; /* document order */
    size_t n_items;
    char charset[32];    /* charset the bytes were decoded from */
    kw_arena *arena;     /* owns everything above */
} kw_feed;

/*
 * Parses an RSS, Atom or sitemap document.  Lenient: recovers from stray
 * '&', undeclared entities and wrong encoding declarations (the bytes are
 * first decoded with kw_charset_decode(@declared)).  gzip-compressed
 * input (a .xml.gz sitemap) is inflated, up to KW_MAX_SITEMAP bytes.
 * Returns KW_OK, KW_ENOMEM, KW_ETOOBIG, or KW_EPARSE when the document is
 * not a feed or sitemap at all.
 */
KW_API kw_err kw_feed_parse(const char *p, size_t n, const char *declared,
                            kw_feed **out);
KW_API void kw_feed_free(kw_feed *f);

/* ---- Links of an HTML page -------------------------------------------- */

typedef struct kw_link {
    const char *href;  /* as written (entities decoded); for script links
                          the whole onclick/href "javascript:" text */
    const char *text;  /* anchor text, whitespace collapsed */
    int in_main;       /* inside the page's main table or list (board
                          rows), not navigation, header or footer */
    int is_script;     /* from onclick= or a javascript: href */
} kw_link;

typedef struct kw_links {
    const char *base_href; /* <base href>, or NULL */
    kw_link *links;        /* document order, duplicates kept */
    size_t n_links;
    kw_arena *arena;
} kw_links;

/* Every <a> (href or onclick) of an HTML page, decoded with @declared. */
KW_API kw_err kw_html_links(const char *p, size_t n, const char *declared,
                            kw_links **out);
KW_API void kw_links_free(kw_links *l);

/* ---- Articles and notices --------------------------------------------- */

typedef enum kw_page_kind {
    KW_KIND_ARTICLE = 1, /* a news article */
    KW_KIND_NOTICE,      /* a ministry or agency board post */
    KW_KIND_OTHER,       /* neither: a list, a home page, an empty page */
} kw_page_kind;

/* "article", "notice" or "other": the kind as stored and printed. */
KW_API const char *kw_page_kind_name(kw_page_kind k);

typedef struct kw_attachment {
    const char *name; /* file name as shown, e.g. "붙임1. 공고문.hwp" */
    const char *url;  /* as written; NULL when only a script link exists */
    const char *script; /* the script call of a script-only link, e.g.
                           "fn_download('12','1','hwp')", else NULL */
} kw_attachment;

/* One row of a board's list page. */
typedef struct kw_list_row {
    const char *title;      /* as shown, completed from the link's title
                               attribute when cut short ("...") */
    const char *url;        /* as written; NULL when only a script link
                               exists */
    const char *script;     /* the call of a script-only link, e.g.
                               "fn_detail('3186001')", else NULL */
    int has_date;
    kw_date date;           /* valid if has_date; a date shown without a
                               year takes it from the link or the page */
    const char *department; /* 부서 column (or the issuer beside the date),
                               or NULL */
    const char *number;     /* 번호 column as shown ("2,477", "공지"), or
                               NULL */
} kw_list_row;

typedef struct kw_article {
    kw_page_kind kind;
    const char *title;         /* site suffixes stripped; NULL if none */
    int has_published;
    kw_date published;         /* valid if has_published */
    int has_modified;
    kw_date modified;
    const char *byline;        /* "홍길동 기자", or NULL */
    const char *site;          /* og:site_name or the like, or NULL */
    const char *lang;          /* "ko", "en", ... or NULL */
    const char *canonical_url; /* <link rel=canonical> / og:url, or NULL */
    const char *department;    /* notices: 담당부서, or NULL */
    const char *text;          /* paragraphs separated by "\n\n"; "" if
                                  none was found */
    size_t text_n;
    kw_attachment *attachments;
    size_t n_attachments;
    kw_list_row *rows;         /* a list page's rows (kind KW_KIND_OTHER,
                                  reason "list"), document order */
    size_t n_rows;
    const char *reason;        /* for KW_KIND_OTHER: why ("empty",
                                  "no main text", "binary", ...) */
    char charset[32];
    kw_arena *arena;
} kw_article;

/*
 * Extracts the article or notice of an HTML page.  @url (may be NULL) is
 * the page's address, used for site hints.  Every input yields a result:
 * a page without a main text gets kind KW_KIND_OTHER and a reason.
 * Returns KW_OK, KW_ENOMEM, or KW_ETOOBIG past KW_MAX_BODY.
 */
KW_API kw_err kw_extract(const char *p, size_t n, const char *declared,
                         const char *url, kw_article **out);
KW_API void kw_article_free(kw_article *a);

/* ---- Source-list files ------------------------------------------------ */

/* One source as described in a file; unset strings are NULL, unset
 * numbers 0.  Kind is the text of DESIGN.md: rss|atom|sitemap|list|page. */
typedef struct kw_source_spec {
    const char *name;
    const char *url;
    const char *kind;
    const char *every;        /* duration text: "10m" */
    const char *link_pattern; /* POSIX extended regex */
    const char *next_pattern;
    int list_depth;
    const char *detail_template; /* "https://h/view.do?id={1}": maps a
                                    script link's first argument to a URL */
    const char *attachment_template; /* "https://h/down.do?id={1}&n={2}":
                                        maps the arguments of a notice's
                                        script-only attachment link
                                        (fn_download('12','1')) to a URL */
    const char *attachment_method;   /* "get" (default) or "post": post
                                        sends the template's query as a
                                        form body to its path */
    const char *charset;      /* force a charset for this source */
    int line;                 /* line in the file where it starts */
} kw_source_spec;

typedef struct kw_source_file {
    kw_source_spec *sources;
    size_t n_sources;
    kw_arena *arena;
} kw_source_file;

/*
 * Parses a source list: the project's YAML format (see config/sources.yaml)
 * or OPML (outline elements with xmlUrl become rss sources).  The format is
 * recognised from the content.  Every entry is validated (required keys,
 * known kind, valid duration and regexes, http/https URL, unique names);
 * on the first problem returns KW_EPARSE and a message naming the line in
 * @err (at least 256 bytes), and nothing is returned.
 */
/*
 * Validates one source, as typed on the command line or read from a file:
 * name of [a-z0-9._-] (1..64 bytes), http or https url, known kind, valid
 * duration, regexes that compile (POSIX ERE), list options only with kind
 * list, detail_template and attachment_template containing "{1}",
 * attachment_method get or post (only with a template).  On failure returns KW_EINVAL
 * with a one-line reason (no line number) in @err.
 */
KW_API kw_err kw_source_spec_validate(const kw_source_spec *s, char *err,
                                      size_t err_n);

KW_API kw_err kw_source_file_parse(const char *p, size_t n, char *err,
                                   size_t err_n, kw_source_file **out);
KW_API void kw_source_file_free(kw_source_file *f);

#ifdef __cplusplus
}
#endif
#endif /* KW_PARSERS_H */
