/*
 * store.c -- the kw_store handle: opening a database (pragmas, refusing
 * foreign, corrupt or newer files, running migrations), the prepared-
 * statement cache, SQLite error mapping and nested transactions.
 *
 * Opening checks, in order: the file opens; its header reads (a file that
 * is not SQLite fails here with SQLITE_NOTADB, a damaged one with
 * SQLITE_CORRUPT -- we rely on these first reads instead of a slow
 * PRAGMA quick_check); PRAGMA application_id is kowatch's, or the database
 * is empty; PRAGMA user_version is not newer than this build.  Missing
 * migrations then run in one IMMEDIATE transaction.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

int kw_store_schema_version(void)
{
    return kw__store_n_migrations;
}

/* ---- Errors ------------------------------------------------------------ */

/* Advice appended to errors that mean the file itself is unusable. */
static const char *advice_for(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return "; move it away or pass --db PATH";
    case SQLITE_CORRUPT:
        return "; the database is damaged: restore it from a backup, or "
               "move it away and pass --db PATH";
    case SQLITE_CANTOPEN:
        return "; check the path and its permissions, or pass --db PATH";
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return "; the database is read-only: check its permissions";
    case SQLITE_FULL:
        return "; the disk is full";
    default:
        return "";
    }
}

kw_err kw__store_fail(kw_store *st, int rc, const char *what)
{
    /* Callers record the error right after the failing call, before any
     * reset or finalize, so sqlite3_errmsg still describes it. */
    const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);

    (void)snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s: %s%s", st->path,
                   what, msg, advice_for(rc));
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return KW_ENOMEM;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE ||
            rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return KW_EEXIST;
        return KW_EDB;
    default:
        return KW_EDB;
    }
}

kw_err kw__store_failf(kw_store *st, kw_err e, const char *fmt, ...)
{
    va_list ap;
    int n;

    n = snprintf(st->errmsg, sizeof(st->errmsg), "%s: ", st->path);
    if (n < 0 || (size_t)n >= sizeof(st->errmsg))
        return e;
    va_start(ap, fmt);
    (void)vsnprintf(st->errmsg + n, sizeof(st->errmsg) - (size_t)n, fmt, ap);
    va_end(ap);
    return e;
}

const char *kw_store_errmsg(kw_store *st)
{
    if (!st)
        return "no store";
    return st->errmsg;
}

/* ---- Statement cache and helpers --------------------------------------- */

kw_err kw__store_prepare(kw_store *st, enum kw__store_slot slot,
                         const char *sql, sqlite3_stmt **out)
{
    sqlite3_stmt *s = NULL;
    int rc;

    *out = NULL;
    if (st->stmts[slot] && !st->in_use[slot]) {
        st->in_use[slot] = 1;
        *out = st->stmts[slot];
        return KW_OK;
    }
    if (!st->stmts[slot]) {
        rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &s, NULL);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(s);
            return kw__store_fail(st, rc, "prepare");
        }
        st->stmts[slot] = s;
        st->in_use[slot] = 1;
        *out = s;
        return KW_OK;
    }
    /* Re-entered from a callback while the cached one is stepping. */
    rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        return kw__store_fail(st, rc, "prepare");
    }
    *out = s;
    return KW_OK;
}

void kw__store_release(kw_store *st, enum kw__store_slot slot,
                       sqlite3_stmt *stmt)
{
    if (!stmt)
        return;
    if (stmt != st->stmts[slot]) {
        sqlite3_finalize(stmt);
        return;
    }
    (void)sqlite3_reset(stmt);
    (void)sqlite3_clear_bindings(stmt);
    st->in_use[slot] = 0;
}

