/*
 * libFuzzer target: kw_attachment_text on arbitrary bytes (PDF, HWPX,
 * ODT, DOCX, HWP 5 and whatever else) must return text or an error,
 * never crash, leak or read out of bounds; the text must be valid UTF-8
 * within max_text.
 *
 * Built with -DKW_FUZZ_REPLAY it gets a main() that runs every file of
 * the directories on its command line, like tests/fuzz/fuzz_extract.c.
 * Seeds: the attachment fixtures (tests/fixtures/attachments).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kw/attachment.h>
#include <kw/common.h>

#define FUZZ_MAX_TEXT ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL;
    const char *fmt = NULL;

    if (kw_attachment_text(data, size, NULL, NULL, FUZZ_MAX_TEXT, &text,
                           &fmt) == KW_OK) {
        size_t n = strlen(text);

        if (n > FUZZ_MAX_TEXT || !kw_utf8_valid(text, n) || !fmt)
            __builtin_trap();
        kw_free(text);
    } else if (text) {
        __builtin_trap();
    }
    return 0;
}

#ifdef KW_FUZZ_REPLAY
#include <dirent.h>

static int replay_file(const char *path)
{
    char *p = NULL;
    size_t n = 0;
    kw_err rc = kw_read_file(path, (size_t)64 << 20, &p, &n);

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
        struct dirent *de;

        if (!d) {
            failed += replay_file(argv[i]);
            files++;
            continue;
        }
        while ((de = readdir(d)) != NULL) {
            char path[4096];
            int w;

            if (de->d_name[0] == '.')
                continue;
            w = snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
            if (w < 0 || (size_t)w >= sizeof(path))
                continue;
            failed += replay_file(path);
            files++;
        }
        closedir(d);
    }
    printf("fuzz_attachment: %d files, %d unreadable\n", files, failed);
    return failed ? 1 : 0;
}
#endif
