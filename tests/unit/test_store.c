/*
 * test_store.c -- unit tests of the store module: opening and refusing
 * databases, migrations, sources, the frontier, fetches, articles, FTS5
 * search, transactions, the host cache and allocation failures.
 *
 * Every test that writes ends with the FTS5 'integrity-check'.
 */
/* nftw() for removing the temporary directory. */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "store_int.h"

/* ---- Helpers ----------------------------------------------------------- */

static char tmpdir[256];

static int group_setup(void **state)
{
    (void)state;
    (void)snprintf(tmpdir, sizeof(tmpdir), "/tmp/kw_test_store.XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int group_teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh path in the temp dir, with no file behind it. */
static void tmp_path(char *out, size_t n, const char *name)
{
    int k = snprintf(out, n, "%s/%s", tmpdir, name);

    assert_true(k > 0 && (size_t)k < n);
    (void)unlink(out);
}

static kw_store *open_mem(void)
{
    char err[256];
    kw_store *st = NULL;

    assert_int_equal(kw_store_open(":memory:", err, sizeof(err), &st),
                     KW_OK);
    assert_non_null(st);
    return st;
}

/* Closes @st after checking the full-text index. */
static void check_close(kw_store *st)
{
    assert_int_equal(kw_store_fts_check(st), KW_OK);
    kw_store_close(st);
}

/* Runs one integer query on the raw connection. */
static int64_t sql_int(kw_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v;

    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = (int64_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Runs one text query on the raw connection; owned (kw_free). */
static char *sql_text(kw_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    char *v;

    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = kw_strdup((const char *)sqlite3_column_text(s, 0));
    assert_non_null(v);
    sqlite3_finalize(s);
    return v;
}

static void sql_exec(kw_store *st, const char *sql)
{
    assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* Creates a database at @path with raw SQLite and runs @sql in it. */
static void raw_db(const char *path, const char *sql)
{
    sqlite3 *db = NULL;

    (void)unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static kw_source mk_source(const char *name, const char *url,
                           kw_source_kind kind)
{
    kw_source s;

    memset(&s, 0, sizeof(s));
    s.name = name;
    s.url = url;
    s.kind = kind;
    s.every_s = 600;
    s.list_depth = 1;
    return s;
}

static int64_t add_source(kw_store *st, const char *name, const char *url)
{
    kw_source s = mk_source(name, url, KW_SRC_RSS);
    int64_t id = 0;

    assert_int_equal(kw_store_source_add(st, &s, &id), KW_OK);
    assert_true(id > 0);
    return id;
}

static int64_t add_url(kw_store *st, int64_t source_id, const char *url,
                       kw_url_role role)
{
    int64_t id = 0;
    int is_new = -1;

    assert_int_equal(
        kw_store_url_add(st, source_id, url, role, 0, &id, &is_new), KW_OK);
    assert_true(id > 0);
    return id;
}

/* ---- Opening ----------------------------------------------------------- */

static void test_meta(void **state)
{
    kw_store *st = open_mem();
    char *v = (char *)1;

    (void)state;
    assert_int_equal(kw_store_meta_get(st, "digest.sent", &v), KW_ENOTFOUND);
    assert_null(v);
    assert_int_equal(kw_store_meta_put(st, "digest.sent", "2026-02-10"),
                     KW_OK);
    assert_int_equal(kw_store_meta_put(st, "digest.sent", "2026-02-11"),
                     KW_OK);
    assert_int_equal(kw_store_meta_get(st, "digest.sent", &v), KW_OK);
    assert_string_equal(v, "2026-02-11");
    kw_free(v);
    kw_store_close(st);
}

static void test_open_memory(void **state)
{
    kw_store *st;

    (void)state;
    st = open_mem();
    assert_true(kw_store_schema_version() >= 4);
    assert_int_equal(sql_int(st, "PRAGMA user_version"),
                     kw_store_schema_version());
    assert_int_equal(sql_int(st, "PRAGMA application_id"), KW_STORE_APP_ID);
    assert_int_equal(sql_int(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM sqlite_schema "
                                 "WHERE name = 'articles_fts'"),
                     1);
    assert_string_equal(kw_store_errmsg(st), "");
    check_close(st);
    kw_store_close(NULL);
    assert_non_null(kw_store_errmsg(NULL));
}

static void test_open_file_reopen(void **state)
{
    char path[512], err[256];
    kw_store *st = NULL;
    sqlite3_stmt *s = NULL;

    (void)state;
    tmp_path(path, sizeof(path), "reopen.db");
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1,
                                        &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    assert_int_equal(sql_int(st, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(sql_int(st, "PRAGMA busy_timeout"), 5000);
    add_source(st, "yonhap", "https://www.yna.co.kr/rss/news.xml");
    check_close(st);

    st = NULL;
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM sources "
                                 "WHERE name = 'yonhap'"),
                     1);
    assert_int_equal(sql_int(st, "PRAGMA user_version"),
                     kw_store_schema_version());
    check_close(st);
}

static void test_old_db_migrates(void **state)
{
    char path[512], err[256];
    kw_store *st = NULL;

    (void)state;
    /* A SQLite database at user_version 0 with nothing in it. */
    tmp_path(path, sizeof(path), "old.db");
    raw_db(path, "PRAGMA user_version = 0; PRAGMA page_size = 4096; "
                 "VACUUM;");
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    assert_int_equal(sql_int(st, "PRAGMA user_version"),
                     kw_store_schema_version());
    assert_int_equal(sql_int(st, "PRAGMA application_id"), KW_STORE_APP_ID);
    add_source(st, "a", "https://a.example/");
    check_close(st);

    /* A zero-byte file is an empty database too. */
    tmp_path(path, sizeof(path), "empty.db");
    write_file(path, "", 0);
    st = NULL;
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    assert_int_equal(sql_int(st, "PRAGMA user_version"),
                     kw_store_schema_version());
    check_close(st);

    /* Ours, but at schema 0 (application_id set, nothing else). */
    tmp_path(path, sizeof(path), "ours0.db");
    raw_db(path, "PRAGMA application_id = 1264005169;");
    st = NULL;
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    assert_int_equal(sql_int(st, "PRAGMA user_version"),
                     kw_store_schema_version());
    check_close(st);
}

static void test_newer_db(void **state)
{
    char path[512], err[256];
    kw_store *st = (kw_store *)1;

    (void)state;
    tmp_path(path, sizeof(path), "newer.db");
    raw_db(path, "PRAGMA application_id = 1264005169; "
                 "PRAGMA user_version = 999; CREATE TABLE future (x);");
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st),
                     KW_EVERSION);
    assert_null(st);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "newer kowatch"));
    assert_non_null(strstr(err, "schema 999"));
    {
        char knows[64];

        snprintf(knows, sizeof(knows), "this build knows %d",
                 kw_store_schema_version());
        assert_non_null(strstr(err, knows));
    }
    assert_non_null(strstr(err, "--db"));

    /* A negative version is nonsense, not a reason to crash. */
    raw_db(path, "PRAGMA application_id = 1264005169; "
                 "PRAGMA user_version = -3;");
    st = (kw_store *)1;
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_EDB);
    assert_null(st);
    assert_non_null(strstr(err, path));
}

static void test_not_a_db(void **state)
{
    static const char text[] = "this is a text file, not a database at "
                               "all; it is long enough to have a header "
                               "that SQLite reads and rejects.\n";
    unsigned char junk[8192];
    char path[512], err[256];
    kw_store *st = (kw_store *)1;
    unsigned int x = 12345;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(junk); i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    tmp_path(path, sizeof(path), "junk.db");
    write_file(path, junk, sizeof(junk));
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_EDB);
    assert_null(st);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not a database"));
    assert_non_null(strstr(err, "--db PATH"));

    tmp_path(path, sizeof(path), "text.db");
    write_file(path, text, sizeof(text) - 1);
    st = (kw_store *)1;
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_EDB);
    assert_null(st);
    assert_non_null(strstr(err, path));

    /* A directory cannot be opened at all. */
    st = (kw_store *)1;
    assert_int_equal(kw_store_open(tmpdir, err, sizeof(err), &st), KW_EDB);
    assert_null(st);
    assert_non_null(strstr(err, tmpdir));
}

