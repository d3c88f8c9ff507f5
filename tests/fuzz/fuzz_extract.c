/*
 * libFuzzer target: kw_extract on arbitrary bytes must return a result
 * or an error, never crash, leak or read out of bounds.  The first byte
 * picks the declared charset (none, UTF-8, EUC-KR) and whether a
 * ministry URL is given, so notice handling is reached too.
 *
 * Built with -DKW_FUZZ_REPLAY it gets a main() that runs every file of
 * the directories on its command line (the seeds in fuzz_extract.in/ and
 * the crashers kept in fuzz_extract.repro/): the ctest "fuzz-regress".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kw/common.h>
#include <kw/parsers.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const charsets[] = {NULL, "UTF-8", "EUC-KR"};
    static int ready;
    const char *url = NULL;
    kw_article *art = NULL;
    unsigned sel = 0;

    if (!ready) {
        kw_parsers_global_init();
        ready = 1;
    }
    if (size > 0) {
        sel = data[0];
        data++;
        size--;
    }
    if (sel & 4)
        url = "https://www.example.go.kr/bbs/view.do?id=1";
    if (kw_extract((const char *)data, size, charsets[sel % 3], url, &art) ==
        KW_OK) {
        /* Touch the result: every string must be readable. */
        size_t i, sum = art->text_n;

        sum += art->title ? strlen(art->title) : 0;
        sum += art->byline ? strlen(art->byline) : 0;
        for (i = 0; i < art->n_attachments; i++)
            sum += strlen(art->attachments[i].name);
        if (strlen(art->text) != art->text_n)
            __builtin_trap();
        (void)sum;
        kw_article_free(art);
    }
    return 0;
}

#ifdef KW_FUZZ_REPLAY
#include <dirent.h>

/* Runs one file through the target; 0 on success. */
static int replay_file(const char *path)
{
    char *p = NULL;
    size_t n = 0;
    kw_err rc = kw_read_file(path, KW_MAX_BODY + 1, &p, &n);

    if (rc) {
        fprintf(stderr, "%s: %s\n", path, kw_strerror(rc));
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)p, n);
    kw_free(p);
    return 0;
}

int main(int argc, char **argv)
{
    int i, files = 0, failed = 0;

    for (i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        struct dirent *e;

        if (!d) {
            failed += replay_file(argv[i]);
            files++;
            continue;
        }
        while ((e = readdir(d)) != NULL) {
            char path[4096];

            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            failed += replay_file(path);
            files++;
        }
        closedir(d);
    }
    printf("fuzz_extract replay: %d files, %d unreadable\n", files, failed);
    return failed ? 1 : 0;
}
#endif
