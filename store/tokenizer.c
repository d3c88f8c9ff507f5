/*
 * tokenizer.c -- the FTS5 tokenizer 'kowatch' (original fts5_tokenizer
 * API of SQLite 3.40; see sqlite3.h "CUSTOM TOKENIZERS"), built on the
 * Korean analysis of kw/korean.h.
 *
 * Documents (FTS5_TOKENIZE_DOCUMENT and _AUX, which must agree so that
 * snippets highlight what matched) get, for each word at its position:
 *   - the normalized surface ('네이버가', 'ai');
 *   - the stem, FTS5_TOKEN_COLOCATED, if it differs ('네이버');
 *   - the suffixes of a Hangul stem of 3+ syllables that keep 2+
 *     syllables, colocated ('추가공모' also gives '가공모', '공모'), so a
 *     query for the head of a compound finds it.  Prefixes are not
 *     emitted by default: '네이버' must not find '네이버웹툰'.
 *   - a second, less certain stem, colocated, for a one-syllable noun
 *     whose particle could also end a longer noun ('말로' gives '말';
 *     kw_ko_stem_alt());
 *   - a bound noun glued to the verb form before it ('사용할때' gives
 *     '때'; kw_ko_bound_noun()), colocated;
 * A one-syllable counter after a number ('2차를') is one token, '#차'
 * (see COUNTER_MARK), in documents and queries alike.
 * Queries (FTS5_TOKENIZE_QUERY) get the stem of each word only, so a
 * query word matches every inflected form; a prefix query ('모델*') gets
 * the normalized surface.
 *
 * Arguments (tokenize='kowatch ...'), for benchmarks: "suffixes 0|1"
 * (default 1), "prefixes 0|1" (default 0), "stems 0|1" (default 1).
 *
 * Every offset passed to xToken is a byte offset into the text FTS5 gave
 * us.  An error returned by xToken stops tokenizing and is returned.
 */
#include <string.h>

#include "kw/korean.h"
#include "store_int.h"

#define SYL 3           /* bytes of a Hangul syllable */
#define MAX_AFFIX_SYL 8 /* affixes are emitted only for stems this long */

typedef struct ko_tok {
    kw_ko *ko;       /* the analyzer of this tokenizer instance */
    int is_suffixes; /* emit suffixes of Hangul stems */
    int is_prefixes; /* emit prefixes of Hangul stems */
    int is_stems;    /* emit stems at all */
} ko_tok;

/* State of one xTokenize call. */
typedef struct tok_run {
    const ko_tok *tk;
    int flags;       /* FTS5_TOKENIZE_* */
    void *ctx;       /* FTS5's context for xToken */
    int (*xToken)(void *, int, const char *, int, int, int);
    int rc;          /* first SQLite error from xToken */
    /* The number token just before, for a counter glued to it. */
    char num[48];
    size_t num_n;
    int num_start, num_end;
    int num_pending; /* queries: the number is held back, not yet emitted */
} tok_run;

static int parse_flag(const char *v, int *out)
{
    if (strcmp(v, "0") == 0)
        *out = 0;
    else if (strcmp(v, "1") == 0)
        *out = 1;
    else
        return SQLITE_ERROR;
    return SQLITE_OK;
}

static int ko_create(void *ud, const char **argv, int argc,
                     Fts5Tokenizer **out)
{
    ko_tok *tk;
    int i, rc = SQLITE_OK;
    kw_err err;

    (void)ud;
    *out = NULL;
    tk = kw_calloc(1, sizeof(*tk));
    if (!tk)
        return SQLITE_NOMEM;
    tk->is_suffixes = 1;
    tk->is_stems = 1;
    for (i = 0; i + 1 < argc && rc == SQLITE_OK; i += 2) {
        if (strcmp(argv[i], "suffixes") == 0)
            rc = parse_flag(argv[i + 1], &tk->is_suffixes);
        else if (strcmp(argv[i], "prefixes") == 0)
            rc = parse_flag(argv[i + 1], &tk->is_prefixes);
        else if (strcmp(argv[i], "stems") == 0)
            rc = parse_flag(argv[i + 1], &tk->is_stems);
        else
            rc = SQLITE_ERROR;
    }
    if (rc == SQLITE_OK && i != argc)
        rc = SQLITE_ERROR; /* an option without its value */
    if (rc != SQLITE_OK) {
        kw_free(tk);
        return rc;
    }
    err = kw_ko_new(&tk->ko);
    if (err) {
        kw_free(tk);
        return err == KW_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    }
    *out = (Fts5Tokenizer *)tk;
    return SQLITE_OK;
}

static void ko_delete(Fts5Tokenizer *p)
{
    ko_tok *tk = (ko_tok *)p;

    if (!tk)
        return;
    kw_ko_free(tk->ko);
    kw_free(tk);
}

/* Passes one token spanning text[start..end) to FTS5; a failure is kept
 * in r->rc. */
static kw_err emit_span(tok_run *r, int colocated, const char *p, size_t n,
                        int start, int end)
{
    r->rc = r->xToken(r->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, p,
                      (int)n, start, end);
    return r->rc == SQLITE_OK ? KW_OK : KW_EDB;
}

/* Passes one token at the offsets of word @t. */
static kw_err emit(tok_run *r, int colocated, const char *p, size_t n,
                   const kw_ko_token *t)
{
    return emit_span(r, colocated, p, n, (int)t->start, (int)t->end);
}

