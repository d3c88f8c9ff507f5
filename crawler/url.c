/*
 * url.c -- URL resolution and canonicalisation for the crawler, on top of
 * libcurl's URL API (curl_url_set resolves a relative reference against
 * the URL already in the handle, as for a redirect, per RFC 3986 5.2).
 *
 * Canonical form: http or https only; lower-case scheme and host (IDN
 * hosts as punycode); default port removed; dot segments removed; no
 * fragment; percent-escapes with upper-case hex, and escapes of unreserved
 * characters decoded (RFC 3986 6.2.2); tracking parameters (utm_*, fbclid,
 * gclid, ...) removed from the query while the other parameters keep their
 * order; an empty query removed.
 *
 * Before curl sees an href, it is cleaned the way browsers do (WHATWG URL
 * "basic URL parser"): surrounding C0/space trimmed, tabs and newlines
 * removed, '\' read as '/' before the query, and bytes curl would refuse
 * (space, controls, non-ASCII outside the host, stray '%') percent-encoded.
 */
#include <curl/curl.h>
#include <string.h>
#include <strings.h>

#include "crawler_int.h"

/* Query parameters that only track the visitor; removed by name. */
static const char *const tracking_params[] = {
    "fbclid", "gclid",    "dclid",   "msclkid", "igshid", "mc_cid",
    "mc_eid", "call_from", "ref_src", "_ga",
};

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

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
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static void add_pct(kw_buf *b, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char e[3];

    e[0] = '%';
    e[1] = hex[c >> 4];
    e[2] = hex[c & 15];
    kw_buf_add(b, e, 3);
}

/*
 * Length of the scheme at the start of p[0..n) ("http" in "http://x"),
 * or 0 if there is none (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" /
 * "." ) ":").
 */
static size_t scheme_len(const char *p, size_t n)
{
    size_t i;

    if (n == 0 || !is_alpha((unsigned char)p[0]))
        return 0;
    for (i = 1; i < n; i++) {
        int c = (unsigned char)p[i];

        if (c == ':')
            return i;
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.')
            return 0;
    }
    return 0;
}

static int is_http_scheme(const char *p, size_t n)
{
    return (n == 4 && strncasecmp(p, "http", 4) == 0) ||
           (n == 5 && strncasecmp(p, "https", 5) == 0);
}

/*
 * Cleans @s into @b (see the file comment): what curl accepts and what a
 * browser would have requested.  Bytes of the authority are left alone so
 * that curl can convert an IDN host.
 */
static void clean_href(const char *s, kw_buf *b)
{
    size_t n = strlen(s);
    size_t i;
    size_t sl;
    int in_auth = 0;
    int in_query = 0;

    while (n > 0 && ((unsigned char)s[0] <= ' ')) {
        s++;
        n--;
    }
    while (n > 0 && ((unsigned char)s[n - 1] <= ' '))
        n--;
    sl = scheme_len(s, n);
    i = 0;
    if (sl) {
        for (; i <= sl; i++)
            kw_buf_addc(b, lower(s[i]));
    }
    /* An authority follows when the rest starts with two slashes. */
    if (n - i >= 2 && (s[i] == '/' || s[i] == '\\') &&
        (s[i + 1] == '/' || s[i + 1] == '\\')) {
        kw_buf_add(b, "//", 2);
        i += 2;
        in_auth = 1;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (in_auth && (c == '/' || c == '\\' || c == '?' || c == '#'))
            in_auth = 0;
        if (c == '?' || c == '#')
            in_query = 1;
        if (c == '\\' && !in_query) {
            kw_buf_addc(b, '/');
        } else if (c == '%') {
            if (i + 2 < n && hex_val((unsigned char)s[i + 1]) >= 0 &&
                hex_val((unsigned char)s[i + 2]) >= 0)
                kw_buf_addc(b, '%');
            else
                kw_buf_add(b, "%25", 3);
        } else if (c >= 0x80 && in_auth) {
            kw_buf_addc(b, (char)c);
        } else if (c <= ' ' || c >= 0x7f || c == '"' || c == '<' ||
                   c == '>' || c == '`' || c == '{' || c == '}' ||
                   c == '|' || c == '^' || c == '\\') {
            add_pct(b, c);
        } else {
            kw_buf_addc(b, (char)c);
        }
    }
}

