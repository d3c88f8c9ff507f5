/*
 * crawler.c -- scheduling, politeness, discovery and the
 * fetch -> archive -> extract -> store pipeline (DESIGN.md, issue 3).
 *
 * The frontier lives in the store.  A run loads due URLs in batches into
 * per-origin queues held in memory, and starts transfers on the engine
 * (fetch.c) so that at most cfg->concurrency run at once, at most one per
 * origin, successive requests to an origin at least its delay apart
 * (host_delay_ms, or robots.txt Crawl-delay up to a cap), measured from
 * the end of the previous one.  Before the first request to an origin its
 * robots.txt is taken from the store's cache or fetched (RFC 9309:
 * 2xx rules, 4xx allow all, 5xx or unreachable fetch nothing now).
 *
 * Every response is first written to the WARC archive (fsync'd), then its
 * fetch record, the URL's new state, the article and the links it yields
 * are committed in one store transaction.  A crash between the two leaves
 * an unreferenced WARC record and the URL due again, so nothing committed
 * is lost or stored twice.
 */
#include <malloc.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "crawler_int.h"
#include "engine_int.h"
#include "kw/analysis.h"
#include "kw/attachment.h"
#include "kw/parsers.h"

#define ROBOTS_AGENT "kowatch"
#define DOWN_RETRY_S 600       /* robots.txt unavailable: retry after */
#define BACKOFF_BASE_S 60      /* first retry after a failure, doubled */
#define BACKOFF_MAX_S 86400    /* longest retry delay */
#define REFILL_BATCH 512       /* URLs loaded from the store at a time */
#define IDLE_POLL_MS 250       /* longest sleep while waiting */
#define MIN_POLL_S 60          /* adapted intervals never go below this */

const char *kw_crawler_default_user_agent(void)
{
    return "kowatch/" KW_VERSION " (+https://github.com/kowatch/kowatch)";
}

kw_crawler_config kw_crawler_config_default(void)
{
    kw_crawler_config c;

    memset(&c, 0, sizeof(c));
    c.user_agent = kw_crawler_default_user_agent();
    c.archive_dir = "archive";
    c.host_delay_ms = 1000;
    c.max_crawl_delay_ms = 30000;
    c.concurrency = 8;
    c.max_body = KW_MAX_BODY;
    c.connect_timeout_ms = 10000;
    c.timeout_ms = 60000;
    c.low_speed_time_s = 30;
    c.max_redirects = 5;
    c.max_failures = 5;
    c.warc_max_bytes = (int64_t)1 << 30;
    c.robots_ttl_s = 86400;
    c.article_refetch_s = 7 * 86400;
    return c;
}

kw_err kw_crawler_global_init(void)
{
    /* A crawl allocates and frees buffers of a few hundred KB per page
     * (bodies, SQLite's FTS5 segment flushes, the extractor).  With
     * glibc's defaults each free of the heap's top trims it (brk, then a
     * TLB shootdown on every CPU) and large blocks are mmap'd and
     * unmapped per page, so every page faults its memory in anew: 44% of
     * the crawler's CPU in bench_crawl (3.04 -> 1.70 ms per page).  Keep
     * up to 64 MiB of free heap, and take blocks below 32 MiB from it. */
    (void)mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
    (void)mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return KW_ENOMEM;
    kw_parsers_global_init();
    return KW_OK;
}

void kw_crawler_global_cleanup(void)
{
    curl_global_cleanup();
}

/* ---- Sources -------------------------------------------------------- */

typedef struct src_info {
    int64_t id;
    char *name;
    char *url;
    kw_source_kind kind;
    int64_t every_s;
    int64_t interval_s;      /* adapted polling interval (poll_interval) */
    int list_depth;          /* >= 1 */
    char *detail_template;   /* or NULL */
    char *attachment_template; /* or NULL */
    int attachment_post;     /* POST the template's query as a form */
    char *charset;           /* forced, or NULL */
    regex_t link_re;         /* valid if has_link_re */
    regex_t next_re;         /* valid if has_next_re */
    int has_link_re;
    int has_next_re;
} src_info;

typedef struct src_list {
    src_info *v;
    size_t n;
    size_t cap;
    const char *only;        /* only this source name, or NULL */
    kw_err err;              /* first failure while copying */
} src_list;

static void src_info_deinit(src_info *s)
{
    kw_free(s->name);
    kw_free(s->url);
    kw_free(s->detail_template);
    kw_free(s->attachment_template);
    kw_free(s->charset);
    if (s->has_link_re)
        regfree(&s->link_re);
    if (s->has_next_re)
        regfree(&s->next_re);
}

static void src_list_deinit(src_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        src_info_deinit(&l->v[i]);
    kw_free(l->v);
    memset(l, 0, sizeof(*l));
}

/* Compiles a source's pattern; a bad one is logged and ignored (the
 * store validated it when the source was added). */
static int compile_re(regex_t *re, const char *pat, const char *name)
{
    int e;

    if (!pat || !*pat)
        return 0;
    e = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
    if (e) {
        kw_log(KW_LOG_WARN, "crawler", "source %s: bad pattern \"%s\"",
               name, pat);
        return 0;
    }
    return 1;
}

static kw_err copy_source(const kw_source *s, void *ud)
{
    src_list *l = ud;
    src_info *d;

    if (l->only && strcmp(l->only, s->name) != 0)
        return KW_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        src_info *v = kw_realloc(l->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    d = &l->v[l->n];
    memset(d, 0, sizeof(*d));
    l->n++;
    d->id = s->id;
    d->kind = s->kind;
    d->every_s = s->every_s > 0 ? s->every_s : 3600;
    d->list_depth = s->list_depth > 0 ? s->list_depth : 1;
    d->name = kw_strdup(s->name);
    d->url = kw_strdup(s->url);
    d->detail_template = kw_strdup(s->detail_template);
    d->attachment_template = kw_strdup(s->attachment_template);
    d->attachment_post = s->attachment_post;
    d->charset = s->charset && *s->charset ? kw_strdup(s->charset) : NULL;
    if (!d->name || !d->url || (s->detail_template && !d->detail_template) ||
        (s->attachment_template && !d->attachment_template) ||
        (s->charset && *s->charset && !d->charset))
        return KW_ENOMEM;
    d->has_link_re = compile_re(&d->link_re, s->link_pattern, s->name);
    d->has_next_re = compile_re(&d->next_re, s->next_pattern, s->name);
    return KW_OK;
}

/*
 * Adaptive polling (issue 3).  A source is polled every interval_s
 * seconds, which starts at every_s and moves within
 * [max(every_s / 4, MIN_POLL_S), 4 * every_s] (the lower bound is never
 * above every_s itself): a poll that yields new items halves it, one that
 * yields nothing makes it 1.5 times longer.  Failed polls leave it alone
 * (their next poll is the retry time).  The store keeps it in
 * sources.poll_interval_s, 0 meaning every_s.
 */

/* @cur (0: every_s) clamped to @s's bounds. */
static int64_t clamp_interval(const src_info *s, int64_t cur)
{
    int64_t every = s->every_s;
    int64_t lo = every / 4;
    int64_t hi;

    /* Beyond this, 4 * every (and now + it) could overflow: no
     * adaptation for absurd intervals. */
    if (every > INT64_MAX / 16)
        return every;
    hi = every * 4;
    if (lo < MIN_POLL_S)
        lo = MIN_POLL_S;
    if (lo > every)
        lo = every; /* an every_s under a minute is the operator's choice */
    if (cur <= 0)
        cur = every;
    if (cur < lo)
        cur = lo;
    if (cur > hi)
        cur = hi;
    return cur;
}

/* The interval after a successful poll of @s that did (@has_new) or did
 * not yield new items, from the current one @cur. */
static int64_t adapt_interval(const src_info *s, int64_t cur, int has_new)
{
    cur = clamp_interval(s, cur);
    return clamp_interval(s, has_new ? cur / 2 : cur + cur / 2);
}

/* Loads every source (or only @only) into @l, with its adapted polling
 * interval. */
static kw_err load_sources(kw_store *st, const char *only, src_list *l)
{
    size_t i;
    kw_err rc;

    memset(l, 0, sizeof(*l));
    l->only = only;
    rc = kw_store_source_each(st, copy_source, l);
    for (i = 0; i < l->n && !rc; i++) {
        int64_t v = 0;

        rc = kw_store_source_interval(st, l->v[i].id, &v);
        l->v[i].interval_s = clamp_interval(&l->v[i], v);
    }
    if (rc)
        src_list_deinit(l);
    return rc;
}

static src_info *find_src(const src_list *l, int64_t id)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        if (l->v[i].id == id)
            return &l->v[i];
    }
    return NULL;
}

/* ---- A set of URL ids ------------------------------------------------ */

/* Open addressing with linear probing; 0 marks an empty slot (URL ids
 * start at 1). */
typedef struct idset {
    int64_t *v;
    size_t cap; /* power of two */
    size_t n;
} idset;

static size_t id_hash(int64_t id, size_t cap)
{
    uint64_t h = (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);

    return (size_t)(h >> 17) & (cap - 1);
}

static int idset_has(const idset *s, int64_t id)
{
    size_t i;

    if (!s->cap)
        return 0;
    for (i = id_hash(id, s->cap); s->v[i]; i = (i + 1) & (s->cap - 1)) {
        if (s->v[i] == id)
            return 1;
    }
    return 0;
}

static kw_err idset_add(idset *s, int64_t id)
{
    size_t i;

    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        int64_t *v = kw_calloc(cap, sizeof(*v));
        size_t k;

        if (!v)
            return KW_ENOMEM;
        for (k = 0; k < s->cap; k++) {
            if (!s->v[k])
                continue;
            for (i = id_hash(s->v[k], cap); v[i]; i = (i + 1) & (cap - 1))
                ;
            v[i] = s->v[k];
        }
        kw_free(s->v);
        s->v = v;
        s->cap = cap;
    }
    for (i = id_hash(id, s->cap); s->v[i]; i = (i + 1) & (s->cap - 1)) {
        if (s->v[i] == id)
            return KW_OK;
    }
    s->v[i] = id;
    s->n++;
    return KW_OK;
}