void kw__store_bind_text(sqlite3_stmt *s, int i, const char *v, int *rc)
{
    if (*rc != SQLITE_OK)
        return;
    if (!v)
        *rc = sqlite3_bind_null(s, i);
    else
        *rc = sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

void kw__store_bind_int64(sqlite3_stmt *s, int i, int64_t v, int *rc)
{
    if (*rc != SQLITE_OK)
        return;
    *rc = sqlite3_bind_int64(s, i, (sqlite3_int64)v);
}

void kw__store_bind_id(sqlite3_stmt *s, int i, int64_t v, int *rc)
{
    if (*rc != SQLITE_OK)
        return;
    if (v == 0)
        *rc = sqlite3_bind_null(s, i);
    else
        *rc = sqlite3_bind_int64(s, i, (sqlite3_int64)v);
}

int kw__store_step_done(sqlite3_stmt *s)
{
    int rc;

    do {
        rc = sqlite3_step(s);
    } while (rc == SQLITE_ROW);
    return rc;
}

kw_err kw__store_write(kw_store *st, enum kw__store_slot slot,
                       sqlite3_stmt *s, int rc, const char *what,
                       int *changes)
{
    kw_err err = KW_OK;

    if (changes)
        *changes = 0;
    if (rc == SQLITE_OK)
        rc = kw__store_step_done(s);
    if (rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, what);
    else if (changes)
        *changes = sqlite3_changes(st->db);
    kw__store_release(st, slot, s);
    return err;
}

const char *kw__store_col_text(sqlite3_stmt *s, int i)
{
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return NULL;
    return (const char *)sqlite3_column_text(s, i);
}

uint64_t kw__store_content_hash(const char *title, const char *text)
{
    const uint64_t prime = 0x100000001b3ULL;
    uint64_t h = 0xcbf29ce484222325ULL;
    const unsigned char *p;

    for (p = (const unsigned char *)(title ? title : ""); *p; p++) {
        h ^= *p;
        h *= prime;
    }
    h ^= 0; /* the separator byte, so ("ab","c") differs from ("a","bc") */
    h *= prime;
    for (p = (const unsigned char *)(text ? text : ""); *p; p++) {
        h ^= *p;
        h *= prime;
    }
    return h;
}

/* ---- Opening ----------------------------------------------------------- */

/* Runs one static SQL text (pragmas, transaction control, migrations). */
static kw_err exec_sql(kw_store *st, const char *sql, const char *what)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK)
        return kw__store_fail(st, rc, what);
    return KW_OK;
}

/* Runs a one-row integer query (a pragma or a count) into *out. */
static kw_err query_int(kw_store *st, const char *sql, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    kw_err err = KW_OK;
    int rc;

    *out = 0;
    rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK) {
        err = kw__store_fail(st, rc, "cannot read the database");
        goto done;
    }
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = (int64_t)sqlite3_column_int64(s, 0);
    } else if (rc != SQLITE_DONE) {
        err = kw__store_fail(st, rc, "cannot read the database");
        goto done;
    }
done:
    sqlite3_finalize(s);
    return err;
}

/* Reads the header fields that say whose database this is. */
static kw_err read_identity(kw_store *st, int64_t *app_id, int64_t *version,
                            int64_t *n_tables)
{
    kw_err err;

    err = query_int(st, "PRAGMA application_id", app_id);
    if (!err)
        err = query_int(st, "PRAGMA user_version", version);
    if (!err)
        err = query_int(st, "SELECT count(*) FROM sqlite_schema", n_tables);
    return err;
}

/*
 * Decides whether @st's database may be used: KW_OK if it is kowatch's
 * or empty, KW_EVERSION if it is newer than this build, KW_EDB if it
 * belongs to another program.
 */
static kw_err check_identity(kw_store *st, int64_t app_id, int64_t version,
                             int64_t n_tables)
{
    if (app_id == 0 && version == 0 && n_tables == 0)
        return KW_OK; /* new and empty */
    if (app_id == 0)
        return kw__store_failf(
            st, KW_EDB,
            "not a kowatch database (a SQLite database of another "
            "program, without kowatch's schema); move it away or pass "
            "--db PATH");
    if (app_id != KW_STORE_APP_ID)
        return kw__store_failf(
            st, KW_EDB,
            "not a kowatch database (application_id %lld belongs to another "
            "program); move it away or pass --db PATH",
            (long long)app_id);
    if (version < 0)
        return kw__store_failf(st, KW_EDB,
                               "invalid schema version %lld; move it away "
                               "or pass --db PATH",
                               (long long)version);
    if (version > kw__store_n_migrations)
        return kw__store_failf(
            st, KW_EVERSION,
            "written by a newer kowatch (schema %lld, this build knows %d); "
            "upgrade kowatch or use another --db",
            (long long)version, kw__store_n_migrations);
    return KW_OK;
}