static void test_corrupt_db(void **state)
{
    char path[512], err[256];
    unsigned char junk[512];
    kw_store *st = NULL;
    FILE *f;

    (void)state;
    tmp_path(path, sizeof(path), "corrupt.db");
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_OK);
    add_source(st, "a", "https://a.example/");
    kw_store_close(st);
    /* Overwrite the schema table on page 1, after the 100-byte header. */
    memset(junk, 0xA5, sizeof(junk));
    f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 100, SEEK_SET), 0);
    assert_int_equal(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
    assert_int_equal(fclose(f), 0);
    st = (kw_store *)1;
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_EDB);
    assert_null(st);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "malformed"));
}

static void test_foreign_db(void **state)
{
    char path[512], err[256];
    kw_store *st = (kw_store *)1;

    (void)state;
    tmp_path(path, sizeof(path), "foreign.db");
    raw_db(path, "CREATE TABLE contacts (name TEXT, phone TEXT); "
                 "INSERT INTO contacts VALUES ('a', '1');");
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_EDB);
    assert_null(st);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not a kowatch database"));

    /* Another program's application_id, even when empty. */
    tmp_path(path, sizeof(path), "foreign2.db");
    raw_db(path, "PRAGMA application_id = 42;");
    st = (kw_store *)1;
    assert_int_equal(kw_store_open(path, err, sizeof(err), &st), KW_EDB);
    assert_null(st);
    assert_non_null(strstr(err, "application_id 42"));
    assert_non_null(strstr(err, "--db PATH"));

    /* The refused file is left as it was. */
    st = NULL;
    {
        sqlite3 *db = NULL;
        sqlite3_stmt *s = NULL;

        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1,
                                            &s, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(s, 0), 0);
        sqlite3_finalize(s);
        sqlite3_close(db);
    }
}

/* ---- Sources ----------------------------------------------------------- */

struct names {
    char buf[256];
    int n;
};

static kw_err collect_source(const kw_source *src, void *ud)
{
    struct names *c = ud;
    size_t len = strlen(c->buf);

    (void)snprintf(c->buf + len, sizeof(c->buf) - len, "%s%s",
                   c->n ? "," : "", src->name);
    c->n++;
    return KW_OK;
}

static kw_err check_source(const kw_source *src, void *ud)
{
    kw_source *want = ud;

    assert_true(src->id > 0);
    assert_string_equal(src->name, want->name);
    assert_string_equal(src->url, want->url);
    assert_int_equal(src->kind, want->kind);
    assert_int_equal(src->every_s, want->every_s);
    assert_string_equal(src->link_pattern, want->link_pattern);
    assert_string_equal(src->next_pattern, want->next_pattern);
    assert_int_equal(src->list_depth, want->list_depth);
    assert_null(src->detail_template);
    assert_string_equal(src->charset, want->charset);
    assert_true(src->created_at > 0);
    assert_int_equal(src->last_fetch_at, 0);
    assert_null(src->last_error);
    assert_int_equal(src->next_due_at, 0);
    return KW_OK;
}

static kw_err copy_health(const kw_source *src, void *ud)
{
    kw_source *out = ud;

    out->last_fetch_at = src->last_fetch_at;
    out->last_success_at = src->last_success_at;
    out->last_error_at = src->last_error_at;
    out->error_count = src->error_count;
    out->items_total = src->items_total;
    out->next_due_at = src->next_due_at;
    out->last_error = src->last_error ? "set" : NULL;
    return KW_OK;
}

static kw_err stop_now(const kw_source *src, void *ud)
{
    (void)src;
    (*(int *)ud)++;
    return KW_EDONE;
}

static kw_err fail_now(const kw_source *src, void *ud)
{
    (void)src;
    (*(int *)ud)++;
    return KW_EIO;
}

