/*
 * The analyst's query language, compiled to an FTS5 MATCH expression.
 *
 *   query   := or
 *   or      := and ( "OR" and )*
 *   and     := unary ( ["AND"] unary )*
 *   unary   := ( "NOT" | "-" ) primary | primary
 *   primary := WORD ["*"] | '"' PHRASE '"' | "(" or ")"
 *
 * FTS5's NOT is binary ("a NOT b"), so each AND group is emitted as its
 * included terms followed by "NOT" and each excluded term; a group made
 * only of exclusions is an error.  Every word and phrase is emitted as an
 * FTS5 string ("..." with '"' doubled), so FTS5 syntax typed by a user
 * (column filters, NEAR, '^', '+') is searched for as text, never obeyed.
 *
 * Korean analysis happens in the 'kowatch' tokenizer, which FTS5 runs on
 * each string: '네이버가' is searched as the stem '네이버', which every
 * inflected form in the index carries, and 'AI연구원' as the phrase
 * 'ai 연구원'.  Here only spacing variants are added (emit_word).
 */
#include <stdio.h>
#include <string.h>

#include "kw/korean.h"
#include "kw/queries.h"

#define MAX_QUERY 1024 /* bytes of query text */
#define MAX_DEPTH 16   /* nested parentheses */

typedef enum tok_kind {
    TOK_END,
    TOK_WORD,   /* text, is_prefix */
    TOK_PHRASE, /* text */
    TOK_OR,
    TOK_AND,
    TOK_NOT,
    TOK_LPAREN,
    TOK_RPAREN,
} tok_kind;

typedef struct tok {
    tok_kind kind;
    const char *p; /* WORD/PHRASE text */
    size_t n;
    int is_prefix;
} tok;

typedef struct parser {
    const char *s;  /* query text */
    size_t n;       /* its length */
    size_t pos;     /* next byte to read */
    tok cur;        /* current token */
    int depth;      /* parenthesis depth */
    kw_buf out;     /* FTS5 expression */
    char *err;      /* message buffer */
    size_t err_n;
    int failed;     /* an error was written to err */
} parser;

static void fail(parser *ps, const char *msg)
{
    if (!ps->failed && ps->err && ps->err_n)
        snprintf(ps->err, ps->err_n, "%s", msg);
    ps->failed = 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Reads the next token into ps->cur. */
static void next_tok(parser *ps)
{
    const char *s = ps->s;
    size_t i = ps->pos, start;

    while (i < ps->n && is_space(s[i]))
        i++;
    ps->cur.is_prefix = 0;
    if (i >= ps->n) {
        ps->cur.kind = TOK_END;
        ps->pos = i;
        return;
    }
    if (s[i] == '(' || s[i] == ')') {
        ps->cur.kind = s[i] == '(' ? TOK_LPAREN : TOK_RPAREN;
        ps->pos = i + 1;
        return;
    }
    if (s[i] == '-' && i + 1 < ps->n && !is_space(s[i + 1]) &&
        s[i + 1] != ')') {
        ps->cur.kind = TOK_NOT;
        ps->pos = i + 1;
        return;
    }
    if (s[i] == '"') {
        start = ++i;
        while (i < ps->n && s[i] != '"')
            i++;
        if (i >= ps->n) {
            fail(ps, "unbalanced double quote: close the phrase with \"");
            ps->cur.kind = TOK_END;
            ps->pos = i;
            return;
        }
        ps->cur.kind = TOK_PHRASE;
        ps->cur.p = s + start;
        ps->cur.n = i - start;
        ps->pos = i + 1;
        return;
    }
    start = i;
    while (i < ps->n && !is_space(s[i]) && s[i] != '(' && s[i] != ')' &&
           s[i] != '"')
        i++;
    ps->pos = i;
    ps->cur.p = s + start;
    ps->cur.n = i - start;
    if (ps->cur.n == 2 && memcmp(ps->cur.p, "OR", 2) == 0) {
        ps->cur.kind = TOK_OR;
        return;
    }
    if (ps->cur.n == 3 && memcmp(ps->cur.p, "AND", 3) == 0) {
        ps->cur.kind = TOK_AND;
        return;
    }
    if (ps->cur.n == 3 && memcmp(ps->cur.p, "NOT", 3) == 0) {
        ps->cur.kind = TOK_NOT;
        return;
    }
    ps->cur.kind = TOK_WORD;
    while (ps->cur.n > 0 && ps->cur.p[ps->cur.n - 1] == '*') {
        ps->cur.is_prefix = 1;
        ps->cur.n--;
    }
}

/* True if p[0..n) holds a character a tokenizer would index: an ASCII
 * letter or digit, or any non-ASCII byte (Hangul, Han, accented...). */
static int has_word_char(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z'))
            return 1;
    }
    return 0;
}

