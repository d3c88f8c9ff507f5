/*
 * Unit tests of parsers/attachment*.c: the text of HWPX, ODT, DOCX, PDF
 * and HWP 5 fixtures (tests/fixtures/attachments, see its README.md),
 * truncation at max_text, protected documents, and hostile input: zip
 * bombs, too many entries, encrypted entries, malformed XML, corrupt
 * OLE2 and record streams, random mutations and allocation failures.
 *
 * Zips for the hostile cases are written here at run time by a small
 * zip writer on zlib (test scaffolding, not the code under test, which
 * reads zips with libzip).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "attachment_int.h"
#include "kw/attachment.h"
#include "kw/common.h"

#define FIX KW_SOURCE_DIR "/tests/fixtures/attachments/"

/* ---- Expected texts ------------------------------------------------------ */

static const char hwpx_text[] =
    "보도자료\n"
    "과기정통부, 독자 AI 파운데이션 모델 프로젝트 추가 공모\n"
    "□ 과학기술정보통신부(장관 홍길동, 이하 ‘과기정통부’)는 독자 AI "
    "파운데이션 모델 프로젝트의 정예팀을 1개 추가로 공모한다고 밝혔다.\n"
    "2025년 8월 1차 선정된 5개 팀\n"
    "○ 공모 기간\t2026년 2월 2일(월)부터 3월 6일(금)까지\n"
    "○ 지원 규모: GPU 임차 및 데이터 구축비\n"
    "(팀당 최대 100억 원 내외)\n"
    "구분\n"
    "주요 내용\n"
    "신청 자격\n"
    "국내 기업·대학·연구기관 컨소시엄\n"
    "(1차 선정 5개 팀 & 참여 기관 제외)\n"
    "붙임\n"
    "문의: 인공지능기반정책과 (044-202-0000)";

static const char odt_text[] =
    "과기정통부, 독자 AI 파운데이션 모델 프로젝트 추가 공모\n"
    "과학기술정보통신부는 정예팀을 1개 추가로 공모한다고 밝혔다.\n"
    "2025년 8월 1차 선정된 5개 팀\n"
    "공모 기간\t2026년 2월 2일부터   3월 6일까지\n"
    "접수: 온라인\n"
    "GPU 임차 지원\n"
    "데이터 구축 지원\n"
    "구분\n"
    "내용\n"
    "문의\n"
    "인공지능기반정책과 044-202-0000\n"
    "끝.";

static const char docx_text[] =
    "과기정통부, 독자 AI 파운데이션 모델 추가 공모\n"
    "공모 기간\t2026년 2월 2일 ~ 3월 6일\n"
    "접수: 온라인\n"
    "구분\n"
    "내용";

static const char pdf_text[] =
    "보도자료\n"
    "과기정통부, 독자 AI 파운데이션 모델 프로젝트 추가 공모\n"
    "공모 기간: 2026년 2월 2일(월) ~ 3월 6일(금)\n"
    "붙임 1. 공모 개요\n"
    "문의: 인공지능기반정책과 (044-202-0000)";

/* The HWP sample's text; its long paragraph is built by hwp_text(). */
static const char hwp_head[] =
    "보도자료\n"
    "과기정통부, 독자 AI 파운데이션 모델 프로젝트 추가 공모\n"
    "□ 과학기술정보통신부는 정예팀을 1개 추가로 공모한다고 밝혔다.\n"
    "2025년 8월 1차 선정된 5개 팀\n"
    "○ 공모 기간\t2026년 2월 2일(월)부터 3월 6일(금)까지\n"
    "온라인 접수\n"
    "구분\n"
    "주요 내용\n"
    "신청 자격\n"
    "국내 기업·대학·연구기관 컨소시엄\n"
    "e-나라도움 누리집 참고\n";
static const char hwp_tail[] =
    "\n붙임\n문의: 인공지능기반정책과 (044-202-0000)";
static const char hwp_long_piece[] = "가나다라마바사아자차카타파하 ";

