/*
 * kw_analyze: one text in, its sentences, entity mentions, participation
 * decisions (with evidence sentence and event date) and fingerprint out.
 * The text is normalised once (NFKC_Casefold, with a byte map back to the
 * input), broken into sentences by ICU, and each sentence goes through the
 * gazetteer matcher (gazetteer.c), the stance rules (stance.c) and the
 * event-date reader (eventdate.c).  Everything returned lives in the
 * result's arena.
 */
#include <string.h>

#include "analysis_int.h"

typedef struct dyn {
    void *v;
    size_t n, cap, size;
} dyn;

static void *dyn_push(dyn *d)
{
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 16;
        void *nv = kw_realloc(d->v, nc * d->size);

        if (!nv)
            return NULL;
        d->v = nv;
        d->cap = nc;
    }
    memset((char *)d->v + d->n * d->size, 0, d->size);
    return (char *)d->v + d->n++ * d->size;
}

/* First index i in map[0..n] with map[i] >= off. */
static size_t lower_bound(const size_t *map, size_t n, size_t off)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (map[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Adds one occurrence of entity @e at input offset @off to @list. */
static kw_err count_mention(dyn *list, const kw_gazetteer *g, size_t e,
                            size_t off)
{
    kw_mention *m = list->v;
    const kw_entity *ent = kw_gazetteer_entity(g, e);
    size_t i;

    for (i = 0; i < list->n; i++) {
        if (strcmp(m[i].entity_id, ent->id) == 0) {
            m[i].count++;
            if (off < m[i].first_offset)
                m[i].first_offset = off;
            return KW_OK;
        }
    }
    m = dyn_push(list);
    if (!m)
        return KW_ENOMEM;
    m->entity_id = ent->id;
    m->name = ent->name;
    m->count = 1;
    m->first_offset = off;
    return KW_OK;
}

/* Per-sentence bookkeeping before the arrays are final. */
typedef struct sent_tmp {
    size_t first_mention, n_mentions;
    size_t first_decision, n_decisions;
} sent_tmp;

static void *arena_copy(kw_arena *a, const void *p, size_t n)
{
    void *q;

    if (n == 0)
        return NULL;
    q = kw_arena_alloc(a, n);
    if (q)
        memcpy(q, p, n);
    return q;
}

kw_err kw_analyze(const kw_gazetteer *g, const kw_rules *r, const char *p,
                  size_t n, const kw_date *published, kw_analysis **out)
{
    kw_analysis *a = NULL;
    kw__an_norm nm;
    size_t *ss = NULL, *se = NULL, n_s = 0, i, k;
    dyn all = {NULL, 0, 0, sizeof(kw_mention)};
    dyn smen = {NULL, 0, 0, sizeof(kw_mention)};
    dyn decs = {NULL, 0, 0, sizeof(kw_decision)};
    dyn tmp = {NULL, 0, 0, sizeof(sent_tmp)};
    kw_err rc;

    *out = NULL;
    memset(&nm, 0, sizeof(nm));
    if (!p && n)
        return KW_EINVAL;
    if (n > KW_MAX_TEXT)
        return KW_ETOOBIG;
    a = kw_calloc(1, sizeof(*a));
    if (!a)
        return KW_ENOMEM;
    a->arena = kw_arena_new();
    if (!a->arena) {
        rc = KW_ENOMEM;
        goto fail;
    }
    rc = kw__an_normalize(p ? p : "", n, &nm);
    if (rc)
        goto fail;
    a->fingerprint = kw__an_fingerprint(g, nm.p, nm.n);
    rc = kw__an_sentences(p ? p : "", n, &ss, &se, &n_s);
    if (rc)
        goto fail;
    for (i = 0; i < n_s; i++) {
        size_t lo = lower_bound(nm.map, nm.n, ss[i]);
        size_t hi = lower_bound(nm.map, nm.n, se[i]);
        kw__an_match *m = NULL;
        kw__an_verdict *v = NULL;
        size_t n_m = 0, n_v = 0;
        sent_tmp *st = dyn_push(&tmp);
        kw_date ev;
        int has_ev;

        if (!st) {
            rc = KW_ENOMEM;
            goto fail;
        }
        st->first_mention = smen.n;
        st->first_decision = decs.n;
        if (g) {
            rc = kw__an_match_entities(g, nm.p, lo, hi, &m, &n_m);
            if (rc)
                goto fail;
        }
        for (k = 0; k < n_m && !rc; k++) {
            dyn one = {(char *)smen.v + st->first_mention * smen.size,
                       smen.n - st->first_mention, 0, sizeof(kw_mention)};

            /* Count within this sentence: search its own slice. */
            one.cap = one.n;
            rc = count_mention(&all, g, m[k].entity, nm.map[m[k].start]);
            if (!rc) {
                size_t j;
                kw_mention *sm = one.v;
                const kw_entity *ent = kw_gazetteer_entity(g, m[k].entity);

                for (j = 0; j < one.n; j++) {
                    if (strcmp(sm[j].entity_id, ent->id) == 0) {
                        sm[j].count++;
                        break;
                    }
                }
                if (j == one.n) {
                    kw_mention *nmn = dyn_push(&smen);

                    if (!nmn) {
                        rc = KW_ENOMEM;
                    } else {
                        nmn->entity_id = ent->id;
                        nmn->name = ent->name;
                        nmn->count = 1;
                        nmn->first_offset = nm.map[m[k].start];
                    }
                }
            }
        }
        if (!rc && r && g && n_m)
            rc = kw__an_stances(g, r, nm.p, lo, hi, m, n_m, &v, &n_v);
        if (!rc && n_v) {
            /* Name offsets within the sentence, so that a date in a
             * relative clause on a name is not taken as the event's. */
            size_t *names = kw_malloc(n_m * sizeof(*names));

            if (!names) {
                rc = KW_ENOMEM;
            } else {
                for (k = 0; k < n_m; k++)
                    names[k] = m[k].start - lo;
                has_ev = kw__an_event_date(nm.p + lo, hi - lo, names, n_m,
                                           published, &ev);
                kw_free(names);
            }
        } else {
            has_ev = 0;
        }
        kw_free(m);
        if (rc) {
            kw_free(v);
            goto fail;
        }
        st->n_mentions = smen.n - st->first_mention;
        for (k = 0; k < n_v; k++) {
            kw_decision *d;

            if (v[k].stance == KW_STANCE_NONE)
                continue;
            d = dyn_push(&decs);
            if (!d) {
                kw_free(v);
                rc = KW_ENOMEM;
                goto fail;
            }
            d->entity_id = kw_gazetteer_entity(g, v[k].entity)->id;
            d->stance = v[k].stance;
            d->sentence_index = i;
            d->is_restated = v[k].is_restated;
            if (v[k].is_restated) {
                /* A relative clause restates an old fact: only a date
                 * of its own ("15일 탈락한 KT는") dates it, never the
                 * sentence's or the published one. */
                kw_date rev;

                d->has_event_date = v[k].rel_e > v[k].rel_s &&
                                    kw__an_event_date(
                                        nm.p + v[k].rel_s,
                                        v[k].rel_e - v[k].rel_s, NULL, 0,
                                        published, &rev);
                if (d->has_event_date)
                    d->event_date = rev;
            } else {
                d->has_event_date = has_ev;
                if (has_ev)
                    d->event_date = ev;
            }
        }
        kw_free(v);
        st->n_decisions = decs.n - st->first_decision;
    }

    /* Final arrays in the arena. */
    a->n_sentences = n_s;
    if (n_s) {
        a->sentences = kw_arena_alloc(a->arena, n_s * sizeof(kw_sentence));
        if (!a->sentences) {
            rc = KW_ENOMEM;
            goto fail;
        }
    }
    a->n_decisions = decs.n;
    a->decisions = arena_copy(a->arena, decs.v, decs.n * sizeof(kw_decision));
    a->n_mentions = all.n;
    a->mentions = arena_copy(a->arena, all.v, all.n * sizeof(kw_mention));
    {
        kw_mention *sm = arena_copy(a->arena, smen.v,
                                    smen.n * sizeof(kw_mention));

        if ((decs.n && !a->decisions) || (all.n && !a->mentions) ||
            (smen.n && !sm)) {
            rc = KW_ENOMEM;
            goto fail;
        }
        for (i = 0; i < n_s; i++) {
            kw_sentence *s = &a->sentences[i];
            const sent_tmp *st = (const sent_tmp *)tmp.v + i;

            s->text = kw_arena_strndup(a->arena, p + ss[i], se[i] - ss[i]);
            if (!s->text) {
                rc = KW_ENOMEM;
                goto fail;
            }
            s->offset = ss[i];
            s->entities = st->n_mentions ? sm + st->first_mention : NULL;
            s->n_entities = st->n_mentions;
            s->decisions =
                st->n_decisions ? a->decisions + st->first_decision : NULL;
            s->n_decisions = st->n_decisions;
        }
        for (i = 0; i < a->n_decisions; i++)
            a->decisions[i].sentence =
                a->sentences[a->decisions[i].sentence_index].text;
    }
    kw_free(ss);
    kw_free(se);
    kw_free(all.v);
    kw_free(smen.v);
    kw_free(decs.v);
    kw_free(tmp.v);
    kw__an_norm_deinit(&nm);
    *out = a;
    return KW_OK;
fail:
    kw_free(ss);
    kw_free(se);
    kw_free(all.v);
    kw_free(smen.v);
    kw_free(decs.v);
    kw_free(tmp.v);
    kw__an_norm_deinit(&nm);
    kw_analysis_free(a);
    return rc;
}

void kw_analysis_free(kw_analysis *a)
{
    if (!a)
        return;
    kw_arena_free(a->arena);
    kw_free(a);
}
