/*
 * deliver.c -- the alert outbox: attempts pending deliveries through their
 * channel and records each outcome, with exponential backoff.
 *
 * Channels:
 * - webhook: HTTP POST of the alert JSON (application/json); any 2xx is
 *   success.
 * - email: SMTP through libcurl to the channel's "smtp" URL (smtp:// or
 *   smtps://), a MIME message (RFC 2045/2046): multipart/mixed holding a
 *   multipart/alternative of a text/plain and a text/html part, both
 *   UTF-8 in quoted-printable, the HTML escaped; the Subject is an RFC
 *   2047 encoded word.
 * - exec: /bin/sh -c COMMAND with the alert JSON on stdin and stdout sent
 *   to stderr; exit status 0 is success; killed after the timeout.
 *
 * Due deliveries are copied out of the store before any network I/O, so
 * no statement is open while a channel blocks.  A delivery is marked only
 * after its attempt: a kill during the attempt leaves it pending and it is
 * sent again (at least once).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "kw/alerts.h"
#include "kw/web.h"
#include "queries_int.h"

kw_deliver_config kw_deliver_config_default(void)
{
    kw_deliver_config c;

    memset(&c, 0, sizeof(c));
    c.timeout_ms = 15000;
    c.max_attempts = 8;
    c.backoff_base_s = 60;
    c.backoff_max_s = 6 * 3600;
    return c;
}

/* ---- Copies of due deliveries ------------------------------------------ */

typedef struct due {
    int64_t id;
    int64_t alert_id;
    int attempts;
    char *kind;
    char *target;
    char *options;
} due;

typedef struct due_list {
    due *v;
    size_t n, cap;
} due_list;

static kw_err copy_due(const kw_delivery_rec *d, void *ud)
{
    due_list *l = ud;
    due *c;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        due *v = kw_realloc(l->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    c = &l->v[l->n++];
    memset(c, 0, sizeof(*c));
    c->id = d->id;
    c->alert_id = d->alert_id;
    c->attempts = d->attempts;
    c->kind = kw_strdup(d->channel_kind ? d->channel_kind : "");
    c->target = kw_strdup(d->channel_target ? d->channel_target : "");
    c->options = kw_strdup(d->channel_options);
    if (!c->kind || !c->target || (d->channel_options && !c->options))
        return KW_ENOMEM;
    return KW_OK;
}

static void due_list_free(due_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        kw_free(l->v[i].kind);
        kw_free(l->v[i].target);
        kw_free(l->v[i].options);
    }
    kw_free(l->v);
}

/* ---- Webhook ----------------------------------------------------------- */

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

/* Common easy-handle options; @errbuf is CURL_ERROR_SIZE bytes. */
static void easy_common(CURL *h, const kw_deliver_config *cfg, char *errbuf)
{
    errbuf[0] = '\0';
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->timeout_ms);
}

/* Copies a failure's text into @err. */
static void set_error(char *err, size_t err_n, const char *msg)
{
    (void)snprintf(err, err_n, "%s", msg);
}

static kw_err send_webhook(const kw_deliver_config *cfg, const char *url,
                           const char *json, char *err, size_t err_n)
{
    char errbuf[CURL_ERROR_SIZE], ua[128];
    struct curl_slist *hdr = NULL, *tmp;
    long status = 0;
    CURLcode cc;
    CURL *h;
    kw_err rc = KW_OK;

    h = curl_easy_init();
    if (!h)
        return KW_ENOMEM;
    tmp = curl_slist_append(hdr, "Content-Type: application/json");
    if (!tmp) {
        curl_easy_cleanup(h);
        return KW_ENOMEM;
    }
    hdr = tmp;
    (void)snprintf(ua, sizeof(ua), "%s",
                   cfg->user_agent ? cfg->user_agent
                                   : "kowatch/" KW_VERSION);
    easy_common(h, cfg, errbuf);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_USERAGENT, ua);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                     (curl_off_t)strlen(json));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        set_error(err, err_n, errbuf[0] ? errbuf : curl_easy_strerror(cc));
        rc = KW_ENET;
    } else {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status > 299) {
            (void)snprintf(err, err_n, "HTTP %ld", status);
            rc = KW_EHTTP;
        }
    }
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return rc;
}

/* ---- E-mail ------------------------------------------------------------ */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void add_base64(kw_buf *b, const unsigned char *p, size_t n)
{
    size_t i;

    for (i = 0; i + 2 < n; i += 3) {
        kw_buf_addc(b, b64[p[i] >> 2]);
        kw_buf_addc(b, b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
        kw_buf_addc(b, b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)]);
        kw_buf_addc(b, b64[p[i + 2] & 63]);
    }
    if (n - i == 1) {
        kw_buf_addc(b, b64[p[i] >> 2]);
        kw_buf_addc(b, b64[(p[i] & 3) << 4]);
        kw_buf_adds(b, "==");
    } else if (n - i == 2) {
        kw_buf_addc(b, b64[p[i] >> 2]);
        kw_buf_addc(b, b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
        kw_buf_addc(b, b64[(p[i + 1] & 15) << 2]);
        kw_buf_addc(b, '=');
    }
}