static void test_sources(void **state)
{
    kw_source msit = mk_source("msit", "https://www.msit.go.kr/bbs/list.do",
                               KW_SRC_LIST);
    kw_source dup = mk_source("msit", "https://other.example/", KW_SRC_RSS);
    kw_source bad = mk_source("bad", "https://bad.example/",
                              (kw_source_kind)0);
    kw_source health;
    struct names c;
    kw_source_kind k;
    kw_store *st;
    int64_t id = 0, uid;
    int calls = 0;

    (void)state;
    st = open_mem();
    msit.every_s = 1800;
    msit.link_pattern = "view\\.do\\?.*nttSeqNo=[0-9]+";
    msit.next_pattern = "pageIndex=[0-9]+";
    msit.list_depth = 3;
    msit.charset = "euc-kr";
    assert_int_equal(kw_store_source_add(st, &msit, &id), KW_OK);
    assert_true(id > 0);
    assert_int_equal(kw_store_source_add(st, &dup, NULL), KW_EEXIST);
    assert_non_null(strstr(kw_store_errmsg(st), "msit"));
    assert_int_equal(kw_store_source_add(st, &bad, NULL), KW_EINVAL);
    add_source(st, "yonhap", "https://www.yna.co.kr/rss/news.xml");
    add_source(st, "etnews", "https://www.etnews.com/rss");

    memset(&c, 0, sizeof(c));
    assert_int_equal(kw_store_source_each(st, collect_source, &c), KW_OK);
    assert_string_equal(c.buf, "etnews,msit,yonhap");
    assert_int_equal(kw_store_source_each(st, stop_now, &calls), KW_OK);
    assert_int_equal(calls, 1);
    calls = 0;
    assert_int_equal(kw_store_source_each(st, fail_now, &calls), KW_EIO);
    assert_int_equal(calls, 1);

    assert_int_equal(kw_store_source_get(st, "msit", check_source, &msit),
                     KW_OK);
    calls = 0;
    assert_int_equal(kw_store_source_get(st, "nope", stop_now, &calls),
                     KW_ENOTFOUND);
    assert_int_equal(calls, 0);

    /* Health. */
    assert_int_equal(kw_store_source_polled(st, id, 1000, NULL, 5, 2800),
                     KW_OK);
    assert_int_equal(kw_store_source_polled(st, id, 2000, "HTTP 503", 0,
                                            3800),
                     KW_OK);
    assert_int_equal(kw_store_source_polled(st, id, 3000, "timeout", 2,
                                            4800),
                     KW_OK);
    memset(&health, 0, sizeof(health));
    assert_int_equal(kw_store_source_get(st, "msit", copy_health, &health),
                     KW_OK);
    assert_int_equal(health.last_fetch_at, 3000);
    assert_int_equal(health.last_success_at, 1000);
    assert_int_equal(health.last_error_at, 3000);
    assert_int_equal(health.error_count, 2);
    assert_int_equal(health.items_total, 7);
    assert_int_equal(health.next_due_at, 4800);
    assert_non_null(health.last_error);
    assert_int_equal(kw_store_source_polled(st, id, 5000, NULL, 0, 6000),
                     KW_OK);
    assert_int_equal(kw_store_source_get(st, "msit", copy_health, &health),
                     KW_OK);
    assert_int_equal(health.error_count, 0);
    assert_int_equal(health.last_success_at, 5000);
    assert_int_equal(kw_store_source_polled(st, 9999, 1, NULL, 0, 1),
                     KW_ENOTFOUND);

    /* Remove: its URLs stay, without a source, and are never due. */
    uid = add_url(st, id, "https://www.msit.go.kr/bbs/list.do", KW_ROLE_SEED);
    assert_int_equal(kw_store_source_remove(st, "msit"), KW_OK);
    assert_int_equal(kw_store_source_remove(st, "msit"), KW_ENOTFOUND);
    assert_non_null(strstr(kw_store_errmsg(st), "msit"));
    assert_int_equal(sql_int(st, "SELECT count(*) FROM urls WHERE "
                                 "source_id IS NULL"),
                     1);
    {
        int64_t n = -1;

        assert_int_equal(kw_store_url_count_due(st, INT64_MAX - 1, 0, &n),
                         KW_OK);
        assert_int_equal(n, 0);
    }
    memset(&c, 0, sizeof(c));
    assert_int_equal(kw_store_source_each(st, collect_source, &c), KW_OK);
    assert_string_equal(c.buf, "etnews,yonhap");

    /* Added again, the source adopts its old seed, which is due again. */
    id = add_source(st, "msit2", "https://www.msit.go.kr/bbs/list.do");
    {
        int64_t uid2 = 0, n = -1;
        int is_new = -1;

        assert_int_equal(kw_store_url_add(st, id,
                                          "https://www.msit.go.kr/bbs/"
                                          "list.do",
                                          KW_ROLE_SEED, 0, &uid2, &is_new),
                         KW_OK);
        assert_int_equal(uid2, uid);
        assert_int_equal(is_new, 0);
        assert_int_equal(kw_store_url_count_due(st, 1, id, &n), KW_OK);
        assert_int_equal(n, 1);
    }

    /* Kind names. */
    assert_string_equal(kw_source_kind_name(KW_SRC_SITEMAP), "sitemap");
    assert_string_equal(kw_source_kind_name((kw_source_kind)99), "unknown");
    assert_int_equal(kw_source_kind_parse("atom", &k), KW_OK);
    assert_int_equal(k, KW_SRC_ATOM);
    assert_int_equal(kw_source_kind_parse("gopher", &k), KW_EINVAL);
    check_close(st);
}

/* ---- Frontier ---------------------------------------------------------- */

struct url_list {
    char buf[1024];
    int n;
    kw_url last;
    char etag[64];
    char lm[64];
};

static kw_err collect_url(const kw_url *u, void *ud)
{
    struct url_list *l = ud;
    size_t len = strlen(l->buf);

    (void)snprintf(l->buf + len, sizeof(l->buf) - len, "%s%s",
                   l->n ? " " : "", u->url);
    l->n++;
    l->last = *u;
    (void)snprintf(l->etag, sizeof(l->etag), "%s", u->etag ? u->etag : "-");
    (void)snprintf(l->lm, sizeof(l->lm), "%s",
                   u->last_modified ? u->last_modified : "-");
    l->last.url = NULL;
    l->last.etag = NULL;
    l->last.last_modified = NULL;
    return KW_OK;
}

static void test_url_add_dedupe(void **state)
{
    struct url_list l;
    kw_store *st;
    int64_t sid, id1 = 0, id2 = 0;
    int is_new = -1;

    (void)state;
    st = open_mem();
    sid = add_source(st, "s", "https://s.example/feed");
    assert_int_equal(kw_store_url_add(st, sid, "https://s.example/a",
                                      KW_ROLE_ARTICLE, 1, &id1, &is_new),
                     KW_OK);
    assert_int_equal(is_new, 1);
    assert_int_equal(kw_store_url_add(st, sid, "https://s.example/a",
                                      KW_ROLE_ARTICLE, 1, &id2, &is_new),
                     KW_OK);
    assert_int_equal(is_new, 0);
    assert_int_equal(id1, id2);
    assert_int_equal(kw_store_url_add(st, 0, "https://s.example/b",
                                      KW_ROLE_ARTICLE, 0, NULL, NULL),
                     KW_OK);
    assert_int_equal(kw_store_url_add(st, sid, "", KW_ROLE_ARTICLE, 0, NULL,
                                      NULL),
                     KW_EINVAL);

    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_get(st, "https://s.example/a", collect_url,
                                      &l),
                     KW_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.last.id, id1);
    assert_int_equal(l.last.source_id, sid);
    assert_int_equal(l.last.role, KW_ROLE_ARTICLE);
    assert_int_equal(l.last.depth, 1);
    assert_int_equal(l.last.state, KW_URL_NEW);
    assert_int_equal(l.last.next_fetch_at, 0);
    assert_string_equal(l.etag, "-");
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_get(st, "https://s.example/b", collect_url,
                                      &l),
                     KW_OK);
    assert_int_equal(l.last.source_id, 0);
    assert_int_equal(kw_store_url_get(st, "https://s.example/zz",
                                      collect_url, &l),
                     KW_ENOTFOUND);
    check_close(st);
}

/* Sets a URL's scheduling columns directly. */
static void set_due(kw_store *st, int64_t id, int state, int64_t at)
{
    kw_fetch f;

    memset(&f, 0, sizeof(f));
    f.url_id = id;
    f.at = 1;
    f.status = 200;
    f.warc_offset = -1;
    f.state = (kw_url_state)state;
    f.next_fetch_at = at;
    assert_int_equal(kw_store_fetch_add(st, &f, NULL), KW_OK);
}

