/*
 * The entity gazetteer (config/entities.yaml) and mention matching.
 *
 * Aliases, products and exclusions are normalised (NFKC_Casefold) when the
 * gazetteer is parsed and matched against normalised text, longest first.
 * Korean word boundaries: an alias followed by Hangul matches only when
 * that Hangul run is made of particles and endings from the table
 * (네이버가, 엔씨AI는, 업스테이지와의) so that 네이버웹툰 and 카카오뱅크 do
 * not match; Latin aliases need a word boundary (KT, not KTX); an
 * exclusion that matches at a position hides every alias there.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis_int.h"

typedef struct alias {
    char *norm;    /* normalised alias (owned by the arena) */
    size_t len;
    size_t entity; /* index in ents */
    int is_exclusion;
    int is_weak;   /* matches only in a sentence holding a context word */
} alias;

struct kw_gazetteer {
    kw_arena *arena;
    kw_entity *ents;
    size_t n_ents;
    alias *aliases; /* sorted by length, longest first */
    size_t n_aliases;
    char **particles; /* normalised particle/ending table */
    size_t *plen;
    size_t n_particles;
    char **context;   /* normalised words that let weak aliases match */
    size_t n_context;
};

/* Used when the gazetteer has no "particles" list, and for fingerprints. */
static const char *const default_particles[] = {
    "이", "가", "은", "는", "을", "를", "의", "에", "에서", "에게", "께",
    "와", "과", "도", "만", "로", "으로", "까지", "부터", "처럼", "보다",
    "측", "컨소시엄", "이라며", "라며", "이라고", "라고", "이라는", "라는",
    "이다", "다", "였다", "이었다", "이며", "며", "이고", "고", "이나", "나",
    "서", "선", "엔", "랑", "이랑", "한테", "마저", "조차", "뿐", "란",
    "이란", "야", "이야", "요", "과의", "와의", "로서", "으로서", "로는",
    "으로는", "로도", "으로도", "에도", "에는", "에선", "에서는", "에서도",
};

const kw_entity *kw_gazetteer_entity(const kw_gazetteer *g, size_t i)
{
    if (!g || i >= g->n_ents)
        return NULL;
    return &g->ents[i];
}

size_t kw_gazetteer_count(const kw_gazetteer *g)
{
    return g ? g->n_ents : 0;
}

const kw_entity *kw_gazetteer_find(const kw_gazetteer *g, const char *id)
{
    size_t i;

    if (!g || !id)
        return NULL;
    for (i = 0; i < g->n_ents; i++)
        if (strcmp(g->ents[i].id, id) == 0)
            return &g->ents[i];
    return NULL;
}

void kw_gazetteer_free(kw_gazetteer *g)
{
    if (!g)
        return;
    kw_free(g->ents);
    kw_free(g->aliases);
    kw_free(g->particles);
    kw_free(g->plen);
    kw_free(g->context);
    kw_arena_free(g->arena);
    kw_free(g);
}

int kw__an_entity_is_actor(const kw_gazetteer *g, size_t i)
{
    return g && i < g->n_ents && strcmp(g->ents[i].type, "company") == 0;
}

/* True if s[0..n) is exactly a sequence of particle table entries. */
static int is_particle_run(const kw_gazetteer *g, const char *s, size_t n)
{
    unsigned char ok[256];
    size_t i, k, np;
    const char *const *tab;

    if (n == 0)
        return 1;
    if (n >= sizeof(ok))
        return 0;
    memset(ok, 0, n + 1);
    ok[0] = 1;
    np = g ? g->n_particles
           : sizeof(default_particles) / sizeof(default_particles[0]);
    tab = g ? (const char *const *)g->particles : default_particles;
    for (i = 0; i < n; i++) {
        if (!ok[i])
            continue;
        for (k = 0; k < np; k++) {
            size_t l = g ? g->plen[k] : strlen(tab[k]);

            if (l && i + l <= n && memcmp(s + i, tab[k], l) == 0)
                ok[i + l] = 1;
        }
    }
    return ok[n];
}