/* Appends p[0..n) as an FTS5 string literal. */
static void emit_string(kw_buf *b, const char *p, size_t n)
{
    size_t i;

    kw_buf_addc(b, '"');
    for (i = 0; i < n; i++) {
        if (p[i] == '"')
            kw_buf_addc(b, '"');
        kw_buf_addc(b, p[i]);
    }
    kw_buf_addc(b, '"');
}

/*
 * Spacing variants.  Korean writers join or split compounds freely
 * ('추가 공모', '추가공모'), so a Hangul word whose stem has
 * MIN_SPLIT_SYL..MAX_SPLIT_SYL syllables also matches as a phrase split
 * in two parts of 2+ syllables, and a phrase of Hangul words -- or an
 * AND of plain Hangul words typed apart -- also matches as one joined
 * word.  Particles need no care here: the tokenizer strips them from
 * query text as from documents (store/tokenizer.c).
 */
#define MIN_SPLIT_SYL 4
#define MAX_SPLIT_SYL 8
#define MAX_JOIN_WORDS 3
#define SYL 3 /* bytes of a Hangul syllable */

/* Appends a query word: "w", or ("w" OR "w1 w2" OR ...) for a long
 * Hangul word. */
static void emit_word(kw_buf *b, const char *p, size_t n)
{
    size_t stem_n, syl, k;

    syl = kw_ko_syllables(p, n);
    stem_n = syl ? kw_ko_stem(p, n) : n;
    syl = kw_ko_syllables(p, stem_n);
    if (syl < MIN_SPLIT_SYL || syl > MAX_SPLIT_SYL) {
        emit_string(b, p, n);
        return;
    }
    kw_buf_addc(b, '(');
    emit_string(b, p, n);
    for (k = 2; k + 2 <= syl; k++) {
        kw_buf_adds(b, " OR \"");
        kw_buf_add(b, p, k * SYL);
        kw_buf_addc(b, ' ');
        kw_buf_add(b, p + k * SYL, n - k * SYL); /* keeps the particle */
        kw_buf_addc(b, '"');
    }
    kw_buf_addc(b, ')');
}

/* Appends a phrase: "a b", or ("a b" OR "ab") when it is 2 to
 * MAX_JOIN_WORDS Hangul words whose joined stem is short enough.  A
 * phrase may hold '"' only doubled, never here: the lexer ends it. */
static void emit_phrase(kw_buf *b, const char *p, size_t n)
{
    char joined[MAX_SPLIT_SYL * SYL + 64];
    size_t i = 0, jn = 0, words = 0;

    while (i < n) {
        size_t s;

        while (i < n && is_space(p[i]))
            i++;
        s = i;
        while (i < n && !is_space(p[i]))
            i++;
        if (i == s)
            break;
        if (!kw_ko_syllables(p + s, i - s) || ++words > MAX_JOIN_WORDS ||
            jn + (i - s) > sizeof(joined)) {
            words = 0;
            break;
        }
        memcpy(joined + jn, p + s, i - s);
        jn += i - s;
    }
    if (words < 2 || kw_ko_syllables(joined, kw_ko_stem(joined, jn)) >
                         MAX_SPLIT_SYL) {
        emit_string(b, p, n);
        return;
    }
    kw_buf_addc(b, '(');
    emit_string(b, p, n);
    kw_buf_adds(b, " OR ");
    emit_string(b, joined, jn);
    kw_buf_addc(b, ')');
}

