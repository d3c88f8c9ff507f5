/*
 * analysis_int.h -- private interfaces between the files that implement
 * kw/analysis.h: text normalisation and sentence breaks (analysis_text.c),
 * YAML helpers (analysis_yaml.c), the gazetteer and its matcher
 * (gazetteer.c), stance rules (stance.c), event dates (eventdate.c) and
 * fingerprints (fingerprint.c).  Names are kw__an_* (STYLE.md section 2).
 */
#ifndef KW_ANALYSIS_INT_H
#define KW_ANALYSIS_INT_H

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "kw/analysis.h"
#include "kw/common.h"

/* ---- Normalised text ---------------------------------------------------- */

/* NFKC_Casefold text with, for each byte, the byte offset of the input
 * code point it came from (monotonic). */
typedef struct kw__an_norm {
    char *p;       /* normalised UTF-8, NUL-terminated; owned */
    size_t n;      /* bytes, excluding the NUL */
    size_t *map;   /* n + 1 entries: input offset of each byte; map[n] is
                      the input length */
} kw__an_norm;

/* Normalises p[0..n) (NFKC_Casefold, white space collapsed to one ASCII
 * space).  KW_ENOMEM or KW_EPARSE (ICU failure). */
kw_err kw__an_normalize(const char *p, size_t n, kw__an_norm *out);
void kw__an_norm_deinit(kw__an_norm *nm);

/* Normalises a short string (an alias, a cue) into an owned NUL-terminated
 * string; NULL on failure. */
char *kw__an_normalize_dup(const char *s);

/* Sentence ranges [start, end) in the input, from ICU's sentence iterator
 * run on each "\n\n" paragraph; empty ranges are dropped.  *starts and
 * *ends are owned (kw_free). */
kw_err kw__an_sentences(const char *p, size_t n, size_t **starts,
                        size_t **ends, size_t *count);

/* Decodes the code point at p[0..n) (UTF-8, lenient); *len gets its byte
 * length (>= 1 when n > 0). */
uint32_t kw__an_cp(const char *p, size_t n, size_t *len);
/* Decodes the code point that ends at p[n) ; *len gets its length. */
uint32_t kw__an_cp_before(const char *p, size_t n, size_t *len);
int kw__an_is_hangul(uint32_t c);       /* a Hangul syllable or jamo */
int kw__an_is_latin_alnum(uint32_t c);  /* ASCII or Latin letter, digit */

/* ---- YAML --------------------------------------------------------------- */

/* Loads a YAML document; on error writes "line N: ..." to @err. */
kw_err kw__an_yaml_load(const char *p, size_t n, yaml_document_t *doc,
                        char *err, size_t err_n);
/* Writes "line N: msg" for node @nd and returns KW_EPARSE. */
kw_err kw__an_yaml_err(const yaml_node_t *nd, char *err, size_t err_n,
                       const char *msg, const char *arg);
/* Value of @key in mapping @m, or NULL. */
yaml_node_t *kw__an_yaml_get(yaml_document_t *d, yaml_node_t *m,
                             const char *key);
/* The scalar text of @nd, or NULL if it is not a scalar. */
const char *kw__an_yaml_str(const yaml_node_t *nd);

/* ---- Gazetteer matching -------------------------------------------------- */

/* The grammatical role a mention plays in its sentence, from what follows
 * it (particles) and what precedes it (▲ lists). */
typedef enum kw__an_role {
    KW__AN_ROLE_OTHER = 0, /* genitive, adverbial, unknown */
    KW__AN_ROLE_SUBJ,      /* 은/는/이/가/도, 측은, a bare English name */
    KW__AN_ROLE_OBJ,       /* 을/를, 으로, 에, 에게 ... */
    KW__AN_ROLE_COORD,     /* 와/과/및, ',', '·', ▲: shares the next one's */
    KW__AN_ROLE_BARE,      /* no particle at all */
} kw__an_role;

typedef struct kw__an_match {
    size_t entity;     /* index in the gazetteer */
    size_t start, end; /* byte range in the normalised text */
    kw__an_role role;
    int is_nom;        /* marked 이/가 (or coordinated with such a name):
                          can be the subject of a relative clause */
    int coord;         /* coordinated with the next name (A와 B는) */
    size_t pend;       /* end of the name's suffix and particle */
    int is_place;      /* "KT 컨소시엄에": what is joined, never who acts */
} kw__an_match;

/* Finds entity mentions in the normalised text nt[lo..hi): longest alias
 * first, Korean word boundaries and particles respected, exclusions
 * honoured.  *out is owned (kw_free). */
kw_err kw__an_match_entities(const kw_gazetteer *g, const char *nt,
                             size_t lo, size_t hi, kw__an_match **out,
                             size_t *count);
/* True if the entity may hold a stance (companies). */
int kw__an_entity_is_actor(const kw_gazetteer *g, size_t i);
/* Length of the particle/ending sequence that fills s[0..n) exactly, or
 * starts it, as kw__an_particles_prefix: the longest prefix of s made of
 * table entries. */
size_t kw__an_particle_prefix(const kw_gazetteer *g, const char *s,
                              size_t n);

/* ---- Stances ------------------------------------------------------------ */

/* Per entity of the sentence: the stance the rules give it. */
typedef struct kw__an_verdict {
    size_t entity;
    kw_stance stance;
    int is_restated;   /* only a relative clause gave it (탈락한 KT는) */
    size_t rel_s, rel_e; /* is_restated: that clause, [rel_s, rel_e) in
                            the normalised text */
} kw__an_verdict;

/* Decides the stance of each actor mentioned in the normalised sentence
 * nt[lo..hi) given its matches: one verdict per entity; a main clause's
 * stance outranks a relative clause's, wherever each is in the sentence.
 * *out is owned (kw_free). */
kw_err kw__an_stances(const kw_gazetteer *g, const kw_rules *r,
                      const char *nt, size_t lo, size_t hi,
                      const kw__an_match *m, size_t n_m,
                      kw__an_verdict **out, size_t *count);

/* ---- Event dates and fingerprints --------------------------------------- */

/* The date the normalised sentence s[0..n) reports, resolved against
 * @published (may be NULL: only absolute dates then).  @names holds the
 * start offsets (in s) of the entity mentions: a date in a relative
 * clause on one of them ("15일 탈락한 엔씨AI가") is skipped.  Returns 1
 * and fills *out, or 0. */
int kw__an_event_date(const char *s, size_t n, const size_t *names,
                      size_t n_names, const kw_date *published,
                      kw_date *out);

/* SimHash of the word 3-shingles of normalised text. */
uint64_t kw__an_fingerprint(const kw_gazetteer *g, const char *nt, size_t n);

#endif /* KW_ANALYSIS_INT_H */
