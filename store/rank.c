/*
 * rank.c -- FTS5 auxiliary functions of kowatch's search (fts5.h
 * "CUSTOM AUXILIARY FUNCTIONS"), registered on every connection beside
 * the tokenizer.
 *
 * kwrank(fts, lo, hi, n, w0, w1, ...) is Okapi BM25 as FTS5's built-in
 * bm25() computes it (k1 1.2, b 0.75, a phrase's frequency summed over
 * the columns with weight wN, the row's length over all columns, the
 * result negated so that smaller is better), with one difference: how
 * a phrase's document frequency is found.  bm25() counts every row that
 * holds each phrase of the query before it scores the first row: a full
 * scan of each phrase, the whole of a search's time for a common word
 * at 1,000,000 articles, and more for a phrase of two common words
 * ('사업 정보', the spacing variant of '사업정보') whose few matches
 * are found only by intersecting long position lists.  kwrank counts a
 * phrase from the oldest row up and stops after KW_RANK_DF_HITS matches
 * or KW_RANK_DF_SPAN rowids, then scales the count to the rowid range
 * [lo, hi] of the whole table (articles' ids are dense: they are never
 * reused and seldom deleted).  A scan that ends by itself gives the
 * exact count, so on any collection up to KW_RANK_DF_SPAN rows kwrank
 * equals bm25(); beyond, a frequent phrase's count is estimated from a
 * sample of at least KW_RANK_DF_HITS matches (about 3% error, and the
 * logarithm of the IDF damps it further).  With n > 0 only the first n
 * rows the cursor visits are scored and later ones get NULL, so that one
 * pass over the newest matches (ORDER BY rowid DESC) both ranks the
 * newest n and counts further without scoring them.
 *
 * kwcol(fts) names the column whose snippet a result shows: the text
 * (1) when the text matched, else the attachments' text (2), else the
 * title (0).  It reads the row's match positions, which the ranking has
 * loaded already, where comparing snippets tokenized every column.
 */
#include <math.h>
#include <string.h>

#include "store_int.h"

#define KW_RANK_DF_HITS 1024
#define KW_RANK_DF_SPAN 65536

/* Query-wide data of one kwrank() cursor, kept as FTS5 auxdata. */
typedef struct rank_data {
    sqlite3_int64 n_scored; /* rows scored so far */
    int n_phrase;
    double avgdl;  /* mean row length in tokens */
    double *idf;   /* per phrase */
    double *freq;  /* per phrase, scratch for the current row */
} rank_data;

typedef struct df_scan {
    sqlite3_int64 lo;   /* smallest rowid of the table */
    sqlite3_int64 hits; /* rows seen holding the phrase */
    sqlite3_int64 last; /* rowid of the last of them */
    int is_cut;         /* the scan stopped before the end */
} df_scan;

static int df_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    df_scan *d = ud;

    d->hits++;
    d->last = api->xRowid(fts);
    if (d->hits >= KW_RANK_DF_HITS || d->last - d->lo >= KW_RANK_DF_SPAN) {
        d->is_cut = 1;
        return SQLITE_DONE; /* ends xQueryPhrase without an error */
    }
    return SQLITE_OK;
}

static void rank_data_free(void *p)
{
    rank_data *r = p;

    if (r) {
        sqlite3_free(r->idf);
        sqlite3_free(r);
    }
}

