/*
 * warc.c -- WARC/1.1 archive writer and reader (ISO 28500:2017, "The WARC
 * File Format 1.1", iipc.github.io/warc-specifications).
 *
 * Writer: files "kowatch-YYYYMMDDhhmmss-NNNNN.warc.gz" in one directory,
 * each starting with a warcinfo record.  Every record is its own gzip
 * member (deflate with windowBits 31), so a record can be read by seeking
 * to its member and inflating just that, and the file as a whole is still
 * a valid multi-member gzip file.  An exchange is a response record and a
 * request record (WARC-Concurrent-To the response), written with one
 * write() per record and fsync'd before kw_warc_write_exchange() returns;
 * if anything fails the file is truncated back to where the exchange
 * began, so a file never ends in half an exchange.
 *
 * The stored response header block renames Content-Encoding,
 * Content-Length and Transfer-Encoding to X-Crawler-* (the body we store
 * is decoded and unchunked, as warcio and Heritrix do) and adds a
 * Content-Length that matches the stored body.  WARC-Block-Digest and
 * WARC-Payload-Digest are "sha1:" + RFC 4648 base32 of the SHA-1.
 *
 * File names are unique without a lock: a file is created with O_EXCL and
 * the serial NNNNN is increased until the name is free, which also keeps
 * two writers (in one or several processes) opened in the same second
 * apart.
 *
 * A writer is not thread-safe; the reader is (it keeps no state).
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "crawler_int.h"

#define WARC_ID_LEN 48 /* "<urn:uuid:" + 36 + ">" + NUL */
#define SHA1_B32_LEN 33 /* 32 base32 characters + NUL */
#define WARC_HEAD_MAX ((size_t)16384) /* WARC header block we accept */

struct kw_warc {
    char *dir;                  /* directory of the files (owned) */
    int64_t max_bytes;          /* rotate past this size */
    char *software;             /* named in warcinfo (owned) */
    int fd;                     /* current file, or -1 */
    char path[512];             /* its path */
    int64_t size;               /* its size = offset of the next record */
    int has_exchange;           /* the current file holds an exchange */
    int defer_sync;             /* exchanges wait for kw_warc_sync() */
    int dirty;                  /* written since the last fsync */
    unsigned serial;            /* next NNNNN to try */
    char info_id[WARC_ID_LEN];  /* WARC-Record-ID of its warcinfo */
    /* One deflate stream and output buffer serve every record: creating
     * and freeing ~270 KB of zlib state per record made glibc trim the
     * heap each time (brk, TLB shootdowns), 14% of the crawler's CPU in
     * bench_crawl; deflateReset starts each record's gzip member anew. */
    z_stream z;
    int has_z;                  /* z is initialised */
    unsigned char *out;         /* compressed record */
    size_t out_cap;
};

/* ---- Small helpers -------------------------------------------------- */

/* RFC 4648 base32 of a 20-byte SHA-1: exactly 32 characters, no padding. */
static void base32_sha1(const unsigned char in[20], char out[SHA1_B32_LEN])
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned buf = 0;
    int bits = 0;
    size_t o = 0;
    size_t i;

    for (i = 0; i < 20; i++) {
        buf = (buf << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = alpha[(buf >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    out[o] = '\0'; /* 160 bits = 32 groups of 5: nothing left over */
}

/* "sha1:BASE32" of a(an) followed by b(bn) into @out. */
static kw_err sha1_digest(const char *a, size_t an, const char *b, size_t bn,
                          char out[5 + SHA1_B32_LEN])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdn = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok;

    if (!ctx)
        return KW_ENOMEM;
    ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
         (an == 0 || EVP_DigestUpdate(ctx, a, an)) &&
         (bn == 0 || EVP_DigestUpdate(ctx, b, bn)) &&
         EVP_DigestFinal_ex(ctx, md, &mdn) && mdn == 20;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return KW_ENOMEM;
    memcpy(out, "sha1:", 5);
    base32_sha1(md, out + 5);
    return KW_OK;
}

/* A random (version 4) UUID as a WARC-Record-ID "<urn:uuid:...>". */
static kw_err new_record_id(char out[WARC_ID_LEN])
{
    unsigned char u[16];
    size_t got = 0;
    int n;

    while (got < sizeof(u)) {
        ssize_t r = getrandom(u + got, sizeof(u) - got, 0);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return KW_EIO;
        got += (size_t)r;
    }
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
    n = snprintf(out, WARC_ID_LEN,
                 "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                 "%02x%02x%02x%02x%02x%02x>",
                 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
                 u[10], u[11], u[12], u[13], u[14], u[15]);
    return n > 0 && n < WARC_ID_LEN ? KW_OK : KW_EINVAL;
}

/* WARC-Date: "YYYY-MM-DDThh:mm:ssZ" (UTC). */
static void warc_date(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) ||
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "1970-01-01T00:00:00Z");
}