static void test_url_due(void **state)
{
    struct url_list l;
    kw_store *st;
    int64_t s1, s2, a1, a2, a3, seed, list, fail, sm;
    int64_t n = 0;

    (void)state;
    st = open_mem();
    s1 = add_source(st, "one", "https://one.example/feed");
    s2 = add_source(st, "two", "https://two.example/feed");
    a1 = add_url(st, s1, "https://one.example/a1", KW_ROLE_ARTICLE);
    a2 = add_url(st, s1, "https://one.example/a2", KW_ROLE_ARTICLE);
    a3 = add_url(st, s2, "https://two.example/a3", KW_ROLE_ARTICLE);
    seed = add_url(st, s1, "https://one.example/feed", KW_ROLE_SEED);
    list = add_url(st, s2, "https://two.example/list?page=2", KW_ROLE_LIST);
    sm = add_url(st, s2, "https://two.example/sitemap-1.xml",
                 KW_ROLE_SITEMAP);
    fail = add_url(st, s1, "https://one.example/gone", KW_ROLE_ARTICLE);

    set_due(st, a1, KW_URL_OK, 500);    /* refetch at 500 */
    set_due(st, a2, KW_URL_RETRY, 100); /* retry at 100 */
    set_due(st, a3, KW_URL_OK, 5000);   /* not yet due */
    set_due(st, seed, KW_URL_OK, 900);
    set_due(st, list, KW_URL_NEW, 0);
    set_due(st, sm, KW_URL_OK, 200);
    set_due(st, fail, KW_URL_FAILED, 0);

    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_due(st, 1000, 0, 100, collect_url, &l),
                     KW_OK);
    assert_string_equal(l.buf, "https://two.example/list?page=2 "
                               "https://two.example/sitemap-1.xml "
                               "https://one.example/feed "
                               "https://one.example/a2 "
                               "https://one.example/a1");
    assert_int_equal(kw_store_url_count_due(st, 1000, 0, &n), KW_OK);
    assert_int_equal(n, 5);

    /* The limit keeps the first ones. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_due(st, 1000, 0, 2, collect_url, &l),
                     KW_OK);
    assert_string_equal(l.buf, "https://two.example/list?page=2 "
                               "https://two.example/sitemap-1.xml");

    /* One source only. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_due(st, 1000, s1, 10, collect_url, &l),
                     KW_OK);
    assert_string_equal(l.buf, "https://one.example/feed "
                               "https://one.example/a2 "
                               "https://one.example/a1");
    assert_int_equal(kw_store_url_count_due(st, 1000, s2, &n), KW_OK);
    assert_int_equal(n, 2);

    /* Later, a3 is due too; the failed one never is. */
    assert_int_equal(kw_store_url_count_due(st, 10000, 0, &n), KW_OK);
    assert_int_equal(n, 6);
    check_close(st);
}

/* A url_due callback that re-enters the store with the same statements. */
static kw_err reenter(const kw_url *u, void *ud)
{
    kw_store *st = ud;
    struct url_list l;

    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_due(st, 0, 0, 0, collect_url, &l), KW_OK);
    assert_int_equal(l.n, 2);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_get(st, u->url, collect_url, &l), KW_OK);
    assert_int_equal(l.n, 1);
    return KW_OK;
}

static void test_url_reentrant(void **state)
{
    kw_store *st;

    (void)state;
    st = open_mem();
    add_url(st, 0, "https://x.example/1", KW_ROLE_SEED);
    add_url(st, 0, "https://x.example/2", KW_ROLE_ARTICLE);
    assert_int_equal(kw_store_url_due(st, 0, 0, 0, reenter, st), KW_OK);
    check_close(st);
}

struct fetch_list {
    int n;
    int64_t id;
    int64_t url_id;
    int status;
    int64_t warc_offset;
    char warc_file[64];
};

static kw_err collect_fetch(const kw_fetch_row *f, void *ud)
{
    struct fetch_list *l = ud;

    l->n++;
    l->id = f->id;
    l->url_id = f->url_id;
    l->status = f->status;
    l->warc_offset = f->warc_offset;
    (void)snprintf(l->warc_file, sizeof(l->warc_file), "%s",
                   f->warc_file ? f->warc_file : "-");
    assert_non_null(f->url);
    return KW_OK;
}

static void test_fetch_add(void **state)
{
    struct url_list l;
    struct fetch_list fl;
    kw_fetch f;
    kw_store *st;
    int64_t uid, fid = 0, fid2 = 0;

    (void)state;
    st = open_mem();
    uid = add_url(st, 0, "https://n.example/article/1", KW_ROLE_ARTICLE);

    memset(&f, 0, sizeof(f));
    f.url_id = uid;
    f.at = 1000;
    f.status = 200;
    f.content_type = "text/html; charset=utf-8";
    f.bytes = 12345;
    f.elapsed_ms = 87;
    f.warc_file = "kowatch-0001.warc.gz";
    f.warc_offset = 4096;
    f.warc_length = 2048;
    f.state = KW_URL_OK;
    f.next_fetch_at = 87400;
    f.etag = "\"abc\"";
    f.last_modified = "Wed, 14 Jan 2026 09:00:00 GMT";
    assert_int_equal(kw_store_fetch_add(st, &f, &fid), KW_OK);
    assert_true(fid > 0);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_get(st, "https://n.example/article/1",
                                      collect_url, &l),
                     KW_OK);
    assert_int_equal(l.last.state, KW_URL_OK);
    assert_int_equal(l.last.next_fetch_at, 87400);
    assert_int_equal(l.last.last_status, 200);
    assert_string_equal(l.etag, "\"abc\"");
    assert_string_equal(l.lm, "Wed, 14 Jan 2026 09:00:00 GMT");

    /* A 304 without validators keeps the old ones. */
    f.at = 90000;
    f.status = 304;
    f.etag = NULL;
    f.last_modified = NULL;
    f.warc_file = NULL;
    f.warc_offset = -1;
    f.warc_length = 0;
    f.next_fetch_at = 180000;
    assert_int_equal(kw_store_fetch_add(st, &f, &fid2), KW_OK);
    assert_true(fid2 > fid);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_get(st, "https://n.example/article/1",
                                      collect_url, &l),
                     KW_OK);
    assert_string_equal(l.etag, "\"abc\"");
    assert_string_equal(l.lm, "Wed, 14 Jan 2026 09:00:00 GMT");
    assert_int_equal(l.last.last_status, 304);
    assert_int_equal(l.last.next_fetch_at, 180000);

    /* A transport failure. */
    f.at = 200000;
    f.status = 0;
    f.error = "Connection timed out";
    f.state = KW_URL_RETRY;
    f.failures = 1;
    f.next_fetch_at = 200600;
    assert_int_equal(kw_store_fetch_add(st, &f, NULL), KW_OK);
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_url_get(st, "https://n.example/article/1",
                                      collect_url, &l),
                     KW_OK);
    assert_int_equal(l.last.state, KW_URL_RETRY);
    assert_int_equal(l.last.failures, 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM fetches"), 3);

    /* Unknown URL. */
    f.url_id = 999;
    assert_int_equal(kw_store_fetch_add(st, &f, &fid), KW_ENOTFOUND);
    assert_int_equal(fid, 0);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM fetches"), 3);

    /* The latest 2xx fetch is the first one. */
    memset(&fl, 0, sizeof(fl));
    assert_int_equal(kw_store_fetch_each_latest(st, collect_fetch, &fl),
                     KW_OK);
    assert_int_equal(fl.n, 1);
    assert_int_equal(fl.url_id, uid);
    assert_int_equal(fl.status, 200);
    assert_int_equal(fl.warc_offset, 4096);
    assert_string_equal(fl.warc_file, "kowatch-0001.warc.gz");
    check_close(st);
}

