/*
 * digest_mail.c -- `digest --send`: the daily digest as an e-mail (RFC
 * 5322 message, MIME multipart/alternative per RFC 2046 with a text and
 * an HTML part) to every e-mail channel, over SMTP through libcurl.
 *
 * The message itself is built and sent by kw__mail_send (deliver.c), the
 * same code that mails alerts.
 */
#include <stdio.h>
#include <string.h>

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

/* Sends the digest to channel @c; on failure the reason is in @err. */
static kw_err send_one(const chan *c, const char *date, const char *text,
                       const char *html, long timeout_ms, char *err,
                       size_t err_n)
{
    char subject[64], why[256];
    kw_err rc;

    (void)snprintf(subject, sizeof(subject), "kowatch digest %s", date);
    why[0] = '\0';
    rc = kw__mail_send(c->options, c->target, subject, text, html, NULL,
                       kw_now(), timeout_ms, why, sizeof(why));
    if (rc == KW_ENOMEM)
        return rc;
    if (rc) {
        (void)snprintf(err, err_n, "sending the digest to %s: %s", c->target,
                       why[0] ? why : kw_strerror(rc));
        rc = KW_ENET; /* kw_digest_send's contract: a channel failed */
    }
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
