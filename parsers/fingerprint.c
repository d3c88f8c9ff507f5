/*
 * Story fingerprints: a 64-bit SimHash (Charikar 2002) over the word
 * 3-shingles of normalised text.  Words are runs of letters and digits
 * (punctuation is dropped), Korean words crudely stemmed (see stem()),
 * so that a syndicated copy scores 0 and a light rewrite (reworded
 * endings, a sentence added or merged) typically 8-16 bits, while
 * different stories, even on the same topic, differ in about half of the
 * 64 bits.  SimHash distance tracks the angle between shingle sets:
 * cosine 0.75 gives about 15 bits on average.
 */
#include <string.h>

#include "analysis_int.h"

typedef struct word {
    size_t s, e;
} word;

static int is_word_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z');
    if (kw__an_is_hangul(c) || kw__an_is_latin_alnum(c))
        return 1;
    /* CJK ideographs, kana; other scripts' letters. */
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0x0370 && c <= 0x052F);
}

/*
 * Crude Korean stemming: a Hangul word keeps its first two syllables, which
 * drops particles and verb endings alike (공모에 -> 공모, 밝혔다고 ->
 * 밝혔, 신청서를 -> 신청); words of one character are dropped.  A light
 * rewrite mostly changes endings and particles, so this brings its
 * shingles back to the original's.  Returns the new end, or @s to drop.
 */
static size_t stem(const char *t, size_t s, size_t e)
{
    size_t pos = s, len, chars = 0;
    uint32_t c = kw__an_cp(t + s, e - s, &len);

    if (kw__an_is_hangul(c)) {
        while (pos < e && chars < 2) {
            kw__an_cp(t + pos, e - pos, &len);
            pos += len ? len : 1;
            chars++;
        }
        return chars < 2 ? s : pos;
    }
    while (pos < e && chars < 2) {
        kw__an_cp(t + pos, e - pos, &len);
        pos += len ? len : 1;
        chars++;
    }
    return chars < 2 ? s : e;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t kw__an_fingerprint(const kw_gazetteer *g, const char *t, size_t n)
{
    (void)g;
    word win[3];
    size_t nw = 0, pos = 0, total = 0;
    int64_t acc[64];
    uint64_t fp = 0;
    int b;

    memset(acc, 0, sizeof(acc));
    while (pos < n) {
        size_t len, s, e;
        uint32_t c = kw__an_cp(t + pos, n - pos, &len);

        if (!is_word_cp(c)) {
            pos += len ? len : 1;
            continue;
        }
        s = pos;
        while (pos < n) {
            c = kw__an_cp(t + pos, n - pos, &len);
            if (!is_word_cp(c))
                break;
            pos += len;
        }
        e = pos;
        e = stem(t, s, e);
        if (e == s)
            continue;
        if (nw == 3) {
            win[0] = win[1];
            win[1] = win[2];
            nw = 2;
        }
        win[nw].s = s;
        win[nw].e = e;
        nw++;
        total++;
        if (nw == 3) {
            uint64_t h = 0xcbf29ce484222325ULL;
            int k;

            for (k = 0; k < 3; k++) {
                h = fnv(h, t + win[k].s, win[k].e - win[k].s);
                h = fnv(h, " ", 1);
            }
            h = mix(h);
            for (b = 0; b < 64; b++)
                acc[b] += (h >> b) & 1 ? 1 : -1;
        }
    }
    if (total > 0 && total < 3) {
        uint64_t h = 0xcbf29ce484222325ULL;
        size_t k;

        for (k = 0; k < nw; k++)
            h = fnv(h, t + win[k].s, win[k].e - win[k].s);
        h = mix(h);
        for (b = 0; b < 64; b++)
            acc[b] += (h >> b) & 1 ? 1 : -1;
    }
    for (b = 0; b < 64; b++)
        if (acc[b] > 0)
            fp |= (uint64_t)1 << b;
    return fp;
}

int kw_fingerprint_distance(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ b;
    int d = 0;

    while (x) {
        x &= x - 1;
        d++;
    }
    return d;
}
