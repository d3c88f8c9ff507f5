/*
 * meta.c -- small named values the program keeps between runs (the day of
 * the last digest sent by the scheduler, ...), in the meta table of
 * schema 4.  Rarely used, so statements are prepared per call.
 */
#include <string.h>

#include "store_int.h"

kw_err kw_store_meta_get(kw_store *st, const char *key, char **out)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
    sqlite3_stmt *s = NULL;
    kw_err err = KW_OK;
    int rc;

    *out = NULL;
    rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = kw_strdup((const char *)sqlite3_column_text(s, 0));
        if (!*out)
            err = KW_ENOMEM;
    } else if (rc == SQLITE_DONE) {
        err = kw__store_failf(st, KW_ENOTFOUND, "no value for %s", key);
    } else {
        err = kw__store_fail(st, rc, "cannot read a setting");
    }
    sqlite3_finalize(s);
    return err;
}

kw_err kw_store_meta_put(kw_store *st, const char *key, const char *value)
{
    static const char sql[] =
        "INSERT INTO meta (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    sqlite3_stmt *s = NULL;
    kw_err err = KW_OK;
    int rc;

    rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        err = kw__store_fail(st, rc, "cannot save a setting");
    sqlite3_finalize(s);
    return err;
}