static kw_err write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return KW_EIO;
        p += w;
        n -= (size_t)w;
    }
    return KW_OK;
}

/* mkdir -p @dir. */
static kw_err make_dirs(const char *dir)
{
    char path[512];
    size_t n = strlen(dir);
    size_t i;

    if (n == 0 || n >= sizeof(path))
        return KW_EINVAL;
    memcpy(path, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return KW_EIO;
        path[i] = i < n ? '/' : '\0';
    }
    return KW_OK;
}

/* ---- Records ---------------------------------------------------------- */

/*
 * Appends one record as a gzip member: the WARC header lines (@type, a
 * fresh or given @id, @url unless NULL, @ctype, the lines in @extra, each
 * ending in CRLF) and the block a(an) + b(bn).  *off and *len receive
 * where the member is.  On failure the file is truncated back.
 */
static kw_err write_record(kw_warc *w, const char *type, const char *id,
                           const char *url, int64_t at, const char *ctype,
                           const char *extra, const char *a, size_t an,
                           const char *b, size_t bn, int64_t *off,
                           int64_t *len)
{
    char date[32];
    char digest[5 + SHA1_B32_LEN];
    kw_buf h;
    z_stream *z = &w->z;
    unsigned char *out = NULL;
    uLong bound;
    kw_err rc;

    kw_buf_init(&h, WARC_HEAD_MAX + KW_MAX_URL);
    rc = sha1_digest(a, an, b, bn, digest);
    if (rc)
        goto cleanup;
    warc_date(at, date);
    kw_buf_adds(&h, "WARC/1.1\r\n");
    kw_buf_addf(&h, "WARC-Type: %s\r\n", type);
    kw_buf_addf(&h, "WARC-Record-ID: %s\r\n", id);
    kw_buf_addf(&h, "WARC-Date: %s\r\n", date);
    if (url)
        kw_buf_addf(&h, "WARC-Target-URI: %s\r\n", url);
    if (w->info_id[0] && strcmp(type, "warcinfo") != 0)
        kw_buf_addf(&h, "WARC-Warcinfo-ID: %s\r\n", w->info_id);
    if (extra)
        kw_buf_adds(&h, extra);
    kw_buf_addf(&h, "WARC-Block-Digest: %s\r\n", digest);
    kw_buf_addf(&h, "Content-Type: %s\r\n", ctype);
    kw_buf_addf(&h, "Content-Length: %zu\r\n\r\n", an + bn);
    rc = h.err;
    if (rc)
        goto cleanup;

    if (!w->has_z) {
        memset(&w->z, 0, sizeof(w->z));
        if (deflateInit2(&w->z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) !=
            Z_OK) {
            rc = KW_ENOMEM;
            goto cleanup;
        }
        w->has_z = 1;
    } else if (deflateReset(&w->z) != Z_OK) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    bound = deflateBound(&w->z, (uLong)(h.n + an + bn + 4));
    if (bound > w->out_cap) {
        unsigned char *nb = kw_realloc(w->out, bound);

        if (!nb) {
            rc = KW_ENOMEM;
            goto cleanup;
        }
        w->out = nb;
        w->out_cap = bound;
    }
    out = w->out;
    z->next_out = out;
    z->avail_out = (uInt)bound;
    z->next_in = (Bytef *)h.p;
    z->avail_in = (uInt)h.n;
    if (deflate(z, Z_NO_FLUSH) != Z_OK)
        goto zfail;
    z->next_in = (Bytef *)(uintptr_t)a;
    z->avail_in = (uInt)an;
    if (an && deflate(z, Z_NO_FLUSH) != Z_OK)
        goto zfail;
    z->next_in = (Bytef *)(uintptr_t)b;
    z->avail_in = (uInt)bn;
    if (bn && deflate(z, Z_NO_FLUSH) != Z_OK)
        goto zfail;
    z->next_in = (Bytef *)(uintptr_t) "\r\n\r\n";
    z->avail_in = 4;
    if (deflate(z, Z_FINISH) != Z_STREAM_END)
        goto zfail;

    rc = write_all(w->fd, out, z->total_out);
    if (rc) {
        /* Leave no partial member behind. */
        if (ftruncate(w->fd, (off_t)w->size) != 0)
            kw_log(KW_LOG_ERROR, "crawler", "warc %s: truncate failed",
                   w->path);
        goto cleanup;
    }
    *off = w->size;
    *len = (int64_t)z->total_out;
    w->size += (int64_t)z->total_out;
    goto cleanup;
zfail:
    rc = KW_ENOMEM;
cleanup:
    kw_buf_deinit(&h);
    return rc;
}

