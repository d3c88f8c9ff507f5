/* Small shared helpers: number and duration parsing, clocks, ISO 8601
 * formatting, UTF-8 validation and whole-file reads. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kw/common.h"

kw_err kw_parse_u64(const char *p, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    *out = 0;
    if (n == 0)
        return KW_EINVAL;
    for (i = 0; i < n; i++) {
        unsigned d;

        if (p[i] < '0' || p[i] > '9')
            return KW_EINVAL;
        d = (unsigned)(p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return KW_ETOOBIG;
        v = v * 10 + d;
    }
    *out = v;
    return KW_OK;
}

kw_err kw_parse_duration(const char *s, int64_t *out)
{
    size_t n = strlen(s), digits = 0;
    uint64_t v, mult = 1;
    kw_err rc;

    *out = 0;
    while (digits < n && s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if (digits == 0 || n - digits > 1)
        return KW_EINVAL;
    if (digits < n) {
        switch (s[digits]) {
        case 's':
            mult = 1;
            break;
        case 'm':
            mult = 60;
            break;
        case 'h':
            mult = 3600;
            break;
        case 'd':
            mult = 86400;
            break;
        default:
            return KW_EINVAL;
        }
    }
    rc = kw_parse_u64(s, digits, &v);
    if (rc)
        return rc;
    if (v == 0)
        return KW_EINVAL;
    if (v > (uint64_t)INT64_MAX / mult)
        return KW_ETOOBIG;
    *out = (int64_t)(v * mult);
    return KW_OK;
}

int64_t kw_now(void)
{
    return (int64_t)time(NULL);
}

int64_t kw_mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kw_time_iso(int64_t t, int offset_min, char out[32])
{
    time_t local = (time_t)(t + (int64_t)offset_min * 60);
    struct tm tm;
    int off = offset_min < 0 ? -offset_min : offset_min;

    char tmp[96];

    gmtime_r(&local, &tm);
    /* Format into a roomy buffer: years past 9999 cannot occur for news,
     * but the compiler cannot know that. */
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, offset_min < 0 ? '-' : '+', off / 60,
             off % 60);
    memcpy(out, tmp, 31);
    out[31] = '\0';
}

int kw_utf8_valid(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i];
        size_t len, k;
        unsigned cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i < len)
            return 0;
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += len;
    }
    return 1;
}

kw_err kw_read_file(const char *path, size_t max, char **out, size_t *n)
{
    FILE *f;
    kw_buf b;
    char chunk[65536];
    size_t got;
    kw_err rc = KW_OK;

    *out = NULL;
    *n = 0;
    f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? KW_ENOTFOUND : KW_EIO;
    kw_buf_init(&b, max);
    kw_buf_add(&b, "", 0);
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        kw_buf_add(&b, chunk, got);
    if (ferror(f))
        rc = KW_EIO;
    fclose(f);
    if (!rc)
        rc = b.err;
    if (rc) {
        kw_buf_deinit(&b);
        return rc;
    }
    *n = b.n;
    *out = kw_buf_steal(&b);
    return *out ? KW_OK : KW_ENOMEM;
}