/* Owned by the caller (libc; test scaffolding). */
static char *hwp_text(void)
{
    size_t piece = strlen(hwp_long_piece), n, i;
    char *s, *p;

    n = strlen(hwp_head) + 160 * piece + strlen(hwp_tail) + 1;
    s = malloc(n);
    assert_non_null(s);
    p = s;
    memcpy(p, hwp_head, strlen(hwp_head));
    p += strlen(hwp_head);
    for (i = 0; i < 160; i++) {
        memcpy(p, hwp_long_piece, piece);
        p += piece;
    }
    p--; /* the line's trailing space is trimmed */
    memcpy(p, hwp_tail, strlen(hwp_tail) + 1);
    return s;
}

/* ---- Helpers ---------------------------------------------------------------
 */

typedef struct fixture {
    char *p;
    size_t n;
} fixture;

static fixture load(const char *name)
{
    char path[1024];
    fixture f = {NULL, 0};
    int w = snprintf(path, sizeof(path), "%s%s", FIX, name);

    assert_true(w > 0 && (size_t)w < sizeof(path));
    assert_int_equal(kw_read_file(path, (size_t)64 << 20, &f.p, &f.n), KW_OK);
    return f;
}

static void unload(fixture *f)
{
    kw_free(f->p);
    f->p = NULL;
}

/* Extracts @name and checks the format and the exact text. */
static void check_text(const char *name, const char *format,
                       const char *expected)
{
    fixture f = load(name);
    char *text = NULL;
    const char *fmt = NULL;

    assert_int_equal(kw_attachment_text(f.p, f.n, name, NULL, 0, &text, &fmt),
                     KW_OK);
    assert_non_null(fmt);
    assert_string_equal(fmt, format);
    assert_string_equal(text, expected);
    assert_true(kw_utf8_valid(text, strlen(text)));
    kw_free(text);
    unload(&f);
}

/* Extracts @name expecting the error @want and the format @format. */
static void check_fails(const char *name, kw_err want, const char *format)
{
    fixture f = load(name);
    char *text = (char *)"unset";
    const char *fmt = "unset";

    assert_int_equal(kw_attachment_text(f.p, f.n, NULL, NULL, 0, &text, &fmt),
                     want);
    assert_null(text);
    if (format) {
        assert_non_null(fmt);
        assert_string_equal(fmt, format);
    } else {
        assert_null(fmt);
    }
    unload(&f);
}

/* ---- Texts -------------------------------------------------------------- */

static void test_hwpx(void **state)
{
    (void)state;
    check_text("press.hwpx", KW_ATTACH_HWPX, hwpx_text);
}

static void test_odt(void **state)
{
    (void)state;
    check_text("press.odt", KW_ATTACH_ODT, odt_text);
}

static void test_docx(void **state)
{
    (void)state;
    check_text("press.docx", KW_ATTACH_DOCX, docx_text);
}

static void test_pdf(void **state)
{
    (void)state;
    check_text("press.pdf", KW_ATTACH_PDF, pdf_text);
    /* An owner password alone (copying forbidden) does not stop reading. */
    check_text("press-owner-only.pdf", KW_ATTACH_PDF, pdf_text);
    check_fails("hostile/pdf-password.pdf", KW_EDENIED, KW_ATTACH_PDF);
}

static void test_hwp(void **state)
{
    char *want = hwp_text();

    (void)state;
    check_text("press.hwp", KW_ATTACH_HWP, want);
    /* The same records stored without compression. */
    check_text("press-plain.hwp", KW_ATTACH_HWP, want);
    free(want);
}

static void test_hwp_protected(void **state)
{
    (void)state;
    check_fails("hostile/hwp-password.hwp", KW_EDENIED, KW_ATTACH_HWP);
    check_fails("hostile/hwp-drm.hwp", KW_EDENIED, KW_ATTACH_HWP);
    check_fails("hostile/hwp-distribution.hwp", KW_EDENIED, KW_ATTACH_HWP);
}