/* The colocated affixes of a Hangul stem (see the file comment). */
static kw_err emit_affixes(tok_run *r, const kw_ko_token *t)
{
    size_t syl = kw_ko_syllables(t->stem, t->stem_n), k;
    kw_err rc;

    if (syl < 3 || syl > MAX_AFFIX_SYL)
        return KW_OK;
    for (k = 1; r->tk->is_suffixes && k + 2 <= syl; k++) {
        rc = emit(r, 1, t->stem + k * SYL, t->stem_n - k * SYL, t);
        if (rc)
            return rc;
    }
    for (k = 2; r->tk->is_prefixes && k < syl; k++) {
        rc = emit(r, 1, t->stem, k * SYL, t);
        if (rc)
            return rc;
    }
    return KW_OK;
}

/* A counter glued after a number (2차, 3명) is indexed as COUNTER_MARK +
 * its stem, '#차', so that the noun '차' does not find it, and colocated
 * with it the number joined to the mark, '2#차'.  A query for '2차'
 * searches that one joined term: the phrase '2' '#차' it equals had to
 * intersect two of the longest position lists of the index (every year
 * and date of every article), the slowest searches at 1,000,000
 * articles (bench_search --profile).  No word of text can produce the
 * mark: '#' is never part of a word. */
#define COUNTER_MARK '#'

/* Emits the number held back by a query, if any. */
static kw_err flush_number(tok_run *r)
{
    if (!r->num_pending)
        return KW_OK;
    r->num_pending = 0;
    return emit_span(r, 0, r->num, r->num_n, r->num_start, r->num_end);
}

static kw_err on_counter(tok_run *r, const kw_ko_token *t, int is_query)
{
    char mark[1 + SYL], joined[sizeof(r->num) + 1 + SYL];
    size_t jn = 0;

    if (t->stem_n != SYL)
        return flush_number(r); /* cannot happen: a counter is a syllable */
    mark[0] = COUNTER_MARK;
    memcpy(mark + 1, t->stem, SYL);
    if (r->num_n) {
        memcpy(joined, r->num, r->num_n);
        memcpy(joined + r->num_n, mark, sizeof(mark));
        jn = r->num_n + sizeof(mark);
    }
    if (is_query && jn) {
        r->num_pending = 0; /* the joined term stands for both */
        return emit_span(r, 0, joined, jn, r->num_start, (int)t->end);
    }
    if (flush_number(r) || emit(r, 0, mark, sizeof(mark), t))
        return KW_EDB;
    if (!jn)
        return KW_OK;
    return emit_span(r, 1, joined, jn, r->num_start, (int)t->end);
}

static kw_err on_word(const kw_ko_token *t, void *ud)
{
    tok_run *r = ud;
    int has_stem = r->tk->is_stems && t->stem_n < t->norm_n;
    int is_query = (r->flags & FTS5_TOKENIZE_QUERY) != 0;
    kw_err rc;

    if (t->is_counter && r->tk->is_stems) {
        rc = on_counter(r, t, is_query);
        r->num_n = 0;
        return rc;
    }
    rc = flush_number(r);
    r->num_n = 0;
    if (rc)
        return rc;
    if (t->kind == KW_KO_NUMBER && r->tk->is_stems &&
        t->norm_n < sizeof(r->num)) {
        memcpy(r->num, t->norm, t->norm_n);
        r->num_n = t->norm_n;
        r->num_start = (int)t->start;
        r->num_end = (int)t->end;
        if (is_query && !(r->flags & FTS5_TOKENIZE_PREFIX)) {
            r->num_pending = 1; /* a counter may follow */
            return KW_OK;
        }
    }
    if (is_query) {
        if ((r->flags & FTS5_TOKENIZE_PREFIX) || !has_stem)
            return emit(r, 0, t->norm, t->norm_n, t);
        return emit(r, 0, t->stem, t->stem_n, t);
    }
    rc = emit(r, 0, t->norm, t->norm_n, t);
    if (!rc && has_stem)
        rc = emit(r, 1, t->stem, t->stem_n, t);
    if (!rc && t->alt_n && r->tk->is_stems)
        rc = emit(r, 1, t->norm, t->alt_n, t);
    if (!rc && t->kind == KW_KO_HANGUL && r->tk->is_stems)
        rc = emit_affixes(r, t);
    if (!rc && t->kind == KW_KO_HANGUL && r->tk->is_stems) {
        size_t b = kw_ko_bound_noun(t->stem, t->stem_n);

        if (b)
            rc = emit(r, 1, t->stem + t->stem_n - b, b, t);
    }
    return rc;
}

static int ko_tokenize(Fts5Tokenizer *p, void *ctx, int flags,
                       const char *text, int n,
                       int (*xToken)(void *, int, const char *, int, int,
                                     int))
{
    tok_run r;
    kw_err err;

    r.tk = (const ko_tok *)p;
    r.flags = flags;
    r.ctx = ctx;
    r.xToken = xToken;
    r.rc = SQLITE_OK;
    r.num_n = 0;
    r.num_pending = 0;
    if (n <= 0 || !text)
        return SQLITE_OK;
    err = kw_ko_tokenize(r.tk->ko, text, (size_t)n, on_word, &r);
    if (!err)
        err = flush_number(&r);
    if (r.rc != SQLITE_OK)
        return r.rc; /* xToken's own error, passed up unchanged */
    if (err == KW_ENOMEM)
        return SQLITE_NOMEM;
    return err ? SQLITE_ERROR : SQLITE_OK;
}

fts5_api *kw__store_fts5_api(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;

    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(s);
        return NULL;
    }
    if (sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL) ==
        SQLITE_OK)
        (void)sqlite3_step(s);
    sqlite3_finalize(s);
    return api;
}

int kw__store_tokenizer_register(sqlite3 *db)
{
    static fts5_tokenizer vt = {ko_create, ko_delete, ko_tokenize};
    fts5_api *api = kw__store_fts5_api(db);

    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;
    return api->xCreateTokenizer(api, KW_STORE_FTS_TOKENIZER_NAME, NULL, &vt,
                                 NULL);
}