size_t kw__an_particle_prefix(const kw_gazetteer *g, const char *s,
                              size_t n)
{
    size_t k;

    for (k = n; k > 0; k--)
        if (is_particle_run(g, s, k))
            return k;
    return 0;
}

/* Length of the Hangul run at s[0..n). */
static size_t hangul_run(const char *s, size_t n)
{
    size_t i = 0, len;

    while (i < n) {
        uint32_t c = kw__an_cp(s + i, n - i, &len);

        if (!kw__an_is_hangul(c))
            break;
        i += len;
    }
    return i;
}

/* Does alias @a match at nt[pos..) with its boundaries respected?  @hi
 * bounds the text. */
static int alias_at(const kw_gazetteer *g, const alias *a, const char *nt,
                    size_t pos, size_t hi)
{
    size_t end = pos + a->len, len;
    uint32_t first, last, next;

    if (end > hi || memcmp(nt + pos, a->norm, a->len) != 0)
        return 0;
    first = kw__an_cp(a->norm, a->len, &len);
    if (pos > 0) {
        uint32_t prev = kw__an_cp_before(nt, pos, &len);

        if (kw__an_is_latin_alnum(first) && kw__an_is_latin_alnum(prev))
            return 0;
        if (kw__an_is_hangul(first) && kw__an_is_hangul(prev))
            return 0;
    }
    if (a->is_exclusion || end >= hi)
        return 1;
    last = kw__an_cp_before(a->norm, a->len, &len);
    next = kw__an_cp(nt + end, hi - end, &len);
    if (kw__an_is_latin_alnum(last) && kw__an_is_latin_alnum(next))
        return 0;
    if (kw__an_is_hangul(next))
        return is_particle_run(g, nt + end, hangul_run(nt + end, hi - end));
    (void)last;
    return 1;
}

/* Does nt[lo..hi) hold one of the gazetteer's context words? */
static int has_context(const kw_gazetteer *g, const char *nt, size_t lo,
                       size_t hi)
{
    size_t i, k;

    for (i = lo; i < hi; i++)
        for (k = 0; k < g->n_context; k++) {
            size_t l = strlen(g->context[k]);

            if (i + l <= hi && memcmp(nt + i, g->context[k], l) == 0)
                return 1;
        }
    return 0;
}

kw_err kw__an_match_entities(const kw_gazetteer *g, const char *nt,
                             size_t lo, size_t hi, kw__an_match **out,
                             size_t *count)
{
    kw__an_match *m = NULL;
    unsigned char *weak = NULL; /* weak[i]: match i is a weak alias */
    size_t n = 0, cap = 0, wcap = 0, n_weak = 0, pos = lo, k, len;

    *out = NULL;
    *count = 0;
    while (pos < hi) {
        const alias *hit = NULL;

        for (k = 0; k < g->n_aliases; k++) {
            if (alias_at(g, &g->aliases[k], nt, pos, hi)) {
                hit = &g->aliases[k];
                break;
            }
        }
        if (!hit) {
            kw__an_cp(nt + pos, hi - pos, &len);
            pos += len ? len : 1;
            continue;
        }
        if (!hit->is_exclusion) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 8;
                kw__an_match *nm = kw_realloc(m, nc * sizeof(*m));

                if (!nm) {
                    kw_free(m);
                    kw_free(weak);
                    return KW_ENOMEM;
                }
                m = nm;
                cap = nc;
            }
            if (n == wcap) {
                size_t nc = wcap ? wcap * 2 : 8;
                unsigned char *nw = kw_realloc(weak, nc);

                if (!nw) {
                    kw_free(m);
                    kw_free(weak);
                    return KW_ENOMEM;
                }
                weak = nw;
                wcap = nc;
            }
            weak[n] = (unsigned char)hit->is_weak;
            n_weak += (size_t)hit->is_weak;
            m[n].entity = hit->entity;
            m[n].start = pos;
            m[n].end = pos + hit->len;
            m[n].role = KW__AN_ROLE_OTHER;
            m[n].is_nom = 0;
            n++;
        }
        pos += hit->len;
    }
    if (n_weak && !has_context(g, nt, lo, hi)) {
        size_t j = 0;

        for (k = 0; k < n; k++)
            if (!weak[k])
                m[j++] = m[k];
        n = j;
    }
    kw_free(weak);
    if (!n) {
        kw_free(m);
        m = NULL;
    }
    *out = m;
    *count = n;
    return KW_OK;
}

