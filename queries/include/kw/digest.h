/*
 * kw/digest.h -- the daily digest (issue 7; queries/digest.c): for one
 * day in Korea (KST), the status changes first (entity, from -> to,
 * evidence sentence, link), then the day's stories, one per story cluster
 * with its outlets, grouped by entity; counts per source and entity; and
 * the last 30 days' article volume per entity as a chart.
 *
 * Formats: JSON (DESIGN.md: {date, status_changes:[{entity,from,to,url,
 * sentence}], stories:[{cluster,title,urls,sources,entities}],
 * counts:{articles,by_source,by_entity}} plus name, volume), Markdown
 * (the chart as a compact table), self-contained HTML for e-mail (inline
 * CSS, inline SVG chart) and plain text (the e-mail's text part).  Every
 * value that came from a page is escaped for its format.
 *
 * Thread safety: reentrant; one kw_store per thread.
 */
#ifndef KW_DIGEST_H
#define KW_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"
#include "kw/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kw_digest_format {
    KW_DIGEST_JSON = 1,
    KW_DIGEST_MD,
    KW_DIGEST_HTML,
    KW_DIGEST_TEXT,
} kw_digest_format;

/* Days of volume in the chart, the digest's day included. */
#define KW_DIGEST_CHART_DAYS 30

/* "md", "html", "json", "text" -> *out; KW_EINVAL otherwise. */
KW_API kw_err kw_digest_format_parse(const char *s, kw_digest_format *out);

/* Parses a day "YYYY-MM-DD" (a KST day) into the time of its start
 * (00:00 KST) in *out.  KW_EINVAL if @s is not exactly such a day. */
KW_API kw_err kw_digest_day_parse(const char *s, int64_t *out);
/* The start (00:00 KST) of the KST day holding @t. */
KW_API int64_t kw_digest_day_of(int64_t t);

/*
 * Builds the digest of the KST day starting at @day (a value from
 * kw_digest_day_parse or kw_digest_day_of) in format @fmt.  *out is owned
 * (kw_free).  KW_EDB etc. for store failures (kw_store_errmsg).
 */
KW_API kw_err kw_digest_render(kw_store *st, int64_t day,
                               kw_digest_format fmt, char **out);

/*
 * Sends the digest of @day to every e-mail channel of the store: a MIME
 * multipart/alternative message with the text and the HTML digest,
 * through the channel's SMTP URL (as alert delivery does).  @timeout_ms 0
 * means 30 s.  *n_sent (may be NULL) counts the channels that took it.
 * KW_ENOTFOUND if there is no e-mail channel; KW_ENET with the reason in
 * @err (>= 128 bytes) if a channel failed (the others are still tried).
 */
KW_API kw_err kw_digest_send(kw_store *st, int64_t day, long timeout_ms,
                             char *err, size_t err_n, size_t *n_sent);

#ifdef __cplusplus
}
#endif
#endif /* KW_DIGEST_H */