/* Removes @id, shifting later members of its probe run back. */
static void idset_remove(idset *s, int64_t id)
{
    size_t mask = s->cap - 1;
    size_t i;
    size_t j;

    if (!s->cap)
        return;
    for (i = id_hash(id, s->cap); s->v[i] != id; i = (i + 1) & mask) {
        if (!s->v[i])
            return;
    }
    s->v[i] = 0;
    s->n--;
    for (j = (i + 1) & mask; s->v[j]; j = (j + 1) & mask) {
        size_t h = id_hash(s->v[j], s->cap);

        /* Move v[j] to the hole unless its home lies in (i, j]. */
        if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
            s->v[i] = s->v[j];
            s->v[j] = 0;
            i = j;
        }
    }
}

/* ---- Jobs and origins ------------------------------------------------ */

struct origin;

typedef struct job {
    int64_t url_id;        /* 0 for robots.txt */
    int64_t source_id;
    char *url;
    kw_url_role role;
    int depth;
    kw_url_state state;
    char *etag;
    char *last_modified;
    int failures;
    int is_robots;
    struct origin *origin; /* borrowed from the crawl */
    struct job *next;
} job;

enum { ROBOTS_UNKNOWN = 0, ROBOTS_FETCHING, ROBOTS_READY, ROBOTS_DOWN };

typedef struct origin {
    char *name;            /* "https://host[:port]" */
    int robots_state;
    kw_robots *robots;     /* NULL: allow all */
    int64_t delay_ms;      /* between requests */
    int busy;              /* a transfer is in flight */
    int64_t next_ok_ms;    /* monotonic: earliest next request */
    int64_t down_until_ms; /* ROBOTS_DOWN: when to try robots.txt again */
    job *head;             /* pending jobs, FIFO */
    job *tail;
    struct origin *hnext;  /* hash chain */
    struct origin *next;   /* list of all origins */
} origin;

#define ORIGIN_BUCKETS 1024

typedef struct crawl {
    kw_store *st;
    const kw_crawler_config *cfg;
    kw_crawl_stats *stats;
    kw__engine *eng;
    kw_warc *warc;              /* opened at the first response */
    src_list srcs;
    int64_t only_id;            /* source filter for the store, 0: all */
    origin *buckets[ORIGIN_BUCKETS];
    origin *origins;
    idset seen;                 /* URLs taken in this run */
    size_t n_pending;           /* jobs queued in origins */
    uint64_t rng;               /* jitter */
    int64_t t0_ms;
} crawl;

static void job_free(job *j)
{
    if (!j)
        return;
    kw_free(j->url);
    kw_free(j->etag);
    kw_free(j->last_modified);
    kw_free(j);
}

static void release_job(void *ud)
{
    job_free(ud);
}

/* A job for a frontier row.  NULL on ENOMEM. */
static job *job_from_url(const kw_url *u)
{
    job *j = kw_calloc(1, sizeof(*j));

    if (!j)
        return NULL;
    j->url_id = u->id;
    j->source_id = u->source_id;
    j->role = u->role;
    j->depth = u->depth;
    j->state = u->state;
    j->failures = u->failures;
    j->url = kw_strdup(u->url);
    j->etag = kw_strdup(u->etag);
    j->last_modified = kw_strdup(u->last_modified);
    if (!j->url || (u->etag && !j->etag) ||
        (u->last_modified && !j->last_modified)) {
        job_free(j);
        return NULL;
    }
    return j;
}

static size_t str_hash(const char *s)
{
    size_t h = 5381;

    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

/* The origin named @name, created if new.  NULL on ENOMEM. */
static origin *origin_get(crawl *c, const char *name)
{
    size_t b = str_hash(name) % ORIGIN_BUCKETS;
    origin *o;

    for (o = c->buckets[b]; o; o = o->hnext) {
        if (strcmp(o->name, name) == 0)
            return o;
    }
    o = kw_calloc(1, sizeof(*o));
    if (!o)
        return NULL;
    o->name = kw_strdup(name);
    if (!o->name) {
        kw_free(o);
        return NULL;
    }
    o->delay_ms = c->cfg->host_delay_ms;
    o->hnext = c->buckets[b];
    c->buckets[b] = o;
    o->next = c->origins;
    c->origins = o;
    return o;
}

static void origin_push(crawl *c, origin *o, job *j)
{
    j->origin = o;
    j->next = NULL;
    if (o->tail)
        o->tail->next = j;
    else
        o->head = j;
    o->tail = j;
    c->n_pending++;
}

static job *origin_pop(crawl *c, origin *o)
{
    job *j = o->head;

    if (!j)
        return NULL;
    o->head = j->next;
    if (!o->head)
        o->tail = NULL;
    j->next = NULL;
    c->n_pending--;
    return j;
}

static void origins_free(crawl *c)
{
    origin *o;
    origin *next;

    for (o = c->origins; o; o = next) {
        next = o->next;
        while (o->head)
            job_free(origin_pop(c, o));
        kw_robots_free(o->robots);
        kw_free(o->name);
        kw_free(o);
    }
    c->origins = NULL;
    memset(c->buckets, 0, sizeof(c->buckets));
}

/* Marks @j's URL done for this run: in a `once` run a URL is taken at
 * most once; otherwise it may be taken again when the store says it is
 * due. */
static void job_done(crawl *c, job *j)
{
    if (!c->cfg->once && j->url_id)
        idset_remove(&c->seen, j->url_id);
    job_free(j);
}

/* ---- Recording outcomes --------------------------------------------- */

static uint64_t next_rand(crawl *c)
{
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    return c->rng;
}

/* Retry delay after @failures consecutive failures: 60 s * 2^failures,
 * at most a day, +-20% jitter; a larger Retry-After wins. */
static int64_t backoff_s(crawl *c, int failures, int64_t retry_after_s)
{
    int64_t d = BACKOFF_BASE_S;
    int i;
    double f;

    for (i = 0; i < failures && d < BACKOFF_MAX_S; i++)
        d *= 2;
    if (d > BACKOFF_MAX_S)
        d = BACKOFF_MAX_S;
    f = 0.8 + 0.4 * (double)(next_rand(c) % 10001) / 10000.0;
    d = (int64_t)((double)d * f);
    if (retry_after_s > d)
        d = retry_after_s;
    return d;
}

/* When a successfully fetched URL is due again. */
static int64_t next_ok_fetch(const crawl *c, const job *j, int64_t now)
{
    const src_info *s = find_src(&c->srcs, j->source_id);
    int64_t every = s ? s->interval_s : 3600;

    switch (j->role) {
    case KW_ROLE_ARTICLE:
        return now + c->cfg->article_refetch_s;
    case KW_ROLE_ATTACHMENT:
    case KW_ROLE_ATTACHMENT_POST:
        return INT64_MAX;
    default:
        return now + every;
    }
}

/* Records an outcome without a request (robots.txt denied or
 * unavailable), and the source's health for a seed. */
static kw_err record_no_request(crawl *c, job *j, const char *why,
                                kw_url_state state, int64_t next)
{
    kw_fetch f;
    int64_t now = kw_now();
    kw_err rc;

    memset(&f, 0, sizeof(f));
    f.url_id = j->url_id;
    f.at = now;
    f.warc_offset = -1;
    f.error = why;
    f.state = state;
    f.next_fetch_at = next;
    f.failures = j->failures;
    rc = kw_store_begin(c->st);
    if (rc)
        return rc;
    rc = kw_store_fetch_add(c->st, &f, NULL);
    if (!rc && j->role == KW_ROLE_SEED && j->source_id)
        rc = kw_store_source_polled(c->st, j->source_id, now, why, 0,
                                    next == INT64_MAX ? now + 3600 : next);
    if (rc) {
        kw_store_rollback(c->st);
        kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(c->st));
        return rc;
    }
    return kw_store_commit(c->st);
}

/* ---- Discovery -------------------------------------------------------- */

/* Adds a discovered URL to the frontier; counts it if new. */
static kw_err enqueue(crawl *c, int64_t source_id, const char *url,
                      kw_url_role role, int depth, int64_t *new_items)
{
    int is_new = 0;
    kw_err rc;

    rc = kw_store_url_add(c->st, source_id, url, role, depth, NULL, &is_new);
    if (rc) {
        kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(c->st));
        return rc;
    }
    if (is_new) {
        (*new_items)++;
        c->stats->new_urls++;
    }
    return KW_OK;
}

/* Errors that end the run; others are about one page and are logged. */
static int is_fatal(kw_err rc)
{
    return rc == KW_ENOMEM || rc == KW_EDB || rc == KW_EIO;
}

/* Items of a feed or sitemap: child sitemaps of an index, else articles. */
static kw_err discover_feed(crawl *c, const job *j, const kw__xfer *x,
                            const char *declared, int64_t *new_items)
{
    kw_feed *f = NULL;
    kw_err rc;
    size_t i;

    rc = kw_feed_parse(x->body, x->body_n, declared, &f);
    if (rc) {
        kw_log(KW_LOG_WARN, "crawler", "%s: not a feed or sitemap (%s)",
               j->url, kw_strerror(rc));
        return is_fatal(rc) ? rc : KW_OK;
    }
    for (i = 0; i < f->n_items && !rc; i++) {
        kw_url_role role = f->kind == KW_FEED_SITEMAP_INDEX
                               ? KW_ROLE_SITEMAP
                               : KW_ROLE_ARTICLE;
        char *u = NULL;
        kw_err e;

        if (!f->items[i].url)
            continue;
        e = kw_url_canonicalize(j->url, f->items[i].url, &u);
        if (e == KW_ENOMEM) {
            rc = e;
            break;
        }
        if (e)
            continue;
        rc = enqueue(c, j->source_id, u, role, j->depth + 1, new_items);
        kw_free(u);
    }
    kw_feed_free(f);
    return rc;
}

