/*
 * bench_extract FILE...: what `kowatch extract --json FILE...` does, for
 * any number of files in one process (the kowatch command line takes at
 * most 64 files; the benchmark has 181).  Reads each file (gzip too),
 * runs kw_extract and prints one JSON line per page with "file", "kind",
 * "title", "published" and "text", then the extraction time on stderr.
 * Used by bench/bench_extract.sh.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <kw/common.h>
#include <kw/parsers.h>

/* Prints s as a JSON string (NULL as null). */
static void put_json(FILE *f, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *u; u++) {
        if (*u == '"' || *u == '\\') {
            fputc('\\', f);
            fputc(*u, f);
        } else if (*u == '\n') {
            fputs("\\n", f);
        } else if (*u < 0x20) {
            fprintf(f, "\\u%04x", *u);
        } else {
            fputc(*u, f);
        }
    }
    fputc('"', f);
}

static const char *kind_name(kw_page_kind k)
{
    return k == KW_KIND_ARTICLE ? "article"
           : k == KW_KIND_NOTICE ? "notice"
                                 : "other";
}

/* Reads @path, inflating gzip; *out is kw_free'd by the caller. */
static kw_err read_page(const char *path, char **out, size_t *n)
{
    char *raw = NULL, *plain = NULL;
    size_t raw_n = 0, plain_n = 0;
    kw_err rc;

    rc = kw_read_file(path, KW_MAX_BODY, &raw, &raw_n);
    if (rc)
        return rc;
    rc = kw_gunzip(raw, raw_n, KW_MAX_BODY, &plain, &plain_n);
    if (rc) {
        kw_free(raw);
        return rc;
    }
    if (plain) {
        kw_free(raw);
        raw = plain;
        raw_n = plain_n;
    }
    *out = raw;
    *n = raw_n;
    return KW_OK;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double spent = 0;
    int i, failed = 0;

    kw_parsers_global_init();
    for (i = 1; i < argc; i++) {
        kw_article *art = NULL;
        char *page = NULL, iso[32] = "";
        size_t n = 0;
        double t0;
        kw_err rc;

        rc = read_page(argv[i], &page, &n);
        t0 = now_s();
        if (!rc)
            rc = kw_extract(page, n, NULL, NULL, &art);
        spent += now_s() - t0;
        kw_free(page);
        if (rc) {
            fprintf(stderr, "%s: %s\n", argv[i], kw_strerror(rc));
            failed++;
            continue;
        }
        if (art->has_published)
            kw_time_iso(art->published.t, art->published.offset_min, iso);
        fputs("{\"file\":", stdout);
        put_json(stdout, argv[i]);
        printf(",\"kind\":\"%s\",\"title\":", kind_name(art->kind));
        put_json(stdout, art->title);
        fputs(",\"published\":", stdout);
        put_json(stdout, art->has_published ? iso : NULL);
        fputs(",\"byline\":", stdout);
        put_json(stdout, art->byline);
        if (art->department) {
            fputs(",\"department\":", stdout);
            put_json(stdout, art->department);
        }
        fputs(",\"text\":", stdout);
        put_json(stdout, art->text);
        fputs("}\n", stdout);
        kw_article_free(art);
    }
    fprintf(stderr, "bench_extract: %d pages, %d failed, extraction %.3f s\n",
            argc - 1, failed, spent);
    return failed ? 1 : 0;
}