/* Starts a new file with its warcinfo record. */
static kw_err open_file(kw_warc *w, int64_t now)
{
    char stamp[32];
    char id[WARC_ID_LEN];
    const char *name;
    time_t tt = (time_t)now;
    struct tm tm;
    kw_buf info;
    kw_buf extra;
    int64_t off;
    int64_t len;
    int dfd;
    int n;
    kw_err rc;

    kw_buf_init(&info, 4096);
    kw_buf_init(&extra, 1024);
    if (!gmtime_r(&tt, &tm) ||
        strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm) == 0) {
        rc = KW_EINVAL;
        goto cleanup;
    }
    for (;;) {
        n = snprintf(w->path, sizeof(w->path), "%s/kowatch-%s-%05u.warc.gz",
                     w->dir, stamp, w->serial % 100000);
        if (n < 0 || (size_t)n >= sizeof(w->path)) {
            rc = KW_EINVAL;
            goto cleanup;
        }
        w->serial++;
        w->fd = open(w->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                     0644);
        if (w->fd >= 0)
            break;
        if (errno != EEXIST || w->serial > 100000) {
            rc = KW_EIO;
            goto cleanup;
        }
    }
    w->size = 0;
    w->has_exchange = 0;
    /* Make the new name itself durable. */
    dfd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }

    name = strrchr(w->path, '/');
    name = name ? name + 1 : w->path;
    rc = new_record_id(id);
    if (rc)
        goto cleanup;
    kw_buf_addf(&info, "software: %s\r\n", w->software);
    kw_buf_adds(&info, "format: WARC File Format 1.1\r\n");
    kw_buf_adds(&info, "conformsTo: http://iipc.github.io/"
                       "warc-specifications/specifications/warc-format/"
                       "warc-1.1/\r\n");
    kw_buf_addf(&extra, "WARC-Filename: %s\r\n", name);
    rc = info.err ? info.err : extra.err;
    if (rc)
        goto cleanup;
    w->info_id[0] = '\0';
    rc = write_record(w, "warcinfo", id, NULL, now, "application/warc-fields",
                      extra.p, info.p, info.n, NULL, 0, &off, &len);
    if (rc)
        goto cleanup;
    memcpy(w->info_id, id, sizeof(id));
    if (fsync(w->fd) != 0)
        rc = KW_EIO;
cleanup:
    if (rc && w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
        unlink(w->path);
    }
    kw_buf_deinit(&info);
    kw_buf_deinit(&extra);
    return rc;
}

kw_err kw_warc_open(const char *dir, int64_t max_bytes, const char *software,
                    kw_warc **out)
{
    kw_warc *w;
    kw_err rc;

    *out = NULL;
    if (!dir || !dir[0] || strlen(dir) > 400)
        return KW_EINVAL;
    w = kw_calloc(1, sizeof(*w));
    if (!w)
        return KW_ENOMEM;
    w->fd = -1;
    w->max_bytes = max_bytes > 0 ? max_bytes : INT64_MAX;
    w->dir = kw_strdup(dir);
    w->software = kw_strdup(software ? software : "kowatch");
    if (!w->dir || !w->software) {
        rc = KW_ENOMEM;
        goto fail;
    }
    rc = make_dirs(dir);
    if (rc)
        goto fail;
    rc = open_file(w, kw_now());
    if (rc)
        goto fail;
    *out = w;
    return KW_OK;
fail:
    kw_warc_close(w);
    return rc;
}

