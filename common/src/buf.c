/*
 * Growable NUL-terminated buffers with a hard size limit and a sticky
 * error (SQLite Fts5Buffer, curl dynbuf): after the first failure every
 * call is a no-op, so callers check .err once at the end.
 */
#include <stdio.h>
#include <string.h>

#include "kw/common.h"

void kw_buf_init(kw_buf *b, size_t max)
{
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
    b->max = max;
    b->err = KW_OK;
}

void kw_buf_deinit(kw_buf *b)
{
    kw_free(b->p);
    kw_buf_init(b, b->max);
}

void kw_buf_reset(kw_buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
    b->err = KW_OK;
}

/* Makes room for @extra more bytes plus the NUL; sets b->err on failure. */
static int buf_grow(kw_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->err)
        return 0;
    if (extra > b->max || b->n > b->max - extra) {
        b->err = KW_ETOOBIG;
        return 0;
    }
    need = b->n + extra + 1;
    if (need <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = kw_realloc(b->p, cap);
    if (!p) {
        b->err = KW_ENOMEM;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void kw_buf_add(kw_buf *b, const void *p, size_t n)
{
    if (!buf_grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void kw_buf_adds(kw_buf *b, const char *s)
{
    kw_buf_add(b, s, strlen(s));
}

void kw_buf_addc(kw_buf *b, char c)
{
    kw_buf_add(b, &c, 1);
}

void kw_buf_vaddf(kw_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int len;

    if (b->err)
        return;
    va_copy(ap2, ap);
    len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0) {
        b->err = KW_EINVAL;
        return;
    }
    if (!buf_grow(b, (size_t)len))
        return;
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
    b->n += (size_t)len;
}

void kw_buf_addf(kw_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kw_buf_vaddf(b, fmt, ap);
    va_end(ap);
}

char *kw_buf_steal(kw_buf *b)
{
    char *p;

    if (b->err) {
        kw_buf_deinit(b);
        return NULL;
    }
    if (!b->p) {
        p = kw_strdup("");
        return p;
    }
    p = b->p;
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
    return p;
}