/*
 * Appends p[0..n) to @b with its percent-escapes normalised: hex digits
 * upper-case, escapes of unreserved characters decoded.
 */
static void add_normalized(kw_buf *b, const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n && hex_val((unsigned char)p[i + 1]) >= 0 &&
            hex_val((unsigned char)p[i + 2]) >= 0) {
            int c = hex_val((unsigned char)p[i + 1]) * 16 +
                    hex_val((unsigned char)p[i + 2]);

            if (is_unreserved(c))
                kw_buf_addc(b, (char)c);
            else
                add_pct(b, (unsigned char)c);
            i += 2;
        } else {
            kw_buf_addc(b, p[i]);
        }
    }
}

/* True if the query parameter named p[0..n) (still escaped) tracks. */
static int is_tracking(const char *p, size_t n)
{
    char name[32];
    size_t len = 0;
    size_t i;

    /* Decode escapes; no tracking name is anywhere near this long. */
    for (i = 0; i < n; i++) {
        int c = (unsigned char)p[i];

        if (len + 1 >= sizeof(name))
            return 0;
        if (c == '%' && i + 2 < n && hex_val((unsigned char)p[i + 1]) >= 0 &&
            hex_val((unsigned char)p[i + 2]) >= 0) {
            c = hex_val((unsigned char)p[i + 1]) * 16 +
                hex_val((unsigned char)p[i + 2]);
            i += 2;
        }
        name[len++] = (char)c;
    }
    name[len] = '\0';
    if (len > 4 && strncasecmp(name, "utm_", 4) == 0)
        return 1;
    for (i = 0; i < sizeof(tracking_params) / sizeof(*tracking_params); i++) {
        if (strcasecmp(name, tracking_params[i]) == 0)
            return 1;
    }
    return 0;
}

/* Appends query @q without tracking and empty parameters to @b. */
static void filter_query(const char *q, kw_buf *b)
{
    const char *p = q;

    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t klen = eq ? (size_t)(eq - p) : len;

        if (len > 0 && !is_tracking(p, klen)) {
            if (b->n > 0)
                kw_buf_addc(b, '&');
            add_normalized(b, p, len);
        }
        if (!amp)
            break;
        p = amp + 1;
    }
}

static kw_err from_curlu(CURLUcode uc)
{
    if (uc == CURLUE_OUT_OF_MEMORY)
        return KW_ENOMEM;
    if (uc == CURLUE_UNSUPPORTED_SCHEME)
        return KW_EDENIED;
    return KW_EINVAL;
}

/* curl_url_get() for parts that may be absent: a missing part is not an
 * error and leaves *out NULL. */
static kw_err get_part(CURLU *u, CURLUPart what, unsigned int flags,
                       char **out)
{
    CURLUcode uc;

    *out = NULL;
    uc = curl_url_get(u, what, out, flags);
    if (uc) {
        /* curl 7.88 can leave an allocated string behind on failure (seen
         * with CURLU_PUNYCODE when IDN conversion fails). */
        curl_free(*out);
        *out = NULL;
    }
    if (uc == CURLUE_NO_USER || uc == CURLUE_NO_PASSWORD ||
        uc == CURLUE_NO_PORT || uc == CURLUE_NO_QUERY ||
        uc == CURLUE_NO_FRAGMENT)
        return KW_OK;
    return uc ? from_curlu(uc) : KW_OK;
}

/*
 * The host of @u (owned: curl_free), IDN hosts as punycode.  libcurl
 * converts with idn2_lookup_ul(), which reads the bytes in the locale's
 * encoding and fails unless LC_CTYPE is UTF-8; then the host is kept as
 * UTF-8 rather than refusing the URL.
 */
static kw_err get_host(CURLU *u, char **out)
{
    kw_err rc;

    rc = get_part(u, CURLUPART_HOST, CURLU_PUNYCODE, out);
    if (rc == KW_ENOMEM)
        rc = get_part(u, CURLUPART_HOST, 0, out);
    if (!rc && (!*out || !(*out)[0])) {
        curl_free(*out);
        *out = NULL;
        rc = KW_EINVAL;
    }
    return rc;
}

/*
 * Builds the canonical form of the absolute URL in @u into *out (owned):
 * scheme://[userinfo@]host[:port]path[?query].  The string is assembled
 * here rather than by curl_url_get() because curl rewrites escapes in a
 * path set through CURLUPART_PATH (7.88 lower-cases their hex digits).
 */