/* The arguments of a script call, "fn('3186001')", "fn(12, 'a.hwp')":
 * quoted strings or numbers, at most SCRIPT_MAX_ARGS.  Returns how many
 * were read into @args (each owned), stopping at the first that is
 * neither; -1 on ENOMEM. */
#define SCRIPT_MAX_ARGS 9

static int script_args(const char *s, char *args[SCRIPT_MAX_ARGS])
{
    const char *p = strchr(s, '(');
    int k = 0;

    if (!p)
        return 0;
    p++;
    while (k < SCRIPT_MAX_ARGS) {
        size_t n = 0;
        const char *v;

        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\'' || *p == '"') {
            char q = *p++;

            while (p[n] && p[n] != q)
                n++;
            if (!p[n])
                break;
            v = p;
            p += n + 1;
        } else {
            while ((p[n] >= '0' && p[n] <= '9') || (n == 0 && p[n] == '-'))
                n++;
            if (n == 0 || (n == 1 && p[0] == '-'))
                break;
            v = p;
            p += n;
        }
        args[k] = kw_strndup(v, n);
        if (!args[k]) {
            while (k > 0)
                kw_free(args[--k]);
            return -1;
        }
        k++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != ',')
            break;
        p++;
    }
    return k;
}

static void script_args_free(char *args[SCRIPT_MAX_ARGS], int n)
{
    while (n > 0)
        kw_free(args[--n]);
}

/*
 * @tmpl with every "{K}" (K = 1..9) replaced by the K-th of @args,
 * percent-encoded.  Owned in *out.  KW_ENOTFOUND if the template names an
 * argument the call lacks (or one is empty), KW_ENOMEM.
 */
static kw_err fill_template(const char *tmpl, char *const *args, int n_args,
                            char **out)
{
    kw_buf b;
    const char *p;

    *out = NULL;
    kw_buf_init(&b, KW_MAX_URL);
    for (p = tmpl; *p; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
            int k = p[1] - '1';
            char *esc;

            if (k >= n_args || !*args[k]) {
                kw_buf_deinit(&b);
                return KW_ENOTFOUND;
            }
            esc = curl_easy_escape(NULL, args[k], 0);
            if (!esc) {
                kw_buf_deinit(&b);
                return KW_ENOMEM;
            }
            kw_buf_adds(&b, esc);
            curl_free(esc);
            p += 2;
            continue;
        }
        kw_buf_add(&b, p, 1);
    }
    if (b.err) {
        kw_err rc = b.err;

        kw_buf_deinit(&b);
        return rc;
    }
    *out = kw_buf_steal(&b);
    return *out ? KW_OK : KW_ENOMEM;
}

static int re_match(const regex_t *re, const char *s)
{
    return regexec(re, s, 0, NULL, 0) == 0;
}

/* Links of a board list page: articles, and further pages up to the
 * source's list depth. */
static kw_err discover_list(crawl *c, const job *j, const src_info *s,
                            const kw__xfer *x, const char *declared,
                            int64_t *new_items)
{
    kw_links *l = NULL;
    char *page_origin = NULL;
    char *base_abs = NULL;
    const char *base;
    kw_err rc;
    size_t i;

    rc = kw_html_links(x->body, x->body_n, declared, &l);
    if (rc) {
        kw_log(KW_LOG_WARN, "crawler", "%s: links: %s", j->url,
               kw_strerror(rc));
        return is_fatal(rc) ? rc : KW_OK;
    }
    rc = kw__url_origin(j->url, &page_origin);
    if (rc)
        goto done;
    /* A <base href> may itself be relative to the page. */
    if (l->base_href &&
        kw_url_canonicalize(j->url, l->base_href, &base_abs) == KW_ENOMEM) {
        rc = KW_ENOMEM;
        goto done;
    }
    base = base_abs ? base_abs : j->url;
    kw_log(KW_LOG_DEBUG, "crawler", "%s: %zu links", j->url, l->n_links);
    for (i = 0; i < l->n_links && !rc; i++) {
        const kw_link *k = &l->links[i];
        char *u = NULL;
        char *mapped = NULL;
        char *o = NULL;
        int is_next;
        int is_article;
        kw_err e;

        if (k->is_script) {
            char *args[SCRIPT_MAX_ARGS];
            int na;

            if (!s || !s->detail_template)
                continue;
            na = script_args(k->href, args);
            if (na < 0) {
                rc = KW_ENOMEM;
                break;
            }
            e = fill_template(s->detail_template, args, na, &mapped);
            script_args_free(args, na);
            if (e == KW_ENOMEM) {
                rc = e;
                break;
            }
            if (e)
                continue;
        }
        e = kw_url_canonicalize(base, mapped ? mapped : k->href, &u);
        kw_free(mapped);
        if (e == KW_ENOMEM) {
            rc = e;
            break;
        }
        if (e || strcmp(u, j->url) == 0) {
            kw_free(u);
            continue;
        }
        is_next = s && s->has_next_re && !k->is_script &&
                  re_match(&s->next_re, u);
        if (s && s->has_link_re) {
            is_article = re_match(&s->link_re, u);
        } else {
            is_article = 0;
            if (k->in_main && kw__url_origin(u, &o) == KW_OK)
                is_article = strcmp(o, page_origin) == 0;
            kw_free(o);
        }
        kw_log(KW_LOG_TRACE, "crawler", "link %s main=%d next=%d article=%d",
               u, k->in_main, is_next, is_article);
        if (is_next) {
            if (j->depth + 1 < (s ? s->list_depth : 1))
                rc = enqueue(c, j->source_id, u, KW_ROLE_LIST, j->depth + 1,
                             new_items);
        } else if (is_article) {
            rc = enqueue(c, j->source_id, u, KW_ROLE_ARTICLE, j->depth + 1,
                         new_items);
        }
        kw_free(u);
    }
done:
    kw_free(base_abs);
    kw_free(page_origin);
    kw_links_free(l);
    return rc;
}

/* ---- Analysis (issue 6) ---------------------------------------------- */

/* Ranks a decision as an event's representative: a body sentence beats
 * the title, a reported date beats the published-date fallback. */
static int decision_rank(const kw_decision *d, const kw_analysis *an,
                         size_t prefix)
{
    const kw_sentence *s = d->sentence_index < an->n_sentences
                               ? &an->sentences[d->sentence_index]
                               : NULL;
    int body = !s || s->offset >= prefix;

    return (body ? 2 : 0) + (d->has_event_date ? 1 : 0);
}

/* Adds the decisions of @an to ev[0..*n_ev): one event per entity,
 * stance and event day, the best ranked sentence as its evidence.
 * @prefix is where the body starts in @an's text (before it: the title);
 * @pub_t/@pub_off date decisions that report no date. */
static void add_events(const kw_gazetteer *g, const kw_analysis *an,
                       size_t prefix, int64_t pub_t, int pub_off,
                       kw_event_rec *ev, int *rank, size_t *n_ev)
{
    size_t i, j;

    for (i = 0; i < an->n_decisions; i++) {
        const kw_decision *d = &an->decisions[i];
        const kw_entity *e = kw_gazetteer_find(g, d->entity_id);
        int64_t at = d->has_event_date ? d->event_date.t : pub_t;
        int off = d->has_event_date ? d->event_date.offset_min : pub_off;
        int rk = decision_rank(d, an, prefix);
        char day[32], oday[32];

        if (d->stance == KW_STANCE_NONE)
            continue;
        /* A result restated in a relative clause (1차에서 탈락한 KT는 ...)
         * is news only with a date of its own; dated by the article it
         * would outrank what the company did since. */
        if (d->is_restated && !d->has_event_date)
            continue;
        kw_time_iso(at, off, day);
        day[10] = '\0';
        for (j = 0; j < *n_ev; j++) {
            if (strcmp(ev[j].entity_id, d->entity_id) != 0 ||
                strcmp(ev[j].stance, kw_stance_name(d->stance)) != 0)
                continue;
            kw_time_iso(ev[j].event_at, ev[j].event_offset, oday);
            oday[10] = '\0';
            if (strcmp(day, oday) == 0)
                break;
        }
        if (j < *n_ev && rank[j] >= rk)
            continue;
        if (j == *n_ev)
            (*n_ev)++;
        rank[j] = rk;
        ev[j].entity_id = d->entity_id;
        ev[j].entity_name = e ? e->name : NULL;
        ev[j].stance = kw_stance_name(d->stance);
        ev[j].sentence = d->sentence;
        ev[j].event_at = at;
        ev[j].event_offset = off;
        ev[j].published_at = pub_t;
        ev[j].published_offset = pub_off;
    }
}

/*
 * Analyses stored article @id (title and text of @r, then the text of
 * its attachments, r->attachments_text) and stores its mentions, events,
 * fingerprint and cluster, inside the caller's transaction.  A ministry
 * notice often says only "첨부 참고": the decisions are in its HWP, so
 * the attachments are analysed too; the story fingerprint is of the page
 * alone, so a notice still clusters with the news copies of it.  One
 * event is kept per entity, stance and event day (the title and several
 * sentences often restate one decision).  @pub is the published time
 * (NULL: unknown; then the fetch time dates undated decisions).  A
 * failure of the analysis itself is logged and leaves the article
 * without analysis; store failures and KW_ENOMEM are returned.
 */
