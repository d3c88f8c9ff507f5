/*
 * queries_int.h -- private helpers shared by the queries module's files:
 * JSON values built with jansson for the shapes of DESIGN.md.  Only
 * queries/ and its tests include it.
 */
#ifndef KW_QUERIES_INT_H
#define KW_QUERIES_INT_H

#include <jansson.h>

#include "kw/queries.h"

/* A JSON string, or null for NULL or invalid UTF-8. */
json_t *kw__query_jstr(const char *s);
/* An ISO 8601 time with its offset, or null for 0. */
json_t *kw__query_jtime(int64_t t, int offset_min);
/* [{id,name,count}] of the mentions of article @id, most frequent first;
 * NULL on failure (*err set). */
json_t *kw__query_entities(kw_store *st, int64_t id, kw_err *err);
/* [{name,url,fetched,format,text_bytes,error}] of the attachments of
 * article @id, in link order; NULL on failure (*err set). */
json_t *kw__query_attachments(kw_store *st, int64_t id, kw_err *err);
/* Serialises @doc (consumed) into an owned string (kw_free). */
kw_err kw__query_dump(json_t *doc, char **json);

/* ---- Entity histories (status.c) ----------------------------------- */

/* One event of an entity's history, copied out of the store. */
typedef struct kw__hev {
    int64_t id;
    char *stance;
    int64_t at;          /* event date */
    int at_offset;
    int64_t pub;         /* published */
    int pub_offset;
    char *url;
    char *title;
    char *source;
    char *sentence;
    int64_t article;
    int64_t cluster;
    int is_change;       /* this event begins a new status */
} kw__hev;

/* One entity's events in history order, with status changes marked.
 * Status is decided per day of the event date: a day's stance is that of
 * its last event (a later report wins), so restatements inside one day
 * (an old result recalled by a re-entry story) never flip it back and
 * forth; a change is marked on the day's first event of the new stance. */
typedef struct kw__history {
    const char *entity;
    const char *name;
    kw__hev *v;
    size_t n;
} kw__history;

typedef kw_err (*kw__history_cb)(const kw__history *h, void *ud);
/* Calls @cb with the history of each entity having events under @f. */
kw_err kw__history_each(kw_store *st, const kw_event_filter *f,
                        kw__history_cb cb, void *ud);

/*
 * Sends one e-mail through an e-mail channel (deliver.c): @options is the
 * channel's JSON {"smtp","from"}; the message is MIME multipart/
 * alternative with @text and @html parts, @subject is UTF-8 (RFC 2047
 * encoded here), @message_id may be NULL.  KW_EINVAL if the channel has
 * no SMTP URL, KW_ENET if sending failed (reason in @err).
 */
kw_err kw__mail_send(const char *options, const char *to,
                     const char *subject, const char *text, const char *html,
                     const char *message_id, int64_t now, long timeout_ms,
                     char *err, size_t err_n);

#endif /* KW_QUERIES_INT_H */