static int parse_or(parser *ps, kw_buf *b);

/* primary: appends one operand to @b; 0 if it had no indexable text
 * (the caller drops it), 1 if appended, -1 on error. */
static int parse_primary(parser *ps, kw_buf *b)
{
    int r;

    switch (ps->cur.kind) {
    case TOK_WORD:
    case TOK_PHRASE:
        if (!has_word_char(ps->cur.p, ps->cur.n)) {
            next_tok(ps);
            return 0;
        }
        if (ps->cur.is_prefix) {
            emit_string(b, ps->cur.p, ps->cur.n);
            kw_buf_addc(b, '*');
        } else if (ps->cur.kind == TOK_WORD) {
            emit_word(b, ps->cur.p, ps->cur.n);
        } else {
            emit_phrase(b, ps->cur.p, ps->cur.n);
        }
        next_tok(ps);
        return 1;
    case TOK_LPAREN:
        if (++ps->depth > MAX_DEPTH) {
            fail(ps, "parentheses are nested too deeply");
            return -1;
        }
        next_tok(ps);
        kw_buf_addc(b, '(');
        r = parse_or(ps, b);
        if (r < 0)
            return -1;
        if (ps->cur.kind != TOK_RPAREN) {
            fail(ps, "unbalanced parenthesis: add the missing ')'");
            return -1;
        }
        if (r == 0) {
            fail(ps, "empty parentheses: put a word inside or remove them");
            return -1;
        }
        kw_buf_addc(b, ')');
        ps->depth--;
        next_tok(ps);
        return r;
    case TOK_END:
        fail(ps, "an operator at the end of the query has nothing to "
                 "apply to");
        return -1;
    case TOK_RPAREN:
        fail(ps, ps->depth ? "empty parentheses"
                           : "unbalanced parenthesis: remove the extra ')'");
        return -1;
    default:
        fail(ps, "two operators in a row (OR, AND, NOT): put a word "
                 "between them");
        return -1;
    }
}

/* and: included operands joined by AND, then NOT each excluded one. */
static int parse_and(parser *ps, kw_buf *b)
{
    kw_buf inc, exc;
    int n_inc = 0, n_exc = 0, r = 1;
    char joined[MAX_SPLIT_SYL * SYL + 64]; /* the words written together */
    size_t jn = 0;
    int n_join = 0; /* included operands that are plain Hangul words */

    kw_buf_init(&inc, MAX_QUERY * 8);
    kw_buf_init(&exc, MAX_QUERY * 8);
    for (;;) {
        int neg = 0, got;
        kw_buf one;

        if (ps->cur.kind == TOK_AND) {
            if (n_inc + n_exc == 0) {
                fail(ps, "AND needs a word on each side");
                r = -1;
                break;
            }
            next_tok(ps);
        }
        if (ps->cur.kind == TOK_NOT) {
            neg = 1;
            next_tok(ps);
        }
        if (!neg && (ps->cur.kind == TOK_END || ps->cur.kind == TOK_OR ||
                     ps->cur.kind == TOK_RPAREN))
            break;
        kw_buf_init(&one, MAX_QUERY * 8);
        if (!neg && ps->cur.kind == TOK_WORD && !ps->cur.is_prefix &&
            kw_ko_syllables(ps->cur.p, ps->cur.n) &&
            jn + ps->cur.n <= sizeof(joined)) {
            memcpy(joined + jn, ps->cur.p, ps->cur.n);
            jn += ps->cur.n;
            n_join++;
        }
        got = parse_primary(ps, &one);
        if (got < 0) {
            kw_buf_deinit(&one);
            r = -1;
            break;
        }
        if (got > 0) {
            kw_buf *dst = neg ? &exc : &inc;

            if (neg)
                kw_buf_adds(dst, " NOT ");
            else if (n_inc)
                kw_buf_adds(dst, " AND ");
            kw_buf_add(dst, one.p, one.n);
            if (neg)
                n_exc++;
            else
                n_inc++;
        }
        kw_buf_deinit(&one);
    }
    if (r > 0 && n_inc == 0) {
        if (n_exc) {
            fail(ps, "a query cannot only exclude: add a word to search "
                     "for");
            r = -1;
        } else {
            r = 0;
        }
    }
    if (r > 0) {
        /* Hangul words typed apart may be written together (인공지능
         * 반도체, 인공지능반도체): a group of 2 to MAX_JOIN_WORDS plain
         * Hangul words also matches them joined, as a phrase does. */
        int is_join = n_join == n_inc && n_inc >= 2 &&
                      n_inc <= MAX_JOIN_WORDS &&
                      kw_ko_syllables(joined, kw_ko_stem(joined, jn)) <=
                          MAX_SPLIT_SYL;

        kw_buf_addc(b, '(');
        if (is_join)
            kw_buf_addc(b, '(');
        kw_buf_add(b, inc.p, inc.n);
        kw_buf_addc(b, ')');
        if (is_join) {
            kw_buf_adds(b, " OR ");
            emit_string(b, joined, jn);
            kw_buf_addc(b, ')');
        }
        if (n_exc)
            kw_buf_add(b, exc.p, exc.n);
        if (inc.err || exc.err)
            b->err = inc.err ? inc.err : exc.err;
    }
    kw_buf_deinit(&inc);
    kw_buf_deinit(&exc);
    return r;
}