static void test_hwp_malformed(void **state)
{
    fixture f;
    char *text = NULL;
    const char *fmt = NULL;

    (void)state;
    check_fails("hostile/hwp-truncated-record.hwp", KW_EPARSE, KW_ATTACH_HWP);
    check_fails("hostile/hwp-huge-record.hwp", KW_EPARSE, KW_ATTACH_HWP);
    check_fails("hostile/hwp-bad-deflate.hwp", KW_EPARSE, KW_ATTACH_HWP);
    check_fails("hostile/hwp-truncated-deflate.hwp", KW_EPARSE, KW_ATTACH_HWP);
    check_fails("hostile/hwp-no-bodytext.hwp", KW_EPARSE, KW_ATTACH_HWP);
    /* An OLE2 file that is not HWP (a Word 97 document). */
    check_fails("hostile/not-hwp.doc", KW_EINVAL, NULL);

    /* A truncated compound file: the name says what it claimed to be. */
    f = load("press.hwp");
    assert_int_equal(
        kw_attachment_text(f.p, f.n / 2, "보도자료.hwp", NULL, 0, &text, &fmt),
        KW_EPARSE);
    assert_null(text);
    assert_string_equal(fmt, KW_ATTACH_HWP);
    unload(&f);
}

/* Every max_text from 1 to past the end gives the full text cut at the
 * last character boundary within max, without trailing blanks. */
static void check_truncation(const char *name, const char *full, size_t step)
{
    fixture f = load(name);
    size_t len = strlen(full), max;

    for (max = 1; max <= len + 1; max += step) {
        char *text = NULL;
        size_t k = max < len ? max : len;

        while (k > 0 && k < len && ((unsigned char)full[k] & 0xc0) == 0x80)
            k--;
        while (k > 0 && (full[k - 1] == '\n' || full[k - 1] == ' ' ||
                         full[k - 1] == '\t'))
            k--;
        assert_int_equal(
            kw_attachment_text(f.p, f.n, NULL, NULL, max, &text, NULL), KW_OK);
        assert_true(strlen(text) <= max);
        if (strlen(text) != k || memcmp(text, full, k) != 0)
            fail_msg("%s max %zu: got %zu bytes, want %zu", name, max,
                     strlen(text), k);
        assert_true(kw_utf8_valid(text, strlen(text)));
        kw_free(text);
    }
    unload(&f);
}

static void test_truncation(void **state)
{
    char *want = hwp_text();

    (void)state;
    check_truncation("press.hwpx", hwpx_text, 2);
    check_truncation("press.odt", odt_text, 3);
    check_truncation("press.docx", docx_text, 3);
    check_truncation("press.pdf", pdf_text, 7);
    check_truncation("press.hwp", want, 29);
    free(want);
}

static void test_hints(void **state)
{
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    char *text = NULL;
    const char *fmt = NULL;

    (void)state;
    /* Bytes decide: a PDF called .hwp is a PDF. */
    {
        fixture f = load("press.pdf");

        assert_int_equal(kw_attachment_text(f.p, f.n, "붙임.hwp",
                                            "application/x-hwp", 0, &text,
                                            &fmt),
                         KW_OK);
        assert_string_equal(fmt, KW_ATTACH_PDF);
        kw_free(text);
        unload(&f);
    }
    /* Unknown bytes: unsupported, unless the name claims a format. */
    assert_int_equal(kw_attachment_text(png, sizeof(png) - 1, "logo.png",
                                        "image/png", 0, &text, &fmt),
                     KW_EINVAL);
    assert_null(text);
    assert_null(fmt);
    assert_int_equal(kw_attachment_text(png, sizeof(png) - 1, "붙임.hwpx", NULL,
                                        0, &text, &fmt),
                     KW_EPARSE);
    assert_string_equal(fmt, KW_ATTACH_HWPX);
    assert_int_equal(kw_attachment_text(png, sizeof(png) - 1, NULL,
                                        "application/pdf", 0, &text, &fmt),
                     KW_EPARSE);
    assert_string_equal(fmt, KW_ATTACH_PDF);
    /* HWP 3.x is recognised and not supported. */
    assert_int_equal(kw_attachment_text("HWP Document File V3.00 \x1a\1\2\3",
                                        28, NULL, NULL, 0, &text, &fmt),
                     KW_EINVAL);
    assert_string_equal(fmt, KW_ATTACH_HWP3);
    /* Empty input. */
    assert_int_equal(kw_attachment_text("", 0, NULL, NULL, 0, &text, &fmt),
                     KW_EINVAL);
    assert_int_equal(kw_attachment_text(NULL, 0, NULL, NULL, 0, &text, NULL),
                     KW_EINVAL);
    /* Junk before %PDF- (allowed in the first 1024 bytes). */
    {
        fixture f = load("press.pdf");
        char *junk = malloc(f.n + 100);

        assert_non_null(junk);
        memset(junk, ' ', 100);
        memcpy(junk + 100, f.p, f.n);
        assert_int_equal(
            kw_attachment_text(junk, f.n + 100, NULL, NULL, 0, &text, &fmt),
            KW_OK);
        assert_string_equal(text, pdf_text);
        kw_free(text);
        free(junk);
        unload(&f);
    }
}