static kw_err analyse_article(crawl *c, int64_t id, const kw_article_rec *r,
                              const kw_date *pub)
{
    const kw_gazetteer *g = c->cfg->gazetteer;
    kw_analysis *an = NULL;
    kw_analysis *an2 = NULL; /* of the attachments, or NULL */
    kw_mention_rec *m = NULL;
    kw_event_rec *ev = NULL;
    int *rank = NULL;
    int64_t *offs = NULL, pub_t;
    size_t prefix = 0, n_ev = 0, n_offs = 0, n_m = 0, n_dec, i, j;
    int pub_off;
    kw_buf doc;
    kw_err rc;

    kw_buf_init(&doc, KW_MAX_TEXT);
    if (r->title && *r->title) {
        kw_buf_adds(&doc, r->title);
        kw_buf_adds(&doc, "\n\n");
        prefix = doc.n;
    }
    kw_buf_adds(&doc, r->text ? r->text : "");
    if (doc.err) {
        rc = doc.err;
        goto done;
    }
    rc = kw_analyze(g, c->cfg->rules, doc.p, doc.n, pub, &an);
    if (!rc && r->attachments_text && *r->attachments_text)
        rc = kw_analyze(g, c->cfg->rules, r->attachments_text,
                        strlen(r->attachments_text), pub, &an2);
    if (rc) {
        kw_log(KW_LOG_WARN, "crawler", "%s: analysis: %s", r->url,
               kw_strerror(rc));
        rc = rc == KW_ENOMEM ? rc : KW_OK;
        goto done;
    }
    pub_t = pub ? pub->t : r->fetched_at;
    pub_off = pub ? pub->offset_min : KW_KST_OFFSET_MIN;

    n_dec = an->n_decisions + (an2 ? an2->n_decisions : 0);
    m = kw_calloc(an->n_mentions + (an2 ? an2->n_mentions : 0) + 1,
                  sizeof(*m));
    ev = kw_calloc(n_dec + 1, sizeof(*ev));
    rank = kw_calloc(n_dec + 1, sizeof(*rank));
    offs = kw_calloc((an->n_sentences + 1) * (an->n_mentions + 1),
                     sizeof(*offs));
    if (!m || !ev || !rank || !offs) {
        rc = KW_ENOMEM;
        goto done;
    }
    for (i = 0; i < an->n_mentions; i++) {
        const kw_mention *mm = &an->mentions[i];
        const kw_entity *e = kw_gazetteer_find(g, mm->entity_id);
        size_t k;

        m[i].entity_id = mm->entity_id;
        m[i].entity_type = e ? e->type : NULL;
        m[i].entity_name = mm->name ? mm->name : (e ? e->name : NULL);
        m[i].count = (int64_t)mm->count;
        m[i].offsets = offs + n_offs;
        /* Offsets into the article's text (title occurrences have none):
         * the first occurrence, then each later sentence naming it. */
        if (mm->first_offset >= prefix)
            offs[n_offs++] = (int64_t)(mm->first_offset - prefix);
        for (j = 0; j < an->n_sentences; j++) {
            const kw_sentence *s = &an->sentences[j];

            if (s->offset < prefix || s->offset <= mm->first_offset)
                continue;
            for (k = 0; k < s->n_entities; k++)
                if (strcmp(s->entities[k].entity_id, mm->entity_id) == 0)
                    break;
            if (k < s->n_entities)
                offs[n_offs++] = (int64_t)(s->offset - prefix);
        }
        m[i].n_offsets = (size_t)(offs + n_offs - m[i].offsets);
    }
    n_m = an->n_mentions;
    /* Names in the attachments count as mentions; they have no offsets
     * in the article's text. */
    for (i = 0; an2 && i < an2->n_mentions; i++) {
        const kw_mention *mm = &an2->mentions[i];
        const kw_entity *e;

        for (j = 0; j < n_m; j++)
            if (strcmp(m[j].entity_id, mm->entity_id) == 0)
                break;
        if (j < n_m) {
            m[j].count += (int64_t)mm->count;
            continue;
        }
        e = kw_gazetteer_find(g, mm->entity_id);
        m[n_m].entity_id = mm->entity_id;
        m[n_m].entity_type = e ? e->type : NULL;
        m[n_m].entity_name = mm->name ? mm->name : (e ? e->name : NULL);
        m[n_m].count = (int64_t)mm->count;
        m[n_m].offsets = offs + n_offs;
        m[n_m].n_offsets = 0;
        n_m++;
    }
    add_events(g, an, prefix, pub_t, pub_off, ev, rank, &n_ev);
    if (an2)
        add_events(g, an2, 0, pub_t, pub_off, ev, rank, &n_ev);
    rc = kw_store_analysis_put(c->st, id, m, n_m, ev, n_ev, an->fingerprint,
                               KW_FINGERPRINT_NEAR, NULL);
    if (rc)
        kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(c->st));
done:
    kw_free(m);
    kw_free(ev);
    kw_free(rank);
    kw_free(offs);
    kw_analysis_free(an);
    kw_analysis_free(an2);
    kw_buf_deinit(&doc);
    return rc;
}

/* Copies the stored article (for its attachments_text) into @ud. */
typedef struct art_copy {
    kw_article_rec r;
    char *title, *text, *url, *att;
    int found;
} art_copy;

static void art_copy_free(art_copy *a)
{
    kw_free(a->title);
    kw_free(a->text);
    kw_free(a->url);
    kw_free(a->att);
}

static kw_err take_article(const kw_article_rec *r, void *ud)
{
    art_copy *a = ud;

    a->found = 1;
    a->r = *r;
    a->title = kw_strdup(r->title);
    a->text = kw_strdup(r->text);
    a->url = kw_strdup(r->url);
    a->att = kw_strdup(r->attachments_text);
    if ((r->title && !a->title) || (r->text && !a->text) ||
        (r->url && !a->url) || (r->attachments_text && !a->att))
        return KW_ENOMEM;
    a->r.title = a->title;
    a->r.text = a->text;
    a->r.url = a->url;
    a->r.attachments_text = a->att;
    a->r.source_name = NULL;
    a->r.canonical_url = a->r.kind = a->r.byline = a->r.site = NULL;
    a->r.department = a->r.lang = NULL;
    return KW_OK;
}

/* Analyses stored article @id again, as stored (after the text of one of
 * its attachments arrived). */
static kw_err reanalyse_stored(crawl *c, int64_t id)
{
    art_copy a;
    kw_date pub;
    kw_err rc;

    memset(&a, 0, sizeof(a));
    memset(&pub, 0, sizeof(pub));
    rc = kw_store_article_get(c->st, id, take_article, &a);
    if (!rc && a.found) {
        pub.has_time = 1;
        pub.t = a.r.published_at;
        pub.offset_min = a.r.published_offset;
        rc = analyse_article(c, id, &a.r, a.r.published_at ? &pub : NULL);
    }
    art_copy_free(&a);
    return rc;
}

/*
 * Extracts the article of a page and stores it.  With @discover, its
 * attachments are added to the frontier.  *changed is 1 when the stored
 * article is new or changed.
 */
static kw_err store_article(crawl *c, int64_t url_id, int64_t source_id,
                            const char *url, int depth, int64_t fetch_id,
                            int64_t fetched_at, const char *body,
                            size_t body_n, const char *declared,
                            int discover, int64_t *new_items, int *changed)
{
    kw_article *a = NULL;
    kw_article_rec r;
    const char **names = NULL;
    char **urls = NULL;
    char *posts = NULL;
    const src_info *src;
    char *canon = NULL;
    int64_t aid = 0;
    size_t n_att = 0;
    size_t i;
    kw_err rc;

    *changed = 0;
    rc = kw_extract(body, body_n, declared, url, &a);
    if (rc) {
        kw_log(KW_LOG_WARN, "crawler", "%s: extract: %s", url,
               kw_strerror(rc));
        return is_fatal(rc) ? rc : KW_OK;
    }
    if (a->kind == KW_KIND_OTHER &&
        (!a->title || !*a->title || !a->text || !*a->text)) {
        kw_log(KW_LOG_INFO, "crawler", "%s: not stored: %s", url,
               a->reason ? a->reason : "no title or text");
        goto done;
    }
    if (a->n_attachments) {
        names = kw_calloc(a->n_attachments, sizeof(*names));
        urls = kw_calloc(a->n_attachments, sizeof(*urls));
        posts = kw_calloc(a->n_attachments, sizeof(*posts));
        if (!names || !urls || !posts) {
            rc = KW_ENOMEM;
            goto done;
        }
    }
    src = find_src(&c->srcs, source_id);
    for (i = 0; i < a->n_attachments; i++) {
        const kw_attachment *at = &a->attachments[i];
        char *u = NULL;
        char *mapped = NULL;
        kw_err e;

        if (!at->url) {
            /* A script-only link: the source's template maps it. */
            char *args[SCRIPT_MAX_ARGS];
            int na;

            if (!at->script || !src || !src->attachment_template)
                continue;
            na = script_args(at->script, args);
            if (na < 0) {
                rc = KW_ENOMEM;
                goto done;
            }
            e = fill_template(src->attachment_template, args, na, &mapped);
            script_args_free(args, na);
            if (e == KW_ENOMEM) {
                rc = e;
                goto done;
            }
            if (e)
                continue;
        }
        e = kw_url_canonicalize(url, mapped ? mapped : at->url, &u);
        kw_free(mapped);
        if (e == KW_ENOMEM) {
            rc = e;
            goto done;
        }
        if (e)
            continue;
        names[n_att] = at->name ? at->name : "";
        posts[n_att] = !at->url && src->attachment_post;
        urls[n_att] = u;
        n_att++;
    }
    if (a->canonical_url &&
        kw_url_canonicalize(url, a->canonical_url, &canon) == KW_ENOMEM) {
        rc = KW_ENOMEM;
        goto done;
    }
    memset(&r, 0, sizeof(r));
    r.url_id = url_id;
    r.source_id = source_id;
    r.fetch_id = fetch_id;
    r.url = url;
    r.canonical_url = canon;
    r.kind = kw_page_kind_name(a->kind);
    r.title = a->title ? a->title : "";
    if (a->has_published) {
        r.published_at = a->published.t;
        r.published_offset = a->published.offset_min;
    }
    r.byline = a->byline;
    r.site = a->site;
    r.department = a->department;
    r.lang = a->lang;
    r.text = a->text ? a->text : "";
    r.fetched_at = fetched_at;
    rc = kw_store_article_put(c->st, &r, names, (const char *const *)urls,
                              n_att, &aid, changed);
    if (rc) {
        kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(c->st));
        goto done;
    }
    /* A reindex (no discovery) analyses again even unchanged text: the
     * gazetteer or the rules may have changed. */
    if (c->cfg->gazetteer && c->cfg->rules && aid && (*changed || !discover)) {
        /* With attachments, the stored row also holds their text. */
        rc = n_att ? reanalyse_stored(c, aid)
                   : analyse_article(c, aid, &r,
                                     a->has_published ? &a->published
                                                      : NULL);
        if (rc)
            goto done;
    }
    for (i = 0; discover && i < n_att && !rc; i++)
        rc = enqueue(c, source_id, urls[i],
                     posts[i] ? KW_ROLE_ATTACHMENT_POST : KW_ROLE_ATTACHMENT,
                     depth + 1, new_items);
