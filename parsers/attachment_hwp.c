/*
 * Text of HWP 5.x documents (Hancom, "한글 문서 파일 형식 5.0", revision
 * 1.3, 2018), read from memory with libgsf's OLE2 reader, zlib and ICU.
 *
 * An HWP 5 file is an OLE2 compound file.  The FileHeader stream (256
 * bytes) starts with the signature "HWP Document File" (32 bytes, NUL
 * padded), then the version (DWORD, 0xMMnnPPrr, MM = 5) and the property
 * flags (DWORD): bit 0 compressed, bit 1 password, bit 2 distribution
 * document (배포용: the body is in encrypted ViewText/Section* streams),
 * bit 4 DRM, bit 8 certificate encryption, bit 10 certificate DRM.  Any
 * of the protection bits gives KW_EDENIED.
 *
 * The body is BodyText/Section0, Section1, ... (numeric order), each a
 * raw deflate stream (zlib windowBits -15) when bit 0 is set, holding a
 * sequence of records: a DWORD header with the tag (bits 0-9), level
 * (10-19) and size (20-31; 0xFFF means a DWORD size follows), then the
 * payload.  Text is in HWPTAG_PARA_TEXT (HWPTAG_BEGIN + 51 = 67) as
 * UTF-16LE, where code units 0-31 are controls: char controls take one
 * unit (10 line break, 13 paragraph end, 24 hyphen, 30 non-breaking
 * space, 31 fixed-width space), inline and extended controls take eight
 * (1-9, 11-12, 14-23: the code, a 4-byte control id or parameters, and
 * the code again).  Extended controls (tables, text boxes, footnotes,
 * headers) keep their paragraphs in the records that follow at deeper
 * levels, so reading every PARA_TEXT in stream order also reads the cells
 * of tables, after the paragraph that anchors them.
 *
 * Limits: streams larger than the file are malformed; inflated bytes
 * count toward KW_ATTACH_MAX_UNPACKED; a record whose size runs past its
 * stream gives KW_EPARSE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>
#include <unicode/ustring.h>
#include <zlib.h>

#include "attachment_int.h"

#define HWP_SIGNATURE "HWP Document File"
#define HWP_FILEHEADER_SIZE 256

#define HWP_FLAG_COMPRESSED (1u << 0)
#define HWP_FLAG_PASSWORD (1u << 1)
#define HWP_FLAG_DISTRIBUTION (1u << 2)
#define HWP_FLAG_DRM (1u << 4)
#define HWP_FLAG_CERT_ENCRYPTION (1u << 8)
#define HWP_FLAG_CERT_DRM (1u << 10)
#define HWP_FLAGS_DENIED                                                       \
    (HWP_FLAG_PASSWORD | HWP_FLAG_DISTRIBUTION | HWP_FLAG_DRM |                \
     HWP_FLAG_CERT_ENCRYPTION | HWP_FLAG_CERT_DRM)

#define HWPTAG_BEGIN 0x10
#define HWPTAG_PARA_HEADER (HWPTAG_BEGIN + 50)
#define HWPTAG_PARA_TEXT (HWPTAG_BEGIN + 51)

#define HWP_CHUNK 65536

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* libgsf registers its GTypes lazily and without locking; registering
 * them once up front makes concurrent calls safe. */
static void gsf_once(void)
{
    static gsize done;

    if (g_once_init_enter(&done)) {
        gsf_init();
        g_once_init_leave(&done, 1);
    }
}

/* Reads all of @in into *out.  A stream longer than the whole file
 * (@file_n) is malformed. */
static kw_err stream_read(GsfInput *in, size_t file_n, kw_buf *out)
{
    gsf_off_t size = gsf_input_size(in);
    size_t left;

    kw_buf_init(out, file_n + 1);
    if (size < 0 || (uint64_t)size > file_n)
        return KW_EPARSE;
    left = (size_t)size;
    while (left > 0) {
        size_t want = left < HWP_CHUNK ? left : HWP_CHUNK;
        const guint8 *p = gsf_input_read(in, want, NULL);

        if (!p)
            return KW_EPARSE;
        kw_buf_add(out, p, want);
        if (out->err)
            return out->err;
        left -= want;
    }
    return KW_OK;
}

/* Inflates the raw deflate stream p[0..n) into *out, counting the
 * inflated bytes toward the budget. */
