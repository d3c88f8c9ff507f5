/*
 * Attachment text extraction speed: runs kw_attachment_text() over each
 * file on the command line (default: the fixtures in
 * tests/fixtures/attachments) -r times and prints, per file, the format,
 * input and text sizes, milliseconds per document and MB/s of input.
 * bench_attachment.sh builds large documents first and runs this on them.
 *
 *   bench_attachment [-r REPS] [FILE...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <kw/attachment.h>
#include <kw/common.h>

#define FIX KW_SOURCE_DIR "/tests/fixtures/attachments/"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_file(const char *path, long reps)
{
    char *p = NULL, *text = NULL;
    size_t n = 0, text_n = 0;
    const char *fmt = NULL;
    kw_err rc = KW_OK;
    double t0, dt;
    long i;

    if (kw_read_file(path, (size_t)1 << 30, &p, &n)) {
        fprintf(stderr, "bench_attachment: cannot read %s\n", path);
        return 1;
    }
    t0 = now_s();
    for (i = 0; i < reps; i++) {
        rc = kw_attachment_text(p, n, path, NULL, 0, &text, &fmt);
        text_n = text ? strlen(text) : 0;
        kw_free(text);
        text = NULL;
    }
    dt = (now_s() - t0) / (double)reps;
    printf("%-28s %-5s %-10s %9.1f KiB in %9.1f KiB text %9.2f ms/doc "
           "%7.1f MB/s\n",
           strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
           fmt ? fmt : "-", rc ? kw_strerror(rc) : "ok", (double)n / 1024,
           (double)text_n / 1024, dt * 1e3, (double)n / dt / 1e6);
    kw_free(p);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const fixtures[] = {
        FIX "press.hwpx", FIX "press.odt", FIX "press.docx",
        FIX "press.pdf",  FIX "press.hwp", FIX "press-plain.hwp"};
    long reps = 20;
    int i = 1, failed = 0;
    size_t k;

    if (argc > 2 && strcmp(argv[1], "-r") == 0) {
        reps = strtol(argv[2], NULL, 10);
        if (reps < 1)
            reps = 1;
        i = 3;
    }
    printf("bench_attachment: %ld runs per file\n", reps);
    if (i == argc)
        for (k = 0; k < sizeof(fixtures) / sizeof(fixtures[0]); k++)
            failed += bench_file(fixtures[k], reps);
    for (; i < argc; i++)
        failed += bench_file(argv[i], reps);
    return failed ? 1 : 0;
}