done:
    for (i = 0; i < n_att; i++)
        kw_free(urls[i]);
    kw_free(urls);
    kw_free(posts);
    kw_free(names);
    kw_free(canon);
    kw_article_free(a);
    return rc;
}

/*
 * Reads the text of a fetched attachment (HWPX, HWP, PDF ...) and records
 * it for its URL: the notices linking it become searchable by it.  A file
 * that cannot be read is recorded with the reason; only ENOMEM and store
 * failures stop the crawl.
 */
/* Notices analysed again when one attachment's text arrives (a file
 * linked by more is a form or a logo, not a decision). */
#define ATT_MAX_ARTICLES 16

static kw_err store_attachment(crawl *c, const char *url, int64_t fetch_id,
                               const char *body, size_t body_n,
                               const char *content_type)
{
    char *text = NULL;
    const char *format = NULL;
    char why[160];
    int changed = 0;
    kw_err rc;

    rc = kw_attachment_text(body, body_n, NULL, content_type, 0, &text,
                            &format);
    if (rc == KW_ENOMEM)
        return rc;
    if (rc) {
        snprintf(why, sizeof(why), "%s%s%s", format ? format : "",
                 format ? ": " : "", kw_strerror(rc));
        kw_log(KW_LOG_INFO, "crawler", "%s: attachment not read: %s", url,
               why);
    }
    rc = kw_store_attachment_text_put(c->st, url, fetch_id, format,
                                      rc ? NULL : text, rc ? why : NULL,
                                      &changed);
    if (rc)
        kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(c->st));
    kw_free(text);
    /* The notices linking it are analysed again, with its text, when
     * the text is new: the same text again (a reindex, where each
     * notice is analysed with its stored attachments' text anyway, or a
     * file fetched again unchanged) would repeat the same analysis once
     * per file. */
    if (!rc && changed && c->cfg->gazetteer && c->cfg->rules) {
        int64_t ids[ATT_MAX_ARTICLES];
        size_t n = 0, i;

        rc = kw_store_attachment_articles(c->st, url, ids, ATT_MAX_ARTICLES,
                                          &n);
        for (i = 0; !rc && i < n && i < ATT_MAX_ARTICLES; i++)
            rc = reanalyse_stored(c, ids[i]);
    }
    return rc;
}

/* Processes a 2xx body by the URL's role and its source's kind. */
static kw_err process_body(crawl *c, const job *j, const kw__xfer *x,
                           int64_t fetch_id, int64_t *new_items)
{
    const src_info *s = find_src(&c->srcs, j->source_id);
    char declared[64];
    const char *decl;
    int changed = 0;
    kw_err rc;

    kw__content_type_charset(x->content_type, declared, sizeof(declared));
    decl = s && s->charset ? s->charset : (declared[0] ? declared : NULL);
    switch (j->role) {
    case KW_ROLE_SEED:
        if (!s)
            return KW_OK;
        if (s->kind == KW_SRC_LIST)
            return discover_list(c, j, s, x, decl, new_items);
        if (s->kind != KW_SRC_PAGE)
            return discover_feed(c, j, x, decl, new_items);
        break;
    case KW_ROLE_SITEMAP:
        return discover_feed(c, j, x, decl, new_items);
    case KW_ROLE_LIST:
        return discover_list(c, j, s, x, decl, new_items);
    case KW_ROLE_ARTICLE:
        break;
    case KW_ROLE_ATTACHMENT:
    case KW_ROLE_ATTACHMENT_POST:
        return store_attachment(c, j->url, fetch_id, x->body, x->body_n,
                                x->content_type);
    default:
        return KW_OK;
    }
    rc = store_article(c, j->url_id, j->source_id, j->url, j->depth,
                       fetch_id, x->at, x->body, x->body_n, decl, 1,
                       new_items, &changed);
    if (!rc && changed)
        c->stats->articles++;
    return rc;
}

static kw_err ensure_warc(crawl *c)
{
    kw_err rc;

    if (c->warc)
        return KW_OK;
    rc = kw_warc_open(c->cfg->archive_dir ? c->cfg->archive_dir : "archive",
                      c->cfg->warc_max_bytes, "kowatch/" KW_VERSION,
                      &c->warc);
    if (!rc)
        kw_warc_defer_sync(c->warc, 1); /* drain() syncs each batch */
    if (rc)
        kw_log(KW_LOG_ERROR, "crawler", "archive %s: %s",
               c->cfg->archive_dir, kw_strerror(rc));
    return rc;
}

/* Archives a complete exchange; @pos receives where. */
static kw_err archive(crawl *c, const kw__xfer *x, kw_warc_pos *pos)
{
    kw_err rc = ensure_warc(c);

    if (rc)
        return rc;
    rc = kw_warc_write_exchange(c->warc, x->url, x->at, x->req_head,
                                x->req_n, x->resp_head, x->resp_n, x->body,
                                x->body_n, pos);
    if (rc)
        kw_log(KW_LOG_ERROR, "crawler", "archive %s: %s", x->url,
               kw_strerror(rc));
    return rc;
}

/*
 * Records a poll of source @s (NULL if it is gone) through its seed @j,
 * whose fetch @f is already recorded, inside the caller's transaction.
 * After a success (@f->state OK) the interval adapts to whether the poll
 * yielded new URLs (@new_items) or changed the watched page
 * (@page_changed), and the seed is rescheduled to match; after a failure
 * it stays.  *interval receives the interval now in force, for the
 * caller to keep once the transaction commits.
 */
static kw_err seed_polled(crawl *c, const job *j, const src_info *s,
                          const kw_fetch *f, int64_t now,
                          const char *poll_error, int64_t new_items,
                          int page_changed, int64_t *interval)
{
    int64_t cur = 0;
    int64_t due;
    kw_err rc;

    *interval = 0;
    if (!s)
        return kw_store_source_polled(c->st, j->source_id, now, poll_error,
                                      new_items, now + 3600);
    /* The store's value, not s->interval_s: another process may have
     * polled the source since this run loaded it. */
    rc = kw_store_source_interval(c->st, s->id, &cur);
    if (rc)
        return rc;
    cur = clamp_interval(s, cur);
    if (f->state == KW_URL_OK) {
        int64_t next = adapt_interval(s, cur, new_items > 0 || page_changed);

        kw_log(KW_LOG_DEBUG, "crawler",
               "source %s: %lld new, interval %lld s -> %lld s", s->name,
               (long long)new_items, (long long)cur, (long long)next);
        cur = next;
        rc = kw_store_source_set_interval(c->st, s->id, cur);
        if (!rc)
            rc = kw_store_url_reschedule(c->st, j->url_id, now + cur);
        if (rc)
            return rc;
    }
    due = f->state == KW_URL_RETRY ? f->next_fetch_at : now + cur;
    rc = kw_store_source_polled(c->st, j->source_id, now, poll_error,
                                new_items, due);
    if (!rc)
        *interval = cur;
    return rc;
}

/*
 * The pipeline for one finished transfer of a frontier URL: archive it,
 * then commit its fetch record, the URL's new state, what it yields and
 * its source's health in one transaction.
 */
