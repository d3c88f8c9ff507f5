/*
 * html.c -- the one HTML escaper of queries/: web pages, the HTML digest,
 * alert e-mails and the snippets of the JSON search results all escape
 * text that came from pages here.
 */
#include <string.h>

#include "kw/web.h"

void kw_html_escape_n(kw_buf *b, const char *p, size_t n)
{
    size_t i, start = 0;

    for (i = 0; i < n; i++) {
        const char *rep = NULL;

        switch (p[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            break;
        }
        if (rep) {
            kw_buf_add(b, p + start, i - start);
            kw_buf_adds(b, rep);
            start = i + 1;
        }
    }
    kw_buf_add(b, p + start, n - start);
}

void kw_html_escape(kw_buf *b, const char *s)
{
    if (s)
        kw_html_escape_n(b, s, strlen(s));
}

void kw_html_snippet(kw_buf *b, const char *s, const char *open,
                     const char *close)
{
    const char *start = s;

    for (; s && *s; s++) {
        if (*s == '\x02' || *s == '\x03') {
            kw_html_escape_n(b, start, (size_t)(s - start));
            kw_buf_adds(b, *s == '\x02' ? open : close);
            start = s + 1;
        }
    }
    if (start)
        kw_html_escape_n(b, start, (size_t)(s - start));
}
