/*
 * store_int.h -- private interface of the store module: the kw_store
 * handle, the prepared-statement cache, error mapping, binding helpers
 * and the schema migrations.  Only the store's own sources and its unit
 * tests (tests/unit/test_store*.c) include it.
 */
#ifndef KW_STORE_INT_H
#define KW_STORE_INT_H

#include <sqlite3.h>

#include "kw/store.h"

/* PRAGMA application_id of every kowatch database: "KW01". */
#define KW_STORE_APP_ID 0x4B573031

/* The FTS5 tokenizer of articles_fts.  It is named here only: a later
 * migration that swaps in the Korean tokenizer recreates the table with
 * its own constant and leaves migration 1 as it was. */
#define KW_STORE_FTS_TOKENIZE "unicode61 remove_diacritics 2"

/* The Korean tokenizer (tokenizer.c) registered on every connection, and
 * the tokenize= of articles_fts from migration 2 on. */
#define KW_STORE_FTS_TOKENIZER_NAME "kowatch"
#define KW_STORE_FTS_TOKENIZE_KO KW_STORE_FTS_TOKENIZER_NAME

/* Slots of the prepared-statement cache, one per hot statement. */
enum kw__store_slot {
    KW_SLOT_SOURCE_ADD = 0,
    KW_SLOT_SOURCE_REMOVE,
    KW_SLOT_SOURCE_PARK_URLS,
    KW_SLOT_SOURCE_EACH,
    KW_SLOT_SOURCE_GET,
    KW_SLOT_SOURCE_POLLED,
    KW_SLOT_URL_ADD,
    KW_SLOT_URL_ID,
    KW_SLOT_URL_ADOPT,
    KW_SLOT_URL_DUE,
    KW_SLOT_URL_GET,
    KW_SLOT_URL_COUNT_DUE,
    KW_SLOT_FETCH_URL_UPDATE,
    KW_SLOT_FETCH_INSERT,
    KW_SLOT_FETCH_LATEST,
    KW_SLOT_ARTICLE_FIND,
    KW_SLOT_ARTICLE_INSERT,
    KW_SLOT_ARTICLE_CLUSTER,
    KW_SLOT_ARTICLE_UPDATE,
    KW_SLOT_ATT_DELETE,
    KW_SLOT_ATT_INSERT,
    KW_SLOT_ATT_TEXT_PUT,
    KW_SLOT_ATT_REFRESH,
    KW_SLOT_ATT_REFRESH_URL,
    KW_SLOT_ATT_EACH,
    KW_SLOT_ATT_ARTICLES,
    KW_SLOT_ARTICLE_EACH,
    KW_SLOT_ARTICLE_GET,
    KW_SLOT_ARTICLE_COUNT,
    KW_SLOT_SEARCH,
    KW_SLOT_SEARCH_COUNT,
    KW_SLOT_SEARCH_FAST,
    KW_SLOT_ARTICLE_ID_RANGE,
    KW_SLOT_FTS_CHECK,
    KW_SLOT_HOST_GET,
    KW_SLOT_HOST_PUT,
    KW_SLOT_COUNT_
};

/* Size of the error message kept on the handle. */
#define KW_STORE_ERRMSG_MAX 1024

struct kw_store {
    sqlite3 *db;                              /* the one connection */
    char *path;                               /* as given to open */
    int depth;                                /* kw_store_begin nesting */
    int is_doomed;                            /* inner rollback happened */
    sqlite3_stmt *stmts[KW_SLOT_COUNT_];      /* cached, lazily prepared */
    unsigned char in_use[KW_SLOT_COUNT_];     /* cached one is stepping */
    char errmsg[KW_STORE_ERRMSG_MAX];         /* last error, file named */
    int is_total_exact;                       /* of the last search */
};

/* Migrations: kw__store_migrations[i] brings a database from schema
 * version i to i + 1.  Each is a NULL-terminated list of SQL texts run in
 * order (split only to keep every string literal under C's 4095-byte
 * minimum).  Append only; never edit a released script. */
extern const char *const *const kw__store_migrations[];
extern const int kw__store_n_migrations;

/*
 * Returns in *out a prepared statement for @sql, cached in @slot.  If the
 * cached statement is already stepping (a callback re-entered the store),
 * a fresh statement is prepared instead.  Always pair with
 * kw__store_release().  On failure *out is NULL and the error is mapped
 * and recorded on @st.
 */
kw_err kw__store_prepare(kw_store *st, enum kw__store_slot slot,
                         const char *sql, sqlite3_stmt **out);
/* Resets @stmt and clears its bindings; finalizes it if it was not the
 * cached one.  Accepts NULL. */
void kw__store_release(kw_store *st, enum kw__store_slot slot,
                       sqlite3_stmt *stmt);

/*
 * Records the SQLite error @rc (with sqlite3_errmsg) as the last error,
 * prefixed by the file name and @what, and returns the kw_err for it:
 * SQLITE_NOMEM -> KW_ENOMEM, a UNIQUE or PRIMARY KEY constraint ->
 * KW_EEXIST, everything else KW_EDB (corruption gets advice).
 */
kw_err kw__store_fail(kw_store *st, int rc, const char *what);
/* Records a message of our own as the last error and returns @e. */
kw_err kw__store_failf(kw_store *st, kw_err e, const char *fmt, ...)
    KW_PRINTF(3, 4);

/* Registers the 'kowatch' FTS5 tokenizer on @db (tokenizer.c).  Returns
 * a SQLite result code; SQLITE_ERROR if the library lacks FTS5. */
int kw__store_tokenizer_register(sqlite3 *db);
/* Registers the FTS5 functions kwrank() and kwcol() of searches on @db
 * (rank.c); a SQLite result code. */
int kw__store_rank_register(sqlite3 *db);
/* The fts5_api of @db, or NULL if the library lacks FTS5. */
fts5_api *kw__store_fts5_api(sqlite3 *db);

/* Binding helpers with a sticky SQLite result code in *rc: after the
 * first failure they do nothing.  Text is bound SQLITE_STATIC (it must
 * outlive the step); NULL text binds SQL NULL, and 0 ids bind NULL. */
void kw__store_bind_text(sqlite3_stmt *s, int i, const char *v, int *rc);
void kw__store_bind_int64(sqlite3_stmt *s, int i, int64_t v, int *rc);
void kw__store_bind_id(sqlite3_stmt *s, int i, int64_t v, int *rc);

/* Steps a statement that returns no rows (or whose rows are ignored) to
 * completion; returns the SQLite result code (SQLITE_DONE on success). */
int kw__store_step_done(sqlite3_stmt *s);

/* Runs a write statement from slot @slot, bound by the caller (@rc: the
 * binding result), to completion and releases it; a failure is recorded
 * with @what.  *changes (may be NULL) gets the rows it changed. */
kw_err kw__store_write(kw_store *st, enum kw__store_slot slot,
                       sqlite3_stmt *s, int rc, const char *what,
                       int *changes);

/* A column as text, or NULL for SQL NULL. */
const char *kw__store_col_text(sqlite3_stmt *s, int i);

/* 64-bit FNV-1a of title, a NUL separator and text (NULL counts as "").
 * Used only to detect changed articles. */
uint64_t kw__store_content_hash(const char *title, const char *text);

/* attachments.c: sets the article's attachments_text from the texts of
 * its attachments (after they were replaced). */
kw_err kw__store_attachments_refresh(kw_store *st, int64_t article_id);

#endif /* KW_STORE_INT_H */