/* ---- A zip writer for hostile packages ----------------------------------- */

typedef struct zbuf {
    unsigned char *p;
    size_t n, cap;
} zbuf;

static void zput(zbuf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 1024;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void zput16(zbuf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};

    zput(b, x, 2);
}

static void zput32(zbuf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};

    zput(b, x, 4);
}

typedef struct zentry {
    const char *name;
    const void *data; /* the bytes as stored */
    size_t n;         /* stored size */
    size_t usize;     /* uncompressed size */
    uint32_t crc;     /* CRC-32 of the uncompressed bytes */
    unsigned method;  /* 0 stored, 8 deflated */
    unsigned flags;   /* general purpose bits (1: encrypted) */
} zentry;

static zentry zstored(const char *name, const char *text)
{
    zentry e = {name, text, strlen(text), strlen(text), 0, 0, 0};

    e.crc = (uint32_t)crc32(0, (const Bytef *)text, (uInt)e.n);
    return e;
}

/* Writes a zip of @n entries (PKWARE APPNOTE 4.3: local headers, central
 * directory, end record). */
static zbuf zwrite(const zentry *e, size_t n)
{
    zbuf z = {NULL, 0, 0}, cd = {NULL, 0, 0};
    size_t i;

    for (i = 0; i < n; i++) {
        size_t off = z.n, nl = strlen(e[i].name);

        zput32(&z, 0x04034b50);
        zput16(&z, 20);
        zput16(&z, e[i].flags);
        zput16(&z, e[i].method);
        zput16(&z, 0);      /* time */
        zput16(&z, 0x5c42); /* date 2026-02-02 */
        zput32(&z, e[i].crc);
        zput32(&z, (uint32_t)e[i].n);
        zput32(&z, (uint32_t)e[i].usize);
        zput16(&z, (unsigned)nl);
        zput16(&z, 0);
        zput(&z, e[i].name, nl);
        zput(&z, e[i].data, e[i].n);

        zput32(&cd, 0x02014b50);
        zput16(&cd, 20);
        zput16(&cd, 20);
        zput16(&cd, e[i].flags);
        zput16(&cd, e[i].method);
        zput16(&cd, 0);
        zput16(&cd, 0x5c42);
        zput32(&cd, e[i].crc);
        zput32(&cd, (uint32_t)e[i].n);
        zput32(&cd, (uint32_t)e[i].usize);
        zput16(&cd, (unsigned)nl);
        zput16(&cd, 0); /* extra */
        zput16(&cd, 0); /* comment */
        zput16(&cd, 0); /* disk */
        zput16(&cd, 0); /* internal attributes */
        zput32(&cd, 0); /* external attributes */
        zput32(&cd, (uint32_t)off);
        zput(&cd, e[i].name, nl);
    }
    {
        size_t cd_off = z.n;

        zput(&z, cd.p, cd.n);
        zput32(&z, 0x06054b50);
        zput16(&z, 0);
        zput16(&z, 0);
        zput16(&z, (unsigned)n);
        zput16(&z, (unsigned)n);
        zput32(&z, (uint32_t)cd.n);
        zput32(&z, (uint32_t)cd_off);
        zput16(&z, 0);
    }
    free(cd.p);
    return z;
}

