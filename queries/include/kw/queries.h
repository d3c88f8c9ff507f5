/*
 * kw/queries.h -- what users ask of the store: ranked search over articles
 * and article listings, as structs for printing and as JSON documents (the
 * shapes of DESIGN.md, shared by the command line and the web API).
 *
 * Thread safety: functions are reentrant; a kw_store is used by one thread
 * at a time.
 */
#ifndef KW_QUERIES_H
#define KW_QUERIES_H

#include <stddef.h>
#include <stdint.h>

#include "kw/common.h"
#include "kw/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Routes jansson's allocations through kw_malloc/kw_free; call once at
 * start-up, before any other function here and before threads start. */
KW_API void kw_queries_global_init(void);

/*
 * Compiles an analyst's query into an FTS5 MATCH expression.
 *
 * Syntax: words are ANDed; "a phrase" in double quotes; OR between two
 * terms; NOT or a leading '-' excludes the next term; a trailing '*' makes
 * a prefix query; parentheses group.  Everything else is literal text:
 * FTS5 operators and column filters typed by the user are quoted, so no
 * input reaches FTS5 unescaped.  Hangul words also match with particles
 * attached ("네이버" finds "네이버가").
 *
 * *out is owned (kw_free).  On a syntax error (unbalanced quote or
 * parenthesis, an operator with no operand, an empty query) returns
 * KW_EINVAL and writes a one-line reason into @err (>= 128 bytes).
 */
KW_API kw_err kw_query_compile(const char *query, char *err, size_t err_n,
                               char **out);

typedef struct kw_search_opts {
    const char *query;  /* the analyst's query (kw_query_compile syntax) */
    const char *entity; /* entity id, or NULL */
    const char *source; /* source name, or NULL */
    int64_t since;      /* published at or after; 0: no bound */
    int64_t until;      /* published before; 0: no bound */
    size_t limit;       /* 0: the default of 20 */
} kw_search_opts;

/*
 * Runs a search: @cb gets each hit, best first (strings borrowed for the
 * call).  *total (may be NULL) gets the number of matches before the
 * limit.  KW_EINVAL with a reason in @err for a bad query; KW_EDB (see
 * kw_store_errmsg) for a store failure.
 */
KW_API kw_err kw_query_search(kw_store *st, const kw_search_opts *o,
                              kw_search_cb cb, void *ud, int64_t *total,
                              char *err, size_t err_n);

/* The same, as the JSON document of `search --json`:
 * {query,total,results:[{id,url,title,published,source,snippet,score,
 * entities}]}; snippets mark matches with <b>...</b>, text escaped.
 * *json is owned (kw_free). */
KW_API kw_err kw_query_search_json(kw_store *st, const kw_search_opts *o,
                                   char *err, size_t err_n, char **json);

/* `articles --json`: {articles:[{id,url,title,published,source,kind,
 * entities,cluster}]}.  *json is owned (kw_free). */
KW_API kw_err kw_query_articles_json(kw_store *st, const kw_article_filter *f,
                                     char **json);

/* Formats a stored time as ISO 8601 with its offset ("" for 0). */
KW_API void kw_query_time(int64_t t, int offset_min, char out[32]);

/* ======================================================================
 * Participation decisions: events, status board, timelines (issue 6;
 * queries/status.c).  An entity's status is its latest stance by event
 * date (a tie goes to the later published report), so a restated older
 * result never undoes a later decision.
 * ====================================================================== */

/* One entity's status; strings borrowed for the callback. */
typedef struct kw_status_row {
    const char *entity_id;
    const char *name;
    const char *stance;     /* NULL: no stance known */
    int64_t since;          /* event date that began the current stance */
    int since_offset;
    const char *url;        /* the report of that event */
    const char *sentence;   /* its evidence sentence */
    int64_t last;           /* event date of the latest report of it */
    int last_offset;
    const char *last_url;
    const char *last_sentence;
    size_t n_events;        /* events counted */
} kw_status_row;
typedef kw_err (*kw_status_cb)(const kw_status_row *r, void *ud);

/*
 * The status board as of @as_of (exclusive: events dated and reported
 * before it; 0 means now, everything known): @cb gets every stored
 * entity, by id, those without a stance included (stance NULL).
 */
KW_API kw_err kw_query_status(kw_store *st, int64_t as_of, kw_status_cb cb,
                              void *ud);

/* `status --json`: {as_of, entities:[{id,name,stance,since,url,sentence,
 * last,last_url}]}; @as_of_label is printed as as_of (NULL: @as_of, or
 * now, as ISO 8601).  *json is owned (kw_free). */
KW_API kw_err kw_query_status_json(kw_store *st, int64_t as_of,
                                   const char *as_of_label, char **json);

/* `events --json`: {events:[{entity,name,stance,date,published,url,title,
 * source,sentence,article,cluster}]}, @entity NULL for all.  *json is
 * owned (kw_free). */
KW_API kw_err kw_query_events_json(kw_store *st, const char *entity,
                                   char **json);

/* `timeline ENTITY --json`: {entity,name,stance,events:[{stance,date,
 * published,url,title,source,sentence,change}]}, where change is true
 * when the event changed the status.  KW_ENOTFOUND for an unknown
 * entity.  *json is owned (kw_free). */
KW_API kw_err kw_query_timeline_json(kw_store *st, const char *entity,
                                     char **json);

#ifdef __cplusplus
}
#endif
#endif /* KW_QUERIES_H */