/* ---- Articles ---------------------------------------------------------- */

static kw_article_rec mk_article(int64_t url_id, const char *url,
                                 const char *title, const char *text,
                                 int64_t published)
{
    kw_article_rec a;

    memset(&a, 0, sizeof(a));
    a.url_id = url_id;
    a.url = url;
    a.kind = "article";
    a.title = title;
    a.text = text;
    a.published_at = published;
    a.published_offset = 540;
    a.fetched_at = 5000000;
    a.lang = "ko";
    return a;
}

struct art_list {
    char buf[1024];
    int n;
    kw_article_rec last;
    char source[64];
};

static kw_err collect_article(const kw_article_rec *a, void *ud)
{
    struct art_list *l = ud;
    size_t len = strlen(l->buf);

    (void)snprintf(l->buf + len, sizeof(l->buf) - len, "%s%s",
                   l->n ? " " : "", a->title ? a->title : "(null)");
    l->n++;
    l->last = *a;
    (void)snprintf(l->source, sizeof(l->source), "%s",
                   a->source_name ? a->source_name : "-");
    return KW_OK;
}

static void test_article_put(void **state)
{
    static const char *const names[] = {"공고문.hwp", "붙임.pdf"};
    static const char *const urls[] = {"https://m.example/f/1.hwp",
                                       "https://m.example/f/2.pdf"};
    kw_article_rec a;
    struct art_list l;
    kw_store *st;
    int64_t uid, id = 0, id2 = 0, n = 0;
    int changed = -1;

    (void)state;
    st = open_mem();
    uid = add_url(st, 0, "https://m.example/view?id=1", KW_ROLE_ARTICLE);
    a = mk_article(uid, "https://m.example/view?id=1",
                   "독자 AI 파운데이션 모델 추가 공모",
                   "과학기술정보통신부는 추가 공모를 실시한다.", 1768000000);
    a.kind = "notice";
    a.department = "인공지능기반정책과";
    assert_int_equal(kw_store_article_put(st, &a, names, urls, 2, &id,
                                          &changed),
                     KW_OK);
    assert_true(id > 0);
    assert_int_equal(changed, 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM attachments"), 2);
    assert_int_equal(kw_store_article_count(st, &n), KW_OK);
    assert_int_equal(n, 1);

    /* Unchanged: nothing written. */
    sql_exec(st, "UPDATE articles SET updated_at = 1");
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &id2,
                                          &changed),
                     KW_OK);
    assert_int_equal(id2, id);
    assert_int_equal(changed, 0);
    assert_int_equal(sql_int(st, "SELECT updated_at FROM articles"), 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM attachments"), 2);

    /* Changed text: updated, attachments replaced, index follows. */
    a.text = "과학기술정보통신부는 패자부활전 일정을 발표했다.";
    assert_int_equal(kw_store_article_put(st, &a, names, urls, 1, &id2,
                                          &changed),
                     KW_OK);
    assert_int_equal(id2, id);
    assert_int_equal(changed, 1);
    assert_true(sql_int(st, "SELECT updated_at FROM articles") > 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM attachments"), 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM articles_fts WHERE "
                                 "articles_fts MATCH '패자부활전'"),
                     1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM articles_fts WHERE "
                                 "articles_fts MATCH '실시한다'"),
                     0);

    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_article_get(st, id, collect_article, &l),
                     KW_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.last.cluster, id);
    assert_int_equal(l.last.url_id, uid);
    assert_int_equal(l.last.published_at, 1768000000);
    assert_int_equal(l.last.published_offset, 540);
    assert_int_equal(l.last.fetched_at, 5000000);
    assert_int_equal(kw_store_article_get(st, id + 100, collect_article, &l),
                     KW_ENOTFOUND);

    /* A title-only change counts as well; the hash separates fields. */
    assert_true(kw__store_content_hash("ab", "c") !=
                kw__store_content_hash("a", "bc"));
    a.title = "독자 AI 파운데이션 모델 추가 공모 (정정)";
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, NULL,
                                          &changed),
                     KW_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM attachments"), 0);

    /* An article for an unknown URL id is refused by the foreign key. */
    a.url_id = 777;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &id2,
                                          &changed),
                     KW_EDB);
    assert_int_equal(id2, 0);
    assert_int_equal(kw_store_article_count(st, &n), KW_OK);
    assert_int_equal(n, 1);
    check_close(st);
}

/* Three articles in two sources, one with an entity mention. */
static void seed_articles(kw_store *st, int64_t ids[4])
{
    kw_article_rec a;
    int64_t s1, s2, u;

    s1 = add_source(st, "yonhap", "https://yna.example/rss");
    s2 = add_source(st, "etnews", "https://etnews.example/rss");

    u = add_url(st, s1, "https://yna.example/1", KW_ROLE_ARTICLE);
    a = mk_article(u, "https://yna.example/1", "카카오 패자부활전 참여",
                   "카카오는 추가 공모에 참여하기로 했다.", 1000);
    a.source_id = s1;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &ids[0],
                                          NULL),
                     KW_OK);

    u = add_url(st, s2, "https://etnews.example/2", KW_ROLE_ARTICLE);
    a = mk_article(u, "https://etnews.example/2", "추가 공모 일정 발표",
                   "과기정통부는 일정을 발표했다. 카카오 등 탈락 기업의 "
                   "재도전 여부가 관심이다.",
                   2000);
    a.source_id = s2;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &ids[1],
                                          NULL),
                     KW_OK);

    u = add_url(st, s2, "https://etnews.example/3", KW_ROLE_ARTICLE);
    a = mk_article(u, "https://etnews.example/3", "업스테이지 선정",
                   "업스테이지가 2차 평가를 통과했다.", 3000);
    a.source_id = s2;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &ids[2],
                                          NULL),
                     KW_OK);

    /* No known published date: listed by its fetch time. */
    u = add_url(st, s1, "https://yna.example/4", KW_ROLE_ARTICLE);
    a = mk_article(u, "https://yna.example/4", "날짜 없는 기사",
                   "본문.", 0);
    a.source_id = s1;
    a.fetched_at = 2500;
    assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, &ids[3],
                                          NULL),
                     KW_OK);

    sql_exec(st, "INSERT INTO entities (id, type, name) "
                 "VALUES ('kakao', 'company', '카카오')");
    {
        sqlite3_stmt *s = NULL;

        assert_int_equal(
            sqlite3_prepare_v2(st->db,
                               "INSERT INTO mentions (article_id, entity_id,"
                               " count) VALUES (?1, 'kakao', 1), "
                               "(?2, 'kakao', 1)",
                               -1, &s, NULL),
            SQLITE_OK);
        sqlite3_bind_int64(s, 1, ids[0]);
        sqlite3_bind_int64(s, 2, ids[1]);
        assert_int_equal(sqlite3_step(s), SQLITE_DONE);
        sqlite3_finalize(s);
    }
}