static kw_err handle_page(crawl *c, job *j, const kw__xfer *x)
{
    kw_warc_pos pos;
    kw_fetch f;
    int64_t now = kw_now();
    int64_t new_items = 0;
    int64_t fetch_id = 0;
    int process = 0;
    char errtext[64];
    const char *poll_error = NULL;
    int64_t articles_before = c->stats->articles;
    src_info *s = NULL;
    int64_t interval = 0;
    kw_err rc;

    memset(&f, 0, sizeof(f));
    memset(&pos, 0, sizeof(pos));
    f.warc_offset = -1;
    if (x->fail == KW__XFER_OK) {
        rc = archive(c, x, &pos);
        if (rc)
            return rc;
        f.warc_file = pos.file;
        f.warc_offset = pos.offset;
        f.warc_length = pos.length;
        c->stats->fetched++;
        c->stats->bytes += (int64_t)x->body_n;
    }
    f.url_id = j->url_id;
    f.at = x->at;
    f.status = x->status;
    f.content_type = x->content_type;
    f.bytes = (int64_t)x->body_n;
    f.elapsed_ms = x->elapsed_ms;
    f.error = x->error;
    f.failures = j->failures;

    if (x->fail != KW__XFER_OK) {
        c->stats->errors++;
        f.failures = j->failures + 1;
        if (x->fail == KW__XFER_TOO_BIG || x->fail == KW__XFER_REDIRECTS ||
            x->fail == KW__XFER_PROTOCOL ||
            f.failures >= c->cfg->max_failures) {
            f.state = KW_URL_FAILED;
            f.next_fetch_at = INT64_MAX;
        } else {
            f.state = KW_URL_RETRY;
            f.next_fetch_at = now + backoff_s(c, f.failures, 0);
        }
        poll_error = x->error;
        kw_log(KW_LOG_INFO, "crawler", "%s: %s", j->url, x->error);
    } else if (x->status == 304) {
        c->stats->not_modified++;
        f.state = KW_URL_OK;
        f.failures = 0;
        f.next_fetch_at = next_ok_fetch(c, j, now);
    } else if (x->status >= 200 && x->status < 300) {
        f.state = KW_URL_OK;
        f.failures = 0;
        f.next_fetch_at = next_ok_fetch(c, j, now);
        f.etag = x->etag;
        f.last_modified = x->last_modified;
        process = 1;
    } else {
        c->stats->errors++;
        f.failures = j->failures + 1;
        snprintf(errtext, sizeof(errtext), "HTTP %d", x->status);
        if (!f.error)
            f.error = errtext;
        poll_error = f.error;
        if ((x->status == 429 || x->status >= 500) &&
            f.failures < c->cfg->max_failures) {
            f.state = KW_URL_RETRY;
            f.next_fetch_at =
                now + backoff_s(c, f.failures, x->retry_after_s);
        } else {
            f.state = KW_URL_FAILED;
            f.next_fetch_at = INT64_MAX;
        }
        kw_log(KW_LOG_INFO, "crawler", "%s: HTTP %d", j->url, x->status);
    }

    rc = kw_store_begin(c->st);
    if (rc)
        goto db_fail;
    rc = kw_store_fetch_add(c->st, &f, &fetch_id);
    if (rc)
        goto db_fail;
    if (process) {
        rc = process_body(c, j, x, fetch_id, &new_items);
        if (rc)
            goto fail;
    }
    if (j->role == KW_ROLE_SEED && j->source_id) {
        s = find_src(&c->srcs, j->source_id);
        c->stats->sources++;
        rc = seed_polled(c, j, s, &f, now, poll_error, new_items,
                         c->stats->articles != articles_before, &interval);
        if (rc)
            goto db_fail;
    }
    rc = kw_store_commit(c->st);
    if (rc)
        goto db_fail;
    if (s)
        s->interval_s = interval;
    return KW_OK;
db_fail:
    kw_log(KW_LOG_ERROR, "crawler", "%s: %s", j->url, kw_store_errmsg(c->st));
fail:
    kw_store_rollback(c->st);
    return rc;
}

/* ---- robots.txt ------------------------------------------------------- */

typedef struct host_copy {
    char *robots;
    int status;
    int64_t expires_at;
    int found;
} host_copy;

static kw_err copy_host(const kw_host_rec *h, void *ud)
{
    host_copy *hc = ud;

    hc->found = 1;
    hc->status = h->robots_status;
    hc->expires_at = h->expires_at;
    if (h->robots) {
        hc->robots = kw_strdup(h->robots);
        if (!hc->robots)
            return KW_ENOMEM;
    }
    return KW_OK;
}

/* Sets an origin's rules from a robots.txt answer: 2xx rules, anything
 * else allow-all (callers handle the unavailable cases first). */
static kw_err apply_robots(crawl *c, origin *o, int status, const char *body,
                           size_t n)
{
    kw_err rc;
    int64_t d;

    kw_robots_free(o->robots);
    o->robots = NULL;
    o->delay_ms = c->cfg->host_delay_ms;
    if (status >= 200 && status < 300 && body) {
        rc = kw_robots_parse(body, n, ROBOTS_AGENT, &o->robots);
        if (rc)
            return rc;
        d = kw_robots_crawl_delay_ms(o->robots);
        if (d > c->cfg->max_crawl_delay_ms)
            d = c->cfg->max_crawl_delay_ms;
        if (d > o->delay_ms)
            o->delay_ms = d;
    }
    o->robots_state = ROBOTS_READY;
    return KW_OK;
}

/* 1 if canonical @url is on origin @name.  -1 on ENOMEM. */
static int on_origin(const char *url, const char *name)
{
    char *o = NULL;
    kw_err rc = kw__url_origin(url, &o);
    int same;

    if (rc == KW_ENOMEM)
        return -1;
    same = !rc && strcmp(o, name) == 0;
    kw_free(o);
    return same;
}

/*
 * The Sitemap: lines of @o's robots.txt seed its sitemap sources: each
 * sitemap URL on @o itself (a robots.txt may not vouch for another site)
 * is added to the frontier as a sitemap of every selected source of kind
 * sitemap whose own URL is on @o; the first such source owns it (a URL
 * belongs to one source).  Relative Sitemap: values are resolved against
 * the robots.txt URL, leniently.  Adding a known URL changes nothing, so
 * this runs whenever @o's rules are (re)loaded.
 */
static kw_err sitemaps_from_robots(crawl *c, origin *o)
{
    size_t n = o->robots ? kw_robots_sitemap_count(o->robots) : 0;
    char *robots_url = NULL;
    int64_t unused = 0;
    int in_tx = 0;
    size_t i;
    size_t k;
    kw_buf b;
    kw_err rc = KW_OK;

    if (n == 0)
        return KW_OK;
    kw_buf_init(&b, KW_MAX_URL);
    kw_buf_addf(&b, "%s/robots.txt", o->name);
    robots_url = kw_buf_steal(&b);
    kw_buf_deinit(&b);
    if (!robots_url)
        return KW_ENOMEM;
    for (k = 0; k < c->srcs.n && !rc; k++) {
        const src_info *s = &c->srcs.v[k];
        char *seed = NULL;
        int same;

        if (s->kind != KW_SRC_SITEMAP)
            continue;
        rc = kw_url_canonicalize(NULL, s->url, &seed);
        if (rc) {
            rc = rc == KW_ENOMEM ? rc : KW_OK;
            continue;
        }
        same = on_origin(seed, o->name);
        kw_free(seed);
        if (same < 0)
            rc = KW_ENOMEM;
        if (same <= 0)
            continue;
        for (i = 0; i < n && !rc; i++) {
            char *u = NULL;
            kw_err e;

            e = kw_url_canonicalize(robots_url,
                                    kw_robots_sitemap(o->robots, i), &u);
            if (e) {
                rc = e == KW_ENOMEM ? e : KW_OK;
                continue;
            }
            same = on_origin(u, o->name);
            if (same < 0)
                rc = KW_ENOMEM;
            if (same > 0 && !in_tx) {
                rc = kw_store_begin(c->st);
                in_tx = !rc;
            }
            if (same > 0 && !rc) {
                kw_log(KW_LOG_DEBUG, "crawler",
                       "source %s: sitemap %s from robots.txt", s->name, u);
                rc = enqueue(c, s->id, u, KW_ROLE_SITEMAP, 1, &unused);
            } else if (same == 0) {
                kw_log(KW_LOG_INFO, "crawler",
                       "%s: robots.txt sitemap %s is on another site; "
                       "ignored", o->name, u);
            }
            kw_free(u);
        }
    }
    if (in_tx) {
        if (rc)
            kw_store_rollback(c->st);
        else
            rc = kw_store_commit(c->st);
    }
    kw_free(robots_url);
    return rc;
}

/* Uses a cached, unexpired robots.txt of @o if the store has one. */
static kw_err robots_from_cache(crawl *c, origin *o, int *used)
{
    host_copy hc;
    kw_err rc;

    *used = 0;
    memset(&hc, 0, sizeof(hc));
    rc = kw_store_host_get(c->st, o->name, copy_host, &hc);
    if (rc == KW_ENOTFOUND)
        return KW_OK;
    if (rc)
        goto done;
    if (hc.expires_at <= kw_now() || hc.status == 0 || hc.status >= 500 ||
        hc.status == 429)
        goto done;
    rc = apply_robots(c, o, hc.status, hc.robots,
                      hc.robots ? strlen(hc.robots) : 0);
    if (!rc)
        rc = sitemaps_from_robots(c, o);
    if (!rc)
        *used = 1;
done:
    kw_free(hc.robots);
    return rc;
}

static kw_err start_robots(crawl *c, origin *o)
{
    job *j = kw_calloc(1, sizeof(*j));
    kw_buf b;
    kw_err rc;

    if (!j)
        return KW_ENOMEM;
    kw_buf_init(&b, KW_MAX_URL);
    kw_buf_addf(&b, "%s/robots.txt", o->name);
    j->url = kw_buf_steal(&b);
    kw_buf_deinit(&b);
    if (!j->url) {
        job_free(j);
        return KW_ENOMEM;
    }
    j->is_robots = 1;
    j->origin = o;
    rc = kw__engine_add(c->eng, j->url, NULL, NULL, NULL, KW_MAX_ROBOTS, 1,
                        j);
    if (rc) {
        job_free(j);
        return rc;
    }
    o->busy = 1;
    o->robots_state = ROBOTS_FETCHING;
    return KW_OK;
}

/* robots.txt answered (or did not): archive it, cache it, set rules. */
static kw_err handle_robots(crawl *c, origin *o, const kw__xfer *x)
{
    kw_warc_pos pos;
    kw_host_rec h;
    int64_t now = kw_now();
    kw_err rc;

    if (x->fail == KW__XFER_OK) {
        rc = archive(c, x, &pos);
        if (rc)
            return rc;
        c->stats->fetched++;
        c->stats->bytes += (int64_t)x->body_n;
    }
    if ((x->fail != KW__XFER_OK && x->fail != KW__XFER_REDIRECTS) ||
        x->status == 0 || x->status >= 500 || x->status == 429) {
        kw_log(KW_LOG_WARN, "crawler",
               "%s: robots.txt unavailable (%s); retrying later", o->name,
               x->error ? x->error : "server error");
        o->robots_state = ROBOTS_DOWN;
        o->down_until_ms = kw_mono_ms() + (int64_t)DOWN_RETRY_S * 1000;
        return KW_OK;
    }
    /* Too many redirects counts as unavailable, i.e. allow all (RFC 9309
     * 2.3.1.2), as do 4xx answers. */
    rc = apply_robots(c, o, x->fail == KW__XFER_OK ? x->status : 404,
                      x->body, x->body_n);
    if (rc)
        return rc;
    memset(&h, 0, sizeof(h));
    h.host = o->name;
    h.robots = x->status >= 200 && x->status < 300 ? x->body : NULL;
    h.robots_status = x->fail == KW__XFER_OK ? x->status : 404;
    h.fetched_at = now;
    h.expires_at = now + c->cfg->robots_ttl_s;
    rc = kw_store_host_put(c->st, &h);
    if (rc) {
        kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(c->st));
        return rc;
    }
    return sitemaps_from_robots(c, o);
}

