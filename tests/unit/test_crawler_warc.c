/*
 * test_crawler_warc.c -- the WARC/1.1 writer and reader (crawler/warc.c):
 * exchanges read back by position, the stored header rewrite, digests,
 * rotation, corrupt positions, and an independent format check (the whole
 * file inflated as multi-member gzip, every record's header and
 * Content-Length verified; `gzip -t` when gzip is installed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "crawler_int.h"

static const char req[] = "GET /a?b=1 HTTP/1.1\r\nHost: n.example\r\n"
                          "User-Agent: kowatch/0.1\r\n"
                          "Accept-Encoding: gzip\r\n\r\n";
static const char resp[] = "HTTP/1.1 200 OK\r\n"
                           "Content-Type: text/html; charset=utf-8\r\n"
                           "Content-Encoding: gzip\r\n"
                           "Content-Length: 1234\r\n"
                           "Transfer-Encoding: chunked\r\n"
                           "X-Other: keep\r\n\r\n";

typedef struct tmpdir {
    char path[256]; /* the directory */
} tmpdir;

static void tmp_make(tmpdir *t)
{
    snprintf(t->path, sizeof(t->path), "/tmp/kw_warc_XXXXXX");
    assert_non_null(mkdtemp(t->path));
}

static void tmp_remove(tmpdir *t)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->path);
    assert_int_equal(system(cmd), 0);
}