#define SEC_OPEN                                                               \
    "<hs:sec xmlns:hs=\"http://www.hancom.co.kr/hwpml/2011/section\" "         \
    "xmlns:hp=\"http://www.hancom.co.kr/hwpml/2011/paragraph\">"

/* Runs a one-section HWPX package whose section0.xml is @section. */
static kw_err hwpx_with(const zentry *section, char **text)
{
    zentry e[2];
    zbuf z;
    kw_err rc;

    e[0] = zstored("mimetype", "application/hwp+zip");
    e[1] = *section;
    z = zwrite(e, 2);
    rc = kw_attachment_text(z.p, z.n, NULL, NULL, 0, text, NULL);
    free(z.p);
    return rc;
}

static void test_zip_written_here(void **state)
{
    zentry s = zstored("Contents/section0.xml",
                       SEC_OPEN "<hp:p><hp:run><hp:t>독자 AI</hp:t></hp:run>"
                                "</hp:p></hs:sec>");
    char *text = NULL;

    (void)state;
    /* The writer itself is right: a valid package reads. */
    assert_int_equal(hwpx_with(&s, &text), KW_OK);
    assert_string_equal(text, "독자 AI");
    kw_free(text);
}

/* Deflates @parts (NUL-terminated strings, each repeated @reps[i] times)
 * into a zip entry named @name.  Owned: free(e.data). */
