/*
 * robots.c -- RFC 9309 (Robots Exclusion Protocol) parsing and matching.
 * Pure: bytes in, rules out (wget2 libwget/robots.c).
 *
 * Parsing (RFC 9309 2.1, 2.2):
 *   - The body is read up to KW_MAX_ROBOTS bytes (2.5: at least 500 KiB);
 *     a UTF-8 BOM is skipped; lines end in CR, LF or CRLF; '#' starts a
 *     comment; lines without ':' are ignored, as are unknown keys.
 *   - One or more consecutive user-agent lines open a group; the
 *     allow/disallow/crawl-delay lines that follow belong to it until the
 *     next user-agent line that comes after a rule.  Rules before any
 *     user-agent line belong to no group and are dropped.
 *   - A group applies to us when a user-agent value's product token
 *     ([A-Za-z_-]+) equals ours, case-insensitively; all such groups are
 *     merged.  Only if none applies are the '*' groups (merged) used; if
 *     neither exists, everything is allowed.
 *   - Sitemap lines are file-wide (not group members).  Crawl-delay is
 *     not in the RFC; we keep the first one of the chosen group, in
 *     seconds, fractions allowed.
 *
 * Matching (2.2.2, 2.2.3):
 *   - Patterns and paths are compared after the same normalisation:
 *     escapes of unreserved characters decoded, other escapes with
 *     upper-case hex, other octets that are neither unreserved nor
 *     reserved (RFC 3986 2.2, 2.3) percent-encoded.
 *   - '*' matches any sequence of octets; '$' at the end of a pattern
 *     anchors it at the end of the path; otherwise a pattern matches a
 *     prefix of the path.
 *   - The matching rule with the most octets wins; on a tie Allow wins;
 *     no match allows.  An empty Disallow (or Allow) is no rule.
 *   - "/robots.txt" is always allowed (2.2.2).
 */
#include <string.h>
#include <strings.h>

#include "crawler_int.h"

/* Crawl-delay values are capped here so milliseconds never overflow;
 * the crawler applies its own, much lower cap. */
#define MAX_DELAY_MS ((int64_t)86400 * 1000)

typedef struct robots_rule {
    char *pat;    /* normalised pattern, NUL-terminated (owned) */
    size_t n;     /* its length; the rule's priority */
    int is_allow; /* Allow rather than Disallow */
} robots_rule;

typedef struct robots_rules {
    robots_rule *v;   /* the rules, in file order */
    size_t n;         /* rules used */
    size_t cap;       /* rules allocated */
    int64_t delay_ms; /* first Crawl-delay, or -1 */
    int has_group;    /* at least one group of this kind exists */
} robots_rules;

struct kw_robots {
    robots_rules own;  /* groups naming our product token */
    robots_rules star; /* '*' groups */
    char **sitemaps;   /* Sitemap: values (owned) */
    size_t nsitemaps;  /* used */
    size_t capsitemaps; /* allocated */
};

static int hex_val(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_unreserved(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

/* RFC 3986 reserved characters (gen-delims and sub-delims). */
static int is_reserved(int c)
{
    return c != 0 && strchr(":/?#[]@!$&'()*+,;=", c) != NULL;
}

static int is_token_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/*
 * Writes the normalised form of p[0..n) (see the file comment) into @out,
 * which has room for 3 * n + 1 bytes; returns its length.
 */
static size_t normalize(const char *p, size_t n, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        int c = (unsigned char)p[i];

        if (c == '%' && i + 2 < n && hex_val((unsigned char)p[i + 1]) >= 0 &&
            hex_val((unsigned char)p[i + 2]) >= 0) {
            c = hex_val((unsigned char)p[i + 1]) * 16 +
                hex_val((unsigned char)p[i + 2]);
            i += 2;
            if (is_unreserved(c)) {
                out[o++] = (char)c;
                continue;
            }
        } else if (is_unreserved(c) || is_reserved(c)) {
            out[o++] = (char)c;
            continue;
        }
        out[o++] = '%';
        out[o++] = hex[c >> 4];
        out[o++] = hex[c & 15];
    }
    out[o] = '\0';
    return o;
}

/*
 * True if pattern pat[0..pn) matches path s[0..sn): '*' is any sequence,
 * a final '$' anchors at the end, and otherwise a prefix match suffices.
 * Greedy matching with backtracking to the last '*': O(pn * sn) at worst.
 */
static int pattern_match(const char *pat, size_t pn, const char *s,
                         size_t sn)
{
    int is_anchored = pn > 0 && pat[pn - 1] == '$';
    size_t i = 0;
    size_t j = 0;
    size_t star_i = (size_t)-1;
    size_t star_j = 0;

    if (is_anchored)
        pn--;
    while (j < sn) {
        if (i < pn && pat[i] == '*') {
            star_i = i++;
            star_j = j;
        } else if (i < pn && pat[i] == s[j]) {
            i++;
            j++;
        } else if (i == pn && !is_anchored) {
            return 1;
        } else if (star_i != (size_t)-1) {
            i = star_i + 1;
            j = ++star_j;
        } else {
            return 0;
        }
    }
    while (i < pn && pat[i] == '*')
        i++;
    return i == pn;
}

static void rules_deinit(robots_rules *rs)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        kw_free(rs->v[i].pat);
    kw_free(rs->v);
}