/* Number of .warc.gz files in @dir; the first name into @first. */
static int count_files(const char *dir, char *first, size_t first_n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    for (e = readdir(d); e; e = readdir(d)) {
        size_t len = strlen(e->d_name);

        if (len > 8 && strcmp(e->d_name + len - 8, ".warc.gz") == 0) {
            if (first && (n == 0 || strcmp(e->d_name, first) < 0))
                snprintf(first, first_n, "%s", e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

/* Reads a whole file with stdio (malloc'd). */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p;
    long len;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)len + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return p;
}

/*
 * Independent check of a WARC file: inflate every gzip member in turn
 * (inflateReset between members), and in each member's output check one
 * whole record: "WARC/1.1", WARC-Type, WARC-Record-ID, Content-Length that
 * matches the block, the "\r\n\r\n" after it.  Returns the number of
 * records and counts the types.
 */
static int check_file(const char *path, int *n_info, int *n_req,
                      int *n_resp)
{
    size_t n;
    unsigned char *p = slurp(path, &n);
    size_t cap = 64 << 20;
    char *out = malloc(cap);
    z_stream z;
    size_t off = 0;
    int records = 0;

    assert_non_null(out);
    memset(&z, 0, sizeof(z));
    assert_int_equal(inflateInit2(&z, 31), Z_OK);
    while (off < n) {
        size_t used;
        char *end;
        char *cl;
        char *type;
        unsigned long long len;

        z.next_in = p + off;
        z.avail_in = (uInt)(n - off);
        z.next_out = (Bytef *)out;
        z.avail_out = (uInt)cap - 1;
        assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
        used = cap - 1 - z.avail_out;
        off = n - z.avail_in;
        out[used] = '\0';
        assert_int_equal(inflateReset(&z), Z_OK);

        assert_memory_equal(out, "WARC/1.1\r\n", 10);
        end = strstr(out, "\r\n\r\n");
        assert_non_null(end);
        *end = '\0';
        assert_non_null(strstr(out, "\r\nWARC-Record-ID: <urn:uuid:"));
        assert_non_null(strstr(out, "\r\nWARC-Date: "));
        assert_non_null(strstr(out, "\r\nWARC-Block-Digest: sha1:"));
        cl = strstr(out, "\r\nContent-Length: ");
        assert_non_null(cl);
        len = strtoull(cl + 18, NULL, 10);
        /* block, then exactly "\r\n\r\n", then the member ends */
        assert_true(end + 4 + len + 4 == out + used);
        assert_memory_equal(end + 4 + len, "\r\n\r\n", 4);
        type = strstr(out, "\r\nWARC-Type: ");
        assert_non_null(type);
        type += 13;
        if (strncmp(type, "warcinfo\r", 9) == 0) {
            assert_int_equal(records, 0);
            assert_non_null(strstr(out, "application/warc-fields"));
            (*n_info)++;
        } else if (strncmp(type, "request\r", 8) == 0) {
            assert_non_null(strstr(out, "\r\nWARC-Concurrent-To: <urn:uuid:"));
            assert_non_null(
                strstr(out, "Content-Type: application/http;msgtype=request"));
            (*n_req)++;
        } else if (strncmp(type, "response\r", 9) == 0) {
            assert_non_null(strstr(out, "\r\nWARC-Payload-Digest: sha1:"));
            assert_non_null(strstr(out, "\r\nWARC-Target-URI: http"));
            assert_non_null(strstr(out, "\r\nWARC-Warcinfo-ID: <urn:uuid:"));
            assert_non_null(strstr(
                out, "Content-Type: application/http;msgtype=response"));
            (*n_resp)++;
        } else {
            fail_msg("unexpected record type %.20s", type);
        }
        records++;
    }
    inflateEnd(&z);
    free(out);
    free(p);
    return records;
}

static void gzip_t(const char *path)
{
    char cmd[1100];

    if (system("command -v gzip >/dev/null 2>&1") != 0)
        return; /* gzip not installed: the zlib check above suffices */
    snprintf(cmd, sizeof(cmd), "gzip -t '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static void test_base32_digest_known(void **state)
{
    /* SHA-1("") = da39a3ee...; its base32 is the well-known
     * 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ. */
    tmpdir t;
    kw_warc *w = NULL;
    kw_warc_pos pos;
    char path[512];
    size_t n;
    unsigned char *p;
    char *out = malloc(1 << 20);
    z_stream z;

    (void)state;
    tmp_make(&t);
    assert_int_equal(kw_warc_open(t.path, 0, "kowatch test", &w), KW_OK);
    assert_int_equal(kw_warc_write_exchange(w, "http://n.example/", 0, req,
                                            sizeof(req) - 1, resp,
                                            sizeof(resp) - 1, "", 0, &pos),
                     KW_OK);
    kw_warc_close(w);
    snprintf(path, sizeof(path), "%s", pos.file);
    p = slurp(path, &n);
    memset(&z, 0, sizeof(z));
    assert_int_equal(inflateInit2(&z, 31), Z_OK);
    z.next_in = p + pos.offset;
    z.avail_in = (uInt)pos.length;
    z.next_out = (Bytef *)out;
    z.avail_out = (1 << 20) - 1;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    out[(1 << 20) - 1 - z.avail_out] = '\0';
    inflateEnd(&z);
    assert_non_null(strstr(
        out, "WARC-Payload-Digest: sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ\r\n"));
    assert_non_null(strstr(out, "WARC-Date: 1970-01-01T00:00:00Z\r\n"));
    free(out);
    free(p);
    tmp_remove(&t);
}

static void test_write_read_back(void **state)
{
    tmpdir t;
    kw_warc *w = NULL;
    kw_warc_pos pos[6];
    char url[64];
    char body[6][200];
    size_t blen[6];
    char name[256];
    char full[512];
    int n_info = 0;
    int n_req = 0;
    int n_resp = 0;
    int i;

    (void)state;
    tmp_make(&t);
    assert_int_equal(kw_warc_open(t.path, 0, "kowatch test", &w), KW_OK);
    for (i = 0; i < 6; i++) {
        int k;

        blen[i] = (size_t)snprintf(body[i], sizeof(body[i]),
                                   "<html>page %d 한국어</html>", i);
        if (i == 3) { /* binary, with NULs */
            for (k = 0; k < 100; k++)
                body[i][k] = (char)(k * 7);
            blen[i] = 100;
        }
        snprintf(url, sizeof(url), "https://n.example/p/%d", i);
        assert_int_equal(kw_warc_write_exchange(w, url, 1700000000 + i, req,
                                                sizeof(req) - 1, resp,
                                                sizeof(resp) - 1, body[i],
                                                blen[i], &pos[i]),
                         KW_OK);
        assert_true(pos[i].offset > 0);
        assert_true(pos[i].length > 0);
        if (i > 0) {
            assert_string_equal(pos[i].file, pos[0].file);
            assert_true(pos[i].offset > pos[i - 1].offset);
        }
    }
    kw_warc_close(w);

    /* Read in a different order than written. */
    for (i = 5; i >= 0; i--) {
        char *head = (char *)1;
        char *b = (char *)1;
        size_t hn = 0;
        size_t bn = 0;
        char want[512];

        assert_int_equal(kw_warc_read_response(pos[i].file, pos[i].offset,
                                               pos[i].length, 0, &head, &hn,
                                               &b, &bn),
                         KW_OK);
        assert_int_equal(bn, blen[i]);
        assert_memory_equal(b, body[i], bn);
        assert_int_equal(b[bn], '\0');
        assert_int_equal(strlen(head), hn);
        snprintf(want, sizeof(want),
                 "HTTP/1.1 200 OK\r\n"
                 "Content-Type: text/html; charset=utf-8\r\n"
                 "X-Crawler-Content-Encoding: gzip\r\n"
                 "X-Crawler-Content-Length: 1234\r\n"
                 "X-Crawler-Transfer-Encoding: chunked\r\n"
                 "X-Other: keep\r\n"
                 "Content-Length: %zu\r\n",
                 blen[i]);
        assert_string_equal(head, want);
        kw_free(head);
        kw_free(b);
    }

    /* The file name, the format, and gzip's own opinion. */
    assert_int_equal(count_files(t.path, name, sizeof(name)), 1);
    assert_int_equal(strncmp(name, "kowatch-", 8), 0);
    assert_int_equal(strlen(name),
                     strlen("kowatch-YYYYMMDDhhmmss-NNNNN.warc.gz"));
    assert_int_equal(name[22], '-');
    snprintf(full, sizeof(full), "%s/%s", t.path, name);
    assert_string_equal(full, pos[0].file);
    assert_int_equal(check_file(full, &n_info, &n_req, &n_resp), 13);
    assert_int_equal(n_info, 1);
    assert_int_equal(n_req, 6);
    assert_int_equal(n_resp, 6);
    gzip_t(full);
    tmp_remove(&t);
}

/* The stored head gets a Content-Length for the stored body, LF-only
 * heads are normalised, and the response digest covers the body. */
static void test_head_rewrite(void **state)
{
    static const char lf_head[] = "HTTP/1.0 404 Not Found\n"
                                  "content-length: 9\n"
                                  "Server: x\n\n";
    tmpdir t;
    kw_warc *w = NULL;
    kw_warc_pos pos;
    char *head = NULL;
    char *b = NULL;
    size_t hn;
    size_t bn;

    (void)state;
    tmp_make(&t);
    assert_int_equal(kw_warc_open(t.path, 0, "kowatch test", &w), KW_OK);
    assert_int_equal(kw_warc_write_exchange(w, "http://n.example/x", 5, req,
                                            sizeof(req) - 1, lf_head,
                                            sizeof(lf_head) - 1, "not found",
                                            9, &pos),
                     KW_OK);
    kw_warc_close(w);
    assert_int_equal(kw_warc_read_response(pos.file, pos.offset, pos.length,
                                           100, &head, &hn, &b, &bn),
                     KW_OK);
    assert_string_equal(head, "HTTP/1.0 404 Not Found\r\n"
                              "X-Crawler-content-length: 9\r\n"
                              "Server: x\r\n"
                              "Content-Length: 9\r\n");
    assert_string_equal(b, "not found");
    kw_free(head);
    kw_free(b);

    /* max_body smaller than the body. */
    head = (char *)1;
    b = (char *)1;
    assert_int_equal(kw_warc_read_response(pos.file, pos.offset, pos.length,
                                           4, &head, &hn, &b, &bn),
                     KW_ETOOBIG);
    assert_null(head);
    assert_null(b);
    tmp_remove(&t);
}

static void test_rotation(void **state)
{
    tmpdir t;
    kw_warc *w = NULL;
    kw_warc *w2 = NULL;
    kw_warc_pos pos[4];
    char big[20000];
    int i;
    int n_info = 0;
    int n_req = 0;
    int n_resp = 0;
    int total = 0;
    DIR *d;
    struct dirent *e;

    (void)state;
    uint32_t x = 12345;

    /* Incompressible, so that each exchange passes max_bytes. */
    for (i = 0; i < (int)sizeof(big); i++) {
        x = x * 1103515245u + 12345u;
        big[i] = (char)(x >> 24);
    }
    tmp_make(&t);
    assert_int_equal(kw_warc_open(t.path, 4000, "kowatch test", &w), KW_OK);
    /* A second writer opened in the same second gets its own file. */
    assert_int_equal(kw_warc_open(t.path, 4000, "kowatch test", &w2), KW_OK);
    /* The crawler's group commit: one fsync per batch, and a file is
     * synced before the writer leaves it. */
    kw_warc_defer_sync(w, 1);
    for (i = 0; i < 4; i++) {
        assert_int_equal(kw_warc_write_exchange(w, "https://n.example/big",
                                                kw_now(), req,
                                                sizeof(req) - 1, resp,
                                                sizeof(resp) - 1, big,
                                                sizeof(big), &pos[i]),
                         KW_OK);
    }
    assert_int_equal(kw_warc_sync(w), KW_OK);
    assert_int_equal(kw_warc_sync(NULL), KW_OK);
    assert_string_not_equal(pos[0].file, pos[1].file);
    assert_string_not_equal(pos[1].file, pos[2].file);
    for (i = 0; i < 4; i++) {
        char *head = NULL;
        char *b = NULL;
        size_t hn;
        size_t bn;

        assert_int_equal(kw_warc_read_response(pos[i].file, pos[i].offset,
                                               pos[i].length, 0, &head, &hn,
                                               &b, &bn),
                         KW_OK);
        assert_int_equal(bn, sizeof(big));
        assert_memory_equal(b, big, bn);
        kw_free(head);
        kw_free(b);
    }
    kw_warc_close(w);
    kw_warc_close(w2);
    assert_int_equal(count_files(t.path, NULL, 0), 5);

    d = opendir(t.path);
    assert_non_null(d);
    for (e = readdir(d); e; e = readdir(d)) {
        char full[600];

        if (e->d_name[0] == '.')
            continue;
        snprintf(full, sizeof(full), "%s/%s", t.path, e->d_name);
        total += check_file(full, &n_info, &n_req, &n_resp);
        gzip_t(full);
    }
    closedir(d);
    assert_int_equal(n_info, 5);
    assert_int_equal(n_req, 4);
    assert_int_equal(n_resp, 4);
    assert_int_equal(total, 13);
    tmp_remove(&t);
}

static void test_open_creates_dirs(void **state)
{
    tmpdir t;
    char nested[400];
    kw_warc *w = (kw_warc *)1;

    (void)state;
    tmp_make(&t);
    snprintf(nested, sizeof(nested), "%s/a/b/c", t.path);
    assert_int_equal(kw_warc_open(nested, 0, NULL, &w), KW_OK);
    assert_non_null(w);
    kw_warc_close(w);
    assert_int_equal(count_files(nested, NULL, 0), 1);
    kw_warc_close(NULL);

    w = (kw_warc *)1;
    assert_int_not_equal(kw_warc_open("/proc/kw-no-such/dir", 0, NULL, &w),
                         KW_OK);
    assert_null(w);
    tmp_remove(&t);
}

static void test_corrupt_positions(void **state)
{
    tmpdir t;
    kw_warc *w = NULL;
    kw_warc_pos pos;
    kw_warc_pos first;
    char *head;
    char *b;
    size_t hn;
    size_t bn;
    FILE *f;
    char path[512];

    (void)state;
    tmp_make(&t);
    assert_int_equal(kw_warc_open(t.path, 0, "kowatch test", &w), KW_OK);
    assert_int_equal(kw_warc_write_exchange(w, "http://n.example/1", 1, req,
                                            sizeof(req) - 1, resp,
                                            sizeof(resp) - 1, "one", 3,
                                            &first),
                     KW_OK);
    assert_int_equal(kw_warc_write_exchange(w, "http://n.example/2", 1, req,
                                            sizeof(req) - 1, resp,
                                            sizeof(resp) - 1, "two", 3,
                                            &pos),
                     KW_OK);
    kw_warc_close(w);

#define EXPECT_READ(off, len, want)                                          \
    do {                                                                     \
        head = (char *)1;                                                    \
        b = (char *)1;                                                       \
        assert_int_equal(kw_warc_read_response(pos.file, (off), (len), 0,    \
                                               &head, &hn, &b, &bn),         \
                         (want));                                            \
        assert_null(head);                                                   \
        assert_null(b);                                                      \
    } while (0)

    EXPECT_READ(pos.offset + 1, pos.length, KW_EPARSE);
    EXPECT_READ(pos.offset - 7, pos.length, KW_EPARSE);
    EXPECT_READ(pos.offset, pos.length - 10, KW_EPARSE);
    EXPECT_READ(pos.offset + 1000000, pos.length, KW_EPARSE);
    EXPECT_READ(0, pos.length, KW_EPARSE); /* the warcinfo record */
    /* The request record right after the first response. */
    EXPECT_READ(first.offset + first.length, pos.offset -
                first.offset - first.length, KW_EPARSE);
    EXPECT_READ(-1, pos.length, KW_EINVAL);
    EXPECT_READ(pos.offset, 0, KW_EINVAL);

    /* A flipped byte in the middle of the member. */
    snprintf(path, sizeof(path), "%s", pos.file);
    f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, (long)(pos.offset + pos.length / 2), SEEK_SET);
    fputc(0x55 ^ fgetc(f), f);
    fseek(f, (long)(pos.offset + pos.length / 2), SEEK_SET);
    fclose(f);
    EXPECT_READ(pos.offset, pos.length, KW_EPARSE);

    head = (char *)1;
    b = (char *)1;
    assert_int_equal(kw_warc_read_response("/nonexistent/x.warc.gz", 0, 10,
                                           0, &head, &hn, &b, &bn),
                     KW_EIO);
    assert_null(head);
    assert_null(b);
#undef EXPECT_READ
    tmp_remove(&t);
}

/* A payload whose digest does not match is refused: rewrite a record by
 * hand with a wrong WARC-Payload-Digest. */
static void test_digest_mismatch(void **state)
{
    static const char rec[] =
        "WARC/1.1\r\n"
        "WARC-Type: response\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
        "WARC-Payload-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
        "Content-Length: 23\r\n\r\n"
        "HTTP/1.1 200 OK\r\n\r\nbody\r\n\r\n";
    tmpdir t;
    char path[400];
    unsigned char gz[1024];
    z_stream z;
    FILE *f;
    char *head = (char *)1;
    char *b = (char *)1;
    size_t hn;
    size_t bn;

    (void)state;
    tmp_make(&t);
    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8,
                                  Z_DEFAULT_STRATEGY),
                     Z_OK);
    z.next_in = (Bytef *)(uintptr_t)rec;
    z.avail_in = sizeof(rec) - 1;
    z.next_out = gz;
    z.avail_out = sizeof(gz);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    snprintf(path, sizeof(path), "%s/x.warc.gz", t.path);
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(gz, 1, z.total_out, f);
    fclose(f);
    assert_int_equal(kw_warc_read_response(path, 0, (int64_t)z.total_out, 0,
                                           &head, &hn, &b, &bn),
                     KW_EPARSE);
    assert_null(head);
    assert_null(b);
    deflateEnd(&z);
    tmp_remove(&t);
}

static void test_alloc_failures(void **state)
{
    tmpdir t;
    long n;
    int ok = 0;

    (void)state;
    tmp_make(&t);
    for (n = 1; n < 200 && !ok; n++) {
        kw_warc *w = NULL;
        kw_warc_pos pos;
        kw_err rc;

        kw_alloc_fail_at(n);
        rc = kw_warc_open(t.path, 0, "kowatch test", &w);
        if (!rc)
            rc = kw_warc_write_exchange(w, "http://n.example/", 1, req,
                                        sizeof(req) - 1, resp,
                                        sizeof(resp) - 1, "b", 1, &pos);
        kw_alloc_fail_at(0);
        if (rc == KW_OK) {
            char *head = NULL;
            char *b = NULL;
            size_t hn;
            size_t bn;

            ok = 1;
            assert_int_equal(kw_warc_read_response(pos.file, pos.offset,
                                                   pos.length, 0, &head, &hn,
                                                   &b, &bn),
                             KW_OK);
            assert_string_equal(b, "b");
            kw_free(head);
            kw_free(b);
        } else {
            assert_int_equal(rc, KW_ENOMEM);
        }
        kw_warc_close(w);
    }
    assert_true(ok);
    tmp_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base32_digest_known),
        cmocka_unit_test(test_write_read_back),
        cmocka_unit_test(test_head_rewrite),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_open_creates_dirs),
        cmocka_unit_test(test_corrupt_positions),
        cmocka_unit_test(test_digest_mismatch),
        cmocka_unit_test(test_alloc_failures),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