void kw_warc_defer_sync(kw_warc *w, int on)
{
    if (w)
        w->defer_sync = on;
}

kw_err kw_warc_sync(kw_warc *w)
{
    if (!w || w->fd < 0 || !w->dirty)
        return KW_OK;
    if (fsync(w->fd) != 0)
        return KW_EIO;
    w->dirty = 0;
    return KW_OK;
}

void kw_warc_close(kw_warc *w)
{
    if (!w)
        return;
    (void)kw_warc_sync(w);
    if (w->fd >= 0)
        close(w->fd);
    if (w->has_z)
        deflateEnd(&w->z);
    kw_free(w->out);
    kw_free(w->dir);
    kw_free(w->software);
    kw_free(w);
}

static int header_is(const char *p, size_t n, const char *name)
{
    size_t k = strlen(name);

    return n > k && p[k] == ':' && strncasecmp(p, name, k) == 0;
}

/*
 * Rewrites the received response head p[0..n) for storage (see the file
 * comment) into @b, with CRLF line ends and a Content-Length of @body_n.
 */
static void stored_head(const char *p, size_t n, size_t body_n, kw_buf *b)
{
    size_t i = 0;
    int first = 1;

    while (i < n) {
        size_t s = i;
        size_t e;

        while (i < n && p[i] != '\n')
            i++;
        e = i;
        if (i < n)
            i++;
        if (e > s && p[e - 1] == '\r')
            e--;
        if (e == s) {
            if (first)
                continue; /* stray blank lines before the status line */
            break;        /* end of the head */
        }
        if (!first && (header_is(p + s, e - s, "Content-Encoding") ||
                       header_is(p + s, e - s, "Content-Length") ||
                       header_is(p + s, e - s, "Transfer-Encoding")))
            kw_buf_adds(b, "X-Crawler-");
        kw_buf_add(b, p + s, e - s);
        kw_buf_add(b, "\r\n", 2);
        first = 0;
    }
    kw_buf_addf(b, "Content-Length: %zu\r\n\r\n", body_n);
}

kw_err kw_warc_write_exchange(kw_warc *w, const char *url, int64_t at,
                              const char *req_head, size_t req_n,
                              const char *resp_head, size_t resp_n,
                              const char *body, size_t body_n,
                              kw_warc_pos *pos)
{
    char resp_id[WARC_ID_LEN];
    char req_id[WARC_ID_LEN];
    char digest[5 + SHA1_B32_LEN];
    kw_buf head;
    kw_buf extra;
    int64_t start;
    int64_t off = 0;
    int64_t len = 0;
    int64_t roff;
    int64_t rlen;
    kw_err rc;

    memset(pos, 0, sizeof(*pos));
    if (!w || !url || (!req_head && req_n) || (!resp_head && resp_n) ||
        (!body && body_n))
        return KW_EINVAL;
    kw_buf_init(&head, KW_MAX_HEADER * 2);
    kw_buf_init(&extra, 1024);
    if (w->fd < 0 || (w->has_exchange && w->size >= w->max_bytes)) {
        /* Records waiting for a deferred sync are made durable before
         * their file is left. */
        if (w->fd >= 0 && kw_warc_sync(w) != KW_OK) {
            rc = KW_EIO;
            goto cleanup;
        }
        if (w->fd >= 0)
            close(w->fd);
        w->fd = -1;
        rc = open_file(w, kw_now());
        if (rc)
            goto cleanup;
    }
    start = w->size;

    rc = new_record_id(resp_id);
    if (!rc)
        rc = new_record_id(req_id);
    if (!rc)
        rc = sha1_digest(body, body_n, NULL, 0, digest);
    if (rc)
        goto cleanup;
    stored_head(resp_head ? resp_head : "", resp_n, body_n, &head);
    kw_buf_addf(&extra, "WARC-Payload-Digest: %s\r\n", digest);
    rc = head.err ? head.err : extra.err;
    if (rc)
        goto cleanup;
    rc = write_record(w, "response", resp_id, url, at,
                      "application/http;msgtype=response", extra.p, head.p,
                      head.n, body, body_n, &roff, &rlen);
    if (rc)
        goto cleanup;

    kw_buf_reset(&extra);
    kw_buf_addf(&extra, "WARC-Concurrent-To: %s\r\n", resp_id);
    rc = extra.err;
    if (!rc)
        rc = write_record(w, "request", req_id, url, at,
                          "application/http;msgtype=request", extra.p,
                          req_head, req_n, NULL, 0, &off, &len);
    if (!rc && !w->defer_sync && fsync(w->fd) != 0)
        rc = KW_EIO;
    if (!rc && w->defer_sync)
        w->dirty = 1;
    if (rc) {
        /* Drop the response record too: no half exchanges on disk. */
        if (ftruncate(w->fd, (off_t)start) == 0)
            w->size = start;
        goto cleanup;
    }
    w->has_exchange = 1;
    snprintf(pos->file, sizeof(pos->file), "%s", w->path);
    pos->offset = roff;
    pos->length = rlen;
cleanup:
    kw_buf_deinit(&head);
    kw_buf_deinit(&extra);
    return rc;
}