static void test_article_each(void **state)
{
    kw_article_filter f;
    struct art_list l;
    kw_store *st;
    int64_t ids[4];

    (void)state;
    st = open_mem();
    seed_articles(st, ids);

    memset(&f, 0, sizeof(f));
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_article_each(st, &f, collect_article, &l),
                     KW_OK);
    assert_string_equal(l.buf, "업스테이지 선정 날짜 없는 기사 "
                               "추가 공모 일정 발표 카카오 패자부활전 참여");
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_article_each(st, NULL, collect_article, &l),
                     KW_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.source, "yonhap");

    f.since = 1500;
    f.until = 3000;
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_article_each(st, &f, collect_article, &l),
                     KW_OK);
    assert_string_equal(l.buf, "날짜 없는 기사 추가 공모 일정 발표");

    memset(&f, 0, sizeof(f));
    f.source = "etnews";
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_article_each(st, &f, collect_article, &l),
                     KW_OK);
    assert_string_equal(l.buf, "업스테이지 선정 추가 공모 일정 발표");
    assert_string_equal(l.source, "etnews");

    f.limit = 1;
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_article_each(st, &f, collect_article, &l),
                     KW_OK);
    assert_string_equal(l.buf, "업스테이지 선정");

    memset(&f, 0, sizeof(f));
    f.entity = "kakao";
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_article_each(st, &f, collect_article, &l),
                     KW_OK);
    assert_string_equal(l.buf, "추가 공모 일정 발표 카카오 패자부활전 참여");

    /* Removing the source leaves its articles, without a source. */
    assert_int_equal(kw_store_source_remove(st, "etnews"), KW_OK);
    memset(&f, 0, sizeof(f));
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_article_each(st, &f, collect_article, &l),
                     KW_OK);
    assert_int_equal(l.n, 4);
    assert_int_equal(kw_store_article_get(st, ids[2], collect_article, &l),
                     KW_OK);
    assert_string_equal(l.source, "-");
    assert_int_equal(l.last.source_id, 0);
    check_close(st);
}

/* ---- Search ------------------------------------------------------------ */

struct hit_list {
    int n;
    int64_t ids[8];
    double scores[8];
    char snippets[8][256];
    char sources[8][32];
};

static kw_err collect_hit(const kw_search_hit *h, void *ud)
{
    struct hit_list *l = ud;

    if (l->n < 8) {
        l->ids[l->n] = h->id;
        l->scores[l->n] = h->score;
        (void)snprintf(l->snippets[l->n], sizeof(l->snippets[0]), "%s",
                       h->snippet ? h->snippet : "");
        (void)snprintf(l->sources[l->n], sizeof(l->sources[0]), "%s",
                       h->source ? h->source : "-");
    }
    l->n++;
    return KW_OK;
}

/* The text of an attachment belongs to its URL: every notice linking it
 * becomes searchable by it, in link order, and keeps it when the notice
 * itself changes. */
static void test_attachment_text(void **state)
{
    static const char *const names[] = {"공고문.hwpx", "붙임.pdf"};
    static const char *const urls[] = {"https://m.example/f/1.hwpx",
                                       "https://m.example/f/2.pdf"};
    kw_article_rec a;
    kw_store *st;
    int64_t uid, uid2, id = 0, id2 = 0;
    int changed;
    char *t;

    (void)state;
    st = open_mem();
    uid = add_url(st, 0, "https://m.example/view?id=1", KW_ROLE_ARTICLE);
    uid2 = add_url(st, 0, "https://m.example/view?id=2", KW_ROLE_ARTICLE);
    a = mk_article(uid, "https://m.example/view?id=1", "추가 공모 안내",
                   "자세한 내용은 첨부 파일을 참고하시기 바랍니다.",
                   1768000000);
    a.kind = "notice";
    assert_int_equal(kw_store_article_put(st, &a, names, urls, 2, &id,
                                          &changed),
                     KW_OK);
    /* A second notice links only the PDF. */
    a.url_id = uid2;
    a.url = "https://m.example/view?id=2";
    a.title = "추가 공모 재안내";
    assert_int_equal(kw_store_article_put(st, &a, names + 1, urls + 1, 1,
                                          &id2, &changed),
                     KW_OK);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM articles_fts WHERE "
                                 "articles_fts MATCH '파운데이션'"),
                     0);

    /* Texts arrive in any order; the join follows the links' order. */
    assert_int_equal(kw_store_attachment_text_put(st, urls[1], 0, "pdf",
                                                  "평가 일정은 다음과 같다.",
                                                  NULL, &changed),
                     KW_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(kw_store_attachment_text_put(
                         st, urls[0], 0, "hwpx",
                         "독자 AI 파운데이션 모델 프로젝트 추가 공모", NULL,
                         NULL),
                     KW_OK);
    /* The same reading again (a reindex) writes nothing. */
    {
        int64_t before = sql_int(st, "SELECT total_changes()");

        assert_int_equal(kw_store_attachment_text_put(
                             st, urls[1], 7, "pdf",
                             "평가 일정은 다음과 같다.", NULL, &changed),
                         KW_OK);
        assert_int_equal(changed, 0);
        assert_int_equal(sql_int(st, "SELECT total_changes()"), before);
    }
    t = sql_text(st, "SELECT attachments_text FROM articles WHERE "
                     "url LIKE '%id=1'");
    assert_string_equal(t, "독자 AI 파운데이션 모델 프로젝트 추가 공모\n\n"
                           "평가 일정은 다음과 같다.");
    kw_free(t);
    t = sql_text(st, "SELECT attachments_text FROM articles WHERE "
                     "url LIKE '%id=2'");
    assert_string_equal(t, "평가 일정은 다음과 같다.");
    kw_free(t);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM articles_fts WHERE "
                                 "articles_fts MATCH '파운데이션'"),
                     1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM articles_fts WHERE "
                                 "articles_fts MATCH '일정은'"),
                     2);

    /* A match only in an attachment shows the attachment's words. */
    {
        struct hit_list l;
        int64_t total = 0;

        memset(&l, 0, sizeof(l));
        assert_int_equal(kw_store_search(st, "파운데이션", NULL, collect_hit,
                                         &l, &total),
                         KW_OK);
        assert_int_equal(total, 1);
        assert_non_null(strstr(l.snippets[0], "\x02파운데이션\x03"));
    }

    /* The notice changes and relinks the same files: the texts stay. */
    a.url_id = uid;
    a.url = "https://m.example/view?id=1";
    a.title = "추가 공모 안내 (수정)";
    assert_int_equal(kw_store_article_put(st, &a, names, urls, 2, &id2,
                                          &changed),
                     KW_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM articles_fts WHERE "
                                 "articles_fts MATCH '파운데이션'"),
                     1);

    /* An unreadable file is recorded with its reason and no text; a
     * notice that drops a link loses that text. */
    assert_int_equal(kw_store_attachment_text_put(st, urls[1], 0, NULL, NULL,
                                                  "encrypted PDF", &changed),
                     KW_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM attachment_texts "
                                 "WHERE error = 'encrypted PDF' AND "
                                 "text = ''"),
                     1);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM articles_fts WHERE "
                                 "articles_fts MATCH '일정은'"),
                     0);
    assert_int_equal(kw_store_attachment_text_put(st, "", 0, NULL, NULL,
                                                  NULL, NULL),
                     KW_EINVAL);
    check_close(st);
}