/* "Subject: " and @s as RFC 2047 encoded words of at most 75 characters,
 * split between UTF-8 characters, folded onto continuation lines. */
static void add_subject(kw_buf *b, const char *s)
{
    size_t n = strlen(s), i = 0;

    kw_buf_adds(b, "Subject:");
    while (i < n) {
        size_t k = n - i > 39 ? 39 : n - i;

        /* Never split a UTF-8 sequence: back off continuation bytes. */
        while (k > 1 && i + k < n &&
               ((unsigned char)s[i + k] & 0xC0) == 0x80)
            k--;
        kw_buf_adds(b, i ? "\r\n " : " ");
        kw_buf_adds(b, "=?UTF-8?B?");
        add_base64(b, (const unsigned char *)s + i, k);
        kw_buf_adds(b, "?=");
        i += k;
    }
}

/* The readable fields of an alert payload. */
typedef struct alert_view {
    const char *kind;
    const char *entity;
    const char *name;
    const char *stance;
    const char *date;
    const char *url;
    const char *sentence;
    const char *search;
} alert_view;

static const char *get_s(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));

    return s ? s : "";
}

static void view_of(json_t *o, alert_view *v)
{
    v->kind = get_s(o, "kind");
    v->entity = get_s(o, "entity");
    v->name = get_s(o, "name");
    v->stance = get_s(o, "stance");
    v->date = get_s(o, "date");
    v->url = get_s(o, "url");
    v->sentence = get_s(o, "sentence");
    v->search = get_s(o, "search");
}

static void add_heading(kw_buf *b, const alert_view *v)
{
    if (strcmp(v->kind, "search") == 0)
        kw_buf_addf(b, "Saved search '%s': a new story", v->search);
    else
        kw_buf_addf(b, "Re-entry: %s (%s) is now %s", v->name, v->entity,
                    v->stance);
}

static kw_err mail_texts(const alert_view *v, char **text, char **html,
                         char **headers_subject)
{
    kw_buf t, h, s, head;
    kw_err rc;

    kw_buf_init(&t, KW_MAX_TEXT);
    kw_buf_init(&h, KW_MAX_TEXT);
    kw_buf_init(&s, 4096);
    kw_buf_init(&head, 4096);
    add_heading(&head, v);
    kw_buf_add(&head, "", 0);

    kw_buf_addf(&t, "%s\r\n\r\nDate: %s\r\nEvidence: %s\r\nSource: %s\r\n"
                "\r\n-- kowatch\r\n",
                head.p ? head.p : "", v->date, v->sentence, v->url);
    kw_buf_adds(&h, "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\">"
                    "</head><body>\r\n<h1>");
    kw_html_escape(&h, head.p ? head.p : "");
    kw_buf_adds(&h, "</h1>\r\n<p>Date: ");
    kw_html_escape(&h, v->date);
    kw_buf_adds(&h, "</p>\r\n<blockquote>");
    kw_html_escape(&h, v->sentence);
    kw_buf_adds(&h, "</blockquote>\r\n<p><a href=\"");
    kw_html_escape(&h, v->url);
    kw_buf_adds(&h, "\">");
    kw_html_escape(&h, v->url);
    kw_buf_adds(&h, "</a></p>\r\n<p>-- kowatch</p>\r\n</body></html>\r\n");
    kw_buf_adds(&s, "[kowatch] ");
    kw_buf_adds(&s, head.p ? head.p : "");
    rc = t.err ? t.err : h.err ? h.err : s.err ? s.err : head.err;
    kw_buf_deinit(&head);
    if (rc) {
        kw_buf_deinit(&t);
        kw_buf_deinit(&h);
        kw_buf_deinit(&s);
        return rc;
    }
    *text = kw_buf_steal(&t);
    *html = kw_buf_steal(&h);
    *headers_subject = kw_buf_steal(&s);
    return KW_OK;
}

/* Appends "Name: value" to @l; returns 0 on failure. */
static int add_header(struct curl_slist **l, const char *line)
{
    struct curl_slist *t = curl_slist_append(*l, line);

    if (!t)
        return 0;
    *l = t;
    return 1;
}

/* Builds the MIME body: multipart/alternative (text, then HTML: the
 * last part is the preferred one) inside the message. */
