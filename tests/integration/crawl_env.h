/*
 * crawl_env.h -- the set-up every crawler integration test shares: a
 * temporary directory with a store and an archive, the in-process test
 * server, a crawler configuration for fast tests, and readers of what the
 * crawl stored.  Header-only because each integration test is its own
 * program; functions are static inline so a test that does not use one
 * gets no warning.  Include after <cmocka.h> and the kw headers.
 */
#ifndef KW_CRAWL_ENV_H
#define KW_CRAWL_ENV_H

#include <dirent.h>
#include <zlib.h>

/* KW_TEST_LOG=1 shows the crawler's log on stderr. */
static inline void log_sink(kw_log_level level, const char *module,
                            const char *msg, void *ud)
{
    (void)ud;
    fprintf(stderr, "[%s] %s: %s\n", kw_log_level_name(level), module, msg);
}

static inline void setup_log(void)
{
    if (getenv("KW_TEST_LOG"))
        kw_log_set_sink(log_sink, NULL, KW_LOG_TRACE);
}

typedef struct env {
    char dir[256];
    char db[300];
    char archive[300];
    kw_store *st;
    kw_testsrv *srv;
} env;

static inline int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

static inline void env_open(env *e, const kw_test_resp *table)
{
    char err[256];

    memset(e, 0, sizeof(*e));
    snprintf(e->dir, sizeof(e->dir), "/tmp/kw_crawl_XXXXXX");
    assert_non_null(mkdtemp(e->dir));
    snprintf(e->db, sizeof(e->db), "%s/kw.db", e->dir);
    snprintf(e->archive, sizeof(e->archive), "%s/archive", e->dir);
    assert_int_equal(kw_store_open(e->db, err, sizeof(err), &e->st), KW_OK);
    e->srv = kw_testsrv_start(table);
    assert_non_null(e->srv);
}

static inline void env_close(env *e)
{
    kw_testsrv_stop(e->srv);
    kw_store_close(e->st);
    nftw(e->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline kw_crawler_config test_cfg(env *e)
{
    kw_crawler_config c = kw_crawler_config_default();

    c.archive_dir = e->archive;
    c.host_delay_ms = 0;
    c.connect_timeout_ms = 2000;
    c.timeout_ms = 5000;
    c.low_speed_time_s = 3;
    c.once = 1;
    return c;
}

static inline void add_source(env *e, const char *name, const char *path,
                       kw_source_kind kind, kw_source *extra)
{
    kw_source s;
    char url[512];

    if (extra)
        s = *extra;
    else
        memset(&s, 0, sizeof(s));
    kw_testsrv_urlf(e->srv, path, url, sizeof(url));
    s.name = name;
    s.url = url;
    s.kind = kind;
    if (!s.every_s)
        s.every_s = 600;
    if (!s.list_depth)
        s.list_depth = 1;
    assert_int_equal(kw_store_source_add(e->st, &s, NULL), KW_OK);
}

typedef struct art {
    char url[512];
    char title[256];
    char kind[16];
    char text[4096];
} art;

typedef struct arts {
    art v[32];
    size_t n;
} arts;

static inline kw_err take_article(const kw_article_rec *a, void *ud)
{
    arts *as = ud;
    art *d;

    if (as->n == 32)
        return KW_ETOOBIG;
    d = &as->v[as->n++];
    snprintf(d->url, sizeof(d->url), "%s", a->url ? a->url : "");
    snprintf(d->title, sizeof(d->title), "%s", a->title ? a->title : "");
    snprintf(d->kind, sizeof(d->kind), "%s", a->kind ? a->kind : "");
    snprintf(d->text, sizeof(d->text), "%s", a->text ? a->text : "");
    return KW_OK;
}

static inline void load_articles(env *e, arts *as)
{
    kw_article_filter f;

    memset(&f, 0, sizeof(f));
    memset(as, 0, sizeof(*as));
    assert_int_equal(kw_store_article_each(e->st, &f, take_article, as),
                     KW_OK);
}

static inline const art *find_article(const arts *as, const char *url)
{
    size_t i;

    for (i = 0; i < as->n; i++) {
        if (strcmp(as->v[i].url, url) == 0)
            return &as->v[i];
    }
    return NULL;
}

typedef struct urlrec {
    int found;
    kw_url_role role;
    kw_url_state state;
    int failures;
    int last_status;
    int64_t next_fetch_at;
} urlrec;

static inline kw_err take_url(const kw_url *u, void *ud)
{
    urlrec *r = ud;

    r->found = 1;
    r->role = u->role;
    r->state = u->state;
    r->failures = u->failures;
    r->last_status = u->last_status;
    r->next_fetch_at = u->next_fetch_at;
    return KW_OK;
}

static inline urlrec get_url(env *e, const char *path)
{
    urlrec r;
    char url[512];

    memset(&r, 0, sizeof(r));
    kw_testsrv_urlf(e->srv, path, url, sizeof(url));
    kw_store_url_get(e->st, url, take_url, &r);
    return r;
}

/* Every request named kowatch, and the first one was robots.txt. */
static inline void check_polite(env *e)
{
    size_t i;
    size_t n = kw_testsrv_nreq(e->srv);
    kw_test_req r;

    assert_true(n > 0);
    assert_int_equal(kw_testsrv_req(e->srv, 0, &r), 0);
    assert_string_equal(r.path, "/robots.txt");
    for (i = 0; i < n; i++) {
        assert_int_equal(kw_testsrv_req(e->srv, i, &r), 0);
        if (!strstr(r.user_agent, "kowatch")) {
            print_error("request %s: User-Agent %s\n", r.path, r.user_agent);
            fail();
        }
    }
    assert_int_equal(kw_testsrv_count(e->srv, "/robots.txt"), 1);
}

/* Occurrences of @needle in the archive's records, all files inflated
 * (each record is one gzip member; gzread reads across members). */
static inline size_t archive_count(env *e, const char *needle)
{
    DIR *d = opendir(e->archive);
    struct dirent *de;
    size_t count = 0, nl = strlen(needle);

    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        char path[1024];
        char *buf = NULL;
        size_t n = 0, cap = 0;
        gzFile gz;
        int k;
        const char *p;

        if (!strstr(de->d_name, ".warc.gz"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", e->archive, de->d_name);
        gz = gzopen(path, "rb");
        assert_non_null(gz);
        for (;;) {
            if (cap - n < 65536) {
                cap = cap ? cap * 2 : 1 << 20;
                buf = realloc(buf, cap);
                assert_non_null(buf);
            }
            k = gzread(gz, buf + n, 65536);
            assert_true(k >= 0);
            if (k == 0)
                break;
            n += (size_t)k;
        }
        gzclose(gz);
        for (p = buf; p && (size_t)(p - buf) + nl <= n; p++) {
            if (memcmp(p, needle, nl) == 0) {
                count++;
                p += nl - 1;
            }
        }
        free(buf);
    }
    closedir(d);
    return count;
}

#endif /* KW_CRAWL_ENV_H */