static kw_err rules_add(robots_rules *rs, const char *p, size_t n,
                        int is_allow)
{
    robots_rule *r;
    char *pat;

    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 16;
        robots_rule *v = kw_realloc(rs->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        rs->v = v;
        rs->cap = cap;
    }
    pat = kw_malloc(3 * n + 1);
    if (!pat)
        return KW_ENOMEM;
    r = &rs->v[rs->n++];
    r->pat = pat;
    r->n = normalize(p, n, pat);
    r->is_allow = is_allow;
    return KW_OK;
}

/* Parses a Crawl-delay value ("10", "0.5") into ms; -1 if not a number. */
static int64_t parse_delay(const char *p, size_t n)
{
    int64_t ms = 0;
    int64_t frac = 100;
    size_t i = 0;
    int has_digit = 0;

    for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
        has_digit = 1;
        if (ms < MAX_DELAY_MS)
            ms = ms * 10 + (p[i] - '0') * 1000;
    }
    if (i < n && p[i] == '.') {
        for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
            has_digit = 1;
            ms += (p[i] - '0') * frac;
            frac /= 10;
        }
    }
    if (!has_digit || i != n)
        return -1;
    return ms > MAX_DELAY_MS ? MAX_DELAY_MS : ms;
}

/* Length of the product token at the start of p[0..n). */
static size_t token_len(const char *p, size_t n)
{
    size_t i = 0;

    while (i < n && is_token_char((unsigned char)p[i]))
        i++;
    return i;
}

static int key_is(const char *k, size_t kn, const char *want)
{
    return strlen(want) == kn && strncasecmp(k, want, kn) == 0;
}

static kw_err add_sitemap(kw_robots *r, const char *p, size_t n)
{
    char *s;

    if (n == 0)
        return KW_OK;
    if (r->nsitemaps == r->capsitemaps) {
        size_t cap = r->capsitemaps ? r->capsitemaps * 2 : 4;
        char **v = kw_realloc(r->sitemaps, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        r->sitemaps = v;
        r->capsitemaps = cap;
    }
    s = kw_strndup(p, n);
    if (!s)
        return KW_ENOMEM;
    r->sitemaps[r->nsitemaps++] = s;
    return KW_OK;
}

/* Parser state between lines. */
typedef struct robots_state {
    const char *agent; /* our product token */
    size_t agent_n;    /* its length */
    int in_agents;     /* the last group line was a user-agent line */
    int has_group;     /* a user-agent line was seen */
    int is_own;        /* the current group names us */
    int is_star;       /* the current group names '*' */
} robots_state;

/* Handles one line (without its end of line). */
static kw_err parse_line(kw_robots *r, robots_state *st, const char *p,
                         size_t n)
{
    const char *hash = memchr(p, '#', n);
    const char *colon;
    const char *k = p;
    const char *v;
    size_t kn;
    size_t vn;
    kw_err rc = KW_OK;

    if (hash)
        n = (size_t)(hash - p);
    colon = memchr(p, ':', n);
    if (!colon)
        return KW_OK;
    kn = (size_t)(colon - p);
    while (kn > 0 && is_space((unsigned char)k[0])) {
        k++;
        kn--;
    }
    while (kn > 0 && is_space((unsigned char)k[kn - 1]))
        kn--;
    v = colon + 1;
    vn = (size_t)(p + n - v);
    while (vn > 0 && is_space((unsigned char)v[0])) {
        v++;
        vn--;
    }
    while (vn > 0 && is_space((unsigned char)v[vn - 1]))
        vn--;

    if (key_is(k, kn, "user-agent") || key_is(k, kn, "useragent") ||
        key_is(k, kn, "user agent")) {
        size_t tn = token_len(v, vn);

        if (!st->in_agents) {
            st->is_own = 0;
            st->is_star = 0;
        }
        st->in_agents = 1;
        st->has_group = 1;
        if (vn >= 1 && v[0] == '*') {
            st->is_star = 1;
            r->star.has_group = 1;
        } else if (tn > 0 && tn == st->agent_n &&
                   strncasecmp(v, st->agent, tn) == 0) {
            st->is_own = 1;
            r->own.has_group = 1;
        }
    } else if (key_is(k, kn, "allow") || key_is(k, kn, "disallow")) {
        int is_allow = key_is(k, kn, "allow");

        st->in_agents = 0;
        if (!st->has_group || vn == 0)
            return KW_OK;
        if (st->is_own)
            rc = rules_add(&r->own, v, vn, is_allow);
        if (!rc && st->is_star)
            rc = rules_add(&r->star, v, vn, is_allow);
    } else if (key_is(k, kn, "crawl-delay")) {
        int64_t ms = parse_delay(v, vn);

        st->in_agents = 0;
        if (!st->has_group || ms < 0)
            return KW_OK;
        if (st->is_own && r->own.delay_ms < 0)
            r->own.delay_ms = ms;
        if (st->is_star && r->star.delay_ms < 0)
            r->star.delay_ms = ms;
    } else if (key_is(k, kn, "sitemap")) {
        rc = add_sitemap(r, v, vn);
    }
    return rc;
}

kw_err kw_robots_parse(const char *p, size_t n, const char *agent,
                       kw_robots **out)
{
    kw_robots *r;
    robots_state st;
    size_t i = 0;
    kw_err rc = KW_OK;

    *out = NULL;
    if (!p && n > 0)
        return KW_EINVAL;
    r = kw_calloc(1, sizeof(*r));
    if (!r)
        return KW_ENOMEM;
    r->own.delay_ms = -1;
    r->star.delay_ms = -1;
    memset(&st, 0, sizeof(st));
    st.agent = agent ? agent : "";
    st.agent_n = token_len(st.agent, strlen(st.agent));

    if (n > KW_MAX_ROBOTS)
        n = KW_MAX_ROBOTS;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && !rc) {
        size_t start = i;

        while (i < n && p[i] != '\n' && p[i] != '\r')
            i++;
        rc = parse_line(r, &st, p + start, i - start);
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] == '\n')
            i++;
    }
    if (rc) {
        kw_robots_free(r);
        return rc;
    }
    *out = r;
    return KW_OK;
}