static kw_err build_mime(CURL *h, const char *text, const char *html,
                         curl_mime **out)
{
    curl_mime *mime, *alt;
    curl_mimepart *part;
    struct curl_slist *ph = NULL;

    *out = NULL;
    mime = curl_mime_init(h);
    alt = curl_mime_init(h);
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
    alt = NULL; /* owned by the part now */
    if (curl_mime_type(part, "multipart/alternative"))
        goto nomem;
    if (!add_header(&ph, "Content-Disposition: inline") ||
        curl_mime_headers(part, ph, 1)) {
        curl_slist_free_all(ph);
        goto nomem;
    }
    *out = mime;
    return KW_OK;
nomem:
    curl_mime_free(alt);
    curl_mime_free(mime);
    return KW_ENOMEM;
}

kw_err kw__mail_send(const char *options, const char *to,
                     const char *subject, const char *text, const char *html,
                     const char *message_id, int64_t now, long timeout_ms,
                     char *err, size_t err_n)
{
    char errbuf[CURL_ERROR_SIZE], datebuf[64];
    struct curl_slist *rcpt = NULL, *hdr = NULL;
    json_t *opts = NULL;
    const char *smtp, *from;
    curl_mime *mime = NULL;
    kw_buf line;
    struct tm tm;
    time_t tt = (time_t)now;
    CURLcode cc;
    CURL *h = NULL;
    kw_err rc = KW_OK;

    kw_buf_init(&line, 4096);
    opts = options ? json_loads(options, 0, NULL) : NULL;
    smtp = json_string_value(json_object_get(opts, "smtp"));
    from = json_string_value(json_object_get(opts, "from"));
    if (!from)
        from = "kowatch@localhost";
    if (!smtp) {
        set_error(err, err_n, "the email channel has no SMTP URL");
        rc = KW_EINVAL;
        goto done;
    }
    h = curl_easy_init();
    if (!h) {
        rc = KW_ENOMEM;
        goto done;
    }
    rc = build_mime(h, text, html, &mime);
    if (rc)
        goto done;

    gmtime_r(&tt, &tm);
    if (strftime(datebuf, sizeof(datebuf), "Date: %a, %d %b %Y %H:%M:%S +0000",
                 &tm) == 0)
        datebuf[0] = '\0';
    kw_buf_addf(&line, "From: <%s>", from);
    if (!line.err && !add_header(&hdr, line.p))
        rc = KW_ENOMEM;
    kw_buf_reset(&line);
    kw_buf_addf(&line, "To: <%s>", to);
    if (!rc && !line.err && !add_header(&hdr, line.p))
        rc = KW_ENOMEM;
    kw_buf_reset(&line);
    add_subject(&line, subject);
    if (!rc && !line.err && !add_header(&hdr, line.p))
        rc = KW_ENOMEM;
    if (!rc && datebuf[0] && !add_header(&hdr, datebuf))
        rc = KW_ENOMEM;
    if (!rc && message_id) {
        kw_buf_reset(&line);
        kw_buf_addf(&line, "Message-ID: <%s>", message_id);
        if (!line.err && !add_header(&hdr, line.p))
            rc = KW_ENOMEM;
    }
    if (!rc && !add_header(&rcpt, to))
        rc = KW_ENOMEM;
    if (!rc && line.err)
        rc = line.err;
    if (rc)
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
    curl_easy_setopt(h, CURLOPT_UPLOAD, 0L);
    cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        set_error(err, err_n, errbuf[0] ? errbuf : curl_easy_strerror(cc));
        rc = KW_ENET;
    }
done:
    kw_buf_deinit(&line);
    curl_slist_free_all(rcpt);
    curl_slist_free_all(hdr);
    curl_mime_free(mime);
    if (h)
        curl_easy_cleanup(h);
    json_decref(opts);
    return rc;
}

static kw_err send_email(const kw_deliver_config *cfg, const due *d,
                         int64_t now, const char *json, char *err,
                         size_t err_n)
{
    char *text = NULL, *html = NULL, *subject = NULL, idbuf[128];
    json_t *payload = json_loads(json, 0, NULL);
    alert_view v;
    kw_err rc;

    if (!payload)
        return KW_ENOMEM;
    view_of(payload, &v);
    rc = mail_texts(&v, &text, &html, &subject);
    if (!rc) {
        (void)snprintf(idbuf, sizeof(idbuf), "alert-%lld-%lld@kowatch",
                       (long long)d->alert_id, (long long)d->id);
        rc = kw__mail_send(d->options, d->target, subject, text, html, idbuf,
                           now, cfg->timeout_ms, err, err_n);
    }
    json_decref(payload);
    kw_free(text);
    kw_free(html);
    kw_free(subject);
    return rc;
}

/* ---- Exec -------------------------------------------------------------- */

/*
 * Runs @cmd with @json on stdin.  SIGPIPE is ignored while writing (a
 * command that does not read its input must not kill kowatch) and
 * restored after.
 */