static zentry zdeflated(const char *name, const char *const *parts,
                        const size_t *reps, size_t nparts)
{
    size_t out_cap = (size_t)1 << 20, i, r;
    unsigned char *out = malloc(out_cap);
    z_stream zs;
    zentry e;
    uint32_t crc = 0;

    assert_non_null(out);
    memset(&zs, 0, sizeof(zs));
    assert_int_equal(
        deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_out = out;
    zs.avail_out = (uInt)out_cap;
    for (i = 0; i < nparts; i++) {
        size_t len = strlen(parts[i]);

        for (r = 0; r < reps[i]; r++) {
            zs.next_in = (Bytef *)(uintptr_t)parts[i];
            zs.avail_in = (uInt)len;
            assert_int_equal(deflate(&zs, Z_NO_FLUSH), Z_OK);
            assert_int_equal(zs.avail_in, 0);
            crc = (uint32_t)crc32(crc, (const Bytef *)parts[i], (uInt)len);
        }
    }
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    e.name = name;
    e.data = out;
    e.n = zs.total_out;
    e.usize = zs.total_in;
    e.crc = crc;
    e.method = 8;
    e.flags = 0;
    deflateEnd(&zs);
    return e;
}

/* 64 KiB of spaces, the unit the bombs below repeat. */
static char *spaces_64k(void)
{
    char *sp = malloc(65537);

    assert_non_null(sp);
    memset(sp, ' ', 65536);
    sp[65536] = '\0';
    return sp;
}

/* Zip bombs.  A 512 MiB content.hpf deflated to ~500 KiB stops at the
 * 4 MiB that a package document may have.  A section that inflates past
 * what is left of KW_ATTACH_MAX_UNPACKED (empty paragraphs between runs
 * of spaces, which libxml2 streams) stops there: the budget is set near
 * its end through the private sink, so the test inflates 24 MiB, not
 * 128. */
static void test_zip_bomb(void **state)
{
    char *sp = spaces_64k();
    char *text = NULL;
    zentry e[3];
    zbuf z;

    (void)state;
    {
        const char *parts[] = {"<opf:package>", NULL, "</opf:package>"};
        size_t reps[] = {1, 8192, 1};

        parts[1] = sp;
        e[0] = zstored("mimetype", "application/hwp+zip");
        e[1] = zdeflated("Contents/content.hpf", parts, reps, 3);
        e[2] = zstored("Contents/section0.xml", SEC_OPEN "</hs:sec>");
        assert_true(e[1].n < e[1].usize / 500); /* a real bomb */
        z = zwrite(e, 3);
        assert_int_equal(
            kw_attachment_text(z.p, z.n, NULL, NULL, 0, &text, NULL),
            KW_ETOOBIG);
        assert_null(text);
        free(z.p);
        free((void *)e[1].data);
    }
    {
        const char *parts[] = {SEC_OPEN, "<hp:p/>", NULL, "<hp:p/>",
                               NULL,     "<hp:p/>", NULL, "</hs:sec>"};
        size_t reps[] = {1, 1, 128, 1, 128, 1, 128, 1};
        kw__attach_sink s;
        const char *fmt = NULL;

        parts[2] = parts[4] = parts[6] = sp;
        e[0] = zstored("mimetype", "application/hwp+zip");
        e[1] = zdeflated("Contents/section0.xml", parts, reps, 8);
        assert_true(e[1].usize > ((size_t)24 << 20));
        z = zwrite(e, 2);
        memset(&s, 0, sizeof(s));
        s.max = KW_MAX_TEXT;
        kw_buf_init(&s.b, s.max + 2);
        s.unpacked = KW_ATTACH_MAX_UNPACKED - ((size_t)20 << 20);
        assert_int_equal(kw__attach_zip(&s, z.p, z.n, &fmt), KW_ETOOBIG);
        assert_true(s.unpacked <= KW_ATTACH_MAX_UNPACKED);
        kw_buf_deinit(&s.b);
        free(z.p);
        free((void *)e[1].data);
    }
    free(sp);
}

static void test_zip_entries(void **state)
{
    size_t n = KW_ATTACH_MAX_ENTRIES + 1, i;
    zentry *e = calloc(n, sizeof(*e));
    char(*names)[32] = calloc(n, sizeof(*names));
    char *text = NULL;
    zbuf z;

    (void)state;
    assert_non_null(e);
    assert_non_null(names);
    e[0] = zstored("mimetype", "application/hwp+zip");
    for (i = 1; i < n; i++) {
        snprintf(names[i], sizeof(names[i]), "BinData/image%zu.png", i);
        e[i] = zstored(names[i], "");
    }
    z = zwrite(e, n);
    assert_int_equal(kw_attachment_text(z.p, z.n, NULL, NULL, 0, &text, NULL),
                     KW_ETOOBIG);
    assert_null(text);
    free(z.p);
    free(names);
    free(e);
}

static void test_zip_hostile(void **state)
{
    char *text = NULL;
    const char *fmt = NULL;
    zentry s, e[3];
    zbuf z;

    (void)state;
    /* An encrypted entry (general purpose bit 0, traditional PKWARE). */
    s = zstored("Contents/section0.xml", SEC_OPEN "</hs:sec>");
    s.flags = 1;
    assert_int_equal(hwpx_with(&s, &text), KW_EDENIED);

    /* A CRC that does not match the bytes. */
    s = zstored("Contents/section0.xml",
                SEC_OPEN "<hp:p><hp:run><hp:t>a</hp:t></hp:run></hp:p>"
                         "</hs:sec>");
    s.crc ^= 1;
    assert_int_equal(hwpx_with(&s, &text), KW_EPARSE);

    /* Malformed XML: a paragraph never closed, a mismatched tag. */
    s = zstored("Contents/section0.xml",
                SEC_OPEN "<hp:p><hp:run><hp:t>a</hp:run></hp:p></hs:sec>");
    assert_int_equal(hwpx_with(&s, &text), KW_EPARSE);
    s = zstored("Contents/section0.xml", SEC_OPEN "<hp:p><hp:run><hp:t>a");
    assert_int_equal(hwpx_with(&s, &text), KW_EPARSE);
    assert_null(text);

    /* Entities are not expanded: a "billion laughs" costs nothing. */
    s = zstored("Contents/section0.xml",
                "<?xml version=\"1.0\"?><!DOCTYPE hs:sec ["
                "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
                "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                "]>" SEC_OPEN "<hp:p><hp:run><hp:t>x&e;&e;&e;&e;&e;y</hp:t>"
                "</hp:run></hp:p></hs:sec>");
    {
        kw_err rc = hwpx_with(&s, &text);

        assert_true(rc == KW_OK || rc == KW_EPARSE);
        if (rc == KW_OK)
            assert_true(strlen(text) < 100);
        kw_free(text);
        text = NULL;
    }

    /* An external entity is neither loaded nor expanded. */
    s = zstored("Contents/section0.xml",
                "<?xml version=\"1.0\"?><!DOCTYPE hs:sec ["
                "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" SEC_OPEN
                "<hp:p><hp:run><hp:t>a&x;b</hp:t></hp:run></hp:p></hs:sec>");
    {
        kw_err rc = hwpx_with(&s, &text);

        assert_true(rc == KW_OK || rc == KW_EPARSE);
        if (rc == KW_OK)
            assert_null(strstr(text, "root:"));
        kw_free(text);
        text = NULL;
    }

    /* Nesting deeper than libxml2's limit (256 without XML_PARSE_HUGE). */
    {
        zbuf x = {NULL, 0, 0};
        int i;

        zput(&x, SEC_OPEN, strlen(SEC_OPEN));
        for (i = 0; i < 100000; i++)
            zput(&x, "<hp:p>", 6);
        zput(&x, "", 1);
        s = zstored("Contents/section0.xml", (const char *)x.p);
        assert_int_equal(hwpx_with(&s, &text), KW_EPARSE);
        free(x.p);
    }

    /* Paragraphs nested deeper than the deferral stack still read. */
    {
        zbuf x = {NULL, 0, 0};
        int i;

        zput(&x, SEC_OPEN, strlen(SEC_OPEN));
        for (i = 0; i < 40; i++)
            zput(&x, "<hp:p><hp:run><hp:t>가</hp:t>",
                 strlen("<hp:p><hp:run><hp:t>가</hp:t>"));
        for (i = 0; i < 40; i++)
            zput(&x, "</hp:run></hp:p>", 16);
        zput(&x, "</hs:sec>", 10);
        s = zstored("Contents/section0.xml", (const char *)x.p);
        assert_int_equal(hwpx_with(&s, &text), KW_OK);
        assert_int_equal(strlen(text), 40 * 4 - 1); /* 40 lines of 가 */
        kw_free(text);
        text = NULL;
        free(x.p);
    }

    /* A package whose manifest declares encryption. */
    e[0] = zstored("mimetype", "application/vnd.oasis.opendocument.text");
    e[1] = zstored("META-INF/manifest.xml",
                   "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:"
                   "opendocument:xmlns:manifest:1.0\"><manifest:file-entry "
                   "manifest:full-path=\"content.xml\"><manifest:encryption-"
                   "data manifest:checksum-type=\"SHA1/1K\"/></manifest:file-"
                   "entry></manifest:manifest>");
    e[2] = zstored("content.xml", "\x8f\x01 encrypted bytes");
    z = zwrite(e, 3);
    assert_int_equal(kw_attachment_text(z.p, z.n, NULL, NULL, 0, &text, &fmt),
                     KW_EDENIED);
    assert_string_equal(fmt, KW_ATTACH_ODT);
    free(z.p);

    /* An HWPX package without sections, and a zip of something else. */
    e[0] = zstored("mimetype", "application/hwp+zip");
    z = zwrite(e, 1);
    assert_int_equal(kw_attachment_text(z.p, z.n, NULL, NULL, 0, &text, &fmt),
                     KW_EPARSE);
    assert_string_equal(fmt, KW_ATTACH_HWPX);
    free(z.p);
    e[0] = zstored("readme.txt", "hello");
    z = zwrite(e, 1);
    assert_int_equal(kw_attachment_text(z.p, z.n, NULL, NULL, 0, &text, &fmt),
                     KW_EINVAL);
    assert_null(fmt);
    free(z.p);

    /* A zip cut short (no central directory). */
    {
        fixture f = load("press.hwpx");

        assert_int_equal(
            kw_attachment_text(f.p, f.n - 30, "a.hwpx", NULL, 0, &text, &fmt),
            KW_EPARSE);
        assert_string_equal(fmt, KW_ATTACH_HWPX);
        unload(&f);
    }
}