/* ---- The run loop ------------------------------------------------------ */

typedef struct job_batch {
    job *head;
    job *tail;
    size_t n_new;      /* rows not seen before in this run */
    size_t n_rows;     /* rows returned */
    idset *seen;
    kw_err err;
} job_batch;

static kw_err take_due(const kw_url *u, void *ud)
{
    job_batch *b = ud;
    job *j;
    kw_err rc;

    b->n_rows++;
    if (idset_has(b->seen, u->id))
        return KW_OK;
    j = job_from_url(u);
    if (!j)
        return KW_ENOMEM;
    rc = idset_add(b->seen, u->id);
    if (rc) {
        job_free(j);
        return rc;
    }
    if (b->tail)
        b->tail->next = j;
    else
        b->head = j;
    b->tail = j;
    b->n_new++;
    return KW_OK;
}

/* Puts jobs into their origins' queues; a URL without a usable origin is
 * recorded as failed. */
static kw_err distribute(crawl *c, job *list)
{
    kw_err rc = KW_OK;
    job *next;

    for (; list; list = next) {
        char *name = NULL;
        origin *o;
        kw_err e;

        next = list->next;
        list->next = NULL;
        if (rc) {
            job_free(list);
            continue;
        }
        e = kw__url_origin(list->url, &name);
        if (e == KW_ENOMEM) {
            rc = e;
            job_free(list);
            continue;
        }
        if (e) {
            rc = record_no_request(c, list, "not an http(s) URL",
                                   KW_URL_FAILED, INT64_MAX);
            job_done(c, list);
            continue;
        }
        o = origin_get(c, name);
        kw_free(name);
        if (!o) {
            rc = KW_ENOMEM;
            job_free(list);
            continue;
        }
        origin_push(c, o, list);
    }
    return rc;
}

/* Loads due URLs from the store.  *n_new receives how many were new to
 * this run. */
static kw_err refill(crawl *c, size_t *n_new)
{
    job_batch b;
    size_t limit = c->n_pending + kw__engine_active(c->eng) + REFILL_BATCH;
    kw_err rc;

    *n_new = 0;
    for (;;) {
        memset(&b, 0, sizeof(b));
        b.seen = &c->seen;
        rc = kw_store_url_due(c->st, kw_now(), c->only_id, limit, take_due,
                              &b);
        if (rc) {
            if (rc == KW_EDB)
                kw_log(KW_LOG_ERROR, "crawler", "%s",
                       kw_store_errmsg(c->st));
            while (b.head) {
                job *n = b.head->next;

                job_free(b.head);
                b.head = n;
            }
            return rc;
        }
        *n_new += b.n_new;
        rc = distribute(c, b.head);
        if (rc)
            return rc;
        /* A full batch of rows already taken: look further. */
        if (b.n_rows < limit || b.n_new > 0 || limit > ((size_t)1 << 24))
            return KW_OK;
        limit *= 2;
    }
}

typedef struct seed_ref {
    int64_t source_id;
    const char *url;
} seed_ref;

typedef struct seed_get {
    crawl *c;
    job *j;
} seed_get;

static kw_err take_seed(const kw_url *u, void *ud)
{
    seed_get *g = ud;

    g->j = job_from_url(u);
    return g->j ? KW_OK : KW_ENOMEM;
}

/* Puts every selected source's seed into the frontier; for a `once` run
 * also queues it now, whatever its schedule. */
static kw_err add_seeds(crawl *c)
{
    size_t i;
    kw_err rc = KW_OK;
    job *list = NULL;
    job **tail = &list;

    for (i = 0; i < c->srcs.n && !rc; i++) {
        const src_info *s = &c->srcs.v[i];
        char *u = NULL;
        seed_get g;
        kw_err e;

        e = kw_url_canonicalize(NULL, s->url, &u);
        if (e == KW_ENOMEM) {
            rc = e;
            break;
        }
        if (e) {
            kw_log(KW_LOG_WARN, "crawler", "source %s: bad URL %s", s->name,
                   s->url);
            continue;
        }
        rc = kw_store_url_add(c->st, s->id, u, KW_ROLE_SEED, 0, NULL, NULL);
        if (rc) {
            kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(c->st));
            kw_free(u);
            break;
        }
        if (c->cfg->once) {
            memset(&g, 0, sizeof(g));
            g.c = c;
            rc = kw_store_url_get(c->st, u, take_seed, &g);
            if (!rc && g.j && !idset_has(&c->seen, g.j->url_id)) {
                rc = idset_add(&c->seen, g.j->url_id);
                *tail = g.j;
                tail = &g.j->next;
            } else {
                job_free(g.j);
            }
        }
        kw_free(u);
    }
    if (rc) {
        while (list) {
            job *n = list->next;

            job_free(list);
            list = n;
        }
        return rc;
    }
    return distribute(c, list);
}

/* Records every pending job of an origin whose robots.txt is unavailable
 * as deferred. */
static kw_err defer_origin(crawl *c, origin *o)
{
    int64_t next = kw_now() + DOWN_RETRY_S;
    kw_err rc = KW_OK;
    job *j;

    while ((j = origin_pop(c, o)) != NULL) {
        if (!rc)
            rc = record_no_request(c, j, "robots.txt unavailable",
                                   j->state, next);
        job_done(c, j);
    }
    return rc;
}

/*
 * Starts the transfer of @j: a GET, conditional when the URL has
 * validators, or for an attachment-post URL a POST of its query as a
 * form body to the URL without it.
 */
static kw_err start_job(crawl *c, job *j)
{
    const char *q;
    char *action;
    kw_err rc;

    if (j->role != KW_ROLE_ATTACHMENT_POST || !(q = strchr(j->url, '?')))
        return kw__engine_add(c->eng, j->url, NULL, j->etag, j->last_modified,
                              c->cfg->max_body, 0, j);
    action = kw_strndup(j->url, (size_t)(q - j->url));
    if (!action)
        return KW_ENOMEM;
    rc = kw__engine_add(c->eng, action, q + 1, NULL, NULL, c->cfg->max_body,
                        0, j);
    kw_free(action);
    return rc;
}

/*
 * Starts what may start now.  *wait_ms receives how long until an origin
 * that has work becomes ready (unchanged if none waits).
 */
static kw_err dispatch(crawl *c, int64_t *wait_ms)
{
    origin *o;
    kw_err rc = KW_OK;

    for (o = c->origins; o && !rc; o = o->next) {
        int64_t now_ms;

        if (!o->head || o->busy)
            continue;
        if (kw__engine_active(c->eng) >= c->cfg->concurrency)
            break;
        now_ms = kw_mono_ms();
        if (o->robots_state == ROBOTS_DOWN) {
            if (c->cfg->once || now_ms < o->down_until_ms) {
                rc = defer_origin(c, o);
                continue;
            }
            o->robots_state = ROBOTS_UNKNOWN;
        }
        if (now_ms < o->next_ok_ms) {
            if (o->next_ok_ms - now_ms < *wait_ms)
                *wait_ms = o->next_ok_ms - now_ms;
            continue;
        }
        if (o->robots_state == ROBOTS_UNKNOWN) {
            int used = 0;

            rc = robots_from_cache(c, o, &used);
            if (rc)
                break;
            if (!used) {
                rc = start_robots(c, o);
                continue;
            }
        }
        if (o->robots_state != ROBOTS_READY)
            continue;
        while (o->head && !o->busy && !rc) {
            job *j = origin_pop(c, o);
            char *pq = NULL;
            int allowed = 1;

            if (o->robots) {
                rc = kw__url_path_query(j->url, &pq);
                if (rc) {
                    job_free(j);
                    break;
                }
                allowed = kw_robots_allowed(o->robots, pq);
                kw_free(pq);
            }
            if (!allowed) {
                c->stats->denied++;
                kw_log(KW_LOG_INFO, "crawler", "%s: disallowed by robots.txt",
                       j->url);
                rc = record_no_request(c, j, "disallowed by robots.txt",
                                       KW_URL_DENIED, INT64_MAX);
                job_done(c, j);
                continue;
            }
            rc = start_job(c, j);
            if (rc) {
                job_free(j);
                break;
            }
            o->busy = 1;
        }
    }
    return rc;
}

/* Handles every finished transfer; *n receives how many. */
/*
 * Group commit: the transfers that finished together are recorded in one
 * transaction, and their archive records are made durable by one fsync
 * just before it commits (the database never points at a record that a
 * power cut could take back).  A kill at any moment loses at most the
 * uncommitted batch, whose URLs are fetched again on restart.
 */
static kw_err drain(crawl *c, size_t *n)
{
    kw__xfer *x;
    int64_t articles_before = c->stats->articles;
    int in_tx = 0;
    kw_err rc = KW_OK;

    *n = 0;
    while ((x = kw__engine_done(c->eng)) != NULL) {
        job *j = x->ud;
        origin *o = j->origin;

        (*n)++;
        o->busy = 0;
        if (!rc && !in_tx) {
            rc = kw_store_begin(c->st);
            in_tx = rc == KW_OK;
            if (rc)
                kw_log(KW_LOG_ERROR, "crawler", "%s",
                       kw_store_errmsg(c->st));
        }
        if (!rc) {
            if (j->is_robots)
                rc = handle_robots(c, o, x);
            else
                rc = handle_page(c, j, x);
        }
        /* After robots.txt, the delay is the one it sets. */
        o->next_ok_ms = x->end_ms + o->delay_ms;
        job_done(c, j);
        kw__xfer_free(x);
    }
    if (!in_tx)
        return rc;
    if (!rc && c->warc) {
        rc = kw_warc_sync(c->warc);
        if (rc)
            kw_log(KW_LOG_ERROR, "crawler", "archive: fsync: %s",
                   kw_strerror(rc));
    }
    if (!rc) {
        rc = kw_store_commit(c->st);
        if (rc)
            kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(c->st));
    } else {
        kw_store_rollback(c->st);
    }
    /* Alerts and the like look at what is committed, outside it. */
    if (!rc && c->cfg->on_commit && c->stats->articles != articles_before)
        c->cfg->on_commit(c->cfg->on_commit_ud);
    return rc;
}