/* ---- Parsing ------------------------------------------------------------- */

typedef struct gz_build {
    kw_gazetteer *g;
    size_t cap_ents, cap_aliases;
    char *err;
    size_t err_n;
} gz_build;

static kw_err add_alias(gz_build *b, yaml_node_t *nd, size_t entity,
                        int is_exclusion, int is_weak)
{
    const char *s = kw__an_yaml_str(nd);
    char *norm;
    kw_gazetteer *g = b->g;

    if (!s || !*s)
        return kw__an_yaml_err(nd, b->err, b->err_n,
                               "a name must be a non-empty string", NULL);
    norm = kw__an_normalize_dup(s);
    if (!norm)
        return KW_ENOMEM;
    if (!*norm) {
        kw_free(norm);
        return kw__an_yaml_err(nd, b->err, b->err_n,
                               "name is empty once normalised:", s);
    }
    if (g->n_aliases == b->cap_aliases) {
        size_t nc = b->cap_aliases ? b->cap_aliases * 2 : 64;
        alias *na = kw_realloc(g->aliases, nc * sizeof(*na));

        if (!na) {
            kw_free(norm);
            return KW_ENOMEM;
        }
        g->aliases = na;
        b->cap_aliases = nc;
    }
    g->aliases[g->n_aliases].norm = kw_arena_strdup(g->arena, norm);
    kw_free(norm);
    if (!g->aliases[g->n_aliases].norm)
        return KW_ENOMEM;
    g->aliases[g->n_aliases].len = strlen(g->aliases[g->n_aliases].norm);
    g->aliases[g->n_aliases].entity = entity;
    g->aliases[g->n_aliases].is_exclusion = is_exclusion;
    g->aliases[g->n_aliases].is_weak = is_weak;
    g->n_aliases++;
    return KW_OK;
}

static kw_err add_alias_list(gz_build *b, yaml_document_t *d,
                             yaml_node_t *seq, size_t entity,
                             int is_exclusion, int is_weak)
{
    yaml_node_item_t *it;
    kw_err rc;

    if (!seq)
        return KW_OK;
    if (seq->type == YAML_SCALAR_NODE)
        return add_alias(b, seq, entity, is_exclusion, is_weak);
    if (seq->type != YAML_SEQUENCE_NODE)
        return kw__an_yaml_err(seq, b->err, b->err_n,
                               "expected a list of names", NULL);
    for (it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        rc = add_alias(b, yaml_document_get_node(d, *it), entity,
                       is_exclusion, is_weak);
        if (rc)
            return rc;
    }
    return KW_OK;
}

static const char *const entity_keys[] = {
    "id", "type", "name", "aliases", "products", "exclude", "note",
    "weak_aliases"};
static const char *const entity_types[] = {"company", "ministry", "agency",
                                           "programme"};