/* Builds the query-wide data: mean row length and an IDF per phrase. */
static int rank_data_new(const Fts5ExtensionApi *api, Fts5Context *fts,
                         sqlite3_int64 lo, sqlite3_int64 hi, rank_data **out)
{
    sqlite3_int64 n_row = 0, n_tok = 0;
    rank_data *r;
    int rc, i;

    *out = NULL;
    r = sqlite3_malloc(sizeof(*r));
    if (!r)
        return SQLITE_NOMEM;
    memset(r, 0, sizeof(*r));
    r->n_phrase = api->xPhraseCount(fts);
    r->idf = sqlite3_malloc64(sizeof(double) * 2 *
                              (sqlite3_uint64)(r->n_phrase + 1));
    if (!r->idf) {
        sqlite3_free(r);
        return SQLITE_NOMEM;
    }
    r->freq = r->idf + r->n_phrase;
    rc = api->xRowCount(fts, &n_row);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &n_tok);
    r->avgdl = n_row > 0 ? (double)n_tok / (double)n_row : 1.0;
    if (r->avgdl <= 0)
        r->avgdl = 1.0;
    for (i = 0; rc == SQLITE_OK && i < r->n_phrase; i++) {
        df_scan d;
        double n;

        memset(&d, 0, sizeof(d));
        d.lo = lo;
        rc = api->xQueryPhrase(fts, i, &d, df_cb);
        n = (double)d.hits;
        if (d.is_cut && hi > lo && d.last >= lo)
            n = n * (double)(hi - lo + 1) / (double)(d.last - lo + 1);
        if (n > (double)n_row)
            n = (double)n_row;
        r->idf[i] = log(((double)n_row - n + 0.5) / (n + 0.5));
        if (r->idf[i] <= 0.0)
            r->idf[i] = 1e-6;
    }
    if (rc != SQLITE_OK) {
        rank_data_free(r);
        return rc;
    }
    *out = r;
    return SQLITE_OK;
}

static void kwrank(const Fts5ExtensionApi *api, Fts5Context *fts,
                   sqlite3_context *ctx, int n_val, sqlite3_value **val)
{
    const double k1 = 1.2, b = 0.75;
    rank_data *r = api->xGetAuxdata(fts, 0);
    double score = 0.0, len;
    int rc = SQLITE_OK, n_inst = 0, n_tok = 0, i;

    if (n_val < 3) {
        sqlite3_result_error(ctx, "kwrank: lo, hi and n expected", -1);
        return;
    }
    if (!r) {
        rc = rank_data_new(api, fts, sqlite3_value_int64(val[0]),
                           sqlite3_value_int64(val[1]), &r);
        if (rc == SQLITE_OK)
            rc = api->xSetAuxdata(fts, r, rank_data_free);
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (sqlite3_value_int64(val[2]) > 0 &&
        r->n_scored >= sqlite3_value_int64(val[2])) {
        sqlite3_result_null(ctx); /* past the first n rows: not scored */
        return;
    }
    r->n_scored++;
    memset(r->freq, 0, sizeof(double) * (size_t)r->n_phrase);
    rc = api->xInstCount(fts, &n_inst);
    for (i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int ip, ic, io;

        rc = api->xInst(fts, i, &ip, &ic, &io);
        if (rc == SQLITE_OK && ip >= 0 && ip < r->n_phrase)
            r->freq[ip] += n_val > 3 + ic
                               ? sqlite3_value_double(val[3 + ic])
                               : 1.0;
    }
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &n_tok);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    len = (double)n_tok;
    for (i = 0; i < r->n_phrase; i++)
        score += r->idf[i] * (r->freq[i] * (k1 + 1.0)) /
                 (r->freq[i] + k1 * (1.0 - b + b * len / r->avgdl));
    sqlite3_result_double(ctx, -score);
}

static void kwcol(const Fts5ExtensionApi *api, Fts5Context *fts,
                  sqlite3_context *ctx, int n_val, sqlite3_value **val)
{
    int rc, n_inst = 0, i, best = 0;

    (void)n_val;
    (void)val;
    rc = api->xInstCount(fts, &n_inst);
    for (i = 0; rc == SQLITE_OK && i < n_inst && best != 1; i++) {
        int ip, ic, io;

        rc = api->xInst(fts, i, &ip, &ic, &io);
        if (rc == SQLITE_OK && (ic == 1 || (ic == 2 && best == 0)))
            best = ic;
    }
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_int(ctx, best);
}

int kw__store_rank_register(sqlite3 *db)
{
    fts5_api *api = kw__store_fts5_api(db);
    int rc;

    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;
    rc = api->xCreateFunction(api, "kwrank", NULL, kwrank, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "kwcol", NULL, kwcol, NULL);
    return rc;
}
