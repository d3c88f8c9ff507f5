/*
 * attachments.c -- a notice's attachments as JSON, for `articles --json`
 * and the web API: what each is, and whether its text could be read.
 */
#include "queries_int.h"

static kw_err attachment_json(const kw_attachment_rec *r, void *ud)
{
    json_t *arr = ud;
    json_t *o = json_object();

    if (!o)
        return KW_ENOMEM;
    json_object_set_new(o, "name", kw__query_jstr(r->name));
    json_object_set_new(o, "url", kw__query_jstr(r->url));
    json_object_set_new(o, "fetched", json_boolean(r->is_fetched));
    json_object_set_new(o, "format", kw__query_jstr(r->format));
    json_object_set_new(o, "text_bytes", json_integer(r->text_bytes));
    json_object_set_new(o, "error", kw__query_jstr(r->error));
    return json_array_append_new(arr, o) ? KW_ENOMEM : KW_OK;
}

json_t *kw__query_attachments(kw_store *st, int64_t id, kw_err *err)
{
    json_t *arr = json_array();

    if (!arr) {
        *err = KW_ENOMEM;
        return NULL;
    }
    *err = kw_store_attachment_each(st, id, attachment_json, arr);
    if (*err) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}