static void test_search(void **state)
{
    kw_article_filter f;
    struct hit_list l;
    kw_store *st;
    int64_t ids[4], total = -1;
    int calls = 0;

    (void)state;
    st = open_mem();
    seed_articles(st, ids);

    /* 카카오 is in article 0's title and text, article 1's text only. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "카카오", NULL, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(total, 2);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.ids[0], ids[0]);
    assert_int_equal(l.ids[1], ids[1]);
    assert_true(l.scores[0] > l.scores[1]);
    assert_true(l.scores[1] > 0);
    /* The Korean tokenizer highlights the whole word, particle too. */
    assert_non_null(strstr(l.snippets[0], "\x02카카오는\x03"));
    assert_non_null(strstr(l.snippets[1], "\x02카카오\x03"));
    assert_string_equal(l.sources[0], "yonhap");

    /* A title-only match: the snippet falls back to the title. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "선정", NULL, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_string_equal(l.snippets[0], "업스테이지 \x02선정\x03");

    /* Filters. */
    memset(&f, 0, sizeof(f));
    f.source = "etnews";
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "카카오", &f, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_int_equal(l.ids[0], ids[1]);

    memset(&f, 0, sizeof(f));
    f.until = 1500;
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "카카오", &f, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_int_equal(l.ids[0], ids[0]);

    memset(&f, 0, sizeof(f));
    f.since = 1500;
    f.entity = "kakao";
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "공모 OR 평가", &f, collect_hit,
                                     &l, &total),
                     KW_OK);
    assert_int_equal(total, 1);
    assert_int_equal(l.ids[0], ids[1]);

    /* The limit cuts the results, not the total. */
    memset(&f, 0, sizeof(f));
    f.limit = 1;
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "카카오", &f, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(total, 2);
    assert_int_equal(l.n, 1);
    assert_int_equal(kw_store_search(st, "카카오", &f, collect_hit, &l,
                                     NULL),
                     KW_OK);

    /* Nothing found. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "네이버", NULL, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(total, 0);
    assert_int_equal(l.n, 0);

    /* Malformed expressions: KW_EINVAL, no callback, message kept. */
    assert_int_equal(kw_store_search(st, "\"unterminated", NULL, collect_hit,
                                     &calls, &total),
                     KW_EINVAL);
    assert_non_null(strstr(kw_store_errmsg(st), "unterminated string"));
    assert_int_equal(kw_store_search(st, "AND OR (", NULL, collect_hit,
                                     &calls, &total),
                     KW_EINVAL);
    assert_non_null(strstr(kw_store_errmsg(st), "fts5: syntax error"));
    assert_int_equal(kw_store_search(st, "nosuchcol:x", NULL, collect_hit,
                                     &calls, &total),
                     KW_EINVAL);
    assert_int_equal(kw_store_search(st, "", NULL, collect_hit, &calls,
                                     &total),
                     KW_EINVAL);
    assert_int_equal(calls, 0);
    /* The handle still works afterwards. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "title:공모", NULL, collect_hit,
                                     &l, &total),
                     KW_OK);
    assert_int_equal(total, 1);
    check_close(st);
}

/* Without filters the newest 2,000 matches are ranked and up to 10,000
 * counted; past that the total is an estimate from the density of the
 * newest matches, to two significant digits.  Here every third of
 * 36,000 articles says 공모 (12,000, matches spread evenly) and the
 * oldest article says it most in its title: outside the window, it is
 * not ranked first; with a filter it is. */