/* The inflated-bytes budget is shared by all entries and streams: a
 * document read with most of it spent stops with KW_ETOOBIG. */
static void test_unpacked_budget(void **state)
{
    static const char *const names[] = {"press.hwpx", "press.odt", "press.hwp",
                                        "press-plain.hwp"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        fixture f = load(names[i]);
        kw__attach_sink s;
        const char *fmt = NULL;
        kw_err rc;

        memset(&s, 0, sizeof(s));
        s.max = KW_MAX_TEXT;
        kw_buf_init(&s.b, s.max + 2);
        s.unpacked = KW_ATTACH_MAX_UNPACKED - 200;
        if (f.p[0] == 'P')
            rc = kw__attach_zip(&s, f.p, f.n, &fmt);
        else
            rc = kw__attach_hwp(&s, f.p, f.n, &fmt);
        assert_int_equal(rc, KW_ETOOBIG);
        kw_buf_deinit(&s.b);
        unload(&f);
    }
}

/* Random byte flips and truncations of every fixture: each call returns
 * OK with valid UTF-8 within max, or an error; never crashes (ASan). */
static void test_mutations(void **state)
{
    static const char *const names[] = {"press.hwpx",
                                        "press.odt",
                                        "press.docx",
                                        "press.pdf",
                                        "press.hwp",
                                        "press-plain.hwp",
                                        "hostile/pdf-password.pdf"};
    uint32_t seed = 12345;
    size_t i;
    int round;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        fixture f = load(names[i]);
        char *m = malloc(f.n);

        assert_non_null(m);
        for (round = 0; round < 60; round++) {
            size_t n = f.n, flips, k;
            char *text = NULL;
            kw_err rc;

            memcpy(m, f.p, f.n);
            seed = seed * 1103515245u + 12345u;
            flips = 1 + (seed >> 16) % 8;
            for (k = 0; k < flips; k++) {
                seed = seed * 1103515245u + 12345u;
                /* Keep the magic so the format's reader is reached. */
                m[8 + (seed >> 8) % (f.n - 8)] ^= (char)(1 + (seed & 0x7f));
            }
            if (round % 5 == 4)
                n = 8 + (seed >> 4) % (f.n - 8);
            rc = kw_attachment_text(m, n, NULL, NULL, 4096, &text, NULL);
            if (rc == KW_OK) {
                assert_true(strlen(text) <= 4096);
                assert_true(kw_utf8_valid(text, strlen(text)));
            } else {
                assert_true(rc == KW_EPARSE || rc == KW_EINVAL ||
                            rc == KW_EDENIED || rc == KW_ETOOBIG);
                assert_null(text);
            }
            kw_free(text);
        }
        free(m);
        unload(&f);
    }
}

