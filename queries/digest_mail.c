/*
 * digest_mail.c -- `digest --send`: the daily digest as an e-mail (RFC
 * 5322 message, MIME multipart/alternative per RFC 2046 with a text and
 * an HTML part) to every e-mail channel, over SMTP through libcurl.
 *
 * Alert delivery (deliver.c) builds its messages the same way but offers
 * no public function for an arbitrary text+HTML message, so this file
 * repeats its small MIME and envelope set-up rather than reach into that
 * file's internals.  The channel's options are its JSON {"smtp","from"}
 * (kw_alerts_email_options).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "kw/digest.h"
#include "queries_int.h"

typedef struct chan {
    char *target;  /* recipient address */
    char *options; /* JSON, or NULL */
} chan;

typedef struct chan_list {
    chan *v;
    size_t n, cap;
    kw_err err;
} chan_list;

static kw_err copy_email(const kw_channel_rec *c, void *ud)
{
    chan_list *l = ud;

    if (strcmp(c->kind, "email") != 0)
        return KW_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        chan *v = kw_realloc(l->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].target = kw_strdup(c->target);
    l->v[l->n].options = kw_strdup(c->options);
    l->n++;
    if (!l->v[l->n - 1].target || (c->options && !l->v[l->n - 1].options))
        return KW_ENOMEM;
    return KW_OK;
}

static int add_header(struct curl_slist **l, const char *line)
{
    struct curl_slist *t = curl_slist_append(*l, line);

    if (!t)
        return 0;
    *l = t;
    return 1;
}

/* Builds multipart/alternative (text, then the preferred HTML). */
static kw_err build_mime(CURL *h, const char *text, const char *html,
                         curl_mime **out)
{
    curl_mime *mime = curl_mime_init(h), *alt = curl_mime_init(h);
    curl_mimepart *part;

    *out = NULL;
    if (!mime || !alt)
        goto nomem;
    part = curl_mime_addpart(alt);
    if (!part || curl_mime_data(part, text, CURL_ZERO_TERMINATED) ||
        curl_mime_type(part, "text/plain; charset=UTF-8") ||
        curl_mime_encoder(part, "quoted-printable"))
        goto nomem;
    part = curl_mime_addpart(alt);
    if (!part || curl_mime_data(part, html, CURL_ZERO_TERMINATED) ||
        curl_mime_type(part, "text/html; charset=UTF-8") ||
        curl_mime_encoder(part, "quoted-printable"))
        goto nomem;
    part = curl_mime_addpart(mime);
    if (!part || curl_mime_subparts(part, alt))
        goto nomem;
    alt = NULL;
    if (curl_mime_type(part, "multipart/alternative"))
        goto nomem;
    *out = mime;
    return KW_OK;
nomem:
    curl_mime_free(alt);
    curl_mime_free(mime);
    return KW_ENOMEM;
}

/* Sends one message to channel @c; on failure the reason is in @err. */
static kw_err send_one(const chan *c, const char *date, const char *text,
                       const char *html, long timeout_ms, char *err,
                       size_t err_n)
{
    char errbuf[CURL_ERROR_SIZE], line[512], datebuf[64];
    struct curl_slist *rcpt = NULL, *hdr = NULL;
    json_t *opts = c->options ? json_loads(c->options, 0, NULL) : NULL;
    const char *smtp = json_string_value(json_object_get(opts, "smtp"));
    const char *from = json_string_value(json_object_get(opts, "from"));
    curl_mime *mime = NULL;
    time_t tt = time(NULL);
    struct tm tm;
    CURL *h = NULL;
    CURLcode cc;
    kw_err rc = KW_ENOMEM;

    if (!from)
        from = "kowatch@localhost";
    if (!smtp) {
        snprintf(err, err_n, "the e-mail channel %s has no SMTP URL",
                 c->target);
        rc = KW_ENET;
        goto done;
    }
    h = curl_easy_init();
    if (!h || build_mime(h, text, html, &mime))
        goto done;
    gmtime_r(&tt, &tm);
    if (strftime(datebuf, sizeof(datebuf),
                 "Date: %a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
        datebuf[0] = '\0';
    snprintf(line, sizeof(line), "From: <%s>", from);
    if (!add_header(&hdr, line))
        goto done;
    snprintf(line, sizeof(line), "To: <%s>", c->target);
    if (!add_header(&hdr, line))
        goto done;
    snprintf(line, sizeof(line), "Subject: kowatch digest %s", date);
    if (!add_header(&hdr, line) || (datebuf[0] && !add_header(&hdr, datebuf))
        || !add_header(&rcpt, c->target))
        goto done;
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_URL, smtp);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
    cc = curl_easy_perform(h);
    rc = KW_OK;
    if (cc != CURLE_OK) {
        snprintf(err, err_n, "sending the digest to %s: %s", c->target,
                 errbuf[0] ? errbuf : curl_easy_strerror(cc));
        rc = KW_ENET;
    }
done:
    curl_slist_free_all(rcpt);
    curl_slist_free_all(hdr);
    curl_mime_free(mime);
    if (h)
        curl_easy_cleanup(h);
    json_decref(opts);
    return rc;
}

kw_err kw_digest_send(kw_store *st, int64_t day, long timeout_ms, char *err,
                      size_t err_n, size_t *n_sent)
{
    chan_list l;
    char *text = NULL, *html = NULL, date[32];
    size_t i;
    kw_err rc, first = KW_OK;

    if (n_sent)
        *n_sent = 0;
    memset(&l, 0, sizeof(l));
    rc = kw_store_channel_each(st, copy_email, &l);
    if (!rc && l.n == 0)
        rc = KW_ENOTFOUND;
    if (!rc)
        rc = kw_digest_render(st, day, KW_DIGEST_TEXT, &text);
    if (!rc)
        rc = kw_digest_render(st, day, KW_DIGEST_HTML, &html);
    if (rc)
        goto done;
    kw_time_iso(day, KW_KST_OFFSET_MIN, date);
    date[10] = '\0';
    for (i = 0; i < l.n; i++) {
        rc = send_one(&l.v[i], date, text, html,
                      timeout_ms > 0 ? timeout_ms : 30000, err, err_n);
        if (rc && !first)
            first = rc;
        else if (!rc && n_sent)
            (*n_sent)++;
    }
    rc = first;
done:
    for (i = 0; i < l.n; i++) {
        kw_free(l.v[i].target);
        kw_free(l.v[i].options);
    }
    kw_free(l.v);
    kw_free(text);
    kw_free(html);
    return rc;
}