static void test_search_window_and_estimate(void **state)
{
    kw_article_filter f;
    struct hit_list l;
    kw_store *st;
    int64_t total = 0;

    (void)state;
    st = open_mem();
    sql_exec(st, "PRAGMA foreign_keys = OFF;"
                 "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL "
                 "  SELECT i + 1 FROM c WHERE i < 36000) "
                 "INSERT INTO articles (id, url_id, url, title, text, "
                 "  published_at, content_hash) "
                 "SELECT i, i, 'https://x.example/' || i, "
                 "  CASE WHEN i = 3 THEN '공모 공모 공모' ELSE '기사 ' || i END, "
                 "  CASE WHEN i % 3 = 0 THEN '추가 공모 안내 ' || i "
                 "  ELSE '다른 소식 ' || i END, 1000 + i, i FROM c;"
                 "PRAGMA foreign_keys = ON;");

    memset(&l, 0, sizeof(l));
    assert_int_equal(kw_store_search(st, "공모", NULL, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(kw_store_search_total_exact(st), 0);
    assert_int_equal(total, 12000);
    assert_int_equal(l.n, 2000);            /* the window, no limit */
    assert_true(l.ids[0] > 36000 - 3 * 2000); /* the newest ranked */

    memset(&l, 0, sizeof(l));
    f = (kw_article_filter){1, 0, NULL, NULL, 5};
    assert_int_equal(kw_store_search(st, "공모", &f, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(kw_store_search_total_exact(st), 1);
    assert_int_equal(total, 12000);
    assert_int_equal(l.n, 5);
    assert_int_equal(l.ids[0], 3); /* every match ranked */

    /* Fewer than the cap: counted. */
    memset(&l, 0, sizeof(l));
    f = (kw_article_filter){0, 0, NULL, NULL, 3};
    assert_int_equal(kw_store_search(st, "공모 35997", &f, collect_hit, &l,
                                     &total),
                     KW_OK);
    assert_int_equal(kw_store_search_total_exact(st), 1);
    assert_int_equal(total, 1);
    assert_int_equal(l.ids[0], 35997);
    kw_store_close(st);
}

static void test_fts_check_detects(void **state)
{
    kw_store *st;
    int64_t ids[4];

    (void)state;
    st = open_mem();
    seed_articles(st, ids);
    assert_int_equal(kw_store_fts_check(st), KW_OK);
    /* Change the content behind the index's back. */
    sql_exec(st, "DROP TRIGGER articles_fts_au");
    sql_exec(st, "UPDATE articles SET text = 'changed'");
    assert_int_equal(kw_store_fts_check(st), KW_EDB);
    assert_non_null(strstr(kw_store_errmsg(st), "malformed"));
    kw_store_close(st);
}

/* ---- Transactions ------------------------------------------------------ */

static void test_transactions(void **state)
{
    kw_store *st;

    (void)state;
    st = open_mem();

    assert_int_equal(kw_store_begin(st), KW_OK);
    add_source(st, "a", "https://a.example/");
    kw_store_rollback(st);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM sources"), 0);

    /* Nested: only the outermost commit reaches SQLite. */
    assert_int_equal(kw_store_begin(st), KW_OK);
    assert_int_equal(kw_store_begin(st), KW_OK);
    add_source(st, "b", "https://b.example/");
    assert_int_equal(kw_store_commit(st), KW_OK);
    assert_int_equal(sqlite3_get_autocommit(st->db), 0);
    kw_store_rollback(st);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM sources"), 0);

    /* An inner rollback dooms the outer transaction. */
    assert_int_equal(kw_store_begin(st), KW_OK);
    add_source(st, "c", "https://c.example/");
    assert_int_equal(kw_store_begin(st), KW_OK);
    kw_store_rollback(st);
    assert_int_equal(kw_store_begin(st), KW_EDB);
    assert_int_equal(kw_store_commit(st), KW_EDB);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM sources"), 0);

    /* A failed write inside a caller's transaction rolls back all. */
    assert_int_equal(kw_store_begin(st), KW_OK);
    add_source(st, "d", "https://d.example/");
    {
        kw_article_rec a = mk_article(12345, "https://x/", "t", "x", 1);

        assert_int_equal(kw_store_article_put(st, &a, NULL, NULL, 0, NULL,
                                              NULL),
                         KW_EDB);
    }
    assert_int_equal(kw_store_commit(st), KW_EDB);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM sources"), 0);

    /* Commit works and the handle is reusable. */
    assert_int_equal(kw_store_begin(st), KW_OK);
    add_source(st, "e", "https://e.example/");
    assert_int_equal(kw_store_commit(st), KW_OK);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM sources"), 1);
    assert_int_equal(kw_store_commit(st), KW_EINVAL);
    kw_store_rollback(st); /* no-op without a transaction */
    check_close(st);
}

/* ---- Hosts ------------------------------------------------------------- */

struct host_copy {
    char robots[128];
    int status;
    int64_t fetched_at, expires_at;
};

static kw_err copy_host(const kw_host_rec *h, void *ud)
{
    struct host_copy *c = ud;

    (void)snprintf(c->robots, sizeof(c->robots), "%s",
                   h->robots ? h->robots : "(null)");
    c->status = h->robots_status;
    c->fetched_at = h->fetched_at;
    c->expires_at = h->expires_at;
    return KW_OK;
}

static void test_hosts(void **state)
{
    kw_host_rec h = {"https://www.msit.go.kr", "User-agent: *\nAllow: /\n",
                     200, 100, 86500};
    struct host_copy c;
    kw_store *st;

    (void)state;
    st = open_mem();
    memset(&c, 0, sizeof(c));
    assert_int_equal(kw_store_host_get(st, h.host, copy_host, &c),
                     KW_ENOTFOUND);
    assert_int_equal(kw_store_host_put(st, &h), KW_OK);
    assert_int_equal(kw_store_host_get(st, h.host, copy_host, &c), KW_OK);
    assert_string_equal(c.robots, "User-agent: *\nAllow: /\n");
    assert_int_equal(c.status, 200);
    assert_int_equal(c.expires_at, 86500);
    h.robots = NULL;
    h.robots_status = 0;
    h.fetched_at = 200;
    assert_int_equal(kw_store_host_put(st, &h), KW_OK);
    assert_int_equal(kw_store_host_get(st, h.host, copy_host, &c), KW_OK);
    assert_string_equal(c.robots, "(null)");
    assert_int_equal(c.status, 0);
    assert_int_equal(c.fetched_at, 200);
    assert_int_equal(sql_int(st, "SELECT count(*) FROM hosts"), 1);
    check_close(st);
}

/* ---- Allocation failures ----------------------------------------------- */

/* Opens @path and adds a source; returns the first failure. */
static kw_err alloc_scenario(const char *path)
{
    kw_source src = mk_source("s", "https://s.example/", KW_SRC_RSS);
    char err[256];
    kw_store *st = NULL;
    kw_err rc;

    rc = kw_store_open(path, err, sizeof(err), &st);
    if (rc) {
        assert_null(st);
        return rc;
    }
    rc = kw_store_source_add(st, &src, NULL);
    kw_store_close(st);
    return rc;
}

static void test_alloc_failures(void **state)
{
    char path[512];
    long n, before, used;
    kw_err rc;
    int i;

    (void)state;
    for (i = 0; i < 2; i++) {
        if (i == 0)
            (void)snprintf(path, sizeof(path), ":memory:");
        before = kw_alloc_count();
        if (i == 1)
            tmp_path(path, sizeof(path), "alloc.db");
        assert_int_equal(alloc_scenario(path), KW_OK);
        used = kw_alloc_count() - before;
        assert_true(used >= 2);
        for (n = 1; n <= used + 1; n++) {
            if (i == 1)
                tmp_path(path, sizeof(path), "alloc.db");
            kw_alloc_fail_at(n);
            rc = alloc_scenario(path);
            kw_alloc_fail_at(0);
            if (n <= used)
                assert_int_equal(rc, KW_ENOMEM);
            else
                assert_int_equal(rc, KW_OK);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_memory),
        cmocka_unit_test(test_meta),
        cmocka_unit_test(test_open_file_reopen),
        cmocka_unit_test(test_old_db_migrates),
        cmocka_unit_test(test_newer_db),
        cmocka_unit_test(test_not_a_db),
        cmocka_unit_test(test_corrupt_db),
        cmocka_unit_test(test_foreign_db),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_url_add_dedupe),
        cmocka_unit_test(test_url_due),
        cmocka_unit_test(test_url_reentrant),
        cmocka_unit_test(test_fetch_add),
        cmocka_unit_test(test_article_put),
        cmocka_unit_test(test_attachment_text),
        cmocka_unit_test(test_article_each),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_search_window_and_estimate),
        cmocka_unit_test(test_fts_check_detects),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_alloc_failures),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