static kw_err canon_string(CURLU *u, char **out)
{
    char *scheme = NULL;
    char *user = NULL;
    char *password = NULL;
    char *host = NULL;
    char *port = NULL;
    char *path = NULL;
    char *query = NULL;
    kw_buf b;
    kw_buf q;
    kw_err rc;
    size_t i;

    *out = NULL;
    kw_buf_init(&b, KW_MAX_URL);
    kw_buf_init(&q, KW_MAX_URL);
    rc = get_part(u, CURLUPART_SCHEME, 0, &scheme);
    if (!rc && (!scheme || !is_http_scheme(scheme, strlen(scheme))))
        rc = KW_EDENIED;
    if (!rc)
        rc = get_host(u, &host);
    if (!rc)
        rc = get_part(u, CURLUPART_USER, 0, &user);
    if (!rc)
        rc = get_part(u, CURLUPART_PASSWORD, 0, &password);
    if (!rc)
        rc = get_part(u, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT, &port);
    if (!rc)
        rc = get_part(u, CURLUPART_PATH, 0, &path);
    if (!rc)
        rc = get_part(u, CURLUPART_QUERY, 0, &query);
    if (rc)
        goto cleanup;

    for (i = 0; scheme[i]; i++)
        kw_buf_addc(&b, lower(scheme[i]));
    kw_buf_add(&b, "://", 3);
    if (user) {
        kw_buf_adds(&b, user);
        if (password) {
            kw_buf_addc(&b, ':');
            kw_buf_adds(&b, password);
        }
        kw_buf_addc(&b, '@');
    }
    for (i = 0; host[i]; i++)
        kw_buf_addc(&b, lower(host[i]));
    if (port) {
        kw_buf_addc(&b, ':');
        kw_buf_adds(&b, port);
    }
    if (!path || path[0] != '/')
        kw_buf_addc(&b, '/');
    if (path)
        add_normalized(&b, path, strlen(path));
    if (query)
        filter_query(query, &q);
    if (q.n > 0) {
        kw_buf_addc(&b, '?');
        kw_buf_add(&b, q.p, q.n);
    }
    rc = b.err ? b.err : q.err;
    if (rc)
        goto cleanup;
    *out = kw_buf_steal(&b);
    rc = *out ? KW_OK : KW_ENOMEM;
cleanup:
    curl_free(scheme);
    curl_free(user);
    curl_free(password);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(query);
    kw_buf_deinit(&b);
    kw_buf_deinit(&q);
    return rc;
}

/*
 * Cleans @s into *out (owned) and tells whether it starts with a scheme
 * (*sl: its length, 0 if none).  KW_EDENIED for a scheme other than
 * http(s).
 */
static kw_err clean(const char *s, char **out, size_t *sl)
{
    kw_buf b;
    kw_err rc;

    *out = NULL;
    *sl = 0;
    kw_buf_init(&b, KW_MAX_URL);
    clean_href(s, &b);
    rc = b.err;
    if (rc)
        goto cleanup;
    *sl = b.p ? scheme_len(b.p, b.n) : 0;
    if (*sl && !is_http_scheme(b.p, *sl)) {
        rc = KW_EDENIED;
        goto cleanup;
    }
    *out = kw_buf_steal(&b);
    rc = *out ? KW_OK : KW_ENOMEM;
cleanup:
    kw_buf_deinit(&b);
    return rc;
}