/* ---- Reader ------------------------------------------------------------ */

/* Value of WARC header @name in the header block h[0..n), or NULL;
 * *vn receives its length. */
static const char *warc_header(const char *h, size_t n, const char *name,
                               size_t *vn)
{
    size_t k = strlen(name);
    size_t i = 0;

    while (i < n) {
        size_t s = i;
        size_t e;

        while (i < n && h[i] != '\n')
            i++;
        e = i;
        if (i < n)
            i++;
        if (e > s && h[e - 1] == '\r')
            e--;
        if (e - s > k && h[s + k] == ':' && strncasecmp(h + s, name, k) == 0) {
            size_t v = s + k + 1;

            while (v < e && (h[v] == ' ' || h[v] == '\t'))
                v++;
            while (e > v && (h[e - 1] == ' ' || h[e - 1] == '\t'))
                e--;
            *vn = e - v;
            return h + v;
        }
    }
    *vn = 0;
    return NULL;
}

/* Inflates exactly one gzip member from in[0..n) into *out (owned),
 * at most @max bytes. */
static kw_err inflate_member(const unsigned char *in, size_t n, size_t max,
                             char **out, size_t *out_n)
{
    z_stream z;
    char *buf = NULL;
    size_t cap = 0;
    size_t used = 0;
    int zrc = Z_OK;
    kw_err rc;

    *out = NULL;
    *out_n = 0;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 31) != Z_OK)
        return KW_ENOMEM;
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    while (zrc != Z_STREAM_END) {
        if (cap - used < 65536) {
            size_t ncap = cap ? cap * 2 : 262144;
            char *nb;

            if (cap > max + 1) {
                rc = KW_ETOOBIG;
                goto cleanup;
            }
            nb = kw_realloc(buf, ncap + 1);
            if (!nb) {
                rc = KW_ENOMEM;
                goto cleanup;
            }
            buf = nb;
            cap = ncap;
        }
        z.next_out = (Bytef *)buf + used;
        z.avail_out = (uInt)(cap - used);
        zrc = inflate(&z, Z_NO_FLUSH);
        used = cap - z.avail_out;
        if (zrc == Z_MEM_ERROR) {
            rc = KW_ENOMEM;
            goto cleanup;
        }
        if (zrc != Z_OK && zrc != Z_STREAM_END) {
            rc = KW_EPARSE; /* corrupt data, or the member is cut short */
            goto cleanup;
        }
        if (used > max) {
            rc = KW_ETOOBIG;
            goto cleanup;
        }
    }
    buf[used] = '\0';
    *out = buf;
    *out_n = used;
    buf = NULL;
    rc = KW_OK;
cleanup:
    inflateEnd(&z);
    kw_free(buf);
    return rc;
}