void kw_robots_free(kw_robots *r)
{
    size_t i;

    if (!r)
        return;
    rules_deinit(&r->own);
    rules_deinit(&r->star);
    for (i = 0; i < r->nsitemaps; i++)
        kw_free(r->sitemaps[i]);
    kw_free(r->sitemaps);
    kw_free(r);
}

/* The rules that apply: our groups, else the '*' groups, else none. */
static const robots_rules *chosen(const kw_robots *r)
{
    if (r->own.has_group)
        return &r->own;
    if (r->star.has_group)
        return &r->star;
    return NULL;
}

/*
 * Returns 1 if @path_query may be fetched.  The path is normalised into a
 * stack buffer when short and a heap one otherwise; if that allocation
 * fails the answer is "no", the polite choice.
 */
int kw_robots_allowed(const kw_robots *r, const char *path_query)
{
    char stackbuf[1024];
    char *s = stackbuf;
    const robots_rules *rs;
    size_t pn;
    size_t sn;
    size_t best_n = 0;
    int best_allow = 1;
    int has_match = 0;
    size_t i;

    if (!path_query || !path_query[0])
        path_query = "/";
    pn = strcspn(path_query, "?");
    if (pn == strlen("/robots.txt") &&
        memcmp(path_query, "/robots.txt", pn) == 0)
        return 1;
    rs = r ? chosen(r) : NULL;
    if (!rs || rs->n == 0)
        return 1;
    pn = strlen(path_query);
    if (pn > (sizeof(stackbuf) - 1) / 3) {
        s = kw_malloc(3 * pn + 1);
        if (!s)
            return 0;
    }
    sn = normalize(path_query, pn, s);
    for (i = 0; i < rs->n; i++) {
        const robots_rule *ru = &rs->v[i];

        if (!pattern_match(ru->pat, ru->n, s, sn))
            continue;
        if (!has_match || ru->n > best_n ||
            (ru->n == best_n && ru->is_allow)) {
            has_match = 1;
            best_n = ru->n;
            best_allow = ru->is_allow;
        }
    }
    if (s != stackbuf)
        kw_free(s);
    return best_allow;
}

int64_t kw_robots_crawl_delay_ms(const kw_robots *r)
{
    const robots_rules *rs = r ? chosen(r) : NULL;

    return rs ? rs->delay_ms : -1;
}

size_t kw_robots_sitemap_count(const kw_robots *r)
{
    return r ? r->nsitemaps : 0;
}

const char *kw_robots_sitemap(const kw_robots *r, size_t i)
{
    return r && i < r->nsitemaps ? r->sitemaps[i] : NULL;
}