/*
 * Applies the migrations the database lacks, in one transaction.  Foreign keys
 * are still off here (they are switched on after), so a later migration
 * may rebuild tables; PRAGMA foreign_key_check guards the result.
 */
static kw_err migrate(kw_store *st)
{
    int64_t app_id, version, n_tables, bad;
    char pragma[64];
    kw_err err;
    int i, n;

    err = exec_sql(st, "BEGIN IMMEDIATE", "cannot start the migration");
    if (err)
        return err;
    /* Read again under the write lock: another process may have migrated
     * it in the meantime. */
    err = read_identity(st, &app_id, &version, &n_tables);
    if (!err)
        err = check_identity(st, app_id, version, n_tables);
    if (err)
        goto fail;
    /* Shown by default (warning level): the wait needs a reason. */
    if (n_tables > 0 && version < kw__store_n_migrations)
        kw_log(KW_LOG_WARN, "store",
               "%s: upgrading the database from schema %lld to %d; a "
               "search index rebuild can take minutes on a large archive",
               st->path, (long long)version, kw__store_n_migrations);
    for (i = (int)version; i < kw__store_n_migrations; i++) {
        const char *const *part;

        for (part = kw__store_migrations[i]; *part; part++) {
            err = exec_sql(st, *part, "migration failed");
            if (err)
                goto fail;
        }
    }
    /* Only an int is formatted: pragmas cannot take bound parameters. */
    n = snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
                 kw__store_n_migrations);
    if (n < 0 || (size_t)n >= sizeof(pragma)) {
        err = kw__store_failf(st, KW_EDB, "internal error");
        goto fail;
    }
    err = exec_sql(st, pragma, "migration failed");
    if (err)
        goto fail;
    err = query_int(st, "SELECT count(*) FROM pragma_foreign_key_check",
                    &bad);
    if (err)
        goto fail;
    if (bad) {
        err = kw__store_failf(st, KW_EDB,
                              "migration left %lld broken references",
                              (long long)bad);
        goto fail;
    }
    err = exec_sql(st, "COMMIT", "cannot commit the migration");
    if (err)
        goto fail;
    return KW_OK;
fail:
    (void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return err;
}

static int is_memory_path(const char *path)
{
    return path[0] == '\0' || strcmp(path, ":memory:") == 0;
}

void kw_store_close(kw_store *st)
{
    int i;

    if (!st)
        return;
    for (i = 0; i < KW_SLOT_COUNT_; i++)
        sqlite3_finalize(st->stmts[i]);
    if (st->db && sqlite3_close(st->db) != SQLITE_OK)
        kw_log(KW_LOG_WARN, "store", "%s: close: %s", st->path,
               sqlite3_errmsg(st->db));
    kw_free(st->path);
    kw_free(st);
}

/* Copies @msg into the caller's error buffer, if there is one. */
static void set_err(char *err, size_t err_n, const char *msg)
{
    if (err && err_n)
        (void)snprintf(err, err_n, "%s", msg);
}