static kw_err inflate_raw(kw__attach_sink *s, const char *p, size_t n,
                          kw_buf *out)
{
    z_stream zs;
    unsigned char *chunk;
    kw_err rc = KW_OK;
    int zr;

    kw_buf_init(out, KW_ATTACH_MAX_UNPACKED);
    if (n > UINT32_MAX)
        return KW_ETOOBIG;
    chunk = kw_malloc(HWP_CHUNK);
    if (!chunk)
        return KW_ENOMEM;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, -15) != Z_OK) {
        kw_free(chunk);
        return KW_ENOMEM;
    }
    zs.next_in = (Bytef *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    do {
        size_t got;

        zs.next_out = chunk;
        zs.avail_out = HWP_CHUNK;
        zr = inflate(&zs, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END) {
            /* Z_BUF_ERROR here means the input ended mid-stream. */
            rc = zr == Z_MEM_ERROR ? KW_ENOMEM : KW_EPARSE;
            break;
        }
        got = HWP_CHUNK - zs.avail_out;
        rc = kw__attach_unpacked(s, got);
        if (rc)
            break;
        kw_buf_add(out, chunk, got);
        rc = out->err;
        if (rc)
            break;
    } while (zr != Z_STREAM_END);
    inflateEnd(&zs);
    kw_free(chunk);
    if (!rc && !out->p)
        kw_buf_adds(out, "");
    return rc ? rc : out->err;
}

/* Adds the text of one HWPTAG_PARA_TEXT payload p[0..n). */
static kw_err para_text(kw__attach_sink *s, const unsigned char *p, size_t n)
{
    size_t count = n / 2, i = 0, m = 0;
    UChar *u = NULL;
    char *utf8 = NULL;
    int32_t len = 0;
    UErrorCode uerr = U_ZERO_ERROR;
    kw_err rc = KW_OK;

    if (count == 0)
        return KW_OK;
    /* ICU takes int32_t lengths; a record is at most 4 GiB, so cap. */
    if (count > (size_t)INT32_MAX / 4)
        return KW_ETOOBIG;
    u = kw_malloc(count * sizeof(*u));
    if (!u)
        return KW_ENOMEM;
    while (i < count) {
        UChar c = (UChar)(p[2 * i] | p[2 * i + 1] << 8);

        if (c >= 32) {
            u[m++] = c;
            i++;
            continue;
        }
        switch (c) {
        case 9: /* tab: an inline control, eight units */
            u[m++] = '\t';
            i += 8;
            break;
        case 10: /* line break */
        case 13: /* paragraph end */
            u[m++] = '\n';
            i++;
            break;
        case 24: /* hyphen */
            u[m++] = '-';
            i++;
            break;
        case 30: /* non-breaking space (묶음 빈칸) */
        case 31: /* fixed-width space (고정폭 빈칸) */
            u[m++] = ' ';
            i++;
            break;
        case 0:
        case 25:
        case 26:
        case 27:
        case 28:
        case 29: /* unused or reserved char controls */
            i++;
            break;
        default: /* 1-8, 11-12, 14-23: inline or extended, eight units */
            i += 8;
            break;
        }
    }
    if (m == 0)
        goto done;
    /* Each UTF-16 unit becomes at most 3 bytes of UTF-8. */
    utf8 = kw_malloc(3 * m + 1);
    if (!utf8) {
        rc = KW_ENOMEM;
        goto done;
    }
    u_strToUTF8WithSub(utf8, (int32_t)(3 * m + 1), &len, u, (int32_t)m, 0xFFFD,
                       NULL, &uerr);
    if (U_FAILURE(uerr)) {
        rc = uerr == U_MEMORY_ALLOCATION_ERROR ? KW_ENOMEM : KW_EPARSE;
        goto done;
    }
    kw__attach_add(s, utf8, (size_t)len);
done:
    kw_free(utf8);
    kw_free(u);
    return rc;
}

/* Walks the records of one section p[0..n). */
static kw_err section_text(kw__attach_sink *s, const unsigned char *p, size_t n)
{
    size_t off = 0;
    kw_err rc;

    while (off < n && !s->is_full) {
        uint32_t hdr, tag, size;

        if (n - off < 4)
            return KW_EPARSE;
        hdr = le32(p + off);
        off += 4;
        tag = hdr & 0x3ff;
        size = hdr >> 20;
        if (size == 0xfff) {
            if (n - off < 4)
                return KW_EPARSE;
            size = le32(p + off);
            off += 4;
        }
        if (size > n - off)
            return KW_EPARSE;
        if (tag == HWPTAG_PARA_HEADER) {
            kw__attach_para(s);
        } else if (tag == HWPTAG_PARA_TEXT) {
            rc = para_text(s, p + off, size);
            if (rc)
                return rc;
        }
        off += size;
    }
    kw__attach_para(s);
    return KW_OK;
}