/* Every allocation of ours that fails ends in KW_ENOMEM, without leaks
 * (LeakSanitizer checks at exit). */
static void test_alloc_failure(void **state)
{
    static const char *const names[] = {"press.hwpx", "press.odt", "press.docx",
                                        "press.pdf", "press.hwp"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        fixture f = load(names[i]);
        long n;
        kw_err rc = KW_ENOMEM;

        for (n = 1; n < 10000; n++) {
            char *text = NULL;

            kw_alloc_fail_at(n);
            rc = kw_attachment_text(f.p, f.n, NULL, NULL, 0, &text, NULL);
            kw_alloc_fail_at(0);
            if (rc == KW_OK) {
                kw_free(text);
                break;
            }
            if (rc != KW_ENOMEM)
                fail_msg("%s: allocation %ld failed: %s", names[i], n,
                         kw_strerror(rc));
            assert_null(text);
        }
        assert_int_equal(rc, KW_OK);
        assert_true(n > 1); /* at least one allocation was made to fail */
        unload(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hwpx),
        cmocka_unit_test(test_odt),
        cmocka_unit_test(test_docx),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_hwp),
        cmocka_unit_test(test_hwp_protected),
        cmocka_unit_test(test_hwp_malformed),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_zip_written_here),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_zip_entries),
        cmocka_unit_test(test_zip_hostile),
        cmocka_unit_test(test_unpacked_budget),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_alloc_failure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