kw_err kw_store_open(const char *path, char *err, size_t err_n,
                     kw_store **out)
{
    int64_t app_id, version, n_tables;
    kw_store *st = NULL;
    kw_err e;
    int rc;

    *out = NULL;
    set_err(err, err_n, "");
    if (!path) {
        set_err(err, err_n, "no database path given");
        return KW_EINVAL;
    }
    st = kw_calloc(1, sizeof(*st));
    if (!st) {
        set_err(err, err_n, "out of memory");
        return KW_ENOMEM;
    }
    st->path = kw_strdup(path);
    if (!st->path) {
        set_err(err, err_n, "out of memory");
        e = KW_ENOMEM;
        goto fail;
    }
    rc = sqlite3_open_v2(path, &st->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        e = kw__store_fail(st, rc, "cannot open database");
        goto fail_msg;
    }
    (void)sqlite3_extended_result_codes(st->db, 1);
    (void)sqlite3_busy_timeout(st->db, 5000);
    /* Before anything reads articles_fts: its tokenizer lives here. */
    rc = kw__store_tokenizer_register(st->db);
    if (rc != SQLITE_OK) {
        e = kw__store_fail(st, rc, "cannot register the Korean tokenizer");
        goto fail_msg;
    }
    rc = kw__store_rank_register(st->db);
    if (rc != SQLITE_OK) {
        e = kw__store_fail(st, rc, "cannot register the search ranking");
        goto fail_msg;
    }

    /* The first reads: a non-database or damaged file fails here. */
    e = read_identity(st, &app_id, &version, &n_tables);
    if (!e)
        e = check_identity(st, app_id, version, n_tables);
    if (e)
        goto fail_msg;

    if (!is_memory_path(path)) {
        /* Returns the new mode as a row; a file system without WAL
         * support keeps the old mode, which is fine. */
        e = exec_sql(st, "PRAGMA journal_mode = WAL", "cannot enable WAL");
        if (e)
            goto fail_msg;
    }
    /* Reads through mmap and a 16 MiB page cache instead of SQLite's 2 MB:
     * a search reads index pages of thousands of matches, and pread per
     * page was a large share of its time in bench_serve. */
    e = exec_sql(st,
                 "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; "
                 "PRAGMA mmap_size = 268435456",
                 "cannot set pragmas");
    if (e)
        goto fail_msg;
    if (version < kw__store_n_migrations) {
        e = migrate(st);
        if (e)
            goto fail_msg;
    }
    e = exec_sql(st, "PRAGMA foreign_keys = ON", "cannot set pragmas");
    if (e)
        goto fail_msg;
    st->errmsg[0] = '\0';
    *out = st;
    return KW_OK;

fail_msg:
    set_err(err, err_n, st->errmsg);
fail:
    kw_store_close(st);
    return e;
}

/* ---- Transactions ------------------------------------------------------ */

kw_err kw_store_begin(kw_store *st)
{
    kw_err e;

    if (st->depth > 0) {
        if (st->is_doomed)
            return kw__store_failf(st, KW_EDB,
                                   "transaction already rolled back");
        st->depth++;
        return KW_OK;
    }
    /* IMMEDIATE takes the write lock now, so a writer never fails with
     * SQLITE_BUSY half-way through (busy_timeout applies here). */
    e = exec_sql(st, "BEGIN IMMEDIATE", "cannot begin a transaction");
    if (e)
        return e;
    st->depth = 1;
    st->is_doomed = 0;
    return KW_OK;
}

kw_err kw_store_commit(kw_store *st)
{
    kw_err e;

    if (st->depth <= 0)
        return kw__store_failf(st, KW_EINVAL, "commit without begin");
    if (--st->depth > 0)
        return KW_OK;
    if (st->is_doomed) {
        st->is_doomed = 0;
        return kw__store_failf(st, KW_EDB,
                               "transaction was rolled back by an inner "
                               "rollback; nothing was committed");
    }
    e = exec_sql(st, "COMMIT", "cannot commit");
    if (e) {
        /* A failed COMMIT may leave the transaction open; end it so the
         * handle is usable again. */
        if (!sqlite3_get_autocommit(st->db))
            (void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return e;
}

void kw_store_rollback(kw_store *st)
{
    if (!st || st->depth <= 0)
        return;
    if (!st->is_doomed && !sqlite3_get_autocommit(st->db))
        (void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->depth--;
    st->is_doomed = st->depth > 0;
}