/* Parses "Section<N>" into N; -1 for other names. */
static long section_number(const char *name)
{
    uint64_t v;

    if (!name || strncmp(name, "Section", 7) != 0 || name[7] == '\0')
        return -1;
    if (kw_parse_u64(name + 7, strlen(name + 7), &v) || v > 1000000)
        return -1;
    return (long)v;
}

typedef struct section_ref {
    long num; /* N of SectionN */
    int idx;  /* child index in BodyText */
} section_ref;

static int section_cmp(const void *a, const void *b)
{
    const section_ref *x = a, *y = b;

    return (x->num > y->num) - (x->num < y->num);
}

/* Reads the sections of the BodyText storage @body in numeric order. */
static kw_err body_text(kw__attach_sink *s, GsfInfile *body, int compressed,
                        size_t file_n)
{
    int i, children = gsf_infile_num_children(body);
    size_t k, count = 0;
    section_ref *refs = NULL;
    kw_err rc = KW_OK;

    if (children <= 0)
        return KW_EPARSE;
    refs = kw_calloc((size_t)children, sizeof(*refs));
    if (!refs)
        return KW_ENOMEM;
    for (i = 0; i < children; i++) {
        long num = section_number(gsf_infile_name_by_index(body, i));

        if (num < 0)
            continue;
        refs[count].num = num;
        refs[count].idx = i;
        count++;
    }
    if (count == 0)
        rc = KW_EPARSE;
    qsort(refs, count, sizeof(*refs), section_cmp);
    for (k = 0; !rc && k < count && !s->is_full; k++) {
        GsfInput *in = gsf_infile_child_by_index(body, refs[k].idx);
        kw_buf raw, plain;

        if (!in) {
            rc = KW_EPARSE;
            break;
        }
        kw_buf_init(&plain, 0);
        rc = stream_read(in, file_n, &raw);
        g_object_unref(in);
        if (!rc && compressed) {
            rc = inflate_raw(s, raw.p ? raw.p : "", raw.n, &plain);
            if (!rc)
                rc = section_text(s, (const unsigned char *)plain.p, plain.n);
        } else if (!rc) {
            rc = kw__attach_unpacked(s, raw.n);
            if (!rc)
                rc = section_text(s, (const unsigned char *)raw.p, raw.n);
        }
        kw_buf_deinit(&raw);
        kw_buf_deinit(&plain);
    }
    kw_free(refs);
    return rc;
}

kw_err kw__attach_hwp(kw__attach_sink *s, const void *data, size_t n,
                      const char **format)
{
    GsfInput *mem = NULL, *fh = NULL, *body = NULL;
    GsfInfile *ole = NULL;
    GError *gerr = NULL;
    const guint8 *hdr;
    uint32_t version, flags;
    kw_err rc;

    *format = NULL;
    gsf_once();
    mem = gsf_input_memory_new(data, (gsf_off_t)n, FALSE);
    if (!mem)
        return KW_ENOMEM;
    ole = gsf_infile_msole_new(mem, &gerr);
    if (!ole) {
        rc = KW_EPARSE;
        goto done;
    }
    fh = gsf_infile_child_by_name(ole, "FileHeader");
    /* Other OLE2 files (.doc, .xls, .ppt, .msg) have no FileHeader. */
    rc = KW_EINVAL;
    if (!fh || gsf_input_size(fh) < 40)
        goto done;
    hdr = gsf_input_read(fh, 40, NULL);
    if (!hdr || memcmp(hdr, HWP_SIGNATURE, sizeof(HWP_SIGNATURE)) != 0)
        goto done;
    *format = KW_ATTACH_HWP;
    version = le32(hdr + 32);
    flags = le32(hdr + 36);
    if (version >> 24 != 5) {
        rc = KW_EPARSE; /* not a 5.x document */
        goto done;
    }
    if (flags & HWP_FLAGS_DENIED) {
        rc = KW_EDENIED;
        goto done;
    }
    body = gsf_infile_child_by_name(ole, "BodyText");
    if (!body || !GSF_IS_INFILE(body)) {
        /* Distribution documents keep their body in ViewText. */
        GsfInput *view = gsf_infile_child_by_name(ole, "ViewText");

        rc = view ? KW_EDENIED : KW_EPARSE;
        if (view)
            g_object_unref(view);
        goto done;
    }
    rc = body_text(s, GSF_INFILE(body), (flags & HWP_FLAG_COMPRESSED) != 0, n);
done:
    if (body)
        g_object_unref(body);
    if (fh)
        g_object_unref(fh);
    if (ole)
        g_object_unref(ole);
    g_clear_error(&gerr);
    g_object_unref(mem);
    return rc;
}
