/*
 * kw/alerts.h -- alert rules and their delivery (DESIGN.md, issue 6).
 *
 * Rules are data: re-entry (an entity whose history holds an elimination
 * or a decline moves to entering, whatever came between) and saved
 * searches (a query that fires once for each new matching story
 * cluster).  Detection writes the alert and one pending delivery per
 * channel in one transaction; delivery runs after, from that persisted
 * outbox, with retries and exponential backoff, so an alert is delivered
 * at least once and recorded once, and a kill between detection and
 * delivery loses nothing.  An alert whose event is older than the
 * delivery window when it is first seen is recorded as backfill and never
 * delivered.
 *
 * Channels: webhook (POST of the alert JSON), email (SMTP through libcurl,
 * a MIME multipart/alternative message with a text and an HTML part) and
 * exec (a shell command that reads the alert JSON on stdin).
 *
 * Thread safety: as the store; one kw_store per thread.
 */
#ifndef KW_ALERTS_H
#define KW_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"
#include "kw/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default delivery window: events older than this when first seen are
 * backfill. */
#define KW_ALERTS_WINDOW_S ((int64_t)3 * 86400)

typedef struct kw_alerts_config {
    int64_t now;      /* 0: the current time */
    int64_t window_s; /* delivery window (default KW_ALERTS_WINDOW_S) */
    int reentry;      /* evaluate the re-entry rule (default 1) */
    int searches;     /* evaluate saved searches (default 1) */
} kw_alerts_config;

KW_API kw_alerts_config kw_alerts_config_default(void);

/*
 * Evaluates the rules over everything stored and records each new alert
 * (with its pending deliveries unless it is backfill).  Copies of one
 * story, restated old results and repeated runs never add a second alert
 * for one transition.  *n_new (may be NULL) counts the alerts added,
 * backfill included.  A saved search whose query no longer compiles is
 * skipped with a warning.
 */
KW_API kw_err kw_alerts_evaluate(kw_store *st, const kw_alerts_config *cfg,
                                 size_t *n_new);

/* `alerts --json`: {alerts:[{id,kind,entity,name,stance,date,url,sentence,
 * search,backfill,created,deliveries:[{channel,kind,target,state,attempts,
 * last_error,delivered}]}]}, newest first; backfill only with
 * @with_backfill.  *json is owned (kw_free). */
KW_API kw_err kw_alerts_json(kw_store *st, int with_backfill, char **json);

/* The payload sent for one alert: {id,kind,entity,name,stance,date,url,
 * sentence,search}.  *json is owned (kw_free); KW_ENOTFOUND if none. */
KW_API kw_err kw_alert_payload(kw_store *st, int64_t alert_id, char **json);

typedef struct kw_deliver_config {
    int64_t now;            /* 0: the current time */
    long timeout_ms;        /* per attempt (default 15 s) */
    int max_attempts;       /* then the delivery is "failed" (default 8) */
    int64_t backoff_base_s; /* first retry after this, doubled (60) */
    int64_t backoff_max_s;  /* longest wait between attempts (6 h) */
    const char *user_agent; /* for webhooks; NULL: "kowatch/VERSION" */
    size_t limit;           /* deliveries per call; 0: all due */
} kw_deliver_config;

KW_API kw_deliver_config kw_deliver_config_default(void);

typedef struct kw_deliver_stats {
    size_t attempted;
    size_t delivered;
    size_t retrying; /* failed this time, will be retried */
    size_t failed;   /* gave up */
} kw_deliver_stats;

/*
 * Attempts every pending delivery that is due, records each outcome, and
 * schedules retries.  Failures of single deliveries are recorded (and
 * logged), not returned.  Returns KW_EDB etc. for store failures.
 */
KW_API kw_err kw_alerts_deliver(kw_store *st, const kw_deliver_config *cfg,
                                kw_deliver_stats *stats);

/* Channel kinds for kw_store_channel_add: "webhook", "email", "exec".
 * Builds the options JSON of an email channel: {"smtp":URL,"from":ADDR}
 * (@from NULL: "kowatch@localhost").  *json is owned (kw_free). */
KW_API kw_err kw_alerts_email_options(const char *smtp_url, const char *from,
                                      char **json);

#ifdef __cplusplus
}
#endif
#endif /* KW_ALERTS_H */