kw_err kw_url_canonicalize(const char *base, const char *href, char **out)
{
    CURLU *u = NULL;
    char *h = NULL;
    char *cbase = NULL;
    size_t sl;
    CURLUcode uc;
    kw_err rc;

    *out = NULL;
    if (!href)
        return KW_EINVAL;
    if (strlen(href) > KW_MAX_URL || (base && strlen(base) > KW_MAX_URL))
        return KW_ETOOBIG;
    rc = clean(href, &h, &sl);
    if (rc)
        goto cleanup;
    u = curl_url();
    if (!u) {
        rc = KW_ENOMEM;
        goto cleanup;
    }
    if (!sl) {
        char *b = NULL;
        size_t bsl;

        /* Relative: the base must be a usable absolute http(s) URL. */
        if (!base) {
            rc = KW_EINVAL;
            goto cleanup;
        }
        rc = clean(base, &b, &bsl);
        if (!rc && !bsl)
            rc = KW_EINVAL;
        if (!rc) {
            uc = curl_url_set(u, CURLUPART_URL, b, 0);
            rc = uc ? from_curlu(uc) : KW_OK;
        }
        kw_free(b);
        if (!rc)
            rc = canon_string(u, &cbase);
        if (rc)
            goto cleanup;
        /* curl 7.88 resolves "#f" like "f" (dropping the last segment);
         * RFC 3986 says an empty or fragment-only reference is the base. */
        if (h[0] == '\0' || h[0] == '#') {
            *out = cbase;
            cbase = NULL;
            rc = KW_OK;
            goto cleanup;
        }
        uc = curl_url_set(u, CURLUPART_URL, cbase, 0);
        if (uc) {
            rc = from_curlu(uc);
            goto cleanup;
        }
    }
    uc = curl_url_set(u, CURLUPART_URL, h, 0);
    if (uc) {
        rc = from_curlu(uc);
        goto cleanup;
    }
    rc = canon_string(u, out);
cleanup:
    if (!rc && *out && strlen(*out) > KW_MAX_URL) {
        kw_free(*out);
        *out = NULL;
        rc = KW_ETOOBIG;
    }
    kw_free(h);
    kw_free(cbase);
    curl_url_cleanup(u);
    return rc;
}

/* Parses @url into a new handle (owned: curl_url_cleanup), http(s) only. */
static kw_err parse_http(const char *url, CURLU **out)
{
    CURLU *u;
    CURLUcode uc;
    char *scheme = NULL;
    kw_err rc;

    *out = NULL;
    u = curl_url();
    if (!u)
        return KW_ENOMEM;
    uc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (uc) {
        rc = from_curlu(uc);
        goto cleanup;
    }
    rc = get_part(u, CURLUPART_SCHEME, 0, &scheme);
    if (rc)
        goto cleanup;
    if (!scheme || !is_http_scheme(scheme, strlen(scheme))) {
        rc = KW_EDENIED;
        goto cleanup;
    }
    *out = u;
    u = NULL;
cleanup:
    curl_free(scheme);
    curl_url_cleanup(u);
    return rc;
}

kw_err kw__url_origin(const char *url, char **out)
{
    CURLU *u = NULL;
    char *scheme = NULL;
    char *host = NULL;
    char *port = NULL;
    kw_buf b;
    kw_err rc;
    size_t i;

    *out = NULL;
    kw_buf_init(&b, KW_MAX_URL);
    rc = parse_http(url, &u);
    if (!rc)
        rc = get_part(u, CURLUPART_SCHEME, 0, &scheme);
    if (!rc)
        rc = get_host(u, &host);
    if (!rc)
        rc = get_part(u, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT, &port);
    if (rc)
        goto cleanup;
    for (i = 0; scheme[i]; i++)
        kw_buf_addc(&b, lower(scheme[i]));
    kw_buf_add(&b, "://", 3);
    for (i = 0; host[i]; i++)
        kw_buf_addc(&b, lower(host[i]));
    if (port) {
        kw_buf_addc(&b, ':');
        kw_buf_adds(&b, port);
    }
    rc = b.err;
    if (rc)
        goto cleanup;
    *out = kw_buf_steal(&b);
    rc = *out ? KW_OK : KW_ENOMEM;
cleanup:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    kw_buf_deinit(&b);
    return rc;
}

kw_err kw__url_path_query(const char *url, char **out)
{
    CURLU *u = NULL;
    char *path = NULL;
    char *query = NULL;
    kw_buf b;
    kw_err rc;

    *out = NULL;
    kw_buf_init(&b, KW_MAX_URL);
    rc = parse_http(url, &u);
    if (!rc)
        rc = get_part(u, CURLUPART_PATH, 0, &path);
    if (!rc)
        rc = get_part(u, CURLUPART_QUERY, 0, &query);
    if (rc)
        goto cleanup;
    kw_buf_adds(&b, path && path[0] ? path : "/");
    if (query && query[0]) {
        kw_buf_addc(&b, '?');
        kw_buf_adds(&b, query);
    }
    rc = b.err;
    if (rc)
        goto cleanup;
    *out = kw_buf_steal(&b);
    rc = *out ? KW_OK : KW_ENOMEM;
cleanup:
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
    kw_buf_deinit(&b);
    return rc;
}