kw_err kw_warc_read_response(const char *file, int64_t offset, int64_t length,
                             size_t max_body, char **head, size_t *head_n,
                             char **body, size_t *body_n)
{
    unsigned char *raw = NULL;
    char *rec = NULL;
    size_t rec_n = 0;
    size_t limit;
    size_t got = 0;
    size_t hend;
    size_t vn;
    size_t blen;
    size_t bstart;
    size_t split;
    size_t sep;
    const char *v;
    const char *blk;
    char digest[5 + SHA1_B32_LEN];
    char *h = NULL;
    char *b = NULL;
    uint64_t cl;
    int fd = -1;
    kw_err rc;

    *head = NULL;
    *body = NULL;
    if (head_n)
        *head_n = 0;
    if (body_n)
        *body_n = 0;
    if (!file || offset < 0 || length <= 0)
        return KW_EINVAL;
    if (max_body == 0)
        max_body = KW_MAX_BODY;
    /* A record holds a WARC head, an HTTP head and the body; deflate adds
     * at most a little to incompressible data. */
    limit = max_body + 2 * KW_MAX_HEADER + WARC_HEAD_MAX + KW_MAX_URL;
    if ((uint64_t)length > (uint64_t)limit + limit / 100 + 65536)
        return KW_ETOOBIG;

    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return KW_EIO;
    raw = kw_malloc((size_t)length);
    if (!raw) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    while (got < (size_t)length) {
        ssize_t r = pread(fd, raw + got, (size_t)length - got,
                          (off_t)(offset + (int64_t)got));

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = KW_EIO;
            goto cleanup;
        }
        if (r == 0) {
            rc = KW_EPARSE; /* past the end of the file */
            goto cleanup;
        }
        got += (size_t)r;
    }
    rc = inflate_member(raw, got, limit, &rec, &rec_n);
    if (rc)
        goto cleanup;

    /* WARC header block. */
    rc = KW_EPARSE;
    if (rec_n < 10 || (memcmp(rec, "WARC/1.1\r\n", 10) != 0 &&
                       memcmp(rec, "WARC/1.0\r\n", 10) != 0))
        goto cleanup;
    blk = strstr(rec, "\r\n\r\n");
    if (!blk)
        goto cleanup;
    hend = (size_t)(blk - rec) + 2;
    bstart = hend + 2;
    v = warc_header(rec, hend, "WARC-Type", &vn);
    if (!v || vn != 8 || memcmp(v, "response", 8) != 0)
        goto cleanup;
    v = warc_header(rec, hend, "Content-Length", &vn);
    if (!v || kw_parse_u64(v, vn, &cl) || cl > rec_n - bstart)
        goto cleanup;
    blen = (size_t)cl;

    /* HTTP head and body inside the block. */
    blk = rec + bstart;
    split = blen;
    sep = 0;
    for (vn = 0; vn + 1 < blen; vn++) {
        if (blk[vn] == '\n' && blk[vn + 1] == '\n') {
            split = vn + 1;
            sep = 1;
            break;
        }
        if (vn + 3 < blen && memcmp(blk + vn, "\r\n\r\n", 4) == 0) {
            split = vn + 2;
            sep = 2;
            break;
        }
    }
    if (!sep)
        goto cleanup;
    if (blen - split - sep > max_body) {
        rc = KW_ETOOBIG;
        goto cleanup;
    }
    v = warc_header(rec, hend, "WARC-Payload-Digest", &vn);
    if (!v)
        goto cleanup;
    rc = sha1_digest(blk + split + sep, blen - split - sep, NULL, 0, digest);
    if (rc)
        goto cleanup;
    if (vn != strlen(digest) || strncasecmp(v, digest, vn) != 0) {
        rc = KW_EPARSE;
        goto cleanup;
    }
    h = kw_strndup(blk, split);
    b = kw_strndup(blk + split + sep, blen - split - sep);
    if (!h || !b) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    *head = h;
    *body = b;
    if (head_n)
        *head_n = split;
    if (body_n)
        *body_n = blen - split - sep;
    h = NULL;
    b = NULL;
    rc = KW_OK;
cleanup:
    if (fd >= 0)
        close(fd);
    kw_free(raw);
    kw_free(rec);
    kw_free(h);
    kw_free(b);
    return rc;
}