static kw_err add_entity(gz_build *b, yaml_document_t *d, yaml_node_t *e)
{
    kw_gazetteer *g = b->g;
    yaml_node_pair_t *pr;
    const char *id, *type, *name;
    kw_entity *ent;
    size_t i, idx;
    int ok;
    kw_err rc;

    if (e->type != YAML_MAPPING_NODE)
        return kw__an_yaml_err(e, b->err, b->err_n,
                               "an entity must be a mapping", NULL);
    for (pr = e->data.mapping.pairs.start; pr < e->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(d, pr->key);
        const char *ks = kw__an_yaml_str(k);

        ok = 0;
        for (i = 0; ks && i < sizeof(entity_keys) / sizeof(entity_keys[0]);
             i++)
            ok |= strcmp(ks, entity_keys[i]) == 0;
        if (!ok)
            return kw__an_yaml_err(k, b->err, b->err_n, "unknown key",
                                   ks ? ks : "?");
    }
    id = kw__an_yaml_str(kw__an_yaml_get(d, e, "id"));
    type = kw__an_yaml_str(kw__an_yaml_get(d, e, "type"));
    name = kw__an_yaml_str(kw__an_yaml_get(d, e, "name"));
    if (!id || !*id)
        return kw__an_yaml_err(e, b->err, b->err_n, "entity without an id",
                               NULL);
    if (!name || !*name)
        return kw__an_yaml_err(e, b->err, b->err_n, "entity without a name:",
                               id);
    if (!type)
        return kw__an_yaml_err(e, b->err, b->err_n, "entity without a type:",
                               id);
    ok = 0;
    for (i = 0; i < sizeof(entity_types) / sizeof(entity_types[0]); i++)
        ok |= strcmp(type, entity_types[i]) == 0;
    if (!ok)
        return kw__an_yaml_err(kw__an_yaml_get(d, e, "type"), b->err,
                               b->err_n,
                               "type must be company, ministry, agency or "
                               "programme, not",
                               type);
    if (kw_gazetteer_find(g, id))
        return kw__an_yaml_err(e, b->err, b->err_n, "duplicate id", id);
    if (g->n_ents == b->cap_ents) {
        size_t nc = b->cap_ents ? b->cap_ents * 2 : 16;
        kw_entity *ne = kw_realloc(g->ents, nc * sizeof(*ne));

        if (!ne)
            return KW_ENOMEM;
        g->ents = ne;
        b->cap_ents = nc;
    }
    idx = g->n_ents;
    ent = &g->ents[idx];
    ent->id = kw_arena_strdup(g->arena, id);
    ent->type = kw_arena_strdup(g->arena, type);
    ent->name = kw_arena_strdup(g->arena, name);
    if (!ent->id || !ent->type || !ent->name)
        return KW_ENOMEM;
    g->n_ents++;
    rc = add_alias(b, kw__an_yaml_get(d, e, "name"), idx, 0, 0);
    if (!rc)
        rc = add_alias_list(b, d, kw__an_yaml_get(d, e, "aliases"), idx, 0,
                            0);
    if (!rc)
        rc = add_alias_list(b, d, kw__an_yaml_get(d, e, "products"), idx, 0,
                            0);
    if (!rc)
        rc = add_alias_list(b, d, kw__an_yaml_get(d, e, "weak_aliases"), idx,
                            0, 1);
    if (!rc)
        rc = add_alias_list(b, d, kw__an_yaml_get(d, e, "exclude"), idx, 1,
                            0);
    return rc;
}

static kw_err add_particles(gz_build *b, yaml_document_t *d,
                            yaml_node_t *seq)
{
    kw_gazetteer *g = b->g;
    size_t n, i = 0;
    yaml_node_item_t *it;

    if (seq) {
        if (seq->type != YAML_SEQUENCE_NODE)
            return kw__an_yaml_err(seq, b->err, b->err_n,
                                   "particles must be a list", NULL);
        n = (size_t)(seq->data.sequence.items.top -
                     seq->data.sequence.items.start);
    } else {
        n = sizeof(default_particles) / sizeof(default_particles[0]);
    }
    g->particles = kw_calloc(n ? n : 1, sizeof(char *));
    g->plen = kw_calloc(n ? n : 1, sizeof(size_t));
    if (!g->particles || !g->plen)
        return KW_ENOMEM;
    if (!seq) {
        for (i = 0; i < n; i++) {
            g->particles[i] = (char *)default_particles[i];
            g->plen[i] = strlen(default_particles[i]);
        }
        g->n_particles = n;
        return KW_OK;
    }
    for (it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++, i++) {
        yaml_node_t *nd = yaml_document_get_node(d, *it);
        const char *s = kw__an_yaml_str(nd);
        char *norm;

        if (!s || !*s)
            return kw__an_yaml_err(nd, b->err, b->err_n,
                                   "a particle must be a string", NULL);
        norm = kw__an_normalize_dup(s);
        if (!norm)
            return KW_ENOMEM;
        g->particles[i] = kw_arena_strdup(g->arena, norm);
        kw_free(norm);
        if (!g->particles[i])
            return KW_ENOMEM;
        g->plen[i] = strlen(g->particles[i]);
    }
    g->n_particles = i;
    return KW_OK;
}