static int parse_or(parser *ps, kw_buf *b)
{
    int any = 0;

    for (;;) {
        kw_buf one;
        int r;

        kw_buf_init(&one, MAX_QUERY * 8);
        r = parse_and(ps, &one);
        if (r < 0) {
            kw_buf_deinit(&one);
            return -1;
        }
        if (r > 0) {
            if (any)
                kw_buf_adds(b, " OR ");
            kw_buf_add(b, one.p, one.n);
            if (one.err)
                b->err = one.err;
            any = 1;
        }
        kw_buf_deinit(&one);
        if (ps->cur.kind != TOK_OR)
            break;
        if (!any) {
            fail(ps, "OR needs a word on each side");
            return -1;
        }
        next_tok(ps);
        if (ps->cur.kind == TOK_END || ps->cur.kind == TOK_RPAREN ||
            ps->cur.kind == TOK_OR) {
            fail(ps, "OR needs a word on each side");
            return -1;
        }
    }
    return any;
}

kw_err kw_query_compile(const char *query, char *err, size_t err_n,
                        char **out)
{
    parser ps;
    int r;
    kw_err rc;

    *out = NULL;
    if (err && err_n)
        err[0] = '\0';
    memset(&ps, 0, sizeof(ps));
    ps.s = query;
    ps.n = strlen(query);
    ps.err = err;
    ps.err_n = err_n;
    if (ps.n > MAX_QUERY) {
        fail(&ps, "the query is longer than 1024 bytes");
        return KW_EINVAL;
    }
    if (!kw_utf8_valid(query, ps.n)) {
        fail(&ps, "the query is not valid UTF-8");
        return KW_EINVAL;
    }
    kw_buf_init(&ps.out, MAX_QUERY * 16);
    next_tok(&ps);
    r = ps.failed ? -1 : parse_or(&ps, &ps.out);
    if (r >= 0 && !ps.failed && ps.cur.kind == TOK_RPAREN)
        fail(&ps, "unbalanced parenthesis: remove the extra ')'");
    if (r == 0 && !ps.failed)
        fail(&ps, "the query has no words to search for");
    if (ps.failed) {
        kw_buf_deinit(&ps.out);
        return KW_EINVAL;
    }
    rc = ps.out.err;
    if (rc) {
        kw_buf_deinit(&ps.out);
        if (rc == KW_ETOOBIG)
            fail(&ps, "the query is too complex");
        return rc == KW_ETOOBIG ? KW_EINVAL : rc;
    }
    *out = kw_buf_steal(&ps.out);
    return *out ? KW_OK : KW_ENOMEM;
}