static void report(crawl *c)
{
    int64_t q = 0;

    c->stats->elapsed_ms = kw_mono_ms() - c->t0_ms;
    if (kw_store_url_count_due(c->st, kw_now(), c->only_id, &q) == KW_OK)
        c->stats->queued = q;
    if (c->cfg->progress)
        c->cfg->progress(c->stats, c->cfg->progress_ud);
}

/*
 * Refills from the store when few jobs are queued (after transfers end,
 * and at least once a second), starts what may start, and waits for the
 * engine.  A `once` run ends when nothing is queued, nothing is in
 * flight and the store has nothing due that this run has not taken.
 */
static kw_err run_loop(crawl *c)
{
    int64_t last_report = kw_mono_ms();
    int64_t last_refill = 0;
    int need_refill = 1;
    kw_err rc;

    for (;;) {
        int64_t wait_ms = IDLE_POLL_MS;
        int64_t now_ms = kw_mono_ms();
        size_t n_new = 0;
        size_t n_done = 0;
        int refilled = 0;

        if (c->cfg->stop && *c->cfg->stop)
            return KW_OK;
        if (c->n_pending < 8 * c->cfg->concurrency + 64 &&
            (need_refill || now_ms - last_refill >= 1000)) {
            rc = refill(c, &n_new);
            if (rc)
                return rc;
            last_refill = now_ms;
            need_refill = 0;
            refilled = 1;
        }
        rc = dispatch(c, &wait_ms);
        if (rc)
            return rc;
        if (c->cfg->once && c->n_pending == 0 &&
            kw__engine_active(c->eng) == 0) {
            if (refilled && n_new == 0)
                return KW_OK;
            need_refill = 1;
            continue;
        }
        rc = kw__engine_run(c->eng, (int)(wait_ms < 0 ? 0 : wait_ms));
        if (rc)
            return rc;
        rc = drain(c, &n_done);
        if (rc)
            return rc;
        if (n_done)
            need_refill = 1;
        if (kw_mono_ms() - last_report >= 1000) {
            report(c);
            last_report = kw_mono_ms();
        }
    }
}

static int64_t find_only_id(const src_list *l, const char *only)
{
    if (!only || l->n == 0)
        return 0;
    return l->v[0].id;
}

kw_err kw_crawler_run(kw_store *st, const kw_crawler_config *cfg,
                      kw_crawl_stats *stats)
{
    crawl *c;
    kw_crawl_stats local;
    kw_err rc;

    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    if (!st || !cfg || cfg->concurrency == 0)
        return KW_EINVAL;
    c = kw_calloc(1, sizeof(*c));
    if (!c)
        return KW_ENOMEM;
    c->st = st;
    c->cfg = cfg;
    c->stats = stats;
    c->t0_ms = kw_mono_ms();
    c->rng = (uint64_t)c->t0_ms * UINT64_C(2654435761) ^ (uint64_t)kw_now();
    if (!c->rng)
        c->rng = 88172645463325252u;
    rc = load_sources(st, cfg->only_source, &c->srcs);
    if (rc) {
        kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(st));
        goto done;
    }
    if (cfg->only_source && c->srcs.n == 0) {
        kw_log(KW_LOG_ERROR, "crawler", "no source named %s",
               cfg->only_source);
        rc = KW_ENOTFOUND;
        goto done;
    }
    c->only_id = find_only_id(&c->srcs, cfg->only_source);
    rc = kw__engine_new(cfg, &c->eng);
    if (rc)
        goto done;
    rc = add_seeds(c);
    if (rc)
        goto done;
    rc = run_loop(c);
done:
    kw__engine_free(c->eng, release_job);
    origins_free(c);
    report(c);
    kw_warc_close(c->warc);
    src_list_deinit(&c->srcs);
    kw_free(c->seen.v);
    kw_free(c);
    return rc;
}

/* ---- Reindex ----------------------------------------------------------- */

typedef struct fetch_copy {
    int64_t id;
    int64_t url_id;
    char *url;
    char *content_type;
    char *warc_file;
    int64_t warc_offset;
    int64_t warc_length;
    int64_t at;
} fetch_copy;

typedef struct fetch_vec {
    fetch_copy *v;
    size_t n;
    size_t cap;
} fetch_vec;

static kw_err copy_fetch(const kw_fetch_row *f, void *ud)
{
    fetch_vec *fv = ud;
    fetch_copy *d;

    if (!f->warc_file || f->warc_offset < 0)
        return KW_OK;
    if (fv->n == fv->cap) {
        size_t cap = fv->cap ? fv->cap * 2 : 64;
        fetch_copy *v = kw_realloc(fv->v, cap * sizeof(*v));

        if (!v)
            return KW_ENOMEM;
        fv->v = v;
        fv->cap = cap;
    }
    d = &fv->v[fv->n++];
    memset(d, 0, sizeof(*d));
    d->id = f->id;
    d->url_id = f->url_id;
    d->warc_offset = f->warc_offset;
    d->warc_length = f->warc_length;
    d->at = f->at;
    d->url = kw_strdup(f->url);
    d->content_type = kw_strdup(f->content_type);
    d->warc_file = kw_strdup(f->warc_file);
    if (!d->url || !d->warc_file || (f->content_type && !d->content_type))
        return KW_ENOMEM;
    return KW_OK;
}

static void fetch_vec_free(fetch_vec *fv)
{
    size_t i;

    for (i = 0; i < fv->n; i++) {
        kw_free(fv->v[i].url);
        kw_free(fv->v[i].content_type);
        kw_free(fv->v[i].warc_file);
    }
    kw_free(fv->v);
}

/* Re-extracts one archived page. */
static kw_err reindex_one(crawl *c, const fetch_copy *fc)
{
    seed_get g;
    const src_info *s;
    char *head = NULL;
    char *body = NULL;
    size_t head_n = 0;
    size_t body_n = 0;
    char declared[64];
    const char *decl;
    int64_t unused = 0;
    int changed = 0;
    int is_att;
    kw_err rc;

    memset(&g, 0, sizeof(g));
    rc = kw_store_url_get(c->st, fc->url, take_seed, &g);
    if (rc)
        return rc == KW_ENOTFOUND ? KW_OK : rc;
    s = find_src(&c->srcs, g.j->source_id);
    is_att = g.j->role == KW_ROLE_ATTACHMENT ||
             g.j->role == KW_ROLE_ATTACHMENT_POST;
    if (g.j->role != KW_ROLE_ARTICLE && !is_att &&
        !(g.j->role == KW_ROLE_SEED && s && s->kind == KW_SRC_PAGE))
        goto done;
    rc = kw_warc_read_response(fc->warc_file, fc->warc_offset,
                               fc->warc_length, c->cfg->max_body, &head,
                               &head_n, &body, &body_n);
    if (rc) {
        kw_log(KW_LOG_WARN, "crawler", "reindex %s: %s at %s:%lld: %s",
               fc->url, "archive record", fc->warc_file,
               (long long)fc->warc_offset, kw_strerror(rc));
        rc = is_fatal(rc) && rc != KW_EIO ? rc : KW_OK;
        goto done;
    }
    kw__content_type_charset(fc->content_type, declared, sizeof(declared));
    decl = s && s->charset ? s->charset : (declared[0] ? declared : NULL);
    rc = kw_store_begin(c->st);
    if (rc)
        goto done;
    if (is_att)
        rc = store_attachment(c, fc->url, fc->id, body, body_n,
                              fc->content_type);
    else
        rc = store_article(c, fc->url_id, g.j->source_id, fc->url,
                           g.j->depth, fc->id, fc->at, body, body_n, decl, 0,
                           &unused, &changed);
    if (rc) {
        kw_store_rollback(c->st);
        goto done;
    }
    rc = kw_store_commit(c->st);
    if (!rc && changed)
        c->stats->articles++;
    if (!rc && c->cfg->on_commit)
        c->cfg->on_commit(c->cfg->on_commit_ud);
done:
    job_free(g.j);
    kw_free(head);
    kw_free(body);
    return rc;
}

kw_err kw_crawler_reindex(kw_store *st, const kw_crawler_config *cfg,
                          kw_crawl_stats *stats)
{
    crawl *c;
    fetch_vec fv;
    kw_crawl_stats local;
    size_t i;
    kw_err rc;

    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    if (!st || !cfg)
        return KW_EINVAL;
    memset(&fv, 0, sizeof(fv));
    c = kw_calloc(1, sizeof(*c));
    if (!c)
        return KW_ENOMEM;
    c->st = st;
    c->cfg = cfg;
    c->stats = stats;
    c->t0_ms = kw_mono_ms();
    rc = load_sources(st, NULL, &c->srcs);
    if (rc)
        goto done;
    rc = kw_store_fetch_each_latest(st, copy_fetch, &fv);
    if (rc)
        goto done;
    for (i = 0; i < fv.n && !rc; i++) {
        rc = reindex_one(c, &fv.v[i]);
        stats->fetched++;
    }
done:
    if (rc == KW_EDB)
        kw_log(KW_LOG_ERROR, "crawler", "%s", kw_store_errmsg(st));
    stats->elapsed_ms = kw_mono_ms() - c->t0_ms;
    if (cfg->progress)
        cfg->progress(stats, cfg->progress_ud);
    fetch_vec_free(&fv);
    src_list_deinit(&c->srcs);
    kw_free(c);
    return rc;
}