/* Reads the gazetteer's "context" list: words of the programme's coverage
 * (정예팀, 추가 공모) without which weak aliases (a bare "LG") do not
 * match. */
static kw_err add_context(gz_build *b, yaml_document_t *d, yaml_node_t *seq)
{
    kw_gazetteer *g = b->g;
    yaml_node_item_t *it;
    size_t n;

    if (!seq)
        return KW_OK;
    if (seq->type != YAML_SEQUENCE_NODE)
        return kw__an_yaml_err(seq, b->err, b->err_n,
                               "context must be a list", NULL);
    n = (size_t)(seq->data.sequence.items.top -
                 seq->data.sequence.items.start);
    g->context = kw_calloc(n ? n : 1, sizeof(char *));
    if (!g->context)
        return KW_ENOMEM;
    for (it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        yaml_node_t *nd = yaml_document_get_node(d, *it);
        const char *s = kw__an_yaml_str(nd);
        char *norm;

        if (!s || !*s)
            return kw__an_yaml_err(nd, b->err, b->err_n,
                                   "a context word must be a string", NULL);
        norm = kw__an_normalize_dup(s);
        if (!norm)
            return KW_ENOMEM;
        g->context[g->n_context] = kw_arena_strdup(g->arena, norm);
        kw_free(norm);
        if (!g->context[g->n_context])
            return KW_ENOMEM;
        g->n_context++;
    }
    return KW_OK;
}

static int by_length_desc(const void *a, const void *b)
{
    const alias *x = a, *y = b;

    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    /* At equal length an exclusion wins over an alias. */
    return y->is_exclusion - x->is_exclusion;
}

kw_err kw_gazetteer_parse(const char *p, size_t n, char *err, size_t err_n,
                          kw_gazetteer **out)
{
    yaml_document_t doc;
    yaml_node_t *root, *list, *parts = NULL, *ctx = NULL;
    yaml_node_item_t *it;
    gz_build b;
    kw_err rc;

    *out = NULL;
    if (err && err_n)
        err[0] = 0;
    memset(&b, 0, sizeof(b));
    b.err = err;
    b.err_n = err_n;
    b.g = kw_calloc(1, sizeof(*b.g));
    if (!b.g)
        return KW_ENOMEM;
    b.g->arena = kw_arena_new();
    if (!b.g->arena) {
        kw_gazetteer_free(b.g);
        return KW_ENOMEM;
    }
    rc = kw__an_yaml_load(p, n, &doc, err, err_n);
    if (rc) {
        kw_gazetteer_free(b.g);
        return rc;
    }
    root = yaml_document_get_root_node(&doc);
    list = root;
    if (root && root->type == YAML_MAPPING_NODE) {
        list = kw__an_yaml_get(&doc, root, "entities");
        parts = kw__an_yaml_get(&doc, root, "particles");
        ctx = kw__an_yaml_get(&doc, root, "context");
        if (!list) {
            rc = kw__an_yaml_err(root, err, err_n,
                                 "no 'entities' list in the gazetteer",
                                 NULL);
            goto done;
        }
    }
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        rc = kw__an_yaml_err(list, err, err_n,
                             "the gazetteer must hold a list of entities",
                             NULL);
        goto done;
    }
    rc = add_particles(&b, &doc, parts);
    if (!rc)
        rc = add_context(&b, &doc, ctx);
    for (it = list->data.sequence.items.start;
         !rc && it < list->data.sequence.items.top; it++)
        rc = add_entity(&b, &doc, yaml_document_get_node(&doc, *it));
    if (!rc && b.g->n_aliases)
        qsort(b.g->aliases, b.g->n_aliases, sizeof(alias), by_length_desc);
done:
    yaml_document_delete(&doc);
    if (rc) {
        kw_gazetteer_free(b.g);
        return rc;
    }
    *out = b.g;
    return KW_OK;
}
