/*
 * Arenas (nginx ngx_pool_t): everything parsed from one page is allocated
 * here and freed in one step once the page is stored.  Chunks grow
 * geometrically; a request larger than a chunk gets a chunk of its own.
 */
#include <stdio.h>
#include <string.h>

#include "kw/common.h"

#define ARENA_ALIGN 16
#define ARENA_FIRST 4096

typedef struct chunk {
    struct chunk *next; /* older chunk */
    size_t used;        /* bytes handed out from data */
    size_t cap;         /* bytes in data */
    _Alignas(ARENA_ALIGN) unsigned char data[];
} chunk;

struct kw_arena {
    chunk *head;     /* current chunk, NULL before the first allocation */
    size_t next_cap; /* capacity of the next chunk */
};

kw_arena *kw_arena_new(void)
{
    kw_arena *a = kw_calloc(1, sizeof(*a));

    if (a)
        a->next_cap = ARENA_FIRST;
    return a;
}

void kw_arena_free(kw_arena *a)
{
    chunk *c, *next;

    if (!a)
        return;
    for (c = a->head; c; c = next) {
        next = c->next;
        kw_free(c);
    }
    kw_free(a);
}

void *kw_arena_alloc(kw_arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    chunk *c = a->head;
    void *p;

    if (need < n)
        return NULL;
    if (!c || c->cap - c->used < need) {
        size_t cap = a->next_cap;

        if (cap < need)
            cap = need;
        if (cap > SIZE_MAX - sizeof(chunk))
            return NULL;
        c = kw_malloc(sizeof(chunk) + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
        if (a->next_cap < (size_t)1 << 20)
            a->next_cap *= 2;
    }
    p = c->data + c->used;
    c->used += need;
    memset(p, 0, n);
    return p;
}

char *kw_arena_strndup(kw_arena *a, const char *s, size_t n)
{
    char *d;

    if (!s)
        return NULL;
    d = kw_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *kw_arena_strdup(kw_arena *a, const char *s)
{
    return s ? kw_arena_strndup(a, s, strlen(s)) : NULL;
}

char *kw_arena_printf(kw_arena *a, const char *fmt, ...)
{
    va_list ap;
    int len;
    char *d;

    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return NULL;
    d = kw_arena_alloc(a, (size_t)len + 1);
    if (!d)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return d;
}
