/*
 * gzip decompression (RFC 1952) with zlib, for .xml.gz sitemaps and saved
 * pages.  All members of a multi-member stream are inflated (gzip(1) and
 * RFC 1952 section 2.2 allow concatenation).  Output is bounded by a hard
 * limit so that a compression bomb costs at most @max bytes.
 */
#include <limits.h>
#include <string.h>

#include <zlib.h>

#include "kw/parsers.h"

#define GZ_CHUNK 65536

static int is_gzip(const char *p, size_t n)
{
    return n >= 2 && (unsigned char)p[0] == 0x1f &&
           (unsigned char)p[1] == 0x8b;
}

kw_err kw_gunzip(const char *p, size_t n, size_t max, char **out,
                 size_t *out_n)
{
    z_stream zs;
    kw_buf b;
    unsigned char *chunk = NULL;
    kw_err rc = KW_OK;
    int zr, inited = 0;

    *out = NULL;
    *out_n = 0;
    if (!p || !is_gzip(p, n))
        return KW_OK;
    if (n > UINT_MAX)
        return KW_ETOOBIG;
    kw_buf_init(&b, max);
    chunk = kw_malloc(GZ_CHUNK);
    if (!chunk) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    inited = 1;
    zs.next_in = (Bytef *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    for (;;) {
        zs.next_out = chunk;
        zs.avail_out = GZ_CHUNK;
        zr = inflate(&zs, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END) {
            rc = (zr == Z_MEM_ERROR) ? KW_ENOMEM : KW_EPARSE;
            goto cleanup;
        }
        kw_buf_add(&b, chunk, GZ_CHUNK - zs.avail_out);
        if (b.err) {
            rc = b.err;
            goto cleanup;
        }
        if (zr == Z_STREAM_END) {
            /* Another member follows, or trailing garbage we ignore. */
            if (zs.avail_in >= 2 && is_gzip((const char *)zs.next_in,
                                            zs.avail_in)) {
                if (inflateReset(&zs) != Z_OK) {
                    rc = KW_EPARSE;
                    goto cleanup;
                }
                continue;
            }
            break;
        }
        if (zs.avail_in == 0 && zs.avail_out != 0) {
            rc = KW_EPARSE; /* truncated stream */
            goto cleanup;
        }
    }
    *out_n = b.n;
    *out = kw_buf_steal(&b);
    if (!*out) {
        *out_n = 0;
        rc = KW_ENOMEM;
    }
cleanup:
    if (inited)
        inflateEnd(&zs);
    kw_free(chunk);
    kw_buf_deinit(&b);
    return rc;
}