static kw_err send_exec(const kw_deliver_config *cfg, const char *cmd,
                        const char *json, char *err, size_t err_n)
{
    struct sigaction ign, old;
    size_t n = strlen(json), off = 0;
    int64_t deadline;
    int fds[2], status = 0;
    pid_t pid, w;

    if (pipe(fds) != 0) {
        set_error(err, err_n, strerror(errno));
        return KW_EIO;
    }
    pid = fork();
    if (pid < 0) {
        set_error(err, err_n, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return KW_EIO;
    }
    if (pid == 0) {
        /* Child: stdin from the pipe; stdout to our stderr, so that a
         * command's chatter never mixes with kowatch's JSON output. */
        close(fds[1]);
        if (dup2(fds[0], 0) < 0 || dup2(2, 1) < 0)
            _exit(127);
        close(fds[0]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    memset(&ign, 0, sizeof(ign));
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    while (off < n) {
        ssize_t k = write(fds[1], json + off, n - off);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break; /* the command closed its input: its exit decides */
        off += (size_t)k;
    }
    close(fds[1]);
    sigaction(SIGPIPE, &old, NULL);

    deadline = kw_mono_ms() + cfg->timeout_ms;
    for (;;) {
        w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            set_error(err, err_n, strerror(errno));
            return KW_EIO;
        }
        if (kw_mono_ms() > deadline) {
            kill(pid, SIGKILL);
            (void)waitpid(pid, &status, 0);
            (void)snprintf(err, err_n, "timed out after %ld ms",
                           cfg->timeout_ms);
            return KW_EIO;
        }
        {
            struct timespec ts = {0, 10 * 1000 * 1000};

            nanosleep(&ts, NULL);
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return KW_OK;
    if (WIFEXITED(status))
        (void)snprintf(err, err_n, "command exited with status %d",
                       WEXITSTATUS(status));
    else
        (void)snprintf(err, err_n, "command killed by signal %d",
                       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return KW_EIO;
}

/* ---- The outbox -------------------------------------------------------- */

static int64_t backoff(const kw_deliver_config *cfg, int attempts)
{
    int64_t d = cfg->backoff_base_s > 0 ? cfg->backoff_base_s : 1;
    int i;

    for (i = 1; i < attempts && d < cfg->backoff_max_s; i++)
        d *= 2;
    return d < cfg->backoff_max_s ? d : cfg->backoff_max_s;
}

static kw_err deliver_one(kw_store *st, const kw_deliver_config *cfg,
                          const due *d, int64_t now, kw_deliver_stats *s)
{
    char err[512] = "";
    char *json = NULL;
    int attempts = d->attempts + 1;
    kw_err rc, sent;

    rc = kw_alert_payload(st, d->alert_id, &json);
    if (rc)
        return rc;
    s->attempted++;
    if (strcmp(d->kind, "webhook") == 0)
        sent = send_webhook(cfg, d->target, json, err, sizeof(err));
    else if (strcmp(d->kind, "email") == 0)
        sent = send_email(cfg, d, now, json, err, sizeof(err));
    else if (strcmp(d->kind, "exec") == 0)
        sent = send_exec(cfg, d->target, json, err, sizeof(err));
    else {
        (void)snprintf(err, sizeof(err), "unknown channel kind '%s'",
                       d->kind);
        sent = KW_EINVAL;
    }
    kw_free(json);
    if (sent == KW_ENOMEM)
        return sent;
    if (!sent) {
        s->delivered++;
        return kw_store_delivery_attempted(st, d->id, "delivered", now, 0,
                                           NULL);
    }
    if (!err[0])
        (void)snprintf(err, sizeof(err), "%s", kw_strerror(sent));
    kw_log(KW_LOG_WARN, "alerts", "alert %lld to %s %s: %s (attempt %d)",
           (long long)d->alert_id, d->kind, d->target, err, attempts);
    if (attempts >= cfg->max_attempts || sent == KW_EINVAL) {
        s->failed++;
        return kw_store_delivery_attempted(st, d->id, "failed", now, 0, err);
    }
    s->retrying++;
    return kw_store_delivery_attempted(st, d->id, "pending", now,
                                       now + backoff(cfg, attempts), err);
}

kw_err kw_alerts_deliver(kw_store *st, const kw_deliver_config *cfg,
                         kw_deliver_stats *stats)
{
    kw_deliver_config dflt = kw_deliver_config_default();
    kw_deliver_stats local;
    due_list l;
    int64_t now;
    size_t i;
    kw_err rc;

    if (!cfg)
        cfg = &dflt;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    memset(&l, 0, sizeof(l));
    now = cfg->now ? cfg->now : kw_now();
    rc = kw_store_delivery_due(st, now, cfg->limit, copy_due, &l);
    for (i = 0; !rc && i < l.n; i++)
        rc = deliver_one(st, cfg, &l.v[i], now, stats);
    due_list_free(&l);
    return rc;
}
