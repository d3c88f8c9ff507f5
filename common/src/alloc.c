/*
 * The one entry point for allocation.  Having it lets tests make the n-th
 * allocation fail (curl's torture tests, SQLite's malloc tests) and check
 * that every failure path returns KW_ENOMEM without leaking.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kw/common.h"

static atomic_long alloc_count;
static atomic_long fail_at; /* absolute count at which to fail; 0: never */

void kw_alloc_fail_at(long n)
{
    atomic_store(&fail_at, n > 0 ? atomic_load(&alloc_count) + n : 0);
}

long kw_alloc_count(void)
{
    return atomic_load(&alloc_count);
}

/* Counts one allocation and says whether it must fail. */
static int should_fail(void)
{
    long c = atomic_fetch_add(&alloc_count, 1) + 1;
    long f = atomic_load(&fail_at);

    return f > 0 && c == f;
}

void *kw_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *kw_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *kw_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void kw_free(void *p)
{
    free(p);
}

char *kw_strndup(const char *s, size_t n)
{
    char *d;

    if (!s)
        return NULL;
    d = kw_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *kw_strdup(const char *s)
{
    return s ? kw_strndup(s, strlen(s)) : NULL;
}
